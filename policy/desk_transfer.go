package policy

import (
	"time"

	"github.com/callcare/callcare"
)

// A clerk who called a citizen back may pass them on to a colleague with
// the desk phone's transfer key, as during any call (P4o). The callback
// reached the citizen, and is recorded so; from the transfer on, the
// citizen's line is a citizen's call like any transferred one
// (transfer.go): music and requests for patience, the target rung with
// the whisper, nobody answering the clerk rung back, then a callback of
// the target. The flow talks to the citizen's channel from then on, and
// the call is in the call log with its transfer.

// handOverTransfer takes a transfer of the citizen the clerk talks with:
// Asterisk's Local channel took the clerk's place (LegReplaced), or the
// transfer came whole (Transferred). It tells whether it took it.
func (d *desk) handOverTransfer(ev Event) ([]Action, bool) {
	var leg string
	switch ev := ev.(type) {
	case Transferred:
		leg = ev.Leg
	case LegReplaced:
		leg = ev.Leg
	default:
		return nil, false
	}
	if d.phase != phTalking || !d.joined || leg != d.own || d.own == "" {
		if tr, ok := ev.(Transferred); ok && len(tr.Locals) > 0 {
			return hangupLocals(tr.Locals), true // not the conversation's
		}
		return nil, false
	}
	var held []callcare.Hold // phones often hold before they transfer
	if d.hold.on {
		held = []callcare.Hold{{Clerk: d.clerk.ID, From: d.hold.since, To: d.now}}
	}
	acts := append(d.endHold(), d.finishAttempt(callcare.AttemptReached))
	if d.hasTask {
		acts = append(acts, ReleaseTask{Task: d.task.ID})
		d.hasTask = false
	}
	d.call = d.connectedCall()
	d.call.rec.Holds = held
	d.deadline = time.Time{}
	acts = append(acts, OwnChannel{Channel: d.citizen, Up: true, Caller: true})
	return append(acts, d.call.Step(ev, d.now)...), true
}

// connectedCall is the citizen's call as it stands when the clerk passes
// it on: answered by the clerk when the two were bridged, on the leg that
// is the clerk's own channel.
func (d *desk) connectedCall() *Inbound {
	clerk := callcare.Target{Kind: callcare.TargetClerk, ID: string(d.clerk.ID)}
	rec := callcare.CallRecord{
		ID: d.citizen, CallerID: d.task.Number, Dialed: d.clerk.Extension, Target: clerk,
		StartedAt: d.joinedAt, AnsweredAt: d.joinedAt, AnsweredBy: d.clerk.ID,
		Outcome: callcare.OutcomeAnswered, Needs: d.task.Needs, Origin: callcare.OriginCallback,
		Attempts: []callcare.Attempt{{Clerk: d.clerk.ID, Via: clerk, DialedAt: d.joinedAt, RingingAt: d.joinedAt, Result: "answered"}},
	}
	set := d.set.Inbound
	c := &Inbound{set: set, proc: set.Procedure, rec: rec, phase: phaseConnected,
		steps: []callcare.Step{{Clerks: []callcare.Clerk{d.clerk}, Via: clerk}}}
	l := &leg{id: d.own, step: 0, attempt: 0, state: legAnswered}
	c.legs, c.answered = []*leg{l}, l
	c.music = d.musicClass() // set on the citizen's channel when the two were bridged
	return c
}

// stepCall feeds the citizen's call the desk handed over.
func (d *desk) stepCall(ev Event) []Action {
	acts := d.call.Step(ev, d.now)
	if d.call.Done() {
		d.phase = phSessionDone
	}
	return acts
}

// Record is the citizen's call a transferred callback became, for the
// shell's log and metrics; none before the transfer.
func (d *desk) Record() callcare.CallRecord {
	if d.call == nil {
		return callcare.CallRecord{}
	}
	return d.call.Record()
}

// Waiting says how the citizen of a transferred callback waits; nobody
// waits on a desk-phone session before.
func (d *desk) Waiting() (Wait, time.Duration) {
	if d.call == nil {
		return WaitNone, 0
	}
	return d.call.Waiting()
}
