package filestore_test

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/filestore"
	"github.com/krs-oke/vaststelling/audit/storetest"
)

// One writer at a time; a verifier reads beside it, and sees the batches
// complete when it opened.
func ExampleOpenReadOnly() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "trail")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	w, err := filestore.Open(dir)
	if err != nil {
		panic(err)
	}
	defer w.Close()
	log, err := audit.NewLog(w)
	if err != nil {
		panic(err)
	}
	if _, err := log.AppendEvents(ctx, storetest.Events(3, start)...); err != nil {
		panic(err)
	}

	_, err = filestore.Open(dir)
	fmt.Println("a second writer:", errors.Is(err, filestore.ErrLocked))

	r, err := filestore.OpenReadOnly(dir)
	if err != nil {
		panic(err)
	}
	defer r.Close()
	if _, err := log.AppendEvents(ctx, storetest.Events(2, start)...); err != nil {
		panic(err)
	}
	rep, err := audit.Verify(ctx, r, nil)
	if err != nil {
		panic(err)
	}
	size, root := r.Head()
	fmt.Println("the verifier:", rep.Size, "records, head", size, root == rep.Root)
	size, _ = w.Head()
	fmt.Println("the writer:", size, "records")
	// Output:
	// a second writer: true
	// the verifier: 3 records, head 3 true
	// the writer: 5 records
}
