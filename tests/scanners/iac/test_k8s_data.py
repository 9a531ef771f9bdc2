"""The kubernetes target of the data rules: kinds, each container, report paths, messages."""

from __future__ import annotations

from tests.scanners.iac.helpers import findings, scan_family

from pipesec.core.yamlpos import iter_documents
from pipesec.scanners.iac.datarules import parse_rule_file
from pipesec.scanners.iac.k8s_data import kubernetes_check
from pipesec.scanners.iac.kubernetes import to_object

RULE = """\
id: test-k8s-rule
title: Test rule
severity: low
rationale: r
remediation: r
kubernetes:
  kinds: [workloads]
  each: container
  condition: c.securityContext.runAsUser == 0 || pod.hostNetwork == true
  report: c.securityContext.runAsUser
  message: "{kind} container {name}"
  examples: {vulnerable: x, fixed: y}
"""
CRONJOB = """\
apiVersion: batch/v1
kind: CronJob
metadata: {name: job}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          initContainers:
            - name: init
              securityContext: {runAsUser: 0}
          containers:
            - name: main
              image: busybox
"""


def _hits(rule: str, text: str) -> list[tuple[int, str]]:
    check = kubernetes_check(parse_rule_file("test-k8s-rule.yaml", rule))
    out = []
    for document in iter_documents("k.yaml", text):
        doc = document.root
        assert doc is not None
        out += [(h.line, h.message) for h in check.fn(to_object(doc))]
    return out


def test_each_container_report_and_message() -> None:
    assert _hits(RULE, CRONJOB) == [(11, "CronJob container init")]
    # report path missing in the container: the container itself
    net = CRONJOB.replace("        spec:\n          initContainers", "        spec:\n"
                          "          hostNetwork: true\n          initContainers")  # fmt: skip
    assert _hits(RULE, net) == [(12, "CronJob container init"), (14, "CronJob container main")]


def test_kinds_filter() -> None:
    service = "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {hostNetwork: true}\n"
    assert _hits(RULE, service) == []
    other = RULE.replace("[workloads]", "[Service]").replace("  each: container\n", "")
    rule = other.replace("c.securityContext.runAsUser == 0 || pod.hostNetwork == true",
                         "o.spec.hostNetwork == true").replace("c.securityContext.runAsUser",
                                                               "o.spec.hostNetwork")  # fmt: skip
    assert _hits(rule, service) == [(4, "Service container s")]


def test_migrated_rules_keep_ids_lines_and_messages() -> None:
    text = CRONJOB.replace("image: busybox", "image: busybox\n              securityContext:\n"
                           "                privileged: true")  # fmt: skip
    got = {
        (f.rule_id, f.location.start_line, f.message) for f in findings(scan_family("k8s", text))
    }
    assert ("k8s/privileged-container", 16, "Container main is privileged") in got
