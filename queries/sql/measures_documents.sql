-- family: duty documents (the measures register)
-- ids: duty_documents, duty_document_coverage
-- measures: duty_documents (M3, M8, M10, M11, M12): documents of duty_documents issued in the window (issued_on,
--   up to as_of), by kind; a city body's document (no region) counts in the city total only.
--   duty_document_coverage (M3, M8, M10): for each region of the profile, each of the four kinds a region's
--   government files every year ($yearly_documents: safetyrisk.YearlyDocuments, the duty list, task list,
--   annual report and special fund) needs a
--   document issued in the 365 days ending on as_of; present / required; the city is over its regions. A
--   state, with the window $state_window (docs/rules.md, State and flow). What a document says is not measured.
--   No sector breakdown (documents belong to regions and bodies).
-- unit: count; ratio 0..1
-- worse: duty_documents -, duty_document_coverage down
-- M: M3, M8, M10, M11, M12
-- params: $as_of DATE, $lo DATE, $city VARCHAR, $regions VARCHAR (comma-separated region codes), $state_window VARCHAR ('as_of'),
--   $yearly_documents VARCHAR (comma-separated kinds); table windows(win, lo, hi); table dim_values(indicator, code, lo_days, hi_days): the breakdowns' enum codes
-- records duty_documents: duty_documents by kind
-- records duty_document_coverage: duty_documents where list_contains(string_split($yearly_documents, ','), kind)
--   AND issued_on BETWEEN $as_of - INTERVAL 364 DAY AND $as_of
-- output: indicator, region, sector, win, dim_value, value
WITH d AS (
    SELECT w.win, x.region, x.kind
    FROM duty_documents x JOIN windows w ON x.issued_on BETWEEN w.lo AND w.hi
    WHERE x.issued_on BETWEEN $lo AND $as_of
      -- kept to the codes of duty_documents in dim_values (the engine writes them from the catalogue)
      AND x.kind IN (SELECT d.code FROM dim_values d WHERE d.indicator = 'duty_documents')
),
gd AS (
    SELECT win, CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region, kind, count(*) AS n
    FROM d
    GROUP BY GROUPING SETS ((win, region, kind), (win, kind))
),
req AS (
    SELECT r.region, k.kind,
           EXISTS (SELECT 1 FROM duty_documents x
                   WHERE x.region = r.region AND x.kind = k.kind
                     AND x.issued_on BETWEEN ($as_of - INTERVAL 364 DAY)::DATE AND $as_of) AS ok
    FROM (SELECT unnest(string_split($regions, ',')) AS region) r
    CROSS JOIN (SELECT unnest(string_split($yearly_documents, ',')) AS kind) k
),
gc AS (
    SELECT CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region,
           count(*) FILTER (WHERE ok) / count(*) AS value
    FROM req
    GROUP BY GROUPING SETS ((region), ())
)
SELECT 'duty_documents' AS indicator, region, 'all' AS sector, win, kind AS dim_value, n::DOUBLE AS value
FROM gd WHERE region IS NOT NULL
UNION ALL
SELECT 'duty_document_coverage', region, 'all', $state_window, '', value FROM gc
