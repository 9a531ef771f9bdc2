package builtin.signed_artifacts_test

import rego.v1

import data.builtin.signed_artifacts

test_unsigned_artifact_denied if {
	count(signed_artifacts.deny) == 1 with input as {"artifacts": [{"name": "app.tar", "digest": "sha256:ab", "signed": false}]}
}

test_signed_artifact_passes if {
	count(signed_artifacts.deny) == 0 with input as {"artifacts": [{"name": "app.tar", "signed": true}]}
}
