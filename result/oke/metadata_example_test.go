package oke_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/krs-oke/vaststelling/result/oke"
)

// The service metadata (Tables 5.0.A and 5.0.B) is the institution's
// contact address and URLs; the versions and the nl-test-admin consumer
// default to what the package implements. The handler answers it at GET /,
// GET /ooapi/ and GET /ooapi, to a caller with a token, as every other
// request.
func ExampleServiceMetadata() {
	taker := oke.TakerFunc(func(_ context.Context, d oke.Delivery, _ time.Time) (oke.Receipt, error) {
		return oke.Receipt{Outcome: oke.Accepted, AssociationID: d.AssociationID}, nil
	})
	h, err := oke.NewHandler(taker, oke.HandlerConfig{
		Authorize: func(r *http.Request) (oke.Client, error) {
			if r.Header.Get("Authorization") != "Bearer token-with-scope" {
				return oke.Client{}, fmt.Errorf("no valid token: %w", oke.ErrUnauthenticated)
			}
			return oke.Client{Subject: "planner-1", Scopes: []string{oke.Scope}}, nil
		},
		Clock: time.Now,
		Service: oke.ServiceMetadata{
			ContactEmail:  "koppelingen@roc-voorbeeld.nl",
			Specification: "https://roc-voorbeeld.nl/ooapi/ooapiv5_MBO.yaml",
			Documentation: "https://roc-voorbeeld.nl/ooapi/voorwaarden",
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, token := range []string{"", "token-with-scope"} {
		r := httptest.NewRequest("GET", "/ooapi/", nil)
		if token != "" {
			r.Header.Set("Authorization", "Bearer "+token)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Println(strings.TrimSpace(fmt.Sprint(w.Code, " ", w.Header().Get("Content-Type"), " ", w.Header().Get("WWW-Authenticate"))))
		if w.Code == http.StatusOK {
			var out bytes.Buffer
			_ = json.Indent(&out, w.Body.Bytes(), "", "  ")
			fmt.Print(out.String())
		}
	}

	// Metadata without the mandatory fields is refused.
	_, err = oke.NewHandler(taker, oke.HandlerConfig{InsecureNoAuth: true, Clock: time.Now,
		Service: oke.ServiceMetadata{ContactEmail: "koppelingen@roc-voorbeeld.nl"}})
	fmt.Println(err)
	// Output:
	// 401 application/problem+json Bearer scope="nl-test-admin-flow-1-5"
	// 200 application/json
	// {
	//   "contactEmail": "koppelingen@roc-voorbeeld.nl",
	//   "specification": "https://roc-voorbeeld.nl/ooapi/ooapiv5_MBO.yaml",
	//   "documentation": "https://roc-voorbeeld.nl/ooapi/voorwaarden",
	//   "supportedVersions": [
	//     "v5"
	//   ],
	//   "supportedConsumers": [
	//     {
	//       "consumerKey": "nl-test-admin",
	//       "version": "1.0.1"
	//     }
	//   ]
	// }
	// oke: invalid handler configuration: Service metadata lacks Specification, Documentation (Table 5.0.B makes them mandatory)
}
