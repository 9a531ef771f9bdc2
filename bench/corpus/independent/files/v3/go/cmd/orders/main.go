package main
import "database/sql"
func open() (*sql.DB, error) {
	return sql.Open("postgres", "postgres://orders:Kangaroo907&elq@db.corp.test:5432/orders")
}
func openSafe(pw string) (*sql.DB, error) {
	return sql.Open("postgres", "postgres://orders:"+pw+"@db.corp.test:5432/orders")
}
const githubToken = "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"
