package exporter

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/safetyrisk/safetyrisk"
)

// MetricMeasureStatus is the register of the plan's measures (safetyrisk.Measures) as a
// gauge: one series per measure, valued by its status, so that the implementation board
// (实施方案落实情况) lists them and a count by status over time shows the register's
// progress from release to release. It comes from the binary, not from the lake.
const MetricMeasureStatus = "safetyrisk_measure_status"

const measureStatusHelp = "The plan's measures and what the records show of each: 1 indicator, 2 partial, 3 not yet measured (records exist), 4 not from records; labels name the measure (number zero-padded for sorting), its short Chinese title and its status."

var measureStatusLabels = []string{"measure", "number", "title", "status", "status_name"}

// MeasureStatusValue codes a status as the gauge's value: 1 indicator, 2 partial, 3 not
// yet measured, 4 not from records.
func MeasureStatusValue(status string) float64 {
	for i, s := range safetyrisk.MeasureStatuses {
		if s.Code == status {
			return float64(i + 1)
		}
	}
	return 0
}

// measuresCollector serves the register; its metrics are built once.
type measuresCollector struct {
	desc    *prometheus.Desc
	metrics []prometheus.Metric
}

func newMeasuresCollector() (*measuresCollector, error) {
	ms, err := safetyrisk.Measures()
	if err != nil {
		return nil, fmt.Errorf("measures: %w", err)
	}
	c := &measuresCollector{desc: prometheus.NewDesc(MetricMeasureStatus, measureStatusHelp, measureStatusLabels, nil)}
	for _, m := range ms {
		mt, err := prometheus.NewConstMetric(c.desc, prometheus.GaugeValue, MeasureStatusValue(m.Status),
			m.Code(), fmt.Sprintf("%02d", m.Number), m.Short, m.Status, m.StatusChinese())
		if err != nil {
			return nil, fmt.Errorf("measures: %s: %w", m.Code(), err)
		}
		c.metrics = append(c.metrics, mt)
	}
	return c, nil
}

func (c *measuresCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *measuresCollector) Collect(ch chan<- prometheus.Metric) {
	for _, m := range c.metrics {
		ch <- m
	}
}
