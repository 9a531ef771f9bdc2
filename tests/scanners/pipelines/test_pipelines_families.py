"""The audit families added for parity with the leading GitHub Actions auditor: each one's
vulnerable and safe shapes beyond the rule examples, where it points, and the false alarms
it must not raise."""

from __future__ import annotations

import pytest

from pipesec.core.model import Severity
from pipesec.scanners.pipelines.gha_usage import typosquat_of

from .helpers import analyze, rule_ids

WF = ".github/workflows/w.yml"
SHA = "11bd71901bbe5b1630ceea73d27597364c9af683"


def hits(text: str, rule: str, path: str = WF) -> list[int]:
    return [h.line for h in analyze(path, text).hits if h.rule.id == rule]


def steps(body: str, on: str = "push", runs_on: str = "ubuntu-latest") -> str:
    return (
        f"name: t\non: {on}\npermissions: {{}}\njobs:\n  a:\n    runs-on: {runs_on}\n"
        f"    steps:\n{body}"
    )


@pytest.mark.parametrize(
    ("run", "fires"),
    [
        ("twine upload dist/*", True),
        ("uv publish", True),
        ("cargo +nightly \\\n            publish --locked", True),
        ("npm publish --dry-run", False),
        ("cargo publish -n", False),
        ("twine upload --repository-url https://pypi.internal/ dist/*", False),
        ("npm publish --registry https://npm.internal/", False),
    ],
)
def test_publish_commands_with_a_token(run: str, fires: bool) -> None:
    body = (
        f"      - run: |\n          {run}\n        env:\n"
        "          TWINE_PASSWORD: ${{ secrets.T }}\n"
    )
    lines = hits(steps(body), "gha/publish-long-lived-token")
    assert bool(lines) is fires
    if fires:
        assert lines == [9]  # the command's line, once


def test_publish_without_a_visible_token_depends_on_oidc() -> None:
    """A job that cannot mint an OIDC token (no id-token: write) can only publish with a
    stored credential; with id-token: write and no token it may be trusted publishing."""
    rule = "gha/publish-long-lived-token"
    for run in ("npm publish", "bun publish", "python -m twine upload dist/*", "gem push x.gem"):
        assert hits(steps(f"      - run: {run}\n"), rule) == [8], run
    nuget = "      - run: |\n          dotnet `\n            nuget push foo.nupkg\n"
    assert hits(steps(nuget), rule) == [9]
    oidc = steps("      - run: npm publish\n").replace(
        "permissions: {}", "permissions:\n  id-token: write"
    )
    assert not hits(oidc, rule)


def test_publish_to_a_private_registry_is_quiet() -> None:
    rule = "gha/publish-long-lived-token"
    body = (
        "      - uses: actions/setup-node@" + SHA + "\n        with:\n"
        "          registry-url: https://npm.corp.example\n"
        "      - run: npm publish\n        env:\n          NODE_AUTH_TOKEN: ${{ secrets.T }}\n"
    )
    assert not hits(steps(body), rule)
    pypi = (
        "      - uses: pypa/gh-action-pypi-publish@" + SHA + "\n        with:\n"
        "          password: ${{ secrets.T }}\n"
        "          repository-url: https://pypi.corp.example/legacy/\n"
    )
    assert not hits(steps(pypi), rule)
    assert hits(steps(pypi.replace("pypi.corp.example", "test.pypi.org")), rule) == [10]


def test_rubygems_actions_with_long_lived_keys() -> None:
    rule = "gha/publish-long-lived-token"
    gem = (
        "      - uses: rubygems/release-gem@" + SHA + "\n        with:\n"
        "          setup-trusted-publisher: false\n"
    )
    assert hits(steps(gem), rule) == [10]
    assert not hits(steps(gem.replace("false", "true")), rule)
    creds = (
        "      - uses: rubygems/configure-rubygems-credentials@" + SHA + "\n        with:\n"
        "          api-token: ${{ secrets.RUBYGEMS }}\n"
    )
    assert hits(steps(creds), rule) == [10]
    assert not hits(steps(creds + "          gem-server: https://gems.corp.example\n"), rule)


def test_publish_token_inline() -> None:
    body = '      - run: uv publish --token "${{ secrets.PYPI }}"\n'
    assert hits(steps(body), "gha/publish-long-lived-token") == [8]


@pytest.mark.parametrize(
    ("action", "key"),
    [("azure/cli", "inlineScript"), ("azure/powershell", "inlineScript")],
)
def test_injection_into_code_inputs(action: str, key: str) -> None:
    body = (
        f"      - uses: {action}@{SHA}\n        with:\n          {key}: |\n"
        '            echo "${{ github.event.issue.title }}"\n'
    )
    assert hits(steps(body, on="issues"), "gha/template-injection-script") == [11]
    safe = body.replace("github.event.issue.title", "github.sha")
    assert not hits(steps(safe, on="issues"), "gha/template-injection-script")


def test_pwsh_github_env_write_of_tainted_env() -> None:
    body = (
        "      - shell: pwsh\n        env:\n"
        "          T: ${{ github.event.workflow_run.head_branch }}\n"
        '        run: |\n          "B=$env:T" | Out-File -FilePath $env:GITHUB_ENV -Append\n'
    )
    assert hits(steps(body, on="workflow_run"), "gha/github-env-injection") == [12]
    safe = body.replace("$env:T", "main")
    assert not hits(steps(safe, on="workflow_run"), "gha/github-env-injection")


def test_cache_poisoning_points_at_uses_and_default_caching_actions() -> None:
    wf = (
        "name: release\non:\n  push:\n    tags: ['v*']\npermissions: {}\njobs:\n  a:\n"
        "    runs-on: ubuntu-latest\n    steps:\n"
        f"      - uses: actions/setup-node@{SHA}\n        with:\n          cache: npm\n"
        f"      - uses: Swatinem/rust-cache@{SHA}\n"
        f"      - uses: astral-sh/setup-uv@{SHA}\n        with:\n          enable-cache: false\n"
    )
    assert hits(wf, "gha/cache-poisoning") == [10, 13]
    on_prt = wf.replace("name: release", "name: x").replace(
        "on:\n  push:\n    tags: ['v*']", "on: pull_request_target"
    )
    assert hits(on_prt, "gha/cache-poisoning") == [8, 11]
    assert not hits(on_prt.replace("pull_request_target", "pull_request"), "gha/cache-poisoning")


@pytest.mark.parametrize(
    ("cond", "fires"),
    [('"${{ false }} "', True), ("|\n      ${{ a }}", True), ("${{ a && b }}", False)],
)
def test_unsound_condition(cond: str, fires: bool) -> None:
    wf = f"on: push\npermissions: {{}}\njobs:\n  a:\n    if: {cond}\n    runs-on: x\n"
    wf += "    steps:\n      - run: echo\n"
    assert bool(hits(wf, "gha/unsound-condition")) is fires


def test_bot_check_by_actor_id() -> None:
    wf = "on: pull_request_target\npermissions: {}\njobs:\n  a:\n"
    wf += "    if: github.actor_id == 49699333\n    runs-on: x\n    steps:\n      - run: echo\n"
    assert hits(wf, "gha/bot-condition") == [5]
    other = wf.replace("49699333", "12345")
    assert not hits(other, "gha/bot-condition")


@pytest.mark.parametrize(
    ("expr", "fires"),
    [
        ("${{ '' }}", True),
        ("${{ format('{0}', 'x') }}", True),
        ("${{ github.sha }}", False),
        ("${{ hashFiles('x') }}", False),
    ],
)
def test_constant_expressions(expr: str, fires: bool) -> None:
    body = f'      - run: echo "{expr}"\n'
    assert bool(hits(steps(body), "gha/obfuscated-expression")) is fires


def test_always_in_condition_is_not_constant() -> None:
    body = "      - if: ${{ always() }}\n        run: echo\n"
    assert not hits(steps(body), "gha/obfuscated-expression")


def test_expression_in_uses_is_obfuscation_not_unpinned() -> None:
    body = "      - uses: ${{ 'actions/checkout@v4' }}\n"
    res = analyze(WF, steps(body))
    assert "gha/unpinned-uses" not in rule_ids(res)
    assert "gha/obfuscated-expression" in rule_ids(res)


@pytest.mark.parametrize(
    ("run", "fires"),
    [
        ("npm install -g eslint", True),
        ("yarn add prettier", True),
        ("pnpm add left-pad", True),
        ("gem install rubocop", True),
        ("pip install black", True),
        ("npm ci", False),
        ("npm install", False),
        ("pnpm install --frozen-lockfile", False),
        ("yarn add prettier@3.3.3", False),
        ("pip install -r requirements.txt", False),
    ],
)
def test_adhoc_installs(run: str, fires: bool) -> None:
    assert bool(hits(steps(f"      - run: {run}\n"), "gha/unpinned-tool-install")) is fires


def test_gitlab_keeps_its_npm_install_behaviour() -> None:
    text = "build:\n  script:\n    - yarn add prettier\n"
    assert "gitlab/unpinned-tool-install" not in rule_ids(analyze(".gitlab-ci.yml", text))


def test_read_all_and_workflow_level_id_token() -> None:
    wf = "on: push\npermissions: read-all\njobs:\n  a:\n    runs-on: x\n    steps:\n"
    wf += "      - run: echo\n"
    assert hits(wf, "gha/read-all-permissions") == [2]
    idt = (
        "on: push\npermissions:\n  id-token: write  # oidc\njobs:\n"
        "  a:\n    runs-on: x\n    steps:\n      - uses: aws-actions/configure-aws-credentials"
        f"@{SHA}\n  b:\n    runs-on: x\n    steps:\n      - run: echo\n"
    )
    assert hits(idt, "gha/excessive-permissions") == [3]
    one_job = idt.split("  b:")[0]
    assert not hits(one_job, "gha/excessive-permissions")


def test_reusable_workflow_needs_no_permissions_block() -> None:
    wf = "on:\n  workflow_call:\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: make\n"
    assert not hits(wf, "gha/missing-permissions")
    both = wf.replace("  workflow_call:", "  workflow_call:\n  push:")
    assert hits(both, "gha/missing-permissions")


def test_comment_job_that_only_echoes_is_not_flagged() -> None:
    wf = "on: issue_comment\njobs:\n  log:\n    runs-on: x\n    steps:\n"
    assert not hits(wf + '      - run: echo "a comment"\n', "gha/comment-trigger-no-auth")
    assert hits(wf + "      - run: ./deploy.sh\n", "gha/comment-trigger-no-auth")


def test_github_app_token_options() -> None:
    body = (
        f"      - uses: actions/create-github-app-token@{SHA}\n        with:\n"
        "          app-id: 1\n          skip-token-revoke: true\n"
    )
    assert hits(steps(body), "gha/github-app-token") == [11]
    scoped = body.replace("skip-token-revoke: true", "owner: acme\n          repositories: a")
    assert not hits(steps(scoped), "gha/github-app-token")


def test_typosquats() -> None:
    assert typosquat_of("action/checkout") == "actions/checkout"
    assert typosquat_of("dokcer/login-action") == "docker/login-action"
    assert typosquat_of("actions/checkout") is None
    assert typosquat_of("acme/checkout") is None


def _self_repo(text: str, path: str = WF) -> list[tuple[int, str]]:
    return [
        (h.line, str(h.severity))
        for h in analyze(path, text).hits
        if h.rule.id == "gha/self-repository-uses"
    ]


def test_self_repository_uses_by_trigger_and_place() -> None:
    body = "      - uses: ./.github/actions/setup\n"
    assert _self_repo(steps(body, on="pull_request_target")) == [(8, "medium")]
    assert _self_repo(steps(body, on="[push, pull_request]")) == [(8, "low")]
    reusable = "on: push\npermissions: {}\njobs:\n  call:\n    uses: ./.github/workflows/r.yml\n"
    assert _self_repo(reusable) == [(5, "info")]
    action = "name: a\nruns:\n  using: composite\n  steps:\n    - uses: ./other\n"
    assert _self_repo(action, "act/action.yml") == [(5, "low")]
    safe = "      - uses: $/.github/actions/setup\n"
    assert _self_repo(steps(safe, on="pull_request_target")) == []
    remote = f"      - uses: acme/app/.github/actions/setup@{SHA}\n"
    assert _self_repo(steps(remote, on="pull_request_target")) == []


def test_setup_versions() -> None:
    body = f"      - uses: hashicorp/setup-terraform@{SHA}\n"
    assert hits(steps(body), "gha/unpinned-tool-version") == [8]
    pinned = body + "        with:\n          terraform_version: 1.9.8\n"
    assert not hits(steps(pinned), "gha/unpinned-tool-version")
    # no version: the runner's own Python, not a download of the newest
    runner = f"      - uses: actions/setup-python@{SHA}\n"
    assert not hits(steps(runner), "gha/unpinned-tool-version")
    latest = runner + "        with:\n          python-version: latest\n"
    assert hits(steps(latest), "gha/unpinned-tool-version") == [10]


def test_shell_cmd_and_deprecated_commands() -> None:
    body = '      - run: dir\n        shell: cmd\n      - run: echo "::set-env name=A::b"\n'
    text = steps(body, runs_on="windows-latest")
    assert hits(text, "gha/shell-cmd") == [9]
    assert hits(text, "gha/unsecure-commands") == [10]
    defaults = text.replace("jobs:", "defaults:\n  run:\n    shell: cmd\njobs:")
    assert hits(defaults, "gha/shell-cmd") == [6, 12]
    outputs = steps('      - run: echo "::set-output name=v::1"\n')
    found = [h for h in analyze(WF, outputs).hits if h.rule.id == "gha/unsecure-commands"]
    assert [(h.line, h.severity) for h in found] == [(8, Severity.MEDIUM)]
    modern = steps('      - run: echo "v=1" >> "$GITHUB_OUTPUT"\n')
    assert not hits(modern, "gha/unsecure-commands")


def test_dependabot_short_cooldown() -> None:
    text = "version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n"
    text += "    schedule:\n      interval: weekly\n    cooldown:\n      default-days: {d}\n"
    assert hits(text.format(d=2), "gha/dependabot-cooldown", ".github/dependabot.yml") == [8]
    assert not hits(text.format(d=7), "gha/dependabot-cooldown", ".github/dependabot.yml")


@pytest.mark.parametrize("name", [".pre-commit-config.yaml", "sub/.pre-commit-config.yml"])
def test_precommit_insecure_urls(name: str) -> None:
    text = "repos:\n  - repo: git://example.com/hooks\n    rev: v1\n    hooks: []\n"
    text += "  - repo: https://example.com/ok\n    rev: v1\n    hooks: []\n  - repo: local\n"
    assert hits(text, "precommit/insecure-url", name) == [2]


def test_extra_index_in_env_and_credentials_in_index_url() -> None:
    wf = steps("      - run: pip install x==1\n").replace(
        "    steps:", "    env:\n      PIP_EXTRA_INDEX_URL: https://pkgs.example/simple\n    steps:"
    )
    assert hits(wf, "gha/extra-index-url") == [8]
    password = "s3cr" + "etvalue"
    run = f"      - run: pip install -i https://ci:{password}@pkgs.example/simple x==1\n"
    res = analyze(WF, steps(run))
    found = [h for h in res.hits if h.rule.id == "gha/index-url-credentials"]
    assert [h.line for h in found] == [8]
    assert password not in found[0].snippet
    by_var = run.replace(password, "$INDEX_TOKEN")
    assert not hits(steps(by_var), "gha/index-url-credentials")


@pytest.mark.parametrize(
    ("path", "line", "fires"),
    [
        ("requirements.txt", "--extra-index-url https://pkgs.example/simple", True),
        ("requirements/dev.in", "--extra-index-url=https://pkgs.example/simple", True),
        ("Dockerfile", "ENV PIP_EXTRA_INDEX_URL=https://pkgs.example/simple", True),
        ("docker/api.Dockerfile", "RUN pip install --extra-index-url https://x/simple a", True),
        ("requirements.txt", "--index-url https://pkgs.example/simple", False),
        ("requirements.txt", "# --extra-index-url https://pkgs.example/simple", False),
    ],
)
def test_dependency_confusion_outside_pipelines(path: str, line: str, fires: bool) -> None:
    assert bool(hits(line + "\nacme==1.0\n", "pipeline/extra-index-url", path)) is fires


def test_index_credentials_in_requirements_are_redacted() -> None:
    password = "Pq7" + "zzTopSecret"
    text = f"--index-url https://ci:{password}@pkgs.example/simple\nacme==1.0\n"
    res = analyze("requirements.txt", text)
    found = [h for h in res.hits if h.rule.id == "pipeline/index-url-credentials"]
    assert [h.line for h in found] == [1]
    assert password not in found[0].snippet and password not in found[0].message


def test_pedantic_audits_only_when_asked() -> None:
    wf = (
        "name: w\non: push\npermissions: {}\njobs:\n  a:\n    runs-on: x\n    steps:\n"
        "      - run: ./d.sh\n        env:\n          K: ${{ secrets.KEY }}\n"
        "          T: ${{ secrets.GITHUB_TOKEN }}\n"
    )
    pedantic = ("gha/concurrency-limits", "gha/secrets-outside-environment")
    assert not set(pedantic) & set(rule_ids(analyze(WF, wf)))
    res = analyze(WF, wf, options={"pedantic": True})
    by_rule = {(h.rule.id, h.line) for h in res.hits}
    assert ("gha/concurrency-limits", 2) in by_rule
    assert ("gha/secrets-outside-environment", 10) in by_rule  # not GITHUB_TOKEN on 11
    assert ("gha/anonymous-definition", 5) in by_rule
    in_env = wf.replace("    runs-on: x\n", "    name: A\n    runs-on: x\n    environment: prod\n")
    in_env = in_env.replace("jobs:", "concurrency: w\njobs:")
    quiet = {h.rule.id for h in analyze(WF, in_env, options={"pedantic": True}).hits}
    assert not set(pedantic) & quiet and "gha/anonymous-definition" not in quiet
