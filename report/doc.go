// Package report writes the monthly briefing 安全生产形势分析: a self-contained Chinese
// HTML page, printable on A4, with the month's and the year's accidents against the same
// period last year, regions and sectors ranked by the risk index, hidden hazards,
// enforcement, reports and rewards, duties, a rule-based list of problems and notes on
// the data.
//
// Every figure comes from the indicator snapshot the metrics are served from (read with
// lake.ReadSnapshot), so the report and the dashboards agree by construction; the
// same period last year is computed with the same SQL (queries.Compute). What a snapshot
// does not hold (the oldest overdue major hazards, the month chart, the month-end trend of
// overdue major hazards) is read from the curated lake with DuckDB in memory (sql/*.sql);
// nothing is written to the lake. The words are templates (templates/*.tmpl); the charts
// are gonum/plot SVG inlined in the page: no script, no request to any address.
//
//	r, err := report.Build(ctx, report.Options{Lake: "lake"})
//	err = r.WriteFile("report.html")
//	err = report.PrintPDF(ctx, chromium, "report.html", "report.pdf")
package report
