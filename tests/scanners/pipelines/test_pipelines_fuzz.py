"""Random pipeline-shaped documents never crash the analysers."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipesec.scanners.pipelines.analyze import analyze_text

KEYS = st.sampled_from(
    [
        "on",
        "jobs",
        "steps",
        "run",
        "uses",
        "with",
        "env",
        "permissions",
        "runs-on",
        "if",
        "container",
        "services",
        "image",
        "script",
        "variables",
        "include",
        "extends",
        "rules",
        "environment",
        "outputs",
        "needs",
        "secrets",
        "local",
        "remote",
        "project",
        "ref",
        "default",
        "workflow",
        "trigger",
        "artifacts",
        "paths",
        "name",
        "id",
        "shell",
        "allow_failure",
        "when",
        "inputs",
        "spec",
        "credentials",
        "password",
        "options",
    ]
)
SCALARS = st.one_of(
    st.sampled_from(
        [
            "${{ github.event.issue.title }}",
            "${{ secrets.X }}",
            "${{ toJSON(secrets) }}",
            "actions/checkout@v4",
            "./local",
            "docker://alpine",
            "write-all",
            "write",
            "pull_request_target",
            "self-hosted",
            "curl x | sh",
            "eval $CI_COMMIT_TITLE",
            "production",
            "manual",
            "inherit",
            "${{ steps.a.outputs.b }}",
            "$[[ inputs.x ]]",
            "${{",
            "}}",
            "",
            "docker login -p x y",
            "set -x",
            "node:latest",
        ]
    ),
    st.integers(),
    st.booleans(),
    st.none(),
    st.text(max_size=8),
)
DOCS = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(KEYS, children, max_size=5),
    ),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    DOCS,
    st.sampled_from(
        [".github/workflows/f.yml", ".gitlab-ci.yml", "action.yml", ".github/dependabot.yml"]
    ),
)
def test_random_documents_do_not_crash(doc: object, path: str) -> None:
    text = yaml.safe_dump(doc, sort_keys=False)
    kind = {
        "action.yml": "action",
        ".gitlab-ci.yml": "gitlab",
        ".github/dependabot.yml": "dependabot",
    }.get(path, "workflow")
    files = {path: text}
    res = analyze_text(path, text, kind, read=files.get, list_files=lambda: sorted(files))
    for h in res.hits:
        assert h.line >= 1 and h.col >= 1
