package vaststelling

import (
	"context"
	"errors"

	"github.com/krs-oke/vaststelling/audit"

	"github.com/krs-oke/vaststelling/result/oke"
)

// Deliveries calls fn with every delivery the trail holds, in order, with
// its receipt (without its events, which are in the trail under their
// result), and stops at the first error fn returns. A delivery whose data
// was erased (AVG) comes with its number and time only. The deliveries are
// read from the trail, not kept in memory: a year of them runs to
// gigabytes.
func (o *Office) Deliveries(ctx context.Context, fn func(oke.Kept) error) error {
	size := o.Size()
	const chunk = 1024
	n := 0 // deliveries are numbered in the trail's order
	for from := int64(0); from < size; from += chunk {
		records, err := o.store.Records(ctx, from, min(from+chunk, size))
		if err != nil {
			return err
		}
		for i := range records {
			rec := &records[i]
			if rec.Result != "" || rec.Type != EntryDelivery {
				continue
			}
			n++
			k := oke.Kept{Receipt: oke.Receipt{Seq: n, At: rec.Time.In(o.cfg.Calendar.Location())}}
			var e deliveryEntry
			switch err := readEntry(rec, &e); {
			case errors.Is(err, audit.ErrErased):
			case err != nil:
				return err
			default:
				k.Delivery = oke.Delivery{Method: e.Method, AssociationID: e.AssociationID, Body: e.Body}
				k.Receipt.AssociationID = e.AssociationID
				k.Receipt.Outcome, k.Receipt.Reasons = e.Outcome, e.Reasons
			}
			if err := fn(k); err != nil {
				return err
			}
		}
	}
	return nil
}
