package config

import (
	"time"

	"github.com/callcare/callcare"
)

// File is callcare.yaml as written, key by key: the one description of the
// file. The decoder walks these types (a field's yaml tag is its key,
// jsonschema:"required" marks a key the file must have, any other key is
// unknown), DefaultFile fills what the file leaves out, and validation turns
// a File into a Config. A JSON Schema can be reflected from it
// (invopop/jsonschema with FieldNameTag "yaml" and
// RequiredFromJSONSchemaTags; Duration, Date, Day and When are the types
// that need a JSONSchema method). A new section is one field here, its type, and
// its validation.
//
// Scalars: a string field takes text (a plain whole number such as 101 is
// taken as written), an int a whole number, a bool true or false; Duration,
// Date, Day and When are described at their types. A key written with no value
// ("key:") is as good as absent, unless it is required.
type File struct {
	Asterisk     FileAsterisk     `yaml:"asterisk" jsonschema:"required"`
	Database     string           `yaml:"database" jsonschema:"required"`        // path of the SQLite database
	TimeZone     string           `yaml:"timezone"`                              // IANA name, such as Europe/Warsaw
	Language     string           `yaml:"language" jsonschema:"enum=pl,enum=en"` // pl or en: how numbers and times are said
	Procedure    FileProcedure    `yaml:"procedure"`
	OfficeHours  FileOfficeHours  `yaml:"office_hours"`
	Callbacks    FileCallbacks    `yaml:"callbacks"`
	Retention    FileRetention    `yaml:"retention"` // how long personal data is kept (GDPR)
	Metrics      FileMetrics      `yaml:"metrics"`   // where Prometheus reads the service
	SpecialNeeds FileSpecialNeeds `yaml:"special_needs"`
	Waiting      FileWaiting      `yaml:"waiting"`
	Sounds       callcare.Prompts `yaml:"sounds"` // one key per prompt, the yaml tags of callcare.Prompts
	Departments  []FileDepartment `yaml:"departments" jsonschema:"required"`
	Clerks       []FileClerk      `yaml:"clerks" jsonschema:"required"`
	// Secretariat is the department number that answers when the service
	// is down, and whose clerks may change others' forwards; the first
	// department when left out.
	Secretariat string         `yaml:"secretariat" jsonschema:"oneof_type=string;integer"`
	Absences    []FileAbsence  `yaml:"absences"`
	Forwarding  FileForwarding `yaml:"forwarding"`
	// The phone matters of P3.2 (menu.go).
	Menu         FileMenu         `yaml:"menu"`
	Matters      []FileMatter     `yaml:"matters"`
	Appointments FileAppointments `yaml:"appointments"`
	Notices      FileNotices      `yaml:"notices"`
}

// FileAsterisk is the asterisk: section. The password itself is refused
// here (see refused); it comes from PasswordEnv or PasswordFile.
type FileAsterisk struct {
	ARIURL            string   `yaml:"ari_url" jsonschema:"required"`
	WebsocketURL      string   `yaml:"websocket_url"` // "" or left out: derived from ari_url
	User              string   `yaml:"user" jsonschema:"required"`
	PasswordEnv       string   `yaml:"password_env"`
	PasswordFile      string   `yaml:"password_file"`
	App               string   `yaml:"app"`
	RequestTimeout    Duration `yaml:"request_timeout"`
	MaxConnections    int      `yaml:"max_connections"`
	MaxCalls          int      `yaml:"max_calls"`
	MaxLatency        Duration `yaml:"max_latency"`
	MaxCallsPerSecond int      `yaml:"max_calls_per_second" jsonschema:"minimum=0"`
	MaxHostCPU        int      `yaml:"max_host_cpu" jsonschema:"minimum=0,maximum=100"`
	AGIListen         string   `yaml:"agi_listen"`
}

// refused tells why a known key must not be written, or "".
func (FileAsterisk) refused(key string) string {
	if key == "password" {
		return "the password must not be written in this file: " +
			"set the environment variable named by password_env (default " + DefaultPasswordEnv + ") or name a password_file"
	}
	return ""
}

// FileProcedure is the procedure: section (P4a).
type FileProcedure struct {
	AnswerWithinRings int      `yaml:"answer_within_rings"`
	RingCycle         Duration `yaml:"ring_cycle"`
}

// FileOfficeHours is the office_hours: section. Left out, the office keeps
// callcare.DefaultOfficeHours; written, a day left out is closed.
type FileOfficeHours struct {
	Monday         Day    `yaml:"monday"`
	Tuesday        Day    `yaml:"tuesday"`
	Wednesday      Day    `yaml:"wednesday"`
	Thursday       Day    `yaml:"thursday"`
	Friday         Day    `yaml:"friday"`
	Saturday       Day    `yaml:"saturday"`
	Sunday         Day    `yaml:"sunday"`
	PolishHolidays bool   `yaml:"polish_holidays"`
	Closed         []Date `yaml:"closed"` // extra days off
}

// FileCallbacks is the callbacks: section; see Callbacks for each key.
type FileCallbacks struct {
	Promise             Duration `yaml:"promise"`
	SpecialNeedsPromise Duration `yaml:"special_needs_promise"`
	Retry               []string `yaml:"retry"` // durations, or RetryNextDay
	MaxAttempts         int      `yaml:"max_attempts"`
	CallerID            string   `yaml:"caller_id"`
	Dial                string   `yaml:"dial"`
	FeatureCode         string   `yaml:"feature_code"`
	KeyTimeout          Duration `yaml:"key_timeout"`
	ClaimFor            Duration `yaml:"claim_for"`
	NoteMax             Duration `yaml:"note_max"`
	NoteRetention       Duration `yaml:"note_retention"`
	EscalateTo          string   `yaml:"escalate_to" jsonschema:"enum=head,enum=report"`
	SchedulerTick       Duration `yaml:"scheduler_tick"`
}

// NumberList is a list of phone numbers or extensions, each written bare
// (100) or quoted ("100"): the loader reads both, and so does the schema.
type NumberList []string

// FileSpecialNeeds is the special_needs: section (P5.3).
type FileSpecialNeeds struct {
	Numbers NumberList `yaml:"numbers"`
	Lines   []FileLine `yaml:"lines"`
}

// FileWaiting is the waiting: section (P4h, P4p); see callcare.Waiting.
type FileWaiting struct {
	AnnounceEvery  Duration `yaml:"announce_every"`
	HoldOfferAfter Duration `yaml:"hold_offer_after"`
	MusicClass     string   `yaml:"music_class"`
	LineMaxWait    Duration `yaml:"line_max_wait"`
	SlotLength     Duration `yaml:"slot_length"`
	TransferPrefix string   `yaml:"transfer_prefix"`
	DisplayLength  int      `yaml:"display_length"`
}

// FileMenu is the menu: section (P3.2, P5.1, P5.3). Without numbers there
// is no menu.
type FileMenu struct {
	Numbers       NumberList       `yaml:"numbers"`                                             // dialed numbers answered by the menu
	KeyTimeout    Duration         `yaml:"key_timeout"`                                         // P5.1: long
	OperatorKey   string           `yaml:"operator_key" jsonschema:"oneof_type=string;integer"` // a person at once, as silence
	Operator      string           `yaml:"operator" jsonschema:"oneof_type=string;integer"`     // a clerk id or a department number; default the secretariat
	AssistanceKey string           `yaml:"assistance_key"`                                      // "I need assistance" (P5.3); "off" for none
	Tries         int              `yaml:"tries"`                                               // keys that chose nothing before a person takes over
	Greeting      string           `yaml:"greeting"`                                            // the sound before the choices; default sounds.menu_greeting
	Choices       []FileMenuChoice `yaml:"choices"`                                             // default: 1 appointment, 2 matters (if any), 3 the operator
}

// FileMenuChoice is one of menu.choices.
type FileMenuChoice struct {
	Key    string `yaml:"key" jsonschema:"required,oneof_type=string;integer"`
	Do     string `yaml:"do" jsonschema:"required,enum=appointment,enum=matters,enum=ring"`
	Target string `yaml:"target" jsonschema:"oneof_type=string;integer"` // ring: a clerk id or a department number
	Sound  string `yaml:"sound"`                                         // what names it in the list; default by what it does
}

// FileMatter is one of matters: (P3.2 (2)).
type FileMatter struct {
	Name        string `yaml:"name" jsonschema:"required"`
	Key         string `yaml:"key" jsonschema:"required,oneof_type=string;integer"`
	Department  string `yaml:"department" jsonschema:"required,oneof_type=string;integer"`
	Sound       string `yaml:"sound"`       // its name in the list; default callcare/matter-<key>, spoken from name by prompts build
	Description string `yaml:"description"` // the office's recording of how it is handled
}

// FileAppointments is the appointments: section (P3.2 (1)).
type FileAppointments struct {
	MayorKey         string `yaml:"mayor_key" jsonschema:"oneof_type=string;integer"`
	Mayor            string `yaml:"mayor" jsonschema:"oneof_type=string;integer"` // the department that books the Mayor's meetings; default the secretariat
	RemindDaysBefore int    `yaml:"remind_days_before"`
}

// FileNotices is the notices: section (P3.2 (3), P4e).
type FileNotices struct {
	FeatureCode string      `yaml:"feature_code"` // the desk phone's documents-ready code
	MaxAttempts int         `yaml:"max_attempts"`
	AtOnce      int         `yaml:"at_once"`
	Places      []FilePlace `yaml:"places"`
}

// FilePlace is one of notices.places: a named place where documents are
// collected, and the sound that says where and when.
type FilePlace struct {
	Name  string `yaml:"name" jsonschema:"required"`
	Sound string `yaml:"sound" jsonschema:"required"`
}

// FileLine is one of special_needs.lines.
type FileLine struct {
	Number string `yaml:"number" jsonschema:"required,oneof_type=string;integer"`
	Target string `yaml:"target" jsonschema:"required,oneof_type=string;integer"` // a clerk id or a department number
}

// FileDepartment is one of departments.
type FileDepartment struct {
	Number   string   `yaml:"number" jsonschema:"required,oneof_type=string;integer"`
	Name     string   `yaml:"name" jsonschema:"required"`
	Members  []string `yaml:"members"` // clerk ids
	Ring     string   `yaml:"ring" jsonschema:"enum=together,enum=in_order"`
	Overflow string   `yaml:"overflow" jsonschema:"oneof_type=string;integer"`
	Head     string   `yaml:"head"`
	Music    string   `yaml:"music_class"` // music on hold of its callers; "" for waiting.music_class
	WhenBusy string   `yaml:"when_busy"`   // overflow or offer (P4b)
}

// FileClerk is one of clerks.
type FileClerk struct {
	ID         string `yaml:"id" jsonschema:"required"`
	Name       string `yaml:"name" jsonschema:"required"`
	Surname    string `yaml:"surname" jsonschema:"required"`
	Position   string `yaml:"position" jsonschema:"required"`
	Department string `yaml:"department" jsonschema:"required,oneof_type=string;integer"`
	Extension  string `yaml:"extension" jsonschema:"required,oneof_type=string;integer"`
	Endpoint   string `yaml:"endpoint" jsonschema:"required"`
	Overflow   string `yaml:"overflow" jsonschema:"oneof_type=string;integer"`
	Substitute string `yaml:"substitute" jsonschema:"oneof_type=string;integer"`
}

// Duration is written as text with its unit, as time.ParseDuration reads
// it: 5s, 1500ms, 2h. A bare number is refused: 5 could mean anything.
type Duration time.Duration

func (d Duration) String() string { return time.Duration(d).String() }

// Date is a day written YYYY-MM-DD, quoted or not; it holds midnight UTC.
type Date time.Time

// Day is one day of office_hours as written: one text ("07:30-15:30" or
// "closed"), or a list of spans. Validation reads the spans.
type Day struct {
	Spans []string
	List  bool // written as a list, perhaps an empty one
}

// DefaultFile is what a file that leaves every optional key out means: the
// defaults of every setting, defined once, here and in the root package's
// defaults it uses.
func DefaultFile() File {
	cb := DefaultCallbacks()
	retry := make([]string, len(cb.Retry))
	for i, r := range cb.Retry {
		retry[i] = r.String()
	}
	return File{
		Asterisk: FileAsterisk{
			PasswordEnv:       DefaultPasswordEnv,
			App:               DefaultApp,
			RequestTimeout:    Duration(DefaultRequestTimeout),
			MaxConnections:    DefaultMaxConnections,
			MaxCalls:          DefaultMaxCalls,
			MaxLatency:        Duration(DefaultMaxLatency),
			MaxHostCPU:        DefaultMaxHostCPU,
			MaxCallsPerSecond: DefaultMaxCallsPerSecond,
			AGIListen:         DefaultAGIListen,
		},
		TimeZone: DefaultTimeZone,
		Language: DefaultLanguage,
		Procedure: FileProcedure{
			AnswerWithinRings: callcare.DefaultProcedure.AnswerWithinRings,
			RingCycle:         Duration(callcare.DefaultProcedure.RingCycle),
		},
		OfficeHours: FileOfficeHours{PolishHolidays: true},
		Callbacks: FileCallbacks{
			Promise:             Duration(cb.Promise),
			SpecialNeedsPromise: Duration(cb.SpecialNeedsPromise),
			Retry:               retry,
			MaxAttempts:         cb.MaxAttempts,
			CallerID:            cb.CallerID,
			Dial:                cb.Dial,
			FeatureCode:         cb.FeatureCode,
			KeyTimeout:          Duration(cb.KeyTimeout),
			ClaimFor:            Duration(cb.ClaimFor),
			NoteMax:             Duration(cb.NoteMax),
			NoteRetention:       Duration(cb.NoteRetention),
			EscalateTo:          cb.EscalateTo,
			SchedulerTick:       Duration(cb.SchedulerTick),
		},
		Retention: defaultFileRetention(),

		Sounds: callcare.DefaultPrompts,
		Menu: FileMenu{KeyTimeout: Duration(cb.KeyTimeout), OperatorKey: DefaultOperatorKey,
			AssistanceKey: DefaultAssistanceKey, Tries: DefaultMenuTries},
		Appointments: FileAppointments{MayorKey: DefaultMayorKey, RemindDaysBefore: DefaultRemindDaysBefore},
		Notices:      FileNotices{FeatureCode: DefaultNoticeCode, MaxAttempts: cb.MaxAttempts, AtOnce: DefaultNoticesAtOnce},
		Forwarding:   FileForwarding{SetCode: DefaultSetCode, ClearCode: DefaultClearCode, MaxDays: DefaultMaxDays},
		Waiting: FileWaiting{
			AnnounceEvery:  Duration(callcare.DefaultWaiting.AnnounceEvery),
			HoldOfferAfter: Duration(callcare.DefaultWaiting.HoldOfferAfter),
			MusicClass:     callcare.DefaultWaiting.MusicClass,
			LineMaxWait:    Duration(callcare.DefaultWaiting.LineMaxWait),
			SlotLength:     Duration(callcare.DefaultWaiting.SlotLength),
			TransferPrefix: callcare.DefaultWaiting.TransferPrefix,
			DisplayLength:  callcare.DefaultWaiting.DisplayLength,
		},
	}
}
