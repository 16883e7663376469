package pbxsim

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// serveSim is the small control API for a person running the standalone
// simulator (not part of ARI; same credentials):
//
//	POST /sim/calls            {"number":"48600100200","exten":"100","app":"callcare","hangup_after":"30s"}
//	POST /sim/batch            {"every":"2ms","calls":[{...}, ...]}: calls placed one every "every", on the
//	                           simulator's clock (a load placed by the simulator itself, at no cost to a client)
//	PUT  /sim/phones/PJSIP/101 {"mode":"answers","ring_after":"1s","answer_after":"3s","script":[{"at":"5s","do":"hangup"}]}
//	POST /sim/calls/{id}/hangup
//	POST /sim/drop             cut the WebSockets
//	POST /sim/restart?down=2s  like core restart now
//	GET  /sim/channels, GET /sim/bridges
func (s *Server) serveSim(w http.ResponseWriter, r *http.Request) {
	s.busy.Add(1)
	defer s.busy.Add(-1)
	if !s.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Basic realm="Asterisk REST Interface"`)
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Authentication required"})
		return
	}
	path := strings.TrimPrefix(r.URL.Path, "/sim")
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	bad := func(err error) { writeJSON(w, http.StatusBadRequest, map[string]string{"message": err.Error()}) }
	switch {
	case r.Method == http.MethodPost && path == "/calls":
		var c callerJSON
		if err := dec.Decode(&c); err != nil {
			bad(err)
			return
		}
		call, err := s.Call(c.caller())
		if err != nil {
			writeJSON(w, http.StatusConflict, map[string]string{"message": err.Error()})
			return
		}
		writeJSON(w, http.StatusCreated, map[string]string{"channel_id": call.ChannelID()})
	case r.Method == http.MethodPost && path == "/batch":
		var b struct {
			Every jsonDuration `json:"every"`
			Calls []callerJSON `json:"calls"`
		}
		if err := dec.Decode(&b); err != nil {
			bad(err)
			return
		}
		s.mu.Lock()
		for i, c := range b.Calls {
			s.after(time.Duration(i)*time.Duration(b.Every), func() {
				if _, err := s.placeCall(c.caller()); err != nil {
					s.log.Warn("pbxsim: a call of the batch not placed", "err", err)
				}
			})
		}
		s.mu.Unlock()
		writeJSON(w, http.StatusAccepted, map[string]int{"calls": len(b.Calls)})
	case r.Method == http.MethodPost && strings.HasPrefix(path, "/calls/") && strings.HasSuffix(path, "/hangup"):
		id := strings.TrimSuffix(strings.TrimPrefix(path, "/calls/"), "/hangup")
		s.mu.Lock()
		ch := s.channels[id]
		if ch != nil {
			s.personHangup(ch)
		}
		s.mu.Unlock()
		if ch == nil {
			writeJSON(w, http.StatusNotFound, map[string]string{"message": "Channel not found"})
			return
		}
		s.flush()
		writeJSON(w, http.StatusNoContent, nil)
	case r.Method == http.MethodPut && strings.HasPrefix(path, "/phones/"):
		ep := strings.TrimPrefix(path, "/phones/")
		if _, _, good := splitEndpoint(ep); !good {
			writeJSON(w, http.StatusBadRequest, map[string]string{"message": "endpoint must be tech/resource"})
			return
		}
		var p phoneJSON
		if err := dec.Decode(&p); err != nil {
			bad(err)
			return
		}
		s.SetPhone(ep, Phone{Mode: p.Mode, RingAfter: time.Duration(p.RingAfter),
			AnswerAfter: time.Duration(p.AnswerAfter), Script: actionsFromJSON(p.Script)})
		writeJSON(w, http.StatusNoContent, nil)
	case r.Method == http.MethodPost && path == "/drop":
		s.DropWebSocket()
		writeJSON(w, http.StatusNoContent, nil)
	case r.Method == http.MethodPost && path == "/restart":
		down := 2 * time.Second
		if v := r.URL.Query().Get("down"); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil {
				bad(err)
				return
			}
			down = d
		}
		writeJSON(w, http.StatusAccepted, nil)
		s.mu.Lock()
		if !s.closed {
			s.wg.Add(1)
			s.busy.Add(1)
			go func() {
				defer s.wg.Done()
				defer s.busy.Add(-1)
				s.Restart(down)
			}()
		}
		s.mu.Unlock()
	case r.Method == http.MethodGet && path == "/channels":
		writeJSON(w, http.StatusOK, s.Channels())
	case r.Method == http.MethodGet && path == "/bridges":
		writeJSON(w, http.StatusOK, s.Bridges())
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Resource not found"})
	}
}
