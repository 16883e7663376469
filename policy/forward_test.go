package policy_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
)

var forwardSet = policy.ForwardSettings{
	Prompts: callcare.Prompts{ForwardSet: "fset", ForwardUntil: "funtil", ForwardOff: "foff", ForwardFor: "ffor",
		ForwardRefused: "frefused", ForwardNotAllowed: "fnotallowed"},
	Say: policy.Saying{Lang: "en"}, Hours: officeWeek,
	SetCode: "*21", ClearCode: "*20", Secretariat: "100", MaxDays: 60,
}

// fbrief writes a forward flow's actions.
func fbrief(acts []policy.Action) string {
	var out []string
	for _, a := range acts {
		switch a := a.(type) {
		case policy.SetForward:
			f := a.Forward
			s := fmt.Sprintf("set:%s->%s/%s/by-%s", f.Clerk, f.To.ID, f.Source, f.SetBy)
			if !f.Until.IsZero() {
				s += "/until-" + f.Until.In(warsaw).Format("Mon-15:04")
			}
			out = append(out, s)
		case policy.ClearForward:
			out = append(out, fmt.Sprintf("clear:%s/by-%s", a.Clerk, a.By))
		case policy.Say:
			var m []string
			for _, x := range a.Media {
				m = append(m, strings.TrimPrefix(strings.TrimPrefix(x, "sound:"), "digits/"))
			}
			out = append(out, "say("+strings.Join(m, " ")+")")
		default:
			out = append(out, sbrief([]policy.Action{a}))
		}
	}
	return strings.Join(out, " ")
}

// TestForwardCode: the desk phone's feature codes set and clear forwards
// (P4c) and say what is now in force; a clerk changes only their own, the
// secretariat anybody's; nothing a code cannot mean is set.
func TestForwardCode(t *testing.T) {
	friday := time.Date(2026, 11, 27, 15, 0, 0, 0, warsaw)
	tests := []struct {
		rule, name string
		clerk      string
		dialed     string
		rules      []callcare.Absence // the file's
		at         time.Time
		start      string // fbrief of the first actions
		saved      string // fbrief once the store answered OK; "" if nothing is stored
	}{
		{rule: "P4c", name: "*21 and an extension forwards the clerk's own calls",
			clerk: "jkowalska", dialed: "*21112",
			start: "own:ch answer set:jkowalska->pwisniewska/phone/by-jkowalska",
			saved: "say(fset 1 1 2)"},
		{rule: "P4c", name: "*21 and a department's number forwards to the department",
			clerk: "anowak", dialed: "*21300#",
			start: "own:ch answer set:anowak->300/phone/by-anowak",
			saved: "say(fset 3 0 0)"},
		{rule: "P4c", name: "#3: until the office opens after three office days",
			clerk: "anowak", dialed: "*21112#3", at: friday,
			start: "own:ch answer set:anowak->pwisniewska/phone/by-anowak/until-Thu-07:30",
			saved: "say(fset 1 1 2 funtil day-4 7 30)"},
		{rule: "P4c", name: "*20 clears the forward; with nothing in the file, forwarding is off",
			clerk: "anowak", dialed: "*20",
			start: "own:ch answer clear:anowak/by-anowak",
			saved: "say(foff)"},
		{rule: "P4c", name: "*20 says the file's absence that is still in force",
			clerk: "anowak", dialed: "*20",
			rules: []callcare.Absence{{Clerk: "anowak", To: clerkT("mzielinski"), Until: wed.Add(48 * time.Hour), Source: callcare.SetInFile}},
			start: "own:ch answer clear:anowak/by-anowak",
			saved: "say(fset 1 0 2 funtil day-5 10)"},
		{rule: "P4c", name: "the secretariat forwards another clerk's calls",
			clerk: "mzielinski", dialed: "*21111*122",
			start: "own:ch answer set:anowak->ekaminska/phone/by-mzielinski",
			saved: "say(ffor 1 1 1 fset 1 2 2)"},
		{rule: "P4c", name: "the secretariat clears another clerk's forward",
			clerk: "jkowalska", dialed: "*20121",
			start: "own:ch answer clear:kwojcik/by-jkowalska",
			saved: "say(ffor 1 2 1 foff)"},
		{rule: "P4c", name: "a clerk may not forward another's calls",
			clerk: "anowak", dialed: "*21112*101", start: "own:ch answer say(fnotallowed)"},
		{rule: "P4c", name: "a clerk may not clear another's forward",
			clerk: "anowak", dialed: "*20112", start: "own:ch answer say(fnotallowed)"},
		{rule: "P4c", name: "one's own extension the long way is one's own",
			clerk: "anowak", dialed: "*21111*112",
			start: "own:ch answer set:anowak->pwisniewska/phone/by-anowak", saved: "say(fset 1 1 2)"},
		{rule: "P4c", name: "a forward to oneself is refused",
			clerk: "anowak", dialed: "*21111", start: "own:ch answer say(frefused)"},
		{rule: "P4c", name: "a number nobody has is refused",
			clerk: "anowak", dialed: "*21999", start: "own:ch answer say(frefused)"},
		{rule: "P4c", name: "nothing after the code is refused",
			clerk: "anowak", dialed: "*21", start: "own:ch answer say(frefused)"},
		{rule: "P4c", name: "too many days are refused",
			clerk: "anowak", dialed: "*21112#61", start: "own:ch answer say(frefused)"},
		{rule: "P4c", name: "zero days are refused",
			clerk: "anowak", dialed: "*21112#0", start: "own:ch answer say(frefused)"},
		{rule: "P4c", name: "a second # is refused",
			clerk: "anowak", dialed: "*21112#1#2", start: "own:ch answer say(frefused)"},
		{rule: "P4c", name: "stars everywhere are refused",
			clerk: "jkowalska", dialed: "*21**", start: "own:ch answer say(frefused)"},
		{rule: "P4c", name: "a code of neither kind is refused",
			clerk: "anowak", dialed: "*70", start: "own:ch answer say(frefused)"},
		{rule: "P4c", name: "2 KB of digits are refused",
			clerk: "anowak", dialed: "*21" + strings.Repeat("1", 2048), start: "own:ch answer say(frefused)"},
	}
	for _, tc := range tests {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			at := tc.at
			if at.IsZero() {
				at = wed
			}
			clerk, _ := townHall.Clerk(callcare.ClerkID(tc.clerk))
			book := &callcare.Absences{Rules: tc.rules, Hours: officeWeek}
			f, acts := policy.StartForward("ch", clerk, tc.dialed, townHall, book, forwardSet, at)
			if got := fbrief(acts); got != tc.start {
				t.Fatalf("start: %s\nwant:  %s", got, tc.start)
			}
			if tc.saved != "" {
				if got := fbrief(f.Step(policy.ForwardSaved{OK: true}, at)); got != tc.saved {
					t.Errorf("saved: %s\nwant:  %s", got, tc.saved)
				}
			}
			if got := fbrief(f.Step(policy.PlaybackDone{Playback: "ch-say"}, at.Add(5*time.Second))); got != "hangup-caller finish" || !f.Done() {
				t.Errorf("after the confirmation: %s, done %v; want the line to end", got, f.Done())
			}
		})
	}
}

// TestForwardCode_StoreFails: a forward the store could not keep is not
// said to be set.
func TestForwardCode_StoreFails(t *testing.T) {
	clerk, _ := townHall.Clerk("anowak")
	f, _ := policy.StartForward("ch", clerk, "*21112", townHall, nil, forwardSet, wed)
	if got := fbrief(f.Step(policy.ForwardSaved{OK: false}, wed)); got != "say(frefused)" {
		t.Errorf("store failed: %s, want say(frefused)", got)
	}
	// The clerk hangs up: the flow ends, and nothing waits for a timer.
	if got := fbrief(f.Step(policy.ClerkGone{}, wed)); got != "finish" || !f.Deadline().IsZero() {
		t.Errorf("clerk gone: %s, deadline %v", got, f.Deadline())
	}
}
