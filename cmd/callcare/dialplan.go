package main

import (
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/callcare/callcare/config"
	"github.com/callcare/callcare/dialplan"
)

func newDialplanCmd() *cobra.Command {
	c := group(&cobra.Command{
		Use:   "dialplan",
		Short: "the Asterisk dialplan, made from the configuration",
	})
	c.AddCommand(newDialplanRenderCmd())
	return c
}

func newDialplanRenderCmd() *cobra.Command {
	var path, out, prefix string
	c := &cobra.Command{
		Use:   "render",
		Short: "write extensions.conf for the configured numbers and phones",
		Long: `Write the Asterisk contexts for the office of the configuration, so admins
never keep two lists: every department's number, clerk's extension and
dedicated line into the service (Stasis), with a fallback that rings the
clerk, then the secretariat's phones, when the service is down (ring seconds
from the procedure: answer_within_rings x ring_cycle); the desk phones'
feature codes (callbacks.feature_code, forwarding.set_code and clear_code)
with the endpoint Asterisk authenticated, PJSIP or chan_sip as the
directory's endpoints are; outside calls through callbacks.dial with the
FastAGI notice when answered. dialplan/asterisk/extensions.conf is this for
callcare.example.yaml. Install it and run 'dialplan reload'.`,
		Example: `  callcare dialplan render --config /etc/callcare/callcare.yaml --out /etc/asterisk/extensions-callcare.conf
  asterisk -rx 'dialplan reload'`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			cfg, err := readConfig(c.Context(), path, config.CheckContext, "")
			if err != nil {
				return err
			}
			data, err := dialplan.Render(dialplanOf(cfg, filepath.Base(path), prefix))
			if err != nil {
				return err
			}
			return writeOut(out, c.OutOrStdout(), bytesOf(data))
		},
	}
	configFlag(c.Flags(), &path, "the office's numbers and phones")
	c.Flags().StringVar(&out, "out", "", "write to this `file` (default: standard output)")
	c.Flags().StringVar(&prefix, "outside-prefix", "0", "what desk phones dial first for an outside line")
	return c
}

// dialplanOf is the dialplan's view of a configuration.
func dialplanOf(c *config.Config, source, prefix string) dialplan.Plan {
	ring := time.Duration(c.Procedure.AnswerWithinRings) * c.Procedure.RingCycle
	p := dialplan.Plan{
		Source: source, Directory: &c.Directory, App: c.Asterisk.App,
		Rings: c.Procedure.AnswerWithinRings, RingSeconds: int((ring + time.Second - 1) / time.Second),
		Secretariat: c.Secretariat, AGI: c.Asterisk.AGIListen,
		OfficeNumber: c.Callbacks.CallerID, OutsideDial: c.Callbacks.Dial, OutsidePrefix: prefix,
		QueueCode: c.Callbacks.FeatureCode, SetCode: c.Forwarding.SetCode, ClearCode: c.Forwarding.ClearCode,
		Prompts:     c.Prompts,
		MenuNumbers: c.Menu.Numbers, NoticeCode: c.Notices.FeatureCode,
	}
	for _, l := range c.SpecialNeeds.Lines {
		p.Lines = append(p.Lines, dialplan.Line{Number: l.Number, Target: l.Target})
	}
	return p
}
