# Production deploys need a manual approval, and pipelines use OIDC instead of static cloud keys.
package builtin.deploy_controls

import rego.v1

# rules of the pipelines scanner that find long-lived cloud or registry credentials
default_static_key_rules := {
	"gha/static-aws-keys",
	"gha/static-gcp-key",
	"gha/static-azure-secret",
	"gha/publish-long-lived-token",
	"gitlab/static-cloud-keys",
}

static_key_rules := {r | some r in object.get(data, ["pipesec", "deploy", "static_key_rules"], default_static_key_rules)}

deny contains result if {
	some p in input.posture
	p.gate == "manual-approval"
	not p.present
	result := {
		"msg": sprintf("%s: a production deploy runs without a manual approval (%s)", [p.pipeline, p.detail]),
		"location": {"path": p.pipeline},
	}
}

static_keys contains f if {
	some f in input.findings
	f.rule_id in static_key_rules
}

static_keys contains s.finding if {
	some s in input.suppressed
	s.finding.rule_id in static_key_rules
}

deny contains result if {
	some f in static_keys
	result := {
		"msg": sprintf("%s:%d uses a static credential (%s); use OIDC federation instead", [f.location.path, f.location.start_line, f.rule_id]),
		"rule_id": f.rule_id,
		"location": f.location,
	}
}
