-- family: veto (the events behind the M6 one-vote veto)
-- ids: veto (and the cap of assessment_grade)
-- measures: the events of as_of's year up to as_of that veto a region's or sector's 优秀 grade:
--   kind 'accident': an accident of grade large, major or extraordinary (Decree 493 art. 3) (M6);
--   kind 'm31': a major hazard found by anyone outside the enterprise (any source but self_check: inspection,
--   report, another department; or no source but an inspection id) that was not in the enterprise's ledger
--   (in_ledger false): treated as an accident (M31).
--   One row per event, for the reason in words (ids, date, grade, deaths); Go turns them into the veto rows
--   of (region, all), (city, sector) and (city, all).
-- unit: events (veto: code 0 or 1)
-- worse: flag
-- M: M6, M31
-- params: $as_of DATE, $year_lo DATE (1 January of as_of's year)
-- records veto: veto_events
-- records assessment_grade: veto_events
-- records risk_index: components
-- records risk_band: components
-- records assessment_score: components
-- output: kind, id, region, sector, on_date, grade, deaths, enterprise_id
SELECT 'accident' AS kind, accident_id AS id, region, sector, CAST(occurred_at AS DATE) AS on_date,
       grade, coalesce(deaths_incl_missing, 0) AS deaths, enterprise_id
FROM accidents
WHERE CAST(occurred_at AS DATE) BETWEEN $year_lo AND $as_of
  AND grade IN ('large', 'major', 'extraordinary')
UNION ALL
SELECT 'm31', hazard_id, region, sector, found_on, 'major', 0, enterprise_id
FROM hazards
WHERE found_on BETWEEN $year_lo AND $as_of
  AND level = 'major' AND in_ledger = false
  AND (source <> 'self_check' OR (source IS NULL AND inspection_id IS NOT NULL))
ORDER BY on_date, id
