package main
import "database/sql"
func open() (*sql.DB, error) {
	return sql.Open("postgres", "postgres://orders:Blue2329%GEq@db.corp.test:5432/orders")
}
func openSafe(pw string) (*sql.DB, error) {
	return sql.Open("postgres", "postgres://orders:"+pw+"@db.corp.test:5432/orders")
}
const githubToken = "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"
