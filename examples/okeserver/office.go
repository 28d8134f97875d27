package main

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/krs-oke/vaststelling"
	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/filestore"
	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/result/oke"
	"github.com/krs-oke/vaststelling/timeline"
)

// The example institution's data, embedded: data/directory.json is a copy
// of result/oke/testdata/directory.json (the enrolments a delivery is
// checked against, among them a1000000-0000-4000-8000-000000000001, whose
// sample messages are in examples/oke-check/testdata), data/mandates.json
// the exam committee's mandate to the exam administration. An integrator
// gives the KRS's own (an oke.Directory over its enrolments).
//
//go:embed data
var data embed.FS

// standing is the exam administration's actor, who holds the mandate to
// determine (vaststelling.Config.Standing).
var standing = result.Actor{ID: "examenbureau", Role: timeline.ExamAdministration, Teams: []string{"examenbureau"}}

// A store is the office and what it runs on.
type store struct {
	office *vaststelling.Office
	where  string       // where the trail is kept, as the start says it
	close  func() error // closes the trail's store
}

// openOffice opens the office over its trail: in memory, or in a file
// store in dir (made when missing), resumed when it holds one, as
// examples/lifecycle -audit DIR does.
func openOffice(ctx context.Context, dir string, logger *slog.Logger) (*store, error) {
	directory, err := oke.LoadDirectory(bytes.NewReader(mustRead("data/directory.json")))
	if err != nil {
		return nil, fmt.Errorf("the example directory: %w", err)
	}
	mandates, err := result.LoadMandates(bytes.NewReader(mustRead("data/mandates.json")))
	if err != nil {
		return nil, fmt.Errorf("the example mandates: %w", err)
	}
	s := &store{where: "in memory (gone when the server stops; -audit DIR keeps it)", close: func() error { return nil }}
	var st audit.Store = &audit.MemoryStore{}
	if dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("-audit %s: %w", dir, err)
		}
		fst, err := filestore.Open(dir)
		switch {
		case errors.Is(err, filestore.ErrLocked):
			return nil, fmt.Errorf("-audit %s: %w: another process is writing this trail; stop it, or use another directory",
				dir, filestore.ErrLocked)
		case err != nil:
			return nil, fmt.Errorf("-audit %s: %w", dir, err)
		}
		size, err := fst.Size(ctx)
		if err != nil {
			_ = fst.Close()
			return nil, fmt.Errorf("-audit %s: %w", dir, err)
		}
		st, s.close = fst, fst.Close
		s.where = fmt.Sprintf("in the file store in %s (%d records at start)", dir, size)
	}
	trail, err := audit.NewLog(st)
	if err != nil {
		_ = s.close()
		return nil, err
	}
	s.office, err = vaststelling.Open(ctx, vaststelling.Config{
		Calendar: calendar.Default(), Policies: timeline.DefaultPolicies(),
		Directory: directory, Mandates: mandates, Log: trail, Standing: standing,
		Settings: timeline.Settings{Institution: "Examencommissie ROC Voorbeeld", KRS: "Eduarte",
			CommitteeAddress: "examencommissie@roc-voorbeeld.nl", AppealsBoardAddress: "cbe@roc-voorbeeld.nl"},
		Server: "okeserver", Logger: logger,
	})
	if err != nil {
		_ = s.close()
		if dir != "" {
			return nil, fmt.Errorf("-audit %s: opening the office over its trail: %w", dir, err)
		}
		return nil, err
	}
	return s, nil
}

// mustRead reads an embedded file, which is there.
func mustRead(name string) []byte {
	b, err := data.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return b
}
