from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from pipesec.core.config import Config, RuleOverride
from pipesec.core.engine import ScanRequest, available, load_scanner, run_scan, select_scanners
from pipesec.core.errors import UsageError
from pipesec.core.model import Component, Note, Rule, ScanError, Severity
from pipesec.core.scanner import ScanItem, ScannerSettings, finding_from_rule, read_text
from pipesec.core.workspace import Workspace

RULE = Rule("test/todo", "TODO left in code", Severity.MEDIUM, "why", "fix it", "# TODO", "# done")


class TodoScanner:
    name = "todo"
    default = True

    def rules(self) -> Sequence[Rule]:
        return [RULE]

    def scan(self, workspace: Workspace, settings: ScannerSettings) -> Iterator[ScanItem]:
        for f in workspace.text_files():
            text = read_text(f, self.name)
            if isinstance(text, ScanError):
                yield text
                continue
            if f.path.endswith(".bad"):
                yield ScanError(self.name, f.path, "malformed", 1, 1)
                continue
            for n, line in enumerate(text.splitlines(), 1):
                col = line.find("TODO")
                if col >= 0:
                    yield finding_from_rule(
                        RULE, self.name, path=f.path, line=n, column=col + 1, snippet=line
                    )
        yield Component("PyPI", "flask", "0.12.2")
        yield Note(self.name, "x", "skipped on purpose")


class CrashingScanner:
    name = "crash"
    default = True

    def rules(self) -> Sequence[Rule]:
        return []

    def scan(self, workspace: Workspace, settings: ScannerSettings) -> Iterator[ScanItem]:
        yield Note(self.name, "a", "started")
        raise RuntimeError("boom")


def tree(tmp_path: Path) -> Path:
    (tmp_path / "a.py").write_text("x = 1  # TODO later\n\n# TODO again\n")
    (tmp_path / "b.bad").write_text("???")
    (tmp_path / "c.py").write_text("clean\n")
    return tmp_path


def test_runs_scanners_and_isolates_failures(tmp_path: Path) -> None:
    report = run_scan(ScanRequest(root=tree(tmp_path)), [TodoScanner(), CrashingScanner()])
    assert [(f.rule_id, f.location.path, f.location.start_line) for f in report.findings] == [
        ("test/todo", "a.py", 1),
        ("test/todo", "a.py", 3),
    ]
    assert all(f.fingerprint for f in report.findings)
    errors = {(e.scanner, e.path) for e in report.errors}
    assert ("todo", "b.bad") in errors
    assert any(e.scanner == "crash" and "RuntimeError: boom" in e.message for e in report.errors)
    assert report.components[0].name == "flask"
    assert {s.name for s in report.stats} == {"todo", "crash"}
    assert report.rules["test/todo"] is RULE


def test_output_is_deterministic(tmp_path: Path) -> None:
    root = tree(tmp_path)
    a = run_scan(ScanRequest(root=root), [TodoScanner()])
    b = run_scan(ScanRequest(root=root), [TodoScanner()])
    assert a.findings == b.findings
    assert a.errors == b.errors


def test_rule_overrides(tmp_path: Path) -> None:
    root = tree(tmp_path)
    cfg = Config(rules={"test/todo": RuleOverride(severity=Severity.CRITICAL)})
    report = run_scan(ScanRequest(root=root, config=cfg), [TodoScanner()])
    assert {f.severity for f in report.findings} == {Severity.CRITICAL}
    cfg = Config(rules={"test/todo": RuleOverride(enabled=False)})
    assert run_scan(ScanRequest(root=root, config=cfg), [TodoScanner()]).findings == []
    cfg = Config(rules={"test/todo": RuleOverride(enabled=True, severity=Severity.LOW)})
    report = run_scan(ScanRequest(root=root, config=cfg), [TodoScanner()])
    assert report.findings and {f.severity for f in report.findings} == {Severity.LOW}


def test_diff_filter(tmp_path: Path) -> None:
    root = tree(tmp_path)
    ws = Workspace(root, changed_lines={"a.py": [(3, 3)]})
    report = run_scan(ScanRequest(root=root, workspace=ws), [TodoScanner()])
    assert [f.location.start_line for f in report.findings] == [3]


def test_imported_scanner_is_registered() -> None:
    assert "imported" in available()
    assert load_scanner("imported").name == "imported"


def test_unknown_scanner_is_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="unknown scanner 'nope'; installed scanners:"):
        select_scanners(ScanRequest(root=tmp_path, scanners=["nope"]))


def test_import_sarif_adds_imported_scanner(tmp_path: Path) -> None:
    names = select_scanners(
        ScanRequest(root=tmp_path, scanners=["imported"], inputs={"sarif": ["x"]})
    )
    assert names == ["imported"]
    names = select_scanners(ScanRequest(root=tmp_path, inputs={"sarif": ["x"]}))
    assert "imported" in names
    assert "imported" not in select_scanners(ScanRequest(root=tmp_path))


def test_fingerprint_copy_is_replace() -> None:
    from dataclasses import replace

    from tests.conftest import finding

    from pipesec.core.engine import _with_fingerprint

    f = finding(identity="x", properties={"a": 1}, snippet="s", tags=("t",))
    assert _with_fingerprint(f, "fp") == replace(f, fingerprint="fp")


def test_opt_in_adapters_are_neither_selected_nor_imported_by_default(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from pipesec.core.engine import ScanRequest, select_scanners\n"
        f"names = select_scanners(ScanRequest(root=Path({str(tmp_path)!r})))\n"
        "print(sorted(names))\n"
        "print(any(m.startswith('pipesec.scanners.adapters') for m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    assert out[0] == str(["containers", "deps", "iac", "pipelines", "sast", "secrets"])
    assert out[1] == "False"
    # named, they run
    from pipesec.core.engine import ScanRequest, select_scanners

    assert select_scanners(ScanRequest(root=tmp_path, scanners=["semgrep"])) == ["semgrep"]


def test_shared_stdlib_packages_are_imported_before_scanner_threads_start() -> None:
    """Several scanner threads importing ``importlib.resources`` and its ``abc`` submodule at
    once can deadlock Python's import locks (``_DeadlockError``: a fresh clone's demo lost
    its pipelines scanner); the engine imports them whole in the calling thread first. The
    race itself is not reproducible on demand: this checks the packages a fresh interpreter
    holds after the warm-up."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from pipesec.core import engine\n"
        "names = ('importlib.resources', 'importlib.resources.abc',"
        " 'importlib.resources.readers')\n"
        "for n in names: sys.modules.pop(n, None)\n"
        "engine._warm_shared_imports()\n"
        "missing = [n for n in names if n not in sys.modules]\n"
        "assert not missing, missing\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
