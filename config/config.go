// Package config reads callcare.yaml, the office's configuration: the
// Asterisk connection, the database, the procedure's settings, office hours,
// callbacks, the special-needs registry and lines (P5.3), the sounds and the
// staff directory (P3.3: the one source of truth about who takes calls).
//
// The file is read through viper (YAML). Viper forgets where a value came
// from, so the same bytes are also parsed as a yaml.v3 node tree: the tree
// gives the structure (keys exactly as written, types, line numbers) and
// viper gives the values. Every problem is reported, each with its YAML path
// and line, so an admin can fix a file in one go:
//
//	callcare.yaml:14: clerks[2].extension: duplicate extension "101" (also clerks[0], line 40)
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
// Loading is pure: a refused file returns no Config at all, so a caller that
// reloads keeps its old one.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	_ "time/tzdata" // the time zone must load on machines without a zoneinfo database

	"github.com/callcare/callcare"
	"github.com/spf13/viper"
)

// Config is a valid callcare.yaml, in domain types.
type Config struct {
	Asterisk  Asterisk
	Database  string         // path of the SQLite database
	TimeZone  *time.Location // the office's time zone
	Procedure callcare.Procedure
	Prompts   callcare.Prompts // the sounds: section
	Directory callcare.Directory
	// OfficeHours is when the office answers, in TimeZone: callback due
	// times and retries count office time only.
	OfficeHours  callcare.OfficeHours
	Callbacks    Callbacks
	SpecialNeeds SpecialNeeds

	passwordProblem Problems // why Asterisk.Password is empty, if it is

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
	// AGIListen is where the service takes the dialplan's FastAGI hooks
	// (agi://ADDR/...).
	AGIListen string
}

// Defaults of the optional settings.
const (
	DefaultApp            = "callcare"
	DefaultPasswordEnv    = "CALLCARE_ARI_PASSWORD"
	DefaultRequestTimeout = 5 * time.Second
	DefaultAGIListen      = "127.0.0.1:4573"
	DefaultTimeZone       = "Europe/Warsaw"
)

// Words of callbacks.
const (
	DialNumber     = "{number}" // the citizen's number in Callbacks.Dial
	RetryNextDay   = "next_day" // a retry step: the next office day's opening
	EscalateHead   = "head"     // ring the department head's phone, and report
	EscalateReport = "report"   // only the report
)

// soundKeys are the keys of the sounds: section, one per prompt.
var soundKeys = func() []string {
	var keys []string
	callcare.DefaultPrompts.Each(func(key, _ string) { keys = append(keys, key) })
	return keys
}()

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

// Load reads and validates the file at path for a service that will connect
// to Asterisk: a missing ARI password is a problem too. The error is
// Problems when the file is invalid, another error when it cannot be read.
func Load(path string) (*Config, error) {
	c, err := Check(path)
	if err != nil {
		return nil, err
	}
	if err := c.PasswordProblem(); err != nil {
		return nil, err
	}
	return c, nil
}

// Check reads and validates the file at path, as `callcare config check`
// does: a missing password is left in Config.PasswordProblem, not refused.
// The password is looked up in the process's environment.
func Check(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data, os.Getenv)
}

// Parse validates data, the contents of the file name (used in messages and
// to resolve a relative password_file). env looks up the password variable;
// nil means no environment. It returns Problems when the file is invalid; a
// missing password is not one of them (see Config.PasswordProblem).
func Parse(name string, data []byte, env func(string) string) (*Config, error) {
	if env == nil {
		env = func(string) string { return "" }
	}
	p := &parser{file: name, lines: map[string]int{}, bad: map[string]bool{}}
	root, ok := p.parseTree(data)
	if !ok {
		return nil, p.problems
	}
	p.walk(root)

	raw, err := p.readViper(data)
	if err != nil {
		return nil, err
	}
	c := p.build(raw)
	if len(p.problems) > 0 {
		p.problems.sort()
		return nil, p.problems
	}
	c.passwordProblem = p.resolvePassword(raw, &c.Asterisk, env)
	return c, nil
}

// readViper loads data with viper and decodes it. Types were checked on the
// node tree already; when that found a problem the decoder's own complaint
// about the same value is dropped and the rest of the values are still used.
func (p *parser) readViper(data []byte) (*rawConfig, error) {
	v := viper.New()
	v.SetConfigType("yaml")
	v.SetDefault("asterisk.password_env", DefaultPasswordEnv)
	v.SetDefault("asterisk.app", DefaultApp)
	v.SetDefault("asterisk.request_timeout", DefaultRequestTimeout.String())
	v.SetDefault("asterisk.agi_listen", DefaultAGIListen)
	v.SetDefault("timezone", DefaultTimeZone)
	v.SetDefault("procedure.answer_within_rings", callcare.DefaultProcedure.AnswerWithinRings)
	v.SetDefault("procedure.ring_cycle", callcare.DefaultProcedure.RingCycle.String())
	callcare.DefaultPrompts.Each(func(key, sound string) { v.SetDefault("sounds."+key, sound) })
	cb := DefaultCallbacks()
	retry := make([]string, len(cb.Retry))
	for i, r := range cb.Retry {
		retry[i] = r.String()
	}
	for key, val := range map[string]any{
		"promise":               cb.Promise.String(),
		"special_needs_promise": cb.SpecialNeedsPromise.String(),
		"retry":                 retry,
		"max_attempts":          cb.MaxAttempts,
		"dial":                  cb.Dial,
		"feature_code":          cb.FeatureCode,
		"key_timeout":           cb.KeyTimeout.String(),
		"claim_for":             cb.ClaimFor.String(),
		"note_max":              cb.NoteMax.String(),
		"note_retention":        cb.NoteRetention.String(),
		"escalate_to":           cb.EscalateTo,
		"scheduler_tick":        cb.SchedulerTick.String(),
	} {
		v.SetDefault("callbacks."+key, val)
	}
	raw := &rawConfig{}
	if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
		if len(p.problems) == 0 {
			p.add("", 0, "viper cannot read the file: %v", err)
		}
		p.problems.sort()
		return nil, p.problems
	}
	if err := v.Unmarshal(raw); err != nil && len(p.bad) == 0 {
		p.add("", 0, "viper cannot decode the file: %v", err)
	}
	return raw, nil
}

// rawConfig is the file as viper decodes it.
type rawConfig struct {
	Asterisk struct {
		ARIURL         string        `mapstructure:"ari_url"`
		WebsocketURL   string        `mapstructure:"websocket_url"`
		User           string        `mapstructure:"user"`
		PasswordEnv    string        `mapstructure:"password_env"`
		PasswordFile   string        `mapstructure:"password_file"`
		App            string        `mapstructure:"app"`
		RequestTimeout time.Duration `mapstructure:"request_timeout"`
		AGIListen      string        `mapstructure:"agi_listen"`
	} `mapstructure:"asterisk"`
	Database  string `mapstructure:"database"`
	Timezone  string `mapstructure:"timezone"`
	Procedure struct {
		AnswerWithinRings int           `mapstructure:"answer_within_rings"`
		RingCycle         time.Duration `mapstructure:"ring_cycle"`
	} `mapstructure:"procedure"`
	Sounds       map[string]string `mapstructure:"sounds"`
	OfficeHours  rawOfficeHours    `mapstructure:"office_hours"`
	Callbacks    rawCallbacks      `mapstructure:"callbacks"`
	SpecialNeeds struct {
		Numbers []string  `mapstructure:"numbers"`
		Lines   []rawLine `mapstructure:"lines"`
	} `mapstructure:"special_needs"`
	Departments []rawDepartment `mapstructure:"departments"`
	Clerks      []rawClerk      `mapstructure:"clerks"`
}

// rawOfficeHours holds each day as written: a string or a list of them.
type rawOfficeHours struct {
	Monday         any   `mapstructure:"monday"`
	Tuesday        any   `mapstructure:"tuesday"`
	Wednesday      any   `mapstructure:"wednesday"`
	Thursday       any   `mapstructure:"thursday"`
	Friday         any   `mapstructure:"friday"`
	Saturday       any   `mapstructure:"saturday"`
	Sunday         any   `mapstructure:"sunday"`
	PolishHolidays bool  `mapstructure:"polish_holidays"`
	Closed         []any `mapstructure:"closed"` // strings, or time.Time when unquoted
}

type rawCallbacks struct {
	Promise             time.Duration `mapstructure:"promise"`
	SpecialNeedsPromise time.Duration `mapstructure:"special_needs_promise"`
	Retry               []string      `mapstructure:"retry"`
	MaxAttempts         int           `mapstructure:"max_attempts"`
	CallerID            string        `mapstructure:"caller_id"`
	Dial                string        `mapstructure:"dial"`
	FeatureCode         string        `mapstructure:"feature_code"`
	KeyTimeout          time.Duration `mapstructure:"key_timeout"`
	ClaimFor            time.Duration `mapstructure:"claim_for"`
	NoteMax             time.Duration `mapstructure:"note_max"`
	NoteRetention       time.Duration `mapstructure:"note_retention"`
	EscalateTo          string        `mapstructure:"escalate_to"`
	SchedulerTick       time.Duration `mapstructure:"scheduler_tick"`
}

type rawLine struct {
	Number string `mapstructure:"number"`
	Target string `mapstructure:"target"`
}

type rawDepartment struct {
	Number   string   `mapstructure:"number"`
	Name     string   `mapstructure:"name"`
	Members  []string `mapstructure:"members"`
	Ring     string   `mapstructure:"ring"`
	Overflow string   `mapstructure:"overflow"`
	Head     string   `mapstructure:"head"`
}

type rawClerk struct {
	ID         string `mapstructure:"id"`
	Name       string `mapstructure:"name"`
	Surname    string `mapstructure:"surname"`
	Position   string `mapstructure:"position"`
	Department string `mapstructure:"department"`
	Extension  string `mapstructure:"extension"`
	Endpoint   string `mapstructure:"endpoint"`
	Overflow   string `mapstructure:"overflow"`
	Substitute string `mapstructure:"substitute"`
}

// resolvePassword fills a.Password from the environment or the password
// file, or says why it cannot.
func (p *parser) resolvePassword(raw *rawConfig, a *Asterisk, env func(string) string) Problems {
	a.PasswordEnv = raw.Asterisk.PasswordEnv
	a.PasswordFile = raw.Asterisk.PasswordFile
	if pw := env(a.PasswordEnv); pw != "" {
		a.Password = pw
		return nil
	}
	if a.PasswordFile == "" {
		path := "asterisk.password_env"
		return Problems{{File: p.file, Path: path, Line: p.lineOf(path),
			Message: fmt.Sprintf("no ARI password: the environment variable %s is empty and no password_file is set", a.PasswordEnv)}}
	}
	path := "asterisk.password_file"
	f := a.PasswordFile
	if !filepath.IsAbs(f) {
		f = filepath.Join(filepath.Dir(p.file), f)
	}
	b, err := os.ReadFile(f)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			err = fmt.Errorf("%s does not exist", f)
		}
		return Problems{{File: p.file, Path: path, Line: p.lineOf(path),
			Message: fmt.Sprintf("no ARI password: %s is empty and the password file cannot be read: %v", a.PasswordEnv, err)}}
	}
	pw := strings.TrimRight(string(b), "\r\n")
	if pw == "" {
		return Problems{{File: p.file, Path: path, Line: p.lineOf(path),
			Message: fmt.Sprintf("no ARI password: %s is empty and so is the password file %s", a.PasswordEnv, f)}}
	}
	a.Password = pw
	return nil
}
