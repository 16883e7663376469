package config

import (
	"net"
	"strconv"
	"strings"
)

// FileMetrics is the metrics: section: where the office's monitoring
// (Prometheus) reads the service.
type FileMetrics struct {
	// Listen is the address of /metrics, /healthz and /readyz: host:port,
	// a loopback address such as 127.0.0.1:9464 (the figures hold no
	// personal data, but they are the office's own). Empty or left out:
	// none are served.
	Listen string `yaml:"listen"`
}

// Metrics is where the service serves its metrics and health.
type Metrics struct {
	Listen string // host:port; "" for none
}

// DefaultMetricsListen is the address the example and the README use:
// loopback, on the port Prometheus's list of exporters gives callcare.
const DefaultMetricsListen = "127.0.0.1:9464"

// buildMetrics checks metrics:.
func (p *parser) buildMetrics(rm *FileMetrics, c *Config) {
	const path = "metrics.listen"
	if !p.usable(path) {
		return
	}
	l := strings.TrimSpace(rm.Listen)
	if l == "" {
		return
	}
	host, port, err := net.SplitHostPort(l)
	if n, perr := strconv.Atoi(port); err != nil || perr != nil || n < 0 || n > 65535 {
		p.add(path, p.lineOf(path), "must be host:port such as %s, or empty for none, not %q", DefaultMetricsListen, rm.Listen)
		return
	}
	if host == "" {
		p.add(path, p.lineOf(path), "%q listens on every address: name one, such as %s", rm.Listen, DefaultMetricsListen)
		return
	}
	c.Metrics.Listen = l
}
