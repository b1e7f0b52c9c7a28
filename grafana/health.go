package grafana

import "github.com/safetyrisk/safetyrisk/exporter"

// HealthMetric is one of the pipeline's self-metrics served by the exporter beside the
// indicator gauges.
type HealthMetric = exporter.HealthMetric

// Pipeline health metric names, as used by the 数据管道运行 dashboard and the alert
// rules: the exporter's own declarations, so that the dashboards are tested against
// what is served, never against a copy.
const (
	MetricLastRunStart    = exporter.MetricLastRunStart
	MetricLastSuccess     = exporter.MetricLastSuccess
	MetricLastRunSuccess  = exporter.MetricLastRunSuccess
	MetricStageDuration   = exporter.MetricStageDuration
	MetricRunDuration     = exporter.MetricRunDuration
	MetricRowsRead        = exporter.MetricRowsRead
	MetricRowsAccepted    = exporter.MetricRowsAccepted
	MetricRowsQuarantined = exporter.MetricRowsQuarantined
	MetricLastIngest      = exporter.MetricLastIngest
	MetricCheckResults    = exporter.MetricCheckResults
	MetricSnapshotAsOf    = exporter.MetricSnapshotAsOf
	MetricSnapshotAge     = exporter.MetricSnapshotAge
	MetricBuildInfo       = exporter.MetricBuildInfo
	MetricUp              = exporter.MetricUp
)

// HealthMetrics lists the exporter's self-metrics, from the exporter: the one place the
// dashboards, the alert rules' tests and the metric-name check take these names from.
func HealthMetrics() []HealthMetric { return exporter.HealthMetrics() }
