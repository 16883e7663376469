// Package deploy holds what runs callcare on a machine, and the tests that
// hold those files to the repository: the systemd unit (callcare.service,
// callcare.sysusers), the compose setup step (compose/setup.sh), and, at the
// repository's root, docker-compose.yml and the Dockerfile. Its tests check
// what can be checked without a Docker engine or a running systemd: every
// file the compose file mounts exists, the Asterisk it runs is configured
// from dialplan/asterisk/ and knows every desk phone of the example, no
// password is written in any of them, and the unit is sandboxed.
package deploy
