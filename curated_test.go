package safetyrisk

import "testing"

// TestCuratedOrphanDeclared: transform flags orphans in every table that refers to an
// enterprise (plain.sql and the per-table SQL); each such table must declare the flag
// in Curated, so that the catalog and the queries know the column.
func TestCuratedOrphanDeclared(t *testing.T) {
	for _, tb := range Tables() {
		refers := tb != Enterprises && tb.Index("enterprise_id") >= 0
		declared := false
		for _, c := range tb.Curated {
			declared = declared || c.Name == "orphan"
		}
		if refers != declared {
			t.Errorf("%s: refers to enterprises %v, declares orphan %v", tb.Name, refers, declared)
		}
	}
}

// TestDerivedCarried: every column ingest derives (Table.Derived) is carried to the
// curated table, with its kind, so the catalog and the queries know it.
func TestDerivedCarried(t *testing.T) {
	for _, tb := range Tables() {
		for _, d := range tb.Derived {
			c := tb.CuratedColumn(d.Name)
			if c == nil || c.Kind != d.Kind {
				t.Errorf("%s: derived column %s is not among the curated columns with kind %v (%+v)", tb.Name, d.Name, d.Kind, c)
			}
		}
	}
}
