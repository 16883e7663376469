package dialplan_test

import (
	"strings"
	"testing"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/dialplan"
)

// TestRender_Menu (P3.2): the main numbers answer calls from outside with
// the voice menu, clerks dial them straight; a main number that is no
// office number reaches the secretariat when the service is down; the
// documents-ready code goes to the service with the authenticated phone.
func TestRender_Menu(t *testing.T) {
	sip := callcare.Clerk{ID: "a", Name: "Anna", Extension: "101", Endpoint: "SIP/101", Department: "100"}
	pj := callcare.Clerk{ID: "b", Name: "Bartosz", Extension: "201", Endpoint: "PJSIP/201", Department: "100"}
	p := plan(sip, pj)
	p.MenuNumbers, p.NoticeCode = []string{"100", "1000"}, "*72"
	out, err := dialplan.Render(p)
	if err != nil {
		t.Fatal(err)
	}
	ctx := contexts(string(out))
	for _, want := range []string{"exten => 100,1,Goto(callcare-menu,${EXTEN},1)", "exten => 1000,1,Goto(callcare-menu,${EXTEN},1)",
		"exten => s,1,Goto(callcare-menu,100,1)"} {
		if !contains(ctx["from-outside"], want) {
			t.Errorf("[from-outside] lacks %q:\n%s", want, strings.Join(ctx["from-outside"], "\n"))
		}
	}
	if contains(ctx["from-clerks"], "exten => 100,1,Goto(callcare-menu,${EXTEN},1)") || contains(ctx["callcare-numbers"], "Goto(callcare-menu") {
		t.Error("clerks reach the menu")
	}
	if !contains(ctx["callcare-menu"], "same => n,Stasis(callcare,menu,${EXTEN})") ||
		!contains(ctx["callcare-menu"], `same => n,GotoIf($["${STASISSTATUS}" != "SUCCESS"]?callcare-fallback,${EXTEN},1)`) {
		t.Errorf("[callcare-menu]:\n%s", strings.Join(ctx["callcare-menu"], "\n"))
	}
	if !contains(ctx["callcare-fallback"], "exten => 1000,1,Set(CALLCARE_DIALED=100)") ||
		!contains(ctx["callcare-fallback"], "same => n,Goto(callcare-fallback,100,ring)") {
		t.Errorf("[callcare-fallback]:\n%s", strings.Join(ctx["callcare-fallback"], "\n"))
	}
	for _, want := range []string{"exten => *72,1,NoOp(callcare: documents-ready notice from ${CHANNEL(channeltype)} ${CHANNEL(name)})",
		"same => n,Stasis(callcare,documents,${GOSUB_RETVAL})"} {
		if !contains(ctx["from-clerks"], want) {
			t.Errorf("[from-clerks] lacks %q", want)
		}
	}
	// No menu: as before.
	out, _ = dialplan.Render(plan(sip))
	if strings.Contains(string(out), "callcare-menu") || strings.Contains(string(out), "documents") {
		t.Errorf("a plan with no menu has one:\n%s", out)
	}
	p.MenuNumbers = []string{"1,2"}
	if _, err := dialplan.Render(p); err == nil {
		t.Error("a menu number that is no digits was rendered")
	}
}
