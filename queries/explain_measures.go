package queries

// Record sources of the measures-register indicators (measures_*.sql), for explain: the
// records each counts, or a ratio's denominator candidates. Keep the predicates in step
// with the SQL files.

// artPenalty is a penalty of Work Safety Law art. 113(1): decided in the 365 days to as_of,
// an administrative penalty, while the enterprise had a major hazard open.
const artPenalty = "x.decided_on BETWEEN $as_of - INTERVAL 364 DAY AND $as_of AND len(list_intersect(string_split(x.actions, ','), " +
	"['warning', 'fine', 'confiscation', 'suspension', 'closure', 'revocation', 'daily_penalty'])) > 0 " +
	"AND EXISTS (SELECT 1 FROM hazards h WHERE h.enterprise_id = x.enterprise_id AND h.level = 'major' AND h.found_on <= x.decided_on " +
	"AND (h.rectified_on > x.decided_on OR (h.rectified_on IS NULL AND h.status IN ('open', 'rectifying'))))"

var (
	srcGovernanceLinked = source{"governance", "held_on", "event_id, region, sector, department, held_on, kind, accident_id, subject", "", "", ""}
	srcEnforcementSub   = source{"enforcement", "decided_on",
		"case_id, inspection_id, accident_id, enterprise_id, region, sector, decided_on, actions, fine, illegal_subcontracting", "", "", ""}
	srcEnterprisesInsured = source{"enterprises", "",
		"enterprise_id, name, region, sector, status, liability_insurance", "", "", ""}
	// open major hazards as of as_of (measures_major_hazards.sql)
	openMajor = "level = 'major' AND found_on <= $as_of AND (rectified_on > $as_of OR (rectified_on IS NULL AND status IN ('open', 'rectifying')))"
	// with their ages in days, the oldest overdue first (as srcHazardStates)
	srcMajor = source{"hazards", "",
		"hazard_id, enterprise_id, region, sector, found_on, deadline, status, five_implementations, listed_supervision, " +
			"date_diff('day', found_on, $as_of) AS days_open, " +
			"CASE WHEN deadline < $as_of THEN date_diff('day', deadline, $as_of) END AS days_overdue",
		"", "", "days_overdue DESC NULLS LAST, days_open DESC, hazard_id"}
)

var measureSources = map[string]source{
	"committee_actions":        srcGovernanceLinked.with("kind IN ('supervision_tour', 'listed_supervision', 'escalated_investigation', 'interview')", "kind"),
	"interview_followup_ratio": srcAccidents.with("(grade IN ('large', 'major', 'extraordinary') OR coalesce(sensitive_period, false)) AND CAST(occurred_at AS DATE) + INTERVAL 30 DAY <= $as_of", ""),
	// states (no window): every record up to as_of
	"concealed_listed_ratio": source{srcAccidents.from, "", srcAccidents.columns, "reporting_violation = 'concealed' AND CAST(occurred_at AS DATE) <= $as_of", "", ""},
	"followups_missing": source{srcAccidents.from, "", srcAccidents.columns,
		"CAST(occurred_at AS DATE) <= $as_of AND (" +
			"((grade IN ('large', 'major', 'extraordinary') OR coalesce(sensitive_period, false)) AND CAST(occurred_at AS DATE) + INTERVAL 30 DAY <= $as_of " +
			"AND accident_id NOT IN (SELECT accident_id FROM governance WHERE kind = 'interview' AND accident_id IS NOT NULL AND held_on <= $as_of)) " +
			"OR (reporting_violation = 'concealed' AND accident_id NOT IN (SELECT accident_id FROM governance WHERE kind = 'listed_supervision' AND accident_id IS NOT NULL AND held_on <= $as_of)))", "", ""},
	"illegal_subcontracting_cases":  srcEnforcementSub.with("illegal_subcontracting", ""),
	"subcontracting_accident_cases": srcEnforcementSub.with("illegal_subcontracting AND accident_id IS NOT NULL", ""),
	"max_penalty_share":             srcEnforcementSub.with("fine > 0 AND accident_id IN (SELECT accident_id FROM accidents WHERE grade IS NOT NULL)", ""),
	// the penalties that make each candidate (measures_enforcement.sql)
	"closure_candidates": source{"(SELECT * FROM enforcement x WHERE " + artPenalty + ")", "", srcEnforcementSub.columns,
		"enterprise_id IN (SELECT enterprise_id FROM enforcement x WHERE " + artPenalty + " GROUP BY enterprise_id " +
			"HAVING count(*) FILTER (WHERE decided_on >= $as_of - INTERVAL 179 DAY) >= 3 OR count(*) >= 4)", "", ""},
	"liability_insurance_coverage": srcEnterprisesInsured.with("status = 'operating' AND list_contains(string_split($hazardous, ','), sector)", ""),
	"risk_published_ratio": source{srcAssessments.from, "", srcAssessments.columns,
		"published AND assessed_on BETWEEN $as_of - INTERVAL 364 DAY AND $as_of", "", ""},
	"major_hazards_open":         srcMajor.with(openMajor, ""),
	"major_hazards_five_missing": srcMajor.with(openMajor+" AND (NOT coalesce(five_implementations, false) OR deadline IS NULL)", ""),
	"overdue_major_unsuspended":  srcMajor.with(openMajor+" AND deadline < $as_of", ""),
	"inspection_plan_progress":   srcPlans,
	"departments_behind_plan":    srcPlans,
	"investigation_overdue": source{srcInvestigations.from, "", srcInvestigations.columns,
		"CAST(occurred_at AS DATE) <= $as_of AND (report_approved_on IS NULL OR report_approved_on > $as_of) " +
			"AND CAST(occurred_at AS DATE) + INTERVAL (CASE WHEN coalesce(extended, false) THEN 120 ELSE 60 END) DAY < $as_of", "", ""},
	"measures_closed_ratio":        srcInvestigations.with("report_approved_on <= $as_of AND measures_due_on <= $as_of", ""),
	"notification_on_time_ratio":   srcNotifications,
	"duty_documents":               srcDocuments.with("", "kind"),
	"expert_inspection_share":      srcInspections.with(notSelf, ""),
	"blacklisted_enterprises":      source{"enterprises", "", "enterprise_id, name, region, sector, status, blacklisted", "blacklisted", "", ""},
	"projects_assessed_ratio":      srcProjects,
	"projects_started_unapproved":  source{srcProjects.from, "started_on", srcProjects.columns, "approved_on IS NULL OR approved_on > started_on", "", ""},
	"chemical_substandard_running": source{srcProjects.from, "", srcProjects.columns, "chemical_transfer AND checked_on <= $as_of AND compliant = false AND NOT coalesce(stopped, false)", "", ""},
	"dispatched_qualified_ratio":   srcLabour,
	"dispatch_unified_ratio":       srcLabour,
	"soe_flexible_share": source{"enterprises", "", "enterprise_id, name, region, sector, status, state_owned, employees, dispatch_workers, flexible_workers",
		"status = 'operating' AND state_owned AND list_contains(string_split($hazardous, ','), sector)", "", ""},
	"soe_subcontracting_cases": srcEnforcementSub.with("illegal_subcontracting AND enterprise_id IN (SELECT enterprise_id FROM enterprises WHERE state_owned)", ""),
	"duty_document_coverage": source{srcDocuments.from, "", srcDocuments.columns,
		"kind IN ('duty_list', 'task_list', 'annual_report', 'special_fund') AND issued_on BETWEEN $as_of - INTERVAL 364 DAY AND $as_of", "", ""},
}

var (
	srcProjects = source{"projects", "approved_on",
		"project_id, name, region, sector, kind, chemical_transfer, approved_on, risk_assessed_on, started_on, checked_on, compliant, stopped", "", "", ""}
	srcLabour = source{"labour_checks", "checked_on",
		"check_id, enterprise_id, region, sector, checked_on, department, post_workers, certified, trained, managed_as_own, rectification_ordered", "", "", ""}
	srcDocuments = source{"(SELECT *, NULL AS sector FROM duty_documents)", "issued_on",
		"doc_id, region, department, kind, issued_on, published, title", "", "", ""}
	srcPlans = source{"inspection_plans", "",
		"plan_id, region, department, sector, year, planned, key_enterprises, issued_on", "year = year($as_of)", "", ""}
	srcInvestigations = source{"(SELECT a.accident_id, a.occurred_at, a.region, a.sector, a.grade, i.extended, i.report_approved_on, " +
		"i.measures_due_on, i.measures_done_on, i.persons_held, i.leaders_held FROM accidents a LEFT JOIN investigations i USING (accident_id))",
		"CAST(occurred_at AS DATE)", "accident_id, strftime(occurred_at, '%Y-%m-%d %H:%M') AS occurred_at, region, sector, grade, extended, " +
			"report_approved_on, measures_due_on, measures_done_on, persons_held, leaders_held", "", "", ""}
	srcNotifications = source{"(SELECT n.*, a.sector, a.occurred_at FROM notifications n JOIN accidents a USING (accident_id))",
		"CAST(notified_at AS DATE)", "notification_id, accident_id, region, sector, department, " +
			"strftime(occurred_at, '%Y-%m-%d %H:%M') AS occurred_at, strftime(notified_at, '%Y-%m-%d %H:%M') AS notified_at", "", "", ""}
)

// sourceFor returns an indicator's record source.
func sourceFor(id string) (source, bool) {
	if s, ok := sources[id]; ok {
		return s, true
	}
	s, ok := measureSources[id]
	return s, ok
}
