"""Credentials in Terraform: provider blocks, secret-named attributes, variable defaults,
environment maps and boot scripts (user_data), with the value kept for redaction and for
the HMAC identity that merges the finding with the secrets scanner's.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from pipesec.core.model import Rule, Severity
from pipesec.scanners.iac.common import (
    Hit,
    looks_like_literal_secret,
    looks_like_secret_name,
    make_rule,
    secret_value,
)
from pipesec.scanners.iac.hcl import Attr, Block, Expr
from pipesec.scanners.iac.tfbase import (
    ModuleView,
    R,
    TfHit,
    _line_in,
)
from pipesec.scanners.secrets.placeholders import is_placeholder

log = logging.getLogger(__name__)

# -- credentials ---------------------------------------------------------------------------

_SECRET_ATTR = re.compile(
    r"(?i)^(?:access_key|secret_key|token|client_secret|password|credentials|api_key|api_token"
    r"|master_password|admin_password|administrator_login_password|private_key|secret)$"
)


@R(
    make_rule(
        "tf/provider-hardcoded-credentials",
        "Credentials hard-coded in a provider block",
        Severity.CRITICAL,
        "Access keys or client secrets written into a provider block are committed to the "
        "repository and copied into every clone, CI log and state backup.",
        "Remove them: use environment variables, a credentials profile, or OIDC federation "
        "from CI.",
        'provider "aws" {\n  region     = "eu-west-1"\n  access_key = "'
        + "AKIA"
        + "Z7QXEXAMPLE4KEY"
        + '"\n  secret_key = "'
        + "wJalr"
        + "XUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY"
        + '"\n}\n',
        'provider "aws" {\n  region = "eu-west-1"\n}\n',
        cwe=("CWE-798",),
        tags=("iac", "secret"),
    )
)
def provider_creds(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.of_type("provider"):
        for a in b.attrs.values():
            if (
                _SECRET_ATTR.match(a.name)
                and isinstance(a.value, str)
                and looks_like_literal_secret(a.value)
            ):
                yield (
                    b.path,
                    Hit(
                        a.line,
                        a.column,
                        f"provider {'.'.join(b.labels)}: {a.name} is hard-coded",
                        secret=a.value,
                        key=a.name,
                    ),
                )


def _literal_password(value: str) -> bool:
    """A literal in a secret-named attribute or variable that is not a stand-in: the secrets
    scanner's placeholder detector decides (``example-password``, ``your_db_password``,
    ``********``); a weak but real-looking password stays, since it is what the resource is
    deployed with."""
    return looks_like_literal_secret(value) and not is_placeholder(value, full=False)


@R(
    make_rule(
        "tf/hardcoded-secret",
        "Secret hard-coded in a resource attribute",
        Severity.HIGH,
        "A password or token written as a literal (in an attribute, a variable default, an "
        "environment map or an instance's boot script, user_data, base64 or not) ends up in "
        "the repository and in plain text in the Terraform state.",
        "Generate it (random_password), read it from a secret manager data source, or pass it "
        "as a sensitive variable without a default.",
        'resource "aws_db_instance" "main" {\n  identifier        = "orders"\n'
        '  engine            = "postgres"\n'
        '  instance_class    = "db.t3.micro"\n  storage_encrypted = true\n'
        '  username          = "app"\n'
        '  password          = "' + "Orders" + "-2024-pw!" + '"\n}\n',
        'resource "aws_db_instance" "main" {\n  identifier                  = "orders"\n'
        '  engine                      = "postgres"\n'
        '  instance_class              = "db.t3.micro"\n'
        '  storage_encrypted           = true\n  username                    = "app"\n'
        "  manage_master_user_password = true\n}\n",
        cwe=("CWE-798",),
        tags=("iac", "secret"),
    )
)
def hardcoded_secret(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for v in m.of_type("variable"):
        d = v.attrs.get("default")
        name = v.labels[0] if v.labels else ""
        if (
            d is not None
            and isinstance(d.value, str)
            and looks_like_secret_name(name)
            and _literal_password(d.value)
        ):
            msg = f"variable {name} has a hard-coded default"
            yield v.path, Hit(d.line, d.column, msg, secret=d.value, key=name)
    for b in [*m.blocks, *m.dormant]:  # a disabled resource's credential is in the code
        if b.type not in ("resource", "data"):
            continue
        for blk in b.walk():
            for a in blk.attrs.values():
                if not isinstance(a.value, str) or not _literal_password(a.value):
                    continue
                if _SECRET_ATTR.match(a.name) or (
                    looks_like_secret_name(a.name)
                    and a.name.endswith(("password", "secret", "token"))
                ):
                    text = lines[b.path][a.line - 1] if a.line <= len(lines[b.path]) else ""
                    if a.value not in text:
                        continue  # came from a variable default: reported where it is written
                    yield (
                        b.path,
                        Hit(
                            a.line,
                            a.column,
                            f"{b.address}: {a.name} is hard-coded",
                            secret=a.value,
                            key=a.name,
                        ),
                    )
        env = b.attr("environment.variables")
        if env is not None and isinstance(env.value, dict):
            for k, v in env.value.items():
                if (
                    isinstance(v, str)
                    and looks_like_secret_name(k)
                    and looks_like_literal_secret(v)
                ):
                    line = _line_in(lines[b.path], env, re.escape(k))
                    yield b.path, Hit(line, 1, f"{b.address}: {k} is hard-coded", secret=v, key=k)
    yield from _user_data_hits(m, lines)
    yield from _container_env_hits(m, lines)


#: resources whose user_data runs as a boot script (user_data_base64: base64 of it)
_USER_DATA_TYPES = (
    "aws_instance",
    "aws_launch_template",
    "aws_launch_configuration",
    "aws_spot_instance_request",
)
#: Azure and Google resources with boot scripts, and where: (block path, attribute); a
#: block path "" is the resource, metadata keys are read from the metadata map
_BOOT_SCRIPTS: dict[str, tuple[tuple[str, str], ...]] = {
    "azurerm_virtual_machine": (("os_profile", "custom_data"),),
    "azurerm_virtual_machine_scale_set": (("os_profile", "custom_data"),),
    **{
        kind: (("", "custom_data"), ("", "user_data"))
        for kind in (
            "azurerm_linux_virtual_machine",
            "azurerm_windows_virtual_machine",
            "azurerm_linux_virtual_machine_scale_set",
            "azurerm_windows_virtual_machine_scale_set",
            "azurerm_orchestrated_virtual_machine_scale_set",
        )
    },
    **{
        kind: (("", "metadata_startup_script"), ("", "metadata"))
        for kind in ("google_compute_instance", "google_compute_instance_template")
    },
}
_METADATA_SCRIPTS = ("startup-script", "user-data", "windows-startup-script-ps1")
#: NAME=value, export NAME="value", NAME: value (a line of a script or of cloud-init YAML);
#: quotes written escaped (\") count as quotes
_ASSIGNMENT = re.compile(
    r"""^\s*(?:export\s+|set\s+|-\s+)?["']?(?P<name>[A-Za-z_][A-Za-z0-9_.-]*)["']?\s*[=:]\s*"""
    r"""(?P<q>\\?["']?)(?P<value>[^\s"'#]+)(?P=q)\s*$"""
)


def _decoded_user_data(name: str, value: str) -> str:
    """The boot script: user_data as written, user_data_base64 (and launch templates'
    base64 user_data) decoded; a value that is not base64 stays as it is."""
    if name != "user_data_base64" and not _BASE64.fullmatch(value.strip()):
        return value
    try:
        return base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return value


_BASE64 = re.compile(r"[A-Za-z0-9+/]{24,}={0,2}")


def user_data_secrets(text: str) -> list[str]:
    """Credentials in a boot script: what the secrets scanner's detectors find in it, and
    NAME=value settings whose name says secret (export DB_PASSWORD=...)."""
    return [value for value, _ in user_data_credentials(text)]


def user_data_credentials(text: str) -> list[tuple[str, Rule | None]]:
    """Each credential of a boot script once, with the secrets rule it is reported under:
    the rule of the secrets engine's detector that recognises it, else the generic rule
    its NAME=value setting names (password, token, API key, secret). ``None`` when the
    secrets scanner is not installed."""
    found: dict[str, Rule | None] = {}
    for value, rule in _engine_matches(text):
        found.setdefault(value, rule)
    for line in text.splitlines():
        m = _ASSIGNMENT.match(line)
        if m:
            value = secret_value(m.group("name"), m.group("value"))
            if value and value not in found:
                found[value] = _generic_rule(m.group("name"))
    return [(v, r) for v, r in found.items() if v]


def credential_rule(
    name: str, value: str, generic: bool = True, engine: bool = True
) -> Rule | None:
    """The secrets rule a credential written as ``"name": "value"`` is reported under: the
    rule of the secrets engine's detector that finds the whole value there (``engine``: not
    asked when False), else (with ``generic``) the generic rule the name names (password,
    token, API key, secret)."""
    for found, rule in _engine_matches(f'"{name}": "{value}"') if engine else ():
        if found == value and rule is not None:
            return rule
    return _generic_rule(name) if generic else None


def _engine_matches(text: str) -> list[tuple[str, Rule | None]]:
    try:
        from pipesec.scanners.secrets import engine_for

        engine: Any = engine_for(use_hyperscan=False)
    except Exception:  # the secrets scanner is optional here
        log.debug("secrets engine unavailable for boot scripts", exc_info=True)
        return []
    return [
        (text[m.start : m.end], _secrets_rule(m.rule.id))
        for m in engine.scan_text(text, path="user_data")
    ]


#: the secrets scanner's generic rules, by the word a setting's name holds
_GENERIC = (
    (re.compile(r"(?i)pass(?:word|wd)?|pwd"), "secrets/generic-password-unquoted"),
    (re.compile(r"(?i)token"), "secrets/generic-token-unquoted"),
    (re.compile(r"(?i)api[_-]?key|apikey"), "secrets/generic-api-key-unquoted"),
)


def _generic_rule(name: str) -> Rule | None:
    for pattern, rule_id in _GENERIC:
        if pattern.search(name):
            return _secrets_rule(rule_id)
    return _secrets_rule("secrets/generic-secret-unquoted")


@lru_cache(maxsize=256)
def _secrets_rule(rule_id: str) -> Rule | None:
    """The secrets scanner's rule ``rule_id`` (None: renamed, so the check's own rule)."""
    from pipesec.scanners.secrets.rules import all_rules

    for r in all_rules():
        if r.id == rule_id:
            return r.to_rule()
    return None


def _boot_scripts(m: ModuleView) -> Iterator[tuple[Block, str, Attr, str]]:
    """(resource, attribute name, attribute, boot script) of every literal boot script."""
    kinds = (*_USER_DATA_TYPES, *_BOOT_SCRIPTS)
    dormant = [b for b in m.dormant if b.type == "resource" and b.kind in kinds]
    for b in [*m.resources(*kinds), *dormant]:
        places = _BOOT_SCRIPTS.get(b.kind, (("", "user_data"), ("", "user_data_base64")))
        for path, name in places:
            for holder in b.children(path) if path else [b]:
                a = holder.attr(name)
                if a is None:
                    continue
                if name == "metadata" and isinstance(a.value, dict):
                    for key in _METADATA_SCRIPTS:
                        script = a.value.get(key)
                        if isinstance(script, str):
                            yield b, f"metadata.{key}", a, script
                elif isinstance(a.value, str):
                    yield b, name, a, _decoded_user_data(name, a.value)


def _user_data_hits(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b, name, a, text in _boot_scripts(m):
        for value, rule in user_data_credentials(text):
            yield _credential_hit(b, name, a, value, rule, lines)


def _credential_hit(
    b: Block, name: str, a: Attr, value: str, rule: Rule | None, lines: dict[str, list[str]]
) -> TfHit:
    """A credential found inside attribute ``a``, at the line that holds it, reported under
    the secrets rule ``rule``."""
    line, column = a.line, a.column
    source = lines.get(b.path, [])
    for n in range(a.line, min(a.end_line, len(source)) + 1):
        col = source[n - 1].find(value)
        if col >= 0:
            line, column = n, col + 1
            break
    msg = f"{b.address}: {name} holds a credential"
    if rule is not None:
        msg = f"{b.address}: {name} holds a credential ({rule.title})"
    key = f"{name}:{line}:{column}"
    return b.path, Hit(line, column, msg, secret=value, key=key, rule=rule)


def _container_env(value: Any) -> Iterator[tuple[str, str]]:
    """(name, value) of each literal environment entry of ECS container definitions (a
    JSON string, or the list jsonencode() gives)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            return
    for c in value if isinstance(value, list) else []:
        env = c.get("environment") if isinstance(c, dict) else None
        for e in env if isinstance(env, list) else []:
            if isinstance(e, dict):
                name, val = e.get("name"), e.get("value")
                if isinstance(name, str) and isinstance(val, str):
                    yield name, val


def _container_env_hits(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    """Credentials in ECS containers' plain environment (the task definition, and every
    console and API reader, show them): under the secrets engine's rule when a detector
    knows the value, else the generic rule the variable's name says."""
    for b in m.resources("aws_ecs_task_definition"):
        a = b.attr("container_definitions")
        if a is None:
            continue
        seen: set[str] = set()
        for name, val in _container_env(a.value):
            found = _engine_matches(val) or [(secret_value(name, val), _generic_rule(name))]
            for value, rule in found:
                if value and value not in seen:
                    seen.add(value)
                    yield _credential_hit(b, f"environment {name}", a, value, rule, lines)


# -- secrets sent out at plan time ----------------------------------------------------------

#: attributes that hold a secret whatever the resource's settings (resource or data source)
_SECRET_REFS = re.compile(
    r"(?<![\w.-])(?:data\.)?(?:aws_secretsmanager_secret_version\.[\w-]+\.secret_(?:string|binary)"
    r"|random_password\.[\w-]+\.(?:result|bcrypt_hash)"
    r"|tls_private_key\.[\w-]+\.private_key_(?:pem|openssh|pem_pkcs8)"
    r"|aws_iam_access_key\.[\w-]+\.(?:secret|ses_smtp_password_v4))(?![\w-])"
)


def _expr_texts(value: Any, depth: int = 0) -> Iterator[str]:
    if isinstance(value, Expr):
        yield value.text
    elif depth < 20 and isinstance(value, dict | list):
        for v in value.values() if isinstance(value, dict) else value:
            yield from _expr_texts(v, depth + 1)


def _secret_ref(m: ModuleView, text: str) -> str:
    """The secret ``text`` refers to: a known secret attribute, or the value of an SSM
    parameter of this module whose type is SecureString ("" when none)."""
    found = _SECRET_REFS.search(text)
    if found:
        return found.group(0)
    for p in m.resources("aws_ssm_parameter"):
        kind = p.attrs.get("type")
        if kind is not None and kind.value == "SecureString" and len(p.labels) >= 2:
            address = f"aws_ssm_parameter.{p.labels[1]}.value"
            if Expr(text).refers_to(address):
                return address
    return ""


@R(
    make_rule(
        "tf/secret-sent-over-http",
        "Secret sent to an HTTP endpoint by a data source",
        Severity.CRITICAL,
        'A data "http" source is read at every plan, from the machine that runs it: a secret '
        "in its URL, headers or body is sent to that server (and to proxies and access logs) "
        "by anyone who runs terraform plan, before a reviewer sees anything.",
        "Do not put secrets in data sources' requests; read them where they are needed "
        "(a resource attribute, a secret manager) and call the service from the application.",
        'resource "aws_ssm_parameter" "db_password" {\n  name  = "db_password"\n'
        '  type  = "SecureString"\n  value = var.db_password\n}\n\n'
        'data "http" "status" {\n'
        '  url = "https://status.example.com/?p=${aws_ssm_parameter.db_password.value}"\n}\n',
        'resource "aws_ssm_parameter" "db_password" {\n  name  = "db_password"\n'
        '  type  = "SecureString"\n  value = var.db_password\n}\n\n'
        'data "http" "status" {\n  url = "https://status.example.com/health"\n}\n',
        cwe=("CWE-200",),
        tags=("iac",),
    )
)
def secret_sent_over_http(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.data("http"):
        for a in b.attrs.values():
            for text in _expr_texts(a.value):
                ref = _secret_ref(m, text)
                if ref:
                    msg = f"{b.address}: {a.name} sends {ref} to the server"
                    yield b.path, Hit(a.line, a.column, msg, key=a.name)
                    break
