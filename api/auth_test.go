package api_test

import (
	"net/http"
	"strings"
	"testing"

	"andel/internal/demo"
)

func TestLoginSessionAndMe(t *testing.T) {
	e := newEnv(t)
	anon := e.anonymous()
	anon.do("GET", "/api/v1/me", nil).expect(http.StatusUnauthorized)

	res := anon.do("POST", "/api/v1/session", map[string]string{"email": "ADMIN@demo.andel", "password": demo.Password}).expect(http.StatusCreated)
	ck := res.header.Get("Set-Cookie")
	for _, want := range []string{"andel_session=", "HttpOnly", "SameSite=Lax"} {
		if !strings.Contains(ck, want) {
			t.Errorf("Set-Cookie %q lacks %q", ck, want)
		}
	}
	if strings.Contains(ck, "Secure") {
		t.Errorf("Set-Cookie %q is Secure over plain HTTP", ck)
	}
	anon.csrf = res.json()["csrf_token"].(string)

	me := anon.do("GET", "/api/v1/me", nil).expect(http.StatusOK).json()
	if me["role"] != "admin" || me["email"] != demo.AdminEmail {
		t.Errorf("me = %v", me)
	}

	practice := e.login(demo.PracticeEmail).do("GET", "/api/v1/me", nil).expect(http.StatusOK).json()
	if practice["role"] != "member" || practice["member_id"] == nil {
		t.Errorf("practice me = %v", practice)
	}

	anon.do("DELETE", "/api/v1/session", nil).expect(http.StatusNoContent)
	anon.do("GET", "/api/v1/me", nil).expect(http.StatusUnauthorized)
}

func TestLoginFailuresAreThrottled(t *testing.T) {
	e := newEnv(t)
	c := e.anonymous()
	wrong := map[string]string{"email": demo.BoardEmail, "password": "not-the-password"}
	for i := 0; i < 5; i++ {
		c.do("POST", "/api/v1/session", wrong).expect(http.StatusUnauthorized)
	}
	res := c.do("POST", "/api/v1/session", map[string]string{"email": demo.BoardEmail, "password": demo.Password})
	res.expect(http.StatusTooManyRequests)
	if res.header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	// Another account from the same address is not locked yet.
	e.login(demo.AdminEmail)
	// An unknown account answers like a wrong password.
	c.do("POST", "/api/v1/session", map[string]string{"email": "nobody@example.com", "password": "whatever-long"}).expect(http.StatusUnauthorized)
}

func TestCSRFIsRequiredForCookieWrites(t *testing.T) {
	e := newEnv(t)
	admin := e.login(demo.AdminEmail)
	body := map[string]string{"name": "Lægehuset Test", "cvr": "29403473"}

	admin.noCSRF = true
	if res := admin.do("POST", "/api/v1/members", body).expect(http.StatusForbidden); !strings.Contains(string(res.body), "CSRF") {
		t.Errorf("403 does not mention CSRF: %s", res.body)
	}
	admin.noCSRF, admin.csrf = false, admin.csrf+"x"
	admin.do("POST", "/api/v1/members", body).expect(http.StatusForbidden)
	admin.csrf = admin.csrf[:len(admin.csrf)-1]
	admin.do("POST", "/api/v1/members", body).expect(http.StatusCreated)
}

func TestSupplierKeys(t *testing.T) {
	e := newEnv(t)
	key := e.demoKey(1)
	me := e.withKey(key).do("GET", "/api/v1/me", nil).expect(http.StatusOK).json()
	if me["role"] != "supplier" || me["api_key_id"] == nil {
		t.Fatalf("me = %v", me)
	}
	supplierID := int64(me["supplier_id"].(float64))

	for _, bad := range []string{"andel_nope_nope", "garbage", key + "x", strings.Replace(key, "demo1", "demo2", 1)} {
		res := e.withKey(bad).do("GET", "/api/v1/me", nil).expect(http.StatusUnauthorized)
		if res.header.Get("WWW-Authenticate") == "" {
			t.Error("401 without WWW-Authenticate")
		}
	}

	// The supplier's own user issues a key; it works once shown, and is
	// listed without its secret.
	supplierUser := e.login(demo.SupplierEmail)
	issued := supplierUser.do("POST", "/api/v1/suppliers/"+itoa(supplierID)+"/api-keys", map[string]string{"name": "ERP"}).
		expect(http.StatusCreated).json()
	newKey := issued["key"].(string)
	e.withKey(newKey).do("GET", "/api/v1/me", nil).expect(http.StatusOK)
	list := supplierUser.do("GET", "/api/v1/suppliers/"+itoa(supplierID)+"/api-keys", nil).expect(http.StatusOK)
	if strings.Contains(string(list.body), newKey) {
		t.Error("key list shows a secret")
	}

	// A key may not mint keys.
	e.withKey(key).do("POST", "/api/v1/suppliers/"+itoa(supplierID)+"/api-keys", map[string]string{}).expect(http.StatusForbidden)

	keyID := itoa(int64(issued["id"].(float64)))
	supplierUser.do("DELETE", "/api/v1/suppliers/"+itoa(supplierID)+"/api-keys/"+keyID, nil).expect(http.StatusNoContent)
	e.withKey(newKey).do("GET", "/api/v1/me", nil).expect(http.StatusUnauthorized)
	supplierUser.do("DELETE", "/api/v1/suppliers/"+itoa(supplierID)+"/api-keys/"+keyID, nil).expect(http.StatusNoContent)

	// The trail has the issue and the revocation.
	admin := e.login(demo.AdminEmail)
	audit := admin.do("GET", "/api/v1/audit?entity=api_key&entity_id="+keyID, nil).expect(http.StatusOK)
	for _, action := range []string{"api_key.issued", "api_key.revoked"} {
		if !strings.Contains(string(audit.body), action) {
			t.Errorf("audit lacks %s: %s", action, audit.body)
		}
	}
}
