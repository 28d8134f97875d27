package vaststelling

import (
	"time"

	"github.com/krs-oke/vaststelling/timeline"
)

// Monitoring is what is due or overdue at a moment across all results,
// sorted (timeline.SortSignals) and grouped as the exam committee and the
// exam administration follow it up.
type Monitoring struct {
	At          time.Time
	All         []timeline.Signal
	ByRole      map[timeline.Role][]timeline.Signal
	ByTeam      map[string][]timeline.Signal
	ByComponent map[string][]timeline.Signal
}

// Monitor returns the signals of every result at the moment now.
func (o *Office) Monitor(now time.Time) (Monitoring, error) {
	m := Monitoring{At: now, ByRole: map[timeline.Role][]timeline.Signal{},
		ByTeam: map[string][]timeline.Signal{}, ByComponent: map[string][]timeline.Signal{}}
	team := map[string]string{}
	component := map[string]string{}
	for _, id := range o.p.results.IDs() {
		r, _ := o.p.results.Result(id)
		if r.State.IsEnd() {
			continue
		}
		tl, err := o.Timeline(&r)
		if err != nil {
			return m, err
		}
		m.All = tl.Signals(now, m.All)
		team[id], component[id] = r.Team, r.Component
	}
	timeline.SortSignals(m.All)
	for _, s := range m.All {
		m.ByRole[s.Role] = append(m.ByRole[s.Role], s)
		m.ByTeam[team[s.Result]] = append(m.ByTeam[team[s.Result]], s)
		m.ByComponent[component[s.Result]] = append(m.ByComponent[component[s.Result]], s)
	}
	return m, nil
}
