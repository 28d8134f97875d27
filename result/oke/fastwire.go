package oke

import "strconv"

// fastWire reads a message of the plain shape nearly every delivery has
// into w, as json.Unmarshal would, about four times as fast: ASCII
// throughout, strings without escapes, each known key once, integers
// without fractions, no person or offering. On anything else it reports
// false, having changed nothing the caller keeps, and Decode reads the
// body with encoding/json, which gives every error its exact place.
// FuzzFastWire holds the two to the same result.
func fastWire(body []byte, w *wireMessage) bool {
	// One allocation each for the text, the strings, the integers and
	// the flags: the fields point into them, not into one allocation each.
	// A message of OKE's has eleven or twelve strings; more move the slab.
	p := wireParser{b: body, text: string(body), strs: make([]string, 0, 12), ints: make([]int, 0, 4)}
	var m wireMessage
	if !p.object(func(key string) bool {
		switch key {
		case "associationId":
			return p.str(&m.AssociationID)
		case "associationType":
			return p.str(&m.AssociationType)
		case "consumers":
			return list(&p, &m.Consumers, func(c *wireAssociationConsumer) bool {
				return p.object(func(key string) bool {
					switch key {
					case "consumerKey":
						return p.str(&c.ConsumerKey)
					case "orgAssociationId":
						return p.str(&c.OrgAssociationID)
					case "attempt":
						return p.int(&c.Attempt)
					}
					return false
				})
			})
		case "result":
			if p.null() {
				return true
			}
			m.Result = new(wireResult)
			return p.result(m.Result)
		}
		return false // person and offering, and keys unknown or in another case
	}) {
		return false
	}
	if p.ws(); p.i != len(p.b) {
		return false
	}
	*w = m
	return true
}

func (p *wireParser) result(r *wireResult) bool {
	return p.object(func(key string) bool {
		switch key {
		case "state":
			return p.str(&r.State)
		case "pass":
			return p.str(&r.Pass)
		case "comment":
			return p.str(&r.Comment)
		case "score":
			return p.str(&r.Score)
		case "resultDate":
			return p.str(&r.ResultDate)
		case "weight":
			return p.int(&r.Weight)
		case "consumers":
			return list(p, &r.Consumers, p.resultConsumer)
		}
		return false
	})
}

func (p *wireParser) resultConsumer(c *wireResultConsumer) bool {
	return p.object(func(key string) bool {
		switch key {
		case "consumerKey":
			return p.str(&c.ConsumerKey)
		case "attendance":
			return p.str(&c.Attendance)
		case "executedOfferingName":
			return p.str(&c.ExecutedOfferingName)
		case "assessorId":
			return p.str(&c.AssessorID)
		case "assessorCode":
			return p.str(&c.AssessorCode)
		case "irregularities":
			return p.str(&c.Irregularities)
		case "final":
			return p.bool(&c.Final)
		case "rawScore":
			return p.int(&c.RawScore)
		case "maxRawScore":
			return p.int(&c.MaxRawScore)
		case "testDate":
			return p.str(&c.TestDate)
		case "documents":
			return list(p, &c.Documents, func(d *wireDocument) bool {
				return p.object(func(key string) bool {
					switch key {
					case "documentId":
						return p.str(&d.DocumentID)
					case "documentType":
						return p.str(&d.DocumentType)
					case "documentName":
						return p.str(&d.DocumentName)
					}
					return false
				})
			})
		}
		return false
	})
}

// A wireParser reads the plain shape; every method reports false on
// anything outside it.
type wireParser struct {
	b    []byte
	i    int
	text string   // b as a string: strings read are parts of it
	strs []string // what string fields point to
	ints []int    // what integer fields point to
}

func (p *wireParser) ws() {
	for p.i < len(p.b) && (p.b[p.i] == ' ' || p.b[p.i] == '\n' || p.b[p.i] == '\r' || p.b[p.i] == '\t') {
		p.i++
	}
}

// next skips white space and reports whether the next byte is c, taking it.
func (p *wireParser) next(c byte) bool {
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

// object reads an object, giving each key to member, which reads its value;
// a key seen twice is outside the shape.
func (p *wireParser) object(member func(key string) bool) bool {
	if !p.next('{') {
		return false
	}
	if p.next('}') {
		return true
	}
	var seenKeys [16]string // more keys than a flow-5 object has fall back to the heap
	seen := seenKeys[:0]
	for {
		key, ok := p.string()
		if !ok || !p.next(':') {
			return false
		}
		for _, k := range seen {
			if k == key {
				return false
			}
		}
		seen = append(seen, key)
		if !member(key) {
			return false
		}
		if p.next('}') {
			return true
		}
		if !p.next(',') {
			return false
		}
	}
}

// list reads an array of objects into *s, or null.
func list[T any](p *wireParser, s *[]T, elem func(*T) bool) bool {
	if p.null() {
		return true
	}
	if !p.next('[') {
		return false
	}
	out := make([]T, 0, 1)
	if p.next(']') {
		*s = out
		return true
	}
	for {
		out = append(out, *new(T))
		if !elem(&out[len(out)-1]) {
			return false
		}
		if p.next(']') {
			*s = out
			return true
		}
		if !p.next(',') {
			return false
		}
	}
}

// string reads a string of printable ASCII without escapes.
func (p *wireParser) string() (string, bool) {
	if !p.next('"') {
		return "", false
	}
	start := p.i
	for ; p.i < len(p.b); p.i++ {
		switch c := p.b[p.i]; {
		case c == '"':
			s := p.text[start:p.i]
			p.i++
			return s, true
		case c < 0x20 || c >= 0x7f || c == '\\':
			return "", false
		}
	}
	return "", false
}

// literal takes the word if it comes next.
func (p *wireParser) literal(word string) bool {
	p.ws()
	if len(p.b)-p.i >= len(word) && string(p.b[p.i:p.i+len(word)]) == word {
		p.i += len(word)
		return true
	}
	return false
}

func (p *wireParser) null() bool { return p.literal("null") }

func (p *wireParser) str(v **string) bool {
	if p.null() {
		return true
	}
	s, ok := p.string()
	if ok {
		p.strs = append(p.strs, s) // a full slab moves; what pointed into the old one stays valid
		*v = &p.strs[len(p.strs)-1]
	}
	return ok
}

func (p *wireParser) bool(v **bool) bool {
	switch {
	case p.null():
		return true
	case p.literal("true"):
		t := true
		*v = &t
		return true
	case p.literal("false"):
		f := false
		*v = &f
		return true
	}
	return false
}

// int reads an integer of at most nine digits, or null.
func (p *wireParser) int(v **int) bool {
	if p.null() {
		return true
	}
	p.ws()
	start := p.i
	if p.i < len(p.b) && p.b[p.i] == '-' {
		p.i++
	}
	digits := p.i
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
		p.i++
	}
	n := p.i - digits
	if n == 0 || n > 9 || n > 1 && p.b[digits] == '0' {
		return false
	}
	if p.i < len(p.b) && (p.b[p.i] == '.' || p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		return false
	}
	x, err := strconv.Atoi(p.text[start:p.i])
	if err != nil {
		return false
	}
	p.ints = append(p.ints, x)
	*v = &p.ints[len(p.ints)-1]
	return true
}
