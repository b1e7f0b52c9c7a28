-- family: supplementary reports of changed casualties (the measures register)
-- ids: supplementary_reports_late, casualty_changes_unreported
-- measures: Decree 493 art. 13 (docs/rules.md, Supplementary reports): when an accident's casualties change
--   within 30 days of its local date (7 for a road traffic or fire accident: sector in $supp_short_sectors,
--   or class $supp_short_type in any sector), the change is reported again (补报). The last day on time is
--   the accident's date + the term: day 30 (7) is on time, day 31 (8) late.
--   supplementary_reports_late (M59), a flow: the 补报 (notifications.kind supplementary) received in the
--   window (local date of notified_at, up to as_of) after their accident's last day, leaving out those
--   whose change (changed_on) came after the term, which owed nothing; by the notification's region and
--   the accident's sector.
--   casualty_changes_unreported (M59), a state at as_of: accidents up to as_of whose first figures (the
--   earliest first report received by as_of that states deaths or serious injuries) differ from the final
--   ones (accidents: deaths_incl_missing, serious_injuries), whose term ended before as_of (a term ending on
--   as_of has not ended), and for which no 补报 has been received by as_of; whenever the accident happened;
--   by the accident's region and sector. A late 补报 ends the state and is counted by the flow above. An
--   accident with no first figures cannot be judged and is in no count; a 续报 is not a 补报.
-- unit: count
-- worse: supplementary_reports_late up, casualty_changes_unreported up
-- M: M59
-- params: $as_of DATE, $lo DATE, $city VARCHAR, $state_window VARCHAR ('as_of'), $supp_days INTEGER,
--   $supp_short_days INTEGER, $supp_short_sectors VARCHAR (comma-separated), $supp_short_type VARCHAR;
--   table windows(win, lo, hi)
-- records supplementary_reports_late: notifications where kind = 'supplementary'
--   AND CAST(notified_at AS DATE) > CAST(occurred_at AS DATE) + CASE WHEN accident_type = $supp_short_type
--   OR list_contains(string_split($supp_short_sectors, ','), sector) THEN $supp_short_days ELSE $supp_days END
--   AND (changed_on IS NULL OR changed_on <= CAST(occurred_at AS DATE) + CASE WHEN accident_type =
--   $supp_short_type OR list_contains(string_split($supp_short_sectors, ','), sector) THEN $supp_short_days
--   ELSE $supp_days END)
-- records casualty_changes_unreported: accidents where CAST(occurred_at AS DATE) + CASE WHEN accident_type =
--   $supp_short_type OR list_contains(string_split($supp_short_sectors, ','), sector) THEN $supp_short_days
--   ELSE $supp_days END < $as_of
--   AND accident_id IN (SELECT f.accident_id FROM (SELECT accident_id,
--   arg_min(coalesce(deaths, 0), notified_at) AS d0, arg_min(coalesce(serious_injuries, 0), notified_at) AS s0
--   FROM notifications WHERE kind = 'initial' AND CAST(notified_at AS DATE) <= $as_of
--   AND (deaths IS NOT NULL OR serious_injuries IS NOT NULL) GROUP BY accident_id) f JOIN accidents a
--   USING (accident_id) WHERE f.d0 <> coalesce(a.deaths_incl_missing, 0)
--   OR f.s0 <> coalesce(a.serious_injuries, 0))
--   AND accident_id NOT IN (SELECT accident_id FROM notifications
--   WHERE kind = 'supplementary' AND CAST(notified_at AS DATE) <= $as_of)
-- output: indicator, region, sector, win, dim_value, value
WITH acc AS (
    SELECT accident_id, region, sector, deaths_incl_missing, serious_injuries,
           CAST(occurred_at AS DATE) + CASE WHEN accident_type = $supp_short_type
                   OR list_contains(string_split($supp_short_sectors, ','), sector)
               THEN $supp_short_days ELSE $supp_days END AS due
    FROM accidents
    WHERE CAST(occurred_at AS DATE) <= $as_of
),
n AS (
    SELECT accident_id, region, kind, notified_at,
           CAST(notified_at AS DATE) AS d, deaths, serious_injuries, changed_on
    FROM notifications
    WHERE CAST(notified_at AS DATE) <= $as_of
),
late AS (
    SELECT w.win, n.region, acc.sector
    FROM n
    JOIN acc USING (accident_id)
    JOIN windows w ON n.d BETWEEN w.lo AND w.hi
    WHERE n.kind = 'supplementary' AND n.d >= $lo AND n.d > acc.due
      AND (n.changed_on IS NULL OR n.changed_on <= acc.due)
),
first_figures AS (
    SELECT accident_id,
           arg_min(coalesce(deaths, 0), notified_at) AS d0,
           arg_min(coalesce(serious_injuries, 0), notified_at) AS s0
    FROM n
    WHERE kind = 'initial' AND (deaths IS NOT NULL OR serious_injuries IS NOT NULL)
    GROUP BY accident_id
),
unreported AS (
    SELECT acc.region, acc.sector
    FROM acc JOIN first_figures f USING (accident_id)
    WHERE acc.due < $as_of
      AND (f.d0 <> coalesce(acc.deaths_incl_missing, 0) OR f.s0 <> coalesce(acc.serious_injuries, 0))
      AND acc.accident_id NOT IN (SELECT accident_id FROM n WHERE kind = 'supplementary')
)
SELECT 'supplementary_reports_late' AS indicator,
       CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region,
       CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END AS sector,
       win, '' AS dim_value, count(*)::DOUBLE AS value
FROM late
GROUP BY GROUPING SETS ((win, region), (win, sector), (win))
UNION ALL
SELECT 'casualty_changes_unreported',
       CASE WHEN grouping(region) = 1 THEN $city ELSE region END,
       CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END,
       $state_window, '', count(*)::DOUBLE
FROM unreported
GROUP BY GROUPING SETS ((region), (sector), ())
