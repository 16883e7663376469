package metrics

import (
	"time"

	"github.com/callcare/callcare/policy"
)

// waiting is what a caller waits through now (P4p), since when without
// hearing anything, and whether this stretch was counted as too long.
type waiting struct {
	wait    policy.Wait
	bound   time.Duration
	since   time.Time
	counted bool
}

// waitGrace is how late a timer may fire, or an announcement be sent,
// and still be in time: the service's own timers on a busy machine.
const waitGrace = time.Second

// judgeWait looks at the time that passed since the call's last step,
// then starts counting again if the step told the caller something or
// changed what they wait through.
func (m *Metrics) judgeWait(c *call, st Step) {
	m.sweep(c, st.At)
	if st.Wait != c.wait || heard(st.Actions) {
		c.since, c.counted = st.At, false
	}
	c.wait, c.bound = st.Wait, st.WaitBound
}

// sweep counts the call's wait as unannounced, once, when it has lasted
// past its bound at now.
func (m *Metrics) sweep(c *call, now time.Time) {
	if c.wait == policy.WaitNone || c.counted || c.since.IsZero() || now.Sub(c.since) <= c.bound+waitGrace {
		return
	}
	c.counted = true
	m.unannounced[string(c.wait)]++
	m.o.Logger.Warn("a caller waited past the procedure's bound without hearing anything (P4p)",
		"wait", string(c.wait), "for", now.Sub(c.since).Round(time.Second), "bound", c.bound)
}

// heard tells whether actions reach the caller: something said or
// played, ringing (of another clerk too), a clerk, the fallback, or the end.
func heard(acts []policy.Action) bool {
	for _, a := range acts {
		switch a.(type) {
		case policy.Say, policy.Play, policy.EarlyMedia, policy.RingCaller, policy.DialClerk,
			policy.Connect, policy.AddToBridge, policy.HangupCaller, policy.Fallback:
			return true
		}
	}
	return false
}
