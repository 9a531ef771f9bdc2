package builtin.exceptions_owner_expiry_test

import rego.v1

import data.builtin.exceptions_owner_expiry as policy

soon := time.format([time.now_ns() + ((30 * 24) * 3600) * 1000000000, "UTC", "2006-01-02"])

far := time.format([time.now_ns() + ((800 * 24) * 3600) * 1000000000, "UTC", "2006-01-02"])

entry(owner, expires) := {"rule": "gha/unpinned-uses", "path": "**", "reason": "r", "owner": owner, "expires": expires}

test_owned_expiring_exception_passes if {
	count(policy.deny) == 0 with input as {"gate": {"exceptions": [entry("team-a", soon)]}}
}

test_no_owner_denied if {
	count(policy.deny) == 1 with input as {"gate": {"exceptions": [entry(null, soon)]}}
}

test_no_expiry_denied if {
	count(policy.deny) == 1 with input as {"gate": {"exceptions": [entry("team-a", null)]}}
}

test_expiry_too_far_denied if {
	count(policy.deny) == 1 with input as {"gate": {"exceptions": [entry("team-a", far)]}}
}
