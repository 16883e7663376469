// Package config reads callcare.yaml, the office's configuration: the
// Asterisk connection, the database, the procedure's settings, the sounds and
// the staff directory (P3.3: the one source of truth about who takes calls).
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
	Sounds    Sounds
	Directory callcare.Directory

	passwordProblem Problems // why Asterisk.Password is empty, if it is
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
}

// Sounds are Asterisk sound names, played as media "sound:NAME".
type Sounds struct {
	UnknownNumber   string // the dialed number reaches nobody
	NobodyAvailable string // the overflow chain is exhausted
	Goodbye         string // closing words before the service hangs up
}

// Defaults of the optional settings.
const (
	DefaultApp            = "callcare"
	DefaultPasswordEnv    = "CALLCARE_ARI_PASSWORD"
	DefaultRequestTimeout = 5 * time.Second
	DefaultTimeZone       = "Europe/Warsaw"
)

// DefaultSounds are Asterisk's stock sounds used when the file names none.
var DefaultSounds = Sounds{
	UnknownNumber:   "ss-noservice",
	NobodyAvailable: "vm-nobodyavail",
	Goodbye:         "vm-goodbye",
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
	v.SetDefault("timezone", DefaultTimeZone)
	v.SetDefault("procedure.answer_within_rings", callcare.DefaultProcedure.AnswerWithinRings)
	v.SetDefault("procedure.ring_cycle", callcare.DefaultProcedure.RingCycle.String())
	v.SetDefault("sounds.unknown_number", DefaultSounds.UnknownNumber)
	v.SetDefault("sounds.nobody_available", DefaultSounds.NobodyAvailable)
	v.SetDefault("sounds.goodbye", DefaultSounds.Goodbye)
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
	} `mapstructure:"asterisk"`
	Database  string `mapstructure:"database"`
	Timezone  string `mapstructure:"timezone"`
	Procedure struct {
		AnswerWithinRings int           `mapstructure:"answer_within_rings"`
		RingCycle         time.Duration `mapstructure:"ring_cycle"`
	} `mapstructure:"procedure"`
	Sounds struct {
		UnknownNumber   string `mapstructure:"unknown_number"`
		NobodyAvailable string `mapstructure:"nobody_available"`
		Goodbye         string `mapstructure:"goodbye"`
	} `mapstructure:"sounds"`
	Departments []rawDepartment `mapstructure:"departments"`
	Clerks      []rawClerk      `mapstructure:"clerks"`
}

type rawDepartment struct {
	Number   string   `mapstructure:"number"`
	Name     string   `mapstructure:"name"`
	Members  []string `mapstructure:"members"`
	Ring     string   `mapstructure:"ring"`
	Overflow string   `mapstructure:"overflow"`
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
