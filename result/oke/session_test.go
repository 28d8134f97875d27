package oke

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"reflect"
	"testing"

	"github.com/krs-oke/vaststelling/result"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSessionKey(t *testing.T) {
	cases := []struct {
		executed, want string
	}{
		{"variant12", "variant12"},
		{"  KT1-W2 18-01 ochtend\t", "KT1-W2 18-01 ochtend"},
		{"", ""},
		{" \n ", ""},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, SessionKey(&result.Record{ExecutedOffering: tc.executed, Offering: session}), "%q", tc.executed)
	}
}

// withSession returns an edit that names the session the result was obtained in.
func withSession(name string) func(m, res, rc map[string]any) {
	return func(m, res, rc map[string]any) { rc["executedOfferingName"] = name }
}

func TestSessionReportBySessionName(t *testing.T) {
	in := newIntake(t)
	deliver(t, in, Patch, first, message(t, first, 1, withSession("KT1-W2 18-01 ochtend")), at("2027-02-05", 9))
	deliver(t, in, Patch, ended, message(t, ended, 1, withSession("KT1-W2 18-01 middag")), at("2027-02-05", 9))

	// The enrolments share an offering, but not a session: the report of
	// one session holds its result only, found by its name as delivered.
	events, err := in.SessionReport(" KT1-W2 18-01 ochtend ", "fire alarm", at("2027-02-05", 12))
	require.NoError(t, err)
	require.Len(t, events, 1)
	assert.Equal(t, first, events[0].Result)
	assert.Equal(t, result.OnHold, stored(t, in, first).State)
	assert.Equal(t, result.Provisional, stored(t, in, ended).State)

	// A report without irregularities holds nothing, and the session has
	// its report.
	events, err = in.SessionReport("KT1-W2 18-01 middag", "  ", at("2027-02-05", 12))
	require.NoError(t, err)
	assert.Empty(t, events)
	assert.Equal(t, result.Provisional, stored(t, in, ended).State)

	// A report under a name no result bears waits for one.
	_, err = in.SessionReport("PVB-1 20-01", "the assessor left early", at("2027-02-05", 12))
	require.NoError(t, err)
	rc := deliver(t, in, Patch, levels, message(t, levels, 1, withSession("PVB-1 20-01"), func(m, res, rc map[string]any) {
		res["score"] = "2F"
		delete(rc, "assessorId")
	}), at("2027-02-06", 9))
	assert.Equal(t, []Code{Code(result.Irregularity)}, codes(rc.Reasons))
	assert.Equal(t, "session report: the assessor left early", rc.Reasons[0].Message)

	// A report without a session name holds nothing and is refused.
	for _, name := range []string{"", " \t"} {
		_, err = in.SessionReport(name, "smoke", at("2027-02-05", 12))
		assert.ErrorIs(t, err, ErrNoSession)
	}
}

func TestUnreportedSessions(t *testing.T) {
	in := newIntake(t)
	got, err := in.UnreportedSessions()
	require.NoError(t, err)
	assert.Empty(t, got)

	deliver(t, in, Patch, first, message(t, first, 1, withSession("B ochtend")), at("2027-02-05", 9))
	deliver(t, in, Patch, ended, message(t, ended, 1, withSession("A middag")), at("2027-02-05", 9))
	deliver(t, in, Patch, unlimited, message(t, unlimited, 1, withSession("B ochtend")), at("2027-02-05", 9))
	got, err = in.UnreportedSessions()
	require.NoError(t, err)
	assert.Equal(t, []string{"A middag", "B ochtend"}, got)
	assert.Equal(t, []string{"A middag", "B ochtend"}, in.Store.(*MemoryStore).Sessions())
	assert.Equal(t, []string{first, unlimited}, in.Store.Session("B ochtend"))

	// A report without irregularities is a report; one under another name
	// does not count.
	_, err = in.SessionReport("B ochtend", "", at("2027-02-05", 12))
	require.NoError(t, err)
	_, err = in.SessionReport("A-middag", "noise", at("2027-02-05", 12))
	require.NoError(t, err)
	got, err = in.UnreportedSessions()
	require.NoError(t, err)
	assert.Equal(t, []string{"A middag"}, got)

	// A store that cannot list its sessions says so.
	in2 := newIntake(t)
	in2.Store = struct{ Store }{NewStore()}
	_, err = in2.UnreportedSessions()
	assert.ErrorIs(t, err, ErrNoSessionList)
}

// A result re-delivered from another session moves to it, in the index
// and for the reports.
func TestSessionMovesWithTheRecord(t *testing.T) {
	in := newIntake(t)
	in.HoldForCheck = true
	deliver(t, in, Patch, first, message(t, first, 1, withSession("A")), at("2027-02-05", 9))
	deliver(t, in, Patch, unlimited, message(t, unlimited, 1, withSession("A")), at("2027-02-05", 9))
	rc := deliver(t, in, Patch, first, message(t, first, 1, withSession("B")), at("2027-02-05", 10))
	require.Equal(t, Accepted, rc.Outcome, "%v", rc.Reasons)
	s := in.Store.(*MemoryStore)
	assert.Equal(t, []string{unlimited}, s.Session("A"))
	assert.Equal(t, []string{first}, s.Session("B"))
	assert.Equal(t, []string{"A", "B"}, s.Sessions())

	rc = deliver(t, in, Patch, unlimited, message(t, unlimited, 1, withSession("B")), at("2027-02-05", 10))
	require.Equal(t, Accepted, rc.Outcome, "%v", rc.Reasons)
	assert.Empty(t, s.Session("A"))
	assert.Equal(t, []string{"B"}, s.Sessions(), "a session without results is gone")
	assert.Equal(t, []string{first, unlimited}, s.Session("B"))

	// A result without a session is in none.
	require.NoError(t, s.Save(result.Result{Record: result.Record{ID: "by-hand", Source: result.Manual}}, nil))
	assert.Equal(t, []string{"B"}, s.Sessions())
}

// TestPackedSession holds packedSession to packer.record: for records
// filled to every field, and for the zero record, it finds the session
// that pack wrote.
func TestPackedSession(t *testing.T) {
	var locs locations
	for k := range 4 {
		var r result.Result
		if k > 0 {
			m := k
			fill(t, reflect.ValueOf(&r).Elem(), fmt.Sprint("filled", k), &m)
		}
		r.ExecutedOffering = fmt.Sprintf(" zitting %d ", k)
		b := pack(nil, &r, &locs)
		assert.Equal(t, r.ExecutedOffering, string(packedSession(b)), "record %d", k)
		assert.Nil(t, packedSession(b[:3]), "cut short")
	}
	assert.Nil(t, packedSession(nil))
}

// A store snapshot of version 1, whose session index is keyed by the
// enrolments' offerings, is refused: its reader rebuilds the store.
func TestSnapshotVersion1Refused(t *testing.T) {
	s := NewResultStore()
	require.NoError(t, s.Save(yearResult(t, 0), nil))
	b := snapshot(t, s)
	binary.LittleEndian.PutUint32(b[len(snapshotMagic):], 1)
	_, err := ReadStoreSnapshot(bytes.NewReader(b), ams)
	require.ErrorIs(t, err, ErrSnapshotVersion)
	assert.Contains(t, err.Error(), "version 1, this package reads version 2")
}
