"""Session 17's review (review17): the IaC readers against hostile trees.

Terraform converts a string to a bool argument's value (cty: ``"true"``/``"1"`` and
``"false"``/``"0"``), so ``allow_nested_items_to_be_public = "true"`` makes a storage account
public. Session 16 taught the CEL rules ``"true"``/``"false"`` (iacunseen10); the Python
rules still tested ``value is True`` / ``is False`` and CEL did not read ``"1"``/``"0"``:
each of the forms below passed with no finding (each test fails before the fix)."""

from __future__ import annotations

import pytest
from tests.scanners.iac.helpers import findings, scan_family

from pipesec.core.model import ScanError
from pipesec.scanners.iac.hcl import as_bool

_STORAGE = """resource "azurerm_storage_account" "a" {
  name                            = "a"
  resource_group_name             = "rg"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "GRS"
  min_tls_version                 = "TLS1_2"
  allow_nested_items_to_be_public = %s
}
"""
_REDSHIFT = """resource "aws_redshift_cluster" "w" {
  cluster_identifier = "w"
  node_type          = "ra3.xlplus"
  encrypted          = true
  logging {
    enable = %s
  }
}
"""
_BROKER = """resource "aws_mq_broker" "orders" {
  broker_name         = "orders"
  engine_type         = "ActiveMQ"
  engine_version      = "5.18"
  host_instance_type  = "mq.m5.large"
  publicly_accessible = %s
}
"""


@pytest.mark.parametrize(
    ("template", "rule", "value", "reported"),
    [
        (_STORAGE, "tf/azure-storage-public-access", "true", True),
        (_STORAGE, "tf/azure-storage-public-access", '"true"', True),  # Python rule
        (_STORAGE, "tf/azure-storage-public-access", '"1"', True),
        (_STORAGE, "tf/azure-storage-public-access", '"false"', False),
        (_STORAGE, "tf/azure-storage-public-access", '"yes"', False),  # Terraform refuses it
        (_REDSHIFT, "tf/aws-redshift-logging-disabled", "false", True),
        (_REDSHIFT, "tf/aws-redshift-logging-disabled", '"false"', True),  # Python rule
        (_REDSHIFT, "tf/aws-redshift-logging-disabled", '"0"', True),
        (_REDSHIFT, "tf/aws-redshift-logging-disabled", '"true"', False),
        (_BROKER, "tf/aws-mq-public", '"true"', True),
        (_BROKER, "tf/aws-mq-public", '"1"', True),  # CEL rule
        (_BROKER, "tf/aws-mq-public", '"0"', False),
    ],
)
def test_a_bool_argument_written_as_a_string_is_read_as_terraform_converts_it(
    template: str, rule: str, value: str, reported: bool
) -> None:
    found = findings(scan_family("tf", template % value), rule)
    assert bool(found) is reported


def test_as_bool_takes_what_terraform_converts() -> None:
    assert [as_bool(v) for v in (True, "true", "1", "TRUE")] == [True] * 4
    assert [as_bool(v) for v in (False, "false", "0", "False")] == [False] * 4
    assert [as_bool(v) for v in ("yes", "", 1, None, "01")] == [None] * 5


_BIG = "123456789012345678901234"


@pytest.mark.parametrize(
    ("family", "text", "rule"),
    [
        (
            "tf",
            (_BROKER % "true").replace("}", f"  tags = {{ n = {_BIG} }}\n}}"),
            "tf/aws-mq-public",
        ),
        (
            "cfn",
            "Resources:\n  B:\n    Type: AWS::AmazonMQ::Broker\n    Properties:\n"
            f"      PubliclyAccessible: true\n      Tags: [{{Key: n, Value: {_BIG}}}]\n",
            "cfn/aws-mq-public",
        ),
        (
            "k8s",
            f"apiVersion: v1\nkind: Pod\nmetadata: {{name: p, annotations: {{n: {_BIG}}}}}\n"
            "spec:\n  containers:\n  - name: c\n    image: nginx\n"
            "    securityContext: {privileged: true}\n",
            "k8s/privileged-container",
        ),
    ],
)
def test_an_integer_past_64_bits_does_not_fail_every_cel_rule_of_its_resource(
    family: str, text: str, rule: str
) -> None:
    """CEL's int is 64 bits: a larger integer literal anywhere in a resource (a tag value,
    which Terraform turns into a string) raised "overflow" while the resource was converted,
    so every CEL rule of that resource failed ("rule … failed": exit 3 on a valid tree, and
    with ``on-error = "warn"`` the resource's findings lost, a public broker's included)."""
    items = scan_family(family, text)
    assert not [i for i in items if isinstance(i, ScanError)]
    assert findings(items, rule)


@pytest.mark.parametrize(
    ("value", "reported"),
    [("true", True), ('"true"', True), ('"yes"', True), ('"On"', True), ('"false"', False)],
)
def test_compose_reads_a_privileged_flag_written_as_a_string(value: str, reported: bool) -> None:
    """Compose casts a string in a boolean field (written or interpolated) with YAML 1.1's
    words: ``privileged: "true"`` runs the container privileged; it passed with no finding."""
    text = (
        "services:\n  web:\n    image: nginx:1.25@sha256:" + "0" * 64 + "\n"
        f"    read_only: true\n    privileged: {value}\n"
    )
    assert bool(findings(scan_family("compose", text), "compose/privileged")) is reported


def test_folding_a_list_of_errors_stays_linear() -> None:
    """``exists`` folds its items with ``||``; celpy makes an error of two errors whose
    message holds both operands' reprs, and an error's repr quotes its message once more:
    the backslashes doubled at every item, 2^n characters. A Terraform SNS topic policy of
    30 statements whose ``Principal`` a rule compares with ``"*"`` (a map: an error per
    statement) took 23 GB and the scan was killed. Both the compiled closures and
    cel-python's interpreter (the fallback) now answer with an error of bounded size."""
    from pipesec.scanners.iac import cel

    cond = cel.Condition('r.l.exists(s, s.Effect == "Allow" && (s.p == "*" || s.q == 1))')
    cond.compile()
    items = [{"Effect": "Allow", "p": {"AWS": ["x"]}} for _ in range(16)]
    activation = {"r": cel.to_cel({"l": items})}
    got = cond._compiled(frozenset(activation))(dict(activation))
    assert len(repr(got)) < 2_000  # 16 items: about 6 MB before
    assert not cond.matches(activation) and not cond.interpreted(activation)
    items.append({"Effect": "Allow", "p": "*"})
    activation = {"r": cel.to_cel({"l": items})}
    assert cond.matches(activation) and cond.interpreted(activation)


def test_a_policy_document_is_rendered_and_converted_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """review17 (iacunseen12's 901b658): every resource naming a policy document rendered
    it and converted it to CEL again: one document of 1,000 statements named by 250 topic
    policies (0.3 MB) cost 47 s and 0.9 GB (7.9 s and 0.1 GB once per document)."""
    from pipesec.scanners.iac import cel, tf_policydoc

    rendered: list[str] = []
    real = tf_policydoc.document
    monkeypatch.setattr(tf_policydoc, "document", lambda b: rendered.append(b.labels[1]) or real(b))
    converted: list[int] = []
    real_convert = cel._convert

    def counting(value: object, *args: object) -> object:
        # the statements are converted only when their document is (not when shared)
        if (
            isinstance(value, list)
            and value
            and isinstance(value[0], dict)
            and "Effect" in value[0]
        ):
            converted.append(id(value))
        return real_convert(value, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(cel, "_convert", counting)
    text = (
        'data "aws_iam_policy_document" "d" {\n  statement {\n    actions = ["sns:Publish"]\n'
        '    principals {\n      type        = "*"\n      identifiers = ["*"]\n    }\n  }\n}\n'
    ) + "".join(
        f'resource "aws_sns_topic_policy" "p{i}" {{\n  arn    = "t{i}"\n'
        "  policy = data.aws_iam_policy_document.d.json\n}\n"
        for i in range(3)
    )
    assert len(findings(scan_family("tf", text), "tf/aws-sns-policy-public")) == 3
    assert rendered == ["d"] and len(converted) == 1
