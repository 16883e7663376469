package pbxsim

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzHandler feeds arbitrary requests to the ARI handler of a simulator
// with a live call, a created channel and a bridge. Nothing may panic or
// answer a 2xx with a broken body. Plain go test runs the seeds only
// (f.Add and testdata/fuzz/FuzzHandler).
func FuzzHandler(f *testing.F) {
	seeds := []struct{ method, path, body string }{
		{"POST", "/channels/create", `{"endpoint":"PJSIP/101","app":"callcare","channelId":"c1"}`},
		{"POST", "/channels/create?endpoint=PJSIP%2F102&app=callcare", ``},
		{"POST", "/channels", `{"endpoint":"PJSIP/101","app":"callcare","appArgs":"a,b","timeout":5,"callerId":"X <1>"}`},
		{"POST", "/channels/fixed/dial", `{"caller":"fixed","timeout":30}`},
		{"POST", "/channels/fixed/play", `{"media":"sound:beep"}`},
		{"POST", "/channels/fixed/play/p1", `{"media":"sound:no-such-sound"}`},
		{"DELETE", "/channels/fixed", `{"reason":"no_answer"}`},
		{"DELETE", "/channels/fixed?reason=bogus", ``},
		{"POST", "/bridges/b1/addChannel", `{"channel":"fixed,fixed"}`},
		{"POST", "/bridges/b1/removeChannel?channel=fixed", ``},
		{"POST", "/bridges", `{"type":"holding,mixing","bridgeId":"b2"}`},
		{"DELETE", "/bridges/b1", ``},
		{"PUT", "/applications/callcare/eventFilter", `{"allowed":[{"type":"StasisStart"}],"disallowed":[{}]}`},
		{"POST", "/channels/fixed/move", `{"app":"callcare","appArgs":"x,,y"}`},
		{"POST", "/channels/fixed/continue", ``},
		{"POST", "/channels/fixed/redirect?endpoint=SIP/102", ``},
		{"POST", "/channels/fixed/record", `{"name":"n","format":"wav","maxDurationSeconds":-1}`},
		{"GET", "/channels/fixed/variable?variable=", ``},
		{"POST", "/playbacks/p1/control?operation=pause", ``},
		{"GET", "/channels/%20", `{`},
		{"POST", "/channels/create", `{"endpoint":1e999}`},
	}
	for _, sd := range seeds {
		f.Add(sd.method, sd.path, sd.body)
	}
	f.Fuzz(func(t *testing.T, method, path, body string) {
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \r\n\t#") || len(path) > 512 {
			return
		}
		if _, err := url.ParseRequestURI("/ari" + path); err != nil {
			return
		}
		switch method {
		case "GET", "POST", "PUT", "DELETE", "PATCH":
		default:
			return
		}
		s := NewUnstartedServer(Options{AutoPhones: true})
		defer s.Close()
		rest(t, s, "POST", "/channels/create", `{"endpoint":"PJSIP/100","app":"callcare","channelId":"fixed"}`)
		rest(t, s, "POST", "/bridges/b1", `{"type":"mixing"}`)

		req := httptest.NewRequest(method, "/ari"+path, strings.NewReader(body))
		req.SetBasicAuth("callcare", "callcare")
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		if rec.Code == 500 && !strings.Contains(rec.Body.String(), "Allocation failed") && !strings.Contains(rec.Body.String(), "WebSocket") {
			t.Errorf("%s %s %q: 500 %s", method, path, body, rec.Body)
		}
		// The state stays usable.
		if code, _ := rest(t, s, "GET", "/channels", ""); code != 200 {
			t.Fatalf("GET /channels after %s %s: %d", method, path, code)
		}
	})
}
