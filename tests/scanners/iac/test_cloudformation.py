"""CloudFormation templates: the parser (short-form tags, JSON with positions, intrinsic
functions), the scanner's routing, a realistic fixture and hostile input. Every rule's own
examples run in test_rules.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.scanners.iac.helpers import errors, findings, scan_family

from pipesec.core.model import Finding, ScanError
from pipesec.core.scanner import ScannerSettings
from pipesec.core.workspace import Workspace
from pipesec.scanners.iac import IacScanner, kind_of
from pipesec.scanners.iac.cfn import CfnError, load_json, load_yaml, parse
from pipesec.scanners.iac.cfn_rules import scan_template
from pipesec.scanners.iac.hcl import Expr

FIXTURE = Path(__file__).parents[2] / "fixtures" / "iac" / "cloudformation"

TAGS = """\
Resources:
  R:
    Type: AWS::SNS::Topic
    Properties:
      A: !Ref Param
      B: !GetAtt Res.Arn
      C: !GetAtt [Res, Outputs.Url]
      D: !Sub "${AWS::Region}-x"
      E: !Join ["-", [a, !Ref Param]]
      F: !If [Cond, 1, 2]
      G: !Select [0, !GetAZs ""]
      H: !Split [",", "a,b"]
      I: !FindInMap [M, K1, K2]
      J: !ImportValue shared
      K: !Base64 text
      L: !Cidr [10.0.0.0/16, 2, 8]
      M: !Equals [a, b]
      N: !And [!Condition C1, !Not [!Or [!Condition C2]]]
      O: !Transform {Name: AWS::Include}
"""


def test_short_form_tags_load_as_the_long_form() -> None:
    doc = load_yaml(TAGS)
    assert doc is not None
    props = doc.get("Resources", "R", "Properties")
    assert props is not None
    plain = props.plain()
    assert plain["A"] == {"Ref": "Param"}
    assert plain["B"] == {"Fn::GetAtt": ["Res", "Arn"]}
    assert plain["C"] == {"Fn::GetAtt": ["Res", "Outputs.Url"]}
    assert plain["D"] == {"Fn::Sub": "${AWS::Region}-x"}
    assert plain["E"] == {"Fn::Join": ["-", ["a", {"Ref": "Param"}]]}
    assert plain["G"] == {"Fn::Select": [0, {"Fn::GetAZs": ""}]}
    assert plain["N"] == {
        "Fn::And": [{"Condition": "C1"}, {"Fn::Not": [{"Fn::Or": [{"Condition": "C2"}]}]}]
    }
    for key, fn in (("F", "Fn::If"), ("I", "Fn::FindInMap"), ("J", "Fn::ImportValue")):
        assert list(plain[key]) == [fn]
    for key, fn in (("K", "Fn::Base64"), ("L", "Fn::Cidr"), ("M", "Fn::Equals")):
        assert list(plain[key]) == [fn]
    assert list(plain["O"]) == ["Fn::Transform"]
    # every value keeps its line: the tag's
    a = props.get("A")
    assert a is not None and a.at == (5, 7)


def test_json_keeps_positions_and_equals_the_standard_parser() -> None:
    text = '{\n  "a": [1, 2.5, true, null],\n  "b": {"c": "x\\u00e9"}\n}'
    doc = load_json(text)
    assert doc.plain() == json.loads(text)
    b = doc.get("b", "c")
    assert b is not None and b.at == (3, 9) and (b.line, b.column) == (3, 14)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('{"a": }', 1),
        ('{"a": 1,\n "b" 2}', 2),
        ('{"a": 1} trailing', 1),
        ("[1, 2", 1),
        ('{"a": "unterminated}', 1),
    ],
)
def test_invalid_json_is_one_error_with_its_line(text: str, line: int) -> None:
    with pytest.raises(CfnError) as exc:
        load_json(text)
    assert exc.value.message.startswith("invalid JSON") and exc.value.line == line


def _resolved(props: str, head: str = "") -> dict[str, Any]:
    text = head + "Resources:\n  R:\n    Type: AWS::SNS::Topic\n    Properties:\n" + props
    t = parse("t.yaml", text)
    assert t is not None
    return t.resources[0].resolved()


def test_intrinsics_resolve_when_their_inputs_are_known() -> None:
    head = """\
Parameters:
  Env: {Type: String, Default: prod}
  Open: {Type: String, Default: "true"}
  Zones: {Type: CommaDelimitedList, Default: "a,b"}
  NoDefault: {Type: String}
Conditions:
  Literal: !Equals [x, x]
  FromParam: !Equals [!Ref Env, prod]
Mappings:
  M: {K1: {K2: mapped}}
"""
    props = """\
      A: !Ref Env
      B: !Ref Open
      C: !Ref Zones
      D: !Ref NoDefault
      E: !Sub "${Env}-db"
      F: !Sub ["${X}-${Env}", {X: one}]
      G: !Sub "${AWS::Region}"
      H: !Join ["-", [a, !Ref Env]]
      I: !Select [1, !Split [",", "a,b,c"]]
      J: !FindInMap [M, K1, K2]
      K: !If [Literal, yes-branch, no-branch]
      L: !If [FromParam, yes-branch, no-branch]
      M: !If [FromParam, same, same]
      N: !Ref AWS::NoValue
      O: !GetAtt X.Arn
      P: "42"
      Q: !Sub "${!Literal}"
"""
    r = _resolved(props, head)
    assert r["A"] == "prod" and r["B"] is True and r["C"] == ["a", "b"]
    assert isinstance(r["D"], Expr) and isinstance(r["G"], Expr) and isinstance(r["O"], Expr)
    assert r["E"] == "prod-db" and r["F"] == "one-prod" and r["H"] == "a-prod"
    assert r["I"] == "b" and r["J"] == "mapped" and r["K"] == "yes-branch"
    assert isinstance(r["L"], Expr)  # a parameter's default does not decide a condition
    assert r["M"] == "same" and "N" not in r and r["P"] == 42 and r["Q"] == "${Literal}"


def test_condition_cycles_and_unknowns_stay_unknown() -> None:
    head = "Conditions:\n  A: !Condition B\n  B: !Condition A\n"
    r = _resolved("      X: !If [A, 1, 2]\n      Y: !If [Missing, 1, 2]\n", head)
    assert isinstance(r["X"], Expr) and isinstance(r["Y"], Expr)


def test_values_that_refer_to_themselves_stay_unknown() -> None:
    loop = "{Fn::FindInMap: [M, K, V]}"
    head = f"""\
Parameters:
  P: {{Type: CommaDelimitedList, Default: [{{Ref: P}}, {{Ref: P}}]}}
Mappings:
  M: {{K: {{V: [{", ".join([loop] * 8)}]}}}}
"""
    r = _resolved("      A: !Ref P\n      B: !FindInMap [M, K, V]\n", head)
    assert isinstance(r["A"], Expr) and isinstance(r["B"], Expr)


def test_resources_under_a_false_condition_are_skipped() -> None:
    text = """\
Conditions:
  Never: !Equals [a, b]
Resources:
  Off:
    Type: AWS::S3::Bucket
    Condition: Never
    Properties: {AccessControl: PublicRead}
  On:
    Type: AWS::S3::Bucket
    Properties: {AccessControl: PublicRead}
"""
    hits = findings(scan_template("t.yaml", text) or [], "cfn/aws-s3-public-acl")
    assert [f.location.start_line for f in hits] == [10]


def test_sam_globals_apply_to_functions() -> None:
    text = """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    FunctionUrlConfig: {AuthType: NONE}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: {Handler: app.handler, Runtime: python3.12}
"""
    t = parse("t.yaml", text)
    assert t is not None and t.sam
    assert t.resources[0].resolved()["FunctionUrlConfig"] == {"AuthType": "NONE"}
    hits = findings(scan_template("t.yaml", text) or [], "cfn/aws-lambda-url-no-auth")
    assert [f.location.start_line for f in hits] == [8]


def test_sam_apis_take_the_api_gateway_rules_and_their_globals() -> None:
    text = """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Api:
    TracingEnabled: true
Resources:
  Orders:
    Type: AWS::Serverless::Api
    Properties: {StageName: prod}
  Events:
    Type: AWS::Serverless::HttpApi
    Properties:
      AccessLogSettings: {DestinationArn: !GetAtt Logs.Arn, Format: $context.requestId}
"""
    got = {
        (f.rule_id, f.location.start_line) for f in findings(scan_template("t.yaml", text) or [])
    }
    assert got == {("cfn/aws-apigateway-access-logging-disabled", 8)}


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("k8s.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n"),
        ("package.json", '{"name": "x", "keywords": ["Resources", "AWS::S3::Bucket"]}'),
        ("list.yaml", "Resources: [AWS::S3::Bucket]\n"),
        ("gha.yml", "on: push\njobs: {}\n"),
    ],
)
def test_files_that_are_not_templates_are_left_alone(name: str, text: str) -> None:
    assert scan_template(name, text) is None


def test_a_broken_yaml_file_that_only_mentions_a_template_is_not_a_template_error() -> None:
    text = "kind: ConfigMap\ndata:\n  note: Resources of type AWS::S3::Bucket\n  bad: [\n"
    assert scan_template("cm.yaml", text) is None


def test_routing_by_name() -> None:
    assert kind_of("stack.json") == "json"
    assert kind_of("stack.template") == "template"
    assert kind_of("stack.yaml") == "yaml"


def test_unknown_values_never_fire() -> None:
    text = """\
Parameters:
  Cidr: {Type: String}
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: x
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref Cidr, Description: ssh}
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      StorageEncrypted: !GetAtt Config.Encrypted
      PubliclyAccessible: !ImportValue shared-public
      BackupRetentionPeriod: !If [Unknown, 0, 7]
      DeletionProtection: true
      EnableIAMDatabaseAuthentication: true
      EnableCloudwatchLogsExports: !If [Unknown, [], [postgresql]]
"""
    assert findings(scan_template("t.yaml", text) or []) == []


def test_any_zero_length_prefix_is_the_whole_internet() -> None:
    text = """\
Parameters:
  SSHLocation: {Type: String, Default: 192.168.1.0/0}
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: ssh
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref SSHLocation}
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 10.0.0.0/8}
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIpv6: "0::0/0"}
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: not-an-address/0}
"""
    hits = findings(scan_template("t.yaml", text) or [], "cfn/aws-sg-open-ssh")
    assert [(f.location.start_line, f.message) for f in hits] == [
        (9, "Sg: ssh open to 192.168.1.0/0"),
        (11, "Sg: ssh open to 0::0/0"),  # the same notion of "the internet" as Terraform's
    ]


def test_literal_secrets_but_not_references() -> None:
    pw = "Orders" + "-2024-pw!"
    text = f"""\
Parameters:
  DbPassword: {{Type: String, NoEcho: true}}
  AdminPassword: {{Type: String, NoEcho: true, Default: "{pw}x"}}
Resources:
  A:
    Type: AWS::RDS::DBCluster
    Properties:
      MasterUserPassword: !Ref DbPassword
  B:
    Type: AWS::RDS::DBCluster
    Properties:
      MasterUserPassword: "{{{{resolve:secretsmanager:db:SecretString:password}}}}"
  C:
    Type: AWS::ElastiCache::ReplicationGroup
    Properties:
      AuthToken: {pw}
  D:
    Type: AWS::CodeBuild::Project
    Properties:
      Environment:
        EnvironmentVariables:
          - {{Name: DB_PASSWORD, Type: SECRETS_MANAGER, Value: "db:password"}}
          - {{Name: API_TOKEN, Value: {pw}y}}
  E:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        UserData:
          Fn::Base64:
            Fn::Join:
              - ""
              - - "#!/bin/bash\\n"
                - "export DB_PASSWORD="
                - !Ref DbPassword
                - "\\nexport SERVICE_TOKEN={pw}z\\n"
"""
    hits = findings(scan_template("t.yaml", text) or [], "cfn/hardcoded-secret")
    assert sorted(f.location.start_line for f in hits) == [3, 16, 23, 35]
    assert all(pw not in f.snippet and "*****" in f.snippet for f in hits)


def test_fixture_templates() -> None:
    ws = Workspace(FIXTURE, use_git=False)
    items = list(IacScanner().scan(ws, ScannerSettings()))
    got = {
        (i.rule_id, i.location.path, i.location.start_line) for i in items if isinstance(i, Finding)
    }
    assert got == {
        ("cfn/aws-sg-open-ssh", "stack.yaml", 42),  # CidrIp: !Ref AdminCidr (default 0.0.0.0/0)
        ("cfn/aws-sg-rule-no-description", "stack.yaml", 34),
        ("cfn/aws-sg-rule-no-description", "network.json", 8),  # a standalone ingress rule
        ("cfn/aws-rds-backup-retention-short", "stack.yaml", 59),  # the default: one day
        ("cfn/aws-rds-backup-retention-short", "stack.yaml", 72),
        ("cfn/aws-rds-no-log-exports", "stack.yaml", 59),  # no EnableCloudwatchLogsExports
        ("cfn/aws-rds-no-log-exports", "stack.yaml", 72),
        ("cfn/hardcoded-secret", "stack.yaml", 53),  # a token in UserData
        ("cfn/aws-rds-public", "stack.yaml", 66),
        ("cfn/aws-instance-default-vpc", "stack.yaml", 46),  # no SubnetId
        ("cfn/aws-sqs-unencrypted", "stack.yaml", 85),  # !Ref EncryptQueue, default "false"
        ("cfn/aws-iam-wildcard-policy", "stack.yaml", 132),
        ("cfn/aws-sg-open-rdp", "network.json", 12),
        ("cfn/aws-ebs-unencrypted", "network.json", 20),
        ("cfn/aws-lambda-url-no-auth", "sam.yaml", 16),
        ("cfn/hardcoded-secret", "sam.yaml", 19),
        ("cfn/aws-lambda-env-no-cmk", "sam.yaml", 12),  # Globals' Environment, no KmsKeyArn
        ("cfn/aws-lambda-tracing-disabled", "sam.yaml", 12),
        ("cfn/aws-lambda-no-dlq", "sam.yaml", 12),  # no DeadLetterQueue, nor in Globals
    }
    errs = [i for i in items if isinstance(i, ScanError)]
    assert [(e.path, e.line) for e in errs] == [("broken.template", 6)]
    assert errs[0].message.startswith("CloudFormation: invalid YAML")


# -- hostile input --------------------------------------------------------------------------

BOMB = (
    'AWSTemplateFormatVersion: "2010-09-09"\n'
    'a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]\n'
    + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {Tags: *i}\n"
)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("bomb.yaml", BOMB, "YAML bomb"),
        ("deep.yaml", "Resources: " + "[" * 5000 + "AWS::S3::Bucket", "nested"),
        (
            "deep.json",
            '{"Resources": ' + "[" * 5000 + '"AWS::S3::Bucket"' + "]" * 5000 + "}",
            "nested",
        ),
        (
            "bad.json",
            '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {,}}',
            "invalid JSON",
        ),
        (
            "ctrl.yaml",
            "&a [*a]\n&a [*a]\nResources:\n  B: {Type: AWS::S3::Bucket}\n\x1f",
            "invalid YAML",
        ),
        (
            "tabs.yaml",
            "AWSTemplateFormatVersion: x\nResources:\n\tB: AWS::S3::Bucket\n",
            "invalid YAML",
        ),
    ],
)
def test_hostile_templates_are_one_error(name: str, text: str, message: str) -> None:
    items = scan_template(name, text)
    assert items is not None and len(errors(items)) == 1
    assert message in errors(items)[0].message


def test_a_template_larger_than_cloudformation_accepts_is_an_error() -> None:
    text = "AWSTemplateFormatVersion: x\nResources: {}\n" + "#" * 2_100_000
    items = scan_template("big.yaml", text)
    assert items is not None and "more than CloudFormation accepts" in errors(items)[0].message


def test_large_data_that_mentions_aws_types_is_a_note_not_an_error() -> None:
    """A 2 MB+ JSON of IAM managed policies names "Resources" and AWS:: types, but it is
    data, not a template: a note, never an exit-3 error (localstack ships such a file)."""
    from pipesec.core.model import Note

    policy = '{"Effect": "Allow", "Action": "cloudformation:ListStackResources", '
    policy += '"Resource": "arn:aws:cloudformation:*", "Condition": {"StringEquals": '
    policy += '{"aws:ResourceTag/Type": "AWS::S3::Bucket"}}}'
    text = "{" + ",".join(f'"Policy{i}": {policy}' for i in range(12_000)) + "}"
    assert len(text) > 2_000_000
    items = scan_template("aws_managed_policies.json", text)
    assert items is not None and not errors(items)
    assert [type(i) for i in items] == [Note] and "not read as CloudFormation" in items[0].message


def test_severities_equal_the_terraform_counterpart() -> None:
    rules = {r.id: r for r in IacScanner().rules()}
    cfn = [r for r in rules.values() if r.family == "cfn"]
    assert len(cfn) >= 100
    for r in cfn:
        tf = rules.get("tf/" + r.id.split("/", 1)[1])
        if tf is not None:
            assert (r.severity, r.confidence) == (tf.severity, tf.confidence), r.id


def test_invalid_utf8_and_a_template_over_the_size_limit(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_bytes(
        b"Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n"
        b"      BucketName: caf\xe9\n      AccessControl: PublicRead\n"
    )
    (tmp_path / "big.template").write_bytes(b"Resources: {}\n" + b"#" * 2_000)
    (tmp_path / "big.json").write_bytes(b'{"data": "' + b"x" * 2_000 + b'"}')
    ws = Workspace(tmp_path, use_git=False, max_file_size=1_000)
    items = list(IacScanner().scan(ws, ScannerSettings()))
    assert "cfn/aws-s3-public-acl" in {i.rule_id for i in items if isinstance(i, Finding)}
    assert [e.path for e in items if isinstance(e, ScanError)] == ["big.template"]


@settings(max_examples=40, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=8),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner),
        max_leaves=20,
    ),
    st.integers(min_value=0, max_value=2),
)
def test_fuzz_json_reader_matches_the_standard_parser(value: object, indent: int) -> None:
    text = json.dumps(value, indent=indent or None)
    assert load_json(text).plain() == json.loads(text)


_PIECES = st.sampled_from(
    [
        "Resources:\n",
        "  R:\n",
        "    Type: AWS::S3::Bucket\n",
        "    Properties:\n",
        "      A: !Ref X\n",
        "      B: !GetAtt [",
        "      C: !If [C, 1, 2]\n",
        "      D: !Sub '${X}'\n",
        "Conditions: {C: !Equals [!Ref X, a]}\n",
        "Parameters: {X: {Default: 0.0.0.0/0}}\n",
        '{"Resources": {"R": {"Type": "AWS::SQS::Queue", "Properties": ',
        '{"Fn::Join": ["", [',
        "&a [*a]\n",
        "\t",
        "}",
        "]",
    ]
)


@settings(max_examples=120, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=14), st.booleans())
def test_fuzz_templates_never_crash(pieces: list[str], as_json: bool) -> None:
    text = "".join(pieces)
    items = scan_template("t.json" if as_json else "t.yaml", text)
    for i in items or []:
        assert isinstance(i, Finding | ScanError)
        if isinstance(i, ScanError):
            assert i.message.startswith("CloudFormation: ")


def _sam(kind: str, action: str, resource: str = '"*"') -> str:
    return (
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n"
        f"    Type: AWS::Serverless::{kind}\n    Properties:\n      Policies:\n"
        "        - AWSLambdaBasicExecutionRole\n        - S3ReadPolicy:\n"
        "            BucketName: acme\n        - Statement:\n            - Effect: Allow\n"
        f"              Action: {action}\n              Resource: {resource}\n"
    )


@pytest.mark.parametrize(
    ("kind", "action", "resource", "rule"),
    [
        ("Function", "dynamodb:*", '"*"', "cfn/aws-iam-service-wildcard-policy"),
        ("StateMachine", '"*"', '"*"', "cfn/aws-iam-wildcard-policy"),
        ("Function", "dynamodb:GetItem", '"*"', None),
        ("Function", "dynamodb:*", "arn:aws:dynamodb:eu-west-1:123456789012:table/t", None),
    ],
)
def test_sam_inline_policy_statements_are_checked_for_wildcards(
    kind: str, action: str, resource: str, rule: str | None
) -> None:
    hits = [
        (f.rule_id, f.location.start_line)
        for f in findings(scan_family("cfn", _sam(kind, action, resource)))
        if "wildcard" in f.rule_id
    ]
    assert hits == ([(rule, 12)] if rule else [])


ECHOED = """\
Parameters:
  DbPassword:
    Type: String
  DbUser:
    Type: String
  CacheToken:
    Type: String
    NoEcho: true
  ApiKey:
    Type: String
    Default: FAKE_API_KEY
  KeyFromSsm:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /app/api-key
Resources:
  Database:
    Type: AWS::RDS::DBInstance
    Properties:
      MasterUsername: !Ref DbUser
      MasterUserPassword: !Ref DbPassword
  Cache:
    Type: AWS::ElastiCache::ReplicationGroup
    Properties:
      AuthToken: !Ref CacheToken
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Environment:
        Variables:
          API_KEY: !Sub "${ApiKey}"
          SERVICE_TOKEN: !Sub "${KeyFromSsm}"
          REGION: !Ref AWS::Region
  Build:
    Type: AWS::CodeBuild::Project
    Properties:
      Environment:
        EnvironmentVariables:
          - {Name: DB_PASSWORD, Value: !Ref DbPassword}
          - {Name: DB_USER, Value: !Ref DbUser}
  Broker:
    Type: AWS::AmazonMQ::Broker
    Properties:
      Users:
        - Username: admin
          Password: !Ref AWS::NoValue
""".replace("FAKE_API_KEY", "sk-live-" + "4f9a8b7c6d5e4f3a2b1c")


def test_secret_passed_through_a_parameter_without_no_echo() -> None:
    """cfn_nag's password rules fail a password taken from a parameter that is not NoEcho:
    its value is shown by the console and DescribeStacks. A NoEcho parameter, a user name, a
    pseudo parameter and a literal default (hardcoded-secret's finding) are not reported."""
    items = scan_template("t.yaml", ECHOED) or []
    hits = findings(items, "cfn/secret-parameter-echoed")
    assert sorted((f.location.start_line, f.message.split(" comes")[0]) for f in hits) == [
        (20, "Database: MasterUserPassword"),
        (31, "Fn: SERVICE_TOKEN"),
        (38, "Build: DB_PASSWORD"),
    ]
    assert all(f.severity.value == "medium" for f in hits)
    assert [f.location.start_line for f in findings(items, "cfn/hardcoded-secret")] == [11]


def test_a_parameter_that_cannot_hold_a_secret_is_not_echoed() -> None:
    """Review (session 13): ``ManageMasterUserPassword`` ends in "Password" but is a switch;
    a parameter whose values the template lists, a number or a true/false switch is no
    secret shown in clear."""
    text = (
        "Parameters:\n"
        "  UseManagedPassword:\n    Type: String\n    AllowedValues: ['true', 'false']\n"
        "  Managed:\n    Type: String\n    Default: 'true'\n"
        "  PinCode:\n    Type: Number\n"
        "  DbPassword:\n    Type: String\n    AllowedValues: []\n"
        "Resources:\n"
        "  A:\n    Type: AWS::RDS::DBInstance\n    Properties:\n"
        "      ManageMasterUserPassword: !Ref UseManagedPassword\n"
        "  B:\n    Type: AWS::RDS::DBCluster\n    Properties:\n"
        "      ManageMasterUserPassword: !Ref Managed\n"
        "  C:\n    Type: AWS::Lambda::Function\n    Properties:\n"
        "      Environment:\n        Variables:\n          PIN_PASSWORD: !Ref PinCode\n"
        "  D:\n    Type: AWS::RDS::DBInstance\n    Properties:\n"
        "      MasterUserPassword: !Ref DbPassword\n"
    )
    hits = findings(scan_template("t.yaml", text) or [], "cfn/secret-parameter-echoed")
    assert [f.message for f in hits] == [
        "D: MasterUserPassword comes from parameter DbPassword, which is not NoEcho"
    ]


def test_secret_parameter_echoed_reads_the_declaration_not_a_parent_value(tmp_path: Path) -> None:
    """A nested stack is checked again with the values its parent passes, which replace the
    parameters' declarations; NoEcho stays the child's own."""
    (tmp_path / "db.yaml").write_text(
        "Parameters:\n  DbPassword:\n    Type: String\n    NoEcho: true\nResources:\n"
        "  Database:\n    Type: AWS::RDS::DBInstance\n    Properties:\n"
        "      MasterUserPassword: !Ref DbPassword\n"
    )
    (tmp_path / "parent.yaml").write_text(
        "Resources:\n  Db:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n"
        "      TemplateURL: db.yaml\n      Parameters:\n        DbPassword: placeholder\n"
    )
    items = list(IacScanner().scan(Workspace(tmp_path, use_git=False), ScannerSettings()))
    assert findings(items, "cfn/secret-parameter-echoed") == []
    # the control (review, session 13: without it the test passes with the rule off): the
    # same child without NoEcho is reported, once
    child = (tmp_path / "db.yaml").read_text().replace("    NoEcho: true\n", "")
    (tmp_path / "db.yaml").write_text(child)
    items = list(IacScanner().scan(Workspace(tmp_path, use_git=False), ScannerSettings()))
    assert [f.location.path for f in findings(items, "cfn/secret-parameter-echoed")] == ["db.yaml"]


def test_cloudformation_twins_read_string_booleans_and_node_ranges() -> None:
    """Terraform-only rules given their CloudFormation form (session 13): a string "true"
    counts, and a multi-node Batch job's node ranges are read."""
    text = """\
Resources:
  Guests:
    Type: AWS::Cognito::IdentityPool
    Properties:
      AllowUnauthenticatedIdentities: 'true'
  Mpi:
    Type: AWS::Batch::JobDefinition
    Properties:
      Type: multinode
      NodeProperties:
        MainNode: 0
        NumNodes: 2
        NodeRangeProperties:
          - TargetNodes: "0:"
            Container:
              Image: mpi:1.0
              Privileged: "True"
"""
    items = scan_template("t.yaml", text) or []
    assert [
        f.location.start_line
        for f in findings(items, "cfn/aws-cognito-identity-pool-unauthenticated")
    ] == [5]
    assert len(findings(items, "cfn/aws-batch-job-privileged")) == 1


DEPLOYMENT = """\
Resources:
  Deployment:
    Type: AWS::ApiGateway::Deployment
    Properties:
      RestApiId: !Ref Api
      StageName: prod
      StageDescription:
        LoggingLevel: "OFF"
        CachingEnabled: true
        MethodSettings:
          - ResourcePath: /orders
            HttpMethod: GET
            LoggingLevel: INFO
  Hardened:
    Type: AWS::ApiGateway::Deployment
    Properties:
      RestApiId: !Ref Api
      StageName: live
      StageDescription:
        LoggingLevel: INFO
        CachingEnabled: true
        CacheDataEncrypted: true
        TracingEnabled: true
        AccessLogSetting:
          DestinationArn: arn:aws:logs:eu-west-1:123456789012:log-group:api
          Format: $context.requestId
  NoStage:
    Type: AWS::ApiGateway::Deployment
    Properties:
      RestApiId: !Ref Api
      StageDescription:
        CachingEnabled: true
"""

_STAGE_RULES = (
    "cfn/aws-apigateway-access-logging-disabled",
    "cfn/aws-apigateway-cache-unencrypted",
    "cfn/aws-apigateway-execution-logging-disabled",
    "cfn/aws-apigateway-xray-disabled",
)


def test_a_deployment_with_a_stage_name_is_checked_as_the_stage_it_creates() -> None:
    """AWS::ApiGateway::Deployment with StageName creates a stage described by its
    StageDescription, whose LoggingLevel/CachingEnabled/CacheDataEncrypted apply to every
    method (KICS: "API Gateway Deployment Without Access Log Setting"). Without a StageName
    no stage is created (CloudFormation needs one for a StageDescription)."""
    items = scan_template("t.yaml", DEPLOYMENT) or []
    got = sorted((f.rule_id, f.message.split(":")[0]) for f in items if f.rule_id in _STAGE_RULES)
    assert got == [(rule, "Deployment") for rule in _STAGE_RULES]


def test_dms_instance_without_publicly_accessible_is_public_and_oauth_tokens_are_secrets() -> None:
    """CreateReplicationInstance's PubliclyAccessible defaults to true (checkov CKV_AWS_89 and
    cfn_nag fail its absence); Amplify's AccessToken and OauthToken, Alexa's RefreshToken and a
    CodePipeline webhook's SecretToken hold credentials like AuthToken does."""
    text = """\
Parameters:
  GitHubToken:
    Type: String
Resources:
  Migration:
    Type: AWS::DMS::ReplicationInstance
    Properties:
      ReplicationInstanceClass: dms.t3.medium
  App:
    Type: AWS::Amplify::App
    Properties:
      Name: shop
      AccessToken: !Ref GitHubToken
      OauthToken: ghp_4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a
"""
    items = scan_template("t.yaml", text) or []
    assert [f.location.start_line for f in findings(items, "cfn/aws-dms-instance-public")] == [7]
    assert [f.location.start_line for f in findings(items, "cfn/secret-parameter-echoed")] == [13]
    assert [f.location.start_line for f in findings(items, "cfn/hardcoded-secret")] == [14]
