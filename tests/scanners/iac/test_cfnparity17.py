"""Session 17 (cfnparity): CloudFormation twins of Terraform AWS rules. Each twin has the
Terraform rule's id stem and severity; a property that is not a literal (``!Ref`` of a
parameter without a default, ``!If``, ``!GetAtt``, ``!ImportValue``) is unknown and never
fires, while a parameter's literal default is read as the value."""

from __future__ import annotations

import json

import pytest
from tests.scanners.iac.helpers import findings

from pipesec.scanners.iac import IacScanner
from pipesec.scanners.iac.cfn_rules import scan_template

# the twins this session added (tf rule id stem -> the resource type they read)
TWINS = {
    "aws-autoscaling-launch-configuration": "AWS::AutoScaling::AutoScalingGroup",
    "aws-opensearch-policy-public": "AWS::OpenSearchService::Domain",
    "aws-opensearch-no-zone-awareness": "AWS::OpenSearchService::Domain",
    "aws-cloudwatch-alarm-actions-disabled": "AWS::CloudWatch::Alarm",
    "aws-lb-desync-mitigation-monitor": "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "aws-acm-certificate-transparency-disabled": "AWS::CertificateManager::Certificate",
    "aws-firehose-no-cmk": "AWS::KinesisFirehose::DeliveryStream",
    "aws-backup-vault-no-cmk": "AWS::Backup::BackupVault",
    "aws-codepipeline-artifacts-no-cmk": "AWS::CodePipeline::Pipeline",
    "aws-emr-cluster-no-logging": "AWS::EMR::Cluster",
    "aws-dms-endpoint-no-cmk": "AWS::DMS::Endpoint",
    "aws-scheduler-schedule-no-cmk": "AWS::Scheduler::Schedule",
    "aws-network-firewall-no-cmk": "AWS::NetworkFirewall::Firewall",
    "aws-kinesis-video-no-cmk": "AWS::KinesisVideo::Stream",
    "aws-keyspaces-no-cmk": "AWS::Cassandra::Table",
    "aws-kendra-no-cmk": "AWS::Kendra::Index",
    "aws-imagebuilder-no-cmk": "AWS::ImageBuilder::Component",
    "aws-appflow-no-cmk": "AWS::AppFlow::Flow",
}


def _ids(text: str) -> set[str]:
    return {f.rule_id for f in findings(scan_template("t.yaml", text) or [])}


def test_every_twin_has_the_terraform_rules_severity() -> None:
    rules = {r.id: r for r in IacScanner().rules()}
    for stem in TWINS:
        assert rules[f"cfn/{stem}"].severity == rules[f"tf/{stem}"].severity, stem
    # and so does every CloudFormation rule with a Terraform rule of the same stem
    for rid, rule in rules.items():
        if rid.startswith("cfn/") and f"tf/{rid[4:]}" in rules:
            assert rule.severity == rules[f"tf/{rid[4:]}"].severity, rid


def _template(kind: str, props: str, params: str = "") -> str:
    body = "\n".join("      " + line for line in props.strip("\n").splitlines())
    head = f"Parameters:\n{params}" if params else ""
    return f"{head}Resources:\n  It:\n    Type: {kind}\n    Properties:\n{body}\n"


UNKNOWN = "  P: {Type: String}\n  Q: {Type: CommaDelimitedList}\n"

# (rule stem, resource type, properties where the deciding value is not a literal)
UNKNOWN_CASES = [
    (
        "aws-opensearch-policy-public",
        "AWS::OpenSearchService::Domain",
        "VPCOptions: !If [InVpc, {SubnetIds: [subnet-1]}, !Ref AWS::NoValue]\n"
        "AccessPolicies:\n  Statement:\n"
        "    - {Effect: Allow, Principal: {AWS: '*'}, Action: 'es:*'}",
    ),
    (
        "aws-opensearch-policy-public",
        "AWS::OpenSearchService::Domain",
        "AccessPolicies:\n  Statement:\n"
        "    - {Effect: Allow, Principal: {AWS: !Ref P}, Action: 'es:*'}",
    ),
    ("aws-opensearch-policy-public", "AWS::OpenSearchService::Domain", "AccessPolicies: !Ref P"),
    (
        "aws-opensearch-no-zone-awareness",
        "AWS::OpenSearchService::Domain",
        "ClusterConfig: {InstanceCount: 2, ZoneAwarenessEnabled: !Ref P}",
    ),
    (
        "aws-cloudwatch-alarm-actions-disabled",
        "AWS::CloudWatch::Alarm",
        "ActionsEnabled: !If [Prod, true, false]",
    ),
    (
        "aws-lb-desync-mitigation-monitor",
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "LoadBalancerAttributes:\n  - {Key: routing.http.desync_mitigation_mode, Value: !Ref P}",
    ),
    (
        "aws-acm-certificate-transparency-disabled",
        "AWS::CertificateManager::Certificate",
        "DomainName: a.example.com\nCertificateTransparencyLoggingPreference: !Ref P",
    ),
    (
        "aws-firehose-no-cmk",
        "AWS::KinesisFirehose::DeliveryStream",
        "DeliveryStreamEncryptionConfigurationInput: {KeyType: !Ref P, KeyARN: !Ref P}",
    ),
    (
        "aws-keyspaces-no-cmk",
        "AWS::Cassandra::Table",
        "EncryptionSpecification: {EncryptionType: !Ref P}",
    ),
    (
        "aws-network-firewall-no-cmk",
        "AWS::NetworkFirewall::Firewall",
        "EncryptionConfiguration: {Type: !Ref P, KeyId: !Ref P}",
    ),
    (
        "aws-scheduler-schedule-no-cmk",
        "AWS::Scheduler::Schedule",
        "KmsKeyArn: !ImportValue shared-key",
    ),
    (
        "aws-backup-vault-no-cmk",
        "AWS::Backup::BackupVault",
        "EncryptionKeyArn: !If [Prod, !Ref P, !Ref P]",
    ),
]


@pytest.mark.parametrize(("stem", "kind", "props"), UNKNOWN_CASES)
def test_a_value_that_is_not_a_literal_is_unknown(stem: str, kind: str, props: str) -> None:
    text = (
        _template(kind, props, UNKNOWN)
        + "Conditions:\n  Prod: !Equals [!Ref P, prod]\n  InVpc: !Equals [!Ref P, vpc]\n"
    )
    assert f"cfn/{stem}" not in _ids(text)


# a parameter's literal default is the value a stack gets when nobody passes one
DEFAULT_CASES = [
    (
        "aws-lb-desync-mitigation-monitor",
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "LoadBalancerAttributes:\n  - {Key: routing.http.desync_mitigation_mode, Value: !Ref P}",
        "  P: {Type: String, Default: monitor}\n",
    ),
    (
        "aws-cloudwatch-alarm-actions-disabled",
        "AWS::CloudWatch::Alarm",
        "ActionsEnabled: !Ref P",
        "  P: {Type: String, Default: 'false'}\n",
    ),
    (
        "aws-acm-certificate-transparency-disabled",
        "AWS::CertificateManager::Certificate",
        "DomainName: a.example.com\nCertificateTransparencyLoggingPreference: !Ref P",
        "  P: {Type: String, Default: DISABLED}\n",
    ),
]


@pytest.mark.parametrize(("stem", "kind", "props", "params"), DEFAULT_CASES)
def test_a_parameters_literal_default_is_read(
    stem: str, kind: str, props: str, params: str
) -> None:
    assert f"cfn/{stem}" in _ids(_template(kind, props, params))


def test_boolean_strings_read_as_booleans() -> None:
    # CloudFormation accepts "false" for a boolean property, at the property's line
    text = _template(
        "AWS::OpenSearchService::Domain",
        "ClusterConfig:\n  InstanceCount: 2\n  ZoneAwarenessEnabled: 'false'",
    )
    got = [
        f
        for f in findings(scan_template("t.yaml", text) or [])
        if f.rule_id == "cfn/aws-opensearch-no-zone-awareness"
    ]
    assert [f.location.start_line for f in got] == [7]
    on = text.replace("'false'", "'true'")
    assert "cfn/aws-opensearch-no-zone-awareness" not in _ids(on)


def test_opensearch_policy_scoped_by_condition_or_vpc_is_quiet() -> None:
    policy = (
        "AccessPolicies:\n  Statement:\n    - Effect: Allow\n      Principal: {AWS: '*'}\n"
        "      Action: 'es:*'\n"
    )
    assert "cfn/aws-opensearch-policy-public" in _ids(
        _template("AWS::Elasticsearch::Domain", policy)
    )
    scoped = policy + "      Condition: {IpAddress: {aws:SourceIp: [203.0.113.0/24]}}\n"
    assert "cfn/aws-opensearch-policy-public" not in _ids(
        _template("AWS::Elasticsearch::Domain", scoped)
    )
    in_vpc = policy + "VPCOptions: {SubnetIds: [subnet-1]}\n"
    assert "cfn/aws-opensearch-policy-public" not in _ids(
        _template("AWS::OpenSearchService::Domain", in_vpc)
    )


def test_json_templates_read_the_same() -> None:
    doc = {
        "Resources": {
            "Alarm": {
                "Type": "AWS::CloudWatch::Alarm",
                "Properties": {"ActionsEnabled": False, "MetricName": "Errors"},
            }
        }
    }
    got = findings(scan_template("t.json", json.dumps(doc, indent=2)) or [])
    assert "cfn/aws-cloudwatch-alarm-actions-disabled" in {f.rule_id for f in got}
