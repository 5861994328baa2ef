package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"andel/internal/demo"
)

// Input no page sends (a NUL, invalid UTF-8, a lone surrogate as raw
// bytes, a control character) is a 400 page naming the field, before
// any handler reads it: it reached PostgreSQL as a 500 before.
// TestWebFormCorpus sends it to every field of every form.
func TestUnreadableInputRefused(t *testing.T) {
	s := newSite(t)
	nurse := s.person(t)
	nurse.login(demo.PracticeEmail)
	var lists int64
	count := func() int64 {
		s.svc.DB.Raw("SELECT count(*) FROM standard_lists").Scan(&lists)
		return lists
	}
	before := count()
	for _, bad := range []string{"a\x00b", "L\xe6ge", "a\xed\xa0\x80b", "a\x07b"} {
		if pg := nurse.req("GET", "/shop?q="+url.QueryEscape(bad), nil); pg.status != http.StatusBadRequest || !strings.Contains(mainOf(pg.body), "<li>q: ") {
			t.Errorf("/shop?q=%q: %d %s", bad, pg.status, short(mainOf(pg.body)))
		}
		if pg := nurse.req("POST", "/lists", url.Values{"_csrf": {nurse.csrf}, "name": {bad}}); pg.status != http.StatusBadRequest ||
			!strings.Contains(mainOf(pg.body), "<li>name: ") {
			t.Errorf("a list named %q: %d %s", bad, pg.status, short(mainOf(pg.body)))
		}
	}
	if count() != before {
		t.Errorf("%d lists made of unreadable names", lists-before)
	}
	// Text is text: tabs and line breaks (a textarea's) are taken.
	if pg := nurse.req("POST", "/lists", url.Values{"_csrf": {nurse.csrf}, "name": {"Uge\t1"}}); pg.status != http.StatusSeeOther {
		t.Errorf("a list named with a tab: %d", pg.status)
	}
}

// short is a page's text on one line, cut for a message.
func short(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		return s[:300] + "..."
	}
	return s
}
