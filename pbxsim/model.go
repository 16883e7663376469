package pbxsim

import (
	"crypto/rand"
	"fmt"
	"strings"
	"time"
)

// The JSON shapes below follow the models of the Asterisk 20 ARI
// specification. Field order is alphabetical, as the recorded traces show it.

// tsLayout is how Asterisk formats every time in ARI JSON.
const tsLayout = "2006-01-02T15:04:05.000-0700"

func ts(t time.Time) string { return t.Format(tsLayout) }

type callerID struct {
	Name   string `json:"name"`
	Number string `json:"number"`
}

type dialplanCEP struct {
	AppData  string `json:"app_data"`
	AppName  string `json:"app_name"`
	Context  string `json:"context"`
	Exten    string `json:"exten"`
	Priority int    `json:"priority"`
}

type channelJSON struct {
	AccountCode  string      `json:"accountcode"`
	Caller       callerID    `json:"caller"`
	Connected    callerID    `json:"connected"`
	CreationTime string      `json:"creationtime"`
	Dialplan     dialplanCEP `json:"dialplan"`
	ID           string      `json:"id"`
	Language     string      `json:"language"`
	Name         string      `json:"name"`
	ProtocolID   string      `json:"protocol_id"`
	State        string      `json:"state"`
}

type bridgeJSON struct {
	BridgeClass  string   `json:"bridge_class"`
	BridgeType   string   `json:"bridge_type"`
	Channels     []string `json:"channels"`
	CreationTime string   `json:"creationtime"`
	Creator      string   `json:"creator"`
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Technology   string   `json:"technology"`
	VideoMode    string   `json:"video_mode"`
}

type playbackJSON struct {
	ID        string `json:"id"`
	Language  string `json:"language"`
	MediaURI  string `json:"media_uri"`
	NextMedia string `json:"next_media_uri,omitempty"`
	State     string `json:"state"`
	TargetURI string `json:"target_uri"`
}

type liveRecordingJSON struct {
	Cause           string `json:"cause,omitempty"`
	Duration        *int   `json:"duration,omitempty"`
	Format          string `json:"format"`
	Name            string `json:"name"`
	SilenceDuration *int   `json:"silence_duration,omitempty"`
	State           string `json:"state"`
	TalkingDuration *int   `json:"talking_duration,omitempty"`
	TargetURI       string `json:"target_uri"`
}

type storedRecordingJSON struct {
	Format string `json:"format"`
	Name   string `json:"name"`
}

type applicationJSON struct {
	BridgeIDs        []string `json:"bridge_ids"`
	ChannelIDs       []string `json:"channel_ids"`
	DeviceNames      []string `json:"device_names"`
	EndpointIDs      []string `json:"endpoint_ids"`
	EventsAllowed    []any    `json:"events_allowed"`
	EventsDisallowed []any    `json:"events_disallowed"`
	Name             string   `json:"name"`
}

// event is one ARI event: the common fields plus the type's own.
type event map[string]any

// causeText is Asterisk's text for the Q.850 causes the simulator uses.
var causeText = map[int]string{
	0:   "Unknown",
	1:   "Unallocated (unassigned) number",
	16:  "Normal Clearing",
	17:  "User busy",
	18:  "No user responding",
	19:  "User alerting, no answer",
	20:  "Subscriber absent",
	21:  "Call Rejected",
	26:  "Answered elsewhere",
	28:  "Invalid number format",
	31:  "Normal, unspecified",
	34:  "Circuit/channel congestion",
	38:  "Network out of order",
	58:  "Bearer capability not available",
	127: "Interworking, unspecified",
}

// hangupReasons maps DELETE /channels/{id}?reason= to a Q.850 cause.
var hangupReasons = map[string]int{
	"normal":             16,
	"busy":               17,
	"congestion":         34,
	"no_answer":          19,
	"timeout":            18,
	"rejected":           21,
	"unallocated":        1,
	"normal_unspecified": 31,
	"number_incomplete":  28,
	"codec_mismatch":     58,
	"interworking":       127,
	"failure":            38,
	"answered_elsewhere": 26,
}

// newUUID returns a random version 4 UUID, the form of Asterisk's bridge
// and playback ids.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// splitEndpoint splits "PJSIP/101" into its technology and resource.
func splitEndpoint(ep string) (tech, resource string, ok bool) {
	tech, resource, ok = strings.Cut(ep, "/")
	return tech, resource, ok && tech != "" && resource != ""
}
