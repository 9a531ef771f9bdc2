"""Findings in test code, fixtures, examples and docs: tagged with their context and, for
generic secrets and other scanners' findings, capped at low (provider keys never are)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from pipesec.core.config import Config, validate
from pipesec.core.engine import ScanRequest, context_of, run_scan
from pipesec.core.model import Finding, Severity
from pipesec.core.workspace import Workspace
from pipesec.scanners.secrets.rules import all_rules

AWS = "AKIA" + "Q7ZT2M4XWJ3LRBNV"
FAKE = "Xq7vR2pL" + "m9TzW4kN"  # built at run time: no credential in the source
SAFE_LOCK = '{"name": "x", "lockfileVersion": 3, "packages": {"": {"name": "x"}}}'


def _github_pat() -> str:
    ex = next(r for r in all_rules() if r.id == "secrets/github-pat").to_rule().vulnerable_example
    return ex.split('"')[1]


def _tree(root: Path) -> Path:
    gh = _github_pat()
    for where in ("src", "tests/unit", "docs"):
        d = root / where
        d.mkdir(parents=True)
        (d / "settings.py").write_text(
            f'db_password = "{FAKE}"\nGITHUB_TOKEN = "{gh}"\n'
            "import subprocess\nsubprocess.call('ls ' + name, shell=True)\nassert name\n"
        )
    (root / "README.md").write_text(f'Configure it:\n\n    api_password = "{FAKE}"\n')
    return root


def _scan(root: Path, config: Config, scanners: list[str]) -> list[Finding]:
    ws = Workspace(root, use_git=False)
    req = ScanRequest(root=root, config=config, scanners=scanners, workspace=ws)
    return run_scan(req).findings


def _at(findings: list[Finding], path: str, rule_prefix: str) -> Finding:
    return next(
        f for f in findings if f.location.path == path and f.rule_id.startswith(rule_prefix)
    )


def test_default_context_globs() -> None:
    cfg = Config()
    assert context_of("tests/unit/a.py", cfg) == "test"
    assert context_of("pkg/__tests__/a.js", cfg) == "test"
    assert context_of("internal/x/testdata/lock.json", cfg) == "test"
    assert context_of("pkg/test_api.py", cfg) == "test"
    assert context_of("docs/guide/setup.py", cfg) == "docs"
    assert context_of("CONTRIBUTING.md", cfg) == "docs"
    assert context_of("examples/app/main.go", cfg) == "docs"
    assert context_of("src/app/settings.py", cfg) is None
    assert context_of("src/contest.py", cfg) is None  # a name that only contains "test"
    assert context_of("latest/app.py", cfg) is None


def test_generic_secret_and_sast_demoted_in_tests_provider_key_is_not(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    found = _scan(root, Config(), ["secrets", "sast"])

    # production code: full severity, no context tag
    prod = _at(found, "src/settings.py", "secrets/generic-password")
    assert prod.severity.at_least(Severity.HIGH)
    assert not [t for t in prod.tags if t.startswith("context:")]
    assert _at(found, "src/settings.py", "bandit/B602").severity.at_least(Severity.MEDIUM)

    # tests: generic secret and bandit capped at low, tagged; the provider token is not demoted
    generic = _at(found, "tests/unit/settings.py", "secrets/generic-password")
    assert generic.severity is Severity.LOW
    assert "context:test" in generic.tags
    assert generic.properties["severity-before-context"] == prod.severity.value
    assert _at(found, "tests/unit/settings.py", "bandit/B602").severity is Severity.LOW
    gh = _at(found, "tests/unit/settings.py", "secrets/github-pat")
    assert gh.severity.at_least(Severity.HIGH)

    # docs: the same, tagged context:docs (a Markdown file anywhere counts as docs)
    assert _at(found, "docs/settings.py", "secrets/generic-password").severity is Severity.LOW
    readme = _at(found, "README.md", "secrets/generic-password")
    assert readme.severity is Severity.LOW and "context:docs" in readme.tags
    assert _at(found, "docs/settings.py", "secrets/github-pat").severity.at_least(Severity.HIGH)


def test_bandit_assert_is_off_by_default_and_can_be_enabled(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    found = _scan(root, Config(), ["sast"])
    assert not [f for f in found if f.rule_id == "bandit/B101"]
    cfg = validate({"rules": {"bandit/B101": {"enabled": True}}}, "t")
    found = _scan(root, cfg, ["sast"])
    b101 = {f.location.path: f.severity for f in found if f.rule_id == "bandit/B101"}
    assert b101 == {"src/settings.py": Severity.LOW, "docs/settings.py": Severity.LOW}
    # (bandit rates B101 low; in tests/ the scanner still leaves asserts alone)
    # a severity alone does not switch it on: only `enabled = true` does
    cfg = validate({"rules": {"bandit/B101": {"severity": "high"}}}, "t")
    assert not [f for f in _scan(root, cfg, ["sast"]) if f.rule_id == "bandit/B101"]


def test_demotion_off_and_custom_paths(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    off = validate({"gate": {"demote-contexts": False}}, "t")
    found = _scan(root, off, ["secrets"])
    tagged = _at(found, "tests/unit/settings.py", "secrets/generic-password")
    assert tagged.severity.at_least(Severity.HIGH) and "context:test" in tagged.tags

    custom = validate({"gate": {"context-paths": {"test": ["src/"], "docs": []}}}, "t")
    found = _scan(root, custom, ["secrets"])
    assert _at(found, "src/settings.py", "secrets/generic-password").severity is Severity.LOW
    assert _at(found, "tests/unit/settings.py", "secrets/generic-password").severity.at_least(
        Severity.HIGH
    )


def test_invalid_lockfile_in_fixtures_is_a_note_elsewhere_an_error(tmp_path: Path) -> None:
    (tmp_path / "tests" / "fixtures").mkdir(parents=True)
    (tmp_path / "tests" / "fixtures" / "package-lock.json").write_text("{not json")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "package-lock.json").write_text(SAFE_LOCK)
    ws = Workspace(tmp_path, use_git=False)
    cfg = Config()
    report = run_scan(ScanRequest(root=tmp_path, config=cfg, scanners=["deps"], workspace=ws))
    assert report.errors == []
    assert any(
        n.path == "tests/fixtures/package-lock.json" and "test fixture" in n.message
        for n in report.notes
    )
    (tmp_path / "app" / "package-lock.json").write_text("{not json")
    ws = Workspace(tmp_path, use_git=False)
    report = run_scan(ScanRequest(root=tmp_path, config=cfg, scanners=["deps"], workspace=ws))
    assert [e.path for e in report.errors] == ["app/package-lock.json"]


def test_context_paths_as_a_plain_list() -> None:
    cfg = validate({"gate": {"context-paths": ["qa/", "handbook/*.md", "docs/"]}}, "t")
    assert cfg.gate.context_paths.test == ["qa/"]
    assert cfg.gate.context_paths.docs == ["handbook/*.md", "docs/"]
    assert context_of("qa/x.py", cfg) == "test" and context_of("tests/x.py", cfg) is None


def test_broken_fixtures_of_other_parsers_are_notes(tmp_path: Path) -> None:
    fx = tmp_path / "tests" / "fixtures"
    fx.mkdir(parents=True)
    (fx / "Dockerfile").write_text("FROM alpine\nRUN <<EOF\necho\n")
    (fx / "py2.py").write_text("print 'hello'\n")
    (tmp_path / "Dockerfile").write_text("FROM alpine\nRUN <<EOF\necho\n")
    ws = Workspace(tmp_path, use_git=False)
    cfg = Config()
    req = ScanRequest(root=tmp_path, config=cfg, scanners=["iac", "sast"], workspace=ws)
    report = run_scan(req)
    assert [e.path for e in report.errors] == ["Dockerfile"]  # the team's own: exit 3
    noted = {n.path for n in report.notes if "test fixture" in n.message}
    assert noted == {"tests/fixtures/Dockerfile", "tests/fixtures/py2.py"}


def test_typed_passwords_are_demoted_in_tests_like_generic_secrets(tmp_path: Path) -> None:
    """A password typed into a login() call or a netrc entry is not a provider's key: in
    test code it is capped at low, in production code it keeps its severity."""
    for where in ("src", "tests"):
        d = tmp_path / where
        d.mkdir()
        (d / "mail.py").write_text(
            f"smtp.login('deploy', '{FAKE}')\n"
            f'NETRC = """machine mail.corp.example\\n  login ci\\n  password {FAKE}\\n"""\n'
        )
    found = _scan(tmp_path, Config(), ["secrets"])
    for rule in ("secrets/login-call-password", "secrets/netrc-password"):
        assert _at(found, "src/mail.py", rule).severity.at_least(Severity.HIGH)
        demoted = _at(found, "tests/mail.py", rule)
        assert demoted.severity is Severity.LOW
        assert "context:test" in demoted.tags


def test_framework_signing_keys_are_demoted_in_docs_and_tests(tmp_path: Path) -> None:
    """Django's SECRET_KEY in a tutorial or in test settings is an example; in the
    application's own settings it keeps its severity."""
    key = "192b9bdd22ab9ed4" + "d12e236c78afcb9a" + "393ec15f71bbf5dc"
    for where in ("mysite", "docs", "tests/integrations"):
        d = tmp_path / where
        d.mkdir(parents=True)
        (d / "settings.py").write_text(f'DEBUG = False\nSECRET_KEY = "{key}"\n')
    found = _scan(tmp_path, Config(), ["secrets"])
    rule = "secrets/django-secret-key"
    assert _at(found, "mysite/settings.py", rule).severity.at_least(Severity.HIGH)
    for where, ctx in (("docs", "context:docs"), ("tests/integrations", "context:test")):
        demoted = _at(found, f"{where}/settings.py", rule)
        assert demoted.severity is Severity.LOW and ctx in demoted.tags


def test_basic_auth_headers_in_tests_are_demoted(tmp_path: Path) -> None:
    """HTTP Basic credentials are a user name and a password: capped in test code only."""
    import base64

    creds = base64.b64encode(f"deploy:{FAKE}".encode()).decode()
    for where in ("src", "tests"):
        (tmp_path / where).mkdir()
        (tmp_path / where / "client.py").write_text(
            f"HEADERS = {{'Authorization': 'Basic {creds}'}}\n"
        )
    found = _scan(tmp_path, Config(), ["secrets"])
    rule = "secrets/authorization-basic"
    assert _at(found, "src/client.py", rule).severity.at_least(Severity.HIGH)
    assert _at(found, "tests/client.py", rule).severity is Severity.LOW


def test_molecule_and_javascript_test_files_are_test_code() -> None:
    cfg = Config()
    assert context_of("roles/db/molecule/default/converge.yml", cfg) == "test"
    assert context_of("src/api/client.test.ts", cfg) == "test"
    assert context_of("src/api/client.spec.js", cfg) == "test"
    assert context_of("src/api/client.ts", cfg) is None


def test_single_test_files_and_other_languages_test_names_are_test_code() -> None:
    """``url``'s ``test.js`` (a package's one test file), Django's ``tests.py``, RSpec,
    JUnit, xUnit and PHPUnit test names (session 15); the code beside them is not."""
    cfg = Config()
    for path in (
        "node_modules/url/test.js",
        "pkg/test.mjs",
        "shop/orders/tests.py",
        "spec/models/user_spec.rb",
        "src/test_helper/user_test.rb",
        "src/main/java/com/acme/UserServiceTest.java",
        "app/src/LoginTests.cs",
        "src/Auth/TokenTest.php",
    ):
        assert context_of(path, cfg) == "test", path
    for path in ("node_modules/url/url.js", "shop/orders/views.py", "src/Contest.java"):
        assert context_of(path, cfg) is None, path


def test_documentation_blocks_of_programs_are_docs(tmp_path: Path) -> None:
    """A docstring's or an Ansible module's EXAMPLES' password documents a call: tagged
    context:docs and capped at low; the same line in the module's code keeps its severity,
    and a provider's key in EXAMPLES is never demoted."""
    gh = _github_pat()
    d = tmp_path / "plugins" / "modules"
    d.mkdir(parents=True)
    (d / "user.py").write_text(
        '"""Manage users.\n\n    db.login(password="' + FAKE + '")\n"""\n'
        "EXAMPLES = r'''\n- user:\n    password: \"" + FAKE + '"\n    token: "' + gh + "\"\n'''\n"
        f'db_password = "{FAKE}"\n'
    )
    (d / "group.yml").write_text(
        f"DOCUMENTATION:\n  module: group\nEXAMPLES: |\n  - group:\n      password: {FAKE}\n"
    )
    (d / "other.yml").write_text(f"password: {FAKE}\n")
    hex32 = "9c4f" + "1ab27e5d8f0c3b6a" + "4d9e2f7a1c5b"
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "conf.yml").write_text(f"api_key: {hex32}\n")
    found = [f for f in _scan(tmp_path, Config(), ["secrets"]) if f.rule_id.startswith("secrets/")]
    at = {(f.location.path, f.location.start_line): f for f in found}
    for line in (3, 7):
        f = at[("plugins/modules/user.py", line)]
        assert f.severity is Severity.LOW and "context:docs" in f.tags, f
    assert at[("plugins/modules/user.py", 8)].rule_id == "secrets/github-pat"
    assert at[("plugins/modules/user.py", 8)].severity.at_least(Severity.HIGH)
    assert at[("plugins/modules/user.py", 10)].severity.at_least(Severity.HIGH)
    assert at[("plugins/modules/group.yml", 5)].severity is Severity.LOW
    assert at[("plugins/modules/other.yml", 1)].severity.at_least(Severity.HIGH)
    # a 32-hex api_key (no provider's structure) is demoted in docs like a generic secret
    assert at[("docs/conf.yml", 1)].rule_id == "secrets/api-key-hex32"
    assert at[("docs/conf.yml", 1)].severity is Severity.LOW


# -- session 16: a test-file name alone does not lower what the gate fails on ------------------

#: (path, text): files a default test-file name puts in the test context that hold no test
#: (a scratch ``test.js``, a config named like a spec): their findings keep their severity
NAMED_NOT_TESTS = [
    ("test.js", f'const password = "{FAKE}";\nfetch(url, {{ password }});\n'),
    ("src/db/connection_spec.rb", f'DB_PASSWORD = "{FAKE}"\n'),
    ("app/tests.py", f'db_password = "{FAKE}"\n'),
    ("src/main/java/DbTest.java", f'class DbTest {{ String password = "{FAKE}"; }}\n'),
    ("cmd/db_test.go", f'package db\n\nvar dbPassword = "{FAKE}"\n'),
]
#: the same names holding tests: demoted as before
NAMED_TESTS = [
    (
        "test.js",
        f'const test = require("tape");\ntest("x", () => {{ const password = "{FAKE}"; }});\n',
    ),
    ("src/db/connection_spec.rb", f'RSpec.describe Db do\n  DB_PASSWORD = "{FAKE}"\nend\n'),
    ("app/tests.py", f'from django.test import TestCase\ndb_password = "{FAKE}"\n'),
    (
        "src/main/java/DbTest.java",
        f'class DbTest {{\n  @Test void a() {{ String password = "{FAKE}"; }}\n}}\n',
    ),
    (
        "cmd/db_test.go",
        'package db\n\nimport "testing"\n\n'
        f'func TestDb(t *testing.T) {{\n\tdbPassword := "{FAKE}"\n}}\n',
    ),
]


def _one_secret(found: list[Finding]) -> Finding:
    (f,) = [f for f in found if f.rule_id.startswith("secrets/generic-password")]
    return f


@pytest.mark.parametrize(("path", "text"), NAMED_NOT_TESTS)
def test_a_test_file_name_alone_does_not_demote(tmp_path: Path, path: str, text: str) -> None:
    (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / path).write_text(text)
    f = _one_secret(_scan(tmp_path, Config(), ["secrets"]))
    assert f.severity.at_least(Severity.HIGH)  # the default gate fails on it
    assert not [t for t in f.tags if t.startswith("context:")]


@pytest.mark.parametrize(("path", "text"), NAMED_TESTS)
def test_a_test_file_that_reads_as_a_test_is_demoted(tmp_path: Path, path: str, text: str) -> None:
    (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / path).write_text(text)
    f = _one_secret(_scan(tmp_path, Config(), ["secrets"]))
    assert f.severity is Severity.LOW and "context:test" in f.tags


def test_directories_and_the_operators_names_keep_their_meaning(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "conf.py").write_text(f'db_password = "{FAKE}"\n')
    (tmp_path / "qa_settings.py").write_text(f'db_password = "{FAKE}"\n')
    cfg = validate({"gate": {"context-paths": {"test": ["tests/", "qa_*.py"]}}}, "t")
    found = _scan(tmp_path, cfg, ["secrets"])
    for path in ("tests/conf.py", "qa_settings.py"):
        f = _at(found, path, "secrets/generic-password")
        assert f.severity is Severity.LOW and "context:test" in f.tags
    # without a reader of the tree (a caller that has none) a name is taken at its word
    assert context_of("test.js", Config()) == "test"
    assert context_of("test.js", Config(), lambda p: False) is None
    assert context_of("tests/test.js", Config(), lambda p: False) == "test"


def test_the_test_marks_are_read_in_linear_time() -> None:
    """The tree writes the file the marks are searched in: a line-start mark whose blank run
    could cross lines (``^\\s*describe``) rescanned every following blank line from each
    line start (256 KB of newlines: about 40 s of CPU, quadratic). Blank runs now stay on
    their line; no mark's pattern holds a ``\\s`` that can cross one."""
    from pipesec.core.engine import _TEST_HEAD, _TEST_MARKERS, reads_as_test

    assert b"\\s" not in _TEST_MARKERS.pattern
    assert not reads_as_test(b"\n" * _TEST_HEAD)
    assert not reads_as_test(b" \n" * (_TEST_HEAD // 2))
    assert reads_as_test(b"\n" * 1000 + b"describe Db do\n  it 'works' do\n")
    assert reads_as_test(b"import { test } from 'vitest'\n")


@pytest.mark.parametrize(
    "where", ["testdata", "tests/fixtures", "test/fixtures", "spec/fixtures", "src/__fixtures__"]
)
def test_a_fixture_directory_does_not_hide_a_providers_key(tmp_path: Path, where: str) -> None:
    """The tree names its own directories: a provider's key under a fixture directory is
    reported at its severity (the gate fails on it), a generic password there is demoted."""
    d = tmp_path / where
    d.mkdir(parents=True)
    (d / "creds.env").write_text(f"GITHUB_TOKEN={_github_pat()}\nDB_PASSWORD={FAKE}\n")
    fs = _scan(tmp_path, Config(), ["secrets"])
    pat = _at(fs, f"{where}/creds.env", "secrets/github-")
    assert pat.severity is Severity.CRITICAL
    generic = _at(fs, f"{where}/creds.env", "secrets/generic-password")
    assert generic.severity is Severity.LOW
    # the operator may still skip such paths
    cfg = validate({"scanners": {"secrets": {"test-paths": [f"{where}/**"]}}}, "operator")
    assert not [f for f in _scan(tmp_path, cfg, ["secrets"]) if f.location.path.startswith(where)]


def test_a_history_finding_is_judged_by_its_own_blob(tmp_path: Path) -> None:
    """``--history``: a scratch ``test.js`` holding a password, which a later commit turned
    into a real test, was demoted because the file at that path today reads as a test; the
    secret stays in the old blob. The blob where the finding stands decides (review17), a
    deleted test's blob included."""
    from tests.conftest import git
    from typer.testing import CliRunner

    from pipesec.cli.main import app

    root = tmp_path / "repo"
    (root / "sub").mkdir(parents=True)
    git(root, "init", "-q")
    git(root, "config", "user.email", "t@example.com")
    git(root, "config", "user.name", "t")
    scratch = root / "sub" / "test.js"
    scratch.write_text(f'const password = "{FAKE}";\nfetch(url, {{ password }});\n')
    git(root, "add", "-A")
    git(root, "commit", "-qm", "scratch")
    scratch.write_text('describe("login", () => {\n  it("works", () => {})\n})\n')
    (root / "sub" / "tests.js").write_text(f'it("x", () => {{ const password = "{FAKE}" }})\n')
    git(root, "add", "-A")
    git(root, "commit", "-qm", "tests")
    git(root, "rm", "-q", "sub/tests.js")
    git(root, "commit", "-qm", "gone")
    # the scan root a folder of the repository: blobs are read at paths relative to it
    args = ["scan", str(root / "sub"), "--history", "-s", "secrets", "-f", "json"]
    result = CliRunner().invoke(app, [*args, "--no-progress"])
    found = {f["location"]["path"]: f["severity"] for f in json.loads(result.stdout)["findings"]}
    assert found == {"test.js": "high", "tests.js": "low"}


@pytest.mark.parametrize(
    ("path", "ctx"),
    [
        # session 18's third real corpus: CakePHP's and Symfony's capitalised test folders,
        # borg's testsuite/, DokuWiki plugins' _test/, Debian's /usr/share/doc, Perl's .pod
        ("lib/Cake/Test/Case/Model/ModelReadTest.php", "test"),
        ("lib/Cake/Test/Fixture/UserFixture.php", "test"),
        ("symfony/http-client-contracts/Test/HttpClientTestCase.php", "test"),
        ("src/MyApp.Tests/Tests/LoginTests.cs", "test"),
        ("borg/testsuite/archiver.py", "test"),
        ("plugins/authpdo/_test/pgsql/django.php", "test"),
        ("usr/share/doc/phpmyadmin/html/_sources/config.rst.txt", "docs"),
        ("Net/LDAP/FAQ.pod", "docs"),
        ("pynetbox-7.8.0/PKG-INFO", "docs"),
        # a name alone is not a folder
        ("src/Testing/settings.py", None),
        ("lib/TestHelpers.php", None),
        ("src/document/settings.py", None),
    ],
)
def test_more_default_context_folders(path: str, ctx: str | None) -> None:
    assert context_of(path, Config()) == ctx


def test_broken_documentation_examples_are_notes(tmp_path: Path) -> None:
    """A Python 2 script among a package's documented examples (``/usr/share/doc/<pkg>/
    examples/``) failed the scan with exit 3; the same file in the project's code still does."""
    ex = tmp_path / "usr" / "share" / "doc" / "pkg" / "examples"
    ex.mkdir(parents=True)
    (ex / "client.py").write_text("print 'hello'\n")
    (tmp_path / "app.py").write_text("print 'hello'\n")
    ws = Workspace(tmp_path, use_git=False)
    req = ScanRequest(root=tmp_path, config=Config(), scanners=["sast"], workspace=ws)
    report = run_scan(req)
    assert [e.path for e in report.errors] == ["app.py"]
    assert any(
        n.path == "usr/share/doc/pkg/examples/client.py" and "documentation example" in n.message
        for n in report.notes
    )


def test_a_docker_config_auth_is_a_typed_password(tmp_path: Path) -> None:
    """A Docker config's ``auth`` is base64 of ``user:password``: in a test it is capped at
    low like a netrc entry (36 high findings of the Docker CLI's config_test.go, session
    18); in the project's own config it keeps its severity."""
    auth = base64.b64encode(f"ci:{FAKE}".encode()).decode()
    for where in ("deploy", "tests"):
        (tmp_path / where).mkdir()
        (tmp_path / where / "config.json").write_text(
            '{"auths": {"registry.corp.internal": {"auth": "' + auth + '"}}}\n'
        )
    found = _scan(tmp_path, Config(), ["secrets"])
    assert _at(found, "deploy/config.json", "secrets/docker-config-auth").severity is Severity.HIGH
    assert _at(found, "tests/config.json", "secrets/docker-config-auth").severity is Severity.LOW
