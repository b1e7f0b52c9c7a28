package safetyrisk

// The closed value lists of the input tables (docs/architecture.md).

// RiskLevels are the enterprise risk levels of 安全风险分级管控 (M22, M24).
var RiskLevels = &Enum{Name: "risk_level", Label: "风险等级", Values: []EnumValue{
	{Code: "red", Name: "重大", Aliases: []string{"重大风险", "红", "红色"}},
	{Code: "orange", Name: "较大", Aliases: []string{"较大风险", "橙", "橙色"}},
	{Code: "yellow", Name: "一般", Aliases: []string{"一般风险", "黄", "黄色"}},
	{Code: "blue", Name: "低", Aliases: []string{"低风险", "蓝", "蓝色"}},
}}

// EnterpriseStatuses are an enterprise's operating states.
var EnterpriseStatuses = &Enum{Name: "status", Values: []EnumValue{
	{Code: "operating", Name: "正常经营", Aliases: []string{"在营", "正常", "生产"}},
	{Code: "suspended", Name: "停产停业", Aliases: []string{"停产", "停业", "停产整顿"}},
	{Code: "closed", Name: "关闭", Aliases: []string{"关停", "注销", "已关闭"}},
}}

// InspectionKinds are the ways an inspection is made (M27, M29, M47, M48).
var InspectionKinds = &Enum{Name: "kind", Label: "检查方式", Values: []EnumValue{
	{Code: "routine", Name: "日常", Aliases: []string{"日常检查"}},
	{Code: "double_random", Name: "双随机", Aliases: []string{"双随机一公开", "双随机检查"}},
	{Code: "special", Name: "专项", Aliases: []string{"专项检查"}},
	{Code: "covert", Name: "明察暗访"},
	{Code: "cross_region", Name: "交叉互查", Aliases: []string{"交叉检查"}},
	{Code: "self_check", Name: "企业自查", Aliases: []string{"自查"}},
	{Code: "complaint", Name: "举报核查"},
	{Code: "accident", Name: "事故调查"},
}}

// HazardLevels are the two levels of hidden hazards.
var HazardLevels = &Enum{Name: "level", Label: "隐患等级", Values: []EnumValue{
	{Code: "general", Name: "一般", Aliases: []string{"一般隐患", "一般事故隐患"}},
	{Code: "major", Name: "重大", Aliases: []string{"重大隐患", "重大事故隐患"}},
}}

// HazardStatuses is a hazard's life cycle: found, rectifying, rectified, verified (销号).
var HazardStatuses = &Enum{Name: "status", Values: []EnumValue{
	{Code: "open", Name: "未整改", Aliases: []string{"待整改"}},
	{Code: "rectifying", Name: "整改中"},
	{Code: "rectified", Name: "已整改", Aliases: []string{"整改完成"}},
	{Code: "verified", Name: "已销号", Aliases: []string{"销号"}},
}}

// HazardSources says who found a hazard.
var HazardSources = &Enum{Name: "source", Values: []EnumValue{
	{Code: "inspection", Name: "监督检查", Aliases: []string{"检查"}},
	{Code: "self_check", Name: "企业自查", Aliases: []string{"自查"}},
	{Code: "report", Name: "举报"},
}}

// AccidentTypes are the 20 classes of GB 6441-86.
var AccidentTypes = &Enum{Name: "accident_type", Values: []EnumValue{
	{Code: "struck_by_object", Name: "物体打击"},
	{Code: "vehicle", Name: "车辆伤害"},
	{Code: "machinery", Name: "机械伤害"},
	{Code: "lifting", Name: "起重伤害"},
	{Code: "electrocution", Name: "触电"},
	{Code: "drowning", Name: "淹溺"},
	{Code: "scald", Name: "灼烫"},
	{Code: "fire", Name: "火灾"},
	{Code: "fall_from_height", Name: "高处坠落"},
	{Code: "collapse", Name: "坍塌"},
	{Code: "roof_fall", Name: "冒顶片帮"},
	{Code: "water_inrush", Name: "透水"},
	{Code: "blasting", Name: "放炮"},
	{Code: "explosive", Name: "火药爆炸"},
	{Code: "gas_explosion", Name: "瓦斯爆炸"},
	{Code: "boiler_explosion", Name: "锅炉爆炸"},
	{Code: "vessel_explosion", Name: "容器爆炸"},
	{Code: "other_explosion", Name: "其它爆炸", Aliases: []string{"其他爆炸"}},
	{Code: "poisoning_asphyxia", Name: "中毒和窒息", Aliases: []string{"中毒窒息"}},
	{Code: "other", Name: "其它伤害", Aliases: []string{"其他伤害", "其他", "其它"}},
}}

// AccidentGrades are the four grades of State Council Decree 493 art. 3, least to worst.
var AccidentGrades = &Enum{Name: "grade", Label: "事故等级", Values: []EnumValue{
	{Code: "general", Name: "一般", Aliases: []string{"一般事故"}},
	{Code: "large", Name: "较大", Aliases: []string{"较大事故"}},
	{Code: "major", Name: "重大", Aliases: []string{"重大事故"}},
	{Code: "extraordinary", Name: "特别重大", Aliases: []string{"特别重大事故", "特大"}},
}}

// ReportingViolations are the findings on how an accident was reported (Decree 493 art. 35-36).
var ReportingViolations = &Enum{Name: "reporting_violation", Values: []EnumValue{
	{Code: "none", Name: "无", Aliases: []string{"正常", "否"}},
	{Code: "late", Name: "迟报"},
	{Code: "omitted", Name: "漏报"},
	{Code: "false", Name: "谎报"},
	{Code: "concealed", Name: "瞒报"},
}}

// EnforcementActions are the actions of the Work Safety Law (2021).
var EnforcementActions = &Enum{Name: "actions", Label: "处罚种类", Values: []EnumValue{
	{Code: "warning", Name: "警告"},
	{Code: "fine", Name: "罚款"},
	{Code: "confiscation", Name: "没收违法所得", Aliases: []string{"没收"}},
	{Code: "suspension", Name: "责令停产停业整顿", Aliases: []string{"停产停业整顿", "责令停产整顿"}},
	{Code: "closure", Name: "关闭", Aliases: []string{"予以关闭"}},
	{Code: "revocation", Name: "吊销证照", Aliases: []string{"吊销"}},
	{Code: "daily_penalty", Name: "按日连续处罚"}, // art. 112
	{Code: "detention", Name: "拘留", Aliases: []string{"行政拘留"}},
	{Code: "transfer", Name: "移送司法", Aliases: []string{"移送司法机关"}},
}}

// ReportChannels are how a whistleblower report arrived (M54, M55).
var ReportChannels = &Enum{Name: "channel", Label: "举报渠道", Values: []EnumValue{
	{Code: "hotline_12350", Name: "12350热线", Aliases: []string{"12350", "热线"}},
	{Code: "phone", Name: "电话"},
	{Code: "web", Name: "网络", Aliases: []string{"网站", "网上"}},
	{Code: "letter", Name: "信件", Aliases: []string{"来信"}},
	{Code: "visit", Name: "来访", Aliases: []string{"走访"}},
	{Code: "internal", Name: "内部吹哨", Aliases: []string{"吹哨人", "内部举报"}},
}}

// ReportSubjects are what a report is about (安监总财〔2018〕19号).
var ReportSubjects = &Enum{Name: "subject", Values: []EnumValue{
	{Code: "major_hazard", Name: "重大隐患", Aliases: []string{"重大事故隐患"}},
	{Code: "illegal_activity", Name: "非法违法行为", Aliases: []string{"违法行为"}},
	{Code: "concealed_accident", Name: "瞒报事故", Aliases: []string{"瞒报谎报事故"}},
	{Code: "other", Name: "其他", Aliases: []string{"其它"}},
}}

// GovernanceKinds are the records of leaders' and departments' duties (M2, M9, M13, M21, M28, M61).
var GovernanceKinds = &Enum{Name: "kind", Values: []EnumValue{
	{Code: "party_committee_meeting", Name: "党委常委会", Aliases: []string{"党委常委会会议"}},
	{Code: "government_meeting", Name: "政府常务会", Aliases: []string{"政府常务会议"}},
	{Code: "safety_committee_meeting", Name: "安委会会议", Aliases: []string{"安委会"}},
	{Code: "interview", Name: "约谈"},
	{Code: "listed_supervision", Name: "挂牌督办"},
	{Code: "supervision_tour", Name: "督导检查"},
	{Code: "escalated_investigation", Name: "提级调查"},
}}
