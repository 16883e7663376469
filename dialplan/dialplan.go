package dialplan

import (
	"embed"
	"strings"

	"github.com/callcare/callcare"
)

// Asterisk holds the configuration snippets an office installs:
// asterisk/extensions.conf, asterisk/ari.conf and asterisk/http.conf.
//
//go:embed asterisk/*.conf
var Asterisk embed.FS

// Resolve finds what a dialed number reaches: a clerk by extension or a
// department by number. Surrounding spaces are ignored; anything else must
// match exactly. A nil directory, an empty or unknown number reaches nobody.
func Resolve(dir *callcare.Directory, dialed string) (callcare.Target, bool) {
	n := strings.TrimSpace(dialed)
	if dir == nil || n == "" {
		return callcare.Target{}, false
	}
	for _, c := range dir.Clerks {
		if c.Extension == n {
			return callcare.Target{Kind: callcare.TargetClerk, ID: string(c.ID)}, true
		}
	}
	for _, d := range dir.Departments {
		if d.Number == n {
			return callcare.Target{Kind: callcare.TargetDepartment, ID: d.Number}, true
		}
	}
	return callcare.Target{}, false
}
