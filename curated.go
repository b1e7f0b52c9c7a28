package safetyrisk

// The columns transform adds to a curated table, after the table's own (Table.Curated).
// They are declared here once: the catalog's comments, the queries' empty views and the
// tests of the curated files take them from the table definition. The SQL files of
// transform compute them (docs/architecture.md, Curated); a transform test checks that
// the files it writes have exactly the columns of Table.CuratedColumns.

// orphanCol flags a record whose enterprise_id is not in enterprises.
var orphanCol = curatedCol("orphan", "企业不存在", KindBool, "enterprise_id not found in enterprises (kept, reported by the relationships check)")

// orphanOnly is the curated extra of a table that refers to enterprises and has no
// other derived column.
var orphanOnly = []Column{orphanCol}

var accidentsCurated = []Column{
	curatedCol("deaths_incl_missing", "死亡(含失踪)人数", KindInt, "deaths plus missing persons (Decree 493 art. 3)"),
	// ingest's derived column (Accidents.Derived), carried to curated at this place
	curatedCol("occurred_time_known", "发生时刻已知", KindBool, "false when the occurrence was given as a date without a time: left out of the late-report ratio (Decree 493 art. 9, docs/rules.md)"),
	curatedCol("grade", "事故等级(计算)", KindEnum, "accident grade computed by Decree 493 art. 3: general, large, major, extraordinary"),
	curatedCol("grade_mismatch", "事故等级不符", KindBool, "stated_grade given and different from the computed grade"),
	curatedCol("report_delay_minutes", "报告延迟(分钟)", KindFloat, "reported_at minus occurred_at, minutes"),
	curatedCol("late_report", "迟报", KindBool, "reported more than 60 minutes after it happened (Decree 493 art. 9, M58)"),
	orphanCol,
	curatedCol("implausible_loss", "损失金额存疑", KindBool, "a fatal accident with a direct loss under 1,000 yuan: most likely 万元 read as yuan"),
}

var hazardsCurated = []Column{
	curatedCol("overdue", "逾期未整改", KindBool, "not rectified or verified and past its deadline as of the transform (M24)"),
	curatedCol("days_to_rectify", "整改用时(天)", KindInt, "rectified_on minus found_on, days"),
	curatedCol("rectified_on_time", "按期整改", KindBool, "rectified on or before the deadline (M27)"),
	orphanCol,
	curatedCol("orphan_inspection", "检查记录不存在", KindBool, "inspection_id given and not found in inspections"),
}

var enforcementCurated = []Column{
	curatedCol("accident_grade", "关联事故等级", KindEnum, "Decree 493 art. 3 grade of the case's accident"),
	curatedCol("fine_out_of_range", "罚款超出法定幅度", KindBool, "fine below the minimum or above five times the maximum of Work Safety Law art. 114 for the accident's grade"),
	orphanCol,
	curatedCol("orphan_accident", "事故不存在", KindBool, "accident_id given and not found in accidents"),
}

// LineageColumns end every curated table: where each record comes from.
func LineageColumns() []Column {
	return []Column{
		curatedCol("_batch_id", "批次", KindString, "raw batch the record comes from (the newest batch wins)"),
		curatedCol("_source_row", "源文件行号", KindInt, "row in the source file, 1-based, header rows counted"),
	}
}

// YearColumn is the year partition of a table with a time column, read from the
// folder names (year=YYYY) of its curated files.
func YearColumn() Column {
	return curatedCol("year", "年份分区", KindInt, "year partition of the table's time column, local time")
}

func curatedCol(name, header string, k Kind, doc string) Column {
	return Column{Name: name, Header: header, Kind: k, Doc: doc}
}

// CuratedColumns returns the columns of the table's curated files, in order: its own
// columns, the ones transform adds (Curated), then the lineage columns. The year
// partition is not among them (it is in the folder names).
func (t *Table) CuratedColumns() []Column {
	cols := append([]Column{}, t.Columns...)
	cols = append(cols, t.Curated...)
	return append(cols, LineageColumns()...)
}

// CuratedColumn returns a column of the table's curated files (or its year partition)
// by name, or nil.
func (t *Table) CuratedColumn(name string) *Column {
	for _, c := range t.CuratedColumns() {
		if c.Name == name {
			return &c
		}
	}
	if y := YearColumn(); t.TimeCol != "" && name == y.Name {
		return &y
	}
	return nil
}
