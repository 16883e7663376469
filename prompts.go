package callcare

import "reflect"

// Prompts names every sound the service plays, as Asterisk sound names
// (played as media "sound:NAME", in the channel's language). It is the one
// list: the configuration's `sounds:` section decodes into it (the yaml key
// of each field), the policy plays its fields, and `prompts check` walks it.
// Numbers and times are said with Asterisk's own digit sounds, not listed
// here (policy/say.go).
type Prompts struct {
	// The call path.
	UnknownNumber   string `yaml:"unknown_number"`   // the dialed number reaches nobody
	NobodyAvailable string `yaml:"nobody_available"` // every person of the chain was rung; a callback follows
	Goodbye         string `yaml:"goodbye"`          // closing words before the service hangs up (P4l)

	// Callers outside office hours, and callback requests.
	OfficeClosed   string `yaml:"office_closed"`    // the office is closed now (then when it opens)
	Press1Callback string `yaml:"press_1_callback"` // press 1 and we call you back
	RecordNote     string `yaml:"record_note"`      // say in a few words what it is about, then #
	CallbackThanks string `yaml:"callback_thanks"`  // the callback request is taken
	CallAgain      string `yaml:"call_again"`       // instead of a callback promise, to a caller whose number is not shown: call again

	// Clerks working callbacks from the desk phone (P4c, P4i, P4m).
	CallbacksNone    string `yaml:"callbacks_none"`    // no callbacks wait
	CallbacksWaiting string `yaml:"callbacks_waiting"` // "you have" (then the count)
	CallbackMenu     string `yaml:"callback_menu"`     // 1 call now, 2 next, 3 done, 0 repeat
	CallbackFrom     string `yaml:"callback_from"`     // "from" (then the number, digit by digit)
	CallbackFor      string `yaml:"callback_for"`      // "for the number" (then the colleague's or department's, digit by digit)
	// Why the callback is owed (P4i: the caller's request), by the task's reason.
	CallbackMissed     string `yaml:"callback_missed"`      // nobody answered the call
	CallbackAbandoned  string `yaml:"callback_abandoned"`   // the caller hung up while it rang
	CallbackAfterHours string `yaml:"callback_after_hours"` // they called after office hours
	CallbackRequested  string `yaml:"callback_requested"`   // they asked to be called back
	CallbackLongHold   string `yaml:"callback_long_hold"`   // they asked to be called back after a long hold
	CallbackReceived   string `yaml:"callback_received"`    // "received" (then when)
	CallbackTries      string `yaml:"callback_tries"`       // "tries" (after the count)
	CallbackAgreed     string `yaml:"callback_agreed"`      // an agreed-time callback is due now (P4m)
	CallbackPress1     string `yaml:"callback_press_1"`     // press 1 to call the citizen
	PleaseHold         string `yaml:"please_hold"`          // the citizen is being dialed
	CallbackOutcome    string `yaml:"callback_outcome"`     // after the call: 1 done, 2 again later, 3 wrong number, 4 agree a time
	EnterTime          string `yaml:"callback_enter_time"`  // key in the agreed time: hour and minutes
	AgreedFor          string `yaml:"callback_agreed_for"`  // "the callback is agreed for" (then the time)
	NotReached         string `yaml:"callback_not_reached"` // to the clerk: the citizen did not answer

	// Clerks forwarding their calls from the desk phone (P4c: *21, *20).
	ForwardSet        string `yaml:"forward_set"`         // "calls are forwarded to the number" (then its digits)
	ForwardUntil      string `yaml:"forward_until"`       // "until" (then when)
	ForwardOff        string `yaml:"forward_off"`         // forwarding is off: calls ring this phone
	ForwardFor        string `yaml:"forward_for"`         // the secretariat sets another's: "for the number" (then its digits)
	ForwardRefused    string `yaml:"forward_refused"`     // the code named nobody, or cannot be set; nothing changed
	ForwardNotAllowed string `yaml:"forward_not_allowed"` // only one's own forward may be changed; nothing changed
	// Whoever waits hears why (P4h, P4p).
	HoldPatience string `yaml:"hold_patience"` // on hold: the clerk will be back, please be patient
	HoldOffer    string `yaml:"hold_offer"`    // a long hold: press 1 to be called back, or keep waiting
	CallerLeft   string `yaml:"caller_left"`   // to the clerk back from hold: the caller chose a callback
	Overflowing  string `yaml:"overflowing"`   // ringing moves on: connecting to another person (then ringing)
	KeyReminder  string `yaml:"key_reminder"`  // a ring cycle of silence after a menu: we are waiting for your choice

	// A busy clerk's caller (P4b).
	ClerkBusy   string `yaml:"clerk_busy"`   // the clerk is talking with another client
	BusyChoices string `yaml:"busy_choices"` // 2: a callback as soon as possible, 3: choose a time
	Slots       string `yaml:"slots"`        // free times: press the key of one (then each key and time)
	BusyWait    string `yaml:"busy_wait"`    // 1: wait in the department's line

	// Waiting in a department's line (P5.3, P4p).
	LinePosition string `yaml:"line_position"` // "your place in the line" (then the number)
	LineLeave    string `yaml:"line_leave"`    // to leave the line and be called back, press 2
	LineOffer    string `yaml:"line_offer"`    // a long wait: press 2 to be called back, or keep waiting
	LinePatience string `yaml:"line_patience"` // to a caller who cannot be called back: please be patient, the first free clerk takes the call

	// Transfers (P4o).
	Transferring  string `yaml:"transferring"`   // to the caller: being transferred, please hold
	TransferWait  string `yaml:"transfer_wait"`  // to the caller, at intervals: still connecting, please be patient
	WhisperFrom   string `yaml:"whisper_from"`   // to the target: "transferred by extension" (then its digits)
	WhisperCaller string `yaml:"whisper_caller"` // to the target: "the caller's number" (then its digits)
	WhisperNeeds  string `yaml:"whisper_needs"`  // to the target: the caller has special needs
	TransferBack  string `yaml:"transfer_back"`  // to the clerk rung back: nobody took the transfer; connecting you again

	// The voice menu of the main numbers (P3.2, P5.1, P5.3). Each choice
	// is said by its sound, then MenuPress and its key.
	MenuGreeting     string `yaml:"menu_greeting"`         // a short greeting before the choices
	MenuPress        string `yaml:"menu_press"`            // "please press" (then the key)
	MenuAppointment  string `yaml:"menu_appointment"`      // "to book a meeting with the Mayor or an employee,"
	MenuMatters      string `yaml:"menu_matters"`          // "to learn how a matter is handled,"
	MenuCase         string `yaml:"menu_case"`             // "with a question about your case,"
	MenuOperator     string `yaml:"menu_operator"`         // "to talk to the secretariat,"
	MenuAssistance   string `yaml:"menu_assistance"`       // "if you need assistance, at any moment,"
	MenuUnknown      string `yaml:"menu_unknown"`          // that key is no choice (then the choices again)
	MenuAssisted     string `yaml:"menu_assisted"`         // the caller asked for assistance: served first, connecting
	MattersIntro     string `yaml:"matters_intro"`         // "please choose the matter:" (then each matter and its key)
	AppointmentWho   string `yaml:"appointment_mayor"`     // "to meet the Mayor," (then press and the key)
	AppointmentExt   string `yaml:"appointment_extension"` // to meet an employee, key in their extension
	NoSuchExtension  string `yaml:"no_such_extension"`     // that extension is nobody's
	AppointmentTaken string `yaml:"appointment_taken"`     // nobody answered: the request is passed on, we call back to agree a date
	NobodyLeaveNote  string `yaml:"nobody_leave_note"`     // nobody can answer: press 1 to leave a few words and be called back

	// Appointment requests and meetings on the desk phone (P3.2 (1)).
	AppointmentRequest      string `yaml:"appointment_request"`       // read out before the task: a request for a meeting
	AppointmentMayorRequest string `yaml:"appointment_mayor_request"` // the same, with the Mayor
	MeetingPress5           string `yaml:"meeting_press_5"`           // after the call: 5 records the agreed meeting
	MeetingEnter            string `yaml:"meeting_enter"`             // key in the day of the month, hour and minutes
	MeetingAgreedFor        string `yaml:"meeting_agreed_for"`        // "the meeting is recorded for" (then the day, date and time)

	// Documents ready (P3.2 (3), P4e) and reminders: the clerk's feature
	// code, and the call to the citizen.
	NoticeEnterNumber string `yaml:"notice_enter_number"` // key in the citizen's number, then #
	NoticeBadNumber   string `yaml:"notice_bad_number"`   // that is no phone number
	NoticeEnterCase   string `yaml:"notice_enter_case"`   // key in the case number, then #
	NoticeFor         string `yaml:"notice_for"`          // "a notice to the number" (then its digits)
	NoticeCase        string `yaml:"notice_case"`         // "case number" (then its digits)
	NoticeConfirm     string `yaml:"notice_confirm"`      // 1 sends it, 2 starts again
	NoticeQueued      string `yaml:"notice_queued"`       // the notice goes out within office hours
	NoticeFailed      string `yaml:"notice_failed"`       // the notice could not be recorded; try again later
	NoticeIntro       string `yaml:"notice_intro"`        // to the citizen: the Town Hall about a matter, press 1 to hear it, 2 if not for you
	DocumentsReady    string `yaml:"documents_ready"`     // the documents are ready to collect (then the case number)
	DocumentsWhere    string `yaml:"documents_where"`     // where and when they can be collected (the default place)
	MeetingReminder   string `yaml:"meeting_reminder"`    // "a reminder of your meeting at the office:" (then when)
	NoticeMenu        string `yaml:"notice_menu"`         // 2 talks to the clerk now, 3 hears it again
	NoticeSorry       string `yaml:"notice_sorry"`        // the call was not for them: sorry, goodbye
}

// DefaultPrompts are the sounds used where the configuration names none:
// the office's own, under callcare/, built in Polish (the default) and
// English by `callcare prompts build` from prompts/texts.yaml. Asterisk has
// no Polish core sounds, so no default is a stock one; the office may
// replace any with a recording of the same name.
var DefaultPrompts = Prompts{
	UnknownNumber:   "callcare/unknown-number",
	NobodyAvailable: "callcare/nobody-available",
	Goodbye:         "callcare/goodbye",

	OfficeClosed:   "callcare/office-closed",
	Press1Callback: "callcare/press-1-callback",
	RecordNote:     "callcare/record-note",
	CallbackThanks: "callcare/callback-thanks",
	CallAgain:      "callcare/call-again",

	CallbacksNone:    "callcare/callbacks-none",
	CallbacksWaiting: "callcare/callbacks-waiting",
	CallbackMenu:     "callcare/callback-menu",
	CallbackFrom:     "callcare/callback-from",
	CallbackFor:      "callcare/callback-for",

	CallbackMissed:     "callcare/callback-missed",
	CallbackAbandoned:  "callcare/callback-abandoned",
	CallbackAfterHours: "callcare/callback-after-hours",
	CallbackRequested:  "callcare/callback-requested",
	CallbackLongHold:   "callcare/callback-long-hold",

	CallbackReceived: "callcare/callback-received",
	CallbackTries:    "callcare/tries",
	CallbackAgreed:   "callcare/agreed-callback",
	CallbackPress1:   "callcare/press-1-to-call",
	PleaseHold:       "callcare/please-hold",
	CallbackOutcome:  "callcare/callback-outcome",
	EnterTime:        "callcare/enter-time",
	AgreedFor:        "callcare/agreed-for",
	NotReached:       "callcare/not-reached",

	ForwardSet:        "callcare/forward-set",
	ForwardUntil:      "callcare/forward-until",
	ForwardOff:        "callcare/forward-off",
	ForwardFor:        "callcare/forward-for",
	ForwardRefused:    "callcare/forward-refused",
	ForwardNotAllowed: "callcare/forward-not-allowed",
	HoldPatience:      "callcare/hold-patience",
	HoldOffer:         "callcare/hold-offer",
	CallerLeft:        "callcare/caller-left",
	Overflowing:       "callcare/overflowing",
	KeyReminder:       "callcare/key-reminder",

	ClerkBusy:   "callcare/clerk-busy",
	BusyChoices: "callcare/busy-choices",
	Slots:       "callcare/slots",
	BusyWait:    "callcare/busy-wait",

	LinePosition: "callcare/line-position",
	LineLeave:    "callcare/line-leave",
	LineOffer:    "callcare/line-offer",
	LinePatience: "callcare/line-patience",

	Transferring:  "callcare/transferring",
	TransferWait:  "callcare/transfer-wait",
	WhisperFrom:   "callcare/whisper-from",
	WhisperCaller: "callcare/whisper-caller",
	WhisperNeeds:  "callcare/whisper-needs",
	TransferBack:  "callcare/transfer-back",

	MenuGreeting:     "callcare/menu-greeting",
	MenuPress:        "callcare/menu-press",
	MenuAppointment:  "callcare/menu-appointment",
	MenuMatters:      "callcare/menu-matters",
	MenuCase:         "callcare/menu-case",
	MenuOperator:     "callcare/menu-operator",
	MenuAssistance:   "callcare/menu-assistance",
	MenuUnknown:      "callcare/menu-unknown",
	MenuAssisted:     "callcare/menu-assisted",
	MattersIntro:     "callcare/matters-intro",
	AppointmentWho:   "callcare/appointment-mayor",
	AppointmentExt:   "callcare/appointment-extension",
	NoSuchExtension:  "callcare/no-such-extension",
	AppointmentTaken: "callcare/appointment-taken",
	NobodyLeaveNote:  "callcare/nobody-leave-note",

	AppointmentRequest:      "callcare/appointment-request",
	AppointmentMayorRequest: "callcare/appointment-mayor-request",
	MeetingPress5:           "callcare/meeting-press-5",
	MeetingEnter:            "callcare/meeting-enter",
	MeetingAgreedFor:        "callcare/meeting-agreed-for",

	NoticeEnterNumber: "callcare/notice-enter-number",
	NoticeBadNumber:   "callcare/notice-bad-number",
	NoticeEnterCase:   "callcare/notice-enter-case",
	NoticeFor:         "callcare/notice-for",
	NoticeCase:        "callcare/notice-case",
	NoticeConfirm:     "callcare/notice-confirm",
	NoticeQueued:      "callcare/notice-queued",
	NoticeFailed:      "callcare/notice-failed",
	NoticeIntro:       "callcare/notice-intro",
	DocumentsReady:    "callcare/documents-ready",
	DocumentsWhere:    "callcare/documents-where",
	MeetingReminder:   "callcare/meeting-reminder",
	NoticeMenu:        "callcare/notice-menu",
	NoticeSorry:       "callcare/notice-sorry",
}

// Each calls f with the configuration key and the sound of every prompt,
// in the order they are declared.
func (p Prompts) Each(f func(key, sound string)) {
	v := reflect.ValueOf(p)
	t := v.Type()
	for i := range t.NumField() {
		f(t.Field(i).Tag.Get("yaml"), v.Field(i).String())
	}
}

// WithDefaults fills every prompt left empty from DefaultPrompts.
func (p Prompts) WithDefaults() Prompts {
	v := reflect.ValueOf(&p).Elem()
	d := reflect.ValueOf(DefaultPrompts)
	for i := range v.NumField() {
		if v.Field(i).String() == "" {
			v.Field(i).SetString(d.Field(i).String())
		}
	}
	return p
}
