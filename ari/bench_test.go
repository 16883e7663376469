package ari_test

import (
	"testing"
	"time"

	"github.com/callcare/callcare/ari"
	"github.com/callcare/callcare/pbxsim"
)

// BenchmarkCallPath counts what each kind of call costs Asterisk: REST
// requests and events sent, per call. Every request and event is Asterisk
// CPU; the README records these numbers. Each call lives its minute on the
// fake clock; ns/op is the real time the service and the simulator need
// for it.
//
//	go test ./ari -run '^$' -bench CallPath -benchtime 50x
func BenchmarkCallPath(b *testing.B) {
	talk := talk(20 * time.Second)
	held := []pbxsim.Action{hold(5 * time.Second), unhold(40 * time.Second), {At: 45 * time.Second, Do: pbxsim.Hangup}}
	for _, sc := range []struct {
		name   string
		phones map[string]pbxsim.Phone
		caller pbxsim.Caller
		set    func(*ari.Settings) // nil: no department has music of its own
	}{
		{"answered", map[string]pbxsim.Phone{"PJSIP/101": {AnswerAfter: 3 * time.Second, Script: talk}}, pbxsim.Caller{Exten: "101"}, nil},
		{"busy-overflow", map[string]pbxsim.Phone{"PJSIP/101": {Mode: pbxsim.Busy}, "PJSIP/102": {AnswerAfter: 3 * time.Second, Script: talk}}, pbxsim.Caller{Exten: "101"}, nil},
		{"noanswer-overflow", map[string]pbxsim.Phone{"PJSIP/101": {Mode: pbxsim.NeverAnswers}, "PJSIP/102": {AnswerAfter: 3 * time.Second, Script: talk}}, pbxsim.Caller{Exten: "101"}, nil},
		{"abandoned", map[string]pbxsim.Phone{"PJSIP/101": {Mode: pbxsim.NeverAnswers}}, pbxsim.Caller{Exten: "101", HangupAfter: 8 * time.Second}, nil},
		{"missed", map[string]pbxsim.Phone{"PJSIP/101": {Mode: pbxsim.NeverAnswers}, "PJSIP/102": {Mode: pbxsim.Busy}}, pbxsim.Caller{Exten: "101"}, nil},
		{"unknown-number", nil, pbxsim.Caller{Exten: "999"}, nil},
		// P4h: a 35 s hold (two announcements), with the department's
		// music set on the caller's channel, and without.
		{"held-35s", map[string]pbxsim.Phone{"PJSIP/101": {AnswerAfter: 3 * time.Second, Script: held}}, pbxsim.Caller{Exten: "101"}, nil},
		{"held-35s-department-music", map[string]pbxsim.Phone{"PJSIP/101": {AnswerAfter: 3 * time.Second, Script: held}}, pbxsim.Caller{Exten: "101"}, func(*ari.Settings) {}},
		// P4b: Anna's phone answers 486; her caller asks for a callback.
		{"busy-offer-callback", map[string]pbxsim.Phone{"PJSIP/101": {Mode: pbxsim.Busy}}, pbxsim.Caller{Exten: "101", Script: keys(9*time.Second, "2")}, offerWhenBusy},
		// P4o: Anna transfers with her phone's key to Piotr, who answers,
		// hears the whisper and talks.
		{"transferred-phone-key", map[string]pbxsim.Phone{
			"PJSIP/101": {AnswerAfter: 3 * time.Second, Script: []pbxsim.Action{transferKey(5*time.Second, "102"), {At: 6 * time.Second, Do: pbxsim.Hangup}}},
			"PJSIP/102": {AnswerAfter: 3 * time.Second, Script: talk}}, pbxsim.Caller{Exten: "101"}, nil},
		{"transferred-keys", map[string]pbxsim.Phone{
			"PJSIP/101": {AnswerAfter: 3 * time.Second, Script: []pbxsim.Action{press(5*time.Second, "##102#")}},
			"PJSIP/102": {AnswerAfter: 3 * time.Second, Script: talk}}, pbxsim.Caller{Exten: "101"}, nil},
		// P5.3: the caller waits in line 20 s, then asks for a callback.
		{"line-then-callback", map[string]pbxsim.Phone{"PJSIP/101": {Mode: pbxsim.Busy}}, pbxsim.Caller{Exten: "101",
			Script: []pbxsim.Action{press(12*time.Second, "1"), press(32*time.Second, "2")}}, offerWhenBusy},
	} {
		b.Run(sc.name, func(b *testing.B) {
			e := newEnv(b)
			// The reconciliation's look every few seconds is the
			// service's, not a call's.
			e.options = func(o *ari.Options) { o.ReconcileEvery = -1 }
			set := testSettings()
			set.Inbound.Music = nil
			if sc.set != nil {
				set.Inbound.Music = testSettings().Inbound.Music
				sc.set(&set)
			}
			e.run(b, set, ari.Stores{Calls: e.db, Callbacks: e.db, Queue: e.db})
			for ep, p := range sc.phones {
				e.pbx.SetPhone(ep, p)
			}
			sc.caller.Number = "48600100200"
			sc.caller.Ringing = true // as the rendered dialplan does
			e.call(b, sc.caller)     // warm up: the link is up, the filter set
			e.advance(b, time.Minute)
			e.settled(b)
			req0, ev0 := e.svc.Stats().Requests, e.pbx.Stats()
			b.ResetTimer()
			for range b.N {
				call := e.call(b, sc.caller)
				e.advance(b, time.Minute)
				e.record(b, call)
			}
			b.StopTimer()
			e.settled(b)
			n := float64(b.N)
			ev := e.pbx.Stats()
			b.ReportMetric(float64(e.svc.Stats().Requests-req0)/n, "requests/call")
			b.ReportMetric(float64(ev.EventsSent-ev0.EventsSent)/n, "events/call")
			b.ReportMetric(float64(ev.EventsFiltered-ev0.EventsFiltered)/n, "filtered/call")
		})
	}
}
