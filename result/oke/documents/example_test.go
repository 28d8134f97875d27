package documents_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/krs-oke/vaststelling/result/oke/documents"
)

// A client of a planner that serves an assessment form, with a token from
// a client-credentials endpoint, keeps the form in a directory.
func ExampleClient_Archive() {
	tokens := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"t-1","token_type":"Bearer","expires_in":3600}`)
	}))
	defer tokens.Close()
	planner := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer t-1" || r.URL.Path != "/ooapi/documents/123454" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/pdf")
		io.WriteString(w, "%PDF-1.7\n% Assessment form for Jake Doe\n%%EOF\n")
	}))
	defer planner.Close()

	client, err := documents.New(documents.Config{BaseURL: planner.URL + "/ooapi", TokenURL: tokens.URL,
		ClientID: "krs-roc-voorbeeld", ClientSecret: "s3cret"})
	if err != nil {
		fmt.Println(err)
		return
	}
	path, _ := os.MkdirTemp("", "archive")
	defer os.RemoveAll(path)
	dir, err := documents.NewDir(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer dir.Close()

	doc, err := client.Archive(context.Background(), "123454", dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(doc.ContentType, doc.Size, "bytes")
	fmt.Println("sha256", doc.Hex())
	fmt.Println("kept as", doc.Key == documents.Key("123454", doc.SHA256))

	_, err = client.Archive(context.Background(), "999999", dir)
	fmt.Println(err)
	// Output:
	// application/pdf 46 bytes
	// sha256 f8230d9db48f0eeb282bb6eb54fd3fcc38e75d71971f6e152db56df08262937e
	// kept as true
	// documents: document "999999": the planner has no such document (HTTP 404 Not Found): 404 page not found, after 1 attempt
}
