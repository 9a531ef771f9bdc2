"""The IaC rule catalogue: every rule's metadata as the rule code gives it, read back
without importing the rule code, and a scan imports only the formats the tree holds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from tests.conftest import SecretsCache

import pipesec
from pipesec.core import cachemac
from pipesec.core.model import Rule
from pipesec.scanners.iac import IacScanner, catalog
from pipesec.scanners.iac.scanner import IacScannerImpl


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("PIPESEC_CACHE_KEY", "k1")
    # as if imported now: a file saved just before the test run must not stop the writes
    monkeypatch.setattr(pipesec, "IMPORTED_AT", time.time() + cachemac.TICK)
    return tmp_path / "pipesec" / "iac"


def test_the_catalogue_is_the_rule_code(cache: Path) -> None:
    code = list(IacScannerImpl().rules())
    assert len(code) > 800
    assert catalog.rules() == code  # built from the code, and kept
    [path] = cache.glob("catalog-*.json")
    assert catalog.decode(path.read_bytes()) == code  # every field survives the JSON
    assert list(IacScanner().rules()) == code


def test_a_planted_catalogue_is_not_used(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = catalog.rules()
    [path] = cache.glob("catalog-*.json")
    rows = json.loads(path.read_bytes())
    path.write_text(json.dumps(rows[1:]))  # a rule dropped, without the key
    assert catalog.rules() == code
    monkeypatch.setenv("PIPESEC_CACHE_KEY", "k2")  # signed with another key
    assert catalog.rules() == code


def test_two_versions_sharing_the_cache_keep_their_catalogues(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two checkouts (or a user's projects pinned to two releases) run in turn: each reads
    its own catalogue; the least recently used beyond cachemac.KEEP are removed."""
    built: list[str] = []
    code = list(IacScannerImpl().rules())

    def from_code() -> list[Rule]:
        built.append(cachemac.fingerprint().digest)
        return code

    monkeypatch.setattr(catalog, "_from_code", from_code)
    real = cachemac.fingerprint()
    for version in "abab":
        monkeypatch.setattr(cachemac, "fingerprint", lambda v=version: real._replace(digest=v * 32))
        assert catalog.rules() == code
    assert built == ["a" * 32, "b" * 32]
    for version in "cdefg":
        monkeypatch.setattr(cachemac, "fingerprint", lambda v=version: real._replace(digest=v * 32))
        assert catalog.rules() == code
    assert built == [v * 32 for v in "abcdefg"]
    kept = {p.name for p in cache.glob("catalog-*.json")}
    assert len(kept) == cachemac.KEEP and f"catalog-{'g' * 32}.json" in kept


def test_a_terraform_scan_imports_no_other_format_nor_pydantic(
    tmp_path: Path, secrets_cache: SecretsCache
) -> None:
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "main.tf").write_text(
        'resource "aws_security_group" "a" {\n  ingress {\n    from_port = 22\n'
        '    to_port = 22\n    protocol = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n'
    )
    script = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from pipesec.core.engine import ScanRequest, run_scan
        report = run_scan(ScanRequest(root=Path(sys.argv[1]), scanners=["iac"]))
        assert "tf/aws-sg-open-ssh" in {f.rule_id for f in report.findings}
        assert len(report.rules) > 800
        names = ("kubernetes", "k8s_data", "dockerfile", "compose", "cfn", "kustomize")
        found = [n for n in names if "pipesec.scanners.iac." + n in sys.modules]
        libraries = ("pydantic", "yaml", "importlib.metadata")
        print(sorted(found + [n for n in libraries if n in sys.modules]))
        """
    )
    # a cold IaC cache; the secrets databases (the report's redactor) are the session's
    secrets_cache.lend(tmp_path / "cache" / "pipesec" / "secrets")
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    runs = [
        subprocess.run(
            [sys.executable, "-c", script, str(tmp_path / "tree")],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        ).stdout.strip()
        for _ in range(2)
    ]
    # the first run builds the catalogue and validates the rule files; the second reads both
    assert runs[1] == "[]"
