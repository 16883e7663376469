package callcare

import "time"

// The three matters a citizen settles by phone (P3.2): (1) book a meeting
// with the Mayor or an employee, (2) learn how a matter is handled, (3) be
// told that a matter is finished and the documents can be collected. The
// first two are choices of the voice menu on the office's main numbers;
// the third, and the reminder of a meeting, are calls the service itself
// makes, carried by the callback tasks' machinery (claims, attempts
// journaled before dialing, the retry schedule within office hours).

// TaskKind says what a task asks of the office: a clerk calls the citizen
// back, or the service calls the citizen itself.
type TaskKind string

const (
	KindCallback TaskKind = "" // a clerk calls the citizen back (P4c)
	// KindAppointment: the citizen asked for a meeting and nobody
	// answered; the person asked for calls back to agree it (P3.2 (1)).
	// It waits in that person's callback queue, read out as such.
	KindAppointment TaskKind = "appointment"
	// KindDocuments: the service tells the citizen their documents are
	// ready to collect (P3.2 (3)); nothing personal before they press 1
	// (P4e).
	KindDocuments TaskKind = "documents_ready"
	// KindReminder: the service reminds the citizen of a meeting agreed on
	// an appointment request, the office day before it.
	KindReminder TaskKind = "reminder"
)

// Outbound tells the kinds the service calls out for by itself: they are
// in no clerk's queue.
func (k TaskKind) Outbound() bool { return k == KindDocuments || k == KindReminder }

func (k TaskKind) String() string {
	if k == KindCallback {
		return "callback"
	}
	return string(k)
}

// NeedsMenu: the caller pressed the menu's assistance key (P5.3).
const NeedsMenu NeedsSource = "menu"

// What a call the service makes to a citizen (a notice) comes to.
const (
	// AttemptConfirmed: the citizen pressed 1 and heard the message.
	AttemptConfirmed AttemptResult = "confirmed"
	// AttemptNotConfirmed: answered, but no 1: silence (an answering
	// machine), another key, or a hangup before it. Tried again.
	AttemptNotConfirmed AttemptResult = "not_confirmed"
	// AttemptRefused: whoever answered said by a key the call is not
	// for them. Not tried again.
	AttemptRefused AttemptResult = "refused"
)

// How a notice or an appointment request is closed.
const (
	ResolvedConfirmed Resolution = "confirmed"      // the citizen heard the notice (pressed 1)
	ResolvedRefused   Resolution = "refused"        // the call was not for whoever answered
	ResolvedMeeting   Resolution = "meeting_agreed" // a meeting was agreed on the appointment request
)

// Menu is the voice menu of the office's main numbers (P3.2, P5.1): a
// short greeting and one level of choices, said slowly, repeated once,
// with a long wait for a key. Silence, the operator's key or three failed
// tries reach a person; the assistance key marks the caller as having
// special needs (P5.3) and reaches a person at once.
type Menu struct {
	Numbers []string // the numbers dialed that answer with the menu
	Choices []MenuChoice
	// OperatorKey reaches Operator (the secretariat), as silence does.
	OperatorKey string
	Operator    Target
	// AssistanceKey: "I need assistance", at any moment of the menu.
	AssistanceKey string
	Tries         int           // unknown keys before a person takes over
	KeyTimeout    time.Duration // P5.1: long
	Greeting      string        // the sound said before the choices
	Matters       []Matter
	Appointments  Appointments
}

// ChoiceKind is what a menu choice does.
type ChoiceKind string

const (
	ChoiceAppointment ChoiceKind = "appointment" // book a meeting: the Mayor, or an employee by extension
	ChoiceMatters     ChoiceKind = "matters"     // how a matter is handled: pick one by key
	ChoiceRing        ChoiceKind = "ring"        // ring a clerk or department (a question about my case)
)

// MenuChoice is one choice of the menu: its key, what it does, and the
// sound that names it in the list ("to book a meeting", then "press" and
// the key are said).
type MenuChoice struct {
	Key    string
	Do     ChoiceKind
	Target Target // ChoiceRing: who is rung
	Sound  string
}

// Matter is one matter a citizen may ask how it is handled (P3.2 (2)):
// named in the list by Sound, described by the office's recording
// Description (optional), then connected to its department.
type Matter struct {
	Name        string // for the log and the configuration
	Key         string
	Department  string
	Sound       string
	Description string // "" for none
}

// Appointments are the settings of meetings booked by phone (P3.2 (1)).
type Appointments struct {
	// MayorKey picks the Mayor, whose meetings the department Mayor
	// (the secretariat) books.
	MayorKey string
	Mayor    string
	// RemindDaysBefore: the citizen is reminded of an agreed meeting this
	// many office days before it; 0 for no reminder.
	RemindDaysBefore int
}

// Choice is the choice of the key, if any.
func (m Menu) Choice(key string) (MenuChoice, bool) {
	for _, c := range m.Choices {
		if c.Key == key {
			return c, true
		}
	}
	return MenuChoice{}, false
}

// Matter is the matter of the key, if any.
func (m Menu) Matter(key string) (Matter, bool) {
	for _, x := range m.Matters {
		if x.Key == key {
			return x, true
		}
	}
	return Matter{}, false
}

// Has tells whether a dialed number answers with the menu.
func (m Menu) Has(dialed string) bool {
	for _, n := range m.Numbers {
		if n == dialed {
			return true
		}
	}
	return false
}
