package timeline

import "fmt"

// A Role is a part a person or system plays in the procedure.
type Role uint8

// The roles. The zero Role is no role.
const (
	NoRole             Role = iota
	Assessor                // examinator: assesses the exam
	ExamAdministration      // examenadministratie: checks the import, determines under mandate
	ExamCommittee           // examencommissie: mandates, decides complaints and early determination
	AppealsBoard            // Commissie van Beroep voor de Examens (CBE): decides appeals
	Student                 // the student whose result it is
	System                  // the library itself, or the KRS acting automatically
)

var roleNames = [...]string{"", "assessor", "exam_administration", "exam_committee", "appeals_board", "student", "system"}

// String returns the role as spelled in reports and JSON, such as "exam_committee".
func (r Role) String() string {
	if int(r) < len(roleNames) {
		return roleNames[r]
	}
	return fmt.Sprintf("Role(%d)", uint8(r))
}

// MarshalText encodes the role as its String.
func (r Role) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText decodes a role's String.
func (r *Role) UnmarshalText(text []byte) error {
	for i, name := range roleNames {
		if i > 0 && string(text) == name {
			*r = Role(i)
			return nil
		}
	}
	return fmt.Errorf("timeline: unknown role %q", text)
}
