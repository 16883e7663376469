// Package prompts keeps the words of every sound callcare plays, in Polish
// (the default) and English, turns them into sound files Asterisk can play,
// and finds the sounds an Asterisk sounds directory lacks.
//
// The words are in texts.yaml, embedded: the prompts keyed by their key in
// the sounds: section of callcare.yaml (callcare.Prompts), then the numbers,
// days and beep callcare says between them (policy/say.go), then the rest of
// what Asterisk's own Polish saying asks for (main/say.c, language pl), so
// numbers, hours and dates are said in correct Polish.
//
// [Builder] speaks them with espeak-ng, slowly, and converts them with sox
// into Asterisk's layout: <lang>/<sound>.wav, 8 kHz mono 16-bit PCM. It
// records what it made in <lang>/.callcare-prompts, so that it never
// overwrites a file it did not make: an office's own recording of the same
// name, or Asterisk's stock English sounds, stay as they are.
//
// [Check] looks for sounds in an Asterisk sounds directory as Asterisk does:
// <lang>/<name>.<any format>, then <name>, then en/<name>. A sound found only
// in English is reported: a Polish caller would hear English.
//
// This package runs programs (espeak-ng, sox) and reads files; only
// cmd/callcare wires it to the configuration.
package prompts
