package main

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/krs-oke/vaststelling/result/oke/oauth"
)

// The test planner's OOAPI base, under the server's address: it serves
// GET devPlannerBase/documents/{documentId}.
const devPlannerBase = devPrefix + "/planner/ooapi"

// A devPlanner stands in, with -dev, for the planner (Toetsplanning) from
// which the KRS fetches the documents a result names (OKE §3.5.4): it
// serves every document id asked for as a small PDF, to a bearer of a
// token of the test issuer for the planner, with the scope
// nl-test-admin-flow-1-5 (Table 5.2.A).
type devPlanner struct {
	jwt *oauth.JWT
}

// register serves the test planner's documents on mux.
func (p *devPlanner) register(mux *http.ServeMux) {
	mux.HandleFunc("GET "+devPlannerBase+"/documents/{documentId}", p.serveDocument)
}

func (p *devPlanner) serveDocument(w http.ResponseWriter, r *http.Request) {
	if _, err := p.jwt.Authorize(r); err != nil {
		var refusal *oauth.Error
		status := http.StatusUnauthorized
		if errors.As(err, &refusal) {
			w.Header().Set("WWW-Authenticate", refusal.Challenge())
			if errors.Is(err, oauth.ErrScope) {
				status = http.StatusForbidden
			}
		}
		http.Error(w, err.Error(), status)
		return
	}
	id := r.PathValue("documentId")
	w.Header().Set("Content-Type", "application/pdf")
	fmt.Fprintf(w, "%%PDF-1.4\n%% Test planner: document %s\n%%%%EOF\n", strings.Map(printable, id))
}

// printable keeps a printable ASCII character, and makes any other a "?".
func printable(r rune) rune {
	if r < 0x20 || r > 0x7e {
		return '?'
	}
	return r
}
