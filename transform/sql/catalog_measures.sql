-- catalog_measures: the plan's register (measures.json of the root package) as the view
-- measures of the analysts' catalog: one row per measure, what the records show of it.
--
-- Parameters (template): .Measures, each with quoted literals built from the register
--   (the repository's own data, not input; a view cannot take bound values).
-- Output: the view measures(number INTEGER, measure, title, status, status_name, indicators
--   VARCHAR[], target_value DOUBLE, party, summary_zh, summary_en, explanation).
-- Measure: M66 (the committee office supervises the carrying-out of the plan), for
--   analysts; the Grafana board 实施方案落实情况 shows the same rows.
CREATE OR REPLACE VIEW measures AS
SELECT * FROM (VALUES
{{- range $i, $m := .Measures}}{{if $i}},{{end}}
    ({{$m.Number}}, {{$m.Code}}, {{$m.Title}}, {{$m.Status}}, {{$m.StatusName}}, {{$m.IDs}}, {{$m.Target}}, {{$m.Party}}, {{$m.Chinese}}, {{$m.English}}, {{$m.Explanation}})
{{- end}}
) AS t(number, measure, title, status, status_name, indicators, target_value, party, summary_zh, summary_en, explanation)
