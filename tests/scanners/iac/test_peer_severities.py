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


def test_terraform_rest_api_domain_without_a_security_policy() -> None:
    text = (
        'resource "aws_api_gateway_domain_name" "old" {\n'
        '  domain_name     = "old.example.com"\n'
        "  certificate_arn = aws_acm_certificate.old.arn\n"
        "}\n"
        'resource "aws_api_gateway_domain_name" "new" {\n'
        '  domain_name     = "new.example.com"\n'
        "  certificate_arn = aws_acm_certificate.new.arn\n"
        '  security_policy = "SecurityPolicy_TLS13_1_2_2021_06"\n'
        "}\n"
        'resource "aws_apigatewayv2_domain_name" "ws" {\n'
        '  domain_name = "ws.example.com"\n'
        "  domain_name_configuration {\n"
        "    certificate_arn = aws_acm_certificate.ws.arn\n"
        '    endpoint_type   = "REGIONAL"\n'
        '    security_policy = "TLS_1_2"\n'
        "  }\n"
        "}\n"
    )
    got = findings(scan_family("tf", text), "tf/aws-apigateway-weak-tls")
    assert [(f.location.start_line, f.message) for f in got] == [
        (1, "aws_api_gateway_domain_name.old: security_policy is not set")
    ]


def test_http_api_domain_name_reports_its_tls_1_0_configuration() -> None:
    text = (
        "Resources:\n"
        "  Ws:\n"
        "    Type: AWS::ApiGatewayV2::DomainName\n"
        "    Properties:\n"
        "      DomainName: ws.example.com\n"
        "      DomainNameConfigurations:\n"
        "        - CertificateArn: arn:aws:acm:eu-west-1:111122223333:certificate/abc\n"
        "          SecurityPolicy: TLS_1_2\n"
        "        - CertificateArn: arn:aws:acm:eu-west-1:111122223333:certificate/def\n"
        "          SecurityPolicy: TLS_1_0\n"
        "  Http:\n"
        "    Type: AWS::ApiGatewayV2::DomainName\n"
        "    Properties:\n"
        "      DomainName: http.example.com\n"
        "      DomainNameConfigurations:\n"
        "        - CertificateArn: arn:aws:acm:eu-west-1:111122223333:certificate/abc\n"
    )
    assert _lines("cfn", text, "cfn/aws-apigateway-weak-tls") == [10]


ESCALATE = "tf/aws-iam-principal-privilege-escalation"
PASS_ROLE = '{ Effect = "Allow", Action = "iam:PassRole", Resource = "*" }'
LAUNCH = (
    '{ Effect = "Allow", Action = ["lambda:CreateFunction", "lambda:InvokeFunction"], '
    'Resource = "*" }'
)


def _inline(name: str, kind: str, who: str, statement: str) -> str:
    return (
        f'resource "aws_iam_{kind}_policy" "{name}" {{\n'
        f"  {kind} = {who}\n"
        f"  policy = jsonencode({{ Statement = [{statement}] }})\n"
        "}\n"
    )


def test_pass_role_and_launch_in_two_inline_policies_of_one_role() -> None:
    text = (
        'resource "aws_iam_role" "ci" {\n  name = "ci"\n}\n'
        + _inline("a", "role", "aws_iam_role.ci.id", PASS_ROLE)
        + _inline("b", "role", '"ci"', LAUNCH)  # the role's name as a literal
    )
    assert _lines("tf", text, ESCALATE) == [1]


def test_attached_managed_policy_and_policy_document_count() -> None:
    text = (
        'resource "aws_iam_user" "bot" {\n  name = "bot"\n}\n'
        'data "aws_iam_policy_document" "pass" {\n'
        "  statement {\n"
        '    actions   = ["iam:PassRole"]\n'
        '    resources = ["*"]\n'
        "  }\n"
        "}\n"
        'resource "aws_iam_policy" "pass" {\n'
        "  policy = data.aws_iam_policy_document.pass.json\n"
        "}\n"
        'resource "aws_iam_user_policy_attachment" "pass" {\n'
        "  user       = aws_iam_user.bot.name\n"
        "  policy_arn = aws_iam_policy.pass.arn\n"
        "}\n" + _inline("launch", "user", "aws_iam_user.bot.name", LAUNCH)
    )
    assert _lines("tf", text, ESCALATE) == [1]


@pytest.mark.parametrize(
    "text",
    [
        # PassRole scoped to one role: the launch permission alone does not escalate
        'resource "aws_iam_role" "ci" {\n  name = "ci"\n}\n'
        + _inline(
            "a",
            "role",
            "aws_iam_role.ci.id",
            '{ Effect = "Allow", Action = "iam:PassRole", '
            'Resource = "arn:aws:iam::111122223333:role/worker" }',
        )
        + _inline("b", "role", "aws_iam_role.ci.id", LAUNCH),
        # the two policies belong to different roles
        'resource "aws_iam_role" "ci" {\n  name = "ci"\n}\n'
        'resource "aws_iam_role" "ops" {\n  name = "ops"\n}\n'
        + _inline("a", "role", "aws_iam_role.ci.id", PASS_ROLE)
        + _inline("b", "role", "aws_iam_role.ops.id", LAUNCH),
        # one policy grants both: tf/aws-iam-privilege-escalation reports it, not this rule
        'resource "aws_iam_role" "ci" {\n  name = "ci"\n}\n'
        + _inline("a", "role", "aws_iam_role.ci.id", PASS_ROLE + ", " + LAUNCH)
        + _inline("b", "role", "aws_iam_role.ci.id", LAUNCH),
    ],
)
def test_no_escalation_across_policies(text: str) -> None:
    assert not _lines("tf", text, ESCALATE)


NETPOL_TF = """
resource "kubernetes_network_policy" "api" {{
  metadata {{
    name = "api"
  }}
  spec {{
    pod_selector {{}}
    {direction} {{
      {peer} {{
        ip_block {{
          cidr = "{cidr}"
{except_}        }}
      }}
    }}
  }}
}}
"""


@pytest.mark.parametrize(
    ("direction", "peer", "cidr", "except_", "rule"),
    [
        ("ingress", "from", "0.0.0.0/0", "", "tf/kubernetes-networkpolicy-world-ingress"),
        ("egress", "to", "::/0", "", "tf/kubernetes-networkpolicy-world-egress"),
        (
            "egress",
            "to",
            "0.0.0.0/0",
            '          except = ["10.0.0.0/8"]\n',
            "tf/kubernetes-networkpolicy-world-egress",
        ),
        # excepting the private ranges leaves the whole internet in (trivy's no_public_ingress)
        (
            "ingress",
            "from",
            "0.0.0.0/0",
            '          except = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]\n',
            "tf/kubernetes-networkpolicy-world-ingress",
        ),
        ("ingress", "from", "0.0.0.0/0", '          except = ["0.0.0.0/1", "128.0.0.0/1"]\n', None),
        ("ingress", "from", "0.0.0.0/0", "          except = var.blocked\n", None),
        ("ingress", "from", "0.0.0.0/0", "          except = [var.blocked]\n", None),
        ("egress", "to", "0.0.0.0/0", '          except = ["0.0.0.0/1", "128.0.0.0/1"]\n', None),
        ("ingress", "from", "10.0.0.0/8", "", None),
        ("egress", "to", "10.0.0.0/8", "", None),
    ],
)
def test_terraform_network_policy_world_blocks(
    direction: str, peer: str, cidr: str, except_: str, rule: str | None
) -> None:
    text = NETPOL_TF.format(direction=direction, peer=peer, cidr=cidr, except_=except_)
    got = [
        (f.rule_id, f.location.start_line)
        for f in findings(scan_family("tf", text))
        if "networkpolicy" in f.rule_id
    ]
    assert got == ([(rule, 11)] if rule else [])


NETPOL_YAML = """\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
  namespace: shop
spec:
  podSelector:
    matchLabels: {{app: web}}
  ingress:
    - from:
        - ipBlock:
            cidr: {cidr}
{except_}"""


@pytest.mark.parametrize(
    ("cidr", "except_", "fires"),
    [
        ("0.0.0.0/0", "", True),
        # a NetworkPolicy that admits "the internet but not the cluster networks" still
        # admits the whole internet
        ("0.0.0.0/0", "            except: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16]\n", True),
        ("0.0.0.0/0", "            except: [203.0.113.0/24]\n", True),
        ("::/0", "            except: ['fd00::/8']\n", True),
        ("0.0.0.0/0", "            except: [0.0.0.0/1, 128.0.0.0/1]\n", False),
        ("0.0.0.0/0", "            except: [not-a-cidr]\n", False),
        ("10.0.0.0/8", "", False),
    ],
)
def test_manifest_network_policy_world_ipblock(cidr: str, except_: str, fires: bool) -> None:
    text = NETPOL_YAML.format(cidr=cidr, except_=except_)
    assert _lines("k8s", text, "k8s/networkpolicy-world-ipblock") == ([12] if fires else [])


CFN_SPLIT = """\
Resources:
  Ci:
    Type: AWS::IAM::User
    Properties:
      UserName: ci-bot
      ManagedPolicyArns: [{managed}]
  Pass:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          Effect: Allow
          Action: iam:PassRole
          Resource: "*"
  Launch:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: launch
      Users: [{user}]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: lambda:CreateFunction
            Resource: {resource}
"""


@pytest.mark.parametrize(
    ("managed", "user", "resource", "fires"),
    [
        ("!Ref Pass", "!Ref Ci", '"*"', True),
        ("!Ref Pass", "ci-bot", '"*"', True),  # the user's literal name
        ("!Ref Pass", "someone-else", '"*"', False),
        ("arn:aws:iam::aws:policy/ReadOnlyAccess", "!Ref Ci", '"*"', False),
        ("!Ref Pass", "!Ref Ci", "!GetAtt Fn.Arn", False),  # launch scoped
    ],
)
def test_cloudformation_escalation_split_over_policies(
    managed: str, user: str, resource: str, fires: bool
) -> None:
    text = CFN_SPLIT.format(managed=managed, user=user, resource=resource)
    got = _lines("cfn", text, "cfn/aws-iam-principal-privilege-escalation")
    assert got == ([2] if fires else [])
