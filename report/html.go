package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"
	"time"
)

//go:embed report.html
var pageHTML string

var pageTemplate = template.Must(template.New("report").Parse(pageHTML))

// page is what the template shows: every word and figure already written
// in the report's language. The template only lays them out.
type page struct {
	T             Texts
	Period        string
	Made          string
	Archived      string
	Cards         []card
	Comparison    table
	DaysChart     chart
	RingChart     chart
	ClerkChart    chart
	CallbackChart chart
	Tables        []table
	NoData        bool // some figure has no data yet: say why
	Definitions   []string
}

// card is one key figure of the summary.
type card struct {
	Rule    string // the procedure's rule id
	Title   string
	Value   string
	Figure  string // the data-figure name of the value, for tests and scripts
	Details []string
	NoData  bool
}

type table struct {
	ID, Caption string
	Head        []string
	Rows        [][]cell
}

type cell struct {
	Text   string
	Figure string // data-figure name
	Row    bool   // the row's header
	Left   bool   // text, not a number
	Note   string // shown smaller after the text
}

// HTML writes the report as one HTML page in lang ("pl" or "en"): a
// one-page summary, charts as inline SVG, the tables by department, clerk
// and day, and how each figure is counted. It loads nothing from anywhere,
// and prints on A4.
func (r *Report) HTML(w io.Writer, lang string) error {
	t, err := TextsFor(lang)
	if err != nil {
		return err
	}
	if err := pageTemplate.Execute(w, r.page(t)); err != nil {
		return fmt.Errorf("report: write HTML: %w", err)
	}
	return nil
}

func (r *Report) page(t Texts) page {
	f := format{t}
	o := r.Office
	p := page{
		T:      t,
		Period: fmt.Sprintf(t.PeriodF, f.day(r.From), f.day(r.To)),
		Made:   fmt.Sprintf(t.MadeF, r.Made.Format(t.TimeLayout)),
		NoData: o.HoldCalls == 0 || o.LineCalls == 0 || o.TransferCalls == 0,
	}
	if len(r.Archived) > 0 {
		days := make([]string, len(r.Archived))
		for i, d := range r.Archived {
			days[i] = f.day(d)
		}
		p.Archived = fmt.Sprintf(t.ArchivedF, spans(r.Archived, days))
	}
	limit := r.RingLimit
	p.Cards = []card{
		{Rule: "P4a", Title: fmt.Sprintf(t.AnsweredF, limit), Value: f.pct(o.P4a()), Figure: "office.p4a",
			Details: []string{fmt.Sprintf(t.AnsweredOfF, f.num(o.InRings), f.num(o.Due))}},
		{Rule: "P4c", Title: t.NotAnswered, Value: f.num(o.NotAnswered()), Figure: "office.not_answered",
			Details: []string{fmt.Sprintf(t.NotAnsweredF, f.num(o.Missed), f.num(o.Abandoned), f.num(o.CallbackAsked), f.num(o.AfterHours))}},
		{Rule: "P4c", Title: t.CalledBack, Value: f.pct(o.P4c()), Figure: "office.p4c",
			Details: when(o.Callbacks > 0, fmt.Sprintf(t.CalledBackF, f.mean(o.CallbackTime), f.longest(o.CallbackTime)),
				fmt.Sprintf(t.CalledBackOpenF, f.num(o.CallbackOverdue), f.num(o.CallbackPending)))},
		{Rule: "P4m", Title: t.AgreedOnTime, Value: f.pct(o.P4m()), Figure: "office.p4m",
			Details: when(o.Agreed > 0, fmt.Sprintf(t.AgreedOfF, f.num(o.AgreedOnTime), f.num(o.P4m().Den), f.mean(o.AgreedLateness)))},
		{Rule: "P4l", Title: t.HungUpFirst, Value: f.num(o.ClerkHungUp), Figure: "office.p4l",
			Details: []string{fmt.Sprintf(t.HungUpOfF, f.num(o.ClerkHungUp), f.num(o.Answered)) + " (" + f.pct(o.P4l()) + ")"}},
		laterCard("P4h", t.LongestHold, "office.hold", o.HoldCalls, o.Hold, f),
		laterCard("P4p", t.LongestLine, "office.line", o.LineCalls, o.Line, f),
		transferCard(o, f),
	}
	p.Comparison = r.comparison(f)
	p.DaysChart = r.daysChart(f)
	p.RingChart = r.ringChart(f)
	p.ClerkChart = r.clerkChart(f)
	p.CallbackChart = r.callbackChart(f)
	p.Tables = []table{r.depAnswering(f), r.depCallbacks(f)}
	p.Tables = append(p.Tables, r.withoutUnknown(r.depWaiting(f), f)...)
	p.Tables = append(p.Tables, r.clerkTable(f))
	p.Tables = append(p.Tables, r.withoutUnknown(r.clerkWaiting(f), f)...)
	p.Tables = append(p.Tables, r.daysTable(f))
	rep := strings.NewReplacer("{rings}", strconv.Itoa(limit), "{grace}", f.dur(AgreedGrace))
	for _, d := range t.Definitions {
		p.Definitions = append(p.Definitions, rep.Replace(d))
	}
	return p
}

// when gives lines if ok, else none.
func when(ok bool, lines ...string) []string {
	if !ok {
		return nil
	}
	return lines
}

// spans writes consecutive days as one span: 01.11.2026–05.11.2026, 09.11.2026.
func spans(days, shown []string) string {
	var parts []string
	for i := 0; i < len(days); {
		j := i
		for j+1 < len(days) && next(days[j]) == days[j+1] {
			j++
		}
		if j > i {
			parts = append(parts, shown[i]+"–"+shown[j])
		} else {
			parts = append(parts, shown[i])
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

func next(day string) string {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return ""
	}
	return d.AddDate(0, 0, 1).Format(time.DateOnly)
}

func laterCard(rule, title, figure string, calls int64, d Durations, f format) card {
	c := card{Rule: rule, Title: title, Figure: figure}
	switch {
	case calls == 0:
		c.Value, c.NoData = f.t.NoData, true
	default:
		c.Value = f.longest(d)
		if d.N == 0 {
			c.Value = f.num(0)
		}
	}
	return c
}

func transferCard(o Figures, f format) card {
	c := card{Rule: "P4o", Title: f.t.CameBack, Figure: "office.transfers_back"}
	if o.TransferCalls == 0 {
		c.Value, c.NoData = f.t.NoData, true
		return c
	}
	c.Value = f.num(o.TransfersBack)
	c.Details = []string{fmt.Sprintf(f.t.CameBackOfF, f.num(o.TransfersBack), f.num(o.Transfers))}
	return c
}

// later writes a figure the record may not hold yet (later.go): its
// longest, or "no data yet" while no call of the period could say.
func later(known int64, d Durations, f format) string {
	if known == 0 {
		return f.t.NoData
	}
	return f.longest(d)
}

func laterCount(known, n, of int64, f format) string {
	if known == 0 {
		return f.t.NoData
	}
	return f.num(n) + " / " + f.num(of)
}

func (r *Report) comparison(f format) table {
	t := f.t
	s, o := r.Special, r.Others
	row := func(name, fig string, a, b string) []cell {
		return []cell{{Text: name, Row: true}, {Text: a, Figure: "special." + fig}, {Text: b, Figure: "others." + fig}}
	}
	return table{ID: "special", Caption: t.SpecialFirst, Head: []string{t.Measure, t.SpecialCol, t.OthersCol}, Rows: [][]cell{
		row(t.Calls, "calls", f.num(s.Calls), f.num(o.Calls)),
		row(t.MeanWait, "answer_wait", f.mean(s.AnswerWait), f.mean(o.AnswerWait)),
		row(t.LongestWait, "answer_wait_max", f.longest(s.AnswerWait), f.longest(o.AnswerWait)),
		row(fmt.Sprintf(t.InRingsF, r.RingLimit), "p4a", f.pct(s.P4a()), f.pct(o.P4a())),
		row(t.MeanCallback, "callback_time", f.mean(s.CallbackTime), f.mean(o.CallbackTime)),
		row(t.CalledBack, "p4c", f.pct(s.P4c()), f.pct(o.P4c())),
		row(t.LongestLine, "line", later(r.Office.LineCalls, s.Line, f), later(r.Office.LineCalls, o.Line, f)),
	}}
}

func (r *Report) depAnswering(f format) table {
	t := f.t
	tb := table{ID: "departments-answering", Caption: t.DepAnswering, Head: []string{t.Department, t.Calls, t.Answered,
		fmt.Sprintf(t.InRingsF, r.RingLimit), t.Missed, t.Abandoned, t.AfterHours, t.HungUpFirst}}
	for _, d := range r.Departments {
		g, id := d.Figures, "department."+d.Key+"."
		tb.Rows = append(tb.Rows, []cell{
			nameCell(d, f),
			{Text: f.num(g.Calls), Figure: id + "calls"},
			{Text: f.num(g.Answered), Figure: id + "answered"},
			{Text: f.pct(g.P4a()), Figure: id + "p4a", Note: ratioNote(g.P4a(), f)},
			{Text: f.num(g.Missed), Figure: id + "missed"},
			{Text: f.num(g.Abandoned), Figure: id + "abandoned"},
			{Text: f.num(g.AfterHours), Figure: id + "after_hours"},
			{Text: f.num(g.ClerkHungUp), Figure: id + "p4l"},
		})
	}
	return tb
}

// depWaiting is how the departments' callers waited (P4h, P4p, P4o): a
// table of its own, so that every table fits an A4 page's width.
func (r *Report) depWaiting(f format) table {
	t := f.t
	tb := table{ID: "departments-waiting", Caption: t.DepWaiting, Head: []string{t.Department, t.Holds, t.LongestHold,
		t.LineWaits, t.LongestLine, t.CameBack}}
	for _, d := range r.Departments {
		g, id := d.Figures, "department."+d.Key+"."
		tb.Rows = append(tb.Rows, []cell{
			nameCell(d, f),
			{Text: f.num(g.Hold.N), Figure: id + "holds"},
			{Text: later(r.Office.HoldCalls, g.Hold, f), Figure: id + "hold"},
			{Text: f.num(g.Line.N), Figure: id + "line_waits"},
			{Text: later(r.Office.LineCalls, g.Line, f), Figure: id + "line"},
			{Text: laterCount(r.Office.TransferCalls, g.TransfersBack, g.Transfers, f), Figure: id + "transfers_back"},
		})
	}
	return tb
}

func (r *Report) depCallbacks(f format) table {
	t := f.t
	tb := table{ID: "departments-callbacks", Caption: t.DepCallbacks, Head: []string{t.Department, t.Callbacks, t.OnTime,
		t.Late, t.Overdue, t.Pending, t.MeanTime, t.LongestTime, t.Agreed, t.AgreedOnTime}}
	for _, d := range r.Departments {
		g, id := d.Figures, "department."+d.Key+"."
		tb.Rows = append(tb.Rows, []cell{
			nameCell(d, f),
			{Text: f.num(g.Callbacks), Figure: id + "callbacks"},
			{Text: f.pct(g.P4c()), Figure: id + "p4c", Note: ratioNote(g.P4c(), f)},
			{Text: f.num(g.CallbackLate), Figure: id + "callbacks_late"},
			{Text: f.num(g.CallbackOverdue), Figure: id + "callbacks_overdue"},
			{Text: f.num(g.CallbackPending), Figure: id + "callbacks_pending"},
			{Text: f.mean(g.CallbackTime), Figure: id + "callback_time"},
			{Text: f.longest(g.CallbackTime), Figure: id + "callback_time_max"},
			{Text: f.num(g.Agreed), Figure: id + "agreed"},
			{Text: f.pct(g.P4m()), Figure: id + "p4m", Note: ratioNote(g.P4m(), f)},
		})
	}
	return tb
}

func (r *Report) clerkTable(f format) table {
	t := f.t
	tb := table{ID: "clerks", Caption: t.Clerks, Head: []string{t.Clerk, t.Rung, t.RungAnswered,
		fmt.Sprintf(t.InRingsF, r.RingLimit), fmt.Sprintf(t.RungNotAnsF, r.RingLimit), t.RungBusy,
		t.HungUpFirst, t.Callbacks, t.CalledBack, t.AgreedOnTime}}
	for _, c := range r.Clerks {
		g, id := c.Figures, "clerk."+c.Key+"."
		name := nameCell(c, f)
		if c.Listed {
			name.Note = r.departmentName(c.Department)
		}
		tb.Rows = append(tb.Rows, []cell{
			name,
			{Text: f.num(g.Rung), Figure: id + "rung"},
			{Text: f.num(g.RungAnswered), Figure: id + "answered"},
			{Text: f.pct(g.P4aPhone()), Figure: id + "p4a", Note: ratioNote(g.P4aPhone(), f)},
			{Text: f.num(g.RungNotAnswered), Figure: id + "not_answered"},
			{Text: f.num(g.RungBusy) + " / " + f.num(g.RungUnreachable), Figure: id + "busy"},
			{Text: f.num(g.ClerkHungUp), Figure: id + "p4l"},
			{Text: f.num(g.Callbacks), Figure: id + "callbacks"},
			{Text: f.pct(g.P4c()), Figure: id + "p4c", Note: ratioNote(g.P4c(), f)},
			{Text: f.pct(g.P4m()), Figure: id + "p4m", Note: ratioNote(g.P4m(), f)},
		})
	}
	return tb
}

// clerkWaiting is each clerk's holds and transfers (P4h, P4o).
func (r *Report) clerkWaiting(f format) table {
	t := f.t
	tb := table{ID: "clerks-waiting", Caption: t.ClerkWaiting, Head: []string{t.Clerk, t.Holds, t.LongestHold, t.CameBack}}
	for _, c := range r.Clerks {
		g, id := c.Figures, "clerk."+c.Key+"."
		tb.Rows = append(tb.Rows, []cell{
			nameCell(c, f),
			{Text: f.num(g.Hold.N), Figure: id + "holds"},
			{Text: later(r.Office.HoldCalls, g.Hold, f), Figure: id + "hold"},
			{Text: laterCount(r.Office.TransferCalls, g.TransfersBack, g.Transfers, f), Figure: id + "transfers_back"},
		})
	}
	return tb
}

func (r *Report) daysTable(f format) table {
	t := f.t
	tb := table{ID: "days", Caption: t.DaysTable, Head: []string{t.Day, t.Calls, fmt.Sprintf(t.InRingsF, r.RingLimit),
		t.NotAnswered, t.AfterHours, t.CalledBack, t.Source}}
	archived := map[string]bool{}
	for _, d := range r.Archived {
		archived[d] = true
	}
	for _, d := range r.Days {
		g, id := d.Figures, "day."+d.Day+"."
		src := t.FromRecords
		if archived[d.Day] {
			src = t.FromArchive
		}
		tb.Rows = append(tb.Rows, []cell{
			{Text: f.day(d.Day), Row: true},
			{Text: f.num(g.Calls), Figure: id + "calls"},
			{Text: f.pct(g.P4a()), Figure: id + "p4a", Note: ratioNote(g.P4a(), f)},
			{Text: f.num(g.NotAnswered()), Figure: id + "not_answered"},
			{Text: f.num(g.AfterHours), Figure: id + "after_hours"},
			{Text: f.pct(g.P4c()), Figure: id + "p4c", Note: ratioNote(g.P4c(), f)},
			{Text: src, Figure: id + "source", Left: true},
		})
	}
	return tb
}

// withoutUnknown drops the columns of figures no call of the period could
// say (later.go), and the table when only its names are left: the summary
// says "no data yet" once, the tables need not say it on every row.
func (r *Report) withoutUnknown(tb table, f format) []table {
	unknown := map[string]bool{
		f.t.Holds:       r.Office.HoldCalls == 0,
		f.t.LongestHold: r.Office.HoldCalls == 0,
		f.t.LineWaits:   r.Office.LineCalls == 0,
		f.t.LongestLine: r.Office.LineCalls == 0,
		f.t.CameBack:    r.Office.TransferCalls == 0,
	}
	keep := func(cells []cell, head []string) []cell {
		var out []cell
		for i, c := range cells {
			if !unknown[head[i]] {
				out = append(out, c)
			}
		}
		return out
	}
	var head []string
	for _, h := range tb.Head {
		if !unknown[h] {
			head = append(head, h)
		}
	}
	rows := make([][]cell, len(tb.Rows))
	for i, row := range tb.Rows {
		rows[i] = keep(row, tb.Head)
	}
	if len(head) < 2 {
		return nil
	}
	tb.Head, tb.Rows = head, rows
	return []table{tb}
}

func nameCell(r Row, f format) cell {
	c := cell{Text: r.Name, Row: true}
	if !r.Listed {
		c.Note = f.t.NotListed
	}
	return c
}

func ratioNote(r Ratio, f format) string {
	if !r.Known() {
		return ""
	}
	return f.num(r.Num) + "/" + f.num(r.Den)
}

func (r *Report) departmentName(number string) string {
	for _, d := range r.Departments {
		if d.Key == number {
			return d.Name
		}
	}
	return number
}

func (r *Report) daysChart(f format) chart {
	t := f.t
	var labels []string
	var stacks [][]segment
	for _, d := range r.Days {
		day, _ := time.Parse(time.DateOnly, d.Day)
		labels = append(labels, strconv.Itoa(day.Day()))
		g := d.Figures
		shown := f.day(d.Day)
		stacks = append(stacks, []segment{
			{g.InRings, "ok", shown + ": " + fmt.Sprintf(t.InRingsLegendF, r.RingLimit) + " " + f.num(g.InRings)},
			{g.Answered - g.InRings, "later", shown + ": " + t.LaterLegend + " " + f.num(g.Answered-g.InRings)},
			{g.NotAnswered(), "bad", shown + ": " + t.NotAnsLegend + " " + f.num(g.NotAnswered())},
		})
	}
	return columns("chart-days", t.CallsByDay, t.CallsByDayDesc, labels, stacks, []legendItem{
		{"ok", fmt.Sprintf(t.InRingsLegendF, r.RingLimit)}, {"later", t.LaterLegend}, {"bad", t.NotAnsLegend},
	}, f)
}

func (r *Report) ringChart(f format) chart {
	t := f.t
	var labels []string
	var stacks [][]segment
	var later int64
	for i, n := range r.Office.AnsweredOn {
		if i < r.RingLimit {
			label := fmt.Sprintf(t.RingF, i+1)
			labels = append(labels, label)
			stacks = append(stacks, []segment{{n, "ok", label + ": " + f.num(n)}})
		} else {
			later += n
		}
	}
	label := fmt.Sprintf(t.RingLaterF, r.RingLimit)
	labels = append(labels, label)
	stacks = append(stacks, []segment{{later, "later", label + ": " + f.num(later)}})
	c := columns("chart-rings", t.RingChart, t.RingChartDesc, labels, stacks, nil, f)
	c.Height = 200
	return c
}

func (r *Report) clerkChart(f format) chart {
	var names []string
	var shares []Ratio
	for _, c := range r.Clerks {
		names = append(names, c.Name)
		shares = append(shares, c.Figures.P4aPhone())
	}
	return bars("chart-clerks", fmt.Sprintf(f.t.ClerkChartF, r.RingLimit), f.t.ClerkChartDesc, names, shares, f)
}

func (r *Report) callbackChart(f format) chart {
	t := f.t
	var labels []string
	var stacks [][]segment
	short := func(d time.Duration) string { return f.dur(d) }
	for i, n := range r.Office.CallbackTimes {
		var label string
		switch {
		case i == 0:
			label = fmt.Sprintf(t.UpToF, short(CallbackBounds[0]))
		case i < len(CallbackBounds):
			label = fmt.Sprintf(t.BetweenF, short(CallbackBounds[i-1]), short(CallbackBounds[i]))
		default:
			label = fmt.Sprintf(t.OverF, short(CallbackBounds[len(CallbackBounds)-1]))
		}
		labels = append(labels, label)
		stacks = append(stacks, []segment{{n, "bar", label + ": " + f.num(n)}})
	}
	return columns("chart-callbacks", t.CallbackChart, t.CallbackChartDesc, labels, stacks, nil, f)
}

// HTMLString is HTML for tests and tools that want the page in memory.
func (r *Report) HTMLString(lang string) (string, error) {
	var b strings.Builder
	err := r.HTML(&b, lang)
	return b.String(), err
}
