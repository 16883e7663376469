package ari

import (
	"context"
	"testing"
	"time"

	"github.com/CyCoreSystems/ari/v5"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/pbxsim"
	"github.com/callcare/callcare/policy"
)

// TestP4o_TransferAsTheCallEnds: a clerk's phone transfers the call in the
// very moment the call ends: Asterisk's Local channel comes routed to the
// call, which ends without taking it. Nothing keeps it: the channel is
// hung up and no longer the call's, so a later reconciliation, or a
// standby instance, is not blocked by it.
func TestP4o_TransferAsTheCallEnds(t *testing.T) {
	pbx := pbxsim.NewServer(pbxsim.Options{})
	defer pbx.Close()
	svc := New(Options{URL: pbx.URL(), User: "callcare", Password: "callcare"}, Settings{Directory: &callcare.Directory{}}, Stores{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	svc.ctx = ctx // as Run would have it
	f := svc.newFlow("1700000000.1", "1700000000.1", policy.CallerGone{}, nil)
	svc.mu.Lock()
	svc.route["1700000000.1"] = f
	svc.route["1700000000.1-1"] = f // the clerk's leg
	svc.flows[f] = struct{}{}
	svc.mu.Unlock()
	f.routes = []string{"1700000000.1-1"}

	st := &ari.StasisStart{Channel: ari.ChannelData{ID: "1700000000.7", Name: "Local/102@from-clerks-0001;1"},
		ReplaceChannel: ari.ChannelData{ID: "1700000000.1-1"}}
	if !svc.transferHalf(st) {
		t.Fatal("the transfer's half was not taken for the call")
	}
	f.cleanup() // the call ends without reading its inbox again
	deadline := time.Now().Add(5 * time.Second)
	for pbx.Stats().RequestsByPath["DELETE /channels/{channelId}"] == 0 || svc.owns("1700000000.7") {
		if time.Now().After(deadline) {
			t.Fatalf("the Local channel is still the ended call's, or was never hung up: %v", pbx.Stats().RequestsByPath)
		}
		time.Sleep(10 * time.Millisecond)
	}
	// A half that comes once the call is over is nobody's.
	late := &ari.StasisStart{Channel: ari.ChannelData{ID: "1700000000.9", Name: "Local/103@from-clerks-0002;1"},
		ReplaceChannel: ari.ChannelData{ID: "1700000000.1-1"}}
	if svc.transferHalf(late) {
		t.Error("a half for an ended call was taken")
	}
}
