package audit_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/storetest"
)

// Events go into the log; a signed checkpoint commits to it; an inclusion
// proof shows one event is in it; verification checks it all.
func Example() {
	ctx := context.Background()
	store := &audit.MemoryStore{}
	log, err := audit.NewLog(store)
	if err != nil {
		fmt.Println(err)
		return
	}
	at := time.Date(2027, time.March, 1, 9, 0, 0, 0, time.UTC)
	if _, err := log.AppendEvents(ctx, storetest.Events(30, at)...); err != nil {
		fmt.Println(err)
		return
	}

	// The exam committee holds the signing key; an inspector the verifier key.
	skey, vkey, _ := note.GenerateKey(rand.Reader, "examencommissie")
	signer, _ := note.NewSigner(skey)
	verifier, _ := note.NewVerifier(vkey)
	c, _ := log.Checkpoint(ctx, "roc-voorbeeld.nl/examens", at.Add(time.Hour))
	signed, _ := c.Sign(signer)

	checkpoint, err := audit.OpenCheckpoint(signed, note.VerifierList(verifier))
	fmt.Println("checkpoint of", checkpoint.Size, "events:", err)

	records, _ := store.Records(ctx, 8, 9)
	proof, _ := log.ProveInclusion(ctx, 8, checkpoint.Size)
	fmt.Println("event 8 included:", audit.CheckInclusion(proof, checkpoint, &records[0]))

	// The AVG: erase the personal data of event 8; the log still verifies.
	_ = log.Erase(ctx, 8)
	report, err := audit.Verify(ctx, store, &checkpoint)
	fmt.Println("verified:", err, "erased:", report.Erased)
	// Output:
	// checkpoint of 30 events: <nil>
	// event 8 included: <nil>
	// verified: <nil> erased: [8]
}
