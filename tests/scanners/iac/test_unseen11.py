"""Session 17: what an eleventh unseen sample (checkov's own check tests: Google Terraform,
CloudFormation, Kubernetes and Dockerfile) found missing, in its general form, with the forms that
must stay quiet: Compute Engine settings whose provider default is the insecure one (project-wide
SSH keys accepted, Shielded VM secure boot off) were reported only when written out."""

from __future__ import annotations

import pytest
from tests.scanners.iac.helpers import errors, findings, scan_family

SSH = "tf/gcp-compute-project-ssh-keys-not-blocked"
SSH_EXPLICIT = "tf/gcp-compute-project-ssh-keys-allowed"
BOOT = "tf/gcp-compute-secure-boot-not-enabled"
BOOT_EXPLICIT = "tf/gcp-compute-secure-boot-disabled"


def _rules(tf: str) -> set[str]:
    items = scan_family("tf", tf)
    assert not errors(items)
    return {f.rule_id for f in findings(items)}


def _instance(body: str, kind: str = "google_compute_instance") -> str:
    return (
        f'resource "{kind}" "vm" {{\n'
        '  name         = "vm"\n'
        '  machine_type = "e2-small"\n'
        '  network_interface {\n    network = "default"\n  }\n'
        f"{body}}}\n"
    )


# -- project-wide SSH keys: accepted unless blocked or OS Login is on ------------------------


@pytest.mark.parametrize("kind", ["google_compute_instance", "google_compute_instance_template"])
@pytest.mark.parametrize(
    "body",
    [
        "",
        '  metadata = {\n    foo = "bar"\n  }\n',
        '  metadata = {\n    enable-oslogin = "FALSE"\n  }\n',
        "  metadata = {\n    serial-port-enable = true\n  }\n",
    ],
)
def test_project_keys_not_blocked_is_reported(kind: str, body: str) -> None:
    assert SSH in _rules(_instance(body, kind))


@pytest.mark.parametrize(
    "body",
    [
        "  metadata = {\n    block-project-ssh-keys = true\n  }\n",
        '  metadata = {\n    block-project-ssh-keys = "TRUE"\n  }\n',
        '  metadata = {\n    enable-oslogin = "TRUE"\n  }\n',
        "  metadata = {\n    enable-oslogin = true\n  }\n",
        # written elsewhere: a variable may set either key
        "  metadata = var.metadata\n",
        "  metadata = {\n    block-project-ssh-keys = var.block\n  }\n",
    ],
)
def test_blocked_or_os_login_or_unknown_is_quiet(body: str) -> None:
    assert SSH not in _rules(_instance(body))


def test_explicit_false_is_the_explicit_rule_only() -> None:
    got = _rules(_instance('  metadata = {\n    block-project-ssh-keys = "false"\n  }\n'))
    assert SSH_EXPLICIT in got
    assert SSH not in got


@pytest.mark.parametrize(
    "project",
    [
        'resource "google_compute_project_metadata" "p" {\n'
        '  metadata = {\n    enable-oslogin = "TRUE"\n  }\n}\n',
        'resource "google_compute_project_metadata_item" "p" {\n'
        '  key   = "enable-oslogin"\n  value = "TRUE"\n}\n',
        'resource "google_project_organization_policy" "p" {\n'
        '  project    = "p"\n  constraint = "compute.requireOsLogin"\n'
        "  boolean_policy {\n    enforced = true\n  }\n}\n",
        'resource "google_org_policy_policy" "p" {\n'
        '  name   = "projects/p/policies/compute.requireOsLogin"\n  parent = "projects/p"\n}\n',
    ],
)
def test_os_login_for_the_project_in_the_module_is_quiet(project: str) -> None:
    assert SSH not in _rules(project + _instance(""))


def test_project_os_login_off_does_not_count() -> None:
    project = (
        'resource "google_compute_project_metadata_item" "p" {\n'
        '  key   = "enable-oslogin"\n  value = "FALSE"\n}\n'
    )
    assert SSH in _rules(project + _instance(""))


def test_instances_from_templates_are_left_to_their_template() -> None:
    tf = (
        'resource "google_compute_instance_from_template" "vm" {\n'
        '  name                     = "vm"\n'
        "  source_instance_template = google_compute_instance_template.t.id\n}\n"
    )
    got = _rules(tf)
    assert SSH not in got
    assert BOOT not in got


# -- Shielded VM secure boot: off unless enable_secure_boot = true ---------------------------


@pytest.mark.parametrize("kind", ["google_compute_instance", "google_compute_instance_template"])
@pytest.mark.parametrize(
    "body",
    [
        "",
        "  shielded_instance_config {}\n",
        "  shielded_instance_config {\n    enable_integrity_monitoring = true\n  }\n",
        "  shielded_instance_config {\n    enable_vtpm = true\n  }\n",
    ],
)
def test_secure_boot_left_at_default_is_reported(kind: str, body: str) -> None:
    assert BOOT in _rules(_instance(body, kind))


@pytest.mark.parametrize(
    "body",
    [
        "  shielded_instance_config {\n    enable_secure_boot = true\n  }\n",
        "  shielded_instance_config {\n    enable_secure_boot = var.secure_boot\n  }\n",
    ],
)
def test_secure_boot_set_or_unknown_is_quiet(body: str) -> None:
    assert BOOT not in _rules(_instance(body))


def test_secure_boot_false_is_the_explicit_rule_only() -> None:
    got = _rules(_instance("  shielded_instance_config {\n    enable_secure_boot = false\n  }\n"))
    assert BOOT_EXPLICIT in got
    assert BOOT not in got


def test_required_shielded_vm_policy_in_the_module_is_quiet() -> None:
    policy = (
        'resource "google_project_organization_policy" "shielded" {\n'
        '  project    = "p"\n  constraint = "constraints/compute.requireShieldedVm"\n'
        "  boolean_policy {\n    enforced = true\n  }\n}\n"
    )
    assert BOOT not in _rules(policy + _instance(""))


# -- serial port on instance templates (the held-out part's form, read after scoring) -------

SERIAL = "tf/gcp-instance-serial-port"


@pytest.mark.parametrize("kind", ["google_compute_instance", "google_compute_instance_template"])
@pytest.mark.parametrize("value", ["true", '"true"', '"TRUE"', '"1"'])
def test_serial_port_enabled_is_reported_on_instances_and_templates(kind: str, value: str) -> None:
    assert SERIAL in _rules(
        _instance(f"  metadata = {{\n    serial-port-enable = {value}\n  }}\n", kind)
    )


@pytest.mark.parametrize("value", ["false", '"FALSE"', "var.serial"])
def test_serial_port_off_or_unknown_on_templates_is_quiet(value: str) -> None:
    body = f"  metadata = {{\n    serial-port-enable = {value}\n  }}\n"
    assert SERIAL not in _rules(_instance(body, "google_compute_instance_template"))


@pytest.mark.parametrize(
    ("policy", "rule"),
    [
        (
            'resource "google_project_organization_policy" "p" {\n'
            '  project    = "p"\n  constraint = "compute.requireOsLogin"\n'
            "  boolean_policy {\n    enforced = false\n  }\n}\n",
            SSH,
        ),
        (
            'resource "google_project_organization_policy" "p" {\n'
            '  project    = "p"\n  constraint = "compute.requireOsLogin"\n'
            "  restore_policy {\n    default = true\n  }\n}\n",
            SSH,
        ),
        (
            'resource "google_org_policy_policy" "p" {\n'
            '  name   = "projects/p/policies/compute.requireOsLogin"\n  parent = "projects/p"\n'
            '  spec {\n    rules {\n      enforce = "FALSE"\n    }\n  }\n}\n',
            SSH,
        ),
        (
            'resource "google_project_organization_policy" "shielded" {\n'
            '  project    = "p"\n  constraint = "constraints/compute.requireShieldedVm"\n'
            "  boolean_policy {\n    enforced = false\n  }\n}\n",
            BOOT,
        ),
    ],
)
def test_a_policy_that_turns_the_constraint_off_does_not_count(policy: str, rule: str) -> None:
    """review17 (mends 8b8d932): a policy resource naming compute.requireOsLogin or
    compute.requireShieldedVm counted as enforcing it whatever it said, so one that turns it
    off (enforced = false, a restore_policy, a v2 rule with enforce = "FALSE") kept the
    instance quiet."""
    assert rule in _rules(policy + _instance(""))
