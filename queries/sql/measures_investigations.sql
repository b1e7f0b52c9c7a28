-- family: accident investigations and notifications (the measures register)
-- ids: investigation_overdue, measures_closed_ratio, notification_on_time_ratio
-- measures: investigation_overdue (M17, M18; Decree 493 art. 29: the investigation report within 60 days of
--   the accident, extendable by 60): a state at as_of, with the window $state_window (docs/rules.md, State and flow): accidents up to as_of whose
--   report was not approved by as_of (no investigations row, or report_approved_on empty or after as_of)
--   and whose term (occurred date + 60 days, + 120 when extended) ended before as_of.
--   measures_closed_ratio (M18 四不放过: the preventive measures are carried out): accidents of the window
--   (occurred_at, Asia/Shanghai date) whose report set a measures deadline (measures_due_on) that has passed
--   by as_of; those whose measures were carried out (measures_done_on) by the deadline / those accidents.
--   notification_on_time_ratio (M59): first reports (notifications.kind initial; a 续报 or 补报 follows
--   later by its nature, Decree 493 art. 13) received in the window (notified_at, Asia/Shanghai date,
--   up to as_of) of a known accident; those received within 2 hours of the accident's occurrence (Decree
--   493 art. 10 gives each level 2 hours; the plan names no term) / those notifications. By the region of
--   the notification, and by the accident's sector.
-- unit: count; ratios 0..1
-- worse: investigation_overdue up, measures_closed_ratio down, notification_on_time_ratio down
-- M: M17, M18, M59
-- params: $as_of DATE, $lo DATE, $city VARCHAR, $state_window VARCHAR ('as_of'); table windows(win, lo, hi)
-- records investigation_overdue: investigations where CAST(occurred_at AS DATE) <= $as_of
--   AND (report_approved_on IS NULL OR report_approved_on > $as_of)
--   AND CAST(occurred_at AS DATE) + INTERVAL (CASE WHEN coalesce(extended, false) THEN 120 ELSE 60 END) DAY <
--   $as_of
-- records measures_closed_ratio: investigations where report_approved_on <= $as_of
--   AND measures_due_on <= $as_of
-- records notification_on_time_ratio: notifications where kind = 'initial'
-- output: indicator, region, sector, win, dim_value, value
WITH acc AS (
    SELECT a.accident_id, a.region, a.sector, CAST(a.occurred_at AS DATE) AS d,
           i.report_approved_on IS NOT NULL AND i.report_approved_on <= $as_of AS approved,
           coalesce(i.extended, false) AS extended,
           i.measures_due_on, i.measures_done_on
    FROM accidents a LEFT JOIN investigations i USING (accident_id)
    WHERE CAST(a.occurred_at AS DATE) <= $as_of
),
go AS (
    SELECT CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region,
           CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END AS sector,
           count(*) FILTER (WHERE NOT approved
                            AND (d + INTERVAL (CASE WHEN extended THEN 120 ELSE 60 END) DAY)::DATE < $as_of) AS n
    FROM acc
    GROUP BY GROUPING SETS ((region), (sector), ())
),
mc AS (
    SELECT w.win,
           CASE WHEN grouping(a.region) = 1 THEN $city ELSE a.region END AS region,
           CASE WHEN grouping(a.sector) = 1 THEN 'all' ELSE a.sector END AS sector,
           count(*) AS due,
           count(*) FILTER (WHERE a.measures_done_on <= a.measures_due_on AND a.measures_done_on <= $as_of) AS closed
    FROM acc a JOIN windows w ON a.d BETWEEN w.lo AND w.hi
    WHERE a.approved AND a.measures_due_on <= $as_of
    GROUP BY GROUPING SETS ((w.win, a.region), (w.win, a.sector), (w.win))
),
nt AS (
    SELECT w.win, n.region, a.sector,
           n.notified_at <= a.occurred_at + INTERVAL 2 HOUR AS on_time
    FROM notifications n
    JOIN accidents a USING (accident_id)
    JOIN windows w ON CAST(n.notified_at AS DATE) BETWEEN w.lo AND w.hi
    WHERE CAST(n.notified_at AS DATE) BETWEEN $lo AND $as_of
      AND n.kind = 'initial'
),
gn AS (
    SELECT win,
           CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region,
           CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END AS sector,
           count(*) AS n, count(*) FILTER (WHERE on_time) AS ok
    FROM nt
    GROUP BY GROUPING SETS ((win, region), (win, sector), (win))
)
SELECT 'investigation_overdue' AS indicator, region, sector, $state_window AS win, '' AS dim_value, n::DOUBLE AS value
FROM go
UNION ALL
SELECT 'measures_closed_ratio', region, sector, win, '', closed / due FROM mc
UNION ALL
SELECT 'notification_on_time_ratio', region, sector, win, '', ok / n FROM gn
