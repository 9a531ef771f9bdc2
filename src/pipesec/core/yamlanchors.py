"""YAML that defines an anchor twice is valid: an alias refers to the most recent
definition (YAML 1.2, 7.1; GitLab and GitHub accept it). PyYAML's composers (the C one
too) refuse it, so a file they refuse for that reason alone is composed again with this
pure-Python loader, which lets the later definition win."""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.events import AliasEvent

#: the pure-Python composer is several times slower than libyaml: a file larger than this
#: that redefines an anchor stays an error rather than an invitation to stall the scan
MAX_REDEFINING_BYTES = 1_000_000


def is_duplicate_anchor(exc: yaml.YAMLError) -> bool:
    return isinstance(exc, yaml.composer.ComposerError) and "duplicate anchor" in str(
        exc.context or ""
    )


class RedefiningLoader(yaml.SafeLoader):
    """SafeLoader whose anchors may be redefined (the later definition wins)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if not self.check_event(AliasEvent):
            anchor = self.peek_event().anchor  # type: ignore[no-untyped-call]
            if anchor is not None:
                self.anchors.pop(anchor, None)
        return super().compose_node(parent, index)


_ANCHOR = re.compile(r"(?:^|[\s\[{,])&([^\s,\[\]{}]+)")


def may_redefine_anchors(text: str) -> bool:
    """A cheap look for an anchor name used twice (may over-report: anchors in quoted
    text count too; then the slower loader runs for nothing, with the same result)."""
    if text.count("&") < 2 or len(text) > MAX_REDEFINING_BYTES:
        return False
    names = _ANCHOR.findall(text)
    return len(names) != len(set(names))
