"""False-positive filters for secret candidates.

Applied to every rule: documented example keys (AWS's own ``...EXAMPLE`` keys). Applied
to generic rules (``password = "..."`` and friends) only: variable references and
templates, placeholders, hashes, UUIDs, numbers, paths and code expressions.
"""

from __future__ import annotations

import re

#: values documented by providers as examples (AWS docs end theirs with EXAMPLE[KEY])
_DOCUMENTED = re.compile(r"EXAMPLE(?:KEY)?$|^AKIAI[O0]SFODNN7|^wJalrXUtnFEMI/K7MDENG")

_REFERENCE = re.compile(
    r"""
    \$\{[^}]*\}?            # ${VAR}
    | \$\(                  # $(cmd)
    | \{\{.*\}\}            # {{ secrets.X }} / jinja / helm
    | \{%                   # jinja blocks
    | <%                    # erb
    | ^\$[A-Za-z_][A-Za-z0-9_]*$  # $VAR
    | %\([A-Za-z0-9_]+\)s        # %(VAR)s
    | ^%[A-Za-z_][A-Za-z0-9_]*%$  # %VAR%
    | ^<[^<>]+>$            # <your-key>
    | ^\[[^\[\]]+\]$        # [your-key]
    | ^\#\{.*\}$            # ruby interpolation
    | \{[A-Za-z_][^{}]{0,80}\}  # f-string / format / template placeholders
    | ^\{[A-Za-z_]             # the start of one, cut at a space
    | ^%[sd]$ | ^@[A-Za-z_]+@$  # printf, autoconf
    | os\.environ | os\.getenv | getenv\( | process\.env | ENV\[ | System\.getenv
    | Environment\.GetEnvironmentVariable | env\( | secrets\. | vault: | ssm: | arn:aws
    """,
    re.VERBOSE | re.IGNORECASE,
)

#: what every alternative of _REFERENCE needs: one of these characters, or (case-insensitive)
#: one of these words; a value without any cannot match it (about 7x cheaper than the search)
_REFERENCE_CHARS = frozenset("${<%[#@")
_REFERENCE_WORDS: tuple[str, ...] = (
    *("environ", "getenv", "process.env", "env[", "env(", "secrets.", "vault:", "ssm:"),
    "arn:aws",
)

_PLACEHOLDER_WORDS = re.compile(
    r"""^(?:
      changeme|change[_-]?me|change[_-]?it|password\d*|passw0rd|passwd|secret|secrets?key
    | your[_-]?.*|my[_-]?(?:password|secret|token|key).*|example.*|sample.*|dummy.*|fake.*
    | test(?:ing)?\d*|placeholder.*|redacted|removed|hidden|none|null|nil|undefined|empty
    | true|false|yes|no|on|off|default|admin|root|user(?:name)?|pass|todo|tbd|fixme|xxx+
    | replace[_-]?me.*|insert[_-]?.*|put[_-]?your.*|enter[_-]?.*|add[_-]?your.*|required
    | not[_-]?set|notset|unset|n/?a|string|str|value|token|api[_-]?key|key|foo|bar|baz|qux
    | foobar|abc\d*|12345\d*|qwerty.*|letmein|hunter2|s3cr3t|supersecret|topsecret|mysecret
    )$""",
    re.VERBOSE | re.IGNORECASE,
)

_MASKED = re.compile(r"^(?:[xX*#.\-_•]+|(.)\1{5,}|[xX*]{3,}.*|.*[xX*]{4,})$")
_HASH = re.compile(
    r"^(?:sha(?:1|224|256|384|512)[-:=][A-Za-z0-9+/=_-]+|md5[-:][0-9a-f]+"
    r"|[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128}|\$2[aby]\$\d\d\$.+"
    r"|\$argon2.+|\$(?:1|5|6)\$.+|pbkdf2[_:].+)$",
    re.IGNORECASE,
)
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
#: entry points / import references: ``pkg.module:Attr``, ``module:CONSTANT``
_IMPORT_REF = re.compile(r"^[A-Za-z_][\w.-]*:[A-Za-z_][\w.]*$")
_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+(?:\(\))?$")
_REGEX_OR_GLOB = re.compile(
    r"^[a-z][a-z0-9+.-]{1,15}://[^:@/]*(?:/|$)|\(\?[:!=<P]|\\[dDsSwWbB]|^(?=.*\*)[\w.*-]+/[\w.*/-]+$"
)
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)*$")
_CODE = re.compile(
    r"""^[A-Za-z_][A-Za-z0-9_]*\(.*\)$      # call(...)
    | ^[A-Za-z_][A-Za-z0-9_]*\[.*\]$      # lookup[...]
    | ^(?:\.{0,2}/|~/|[A-Za-z]:\\)[\w./\\-]*$  # paths
    | ^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$     # CONSTANT_NAMES
    | ^[a-z]+(?:_[a-z]+)+$               # snake_case identifiers
    | ^[a-z]{2,}(?:[A-Z][a-z]{2,})+$     # camelCase identifiers
    | ^[a-z]+(?:-[a-z]+){2,}$            # kebab-case-words
    """,
    re.VERBOSE,
)


def is_documented_example(value: str) -> bool:
    return _DOCUMENTED.search(value) is not None


def _may_reference(v: str) -> bool:
    if not _REFERENCE_CHARS.isdisjoint(v):
        return True
    low = v.lower()
    return any(w in low for w in _REFERENCE_WORDS)


def is_false_positive(value: str, whole: str = "", *, strict: bool = True) -> bool:
    """True when a candidate is a reference, a placeholder or not a credential.

    ``strict`` (generic rules) also drops hashes, UUIDs, numbers, code and prose; provider
    rules whose value has a known shape (32 hex, a UUID) only drop references/placeholders.
    """
    v = value.strip().strip("\"'`")
    if len(v) < 6:
        return True
    if _may_reference(v) and _REFERENCE.search(v):
        return True
    if _PLACEHOLDER_WORDS.match(v) or _MASKED.match(v):
        return True
    if _CODE.match(v):  # an identifier or expression, whatever the rule (all anchored)
        return True
    if not strict:
        return False
    if _HASH.match(v) or _UUID.match(v) or _NUMBER.match(v) or _DOTTED.match(v):
        return True
    if _IMPORT_REF.match(v):
        module, attr = v.split(":", 1)
        if "." in module or attr.isupper():
            return True
    if ("://" in v or "(?" in v or "\\" in v or "*" in v) and _REGEX_OR_GLOB.search(v):
        return True
    if " " in v and len(v.split()) > 2:  # prose, not a credential
        return True
    low = v.lower()
    return any(w in low for w in ("example", "placeholder", "changeme", "your_", "your-", "dummy"))
