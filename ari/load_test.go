package ari_test

import (
	"testing"
	"time"

	"github.com/callcare/callcare/ari"
	"github.com/callcare/callcare/pbxsim"
)

// TestRequestsStayInsideAsteriskSessions: Asterisk's HTTP server closes a
// connection beyond its session limit unanswered (http.conf sessionlimit),
// so a client that opens one per request at once fails past it. The
// service keeps to its own bound, well under: a hundred calls arriving
// together through a PBX that takes six sessions are all answered, their
// requests waiting their turn.
func TestRequestsStayInsideAsteriskSessions(t *testing.T) {
	t.Parallel()
	e := newEnvPBX(t, func(o *pbxsim.Options) { o.SessionLimit = 6 })
	e.options = func(o *ari.Options) { o.MaxConnections = 4 }
	e.run(t, testSettings(), ari.Stores{Calls: e.db, Callbacks: e.db, Queue: e.db})
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(20 * time.Second)})
	var calls []*pbxsim.Call
	for range 100 {
		c, err := e.pbx.Call(pbxsim.Caller{Number: "48600100200", Exten: "101", App: "callcare"})
		if err != nil {
			t.Fatal(err)
		}
		calls = append(calls, c)
	}
	e.advance(t, time.Minute)
	for _, c := range calls {
		if rec := e.record(t, c); rec.AnsweredBy != "anowak" {
			t.Errorf("call %s: %s by %q", c.ChannelID(), rec.Outcome, rec.AnsweredBy)
		}
	}
	st := e.pbx.Stats()
	if st.SessionsRefused > 0 || st.MostSessions > 4 {
		t.Errorf("Asterisk refused %d sessions, had %d at once; want none refused, at most 4", st.SessionsRefused, st.MostSessions)
	}
	e.settled(t)
	e.quiet(t)
}
