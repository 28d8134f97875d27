package cli_test

import (
	"fmt"

	"github.com/krs-oke/vaststelling/internal/cli"
)

// A date that is not written YYYY-MM-DD and one that names no day are
// refused, each with what is wrong.
func ExampleParseDate() {
	for _, s := range []string{"2027-01-18", "18-01-2027", "2027-02-30"} {
		if d, err := cli.ParseDate(s); err != nil {
			fmt.Println(err)
		} else {
			fmt.Println(d, d.Weekday())
		}
	}
	// Output:
	// 2027-01-18 Monday
	// "18-01-2027" is not a date: want YYYY-MM-DD, such as 2027-01-18
	// 2027-02-30 is not a day: February 2027 has 28 days
}
