"""Ports open to the internet: AWS security groups and their rule resources, Google
firewalls, Azure network security groups and their rule resources.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pipesec.core.model import Confidence, Severity
from pipesec.scanners.iac.common import make_rule, show_value
from pipesec.scanners.iac.hcl import Attr, Block, Expr
from pipesec.scanners.iac.tfbase import (
    ModuleView,
    R,
    TfHit,
    _as_list,
    _world,
    at_attr,
    at_block,
)

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


def _int(v: Any) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, str) and v.strip().lstrip("-").isdigit():
        return int(v)
    return None


def _aws_rules(
    m: ModuleView, direction: str = "ingress"
) -> Iterator[tuple[Block, Block, Attr, str, int | None, int | None]]:
    """(resource, rule block, cidr attribute, protocol, from, to) of world-open ingress (or
    egress: ``direction``)."""
    for b in m.resources("aws_security_group"):
        for ing in b.children(direction):
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
        if b.value("type") != direction:
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
    for b in m.resources(f"aws_vpc_security_group_{direction}_rule"):
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
                        f"{b.address}: {what.lower()} open to {show_value(a.value)}",
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


def _gcp_world_ingress(m: ModuleView) -> Iterator[tuple[Block, Attr]]:
    """Ingress firewall rules whose source_ranges let in the whole internet, with that
    attribute (where their findings point)."""
    for b in m.resources("google_compute_firewall"):
        if str(b.value("direction", "INGRESS")).upper() != "INGRESS":
            continue
        src = b.attr("source_ranges")
        if src is not None and _world(src.value):
            yield b, src


def _gcp_open(m: ModuleView, port: int, what: str) -> Iterator[TfHit]:
    for b, a in _gcp_world_ingress(m):
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

#: services that should never face the internet: plain-text logins and file sharing, remote
#: procedure calls, databases, caches, search engines and container daemons (SSH, RDP and
#: all-ports have rules of their own)
SENSITIVE_PORTS = {
    20: "FTP data",
    21: "FTP",
    23: "Telnet",
    135: "RPC",
    139: "NetBIOS",
    445: "SMB",
    1433: "SQL Server",
    1521: "Oracle",
    2375: "Docker API",
    2379: "etcd",
    3306: "MySQL",
    5432: "PostgreSQL",
    5601: "Kibana",
    5900: "VNC",
    5984: "CouchDB",
    6379: "Redis",
    9042: "Cassandra",
    9200: "Elasticsearch",
    11211: "Memcached",
    27017: "MongoDB",
}


def _sensitive_port_rule(cloud: str, slug: str, vuln: str, fixed: str) -> None:
    @R(
        make_rule(
            f"tf/{cloud}-{slug}",
            "Database, file-sharing or plain-text service port open to the internet",
            Severity.HIGH,
            "Ports of databases, caches, SMB, FTP, Telnet and container daemons reachable from "
            "0.0.0.0/0 are scanned within minutes; many of these services send credentials in "
            "clear or have no authentication by default.",
            "Restrict the source to the application's subnets or known address ranges; reach "
            "databases through private endpoints.",
            vuln,
            fixed,
            cwe=("CWE-284",),
        )
    )
    def check(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
        seen: set[tuple[str, int]] = set()
        for port, what in SENSITIVE_PORTS.items():
            if cloud == "aws":
                hits: Iterator[TfHit] = (
                    at_attr(
                        b, a, f"{b.address}: {what} open to {show_value(a.value)}", key=f"{a.line}"
                    )
                    for b, _blk, a, proto, lo, hi in _aws_rules(m)
                    if _covers(port, proto, lo, hi)
                )
            elif cloud == "gcp":
                hits = _gcp_open(m, port, what)
            else:
                hits = _azure_open(m, port, what)
            for path, hit in hits:
                if (path, hit.line) not in seen:
                    seen.add((path, hit.line))
                    yield path, hit


_sensitive_port_rule(
    "aws",
    "sg-open-sensitive-port",
    _sg("5432", '"0.0.0.0/0"'),
    _sg("5432", '"10.20.0.0/16"'),
)
_sensitive_port_rule(
    "gcp",
    "firewall-open-sensitive-port",
    _gfw('"3306"', '"0.0.0.0/0"'),
    _gfw('"443"', '"0.0.0.0/0"'),
)
_sensitive_port_rule(
    "azure", "nsg-open-sensitive-port", _nsg("20-21", "Internet"), _nsg("21", "10.20.0.0/16")
)


def _range_width(spec: Any) -> int:
    lo, _, hi = str(spec).strip().partition("-")
    if lo.isdigit() and hi.isdigit():
        return int(hi) - int(lo) + 1
    return 1


@R(
    make_rule(
        "tf/gcp-firewall-wide-port-range",
        "Firewall rule allows a wide range of ports",
        Severity.LOW,
        "An allow rule over dozens or thousands of ports (or a protocol with no port list) opens "
        "whatever happens to listen on them, now and later, to the rule's sources.",
        "List the ports the service uses instead of a range.",
        _gfw('"8000-8999"', '"10.10.0.0/16"'),
        _gfw('"8080", "8443"', '"10.10.0.0/16"'),
        cwe=("CWE-284",),
        confidence=Confidence.MEDIUM,
    )
)
def gcp_wide_port_range(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources("google_compute_firewall"):
        for allow in b.children("allow"):
            if str(allow.value("protocol", "")).lower() not in ("tcp", "udp"):
                continue
            ports = allow.value("ports")
            if isinstance(ports, Expr):
                continue
            specs = _as_list(ports or [])
            if not specs or any(_spec_all(p) for p in specs):
                continue  # the all-ports rules report it
            if not specs or any(_range_width(p) >= 20 for p in specs):
                a = allow.attr("ports")
                yield (
                    at_attr(b, a, f"{b.address}: ports {show_value(a.value)}")
                    if a is not None
                    else at_block(allow, f"{b.address}: every {allow.value('protocol')} port")
                )


# -- any other port open to the internet (Google firewalls, Azure NSGs) -----------------------

#: ports a public web front end serves: opening them to the internet is the point
WEB_PORTS = frozenset({80, 443, 8080, 8443})
#: ports that a rule of their own reports (SSH, RDP, the sensitive services)
_OWN_RULE_PORTS = frozenset({22, 3389, *SENSITIVE_PORTS})


def _spec_ports(spec: Any) -> range | None:
    """The ports of one port spec ("443", "8000-8010"), None when it cannot be read."""
    s = str(spec).strip()
    lo, sep, hi = s.partition("-")
    if sep and lo.strip().isdigit() and hi.strip().isdigit():
        return range(int(lo), int(hi) + 1)
    return range(int(s), int(s) + 1) if s.isdigit() else None


def _exposure_left(specs: list[Any]) -> bool:
    """True when the ports ``specs`` open to the internet are neither only web ports nor
    reported by the SSH, RDP, all-ports or sensitive-port rules (each exposure once)."""
    if not specs or any(_spec_all(s) for s in specs):
        return False  # every port: the all-ports rule
    for s in specs:
        ports = _spec_ports(s)
        if ports is None:
            return False
        if len(ports) > 1024:
            return True
        if any(p in _OWN_RULE_PORTS for p in ports):
            return False
    return not all(p in WEB_PORTS for s in specs for p in (_spec_ports(s) or ()))


GFW_ICMP = """
resource "google_compute_firewall" "diag" {
  name          = "allow-diag"
  network       = google_compute_network.main.name
  source_ranges = [{cidr}]
  allow {
    protocol = "tcp"
    ports    = ["9100"]
  }
}
"""


@R(
    make_rule(
        "tf/gcp-firewall-ingress-from-internet",
        "Firewall rule admits the internet to a non-web port",
        Severity.MEDIUM,
        "An ingress rule from 0.0.0.0/0 exposes the targeted instances' service on that port "
        "(a metrics endpoint, an admin UI, a debug port, ICMP) to every host on the internet; "
        "web ports (80, 443, 8080, 8443) are not reported, SSH, RDP, databases and all-ports "
        "rules have rules of their own.",
        "Restrict source_ranges to the clients' ranges, or put the service behind a load "
        "balancer or Identity-Aware Proxy.",
        GFW_ICMP.replace("{cidr}", '"0.0.0.0/0"'),
        GFW_ICMP.replace("{cidr}", '"10.10.0.0/16"'),
        cwe=("CWE-284",),
    )
)
def gcp_ingress_from_internet(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b, src in _gcp_world_ingress(m):
        for allow in b.children("allow"):
            proto = str(allow.value("protocol", "")).lower()
            ports = allow.value("ports")
            if isinstance(ports, Expr):
                continue
            specs = [str(p) for p in _as_list(ports or [])]
            if proto in ("tcp", "udp", "sctp", "6", "17") or (proto == "all" and specs):
                if not _exposure_left(specs):
                    continue
            elif proto in ("all", ""):
                continue  # every port: the all-ports rule
            yield at_attr(b, src, f"{b.address}: {proto} {', '.join(specs)} open to the internet")
            break


def _azure_any_prefix(r: Block, *names: str) -> Attr | None:
    for name in names:
        a = r.attrs.get(name)
        if a is not None and any(isinstance(v, str) and v in _AZ_ANY for v in _as_list(a.value)):
            return a
    return None


@R(
    make_rule(
        "tf/azure-nsg-ingress-from-internet",
        "Network security rule admits the internet to a non-web port",
        Severity.MEDIUM,
        "An inbound allow rule from any source (*, Internet, 0.0.0.0/0) exposes the service on "
        "those ports to every host on the internet; web ports (80, 443, 8080, 8443) are not "
        "reported, SSH, RDP, databases and all-ports rules have rules of their own.",
        "Restrict source_address_prefix to the clients' ranges or a service tag, or publish the "
        "service through Application Gateway or Front Door.",
        _nsg("9100", "Internet"),
        _nsg("9100", "10.20.0.0/16"),
        cwe=("CWE-284",),
    )
)
def azure_ingress_from_internet(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b, r in _azure_rule_blocks(m):
        if (
            str(r.value("direction", "")).lower() != "inbound"
            or str(r.value("access", "")).lower() != "allow"
        ):
            continue
        src = _azure_any_prefix(r, "source_address_prefix", "source_address_prefixes")
        if src is None:
            continue
        specs: list[Any] = []
        for name in ("destination_port_range", "destination_port_ranges"):
            v = r.value(name)
            if isinstance(v, Expr):
                specs = ["unknown"]
            elif v is not None:
                specs.extend(_as_list(v))
        if specs and not _exposure_left(specs):
            continue  # web ports, or reported by a port rule
        yield at_attr(
            b, src, f"{b.address}: inbound from {show_value(src.value)}", key=f"{src.line}"
        )


@R(
    make_rule(
        "tf/azure-nsg-egress-to-internet",
        "Network security rule allows outbound traffic to the internet",
        Severity.LOW,
        "An explicit outbound allow rule to any destination lets a compromised workload send data "
        "anywhere (Azure's default outbound rule allows it too; an explicit rule often overrides "
        "a deny).",
        "Allow outbound traffic only to the service tags and ranges the workload needs.",
        _nsg("443", "10.20.0.0/16")
        .replace('"Inbound"', '"Outbound"')
        .replace('destination_address_prefix  = "*"', 'destination_address_prefix  = "Internet"'),
        _nsg("443", "10.20.0.0/16")
        .replace('"Inbound"', '"Outbound"')
        .replace('destination_address_prefix  = "*"', 'destination_address_prefix  = "Storage"'),
        cwe=("CWE-284",),
        confidence=Confidence.MEDIUM,
    )
)
def azure_egress_to_internet(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b, r in _azure_rule_blocks(m):
        if (
            str(r.value("direction", "")).lower() != "outbound"
            or str(r.value("access", "")).lower() != "allow"
        ):
            continue
        dst = _azure_any_prefix(r, "destination_address_prefix", "destination_address_prefixes")
        if dst is not None:
            yield at_attr(
                b, dst, f"{b.address}: outbound to {show_value(dst.value)}", key=f"{dst.line}"
            )


@R(
    make_rule(
        "tf/aws-sg-egress-to-internet",
        "Security group allows outbound traffic to the internet",
        Severity.LOW,
        "An explicit egress rule to 0.0.0.0/0 (or ::/0) lets a compromised instance send data "
        "anywhere and reach any command-and-control host. It is what AWS's default egress rule "
        "allows too, so it is low, as the Azure and Google rules of the same kind are; it is "
        "reported because an explicit rule is a choice written in code.",
        "Allow outbound traffic only to the ranges, prefix lists or security groups the "
        "workload needs (VPC endpoints for AWS services).",
        _sg("443", '"0.0.0.0/0"').replace("ingress {", "egress {"),
        _sg("443", '"10.20.0.0/16"').replace("ingress {", "egress {"),
        cwe=("CWE-284",),
        confidence=Confidence.MEDIUM,
    )
)
def aws_sg_egress_to_internet(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b, _blk, a, _proto, _lo, _hi in _aws_rules(m, "egress"):
        yield at_attr(b, a, f"{b.address}: egress to {show_value(a.value)}", key=f"{a.line}")


@R(
    make_rule(
        "tf/gcp-firewall-all-ports-allowed",
        "Firewall rule allows every port of a protocol",
        Severity.MEDIUM,
        "An allow rule without a port list (or over 0-65535) opens every service on the target "
        "instances to the rule's sources, including ones started later: from inside the network "
        "it is the lateral movement path an attacker on one host needs.",
        "List the ports the service uses.",
        _gfw('"0-65535"', '"10.10.0.0/16"'),
        _gfw('"8080", "8443"', '"10.10.0.0/16"'),
        cwe=("CWE-284",),
    )
)
def gcp_all_ports_allowed(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources("google_compute_firewall"):
        src = b.attr("source_ranges")
        if src is not None and _world(src.value):
            continue  # tf/gcp-firewall-open-all-ports
        for allow in b.children("allow"):
            proto = str(allow.value("protocol", "")).lower()
            ports = allow.value("ports")
            if proto not in ("tcp", "udp", "all") or isinstance(ports, Expr):
                continue
            specs = _as_list(ports or [])
            if not specs or any(_spec_all(p) for p in specs):
                a = allow.attr("ports")
                yield (
                    at_attr(b, a, f"{b.address}: ports {show_value(a.value)}")
                    if a is not None
                    else at_block(allow, f"{b.address}: every {proto} port")
                )
                break


_ICMP = frozenset({"icmp", "1", "icmpv6", "58"})


def aws_exposure_left(proto: str, lo: int | None, hi: int | None) -> bool:
    """An AWS ingress rule from the internet (protocol, port range) that no SSH, RDP,
    all-ports or sensitive-port rule reports and that is not a web port: ICMP, a metrics
    or admin port, a range. Unknown ports (a reference) are not reported."""
    p = proto.strip().lower()
    if _all_ports(p, lo, hi):
        return False  # the all-ports rule
    if p in _ICMP:
        return True
    if p not in ("tcp", "6", "udp", "17") or lo is None or hi is None:
        return False
    return _exposure_left([str(lo) if lo == hi else f"{lo}-{hi}"])


def exposure_label(proto: str, lo: int | None, hi: int | None) -> str:
    """How a finding names what is open: ICMP, a port or a range."""
    if proto.strip().lower() in _ICMP:
        return "ICMP"
    return str(lo) if lo == hi else f"{lo}-{hi}"


@R(
    make_rule(
        "tf/aws-sg-ingress-from-internet",
        "Security group admits the internet to a non-web port",
        Severity.MEDIUM,
        "An ingress rule from 0.0.0.0/0 (or ::/0) exposes the service on that port (a metrics "
        "endpoint, an admin UI, a message broker, ICMP, a port range) to every host on the "
        "internet; web ports (80, 443, 8080, 8443) are not reported, SSH, RDP, databases and "
        "all-ports rules have rules of their own (as for Google firewalls and Azure NSGs).",
        "Restrict the source to the clients' ranges, or put the service behind a load "
        "balancer, a VPN or SSM Session Manager.",
        _sg("9000", '"0.0.0.0/0"'),
        _sg("9000", '"10.20.0.0/16"'),
        cwe=("CWE-284",),
    )
)
def aws_sg_ingress_from_internet(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b, _blk, a, proto, lo, hi in _aws_rules(m):
        if aws_exposure_left(proto, lo, hi):
            port = exposure_label(proto, lo, hi)
            yield at_attr(
                b, a, f"{b.address}: port {port} open to {show_value(a.value)}", key=f"{a.line}"
            )
