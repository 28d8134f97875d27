package audit

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readLeaf takes the leaves the log writes for the trail's events, with
// their index and commitment.
func TestReadLeafTakesWhatTheLogWrites(t *testing.T) {
	for i, r := range []Record{
		{Index: 0, Time: time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC), Result: "y0000001", Seq: 4, Type: "determined",
			From: "provisional", To: "final", Role: "exam_administration", Mandate: "M-2026-standing"},
		{Index: 4_029_999, Time: time.Date(2028, 2, 29, 23, 59, 59, 120_000_000, time.UTC), Result: "assoc 1", Seq: 12},
		{Index: 999_999_999_999_999_999, Time: time.Date(9999, 12, 31, 0, 0, 0, 1, time.UTC)},
		{Index: 7, Time: time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), Result: "~!#$%&'()*+,-./:;<=>?@[]^_`{|}"},
	} {
		r.Commitment[0], r.Commitment[31] = byte(i), 0xff
		index, c, ok := readLeaf(r.Leaf())
		require.True(t, ok, "%s", r.Leaf())
		assert.Equal(t, r.Index, index)
		assert.Equal(t, r.Commitment, c)
	}
}

// readLeaf declines what it does not check itself and what is not a
// leaf; ParseLeaf reads the first kind and refuses the second.
func TestReadLeafDeclines(t *testing.T) {
	good := Record{Index: 17, Time: time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC), Result: "a", Type: "determined"}
	leaf := string(good.Leaf())
	for name, c := range map[string]struct {
		leaf     string
		readable bool // by ParseLeaf
	}{
		"escaped text":      {strings.Replace(leaf, `"a"`, `"\"a\""`, 1), true},
		"text beyond ascii": {strings.Replace(leaf, `"a"`, `"é"`, 1), true},
		"negative seq":      {strings.Replace(leaf, "seq 0", "seq -1", 1), true},
		"leading zero":      {strings.Replace(leaf, "index 17", "index 017", 1), false},
		"no index":          {strings.Replace(leaf, "index 17", "index ", 1), false},
		"30 February":       {strings.Replace(leaf, "2027-03-01", "2027-02-30", 1), false},
		"29 February 2100":  {strings.Replace(leaf, "2027-03-01", "2100-02-29", 1), false},
		"hour 24":           {strings.Replace(leaf, "T08:", "T24:", 1), false},
		"trailing zero":     {strings.Replace(leaf, "00Z", "00.10Z", 1), false},
		"empty fraction":    {strings.Replace(leaf, "00Z", "00.Z", 1), false},
		"an offset":         {strings.Replace(leaf, "00Z", "00+00:00", 1), false},
		"unquoted":          {strings.Replace(leaf, `"a"`, `a`, 1), false},
		"padding bits":      {strings.Replace(leaf, "AA=\n", "AB=\n", 1), false},
		"short":             {leaf[:len(leaf)-2] + "\n", false},
		"a line more":       {leaf + "x\n", false},
		"no newline":        {leaf[:len(leaf)-1], false},
	} {
		_, _, ok := readLeaf([]byte(c.leaf))
		assert.False(t, ok, name)
		_, err := ParseLeaf([]byte(c.leaf))
		assert.Equal(t, c.readable, err == nil, "%s: %v", name, err)
	}
}

// Whatever readLeaf accepts, ParseLeaf reads back to the same bytes, with
// the same index and commitment.
func FuzzReadLeaf(f *testing.F) {
	r := Record{Index: 17, Time: time.Date(2027, 3, 1, 8, 0, 0, 5, time.UTC), Result: "assoc-1207", Seq: 6,
		Type: "determined", From: "provisional", To: "final", Role: "exam_administration", Mandate: "M-2026-01"}
	f.Add(r.Leaf())
	r.Time = time.Date(2028, 2, 29, 23, 59, 59, 0, time.UTC)
	f.Add(r.Leaf())
	f.Add([]byte(Version + "\nindex 0\n"))
	f.Fuzz(func(t *testing.T, leaf []byte) {
		index, c, ok := readLeaf(leaf)
		if !ok {
			return
		}
		back, err := ParseLeaf(leaf)
		if err != nil {
			t.Fatalf("readLeaf took %q, ParseLeaf: %v", leaf, err)
		}
		if back.Index != index || back.Commitment != c || !bytes.Equal(back.Leaf(), leaf) {
			t.Fatalf("readLeaf read %d %x, ParseLeaf %+v", index, c, back)
		}
	})
}
