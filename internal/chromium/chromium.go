// Package chromium drives a headless Chromium for tests, over the DevTools
// protocol on a pipe (--remote-debugging-pipe): no port, no websocket, no
// library, only the standard library. A test opens a page, reads what its
// console and log said, evaluates JavaScript in it, emulates a screen or
// print, and prints it to PDF.
//
// Debian's package is chromium (apt-get install chromium). Find says where
// it is; a test may skip when it is absent, except under CI, which installs
// it (.ci/run).
package chromium

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// Find gives the path of a Chromium on this machine, or an error naming
// what was looked for.
func Find() (string, error) {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no chromium on PATH (Debian: apt-get install chromium)")
}

// Flags are the switches every run uses: headless, sandbox off (tests run
// as root in containers), and nothing that reaches the network by itself.
var Flags = []string{
	"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync",
	"--disable-default-apps", "--mute-audio", "--hide-scrollbars",
}

// Browser is a running headless Chromium.
type Browser struct {
	cmd    *exec.Cmd
	toB    io.WriteCloser // fd 3 of the browser: our commands
	fromB  io.ReadCloser  // fd 4: its answers and events
	stderr bytes.Buffer
	dir    string

	mu      sync.Mutex
	nextID  int
	waiting map[int]chan reply
	events  map[string][]event // by session
	notify  chan struct{}      // closed and renewed on every event
	done    chan struct{}      // the reader ended
	err     error              // why it ended
}

type reply struct {
	Result json.RawMessage
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
}

type event struct {
	Method string
	Params json.RawMessage
}

type message struct {
	ID        int             `json:"id"`
	Method    string          `json:"method"`
	SessionID string          `json:"sessionId"`
	Params    json.RawMessage `json:"params"`
	Result    json.RawMessage `json:"result"`
	Error     *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// Start runs the Chromium at path with a new empty profile in a temp dir.
func Start(path string) (*Browser, error) {
	dir, err := os.MkdirTemp("", "callcare-chromium-")
	if err != nil {
		return nil, err
	}
	cmdR, cmdW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	args := append(append([]string{}, Flags...), "--remote-debugging-pipe", "--user-data-dir="+dir, "about:blank")
	b := &Browser{toB: cmdW, fromB: outR, dir: dir, waiting: map[int]chan reply{}, events: map[string][]event{},
		notify: make(chan struct{}), done: make(chan struct{})}
	b.cmd = exec.Command(path, args...)
	b.cmd.ExtraFiles = []*os.File{cmdR, outW} // fd 3 and fd 4
	b.cmd.Stderr = &b.stderr
	if err := b.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start %s: %w", path, err)
	}
	cmdR.Close()
	outW.Close()
	go b.read()
	return b, nil
}

// read takes every message the browser writes: NUL-terminated JSON.
func (b *Browser) read() {
	r := bufio.NewReader(b.fromB)
	var err error
	for {
		var raw []byte
		raw, err = r.ReadBytes(0)
		if err != nil {
			break
		}
		var m message
		if json.Unmarshal(raw[:len(raw)-1], &m) != nil {
			continue
		}
		b.mu.Lock()
		if m.ID != 0 {
			if ch, ok := b.waiting[m.ID]; ok {
				delete(b.waiting, m.ID)
				ch <- reply{Result: m.Result, Error: m.Error}
			}
		} else if m.Method != "" {
			b.events[m.SessionID] = append(b.events[m.SessionID], event{m.Method, m.Params})
			close(b.notify)
			b.notify = make(chan struct{})
		}
		b.mu.Unlock()
	}
	b.mu.Lock()
	b.err = err
	for id, ch := range b.waiting {
		delete(b.waiting, id)
		close(ch)
	}
	b.mu.Unlock()
	close(b.done)
}

// call sends a command (to a page's session, or the browser's with "")
// and decodes its result into out, if not nil.
func (b *Browser) call(ctx context.Context, session, method string, params, out any) error {
	if params == nil {
		params = struct{}{}
	}
	b.mu.Lock()
	b.nextID++
	id := b.nextID
	ch := make(chan reply, 1)
	b.waiting[id] = ch
	b.mu.Unlock()
	msg, err := json.Marshal(map[string]any{"id": id, "method": method, "params": params, "sessionId": session})
	if err != nil {
		return err
	}
	if session == "" {
		msg, _ = json.Marshal(map[string]any{"id": id, "method": method, "params": params})
	}
	if _, err := b.toB.Write(append(msg, 0)); err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	select {
	case r, ok := <-ch:
		if !ok {
			return fmt.Errorf("%s: the browser ended: %v\n%s", method, b.err, b.stderr.String())
		}
		if r.Error != nil {
			return fmt.Errorf("%s: %s (%d)", method, r.Error.Message, r.Error.Code)
		}
		if out != nil {
			return json.Unmarshal(r.Result, out)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", method, ctx.Err())
	}
}

// Close ends the browser and removes its profile.
func (b *Browser) Close() error {
	_ = b.call(context.Background(), "", "Browser.close", nil, nil)
	b.toB.Close()
	exited := make(chan error, 1)
	go func() { exited <- b.cmd.Wait() }()
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		_ = b.cmd.Process.Kill()
		<-exited
	}
	b.fromB.Close()
	<-b.done
	return os.RemoveAll(b.dir)
}

// Page is one tab of the browser.
type Page struct {
	b       *Browser
	session string
}

// Open opens url in a new tab and waits for its load event. The page's
// console and log are listened to from the start.
func (b *Browser) Open(ctx context.Context, url string) (*Page, error) {
	var target struct {
		TargetID string `json:"targetId"`
	}
	if err := b.call(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"}, &target); err != nil {
		return nil, err
	}
	var att struct {
		SessionID string `json:"sessionId"`
	}
	if err := b.call(ctx, "", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &att); err != nil {
		return nil, err
	}
	p := &Page{b: b, session: att.SessionID}
	for _, domain := range []string{"Page", "Runtime", "Log"} {
		if err := p.call(ctx, domain+".enable", nil, nil); err != nil {
			return nil, err
		}
	}
	if err := p.Navigate(ctx, url); err != nil {
		return nil, err
	}
	return p, nil
}

func (p *Page) call(ctx context.Context, method string, params, out any) error {
	return p.b.call(ctx, p.session, method, params, out)
}

// Navigate loads url and waits for its load event.
func (p *Page) Navigate(ctx context.Context, url string) error {
	seen := p.eventCount("Page.loadEventFired")
	var nav struct {
		ErrorText string `json:"errorText"`
	}
	if err := p.call(ctx, "Page.navigate", map[string]any{"url": url}, &nav); err != nil {
		return err
	}
	if nav.ErrorText != "" {
		return fmt.Errorf("navigate to %s: %s", url, nav.ErrorText)
	}
	return p.waitEvent(ctx, "Page.loadEventFired", seen)
}

func (p *Page) eventCount(method string) int {
	p.b.mu.Lock()
	defer p.b.mu.Unlock()
	n := 0
	for _, e := range p.b.events[p.session] {
		if e.Method == method {
			n++
		}
	}
	return n
}

// waitEvent waits for the event's count to pass seen.
func (p *Page) waitEvent(ctx context.Context, method string, seen int) error {
	for {
		p.b.mu.Lock()
		notify := p.b.notify
		p.b.mu.Unlock()
		if p.eventCount(method) > seen {
			return nil
		}
		select {
		case <-notify:
		case <-p.b.done:
			return fmt.Errorf("waiting for %s: the browser ended", method)
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s: %w", method, ctx.Err())
		}
	}
}

// Problems lists what the page's console and log reported as errors or
// warnings so far: console.error and console.warn calls, uncaught
// exceptions, and the browser's own log (a resource that failed to load, a
// blocked request, a CSP violation, a deprecation).
func (p *Page) Problems() []string {
	p.b.mu.Lock()
	defer p.b.mu.Unlock()
	var out []string
	for _, e := range p.b.events[p.session] {
		switch e.Method {
		case "Runtime.consoleAPICalled":
			var c struct {
				Type string `json:"type"`
				Args []struct {
					Value       any    `json:"value"`
					Description string `json:"description"`
				} `json:"args"`
			}
			_ = json.Unmarshal(e.Params, &c)
			if c.Type == "error" || c.Type == "warning" || c.Type == "assert" {
				var parts []string
				for _, a := range c.Args {
					if a.Value != nil {
						parts = append(parts, fmt.Sprint(a.Value))
					} else {
						parts = append(parts, a.Description)
					}
				}
				out = append(out, "console."+c.Type+": "+strings.Join(parts, " "))
			}
		case "Runtime.exceptionThrown":
			var x struct {
				Details struct {
					Text      string `json:"text"`
					Exception struct {
						Description string `json:"description"`
					} `json:"exception"`
				} `json:"exceptionDetails"`
			}
			_ = json.Unmarshal(e.Params, &x)
			out = append(out, "exception: "+x.Details.Text+" "+x.Details.Exception.Description)
		case "Log.entryAdded":
			var l struct {
				Entry struct {
					Level  string `json:"level"`
					Source string `json:"source"`
					Text   string `json:"text"`
					URL    string `json:"url"`
				} `json:"entry"`
			}
			_ = json.Unmarshal(e.Params, &l)
			if l.Entry.Level == "error" || l.Entry.Level == "warning" {
				out = append(out, fmt.Sprintf("log %s (%s): %s %s", l.Entry.Level, l.Entry.Source, l.Entry.Text, l.Entry.URL))
			}
		}
	}
	return out
}

// Eval evaluates a JavaScript expression in the page and decodes its
// value (JSON-serialisable) into out.
func (p *Page) Eval(ctx context.Context, expr string, out any) error {
	var r struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		Exception *struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	if err := p.call(ctx, "Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true, "awaitPromise": true}, &r); err != nil {
		return err
	}
	if r.Exception != nil {
		return fmt.Errorf("evaluate %q: %s", expr, r.Exception.Text)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(r.Result.Value, out)
}

// Emulate sets the viewport: width and height in CSS pixels, and the
// device's pixels per CSS pixel (2 is a 200 % zoom of a screen twice as
// wide).
func (p *Page) Emulate(ctx context.Context, width, height int, scale float64) error {
	return p.call(ctx, "Emulation.setDeviceMetricsOverride", map[string]any{
		"width": width, "height": height, "deviceScaleFactor": scale, "mobile": false}, nil)
}

// Media emulates a CSS media type: "print", "screen", or "" for none.
func (p *Page) Media(ctx context.Context, media string) error {
	return p.call(ctx, "Emulation.setEmulatedMedia", map[string]any{"media": media}, nil)
}

// PDF prints the page as the print dialog would, with the page's own
// @page size and margins, and gives the PDF.
func (p *Page) PDF(ctx context.Context) ([]byte, error) {
	var r struct {
		Data string `json:"data"`
	}
	if err := p.call(ctx, "Page.printToPDF", map[string]any{"preferCSSPageSize": true, "printBackground": true}, &r); err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString(r.Data)
}

// Screenshot captures the whole page as PNG.
func (p *Page) Screenshot(ctx context.Context) ([]byte, error) {
	var r struct {
		Data string `json:"data"`
	}
	if err := p.call(ctx, "Page.captureScreenshot", map[string]any{"format": "png", "captureBeyondViewport": true}, &r); err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString(r.Data)
}
