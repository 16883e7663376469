package main

import (
	"context"
	"fmt"
	"github.com/callcare/callcare/prompts"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/ari"
	"github.com/callcare/callcare/clock"
	"github.com/callcare/callcare/config"
	"github.com/callcare/callcare/pbxsim"
	"github.com/callcare/callcare/policy"
	"github.com/callcare/callcare/sqlite"
)

func newDemoCmd() *cobra.Command {
	var speed float64
	var keep string
	c := &cobra.Command{
		Use:   "demo",
		Short: "a scripted morning at the Town Hall, on a simulated PBX",
		Long: `Live a short morning at the example Town Hall of callcare.example.yaml: the
real service against the project's simulated Asterisk 20, on a clock faster
than real time. A clerk answers on the 2nd ring, a busy clerk's call moves on
at once, a clerk away from the desk overflows after three rings, a caller
gives up (kept as a callback), a clerk works that callback from the desk
phone (*70); then the call log as calls list prints it. No PBX and no
configuration needed.`,
		Example: `  callcare demo
  callcare demo --speed 1    # in real time, about two minutes
  callcare demo --db demo.db # keep the morning's database, for callcare report`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if !(speed > 0 && speed <= 1000) { // NaN too
				return usagef("--speed %g: want a number above 0, at most 1000", speed)
			}
			return demo(c.Context(), speed, keep, c.OutOrStdout())
		},
	}
	c.Flags().Float64Var(&speed, "speed", 8, "how many times faster than real time")
	c.Flags().StringVar(&keep, "db", "", "keep the morning's database in this new `file` (default: a temporary one, removed)")
	return c
}

// demo lives a short morning at the example Town Hall on a simulated
// Asterisk, faster than real time, printing what happens as the caller
// would live it.
func demo(ctx context.Context, speed float64, keep string, stdout io.Writer) error {
	c, err := config.Parse("callcare.example.yaml", config.Example(), nil)
	if err != nil {
		return fmt.Errorf("the example configuration: %w", err)
	}
	path := keep
	if keep == "" {
		dir, err := os.MkdirTemp("", "callcare-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "callcare.db")
	} else if _, err := os.Lstat(keep); err == nil {
		// Never the office's own database by a slip of the hand.
		return usagef("--db %s exists: the demo writes a new database; remove it or name another", keep)
	}
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		return err
	}
	defer db.Close()

	morning := time.Date(2026, 11, 24, 8, 0, 0, 0, c.TimeZone)
	clk := clock.NewScaled(morning, speed)
	texts, err := prompts.Texts()
	if err != nil {
		return err
	}
	// The office's prompts last as long as their Polish words take.
	pbx := pbxsim.NewServer(pbxsim.Options{Clock: clk, StasisAfterCreate: 5 * time.Millisecond, Sounds: texts.Lengths("pl")})
	defer pbx.Close()

	tl := &timeline{w: stdout, dir: &c.Directory, loc: c.TimeZone, rings: c.Procedure.AnswerWithinRings, legs: map[string]callcare.ClerkID{}}
	opts := ariOptions(c, slog.New(slog.DiscardHandler))
	opts.URL, opts.WebsocketURL, opts.User, opts.Password = pbx.URL(), pbx.WebsocketURL(), "callcare", "callcare"
	opts.Clock, opts.Observe = clk, tl.step
	opts.MaxHostCPU = -1 // the simulator is no PBX short of CPU
	svc := ari.New(opts, settings(c), stores(db))
	svcCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { svc.Run(svcCtx); close(done) }()
	defer func() { stop(); <-done }()

	fmt.Fprintf(stdout, "A morning at the Town Hall, %s, on a simulated Asterisk (%gx real time).\n", morning.Format("2 January 2006"), speed)
	fmt.Fprintf(stdout, "Procedure: answer within %d rings (%s each); then the call moves on.\n\n", c.Procedure.AnswerWithinRings, c.Procedure.RingCycle)
	if err := playMorning(ctx, pbx, clk, morning); err != nil {
		return err
	}
	// The citizens have hung up; let the service write its last records
	// (the saver writes behind the calls: what it holds is work).
	for i := 0; ; i++ {
		if st := svc.Stats(); st.ActiveCalls == 0 && st.Work == 0 {
			break
		}
		if i == 500 {
			fmt.Fprintf(stdout, "\n(The service is still at work after 5 s: the log below may lack the last calls.)\n")
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	calls, err := db.Calls(ctx, callcare.CallFilter{})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nWhat the call log kept (callcare calls list):\n")
	printCalls(stdout, calls, c.TimeZone)
	if keep != "" {
		day := morning.Format(time.DateOnly)
		fmt.Fprintf(stdout, "\nThe morning's database is %s. Its compliance report:\n"+
			"  callcare report --config callcare.example.yaml --db %s --from %s --to %s --out report.html\n", keep, keep, day, day)
	}
	return nil
}

// scene is one citizen's call of the morning.
type scene struct {
	at     time.Duration // after 08:00
	caller pbxsim.Caller
}

// playMorning sets up the desk phones and places the calls at their times,
// then waits for every call to end.
func playMorning(ctx context.Context, pbx *pbxsim.Server, clk clock.Clock, morning time.Time) error {
	s := time.Second
	talk := func(d time.Duration) []pbxsim.Action { return []pbxsim.Action{{At: d, Do: pbxsim.Hangup}} }
	// Anna Nowak answers on the 2nd ring; Tomasz Lewandowski is on another
	// call; Krzysztof Wójcik is away from his desk; the secretariat is busy
	// with visitors.
	pbx.SetPhone("PJSIP/111", pbxsim.Phone{RingAfter: s / 2, AnswerAfter: 7 * s})
	pbx.SetPhone("PJSIP/131", pbxsim.Phone{Mode: pbxsim.Busy})
	pbx.SetPhone("PJSIP/132", pbxsim.Phone{RingAfter: s / 2, AnswerAfter: 3 * s, Script: talk(12 * s)})
	pbx.SetPhone("PJSIP/121", pbxsim.Phone{Mode: pbxsim.NeverAnswers, RingAfter: s / 2})
	pbx.SetPhone("PJSIP/122", pbxsim.Phone{RingAfter: s / 2, AnswerAfter: 6 * s})
	pbx.SetPhone("PJSIP/101", pbxsim.Phone{Mode: pbxsim.NeverAnswers, RingAfter: s / 2})
	pbx.SetPhone("PJSIP/102", pbxsim.Phone{Mode: pbxsim.NeverAnswers, RingAfter: s / 2})
	scenes := []scene{
		{0, pbxsim.Caller{Number: "48600100200", Exten: "111", HangupAfter: 30 * s}},
		{5 * s, pbxsim.Caller{Number: "48600300400", Exten: "131"}},
		{12 * s, pbxsim.Caller{Number: "48600500600", Exten: "121", HangupAfter: 45 * s}},
		{20 * s, pbxsim.Caller{Number: "48600700800", Exten: "100", HangupAfter: 9 * s}},
		{35 * s, pbxsim.Caller{Number: "anonymous", Exten: "999"}},
		// Joanna Kowalska, free again, works the secretariat's callbacks
		// from her desk phone: she hears the task, presses 1, talks with
		// the citizen, and presses 1 again: done.
		{65 * s, pbxsim.Caller{Number: "101", Exten: "*70", Endpoint: "PJSIP/101", Args: []string{"clerk", "PJSIP/101"},
			Script: []pbxsim.Action{{At: 13 * s, Do: pbxsim.PressKeys, Digits: "1"}, {At: 40 * s, Do: pbxsim.PressKeys, Digits: "1"}}}},
		// Paulina Wiśniewska answers, then steps away with the phone's hold
		// key: the caller hears the department's music and, now and then,
		// that she will be back (P4h, P4p).
		{70 * s, pbxsim.Caller{Number: "48600900100", Exten: "112", HangupAfter: 75 * s}},
		// A citizen calls the main number: the voice menu (P3.2), 2 for how
		// a matter is handled, 1 for registering a vehicle: its
		// department rings.
		{80 * s, pbxsim.Caller{Number: "48600900200", Exten: "100", Args: []string{"menu", "100"}, HangupAfter: 70 * s,
			Script: []pbxsim.Action{{At: 9 * s, Do: pbxsim.PressKeys, Digits: "2"}, {At: 17 * s, Do: pbxsim.PressKeys, Digits: "1"}}}},
	}
	pbx.SetPhone("PJSIP/112", pbxsim.Phone{RingAfter: s / 2, AnswerAfter: 4 * s, Script: []pbxsim.Action{
		{At: 8 * s, Do: pbxsim.Hold}, {At: 48 * s, Do: pbxsim.Unhold}, {At: 60 * s, Do: pbxsim.Hangup}}})
	pbx.SetPhone("PJSIP/48600700800@trunk", pbxsim.Phone{RingAfter: s / 2, AnswerAfter: 4 * s, Script: talk(15 * s)})
	// The morning starts once the service holds the application.
	if err := pbx.WaitApp(ctx, "callcare", true); err != nil {
		return err
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(scenes))
	for _, sc := range scenes {
		sc.caller.App = "callcare"
		wg.Add(1)
		clk.AfterFunc(morning.Add(sc.at).Sub(clk.Now()), func() {
			defer wg.Done()
			call, err := pbx.Call(sc.caller)
			if err != nil {
				errs <- err
				return
			}
			select {
			case <-call.Done():
			case <-ctx.Done():
			}
		})
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// timeline prints each step of each call as a sentence.
type timeline struct {
	mu    sync.Mutex
	w     io.Writer
	dir   *callcare.Directory
	loc   *time.Location
	rings int // the procedure's count
	legs  map[string]callcare.ClerkID
}

func (t *timeline) step(s ari.Step) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if s.Record.ID == "" {
		t.session(s)
		return
	}
	say := func(format string, args ...any) {
		fmt.Fprintf(t.w, "%s  %s  %s\n", s.At.Format("15:04:05"), callerOf(s.Record), fmt.Sprintf(format, args...))
	}
	rec := s.Record
	switch ev := s.Event.(type) {
	case nil:
		say("dials %s (%s)", rec.Dialed, t.targetName(rec.Target))
	case policy.LegRinging:
		say("%s's phone rings", t.name(t.legs[ev.Leg]))
	case policy.LegFailed:
		say("%s's line is %s: the next person is rung at once", t.name(t.legs[ev.Leg]), ev.Result)
	case policy.TimerFired:
		if slices.ContainsFunc(s.Actions, func(a policy.Action) bool {
			h, ok := a.(policy.HangupLeg)
			return ok && h.Reason == "no_answer"
		}) {
			say("%d rings and no answer (P4a): the call moves on", t.rings)
		}
	case policy.LegAnswered:
		say("%s answers on ring %d; the caller waited %.1f s", t.name(rec.AnsweredBy), rec.AnsweredRing, rec.WaitToAnswer().Seconds())
	case policy.CallerGone:
		say("hangs up")
	case policy.KeyPressed:
		say("presses %s", ev.Digit)
	case policy.LegHeld:
		say("%s puts the call on hold: the caller hears the department's music (P4h)", t.name(t.legs[ev.Leg]))
	case policy.LegUnheld:
		say("%s is back", t.name(t.legs[ev.Leg]))
	case policy.LegGone:
		if rec.HungUpBy == callcare.PartyClerk {
			say("%s hangs up", t.name(rec.AnsweredBy))
		}
	}
	for _, a := range s.Actions {
		switch a := a.(type) {
		case policy.DialClerk:
			t.legs[a.Leg] = a.Clerk.ID
			say("-> ringing %s", t.name(a.Clerk.ID))
		case policy.Play:
			say("-> hears %q", a.Sound)
		case policy.Say:
			if said := heardPrompts(a.Media); said != "" {
				say("-> hears %s", said)
			}
		case policy.Finish:
			say("== %s", verdict(rec))
		}
	}
}

// heardPrompts names what a caller hears, the numbers left out.
func heardPrompts(media []string) string {
	var said []string
	for _, m := range media {
		if name, ok := strings.CutPrefix(m, "sound:callcare/"); ok {
			said = append(said, strconv.Quote(name))
		}
	}
	return strings.Join(said, ", ")
}

func verdict(r callcare.CallRecord) string {
	switch r.Outcome {
	case callcare.OutcomeAnswered:
		return fmt.Sprintf("answered by %s; call lasted %.0f s", r.AnsweredBy, r.EndedAt.Sub(r.StartedAt).Seconds())
	case callcare.OutcomeAbandoned:
		return fmt.Sprintf("abandoned after %d rings: kept for a callback", r.RingsHeard)
	case callcare.OutcomeMissed:
		return fmt.Sprintf("nobody answered in %d rings: kept for a callback", r.RingsHeard)
	case callcare.OutcomeUnrouted:
		return "the number reaches nobody: the caller was told so"
	}
	return string(r.Outcome)
}

func callerOf(r callcare.CallRecord) string {
	return fmt.Sprintf("%-12s", r.CallerID.Masked())
}

func (t *timeline) name(id callcare.ClerkID) string {
	if c, ok := t.dir.Clerk(id); ok {
		return c.FullName()
	}
	return string(id)
}

func (t *timeline) targetName(tg callcare.Target) string {
	switch tg.Kind {
	case callcare.TargetClerk:
		c, _ := t.dir.Clerk(callcare.ClerkID(tg.ID))
		return fmt.Sprintf("%s, %s", c.FullName(), c.Position)
	case callcare.TargetDepartment:
		d, _ := t.dir.Department(tg.ID)
		return d.Name
	}
	return "nobody"
}

// session prints a clerk's callback session as the clerk lives it.
func (t *timeline) session(s ari.Step) {
	say := func(format string, args ...any) {
		fmt.Fprintf(t.w, "%s  %-12s  %s\n", s.At.Format("15:04:05"), "desk "+t.extension(s.Clerk), fmt.Sprintf(format, args...))
	}
	switch ev := s.Event.(type) {
	case nil:
		say("%s dials the callback queue (*70)", t.name(s.Clerk))
	case policy.QueueCounted:
		say("%d callback(s) wait for %s or the department", ev.Own+ev.Department, t.name(s.Clerk))
	case policy.TaskClaimed:
		if ev.OK {
			say("hears: a call from %s, %d try(ies), since %s; 1 to call back", ev.Task.Number.Masked(), ev.Task.Tries, ev.Task.FirstAt.In(t.loc).Format("15:04"))
		}
	case policy.KeyPressed:
		say("presses %s", ev.Digit)
	case policy.LegAnswered:
		say("the citizen answers: they talk")
	case policy.LegGone:
		say("the citizen hangs up; how did it go? (1 done)")
	}
	for _, a := range s.Actions {
		switch a := a.(type) {
		case policy.Originate:
			say("-> calling the citizen back, showing the office's number")
		case policy.FinishAttempt:
			if a.Close != "" {
				say("== callback %s: the task is closed", a.Result)
			} else {
				say("== callback %s: next try by the retry schedule", a.Result)
			}
		case policy.Finish, policy.HangupCaller:
			if _, ok := a.(policy.HangupCaller); ok {
				say("nothing more waits; the line ends")
			}
		}
	}
}

func (t *timeline) extension(id callcare.ClerkID) string {
	c, _ := t.dir.Clerk(id)
	return c.Extension
}
