"""Build bench/corpus/pipelines/ from the scenarios in pipelines_corpus_gha.py and
pipelines_corpus_gitlab.py: each scenario is written in a few variants (runner, language
versions, project name), markers are stripped and the labels go to labels.json.

    .venv/bin/python bench/pipelines_make_corpus.py
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import pipelines_corpus_gha as gha
import pipelines_corpus_gitlab as gitlab

OUT = Path(__file__).parent / "corpus" / "pipelines"
MARK = re.compile(r"\s*#@\s*(?P<rules>[a-z0-9/_, -]+)$")
VARIANTS = [
    {"%OS%": "ubuntu-latest", "%NODE%": "20", "%PY%": "3.12", "%PROJ%": "acme"},
    {"%OS%": "ubuntu-24.04", "%NODE%": "22", "%PY%": "3.11", "%PROJ%": "globex"},
    {"%OS%": "ubuntu-22.04", "%NODE%": "18", "%PY%": "3.13", "%PROJ%": "initech"},
]


def _sha(name: str) -> str:
    return hashlib.sha1(name.encode()).hexdigest()


#: made-up credentials planted in the corpus, built here so no whole one sits in source code
FAKES = {
    "%FAKE_CI_PASSWORD%": "-".join(("Ci", "B0t", "Regi5try", "Pass")),
    "%FAKE_DB_PASSWORD_VARIABLE%": "DATABASE_"
    + "PASSWORD: "
    + '"'
    + "s3cure-Passw0rd-%PROJ%"
    + '"',
}


def render(template: str, variant: dict[str, str]) -> tuple[str, list[tuple[str, int]]]:
    text = template
    for k, v in FAKES.items():
        text = text.replace(k, v)
    text = text.replace("%CHECKOUT%", gha.CHECKOUT).replace("%SETUP_NODE%", gha.SETUP_NODE)
    text = text.replace("%SETUP_PY%", gha.SETUP_PY)
    text = re.sub(r"%SHA:([\w-]+)%", lambda m: _sha(m.group(1)), text)
    text = text.replace("%DIGEST%", hashlib.sha256(variant["%PROJ%"].encode()).hexdigest())
    for k, v in variant.items():
        text = text.replace(k, v)
    lines = []
    labels: list[tuple[str, int]] = []
    for n, line in enumerate(text.split("\n"), 1):
        m = MARK.search(line)
        if m is not None:
            for rid in m.group("rules").split(","):
                labels.append((rid.strip(), n))
            line = line[: m.start()]
        lines.append(line)
    return "\n".join(lines), labels


def main() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    labels: dict[str, list[dict[str, object]]] = {}

    def put(rel: str, text: str, found: list[tuple[str, int]]) -> None:
        p = OUT / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
        labels[rel] = [{"rule": r, "line": n} for r, n in found]

    count_gh = 0
    for name, template in gha.SCENARIOS.items():
        for i, variant in enumerate(VARIANTS[:2]):
            text, found = render(template, variant)
            case = f"github/{name}-{i + 1}"
            if name == "composite-action":
                put(f"{case}/action.yml", text, found)
            else:
                put(f"{case}/.github/workflows/{name}.yml", text, found)
            count_gh += 1
    for name, template in gha.DEPENDABOT.items():
        text, found = render(template, VARIANTS[0])
        put(f"github/{name}/.github/dependabot.yml", text, found)
        count_gh += 1
    count_gl = 0
    for name, files in gitlab.SCENARIOS.items():
        for i, variant in enumerate(VARIANTS):
            for rel, template in files.items():
                text, found = render(template, variant)
                put(f"gitlab/{name}-{i + 1}/{rel}", text, found)
            count_gl += 1
    (OUT / "labels.json").write_text(json.dumps(labels, indent=1, sort_keys=True) + "\n")
    n = sum(len(v) for v in labels.values())
    print(f"wrote {count_gh} GitHub files and {count_gl} GitLab pipelines, {n} labels, to {OUT}")


if __name__ == "__main__":
    main()
