package config_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/config"
)

const menuYAML = `menu:
  numbers: ["100", "1000"]
  key_timeout: 12s
  operator: "100"
  choices:
    - key: "1"
      do: appointment
    - key: "2"
      do: matters
    - key: "3"
      do: ring
      target: anowak
      sound: office/menu-my-case
matters:
  - name: Rejestracja pojazdu
    key: "1"
    department: "200"
    description: office/matter-car
  - name: Dowód osobisty
    key: "2"
    department: "100"
    sound: office/matter-id
appointments:
  mayor: "100"
  remind_days_before: 2
notices:
  feature_code: "*73"
  max_attempts: 5
  at_once: 3
  places:
    - name: room-12
      sound: office/where-room-12
`

func TestMenu_Defaults(t *testing.T) {
	c := mustParse(t, base)
	sec := callcare.Target{Kind: callcare.TargetDepartment, ID: "100"}
	m := c.Menu
	if len(m.Numbers) != 0 || m.Operator != sec || m.OperatorKey != "0" || m.AssistanceKey != "9" || m.Tries != 3 ||
		m.KeyTimeout != 10*time.Second || m.Greeting != callcare.DefaultPrompts.MenuGreeting {
		t.Errorf("menu %+v", m)
	}
	want := []callcare.MenuChoice{
		{Key: "1", Do: callcare.ChoiceAppointment, Sound: callcare.DefaultPrompts.MenuAppointment},
		{Key: "3", Do: callcare.ChoiceRing, Target: sec, Sound: callcare.DefaultPrompts.MenuCase},
	}
	if !reflect.DeepEqual(m.Choices, want) {
		t.Errorf("choices %+v: want a meeting and the operator (no matters listed)", m.Choices)
	}
	if m.Appointments != (callcare.Appointments{MayorKey: "0", Mayor: "100", RemindDaysBefore: 1}) {
		t.Errorf("appointments %+v", m.Appointments)
	}
	if n := c.Notices; n.FeatureCode != "*72" || n.MaxAttempts != 4 || n.AtOnce != 2 || len(n.Places) != 0 {
		t.Errorf("notices %+v", n)
	}
}

func TestMenu_Values(t *testing.T) {
	c := mustParse(t, before(t, menuYAML))
	m := c.Menu
	if !reflect.DeepEqual(m.Numbers, []string{"100", "1000"}) || m.KeyTimeout != 12*time.Second {
		t.Errorf("menu %+v", m)
	}
	if len(m.Choices) != 3 || m.Choices[2].Target != (callcare.Target{Kind: callcare.TargetClerk, ID: "anowak"}) || m.Choices[2].Sound != "office/menu-my-case" ||
		m.Choices[1].Do != callcare.ChoiceMatters || m.Choices[1].Sound != callcare.DefaultPrompts.MenuMatters {
		t.Errorf("choices %+v", m.Choices)
	}
	want := []callcare.Matter{
		{Name: "Rejestracja pojazdu", Key: "1", Department: "200", Sound: "callcare/matter-1", Description: "office/matter-car"},
		{Name: "Dowód osobisty", Key: "2", Department: "100", Sound: "office/matter-id"},
	}
	if !reflect.DeepEqual(m.Matters, want) {
		t.Errorf("matters %+v", m.Matters)
	}
	if m.Appointments.RemindDaysBefore != 2 {
		t.Errorf("appointments %+v", m.Appointments)
	}
	if n := c.Notices; n.FeatureCode != "*73" || n.MaxAttempts != 5 || n.AtOnce != 3 || n.Places["room-12"] != "office/where-room-12" {
		t.Errorf("notices %+v", n)
	}
}

func TestMenu_Problems(t *testing.T) {
	m := func(s string) string { return before(t, s) }
	withExt := m("menu:\n  numbers: [\"100\"]\n  assistance_key: \"1\" #!\n")
	for _, tc := range []struct {
		name, yaml, path, msg string
	}{
		{"NumberNotDigits", m("menu:\n  numbers: [\"1a\"] #!\n"), "menu.numbers[0]", "digits only"},
		{"NumberTwice", m("menu:\n  numbers:\n    - \"100\"\n    - \"100\" #!\n"), "menu.numbers[1]", "listed twice"},
		{"KeyTwoDigits", m("menu:\n  operator_key: \"00\" #!\n"), "menu.operator_key", "one digit"},
		{"KeyTimeoutShort", m("menu:\n  key_timeout: 2s #!\n"), "menu.key_timeout", "P5.1"},
		{"TriesMany", m("menu:\n  tries: 9 #!\n"), "menu.tries", "1 to 5"},
		{"OperatorNobody", m("menu:\n  operator: \"999\" #!\n"), "menu.operator", "neither a clerk id nor a department"},
		{"ChoiceUnknown", m("menu:\n  choices:\n    - key: \"1\"\n      do: dance #!\n"), "menu.choices[0].do", "appointment, matters or ring"},
		{"MattersNone", m("menu:\n  choices:\n    - key: \"2\"\n      do: matters #!\n"), "menu.choices[0].do", "needs matters"},
		{"ChoiceKeyIsOperator", m("menu:\n  numbers: [\"100\"]\n  choices:\n    - key: \"0\" #!\n      do: appointment\n"), "menu.choices[0].key", "both the operator and"},
		{"TargetOnAppointment", m("menu:\n  choices:\n    - key: \"1\"\n      do: appointment\n      target: \"100\" #!\n"), "menu.choices[0].target", "only a ring choice"},
		{"TargetNobody", m("menu:\n  choices:\n    - key: \"3\"\n      do: ring\n      target: zz #!\n"), "menu.choices[0].target", "neither a clerk id"},
		{"MatterDepartment", m("matters:\n  - name: X\n    key: \"1\"\n    department: \"900\" #!\n"), "matters[0].department", "no department"},
		{"MatterKeys", m("menu:\n  numbers: [\"100\"]\nmatters:\n  - name: X\n    key: \"1\"\n    department: \"100\"\n  - name: Y\n    key: \"1\" #!\n    department: \"100\"\n"), "matters[1].key", "both matter X and matter Y"},
		{"MatterSound", m("matters:\n  - name: X\n    key: \"1\"\n    department: \"100\"\n    description: \"sound:x\" #!\n"), "matters[0].description", "without \"sound:\""},
		{"AssistanceBeginsAnExtension", withExt, "menu.assistance_key", "begins the extension 101"},
		{"Mayor", m("appointments:\n  mayor: \"900\" #!\n"), "appointments.mayor", "no department"},
		{"RemindMany", m("appointments:\n  remind_days_before: 20 #!\n"), "appointments.remind_days_before", "0 (no reminder) to 10"},
		{"NoticeCodeClash", m("notices:\n  feature_code: \"*7\" #!\n"), "notices.feature_code", "clashes with callbacks.feature_code"},
		{"NoticeAtOnce", m("notices:\n  at_once: 0 #!\n"), "notices.at_once", "1 to 10"},
		{"PlaceName", m("notices:\n  places:\n    - name: Room 12 #!\n      sound: office/x\n"), "notices.places[0].name", "not a place's name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantProblem(t, tc.yaml, tc.path, marked(t, tc.yaml), tc.msg)
		})
	}
	// Without a menu, keys that begin extensions are nobody's business.
	if _, err := config.Parse("callcare.yaml", []byte(before(t, "menu:\n  assistance_key: \"1\"\n")), noEnv); err != nil {
		t.Errorf("no menu: %v", err)
	}
}
