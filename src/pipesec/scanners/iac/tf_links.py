"""Terraform checks that follow a reference from one resource to another: a snapshot is
as encrypted as its source, a search domain's access policy written in a policy-document
data source, a subnet that no network security group association names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pipesec.core.model import Confidence, Severity
from pipesec.scanners.iac.common import Hit, escalates, is_world, make_rule
from pipesec.scanners.iac.hcl import Block, Expr, as_bool
from pipesec.scanners.iac.tf_aws import _public_principal, _statements
from pipesec.scanners.iac.tf_policydoc import document_address
from pipesec.scanners.iac.tfbase import ModuleView, R, TfHit, _as_list, _line_in, at_attr

# -- snapshots of unencrypted sources --------------------------------------------------------

#: snapshot type -> (attribute naming the source, source type, the source's encryption flag)
_SNAPSHOTS = {
    "aws_ebs_snapshot": ("volume_id", "aws_ebs_volume", "encrypted"),
    "aws_db_snapshot": ("db_instance_identifier", "aws_db_instance", "storage_encrypted"),
    "aws_db_cluster_snapshot": ("db_cluster_identifier", "aws_rds_cluster", "storage_encrypted"),
    "aws_neptune_cluster_snapshot": (
        "db_cluster_identifier",
        "aws_neptune_cluster",
        "storage_encrypted",
    ),
}


@R(
    make_rule(
        "tf/aws-snapshot-source-unencrypted",
        "Snapshot of an unencrypted volume or database",
        Severity.MEDIUM,
        "A snapshot inherits its source's encryption: the snapshot of an unencrypted EBS "
        "volume, RDS instance or cluster, or Neptune cluster stores the same data in clear, "
        "and can be shared or copied to other accounts as it is.",
        "Encrypt the source (encrypted = true / storage_encrypted = true with a KMS key), or "
        "snapshot an encrypted copy (aws_ebs_snapshot_copy with encrypted = true).",
        """
resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 40
}

resource "aws_ebs_snapshot" "nightly" {
  volume_id = aws_ebs_volume.data.id
}
""",
        """
resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 40
  encrypted         = true
  kms_key_id        = aws_kms_key.ebs.arn
}

resource "aws_ebs_snapshot" "nightly" {
  volume_id = aws_ebs_volume.data.id
}
""",
        cwe=("CWE-311",),
    )
)
def snapshot_source_unencrypted(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    ebs_default = any(
        b.flag("enabled", True) is True for b in m.resources("aws_ebs_encryption_by_default")
    )
    for snap in m.resources(*_SNAPSHOTS):
        ref_name, source_type, flag = _SNAPSHOTS[snap.kind]
        ref = snap.attr(ref_name)
        if ref is None or not isinstance(ref.value, Expr):
            continue
        for src in m.resources(source_type):
            if not ref.value.refers_to(src.address):
                continue
            encrypted = src.value(flag)
            if as_bool(encrypted) is True or isinstance(encrypted, Expr) or src.value("kms_key_id"):
                continue
            if source_type == "aws_ebs_volume" and (ebs_default or src.value("snapshot_id")):
                continue  # the account encrypts new volumes; a restored volume: unknown
            if source_type == "aws_rds_cluster" and src.value("engine_mode") == "serverless":
                continue  # Aurora Serverless v1 is always encrypted
            state = "false" if as_bool(encrypted) is False else "not set"
            msg = f"{snap.address}: snapshot of {src.address}, whose {flag} is {state}"
            yield at_attr(snap, ref, msg)


# -- search domain access policies ------------------------------------------------------------


def _document_statements(m: ModuleView, value: Any) -> tuple[list[dict[str, Any]], str]:
    """The statements of a policy given as JSON (a heredoc with interpolations too),
    jsonencode() or a reference to an aws_iam_policy_document data source's ``json`` (the
    document's address is returned with them)."""
    if isinstance(value, Expr):
        doc = m.policy(value)
        if isinstance(doc, dict):
            return _statements(doc), document_address(value)
        if not value.text.startswith("<<"):
            return [], ""
    return _statements(value), ""


def _in_vpc(m: ModuleView, policy: Block) -> bool:
    """The domain the policy belongs to (itself, or the one its domain_name names) sits
    in a VPC: only what can reach the VPC gets to the endpoint."""
    if policy.kind in ("aws_elasticsearch_domain", "aws_opensearch_domain"):
        return bool(policy.children("vpc_options"))
    name = policy.value("domain_name")
    for d in m.resources("aws_elasticsearch_domain", "aws_opensearch_domain"):
        if (isinstance(name, Expr) and name.refers_to(d.address)) or (
            isinstance(name, str) and name == d.value("domain_name")
        ):
            return bool(d.children("vpc_options"))
    return False


@R(
    make_rule(
        "tf/aws-opensearch-policy-public",
        "OpenSearch/Elasticsearch domain policy allows anyone",
        Severity.HIGH,
        'An access policy that Allows Principal "*" without a condition on a domain with a '
        "public endpoint lets anyone on the internet read, write and delete its indices "
        "(es:* on the domain). Policies written as aws_iam_policy_document data sources are "
        "followed.",
        "Name the principals (IAM roles) that may call the domain, add an IP or VPC "
        "endpoint condition, or place the domain in a VPC (vpc_options).",
        """
data "aws_iam_policy_document" "search" {
  statement {
    actions   = ["es:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}

resource "aws_opensearch_domain_policy" "search" {
  domain_name     = "search"
  access_policies = data.aws_iam_policy_document.search.json
}
""",
        """
data "aws_iam_policy_document" "search" {
  statement {
    actions   = ["es:ESHttpGet"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:role/search-reader"]
    }
  }
}

resource "aws_opensearch_domain_policy" "search" {
  domain_name     = "search"
  access_policies = data.aws_iam_policy_document.search.json
}
""",
        cwe=("CWE-284",),
    )
)
def opensearch_policy_public(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources(
        "aws_elasticsearch_domain_policy",
        "aws_opensearch_domain_policy",
        "aws_elasticsearch_domain",
        "aws_opensearch_domain",
    ):
        a = b.attr("access_policies")
        if a is None or _in_vpc(m, b):
            continue
        statements, source = _document_statements(m, a.value)
        for st in statements:
            if (
                st.get("Effect") == "Allow"
                and _public_principal(st.get("Principal"))
                and not st.get("Condition")
            ):
                where = f" ({source})" if source else ""
                line = a.line if source else _line_in(lines[b.path], a, r"Principal")
                yield b.path, Hit(line, a.column, f"{b.address}: policy allows Principal *{where}")
                break


# -- Azure subnets without a network security group -------------------------------------------

#: subnets Azure reserves for its own services, where an NSG is not supported or not wanted
_RESERVED_SUBNETS = {
    "GatewaySubnet",
    "AzureFirewallSubnet",
    "AzureFirewallManagementSubnet",
    "RouteServerSubnet",
}


@R(
    make_rule(
        "tf/azure-subnet-no-nsg",
        "Subnet without a network security group",
        Severity.LOW,
        "A subnet that no network security group is associated with filters nothing: every "
        "port of every host in it is reachable from the rest of the virtual network, and "
        "from the internet for hosts with a public IP and no NSG of their own.",
        "Associate an NSG (azurerm_subnet_network_security_group_association) that allows "
        "only the traffic the subnet needs.",
        """
resource "azurerm_subnet" "app" {
  name                 = "app"
  resource_group_name  = azurerm_resource_group.main.name
  virtual_network_name = azurerm_virtual_network.main.name
  address_prefixes     = ["10.0.1.0/24"]
}
""",
        """
resource "azurerm_subnet" "app" {
  name                 = "app"
  resource_group_name  = azurerm_resource_group.main.name
  virtual_network_name = azurerm_virtual_network.main.name
  address_prefixes     = ["10.0.1.0/24"]
}

resource "azurerm_subnet_network_security_group_association" "app" {
  subnet_id                 = azurerm_subnet.app.id
  network_security_group_id = azurerm_network_security_group.app.id
}
""",
        cwe=("CWE-284",),
    )
)
def azure_subnet_no_nsg(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    refs = [
        a.value("subnet_id")
        for a in m.resources("azurerm_subnet_network_security_group_association")
    ]
    if any(not isinstance(r, Expr) or not r.refers_to("azurerm_subnet") for r in refs):
        return  # an association names a subnet this module cannot see: do not guess
    for s in m.resources("azurerm_subnet"):
        if s.value("name") in _RESERVED_SUBNETS or s.attr("network_security_group_id"):
            continue
        if s.value("delegation") or s.children("delegation"):
            continue  # delegated to a service (App Service, SQL MI ...) that manages it
        if any(isinstance(r, Expr) and r.refers_to(s.address) for r in refs):
            continue
        yield s.path, Hit(s.line, s.column, f"{s.address}: no network security group is associated")


_VMS = (
    "azurerm_linux_virtual_machine",
    "azurerm_windows_virtual_machine",
    "azurerm_virtual_machine",
)


def _nic_filtered(m: ModuleView, nic: Block) -> bool | None:
    """Whether an NSG applies to a network interface (its own, or its subnets'); None when a
    subnet or an association is not a resource this module declares, so it cannot tell."""
    if nic.attr("network_security_group_id") is not None:
        return True  # the azurerm 1.x attribute
    if any(
        _refers_any(a.value("network_interface_id"), nic.address)
        for a in m.resources("azurerm_network_interface_security_group_association")
    ):
        return True
    assoc = [
        a.value("subnet_id")
        for a in m.resources("azurerm_subnet_network_security_group_association")
    ]
    if any(not isinstance(r, Expr) or not r.refers_to("azurerm_subnet") for r in assoc):
        return None
    subnets = [c.value("subnet_id") for c in nic.children("ip_configuration")]
    if not subnets or any(
        not isinstance(r, Expr) or not r.refers_to("azurerm_subnet") for r in subnets
    ):
        return None
    for r in subnets:
        declared = [s for s in m.resources("azurerm_subnet") if r.refers_to(s.address)]
        if any(s.attr("network_security_group_id") is not None for s in declared):
            continue
        if not any(_refers_any(a, addr) for a in assoc for addr in _subnet_addresses(r)):
            return False
    return True


def _subnet_addresses(ref: Expr) -> list[str]:
    return re.findall(r"azurerm_subnet\.[\w-]+", ref.text)


_VM_NIC = """
resource "azurerm_network_interface" "api" {
  name                = "api-nic"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  ip_configuration {
    name                          = "primary"
    subnet_id                     = azurerm_subnet.app.id
    private_ip_address_allocation = "Dynamic"
  }
}
"""
_VM = """
resource "azurerm_linux_virtual_machine" "api" {
  name                  = "api"
  resource_group_name   = azurerm_resource_group.main.name
  location              = azurerm_resource_group.main.location
  size                  = "Standard_B2s"
  admin_username        = "ops"
  network_interface_ids = [azurerm_network_interface.api.id]
}
"""


@R(
    make_rule(
        "tf/azure-vm-nic-no-nsg",
        "Virtual machine network interface without a network security group",
        Severity.MEDIUM,
        "A virtual machine whose network interface has no network security group, on a subnet "
        "that has none either, accepts every port from the whole virtual network, and from the "
        "internet once it has a public IP: Azure filters nothing without an NSG.",
        "Associate an NSG with the network interface "
        "(azurerm_network_interface_security_group_association) or with its subnet "
        "(azurerm_subnet_network_security_group_association).",
        _VM_NIC + _VM,
        _VM_NIC
        + """
resource "azurerm_network_interface_security_group_association" "api" {
  network_interface_id      = azurerm_network_interface.api.id
  network_security_group_id = azurerm_network_security_group.api.id
}
"""
        + _VM,
        cwe=("CWE-284",),
        confidence=Confidence.MEDIUM,
    )
)
def azure_vm_nic_no_nsg(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for vm in m.resources(*_VMS):
        a = vm.attr("network_interface_ids")
        if a is None:
            continue
        for nic in m.resources("azurerm_network_interface"):
            if _refers_any(a.value, nic.address) and _nic_filtered(m, nic) is False:
                yield at_attr(vm, a, f"{vm.address}: {nic.address} has no network security group")
                break


# -- databases in public subnets ----------------------------------------------------------------

#: subnet groups of managed databases and caches: their ``subnet_ids`` place the instances
_SUBNET_GROUPS = (
    "aws_db_subnet_group",
    "aws_docdb_subnet_group",
    "aws_neptune_subnet_group",
    "aws_elasticache_subnet_group",
    "aws_redshift_subnet_group",
)


def _refers_any(v: Any, address: str) -> bool:
    return any(isinstance(x, Expr) and x.refers_to(address) for x in _as_list(v))


def _public_subnets(m: ModuleView) -> list[Block]:
    """Subnets associated with a route table that sends 0.0.0.0/0 (or ::/0) to an
    internet gateway: a host there with a public address is on the internet."""
    igws = [g.address for g in m.resources("aws_internet_gateway")]

    def to_igw(gateway: Any) -> bool:
        return (isinstance(gateway, str) and gateway.startswith("igw-")) or any(
            _refers_any(gateway, g) for g in igws
        )

    public_tables = []
    for rt in m.resources("aws_route_table"):
        inline = any(
            (is_world(r.value("cidr_block")) or is_world(r.value("ipv6_cidr_block")))
            and to_igw(r.value("gateway_id"))
            for r in rt.children("route")
        )
        separate = any(
            _refers_any(r.value("route_table_id"), rt.address)
            and (
                is_world(r.value("destination_cidr_block"))
                or is_world(r.value("destination_ipv6_cidr_block"))
            )
            and to_igw(r.value("gateway_id"))
            for r in m.resources("aws_route")
        )
        if inline or separate:
            public_tables.append(rt.address)
    out = []
    for s in m.resources("aws_subnet"):
        for a in m.resources("aws_route_table_association"):
            if _refers_any(a.value("subnet_id"), s.address) and any(
                _refers_any(a.value("route_table_id"), t) for t in public_tables
            ):
                out.append(s)
                break
    return out


#: an internet gateway, a route table sending 0.0.0.0/0 to it, and the subnet "web"
_PUBLIC_SUBNET = """
resource "aws_internet_gateway" "gw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.gw.id
  }
}

resource "aws_subnet" "web" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}
"""


@R(
    make_rule(
        "tf/aws-db-subnet-group-public-subnets",
        "Database subnet group spans public subnets",
        Severity.LOW,
        "A subnet group that includes subnets routed to an internet gateway places database "
        "or cache nodes where a public address makes them reachable from the internet: one "
        "publicly_accessible = true (or a mistaken security group) away from exposure.",
        "Build subnet groups from private subnets only (no 0.0.0.0/0 route to an internet "
        "gateway; reach the internet, if at all, through a NAT gateway).",
        _PUBLIC_SUBNET
        + """
resource "aws_route_table_association" "web" {
  subnet_id      = aws_subnet.web.id
  route_table_id = aws_route_table.public.id
}

resource "aws_db_subnet_group" "db" {
  name       = "db"
  subnet_ids = [aws_subnet.web.id]
}
""",
        _PUBLIC_SUBNET
        + """
resource "aws_subnet" "data" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.2.0/24"
}

resource "aws_route_table_association" "web" {
  subnet_id      = aws_subnet.web.id
  route_table_id = aws_route_table.public.id
}

resource "aws_db_subnet_group" "db" {
  name       = "db"
  subnet_ids = [aws_subnet.data.id]
}
""",
        cwe=("CWE-284",),
    )
)
def db_subnet_group_public(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    groups = list(m.resources(*_SUBNET_GROUPS))
    if not groups:
        return
    public = _public_subnets(m)
    for g in groups:
        ids = g.attr("subnet_ids")
        if ids is None:
            continue
        named = [s.address for s in public if _refers_any(ids.value, s.address)]
        if named:
            msg = f"{g.address}: {', '.join(named)} route 0.0.0.0/0 to an internet gateway"
            yield at_attr(g, ids, msg)


# -- privilege escalation spread over a principal's policies ----------------------------------


def _on_all_resources(m: ModuleView, value: Any) -> list[str]:
    """The actions a policy (JSON, jsonencode() or an aws_iam_policy_document's ``json``,
    under ``count`` too) allows on Resource "*"."""
    value = m.policy(value)
    if isinstance(value, Expr):
        return []
    return [
        a
        for st in _statements(value)
        if st.get("Effect") == "Allow" and "*" in _as_list(st.get("Resource"))
        for a in _as_list(st.get("Action"))
        if isinstance(a, str)
    ]


#: principal type -> (inline policy type and its principal attribute, attachment type and its
#: principal attribute, the aws_iam_policy_attachment list naming that kind of principal)
_PRINCIPALS = {
    "aws_iam_role": ("aws_iam_role_policy", "aws_iam_role_policy_attachment", "role", "roles"),
    "aws_iam_user": ("aws_iam_user_policy", "aws_iam_user_policy_attachment", "user", "users"),
    "aws_iam_group": (
        "aws_iam_group_policy",
        "aws_iam_group_policy_attachment",
        "group",
        "groups",
    ),
}


def _names(principal: Block) -> tuple[str, Any]:
    return principal.address, principal.value("name")


def _is(v: Any, principal: Block) -> bool:
    address, name = _names(principal)
    return any(
        (isinstance(x, Expr) and x.refers_to(address))
        or (isinstance(x, str) and isinstance(name, str) and x == name)
        for x in _as_list(v)
    )


def _principal_policies(m: ModuleView, principal: Block) -> list[list[str]]:
    """What each policy of the principal (inline, inline_policy blocks, attached customer
    managed policies of this module) allows on Resource "*"."""
    inline, attachment, attr, plural = _PRINCIPALS[principal.kind]
    out = [
        _on_all_resources(m, b.value("policy"))
        for b in m.resources(inline)
        if _is(b.value(attr), principal)
    ]
    out += [_on_all_resources(m, p.value("policy")) for p in principal.children("inline_policy")]
    arns: list[Any] = [
        b.value("policy_arn") for b in m.resources(attachment) if _is(b.value(attr), principal)
    ] + [
        b.value("policy_arn")
        for b in m.resources("aws_iam_policy_attachment")
        if _is(b.value(plural), principal)
    ]
    arns += _as_list(principal.value("managed_policy_arns", []))
    for p in m.resources("aws_iam_policy"):
        if any(isinstance(a, Expr) and a.refers_to(p.address) for a in arns):
            out.append(_on_all_resources(m, p.value("policy")))
    return [acts for acts in out if acts]


_DEPLOYER = """
resource "aws_iam_role" "deployer" {
  name               = "deployer"
  assume_role_policy = data.aws_iam_policy_document.ci_trust.json
}
"""
_LAUNCH = """
resource "aws_iam_role_policy" "launch" {
  role = aws_iam_role.deployer.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "ec2:RunInstances", Resource = "*" }]
  })
}
"""


@R(
    make_rule(
        "tf/aws-iam-principal-privilege-escalation",
        "IAM principal can escalate its privileges through its policies together",
        Severity.MEDIUM,
        "iam:PassRole on every role in one policy and ec2:RunInstances or "
        "lambda:CreateFunction in another, attached to the same role, user or group, let the "
        "principal start an instance or function under any role of the account and act with "
        "that role's rights: the split hides the escalation from a policy-by-policy review.",
        "Scope iam:PassRole to the roles the principal must hand to EC2 or Lambda (their ARNs, "
        "with an iam:PassedToService condition), or drop the launch permission.",
        _DEPLOYER
        + """
resource "aws_iam_role_policy" "pass" {
  role = aws_iam_role.deployer.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:PassRole", Resource = "*" }]
  })
}
"""
        + _LAUNCH,
        _DEPLOYER
        + """
resource "aws_iam_role_policy" "pass" {
  role = aws_iam_role.deployer.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "iam:PassRole"
      Resource = "arn:aws:iam::111122223333:role/app-instance"
    }]
  })
}
"""
        + _LAUNCH,
        cwe=("CWE-269",),
        references=(
            "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/",
        ),
    )
)
def principal_privilege_escalation(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for principal in m.resources(*_PRINCIPALS):
        policies = _principal_policies(m, principal)
        if len(policies) < 2 or any(escalates(acts) for acts in policies):
            continue  # one policy alone is tf/aws-iam-privilege-escalation's finding
        if escalates([a for acts in policies for a in acts]):
            yield (
                principal.path,
                Hit(
                    principal.line,
                    principal.column,
                    f"{principal.address}: its policies together allow iam:PassRole with a "
                    "service launch on *",
                ),
            )


# -- SES domains without DKIM -----------------------------------------------------------------


@R(
    make_rule(
        "tf/aws-ses-domain-no-dkim",
        "SES domain identity without DKIM signing",
        Severity.LOW,
        "An SES domain identity (SES v1) signs its mail with DKIM only when an "
        "aws_ses_domain_dkim resource is created for it: without one, receivers cannot tell "
        "the domain's mail from forged mail by its signature, and a DMARC policy relies on SPF "
        "alone. Spoofing resistance, not exposure of the account: low. SES v2 email identities "
        "(aws_sesv2_email_identity) sign with Easy DKIM by default.",
        'Add resource "aws_ses_domain_dkim" with domain = aws_ses_domain_identity.<name>.domain '
        "and publish its three CNAME records.",
        """
resource "aws_ses_domain_identity" "mail" {
  domain = "mail.example.com"
}
""",
        """
resource "aws_ses_domain_identity" "mail" {
  domain = "mail.example.com"
}

resource "aws_ses_domain_dkim" "mail" {
  domain = aws_ses_domain_identity.mail.domain
}

resource "aws_ses_domain_identity" "news" {
  domain = var.news_domain
}

resource "aws_ses_domain_dkim" "news" {
  domain = var.news_domain
}
""",
        cwe=("CWE-290",),
        references=(
            "https://docs.aws.amazon.com/ses/latest/dg/send-email-authentication-dkim.html",
            "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ses_domain_dkim",
        ),
    )
)
def ses_domain_no_dkim(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources("aws_ses_domain_identity"):
        if not m.linked(b, ("aws_ses_domain_dkim",), attr="domain", name="domain"):
            yield (
                b.path,
                Hit(b.line, b.column, f"{b.address}: no aws_ses_domain_dkim signs its mail"),
            )
