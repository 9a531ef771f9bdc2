"""Session 16's review (review16): hostile trees against the IaC readers.

A Kustomize build renders a base each time it is listed (the objects differ once an overlay
patches them), so a chain of kustomizations each listing the next several times renders
exponentially many builds: sixteen files of 40 bytes each listing the next four times did
not finish in two minutes (4^15 builds, ~25 us each). The builds of one scan now parse at
most ``MAX_LOADS`` files and ``MAX_LOAD_CHARS`` characters, counting a file each time it is
read again; over the budget is a one-line scan error (the gate fails closed).

CEL's ``from_yaml``/``from_json`` parsed the string of every resource that named it, so many
resources naming one large local multiplied its parse: 50 SSM documents whose ``content`` is
one 0.7 MB YAML local cost 86 s of CPU (1.7 s now). A text is parsed once.

A Terraform plan's resources that repeat an address share the first one's text range, and
each read it again for its keys: 1,200 repeats after a 1 MB resource cost 92 s (1.5 s now).

Session 16's Dockerfile readers (96c1df2, iacpairs): an exec-form ``RUN [[[…`` nested 3,000
deep raised RecursionError out of ``json.loads`` and failed the whole IaC scan ("scanner
failed", every IaC finding of the tree lost); ``docker/cloud-cli-login-in-run`` tried every
``az login`` / ``gcloud auth activate-service-account`` / ``rm`` of a command and read the
rest of the command from each (quadratic: 8,000 ``az login`` in one RUN, 72 KB, 0.58 s; now
0.04 s and 288 KB 0.11 s), and split ``rm``'s flags quadratically many ways."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.scanners.iac.helpers import findings, scan_family
from tests.scanners.iac.test_kustomize import _tree as _scan

from pipesec.core import yamlpos
from pipesec.core.commands import first_per_command
from pipesec.core.model import ScanError
from pipesec.scanners.iac import cel, dockerfile, kustomize, tfplan


def _chain(depth: int, fanout: int) -> dict[str, str]:
    """k0 lists k1 ``fanout`` times, k1 lists k2 …: fanout**depth builds."""
    files = {
        f"k{i}/kustomization.yaml": "resources:\n" + f"- ../k{i + 1}\n" * fanout
        for i in range(depth)
    }
    files[f"k{depth}/kustomization.yaml"] = "resources: []\n"
    return files


def test_a_base_listed_again_and_again_stops_at_the_load_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 2^10 builds of empty bases (no object, so MAX_OBJECTS never stopped it); budget lowered
    # to keep the test small: the unbounded form is 4^15 builds
    monkeypatch.setattr(kustomize, "MAX_LOADS", 200)
    items = _scan(tmp_path, _chain(10, 2))
    errors = [i for i in items if isinstance(i, ScanError)]
    assert errors and all("builds read more than 200 files" in e.message for e in errors)
    assert all("\n" not in e.message for e in errors)


def test_the_budget_is_the_scans_not_each_overlays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many overlays over one large base parse it once each: the characters are counted
    over the whole scan, so the number of overlays does not multiply the work unbounded."""
    monkeypatch.setattr(kustomize, "MAX_LOAD_CHARS", 50_000)
    base = "# padding\n" * 2_000  # 20,000 characters, no object
    files = {"base/pad.yaml": base, "base/kustomization.yaml": "resources: [pad.yaml]\n"}
    for n in range(4):
        files[f"o{n}/kustomization.yaml"] = "resources: [../base]\n"
    items = _scan(tmp_path, files)
    errors = [i for i in items if isinstance(i, ScanError)]
    # two overlays fit in 50,000 characters, the third and fourth do not
    assert len(errors) == 2 and all("builds read more than" in e.message for e in errors)


def test_a_build_under_the_budget_renders(tmp_path: Path) -> None:
    items = _scan(tmp_path, _chain(6, 2))
    assert not [i for i in items if isinstance(i, ScanError)]


def test_patches_times_objects_stop_at_the_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each patch entry is tested against every object: 2,000 entries naming one patch file
    over 4,900 objects cost 21 s of CPU (an 18 KB kustomization). Budget lowered here."""
    monkeypatch.setattr(kustomize, "MAX_PATCH_TESTS", 500)
    one = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c%d}\n---\n"
    files = {
        "base/many.yaml": "".join(one % i for i in range(50)),
        "base/kustomization.yaml": "resources: [many.yaml]\n",
        "ov/p.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: zz}\ndata: {a: b}\n",
        "ov/kustomization.yaml": "resources: [../base]\npatchesStrategicMerge:\n"
        + "- p.yaml\n" * 20,
    }
    errors = [i for i in _scan(tmp_path, files) if isinstance(i, ScanError)]
    assert len(errors) == 1
    assert errors[0].path == "ov/p.yaml" and "more than 500 patch and object" in errors[0].message


def test_a_document_named_by_many_resources_is_parsed_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parsed: list[str] = []
    real = yamlpos.load

    def counting(path: str, text: str, *a: object, **kw: object) -> object:
        if path == "<string>":
            parsed.append(text)
        return real(path, text, *a, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(yamlpos, "load", counting)
    cel._document.cache_clear()
    content = (
        "schemaVersion: '1.0'\nsessionType: Standard_Stream\ninputs:\n"
        "  s3BucketName: ''\n  cloudWatchLogGroupName: ''\n  n: 'review16'\n"
    )
    resources = "".join(
        f'resource "aws_ssm_document" "s{i}" {{\n  document_type = "Session"\n'
        f'  document_format = "YAML"\n  content = local.c\n}}\n'
        for i in range(6)
    )
    text = f"locals {{\n  c = <<DOC\n{content}DOC\n}}\n{resources}"
    items = scan_family("tf", text)
    assert len(findings(items, "tf/aws-ssm-session-logging-disabled")) == 6
    assert parsed == [content.rstrip("\n")]  # two rules, six resources: one parse


def test_a_plan_range_is_read_once_for_its_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[tuple[int, int]] = []

    class Counting:
        def __init__(self, pattern: re.Pattern[str]) -> None:
            self.pattern = pattern

        def finditer(self, text: str, start: int, end: int) -> object:
            reads.append((start, end))
            return self.pattern.finditer(text, start, end)

    monkeypatch.setattr(tfplan.JsonPositions, "_KEY", Counting(tfplan.JsonPositions._KEY))
    first = {
        "address": "aws_s3_bucket.b",
        "mode": "managed",
        "type": "aws_s3_bucket",
        "name": "b",
        "values": {"bucket": "b", "tags": {f"k{i}": "v" for i in range(50)}},
        "sensitive_values": {"tags": {"k1": True}},
    }
    again = {**first, "values": {"bucket": "b", "acl": "public-read"}}
    again["sensitive_values"] = {"bucket": True}
    plan = {
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": [first] + [again] * 30}},
    }
    items = _scan(tmp_path, {"plan.json": json.dumps(plan)})
    assert findings(items)  # read as a plan
    assert len(reads) == len(set(reads))


@pytest.mark.parametrize(
    "line",
    [
        "RUN " + "[" * 3_000 + "]" * 3_000,
        # (these two failed a rule each, not the scan, before session 16)
        "CMD " + "[" * 3_000 + "1,2" + "]" * 3_000,
        "COPY " + "[" * 3_000 + "]" * 3_000,
    ],
)
def test_a_json_form_nested_too_deep_is_not_a_failure(line: str) -> None:
    text = f"FROM alpine:3.20\n{line}\nRUN curl -k https://x\n"
    items = scan_family("docker", text)
    assert not [i for i in items if isinstance(i, ScanError)]
    assert findings(items)  # the rest of the file is still read


#: the session's patterns as iacpairs wrote them (the reference the one-try-per-command
#: search must agree with)
_OLD_LOGINS = {
    "gcloud": re.compile(
        r"\bgcloud\s+auth\s+activate-service-account\b[^;&|\n]*?--key-file[= ](?P<value>\S+)"
    ),
    ".azure": re.compile(
        r"\baz\s+login\b(?=[^;&|\n]*--service-principal)[^;&|\n]*?"
        r"(?:\s-p|--password|--secret)[= ](?P<value>\S+)"
    ),
}
_WORDS = st.sampled_from(
    ["az", "login", "--service-principal", "-p", "--secret=", "x", "$K", "rm", "-rf", "~/.aws",
     ".aws", "/root/.azure", ".config/gcloud", "gcloud", "auth", "activate-service-account",
     "--key-file", "--key-file=k.json", "revoke", "logout", "-", "'"]
)  # fmt: skip
_GAPS = st.sampled_from([" ", "  ", "\t", " ; ", " && ", " | ", "\n", ";", "&"])


@settings(max_examples=400)
@given(st.lists(st.tuples(_WORDS, _GAPS), max_size=14))
def test_one_try_per_command_finds_what_every_try_found(parts: list[tuple[str, str]]) -> None:
    text = "".join(w + g for w, g in parts)
    for pattern, folder, head in dockerfile._CLI_LOGINS:
        if head is None:
            continue
        old = _OLD_LOGINS[folder].search(text)
        new = first_per_command(head, pattern, text)
        assert (old and (old.start(), old.group("value"))) == (
            new and (new.start(), new.group("value"))
        )
    glued = any(g in (";", "&") for _, g in parts)  # a flag holding a command's end
    for folder, where in dockerfile._FOLDER.items():
        old_rm = re.compile(r"\brm\s+(?:-\S+\s+)*[^;&|\n]*" + where.pattern)
        was_forgotten = old_rm.search(text) is not None or (
            folder != ".aws" and dockerfile._REVOKE[folder].search(text) is not None
        )
        forgotten = dockerfile._forgotten(folder, text, 0)
        assert was_forgotten if forgotten else (glued or not was_forgotten)  # never more


#: the Dockerfile patterns as written before review16 (one regex each): the per-command
#: search must find the same leftmost match
_LOCAL = r"localhost|127\.0\.0\.1|\[::1\]|169\.254\.169\.254"
_OLD_SEARCHES = {
    "_KEYGEN": re.compile(
        r"\bssh-keygen\b(?![^;&|\n]*\s-[lyFRLYHK]\b)[^;&|\n]*\s-[tfbNA]\b"
        r"|\bopenssl\s+(?:genrsa|genpkey|gendsa|ecparam\b[^;&|\n]*-genkey"
        r"|req\b[^;&|\n]*\s-(?:newkey|keyout)\b)"
        r"|\bkeytool\b[^;&|\n]*\s-genkey(?:pair)?\b"
    ),
    "_BUILD_TOOLS": re.compile(
        r"\b(?:apt-get|apt|apk|yum|dnf|microdnf)\s+(?:-\S+\s+)*(?:install|add)\b[^;&|\n]*?"
        r"\s(build-essential|build-base|gcc|g\+\+|make|cmake|clang|git|golang|rustc|cargo"
        r"|python3?-dev|libc6?-dev|musl-dev|autoconf|automake)(?=\s|$|\\)"
    ),
    "_TLS_DISABLED": re.compile(
        r"\bcurl\b[^;&|\n]*\s(?:-k|--insecure|-[a-zA-Z]*k[a-zA-Z]*)(?=\s)"
        r"|--no-check-certificate|--trusted-host\b|sslVerify\s+false|strict-ssl\s+false"
        r"|NODE_TLS_REJECT_UNAUTHORIZED[= ]\s*[\"']?0|GIT_SSL_NO_VERIFY[= ]\s*[\"']?(?:1|true)"
        r"|PYTHONHTTPSVERIFY[= ]\s*[\"']?0|NPM_CONFIG_STRICT_SSL[= ]\s*[\"']?false"
        r"|PIP_TRUSTED_HOST[= ]|GOINSECURE[= ]|GOFLAGS[= ][^\n]*-insecure"
        r"|sslverify\s*=\s*(?:0|false)"
    ),
    "_PLAIN_HTTP": re.compile(
        rf"\b(?:curl|wget)\b[^;&|\n]*\s[\"']?http://(?!{_LOCAL})"
        rf"|^\s*(?:--[a-z-]+(?:=\S*)?\s+)*\[?\s*[\"']?http://(?!{_LOCAL})"
    ),
    "_PIPE_SHELL": re.compile(
        r"(?i)\b(?:curl|wget)\b[^|;&\n]*\|\s*(?:sudo\s+)?(?:/usr)?(?:/bin/)?(?:ba|z|da|k)?sh\b"
    ),
}
_COMMAND_WORDS = st.sampled_from(
    ["curl", "wget", "-k", "-fsSLk", "--insecure", "http://x.io/a", "'http://x.io'",
     "http://localhost/a", "sh", "bash", "sudo", "apt-get", "apk", "install", "add", "-y",
     "gcc", "make", "git", "ssh-keygen", "-t", "-l", "-f", "openssl", "req", "-newkey",
     "ecparam", "-genkey", "genrsa", "keytool", "-genkeypair", "GOFLAGS=-x", "-insecure",
     "x", "\\"]
)  # fmt: skip
_COMMAND_GAPS = st.sampled_from([" ", " ", " ", "\t", " | ", "|", " && ", ";", "\n", " \n  "])


@settings(max_examples=500)
@given(st.lists(st.tuples(_COMMAND_WORDS, _COMMAND_GAPS), max_size=16))
def test_per_command_search_finds_what_the_single_regex_found(
    parts: list[tuple[str, str]],
) -> None:
    text = "RUN " + "".join(w + g for w, g in parts)
    for name, old in _OLD_SEARCHES.items():
        want = old.search(text)
        got = getattr(dockerfile, name).search(text)
        if name == "_KEYGEN" and want is not None and got is None:
            # one command, one program: a later ssh-keygen in the same command (an argument
            # of the first, which lists keys) is not tried
            continue
        assert (want and (want.start(), want.groups())) == (got and (got.start(), got.groups()))


@pytest.mark.parametrize("broken", ["a/Dockerfile", "deploy.yaml", "main.tf"])
def test_one_file_that_breaks_a_reader_loses_only_its_own_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken: str
) -> None:
    """review16: an uncaught exception in one file's reader or rule failed the whole IaC
    scanner (every IaC finding of the tree lost; with ``on-error = warn`` the gate passed).
    Now that file gets an error of its own and the other files keep their findings."""
    from pipesec.core.scanner import ScannerSettings
    from pipesec.core.workspace import Workspace
    from pipesec.scanners.iac import IacScanner, tfproject
    from pipesec.scanners.iac import scanner as impl

    for d in ("a", "b"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "Dockerfile").write_text('FROM ubuntu:22.04\nUSER root\nCMD ["sh"]\n')
    (tmp_path / "deploy.yaml").write_text(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
        "    - name: c\n      image: nginx:1.25\n      securityContext: {privileged: true}\n"
    )
    (tmp_path / "main.tf").write_text(
        'resource "aws_s3_bucket_acl" "b" {\n  bucket = "x"\n  acl    = "public-read"\n}\n'
    )

    def breaking(real: Any, path_of: Callable[..., str]) -> Callable[..., Any]:
        def run(*args: Any, **kw: Any) -> Iterator[Any]:  # fails as the readers do: while read
            if path_of(*args) == broken:
                raise RuntimeError("boom")
            yield from real(*args, **kw)

        return run

    monkeypatch.setattr(
        impl, "scan_dockerfile", breaking(impl.scan_dockerfile, lambda path, *_: path)
    )
    monkeypatch.setattr(
        impl, "scan_kubernetes", breaking(impl.scan_kubernetes, lambda path, *_: path)
    )
    monkeypatch.setattr(
        tfproject,
        "scan_terraform",
        breaking(tfproject.scan_terraform, lambda files, *_: files[0].path),
    )
    items = list(IacScanner().scan(Workspace(tmp_path, use_git=False), ScannerSettings()))
    got = {f.location.path for f in findings(items)}
    errs = [i for i in items if isinstance(i, ScanError)]
    expected = {"a/Dockerfile", "b/Dockerfile", "deploy.yaml", "main.tf"}
    assert got == expected - {broken}, (got, errs)
    assert len(errs) == 1 and "RuntimeError" in errs[0].message
    assert errs[0].path == ("" if broken == "main.tf" else broken)
