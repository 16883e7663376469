package policy

import (
	"time"

	"github.com/callcare/callcare"
)

// Action is something the shell must do. Actions of one call are carried out
// in the order given, one after another.
type Action interface{ action() }

// RingCaller makes the citizen hear ringing while the clerks are rung.
type RingCaller struct{}

// DialClerk creates a channel to the clerk's desk phone with the id Leg,
// showing the citizen's number, and dials it.
type DialClerk struct {
	Leg   string
	Clerk callcare.Clerk
	// Forward says the clerk is rung in place of an absent colleague, and
	// why (P4d): the seam for what the desk phone shows. Zero when the
	// clerk is rung as the chain has it.
	Forward callcare.Forwarding
	// CallerID and CallerName are what the desk phone shows (P4d): the
	// citizen's number, and as the name why the call comes, or what came
	// with the call.
	CallerID   callcare.Number
	CallerName string
}

// HangupLeg ends a clerk's channel. A channel already gone is fine.
type HangupLeg struct {
	Leg    string
	Reason string // ARI hangup reason: normal, no_answer, busy...
}

// Connect answers the citizen and bridges them with the clerk's leg.
type Connect struct{ Leg string }

// Play plays a sound to the caller (answering the channel first if needed);
// PlaybackDone comes back when it ends.
type Play struct {
	Playback string // id chosen by the policy
	Sound    string // Asterisk sound name, without "sound:"
}

// HangupCaller ends the citizen's channel.
type HangupCaller struct{ Reason string }

// Save persists the call record as it stands (at the start and at the end).
type Save struct{ Record callcare.CallRecord }

// SaveNow persists the call record at once, where Save may let it wait a
// moment to share a commit: the version the next run, if this one dies,
// needs to adopt the call from (a transfer under way).
type SaveNow struct{ Record callcare.CallRecord }

// Resync asks the shell to look up the caller's and the live legs' channels
// after a gap in the events, and report what changed as events.
type Resync struct{ Legs []string }

// Finish: the call is over; the shell removes what is left (the bridge) and
// forgets the call.
type Finish struct{}

func (RingCaller) action()   {}
func (DialClerk) action()    {}
func (HangupLeg) action()    {}
func (Connect) action()      {}
func (Play) action()         {}
func (HangupCaller) action() {}
func (Save) action()         {}
func (SaveNow) action()      {}
func (Resync) action()       {}
func (Finish) action()       {}

// Answer answers the flow's own channel.
type Answer struct{}

// Say plays prompts, in order, to the flow's own channel, as one playback;
// PlaybackDone comes back when all have played or the playback stopped.
type Say struct {
	Playback string
	Media    []string // ARI media URIs: sound:, recording:, tone:
}

// StopPlayback stops a playback (a key was pressed: the caller need not
// hear the rest).
type StopPlayback struct{ Playback string }

// Originate calls out from the PBX: a clerk's desk phone (agreed-time
// callback) or a citizen (callback). The channel gets the id Leg; its Dial
// events come before it enters the application, and an unanswered one only
// ends (LegGone).
type Originate struct {
	Leg      string
	Endpoint string
	CallerID string // what the called phone shows; validated digits
	// CallerName is the name the called phone shows with it (P4d: why a
	// desk phone rings); empty for none.
	CallerName string
	Timeout    time.Duration // Asterisk gives up after this, a safety net
	Args       string        // Stasis args the channel enters with
}

// Join bridges the flow's own channel with a leg.
type Join struct{ Leg string }

// CountQueue asks how many callbacks wait for a clerk.
type CountQueue struct {
	Clerk      callcare.ClerkID
	Department string
	Covering   []callcare.ClerkID // absent clerks whose callbacks count as the clerk's own (P4c)
}

// ClaimNext takes the next callback for a clerk, skipping those skipped.
type ClaimNext struct {
	Clerk      callcare.ClerkID
	Department string
	Skip       []int64
	Covering   []callcare.ClerkID // absent clerks whose callbacks are the clerk's own (P4c)
}

// ReleaseTask gives a claimed task back to the queue, unchanged.
type ReleaseTask struct{ Task int64 }

// MarkDone closes a task from the desk phone.
type MarkDone struct {
	Task       int64
	Resolution callcare.Resolution
	By         callcare.ClerkID
}

// StartAttempt journals an attempt before the citizen is dialed.
type StartAttempt struct {
	Task    int64
	Clerk   callcare.ClerkID
	Channel string
}

// FinishAttempt records how an attempt ended and what follows for the task.
type FinishAttempt struct {
	Task   int64
	Seq    int
	Result callcare.AttemptResult
	Next   time.Time           // the next attempt, zero for none
	Close  callcare.Resolution // non-empty: the task closes
}

// Schedule sets the time agreed with the citizen for a task (P4m).
type Schedule struct {
	Task int64
	At   time.Time
}

// MarkOverdue flags a task nobody took at its time (P4m), for the report.
type MarkOverdue struct{ Task int64 }

// CreateTask records a missed call as a callback task (P4c), committed
// before the service goes on.
type CreateTask struct {
	Task callcare.CallbackTask
	// Record is the call's record as the task is made from it: written
	// first, so that the record says how the call ended before a task
	// names it, whatever happens to the process next.
	Record callcare.CallRecord
}

// CloseTasks closes the open tasks of a number: the citizen got through.
type CloseTasks struct {
	Number     callcare.Number
	Resolution callcare.Resolution
}

// Record records what the caller says (a voice note for the callback),
// ended by # or silence; RecordingDone comes back.
type Record struct {
	Name   string
	MaxFor time.Duration
}

func (Answer) action()        {}
func (Say) action()           {}
func (StopPlayback) action()  {}
func (Originate) action()     {}
func (Join) action()          {}
func (CountQueue) action()    {}
func (ClaimNext) action()     {}
func (ReleaseTask) action()   {}
func (MarkDone) action()      {}
func (StartAttempt) action()  {}
func (FinishAttempt) action() {}
func (MarkOverdue) action()   {}
func (Schedule) action()      {}
func (CreateTask) action()    {}
func (CloseTasks) action()    {}
func (Record) action()        {}

// FlagNeeds marks a number's open callbacks as for a person with special
// needs (a clerk's flag, the menu's assistance key; P5.3): first in the
// queues, as Needs says how it is known, and due by Due at the latest.
type FlagNeeds struct {
	Number callcare.Number
	Needs  callcare.NeedsSource
	Due    time.Time
}

func (FlagNeeds) action() {}

// OwnChannel: from now on the flow talks to Channel, the desk phone of
// Clerk, or a citizen's (Caller) (empty: to no channel). Up says the channel is answered already
// (an originated call the clerk picked up). The shell routes the channel's
// events to the flow and counts the clerk as on a call while it lasts.
type OwnChannel struct {
	Channel string
	Clerk   callcare.ClerkID
	Up      bool
	// Caller: Channel is a citizen's, whose end is the caller's
	// (CallerGone), not a clerk's: a callback the clerk transferred.
	Caller bool
}

func (OwnChannel) action() {}

// Fallback hands the caller's channel to the dialplan's fallback context,
// at the number the caller dialed: it rings a person without the service.
type Fallback struct{ Exten string }

func (Fallback) action() {}

// SetMusicClass makes Class the music Asterisk plays to the caller on hold:
// the caller's channel's own class wins over any other (CHANNEL(musicclass),
// set over ARI), so the clerk's hold plays the department's music (P4h).
type SetMusicClass struct {
	Class string
	Leg   string // a citizen called back, when not the flow's own channel
}

// SayLeg plays prompts to a clerk's leg, as one playback (the clerk hears
// something the caller must not); PlaybackDone comes back.
type SayLeg struct {
	Leg      string
	Playback string
	Media    []string
}

func (SetMusicClass) action() {}
func (SayLeg) action()        {}

// EarlyMedia plays media to a caller who is still ringing, without
// answering: Asterisk sends it as early media (SIP 183). A tone: item
// plays until the playback is stopped. PlaybackDone comes back.
type EarlyMedia struct {
	Playback string
	Media    []string
}

func (EarlyMedia) action() {}

// ListAgreed asks for the times already agreed for the open callbacks of a
// clerk or department; AgreedListed comes back.
type ListAgreed struct{ Target callcare.Target }

func (ListAgreed) action() {}

// StartMusic plays music on hold to the caller (a class of
// musiconhold.conf; the caller's own CHANNEL(musicclass) wins if set). An
// announcement replaces it while it plays; it comes back by itself.
type StartMusic struct{ Class string }

// StopMusic stops the caller's music on hold.
type StopMusic struct{}

// JoinLine puts the call in its department's waiting line (P5.3).
type JoinLine struct {
	Department string
	Target     callcare.Target // the clerk asked for, or the department
	Needs      bool            // special needs: served first
}

// LeaveLine takes the call out of its line: it left, or was served.
type LeaveLine struct{}

// LineTurnOver tells the line's owner how a LineTurn ended: answered (the
// call leaves the line) or not (it waits again, in its place).
type LineTurnOver struct {
	Clerk    callcare.ClerkID // who was rung
	Answered bool
}

func (StartMusic) action()   {}
func (StopMusic) action()    {}
func (JoinLine) action()     {}
func (LeaveLine) action()    {}
func (LineTurnOver) action() {}

// ResolveTransfer asks the shell what the number a clerk keyed in reaches
// (the DTMF fallback of a transfer); Transferred comes back.
type ResolveTransfer struct{ Leg, To string }

// AddToBridge adds a clerk's leg to the call's bridge, where the caller
// is: a transfer's target, once it has heard who and why.
type AddToBridge struct{ Leg string }

func (ResolveTransfer) action() {}
func (AddToBridge) action()     {}

// Routed tells where a call handed on by a menu or a notice now goes
// (RouteCall): who covers an absent clerk, and the forwards that looped at
// call time. For the log, as the shell logs a call dialed straight.
type Routed struct {
	Forwarded callcare.Forwarding
	Warnings  []string
}

func (Routed) action() {}
