package main

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
)

// A node is one JSON value of the scenario file, with where it starts, so
// that a problem in it can be reported at its line and column.
type node struct {
	off, end int            // the value's bytes in the file: data[off:end]
	kind     byte           // '{', '[', '"', '0' (a number), 't' (true or false), 'n' (null)
	members  []member       // of an object, in order
	elems    []*node        // of an array
	data     *[]byte        // the whole file
	value    any            // of a scalar: string, json.Number, bool or nil
	byName   map[string]int // of an object: the index of each key's member
}

// A member is one key of an object and its value.
type member struct {
	name   string
	keyOff int // where the key's opening quote is
	val    *node
}

// raw returns the value's text as it stands in the file.
func (n *node) raw() []byte { return (*n.data)[n.off:n.end] }

// get returns the member of an object with the name, or nil.
func (n *node) get(name string) *member {
	if i, ok := n.byName[name]; ok {
		return &n.members[i]
	}
	return nil
}

// kindName says what kind of JSON value n is, for a message.
func (n *node) kindName() string {
	switch n.kind {
	case '{':
		return "an object"
	case '[':
		return "a list"
	case '"':
		return "a string"
	case '0':
		return "a number"
	case 't':
		return "true or false"
	}
	return "null"
}

// A fault is a problem at a place in the file: exit status 2.
type fault struct {
	off     int    // the byte where it is
	path    string // the value's path, such as "steps[3].action"; "" for the file as a whole
	problem string
}

func (f *fault) Error() string {
	if f.path == "" {
		return f.problem
	}
	return f.path + ": " + f.problem
}

// faultAt returns a fault at n.
func faultAt(n *node, path, format string, a ...any) *fault {
	return &fault{off: n.off, path: path, problem: fmt.Sprintf(format, a...)}
}

// position returns the 1-based line and byte column of offset off in data.
func position(data []byte, off int) (line, col int) {
	off = min(max(off, 0), len(data))
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = off - bytes.LastIndexByte(before, '\n')
	return line, col
}

// parseTree reads the file as one JSON value. Malformed JSON, data after
// the value and a key given twice in one object are faults.
func parseTree(data []byte) (*node, error) {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		if se, ok := errors.AsType[*json.SyntaxError](err); ok {
			// Offset counts the bad byte; at the end, there is none.
			off, problem := int(se.Offset)-1, "malformed JSON: "+se.Error()
			if se.Offset >= int64(len(data)) {
				off, problem = len(data), "malformed JSON: the file ends too early"
				if len(bytes.TrimSpace(data)) == 0 {
					off, problem = 0, "empty: want a scenario object"
				}
			}
			return nil, &fault{off: off, problem: problem}
		}
		return nil, &fault{problem: "malformed JSON: " + err.Error()}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	p := &treeParser{dec: dec, data: &data}
	return p.value()
}

type treeParser struct {
	dec  *json.Decoder
	data *[]byte
}

// start returns where the next value or key begins.
func (p *treeParser) start() int {
	data := *p.data
	i := int(p.dec.InputOffset())
	for i < len(data) && strings.IndexByte(" \t\r\n,:", data[i]) >= 0 {
		i++
	}
	return i
}

func (p *treeParser) value() (*node, error) {
	n := &node{off: p.start(), data: p.data}
	tok, err := p.dec.Token()
	if err != nil {
		return nil, &fault{off: n.off, problem: "malformed JSON: " + err.Error()}
	}
	switch t := tok.(type) {
	case json.Delim:
		n.kind = byte(t)
		if t == '{' {
			n.byName = map[string]int{}
			for p.dec.More() {
				keyOff := p.start()
				k, err := p.dec.Token()
				if err != nil {
					return nil, &fault{off: keyOff, problem: "malformed JSON: " + err.Error()}
				}
				name, _ := k.(string)
				if _, dup := n.byName[name]; dup {
					return nil, &fault{off: keyOff, problem: fmt.Sprintf("the key %q appears twice in one object", name)}
				}
				val, err := p.value()
				if err != nil {
					return nil, err
				}
				n.byName[name] = len(n.members)
				n.members = append(n.members, member{name: name, keyOff: keyOff, val: val})
			}
		} else {
			for p.dec.More() {
				val, err := p.value()
				if err != nil {
					return nil, err
				}
				n.elems = append(n.elems, val)
			}
		}
		if _, err := p.dec.Token(); err != nil { // the closing delimiter
			return nil, &fault{off: n.off, problem: "malformed JSON: " + err.Error()}
		}
	case string:
		n.kind, n.value = '"', t
	case json.Number:
		n.kind, n.value = '0', t
	case bool:
		n.kind, n.value = 't', t
	case nil:
		n.kind = 'n'
	}
	n.end = int(p.dec.InputOffset())
	return n, nil
}

// find returns the value at a path below n, such as "closures[2].to" or
// "versions[1].appeal_term", as the library's errors name fields, or the
// deepest value on the way that exists.
func (n *node) find(path string) *node {
	cur := n
	for _, seg := range splitPath(path) {
		var next *node
		if i, err := strconv.Atoi(seg); err == nil && cur.kind == '[' {
			if i >= 0 && i < len(cur.elems) {
				next = cur.elems[i]
			}
		} else if cur.kind == '{' {
			if m := cur.get(seg); m != nil {
				next = m.val
			}
		}
		if next == nil {
			break
		}
		cur = next
	}
	return cur
}

// splitPath cuts "a.b[2].c" into "a", "b", "2", "c".
func splitPath(path string) []string {
	return strings.FieldsFunc(path, func(r rune) bool { return r == '.' || r == '[' || r == ']' })
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// decodeStrict decodes n into v, a pointer, as encoding/json would, but
// strictly: a key that names no field is a fault at that key, keys match
// their field's name exactly, and every fault names the path of the value
// (below path) and points at it. Values of a type that decodes itself
// (json.Unmarshaler, encoding.TextUnmarshaler) are decoded by it, and its
// error is the fault's problem.
func decodeStrict(n *node, path string, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		panic("decodeStrict: not a pointer")
	}
	return decodeValue(n, path, rv.Elem())
}

func decodeValue(n *node, path string, v reflect.Value) error {
	pt := reflect.PointerTo(v.Type())
	if pt.Implements(jsonUnmarshaler) || (pt.Implements(textUnmarshaler) && n.kind == '"') {
		if err := json.Unmarshal(n.raw(), v.Addr().Interface()); err != nil {
			return faultAt(n, path, "%s", problemOf(err, v.Type()))
		}
		return nil
	}
	if n.kind == 'n' {
		v.SetZero()
		return nil
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		return decodeValue(n, path, v.Elem())
	case reflect.Struct:
		if n.kind != '{' {
			return faultAt(n, path, "want an object, not %s", n.kindName())
		}
		fields := structFields(v.Type())
		for _, m := range n.members {
			idx, ok := fields[m.name]
			if !ok {
				return &fault{off: m.keyOff, path: join(path, m.name), problem: "unknown field; want " + fieldNames(v.Type())}
			}
			f, err := v.FieldByIndexErr(idx)
			if err != nil { // a nil embedded pointer: allocate it
				for i := range idx {
					fv := v.FieldByIndex(idx[:i+1])
					if fv.Kind() == reflect.Pointer && fv.IsNil() {
						fv.Set(reflect.New(fv.Type().Elem()))
					}
				}
				f = v.FieldByIndex(idx)
			}
			if err := decodeValue(m.val, join(path, m.name), f); err != nil {
				return err
			}
		}
		return nil
	case reflect.Slice:
		if n.kind != '[' {
			return faultAt(n, path, "want a list, not %s", n.kindName())
		}
		s := reflect.MakeSlice(v.Type(), len(n.elems), len(n.elems))
		for i, e := range n.elems {
			if err := decodeValue(e, fmt.Sprintf("%s[%d]", path, i), s.Index(i)); err != nil {
				return err
			}
		}
		v.Set(s)
		return nil
	case reflect.Map:
		if n.kind != '{' || v.Type().Key().Kind() != reflect.String {
			return faultAt(n, path, "want an object, not %s", n.kindName())
		}
		mv := reflect.MakeMapWithSize(v.Type(), len(n.members))
		for _, m := range n.members {
			ev := reflect.New(v.Type().Elem()).Elem()
			if err := decodeValue(m.val, join(path, m.name), ev); err != nil {
				return err
			}
			mv.SetMapIndex(reflect.ValueOf(m.name).Convert(v.Type().Key()), ev)
		}
		v.Set(mv)
		return nil
	}
	// A string, number, bool or interface: encoding/json decides.
	if err := json.Unmarshal(n.raw(), v.Addr().Interface()); err != nil {
		return faultAt(n, path, "%s", problemOf(err, v.Type()))
	}
	return nil
}

// join appends a key to a path.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// structFields maps the JSON names of a struct's fields, those of embedded
// structs included, to their index.
func structFields(t reflect.Type) map[string][]int {
	out := map[string][]int{}
	var walk func(t reflect.Type, index []int)
	walk = func(t reflect.Type, index []int) {
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			idx := append(append([]int(nil), index...), i)
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if f.Anonymous && name == "" && ft.Kind() == reflect.Struct {
				walk(ft, idx)
				continue
			}
			if !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if _, taken := out[name]; !taken {
				out[name] = idx
			}
		}
	}
	walk(t, nil)
	return out
}

// fieldNames lists a struct's JSON field names, for a message.
func fieldNames(t reflect.Type) string {
	fields := structFields(t)
	names := make([]string, 0, len(fields))
	for i := range t.NumField() { // in declaration order, embedded fields flattened
		names = appendNames(names, t.Field(i), fields)
	}
	return strings.Join(names, ", ")
}

func appendNames(names []string, f reflect.StructField, fields map[string][]int) []string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	ft := f.Type
	if ft.Kind() == reflect.Pointer {
		ft = ft.Elem()
	}
	if f.Anonymous && name == "" && ft.Kind() == reflect.Struct {
		for i := range ft.NumField() {
			names = appendNames(names, ft.Field(i), fields)
		}
		return names
	}
	if name == "" {
		name = f.Name
	}
	if name == "-" || !f.IsExported() {
		return names
	}
	if _, ok := fields[name]; ok {
		names = append(names, name)
	}
	return names
}

// problemOf says what is wrong with a value that did not decode into a
// value of type t.
func problemOf(err error, t reflect.Type) string {
	if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		return fmt.Sprintf("want %s, not a JSON %s", wanted(t), te.Value)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "incomplete value"
	}
	return err.Error()
}

// wanted names the JSON shape a Go type takes, for a message.
func wanted(t reflect.Type) string {
	if reflect.PointerTo(t).Implements(textUnmarshaler) {
		return "a string"
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		return "a list"
	}
	return "an object"
}
