"""The ``kubernetes`` target of the IaC data rules (docs/iac-rules.md): rule files under
``rules/kubernetes/`` become ``k8s/<id>`` checks in the Kubernetes registry.

A condition sees ``o`` (the whole object), ``pod`` (its pod spec, ``{}`` when it has none),
``meta`` (the pod template's metadata, the object's for a Pod) and, with
``each: container``, ``c`` (one container of containers, initContainers and
ephemeralContainers; ``{}`` otherwise). ``kinds`` lists object kinds; ``workloads`` stands
for every kind that has a pod template. ``report`` is a dotted path rooted at ``o``, ``pod``
or ``c``: the deepest key of it that exists is reported (the container, or the object, when
none does). ``message`` may use ``{name}`` (the container's, else the object's) and
``{kind}``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from pipesec.core.yamlpos import YNode as Y
from pipesec.scanners.iac.common import Check, Hit
from pipesec.scanners.iac.datarules import RuleFile, rule_files

if TYPE_CHECKING:  # kubernetes.py imports this module at its end, for its registry
    from pipesec.scanners.iac.kubernetes import K8sObject

WORKLOADS = "workloads"


def _plain(node: Y | None) -> Any:
    return node.plain() if node is not None else {}


def _deepest(roots: dict[str, Y | None], path: str, fallback: Y) -> Y:
    head, _, rest = path.partition(".")
    cur = roots.get(head)
    if cur is None:
        return fallback
    best = cur
    for part in rest.split(".") if rest else []:
        nxt = cur.get(int(part)) if part.isdigit() else cur.get(part)
        if nxt is None:
            break
        best = cur = nxt
    return best


def kubernetes_check(rf: RuleFile) -> Check:
    from pipesec.scanners.iac.cel import Condition, to_cel
    from pipesec.scanners.iac.kubernetes import _at, template_meta

    target = rf.kubernetes
    assert target is not None
    kinds = set(target.kinds)
    condition = Condition(target.condition)

    def check(o: K8sObject) -> Iterator[Hit]:
        if o.kind not in kinds and not (WORKLOADS in kinds and o.pod is not None):
            return
        if not o.cel:
            o.cel["object"] = {
                "o": to_cel(o.doc.plain()),
                "pod": to_cel(_plain(o.pod)),
                "meta": to_cel(_plain(template_meta(o))),
                "c": to_cel({}),
            }
            o.cel["containers"] = [
                {**o.cel["object"], "c": to_cel(_plain(c))} for c in o.containers
            ]
        pairs = (
            zip(o.containers, o.cel["containers"], strict=True)
            if target.each == "container"
            else [(None, o.cel["object"])]
        )
        for c, activation in pairs:
            if not condition.matches(activation):
                continue
            fallback = c if c is not None else o.doc
            node = fallback
            if target.report:
                roots = {"o": o.doc, "pod": o.pod, "c": c}
                node = _deepest(roots, target.report, fallback)
            name = str(c.scalar("name") or "?") if c is not None else o.name
            message = (target.message or "{kind} {name}: " + rf.title).format(
                name=name, kind=o.kind
            )
            yield _at(node, message, key=name)

    return Check(rf.rule("k8s", target), check)


def kubernetes_checks() -> list[Check]:
    return [kubernetes_check(rf) for rf in rule_files() if rf.kubernetes is not None]
