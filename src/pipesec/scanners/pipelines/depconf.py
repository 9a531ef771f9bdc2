"""Dependency confusion outside the pipeline files: extra package indexes and index URLs
with a password in pip requirements files and Dockerfiles (workflows and GitLab scripts are
covered by the shell rules, ``gha/extra-index-url`` and ``gha/index-url-credentials``)."""

from __future__ import annotations

import re

from pipesec.core.lines import split_lines
from pipesec.core.model import Severity
from pipesec.core.redact import redact_line
from pipesec.scanners.pipelines.common import Ctx, rule

EXTRA_INDEX = rule(
    "pipeline/extra-index-url",
    "Extra package index in a requirements file or Dockerfile (dependency confusion)",
    Severity.MEDIUM,
    "With `--extra-index-url` (or `PIP_EXTRA_INDEX_URL`) pip takes the highest version of a "
    "name from any index, so anyone can publish your internal package name on PyPI with a "
    "higher version and have it installed, and run, in the build.",
    "Use one index that proxies PyPI (`--index-url`), or pin every requirement with "
    "`--hash=sha256:...` (`--require-hashes`).",
    "--extra-index-url https://pkgs.internal.example/simple\nacme-utils==1.4.0\n",
    "--index-url https://pkgs.internal.example/simple\nacme-utils==1.4.0\n",
    cwe=("CWE-427",),
    references=("https://github.com/pypa/pip/issues/8606",),
)

INDEX_CREDENTIALS = rule(
    "pipeline/index-url-credentials",
    "Package index URL with a password written in it",
    Severity.HIGH,
    "`https://user:password@pkgs.example.com/simple` in a requirements file or Dockerfile is "
    "readable by everyone with read access, stays in git history, and ends up in image "
    "layers and pip's logs.",
    "Pass the credential at build time (a secret mount, `PIP_INDEX_URL` from a CI secret, "
    "or a netrc/keyring file) instead of writing it in the file.",
    "--index-url https://ci:" + "Xk29" + "vLq7Pz@pkgs.internal.example/simple\nacme-utils==1.4.0\n",
    "--index-url https://pkgs.internal.example/simple\nacme-utils==1.4.0\n",
    cwe=("CWE-798",),
)

RULES = (EXTRA_INDEX, INDEX_CREDENTIALS)

_EXTRA = re.compile(r"--extra-index-url\b|\b(?:PIP|UV)_EXTRA_INDEX_URL\b\s*[= \t]")
_CREDS = re.compile(
    r"(?:--(?:extra-)?index-url|(?<![\w-])-i|\b(?:PIP|UV)_(?:EXTRA_)?INDEX_URL)[ \t]*[= \t]"
    r"[ \t]*[\"']?https?://[^/\s:@'\"]+:(?P<pw>[^@\s'\"$]+)@"
)


def check(ctx: Ctx, text: str) -> None:
    if "index" not in text.lower():
        return
    for n, line in enumerate(split_lines(text), 1):
        code = line.split(" #", 1)[0] if not line.lstrip().startswith("#") else ""
        if not code:
            continue
        m = _EXTRA.search(code)
        if m is not None:
            ctx.hit(
                EXTRA_INDEX,
                (n, m.start() + 1, n, m.end() + 1),
                "an extra package index lets a public package shadow an internal one",
                identity=f"extra-index:{n}",
            )
        c = _CREDS.search(code)
        if c is not None:
            ctx.hit(
                INDEX_CREDENTIALS,
                (n, c.start() + 1, n, c.end() + 1),
                "a package index URL carries a password written in the file",
                identity=ctx.secret_identity(c.group("pw")),
                snippet=redact_line(line, c.start("pw"), c.end("pw")),
            )
