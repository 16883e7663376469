package dialplan_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/dialplan"
)

var dir = &callcare.Directory{
	Clerks: []callcare.Clerk{
		{ID: "jkowalska", Extension: "101", Endpoint: "PJSIP/101", Department: "100"},
		{ID: "anowak", Extension: "111", Endpoint: "PJSIP/111", Department: "200"},
	},
	Departments: []callcare.Department{
		{Number: "100", Name: "Sekretariat", Members: []callcare.ClerkID{"jkowalska"}},
		{Number: "200", Name: "Wydział Komunikacji", Members: []callcare.ClerkID{"anowak"}, Overflow: "100"},
	},
}

func TestResolve(t *testing.T) {
	clerk := func(id string) callcare.Target { return callcare.Target{Kind: callcare.TargetClerk, ID: id} }
	dep := func(n string) callcare.Target { return callcare.Target{Kind: callcare.TargetDepartment, ID: n} }
	for _, tc := range []struct {
		name   string
		dialed string
		want   callcare.Target
		ok     bool
	}{
		{"ClerkExtension", "111", clerk("anowak"), true},
		{"DepartmentNumber", "200", dep("200"), true},
		{"Secretariat", "100", dep("100"), true},
		{"SpacesTrimmed", " 101\t\n", clerk("jkowalska"), true},
		{"Unknown", "999", callcare.Target{}, false},
		{"Empty", "", callcare.Target{}, false},
		{"OnlySpaces", "   ", callcare.Target{}, false},
		{"NoPrefixMatch", "1011", callcare.Target{}, false},
		{"NoSuffixMatch", "48856820111", callcare.Target{}, false},
		{"ClerkIDIsNotANumber", "anowak", callcare.Target{}, false},
		{"Junk", "1,1\x00;DROP", callcare.Target{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := dialplan.Resolve(dir, tc.dialed)
			if got != tc.want || ok != tc.ok {
				t.Errorf("Resolve(%q) = %v, %v; want %v, %v", tc.dialed, got, ok, tc.want, tc.ok)
			}
		})
	}
	if _, ok := dialplan.Resolve(nil, "101"); ok {
		t.Error("nil directory resolved")
	}
	if _, ok := dialplan.Resolve(&callcare.Directory{}, "101"); ok {
		t.Error("empty directory resolved")
	}
}

func FuzzResolve(f *testing.F) {
	for _, s := range []string{"101", " 200 ", "", "\xff\xfe", "1\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, dialed string) {
		got, ok := dialplan.Resolve(dir, dialed)
		if !ok {
			if got != (callcare.Target{}) {
				t.Fatalf("not found but target %v", got)
			}
			return
		}
		n := strings.TrimSpace(dialed)
		switch got.Kind {
		case callcare.TargetClerk:
			if c, _ := dir.Clerk(callcare.ClerkID(got.ID)); c.Extension != n {
				t.Fatalf("%q resolved to clerk %v", dialed, got)
			}
		case callcare.TargetDepartment:
			if got.ID != n {
				t.Fatalf("%q resolved to department %v", dialed, got)
			}
		default:
			t.Fatalf("kind %q", got.Kind)
		}
	})
}

func readConf(t *testing.T, name string) string {
	t.Helper()
	b, err := dialplan.Asterisk.ReadFile("asterisk/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// contexts splits a .conf file into its [sections], comments removed.
func contexts(conf string) map[string][]string {
	out := map[string][]string{}
	cur := ""
	for _, l := range strings.Split(conf, "\n") {
		if i := strings.Index(l, ";"); i >= 0 {
			l = l[:i]
		}
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if strings.HasPrefix(l, "[") && strings.HasSuffix(l, "]") {
			cur = strings.Trim(l, "[]")
			out[cur] = []string{}
			continue
		}
		out[cur] = append(out[cur], l)
	}
	return out
}

const stasis = "Stasis(callcare,inbound,${EXTEN},ringing)"

// TestExtensionsConf_OverloadShare: before a new call enters the service,
// callcare-inbound sends the share the service set (OverloadedVar, in
// percent) to the fallback at the number dialed, and counts it where the
// service reads it.
func TestExtensionsConf_OverloadShare(t *testing.T) {
	for _, name := range []string{"callcare-inbound", "callcare-menu"} {
		t.Run(name, func(t *testing.T) { overloadShare(t, name) })
	}
}

func overloadShare(t *testing.T, context string) {
	lines := contexts(readConf(t, "extensions.conf"))[context]
	stasis := map[string]string{"callcare-inbound": stasis, "callcare-menu": "Stasis(callcare,menu,${EXTEN})"}[context]
	check, enter, count, fallback := -1, -1, -1, -1
	for i, l := range lines {
		switch {
		case strings.Contains(l, "GotoIf($[${RAND(0,99)} < 0${"+dialplan.OverloadedVar+"}]?overloaded)"):
			check = i
		case strings.Contains(l, stasis):
			enter = i
		case strings.Contains(l, "n(overloaded),Set(GLOBAL("+dialplan.OverloadedVar+"_CALLS)=$[0${"+dialplan.OverloadedVar+"_CALLS} + 1])"):
			count = i
		case strings.HasSuffix(l, "Goto(callcare-fallback,${EXTEN},1)"):
			fallback = i
		}
	}
	if check < 0 || enter < 0 || check > enter {
		t.Errorf("the share is not checked before the call enters the service: %q", lines)
	}
	if count < 0 || fallback != count+1 {
		t.Errorf("a call of the share is not counted, then sent to the fallback: %q", lines)
	}
}

// Calls for office numbers enter the service, and every Stasis() is followed
// by a fallback on ${STASISSTATUS} that reaches a real context: when the
// service is down the call still reaches a person.
func TestExtensionsConf(t *testing.T) {
	ctx := contexts(readConf(t, "extensions.conf"))
	for _, name := range []string{"from-outside", "from-clerks"} {
		lines, ok := ctx[name]
		if !ok {
			t.Errorf("no context [%s]", name)
			continue
		}
		if !contains(lines, "include => callcare-numbers") {
			t.Errorf("[%s] does not include the office's numbers", name)
		}
	}
	if !strings.Contains(strings.Join(ctx["callcare-inbound"], "\n"), stasis) {
		t.Errorf("[callcare-inbound] never runs %s", stasis)
	}
	// Every office number goes to callcare-inbound, and has a fallback.
	numbers := 0
	for _, l := range ctx["callcare-numbers"] {
		n, ok := strings.CutPrefix(l, "exten => ")
		if !ok || strings.HasPrefix(n, "_") {
			continue
		}
		numbers++
		num, _, _ := strings.Cut(n, ",")
		if !strings.HasSuffix(l, ",1,Goto(callcare-inbound,${EXTEN},1)") {
			t.Errorf("[callcare-numbers] %q does not enter the service", l)
		}
		if !slices.ContainsFunc(ctx["callcare-fallback"], func(f string) bool { return strings.HasPrefix(f, "exten => "+num+",1,") }) {
			t.Errorf("number %s has no fallback", num)
		}
	}
	if numbers != 13 {
		t.Errorf("%d office numbers, want the example's 4 departments, 8 clerks and 1 line", numbers)
	}
	fallback := regexp.MustCompile(`GotoIf\(\$\["\$\{STASISSTATUS\}" != "SUCCESS"\]\?([a-z-]+),\$\{EXTEN\},1\)`)
	n := 0
	for name, lines := range ctx {
		for i, l := range lines {
			if !strings.Contains(l, "Stasis(") || strings.Contains(l, "Stasis(callcare,clerk,") || strings.Contains(l, "Stasis(callcare,forward,") ||
				strings.Contains(l, "Stasis(callcare,documents,") {
				continue // the feature codes: TestExtensionsConf_FeatureCode
			}
			menu := strings.Contains(l, "Stasis(callcare,menu,${EXTEN})") // the main numbers' (P3.2), with the same fallback
			if !menu {
				n++
			}
			if !menu && !strings.Contains(l, stasis) {
				t.Errorf("[%s] %q: want %s", name, l, stasis)
			}
			// The caller hears ringing before the service is asked, as
			// with a plain Dial(), and the service need not ask for it;
			// the menu answers at once with its greeting.
			if !menu && (i == 0 || lines[i-1] != "same => n,Ringing()") {
				t.Errorf("[%s] %q: want Ringing() just before", name, l)
			}
			if i+1 >= len(lines) {
				t.Errorf("[%s] nothing after %q", name, l)
				continue
			}
			m := fallback.FindStringSubmatch(lines[i+1])
			if m == nil || !strings.HasPrefix(lines[i+1], "same => n,") {
				t.Errorf("[%s] after %q: %q is not a STASISSTATUS fallback", name, l, lines[i+1])
				continue
			}
			target, ok := ctx[m[1]]
			if !ok || !strings.Contains(strings.Join(target, "\n"), "Dial(") {
				t.Errorf("[%s] falls back to [%s], which dials nobody", name, m[1])
			}
		}
	}
	if n != 1 {
		t.Errorf("%d Stasis(inbound) calls, want one, in callcare-inbound", n)
	}
	// The fallback ends with the prompts a caller hears when nobody answers.
	fb := strings.Join(ctx["callcare-fallback"], "\n")
	for _, want := range []string{"Dial(${CALLCARE_SECRETARIAT},120)", "Playback(callcare/nobody-available)", "Playback(callcare/goodbye)",
		// no callback promised to a number nobody could call back
		`GotoIf($[${REGEX("^[ -]*[+]?[0-9 -]*$" ${CALLERID(num)})} = 0]?hidden)`,
		"Set(CALLCARE_DIGITS=${FILTER(0-9,${CALLERID(num)})})",
		"GotoIf($[${LEN(${CALLCARE_DIGITS})} < 3 | ${LEN(${CALLCARE_DIGITS})} > 15]?hidden)",
		"n(hidden),Playback(callcare/call-again)"} {
		if !strings.Contains(fb, want) {
			t.Errorf("[callcare-fallback] lacks %s", want)
		}
	}
	// Its hook reports what nobody answered; an answered call does not
	// reach it (a FastAGI session per answered call is what made the
	// fallback half again as dear as a plain Dial on a loaded PBX).
	var hook []string
	for _, l := range ctx["callcare-fallback"] {
		if strings.HasPrefix(l, "exten => h,") || (len(hook) > 0 && strings.HasPrefix(l, "same => ")) {
			hook = append(hook, l)
		} else if len(hook) > 0 {
			break
		}
	}
	if len(hook) != 3 || !strings.Contains(hook[0], `"${DIALSTATUS}" = "ANSWER"]?done`) || !strings.Contains(hook[1], "/missed,${CALLCARE_DIALED},${DIALSTATUS})") {
		t.Errorf("[callcare-fallback] h =\n%s\nwant the missed hook, skipped when answered", strings.Join(hook, "\n"))
	}
}

// TestExtensionsConf_FallbackReachesAPerson: a call the service hands to
// the fallback without a number it knows still reaches a person: Asterisk
// sends a continue without an extension to s, an unknown extension to i.
func TestExtensionsConf_FallbackReachesAPerson(t *testing.T) {
	lines := contexts(readConf(t, "extensions.conf"))["callcare-fallback"]
	for _, want := range []string{"exten => s,1,Goto(callcare-fallback,secretariat,1)", "exten => i,1,Goto(callcare-fallback,secretariat,1)"} {
		if !slices.Contains(lines, want) {
			t.Errorf("[callcare-fallback] lacks %q", want)
		}
	}
}

func TestAriConf(t *testing.T) {
	ctx := contexts(readConf(t, "ari.conf"))
	for _, want := range []string{"enabled = yes"} {
		if !contains(ctx["general"], want) {
			t.Errorf("[general] lacks %q", want)
		}
	}
	// The user callcare and its password are in a file of their own, never
	// in the repository.
	if _, ok := ctx["callcare"]; ok {
		t.Error("ari.conf has a [callcare] section: its password would be in the repository")
	}
	if !contains(ctx["general"], "#tryinclude secrets/ari-callcare.conf") {
		t.Error("ari.conf does not include the user from secrets/ari-callcare.conf")
	}
}

func TestHTTPConf(t *testing.T) {
	ctx := contexts(readConf(t, "http.conf"))
	for _, want := range []string{"enabled = yes", "bindaddr = 127.0.0.1", "bindport = 8088"} {
		if !contains(ctx["general"], want) {
			t.Errorf("[general] lacks %q", want)
		}
	}
}

func contains(lines []string, want string) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}

// A clerk's outside call tells the service when it is answered: Dial's U()
// runs [callcare-outbound-answered] on the citizen's channel with the
// filtered number and the clerk's endpoint, and that subroutine calls the
// FastAGI hook (agi.ScriptOutboundAnswered) and always returns, so the call
// goes on whether the service answers or not.
func TestExtensionsConf_OutboundAnswered(t *testing.T) {
	ctx := contexts(readConf(t, "extensions.conf"))
	clerks := strings.Join(ctx["from-clerks"], "\n")
	for _, want := range []string{
		"exten => _0XX.,1,",
		"same => n,Set(CALLCARE_NUMBER=${FILTER(0-9,${EXTEN:1})})",
		`same => n,ExecIf($["${CALLCARE_NUMBER:0:2}" != "00" & ${LEN(${CALLCARE_NUMBER})} = 9]?Set(CALLCARE_NUMBER=48${CALLCARE_NUMBER}))`,
		`same => n,ExecIf($["${CALLCARE_NUMBER:0:2}" = "00"]?Set(CALLCARE_NUMBER=${CALLCARE_NUMBER:2}))`,
		"same => n,Dial(PJSIP/${CALLCARE_NUMBER}@trunk,,U(callcare-outbound-answered^${CALLCARE_NUMBER}^PJSIP/${CHANNEL(endpoint)}))",
	} {
		if !strings.Contains(clerks, want) {
			t.Errorf("[from-clerks] lacks %q", want)
		}
	}
	// Only the filtered number reaches Dial() and the subroutine.
	for _, l := range ctx["from-clerks"] {
		if strings.Contains(l, "Dial(") && strings.Contains(l, "${EXTEN") && strings.Contains(l, "U(") {
			t.Errorf("[from-clerks] %q passes the raw dialed text", l)
		}
	}

	sub, ok := ctx["callcare-outbound-answered"]
	if !ok {
		t.Fatal("no context [callcare-outbound-answered]")
	}
	want := []string{
		"exten => s,1,AGI(agi://127.0.0.1:4573/outbound-answered,${ARG1},${ARG2})",
		"same => n,NoOp(callcare: outbound-answered notice: ${AGISTATUS})",
		"same => n,Return()",
	}
	if strings.Join(sub, "\n") != strings.Join(want, "\n") {
		t.Errorf("[callcare-outbound-answered] =\n%s\nwant\n%s", strings.Join(sub, "\n"), strings.Join(want, "\n"))
	}
	for _, l := range sub {
		for _, bad := range []string{"Hangup(", "GOSUB_RESULT", "Goto"} {
			if strings.Contains(l, bad) {
				t.Errorf("[callcare-outbound-answered] %q: %s would cut or redirect the clerk's call", l, bad)
			}
		}
	}
}

// TestExtensionsConf_FeatureCode: the callback queue is reached from the
// desk phones only, with the endpoint Asterisk authenticated, never from
// the trunk's context.
func TestExtensionsConf_FeatureCode(t *testing.T) {
	data, err := dialplan.Asterisk.ReadFile("asterisk/extensions.conf")
	if err != nil {
		t.Fatal(err)
	}
	conf := string(data)
	clerks := conf[strings.Index(conf, "[from-clerks]"):]
	clerks = clerks[:strings.Index(clerks[1:], "\n[")+1]
	if !strings.Contains(clerks, "exten => *70,1,") || !strings.Contains(clerks, "Stasis(callcare,clerk,PJSIP/${CHANNEL(endpoint)})\n same => n,GotoIf($[\"${STASISSTATUS}\" != \"SUCCESS\"]") {
		t.Errorf("[from-clerks] lacks the feature code sending the authenticated endpoint, with a fallback")
	}
	// What a citizen's call can reach: from-outside and what it includes.
	ctx := contexts(conf)
	reach := append(slices.Clone(ctx["from-outside"]), ctx["callcare-numbers"]...)
	for _, l := range reach {
		for _, bad := range []string{"*70", "*21", "*20", "callcare,clerk", "callcare-forward", "callcare,forward", "from-clerks", "_0XX"} {
			if strings.Contains(l, bad) {
				t.Errorf("a citizen's call could reach a desk phone's code: %q", l)
			}
		}
	}
	for _, inc := range reach {
		if name, ok := strings.CutPrefix(inc, "include => "); ok && name != "callcare-numbers" {
			t.Errorf("from-outside includes %s", name)
		}
	}
	// The forward codes: from the desk phones, with the authenticated
	// endpoint and only digits, * and # of what was dialed.
	for _, want := range []string{"exten => _*21.,1,Goto(callcare-forward,${EXTEN},1)", "exten => *20,1,Goto(callcare-forward,${EXTEN},1)"} {
		if !contains(ctx["from-clerks"], want) {
			t.Errorf("[from-clerks] lacks %q", want)
		}
	}
	if !contains(ctx["callcare-forward"], "same => n,Stasis(callcare,forward,PJSIP/${CHANNEL(endpoint)},${FILTER(0-9*#,${EXTEN})})") {
		t.Errorf("[callcare-forward] does not pass the endpoint and the filtered code:\n%s", strings.Join(ctx["callcare-forward"], "\n"))
	}
}
