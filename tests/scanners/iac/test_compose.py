from __future__ import annotations

from tests.scanners.iac.helpers import errors, findings, scan_family

FAKE_VALUE = "".join(
    ["Sup3r", "S3cret", "Value"]
)  # built from parts: no whole fake secret in test code
COMPOSE = f"""\
services:
  web:
    image: nginx
    privileged: true
    network_mode: host
    environment:
      - DB_PASSWORD={FAKE_VALUE}
      - LOG_LEVEL=debug
    volumes:
      - type: bind
        source: /var/run/docker.sock
        target: /var/run/docker.sock
  worker:
    image: registry.example.com/worker:1.0@sha256:ab
    environment:
      API_TOKEN: ${{API_TOKEN}}
"""


def test_compose_findings_and_lines() -> None:
    items = scan_family("compose", COMPOSE)
    assert not errors(items)
    got = sorted((f.rule_id, f.location.start_line) for f in findings(items))
    assert got == [
        ("compose/docker-socket-mount", 11),
        ("compose/host-network", 5),
        ("compose/image-latest", 3),
        ("compose/privileged", 4),
        ("compose/secret-in-environment", 7),
    ]
    secret = findings(items, "compose/secret-in-environment")[0]
    assert FAKE_VALUE not in secret.snippet


def test_compose_without_services_ignored() -> None:
    assert scan_family("compose", "version: '3'\n") == []


def test_credentials_in_urls_and_non_secret_names() -> None:
    pw = "".join(["pr0d", "-db", "-pw77"])
    text = (
        "services:\n  api:\n    image: api:1.0@sha256:ab\n    environment:\n"
        f"      DATABASE_URL: postgres://app:{pw}@db:5432/app\n"
        "      CACHE_URL: redis://cache:6379/0\n"
        "      API_KEY_HEADER: X-Api-Key\n"
        "      TOKEN_TTL: '3600'\n"
    )
    hits = findings(scan_family("compose", text), "compose/secret-in-environment")
    assert [f.location.start_line for f in hits] == [5]
    assert pw not in hits[0].snippet
