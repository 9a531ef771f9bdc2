package builtin.licenses_test

import rego.v1

import data.builtin.licenses

component(lic) := {"name": "x", "version": "1", "ecosystem": "PyPI", "licenses": lic}

lists := {"pipesec": {"licenses": {"allow": ["MIT", "Apache-2.0"], "deny": ["GPL-3.0-only"]}}}

test_denied_licence if {
	count(licenses.deny) == 1 with input as {"components": [component(["GPL-3.0-only"])]} with data.pipesec as lists.pipesec
}

test_licence_off_the_allow_list if {
	count(licenses.deny) == 1 with input as {"components": [component(["BSD-3-Clause"])]} with data.pipesec as lists.pipesec
}

test_allowed_choice_passes if {
	count(licenses.deny) == 0 with input as {"components": [component(["GPL-2.0-only OR MIT"])]} with data.pipesec as lists.pipesec
}

test_no_licence_warns if {
	count(licenses.warn) == 1 with input as {"components": [component([])]} with data.pipesec as lists.pipesec
}

test_no_lists_no_results if {
	count(licenses.deny) == 0 with input as {"components": [component(["GPL-3.0-only"])]}
}
