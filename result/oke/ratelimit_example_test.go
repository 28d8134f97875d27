package oke_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/krs-oke/vaststelling/result/oke"
)

// Each client has its own bucket: here two requests at once, and one more
// every two seconds. A third request at once is 429, with a Retry-After in
// seconds; another client is served meanwhile; two seconds on, by the
// handler's Clock, the first client is served again.
func ExampleRateLimit() {
	now := time.Date(2027, time.February, 5, 9, 0, 0, 0, time.UTC)
	taker := oke.TakerFunc(func(_ context.Context, d oke.Delivery, _ time.Time) (oke.Receipt, error) {
		return oke.Receipt{Outcome: oke.Accepted, AssociationID: d.AssociationID}, nil
	})
	h, err := oke.NewHandler(taker, oke.HandlerConfig{
		// A stand-in for the OAuth2 check: "Bearer NAME" is client NAME.
		Authorize: func(r *http.Request) (oke.Client, error) {
			name, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if !ok {
				return oke.Client{}, fmt.Errorf("no token: %w", oke.ErrUnauthenticated)
			}
			return oke.Client{Subject: name, Scopes: []string{oke.Scope}}, nil
		},
		Clock:     func() time.Time { return now },
		RateLimit: oke.RateLimit{PerSecond: 0.5, Burst: 2},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	deliver := func(client string) {
		r := httptest.NewRequest("PATCH", "/ooapi/associations/assoc-1", strings.NewReader(`{}`))
		r.Header.Set("Authorization", "Bearer "+client)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Println(strings.TrimSpace(fmt.Sprint(now.Format("15:04:05"), " ", client, " ", w.Code, " ", w.Header().Get("Retry-After"))))
	}
	deliver("planner-1")
	deliver("planner-1")
	deliver("planner-1")
	deliver("planner-2")
	now = now.Add(2 * time.Second)
	deliver("planner-1")
	deliver("planner-1")

	fmt.Println(oke.DefaultRatePerSecond, oke.DefaultBurst, oke.DefaultMaxClients)
	// Output:
	// 09:00:00 planner-1 200
	// 09:00:00 planner-1 200
	// 09:00:00 planner-1 429 2
	// 09:00:00 planner-2 200
	// 09:00:02 planner-1 200
	// 09:00:02 planner-1 429 2
	// 50 100 10000
}
