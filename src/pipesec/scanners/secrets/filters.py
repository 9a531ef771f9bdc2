"""False-positive filters for secret candidates.

Applied to every rule: documented example keys (AWS's own ``...EXAMPLE`` keys). Applied
to generic rules (``password = "..."`` and friends) only: variable references and
templates, placeholders, hashes, UUIDs, numbers, paths and code expressions.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from typing import NamedTuple

from pipesec.core.shapes import generated_segment
from pipesec.scanners.secrets import catalogues, placeholders
from pipesec.scanners.secrets.rules.base import shannon_entropy

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
    | ^\$\{?[A-Za-z_][\w:]*\}?/    # a path under a variable: $AMANDA_HOME/.am_passphrase
    | %\([A-Za-z0-9_]+\)s        # %(VAR)s
    | ^%[A-Za-z_][A-Za-z0-9_]*%$  # %VAR%
    | ^<[^<>]+>$            # <your-key>
    | ^<[A-Za-z_][\w-]*$     # the start of one, cut at a space (<PLACE PASSWORD OR TOKEN>)
    | ^\[[^\[\]]+\]$        # [your-key]
    | ^\#\{.*\}$            # ruby interpolation
    | \{[A-Za-z_][^{}]{0,80}\}  # f-string / format / template placeholders
    | ^\{[A-Za-z_]             # the start of one, cut at a space
    | \{\$[A-Za-z_][\w.]*(?::[^{}]*)?\}  # a Zabbix user macro: {$VMWARE.PASSWORD}
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
#: a weak password's value that is one character typed over (``yyyy``, ``aaaaa``): the
#: placeholder detector's run, from the weak rules' four characters (session 18)
_ONE_CHARACTER = re.compile(r"^(.)\1{3,}$")
#: (``*`` and 40 hex: MySQL's native password hash, what ``mysql.user`` stores and what a
#: Terraform ``mysql_user``'s password may be given as; KICS's fixtures of session 17's
#: unseen sample hold one under ``plaintext_password``)
_HASH = re.compile(
    r"^(?:sha(?:1|224|256|384|512)[-:=][A-Za-z0-9+/=_-]+|md5[-:][0-9a-f]+|\*[0-9a-f]{40}"
    r"|[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128}|\$2[aby]\$\d\d\$.+"
    r"|\$argon2.+|\$(?:1|5|6)\$.+|pbkdf2[_:].+)$",
    re.IGNORECASE,
)
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
#: entry points / import references: ``pkg.module:Attr``, ``module:CONSTANT``
_IMPORT_REF = re.compile(r"^[A-Za-z_][\w.-]*:[A-Za-z_][\w.]*$")
#: (a trailing number too: ``string.quoted.double.actionscript.2``, an editor's scope name)
_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+(?:\.\d+)?(?:\(\))?$")
#: a part of a dotted value no code name has: 12 letters and digits or more, a digit after a
#: letter twice and three changes of case (``jWksobI15SXxc7``, ``NX0bD2OvFFcBWG6P``: a random
#: key holding a dot, session 18's twelfth sample; ``AppConfigV2Handler`` stays a name)
_RANDOM_PART = re.compile(
    r"(?=[A-Za-z0-9]{12})(?=(?:[A-Za-z0-9]*?[A-Za-z][0-9]){2})"
    r"(?:[A-Za-z0-9]*?(?:[a-z][A-Z]|[A-Z][a-z])){3}"
)


def _dotted_name(v: str) -> bool:
    """A dotted code name (``tokenize.generate_tokens``), not a random value with a dot. A
    value with a base64 JSON part (``eyJ``: a JWT, Mapbox's ``pk.eyJ…`` public token) stays
    out of the generic rules as before: the JWT and provider rules judge it (demo tokens,
    public ones)."""
    if _DOTTED.match(v) is None:
        return False
    parts = re.split(r"[._]", v)
    return any(p.startswith("eyJ") for p in parts) or not any(_RANDOM_PART.match(p) for p in parts)


#: a name qualified by ``::``: a Perl package, a C++ or Ruby type
#: (``SOAP::WSDL::XSD::Typelib::Builtin::string`` in a SOAP class's type map)
_QUALIFIED = re.compile(r"^[A-Za-z_]\w*(?:::[A-Za-z_]\w*)+$")
#: a text editor's scope name, lower-case words and dots (``constant.begin..filter.slim``,
#: ``comment.line.double-slash.actionscript.2``: Ace's and TextMate's token types), or a
#: command-line option given as a value (``no_password='-nodes'``)
_SCOPE_OR_OPTION = re.compile(
    r"^[a-z]+(?:-[a-z0-9]+)*(?:\.{1,2}[a-z0-9]+(?:-[a-z0-9]+)*){2,}$|^--?[a-z]+(?:-[a-z]+)*$"
)
#: an oslo.policy check string (OpenStack's policy files: ``"os_compute_api:os-admin-password":
#: "rule:project_member_or_admin"``) or a CSS id selector (``'#snmp_priv_passphrase'``)
_POLICY_OR_SELECTOR = re.compile(
    r"^\(?(?:not\s+)?(?:rule|role|is_admin|system_scope):[\w.%()-]+|^#[A-Za-z_][\w-]*$"
)
_REGEX_OR_GLOB = re.compile(
    r"^[a-z][a-z0-9+.-]{1,15}://[^:@/]*(?:/|$)|\(\?[:!=<P]|\\[dDsSwWbB]|^(?=.*\*)[\w.*-]+/[\w.*/-]+$"
)
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)*$")
#: a regular expression literal: /.../flags holding a class, a group or a quantifier
_REGEX_LITERAL = re.compile(r"^/(?=[^/]*[\[\]()*+?|\\])[^/]+/[gimsuxy]*$")
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


def _generated_path(v: str) -> bool:
    """Whether a value :data:`_CODE` reads as a path holds a generated segment: a base64
    secret that starts with ``/`` (``/x8Kq2mP9vLw3nRt7wZ/bQ4s``, about one in a hundred) is
    that secret, not a path."""
    if not (v[:1] in "./~" or v[1:3] == ":\\"):
        return False  # an identifier or an expression
    return any(generated_segment(part) for part in re.split(r"[/\\]", v))


#: what ``_DOCUMENTED`` matches, as the ends and starts of a value (``$``: the end, or
#: before a newline that ends the value): no regex search at every position of a value
_DOCUMENTED_ENDS = ("EXAMPLE", "EXAMPLEKEY", "EXAMPLE\n", "EXAMPLEKEY\n")
_DOCUMENTED_STARTS = ("AKIAIOSFODNN7", "AKIAI0SFODNN7", "wJalrXUtnFEMI/K7MDENG")


#: a word of a name: a vowel in it, one or two capitals before its lower-case letters
#: (random tokens of a provider's alphabet read as three of them about once in a million)
_NAME_WORD = r"(?:[AEIOUY][a-z]{2,}|[A-Z]{1,2}(?=[a-z]*[aeiouy])[a-z]{2,})"
_NAME_PART = rf"(?:[a-z]{{2,}}(?:_[a-z0-9]+)*|{_NAME_WORD}+|[A-Z]{{2,}}(?:_[A-Z0-9]+)*)"
#: a program's name, never a token: ``OAuth2CredentialProviderVendor`` (a type),
#: ``cloud_assembly_schema.FileAssetPackaging.FILE`` (a dotted constant)
_CODE_NAME = re.compile(
    rf"^(?:{_NAME_WORD}[0-9]?)(?:{_NAME_WORD}){{2,}}$|^{_NAME_PART}(?:\.{_NAME_PART})+$"
)


def is_code_name(value: str) -> bool:
    """A program's name (a type, a dotted constant): never a value a provider generated
    (a person's passphrase may read so: ``CorrectHorseBatteryStaple``)."""
    return _CODE_NAME.match(value) is not None


def is_documented_example(value: str) -> bool:
    """``_DOCUMENTED.search(value)``: a value AWS's documentation prints, or one that says
    it is an example."""
    return value.endswith(_DOCUMENTED_ENDS) or value.startswith(_DOCUMENTED_STARTS)


def _may_reference(v: str) -> bool:
    if not _REFERENCE_CHARS.isdisjoint(v):
        return True
    low = v.lower()
    return any(w in low for w in _REFERENCE_WORDS)


def is_false_positive(
    value: str, whole: str = "", *, strict: bool = True, hashes: bool = True
) -> bool:
    """True when a candidate is a reference, a placeholder or not a credential.

    ``strict`` (generic rules) also drops hashes and UUIDs (unless ``hashes`` is false: a
    hex or UUID value under a secret's own key is the key), numbers, code and prose; provider rules
    whose value has a known shape (32 hex, a UUID) only drop references/placeholders.
    """
    v = value.strip().strip("\"'`")
    if len(v) < 6:
        return True
    if _may_reference(v) and _REFERENCE.search(v):
        return True
    if _PLACEHOLDER_WORDS.match(v) or _MASKED.match(v):
        return True
    if _CODE.match(v) and not _generated_path(v):  # an identifier, expression or path
        return True
    if not strict:
        return False
    if hashes and (_HASH.match(v) or _UUID.match(v)):
        return True
    if _NUMBER.match(v) or _dotted_name(v) or _QUALIFIED.match(v):
        return True
    if _POLICY_OR_SELECTOR.match(v) or _SCOPE_OR_OPTION.match(v):
        return True
    if _IMPORT_REF.match(v):
        module, attr = v.split(":", 1)
        if "." in module or attr.isupper():
            return True
    if ("://" in v or "(?" in v or "\\" in v or "*" in v) and _REGEX_OR_GLOB.search(v):
        return True
    if _REGEX_LITERAL.match(v):  # /_?[A-Z][_A-Z0-9]*/ in a grammar or a script
        return True
    if " " in v and len(v.split()) > 2:  # prose, not a credential
        return True
    low = v.lower()
    return any(w in low for w in ("example", "placeholder", "changeme", "your_", "your-", "dummy"))


# -- generic assignment rules that understand code ------------------------------------------
#
# A generic rule matched ``<key> <assign> <value>``. These checks look at the key (the whole
# identifier the keyword is part of), at the file's kind (code or configuration) and at the
# line, not only at the value.

#: kinds of generic rules (rules/generic.py says which rule is which)
ASSIGN = "assign"  # password/secret/token/api-key assignments, quoted values
ASSIGN_UNQUOTED = "assign-unquoted"  # the same, unquoted (env, properties, YAML, INI)
WEAK = "weak"  # reports what an assignment rule judged a weak password (never runs itself)
URL = "url"  # user:password@ in a URL
FLAG = "flag"  # --password VALUE on a command line
#: a credential in an HTTP header (``Authorization: Token …``, ``x-api-key: …``): the
#: header says what the value is, so a hex string or a UUID there is the key, not a digest
HEADER = "header"
#: the password field of a credential store's own format (``.pgpass``, a mail client's rc
#: file): the format says it is a password, whatever its value; a weak one is reported weak
STORE = "store"

#: source files of programming languages: an unquoted right-hand side there is code
#: (a call, a name, an attribute, a struct literal), never a literal credential
_CODE_SUFFIXES = frozenset(
    {
        "py",
        "pyi",
        "pyx",
        "pxd",
        "js",
        "mjs",
        "cjs",
        "jsx",
        "ts",
        "tsx",
        "mts",
        "cts",
        "go",
        "java",
        "kt",
        "kts",
        "scala",
        "groovy",
        "gradle",
        "rb",
        "php",
        "cs",
        "fs",
        "vb",
        "c",
        "h",
        "cc",
        "cpp",
        "cxx",
        "hpp",
        "hh",
        "rs",
        "swift",
        "m",
        "mm",
        "dart",
        "lua",
        "pl",
        "pm",
        "r",
        "jl",
        "ex",
        "exs",
        "erl",
        "hrl",
        "clj",
        "cljs",
        "elm",
        "hs",
        "ml",
        "zig",
        "nim",
        "cr",
        "v",
        "sol",
        "ps1",
        "psm1",
        "vue",
        "svelte",
    }
)
#: documentation and examples, where ``changeme`` and ``example`` are templates
_DOCS_PATH = re.compile(
    r"(?:^|/)(?:docs?|examples?|samples?|demos?|tutorials?)/|\.(?:md|markdown|rst|adoc|txt)$",
    re.IGNORECASE,
)
_COMMENT_LINE = re.compile(r"[ \t]*(?:#|//|/\*|\*|<!--|--|;|%|rem[ \t])", re.IGNORECASE)

#: the key: the identifier around the keyword (``spdx_license_key``, ``AWS::IAM::AccessKey``)
#: (a key may end in a spaced ``key``: ``api key = …``)
#: (an unquoted rule's match may open with an XML element: ``<env>DB_PASSWORD=…``)
_KEY_AT = re.compile(
    r"[ \t]*(?:<[A-Za-z][\w.:-]{0,60}>[ \t]*)?(?:(?:export|env|set|-|ENV|ARG)[ \t]+)?"
    r"([\w.-]*(?: (?i:key)\b)?)"
)
_KEY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.:$@")

#: the last word of a secret key: the noun itself, or a word ending in one (``dbpassword``)
_NOUN_ENDINGS = (
    *("password", "passwd", "passphrase", "secret", "token", "apikey", "secretkey"),
    *("accesskey", "privatekey", "signingkey", "encryptionkey", "masterkey", "appkey", "dbpass"),
)
_NOUN_WORDS = frozenset({"pass", "pwd", "pw", "passwort", "motdepasse", "contrasena"})
#: ``<qualifier> key`` is a secret key (``api key``, ``secret key``); ``license key`` is not
#: (``sdk key``: a feature-flag or experiment service's server-side SDK key, LaunchDarkly's,
#: Split's, Eppo's; a client-side one is named so, see _CLIENT_SIDE)
#: (``token key``: Rancher's Terraform provider's ``token_key`` is its API token; in programs
#: ``TOKEN_KEY = "jwt"`` names where a token is stored, a word the value filters drop;
#: session 17's eleventh sample, added in session 18)
_KEY_QUALIFIERS = frozenset(
    {"api", "access", "app", "secret", "private", "signing", "encryption", "master", "auth", "sdk"}
    | {"token"}
)
#: words that make an SDK key or a secret id the public, client-side one
#: (``LD_MOBILE_SDK_KEY``, ``clientSdkKey``, ``BROWSER_SDK_KEY``; Azure's ``client_secret_id``
#: is the id of a client secret, not the secret), or a name that is no credential:
#: Optimizely's SDK key names its datafile's URL and is given to browser SDKs too (a secure
#: environment's datafile access token is the secret), and Bitwarden Secrets Manager's
#: secret ids (``BWS_SECRET_ID``, a UUID) name a secret its access token reads
_CLIENT_SIDE = frozenset(
    {"client", "mobile", "browser", "frontend", "js", "web", "ios", "android"}
    | {"optimizely", "bws", "bitwarden"}
)
#: words after the noun that keep it a secret (``DB_PASSWORD_PROD``, ``SecretString``)
_SUFFIX_OK = frozenset(
    {
        *("prod", "production", "dev", "development", "stage", "staging", "stg", "test"),
        *("testing", "qa", "uat", "live", "local", "sandbox", "value", "val", "str", "string"),
        *("raw", "plain", "plaintext", "cleartext", "clear", "b64", "base64", "hex", "encoded"),
        *("old", "new", "current", "default", "admin", "root", "user", "primary", "secondary"),
        *("backup", "override", "confirmation", "confirm", "again", "repeat", "bytes", "text"),
        # the database it opens (``DB_PASS_BD``: Portuguese ``bd``, session 17's eleventh sample)
        *("db", "bd"),
    }
)
#: words before the noun that make it something else (``NextToken``: a page cursor)
_PREFIX_NOT_SECRET = frozenset(
    {
        *("next", "page", "continuation", "pagination", "change", "purchase", "export"),
        *("input", "output", "sync", "lock", "cancel", "cancellation", "idempotency", "resume"),
        *("start", "end", "last", "first", "prev", "previous", "license", "spdx"),
        *("parse", "parser", "lexer", "eof", "type", "schema", "form", "csrf", "xsrf"),
        *("marker", "cursor", "continue", "invalid", "bad", "wrong", "incorrect", "random"),
        *("update", "verification", "copy"),
        # an AWS API token that names one operation, not a caller: an Auto Scaling lifecycle
        # hook's ``LifecycleActionToken`` (a UUID; session 18's KICS draw), EFS's
        # ``creation_token`` (an idempotency string)
        *("lifecycle", "creation"),
        # a digest of a secret (``hashed_token``, ``passwordHash`` is a hash's key anyway):
        # the password-hash rules report the formats people can crack
        *("hashed", "hash", "sha", "digest"),
        # a name that says the value is not real (``nonMatchingToken``, ``fakeSecret``)
        *("non", "fake", "dummy", "mock", "placeholder"),
    }
)


#: the rest of a comparison (``==n.ownPass``, ``=== other.token``)
_EXPR_AFTER_EQ = re.compile(r"^={1,2}[ \t]*[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$")
#: what a quoted value never starts with (it is code between two strings)
_OPERATORS = frozenset(",+)]};|&")
#: words before ``pass`` that make it a stage of a computation, not a password
#: (``renderPass``, ``shadowPass``, ``ownPass``, ``firstPass``)
_PASS_STAGES = frozenset(
    {
        *("render", "draw", "shadow", "depth", "blur", "light", "lighting", "geometry", "opaque"),
        *("translucent", "own", "first", "second", "third", "last", "final", "main", "multi"),
        *("single", "compile", "compiler", "optimization", "optimize", "pre", "post", "next"),
        # nginx's upstream directives (``proxy_pass``, ``fastcgi_pass``: an address, written as
        # a key in the configuration generators and tests that build them)
        *("proxy", "fastcgi", "uwsgi", "scgi", "grpc", "memcached"),
    }
)


def is_secret_id_key(key: str) -> bool:
    """Whether a key names a secret id (``VAULT_SECRET_ID``, ``secret_id``, Consul's and
    Nomad's ``SecretID``): Vault AppRole's secret id and the Consul/Nomad ACL token's secret
    are UUIDs that authenticate; the callers take only a UUID there (an AWS Secrets Manager
    ``secret_id`` is a name or an ARN)."""
    words = key_words(key)
    return words[-2:] == ["secret", "id"] and not any(w in _CLIENT_SIDE for w in words[:-2])


def key_words(key: str) -> list[str]:
    """The words of an identifier's last component, lower case (``dbPassword`` -> db,
    password; ``self.api_key`` -> api, key; ``APIKey`` -> api, key)."""
    parts = _COMPONENT.split(key.strip(".:$@"))
    words = [w.lower() for w in _WORDS.findall(parts[-1])]
    if words == ["key"] and len(parts) > 1:
        # a properties file's dotted key: ``here.api.key``, ``app.secret.key`` (the qualifier
        # is the component before; ``obj.key`` stays a plain key)
        before = [w.lower() for w in _WORDS.findall(parts[-2])]
        words = before[-1:] + words
    return words


_COMPONENT = re.compile(r"[.:$@\[\]]+|->")
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


@lru_cache(maxsize=4096)
def is_secret_key(key: str) -> bool:
    """Whether an identifier names a secret (``DB_PASSWORD``, ``stripeApiKey``) rather than a
    type, a schema field or something about a secret (``AWS::IAM::AccessKey``,
    ``spdx_license_key``, ``access_key_id``, ``NextToken``, ``token_type``)."""
    if "::" in key:  # CloudFormation and C++ type names
        return False
    words = key_words(key)
    while words and (words[-1] in _SUFFIX_OK or words[-1].isdigit()):
        words.pop()
    if not words:
        return False
    last = words[-1].rstrip("0123456789") or words[-1]
    if last == "key":
        if len(words) < 2 or words[-2] not in _KEY_QUALIFIERS:
            return False
        before = words[:-2]
        if words[-2] == "sdk" and any(w in _CLIENT_SIDE for w in before):
            return False
    elif last in _NOUN_WORDS or last.endswith(_NOUN_ENDINGS):
        before = words[:-1]
        if last == "token" and before[-1:] == ["client"]:
            return False  # an idempotency token (AWS ClientToken), or a browser-side one
        if last == "pass" and before[-1:] and before[-1] in _PASS_STAGES:
            return False  # ``renderPass = "opaque"``: a stage of a renderer or a compiler
    else:
        return False
    if "public" in before and all(w in _KEY_QUALIFIERS for w in _after_last(before, "public")):
        return False  # ``public_token``, ``publicAccessKey``; not ``PUBLIC_HOLIDAYS_API_KEY``
    return not any(w in _PREFIX_NOT_SECRET for w in before)


def _after_last(words: list[str], word: str) -> list[str]:
    return words[len(words) - words[::-1].index(word) :]


#: the rest of a ``key=value`` pair and the blank before the next key on its line
#: (a quoted value may hold blanks: ``ENV A="x y" DB_PASSWORD=…``)
_NEXT_PAIR = re.compile(r"=(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s]*)[ \t]+(?=[A-Za-z_])")


def key_at(text: str, match_start: int, value_start: int | None = None) -> str:
    """The whole key of a generic match that starts at (or just before) the key; with
    ``value_start``, the key that owns the value when pairs come before it on the line
    (``ENV A=1 DB_PASSWORD=…``: ``DB_PASSWORD``, not ``A``)."""
    m = _KEY_AT.match(text, match_start)
    if m is None:  # pragma: no cover - the pattern matches the empty string
        return ""
    if value_start is not None:
        while (pair := _NEXT_PAIR.match(text, m.end(1), value_start)) is not None:
            m = _KEY_AT.match(text, pair.end()) or m
    begin, end = m.span(1)
    floor = max(0, begin - 80)
    while begin > floor and text[begin - 1] in _KEY_CHARS:
        begin -= 1
    if begin > 1 and text[begin - 1] == "/" and text[begin - 2] not in "/ \t":
        return ""  # the last segment of a path or URL (``/docs/creating-a-password``)
    return text[begin:end]


#: provider key words (``aws_secret_access_key``) -> the shapes of their values, from the
#: keyed provider rules (builders.keyed registers them): a value of another shape under
#: such a key is a fake or a stand-in that the provider rule refused, not a generic secret
_PROVIDER_SHAPES: dict[str, list[re.Pattern[str]]] = {}
#: provider key words that lack their provider's own word (Azure AI Search's
#: ``search_api_key``, Elastic's ``es_api_key``) -> that word: such a key word names a key
#: only when it is the key's whole name or the key carries the provider's word
#: (``CHARITY_SEARCH_API_KEY`` is a charity search's key, not Azure's; session 18)
_KEY_WORD_NEEDS: dict[str, set[str]] = {}


#: words that name no provider (``client_secret`` is anybody's)
_GENERIC_KEY_WORDS = frozenset(
    {"client", "secret", "api", "key", "access", "token", "auth", "app", "private", "master"}
    | {"personal", "pat", "oauth", "bearer", "refresh", "session", "id", "x"}
)


def register_provider_key(keywords: tuple[str, ...], value_regex: str, provider: str = "") -> None:
    """Record that values under these (specific, compound) key words have this shape.
    Passwords are typed by people, whatever the key: their keys are not recorded.
    ``provider``: the provider's name; its first word (``Azure`` of ``Azure AI Search``) is
    the word a key must carry when the key word lacks it (``_KEY_WORD_NEEDS``)."""
    shape = re.compile(value_regex)
    own = re.split(r"[^a-z0-9]+", provider.lower().strip())[0] if provider.strip() else ""
    for kw in keywords:
        norm = kw.lower().replace("-", "_")
        words = [w for w in re.split(r"[_.]+", norm) if w]
        if len(words) < 2 or set(words) <= _GENERIC_KEY_WORDS or _PASSWORD_KEY.search(norm):
            continue
        # ``""``: the key word carries its provider's word (or no provider was given)
        need = own if len(own) >= 3 and own not in norm else ""
        if need not in _KEY_WORD_NEEDS.setdefault(norm, set()):
            _KEY_WORD_NEEDS[norm].add(need)
            _shapes_for.cache_clear()
        if shape not in _PROVIDER_SHAPES.get(norm, []):
            _PROVIDER_SHAPES.setdefault(norm, []).append(shape)
            _shapes_for.cache_clear()


def provider_shape_mismatch(key: str, value: str) -> bool:
    """Whether ``key`` names a provider's credential and ``value`` has none of its shapes."""
    shapes = _shapes_for(key)
    return bool(shapes) and not any(sh.fullmatch(value) for sh in shapes)


@lru_cache(maxsize=4096)
def _shapes_for(key: str) -> tuple[re.Pattern[str], ...]:
    """The value shapes of the provider keys that ``key`` contains as whole words (keys
    repeat: cached). A provider's key words start a word of ``key``: Elasticsearch's
    ``es_api_key`` names ``ES_API_KEY``, not the tail of ``NOWNODES_API_KEY`` or
    ``EXCHANGE_RATES_API_KEY`` (session 18's unseen sample: such keys' values were dropped
    as fakes of Elasticsearch's shape)."""
    low = key.lower().replace("-", "_")
    return tuple(
        sh
        for kw, shapes in _PROVIDER_SHAPES.items()
        if _holds_word(low, kw) and _names_key(low, kw)
        for sh in shapes
    )


def _names_key(low: str, kw: str) -> bool:
    """Whether the key word ``kw`` (found in ``low`` where a word starts) names this key: it
    carries its provider's word, or it is the key's whole name (after a dotted path), or the
    key carries the provider's word (``_KEY_WORD_NEEDS``)."""
    needs = _KEY_WORD_NEEDS.get(kw, {""})
    if "" in needs or any(w in low for w in needs):
        return True
    names = _KEY_PATH_PART.findall(low)
    return bool(names) and names[-1] == kw


#: the parts of a key's path (``cfg.es_api_key``, ``env['ES_API_KEY']``): the last is its name
_KEY_PATH_PART = re.compile(r"[a-z0-9_]+")


def _holds_word(low: str, kw: str) -> bool:
    """Whether ``kw`` stands in ``low`` where a word starts (the key's start or after a
    character that is no letter or digit: ``_``, ``.``, a space)."""
    at = low.find(kw)
    while at > 0 and low[at - 1].isalnum():
        at = low.find(kw, at + 1)
    return at >= 0


#: a key that names a value its provider publishes to browsers and apps, whatever the
#: provider: a public or publishable key (``STRIPE_PUBLISHABLE_KEY``, ``PLAID_PUBLIC_KEY``),
#: an anonymous key (``SUPABASE_ANON_KEY``), a browser or front-end key, a client token or
#: key (Facebook's client token is built into apps, Rollbar's and Datadog's client tokens
#: into web pages, Adyen's client key into checkout pages; ``client_secret`` stays a secret)
#: and a CAPTCHA's site key (reCAPTCHA, hCaptcha, Turnstile)
#: The word qualifies the key itself: only key words follow it to the end of the name
#: (``PLAID_PUBLIC_KEY``, ``anon_api_key``), or a framework's prefix for values shipped to
#: browsers (``NEXT_PUBLIC_``, ``EXPO_PUBLIC_``, ``NUXT_PUBLIC_``); a name that holds the word
#: elsewhere is another thing's key (``ABSTRACT_PUBLIC_HOLIDAYS_API_KEY``: a holiday
#: calendar's, session 18's twelfth sample)
_PUBLIC_KEY = re.compile(
    r"(?:^|_)(?:public|publishable|pubkey|publickey|anon|anonymous|browser|frontend"
    r"|client_(?:token|key|id)|site_key)"
    r"(?:_(?:api|app|access|key|keys|token|id|pem|value|b64|base64))*$"
    r"|^(?:next|expo|nuxt)_public_"
)
#: provider-specific public names (``register_public_key``): Pusher's app ``key``,
#: Algolia's and Typesense's ``search`` keys, Mixpanel's project ``token``
_PUBLIC_NAMES: list[re.Pattern[str]] = []
_SNAKE_1 = re.compile(r"([a-z0-9])([A-Z])")
_SNAKE_2 = re.compile(r"([A-Z]+)([A-Z][a-z])")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def _snake(key: str) -> str:
    """``algoliaSearchKey`` / ``ALGOLIA-SEARCH.KEY`` -> ``algolia_search_key``."""
    s = _SNAKE_2.sub(r"\1_\2", _SNAKE_1.sub(r"\1_\2", key))
    return _NOT_WORD.sub("_", s.lower()).strip("_")


def register_public_key(pattern: str) -> None:
    """Record a provider's public value by the name of its key (``pusher(_app)?_key$``, a
    regex over the key in snake case): neither its provider rule nor a generic rule reports
    a value under such a key."""
    compiled = re.compile(pattern)
    if compiled not in _PUBLIC_NAMES:
        _PUBLIC_NAMES.append(compiled)
        names_public_value.cache_clear()


@lru_cache(maxsize=4096)
def names_public_value(key: str, own: tuple[str, ...] = ()) -> bool:
    """Whether a key names a value its provider publishes (``PUSHER_APP_KEY``,
    ``facebook_client_token``, ``recaptchaSiteKey``, ``ALGOLIA_SEARCH_ONLY_API_KEY``).
    ``own``: the rule's own key words, which never count (a rule keyed on
    ``okta_client_token`` reports what stands under that name)."""
    name = _snake(key)
    for kw in own:
        name = name.replace(_snake(kw), "_")
    return _PUBLIC_KEY.search(name) is not None or any(p.search(name) for p in _PUBLIC_NAMES)


def _line_at(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return text[start : end if end >= 0 else len(text)]


def is_code_path(path: str | None) -> bool:
    if not path:
        return False
    name = path.rpartition("/")[2].lower()
    if name.endswith(".map"):  # a source map (``app.js.map``): the program's sources as JSON
        name = name[:-4]
    return name.rpartition(".")[2] in _CODE_SUFFIXES if "." in name else False


_WORD = re.compile(r"^[A-Za-z][a-z]+$")
_PASCAL = re.compile(r"^(?:[AI](?=[A-Z]))?(?:[A-Z][a-z]+){2,}[0-9]{0,4}$")
#: names joined by ``:``, ``/``, ``.`` or ``-`` (``serverlessrepo:applicationId``)
_NAMES = re.compile(r"^[A-Za-z][a-z]+(?:[A-Z][a-z]+)*(?:[:./-][A-Za-z][a-z]+(?:[A-Z][a-z]+)*)+$")
#: PHP's concatenation of a variable after a closed string (``'?pass='.$_SESSION[``)
_PHP_CONCAT = re.compile(r"^\.\s*\$[A-Za-z_]")
#: printf and format templates (``%s:%s``, ``{}:{}``)
_FORMAT = re.compile(r"(?<!%)%[sdr](?![A-Za-z0-9])|%\(\w+\)[sdr]|\{[0-9]?\}")
#: a run of letters ending in ``password`` with twelve letters or more from its start to the
#: value's end (``examplepassword``, ``somelongpassword``): at the run's start only, and the
#: letters counted without ``.*`` (``(?=(?:.*[a-z]){12})`` at every position was quadratic:
#: 75 ms for one 1,000-character value, 86 s for a 1 MB .env of such lines; same matches)
_DESCRIBING_RUN = r"(?<![a-z])(?=[a-z]*password)(?=(?:[^a-z\n]*[a-z]){12})[a-z]*password"
#: a value that describes a password instead of being one (``mynewpassword``)
_DESCRIBED = re.compile(
    r"example|" + _DESCRIBING_RUN + r"|^(?:my|your|new|the|some)[-_]?(?:new[-_]?)?pass",
    re.IGNORECASE,
)
#: the same, in a credential store's password field (a connection string's ``Password=``):
#: ``mypassword`` there is the password someone chose, not a description of one
_DESCRIBED_IN_STORE = re.compile(
    r"example|" + _DESCRIBING_RUN + r"|^(?:your|new|the|some)[-_]?(?:new[-_]?)?pass",
    re.IGNORECASE,
)
#: an expression: a call or a subscript (``self._auth.get(x)``, ``cfg["k"]``, ``re.compile(``)
#: or a dotted name of word-like parts (``tokenize.generate_tokens``; not a JWT's parts)
_EXPR = re.compile(
    r"^[A-Za-z_$@][\w$]*(?:(?:\.|->|::)[A-Za-z_$][\w$]*)*[(\[{]"
    r"|^[A-Za-z_][a-z0-9_]*(?:(?:\.|->|::)[A-Za-z_][a-z0-9_]*)+$"
)
_TRUNCATED = re.compile(r"\.\.\.|…")
_SECRET_WORDS = ("passw", "secret", "token", "api_key", "api-key", "apikey", "example", "sample")
#: a constant's name used as a marker value (``"__WEBPACK_MODULE_REFERENCE__"``): upper-case
#: words joined by underscores, no digits
_CONSTANT = re.compile(r"^_*[A-Z]{2,}(?:_[A-Z]{2,})+_*$")
_NOT_RANDOM = re.compile(
    "|".join(f"(?:{r.pattern})" for r in (_WORD, _PASCAL, _EXPR, _NAMES, _CONSTANT))
)


def _says_what(v: str) -> bool:
    """A format template, or a value that says what it stands for (``my_api_key_here``)."""
    low = v.lower()
    return any(w in low for w in _SECRET_WORDS) or (
        ("%" in v or "{}" in v) and bool(_FORMAT.search(v))
    )


#: values that are never a password, even a weak one
_NOT_A_PASSWORD = re.compile(
    r"""^(?:
      none|null|nil|undefined|empty|true|false|yes|no|on|off|required|optional|string|str
    | function|symbol|bigint             # ``typeof config?.validatePassword === 'function'``
    | (?-i:_[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_)  # dbconfig-common's ``_DBC_DBPASS_`` marker
    | value|bytes|text|hidden|redacted|obfuscated|removed|masked|todo|tbd|fixme
    | not[_-]?set|notset|unset
    | bool|boolean|number|int|integer|float|object|array|any|unknown|unavailable|disabled
    | __[a-z]+__                         # a marker (``password = "__generate__"``)
    | n/?a|your[_-]?.*|.*[_-]here|replace[_-]?(?:me|this|with).*|insert[_-]?.*|put[_-]?your.*
    | enter[_-]?.*|add[_-]?your.*|<.*>|\[.*\]|\(.*\)|prompt|ask|input|stdin|env|environ
    | password[_-]?(?:field|input|hash|type|file|label|policy|reset)|secret[_-]?name
    | [0-9]+(?:\.[0-9]+)+                 # a version or an OID (1.2.1, 1.2.840.113549.1.9.7)
    | [0-9]+(?:\.[0-9]+)+-(?:[0-9]+(?:\.[0-9]+)+)?  # a version range (typeshed's ``pwd: 3.0-``)
    | @[A-Z][A-Z0-9_]*                   # a template's @NAME (ansible-test's @PASSWORD)
    )$""",
    re.VERBOSE | re.IGNORECASE,
)
#: templates only where they are documentation (``changeme`` in a README; in a real
#: configuration file it is the password)
_DOCS_TEMPLATE = re.compile(
    r"^(?:change[_-]?me.*|change[_-]?it|example.*|sample.*|placeholder.*|dummy.*|fake.*"
    r"|password\d*|passw0rd|passwd|pass|secret|mysecret|my[_-]?password|s3cr3t|test.*|foo.*"
    r"|bar|baz|admin|root|user(?:name)?|pa\$\$word)$",
    re.IGNORECASE,
)


class Kind(NamedTuple):
    """How the generic filters judge a rule's matches (rules/generic.py assigns them)."""

    kind: str
    #: entropy floor and minimum length of a strong value (the rule's regex may take
    #: shorter ones for its weak variant)
    floor: float = 0.0
    min_len: int = 0
    #: the rule reporting a value that is a real but weak password (``password123``)
    weak: str | None = None


DROP, KEEP, WEAK_VALUE = 0, 1, 2
#: a word and a number, the way people pick passwords (``welcome2024``, ``Summer24!``):
#: guessable, reported as weak rather than as a strong secret
#: letters people write as digits or signs (``P@55w0rd``)
_DELEET = str.maketrans("013457@$", "oieastas")
#: four consonants in a row: no typed word (``P4ssw0rd`` -> ``password``) has them, a random
#: lowercase-and-digit key read as leet does (``ujse7cb7rq55`` -> ``ujsetcbtrqss``)
_CONSONANT_RUN = re.compile(r"[b-df-hj-np-tv-xz]{4}", re.IGNORECASE)


#: longer than any word people type in leet: a random 32-character key of lowercase letters
#: and the digits 0/1/3/4/5/7 with no four consonants in a row is not a password
_LEET_MAX = 24


def _leet_word(v: str) -> bool:
    """Whether ``v`` is a word written in leet (``P4ssw0rd``, ``adm1n``), a guessable password."""
    word = v.translate(_DELEET)
    return (
        word != v
        and len(v) <= _LEET_MAX
        and _GUESSABLE.match(word) is not None
        and not _CONSONANT_RUN.search(word)
    )


_GUESSABLE = re.compile(r"^(?:[A-Z]?[a-z]+|[A-Z]+)[-_.@#!]?[0-9]{0,6}[-_.@#!$%^&*]{0,2}$")
_PASSWORD_KEY = re.compile(r"(?i:pass|pwd|pw$)")
_WORDS_NUMBER = re.compile(r"^(?:[A-Z][a-z]+){1,3}[0-9]{2,4}[!#$%&*?@]?$")


def _weak_key(key: str, v: str) -> bool:
    """Whether a key holds a password people choose (not ``pass`` alone: a filter band, a
    Python keyword; not ``PASSWORD = "PASSWORD"``: an enumeration's label)."""
    if not _PASSWORD_KEY.search(key) or key_words(key) == ["pass"]:
        return False
    name = key.rpartition(".")[2].strip("$@")
    return not (name.isupper() and v.lower() == name.lower())


def _config_pass(key: str, text: str, at: int, path: str | None) -> bool:
    """``"pass": "..."``: a quoted ``pass`` key of a configuration file (an FTP or SFTP
    client's settings), not a Python keyword or a filter band in a program."""
    quoted = text[at - 1 : at] == '"' and text[at + 4 : at + 5] == '"'
    return key == "pass" and quoted and not is_code_path(path)


def _language_words(v: str) -> bool:
    """Whether a value is words of a human language rather than a secret: it holds a letter
    outside ASCII (``ñ``, Cyrillic, Han, Devanagari …) and no ASCII digit. Generated secrets
    are ASCII, and a password someone typed in another script with a digit stays reported.
    A label's markup and placeholders (``<0>重要提示</0>``, ``{count}``) are not its text."""
    if v.isascii():
        return False
    words = _MARKUP.sub("", v)
    return (
        not any("0" <= c <= "9" for c in words)
        and any(c.isalpha() and not c.isascii() for c in words)
        and all(c.isalpha() or c.isspace() or c in _PROSE_SIGNS or not c.isascii() for c in words)
        and not any(a.islower() and b.isupper() for a, b in itertools.pairwise(words))
    )


#: the ASCII signs a label's sentence writes; a value with another one (``#``, ``_``, ``@``,
#: ``$``, ``=``) or a capital after a small letter inside a word (``kQpZ…ø``) is a password
#: typed or generated with a letter outside ASCII (review19: a ``.env`` password of German words
#: joined by ``#`` was dropped as a label; tests/scanners/secrets/test_precision19.py)
_PROSE_SIGNS = frozenset(".,:;!?'\"()-*/&%")


#: a label's markup and placeholders: ``<0>``, ``</b>``, ``{count}``, ``{{name}}``
_MARKUP = re.compile(r"</?\w{0,10}/?>|\{+\w{0,30}\}+")


#: a variable or attribute name of a program: letters, ``_``, ``$`` and dots, no digit
_VARIABLE_NAME = re.compile(r"^[A-Za-z_$][A-Za-z_$]*(?:\.[A-Za-z_$][A-Za-z_$]*)*$")


def _header_names_code(text: str, value_end: int, v: str) -> bool:
    """Whether an ``Authorization:`` value in a program is a variable, not a token: a name
    without digits that no quote closes (``Authorization: liteLLMAuthorizationHeader,`` in
    an object literal; a token written into a string, ``"Authorization: Token …"``, is
    followed by its closing quote)."""
    after = text[value_end : value_end + 1]
    return after not in ('"', "'", "`", "\\") and _VARIABLE_NAME.match(v) is not None


#: an editor's token type: lower-case words joined by dots, with Monaco's ``@`` prefix or
#: Ace's leading dot, a ``$2`` group reference as a part, Red's trailing ``!``
_EDITOR_SCOPE = re.compile(
    r"^(?=[^.]*[.@])[@.]?[a-z]+(?:-[a-z]+)*(?:\.(?:[a-z]+(?:-[a-z]+)*|\$\d))*!?$"
)


def generic_verdict(
    kind: Kind, value: str, text: str, match_start: int, value_start: int, path: str | None
) -> int:
    """DROP when a generic match is not a credential, judged with its key, line and file;
    WEAK_VALUE when it is a guessable password (reported by ``kind.weak``); else KEEP."""
    v = value.strip().strip("\"'`")
    k = kind.kind
    key = ""
    if k == ASSIGN_UNQUOTED and is_code_path(path):
        return DROP  # in a program an unquoted right-hand side is code (a call, a name)
    if (
        k in (ASSIGN, ASSIGN_UNQUOTED)
        and catalogues.is_message_catalogue(path)
        and not catalogues.reads_generated(v)
    ):
        return DROP  # a translated label of a login form (secrets/catalogues.py)
    if k in (ASSIGN, ASSIGN_UNQUOTED) and _language_words(v):
        # ``"password": "Contraseña"``, ``password:"重置密码"``: a label in a language, where
        # no catalogue path says so (a bundle's ``zh-Hans.<hash>.chunk.js``, a generator's
        # ``i18n/ru/login.json`` templates; secprec19: 73 of the fourth corpus's 119 high)
        return DROP
    if k in (ASSIGN, ASSIGN_UNQUOTED) and _EDITOR_SCOPE.match(v):
        # ``token: "@brackets.directive"``, ``"comment.keyword.$2"``, ``".virtual-comment"``,
        # ``"constant.datatype!"``: the token types of Monaco's and Ace's highlighters, which
        # web applications bundle (secprec19: mlflow's and OCS Inventory's editors)
        return DROP
    if k == HEADER and is_code_path(path) and _header_names_code(text, value_start + len(value), v):
        return DROP  # ``headers: {Authorization: liteLLMAuthorizationHeader}``: a variable
    if k == ASSIGN and v[:2] in (".$", ". ") and is_code_path(path) and _PHP_CONCAT.match(v):
        return DROP  # ``'?pass='.$_SESSION['password']``: PHP's concatenation after a string
    if k == ASSIGN and v[:2] in ("),", ");", "))") and is_code_path(path):
        # ``e="Input new password: "),E=n.limitMessage``: the quote before the value closed
        # a string of minified code, an expression follows (yarn's bundled release; it was
        # hidden before secprec19 by a ``/**`` glob read as an open doc comment)
        return DROP
    if k == ASSIGN and not _same_quotes(text, value_start, value_start + len(value)):
        return DROP  # 'abc" is two strings' ends, not a quoted value
    if k in (ASSIGN, ASSIGN_UNQUOTED) and v.startswith("=") and _EXPR_AFTER_EQ.match(v):
        return DROP  # ``a.ownPass===b.ownPass``: a comparison, not an assignment
    if (
        k == ASSIGN
        and kind.weak is None  # a password may start with any sign (``]35d/{pB9Fo9wJ``)
        and (v[:1] in _OPERATORS or (v[:1] == "." and "(" in v))
    ):
        # ``"Failed to get token: "+e),t||(…)"``: the quote before the value closed a string
        # that held the keyword, the next one opens another (minified code)
        return DROP
    if k in (ASSIGN, ASSIGN_UNQUOTED):
        key = key_at(text, match_start, value_start if k == ASSIGN_UNQUOTED else None)
        secret_id = _UUID_KEY.match(v) is not None and is_secret_id_key(key)
        if not (is_secret_key(key) or secret_id) or provider_shape_mismatch(key, v):
            return DROP
        if names_public_value(key):
            return DROP  # a value its provider publishes (``PUSHER_APP_KEY``)
        if kind.weak is None and _same_name(_COMPONENT.split(key)[-1], v.lstrip(".")):
            # a secret's or token's key spelled again as its value: a map of names
            # (``"getkmsencryptionkey": "GetKMSEncryptionKey"`` of an IAM action list,
            # ``"ClientEncryptionKey": ".client_encryption_key"`` of a field-alias table;
            # a password equal to its key stays the weak rules' to judge)
            return DROP
        if key == "token" and _firebase_download_url(text, match_start):
            return DROP  # a Firebase Storage download URL's token: a link made to be shared
        if k == ASSIGN_UNQUOTED and v[:1] in ("!", "*", "&"):
            return DROP  # a YAML tag (!Ref, !vault), alias or anchor
        if path is not None and path.endswith(".s3cfg") and key.lower() == "access_key":
            return DROP  # s3cmd's access_key is the access key id (its secret_key: s3cfg-secret)
    if k == HEADER and "::" in key_at(text, match_start):
        return DROP  # ``"AWS::ApiGateway::ApiKey": …`` is a CloudFormation type, not a header
    if _TRUNCATED.search(v) or v.lower().startswith("urn:"):
        return DROP
    if k in (ASSIGN, ASSIGN_UNQUOTED) and _URL_USER_ONLY.match(v):
        return DROP  # ``redis://app@cache:6379`` under a token's key: a user and no password
    if kind.weak is None and k in (ASSIGN, ASSIGN_UNQUOTED) and _QMARK_SPLIT.match(v):
        return DROP  # a token with a stray "?" inside is not one a provider issued
    if k in (ASSIGN, ASSIGN_UNQUOTED) and "sv=" in v and "&" in v and "sig=" not in v:
        return DROP  # an Azure SAS query without its signature (``st=…&se=…&sv=…&sr=c``)
    docs = path is not None and _DOCS_PATH.search(path) is not None
    if k == URL:
        after = value_start + len(value)
        if _DOC_HOST.match(text, after) is not None or _demo_login(text, value_start, v):
            return DROP
        # a credential URL in a plain .txt file (notes, a dump, a CI log) is not a README's
        # example: ``admin:admin@db.corp`` there is the login, not a template
        url_docs = docs and not (path or "").lower().endswith(".txt")
        if _url_false_positive(v, url_docs):
            return DROP
        if _URL_DESCRIBED.match(v) or (
            _LOOPBACK_HOST.match(text, after) and (_GUESSABLE.match(v) or _leet_word(v))
        ):
            # a password that describes itself (``app:mypassword@``, ``randompassword``) or
            # a guessable one of a service on the developer's own machine (RabbitMQ's
            # ``guest:guest@localhost``, ``postgres:postgres@127.0.0.1``): a local default
            # or what someone typed into a template, but a password that works where the
            # URL is used: reported weak (low, ``kind.weak``), dropped in documentation
            return DROP if url_docs else WEAK_VALUE
        return KEEP
    guessable = _GUESSABLE.match(v) or _leet_word(v)
    # a hex key under a secret's own key is the key (``CLIENT_SECRET = "<40 hex>"``), not a
    # digest: digests sit under ``sha``/``integrity``/``checksum`` keys, which are not secret
    # (a UUID under a token, secret or password, or under a provider's API key:
    # ``UMAMI_API_KEY``, ``heroku_api_key``; under a bare ``api_key`` or another ``…key``
    # it is as often an id: ``idempotency_key``, ``partition_key``)
    uuid_key = _UUID_KEY.match(v) is not None and (
        not key.lower().endswith("key") or _api_key_name(key)
    )
    hex_key = (bool(key) or k == HEADER) and (
        _HEX_KEY.match(v) is not None
        or uuid_key
        or (k == HEADER and _UUID_KEY.match(v) is not None)
    )
    if hex_key and placeholders.is_placeholder(v.replace("-", "")):
        return DROP
    # hex carries at most 4 bits a character: a random 32-hex key is often under 3.5
    floor = min(kind.floor, 3.0) if hex_key else kind.floor
    if (
        kind.weak is None
        and k in (ASSIGN, ASSIGN_UNQUOTED, HEADER)
        and placeholders.is_placeholder(v)
    ):
        # a token, secret or API key (not a password: people type those) that looks typed
        # by a person (``sk-abcdefghijklmnop…``, ``xxxx``): the one placeholder detector
        return DROP
    if (
        len(v) >= kind.min_len
        and not guessable
        and shannon_entropy(v) >= floor  # strong: long and random enough
        and not strong_value_false_positive(v, hashes=not hex_key)
    ):
        return KEEP
    if kind.weak is None or not (
        k == STORE or _weak_key(key, v) or _config_pass(key, text, match_start, path)
    ):
        return DROP
    if k != STORE and (is_code_path(path) or v.isupper()) and _names_itself(key, v):
        # ``EMAIL_PASSWORD: 'password'``: an enumeration's label in a program; the field's
        # name in capitals anywhere (``password: "PASSWORD"``): a stand-in
        return DROP
    if k != STORE and is_code_path(path) and _in_name_map(key, v, text, value_start):
        # ``{username: "username", password: "password"}``: a map of field names in a
        # program (an API model's attribute map, a grant's parameter names)
        return DROP
    if k == STORE and (path or "").lower().endswith(".txt"):
        docs = False  # a store's line in a plain .txt file (notes, a dump) is the store's
    store = k == STORE and not docs
    return DROP if weak_false_positive(v, text, value_start, path, docs, store) else WEAK_VALUE


def _names_itself(key: str, v: str) -> bool:
    """Whether a value is a label made of its key's words: the key's name or one of its
    words (``password: "Password"``, ``"hide-password": "hide-password"``,
    ``EMAIL_PASSWORD = 'password'``, ``'certificate_password' = 'certificate'``), or words
    around the key's noun (``MISSING_PASSWORD = 'missing-password'``, ``'password-set'``)."""
    value = _snake(v)
    words = key_words(key)
    name = _COMPONENT.split(key.strip(".:$@"))[-1].strip("_")
    if not value or not words or (words == [value] and v.islower() and name.islower()):
        # ``password = 'password'`` (a call's argument, a credentials object): the weakest
        # password there is, which the weak rules report; ``Password`` or ``EMAIL_PASSWORD``
        # around it make it a label
        return False
    if value.replace("_", "") == _snake(key).replace("_", "") or value in words:
        return True
    if value in _FIELD_NAMES:  # a map of field names (``"ansible_ssh_pass": "passwd"``)
        return True
    parts = value.split("_")
    return len(parts) > 1 and words[-1] in parts and _LABEL.match(v) is not None


#: ``name: "name"`` in a program, quoted or not, ``:``, ``=`` or ``=>`` (the value a name)
_NAME_PAIR = re.compile(
    r"""(?<![\w$.])["']?([A-Za-z_][\w-]{0,60})["']?[ \t]*(?::|=>?)[ \t]*"""
    r"""["']([A-Za-z_][\w-]{0,60})["']"""
)


def _same_name(a: str, b: str) -> bool:
    """``userName`` / ``username`` / ``user_name``: one name, written two ways."""
    return (
        a.replace("_", "").replace("-", "").lower() == b.replace("_", "").replace("-", "").lower()
    )


def _in_name_map(key: str, v: str, text: str, value_start: int) -> bool:
    """Whether a value that is its own key's name (``password: "password"``) stands among
    other entries that map a name to itself (``username: "username"``, ``"username":
    "userName"``) on its line or the lines around it: a map of field names, not a login."""
    name = _COMPONENT.split(key.strip(".:$@"))[-1]
    if not _same_name(name, v):
        return False
    start = text.rfind("\n", 0, text.rfind("\n", 0, value_start)) + 1
    end = text.find("\n", text.find("\n", value_start) + 1)
    end = len(text) if end < 0 else end
    if end - start > 2_000:  # a minified line: its own 200 characters each side
        start, end = max(start, value_start - 200), min(end, value_start + 200)
    for m in _NAME_PAIR.finditer(text, start, end):
        if m.start(2) != value_start and _same_name(m.group(1), m.group(2)):
            return True
    return False


#: a Firebase Storage download URL up to its query's ``token=`` (what ``getDownloadURL()``
#: returns: a link to one object, made to be embedded in pages and apps, revoked per object
#: in the console; it grants nothing else)
_FIREBASE_DOWNLOAD = re.compile(
    r"https?://(?:firebasestorage\.googleapis\.com/v0/b/[\w.-]{1,100}"
    r"|[\w-]{1,100}\.firebasestorage\.app/v0/b/[\w.-]{1,100})/o/[^\s\"'`?#]{1,500}\?"
    r"(?:[^\s\"'`#&]{0,100}&){0,5}$"
)


def _firebase_download_url(text: str, match_start: int) -> bool:
    """Whether a query's ``token=`` at ``match_start`` ends a Firebase Storage download URL."""
    start = max(text.rfind("\n", 0, match_start) + 1, match_start - 1_000)
    if "firebasestorage" not in text[start:match_start]:
        return False
    scheme = text.rfind("http", start, match_start)
    return scheme >= 0 and _FIREBASE_DOWNLOAD.match(text[scheme:match_start]) is not None


#: the names of a login's fields
_FIELD_NAMES = frozenset(
    {"username", "user", "user_name", "login", "passwd", "password", "pwd", "pass", "secret"}
)
#: lower-case words joined by ``-`` or ``_`` (``password-set``, ``weak_password``)
_LABEL = re.compile(r"^[a-z]+(?:[-_][a-z]+)+$")


def _api_key_name(key: str) -> bool:
    """Whether a key names a provider's API key (``MAGIC_EDEN_API_KEY``, ``umamiApiKey``):
    a UUID there is the key; under a bare ``api_key`` it is as often an id."""
    words = key_words(key)
    return (words[-2:] in (["api", "key"], ["sdk", "key"]) and len(words) > 2) or (
        words[-1:] in (["apikey"], ["sdkkey"]) and len(words) > 1
    )


#: a token's characters on both sides of one "?" (not a URL's query: no "=" or "&" after it);
#: people type "?" into passwords, which the password rules (``kind.weak``) judge instead
#: a connection URL naming its user and no password (``jdbc:mysql://app@db:3306/x``)
_URL_USER_ONLY = re.compile(
    r"^[A-Za-z][A-Za-z0-9+.-]{1,20}:(?:[A-Za-z0-9+.-]{1,20}:)?//[^/:@\s]+@[^@:\s/]+"
    r"(?::[0-9]{1,5})?(?:/[^@\s]*)?$"
)
_QMARK_SPLIT = re.compile(r"^[A-Za-z0-9+/_.=-]{4,}\?[A-Za-z0-9+/_.-]{4,}={0,2}$")


#: a UUID with letters and digits (many providers issue UUID API keys and tokens: npm's
#: legacy tokens, Heroku, Jenkins); the nil UUID and sequences are placeholders
_UUID_KEY = re.compile(
    r"^(?=.*[a-fA-F])(?=.*[0-9])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I
)
#: hex keys of the lengths providers issue (with letters and digits both, not a number;
#: 64 hex: DigitalOcean's legacy tokens, many APIs' access tokens)
_HEX_KEY = re.compile(
    r"^(?=.*[a-fA-F])(?=.*[0-9])(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9A-F]{32}"
    r"|[0-9A-F]{40})$"
)


#: not a secret a person or a provider made: a regex's class and count (``([a-z0-9]{64})``),
#: an e-mail address (anonymous FTP's password convention), a marker (``__generate__``)
#: or an API path (``v1/objects/encryption-keys``)
_NOT_SECRET_SHAPE = re.compile(
    r"\[[^\]]{1,40}\]\{[0-9]+(?:,[0-9]*)?\}"
    r"|^[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+$"
    r"|^__[a-z]+__$"
    r"|^/?(?:v[0-9]+/)?[a-z][a-z_-]*(?:/[a-z{][a-z_{}-]*)+/?$"
)


def strong_value_false_positive(v: str, *, hashes: bool = True) -> bool:
    """The value test of the strong generic rules: a reference, a placeholder, code, a name
    (``MyTestDatabaseSecret``) or a value that says what it stands for (``my_api_key_here``)."""
    # a name, an expression or one word (a weak password at most: the -weak rules)
    if _NOT_RANDOM.match(v) or _says_what(v) or _NOT_SECRET_SHAPE.search(v):
        return True
    return is_false_positive(v, strict=True, hashes=hashes)


def _same_quotes(text: str, start: int, end: int) -> bool:
    """Whether the value at text[start:end] is closed by the quote that opens it."""
    opening = text[start - 1] if start > 0 else ""
    closing = text[end : end + 1]
    if closing == "\\":  # an escaped quote: \"value\"
        closing = text[end + 1 : end + 2]
    return opening not in "\"'`" or opening == closing


def weak_false_positive(
    v: str, text: str, value_start: int, path: str | None, docs: bool, store: bool = False
) -> bool:
    """Whether a value the strong rule dropped is not a weak password either: a template,
    a word that is not a password (``none``, ``required``), code, a hash or a path, a docs
    placeholder (``changeme`` in a README), or a word in a program's comment (``store``: a
    credential store's password field outside documentation)."""
    # ``AdminPassword123`` in a configuration file: words and a number, as people type them
    typed = _WORDS_NUMBER.match(v) is not None and not is_code_path(path)
    if len(v) < 4 or _NOT_A_PASSWORD.match(v) or _MASKED.match(v) or _ONE_CHARACTER.match(v):
        return True
    if v[:1] in ".+" and v[1:2] == "$":
        # ``'password = '.$p['config']…``: the quote closed a string, a concatenation follows
        # (PHP's ``.$var``, ``+$x``); four characters of it were read once the weak rules
        # took four (session 18: the tenth sample's PHP line)
        return True
    if (_DESCRIBED_IN_STORE if store else _DESCRIBED).search(v) and not typed:
        return True
    if _FORMAT.search(v) or _IMPORT_REF.match(v) or _NOT_SECRET_SHAPE.search(v):
        return True
    if _QUALIFIED.match(v) or _SCOPE_OR_OPTION.match(v):  # a type name, a scope, an option
        return True
    if _NAMES.match(v) and ("." in v or ":" in v or "/" in v):  # not ``dummy-pass``
        return True
    if _may_reference(v) and _REFERENCE.search(v):
        return True
    if docs and _DOCS_TEMPLATE.match(v):
        return True
    if _CODE.match(v) or _EXPR.match(v) or _HASH.match(v) or _UUID.match(v):
        return True
    if _PASCAL.match(v) and not typed:
        return True
    if ("://" in v or "(?" in v or "\\" in v or "*" in v) and _REGEX_OR_GLOB.search(v):
        return True
    if " " in v and len(v.split()) > 2:
        return True
    if _REGEX_LITERAL.match(v) or v[:1] in ("#", "$") or v.startswith(("&lt;", "&#")):
        return True  # a regex, a CSS selector (#add-password), $interpolation, escaped <...>
    if not is_code_path(path):
        return False
    # a word in a comment or a Python docstring of a program documents, it does not configure
    if _COMMENT_LINE.match(_line_at(text, value_start)):
        return True
    if path is not None and path.endswith((".py", ".pyi")):
        return (text.count('"""', 0, value_start) + text.count("'''", 0, value_start)) % 2 == 1
    return False


_URL_TEMPLATE = re.compile(
    r"^(?:pass(?:word)?|passwd|pwd|pw|secret|token|x+|\*+|your.*|<.*>|\{.*\}|%.*%|:.*"
    # the JDK keystore's default ``changeit`` is a template's word as ``changeme`` is (the
    # placeholder detector drops that one by its marker word: a marker matches inside a
    # value, and Symfony's default ``ThisTokenIsNotSoSecretChangeIt`` is a finding), and a
    # value that says it was hidden (Mattermost's ``mmuser:obfuscated@``; session 19)
    r"|change[_-]?it|obfuscated"
    # ``redis://[[username]:[password]]@host``: the optional parts of a URL's syntax
    r"|\[.*\]+)$",
    re.IGNORECASE,
)
#: a URL's password that says what goes there (anchored: URL values run to 200 characters)
_URL_DESCRIBED = re.compile(
    r"[a-z]*passw(?:or)?d$|(?:my|your|new|the|some)[-_]?(?:new[-_]?)?pass", re.IGNORECASE
)
#: a URL's host on the machine itself (``@localhost:5672``, ``@127.0.0.1``, ``@[::1]``)
_LOOPBACK_HOST = re.compile(
    r"@(?:localhost|127(?:\.[0-9]{1,3}){3}|\[::1\])(?![\w.-])", re.IGNORECASE
)
#: user and password pairs that software publishes as its demonstration account, each with
#: its source: Oracle's SCOTT/TIGER demo schema (every SQLAlchemy and JDBC tutorial's URL)
_DEMO_LOGINS = frozenset({("scott", "tiger")})
_URL_USER_BEFORE = re.compile(r"[/@]([^\s:@/\"'<>`]{1,100})$")


#: the domains reserved for documentation (RFC 2606)
_DOC_HOST = re.compile(r"@(?:[\w-]+\.)*example\.(?:com|org|net)(?![\w.-])", re.IGNORECASE)


def _demo_login(text: str, value_start: int, v: str) -> bool:
    """Whether a URL's ``user:password`` is a published demonstration account (scott:tiger)."""
    if text[value_start - 1 : value_start] != ":":
        return False
    m = _URL_USER_BEFORE.search(text, max(0, value_start - 101), value_start - 1)
    return m is not None and (m.group(1).lower(), v.lower()) in _DEMO_LOGINS


def _url_false_positive(v: str, docs: bool) -> bool:
    """A weak password in a URL (``admin`` for user admin) is a credential: only templates
    are dropped (and, by the caller, credentials for a documentation host, example.com)."""
    if _URL_TEMPLATE.match(v) or _MASKED.match(v):
        return True
    if "[" in v or "]" in v:
        # RFC 3986 keeps ``[`` and ``]`` for IPv6 hosts: a user-info holding one is a usage
        # line's optional part (``ftp://user[:password]@host``), not a URL's password
        return True
    if _may_reference(v) and _REFERENCE.search(v):
        return True
    return docs and _DOCS_TEMPLATE.match(v) is not None
