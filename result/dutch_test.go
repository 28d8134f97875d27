package result

import (
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/timeline"
)

// Every problem the package writes in English has its Dutch in the table
// dutch: the test reads the package's source for the calls that write one
// (say, invalid, termPassed, reference, and the closures need and refuse)
// and looks up each format.
func TestEveryProblemHasItsDutch(t *testing.T) {
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	writers := map[string]bool{"say": true, "invalid": true, "termPassed": true, "reference": true, "need": true, "refuse": true}
	formats := 0
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		require.NoError(t, err)
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			var fn string
			switch x := call.Fun.(type) {
			case *ast.Ident:
				fn = x.Name
			case *ast.SelectorExpr:
				fn = x.Sel.Name
			}
			if !writers[fn] {
				return true
			}
			arg := call.Args[0]
			if fn == "need" || fn == "refuse" { // need(ok, format, …), refuse(err, format, …)
				if len(call.Args) < 2 {
					return true
				}
				arg = call.Args[1]
			}
			tv, err := types.Eval(fset, nil, token.NoPos, types.ExprString(arg))
			if err != nil || tv.Value == nil || tv.Value.Kind() != constant.String {
				return true // not a constant: a format passed on
			}
			format := constant.StringVal(tv.Value)
			formats++
			assert.Contains(t, dutch, format, "%s: %s(%q) has no Dutch", fset.Position(call.Pos()), fn, format)
			return true
		})
	}
	assert.Greater(t, formats, 60, "the calls were found")
}

// The words of every code the package names exist in both languages.
func TestEveryCodeHasWords(t *testing.T) {
	check := func(code string, w timeline.Words) {
		t.Helper()
		assert.NotEmpty(t, w.Dutch, code)
		assert.NotEmpty(t, w.English, code)
		assert.NotEqual(t, code, w.Dutch, "%s has no Dutch words", code)
	}
	for _, s := range append([]State{None}, States()...) {
		check(s.String(), s.Words())
	}
	for _, a := range Actions() {
		check(a.String(), a.Words())
	}
	for k := range kindRules {
		check(string(k), k.Words())
	}
	for _, c := range []Check{CheckArrival, CheckStatus, CheckTerm, CheckExceptions} {
		check(string(c), c.Words())
	}
	for _, o := range []Outcome{Resolved, Approved, Upheld, NotUpheld, Withdrawn, Inadmissible} {
		check(string(o), o.Words())
	}
}
