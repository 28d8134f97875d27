package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/krs-oke/vaststelling"
	"github.com/krs-oke/vaststelling/result/oke"
	"github.com/krs-oke/vaststelling/result/oke/documents"
)

// queueSize is how many results may wait for their documents to be
// archived; a result delivered while the queue is full is logged, and its
// documents are left for a later run (an integrator's job).
const queueSize = 1000

// An archiving fetches the documents of the results delivered, in the
// background, one result at a time: through the document client it keeps
// each in the archive, and the office records each one's SHA-256 in the
// trail (vaststelling.Office.ArchiveDocuments).
type archiving struct {
	office  *vaststelling.Office
	fetch   vaststelling.DocumentFetcher
	out     io.Writer
	logger  *slog.Logger
	queue   chan string
	done    chan struct{}
	cancel  context.CancelFunc
	stopped sync.Once
}

// startArchiving starts the archiving of documents through fetch.
func startArchiving(office *vaststelling.Office, fetch vaststelling.DocumentFetcher, out io.Writer, logger *slog.Logger) *archiving {
	ctx, cancel := context.WithCancel(context.Background())
	a := &archiving{office: office, fetch: fetch, out: out, logger: logger, queue: make(chan string, queueSize),
		done: make(chan struct{}), cancel: cancel}
	go a.run(ctx)
	return a
}

// taker is the office as the handler's taker: each delivery goes through
// the office's Deliver, and a result taken in is queued for its
// documents.
func (a *archiving) taker() oke.Taker {
	return oke.TakerFunc(func(ctx context.Context, d oke.Delivery, now time.Time) (oke.Receipt, error) {
		rc, err := a.office.Deliver(ctx, d, now)
		if err != nil {
			return rc, err
		}
		switch rc.Outcome {
		case oke.Accepted, oke.Merged, oke.Exception:
			select {
			case a.queue <- rc.AssociationID:
			default:
				a.logger.Warn("okeserver: too many results wait for their documents; archive these later",
					"result", rc.AssociationID)
			}
		}
		return rc, nil
	})
}

func (a *archiving) run(ctx context.Context) {
	defer close(a.done)
	for id := range a.queue {
		docs, err := a.office.ArchiveDocuments(ctx, id, a.fetch, time.Now())
		for _, d := range docs {
			fmt.Fprintf(a.out, "archived document %s of result %s: %s, %d bytes, sha256 %s\n",
				d.ID, d.Result, d.ContentType, d.Size, d.SHA256)
		}
		if err != nil {
			a.logger.Error("okeserver: documents not archived; archive them later", "result", id, "error", err)
		}
	}
}

// stop archives what is queued, for at most until ctx ends, and then
// stops: once the server takes no more deliveries.
func (a *archiving) stop(ctx context.Context) {
	a.stopped.Do(func() { close(a.queue) })
	select {
	case <-a.done:
	case <-ctx.Done():
		a.cancel()
		<-a.done
	}
	a.cancel()
}

var _ vaststelling.DocumentFetcher = (*documents.Archiver)(nil)
