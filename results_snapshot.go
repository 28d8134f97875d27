package vaststelling

import (
	"encoding/json"
	"io"

	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/result/oke"
)

// writeResults writes every result of the store. TEMPORARY: JSON, until
// oke.MemoryStore writes its packed form.
func writeResults(w io.Writer, s *oke.MemoryStore) error {
	enc := json.NewEncoder(w)
	for _, id := range s.IDs() {
		r, _ := s.Result(id)
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return nil
}

func readResults(r io.Reader, s *oke.MemoryStore) error {
	dec := json.NewDecoder(r)
	for dec.More() {
		var res result.Result
		if err := dec.Decode(&res); err != nil {
			return err
		}
		_ = s.Save(res, nil)
	}
	return nil
}
