-- family: accident follow-up and the committee office's actions (the measures register)
-- ids: committee_actions, interview_followup_ratio, concealed_listed_ratio, followups_missing
-- measures: committee_actions (M16, M66): governance records of the window (held_on, up to as_of) of the kinds
--   supervision_tour, listed_supervision, escalated_investigation, interview, by kind; per sector only for
--   records that name one.
--   An accident owes an interview (约谈) of the region's leaders when its grade is large or worse, or it
--   happened in a sensitive period (M21); it owes listed supervision (挂牌督办) when it was concealed (M61).
--   A follow-up is a governance record of that kind whose accident_id names the accident, held by as_of.
--   interview_followup_ratio (M21): accidents of the window (occurred_at, Asia/Shanghai date) owing an
--   interview whose 30-day term (FollowupTermDays; the plan names none) ended by as_of; those interviewed
--   within the term / those accidents. concealed_listed_ratio (M61: every concealed accident, 一律): a state at
--   as_of, with the window $state_window (docs/rules.md, State and flow): concealed accidents up to as_of under listed supervision by as_of /
--   concealed accidents up to as_of (a concealment is often found long after the accident, so a window on
--   the accident's date would miss most of them).
--   followups_missing (M17, M21, M61): a state at as_of, with the window $state_window (docs/rules.md, State and flow): accidents up to as_of
--   owing an interview past its term with none held by as_of (duty interview), and concealed accidents with
--   no listed supervision by as_of (duty listed_supervision).
-- unit: counts; ratios 0..1
-- worse: committee_actions -, interview_followup_ratio down, concealed_listed_ratio down, followups_missing up
-- M: M16, M17, M21, M61, M66
-- params: $as_of DATE, $lo DATE, $city VARCHAR, $state_window VARCHAR ('as_of'); table windows(win, lo, hi); table dim_values(indicator, code, lo_days, hi_days): the breakdowns' enum codes
-- records committee_actions: governance_linked by kind where kind IN ('supervision_tour', 'listed_supervision',
--   'escalated_investigation', 'interview')
-- records interview_followup_ratio: accidents where (grade IN ('large', 'major', 'extraordinary')
--   OR coalesce(sensitive_period, false)) AND CAST(occurred_at AS DATE) + INTERVAL 30 DAY <= $as_of
-- records concealed_listed_ratio: accidents where reporting_violation = 'concealed'
--   AND CAST(occurred_at AS DATE) <= $as_of
-- records followups_missing: accidents where CAST(occurred_at AS DATE) <= $as_of
--   AND (((grade IN ('large', 'major', 'extraordinary') OR coalesce(sensitive_period, false))
--   AND CAST(occurred_at AS DATE) + INTERVAL 30 DAY <= $as_of
--   AND accident_id NOT IN (SELECT accident_id FROM governance WHERE kind = 'interview'
--   AND accident_id IS NOT NULL AND held_on <= $as_of)) OR (reporting_violation = 'concealed'
--   AND accident_id NOT IN (SELECT accident_id FROM governance WHERE kind = 'listed_supervision'
--   AND accident_id IS NOT NULL AND held_on <= $as_of)))
-- output: indicator, region, sector, win, dim_value, value
WITH acts AS (
    SELECT w.win, g.region, g.sector, g.kind
    FROM governance g JOIN windows w ON g.held_on BETWEEN w.lo AND w.hi
    WHERE g.held_on BETWEEN $lo AND $as_of
      -- the committee's actions: the codes of committee_actions in dim_values (the engine
      -- writes them from the catalogue's CommitteeActions)
      AND g.kind IN (SELECT d.code FROM dim_values d WHERE d.indicator = 'committee_actions')
),
ga AS (
    SELECT win,
           CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region,
           CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END AS sector,
           kind, count(*) AS n
    FROM acts
    GROUP BY GROUPING SETS ((win, region, kind), (win, sector, kind), (win, kind))
),
acc AS (
    SELECT accident_id, region, sector, CAST(occurred_at AS DATE) AS d,
           grade IN ('large', 'major', 'extraordinary') OR coalesce(sensitive_period, false) AS owes_interview,
           coalesce(reporting_violation = 'concealed', false) AS concealed
    FROM accidents
    WHERE CAST(occurred_at AS DATE) <= $as_of
),
iv AS (
    SELECT accident_id, min(held_on) AS first_on
    FROM governance
    WHERE kind = 'interview' AND accident_id IS NOT NULL AND held_on <= $as_of
    GROUP BY accident_id
),
ls AS (
    SELECT DISTINCT accident_id
    FROM governance
    WHERE kind = 'listed_supervision' AND accident_id IS NOT NULL AND held_on <= $as_of
),
f AS (
    SELECT a.*,
           (a.d + INTERVAL 30 DAY)::DATE <= $as_of AS due,
           iv.first_on IS NOT NULL AS interviewed,
           coalesce(iv.first_on <= (a.d + INTERVAL 30 DAY)::DATE, false) AS in_term,
           ls.accident_id IS NOT NULL AS listed
    FROM acc a LEFT JOIN iv USING (accident_id) LEFT JOIN ls USING (accident_id)
),
fw AS (
    SELECT w.win, f.* FROM f JOIN windows w ON f.d BETWEEN w.lo AND w.hi
),
gr AS (
    SELECT win,
           CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region,
           CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END AS sector,
           count(*) FILTER (WHERE owes_interview AND due) AS iv_due,
           count(*) FILTER (WHERE owes_interview AND due AND in_term) AS iv_ok
    FROM fw
    GROUP BY GROUPING SETS ((win, region), (win, sector), (win))
),
gm AS (
    SELECT CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region,
           CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END AS sector,
           count(*) FILTER (WHERE owes_interview AND due AND NOT interviewed) AS miss_iv,
           count(*) FILTER (WHERE concealed AND NOT listed) AS miss_ls,
           count(*) FILTER (WHERE concealed) AS conc,
           count(*) FILTER (WHERE concealed AND listed) AS conc_listed
    FROM f
    GROUP BY GROUPING SETS ((region), (sector), ())
)
SELECT 'committee_actions' AS indicator, region, sector, win, kind AS dim_value, n::DOUBLE AS value
FROM ga WHERE sector IS NOT NULL
UNION ALL
SELECT 'interview_followup_ratio', region, sector, win, '', CASE WHEN iv_due > 0 THEN iv_ok / iv_due END FROM gr
UNION ALL
SELECT 'concealed_listed_ratio', region, sector, $state_window, '', CASE WHEN conc > 0 THEN conc_listed / conc END
FROM gm
UNION ALL
SELECT 'followups_missing', region, sector, $state_window, 'interview', miss_iv::DOUBLE FROM gm
UNION ALL
SELECT 'followups_missing', region, sector, $state_window, 'listed_supervision', miss_ls::DOUBLE FROM gm
