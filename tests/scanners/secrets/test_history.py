"""Git history scanning: each blob once, earliest commit, commits carrying, bad repositories."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from pipesec.core.model import Finding, Note, ScanCount, ScanError, Severity
from pipesec.scanners.secrets.engine import SecretEngine
from pipesec.scanners.secrets.history import HistoryOptions, scan_history
from pipesec.scanners.secrets.rules.base import SecretRule

KEY = b"test-key"
R = random.Random(11)
RULE = SecretRule(
    id="secrets/test-token",
    provider="Test",
    title="Test token",
    severity=Severity.HIGH,
    regex=r"\b(tok_[a-z0-9]{20})\b",
    secret_group=1,
    keywords=("tok_",),
)
ENGINE = SecretEngine([RULE], use_hyperscan=False)


def token() -> str:
    return (
        "tok" + "_" + "".join(R.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(20))
    )


class Repo:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.n = 0
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q")

    def git(self, *args: str, date: str | None = None, author: str | None = None) -> str:
        env = dict(os.environ)
        if author:
            env["GIT_AUTHOR_NAME"] = author
        if date:
            env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
        return subprocess.run(
            ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            check=True,
            env=env,
        ).stdout.strip()

    def commit(self, files: dict[str, str | None], msg: str = "c", author: str = "Test") -> str:
        self.n += 1
        for name, text in files.items():
            p = self.root / name
            if text is None:
                p.unlink()
                continue
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(text)
        self.git("add", "-A")
        date = f"2024-01-{self.n:02d}T12:00:00+00:00"
        self.git("commit", "-q", "-m", msg, date=date, author=author)
        return self.git("rev-parse", "HEAD")


def scan(root: Path, **kw: object) -> list[Finding | ScanError | Note]:
    return list(
        scan_history(
            root, lambda text, path: ENGINE.scan_text(text, path=path), KEY, HistoryOptions(**kw)
        )  # type: ignore[arg-type]
    )


def findings(items: list[Finding | ScanError | Note]) -> list[Finding]:
    return [i for i in items if isinstance(i, Finding)]


def test_earliest_commit_and_commits_carrying(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "r")
    t1, t2 = token(), token()
    c1 = repo.commit(
        {"app/config.py": f"# settings\nDEBUG = False\nTOKEN = '{t1}'\n"}, author="Alice"
    )
    c2 = repo.commit(
        {"app/config.py": f"# settings v2\nDEBUG = True\nTOKEN = '{t1}'\n", "README": "x\n"}
    )
    repo.git("checkout", "-q", "-b", "feature")
    c3 = repo.commit({"deploy.sh": f"export T={t2}\n"}, author="Bob")
    repo.git("checkout", "-q", "main")
    c4 = repo.commit({"README": "y\n"})
    repo.git("merge", "-q", "--no-ff", "feature", "-m", "merge", date="2024-01-20T12:00:00+00:00")
    repo.commit({"app/config.py": "# settings v3\nTOKEN = os.environ['TOKEN']\n"})
    items = scan(repo.root)
    assert not [i for i in items if isinstance(i, ScanError)]
    by_path = {f.location.path: f for f in findings(items)}
    assert set(by_path) == {"app/config.py", "deploy.sh"}
    f1 = by_path["app/config.py"]
    assert f1.location.commit == c1 and f1.location.start_line == 3
    assert f1.properties["author"].startswith("Alice <")
    assert f1.properties["date"].startswith("2024-01-01")
    # c1, c2, c3 (branched from c2), c4, the merge: five commits; the last one removed it
    assert f1.properties["commits-carrying"] == 5
    assert t1 not in repr(f1)  # redacted
    f2 = by_path["deploy.sh"]
    assert f2.location.commit == c3 and f2.properties["author"].startswith("Bob")
    assert f2.properties["commits-carrying"] == 3  # c3, the merge, the last commit
    assert c2 and c4


def test_each_blob_scanned_once(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "r")
    t = token()
    repo.commit({"a.txt": f"{t}\n", "plain.txt": "nothing here\n"})
    c2 = repo.commit({"b.txt": f"{t}\n", "copy.txt": "nothing here\n"})  # the same blobs
    repo.git("checkout", "-q", "-b", "x")
    repo.commit({"c.txt": "other\n", "a.txt": f"{t}\nmore\n"})
    seen: list[str] = []

    def scan_blob(text: str, path: str):  # type: ignore[no-untyped-def]
        seen.append(path)
        return ENGINE.scan_text(text, path=path)

    items = list(scan_history(repo.root, scan_blob, KEY))
    out = findings(items)
    # what was read: 3 commits walked, 5 blobs read (4 distinct + the secret's copy)
    (count,) = [i for i in items if isinstance(i, ScanCount)]
    assert (count.commits, count.blobs, count.files) == (3, 5, 0)
    # a blob without secrets is scanned once whatever its paths; one holding a secret is
    # looked at again under each other path it was copied to, to report it there too
    assert sorted(seen) == ["a.txt", "a.txt", "b.txt", "c.txt", "plain.txt"]
    by_path = {f.location.path: f for f in out}
    assert sorted(by_path) == ["a.txt", "b.txt"]
    assert by_path["b.txt"].location.commit == c2
    assert by_path["a.txt"].properties["commits-carrying"] == 3


def test_since_and_range(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "r")
    old, new = token(), token()
    c1 = repo.commit({"old.txt": f"{old}\n"})
    repo.commit({"new.txt": f"{new}\n"})
    assert {f.location.path for f in findings(scan(repo.root, since="2024-01-02T00:00:00"))} == {
        "new.txt"
    }
    assert {f.location.path for f in findings(scan(repo.root, rev_range=f"{c1}..HEAD"))} == {
        "new.txt"
    }
    assert len(findings(scan(repo.root, rev_range="HEAD"))) == 2


def test_bad_inputs(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    (err,) = scan(plain)
    assert isinstance(err, ScanError) and "git repository" in err.message
    repo = Repo(tmp_path / "r")
    repo.commit({"a.txt": "x\n"})
    (err,) = scan(repo.root, rev_range="--output=/tmp/x")
    assert isinstance(err, ScanError) and "--range" in err.message
    (err,) = scan(repo.root, rev_range="nosuchbranch..HEAD")
    assert isinstance(err, ScanError) and "--range" in err.message
    empty = Repo(tmp_path / "empty")
    assert scan(empty.root) == []


def test_shallow_clone_is_noted(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "r")
    t = token()
    repo.commit({"a.txt": f"{t}\n"})
    repo.commit({"b.txt": "x\n"})
    repo.commit({"c.txt": "y\n"})
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)],
        check=True,
        capture_output=True,
    )
    items = scan(clone)
    notes = [i for i in items if isinstance(i, Note)]
    assert any(n.kind == "shallow" for n in notes)
    assert len(findings(items)) == 1  # a.txt is in the one fetched commit's tree


def test_missing_blob_is_an_error_and_the_rest_goes_on(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "r")
    t1, t2 = token(), token()
    repo.commit({"lost.txt": f"{t1}\n", "kept.txt": f"{t2}\n"})
    blob = repo.git("rev-parse", "HEAD:lost.txt")
    obj = repo.root / ".git" / "objects" / blob[:2] / blob[2:]
    obj.chmod(0o644)
    obj.unlink()
    items = scan(repo.root)
    errors = [i for i in items if isinstance(i, ScanError)]
    assert len(errors) == 1 and errors[0].path == "lost.txt" and "fsck" in errors[0].message
    assert [f.location.path for f in findings(items)] == ["kept.txt"]


def test_corrupt_repository(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "r")
    repo.commit({"a.txt": "x\n"})
    head = repo.git("rev-parse", "HEAD")
    obj = repo.root / ".git" / "objects" / head[:2] / head[2:]
    obj.chmod(0o644)
    obj.write_bytes(b"garbage")
    items = scan(repo.root)
    assert len(items) == 1 and isinstance(items[0], ScanError)
    assert "corrupt" in items[0].message or "git" in items[0].message


def test_binary_and_large_blobs(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "r")
    t = token()
    (repo.root / "bin.dat").write_bytes(b"\x00\x01" + t.encode())
    repo.commit({"big.txt": f"{t}\n" + "x" * 5000})
    items = scan(repo.root, max_blob_size=1000)
    assert not findings(items)
    kinds = {i.kind for i in items if isinstance(i, Note)}
    assert kinds == {"binary", "too-large"}


def test_excluded_paths_and_filters(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "r")
    repo.commit({"vendor/a.txt": f"{token()}\n", "src/b.txt": f"{token()}\n"})
    out = list(
        scan_history(
            repo.root,
            lambda text, path: ENGINE.scan_text(text, path=path),
            KEY,
            excluded=lambda p: p.startswith("vendor/"),
            filter_matches=lambda ms, text, path, commit: [m for m in ms if commit],
        )
    )
    assert [f.location.path for f in findings(out)] == ["src/b.txt"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_subdirectory_root(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "r")
    repo.commit({"svc/app.txt": f"{token()}\n", "other/x.txt": f"{token()}\n"})
    out = findings(scan(repo.root / "svc"))
    assert [f.location.path for f in out] == ["app.txt"]


# -- end to end: pipesec scan --history ----------------------------------------------------


def no_hyperscan(root: Path, extra: str = "") -> None:
    """Unit tests use the pure-Python engine path (no Hyperscan database compile per test)."""
    (root / ".pipesec.toml").write_text("[scanners.secrets]\nuse-hyperscan = false\n" + extra)


def _cli(*args: str) -> tuple[int, str, str]:
    from typer.testing import CliRunner

    from pipesec.cli.main import app

    result = CliRunner().invoke(app, [*args, "--no-step-summary"])
    return result.exit_code, result.stdout, result.stderr


def _example(rule_id: str) -> str:
    from pipesec.scanners.secrets.rules import all_rules

    rule = next(r for r in all_rules() if r.id == rule_id)
    assert rule.example is not None
    return rule.example()


def test_cli_history_finds_removed_secret(tmp_path: Path) -> None:
    import json

    repo = Repo(tmp_path / "r")
    c1 = repo.commit({"deploy/settings.py": _example("secrets/github-pat")}, author="Carol")
    repo.commit({"deploy/settings.py": "GITHUB_TOKEN = os.environ['GITHUB_TOKEN']\n"})
    no_hyperscan(repo.root)
    code, out, _ = _cli("scan", str(repo.root), "-s", "secrets", "-f", "json")
    assert code == 0 and json.loads(out)["findings"] == []  # the work tree is clean
    code, out, _ = _cli("scan", str(repo.root), "-s", "secrets", "-f", "json", "--history")
    assert code == 1
    (f,) = json.loads(out)["findings"]
    assert f["location"]["commit"] == c1 and f["location"]["path"] == "deploy/settings.py"
    (stats,) = json.loads(out)["scanners"]
    assert (stats["name"], stats["commits"], stats["blobs"]) == ("secrets", 2, 2)
    assert (
        f["properties"]["author"].startswith("Carol") and f["properties"]["commits-carrying"] == 1
    )
    code, out, _ = _cli(
        "scan", str(repo.root), "-s", "secrets", "-f", "json", "--history", "--range", f"{c1}..HEAD"
    )
    assert code == 0 and json.loads(out)["findings"] == []
    code, _, _ = _cli("scan", str(repo.root), "-s", "secrets", "--history", "--since", "2030-01-01")
    assert code == 0


def test_cli_history_usage_errors(tmp_path: Path) -> None:
    no_hyperscan(tmp_path)
    code, _, err = _cli("scan", str(tmp_path), "--since", "2024-01-01")
    assert code == 2 and "--history" in err
    code, _, err = _cli("scan", str(tmp_path), "--history", "--staged")
    assert code == 2
    code, out, _ = _cli("scan", str(tmp_path), "-s", "secrets", "--history")
    assert code == 3 and "git repository" in out  # an input error: fails closed


# -- the raw log parser never crashes ---------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from pipesec.scanners.secrets.history import _Log, _parse_record  # noqa: E402

_SHA1 = "a" * 40


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_parse_record_never_crashes(data: bytes) -> None:
    _parse_record(data, _Log())
    _parse_record(_SHA1.encode() + b"\x02\x02A\x02a@b\x02d\0\n" + data, _Log())


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["100644", "100755", "120000", "160000", "000000"]),
            st.sampled_from(["A", "M", "D", "T"]),
            st.text(min_size=1, max_size=20).filter(lambda s: "\0" not in s),
        ),
        max_size=6,
    )
)
def test_parse_record_roundtrip(entries: list[tuple[str, str, str]]) -> None:
    blob = "b" * 40
    body = b"".join(
        f":100644 {mode} {'0' * 40} {blob if status != 'D' else '0' * 40} {status}".encode()
        + b"\0"
        + path.encode("utf-8", "surrogateescape")
        + b"\0"
        for mode, status, path in entries
    )
    log = _Log()
    log.sha_ids["p1" + "0" * 38] = 0  # an earlier commit: the first parent
    log.shas.append("p1" + "0" * 38)
    log.parent.append(-1)
    log.changes.append(__import__("array").array("i"))
    parents = ("p1" + "0" * 38 + " p2").encode()
    _parse_record(_SHA1.encode() + b"\x02" + parents + b"\0\n" + body, log)
    assert log.shas[-1] == _SHA1 and log.parent[-1] == 0
    assert len(log.changes[-1]) == 2 * len(entries)
    regular = [e for e in entries if e[1] != "D" and e[0] in ("100644", "100755")]
    assert (blob in log.blob_ids) == bool(regular)


# -- property: earliest commit and commits carrying, against a brute-force reference ----------


def _reference(root: Path) -> dict[tuple[str, str], list[str]]:
    """(secret, path) -> commits whose tree holds it there, oldest first (git ls-tree)."""
    shas = Repo.__new__(Repo)
    shas.root = root
    commits = shas.git("rev-list", "--all", "--date-order", "--reverse").split()
    out: dict[tuple[str, str], list[str]] = {}
    for c in commits:
        for path in shas.git("ls-tree", "-r", "--name-only", c).split("\n"):
            if not path:
                continue
            for m in ENGINE.scan_text(shas.git("show", f"{c}:{path}") + "\n", path=path):
                out.setdefault((m.value, path), [])
                if c not in out[(m.value, path)]:
                    out[(m.value, path)].append(c)
    return out


_OPS = st.lists(
    st.tuples(
        st.sampled_from(["add", "remove", "touch", "branch", "main", "merge"]),
        st.sampled_from(["a.cfg", "b.cfg", "c/d.cfg"]),
        st.integers(0, 3),
    ),
    min_size=1,
    max_size=10,
)


@settings(max_examples=12, deadline=None)
@given(_OPS)
def test_history_matches_reference(
    tmp_path_factory: pytest.TempPathFactory, ops: list[tuple[str, str, int]]
) -> None:
    repo = Repo(tmp_path_factory.mktemp("prop") / "r")
    tokens = ["tok" + "_" + f"{k:02d}" + "abcdefghijklmnopqr" for k in range(4)]
    files: dict[str, list[str]] = {}
    repo.commit({"README": "start\n"})
    branch = "main"
    for op, path, k in ops:
        if op == "branch" and branch == "main":
            repo.git("checkout", "-q", "-B", "feature")
            branch = "feature"
            continue
        if op == "main" and branch != "main":
            repo.git("checkout", "-q", "main")
            branch = "main"
            files = {
                p: (repo.root / p).read_text().splitlines()
                for p in files
                if (repo.root / p).exists()
            }
            continue
        if op == "merge":
            if branch == "main" and "feature" in repo.git("branch", "--list", "feature"):
                repo.n += 1
                date = f"2024-01-{repo.n:02d}T12:00:00+00:00"
                try:
                    repo.git("merge", "-q", "--no-ff", "-m", "merge", "feature", date=date)
                except subprocess.CalledProcessError:
                    repo.git("merge", "--abort")
                files = {
                    p: (repo.root / p).read_text().splitlines()
                    for p in files
                    if (repo.root / p).exists()
                }
            continue
        lines = files.setdefault(path, ["# config"])
        if op == "add":
            lines.append(f"key{k} = {tokens[k]}")
        elif op == "remove":
            files[path] = [ln for ln in lines if tokens[k] not in ln]
        else:
            lines.insert(0, f"# rev {repo.n}")
        text = "\n".join(files[path]) + "\n"
        target = repo.root / path
        if target.exists() and target.read_text() == text:
            continue  # nothing changed: no commit
        repo.commit({path: text})
    from pipesec.core.fingerprints import secret_identity

    expected = {
        (secret_identity(value, KEY), path): commits
        for (value, path), commits in _reference(repo.root).items()
    }
    got = {(f.identity, f.location.path): f for f in findings(scan(repo.root))}
    assert set(got) == set(expected)
    for place, commits in expected.items():
        f = got[place]
        assert f.location.commit == commits[0], place  # the earliest commit holding it
        assert f.properties["commits-carrying"] == len(commits), place
