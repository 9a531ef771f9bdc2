"""Terraform rules (``tf/<slug>``) over AWS, Google Cloud and Azure resources.

Checks run on one evaluated module instance (:class:`ModuleView`) and yield
``(path, Hit)``: the line of the offending attribute, or of the block that lacks a
setting. Values that cannot be known statically (references, functions) never fire.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from pipesec.core.model import Confidence, Severity
from pipesec.scanners.iac.common import (
    Hit,
    Registry,
    looks_like_literal_secret,
    looks_like_secret_name,
    make_rule,
)
from pipesec.scanners.iac.hcl import Attr, Block, Expr, as_json

REGISTRY = Registry()
R = REGISTRY.rule
TfHit = tuple[str, Hit]
WORLD = ("0.0.0.0/0", "::/0")


@dataclass
class ModuleView:
    """The evaluated blocks of one module instance."""

    blocks: list[Block] = field(default_factory=list)
    #: (block type, kind) -> (position, block): rules look resources up per resource, so a
    #: scan over the list each time would be quadratic in a module's size
    _index: dict[tuple[str, str], list[tuple[int, Block]]] | None = field(
        default=None, repr=False, compare=False
    )
    #: id(block) -> (block, its CEL map), for the data rules
    _cel: dict[int, tuple[Block, Any]] | None = field(default=None, repr=False, compare=False)

    def _of_kinds(self, block_type: str, types: tuple[str, ...]) -> Iterator[Block]:
        if self._index is None:
            index: dict[tuple[str, str], list[tuple[int, Block]]] = {}
            for i, b in enumerate(self.blocks):
                index.setdefault((b.type, b.kind), []).append((i, b))
            self._index = index
        found = [self._index.get((block_type, t), []) for t in dict.fromkeys(types)]
        if len(found) == 1:
            return (b for _, b in found[0])
        return (b for _, b in sorted(chain.from_iterable(found), key=lambda e: e[0]))

    def cel(self, block: Block) -> Any:
        """The resource's attributes as a CEL map (converted once per view)."""
        if self._cel is None:
            self._cel = {}
        found = self._cel.get(id(block))
        if found is None:
            from pipesec.scanners.iac.cel import to_cel
            from pipesec.scanners.iac.datarules import block_to_map

            found = self._cel[id(block)] = (block, to_cel(block_to_map(block)))
        return found[1]

    def resources(self, *types: str) -> Iterator[Block]:
        return self._of_kinds("resource", types)

    def data(self, *types: str) -> Iterator[Block]:
        return self._of_kinds("data", types)

    def of_type(self, block_type: str) -> Iterator[Block]:
        for b in self.blocks:
            if b.type == block_type:
                yield b

    def linked(self, target: Block, types: Iterable[str], attr: str = "bucket") -> list[Block]:
        """Resources of ``types`` whose ``attr`` refers to ``target`` (by address or name)."""
        name = target.value("bucket")
        out = []
        for b in self.resources(*types):
            v = b.value(attr)
            if (isinstance(v, Expr) and v.refers_to(target.address)) or (
                isinstance(v, str) and isinstance(name, str) and v == name
            ):
                out.append(b)
        return out


def at_attr(block: Block, a: Attr, message: str = "", key: str = "") -> TfHit:
    return block.path, Hit(a.line, a.column, message, key=key or block.address + "." + a.name)


def at_block(block: Block, message: str = "", key: str = "") -> TfHit:
    return block.path, Hit(block.line, block.column, message, key=key or block.address)


def at_missing(block: Block, dotted: str, message: str = "") -> TfHit:
    """The deepest existing block on the way to a missing attribute."""
    cur = block
    for part in dotted.split(".")[:-1]:
        found = cur.children(part)
        if not found:
            break
        cur = found[0]
    return block.path, Hit(cur.line, cur.column, message, key=block.address + "." + dotted)


def _line_in(lines: list[str], a: Attr, pattern: str) -> int:
    rx = re.compile(pattern)
    for n in range(a.line, min(a.end_line, len(lines)) + 1):
        if rx.search(lines[n - 1]):
            return n
    return a.line


def _tf(title: str) -> tuple[str, ...]:
    return (f"https://registry.terraform.io/providers/hashicorp/{title}",)


def simple(
    rule_id: str,
    title: str,
    severity: Severity,
    rationale: str,
    remediation: str,
    vulnerable: str,
    fixed: str,
    types: tuple[str, ...],
    attr: str,
    bad: Callable[[Any], bool],
    missing: bool = False,
    cwe: tuple[str, ...] = (),
    confidence: Confidence = Confidence.HIGH,
    references: tuple[str, ...] = (),
    when: Callable[[Block], bool] | None = None,
) -> None:
    """A rule about one attribute: fires on a bad value, and on absence when ``missing``."""

    @R(
        make_rule(
            rule_id,
            title,
            severity,
            rationale,
            remediation,
            vulnerable,
            fixed,
            cwe=cwe,
            confidence=confidence,
            references=references,
        )
    )
    def check(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
        for b in m.resources(*types):
            if when is not None and not when(b):
                continue
            a = b.attr(attr)
            if a is None:
                if missing:
                    yield at_missing(b, attr, f"{b.address}: {attr} is not set")
            elif not isinstance(a.value, Expr) and bad(a.value):
                yield at_attr(b, a, f"{b.address}: {attr} = {_show(a.value)}")


def _show(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return f'"{v}"'
    return str(v)


def _is(value: Any) -> Callable[[Any], bool]:
    return lambda v: v == value


def _not(value: Any) -> Callable[[Any], bool]:
    return lambda v: v != value


def _in(*values: Any) -> Callable[[Any], bool]:
    return lambda v: v in values


# -- AWS: S3 -------------------------------------------------------------------------------

S3 = """
resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}
"""


def _statements(policy: Any) -> list[dict[str, Any]]:
    doc = as_json(policy)
    if not isinstance(doc, dict):
        return []
    st = doc.get("Statement")
    if isinstance(st, dict):
        st = [st]
    return [s for s in st if isinstance(s, dict)] if isinstance(st, list) else []


def _as_list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else [v]


def _public_principal(p: Any) -> bool:
    if p == "*":
        return True
    if isinstance(p, dict):
        return any("*" in _as_list(v) for v in p.values())
    return False


@R(
    make_rule(
        "tf/aws-s3-public-policy",
        "S3 bucket policy allows anyone",
        Severity.HIGH,
        'A bucket policy statement that Allows Principal "*" without a condition makes the '
        "bucket's objects available to the whole internet.",
        "Grant access to specific principals, or add a condition (aws:SourceVpce, "
        "aws:PrincipalOrgID).",
        """
resource "aws_s3_bucket_policy" "site" {
  bucket = aws_s3_bucket.site.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::acme-site/*"
    }]
  })
}
""",
        """
resource "aws_s3_bucket_policy" "site" {
  bucket = aws_s3_bucket.site.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:role/cdn" }
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::acme-site/*"
    }]
  })
}
""",
        cwe=("CWE-284",),
    )
)
def s3_public_policy(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources("aws_s3_bucket_policy", "aws_s3_bucket"):
        a = b.attr("policy")
        if a is None:
            continue
        for st in _statements(a.value):
            if (
                st.get("Effect") == "Allow"
                and _public_principal(st.get("Principal"))
                and not st.get("Condition")
            ):
                line = _line_in(lines[b.path], a, r"Principal")
                yield b.path, Hit(line, 1, f"{b.address}: policy allows Principal *")
                break


PAB_ATTRS = (
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
)


@R(
    make_rule(
        "tf/aws-s3-no-public-access-block",
        "S3 bucket without a public access block",
        Severity.MEDIUM,
        "Without an S3 public access block, one ACL or policy change is enough to expose the "
        "bucket; the block is the guard rail that refuses public grants.",
        "Add an aws_s3_bucket_public_access_block for the bucket with all four settings true "
        "(or an account-level aws_s3_account_public_access_block).",
        S3,
        S3
        + """
resource "aws_s3_bucket_public_access_block" "logs" {
  bucket                  = aws_s3_bucket.logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
""",
        cwe=("CWE-284",),
        confidence=Confidence.MEDIUM,
    )
)
def s3_no_pab(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    if any(True for _ in m.resources("aws_s3_account_public_access_block")):
        return
    for b in m.resources("aws_s3_bucket"):
        if not m.linked(b, ("aws_s3_bucket_public_access_block",)):
            yield at_block(b, f"{b.address} has no public access block")


@R(
    make_rule(
        "tf/aws-s3-public-access-block-disabled",
        "S3 public access block setting disabled",
        Severity.HIGH,
        "A public access block with a setting false (or unset, which defaults to false) lets "
        "public ACLs or policies through.",
        "Set block_public_acls, block_public_policy, ignore_public_acls and "
        "restrict_public_buckets to true.",
        """
resource "aws_s3_bucket_public_access_block" "logs" {
  bucket                  = aws_s3_bucket.logs.id
  block_public_acls       = true
  block_public_policy     = false
  ignore_public_acls      = true
  restrict_public_buckets = true
}
""",
        """
resource "aws_s3_bucket_public_access_block" "logs" {
  bucket                  = aws_s3_bucket.logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
""",
        cwe=("CWE-284",),
    )
)
def s3_pab_disabled(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources("aws_s3_bucket_public_access_block", "aws_s3_account_public_access_block"):
        for name in PAB_ATTRS:
            a = b.attr(name)
            if a is None:
                yield at_block(b, f"{b.address}: {name} is not set (defaults to false)", key=name)
            elif a.value is False:
                yield at_attr(b, a, f"{b.address}: {name} = false")


def _bucket_linked_rule(
    rule_id: str,
    title: str,
    severity: Severity,
    rationale: str,
    remediation: str,
    inline: str,
    linked_types: tuple[str, ...],
    fixed_extra: str,
    cwe: tuple[str, ...],
    inline_ok: Callable[[Block], bool],
) -> None:
    @R(
        make_rule(
            rule_id,
            title,
            severity,
            rationale,
            remediation,
            S3,
            S3 + fixed_extra,
            cwe=cwe,
            confidence=Confidence.MEDIUM,
        )
    )
    def check(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
        for b in m.resources("aws_s3_bucket"):
            inline_blocks = b.children(inline)
            if inline_blocks:
                if not inline_ok(inline_blocks[0]):
                    ib = inline_blocks[0]
                    yield b.path, Hit(ib.line, ib.column, f"{b.address}: {title.lower()}")
                continue
            if not m.linked(b, linked_types):
                yield at_block(b, f"{b.address}: {title.lower()}")


_bucket_linked_rule(
    "tf/aws-s3-unencrypted",
    "S3 bucket without a server-side encryption configuration",
    Severity.LOW,
    "S3 now encrypts new objects with S3-managed keys by default, but without an explicit "
    "configuration you cannot require KMS keys, key policies or audit key use.",
    "Add aws_s3_bucket_server_side_encryption_configuration with aws:kms (or at least AES256).",
    "server_side_encryption_configuration",
    ("aws_s3_bucket_server_side_encryption_configuration",),
    """
resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}
""",
    ("CWE-311",),
    lambda b: True,
)
_bucket_linked_rule(
    "tf/aws-s3-versioning-disabled",
    "S3 bucket without versioning",
    Severity.LOW,
    "Without versioning an overwritten or deleted object (ransomware, a compromised key, a "
    "mistake) cannot be recovered.",
    "Enable versioning with aws_s3_bucket_versioning (status Enabled).",
    "versioning",
    ("aws_s3_bucket_versioning",),
    """
resource "aws_s3_bucket_versioning" "logs" {
  bucket = aws_s3_bucket.logs.id
  versioning_configuration {
    status = "Enabled"
  }
}
""",
    ("CWE-693",),
    lambda b: b.value("enabled") is True,
)
_bucket_linked_rule(
    "tf/aws-s3-access-logging-disabled",
    "S3 bucket without access logging",
    Severity.LOW,
    "Without server access logs there is no record of who read or changed objects, which "
    "an incident investigation needs.",
    "Add aws_s3_bucket_logging pointing at a log bucket.",
    "logging",
    ("aws_s3_bucket_logging",),
    """
resource "aws_s3_bucket_logging" "logs" {
  bucket        = aws_s3_bucket.logs.id
  target_bucket = "acme-access-logs"
  target_prefix = "logs/"
}
""",
    ("CWE-778",),
    lambda b: True,
)

# -- AWS: storage encryption ---------------------------------------------------------------


INSTANCE = """
resource "aws_instance" "web" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.micro"
  metadata_options {
    http_tokens = "required"
  }
  root_block_device {
    encrypted = true
  }
}
"""


RDS = """
resource "aws_db_instance" "main" {
  identifier              = "orders"
  engine                  = "postgres"
  instance_class          = "db.t3.micro"
  storage_encrypted       = true
  backup_retention_period = 7
  publicly_accessible     = false
}
"""


# -- AWS: network --------------------------------------------------------------------------

SG = """
resource "aws_security_group" "admin" {
  name   = "admin"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = {port}
    to_port     = {port}
    protocol    = "tcp"
    cidr_blocks = [{cidr}]
  }
}
"""


def _sg(port: str, cidr: str) -> str:
    return SG.replace("{port}", port).replace("{cidr}", cidr)


def _world(values: Any) -> bool:
    return any(isinstance(v, str) and v.strip() in WORLD for v in _as_list(values))


def _int(v: Any) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, str) and v.strip().lstrip("-").isdigit():
        return int(v)
    return None


def _aws_rules(m: ModuleView) -> Iterator[tuple[Block, Block, Attr, str, int | None, int | None]]:
    """(resource, rule block, cidr attribute, protocol, from, to) of world-open ingress."""
    for b in m.resources("aws_security_group"):
        for ing in b.children("ingress"):
            for name in ("cidr_blocks", "ipv6_cidr_blocks"):
                a = ing.attrs.get(name)
                if a is not None and _world(a.value):
                    yield (
                        b,
                        ing,
                        a,
                        str(ing.value("protocol", "")),
                        _int(ing.value("from_port")),
                        _int(ing.value("to_port")),
                    )
    for b in m.resources("aws_security_group_rule"):
        if b.value("type") != "ingress":
            continue
        for name in ("cidr_blocks", "ipv6_cidr_blocks"):
            a = b.attrs.get(name)
            if a is not None and _world(a.value):
                yield (
                    b,
                    b,
                    a,
                    str(b.value("protocol", "")),
                    _int(b.value("from_port")),
                    _int(b.value("to_port")),
                )
    for b in m.resources("aws_vpc_security_group_ingress_rule"):
        for name in ("cidr_ipv4", "cidr_ipv6"):
            a = b.attrs.get(name)
            if a is not None and _world(a.value):
                yield (
                    b,
                    b,
                    a,
                    str(b.value("ip_protocol", "")),
                    _int(b.value("from_port")),
                    _int(b.value("to_port")),
                )


def _all_ports(proto: str, lo: int | None, hi: int | None) -> bool:
    if proto.lower() in ("-1", "all"):
        return True
    return lo is not None and hi is not None and lo <= 1 and hi >= 65535


def _covers(port: int, proto: str, lo: int | None, hi: int | None) -> bool:
    if _all_ports(proto, lo, hi):
        return False  # reported by the all-ports rule
    if proto.lower() not in ("tcp", "6"):
        return False
    return lo is not None and hi is not None and lo <= port <= hi


def _open_port_rule(cloud: str, slug: str, port: int, what: str, vuln: str, fixed: str) -> None:
    @R(
        make_rule(
            f"tf/{cloud}-{slug}",
            f"{what} open to the internet",
            Severity.HIGH if port else Severity.CRITICAL,
            (
                f"Port {port} reachable from 0.0.0.0/0 invites brute force and exploitation "
                "of the service from the whole internet."
                if port
                else "Every port reachable from 0.0.0.0/0: any service listening on the host is "
                "exposed to the internet."
            ),
            "Restrict the source to known address ranges, or reach hosts through a VPN, "
            "bastion or identity-aware proxy (SSM Session Manager, IAP, Azure Bastion).",
            vuln,
            fixed,
            cwe=("CWE-284",),
        )
    )
    def check(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
        if cloud == "aws":
            for b, _blk, a, proto, lo, hi in _aws_rules(m):
                if (port == 0 and _all_ports(proto, lo, hi)) or (
                    port and _covers(port, proto, lo, hi)
                ):
                    yield at_attr(
                        b,
                        a,
                        f"{b.address}: {what.lower()} open to {_show(a.value)}",
                        key=f"{a.line}",
                    )
        elif cloud == "gcp":
            yield from _gcp_open(m, port, what)
        else:
            yield from _azure_open(m, port, what)


_open_port_rule(
    "aws", "sg-open-ssh", 22, "SSH", _sg("22", '"0.0.0.0/0"'), _sg("22", '"10.20.0.0/16"')
)
_open_port_rule(
    "aws", "sg-open-rdp", 3389, "RDP", _sg("3389", '"0.0.0.0/0"'), _sg("3389", '"10.20.0.0/16"')
)
_open_port_rule(
    "aws",
    "sg-open-all-ports",
    0,
    "All ports",
    _sg("0", '"0.0.0.0/0"').replace('"tcp"', '"-1"'),
    _sg("443", '"0.0.0.0/0"'),
)

GFW = """
resource "google_compute_firewall" "admin" {
  name          = "allow-admin"
  network       = google_compute_network.main.name
  source_ranges = [{cidr}]
  allow {
    protocol = "tcp"
    ports    = [{ports}]
  }
}
"""


def _gfw(ports: str, cidr: str) -> str:
    return GFW.replace("{ports}", ports).replace("{cidr}", cidr)


def _port_spec_covers(spec: Any, port: int) -> bool:
    s = str(spec).strip()
    if s in ("*", "Any", "any"):
        return True
    if "-" in s:
        lo, _, hi = s.partition("-")
        if lo.strip().isdigit() and hi.strip().isdigit():
            return int(lo) <= port <= int(hi)
        return False
    return s.isdigit() and int(s) == port


def _spec_all(spec: Any) -> bool:
    s = str(spec).strip()
    return s in ("*", "Any", "any", "0-65535", "1-65535")


def _gcp_open(m: ModuleView, port: int, what: str) -> Iterator[TfHit]:
    for b in m.resources("google_compute_firewall"):
        if str(b.value("direction", "INGRESS")).upper() != "INGRESS":
            continue
        a = b.attr("source_ranges")
        if a is None or not _world(a.value):
            continue
        for allow in b.children("allow"):
            proto = str(allow.value("protocol", "")).lower()
            ports = allow.value("ports")
            if isinstance(ports, Expr):
                continue
            all_ports = (
                proto == "all"
                or (proto in ("tcp", "udp") and not ports)
                or any(_spec_all(p) for p in _as_list(ports or []))
            )
            if port == 0:
                hit = all_ports
            else:
                hit = (
                    not all_ports
                    and proto == "tcp"
                    and any(_port_spec_covers(p, port) for p in _as_list(ports or []))
                )
            if hit:
                yield at_attr(b, a, f"{b.address}: {what.lower()} open to the internet")
                break


_open_port_rule(
    "gcp",
    "firewall-open-ssh",
    22,
    "SSH",
    _gfw('"22"', '"0.0.0.0/0"'),
    _gfw('"22"', '"35.235.240.0/20"'),
)
_open_port_rule(
    "gcp",
    "firewall-open-rdp",
    3389,
    "RDP",
    _gfw('"3389"', '"0.0.0.0/0"'),
    _gfw('"3389"', '"35.235.240.0/20"'),
)
_open_port_rule(
    "gcp",
    "firewall-open-all-ports",
    0,
    "All ports",
    _gfw('"0-65535"', '"0.0.0.0/0"'),
    _gfw('"443"', '"0.0.0.0/0"'),
)

NSG = """
resource "azurerm_network_security_rule" "admin" {
  name                        = "allow-admin"
  resource_group_name         = azurerm_resource_group.main.name
  network_security_group_name = azurerm_network_security_group.main.name
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "{port}"
  source_address_prefix       = "{src}"
  destination_address_prefix  = "*"
}
"""


def _nsg(port: str, src: str) -> str:
    return NSG.replace("{port}", port).replace("{src}", src)


_AZ_ANY = ("*", "0.0.0.0/0", "0.0.0.0", "Internet", "Any", "any", "internet", "::/0")  # noqa: S104


def _azure_rule_blocks(m: ModuleView) -> Iterator[tuple[Block, Block]]:
    for b in m.resources("azurerm_network_security_rule"):
        yield b, b
    for b in m.resources("azurerm_network_security_group"):
        for r in b.children("security_rule"):
            yield b, r


def _azure_open(m: ModuleView, port: int, what: str) -> Iterator[TfHit]:
    for b, r in _azure_rule_blocks(m):
        if (
            str(r.value("direction", "")).lower() != "inbound"
            or str(r.value("access", "")).lower() != "allow"
        ):
            continue
        if str(r.value("protocol", "*")).lower() not in ("tcp", "*", "any"):
            continue
        src = r.attrs.get("source_address_prefix") or r.attrs.get("source_address_prefixes")
        if src is None or not any(isinstance(v, str) and v in _AZ_ANY for v in _as_list(src.value)):
            continue
        specs = []
        for name in ("destination_port_range", "destination_port_ranges"):
            v = r.value(name)
            if v is not None and not isinstance(v, Expr):
                specs.extend(_as_list(v))
        all_ports = any(_spec_all(s) for s in specs)
        hit = (
            all_ports
            if port == 0
            else (not all_ports and any(_port_spec_covers(s, port) for s in specs))
        )
        if hit:
            yield at_attr(
                b, src, f"{b.address}: {what.lower()} open to the internet", key=f"{src.line}"
            )


_open_port_rule("azure", "nsg-open-ssh", 22, "SSH", _nsg("22", "*"), _nsg("22", "10.20.0.0/16"))
_open_port_rule(
    "azure", "nsg-open-rdp", 3389, "RDP", _nsg("3389", "Internet"), _nsg("3389", "10.20.0.0/16")
)
_open_port_rule("azure", "nsg-open-all-ports", 0, "All ports", _nsg("*", "*"), _nsg("443", "*"))


@R(
    make_rule(
        "tf/aws-vpc-no-flow-logs",
        "VPC without flow logs",
        Severity.LOW,
        "Without flow logs there is no record of network traffic to investigate an intrusion "
        "or data exfiltration.",
        "Add an aws_flow_log for the VPC.",
        'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n',
        'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n\n'
        'resource "aws_flow_log" "main" {\n  vpc_id          = aws_vpc.main.id\n'
        '  traffic_type    = "ALL"\n  log_destination = aws_s3_bucket.flow.arn\n}\n',
        cwe=("CWE-778",),
        confidence=Confidence.MEDIUM,
    )
)
def flow_logs(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources("aws_vpc"):
        if not m.linked(b, ("aws_flow_log",), attr="vpc_id"):
            yield at_block(b, f"{b.address} has no flow log")


LISTENER = """
resource "aws_lb_listener" "front" {
  load_balancer_arn = aws_lb.front.arn
  port              = 443
  protocol          = "HTTPS"
  certificate_arn   = aws_acm_certificate.front.arn
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app.arn
  }
}
"""


@R(
    make_rule(
        "tf/aws-lb-http-listener",
        "Load balancer listener serves plain HTTP",
        Severity.MEDIUM,
        "An HTTP listener that forwards traffic (rather than redirecting to HTTPS) sends "
        "credentials and session cookies in clear.",
        "Listen on HTTPS, and make the HTTP listener a redirect to HTTPS.",
        LISTENER.replace("port              = 443", "port              = 80")
        .replace('"HTTPS"', '"HTTP"')
        .replace("  certificate_arn   = aws_acm_certificate.front.arn\n", ""),
        LISTENER,
        cwe=("CWE-319",),
    )
)
def lb_http(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources("aws_lb_listener", "aws_alb_listener"):
        a = b.attr("protocol")
        if a is None or a.value != "HTTP":
            continue
        if any(d.value("type") == "redirect" for d in b.children("default_action")):
            continue
        yield at_attr(b, a, f"{b.address} serves plain HTTP")


# -- AWS: compute, containers --------------------------------------------------------------


@R(
    make_rule(
        "tf/aws-imdsv1-allowed",
        "Instance metadata service v1 allowed",
        Severity.HIGH,
        "IMDSv1 answers unauthenticated GET requests, so any server-side request forgery in "
        "an application on the instance can steal its IAM role credentials.",
        'Set metadata_options { http_tokens = "required" } (IMDSv2 only).',
        INSTANCE.replace('"required"', '"optional"'),
        INSTANCE,
        cwe=("CWE-918", "CWE-522"),
        references=(
            "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-existing-instances.html",
        ),
    )
)
def imdsv1(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources("aws_instance", "aws_launch_template", "aws_launch_configuration"):
        md = b.children("metadata_options")
        if md and md[0].value("http_endpoint") == "disabled":
            continue
        a = b.attr("metadata_options.http_tokens")
        if a is None:
            yield at_missing(b, "metadata_options.http_tokens", f"{b.address} allows IMDSv1")
        elif not isinstance(a.value, Expr) and a.value != "required":
            yield at_attr(b, a, f"{b.address} allows IMDSv1")


@R(
    make_rule(
        "tf/aws-eks-public-endpoint",
        "EKS API endpoint open to the internet",
        Severity.MEDIUM,
        "The Kubernetes API endpoint is public (the default) and reachable from 0.0.0.0/0: "
        "stolen credentials or an API server vulnerability are usable from anywhere.",
        "Set endpoint_public_access = false, or restrict public_access_cidrs.",
        'resource "aws_eks_cluster" "main" {\n  name     = "main"\n'
        "  role_arn = aws_iam_role.eks.arn\n"
        "  vpc_config {\n    subnet_ids             = var.subnets\n"
        "    endpoint_public_access = true\n  }\n}\n",
        'resource "aws_eks_cluster" "main" {\n  name     = "main"\n'
        "  role_arn = aws_iam_role.eks.arn\n"
        "  vpc_config {\n    subnet_ids              = var.subnets\n"
        "    endpoint_private_access = true\n"
        "    endpoint_public_access  = false\n  }\n}\n",
        cwe=("CWE-284",),
    )
)
def eks_public(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources("aws_eks_cluster"):
        vpc = b.children("vpc_config")
        if not vpc:
            continue
        a = vpc[0].attrs.get("endpoint_public_access")
        if a is not None and a.value is not True:
            continue
        cidrs = vpc[0].value("public_access_cidrs")
        if cidrs is not None and (isinstance(cidrs, Expr) or not _world(cidrs)):
            continue
        if a is not None:
            yield at_attr(b, a, f"{b.address}: public API endpoint")
        else:
            yield (
                b.path,
                Hit(vpc[0].line, vpc[0].column, f"{b.address}: public API endpoint (default)"),
            )


# -- AWS: IAM, KMS, logging ----------------------------------------------------------------

IAM_POLICY = """
resource "aws_iam_policy" "deploy" {
  name = "deploy"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = {action}
      Resource = {resource}
    }]
  })
}
"""


def _iam(action: str, resource: str) -> str:
    return IAM_POLICY.replace("{action}", action).replace("{resource}", resource)


@R(
    make_rule(
        "tf/aws-iam-wildcard-policy",
        'IAM policy allows "*" actions on "*" resources',
        Severity.HIGH,
        "A statement allowing every action on every resource is administrator access: one "
        "leaked credential of the principal owns the account.",
        "List the actions and resource ARNs the principal needs.",
        _iam('"*"', '"*"'),
        _iam('["s3:PutObject"]', '"arn:aws:s3:::acme-artifacts/*"'),
        cwe=("CWE-269",),
    )
)
def iam_wildcard(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources(
        "aws_iam_policy",
        "aws_iam_role_policy",
        "aws_iam_user_policy",
        "aws_iam_group_policy",
    ):
        a = b.attr("policy")
        if a is None:
            continue
        for st in _statements(a.value):
            if (
                st.get("Effect") == "Allow"
                and "*" in _as_list(st.get("Action"))
                and "*" in _as_list(st.get("Resource"))
            ):
                line = _line_in(lines[b.path], a, r"Action.*\"\*\"")
                yield b.path, Hit(line, 1, f"{b.address} allows * on *")
                break
    for d in m.data("aws_iam_policy_document"):
        for sb in d.children("statement"):
            if sb.value("effect", "Allow") != "Allow":
                continue
            acts, res = sb.attrs.get("actions"), sb.attrs.get("resources")
            if (
                acts is not None
                and res is not None
                and "*" in _as_list(acts.value)
                and "*" in _as_list(res.value)
            ):
                yield at_attr(d, acts, f"{d.address} allows * on *")


@R(
    make_rule(
        "tf/aws-iam-user-access-key",
        "Long-lived IAM user access key",
        Severity.MEDIUM,
        "Access keys do not expire; they leak through CI logs, laptops and repositories. "
        "Roles (OIDC federation for CI, instance profiles) give short-lived credentials instead.",
        "Use an IAM role assumed through OIDC (CI) or an instance/task role instead of an "
        "access key.",
        'resource "aws_iam_user" "ci" {\n  name = "ci"\n}\n\n'
        'resource "aws_iam_access_key" "ci" {\n  user = aws_iam_user.ci.name\n}\n',
        'resource "aws_iam_role" "ci" {\n  name               = "ci"\n'
        "  assume_role_policy = data.aws_iam_policy_document.github_oidc.json\n}\n",
        cwe=("CWE-798",),
        confidence=Confidence.MEDIUM,
    )
)
def iam_access_key(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources("aws_iam_access_key"):
        yield at_block(b, f"{b.address} creates a long-lived access key")


@R(
    make_rule(
        "tf/aws-iam-policy-on-user",
        "IAM policy attached directly to a user",
        Severity.LOW,
        "Permissions attached to individual users drift and are hard to review; groups or "
        "roles keep them in one place.",
        "Attach policies to groups or roles, and put users in groups.",
        'resource "aws_iam_user_policy_attachment" "ci" {\n  user       = aws_iam_user.ci.name\n'
        "  policy_arn = aws_iam_policy.deploy.arn\n}\n",
        'resource "aws_iam_group_policy_attachment" "ci" {\n  group      = aws_iam_group.ci.name\n'
        "  policy_arn = aws_iam_policy.deploy.arn\n}\n",
        cwe=("CWE-269",),
        confidence=Confidence.MEDIUM,
    )
)
def iam_user_policy(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources("aws_iam_user_policy", "aws_iam_user_policy_attachment"):
        a = b.attr("user")
        yield at_attr(b, a) if a is not None else at_block(b)


TRAIL = """
resource "aws_cloudtrail" "main" {
  name                       = "main"
  s3_bucket_name             = aws_s3_bucket.trail.id
  is_multi_region_trail      = true
  enable_log_file_validation = true
  kms_key_id                 = aws_kms_key.trail.arn
}
"""


# -- credentials ---------------------------------------------------------------------------

_SECRET_ATTR = re.compile(
    r"(?i)^(?:access_key|secret_key|token|client_secret|password|credentials|api_key|api_token"
    r"|master_password|admin_password|administrator_login_password|private_key|secret)$"
)


@R(
    make_rule(
        "tf/provider-hardcoded-credentials",
        "Credentials hard-coded in a provider block",
        Severity.CRITICAL,
        "Access keys or client secrets written into a provider block are committed to the "
        "repository and copied into every clone, CI log and state backup.",
        "Remove them: use environment variables, a credentials profile, or OIDC federation "
        "from CI.",
        'provider "aws" {\n  region     = "eu-west-1"\n  access_key = "'
        + "AKIA"
        + "Z7QXEXAMPLE4KEY"
        + '"\n  secret_key = "'
        + "wJalr"
        + "XUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY"
        + '"\n}\n',
        'provider "aws" {\n  region = "eu-west-1"\n}\n',
        cwe=("CWE-798",),
        tags=("iac", "secret"),
    )
)
def provider_creds(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.of_type("provider"):
        for a in b.attrs.values():
            if (
                _SECRET_ATTR.match(a.name)
                and isinstance(a.value, str)
                and looks_like_literal_secret(a.value)
            ):
                yield (
                    b.path,
                    Hit(
                        a.line,
                        a.column,
                        f"provider {'.'.join(b.labels)}: {a.name} is hard-coded",
                        secret=a.value,
                        key=a.name,
                    ),
                )


@R(
    make_rule(
        "tf/hardcoded-secret",
        "Secret hard-coded in a resource attribute",
        Severity.HIGH,
        "A password or token written as a literal ends up in the repository and in plain text "
        "in the Terraform state.",
        "Generate it (random_password), read it from a secret manager data source, or pass it "
        "as a sensitive variable without a default.",
        'resource "aws_db_instance" "main" {\n  identifier        = "orders"\n'
        '  engine            = "postgres"\n'
        '  instance_class    = "db.t3.micro"\n  storage_encrypted = true\n'
        '  username          = "app"\n'
        '  password          = "' + "Orders" + "-2024-pw!" + '"\n}\n',
        'resource "aws_db_instance" "main" {\n  identifier                  = "orders"\n'
        '  engine                      = "postgres"\n'
        '  instance_class              = "db.t3.micro"\n'
        '  storage_encrypted           = true\n  username                    = "app"\n'
        "  manage_master_user_password = true\n}\n",
        cwe=("CWE-798",),
        tags=("iac", "secret"),
    )
)
def hardcoded_secret(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for v in m.of_type("variable"):
        d = v.attrs.get("default")
        name = v.labels[0] if v.labels else ""
        if (
            d is not None
            and isinstance(d.value, str)
            and looks_like_secret_name(name)
            and looks_like_literal_secret(d.value)
        ):
            msg = f"variable {name} has a hard-coded default"
            yield v.path, Hit(d.line, d.column, msg, secret=d.value, key=name)
    for b in m.blocks:
        if b.type not in ("resource", "data"):
            continue
        for blk in b.walk():
            for a in blk.attrs.values():
                if not isinstance(a.value, str) or not looks_like_literal_secret(a.value):
                    continue
                if _SECRET_ATTR.match(a.name) or (
                    looks_like_secret_name(a.name)
                    and a.name.endswith(("password", "secret", "token"))
                ):
                    text = lines[b.path][a.line - 1] if a.line <= len(lines[b.path]) else ""
                    if a.value not in text:
                        continue  # came from a variable default: reported where it is written
                    yield (
                        b.path,
                        Hit(
                            a.line,
                            a.column,
                            f"{b.address}: {a.name} is hard-coded",
                            secret=a.value,
                            key=a.name,
                        ),
                    )
        env = b.attr("environment.variables")
        if env is not None and isinstance(env.value, dict):
            for k, v in env.value.items():
                if (
                    isinstance(v, str)
                    and looks_like_secret_name(k)
                    and looks_like_literal_secret(v)
                ):
                    line = _line_in(lines[b.path], env, re.escape(k))
                    yield b.path, Hit(line, 1, f"{b.address}: {k} is hard-coded", secret=v, key=k)


# -- Google Cloud --------------------------------------------------------------------------


@R(
    make_rule(
        "tf/gcp-gcs-public",
        "Cloud Storage bucket readable by allUsers",
        Severity.HIGH,
        "Granting a role to allUsers or allAuthenticatedUsers makes the bucket public to the "
        "internet (any Google account is anyone).",
        "Grant roles to specific members; enforce public access prevention.",
        'resource "google_storage_bucket_iam_member" "public" {\n'
        "  bucket = google_storage_bucket.site.name\n"
        '  role   = "roles/storage.objectViewer"\n  member = "allUsers"\n}\n',
        'resource "google_storage_bucket_iam_member" "cdn" {\n'
        "  bucket = google_storage_bucket.site.name\n"
        '  role   = "roles/storage.objectViewer"\n'
        '  member = "serviceAccount:cdn@acme.iam.gserviceaccount.com"\n}\n',
        cwe=("CWE-284",),
    )
)
def gcs_public(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources(
        "google_storage_bucket_iam_member",
        "google_storage_bucket_iam_binding",
        "google_storage_bucket_access_control",
        "google_storage_default_object_access_control",
    ):
        for name in ("member", "members", "entity"):
            a = b.attr(name)
            if a is not None and any(
                isinstance(v, str) and v in ("allUsers", "allAuthenticatedUsers")
                for v in _as_list(a.value)
            ):
                yield at_attr(b, a, f"{b.address} makes the bucket public")


GCS = """
resource "google_storage_bucket" "data" {
  name                        = "acme-data"
  location                    = "EU"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  encryption {
    default_kms_key_name = google_kms_crypto_key.data.id
  }
}
"""

simple(
    "tf/gcp-gcs-uniform-access-disabled",
    "Cloud Storage bucket without uniform bucket-level access",
    Severity.MEDIUM,
    "Without uniform bucket-level access, per-object ACLs can make single objects public "
    "behind the bucket policy's back.",
    "Set uniform_bucket_level_access = true.",
    GCS.replace("uniform_bucket_level_access = true", "uniform_bucket_level_access = false"),
    GCS,
    ("google_storage_bucket",),
    "uniform_bucket_level_access",
    _not(True),
    missing=True,
    cwe=("CWE-284",),
)
simple(
    "tf/gcp-gcs-no-cmek",
    "Cloud Storage bucket without a customer-managed key",
    Severity.LOW,
    "Data is encrypted with Google-managed keys only; you cannot revoke or audit key use.",
    "Set encryption { default_kms_key_name = ... }.",
    GCS.replace(
        "  encryption {\n    default_kms_key_name = google_kms_crypto_key.data.id\n  }\n", ""
    ),
    GCS,
    ("google_storage_bucket",),
    "encryption.default_kms_key_name",
    lambda v: not v,
    missing=True,
    cwe=("CWE-311",),
    confidence=Confidence.MEDIUM,
)

SQL = """
resource "google_sql_database_instance" "main" {
  name             = "orders"
  database_version = "POSTGRES_16"
  settings {
    tier = "db-f1-micro"
    ip_configuration {
      ipv4_enabled = false
      ssl_mode     = "ENCRYPTED_ONLY"
      private_network = google_compute_network.main.id
    }
  }
}
"""


@R(
    make_rule(
        "tf/gcp-sql-public",
        "Cloud SQL instance open to the internet",
        Severity.HIGH,
        "An authorized network of 0.0.0.0/0 lets anyone on the internet reach the database "
        "port; only its password protects it.",
        "Use private IP, or authorize only known address ranges (or the Cloud SQL Auth Proxy).",
        SQL.replace(
            "      ipv4_enabled = false",
            '      ipv4_enabled = true\n      authorized_networks {\n        name  = "all"\n'
            '        value = "0.0.0.0/0"\n      }',
        ),
        SQL,
        cwe=("CWE-284",),
    )
)
def gcp_sql_public(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources("google_sql_database_instance"):
        for s in b.children("settings"):
            for ip in s.children("ip_configuration"):
                for net in ip.children("authorized_networks"):
                    a = net.attrs.get("value")
                    if a is not None and _world(a.value):
                        yield at_attr(b, a, f"{b.address} is open to the internet")


@R(
    make_rule(
        "tf/gcp-sql-no-ssl",
        "Cloud SQL accepts unencrypted connections",
        Severity.MEDIUM,
        "Without ssl_mode ENCRYPTED_ONLY (or require_ssl) clients may connect in plain text.",
        'Set ip_configuration { ssl_mode = "ENCRYPTED_ONLY" }.',
        SQL.replace('      ssl_mode     = "ENCRYPTED_ONLY"\n', ""),
        SQL,
        cwe=("CWE-319",),
        confidence=Confidence.MEDIUM,
    )
)
def gcp_sql_ssl(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources("google_sql_database_instance"):
        for s in b.children("settings"):
            ips = s.children("ip_configuration")
            if not ips:
                yield b.path, Hit(s.line, s.column, f"{b.address}: SSL not required", key=b.address)
                continue
            ip = ips[0]
            mode = ip.attrs.get("ssl_mode")
            req = ip.attrs.get("require_ssl")
            if mode is not None and mode.value in (
                "ENCRYPTED_ONLY",
                "TRUSTED_CLIENT_CERTIFICATE_REQUIRED",
            ):
                continue
            if req is not None and req.value is True:
                continue
            bad = mode if mode is not None and not isinstance(mode.value, Expr) else req
            if bad is not None and isinstance(bad.value, Expr):
                continue
            if bad is not None:
                yield at_attr(b, bad, f"{b.address}: SSL not required")
            else:
                yield (
                    b.path,
                    Hit(ip.line, ip.column, f"{b.address}: SSL not required", key=b.address),
                )


GCE = """
resource "google_compute_instance" "web" {
  name         = "web"
  machine_type = "e2-small"
  zone         = "europe-west1-b"
  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }
  network_interface {
    subnetwork = google_compute_subnetwork.app.id
  }
}
"""


@R(
    make_rule(
        "tf/gcp-instance-public-ip",
        "Compute instance with a public IP address",
        Severity.LOW,
        "An access_config block gives the VM an external address on the internet.",
        "Remove access_config; reach VMs through IAP or a load balancer.",
        GCE.replace(
            "    subnetwork = google_compute_subnetwork.app.id\n",
            "    subnetwork = google_compute_subnetwork.app.id\n    access_config {}\n",
        ),
        GCE,
        cwe=("CWE-284",),
        confidence=Confidence.MEDIUM,
    )
)
def gcp_public_ip(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources("google_compute_instance", "google_compute_instance_template"):
        for ni in b.children("network_interface"):
            for ac in ni.children("access_config"):
                yield b.path, Hit(ac.line, ac.column, f"{b.address} has a public IP")


simple(
    "tf/gcp-instance-serial-port",
    "Serial port access enabled on a compute instance",
    Severity.MEDIUM,
    "The interactive serial console is reachable from the internet with project SSH keys "
    "and is not filtered by firewall rules.",
    'Remove metadata "serial-port-enable" (or set it false).',
    GCE.replace(
        '  zone         = "europe-west1-b"',
        '  zone         = "europe-west1-b"\n  metadata = {\n    serial-port-enable = "true"\n  }',
    ),
    GCE,
    ("google_compute_instance",),
    "metadata",
    lambda v: isinstance(v, dict) and str(v.get("serial-port-enable", "")).lower() in ("true", "1"),
    cwe=("CWE-284",),
)


@R(
    make_rule(
        "tf/gcp-kms-rotation",
        "Cloud KMS key without rotation (or rotation over 90 days)",
        Severity.MEDIUM,
        "Keys that are not rotated keep protecting new data with old, possibly exposed material.",
        'Set rotation_period = "7776000s" (90 days) or shorter.',
        'resource "google_kms_crypto_key" "data" {\n  name     = "data"\n'
        "  key_ring = google_kms_key_ring.main.id\n}\n",
        'resource "google_kms_crypto_key" "data" {\n  name            = "data"\n'
        "  key_ring        = google_kms_key_ring.main.id\n"
        '  rotation_period = "7776000s"\n}\n',
        cwe=("CWE-320",),
    )
)
def gcp_kms(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources("google_kms_crypto_key"):
        purpose = b.value("purpose", "ENCRYPT_DECRYPT")
        if purpose != "ENCRYPT_DECRYPT":
            continue
        a = b.attr("rotation_period")
        if a is None:
            yield at_block(b, f"{b.address} never rotates")
        elif (
            isinstance(a.value, str)
            and a.value.endswith("s")
            and a.value[:-1].isdigit()
            and int(a.value[:-1]) > 7776000
        ):
            yield at_attr(b, a, f"{b.address} rotates less often than every 90 days")


@R(
    make_rule(
        "tf/gcp-iam-primitive-role",
        "Primitive role (owner/editor) granted in a project",
        Severity.MEDIUM,
        "roles/owner and roles/editor grant thousands of permissions across every service of "
        "the project.",
        "Grant predefined or custom roles with only the permissions needed.",
        'resource "google_project_iam_member" "ci" {\n  project = "acme-prod"\n'
        '  role    = "roles/editor"\n'
        '  member  = "serviceAccount:ci@acme-prod.iam.gserviceaccount.com"\n}\n',
        'resource "google_project_iam_member" "ci" {\n  project = "acme-prod"\n'
        '  role    = "roles/run.developer"\n'
        '  member  = "serviceAccount:ci@acme-prod.iam.gserviceaccount.com"\n}\n',
        cwe=("CWE-269",),
    )
)
def gcp_primitive(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources(
        "google_project_iam_member",
        "google_project_iam_binding",
        "google_folder_iam_member",
        "google_organization_iam_member",
    ):
        a = b.attr("role")
        if a is not None and a.value in ("roles/owner", "roles/editor"):
            yield at_attr(b, a, f"{b.address} grants {a.value}")


simple(
    "tf/gcp-subnet-flow-logs-disabled",
    "Subnetwork without VPC flow logs",
    Severity.LOW,
    "Without flow logs there is no record of the subnet's traffic for incident response.",
    "Add a log_config block.",
    'resource "google_compute_subnetwork" "app" {\n  name          = "app"\n'
    '  ip_cidr_range = "10.2.0.0/16"\n'
    "  network       = google_compute_network.main.id\n}\n",
    'resource "google_compute_subnetwork" "app" {\n  name          = "app"\n'
    '  ip_cidr_range = "10.2.0.0/16"\n'
    "  network       = google_compute_network.main.id\n  log_config {\n"
    '    aggregation_interval = "INTERVAL_5_SEC"\n  }\n}\n',
    ("google_compute_subnetwork",),
    "log_config.aggregation_interval",
    lambda v: False,
    missing=True,
    cwe=("CWE-778",),
    confidence=Confidence.MEDIUM,
    when=lambda b: (
        not b.children("log_config")
        and b.value("purpose") not in ("INTERNAL_HTTPS_LOAD_BALANCER", "REGIONAL_MANAGED_PROXY")
    ),
)
simple(
    "tf/gcp-gke-legacy-abac",
    "GKE legacy ABAC enabled",
    Severity.HIGH,
    "Legacy ABAC grants broad, hard-to-audit permissions and bypasses RBAC.",
    "Set enable_legacy_abac = false (the default) and use RBAC.",
    'resource "google_container_cluster" "main" {\n  name               = "main"\n'
    '  location           = "europe-west1"\n'
    "  enable_legacy_abac = true\n}\n",
    'resource "google_container_cluster" "main" {\n  name     = "main"\n'
    '  location = "europe-west1"\n}\n',
    ("google_container_cluster",),
    "enable_legacy_abac",
    _is(True),
    cwe=("CWE-284",),
)


@R(
    make_rule(
        "tf/gcp-service-account-key",
        "Long-lived service account key",
        Severity.MEDIUM,
        "A service account key is a password that never expires; keys leak from CI systems and "
        "laptops. Workload identity federation gives short-lived tokens instead.",
        "Use workload identity federation (CI) or attached service accounts instead of keys.",
        'resource "google_service_account_key" "ci" {\n'
        "  service_account_id = google_service_account.ci.name\n}\n",
        'resource "google_iam_workload_identity_pool" "ci" {\n'
        '  workload_identity_pool_id = "ci"\n}\n',
        cwe=("CWE-798",),
        confidence=Confidence.MEDIUM,
    )
)
def gcp_sa_key(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources("google_service_account_key"):
        yield at_block(b, f"{b.address} creates a long-lived key")


# -- Azure ---------------------------------------------------------------------------------

STORAGE = """
resource "azurerm_storage_account" "data" {
  name                            = "acmedata"
  resource_group_name             = azurerm_resource_group.main.name
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "GRS"
  https_traffic_only_enabled      = true
  min_tls_version                 = "TLS1_2"
  allow_nested_items_to_be_public = false
}
"""

simple(
    "tf/azure-storage-http-allowed",
    "Storage account accepts plain HTTP",
    Severity.HIGH,
    "With HTTPS-only disabled, data and shared-key signed requests travel in clear.",
    "Set https_traffic_only_enabled = true (the default).",
    STORAGE.replace(
        "https_traffic_only_enabled      = true", "https_traffic_only_enabled      = false"
    ),
    STORAGE,
    ("azurerm_storage_account",),
    "https_traffic_only_enabled",
    _is(False),
    cwe=("CWE-319",),
)
simple(
    "tf/azure-storage-http-allowed-legacy",
    "Storage account accepts plain HTTP (enable_https_traffic_only)",
    Severity.HIGH,
    "enable_https_traffic_only = false (azurerm 3.x) lets clients use unencrypted HTTP.",
    "Set enable_https_traffic_only = true.",
    STORAGE.replace(
        "https_traffic_only_enabled      = true", "enable_https_traffic_only       = false"
    ),
    STORAGE.replace(
        "https_traffic_only_enabled      = true", "enable_https_traffic_only       = true"
    ),
    ("azurerm_storage_account",),
    "enable_https_traffic_only",
    _is(False),
    cwe=("CWE-319",),
)
simple(
    "tf/azure-storage-weak-tls",
    "Storage account allows TLS 1.0/1.1",
    Severity.MEDIUM,
    "TLS 1.0 and 1.1 have known weaknesses and are deprecated.",
    'Set min_tls_version = "TLS1_2".',
    STORAGE.replace('"TLS1_2"', '"TLS1_0"'),
    STORAGE,
    ("azurerm_storage_account",),
    "min_tls_version",
    _in("TLS1_0", "TLS1_1"),
    cwe=("CWE-326",),
)


@R(
    make_rule(
        "tf/azure-storage-public-access",
        "Storage allows anonymous public access to blobs",
        Severity.HIGH,
        "Public blob access lets anyone read containers set to blob or container access level "
        "without credentials.",
        "Set allow_nested_items_to_be_public = false and keep containers private.",
        STORAGE.replace(
            "allow_nested_items_to_be_public = false", "allow_nested_items_to_be_public = true"
        ),
        STORAGE,
        cwe=("CWE-284",),
    )
)
def azure_public(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources("azurerm_storage_account"):
        for name in ("allow_nested_items_to_be_public", "allow_blob_public_access"):
            a = b.attr(name)
            if a is not None and a.value is True:
                yield at_attr(b, a, f"{b.address} allows public blob access")
    for b in m.resources("azurerm_storage_container"):
        a = b.attr("container_access_type")
        if a is not None and a.value in ("blob", "container"):
            yield at_attr(b, a, f"{b.address} is publicly readable")


@R(
    make_rule(
        "tf/azure-sql-firewall-open",
        "Database firewall rule open to the internet",
        Severity.HIGH,
        "A firewall rule from 0.0.0.0 to 255.255.255.255 allows connections from every address.",
        "Allow only known ranges, or use private endpoints.",
        'resource "azurerm_mssql_firewall_rule" "all" {\n  name             = "all"\n'
        "  server_id        = azurerm_mssql_server.main.id\n"
        '  start_ip_address = "0.0.0.0"\n  end_ip_address   = "255.255.255.255"\n}\n',
        'resource "azurerm_mssql_firewall_rule" "office" {\n  name             = "office"\n'
        "  server_id        = azurerm_mssql_server.main.id\n"
        '  start_ip_address = "203.0.113.10"\n  end_ip_address   = "203.0.113.20"\n}\n',
        cwe=("CWE-284",),
    )
)
def azure_sql_fw(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources(
        "azurerm_sql_firewall_rule",
        "azurerm_mssql_firewall_rule",
        "azurerm_postgresql_firewall_rule",
        "azurerm_mysql_firewall_rule",
        "azurerm_postgresql_flexible_server_firewall_rule",
        "azurerm_mysql_flexible_server_firewall_rule",
        "azurerm_mariadb_firewall_rule",
    ):
        start, end = b.attr("start_ip_address"), b.attr("end_ip_address")
        if (
            start is None
            or end is None
            or not isinstance(start.value, str)
            or not isinstance(end.value, str)
        ):
            continue
        try:
            lo, hi = ipaddress.ip_address(start.value), ipaddress.ip_address(end.value)
        except ValueError:
            continue
        if int(hi) - int(lo) >= 2**31:
            yield at_attr(b, end, f"{b.address} allows {start.value}-{end.value}")


simple(
    "tf/azure-keyvault-no-purge-protection",
    "Key Vault without purge protection",
    Severity.LOW,
    "Without purge protection a deleted vault or key can be purged immediately: an attacker "
    "(or a mistake) can destroy keys for good.",
    "Set purge_protection_enabled = true.",
    'resource "azurerm_key_vault" "main" {\n  name                = "acme-kv"\n'
    '  location            = "westeurope"\n'
    "  resource_group_name = azurerm_resource_group.main.name\n"
    '  tenant_id           = var.tenant_id\n  sku_name            = "standard"\n}\n',
    'resource "azurerm_key_vault" "main" {\n  name                     = "acme-kv"\n'
    '  location                 = "westeurope"\n'
    "  resource_group_name      = azurerm_resource_group.main.name\n"
    "  tenant_id                = var.tenant_id\n"
    '  sku_name                 = "standard"\n  purge_protection_enabled = true\n}\n',
    ("azurerm_key_vault",),
    "purge_protection_enabled",
    _not(True),
    missing=True,
    cwe=("CWE-693",),
    confidence=Confidence.MEDIUM,
)
simple(
    "tf/azure-sql-public-network",
    "SQL server reachable over the public network",
    Severity.MEDIUM,
    "public_network_access_enabled (the default) exposes the server's endpoint to the internet, "
    "guarded only by firewall rules.",
    "Set public_network_access_enabled = false and use private endpoints.",
    'resource "azurerm_mssql_server" "main" {\n  name                          = "acme-sql"\n'
    "  resource_group_name           = azurerm_resource_group.main.name\n"
    '  location                      = "westeurope"\n'
    '  version                       = "12.0"\n  public_network_access_enabled = true\n}\n',
    'resource "azurerm_mssql_server" "main" {\n  name                          = "acme-sql"\n'
    "  resource_group_name           = azurerm_resource_group.main.name\n"
    '  location                      = "westeurope"\n'
    '  version                       = "12.0"\n  public_network_access_enabled = false\n}\n',
    ("azurerm_mssql_server", "azurerm_postgresql_flexible_server", "azurerm_mysql_flexible_server"),
    "public_network_access_enabled",
    _is(True),
    cwe=("CWE-284",),
)
simple(
    "tf/azure-aks-rbac-disabled",
    "AKS cluster without Kubernetes RBAC",
    Severity.HIGH,
    "Without RBAC every authenticated user is effectively cluster admin.",
    "Set role_based_access_control_enabled = true (the default).",
    'resource "azurerm_kubernetes_cluster" "main" {\n  name                              = "main"\n'
    '  location                          = "westeurope"\n'
    "  resource_group_name               = azurerm_resource_group.main.name\n"
    '  dns_prefix                        = "main"\n'
    "  role_based_access_control_enabled = false\n}\n",
    'resource "azurerm_kubernetes_cluster" "main" {\n  name                              = "main"\n'
    '  location                          = "westeurope"\n'
    "  resource_group_name               = azurerm_resource_group.main.name\n"
    '  dns_prefix                        = "main"\n  role_based_access_control_enabled = true\n}\n',
    ("azurerm_kubernetes_cluster",),
    "role_based_access_control_enabled",
    _is(False),
    cwe=("CWE-284",),
)
simple(
    "tf/azure-vm-password-auth",
    "Linux VM allows password authentication",
    Severity.MEDIUM,
    "Password logins invite brute force; SSH keys cannot be guessed.",
    "Set disable_password_authentication = true and configure admin_ssh_key.",
    'resource "azurerm_linux_virtual_machine" "web" {\n  name                            = "web"\n'
    "  resource_group_name             = azurerm_resource_group.main.name\n"
    '  location                        = "westeurope"\n'
    '  size                            = "Standard_B1s"\n'
    '  admin_username                  = "azureuser"\n'
    "  disable_password_authentication = false\n}\n",
    'resource "azurerm_linux_virtual_machine" "web" {\n  name                            = "web"\n'
    "  resource_group_name             = azurerm_resource_group.main.name\n"
    '  location                        = "westeurope"\n'
    '  size                            = "Standard_B1s"\n'
    '  admin_username                  = "azureuser"\n'
    "  disable_password_authentication = true\n}\n",
    ("azurerm_linux_virtual_machine", "azurerm_linux_virtual_machine_scale_set"),
    "disable_password_authentication",
    _is(False),
    cwe=("CWE-287",),
)
simple(
    "tf/azure-managed-disk-unencrypted",
    "Managed disk encryption settings disabled",
    Severity.MEDIUM,
    "encryption_settings { enabled = false } turns off Azure Disk Encryption for the disk.",
    "Enable encryption_settings or use a disk encryption set.",
    'resource "azurerm_managed_disk" "data" {\n  name                 = "data"\n'
    '  location             = "westeurope"\n'
    "  resource_group_name  = azurerm_resource_group.main.name\n"
    '  storage_account_type = "Standard_LRS"\n'
    '  create_option        = "Empty"\n  disk_size_gb         = 64\n  encryption_settings {\n'
    "    enabled = false\n  }\n}\n",
    'resource "azurerm_managed_disk" "data" {\n  name                   = "data"\n'
    '  location               = "westeurope"\n'
    "  resource_group_name    = azurerm_resource_group.main.name\n"
    '  storage_account_type   = "Standard_LRS"\n'
    '  create_option          = "Empty"\n  disk_size_gb           = 64\n'
    "  disk_encryption_set_id = azurerm_disk_encryption_set.main.id\n}\n",
    ("azurerm_managed_disk",),
    "encryption_settings.enabled",
    _is(False),
    cwe=("CWE-311",),
)


def _data_rules() -> None:
    from pipesec.scanners.iac.datarules import terraform_checks

    REGISTRY.checks.extend(terraform_checks())


_data_rules()
RULES = REGISTRY.rules()
