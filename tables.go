package safetyrisk

// The input tables (docs/architecture.md). Each column is declared once, here; ingest,
// the templates, the lake's Parquet schema and the catalog's column comments all follow
// from it, so adding a column is one line.

type colOpt func(*Column)

func col(name, header string, kind Kind, doc string, opts ...colOpt) Column {
	c := Column{Name: name, Header: header, Kind: kind, Doc: doc}
	for _, o := range opts {
		o(&c)
	}
	return c
}

var (
	required  colOpt = func(c *Column) { c.Required = true }
	notFuture colOpt = func(c *Column) { c.NotFuture = true }
	nonNeg    colOpt = func(c *Column) { c.HasMin, c.Min = true, 0 }
	few       colOpt = func(c *Column) { c.Few = true }
)

func enum(e *Enum) colOpt { return func(c *Column) { c.Enum = e } }

// requiredWhen makes the column required in the rows where column holds code.
func requiredWhen(column, code string) colOpt {
	return func(c *Column) { c.RequiredWhen = &Condition{Column: column, Code: code} }
}

// byDefault is the code a blank or absent enum cell reads as (Column.Default).
func byDefault(code string) colOpt { return func(c *Column) { c.Default = code } }

func alias(headers ...string) colOpt {
	return func(c *Column) {
		for _, h := range headers {
			c.Aliases = append(c.Aliases, HeaderAlias{Header: h})
		}
	}
}

// assumedYuan accepts a money header that states no unit, read as yuan with a warning
// (issue 11 item 8: a 万元 figure typed under it would be off by 10,000).
func assumedYuan(h string) colOpt {
	return func(c *Column) {
		c.Aliases = append(c.Aliases, HeaderAlias{Header: h, Scale: 1, Assumed: "yuan (元)"})
	}
}

// scaled accepts header h with values multiplied by scale (万元 to yuan: 10000).
func scaled(h string, scale float64) colOpt {
	return func(c *Column) { c.Aliases = append(c.Aliases, HeaderAlias{Header: h, Scale: scale}) }
}

func between(lo, hi float64) colOpt {
	return func(c *Column) { c.HasMin, c.Min, c.HasMax, c.Max = true, lo, true, hi }
}

// Columns shared by several tables.
func regionCol() Column {
	return col("region", "所属旗区", KindRegion, "region (GB/T 2260 code of the banner or district)", required, alias("旗区", "地区", "行政区划", "所属地区", "区域"))
}
func sectorCol(opts ...colOpt) Column {
	return col("sector", "行业领域", KindSector, "sector code", append([]colOpt{alias("行业", "所属行业", "行业类别")}, opts...)...)
}
func enterpriseCol(opts ...colOpt) Column {
	return col("enterprise_id", "企业编号", KindString, "enterprise id (enterprises.enterprise_id)", append([]colOpt{alias("单位编号", "生产经营单位编号")}, opts...)...)
}

var (
	Enterprises = &Table{
		Name: "enterprises", Chinese: "生产经营单位", Doc: "production and business units under supervision",
		Key: []string{"enterprise_id"},
		Columns: []Column{
			enterpriseCol(required),
			col("name", "企业名称", KindString, "registered name", required, alias("单位名称", "生产经营单位名称")),
			col("credit_code", "统一社会信用代码", KindCreditCode, "unified social credit code (GB 32100)", alias("信用代码", "社会信用代码")),
			regionCol(),
			sectorCol(required),
			col("risk_level", "风险等级", KindEnum, "risk level: red, orange, yellow, blue (M24)", enum(RiskLevels), alias("安全风险等级")),
			col("employees", "从业人员数", KindInt, "employees", nonNeg, alias("从业人员", "职工人数", "从业人数")),
			col("dispatch_workers", "劳务派遣人数", KindInt, "dispatched (labour-agency) workers (M40)", nonNeg, alias("劳务派遣人员数")),
			col("flexible_workers", "灵活用工人数", KindInt, "flexible workers (M40)", nonNeg, alias("灵活用工人员数")),
			col("major_hazard_source", "重大危险源", KindBool, "has a major hazard installation", alias("是否重大危险源", "构成重大危险源")),
			col("liability_insurance", "安全生产责任保险", KindBool, "holds work-safety liability insurance", alias("安责险", "是否投保安责险")),
			col("state_owned", "国有企业", KindBool, "state-owned (M38, M42)", alias("是否国有企业", "国企")),
			col("blacklisted", "列入黑名单", KindBool, "on the serious-dishonesty blacklist for joint punishment (M36, M44)", alias("是否列入黑名单", "失信黑名单")),
			col("status", "经营状态", KindEnum, "operating, suspended or closed", enum(EnterpriseStatuses), alias("生产状态", "状态")),
		},
	}

	Inspections = &Table{
		Name: "inspections", Chinese: "检查记录", Doc: "inspections of enterprises by departments, and enterprises' self-checks",
		Key: []string{"inspection_id"}, TimeCol: "inspected_on",
		Curated: orphanOnly,
		Columns: []Column{
			col("inspection_id", "检查编号", KindString, "inspection id", required, alias("检查记录编号")),
			enterpriseCol(required),
			regionCol(),
			sectorCol(required),
			col("inspected_on", "检查日期", KindDate, "date of the inspection", required, notFuture, alias("检查时间")),
			col("department", "检查部门", KindString, "inspecting department", required, few, alias("检查单位")),
			col("kind", "检查方式", KindEnum, "how the inspection was made (M27, M29, M47, M48)", required, enum(InspectionKinds), alias("检查类型", "检查形式")),
			col("led_by_head", "主要负责人带队", KindBool, "led by the department's head (M13)", alias("负责人带队", "是否主要负责人带队")),
			col("inspectors", "检查人数", KindInt, "inspectors on the team", nonNeg, alias("检查人员数")),
			col("hazards_found", "发现隐患数", KindInt, "hidden hazards found", nonNeg, alias("发现隐患", "隐患数")),
			col("experts", "专家参与", KindBool, "experts took part (执法+专家, M47)", alias("是否专家参与", "专家参与检查")),
		},
	}

	Hazards = &Table{
		Name: "hazards", Chinese: "隐患", Doc: "hidden hazards and their rectification",
		Key: []string{"hazard_id"}, TimeCol: "found_on",
		Curated: hazardsCurated,
		Columns: []Column{
			col("hazard_id", "隐患编号", KindString, "hazard id", required),
			col("inspection_id", "检查编号", KindString, "inspection that found it (inspections.inspection_id)", alias("检查记录编号")),
			enterpriseCol(required),
			regionCol(),
			sectorCol(required),
			col("found_on", "发现日期", KindDate, "date found", required, notFuture, alias("发现时间", "排查日期")),
			col("level", "隐患等级", KindEnum, "general or major", required, enum(HazardLevels), alias("隐患级别")),
			col("category", "隐患类别", KindString, "category", few, alias("隐患类型")),
			col("description", "隐患描述", KindString, "description", alias("隐患内容")),
			col("deadline", "整改期限", KindDate, "rectification deadline", alias("整改时限", "整改期限日期")),
			col("rectified_on", "整改完成日期", KindDate, "date rectified", notFuture, alias("整改完成时间", "完成整改日期")),
			col("status", "整改状态", KindEnum, "open, rectifying, rectified, verified", required, enum(HazardStatuses)),
			col("five_implementations", "五落实", KindBool, "responsibility, measures, funds, time limit and plan in place (major hazards)", alias("是否五落实")),
			col("listed_supervision", "挂牌督办", KindBool, "under listed supervision (M28)", alias("是否挂牌督办")),
			col("in_ledger", "已列入隐患台账", KindBool, "in the enterprise's own hazard ledger (M31)", alias("列入台账", "是否列入台账")),
			col("source", "来源", KindEnum, "inspection, self_check or report", enum(HazardSources), alias("隐患来源")),
		},
		Order: []OrderRule{{Later: "rectified_on", Earlier: "found_on"}, {Later: "deadline", Earlier: "found_on"}},
	}

	Accidents = &Table{
		Name: "accidents", Chinese: "事故", Doc: "production safety accidents",
		Key: []string{"accident_id"}, TimeCol: "occurred_at",
		Curated: accidentsCurated,
		Columns: []Column{
			col("accident_id", "事故编号", KindString, "accident id", required),
			col("occurred_at", "发生时间", KindTime, "when it happened (Asia/Shanghai on input)", required, notFuture, alias("事故发生时间")),
			col("reported_at", "报告时间", KindTime, "when it was reported to the county department (Decree 493 art. 9)", notFuture, alias("上报时间", "接报时间")),
			regionCol(),
			sectorCol(required),
			enterpriseCol(),
			col("accident_type", "事故类别", KindEnum, "GB 6441-86 class", required, enum(AccidentTypes), alias("事故类型")),
			col("deaths", "死亡人数", KindInt, "deaths", required, nonNeg, alias("死亡")),
			col("missing", "失踪人数", KindInt, "missing persons (count with deaths)", nonNeg, alias("失踪")),
			col("serious_injuries", "重伤人数", KindInt, "serious injuries, acute industrial poisoning included", nonNeg, alias("重伤")),
			col("minor_injuries", "轻伤人数", KindInt, "minor injuries", nonNeg, alias("轻伤")),
			col("direct_loss", "直接经济损失(元)", KindFloat, "direct economic loss, yuan", nonNeg,
				assumedYuan("直接经济损失"), scaled("直接经济损失(万元)", 10000), scaled("直接经济损失万元", 10000)),
			col("stated_grade", "事故等级", KindEnum, "grade stated by the source (checked against Decree 493 art. 3)", enum(AccidentGrades), alias("事故级别")),
			col("reporting_violation", "报告违规", KindEnum, "none, late, omitted, false, concealed", enum(ReportingViolations), alias("迟报漏报谎报瞒报")),
			col("sensitive_period", "敏感时期", KindBool, "in a sensitive period (M21)", alias("是否敏感时期")),
			col("description", "事故简况", KindString, "summary", alias("事故概况")),
		},
		Order: []OrderRule{{Later: "reported_at", Earlier: "occurred_at"}},
		Derived: []DerivedColumn{{Name: "occurred_time_known", Kind: KindBool, From: "occurred_at", Derive: DeriveTimeKnown,
			Doc: "the source gave a time of day for occurred_at (false for a date alone; issue 11 item 3)"}},
	}

	Enforcement = &Table{
		Name: "enforcement", Chinese: "执法案件", Doc: "administrative enforcement cases",
		Key: []string{"case_id"}, TimeCol: "decided_on",
		Curated: enforcementCurated,
		Columns: []Column{
			col("case_id", "案件编号", KindString, "case id", required, alias("案号")),
			col("inspection_id", "检查编号", KindString, "inspection behind the case"),
			col("accident_id", "事故编号", KindString, "accident behind the case"),
			enterpriseCol(required),
			regionCol(),
			sectorCol(required),
			col("decided_on", "决定日期", KindDate, "date of the decision", required, notFuture, alias("处罚决定日期", "决定时间")),
			col("actions", "处罚种类", KindEnumSet, "actions taken, comma-separated codes", required, enum(EnforcementActions), alias("处罚类型", "处理措施")),
			col("fine", "罚款金额(元)", KindFloat, "fine, yuan", nonNeg, assumedYuan("罚款金额"), assumedYuan("罚款"), scaled("罚款金额(万元)", 10000)),
			col("legal_basis", "法律依据", KindString, "legal basis", few, alias("处罚依据")),
			col("recorded", "全过程记录", KindBool, "recorded in full (M49)", alias("执法全过程记录")),
			col("publicized", "执法公示", KindBool, "publicized (M49)", alias("是否公示")),
			col("legal_review", "法制审核", KindBool, "legally reviewed (M49)", alias("重大执法决定法制审核")),
			col("major_decision", "重大执法决定", KindBool, "a major enforcement decision (M49)", alias("是否重大执法决定")),
			col("transferred", "移送司法", KindBool, "transferred to the judiciary (M50)", alias("是否移送司法", "移送司法机关")),
			col("illegal_subcontracting", "违法分包转包", KindBool, "illegal subcontracting or subletting (M36-M38)", alias("违法分包")),
		},
	}

	Reports = &Table{
		Name: "reports", Chinese: "举报", Doc: "whistleblower reports; reporter identities are keyed hashes (M57)",
		Key: []string{"report_id"}, TimeCol: "received_on",
		Curated: orphanOnly,
		Columns: []Column{
			col("report_id", "举报编号", KindString, "report id", required),
			col("received_on", "受理日期", KindDate, "date accepted", required, notFuture, alias("受理时间", "举报日期")),
			col("channel", "举报渠道", KindEnum, "channel (M54, M55)", required, enum(ReportChannels), alias("举报方式")),
			regionCol(),
			sectorCol(),
			enterpriseCol(),
			col("subject", "举报事项", KindEnum, "major_hazard, illegal_activity, concealed_accident, other", required, enum(ReportSubjects), alias("举报类型", "举报内容类别")),
			col("verified_on", "核查完成日期", KindDate, "date the check was finished (60 days)", notFuture, alias("核查日期", "办结日期")),
			col("substantiated", "属实", KindBool, "substantiated", alias("是否属实", "核查属实")),
			col("reward", "奖励金额(元)", KindFloat, "reward, yuan (安监总财〔2018〕19号)", nonNeg, assumedYuan("奖励金额"), scaled("奖励金额(万元)", 10000)),
			col("reward_paid_on", "奖励兑现日期", KindDate, "date the reward was paid (M57)", notFuture, alias("兑现日期")),
			col("reporter_name", "举报人姓名", KindPII, "reporter's name, HMAC-SHA256 (M57)", alias("举报人")),
			col("reporter_phone", "举报人电话", KindPII, "reporter's phone, HMAC-SHA256 (M57)", alias("联系电话", "举报人联系电话")),
			col("reporter_id_number", "举报人身份证号", KindPII, "reporter's ID number, HMAC-SHA256 (M57)", alias("身份证号", "举报人身份证号码")),
		},
		Order: []OrderRule{{Later: "verified_on", Earlier: "received_on"}, {Later: "reward_paid_on", Earlier: "received_on"}},
	}

	RiskAssessments = &Table{
		Name: "risk_assessments", Chinese: "风险评估", Doc: "enterprises' risk assessments (M22)",
		Key: []string{"assessment_id"}, TimeCol: "assessed_on",
		Curated: orphanOnly,
		Columns: []Column{
			col("assessment_id", "评估编号", KindString, "assessment id", required),
			enterpriseCol(required),
			col("assessed_on", "评估日期", KindDate, "date assessed", required, notFuture, alias("评估时间")),
			col("risk_level", "风险等级", KindEnum, "risk level: red, orange, yellow, blue", required, enum(RiskLevels), alias("安全风险等级")),
			col("published", "已公示", KindBool, "result published (M22)", alias("是否公示")),
		},
	}

	Governance = &Table{
		Name: "governance", Chinese: "履职记录", Doc: "leaders' and departments' duty records (M2, M9, M13, M21)",
		Key: []string{"event_id"}, TimeCol: "held_on",
		Columns: []Column{
			col("event_id", "记录编号", KindString, "record id", required),
			regionCol(),
			sectorCol(),
			col("department", "单位", KindString, "body that held it", required, few, alias("部门", "责任单位")),
			col("held_on", "日期", KindDate, "date", required, notFuture, alias("召开日期", "时间")),
			col("kind", "类型", KindEnum, "meeting, interview, listed supervision, tour, escalated investigation", required, enum(GovernanceKinds), alias("记录类型", "会议类型")),
			col("subject", "事由", KindString, "subject", alias("主题", "内容")),
			col("accident_id", "事故编号", KindString, "accident an interview, listed supervision or escalated investigation follows up (M21, M61)", alias("关联事故编号")),
		},
	}

	Staff = &Table{
		Name: "staff", Chinese: "执法人员", Doc: "enforcement officers (M51)",
		Key: []string{"staff_id"},
		Columns: []Column{
			col("staff_id", "人员编号", KindString, "officer id", required, alias("执法证号")),
			regionCol(),
			col("department", "单位", KindString, "department", required, few, alias("所在单位", "部门")),
			col("qualified_education", "相关学历", KindBool, "emergency-management education (M51)", alias("具备相关学历")),
			col("qualified_certificate", "职业资格", KindBool, "professional qualification (M51)", alias("具备职业资格")),
			col("experience_years", "实践经验年限", KindInt, "years of practical experience", nonNeg, alias("工作年限")),
			col("active", "在职", KindBool, "in post", alias("是否在职")),
		},
	}

	RegionStats = &Table{
		Name: "region_stats", Chinese: "地区统计", Doc: "regional statistics, denominators of the rate indicators (M5)",
		Key: []string{"region", "year"},
		Columns: []Column{
			regionCol(),
			col("year", "年份", KindInt, "calendar year", required, between(1949, 2100), alias("年度")),
			col("gdp", "地区生产总值(亿元)", KindFloat, "GDP, 100 million yuan (亿元)", nonNeg, alias("地区生产总值", "GDP(亿元)", "gdp亿元")),
			col("industrial_workers", "工矿商贸从业人员", KindInt, "industrial, mining and trade workers", nonNeg, alias("工矿商贸从业人员数")),
			col("motor_vehicles", "机动车保有量", KindInt, "motor vehicles", nonNeg, alias("机动车数量")),
			col("coal_output", "原煤产量(万吨)", KindFloat, "raw coal output, 10 thousand tonnes (万吨)", nonNeg, alias("原煤产量", "煤炭产量(万吨)")),
		},
	}
)

// Tables returns the ten input tables in the order ingest and the templates list them.
func Tables() []*Table {
	return append([]*Table{Enterprises, Inspections, Hazards, Accidents, Enforcement, Reports, RiskAssessments, Governance, Staff, RegionStats}, measuresTables()...) // tables_measures.go
}
