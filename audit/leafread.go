package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
)

// readLeaf reads the index and the commitment of a leaf in the form
// AppendLeaf writes, without parsing the rest into a Record or
// allocating: the check Verify makes of each of a LeafStore's four
// million leaves a year. It is sound, not complete: it accepts only
// leaves ParseLeaf reads back to the same bytes, and declines (ok false)
// the rarer forms it does not check itself (quoted text with escapes or
// beyond ASCII, a negative seq), which the caller then gives to
// ParseLeaf. FuzzReadLeaf holds it to ParseLeaf.
func readLeaf(b []byte) (index int64, commitment [sha256.Size]byte, ok bool) {
	p := leafReader{b: b, ok: true}
	p.literal(Version + "\nindex ")
	index = p.number()
	p.literal("\ntime \"")
	p.time()
	p.literal("\"\nresult ")
	p.quoted()
	p.literal("\nseq ")
	p.number()
	for _, name := range [...]string{"\ntype ", "\nfrom ", "\nto ", "\nrole ", "\nmandate "} {
		p.literal(name)
		p.quoted()
	}
	p.literal("\ncommitment ")
	const encoded = 44 // base64 of 32 bytes, padded
	if !p.ok || len(p.b) != encoded+1 || p.b[encoded] != '\n' {
		return 0, commitment, false
	}
	var c [sha256.Size + 1]byte // Decode may use a whole last quantum
	n, err := base64.StdEncoding.Decode(c[:], p.b[:encoded])
	if err != nil || n != sha256.Size {
		return 0, commitment, false
	}
	var again [encoded]byte
	if base64.StdEncoding.Encode(again[:], c[:sha256.Size]); !bytes.Equal(again[:], p.b[:encoded]) {
		return 0, commitment, false // bits beyond the 32 bytes: not what AppendLeaf writes
	}
	copy(commitment[:], c[:])
	return index, commitment, true
}

// A leafReader walks a leaf; once anything is amiss, ok stays false.
type leafReader struct {
	b  []byte
	ok bool
}

func (p *leafReader) literal(s string) {
	if p.ok && len(p.b) >= len(s) && string(p.b[:len(s)]) == s {
		p.b = p.b[len(s):]
		return
	}
	p.ok = false
}

// number reads a number as strconv.AppendInt writes one that is not
// negative: no sign, no leading zero, at most 18 digits.
func (p *leafReader) number() int64 {
	n, i := int64(0), 0
	for ; p.ok && i < len(p.b) && i < 19 && p.b[i] >= '0' && p.b[i] <= '9'; i++ {
		n = 10*n + int64(p.b[i]-'0')
	}
	if i == 0 || i > 18 || i > 1 && p.b[0] == '0' {
		p.ok = false
		return 0
	}
	p.b = p.b[i:]
	return n
}

// quoted reads text quoted as appendQuoted writes it without escapes:
// printable ASCII other than the quote and the backslash.
func (p *leafReader) quoted() {
	if !p.ok || len(p.b) < 2 || p.b[0] != '"' {
		p.ok = false
		return
	}
	for i := 1; i < len(p.b); i++ {
		switch c := p.b[i]; {
		case c == '"':
			p.b = p.b[i+1:]
			return
		case c < 0x20 || c >= 0x7f || c == '\\':
			p.ok = false
			return
		}
	}
	p.ok = false
}

// time reads a time in UTC as RFC 3339 with nanoseconds writes it:
// 2006-01-02T15:04:05, a fraction without trailing zeros if it is not
// zero, and Z; every field in its range, the day in its month.
func (p *leafReader) time() {
	b := p.b
	if !p.ok || len(b) < 20 || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		p.ok = false
		return
	}
	digits := func(s []byte) int {
		n := 0
		for _, c := range s {
			if c < '0' || c > '9' {
				return -1
			}
			n = 10*n + int(c-'0')
		}
		return n
	}
	year, month, day := digits(b[0:4]), digits(b[5:7]), digits(b[8:10])
	hour, minute, second := digits(b[11:13]), digits(b[14:16]), digits(b[17:19])
	if year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(month, year) ||
		hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 {
		p.ok = false
		return
	}
	b = b[19:]
	if b[0] == '.' {
		i := 1
		for i < len(b) && i <= 9 && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == 1 || b[i-1] == '0' {
			p.ok = false // no digits, or a trailing zero
			return
		}
		b = b[i:]
	}
	if len(b) == 0 || b[0] != 'Z' {
		p.ok = false
		return
	}
	p.b = b[1:]
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
