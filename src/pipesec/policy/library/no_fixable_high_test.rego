package builtin.no_fixable_high_test

import rego.v1

import data.builtin.no_fixable_high

vuln := {"id": "GHSA-x", "severity": "high", "fixable": true, "fixed_versions": ["2.0"], "suppressed": false, "package": {"name": "flask", "version": "1.0"}, "rule_id": "deps/vulnerable-package", "path": "requirements.txt"}

test_fixable_high_denied if {
	some r in no_fixable_high.deny with input as {"vulnerabilities": [vuln]}
	contains(r.msg, "fixed in 2.0")
}

test_unfixable_high_passes if {
	count(no_fixable_high.deny) == 0 with input as {"vulnerabilities": [object.union(vuln, {"fixable": false, "fixed_versions": []})]}
}

test_fixable_medium_passes if {
	count(no_fixable_high.deny) == 0 with input as {"vulnerabilities": [object.union(vuln, {"severity": "medium"})]}
}
