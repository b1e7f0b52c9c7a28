-- concealed: accidents of as_of's year found concealed (瞒报, M58-M61), each with the substantiated
--   whistleblower report on a concealed accident of the same enterprise received on or after it (the
--   first one), its reward and whether the reward was paid by as_of (M56, M57). No reporter field is read.
-- params: $year_lo (DATE text), $as_of (DATE text), $region ('' for the whole city)
-- output: accident_id, region, sector, occurred_on, deaths, by_report, reward, paid
SELECT a.accident_id, a.region, coalesce(a.sector, '') AS sector,
       strftime(CAST(a.occurred_at AS DATE), '%Y-%m-%d') AS occurred_on,
       coalesce(a.deaths_incl_missing, 0) AS deaths,
       r.report_id IS NOT NULL AS by_report, coalesce(r.reward, 0)::DOUBLE AS reward,
       coalesce(r.reward_paid_on <= $as_of::DATE, false) AS paid
FROM accidents a
LEFT JOIN reports r ON r.enterprise_id = a.enterprise_id AND r.subject = 'concealed_accident'
      AND r.substantiated AND r.received_on >= CAST(a.occurred_at AS DATE) AND r.received_on <= $as_of::DATE
WHERE a.reporting_violation = 'concealed'
  AND CAST(a.occurred_at AS DATE) BETWEEN $year_lo::DATE AND $as_of::DATE
  AND ($region = '' OR a.region = $region)
QUALIFY row_number() OVER (PARTITION BY a.accident_id ORDER BY r.received_on NULLS LAST, r.report_id) = 1
ORDER BY occurred_on, a.accident_id
