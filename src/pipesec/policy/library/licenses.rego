# Licence allow/deny lists from data.pipesec.licenses.allow / .deny (SPDX ids).
package builtin.licenses

import rego.v1

allowed := {lower(l) | some l in object.get(data, ["pipesec", "licenses", "allow"], [])}

denied := {lower(l) | some l in object.get(data, ["pipesec", "licenses", "deny"], [])}

# each distinct licence expression once ("MIT OR Apache-2.0" names mit and apache-2.0)
expressions contains e if {
	count(allowed) + count(denied) > 0
	some c in input.components
	some e in c.licenses
}

ids(expr) := {lower(t) |
	some t in regex.split(`[\s()]+`, expr)
	t != ""
	not upper(t) in {"AND", "OR", "WITH"}
}

denied_expressions contains e if {
	some e in expressions
	some id in ids(e)
	id in denied
}

# acceptable: one of its OR choices uses only allowed ids
acceptable contains e if {
	some e in expressions
	some choice in regex.split(`\s+(?i:OR)\s+`, e)
	every id in ids(choice) {
		id in allowed
	}
}

deny contains result if {
	some c in input.components
	some e in c.licenses
	e in denied_expressions
	result := {
		"msg": sprintf("%s %s (%s) is under %s, which is denied", [c.name, c.version, c.ecosystem, e]),
		"location": object.get(c, "location", null),
	}
}

deny contains result if {
	count(allowed) > 0
	some c in input.components
	some e in c.licenses
	not e in acceptable
	not e in denied_expressions
	result := {
		"msg": sprintf("%s %s (%s) is under %s, which is not on the allow list", [c.name, c.version, c.ecosystem, e]),
		"location": object.get(c, "location", null),
	}
}

warn contains result if {
	count(allowed) > 0
	some c in input.components
	count(c.licenses) == 0
	result := {
		"msg": sprintf("%s %s (%s) declares no licence", [c.name, c.version, c.ecosystem]),
		"location": object.get(c, "location", null),
	}
}
