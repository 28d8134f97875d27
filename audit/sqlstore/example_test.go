package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the caller chooses the driver

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/sqlstore"
	"github.com/krs-oke/vaststelling/audit/storetest"
)

// A log kept in PostgreSQL: open the database with a driver, make the
// tables once, append, verify.
func Example() {
	ctx := context.Background()
	db, err := sql.Open("pgx", os.Getenv("VASTSTELLING_POSTGRES_URL"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	store, err := sqlstore.New(db, "audit")
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := store.Migrate(ctx); err != nil {
		fmt.Println(err)
		return
	}
	log, err := audit.NewLog(store)
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := log.AppendEvents(ctx, storetest.Events(3, time.Date(2027, time.March, 1, 9, 0, 0, 0, time.UTC))...); err != nil {
		fmt.Println(err)
		return
	}
	report, err := audit.Verify(ctx, store, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(report)
}

// The tables' prefix is an identifier; anything else is refused before
// any SQL is sent, so New needs no server to say so.
func ExampleNew() {
	_, err := sqlstore.New(&sql.DB{}, "audit; DROP TABLE results")
	fmt.Println(err != nil)
	// Output:
	// true
}
