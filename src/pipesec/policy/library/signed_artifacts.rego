# No unsigned artifact: every entry of input.artifacts (filled by the deploy gate) is signed.
package builtin.signed_artifacts

import rego.v1

deny contains result if {
	some a in input.artifacts
	not a.signed == true
	result := {
		"msg": sprintf("artifact %s (%s) is not signed", [a.name, object.get(a, "digest", "no digest")]),
		"severity": "critical",
	}
}
