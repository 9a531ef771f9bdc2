package builtin.no_critical_test

import rego.v1

import data.builtin.no_critical

critical := {"rule_id": "secrets/aws", "scanner": "secrets", "severity": "critical", "title": "AWS key", "location": {"path": "app.py", "start_line": 3}}

test_critical_finding_denied if {
	count(no_critical.deny) == 1 with input as {"findings": [critical]}
}

test_high_finding_passes if {
	count(no_critical.deny) == 0 with input as {"findings": [object.union(critical, {"severity": "high"})]}
}
