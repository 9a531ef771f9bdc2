"""Session 18 (secleft, issue 14): a third draw of KICS's generic-secret fixtures and
session 17's leftovers with a general cause. A value under a ``value`` entry of a mapping
named for a secret (an ARM parameter file's ``"adminPassword": {"value": …}``, a nested
``proxy-password:`` / ``value: …``); four-letter weak passwords (``root``, ``gorm``); a
quoted pair with a blank before the key on one ``ENV`` line; a shape shared by two providers
decided by the provider named near the value (Paystack's ``sk_live_`` keys); the one
placeholder detector in the generic random-key rule; AWS API tokens that name an operation;
and an image layer's file over 10 MB keeping its line. Values are built at run time from a
seeded generator; each row is a vulnerable or a safe example."""

from __future__ import annotations

import io
import tarfile

import pytest
from tests.scanners.secrets.forms import ALNUM, HEX, Values, check_form

from pipesec.core.model import Finding, Severity
from pipesec.scanners.containers import layer_secrets
from pipesec.scanners.containers.layers import REG, Entry
from pipesec.scanners.secrets.engine import SecretEngine

_V = Values(2026_12_1818)
_r = _V.r
_STRONG = _r(ALNUM, 14) + "!" + _r(ALNUM, 3)
_TOKEN = _r(ALNUM, 28)
_ARM = "azuredeploy.parameters.json"
#: awscli's IVS documentation's stream key sample (a typed sequence), built from parts
_STREAM_KEY_DOCS = (
    "rt_" + "123456789012" + "_us-west-2_" + "AbCdEfGh1234_" + "abcd1234efgh5678ijkl9012MNOP34"
)

#: (text, path, the rule that reports it, or None when nothing may be reported)
SECLEFT_FORMS: list[tuple[str, str, str | None]] = [
    # a value entry under a mapping named for a secret (ARM parameter files, nested YAML)
    (
        '{\n  "parameters": {\n    "adminPassword": {\n      "value": "' + _STRONG + '"\n'
        "    }\n  }\n}\n",
        _ARM,
        "generic-password",
    ),
    ('{"parameters": {"adminPassword": {"value": "' + _STRONG + '"}}}\n', _ARM, "generic-password"),
    (f"adminPassword: {{value: {_STRONG}}}\n", "values.yaml", "generic-password"),
    ('{\n  "apiToken": {\n    "value": "' + _TOKEN + '"\n  }\n}\n', "params.json", "generic-token"),
    (
        "properties:\n  dev-proxy-password:\n    value: testpwd\n    encoded: false\n",
        "api.yaml",
        "generic-password-weak",
    ),
    ('"dbPassword": {"defaultValue": "' + _STRONG + '"}\n', "template.json", "generic-password"),
    # safe: a reference, an expression, a YAML tag, a setting's value, an identifier, code
    ('{\n  "adminPassword": {\n    "value": "[parameters(\'pw\')]"\n  }\n}\n', _ARM, None),
    ('{\n  "adminPassword": {\n    "value": null\n  }\n}\n', _ARM, None),
    ('{\n  "apiToken": {\n    "value": "${API_TOKEN}"\n  }\n}\n', _ARM, None),
    ("Outputs:\n  DBPassword:\n    Value: !GetAtt DB.Password\n", "template.yaml", None),
    ("password_policy:\n  min_length:\n    value: 12\n", "policy.yaml", None),
    ('{"adminUsername": {"value": "azureuser"}}\n', _ARM, None),
    ('{\n  "adminPassword": {\n    "reference": {"secretName": "admin"}\n  }\n}\n', _ARM, None),
    (f'PARAMS = {{"adminPassword": {{"value": "{_STRONG}"}}}}\n', "deploy.py", None),
    # Terraform: a one-line heredoc, a function's literal fallback, under a secret's name
    (f"locals {{\n  db_password = <<EOT\n{_STRONG}\nEOT\n}}\n", "main.tf", "generic-password"),
    (
        f'resource "x" "y" {{\n  password = <<-EOT\n    {_STRONG}\n  EOT\n}}\n',
        "db.tf",
        "generic-password",
    ),
    (f'admin_password = coalesce(var.pw, "{_STRONG}")\n', "vm.tf", "generic-password"),
    (f'admin_password = lookup(var.m, "pw", "{_STRONG}")\n', "vm.tf", "generic-password"),
    (f'admin_password = try(var.m.pw, "{_STRONG}", null)\n', "vm.tf", "generic-password"),
    (f'api_token = try(var.token, "{_TOKEN}") # fallback\n', "x.tfvars", "generic-token"),
    ('policy = <<EOF\n{"Version": "2012-10-17"}\nEOF\n', "iam.tf", None),
    ('admin_password = lookup(var.m, "pw", "")\n', "vm.tf", None),
    ('admin_password = try(var.p, "${local.pw}")\n', "vm.tf", None),
    ("admin_password = coalesce(var.pw, random_password.db.result)\n", "vm.tf", None),
    (f'admin_password = coalesce(var.pw, "{_STRONG}")\n', "vm.py", None),
    # four-letter weak passwords (the weak-password policy: a word people type)
    ("password: root\n", "config.yaml", "generic-password-weak-unquoted"),
    ('password = "root"\n', "main.tf", "generic-password-weak"),
    ('DB_PASSWORD="gorm"\n', "docker.env", "generic-password-weak"),
    ("MasterUserPassword: root\n", "stack.yaml", "generic-password-weak-unquoted"),
    ("ENV DB_PASSWORD gorm\n", "Dockerfile", "dockerfile-env-password-weak"),
    # safe: four-letter words that are no password, runs of one character, nginx directives
    ("password: none\n", "config.yaml", None),
    ("password: null\n", "config.yaml", None),
    ("password: true\n", "config.yaml", None),
    ("password: yyyy\n", "config.yaml", None),
    ('password = "xxxx"\n', "main.tf", None),
    ('password = "****"\n', "main.tf", None),
    ("password: abc\n", "config.yaml", None),
    ("proxy_pass: else\n", "site.yaml", None),
    ("fastcgi_pass: unix\n", "site.yaml", None),
    ("pwd: 3.0-\n", "stdlib/VERSIONS", None),
    ("echo 'password = '.$p['config']['daemon_password'].\"\\n\";\n", "notes.txt", None),
    # a quoted pair holding a blank before the key on one ENV line
    (f'ENV A="x y" DB_PASSWORD={_STRONG}\n', "Dockerfile", "generic-password-unquoted"),
    (f"ENV A='x y' B=2 DB_PASSWORD={_STRONG}\n", "Dockerfile", "generic-password-unquoted"),
    (f'export NAME="a b" API_TOKEN={_TOKEN}\n', "deploy.sh", "generic-token-unquoted"),
    (f'ENV A="x y" PASSWORD_FILE=/run/secrets/db APP={_STRONG}\n', "Dockerfile", None),
    ('ENV DESC="a password here" DB_HOST=db\n', "Dockerfile", None),
    # AWS API tokens naming one operation (identifiers)
    ('{"LifecycleActionToken": "' + _V.uuid() + '"}\n', "template.json", None),
    (f'creation_token = "{_r(ALNUM, 24)}"\n', "efs.tf", None),
    (f'access_token = "{_r(ALNUM, 24)}"\n', "main.tf", "generic-token"),
    # names the key filter now reads as secret: a token key (Rancher's ``token_key``), a
    # password named for its database after the noun
    (f"DB_PASS_BD={_STRONG}\n", ".env", "generic-password-unquoted"),
    (f"PASSWORD_DB={_STRONG}\n", ".env", "generic-password-unquoted"),
    (f'token_key = "{_TOKEN}"\n', "provider.tf", "generic-token"),
    ('TOKEN_KEY = "jwt"\n', "settings.py", None),
    ('TOKEN_KEY = "access_token"\n', "settings.py", None),
    ("PASSWORD_DB=/var/lib/app/passwd.db\n", ".env", None),
    # the random-key rule and the one placeholder detector
    ('{"streamKey": "' + _STREAM_KEY_DOCS + '"}\n', "ingest.json", None),
    ('{"streamKey": "' + _r(ALNUM, 30) + '"}\n', "ingest.json", "generic-key-random"),
]


@pytest.mark.parametrize(
    ("text", "path", "rule_id"),
    SECLEFT_FORMS,
    ids=[f"{i}-{r}" for i, (_t, _p, r) in enumerate(SECLEFT_FORMS)],
)
def test_secleft_forms(text: str, path: str, rule_id: str | None, engine: SecretEngine) -> None:
    check_form(engine, text, path, rule_id)


_PAYSTACK = "sk_live_" + _r(HEX, 40)


@pytest.mark.parametrize(
    ("text", "path", "rule_id"),
    [
        # no key names the provider: the provider named near the value decides
        (f"# Paystack\nPAYMENT_KEY={_PAYSTACK}\n", "app.env", "secrets/paystack-secret-key"),
        (f"PAYMENT_KEY={_PAYSTACK}\n", "billing/paystack.env", "secrets/paystack-secret-key"),
        (
            f'payments:\n  provider: paystack\n  key: "{_PAYSTACK}"\n',
            "config.yaml",
            "secrets/paystack-secret-key",
        ),
        # nothing names either: the rule set's order (Stripe's rule) as before
        (f"PAYMENT_KEY={_PAYSTACK}\n", "app.env", "secrets/stripe-secret-key"),
        (f"# stripe\nPAYMENT_KEY={_PAYSTACK}\n", "app.env", "secrets/stripe-secret-key"),
        # a key before the value still decides first
        (f"# paystack\nSTRIPE_SECRET_KEY={_PAYSTACK}\n", "app.env", "secrets/stripe-secret-key"),
    ],
)
def test_shape_tie_goes_to_the_provider_named_near(
    text: str, path: str, rule_id: str, engine: SecretEngine
) -> None:
    found = [m.rule.id for m in engine.scan_text(text, path=path)]
    assert found == [rule_id], (text, found)


def _layer(path: str, data: bytes) -> tuple[io.BytesIO, Entry]:
    """A one-file layer tar (uncompressed, as the spool holds it) and its file's entry."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        info = tarfile.TarInfo(path.lstrip("/"))
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    buf.seek(0)
    with tarfile.open(fileobj=buf, mode="r:") as tar:
        offset = tar.getmembers()[0].offset_data
    buf.seek(0)
    return buf, Entry(path, REG, len(data), 0o644, offset)


def _scan_large_layer(
    monkeypatch: pytest.MonkeyPatch, engine: SecretEngine, path: str, line: str
) -> tuple[list[Finding], bytes]:
    """Findings of a layer whose one file (``line`` between 2,000 filler lines each side,
    80 KB) is over ``layer_secrets.WHOLE`` (lowered to 1 KiB; chunks of 32 KiB, more than
    the engine's overlap as the real 1 MiB are): streamed."""
    filler = b"".join(b"LOG_LEVEL_%04d=info\n" % i for i in range(2000))
    data = filler + line.encode() + filler
    spool, entry = _layer(path, data)
    monkeypatch.setattr(layer_secrets, "CHUNK", 32 << 10)
    monkeypatch.setattr(layer_secrets, "WHOLE", 1024)
    monkeypatch.setattr(layer_secrets, "iter_regular", lambda _idx: iter([entry]))
    assert len(data) > 1024
    return layer_secrets.scan_layer(engine, None, spool, b"k"), data  # type: ignore[arg-type]


def test_layer_file_over_the_whole_size_keeps_its_line(
    monkeypatch: pytest.MonkeyPatch, hs_engine: SecretEngine
) -> None:
    """review17: a layer's file over ``WHOLE`` bytes is streamed; its findings now carry the
    line: ``severity_at`` reads the key (a 32-hex value under ``*_API_KEY`` in a
    configuration file is high, medium without the key) and the snippet is the line's."""
    line = f"BILLING_API_KEY={_r(HEX, 32)}\n"
    found, data = _scan_large_layer(monkeypatch, hs_engine, "/app/settings.env", line)
    whole = list(hs_engine.scan_text(data.decode(), path="app/settings.env"))
    assert [f.location.start_line for f in found] == [2001]
    assert [f.rule_id for f in found] == [m.rule.id for m in whole]
    assert found[0].severity is Severity.HIGH
    assert "BILLING_API_KEY=" in found[0].snippet


def test_layer_lock_file_over_the_whole_size_skips_generic_assignments(
    monkeypatch: pytest.MonkeyPatch, hs_engine: SecretEngine
) -> None:
    """As a lock file read whole: generic assignments are not looked for in it."""
    line = f'password = "{_STRONG}"\n'
    found, data = _scan_large_layer(monkeypatch, hs_engine, "/app/poetry.lock", line)
    whole = list(hs_engine.scan_text(data.decode(), path="app/settings.toml"))
    assert [m.rule.id for m in whole] == ["secrets/generic-password"]
    assert found == []
