package dialplan

import (
	"fmt"
	"slices"
	"strings"
)

// The phone matters of P3.2 in the dialplan: the main numbers answer calls
// from outside with the voice menu (a clerk who dials one reaches it
// straight, as before), and the desk phones' documents-ready code goes to
// the service with the endpoint Asterisk authenticated.

// checkMenu refuses menu numbers that are not digits.
func (r *renderer) checkMenu() error {
	for _, n := range r.p.MenuNumbers {
		if n == "" || strings.Trim(n, "0123456789") != "" {
			return fmt.Errorf("menu number %q: digits only", n)
		}
	}
	return nil
}

// menuEntries sends the menu's numbers, from outside, to the menu: an
// extension of the context itself is matched before the included ones.
func (r *renderer) menuEntries() {
	if len(r.p.MenuNumbers) == 0 {
		return
	}
	r.printf("; The main numbers answer with the voice menu (P3.2); clerks dial them straight.\n")
	for _, n := range r.p.MenuNumbers {
		r.printf("exten => %s,1,Goto(callcare-menu,${EXTEN},1)\n", n)
	}
}

// noDialed: a trunk that sends no dialed number calls the main number, its
// menu, or the secretariat when there is none.
func (r *renderer) noDialed() {
	if len(r.p.MenuNumbers) > 0 {
		r.printf("; A trunk that sends no dialed number: the main number's menu.\nexten => s,1,Goto(callcare-menu,%s,1)\n\n", r.p.MenuNumbers[0])
		return
	}
	r.printf("; A trunk that sends no dialed number: the secretariat.\nexten => s,1,Goto(callcare-inbound,%s,1)\n\n", r.p.Secretariat)
}

// menu is the menu's context: reached from from-outside for its numbers
// only, so ${EXTEN} is one of them, digits only.
func (r *renderer) menu() {
	if len(r.p.MenuNumbers) == 0 {
		return
	}
	r.printf(`[callcare-menu]
; The voice menu (P3.2, P5.1, P5.3): reached from from-outside for the main
; numbers only. When the service is down, callcare-fallback rings a person;
; while it is full, the share it set goes there at once, as in
; callcare-inbound.
exten => _X.,1,NoOp(callcare: menu for ${EXTEN})
 same => n,GotoIf($[${RAND(0,99)} < 0${%[2]s}]?overloaded)
 same => n,Stasis(%[1]s,menu,${EXTEN})
 same => n,GotoIf($["${STASISSTATUS}" != "SUCCESS"]?callcare-fallback,${EXTEN},1)
 same => n,Hangup()
 same => n(overloaded),Set(GLOBAL(%[2]s_CALLS)=$[0${%[2]s_CALLS} + 1])
 same => n,Goto(callcare-fallback,${EXTEN},1)

`, r.p.App, OverloadedVar)
}

// noticeCode is the documents-ready code's block of from-clerks, "" when
// there is none.
func (r *renderer) noticeCode(who string) string {
	p := r.p
	if p.NoticeCode == "" {
		return ""
	}
	find := ""
	if r.mixed {
		find = " same => n,Gosub(callcare-desk-phone,s,1)\n"
	}
	return fmt.Sprintf(`; Documents ready (P3.2 (3)): a clerk dials %s, then the citizen's number
; and #, the case number and #; the service calls the citizen within office
; hours. The clerk is the desk phone's endpoint Asterisk authenticated.
exten => %s,1,NoOp(callcare: documents-ready notice from %s)
%s same => n,Stasis(%s,documents,%s)
 same => n,GotoIf($["${STASISSTATUS}" != "SUCCESS"]?unavailable)
 same => n,Hangup()
 same => n(unavailable),Playback(%s)
 same => n,Hangup()

`, p.NoticeCode, p.NoticeCode, who, find, p.App, r.phone(), p.Prompts.UnknownNumber)
}

// menuFallbacks are the menu numbers that are no office number: when the
// service is down they ring the secretariat.
func (r *renderer) menuFallbacks() []number {
	var out []number
	listed := r.list()
	for _, n := range r.p.MenuNumbers {
		if slices.ContainsFunc(listed, func(l number) bool { return l.n == n }) {
			continue
		}
		// A call nobody answered there is the secretariat's to call back.
		d, _ := r.p.Directory.Department(r.p.Secretariat)
		out = append(out, number{n: n, what: "main number: the voice menu", goTo: d.Number, dialed: d.Number})
	}
	return out
}
