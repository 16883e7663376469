package agi

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/callcare/callcare"
)

// ScriptOutboundAnswered is the script the dialplan runs when a clerk's
// outbound call is answered:
//
//	AGI(agi://127.0.0.1:4573/outbound-answered,<number>,<TECH/endpoint>)
const ScriptOutboundAnswered = "outbound-answered"

// endpointPattern is a desk phone as the dialplan names it: a channel
// technology and an endpoint name ("PJSIP/101", "PJSIP/jkowalska-desk").
var endpointPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]{0,15}/[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)

var errBadArgs = errors.New("bad arguments")

// outboundAnswered checks the two arguments and tells the hooks. Nothing it
// receives is echoed anywhere but the log, masked.
func (s *Server) outboundAnswered(ctx context.Context, req *request) error {
	if len(req.Args) != 2 {
		return fmt.Errorf("%s: %w: %d arguments, want number and endpoint", ScriptOutboundAnswered, errBadArgs, len(req.Args))
	}
	number, ok := callcare.CallableNumber(callcare.Number(req.Args[0]))
	if !ok {
		return fmt.Errorf("%s: %w: number %q is not 3-15 digits", ScriptOutboundAnswered, errBadArgs, callcare.MaskNumber(req.Args[0]))
	}
	endpoint := req.Args[1]
	if !endpointPattern.MatchString(endpoint) {
		return fmt.Errorf("%s: %w: endpoint %q is not TECH/resource", ScriptOutboundAnswered, errBadArgs, truncate(endpoint))
	}
	if err := s.hooks.OutboundAnswered(ctx, number, endpoint); err != nil {
		return fmt.Errorf("%s: number %s, endpoint %s: %w", ScriptOutboundAnswered, number.Masked(), endpoint, err)
	}
	s.log.Info("agi: clerk's outbound call answered", "number", number, "endpoint", endpoint)
	return nil
}

// truncate keeps a rejected value short enough for a log line.
func truncate(s string) string {
	const n = 40
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}
