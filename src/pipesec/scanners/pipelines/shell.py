"""Checks on the shell commands of a job, shared by GitHub Actions (``gha/``) and GitLab CI
(``gitlab/``): piping downloads into a shell, passwords on the command line, tracing with
secrets, disabled TLS or host-key checks, extra package indexes, unverified and unpinned
downloads of tools."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass

from pipesec.core.commands import LINE_END, WEAK_TLS, PerCommand
from pipesec.core.model import Confidence, Rule, Severity
from pipesec.core.redact import redact_line
from pipesec.core.yamlpos import YNode
from pipesec.scanners.pipelines.common import Ctx, Edit, rule

GHA_TEMPLATE = """on: push
permissions: {{}}
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: {cmd}
"""
GITLAB_TEMPLATE = """build:
  script:
    - {cmd}
"""


@dataclass(frozen=True)
class ShellRuleSpec:
    slug: str
    title: str
    severity: Severity
    rationale: str
    remediation: str
    bad: str
    good: str
    cwe: tuple[str, ...]
    confidence: Confidence = Confidence.HIGH
    references: tuple[str, ...] = ()


SPECS = (
    ShellRuleSpec(
        "curl-pipe-shell",
        "Remote script piped straight into a shell",
        Severity.HIGH,
        "`curl ... | sh` runs whatever the server (or anyone who takes over the domain, the "
        "CDN or the network path) sends at that moment, with the job's credentials, and "
        "leaves no record of what ran.",
        "Download to a file, verify its checksum or signature against a pinned value, then "
        "run it; better, use a pinned package or action.",
        "curl -fsSL https://get.example.dev/install.sh | bash",
        "curl -fsSLo install.sh https://get.example.dev/v1.4.2/install.sh"
        " && echo 'd2a1f0c3e5b7a9c1d3e5f7a9b1c3d5e7f9a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9  install.sh'"
        " | sha256sum -c - && bash install.sh",
        ("CWE-494",),
    ),
    ShellRuleSpec(
        "docker-login-password-arg",
        "Registry password passed on the docker login command line",
        Severity.MEDIUM,
        "A password given with `-p` is visible in the process list of the runner and is "
        "saved in shell history; docker itself warns that it is insecure.",
        "Pipe the password in: `printf '%s' \"$PASS\" | docker login -u USER --password-stdin "
        "REGISTRY`; `pipesec fix` rewrites it.",
        'docker login -u ci -p "$REGISTRY_PASSWORD" registry.example.com',
        "printf '%s' \"$REGISTRY_PASSWORD\" | docker login -u ci --password-stdin"
        " registry.example.com",
        ("CWE-214",),
    ),
    ShellRuleSpec(
        "set-x-with-secrets",
        "Shell tracing (set -x) in a job that uses secrets",
        Severity.MEDIUM,
        "`set -x` prints every command after expansion, so a secret in a variable is "
        "written to the job log; masking misses derived or transformed values.",
        "Remove `set -x`, or turn it off (`set +x`) around the commands that handle secrets.",
        "set -x; ./deploy.sh",
        "set -eu; ./deploy.sh",
        ("CWE-532",),
        Confidence.MEDIUM,
    ),
    ShellRuleSpec(
        "tls-verify-disabled",
        "TLS certificate verification disabled",
        Severity.MEDIUM,
        "Without certificate checks anyone on the network path can serve the download or "
        "read the credentials sent with it.",
        "Keep verification on; add the internal CA to the trust store instead "
        "(`--cacert`, `SSL_CERT_FILE`, `REQUESTS_CA_BUNDLE`).",
        "curl -sk https://artifacts.internal/tool.tgz -o tool.tgz",
        "curl -s --cacert /etc/ssl/internal-ca.pem https://artifacts.internal/tool.tgz -o tool.tgz",
        ("CWE-295",),
    ),
    ShellRuleSpec(
        "weak-tls-download",
        "Download that forces an outdated TLS or SSL version",
        Severity.MEDIUM,
        "`curl --tls-max 1.0`, `--tlsv1.0`/`--tlsv1.1`, `--sslv3` or `wget "
        "--secure-protocol=TLSv1` let the transfer run over TLS 1.0/1.1 or SSL, deprecated by "
        "RFC 8996 for known weaknesses (a floor written that low is there because the server "
        "speaks nothing newer): what the job downloads or sends travels over a protocol an "
        "attacker on the path may break.",
        "Drop the option (curl and wget negotiate TLS 1.2+ by themselves), or use "
        "`--tlsv1.2` / `--secure-protocol=TLSv1_2`.",
        "curl --tls-max 1.1 -fsSLo tool.tgz https://artifacts.example.com/tool.tgz",
        "curl --tlsv1.2 -fsSLo tool.tgz https://artifacts.example.com/tool.tgz",
        ("CWE-326", "CWE-757"),
        references=("https://www.rfc-editor.org/rfc/rfc8996",),
    ),
    ShellRuleSpec(
        "ssh-host-key-unchecked",
        "SSH host key checking disabled",
        Severity.MEDIUM,
        "`StrictHostKeyChecking=no` (or learning the key with ssh-keyscan at run time) "
        "accepts any server, so a network attacker receives the deploy key's session.",
        "Store the server's host key in a variable or file and write it to known_hosts.",
        "ssh -o StrictHostKeyChecking=no deploy@prod.example.com ./release.sh",
        'echo "$KNOWN_HOSTS" >> ~/.ssh/known_hosts && ssh deploy@prod.example.com ./release.sh',
        ("CWE-295",),
    ),
    ShellRuleSpec(
        "extra-index-url",
        "pip --extra-index-url enables dependency confusion",
        Severity.MEDIUM,
        "With an extra index pip takes the highest version from either index, so anyone can "
        "publish your internal package name on PyPI with a higher version and have it run.",
        "Use a single index that proxies PyPI (`--index-url`), or pin hashes (`--require-hashes`).",
        "pip install --extra-index-url https://pypi.internal/simple acme-utils",
        "pip install --index-url https://pypi.internal/simple acme-utils",
        ("CWE-427",),
        references=("https://github.com/pypa/pip/issues/8606",),
    ),
    ShellRuleSpec(
        "index-url-credentials",
        "Package index URL with a password written in it",
        Severity.HIGH,
        "`https://user:password@pkgs.example.com/simple` puts the index credential in the "
        "pipeline file, readable by everyone with read access and by every fork, and pip "
        "prints the URL in its logs.",
        "Keep the credential in a secret and pass it through the environment or a netrc / "
        "keyring file (`PIP_INDEX_URL=https://$USER:$TOKEN@...` from secret variables).",
        "pip install --index-url https://ci:" + "hunter2" + "@pkgs.example.com/simple acme-utils",
        'pip install --index-url "https://ci:${INDEX_TOKEN}@pkgs.example.com/simple" acme-utils',
        ("CWE-798",),
    ),
    ShellRuleSpec(
        "unverified-download",
        "Downloaded binary run without verifying a checksum or signature",
        Severity.MEDIUM,
        "A binary fetched at run time and executed without a checksum runs whatever the "
        "server returns, and a compromised release page poisons every build.",
        "Verify the file against a pinned SHA-256 (`sha256sum -c`) or its signature "
        "(`cosign verify-blob`, `gpg --verify`) before running it.",
        "curl -fsSLo /usr/local/bin/kubectl https://dl.k8s.io/release/v1.30.0/bin/linux/amd64/kubectl"
        " && chmod +x /usr/local/bin/kubectl",
        "curl -fsSLo kubectl https://dl.k8s.io/release/v1.30.0/bin/linux/amd64/kubectl"
        ' && echo "$KUBECTL_SHA256  kubectl" | sha256sum -c - && chmod +x kubectl',
        ("CWE-494",),
        Confidence.MEDIUM,
    ),
    ShellRuleSpec(
        "unpinned-tool-install",
        "Tool installed without a pinned version",
        Severity.LOW,
        "Installing the newest version of a tool at every run means a compromised or "
        "broken release enters the pipeline the minute it is published.",
        "Pin the version (`pip install tool==1.2.3`, `npm i -g tool@1.2.3`, "
        "`go install mod@v1.2.3`), ideally with hashes or a lockfile.",
        "pip install semgrep",
        "pip install semgrep==1.78.0",
        ("CWE-1357",),
        Confidence.MEDIUM,
    ),
)


def _example(prefix: str, spec: ShellRuleSpec, cmd: str) -> str:
    if spec.slug == "set-x-with-secrets":
        if prefix == "gha":
            return (
                "on: push\npermissions: {}\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n"
                "    steps:\n      - run: " + cmd + "\n        env:\n"
                "          DEPLOY_TOKEN: ${{ secrets.DEPLOY_TOKEN }}\n"
            )
        return (
            "deploy:\n  script:\n    - "
            + cmd
            + "\n    - 'curl -H \"Authorization: $DEPLOY_TOKEN\" https://deploy.example.com'\n"
        )
    template = GHA_TEMPLATE if prefix == "gha" else GITLAB_TEMPLATE
    quoted = (
        cmd
        if not (": " in cmd or cmd.startswith(("'", '"')) or " #" in cmd)
        else ("'" + cmd.replace("'", "''") + "'")
    )
    return template.format(cmd=quoted)


def make_rules(prefix: str) -> dict[str, Rule]:
    out: dict[str, Rule] = {}
    for spec in SPECS:
        out[spec.slug] = rule(
            f"{prefix}/{spec.slug}",
            spec.title,
            spec.severity,
            spec.rationale,
            spec.remediation,
            _example(prefix, spec, spec.bad),
            _example(prefix, spec, spec.good),
            cwe=spec.cwe,
            confidence=spec.confidence,
            references=spec.references,
        )
    return out


GHA_RULES = make_rules("gha")
GITLAB_RULES = make_rules("gitlab")

_SH = (
    r"(?:sudo\s+(?:-\S+\s+)*)?(?:/usr/bin/env\s+|/bin/)?(?:ba|z|k|da|a)?sh\b"
    r"|\bpython[0-9.]*\b|\bperl\b|\bruby\b|\bnode\b"
)
#: (the patterns that read a command for a tail search one head per command:
#: core.commands, review16; ``curl `` 16,000 times in one run: 24 s)
CURL_PIPE = PerCommand((r"\b(?:curl|wget)\b", r"\b(?:curl|wget)\b[^|;&\n]*\|\s*(?:" + _SH + r")"))
CURL_SUBST = re.compile(r"(?:\b(?:ba|z)?sh\s+(?:-c\s+)?[\"']?(?:<\(|\$\()\s*(?:curl|wget)\b)")
DOCKER_LOGIN = PerCommand(
    (
        r"\b(?:docker|podman|buildah|nerdctl)\s+login\b",
        r"\b(?:docker|podman|buildah|nerdctl)\s+login\b(?P<args>[^\n;&|]*?)"
        r"(?P<flag>\s(?:-p|--password)(?:\s+|=))(?P<value>\"[^\"]*\"|'[^']*'|\S+)",
    )
)
SET_X = re.compile(r"(?:^|[;&|]\s*|\n\s*)(?:set\s+-[a-wyzA-Z]*x[a-zA-Z]*\b|set\s+-o\s+xtrace\b)")
_PIPE_END = re.compile(r"[\n|;]")
TLS_OFF = PerCommand(
    (r"\bcurl\b", r"\bcurl\b[^\n|;]*?\s(?:--insecure\b|-[a-zA-Z]*k[a-zA-Z]*\b)", _PIPE_END),
    (r"\bwget\b", r"\bwget\b[^\n|;]*--no-check-certificate", _PIPE_END),
    (
        None,
        r"GIT_SSL_NO_VERIFY\s*[=:]\s*[\"']?(?:1|true)"
        r"|http\.sslVerify\s+(?:false|0)"
        r"|strict-ssl\s+false"
        r"|NODE_TLS_REJECT_UNAUTHORIZED\s*=\s*[\"']?0",
    ),
    (r"\bpip3?\b", r"\bpip3?\b[^\n|;]*--trusted-host", _PIPE_END),
    (None, r"--insecure-skip-tls-verify(?:=true)?\b|PYTHONHTTPSVERIFY\s*=\s*[\"']?0"),
    flags=re.IGNORECASE,
)
SSH_NOCHECK = PerCommand(
    (None, r"StrictHostKeyChecking[\s=]+(?:no|off|accept-new)\b|UserKnownHostsFile[\s=]+/dev/null"),
    (r"\bssh-keyscan\b", r"\bssh-keyscan\b[^\n]*>>?\s*\S*known_hosts", LINE_END),
    flags=re.IGNORECASE,
)
EXTRA_INDEX = re.compile(r"--extra-index-url\b|PIP_EXTRA_INDEX_URL\s*=")
_DOWNLOAD_TO = (
    r"\b(?:curl\b[^\n|;]*?\s(?:-[a-zA-Z]*o\s*|--output[\s=])(?P<c>\S+)"
    r"|wget\b[^\n|;]*?\s(?:-[a-zA-Z]*O\s*|--output-document[\s=])(?P<w>\S+))"
)
DOWNLOAD_TO = PerCommand(
    (r"\bcurl\b", _DOWNLOAD_TO, _PIPE_END), (r"\bwget\b", _DOWNLOAD_TO, _PIPE_END)
)
RUN_FILE = re.compile(r"chmod\s+(?:\+x|[0-7]*[157][0-7]*)\s|dpkg\s+-i|rpm\s+-i|\binstall\s+-m")
VERIFY = re.compile(
    r"sha256sum|sha512sum|shasum|gpg\s+--verify|cosign\s+verify|minisign|slsa-verifier"
    r"|gh\s+attestation\s+verify|Get-FileHash|openssl\s+dgst",
    re.IGNORECASE,
)
PIP_INSTALL = re.compile(r"\bpip[0-9.]*\s+install\s+(?P<args>[^\n;&|#]+)")
NPM_GLOBAL = re.compile(r"\bnpm\s+(?:install|i)\s+(?:-g|--global)\s+(?P<args>[^\n;&|#]+)")
#: ad-hoc JavaScript package installs (GitHub Actions): a named package, not the lockfile
JS_ADD = re.compile(
    r"\b(?:npm[ \t]+(?:install|i|add)|yarn[ \t]+(?:global[ \t]+)?add|pnpm[ \t]+(?:add|install|i)"
    r"|bun[ \t]+(?:add|install|i))[ \t]+(?P<args>[^\n;&|#]+)"
)
INDEX_CREDS = re.compile(
    r"(?:--(?:extra-)?index-url|(?<![\w-])-i|PIP_(?:EXTRA_)?INDEX_URL|UV_(?:EXTRA_)?INDEX_URL)"
    r"[ \t]*[= \t]"
    r"[ \t]*[\"']?https?://[^/\s:@'\"]+:(?P<pw>[^@\s'\"$]+)@"
)
GO_LATEST = re.compile(r"\bgo\s+install\s+\S+@latest\b")
GEM_INSTALL = re.compile(r"\bgem\s+(?:install|i)\s+(?P<args>[^\n;&|#]+)")
CARGO_INSTALL = re.compile(r"\bcargo\s+install\s+(?P<args>[^\n;&|#]+)")


def _unpinned_pip(args: str) -> bool:
    toks = args.split()
    if any(
        t in ("-r", "--requirement", "-e", "--editable", "-c") or t.startswith("-r") for t in toks
    ):
        return False
    pkgs = []
    skip_next = False
    for t in toks:
        if skip_next:
            skip_next = False
            continue
        if t.startswith("-"):
            if t in (
                "-i",
                "--index-url",
                "--extra-index-url",
                "-f",
                "--find-links",
                "--target",
                "-t",
                "--prefix",
                "--root",
                "--trusted-host",
                "--platform",
                "--python-version",
            ):
                skip_next = True
            continue
        pkgs.append(t.strip("'\""))
    pkgs = [
        p
        for p in pkgs
        if p
        and not p.startswith((".", "/", "$", "git+", "http"))
        and not p.endswith((".whl", ".tar.gz"))
    ]
    if not pkgs:
        return False
    return any(
        not re.search(r"==|===|@", p)
        for p in pkgs
        if re.match(r"^[A-Za-z0-9][A-Za-z0-9._\-\[\],]*$", p.split("==")[0])
    )


#: an npm version that is a range or a tag, not one version: `^1.2`, `~1`, `>=2`, `1.x`, `latest`
_NPM_RANGE = re.compile(r"^[\^~<>=*]|[x*]$|^[a-z]", re.IGNORECASE)


def _unpinned_npm(args: str) -> bool:
    pkgs = [t.strip("'\"") for t in args.split() if not t.startswith(("-", "$", ".", "/"))]
    for t in pkgs:
        _name, at, version = t.lstrip("@").partition("@")
        if not at or not version or _NPM_RANGE.search(version):
            return True
    return False


def _unpinned_flagged(args: str, flags: tuple[str, ...]) -> bool:
    toks = args.split()
    if any(t in flags or t.startswith(tuple(f + "=" for f in flags)) for t in toks):
        return False
    return any(not t.startswith("-") for t in toks) and not any(t == "--path" for t in toks)


@dataclass
class Script:
    """One shell script (or one command of a GitLab script list) and where it lives."""

    node: YNode
    text: str
    uses_secrets: bool = False
    job: str = ""
    #: the commands of the same job that run after this one (GitLab script lists)
    after: str = ""


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _span(node: YNode, text: str, start: int, sub: str) -> tuple[int, int, int, int]:
    occ = text.count(sub, 0, start)
    return node.locate(sub, occ)


def _overlaps_itself(sub: str) -> bool:
    """A proper prefix of ``sub`` is also its suffix (``aa``, ``abab``): its occurrences
    may overlap (prefix function, linear)."""
    border = [0] * len(sub)
    k = 0
    for i in range(1, len(sub)):
        while k and sub[i] != sub[k]:
            k = border[k - 1]
        if sub[i] == sub[k]:
            k += 1
        border[i] = k
    return bool(sub) and border[-1] > 0


class _Spans:
    """The spans of one script's hits: the ``n``-th occurrence of a hit's text, counted and
    found from where the last hit of the same text left off. Counting each from the script's
    start (``_span``: ``text.count`` and ``YNode.find``'s loop over the occurrences before
    it) was quadratic in the hits: ``curl -k `` 16,000 times in one ``run:`` cost 37 s of
    CPU (review16). A text whose occurrences may overlap is counted as before."""

    def __init__(self, node: YNode, text: str) -> None:
        self.node = node
        self.text = text
        #: sub -> (the start of its last hit, occurrences before it)
        self._counted: dict[str, tuple[int, int]] = {}
        #: sub -> offsets of its occurrences in the node's source found so far
        self._found: dict[str, list[int]] = {}
        self._simple: dict[str, bool] = {}

    def _occurrence(self, start: int, sub: str) -> int:
        """``text.count(sub, 0, start)`` for a ``sub`` whose occurrences never overlap: the
        count up to the last hit's start plus the rest, plus the one occurrence that may
        straddle that start."""
        text, w = self.text, len(sub)
        upto, n = self._counted.get(sub, (0, 0))
        if upto > start:
            upto, n = 0, 0
        n += text.count(sub, upto, start)
        if upto:
            across = text.find(sub, max(0, upto - w + 1), upto + w - 1)
            if 0 <= across < upto and across + w <= start:
                n += 1
        self._counted[sub] = (start, n)
        return n

    def find(self, start: int, sub: str) -> int | None:
        """``node.find(sub, text.count(sub, 0, start))``."""
        simple = self._simple.get(sub)
        if simple is None:
            simple = self._simple[sub] = not _overlaps_itself(sub)
        if not simple:
            return self.node.find(sub, self.text.count(sub, 0, start))
        n = self._occurrence(start, sub)
        doc = self.node.doc
        if doc is None or not sub:
            return None
        found = self._found.setdefault(sub, [])
        while len(found) <= n:
            pos = doc.text.find(
                sub, (found[-1] if found else self.node.start - 1) + 1, self.node.end
            )
            if pos < 0:
                return None
            found.append(pos)
        return found[n]

    def at(self, start: int, sub: str) -> tuple[int, int, int, int]:
        """``_span(node, text, start, sub)``."""
        return self.node.span_of(self.find(start, sub), sub)


_SEP = re.compile(r"&&|;|\n|\|\|")
_RUN_PREFIX = re.compile(r"(?:\./|\b(?:ba)?sh\s+)")
_TOKEN = re.compile(r"[\w.-]+")
_WORD_BOUNDARY = re.compile(r"\b")


class _Later:
    """Whether a downloaded file is run later in a step's script (or the job's later
    commands): its name written as a word after the download's command, and then a
    ``chmod +x``/``dpkg -i``/``install -m`` or ``./name``/``sh name`` there. The text after
    each download is the same string from a later start, so the separators, the last
    ``RUN_FILE`` and the last start of each name and of each ``./name``/``sh name`` are
    indexed once, in one pass each, instead of searched per download (review16: 16,000
    ``curl -o`` in one step searched the rest of the script per download). Answers as
    :func:`_runs_after` does (the tests keep it as the oracle); a name with characters
    outside ``[\\w.-]`` is searched once per name."""

    def __init__(self, text: str, after: str, bases: set[str]) -> None:
        self.text = text
        self.full = full = text + "\n" + after
        self.seps = [m.start() for m in _SEP.finditer(text)]
        found = [m.start() for m in RUN_FILE.finditer(full)]
        self.last_run_file = found[-1] if found else -1
        #: a name of [\w.-] characters written as a word is a whole run of them
        self.names = {m.group(): m.start() for m in _TOKEN.finditer(full)}
        #: the last start of ``./name`` or ``sh name`` followed by a word boundary, for
        #: the names downloaded: each prefix's run is cut at the lengths of those names
        self.run_by_name: dict[str, int] = {}
        self._others: dict[str, tuple[int, int]] = {}
        lens = sorted({len(b) for b in bases})
        for m in _RUN_PREFIX.finditer(full):
            e = m.end()
            run = _TOKEN.match(full, e)
            width = run.end() - e if run else 0
            for k in lens:
                if k > width:
                    break
                if _WORD_BOUNDARY.match(full, e + k) and (name := full[e : e + k]) in bases:
                    self.run_by_name[name] = m.start()

    def runs(self, base: str, end: int) -> bool:
        """For the download whose match ends at ``end`` in the step's text."""
        i = bisect.bisect_left(self.seps, end)
        start = self.seps[i] if i < len(self.seps) else len(self.text)
        if _TOKEN.fullmatch(base):
            named, by_name = self.names.get(base, -1), self.run_by_name.get(base, -1)
        elif base[0] in "&;|":
            # may start on the separator itself, where the rest's own start is a boundary
            return _runs_after(self.full[start:], base)
        else:
            named, by_name = self._other(base)
        return named >= start and (self.last_run_file >= start or by_name >= start)

    def _other(self, base: str) -> tuple[int, int]:
        """The last starts of ``base`` as a word and of ``./base``/``sh base``, for a name
        with other characters (searched once per name)."""
        got = self._others.get(base)
        if got is None:
            got = self._others[base] = (
                _last_start(r"(?<![\w.-])" + re.escape(base) + r"(?![\w.-])", self.full),
                _last_start(r"(?:\./|\b(?:ba)?sh\s+)" + re.escape(base) + r"\b", self.full),
            )
        return got


def _last_start(pattern: str, text: str) -> int:
    """The start of the last match of ``pattern`` in ``text`` (overlapping ones too), -1."""
    last = -1
    for m in re.finditer(f"(?=(?:{pattern}))", text):
        last = m.start()
    return last


def _runs_after(rest: str, base: str) -> bool:
    """The per-download search (the rest of the script from the download's separator)."""
    named = re.search(r"(?<![\w.-])" + re.escape(base) + r"(?![\w.-])", rest)
    return named is not None and (
        RUN_FILE.search(rest) is not None
        or re.search(r"(?:\./|\b(?:ba)?sh\s+)" + re.escape(base) + r"\b", rest) is not None
    )


def check(ctx: Ctx, rules: dict[str, Rule], scripts: Iterable[Script]) -> None:
    for s in scripts:
        text = s.text
        node = s.node
        if not text:
            continue
        spans = _Spans(node, text)
        # literal prechecks: each regex below only matches text holding that literal
        fetches = "curl" in text or "wget" in text
        for m in (
            list(CURL_PIPE.finditer(text)) + list(CURL_SUBST.finditer(text)) if fetches else []
        ):
            ctx.hit(
                rules["curl-pipe-shell"],
                spans.at(m.start(), m.group()),
                f"`{_short(m.group())}` runs a remote script unverified",
                identity=f"{s.job}:{m.group()}",
                doc=node.doc,
            )
        for m in DOCKER_LOGIN.finditer(text) if "login" in text else ():
            value = m.group("value")
            if value == "--password-stdin":
                continue
            sub = m.group()
            before = sub[: m.start("flag") - m.start()]
            fixed = f"printf '%s' {value} | {before.strip()} --password-stdin"
            edits: tuple[Edit, ...] = ()
            span = spans.at(m.start(), sub)
            at = spans.find(m.start(), sub)
            if at is not None and node.style in (None, "|"):
                edits = (Edit(at, at + len(sub), fixed),)
            ctx.hit(
                rules["docker-login-password-arg"],
                span,
                "registry password passed with -p/--password; use --password-stdin",
                identity=f"{s.job}:{sub}",
                snippet=_safe_snippet(node, span[0]),
                doc=node.doc,
                edits=edits,
            )
        if s.uses_secrets and "set" in text:
            for m in SET_X.finditer(text):
                sub = m.group().strip(" ;&|\n")
                ctx.hit(
                    rules["set-x-with-secrets"],
                    spans.at(m.start(), sub),
                    f"`{sub}` traces commands in job '{s.job}', which uses secrets",
                    identity=f"{s.job}:{sub}",
                    doc=node.doc,
                )
        for m in TLS_OFF.finditer(text):
            ctx.hit(
                rules["tls-verify-disabled"],
                spans.at(m.start(), m.group()),
                f"`{m.group().strip()[:80]}` turns certificate verification off",
                identity=f"{s.job}:{m.group()}",
                doc=node.doc,
            )
        for m in WEAK_TLS.finditer(text) if fetches else ():
            ctx.hit(
                rules["weak-tls-download"],
                spans.at(m.start(), m.group()),
                f"`{_short(m.group())}` allows an outdated TLS or SSL version",
                identity=f"{s.job}:{m.group()}",
                doc=node.doc,
            )
        for m in SSH_NOCHECK.finditer(text):
            ctx.hit(
                rules["ssh-host-key-unchecked"],
                spans.at(m.start(), m.group()),
                f"`{m.group().strip()[:80]}` accepts any SSH host key",
                identity=f"{s.job}:{m.group()}",
                doc=node.doc,
            )
        extra_index = "extra-index-url" in text or "EXTRA_INDEX_URL" in text
        for m in EXTRA_INDEX.finditer(text) if extra_index else ():
            ctx.hit(
                rules["extra-index-url"],
                spans.at(m.start(), m.group()),
                "an extra package index lets a public package shadow an internal one",
                identity=f"{s.job}:{m.group()}",
                doc=node.doc,
            )
        if fetches and not VERIFY.search(text) and not VERIFY.search(s.after):
            downloads = []
            for m in DOWNLOAD_TO.finditer(text):
                target = (m.group("c") or m.group("w") or "").strip("'\"")
                base = target.rsplit("/", 1)[-1]
                if base and base not in ("-", "/dev/null"):
                    downloads.append((m, base))
            later = (
                _Later(text, s.after, {b for _, b in downloads if _TOKEN.fullmatch(b)})
                if downloads
                else None
            )
            for m, base in downloads:
                assert later is not None
                if later.runs(base, m.end()):
                    ctx.hit(
                        rules["unverified-download"],
                        spans.at(m.start(), m.group()),
                        f"{base} is downloaded and run without a checksum or signature check",
                        identity=f"{s.job}:{m.group()}",
                        doc=node.doc,
                    )
        for m in PIP_INSTALL.finditer(text) if "install" in text else ():
            if _unpinned_pip(m.group("args")):
                _tool(ctx, rules, node, spans, m, s)
        js = JS_ADD if rules["unpinned-tool-install"].id.startswith("gha/") else NPM_GLOBAL
        for m in js.finditer(text) if "npm" in text or "yarn" in text or "bun" in text else ():
            if _unpinned_npm(m.group("args")):
                _tool(ctx, rules, node, spans, m, s)
        for m in INDEX_CREDS.finditer(text) if "://" in text and "@" in text else ():
            span = spans.at(m.start(), m.group())
            line = node.doc.line_text(span[0]) if node.doc is not None else ""
            at = line.find(m.group("pw"))
            ctx.hit(
                rules["index-url-credentials"],
                span,
                "a package index URL carries a password written in the pipeline",
                identity=f"{s.job}:index-creds:{span[0]}",
                snippet=redact_line(line, at, at + len(m.group("pw"))) if at >= 0 else "",
                doc=node.doc,
            )
        for m in GO_LATEST.finditer(text) if "@latest" in text else ():
            _tool(ctx, rules, node, spans, m, s)
        for m in GEM_INSTALL.finditer(text) if "gem" in text else ():
            if _unpinned_flagged(m.group("args"), ("-v", "--version")):
                _tool(ctx, rules, node, spans, m, s)
        for m in CARGO_INSTALL.finditer(text) if "cargo" in text else ():
            if _unpinned_flagged(m.group("args"), ("--version", "--vers", "--locked")):
                _tool(ctx, rules, node, spans, m, s)


def _tool(
    ctx: Ctx, rules: dict[str, Rule], node: YNode, spans: _Spans, m: re.Match[str], s: Script
) -> None:
    ctx.hit(
        rules["unpinned-tool-install"],
        spans.at(m.start(), m.group().strip()),
        f"`{m.group().strip()[:80]}` installs whatever version is newest",
        identity=f"{s.job}:{m.group()}",
        doc=node.doc,
    )


def _safe_snippet(node: YNode, line: int) -> str:
    from pipesec.core.redact import trim_snippet

    text = node.doc.line_text(line) if node.doc is not None else ""
    m = DOCKER_LOGIN.search(text)
    if m is not None and not m.group("value").startswith(("$", '"$', "'$", "${{", '"${{')):
        from pipesec.core.redact import redact_line

        return redact_line(text, m.start("value"), m.end("value"))
    return trim_snippet(text)
