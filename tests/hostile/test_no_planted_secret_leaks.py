"""Property: a secret planted anywhere pipesec reads never comes out whole.

Secrets of every rule of the secrets scanner (values generated at run time by the rules'
own example builders, some randomly mutated) are planted in every kind of file pipesec
reads: source, Dockerfile (curl -u, ADD with userinfo), GitHub and GitLab pipelines
(run:/script:), Terraform, Kubernetes YAML, lockfiles, .env and JSON config. The scan
writes every output format, with -v logging; no planted value may appear whole in any
report, on stdout, on stderr or in a log line.
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pipesec.cli.main import app
from pipesec.report import FORMATS

#: (example line, planted value) of one rule
Plant = tuple[str, str]


@lru_cache(maxsize=1)
def planted() -> list[tuple[str, Plant]]:
    """(rule id, (its example line, the secret value in it)) for each rule whose own
    example it finds: generated at run time, never stored."""
    from pipesec.scanners.secrets import engine_for
    from pipesec.scanners.secrets.rules import all_rules

    engine = engine_for()
    out = []
    for rule in all_rules():
        if rule.example is None:
            continue
        example = rule.example()
        values = [m.value for m in engine.scan_text(example) if m.rule.id == rule.id]
        if values and "\n" not in values[0] and len(values[0]) >= 8:
            out.append((rule.id, (example.strip(), values[0])))
    return out


def _indent(text: str, n: int) -> str:
    return "\n".join(" " * n + line for line in text.splitlines())


def _source(plants: list[Plant]) -> str:
    return "".join(f"{ex}\n" for ex, _ in plants)


def _dockerfile(plants: list[Plant]) -> str:
    lines = ["FROM debian:12@sha256:b8084b1a576c"]
    for ex, v in plants:
        lines += [
            f"RUN curl -u admin:{v} https://x.example/i.sh | sh",
            f"ADD https://u:{v}@x.example/f /f",
            f"# {ex}",
        ]
    return "\n".join([*lines, "USER nobody", ""])


def _github(plants: list[Plant]) -> str:
    steps = []
    for ex, v in plants:
        steps.append(f"      - run: curl -u admin:{v} https://x.example/i.sh | sh")
        wget = f"wget -qO- https://u:{v}@x.example/a | bash"
        steps.append("      - run: |\n" + _indent(wget, 10))
        steps.append("      - run: |\n" + _indent(ex, 10))
    return (
        "on: pull_request\npermissions: {}\njobs:\n  b:\n    runs-on: ubuntu-24.04\n"
        "    steps:\n" + "\n".join(steps) + "\n"
    )


def _gitlab(plants: list[Plant]) -> str:
    script = []
    for ex, v in plants:
        script.append(f"    - curl --user admin:{v} https://x.example/i.sh | sh")
        script.append("    - |\n" + _indent(ex, 6))
    return "build:\n  image: alpine:3.20\n  script:\n" + "\n".join(script) + "\n"


def _terraform(plants: list[Plant]) -> str:
    out = []
    for i, (ex, v) in enumerate(plants):
        out.append(
            f'resource "aws_db_instance" "db{i}" {{\n  password = "{v}"\n'
            f'  engine = "postgres"\n}}\n# {ex}\n'
        )
    return "\n".join(out)


def _kubernetes(plants: list[Plant]) -> str:
    env = "\n".join(
        f"            - name: API_TOKEN_{i}\n              value: {json.dumps(v)}\n"
        f"            # {ex}"
        for i, (ex, v) in enumerate(plants)
    )
    return (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n"
        "    spec:\n      containers:\n        - name: web\n          image: nginx:latest\n"
        f"          env:\n{env}\n"
    )


def _requirements(plants: list[Plant]) -> str:
    return "".join(
        f"--extra-index-url https://u:{v}@pypi.example/simple\nrequests==2.19.0  # {ex}\n"
        for ex, v in plants
    )


def _package_lock(plants: list[Plant]) -> str:
    packages: dict[str, object] = {"": {"name": "app", "version": "1.0.0"}}
    for i, (_, v) in enumerate(plants):
        packages[f"node_modules/p{i}"] = {
            "version": "1.0.0",
            "resolved": f"https://u:{v}@registry.example/p{i}/-/p{i}-1.0.0.tgz",
        }
    return json.dumps({"name": "app", "lockfileVersion": 3, "packages": packages})


def _dotenv(plants: list[Plant]) -> str:
    return "".join(f"API_TOKEN_{i}={v}\n# {ex}\n" for i, (ex, v) in enumerate(plants))


def _json_config(plants: list[Plant]) -> str:
    return json.dumps({f"api_token_{i}": v for i, (_, v) in enumerate(plants)}, indent=2)


CARRIERS: dict[str, Callable[[list[Plant]], str]] = {
    "app/settings.py": _source,
    "Dockerfile": _dockerfile,
    ".github/workflows/ci.yml": _github,
    ".gitlab-ci.yml": _gitlab,
    "infra/main.tf": _terraform,
    "k8s/deploy.yaml": _kubernetes,
    "requirements.txt": _requirements,
    "web/package-lock.json": _package_lock,
    ".env": _dotenv,
    "config/settings.json": _json_config,
}


def _mutate(value: str, rnd: random.Random) -> str:
    """Change a few characters after the first quarter, each within its own class."""
    chars = list(value)
    classes = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    for _ in range(3):
        i = rnd.randrange(len(chars) // 4, len(chars))
        for cls in classes:
            if chars[i] in cls:
                chars[i] = rnd.choice(cls)
    return "".join(chars)


def _scan_and_check(
    tmp_path: Path, files: dict[str, list[Plant]], caplog: pytest.LogCaptureFixture
) -> None:
    root = tmp_path / "repo"
    values: set[str] = set()
    for rel, plants in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(CARRIERS[rel](plants))
        values.update(v for _, v in plants)
    # every example as its rule wrote it, so the scan always has something to report: a
    # carrier may strip the keyword a keyed rule needs (a 40-hex Lokalise token alone as a
    # JSON value is not a credential anyone can name), which must not fail the leak check
    (root / "notes").mkdir(parents=True, exist_ok=True)
    (root / "notes" / "examples.txt").write_text(
        "".join(ex + "\n" for plants in files.values() for ex, _ in plants)
    )
    out = tmp_path / "out"
    outputs = [a for fmt in FORMATS for a in ("--output", f"{fmt}={out / fmt}")]
    caplog.set_level(logging.DEBUG)
    result = CliRunner().invoke(
        app,
        [
            *("scan", str(root), "-v", "--no-progress", "--no-step-summary", "-f", "json"),
            *("--fail-on", "low", *outputs),  # any planted secret fails the gate, medium too
        ],
    )
    assert result.exit_code in (1, 3), result.output[-2000:]
    assert json.loads(result.stdout)["findings"], "the planted secrets are found"
    texts = {"stdout": result.stdout, "stderr": result.stderr, "log": caplog.text}
    texts.update({fmt: (out / fmt).read_text(errors="replace") for fmt in FORMATS})
    for where, text in texts.items():
        leaked = sorted(v for v in values if v in text)
        assert not leaked, f"{where}: {len(leaked)} planted values written whole"


def test_every_rule_in_every_file_type(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    plants = planted()
    assert len(plants) > 400
    names = list(CARRIERS)
    files: dict[str, list[Plant]] = {rel: [] for rel in names}
    for i, (_, plant) in enumerate(plants):  # round robin: every carrier gets every family
        files[names[i % len(names)]].append(plant)
    _scan_and_check(tmp_path, files, caplog)


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    picks=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=10_000),
            st.sampled_from(sorted(CARRIERS)),
            st.booleans(),
        ),
        min_size=1,
        max_size=6,
    ),
    rnd=st.randoms(use_true_random=False),
)
def test_random_secrets_in_random_files(
    tmp_path_factory: pytest.TempPathFactory,
    caplog: pytest.LogCaptureFixture,
    picks: list[tuple[int, str, bool]],
    rnd: random.Random,
) -> None:
    from pipesec.scanners.secrets import engine_for

    plants = planted()
    engine = engine_for()
    files: dict[str, list[Plant]] = {}
    for index, carrier, mutate in picks:
        rule_id, (example, value) = plants[index % len(plants)]
        if mutate:
            new = _mutate(value, rnd)
            changed = example.replace(value, new)
            # keep the mutation only when the rule still calls it a secret
            if any(m.rule.id == rule_id and m.value == new for m in engine.scan_text(changed)):
                example, value = changed, new
        files.setdefault(carrier, []).append((example, value))
    caplog.clear()
    _scan_and_check(tmp_path_factory.mktemp("plant"), files, caplog)
