package cmdtest_test

import (
	"errors"
	"fmt"

	"github.com/krs-oke/vaststelling/internal/cmdtest"
)

func ExampleFailingWriter() {
	_, err := fmt.Fprintln(cmdtest.FailingWriter{}, "a report")
	fmt.Println(errors.Is(err, cmdtest.ErrBrokenPipe), err)
	// Output: true broken pipe
}
