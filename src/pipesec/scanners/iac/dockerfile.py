"""Dockerfile rules (``docker/<slug>``). Each finding points at the offending instruction's
line; a missing instruction (no ``USER``, no ``HEALTHCHECK``) points at the final ``FROM``.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass

from pipesec.core.commands import (
    COMMAND_END,
    LINE_END,
    WEAK_TLS,
    PerCommand,
    first_per_command,
)
from pipesec.core.model import Confidence, Severity
from pipesec.scanners.iac.common import (
    Hit,
    Registry,
    looks_like_literal_secret,
    looks_like_secret_name,
    make_rule,
    secret_value,
)
from pipesec.scanners.iac.dockerfile_parser import (
    Dockerfile,
    Instruction,
    Stage,
    is_stage_ref,
    parse_pairs,
    split_image,
)

REGISTRY = Registry()
R = REGISTRY.rule
CIS = "https://www.cisecurity.org/benchmark/docker"
BEST = "https://docs.docker.com/build/building/best-practices/"


@dataclass(frozen=True)
class DockerContext:
    """What the Dockerfile rules know about the build context."""

    #: lines of the .dockerignore next to the Dockerfile; None when there is none
    dockerignore: tuple[str, ...] | None = None
    #: the Dockerfile's path in the workspace ("" when not known)
    path: str = ""


def _runs(df: Dockerfile, stage: Stage | None = None) -> Iterator[Instruction]:
    items = stage.instructions if stage else df.instructions
    for ins in items:
        if ins.keyword == "RUN":
            yield ins


def _runs_matching(
    df: Dockerfile, pat: re.Pattern[str] | PerCommand, message: str = ""
) -> Iterator[Hit]:
    """A hit at the first match of ``pat`` in each RUN instruction."""
    for ins in _runs(df):
        m = pat.search(ins.text)
        if m:
            yield Hit(ins.line_at(m.start()), message=message)


def _external_stages(df: Dockerfile) -> Iterator[Stage]:
    for st in df.stages:
        if not is_stage_ref(df, st) and not st.unresolved:
            yield st


def _effective_user(df: Dockerfile, stage: Stage) -> Instruction | None:
    """The last USER of a stage or of the stages it builds on."""
    seen: set[int] = set()
    cur: Stage | None = stage
    while cur is not None and cur.index not in seen:
        seen.add(cur.index)
        users = [i for i in cur.instructions if i.keyword == "USER"]
        if users:
            return users[-1]
        cur = df.stages[cur.parent] if cur.parent is not None else None
    return None


@R(
    make_rule(
        "docker/root-user",
        "Container runs as root",
        Severity.MEDIUM,
        "The final stage sets no USER, or sets USER root/0, so the process runs as root. "
        "A compromise of the application then owns the container and any mounted volumes, "
        "and any kernel or runtime escape starts with root privileges.",
        "Create an unprivileged user and switch to it with USER before CMD/ENTRYPOINT.",
        """
FROM python:3.12-slim@sha256:4f3e1c2ab0aa
COPY app.py /app/
CMD ["python", "/app/app.py"]
""",
        """
FROM python:3.12-slim@sha256:4f3e1c2ab0aa
RUN useradd --create-home app
COPY app.py /app/
USER app
CMD ["python", "/app/app.py"]
""",
        cwe=("CWE-250",),
        references=(CIS, BEST + "#user"),
    )
)
def root_user(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    final = df.final_stage
    if final is None or final.unresolved:
        return
    user = _effective_user(df, final)
    if user is None:
        base = df.stages[final.parent] if final.parent is not None else final
        if final.image.lower() == "scratch" or "nonroot" in split_image(base.image)[1].lower():
            return  # scratch has no users; distroless :nonroot images default to UID 65532
        yield Hit(final.from_instruction.line, message="The final stage sets no USER: runs as root")
        return
    name = user.expanded.split(":", 1)[0].strip()
    if name in ("root", "0"):
        yield Hit(user.line, user.column, f"USER {name}: the container runs as root")


@R(
    make_rule(
        "docker/image-untagged",
        "Base image without a tag",
        Severity.MEDIUM,
        "FROM without a tag pulls whatever `latest` points to at build time: builds are not "
        "reproducible and a compromised or broken upstream image lands without review.",
        "Pin the base image to a version tag, and better to a digest (image:tag@sha256:...).",
        "FROM ubuntu\nUSER nobody\n",
        "FROM ubuntu:24.04@sha256:2e863c44b718\nUSER nobody\n",
        cwe=("CWE-1357",),
        references=(BEST + "#from",),
    )
)
def image_untagged(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    for st in _external_stages(df):
        _name, tag, digest = split_image(st.image)
        if not tag and not digest:
            yield Hit(st.from_instruction.line, st.from_instruction.column, key=st.image)


@R(
    make_rule(
        "docker/image-latest",
        "Base image on the :latest tag",
        Severity.MEDIUM,
        "`:latest` moves: every build may get a different base image, so builds are not "
        "reproducible and an upstream compromise is pulled in silently.",
        "Pin the base image to a version tag and a digest.",
        "FROM node:latest\nUSER node\n",
        "FROM node:22.11-alpine@sha256:b64ced2e7cd0\nUSER node\n",
        cwe=("CWE-1357",),
        references=(BEST + "#from",),
    )
)
def image_latest(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    for st in _external_stages(df):
        _name, tag, digest = split_image(st.image)
        if tag.lower() == "latest" and not digest:
            yield Hit(st.from_instruction.line, st.from_instruction.column, key=st.image)


@R(
    make_rule(
        "docker/image-no-digest",
        "Base image not pinned to a digest",
        Severity.LOW,
        "A tag can be re-pushed: the same `python:3.12` may be a different image tomorrow. "
        "Only a digest pins the exact bytes you reviewed.",
        "Append the digest: FROM image:tag@sha256:<digest> (and let a bot such as Renovate "
        "update it).",
        "FROM python:3.12-slim\nUSER nobody\n",
        "FROM python:3.12-slim@sha256:4f3e1c2ab0aa\nUSER nobody\n",
        cwe=("CWE-1357",),
        confidence=Confidence.MEDIUM,
    )
)
def image_no_digest(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    for st in _external_stages(df):
        _name, tag, digest = split_image(st.image)
        if tag and tag.lower() != "latest" and not digest:
            yield Hit(st.from_instruction.line, st.from_instruction.column, key=st.image)


@R(
    make_rule(
        "docker/add-url",
        "ADD downloads a remote URL",
        Severity.MEDIUM,
        "ADD <url> fetches a file at build time without checksum verification (unless --checksum "
        "is given), so a changed or hijacked download ends up in the image.",
        "Download with curl/wget and verify a checksum, or use ADD --checksum=sha256:...",
        "FROM alpine:3.20@sha256:beefdbd8a1da\nADD https://example.com/tool.tar.gz /opt/\n"
        "USER nobody\n",
        "FROM alpine:3.20@sha256:beefdbd8a1da\n"
        "ADD --checksum=sha256:24454f830cdb https://example.com/tool.tar.gz /opt/\n"
        "USER nobody\n",
        cwe=("CWE-494",),
        references=(BEST + "#add-or-copy",),
    )
)
def add_url(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    for ins in df.instructions:
        if (
            ins.keyword == "ADD"
            and "checksum" not in ins.flags
            and re.search(r"(?i)(?:^|\s|\[\")(?:https?|ftp)://", ins.expanded or ins.args)
        ):
            yield Hit(ins.line, ins.column)


_PIPE_SHELL = PerCommand(
    (
        r"(?i)\b(?:curl|wget)\b",
        r"(?i)\b(?:curl|wget)\b[^|;&\n]*\|\s*(?:sudo\s+)?(?:/usr)?(?:/bin/)?(?:ba|z|da|k)?sh\b",
    )
)


@R(
    make_rule(
        "docker/curl-pipe-shell",
        "Remote script piped into a shell",
        Severity.HIGH,
        "`curl ... | sh` runs whatever the server returns at build time, with no integrity "
        "check: a compromised host or a man-in-the-middle owns the image.",
        "Download the script, verify its checksum or signature, then run it; or install from a "
        "package repository with signature checks.",
        "FROM debian:12@sha256:b8084b1a576c\nRUN curl -fsSL https://get.example.sh | sh\n"
        "USER nobody\n",
        "FROM debian:12@sha256:b8084b1a576c\n"
        "RUN curl -fsSLo install.sh https://get.example.sh \\\n"
        "    && echo '6f1c2ea0d4  install.sh' | sha256sum -c - && sh install.sh\n"
        "USER nobody\n",
        cwe=("CWE-494",),
    )
)
def curl_pipe_shell(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    yield from _runs_matching(df, _PIPE_SHELL, "Remote script piped into a shell")


@R(
    make_rule(
        "docker/secret-in-env",
        "Secret in an ENV or ARG value",
        Severity.HIGH,
        "ENV and ARG values are stored in the image metadata and history (`docker history`, "
        "`docker inspect`): anyone who can pull the image can read them.",
        "Pass secrets at run time (orchestrator secrets, mounted files) or use build secrets: "
        "RUN --mount=type=secret,id=...",
        "FROM python:3.12-slim@sha256:4f3e1c2ab0aa\nENV DB_PASSWORD=" + "k8Tz" + "-Wq93-plaM\n"
        "USER nobody\n",
        "FROM python:3.12-slim@sha256:4f3e1c2ab0aa\nENV DB_PASSWORD_FILE=/run/secrets/db_password\n"
        "USER nobody\n",
        cwe=("CWE-798", "CWE-538"),
        references=("https://docs.docker.com/build/building/secrets/",),
        tags=("iac", "secret"),
    )
)
def secret_in_env(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    for ins in df.instructions:
        if ins.keyword not in ("ENV", "ARG"):
            continue
        for key, value in parse_pairs(ins.args):
            secret = secret_value(key, value) if value else ""
            if secret:
                yield Hit(
                    ins.line_of(re.escape(key)),
                    ins.column,
                    f"{ins.keyword} {key} holds a literal secret",
                    secret=secret,
                    key=key,
                )


def _image_stages(df: Dockerfile) -> list[Stage]:
    """The final stage and the stages it builds on (FROM <stage>): what the image holds."""
    out: list[Stage] = []
    cur = df.final_stage
    while cur is not None and cur not in out:
        out.append(cur)
        cur = df.stages[cur.parent] if cur.parent is not None else None
    return out


_REF = re.compile(r"\$(?:\{)?[A-Za-z_][A-Za-z0-9_]*")


@R(
    make_rule(
        "docker/secret-build-arg",
        "Secret passed as a build argument or copied into ENV",
        Severity.MEDIUM,
        "A build argument's value is recorded in the image history of every later RUN "
        "(`docker history` shows `|1 GITHUB_TOKEN=... /bin/sh -c ...`), and an ENV set from "
        "one is stored in the image configuration: whoever can pull the image reads the "
        "secret that `--build-arg` passed, although the Dockerfile holds no literal.",
        "Pass the secret as a build secret and read it only in the RUN that needs it: "
        "RUN --mount=type=secret,id=github_token GITHUB_TOKEN=$(cat /run/secrets/github_token) "
        "...; pass run-time secrets by the orchestrator.",
        "FROM alpine:3.20@sha256:beefdbd8a1da\nARG GITHUB_TOKEN\n"
        'RUN wget --header "Authorization: token $GITHUB_TOKEN" https://example.com/a.tgz\n'
        "USER nobody\n",
        "FROM alpine:3.20@sha256:beefdbd8a1da\n"
        'RUN --mount=type=secret,id=github_token wget --header "Authorization: token '
        '$(cat /run/secrets/github_token)" https://example.com/a.tgz\n'
        "USER nobody\n",
        cwe=("CWE-538", "CWE-214"),
        references=(
            "https://docs.docker.com/build/building/secrets/",
            "https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/",
        ),
        confidence=Confidence.MEDIUM,
    )
)
def secret_build_arg(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    """A secret-named ARG followed by a RUN, or a secret-named ENV set from a variable, in
    a stage the image holds. Literal values are docker/secret-in-env's finding; a builder
    stage's history does not reach the final image."""
    for stage in _image_stages(df):
        args: list[tuple[Instruction, str]] = []
        for ins in stage.instructions:
            if ins.keyword == "RUN":
                for arg, key in args:
                    yield Hit(
                        arg.line_of(re.escape(key)),
                        arg.column,
                        f"ARG {key}: its value is recorded in the image history of the RUN "
                        f"at line {ins.line}",
                        key=key,
                    )
                args = []
            if ins.keyword not in ("ARG", "ENV"):
                continue
            for key, value in parse_pairs(ins.args):
                if not looks_like_secret_name(key) or secret_value(key, value):
                    continue
                if ins.keyword == "ARG" and not looks_like_literal_secret(value):
                    args.append((ins, key))
                elif ins.keyword == "ENV" and _REF.search(value):
                    yield Hit(
                        ins.line_of(re.escape(key)),
                        ins.column,
                        f"ENV {key} is set from a variable: its value is stored in the image "
                        "configuration",
                        key=key,
                    )


_KEY_FILE = re.compile(
    r"(?i)(?:^|/)(?:id_(?:rsa|dsa|ecdsa|ed25519)|[^/\s]*\.(?:pem|key|p12|pfx|jks|keystore)"
    r"|\.env(?:\.[a-z]+)?|\.npmrc|\.pypirc|\.netrc|\.git-credentials|credentials(?:\.json)?"
    r"|\.aws|\.ssh|\.docker/config\.json|service[-_]?account[^/\s]*\.json)$"
)


@R(
    make_rule(
        "docker/copied-key-file",
        "Key or credential file copied into the image",
        Severity.HIGH,
        "A private key, .env file or registry/cloud credential file copied into a layer stays "
        "in the image forever, even if a later layer deletes it.",
        "Mount the file only while it is needed with RUN --mount=type=secret, and keep it out "
        "of the build context with .dockerignore.",
        "FROM alpine:3.20@sha256:beefdbd8a1da\nCOPY id_rsa /root/.ssh/id_rsa\nUSER nobody\n",
        "FROM alpine:3.20@sha256:beefdbd8a1da\n"
        "RUN --mount=type=secret,id=deploy_key,target=/root/.ssh/id_rsa \\\n"
        "    git clone git@example.com:o/r\n"
        "USER nobody\n",
        cwe=("CWE-538", "CWE-312"),
    )
)
def copied_key_file(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    for ins in df.instructions:
        if ins.keyword not in ("COPY", "ADD") or ins.heredocs:
            continue
        words = _copy_sources(ins)
        for src in words:
            if _KEY_FILE.search(src.rstrip("/")):
                yield Hit(
                    ins.line, ins.column, f"{ins.keyword} copies {src} into the image", key=src
                )


#: variables whose value is the path of a credentials file, read there by the SDKs
_CREDENTIALS_FILE_VARS = frozenset(
    {
        "GOOGLE_APPLICATION_CREDENTIALS",
        "AWS_SHARED_CREDENTIALS_FILE",
        "AWS_CONFIG_FILE",
        "AZURE_CLIENT_CERTIFICATE_PATH",
        "HF_TOKEN_PATH",
    }
)
_VAR_REF = re.compile(r"^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$")


def _inside(path: str, dest: str, workdir: str) -> bool:
    """``path`` lies in what a COPY to ``dest`` wrote, both taken from ``workdir``. A copy to
    the root holds only relative paths (an absolute one is more likely a run-time mount)."""
    d = posixpath.normpath(posixpath.join(workdir, dest))
    if d == "/" and path.startswith("/"):
        return False
    p = posixpath.normpath(posixpath.join(workdir, path))
    return p == d or p.startswith(d.rstrip("/") + "/")


@R(
    make_rule(
        "docker/credentials-file-in-image",
        "Credentials file copied into the image",
        Severity.HIGH,
        "A variable the cloud SDKs read a credentials file from (GOOGLE_APPLICATION_CREDENTIALS, "
        "AWS_SHARED_CREDENTIALS_FILE ...) points into a directory a COPY or ADD wrote, or a COPY "
        "writes to the path such a variable names: the key file is in a layer, readable by "
        "whoever can pull the image.",
        "Mount the file at run time (a volume or an orchestrator secret), or during the build "
        "with RUN --mount=type=secret, and keep it out of the build context with .dockerignore.",
        "FROM python:3.12-slim@sha256:4f3e1c2ab0aa\nWORKDIR /srv\nCOPY . .\n"
        "ENV GOOGLE_APPLICATION_CREDENTIALS=./service-account.json\nUSER nobody\n",
        "FROM python:3.12-slim@sha256:4f3e1c2ab0aa\nWORKDIR /srv\nCOPY . .\n"
        "ENV GOOGLE_APPLICATION_CREDENTIALS=/run/secrets/service-account.json\nUSER nobody\n",
        cwe=("CWE-538", "CWE-312"),
        confidence=Confidence.MEDIUM,
        references=("https://docs.docker.com/build/building/secrets/",),
    )
)
def credentials_file_in_image(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    """In the stages the image holds (trivy DS031's copied-secret-file cases)."""
    for stage in _image_stages(df):
        workdir = "/"
        dests: list[str] = []
        for ins in stage.instructions:
            if ins.keyword == "WORKDIR":
                wd = (ins.expanded or ins.args).strip().strip("\"'")
                if wd and not wd.startswith("$"):
                    workdir = posixpath.normpath(posixpath.join(workdir, wd))
            elif ins.keyword in ("COPY", "ADD") and "from" not in ins.flags and not ins.heredocs:
                raw = ins.args.split()
                m = _VAR_REF.match(raw[-1].strip("\"'")) if len(raw) >= 2 else None
                if m and m.group(1) in _CREDENTIALS_FILE_VARS:
                    yield Hit(
                        ins.line,
                        ins.column,
                        f"{ins.keyword} writes to ${m.group(1)}, a credentials file",
                        key=m.group(1),
                    )
                    continue
                words = _copy_words(ins)
                if len(words) >= 2:
                    dests.append(posixpath.normpath(posixpath.join(workdir, words[-1])))
            elif ins.keyword in ("ENV", "ARG"):
                for key, value in parse_pairs(ins.args):
                    path = value.strip().strip("\"'")
                    if key not in _CREDENTIALS_FILE_VARS or not path or "$" in path:
                        continue
                    if any(_inside(path, d, workdir) for d in dests):
                        yield Hit(
                            ins.line_of(re.escape(key)),
                            ins.column,
                            f"{ins.keyword} {key} points into a directory a COPY wrote: "
                            "the credentials file is in the image",
                            key=key,
                        )


def _copy_words(ins: Instruction) -> list[str]:
    """The sources and the destination of a COPY or ADD (JSON or shell form, unquoted)."""
    text = (ins.expanded or ins.args).strip()
    if text.startswith("["):
        import json

        try:
            items = json.loads(text)
        except (ValueError, RecursionError):
            items = []
        return [str(x) for x in items] if isinstance(items, list) else []
    return [w[1:-1] if len(w) > 1 and w[0] == w[-1] and w[0] in "\"'" else w for w in text.split()]


def _copy_sources(ins: Instruction) -> list[str]:
    words = _copy_words(ins)
    return words[:-1] if len(words) >= 2 else []


def _ignores(patterns: tuple[str, ...], name: str) -> bool:
    for pat in patterns:
        p = pat.strip()
        if not p or p.startswith("#") or p.startswith("!"):
            continue
        p = p.lstrip("/").rstrip("/")
        if p in (name, "**/" + name, "*", "**") or (
            p.startswith(name) and p[len(name) :] in ("*",)
        ):
            return True
        if p.endswith("*") and name.startswith(p[:-1]) and "/" not in p:
            return True
    return False


@R(
    make_rule(
        "docker/copy-all-without-dockerignore",
        "Whole build context copied without a .dockerignore that excludes .git and .env",
        Severity.MEDIUM,
        "`COPY . .` copies everything in the build context. Without a .dockerignore that "
        "excludes `.git` and `.env`, the repository history and local secrets end up in a layer.",
        "Add a .dockerignore excluding .git, .env and other local files, or copy only the "
        "paths the image needs.",
        "FROM python:3.12-slim@sha256:4f3e1c2ab0aa\nWORKDIR /app\nCOPY . .\nUSER nobody\n",
        "FROM python:3.12-slim@sha256:4f3e1c2ab0aa\nWORKDIR /app\nCOPY src/ ./src/\nUSER nobody\n",
        cwe=("CWE-538",),
        references=("https://docs.docker.com/build/concepts/context/#dockerignore-files",),
    )
)
def copy_all(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    patterns = ctx.dockerignore
    if patterns is not None and _ignores(patterns, ".git") and _ignores(patterns, ".env"):
        return
    for ins in df.instructions:
        if ins.keyword not in ("COPY", "ADD") or "from" in ins.flags:
            continue
        if any(s in (".", "./", "*", "./*") for s in _copy_sources(ins)):
            missing = "no .dockerignore" if patterns is None else ".dockerignore misses .git/.env"
            yield Hit(ins.line, ins.column, f"{ins.keyword} copies the whole context ({missing})")


@R(
    make_rule(
        "docker/sudo",
        "sudo used in a RUN instruction",
        Severity.MEDIUM,
        "sudo in a Dockerfile means the image ships sudo and a user allowed to use it, which "
        "turns any code execution as that user into root; RUN already runs as the current USER.",
        "Run privileged steps before USER switches to the unprivileged user; do not install sudo.",
        "FROM debian:12@sha256:b8084b1a576c\nUSER app\nRUN sudo apt-get update\n",
        "FROM debian:12@sha256:b8084b1a576c\nRUN apt-get update\nUSER app\n",
        cwe=("CWE-250",),
    )
)
def sudo(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    pat = re.compile(r"(?:^|[;&|(]\s*|\s)sudo\s")
    yield from _runs_matching(df, pat)


@R(
    make_rule(
        "docker/run-security-insecure",
        "RUN with --security=insecure (a privileged build step)",
        Severity.HIGH,
        "RUN --security=insecure runs the step without the build sandbox, as a privileged "
        "container: every capability, the host's devices, no seccomp or AppArmor. A script or "
        "package that step fetches owns the build host (the CI runner and its credentials). "
        "BuildKit only runs it when the builder grants the security.insecure entitlement, so a "
        "build that passes has granted it.",
        "Remove --security=insecure; do the privileged work (mounts, loop devices, kernel "
        "modules) outside the image build, or in a dedicated, isolated builder.",
        "FROM alpine:3.20@sha256:beefdbd8a1da\nRUN --security=insecure mount -t tmpfs none /mnt\n"
        "USER nobody\n",
        "FROM alpine:3.20@sha256:beefdbd8a1da\nRUN --security=sandbox apk add --no-cache tini\n"
        "USER nobody\n",
        cwe=("CWE-250",),
        references=(
            "https://docs.docker.com/reference/dockerfile/#run---security",
            "https://docs.docker.com/build/buildkit/configure/#allow-insecure-entitlements",
        ),
    )
)
def run_security_insecure(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    """Every stage: a build step runs on the build host whether or not the image keeps it."""
    for ins in _runs(df):
        if ins.flags.get("security", "").lower() == "insecure":
            yield Hit(ins.line_of(re.compile(r"--security=")), ins.column)


@R(
    make_rule(
        "docker/chmod-777",
        "World-writable permissions (chmod 777, o+w, COPY/ADD --chmod)",
        Severity.MEDIUM,
        "Files made writable by everyone can be replaced by any process in the container, "
        "including a compromised unprivileged one, to gain code execution as another user. "
        "Any mode whose last digit has the write bit (2, 3, 6, 7: 666, 0776, 002), a symbolic "
        "o+w or a+w, in a RUN chmod or a COPY/ADD --chmod, gives everyone write access; a "
        "directory with the sticky bit (1777, like /tmp) is left alone.",
        "Grant the least permissions needed (e.g. 755 for directories, 644 for files) and "
        "set ownership with COPY --chown.",
        "FROM alpine:3.20@sha256:beefdbd8a1da\nRUN chmod -R 777 /app\n"
        "COPY --chmod=666 app.conf /etc/app.conf\nUSER nobody\n",
        "FROM alpine:3.20@sha256:beefdbd8a1da\nRUN chmod -R 755 /app\n"
        "COPY --chmod=644 app.conf /etc/app.conf\nUSER nobody\n",
        cwe=("CWE-732",),
    )
)
def chmod_777(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    for ins in df.instructions:
        if ins.keyword in ("COPY", "ADD") and "chmod" in ins.flags:
            if _world_writable(ins.flags["chmod"]):
                yield Hit(ins.line_of(re.compile(r"--chmod=")), ins.column)
        elif ins.keyword == "RUN":
            for m in _CHMOD.finditer(ins.text):
                if _world_writable(m.group(1)):
                    yield Hit(ins.line_at(m.start()))
                    break


#: ``chmod [-R] MODE``: the mode word after the options
_CHMOD = re.compile(r"\bchmod\s+(?:--?[A-Za-z-]+\s+)*([0-7]{3,5}|[ugoa]*[+=-][^\s]*)(?=\s|$)")


def _world_writable(mode: str) -> bool:
    """Whether a chmod mode (octal, or symbolic clauses) gives "others" write access; an
    octal mode with the sticky bit (1777) is a shared directory such as /tmp."""
    mode = mode.strip().strip("\"'")
    if re.fullmatch(r"[0-7]{3,5}", mode):
        digits = mode[-4:] if len(mode) >= 4 else mode
        if len(digits) == 4 and int(digits[0]) & 1:
            return False
        return mode[-1] in "2367"
    for clause in mode.split(","):
        m = re.fullmatch(r"([ugoa]*)([+=])([rwxXst]*)", clause)
        if m and "w" in m.group(3) and ("o" in m.group(1) or "a" in m.group(1)):
            return True
    return False


@R(
    make_rule(
        "docker/run-network-host",
        "RUN with --network=host (a build step on the host's network)",
        Severity.MEDIUM,
        "RUN --network=host runs the step in the build host's network namespace: it reaches "
        "whatever listens on the host's loopback and private addresses (a CI runner's Docker "
        "socket over TCP, local registries and databases, the cloud metadata endpoint and the "
        "runner's credentials behind it), beside the isolation a build step normally has. "
        "BuildKit only runs it when the builder grants the network.host entitlement, so a "
        "build that passes has granted it.",
        "Remove --network=host; fetch what the step needs over the default network, or pass "
        "it in as a build context or secret.",
        "FROM alpine:3.20@sha256:beefdbd8a1da\nRUN --network=host wget -O /tmp/a.tgz "
        "http://127.0.0.1:8080/a.tgz\nUSER nobody\n",
        "FROM alpine:3.20@sha256:beefdbd8a1da\nRUN --network=none make\nUSER nobody\n",
        cwe=("CWE-653",),
        references=(
            "https://docs.docker.com/reference/dockerfile/#run---network",
            "https://docs.docker.com/build/buildkit/configure/#allow-insecure-entitlements",
        ),
    )
)
def run_network_host(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    """Every stage: a build step runs on the build host whether or not the image keeps it."""
    for ins in _runs(df):
        if ins.flags.get("network", "").lower() == "host":
            yield Hit(ins.line_of(re.compile(r"--network=")), ins.column)


#: commands that write a new private key: ssh-keygen in generation mode, openssl's key and
#: self-signed certificate commands, keytool -genkey(pair)
_KEYGEN = PerCommand(
    (r"\bssh-keygen\b", r"\bssh-keygen\b(?![^;&|\n]*\s-[lyFRLYHK]\b)[^;&|\n]*\s-[tfbNA]\b"),
    (None, r"\bopenssl\s+(?:genrsa|genpkey|gendsa)"),
    (r"\bopenssl\s+ecparam\b", r"\bopenssl\s+ecparam\b[^;&|\n]*-genkey"),
    (r"\bopenssl\s+req\b", r"\bopenssl\s+req\b[^;&|\n]*\s-(?:newkey|keyout)\b"),
    (r"\bkeytool\b", r"\bkeytool\b[^;&|\n]*\s-genkey(?:pair)?\b"),
)


@R(
    make_rule(
        "docker/key-generated-in-image",
        "Private key generated while building the image",
        Severity.MEDIUM,
        "A key pair made by a RUN (ssh-keygen, openssl genrsa/req -newkey, keytool -genkey) "
        "is stored in the image layer: everyone who can pull the image holds the private key, "
        "and every container started from it shares the same key, which no rotation reaches.",
        "Generate keys when the container starts (an entrypoint script, an init container) or "
        "mount them as secrets; in a multi-stage build, keep the key in a stage the final "
        "image does not copy it from.",
        "FROM debian:12@sha256:b8084b1a576c\n"
        "RUN ssh-keygen -t ed25519 -N '' -f /etc/ssh/ssh_host_ed25519_key\nUSER nobody\n",
        "FROM debian:12@sha256:b8084b1a576c\n"
        'COPY entrypoint.sh /entrypoint.sh\nUSER nobody\nENTRYPOINT ["/entrypoint.sh"]\n',
        cwe=("CWE-321", "CWE-538"),
        references=("https://docs.docker.com/build/building/secrets/",),
        confidence=Confidence.MEDIUM,
    )
)
def key_generated_in_image(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    """The image's stages only: a key made in a builder stage stays out of the image."""
    for st in _image_stages(df):
        for ins in _runs(df, st):
            m = _KEYGEN.search(ins.text)
            if m:
                yield Hit(ins.line_at(m.start()))


@R(
    make_rule(
        "docker/ssh-port-exposed",
        "SSH port exposed",
        Severity.MEDIUM,
        "EXPOSE 22 means an SSH server runs in the container: another way in, with keys or "
        "passwords to manage, and a sign the container is treated like a VM.",
        "Do not run sshd in containers; use `docker exec` / `kubectl exec` for debugging.",
        "FROM ubuntu:24.04@sha256:2e863c44b718\nEXPOSE 22 8080\nUSER nobody\n",
        "FROM ubuntu:24.04@sha256:2e863c44b718\nEXPOSE 8080\nUSER nobody\n",
        cwe=("CWE-284",),
    )
)
def ssh_port(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    for ins in df.instructions:
        if ins.keyword == "EXPOSE" and any(22 in r and p == "tcp" for r, p in _exposed(ins)):
            yield Hit(ins.line, ins.column)


def _exposed(ins: Instruction) -> Iterator[tuple[range, str]]:
    """The port ranges an EXPOSE names (``22``, ``22/tcp``, ``20-25``), with the protocol."""
    for word in (ins.expanded or ins.args).split():
        port, _, proto = word.partition("/")
        m = re.fullmatch(r"(\d{1,5})(?:-(\d{1,5}))?", port)
        if m:
            lo = int(m.group(1))
            yield range(lo, int(m.group(2) or lo) + 1), proto.lower() or "tcp"


#: remote administration services other than SSH, by port
_ADMIN_PORTS = {23: "Telnet", 3389: "RDP", 5800: "VNC (HTTP)", 5900: "VNC"}


@R(
    make_rule(
        "docker/remote-admin-port-exposed",
        "Remote administration port exposed (Telnet, RDP, VNC)",
        Severity.MEDIUM,
        "EXPOSE 23, 3389, 5800 or 5900 means the image runs a Telnet, remote desktop or VNC "
        "server: an interactive way in beside the application, Telnet in plain text, with "
        "passwords to manage, as `docker/ssh-port-exposed` says of SSH.",
        "Do not run remote-desktop or Telnet servers in containers; use `docker exec` / "
        "`kubectl exec` for debugging.",
        "FROM ubuntu:24.04@sha256:2e863c44b718\nEXPOSE 5900 8080\nUSER nobody\n",
        "FROM ubuntu:24.04@sha256:2e863c44b718\nEXPOSE 8080\nUSER nobody\n",
        cwe=("CWE-284",),
    )
)
def remote_admin_port(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    for ins in df.instructions:
        if ins.keyword != "EXPOSE":
            continue
        names = sorted(
            {
                name
                for r, proto in _exposed(ins)
                for port, name in _ADMIN_PORTS.items()
                if port in r and (proto == "tcp" or port == 3389)
            }
        )
        if names:
            yield Hit(ins.line, ins.column, f"EXPOSE opens {', '.join(names)}")


_APT_INSTALL = re.compile(r"\bapt(?:-get)?\s+(?:-\S+\s+)*install\b")


@R(
    make_rule(
        "docker/apt-lists-not-removed",
        "apt package lists left in the image",
        Severity.LOW,
        "`apt-get install` without removing /var/lib/apt/lists in the same RUN leaves package "
        "indexes in the layer: a bigger image with more to scan, and stale metadata.",
        "End the RUN with `&& rm -rf /var/lib/apt/lists/*`, or use a cache mount "
        "(RUN --mount=type=cache,target=/var/lib/apt).",
        "FROM debian:12@sha256:b8084b1a576c\n"
        "RUN apt-get update && apt-get install -y --no-install-recommends curl\nUSER nobody\n",
        "FROM debian:12@sha256:b8084b1a576c\n"
        "RUN apt-get update && apt-get install -y --no-install-recommends curl \\\n"
        "    && rm -rf /var/lib/apt/lists/*\nUSER nobody\n",
        cwe=("CWE-1104",),
        confidence=Confidence.MEDIUM,
    )
)
def apt_lists(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    # only the stages the image holds: a builder stage's lists are not in the image
    held = {id(st) for st in _image_stages(df)}
    for ins in (i for st in df.stages if id(st) in held for i in _runs(df, st)):
        m = _APT_INSTALL.search(ins.text)
        if (
            m
            and "/var/lib/apt/lists" not in ins.text
            and "type=cache" not in ins.flags.get("mount", "")
        ):
            yield Hit(ins.line_at(m.start()))


@R(
    make_rule(
        "docker/apt-install-recommends",
        "apt-get install without --no-install-recommends",
        Severity.LOW,
        "Recommended packages are installed too: more software in the image, a larger attack "
        "surface and more vulnerabilities to patch.",
        "Add --no-install-recommends to apt-get install.",
        "FROM debian:12@sha256:b8084b1a576c\n"
        "RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"
        "USER nobody\n",
        "FROM debian:12@sha256:b8084b1a576c\n"
        "RUN apt-get update && apt-get install -y --no-install-recommends curl \\\n"
        "    && rm -rf /var/lib/apt/lists/*\nUSER nobody\n",
        confidence=Confidence.MEDIUM,
    )
)
def apt_recommends(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    pat = re.compile(r"\bapt-get\s+(?:-\S+\s+)*install\b[^;&|\n]*")
    for ins in _runs(df):
        for m in pat.finditer(ins.text):
            if (
                "--no-install-recommends" not in m.group(0)
                and "--no-install-recommends"
                not in (ins.text[: m.start()].rsplit("apt-get", 1)[-1])
            ):
                yield Hit(ins.line_at(m.start()))
                break


@R(
    make_rule(
        "docker/pip-cache",
        "pip install keeps its download cache",
        Severity.LOW,
        "pip's cache stays in the layer: a larger image and downloaded archives nobody needs "
        "at run time.",
        "Use `pip install --no-cache-dir`, or a cache mount (RUN --mount=type=cache,"
        "target=/root/.cache/pip).",
        "FROM python:3.12-slim@sha256:4f3e1c2ab0aa\nRUN pip install -r requirements.txt\n"
        "USER nobody\n",
        "FROM python:3.12-slim@sha256:4f3e1c2ab0aa\n"
        "RUN pip install --no-cache-dir -r requirements.txt\nUSER nobody\n",
        confidence=Confidence.MEDIUM,
    )
)
def pip_cache(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    pat = re.compile(r"\bpip3?\s+install\b[^;&|\n]*")
    for ins in _runs(df):
        if "type=cache" in ins.flags.get("mount", "") or "PIP_NO_CACHE_DIR" in ins.text:
            continue
        if any(
            "PIP_NO_CACHE_DIR" in i.args for i in df.instructions if i.keyword in ("ENV", "ARG")
        ):
            return
        for m in pat.finditer(ins.text):
            if "--no-cache-dir" not in m.group(0):
                yield Hit(ins.line_at(m.start()))
                break


@R(
    make_rule(
        "docker/apk-cache",
        "apk add keeps its package cache",
        Severity.LOW,
        "`apk add` without --no-cache leaves the package index and cache in the layer.",
        "Use `apk add --no-cache ...`.",
        "FROM alpine:3.20@sha256:beefdbd8a1da\nRUN apk update && apk add curl\nUSER nobody\n",
        "FROM alpine:3.20@sha256:beefdbd8a1da\nRUN apk add --no-cache curl\nUSER nobody\n",
        confidence=Confidence.MEDIUM,
    )
)
def apk_cache(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    pat = re.compile(r"\bapk\s+(?:-\S+\s+)*add\b[^;&|\n]*")
    for ins in _runs(df):
        for m in pat.finditer(ins.text):
            if "--no-cache" not in m.group(0) and "/var/cache/apk" not in ins.text:
                yield Hit(ins.line_at(m.start()))
                break


_INSTALL_HEAD = r"\b(?:apt-get|apt|apk|yum|dnf|microdnf)\s+(?:-\S+\s+)*(?:install|add)\b"
_BUILD_TOOLS = PerCommand(
    (
        _INSTALL_HEAD,
        _INSTALL_HEAD + r"[^;&|\n]*?"
        r"\s(build-essential|build-base|gcc|g\+\+|make|cmake|clang|git|golang|rustc|cargo"
        r"|python3?-dev|libc6?-dev|musl-dev|autoconf|automake)(?=\s|$|\\)",
    )
)


@R(
    make_rule(
        "docker/build-tools-in-final-stage",
        "Build tools installed in the final stage of a multi-stage build",
        Severity.MEDIUM,
        "The point of a multi-stage build is a final image without compilers and toolchains; "
        "installing them in the final stage hands an attacker who gets in a full build kit.",
        "Install build tools in the builder stage only and COPY --from=builder the artifacts.",
        """
FROM golang:1.23@sha256:a7f2fc0ae16e AS build
RUN go build -o /out/app ./cmd/app
FROM debian:12@sha256:b8084b1a576c
RUN apt-get update && apt-get install -y --no-install-recommends gcc make \\
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/app /app
USER nobody
""",
        """
FROM golang:1.23@sha256:a7f2fc0ae16e AS build
RUN go build -o /out/app ./cmd/app
FROM gcr.io/distroless/static-debian12@sha256:8dd8d3ca2cf2
COPY --from=build /out/app /app
USER nonroot
""",
        cwe=("CWE-1104",),
    )
)
def build_tools(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    final = df.final_stage
    if final is None or len(df.stages) < 2:
        return
    for ins in _runs(df, final):
        m = _BUILD_TOOLS.search(ins.text)
        if m:
            yield Hit(ins.line_at(m.start(1)), message=f"{m.group(1)} installed in the final stage")


@R(
    make_rule(
        "docker/missing-healthcheck",
        "No HEALTHCHECK in the image",
        Severity.INFO,
        "Without a HEALTHCHECK the runtime cannot tell a hung service from a healthy one.",
        "Add a HEALTHCHECK (or define probes in the orchestrator).",
        "FROM nginx:1.27@sha256:4c0fdaa8b634\nUSER nginx\n",
        "FROM nginx:1.27@sha256:4c0fdaa8b634\n"
        "HEALTHCHECK CMD wget -qO- http://127.0.0.1:8080/health || exit 1\nUSER nginx\n",
        confidence=Confidence.LOW,
    )
)
def missing_healthcheck(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    final = df.final_stage
    if final is None or final.unresolved or final.image.lower() == "scratch":
        return
    if not any(i.keyword == "HEALTHCHECK" for i in df.instructions):
        yield Hit(final.from_instruction.line)


_TLS_DISABLED = PerCommand(
    (r"\bcurl\b", r"\bcurl\b[^;&|\n]*\s(?:-k|--insecure|-[a-zA-Z]*k[a-zA-Z]*)(?=\s)"),
    ("GOFLAGS[= ]", r"GOFLAGS[= ][^\n]*-insecure", LINE_END),
    (
        None,
        r"--no-check-certificate|--trusted-host\b|sslVerify\s+false|strict-ssl\s+false"
        r"|NODE_TLS_REJECT_UNAUTHORIZED[= ]\s*[\"']?0|GIT_SSL_NO_VERIFY[= ]\s*[\"']?(?:1|true)"
        r"|PYTHONHTTPSVERIFY[= ]\s*[\"']?0|NPM_CONFIG_STRICT_SSL[= ]\s*[\"']?false"
        r"|PIP_TRUSTED_HOST[= ]|GOINSECURE[= ]|sslverify\s*=\s*(?:0|false)",
    ),
)


@R(
    make_rule(
        "docker/tls-verification-disabled",
        "TLS certificate verification disabled in a download",
        Severity.HIGH,
        "`curl -k`, `wget --no-check-certificate`, `pip --trusted-host` or `sslVerify false` "
        "accept any certificate, so anyone on the network path can substitute what is installed.",
        "Keep certificate verification on; install the needed CA certificate instead.",
        "FROM alpine:3.20@sha256:beefdbd8a1da\n"
        "RUN wget --no-check-certificate -O /tmp/t.tgz https://example.com/t.tgz\n"
        "USER nobody\n",
        "FROM alpine:3.20@sha256:beefdbd8a1da\n"
        "RUN wget -O /tmp/t.tgz https://example.com/t.tgz\nUSER nobody\n",
        cwe=("CWE-295",),
    )
)
def tls_disabled(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    pat = _TLS_DISABLED
    for ins in df.instructions:
        if ins.keyword in ("RUN", "ENV"):
            m = pat.search(ins.text)
            if m:
                yield Hit(ins.line_at(m.start()))


@R(
    make_rule(
        "docker/weak-tls-download",
        "Download that forces an outdated TLS or SSL version",
        Severity.MEDIUM,
        "`curl --tls-max 1.0`, `--tlsv1.0`/`--tlsv1.1`, `--sslv3` or `wget "
        "--secure-protocol=TLSv1` let the download run over TLS 1.0/1.1 or SSL, which RFC 8996 "
        "deprecated for known weaknesses (a floor written that low is there because the server "
        "speaks nothing newer): the file installed into the image travels over a protocol an "
        "attacker on the path may break.",
        "Drop the option (curl and wget negotiate TLS 1.2+ by themselves), or use `--tlsv1.2` "
        "/ `--secure-protocol=TLSv1_2`; fetch from a server that supports TLS 1.2 or above.",
        "FROM alpine:3.20@sha256:beefdbd8a1da\n"
        "RUN curl --tls-max 1.1 -fsSLo /tmp/t.tgz https://example.com/t.tgz\nUSER nobody\n",
        "FROM alpine:3.20@sha256:beefdbd8a1da\n"
        "RUN curl --tlsv1.2 -fsSLo /tmp/t.tgz https://example.com/t.tgz\nUSER nobody\n",
        cwe=("CWE-326", "CWE-757"),
        references=("https://www.rfc-editor.org/rfc/rfc8996",),
    )
)
def weak_tls(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    for ins in _runs(df):
        for m in WEAK_TLS.finditer(ins.text):
            yield Hit(ins.line_at(m.start()), key=f"{ins.line}:{m.start()}")


#: ENV settings that switch a framework into its debug or development mode
_DEBUG_NAME = re.compile(r"(?i)^(?:\w*_)?DEBUG$")  # DEBUG, FLASK_DEBUG, DJANGO_DEBUG, APP_DEBUG
_ENV_NAME = re.compile(r"(?i)^(?:\w*_)?ENV(?:IRONMENT)?$")  # NODE_ENV, RAILS_ENV, ASPNETCORE_...
_MODE_NAME = re.compile(r"(?i)^(?:\w*_)?MODE$")  # GIN_MODE, XDEBUG_MODE
_DEV = re.compile(r"(?i)^dev(?:el(?:op(?:ment)?)?)?$")
#: a debugger that listens beyond the container's loopback: Node's inspector, Java's JDWP
_REMOTE_DEBUGGER = re.compile(
    r"--inspect(?:-brk|-wait)?=(?!(?:127\.0\.0\.1|localhost|\[::1\]):)"
    r"(?:\[[^\]\s\"']*\]|[^\s:\"'\[]+):\d+"
    r"|(?:-agentlib:jdwp=|-Xrunjdwp:)(?=[^\s\"']*server=y)(?![^\s\"']*address="
    r"(?:127\.0\.0\.1|localhost):)[^\s\"']*"
)
#: a Dockerfile named for development (``Dockerfile.dev``, ``.devcontainer/``, ``dev/``)
_DEV_NAME = frozenset({"dev", "develop", "development", "debug", "local", ".devcontainer"})


def debug_setting(key: str, value: str) -> str:
    """What an ENV ``key=value`` turns on, or ""."""
    v = value.strip().strip("'\"")
    if _DEBUG_NAME.match(key) and v.lower() in ("1", "true", "yes", "on"):
        return "debug mode"
    if _ENV_NAME.match(key) and _DEV.match(v):
        return "the development environment"
    if _MODE_NAME.match(key) and "debug" in v.lower().split(","):
        return "debug mode"
    if _REMOTE_DEBUGGER.search(value):
        return "a remote debugger"
    return ""


def _named_for_development(path: str) -> bool:
    parts = [p.lower() for p in path.split("/")]
    words = {w for w in re.split(r"[._-]", parts[-1]) if w} if parts else set()
    return bool(words & _DEV_NAME) or any(p in _DEV_NAME for p in parts[:-1])


@R(
    make_rule(
        "docker/debug-mode-env",
        "Image built with a debug or development mode switched on",
        Severity.MEDIUM,
        "An ENV such as `FLASK_DEBUG=1`, `DEBUG=true`, `NODE_ENV=development`, "
        "`ASPNETCORE_ENVIRONMENT=Development`, `GIN_MODE=debug` or a Node inspector / Java "
        "debugger listening beyond loopback ships in the image and holds in every container "
        "started from it: debug pages print stack traces, settings and secrets, and the "
        "Werkzeug console, the Node inspector and JDWP run code for whoever reaches them.",
        "Leave debug settings out of the image (default them off), and switch them on only "
        "in a development image (`Dockerfile.dev`) or at run time on a developer's machine.",
        "FROM python:3.12-slim@sha256:4f3e1c2ab0aa\nENV FLASK_DEBUG=1\nUSER nobody\n",
        "FROM python:3.12-slim@sha256:4f3e1c2ab0aa\nENV FLASK_DEBUG=0\nUSER nobody\n",
        cwe=("CWE-489", "CWE-215"),
        references=("https://flask.palletsprojects.com/en/stable/debugging/",),
        confidence=Confidence.MEDIUM,
    )
)
def debug_env(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    """ENV settings in the stages the image holds; not in a Dockerfile named for
    development (its name says what it is for)."""
    if _named_for_development(ctx.path):
        return
    for stage in _image_stages(df):
        for ins in stage.instructions:
            if ins.keyword != "ENV":
                continue
            for key, value in parse_pairs(ins.args):
                what = debug_setting(key, value)
                if what:
                    yield Hit(
                        ins.line_of(re.escape(key)),
                        ins.column,
                        f"ENV {key} turns on {what} in the image",
                        key=key,
                    )


_LOCAL = r"localhost|127\.0\.0\.1|\[::1\]|169\.254\.169\.254"
_PLAIN_HTTP = PerCommand(
    # a URL may be quoted, or an argument of the exec form (RUN ["curl", "http://..."])
    (r"\b(?:curl|wget)\b", r"\b(?:curl|wget)\b[^;&|\n]*\s[\"']?http://(?!" + _LOCAL + ")"),
    (None, r"^\s*(?:--[a-z-]+(?:=\S*)?\s+)*\[?\s*[\"']?http://(?!" + _LOCAL + ")"),
)


@R(
    make_rule(
        "docker/plain-http-download",
        "Download over plain HTTP",
        Severity.MEDIUM,
        "Files fetched over http:// can be replaced by anyone on the network path.",
        "Use https:// and verify a checksum.",
        "FROM alpine:3.20@sha256:beefdbd8a1da\n"
        "RUN wget -O /tmp/t.tgz http://example.com/t.tgz\nUSER nobody\n",
        "FROM alpine:3.20@sha256:beefdbd8a1da\n"
        "RUN wget -O /tmp/t.tgz https://example.com/t.tgz\nUSER nobody\n",
        cwe=("CWE-319", "CWE-494"),
    )
)
def plain_http(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    pat = _PLAIN_HTTP
    for ins in df.instructions:
        target = ins.text if ins.keyword == "RUN" else ins.args if ins.keyword == "ADD" else ""
        m = pat.search(target) if target else None
        if m:
            yield Hit(ins.line_at(m.start()) if ins.keyword == "RUN" else ins.line)


@R(
    make_rule(
        "docker/package-signature-check-disabled",
        "Package signature verification disabled",
        Severity.HIGH,
        "`--nogpgcheck`, `--allow-unauthenticated` or `--allow-untrusted` install packages "
        "whose signatures were not checked: a tampered mirror installs anything it wants.",
        "Remove the flag and import the repository's signing key instead.",
        "FROM rockylinux:9@sha256:d7be1c094cc5\nRUN dnf install -y --nogpgcheck vendor-tool\n"
        "USER nobody\n",
        "FROM rockylinux:9@sha256:d7be1c094cc5\nRUN dnf install -y vendor-tool\nUSER nobody\n",
        cwe=("CWE-347",),
    )
)
def signature_disabled(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    pat = re.compile(
        r"--nogpgcheck|--allow-unauthenticated|--allow-untrusted|gpgcheck=0|--nosignature"
        r"|AllowUnauthenticated\s+(?:\"?true\"?)|--force-yes"
    )
    yield from _runs_matching(df, pat)


@R(
    make_rule(
        "docker/add-local-file",
        "ADD used to copy local files",
        Severity.LOW,
        "ADD also extracts archives and fetches URLs; for plain files that magic is a surprise "
        "waiting to happen (an archive gets unpacked instead of copied).",
        "Use COPY for local files and directories.",
        "FROM alpine:3.20@sha256:beefdbd8a1da\nADD app/ /app/\nUSER nobody\n",
        "FROM alpine:3.20@sha256:beefdbd8a1da\nCOPY app/ /app/\nUSER nobody\n",
        confidence=Confidence.MEDIUM,
    )
)
def add_local(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    for ins in df.instructions:
        if ins.keyword != "ADD" or ins.heredocs:
            continue
        srcs = _copy_sources(ins)
        if srcs and not any(
            re.match(r"(?i)(?:https?|ftp|git)://|git@", s)
            or re.search(r"\.(?:tar|tgz|tar\.\w+|txz|tbz2?)$", s)
            for s in srcs
        ):
            yield Hit(ins.line, ins.column)


@R(
    make_rule(
        "docker/relative-workdir",
        "WORKDIR with a relative path",
        Severity.INFO,
        "A relative WORKDIR depends on every earlier WORKDIR; a change upstream silently "
        "moves where files land and which permissions apply.",
        "Use absolute paths in WORKDIR.",
        "FROM alpine:3.20@sha256:beefdbd8a1da\nWORKDIR app\nUSER nobody\n",
        "FROM alpine:3.20@sha256:beefdbd8a1da\nWORKDIR /app\nUSER nobody\n",
        confidence=Confidence.MEDIUM,
    )
)
def relative_workdir(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    for ins in df.instructions:
        if ins.keyword == "WORKDIR":
            path = (ins.expanded or ins.args).strip().strip("\"'")
            if path and not path.startswith(("/", "$")) and not re.match(r"[A-Za-z]:[\\/]", path):
                yield Hit(ins.line, ins.column)


@R(
    make_rule(
        "docker/secret-in-run",
        "Credential passed on a RUN command line",
        Severity.HIGH,
        "Arguments of RUN are stored in the image history: a password or token given on the "
        "command line (`--password`, `-p`, `https://user:token@host`) is readable by anyone "
        "who can pull the image.",
        "Use build secrets: RUN --mount=type=secret,id=token TOKEN=$(cat /run/secrets/token) ...",
        "FROM alpine:3.20@sha256:beefdbd8a1da\n"
        "RUN git clone https://deploy:" + "gQ7w" + "Zp2Lx9@git.example.com/o/r.git\n"
        "USER nobody\n",
        "FROM alpine:3.20@sha256:beefdbd8a1da\n"
        "RUN --mount=type=secret,id=git_token git clone https://git.example.com/o/r.git\n"
        "USER nobody\n",
        cwe=("CWE-798", "CWE-538"),
        tags=("iac", "secret"),
    )
)
def secret_in_run(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    pat = re.compile(
        r"(?i)(?:--password[= ]|--token[= ]|--api-key[= ])([^\s$'\"]{6,})"
        r"|[a-z][a-z0-9+.-]*://[^\s:/@$]+:([^\s@/$]{6,})@"
    )
    for ins in _runs(df):
        m = pat.search(ins.text)
        if m:
            value = m.group(1) or m.group(2)
            if looks_like_literal_secret(value):
                yield Hit(ins.line_at(m.start()), secret=value)


#: a cloud CLI's login that stores the credential in the user's configuration directory:
#: (pattern, the directory, the group holding a value given on the command line; the head
#: of a pattern that never crosses a command's end, see core.commands.first_per_command)
_CLI_LOGINS = (
    (
        re.compile(
            r"\baws\s+configure\s+set\s+(?:[\w-]+\.)*(?:aws_secret_access_key|aws_session_token)"
            r"\s+(?P<value>\S+)"
        ),
        ".aws",
        None,
    ),
    (
        re.compile(
            r"\bgcloud\s+auth\s+activate-service-account\b[^;&|\n]*?--key-file[= ](?P<value>\S+)"
        ),
        "gcloud",
        re.compile(r"\bgcloud\s+auth\s+activate-service-account\b"),
    ),
    (
        re.compile(
            r"\baz\s+login\b(?=[^;&|\n]*--service-principal)[^;&|\n]*?"
            r"(?:\s-p|--password|--secret)[= ](?P<value>\S+)"
        ),
        ".azure",
        re.compile(r"\baz\s+login\b"),
    ),
)
#: the same RUN takes the stored credential away again, or the directory is not in a layer:
#: a revoke, or ``rm`` with the directory among its operands (after its flags, which may
#: run over a continued line: ``rm -rf \`` / ``/root/.aws``)
_REVOKE = {
    "gcloud": re.compile(r"\bgcloud\s+auth\s+revoke\b"),
    ".azure": re.compile(r"\baz\s+logout\b"),
}
_RM_FLAGS = re.compile(r"\brm(?>\s+)(?>(?:-\S+\s+)*)")
_FOLDER = {
    ".aws": re.compile(r"\.aws\b"),
    "gcloud": re.compile(r"\.config/gcloud\b"),
    ".azure": re.compile(r"\.azure\b"),
}


def _forgotten(folder: str, text: str, pos: int) -> bool:
    """A revoke of the login, or an ``rm`` of its directory, after ``pos``. ``rm``'s flags
    are taken whole and its operands are read to the command's end once per command
    (``\\brm\\s+(?:-\\S+\\s+)*[^;&|\\n]*\\.aws\\b`` split a run of flags quadratically many
    ways and read the rest of the command again from every ``rm``; it also took a flag glued
    to the directory, ``rm -x/.aws``, which this does not)."""
    revoke = _REVOKE.get(folder)
    if revoke is not None and revoke.search(text, pos) is not None:
        return True
    stop = -1
    for h in _RM_FLAGS.finditer(text, pos):
        if h.end() <= stop:  # read by the command's earlier head already
            continue
        end = COMMAND_END.search(text, h.end())
        stop = end.start() if end is not None else len(text)
        if _FOLDER[folder].search(text, h.end(), stop) is not None:
            return True
    return False


@R(
    make_rule(
        "docker/cloud-cli-login-in-run",
        "Cloud CLI credentials stored in an image layer",
        Severity.HIGH,
        "`aws configure set aws_secret_access_key ...`, `gcloud auth activate-service-account "
        "--key-file ...` and `az login --service-principal -p ...` write the credential into "
        "the user's configuration (~/.aws/credentials, ~/.config/gcloud, ~/.azure), which the "
        "RUN stores in the image layer: anyone who can pull the image reads it. A key given "
        "literally is also in the Dockerfile and the image history. Reading the key from a "
        "build secret (`$(cat /run/secrets/key)`) keeps it out of the history but not out of "
        "the configuration file the command writes.",
        "Do not log in at build time: pass the credential to the one command that needs it "
        "as a build secret (RUN --mount=type=secret,id=aws,target=/root/.aws/credentials "
        "aws s3 cp ...), or remove the configuration in the same RUN; at run time use the "
        "platform's identity (instance role, workload identity).",
        "FROM amazon/aws-cli:2.17.0@sha256:9b4e6c1f2a7d\n"
        "RUN --mount=type=secret,id=aws_key "
        "aws configure set aws_access_key_id $(cat /run/secrets/aws_key_id) && "
        "aws configure set aws_secret_access_key $(cat /run/secrets/aws_key) && "
        "aws s3 cp s3://acme-artifacts/app.tgz /opt/app.tgz\nUSER nobody\n",
        "FROM amazon/aws-cli:2.17.0@sha256:9b4e6c1f2a7d\n"
        "RUN --mount=type=secret,id=aws,target=/root/.aws/credentials "
        "aws s3 cp s3://acme-artifacts/app.tgz /opt/app.tgz\nUSER nobody\n",
        cwe=("CWE-522", "CWE-538"),
        references=(
            "https://docs.docker.com/build/building/secrets/",
            "https://docs.aws.amazon.com/cli/latest/reference/configure/set.html",
        ),
    )
)
def cloud_cli_login(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    """A literal credential on a login command line in any stage (it is in the Dockerfile);
    any login of the kind in a stage the image holds (the configuration file is in the
    layer), unless the same RUN removes it again or mounts the directory (tmpfs, secret,
    cache: not stored in the layer)."""
    image = {id(st) for st in _image_stages(df)}
    for stage in df.stages:
        for ins in _runs(df, stage):
            for pat, folder, head in _CLI_LOGINS:
                m = pat.search(ins.text) if head is None else first_per_command(head, pat, ins.text)
                if m is None:
                    continue
                value = m.group("value").strip("\"'")
                literal = not value.startswith(("$", "`", "/", "~", ".")) and (
                    looks_like_literal_secret(value)
                )
                forgotten = _forgotten(folder, ins.text, m.end()) or (
                    folder in ins.flags.get("mount", "")
                )
                if literal:
                    yield Hit(
                        ins.line_at(m.start()),
                        message="a literal credential on a cloud CLI login: in the Dockerfile "
                        "and the image history",
                        secret=value,
                    )
                elif id(stage) in image and not forgotten:
                    yield Hit(
                        ins.line_at(m.start()),
                        message=f"the login writes the credential into ~/{folder} in this "
                        "layer; a build secret read this way is still stored",
                    )
                break


@R(
    make_rule(
        "docker/workdir-under-proc",
        "WORKDIR under /proc",
        Severity.HIGH,
        "A WORKDIR in /proc (`/proc/self/fd/<n>`) is the form of CVE-2024-21626 (runc before "
        "1.1.12, 'Leaky Vessels'): the container starts with its working directory on a file "
        "descriptor runc leaked from the host, and the image escapes to the host's file "
        "system. No image needs a working directory in /proc or /sys.",
        "Use a directory of the image's own file system (WORKDIR /app); upgrade runc to "
        "1.1.12 or later on the hosts.",
        "FROM alpine:3.20@sha256:beefdbd8a1da\nWORKDIR /proc/self/fd/8\nUSER nobody\n",
        "FROM alpine:3.20@sha256:beefdbd8a1da\nWORKDIR /app\nUSER nobody\n",
        cwe=("CWE-403",),
        references=("https://nvd.nist.gov/vuln/detail/CVE-2024-21626",),
    )
)
def workdir_under_proc(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    for ins in df.instructions:
        if ins.keyword != "WORKDIR":
            continue
        path = (ins.expanded or ins.args).strip().strip("\"'")
        if path.startswith("/"):
            norm = posixpath.normpath("/" + path.lstrip("/"))
            if norm in ("/proc", "/sys") or norm.startswith(("/proc/", "/sys/")):
                yield Hit(ins.line, ins.column, f"WORKDIR {norm}")


_BASE = "FROM debian:12@sha256:b8084b1a576c\n"


@R(
    make_rule(
        "docker/maintainer-deprecated",
        "MAINTAINER instruction is deprecated",
        Severity.INFO,
        "MAINTAINER has been deprecated since Docker 1.13; tools read the author from the "
        "org.opencontainers.image.authors label instead.",
        'Replace it with LABEL org.opencontainers.image.authors="team@example.com".',
        _BASE + "MAINTAINER team@example.com\nUSER nobody\n",
        _BASE + 'LABEL org.opencontainers.image.authors="team@example.com"\nUSER nobody\n',
        references=(BEST,),
    )
)
def maintainer(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    for ins in df.instructions:
        if ins.keyword == "MAINTAINER":
            yield Hit(ins.line, ins.column)


_UPDATE = re.compile(r"\b(?:apt-get|apt|apk|yum|dnf|zypper)\s+(?:-\S+\s+)*(?:update|refresh)\b")
_INSTALL = re.compile(r"\b(?:install|add|upgrade|dist-upgrade|in)\b")


@R(
    make_rule(
        "docker/package-update-alone",
        "Package index updated in a RUN of its own",
        Severity.MEDIUM,
        "`apt-get update` alone in a RUN is cached as a layer: later builds reuse the stale index "
        "and install outdated packages (without the security fixes published since the layer "
        "was built), or fail, when the install line changes. Medium, unlike the lint checks: "
        "the cost is missed security updates, not image size (trivy DS017: high, KICS "
        "'Update Instruction Alone': medium).",
        "Update and install in the same RUN: apt-get update && apt-get install -y ...",
        _BASE + "RUN apt-get update\nRUN apt-get install -y --no-install-recommends curl \\\n"
        "    && rm -rf /var/lib/apt/lists/*\nUSER nobody\n",
        _BASE + "RUN apt-get update && apt-get install -y --no-install-recommends curl \\\n"
        "    && rm -rf /var/lib/apt/lists/*\nUSER nobody\n",
        cwe=("CWE-1104",),
        references=(BEST + "#apt-get",),
    )
)
def update_alone(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    for ins in _runs(df):
        m = _UPDATE.search(ins.text)
        if m and not _INSTALL.search(ins.text[m.end() :]):
            yield Hit(ins.line_at(m.start()))


@R(
    make_rule(
        "docker/apt-cli",
        "apt used in a Dockerfile instead of apt-get",
        Severity.INFO,
        "apt's command-line interface is meant for people and warns that it is not stable "
        "for scripts; apt-get is.",
        "Use apt-get (or apt-cache).",
        _BASE + "RUN apt update && apt install -y --no-install-recommends curl \\\n"
        "    && rm -rf /var/lib/apt/lists/*\nUSER nobody\n",
        _BASE + "RUN apt-get update && apt-get install -y --no-install-recommends curl \\\n"
        "    && rm -rf /var/lib/apt/lists/*\nUSER nobody\n",
    )
)
def apt_cli(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    pat = re.compile(
        r"(?:^|[;&|]\s*|\bsudo\s+)apt\s+(?:-\S+\s+)*(?:install|update|upgrade|remove)\b"
    )
    yield from _runs_matching(df, pat)


@R(
    make_rule(
        "docker/duplicate-stage-name",
        "Two build stages share a name",
        Severity.INFO,
        "COPY --from and FROM refer to a stage by name; with two stages of one name the later "
        "silently wins, so a build can take files from the wrong stage.",
        "Give every stage a unique name.",
        "FROM golang:1.23@sha256:aa11 AS build\nRUN go build -o /app .\n"
        "FROM golang:1.23@sha256:aa11 AS build\nRUN go vet ./...\n"
        "FROM gcr.io/distroless/static:nonroot@sha256:bb22\nCOPY --from=build /app /app\n",
        "FROM golang:1.23@sha256:aa11 AS build\nRUN go build -o /app .\n"
        "FROM golang:1.23@sha256:aa11 AS lint\nRUN go vet ./...\n"
        "FROM gcr.io/distroless/static:nonroot@sha256:bb22\nCOPY --from=build /app /app\n",
    )
)
def duplicate_stage(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    seen: set[str] = set()
    for st in df.stages:
        name = st.name.lower()
        if name and name in seen:
            yield Hit(
                st.from_instruction.line, st.from_instruction.column, f"Stage name {st.name} reused"
            )
        seen.add(name)


@R(
    make_rule(
        "docker/cd-in-run",
        "cd inside RUN instead of WORKDIR",
        Severity.INFO,
        "`RUN cd /dir && ...` hides the working directory from the next instructions and from "
        "readers; WORKDIR states it once for the stage.",
        "Use WORKDIR /dir before the RUN.",
        _BASE + "RUN cd /opt/app && make\nUSER nobody\n",
        _BASE + "WORKDIR /opt/app\nRUN make\nUSER nobody\n",
        confidence=Confidence.MEDIUM,
        references=(BEST + "#workdir",),
    )
)
def cd_in_run(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    for ins in _runs(df):
        m = re.match(r"\s*cd\s+\S+\s*(?:&&|;|$)", ins.args)
        if m and not ins.heredocs:
            yield Hit(ins.line, ins.column)


@R(
    make_rule(
        "docker/multiple-cmd",
        "More than one CMD or ENTRYPOINT in a stage",
        Severity.INFO,
        "Only the last CMD and the last ENTRYPOINT of a stage take effect; the earlier ones are "
        "dead code that misleads readers about what the image runs.",
        "Keep one CMD and at most one ENTRYPOINT per stage.",
        _BASE + 'USER nobody\nCMD ["serve"]\nCMD ["serve", "--debug"]\n',
        _BASE + 'USER nobody\nCMD ["serve"]\n',
    )
)
def multiple_cmd(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    for st in df.stages:
        for keyword in ("CMD", "ENTRYPOINT"):
            found = [i for i in st.instructions if i.keyword == keyword]
            for ins in found[:-1]:
                yield Hit(
                    ins.line, ins.column, f"{keyword} overridden later in the stage", key=keyword
                )


@R(
    make_rule(
        "docker/password-set-in-run",
        "Account password set in a RUN instruction",
        Severity.MEDIUM,
        "`echo user:password | chpasswd` stores the password in the image history and gives the "
        "image a known password for that account.",
        "Do not set passwords in images; use key-based access or lock the account.",
        _BASE + "RUN useradd app && echo 'app:" + "s3cr" + "etPw' | chpasswd\nUSER app\n",
        _BASE + "RUN useradd --no-log-init app && passwd -l app\nUSER app\n",
        cwe=("CWE-798", "CWE-1392"),
    )
)
def password_in_run(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    pat = re.compile(r"\b(?:chpasswd\b|passwd\s+--stdin\b)")
    for ins in _runs(df):
        m = pat.search(ins.text)
        if m and ("echo" in ins.text or "printf" in ins.text or "<<<" in ins.text):
            yield Hit(ins.line_at(m.start()))


_PKG_INSTALL = re.compile(
    r"\b(?P<tool>yum|dnf|microdnf|zypper)\s+(?:-\S+\s+)*(?:install|in|groupinstall)\b"
)
_PKG_CLEAN = {
    "yum": re.compile(r"\byum\s+(?:-\S+\s+)*clean\s+all\b|rm\s+-\S*r\S*\s+\S*/var/cache/yum"),
    "dnf": re.compile(r"\bdnf\s+(?:-\S+\s+)*clean\s+all\b|rm\s+-\S*r\S*\s+\S*/var/cache/dnf"),
    "microdnf": re.compile(r"\bmicrodnf\s+(?:-\S+\s+)*clean\s+all\b"),
    "zypper": re.compile(r"\bzypper\s+(?:-\S+\s+)*(?:clean|cc)\b"),
}


@R(
    make_rule(
        "docker/package-cache-not-cleaned",
        "yum, dnf or zypper cache left in the image",
        Severity.LOW,
        "Package managers keep their metadata and downloaded packages in /var/cache; without a "
        "clean in the same RUN they stay in the layer and bloat every pull.",
        "End the RUN with `yum clean all`, `dnf clean all`, `microdnf clean all` or "
        "`zypper clean`.",
        "FROM registry.access.redhat.com/ubi9/ubi:9.4@sha256:5e1c8f1a\n"
        "RUN dnf install -y nginx\nUSER 1001\n",
        "FROM registry.access.redhat.com/ubi9/ubi:9.4@sha256:5e1c8f1a\n"
        "RUN dnf install -y nginx && dnf clean all\nUSER 1001\n",
        confidence=Confidence.MEDIUM,
        references=(BEST,),
    )
)
def package_cache(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    for ins in _runs(df):
        for m in _PKG_INSTALL.finditer(ins.text):
            if not _PKG_CLEAN[m.group("tool")].search(ins.text):
                yield Hit(ins.line_at(m.start()), message=f"{m.group('tool')} cache not cleaned")
                break


_APT_INSTALL = re.compile(r"\bapt-get\s+(?P<opts>(?:-\S+\s+)*)install\b(?P<rest>[^;&|\n]*)")


@R(
    make_rule(
        "docker/apt-get-no-yes",
        "apt-get install without -y",
        Severity.INFO,
        "Without -y apt-get asks for confirmation; in a build nobody answers, so the install "
        "aborts (or depends on a tool default).",
        "Use `apt-get install -y ...`.",
        _BASE + "RUN apt-get update && apt-get install --no-install-recommends curl\nUSER nobody\n",
        _BASE + "RUN apt-get update && apt-get install -y --no-install-recommends curl\n"
        "USER nobody\n",
        confidence=Confidence.MEDIUM,
    )
)
def apt_get_no_yes(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    yes = re.compile(
        r"(?:^|\s)(?:-[a-zA-Z]*y[a-zA-Z]*|--yes|--assume-yes|-qq|--quiet=2|-q=2)(?=\s|$)"
    )
    for ins, m in _installs_without(df, _APT_INSTALL, yes):
        yield Hit(ins.line_at(m.start()))


def _installs_without(
    df: Dockerfile, install: re.Pattern[str], yes: re.Pattern[str]
) -> Iterator[tuple[Instruction, re.Match[str]]]:
    """The first install command of each RUN whose options (``opts``, ``rest``) lack ``yes``
    (a RUN that pipes `yes` into the tool answers for it)."""
    for ins in _runs(df):
        if re.search(r"\byes\s*\|", ins.text):
            continue
        for m in install.finditer(ins.text):
            if not yes.search(" " + m.group("opts") + m.group("rest")):
                yield ins, m
                break


@R(
    make_rule(
        "docker/copy-from-own-stage",
        "COPY --from names the stage it is in",
        Severity.LOW,
        "A stage cannot copy from itself: the build fails, or picks an image of that name from a "
        "registry instead of the intended stage.",
        "Name the earlier stage that holds the files.",
        "FROM golang:1.23@sha256:aa11 AS build\nCOPY --from=build /src/app /app\n",
        "FROM golang:1.23@sha256:aa11 AS deps\nRUN go mod download\n"
        "FROM golang:1.23@sha256:aa11 AS build\nCOPY --from=deps /go/pkg /go/pkg\n",
    )
)
def copy_from_own_stage(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    for st in df.stages:
        for ins in st.instructions:
            src = ins.flags.get("from", "") if ins.keyword == "COPY" else ""
            if st.name and src.lower() == st.name.lower():
                yield Hit(ins.line, ins.column, f"COPY --from={src} inside stage {st.name}")


@R(
    make_rule(
        "docker/copy-destination-not-directory",
        "COPY of several sources to a destination without a trailing slash",
        Severity.LOW,
        "With more than one source the destination must be a directory ending in /; otherwise "
        "the build fails.",
        "End the destination with /.",
        "FROM node:22.4@sha256:cc33\nWORKDIR /app\nCOPY package.json package-lock.json ./app\n"
        "USER node\n",
        "FROM node:22.4@sha256:cc33\nWORKDIR /app\nCOPY package.json package-lock.json ./\n"
        "USER node\n",
    )
)
def copy_destination(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    for ins in df.instructions:
        if ins.keyword not in ("COPY", "ADD") or ins.heredocs:
            continue
        words = _copy_words(ins)
        if len(words) > 2 and not words[-1].endswith(("/", "\\")) and "$" not in words[-1]:
            yield Hit(
                ins.line, ins.column, f"{ins.keyword} of {len(words) - 1} sources to {words[-1]}"
            )


@R(
    make_rule(
        "docker/multiple-healthcheck",
        "More than one HEALTHCHECK in a stage",
        Severity.INFO,
        "Only the last HEALTHCHECK of a stage takes effect; the earlier ones mislead readers "
        "about how the container is checked.",
        "Keep one HEALTHCHECK per stage.",
        _BASE + "HEALTHCHECK CMD curl -f http://127.0.0.1:8080/\nHEALTHCHECK CMD /bin/health\n"
        "USER nobody\n",
        _BASE + "HEALTHCHECK CMD /bin/health\nUSER nobody\n",
    )
)
def multiple_healthcheck(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    for st in df.stages:
        found = [i for i in st.instructions if i.keyword == "HEALTHCHECK"]
        for ins in found[:-1]:
            yield Hit(ins.line, ins.column, "HEALTHCHECK overridden later in the stage")


@R(
    make_rule(
        "docker/expose-invalid-port",
        "EXPOSE of a port outside 1-65535",
        Severity.LOW,
        "TCP and UDP ports run from 1 to 65535; a larger number is a typo that leaves the real "
        "port undocumented (and fails with some tools).",
        "Expose the port the service listens on.",
        _BASE + "EXPOSE 80800\nUSER nobody\n",
        _BASE + "EXPOSE 8080\nUSER nobody\n",
    )
)
def expose_invalid(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    for ins in df.instructions:
        if ins.keyword != "EXPOSE":
            continue
        for word in (ins.expanded or ins.args).split():
            lo, _, hi = word.split("/", 1)[0].partition("-")
            for part in (lo, hi):
                if part.isdigit() and not 1 <= int(part) <= 65535:
                    yield Hit(ins.line, ins.column, f"EXPOSE {word}", key=word)


@R(
    make_rule(
        "docker/apt-dist-upgrade",
        "apt-get dist-upgrade in a Dockerfile",
        Severity.INFO,
        "dist-upgrade may install, remove or replace packages the base image chose (kernels, "
        "libc); the result depends on the day of the build.",
        "Use a newer base image, or upgrade the named packages you need.",
        _BASE + "RUN apt-get update && apt-get dist-upgrade -y\nUSER nobody\n",
        _BASE + "RUN apt-get update && apt-get install -y --only-upgrade openssl\nUSER nobody\n",
        confidence=Confidence.MEDIUM,
    )
)
def apt_dist_upgrade(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    yield from _runs_matching(df, re.compile(r"\bapt-get\s+(?:-\S+\s+)*dist-upgrade\b"))


def _pipefail_shell(st: Stage) -> Iterator[tuple[Instruction, bool]]:
    """Each RUN of a stage with whether its shell stops on a failing pipe stage."""
    safe = False
    for ins in st.instructions:
        if ins.keyword == "SHELL":
            args = ins.args.lower()
            safe = "pipefail" in args or not re.search(r"\b(?:sh|bash|ash|zsh)\b", args)
        elif ins.keyword == "RUN":
            yield ins, safe


@R(
    make_rule(
        "docker/run-pipe-without-pipefail",
        "RUN pipes commands without pipefail",
        Severity.INFO,
        "A shell pipeline's status is its last command's: `curl ... | tar x` succeeds when the "
        "download fails, and the image builds with half its content.",
        'Add `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` or start the RUN with '
        "`set -o pipefail &&`.",
        _BASE + "RUN wget -qO- https://example.org/tool.tar.gz | tar xz -C /opt\nUSER nobody\n",
        _BASE + 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]\n'
        "RUN wget -qO- https://example.org/tool.tar.gz | tar xz -C /opt\nUSER nobody\n",
        confidence=Confidence.MEDIUM,
    )
)
def run_pipefail(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    pipe = re.compile(r"(?<![|\\])\|(?![|&])")
    for st in df.stages:
        for ins, safe in _pipefail_shell(st):
            if safe or ins.args.lstrip().startswith("[") or "pipefail" in ins.text:
                continue
            m = pipe.search(ins.args)
            if m:
                yield Hit(ins.line, ins.column)


@R(
    make_rule(
        "docker/wget-and-curl",
        "Both wget and curl used",
        Severity.INFO,
        "Two download tools where one would do: both end up in the image and the build "
        "depends on the behaviour of each.",
        "Use one of them throughout the Dockerfile.",
        _BASE + "RUN wget -q https://example.org/a.tgz\nRUN curl -fsSLO https://example.org/b.tgz\n"
        "USER nobody\n",
        _BASE
        + "RUN curl -fsSLO https://example.org/a.tgz\nRUN curl -fsSLO https://example.org/b.tgz\n"
        "USER nobody\n",
        confidence=Confidence.MEDIUM,
    )
)
def wget_and_curl(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    wget = [i for i in _runs(df) if re.search(r"(?:^|[\s;&|(])wget\s", i.text)]
    if wget and any(re.search(r"(?:^|[\s;&|(])curl\s", i.text) for i in _runs(df)):
        yield Hit(wget[0].line, wget[0].column)


# yum/dnf/microdnf take -y (or --assumeyes); zypper takes -y/--no-confirm after install, or
# -n/--non-interactive before it
_RPM_INSTALL = re.compile(
    r"\b(?P<tool>yum|dnf|microdnf|zypper)\s+(?P<opts>(?:-\S+\s+)*)"
    r"(?:install|in|groupinstall|localinstall)\b(?P<rest>[^;&|\n]*)"
)
_RPM_YES = re.compile(
    r"(?:^|\s)(?:-[a-zA-Z]*y[a-zA-Z]*|--assumeyes|--no-confirm|-n|--non-interactive)(?=\s|$)"
)


@R(
    make_rule(
        "docker/rpm-install-no-yes",
        "yum, dnf or zypper install without its non-interactive flag",
        Severity.INFO,
        "Without -y (zypper: -n or --no-confirm) the package manager asks for confirmation; in "
        "a build nobody answers, so the install aborts or depends on the tool's defaults.",
        "Use `yum install -y ...`, `dnf install -y ...` or `zypper --non-interactive install ...`.",
        "FROM registry.access.redhat.com/ubi9/ubi:9.4@sha256:cc33\n"
        "RUN yum install httpd && yum clean all\nUSER 1001\n",
        "FROM registry.access.redhat.com/ubi9/ubi:9.4@sha256:cc33\n"
        "RUN yum install -y httpd && yum clean all\nUSER 1001\n",
        confidence=Confidence.MEDIUM,
    )
)
def rpm_install_no_yes(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    for ins, m in _installs_without(df, _RPM_INSTALL, _RPM_YES):
        yield Hit(ins.line_at(m.start()), message=f"{m.group('tool')} install without -y")


@R(
    make_rule(
        "docker/shell-replaced-in-run",
        "RUN replaces /bin/sh instead of using SHELL",
        Severity.LOW,
        "Linking another shell over /bin/sh changes the shell of every later RUN, and of every "
        "script in the image that expects a POSIX sh, without the Dockerfile saying so; the "
        "SHELL instruction changes it for the build only, visibly.",
        'Use `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` instead of replacing /bin/sh.',
        _BASE + "RUN ln -sf /bin/bash /bin/sh\nRUN ./build.sh\nUSER nobody\n",
        _BASE + 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN ./build.sh\nUSER nobody\n',
        references=("https://docs.docker.com/reference/dockerfile/#shell",),
    )
)
def shell_replaced(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    pat = re.compile(r"\bln\s+(?:-\S+\s+)*[^-\s]\S*\s+/bin/sh(?=\s|$|[;&|])")
    yield from _runs_matching(df, pat)


@R(
    make_rule(
        "docker/exec-form-not-json",
        "CMD, ENTRYPOINT or RUN looks like the exec form but is not JSON",
        Severity.LOW,
        "Arguments in brackets are the exec form only when they are a JSON array of "
        "double-quoted strings; `CMD [python, app.py]` is run by /bin/sh as the literal text "
        '"[python, app.py]" and the container fails to start (or runs something else).',
        'Quote every element: `CMD ["python", "app.py"]`.',
        _BASE + "USER nobody\nCMD [python, /app/app.py]\n",
        _BASE + 'USER nobody\nCMD ["python", "/app/app.py"]\n',
        references=("https://docs.docker.com/reference/dockerfile/#shell-and-exec-form",),
    )
)
def exec_form_not_json(df: Dockerfile, ctx: DockerContext) -> Iterator[Hit]:
    for ins in df.instructions:
        if ins.keyword not in ("CMD", "ENTRYPOINT", "RUN") or ins.heredocs:
            continue
        args = ins.args.strip()
        # a list (a comma between the brackets), not a shell test such as RUN [ -f /x ]
        if not (args.startswith("[") and args.endswith("]") and "," in args):
            continue
        try:
            value = json.loads(args)
        except (ValueError, RecursionError):
            value = None
        if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            yield Hit(ins.line, ins.column, f"{ins.keyword} arguments in brackets are not JSON")


RULES = REGISTRY.rules()
