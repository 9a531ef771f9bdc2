# Every [[exceptions]] entry has an owner and an expiry date (at most data.pipesec.exceptions.max_days ahead).
package builtin.exceptions_owner_expiry

import rego.v1

max_days := object.get(data, ["pipesec", "exceptions", "max_days"], 365)

blank(v) if v == null

blank(v) if {
	is_string(v)
	trim_space(v) == ""
}

deny contains result if {
	some e in input.gate.exceptions
	blank(e.owner)
	result := {"msg": sprintf("exception for %s (%s) has no owner", [e.rule, e.path])}
}

deny contains result if {
	some e in input.gate.exceptions
	e.expires == null
	result := {"msg": sprintf("exception for %s (%s) never expires; give it an expires date", [e.rule, e.path])}
}

deny contains result if {
	some e in input.gate.exceptions
	e.expires != null
	days := (time.parse_ns("2006-01-02", e.expires) - time.now_ns()) / ((24 * 60) * 60e9)
	days > max_days
	result := {"msg": sprintf("exception for %s (%s) expires %s, more than %d days ahead", [e.rule, e.path, e.expires, max_days])}
}
