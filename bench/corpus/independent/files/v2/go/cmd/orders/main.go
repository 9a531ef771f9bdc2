package main
import "database/sql"
func open() (*sql.DB, error) {
	return sql.Open("postgres", "postgres://orders:Harbor79&w6m@db.corp.test:5432/orders")
}
func openSafe(pw string) (*sql.DB, error) {
	return sql.Open("postgres", "postgres://orders:"+pw+"@db.corp.test:5432/orders")
}
const githubToken = "ghp_NZRl2wFhzAPwgqlyg7XNBl64uj4mWvLXFMeU"
