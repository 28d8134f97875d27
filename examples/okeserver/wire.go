package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/krs-oke/vaststelling/result/oke"
	"github.com/krs-oke/vaststelling/result/oke/documents"
	"github.com/krs-oke/vaststelling/result/oke/oauth"
)

// service is the service metadata the server answers at GET / and
// GET /ooapi/ (OKE Tables 5.0.A and 5.0.B): the example institution's.
// An integrator gives the institution's own contact, and the URLs of its
// specification and documentation; the versions are the library's
// defaults (OOAPI v5, nl-test-admin 1.0.1).
var service = oke.ServiceMetadata{
	ContactEmail:  "koppelingen@roc-voorbeeld.nl",
	Specification: "https://www.roc-voorbeeld.nl/koppelingen/ooapiv5_MBO.yaml",
	Documentation: "https://www.roc-voorbeeld.nl/koppelingen/",
}

// plannerSecretEnv names the environment variable that holds the KRS's
// client secret at the planner's token endpoint: a secret is not given on
// the command line, where every user of the machine can read it.
const plannerSecretEnv = "OKESERVER_PLANNER_SECRET"

// A wiring is the server's handler and what it is made of.
type wiring struct {
	handler http.Handler
	jwt     *oauth.JWT // checks the planner's tokens
	dev     *devIssuer // the test issuer of -dev, or nil
	archive *archiving // fetches the results' documents, or nil
	where   string     // where the documents are kept, as the start says it
	closers []func() error
}

// close closes what the wiring opened, in reverse.
func (w *wiring) close() error {
	var errs []error
	for i := len(w.closers) - 1; i >= 0; i-- {
		errs = append(errs, w.closers[i]())
	}
	w.closers = nil
	return errors.Join(errs...)
}

// wire builds the server's handler, served at base: the office's flow-5
// handler behind the JWT authorizer, with the service metadata and the
// default rate limit per client, its deliveries' documents archived; with
// -dev, beside it under /dev/, the test issuer and the test planner.
func wire(st *store, f flags, base string, out io.Writer, logger *slog.Logger) (_ *wiring, err error) {
	w := &wiring{}
	defer func() {
		if err != nil {
			_ = w.close()
		}
	}()
	mux := http.NewServeMux()
	httpClient := &http.Client{Timeout: 30 * time.Second}
	issuer, jwks, audience := f.issuer, f.jwks, f.audience
	docs := documents.Config{BaseURL: f.planner, TokenURL: f.plannerToken, ClientID: f.plannerClient,
		ClientSecret: os.Getenv(plannerSecretEnv), HTTPClient: httpClient}
	if f.dev {
		issuer, jwks, audience = base+devPrefix, base+devJWKS, base+"/ooapi"
		planner := base + devPlannerBase
		if w.dev, err = newDevIssuer(issuer, map[string]string{devClient: audience, devKRSClient: planner}, time.Now); err != nil {
			return nil, err
		}
		w.dev.register(mux)
		pjwt, err := oauth.NewJWT(oauth.JWTConfig{Issuer: issuer, Audience: planner, JWKSURL: jwks,
			Client: httpClient, Clock: time.Now})
		if err != nil {
			return nil, err
		}
		(&devPlanner{jwt: pjwt}).register(mux)
		docs.BaseURL, docs.TokenURL, docs.ClientID, docs.ClientSecret = planner, base+devToken, devKRSClient, w.dev.secret(devKRSClient)
	}
	w.jwt, err = oauth.NewJWT(oauth.JWTConfig{Issuer: issuer, Audience: audience, JWKSURL: jwks,
		Client: httpClient, Clock: time.Now})
	if err != nil {
		return nil, usageError{err}
	}

	taker := oke.Taker(st.office)
	w.where = "not fetched (give -planner URL to fetch and archive them)"
	if docs.BaseURL != "" {
		client, err := documents.New(docs)
		if err != nil {
			return nil, usageError{err}
		}
		dir, where, err := documentDir(f)
		if err != nil {
			return nil, err
		}
		if where == "" { // a directory of this run only
			w.closers = append(w.closers, func() error { return os.RemoveAll(dir) })
			where = dir + " (removed when the server stops; -documents DIR keeps them)"
		}
		archive, err := documents.NewDir(dir)
		if err != nil {
			return nil, fmt.Errorf("-documents %s: %w", dir, err)
		}
		w.closers = append(w.closers, archive.Close)
		w.archive = startArchiving(st.office, &documents.Archiver{Client: client, Archive: archive}, out, logger)
		w.closers = append(w.closers, func() error { w.archive.stop(context.Background()); return nil })
		w.where = "archived in " + where
		taker = w.archive.taker()
	}

	h, err := oke.NewHandler(taker, oke.HandlerConfig{Authorize: w.jwt.Authorize, Clock: time.Now, Logger: logger,
		Service: service})
	if err != nil {
		return nil, err
	}
	mux.Handle("/", h)
	w.handler = mux
	return w, nil
}

// documentDir returns the directory the documents are archived in, and how
// the start names it: -documents DIR, or DIR/documents of -audit DIR; or,
// with neither, a new temporary directory, named "".
func documentDir(f flags) (dir, where string, err error) {
	switch {
	case f.documents != "":
		return f.documents, f.documents, nil
	case f.audit != "":
		dir := filepath.Join(f.audit, "documents")
		return dir, dir, nil
	}
	dir, err = os.MkdirTemp("", "okeserver-documents-")
	return dir, "", err
}
