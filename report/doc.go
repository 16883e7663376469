// Package report is the compliance report: what the Town Secretary shows to
// prove the telephone procedure is kept (ordinance § 2). It counts figures
// from the records of calls and callbacks (Tally), puts the figures of a
// period together (Build), and writes them as one HTML page, JSON or CSV.
// It is pure: records and "now" in, figures and pages out; it imports only
// the root package and the standard library.
//
// # The figures
//
// Each day's figures are counted per scope: the office, a department, a
// clerk, and the two groups of callers P5.3 compares (special needs,
// everyone else). A call counts on the day it started, in the office's,
// its department's and its group's scopes (the caller's view); each
// ringing of a clerk's phone in that clerk's (the phone's view); a
// callback task on the day of its first missed call, in the office's, its
// owner's (clerk and department, or department) and its group's.
//
//   - P4a, answered within the rings: of the calls a clerk had to answer
//     (answered; missed, nobody of the chain answering; given up by the
//     caller after the procedure's rings), those answered on the last ring
//     allowed at the latest, counting every ring the caller heard, at every
//     clerk the call moved on to. A caller who hung up within the rings
//     was not kept waiting past them and does not count. On a clerk's
//     phone: of the times it was answered or rang all the rings, those
//     answered within them.
//   - P4c, called back: a task without an agreed time is called back by its
//     first attempt (an agreed-time ring nobody took aside), or by its
//     closing when no attempt came first (the citizen got through, a
//     clerk's own call reached them, a clerk closed it). On time: not after
//     the promise the task was given (Due). Late: after it. Overdue: not
//     called back, the promise passed at Options.Now. Pending: not yet due.
//     The time it took is office time (callcare.OfficeHours.OfficeTime).
//   - P4m, agreed time: on time when the first attempt from AgreedGrace
//     before the agreed time on (or the task's closing) came at most
//     AgreedGrace after it; missed when nothing came and the time passed.
//   - P4l: answered calls the clerk ended first, for the answering clerk.
//   - P4h, P4p: each hold, from the clerk's hold to whatever ended the
//     caller's wait (the resume, a callback taken, a hang-up, a
//     transfer), counts in the caller's scopes and in the holding clerk's;
//     each wait in a department's line, from joining it to an answer, a
//     callback chosen or a hang-up, in the caller's scopes. Their count,
//     sum and longest (later.go).
//   - P4o: each transfer a clerk made, in the caller's scopes and the
//     transferring clerk's; it came back when nobody of the target took
//     it and the clerk was rung again.
//
// # Aggregation
//
// Every figure is a count, a sum, a maximum or a count per bucket (never a
// median), so the figures of a period are the sum of its days', and a day
// kept only as its figures after the retention purged its records
// (callcare.DayFigure; Days.Archive, FromArchive) counts exactly as its
// records did. One table (Figures.measures) names each figure and says how
// it aggregates; averages and shares are computed when shown.
//
// # The page
//
// One HTML file with no script and nothing loaded from anywhere: charts are
// inline SVG, the stylesheet prints on A4 with the summary alone on the
// first page. Its words are one Go table per language (texts_pl.go,
// texts_en.go); the template (report.html) holds none.
package report
