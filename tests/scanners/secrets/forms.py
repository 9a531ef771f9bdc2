"""Credential-shaped values for the secrets tests, built at run time from a seeded
generator (never stored whole), and the check of a table of forms."""

from __future__ import annotations

import base64
import random

from pipesec.scanners.secrets.engine import SecretEngine

ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
LOWER = "abcdefghijklmnopqrstuvwxyz0123456789"
HEX = "0123456789abcdef"
HX = HEX + "ABCDEF"


class Values:
    """Random values of one test module (its own seed: the same values every run)."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)

    def r(self, charset: str, n: int) -> str:
        """Random characters with at least one digit and one letter (never a placeholder)."""
        if n < 2 or not any(c.isdigit() for c in charset) or not any(c.isalpha() for c in charset):
            raise ValueError(f"r({charset!r}, {n}) can never hold both a digit and a letter")
        while True:
            v = "".join(self._rng.choice(charset) for _ in range(n))
            if any(c.isdigit() for c in v) and any(c.isalpha() for c in v):
                return v

    def uuid(self) -> str:
        return "-".join(self.r(HEX, n) for n in (8, 4, 4, 4, 12))

    def digits(self, n: int) -> str:
        return "".join(self._rng.choice("0123456789") for _ in range(n))


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def reported(engine: SecretEngine, text: str, path: str, rule_id: str) -> bool:
    """Whether rule ``rule_id`` (``secrets/…``) reports ``text``: by a finding of its own,
    or its match's span is reported by another rule that reads the same characters and
    outranks it (one finding per span, session 17: ``engine._one_per_span``)."""
    found = list(engine.scan_text(text, path=path))
    if any(m.rule.id == rule_id for m in found):
        return True
    every = engine.every_reading().scan_text(text, path=path)
    read = {(m.start, m.end) for m in every if m.rule.id == rule_id}
    return bool(read) and read <= {(m.start, m.end) for m in found}


def check_form(engine: SecretEngine, text: str, path: str, rule_id: str | None) -> None:
    """``rule_id`` (without ``secrets/``) reports ``text`` (or the rule its span yields to:
    :func:`reported`); None: nothing is reported."""
    found = [m.rule.id for m in engine.scan_text(text, path=path)]
    if rule_id is None:
        assert found == [], text
    else:
        assert reported(engine, text, path, f"secrets/{rule_id}"), (text, found)
