"""Session 9: checks added or re-rated to the peers' consensus (docs/iac-rules.md, Severities)."""

from __future__ import annotations

import pytest
from tests.scanners.iac.helpers import findings, scan_family

from pipesec.core.model import Severity


def _lines(family: str, text: str, rule: str) -> list[int]:
    return [f.location.start_line for f in findings(scan_family(family, text), rule)]


def _tf_policy(actions: str, resources: str = '"*"') -> str:
    return (
        'resource "aws_iam_role_policy" "reader" {\n'
        "  role = aws_iam_role.reader.id\n"
        "  policy = jsonencode({\n"
        '    Version = "2012-10-17"\n'
        "    Statement = [{\n"
        '      Effect   = "Allow"\n'
        f"      Action   = {actions}\n"
        f"      Resource = {resources}\n"
        "    }]\n"
        "  })\n"
        "}\n"
    )


PATTERN = "tf/aws-iam-action-pattern-on-all-resources"


@pytest.mark.parametrize(
    ("actions", "resources", "fires"),
    [
        ('["dynamodb:*Item", "dynamodb:Query"]', '"*"', True),
        ('"ssm:GetParameter*"', '"*"', True),
        ('["ec2:Describe*", "s3:List*"]', '"*"', False),  # metadata only
        ('["s3:Get*"]', '"arn:aws:s3:::acme-exports/*"', False),  # scoped
        ('["s3:*", "s3:Get*"]', '"*"', False),  # the service-wildcard rule reports it
        ('"*"', '"*"', False),  # the full-wildcard rule reports it
    ],
)
def test_action_pattern_on_every_resource(actions: str, resources: str, fires: bool) -> None:
    got = _lines("tf", _tf_policy(actions, resources), PATTERN)
    assert got == ([7] if fires else [])


def test_action_pattern_in_a_policy_document_and_a_heredoc() -> None:
    text = (
        'data "aws_iam_policy_document" "d" {\n'
        "  statement {\n"
        '    actions   = ["kms:Re*"]\n'
        '    resources = ["*"]\n'
        "  }\n"
        "}\n"
        'resource "aws_iam_user_policy" "u" {\n'
        '  user   = "ci"\n'
        "  policy = <<EOF\n"
        '{"Statement": [{"Effect": "Allow",\n'
        '  "Action": ["logs:CreateLogStream",\n'
        '             "logs:Put*"],\n'
        '  "Resource": "*"}]}\n'
        "EOF\n"
        "}\n"
    )
    assert sorted(_lines("tf", text, PATTERN)) == [3, 12]


CFN_POLICY = """
Resources:
  Reader:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: reader
      Roles: [!Ref ReaderRole]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: [{actions}]
            Resource: "*"
"""


@pytest.mark.parametrize(
    ("actions", "fires"),
    [
        ("cloudwatch:Get*, cloudwatch:List*", True),
        ("CloudFormation:describe*, cloudformation:ListStacks", False),
        ("sqs:*", False),
    ],
)
def test_action_pattern_in_cloudformation(actions: str, fires: bool) -> None:
    text = CFN_POLICY.format(actions=actions)
    got = _lines("cfn", text, "cfn/aws-iam-action-pattern-on-all-resources")
    assert bool(got) is fires


NIC = """
resource "azurerm_network_interface" "web" {{
  name = "web"
  ip_configuration {{
    name                          = "main"
    subnet_id                     = {subnet}
    private_ip_address_allocation = "Dynamic"
  }}
}}
resource "azurerm_windows_virtual_machine" "web" {{
  name                  = "web"
  size                  = "Standard_B2s"
  network_interface_ids = [azurerm_network_interface.web.id]
}}
"""
SUBNET = 'resource "azurerm_subnet" "app" {\n  name = "app"\n}\n'
SUBNET_ASSOC = (
    'resource "azurerm_subnet_network_security_group_association" "app" {\n'
    "  subnet_id                 = azurerm_subnet.app.id\n"
    "  network_security_group_id = azurerm_network_security_group.app.id\n}\n"
)
NIC_ASSOC = (
    'resource "azurerm_network_interface_security_group_association" "web" {\n'
    "  network_interface_id      = azurerm_network_interface.web.id\n"
    "  network_security_group_id = azurerm_network_security_group.app.id\n}\n"
)


@pytest.mark.parametrize(
    ("extra", "subnet", "fires"),
    [
        (SUBNET, "azurerm_subnet.app.id", True),
        (SUBNET + SUBNET_ASSOC, "azurerm_subnet.app.id", False),  # the subnet's NSG applies
        (SUBNET + NIC_ASSOC, "azurerm_subnet.app.id", False),  # the interface's own NSG
        ("", "var.subnet_id", False),  # a subnet this module cannot see: no guess
        ("", "data.azurerm_subnet.shared.id", False),
    ],
)
def test_vm_interface_without_a_network_security_group(
    extra: str, subnet: str, fires: bool
) -> None:
    got = _lines("tf", NIC.format(subnet=subnet) + extra, "tf/azure-vm-nic-no-nsg")
    assert got == ([13] if fires else [])


def test_legacy_interface_attribute_counts_as_an_nsg() -> None:
    text = NIC.format(subnet="azurerm_subnet.app.id").replace(
        '  name = "web"\n  ip', '  name = "web"\n  network_security_group_id = "nsg-1"\n  ip', 1
    )
    assert not _lines("tf", SUBNET + text, "tf/azure-vm-nic-no-nsg")


@pytest.mark.parametrize(
    ("family", "text", "rule"),
    [
        (
            "tf",
            'resource "aws_sns_topic" "t" {\n  kms_master_key_id = "alias/aws/sns"\n}\n',
            "tf/aws-sns-no-cmk",
        ),
        (
            "tf",
            'resource "aws_sqs_queue" "q" {\n  kms_master_key_id = "alias/aws/sqs"\n}\n',
            "tf/aws-sqs-no-cmk",
        ),
        (
            "tf",
            'resource "google_storage_bucket" "b" {\n  name = "b"\n  location = "EU"\n}\n',
            "tf/gcp-gcs-no-access-logging",
        ),
    ],
)
def test_raised_to_the_peers_medium(family: str, text: str, rule: str) -> None:
    got = findings(scan_family(family, text), rule)
    assert [f.severity for f in got] == [Severity.MEDIUM]
