package filestore

import (
	"encoding/binary"
	"fmt"
	"io"
)

// A crash while a batch's commit frame is written can leave, after the
// batch's whole record and hash frames, a part of the frame: cut short,
// or of full length with some of its disk sectors never written (zeros,
// where the file grew but the data did not reach the disk). A commit
// frame that a bit flip or a bad sector damaged later, after its batch
// was acknowledged, looks like neither: the frame is fully determined by
// its batch, so the damage shows as bytes that are neither the expected
// ones nor the zeros of a sector never written. That is corruption, and
// Repair does not cut it.

// sectorSize is the smallest unit a disk writes whole, or not at all: a
// torn write changes whole sectors. Disks with larger sectors tear at
// multiples of it.
const sectorSize = 512

// maxTornCommit bounds what may follow a batch's whole record and hash
// frames for it to be a torn commit: a frame of 29 bytes, and the zeros
// of the sectors a crash left unwritten.
const maxTornCommit = 64 << 10

// commitFrame returns the commit frame of the batch of count records from
// first whose R and H frame headers have the checksum sum.
func commitFrame(first int64, count int, sum uint32) []byte {
	var body [commitSize]byte
	binary.LittleEndian.PutUint64(body[:], uint64(first))
	binary.LittleEndian.PutUint32(body[8:], uint32(count))
	binary.LittleEndian.PutUint32(body[12:], sum)
	return appendFrame(nil, kindCommit, body[:])
}

// tornCommit reports whether the bytes of r from off to end, which follow
// a batch's whole record and hash frames, are what a crash can leave of
// the batch's commit frame want: sector by sector, either want's bytes
// (zeros beyond it) or zeros.
func tornCommit(r io.ReaderAt, off, end int64, want []byte) (bool, error) {
	if end-off > maxTornCommit {
		return false, nil
	}
	b := make([]byte, end-off)
	if _, err := r.ReadAt(b, off); err != nil && !(err == io.EOF) {
		return false, fmt.Errorf("reading at %d: %w", off, err)
	}
	for i := 0; i < len(b); {
		next := min(len(b), i+sectorSize-int((off+int64(i))%sectorSize))
		if !allZero(b[i:next]) {
			for j := i; j < next; j++ {
				var w byte
				if j < len(want) {
					w = want[j]
				}
				if b[j] != w {
					return false, nil
				}
			}
		}
		i = next
	}
	return true, nil
}
