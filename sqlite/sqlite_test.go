package sqlite_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/callcare/callcare/sqlite"
)

// MustOpenDB opens a fresh database file in a temp dir and closes it when the
// test ends. Its clock is fixed, so created_at/updated_at are predictable.
func MustOpenDB(tb testing.TB) *sqlite.DB {
	tb.Helper()
	return MustOpenDBPath(tb, filepath.Join(tb.TempDir(), "callcare.db"))
}

// MustOpenDBPath opens the database file at path and closes it when the test
// ends.
func MustOpenDBPath(tb testing.TB, path string) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	db.Now = func() time.Time { return time.Date(2025, 3, 7, 9, 0, 0, 0, time.UTC) }
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Error(err)
		}
	})
	return db
}

func TestOpen(t *testing.T) {
	t.Run("Pragmas", func(t *testing.T) {
		db := MustOpenDB(t)
		ctx := context.Background()
		for _, tc := range []struct {
			pragma string
			want   string
			read   bool // also checked on the read pool
		}{
			{"journal_mode", "wal", true},
			{"foreign_keys", "1", true},
			{"busy_timeout", "5000", true},
			{"synchronous", "1", false}, // NORMAL
		} {
			var got string
			if err := db.WriteConn().QueryRowContext(ctx, "PRAGMA "+tc.pragma).Scan(&got); err != nil {
				t.Fatal(err)
			} else if got != tc.want {
				t.Errorf("write pool: PRAGMA %s = %s, want %s", tc.pragma, got, tc.want)
			}
			if !tc.read {
				continue
			}
			if err := db.ReadConn().QueryRowContext(ctx, "PRAGMA "+tc.pragma).Scan(&got); err != nil {
				t.Fatal(err)
			} else if got != tc.want {
				t.Errorf("read pool: PRAGMA %s = %s, want %s", tc.pragma, got, tc.want)
			}
		}
	})

	t.Run("ReadPoolIsQueryOnly", func(t *testing.T) {
		db := MustOpenDB(t)
		if _, err := db.ReadConn().Exec(`DELETE FROM calls`); err == nil {
			t.Fatal("read pool accepted a write")
		}
	})

	t.Run("MigrationsAppliedOnce", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "callcare.db")
		for i := range 3 {
			db, err := sqlite.Open(context.Background(), path)
			if err != nil {
				t.Fatalf("open #%d: %v", i+1, err)
			}
			assertMigrations(t, db)
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
		}
	})

	t.Run("ConcurrentOpenOfNewFile", func(t *testing.T) {
		// Service and CLI starting at the same moment on a file that does
		// not exist yet: both migrate, each migration lands once.
		path := filepath.Join(t.TempDir(), "callcare.db")
		var wg sync.WaitGroup
		dbs := make([]*sqlite.DB, 4)
		errs := make([]error, len(dbs))
		for i := range dbs {
			wg.Go(func() { dbs[i], errs[i] = sqlite.Open(context.Background(), path) })
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("open #%d: %v", i+1, err)
			}
			defer dbs[i].Close()
		}
		assertMigrations(t, dbs[0])
	})

	t.Run("PathWithURICharacters", func(t *testing.T) {
		db := MustOpenDBPath(t, filepath.Join(t.TempDir(), "a?b#c%20d.db"))
		assertMigrations(t, db)
	})

	t.Run("ErrPathRequired", func(t *testing.T) {
		if _, err := sqlite.Open(context.Background(), ""); err == nil {
			t.Fatal("expected error")
		}
	})
}

// assertMigrations checks that each embedded migration is recorded exactly
// once.
func assertMigrations(tb testing.TB, db *sqlite.DB) {
	tb.Helper()
	names := sqlite.MigrationNames()
	if len(names) == 0 {
		tb.Fatal("no embedded migrations")
	}
	rows, err := db.ReadConn().Query(`SELECT name FROM migrations ORDER BY name`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			tb.Fatal(err)
		}
		got = append(got, n)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	if len(got) != len(names) {
		tb.Fatalf("migrations table = %q, want %q", got, names)
	}
	for i := range names {
		if got[i] != names[i] {
			tb.Fatalf("migrations table = %q, want %q", got, names)
		}
	}
}
