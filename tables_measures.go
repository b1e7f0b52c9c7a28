package safetyrisk

// Input tables added for the plan's register (measures.json): records the offices keep
// that the ten tables of tables.go do not hold. Tables() appends them.

var (
	// InspectionPlans is each department's annual supervision-inspection plan (M14, M46).
	InspectionPlans = &Table{
		Name: "inspection_plans", Chinese: "年度监督检查计划", Doc: "departments' annual supervision-inspection plans (M14, M46)",
		Key: []string{"plan_id"},
		Columns: []Column{
			col("plan_id", "计划编号", KindString, "plan id", required),
			regionCol(),
			col("department", "单位", KindString, "department whose plan it is (as inspections.department names it)", required, few, alias("部门", "检查部门", "责任单位")),
			sectorCol(),
			col("year", "年度", KindInt, "calendar year of the plan", required, between(1949, 2100), alias("计划年度", "年份")),
			col("planned", "计划检查次数", KindInt, "inspections planned for the year", required, nonNeg, alias("计划检查数", "计划次数")),
			col("key_enterprises", "重点检查企业数", KindInt, "enterprises named for priority inspection (M46)", nonNeg, alias("重点企业数")),
			col("issued_on", "印发日期", KindDate, "date the plan was issued", notFuture, alias("制定日期", "印发时间")),
		},
	}

	// Investigations is the close-out of each accident's investigation (M17, M18; Decree
	// 493 art. 29: the report within 60 days, extendable by 60).
	Investigations = &Table{
		Name: "investigations", Chinese: "事故调查处理", Doc: "accident investigations and their close-out: report, measures, accountability (M17, M18)",
		Key: []string{"accident_id"},
		Columns: []Column{
			col("accident_id", "事故编号", KindString, "the accident investigated (accidents.accident_id)", required),
			col("extended", "调查期限延长", KindBool, "the 60-day term was extended by up to 60 days (Decree 493 art. 29)", alias("是否延期", "延期")),
			col("report_approved_on", "调查报告批复日期", KindDate, "date the investigation report was approved", notFuture, alias("批复日期", "结案日期")),
			col("measures_due_on", "整改措施期限", KindDate, "deadline of the preventive measures the report ordered", alias("防范整改措施期限")),
			col("measures_done_on", "整改措施落实日期", KindDate, "date the measures were carried out and checked (四不放过, M18)", notFuture, alias("整改落实日期", "防范措施落实日期")),
			col("persons_held", "追责人数", KindInt, "persons held responsible", nonNeg, alias("责任追究人数")),
			col("leaders_held", "追究领导责任人数", KindInt, "party, government and supervisory leaders held responsible (M18)", nonNeg, alias("领导责任追究人数")),
		},
		Order: []OrderRule{{Later: "measures_done_on", Earlier: "report_approved_on"}},
	}

	// Notifications is the committee office's log of accident notifications received
	// from departments (M59): the first report of each accident (首报), its follow-ups
	// (续报) and the supplementary reports of changed casualties (补报, Decree 493 art.
	// 13; docs/rules.md), each with the casualties it states.
	Notifications = &Table{
		Name: "notifications", Chinese: "事故信息通报", Doc: "accident notifications received by the committee office from departments: first reports, follow-ups and supplementary reports of changed casualties, with the casualties each states (M59; Decree 493 art. 13)",
		Key: []string{"notification_id"}, // no TimeCol: a small log, one file (and no freshness check on an office that notified nothing)
		Columns: []Column{
			col("notification_id", "通报编号", KindString, "notification id", required),
			col("accident_id", "事故编号", KindString, "the accident notified (accidents.accident_id)", required),
			regionCol(),
			col("department", "通报部门", KindString, "department that notified", required, few, alias("部门", "报送单位")),
			col("notified_at", "通报时间", KindTime, "when the committee office received it (Asia/Shanghai on input)", required, notFuture, alias("报送时间", "接报时间")),
			col("kind", "报告类型", KindEnum, "initial (首报), follow_up (续报) or supplementary (补报 of changed casualties, Decree 493 art. 13); a blank cell, or a log without the column, reads as initial", enum(NotificationKinds), byDefault("initial"), alias("通报类型", "报送类型", "信息类型")),
			col("deaths", "死亡(含失踪)人数", KindInt, "deaths, missing persons included, as this notification states them; required in a 补报", nonNeg, requiredWhen("kind", "supplementary"), alias("死亡(失踪)人数", "死亡和失踪人数", "死亡(含下落不明)人数")),
			col("serious_injuries", "重伤人数", KindInt, "serious injuries (acute industrial poisoning included) as this notification states them; required in a 补报", nonNeg, requiredWhen("kind", "supplementary"), alias("重伤", "重伤(含急性工业中毒)人数")),
			col("changed_on", "伤亡变化日期", KindDate, "day the casualties changed, as a 补报 states it (a change after the 30-day or 7-day term owes no 补报, Decree 493 art. 13)", notFuture, alias("伤亡人数变化日期", "变化日期")),
		},
		Order: []OrderRule{{Later: "notified_at", Earlier: "changed_on"}},
	}
)

// NotificationKinds are the kinds of accident notification a committee office logs: the
// first report, its follow-ups, and the supplementary report of changed casualties
// (Decree 493 art. 12, 13).
var NotificationKinds = &Enum{Name: "kind", Values: []EnumValue{
	{Code: "initial", Name: "首报", Aliases: []string{"初报", "首次报告", "快报"}},
	{Code: "follow_up", Name: "续报", Aliases: []string{"续报告", "进展续报", "follow-up", "followup"}},
	{Code: "supplementary", Name: "补报", Aliases: []string{"补充报告", "伤亡补报", "补报告"}},
}}

func measuresTables() []*Table {
	return []*Table{InspectionPlans, Investigations, Notifications, DutyDocuments, LabourChecks, Projects}
}

// DocumentKinds are the duty documents an office files (M3, M8, M10, M11, M12).
var DocumentKinds = &Enum{Name: "kind", Label: "文件类型", Values: []EnumValue{
	{Code: "duty_list", Name: "安全生产职责清单", Aliases: []string{"职责清单"}},
	{Code: "task_list", Name: "年度任务清单", Aliases: []string{"安全生产年度任务清单"}},
	{Code: "annual_report", Name: "年度述职", Aliases: []string{"述职报告", "安全生产述职"}},
	{Code: "special_fund", Name: "安全生产专项资金", Aliases: []string{"专项资金预算"}},
	{Code: "power_list", Name: "权力和责任清单", Aliases: []string{"权责清单"}},
	{Code: "office_deputy", Name: "安委办专职副主任任命", Aliases: []string{"专职副主任任命"}},
}}

// YearlyDocuments are the kinds every region's government files each year (M3, M8, M10).
var YearlyDocuments = []string{"duty_list", "task_list", "annual_report", "special_fund"}

// DutyDocuments is the register of duty documents the committee office collects (M3,
// M8, M10, M11, M12): that a document exists and when it was issued, not what it says.
var DutyDocuments = &Table{
	Name: "duty_documents", Chinese: "履职文件", Doc: "duty documents filed by governments and departments: duty and task lists, annual reports, funds, power lists, appointments (M3, M8, M10, M11, M12)",
	Key: []string{"doc_id"},
	Columns: []Column{
		col("doc_id", "文件编号", KindString, "document id", required, alias("文号")),
		col("region", "所属旗区", KindRegion, "region of the issuing body; blank for the city", alias("旗区", "地区")),
		col("department", "单位", KindString, "issuing body", required, few, alias("发文单位", "部门")),
		col("kind", "文件类型", KindEnum, "duty_list, task_list, annual_report, special_fund, power_list, office_deputy", required, enum(DocumentKinds), alias("类型")),
		col("issued_on", "印发日期", KindDate, "date issued", required, notFuture, alias("发文日期", "日期")),
		col("published", "已公开", KindBool, "published to the public (M12)", alias("是否公开")),
		col("title", "标题", KindString, "title", alias("文件标题")),
	},
}

// LabourChecks are the departments' checks of enterprises' dispatched and flexible
// workers in hazardous posts (M39, M41).
var LabourChecks = &Table{
	Name: "labour_checks", Chinese: "用工检查", Doc: "checks of dispatched and flexible workers in hazardous posts: certificates, training, unified management (M39, M41)",
	Key:     []string{"check_id"},
	Curated: orphanOnly,
	Columns: []Column{
		col("check_id", "检查编号", KindString, "check id", required),
		enterpriseCol(required),
		regionCol(),
		sectorCol(required),
		col("checked_on", "检查日期", KindDate, "date of the check", required, notFuture, alias("检查时间")),
		col("department", "检查部门", KindString, "department that checked", required, few, alias("检查单位", "部门")),
		col("post_workers", "危险岗位派遣及灵活用工人数", KindInt, "dispatched and flexible workers found in hazardous posts", required, nonNeg, alias("危险岗位劳务派遣人数")),
		col("certified", "持证上岗人数", KindInt, "of them, holding the certificate the post requires (M41)", nonNeg, alias("持证人数")),
		col("trained", "经安全培训人数", KindInt, "of them, trained in safety (M41)", nonNeg, alias("培训人数")),
		col("managed_as_own", "纳入统一管理", KindBool, "the enterprise manages them as its own workers (M39)", alias("是否纳入统一管理")),
		col("rectification_ordered", "责令限期整改", KindBool, "a rectification within a time limit was ordered (M41)", alias("是否责令整改")),
	},
}

// ProjectKinds are the kinds of construction project (M35: new, rebuilt, expanded).
var ProjectKinds = &Enum{Name: "kind", Values: []EnumValue{
	{Code: "new", Name: "新建"},
	{Code: "rebuild", Name: "改建"},
	{Code: "expansion", Name: "扩建"},
}}

// Projects are the construction projects whose safety the offices review: risk assessment
// before approval (M32, M35), the start of works, and the check of chemical projects
// moving in (M34).
var Projects = &Table{
	Name: "projects", Chinese: "建设项目安全审查", Doc: "construction projects: risk assessment before approval, start of works, chemical projects' check (M32, M34, M35)",
	Key: []string{"project_id"},
	Columns: []Column{
		col("project_id", "项目编号", KindString, "project id", required),
		col("name", "项目名称", KindString, "project name", alias("名称")),
		regionCol(),
		sectorCol(required),
		col("kind", "建设性质", KindEnum, "new, rebuild or expansion", enum(ProjectKinds), alias("项目性质")),
		col("chemical_transfer", "化工转移承接项目", KindBool, "on the list of chemical projects moving in (M34)", alias("是否化工转移承接项目")),
		col("approved_on", "项目审批日期", KindDate, "date the project was approved", notFuture, alias("审批日期", "核准日期")),
		col("risk_assessed_on", "安全风险评估论证日期", KindDate, "date its safety risk was assessed (M32, M35)", notFuture, alias("安全评价日期", "风险评估日期")),
		col("started_on", "开工日期", KindDate, "date works started", notFuture, alias("开工时间")),
		col("checked_on", "集中排查日期", KindDate, "date of the check of a chemical project (M34)", notFuture, alias("排查日期")),
		col("compliant", "符合安全标准", KindBool, "found to meet the safety standards at the check", alias("是否达标")),
		col("stopped", "已停建整改", KindBool, "stopped or ordered to rectify after a failed check (M34)", alias("是否停建")),
	},
}
