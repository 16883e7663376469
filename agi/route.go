package agi

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/callcare/callcare"
)

// The hooks for offices that keep their own dialplan (issue 9): the
// dialplan asks whom to ring after absences and forwards, and tells the
// service of a call nobody answered.
const (
	// ScriptRoute sets CALLCARE_TARGET, CALLCARE_RING_SECONDS and
	// CALLCARE_REASON for the number dialed:
	//
	//	AGI(agi://127.0.0.1:4573/route,${EXTEN})
	ScriptRoute = "route"
	// ScriptMissed records a call nobody answered as a callback task, from
	// the h extension:
	//
	//	AGI(agi://127.0.0.1:4573/missed,${CALLCARE_DIALED},${DIALSTATUS})
	ScriptMissed = "missed"
)

// Variables the route script sets.
const (
	VarTarget      = "CALLCARE_TARGET"       // a Dial string: "PJSIP/112" or "PJSIP/121&PJSIP/122"; "" for nobody
	VarRingSeconds = "CALLCARE_RING_SECONDS" // the procedure's rings, in seconds
	VarReason      = "CALLCARE_REASON"       // why the call goes to a substitute: leave, sick_leave, training, field_work, or ""
)

// Route is whom a call rings first, after absences and forwards.
type Route struct {
	Dial        string // TECH/resource joined by &; "" when the number reaches nobody (or everyone is away)
	RingSeconds int
	Reason      callcare.AbsenceReason
}

// Missed is a call the dialplan rang and nobody answered.
type Missed struct {
	Dialed     string          // the office number dialed, digits only
	CallerID   callcare.Number // as Asterisk gave it: caller-controlled
	CallerName string          // caller-controlled
	Status     string          // Dial's DIALSTATUS: NOANSWER, BUSY, CANCEL (the caller gave up), ...
	UniqueID   string          // the channel's, to name the call in the log
}

// CallHooks is what the route and missed scripts ask of the service.
// cmd/callcare implements it with the policy and the store.
type CallHooks interface {
	Route(ctx context.Context, dialed string) (Route, error)
	Missed(ctx context.Context, m Missed) error
}

var (
	dialedPattern   = regexp.MustCompile(`^[0-9]{1,20}$`)
	uniqueIDPattern = regexp.MustCompile(`^[0-9]{1,20}\.[0-9]{1,10}$`)
	dialPattern     = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9]{0,15}/[A-Za-z0-9_.@:+*#=-]{1,80})(&[A-Za-z][A-Za-z0-9]{0,15}/[A-Za-z0-9_.@:+*#=-]{1,80})*$`)
	dialStatuses    = map[string]bool{"": true, "NOANSWER": true, "BUSY": true, "CANCEL": true, "CONGESTION": true,
		"CHANUNAVAIL": true, "DONTCALL": true, "TORTURE": true, "INVALIDARGS": true, "ANSWER": true}
)

// logged is what a log line may show of a value the caller may have
// chosen: masked digits, or only how long it was.
func logged(s string) string {
	if dialedPattern.MatchString(s) {
		return callcare.MaskNumber(s)
	}
	if _, ok := dialStatuses[s]; ok && s != "" {
		return s
	}
	return fmt.Sprintf("(%d bytes, not digits)", len(s))
}

// errHungUp: the channel went away while the session was setting variables.
var errHungUp = errors.New("the channel hung up")

// route answers the route script: it asks the hooks, then sets the three
// variables and ends the session. A number that is not digits reaches
// nobody: the variables say so, the value is never echoed.
func (s *Server) route(ctx context.Context, req *request, sess *session) error {
	if len(req.Args) != 1 {
		return fmt.Errorf("%s: %w: %d arguments, want the number dialed", ScriptRoute, errBadArgs, len(req.Args))
	}
	dialed := req.Args[0]
	var r Route
	if dialedPattern.MatchString(dialed) {
		var err error
		if r, err = s.calls.Route(ctx, dialed); err != nil {
			return fmt.Errorf("%s %s: %w", ScriptRoute, logged(dialed), err)
		}
	} else {
		s.log.Warn("agi: route: the number dialed is not digits; it reaches nobody", "dialed", logged(dialed))
	}
	if r.Dial != "" && !dialPattern.MatchString(r.Dial) {
		return fmt.Errorf("%s: %q is not a Dial string", ScriptRoute, truncate(r.Dial))
	}
	for _, v := range []struct{ name, value string }{
		{VarTarget, r.Dial},
		{VarRingSeconds, strconv.Itoa(r.RingSeconds)},
		{VarReason, string(r.Reason)},
	} {
		if err := sess.setVariable(v.name, v.value); err != nil {
			return fmt.Errorf("%s: set %s: %w", ScriptRoute, v.name, err)
		}
	}
	s.log.Info("agi: routed", "dialed", logged(dialed), "target", r.Dial, "reason", r.Reason)
	return nil
}

// missed answers the missed script: the connection is closed first, so the
// h extension ends at once; then the hooks record the call.
func (s *Server) missed(ctx context.Context, req *request) error {
	if len(req.Args) != 2 {
		return fmt.Errorf("%s: %w: %d arguments, want the number dialed and DIALSTATUS", ScriptMissed, errBadArgs, len(req.Args))
	}
	m := Missed{Dialed: req.Args[0], Status: req.Args[1], CallerID: callcare.Number(req.Env["callerid"]),
		CallerName: req.Env["calleridname"], UniqueID: req.Env["uniqueid"]}
	switch {
	case !dialedPattern.MatchString(m.Dialed):
		return fmt.Errorf("%s: %w: number dialed %s is not digits", ScriptMissed, errBadArgs, logged(m.Dialed))
	case !dialStatuses[m.Status]:
		return fmt.Errorf("%s: %w: DIALSTATUS %s", ScriptMissed, errBadArgs, logged(m.Status))
	case !uniqueIDPattern.MatchString(m.UniqueID):
		m.UniqueID = ""
	}
	if m.Status == "ANSWER" {
		return nil // answered: nothing is owed
	}
	if err := s.calls.Missed(ctx, m); err != nil {
		return fmt.Errorf("%s: from %s: %w", ScriptMissed, m.CallerID.Masked(), err)
	}
	s.log.Info("agi: missed call recorded for a callback", "dialed", m.Dialed, "caller", m.CallerID, "status", m.Status)
	return nil
}

// session is a FastAGI connection the server talks on: one command, one
// reply, as run_agi reads them.
type session struct {
	conn net.Conn
	r    *bufio.Reader
}

// setVariable sends SET VARIABLE with the value quoted as Asterisk's
// parse_args reads it (a double quote groups, a backslash escapes the next
// character), and reads the reply. A value with a control character is
// refused before anything is sent: a newline would end the command.
func (sess *session) setVariable(name, value string) error {
	if strings.IndexFunc(value, unicode.IsControl) >= 0 || len(value) > 1024 {
		return fmt.Errorf("a value with a control character, or too long, is never sent")
	}
	return sess.command(fmt.Sprintf("SET VARIABLE %s %s", name, quote(value)))
}

// quote writes s as one argument of an AGI command.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		if r == '"' || r == '\\' {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}

// command sends one command and reads its reply: "200 result=..." is done;
// a bare "HANGUP" is Asterisk saying the channel is gone; anything else
// (510, 511, 520) is a failure.
func (sess *session) command(line string) error {
	if _, err := fmt.Fprintf(sess.conn, "%s\n", line); err != nil {
		return err
	}
	reply, err := readLine(sess.r)
	if err != nil {
		return err
	}
	switch {
	case reply == "HANGUP":
		return errHungUp
	case strings.HasPrefix(reply, "200 "):
		return nil
	case strings.HasPrefix(reply, "511 "):
		return errHungUp
	}
	return fmt.Errorf("unexpected answer from Asterisk: %q", truncate(reply))
}
