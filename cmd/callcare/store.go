package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/spf13/pflag"

	"github.com/callcare/callcare/config"
	"github.com/callcare/callcare/sqlite"
)

// configFlag adds --config, the configuration file, to fs.
func configFlag(fs *pflag.FlagSet, path *string, what string) {
	fs.StringVar(path, "config", defaultConfig, "configuration `file` ("+what+")")
}

// storeFlags are the two ways to say which database a command reads:
// --config (the file's "database", and its time zone) or --db.
type storeFlags struct {
	config, db string
	fs         *pflag.FlagSet // to tell a --config given from its default
}

func (f *storeFlags) add(fs *pflag.FlagSet) {
	configFlag(fs, &f.config, "for the database and the time zone")
	fs.StringVar(&f.db, "db", "", "database `file`, instead of the configuration's; times in the machine's zone unless --config is given too")
	f.fs = fs
}

// store is an open database of the office, with what the configuration says
// about it.
type store struct {
	db  *sqlite.DB
	loc *time.Location
	// cfg is the checked configuration; nil with --db alone: then clerks
	// are shown by id only and times in the machine's zone.
	cfg *config.Config
}

func (s *store) Close() error { return s.db.Close() }

// open reads the configuration (unless --db alone is given) and opens
// the database it names, or the one --db gives.
func (f storeFlags) open(ctx context.Context) (*store, error) {
	if f.db != "" && (f.fs == nil || !f.fs.Changed("config")) {
		return openStore(ctx, f.db, "given by --db", nil)
	}
	cfg, err := readConfig(ctx, f.config, config.CheckContext, "--db FILE")
	if err != nil {
		return nil, err
	}
	if f.db != "" {
		return openStore(ctx, f.db, "given by --db", cfg)
	}
	return openStore(ctx, cfg.Database, "the database of --config "+f.config, cfg)
}

// readConfig reads the configuration at path with load (config.Check, or
// config.Load when the ARI password is needed too). Listing its problems is
// config check's work; here they are one line, with the other way to say
// what to read (alt, e.g. "--db FILE"), if any.
func readConfig(ctx context.Context, path string, load func(context.Context, string) (*config.Config, error), alt string) (*config.Config, error) {
	cfg, err := load(ctx, path)
	if alt != "" {
		alt = " or " + alt
	}
	var problems config.Problems
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("no configuration at %s (--config); give --config FILE%s", path, alt)
	case errors.As(err, &problems):
		return nil, fmt.Errorf("%s has %d problem(s); run `callcare config check --config %s`, or give another --config%s", path, len(problems), path, alt)
	}
	return cfg, err
}

// openStore opens the database at path, which origin names for the admin
// (the flag that pointed there). It refuses a file that does not exist: a
// mistyped path must not create an empty database that lists nothing.
func openStore(ctx context.Context, path, origin string, cfg *config.Config) (*store, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no database at %s (%s); is the path right, and has the service run yet?", path, origin)
	} else if err != nil {
		return nil, fmt.Errorf("database (%s): %w", origin, err)
	}
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	s := &store{db: db, cfg: cfg, loc: time.Local}
	if cfg != nil {
		s.loc = cfg.TimeZone
	}
	return s, nil
}
