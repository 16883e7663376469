package main

import (
	"github.com/callcare/callcare/ari"
	"github.com/callcare/callcare/config"
	"github.com/callcare/callcare/policy"
)

// phoneMatters gives the service the phone matters of P3.2: the voice
// menu, the notices (their own maximum of attempts, the callbacks' retry
// schedule and office hours) and the meetings' reminders.
func phoneMatters(c *config.Config, set *ari.Settings, rules policy.CallbackRules) {
	set.Menu = policy.MenuSettings{Menu: c.Menu, Prompts: c.Prompts}
	nr := rules
	nr.MaxAttempts = c.Notices.MaxAttempts
	set.Notices = policy.NoticeSettings{
		Procedure: c.Procedure, Rules: nr, Prompts: c.Prompts, Say: policy.Saying{Lang: c.Language},
		KeyTimeout: c.Callbacks.KeyTimeout, Dial: c.Callbacks.Dial, CallerID: c.Callbacks.CallerID,
		RemindDaysBefore: c.Menu.Appointments.RemindDaysBefore,
	}
	set.NoticesAtOnce = c.Notices.AtOnce
	set.Session.RemindDaysBefore = c.Menu.Appointments.RemindDaysBefore
}
