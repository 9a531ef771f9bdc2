"""``pipesec deploy-gate``: real signatures and DSSE envelopes, inside/outside windows,
freezes, stale scans, wrong digests, untrusted keys, missing and tampered attestations."""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path

import pytest
from tests.deploy.conftest import MONDAY_MORNING, PROVENANCE, SCAN, Kit, write_envelopes
from typer.testing import CliRunner

from pipesec.attest import dsse, keys
from pipesec.cli.main import app

runner = CliRunner()
BERLIN_OFFICE = 'windows = [{days = "Mon-Fri", hours = "09:00-17:00", tz = "Europe/Berlin"}]\n'
pytestmark = pytest.mark.usefixtures("no_ci")


def gate(
    kit: Kit, config: Path, *extra: str, now: str = "2026-12-07T10:30:00+01:00"
) -> tuple[int, list[str]]:
    result = runner.invoke(
        app,
        [
            "deploy-gate",
            str(kit.root / "app.tar.gz"),
            "--config",
            str(config),
            "--now",
            now,
            *extra,
        ],
    )
    return result.exit_code, result.stdout.splitlines()


def test_everything_holds_inside_the_window(kit: Kit) -> None:
    kit.artifact()
    code, lines = gate(kit, kit.config(BERLIN_OFFICE))
    assert code == 0, lines
    assert lines[0].startswith("deploy: app.tar.gz sha256:")
    assert lines[0].endswith("5 requirement(s) hold")


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Monday 18:30 Berlin
        ("2026-12-07T17:30:00Z", "window: 2026-12-07 18:30 Mon Europe/Berlin is outside"),
        # Sunday noon
        ("2026-12-06T11:00:00Z", "window: 2026-12-06 12:00 Sun Europe/Berlin is outside"),
    ],
)
def test_outside_the_window(kit: Kit, now: str, expected: str) -> None:
    kit.artifact(finished=dt.datetime.fromisoformat(now) - dt.timedelta(hours=1))
    code, lines = gate(kit, kit.config(BERLIN_OFFICE), now=now)
    assert code == 1
    assert len(lines) == 1
    assert lines[0].startswith(expected)
    assert lines[0].endswith("(Mon-Fri 09:00-17:00 Europe/Berlin)")


def test_freeze(kit: Kit) -> None:
    kit.artifact(finished=dt.datetime(2026, 12, 24, 9, tzinfo=dt.UTC))
    config = kit.config('freeze = ["2026-12-24/2026-12-26"]\nfreeze-tz = "Europe/Berlin"\n')
    code, lines = gate(kit, config, now="2026-12-24T10:00:00Z")
    assert (code, lines) == (
        1,
        ["freeze: 2026-12-24 (Europe/Berlin) is inside the freeze 2026-12-24/2026-12-26"],
    )
    # the day after the freeze (Berlin time) the gate opens again
    kit.artifact(finished=dt.datetime(2026, 12, 26, 23, tzinfo=dt.UTC))
    assert gate(kit, config, now="2026-12-26T23:30:00Z")[0] == 0


def test_stale_scan(kit: Kit) -> None:
    kit.artifact(finished=MONDAY_MORNING - dt.timedelta(hours=30))
    code, lines = gate(kit, kit.config("max-scan-age-hours = 24\n"), now="2026-12-07T09:00:00Z")
    assert code == 1
    assert lines == [
        "scan: the newest passing scan finished 2026-12-06T03:00:00Z, 30.0 hours ago "
        "(max-scan-age-hours = 24)"
    ]


def test_scan_from_the_future_is_refused(kit: Kit) -> None:
    kit.artifact(finished=MONDAY_MORNING + dt.timedelta(hours=2))
    code, lines = gate(kit, kit.config(""), now="2026-12-07T09:00:00Z")
    assert (code, lines) == (
        1,
        ["scan: the scan says it finished at 2026-12-07T11:00:00Z, after now"],
    )


def test_failed_scan_is_refused_even_with_an_older_passing_one(kit: Kit) -> None:
    path = kit.artifact()
    att = kit.root / "app.tar.gz.att.json"
    digest = json.loads(base64.b64decode(json.loads(att.read_text().splitlines()[0])["payload"]))
    sha = digest["subject"][0]["digest"]["sha256"]
    failing = kit.envelope(
        path.name,
        sha,
        SCAN,
        {
            "timeFinished": "2026-12-07T09:10:00Z",
            "passed": False,
            "reasons": ["1 critical finding"],
        },
    )
    with att.open("a") as fh:
        fh.write(json.dumps(failing) + "\n")
    code, lines = gate(kit, kit.config(""))
    assert code == 1
    assert lines == [
        "scan: the newest scan (2026-12-07T09:10:00Z) failed the gate: 1 critical finding"
    ]


def test_wrong_digest(kit: Kit) -> None:
    kit.artifact()
    (kit.root / "app.tar.gz").write_bytes(b"a different build\n")  # swapped after signing
    code, lines = gate(kit, kit.config(""))
    assert code == 1
    assert [line.split(":", 1)[0] for line in lines] == ["signature", "scan", "sbom", "provenance"]
    assert lines[1].startswith("scan: app.tar.gz.att.json#1: attestation: ")
    assert "digest" in lines[1]


def test_untrusted_key(kit: Kit) -> None:
    kit.artifact()
    kit.pub.write_bytes(keys.public_pem(kit.other))  # the config now trusts another key
    code, lines = gate(kit, kit.config(""))
    assert code == 1
    assert [line.split(":", 1)[0] for line in lines] == ["signature", "scan", "sbom", "provenance"]
    assert all("trusted key" in line for line in lines[1:]), lines


def test_missing_attestations_and_signature(kit: Kit) -> None:
    kit.artifact()
    (kit.root / "app.tar.gz.att.json").unlink()
    (kit.root / "app.tar.gz.sig").unlink()
    code, lines = gate(kit, kit.config(""))
    assert code == 1
    assert lines[0] == "signature: no signature (app.tar.gz.sig not found)"
    assert lines[1].startswith(f"scan: no {SCAN} attestation for sha256:")
    assert lines[1].endswith("(looked in app.tar.gz.att.json)")
    assert lines[3].startswith(f"provenance: no {PROVENANCE} attestation")


def test_attestation_flag_supplies_the_evidence(kit: Kit) -> None:
    kit.artifact()
    moved = kit.root / "evidence.jsonl"
    (kit.root / "app.tar.gz.att.json").rename(moved)
    assert gate(kit, kit.config(""))[0] == 1
    assert gate(kit, kit.config(""), "--attestation", str(moved))[0] == 0


def test_tampered_envelope(kit: Kit) -> None:
    kit.artifact()
    att = kit.root / "app.tar.gz.att.json"
    envelopes = [json.loads(line) for line in att.read_text().splitlines()]
    statement = json.loads(base64.b64decode(envelopes[0]["payload"]))
    statement["predicate"]["timeFinished"] = "2026-12-07T09:20:00Z"
    envelopes[0]["payload"] = base64.b64encode(json.dumps(statement).encode()).decode()
    envelopes[1]["signatures"][0]["sig"] = "!!not base64!!"
    write_envelopes(att, envelopes)
    (kit.root / "app.tar.gz.sig").write_bytes(b"AAAA")
    code, lines = gate(kit, kit.config(""))
    assert code == 1
    assert lines[0].startswith("signature: ")
    assert (
        lines[1]
        == "scan: app.tar.gz.att.json#1: envelope: no signature verifies with a trusted key"
    )
    assert lines[2].startswith(
        "sbom: app.tar.gz.att.json#2: envelope: signature is not valid base64"
    )


def test_garbage_attestation_file_is_a_failure_not_a_crash(kit: Kit) -> None:
    kit.artifact()
    (kit.root / "app.tar.gz.att.json").write_bytes(b"\xff{not json")
    code, lines = gate(kit, kit.config(""))
    assert code == 1
    assert lines == [
        f"{name}: app.tar.gz.att.json: not UTF-8 text" for name in ("scan", "sbom", "provenance")
    ]


@pytest.mark.parametrize(
    ("extra", "ref", "expected"),
    [
        (
            'branches = ["main"]\n',
            "refs/heads/feature/x",
            "provenance: built from 'refs/heads/feature/x'",
        ),
        ('branches = ["release/*"]\n', "refs/heads/release/1.2", ""),
        ('branches = ["main"]\n', "refs/tags/v1", "provenance: built from 'refs/tags/v1'"),
    ],
)
def test_provenance_branch(kit: Kit, extra: str, ref: str, expected: str) -> None:
    kit.artifact(ref=ref)
    code, lines = gate(kit, kit.config(extra))
    assert code == (1 if expected else 0)
    if expected:
        assert lines[0].startswith(expected)


def test_provenance_builder(kit: Kit) -> None:
    kit.artifact()
    config = kit.root / "other.toml"
    config.write_text('[deploy]\nkeys = ["trusted.pub"]\nbuilders = ["https://gitlab.com/*"]\n')
    code, lines = gate(kit, config)
    assert code == 1
    assert lines[0].startswith(
        "provenance: builder 'https://github.com/actions/runner/github-hosted' is not allowed"
    )


def test_approval(kit: Kit, monkeypatch: pytest.MonkeyPatch) -> None:
    kit.artifact()
    config = kit.config('require = ["signature", "approval"]\nenvironments = ["production"]\n')
    code, lines = gate(kit, config)
    assert (code, lines[0]) == (
        1,
        "approval: no approval evidence: not running in GitHub Actions or GitLab CI",
    )
    monkeypatch.setenv("GITLAB_CI", "true")
    monkeypatch.setenv("CI_ENVIRONMENT_NAME", "production")
    assert gate(kit, config)[1][0].startswith(
        "approval: no approval evidence: the job was not started manually"
    )
    monkeypatch.setenv("CI_JOB_MANUAL", "true")
    assert gate(kit, config)[0] == 0
    monkeypatch.setenv("CI_ENVIRONMENT_NAME", "staging")
    assert gate(kit, config)[1] == ["approval: environment 'staging' is not one of ['production']"]


def test_github_deployment_event_is_approval(kit: Kit, monkeypatch: pytest.MonkeyPatch) -> None:
    kit.artifact()
    event = kit.root / "event.json"
    event.write_text(json.dumps({"deployment": {"environment": "production"}}))
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_EVENT_NAME", "deployment")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))
    config = kit.config('require = ["approval"]\nenvironments = ["production"]\n')
    assert gate(kit, config)[0] == 0
    monkeypatch.setenv("GITHUB_EVENT_NAME", "push")
    assert gate(kit, config)[0] == 1


def test_rego_policy_denies(kit: Kit) -> None:
    kit.artifact()
    (kit.root / "deploy.rego").write_text(
        "package deploy\n"
        'deny contains msg if {\n  input.statements.provenance.facts.ref != "refs/heads/main"\n'
        '  msg := "only main deploys"\n}\n'
        'deny contains msg if {\n  not startswith(input.artifact.name, "app")\n  msg := "x"\n}\n'
    )
    config = kit.config('policies = ["deploy.rego"]\n')
    assert gate(kit, config)[0] == 0
    kit.artifact(ref="refs/heads/dev")
    config = kit.config('policies = ["deploy.rego"]\nbranches = ["*"]\n')
    code, lines = gate(kit, config)
    assert (code, lines) == (1, ["policy: deploy.deny: only main deploys"])


def test_signed_decision_record(kit: Kit) -> None:
    kit.artifact()
    record_key = kit.root / "gate.key"
    from cryptography.hazmat.primitives import serialization

    record_key.write_bytes(
        kit.other.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    out = kit.root / "records" / "decision.json"
    code, _ = gate(
        kit,
        kit.config(BERLIN_OFFICE),
        "--record",
        str(out),
        "--record-key",
        str(record_key),
        now="2026-12-07T20:00:00Z",
    )
    assert code == 1
    envelope = json.loads(out.read_text())
    _, payload = dsse.verify_envelope(envelope, [kit.other.public_key()])
    statement = json.loads(payload)
    assert statement["_type"] == "https://in-toto.io/Statement/v1"
    assert statement["subject"][0]["name"] == "app.tar.gz"
    predicate = statement["predicate"]
    assert predicate["decision"] == "refuse"
    assert predicate["timeDecided"] == "2026-12-07T20:00:00Z"
    assert predicate["failures"][0].startswith("window: ")
    assert predicate["evidence"]["provenance"]["ref"] == "refs/heads/main"
    # a record signed by the gate's key does not verify with the artifact key
    with pytest.raises(Exception, match="trusted key"):
        dsse.verify_envelope(envelope, [kit.key.public_key()])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.bin"], "missing.bin: artifact not found"),
        (["app.tar.gz", "--now", "yesterday"], "not an ISO-8601 time"),
        (["app.tar.gz", "--attestation", "nope.json"], "--attestation nope.json: file not found"),
        (["app.tar.gz", "--record", "r.json"], "--record needs --record-key"),
    ],
)
def test_usage_errors(
    kit: Kit, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    kit.artifact()
    config = kit.config("")
    monkeypatch.chdir(kit.root)
    result = runner.invoke(app, ["deploy-gate", *args, "--config", str(config)])
    assert result.exit_code == 2
    assert message in result.stderr


def test_config_errors_exit_2(kit: Kit) -> None:
    kit.artifact()
    bad = kit.root / "bad.toml"
    for text, message in [
        ("[gate]\n", "no [deploy] table"),
        (
            '[deploy]\nkeys = ["trusted.pub"]\nbuilders = ["*"]\nwindows = [{days = "Mon-Fry"}]\n',
            "deploy.windows[0].days: Value error, 'Mon-Fry': 'Fry' is not a day",
        ),
        ('[deploy]\nkeys = ["missing.pub"]\nbuilders = ["*"]\n', "missing.pub"),
    ]:
        bad.write_text(text)
        result = runner.invoke(
            app, ["deploy-gate", str(kit.root / "app.tar.gz"), "--config", str(bad)]
        )
        assert result.exit_code == 2, result.output
        assert message in result.stderr


def test_oci_layout_artifact(kit: Kit) -> None:
    store = kit.root / "store"
    store.mkdir()
    kit.image(store, "web", MONDAY_MORNING)
    result = runner.invoke(
        app,
        [
            "deploy-gate",
            str(store / "web"),
            "--config",
            str(kit.config("")),
            "--now",
            "2026-12-07T10:00:00Z",
        ],
    )
    assert result.exit_code == 0, result.stdout
    assert result.stdout.startswith("deploy: web sha256:")


SIGSTORE = Path(__file__).parent.parent / "fixtures" / "attest" / "sigstore-python"


@pytest.mark.parametrize(
    ("identity", "expected"),
    [("william@yossarian.net", 0), ("mallory@example.com", 1)],
)
def test_keyless_identity_offline(kit: Kit, identity: str, expected: int) -> None:
    """A published Sigstore bundle (staging instance) beside the artifact, verified offline
    against the trusted root the config names."""
    import shutil

    artifact = kit.root / "bundle_v3.txt"
    shutil.copy(SIGSTORE / "bundle_v3.txt", artifact)
    shutil.copy(SIGSTORE / "bundle_v3.txt.sigstore", kit.root / "bundle_v3.txt.sigstore")
    shutil.copy(SIGSTORE / "staging_trusted_root.json", kit.root / "root.json")
    config = kit.root / "keyless.toml"
    config.write_text(
        '[deploy]\nrequire = ["signature"]\ntrusted-root = "root.json"\n'
        f'identities = [{{identity = "{identity}", issuer = "https://github.com/login/oauth"}}]\n'
    )
    result = runner.invoke(app, ["deploy-gate", str(artifact), "--config", str(config)])
    assert result.exit_code == expected, result.output
    if expected:
        assert result.stdout.startswith("signature: bundle: ")
