package filestore

import (
	"testing"
)

// A frame written into a buffer with room allocates nothing (a year's
// trail writes eight million), and reads back.
func TestAppendFrameAllocatesNothing(t *testing.T) {
	body := []byte("index 17 and the rest of a leaf")
	buf := make([]byte, 0, 256)
	allocs := testing.AllocsPerRun(100, func() { buf = appendFrame(buf[:0], kindRecord, body) })
	if allocs != 0 {
		t.Fatalf("%v allocations a frame", allocs)
	}
	got, problem := frameAt(buf, 0, kindRecord, int64(len(body)))
	if problem != "" || string(got) != string(body) {
		t.Fatalf("read back %q, %s", got, problem)
	}
}
