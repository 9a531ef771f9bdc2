package builtin.deploy_controls_test

import rego.v1

import data.builtin.deploy_controls

approval(present) := {"pipeline": ".github/workflows", "gate": "manual-approval", "present": present, "detail": "d"}

static_keys := {"rule_id": "gha/static-aws-keys", "location": {"path": ".github/workflows/deploy.yml", "start_line": 9}}

test_deploy_without_approval_denied if {
	count(deploy_controls.deny) == 1 with input as {"posture": [approval(false)], "findings": [], "suppressed": []}
}

test_static_keys_denied_even_suppressed if {
	count(deploy_controls.deny) == 1 with input as {"posture": [approval(true)], "findings": [], "suppressed": [{"finding": static_keys}]}
}

test_approved_oidc_deploy_passes if {
	count(deploy_controls.deny) == 0 with input as {"posture": [approval(true)], "findings": [], "suppressed": []}
}
