"""``.github/dependabot.yml``: code execution during updates and update cooldowns."""

from __future__ import annotations

from pipesec.core.model import Confidence, Severity
from pipesec.core.yamlpos import Document
from pipesec.scanners.pipelines.common import Ctx, rule

EXTERNAL_CODE = rule(
    "gha/dependabot-external-code-execution",
    "Dependabot allowed to run code from dependencies during updates",
    Severity.HIGH,
    "`insecure-external-code-execution: allow` lets package manager scripts of the "
    "dependency being updated run inside Dependabot with access to the registry "
    "credentials configured for the repository.",
    "Remove the option (the default is deny) and vendor or pre-build what needs scripts.",
    """version: 2
updates:
  - package-ecosystem: bundler
    directory: /
    schedule:
      interval: weekly
    insecure-external-code-execution: allow
    cooldown:
      default-days: 7
""",
    """version: 2
updates:
  - package-ecosystem: bundler
    directory: /
    schedule:
      interval: weekly
    cooldown:
      default-days: 7
""",
    cwe=("CWE-94",),
    tags=("dependabot",),
)

COOLDOWN = rule(
    "gha/dependabot-cooldown",
    "Dependabot updates without a cooldown (or with one under 7 days)",
    Severity.LOW,
    "Without a cooldown Dependabot proposes a release minutes after it is published, "
    "before a compromised version (the usual shape of package hijacks) is noticed and "
    "pulled.",
    "Add `cooldown: {default-days: 7}` to each update entry.",
    """version: 2
updates:
  - package-ecosystem: npm
    directory: /
    schedule:
      interval: daily
""",
    """version: 2
updates:
  - package-ecosystem: npm
    directory: /
    schedule:
      interval: daily
    cooldown:
      default-days: 7
""",
    cwe=("CWE-1357",),
    confidence=Confidence.HIGH,
    tags=("dependabot",),
)

RULES = (EXTERNAL_CODE, COOLDOWN)

#: fewer days than this between a release and its update PR is too short a cooldown
MIN_COOLDOWN_DAYS = 7


def check(doc: Document, ctx: Ctx) -> None:
    root = doc.root
    if root is None or not root.is_map:
        return
    updates = root.get("updates")
    if updates is None or not updates.is_seq:
        return
    for u in updates.seq():
        if not u.is_map:
            continue
        eco = u.str_at("package-ecosystem") or "?"
        ext = u.get("insecure-external-code-execution")
        if ext is not None and (ext.text() or "").lower() == "allow":
            ctx.hit(
                EXTERNAL_CODE,
                ext,
                f"{eco} updates may run dependency code",
                identity=f"ext:{eco}:{u.str_at('directory')}",
            )
        cool = u.get("cooldown")
        if cool is not None and cool.is_map:
            for k, v in cool.pairs():
                days = v.text() or ""
                if k.endswith("-days") and days.isdigit() and int(days) < MIN_COOLDOWN_DAYS:
                    ctx.hit(
                        COOLDOWN,
                        v,
                        f"{eco} updates wait only {days} day(s) ({k}); a compromised release"
                        f" is usually caught within {MIN_COOLDOWN_DAYS}",
                        identity=f"cool:{eco}:{u.str_at('directory')}:{k}",
                    )
        if cool is None:
            key = u.keys.get("package-ecosystem") or u
            ctx.hit(
                COOLDOWN,
                key,
                f"{eco} updates have no cooldown",
                identity=f"cool:{eco}:{u.str_at('directory')}",
            )
