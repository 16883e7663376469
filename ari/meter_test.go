package ari

import "testing"

// A metric's route names the request, never a channel, bridge or
// recording: ids are many, and a recording's name holds a call's id.
func TestRoute(t *testing.T) {
	for path, want := range map[string]string{
		"/channels/c1-2/play/c1-hold3":             "/channels/{id}/play/{id}",
		"/channels/create":                         "/channels/create",
		"/channels/1732451234.17/variable":         "/channels/{id}/variable",
		"/bridges/c1-bridge/addChannel":            "/bridges/{id}/addChannel",
		"/bridges":                                 "/bridges",
		"/applications/callcare/eventFilter":       "/applications/{id}/eventFilter",
		"/recordings/stored/callcare-note-c7/file": "/recordings/stored/{id}/file",
		"/playbacks/48600100200":                   "/playbacks/{id}",
		"/channels/x%2Fy/ring":                     "/channels/{id}/ring",
		"":                                         "/",
	} {
		if got := route(path); got != want {
			t.Errorf("route(%q) = %q, want %q", path, got, want)
		}
	}
}
