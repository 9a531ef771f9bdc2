"""Documentation inside a program: Python docstrings and Ansible modules' documentation,
``/** … */`` documentation comments (PHPDoc, JSDoc, Javadoc) and Perl's POD.

A value a keyword rule finds there (``password: "s3cretPass123"`` in an Ansible module's
``EXAMPLES``, ``create_engine("postgresql://app:pw@db/x")`` in a docstring) shows how to
call the code, as the same line would in ``docs/``: the secrets scanner tags such a finding
``context:docs`` and the gate treats it as it treats the docs paths (capped at low when it
is demotable; a provider's key or a private key is never demoted, wherever it stands).

The file is parsed only when it holds a demotable finding; a file Python cannot parse (a
template, Python 2) has no documentation blocks.
"""

from __future__ import annotations

import ast
import re
import warnings
from bisect import bisect_left, bisect_right
from functools import lru_cache

#: the module-level strings Ansible modules document themselves with (ansible-doc reads them)
ANSIBLE_DOC_NAMES = frozenset({"DOCUMENTATION", "EXAMPLES", "RETURN"})
_DEFINITIONS = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def _string(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


#: where Ansible keeps plugins, whose ``DOCUMENTATION``/``EXAMPLES``/``RETURN`` strings (and
#: a module's YAML documentation file) are its documentation: ``plugins/<type>/`` of a
#: collection, ``lib/ansible/modules/``, a role's or playbook's ``library/``
_ANSIBLE_PLUGIN = re.compile(r"(?:^|/)(?:plugins/[\w-]+|modules|library)/[^/]+$")


def ansible_plugin(path: str) -> bool:
    """Whether ``path`` is where an Ansible plugin or its documentation file stands: only
    there do those names mark documentation (a ``settings.yaml`` whose top-level key is
    ``EXAMPLES`` is configuration, and its password a credential)."""
    return _ANSIBLE_PLUGIN.search(path) is not None


def doc_lines(text: str, *, ansible: bool = True) -> list[tuple[int, int]]:
    """The (first, last) line ranges, 1-based and inclusive, of the docstrings of a Python
    source (module, classes, functions) and (``ansible``) of its Ansible documentation
    strings."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes in old code: still a module
            tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    spans: list[tuple[int, int]] = []
    for node in ast.walk(tree):
        if not isinstance(node, _DEFINITIONS) or not node.body:
            continue
        first = node.body[0]
        if isinstance(first, ast.Expr) and _string(first.value):
            spans.append((first.lineno, first.end_lineno or first.lineno))
    for stmt in tree.body if ansible else ():
        if (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
            and stmt.targets[0].id in ANSIBLE_DOC_NAMES
            and _string(stmt.value)
        ):
            spans.append((stmt.lineno, stmt.end_lineno or stmt.lineno))
    return spans


def in_triple_quotes(text: str, at: int) -> bool:
    """Whether an odd number of triple quotes comes before ``at`` (the cheap test before a
    parse: a docstring is a triple-quoted string, most matches in code are not in one)."""
    return (text.count('"""', 0, at) + text.count("'''", 0, at)) % 2 == 1


def in_spans(line: int, spans: list[tuple[int, int]]) -> bool:
    return any(first <= line <= last for first, last in spans)


#: a top-level key of a YAML file (not indented, not a comment, not a document marker), on
#: its line (``[^:]*`` crossed lines: a text without a colon was read to its end from every
#: line, 0.2 MB 1.5 s)
_YAML_TOP_KEY = re.compile(r"^[^\s#-][^:\n]*:", re.MULTILINE)


def yaml_doc_lines(text: str) -> list[tuple[int, int]]:
    """The line ranges of the ``DOCUMENTATION``, ``EXAMPLES`` and ``RETURN`` keys of an
    Ansible module's documentation file (``plugins/modules/user.yml`` beside ``user.ps1``)."""
    spans: list[tuple[int, int]] = []
    if not any(f"{n}:" in text for n in ANSIBLE_DOC_NAMES):
        return spans
    start = 0
    name = ""
    line, counted = 1, 0  # lines counted up to ``counted``, once over the text (counted
    for m in _YAML_TOP_KEY.finditer(text):  # from the start for every key: 1 MB, 25 s)
        line += text.count("\n", counted, m.start())
        counted = m.start()
        if name:
            spans.append((start, line - 1))
        key = m.group(0)[:-1].strip()
        name = key if key in ANSIBLE_DOC_NAMES else ""
        start = line
    if name:
        spans.append((start, len(text.splitlines())))
    return spans


_POD_START = re.compile(r"^=(?!cut\b)[a-zA-Z]", re.MULTILINE)
_POD_END = re.compile(r"^=cut\b", re.MULTILINE)


#: a line that does not read as a documentation comment's: its first character other than
#: a blank is not the ``*`` a docblock's lines start with
_NOT_DOC_LINE = re.compile(r"\n[ \t]*[^\s*]")


def in_doc_comment(text: str, at: int, *, pod: bool) -> bool:
    """Whether ``at`` lies inside a documentation comment of a program: after a ``/**``
    that no ``*/`` has closed yet (PHPDoc, JSDoc, Javadoc …), or (``pod``: a Perl file)
    inside a POD block, after a ``=head1``/``=item``/``=pod`` … line that no ``=cut`` has
    ended. A plain ``/* … */`` comment is not documentation (code is commented out so).

    The ``/**`` must open its line and every line of the comment up to ``at`` start with
    ``*`` (secprec19): a ``/**`` anywhere else is in a string (``files: ["src/**/*.js"]``,
    ``$glob = 'lib/**'``) or a line comment, and read as an opened comment it made every
    later password of the file documentation, capped at low."""
    if not pod:
        opened = text.rfind("/**", 0, at)
        if opened < 0 or text.rfind("*/", opened + 3, at) >= 0:
            return False
        line_start = text.rfind("\n", 0, opened) + 1
        return not text[line_start:opened].strip(" \t") and (
            _NOT_DOC_LINE.search(text, opened, at + 1) is None
        )
    # (the file's POD marks are found once: searched again for each finding, a Perl file of
    # many findings cost the square of its size, 0.8 MB 26 s of CPU; review18)
    starts, cuts = _pod_marks(text)
    i = bisect_right(starts, at - 2) - 1  # the last block start whose mark ends before at
    if i < 0:
        return False
    j = bisect_left(cuts, starts[i])  # the first =cut after that start
    return j == len(cuts) or cuts[j] + 4 > at


@lru_cache(maxsize=4)
def _pod_marks(text: str) -> tuple[list[int], list[int]]:
    """Where the POD block starts and the ``=cut`` lines of ``text`` begin."""
    return (
        [m.start() for m in _POD_START.finditer(text)],
        [m.start() for m in _POD_END.finditer(text)],
    )
