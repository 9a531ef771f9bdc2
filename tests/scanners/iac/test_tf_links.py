"""Checks that follow a reference from one Terraform resource to another (tf_links)."""

from __future__ import annotations

import pytest
from tests.scanners.iac.helpers import findings, scan_family


def _rules(text: str, rule_id: str) -> list[tuple[int, str]]:
    return [(f.location.start_line, f.message) for f in findings(scan_family("tf", text), rule_id)]


NEPTUNE = (
    'resource "aws_neptune_cluster" "graph" {{\n  cluster_identifier = "graph"\n{enc}}}\n\n'
    'resource "aws_neptune_cluster_snapshot" "s" {{\n'
    "  db_cluster_identifier          = aws_neptune_cluster.graph.id\n"
    '  db_cluster_snapshot_identifier = "s1"\n}}\n'
)


@pytest.mark.parametrize(
    ("enc", "expected"),
    [
        ("  storage_encrypted = false\n", "storage_encrypted is false"),
        ("", "storage_encrypted is not set"),
        ("  storage_encrypted = true\n", None),
        ("  storage_encrypted = var.encrypt\n", None),  # unknown: never fires
    ],
)
def test_snapshot_follows_its_source_cluster(enc: str, expected: str | None) -> None:
    got = _rules(NEPTUNE.format(enc=enc), "tf/aws-snapshot-source-unencrypted")
    if expected is None:
        assert got == []
    else:
        assert len(got) == 1 and got[0][1].endswith(expected)


def test_ebs_default_encryption_of_the_account_covers_the_volume() -> None:
    text = (
        'resource "aws_ebs_encryption_by_default" "on" {\n  enabled = true\n}\n'
        'resource "aws_ebs_volume" "v" {\n  availability_zone = "eu-west-1a"\n  size = 8\n}\n'
        'resource "aws_ebs_snapshot" "s" {\n  volume_id = aws_ebs_volume.v.id\n}\n'
    )
    assert not _rules(text, "tf/aws-snapshot-source-unencrypted")


POLICY = """
resource "aws_elasticsearch_domain" "logs" {{
  domain_name = "logs"
{vpc}}}

resource "aws_elasticsearch_domain_policy" "logs" {{
  domain_name     = aws_elasticsearch_domain.logs.domain_name
  access_policies = <<EOF
{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow",
  "Principal": {{"AWS": "*"}}, "Action": "es:*", "Resource": "*"{cond}}}]}}
EOF
}}
"""


def test_public_domain_policy_in_json_is_reported_at_the_principal() -> None:
    got = _rules(POLICY.format(vpc="", cond=""), "tf/aws-opensearch-policy-public")
    assert got == [(10, "aws_elasticsearch_domain_policy.logs: policy allows Principal *")]


@pytest.mark.parametrize(
    ("vpc", "cond"),
    [
        ('  vpc_options {\n    subnet_ids = ["subnet-1"]\n  }\n', ""),
        ("", ', "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}'),
    ],
)
def test_domain_in_a_vpc_or_a_conditioned_policy_is_not_public(vpc: str, cond: str) -> None:
    assert not _rules(POLICY.format(vpc=vpc, cond=cond), "tf/aws-opensearch-policy-public")


SUBNET = (
    'resource "azurerm_subnet" "{name}" {{\n  name = "{name}"\n'
    '  resource_group_name = "rg"\n  virtual_network_name = "vn"\n'
    '  address_prefixes = ["10.0.1.0/24"]\n}}\n'
)
ASSOC = (
    'resource "azurerm_subnet_network_security_group_association" "a" {{\n'
    "  subnet_id                 = {ref}\n"
    "  network_security_group_id = azurerm_network_security_group.n.id\n}}\n"
)


def test_subnet_nsg_association_and_reserved_subnets() -> None:
    text = (
        SUBNET.format(name="app")
        + SUBNET.format(name="db")
        + SUBNET.format(name="GatewaySubnet")
        + ASSOC.format(ref="azurerm_subnet.app.id")
    )
    got = _rules(text, "tf/azure-subnet-no-nsg")
    assert [m for _, m in got] == ["azurerm_subnet.db: no network security group is associated"]


def test_an_association_with_a_subnet_from_elsewhere_stops_the_guess() -> None:
    text = SUBNET.format(name="db") + ASSOC.format(ref="var.subnet_id")
    assert not _rules(text, "tf/azure-subnet-no-nsg")


def test_alicloud_whitelist_with_a_world_entry() -> None:
    """A bare 0.0.0.0 or 0.0.0.0/0 in an RDS whitelist lets in anyone."""
    text = (
        'resource "alicloud_db_instance" "d" {\n  engine = "MySQL"\n'
        '  security_ips = ["10.0.0.0/8", "0.0.0.0/0"]\n}\n'
        'resource "alicloud_db_instance" "ok" {\n  engine = "MySQL"\n'
        '  security_ips = ["10.0.0.0/8"]\n}\n'
    )
    assert [line for line, _ in _rules(text, "tf/alicloud-rds-open-to-world")] == [3]


ROUTED = """
resource "aws_internet_gateway" "gw" {
  vpc_id = aws_vpc.main.id
}
resource "aws_route_table" "rt" {
  vpc_id = aws_vpc.main.id
}
resource "aws_route" "out" {
  route_table_id         = aws_route_table.rt.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = %s
}
resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}
resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.a.id
  route_table_id = aws_route_table.rt.id
}
resource "aws_db_subnet_group" "db" {
  name       = "db"
  subnet_ids = ["${aws_subnet.a.id}"]
}
"""


def test_subnet_group_in_a_subnet_routed_by_a_separate_route_resource() -> None:
    got = _rules(ROUTED % "aws_internet_gateway.gw.id", "tf/aws-db-subnet-group-public-subnets")
    assert got == [
        (23, "aws_db_subnet_group.db: aws_subnet.a route 0.0.0.0/0 to an internet gateway")
    ]
    nat = ROUTED % "null\n  nat_gateway_id = aws_nat_gateway.n.id"
    assert not _rules(nat, "tf/aws-db-subnet-group-public-subnets")
