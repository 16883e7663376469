package ari_test

import (
	"slices"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/ari"
	"github.com/callcare/callcare/pbxsim"
)

// offerInBoth: departments 200 and 300 offer a choice when busy.
func offerInBoth(s *ari.Settings) {
	s.Inbound.WhenBusy = map[string]callcare.BusyPolicy{"200": callcare.BusyOffer, "300": callcare.BusyOffer}
}

// inLine is a caller who presses 1 at the busy clerk's choices (said in
// 2 + 3 + 6 s: clerk-busy, busy-wait, busy-choices).
var inLine = keys(12*time.Second, "1")

// TestP53_LineServesSpecialNeedsFirst: Anna talks with a citizen. A caller
// waits for her in line; a caller with special needs (in the registry)
// joins later and goes first. When Anna's call ends, her phone rings for
// the caller with special needs at once; after that call, for the other.
func TestP53_LineServesSpecialNeedsFirst(t *testing.T) {
	t.Parallel()
	e := startEnvWith(t, offerInBoth)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 2 * time.Second, Script: talk(time.Minute)})
	first := e.call(t, pbxsim.Caller{Number: "48600111111", Exten: "101"})
	e.advance(t, 5*time.Second)
	waiting := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101", Script: inLine})
	e.advance(t, 5*time.Second)
	needy := e.call(t, pbxsim.Caller{Number: "48600555555", Exten: "101", Script: inLine})
	e.advance(t, 5*time.Minute)
	f, w, n := e.record(t, first), e.record(t, waiting), e.record(t, needy)
	if w.AnsweredBy != "anowak" || n.AnsweredBy != "anowak" {
		t.Fatalf("answered by %q and %q, want Anna for both", w.AnsweredBy, n.AnsweredBy)
	}
	if !n.AnsweredAt.Before(w.AnsweredAt) {
		t.Errorf("special needs answered at %s, the other at %s: want special needs first", n.AnsweredAt, w.AnsweredAt)
	}
	// Anna hung up her first call 62 s in: her phone rang for the next at once.
	if gap := n.Attempts[len(n.Attempts)-1].DialedAt.Sub(f.Attempts[0].EndedAt); gap < 0 || gap > time.Second {
		t.Errorf("Anna was rung %s after her call ended", gap)
	}
	if heard := w.Attempts; len(heard) != 2 {
		t.Errorf("the waiting caller's attempts %+v: the busy one, then the turn", heard)
	}
	heard := waiting.Heard()
	for _, want := range []string{"sound:callcare/busy-wait", "moh:sekretariat", "sound:callcare/line-position", "sound:digits/2", "sound:digits/1", "sound:callcare/line-leave"} {
		if !slices.Contains(heard, want) {
			t.Errorf("the waiting caller did not hear %s: %v", want, heard)
		}
	}
	e.settled(t)
	e.quiet(t)
}

// TestP4p_LineHasMusicBetweenAnnouncements: a caller waiting in line
// hears the department's music between its announcements, never silence.
// Asterisk turns the music off to play an announcement and, to a caller in
// no bridge, never turns it back on (trace line-moh): the service does.
func TestP4p_LineHasMusicBetweenAnnouncements(t *testing.T) {
	t.Parallel()
	e := startEnvWith(t, offerInBoth)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 2 * time.Second, Script: talk(3 * time.Minute)})
	first := e.call(t, pbxsim.Caller{Number: "48600111111", Exten: "101"})
	e.advance(t, 5*time.Second)
	waiting := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101", Script: inLine})
	e.advance(t, 2*time.Minute)
	// The only quiet is the moment between the busy choices and the key.
	if got := waiting.LongestSilence(); got > 2*time.Second {
		t.Errorf("the caller in line heard nothing for %s", got)
	}
	if n := count(waiting.Heard(), "moh:sekretariat"); n < 3 {
		t.Errorf("the music started %d times in two minutes of announcements: %v", n, waiting.Heard())
	}
	e.advance(t, 5*time.Minute)
	e.record(t, first)
	if r := e.record(t, waiting); r.AnsweredBy != "anowak" {
		t.Errorf("answered by %q, want Anna once free", r.AnsweredBy)
	}
	e.settled(t)
	e.quiet(t)
}

// TestP53_TwoClerksFreeingUpAtOnce: Ewa and Jan (department 300) end their
// calls in the same instant while two callers wait in the department's
// line: each takes a different caller.
func TestP53_TwoClerksFreeingUpAtOnce(t *testing.T) {
	t.Parallel()
	e := startEnvWith(t, offerInBoth)
	phone := pbxsim.Phone{AnswerAfter: 2 * time.Second, Script: talk(time.Minute)}
	e.pbx.SetPhone("PJSIP/103", phone)
	e.pbx.SetPhone("PJSIP/104", phone)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{Mode: pbxsim.NeverAnswers}) // the department's overflow
	x1 := e.call(t, pbxsim.Caller{Number: "48600111111", Exten: "103"})
	x2 := e.call(t, pbxsim.Caller{Number: "48600222222", Exten: "104"})
	e.advance(t, 5*time.Second)
	a := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "300", Script: inLine})
	b := e.call(t, pbxsim.Caller{Number: "48600300300", Exten: "300", Script: inLine})
	e.advance(t, 4*time.Minute)
	e.record(t, x1)
	e.record(t, x2)
	ra, rb := e.record(t, a), e.record(t, b)
	if ra.AnsweredBy == "" || rb.AnsweredBy == "" || ra.AnsweredBy == rb.AnsweredBy {
		t.Errorf("answered by %q and %q: want each by a different clerk", ra.AnsweredBy, rb.AnsweredBy)
	}
	if d := ra.AnsweredAt.Sub(rb.AnsweredAt); d > time.Second || d < -time.Second {
		t.Errorf("answered %s apart: both clerks were free at once", d)
	}
	e.settled(t)
	e.quiet(t)
}

// TestP53_LineRaces: callers leave the line at the worst moments; nothing
// is left behind, and the line goes on for the others.
func TestP53_LineRaces(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		caller pbxsim.Caller
		want   callcare.Outcome
	}{
		{"the caller hangs up in line", pbxsim.Caller{Script: inLine, HangupAfter: 40 * time.Second}, callcare.OutcomeAbandoned},
		{"the caller hangs up during the place announcement", pbxsim.Caller{Script: inLine, HangupAfter: 13 * time.Second}, callcare.OutcomeAbandoned},
		{"the caller hangs up as the turn rings", pbxsim.Caller{Script: inLine, HangupAfter: 59 * time.Second}, callcare.OutcomeAbandoned},
		{"the caller presses 2 in line", pbxsim.Caller{Script: []pbxsim.Action{press(12*time.Second, "1"), press(30*time.Second, "2")}}, callcare.OutcomeCallback},
		{"the caller presses 2 as the turn rings", pbxsim.Caller{Script: []pbxsim.Action{press(12*time.Second, "1"), press(59*time.Second, "2")}}, callcare.OutcomeCallback},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := startEnvWith(t, offerInBoth)
			// Anna's calls last a minute, and she answers the next after 3 s.
			e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(time.Minute)})
			first := e.call(t, pbxsim.Caller{Number: "48600111111", Exten: "101"})
			e.advance(t, 5*time.Second) // Anna talks; 58 s later she is free
			c := tc.caller
			c.Number, c.Exten = "48600100200", "101"
			call := e.call(t, c)
			e.advance(t, 3*time.Minute)
			e.record(t, first)
			if rec := e.record(t, call); rec.Outcome != tc.want {
				t.Errorf("outcome %s, want %s", rec.Outcome, tc.want)
			}
			ended(t, call)
			e.settled(t)
			e.quiet(t)
		})
	}
}

// TestP53_LineSkipsAbsentClerks: Ewa (300) is on leave and Jan, the
// department's other member, talks with a citizen. A caller to 300 waits
// in the line: Ewa's phone never rings for it; Jan takes it when free.
func TestP53_LineSkipsAbsentClerks(t *testing.T) {
	t.Parallel()
	e := startAbsenceEnv(t, func(s *ari.Settings) {
		offerInBoth(s)
		s.Absences.Rules = []callcare.Absence{{Clerk: "ezielinska", To: callcare.Target{Kind: callcare.TargetClerk, ID: "anowak"},
			Reason: callcare.AbsenceLeave, Source: callcare.SetInFile, Where: "absences[0], line 1"}}
	})
	e.pbx.SetPhone("PJSIP/103", pbxsim.Phone{AnswerAfter: time.Second})
	e.pbx.SetPhone("PJSIP/104", pbxsim.Phone{AnswerAfter: 2 * time.Second, Script: talk(time.Minute)})
	first := e.call(t, pbxsim.Caller{Number: "48600111111", Exten: "104"})
	e.advance(t, 5*time.Second)
	waiting := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "300", Script: inLine})
	e.advance(t, 3*time.Minute)
	if o := offersTo(e, "PJSIP/103"); len(o) != 0 {
		t.Errorf("Ewa's phone rang while she is on leave: %+v", o)
	}
	e.record(t, first)
	if r := e.record(t, waiting); r.AnsweredBy != "jkowalski" {
		t.Errorf("answered by %q, want Jan once he was free", r.AnsweredBy)
	}
	e.settled(t)
	e.quiet(t)
}
