package transform

import (
	"context"
	"testing"
)

// TestCheckUniqueCounts runs check_unique.sql on rows with duplicate keys: every key
// text seen more than once is counted once, the detail lists them sorted, and a
// composite key compares as the text the check prints (a|b + c equals a + b|c).
func TestCheckUniqueCounts(t *testing.T) {
	ctx := context.Background()
	q, err := loadQueries()
	if err != nil {
		t.Fatal(err)
	}
	db, err := openEngine(ctx, engineConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	src := `(VALUES ('h1', 'x'), ('h2', 'x'), ('h1', 'x'), ('h3', 'y'), ('h3', 'y'), ('h3', 'y'),
		('a|b', 'c'), ('a', 'b|c'), ('h4', NULL), ('h5', 'z')) AS v(id, part)`
	cases := []struct {
		key    []string
		n      int64
		detail string
	}{
		{[]string{"id", "part"}, 3, "a|b|c, h1|x, h3|y"},
		{[]string{"part"}, 2, "x, y"},
		{[]string{"id"}, 2, "h1, h3"},
	}
	for _, c := range cases {
		s, err := q.render("check_unique", struct {
			Source string
			Key    []string
		}{src, c.key})
		if err != nil {
			t.Fatal(err)
		}
		var n int64
		var detail string
		if err := db.QueryRowContext(ctx, s).Scan(&n, &detail); err != nil {
			t.Fatal(err)
		}
		if n != c.n || detail != c.detail {
			t.Errorf("key %v: %d %q, want %d %q", c.key, n, detail, c.n, c.detail)
		}
	}
}
