"""The decoding stage: secrets inside base64 values, located on the encoded text.

Credential-shaped values are built from parts at run time."""

from __future__ import annotations

import base64
import itertools
import json
import random
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipesec.core.fingerprints import secret_identity
from pipesec.scanners.secrets import decoding
from pipesec.scanners.secrets.engine import SecretEngine
from pipesec.scanners.secrets.findings import make_finding

ALNUM = string.ascii_letters + string.digits


def _stripe() -> str:
    r = random.Random(11)
    return "sk_" + "live_" + "".join(r.choice(ALNUM) for _ in range(24))


def _b64(s: str) -> str:
    return base64.b64encode(s.encode()).decode()


def test_kubernetes_secret_data_is_decoded_and_located_on_the_encoded_line(
    engine: SecretEngine,
) -> None:
    key = _stripe()
    enc = _b64(key)
    text = (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ndata:\n"
        f"  LOG_LEVEL: {_b64('info')}\n  STRIPE_KEY: {enc}\n"
    )
    [m] = list(engine.scan_text(text, path="k8s/app-secret.yaml"))
    assert m.rule.id == "secrets/stripe-secret-key"
    assert m.value == key  # the decoded secret: identity and validators see the real value
    assert (m.line, m.column) == (7, 15)
    assert text[m.start : m.end] == enc
    line = text.splitlines()[6]
    f = make_finding(m, "k8s/app-secret.yaml", b"k", line_text=line)
    assert enc not in (f.snippet or "") and enc[4:12] not in (f.snippet or "")
    assert key not in f.message
    assert f.identity == secret_identity(key, b"k")  # the same secret as in plain text


def test_keyed_password_and_dockerconfigjson(engine: SecretEngine) -> None:
    pw = "Kangaroo" + "73#NV9x"
    auth = _b64("ci:" + pw)
    dcj = _b64(json.dumps({"auths": {"registry.corp.test": {"auth": auth}}}))
    text = (
        "kind: Secret\ntype: kubernetes.io/dockerconfigjson\ndata:\n"
        f"  DB_PASSWORD: {_b64(pw)}\n  .dockerconfigjson: {dcj}\n"
    )
    found = {(m.line, m.rule.id) for m in engine.scan_text(text, path="regcred.yml")}
    assert (4, "secrets/generic-password-unquoted") in found
    assert (5, "secrets/docker-config-auth") in found


def test_not_a_secret_manifest_or_not_text_is_not_decoded(engine: SecretEngine) -> None:
    key = _stripe()
    # no "kind: Secret": a ConfigMap-like YAML is not decoded
    text = f"kind: ConfigMap\ndata:\n  STRIPE_KEY: {_b64(key)}\n"
    assert list(engine.scan_text(text, path="cm.yaml")) == []
    assert decoding.decode_base64(base64.b64encode(bytes(range(256))).decode()) is None


def test_depth_is_bounded(engine: SecretEngine) -> None:
    key = _stripe()
    doc = {"type": "service_account", "k": key}
    once = _b64(json.dumps(doc))
    assert [m.rule.id for m in engine.scan_text(f"x = {once}\n", path="a.txt")] == [
        "secrets/stripe-secret-key"
    ]
    nested = json.dumps({"type": "wrapped", "inner": once})
    twice = _b64(nested)
    thrice = _b64(json.dumps({"type": "wrapped", "inner": twice}))
    assert [m.rule.id for m in engine.scan_text(f"x = {twice}\n", path="a.txt")] == [
        "secrets/stripe-secret-key"
    ]
    assert list(engine.scan_text(f"x = {thrice}\n", path="a.txt")) == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_decode_never_raises(value: str) -> None:
    out = decoding.decode_base64(value)
    assert out is None or (out and all(c.isprintable() or c in "\t\r\n" for c in out))
    keyed = decoding.decoded_text(decoding.BASE64_KEYED, value, "NAME")
    assert (keyed is None) == (out is None)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_engine_on_encoded_garbage_never_crashes(data: bytes) -> None:
    from pipesec.scanners.secrets.rules import all_rules

    if not _ENGINE:
        _ENGINE.append(SecretEngine(all_rules(), use_hyperscan=False))
    eng = _ENGINE[0]
    text = "kind: Secret\ndata:\n  K: " + base64.b64encode(data).decode() + "\n"
    list(eng.scan_text(text, path="s.yaml"))
    list(eng.scan_text("eyJhdXRocyI6" + base64.b64encode(data).decode(), path="s.txt"))


_ENGINE: list[SecretEngine] = []


def test_folded_dockerconfigjson_in_a_secret_is_decoded(engine: SecretEngine) -> None:
    pw = "Kangaroo" + "73#NV9x"
    dcj = _b64(json.dumps({"auths": {"registry.corp.test": {"auth": _b64("ci:" + pw)}}}))
    lines = [dcj[i : i + 40] for i in range(0, len(dcj), 40)]
    for style in (">-", "|"):
        block = "".join(f"    {x}\n" for x in lines)
        head = "kind: Secret\ntype: kubernetes.io/dockerconfigjson\ndata:\n"
        text = f"{head}  .dockerconfigjson: {style}\n{block}"
        found = [(m.line, m.rule.id) for m in engine.scan_text(text, path="regcred.yml")]
        assert (5, "secrets/docker-config-auth") in found, style


def test_kubernetes_secret_as_json_keys_in_any_order(engine: SecretEngine) -> None:
    key = _stripe()
    doc = {"data": {"STRIPE_KEY": _b64(key)}, "kind": "Secret", "apiVersion": "v1"}
    text = json.dumps(doc, indent=2) + "\n"
    [m] = list(engine.scan_text(text, path="secret.json"))
    assert m.rule.id == "secrets/stripe-secret-key"
    assert text[m.start : m.end] == _b64(key)
    cm = json.dumps({**doc, "kind": "ConfigMap"}, indent=2) + "\n"
    # a ConfigMap's data is not decoded (Kubernetes hands it over as written); its random
    # value under a key name is generic-key-random's since session 17, not Stripe's
    assert [m.rule.id for m in engine.scan_text(cm, path="cm.json")] in (
        [],
        ["secrets/generic-key-random"],
    )


def test_url_encoded_token_is_found_on_its_own_characters(engine: SecretEngine) -> None:
    key = _stripe()
    text = f"POST body: payload=%7B%22token%22%3A%22{key}%22%7D&x=1\n"
    [m] = [m for m in engine.scan_text(text, path="log.txt")]
    assert m.rule.id == "secrets/stripe-secret-key"
    assert text[m.start : m.end] == key
    # a URL-encoded run without a credential, and a lone escape, report nothing
    assert list(engine.scan_text("q=a%20b%2Cc&next=%2Fhome\n", path="log.txt")) == []


def test_escaped_json_and_xml_are_decoded_and_located(engine: SecretEngine) -> None:
    pw = "Kangaroo" + "73#NV9x"
    text = '{"cfg": "{\\"db_password\\": \\"' + pw + '\\"}"}\n'
    [m] = list(engine.scan_text(text, path="settings.json"))
    assert m.rule.id == "secrets/generic-password"
    assert text[m.start : m.end] == pw
    xml = f"<p>&lt;add key=&quot;SmtpPassword&quot; value=&quot;{pw}&quot; /&gt;</p>\n"
    [x] = list(engine.scan_text(xml, path="help.html"))
    assert xml[x.start : x.end] == pw


def test_token_in_an_escaped_string_is_reported_once_by_its_provider(
    engine: SecretEngine,
) -> None:
    """The escaped string's own scan and its decoded text's scan both see the token: one
    finding, the provider's, and the generic rule that reads the decoded key yields to it."""
    key = _stripe()
    text = '{"cfg": "{\\"api_secret\\": \\"' + key + '\\", \\"user\\": \\"ci\\"}"}\n'
    [m] = list(engine.scan_text(text, path="settings.json"))
    assert m.rule.id == "secrets/stripe-secret-key"
    assert text[m.start : m.end] == key == m.value


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(sorted(decoding.ESCAPES)),
    st.lists(
        st.one_of(
            st.text(max_size=6),
            st.sampled_from(
                [
                    "%22",
                    "%3A",
                    "%G1",
                    "%",
                    '\\"',
                    "\\u0041",
                    "\\x",
                    "&quot;",
                    "&#65;",
                    "&bogus;",
                    "&#x110000;",
                ]
            ),
        ),
        max_size=12,
    ).map("".join),
)
def test_unescape_never_raises_and_maps_every_character(kind: str, value: str) -> None:
    got = decoding.unescape(kind, value)
    if got is None:
        return
    text, at = got
    assert len(at) == len(text) + 1
    assert at[0] == 0 and at[-1] == len(value)
    assert all(a < b for a, b in itertools.pairwise(at))
    # a character taking one encoded character is that character (plain runs are copied)
    assert all(text[i] == value[a] for i, (a, b) in enumerate(itertools.pairwise(at)) if b - a == 1)


def _uuid(seed: int) -> str:
    r = random.Random(seed)
    return "-".join(
        "".join(r.choice("0123456789abcdef") for _ in range(n)) for n in (8, 4, 4, 4, 12)
    )


#: a value under a generic key whose enclosing key names the provider (YAML, indented
#: JSON, TOML/INI sections, two levels); the finding is on the value's own line
PARENT_NAMED = [
    ("ops.yaml", "opsgenie:\n  url: https://api.opsgenie.com\n  api_key: {v}\n", 3),
    ("ops.yaml", "alerts:\n  opsgenie:\n    api:\n      key: '{v}'\n", 4),
    ("ops.json", '{{\n  "opsgenie": {{\n    "region": "eu",\n    "token": "{v}"\n  }}\n}}\n', 4),
    ("ops.toml", '[integrations.opsgenie]\nregion = "eu"\n\ntoken = "{v}"\n', 4),
    ("ops.ini", "[opsgenie]\n; the alerting key\nsecret={v}\n", 3),
    ("ops.yml", 'opsgenie:  # alerting\n\n  # rotated monthly\n  access_token: "{v}"\n', 4),
    # one-line mappings opened by the provider's key (decode-flow-keyed): a YAML flow
    # mapping, a JSON object on one line (nested, after other entries), HCL
    ("ops.yaml", "opsgenie: {{api_key: {v}}}\n", 1),
    ("ops.yaml", "alerts:\n  opsgenie: {{region: eu, token: '{v}'}}\n", 2),
    ("ops.json", '{{"alerts": {{"opsgenie": {{"region": "eu", "api_key": "{v}"}}}}}}\n', 1),
    ("ops.tf", 'opsgenie = {{ api_key = "{v}" }}\n', 1),
]

#: the same values where the parent names another provider or nothing, in a sibling
#: block, after the block ended, or under a list item
PARENT_NOT_NAMED = [
    ("m.yaml", "monitoring:\n  url: https://status.example.com\n  api_key: {v}\n"),
    ("m.yaml", "opsgenie:\n  url: x\npagerduty:\n  api_key: {v}\n"),
    ("m.yaml", "opsgenie:\n  url: x\napi_key: {v}\n"),
    ("m.yaml", "opsgenie:\n  - name: eu\n    api_key: {v}\n"),
    ("m.toml", "[opsgenie]\nregion = 'eu'\n[pagerduty]\ntoken = '{v}'\n"),
    ("m.json", '{{\n  "opsgenie": {{"region": "eu"}},\n  "api_key": "{v}"\n}}\n'),
    ("m.yaml", "opsgenie:\n  team_id: {v}\n"),  # not a secret key: an id
    # one-line mappings: named for nothing, closed before the key, a sibling named for
    # another provider, an id
    ("m.yaml", "monitoring: {{api_key: {v}}}\n"),
    ("m.json", '{{"opsgenie": {{"region": "eu"}}, "api_key": "{v}"}}\n'),
    ("m.json", '{{"opsgenie": {{"region": "eu"}}, "pagerduty": {{"api_key": "{v}"}}}}\n'),
    ("m.yaml", "opsgenie: {{team_id: {v}}}\n"),
]


def test_a_parent_never_widens_the_provider_shape(engine: SecretEngine) -> None:
    """Under ``opsgenie:`` a value that is not a UUID is not Opsgenie's (the generic rules
    judge it as before), and a line whose own key names a provider keeps its finding."""
    odd = "".join(random.Random(9).choice(ALNUM) for _ in range(36))
    text = f"opsgenie:\n  api_key: {odd}\n"
    assert "secrets/opsgenie-api-key" not in {
        m.rule.id for m in engine.scan_text(text, path="o.yaml")
    }
    stripe = _stripe()
    text = f"opsgenie:\n  api_key: {stripe}\n"
    assert [m.rule.id for m in engine.scan_text(text, path="o.yaml")] == [
        "secrets/stripe-secret-key"
    ]


#: an XML element whose name (or key) attribute names the provider and whose text is the
#: value, other attributes standing before ``>`` (Android string resources, Java XML
#: properties): the provider rules read ``<name>: <value>``; the finding is on the text
NAME_ATTRIBUTE_NAMED = [
    '<string name="opsgenie_key" translatable="false">{v}</string>',
    '<item name="opsgenie_api_key" type="string">{v}</item>',
    '<string translatable="false" name="opsgenie_key" tools:ignore="Missing">{v}</string>',
    "<entry key='opsgenie.api.key' xml:space=\"preserve\">{v}</entry>",
]

#: the same values under a name that names no provider, a client id, a public key's name
NAME_ATTRIBUTE_NOT_NAMED = [
    '<string name="monitoring_key" translatable="false">{v}</string>',
    '<string name="opsgenie_client_id" translatable="false">{v}</string>',
    '<string name="google_maps_key" templateMergeStrategy="preserve" '
    'translatable="false">{v}</string>',
    '<string name="opsgenie_key" translatable="false">${{OPSGENIE_KEY}}</string>',
]


@pytest.mark.parametrize("form", NAME_ATTRIBUTE_NAMED)
def test_provider_named_by_an_xml_name_attribute(
    form: str, engine: SecretEngine, re_engine: SecretEngine
) -> None:
    v = _uuid(7)
    text = "<resources>\n    " + form.format(v=v) + "\n</resources>\n"
    for eng in (engine, re_engine):
        found = [
            (m.rule.id, m.line, text[m.start : m.end])
            for m in eng.scan_text(text, path="app/src/main/res/values/strings.xml")
        ]
        assert found == [("secrets/opsgenie-api-key", 2, v)], (form, found)


@pytest.mark.parametrize("form", NAME_ATTRIBUTE_NOT_NAMED)
def test_an_xml_name_attribute_that_names_no_provider_reports_nothing(
    form: str, engine: SecretEngine, re_engine: SecretEngine
) -> None:
    text = "<resources>\n    " + form.format(v=_uuid(8)) + "\n</resources>\n"
    for eng in (engine, re_engine):
        found = [m.rule.id for m in eng.scan_text(text, path="res/values/strings.xml")]
        assert found == [], (form, found)


def test_an_xml_name_attribute_never_widens_the_provider_shape(engine: SecretEngine) -> None:
    """Under ``name="opsgenie_key"`` a value that is not a UUID is not Opsgenie's, and a
    value with a provider's own prefix stays that provider's (reported once)."""
    odd = "".join(random.Random(9).choice(ALNUM) for _ in range(36))
    text = f'<string name="opsgenie_key" translatable="false">{odd}</string>\n'
    assert "secrets/opsgenie-api-key" not in {
        m.rule.id for m in engine.scan_text(text, path="strings.xml")
    }
    stripe = _stripe()
    text = f'<string name="stripe_secret_key" translatable="false">{stripe}</string>\n'
    assert [m.rule.id for m in engine.scan_text(text, path="strings.xml")] == [
        "secrets/stripe-secret-key"
    ]


#: a value whose provider a sibling in the same mapping names (session 14): the pair's
#: ``name``/``key`` holds the whole key (Kubernetes env, ECS task definitions, Ant
#: ``<property>``, GitLab variables; .NET ``<add key=… value=…>`` stays with
#: ``xml-add-key-secret``, which reported it before), or a ``name``/``service``/``type``
#: sibling names the provider of a generic key's value (list items, JSON objects); a plist
#: ``<key>``'s value is the ``<string>`` after it. The finding is on the value's line.
SIBLING_NAMED = [
    ("d.yaml", "env:\n  - name: OPSGENIE_API_KEY\n    value: {v}\n", 3),
    ("d.yaml", '        - name: "OPSGENIE_API_KEY"\n          value: "{v}"\n', 2),
    ("td.json", '"environment": [{{"name": "OPSGENIE_API_KEY", "value": "{v}"}}]\n', 1),
    ("td.json", '[\n  {{\n    "name": "OPSGENIE_API_KEY",\n    "value": "{v}"\n  }}\n]\n', 4),
    ("build.xml", '<project>\n  <property name="opsgenie.apikey" value="{v}"/>\n</project>\n', 2),
    ("build.xml", '<property name="opsgenie.apikey"\n          value="{v}"/>\n', 2),
    ("gl.tf", 'resource "x" "y" {{\n  key   = "OPSGENIE_API_KEY"\n  value = "{v}"\n}}\n', 3),
    ("c.yaml", "integrations:\n  - name: opsgenie\n    token: {v}\n", 3),
    ("c.yaml", "- type: opsgenie  # alerts\n  region: eu\n  api_key: {v}\n", 3),
    ("c.json", '[{{"service": "opsgenie", "region": "eu", "key": "{v}"}}]\n', 1),
    ("c.json", '[\n  {{\n    "service": "opsgenie",\n    "key": "{v}"\n  }}\n]\n', 4),
    ("Info.plist", "<dict>\n\t<key>OpsgenieApiKey</key>\n\t<string>{v}</string>\n</dict>\n", 3),
    ("Info.plist", "<dict><key>OpsgenieApiKey</key><string>{v}</string></dict>\n", 1),
]

#: the same values where the sibling names nothing, another provider, a non-secret field,
#: or stands in another mapping (the next list item, another object, another element)
SIBLING_NOT_NAMED = [
    ("d.yaml", "env:\n  - name: MONITORING_API_KEY\n    value: {v}\n"),
    ("d.yaml", "env:\n  - name: OPSGENIE_TEAM_ID\n    value: {v}\n"),
    ("d.yaml", "- name: OPSGENIE_API_KEY\n  valueFrom: x\n- name: TEAM\n  value: {v}\n"),
    ("c.yaml", "- name: opsgenie\n  url: x\n- name: pagerduty\n  token: {v}\n"),
    ("c.yaml", "- name: opsgenie\n  team_id: {v}\n"),
    ("c.yaml", "opsgenie:\n  name: x\nother:\n  token: {v}\n"),
    ("c.json", '[{{"service": "opsgenie"}}, {{"key": "{v}"}}]\n'),
    ("c.json", '{{"name": "opsgenie", "config": {{"key": "{v}"}}}}\n'),
    ("build.xml", '<property name="opsgenie.url" value="{v}"/>\n'),
    ("build.xml", '<property name="opsgenie.apikey"/><property name="x" value="{v}"/>\n'),
    ("Info.plist", "<key>OpsgenieTeamId</key>\n<string>{v}</string>\n"),
    ("Info.plist", "<key>OpsgenieApiKey</key>\n<string>$(OPSGENIE_API_KEY)</string>\n"),
]


def test_a_sibling_never_widens_the_provider_shape(engine: SecretEngine) -> None:
    """A pair named for Opsgenie whose value is not a UUID is not Opsgenie's, and a value
    with a provider's own prefix stays that provider's (reported once)."""
    odd = "".join(random.Random(9).choice(ALNUM) for _ in range(36))
    for text in (
        f"env:\n  - name: OPSGENIE_API_KEY\n    value: {odd}\n",
        f"- name: opsgenie\n  token: {odd}\n",
        f"<key>OpsgenieApiKey</key>\n<string>{odd}</string>\n",
    ):
        assert "secrets/opsgenie-api-key" not in {
            m.rule.id for m in engine.scan_text(text, path="o.yaml")
        }, text
    stripe = _stripe()
    text = f"env:\n  - name: STRIPE_SECRET_KEY\n    value: {stripe}\n"
    assert [m.rule.id for m in engine.scan_text(text, path="d.yaml")] == [
        "secrets/stripe-secret-key"
    ]


#: pieces of the forms the keyed decoders read (parents, siblings, one-line mappings, XML
#: names, plist keys), shuffled by hypothesis into texts no one wrote
_KEYED_PIECES = [
    "opsgenie:",
    "  ",
    "    ",
    "\n",
    "- ",
    "name: ",
    "service: ",
    "value: ",
    "api_key: ",
    "token = ",
    '"name": ',
    '"value": ',
    '"key": ',
    "OPSGENIE_API_KEY",
    "opsgenie",
    "{",
    "}",
    ", ",
    "[",
    "]",
    "<key>OpsgenieApiKey</key>",
    "<string>",
    "</string>",
    '<property name="opsgenie.apikey" ',
    'value="',
    '"/>',
    '<string name="opsgenie_key" a="b">',
    "[opsgenie]",
    "# c",
    "\t",
    '"',
    "'",
]


@settings(max_examples=150, deadline=None)
@given(pieces=st.lists(st.sampled_from([*_KEYED_PIECES, "UUID"]), max_size=40))
def test_keyed_decoders_on_shuffled_forms(
    pieces: list[str], re_engine: SecretEngine, hs_engine: SecretEngine
) -> None:
    """Whatever the keyed decoders are given, a finding lies on the characters of its value
    (the value the provider rule read is the text's own), and both engines agree."""
    text = "".join(_uuid(7) if p == "UUID" else p for p in pieces)
    found = [(m.rule.id, m.start, m.end) for m in re_engine.scan_text(text, path="c.yaml")]
    for m in re_engine.scan_text(text, path="c.yaml"):
        assert text[m.start : m.end] == m.value, (text, m.rule.id)
    assert [(m.rule.id, m.start, m.end) for m in hs_engine.scan_text(text, path="c.yaml")] == (
        found
    ), text


#: mappings opened in the forms of code (session 14): a JSON object whose line starts with
#: a brace, a Terraform block's labels, a JavaScript declaration, PHP arrays (``=>``), a
#: call's keyword arguments (on its line or on the lines below), a Go composite literal
MORE_OPENERS = [
    ("c.json", '{{"opsgenie": {{\n  "region": "eu",\n  "api_key": "{v}"}}}}\n', 3),
    ("c.tf", 'provider "opsgenie" {{\n  api_key = "{v}"\n}}\n', 2),
    ("c.js", 'const opsgenie = {{\n  api_key: "{v}",\n}};\n', 2),
    ("c.ts", 'export const opsgenie = {{\n  token: "{v}",\n}};\n', 2),
    ("c.php", "'opsgenie' => [\n    'api_key' => '{v}',\n],\n", 2),
    ("c.php", "'opsgenie' => ['region' => 'eu', 'api_key' => '{v}'],\n", 1),
    ("c.py", 'client = OpsGenie(\n    api_key="{v}",\n)\n', 2),
    ("c.py", 'client = opsgenie.Client(region="eu", api_key="{v}")\n', 1),
    ("c.go", 'opsgenie := Config{{\n\tToken: "{v}",\n}}\n', 2),
    ("c.rb", 'Opsgenie.configure do |config|\n  config.api_key = "{v}"\nend\n', 2),
]

#: the same values in a mapping named for nothing, in a call that closed, or under a
#: sibling block named for another provider
MORE_OPENERS_NOT_NAMED = [
    ("c.py", 'client = Monitoring(\n    api_key="{v}",\n)\n'),
    ("c.py", 'log(OpsGenie(), api_key="{v}")\n'),
    ("c.php", "'opsgenie' => ['url' => 'x'],\n'api_key' => '{v}',\n"),
    (
        "c.tf",
        'provider "opsgenie" {{\n  url = "x"\n}}\nprovider "other" {{\n  api_key = "{v}"\n}}\n',
    ),
    ("c.js", 'const monitoring = {{\n  api_key: "{v}",\n}};\n'),
    ("c.rb", 'Monitoring.configure do |c|\n  c.api_key = "{v}"\nend\n'),
    ("c.rb", 'Opsgenie.configure do |c|\n  c.team_id = "{v}"\nend\n'),
    ("c.json", '{{"opsgenie": {{"region": "eu"}},\n "api_key": "{v}"}}\n'),
]


#: what the generic rules may report under a bare generic key (their verdict, as before)
_GENERIC_KEYED = {
    "secrets/generic-token",
    "secrets/generic-token-unquoted",
    "secrets/generic-api-key",
}


@pytest.mark.parametrize(("path", "form", "line"), PARENT_NAMED + SIBLING_NAMED + MORE_OPENERS)
def test_provider_named_by_the_enclosing_key(
    path: str, form: str, line: int, engine: SecretEngine, re_engine: SecretEngine
) -> None:
    """An enclosing key, a sibling, or a mapping opened in code names the provider."""
    v = _uuid(7)
    text = form.format(v=v)
    for eng in (engine, re_engine):
        found = [(m.rule.id, m.line, text[m.start : m.end]) for m in eng.scan_text(text, path=path)]
        assert found == [("secrets/opsgenie-api-key", line, v)], (path, form, found)


@pytest.mark.parametrize(
    ("path", "form"), PARENT_NOT_NAMED + SIBLING_NOT_NAMED + MORE_OPENERS_NOT_NAMED
)
def test_a_parent_that_names_no_provider_reports_nothing(
    path: str, form: str, engine: SecretEngine, re_engine: SecretEngine
) -> None:
    text = form.format(v=_uuid(8))
    for eng in (engine, re_engine):
        found = {m.rule.id for m in eng.scan_text(text, path=path)}
        # (a bare ``token =`` or ``api_key=`` is the generic rules' to judge, as before)
        assert not found - _GENERIC_KEYED, (path, form, found)


def _walk_up(text: str, line_start: int, indent: int) -> list[str]:
    """Session 13's walk (each value read the lines above it again), kept as the reference
    the one-pass :class:`decoding.Parents` must answer as."""
    names: list[str] = []
    pos = line_start
    width = indent
    if width == 0 and "[" not in text[max(0, line_start - 4000) : line_start]:
        return names
    for _ in range(decoding.PARENT_LINES):
        if pos <= 0:
            break
        prev = text.rfind("\n", 0, pos - 1) + 1
        line = text[prev : pos - 1].rstrip("\r")
        pos = prev
        body = line.lstrip(" \t")
        if not body or body[0] in "#;/":
            continue
        if body[0] == "[":
            header = decoding._SECTION.fullmatch(body.rstrip())
            if header is not None:
                names.append(header.group(1))
                break
        ind = len(line) - len(body)
        if ind >= width:
            continue
        opened = decoding._PARENT_KEY.fullmatch(line)
        if opened is None:
            break
        names.append("_".join(n for n in opened.groups() if n))
        width = ind
        if len(names) == decoding.PARENT_LEVELS or width == 0:
            break
    return names


_LINE_PIECES = [
    "opsgenie:",
    '"opsgenie": {',
    'provider "opsgenie" {',
    "client = OpsGenie(",
    "Opsgenie.configure do |c|",
    "c.api_key = z",
    "[opsgenie]",
    "[services.sentry]",
    "api_key: x",
    "- name: x",
    "# comment",
    "",
    "}",
    "token = y",
]


@settings(max_examples=300, deadline=None)
@given(
    lines=st.lists(
        st.tuples(st.sampled_from(["", " ", "  ", "    ", "\t"]), st.sampled_from(_LINE_PIECES)),
        max_size=60,
    ),
    order=st.randoms(use_true_random=False),
)
def test_parents_read_in_one_pass_answer_as_the_walk_up(
    lines: list[tuple[str, str]], order: random.Random
) -> None:
    """The keys enclosing every line, asked in the text's order (one pass, jumps over
    long gaps) and in any order, are those the walk up each value's lines finds."""
    text = "".join(f"{ind}{body}\n" for ind, body in lines)
    starts = [0]
    for ind, body in lines[:-1]:
        starts.append(starts[-1] + len(ind) + len(body) + 1)
    asks = [(s, len(ind)) for s, (ind, _body) in zip(starts, lines, strict=False)] if lines else []
    for picked in (asks, asks[::3], asks[5::23], order.sample(asks, len(asks))):
        parents = decoding.Parents(text)
        for s, ind in picked:
            assert parents.of(s, ind) == _walk_up(text, s, ind), (text, s)


@pytest.mark.parametrize("between", range(16, 24))
def test_parents_reach_twenty_lines_up_in_one_pass_as_in_the_walk(between: int) -> None:
    """The reach of the one pass is the walk's: an opening key 20 lines up is a parent,
    21 lines up is not (asked at each line, and only at the value's)."""
    for head in ("opsgenie:\n", "[opsgenie]\n"):
        text = head + "  url: x\n" * between + "  api_key: y\n"
        value = text.rindex("  api_key")
        want = ["opsgenie"] if between + 1 <= decoding.PARENT_LINES else []
        assert _walk_up(text, value, 2) == want
        assert decoding.Parents(text).of(value, 2) == want
        parents = decoding.Parents(text)
        at = 0
        for line in text.splitlines(keepends=True):
            assert parents.of(at, 2) == _walk_up(text, at, 2)
            at += len(line)


@pytest.mark.parametrize("between", [10, 150, 180, 195])
def test_one_line_mappings_far_from_their_key_are_found_by_both_engines(
    between: int, re_engine: SecretEngine, hs_engine: SecretEngine
) -> None:
    """A one-line mapping or call whose long name stands ~250 characters before the value:
    the Hyperscan windows reach back over the name as the regex engine does (the flow
    rule's prefilter started at ``{`` and its windows did not: 180 and 195 were missed)."""
    v = _uuid(7)
    name = "acme_alerting_production_eu_west_escalation_team_opsgenie"  # 57 characters
    pad = "a: b, " * (between // 6)
    for text in (
        f"{name}: {{{pad}api_key: {v}}}\n",
        f'c = {name}({pad.replace(": ", "=")}api_key="{v}")\n',
    ):
        want = [("secrets/opsgenie-api-key", text.index(v))]
        for eng in (re_engine, hs_engine):
            assert [(m.rule.id, m.start) for m in eng.scan_text(text, path="c.py")] == want
