"""Session 14, the long tail: every rule of ``rules/tail.py`` (a provider that only one peer has a
rule for) reports its provider's value in the forms real files use, a ``.env`` key, a JSON key and
(a fixed shape) an SDK called by the provider's name, and does not report a value of another
length or a placeholder under the same key.

The values are the rules' own generated examples (seeded by the rule id, never stored)."""

from __future__ import annotations

import json
import re

import pytest
from tests.scanners.secrets.forms import reported

from pipesec.scanners.secrets.engine import SecretEngine
from pipesec.scanners.secrets.rules import tail
from pipesec.scanners.secrets.rules.base import SecretRule
from pipesec.scanners.secrets.rules.builders import _STEM_CALL_TAIL, _provider_stems


def _value(rule: SecretRule) -> str:
    assert rule.example is not None
    example = rule.example()
    m = re.search(r'"(.+)"', example)
    assert m, example
    return m.group(1)


def _found(engine: SecretEngine, text: str, path: str) -> set[str]:
    """What every rule reads (also a rule that yields its span to another: session 17)."""
    return {m.rule.id for m in engine.every_reading().scan_text(text, path=path)}


@pytest.mark.parametrize("rule", tail.RULES, ids=lambda r: r.id)
def test_tail_rule_forms(rule: SecretRule, engine: SecretEngine) -> None:
    value = _value(rule)
    key = rule.keywords[0]
    env = f"{key.upper()}={value}\n"
    assert reported(engine, env, "deploy/.env", rule.id), env
    doc = json.dumps({"service": "api", key: value}, indent=2) + "\n"
    assert reported(engine, doc, "config/settings.json", rule.id), doc
    short = f"{key.upper()}={value[:8]}\n"
    assert rule.id not in _found(engine, short, "deploy/.env"), short
    placeholder = f"{key.upper()}={re.sub(r'[A-Za-z0-9]', 'x', value)}\n"
    assert rule.id not in _found(engine, placeholder, "deploy/.env"), placeholder


def test_tail_rules_are_many_and_distinct() -> None:
    ids = [r.id for r in tail.RULES]
    assert len(ids) == len(set(ids)) >= 500


_CALL = [r for r in tail.RULES if _STEM_CALL_TAIL in r.regex]


@pytest.mark.parametrize("rule", _CALL, ids=lambda r: r.id)
def test_tail_rule_sdk_call(rule: SecretRule, engine: SecretEngine) -> None:
    """A fixed-shape value passed to an SDK named by the provider (``new DeepgramClient("<v>")``,
    ``deepgram.Client('<v>')``) is reported; a value of another length in the same call is not."""
    value = _value(rule)
    stem = _provider_stems(rule.keywords)[0]
    for call in (
        f'const c = new {stem.capitalize()}Client("{value}");\n',
        f"c = {stem}.Client('{value}')\n",
    ):
        assert reported(engine, call, "src/app.ts", rule.id), call
    short = f'const c = new {stem.capitalize()}Client("{value[:8]}");\n'
    assert rule.id not in _found(engine, short, "src/app.ts"), short


def test_tail_sdk_call_rules_are_many() -> None:
    assert len(_CALL) >= 300
