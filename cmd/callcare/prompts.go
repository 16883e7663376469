package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/config"
	"github.com/callcare/callcare/prompts"
)

// defaultSounds is where Asterisk keeps its sounds when installed from
// packages or source.
const defaultSounds = "/var/lib/asterisk/sounds"

func newPromptsCmd() *cobra.Command {
	c := group(&cobra.Command{
		Use:   "prompts",
		Short: "the sounds the service plays, in Polish and English",
	})
	c.AddCommand(newPromptsBuildCmd(), newPromptsCheckCmd(), newPromptsListCmd())
	return c
}

func newPromptsBuildCmd() *cobra.Command {
	var (
		lang, out, path string
		b               prompts.Builder
	)
	c := &cobra.Command{
		Use:   "build",
		Short: "speak every prompt into Asterisk's sound layout (espeak-ng, sox)",
		Long: `Speak every sound the service plays, slowly, with espeak-ng, and convert it with
sox into Asterisk's sound layout: DIR/pl/callcare/goodbye.wav and so on, 8 kHz
mono 16-bit PCM; with the numbers, hours, days and dates Asterisk's own Polish
saying asks for (DIR/pl/digits/...). The words are in prompts/texts.yaml.

A sound already made from the same words is left alone. A file of the same
name that build did not make (the office's own recording, or Asterisk's stock
English sounds) is kept, and listed: --force overwrites it. Copy DIR into
Asterisk's sounds directory, or build straight into it.`,
		Example: `  callcare prompts build --out sounds
  callcare prompts build --lang pl --out /var/lib/asterisk/sounds
  callcare prompts build --lang en --rate 150 --out sounds`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			langs := prompts.Languages
			if lang != "" {
				if !slices.Contains(prompts.Languages, lang) {
					return usagef("--lang %q: one of %s", lang, strings.Join(prompts.Languages, ", "))
				}
				langs = []string{lang}
			}
			extra, err := matterSounds(c.Context(), path, c.Flags().Changed("config"))
			if err != nil {
				return err
			}
			return promptsBuild(c.Context(), b, langs, out, c.OutOrStdout(), extra...)
		},
	}
	c.Flags().StringVar(&path, "config", "", "also speak the names of its matters: (P3.2) into their default sounds")
	c.Flags().StringVar(&lang, "lang", "", "only this language: pl or en (default both)")
	c.Flags().StringVar(&out, "out", "sounds", "the sounds `directory` to build into")
	c.Flags().IntVar(&b.Rate, "rate", prompts.DefaultRate, "words per minute")
	c.Flags().BoolVar(&b.Force, "force", false, "overwrite files that build did not make (recordings)")
	return c
}

func promptsBuild(ctx context.Context, b prompts.Builder, langs []string, out string, stdout io.Writer, extra ...prompts.Sound) error {
	cat, err := prompts.Texts()
	if err != nil {
		return err
	}
	cat.Sounds = append(cat.Sounds, extra...)
	for _, lang := range langs {
		res, err := b.Build(ctx, cat, lang, out)
		fmt.Fprintf(stdout, "%s: %d made, %d unchanged, %d kept in %s\n",
			lang, len(res.Made), len(res.Unchanged), len(res.Kept), filepath.Join(out, lang))
		for _, name := range res.Kept {
			fmt.Fprintf(stdout, "  kept %s: a file build did not make (a recording, or Asterisk's own); --force replaces it\n", name)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func newPromptsCheckCmd() *cobra.Command {
	var path, sounds, lang string
	c := &cobra.Command{
		Use:   "check",
		Short: "list the sounds missing from Asterisk's sounds directory",
		Long: `List every sound the configuration (its sounds: section, with the defaults)
and the service (numbers, times, the beep) ask for that Asterisk cannot play
in the language: missing from DIR/LANG, found only in English (a Polish
caller would hear English), or a .wav in a format Asterisk does not play (it
needs 8 kHz mono 16-bit PCM). For Polish, also what Asterisk's own Polish
saying of numbers and times asks for. Without a configuration file, the
default sounds are checked. Exit status 1 when anything is listed.`,
		Example: `  callcare prompts check --config /etc/callcare/callcare.yaml
  callcare prompts check --sounds /var/lib/asterisk/sounds --lang en`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if !slices.Contains(prompts.Languages, lang) {
				return usagef("--lang %q: one of %s", lang, strings.Join(prompts.Languages, ", "))
			}
			return promptsCheck(path, c.Flags().Changed("config"), sounds, lang, c.OutOrStdout(), c.ErrOrStderr())
		},
	}
	configFlag(c.Flags(), &path, "for its sounds: section")
	c.Flags().StringVar(&sounds, "sounds", defaultSounds, "Asterisk's sounds `directory`")
	c.Flags().StringVar(&lang, "lang", "pl", "the callers' language: pl or en")
	return c
}

func promptsCheck(path string, named bool, sounds, lang string, stdout, stderr io.Writer) error {
	configured, from := callcare.DefaultPrompts, "the defaults"
	var cfg *config.Config
	if _, err := os.Stat(path); named || err == nil {
		c, err := config.Check(path)
		var problems config.Problems
		switch {
		case errors.As(err, &problems):
			fmt.Fprintln(stderr, problems.Error())
			fmt.Fprintf(stderr, "%s: %d problem(s): run 'callcare config check'\n", path, len(problems))
			return exitError(1)
		case err != nil:
			return err
		}
		configured, from, cfg = c.Prompts, path, c
	}
	cat, err := prompts.Texts()
	if err != nil {
		return err
	}
	needs := append(prompts.Needs(cat, configured, from, lang), matterNeeds(cfg, from)...)
	found, err := prompts.Check(sounds, lang, needs)
	if err != nil {
		return err
	}
	where := filepath.Join(sounds, lang)
	if len(found) == 0 {
		fmt.Fprintf(stdout, "%s: all %d sounds are there (sounds: from %s)\n", where, len(needs), from)
		return nil
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "SOUND\tPROBLEM\tWHO ASKS")
	for _, f := range found {
		fmt.Fprintf(w, "%s\t%s\t%s\n", f.Sound, f.Problem, strings.Join(f.Why, "; "))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	build := fmt.Sprintf("callcare prompts build --lang %s --out %s", lang, sounds)
	if cfg != nil { // the matters' names are the configuration's
		build += " --config " + path
	}
	fmt.Fprintf(stderr, "%s: %d of %d sounds missing or unplayable; '%s' makes those it has words for\n",
		where, len(found), len(needs), build)
	return exitError(1)
}

func newPromptsListCmd() *cobra.Command {
	var lang string
	c := &cobra.Command{
		Use:   "list",
		Short: "what each prompt says, and the file to record it as",
		Long: `Print every prompt with the words it says and the sound file it is (the name
to give the office's own recording), from prompts/texts.yaml.`,
		Example: `  callcare prompts list
  callcare prompts list --lang en`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if !slices.Contains(prompts.Languages, lang) {
				return usagef("--lang %q: one of %s", lang, strings.Join(prompts.Languages, ", "))
			}
			cat, err := prompts.Texts()
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(c.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "KEY\tFILE\tWORDS")
			for _, s := range cat.Sounds {
				if s.Group == prompts.GroupPrompt {
					fmt.Fprintf(w, "%s\t%s/%s.wav\t%s\n", s.Key, lang, s.Name, s.Texts[lang])
				}
			}
			return w.Flush()
		},
	}
	c.Flags().StringVar(&lang, "lang", "pl", "pl or en")
	return c
}
