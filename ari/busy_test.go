package ari_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/ari"
	"github.com/callcare/callcare/pbxsim"
)

// offerWhenBusy: Anna's department (200) offers a choice when she is busy.
func offerWhenBusy(s *ari.Settings) {
	s.Inbound.WhenBusy = map[string]callcare.BusyPolicy{"200": callcare.BusyOffer}
}

// keys is a caller's answer to the busy clerk's choices, which take
// 2 + 6 s to say (clerk-busy, busy-choices).
func keys(at time.Duration, digits string) []pbxsim.Action { return []pbxsim.Action{press(at, digits)} }

// TestP4b_BusyClerksCallerPicksATime: Anna talks with a citizen through
// the service. A second caller for her is not left ringing and her phone
// is not rung: the caller hears she is talking with another client,
// presses 3, hears the free times, and picks the first. At that time the
// agreed-time machinery rings Anna.
func TestP4b_BusyClerksCallerPicksATime(t *testing.T) {
	t.Parallel()
	e := startEnvWith(t, offerWhenBusy)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 2 * time.Second, Script: talk(3 * time.Minute)})
	first := e.call(t, pbxsim.Caller{Number: "48600111111", Exten: "101"})
	e.advance(t, 10*time.Second)
	second := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101", Script: keys(12*time.Second, "31")})
	e.advance(t, time.Minute)
	rec := e.record(t, second)
	if rec.Outcome != callcare.OutcomeCallback || len(rec.Attempts) != 1 || rec.Attempts[0].Result != "busy" {
		t.Errorf("second call: %s, attempts %+v", rec.Outcome, rec.Attempts)
	}
	if n := len(e.pbx.Offers()); n != 1 {
		t.Errorf("Anna's phone was offered %d calls, want only the first", n)
	}
	heard := second.Heard()
	if len(heard) < 3 || heard[0] != "sound:callcare/clerk-busy" || !slices.Contains(heard, "sound:callcare/slots") || heard[len(heard)-1] != "sound:callcare/callback-thanks" {
		t.Errorf("the second caller heard %v", heard)
	}
	tasks, err := e.db.Callbacks(context.Background(), callcare.CallbackFilter{Number: "48600100200"})
	if err != nil || len(tasks) != 1 {
		t.Fatalf("tasks %+v, %v", tasks, err)
	}
	tk := tasks[0]
	// The call came at 09:00:10; the first free time is 10:00 (one slot
	// length ahead, on the half hour).
	if want := epoch.Add(time.Hour); !tk.AgreedAt.Equal(want) || tk.Target.ID != "anowak" {
		t.Errorf("task agreed for %s for %v, want %s for Anna", tk.AgreedAt, tk.Target, want)
	}
	e.advance(t, 3*time.Minute)
	e.record(t, first)
	e.quiet(t)
	// At the agreed time Anna is rung (P4m); nobody answers: it is overdue
	// (and the log says so).
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	e.advanceTo(t, tk.AgreedAt.Add(2*time.Minute), "")
	offers := e.pbx.Offers()
	if o := offers[1]; o.Endpoint != "PJSIP/101" || o.At.Sub(tk.AgreedAt) > 2*time.Second || o.CallerName != "Oddzwonienie" || o.CallerID != "48600100200" {
		t.Errorf("at the agreed time %s, offers %+v", tk.AgreedAt, offers)
	}
	e.settled(t)
}

// TestP4b_PhoneBusyCallerAsksForACallback: Anna's phone answers 486 (a
// call the service does not see); her caller presses 2 and is called back
// as soon as possible.
func TestP4b_PhoneBusyCallerAsksForACallback(t *testing.T) {
	t.Parallel()
	e := startEnvWith(t, offerWhenBusy)
	e.pbx.SetOnCall("PJSIP/101", true)
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101", Script: keys(9*time.Second, "2")})
	e.advance(t, time.Minute)
	if rec := e.record(t, call); rec.Outcome != callcare.OutcomeCallback || rec.HungUpBy != callcare.PartyService {
		t.Errorf("outcome %s, hung up by %s", rec.Outcome, rec.HungUpBy)
	}
	tasks, _ := e.db.Callbacks(context.Background(), callcare.CallbackFilter{Number: "48600100200"})
	if len(tasks) != 1 || tasks[0].Target.ID != "anowak" || !tasks[0].AgreedAt.IsZero() || tasks[0].Reason != callcare.ReasonRequested {
		t.Errorf("tasks %+v", tasks)
	}
	e.settled(t)
	e.quiet(t)
}

// TestP4b_SilentOrGoneCallerIsCalledBack: a caller who says nothing hears
// the choices twice and is called back; one who hangs up too.
func TestP4b_SilentOrGoneCallerIsCalledBack(t *testing.T) {
	t.Parallel()
	e := startEnvWith(t, offerWhenBusy)
	e.pbx.SetOnCall("PJSIP/101", true)
	silent := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	gone := e.call(t, pbxsim.Caller{Number: "48600300300", Exten: "101", HangupAfter: 4 * time.Second})
	e.advance(t, time.Minute)
	if rec := e.record(t, silent); rec.Outcome != callcare.OutcomeCallback {
		t.Errorf("silent caller: %s", rec.Outcome)
	}
	if rec := e.record(t, gone); rec.Outcome != callcare.OutcomeAbandoned {
		t.Errorf("caller who hung up: %s", rec.Outcome)
	}
	for _, n := range []callcare.Number{"48600100200", "48600300300"} {
		if tasks, _ := e.db.Callbacks(context.Background(), callcare.CallbackFilter{Number: n}); len(tasks) != 1 {
			t.Errorf("%s: tasks %+v", n, tasks)
		}
	}
	e.settled(t)
	e.quiet(t)
}
