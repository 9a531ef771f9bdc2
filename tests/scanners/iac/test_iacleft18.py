"""Session 18 (iacleft): a broken input loses only its own findings.

Session 17's review found that a failure of the Terraform project reader lost every Terraform
finding of the tree (one error at ``<scan>``): the reader evaluated every module of the tree in
one go. Now a block, a variable or a variable file that the reader fails on is left out with
an error at its own place, and a rule that fails on a module is run again without the blocks
it fails on. A Kubernetes file with one bad YAML document keeps the documents after it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.scanners.iac.helpers import errors, findings

from pipesec.core.model import ScanError
from pipesec.core.scanner import ScanItem, ScannerSettings
from pipesec.core.workspace import Workspace
from pipesec.scanners.iac import IacScanner, hcl, terraform
from pipesec.scanners.iac.common import Check
from pipesec.scanners.iac.tfproject import scan_texts

GOOD = 'resource "aws_s3_bucket" "good" {\n  bucket = "good"\n}\n'
INSECURE = 'resource "aws_s3_bucket_acl" "open" {\n  bucket = "x"\n  acl    = "public-read"\n}\n'
#: a block the tests make the reader fail on (its name), beside an insecure block
BROKEN = (
    'resource "aws_s3_bucket_acl" "also_open" {\n  bucket = "y"\n  acl    = "public-read"\n}\n'
    'resource "aws_s3_bucket_acl" "boom" {\n  bucket = "z"\n  acl    = "public-read"\n}\n'
)
ACL = "tf/aws-s3-public-acl"


def _scan_tree(tmp_path: Path, files: dict[str, str]) -> list[ScanItem]:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return list(IacScanner().scan(Workspace(tmp_path, use_git=False), ScannerSettings()))


def _addresses(items: list[ScanItem], rule: str = ACL) -> set[tuple[str, int]]:
    return {(f.location.path, f.location.start_line) for f in findings(items, rule)}


def test_a_malformed_tf_file_loses_its_own_findings_only(tmp_path: Path) -> None:
    items = _scan_tree(
        tmp_path,
        {
            "good.tf": GOOD,
            "insecure.tf": INSECURE,
            "broken.tf": 'resource "aws_s3_bucket_acl" "b" {\n  acl = "public-read"\n',
            "mod/main.tf": INSECURE,
        },
    )
    assert _addresses(items) == {("insecure.tf", 3), ("mod/main.tf", 3)}
    errs = errors(items)
    assert [(e.path, e.line > 0) for e in errs] == [("broken.tf", True)], errs
    assert "invalid HCL" in errs[0].message


@pytest.fixture
def boom_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader fails on every block named ``boom`` (as an evaluation bug would)."""
    real = hcl._build_block

    def build(node: Any, path: str, scope: Any, depth: int) -> Any:
        if depth == 0 and hcl._block_head(node)[1][1:2] == ["boom"]:
            raise KeyError("boom")
        return real(node, path, scope, depth)

    monkeypatch.setattr(hcl, "_build_block", build)


@pytest.mark.usefixtures("boom_blocks")
def test_a_block_the_reader_fails_on_loses_only_its_own_findings(tmp_path: Path) -> None:
    """Before: ``KeyError`` escaped the project reader, every Terraform finding of the tree
    was lost and one error said ``<scan>``."""
    items = _scan_tree(tmp_path, {"good.tf": GOOD, "insecure.tf": INSECURE, "broken.tf": BROKEN})
    assert _addresses(items) == {("insecure.tf", 3), ("broken.tf", 3)}
    errs = errors(items)
    assert [(e.path, e.line) for e in errs] == [("broken.tf", 5)], errs
    assert 'resource "aws_s3_bucket_acl" "boom"' in errs[0].message
    assert "KeyError" in errs[0].message


@pytest.mark.usefixtures("boom_blocks")
def test_a_failing_block_in_a_called_module_is_reported_once(tmp_path: Path) -> None:
    items = _scan_tree(
        tmp_path,
        {
            "main.tf": 'module "a" {\n  source = "./m"\n  x = 1\n}\n'
            'module "b" {\n  source = "./m"\n  x = 2\n}\n',
            "m/main.tf": 'variable "x" {}\n' + BROKEN,
        },
    )
    assert _addresses(items) == {("m/main.tf", 4)}
    assert [(e.path, e.line) for e in errors(items)] == [("m/main.tf", 6)]


def test_a_file_or_plan_the_reader_raises_on_loses_only_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: an exception other than HclError/PlanError (a parser bug) escaped the project
    reader: every Terraform finding after it lost, one error at ``<scan>``."""
    from pipesec.scanners.iac import tfplan, tfproject

    real_load, real_plan = tfproject.load_file, tfplan.parse_plan

    def load(path: str, *args: Any) -> Any:
        if path == "broken.tf":
            raise MemoryError
        return real_load(path, *args)

    def parse_plan(path: str, text: str) -> Any:
        if path == "a.json":
            raise RuntimeError("boom")
        return real_plan(path, text)

    monkeypatch.setattr(tfproject, "load_file", load)
    monkeypatch.setattr(tfplan, "parse_plan", parse_plan)
    plan = '{"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {}}'
    items = list(
        scan_texts(
            {"insecure.tf": INSECURE, "broken.tf": INSECURE},
            plans=[("a.json", plan), ("b.json", plan)],
        )
    )
    assert _addresses(items) == {("insecure.tf", 3)}
    failed = sorted(e.path for e in errors(items) if "failed to read this file" in e.message)
    assert failed == ["a.json", "broken.tf"]  # b.json is read (its own plan error, if any)


def _failing_on(monkeypatch: pytest.MonkeyPatch, text: bytes, exc: Exception) -> None:
    """Evaluating the expression written ``text`` raises ``exc`` (as an evaluation bug would)."""
    real = hcl.Scope.eval

    def evaluate(self: hcl.Scope, node: Any, depth: int = 0) -> Any:
        if node.text == text:
            raise exc
        return real(self, node, depth)

    monkeypatch.setattr(hcl.Scope, "eval", evaluate)


def test_a_variable_default_the_reader_fails_on_is_unknown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _failing_on(monkeypatch, b'"BOOM"', RecursionError("deep"))
    items = _scan_tree(
        tmp_path,
        {
            "vars.tf": 'variable "acl" {\n  default = "BOOM"\n}\n',
            "main.tf": 'resource "aws_s3_bucket_acl" "v" {\n  bucket = "v"\n  acl = var.acl\n}\n'
            + INSECURE,
        },
    )
    assert _addresses(items) == {("main.tf", 7)}
    errs = errors(items)
    assert [(e.path, e.line) for e in errs] == [("vars.tf", 1)]
    assert 'variable "acl"' in errs[0].message and "RecursionError" in errs[0].message
    assert "read as unknown" in errs[0].message


def test_a_variable_file_value_the_reader_fails_on_keeps_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _failing_on(monkeypatch, b'"BOOM"', ValueError("bad"))
    items = _scan_tree(
        tmp_path,
        {
            "terraform.tfvars": 'acl = "BOOM"\nother = 1\n',
            "main.tf": 'variable "acl" {\n  default = "public-read"\n}\n'
            'resource "aws_s3_bucket_acl" "v" {\n  bucket = "v"\n  acl = var.acl\n}\n',
        },
    )
    assert _addresses(items) == {("main.tf", 6)}
    assert [(e.path, e.line) for e in errors(items)] == [("terraform.tfvars", 1)]


def _failing_on_boom(monkeypatch: pytest.MonkeyPatch, rule_id: str) -> None:
    """The check of ``rule_id`` raises on any module that holds a block named ``boom``."""
    checks = list(terraform.REGISTRY.checks)
    for i, check in enumerate(checks):
        if check.rule.id != rule_id:
            continue
        real = check.fn

        def fn(view: Any, lines: Any, real: Any = real) -> Iterator[Any]:
            if any(b.labels[1:2] == ["boom"] for b in view.blocks):
                raise TypeError("unhashable")
            yield from real(view, lines)

        fn.resource_types = getattr(real, "resource_types", None)  # type: ignore[attr-defined]
        checks[i] = Check(check.rule, fn)
    monkeypatch.setattr(terraform.REGISTRY, "checks", checks)


def test_a_rule_that_fails_on_one_block_keeps_its_findings_on_the_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Before: the rule's findings on the whole module were lost, at ``<scan>``."""
    _failing_on_boom(monkeypatch, ACL)
    items = list(scan_texts({"a.tf": INSECURE, "b.tf": BROKEN}))
    assert {(f.location.path, f.location.start_line) for f in findings(items, ACL)} == {
        ("a.tf", 3),
        ("b.tf", 3),
    }
    errs = errors(items)
    assert [(e.path, e.line) for e in errs] == [("b.tf", 5)], errs
    assert f"rule {ACL} failed on aws_s3_bucket_acl.boom" in errs[0].message


def test_a_rule_that_fails_on_a_large_module_is_isolated_by_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pipesec.scanners.iac import tfproject

    monkeypatch.setattr(tfproject, "MAX_ISOLATED_BLOCKS", 2)
    _failing_on_boom(monkeypatch, ACL)
    items = list(scan_texts({"a.tf": INSECURE, "b.tf": BROKEN, "c.tf": GOOD}))
    assert {f.location.path for f in findings(items, ACL)} == {"a.tf"}
    assert [(e.path, e.line) for e in errors(items)] == [("b.tf", 0)]


def test_a_rule_that_fails_on_every_block_names_the_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _failing_on_boom(monkeypatch, ACL)
    items = list(scan_texts({"b.tf": 'resource "aws_s3_bucket_acl" "boom" {\n  acl = "x"\n}\n'}))
    errs = [e for e in items if isinstance(e, ScanError)]
    assert [e.path for e in errs] == ["b.tf"] and "failed on this file" in errs[0].message


# -- Kubernetes: one bad document of a multi-document file ----------------------------------

_POD = (
    "apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}}}\nspec:\n  containers:\n"
    "  - name: c\n    image: nginx:1.25\n    securityContext: {{privileged: true}}\n"
)


def test_a_bad_yaml_document_loses_only_itself(tmp_path: Path) -> None:
    """Before: the documents after the bad one were never read (the privileged pod ``c``)."""
    text = _POD.format(name="a") + "---\napiVersion: v1\nkind: Pod\nmetadata: {name: b\n"
    text += "spec: [\n---\n" + _POD.format(name="c") + "---\n" + "key: [unclosed\n"
    text += "---\n" + _POD.format(name="d")
    items = _scan_tree(tmp_path, {"multi.yaml": text})
    lines = sorted(f.location.start_line for f in findings(items, "k8s/privileged-container"))
    assert lines == [8, 22, 33], lines
    errs = errors(items)
    assert [(e.path, e.line) for e in errs] == [("multi.yaml", 13), ("multi.yaml", 25)], errs
    assert all("invalid YAML" in e.message for e in errs)


def test_a_file_of_many_bad_documents_stops_with_an_error(tmp_path: Path) -> None:
    from pipesec.scanners.iac.scanner import MAX_RESUMES

    text = "---\n".join(["a: [\n"] * (MAX_RESUMES + 3) + [_POD.format(name="last")])
    items = _scan_tree(tmp_path, {"bad.yaml": text})
    errs = errors(items)
    assert len(errs) == MAX_RESUMES + 2
    assert "the rest of the file is not read" in errs[-1].message
    assert not findings(items)


def test_a_bad_document_in_a_manifest_that_feeds_the_tree_indexes(tmp_path: Path) -> None:
    """A NetworkPolicy after a bad document still isolates its namespace (TreeLimits reads
    the same documents)."""
    deny = (
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n"
        "  name: deny\n  namespace: shop\nspec:\n  podSelector: {}\n"
        "  policyTypes: [Ingress, Egress]\n"
    )
    ns = "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n"
    items = _scan_tree(tmp_path, {"ns.yaml": ns, "policies.yaml": "a: [\n---\n" + deny})
    assert not findings(items, "k8s/namespace-no-default-deny")
    assert [e.path for e in errors(items)] == ["policies.yaml"]


# -- Kustomize, Compose, CloudFormation: the same tree shape ---------------------------------


def test_a_kustomization_with_a_bad_resource_keeps_the_other_files_and_says_it_once(
    tmp_path: Path,
) -> None:
    """The overlay cannot be rendered, so its files are scanned on their own: the good one
    keeps its findings, the bad one has one error (before: two, the overlay's and the
    file's, at the same line)."""
    items = _scan_tree(
        tmp_path,
        {
            "base/kustomization.yaml": "resources:\n- good.yaml\n- bad.yaml\n",
            "base/good.yaml": _POD.format(name="a"),
            "base/bad.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: b\nspec: [\n",
            "other/kustomization.yaml": "resources:\n- pod.yaml\n",
            "other/pod.yaml": _POD.format(name="o"),
        },
    )
    got = {f.location.path for f in findings(items, "k8s/privileged-container")}
    assert got == {"base/good.yaml", "other/pod.yaml"}
    assert [(e.path, e.line) for e in errors(items)] == [("base/bad.yaml", 4)]


@pytest.fixture
def boom_objects(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Kubernetes object reader fails on every object named ``boom``."""
    from pipesec.scanners.iac import scanner as impl

    real = impl._objects

    def objects(doc: Any, depth: int = 0) -> Iterator[Any]:
        if doc.scalar("metadata", "name") == "boom":
            raise RuntimeError("boom")
        yield from real(doc, depth)

    monkeypatch.setattr(impl, "_objects", objects)


@pytest.mark.usefixtures("boom_objects")
def test_an_overlay_that_breaks_a_reader_loses_only_its_own_findings(tmp_path: Path) -> None:
    """Before: every overlay's findings were lost, at ``<scan>``."""
    items = _scan_tree(
        tmp_path,
        {
            "a/kustomization.yaml": "resources:\n- pod.yaml\n",
            "a/pod.yaml": _POD.format(name="boom"),
            "b/kustomization.yaml": "resources:\n- pod.yaml\n",
            "b/pod.yaml": _POD.format(name="fine"),
        },
    )
    assert {f.location.path for f in findings(items, "k8s/privileged-container")} == {"b/pod.yaml"}
    errs = errors(items)
    assert [e.path for e in errs] == ["a/kustomization.yaml"], errs


def test_bad_compose_and_cloudformation_files_lose_only_themselves(tmp_path: Path) -> None:
    bucket = "  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      AccessControl: PublicRead\n"
    head = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n'
    items = _scan_tree(
        tmp_path,
        {
            "docker-compose.yml": "services:\n  web:\n    image: nginx:1.25\n"
            "    privileged: true\n",
            "x/compose.yaml": "services:\n  web: [\n",
            "t.yaml": head + bucket,
            "t2.yaml": head + "  B: [\n",
        },
    )
    assert {f.rule_id for f in findings(items) if f.severity.value == "high"} >= {
        "compose/privileged",
        "cfn/aws-s3-public-acl",
    }
    assert sorted(e.path for e in errors(items)) == ["t2.yaml", "x/compose.yaml"]


@pytest.mark.usefixtures("boom_objects")
def test_a_manifest_that_breaks_the_tree_index_loses_only_itself(tmp_path: Path) -> None:
    """Before: the exception escaped the IaC scanner (every IaC finding of the tree lost)."""
    policy = (
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: boom}\n"
        "spec:\n  podSelector: {}\n"
    )
    items = _scan_tree(tmp_path, {"a.yaml": policy, "b.yaml": _POD.format(name="fine")})
    assert {f.location.path for f in findings(items, "k8s/privileged-container")} == {"b.yaml"}
    assert [e.path for e in errors(items)] == ["a.yaml"]
