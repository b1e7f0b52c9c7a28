// Package safetyrisk holds the domain at the centre of the pipeline: the ten input
// tables (one definition each, which drives ingest, templates, the lake's schema and the
// analysts' catalog), the jurisdiction profile (regions and sectors), the rules of the
// work-safety regulations that more than one stage needs (accident grades, statutory
// fine ranges, the GB 32100 credit-code check) and the indicator catalogue that the
// queries compute, the exporter serves and the dashboards show.
//
// It reads and writes nothing; the stages (ingest, transform, queries, exporter,
// grafana) import it, never the other way round.
package safetyrisk
