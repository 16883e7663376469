package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/sqlite"
)

// An admin sends a documents-ready notice, lists and shows it with its
// attempts; a wrong command line is refused with the reason.
func TestNotify(t *testing.T) {
	cfg := exampleWithDB(t, true, "  # places:", "  places:\n    - name: usc\n      sound: office/where-usc\n  # places:")
	ctx := context.Background()
	status, out, errOut := runArgs(t, "notify", "documents-ready", "--config", cfg, "--to", "600 100 200", "--case", "2026117", "--where", "usc", "--clerk", "kwojcik")
	if status != 0 || !strings.Contains(out, "notice 1: documents ready, case 2026117, to 48600100200") || !strings.Contains(out, "clerk kwojcik") {
		t.Fatalf("documents-ready: %d %q %q", status, out, errOut)
	}
	db, err := sqlite.Open(ctx, filepath.Join(filepath.Dir(cfg), "callcare.db"))
	if err != nil {
		t.Fatal(err)
	}
	n, err := db.Callback(ctx, 1)
	if err != nil || n.Kind != callcare.KindDocuments || n.Place != "office/where-usc" || n.Target.ID != "kwojcik" {
		t.Fatalf("notice %+v %v", n, err)
	}
	a, _ := db.StartAttempt(ctx, 1, callcare.Notifier, "notice-1-1-citizen", time.Now().Add(-time.Minute))
	db.FinishAttempt(ctx, 1, a.Seq, callcare.AttemptNotConfirmed, time.Now(), time.Now().Add(15*time.Minute), "")
	db.Close()

	for _, tc := range []struct {
		args   []string
		status int
		out    []string
	}{
		{[]string{"notify", "list"}, 0, []string{"ID", "KIND", "OUTCOME", "documents_ready", "48600100200", "case 2026117", "clerk kwojcik", "open: next attempt"}},
		{[]string{"notify", "show", "1"}, 0, []string{"Notice:", "Case:", "2026117", "office/where-usc", "Wójcik", "not_confirmed", "SEQ"}},
		{[]string{"notify", "list", "--status", "done"}, 0, []string{"no notices"}},
		{[]string{"notify", "documents-ready", "--to", "12", "--case", "1"}, 2, nil},
		{[]string{"notify", "documents-ready", "--to", "600100200", "--case", "GKN.12"}, 2, nil},
		{[]string{"notify", "documents-ready", "--to", "600100200", "--case", "1", "--where", "attic"}, 2, nil},
		{[]string{"notify", "documents-ready", "--to", "600100200", "--case", "1", "--clerk", "nobody"}, 2, nil},
		{[]string{"notify", "list", "--kind", "faxes"}, 2, nil},
	} {
		status, out, errOut := runArgs(t, append(tc.args, "--config", cfg)...)
		if status != tc.status {
			t.Errorf("%v: exit %d, want %d (%s)", tc.args, status, tc.status, errOut)
		}
		for _, w := range tc.out {
			if !strings.Contains(out, w) {
				t.Errorf("%v: no %q in\n%s", tc.args, w, out)
			}
		}
	}
	if status, _, errOut := runArgs(t, "notify", "show", "2", "--config", cfg); status != 1 || !strings.Contains(errOut, "no callback task 2") {
		t.Errorf("show a notice that does not exist: %d %q", status, errOut)
	}
	// The example as shipped has no places: the message says so.
	plain := exampleWithDB(t, true)
	if status, _, errOut := runArgs(t, "notify", "documents-ready", "--config", plain, "--to", "600100200", "--case", "1", "--where", "usc"); status != 2 || !strings.Contains(errOut, "has no notices.places") {
		t.Errorf("--where without places: %d %q", status, errOut)
	}
}

// A clerk records the meeting agreed on an appointment request from the
// command line; its reminder is set for the office day before (the
// example's opening).
func TestCallbacksMeeting(t *testing.T) {
	cfg := exampleWithDB(t, true)
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(filepath.Dir(cfg), "callcare.db"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	db.MissedCall(ctx, callcare.CallbackTask{Kind: callcare.KindAppointment, Number: "48600100200", Dialed: "100",
		Target: callcare.Target{Kind: callcare.TargetClerk, ID: "kwojcik"}, Reason: callcare.ReasonMissed, FirstAt: now})
	db.MissedCall(ctx, callcare.CallbackTask{Number: "48600100201", Dialed: "100",
		Target: callcare.Target{Kind: callcare.TargetClerk, ID: "kwojcik"}, Reason: callcare.ReasonMissed, FirstAt: now})
	db.Close()
	loc, _ := time.LoadLocation("Europe/Warsaw")
	// A Tuesday ten days ahead, at 10:30: reminded on the Monday before.
	day := now.In(loc).AddDate(0, 0, 10)
	for day.Weekday() != time.Tuesday {
		day = day.AddDate(0, 0, 1)
	}
	at := time.Date(day.Year(), day.Month(), day.Day(), 10, 30, 0, 0, loc)
	status, out, errOut := runArgs(t, "callbacks", "meeting", "1", "--at", at.Format("2006-01-02 15:04"), "--config", cfg)
	// (Monday, unless a holiday moves it: the office's calendar decides.)
	if status != 0 || !strings.Contains(out, "meeting "+at.Format("2006-01-02 15:04")) || !strings.Contains(out, "reminded from ") {
		t.Errorf("meeting: %d %q %q", status, out, errOut)
	}
	if status, _, errOut := runArgs(t, "callbacks", "meeting", "2", "--at", at.Format("2006-01-02 15:04"), "--config", cfg); status != 1 || !strings.Contains(errOut, "no appointment request") {
		t.Errorf("a meeting on a callback: %d %q", status, errOut)
	}
	if status, _, _ := runArgs(t, "callbacks", "meeting", "1", "--at", "2001-01-01 10:00", "--config", cfg); status != 1 {
		t.Errorf("a meeting in the past: %d", status)
	}
	if status, out, _ := runArgs(t, "notify", "list", "--kind", "reminders", "--config", cfg); status != 0 || !strings.Contains(out, "meeting "+at.Format("2006-01-02 15:04")) {
		t.Errorf("reminders: %q", out)
	}
	if _, out, _ := runArgs(t, "callbacks", "list", "--status", "all", "--config", cfg); !strings.Contains(out, "appointment/missed") {
		t.Errorf("the request is not listed as one:\n%s", out)
	}
	if _, out, _ := runArgs(t, "callbacks", "show", "1", "--config", cfg); !strings.Contains(out, "Meeting:") || !strings.Contains(out, "appointment request (missed") {
		t.Errorf("the request is not shown as one:\n%s", out)
	}
}
