"""Session 19 (iacleft19): the thirteenth sample's hold-out misses, in general form.

Each new rule's vulnerable and fixed examples run in ``test_rules``; these tests pin the forms
the examples do not show (unknown values stay quiet) and the severities of the written policy.
"""

from __future__ import annotations

import pytest
from tests.scanners.iac.helpers import findings, scan_family

from pipesec.core.model import Confidence, Severity
from pipesec.scanners.iac import IacScanner
from pipesec.scanners.iac.tfproject import scan_texts

ELB_TF = "tf/aws-elb-classic-tls-default-policy"
ELB_CFN = "cfn/aws-elb-classic-tls-default-policy"


def _tf(text: str, rule: str) -> list[int]:
    return [f.location.start_line for f in findings(list(scan_texts({"main.tf": text})), rule)]


def _cfn(text: str, rule: str) -> list[int]:
    return [f.location.start_line for f in findings(scan_family("cfn", text), rule)]


def _listener(port: object, proto: str) -> str:
    return (
        f'  listener {{\n    instance_port = 8080\n    instance_protocol = "http"\n'
        f'    lb_port = {port}\n    lb_protocol = "{proto}"\n  }}\n'
    )


def test_classic_elb_tls_listener_without_a_policy_per_port() -> None:
    """A policy covers the listener on its own port only; a plain HTTP listener, a protocol
    or a policy port the scan cannot read is not judged."""
    text = (
        'resource "aws_elb" "a" {\n  name = "a"\n'  # 1
        + _listener(443, "HTTPS")  # 3
        + _listener(8443, "ssl")  # 9
        + _listener(80, "http")  # 15
        + _listener(9443, "${var.proto}")  # 21
        + "}\n"
        'resource "aws_lb_ssl_negotiation_policy" "a" {\n  name = "a"\n'
        "  load_balancer = aws_elb.a.id\n  lb_port = 443\n}\n"
        'resource "aws_elb" "b" {\n  name = "b"\n' + _listener(443, "https") + "}\n"
        'resource "aws_load_balancer_listener_policy" "b" {\n'
        "  load_balancer_name = aws_elb.b.name\n  load_balancer_port = var.port\n"
        '  policy_names = ["x"]\n}\n'
        'resource "aws_elb" "c" {\n  name = "c"\n' + _listener('"443"', "https") + "}\n"
        'resource "aws_load_balancer_listener_policy" "c" {\n'
        '  load_balancer_name = "c"\n  load_balancer_port = 443\n  policy_names = ["x"]\n}\n'
    )
    assert _tf(text, ELB_TF) == [9]


def test_classic_elb_tls_listener_cloudformation() -> None:
    text = (
        "Resources:\n"
        "  A:\n    Type: AWS::ElasticLoadBalancing::LoadBalancer\n    Properties:\n"
        "      Listeners:\n"
        '        - {LoadBalancerPort: "80", InstancePort: "8080", Protocol: HTTP}\n'
        '        - {LoadBalancerPort: "443", InstancePort: "8080", Protocol: HTTPS}\n'  # 7
        '        - {LoadBalancerPort: "8443", InstancePort: "8080", Protocol: SSL,'
        " PolicyNames: [p]}\n"
        "  B:\n    Type: AWS::ElasticLoadBalancing::LoadBalancer\n    Properties:\n"
        "      Listeners:\n"
        '        - {LoadBalancerPort: 443, InstancePort: "8080", Protocol: SSL}\n'
        "      Policies:\n"
        "        - {PolicyName: p, PolicyType: SSLNegotiationPolicyType,"
        ' LoadBalancerPorts: ["443"]}\n'
        "  C:\n    Type: AWS::ElasticLoadBalancing::LoadBalancer\n    Properties:\n"
        "      Listeners:\n"
        '        - {LoadBalancerPort: 443, InstancePort: "8080", Protocol: !Ref Proto}\n'
    )
    assert _cfn(text, ELB_CFN) == [7]


def test_ecs_container_without_log_configuration() -> None:
    rule = "tf/aws-ecs-task-no-log-configuration"
    text = (
        'resource "aws_ecs_task_definition" "a" {\n  family = "a"\n'
        '  container_definitions = jsonencode([{ name = "a", image = "x" },'
        ' { name = "b", image = "y", logConfiguration = { logDriver = "awsfirelens" } }])\n}\n'
        'resource "aws_ecs_task_definition" "b" {\n  family = "b"\n'
        "  container_definitions = var.containers\n}\n"
        'resource "aws_ecs_task_definition" "c" {\n  family = "c"\n'
        '  container_definitions = file("containers.json")\n}\n'
    )
    assert _tf(text, rule) == [3]


def test_redshift_default_names() -> None:
    text = (
        'resource "aws_redshift_cluster" "a" {\n  cluster_identifier = "a"\n'
        '  master_username = "AWSUSER"\n}\n'
        'resource "aws_redshift_cluster" "b" {\n  cluster_identifier = "b"\n'
        '  database_name = "dev"\n  master_username = var.user\n}\n'
        'resource "aws_redshift_cluster" "c" {\n  cluster_identifier = "c"\n'
        "  database_name = var.db\n}\n"
        'resource "aws_redshift_cluster" "d" {\n  cluster_identifier = "d"\n'
        '  snapshot_identifier = "nightly"\n}\n'
    )
    assert _tf(text, "tf/aws-redshift-default-database-name") == [1, 7]
    assert _tf(text, "tf/aws-redshift-default-admin-username") == [3]


def test_instance_without_a_subnet_is_in_the_default_vpc() -> None:
    rule = "tf/aws-instance-default-vpc"
    text = (
        'resource "aws_instance" "a" {\n  ami = "ami-1"\n}\n'
        'resource "aws_instance" "b" {\n  ami = "ami-1"\n  subnet_id = var.subnet\n}\n'
        'resource "aws_instance" "c" {\n  ami = "ami-1"\n'
        "  launch_template {\n    id = aws_launch_template.c.id\n  }\n}\n"
        'resource "aws_instance" "d" {\n  ami = "ami-1"\n'
        "  network_interface {\n    network_interface_id = aws_network_interface.d.id\n"
        "    device_index = 0\n  }\n}\n"
        'variable "none" {\n  default = null\n}\n'
        'resource "aws_instance" "e" {\n  ami = "ami-1"\n  subnet_id = var.none\n}\n'
    )
    assert _tf(text, rule) == [1, 26]  # the null subnet_id is pointed at


@pytest.mark.parametrize(
    ("rule_id", "severity", "confidence"),
    [
        (ELB_TF, Severity.HIGH, Confidence.MEDIUM),
        (ELB_CFN, Severity.HIGH, Confidence.MEDIUM),
        ("tf/aws-ecs-task-no-log-configuration", Severity.LOW, Confidence.HIGH),
        ("cfn/aws-ecs-task-no-log-configuration", Severity.LOW, Confidence.HIGH),
        ("tf/aws-redshift-default-database-name", Severity.LOW, Confidence.HIGH),
        ("cfn/aws-redshift-default-admin-username", Severity.LOW, Confidence.HIGH),
        ("tf/aws-instance-default-vpc", Severity.LOW, Confidence.MEDIUM),
        ("cfn/aws-instance-default-vpc", Severity.LOW, Confidence.MEDIUM),
    ],
)
def test_severities_by_the_written_policy(
    rule_id: str, severity: Severity, confidence: Confidence
) -> None:
    rule = next(r for r in IacScanner().rules() if r.id == rule_id)
    assert (rule.severity, rule.confidence) == (severity, confidence)
