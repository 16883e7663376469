package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callcare/callcare/config"
	"github.com/callcare/callcare/pbxsim"
)

// TestServeWrongPassword: Asterisk refuses the ARI password: serve stops
// at once, exit status 1, with a message that names the settings.
func TestServeWrongPassword(t *testing.T) {
	pbx := pbxsim.NewServer(pbxsim.Options{User: "callcare", Password: "s3cret"})
	defer pbx.Close()
	dir := t.TempDir()
	cfg := string(config.Example())
	cfg = strings.Replace(cfg, "http://127.0.0.1:8088/ari", pbx.URL(), 1)
	cfg = strings.Replace(cfg, "ws://127.0.0.1:8088/ari/events", pbx.WebsocketURL(), 1)
	cfg = strings.Replace(cfg, "/var/lib/callcare/callcare.db", filepath.Join(dir, "callcare.db"), 1)
	cfg = strings.Replace(cfg, "agi_listen: 127.0.0.1:4573", "agi_listen: 127.0.0.1:0", 1)
	cfg = strings.Replace(cfg, "listen: 127.0.0.1:9464", "listen: 127.0.0.1:0", 1)
	path := filepath.Join(dir, "callcare.yaml")
	os.WriteFile(path, []byte(cfg), 0o600)
	t.Setenv("CALLCARE_ARI_PASSWORD", "not-the-password")

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var logs syncBuffer
	err := run(ctx, []string{"serve", "--config", path}, &logs, &logs)
	if ctx.Err() != nil {
		t.Fatalf("serve kept trying a refused password:\n%s", logs.String())
	}
	if !errors.As(err, new(exitError)) || !strings.Contains(logs.String(), "callcare serve: Asterisk refused the ARI user") ||
		!strings.Contains(logs.String(), "asterisk.password_env") {
		t.Errorf("serve with a wrong password: %v\n%s", err, logs.String())
	}
}
