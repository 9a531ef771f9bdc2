from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.scanners.iac.helpers import errors, findings, scan_family

from pipesec.scanners.iac.dockerfile_parser import parse, parse_pairs, split_image, substitute


def test_continuations_comments_and_lines() -> None:
    df = parse(
        "FROM debian:12\n"
        "RUN apt-get update \\\n"
        "    # a comment inside the continuation\n"
        "\n"
        "    && apt-get install -y curl\n"
        "USER app\n"
    )
    run = df.instructions[1]
    assert run.keyword == "RUN" and run.line == 2 and run.end_line == 5
    assert "apt-get install -y curl" in run.args
    assert run.line_of("install") == 5
    assert df.instructions[2].line == 6


def test_escape_directive_backtick() -> None:
    df = parse(
        "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir `\n  c:\\\n"
    )
    assert df.escape == "`"
    assert df.instructions[1].args.startswith("dir")
    assert df.instructions[1].end_line == 4


def test_heredocs() -> None:
    text = (
        "FROM alpine:3.20\n"
        "RUN <<EOF\n"
        "apk add curl\n"
        "curl http://example.com/x | sh\n"
        "EOF\n"
        "COPY <<-'CONF' /etc/app.conf\n"
        "\tkey=value\n"
        "\tCONF\n"
        "USER nobody\n"
    )
    df = parse(text)
    assert not df.errors
    run = df.instructions[1]
    assert run.heredocs and run.heredocs[0][0] == 3
    assert run.line_of("curl http") == 4
    copy = df.instructions[2]
    assert copy.heredocs[0][1] == "key=value"
    assert df.instructions[3].keyword == "USER" and df.instructions[3].line == 9
    hit = findings(scan_family("docker", text), "docker/curl-pipe-shell")
    assert [f.location.start_line for f in hit] == [4]


def test_unclosed_heredoc_is_an_error_with_line() -> None:
    df = parse("FROM alpine\nRUN <<EOF\necho hi\n")
    assert df.errors and df.errors[0].line == 2


def test_arg_env_substitution_and_stages() -> None:
    text = (
        "ARG REGISTRY=docker.io\n"
        "ARG TAG=latest\n"
        "FROM ${REGISTRY}/library/python:${TAG} AS build\n"
        "ENV HOME_DIR=/srv APP=${HOME_DIR}/app\n"
        "WORKDIR $APP\n"
        "FROM build AS test\n"
        "FROM scratch\n"
        "COPY --from=build /srv/app /app\n"
    )
    df = parse(text)
    assert [s.image for s in df.stages] == ["docker.io/library/python:latest", "build", "scratch"]
    assert df.stages[0].name == "build" and df.stages[1].parent == 0
    assert df.instructions[3].expanded.endswith("APP=/srv/app")
    assert df.instructions[4].expanded == "/srv/app"
    assert df.instructions[-1].flags == {"from": "build"}
    hits = findings(scan_family("docker", text))
    assert [
        (f.rule_id, f.location.start_line) for f in hits if f.rule_id == "docker/image-latest"
    ] == [("docker/image-latest", 3)]


def test_substitute_forms() -> None:
    env = {"A": "1", "E": ""}
    assert substitute("${A}-$A-${B:-d}-${A:+x}-${E:-e}", env) == ("1-1-d-x-e", True)
    assert substitute("$MISSING", env) == ("$MISSING", False)


def test_unresolved_base_image_is_not_reported() -> None:
    items = scan_family("docker", "ARG BASE\nFROM $BASE\nUSER app\n")
    assert not findings(items, "docker/image-untagged")


def test_pairs_and_images() -> None:
    assert parse_pairs('A=1 B="two words"') == [("A", "1"), ("B", "two words")]
    assert parse_pairs("LEGACY some value") == [("LEGACY", "some value")]
    assert split_image("localhost:5000/app") == ("localhost:5000/app", "", "")
    assert split_image("app:1.2@sha256:ab") == ("app", "1.2", "sha256:ab")


def test_malformed_reports_errors_and_goes_on() -> None:
    items = scan_family("docker", "FROM python:latest\nBOGUS thing\nUSER root\n")
    assert [(e.line, "BOGUS" in e.message) for e in errors(items)] == [(2, True)]
    assert findings(items, "docker/root-user")


def test_no_from() -> None:
    items = scan_family("docker", "RUN echo hi\n")
    assert errors(items)


def test_root_user_inherited_from_stage() -> None:
    text = 'FROM python:3.12@sha256:ab AS base\nUSER app\nFROM base\nCMD ["x"]\n'
    assert not findings(scan_family("docker", text), "docker/root-user")


def test_dockerignore_respected() -> None:
    text = "FROM python:3.12@sha256:ab\nCOPY . .\nUSER app\n"
    ok = findings(
        scan_family("docker", text, dockerignore=(".git", ".env*")),
        "docker/copy-all-without-dockerignore",
    )
    bad = findings(
        scan_family("docker", text, dockerignore=("node_modules",)),
        "docker/copy-all-without-dockerignore",
    )
    assert not ok and bad and bad[0].location.start_line == 2


_LINES = st.sampled_from(
    [
        "FROM python:3.12 AS b",
        "FROM $X",
        "RUN echo hi \\",
        "RUN <<EOF",
        "EOF",
        "COPY <<-X /a",
        "\tX",
        'ENV A=1 B="x',
        "ARG",
        "# escape=`",
        "USER root",
        "`",
        "\\",
        "",
        "# comment",
        "ADD http://x /y",
        "EXPOSE 22",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_LINES, st.text(max_size=40)), max_size=30))
def test_fuzz_parser_never_raises(lines: list[str]) -> None:
    text = "\n".join(lines)
    df = parse(text)
    for ins in df.instructions:
        assert 1 <= ins.line <= max(1, len(text.splitlines()))
    list(scan_family("docker", text))


def test_distroless_nonroot_and_url_credentials() -> None:
    text = "FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app\n"
    assert not findings(scan_family("docker", text), "docker/root-user")
    pw = "".join(["s3", "cr3t", "-pw9"])
    text = f"FROM alpine:3.20@sha256:ab\nENV DATABASE_URL=postgres://app:{pw}@db/app\nUSER app\n"
    hits = findings(scan_family("docker", text), "docker/secret-in-env")
    assert len(hits) == 1 and pw not in hits[0].snippet
