package audit_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/krs-oke/vaststelling/audit"
)

// ParseLeaf reads every leaf Leaf writes back to the same record, and
// anything it accepts is a leaf in canonical form; it never panics.
func FuzzParseLeaf(f *testing.F) {
	f.Add(int64(17), int64(1800000000), int64(5), "assoc-1207", 6, "determined", "provisional", "final",
		"exam_administration", "M-2026-01", []byte("commitment bytes"))
	f.Add(int64(0), int64(0), int64(0), "\"quoted\"\n\\", 1, "", "\x00", "é", "\u2028", "", []byte{})
	f.Add(int64(-3), int64(-62167219201), int64(0), "before year 0", -1, "\xff", "", "", "", "", []byte{1})
	f.Add(int64(9), int64(253402300800), int64(5), "after 9999", 0, "", "", "", "", "", []byte{2})
	f.Fuzz(func(t *testing.T, index, sec, nsec int64, result string, seq int, typ, from, to, role, mandate string, c []byte) {
		r := audit.Record{Index: index, Time: time.Unix(sec%(1<<38), nsec%1e9).UTC(), Result: result,
			Seq: seq, Type: typ, From: from, To: to, Role: role, Mandate: mandate}
		copy(r.Commitment[:], c)
		// CheckLeaf refuses exactly the headers whose leaf does not read back.
		_, parseErr := audit.ParseLeaf(r.Leaf())
		if checkErr := r.CheckLeaf(); (checkErr == nil) != (parseErr == nil) {
			t.Fatalf("CheckLeaf says %v, reading the leaf back %v, for %+v", checkErr, parseErr, r)
		}
		if parseErr != nil {
			return
		}
		leaf := r.Leaf()
		back, err := audit.ParseLeaf(leaf)
		if err != nil {
			t.Fatalf("%s: %v", leaf, err)
		}
		if !bytes.Equal(back.Leaf(), leaf) || !back.Time.Equal(r.Time) || back.Result != r.Result || back.Commitment != r.Commitment {
			t.Fatalf("read back differently: %+v from %+v", back, r)
		}
		// A leaf changed anywhere is refused or read as the leaf it now is.
		for _, at := range []int{0, len(leaf) / 3, len(leaf) / 2, len(leaf) - 2} {
			changed := bytes.Clone(leaf)
			changed[at] ^= byte(seq) | 1
			if got, err := audit.ParseLeaf(changed); err == nil && !bytes.Equal(got.Leaf(), changed) {
				t.Fatalf("accepted %q as %q", changed, got.Leaf())
			}
		}
	})
}
