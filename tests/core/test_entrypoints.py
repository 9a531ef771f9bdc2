"""Entry points found without importlib.metadata give importlib.metadata's answer."""

from __future__ import annotations

import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from pipesec.core import engine, entrypoints

GROUP = "pipesec.scanners"


def reference(group: str = GROUP) -> list[tuple[str, str]]:
    return [(ep.name, ep.value) for ep in metadata.entry_points(group=group)]


def ours(group: str = GROUP) -> list[tuple[str, str]]:
    return [(ep.name, ep.value) for ep in entrypoints.entry_points(group)]


def dist(root: Path, dirname: str, text: str | None) -> None:
    info = root / dirname
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dirname.split('-')[0]}\n")
    if text is not None:
        (info / "entry_points.txt").write_text(text)


def test_the_installed_scanners_as_importlib_metadata_lists_them() -> None:
    assert entrypoints._plain_scan(GROUP) is not None  # the test venv is plain
    assert ours() == reference()
    assert {"secrets", "iac", "imported"} <= {name for name, _ in ours()}


def test_plugins_shadowing_comments_and_other_groups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    dist(first, "acme_plugin-1.0.dist-info", f"# a comment\n[{GROUP}]\n acme = acme_mod:Scan \n")
    dist(first, "Other.Tool-2.dist-info", f"[console_scripts]\nx = y:z\n\n[{GROUP}]\nz=zz\n")
    dist(first, "nothing-1.dist-info", None)  # no entry_points.txt
    (first / "legacy.egg-info").write_text("Name: legacy\n")  # an egg-info file, not a dir
    dist(second, "Acme.Plugin-9.dist-info", f"[{GROUP}]\nacme = shadowed:Scan\n")  # same name
    dist(second, "late-1.egg-info", f"[{GROUP}]\nlate = late_mod\n")
    monkeypatch.syspath_prepend(str(second))
    monkeypatch.syspath_prepend(str(first))
    assert entrypoints._plain_scan(GROUP) is not None
    assert ours() == reference()
    assert ("acme", "acme_mod:Scan") in ours() and ("late", "late_mod") in ours()
    assert ("acme", "shadowed:Scan") not in ours()
    assert ours("console_scripts") == reference("console_scripts")


def test_a_plugin_scanner_is_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ps_plugin_mod.py").write_text(
        "class Scan:\n    name = 'plugged'\n    default = True\n"
        "    def rules(self):\n        return []\n"
        "    def scan(self, workspace, settings):\n        return iter(())\n"
    )
    dist(tmp_path, "ps_plugin-1.0.dist-info", f"[{GROUP}]\nplugged = ps_plugin_mod:Scan\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    engine.available.cache_clear()
    try:
        assert engine.load_scanner("plugged").name == "plugged"
        assert "plugged" in engine.available()
    finally:
        engine.available.cache_clear()
        sys.modules.pop("ps_plugin_mod", None)


def test_anything_unusual_is_left_to_importlib_metadata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "plugins.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("zipped-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: zipped\n")
        zf.writestr("zipped-1.0.dist-info/entry_points.txt", f"[{GROUP}]\nzipped = z:Z\n")
    monkeypatch.syspath_prepend(str(archive))
    assert entrypoints._plain_scan(GROUP) is None
    assert ("zipped", "z:Z") in ours() and ours() == reference()


def test_a_finder_with_distributions_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    class Finder:
        @staticmethod
        def find_spec(*args: object) -> None:
            return None

        @staticmethod
        def find_distributions(*args: object) -> list[metadata.Distribution]:
            return []

    monkeypatch.setattr(sys, "meta_path", [Finder(), *sys.meta_path])
    assert entrypoints._plain_scan(GROUP) is None
    assert ours() == reference()


def test_load_follows_attributes() -> None:
    ep = entrypoints.EntryPoint("x", "os.path : join", GROUP)
    import os.path

    assert ep.load() is os.path.join
    assert entrypoints.EntryPoint("m", "os.path", GROUP).load() is os.path
    with pytest.raises(ValueError, match="malformed"):
        entrypoints.EntryPoint("bad", "not a value!", GROUP).load()
