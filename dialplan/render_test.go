package dialplan_test

import (
	"strings"
	"testing"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/dialplan"
)

func plan(clerks ...callcare.Clerk) dialplan.Plan {
	var ids []callcare.ClerkID
	for _, c := range clerks {
		ids = append(ids, c.ID)
	}
	return dialplan.Plan{
		Source: "callcare.yaml", App: "callcare", Rings: 3, RingSeconds: 15, Secretariat: "100", AGI: "0.0.0.0:4573",
		OutsideDial: "SIP/{number}@citizens", OutsidePrefix: "0", QueueCode: "*70", SetCode: "*21", ClearCode: "*20",
		Prompts: callcare.DefaultPrompts,
		Directory: &callcare.Directory{Clerks: clerks,
			Departments: []callcare.Department{{Number: "100", Name: "Sekretariat", Members: ids}}},
	}
}

// TestRender_ChanSIP: desk phones on chan_sip are known by their peer
// name (chan_sip has no CHANNEL(endpoint)); with both kinds, a subroutine
// tells them apart on the channel itself.
func TestRender_ChanSIP(t *testing.T) {
	sip := callcare.Clerk{ID: "a", Name: "Anna", Extension: "101", Endpoint: "SIP/101", Department: "100"}
	out, err := dialplan.Render(plan(sip))
	if err != nil {
		t.Fatal(err)
	}
	ctx := contexts(string(out))
	if !contains(ctx["from-clerks"], "same => n,Stasis(callcare,clerk,SIP/${CHANNEL(peername)})") ||
		!contains(ctx["callcare-forward"], "same => n,Stasis(callcare,forward,SIP/${CHANNEL(peername)},${FILTER(0-9*#,${EXTEN})})") {
		t.Errorf("chan_sip phones are not known by their peer:\n%s", out)
	}
	if strings.Contains(string(out), "CHANNEL(endpoint)") || strings.Contains(string(out), "callcare-desk-phone") {
		t.Errorf("a chan_sip office reads CHANNEL(endpoint):\n%s", out)
	}
	if !contains(ctx["callcare-outbound-answered"], "exten => s,1,AGI(agi://127.0.0.1:4573/outbound-answered,${ARG1},${ARG2})") {
		t.Errorf("a service listening everywhere is reached on loopback:\n%s", strings.Join(ctx["callcare-outbound-answered"], "\n"))
	}

	pj := callcare.Clerk{ID: "b", Name: "Bartosz", Extension: "201", Endpoint: "PJSIP/201", Department: "100"}
	out, err = dialplan.Render(plan(sip, pj))
	if err != nil {
		t.Fatal(err)
	}
	ctx = contexts(string(out))
	for _, want := range []string{"same => n,Gosub(callcare-desk-phone,s,1)", "same => n,Stasis(callcare,clerk,${GOSUB_RETVAL})"} {
		if !contains(ctx["from-clerks"], want) {
			t.Errorf("mixed phones: [from-clerks] lacks %q", want)
		}
	}
	if got := strings.Join(ctx["callcare-desk-phone"], "\n"); !strings.Contains(got, "Return(PJSIP/${CHANNEL(endpoint)})") || !strings.Contains(got, "Return(SIP/${CHANNEL(peername)})") {
		t.Errorf("[callcare-desk-phone]:\n%s", got)
	}
	if !contains(ctx["globals"], "CALLCARE_SECRETARIAT=SIP/101&PJSIP/201") {
		t.Errorf("globals: %v", ctx["globals"])
	}
}

// TestRender_Refuses what cannot go into a dialplan: the configuration
// validates these, Render does not trust that it did.
func TestRender_Refuses(t *testing.T) {
	ok := callcare.Clerk{ID: "a", Extension: "101", Endpoint: "PJSIP/101", Department: "100"}
	for name, change := range map[string]func(*dialplan.Plan){
		"IAX2":         func(p *dialplan.Plan) { p.Directory.Clerks[0].Endpoint = "IAX2/101" },
		"TwoPhones":    func(p *dialplan.Plan) { p.Directory.Clerks[0].Endpoint = "PJSIP/101&SIP/x" },
		"DialInjected": func(p *dialplan.Plan) { p.OutsideDial = "PJSIP/{number}@trunk,,U(evil)" },
		"Code":         func(p *dialplan.Plan) { p.SetCode = "*21)" },
		"Secretariat":  func(p *dialplan.Plan) { p.Secretariat = "999" },
	} {
		t.Run(name, func(t *testing.T) {
			p := plan(ok)
			change(&p)
			if out, err := dialplan.Render(p); err == nil {
				t.Errorf("rendered:\n%s", out)
			}
		})
	}
}

// A name is the admin's text: a newline in it cannot start a dialplan line.
func TestRender_NamesStayInComments(t *testing.T) {
	c := callcare.Clerk{ID: "a", Name: "Anna\nexten => 666,1,Dial(SIP/x)", Extension: "101", Endpoint: "PJSIP/101", Department: "100"}
	out, err := dialplan.Render(plan(c))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, "exten => 666") {
			t.Errorf("a name became a line: %q", l)
		}
	}
}
