package policy

import (
	"strconv"
	"time"

	"github.com/callcare/callcare"
)

// Appointment requests at the desk phone (P3.2 (1)): the task is read out
// as a request for a meeting (with the Mayor when the secretariat books
// it), and after the call the clerk may press 5 and key in the meeting
// agreed: the day of the month, the hour and the minutes (251030: the
// 25th at 10:30, the next such date). It is recorded on the request, and
// the citizen is reminded of it the office day before (notice.go).

// phMeeting: the clerk keys in the meeting agreed.
const phMeeting = phSessionDone + 1

// AgreeMeeting records the meeting agreed on an appointment request, and
// its reminder (zero: none).
type AgreeMeeting struct {
	Task         int64
	At, RemindAt time.Time
	By           callcare.ClerkID
}

func (AgreeMeeting) action() {}

// isAppointment tells whether the task worked is an appointment request.
func (d *desk) isAppointment() bool { return d.task.Kind == callcare.KindAppointment }

// kindIntro says what kind of task is read out, when it is not a plain
// callback.
func (d *desk) kindIntro() []string {
	if !d.isAppointment() {
		return nil
	}
	if d.task.Target.Kind == callcare.TargetDepartment {
		return []string{"sound:" + d.set.Prompts.AppointmentMayorRequest} // the Mayor's, through the secretariat
	}
	return []string{"sound:" + d.set.Prompts.AppointmentRequest}
}

// outcomeMenu is the question after the call: for a request, 5 records
// the meeting too.
func (d *desk) outcomeMenu() []string {
	media := []string{"sound:" + d.set.Prompts.CallbackOutcome}
	if d.isAppointment() {
		media = append(media, "sound:"+d.set.Prompts.MeetingPress5)
	}
	return media
}

// meetingKey takes the digits of the meeting, DDHHMM; a wrong date is
// asked again.
func (d *desk) meetingKey(k string) ([]Action, turn) {
	d.typed += k
	if len(d.typed) < 6 {
		d.deadline = d.now.Add(d.set.KeyTimeout) // the next digit, please
		return nil, turnNone
	}
	at, ok := meetingTime(d.typed, d.now, d.zone())
	d.typed = ""
	if !ok {
		return d.say("sound:" + d.set.Prompts.MeetingEnter), turnNone
	}
	// The meeting first: the request closes as a meeting agreed, the
	// attempt as the citizen reached.
	acts := []Action{AgreeMeeting{Task: d.task.ID, At: at, By: d.clerk.ID,
		RemindAt: RemindAt(at, d.set.Rules.Hours, d.set.RemindDaysBefore, d.now)}}
	acts = append(acts, d.finishAttempt(callcare.AttemptReached))
	media := append([]string{"sound:" + d.set.Prompts.MeetingAgreedFor}, d.set.Say.Meeting(at)...)
	return append(acts, d.say(media...)...), turnTaskOver
}

// meetingTime reads DDHHMM: the next date on that day of the month, at
// that hour, after now, in loc; none within a year, or digits that are no
// date, is not ok.
func meetingTime(ddhhmm string, now time.Time, loc *time.Location) (time.Time, bool) {
	if len(ddhhmm) != 6 {
		return time.Time{}, false
	}
	day, errD := strconv.Atoi(ddhhmm[:2])
	h, errH := strconv.Atoi(ddhhmm[2:4])
	m, errM := strconv.Atoi(ddhhmm[4:])
	if errD != nil || errH != nil || errM != nil || day < 1 || day > 31 || h > 23 || m > 59 {
		return time.Time{}, false
	}
	local := now.In(loc)
	for i := range 13 {
		y, mon := local.Year(), local.Month()+time.Month(i)
		at := time.Date(y, mon, day, h, m, 0, 0, loc)
		if at.Day() != day { // no such day that month (the 31st of November)
			continue
		}
		if at.After(now) {
			return at, true
		}
	}
	return time.Time{}, false
}
