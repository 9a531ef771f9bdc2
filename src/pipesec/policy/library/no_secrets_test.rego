package builtin.no_secrets_test

import rego.v1

import data.builtin.no_secrets

secret := {"rule_id": "secrets/aws-access-key-id", "scanner": "secrets", "severity": "low", "location": {"path": "a.py", "start_line": 1}}

test_demoted_secret_denied if {
	count(no_secrets.deny) == 1 with input as {"findings": [secret], "suppressed": []}
}

test_suppressed_secret_denied if {
	count(no_secrets.deny) == 1 with input as {"findings": [], "suppressed": [{"finding": secret, "kind": "baseline", "justification": "old"}]}
}

test_other_findings_pass if {
	count(no_secrets.deny) == 0 with input as {"findings": [object.union(secret, {"rule_id": "bandit/B101", "scanner": "sast"})], "suppressed": []}
}
