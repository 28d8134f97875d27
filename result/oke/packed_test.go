package oke

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/result"
)

// fill sets every field of v, recursively, to a value of its own that is
// not the zero value, so that a field pack forgets fails the round trip,
// including one added to result.Result later.
func fill(t testing.TB, v reflect.Value, path string, n *int) {
	*n++
	switch v.Interface().(type) {
	case result.Grade:
		g, err := result.ParseGrade(result.Decimal0To10, fmt.Sprintf("%d.%d", *n%10, *n%7))
		require.NoError(t, err)
		v.Set(reflect.ValueOf(g))
		return
	case time.Time:
		locs := []*time.Location{time.UTC, time.FixedZone("", 3600), time.Local}
		v.Set(reflect.ValueOf(time.Date(2027, 1, *n%28+1, 11, *n%60, 5, *n*1000+7, locs[*n%3])))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(path)
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(*n))
	case reflect.Uint8:
		v.SetUint(uint64(*n%3 + 1))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(t, v.Elem(), path, n)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(t, v.Index(i), fmt.Sprintf("%s[%d]", path, i), n)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if !v.Type().Field(i).IsExported() {
				t.Fatalf("%s.%s: unexported; teach fill and pack about %s", path, v.Type().Field(i).Name, v.Type())
			}
			fill(t, v.Field(i), path+"."+v.Type().Field(i).Name, n)
		}
	default:
		t.Fatalf("%s: fill cannot set a %s; teach it and pack", path, v.Kind())
	}
}

func TestPackEveryField(t *testing.T) {
	var r result.Result
	n := 0
	fill(t, reflect.ValueOf(&r).Elem(), "r", &n)
	require.NotNil(t, r.RawScore)
	require.Len(t, r.Exceptions, 2)
	var locs locations
	b := pack(nil, &r, &locs)
	back, err := unpack(b, &locs)
	require.NoError(t, err)
	assert.Equal(t, r, back)
	t.Logf("%d fields, packed in %d bytes", n, len(b))
}

// nil and empty lists come back as they went: a result compares them apart.
func TestPackKeepsNilApartFromEmpty(t *testing.T) {
	var locs locations
	for _, r := range []result.Result{
		{},
		{Exceptions: []result.Exception{}, DeterminedBy: result.Actor{Teams: []string{}}},
		{Exceptions: []result.Exception{{RaisedBy: result.Actor{Teams: []string{""}}}}},
		{Record: result.Record{Documents: []result.DocumentRef{}}},
		{Record: result.Record{SenderFinal: true, Documents: []result.DocumentRef{{}}},
			Exceptions: []result.Exception{{Record: &result.Record{Documents: []result.DocumentRef{}}}}},
	} {
		back, err := unpack(pack(nil, &r, &locs), &locs)
		require.NoError(t, err)
		assert.Equal(t, r, back)
	}
}

// A record packed without documents ends in the byte that was the sender's
// final flag alone before records kept documents (0 or 1): results packed
// then read back as they were.
func TestPackRecordWithoutDocumentsAsBefore(t *testing.T) {
	var locs locations
	for _, final := range []bool{false, true} {
		p := packer{locs: &locs}
		p.record(&result.Record{SenderFinal: final})
		want := byte(0)
		if final {
			want = 1
		}
		assert.Equal(t, want, p.b[len(p.b)-1])
	}
}

// sameRecord, which tells a duplicate delivery from a changed one, sees a
// change to any field of a record: a field added to result.Record that it
// does not compare fails here (see sameFields).
func TestSameRecordSeesEveryField(t *testing.T) {
	var base result.Record
	n := 0
	fill(t, reflect.ValueOf(&base).Elem(), "r", &n)
	clone := func() result.Record {
		c := base
		raw := *base.RawScore
		c.RawScore, c.Documents = &raw, slices.Clone(base.Documents)
		return c
	}
	same := clone()
	same.Exam = base.Exam.UTC() // the same instant in another zone
	require.True(t, sameRecord(&base, &same))
	empty, none := result.Record{Documents: []result.DocumentRef{}}, result.Record{}
	assert.True(t, sameRecord(&empty, &none), "no documents are no documents, nil or empty")
	typ := reflect.TypeFor[result.Record]()
	for i := range typ.NumField() {
		other := clone()
		f := reflect.ValueOf(&other).Elem().Field(i)
		for m := n; reflect.DeepEqual(f.Interface(), reflect.ValueOf(base).Field(i).Interface()); m += 7 {
			if f.Kind() == reflect.Bool {
				f.SetBool(!f.Bool())
				continue
			}
			fill(t, f, "other."+typ.Field(i).Name, &m)
		}
		assert.False(t, sameRecord(&base, &other), "a change to %s", typ.Field(i).Name)
		assert.False(t, sameRecord(&other, &base), "a change to %s, the other way", typ.Field(i).Name)
		if typ.Field(i).Name != "ID" { // a re-delivery is for the same id
			assert.NotEqual(t, "a changed re-delivery", changes(&base, &other), "a change to %s", typ.Field(i).Name)
		}
	}
}

// Zones read from text are one zone each time; the list does not grow.
func TestPackZonesAlikeAreOne(t *testing.T) {
	var locs locations
	for i := range 100 {
		at, err := time.Parse(time.RFC3339, fmt.Sprintf("2027-01-18T11:%02d:00+01:00", i%60))
		require.NoError(t, err)
		r := result.Result{Updated: at}
		back, err := unpack(pack(nil, &r, &locs), &locs)
		require.NoError(t, err)
		assert.True(t, back.Updated.Equal(at))
		_, offset := back.Updated.Zone()
		assert.Equal(t, 3600, offset)
	}
	assert.Len(t, locs.list, 1)
}

// Bytes cut short or changed are an error, never a panic.
func TestUnpackRefusesWhatPackDidNotWrite(t *testing.T) {
	var r result.Result
	n := 0
	fill(t, reflect.ValueOf(&r).Elem(), "r", &n)
	var locs locations
	b := pack(nil, &r, &locs)
	for i := range len(b) {
		_, err := unpack(b[:i], &locs)
		require.ErrorIs(t, err, errPacked, "cut at %d", i)
	}
	_, err := unpack(append(b, 0), &locs)
	require.ErrorIs(t, err, errPacked)
}

func BenchmarkPack(b *testing.B) {
	var r result.Result
	n := 0
	fill(b, reflect.ValueOf(&r).Elem(), "r", &n)
	var locs locations
	buf := pack(nil, &r, &locs)
	b.Run("pack", func(b *testing.B) {
		for b.Loop() {
			buf = pack(buf[:0], &r, &locs)
		}
	})
	b.Run("unpack", func(b *testing.B) {
		for b.Loop() {
			if _, err := unpack(buf, &locs); err != nil {
				b.Fatal(err)
			}
		}
	})
}
