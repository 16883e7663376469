package deploy_test

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/callcare/callcare/config"
)

// root is the repository, where docker-compose.yml's relative paths start.
const root = ".."

type compose struct {
	Services map[string]struct {
		Image string
		Build *struct {
			Context, Target string
		}
		Volumes     []string
		NetworkMode string `yaml:"network_mode"`
		Secrets     []yaml.Node
		Command     []string
		Environment map[string]string
	}
	Secrets map[string]struct{ File string }
	Volumes map[string]any
}

func readCompose(t *testing.T) compose {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "docker-compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var c compose
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	if err := dec.Decode(&c); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	for _, s := range []string{"setup", "asterisk", "callcare"} {
		if _, ok := c.Services[s]; !ok {
			t.Fatalf("docker-compose.yml: no service %s", s)
		}
	}
	return c
}

// mount is one short-syntax volume: SOURCE:TARGET[:ro].
type mount struct{ source, target string }

func mounts(t *testing.T, vols []string) []mount {
	t.Helper()
	var ms []mount
	for _, v := range vols {
		f := strings.Split(v, ":")
		if len(f) < 2 || len(f) > 3 {
			t.Fatalf("volume %q: not SOURCE:TARGET[:MODE]", v)
		}
		ms = append(ms, mount{f[0], f[1]})
	}
	return ms
}

// The files the compose file mounts into Asterisk are the project's
// dialplan/asterisk/*.conf, each at its own name, every one of them: a new
// .conf is not forgotten, a renamed one does not leave a dangling mount.
func TestCompose_AsteriskIsConfiguredFromDialplan(t *testing.T) {
	c := readCompose(t)
	confs, err := filepath.Glob(filepath.Join(root, "dialplan/asterisk/*.conf"))
	if err != nil || len(confs) == 0 {
		t.Fatalf("dialplan/asterisk: %v", err)
	}
	mounted := map[string]string{}
	for _, m := range mounts(t, c.Services["asterisk"].Volumes) {
		if strings.HasPrefix(m.source, "./") {
			mounted[m.source] = m.target
		}
	}
	for _, conf := range confs {
		name := filepath.Base(conf)
		src := "./dialplan/asterisk/" + name
		if mounted[src] != "/etc/asterisk/"+name {
			t.Errorf("%s is not mounted at /etc/asterisk/%s (got %q)", src, name, mounted[src])
		}
		delete(mounted, src)
	}
	for src := range mounted {
		t.Errorf("the asterisk service mounts %s, which is not in dialplan/asterisk/", src)
	}
}

// Every file or directory a service mounts from the repository exists
// (office-sounds/ is the office's, optional: Docker makes it empty).
func TestCompose_MountedFilesExist(t *testing.T) {
	c := readCompose(t)
	for name, s := range c.Services {
		for _, m := range mounts(t, s.Volumes) {
			switch {
			case m.source == "./office-sounds":
			case strings.HasPrefix(m.source, "./"):
				if _, err := os.Stat(filepath.Join(root, m.source)); err != nil {
					t.Errorf("%s mounts %s: %v", name, m.source, err)
				}
			default:
				if _, ok := c.Volumes[m.source]; !ok {
					t.Errorf("%s mounts the volume %q, which volumes: does not declare", name, m.source)
				}
			}
		}
		if s.Build != nil {
			if !slices.Contains(dockerfileStages(t), s.Build.Target) {
				t.Errorf("%s builds target %q: no such stage in the Dockerfile", name, s.Build.Target)
			}
		}
	}
}

// Secrets come from files the repository never holds.
func TestCompose_SecretsStayOutOfTheRepository(t *testing.T) {
	c := readCompose(t)
	if len(c.Secrets) == 0 {
		t.Fatal("no secrets: where do the passwords come from?")
	}
	for name, s := range c.Secrets {
		if !strings.HasPrefix(s.File, "./secrets/") {
			t.Errorf("secret %s: %q is not under ./secrets/", name, s.File)
		}
		if _, err := exec.LookPath("git"); err == nil {
			if err := exec.Command("git", "-C", root, "check-ignore", "-q", s.File).Run(); err != nil {
				t.Errorf("secret %s: git does not ignore %s", name, s.File)
			}
		}
	}
	// No password in any file of the setup.
	files := []string{"docker-compose.yml", "Dockerfile", "deploy/callcare.service", "deploy/compose/setup.sh"}
	confs, _ := filepath.Glob(filepath.Join(root, "dialplan/asterisk/*.conf"))
	for _, f := range confs {
		rel, _ := filepath.Rel(root, f)
		files = append(files, rel)
	}
	assignment := regexp.MustCompile(`(?i)^\s*(password|secret)\s*=`)
	for _, f := range files {
		eachLine(t, filepath.Join(root, f), func(n int, line string) {
			if assignment.MatchString(line) {
				t.Errorf("%s:%d: a password written in the file: %s", f, n, line)
			}
		})
	}
}

// The Asterisk image is pinned to an Asterisk 20 release.
func TestCompose_AsteriskPinned(t *testing.T) {
	img := readCompose(t).Services["asterisk"].Image
	if !regexp.MustCompile(`^[a-z0-9./-]+:20\.\d+\.\d+[_-]`).MatchString(img) {
		t.Errorf("asterisk image %q: not pinned to an Asterisk 20.x.y tag", img)
	}
}

// The service reads the example configuration, its password from the
// secret at the file that configuration names, and the example is valid.
func TestCompose_ServiceConfiguration(t *testing.T) {
	c := readCompose(t)
	svc := c.Services["callcare"]
	var cfgSource string
	for _, m := range mounts(t, svc.Volumes) {
		if m.target == "/etc/callcare/callcare.yaml" {
			cfgSource = m.source
		}
	}
	if cfgSource == "" || !slices.Contains(svc.Command, "/etc/callcare/callcare.yaml") {
		t.Fatalf("callcare: no configuration mounted where serve reads it (%v)", svc.Command)
	}
	cfg, err := config.Check(filepath.Join(root, cfgSource))
	if err != nil {
		t.Fatalf("%s: %v", cfgSource, err)
	}
	var target string
	for _, n := range svc.Secrets {
		var long struct{ Source, Target string }
		if n.Kind == yaml.MappingNode && n.Decode(&long) == nil && long.Source == "ari_password" {
			target = long.Target
		}
	}
	if target == "" || target != cfg.Asterisk.PasswordFile {
		t.Errorf("the secret ari_password is at %q, the configuration reads %q", target, cfg.Asterisk.PasswordFile)
	}
	// Asterisk and the service meet on loopback, as the dialplan's FastAGI
	// and http.conf expect: both on the host's network.
	for _, s := range []string{"asterisk", "callcare"} {
		if c.Services[s].NetworkMode != "host" {
			t.Errorf("%s: network_mode %q, want host", s, c.Services[s].NetworkMode)
		}
	}
	if !strings.HasPrefix(cfg.Asterisk.ARIURL, "http://127.0.0.1:") {
		t.Errorf("ari_url %s: not on loopback", cfg.Asterisk.ARIURL)
	}

	// Every desk phone of the example is an endpoint of pjsip.conf, and so
	// is the trunk callbacks are dialed through.
	sections := map[string]bool{}
	eachLine(t, filepath.Join(root, "dialplan/asterisk/pjsip.conf"), func(_ int, line string) {
		if m := regexp.MustCompile(`^\[([^\]]+)\]`).FindStringSubmatch(line); m != nil {
			sections[m[1]] = true
		}
	})
	for _, cl := range cfg.Directory.Clerks {
		if ep, ok := strings.CutPrefix(cl.Endpoint, "PJSIP/"); !ok || !sections[ep] {
			t.Errorf("clerk %s: endpoint %s not in pjsip.conf", cl.ID, cl.Endpoint)
		}
	}
	if strings.Contains(cfg.Callbacks.Dial, "@trunk") && !sections["trunk"] {
		t.Error("callbacks.dial uses the trunk; pjsip.conf has none")
	}
}

// The service's image runs as a user that is not root.
func TestDockerfile_NotRoot(t *testing.T) {
	var user string
	eachLine(t, filepath.Join(root, "Dockerfile"), func(_ int, line string) {
		if strings.HasPrefix(line, "FROM ") {
			user = ""
		}
		if u, ok := strings.CutPrefix(line, "USER "); ok {
			user = strings.TrimSpace(u)
		}
	})
	if user == "" || user == "root" || strings.HasPrefix(user, "0") {
		t.Errorf("the last stage runs as %q", user)
	}
	// Everything the Dockerfile copies from the repository exists.
	eachLine(t, filepath.Join(root, "Dockerfile"), func(n int, line string) {
		f := strings.Fields(line)
		if len(f) >= 3 && f[0] == "COPY" && !strings.HasPrefix(f[1], "--") {
			for _, src := range f[1 : len(f)-1] {
				if _, err := os.Stat(filepath.Join(root, src)); err != nil {
					t.Errorf("Dockerfile:%d: COPY %s: %v", n, src, err)
				}
			}
		}
	})
}

func dockerfileStages(t *testing.T) []string {
	t.Helper()
	var stages []string
	eachLine(t, filepath.Join(root, "Dockerfile"), func(_ int, line string) {
		f := strings.Fields(line)
		if len(f) == 4 && f[0] == "FROM" && strings.EqualFold(f[2], "AS") {
			stages = append(stages, f[3])
		}
	})
	return stages
}

// The unit is sandboxed as the issue asks, and systemd reads it.
func TestSystemdUnit(t *testing.T) {
	unit := filepath.Join(root, "deploy/callcare.service")
	set := map[string][]string{}
	eachLine(t, unit, func(_ int, line string) {
		if k, v, ok := strings.Cut(line, "="); ok && !strings.HasPrefix(line, "#") {
			set[k] = append(set[k], v)
		}
	})
	for key, want := range map[string]string{
		"User":                  "callcare",
		"StateDirectory":        "callcare",
		"ProtectSystem":         "strict",
		"NoNewPrivileges":       "yes",
		"CapabilityBoundingSet": "",
		"Restart":               "on-failure",
		"ExecReload":            "/bin/kill -HUP $MAINPID",
		"LoadCredential":        "ari-password:/etc/callcare/ari-password",
	} {
		if !slices.Contains(set[key], want) {
			t.Errorf("%s=%q: have %q", key, want, set[key])
		}
	}
	if v := set["ProcSubset"]; len(v) > 0 && !slices.Contains(v, "all") {
		t.Errorf("ProcSubset=%q hides /proc/stat: asterisk.max_host_cpu would see nothing", v)
	}
	if _, err := exec.LookPath("systemd-analyze"); err != nil {
		t.Skip("systemd-analyze not installed: the unit's syntax is not checked here")
	}
	// verify wants the programs to exist: point them at one that does.
	b, err := os.ReadFile(unit)
	if err != nil {
		t.Fatal(err)
	}
	copied := filepath.Join(t.TempDir(), "callcare.service")
	if err := os.WriteFile(copied, []byte(strings.ReplaceAll(string(b), "/usr/local/bin/callcare", "/bin/true")), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("systemd-analyze", "verify", copied).CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}

// The unit and the compose file run the service's Go runtime alike: the
// settings the load measurements were made with (docs/LOAD.md), in both.
func TestRuntimeEnvironment(t *testing.T) {
	unit := map[string]string{}
	eachLine(t, filepath.Join(root, "deploy/callcare.service"), func(_ int, line string) {
		// One assignment a line, unquoted, as the unit writes them.
		if kv, ok := strings.CutPrefix(line, "Environment="); ok {
			k, v, _ := strings.Cut(kv, "=")
			unit[k] = v
		}
	})
	composed := readCompose(t).Services["callcare"].Environment
	for _, k := range []string{"GOMAXPROCS", "GODEBUG"} {
		if unit[k] == "" || unit[k] != composed[k] {
			t.Errorf("%s: the unit sets %q, docker-compose.yml %q", k, unit[k], composed[k])
		}
	}
}

// The setup script is valid sh.
func TestSetupScript(t *testing.T) {
	if out, err := exec.Command("sh", "-n", filepath.Join(root, "deploy/compose/setup.sh")).CombinedOutput(); err != nil {
		t.Errorf("sh -n: %v\n%s", err, out)
	}
}

func eachLine(t *testing.T, path string, f func(n int, line string)) {
	t.Helper()
	file, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	sc := bufio.NewScanner(file)
	for n := 1; sc.Scan(); n++ {
		f(n, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}
