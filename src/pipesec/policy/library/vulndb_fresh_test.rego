package builtin.vulndb_fresh_test

import rego.v1

import data.builtin.vulndb_fresh

scan(age) := {"scanners": [{"name": "deps"}], "components": [{"name": "x"}], "context": {"vulndb": {"age_days": age}}}

test_old_data_denied if {
	count(vulndb_fresh.deny) == 1 with input as scan(30)
}

test_missing_data_denied if {
	count(vulndb_fresh.deny) == 1 with input as scan(null)
}

test_fresh_data_passes if {
	count(vulndb_fresh.deny) == 0 with input as scan(1.5)
}

test_max_age_from_data if {
	count(vulndb_fresh.deny) == 0 with input as scan(30) with data.pipesec.vulndb.max_age_days as 60
}
