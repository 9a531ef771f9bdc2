"""Session 17: what a twelfth unseen sample (hadolint's rule tests, kube-score's test data,
terrascan's pass/fail templates and nccgroup's sadcloud) found missing, each in its general
form, with the forms that must stay quiet: policies given as an ``aws_iam_policy_document``'s
``json`` (under ``count`` too), CloudTrail trails that drop global service events, load
balancers that publish database, remote-desktop or plain-text service ports, and ElastiCache's
EC2-Classic security groups."""

from __future__ import annotations

import pytest
from tests.scanners.iac.helpers import errors, findings, scan_family

from pipesec.scanners.iac.hcl import Expr
from pipesec.scanners.iac.tf_policydoc import render_documents

# -- policies written as aws_iam_policy_document data sources ---------------------------------

_DOC = """
data "aws_iam_policy_document" "doc" {{
  {count}
  statement {{
    effect    = "Allow"
    actions   = [{actions}]
    resources = ["*"]
    principals {{
      type        = "{ptype}"
      identifiers = [{ids}]
    }}
    {condition}
  }}
}}
"""

#: (resource type, rule, the resource with ``{ref}`` for the document reference)
_USERS = [
    (
        "sns",
        "tf/aws-sns-policy-public",
        'resource "aws_sns_topic_policy" "t" {{\n  arn = "x"\n  policy = {ref}\n}}\n',
    ),
    (
        "sqs",
        "tf/aws-sqs-policy-public",
        'resource "aws_sqs_queue_policy" "q" {{\n  queue_url = "x"\n  policy = {ref}\n}}\n',
    ),
    (
        "ecr",
        "tf/aws-ecr-policy-public",
        'resource "aws_ecr_repository_policy" "p" {{\n  repository = "x"\n  policy = {ref}\n}}\n',
    ),
    (
        "kms",
        "tf/aws-resource-policy-public",
        'resource "aws_kms_key" "k" {{\n  enable_key_rotation = true\n  policy = {ref}\n}}\n',
    ),
    (
        "trust",
        "tf/aws-iam-role-trust-any-account",
        'resource "aws_iam_role" "r" {{\n  name = "r"\n  assume_role_policy = {ref}\n}}\n',
    ),
]


def _doc_tf(
    user: str,
    *,
    counted: bool = False,
    ptype: str = "AWS",
    ids: str = '"*"',
    condition: str = "",
    actions: str = '"sqs:SendMessage", "sns:Publish", "ecr:BatchGetImage", "kms:Decrypt", '
    '"sts:AssumeRole"',
    interpolated: bool = False,
) -> str:
    ref = "data.aws_iam_policy_document.doc" + ("[0]" if counted else "") + ".json"
    if interpolated:
        ref = '"${' + ref + '}"'
    doc = _DOC.format(
        count="count = 1" if counted else "",
        actions=actions,
        ptype=ptype,
        ids=ids,
        condition=condition,
    )
    return doc + user.format(ref=ref)


@pytest.mark.parametrize(("name", "rule", "user"), _USERS, ids=[u[0] for u in _USERS])
@pytest.mark.parametrize("counted", [False, True], ids=["plain", "count-index"])
def test_a_policy_document_reference_is_read_as_its_policy(
    name: str, rule: str, user: str, counted: bool
) -> None:
    items = scan_family("tf", _doc_tf(user, counted=counted))
    assert not errors(items)
    got = findings(items, rule)
    assert got, name
    # reported at the resource's policy argument, where the document is used
    assert all(f.message and ("policy" in f.message or "trust" in f.message.lower()) for f in got)


@pytest.mark.parametrize(("name", "rule", "user"), _USERS, ids=[u[0] for u in _USERS])
def test_the_interpolated_reference_form_is_read_too(name: str, rule: str, user: str) -> None:
    assert findings(scan_family("tf", _doc_tf(user, interpolated=True)), rule), name


@pytest.mark.parametrize(("name", "rule", "user"), _USERS, ids=[u[0] for u in _USERS])
@pytest.mark.parametrize(
    "safe",
    [
        {"ids": '"arn:aws:iam::123456789012:role/publisher"'},
        {"ids": "var.principals"},
        {
            "condition": 'condition {\n      test     = "StringEquals"\n'
            '      variable = "aws:SourceAccount"\n      values   = ["123456789012"]\n    }'
        },
    ],
    ids=["named-principal", "unknown-principal", "conditioned"],
)
def test_a_policy_document_that_names_its_principals_stays_quiet(
    name: str, rule: str, user: str, safe: dict[str, str]
) -> None:
    assert not findings(scan_family("tf", _doc_tf(user, **safe)), rule), name


def test_a_reference_to_a_document_not_in_the_module_stays_unknown() -> None:
    tf = (
        'resource "aws_sqs_queue_policy" "q" {\n  queue_url = "x"\n'
        "  policy = data.aws_iam_policy_document.elsewhere.json\n}\n"
    )
    items = scan_family("tf", tf)
    assert not errors(items)
    assert not findings(items, "tf/aws-sqs-policy-public")


def test_render_documents_replaces_only_whole_references() -> None:
    doc = {"x": Expr('jsondecode(data.aws_iam_policy_document.d.json)["Statement"]')}
    assert render_documents(doc, {}) == doc
    plain = {"policy": Expr("data.aws_iam_policy_document.d.json"), "n": [1, Expr("var.x")]}
    assert render_documents(plain, {}) == plain  # no document of that name: left as it is


def test_a_wildcard_principal_type_renders_as_the_star_principal() -> None:
    tf = _doc_tf(_USERS[1][2], ptype="*", ids='"*"')
    assert findings(scan_family("tf", tf), "tf/aws-sqs-policy-public")


# -- CloudTrail global service events -----------------------------------------------------------

GLOBAL = "tf/aws-cloudtrail-no-global-service-events"


@pytest.mark.parametrize(
    ("setting", "reported"),
    [
        ("include_global_service_events = false", True),
        ('include_global_service_events = "false"', True),
        # sadcloud's form: computed from variables
        ("include_global_service_events = (var.duplicated || !var.no_global)", True),
        ("include_global_service_events = true", False),
        ("", False),  # the setting's default is on
        ("include_global_service_events = var.unknown", False),
    ],
)
def test_trails_that_drop_global_service_events(setting: str, reported: bool) -> None:
    tf = (
        'variable "duplicated" {\n  default = false\n}\n'
        'variable "no_global" {\n  default = true\n}\n'
        'variable "unknown" {}\n'
        'resource "aws_cloudtrail" "t" {\n  name = "t"\n  s3_bucket_name = "logs"\n'
        f"  {setting}\n}}\n"
    )
    assert bool(findings(scan_family("tf", tf), GLOBAL)) is reported


# -- load balancers publishing sensitive ports --------------------------------------------------

LB_PORT = "tf/aws-lb-listener-sensitive-port"


@pytest.mark.parametrize(
    ("port", "internal", "reported"),
    [
        (21, "", True),
        (23, "", True),
        ("5900", "", True),
        (3306, "", True),
        (3389, "", True),
        (23, "internal = true", False),
        (443, "", False),
        (80, "", False),
        (22, "", False),  # SSH through a bastion load balancer: encrypted, left to the SG rules
    ],
)
def test_classic_load_balancer_listener_ports(
    port: int | str, internal: str, reported: bool
) -> None:
    tf = (
        f'resource "aws_elb" "lb" {{\n  name = "lb"\n  {internal}\n  listener {{\n'
        f'    instance_port = {port}\n    instance_protocol = "tcp"\n'
        f'    lb_port = "{port}"\n    lb_protocol = "tcp"\n  }}\n}}\n'
    )
    assert bool(findings(scan_family("tf", tf), LB_PORT)) is reported


@pytest.mark.parametrize(
    ("lb", "port", "reported"),
    [
        ("pub", 5432, True),
        ("priv", 5432, False),  # an internal load balancer
        ("pub", 443, False),
        ("elsewhere", 5432, False),  # a load balancer the module does not hold: unknown
    ],
)
def test_v2_listener_ports_follow_their_load_balancer(lb: str, port: int, reported: bool) -> None:
    tf = (
        'resource "aws_lb" "pub" {\n  name = "pub"\n  load_balancer_type = "network"\n}\n'
        'resource "aws_lb" "priv" {\n  name = "priv"\n  internal = true\n'
        '  load_balancer_type = "network"\n}\n'
        f'resource "aws_lb_listener" "l" {{\n  load_balancer_arn = aws_lb.{lb}.arn\n'
        f'  port = {port}\n  protocol = "TCP"\n  default_action {{\n    type = "forward"\n'
        "    target_group_arn = aws_lb_target_group.t.arn\n  }\n}\n"
    )
    assert bool(findings(scan_family("tf", tf), LB_PORT)) is reported


# -- EC2-Classic security groups ----------------------------------------------------------------


def test_elasticache_classic_security_groups_are_ec2_classic() -> None:
    tf = 'resource "aws_elasticache_security_group" "bar" {\n  name = "bar"\n}\n'
    assert findings(scan_family("tf", tf), "tf/aws-ec2-classic-security-group")
    cfn = (
        "Resources:\n  Cache:\n    Type: AWS::ElastiCache::SecurityGroup\n"
        "    Properties:\n      Description: cache clients\n"
    )
    assert findings(scan_family("cfn", cfn), "cfn/aws-ec2-classic-security-group")


# -- apt lists: only in the stages the image holds --------------------------------------------

APT_LISTS = "docker/apt-lists-not-removed"
_INSTALL = "RUN apt-get update && apt-get install -y --no-install-recommends python3\n"


@pytest.mark.parametrize(
    ("dockerfile", "reported"),
    [
        (f"FROM debian:12 AS build\n{_INSTALL}FROM scratch\nCOPY --from=build /x /x\n", False),
        (f"FROM debian:12 AS base\n{_INSTALL}FROM base\nRUN true\n", True),  # the image's parent
        (f"FROM debian:12 AS build\nRUN true\nFROM debian:12\n{_INSTALL}", True),
        (f"FROM debian:12\n{_INSTALL}", True),
        (
            "FROM debian:12 AS build\nRUN apt-get update && apt-get install -y python3 "
            "&& rm -rf /var/lib/apt/lists/*\nFROM build\nRUN true\n",
            False,
        ),
    ],
    ids=["builder-stage", "parent-stage", "final-stage", "one-stage", "removed"],
)
def test_apt_lists_count_only_in_the_stages_the_image_holds(
    dockerfile: str, reported: bool
) -> None:
    assert bool(findings(scan_family("docker", dockerfile), APT_LISTS)) is reported


# -- S3 bucket policies written as documents (the Python rules) -------------------------------

_S3_DOC = """
data "aws_iam_policy_document" "p" {{
  {count}
  statement {{
    effect    = "{effect}"
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::site/*"]
    principals {{
      type        = "AWS"
      identifiers = [{ids}]
    }}
    {condition}
  }}
}}
resource "aws_s3_bucket_policy" "p" {{
  bucket = "site"
  policy = data.aws_iam_policy_document.p{index}.json
}}
"""
_DENY_HTTP = (
    'condition {\n      test     = "Bool"\n      variable = "aws:SecureTransport"\n'
    '      values   = ["false"]\n    }'
)


@pytest.mark.parametrize("counted", [False, True], ids=["plain", "count-index"])
def test_s3_bucket_policy_documents_are_read(counted: bool) -> None:
    def tf(effect: str, ids: str, condition: str = "") -> str:
        return _S3_DOC.format(
            count="count = 1" if counted else "",
            index="[0]" if counted else "",
            effect=effect,
            ids=ids,
            condition=condition,
        )

    public = findings(scan_family("tf", tf("Allow", '"*"')))
    assert {"tf/aws-s3-public-policy", "tf/aws-s3-policy-allows-plain-http"} <= {
        f.rule_id for f in public
    }
    named = {f.rule_id for f in findings(scan_family("tf", tf("Allow", '"arn:aws:iam::1:root"')))}
    assert "tf/aws-s3-public-policy" not in named
    deny = {f.rule_id for f in findings(scan_family("tf", tf("Deny", '"*"', _DENY_HTTP)))}
    assert "tf/aws-s3-policy-allows-plain-http" not in deny


@pytest.mark.parametrize(
    ("principal", "reported"), [('"*"', True), ('{"AWS": "arn:aws:iam::1:root"}', False)]
)
def test_opensearch_heredoc_policies_with_interpolations_are_read(
    principal: str, reported: bool
) -> None:
    tf = (
        'resource "aws_elasticsearch_domain" "main" {\n  domain_name = "logs"\n}\n'
        'resource "aws_elasticsearch_domain_policy" "main" {\n'
        "  domain_name = aws_elasticsearch_domain.main.domain_name\n"
        "  access_policies = <<POLICIES\n{\n"
        '  "Version": "2012-10-17",\n  "Statement": [{\n    "Action": "es:*",\n'
        f'    "Principal": {principal},\n    "Effect": "Allow",\n'
        '    "Resource": "${aws_elasticsearch_domain.main.arn}/*"\n  }]\n}\nPOLICIES\n}\n'
    )
    got = findings(scan_family("tf", tf), "tf/aws-opensearch-policy-public")
    assert bool(got) is reported


@pytest.mark.parametrize("counted", [False, True], ids=["plain", "count-index"])
def test_split_escalation_reads_count_indexed_documents(counted: bool) -> None:
    index = "[0]" if counted else ""
    tf = (
        'data "aws_iam_policy_document" "pass" {\n'
        + ("  count = 1\n" if counted else "")
        + '  statement {\n    actions   = ["iam:PassRole"]\n    resources = ["*"]\n  }\n}\n'
        'resource "aws_iam_role" "deployer" {\n  name = "deployer"\n'
        '  assume_role_policy = "{}"\n}\n'
        'resource "aws_iam_role_policy" "pass" {\n  role = aws_iam_role.deployer.id\n'
        f"  policy = data.aws_iam_policy_document.pass{index}.json\n}}\n"
        'resource "aws_iam_role_policy" "launch" {\n  role = aws_iam_role.deployer.id\n'
        '  policy = jsonencode({\n    Version = "2012-10-17"\n'
        '    Statement = [{ Effect = "Allow", Action = "ec2:RunInstances", Resource = "*" }]\n'
        "  })\n}\n"
    )
    assert findings(scan_family("tf", tf), "tf/aws-iam-principal-privilege-escalation")
