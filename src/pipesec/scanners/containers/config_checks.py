"""Image config and hardening rules (``image/*``): who the image runs as, what its config,
build history and final filesystem give away, and what an attacker inside would find."""

from __future__ import annotations

import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pipesec.core.model import Rule, Severity

RUNS_AS_ROOT = Rule(
    id="image/runs-as-root",
    title="Image runs as root",
    severity=Severity.MEDIUM,
    rationale=(
        "Without a USER (or with USER 0/root) every process of the container runs as root: a "
        "flaw in the application hands the attacker root inside the container, one kernel or "
        "runtime bug away from the host."
    ),
    remediation="Create an unprivileged user in the image and switch to it (USER 10001).",
    vulnerable_example='FROM debian:12-slim\nCOPY app /app\nCMD ["/app"]\n',
    fixed_example=(
        "FROM debian:12-slim\nRUN useradd --uid 10001 app\nCOPY app /app\n"
        'USER 10001\nCMD ["/app"]\n'
    ),
    cwe=("CWE-250",),
    tags=("image", "hardening"),
)
SECRET_IN_ENV = Rule(
    id="image/secret-in-env",
    title="Credential in the image's environment",
    severity=Severity.HIGH,
    rationale=(
        "ENV values are stored in the image config: anyone who can pull the image reads them "
        "(docker inspect), and every process of the container inherits them."
    ),
    remediation=(
        "Pass the credential at run time (a secret mount, the orchestrator's secrets), never "
        "with ENV; rotate the exposed value."
    ),
    vulnerable_example="FROM alpine:3.20\nENV DB_PASSWORD=s3cr3t-Pa55w0rd-prod\n",
    fixed_example="FROM alpine:3.20\nENV DB_PASSWORD_FILE=/run/secrets/db_password\n",
    cwe=("CWE-798",),
    tags=("image", "secret"),
)
SECRET_IN_BUILD_ARG = Rule(
    id="image/secret-in-build-arg",
    title="Credential passed as a build argument",
    severity=Severity.HIGH,
    rationale=(
        "Build arguments used by a RUN step are written into the image's history "
        "(docker history --no-trunc shows them): the credential ships with the image."
    ),
    remediation=(
        "Use a BuildKit secret mount (RUN --mount=type=secret,id=npm_token ...) instead of "
        "ARG; rotate the exposed value."
    ),
    vulnerable_example=(
        "FROM node:20\nARG NPM_TOKEN\nRUN echo //registry.npmjs.org/:_authToken=$NPM_TOKEN "
        "> .npmrc && npm ci\n"
    ),
    fixed_example="FROM node:20\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n",
    cwe=("CWE-798",),
    tags=("image", "secret"),
)
ADD_REMOTE_URL = Rule(
    id="image/add-remote-url",
    title="ADD fetches a remote URL",
    severity=Severity.MEDIUM,
    rationale=(
        "ADD <url> downloads at build time without any integrity check: whoever controls the "
        "server (or the network path) controls what goes into the image."
    ),
    remediation=(
        "Download with a checksum check (ADD --checksum=sha256:..., or curl then sha256sum -c) "
        "or COPY a vendored file."
    ),
    vulnerable_example="FROM alpine:3.20\nADD https://example.com/tool.tar.gz /opt/\n",
    fixed_example=(
        "FROM alpine:3.20\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a"
        "9b2945d1036d1dc68d https://example.com/tool.tar.gz /opt/\n"
    ),
    cwe=("CWE-494",),
    tags=("image", "supply-chain"),
)
SSH_PORT = Rule(
    id="image/ssh-port-exposed",
    title="Image exposes the SSH port",
    severity=Severity.MEDIUM,
    rationale=(
        "A container is not a host to log in to: an SSH daemon adds credentials to manage and "
        "an attack surface; use docker exec / kubectl exec for debugging."
    ),
    remediation="Remove EXPOSE 22 and the SSH server from the image.",
    vulnerable_example="FROM debian:12\nRUN apt-get install -y openssh-server\nEXPOSE 22\n",
    fixed_example="FROM debian:12\nEXPOSE 8080\n",
    cwe=("CWE-284",),
    tags=("image", "hardening"),
)
SHELL_PRESENT = Rule(
    id="image/shell-present",
    title="Shell present in the final image",
    severity=Severity.INFO,
    rationale=(
        "A minimal image has no shell: an attacker who gets code execution cannot easily run "
        "commands, and there is less to patch."
    ),
    remediation="Build the runtime stage from a distroless or scratch base (multi-stage build).",
    vulnerable_example='FROM debian:12-slim\nCOPY app /app\nCMD ["/app"]\n',
    fixed_example=(
        "FROM golang:1.22 AS build\nRUN go build -o /app .\n"
        'FROM gcr.io/distroless/static-debian12\nCOPY --from=build /app /app\nCMD ["/app"]\n'
    ),
    tags=("image", "minimal"),
)
PACKAGE_MANAGER_PRESENT = Rule(
    id="image/package-manager-present",
    title="Package manager present in the final image",
    severity=Severity.INFO,
    rationale=(
        "A package manager in the running image lets an attacker install tools; a minimal "
        "runtime image carries only what the application needs."
    ),
    remediation="Install packages in a build stage and copy the results into a minimal base.",
    vulnerable_example='FROM debian:12-slim\nCOPY app /app\nCMD ["/app"]\n',
    fixed_example=(
        "FROM debian:12-slim AS build\nRUN apt-get update && apt-get install -y build-essential\n"
        'FROM gcr.io/distroless/cc-debian12\nCOPY --from=build /app /app\nCMD ["/app"]\n'
    ),
    tags=("image", "minimal"),
)
SETUID_BINARY = Rule(
    id="image/setuid-binary",
    title="Setuid or setgid binary in the image",
    severity=Severity.INFO,
    rationale=(
        "Setuid/setgid binaries run with their owner's rights: each one is a privilege "
        "escalation path when the container runs as an unprivileged user."
    ),
    remediation="Drop the bit (RUN chmod u-s,g-s FILE) or remove the binary; run with "
    "--security-opt=no-new-privileges.",
    vulnerable_example="FROM debian:12-slim\nRUN chmod u+s /usr/bin/find\n",
    fixed_example=(
        "FROM debian:12-slim\nRUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +\n"
    ),
    cwe=("CWE-250",),
    tags=("image", "hardening"),
)
RULES = (
    RUNS_AS_ROOT,
    SECRET_IN_ENV,
    SECRET_IN_BUILD_ARG,
    ADD_REMOTE_URL,
    SSH_PORT,
    SHELL_PRESENT,
    PACKAGE_MANAGER_PRESENT,
    SETUID_BINARY,
)
# image/base-os-eol lives with the EOL table (containers/os/eol.py)

SHELLS = ("/bin/sh", "/bin/bash", "/usr/bin/bash", "/bin/dash", "/bin/ash", "/bin/busybox")
PACKAGE_MANAGERS = (
    "/usr/bin/apt",
    "/usr/bin/apt-get",
    "/usr/bin/dpkg",
    "/sbin/apk",
    "/usr/bin/yum",
    "/usr/bin/dnf",
    "/usr/bin/microdnf",
    "/usr/bin/rpm",
    "/bin/rpm",
)

_SECRET_NAME = re.compile(
    r"(?i)(?:^|[_.-])(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_-]?key|apikey|"
    r"access[_-]?key|private[_-]?key|client[_-]?secret|credentials?|auth)(?:$|[_.-])"
)
#: names that hold where a secret is, not the secret
_NOT_VALUE = re.compile(
    r"(?i)(?:_file|_path|_dir|_url|_uri|_name|_user(?:name)?|_id|_type|_mode|_header|_endpoint"
    r"|_host|_port|_length|_expiry|_ttl|_enabled?|_required|_policy)$"
)
_REFERENCE = re.compile(r"^\$\{?[A-Za-z_]|^/run/secrets/|^$")
_PLACEHOLDER = re.compile(
    r"(?i)^(?:changeme|change_me|example|dummy|test|none|null|nil|true|false|yes|no|"
    r"x+|\*+|<[^>]*>|\{\{.*\}\}|your[_-].*|replace[_-]?me|todo)$"
)


def secret_assignment(name: str, value: str) -> bool:
    """``NAME=value`` that puts a credential-looking literal into a secret-named variable."""
    value = value.strip().strip("'\"")
    if not _SECRET_NAME.search(name) or _NOT_VALUE.search(name):
        return False
    if _REFERENCE.match(value) or _PLACEHOLDER.match(value):
        return False
    looks_like_path = value.startswith(("/", "./", "http://", "https://"))
    return not (len(value) < 6 or value.isdigit() or looks_like_path)


def user_is_root(config: dict[str, Any]) -> bool:
    inner = config.get("config")
    user = str((inner or {}).get("User") or "") if isinstance(inner, dict) else ""
    name = user.split(":", 1)[0].strip()
    return name in ("", "0", "root")


def env_pairs(config: dict[str, Any]) -> list[tuple[str, str]]:
    inner = config.get("config")
    env = inner.get("Env") if isinstance(inner, dict) else None
    out = []
    for item in env if isinstance(env, list) else []:
        if isinstance(item, str) and "=" in item:
            name, _, value = item.partition("=")
            out.append((name, value))
    return out


def labels(config: dict[str, Any]) -> list[tuple[str, str]]:
    inner = config.get("config")
    lab = inner.get("Labels") if isinstance(inner, dict) else None
    if not isinstance(lab, dict):
        return []
    return [(str(k), str(v)) for k, v in lab.items()]


def exposed_ports(config: dict[str, Any]) -> list[str]:
    inner = config.get("config")
    ports = inner.get("ExposedPorts") if isinstance(inner, dict) else None
    return sorted(str(p) for p in ports) if isinstance(ports, dict) else []


def history(config: dict[str, Any]) -> list[str]:
    hist = config.get("history")
    return [
        str(h.get("created_by", ""))
        for h in (hist if isinstance(hist, list) else [])
        if isinstance(h, dict)
    ]


_ARGS_PREFIX = re.compile(r"^\|(\d+)\s+")
_PAIR = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|'[^']*'|\S*)")
_ARG_STEP = re.compile(r"^\s*ARG\s+(.*)$", re.S)
_ADD_URL = re.compile(r"(?:^|#\(nop\)\s*|\s)ADD\s+(?:--\S+\s+)*(https?://\S+)", re.I)
_ADD_CHECKSUM = re.compile(r"ADD\s+(?:--\S+\s+)*--checksum=", re.I)


@dataclass(frozen=True, slots=True)
class BuildArg:
    step: int  # 0-based history entry
    name: str
    value: str


def build_args(steps: list[str]) -> Iterator[BuildArg]:
    """Build arguments recorded in history: ``|N A=B ... /bin/sh -c`` (the classic builder
    and BuildKit's RUN) and ``ARG NAME=default``."""
    for i, text in enumerate(steps):
        m = _ARGS_PREFIX.match(text)
        if m:
            rest = text[m.end() :]
            for _ in range(min(int(m.group(1)), 64)):
                pm = _PAIR.match(rest)
                if not pm:
                    break
                yield BuildArg(i, pm.group(1), pm.group(2).strip("'\""))
                rest = rest[pm.end() :].lstrip()
            continue
        am = _ARG_STEP.match(text)
        if am:
            for pm in _PAIR.finditer(am.group(1)):
                yield BuildArg(i, pm.group(1), pm.group(2).strip("'\""))


def remote_adds(steps: list[str]) -> Iterator[tuple[int, str]]:
    for i, text in enumerate(steps):
        m = _ADD_URL.search(text)
        if m and not _ADD_CHECKSUM.search(text):
            yield i, m.group(1)


def is_setuid(mode: int) -> bool:
    return bool(mode & (stat.S_ISUID | stat.S_ISGID))
