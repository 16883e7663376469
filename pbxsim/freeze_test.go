package pbxsim

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// TestServer_Freeze: a frozen simulator accepts connections and answers
// nothing, as an Asterisk stopped with SIGSTOP; thawed, the request held
// up is answered.
func TestServer_Freeze(t *testing.T) {
	s := NewServer(Options{})
	defer s.Close()
	get := func(ctx context.Context) (*http.Response, error) {
		req, _ := http.NewRequestWithContext(ctx, "GET", s.URL()+"/asterisk/ping", nil)
		req.SetBasicAuth("callcare", "callcare")
		return (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
	}
	s.Freeze()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if resp, err := get(ctx); err == nil {
		resp.Body.Close()
		t.Fatalf("a frozen simulator answered %s", resp.Status)
	}
	done := make(chan error, 1)
	go func() {
		resp, err := get(context.Background())
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("a frozen simulator answered: %v", err)
	case <-time.After(20 * time.Millisecond):
	}
	s.Thaw()
	if err := <-done; err != nil {
		t.Fatalf("after the thaw: %v", err)
	}
}

// TestServer_CreateWithVariables: variables given at create are the
// channel's, as Asterisk sets them.
func TestServer_CreateWithVariables(t *testing.T) {
	s := NewServer(Options{AutoPhones: true})
	defer s.Close()
	log := &eventLog{}
	defer log.close()
	log.connect(t, s, "x")
	code, _ := rest(t, s, "POST", "/channels/create?endpoint=PJSIP/101&app=x&channelId=leg-1", `{"variables":{"CALLCARE_CLERK":"anowak"}}`)
	if code != 200 {
		t.Fatalf("create: %d", code)
	}
	if code, v := rest(t, s, "GET", "/channels/leg-1/variable?variable=CALLCARE_CLERK", ""); code != 200 || v["value"] != "anowak" {
		t.Errorf("variable: %d %v", code, v)
	}
	if code, _ := rest(t, s, "POST", "/channels/create?endpoint=PJSIP/101&app=x", `{"variables":["not","an","object"]}`); code != 400 {
		t.Errorf("bad variables: %d, want 400", code)
	}
	rest(t, s, "DELETE", "/channels/leg-1", "")
}
