package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// Annotations of the commands that hold others.
const (
	// holderAnnotation: it runs only to say which commands it holds; its
	// usage shows no line of its own.
	holderAnnotation = "callcare/holder"
	// groupAnnotation: listings go through it to the commands that do the
	// work ("callbacks note").
	groupAnnotation = "callcare/group"
)

// usage is cobra's usage text, but a command that holds others lists every
// command under it by its whole path ("calls list", "callbacks note"), so
// the top-level help names every command there is.
func usage(c *cobra.Command) error {
	w := c.OutOrStderr()
	fmt.Fprint(w, "Usage:")
	if c.Annotations[holderAnnotation] == "" && c.Runnable() {
		fmt.Fprintf(w, "\n  %s", c.UseLine())
	}
	if c.HasAvailableSubCommands() {
		fmt.Fprintf(w, "\n  %s [command]", c.CommandPath())
	}
	if c.HasExample() {
		fmt.Fprintf(w, "\n\nExamples:\n%s", c.Example)
	}
	if cmds := listed(c, ""); len(cmds) > 0 {
		width := 0
		for _, l := range cmds {
			width = max(width, len(l.path))
		}
		fmt.Fprint(w, "\n\nCommands:")
		for _, l := range cmds {
			fmt.Fprintf(w, "\n  %-*s  %s", width, l.path, l.cmd.Short)
		}
	}
	if c.HasAvailableLocalFlags() {
		fmt.Fprintf(w, "\n\nFlags:\n%s", strings.TrimRight(c.LocalFlags().FlagUsages(), " \n"))
	}
	if c.HasAvailableInheritedFlags() {
		fmt.Fprintf(w, "\n\nGlobal flags:\n%s", strings.TrimRight(c.InheritedFlags().FlagUsages(), " \n"))
	}
	if c.HasAvailableSubCommands() {
		fmt.Fprintf(w, "\n\nUse \"%s [command] --help\" for more about a command.", c.CommandPath())
	}
	fmt.Fprintln(w)
	return nil
}

type listing struct {
	path string // from the command whose usage is printed
	cmd  *cobra.Command
}

// listed is every available command under c, through the groups, in the
// order they were added.
func listed(c *cobra.Command, prefix string) []listing {
	var out []listing
	for _, sub := range c.Commands() {
		if !sub.IsAvailableCommand() && sub.Name() != "help" {
			continue
		}
		path := prefix + sub.Name()
		if sub.Annotations[groupAnnotation] != "" {
			out = append(out, listed(sub, path+" ")...)
			continue
		}
		out = append(out, listing{path: path, cmd: sub})
	}
	return out
}
