"""Kustomize overlays rendered natively, and rendered Helm output mapped to its templates."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipesec.core.model import Finding, Note, ScanError
from pipesec.core.scanner import ScanItem, ScannerSettings
from pipesec.core.workspace import Workspace
from pipesec.scanners.iac import IacScanner
from pipesec.scanners.iac.kustomize import KustomizeError, Tree, render

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx
          securityContext:
            privileged: true
"""
OVERLAY = """\
resources:
  - ../../base
namePrefix: prod-
namespace: shop
images:
  - name: nginx
    newTag: "1.27.0"
patches:
  - path: patch.yaml
  - target: {kind: Deployment, name: web}
    patch: |-
      - op: add
        path: /spec/template/spec/hostNetwork
        value: true
"""
PATCH = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          securityContext:
            privileged: false
            capabilities:
              add: ["SYS_ADMIN"]
"""


def _tree(root: Path, files: dict[str, str]) -> list[ScanItem]:
    for name, text in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return list(IacScanner().scan(Workspace(root, use_git=False), ScannerSettings()))


def _where(items: list[ScanItem]) -> set[tuple[str, str, int]]:
    return {
        (i.rule_id, i.location.path, i.location.start_line) for i in items if isinstance(i, Finding)
    }


def test_overlay_patches_point_at_their_source(tmp_path: Path) -> None:
    items = _tree(
        tmp_path,
        {
            "base/kustomization.yaml": "resources:\n  - deployment.yaml\n",
            "base/deployment.yaml": DEPLOYMENT,
            "overlays/prod/kustomization.yaml": OVERLAY,
            "overlays/prod/patch.yaml": PATCH,
        },
    )
    assert not [i for i in items if isinstance(i, ScanError)]
    got = _where(items)
    # the JSON 6902 patch inline in the kustomization, the strategic merge patch file
    assert ("k8s/host-network", "overlays/prod/kustomization.yaml", 14) in got
    assert ("k8s/dangerous-capabilities", "overlays/prod/patch.yaml", 13) in got
    # settings the base lacks point at the base
    assert ("k8s/missing-memory-limit", "base/deployment.yaml", 9) in got
    # the patch turned privileged off; images retagged nginx; namespace set
    rules = {r for r, _p, _l in got}
    assert "k8s/privileged-container" not in rules
    assert "k8s/image-latest" not in rules
    assert "k8s/default-namespace" not in rules
    assert ("k8s/image-no-digest", "overlays/prod/kustomization.yaml", 7) in got
    # the patch file is not scanned as a manifest of its own (no findings at its lines
    # other than what the rendered object has)
    assert not {
        x
        for x in got
        if x[1] == "overlays/prod/patch.yaml" and x[0] != "k8s/dangerous-capabilities"
    }
    names = {i.message for i in items if isinstance(i, Finding) and "prod-web" in i.message}
    assert not names or all("prod-web" in n for n in names)


def test_two_overlays_report_a_base_problem_once(tmp_path: Path) -> None:
    files = {
        "base/kustomization.yaml": "resources: [deployment.yaml]\n",
        "base/deployment.yaml": DEPLOYMENT,
        "dev/kustomization.yaml": "resources: [../base]\nnamespace: dev\n",
        "prod/kustomization.yaml": "resources: [../base]\nnamespace: prod\n",
    }
    items = _tree(tmp_path, files)
    priv = [i for i in items if isinstance(i, Finding) and i.rule_id == "k8s/privileged-container"]
    assert [(f.location.path, f.location.start_line) for f in priv] == [
        ("base/deployment.yaml", 12)
    ]


def test_strategic_merge_delete_and_legacy_fields(tmp_path: Path) -> None:
    items = _tree(
        tmp_path,
        {
            "app/deployment.yaml": DEPLOYMENT.replace("privileged: true", "runAsNonRoot: true"),
            "app/kustomization.yaml": (
                "bases: []\nresources: [deployment.yaml]\n"
                "patchesStrategicMerge:\n  - |-\n    apiVersion: apps/v1\n    kind: Deployment\n"
                "    metadata: {name: web}\n    spec:\n      template:\n        spec:\n"
                "          hostPID: true\n"
                "patchesJson6902:\n"
                "  - target: {group: apps, version: v1, kind: Deployment, name: web}\n"
                '    patch: \'[{"op": "replace", "path": "/spec/template/spec/containers/0/image",'
                ' "value": "nginx:latest"}]\'\n'
            ),
        },
    )
    got = _where(items)
    assert ("k8s/host-pid", "app/kustomization.yaml", 11) in got
    assert any(r == "k8s/image-latest" and p == "app/kustomization.yaml" for r, p, _l in got)


def _errors(items: list[ScanItem]) -> list[str]:
    return [i.message for i in items if isinstance(i, ScanError)]


def test_hostile_kustomizations(tmp_path: Path) -> None:
    items = _tree(
        tmp_path,
        {
            "a/kustomization.yaml": "resources: [../b]\n",
            "b/kustomization.yaml": "resources: [../a]\n",
            "esc/kustomization.yaml": "resources: [../../../etc]\n",
            "abs/kustomization.yaml": "resources: [/etc/passwd]\n",
            "remote/kustomization.yaml": "resources:\n  - https://github.com/org/repo//base?ref=v1\n",
            "missing/kustomization.yaml": "resources: [nothere.yaml]\n",
            "bad/kustomization.yaml": "resources: [\n",
        },
    )
    errors = _errors(items)
    assert any("cycle" in e for e in errors), errors
    assert any("outside the scan root" in e for e in errors)
    assert any("absolute path" in e for e in errors)
    assert any("not found" in e for e in errors)
    assert any("invalid YAML" in e for e in errors)
    assert all("\n" not in e for e in errors)
    assert any(isinstance(i, Note) and "remote resource" in i.message for i in items)


def test_too_many_objects(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipesec.scanners.iac import kustomize

    monkeypatch.setattr(kustomize, "MAX_OBJECTS", 20)
    one = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\n"
    items = _tree(
        tmp_path,
        {"k/many.yaml": one * 21, "k/kustomization.yaml": "resources: [many.yaml]\n"},
    )
    assert any("more than 20 objects" in e for e in _errors(items))


_REFS = st.sampled_from(["../x", "x", "y.yaml", "..", "/", "", "a/../../b", "x/kustomization.yaml"])
_KEYS = st.sampled_from(
    ["resources", "bases", "components", "patches", "patchesStrategicMerge", "patchesJson6902",
     "namePrefix", "namespace", "commonLabels", "images"]
)  # fmt: skip
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | _REFS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_REFS | _KEYS, inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_KEYS, _VALUES, max_size=5), st.dictionaries(_KEYS, _VALUES, max_size=4))
def test_fuzz_render_never_crashes(top: dict[str, object], inner: dict[str, object]) -> None:
    import yaml

    files = {
        "k/kustomization.yaml": yaml.safe_dump(top),
        "k/x/kustomization.yaml": yaml.safe_dump(inner),
        "k/y.yaml": DEPLOYMENT,
        "k/x/y.yaml": PATCH,
    }
    tree = Tree(set(files), files.get)
    try:
        out = render("k/kustomization.yaml", tree)
    except KustomizeError as exc:
        assert "\n" not in exc.message and exc.message.startswith("kustomize: ")
        return
    for obj in out.objects:
        for path, _line in [out.decode(obj.line)]:
            assert path in files


CHART_TEMPLATE = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "shop.fullname" . }}
spec:
  template:
    spec:
      hostNetwork: {{ .Values.hostNetwork }}
      containers:
        - name: web
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
"""
RENDERED = """\
---
# Source: shop/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  type: NodePort
  ports: [{port: 80}]
---
# Source: shop/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  template:
    spec:
      hostNetwork: true
      containers:
        - name: web
          image: "nginx:1.27"
"""


def test_rendered_helm_output_maps_to_templates(tmp_path: Path) -> None:
    items = _tree(
        tmp_path,
        {
            "charts/shop/Chart.yaml": "apiVersion: v2\nname: shop\nversion: 1.0.0\n",
            "charts/shop/templates/deployment.yaml": CHART_TEMPLATE,
            "rendered/all.yaml": RENDERED,
        },
    )
    got = _where(items)
    # the template exists: reported at its line with the same key
    assert ("k8s/host-network", "charts/shop/templates/deployment.yaml", 8) in got
    host = next(i for i in items if isinstance(i, Finding) and i.rule_id == "k8s/host-network")
    assert "rendered in rendered/all.yaml:19" in host.message
    # the service template is not in the tree: the rendered file keeps the finding
    assert ("k8s/nodeport-service", "rendered/all.yaml", 8) in got
    # the template itself is a Helm template: a note, not an error
    assert any(
        isinstance(i, Note) and i.path == "charts/shop/templates/deployment.yaml" for i in items
    )


def _fake_helm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    helm = bin_dir / "helm"
    helm.write_text("#!/bin/sh\n" + script)
    helm.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")


def test_helm_note_without_helm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    items = _tree(
        tmp_path / "t",
        {
            "shop/Chart.yaml": "apiVersion: v2\nname: shop\nversion: 1.0.0\n",
            "shop/templates/deployment.yaml": CHART_TEMPLATE,
        },
    )
    notes = [i for i in items if isinstance(i, Note)]
    assert [(n.path, n.message.split(":")[0]) for n in notes] == [
        ("shop/templates/deployment.yaml", "Helm/Go template")
    ]
    assert not [i for i in items if isinstance(i, Finding | ScanError)]


def test_helm_template_when_helm_is_on_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out.yaml"
    out.write_text(RENDERED.replace("shop/templates/service.yaml", "shop/templates/gone.yaml"))
    # a stand-in for helm: checks its arguments and environment, prints rendered output
    _fake_helm(
        tmp_path,
        monkeypatch,
        f'[ "$1" = template ] && [ -d "$3/templates" ] && [ "$HOME" != /root ] || exit 9\n'
        f"cat {out}\n",
    )
    items = _tree(
        tmp_path / "t",
        {
            "charts/web/Chart.yaml": "apiVersion: v2\nname: shop\nversion: 1.0.0\n",
            "charts/web/templates/deployment.yaml": CHART_TEMPLATE,
        },
    )
    assert not [i for i in items if isinstance(i, ScanError)], items
    assert not [i for i in items if isinstance(i, Note)]  # rendered, so no template note
    got = _where(items)
    assert ("k8s/host-network", "charts/web/templates/deployment.yaml", 8) in got
    # the Service's template is not in the chart: its finding points at the Chart.yaml
    assert ("k8s/nodeport-service", "charts/web/Chart.yaml", 1) in got


def test_helm_template_failure_and_symlinks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_helm(tmp_path, monkeypatch, 'echo "Error: parse error\nin template" >&2\nexit 1\n')
    root = tmp_path / "t"
    files = {
        "a/Chart.yaml": "apiVersion: v2\nname: a\nversion: 1.0.0\n",
        "a/templates/x.yaml": CHART_TEMPLATE,
        "b/Chart.yaml": "apiVersion: v2\nname: b\nversion: 1.0.0\n",
        "b/templates/x.yaml": CHART_TEMPLATE,
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    (root / "b" / "secret").symlink_to("/etc/hostname")
    items = list(IacScanner().scan(Workspace(root, use_git=False), ScannerSettings()))
    errors = [(i.path, i.message) for i in items if isinstance(i, ScanError)]
    assert errors == [("a/Chart.yaml", "helm template failed: in template")]
    assert any(isinstance(i, Note) and "symbolic links" in i.message for i in items)
