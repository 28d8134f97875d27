package result_test

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/krs-oke/vaststelling/result"
)

func ExampleParseGrade() {
	for _, text := range []string{"7.5", "7", "7.55", "10.1", "7,5"} {
		g, err := result.ParseGrade(result.Decimal0To10, text)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(g)
	}
	g, _ := result.ParseGrade(result.InsufficientSatisfactoryGood, "V")
	fmt.Println(g)
	_, err := result.ParseGrade(result.Whole0To10, "7.0")
	fmt.Println(errors.Is(err, result.ErrInvalidGrade), err)
	// Output:
	// 7.5
	// 7.0
	// result: grade "7.55" on scale 0.0-10.0: at most one decimal
	// result: grade "10.1" on scale 0.0-10.0: above 10.0
	// result: grade "7,5" on scale 0.0-10.0: write a decimal point, not a comma
	// satisfactory
	// true result: grade "7.0" on scale 0-10: a whole number, without decimals
}

func ExampleParseScale() {
	s, _ := result.ParseScale("1-10")
	fmt.Println(s)
	_, err := result.ParseScale("US letter")
	fmt.Println(errors.Is(err, result.ErrUnsupportedScale), err)
	// Output:
	// 0.0-10.0
	// true result: scale "US letter" is an OKE result value type not used in MBO, and not supported
}

func ExamplePassRule_Passes() {
	var usual result.PassRule
	strict := result.PassRule{Scale: result.Decimal0To10, Cut: decimal.RequireFromString("6")}
	for _, text := range []string{"5.4", "5.5", "6.0"} {
		g, _ := result.ParseGrade(result.Decimal0To10, text)
		a, _ := usual.Passes(g)
		b, _ := strict.Passes(g)
		fmt.Println(g, a, b)
	}

	level, _ := result.ParseGrade(result.ReferenceLevelRKTR, "2F")
	fmt.Println(level, level.PassState(usual), level.PassState(result.PassRule{Level: "3F"}))
	_, err := result.PassRule{Level: "B1"}.Passes(level)
	fmt.Println(err)
	// Output:
	// 5.4 false false
	// 5.5 true false
	// 6.0 true true
	// 2F passed failed
	// result: pass rule for scale referenceLevelRKTR: Level "B1": want 1F, 1S, 2F, 2S, 3F, 3S, 4F or 4S
}

func ExampleGrade_MarshalJSON() {
	g, _ := result.ParseGrade(result.Decimal0To10, "7.5")
	data, _ := json.Marshal(g)
	fmt.Println(string(data))

	var back result.Grade
	_ = json.Unmarshal([]byte(`{"scale": "insufficient-satisfactory-good", "value": "goed"}`), &back)
	fmt.Println(back.Scale(), back)

	data, _ = json.Marshal(result.Grade{})
	fmt.Println(string(data))

	err := json.Unmarshal([]byte(`{"scale": "0.0-10.0", "value": 7.5}`), &back)
	fmt.Println(errors.Is(err, result.ErrInvalidGrade))
	// Output:
	// {"scale":"0.0-10.0","value":"7.5"}
	// insufficient-satisfactory-good good
	// null
	// true
}
