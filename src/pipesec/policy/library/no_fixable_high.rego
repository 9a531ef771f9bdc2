# Fail on a high or critical vulnerability that has a fixed version to upgrade to.
package builtin.no_fixable_high

import rego.v1

deny contains result if {
	some v in input.vulnerabilities
	not v.suppressed
	v.severity in {"critical", "high"}
	v.fixable
	name := object.get(v, ["package", "name"], "?")
	version := object.get(v, ["package", "version"], "?")
	result := {
		"msg": sprintf("%s (%s) in %s %s is fixed in %s: upgrade", [v.id, v.severity, name, version, concat(", ", v.fixed_versions)]),
		"severity": v.severity,
		"rule_id": v.rule_id,
		"location": {"path": v.path},
	}
}
