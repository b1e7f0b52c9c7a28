-- rewards_due: whistleblower rewards owed in as_of's year (M56, M57): substantiated reports verified from
--   1 January to as_of with a reward, their sum, and how much of it was paid by as_of. The paid share here
--   is of the year's verified reports; the snapshot's rewards_paid counts payments made in the year, whatever
--   the verification date. No reporter field is read (M57).
-- params: $year_lo, $as_of (DATE text), $region ('' for the whole city)
-- output: owed (count), owed_yuan, paid (count), paid_yuan
SELECT count(*) AS owed, coalesce(sum(reward), 0)::DOUBLE AS owed_yuan,
       count(*) FILTER (WHERE reward_paid_on <= $as_of::DATE) AS paid,
       coalesce(sum(reward) FILTER (WHERE reward_paid_on <= $as_of::DATE), 0)::DOUBLE AS paid_yuan
FROM reports
WHERE substantiated AND reward > 0
  AND verified_on BETWEEN $year_lo::DATE AND $as_of::DATE
  AND ($region = '' OR region = $region)
