"""AWS forms (Terraform and CloudFormation) of a flaw that the rules' own examples do not
show: privilege-escalation actions in every way an IAM policy is written, resource policies
under other attribute names, inline policy blocks, a VPC whose flow log points elsewhere,
a classic load balancer without an access-log policy, sensitive ports by protocol number,
policies written as JSON strings or as heredocs with interpolations and trailing commas,
custom-domain TLS, account wildcards in principals, classic load balancer SSL policies. Each
rule's own examples run in test_rules.py / test_datarules.py."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.scanners.iac.helpers import findings, scan_family

from pipesec.scanners.iac.common import escalates, unscoped_condition
from pipesec.scanners.iac.hcl import Expr, heredoc_policy, loads_policy

USER_POLICY = """
resource "aws_iam_user_policy" "ops" {{
  name = "ops"
  user = aws_iam_user.ops.name
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = {actions}, Resource = "*" }}]
  }})
}}
"""


@pytest.mark.parametrize(
    ("actions", "reported"),
    [
        ('["iam:PutUserPolicy"]', True),
        ('["iam:Attach*"]', True),  # a partial wildcard that covers iam:AttachUserPolicy
        ('["iam:PassRole", "ec2:RunInstances"]', True),  # start an instance under any role
        ('["iam:PassRole"]', False),  # nothing to pass the role to in this policy
        ('["iam:List*", "iam:Get*"]', False),
        ('"*"', False),  # administrator access: tf/aws-iam-wildcard-policy says so
    ],
)
def test_privilege_escalation_in_an_inline_policy(actions: str, reported: bool) -> None:
    text = USER_POLICY.format(actions=actions)
    hits = findings(scan_family("tf", text), "tf/aws-iam-privilege-escalation")
    assert [f.location.start_line for f in hits] == ([7] if reported else [])


def test_privilege_escalation_across_statements_of_a_policy_document() -> None:
    text = """
data "aws_iam_policy_document" "deployer" {
  statement {
    actions   = ["ec2:RunInstances", "ec2:Describe*"]
    resources = ["*"]
  }
  statement {
    actions   = ["iam:PassRole"]
    resources = ["*"]
  }
  statement {
    actions   = ["iam:CreateAccessKey"]
    resources = ["arn:aws:iam::111122223333:user/ci"]
  }
}
"""
    hits = findings(scan_family("tf", text), "tf/aws-iam-privilege-escalation")
    assert [(f.location.start_line, f.message) for f in hits] == [
        (8, "data.aws_iam_policy_document.deployer allows iam:PassRole on *")
    ]


def test_privilege_escalation_in_a_json_template() -> None:
    text = """{
  "Resources": {
    "Ops": {
      "Type": "AWS::IAM::Policy",
      "Properties": {
        "PolicyName": "ops",
        "Users": ["ops"],
        "PolicyDocument": {
          "Statement": [
            {"Effect": "Allow", "Action": "iam:CreateLoginProfile", "Resource": "*"}
          ]
        }
      }
    }
  }
}
"""
    hits = findings(scan_family("cfn", text), "cfn/aws-iam-privilege-escalation")
    assert [f.location.start_line for f in hits] == [10]


def test_escalates_is_about_what_the_patterns_grant() -> None:
    assert escalates(["IAM:createaccesskey"])  # IAM action names are case-insensitive
    assert escalates(["iam:Put*Policy"])
    assert not escalates(["iam:*"])  # the service wildcard rule reports it
    assert not escalates(["lambda:CreateFunction", "iam:GetRole"])


ACCOUNT_ONLY = ', Condition = { StringEquals = { "kms:CallerAccount" = "1" } }'


@pytest.mark.parametrize(
    ("resource", "attr", "condition", "reported"),
    [
        ("aws_glacier_vault", "access_policy", "", True),  # the policy under another name
        ("aws_ses_identity_policy", "policy", "", True),
        ("aws_kms_key", "policy", ACCOUNT_ONLY, False),
    ],
)
def test_resource_policies_open_to_anyone(
    resource: str, attr: str, condition: str, reported: bool
) -> None:
    text = (
        f'resource "{resource}" "r" {{\n'
        f"  {attr} = jsonencode({{\n"
        '    Statement = [{ Effect = "Allow", Principal = { AWS = "*" }, Action = "*",'
        f' Resource = "*"{condition} }}]\n'
        "  })\n}\n"
    )
    hits = findings(scan_family("tf", text), "tf/aws-resource-policy-public")
    assert [f.location.start_line for f in hits] == ([2] if reported else [])


def test_inline_policy_blocks_of_a_role() -> None:
    text = """
resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = data.aws_iam_policy_document.assume.json

  inline_policy {
    name = "reports"
    policy = jsonencode({
      Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }]
    })
  }

  inline_policy {
    name = "admin"
    policy = jsonencode({
      Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
    })
  }
}
"""
    hits = findings(scan_family("tf", text), "tf/aws-iam-wildcard-policy")
    assert [(f.location.start_line, f.message) for f in hits] == [
        (16, "aws_iam_role.app allows * on *")
    ]


VPC = """\
Parameters:
  OtherVpc:
    Type: String
Resources:
  Net:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.8.0.0/16
  Log:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceType: VPC
      TrafficType: REJECT
      LogGroupName: vpc-flow
      ResourceId: {target}
"""


@pytest.mark.parametrize(
    ("target", "reported"),
    [
        ("!Ref Net", False),
        ("!GetAtt Net.VpcId", False),
        ("!Sub '${Net}'", False),
        ("!If [Prod, !Ref Net, vpc-0abc]", False),  # either branch may be this VPC
        ("vpc-0abc", True),  # a literal id is another VPC: this one cannot have its id yet
        ("Net1", True),
        ("!Ref OtherVpc", True),  # a parameter names a VPC made elsewhere
    ],
)
def test_vpc_flow_log_must_refer_to_the_vpc(target: str, reported: bool) -> None:
    got = findings(scan_family("cfn", VPC.format(target=target)), "cfn/aws-vpc-no-flow-logs")
    assert bool(got) is reported
    if got:
        assert got[0].location.start_line == 5  # the VPC's logical id


def test_vpc_flow_log_json_list_form() -> None:
    text = (
        '{"Resources": {"Net": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": '
        '"10.8.0.0/16"}}, "Log": {"Type": "AWS::EC2::FlowLog", "Properties": {"ResourceType": '
        '"VPC", "ResourceIds": [{"Ref": "Net"}], "TrafficType": "ALL"}}}}'
    )
    assert not findings(scan_family("cfn", text), "cfn/aws-vpc-no-flow-logs")


ELB = """\
Resources:
  Web:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      Listeners:
        - {{LoadBalancerPort: "443", InstancePort: "80", Protocol: HTTPS}}
{policy}"""


@pytest.mark.parametrize(
    ("policy", "reported"),
    [
        ("", True),
        ("      AccessLoggingPolicy:\n        Enabled: false\n        S3BucketName: l\n", True),
        ('      AccessLoggingPolicy:\n        Enabled: "true"\n        S3BucketName: l\n', False),
        ("      AccessLoggingPolicy:\n        Enabled: !Ref LogsOn\n", False),  # unknown
    ],
)
def test_classic_elb_access_logging_policy(policy: str, reported: bool) -> None:
    got = findings(scan_family("cfn", ELB.format(policy=policy)), "cfn/aws-lb-access-logs-disabled")
    assert bool(got) is reported


SG_ENTRY = """\
Resources:
  Db:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: db
      SecurityGroupIngress:
        - {{IpProtocol: {proto}, FromPort: {lo}, ToPort: {hi}, CidrIp: {cidr}}}
"""


@pytest.mark.parametrize(
    ("proto", "lo", "hi", "cidr", "reported"),
    [
        ("tcp", 6379, 6379, "0.0.0.0/0", True),  # Redis
        ("6", 3000, 3400, "0.0.0.0/0", True),  # a range over MySQL's 3306, protocol by number
        ("tcp", 5432, 5432, "10.0.0.0/8", False),
        ("tcp", 443, 443, "0.0.0.0/0", False),
        ("tcp", 22, 22, "0.0.0.0/0", False),  # cfn/aws-sg-open-ssh's
        ("-1", 0, 0, "0.0.0.0/0", False),  # cfn/aws-sg-open-all-ports'
    ],
)
def test_security_group_sensitive_ports(
    proto: str, lo: int, hi: int, cidr: str, reported: bool
) -> None:
    text = SG_ENTRY.format(proto=proto, lo=lo, hi=hi, cidr=cidr)
    got = findings(scan_family("cfn", text), "cfn/aws-sg-open-sensitive-port")
    assert bool(got) is reported
    if got:
        assert got[0].location.start_line == 7


def test_role_trust_policy_written_as_a_json_string() -> None:
    text = """\
Resources:
  Open:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: '{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"},
        "Action": "sts:AssumeRole"}]}'
  Denied:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: '{"Statement": [{"Effect": "Deny", "Principal": {"AWS": "*"},
        "Action": "sts:AssumeRole"}]}'
"""
    got = findings(scan_family("cfn", text), "cfn/aws-iam-role-trust-any-account")
    assert [f.message for f in got] == ["Open: any AWS account may assume the role"]


def test_emr_security_configuration_written_as_a_json_string() -> None:
    text = """\
Resources:
  Etl:
    Type: AWS::EMR::SecurityConfiguration
    Properties:
      SecurityConfiguration: '{"EncryptionConfiguration": {"EnableAtRestEncryption": false,
        "EnableInTransitEncryption": true}}'
"""
    items = scan_family("cfn", text)
    assert findings(items, "cfn/aws-emr-at-rest-encryption-disabled")
    assert not findings(items, "cfn/aws-emr-in-transit-encryption-disabled")


SAM_API = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
{domain}"""


@pytest.mark.parametrize(
    ("domain", "line"),
    [
        ("      Domain:\n        DomainName: api.example.com\n        CertificateArn: arn\n", 7),
        (
            "      Domain:\n        DomainName: api.example.com\n        CertificateArn: arn\n"
            "        SecurityPolicy: TLS_1_0\n",
            10,
        ),
        (
            "      Domain:\n        DomainName: api.example.com\n        CertificateArn: arn\n"
            "        SecurityPolicy: TLS_1_2\n",
            None,
        ),
        ("", None),  # no custom domain: the execute-api endpoint is TLS 1.2 already
    ],
)
def test_sam_api_custom_domain_tls(domain: str, line: int | None) -> None:
    got = findings(scan_family("cfn", SAM_API.format(domain=domain)), "cfn/aws-apigateway-weak-tls")
    assert [f.location.start_line for f in got] == ([line] if line else [])


@pytest.mark.parametrize(
    ("policy", "reported"), [("", True), ("TLS_1_0", True), ("TLS_1_2", False)]
)
def test_cfn_domain_name_tls(policy: str, reported: bool) -> None:
    text = (
        "Resources:\n  D:\n    Type: AWS::ApiGateway::DomainName\n    Properties:\n"
        "      DomainName: api.example.com\n"
        + (f"      SecurityPolicy: {policy}\n" if policy else "")
    )
    assert bool(findings(scan_family("cfn", text), "cfn/aws-apigateway-weak-tls")) is reported


SQS_CFN = """\
Resources:
  P:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Q]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {{AWS: {principal}}}
            Action: sqs:SendMessage
            Resource: "*"
"""


@pytest.mark.parametrize(
    ("principal", "reported"),
    [
        ('"*"', True),
        ('"arn:aws:iam::*:root"', True),
        ('[!Ref Role, "arn:aws-us-gov:iam::*:user/ops"]', True),
        ('"arn:aws:iam::123456789012:root"', False),
        ('[!Ref Role, !Sub "arn:aws:iam::${AWS::AccountId}:root"]', False),
    ],
)
def test_sqs_policy_account_wildcard(principal: str, reported: bool) -> None:
    got = findings(
        scan_family("cfn", SQS_CFN.format(principal=principal)), "cfn/aws-sqs-policy-public"
    )
    assert bool(got) is reported


@pytest.mark.parametrize(
    ("extra", "rule"),
    [
        ("", "cfn/aws-lambda-permission-public"),
        ("      SourceArn: !GetAtt Uploads.Arn\n", "cfn/aws-lambda-permission-wildcard-principal"),
        (
            "      SourceAccount: !Ref AWS::AccountId\n",
            "cfn/aws-lambda-permission-wildcard-principal",
        ),
        ("      PrincipalOrgID: o-a1b2c3d4e5\n", None),
    ],
)
def test_lambda_permission_wildcard_principal(extra: str, rule: str | None) -> None:
    text = (
        "Resources:\n  P:\n    Type: AWS::Lambda::Permission\n    Properties:\n"
        "      Action: lambda:InvokeFunction\n      FunctionName: !Ref Fn\n      Principal: '*'\n"
        + extra
    )
    got = {
        f.rule_id for f in findings(scan_family("cfn", text)) if "lambda-permission" in f.rule_id
    }
    assert got == ({rule} if rule else set())


@pytest.mark.parametrize(
    ("ssl", "reported"),
    [
        ("", True),
        ('ssl_mode = "none"', True),
        ('ssl_mode = "require"', False),
        ("ssl_mode = var.ssl", False),
    ],
)
def test_dms_s3_endpoint_tls(ssl: str, reported: bool) -> None:
    text = f"""resource "aws_dms_s3_endpoint" "lake" {{
  endpoint_id   = "lake"
  endpoint_type = "target"
  bucket_name   = "example-lake"
  {ssl}
}}
"""
    assert bool(findings(scan_family("tf", text), "tf/aws-dms-endpoint-no-tls")) is reported


@pytest.mark.parametrize(
    ("resource", "engine", "ssl", "reported"),
    [
        ("aws_dms_s3_endpoint", "", "", True),
        ("aws_dms_endpoint", 'engine_name = "s3"', "", True),  # the same S3 endpoint
        ("aws_dms_endpoint", 'engine_name = "s3"', 'ssl_mode = "none"', True),
        ("aws_dms_endpoint", 'engine_name = "s3"', 'ssl_mode = "require"', False),
        ("aws_dms_s3_endpoint", "", 'ssl_mode = "require"', False),
        ("aws_dms_endpoint", 'engine_name = "dynamodb"', "", False),  # AWS API over HTTPS
    ],
)
def test_dms_s3_endpoints_agree_in_both_forms(
    resource: str, engine: str, ssl: str, reported: bool
) -> None:
    text = f"""resource "{resource}" "lake" {{
  endpoint_id   = "lake"
  endpoint_type = "target"
  bucket_name   = "example-lake"
  {engine}
  {ssl}
}}
"""
    assert bool(findings(scan_family("tf", text), "tf/aws-dms-endpoint-no-tls")) is reported
    template = (
        "Resources:\n  Lake:\n    Type: AWS::DMS::Endpoint\n    Properties:\n"
        "      EndpointType: target\n      EngineName: s3\n"
        + ("      SslMode: require\n" if "require" in ssl else "")
    )
    cfn = findings(scan_family("cfn", template), "cfn/aws-dms-endpoint-no-tls")
    assert bool(cfn) is ("require" not in ssl)


def test_administrator_access_attachment_is_high_like_a_star_policy() -> None:
    """prowler (iam_role_administratoraccess_policy, iam_aws_attached_policy_no_administrative
    _privileges) rates it high; trivy and KICS rate the equivalent hand-written "*" on "*"
    document high, as pipesec's aws-iam-wildcard-policy does."""
    from pipesec.core.model import Severity
    from pipesec.scanners.iac import IacScanner

    by_id = {r.id: r for r in IacScanner().rules()}
    for rid in (
        "tf/aws-iam-admin-policy-attached",
        "cfn/aws-iam-admin-policy-attached",
        "tf/aws-iam-wildcard-policy",
    ):
        assert by_id[rid].severity is Severity.HIGH, rid


@pytest.mark.parametrize(
    ("device", "reported"),
    [
        ('snapshot_id = "snap-0123456789abcdef0"', False),  # the snapshot's encryption
        ('snapshot_id = "snap-0123456789abcdef0"\n    encrypted = false', True),
        ("volume_size = 8", True),  # a blank volume, left unencrypted
        ("encrypted = true", False),
    ],
)
def test_ami_volume_from_snapshot(device: str, reported: bool) -> None:
    text = f"""resource "aws_ami" "base" {{
  name                = "base"
  virtualization_type = "hvm"
  root_device_name    = "/dev/xvda"
  ebs_block_device {{
    device_name = "/dev/xvda"
    {device}
  }}
}}
"""
    assert bool(findings(scan_family("tf", text), "tf/aws-ami-unencrypted")) is reported


@pytest.mark.parametrize(
    ("kind", "reported"), [('"NO_ARTIFACTS"', False), ('"S3"', True), ("var.artifact_type", True)]
)
def test_codebuild_no_artifacts_has_nothing_to_encrypt(kind: str, reported: bool) -> None:
    text = f"""resource "aws_codebuild_project" "build" {{
  name         = "build"
  service_role = aws_iam_role.build.arn
  artifacts {{
    type                = {kind}
    encryption_disabled = true
  }}
}}
"""
    got = findings(scan_family("tf", text), "tf/aws-codebuild-artifacts-unencrypted")
    assert bool(got) is reported


def test_rds_cluster_instance_minor_upgrades() -> None:
    text = """resource "aws_rds_cluster_instance" "db" {
  identifier                 = "db-1"
  cluster_identifier         = aws_rds_cluster.db.id
  instance_class             = "db.r6g.large"
  auto_minor_version_upgrade = false
}
"""
    assert findings(scan_family("tf", text), "tf/aws-rds-auto-minor-upgrade-disabled")


@pytest.mark.parametrize(
    ("settings", "reported"),
    [
        ('ssl_security_protocol = "plaintext"', True),
        ('ssl_security_protocol = "ssl-encryption"', False),
        ("", False),
    ],
)
def test_dms_redis_endpoint_tls_is_in_its_settings(settings: str, reported: bool) -> None:
    text = f"""resource "aws_dms_endpoint" "cache" {{
  endpoint_id   = "cache"
  endpoint_type = "target"
  engine_name   = "redis"
  redis_settings {{
    auth_type   = "none"
    server_name = "cache.internal.example.com"
    port        = 6379
    {settings}
  }}
}}
"""
    assert bool(findings(scan_family("tf", text), "tf/aws-dms-endpoint-no-tls")) is reported


@pytest.mark.parametrize(("enabled", "reported"), [("true", False), ("false", True)])
def test_athena_managed_query_results_are_encrypted(enabled: str, reported: bool) -> None:
    text = f"""resource "aws_athena_workgroup" "analytics" {{
  name = "analytics"
  configuration {{
    enforce_workgroup_configuration = true
    managed_query_results_configuration {{
      enabled = {enabled}
    }}
  }}
}}
"""
    got = findings(scan_family("tf", text), "tf/aws-athena-workgroup-unencrypted")
    assert bool(got) is reported


@pytest.mark.parametrize(
    ("kind", "rule"),
    [
        ("aws_docdb_global_cluster", "tf/aws-docdb-unencrypted"),
        ("aws_rds_global_cluster", "tf/aws-rds-unencrypted"),
    ],
)
@pytest.mark.parametrize(
    ("body", "reported"),
    [
        ("", True),
        ("storage_encrypted = false", True),
        ("storage_encrypted = true", False),
        (
            "source_db_cluster_identifier = aws_rds_cluster.primary.arn",
            False,
        ),  # the source's encryption
    ],
)
def test_global_cluster_encryption(kind: str, rule: str, body: str, reported: bool) -> None:
    text = f"""resource "{kind}" "global" {{
  global_cluster_identifier = "global"
  {body}
}}
"""
    assert bool(findings(scan_family("tf", text), rule)) is reported


@pytest.mark.parametrize(("value", "reported"), [("true", True), ("false", False)])
def test_batch_job_privileged_in_a_heredoc(value: str, reported: bool) -> None:
    text = f"""resource "aws_batch_job_definition" "etl" {{
  name = "etl"
  type = "container"
  container_properties = <<CONTAINER
{{
  "image": "registry.example.com/etl:2.1.0",
  "privileged": {value},
  "vcpus": 1,
  "memory": 2048
}}
CONTAINER
}}
"""
    assert bool(findings(scan_family("tf", text), "tf/aws-batch-job-privileged")) is reported


@pytest.mark.parametrize(
    ("logs", "reported"),
    [
        (
            's3_logs {\n      status = "DISABLED"\n    }',
            False,
        ),  # CloudWatch logs stay on by default
        ('cloudwatch_logs {\n      status = "DISABLED"\n    }', True),
    ],
)
def test_codebuild_cloudwatch_logs_default_on(logs: str, reported: bool) -> None:
    text = f"""resource "aws_codebuild_project" "app" {{
  name         = "app"
  service_role = aws_iam_role.codebuild.arn
  logs_config {{
    {logs}
  }}
}}
"""
    got = findings(scan_family("tf", text), "tf/aws-codebuild-logs-disabled")
    assert bool(got) is reported


@pytest.mark.parametrize(
    ("encryption", "reported"),
    [
        ("encryption_configuration {}", True),
        ("encryption_configuration {\n          encryption = false\n        }", True),
        (
            "encryption_configuration {\n          encryption = true\n"
            "          cmk_arn    = aws_kms_key.dr.arn\n        }",
            False,
        ),
    ],
)
def test_dlm_event_policy_cross_region_copy(encryption: str, reported: bool) -> None:
    text = f"""resource "aws_dlm_lifecycle_policy" "share" {{
  description        = "copy shared snapshots"
  execution_role_arn = aws_iam_role.dlm.arn
  policy_details {{
    policy_type = "EVENT_BASED_POLICY"
    action {{
      name = "copy"
      cross_region_copy {{
        target = "eu-west-2"
        {encryption}
      }}
    }}
  }}
}}
"""
    got = findings(scan_family("tf", text), "tf/aws-dlm-cross-region-copy-unencrypted")
    assert bool(got) is reported


LAMBDA = """
resource "aws_lambda_function" "api" {{
  function_name = "api"
  role          = aws_iam_role.lambda.arn
  handler       = "app.handler"
  runtime       = "{runtime}"
  filename      = "build/api.zip"
}}
"""


@pytest.mark.parametrize(
    ("runtime", "reported"),
    [
        ("nodejs18.x", True),  # deprecated 1 September 2025
        ("python3.9", True),  # deprecated 15 December 2025
        ("nodejs20.x", True),  # deprecated 30 April 2026
        ("dotnet8", True),  # deprecated 10 November 2026
        ("nodejs22.x", False),
        ("python3.13", False),
        ("dotnet10", False),
    ],
)
def test_lambda_runtimes_deprecated_by_the_end_of_2026(runtime: str, reported: bool) -> None:
    text = LAMBDA.format(runtime=runtime)
    hits = findings(scan_family("tf", text), "tf/aws-lambda-deprecated-runtime")
    assert bool(hits) is reported


SNS_HEREDOC = """
resource "aws_sns_topic_policy" "alerts" {{
  arn    = aws_sns_topic.alerts.arn
  policy = <<POLICY
{{
  "Version": "2012-10-17",
  "Statement": [
    {{
      "Effect": "Allow",
      "Principal": {principal},
      "Action": ["SNS:Publish", "SNS:Subscribe",],
      "Resource": "${{aws_sns_topic.alerts.arn}}"
    }}
  ]
}}
POLICY
}}
"""


@pytest.mark.parametrize(
    ("principal", "reported"),
    [
        ('"*"', True),
        ('{"AWS": ["arn:aws:iam::123456789012:role/ops", "*"]}', True),
        ('{"AWS": "arn:aws:iam::*:role/publisher"}', True),  # any account's role of that name
        ('{"AWS": "arn:aws:iam::123456789012:role/publisher"}', False),
        ('{"AWS": "${aws_iam_role.publisher.arn}"}', False),  # unknown: never a finding
    ],
)
def test_heredoc_policy_with_interpolations_and_a_trailing_comma(
    principal: str, reported: bool
) -> None:
    # the heredoc holds "${...}" (unknown) and a trailing comma (invalid JSON, but what the
    # author meant): the known parts are still read
    text = SNS_HEREDOC.format(principal=principal)
    hits = findings(scan_family("tf", text), "tf/aws-sns-policy-public")
    assert bool(hits) is reported


def test_heredoc_policy_keeps_known_parts_and_gives_up_on_other_templates() -> None:
    doc = heredoc_policy('<<EOT\n{"Effect": "Allow", "Resource": "${aws_s3_bucket.b.arn}/*",}\nEOT')
    assert doc == {"Effect": "Allow", "Resource": Expr("${...}/*")}
    assert heredoc_policy('<<EOT\n{"Statement": ${jsonencode(local.s)}}\nEOT') is None
    assert heredoc_policy("<<EOT\n#!/bin/sh\necho ${var.name}\nEOT") is None
    assert heredoc_policy('<<EOT\n%{ for s in var.l }"${s}"%{ endfor }\nEOT') is None
    assert heredoc_policy('"${var.x}"') is None  # not a heredoc
    assert loads_policy('{"a": [1, 2,], "b": "x,]",}') == {"a": [1, 2], "b": "x,]"}


@given(st.text(max_size=200))
@settings(max_examples=200, deadline=None)
def test_heredoc_policy_never_raises(body: str) -> None:
    doc = heredoc_policy("<<EOT\n" + body + "\nEOT")
    assert doc is None or isinstance(doc, dict | list | str | int | float | bool | Expr)


ELB_POLICY = """
resource "aws_load_balancer_policy" "tls" {{
  load_balancer_name = aws_elb.front.name
  policy_name        = "front-tls"
  policy_type_name   = "SSLNegotiationPolicyType"
  policy_attribute {{
    name  = "{name}"
    value = {value}
  }}
}}
"""


@pytest.mark.parametrize(
    ("name", "value", "rule", "reported"),
    [
        ("Protocol-TLSv1", '"true"', "tf/aws-elb-policy-outdated-tls", True),
        ("Protocol-SSLv3", "true", "tf/aws-elb-policy-outdated-tls", True),  # a bool
        ("Protocol-TLSv1.2", '"true"', "tf/aws-elb-policy-outdated-tls", False),
        (
            "Reference-Security-Policy",
            '"ELBSecurityPolicy-2016-08"',
            "tf/aws-elb-policy-outdated-tls",
            True,
        ),
        (
            "Reference-Security-Policy",
            '"ELBSecurityPolicy-TLS-1-2-2017-01"',
            "tf/aws-elb-policy-outdated-tls",
            False,
        ),
        ("RC4-SHA", '"true"', "tf/aws-elb-policy-weak-cipher", True),
        ("EDH-RSA-DES-CBC3-SHA", '"true"', "tf/aws-elb-policy-weak-cipher", True),
        ("ECDHE-ECDSA-AES128-GCM-SHA256", '"true"', "tf/aws-elb-policy-weak-cipher", False),
        ("RC4-SHA", '"false"', "tf/aws-elb-policy-weak-cipher", False),
    ],
)
def test_classic_load_balancer_ssl_policy(name: str, value: str, rule: str, reported: bool) -> None:
    hits = findings(scan_family("tf", ELB_POLICY.format(name=name, value=value)), rule)
    assert bool(hits) is reported


@pytest.mark.parametrize(
    ("text", "reported"),
    [
        (  # provider 3.x inline grant to everyone
            'resource "aws_s3_bucket" "site" {\n  bucket = "site"\n'
            '  grant {\n    type        = "Group"\n    permissions = ["READ"]\n'
            '    uri         = "http://acs.amazonaws.com/groups/global/AllUsers"\n  }\n}\n',
            True,
        ),
        (  # provider 4.x access control policy: any AWS account may read the ACL
            'resource "aws_s3_bucket_acl" "site" {\n  bucket = aws_s3_bucket.site.id\n'
            "  access_control_policy {\n    grant {\n      grantee {\n"
            '        type = "Group"\n'
            '        uri  = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"\n'
            '      }\n      permission = "READ_ACP"\n    }\n'
            "    owner {\n      id = data.aws_canonical_user_id.current.id\n    }\n  }\n}\n",
            True,
        ),
        (  # the log-delivery group is not the public
            'resource "aws_s3_bucket_acl" "logs" {\n  bucket = aws_s3_bucket.logs.id\n'
            "  access_control_policy {\n    grant {\n      grantee {\n"
            '        type = "Group"\n'
            '        uri  = "http://acs.amazonaws.com/groups/s3/LogDelivery"\n'
            '      }\n      permission = "WRITE"\n    }\n'
            "    owner {\n      id = data.aws_canonical_user_id.current.id\n    }\n  }\n}\n",
            False,
        ),
    ],
)
def test_public_s3_grants(text: str, reported: bool) -> None:
    assert bool(findings(scan_family("tf", text), "tf/aws-s3-public-acl")) is reported


@pytest.mark.parametrize(
    ("text", "reported"),
    [
        (
            'resource "aws_iam_role" "ops" {\n  name = "ops"\n'
            "  assume_role_policy  = data.aws_iam_policy_document.ops.json\n"
            '  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]\n}\n',
            True,
        ),
        (
            'resource "aws_ssoadmin_managed_policy_attachment" "admins" {\n'
            "  instance_arn       = local.sso_instance\n"
            '  managed_policy_arn = "arn:aws-us-gov:iam::aws:policy/AdministratorAccess"\n'
            "  permission_set_arn = aws_ssoadmin_permission_set.admins.arn\n}\n",
            True,
        ),
        (
            'resource "aws_iam_user_policy_attachment" "ro" {\n  user = "auditor"\n'
            '  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"\n}\n',
            False,
        ),
    ],
)
def test_administrator_access_attached(text: str, reported: bool) -> None:
    hits = findings(scan_family("tf", text), "tf/aws-iam-admin-policy-attached")
    assert bool(hits) is reported


@pytest.mark.parametrize(
    ("cidrs", "reported"),
    [
        ("[]", True),  # an empty list leaves the API's default: 0.0.0.0/0
        ('["0.0.0.0/0"]', True),
        ('["203.0.113.0/24"]', False),
        ("var.admin_cidrs", False),  # unknown: never a finding
    ],
)
def test_eks_public_access_cidrs(cidrs: str, reported: bool) -> None:
    text = (
        'resource "aws_eks_cluster" "main" {\n  name     = "main"\n'
        "  role_arn = aws_iam_role.eks.arn\n  vpc_config {\n"
        f"    subnet_ids          = var.subnets\n    public_access_cidrs = {cidrs}\n  }}\n}}\n"
    )
    assert bool(findings(scan_family("tf", text), "tf/aws-eks-public-endpoint")) is reported


SQS_POLICY = """
resource "aws_sqs_queue_policy" "jobs" {{
  queue_url = aws_sqs_queue.jobs.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Principal = "*"
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.jobs.arn
      Condition = {condition}
    }}]
  }})
}}
"""


@pytest.mark.parametrize(
    ("condition", "reported"),
    [
        ('{ Bool = { "aws:SecureTransport" = "true" } }', True),  # HTTPS only, still anyone
        ('{ StringEquals = { "aws:username" = "ci" } }', True),  # a name any account can have
        ('{ StringEquals = { "aws:PrincipalOrgID" = "o-a1b2c3d4e5" } }', False),
        ('{ ArnEquals = { "aws:SourceArn" = aws_sns_topic.events.arn } }', False),
        ("var.queue_condition", False),  # unknown: never a finding
        # a scoping key matched against a pattern that matches anything scopes nothing
        ('{ StringLike = { "aws:SourceAccount" = "*" } }', True),
        ('{ ArnLike = { "aws:SourceArn" = "*" } }', True),
        ('{ ArnEquals = { "aws:SourceArn" = ["arn:aws:*"] } }', True),
        ('{ StringLike = { "aws:SourceArn" = ["arn:aws:sns:*:1111:t", "*"] } }', True),
        ('{ StringLike = { "aws:SourceArn" = "arn:aws:sns:*:111122223333:*" } }', False),
        ('{ StringEquals = { "aws:SourceAccount" = "*" } }', False),  # literal: no account
    ],
)
def test_conditions_that_do_not_narrow_the_principal(condition: str, reported: bool) -> None:
    text = SQS_POLICY.format(condition=condition)
    assert bool(findings(scan_family("tf", text), "tf/aws-sqs-policy-public")) is reported


@pytest.mark.parametrize(
    ("setting", "reported"),
    [
        ("", True),
        ("  publicly_accessible = true\n", True),
        ("  publicly_accessible = false\n", False),
    ],
)
def test_a_dms_instance_is_public_unless_it_says_otherwise(setting: str, reported: bool) -> None:
    """Review (session 13): CreateReplicationInstance's default is public, and the provider's
    publicly_accessible is Optional+Computed: left out, the instance is public (the
    CloudFormation form already said so)."""
    text = (
        'resource "aws_dms_replication_instance" "m" {\n'
        '  replication_instance_id    = "m"\n'
        '  replication_instance_class = "dms.t3.medium"\n'
        f"{setting}}}\n"
    )
    assert bool(findings(scan_family("tf", text), "tf/aws-dms-instance-public")) is reported


def test_unscoped_condition() -> None:
    assert unscoped_condition(None) and unscoped_condition({})
    assert unscoped_condition({"Bool": {"aws:SecureTransport": "false"}})
    assert unscoped_condition({"StringLike": {"aws:PrincipalTag/team": "ops", "s3:x-amz-acl": "x"}})
    assert not unscoped_condition({"StringEquals": {"aws:SourceVpce": "vpce-1"}})
    # session 12's review: a wildcard value of a scoping key is no restriction
    assert unscoped_condition({"StringLike": {"aws:SourceAccount": "*"}})
    assert unscoped_condition({"ArnLike": {"aws:SourceArn": "*"}})
    assert unscoped_condition({"ArnLikeIfExists": {"aws:SourceArn": "arn:*:*:*:*:*"}})
    assert unscoped_condition({"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": ["**"]}})
    assert not unscoped_condition({"StringEquals": {"aws:SourceAccount": "*"}})
    assert not unscoped_condition({"ArnLike": {"aws:SourceArn": "arn:aws:sns:*:1111:*"}})
    assert not unscoped_condition({"StringLike": {"aws:SourceAccount": "*", "aws:SourceVpce": "v"}})
    assert not unscoped_condition({"StringLike": {"aws:SourceAccount": 7}})
    assert not unscoped_condition({"Bool": {}})
    assert not unscoped_condition("${var.c}")


NOT_PRINCIPAL_TF = """
resource "aws_sqs_queue_policy" "jobs" {{
  queue_url = aws_sqs_queue.jobs.id
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{
      Effect       = "{effect}"
      NotPrincipal = {{ AWS = ["arn:aws:iam::111122223333:root"] }}
      Action       = "sqs:SendMessage"
      Resource     = aws_sqs_queue.jobs.arn
    }}]
  }})
}}
"""

NOT_PRINCIPAL_CFN = """Resources:
  JobsPolicy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Jobs]
      PolicyDocument:
        Statement:
          - Effect: {effect}
            NotPrincipal:
              AWS: ["111122223333"]
            Action: ["sqs:SendMessage"]
            Resource: !GetAtt Jobs.Arn
"""


@pytest.mark.parametrize(("effect", "reported"), [("Allow", True), ("Deny", False)])
def test_allow_with_not_principal_is_public(effect: str, reported: bool) -> None:
    """Allow + NotPrincipal grants everyone but the listed principals (session 12, KICS)."""
    tf = findings(
        scan_family("tf", NOT_PRINCIPAL_TF.format(effect=effect)), "tf/aws-sqs-policy-public"
    )
    cfn = findings(
        scan_family("cfn", NOT_PRINCIPAL_CFN.format(effect=effect)), "cfn/aws-sqs-policy-public"
    )
    assert bool(tf) is reported and bool(cfn) is reported
    if reported:
        assert cfn[0].location.start_line == 9  # the NotPrincipal key


def test_bucket_policy_allow_with_not_principal_is_public() -> None:
    text = """
resource "aws_s3_bucket_policy" "site" {
  bucket = aws_s3_bucket.site.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect       = "Allow"
      NotPrincipal = { AWS = "arn:aws:iam::111122223333:role/admin" }
      Action       = "s3:GetObject"
      Resource     = "${aws_s3_bucket.site.arn}/*"
    }]
  })
}
"""
    assert findings(scan_family("tf", text), "tf/aws-s3-public-policy")


METHOD_SETTINGS = """
resource "aws_api_gateway_method_settings" "m" {{
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "{path}"
  settings {{
    metrics_enabled = true
    {level}
  }}
}}
"""


@pytest.mark.parametrize(
    ("path", "level", "reported"),
    [
        ("*/*", 'logging_level = "OFF"', True),
        ("*/*", 'logging_level = ""', True),  # empty is OFF
        ("*/*", "", True),  # stage-wide settings without a level: API Gateway's default, OFF
        ("users/GET", "", False),  # one method's settings: the stage's level may apply
        ("*/*", 'logging_level = "ERROR"', False),
        ("*/*", "logging_level = var.level", False),
    ],
)
def test_api_gateway_execution_logging_forms(path: str, level: str, reported: bool) -> None:
    text = METHOD_SETTINGS.format(path=path, level=level)
    hits = findings(scan_family("tf", text), "tf/aws-apigateway-execution-logging-disabled")
    assert bool(hits) is reported


SG_INGRESS = """
resource "aws_security_group" "svc" {{
  name   = "svc"
  vpc_id = aws_vpc.main.id
  ingress {{
    description = "svc"
    from_port   = {lo}
    to_port     = {hi}
    protocol    = "{proto}"
    cidr_blocks = ["{cidr}"]
  }}
}}
"""


@pytest.mark.parametrize(
    ("lo", "hi", "proto", "cidr", "reported"),
    [
        (9000, 9000, "tcp", "0.0.0.0/0", True),
        (9000, 9000, "tcp", "10.0.0.1/0", True),  # any spelling of a /0
        (150, 180, "tcp", "0.0.0.0/0", True),  # a range
        (-1, -1, "icmp", "0.0.0.0/0", True),
        (8125, 8125, "udp", "0.0.0.0/0", True),
        (443, 443, "tcp", "0.0.0.0/0", False),  # a web front end
        (22, 22, "tcp", "0.0.0.0/0", False),  # tf/aws-sg-open-ssh says so
        (5432, 5432, "tcp", "0.0.0.0/0", False),  # tf/aws-sg-open-sensitive-port says so
        (0, 0, "-1", "0.0.0.0/0", False),  # tf/aws-sg-open-all-ports says so
        (9000, 9000, "tcp", "10.20.0.0/16", False),
    ],
)
def test_security_group_non_web_port_from_internet(
    lo: int, hi: int, proto: str, cidr: str, reported: bool
) -> None:
    text = SG_INGRESS.format(lo=lo, hi=hi, proto=proto, cidr=cidr)
    hits = findings(scan_family("tf", text), "tf/aws-sg-ingress-from-internet")
    assert [f.location.start_line for f in hits] == ([10] if reported else [])


def test_security_group_rule_resources_and_cloudformation_non_web_port() -> None:
    tf = """
resource "aws_vpc_security_group_ingress_rule" "metrics" {
  security_group_id = aws_security_group.svc.id
  ip_protocol       = "tcp"
  from_port         = 9100
  to_port           = 9100
  cidr_ipv4         = "0.0.0.0/0"
}
"""
    assert findings(scan_family("tf", tf), "tf/aws-sg-ingress-from-internet")
    cfn = """Resources:
  Hadoop:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: hadoop
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 80
          ToPort: 80
          CidrIp: 0.0.0.0/0
        - IpProtocol: tcp
          FromPort: 9000
          ToPort: 9000
          CidrIp: 10.0.0.1/0
"""
    hits = findings(scan_family("cfn", cfn), "cfn/aws-sg-ingress-from-internet")
    assert [f.location.start_line for f in hits] == [14]


RDS_MODULE = """
module "db" {{
  source  = "{source}"
  version = "~> 6.0"

  identifier     = "orders"
  engine         = "postgres"
  engine_version = "16.4"
  instance_class = "db.t4g.large"
{inputs}
}}
"""


@pytest.mark.parametrize(
    ("source", "inputs", "rule", "line"),
    [
        ("terraform-aws-modules/rds/aws", "  publicly_accessible = true", "tf/aws-rds-public", 10),
        (
            "terraform-aws-modules/rds/aws",
            "  storage_encrypted = false",
            "tf/aws-rds-unencrypted",
            10,
        ),
        (
            "git::https://github.com/terraform-aws-modules/terraform-aws-rds.git?ref=v6.10.0",
            "  publicly_accessible = true",
            "tf/aws-rds-public",
            10,
        ),
        ("terraform-aws-modules/rds/aws", "", "tf/aws-rds-unencrypted", None),  # module default
        (
            "terraform-aws-modules/rds/aws",
            "  publicly_accessible = false",
            "tf/aws-rds-public",
            None,
        ),
        ("./modules/rds", "  publicly_accessible = true", "tf/aws-rds-public", None),  # not read
        ("acme/rds/aws", "  publicly_accessible = true", "tf/aws-rds-public", None),
    ],
)
def test_registry_module_inputs_are_read_as_the_resource(
    source: str, inputs: str, rule: str, line: int | None
) -> None:
    """Session 12 (KICS): a terraform-aws-modules call is read as the resource it configures;
    an input left out takes the module's default, unknown where it differs from the
    resource's (storage_encrypted), so no rule decides on it."""
    items = scan_family("tf", RDS_MODULE.format(source=source, inputs=inputs))
    hits = findings(items, rule)
    assert [f.location.start_line for f in hits] == ([line] if line else [])
    if hits:
        assert "module.db" in hits[0].message


def test_registry_module_object_inputs_are_nested_blocks() -> None:
    text = """
module "web" {
  source  = "terraform-aws-modules/ec2-instance/aws"
  version = "~> 5.0"

  name          = "web"
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.micro"
  root_block_device = [{
    volume_size = 20
    encrypted   = false
  }]
}

module "batch" {
  source  = "terraform-aws-modules/ec2-instance/aws"
  name          = "batch"
  instance_type = "t3.micro"
  metadata_options = {
    http_tokens = "optional"
  }
}
"""
    items = scan_family("tf", text)
    root = findings(items, "tf/aws-instance-root-unencrypted")
    assert [f.location.start_line for f in root] == [9, 15]  # batch: the AMI's unencrypted root
    imds = findings(items, "tf/aws-imdsv1-allowed")
    assert len(imds) == 1 and "module.batch" in imds[0].message  # web: the module's default


def test_registry_s3_module_public_acl_and_access_block() -> None:
    text = """
module "site" {
  source = "terraform-aws-modules/s3-bucket/aws"

  bucket                  = "acme-site"
  acl                     = "public-read"
  restrict_public_buckets = false
}
"""
    items = scan_family("tf", text)
    assert findings(items, "tf/aws-s3-public-acl")
    assert [
        f.location.start_line for f in findings(items, "tf/aws-s3-restrict-public-buckets-disabled")
    ] == [7]
    for left_out in ("block-public-acls", "block-public-policy", "ignore-public-acls"):
        assert not findings(items, f"tf/aws-s3-{left_out}-disabled")  # module defaults


_GOLDEN_AMI = """resource "aws_ami" "golden" {
  name             = "golden"
  root_device_name = "/dev/xvda"
  %s
  ebs_block_device {
    device_name = "/dev/xvda"
    snapshot_id = "snap-0123456789abcdef0"
  }
}
"""


@pytest.mark.parametrize(
    ("imds", "launch", "lines"),
    [
        ('imds_support = "v2.0"', "", []),  # the AMI requires IMDSv2 of its instances
        ('imds_support = "v2.0"', 'metadata_options {\n    http_tokens = "optional"\n  }', [14]),
        ("", "", [10]),  # an AMI without imds_support: the launch default, IMDSv1 allowed
        ("imds_support = var.imds", "", []),  # unknown: may require IMDSv2, never a finding
    ],
)
def test_instance_from_an_imdsv2_only_ami(imds: str, launch: str, lines: list[int]) -> None:
    text = (
        _GOLDEN_AMI % imds
        + 'resource "aws_instance" "web" {\n'
        + "  ami           = aws_ami.golden.id\n"
        + '  instance_type = "t3.micro"\n'
        + f"  {launch}\n"
        + "}\n"
    )
    got = [
        f.location.start_line for f in findings(scan_family("tf", text), "tf/aws-imdsv1-allowed")
    ]
    assert got == lines


def test_launch_template_from_an_imdsv2_only_ami_and_an_ami_it_does_not_name() -> None:
    text = (
        _GOLDEN_AMI % 'imds_support = "v2.0"'
        + 'resource "aws_launch_template" "web" {\n'
        + '  name     = "web"\n'
        + "  image_id = aws_ami.golden[0].id\n"
        + "}\n"
        + 'resource "aws_instance" "other" {\n'
        + '  ami           = "ami-0c55b159cbfafe1f0"\n'
        + '  instance_type = "t3.micro"\n'
        + "}\n"
    )
    got = [
        f.location.start_line for f in findings(scan_family("tf", text), "tf/aws-imdsv1-allowed")
    ]
    assert got == [14]


@pytest.mark.parametrize(
    ("kind", "logs", "reported"),
    [
        ("aws_lb", 'bucket = "acme-lb-logs"', True),  # enabled defaults to false on ELBv2
        ("aws_alb", 'bucket = "acme-lb-logs"\n    prefix = "front"', True),
        ("aws_lb", 'bucket = "acme-lb-logs"\n    enabled = false', True),
        ("aws_lb", 'bucket = "acme-lb-logs"\n    enabled = true', False),
        ("aws_elb", 'bucket = "acme-lb-logs"', False),  # the classic one defaults to true
        ("aws_elb", 'bucket = "acme-lb-logs"\n    enabled = false', True),
    ],
)
def test_load_balancer_access_logs_enabled_default(kind: str, logs: str, reported: bool) -> None:
    listener = (
        '  listener {\n    instance_port = 8080\n    instance_protocol = "http"\n'
        '    lb_port = 80\n    lb_protocol = "http"\n  }\n'
        if kind == "aws_elb"
        else ""
    )
    text = (
        f'resource "{kind}" "front" {{\n  name = "front"\n  subnets = ["subnet-0a1"]\n'
        f"{listener}  access_logs {{\n    {logs}\n  }}\n}}\n"
    )
    hits = findings(scan_family("tf", text), "tf/aws-lb-access-logs-disabled")
    assert bool(hits) == reported


@pytest.mark.parametrize(
    ("version", "extra", "reported"),
    [
        ('"3.7.0"', "", True),  # before 3.9.0 the four settings defaulted to false
        ('"~> 3.7.0"', "", True),
        ('">= 3.0, < 3.9"', "", True),
        ('"3.15.2"', "", False),  # true since 3.9.0
        ('"~> 4.0"', "", False),
        ('"~> 3.0"', "", False),  # 3.0 to 3.x: either side, unknown
        ("", "", False),  # no constraint: unknown
        ('"3.7.0"', "  restrict_public_buckets = true\n", False),
        ('"3.7.0"', "  attach_public_policy = false\n", False),  # the module makes no block
    ],
)
def test_registry_s3_module_public_access_block_defaults_by_version(
    version: str, extra: str, reported: bool
) -> None:
    """Session 13: terraform-aws-modules/s3-bucket's public access block inputs were false
    by default until 3.9.0 (its CHANGELOG), true since; the call's version says which."""
    text = (
        'module "site" {\n  source  = "terraform-aws-modules/s3-bucket/aws"\n'
        + (f"  version = {version}\n" if version else "")
        + f'  bucket  = "acme-site"\n{extra}}}\n'
    )
    items = scan_family("tf", text)
    got = findings(items, "tf/aws-s3-restrict-public-buckets-disabled")
    assert bool(got) is reported
    if reported:
        assert got[0].location.start_line == 1 and "module.site" in got[0].message
        assert findings(items, "tf/aws-s3-block-public-acls-disabled")


def test_module_version_constraints() -> None:
    from pipesec.scanners.iac.tf_registry import version_side

    pivot = (3, 9, 0)
    assert version_side("3.9.0", pivot) is True
    assert version_side("3.8.9", pivot) is False
    assert version_side("~> 3.8", pivot) is None  # 3.8 to 3.x
    assert version_side("~> 3.8.0", pivot) is False
    assert version_side("<= 3.8.2", pivot) is False
    assert version_side("> 3.9.0", pivot) is True
    assert version_side("!= 3.9.0", pivot) is None
    assert version_side(">= 3.0, latest", pivot) is None
    assert version_side(None, pivot) is None


@pytest.mark.parametrize(
    ("extra", "reported"),
    [
        ("", True),  # Redshift writes no audit log unless told to
        ('  logging {\n    enable      = false\n    bucket_name = "acme-logs"\n  }\n', True),
        ('  logging {\n    enable      = true\n    bucket_name = "acme-logs"\n  }\n', False),
        ("  logging {\n    enable = var.audit\n  }\n", False),  # unknown: not judged
    ],
)
def test_redshift_audit_logging_inline_block(extra: str, reported: bool) -> None:
    text = (
        'resource "aws_redshift_cluster" "dw" {\n  cluster_identifier = "dw"\n'
        '  node_type = "ra3.xlplus"\n  encrypted = true\n' + extra + "}\n"
    )
    hits = findings(scan_family("tf", text), "tf/aws-redshift-logging-disabled")
    assert bool(hits) == reported


def test_redshift_audit_logging_companion_names_another_cluster() -> None:
    text = (
        'resource "aws_redshift_cluster" "dw" {\n  cluster_identifier = "dw"\n'
        '  node_type = "ra3.xlplus"\n}\n\n'
        'resource "aws_redshift_cluster" "etl" {\n  cluster_identifier = "etl"\n'
        '  node_type = "ra3.xlplus"\n}\n\n'
        'resource "aws_redshift_logging" "dw" {\n'
        "  cluster_identifier   = aws_redshift_cluster.dw.id\n"
        '  log_destination_type = "cloudwatch"\n'
        '  log_exports          = ["connectionlog", "userlog", "useractivitylog"]\n}\n'
    )
    hits = findings(scan_family("tf", text), "tf/aws-redshift-logging-disabled")
    assert [h.message for h in hits] == ["aws_redshift_cluster.etl has no audit logging"]


@pytest.mark.parametrize(
    ("body", "reported"),
    [
        ("  vpc_id = aws_vpc.main.id\n", False),  # no rules: the provider removes them all
        ("  vpc_id  = aws_vpc.main.id\n  ingress = []\n  egress  = []\n", False),
        (
            "  vpc_id = aws_vpc.main.id\n  egress {\n    from_port = 0\n    to_port = 0\n"
            '    protocol = "-1"\n    cidr_blocks = ["10.0.0.0/8"]\n  }\n',
            True,  # any rule, not only an open one (CIS 5.4)
        ),
        (
            "  vpc_id = aws_vpc.main.id\n"
            '  dynamic "ingress" {\n    for_each = []\n    content {\n'
            "      from_port = ingress.value\n      to_port = ingress.value\n"
            '      protocol = "tcp"\n    }\n  }\n',
            False,  # a dynamic block over an empty list makes no rule
        ),
    ],
)
def test_default_security_group_rules(body: str, reported: bool) -> None:
    text = f'resource "aws_default_security_group" "default" {{\n{body}}}\n'
    hits = findings(scan_family("tf", text), "tf/aws-default-sg-allows-traffic")
    assert bool(hits) == reported


@pytest.mark.parametrize(
    ("arn", "rule"),
    [
        ("arn:aws:iam::aws:policy/PowerUserAccess", "tf/aws-iam-broad-managed-policy-attached"),
        (
            "arn:aws-us-gov:iam::aws:policy/IAMFullAccess",
            "tf/aws-iam-broad-managed-policy-attached",
        ),
        ("arn:aws:iam::aws:policy/AdministratorAccess", "tf/aws-iam-admin-policy-attached"),
        ("arn:aws:iam::aws:policy/ReadOnlyAccess", None),
        ("arn:aws:iam::123456789012:policy/PowerUserAccess", None),  # a customer policy
    ],
)
def test_broad_managed_policies_one_rule_each(arn: str, rule: str | None) -> None:
    text = (
        'resource "aws_iam_role" "ci" {\n  name = "ci"\n'
        "  assume_role_policy = data.aws_iam_policy_document.ci.json\n"
        f'  managed_policy_arns = ["{arn}"]\n}}\n'
    )
    got = {
        f.rule_id
        for f in findings(scan_family("tf", text))
        if "managed-policy" in f.rule_id or "admin-policy" in f.rule_id
    }
    assert got == ({rule} if rule else set())


@pytest.mark.parametrize(
    ("ca", "reported"),
    [
        ("rds-ca-2015", True),
        ("RDS-CA-2019", True),
        ("rds-ca-rsa2048-g1", False),
        ("rds-ca-ecc384-g1", False),
    ],
)
def test_rds_certificate_authority(ca: str, reported: bool) -> None:
    tf = (
        'resource "aws_rds_cluster_instance" "a" {\n  identifier = "a"\n'
        f'  ca_cert_identifier = "{ca}"\n}}\n'
    )
    cfn = (
        "Resources:\n  Docs:\n    Type: AWS::DocDB::DBInstance\n    Properties:\n"
        f"      DBClusterIdentifier: docs\n      DBInstanceClass: db.r6g.large\n"
        f"      CACertificateIdentifier: {ca}\n"
    )
    assert bool(findings(scan_family("tf", tf), "tf/aws-rds-ca-cert-outdated")) == reported
    assert bool(findings(scan_family("cfn", cfn), "cfn/aws-rds-ca-cert-outdated")) == reported


@pytest.mark.parametrize(
    ("statement", "reported"),
    [
        ('{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:iot:eu-west-1:1:topic/a"}', True),
        ('{"Effect": "Allow", "Action": ["iot:Publish"], "Resource": ["*"]}', True),
        ('{"Effect": "Deny", "Action": "iot:*", "Resource": "*"}', False),
        (
            '{"Effect": "Allow", "Action": "iot:Connect",'
            ' "Resource": "arn:aws:iot:eu-west-1:1:client/${iot:Connection.Thing.ThingName}"}',
            False,
        ),
    ],
)
def test_iot_policy_written_as_a_json_heredoc(statement: str, reported: bool) -> None:
    text = (
        'resource "aws_iot_policy" "device" {\n  name = "device"\n  policy = <<EOT\n'
        '{"Version": "2012-10-17", "Statement": [' + statement.replace("${", "$${") + "]}\nEOT\n}\n"
    )
    hits = findings(scan_family("tf", text), "tf/aws-iot-policy-wildcard")
    assert bool(hits) == reported


@pytest.mark.parametrize(
    ("attributes", "rules"),
    [
        (
            [("Protocol-TLSv1", "true"), ("DHE-DSS-DES-CBC3-SHA", "true")],
            {"cfn/aws-elb-policy-outdated-tls", "cfn/aws-elb-policy-weak-cipher"},
        ),
        ([("Protocol-TLSv1", "false"), ("ECDHE-RSA-AES128-GCM-SHA256", "true")], set()),
        (
            [("Reference-Security-Policy", "ELBSecurityPolicy-TLS-1-1-2017-01")],
            {"cfn/aws-elb-policy-outdated-tls"},
        ),
    ],
)
def test_classic_load_balancer_ssl_policy_in_cloudformation(
    attributes: list[tuple[str, str]], rules: set[str]
) -> None:
    attrs = "".join(
        f'              - Name: {n}\n                Value: "{v}"\n' for n, v in attributes
    )
    text = (
        "Resources:\n  Front:\n    Type: AWS::ElasticLoadBalancing::LoadBalancer\n"
        "    Properties:\n      AvailabilityZones: [eu-west-1a]\n      Listeners:\n"
        "        - {LoadBalancerPort: '443', InstancePort: '80', Protocol: HTTPS,"
        " SSLCertificateId: arn:aws:acm:eu-west-1:1:certificate/x, PolicyNames: [tls]}\n"
        "      Policies:\n        - PolicyName: tls\n"
        "          PolicyType: SSLNegotiationPolicyType\n"
        "          Attributes:\n" + attrs
    )
    got = {f.rule_id for f in findings(scan_family("cfn", text)) if "elb-policy" in f.rule_id}
    assert got == rules
