// Package config reads callcare.yaml, the office's configuration: the
// Asterisk connection, the database, the procedure's settings, office hours,
// callbacks, the special-needs registry and lines (P5.3), the sounds, the
// staff directory (P3.3: the one source of truth about who takes calls),
// the secretariat, absences and the forward codes (P4c). Absences that would
// send a call round in a loop while they hold at once are refused, naming
// both lines and a moment it happens.
//
// # One description, one decode
//
// The file is described once, in Go types: [File] and its sections, with
// the defaults in [DefaultFile] (the `sounds:` section is callcare.Prompts
// itself). The file is parsed with yaml.v3 into a node tree and decoded from
// it once, the types saying what each key may hold, so every problem keeps
// its YAML path and line: unknown keys (with "did you mean"), wrong types,
// duplicate and missing keys, then the checks of the values and of the
// directory. Every problem is reported, so an admin can fix a file in one go:
//
//	callcare.yaml:14: clerks[2].extension: duplicate extension "101" (also clerks[0], line 40)
//
// # Reading is bounded
//
// Only a regular file is read (a FIFO, a device or a directory is refused
// with ErrNotRegularFile, never waited on), at most [MaxFileSize] bytes of
// it. Aliases and merge keys may stand for at most [MaxExpansion] values in
// all, so a "billion laughs" file is refused, at its line, in milliseconds.
// The Context variants ([LoadContext], [CheckContext], [ParseContext]) stop
// when their context ends, at any moment of the read.
//
// # The ARI password
//
// The password is never written in the file. It comes from the environment
// variable named by asterisk.password_env (default CALLCARE_ARI_PASSWORD) or,
// when that variable is empty or unset, from the file asterisk.password_file
// (its trailing newline trimmed; a relative path is relative to the directory
// of callcare.yaml). A literal asterisk.password key is refused.
//
// A missing password is a problem only where the service must connect:
// [Load] (for `callcare serve`) refuses a configuration without one, while
// [Parse] and [Check] (for `callcare config check`, which runs in CI where the
// secret is absent) validate the file alone and leave the password problem in
// [Config.PasswordProblem].
//
// No other setting comes from the environment: the file is what `config
// check` validates and what every command reads (serve, calls list,
// callbacks), so a variable set for the service and not in an admin's shell
// would make two commands see two offices. The password is the exception
// because it must not be in the file.
//
// # Reloading
//
// Loading is pure: a refused file returns no Config at all, so a caller that
// reloads keeps its old one. [Watch] reloads the file when an editor saves
// it (in place or by replacing it) and when asked ([Watcher.Reload], for
// SIGHUP), and reports each result, with the same Problems as `config check`.
package config

import (
	"fmt"
	"sort"
	"strings"
	"time"
	_ "time/tzdata" // the time zone must load on machines without a zoneinfo database

	"github.com/callcare/callcare"
)

// Config is a valid callcare.yaml, in domain types.
type Config struct {
	Asterisk Asterisk
	Database string         // path of the SQLite database
	TimeZone *time.Location // the office's time zone
	// Language is the office's: how numbers and times are said ("pl" or
	// "en"). The prompts themselves play in the channel's language, which
	// Asterisk takes from the phone's or the trunk's settings.
	Language  string
	Procedure callcare.Procedure
	Prompts   callcare.Prompts // the sounds: section
	Directory callcare.Directory
	// OfficeHours is when the office answers, in TimeZone: callback due
	// times and retries count office time only.
	OfficeHours  callcare.OfficeHours
	Callbacks    Callbacks
	SpecialNeeds SpecialNeeds
	// Retention is how long personal data is kept (GDPR); its Notes is
	// Callbacks.NoteRetention.
	Retention callcare.Retention
	// Absences are the rules of absences: (P4c), in file order, in the
	// office's zone; forwards set by phone are the store's.
	Absences   []callcare.Absence
	Forwarding Forwarding
	// Secretariat is the department that answers when the service is
	// down and may change others' forwards.
	Secretariat string
	Waiting     callcare.Waiting // how waiting callers are kept informed (P4h, P4p)
	Metrics     Metrics          // where /metrics, /healthz and /readyz are served
	// Menu is the voice menu of the main numbers, with the matters it
	// explains and the meetings booked by phone; Notices the service's
	// calls to citizens (P3.2).
	Menu    callcare.Menu
	Notices Notices

	passwordProblem Problems // why Asterisk.Password is empty, if it is
	warnings        Problems // valid, but likely not meant (Warnings)

	// clerks[].substitute and departments[].head while they are checked;
	// the directory gets them (Clerk.Substitute, Department.Head).
	substitutes map[callcare.ClerkID]callcare.ClerkID
	heads       map[string]callcare.ClerkID
}

// Callbacks are the settings of callback tasks (P4b, P4c, P4i, P4m, P5.3).
type Callbacks struct {
	// Promise is the office time within which a missed call is called back;
	// SpecialNeedsPromise, never longer, is the same for people with
	// special needs (P5.3).
	Promise, SpecialNeedsPromise time.Duration
	// Retry is the wait after each failed attempt: Retry[0] after the
	// first, Retry[1] after the second, the last one for every later
	// attempt. Waits count office time.
	Retry []Retry
	// MaxAttempts is how many attempts are made before the task closes as
	// unreachable.
	MaxAttempts int
	// CallerID is the office's number shown to citizens on callbacks; ""
	// leaves Asterisk's default.
	CallerID string
	// Dial is how a citizen is dialed: an endpoint with DialNumber in it,
	// such as PJSIP/{number}@trunk.
	Dial string
	// FeatureCode is what clerks dial to hear their callbacks; the
	// dialplan routes it to the service, this is documentation.
	FeatureCode string
	// KeyTimeout is how long the desk-phone flow waits for a key (P5.1).
	KeyTimeout time.Duration
	// ClaimFor is how long a clerk holds a task while working it, should
	// the clerk's phone flow die.
	ClaimFor time.Duration
	// NoteMax is the longest voice note; NoteRetention is how long a note
	// is kept after its task closes.
	NoteMax, NoteRetention time.Duration
	// SchedulerTick is how often due agreed callbacks are looked for.
	SchedulerTick time.Duration
	// EscalateTo is what happens to an overdue agreed callback:
	// EscalateHead or EscalateReport.
	EscalateTo string
}

// Retry is one step of the retry schedule: a wait in office time, or the
// next office day's opening.
type Retry struct {
	After   time.Duration
	NextDay bool
}

func (r Retry) String() string {
	if r.NextDay {
		return RetryNextDay
	}
	return r.After.String()
}

// SpecialNeeds is how callers with special needs are recognised (P5.3).
type SpecialNeeds struct {
	// Numbers are caller numbers known to have special needs, as
	// callcare.CallableNumber gives them. The registry is kept with the
	// citizens' consent.
	Numbers []callcare.Number
	// Lines are dedicated numbers: whoever dials one has special needs.
	Lines []Line
}

// Line is a dedicated line for people with special needs.
type Line struct {
	Number string          // the number dialed; no extension or department has it
	Target callcare.Target // the clerk or department it rings
}

// Asterisk is how the service reaches the PBX over ARI.
type Asterisk struct {
	ARIURL       string // REST base, e.g. http://127.0.0.1:8088/ari
	WebsocketURL string // event stream, e.g. ws://127.0.0.1:8088/ari/events
	User         string
	// Password is resolved from PasswordEnv or PasswordFile; empty when
	// neither gives one (see Config.PasswordProblem).
	Password     string
	PasswordEnv  string // name of the environment variable read for the password
	PasswordFile string // file read when the variable is empty; "" for none
	App          string // the Stasis application name
	// RequestTimeout is the deadline of every ARI REST request.
	RequestTimeout time.Duration
	// MaxConnections bounds the HTTP connections REST requests use, well
	// under Asterisk's http.conf sessionlimit (100 by default), past which
	// Asterisk closes a connection unanswered; requests beyond wait.
	MaxConnections int
	// MaxCalls and MaxLatency are the service's capacity: while it carries
	// MaxCalls calls, or Asterisk's answers take MaxLatency on average, or
	// its events of new calls come that late on average, a new call goes at
	// once to the dialplan's fallback (callcare-fallback) instead of into
	// the service. 0 for no bound.
	MaxCalls   int
	MaxLatency time.Duration
	// MaxCallsPerSecond is how many new calls a second the service takes
	// at most; the rest go to the fallback from the first one past it.
	// 0 for no bound.
	MaxCallsPerSecond int
	// MaxHostCPU is the busy share (0-1) of the machine's processors past
	// which new calls go to the fallback too: beside Asterisk, a PBX short
	// of CPU drops SIP packets before its ARI side shows it. 0 for no bound.
	MaxHostCPU float64
	// AGIListen is where the service takes the dialplan's FastAGI hooks
	// (agi://ADDR/...).
	AGIListen string
}

// Defaults of the optional settings.
const (
	DefaultApp               = "callcare"
	DefaultPasswordEnv       = "CALLCARE_ARI_PASSWORD"
	DefaultRequestTimeout    = 5 * time.Second
	DefaultMaxConnections    = 20
	DefaultMaxCalls          = 500
	DefaultMaxLatency        = 300 * time.Millisecond
	DefaultMaxHostCPU        = 85 // per cent
	DefaultMaxCallsPerSecond = 50
	DefaultAGIListen         = "127.0.0.1:4573"
	DefaultTimeZone          = "Europe/Warsaw"
	DefaultLanguage          = "pl"
)

// Words of callbacks.
const (
	DialNumber     = "{number}" // the citizen's number in Callbacks.Dial
	RetryNextDay   = "next_day" // a retry step: the next office day's opening
	EscalateHead   = "head"     // ring the department head's phone, and report
	EscalateReport = "report"   // only the report
)

// DefaultCallbacks are the callback settings used when the file gives none.
func DefaultCallbacks() Callbacks {
	return Callbacks{
		Promise:             2 * time.Hour,
		SpecialNeedsPromise: time.Hour,
		Retry:               []Retry{{After: 15 * time.Minute}, {After: time.Hour}, {NextDay: true}},
		MaxAttempts:         4,
		Dial:                "PJSIP/" + DialNumber + "@trunk",
		FeatureCode:         "*70",
		KeyTimeout:          10 * time.Second,
		ClaimFor:            10 * time.Minute,
		NoteMax:             30 * time.Second,
		NoteRetention:       720 * time.Hour,
		SchedulerTick:       time.Second,
		EscalateTo:          EscalateReport,
	}
}

// PasswordProblem says why the ARI password could not be resolved, as
// Problems, or returns nil when Asterisk.Password is set. `config check` may
// print it as a warning; `serve` must not start with it (Load refuses).
func (c *Config) PasswordProblem() error {
	if len(c.passwordProblem) == 0 {
		return nil
	}
	return c.passwordProblem
}

// Warnings are what the file says that is valid but likely not what the
// admin meant: `config check` prints them, `serve` logs them.
func (c *Config) Warnings() Problems { return c.warnings }

// Problem is one thing wrong in the file.
type Problem struct {
	File    string // the file's name as given to Parse or Load
	Path    string // YAML path, e.g. "clerks[2].extension"; "" for the whole file
	Line    int    // 1-based; 0 when unknown
	Message string
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	if p.Path != "" {
		b.WriteString(p.Path)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Problems is every problem found in a file, in file order. It is the error
// Load, Check and Parse return for an invalid file: one line per problem.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

func (ps Problems) sort() {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Line != ps[j].Line {
			return ps[i].Line < ps[j].Line
		}
		return ps[i].Path < ps[j].Path
	})
}
