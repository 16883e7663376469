package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/callcare/callcare/ari"
	"github.com/callcare/callcare/config"
	"github.com/callcare/callcare/policy"
	"github.com/callcare/callcare/prompts"
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

// matterSounds are the names of the configuration's matters (P3.2 (2)),
// spoken into their default sounds (callcare/matter-<key>) by prompts
// build, in both languages: the name as written. A matter whose sound is
// the office's own recording is not spoken. No configuration, none.
func matterSounds(ctx context.Context, path string, named bool) ([]prompts.Sound, error) {
	if !named {
		return nil, nil
	}
	c, err := readConfig(ctx, path, config.CheckContext, "")
	if err != nil {
		return nil, err
	}
	var out []prompts.Sound
	for _, m := range c.Menu.Matters {
		if strings.HasPrefix(m.Sound, config.MatterSound) && prompts.ValidName(m.Sound) {
			out = append(out, prompts.Sound{Name: m.Sound, Group: prompts.GroupCallcare, Texts: map[string]string{"pl": m.Name, "en": m.Name}})
		}
	}
	return out, nil
}

// matterNeeds are the sounds the menu of cfg plays beyond its sounds:
// section: the greeting and the choices' names, the matters' names and
// descriptions, the places of documents.
func matterNeeds(cfg *config.Config, from string) []prompts.Need {
	if cfg == nil || len(cfg.Menu.Numbers) == 0 && len(cfg.Notices.Places) == 0 {
		return nil
	}
	var needs []prompts.Need
	add := func(sound, why string) {
		if sound != "" {
			needs = append(needs, prompts.Need{Sound: sound, Why: []string{why + " in " + from}})
		}
	}
	if len(cfg.Menu.Numbers) > 0 {
		add(cfg.Menu.Greeting, "menu.greeting")
		for i, c := range cfg.Menu.Choices {
			add(c.Sound, fmt.Sprintf("menu.choices[%d] (%s)", i, c.Do))
		}
		for _, m := range cfg.Menu.Matters {
			add(m.Sound, "the name of the matter "+m.Name)
			add(m.Description, "the description of the matter "+m.Name)
		}
	}
	for name, sound := range cfg.Notices.Places {
		add(sound, "notices.places "+name)
	}
	return needs
}
