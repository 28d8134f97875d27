package audit_test

import (
	"testing"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/storetest"
)

func TestMemoryStoreConforms(t *testing.T) {
	storetest.Run(t, func(t *testing.T) audit.Store { return &audit.MemoryStore{} })
}
