package policy_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
)

// waits briefs how a record says the caller waited, times from t0:
// "hold:anowak@10s-55s line:100@2s-… xfer:anowak>clerk/pwisniewski@10s/back".
func waits(r callcare.CallRecord) string {
	since := func(t time.Time) string {
		if t.IsZero() {
			return "…"
		}
		return t.Sub(t0).String()
	}
	var out []string
	for _, h := range r.Holds {
		out = append(out, fmt.Sprintf("hold:%s@%s-%s", h.Clerk, since(h.From), since(h.To)))
	}
	for _, w := range r.LineWaits {
		out = append(out, fmt.Sprintf("line:%s@%s-%s", w.Department, since(w.From), since(w.To)))
	}
	for _, x := range r.Transfers {
		s := fmt.Sprintf("xfer:%s>%s/%s@%s", x.By, x.To.Kind, x.To.ID, since(x.At))
		if x.CameBack {
			s += "/back"
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

// wantWaits checks the record's waits (see waits), then runs the
// table's other checks.
func wantWaits(want string, and ...func(*testing.T, callcare.CallRecord, []policy.Action)) func(*testing.T, callcare.CallRecord, []policy.Action) {
	return func(t *testing.T, r callcare.CallRecord, acts []policy.Action) {
		t.Helper()
		if got := waits(r); got != want {
			t.Errorf("waits recorded %q, want %q", got, want)
		}
		for _, check := range and {
			check(t, r, acts)
		}
	}
}

// TestWaitsRecorded: the record keeps each hold, wait in line and
// transfer as the report and the metrics need them; the tables of hold,
// line and transfer check the rest of their cases.
func TestWaitsRecorded(t *testing.T) {
	for _, tc := range []table{
		{
			rule: "P4h", name: "a hold the clerk ends with a transfer ends there",
			set: holdSet,
			steps: then(held[0],
				step{at: 12 * time.Second, ev: toPiotr(0, "L1", "L2").ev,
					want: "hangup:L1/normal hangup:L2/normal hangup:c-1/normal moh:sekretariat say(sound:transferring) save-now dial:c-2/Transfer from anowak"},
				step{at: 14 * time.Second, ev: policy.LegAnswered{Leg: "c-2"}, want: whisperToPiotr},
				step{at: 20 * time.Second, ev: policy.PlaybackDone{Playback: "c-whisper2"}, want: "stop moh-stop add:c-2 music:default save"},
				step{at: 30 * time.Second, ev: policy.LegHeld{Leg: "c-2"}},
				step{at: 40 * time.Second, ev: policy.CallerGone{}, want: "hangup:c-2/normal save finish"},
			),
			check: wantWaits("hold:anowak@10s-12s hold:pwisniewski@30s-40s xfer:anowak>clerk/pwisniewski@12s"),
		},
		{
			rule: "P4h", name: "a hold the clerk's phone lets go of is not a wait of the call",
			set:   holdSet,
			steps: then(step{at: 10 * time.Second, ev: policy.LegUnheld{Leg: "c-1"}, want: ""}),
			check: wantWaits(""),
		},
	} {
		tc.run(t)
	}
}
