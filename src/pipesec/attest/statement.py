"""in-toto Statement v1 (https://in-toto.io/Statement/v1) and the predicates pipesec makes.

SLSA provenance v1 is built from the CI environment (GitHub Actions or GitLab CI variables);
the pipesec scan predicate (``PIPESEC_SCAN``) is documented in docs/signing.md.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pipesec.attest.errors import VerificationError
from pipesec.core.errors import UsageError

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
SLSA_PROVENANCE = "https://slsa.dev/provenance/v1"
CYCLONEDX = "https://cyclonedx.org/bom"
COSIGN_VULN = "https://cosign.sigstore.dev/attestation/vuln/v1"
PIPESEC_SCAN = "https://github.com/pipesec/pipesec/attestation/scan/v1"

PREDICATE_TYPES: dict[str, str] = {
    "slsaprovenance": SLSA_PROVENANCE,
    "cyclonedx": CYCLONEDX,
    "vuln": COSIGN_VULN,
    "pipesec-scan": PIPESEC_SCAN,
}

GITHUB_BUILD_TYPE = "https://actions.github.io/buildtypes/workflow/v1"
GITLAB_BUILD_TYPE = "https://gitlab.com/gitlab-org/gitlab-runner/-/blob/v1/PROVENANCE.md"
LOCAL_BUILD_TYPE = "https://github.com/pipesec/pipesec/buildtypes/local/v1"
LOCAL_BUILDER = "https://github.com/pipesec/pipesec/builders/local"


def resolve_predicate_type(name: str) -> str:
    """A short name (``slsaprovenance`` ...) or a URI, as the predicate type URI."""
    if name in PREDICATE_TYPES:
        return PREDICATE_TYPES[name]
    if "://" in name:
        return name
    known = ", ".join(PREDICATE_TYPES)
    raise UsageError(f"unknown predicate type {name!r}: use a URI or one of {known}")


def make_statement(
    subjects: list[tuple[str, dict[str, str]]], predicate_type: str, predicate: dict[str, Any]
) -> dict[str, Any]:
    return {
        "_type": STATEMENT_TYPE,
        "subject": [{"name": name, "digest": dict(digest)} for name, digest in subjects],
        "predicateType": predicate_type,
        "predicate": predicate,
    }


def encode_statement(statement: dict[str, Any]) -> bytes:
    return json.dumps(statement, sort_keys=True, separators=(",", ":")).encode()


def parse_statement(payload: bytes) -> dict[str, Any]:
    """A verified DSSE payload as a Statement v1; VerificationError when it is not one."""
    try:
        statement = json.loads(payload)
    except (ValueError, UnicodeDecodeError):
        raise VerificationError("attestation: payload is not JSON") from None
    if not isinstance(statement, dict) or statement.get("_type") != STATEMENT_TYPE:
        raise VerificationError(f"attestation: payload is not an in-toto {STATEMENT_TYPE}")
    subjects = statement.get("subject")
    if not isinstance(subjects, list) or not all(
        isinstance(s, dict) and isinstance(s.get("digest"), dict) for s in subjects
    ):
        raise VerificationError("attestation: statement subjects are malformed")
    if not isinstance(statement.get("predicateType"), str):
        raise VerificationError("attestation: statement has no predicateType")
    return statement


def _github(env: Mapping[str, str]) -> dict[str, Any]:
    server = env.get("GITHUB_SERVER_URL", "https://github.com")
    repo = env.get("GITHUB_REPOSITORY", "")
    ref = env.get("GITHUB_REF", "")
    workflow_ref = env.get("GITHUB_WORKFLOW_REF", "")  # owner/repo/.github/workflows/x.yml@ref
    path = workflow_ref.split("@", 1)[0].removeprefix(f"{repo}/")
    runner = env.get("RUNNER_ENVIRONMENT", "github-hosted")
    return {
        "buildDefinition": {
            "buildType": GITHUB_BUILD_TYPE,
            "externalParameters": {
                "workflow": {"ref": ref, "repository": f"{server}/{repo}", "path": path}
            },
            "internalParameters": {
                "github": {
                    "event_name": env.get("GITHUB_EVENT_NAME", ""),
                    "repository_id": env.get("GITHUB_REPOSITORY_ID", ""),
                    "repository_owner_id": env.get("GITHUB_REPOSITORY_OWNER_ID", ""),
                    "runner_environment": runner,
                }
            },
            "resolvedDependencies": [
                {
                    "uri": f"git+{server}/{repo}@{ref}",
                    "digest": {"gitCommit": env.get("GITHUB_SHA", "")},
                }
            ],
        },
        "runDetails": {
            "builder": {"id": f"https://github.com/actions/runner/{runner}"},
            "metadata": {
                "invocationId": f"{server}/{repo}/actions/runs/{env.get('GITHUB_RUN_ID', '')}"
                f"/attempts/{env.get('GITHUB_RUN_ATTEMPT', '1')}"
            },
        },
    }


def _gitlab(env: Mapping[str, str]) -> dict[str, Any]:
    server = env.get("CI_SERVER_URL", "https://gitlab.com")
    project = env.get("CI_PROJECT_PATH", "")
    branch = env.get("CI_COMMIT_BRANCH", "")
    tag = env.get("CI_COMMIT_TAG", "")
    ref = f"refs/tags/{tag}" if tag else f"refs/heads/{branch or env.get('CI_COMMIT_REF_NAME', '')}"
    metadata = {"invocationId": env.get("CI_JOB_URL", "")}
    if env.get("CI_JOB_STARTED_AT"):
        metadata["startedOn"] = env["CI_JOB_STARTED_AT"]
    return {
        "buildDefinition": {
            "buildType": GITLAB_BUILD_TYPE,
            "externalParameters": {
                "source": f"{server}/{project}",
                "ref": ref,
                "entryPoint": env.get("CI_CONFIG_PATH", ".gitlab-ci.yml"),
                "job": env.get("CI_JOB_NAME", ""),
            },
            "internalParameters": {
                "CI_PIPELINE_ID": env.get("CI_PIPELINE_ID", ""),
                "CI_PIPELINE_SOURCE": env.get("CI_PIPELINE_SOURCE", ""),
                "CI_PIPELINE_URL": env.get("CI_PIPELINE_URL", ""),
                "CI_JOB_ID": env.get("CI_JOB_ID", ""),
            },
            "resolvedDependencies": [
                {
                    "uri": f"git+{server}/{project}@{ref}",
                    "digest": {"gitCommit": env.get("CI_COMMIT_SHA", "")},
                }
            ],
        },
        "runDetails": {
            "builder": {"id": f"{server}/{project}/-/runners/{env.get('CI_RUNNER_ID', '')}"},
            "metadata": metadata,
        },
    }


def slsa_provenance(env: Mapping[str, str]) -> dict[str, Any]:
    """A SLSA provenance v1 predicate describing the CI run ``env`` belongs to.

    Outside a known CI it describes a local build (builder ``LOCAL_BUILDER``), which a deploy
    policy naming allowed builders will refuse.
    """
    if env.get("GITHUB_ACTIONS") == "true":
        return _github(env)
    if env.get("GITLAB_CI") == "true":
        return _gitlab(env)
    return {
        "buildDefinition": {
            "buildType": LOCAL_BUILD_TYPE,
            "externalParameters": {},
            "resolvedDependencies": [],
        },
        "runDetails": {"builder": {"id": LOCAL_BUILDER}, "metadata": {}},
    }


def provenance_facts(predicate: Mapping[str, Any]) -> dict[str, str]:
    """builder / repository / ref / commit of a SLSA v1 predicate ('' when absent).

    One reading for GitHub, GitLab and other builders, for policies that allow builders
    and branches.
    """

    def get(obj: Any, *path: str) -> Any:
        for part in path:
            obj = obj.get(part) if isinstance(obj, Mapping) else None
        return obj

    external = get(predicate, "buildDefinition", "externalParameters")
    deps = get(predicate, "buildDefinition", "resolvedDependencies")
    first = deps[0] if isinstance(deps, list) and deps and isinstance(deps[0], Mapping) else {}
    ref = get(external, "workflow", "ref") or get(external, "ref") or ""
    repository = get(external, "workflow", "repository") or get(external, "source") or ""
    values = {
        "builder": get(predicate, "runDetails", "builder", "id"),
        "repository": repository,
        "ref": ref,
        "commit": get(first, "digest", "gitCommit"),
    }
    return {k: v if isinstance(v, str) else "" for k, v in values.items()}


def scan_predicate(report: Mapping[str, Any], finished: str) -> dict[str, Any]:
    """The pipesec scan predicate from a pipesec JSON report (``--output json=...``)."""
    gate = report.get("gate")
    if not isinstance(gate, Mapping) or not isinstance(gate.get("passed"), bool):
        raise UsageError("the scan report has no gate result (a pipesec JSON report is needed)")
    summary = report.get("summary")
    tool = report.get("tool")
    return {
        "scanner": {
            "uri": "https://github.com/pipesec/pipesec",
            "version": str(tool.get("version", "")) if isinstance(tool, Mapping) else "",
        },
        "timeFinished": finished,
        "passed": gate["passed"],
        "reasons": [str(r) for r in gate.get("reasons", []) if isinstance(r, str)],
        "summary": dict(summary) if isinstance(summary, Mapping) else {},
    }
