package sqlite

import (
	"database/sql"
)

// WriteConn and ReadConn expose the pools to tests that check pragmas and
// the migrations table.
func (db *DB) WriteConn() *sql.DB { return db.write }
func (db *DB) ReadConn() *sql.DB  { return db.read }

// MigrationNames lists the embedded migrations.
func MigrationNames() []string {
	names, _ := migrationNames()
	return names
}
