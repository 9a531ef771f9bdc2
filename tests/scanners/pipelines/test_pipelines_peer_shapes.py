"""Shapes of the audit families that the peer auditor's own test inputs exercise (YAML
anchors, composite actions, tools installed by setup actions, ...): each with a vulnerable
and a safe example, written for pipesec, pointing where the peer points."""

from __future__ import annotations

import pytest

from .helpers import analyze

WF = ".github/workflows/w.yml"
SHA = "11bd71901bbe5b1630ceea73d27597364c9af683"


def hits(text: str, rule: str, path: str = WF) -> list[int]:
    return [h.line for h in analyze(path, text).hits if h.rule.id == rule]


def steps(body: str, on: str = "push") -> str:
    return (
        f"name: t\non: {on}\npermissions: {{}}\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
        f"    steps:\n{body}"
    )


@pytest.mark.parametrize(
    ("action", "key"),
    [
        ("aquasecurity/setup-trivy", "version"),
        ("extractions/setup-just", "just-version"),
        ("1password/load-secrets-action", "version"),
    ],
)
def test_setup_actions_that_install_the_newest_release(action: str, key: str) -> None:
    bare = f"      - uses: {action}@{SHA}\n"
    assert hits(steps(bare), "gha/unpinned-tool-version") == [8]
    for value in ("latest", "'*'", "${{ inputs.tool-version }}"):
        given = bare + f"        with:\n          {key}: {value}\n"
        assert hits(steps(given), "gha/unpinned-tool-version") == [10], value
    pinned = bare + f"        with:\n          {key}: 1.40.0\n"
    assert not hits(steps(pinned), "gha/unpinned-tool-version")
    matrix = bare + f"        with:\n          {key}: ${{{{ matrix.v }}}}\n"
    assert not hits(steps(matrix), "gha/unpinned-tool-version")


ACTION = "action.yml"


def composite(body: str) -> str:
    return f"name: a\ndescription: a\nruns:\n  using: composite\n  steps:\n{body}"


def test_run_time_values_written_to_github_env() -> None:
    derived = (
        "      - env:\n          TITLE: ${{ github.event.pull_request.title }}\n"
        '        run: |\n          m=$(echo "$TITLE" | cut -c1-20)\n'
        '          echo "m=$m" >> $GITHUB_ENV\n'
    )
    assert hits(steps(derived, on="pull_request_target"), "gha/github-env-injection") == [12]
    assert not hits(steps(derived, on="push"), "gha/github-env-injection")
    body = (
        '    - run: echo "foo=$(bar)" >> $GITHUB_ENV\n      shell: bash\n'
        '    - run: echo "foo=$env:BAR" >> $env:GITHUB_ENV\n      shell: pwsh\n'
        "    - run: echo LIB=%LIB% >> %GITHUB_ENV%\n      shell: cmd\n"
    )
    assert hits(composite(body), "gha/github-env-injection", ACTION) == [6, 8, 10]
    quiet = (
        "    - run: echo foo=bar >> $GITHUB_ENV\n      shell: bash\n"
        '    - run: echo "$HOME/.local/bin" >> "$GITHUB_PATH"\n      shell: bash\n'
        '    - run: echo "${{ github.action_path }}/bin" >> $GITHUB_PATH\n      shell: bash\n'
    )
    assert not hits(composite(quiet), "gha/github-env-injection", ACTION)


def test_a_step_that_never_runs_installs_nothing() -> None:
    body = f"      - uses: extractions/setup-just@{SHA}\n        if: ${{{{ false }}}}\n"
    assert not hits(steps(body), "gha/unpinned-tool-version")
    assert hits(steps(body.replace("false", "true")), "gha/unpinned-tool-version") == [8]


def _injections(text: str, path: str = WF) -> list[tuple[str, int, str]]:
    return [
        (h.rule.id, h.line, (h.severity or h.rule.severity).value)
        for h in analyze(path, text).hits
        if h.rule.id.startswith("gha/template-injection")
    ]


def test_injection_through_yaml_anchors_is_reported_once_at_the_anchor() -> None:
    body = '      - run: &say echo "${{ github.event.issue.title }}"\n      - run: *say\n'
    assert _injections(steps(body, on="issues")) == [("gha/template-injection", 8, "critical")]
    safe = '      - run: &say echo "$TITLE"\n      - run: *say\n'
    assert not _injections(steps(safe, on="issues"))


def test_an_injection_no_trigger_feeds_yet_is_low() -> None:
    body = '      - run: echo "${{ github.event.issue.title }}"\n'
    assert _injections(steps(body, on="push")) == [("gha/template-injection", 8, "low")]


def test_dynamic_matrix_values_carry_their_source() -> None:
    text = (
        "name: t\non: repository_dispatch\npermissions: {}\njobs:\n  a:\n"
        "    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n"
        "        fixed: [a, b]\n        dyn: ${{ github.event.client_payload.x }}\n"
        "    steps:\n      - run: echo ${{ matrix.dyn }} ${{ matrix.fixed }}\n"
    )
    assert [line for _, line, _ in _injections(text)] == [12]
    assert not _injections(text.replace("${{ matrix.dyn }}", "ok"))


@pytest.mark.parametrize(
    ("action", "key"),
    [
        ("mikefarah/yq", "cmd"),
        ("tibdex/backport", "title_template"),
        ("Amadevus/pwsh-script", "script"),
    ],
)
def test_code_inputs_of_known_actions(action: str, key: str) -> None:
    body = (
        f"      - uses: {action}@{SHA}\n        with:\n"
        f"          {key}: echo ${{{{ github.event.pull_request.title }}}}\n"
    )
    assert [r for r, _, _ in _injections(steps(body, on="pull_request"))] == [
        "gha/template-injection-script"
    ]
    safe = body.replace("github.event.pull_request.title", "github.event.pull_request.number")
    assert not _injections(steps(safe, on="pull_request"))


def test_case_function_values() -> None:
    body = (
        "      - run: echo \"${{ case(github.event.action == 'opened',"
        " github.event.issue.title, 'x') }}\"\n"
    )
    assert _injections(steps(body, on="issues"))
    assert not _injections(steps(body.replace("github.event.issue.title", "'y'"), on="issues"))


W = "\n        with:\n          "


def _caches(text: str) -> list[int]:
    return hits(text, "gha/cache-poisoning")


def _release(body: str, head: str = "on: release\n") -> str:
    job = "jobs:\n  p:\n    runs-on: ubuntu-latest\n    steps:\n"
    return f"name: r\n{head}permissions: {{}}\n{job}{body}"


@pytest.mark.parametrize(
    ("body", "fires"),
    [
        (f"      - uses: Mozilla-Actions/sccache-action@{SHA}\n", True),
        (f"      - uses: ramsey/composer-install@{SHA}  # 3.1.1\n", True),
        (
            f"      - uses: ramsey/composer-install@{SHA}{W}ignore-cache: yes\n",
            False,
        ),
        (
            f"      - uses: Swatinem/rust-cache@{SHA}{W}lookup-only: true\n",
            False,
        ),
        (
            f"      - uses: PyO3/maturin-action@{SHA}\n        with:\n          sccache: 'true'\n",
            True,
        ),
        (f"      - uses: PyO3/maturin-action@{SHA}\n", False),
        (f"      - uses: actions/setup-node@{SHA}  # v6.1.0\n", True),
        (f"      - uses: actions/setup-node@{SHA}  # v4.4.0\n", False),
        (
            f"      - uses: actions/setup-node@{SHA}  # v6.1.0\n        with:\n"
            "          package-manager-cache: false\n",
            False,
        ),
        (f"      - uses: astral-sh/setup-uv@{SHA}  # v6.7.0\n", True),
        (f"      - uses: astral-sh/setup-uv@{SHA}  # v10.0.0\n", False),
        (
            f"      - uses: astral-sh/setup-uv@{SHA}  # v10.0.0{W}enable-cache: true\n",
            True,
        ),
    ],
)
def test_caching_actions_in_release_jobs(body: str, fires: bool) -> None:
    assert bool(_caches(_release(body))) is fires
    assert not _caches(_release(body, "on: push\n"))  # not a release: nothing to poison


def test_cache_off_only_on_tag_runs() -> None:
    body = (
        f"      - uses: PyO3/maturin-action@{SHA}\n        with:\n"
        "          sccache: ${{ !startsWith(github.ref, 'refs/tags/') }}\n"
    )
    tags = "on:\n  push:\n    tags: ['*']\n"
    assert not _caches(_release(body, tags))
    # a release branch too: its release runs are not tag runs
    assert _caches(_release(body, "on:\n  push:\n    branches: [release]\n    tags: ['*']\n"))


def test_cache_mode() -> None:
    wf = (
        "name: c\non: pull_request_target\npermissions: {}\ncache-mode: write\njobs:\n"
        "  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n"
    )
    assert _caches(wf) == [4]
    assert not _caches(wf.replace("cache-mode: write", "cache-mode: none"))
    job_level = wf.replace("cache-mode: write\n", "").replace(
        "    runs-on:", "    cache-mode: write\n    runs-on:"
    )
    assert _caches(job_level) == [6]
    off = (
        "name: r\non: release\npermissions: {}\ncache-mode: none\njobs:\n  p:\n"
        f"    runs-on: ubuntu-latest\n    steps:\n      - uses: astral-sh/setup-uv@{SHA}  # v6\n"
    )
    assert not _caches(off)


@pytest.mark.parametrize(
    ("run", "fires"),
    [
        ("gem i rake", True),
        ("npm install oxlint@^1.55.0", True),
        ("npm install eslint@latest", True),
        ("npm install @scope/tool@~2.1", True),
        ("npm install oxlint@1.55.0", False),
        ("npm install @scope/tool@2.1.0", False),
        ("gem i rake -v 13.0.6", False),
    ],
)
def test_adhoc_installs_with_ranges_and_aliases(run: str, fires: bool) -> None:
    assert bool(hits(steps(f"      - run: {run}\n"), "gha/unpinned-tool-install")) is fires


def _matrix_job(matrix: str) -> str:
    return (
        "name: m\non: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
        "    container:\n      image: ${{ matrix.image }}\n"
        f"    strategy:\n      matrix:{matrix}\n    steps:\n      - run: make\n"
    )


def test_container_images_listed_by_a_matrix() -> None:
    digest = "ubuntu@sha256:" + "b" * 64
    listed = f"\n        image: [{digest}, ubuntu]\n"
    assert hits(_matrix_job(listed), "gha/unpinned-image") == [8]
    rows = f"\n        include:\n          - image: {digest}\n          - image: ubuntu:latest\n"
    assert hits(_matrix_job(rows), "gha/unpinned-image") == [8]
    assert hits(_matrix_job(" ${{ fromJSON(vars.TARGETS) }}\n"), "gha/unpinned-image") == [8]
    pinned = f"\n        image: [{digest}]\n        include:\n          - image: {digest}\n"
    assert not hits(_matrix_job(pinned), "gha/unpinned-image")


def test_typosquatted_pre_commit_hook_repositories() -> None:
    cfg = (
        "repos:\n  - repo: https://github.com/astarl-sh/ruff-pre-commit\n    rev: v0.14.0\n"
        "    hooks:\n      - id: ruff-check\n"
        "  - repo: git@github.com:PSFF/black.git\n    rev: 25.9.0\n    hooks:\n      - id: black\n"
        "  - repo: https://github.com/psf/black\n    rev: 25.9.0\n    hooks:\n      - id: black\n"
        "  - repo: https://github.com/pre-commit/pre-comit-hooks\n    rev: v6.0.0\n"
        "    hooks:\n      - id: check-yaml\n"
    )
    # the real repository and a misspelt one of the real owner are not squats
    assert hits(cfg, "gha/typosquat-uses", ".pre-commit-config.yaml") == [2, 6]


def test_archived_pre_commit_hook_repositories() -> None:
    cfg = (
        "repos:\n  - repo: git@github.com:pre-commit/mirrors-prettier.git\n    rev: v4.0.0\n"
        "    hooks:\n      - id: prettier\n"
        "  - repo: https://github.com/pre-commit/pre-commit-hooks\n    rev: v6.0.0\n"
        "    hooks:\n      - id: check-yaml\n"
    )
    assert hits(cfg, "gha/archived-uses", ".pre-commit-config.yaml") == [2]
