-- family: reports (whistleblowers)
-- ids: reports_received, verified_in_time_ratio, substantiated_ratio, rewards_paid, reward_on_time_ratio, reward_in_full_ratio
-- measures: whistleblower reports accepted in the window (received_on, up to as_of), by channel (M54, M55);
--   verified_in_time_ratio: of the reports accepted in the window whose outcome is known by as_of (verified by
--   as_of, or 60 days passed unverified), those verified within 60 days of acceptance (安监总财〔2018〕19号) (M54);
--   substantiated_ratio: of the reports accepted in the window, verified by as_of with a known finding, the
--   share found substantiated (M54);
--   rewards_paid: rewards paid in the window (reward_paid_on, not received_on), yuan (M56);
--   rewards due (安监总财〔2018〕19号): substantiated reports of a major hazard, an illegal act or a concealed
--   accident (subject in $reward_subjects), accepted in the window and verified by as_of; no other report owes one;
--   reward_on_time_ratio: of the rewards due whose outcome is known (paid by as_of, or $reward_days days since
--   verification passed), those paid within $reward_days days of verification (the project's reward term) (M57);
--   reward_in_full_ratio: of the rewards due and paid by as_of, those whose amount is within the rules: major
--   hazard or illegal act $reward_min..$reward_max yuan (15% of the fine, bounded), concealed accident
--   $reward_min_concealed..$reward_max (30k-60k per death, bounded); the lake does not link a report to its fine
--   or deaths, so only the bounds are checked (M57).
--   Reports with no sector count only in the region and city totals. Reporter identities are never read.
-- unit: reports count; ratios 0..1; rewards yuan
-- worse: reports_received -, verified_in_time_ratio down, substantiated_ratio -, rewards_paid down,
--   reward_on_time_ratio down
-- M: M54, M55, M56, M57
-- params: $as_of DATE, $lo DATE, $city VARCHAR, $verify_days INTEGER (60), $reward_days INTEGER (60),
--   $reward_subjects VARCHAR (comma-separated subject codes), $reward_min, $reward_max, $reward_min_concealed DOUBLE
--   (yuan); table windows(win, lo, hi); table dim_values(indicator, code, lo_days, hi_days): the breakdowns' enum codes
-- records reports_received: reports by channel
-- records verified_in_time_ratio: reports
-- records substantiated_ratio: reports where verified_on <= $as_of
-- records rewards_paid: reward_payments where reward > 0
-- records reward_on_time_ratio: reports where substantiated AND verified_on <= $as_of
--   AND list_contains(string_split($reward_subjects, ','), subject)
-- records reward_in_full_ratio: reports where substantiated AND verified_on <= $as_of
--   AND list_contains(string_split($reward_subjects, ','), subject) AND reward_paid_on <= $as_of
-- output: indicator, region, sector, win, dim_value, value
WITH r AS (
    SELECT w.win, x.region, x.sector, x.channel, x.received_on, x.substantiated, x.reward_paid_on, x.reward, x.subject,
           CASE WHEN x.verified_on <= $as_of THEN x.verified_on END AS verified_on
    FROM reports x
    JOIN windows w ON x.received_on BETWEEN w.lo AND w.hi
    WHERE x.received_on BETWEEN $lo AND $as_of
),
f AS (
    SELECT *,
           verified_on IS NOT NULL OR received_on + $verify_days < $as_of AS v_due,
           verified_on IS NOT NULL AND verified_on <= received_on + $verify_days AS v_ok,
           -- 安监总财〔2018〕19号: only these subjects earn a reward
           verified_on IS NOT NULL AND coalesce(substantiated, false)
               AND list_contains(string_split($reward_subjects, ','), subject) AS owed,
           reward_paid_on IS NOT NULL AND reward_paid_on <= $as_of AS paid,
           reward_paid_on <= verified_on + $reward_days AS paid_in_term,
           CASE WHEN subject = 'concealed_accident' THEN reward BETWEEN $reward_min_concealed AND $reward_max
                ELSE reward BETWEEN $reward_min AND $reward_max END AS in_full
    FROM r
),
f2 AS (
    SELECT *,
           owed AND (paid OR verified_on + $reward_days < $as_of) AS p_due,
           paid AND paid_in_term AS p_ok
    FROM f
),
g AS (
    SELECT win,
           CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region,
           CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END AS sector,
           grouping(sector) = 0 AND sector IS NULL AS unknown_sector,
           count(*) FILTER (WHERE v_due) AS v_due,
           count(*) FILTER (WHERE v_due AND v_ok) AS v_ok,
           count(substantiated) FILTER (WHERE verified_on IS NOT NULL) AS s_known,
           count(*) FILTER (WHERE verified_on IS NOT NULL AND substantiated) AS s_yes,
           count(*) FILTER (WHERE p_due) AS p_due,
           count(*) FILTER (WHERE p_due AND p_ok) AS p_ok,
           count(*) FILTER (WHERE owed AND paid) AS f_paid,
           count(*) FILTER (WHERE owed AND paid AND coalesce(in_full, false)) AS f_ok
    FROM f2
    GROUP BY GROUPING SETS ((win, region), (win, sector), (win))
),
-- reports by channel, kept to the codes of reports_received in dim_values (the engine
-- writes them from the catalogue)
gc AS (
    SELECT win,
           CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region,
           CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END AS sector,
           grouping(sector) = 0 AND sector IS NULL AS unknown_sector,
           channel, count(*) AS n
    FROM r
    WHERE channel IN (SELECT d.code FROM dim_values d WHERE d.indicator = 'reports_received')
    GROUP BY GROUPING SETS ((win, region, channel), (win, sector, channel), (win, channel))
),
paid AS (
    SELECT win,
           CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region,
           CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END AS sector,
           grouping(sector) = 0 AND sector IS NULL AS unknown_sector,
           coalesce(sum(x.reward), 0) AS paid
    FROM reports x
    JOIN windows w ON x.reward_paid_on BETWEEN w.lo AND w.hi
    WHERE x.reward_paid_on BETWEEN $lo AND $as_of
    GROUP BY GROUPING SETS ((win, region), (win, sector), (win))
)
SELECT 'reports_received' AS indicator, region, sector, win, channel AS dim_value, n::DOUBLE AS value
FROM gc
WHERE NOT unknown_sector
UNION ALL
SELECT u.indicator, region, sector, win, u.dim_value, u.value
FROM g, LATERAL (SELECT unnest([
    {'indicator': 'verified_in_time_ratio', 'dim_value': '', 'value': CASE WHEN v_due > 0 THEN v_ok / v_due END},
    {'indicator': 'substantiated_ratio', 'dim_value': '', 'value': CASE WHEN s_known > 0 THEN s_yes / s_known END},
    {'indicator': 'reward_on_time_ratio', 'dim_value': '', 'value': CASE WHEN p_due > 0 THEN p_ok / p_due END},
    {'indicator': 'reward_in_full_ratio', 'dim_value': '', 'value': CASE WHEN f_paid > 0 THEN f_ok / f_paid END}
], recursive := true)) u
WHERE NOT unknown_sector
UNION ALL
SELECT 'rewards_paid', region, sector, win, '', paid::DOUBLE FROM paid WHERE NOT unknown_sector
