"""The one way pipesec runs git.

The scanned repository is untrusted, and so is its ``.git/config``: a key such as
``core.fsmonitor``, ``core.hooksPath``, ``diff.external``, a textconv or clean filter,
``log.showSignature`` (runs ``gpg.program``) or a pager names a program git would run.
Every invocation goes through :func:`git_argv` and :func:`git_env`, which switch all of
them off on the command line (command-line ``-c`` beats the repository's config), turn
off colour (it would corrupt parsed output), forbid every transport (a partial clone
never fetches during a scan), skip the system and global config and never prompt.
Filter drivers have free names: the repository's ``filter.*`` drivers are listed with a
``git config`` call (which runs nothing) and each is blanked.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

#: settings that stop git from running a program named by the repository's config
SAFE_CONFIG: tuple[str, ...] = (
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "core.pager=cat",
    "core.askPass=",
    "core.sshCommand=",
    "core.quotepath=off",
    "diff.external=",
    "log.showSignature=false",
    "color.ui=never",
    "color.diff=never",
    "protocol.allow=never",
    "credential.helper=",
)


@lru_cache(maxsize=1)
def _operator_safe_directories() -> tuple[str, ...]:
    """``safe.directory`` entries of the operator's global config: kept, because the global
    config is otherwise skipped and a CI job (a container checkout) relies on them."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["GIT_CONFIG_NOSYSTEM"] = "1"
    try:
        proc = subprocess.run(
            ["git", "config", "--global", "--get-all", "safe.directory"],
            cwd="/",
            capture_output=True,
            timeout=30,
            check=False,
            env=env,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ()
    return tuple(
        line for line in proc.stdout.decode("utf-8", "replace").splitlines() if line.strip()
    )


def git_env() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_EXTERNAL_DIFF", "GIT_PAGER"):
        env.pop(name, None)
    env["GIT_CONFIG_NOSYSTEM"] = "1"
    env["GIT_CONFIG_GLOBAL"] = os.devnull
    env["GIT_TERMINAL_PROMPT"] = "0"
    env["GIT_NO_LAZY_FETCH"] = "1"
    env["GIT_OPTIONAL_LOCKS"] = "0"  # never rewrite the scanned repository's index
    env["GIT_PAGER"] = "cat"
    return env


@lru_cache(maxsize=16)
def _filter_drivers(root: Path) -> tuple[str, ...]:
    """``-c`` settings that blank every filter driver the repository's config defines."""
    try:
        proc = subprocess.run(
            [
                "git",
                *_base_options(),
                "config",
                "--name-only",
                "--get-regexp",
                r"^filter\..*\.(clean|smudge|process)$",
            ],
            cwd=root,
            capture_output=True,
            timeout=30,
            check=False,
            env=git_env(),
        )
    except (OSError, subprocess.TimeoutExpired):
        return ()
    out: list[str] = []
    for name in sorted(set(proc.stdout.decode("utf-8", "surrogateescape").splitlines())):
        if name and "\n" not in name:
            out += ["-c", f"{name}="]
    return tuple(out)


def _base_options() -> list[str]:
    opts: list[str] = ["--no-pager"]
    for setting in SAFE_CONFIG:
        opts += ["-c", setting]
    for path in _operator_safe_directories():
        opts += ["-c", f"safe.directory={path}"]
    return opts


def git_argv(root: Path, *args: str) -> list[str]:
    """``git`` with the safe options, then ``args``."""
    return ["git", *_base_options(), *_filter_drivers(root), *args]


def run_git(
    root: Path, args: Sequence[str], *, timeout: float, input: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run git in ``root``; raises OSError or TimeoutExpired as subprocess.run does."""
    return subprocess.run(
        git_argv(root, *args),
        cwd=root,
        input=input,
        capture_output=True,
        timeout=timeout,
        check=False,
        env=git_env(),
    )


def popen_git(root: Path, args: Sequence[str], **kwargs: Any) -> subprocess.Popen[bytes]:
    """A long-lived git process in ``root`` (``git cat-file --batch``, ``git log``)."""
    return subprocess.Popen(git_argv(root, *args), cwd=root, env=git_env(), **kwargs)
