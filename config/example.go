package config

import _ "embed"

// The shipped example lives at the repository root, where admins find it;
// this package embeds a copy. TestExample fails when they differ.
//go:generate cp ../callcare.example.yaml example.yaml

//go:embed example.yaml
var example []byte

// Example returns the shipped, commented callcare.example.yaml.
func Example() []byte { return append([]byte(nil), example...) }
