"""Message catalogues: the files a program's user interface is translated into.

A catalogue maps a message's name to the text shown for it in one language:
``"yourpassword": "Parool:"`` (MediaWiki's ``languages/i18n/et.json``),
``$labels['password'] = 'Senha';`` (Roundcube's ``localization/pt_BR/labels.inc``),
``field_password: Contraseña`` (Rails' ``config/locales/es.yml``). The names hold the
secret nouns the generic rules read (``password``, ``token``) and the texts are words, so
every label of a login form read as a hard-coded password: 1,218 medium-or-higher findings
in the session-18 real-code corpus (MediaWiki, DokuWiki, Roundcube, Postfix Admin,
ZoneMinder, Adminer, Redmine). A catalogue is known by where it stands: under a directory
that says so (``i18n/``, ``l10n/``, ``locale(s)/``, ``lang(s)/``, ``language(s)/``,
``localization/``, ``translations/``, ``nls/``), in a file named by a language tag
(``et.json``, ``pt-BR.yml``, ``zh_TW.inc``, ``fo.lang``, ``bn.inc.php``) or in a directory
named by one (``lang/hu/lang.php``, ``localization/uz/labels.inc``).

Only the generic keyword rules consult this (``filters.generic_verdict``): a provider's
key, a private key or a credential URL in such a file is still reported, and so is a value
no language writes (:func:`reads_generated`: one word of letters of both cases and digits,
``xK9mQ2vL7pR4sT8w``; review18: a real password in ``config/locales/en.yml`` or
``i18n/de.env`` was dropped with the labels). Only the formats catalogues are written in
count (``_CATALOGUE_EXTENSIONS``): a ``.env`` or ``.conf`` there is configuration.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: directories that hold a program's translations (compared in lower case)
_CATALOGUE_DIRS = frozenset(
    {
        *("i18n", "l10n", "locale", "locales", "lang", "langs", "language", "languages"),
        *("localization", "localizations", "localisation", "localisations"),
        *("translation", "translations", "nls"),
    }
)
#: a language tag as catalogues name their files and directories: a two- or three-letter
#: language, then script, region or variant subtags (``en``, ``pt-BR``, ``zh_hant``,
#: ``es_419``, ``be-tarask``, ``nan-latn-pehoeji``)
_LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(?:[-_][a-z0-9]{2,8}){0,3}$", re.IGNORECASE)
#: two- and three-letter names a directory of translations may also hold that are no
#: language (a tree's own settings or code beside its catalogues)
_NOT_LANGUAGES = frozenset(
    {
        *("api", "app", "cfg", "cli", "db", "dev", "env", "etc", "ini", "js", "key", "lib"),
        *("log", "new", "old", "prod", "qa", "src", "sql", "stg", "tmp", "uat", "web"),
        *("www", "aws", "gcp", "ssh", "bin", "run", "all", "any", "std", "sys", "usr"),
    }
)
#: the formats catalogues are written in (gettext, JSON, YAML, TOML, PHP arrays, JavaScript
#: modules, Java properties, XLIFF, Joomla's INI, Fluent, Rails' Ruby, Perl's Maketext ...).
#: A dotenv, shell, ``.conf``/``.cfg`` file or a program of another language under
#: ``i18n/`` is a deployment's configuration, whatever it is named (secprec19: ``i18n/prd.env``
#: was read as a catalogue and its ``DB_PASSWORD=`` dropped)
_CATALOGUE_EXTENSIONS = frozenset(
    {
        *("po", "pot", "json", "yml", "yaml", "toml", "php", "inc", "lang", "js", "mjs"),
        *("cjs", "ts", "properties", "xml", "xlf", "xliff", "ini", "ftl", "rb", "pm"),
        *("strings", "arb", "resx"),
    }
)


def _language(name: str) -> bool:
    return _LANGUAGE_TAG.match(name) is not None and name.lower() not in _NOT_LANGUAGES


@lru_cache(maxsize=4096)
def is_message_catalogue(path: str | None) -> bool:
    """Whether ``path`` (relative, ``/``-separated) is a translation of a program's
    messages: a file under a translations directory named by a language tag, or any file
    in a directory named by one below it, written in a catalogue's format."""
    if not path:
        return False
    parts = path.split("/")
    if len(parts) < 2 or _CATALOGUE_DIRS.isdisjoint(p.lower() for p in parts[:-1]):
        return False
    if parts[-1].rsplit(".", 1)[-1].lower() not in _CATALOGUE_EXTENSIONS:
        return False
    stem = parts[-1].split(".", 1)[0]
    if _language(stem):
        return True
    # a language's directory holds its catalogues under any name: DokuWiki's ``lang.php``,
    # Angular/Vue apps' ``i18n/ru/login.json``, Laravel's ``lang/en/passwords.php``
    # (secprec19: a generator's ``webapp/i18n/<lang>/*.json``, 142 findings)
    return (
        _language(parts[-2])
        and _CATALOGUE_DIRS.intersection(p.lower() for p in parts[:-2]) != set()
    )


#: one word (no blank) of 8 or more characters holding a digit, an upper and a lower case
#: letter: what a generator writes, not a translation (``Passwort:``, ``Mot de passe``)
_GENERATED = re.compile(r"(?=[^\d]*\d)(?=[^A-Z]*[A-Z])(?=[^a-z]*[a-z])\S{8,}")


def reads_generated(value: str) -> bool:
    """Whether ``value`` reads as generated rather than as a label in some language."""
    return _GENERATED.fullmatch(value.strip()) is not None
