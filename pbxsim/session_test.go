package pbxsim_test

import (
	"net"
	"net/http"
	"testing"

	"github.com/callcare/callcare/pbxsim"
)

// TestSessionLimit: as Asterisk's HTTP server past http.conf's
// sessionlimit, a connection beyond the limit is closed unanswered, and
// one is taken again once another closes.
func TestSessionLimit(t *testing.T) {
	pbx := pbxsim.NewServer(pbxsim.Options{SessionLimit: 2})
	defer pbx.Close()
	var open []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", pbx.Addr())
		if err != nil {
			t.Fatal(err)
		}
		open = append(open, c)
	}
	get := func() error {
		req, _ := http.NewRequest(http.MethodGet, pbx.URL()+"/asterisk/info", nil)
		req.SetBasicAuth("callcare", "callcare")
		c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		resp, err := c.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	// The two connections count once the server has seen them: until
	// then a third gets through.
	for get() == nil {
	}
	if n := pbx.Stats().SessionsRefused; n == 0 {
		t.Errorf("a request failed, yet no session was refused")
	}
	for _, c := range open {
		c.Close()
	}
	var err error
	for range 100 { // the closes reach the server in their time
		if err = get(); err == nil {
			break
		}
	}
	if err != nil {
		t.Errorf("after the sessions closed: %v", err)
	}
}
