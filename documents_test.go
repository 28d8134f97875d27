package vaststelling_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling"
	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/filestore"
	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/result/oke"
	"github.com/krs-oke/vaststelling/result/oke/documents"
	"github.com/krs-oke/vaststelling/timeline"
)

// The documents package's client and archiver are what the office takes.
var (
	_ vaststelling.DocumentFetcher = (*documents.Client)(nil)
	_ vaststelling.DocumentFetcher = (*documents.Archiver)(nil)
)

// bodyWithDocuments is body's message naming documents, each "id type name".
func bodyWithDocuments(t testing.TB, id, score string, docs ...result.DocumentRef) []byte {
	var m map[string]any
	require.NoError(t, json.Unmarshal(body(id, score, ""), &m))
	var list []any
	for _, d := range docs {
		list = append(list, map[string]any{"documentId": d.ID, "documentType": d.Type, "documentName": d.Name})
	}
	m["result"].(map[string]any)["consumers"].([]any)[0].(map[string]any)["documents"] = list
	b, err := json.Marshal(m)
	require.NoError(t, err)
	return b
}

var (
	form  = result.DocumentRef{ID: "doc-form-1", Type: "assessmentForm", Name: "Beoordelingsformulier s-000.pdf"}
	model = result.DocumentRef{ID: "doc-model-1", Type: "assessmentModel", Name: "Beoordelingsmodel KT1.pdf"}
)

// The documents a delivery names are the result's, in the trail's event
// and through a snapshot and a restart; the same delivery again is a
// duplicate, and one that changes only the documents is a changed record.
func TestDocumentsKeptOnTheResult(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	store, err := filestore.Open(dir)
	require.NoError(t, err)
	out := &vaststelling.Outbox{}
	o, err := vaststelling.New(officeConfig(t, 2, store, out))
	require.NoError(t, err)

	at := day("2027-01-25", 9)
	rc, err := o.Deliver(ctx, oke.Delivery{Method: oke.Patch, AssociationID: "a-000",
		Body: bodyWithDocuments(t, "a-000", "6.5", form, model)}, at)
	require.NoError(t, err)
	require.Equal(t, oke.Accepted, rc.Outcome, "%v", rc.Reasons)
	r, ok := o.Result("a-000")
	require.True(t, ok)
	assert.Equal(t, []result.DocumentRef{form, model}, r.Documents)

	// In the trail: the received event's record holds them.
	records, err := store.Records(ctx, 0, o.Size())
	require.NoError(t, err)
	var found bool
	for i := range records {
		if records[i].Result == "a-000" && records[i].Type == string(result.EventReceived) {
			e, err := records[i].Event()
			require.NoError(t, err)
			assert.Equal(t, []result.DocumentRef{form, model}, e.Record.Documents)
			assert.Contains(t, string(records[i].Payload), `"documents":[{"id":"doc-form-1","type":"assessmentForm",`+
				`"name":"Beoordelingsformulier s-000.pdf"},{"id":"doc-model-1"`)
			found = true
		}
	}
	assert.True(t, found, "no received event for a-000")

	// The same again: a duplicate. Only the documents changed: a changed
	// record, which a person decides on, the change named.
	rc, err = o.Deliver(ctx, oke.Delivery{Method: oke.Patch, AssociationID: "a-000",
		Body: bodyWithDocuments(t, "a-000", "6.5", form, model)}, at.Add(time.Hour))
	require.NoError(t, err)
	assert.Equal(t, oke.Duplicate, rc.Outcome)
	renamed := model
	renamed.Name = "Beoordelingsmodel KT1 (herzien).pdf"
	rc, err = o.Deliver(ctx, oke.Delivery{Method: oke.Patch, AssociationID: "a-000",
		Body: bodyWithDocuments(t, "a-000", "6.5", form, renamed)}, at.Add(2*time.Hour))
	require.NoError(t, err)
	assert.Equal(t, oke.Exception, rc.Outcome)
	r, _ = o.Result("a-000")
	require.NotEmpty(t, r.OpenExceptions())
	exc := r.OpenExceptions()[len(r.OpenExceptions())-1]
	assert.Equal(t, result.ChangedRedelivery, exc.Kind)
	assert.Contains(t, exc.Detail, `documents [doc-form-1 assessmentForm "Beoordelingsformulier s-000.pdf", `+
		`doc-model-1 assessmentModel "Beoordelingsmodel KT1.pdf"] → [`)
	require.NotNil(t, exc.Record)
	assert.Equal(t, []result.DocumentRef{form, renamed}, exc.Record.Documents)

	// A snapshot and a restart keep them, on the result and in its exception.
	require.NoError(t, o.Snapshot(ctx))
	require.NoError(t, store.Close())
	store, err = filestore.Open(dir)
	require.NoError(t, err)
	defer store.Close()
	var logged bytes.Buffer
	cfg := officeConfig(t, 2, store, out)
	cfg.Logger = slog.New(slog.NewTextHandler(&logged, nil))
	o2, err := vaststelling.Open(ctx, cfg)
	require.NoError(t, err)
	assert.Empty(t, logged.String(), "the snapshot was used")
	back, ok := o2.Result("a-000")
	require.True(t, ok)
	assert.Equal(t, []result.DocumentRef{form, model}, back.Documents)
	assert.Equal(t, []result.DocumentRef{form, renamed}, back.OpenExceptions()[len(back.OpenExceptions())-1].Record.Documents)
}

// planner is a planner with its token endpoint: it serves the documents
// in docs by id, each with its content type, and 404 for any other.
func plannerServing(t *testing.T, docs map[string][2]string) (tokenURL, baseURL string) {
	tokens := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if id, secret, ok := r.BasicAuth(); !ok || id != "krs" || secret != "s3cret" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"t-1","token_type":"Bearer","expires_in":3600}`)
	}))
	t.Cleanup(tokens.Close)
	planner := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := strings.CutPrefix(r.URL.Path, "/ooapi/documents/")
		doc, known := docs[id]
		switch {
		case r.Header.Get("Authorization") != "Bearer t-1":
			w.WriteHeader(http.StatusUnauthorized)
		case !ok || !known:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"status":"404","title":"Not Found"}`)
		default:
			w.Header().Set("Content-Type", doc[0])
			io.WriteString(w, doc[1])
		}
	}))
	t.Cleanup(planner.Close)
	return tokens.URL + "/token", planner.URL + "/ooapi"
}

// A result's documents are fetched from the planner into the archive, and
// the trail records each with its SHA-256: the archived file's. A
// document the planner does not have is named in the error and not
// recorded; the others are.
func TestArchiveDocumentsRecordsTheirHash(t *testing.T) {
	ctx := context.Background()
	o, store, _ := office(t, 2)
	at := day("2027-01-25", 9)
	missing := result.DocumentRef{ID: "doc-gone", Type: "other", Name: "weg.pdf"}
	rc, err := o.Deliver(ctx, oke.Delivery{Method: oke.Patch, AssociationID: "a-001",
		Body: bodyWithDocuments(t, "a-001", "7", form, missing, model)}, at)
	require.NoError(t, err)
	require.NotEqual(t, oke.Rejected, rc.Outcome, "%v", rc.Reasons)

	formPDF, modelPNG := "%PDF-1.7\n% beoordelingsformulier\n%%EOF\n", "\x89PNG\r\n\x1a\n model"
	tokenURL, baseURL := plannerServing(t, map[string][2]string{
		form.ID:  {"application/pdf", formPDF},
		model.ID: {"image/png", modelPNG},
	})
	client, err := documents.New(documents.Config{BaseURL: baseURL, TokenURL: tokenURL, ClientID: "krs", ClientSecret: "s3cret"})
	require.NoError(t, err)
	archive, err := documents.NewDir(t.TempDir())
	require.NoError(t, err)
	defer archive.Close()

	size := o.Size()
	got, err := o.ArchiveDocuments(ctx, "a-001", &documents.Archiver{Client: client, Archive: archive}, at.Add(time.Hour))
	require.Error(t, err)
	require.ErrorIs(t, err, documents.ErrNotFound)
	assert.Contains(t, err.Error(), "vaststelling: result a-001: document doc-gone: documents: document \"doc-gone\": "+
		"the planner has no such document (HTTP 404 Not Found)")
	require.Len(t, got, 2)
	assert.Equal(t, size+2, o.Size(), "two entries, in one append")

	r, _ := o.Result("a-001")
	for i, want := range []struct {
		doc         result.DocumentRef
		contentType string
		data        string
	}{{form, "application/pdf", formPDF}, {model, "image/png", modelPNG}} {
		sum := sha256.Sum256([]byte(want.data))
		assert.Equal(t, vaststelling.ArchivedDocument{Result: "a-001", Version: r.Version, ID: want.doc.ID,
			Type: want.doc.Type, Name: want.doc.Name, ContentType: want.contentType, Size: int64(len(want.data)),
			SHA256: hex.EncodeToString(sum[:]), At: at.Add(time.Hour)}, got[i])
		// The file archived hashes to what the trail says.
		file, err := os.ReadFile(filepath.Join(archive.Path(), documents.Key(want.doc.ID, sum)))
		require.NoError(t, err)
		fileSum := sha256.Sum256(file)
		assert.Equal(t, got[i].SHA256, hex.EncodeToString(fileSum[:]))
	}

	// The trail holds the entries as ArchivedDocuments reads them, and as
	// JSON in the entry's payload.
	var trail []vaststelling.ArchivedDocument
	require.NoError(t, o.ArchivedDocuments(ctx, func(a vaststelling.ArchivedDocument) error {
		trail = append(trail, a)
		return nil
	}))
	assert.Equal(t, got, trail)
	records, err := store.Records(ctx, size, size+1)
	require.NoError(t, err)
	rec := records[0]
	assert.Equal(t, vaststelling.EntryDocumentArchived, rec.Type)
	assert.Equal(t, "", rec.Result)
	assert.Equal(t, "system", rec.Role)
	assert.True(t, rec.Time.Equal(at.Add(time.Hour)))
	formSum := sha256.Sum256([]byte(formPDF))
	assert.JSONEq(t, fmt.Sprintf(`{"result":"a-001","version":%d,"document_id":"doc-form-1","document_type":"assessmentForm",`+
		`"document_name":"Beoordelingsformulier s-000.pdf","content_type":"application/pdf","size":%d,"sha256":"%x"}`,
		r.Version, len(formPDF), formSum), string(rec.Payload))
	_, err = audit.Verify(ctx, store, nil)
	require.NoError(t, err)

	// An office opened over the trail stands where this one stands.
	o2 := officeOn(t, 2, store, &vaststelling.Outbox{})
	assert.Equal(t, o.Size(), o2.Size())
	trail = nil
	require.NoError(t, o2.ArchivedDocuments(ctx, func(a vaststelling.ArchivedDocument) error {
		trail = append(trail, a)
		return nil
	}))
	assert.Equal(t, got, trail)
}

// A fetcher that fails every document records nothing; one that says
// another length than it wrote is not believed; a result the office does
// not hold is ErrNoResult; one without documents records nothing.
func TestArchiveDocumentsRecordsOnlyWhatItGot(t *testing.T) {
	ctx := context.Background()
	o, _, _ := office(t, 2)
	at := day("2027-01-25", 9)
	_, err := o.Deliver(ctx, oke.Delivery{Method: oke.Patch, AssociationID: "a-000",
		Body: bodyWithDocuments(t, "a-000", "7", form)}, at)
	require.NoError(t, err)
	_, err = o.Deliver(ctx, oke.Delivery{Method: oke.Patch, AssociationID: "a-001", Body: body("a-001", "7", "")}, at)
	require.NoError(t, err)
	size := o.Size()

	unavailable := errors.New("planner down")
	got, err := o.ArchiveDocuments(ctx, "a-000", fetcherFunc(func(w io.Writer) (string, int64, error) {
		return "", 0, unavailable
	}), at)
	assert.ErrorIs(t, err, unavailable)
	assert.Empty(t, got)
	got, err = o.ArchiveDocuments(ctx, "a-000", fetcherFunc(func(w io.Writer) (string, int64, error) {
		n, err := io.WriteString(w, "%PDF-")
		return "application/pdf", int64(n) + 1, err
	}), at)
	assert.ErrorContains(t, err, "the fetcher says 6 bytes and wrote 5")
	assert.Empty(t, got)
	got, err = o.ArchiveDocuments(ctx, "a-001", fetcherFunc(func(w io.Writer) (string, int64, error) {
		t.Error("a result without documents fetches nothing")
		return "", 0, nil
	}), at)
	assert.NoError(t, err)
	assert.Empty(t, got)
	_, err = o.ArchiveDocuments(ctx, "nobody", fetcherFunc(nil), at)
	assert.ErrorIs(t, err, vaststelling.ErrNoResult)
	assert.Equal(t, size, o.Size(), "nothing recorded")
}

type fetcherFunc func(w io.Writer) (string, int64, error)

func (f fetcherFunc) Fetch(ctx context.Context, id string, w io.Writer) (string, int64, error) {
	return f(w)
}

// The office fetches the documents a delivered result names from the
// planner, keeps them in a directory, and records each one's SHA-256 in
// the trail.
func ExampleOffice_ArchiveDocuments() {
	ctx := context.Background()
	// The planner, with its token endpoint (OAuth2 client credentials).
	tokens := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"t-1","token_type":"Bearer","expires_in":3600}`)
	}))
	defer tokens.Close()
	planner := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/ooapi/documents/123454" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/pdf")
		io.WriteString(w, "%PDF-1.7\n% Assessment form for Jake Doe\n%%EOF\n")
	}))
	defer planner.Close()

	// The office, as in the example of Office.
	cal := calendar.Default()
	dir, _ := oke.LoadDirectory(strings.NewReader(`{
		"components": [{"code": "KT1", "scale": "0.0-10.0"}],
		"associations": [{"id": "a-000", "student": "s-101", "component": "KT1",
			"crebo": "25180", "attempt": 1, "state": "associated"}]}`))
	mandates, _ := result.NewMandateSet(result.Mandate{ID: "M-standing", GrantedBy: "examencommissie",
		To: "examenbureau", Actions: []result.Action{result.Determine}, Scope: result.Scope{All: true},
		From: time.Date(2026, 8, 1, 0, 0, 0, 0, cal.Location())})
	trail, _ := audit.NewLog(&audit.MemoryStore{})
	office, err := vaststelling.New(vaststelling.Config{
		Calendar: cal, Policies: timeline.DefaultPolicies(), Directory: dir, Mandates: mandates, Log: trail,
		Standing: result.Actor{ID: "robot", Role: timeline.ExamAdministration, Teams: []string{"examenbureau"}},
		Settings: timeline.Settings{Institution: "Examencommissie ROC Voorbeeld", KRS: "Eduarte",
			CommitteeAddress: "examencommissie@roc-voorbeeld.nl", AppealsBoardAddress: "cbe@roc-voorbeeld.nl"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	at := func(day string, hour int) time.Time {
		d, _ := calendar.ParseDate(day)
		return time.Date(d.Year, d.Month, d.Day, hour, 0, 0, 0, cal.Location())
	}
	rc, err := office.Deliver(ctx, oke.Delivery{Method: oke.Patch, AssociationID: "a-000", Body: []byte(`{
		"associationType": "componentOfferingAssociation",
		"consumers": [{"consumerKey": "nl-test-admin", "orgAssociationId": "a-000", "attempt": 1}],
		"result": {"state": "completed", "score": "7.5", "resultDate": "2027-01-18", "weight": 100,
			"consumers": [{"consumerKey": "nl-test-admin", "attendance": "present", "executedOfferingName": "A",
				"assessorCode": "JAJE", "testDate": "2027-01-18T11:00:00+01:00",
				"documents": [{"documentId": "123454", "documentType": "assessmentForm",
					"documentName": "Assessment form for Jake Doe.pdf"}]}]}}`)}, at("2027-01-22", 9))
	if err != nil {
		fmt.Println(err)
		return
	}
	r, _ := office.Result("a-000")
	fmt.Println("delivery:", rc.Outcome, r.Documents)

	client, err := documents.New(documents.Config{BaseURL: planner.URL + "/ooapi", TokenURL: tokens.URL,
		ClientID: "krs", ClientSecret: "s3cret"})
	if err != nil {
		fmt.Println(err)
		return
	}
	path, _ := os.MkdirTemp("", "archive")
	defer os.RemoveAll(path)
	archive, err := documents.NewDir(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer archive.Close()
	archived, err := office.ArchiveDocuments(ctx, "a-000", &documents.Archiver{Client: client, Archive: archive},
		at("2027-01-22", 10))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range archived {
		fmt.Println(a.ID, a.Type, a.ContentType, a.Size, "bytes")
		fmt.Println("sha256", a.SHA256)
	}
	_ = office.ArchivedDocuments(ctx, func(a vaststelling.ArchivedDocument) error {
		fmt.Printf("in the trail: %s of %s at %s\n", a.ID, a.Result, a.At.Format(time.DateTime))
		return nil
	})
	// Output:
	// delivery: accepted [{123454 assessmentForm Assessment form for Jake Doe.pdf}]
	// 123454 assessmentForm application/pdf 46 bytes
	// sha256 f8230d9db48f0eeb282bb6eb54fd3fcc38e75d71971f6e152db56df08262937e
	// in the trail: 123454 of a-000 at 2027-01-22 10:00:00
}
