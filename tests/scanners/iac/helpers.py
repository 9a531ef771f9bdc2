from __future__ import annotations

from pipesec.core.model import Finding, Note, ScanError
from pipesec.core.scanner import ScanItem
from pipesec.scanners.iac import scan_compose, scan_dockerfile, scan_kubernetes
from pipesec.scanners.iac.tfproject import scan_texts


def scan_family(family: str, text: str, **kw: object) -> list[ScanItem]:
    if family == "docker":
        return list(scan_dockerfile("Dockerfile", text, **kw))  # type: ignore[arg-type]
    if family == "k8s":
        return list(scan_kubernetes("deploy.yaml", text))
    if family == "compose":
        return list(scan_compose("docker-compose.yml", text))
    if family == "cfn":
        from pipesec.scanners.iac.cfn_rules import scan_template

        name = "template.json" if text.lstrip().startswith("{") else "template.yaml"
        return scan_template(name, text) or []
    return list(scan_texts({"main.tf": text}))


def findings(items: list[ScanItem], rule_id: str | None = None) -> list[Finding]:
    return [
        i for i in items if isinstance(i, Finding) and (rule_id is None or i.rule_id == rule_id)
    ]


def errors(items: list[ScanItem]) -> list[ScanError]:
    return [i for i in items if isinstance(i, ScanError)]


def notes(items: list[ScanItem]) -> list[Note]:
    return [i for i in items if isinstance(i, Note)]
