"""Dockerfile forms of a flaw that the rules' own examples do not show: brackets that are
not the exec form, yum/dnf/zypper without their non-interactive flag, the shell replaced by
a link. Each rule's own examples run in test_rules.py."""

from __future__ import annotations

import pytest
from tests.scanners.iac.helpers import findings, scan_family

DOCKER = "FROM debian:12@sha256:b8084b1a576c\n{body}\nUSER nobody\n"


@pytest.mark.parametrize(
    ("body", "reported"),
    [
        ("CMD [python, app.py]", True),
        ("ENTRYPOINT ['top', '-b']", True),  # single quotes are not JSON
        ('CMD ["python", "app.py"]', False),
        ("RUN [ -f /etc/os-release ]", False),  # a shell test, not a list
        ("RUN [ -f /a ] && [ -f /b ]", False),
        ('RUN ["sh", "-c", "make"]', False),
    ],
)
def test_exec_form_not_json(body: str, reported: bool) -> None:
    items = scan_family("docker", DOCKER.format(body=body))
    assert bool(findings(items, "docker/exec-form-not-json")) is reported


@pytest.mark.parametrize(
    ("body", "reported"),
    [
        ("RUN zypper install httpd && zypper clean", True),
        ("RUN zypper -n install httpd && zypper clean", False),
        ("RUN zypper --non-interactive in httpd", False),
        ("RUN zypper install -y httpd=2.4.46", False),
        ("RUN dnf install nginx", True),
        ("RUN dnf -y install nginx", False),
        ("RUN sudo yum install bundler", True),
        ("RUN yum install --assumeyes bundler", False),
        ("RUN yes | yum install bundler", False),
        ("RUN microdnf install -y shadow-utils", False),
    ],
)
def test_rpm_install_non_interactive(body: str, reported: bool) -> None:
    items = scan_family("docker", DOCKER.format(body=body))
    assert bool(findings(items, "docker/rpm-install-no-yes")) is reported


@pytest.mark.parametrize(
    ("body", "reported"),
    [
        ("RUN ln -sfv /bin/bash /bin/sh", True),
        ("RUN ln -s /bin/bash /bin/sh && ./build.sh", True),
        ("RUN ln -s /usr/bin/python3 /usr/bin/python", False),
        ("RUN ln -s /bin/sh /usr/local/bin/sh-compat", False),
    ],
)
def test_shell_replaced(body: str, reported: bool) -> None:
    items = scan_family("docker", DOCKER.format(body=body))
    assert bool(findings(items, "docker/shell-replaced-in-run")) is reported


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        # a secret-named ARG followed by a RUN: the history of that RUN records its value
        ("FROM node:22\nARG NPM_TOKEN\nRUN npm ci\nUSER node\n", [2]),
        ("FROM node:22\nARG NPM_TOKEN=changeme\nRUN npm ci\nUSER node\n", [2]),
        # an ENV set from a variable is stored in the image configuration
        ("FROM node:22\nARG DB_PASSWORD\nENV DB_PASSWORD=${DB_PASSWORD}\nUSER node\n", [3]),
        # the final stage built on a stage that takes the ARG: the history is inherited
        ("FROM node:22 AS base\nARG NPM_TOKEN\nRUN npm ci\nFROM base\nUSER node\n", [2]),
        # no RUN after the ARG: nothing records it
        ("FROM node:22\nRUN npm ci\nARG NPM_TOKEN\nUSER node\n", []),
        # a builder stage the final image does not build on: its history stays behind
        (
            "FROM node:22 AS build\nARG NPM_TOKEN\nRUN npm ci\n"
            "FROM node:22-slim\nCOPY --from=build /app /app\nUSER node\n",
            [],
        ),
        # names that describe a secret without holding one, and non-secret names
        ("FROM node:22\nARG NPM_TOKEN_FILE\nARG BUILD_VERSION\nRUN npm ci\nUSER node\n", []),
        # a literal is docker/secret-in-env's finding, not this one's
        ("FROM node:22\nARG API_TOKEN=" + "q8Zt" + "Lw3VmR5x\nRUN npm ci\nUSER node\n", []),
        ("FROM node:22\nENV API_KEY=\nUSER node\n", []),
    ],
)
def test_secret_build_arg(text: str, lines: list[int]) -> None:
    hits = findings(scan_family("docker", text), "docker/secret-build-arg")
    assert sorted(f.location.start_line for f in hits) == lines


CREDENTIALS = "docker/credentials-file-in-image"


@pytest.mark.parametrize(
    ("body", "line"),
    [
        # trivy DS031's copied-secret-file cases (its Rego tests)
        (
            "COPY /src /app/\nENV GOOGLE_APPLICATION_CREDENTIALS=./app/google-storage-service.json",
            3,
        ),
        ('COPY . .\nENV GOOGLE_APPLICATION_CREDENTIALS="./news-extraction.json"', 3),
        ("COPY /src /app/\nARG GOOGLE_APPLICATION_CREDENTIALS=./app/sa.json", 3),
        ("COPY ./config $AWS_CONFIG_FILE", 2),
        ("WORKDIR /srv\nCOPY conf/ ./conf/\nENV AWS_SHARED_CREDENTIALS_FILE=/srv/conf/creds", 4),
        # not in what a COPY wrote
        ("COPY /src /src\nENV GOOGLE_APPLICATION_CREDENTIALS=./app/google-storage-service.json", 0),
        ("ENV GOOGLE_APPLICATION_CREDENTIALS=/credentials/google-storage-service.json", 0),
        ("COPY . .\nENV GOOGLE_APPLICATION_CREDENTIALS=/var/run/secrets/sa.json", 0),  # a mount
        ("COPY . /app\nENV GOOGLE_APPLICATION_CREDENTIALS=$SA_PATH", 0),
        ("COPY --from=build /out /app\nENV GOOGLE_APPLICATION_CREDENTIALS=/app/sa.json", 0),
    ],
)
def test_credentials_file_copied_into_the_image(body: str, line: int) -> None:
    got = findings(scan_family("docker", DOCKER.format(body=body)), CREDENTIALS)
    assert [f.location.start_line for f in got] == ([line] if line else [])


def test_credentials_file_in_a_builder_stage_only_is_not_reported() -> None:
    text = (
        "FROM golang:1.22@sha256:0a1b2c3d4e5f AS build\nCOPY . /src\n"
        "ENV GOOGLE_APPLICATION_CREDENTIALS=/src/sa.json\n"
        "FROM gcr.io/distroless/static@sha256:9a8b7c6d5e4f\nCOPY --from=build /src/app /app\n"
        "USER nonroot\n"
    )
    assert findings(scan_family("docker", text), CREDENTIALS) == []
