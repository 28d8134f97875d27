package oke_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result/oke"
	"github.com/krs-oke/vaststelling/timeline"
)

// The handler serves an intake behind the integrator's OAuth2 check (here
// a stand-in that knows one token): a request without a token is 401
// whatever its method, a body that is not JSON 415, and a delivery taken
// in 200 with its receipt.
func ExampleNewHandler() {
	dir, err := oke.LoadDirectory(strings.NewReader(`{
		"components": [{"code": "KT1-W2", "scale": "0.0-10.0"}],
		"associations": [{"id": "assoc-1", "student": "s-101", "component": "KT1-W2",
			"crebo": "25180", "attempt": 1, "state": "associated"}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	clock := func() time.Time { return time.Date(2027, time.February, 5, 9, 0, 0, 0, calendar.Default().Location()) }
	in := &oke.Intake{Directory: dir, Calendar: calendar.Default(), Policies: timeline.DefaultPolicies()}
	h, err := oke.NewHandler(oke.IntakeTaker(in), oke.HandlerConfig{
		Authorize: func(r *http.Request) (oke.Client, error) {
			if r.Header.Get("Authorization") != "Bearer token-with-scope" {
				return oke.Client{}, fmt.Errorf("no valid token: %w", oke.ErrUnauthenticated)
			}
			return oke.Client{Subject: "planner-1", Scopes: []string{oke.Scope}}, nil
		},
		Clock: clock,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	body := `{"associationType": "componentOfferingAssociation",
		"consumers": [{"consumerKey": "nl-test-admin", "orgAssociationId": "assoc-1", "attempt": 1}],
		"result": {"state": "completed", "score": "7.5", "resultDate": "2027-02-04", "weight": 100,
			"consumers": [{"consumerKey": "nl-test-admin", "attendance": "present",
				"executedOfferingName": "variant-A", "assessorCode": "JAJE",
				"testDate": "2027-01-18T11:00:00+01:00"}]}}`
	for _, req := range []struct{ method, token, contentType string }{
		{"GET", "", ""},
		{"GET", "token-with-scope", ""},
		{"PATCH", "token-with-scope", "text/plain"},
		{"PATCH", "token-with-scope", "application/merge-patch+json"},
	} {
		r, _ := http.NewRequest(req.method, srv.URL+"/ooapi/associations/assoc-1", strings.NewReader(body))
		if req.token != "" {
			r.Header.Set("Authorization", "Bearer "+req.token)
		}
		if req.contentType != "" {
			r.Header.Set("Content-Type", req.contentType)
		}
		res, err := srv.Client().Do(r)
		if err != nil {
			fmt.Println(err)
			return
		}
		res.Body.Close()
		fmt.Println(req.method, res.Status, res.Header.Get("Content-Type"))
	}
	got, _ := in.Store.Result("assoc-1")
	fmt.Println(got.State, got.Grade)

	_, err = oke.NewHandler(oke.IntakeTaker(in), oke.HandlerConfig{Clock: clock})
	fmt.Println(err)
	// Output:
	// GET 401 Unauthorized application/problem+json
	// GET 405 Method Not Allowed application/problem+json
	// PATCH 415 Unsupported Media Type application/problem+json
	// PATCH 200 OK application/json
	// provisional 7.5
	// oke: invalid handler configuration: an Authorize (or InsecureNoAuth, to let every request in) required
}
