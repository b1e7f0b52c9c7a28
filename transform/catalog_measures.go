package transform

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/safetyrisk/safetyrisk"
)

// The register of the plan's measures in the analysts' catalog: the view measures, and
// measure_values when a snapshot is there. buildCatalog calls execMeasures after the
// other views.

var measuresViews = map[string][2]string{
	"measures":              {"实施方案措施登记", "the plan's 66 measures and what the records show of each: indicator, partial, not yet measured, not from records (docs/measures.md)"},
	"measure_values":        {"措施指标数值", "indicator values of the newest snapshot for each measure of the register, with the measure's target"},
	"major_hazard_register": {"重大隐患在账清单", "open major hazards at the as-of date (the newest snapshot's, or today): age, days overdue, listed supervision, 五落实, stopped since the deadline (M24, M28)"},
}

// measuresColumns are the Chinese and English comments of the views' columns.
var measuresColumns = map[string][2]string{
	"number":          {"措施序号", "the measure's number in the plan, 1 to 66"},
	"measure":         {"措施编号", "M and the number, as the indicator catalogue writes it"},
	"title":           {"措施简称", "short Chinese title"},
	"status":          {"状态", "indicator, partial, pending (not yet measured: records exist) or not_from_records"},
	"status_name":     {"状态名称", "the status in Chinese"},
	"indicators":      {"指标", "catalogue indicator ids that measure it (indicator, partial)"},
	"target_value":    {"目标值", "the target of the measure's first indicator, when it is a number"},
	"party":           {"责任单位", "the responsible party named by the plan"},
	"summary_zh":      {"措施内容", "the measure, summarised in Chinese"},
	"summary_en":      {"措施内容(英文)", "the measure, summarised in English"},
	"explanation":     {"说明", "the rule and target, what is and is not measured, or why records cannot show it"},
	"indicator":       {"指标", "catalogue indicator id"},
	"first_indicator": {"首要指标", "true for the measure's first indicator, the one target_value applies to"},
	"region":          {"旗区", "region code, or the city's code for a city total"},
	"sector":          {"行业领域", "sector code, or all"},
	"window":          {"统计窗口", "month, quarter, ytd or 12m; as_of for a state (docs/rules.md)"},
	"dim_value":       {"分项", "value of the indicator's breakdown label, empty when none"},
	"as_of":           {"统计日", "the snapshot's as-of date"},
	"value":           {"数值", "the indicator's value"},
}

// hazardRegisterColumns are the comments of major_hazard_register's own columns (the
// others as in measuresColumns).
var hazardRegisterColumns = map[string][2]string{
	"status":                   {"整改状态", "open or rectifying"},
	"hazard_id":                {"隐患编号", "hazard id"},
	"enterprise_id":            {"企业编号", "enterprise id"},
	"enterprise_name":          {"企业名称", "enterprise name"},
	"found_on":                 {"发现日期", "date found"},
	"deadline":                 {"整改期限", "rectification deadline"},
	"age_days":                 {"在账天数", "days since found, at as_of"},
	"days_overdue":             {"逾期天数", "days past the deadline at as_of, empty when not overdue"},
	"listed_supervision":       {"挂牌督办", "under listed supervision (M28)"},
	"five_implementations":     {"五落实", "responsibility, measures, funds, time limit and plan in place"},
	"five_missing":             {"五落实不到位", "五落实 not in place, unknown, or no deadline"},
	"suspended_since_deadline": {"期限后责令停产", "a suspension or closure of the enterprise decided from the deadline to as_of (M28)"},
}

func columnDoc(view, column string) ([2]string, bool) {
	if view == "major_hazard_register" {
		if d, ok := hazardRegisterColumns[column]; ok {
			return d, true
		}
	}
	d, ok := measuresColumns[column]
	return d, ok
}

// measureRow is one measure with every field a quoted SQL literal.
type measureRow struct {
	Number                                                                             int
	Code, Title, Status, StatusName, IDs, Target, Party, Chinese, English, Explanation string
}

func measureRows() ([]measureRow, error) {
	ms, err := safetyrisk.Measures()
	if err != nil {
		return nil, err
	}
	var out []measureRow
	for _, m := range ms {
		ids := make([]string, len(m.IDs))
		for i, id := range m.IDs {
			ids[i] = sqlString(id)
		}
		target := "CAST(NULL AS DOUBLE)"
		if m.TargetValue != nil {
			target = fmt.Sprintf("CAST(%g AS DOUBLE)", *m.TargetValue)
		}
		out = append(out, measureRow{Number: m.Number, Code: sqlString(m.Code()), Title: sqlString(m.Short),
			Status: sqlString(m.Status), StatusName: sqlString(m.StatusChinese()),
			IDs: "CAST([" + strings.Join(ids, ", ") + "] AS VARCHAR[])", Target: target,
			Party: sqlString(m.Party), Chinese: sqlString(m.Chinese), English: sqlString(m.English),
			Explanation: sqlString(safetyrisk.MeasureExplanation(m))})
	}
	return out, nil
}

// execMeasures creates the view measures, and measure_values when the catalog has the
// view indicators (withIndicators), with their comments.
func execMeasures(ctx context.Context, tx *sql.Tx, q *queries, withIndicators bool) error {
	rows, err := measureRows()
	if err != nil {
		return err
	}
	run := func(name string, data any) error {
		s, err := q.render(name, data)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%s.sql: %w", name, err)
		}
		return nil
	}
	views := []string{"measures", "major_hazard_register"}
	if err := run("catalog_measures", struct{ Measures []measureRow }{rows}); err != nil {
		return err
	}
	asOf := "current_date"
	if withIndicators {
		asOf = "(SELECT max(as_of) FROM indicators)"
	}
	if ok, err := relationExists(ctx, tx, "hazards"); err != nil {
		return err
	} else if ok { // the curated views are there
		if err := run("catalog_major_hazards", struct{ AsOf string }{asOf}); err != nil {
			return err
		}
	} else {
		views = views[:1]
	}
	if withIndicators {
		if err := run("catalog_measure_values", nil); err != nil {
			return err
		}
		views = append(views, "measure_values")
	}
	all, err := viewsColumns(ctx, tx, views) // one query: each binds every view
	if err != nil {
		return err
	}
	for _, v := range views {
		d := measuresViews[v]
		if err := run("catalog_comment", struct{ View, Column, Text string }{v, "", sqlString(d[0] + " | " + d[1])}); err != nil {
			return err
		}
		for _, c := range all[v] {
			d, ok := columnDoc(v, c)
			if !ok {
				return fmt.Errorf("view %s: column %s has no comment", v, c)
			}
			if err := run("catalog_comment", struct{ View, Column, Text string }{v, c, sqlString(d[0] + " | " + d[1])}); err != nil {
				return err
			}
		}
	}
	return nil
}
