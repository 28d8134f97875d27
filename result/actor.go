package result

import (
	"slices"

	"github.com/krs-oke/vaststelling/timeline"
)

// An Actor is who gives a command: a person, or the system, in one role.
type Actor struct {
	ID    string        `json:"id"`
	Role  timeline.Role `json:"role"`
	Teams []string      `json:"teams,omitempty"` // the teams the person belongs to, for mandates granted to a team
}

// inTeam reports whether the actor belongs to the team.
func (a Actor) inTeam(team string) bool { return slices.Contains(a.Teams, team) }
