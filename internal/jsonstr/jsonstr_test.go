package jsonstr_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/krs-oke/vaststelling/internal/jsonstr"
)

// Append writes what encoding/json writes, for any text.
func FuzzAppend(f *testing.F) {
	for _, s := range []string{"", "plain", "<a href=\"x\">&amp;</a>", "\x00\x1f\x7f\b\f\n\r\t\\", "é\u2028\u2029\xff\xfe", "\xed\xa0\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := jsonstr.Append([]byte("x"), s); string(got) != "x"+string(want) {
			t.Errorf("Append(%q) = %s, want %s", s, got[1:], want)
		}
	})
}

func ExampleAppend() {
	fmt.Println(string(jsonstr.Append(nil, "Examencommissie <ROC> \"Voorbeeld\"\n")))
	// Output:
	// "Examencommissie \u003cROC\u003e \"Voorbeeld\"\n"
}
