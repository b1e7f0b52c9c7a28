package report

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
)

// Fig is one figure of the text: a snapshot value, its formatted text and a key that
// tests (and readers of the HTML source) find it by, as <span data-fig="key">.
type Fig struct {
	Key   string
	Value float64
	OK    bool // false: the snapshot has no such value (shown as 无数据)
	Text  string
}

// HTML renders the figure as a marked span.
func (f Fig) HTML() template.HTML {
	text := f.Text
	if !f.OK {
		text = "无数据"
	}
	return template.HTML(fmt.Sprintf(`<span class="fig" data-fig="%s">%s</span>`,
		template.HTMLEscapeString(f.Key), template.HTMLEscapeString(text)))
}

// String is the figure's text, for sentences built by the text templates.
func (f Fig) String() string {
	if !f.OK {
		return "无数据"
	}
	return f.Text
}

func count(key string, v float64, ok bool) Fig {
	return Fig{Key: key, Value: v, OK: ok, Text: strconv.FormatFloat(math.Round(v), 'f', 0, 64)}
}

func ratio(key string, v float64, ok bool) Fig {
	return Fig{Key: key, Value: v, OK: ok, Text: strconv.FormatFloat(100*v, 'f', 1, 64) + "%"}
}

// yuan shows an amount of yuan in 万元 with two decimals.
func yuan(key string, v float64, ok bool) Fig {
	return Fig{Key: key, Value: v, OK: ok, Text: strconv.FormatFloat(v/1e4, 'f', 2, 64) + "万元"}
}

func rate(key string, v float64, ok bool) Fig {
	return Fig{Key: key, Value: v, OK: ok, Text: strconv.FormatFloat(v, 'f', 4, 64)}
}

func score(key string, v float64, ok bool) Fig {
	return Fig{Key: key, Value: v, OK: ok, Text: strconv.FormatFloat(v, 'f', 1, 64)}
}

// Change is a year-on-year comparison (同比) of a count.
type Change struct {
	Diff Fig // now - before, signed
	Pct  Fig // (now - before) / before, when before > 0
	Word string
}

// change compares two counts: 增加 / 减少 / 持平, the difference and its share.
func change(key string, now, before float64, ok bool) Change {
	d := now - before
	c := Change{Diff: count(key, math.Abs(d), ok)}
	c.Diff.Value = d
	switch {
	case d > 0:
		c.Word = "增加"
	case d < 0:
		c.Word = "减少"
	default:
		c.Word = "持平"
	}
	if before > 0 {
		c.Pct = Fig{Key: key + ".pct", Value: d / before, OK: ok, Text: strconv.FormatFloat(math.Abs(100*d/before), 'f', 1, 64) + "%"}
	}
	return c
}

// Phrase is the change in words: 同比增加3起（2.9%）, 同比持平, 上年同期为0.
func (c Change) Phrase(unit string) template.HTML {
	switch {
	case !c.Diff.OK:
		return "同比无数据"
	case c.Word == "持平":
		return "同比持平"
	case !c.Pct.OK:
		return template.HTML(fmt.Sprintf("同比%s%s%s（上年同期为0）", c.Word, c.Diff.HTML(), unit))
	}
	return template.HTML(fmt.Sprintf("同比%s%s%s（%s）", c.Word, c.Diff.HTML(), unit, c.Pct.HTML()))
}
