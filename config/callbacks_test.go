package config_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/config"
)

// before inserts yaml text before the departments of base.
func before(tb testing.TB, text string, more ...string) string {
	tb.Helper()
	return edit(tb, append([]string{"departments:\n", text + "departments:\n"}, more...)...)
}

func TestCallbacks_Defaults(t *testing.T) {
	c := mustParse(t, base)
	if !reflect.DeepEqual(c.Callbacks, config.DefaultCallbacks()) {
		t.Errorf("callbacks:\n%+v\nwant\n%+v", c.Callbacks, config.DefaultCallbacks())
	}
	want := config.DefaultCallbacks()
	if want.Promise != 2*time.Hour || want.SpecialNeedsPromise != time.Hour || want.MaxAttempts != 4 ||
		want.CallerID != "" || want.Dial != "PJSIP/{number}@trunk" || want.FeatureCode != "*70" ||
		want.KeyTimeout != 10*time.Second || want.ClaimFor != 10*time.Minute || want.NoteMax != 30*time.Second ||
		want.NoteRetention != 720*time.Hour || want.EscalateTo != "report" || want.SchedulerTick != time.Second ||
		!reflect.DeepEqual(want.Retry, []config.Retry{{After: 15 * time.Minute}, {After: time.Hour}, {NextDay: true}}) {
		t.Errorf("DefaultCallbacks: %+v", want)
	}
	def := callcare.DefaultOfficeHours()
	if !reflect.DeepEqual(c.OfficeHours.Week, def.Week) || !c.OfficeHours.PolishHolidays || len(c.OfficeHours.Closed) != 0 ||
		c.OfficeHours.Location.String() != "Europe/Warsaw" {
		t.Errorf("office hours: %+v", c.OfficeHours)
	}
	if len(c.SpecialNeeds.Numbers) != 0 || len(c.SpecialNeeds.Lines) != 0 {
		t.Errorf("special needs: %+v", c.SpecialNeeds)
	}
	if cl, _ := c.Directory.Clerk("sek1"); cl.Substitute != "" {
		t.Errorf("substitute: %q", cl.Substitute)
	}
	if d, _ := c.Directory.Department("100"); d.Head != "" {
		t.Errorf("head: %q", d.Head)
	}
	for _, s := range []string{c.Prompts.OfficeClosed, c.Prompts.RecordNote, c.Prompts.CallbackOutcome, c.Prompts.PleaseHold} {
		if s == "" {
			t.Errorf("a sound has no default: %+v", c.Prompts)
		}
	}
}

func TestCallbacks_Values(t *testing.T) {
	y := before(t, `timezone: Europe/London
office_hours:
  monday: ["07:30-12:00", "12:30-17:00"]
  tuesday: 08:00-16:00
  wednesday: closed
  saturday: "09:00-12:00"
  polish_holidays: false
  closed: [2026-12-31, "2026-11-02"]
callbacks:
  promise: 3h
  special_needs_promise: 30m
  retry: [10m, next_day, 2h]
  max_attempts: 2
  caller_id: "+48856822102"
  dial: SIP/trunk/{number}
  feature_code: "*71"
  key_timeout: 15s
  claim_for: 5m
  note_max: 1m
  note_retention: 0s
  escalate_to: head
  scheduler_tick: 50ms
special_needs:
  numbers: ["48600100200", "+48 600-100-201"]
  lines:
    - number: "500"
      target: "100"
    - number: "501"
      target: anowak
sounds:
  please_hold: custom/prosze-czekac
`, "    members: [sek1, sek2]\n", "    members: [sek1, sek2]\n    head: sek1\n",
		"    endpoint: PJSIP/111\n", "    endpoint: PJSIP/111\n    substitute: sek2\n")
	c := mustParse(t, y)

	oh := c.OfficeHours
	if oh.Location.String() != "Europe/London" || oh.PolishHolidays {
		t.Errorf("office hours: %+v", oh)
	}
	wantWeek := [7][]callcare.Span{
		time.Monday:   {{From: 450, To: 720}, {From: 750, To: 1020}},
		time.Tuesday:  {{From: 480, To: 960}},
		time.Saturday: {{From: 540, To: 720}},
	}
	if !reflect.DeepEqual(oh.Week, wantWeek) {
		t.Errorf("week %v, want %v", oh.Week, wantWeek)
	}
	if len(oh.Closed) != 2 || !oh.Closed[0].Equal(time.Date(2026, 12, 31, 0, 0, 0, 0, oh.Location)) ||
		!oh.Closed[1].Equal(time.Date(2026, 11, 2, 0, 0, 0, 0, oh.Location)) {
		t.Errorf("closed: %v", oh.Closed)
	}

	want := config.Callbacks{
		Promise: 3 * time.Hour, SpecialNeedsPromise: 30 * time.Minute,
		Retry:       []config.Retry{{After: 10 * time.Minute}, {NextDay: true}, {After: 2 * time.Hour}},
		MaxAttempts: 2, CallerID: "+48856822102", Dial: "SIP/trunk/{number}", FeatureCode: "*71",
		KeyTimeout: 15 * time.Second, ClaimFor: 5 * time.Minute, NoteMax: time.Minute, NoteRetention: 0,
		SchedulerTick: 50 * time.Millisecond, EscalateTo: config.EscalateHead,
	}
	if !reflect.DeepEqual(c.Callbacks, want) {
		t.Errorf("callbacks:\n%+v\nwant\n%+v", c.Callbacks, want)
	}

	wantSN := config.SpecialNeeds{
		Numbers: []callcare.Number{"48600100200", "48600100201"},
		Lines: []config.Line{
			{Number: "500", Target: callcare.Target{Kind: callcare.TargetDepartment, ID: "100"}},
			{Number: "501", Target: callcare.Target{Kind: callcare.TargetClerk, ID: "anowak"}},
		},
	}
	if !reflect.DeepEqual(c.SpecialNeeds, wantSN) {
		t.Errorf("special needs: %+v", c.SpecialNeeds)
	}
	if a, _ := c.Directory.Clerk("anowak"); a.Substitute != "sek2" {
		t.Errorf("the directory's anowak has substitute %q", a.Substitute)
	}
	if d, _ := c.Directory.Department("100"); d.Head != "sek1" {
		t.Errorf("the directory's department 100 has head %q", d.Head)
	}
	if d, _ := c.Directory.Department("200"); d.Head != "" {
		t.Error("department 200 has no head")
	}
	if c.Prompts.PleaseHold != "custom/prosze-czekac" || c.Prompts.OfficeClosed != callcare.DefaultPrompts.OfficeClosed {
		t.Errorf("sounds: %+v", c.Prompts)
	}

	// One day given: the others are closed; holidays are still on.
	c = mustParse(t, before(t, "office_hours:\n  friday: 07:30-14:00\n"))
	if !c.OfficeHours.PolishHolidays || len(c.OfficeHours.Week[time.Monday]) != 0 ||
		!reflect.DeepEqual(c.OfficeHours.Week[time.Friday], []callcare.Span{{From: 450, To: 840}}) {
		t.Errorf("office hours: %+v", c.OfficeHours)
	}
	// One attempt needs no retry step.
	c = mustParse(t, before(t, "callbacks:\n  max_attempts: 1\n  retry: []\n"))
	if c.Callbacks.MaxAttempts != 1 || len(c.Callbacks.Retry) != 0 {
		t.Errorf("callbacks: %+v", c.Callbacks)
	}
}

// TestCallbacks_Problems has one case per kind of problem of the issue 5
// settings; each asserts the path, the line (#!) and a piece of the message.
func TestCallbacks_Problems(t *testing.T) {
	cb := func(s string) string { return before(t, "callbacks:\n"+s) }
	oh := func(s string) string { return before(t, "office_hours:\n"+s) }
	sn := func(s string) string { return before(t, "special_needs:\n"+s) }
	for _, tc := range []struct {
		name string
		yaml string
		path string
		msg  string
	}{
		// office_hours
		{"UnknownDay", oh("  mondy: 07:30-15:30 #!\n"), "office_hours.mondy", `did you mean "monday"`},
		{"BadSpan", oh("  monday: 7-15 #!\n"), "office_hours.monday", "07:30-15:30"},
		{"SpanBackwards", oh("  monday: 15:30-07:30 #!\n"), "office_hours.monday", "end must be after start"},
		{"BadSpanInList", oh("  monday: [\"07:30-12:00\", \"12:30-25:00\"] #!\n"), "office_hours.monday[1]", "out of range"},
		{"SpansOverlap", oh("  monday:\n    - 07:30-12:00\n    - 11:30-15:30 #!\n"), "office_hours.monday[1]", "overlaps"},
		{"SpansOutOfOrder", oh("  monday:\n    - 12:30-15:30\n    - 07:30-12:00 #!\n"), "office_hours.monday[1]", "in order"},
		{"ClosedInList", oh("  monday: [07:30-12:00, closed] #!\n"), "office_hours.monday[1]", "whole day"},
		{"EmptyDay", oh("  monday: [] #!\n"), "office_hours.monday", `write "closed"`},
		{"DayAsMapping", oh("  monday: {from: \"07:30\", to: \"15:30\"} #!\n"), "office_hours.monday", "a list of spans"},
		{"DayAsNumber", oh("  monday: 8 #!\n"), "office_hours.monday", "must be a span"},
		{"NeverOpen", before(t, "office_hours: #!\n  monday: closed\n  polish_holidays: true\n"), "office_hours", "opens on no day"},
		{"HolidaysNotBool", oh("  polish_holidays: yes #!\n"), "office_hours.polish_holidays", "true or false"},
		{"ClosedNotList", oh("  closed: 2026-12-31 #!\n"), "office_hours.closed", "must be a list"},
		{"ClosedBadDate", oh("  closed:\n    - 2026-12-31\n    - 31.12.2026 #!\n"), "office_hours.closed[1]", "YYYY-MM-DD"},
		{"ClosedNoSuchDay", oh("  closed: [\"2026-02-30\"] #!\n"), "office_hours.closed[0]", "YYYY-MM-DD"},
		{"ClosedTwice", oh("  closed:\n    - 2026-12-31\n    - \"2026-12-31\" #!\n"), "office_hours.closed[1]", "listed twice"},

		// callbacks
		{"UnknownCallbackKey", cb("  promis: 2h #!\n"), "callbacks.promis", `did you mean "promise"`},
		{"CallbacksNotMapping", before(t, "callbacks: 2h #!\n"), "callbacks", "mapping"},
		{"PromiseZero", cb("  promise: 0s #!\n"), "callbacks.promise", "longer than zero"},
		{"PromiseWithoutUnit", cb("  promise: 2 #!\n"), "callbacks.promise", "unit"},
		{"SpecialNeedsPromiseLonger", cb("  promise: 1h\n  special_needs_promise: 90m #!\n"), "callbacks.special_needs_promise", "longer than promise"},
		{"PromiseShorterThanDefault", cb("  promise: 30m #!\n"), "callbacks.promise", "set special_needs_promise too"},
		{"SpecialNeedsPromiseZero", cb("  special_needs_promise: 0s #!\n"), "callbacks.special_needs_promise", "longer than zero"},
		{"RetryWord", cb("  retry: [15m, tomorrow] #!\n"), "callbacks.retry[1]", `"tomorrow" is neither a duration`},
		{"RetryNumber", cb("  retry:\n    - 15 #!\n"), "callbacks.retry[0]", "neither a duration"},
		{"RetryZero", cb("  retry: [0s] #!\n"), "callbacks.retry[0]", "longer than zero"},
		{"RetryEmpty", cb("  retry: [] #!\n"), "callbacks.retry", "no retry step for max_attempts 4"},
		{"RetryNotList", cb("  retry: 15m #!\n"), "callbacks.retry", "must be a list"},
		{"MaxAttemptsZero", cb("  max_attempts: 0 #!\n"), "callbacks.max_attempts", "at least 1"},
		{"CallerIDSpaces", cb("  caller_id: \"856 822 102\" #!\n"), "callbacks.caller_id", "not a phone number"},
		{"CallerIDEmpty", cb("  caller_id: \"\" #!\n"), "callbacks.caller_id", "must not be empty"},
		{"DialWithoutNumber", cb("  dial: PJSIP/trunk #!\n"), "callbacks.dial", "lacks {number}"},
		{"DialNumberTwice", cb("  dial: PJSIP/{number}@{number} #!\n"), "callbacks.dial", "2 times"},
		{"DialOtherPlaceholder", cb("  dial: PJSIP/{num}{number}@trunk #!\n"), "callbacks.dial", "only placeholder"},
		{"DialNoTech", cb("  dial: \"{number}@trunk\" #!\n"), "callbacks.dial", "TECH/resource"},
		{"DialTwoEndpoints", cb("  dial: PJSIP/{number}@trunk&PJSIP/{number}@backup #!\n"), "callbacks.dial", "2 times"},
		{"DialSecondEndpoint", cb("  dial: PJSIP/{number}@trunk&PJSIP/999@backup #!\n"), "callbacks.dial", "TECH/resource"},
		{"FeatureCodeUnquoted", cb("  feature_code: *70 #!\n"), "", `put it in quotes, "*70"`},
		{"FeatureCodeHash", cb("  feature_code: \"#70\" #!\n"), "callbacks.feature_code", "not a feature code"},
		{"FeatureCodeOnlyStar", cb("  feature_code: \"*\" #!\n"), "callbacks.feature_code", "not a feature code"},
		{"FeatureCodeIsExtension", cb("  feature_code: \"101\" #!\n"), "callbacks.feature_code", "extension of clerks[0]"},
		{"FeatureCodeIsDepartment", cb("  feature_code: \"200\" #!\n"), "callbacks.feature_code", "number of departments[1]"},
		{"KeyTimeoutShort", cb("  key_timeout: 2s #!\n"), "callbacks.key_timeout", "at least 3s"},
		{"ClaimForZero", cb("  claim_for: 0s #!\n"), "callbacks.claim_for", "longer than zero"},
		{"NoteMaxShort", cb("  note_max: 1s #!\n"), "callbacks.note_max", "from 5s to 2m"},
		{"NoteMaxLong", cb("  note_max: 5m #!\n"), "callbacks.note_max", "from 5s to 2m"},
		{"NoteRetentionNegative", cb("  note_retention: -1h #!\n"), "callbacks.note_retention", "negative"},
		{"SchedulerTickZero", cb("  scheduler_tick: 0s #!\n"), "callbacks.scheduler_tick", "longer than zero"},
		{"SchedulerTickSlow", cb("  scheduler_tick: 1m #!\n"), "callbacks.scheduler_tick", "at most 2s"},
		{"EscalateUnknown", cb("  escalate_to: mayor #!\n"), "callbacks.escalate_to", `unknown escalation "mayor"`},
		{"EscalateToNoHead", cb("  escalate_to: head #!\n"), "callbacks.escalate_to", "no department names a head"},

		// special_needs
		{"UnknownSpecialNeedsKey", sn("  number: [\"48600100200\"] #!\n"), "special_needs.number", `did you mean "numbers"`},
		{"NeedsNumberShort", sn("  numbers: [\"12\"] #!\n"), "special_needs.numbers[0]", "not a number that can be called"},
		{"NeedsNumberLetters", sn("  numbers: [anonymous] #!\n"), "special_needs.numbers[0]", "not a number that can be called"},
		{"NeedsNumberTwice", sn("  numbers:\n    - \"48600100200\"\n    - \"48 600 100 200\" #!\n"), "special_needs.numbers[1]", "listed twice (also special_needs.numbers[0], line"},
		// The registry's numbers are masked: a refused reload's problems reach the log.
		{"NeedsNumberTwiceMasked", sn("  numbers:\n    - \"48600100200\"\n    - \"48 600 100 200\" #!\n"), "special_needs.numbers[1]", "********200 is listed twice"},
		{"NeedsNumberLongMasked", sn("  numbers: [\"486001002001234\", \"4860010020012345\"] #!\n"), "special_needs.numbers[1]", `"*************345" is not a number`},
		{"LineMissingTarget", sn("  lines:\n    - number: \"500\" #!\n"), "special_needs.lines[0].target", "missing required"},
		{"LineUnknownKey", sn("  lines:\n    - number: \"500\"\n      target: \"100\"\n      ring: in_order #!\n"), "special_needs.lines[0].ring", "unknown key"},
		{"LineNotDigits", sn("  lines:\n    - number: \"5OO\" #!\n      target: \"100\"\n"), "special_needs.lines[0].number", "digits only"},
		{"LineIsExtension", sn("  lines:\n    - number: \"102\" #!\n      target: \"100\"\n"), "special_needs.lines[0].number", "extension of clerks[1]"},
		{"LineIsDepartment", sn("  lines:\n    - number: \"200\" #!\n      target: \"100\"\n"), "special_needs.lines[0].number", "number of departments[1]"},
		{"LineTwice", sn("  lines:\n    - number: \"500\"\n      target: \"100\"\n    - number: \"500\" #!\n      target: sek1\n"), "special_needs.lines[1].number", "duplicate line \"500\" (also special_needs.lines[0]"},
		{"LineUnknownTarget", sn("  lines:\n    - number: \"500\"\n      target: nobody #!\n"), "special_needs.lines[0].target", "names neither"},
		{"FeatureCodeIsLine", before(t, "callbacks:\n  feature_code: \"500\"\nspecial_needs:\n  lines:\n    - number: \"500\" #!\n      target: \"100\"\n"), "special_needs.lines[0].number", "feature code"},

		// clerks[].substitute, departments[].head
		{"SubstituteUnknown", edit(t, "    overflow: sek1\n", "    overflow: sek1\n    substitute: sek9 #!\n"), "clerks[2].substitute", `substitute "sek9" is not a clerk id`},
		{"SubstituteSelf", edit(t, "    overflow: sek1\n", "    overflow: sek1\n    substitute: anowak #!\n"), "clerks[2].substitute", "own substitute"},
		{"SubstituteEmpty", edit(t, "    overflow: sek1\n", "    overflow: sek1\n    substitute: \"\" #!\n"), "clerks[2].substitute", "must not be empty"},
		{"HeadUnknown", edit(t, "    ring: in_order\n", "    ring: in_order\n    head: boss #!\n"), "departments[1].head", `head "boss" is not a clerk id`},
		{"HeadNotText", edit(t, "    ring: in_order\n", "    ring: in_order\n    head: [anowak] #!\n"), "departments[1].head", "must be text"},

		// sounds
		{"UnknownSound", before(t, "sounds:\n  pleasehold: x #!\n"), "sounds.pleasehold", `did you mean "please_hold"`},
		{"NewSoundWithScheme", before(t, "sounds:\n  office_closed: sound:callcare/closed #!\n"), "sounds.office_closed", "without \"sound:\""},
		{"NewSoundBadName", before(t, "sounds:\n  callback_menu: ../etc/passwd #!\n"), "sounds.callback_menu", "not an Asterisk sound name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantProblem(t, tc.yaml, tc.path, marked(t, tc.yaml), tc.msg)
		})
	}
}
