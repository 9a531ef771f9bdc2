"""The decision in front of production: one check per requirement of ``[deploy]``.

Each failed requirement is one line starting with its name (``signature:``, ``scan:``,
``sbom:``, ``provenance:``, ``window:``, ``freeze:``, ``approval:``, ``policy:``). The
same artifact checks serve the admission webhook (without window, freeze and approval,
which belong to the moment of a deploy, not to a pod being rescheduled).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipesec.attest.errors import VerificationError
from pipesec.deploy import approval as approval_mod
from pipesec.deploy import window as window_mod

if TYPE_CHECKING:
    from pipesec.attest.keys import PublicKey
    from pipesec.core.config import DeployConfig
    from pipesec.deploy.evidence import Subject
    from pipesec.policy.rego_sources import Loaded

log = logging.getLogger(__name__)

SBOM_TYPES = ("https://cyclonedx.org/bom", "https://spdx.dev/Document")
#: a scan that says it finished later than this past ``now`` is refused (clock skew)
FUTURE_SKEW = dt.timedelta(minutes=5)
POLICY_NAMESPACE = "deploy"


@dataclass(frozen=True, slots=True)
class Check:
    requirement: str
    ok: bool
    detail: str


@dataclass(slots=True)
class Decision:
    subject: str
    digest: dict[str, str]
    now: dt.datetime
    checks: list[Check] = field(default_factory=list)
    statements: dict[str, dict[str, Any]] = field(default_factory=dict)
    approval: dict[str, Any] | None = None

    @property
    def allowed(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def failures(self) -> list[str]:
        return [f"{c.requirement}: {c.detail}" for c in self.checks if not c.ok]

    def add(self, requirement: str, ok: bool, detail: str) -> None:
        self.checks.append(Check(requirement, ok, detail))


def _short(digest: str) -> str:
    return digest[:19] + "…" if len(digest) > 20 else digest


def _strip(requirement: str, message: str) -> str:
    """A VerificationError message without a leading ``requirement:``."""
    head, sep, rest = message.partition(": ")
    return rest if sep and head == requirement else message


def _verified(
    subject: Subject, keys: Sequence[PublicKey], types: Sequence[str], requirement: str
) -> tuple[list[dict[str, Any]], str]:
    """The statements of ``types`` about this subject that a trusted key signed, and why
    the others were refused (the first reason, for the failure line)."""
    from pipesec.attest.verify import verify_attestation

    statements: list[dict[str, Any]] = []
    problems: list[str] = []
    for env in subject.envelopes:
        if env.envelope is None:
            problems.append(f"{env.source}: {env.problem}")
            continue
        if env.predicate_type and env.predicate_type not in types:
            continue
        kind = env.predicate_type or types[0]
        try:
            statements.append(verify_attestation(subject.digest, env.envelope, keys, kind))
        except VerificationError as exc:
            problems.append(f"{env.source}: {exc}")
    problem = problems[0] if problems else ""
    if not statements and not problem:
        looked = ", ".join(subject.looked_in) or "no attestation files"
        problem = (
            f"no {types[0]} attestation for {_short(subject.digest_text)} (looked in {looked})"
        )
    return statements, problem


def _time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        t = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


def _iso(t: dt.datetime) -> str:
    return t.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def check_scan(
    decision: Decision, subject: Subject, keys: Sequence[PublicKey], max_age_hours: float
) -> None:
    from pipesec.attest.statement import PIPESEC_SCAN

    statements, problem = _verified(subject, keys, (PIPESEC_SCAN,), "scan")
    if not statements:
        decision.add("scan", False, problem)
        return
    timed = [(_time(s.get("predicate", {}).get("timeFinished")), s) for s in statements]
    if any(t is None for t, _ in timed):
        decision.add("scan", False, "a scan attestation has no valid timeFinished")
        return
    finished, newest = max(timed, key=lambda pair: pair[0] or dt.datetime.min)
    assert finished is not None
    decision.statements["scan"] = newest
    predicate = newest.get("predicate", {})
    if finished > decision.now + FUTURE_SKEW:
        decision.add("scan", False, f"the scan says it finished at {_iso(finished)}, after now")
        return
    if predicate.get("passed") is not True:
        reasons = predicate.get("reasons")
        why = "; ".join(str(r) for r in reasons[:3]) if isinstance(reasons, list) else ""
        decision.add(
            "scan",
            False,
            f"the newest scan ({_iso(finished)}) failed the gate" + (f": {why}" if why else ""),
        )
        return
    age = (decision.now - finished).total_seconds() / 3600
    if age > max_age_hours:
        decision.add(
            "scan",
            False,
            f"the newest passing scan finished {_iso(finished)}, {age:.1f} hours ago "
            f"(max-scan-age-hours = {max_age_hours:g})",
        )
        return
    decision.add("scan", True, f"passed at {_iso(finished)} ({age:.1f} hours ago)")


def check_sbom(decision: Decision, subject: Subject, keys: Sequence[PublicKey]) -> None:
    statements, problem = _verified(subject, keys, SBOM_TYPES, "sbom")
    if statements:
        decision.statements["sbom"] = {k: v for k, v in statements[0].items() if k != "predicate"}
        decision.add("sbom", True, statements[0].get("predicateType", ""))
    else:
        decision.add("sbom", False, problem)


def _branch_ok(ref: str, branches: Sequence[str]) -> bool:
    if not branches:
        return True
    if not ref.startswith("refs/heads/"):
        return False
    branch = ref.removeprefix("refs/heads/")
    return any(fnmatch.fnmatchcase(branch, b.removeprefix("refs/heads/")) for b in branches)


def check_provenance(
    decision: Decision, subject: Subject, keys: Sequence[PublicKey], cfg: DeployConfig
) -> None:
    from pipesec.attest.statement import SLSA_PROVENANCE, provenance_facts

    statements, problem = _verified(subject, keys, (SLSA_PROVENANCE,), "provenance")
    for statement in statements:
        predicate = statement.get("predicate")
        facts = provenance_facts(predicate if isinstance(predicate, Mapping) else {})
        builder, ref = facts["builder"], facts["ref"]
        if not any(fnmatch.fnmatchcase(builder, b) for b in cfg.builders):
            problem = f"builder {builder or '(none)'!r} is not allowed (builders: {cfg.builders})"
            continue
        if not _branch_ok(ref, cfg.branches):
            problem = f"built from {ref or '(no ref)'!r}, not an allowed branch {cfg.branches}"
            continue
        decision.statements["provenance"] = {**statement, "facts": facts}
        decision.add("provenance", True, f"{builder} from {ref or '(no ref)'}")
        return
    decision.add("provenance", False, problem)


def check_signature(
    decision: Decision,
    subject: Subject,
    keys: Sequence[PublicKey],
    cfg: DeployConfig,
    trusted_root: Path | None,
) -> None:
    """A signature by a trusted key, or a keyless Sigstore bundle by a trusted identity."""
    problems = []
    if keys:
        try:
            subject.check_signature(keys)
            decision.add("signature", True, "signed by a trusted key")
            return
        except VerificationError as exc:
            problems.append(_strip("signature", str(exc)))
    if cfg.identities and trusted_root is not None:
        identities = [(i.identity, i.issuer) for i in cfg.identities]
        try:
            if subject.check_keyless is None:
                raise VerificationError("keyless: images are verified with keys only")
            subject.check_keyless(identities, trusted_root)
            decision.add("signature", True, "keyless: signed by a trusted identity")
            return
        except VerificationError as exc:
            problems.append(_strip("signature", str(exc)))
    decision.add("signature", False, "; ".join(problems) or "no trusted key or identity")


def policy_input(decision: Decision, cfg: DeployConfig) -> dict[str, Any]:
    from pipesec.core import config as config_mod

    return {
        "artifact": {"name": decision.subject, "digest": decision.digest},
        "now": _iso(decision.now),
        "checks": [
            {"requirement": c.requirement, "ok": c.ok, "detail": c.detail} for c in decision.checks
        ],
        "statements": decision.statements,
        "approval": decision.approval,
        "config": config_mod.dump(cfg),
    }


def check_policies(decision: Decision, cfg: DeployConfig, loaded: Loaded) -> None:
    from pipesec.policy import rego

    outcome = rego.evaluate(
        loaded.modules, loaded.data, policy_input(decision, cfg), namespaces=(POLICY_NAMESPACE,)
    )
    denies = [r for r in outcome.results if r.kind == "deny" and not r.excepted]
    for result in denies:
        value = result.value
        msg = value.get("msg") if isinstance(value, dict) else value
        decision.add("policy", False, f"{result.package}.{result.rule}: {msg}")
    if not denies:
        decision.add("policy", True, f"{len(loaded.modules)} policy file(s), no deny")


def evaluate(
    subject: Subject,
    cfg: DeployConfig,
    keys: Sequence[PublicKey],
    now: dt.datetime,
    *,
    at_deploy: bool = True,
    env: Mapping[str, str] | None = None,
    policies: Loaded | None = None,
    trusted_root: Path | None = None,
) -> Decision:
    """Every requirement of ``cfg`` for ``subject``; ``at_deploy`` adds window, freeze and
    approval (the deploy gate), the webhook leaves them out."""
    decision = Decision(subject.name, subject.digest, now)
    if "signature" in cfg.require:
        check_signature(decision, subject, keys, cfg, trusted_root)
    if "scan" in cfg.require:
        check_scan(decision, subject, keys, cfg.max_scan_age_hours)
    if "sbom" in cfg.require:
        check_sbom(decision, subject, keys)
    if "provenance" in cfg.require:
        check_provenance(decision, subject, keys, cfg)
    if at_deploy:
        for line in window_mod.check(now, cfg.windows, cfg.freeze, cfg.freeze_tz):
            name, _, detail = line.partition(": ")
            decision.add(name, False, detail)
        timed = cfg.windows or cfg.freeze
        if timed and not any(c.requirement in ("window", "freeze") for c in decision.checks):
            decision.add("window", True, "inside a deployment window, no freeze")
        if "approval" in cfg.require:
            found = approval_mod.evidence(cfg.environments, env)
            decision.approval = found.as_json()
            decision.add("approval", found.ok, found.detail)
    if policies is not None and policies.modules:
        check_policies(decision, cfg, policies)
    return decision
