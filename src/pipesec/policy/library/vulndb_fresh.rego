# Vulnerability data is no older than data.pipesec.vulndb.max_age_days (default 7) when dependencies are checked.
package builtin.vulndb_fresh

import rego.v1

max_age := object.get(data, ["pipesec", "vulndb", "max_age_days"], 7)

deps_checked if {
	some s in input.scanners
	s.name == "deps"
	count(input.components) > 0
}

deny contains msg if {
	deps_checked
	input.context.vulndb.age_days == null
	msg := "dependencies were checked against no vulnerability data: run 'pipesec db sync'"
}

deny contains msg if {
	deps_checked
	age := input.context.vulndb.age_days
	age != null
	age > max_age
	msg := sprintf("vulnerability data is %.1f days old, more than %d: run 'pipesec db sync'", [age, max_age])
}
