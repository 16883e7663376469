package dialplan

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/callcare/callcare"
)

// Plan is what the dialplan is made from: the office's numbers and phones,
// as callcare.yaml describes them, so that admins never keep two lists.
type Plan struct {
	Source    string // the configuration's name, for the header
	Directory *callcare.Directory
	// Lines are the dedicated lines for people with special needs: they
	// go to the service like any office number.
	Lines []Line
	App   string // the Stasis application
	// Rings is the procedure's ring count (answer_within_rings);
	// RingSeconds is how long the fallback rings a clerk when the service
	// is down: those rings (answer_within_rings x ring_cycle).
	Rings, RingSeconds int
	Secretariat        string // the department rung when the service is down
	// AGI is where the FastAGI hooks listen (asterisk.agi_listen).
	AGI          string
	OfficeNumber string // shown to citizens on the clerks' outside calls; "" for the phone's own
	// OutsideDial is how an outside number is dialed, with {number}
	// (callcare.yaml's callbacks.dial); OutsidePrefix what desk phones
	// dial first for an outside line.
	OutsideDial, OutsidePrefix string
	QueueCode                  string // the callback queue's feature code (*70)
	SetCode, ClearCode         string // the forward codes (*21, *20)
	Prompts                    callcare.Prompts
	// MenuNumbers answer calls from outside with the voice menu (P3.2);
	// NoticeCode is the desk phones' documents-ready code (render_menu.go).
	MenuNumbers []string
	NoticeCode  string
}

// Line is a dedicated line and what it rings.
type Line struct {
	Number string
	Target callcare.Target
}

// Render writes extensions.conf for plan: the office's numbers into the
// service (Stasis) with a fallback that reaches a person when the service
// is down, the desk phones' feature codes with the endpoint Asterisk
// authenticated, and outside calls with the FastAGI notice when they are
// answered. Every value written comes from the configuration, which
// validates it; caller-controlled text only ever travels as ${EXTEN}
// filtered to digits.
func Render(p Plan) ([]byte, error) {
	if p.Directory == nil {
		return nil, fmt.Errorf("no directory to render")
	}
	r := &renderer{p: p}
	if err := r.check(); err != nil {
		return nil, err
	}
	r.header()
	r.globals()
	r.numbers()
	r.entries()
	r.inbound()
	r.menu()
	r.clerks()
	r.forward()
	r.outboundAnswered()
	r.fallback()
	if r.mixed {
		r.deskPhone()
	}
	return r.b.Bytes(), nil
}

type renderer struct {
	p     Plan
	b     bytes.Buffer
	techs map[string]bool // PJSIP, SIP: the desk phones' technologies
	mixed bool            // both: the desk phone is found by a subroutine
}

func (r *renderer) printf(format string, args ...any) { fmt.Fprintf(&r.b, format, args...) }

// check refuses what the dialplan could not hold: a technology it cannot
// name an authenticated endpoint of, or text that would end an argument.
func (r *renderer) check() error {
	r.techs = map[string]bool{}
	for _, c := range r.p.Directory.Clerks {
		tech, _, _ := strings.Cut(c.Endpoint, "/")
		switch tech {
		case "PJSIP", "SIP":
			r.techs[tech] = true
		default:
			return fmt.Errorf("clerk %s: endpoint %q: the dialplan knows desk phones on PJSIP or SIP only", c.ID, c.Endpoint)
		}
		if strings.ContainsAny(c.Endpoint, ",()&;$ \t\n\"'\\") {
			return fmt.Errorf("clerk %s: endpoint %q cannot go into a dialplan", c.ID, c.Endpoint)
		}
	}
	r.mixed = len(r.techs) > 1
	for what, v := range map[string]string{"outside dial": r.p.OutsideDial, "office number": r.p.OfficeNumber, "app": r.p.App,
		"AGI address": r.p.AGI, "outside prefix": r.p.OutsidePrefix} {
		if strings.ContainsAny(v, ",()&;$ \t\n\"'\\") {
			return fmt.Errorf("%s %q cannot go into a dialplan", what, v)
		}
	}
	for _, code := range []string{r.p.QueueCode, r.p.SetCode, r.p.ClearCode, r.p.NoticeCode} {
		if strings.Trim(code, "*#0123456789") != "" {
			return fmt.Errorf("feature code %q: only *, # and digits", code)
		}
	}
	if _, ok := r.p.Directory.Department(r.p.Secretariat); !ok {
		return fmt.Errorf("the secretariat %q is no department", r.p.Secretariat)
	}
	return r.checkMenu()
}

// comment keeps admin-written text (names) on one comment line.
func comment(s string) string {
	return strings.Map(func(c rune) rune {
		if unicode.IsControl(c) {
			return ' '
		}
		return c
	}, s)
}

// phone is the desk phone a call on from-clerks comes from, as the
// directory names it: the endpoint Asterisk authenticated, never a caller
// id. With both technologies it is the subroutine's answer.
func (r *renderer) phone() string {
	switch {
	case r.mixed:
		return "${GOSUB_RETVAL}"
	case r.techs["SIP"]:
		return "SIP/${CHANNEL(peername)}"
	}
	return "PJSIP/${CHANNEL(endpoint)}"
}

// phoneDoc says in a comment how the desk phone is found.
func (r *renderer) phoneDoc() string {
	if r.mixed {
		return "PJSIP/${CHANNEL(endpoint)} or SIP/${CHANNEL(peername)}: callcare-desk-phone"
	}
	return r.phone()
}

// findPhone is the priority that finds the desk phone first, when needed.
func (r *renderer) findPhone() {
	if r.mixed {
		r.printf(" same => n,Gosub(callcare-desk-phone,s,1)\n")
	}
}

// agiURL is where the dialplan reaches a FastAGI script: the service's
// agi_listen, or loopback when it listens on every address.
func (r *renderer) agiURL(script string) string {
	i := strings.LastIndex(r.p.AGI, ":")
	host, port := "127.0.0.1", "4573"
	if i >= 0 {
		host, port = strings.Trim(r.p.AGI[:i], "[]"), r.p.AGI[i+1:]
	}
	switch {
	case host == "" || host == "0.0.0.0" || host == "::":
		host = "127.0.0.1" // the service listens everywhere; Asterisk is beside it
	case strings.Contains(host, ":"):
		host = "[" + host + "]"
	}
	return "agi://" + host + ":" + port + "/" + script
}

func (r *renderer) endpoints(ids []callcare.ClerkID) string {
	var eps []string
	for _, id := range ids {
		if c, ok := r.p.Directory.Clerk(id); ok {
			eps = append(eps, c.Endpoint)
		}
	}
	return strings.Join(eps, "&")
}

func (r *renderer) header() {
	p := r.p
	r.printf(`; callcare: the dialplan that sends the Town Hall's calls to the service.
;
; Made by `+"`callcare dialplan render`"+` from %s: change that file and
; render this one again, rather than editing it, so the two never disagree.
;
; Install: #include this file from /etc/asterisk/extensions.conf (or copy its
; contexts), set the trunk's context to from-outside and the desk phones'
; endpoints to from-clerks (pjsip.conf: context=from-clerks), then run
; `+"`dialplan reload`"+` on the Asterisk CLI.
;
; Every office number (a department's, a clerk's extension, a dedicated
; line) goes to the service, with the dialed number as argument:
;     Ringing()
;     Stasis(%s,inbound,${EXTEN},ringing)
; Ringing() first: the caller hears ringing at once, as with a plain Dial(),
; and the service need not ask Asterisk for it (a request fewer a call).
; The service rings the clerk or department by the procedure (P4a: answer by
; ring %d, then overflow), forwards the calls of absent clerks (P4c) and
; plays its own messages. Only the numbers listed here reach it, so ${EXTEN}
; is always one of them, digits only, when it is passed to Stasis() or Dial().
;
; When the service is down: Asterisk has no client for the application
; %q, so Stasis() fails at once, sets ${STASISSTATUS} to FAILED and
; the dialplan goes on. Then callcare-fallback rings the person directly, so
; the call still reaches someone (absences are the service's: the fallback
; rings the clerk's own phone). Those calls are not in the service's log.
; The service sends calls there itself too, past its capacity, and while it
; is full it has the dialplan send a share of new calls there before
; Stasis().

`, p.Source, p.App, p.Rings, p.App)
}

func (r *renderer) globals() {
	p := r.p
	d, _ := p.Directory.Department(p.Secretariat)
	r.printf("[globals]\n")
	r.printf("; The secretariat's phones (department %s, %s), rung together when the\n; service is down.\n", d.Number, comment(d.Name))
	r.printf("CALLCARE_SECRETARIAT=%s\n", r.endpoints(d.Members))
	r.printf("; How long a clerk's phone rings before the secretariat takes over, in\n; seconds: answer_within_rings x ring_cycle (%d rings).\n", p.Rings)
	r.printf("CALLCARE_RING_SECONDS=%d\n", p.RingSeconds)
	if p.OfficeNumber != "" {
		r.printf("; The office's number, shown to citizens when a clerk calls out\n; (callbacks.caller_id), not the extension.\n")
		r.printf("CALLCARE_OFFICE_NUMBER=%s\n", p.OfficeNumber)
	}
	r.printf("\n")
}

// number is one office number and what it is, for the comments.
type number struct {
	n, what string
	fall    string // the fallback's Dial target, "" for the secretariat
	goTo    string // or the number whose fallback it shares (a line)
	// dialed is the office number a call nobody answered there is called
	// back for, "" for n itself.
	dialed string
}

func (r *renderer) list() []number {
	dir := r.p.Directory
	var out []number
	for _, d := range dir.Departments {
		n := number{n: d.Number, what: "department: " + comment(d.Name), fall: r.endpoints(d.Members)}
		if d.Number == r.p.Secretariat {
			n.fall = ""
		}
		out = append(out, n)
	}
	for _, c := range dir.Clerks {
		out = append(out, number{n: c.Extension, what: comment(c.FullName()), fall: c.Endpoint})
	}
	lines := append([]Line(nil), r.p.Lines...)
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].Number < lines[j].Number })
	for _, l := range lines {
		n := number{n: l.Number, what: "dedicated line (special needs) to " + l.Target.ID}
		switch l.Target.Kind {
		case callcare.TargetClerk:
			c, _ := dir.Clerk(callcare.ClerkID(l.Target.ID))
			n.goTo = c.Extension
		case callcare.TargetDepartment:
			n.goTo = l.Target.ID
		}
		out = append(out, n)
	}
	return out
}

func (r *renderer) numbers() {
	r.printf(`[callcare-numbers]
; The office's numbers, from %s: departments, clerks' extensions and
; dedicated lines. Each enters the service. Included by from-outside and
; from-clerks.
`, r.p.Source)
	for _, n := range r.list() {
		r.printf("exten => %s,1,Goto(callcare-inbound,${EXTEN},1) ; %s\n", n.n, n.what)
	}
	r.printf(`; Any other number reaches nobody: the caller is told so, never silence.
exten => _X.,1,Answer()
 same => n,Playback(%s)
 same => n,Hangup()

`, r.p.Prompts.UnknownNumber)
}

func (r *renderer) entries() {
	r.printf(`[from-outside]
; Calls from the trunk (and the citizens' phones) for the office's numbers.
; Nothing else: a citizen reaches no feature code and no outside line.
`)
	r.menuEntries()
	r.printf(`include => callcare-numbers

`)
	r.noDialed()
}

// OverloadedVar is the dialplan's global variable the service sets while
// it is full, and back to 0: the share of new calls, in percent, that go
// to the fallback without entering the application. The dialplan counts
// them in the global of the same name with _CALLS.
const OverloadedVar = "CALLCARE_OVERLOADED"

func (r *renderer) inbound() {
	r.printf(`[callcare-inbound]
; Reached only from callcare-numbers, so ${EXTEN} is an office number.
; While the service is full it sets %[2]s to the share of new
; calls, in percent, that go straight to the fallback: a plain Dial costs
; Asterisk less than entering the application to be sent on.
; %[2]s_CALLS counts them for the service.
exten => _X.,1,NoOp(callcare: call for ${EXTEN})
 same => n,GotoIf($[${RAND(0,99)} < 0${%[2]s}]?overloaded)
 same => n,Ringing()
 same => n,Stasis(%[1]s,inbound,${EXTEN},ringing)
 same => n,GotoIf($["${STASISSTATUS}" != "SUCCESS"]?callcare-fallback,${EXTEN},1)
 same => n,Hangup()
 same => n(overloaded),Set(GLOBAL(%[2]s_CALLS)=$[0${%[2]s_CALLS} + 1])
 same => n,Goto(callcare-fallback,${EXTEN},1)

`, r.p.App, OverloadedVar)
}

func (r *renderer) clerks() {
	p := r.p
	who := "${CHANNEL(endpoint)}"
	switch {
	case r.mixed:
		who = "${CHANNEL(channeltype)} ${CHANNEL(name)}"
	case r.techs["SIP"]:
		who = "${CHANNEL(peername)}"
	}
	r.printf(`[from-clerks]
; Desk phones. Colleagues and departments are rung through the service too,
; by the same procedure.
include => callcare-numbers

%s; The callback queue (P4c, P4i): a clerk dials %s to hear the callbacks
; waiting for them (their own, then their department's, and those of absent
; colleagues they cover) and work them by keys. The service knows the clerk
; by the desk phone's endpoint, which Asterisk authenticated (%s),
; never a caller id a phone can set. This context is the desk phones' only:
; a citizen's call (from-outside) cannot reach it.
exten => %s,1,NoOp(callcare: callback queue for %s)
`, r.noticeCode(who), p.QueueCode, r.phoneDoc(), p.QueueCode, who)
	r.findPhone()
	r.printf(` same => n,Stasis(%s,clerk,%s)
 same => n,GotoIf($["${STASISSTATUS}" != "SUCCESS"]?unavailable)
 same => n,Hangup()
 same => n(unavailable),Playback(%s)
 same => n,Hangup()

; Forwards (P4c): %s then an extension or a department's number, optionally
; # and office days (%s112#5), forwards the clerk's calls; %s clears it. The
; secretariat may put another clerk's extension and * first. The service
; reads the code and says what is now in force.
exten => _%s.,1,Goto(callcare-forward,${EXTEN},1)
exten => %s,1,Goto(callcare-forward,${EXTEN},1)
exten => _%s.,1,Goto(callcare-forward,${EXTEN},1)

`, p.App, r.phone(), p.Prompts.UnknownNumber, p.SetCode, p.SetCode, p.ClearCode, p.SetCode, p.ClearCode, p.ClearCode)
	r.outside()
}

func (r *renderer) outside() {
	p := r.p
	prefix := p.OutsidePrefix
	dial := strings.Replace(p.OutsideDial, "{number}", "${CALLCARE_NUMBER}", 1)
	who := "${CHANNEL(endpoint)}"
	if r.techs["SIP"] && !r.mixed {
		who = "${CHANNEL(peername)}"
	} else if r.mixed {
		who = "${CHANNEL(name)}"
	}
	r.printf(`; Numbers outside the office: %s for an outside line (as the desk phones
; are used to), then at least 3 digits. These calls go straight out through
; the trunk (callbacks.dial), not through the service.
;
; When the citizen answers, Dial's U() option runs [callcare-outbound-answered]
; on the citizen's channel before the two are connected; it tells the service,
; which closes any callback task for that number (a clerk reached them).
;   - FILTER keeps only the digits of what was dialed, so nothing else reaches
;     Dial()'s options, the subroutine's arguments or the service.
;   - The digits are put in the form callbacks dial (callbacks.dial): 48
;     before 9 digits dialed without 00 (a Polish number), 00 dropped;
;     shorter ones as dialed.
;   - The clerk's desk phone is read here, on the clerk's own channel: inside
;     U() the channel is the citizen's. It is the endpoint Asterisk
;     authenticated, never a caller id a phone can set.
;   - No dial timeout: the clerk hangs up when they give up.
exten => _%sXX.,1,NoOp(callcare: outside call from %s)
`, prefix, prefix, who)
	r.printf(" same => n,Set(CALLCARE_NUMBER=${FILTER(0-9,${EXTEN:%d})})\n", len(prefix))
	// The number in the form the service keeps numbers in, as callbacks
	// dial them (callcare.CallableNumber): callbacks.dial is written for it.
	r.printf(" same => n,ExecIf($[\"${CALLCARE_NUMBER:0:2}\" != \"00\" & ${LEN(${CALLCARE_NUMBER})} = 9]?Set(CALLCARE_NUMBER=48${CALLCARE_NUMBER}))\n")
	r.printf(" same => n,ExecIf($[\"${CALLCARE_NUMBER:0:2}\" = \"00\"]?Set(CALLCARE_NUMBER=${CALLCARE_NUMBER:2}))\n")
	if p.OfficeNumber != "" {
		r.printf(" same => n,Set(CALLERID(num)=${CALLCARE_OFFICE_NUMBER})\n")
	}
	r.findPhone()
	r.printf(" same => n,Dial(%s,,U(callcare-outbound-answered^${CALLCARE_NUMBER}^%s))\n same => n,Hangup()\n\n", dial, r.phone())
}

func (r *renderer) forward() {
	p := r.p
	r.printf(`[callcare-forward]
; The forward codes, reached from from-clerks only. FILTER keeps digits, *
; and #: nothing else of what was dialed reaches the service.
exten => _[*#].,1,NoOp(callcare: forward code)
`)
	r.findPhone()
	r.printf(` same => n,Stasis(%s,forward,%s,${FILTER(0-9*#,${EXTEN})})
 same => n,GotoIf($["${STASISSTATUS}" != "SUCCESS"]?unavailable)
 same => n,Hangup()
 same => n(unavailable),Playback(%s)
 same => n,Hangup()

`, p.App, r.phone(), p.Prompts.UnknownNumber)
}

func (r *renderer) outboundAnswered() {
	r.printf(`[callcare-outbound-answered]
; Subroutine run by Dial's U() option in [from-clerks] when the citizen answers
; a clerk's outside call. It runs on the CITIZEN's channel, before the clerk is
; connected, so it must be quick and must let the call go on:
;   ARG1  the number dialed, digits only (e.g. 600100200)
;   ARG2  the clerk's desk phone (e.g. PJSIP/101)
;
; AGI() connects to the service's FastAGI port (asterisk.agi_listen) and
; sends the two as agi_arg_1 and agi_arg_2. The service reads them, closes
; the connection at once without sending any command, and closes the
; callback task afterwards: AGI() sees the end of the session, sets
; AGISTATUS=SUCCESS and the dialplan goes on.
;
; When the service is down, the connection is refused at once: AGI() sets
; AGISTATUS=FAILURE (the Asterisk log warns "Couldn't connect to any host.
; FastAGI failed.") and the dialplan still goes on. The call connects as
; usual; the task stays open until a clerk marks it done. (A service that is
; running but hung, not down, would keep the citizen waiting until someone
; hangs up: AGI() has no timeout of its own. The service ends every session
; within 5 seconds; if calls stall here, restart it.)
;
; Never Hangup() here and never set GOSUB_RESULT: either would cut or redirect
; the call the clerk is making. Always end with Return().
exten => s,1,AGI(%s,${ARG1},${ARG2})
 same => n,NoOp(callcare: outbound-answered notice: ${AGISTATUS})
 same => n,Return()

`, r.agiURL("outbound-answered"))
}

func (r *renderer) fallback() {
	p := r.p
	r.printf(`[callcare-fallback]
; Only reached when Stasis() failed (the service is not running) or when the
; service handed the call over (past its capacity, or a call it could not
; carry on). A clerk's extension rings the clerk's desk phone for the
; procedure's rings, a department's number its members together, then the
; secretariat; the secretariat's number rings the secretariat. A call nobody
; answered is told it will be called back (one whose number is not shown:
; to call again), and the h extension asks the service to record it for
; that (P4c); while the service is down, AGI() fails and the call is in
; Asterisk's CDR only.
`)
	for _, n := range append(r.list(), r.menuFallbacks()...) {
		dialed := n.dialed
		if dialed == "" {
			dialed = n.n
		}
		r.printf("exten => %s,1,Set(CALLCARE_DIALED=%s) ; %s\n", n.n, dialed, n.what)
		switch {
		case n.goTo != "":
			r.printf(" same => n,Goto(callcare-fallback,%s,ring)\n", n.goTo)
		case n.fall == "":
			r.printf(" same => n(ring),Goto(callcare-fallback,secretariat,1)\n")
		default:
			r.printf(" same => n(ring),Dial(%s,${CALLCARE_RING_SECONDS})\n same => n,Goto(callcare-fallback,secretariat,1)\n", n.fall)
		}
	}
	r.printf(`
; A call handed over with no number, or one this context does not know,
; reaches the secretariat: Asterisk sends a continue without an extension
; to s, and an extension it lacks to i.
exten => s,1,Goto(callcare-fallback,secretariat,1)
exten => i,1,Goto(callcare-fallback,secretariat,1)

; A caller whose number is not shown, or is no number the service could
; call back, is not promised a callback nobody could make, but asked to
; call again. A number, as the service reads one: digits, spaces and
; dashes, after an optional + or 00, and 3 to 15 digits after it.
exten => secretariat,1,Dial(${CALLCARE_SECRETARIAT},120)
 same => n,GotoIf($[${REGEX("^[ -]*[+]?[0-9 -]*$" ${CALLERID(num)})} = 0]?hidden)
 same => n,Set(CALLCARE_DIGITS=${FILTER(0-9,${CALLERID(num)})})
 same => n,ExecIf($["${FILTER(+,${CALLERID(num)})}" = "" & "${CALLCARE_DIGITS:0:2}" = "00"]?Set(CALLCARE_DIGITS=${CALLCARE_DIGITS:2}))
 same => n,GotoIf($[${LEN(${CALLCARE_DIGITS})} < 3 | ${LEN(${CALLCARE_DIGITS})} > 15]?hidden)
 same => n,Playback(%s)
 same => n,Playback(%s)
 same => n,Hangup()
 same => n(hidden),Playback(%s)
 same => n,Hangup()

; An answered call (DIALSTATUS ANSWER) owes nothing, so the hook is not
; even asked: a FastAGI session is the fallback's dearest step on a busy
; PBX. CANCEL, the caller gave up, is an abandoned call; anything else a
; missed one.
exten => h,1,GotoIf($["${CALLCARE_DIALED}" = "" | "${DIALSTATUS}" = "" | "${DIALSTATUS}" = "ANSWER"]?done)
 same => n,AGI(%s,${CALLCARE_DIALED},${DIALSTATUS})
 same => n(done),NoOp()
`, p.Prompts.NobodyAvailable, p.Prompts.Goodbye, p.Prompts.CallAgain, r.agiURL("missed"))
}

func (r *renderer) deskPhone() {
	r.printf(`
[callcare-desk-phone]
; The desk phone a clerk's call comes from, as callcare.yaml names it: the
; endpoint Asterisk authenticated, PJSIP/<endpoint> or SIP/<peer>, never a
; caller id. Gosub(callcare-desk-phone,s,1), then ${GOSUB_RETVAL}.
exten => s,1,GotoIf($["${CHANNEL(channeltype)}" = "SIP"]?sip)
 same => n,Return(PJSIP/${CHANNEL(endpoint)})
 same => n(sip),Return(SIP/${CHANNEL(peername)})
`)
}
