package queries

// The record sources of explain: where the records behind an indicator live. A SQL
// file's "-- records <id>:" block (docs/queries.md) names one of them and says which of
// its records the indicator counts; the source says only which table (or allow-listed
// subquery), which date column puts a record in a window, which columns are shown and in
// what order. Nothing here is built from user input.

// source is one record source; filter and dim come from the records block.
type source struct {
	from    string
	date    string // the column a window is applied to; "" none (a stock). A state uses none.
	columns string
	order   string // ORDER BY ("" the first column)
	filter  string // the records block's where: the records the indicator counts ("" all)
	dim     string // the records block's by: what a breakdown value is compared with ("" none)
}

// Special sources of a records block: the indicators computed in Go (riskindex.go).
const (
	// recordsVetoEvents: the events of the year that veto the grade (veto.sql), shown
	// for veto and assessment_grade.
	recordsVetoEvents = "veto_events"
	// recordsComponents: a score computed from other indicators; explain shows its
	// components, and there are no records.
	recordsComponents = "components"
)

// recordParams are the parameters a records block may use; Records binds them.
var recordParams = []string{"as_of", "industrial", "hazardous", "term_days", "reward_subjects",
	"supp_days", "supp_short_days", "supp_short_sectors", "supp_short_type", "yearly_documents"}

// Special values of a records block's by (any other names a column compared with =).
const (
	byActions     = "actions"      // a comma-separated set: the value is one of the case's actions
	byOverdueOver = "overdue_over" // '30d': more than 30 days past the deadline
)

var (
	accidentColumns = "accident_id, strftime(occurred_at, '%Y-%m-%d %H:%M') AS occurred_at, region, sector, enterprise_id, grade, deaths_incl_missing, serious_injuries, direct_loss, strftime(reported_at, '%Y-%m-%d %H:%M') AS reported_at, report_delay_minutes, late_report, reporting_violation"
	reportColumns   = "report_id, received_on, channel, region, sector, enterprise_id, subject, verified_on, substantiated, reward, reward_paid_on"
	projectColumns  = "project_id, name, region, sector, kind, chemical_transfer, approved_on, risk_assessed_on, started_on, checked_on, compliant, stopped"
	// the hazards with their ages in days, the oldest overdue first
	hazardAges = "date_diff('day', found_on, $as_of) AS days_open, " +
		"CASE WHEN deadline < $as_of THEN date_diff('day', deadline, $as_of) END AS days_overdue"
	byAge = "days_overdue DESC NULLS LAST, days_open DESC, hazard_id"
)

// recordSources are the sources a records block may name.
var recordSources = map[string]source{
	"accidents": {from: "accidents", date: "CAST(occurred_at AS DATE)", columns: accidentColumns},
	// fatal accidents by the day after their investigation term (enforcement.sql)
	"fatal_due": {from: "accidents", date: "CAST(occurred_at AS DATE) + $term_days + 1",
		columns: "accident_id, strftime(occurred_at, '%Y-%m-%d %H:%M') AS occurred_at, region, sector, enterprise_id, grade, deaths_incl_missing, " +
			"CAST(occurred_at AS DATE) + $term_days AS term_ends"},
	"investigations": {from: "(SELECT a.accident_id, a.occurred_at, a.region, a.sector, a.grade, i.extended, i.report_approved_on, " +
		"i.measures_due_on, i.measures_done_on, i.persons_held, i.leaders_held FROM accidents a LEFT JOIN investigations i USING (accident_id))",
		date: "CAST(occurred_at AS DATE)", columns: "accident_id, strftime(occurred_at, '%Y-%m-%d %H:%M') AS occurred_at, region, sector, grade, extended, " +
			"report_approved_on, measures_due_on, measures_done_on, persons_held, leaders_held"},
	"notifications": {from: "(SELECT n.*, a.sector, a.accident_type, a.occurred_at FROM notifications n JOIN accidents a USING (accident_id))",
		date: "CAST(notified_at AS DATE)", columns: "notification_id, accident_id, region, sector, department, kind, " +
			"strftime(occurred_at, '%Y-%m-%d %H:%M') AS occurred_at, strftime(notified_at, '%Y-%m-%d %H:%M') AS notified_at, " +
			"deaths, serious_injuries, changed_on"},
	"hazards": {from: "hazards", date: "found_on",
		columns: "hazard_id, inspection_id, enterprise_id, region, sector, found_on, level, deadline, rectified_on, status, listed_supervision, in_ledger, source"},
	// the hazards in a state at as_of, whenever found, with their ages; the oldest overdue first
	"hazard_states": {from: "hazards",
		columns: "hazard_id, enterprise_id, region, sector, found_on, level, deadline, status, listed_supervision, " + hazardAges, order: byAge},
	// the same for the major-hazard register, with 五落实
	"major_hazard_states": {from: "hazards",
		columns: "hazard_id, enterprise_id, region, sector, found_on, deadline, status, five_implementations, listed_supervision, " + hazardAges, order: byAge},
	"inspections": {from: "inspections", date: "inspected_on",
		columns: "inspection_id, enterprise_id, region, sector, inspected_on, department, kind, led_by_head, hazards_found"},
	"enterprises": {from: "enterprises",
		columns: "enterprise_id, name, region, sector, risk_level, status, employees, dispatch_workers, flexible_workers"},
	"enterprises_insured": {from: "enterprises", columns: "enterprise_id, name, region, sector, status, liability_insurance"},
	"enterprises_soe": {from: "enterprises",
		columns: "enterprise_id, name, region, sector, status, state_owned, employees, dispatch_workers, flexible_workers"},
	"enterprises_blacklist": {from: "enterprises", columns: "enterprise_id, name, region, sector, status, blacklisted"},
	"enforcement": {from: "enforcement", date: "decided_on",
		columns: "case_id, inspection_id, accident_id, enterprise_id, region, sector, decided_on, actions, fine, recorded, publicized, legal_review, major_decision, transferred"},
	// with the illegal-subcontracting flag; aliased x, so that a block can correlate a
	// subquery with the case (closure_candidates)
	"enforcement_sub": {from: "enforcement x", date: "decided_on",
		columns: "case_id, inspection_id, accident_id, enterprise_id, region, sector, decided_on, actions, fine, illegal_subcontracting"},
	// reporter identity columns are never shown (M57)
	"reports":         {from: "reports", date: "received_on", columns: reportColumns},
	"reward_payments": {from: "reports", date: "reward_paid_on", columns: reportColumns},
	"assessments": {from: "(SELECT r.*, e.region, e.sector FROM risk_assessments r JOIN enterprises e USING (enterprise_id))", date: "assessed_on",
		columns: "assessment_id, enterprise_id, region, sector, assessed_on, risk_level, published"},
	"staff":      {from: "(SELECT *, NULL AS sector FROM staff)", columns: "staff_id, region, department, qualified_education, qualified_certificate, experience_years, active"},
	"governance": {from: "governance", date: "held_on", columns: "event_id, region, sector, department, held_on, kind, subject"},
	"governance_linked": {from: "governance", date: "held_on",
		columns: "event_id, region, sector, department, held_on, kind, accident_id, subject"},
	"projects":       {from: "projects", date: "approved_on", columns: projectColumns},
	"project_starts": {from: "projects", date: "started_on", columns: projectColumns},
	"labour_checks": {from: "labour_checks", date: "checked_on",
		columns: "check_id, enterprise_id, region, sector, checked_on, department, post_workers, certified, trained, managed_as_own, rectification_ordered"},
	"duty_documents": {from: "(SELECT *, NULL AS sector FROM duty_documents)", date: "issued_on",
		columns: "doc_id, region, department, kind, issued_on, published, title"},
	"inspection_plans": {from: "inspection_plans",
		columns: "plan_id, region, department, sector, year, planned, key_enterprises, issued_on"},
}
