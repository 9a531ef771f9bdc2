"""in-toto Statements with the in-toto-attestation library (both directions), SLSA
provenance v1 from GitHub Actions and GitLab CI variables, checked with the SLSA
provenance protobuf of the same library."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from google.protobuf import json_format
from in_toto_attestation.predicates.provenance.v1 import provenance_pb2
from in_toto_attestation.v1 import statement_pb2
from in_toto_attestation.v1.resource_descriptor import ResourceDescriptor
from in_toto_attestation.v1.statement import Statement

from pipesec.attest import dsse, keys, statement, verify
from pipesec.attest.errors import VerificationError
from pipesec.core.errors import UsageError

DIGEST = {"sha256": "ab" * 32}

GITHUB = {
    "GITHUB_ACTIONS": "true",
    "GITHUB_SERVER_URL": "https://github.com",
    "GITHUB_REPOSITORY": "acme/shop",
    "GITHUB_SHA": "0" * 40,
    "GITHUB_REF": "refs/heads/main",
    "GITHUB_WORKFLOW_REF": "acme/shop/.github/workflows/release.yml@refs/heads/main",
    "GITHUB_RUN_ID": "42",
    "GITHUB_RUN_ATTEMPT": "2",
    "GITHUB_EVENT_NAME": "push",
    "RUNNER_ENVIRONMENT": "github-hosted",
}
GITLAB = {
    "GITLAB_CI": "true",
    "CI_SERVER_URL": "https://gitlab.example.com",
    "CI_PROJECT_PATH": "acme/shop",
    "CI_COMMIT_SHA": "1" * 40,
    "CI_COMMIT_BRANCH": "release",
    "CI_PIPELINE_ID": "7",
    "CI_JOB_URL": "https://gitlab.example.com/acme/shop/-/jobs/9",
    "CI_RUNNER_ID": "3",
}


def test_our_statement_is_valid_for_in_toto_attestation() -> None:
    ours = statement.make_statement([("app.tar", DIGEST)], statement.CYCLONEDX, {"bomFormat": "x"})
    proto = json_format.Parse(statement.encode_statement(ours), statement_pb2.Statement())
    Statement.copy_from_pb(proto).validate()
    assert proto.subject[0].digest["sha256"] == DIGEST["sha256"]


def test_in_toto_attestation_statement_verifies_with_us(ec_key: keys.PrivateKey) -> None:
    subject = ResourceDescriptor(name="app.tar", digest=DIGEST).pb
    theirs = Statement([subject], statement.PIPESEC_SCAN, {"passed": True})
    theirs.validate()
    payload = json_format.MessageToJson(theirs.pb).encode()
    envelope = dsse.sign_envelope(payload, dsse.IN_TOTO_PAYLOAD_TYPE, ec_key)
    found = verify.verify_attestation(DIGEST, envelope, [ec_key.public_key()], "pipesec-scan")
    assert found["predicate"] == {"passed": True}


@pytest.mark.parametrize(
    ("env", "builder", "ref", "repository", "commit"),
    [
        (
            GITHUB,
            "https://github.com/actions/runner/github-hosted",
            "refs/heads/main",
            "https://github.com/acme/shop",
            "0" * 40,
        ),
        (
            GITLAB,
            "https://gitlab.example.com/acme/shop/-/runners/3",
            "refs/heads/release",
            "https://gitlab.example.com/acme/shop",
            "1" * 40,
        ),
        ({}, statement.LOCAL_BUILDER, "", "", ""),
    ],
)
def test_slsa_provenance_from_ci(
    env: dict[str, str], builder: str, ref: str, repository: str, commit: str
) -> None:
    predicate = statement.slsa_provenance(env)
    # a valid SLSA v1 Provenance message (unknown fields would fail the parse)
    json_format.Parse(json.dumps(predicate), provenance_pb2.Provenance())
    facts = statement.provenance_facts(predicate)
    assert facts == {"builder": builder, "repository": repository, "ref": ref, "commit": commit}


def test_github_invocation_and_workflow() -> None:
    predicate = statement.slsa_provenance(GITHUB)
    assert predicate["runDetails"]["metadata"]["invocationId"].endswith(
        "/acme/shop/actions/runs/42/attempts/2"
    )
    workflow = predicate["buildDefinition"]["externalParameters"]["workflow"]
    assert workflow["path"] == ".github/workflows/release.yml"


def test_predicate_type_names() -> None:
    assert statement.resolve_predicate_type("slsaprovenance") == "https://slsa.dev/provenance/v1"
    assert (
        statement.resolve_predicate_type("https://example.com/p/v1") == "https://example.com/p/v1"
    )
    with pytest.raises(UsageError, match="unknown predicate type"):
        statement.resolve_predicate_type("sbom")


def test_scan_predicate_from_report() -> None:
    report = {
        "tool": {"version": "0.1.0"},
        "gate": {"passed": False, "reasons": ["1 high"]},
        "summary": {"findings": 1},
    }
    predicate = statement.scan_predicate(report, "2026-12-06T04:00:00Z")
    assert predicate["passed"] is False and predicate["reasons"] == ["1 high"]
    assert predicate["timeFinished"] == "2026-12-06T04:00:00Z"
    with pytest.raises(UsageError, match="no gate result"):
        statement.scan_predicate({"findings": []}, "x")


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b"[]",
        b'{"_type": "https://in-toto.io/Statement/v0.1"}',
        b'{"_type": "https://in-toto.io/Statement/v1", "subject": "x", "predicateType": "p"}',
        b'{"_type": "https://in-toto.io/Statement/v1", "subject": []}',
    ],
)
def test_malformed_statements(payload: bytes, ec_key: keys.PrivateKey) -> None:
    envelope = dsse.sign_envelope(payload, dsse.IN_TOTO_PAYLOAD_TYPE, ec_key)
    with pytest.raises(VerificationError, match=r"^attestation: "):
        verify.verify_attestation(DIGEST, envelope, [ec_key.public_key()], None)


def test_attestation_requirements(ec_key: keys.PrivateKey, tmp_path: Path) -> None:
    ours = statement.make_statement([("a", DIGEST)], statement.CYCLONEDX, {})
    envelope = dsse.sign_envelope(
        statement.encode_statement(ours), dsse.IN_TOTO_PAYLOAD_TYPE, ec_key
    )
    pub = [ec_key.public_key()]
    with pytest.raises(VerificationError, match=r"predicate type is https://cyclonedx\.org/bom"):
        verify.verify_attestation(DIGEST, envelope, pub, "vuln")
    with pytest.raises(VerificationError, match=r"no subject has the artifact's digest"):
        verify.verify_attestation({"sha256": "cd" * 32}, envelope, pub, "cyclonedx")
    other = dsse.sign_envelope(b"{}", "text/plain", ec_key)
    with pytest.raises(VerificationError, match="is not in-toto"):
        verify.verify_attestation(DIGEST, other, pub, None)
