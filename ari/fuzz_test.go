package ari

import (
	"log/slog"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/clock"
	"github.com/callcare/callcare/policy"
)

// FuzzEvent feeds arbitrary frames to what the event link and a call do
// with one: decode (unknown types, missing or unexpected fields), route
// (subject), translate for the policy, and step a citizen's call that is
// ringing two clerks. Nothing may panic. Plain go test runs the seeds
// (f.Add and testdata/fuzz/FuzzEvent); .ci/run fuzzes a few seconds.
//
//	go test ./ari -run '^$' -fuzz FuzzEvent -fuzztime 1m
func FuzzEvent(f *testing.F) {
	for _, s := range []string{
		`{"type":"StasisStart","application":"callcare","timestamp":"2026-11-24T09:00:00.000+0000","args":["inbound","101"],"channel":{"id":"c","state":"Ring","caller":{"number":"48600100200"}}}`,
		`{"type":"Dial","timestamp":"2026-11-24T09:00:01.000+0000","dialstatus":"RINGING","peer":{"id":"c-1"}}`,
		`{"type":"Dial","timestamp":"2026-11-24T08:00:01.000+0100","dialstatus":"ANSWER","peer":{"id":"c-1"}}`,
		`{"type":"Dial","dialstatus":"BUSY","peer":{"id":"c-2"}}`,
		`{"type":"Dial","timestamp":"not a time","dialstatus":"RINGING","peer":{"id":"c-1"}}`,
		`{"type":"ChannelHangupRequest","soft":true,"cause":4,"channel":{"id":"c"}}`,
		`{"type":"ChannelHangupRequest","cause":"16","channel":{"id":"c-1"}}`,
		`{"type":"StasisEnd","channel":{"id":"c-1"}}`,
		`{"type":"ChannelDestroyed","cause":19,"channel":{"id":"c"}}`,
		`{"type":"PlaybackFinished","playback":{"id":"c-closing","state":"failed"}}`,
		`{"type":"ChannelDtmfReceived","digit":"*","channel":{"id":"c-1"}}`,
		`{"type":"RecordingFinished","recording":{"name":"n","duration":3}}`,
		`{"type":"ApplicationReplaced","application":"callcare"}`,
		`{"type":"ApplicationRegistered","application":"callcare"}`,
		`{"type":"StasisStart","channel":{"id":12}}`,
		`{"type":"","channel":null}`, `{}`, `[]`, `null`, ``, `{"type":"Dial"}`,
	} {
		f.Add([]byte(s))
	}
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	svc := New(Options{URL: "http://127.0.0.1:1/ari", Logger: slog.New(slog.DiscardHandler), Clock: clock.NewFake(start.Add(time.Second))}, Settings{}, Stores{})
	l := &Link{log: slog.New(slog.DiscardHandler), work: &atomic.Int64{}}
	anna := callcare.Clerk{ID: "anowak", Endpoint: "PJSIP/101"}
	piotr := callcare.Clerk{ID: "pwisniewski", Endpoint: "PJSIP/102"}
	set := policy.InboundSettings{Procedure: callcare.Procedure{AnswerWithinRings: 3, RingCycle: 5 * time.Second}}
	f.Fuzz(func(t *testing.T, data []byte) {
		ev := l.decode(data)
		if ev == nil {
			return
		}
		// The short way (the type first, read once) reads what the
		// library's long way does.
		if _, ok := eventType(data); ok {
			if slow, err := decodeEvent(data); err == nil && !reflect.DeepEqual(slow, ev) {
				t.Errorf("%s: read as %#v, the library reads %#v", data, ev, slow)
			}
		}
		_ = subject(ev)
		fl := svc.newFlow("c", "c", policy.CallerGone{}, nil)
		call, _ := policy.Start(policy.Arrival{CallID: "c", CallerID: "48600100200", Dialed: "101", Found: true,
			Steps: []callcare.Step{{Clerks: []callcare.Clerk{anna, piotr}}}}, set, start)
		if pe := fl.translate(ev); pe != nil {
			call.Step(pe, start.Add(time.Second))
			call.Step(policy.TimerFired{}, start.Add(time.Minute))
		}
	})
}
