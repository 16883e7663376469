// Package sqlite is callcare's store: everything that must survive a restart
// (the call log now, callbacks later), in one SQLite file.
//
// The file may be open in two processes at once (the service and the
// `callcare calls list` CLI): it runs in WAL mode, every connection waits up
// to BusyTimeout for a lock, and every write transaction takes the write lock
// when it begins (BEGIN IMMEDIATE), so a transaction never fails half way
// with "database is locked" because another process wrote first.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3" // registers the "sqlite3" driver

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/clock"
)

// BusyTimeout is how long a connection waits for another connection or
// process to release a lock before it gives up with "database is locked".
const BusyTimeout = 5 * time.Second

//go:embed migration/*.sql
var migrationFS embed.FS

// DB is an open store.
type DB struct {
	// write has one connection: writers of this process queue in Go, and only
	// another process makes them wait on SQLite's lock. Its transactions
	// begin IMMEDIATE.
	write *sql.DB
	// read is a pool of query-only connections; in WAL mode they never wait
	// for the writer.
	read *sql.DB

	// Now is read once per write transaction, for created_at and updated_at
	// columns. Tests replace it; it defaults to time.Now.
	Now func() time.Time

	// stmts are the statements of the call path, prepared once on their
	// pool: compiling SQL is most of what a small write or read costs.
	stmtMu sync.Mutex
	stmts  map[stmtKey]*sql.Stmt
}

// Open opens (creating if needed) the database file at path and applies the
// migrations it has not seen yet.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("sqlite: database path required")
	}
	if path == ":memory:" {
		// Two pools on ":memory:" would be two different databases.
		return nil, errors.New("sqlite: in-memory databases are not supported; use a file in a temp dir")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	db := &DB{Now: time.Now}

	common := url.Values{}
	common.Set("_busy_timeout", fmt.Sprint(BusyTimeout.Milliseconds()))
	common.Set("_foreign_keys", "on")

	// The write pool opens first: it turns WAL on (persistent in the file)
	// and migrates before any reader sees the schema.
	wq := url.Values{}
	for k, v := range common {
		wq[k] = v
	}
	wq.Set("_journal_mode", "WAL")
	wq.Set("_synchronous", "NORMAL") // in WAL: durable across a crash of the process, may lose the last commits on power loss
	wq.Set("_txlock", "immediate")
	if db.write, err = sql.Open("sqlite3", dsn(abs, wq)); err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db.write.SetMaxOpenConns(1)
	db.write.SetConnMaxIdleTime(0)

	if err := pingWhileBusy(ctx, db.write); err != nil {
		db.write.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if err := db.migrate(ctx); err != nil {
		db.write.Close()
		return nil, fmt.Errorf("sqlite: migrate %s: %w", path, err)
	}

	rq := url.Values{}
	for k, v := range common {
		rq[k] = v
	}
	rq.Set("_query_only", "true")
	if db.read, err = sql.Open("sqlite3", dsn(abs, rq)); err != nil {
		db.write.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if err := db.read.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return db, nil
}

// pingWhileBusy opens the write pool's first connection, retrying while
// SQLite answers SQLITE_BUSY, until BusyTimeout has passed. Connecting
// switches the file to WAL; on a new file, still in rollback-journal mode,
// two processes doing so at once can each hold the lock the other needs, and
// SQLite then answers busy at once rather than let its busy handler wait
// forever. Backing off and trying again resolves it.
func pingWhileBusy(ctx context.Context, pool *sql.DB) error {
	deadline := time.Now().Add(BusyTimeout)
	retry := clock.Backoff{Min: time.Millisecond, Max: 50 * time.Millisecond}
	for {
		err := pool.PingContext(ctx)
		var se sqlite3.Error
		if err == nil || !errors.As(err, &se) || se.Code != sqlite3.ErrBusy || time.Now().After(deadline) {
			return err
		}
		if retry.BackOff(ctx, err) != nil {
			return err
		}
	}
}

// dsn builds a file: URI, so a path with '?', '#' or '%' stays one path.
func dsn(abs string, q url.Values) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: q.Encode()}
	return u.String()
}

// Close closes the database. In WAL mode the last connection to close, in
// any process, checkpoints the log into the main file.
func (db *DB) Close() error {
	var errs []error
	db.stmtMu.Lock()
	for _, s := range db.stmts {
		errs = append(errs, s.Close())
	}
	db.stmts = nil
	db.stmtMu.Unlock()
	if db.read != nil {
		errs = append(errs, db.read.Close())
	}
	if db.write != nil {
		errs = append(errs, db.write.Close())
	}
	return errors.Join(errs...)
}

// migrate applies each embedded migration once, in name order, each in its
// own transaction together with the row that records it. A second process
// opening the file at the same moment waits for the write lock and then sees
// the migration recorded, so it is never applied twice.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (
		name       TEXT PRIMARY KEY NOT NULL,
		applied_at TEXT NOT NULL
	)`); err != nil {
		return fmt.Errorf("create migrations table: %w", err)
	}
	names, err := migrationNames()
	if err != nil {
		return err
	}
	for _, name := range names {
		if err := db.migrateFile(ctx, name); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

func migrationNames() ([]string, error) {
	names, err := fs.Glob(migrationFS, "migration/*.sql")
	sort.Strings(names)
	return names, err
}

func (db *DB) migrateFile(ctx context.Context, name string) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM migrations WHERE name = ?`, name).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	buf, err := fs.ReadFile(migrationFS, name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(buf)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO migrations (name, applied_at) VALUES (?, ?)`, name, formatTime(tx.now)); err != nil {
		return err
	}
	return tx.Commit()
}

// tx is a write transaction with the time it began, read once from DB.Now.
type tx struct {
	*sql.Tx
	now time.Time
}

// beginWrite starts a write transaction; it holds the write lock from its
// first statement (BEGIN IMMEDIATE).
func (db *DB) beginWrite(ctx context.Context) (*tx, error) {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return &tx{Tx: sqlTx, now: db.Now().UTC()}, nil
}

type stmtKey struct {
	pool  *sql.DB
	query string
}

// prepared is query prepared once on the write connection: the statements
// every call writes several times (the call log) are compiled once, not at
// each write. Call it outside a write transaction (the connection is the
// transaction's meanwhile); use it within one with tx.StmtContext.
func (db *DB) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	return db.preparedOn(ctx, db.write, query)
}

// readPrepared is query prepared once for the read pool: the reads every
// call makes (the forwards in force, a caller's open tasks).
func (db *DB) readPrepared(ctx context.Context, query string) (*sql.Stmt, error) {
	return db.preparedOn(ctx, db.read, query)
}

func (db *DB) preparedOn(ctx context.Context, pool *sql.DB, query string) (*sql.Stmt, error) {
	k := stmtKey{pool, query}
	db.stmtMu.Lock()
	s := db.stmts[k]
	db.stmtMu.Unlock()
	if s != nil {
		return s, nil
	}
	// Prepared without the lock: on the write pool it waits for a write
	// under way, and nobody else's statements should wait with it.
	s, err := pool.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	db.stmtMu.Lock()
	defer db.stmtMu.Unlock()
	if had := db.stmts[k]; had != nil {
		s.Close() // prepared twice at once: the first one stays
		return had, nil
	}
	if db.stmts == nil {
		db.stmts = map[stmtKey]*sql.Stmt{}
	}
	db.stmts[k] = s
	return s, nil
}

// beginRead starts a read transaction: its queries see one snapshot.
func (db *DB) beginRead(ctx context.Context) (*sql.Tx, error) {
	return db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
}

// timeLayout is fixed width, so text order is time order.
const timeLayout = "2006-01-02T15:04:05.000Z"

// formatTime stores t as UTC text at millisecond precision (truncated); the
// zero time is NULL.
func formatTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(timeLayout)
}

// parseTime reads what formatTime stored; NULL is the zero time.
func parseTime(s sql.NullString) (time.Time, error) {
	if !s.Valid {
		return time.Time{}, nil
	}
	t, err := time.Parse(timeLayout, s.String)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad time %q in database: %w", s.String, err)
	}
	return t.UTC(), nil
}

// The store keeps every contract of the root package.
var (
	_ callcare.CallService     = (*DB)(nil)
	_ callcare.CallbackService = (*DB)(nil)
	_ callcare.CallbackQueue   = (*DB)(nil)
)
