package config_test

import (
	"testing"

	"github.com/callcare/callcare/config"
)

func TestMetrics(t *testing.T) {
	for _, tc := range []struct {
		name, yaml, want string
	}{
		{"LeftOut", base, ""},
		{"Loopback", before(t, "metrics:\n  listen: 127.0.0.1:9464\n"), "127.0.0.1:9464"},
		{"AnyPort", before(t, "metrics:\n  listen: \"[::1]:0\"\n"), "[::1]:0"},
		{"Empty", before(t, "metrics:\n  listen: \"\"\n"), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if c := mustParse(t, tc.yaml); c.Metrics.Listen != tc.want {
				t.Errorf("listen %q, want %q", c.Metrics.Listen, tc.want)
			}
		})
	}
	if c := mustParse(t, string(config.Example())); c.Metrics.Listen != config.DefaultMetricsListen {
		t.Errorf("the example listens on %q", c.Metrics.Listen)
	}
}

func TestMetrics_Problems(t *testing.T) {
	for _, tc := range []struct {
		name, yaml, msg string
	}{
		{"NoPort", before(t, "metrics:\n  listen: 127.0.0.1 #!\n"), "host:port"},
		{"BadPort", before(t, "metrics:\n  listen: 127.0.0.1:http9 #!\n"), "host:port"},
		{"EveryAddress", before(t, "metrics:\n  listen: \":9464\" #!\n"), "every address"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantProblem(t, tc.yaml, "metrics.listen", marked(t, tc.yaml), tc.msg)
		})
	}
}
