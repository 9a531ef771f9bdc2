package main
import "database/sql"
func open() (*sql.DB, error) {
	return sql.Open("postgres", "postgres://orders:Velvet064#6Hv@db.corp.test:5432/orders")
}
func openSafe(pw string) (*sql.DB, error) {
	return sql.Open("postgres", "postgres://orders:"+pw+"@db.corp.test:5432/orders")
}
const githubToken = "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"
