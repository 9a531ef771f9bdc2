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
