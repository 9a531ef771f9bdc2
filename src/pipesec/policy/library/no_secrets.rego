# No secret ever: secret findings fail even when suppressed, baselined or demoted.
package builtin.no_secrets

import rego.v1

# the secrets scanner makes every secret finding (its own rules and gitleaks rules)
deny contains result if {
	some f in input.findings
	f.scanner == "secrets"
	result := {
		"msg": sprintf("secret %s at %s:%d", [f.rule_id, f.location.path, f.location.start_line]),
		"severity": "critical",
		"rule_id": f.rule_id,
		"location": f.location,
	}
}

deny contains result if {
	some s in input.suppressed
	s.finding.scanner == "secrets"
	f := s.finding
	result := {
		"msg": sprintf("secret %s at %s:%d is suppressed (%s: %s), but secrets are never accepted: rotate it and remove it", [f.rule_id, f.location.path, f.location.start_line, s.kind, s.justification]),
		"severity": "critical",
		"rule_id": f.rule_id,
		"location": f.location,
	}
}
