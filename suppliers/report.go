package suppliers

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// defaultMaxProblems is Options.MaxProblems when it is not set.
const defaultMaxProblems = 1000

// collector gathers problems into a Report with a cap on how many it
// keeps: errors and warnings are capped separately, so that a flood of
// warnings never hides an error.
type collector struct {
	rep      *Report
	max      int
	errors   []Problem
	warnings []Problem
	seq      []int // seq[i] orders errors and warnings when merged
	wseq     []int
	n        int
	rowErrs  int // errors in the current row
}

func newCollector(rep *Report, max int) *collector {
	if max <= 0 {
		max = defaultMaxProblems
	}
	return &collector{rep: rep, max: max}
}

func (c *collector) add(p Problem) {
	c.n++
	// Messages quote the input, and decoder errors may quote raw bytes:
	// keep the report valid UTF-8 for JSON and PostgreSQL.
	for _, s := range []*string{&p.Message, &p.Path, &p.Field, &p.SKU} {
		if !utf8.ValidString(*s) {
			*s = strings.ToValidUTF8(*s, "\uFFFD")
		}
	}
	if p.Severity == SeverityError {
		c.rep.Errors++
		c.rowErrs++
		if len(c.errors) < c.max {
			c.errors = append(c.errors, p)
			c.seq = append(c.seq, c.n)
			return
		}
	} else {
		p.Severity = SeverityWarning
		c.rep.Warnings++
		if len(c.warnings) < c.max {
			c.warnings = append(c.warnings, p)
			c.wseq = append(c.wseq, c.n)
			return
		}
	}
	c.rep.Omitted++
}

// finish merges the stored errors and warnings in the order found.
func (c *collector) finish() {
	type item struct {
		p   Problem
		seq int
	}
	all := make([]item, 0, len(c.errors)+len(c.warnings))
	for i, p := range c.errors {
		all = append(all, item{p, c.seq[i]})
	}
	for i, p := range c.warnings {
		all = append(all, item{p, c.wseq[i]})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].seq < all[j].seq })
	c.rep.Problems = make([]Problem, len(all))
	for i, it := range all {
		c.rep.Problems[i] = it.p
	}
}
