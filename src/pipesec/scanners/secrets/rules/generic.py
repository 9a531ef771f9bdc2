"""Generic rules: ``password = "..."``, ``secret:``, ``api_key=`` across languages and formats.

They run with the false-positive filters of :mod:`pipesec.scanners.secrets.filters`, which
read the key (the whole identifier: ``spdx_license_key``, ``AWS::IAM::AccessKey`` and
``NextToken`` are not secret keys), the file's kind (an unquoted value in a program is code:
the unquoted rules do not run on source files) and the value (references, templates,
placeholders, hashes, UUIDs, code, names) with an entropy floor; a provider rule that
matches the same value wins over them. A password that is a word or a default
(``password123``, ``dummy-pass``, ``admin``) is reported by the ``-weak`` rules at medium:
it is a real credential in a configuration file, if a guessable one. ``KIND`` tells the
filters which rule is which.
"""

from __future__ import annotations

import random
import re

from pipesec.core.model import Severity
from pipesec.scanners.secrets import filters
from pipesec.scanners.secrets.rules.base import SecretRule
from pipesec.scanners.secrets.rules.builders import ALNUM, B64URL, generic, public_by_key, rand

_PW = r"(?:password|passwd|passphrase|pwd|db_pass|dbpass|pass)"
#: (a multi-word key in any case style: ``private_key``, ``PrivateKey`` in a CloudFormation
#: template's properties, ``encryptionKey`` in a program, ``signing-key``, ``master.key``;
#: session 17's unseen sample missed ``PrivateKey: …`` of an APNs channel)
_SEC_WORDS = (
    r"(?:secret|secret_key|secretkey|client_secret|app_secret|api_secret|private[_.-]?key"
    r"|signing[_.-]?key|encryption[_.-]?key|master[_.-]?key)"
)
_TOK_WORDS = r"(?:token|auth_token|access_token|api_token|refresh_token|bearer_token|session_token)"
#: (``api key`` with a space: prose-like configuration and the peers' fixtures)
#: (``api.key``: a properties file's dotted key, ``here.api.key=<value>``)
#: (``sdk_key``: a feature-flag service's server-side SDK key, ``LAUNCHDARKLY_SDK_KEY``)
_APIKEY = (
    r"(?:api_key|apikey|api-key|api key|api\.key|x-api-key|access_key|accesskey|app_key"
    r"|sdk_key|sdkkey|sdk-key)"
)

#: identifier around the keyword (``DB_PASSWORD``, ``stripeApiKey``, ``admin.password``)
_NAME = r"[\w.-]{0,40}?"
_NAME_END = r"[\w.-]{0,20}"
#: quoted assignment in code, YAML, JSON, TOML, INI, HCL, XML attributes
#: (a type annotation may stand between the key and ``=``: ``password: str = "..."`` in
#: Python, ``const token: string = "..."`` in TypeScript, ``var password string = "..."`` in Go)
#: (a subscript's key closes with ``]``: ``os.environ["API_KEY"] = "..."``)
#: (a comparison with a literal is the credential the code accepts: ``if password ==
#: "..."``, ``token === '...'``)
#: (GNU make assigns with ``:=``, ``::=`` and ``:::=``: ``API_TOKEN ::= "..."``)
_QUOTED = (
    r"\\?[\"']?\]?(?:[ \t]{0,5}:[ \t]{0,5}[A-Za-z_][\w.\[\]|]{0,30}[ \t]{0,5}="
    r"|[ \t]{1,5}[A-Za-z_][\w.]{0,30}[ \t]{1,5}="
    r"|[ \t]{0,16}(?:===?|!==?|=|:{1,3}=|:|=>|\?=|\|\|=|\.=|\+=))"
    r"[ \t]{0,16}(?:[a-z]{1,2})?\\?[\"'`]"
)
#: the value and its closing quote (a Go raw string or a JS template literal closes with `)
#: (up to 1,024 characters: providers issue opaque tokens of 300 to 1,000, Zeplin's, StoryChief's,
#: Lemon Squeezy's; session 12's trufflehog population missed 11 such values at 200)
_VAL_Q = r"([^\"'\s`\\]{%d,1024})\\?[\"'`]"
#: unquoted assignment in .env, properties, YAML, INI (whole rest of the line)
#: (an XML element's text may hold the lines: ``<propertiesContent>DB_PASSWORD=…``, Jenkins
#: EnvInject's properties, ``<env>TOKEN=…</env>``; ``</`` closes the value there)
#: (several ``key=value`` pairs on one line: a Dockerfile's ``ENV A=1 DB_PASSWORD=…`` and
#: ``ARG``, a shell's ``export A=1 B=…``, ``env A=1 B=…`` and ``A=1 B=…``; the pairs before
#: the key are skipped, ``filters.key_at`` then reads the key that owns the value; a pair's
#: value holds no blank unless it is quoted: ``ENV A="x y" DB_PASSWORD=…``, session 18)
_PAIR = r"[A-Za-z_][\w.-]{0,60}=(?:\"[^\"\n]{0,98}\"|'[^'\n]{0,98}'|[^\s]{0,100})"
#: (for Hyperscan a superset without the alternation: a pair's value is any 100 characters)
_PAIR_HS = r"[A-Za-z_][\w.-]{0,60}=[^\n]{0,100}"


def _unq(pair: str) -> str:
    return (
        r"(?m:^[ \t]{0,40}(?:<[A-Za-z][\w.:-]{0,60}>[ \t]{0,8})?"
        r"(?:set[ \t]+|-[ \t]+|(?:export[ \t]+|env[ \t]+|ENV[ \t]+|ARG[ \t]+)?"
        rf"(?:{pair}[ \t]+){{0,8}}))"
    )


_UNQ = _unq(_PAIR)
#: (a YAML block scalar puts the value on the next line: ``token: |`` / ``token: >-``)
#: (a Makefile assigns unquoted with ``:=``, ``::=``, ``:::=``, ``?=`` and ``+=``)
_VAL_U = (
    r"[ \t]{0,5}(?::{1,3}=|[?+]=|[=:])[ \t]{0,5}(?:[|>][-+]?[ \t]*\n[ \t]{1,40})?"
    r"([^\s\"'`#;,{}()\[\]<>$|](?:[^\s\"'`;,<]|<[^\s\"'`;,/]){%d,1023})"
    rf"(?m:(?:</[A-Za-z][\w.:-]{{0,60}}>)?(?:[ \t]+{_PAIR}){{0,8}}[ \t]*(?:[ \t][#;][^\n]*)?$)"
)
#: the same for Hyperscan (``hs_regex``): one class for the value's characters, ``</`` too
#: (a bounded repeat of an alternation made the whole multi-pattern pass ~30% slower); its
#: matches end where the regex's do, at the line's end
_VAL_U_HS = _VAL_U.replace(r"(?:[^\s\"'`;,<]|<[^\s\"'`;,/])", r"[^\s\"'`;,]").replace(
    _PAIR, _PAIR_HS
)
#: a Dockerfile's ``ENV <key> <value>``: the older form, a space and no ``=`` (the whole rest
#: of the line is the value; a value of one word, quoted or not, is taken); session 17's
#: unseen sample (KICS's fixtures) missed ``ENV ARTEMIS_PASSWORD artemis``, the ``=`` form
#: was reported
_ENV_SPACED = r"(?m:^[ \t]{0,40}ENV[ \t]+)"
_VAL_SPACED = r"[ \t]+[\"']?([^\s\"'`#;,{}()\[\]<>$|=][^\s\"'`]{%d,1023})[\"']?(?m:[ \t]*$)"


def _lead(kw: str) -> str:
    """A lookahead for the first letters of ``kw``'s words (``(?:a|b|c)``): zero-width and
    implied by the alternation after it, but `re` then skips the positions where no word
    can start about twice as fast as it tries the case-insensitive alternation there."""
    first = sorted({w[0].lower() for w in kw.removeprefix("(?:").removesuffix(")").split("|")})
    return f"(?=(?i:[{''.join(first)}]))"


#: rule id -> how the generic filters judge its matches
KIND: dict[str, filters.Kind] = {}
#: the shortest weak password the weak rules report (four characters since session 18: a
#: word people type as a password is as often four letters, ``root``, ``gorm``, ``test``,
#: ``1234``, and the weak-password policy reports a word; the four-character words that are
#: no password, ``none``, ``null``, ``true``, ``xxxx``, are the filters' to drop)
_WEAK_MIN = 4


def _weak_word(r: random.Random) -> str:
    """A guessable password of the kind people leave in configuration (built at run time)."""
    return r.choice(("dummy", "admin", "welcome", "mlab")) + r.choice(("-pass", "123", "2024"))


def _quoted(
    slug: str,
    kw: str,
    title: str,
    min_len: int,
    entropy: float,
    keywords: tuple[str, ...],
    name: str,
    sev: Severity,
    *,
    weak: str = "",
    weak_variant: bool = False,
) -> SecretRule:
    """``weak``: the slug of the rule reporting this rule's weak passwords (the regex then
    takes values from _WEAK_MIN characters on, the filters hold strong ones to
    ``min_len``); ``weak_variant``: this rule is such a rule (it never runs itself)."""
    shortest = _WEAK_MIN if weak else min_len
    regex = rf"{_lead(kw)}(?i:{kw}{_NAME_END}){_QUOTED}" + _VAL_Q % shortest

    def example(r: random.Random) -> str:
        if weak_variant:
            return f'{name} = "{_weak_word(r)}"\n'
        return f'{name} = "{rand(r, ALNUM, max(min_len, 8)) + rand(r, "!@#%^&*", 2)}"\n'

    rule = generic(
        slug,
        "Generic",
        title,
        regex,
        example=example,
        fixed=lambda r: f'{name} = os.environ["{name.upper()}"]\n',
        keywords=keywords,
        severity=sev,
        tags=("generic", "weak-password") if weak_variant else ("generic",),
    )
    _register(rule.id, filters.ASSIGN, entropy, min_len, weak, weak_variant)
    return rule


def _register(
    rule_id: str, kind: str, floor: float, min_len: int, weak: str, weak_variant: bool
) -> None:
    if weak_variant:
        KIND[rule_id] = filters.Kind(filters.WEAK)
    else:
        KIND[rule_id] = filters.Kind(kind, floor, min_len, f"secrets/{weak}" if weak else None)


def _unquoted(
    slug: str,
    kw: str,
    title: str,
    min_len: int,
    entropy: float,
    keywords: tuple[str, ...],
    name: str,
    sev: Severity,
    *,
    weak: str = "",
    weak_variant: bool = False,
    spaced: bool = False,
) -> SecretRule:
    """``spaced``: a Dockerfile's ``ENV <key> <value>`` (no ``=``) instead of ``key=value``."""
    shortest = _WEAK_MIN if weak else min_len
    key = rf"(?i:{_NAME}{kw}{_NAME_END})"
    if spaced:
        regex = hs_regex = _ENV_SPACED + key + _VAL_SPACED % (shortest - 1)
    else:
        regex = _UNQ + key + _VAL_U % (shortest - 1)
        # (Hyperscan is given the match from its key on: every match of ``regex`` ends
        # where one of it ends, and the windows are ``regex``'s. The line's head, read from
        # every line's start with its eight skipped pairs, was a third of the whole
        # multi-pattern pass: 16.9 -> 7.5 ms over 10 MB for the five rules, session 19)
        hs_regex = key + _VAL_U_HS % (shortest - 1)
    lead, sep = ("ENV ", " ") if spaced else ("", "=")

    def example(r: random.Random) -> str:
        if weak_variant:
            return f"{lead}{name}{sep}{_weak_word(r)}\n"
        return f"{lead}{name}{sep}{rand(r, ALNUM, max(min_len, 10))}\n"

    rule = generic(
        slug,
        "Generic",
        title,
        regex,
        example=example,
        fixed=lambda r: f"{lead}{name}{sep}${{{name}}}\n",
        keywords=keywords,
        severity=sev,
        tags=("generic", "weak-password") if weak_variant else ("generic",),
        hs_regex=hs_regex,
    )
    _register(rule.id, filters.ASSIGN_UNQUOTED, entropy, min_len, weak, weak_variant)
    return rule


H = Severity.HIGH
M = Severity.MEDIUM
_PWK = ("pass", "pwd")
_SK = (
    *("secret", "private_key", "signing_key", "encryption_key", "master_key", "privatekey"),
    *("signingkey", "encryptionkey", "masterkey", "private-key", "signing-key", "private.key"),
    *("encryption-key", "master-key", "signing.key", "encryption.key", "master.key"),
)
_TK = ("token",)
_AK = (
    *("api_key", "apikey", "api-key", "api key", "api.key", "access_key", "accesskey", "app_key"),
    *("sdk_key", "sdkkey", "sdk-key"),
)


def _xml_element(words: str, shortest: int) -> str:
    """An XML element named by one of ``words`` (within a longer name) and its text, on its
    line or the next; the match starts at the element's name (the filters read it as the
    key)."""
    return (
        rf"(?<=<)(?i:[\w.-]{{0,30}}(?:{words})[\w.-]{{0,20}})>"
        rf"[ \t]{{0,8}}\n?[ \t]{{0,40}}([^<>\s\"'`]{{{shortest},200}})"
        r"[ \t]{0,8}\n?[ \t]{0,40}</"
    )


_XML_KW = r"(?i:\b[\w.-]{0,30}(?:password|passwd|secret|apikey|api_key|token)[\w.-]{0,20})"
_XML_PATHS = r"\.(?:xml|config|html?|xaml|plist|jsp|aspx|csproj|props)$"


#: a flag that names a password (``--password``, ``--db-password``, Redis's
#: ``--requirepass`` and ``--masterauth``), the value next to it, at the line's end
_PASSWORD_FLAG = re.compile(
    r"--(?i:(?:[a-z0-9]{2,12}-){0,2}(?:tls|ssl)?(?:password|passwd)|requirepass|masterauth)"
    r"(?:=|[ \t]{1,3})[\"']?$"
)


def password_flag_severity(path: str, before: str) -> Severity | None:
    """High for a strong value after a password flag (session 16: the same password in
    ``password = "…"`` is ``generic-password``'s, high); ``--token``, ``--secret`` and
    ``--api-key`` stay medium (``aws apigateway get-api-key --api-key <id>`` names a key)."""
    return Severity.HIGH if _PASSWORD_FLAG.search(before) else None


#: an XML/HTML attribute that names a password (``password="``, ``db.passwd="``), at the
#: line's end before its value
_XML_PASSWORD_ATTR = re.compile(
    r"(?i:[\w.-]{0,30}(?:password|passwd)[\w.-]{0,20})[ \t]{0,3}=[ \t]{0,3}\"$"
)


def xml_password_severity(path: str, before: str) -> Severity | None:
    """High for a strong value in an attribute that names a password (session 17: the same
    value in ``password = "…"`` is ``generic-password``'s, high, and both rules read it:
    the XML rule, bound to the file's kind, keeps the span at the same severity); an
    attribute named ``token``, ``secret`` or ``apikey`` stays medium (HTML and XML name
    CSRF tokens and ids so)."""
    return Severity.HIGH if _XML_PASSWORD_ATTR.search(before) else None


#: a quoted name that ends in ``key`` as a word: ``"key"``, ``'dict_key'``, ``"signKey"`` (a
#: camel-case hump), not ``monkey`` or ``hotkey``; a data file's or a mapping's key (JSON, a
#: dict, a JS object), not a code variable (``sort key = …``) nor YAML's bare ``key:`` (a
#: ``keys:`` list is read as ``key: "<item>"`` lines: an index's keys, not secrets)
_KEY_NAME = r"[\"'](?i:[\w.-]{0,30}?)(?:(?<=[\"'])|(?<=[_.-])|(?<=[a-z])(?=K))(?i:key)[\"']"
#: a random value: two digits, two capitals and two small letters at least, no run of seven
#: letters of one case (a word: ``LicenseRef-scancode-…``, ``heightOfGeoidAboveWGS84Units``)
_RANDOM = (
    r"(?=(?:[^\"'\s]*?[0-9]){2})(?=(?:[^\"'\s]*?[A-Z]){2})(?=(?:[^\"'\s]*?[a-z]){2})"
    r"(?![^\"'\s]*?(?:[a-z]{7}|[A-Z]{7}))"
)
#: names whose values are not secrets however random: a WebSocket handshake nonce, a Web
#: Push (VAPID) application server key (public), an idempotency or cache key, a table's
#: sort or partition key, a licence key of a catalogue (``spdx_license_key``)
_KEY_NOT_SECRET = (
    r"(?i:websocket|vapid|idempoten|cache|sort|partition|primary|foreign|license|licence"
    r"|i18n|translation|lookup|object_?key|s3_?key|bucket)",
    # an OpenSSL-encrypted value (``Salted__``): a ciphertext, not the key
    r"^U2FsdGVkX1",
    # a camel-case name whose digits follow an acronym (``heightOfGeoidAboveWGS84Units``):
    # a program's identifier, not a generated value (a digit there follows a capital run)
    r"^[a-z]+(?:[A-Z][a-z]+|[A-Z]{2,}[0-9]*)+$",
)


RULES: list[SecretRule] = [
    _quoted(
        "generic-password",
        _PW,
        "Hard-coded password",
        6,
        2.5,
        _PWK,
        "db_password",
        H,
        weak="generic-password-weak",
    ),
    _quoted(
        "generic-password-weak",
        _PW,
        "Hard-coded weak or default password",
        5,
        2.5,
        _PWK,
        "rds_password",
        M,
        weak_variant=True,
    ),
    _unquoted(
        "generic-password-unquoted",
        _PW,
        "Hard-coded password (env/properties)",
        8,
        2.8,
        _PWK,
        "DB_PASSWORD",
        H,
        weak="generic-password-weak-unquoted",
    ),
    _unquoted(
        "generic-password-weak-unquoted",
        _PW,
        "Hard-coded weak or default password (env/properties)",
        5,
        2.8,
        _PWK,
        "MLAB_PASS",
        M,
        weak_variant=True,
    ),
    _quoted("generic-secret", _SEC_WORDS, "Hard-coded secret", 12, 3.0, _SK, "client_secret", H),
    _unquoted(
        "generic-secret-unquoted",
        _SEC_WORDS,
        "Hard-coded secret (env/properties)",
        12,
        3.0,
        _SK,
        "CLIENT_SECRET",
        H,
    ),
    _quoted("generic-token", _TOK_WORDS, "Hard-coded token", 16, 3.2, _TK, "auth_token", H),
    _unquoted(
        "generic-token-unquoted",
        _TOK_WORDS,
        "Hard-coded token (env/properties)",
        16,
        3.2,
        _TK,
        "AUTH_TOKEN",
        H,
    ),
    _quoted("generic-api-key", _APIKEY, "Hard-coded API key", 16, 3.2, _AK, "api_key", H),
    _unquoted(
        "generic-api-key-unquoted",
        _APIKEY,
        "Hard-coded API key (env/properties)",
        16,
        3.2,
        _AK,
        "API_KEY",
        H,
    ),
    _unquoted(
        "dockerfile-env-password",
        _PW,
        "Hard-coded password in a Dockerfile ENV without '='",
        8,
        2.8,
        _PWK,
        "DB_PASSWORD",
        H,
        weak="dockerfile-env-password-weak",
        spaced=True,
    ),
    _unquoted(
        "dockerfile-env-password-weak",
        _PW,
        "Hard-coded weak or default password in a Dockerfile ENV without '='",
        5,
        2.8,
        _PWK,
        "ADMIN_PASSWORD",
        M,
        weak_variant=True,
        spaced=True,
    ),
    _unquoted(
        "dockerfile-env-secret",
        _SEC_WORDS,
        "Hard-coded secret in a Dockerfile ENV without '='",
        12,
        3.0,
        _SK,
        "CLIENT_SECRET",
        H,
        spaced=True,
    ),
    _unquoted(
        "dockerfile-env-token",
        rf"(?:{_TOK_WORDS[3:-1]}|{_APIKEY[3:-1]})",
        "Hard-coded token or API key in a Dockerfile ENV without '='",
        16,
        3.2,
        (*_TK, *_AK),
        "API_TOKEN",
        H,
        spaced=True,
    ),
    generic(
        "generic-cli-secret-flag",
        "Generic",
        "Secret passed as a command-line flag",
        # (a word may qualify the password: ``--http-password``, ``--proxy-password``,
        # ``--ftp-password``, ``--tlspassword``, ``--db-password``; not a flag that asks for
        # one or turns it off: ``--ask-password``, ``--no-password``)
        r"(?<![\w-])--(?i:(?!ask-|no-|prompt-|show-|use-|read-|hide-|with-)"
        r"(?:[a-z0-9]{2,12}-){0,2}(?:tls|ssl)?(?:password|passwd)|token|api-key|apikey"
        r"|secret|client-secret|auth-token|requirepass|masterauth)"
        r"(?:=|[ \t]{1,3})[\"']?(?![a-z]{2,10}://)([^\s\"'$%{}<>-][^\s\"'${}<>]{7,200})",
        example=lambda r: f"deploy --api-key={rand(r, B64URL, 24)} --env prod\n",
        fixed=lambda r: 'deploy --api-key="$DEPLOY_API_KEY" --env prod\n',
        keywords=("--",),
        severity=M,
        severity_at=password_flag_severity,
        entropy=3.0,
    ),
    generic(
        "helm-set-secret",
        "Generic",
        "Secret passed to helm --set (name.password=value)",
        r"(?<![\w-])--set(?:-string|-literal)?(?:=|[ \t]{1,3})[\"']?[\w.\[\]/-]{0,80}?"
        r"(?i:password|passwd|secret|token|api[_-]?key|apikey|access[_-]?key)[\w-]{0,20}="
        r"([^\s,\"'$%{}<>][^\s,\"'${}<>]{7,200})",
        example=lambda r: (
            f"helm upgrade app ./chart --set db.password={rand(r, ALNUM, 20)} --set replicas=2\n"
        ),
        fixed=lambda r: (
            'helm upgrade app ./chart --set db.password="$DB_PASSWORD" --set replicas=2\n'
        ),
        keywords=("--set",),
        severity=H,
        entropy=3.0,
    ),
    generic(
        "generic-xml-element-secret",
        "Generic",
        "Secret in an XML element (<apiToken>...</apiToken>)",
        # the match starts at the element's name (the filters read it as the key); password
        # elements are generic-xml-element-password's
        _xml_element("secret|apikey|api_key|token", 12),
        example=lambda r: f"<settings><apiToken>{rand(r, B64URL, 32)}</apiToken></settings>\n",
        fixed=lambda r: "<settings><apiToken>${API_TOKEN}</apiToken></settings>\n",
        keywords=("secret", "apikey", "api_key", "token"),
        severity=M,
    ),
    generic(
        "generic-xml-element-password",
        "Generic",
        "Password in an XML element (<pwd>...</pwd>, <dbPassword>...</dbPassword>)",
        # ``<password>`` alone is maven-settings-password's; ``<pwd>``, ``<passwd>``,
        # ``<passphrase>`` and longer names (``<db_password>``) here: the element names its
        # text as an assignment's key does, a weak one is generic-password-weak's
        _xml_element("password|passwd|pwd|passphrase", _WEAK_MIN),
        example=lambda r: f"<db><user>app</user><pwd>{rand(r, ALNUM, 16)}</pwd></db>\n",
        fixed=lambda r: "<db><user>app</user><pwd>${DB_PASSWORD}</pwd></db>\n",
        keywords=("password", "passwd", "pwd", "passphrase"),
        severity=H,
    ),
    generic(
        "generic-xml-password",
        "Generic",
        "Password attribute in XML/HTML configuration",
        _XML_KW + r"[ \t]{0,3}=[ \t]{0,3}\"([^\"${}%\s]{5,200})\"",
        example=lambda r: f'<datasource user="app" password="{rand(r, ALNUM, 18)}" />\n',
        fixed=lambda r: '<datasource user="app" password="${DB_PASSWORD}" />\n',
        keywords=("password", "passwd", "secret", "apikey", "api_key", "token"),
        severity=M,
        severity_at=xml_password_severity,
        path_regex=_XML_PATHS,
    ),
    generic(
        "generic-xml-password-weak",
        "Generic",
        "Weak or default password attribute in XML/HTML configuration",
        _XML_KW + r"[ \t]{0,3}=[ \t]{0,3}\"([^\"${}%\s]{5,200})\"",
        example=lambda r: f'<dataSource user="app" password="{_weak_word(r)}" />\n',
        fixed=lambda r: '<dataSource user="app" password="${DB_PASSWORD}" />\n',
        keywords=("password", "passwd", "secret", "apikey", "api_key", "token"),
        severity=M,
        tags=("generic", "weak-password"),
        path_regex=_XML_PATHS,
    ),
    generic(
        "generic-key-random",
        "Generic",
        "Random value under a bare key name (key, APP_KEY, clientKey)",
        # session 17: a value that reads as generated under a name that says only "key"
        # (ripsecrets' `random` test file; gitleaks' generic rule reads such keys by entropy);
        # the named forms (api_key, secret_key, private_key) are the other generic rules'
        _KEY_NAME
        + r"\]?[ \t]{0,5}(?::=|=>|=|:)[ \t]{0,5}[\"']"
        + _RANDOM
        + r"([A-Za-z0-9+/_-]{20,100}={0,2})[\"']",
        example=lambda r: f'config = {{"key": "{rand(r, ALNUM, 30)}"}}\n',
        fixed=lambda r: 'config = {"key": os.environ["APP_KEY"]}\n',
        keywords=("key",),
        hs_regex=r"(?i:key)[\"']\]?[ \t]{0,5}(?::=|=>|=|:)[ \t]{0,5}[\"']"
        r"[A-Za-z0-9+/_-]{20,100}={0,2}[\"']",
        severity=M,
        entropy=3.8,
        public=public_by_key,
        allow_regexes=_KEY_NOT_SECRET,
    ),
    generic(
        "generic-token-csv",
        "Generic",
        "Hard-coded token or key in a two-column name,value row",
        # a whole line: the name, a comma, the value, at most a trailing comma (an exported
        # key list, a spreadsheet of credentials); in a program such a line is code
        r"(?m:^[ \t]{0,8}(?i:"
        + _NAME
        + r"(?:token|api_?key|apikey|secret|access_?key)"
        + _NAME_END
        + r"),[ \t]{0,3}([A-Za-z0-9+/_.=-]{16,200}),?[ \t]*$)",
        example=lambda r: f"deployToken,{rand(r, ALNUM, 32)},\n",
        fixed=lambda r: "deployToken,<from the vault>,\n",
        keywords=("token,", "key,", "secret,"),
        severity=M,
    ),
]
KIND.update(
    {
        # (a name,value row is an unquoted value: in a program it is code, not a secret)
        "secrets/generic-token-csv": filters.Kind(filters.ASSIGN_UNQUOTED, 3.2, 16),
        "secrets/generic-cli-secret-flag": filters.Kind(filters.FLAG),
        "secrets/helm-set-secret": filters.Kind(filters.FLAG),
        "secrets/generic-xml-element-secret": filters.Kind(filters.ASSIGN_UNQUOTED, 3.2, 16),
        "secrets/generic-xml-password": filters.Kind(
            filters.ASSIGN, 3.0, 8, "secrets/generic-xml-password-weak"
        ),
        "secrets/generic-xml-password-weak": filters.Kind(filters.WEAK),
        "secrets/generic-xml-element-password": filters.Kind(
            filters.ASSIGN, 2.5, 6, "secrets/generic-password-weak"
        ),
        # (a weak URL password: rules/keys.py's url-password-weak, which registers the URL
        # rules' kind and its own)
        "secrets/basic-auth-url": filters.Kind(filters.URL, weak="secrets/url-password-weak"),
        # HTTP header rules of rules/files.py and rules/keys.py: a hex or UUID value there is
        # the key (``"AWS::ApiGateway::ApiKey": "<hash>"`` is a CloudFormation type, dropped)
        "secrets/http-header-api-key": filters.Kind(filters.HEADER, 3.0, 16),
        "secrets/authorization-bearer": filters.Kind(filters.HEADER, 3.5, 20),
        "secrets/authorization-token": filters.Kind(filters.HEADER, 3.5, 16),
        "secrets/url-query-credential": filters.Kind(
            filters.ASSIGN, 3.0, 12, "secrets/generic-password-weak"
        ),
        "secrets/docker-env-secret": filters.Kind(
            filters.ASSIGN, 3.0, 12, "secrets/generic-password-weak"
        ),
        # password fields of credential stores (rules/keys.py, rules/files.py): a weak value
        # (``password``, ``hunter22``) is a real password there, reported by the weak rule
        **dict.fromkeys(
            (
                "secrets/pgpass-password",
                "secrets/mail-client-password",
                "secrets/wifi-psk",
                "secrets/cifs-mount-password",
                # a connection string's Password= and an XML <password> element say what
                # the value is: ``Password=mypassword`` there is the database's password
                "secrets/connection-string-password",
                "secrets/maven-settings-password",
                # passwords written into commands and answer files (rules/scripts.py)
                "secrets/windows-schtasks-password",
                "secrets/windows-net-use-password",
                "secrets/windows-cmdkey-password",
                "secrets/sql-account-password",
                "secrets/windows-unattend-password",
            ),
            filters.Kind(filters.STORE, 2.5, 6, "secrets/generic-password-weak"),
        ),
    }
)
