package oke

import (
	"encoding/json"
	"reflect"
	"testing"
)

// FuzzFastWire: whatever the fast path reads, encoding/json reads too, to
// the same wire message; and the plain messages of the examples take the
// fast path.
func FuzzFastWire(f *testing.F) {
	for _, body := range exampleBodies(f) {
		f.Add(body)
	}
	f.Add(plain)
	for _, body := range []string{`{}`, ` { "result" : null , "consumers" : [ ] } `, `{"consumers":[{"attempt":-0}]}`,
		`{"result":{"weight":007}}`, `{"result":{"weight":1e2}}`, `{"Result":{}}`, `{"result":{},"result":{}}`,
		`{"result":{"consumers":[{"final":true,"rawScore":123456789,"documents":[{}]}]}} x`, `{"associationId":"\u00e9"}`} {
		f.Add([]byte(body))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var fast wireMessage
		if !fastWire(body, &fast) {
			return
		}
		var slow wireMessage
		if err := json.Unmarshal(body, &slow); err != nil {
			t.Fatalf("the fast path read %q, encoding/json says %v", body, err)
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Fatalf("read %q as\n%#v\nencoding/json as\n%#v", body, fast, slow)
		}
	})
}

// plain is a score message of the plain shape.
var plain = []byte(`{"associationType": "componentOfferingAssociation",
	"consumers": [{"consumerKey": "nl-test-admin", "orgAssociationId": "assoc-1", "attempt": 1}],
	"result": {"state": "completed", "score": "7.5", "resultDate": "2027-02-04", "weight": 100,
		"consumers": [{"consumerKey": "nl-test-admin", "attendance": "present", "final": false,
			"executedOfferingName": "A", "assessorCode": "JAJE", "testDate": "2027-01-18T11:00:00+01:00"}]}}`)

// The plain shape takes the fast path; anything else does not, and is read
// as before.
func TestFastWireTakesThePlainShape(t *testing.T) {
	var w wireMessage
	if !fastWire(plain, &w) {
		t.Fatal("a plain message missed the fast path")
	}
	if *w.Result.Score != "7.5" || *w.Consumers[0].Attempt != 1 || *w.Result.Consumers[0].Final {
		t.Fatalf("read %+v", w)
	}
	for _, other := range []string{
		`{"associationType": "caf\u00e9"}`,          // an escape
		`{"associationType": "café"}`,               // not ASCII
		`{"AssociationType": "x"}`,                  // a key in another case
		`{"person": "p-1"}`,                         // kept raw by encoding/json
		`{"result": {"weight": 100.0}}`,             // a number that is no int
		`{"result": {"weight": 1}, "result": null}`, // a key twice
		`{"result": {}} {}`,                         // data after the object
		`[]`, ``, `{`,
	} {
		if fastWire([]byte(other), &w) {
			t.Errorf("%s took the fast path", other)
		}
	}
}

func BenchmarkWire(b *testing.B) {
	body := plain
	var w wireMessage
	if !fastWire(body, &w) {
		b.Fatalf("%s misses the fast path", body)
	}
	b.Run("encoding/json", func(b *testing.B) {
		for b.Loop() {
			var w wireMessage
			if err := json.Unmarshal(body, &w); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("fast", func(b *testing.B) {
		for b.Loop() {
			var w wireMessage
			fastWire(body, &w)
		}
	})
}
