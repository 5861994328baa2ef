package api_test

import (
	"net/http"
	"testing"

	"andel/domain"
)

func TestIdempotencyKey(t *testing.T) {
	e := newEnv(t)
	admin := e.login(domain.DemoAdminEmail)
	send := func(key string, body any) *response {
		c := *admin
		res := c.doWith("POST", "/api/v1/members", body, map[string]string{"Idempotency-Key": key})
		return res
	}
	body := map[string]any{"name": "Lægehuset Gentaget", "cvr": "29403473"}
	first := send("k-1", body).expect(http.StatusCreated)
	again := send("k-1", body).expect(http.StatusCreated)
	if string(again.body) != string(first.body) || again.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("retry answered %s (replayed %q), first %s", again.body, again.header.Get("Idempotent-Replayed"), first.body)
	}
	var n int64
	e.svc.DB.Table("members").Where("cvr = ?", "29403473").Count(&n)
	if n != 1 {
		t.Errorf("%d members stored, want 1", n)
	}
	// The same key with another body is refused.
	send("k-1", map[string]any{"name": "Andet", "cvr": "10150817"}).expect(http.StatusUnprocessableEntity)
	// A validation failure is an answer too, and is replayed as such.
	bad := map[string]any{"name": "", "cvr": "1"}
	send("k-2", bad).expect(http.StatusUnprocessableEntity)
	if res := send("k-2", bad).expect(http.StatusUnprocessableEntity); res.header.Get("Idempotent-Replayed") != "true" {
		t.Error("validation answer not replayed")
	}
	// Keys belong to their caller: another user's same key is a new request.
	other := e.login(domain.DemoPracticeEmail)
	other.doWith("POST", "/api/v1/members", body, map[string]string{"Idempotency-Key": "k-1"}).expect(http.StatusForbidden)
}
