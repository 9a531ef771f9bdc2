from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.scanners.iac.helpers import errors, findings, notes, scan_family

MULTI = """\
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
  namespace: shop
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          hostNetwork: true
          containers:
            - name: report
              image: busybox
              securityContext:
                privileged: true
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
  namespace: shop
spec:
  template:
    spec:
      initContainers:
        - name: init
          image: registry.example.com/init:1.0@sha256:ab
          securityContext:
            runAsUser: 0
      containers:
        - name: agent
          image: registry.example.com/agent:2.1@sha256:cd
"""


def test_multi_document_positions_and_kinds() -> None:
    items = scan_family("k8s", MULTI)
    assert not errors(items)
    got = {(f.rule_id, f.location.start_line) for f in findings(items)}
    assert ("k8s/host-network", 17) in got
    assert ("k8s/privileged-container", 22) in got
    assert ("k8s/image-latest", 20) in got
    assert ("k8s/run-as-root", 36) in got
    # a missing setting points at the container that lacks it
    assert ("k8s/missing-memory-limit", 38) in got


def test_list_kind() -> None:
    text = """\
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Pod
    metadata: {name: p}
    spec:
      containers:
        - name: c
          image: nginx:latest
"""
    assert [
        f.location.start_line for f in findings(scan_family("k8s", text), "k8s/image-latest")
    ] == [10]


def test_helm_template_is_a_note_not_an_error() -> None:
    text = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n"
        "{{- if .Values.x }}\nspec: {}\n{{- end }}\n"
    )
    items = scan_family("k8s", text)
    assert not errors(items)
    assert notes(items) and "helm template" in notes(items)[0].message


def test_malformed_yaml_is_an_error_with_position() -> None:
    items = scan_family("k8s", "apiVersion: v1\nkind: Pod\nspec:\n  containers: [\n")
    errs = errors(items)
    assert errs and errs[0].line > 0


def test_yaml_bomb_is_stopped() -> None:
    lines = [
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"
        'x0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'
    ]
    for i in range(1, 10):
        refs = ",".join([f"*a{i - 1}"] * 9)
        lines.append(f"x{i}: &a{i} [{refs}]")
    items = scan_family("k8s", "\n".join(lines) + "\n")
    errs = errors(items)
    assert errs and "YAML bomb" in errs[0].message


def test_non_kubernetes_yaml_ignored() -> None:
    assert scan_family("k8s", "name: ci\non: push\n") == []


def test_unknown_kind_is_fine() -> None:
    text = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: 3}\n"
    assert scan_family("k8s", text) == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_fuzz_yaml_never_raises(text: str) -> None:
    scan_family("k8s", "apiVersion: v1\nkind: Pod\n" + text)
    scan_family("compose", "services:\n" + text)
