package safetyrisk

// Indicators added for the plan's register (measures.json, docs/measures.md): measures
// whose records were already in the lake but unused. Catalogue() appends them.

// CommitteeActions are the committee office's supervision tools of M16 that the
// governance table records (a subset of GovernanceKinds).
var CommitteeActions = &Enum{Name: "kind", Label: "督办方式", Values: []EnumValue{
	{Code: "supervision_tour", Name: "督导检查"},
	{Code: "listed_supervision", Name: "挂牌督办"},
	{Code: "escalated_investigation", Name: "提级调查"},
	{Code: "interview", Name: "约谈"},
}}

// FollowupDuties are the follow-ups an accident can owe: an interview of the region's
// leaders after a large-or-worse accident or one in a sensitive period (M21), listed
// supervision of a concealed one (M61).
var FollowupDuties = &Enum{Name: "duty", Label: "后续措施", Values: []EnumValue{
	{Code: "interview", Name: "约谈"},
	{Code: "listed_supervision", Name: "挂牌督办"},
}}

// HazardAgeBands band an open major hazard's age in days since it was found.
var HazardAgeBands = &Enum{Name: "age", Label: "隐患存续时长", Values: []EnumValue{
	{Code: "d0_30", Name: "30天以内"},
	{Code: "d31_90", Name: "31-90天"},
	{Code: "d91_180", Name: "91-180天"},
	{Code: "d181_plus", Name: "180天以上"},
}}

// LabourAspects are what a labour check verifies of workers in hazardous posts (M41).
var LabourAspects = &Enum{Name: "aspect", Label: "检查事项", Values: []EnumValue{
	{Code: "certified", Name: "持证上岗"},
	{Code: "trained", Name: "安全培训"},
}}

// FollowupTermDays is how long after an accident its interview (M21) is due. The plan
// names no term; a month is this project's choice, and the dashboards say so.
const FollowupTermDays = 30

func measuresCatalogue() []Indicator {
	return []Indicator{
		{ID: "committee_actions", Metric: "safetyrisk_committee_actions", Name: "安委会督导约谈挂牌提级", Meaning: "统计窗口内各级安委会（办）开展督导检查、挂牌督办、提级调查、约谈的次数，按类型区分（M16）", Help: "Committee office actions recorded in the window (governance.kind): supervision tours, listed supervision, escalated investigations, interviews.", Unit: UnitCount, Dir: "-", Dim: "kind", DimEnum: CommitteeActions, Measures: "M16, M66"},
		{ID: "interview_followup_ratio", Metric: "safetyrisk_interview_followup_ratio", Name: "较大及敏感时期事故约谈率", Meaning: "较大及以上事故和敏感时期事故中，在事故发生后30日内约谈旗区党政主要负责人的比例；未满30日的事故不计（期限为本系统约定，方案未规定）", Help: "Share of large-or-worse accidents, and accidents in a sensitive period, of the window whose interview (约谈) of the region's leaders, linked by accident_id, was held within 30 days; accidents younger than 30 days are left out.", Unit: UnitRatio, Dir: "down", Measures: "M21", RareDenominator: true},
		{ID: "concealed_listed_ratio", Metric: "safetyrisk_concealed_listed_ratio", Name: "瞒报事故挂牌督办率", Meaning: "截至统计日已查实的瞒报事故（不论何时发生）中已由安委会挂牌督办的比例；方案要求一律挂牌督办（M61）；为存量", Help: "State at the as-of date: share of concealed accidents, whenever they happened, put under the committee's listed supervision (a governance record linked by accident_id) by the as-of date.", Unit: UnitRatio, Dir: "down", Measures: "M61", State: true, RareDenominator: true},
		{ID: "followups_missing", Metric: "safetyrisk_followups_missing", Name: "事故约谈督办未落实", Meaning: "截至统计日应落实而未落实的事故后续措施：较大及以上或敏感时期事故30日后仍未约谈，瞒报事故仍未挂牌督办；为存量，与统计窗口无关", Help: "State at the as-of date: accidents owing a follow-up that has not been recorded: an interview 30 days after a large-or-worse or sensitive-period accident (M21), listed supervision of a concealed one (M61).", Unit: UnitCount, Dir: "up", Dim: "duty", DimEnum: FollowupDuties, Measures: "M17, M21, M61", State: true, Alarm: true}, // M21, M61: every follow-up owed is done
		{ID: "illegal_subcontracting_cases", Metric: "safetyrisk_illegal_subcontracting_cases", Name: "违法分包转包案件", Meaning: "统计窗口内查处的转包、违法分包、挂靠资质案件数", Help: "Enforcement cases of the window for illegal subcontracting, subletting or borrowed qualifications.", Unit: UnitCount, Dir: "-", Measures: "M36, M37"},
		{ID: "subcontracting_accident_cases", Metric: "safetyrisk_subcontracting_accident_cases", Name: "事故涉违法分包转包案件", Meaning: "统计窗口内与生产安全事故关联的违法分包转包案件数，应追究资质方责任（M37）", Help: "Enforcement cases of the window for illegal subcontracting that follow an accident (accident_id given): the qualification holder answers for it (M37).", Unit: UnitCount, Dir: "up", Measures: "M37", Alarm: true},                                                                                    // M37
		{ID: "closure_candidates", Metric: "safetyrisk_closure_candidates", Name: "提请关闭对象(屡罚不改)", Meaning: "截至统计日，存在重大事故隐患、180日内受到3次或一年内受到4次行政处罚的企业数，依《安全生产法》第一百一十三条应提请关闭；为存量", Help: "State at the as-of date: enterprises penalised 3 times in the 180 days, or 4 times in the 365 days, ending on the as-of date while they had a major hazard open (Work Safety Law art. 113(1)): candidates for closure.", Unit: UnitCount, Dir: "up", Measures: "M44", State: true, Alarm: true}, // Work Safety Law art. 113(1), M44
		{ID: "max_penalty_share", Metric: "safetyrisk_max_penalty_ratio", Name: "事故罚款顶格处罚占比", Meaning: "统计窗口内对事故责任单位的罚款中达到《安全生产法》第一百一十四条该等级事故罚款上限的比例", Help: "Share of fines of the window for an accident (accident_id given) that reach the ceiling of the accident's grade (Work Safety Law art. 114: 1, 2, 10, 20 million yuan).", Unit: UnitRatio, Dir: "-", Measures: "M43, M44"},
		{ID: "liability_insurance_coverage", Metric: "safetyrisk_liability_insurance_coverage_ratio", Name: "高危行业安责险覆盖率", Meaning: "高危行业在营企业中投保安全生产责任保险的比例；未填报视为未投保；为存量", Help: "State: share of operating enterprises in hazardous sectors that hold work-safety liability insurance (unknown counts as not insured).", Unit: UnitRatio, Dir: "down", Measures: "M26", State: true},
		{ID: "risk_published_ratio", Metric: "safetyrisk_risk_assessment_published_ratio", Name: "年度风险评估结果公示率", Meaning: "在营企业中近12个月内安全风险评估结果已向社会公示的比例（M22：年度评估结果向社会公示）；为存量", Help: "State: share of operating enterprises with a published risk assessment in the 12 months ending on the as-of date.", Unit: UnitRatio, Dir: "down", Measures: "M22", State: true},
		{ID: "major_hazards_open", Metric: "safetyrisk_major_hazards_open", Name: "在账重大隐患", Meaning: "截至统计日尚未整改完成的重大隐患数（不论何时发现），按发现至今的天数分段；为存量", Help: "State at the as-of date: major hazards found and not rectified, whenever found, by age since found.", Unit: UnitCount, Dir: "up", Dim: "age", DimEnum: HazardAgeBands, Measures: "M24, M28", State: true},
		{ID: "major_hazards_five_missing", Metric: "safetyrisk_major_hazards_five_missing", Name: "五落实不到位重大隐患", Meaning: "截至统计日在账重大隐患中五落实（责任、措施、资金、时限、预案）不到位或未设整改期限的数量；为存量", Help: "State at the as-of date: open major hazards without 五落实 (responsibility, measures, funds, time limit, plan): flagged not in place, unknown, or without a deadline.", Unit: UnitCount, Dir: "up", Measures: "M24, M28", State: true, Alarm: true}, // M24, M28: 五落实
		{ID: "inspection_plan_progress", Metric: "safetyrisk_inspection_plan_progress_ratio", Name: "年度监督检查计划完成率", Meaning: "本年度各部门已开展的监督检查次数与年度监督检查计划之比，各部门超计划部分不抵补其他部门（M14）；为本年存量", Help: "State for the as-of date's year: departments' inspections that year up to the as-of date against their annual plans, each department counted up to its plan (inspection_plans).", Unit: UnitRatio, Dir: "down", Measures: "M14, M46", State: true},
		{ID: "departments_behind_plan", Metric: "safetyrisk_departments_behind_plan", Name: "检查计划进度滞后部门", Meaning: "本年度监督检查进度落后于按日历比例折算计划进度的部门数（M14）；为本年存量", Help: "State for the as-of date's year: departments whose inspections are behind a pro-rata share of their annual plan.", Unit: UnitCount, Dir: "up", Measures: "M14", State: true},
		{ID: "investigation_overdue", Metric: "safetyrisk_investigation_overdue", Name: "逾期未结案事故调查", Meaning: "截至统计日，事故发生已超过调查期限（60日，经批准延长的120日，《生产安全事故报告和调查处理条例》第二十九条）而调查报告尚未批复的事故数；为存量", Help: "State at the as-of date: accidents whose investigation report is not approved although the Decree 493 art. 29 term (60 days, 120 when extended) has passed.", Unit: UnitCount, Dir: "up", Measures: "M17, M18", State: true},
		{ID: "measures_closed_ratio", Metric: "safetyrisk_investigation_measures_closed_ratio", Name: "事故整改措施按期落实率", Meaning: "统计窗口内发生、调查报告规定的整改措施期限已到的事故中，按期落实整改措施的比例（四不放过，M18）", Help: "Share of accidents of the window whose investigation set a measures deadline now passed that carried the measures out by it (四不放过, M18).", Unit: UnitRatio, Dir: "down", Measures: "M18", RareDenominator: true},
		{ID: "notification_on_time_ratio", Metric: "safetyrisk_notification_on_time_ratio", Name: "部门事故信息及时通报率", Meaning: "统计窗口内各部门向安委办通报的事故信息中，在事故发生后2小时内通报的比例（M59；2小时参照第493号令第十条逐级上报时限，方案未规定）", Help: "Share of departments' accident notifications received in the window within 2 hours of the accident (M59; Decree 493 art. 10's step).", Unit: UnitRatio, Dir: "down", Measures: "M59", RareDenominator: true},
		// Decree 493 art. 13: a change of casualties within 30 days (7 for road traffic and fire) is reported again.
		{ID: "supplementary_reports_late", Metric: "safetyrisk_supplementary_reports_late", Name: "伤亡补报超时起数", Meaning: "统计窗口内收到的事故伤亡补报中，超过补报时限才报送的件数：事故伤亡人数自事故发生之日起30日内发生变化的应及时补报，道路交通、火灾事故为7日（第493号令第十三条）；变化发生在时限之后的补报不计", Help: "Supplementary reports (补报) received in the window after their accident's term (Decree 493 art. 13: 30 days, 7 for road traffic and fire), leaving out changes that came after the term.", Unit: UnitCount, Dir: "up", Measures: "M59", Alarm: true},
		{ID: "casualty_changes_unreported", Metric: "safetyrisk_casualty_changes_unreported", Name: "伤亡变化未补报事故数", Meaning: "截至统计日，首报的伤亡人数与最终核定人数不一致、补报时限（30日，道路交通、火灾事故7日，第493号令第十三条）已过、却从未收到补报的事故数，不论何时发生；首报未报伤亡人数的事故无法判断，不计", Help: "State: accidents whose first-reported casualties differ from the final ones, whose Decree 493 art. 13 term has ended and for which no supplementary report (补报) was received by the as-of date.", Unit: UnitCount, Dir: "up", Measures: "M59", State: true, Alarm: true},
		{ID: "duty_documents", Metric: "safetyrisk_duty_documents", Name: "履职文件", Meaning: "统计窗口内印发的履职文件数，按类型区分：职责清单、年度任务清单、年度述职、安全生产专项资金、权力和责任清单、安委办专职副主任任命；只反映文件是否存在，不反映内容", Help: "Duty documents issued in the window (duty_documents), by kind: duty lists, task lists, annual reports, special funds, power lists, appointments; that they exist, not what they say.", Unit: UnitCount, Dir: "-", Dim: "kind", DimEnum: DocumentKinds, Measures: "M3, M8, M10, M11, M12"},
		{ID: "duty_document_coverage", Metric: "safetyrisk_duty_document_coverage_ratio", Name: "年度履职文件齐全率", Meaning: "各旗区政府每年应有的四类履职文件（职责清单、年度任务清单、年度述职、安全生产专项资金）在近365日内已印发的比例；为存量", Help: "State: share of the yearly documents each region's government files (duty list, task list, annual report, special fund) issued in the 365 days to the as-of date.", Unit: UnitRatio, Dir: "down", Measures: "M3, M8, M10", State: true},
		{ID: "dispatched_qualified_ratio", Metric: "safetyrisk_dispatched_qualified_ratio", Name: "危险岗位派遣人员持证培训率", Meaning: "统计窗口内用工检查发现的危险岗位劳务派遣和灵活用工人员中持证上岗、经过安全培训的比例（M41）", Help: "Of the dispatched and flexible workers found in hazardous posts by labour checks of the window, the share certified and the share trained in safety.", Unit: UnitRatio, Dir: "down", Dim: "aspect", DimEnum: LabourAspects, Measures: "M41"},
		{ID: "dispatch_unified_ratio", Metric: "safetyrisk_dispatch_unified_ratio", Name: "派遣及灵活用工纳入统一管理率", Meaning: "统计窗口内用工检查中，企业已将劳务派遣和灵活用工人员纳入本单位统一管理的比例（M39）", Help: "Share of labour checks of the window finding the enterprise manages its dispatched and flexible workers as its own.", Unit: UnitRatio, Dir: "down", Measures: "M39, M41"},
		{ID: "soe_flexible_share", Metric: "safetyrisk_soe_flexible_worker_ratio", Name: "高危行业国企灵活用工占比", Meaning: "高危行业在营国有企业从业人员中灵活用工人员的比例（M42：国有企业带头减少）；为存量", Help: "State: flexible workers as a share of all workers of operating state-owned enterprises in hazardous sectors.", Unit: UnitRatio, Dir: "up", Measures: "M42", State: true},
		{ID: "soe_subcontracting_cases", Metric: "safetyrisk_soe_subcontracting_cases", Name: "国有企业违法分包转包案件", Meaning: "统计窗口内查处的国有企业违法分包转包案件数（M38）", Help: "Enforcement cases of the window for illegal subcontracting by state-owned enterprises.", Unit: UnitCount, Dir: "up", Measures: "M38"},
		{ID: "projects_assessed_ratio", Metric: "safetyrisk_projects_assessed_ratio", Name: "项目审批前安全风险评估率", Meaning: "统计窗口内审批的建设项目中，审批前已开展安全风险评估论证的比例（M32、M35）", Help: "Share of construction projects approved in the window whose safety risk was assessed on or before the approval (projects).", Unit: UnitRatio, Dir: "down", Measures: "M32, M35"},
		{ID: "projects_started_unapproved", Metric: "safetyrisk_projects_started_unapproved", Name: "未批先建项目", Meaning: "统计窗口内开工、但开工时尚未审批的建设项目数（M32：严禁边审批、边设计、边施工）", Help: "Construction projects whose works started in the window before they were approved.", Unit: UnitCount, Dir: "up", Measures: "M32"},
		{ID: "chemical_substandard_running", Metric: "safetyrisk_chemical_substandard_running", Name: "不达标未停建化工项目", Meaning: "截至统计日，化工产业转移承接项目中经集中排查不符合安全标准、却未停建或整改的项目数（M34）；为存量", Help: "State: chemical projects moving in, found below the safety standards at their check, neither stopped nor ordered to rectify.", Unit: UnitCount, Dir: "up", Measures: "M34", State: true},
		{ID: "expert_inspection_share", Metric: "safetyrisk_expert_inspection_ratio", Name: "执法+专家检查占比", Meaning: "统计窗口内执法检查中有专家参与（执法+专家）的比例（M47）", Help: "Share of official inspections of the window with experts taking part (执法+专家).", Unit: UnitRatio, Dir: "down", Measures: "M47"},
		{ID: "blacklisted_enterprises", Metric: "safetyrisk_blacklisted_enterprises", Name: "列入失信黑名单企业", Meaning: "列入安全生产严重违法失信黑名单、实行联合惩戒的企业数（M36、M44）；为存量", Help: "State: enterprises on the serious-dishonesty blacklist for joint punishment.", Unit: UnitCount, Dir: "-", Measures: "M36, M44", State: true},
		{ID: "overdue_major_unsuspended", Metric: "safetyrisk_overdue_major_unsuspended", Name: "逾期重大隐患未责令停产", Meaning: "截至统计日已超过整改期限的在账重大隐患中，其企业自期限届满后未被责令停产停业整顿或关闭的数量（M28：拒不整改的责令停产停工）；为存量", Help: "State at the as-of date: open major hazards past their deadline whose enterprise has no suspension or closure decided since the deadline (M28: refusing units are shut down).", Unit: UnitCount, Dir: "up", Measures: "M28", State: true, Alarm: true}, // M28: refusing units are shut down
	}
}
