package report

import "fmt"

// Texts are every word the report shows, in one language. The template
// holds none: it shows these, by name. A field ending in "F" is a format
// (fmt) with the verbs its comment names.
type Texts struct {
	Lang       string // the HTML lang attribute
	DateLayout string // time.Format layout of a day
	TimeLayout string // of a moment
	Decimal    string // the decimal separator
	Thousands  string // the thousands separator
	Hour       string // unit words of durations
	Minute     string
	Second     string
	NoData     string // a figure the call record does not hold yet
	NoDataNote string // why
	None       string // a share of nothing

	Title           string
	PeriodF         string // %s the first day, %s the last
	MadeF           string // %s when
	ArchivedF       string // %s the days read from the archive
	Summary         string
	Rule            string // "rule" before a rule id, for screen readers
	AnsweredF       string // %d the ring limit
	AnsweredOfF     string // %s answered in the rings, %s due
	NotAnswered     string
	NotAnsweredF    string // %s missed, %s abandoned, %s callbacks asked of a busy clerk, %s after hours
	CalledBack      string
	CalledBackF     string // %s the mean, %s the longest
	CalledBackOpenF string // %s overdue, %s pending
	AgreedOnTime    string
	AgreedOfF       string // %s on time, %s counted, %s mean lateness
	HungUpFirst     string
	HungUpOfF       string // %s of %s answered calls
	SpecialFirst    string
	SpecialCol      string
	OthersCol       string
	MeanWait        string
	InRingsF        string // %d the ring limit
	MeanCallback    string
	LongestHold     string
	LongestLine     string
	CameBack        string
	CameBackOfF     string // %s came back, %s transfers

	CallsByDay        string
	CallsByDayDesc    string
	InRingsLegendF    string // %d the ring limit
	LaterLegend       string
	NotAnsLegend      string
	RingChart         string
	RingChartDesc     string
	RingF             string // %d the ring
	RingLaterF        string // %d the ring limit: rings past it
	ClerkChartF       string // %d the ring limit
	ClerkChartDesc    string
	CallbackChart     string
	CallbackChartDesc string
	UpToF             string // %s a bound
	BetweenF          string // %s, %s the bounds
	OverF             string // %s the last bound

	Departments  string
	DepAnswering string
	DepCallbacks string
	DepWaiting   string // the departments' callers: holds, waits in line, transfers
	ClerkWaiting string // the clerks' holds and transfers
	Holds        string // how many holds
	LineWaits    string // how many waits in line
	Department   string
	Clerks       string
	Clerk        string
	Calls        string
	Answered     string
	Missed       string
	Abandoned    string
	AfterHours   string
	Rung         string
	RungAnswered string
	RungNotAnsF  string // %d the ring limit
	RungBusy     string
	Callbacks    string
	OnTime       string
	Late         string
	Overdue      string
	Pending      string
	GaveUp       string
	Agreed       string
	LongestWait  string
	MeanTime     string
	LongestTime  string
	NotListed    string
	Comparison   string
	Measure      string
	DaysTable    string
	Day          string
	Source       string
	FromRecords  string
	FromArchive  string
	HowCounted   string
	Definitions  []string // one paragraph each; %d the ring limit where it says so
	Footer       string
}

// TextsFor gives the texts of lang: "pl" (the default) or "en".
func TextsFor(lang string) (Texts, error) {
	switch lang {
	case "", "pl":
		return textsPL, nil
	case "en":
		return textsEN, nil
	}
	return Texts{}, fmt.Errorf("report: no texts in %q; pl or en", lang)
}
