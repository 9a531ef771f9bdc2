"""The decision record: an in-toto Statement about the artifact whose predicate is the
gate's decision, in a DSSE envelope signed with the operator's key (``--record``).
Refusals are recorded too: the audit trail keeps every decision."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pipesec import __version__
from pipesec.deploy.gate import Decision

DECISION_TYPE = "https://github.com/pipesec/pipesec/attestation/deploy-decision/v1"


def _ci_run(env: Mapping[str, str]) -> str:
    if env.get("GITHUB_ACTIONS") == "true" and env.get("GITHUB_RUN_ID"):
        server = env.get("GITHUB_SERVER_URL", "https://github.com")
        return f"{server}/{env.get('GITHUB_REPOSITORY', '')}/actions/runs/{env['GITHUB_RUN_ID']}"
    if env.get("GITLAB_CI") == "true":
        return env.get("CI_JOB_URL", "")
    return ""


def statement(
    decision: Decision, config: Path, env: Mapping[str, str] | None = None
) -> dict[str, Any]:
    from pipesec.attest.statement import make_statement

    env = os.environ if env is None else env
    try:
        config_digest = {"sha256": hashlib.sha256(config.read_bytes()).hexdigest()}
    except OSError:
        config_digest = {}
    scan = decision.statements.get("scan", {}).get("predicate", {})
    provenance = decision.statements.get("provenance", {}).get("facts", {})
    predicate = {
        "decision": "deploy" if decision.allowed else "refuse",
        "timeDecided": decision.now.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "failures": decision.failures,
        "checks": [
            {"requirement": c.requirement, "ok": c.ok, "detail": c.detail} for c in decision.checks
        ],
        "evidence": {
            "scan": {k: scan.get(k) for k in ("timeFinished", "passed") if k in scan},
            "provenance": provenance,
            "approval": decision.approval,
        },
        "config": {"uri": str(config), "digest": config_digest},
        "gate": {"uri": "https://github.com/pipesec/pipesec", "version": __version__},
        "ciRun": _ci_run(env),
    }
    return make_statement([(decision.subject, decision.digest)], DECISION_TYPE, predicate)


def signed(statement_doc: dict[str, Any], key: Any) -> dict[str, Any]:
    from pipesec.attest.dsse import IN_TOTO_PAYLOAD_TYPE, sign_envelope
    from pipesec.attest.statement import encode_statement

    return sign_envelope(encode_statement(statement_doc), IN_TOTO_PAYLOAD_TYPE, key)
