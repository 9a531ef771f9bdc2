"""The decoding stage: rules see what an encoded value holds.

A *decoder rule* (``SecretRule.decoder``) finds an encoded value (a Kubernetes Secret's
``data:`` entry in YAML or JSON, also as a folded or literal block; a base64 JSON document
such as a ``.dockerconfigjson``; a URL-encoded run; a JSON string with escaped quotes inside
a string; XML/HTML with escaped markup); the engine decodes it here and scans the decoded
text with every rule, one level deeper. A secret found inside
is reported by the rule that found it, located on the encoded text (so the finding points at
the line a person must change, and the whole encoded value is redacted), with the decoded
secret as its value (identity and checksum validators see the real value).

Escapes (URL, JSON, XML) are decoded with a map from each decoded character to its
encoded offset, so a secret found inside is located on exactly its own encoded text; a
base64 value is located as a whole (its characters do not map one to one).

Bounded: at most :data:`MAX_DEPTH` levels, encoded values of at most :data:`MAX_ENCODED`
characters, and only decodings that are printable UTF-8 text go on.
"""

from __future__ import annotations

import base64
import binascii
import html.entities
import re
from collections.abc import Iterator
from typing import Any

from pipesec.scanners.secrets.filters import is_code_path

MAX_DEPTH = 2
MAX_ENCODED = 8000

BASE64 = "base64"
#: ``name: <base64>`` (YAML key/value): the key name is kept as context for the decoded
#: value, so ``DB_PASSWORD: <base64 of a password>`` reads as ``DB_PASSWORD: password``
BASE64_KEYED = "base64-keyed"
#: the rule matches a Kubernetes Secret's ``kind: Secret``: every ``name: <base64>`` entry
#: of the same YAML document (between ``---`` lines, 64 KB either side) is decoded as keyed
K8S_MANIFEST = "k8s-manifest"
#: how far from ``kind: Secret`` the entries of its document are looked for
K8S_REACH = 65536
_K8S_ENTRY = re.compile(
    r"(?m)^[ \t]{1,12}(?P<name>[\w.-]{1,100}):[ \t]{1,3}"
    r"(?P<value>(?:[A-Za-z0-9+/]{4}){2,2000}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?)[ \t\r]*$"
)
#: ``name: >-`` / ``name: |`` followed by indented lines of base64 (a folded or literal block)
_K8S_BLOCK = re.compile(
    r"(?m)^[ \t]{1,12}(?P<name>[\w.-]{1,100}):[ \t]{1,3}[>|][-+]?[ \t]*\r?\n"
    r"(?P<value>(?:[ \t]{2,24}[A-Za-z0-9+/]{4,400}={0,2}[ \t]*\r?\n?){1,400})"
)
_DOC_SEP = re.compile(r"(?m)^---[ \t]*$")
#: a Kubernetes Secret as JSON: ``"kind": "Secret"`` and its ``"name": "<base64>"`` entries
K8S_JSON = "k8s-json"
_JSON_KIND = re.compile(r'"kind"\s{0,3}:\s{0,3}"')
_JSON_ENTRY = re.compile(
    r'"(?P<name>[\w.-]{1,100})"\s{0,3}:\s{0,3}'
    r'"(?P<value>(?:[A-Za-z0-9+/]{4}){2,2000}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?)"'
)
#: a value under a generic key (``api_key:``, ``token =``) whose provider the enclosing key
#: names (``opsgenie:`` above it in YAML or indented JSON, a ``[sentry]`` TOML/INI section):
#: the keys are joined (``opsgenie_api_key: <value>``) and the provider rules read that line
PARENT_KEYED = "parent-keyed"
#: how many lines above a value its parent keys are looked for, and how many levels
PARENT_LINES = 20
PARENT_LEVELS = 2
#: a line that opens a mapping: ``name:`` (YAML), ``"name": {`` (JSON, also after the
#: braces and commas of the lines it shares: ``{"name": {``), ``name {`` and a block with
#: labels ``provider "name" {`` (HCL), ``name = {`` and ``const name = {`` (code),
#: ``'name' => [`` (PHP), ``name := Type{`` (Go), ``x = Name(`` (a call's arguments below),
#: ``Name.configure do |c|`` (a Ruby block: ``c.api_key = …`` below);
#: the names it holds are its groups
_PARENT_KEY = re.compile(
    r"[ \t]*(?:[{\[,][ \t]*){0,2}(?:(?:export[ \t]+)?(?:const|let|var|val)[ \t]+)?"
    r"[\"']?([A-Za-z][\w.-]{1,60})[\"']?[ \t]*"
    r"(?::[ \t]*\{?"
    r"|(?::=|=>|=)?[ \t]*(?:new[ \t]+)?([A-Za-z][\w.]{0,60})?[ \t]*(?:[{(]|(?<==>)[ \t]*\[)"
    r"|=>[ \t]*array[ \t]*\("
    r"|[ \t]+do[ \t]*(?:\|[\w, ]{1,40}\|)?"
    r"|((?:[ \t]+\"[\w.-]{1,60}\"){1,2})[ \t]*\{)"
    r"[ \t]*(?:(?:#|//)[^\n]*)?"
)
#: a TOML table or INI section header: ``[sentry]``, ``[services.opsgenie]``, ``[[x.y]]``
_SECTION = re.compile(r"\[{1,2}[ \t]*[\"']?([A-Za-z][\w. \"'-]{1,60}?)[\"']?[ \t]*\]{1,2}")


class Parents:
    """The keys that enclose the lines of one text, read in one pass: each line above a
    value is read once however many values stand under it (read again for every value, a
    file of generic keys cost its size twenty times over).

    :meth:`of` answers for lines in the order of the text; it keeps the chain of less and
    less indented lines above the last line read (whether each opens a mapping is worked out
    when a value asks) and the last TOML/INI section header, and jumps over a gap of more
    than :data:`PARENT_LINES` lines (what is above it is out of reach)."""

    __slots__ = ("_chain", "_header", "_line", "_pos", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._pos = 0  # where the first line not read yet starts
        self._line = 0  # its number (counted from where the reading last started)
        #: [indentation, line number, start, end, the name it opens: None, or _UNREAD],
        #: indentation rising
        self._chain: list[list[Any]] = []
        self._header: tuple[int, str] | None = None

    def of(self, line_start: int, indent: int) -> list[str]:
        """The keys enclosing the line at ``line_start`` (indented by ``indent``), nearest
        first: the less indented lines above it that open a mapping (YAML, indented JSON,
        HCL blocks, code), up to :data:`PARENT_LEVELS` of them, or the section header it
        stands under (TOML, INI); within :data:`PARENT_LINES` lines. A less indented line
        that opens no mapping (a list item, a value) ends the search: no named parent."""
        text = self.text
        if indent == 0 and text.find("[", max(0, line_start - 4000), line_start) < 0:
            return []  # a key at the margin has only a section header for a parent
        if line_start < self._pos or text.count("\n", self._pos, line_start) > PARENT_LINES:
            self._jump(line_start)
        self._read(line_start)
        floor = self._line - PARENT_LINES
        names: list[str] = []
        width = indent
        for entry in reversed(self._chain):
            if entry[1] < floor:
                return names
            if entry[0] >= width:
                continue  # a sibling, or a line of a sibling's block
            if entry[4] is _UNREAD:
                opened = _PARENT_KEY.fullmatch(text, entry[2], entry[3])
                entry[4] = "_".join(n for n in opened.groups() if n) if opened else None
            if entry[4] is None:
                return names
            names.append(entry[4])
            width = entry[0]
            if len(names) == PARENT_LEVELS or width == 0:
                return names
        if self._header is not None and self._header[0] >= floor:
            names.append(self._header[1])
        return names

    def _jump(self, line_start: int) -> None:
        """Start reading afresh :data:`PARENT_LINES` lines above ``line_start``."""
        pos = line_start
        for _ in range(PARENT_LINES):
            if pos <= 0:
                break
            pos = self.text.rfind("\n", 0, pos - 1) + 1
        self._pos, self._line, self._chain, self._header = pos, 0, [], None

    def _read(self, line_start: int) -> None:
        """Read the lines from the first not read yet up to ``line_start``: each line's
        indentation, whether it is blank, a comment or a section header (no copy of a
        long line)."""
        text = self.text
        chain = self._chain
        pos = self._pos
        while pos < line_start:
            end = text.find("\n", pos, line_start)
            if end < 0:
                end = line_start
            stop = end
            while stop > pos and text[stop - 1] == "\r":
                stop -= 1
            start, pos = pos, end + 1
            number = self._line
            self._line += 1
            body = _INDENT.match(text, start, stop).end()  # type: ignore[union-attr]
            if body == stop or text[body] in "#;/":
                continue  # blank line or comment
            if text[body] == "[":
                header = _SECTION.fullmatch(text[body:stop].rstrip())
                if header is not None:  # a new section: nothing above it encloses
                    self._header = (number, header.group(1))
                    chain.clear()
                    continue
            ind = body - start
            while chain and chain[-1][0] >= ind:
                chain.pop()
            chain.append([ind, number, start, stop, _UNREAD])
        self._pos = pos


#: a chain entry whose line was not matched against :data:`_PARENT_KEY` yet
_UNREAD = object()
_INDENT = re.compile(r"[ \t]*")


def parent_keyed(parents: Parents, m: re.Match[str]) -> tuple[str, int, str] | None:
    """For a parent-keyed rule's match (groups: indentation, key, value) in the text
    ``parents`` reads: the line the provider rules read (``<parents>_<key>: <value>``),
    where the value starts in it, and the parents' names (lower case, joined); None when
    the value has no parent key."""
    names = parents.of(m.start(), len(m.group(1)))
    if not names:
        return None
    return _keyed_line("_".join(_key_words(n) for n in reversed(names)), m.group(2), m.group(3))


def _key_words(name: str) -> str:
    """A key's name in lower case, its runs of signs as ``_`` (``Ops-Genie.eu`` ->
    ``ops_genie_eu``)."""
    return re.sub(r"[^\w]+", "_", name).strip("_").lower()


def _keyed_line(parents: str, key: str, value: str) -> tuple[str, int, str]:
    """The line the provider rules read for ``value`` under ``key`` inside ``parents``
    (``<parents>_<key>: <value>``), where the value starts in it, and ``parents``."""
    head = f"{parents}_{key}: "
    return f"{head}{value}\n", len(head), parents


#: an XML element whose ``name``/``key`` attribute is the key and whose text the value
#: (Android string resources ``<string name="opsgenie_key" translatable="false">``,
#: ``<item name=… type="string">``, Java's XML properties ``<entry key=…>``): read as
#: ``<name>: <value>`` by the provider rules, as a value under its parent keys is
NAME_KEYED = "name-keyed"
#: a generic key's value inside a one-line mapping opened after a key that names the
#: provider: a YAML flow mapping ``opsgenie: {api_key: …}``, a JSON object on one line
#: ``"opsgenie": {"api_key": "…"}``, HCL ``opsgenie = { token = "…" }``
FLOW_KEYED = "flow-keyed"
#: a value whose provider a sibling in the same mapping names: a ``name``/``key`` whose
#: value is the whole key and a ``value`` (Kubernetes ``env``, ECS ``environment``, Ant
#: ``<property name=… value=…/>``, .NET ``<add key=… value=…/>``), or a ``name``/``service``/
#: ``type`` that names the provider of a generic key's value (``- name: opsgenie`` /
#: ``token: …``, ``{"service": "opsgenie", "key": "…"}``)
SIBLING_KEYED = "sibling-keyed"
#: the decoders that read a value with the key that names it (the provider rules only)
KEYED = frozenset({PARENT_KEYED, NAME_KEYED, FLOW_KEYED, SIBLING_KEYED})


def flow_keyed(m: re.Match[str]) -> tuple[str, int, str]:
    """For a flow-keyed rule's match (groups: the key that opens the mapping, the generic
    key, the value): as :func:`parent_keyed`, with the opening key as the one parent."""
    return _keyed_line(_key_words(m.group(1)), m.group(2), m.group(3))


def name_keyed(m: re.Match[str]) -> tuple[str, int, str]:
    """For a name-keyed rule's match (groups: the name attribute, the element's text): the
    line the provider rules read (``<name>: <value>``), where the value starts in it, and
    the name (lower case, its signs as ``_``)."""
    head = f"{m.group(1)}: "
    return f"{head}{m.group(2)}\n", len(head), _key_words(m.group(1))


def sibling_keyed(text: str, m: re.Match[str]) -> tuple[str, int, str] | None:
    """For a sibling-keyed rule's match (groups: the sibling's key, its value, the value's
    key, the value): the line the provider rules read, where the value starts in it, and
    the names (lower case, joined). A ``name``/``key`` sibling with a ``value`` gives
    ``<name>: <value>``; a sibling naming the provider of a generic key's value gives
    ``<sibling's value>_<key>: <value>``. None when the two are not in one mapping (across
    lines: the value's key must stand in the sibling's column, with no line between less
    indented than it, or both in one XML tag) or a ``value`` has no ``name``/``key``."""
    sibling, named, key, value = m.group(1), m.group(2), m.group(3), m.group(4)
    if "\n" in text[m.start(1) : m.start(3)] and not _one_mapping(text, m.start(1), m.start(3)):
        return None
    if key.lower() != "value":
        return _keyed_line(_key_words(named), key, value)
    if sibling.lower() not in ("name", "key"):
        return None
    head = f'{named}: "'  # (the name-value decoders' line: read once, see SecretEngine)
    return f'{head}{value}"\n', len(head), _key_words(named)


def _one_mapping(text: str, first: int, last: int) -> bool:
    """Whether the entries whose keys start at ``first`` and at ``last`` (on a later line)
    belong to one mapping: both in one XML tag (the rule's regex allows no ``<``/``>``
    between), or the second in the first's column (a key's opening quote counted) with
    every line between indented at least as far (a nested block, not the next item)."""
    start = text.rfind("\n", 0, first) + 1
    head = text[start:first]
    if head.rfind("<") > head.rfind(">"):
        return True  # attributes of one tag, on two lines
    column = _entry_at(text, first) - start
    line = text.rfind("\n", 0, last) + 1
    if _entry_at(text, last) - line != column:
        return False
    for between in text[text.find("\n", first) + 1 : line].splitlines():
        body = between.lstrip(" \t")
        if body and len(between) - len(body) < column:
            return False
    return True


def _entry_at(text: str, at: int) -> int:
    """Where the entry whose key starts at ``at`` starts (its opening quote, if any)."""
    return at - 1 if at > 0 and text[at - 1] in "\"'" else at


def keyed_line(kind: str, parents: Parents, m: re.Match[str]) -> tuple[str, int, str] | None:
    """For a match of a keyed decoder rule of ``kind`` (in the text ``parents`` reads): the
    line the provider rules read, where the value starts in it, and the names that key it
    (lower case, joined); None when nothing names the value."""
    if kind == NAME_KEYED:
        return name_keyed(m)
    if kind == FLOW_KEYED:
        return flow_keyed(m)
    if kind == SIBLING_KEYED:
        return sibling_keyed(parents.text, m)
    return parent_keyed(parents, m)


#: a value named by a sibling field of its record, not by its own key: ``- name: DB_PASSWORD``
#: / ``value: …`` (Kubernetes env, ECS task definitions, CloudFormation parameter files),
#: ``<key>password</key><value>…</value>`` (XML properties, Hadoop ``<name>``/``<value>``),
#: ``getenv("PASSWORD", "…")`` / ``define("DB_PASSWORD", "…")`` (a call's name and literal):
#: read as ``<name>: "<value>"`` by every rule (the name is the value's key, as in
#: ``DB_PASSWORD: …``), located on the value
NAME_VALUE = "name-value"


def name_value(m: re.Match[str]) -> tuple[str, int]:
    """For a name-value rule's match (groups: the name, the value): the line every rule
    reads (``<name>: "<value>"``) and where the value starts in it."""
    head = f'{m.group(1)}: "'
    return f'{head}{m.group(2)}"\n', len(head)


#: a list of values under a key that names them in the plural (``api_keys:`` then ``- …``
#: items in YAML, ``"passwords": ["…", "…"]`` in JSON): each scalar item is read as
#: ``<the key in the singular>: "<item>"`` by every rule, located on the item
LIST_KEYED = "list-keyed"
#: a default value under the parameter or variable it belongs to (CloudFormation
#: ``DBPassword:`` / ``Default: …``, ARM ``"defaultValue"``, Terraform ``variable
#: "db_password" {`` / ``default = "…"``): read as ``<name>: "<value>"`` by every rule
DEFAULT_KEYED = "default-keyed"
#: the decoders whose inner findings stand for the value itself (a generic rule's finding
#: there yields to a provider's finding on the same characters)
NAMED = frozenset({NAME_VALUE, LIST_KEYED, DEFAULT_KEYED})
#: a block that names what it declares: HCL ``variable "db_password" {``
_HCL_BLOCK = re.compile(
    r"[ \t]*[A-Za-z_][\w-]{0,30}[ \t]+\"([A-Za-z][\w.-]{0,100})\"[ \t]*\{[ \t]*"
)


def default_keyed(text: str, m: re.Match[str]) -> tuple[str, int, int] | None:
    """For a default-keyed rule's match (groups: indentation, value): the line every rule
    reads (``<name>: "<value>"``, the name of the mapping or block the default stands in:
    the nearest less indented line above, at most :data:`PARENT_LINES` back), where the
    value starts in it and in the text; None when nothing names it."""
    pos, width = m.start(), len(m.group(1))
    for _ in range(PARENT_LINES):
        if pos <= 0:
            return None
        prev = text.rfind("\n", 0, pos - 1) + 1
        line = text[prev : pos - 1].rstrip("\r")
        pos = prev
        body = line.lstrip(" \t")
        if not body or body[0] in "#;/" or len(line) - len(body) >= width:
            continue  # blank, a comment, a sibling (``Type: String``) or a sibling's block
        opened = _HCL_BLOCK.fullmatch(line) or _PARENT_KEY.fullmatch(line)
        if opened is None:
            return None
        head = f'{opened.group(1)}: "'
        return f'{head}{m.group(2)}"\n', len(head), m.start(2)
    return None


#: a scalar item of a YAML block sequence or of a JSON array (its text, unquoted)
_LIST_ITEM = re.compile(
    r"(?m:^[ \t]{0,40}-[ \t]{1,4}[\"']?([^\s\"'#,\[\]{}]{1,400})[\"']?[ \t]*\r?$)"
    r"|[\"']([^\s\"'\\]{1,400})[\"']"
)


def list_keyed(m: re.Match[str], group: int | str) -> Iterator[tuple[str, int, int]]:
    """For a list-keyed rule's match (group 1: the plural key; ``group``: the items): for
    each scalar item, the line every rule reads (``<key>: "<item>"``, the key's last ``s``
    dropped), where the item starts in it, and where it starts in the text."""
    key = m.group(1)
    head = f'{key[:-1] if key[-1:] in "sS" else key}: "'
    base = m.start(group)
    for item in _LIST_ITEM.finditer(m.group(group)):
        g = 1 if item.group(1) is not None else 2
        yield f'{head}{item.group(g)}"\n', len(head), base + item.start(g)


#: escapes decoded character by character, each located on its own encoded text
URL_ENCODED = "url-encoded"
JSON_ESCAPED = "json-escaped"
XML_ESCAPED = "xml-escaped"
#: a file written into one quoted string, its lines joined by ``\n`` escapes
#: (``"config.ini": "API_TOKEN=...\nDEBUG=false"``): JSON escapes, and one is enough
ESCAPED_LINES = "escaped-lines"
ESCAPES = frozenset({URL_ENCODED, JSON_ESCAPED, XML_ESCAPED, ESCAPED_LINES})
_HEX = frozenset("0123456789abcdefABCDEF")
_JSON_SIMPLE = {
    '"': '"',
    "\\": "\\",
    "/": "/",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
}
_XML_ENTITY = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));")


def decode_base64(value: str) -> str | None:
    """The text a base64 (standard or URL-safe) value encodes, or None if it is not text.

    A value wrapped over lines (``base64`` writes 76 characters a line, ``openssl base64``
    64) is read as its full lines of the first line's width and one shorter last line; a
    line after them, or a last line that spoils the decoding (a word on the next line of a
    script), is not part of it.

    A PEM document (``-----BEGIN``) whose body holds a byte that is not text (a character
    of its base64 changed by hand) is still read, the byte replaced by U+FFFD: its key
    block is reported as the same block unencoded is (a key that does not parse: low)."""
    v = value.strip()
    if not v or len(v) > MAX_ENCODED:
        return None
    if "\n" not in v:
        return _decode_base64(v)
    lines = v.split()
    width = len(lines[0])
    kept = lines[:1]
    for line in lines[1:]:
        if len(line) > width:
            break
        kept.append(line)
        if len(line) < width:
            break
    text = _decode_base64("".join(kept))
    if text is None and len(kept) > 1:
        text = _decode_base64("".join(kept[:-1]))
    return text


def _decode_base64(v: str) -> str | None:
    v = v.replace("-", "+").replace("_", "/")
    v += "=" * (-len(v) % 4)
    try:
        raw = base64.b64decode(v, validate=True)
    except (binascii.Error, ValueError):
        return None
    try:
        text = raw.decode("utf-8")
    except ValueError:
        if not raw.startswith(b"-----BEGIN"):
            return None
        text = raw.decode("utf-8", "replace")
    if not text:
        return None
    if not all(c.isprintable() or c in "\t\r\n" for c in text):
        if not text.startswith("-----BEGIN"):
            return None
        text = "".join(c if c.isprintable() or c in "\t\r\n" else "\ufffd" for c in text)
        if text.count("\ufffd") * 20 > len(text):
            return None  # not a text document with a flaw: binary behind a PEM header
    return text


def encoded_values(
    kind: str, text: str, m: re.Match[str], group: int | str
) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, name, encoded value) of each value a decoder rule's match stands for."""
    if kind == K8S_JSON:
        yield from _json_entries(text, m)
        return
    if kind != K8S_MANIFEST:
        s, e = m.span(group)
        if s >= 0:
            yield s, e, (m.groupdict().get("name") or ""), m.group(group)
        return
    lo = max(0, m.start() - K8S_REACH)
    hi = min(len(text), m.end() + K8S_REACH)
    before = [x.end() for x in _DOC_SEP.finditer(text, lo, m.start())]
    start = before[-1] if before else lo
    after = _DOC_SEP.search(text, m.end(), hi)
    end = after.start() if after else hi
    for x in _K8S_ENTRY.finditer(text, start, end):
        yield x.start("value"), x.end("value"), x.group("name"), x.group("value")
    for x in _K8S_BLOCK.finditer(text, start, end):
        block = x.group("value")
        s, e = x.start("value"), x.start("value") + len(block.rstrip())
        yield s, e, x.group("name"), "".join(block.split())


def _json_entries(text: str, m: re.Match[str]) -> Iterator[tuple[int, int, str, str]]:
    """The ``"name": "<base64>"`` entries around a JSON ``"kind": "Secret"``: its object's
    keys come in any order, so both sides are read, up to the neighbouring ``"kind"``."""
    lo = max(0, m.start() - K8S_REACH)
    hi = min(len(text), m.end() + K8S_REACH)
    before = [x.end() for x in _JSON_KIND.finditer(text, lo, m.start())]
    start = before[-1] if before else lo
    after = _JSON_KIND.search(text, m.end(), hi)
    end = after.start() if after else hi
    for x in _JSON_ENTRY.finditer(text, start, end):
        if x.group("name") in ("kind", "apiVersion", "type"):
            continue
        yield x.start("value"), x.end("value"), x.group("name"), x.group("value")


def judged_path(kind: str, path: str | None) -> str | None:
    """The path the text a decoder found is judged by (the finding stays on ``path``).

    The lines of a file written into one string (``ESCAPED_LINES``: ``"DB_HOST=db\\nAPI_TOKEN=…"``)
    are a configuration's whatever holds the string; judged by a program's path they were
    code, and an unquoted ``API_TOKEN=…`` was dropped as a name (session 16). In a program
    they are judged as an ``.env`` file beside it; elsewhere (JSON, YAML) by the path itself.
    """
    if kind == ESCAPED_LINES and path is not None and is_code_path(path):
        return path + ".env"
    return path


#: the character that starts an escape, per kind
_ESCAPE_CHAR = {URL_ENCODED: "%", JSON_ESCAPED: "\\", XML_ESCAPED: "&", ESCAPED_LINES: "\\"}


def unescape(kind: str, value: str) -> tuple[str, list[int]] | None:
    """``value`` with its URL, JSON or XML escapes decoded, and for each decoded character
    the offset in ``value`` where its encoded form starts (one more entry: the end). None
    when nothing was escaped, an escape is malformed, or a URL escape is not ASCII."""
    if len(value) > MAX_ENCODED:
        return None
    esc = _ESCAPE_CHAR.get(kind)
    if esc is None:
        return None
    out: list[str] = []
    at: list[int] = []
    i = 0
    n = len(value)
    escaped = 0
    while i < n:
        j = value.find(esc, i)
        if j < 0:
            j = n
        if j > i:  # plain characters up to the next escape, copied as they are
            out.append(value[i:j])
            at.extend(range(i, j))
            if j == n:
                break
        decoded = _escape_at(kind, value, j)
        if decoded is None:
            return None
        c, step = decoded
        escaped += 1
        out.append(c)
        at.append(j)
        i = j + step
    # one escape is noise in most kinds (a lone ``%20``); a line break joining two lines of
    # a file written into a string is the whole point of ``ESCAPED_LINES``
    if escaped < (1 if kind == ESCAPED_LINES else 2):
        return None
    at.append(n)
    return "".join(out), at


def _escape_at(kind: str, value: str, i: int) -> tuple[str, int] | None:
    """(decoded character, encoded length) of the escape at ``value[i]``, or None when it
    is malformed (or, in a URL, not ASCII)."""
    if kind == URL_ENCODED:
        hx = value[i + 1 : i + 3]
        if len(hx) != 2 or not _HEX.issuperset(hx) or int(hx, 16) > 0x7F:
            return None
        return chr(int(hx, 16)), 3
    if kind in (JSON_ESCAPED, ESCAPED_LINES):
        e = value[i + 1 : i + 2]
        if e in _JSON_SIMPLE:
            return _JSON_SIMPLE[e], 2
        if e == "u" and len(hx := value[i + 2 : i + 6]) == 4 and _HEX.issuperset(hx):
            return chr(int(hx, 16)), 6
        return None
    x = _XML_ENTITY.match(value, i)
    if x is None:
        return None
    if x.group(3) is not None:
        cp = html.entities.name2codepoint.get(x.group(3))
        if cp is None:
            return None
    else:
        cp = int(x.group(1)) if x.group(1) else int(x.group(2), 16)
    if not 0 < cp <= 0x10FFFF:
        return None
    return chr(cp), x.end() - i


def decoded_text(kind: str, value: str, name: str = "") -> str | None:
    """The text to scan for a base64 ``value`` found by a decoder rule of ``kind`` (escapes
    go through :func:`unescape`, which also maps each character back to its offset)."""
    text = decode_base64(value)
    if text is None:
        return None
    if kind in (BASE64_KEYED, K8S_MANIFEST, K8S_JSON) and name and "\n" not in text.strip():
        return f"{name}: {text.strip()}\n"
    return text
