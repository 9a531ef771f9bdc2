# Fail on any critical finding that is not suppressed.
package builtin.no_critical

import rego.v1

deny contains result if {
	some f in input.findings
	f.severity == "critical"
	f.scanner != "policy"
	result := {
		"msg": sprintf("critical finding %s at %s:%d: %s", [f.rule_id, f.location.path, f.location.start_line, f.title]),
		"severity": "critical",
		"rule_id": f.rule_id,
		"location": f.location,
	}
}
