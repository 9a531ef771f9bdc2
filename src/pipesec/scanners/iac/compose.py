"""Docker Compose rules (``compose/<slug>``), one finding per offending key or list item."""

from __future__ import annotations

from collections.abc import Iterator

from pipesec.core.model import Severity
from pipesec.core.yamlpos import YNode as Y
from pipesec.scanners.iac.common import (
    Hit,
    Registry,
    make_rule,
    secret_value,
)
from pipesec.scanners.iac.dockerfile_parser import split_image

REGISTRY = Registry()
R = REGISTRY.rule
REF = "https://docs.docker.com/reference/compose-file/services/"

BASE = """
services:
  web:
    image: registry.example.com/web:1.4.2@sha256:9f86d081884c
    user: "10001"
    read_only: true
    ports:
      - "8080:8080"
"""


def _c(old: str, new: str) -> str:
    assert old in BASE, old
    return BASE.replace(old, new, 1)


def services(doc: Y) -> Iterator[tuple[str, Y]]:
    svcs = doc.get("services")
    for name, svc in svcs.mapping().items() if svcs else []:
        if isinstance(svc.value, dict):
            yield name, svc


def _at(node: Y, message: str = "", key: str = "") -> Hit:
    line, col = node.at
    return Hit(line, col, message, key=key)


@R(
    make_rule(
        "compose/privileged",
        "Privileged service",
        Severity.HIGH,
        "privileged: true gives the container every capability and all host devices: "
        "escaping to the host is trivial.",
        "Remove privileged: true; add only the capability needed with cap_add.",
        _c("    read_only: true", "    read_only: true\n    privileged: true"),
        BASE,
        cwe=("CWE-250",),
        references=(REF + "#privileged",),
    )
)
def privileged(doc: Y) -> Iterator[Hit]:
    for name, svc in services(doc):
        node = svc.get("privileged")
        if node is not None and _true(node.value):
            yield _at(node, f"Service {name} is privileged")


#: the strings Compose reads as true in a boolean field (it casts a string there, written
#: or interpolated, with YAML 1.1's words: ``privileged: "true"`` is privileged; review17)
_TRUE_WORDS = frozenset({"y", "yes", "true", "on"})


def _true(value: object) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() in _TRUE_WORDS)


def _volume_source(item: Y) -> tuple[str, Y]:
    if isinstance(item.value, str):
        return item.value.split(":", 1)[0], item
    src = item.get("source")
    if src is not None and isinstance(src.value, str):
        return src.value, src
    return "", item


_SOCKETS = ("docker.sock", "containerd.sock", "podman.sock")


@R(
    make_rule(
        "compose/docker-socket-mount",
        "Docker socket mounted into a service",
        Severity.CRITICAL,
        "Whoever controls the Docker socket controls the host: the service can start a "
        "privileged container that mounts /.",
        "Do not mount the socket; if a tool needs the Docker API, use a filtering socket proxy.",
        _c(
            "    ports:",
            "    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n    ports:",
        ),
        _c("    ports:", "    volumes:\n      - data:/var/lib/web\n    ports:"),
        cwe=("CWE-250",),
    )
)
def docker_socket(doc: Y) -> Iterator[Hit]:
    for name, svc in services(doc):
        vols = svc.get("volumes")
        for item in vols.items() if vols else []:
            src, node = _volume_source(item)
            if src.rstrip("/").endswith(_SOCKETS):
                yield Hit(node.line, node.column, f"Service {name} mounts {src}")


SENSITIVE_HOST_PATHS = (
    "/",
    "/etc",
    "/root",
    "/proc",
    "/sys",
    "/boot",
    "/dev",
    "/var/lib/docker",
    "/home",
)


@R(
    make_rule(
        "compose/sensitive-host-mount",
        "Sensitive host directory mounted",
        Severity.HIGH,
        "Mounting /, /etc, /proc, /sys or /root gives the container the host's configuration, "
        "credentials or kernel interfaces.",
        "Mount only the application's own data directory or a named volume.",
        _c("    ports:", "    volumes:\n      - /etc:/host/etc\n    ports:"),
        _c("    ports:", "    volumes:\n      - ./config:/etc/web:ro\n    ports:"),
        cwe=("CWE-668",),
    )
)
def sensitive_mount(doc: Y) -> Iterator[Hit]:
    for name, svc in services(doc):
        vols = svc.get("volumes")
        for item in vols.items() if vols else []:
            src, node = _volume_source(item)
            clean = src.rstrip("/") or "/"
            if src.startswith("/") and clean in SENSITIVE_HOST_PATHS:
                yield Hit(node.line, node.column, f"Service {name} mounts host {clean}")


def _mode_rule(slug: str, key: str, what: str) -> None:
    @R(
        make_rule(
            f"compose/{slug}",
            f"Service shares the host's {what}",
            Severity.HIGH,
            f"{key}: host removes the {what} isolation between the service and the host.",
            f"Remove {key}: host.",
            _c("    read_only: true", f"    read_only: true\n    {key}: host"),
            BASE,
            cwe=("CWE-668",),
            references=(REF,),
        )
    )
    def check(doc: Y) -> Iterator[Hit]:
        for name, svc in services(doc):
            node = svc.get(key)
            if node is not None and node.value == "host":
                yield _at(node, f"Service {name} uses {key}: host")


_mode_rule("host-network", "network_mode", "network")
_mode_rule("host-pid", "pid", "process namespace")
_mode_rule("host-ipc", "ipc", "IPC namespace")


def _env_items(svc: Y) -> Iterator[tuple[str, str, Y]]:
    env = svc.get("environment")
    if env is None:
        return
    if isinstance(env.value, dict):
        for k, v in env.value.items():
            if isinstance(v.value, str | int | float) and not isinstance(v.value, bool):
                yield k, str(v.value), v
    else:
        for item in env.items():
            if isinstance(item.value, str) and "=" in item.value:
                k, _, v = item.value.partition("=")
                yield k.strip(), v, item


@R(
    make_rule(
        "compose/secret-in-environment",
        "Secret as a literal in environment",
        Severity.HIGH,
        "A password or token written into the compose file is readable by everyone with the "
        "repository and shows in `docker inspect`.",
        "Use Compose secrets, or an env_file kept out of version control, or ${VAR} "
        "interpolation from the environment.",
        _c(
            "    ports:",
            "    environment:\n      POSTGRES_PASSWORD: " + "pg" + "-Xr82-mQtz\n    ports:",
        ),
        _c(
            "    ports:",
            "    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n    ports:",
        ),
        cwe=("CWE-798",),
        references=("https://docs.docker.com/compose/how-tos/use-secrets/",),
        tags=("iac", "secret"),
    )
)
def secret_env(doc: Y) -> Iterator[Hit]:
    for name, svc in services(doc):
        for key, value, node in _env_items(svc):
            secret = secret_value(key, value)
            if secret:
                line, col = node.at
                yield Hit(
                    line,
                    col,
                    f"Service {name}: {key} holds a literal secret",
                    secret=secret,
                    key=key,
                )


@R(
    make_rule(
        "compose/image-latest",
        "Image on :latest or without a tag",
        Severity.MEDIUM,
        "An untagged or :latest image changes between pulls; what runs is not what was tested.",
        "Pin the image to a version tag and digest.",
        _c("web:1.4.2@sha256:9f86d081884c", "web:latest"),
        BASE,
        cwe=("CWE-1357",),
    )
)
def image_latest(doc: Y) -> Iterator[Hit]:
    for name, svc in services(doc):
        node = svc.get("image")
        if node is None or not isinstance(node.value, str) or "$" in node.value:
            continue
        _n, tag, digest = split_image(node.value)
        if not digest and tag in ("", "latest"):
            yield _at(node, f"Service {name} uses {node.value}")


DANGEROUS = {"ALL", "SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE", "SYS_MODULE", "DAC_READ_SEARCH"}


@R(
    make_rule(
        "compose/dangerous-capabilities",
        "Dangerous capability added",
        Severity.HIGH,
        "cap_add with SYS_ADMIN, NET_ADMIN, SYS_PTRACE or ALL gives near-root power over the "
        "host kernel, network or processes.",
        "Drop ALL and add back only narrow capabilities such as NET_BIND_SERVICE.",
        _c("    read_only: true", "    read_only: true\n    cap_add:\n      - SYS_ADMIN"),
        _c("    read_only: true", "    read_only: true\n    cap_drop:\n      - ALL"),
        cwe=("CWE-250",),
    )
)
def caps(doc: Y) -> Iterator[Hit]:
    for name, svc in services(doc):
        add = svc.get("cap_add")
        for item in add.items() if add else []:
            cap = str(item.value).upper().removeprefix("CAP_")
            if cap in DANGEROUS:
                yield Hit(item.line, item.column, f"Service {name} adds {cap}", key=cap)


@R(
    make_rule(
        "compose/security-opt-disabled",
        "Seccomp, AppArmor or SELinux disabled",
        Severity.MEDIUM,
        "seccomp:unconfined, apparmor:unconfined or label:disable removes a kernel-level "
        "confinement layer from the container.",
        "Remove the security_opt entry (keep the runtime defaults).",
        _c(
            "    read_only: true",
            "    read_only: true\n    security_opt:\n      - seccomp:unconfined",
        ),
        _c(
            "    read_only: true",
            "    read_only: true\n    security_opt:\n      - no-new-privileges:true",
        ),
        cwe=("CWE-693",),
    )
)
def security_opt(doc: Y) -> Iterator[Hit]:
    for name, svc in services(doc):
        opts = svc.get("security_opt")
        for item in opts.items() if opts else []:
            v = str(item.value).replace("=", ":").replace(" ", "")
            if v in ("seccomp:unconfined", "apparmor:unconfined", "label:disable"):
                yield Hit(item.line, item.column, f"Service {name}: {item.value}", key=v)


@R(
    make_rule(
        "compose/ssh-port-published",
        "SSH port published",
        Severity.MEDIUM,
        "Publishing port 22 means an SSH server runs in the container and is reachable from "
        "the host network.",
        "Do not run sshd in containers; use `docker exec` for access.",
        _c('      - "8080:8080"', '      - "8080:8080"\n      - "2222:22"'),
        BASE,
        cwe=("CWE-284",),
    )
)
def ssh_port(doc: Y) -> Iterator[Hit]:
    for name, svc in services(doc):
        ports = svc.get("ports")
        for item in ports.items() if ports else []:
            target = ""
            if isinstance(item.value, str | int):
                target = str(item.value).rsplit(":", 1)[-1].split("/", 1)[0]
            elif isinstance(item.value, dict):
                target = str(item.scalar("target") or "")
            if target == "22":
                yield Hit(item.line, item.column, f"Service {name} publishes SSH")


@R(
    make_rule(
        "compose/root-user",
        "Service explicitly runs as root",
        Severity.MEDIUM,
        "user: root (or 0) overrides the image's unprivileged user and runs the service as root.",
        "Run as an unprivileged UID.",
        _c('    user: "10001"', '    user: "0"'),
        BASE,
        cwe=("CWE-250",),
    )
)
def root_user(doc: Y) -> Iterator[Hit]:
    for name, svc in services(doc):
        node = svc.get("user")
        if node is not None and str(node.value).split(":", 1)[0] in ("root", "0"):
            yield _at(node, f"Service {name} runs as root")


RULES = REGISTRY.rules()
