package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/callcare/callcare"
)

// The statements of saveWaits (migration 0008), prepared with saveCall's.
const (
	deleteHoldsSQL     = `DELETE FROM call_holds WHERE call_id = ?`
	deleteLineWaitsSQL = `DELETE FROM call_line_waits WHERE call_id = ?`
	deleteTransfersSQL = `DELETE FROM call_transfers WHERE call_id = ?`
	insertHoldSQL      = `INSERT INTO call_holds (call_id, seq, clerk, from_at, to_at) VALUES (?, ?, ?, ?, ?)`
	insertLineWaitSQL  = `INSERT INTO call_line_waits (call_id, seq, department, from_at, to_at) VALUES (?, ?, ?, ?, ?)`
	insertTransferSQL  = `INSERT INTO call_transfers (call_id, seq, by_clerk, to_kind, to_id, at, came_back) VALUES (?, ?, ?, ?, ?, ?, ?)`
)

// saveWaits rewrites the holds, waits in line and transfers of rec, as
// saveCall does its attempts.
func saveWaits(ctx context.Context, tx *tx, st saveStmts, rec callcare.CallRecord) error {
	for _, del := range []*sql.Stmt{st.deleteHolds, st.deleteLineWaits, st.deleteTransfers} {
		if _, err := tx.StmtContext(ctx, del).ExecContext(ctx, rec.ID); err != nil {
			return err
		}
	}
	for i, h := range rec.Holds {
		if _, err := tx.StmtContext(ctx, st.insertHold).ExecContext(ctx,
			rec.ID, i+1, string(h.Clerk), formatTime(h.From), formatTime(h.To)); err != nil {
			return fmt.Errorf("hold %d: %w", i+1, err)
		}
	}
	for i, w := range rec.LineWaits {
		if _, err := tx.StmtContext(ctx, st.insertLineWait).ExecContext(ctx,
			rec.ID, i+1, w.Department, formatTime(w.From), formatTime(w.To)); err != nil {
			return fmt.Errorf("wait in line %d: %w", i+1, err)
		}
	}
	for i, x := range rec.Transfers {
		if _, err := tx.StmtContext(ctx, st.insertTransfer).ExecContext(ctx,
			rec.ID, i+1, string(x.By), string(x.To.Kind), x.To.ID, formatTime(x.At), x.CameBack); err != nil {
			return fmt.Errorf("transfer %d: %w", i+1, err)
		}
	}
	return nil
}

// loadWaits reads the holds, waits in line and transfers of the calls
// selected (a query of call ids, with its args) into recs, where index
// finds a call's place; in q's snapshot.
func loadWaits(ctx context.Context, q *sql.Tx, selected string, args []any, recs []callcare.CallRecord, index map[string]int) error {
	// each runs query for the selected calls; scan reads a row and says
	// which call it belongs to and how it adds to the call's record.
	each := func(what, query string, scan func(*sql.Rows) (string, func(*callcare.CallRecord), error)) error {
		rows, err := q.QueryContext(ctx, query+` WHERE call_id IN (`+selected+`) ORDER BY call_id, seq`, args...)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		defer rows.Close()
		for rows.Next() {
			id, add, err := scan(rows)
			if err != nil {
				return fmt.Errorf("%s: %w", what, err)
			}
			if i, ok := index[id]; ok {
				add(&recs[i])
			}
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		return nil
	}
	period := func(from, to sql.NullString) (f, t time.Time, err error) {
		if f, err = parseTime(from); err != nil {
			return f, t, err
		}
		t, err = parseTime(to)
		return f, t, err
	}
	if err := each("holds", `SELECT call_id, clerk, from_at, to_at FROM call_holds`, func(rows *sql.Rows) (string, func(*callcare.CallRecord), error) {
		var id, clerk string
		var from, to sql.NullString
		if err := rows.Scan(&id, &clerk, &from, &to); err != nil {
			return "", nil, err
		}
		h := callcare.Hold{Clerk: callcare.ClerkID(clerk)}
		var err error
		h.From, h.To, err = period(from, to)
		return id, func(r *callcare.CallRecord) { r.Holds = append(r.Holds, h) }, err
	}); err != nil {
		return err
	}
	if err := each("waits in line", `SELECT call_id, department, from_at, to_at FROM call_line_waits`, func(rows *sql.Rows) (string, func(*callcare.CallRecord), error) {
		var id string
		var w callcare.LineWait
		var from, to sql.NullString
		if err := rows.Scan(&id, &w.Department, &from, &to); err != nil {
			return "", nil, err
		}
		var err error
		w.From, w.To, err = period(from, to)
		return id, func(r *callcare.CallRecord) { r.LineWaits = append(r.LineWaits, w) }, err
	}); err != nil {
		return err
	}
	return each("transfers", `SELECT call_id, by_clerk, to_kind, to_id, at, came_back FROM call_transfers`, func(rows *sql.Rows) (string, func(*callcare.CallRecord), error) {
		var id, by, kind string
		var x callcare.Transfer
		var at sql.NullString
		if err := rows.Scan(&id, &by, &kind, &x.To.ID, &at, &x.CameBack); err != nil {
			return "", nil, err
		}
		x.By, x.To.Kind = callcare.ClerkID(by), callcare.TargetKind(kind)
		var err error
		x.At, err = parseTime(at)
		return id, func(r *callcare.CallRecord) { r.Transfers = append(r.Transfers, x) }, err
	})
}
