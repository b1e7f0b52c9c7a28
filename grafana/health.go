package grafana

// HealthMetric is one of the pipeline's self-metrics served by the exporter beside the
// indicator gauges. The list is the one place the dashboards, the alert rules' tests and
// the metric-name check take these names from.
type HealthMetric struct {
	Name   string   // the metric name
	Labels []string // labels beyond the target's own
	Help   string
}

// Pipeline health metric names, as used by the 数据管道运行 dashboard and the alert rules.
// They follow the exporter (exporter/health.go) as of this writing; the brief's
// safetyrisk_ingest_rows_* and safetyrisk_check_results are served there as
// safetyrisk_pipeline_rows_* and safetyrisk_data_quality_checks.
const (
	MetricLastRunStart    = "safetyrisk_pipeline_last_run_start_timestamp_seconds"
	MetricLastSuccess     = "safetyrisk_pipeline_last_success_timestamp_seconds"
	MetricLastRunSuccess  = "safetyrisk_pipeline_last_run_success"
	MetricStageDuration   = "safetyrisk_pipeline_stage_duration_seconds"
	MetricRunDuration     = "safetyrisk_pipeline_last_run_duration_seconds"
	MetricRowsRead        = "safetyrisk_pipeline_rows_read"
	MetricRowsAccepted    = "safetyrisk_pipeline_rows_accepted"
	MetricRowsQuarantined = "safetyrisk_pipeline_rows_quarantined"
	MetricLastIngest      = "safetyrisk_pipeline_last_ingest_timestamp_seconds"
	MetricCheckResults    = "safetyrisk_data_quality_checks"
	MetricSnapshotAsOf    = "safetyrisk_snapshot_as_of_timestamp_seconds"
	MetricSnapshotAge     = "safetyrisk_snapshot_age_seconds"
	MetricBuildInfo       = "safetyrisk_build_info"
	MetricUp              = "safetyrisk_up"
)

// HealthMetrics lists the pipeline's self-metrics.
func HealthMetrics() []HealthMetric {
	return []HealthMetric{
		{MetricLastRunStart, nil, "Unix time the last pipeline run started."},
		{MetricLastSuccess, nil, "Unix time of the last successful pipeline run."},
		{MetricLastRunSuccess, nil, "1 if the last pipeline run succeeded, else 0."},
		{MetricRunDuration, nil, "Wall time of the last pipeline run, seconds."},
		{MetricStageDuration, []string{"stage"}, "Duration of each stage of the last run, seconds."},
		{MetricRowsRead, []string{"table"}, "Rows read from source files, by table."},
		{MetricRowsAccepted, []string{"table"}, "Rows accepted into the raw lake, by table."},
		{MetricRowsQuarantined, []string{"table"}, "Rows quarantined, by table."},
		{MetricLastIngest, []string{"table"}, "Time of the newest ingest batch, by table."},
		{MetricCheckResults, []string{"status"}, "Data-quality checks of the last transform, by status (pass, warn, fail, unknown)."},
		{MetricSnapshotAge, nil, "Age of the served indicator snapshot, seconds."},
		{MetricSnapshotAsOf, nil, "As-of date of the served snapshot, seconds since the epoch."},
		{MetricBuildInfo, []string{"version"}, "Build information, value 1."},
		{MetricUp, nil, "1 if the exporter serves a snapshot, else 0."},
		{MetricMeasureStatus, []string{"measure", "number", "title", "status", "status_name"}, "The plan's register: 1 indicator, 2 partial, 3 not yet measured, 4 not from records (measures_board.go)."},
	}
}
