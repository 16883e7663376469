package policy

import (
	"fmt"
	"time"

	"github.com/callcare/callcare"
)

// The voice menu of the office's main numbers (P3.2, P5.1, P5.3): a short
// greeting and one level of choices, each said by its name, "please
// press" and its key, slowly; then a long wait for a key. A caller who
// says nothing hears the choices once more, then reaches a person (the
// operator: the secretariat), never a hangup. The operator's key reaches
// the person at once; an unknown key says so and repeats the choices;
// three keys that chose nothing reach the person too. The assistance key,
// at any moment, marks the caller as having special needs and connects
// them first (P5.3). Every prompt stops at a key: Asterisk does not stop a
// playback for a key, the menu does.
//
// Under a choice the caller picks once more, and that is all: a matter by
// its key (its recorded description, if any, then its department; nobody
// answering, a voice note for the callback), or the person of a meeting:
// the Mayor by a key (through the secretariat), an employee by extension
// (nobody answering, an appointment request in that person's queue). The
// menu then hands the call to the ringing of a citizen's call (handover.go)
// and carries it on.

// MenuSettings are what the voice menu needs.
type MenuSettings struct {
	Menu    callcare.Menu
	Prompts callcare.Prompts
}

type menuPhase int

const (
	menuChoices    menuPhase = iota // the choices are said, or a key is awaited
	menuMatters                     // the matters are said, or a key is awaited
	menuPerson                      // the Mayor's key or an extension is awaited
	menuDescribing                  // a matter's description plays; its department rings next
	menuOver                        // handed over, or ended
)

// Menu is one caller in the voice menu, and after the hand-over the call
// it became.
type Menu struct {
	set      MenuSettings
	in       InboundSettings
	dir      *callcare.Directory
	book     *callcare.Absences
	rec      callcare.CallRecord
	phase    menuPhase
	now      time.Time
	playing  string // the prompt playing now
	n        int    // prompts said, for their ids
	deadline time.Time
	silences int     // silences at the level the caller is at
	fails    int     // keys that chose nothing, in all
	typed    string  // an extension's digits so far
	keys     keyWait // waiting for a key after the choices (keywait.go)
	matter   callcare.Matter
	call     *Inbound // the call from the hand-over on
	done     bool     // ended in the menu
	linkDown bool
}

// StartMenu takes a call to a menu number. a is the arrival as the shell
// knows it (the caller, the number dialed, their needs by the registry);
// dir and book say where each choice rings at now, with the absences.
// Outside office hours there is no menu: the caller hears that the office
// is closed, as on any office number (or a duty phone rings).
func StartMenu(a Arrival, dir *callcare.Directory, book *callcare.Absences, set MenuSettings, in InboundSettings, now time.Time) (*Menu, []Action) {
	m := &Menu{set: set, in: in, dir: dir, book: book, now: now}
	m.rec = callcare.CallRecord{ID: a.CallID, CallerID: a.CallerID, CallerName: a.CallerName, Dialed: a.Dialed,
		Target: set.Menu.Operator, StartedAt: now, Needs: a.Needs}
	if !in.Rules.Hours.IsOpen(now) {
		r, _ := RouteCall(dir, book, set.Menu.Operator, now)
		a.Target, a.Found, a.Steps, a.Forwarded, a.OnDuty = r.Target, true, r.Steps, r.Forwarded, r.OnDuty
		m.phase = menuOver
		c, acts := Start(a, in, now)
		m.call = c
		return m, append(r.logged(), acts...)
	}
	media := append([]string{"sound:" + set.Menu.Greeting}, m.choices()...)
	return m, append([]Action{Save{m.rec}, Answer{}}, m.say(media...)...)
}

// Deadline is when the menu wants a TimerFired; none while the link is
// down.
func (m *Menu) Deadline() time.Time {
	if m.call != nil {
		return m.call.Deadline()
	}
	if m.linkDown {
		return time.Time{}
	}
	return m.deadline
}

// Done tells whether the call is over.
func (m *Menu) Done() bool {
	if m.call != nil {
		return m.call.Done()
	}
	return m.done
}

// Record is the call record as it stands.
func (m *Menu) Record() callcare.CallRecord {
	if m.call != nil {
		return m.call.Record()
	}
	return m.rec
}

// Step feeds one event to the menu, or to the call it handed over.
func (m *Menu) Step(ev Event, now time.Time) []Action {
	m.now = now
	if m.call != nil {
		if k, ok := ev.(KeyPressed); ok && k.Digit == m.set.Menu.AssistanceKey && m.call.handed.on {
			return m.call.flagNeeds(callcare.NeedsMenu, now) // at any moment: the phones rung next show it
		}
		return m.call.Step(ev, now)
	}
	if m.done {
		return nil
	}
	switch ev := ev.(type) {
	case KeyPressed:
		return m.key(ev.Digit)
	case PlaybackDone:
		if m.keys.reminded(ev.Playback) {
			m.deadline = m.keys.next(now, m.in.Procedure.RingCycle)
			return nil
		}
		if ev.Playback != m.playing || m.playing == "" {
			return nil
		}
		m.playing = ""
		if m.phase == menuDescribing {
			return m.toMatter()
		}
		m.deadline = m.keys.begin(now, m.set.Menu.KeyTimeout, m.in.Procedure.RingCycle)
	case TimerFired:
		if m.linkDown || m.deadline.IsZero() || now.Before(m.deadline) {
			return nil
		}
		if acts := m.keys.remind(m.rec.ID, m.set.Prompts.KeyReminder); acts != nil {
			m.deadline = now.Add(promptLimit) // should its end never be heard of
			return acts
		}
		m.deadline = time.Time{}
		return m.silence()
	case CallerGone:
		return m.left(orParty(ev.By, callcare.PartyCaller))
	case Stuck:
		return m.stuck()
	case LinkLost:
		m.linkDown = true
	case LinkBack:
		m.linkDown = false
		return []Action{Resync{}}
	}
	return nil
}

// key: a key at any level. It stops what plays: the caller has chosen.
func (m *Menu) key(d string) []Action {
	menu := m.set.Menu
	acts := append(m.stop(), m.keys.stop()...)
	m.deadline = time.Time{}
	if d == menu.AssistanceKey && m.typed == "" {
		return append(acts, m.assisted()...)
	}
	switch m.phase {
	case menuChoices:
		return append(acts, m.choose(d)...)
	case menuMatters:
		if d == menu.OperatorKey {
			return append(acts, m.connect(menu.Operator, handover{})...)
		}
		x, ok := menu.Matter(d)
		if !ok {
			return append(acts, m.unknown(m.set.Prompts.MenuUnknown)...)
		}
		m.matter = x
		if x.Description == "" {
			return append(acts, m.toMatter()...)
		}
		m.phase = menuDescribing
		return append(acts, m.say("sound:"+x.Description)...)
	case menuPerson:
		return append(acts, m.personKey(d)...)
	case menuDescribing:
		return append(acts, m.toMatter()...) // no need to hear the rest
	}
	return acts
}

// choose: a key at the menu's level.
func (m *Menu) choose(d string) []Action {
	menu := m.set.Menu
	if d == menu.OperatorKey {
		return m.connect(menu.Operator, handover{})
	}
	c, ok := menu.Choice(d)
	if !ok {
		return m.unknown(m.set.Prompts.MenuUnknown)
	}
	m.silences = 0
	switch c.Do {
	case callcare.ChoiceMatters:
		m.phase = menuMatters
		return m.say(m.matters()...)
	case callcare.ChoiceAppointment:
		m.phase, m.typed = menuPerson, ""
		return m.say(m.person()...)
	}
	return m.connect(c.Target, handover{})
}

// personKey: the Mayor's key, or an extension's digits (P3.2 (1)). An
// extension rings as soon as it is whole; # ends a shorter one.
func (m *Menu) personKey(d string) []Action {
	ap := m.set.Menu.Appointments
	if m.typed == "" && d == ap.MayorKey {
		return m.connect(callcare.Target{Kind: callcare.TargetDepartment, ID: ap.Mayor}, m.appointment())
	}
	if d == "#" {
		return m.extension()
	}
	if d < "0" || d > "9" || len(d) != 1 {
		m.typed = ""
		return m.unknown(m.set.Prompts.NoSuchExtension)
	}
	m.typed += d
	clerk, exact, more := m.lookup(m.typed)
	switch {
	case exact && !more:
		return m.connect(callcare.Target{Kind: callcare.TargetClerk, ID: string(clerk.ID)}, m.appointment())
	case !exact && !more:
		m.typed = ""
		return m.unknown(m.set.Prompts.NoSuchExtension)
	}
	m.deadline = m.now.Add(m.set.Menu.KeyTimeout) // the next digit
	return nil
}

// extension ends an extension's digits: # or a pause.
func (m *Menu) extension() []Action {
	typed := m.typed
	m.typed = ""
	if clerk, exact, _ := m.lookup(typed); exact {
		return m.connect(callcare.Target{Kind: callcare.TargetClerk, ID: string(clerk.ID)}, m.appointment())
	}
	return m.unknown(m.set.Prompts.NoSuchExtension)
}

// lookup finds the clerk whose extension is typed, and whether a longer
// extension starts with it.
func (m *Menu) lookup(typed string) (clerk callcare.Clerk, exact, more bool) {
	for _, c := range m.dir.Clerks {
		switch {
		case c.Extension == typed:
			clerk, exact = c, true
		case len(c.Extension) > len(typed) && c.Extension[:len(typed)] == typed:
			more = true
		}
	}
	return clerk, exact, more
}

// appointment is how a meeting's call is handed over: nobody answering,
// it is an appointment request in that person's queue.
func (m *Menu) appointment() handover {
	return handover{kind: callcare.KindAppointment, closing: m.set.Prompts.AppointmentTaken}
}

// toMatter connects the caller to the chosen matter's department; nobody
// answering, they may leave a few words for the callback.
func (m *Menu) toMatter() []Action {
	return m.connect(callcare.Target{Kind: callcare.TargetDepartment, ID: m.matter.Department}, handover{offerNote: true})
}

// unknown: a key that chose nothing. The choices again, or after the
// last try, a person.
func (m *Menu) unknown(why string) []Action {
	m.fails++
	if m.fails >= max(m.set.Menu.Tries, 1) {
		return m.connect(m.set.Menu.Operator, handover{})
	}
	return m.say(append([]string{"sound:" + why}, m.level()...)...)
}

// silence: no key in time. The level once more, then a person.
func (m *Menu) silence() []Action {
	switch {
	case m.phase == menuDescribing:
		return m.toMatter() // its end was never heard of
	case m.phase == menuPerson && m.typed != "":
		return m.extension()
	}
	m.silences++
	if m.silences < 2 {
		return m.say(m.level()...)
	}
	return m.connect(m.set.Menu.Operator, handover{})
}

// assisted: the caller asked for assistance (P5.3): flagged, told so, and
// connected first to a person: the matter's department while its
// description plays, the operator otherwise.
func (m *Menu) assisted() []Action {
	var acts []Action
	if m.rec.Needs == callcare.NeedsNone {
		m.rec.Needs = callcare.NeedsMenu
		if n, ok := callcare.CallableNumber(m.rec.CallerID); ok {
			acts = append(acts, FlagNeeds{Number: n, Needs: callcare.NeedsMenu, Due: m.in.Rules.SpecialDue(m.now)})
		}
	}
	h := handover{intro: []string{"sound:" + m.set.Prompts.MenuAssisted}}
	to := m.set.Menu.Operator
	if m.phase == menuDescribing {
		to, h.offerNote = callcare.Target{Kind: callcare.TargetDepartment, ID: m.matter.Department}, true
	}
	return append(acts, m.connect(to, h)...)
}

// connect hands the call over to the ringing of to.
func (m *Menu) connect(to callcare.Target, h handover) []Action {
	m.phase = menuOver
	m.deadline = time.Time{}
	// The configuration refuses chains that cannot be expanded; what
	// could be is rung.
	r, _ := RouteCall(m.dir, m.book, to, m.now)
	c, acts := handOver(m.rec, r, m.in, h, m.now)
	m.call = c
	return acts
}

// left: the caller hung up in the menu. Nobody answered them: abandoned,
// and called back by the operator (P4c); ended by Asterisk itself, missed.
func (m *Menu) left(by callcare.Party) []Action {
	m.done, m.phase = true, menuOver
	m.deadline = time.Time{}
	reason := callcare.ReasonAbandoned
	m.rec.Outcome = callcare.OutcomeAbandoned
	if by == callcare.PartyPBX {
		m.rec.Outcome, reason = callcare.OutcomeFailed, callcare.ReasonMissed
	}
	m.rec.EndedAt, m.rec.HungUpBy = m.now, by
	var acts []Action
	if t, ok := m.in.Rules.TaskFor(m.rec, reason, m.rec.Needs, m.now); ok {
		acts = append(acts, CreateTask{Task: t, Record: m.rec})
	}
	return append(acts, Save{m.rec}, Finish{})
}

// stuck: the shell cannot carry the menu on: the caller goes to the
// dialplan's fallback at the number dialed, which rings a person.
func (m *Menu) stuck() []Action {
	m.phase = menuOver
	c := &Inbound{set: m.in, proc: m.in.Procedure, rec: m.rec, handed: handover{on: true, ringFrom: m.now}}
	m.call = c
	// The hand-over waits behind the prompt playing: it is cut short.
	return append(m.stop(), c.toFallback(m.now)...)
}

// --- what is said -----------------------------------------------------------

func (m *Menu) say(media ...string) []Action {
	m.n++
	m.playing = fmt.Sprintf("%s-menu%d", m.rec.ID, m.n)
	m.deadline = m.now.Add(promptLimit) // should its end never be heard of
	return []Action{Say{Playback: m.playing, Media: media}}
}

// stop stops the prompt playing, if any.
func (m *Menu) stop() []Action {
	if m.playing == "" {
		return nil
	}
	p := m.playing
	m.playing = ""
	return []Action{StopPlayback{Playback: p}}
}

// level is what the level the caller is at says.
func (m *Menu) level() []string {
	switch m.phase {
	case menuMatters:
		return m.matters()
	case menuPerson:
		return m.person()
	}
	return m.choices()
}

// pressFor says a choice: its name, "please press", its key.
func (m *Menu) pressFor(sound, key string) []string {
	return []string{"sound:" + sound, "sound:" + m.set.Prompts.MenuPress, digit(key)}
}

func (m *Menu) choices() []string {
	menu := m.set.Menu
	var media []string
	for _, c := range menu.Choices {
		media = append(media, m.pressFor(c.Sound, c.Key)...)
	}
	media = append(media, m.pressFor(m.set.Prompts.MenuOperator, menu.OperatorKey)...)
	if menu.AssistanceKey != "" {
		media = append(media, m.pressFor(m.set.Prompts.MenuAssistance, menu.AssistanceKey)...)
	}
	return media
}

func (m *Menu) matters() []string {
	media := []string{"sound:" + m.set.Prompts.MattersIntro}
	for _, x := range m.set.Menu.Matters {
		media = append(media, m.pressFor(x.Sound, x.Key)...)
	}
	return append(media, m.pressFor(m.set.Prompts.MenuOperator, m.set.Menu.OperatorKey)...)
}

func (m *Menu) person() []string {
	ap := m.set.Menu.Appointments
	return append(m.pressFor(m.set.Prompts.AppointmentWho, ap.MayorKey), "sound:"+m.set.Prompts.AppointmentExt)
}
