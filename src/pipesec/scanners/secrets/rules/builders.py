"""Small constructors that turn one line of a provider table into a SecretRule.

* :func:`prefixed` - tokens with a documented prefix and shape (``ghp_`` + 36 base62);
* :func:`keyed` - opaque values recognised by a provider keyword in the assignment
  (``twilio_auth_token = "<32 hex>"``);
* :func:`custom` - anything else, with its own regex and example; :data:`generic` and
  :data:`password` are its two shapes for values a person typed (the generic filters on).

Examples are generated at run time from the same shape (seeded by the rule id, so they
are reproducible) and never stored: the source holds only prefixes and character sets.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Callable
from functools import partial

from pipesec.core.model import Confidence, Severity
from pipesec.scanners.secrets import filters
from pipesec.scanners.secrets.rules.base import DEFAULT_REMEDIATION, SecretRule

DIGITS = "0123456789"
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
LOWER = "abcdefghijklmnopqrstuvwxyz"
HEX = DIGITS + "abcdef"
HEXU = DIGITS + "ABCDEF"
#: hex in either case (a provider that issues lower case, written upper by some)
HEXA = HEX + "ABCDEF"
ALNUM = DIGITS + UPPER + LOWER
ALNUM_LOWER = DIGITS + LOWER
ALNUM_UPPER = DIGITS + UPPER
#: a lower-case UUID, the shape of many providers' API keys and ids
UUID_RE = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
B64 = ALNUM + "+/"
B64URL = ALNUM + "_-"
BASE32 = UPPER + "234567"
BASE32L = LOWER + "234567"

#: lookbehind/lookahead that keep a token from being part of a longer word
_EDGE_CHARS = "A-Za-z0-9"

#: the assignment part of keyed rules (as gitleaks' "semi-generic" rules)
#: (``+=``: a Makefile's or a shell array's append; ``|``: a text table's column,
#: ``apiKey | <value>``, where the value's fixed shape decides)
#: (a YAML block scalar's indicator may follow: ``token: >`` / ``token: |-`` and the value on
#: the next line)
ASSIGN = (
    r"(?:[ \t\w.-]{0,20})[\s'\"\\]{0,3}(?:=|>|:{1,3}=|\|\||:|=>|\?=|\+=|,|\|)"
    r"(?:[ \t]{0,3}[|>][-+]?(?=[ \t]*\n))?[`'\"\s=\\]{0,5}"
)
END = r"(?=[`'\"\s;,)\]}<\\]|$)"


def rng_for(rule_id: str, salt: str = "") -> random.Random:
    seed = int.from_bytes(hashlib.sha256((rule_id + salt).encode()).digest()[:8], "big")
    return random.Random(seed)


def rand(r: random.Random, charset: str, n: int) -> str:
    return "".join(r.choice(charset) for _ in range(n))


def rand_uuid(r: random.Random) -> str:
    """A random lower-case UUID (of the shape ``UUID_RE`` matches)."""
    return "-".join(rand(r, HEX, n) for n in (8, 4, 4, 4, 12))


def char_class(charset: str) -> str:
    """The regex character class of a charset string, compacted to ranges."""
    parts = []
    for block, rng in ((DIGITS, "0-9"), (UPPER, "A-Z"), (LOWER, "a-z")):
        if all(c in charset for c in block):
            parts.append(rng)
            charset = "".join(c for c in charset if c not in block)
    if "abcdef" in charset and "a-z" not in parts:
        parts.append("a-f")
        charset = charset.replace("abcdef", "")
    if "ABCDEF" in charset and "A-Z" not in parts:
        parts.append("A-F")
        charset = charset.replace("ABCDEF", "")
    for c in sorted(set(charset), key=lambda ch: (ch == "-", ch)):
        parts.append("\\-" if c == "-" else re.escape(c))
    return "[" + "".join(parts) + "]"


def _any_case(charset: str) -> str:
    """``charset`` with the other case of each of its letters."""
    return charset + "".join(sorted({c.swapcase() for c in charset if c.isalpha()} - set(charset)))


def _edge_class(charset: str) -> str:
    # "=" is base64 padding inside a token but the assignment before one (TOKEN=ops_...)
    extra = "".join(sorted({c for c in charset if not c.isalnum() and c != "="}))
    inner = _EDGE_CHARS + "".join("\\-" if c == "-" else re.escape(c) for c in extra)
    return inner


def _quant(length: int | tuple[int, int]) -> str:
    if isinstance(length, tuple):
        return f"{{{length[0]},{length[1]}}}"
    return f"{{{length}}}"


def _len(r: random.Random, length: int | tuple[int, int]) -> int:
    return r.randint(*length) if isinstance(length, tuple) else length


def _env_name(provider: str, what: str) -> str:
    base = re.sub(r"[^A-Za-z0-9]+", "_", f"{provider} {what}").strip("_").upper()
    return base or "SECRET"


def prefixed(
    slug: str,
    provider: str,
    title: str,
    prefix: str,
    charset: str,
    length: int | tuple[int, int],
    *,
    severity: Severity = Severity.HIGH,
    prefix_regex: str | None = None,
    suffix: str = "",
    suffix_regex: str | None = None,
    keywords: tuple[str, ...] | None = None,
    validator: Callable[[str], bool] | None = None,
    make_value: Callable[[random.Random], str] | None = None,
    entropy: float | None = None,
    case_insensitive_prefix: bool = False,
    description: str = "",
    references: tuple[str, ...] = (),
    confidence: Confidence = Confidence.HIGH,
    var: str = "",
    prefilter: str | None = None,
) -> SecretRule:
    """A token with a fixed prefix: ``prefix`` + ``length`` chars of ``charset`` [+ suffix].

    ``prefilter``: a prefix of the token for the multi-pattern pass, when the token's own
    form would end at many offsets (a variable-length tail)."""
    rule_id = f"secrets/{slug}"
    edge = _edge_class(charset + prefix + suffix)
    pre = prefix_regex if prefix_regex is not None else re.escape(prefix)
    if case_insensitive_prefix:
        pre = f"(?i:{pre})"
    suf = suffix_regex if suffix_regex is not None else re.escape(suffix)
    core = "" if length == 0 else f"{char_class(charset)}{_quant(length)}"
    body = f"{pre}{core}{suf}"
    if prefix and prefix_regex is None and not case_insensitive_prefix:
        # the literal first, then the boundary as a fixed-width lookbehind over it: `re`
        # searches a leading literal fast, a leading lookbehind it tries at every position
        # a prefix that opens with a sign (``$aact_``) is its own boundary: only a letter or
        # digit before it makes it part of a longer word (``u:$aact_…`` in a URL is a token)
        before = edge if prefix[0].isalnum() else _EDGE_CHARS
        regex = f"({pre}(?<![{before}]{pre}){core}{suf})(?![{edge}])"
    else:
        regex = f"(?<![{edge}])({body})(?![{edge}])"
    if prefilter is None and isinstance(length, tuple) and suffix_regex is None and not suffix:
        # a variable-length tail ends at many offsets: prefilter on its shortest form
        prefilter = f"{pre}{char_class(charset)}{{{length[0]}}}"
    kw = keywords if keywords is not None else (prefix.lower().rstrip("_-.:"),)
    name = var or _env_name(provider, "token")

    def value() -> str:
        r = rng_for(rule_id)
        if make_value is not None:
            return make_value(r)
        return prefix + rand(r, charset, _len(r, length)) + suffix

    def example() -> str:
        return f'{name} = "{value()}"\n'

    def fixed() -> str:
        v = value()
        return f'{name} = os.environ["{name}"]  # format: {v[: max(len(prefix), 4)]}...\n'

    return SecretRule(
        id=rule_id,
        provider=provider,
        title=title,
        severity=severity,
        regex=regex,
        secret_group=1,
        keywords=tuple(k for k in kw if k),
        entropy=entropy,
        validator=validator,
        description=description,
        references=references,
        example=example,
        fixed=fixed,
        confidence=confidence,
        prefilter=prefilter,
        prefix=prefix if not case_insensitive_prefix else "",
        generated=True,
    )


#: after a provider's name: an optional secret word, then the key ends (an assignment
#: follows): ``deepgram_project_id`` is not a key
#: (``credentials``/``creds``: ``baremetrics credentials: <value>``, ``BAREMETRICS_CREDS=``)
_STEM_KEY_CHARS = r"[\w. -]"
_STEM_KEY = (
    rf"(?:{_STEM_KEY_CHARS}{{0,20}}?"
    r"(?:key|token|secret|pat|passw(?:or)?d|api|auth|cred(?:ential)?s?))?"
    # (a Go declaration's type may stand before ``=``; an XML element's name ends at ``>``)
    # (PHP appends with ``.=``; a text table's column starts at ``|``)
    r"(?=(?:[ \t]{1,3}(?:string|String|str))?[\s'\"\\]{0,3}(?:=|:|,|\+=|\?=|\.=|>|\|))"
)
#: the most characters the part of ``_STEM_KEY`` that consumes text can take (20 + "credentials")
_STEM_KEY_WIDTH = 31
#: what Hyperscan is given for ``_STEM_KEY``: any run of its characters up to its width (an
#: optional repeat followed by words made the keyed rules' scan half again as slow); the
#: words are letters, which ``_STEM_KEY_CHARS`` holds (a test checks it takes a superset)
_STEM_KEY_LOOSE = rf"{_STEM_KEY_CHARS}{{0,{_STEM_KEY_WIDTH}}}"
#: first words of provider keys that name no provider (or a database: its passwords are
#: typed by people, the generic password rules judge them)
_NOT_STEMS = frozenset(
    {
        *("access", "accesskeysecret", "actions", "apikey", "auth", "authtoken", "better"),
        *("bird", "bolt", "boundary", "brave", "checkout", "circle", "client", "conduit"),
        *("data", "devops", "function", "functions", "genie", "graph", "heap", "helm", "here"),
        *("line", "metal", "news", "notify", "password", "personal", "personalaccesstoken"),
        *("presharedkey", "private", "privatekey", "proof", "runner", "secret", "spaces"),
        *("secretaccesskey", "split", "submission", "system", "token", "tracker", "trigger"),
        *("tunnel", "twelve", "weather", "wise", "lemon", "kube", "amqp", "cassandra", "loops"),
        *("couchbase", "couchdb", "influx", "influxdb", "kafka", "ldap", "mariadb", "mongodb"),
        *("mssql", "mysql", "neo4j", "pgsql", "postgres", "redis", "rediscloud", "redshift"),
        *("smtp", "snowflake", "snowsql", "sqlserver", "openvpn", "elastic", "elasticsearch"),
        # a vendor of many products: ``GOOGLE_RECAPTCHA_KEY`` is no Cloud Storage HMAC
        # secret, ``GOOGLE_MAPS_API_KEY`` no Gemini key (their rules keep their own keys)
        "google",
    }
)


#: the other form keyed rules take: the provider's name, a secret word or none, and the value
#: after blanks, with no ``=`` or ``:`` (``clockify SECRET <value>``, ``bugsnag <uuid>``: a
#: note, a CI variable listing, a shell ``read``); the value's fixed shape decides
_STEM_SPACED_WORDS = (
    r"(?:api[ _-]?)?(?:key|token|secret)|private(?:[ _-]?key)?|access(?:[ _-]?(?:key|token))?"
)
#: (a value of 20 characters at least, with a digit: ``ATLAS requires`` is prose)
#: (a dash between them and quotes around the value: ``roaring token - '<value>'``)
_STEM_SPACED_SEP = r"(?:-[ \t]{1,3})?['\"]?"
_STEM_SPACED = (
    rf"[ \t]{{1,3}}(?:(?:{_STEM_SPACED_WORDS})[ \t]{{1,3}})?{_STEM_SPACED_SEP}(?=\S{{0,200}}?[0-9])"
)
#: what Hyperscan is given for it (no lookahead)
_STEM_SPACED_LOOSE = rf"[ \t]{{1,3}}(?:(?:{_STEM_SPACED_WORDS})[ \t]{{1,3}})?{_STEM_SPACED_SEP}"
#: the shortest value the spaced form takes
_STEM_SPACED_MIN = 20


#: the third form: the provider's name calls an SDK with the value as its first argument
#: (``new DeepgramClient("<value>")``, ``shodan.Shodan('<value>')``, ``Deepgram.init("<value>")``):
#: the value's fixed shape decides, as in the spaced form
_STEM_CALL_HEAD = r"(?:new[ \t]{1,3})?[\w.]{0,30}?"
_STEM_CALL_TAIL = r"[\w.]{0,30}\([ \t]{0,3}[`'\"]"


def _provider_stems(keywords: tuple[str, ...]) -> tuple[str, ...]:
    """The provider names the keys start with (``deepgram`` of ``deepgram_api_key``)."""
    words = {re.split(r"[_.\-]+", k.lower())[0] for k in keywords}
    return tuple(sorted(w for w in words if len(w) >= 4 and w.isalnum() and w not in _NOT_STEMS))


def keyed(
    slug: str,
    provider: str,
    title: str,
    keywords: tuple[str, ...],
    charset: str,
    length: int | tuple[int, int],
    *,
    severity: Severity = Severity.HIGH,
    value_regex: str | None = None,
    make_value: Callable[[random.Random], str] | None = None,
    entropy: float | None = 3.0,
    key_regex: str | None = None,
    var: str = "",
    description: str = "",
    references: tuple[str, ...] = (),
    confidence: Confidence = Confidence.MEDIUM,
    validator: Callable[[str], bool] | None = None,
    generated: bool | None = None,
    exclusive: bool = True,
    public: tuple[str, ...] = (),
    stem_names: bool = True,
) -> SecretRule:
    """An opaque value recognised by a provider keyword on the left of an assignment.

    ``generated``: the provider generates the values (random: one that looks typed, such as
    ``12345678-ABCD-…``, is a placeholder); by default, when no ``value_regex`` is given.
    ``exclusive``: the shape is the provider's only one, so a generic rule seeing another
    shape under these keys leaves it alone (a fake); False where the shape was learnt from
    the peers' patterns alone (they may disagree), and the generic rules keep judging.
    ``public``: the names of the provider's public values (regexes over a snake-case key,
    ``pusher(?:_app)?_key$``); with those every provider publishes (``filters.names_public_value``:
    publishable, anon, client token, site key) they are not this rule's.
    ``stem_names``: the provider's name alone keys the value (``deepgram:``, ``DEEPGRAM_KEY``);
    False where the name is a common word (``streak``, ``privacy``): the keywords only."""
    rule_id = f"secrets/{slug}"
    for pattern in public:
        filters.register_public_key(pattern)
    kw_re = key_regex or "|".join(re.escape(k) for k in keywords)
    edge = _edge_class(charset)
    # the provider's alphabet in either case: peers' fixtures draw ``[a-f0-9]`` without
    # regard to case, and under the provider's own name the case changes nothing
    val = value_regex or f"{char_class(_any_case(charset))}{_quant(length)}"
    stems = (
        _provider_stems(keywords) if stem_names and (value_regex or isinstance(length, int)) else ()
    )
    captured = f"(?<![{edge}])({val})(?![{edge}]){END}"
    tail = f"{ASSIGN}{captured}"
    hs_regex = None
    if stems:
        # the provider's name as the key, alone or before a secret word (``deepgram:``,
        # ``DEEPGRAM_KEY``, ``deepgram-api``), or before the value with blanks only
        # (``clockify SECRET <value>``): the value's fixed shape decides
        names = "|".join(stems)
        loose_key = f"(?i:{kw_re}|(?:{names}){_STEM_KEY_LOOSE})"
        kw_re = f"{kw_re}|(?:{names}){_STEM_KEY}"
        hs_regex = f"{loose_key}{tail}"
    regex = f"(?i:{kw_re}){tail}"
    if stems:
        keys = [f"(?i:{kw_re}){ASSIGN}"]
        hs_keys = [f"{loose_key}{ASSIGN}"]
        if (length if isinstance(length, int) else length[0]) >= _STEM_SPACED_MIN:
            keys.append(f"(?i:\\b(?:{names}){_STEM_SPACED})")
            hs_keys.append(f"(?i:(?:{names}){_STEM_SPACED_LOOSE})")
        # an SDK called by the provider's name with the value as its first argument
        keys.append(f"(?i:\\b{_STEM_CALL_HEAD}(?:{names}){_STEM_CALL_TAIL})")
        hs_keys.append(f"(?i:(?:{names}){_STEM_CALL_TAIL})")
        regex = f"(?:{'|'.join(keys)}){captured}"
        hs_regex = f"(?:{'|'.join(hs_keys)}){captured}"
    # a generic rule seeing another shape under these keys leaves it alone (a fake)
    if exclusive:
        filters.register_provider_key(keywords, val, provider)
    prefilter = None
    if value_regex is None and isinstance(length, tuple):
        prefilter = f"(?i:{kw_re}){ASSIGN}{char_class(charset)}{{{length[0]}}}"
    name = var or (
        keywords[0] if keywords[0].replace("_", "").isalnum() else _env_name(keywords[0], "secret")
    )

    def value() -> str:
        r = rng_for(rule_id)
        if make_value is not None:
            return make_value(r)
        # keep generated values clearly random (no long runs that look like placeholders)
        return rand(r, charset, _len(r, length))

    def example() -> str:
        return f'{name} = "{value()}"\n'

    def fixed() -> str:
        return f'{name} = os.environ["{name}"]\n'

    return SecretRule(
        id=rule_id,
        provider=provider,
        title=title,
        severity=severity,
        regex=regex,
        secret_group=1,
        keywords=tuple(dict.fromkeys((*(k.lower() for k in keywords), *stems))),
        entropy=entropy,
        validator=validator,
        description=description,
        references=references,
        example=example,
        fixed=fixed,
        confidence=confidence,
        generic_filters=True,
        prefilter=prefilter,
        hs_regex=hs_regex,
        generated=value_regex is None if generated is None else generated,
        public=partial(_public_key, tuple(keywords)),
        word_start=True,
    )


def _public_key(own: tuple[str, ...], key: str, _value: str) -> bool:
    """A keyed rule's match whose key names a public value (its own key words aside)."""
    return filters.names_public_value(key, own)


#: the ``public`` check of a rule keyed by a generic name (``api_key``): the key names a
#: value its provider publishes (``AMPLITUDE_API_KEY``, ``NEXT_PUBLIC_…``)
public_by_key = partial(_public_key, ())


def custom(
    slug: str,
    provider: str,
    title: str,
    regex: str,
    *,
    example: Callable[[random.Random], str],
    fixed: Callable[[random.Random], str] | None = None,
    severity: Severity = Severity.HIGH,
    secret_group: int | str = 1,
    keywords: tuple[str, ...] = (),
    entropy: float | None = None,
    validator: Callable[[str], bool] | None = None,
    path_regex: str | None = None,
    allow_regexes: tuple[str, ...] = (),
    description: str = "",
    references: tuple[str, ...] = (),
    confidence: Confidence = Confidence.HIGH,
    generic_filters: bool = False,
    prefilter: str | None = None,
    hs_regex: str | None = None,
    tags: tuple[str, ...] = (),
    cwe: tuple[str, ...] = ("CWE-798",),
    generated: bool = False,
    prefix: str = "",
    remediation: str | None = None,
    decoder: str = "",
    public: Callable[[str, str], bool] | None = None,
    severity_at: Callable[[str, str], Severity | None] | None = None,
) -> SecretRule:
    rule_id = f"secrets/{slug}"

    def ex() -> str:
        return example(rng_for(rule_id))

    def fx() -> str:
        if fixed is None:
            return 'token = os.environ["SERVICE_TOKEN"]\n'
        return fixed(rng_for(rule_id, "fixed"))

    return SecretRule(
        id=rule_id,
        provider=provider,
        title=title,
        severity=severity,
        regex=regex,
        secret_group=secret_group,
        keywords=keywords,
        entropy=entropy,
        validator=validator,
        path_regex=path_regex,
        allow_regexes=allow_regexes,
        description=description,
        references=references,
        example=ex,
        fixed=fx,
        confidence=confidence,
        generic_filters=generic_filters,
        prefilter=prefilter,
        hs_regex=hs_regex,
        tags=tags,
        cwe=cwe,
        generated=generated,
        prefix=prefix,
        decoder=decoder,
        public=public,
        severity_at=severity_at,
        remediation=remediation or DEFAULT_REMEDIATION,
    )


#: a value named only by a generic key (``password =``, ``api_key:``, ``Bearer``): the
#: generic filters (placeholders, templates, references), medium confidence, and the tag
#: ``generic`` (demoted in test and docs paths)
generic = partial(custom, generic_filters=True, confidence=Confidence.MEDIUM, tags=("generic",))
#: a password a person typed (a netrc, a command line, a connection string): the generic
#: filters and the tag ``password`` (demoted in test and docs paths)
password = partial(custom, generic_filters=True, tags=("password",))
