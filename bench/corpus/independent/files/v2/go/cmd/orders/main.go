package main
import "database/sql"
func open() (*sql.DB, error) {
	return sql.Open("postgres", "postgres://orders:Tr0ub4dor90!Gf4@db.corp.test:5432/orders")
}
func openSafe(pw string) (*sql.DB, error) {
	return sql.Open("postgres", "postgres://orders:"+pw+"@db.corp.test:5432/orders")
}
const githubToken = "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"
