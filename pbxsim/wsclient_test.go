package pbxsim

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/websocket"
)

// eventLog is a raw WebSocket client that keeps every frame it receives.
type eventLog struct {
	mu     sync.Mutex
	frames [][]byte
	conns  []*websocket.Conn
	wg     sync.WaitGroup
}

func basicAuth(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

// connect opens a WebSocket for apps ("lab" or "lab,lab2") and reads it
// in the background.
func (l *eventLog) connect(tb testing.TB, s *Server, apps string) *websocket.Conn {
	tb.Helper()
	cfg, err := websocket.NewConfig(s.WebsocketURL()+"?app="+strings.ReplaceAll(apps, ",", "%2C"), "http://localhost/")
	if err != nil {
		tb.Fatal(err)
	}
	cfg.Header.Set("Authorization", basicAuth(s.opts.User, s.opts.Password))
	var ws *websocket.Conn
	for i := 0; i < 100; i++ {
		if ws, err = websocket.DialConfig(cfg); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		tb.Fatalf("websocket: %v", err)
	}
	l.mu.Lock()
	l.conns = append(l.conns, ws)
	l.mu.Unlock()
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		for {
			var msg []byte
			if err := websocket.Message.Receive(ws, &msg); err != nil {
				return
			}
			l.mu.Lock()
			l.frames = append(l.frames, msg)
			l.mu.Unlock()
		}
	}()
	// The session registers its applications after the handshake: wait.
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		s.mu.Lock()
		a := s.apps[strings.Split(apps, ",")[0]]
		registered := a != nil && a.client != nil && a.client.ws != nil && a.client.raw != nil
		s.mu.Unlock()
		if registered {
			break
		}
		time.Sleep(time.Millisecond)
	}
	return ws
}

// sync waits until every event the server emitted so far has been read:
// it sends a marker frame through app and waits for it.
func (l *eventLog) sync(tb testing.TB, s *Server, app string) {
	tb.Helper()
	s.mu.Lock()
	a := s.apps[app]
	held := a != nil && a.client != nil
	s.mu.Unlock()
	if !held {
		s.flush()
		time.Sleep(20 * time.Millisecond)
		return
	}
	marker := `{"type":"pbxsim-test-marker","n":` + time.Now().Format("150405.000000000") + `}`
	s.InjectEvent(app, []byte(marker))
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		l.mu.Lock()
		for _, f := range l.frames {
			if string(f) == marker {
				l.mu.Unlock()
				return
			}
		}
		l.mu.Unlock()
		time.Sleep(time.Millisecond)
	}
	tb.Fatalf("events did not arrive")
}

// events returns the frames received, markers left out.
func (l *eventLog) events() [][]byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out [][]byte
	for _, f := range l.frames {
		if strings.Contains(string(f), "pbxsim-test-marker") {
			continue
		}
		out = append(out, f)
	}
	return out
}

func (l *eventLog) close() {
	l.mu.Lock()
	conns := l.conns
	l.conns = nil
	l.mu.Unlock()
	for _, c := range conns {
		_ = c.Close()
	}
	l.wg.Wait()
}

// eventTypes lists the "type" of each frame.
func eventTypes(frames [][]byte) []string {
	var out []string
	for _, f := range frames {
		var e struct{ Type string }
		_ = json.Unmarshal(f, &e)
		out = append(out, e.Type)
	}
	return out
}
