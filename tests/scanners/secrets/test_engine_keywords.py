"""A rule's keywords gate it on the whole text, whichever way the engine looks for them."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipesec.core.model import Severity
from pipesec.scanners.secrets.engine import SecretEngine
from pipesec.scanners.secrets.rules.base import SecretRule

RULE = SecretRule(
    id="secrets/test-zebra",
    provider="Test",
    title="Test zebra code",
    severity=Severity.HIGH,
    regex=r"\b(QQ[0-9]{12})\b",
    secret_group=1,
    keywords=("zebra",),
)


@pytest.mark.parametrize("use_hyperscan", [False, True])
def test_a_keyword_anywhere_in_the_text_lets_its_rule_run(
    use_hyperscan: bool, hs_cache: Path
) -> None:
    """Keywords are looked for in the whole text (case-insensitive), not only near the
    match: in ASCII text the engine looks in the match's window first, then everywhere."""
    if use_hyperscan:
        pytest.importorskip("hyperscan")
    engine = SecretEngine([RULE], use_hyperscan=use_hyperscan, cache_dir=hs_cache)
    code = "QQ" + "418207365914"
    far = "x = 1\n" * 2000
    for head in ("ZEBRA\n", "zebra\n", "\u03a3 ZEBRA \u00e9\n"):  # far before the match
        found = [m.value for m in engine.scan_text(head + far + f"v = {code}\n", path="a.py")]
        assert found == [code]
    near = [m.value for m in engine.scan_text(f"{far}Zebra = {code}\n", path="a.py")]
    assert near == [code]
    assert list(engine.scan_text(far + f"v = {code}\n", path="a.py")) == []  # no keyword
