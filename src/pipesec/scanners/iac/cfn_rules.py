"""CloudFormation rules (``cfn/<slug>``): the ``cloudformation`` target of the data rules
under ``rules/<family>/`` and the checks that need more than one condition (security-group
ingress entries at their own line, credentials through the secrets engine).

A condition sees ``r``, the resource's ``Properties`` with intrinsic functions resolved as
far as a static scanner can (:meth:`.cfn.Template.resolve`; unknown values never fire).
``report`` is a dotted property path (``BucketEncryption``, ``VersioningConfiguration.Status``;
``A|B`` reports the first that exists); the deepest existing key on the way is reported,
the resource's logical id when none exists. ``{address}`` in a message is the logical id.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
from collections.abc import Callable, Iterator
from typing import Any

from pipesec.core.lines import split_lines
from pipesec.core.model import Confidence, Finding, Note, Rule, ScanError, Severity
from pipesec.core.scanner import ScanItem
from pipesec.core.yamlpos import YNode as Y
from pipesec.scanners.iac.cfn import CfnError, Resource, Template, might_be_template, parse
from pipesec.scanners.iac.common import (
    SCANNER,
    Check,
    Hit,
    Registry,
    escalates,
    is_world,
    looks_like_literal_secret,
    looks_like_secret_name,
    make_rule,
    port_number,
    show_value,
)
from pipesec.scanners.iac.datarules import RuleFile, rule_files
from pipesec.scanners.iac.tf_network import SENSITIVE_PORTS

REGISTRY = Registry()
R = REGISTRY.rule


def _walk(res: Resource, parts: list[str], holds: Holds) -> tuple[Y | None, int]:
    """The node at a property path and how many of its parts exist (all: it exists), else
    the deepest node on the way.
    A list on the way (without an index) is entered at the first item for which the rule
    holds on its own, so a finding points at the offending item."""
    cur = res.props
    if cur is None:
        return None, -1
    prefix: list[str | int] = []
    i = 0
    while i < len(parts):
        part = parts[i]
        if isinstance(cur.value, list) and not part.isdigit():
            items = cur.items()
            if not items:
                return cur, i
            n = next((n for n, item in enumerate(items) if holds(prefix, item)), 0)
            cur = items[n]
            prefix.append(n)
            continue
        nxt = cur.get(int(part)) if part.isdigit() else cur.get(part)
        if nxt is None:
            return cur, i
        cur = nxt
        prefix.append(int(part) if part.isdigit() else part)
        i += 1
    return cur, len(parts)


Holds = Callable[[list[str | int], Y], bool]


def report_node(res: Resource, report: str, holds: Holds) -> tuple[Y, str, bool]:
    """Where a finding about ``report`` points, the path it names (the first alternative
    of ``A|B`` that exists) and whether the property exists."""
    alternatives = [a.strip() for a in report.split("|")]
    best: tuple[int, Y | None, str] = (-1, None, alternatives[0])
    for alternative in alternatives:
        parts = alternative.split(".")
        got, depth = _walk(res, parts, holds)
        if depth == len(parts) and got is not None:
            return got, alternative, True
        if depth > best[0]:
            best = (depth, got, alternative)
    return best[1] or res.props or res.node, best[2], False


def _replaced(value: Any, prefix: list[str | int], new: Any) -> Any:
    """``value`` with the item at ``prefix`` replaced by ``new`` (copies on the way)."""
    if not prefix:
        return new
    head, rest = prefix[0], prefix[1:]
    if isinstance(value, dict) and isinstance(head, str):
        return {**value, head: _replaced(value.get(head), rest, new)}
    if isinstance(value, list) and isinstance(head, int) and 0 <= head < len(value):
        return [*value[:head], _replaced(value[head], rest, new), *value[head + 1 :]]
    return value


@dataclasses.dataclass(frozen=True)
class _Ref:
    """A ``!Ref`` as the message shows it (an expression's source)."""

    text: str


def _show(node: Y) -> str:
    """A scalar or a ``!Ref`` as :func:`common.show_value` shows it; "" for anything else
    (the message names the rule instead)."""
    v = node.value
    if isinstance(v, dict) and len(v) == 1 and "Ref" in v:
        ref = v["Ref"].value
        return show_value(_Ref(f"!Ref {ref}")) if isinstance(ref, str) else ""
    return show_value(v) if isinstance(v, str | bool | int | float) else ""


def _hit(res: Resource, node: Y, message: str, key: str = "") -> Hit:
    line, column = node.at if node is not res.node else res.node.at
    return Hit(line, column, message, key=key or res.name)


def cloudformation_check(rf: RuleFile) -> Check:
    from pipesec.scanners.iac.cel import Condition, to_cel

    target = rf.cloudformation
    assert target is not None
    types = frozenset(target.resources)
    condition = Condition(target.condition)

    def check(t: Template) -> Iterator[Hit]:
        for res in t.of_types(types):
            if not condition.matches({"r": res.cel(), "type": res.type}):
                continue
            msg = target.message.format(address=res.name) if target.message else ""
            if target.report is None:
                yield _hit(res, res.node, msg or f"{res.name}: {rf.title}")
                continue

            def holds(prefix: list[str | int], item: Y, res: Resource = res) -> bool:
                narrowed = _replaced(res.resolved(), prefix, [t.resolve(item)])
                return condition.matches({"r": to_cel(narrowed), "type": res.type})

            node, path, exists = report_node(res, target.report, holds)
            if not msg:
                shown = _show(node) if exists else ""
                msg = (
                    f"{res.name}: {path} = {shown}"
                    if shown
                    else f"{res.name}: {rf.title}"
                    if exists
                    else f"{res.name}: {path} is not set"
                )
            yield _hit(res, node, msg, key=f"{res.name}.{target.report}")

    check.resource_types = types  # type: ignore[attr-defined]
    return Check(rf.rule("cfn", target), check)


# -- security groups ------------------------------------------------------------------------

SG = """\
Resources:
  AdminSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Admin access
      VpcId: vpc-0a1b2c3d
      SecurityGroupIngress:
        - IpProtocol: {proto}
          FromPort: {port}
          ToPort: {port}
          CidrIp: {cidr}
"""


def _sg(port: str, cidr: str, proto: str = "tcp") -> str:
    return SG.format(port=port, cidr=cidr, proto=proto)


_SG_TYPES = frozenset({"AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress"})


def _ingress(t: Template, direction: str = "Ingress") -> Iterator[tuple[Resource, Y]]:
    """The rules of ``direction`` (Ingress, Egress): inline in a group, or their own."""
    for res in t.of_types({"AWS::EC2::SecurityGroup"}):
        rules = res.props.get(f"SecurityGroup{direction}") if res.props is not None else None
        for entry in rules.items() if rules is not None else []:
            yield res, entry
    for res in t.of_types({f"AWS::EC2::SecurityGroup{direction}"}):
        if res.props is not None:
            yield res, res.props


def _port(v: Any) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def _world_ingress(
    t: Template, direction: str = "Ingress"
) -> Iterator[tuple[Resource, str, int | None, int | None, str, Y]]:
    """(resource, protocol, from, to, source, source node) of each ingress (or egress) rule
    open to the internet (CidrIp / CidrIpv6 a /0); an all-protocols rule has no ports."""
    for res, entry in _ingress(t, direction):
        values = t.resolve(entry)
        if not isinstance(values, dict):
            continue
        proto = str(values.get("IpProtocol", ""))
        lo, hi = _port(values.get("FromPort")), _port(values.get("ToPort"))
        if proto in ("-1", "all"):
            lo, hi = None, None
        for name in ("CidrIp", "CidrIpv6"):
            cidr = values.get(name)
            node = entry.get(name)
            if isinstance(cidr, str) and is_world(cidr) and node is not None:
                yield res, proto, lo, hi, cidr, node


def _tf_rule(rule_id: str) -> Rule:
    """The Terraform rule a CloudFormation counterpart copies its texts and severity from."""
    from pipesec.scanners.iac.terraform import REGISTRY as TF

    return next(c.rule for c in TF.checks if c.rule.id == rule_id)


def _open_port_rule(slug: str, ports: dict[int, str], vuln: str, fixed: str) -> None:
    """``ports``: the ports the rule is about and their names (0: every port)."""
    from pipesec.scanners.iac.tf_network import _all_ports, _covers

    tf = _tf_rule(f"tf/aws-{slug}")

    @R(
        dataclasses.replace(
            tf,
            id=f"cfn/aws-{slug}",
            remediation="Restrict the source to known address ranges, or reach hosts through "
            "a VPN, bastion or SSM Session Manager.",
            vulnerable_example=vuln,
            fixed_example=fixed,
        )
    )
    def check(t: Template) -> Iterator[Hit]:
        for res, proto, lo, hi, cidr, node in _world_ingress(t):
            what = next(
                (
                    name
                    for port, name in ports.items()
                    if (port == 0 and _all_ports(proto, lo, hi))
                    or (port and _covers(port, proto, lo, hi))
                ),
                None,
            )
            if what is not None:
                msg = f"{res.name}: {what.lower()} open to {cidr}"
                yield _hit(res, node, msg, key=f"{res.name}:{node.line}")

    check.resource_types = _SG_TYPES  # type: ignore[attr-defined]


_open_port_rule("sg-open-ssh", {22: "SSH"}, _sg("22", "0.0.0.0/0"), _sg("22", "10.20.0.0/16"))
_open_port_rule("sg-open-rdp", {3389: "RDP"}, _sg("3389", "0.0.0.0/0"), _sg("3389", "10.20.0.0/16"))
_open_port_rule(
    "sg-open-all-ports",
    {0: "All ports"},
    _sg("-1", "0.0.0.0/0", '"-1"'),
    _sg("443", "0.0.0.0/0"),
)
_open_port_rule(
    "sg-open-sensitive-port",
    SENSITIVE_PORTS,
    _sg("5432", "0.0.0.0/0"),
    _sg("5432", "10.20.0.0/16"),
)


@R(
    dataclasses.replace(
        _tf_rule("tf/aws-sg-ingress-from-internet"),
        id="cfn/aws-sg-ingress-from-internet",
        vulnerable_example=_sg("9000", "0.0.0.0/0"),
        fixed_example=_sg("9000", "10.20.0.0/16"),
    )
)
def sg_ingress_from_internet(t: Template) -> Iterator[Hit]:
    from pipesec.scanners.iac.tf_network import aws_exposure_left, exposure_label

    for res, proto, lo, hi, cidr, node in _world_ingress(t):
        if aws_exposure_left(proto, lo, hi):
            msg = f"{res.name}: port {exposure_label(proto, lo, hi)} open to {cidr}"
            yield _hit(res, node, msg, key=f"{res.name}:{node.line}")


sg_ingress_from_internet.resource_types = _SG_TYPES  # type: ignore[attr-defined]


@R(
    dataclasses.replace(
        _tf_rule("tf/aws-sg-egress-to-internet"),
        id="cfn/aws-sg-egress-to-internet",
        vulnerable_example=_sg("443", "0.0.0.0/0").replace("Ingress:", "Egress:"),
        fixed_example=_sg("443", "10.20.0.0/16").replace("Ingress:", "Egress:"),
    )
)
def sg_egress_to_internet(t: Template) -> Iterator[Hit]:
    for res, _proto, _lo, _hi, cidr, node in _world_ingress(t, "Egress"):
        yield _hit(res, node, f"{res.name}: egress to {cidr}", key=f"{res.name}:{node.line}")


sg_egress_to_internet.resource_types = _SG_TYPES | {  # type: ignore[attr-defined]
    "AWS::EC2::SecurityGroupEgress"
}

# -- VPC flow logs --------------------------------------------------------------------------

_VPC = """\
Resources:
  AppVpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.40.0.0/16
      EnableDnsSupport: true
"""
_FLOW_LOG = """\
  AppVpcFlowLog:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceType: VPC
      ResourceId: !Ref AppVpc
      TrafficType: ALL
      LogDestinationType: s3
      LogDestination: arn:aws:s3:::acme-flow-logs
"""
_SUB_NAME = re.compile(r"\$\{([A-Za-z0-9]+)(?:\.[^}]*)?\}")


def _referenced(node: Y, depth: int = 0) -> set[str]:
    """The logical ids that ``node`` refers to (``Ref``, ``Fn::GetAtt``, ``${Name}`` in
    ``Fn::Sub``), in any branch of an ``Fn::If``."""
    v = node.value
    if depth > 50:
        return set()
    if isinstance(v, list):
        return set().union(*(_referenced(i, depth + 1) for i in v)) if v else set()
    if not isinstance(v, dict):
        return set()
    if len(v) == 1:
        ((name, arg),) = v.items()
        if name == "Ref" and isinstance(arg.value, str):
            return {arg.value}
        if name == "Fn::GetAtt":
            first = arg.value.split(".")[0] if isinstance(arg.value, str) else None
            if isinstance(arg.value, list) and arg.value and isinstance(arg.value[0].value, str):
                first = arg.value[0].value
            return {first} if first else set()
        if name == "Fn::Sub":
            text = arg.value if isinstance(arg.value, str) else None
            if isinstance(arg.value, list) and arg.value and isinstance(arg.value[0].value, str):
                text = arg.value[0].value
            names = set(_SUB_NAME.findall(text)) if text else set()
            return names | _referenced(arg, depth + 1)
    return set().union(*(_referenced(c, depth + 1) for c in v.values())) if v else set()


def _named_by(t: Template, types: set[str], keys: tuple[str, ...]) -> set[str]:
    """The logical ids that the ``keys`` properties of the template's ``types`` resources
    refer to (a flow log's ResourceId, a web ACL association's ResourceArn)."""
    covered: set[str] = set()
    for res in t.of_types(types):
        for key in keys:
            node = res.props.get(key) if res.props is not None else None
            if node is not None:
                covered |= _referenced(node)
    return covered


def _flow_log_rule() -> None:
    tf = _tf_rule("tf/aws-vpc-no-flow-logs")

    @R(
        dataclasses.replace(
            tf,
            id="cfn/aws-vpc-no-flow-logs",
            remediation="Add an AWS::EC2::FlowLog with ResourceType: VPC and ResourceId: "
            "!Ref <the VPC>.",
            vulnerable_example=_VPC,
            fixed_example=_VPC + _FLOW_LOG,
        )
    )
    def check(t: Template) -> Iterator[Hit]:
        covered = _named_by(t, {"AWS::EC2::FlowLog"}, ("ResourceId", "ResourceIds"))
        for vpc in t.of_types({"AWS::EC2::VPC"}):
            if vpc.name not in covered:
                yield _hit(vpc, vpc.node, f"{vpc.name} has no flow log")

    check.resource_types = frozenset({"AWS::EC2::VPC"})  # type: ignore[attr-defined]


_flow_log_rule()


_ALB = """\
Resources:
  WebAlb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Type: application
      Scheme: internet-facing
      Subnets: [subnet-0a1b2c3d, subnet-4e5f6a7b]
      SecurityGroups: [sg-0123456789abcdef0]
      LoadBalancerAttributes:
        - Key: routing.http.drop_invalid_header_fields.enabled
          Value: "true"
"""
_WAF_ASSOCIATION = """\
  WebAlbWaf:
    Type: AWS::WAFv2::WebACLAssociation
    Properties:
      ResourceArn: !Ref WebAlb
      WebACLArn: !GetAtt WebAcl.Arn
"""


_WAF_ASSOCIATION_TYPES = {"AWS::WAFv2::WebACLAssociation", "AWS::WAFRegional::WebACLAssociation"}


def _alb_waf_rule() -> None:
    tf = _tf_rule("tf/aws-alb-no-waf")

    @R(
        dataclasses.replace(
            tf,
            id="cfn/aws-alb-no-waf",
            remediation="Add an AWS::WAFv2::WebACLAssociation with ResourceArn: !Ref <the "
            "load balancer> and a REGIONAL web ACL.",
            vulnerable_example=_ALB,
            fixed_example=_ALB + _WAF_ASSOCIATION,
        )
    )
    def check(t: Template) -> Iterator[Hit]:
        covered = _named_by(
            t,
            _WAF_ASSOCIATION_TYPES,
            ("ResourceArn",),
        )
        for lb in t.of_types({"AWS::ElasticLoadBalancingV2::LoadBalancer"}):
            props = lb.resolved()
            if lb.name in covered or props.get("Scheme", "internet-facing") != "internet-facing":
                continue
            if props.get("Type", "application") == "application":
                yield _hit(lb, lb.node, f"{lb.name} is internet-facing and has no WAF web ACL")

    check.resource_types = frozenset({"AWS::ElasticLoadBalancingV2::LoadBalancer"})  # type: ignore[attr-defined]


_alb_waf_rule()


_ELB_HTTPS = """\
Resources:
  Legacy:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      Subnets: [!Ref PublicSubnetA]
      Listeners:
        - LoadBalancerPort: "443"
          InstancePort: "8080"
          InstanceProtocol: HTTP
          Protocol: HTTPS
          SSLCertificateId: !Ref Cert
"""


def _elb_tls_policy_rule() -> None:
    tf = _tf_rule("tf/aws-elb-classic-tls-default-policy")
    fixed = _ELB_HTTPS.replace(
        "          SSLCertificateId: !Ref Cert\n",
        "          SSLCertificateId: !Ref Cert\n          PolicyNames: [tls12]\n"
        "      Policies:\n        - PolicyName: tls12\n"
        "          PolicyType: SSLNegotiationPolicyType\n          Attributes:\n"
        "            - Name: Reference-Security-Policy\n"
        "              Value: ELBSecurityPolicy-TLS-1-2-2017-01\n",
    )

    @R(
        dataclasses.replace(
            tf,
            id="cfn/aws-elb-classic-tls-default-policy",
            remediation="Name an SSLNegotiationPolicyType policy referencing "
            "ELBSecurityPolicy-TLS-1-2-2017-01 in the listener's PolicyNames (or in a "
            "Policies entry's LoadBalancerPorts).",
            vulnerable_example=_ELB_HTTPS,
            fixed_example=fixed,
        )
    )
    def check(t: Template) -> Iterator[Hit]:
        for lb in t.of_types({"AWS::ElasticLoadBalancing::LoadBalancer"}):
            props = lb.resolved()
            listeners = props.get("Listeners")
            nodes = lb.props.get("Listeners") if lb.props is not None else None
            if not isinstance(listeners, list) or nodes is None:
                continue
            covered: set[int | None] = set()
            for policy in props.get("Policies") or []:
                ports = policy.get("LoadBalancerPorts") if isinstance(policy, dict) else None
                for port in ports if isinstance(ports, list) else [None] if ports else []:
                    covered.add(port_number(port))
            if None in covered:  # a policy on a port the scan cannot read: not judged
                continue
            for listener, node in zip(listeners, nodes.items(), strict=False):
                if not isinstance(listener, dict) or listener.get("PolicyNames"):
                    continue
                proto = listener.get("Protocol")
                port = port_number(listener.get("LoadBalancerPort"))
                if not isinstance(proto, str) or proto.lower() not in ("https", "ssl"):
                    continue
                if port is not None and port not in covered:
                    yield _hit(
                        lb,
                        node,
                        f"{lb.name}: the listener on port {port} has no SSL negotiation "
                        "policy: the default ELBSecurityPolicy-2016-08 accepts TLS 1.0 and 1.1",
                        key=f"{lb.name}.Listeners.{port}",
                    )

    check.resource_types = frozenset({"AWS::ElasticLoadBalancing::LoadBalancer"})  # type: ignore[attr-defined]


_elb_tls_policy_rule()


_APIGW_STAGE = """\
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: orders
      EndpointConfiguration:
        Types: [REGIONAL]
  Prod:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Api
      DeploymentId: !Ref OrdersDeployment
      StageName: prod
      TracingEnabled: true
"""
_APIGW_WAF_ASSOCIATION = """\
  ProdWaf:
    Type: AWS::WAFv2::WebACLAssociation
    Properties:
      ResourceArn: !Sub arn:aws:apigateway:${AWS::Region}::/restapis/${Api}/stages/${Prod}
      WebACLArn: !GetAtt ApiAcl.Arn
"""


def _apigw_waf_rule() -> None:
    tf = _tf_rule("tf/aws-apigateway-stage-no-waf")

    @R(
        dataclasses.replace(
            tf,
            id="cfn/aws-apigateway-stage-no-waf",
            remediation="Add an AWS::WAFv2::WebACLAssociation whose ResourceArn names the stage "
            "(arn:...:apigateway:<region>::/restapis/<api>/stages/<stage>) and a REGIONAL web ACL.",
            vulnerable_example=_APIGW_STAGE,
            fixed_example=_APIGW_STAGE + _APIGW_WAF_ASSOCIATION,
        )
    )
    def check(t: Template) -> Iterator[Hit]:
        covered = _named_by(
            t,
            _WAF_ASSOCIATION_TYPES,
            ("ResourceArn",),
        )
        apis = {api.name: api for api in t.of_types({"AWS::ApiGateway::RestApi"})}
        for stage in t.of_types({"AWS::ApiGateway::Stage"}):
            node = stage.props.get("RestApiId") if stage.props is not None else None
            # judged only when the stage's REST API is in the template (its endpoint is known);
            # an association that names the API (not the stage) is taken to cover its stages
            names = sorted(_referenced(node)) if node is not None else []
            api = next((apis[n] for n in names if n in apis), None)
            if api is None or stage.name in covered or api.name in covered:
                continue
            endpoint = api.resolved().get("EndpointConfiguration")
            types = endpoint.get("Types") if isinstance(endpoint, dict) else None
            if (endpoint is not None and not isinstance(endpoint, dict)) or (
                types is not None
                and not (isinstance(types, list) and all(isinstance(x, str) for x in types))
            ):
                continue  # not readable: not judged (no Types at all: an EDGE endpoint)
            if isinstance(types, list) and "PRIVATE" in types:
                continue
            yield _hit(stage, stage.node, f"{stage.name} is public and has no WAF web ACL")

    check.resource_types = frozenset({"AWS::ApiGateway::Stage"})  # type: ignore[attr-defined]


_apigw_waf_rule()


_TRAIL = """\
Resources:
  TrailBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: acme-cloudtrail
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: !Ref TrailBucket
      EnableLogFileValidation: true
      IsMultiRegionTrail: true
"""


def _access_logged(bucket: Resource) -> bool:
    props = bucket.props.value if bucket.props is not None else None
    if not isinstance(props, dict):
        return True  # not readable: not judged
    acl = props.get("AccessControl")
    return "LoggingConfiguration" in props or (acl is not None and acl.value == "LogDeliveryWrite")


def _trail_bucket_rule() -> None:
    tf = _tf_rule("tf/aws-cloudtrail-bucket-no-access-logging")

    @R(
        dataclasses.replace(
            tf,
            id="cfn/aws-cloudtrail-bucket-no-access-logging",
            remediation="Add LoggingConfiguration with a DestinationBucketName (a separate log "
            "bucket) to the trail's bucket.",
            vulnerable_example=_TRAIL,
            fixed_example=_TRAIL.replace(
                "      BucketName: acme-cloudtrail\n",
                "      BucketName: acme-cloudtrail\n      LoggingConfiguration:\n"
                "        DestinationBucketName: acme-access-logs\n"
                "        LogFilePrefix: cloudtrail/\n",
            ),
        )
    )
    def check(t: Template) -> Iterator[Hit]:
        """The trail's S3BucketName: a Ref/GetAtt/Sub to a bucket of the template, or the
        literal BucketName of one. A bucket made elsewhere is not judged."""
        buckets = list(t.of_types({"AWS::S3::Bucket"}))
        # (indexed: each trail against each bucket was quadratic, 4,000 of each 3 s of CPU)
        by_id: dict[str, int] = {}
        by_literal: dict[Any, int] = {}
        for i, b in enumerate(buckets):
            by_id.setdefault(b.name, i)
            literal = b.props.get("BucketName") if b.props is not None else None
            if literal is not None and isinstance(literal.value, str):
                by_literal.setdefault(literal.value, i)
        for trail in t.of_types({"AWS::CloudTrail::Trail"}):
            node = trail.props.get("S3BucketName") if trail.props is not None else None
            if node is None:
                continue
            found = [by_id[n] for n in _referenced(node) if n in by_id]
            if isinstance(node.value, str) and node.value in by_literal:
                found.append(by_literal[node.value])
            if not found:
                continue
            b = buckets[min(found)]
            if not _access_logged(b):
                yield _hit(
                    trail, node, f"{trail.name} delivers to {b.name}, which has no access logging"
                )

    check.resource_types = frozenset({"AWS::CloudTrail::Trail"})  # type: ignore[attr-defined]


_trail_bucket_rule()

# -- privilege escalation spread over a principal's policies -------------------------------

#: principal type -> (its name property, the list property of a policy resource naming it,
#: the single-name property of a RolePolicy/UserPolicy/GroupPolicy)
_PRINCIPALS = {
    "AWS::IAM::Role": ("RoleName", "Roles", "RoleName"),
    "AWS::IAM::User": ("UserName", "Users", "UserName"),
    "AWS::IAM::Group": ("GroupName", "Groups", "GroupName"),
}
_POLICIES = frozenset(
    {
        "AWS::IAM::Policy",
        "AWS::IAM::ManagedPolicy",
        "AWS::IAM::RolePolicy",
        "AWS::IAM::UserPolicy",
        "AWS::IAM::GroupPolicy",
    }
)


def _on_all_resources(document: Any) -> list[str]:
    """The actions a resolved policy document allows on Resource "*"."""
    statements = document.get("Statement") if isinstance(document, dict) else None
    statements = [statements] if isinstance(statements, dict) else statements
    out: list[str] = []
    for st in statements if isinstance(statements, list) else []:
        if not isinstance(st, dict) or st.get("Effect") != "Allow":
            continue
        resources = st.get("Resource")
        if "*" not in (resources if isinstance(resources, list) else [resources]):
            continue
        actions = st.get("Action")
        out += [
            a for a in (actions if isinstance(actions, list) else [actions]) if isinstance(a, str)
        ]
    return out


def _names_principal(res: Resource, keys: tuple[str, str], principal: Resource) -> bool:
    """Whether a policy resource's Roles/Users/Groups list (or single name) names the
    principal, by reference or by its literal name."""
    name = principal.resolved().get(_PRINCIPALS[principal.type][0])
    for key in keys:
        node = res.props.get(key) if res.props is not None else None
        if node is None:
            continue
        if principal.name in _referenced(node):
            return True
        value = res.resolved().get(key)
        values = value if isinstance(value, list) else [value]
        if isinstance(name, str) and name in values:
            return True
    return False


def _principal_policies(t: Template, principal: Resource) -> list[list[str]]:
    _, plural, single = _PRINCIPALS[principal.type]
    own = principal.resolved().get("Policies")
    out = [
        _on_all_resources(p.get("PolicyDocument"))
        for p in (own if isinstance(own, list) else [])
        if isinstance(p, dict)
    ]
    arns = principal.props.get("ManagedPolicyArns") if principal.props is not None else None
    attached = _referenced(arns) if arns is not None else set()
    for pol in t.of_types(_POLICIES):
        if pol.name in attached or _names_principal(pol, (plural, single), principal):
            out.append(_on_all_resources(pol.resolved().get("PolicyDocument")))
    return [acts for acts in out if acts]


def _split_escalation_rule() -> None:
    tf = _tf_rule("tf/aws-iam-principal-privilege-escalation")

    @R(
        dataclasses.replace(
            tf,
            id="cfn/aws-iam-principal-privilege-escalation",
            vulnerable_example=_DEPLOYER + _ANY_ROLE + _LAUNCH_POLICY,
            fixed_example=_DEPLOYER + _ONE_ROLE + _LAUNCH_POLICY,
        )
    )
    def check(t: Template) -> Iterator[Hit]:
        for principal in t.of_types(frozenset(_PRINCIPALS)):
            policies = _principal_policies(t, principal)
            if len(policies) < 2 or any(escalates(acts) for acts in policies):
                continue  # one policy alone is aws-iam-privilege-escalation's finding
            if escalates([a for acts in policies for a in acts]):
                yield _hit(
                    principal,
                    principal.node,
                    f"{principal.name}: its policies together allow iam:PassRole with a "
                    "service launch on *",
                )

    check.resource_types = frozenset(_PRINCIPALS)  # type: ignore[attr-defined]


_DEPLOYER = """\
Resources:
  Deployer:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: codebuild.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: pass
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: iam:PassRole
"""
_ANY_ROLE = '                Resource: "*"\n'
_ONE_ROLE = "                Resource: !Sub arn:aws:iam::${AWS::AccountId}:role/app-instance\n"
_LAUNCH_POLICY = """\
  Launch:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: launch
      Roles: [!Ref Deployer]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: [ec2:RunInstances, ec2:CreateTags]
            Resource: "*"
"""

_split_escalation_rule()

# -- credentials ----------------------------------------------------------------------------

#: property names that hold a credential (CloudFormation's CamelCase)
_SECRET_PROP = re.compile(
    r"(?i)^(?:\w*password|authtoken|secretstring|clientsecret|secretaccesskey|secretkey"
    r"|apikey|apitoken|token|accesstoken|oauthtoken|refreshtoken|secrettoken|privatekey"
    r"|passphrase)$"
)
#: environment settings: a map of NAME: value, or a list of {Name, Value}
_ENV_MAPS = frozenset({"Variables", "EnvironmentVariables"})
_REFERENCE_TYPES = frozenset({"SECRETS_MANAGER", "PARAMETER_STORE"})
_USER_DATA = {
    "AWS::EC2::Instance": "UserData",
    "AWS::AutoScaling::LaunchConfiguration": "UserData",
    "AWS::EC2::LaunchTemplate": "LaunchTemplateData.UserData",
}


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def _literal(node: Y) -> str:
    v = node.value
    if isinstance(v, str) and not v.lstrip().startswith("arn:") and looks_like_literal_secret(v):
        return v
    return ""


def _secret_props(res: Resource, node: Y, env: bool, depth: int = 0) -> Iterator[Hit]:
    if depth > 40:
        return
    if isinstance(node.value, list):
        for item in node.items():
            yield from _secret_props(res, item, env, depth + 1)
        return
    if not isinstance(node.value, dict) or (len(node.value) == 1 and _intrinsic(node)):
        return
    m = node.mapping()
    name, value = m.get("Name"), m.get("Value")
    if name is not None and value is not None and isinstance(name.value, str):
        kind = m.get("Type")
        ref = kind is not None and str(kind.value).upper() in _REFERENCE_TYPES
        secret = _literal(value)
        if secret and not ref and looks_like_secret_name(name.value):
            msg = f"{res.name}: {name.value} is hard-coded"
            yield Hit(*value.at, msg, secret=secret, key=f"{res.name}.{name.value}")
    for key, child in m.items():
        secret = _literal(child)
        if secret:
            snake = _snake(key)
            if (env and looks_like_secret_name(key)) or (
                not env
                and (
                    _SECRET_PROP.match(key)
                    or (looks_like_secret_name(snake) and snake.endswith(("password", "secret")))
                )
            ):
                msg = f"{res.name}: {key} is hard-coded"
                yield Hit(*child.at, msg, secret=secret, key=f"{res.name}.{key}")
        yield from _secret_props(res, child, env or key in _ENV_MAPS, depth + 1)


def _intrinsic(node: Y) -> bool:
    (name,) = node.mapping()
    return name in ("Ref", "Condition") or name.startswith("Fn::")


def _script(node: Y, depth: int = 0) -> str:
    """The literal text of a boot script (Fn::Base64, Fn::Sub and Fn::Join taken apart;
    references become empty, so `PASSWORD=${DbPassword}` holds nothing)."""
    from pipesec.scanners.iac.tf_secrets import _decoded_user_data

    v = node.value
    if isinstance(v, str):
        return _decoded_user_data("user_data", v)
    if depth > 20 or not isinstance(v, dict) or len(v) != 1:
        return ""
    ((fn, arg),) = v.items()
    parts = arg.items()
    if fn == "Fn::Base64":
        return _script(arg, depth + 1)
    if fn == "Fn::Sub":
        return _script(parts[0], depth + 1) if parts else _script(arg, depth + 1)
    if fn == "Fn::Join" and len(parts) == 2 and isinstance(parts[0].value, str):
        return parts[0].value.join(_script(p, depth + 1) for p in parts[1].items())
    return ""


def _located(lines: list[str], start: int, value: str) -> tuple[int, int]:
    for n in range(max(start, 1), len(lines) + 1):
        col = lines[n - 1].find(value)
        if col >= 0:
            return n, col + 1
    return start, 1


@R(
    make_rule(
        "cfn/hardcoded-secret",
        "Secret hard-coded in a CloudFormation template",
        Severity.HIGH,
        "A password or token written as a literal (a property, a parameter's default, an "
        "environment variable, an instance's UserData script or cfn-init's "
        "AWS::CloudFormation::Authentication metadata) is committed to the "
        "repository and shown in clear in the stack's template and events.",
        "Use a dynamic reference ({{resolve:secretsmanager:...}}), ManageMasterUserPassword, "
        "a generated secret (AWS::SecretsManager::Secret GenerateSecretString), or a NoEcho "
        "parameter without a default.",
        "Resources:\n  Database:\n    Type: AWS::RDS::DBInstance\n    Properties:\n"
        "      Engine: postgres\n      DBInstanceClass: db.t3.micro\n"
        "      AllocatedStorage: 20\n      StorageEncrypted: true\n"
        "      MasterUsername: app\n      MasterUserPassword: " + "Orders" + "-2024-pw!\n",
        "Resources:\n  Database:\n    Type: AWS::RDS::DBInstance\n    Properties:\n"
        "      Engine: postgres\n      DBInstanceClass: db.t3.micro\n"
        "      AllocatedStorage: 20\n      StorageEncrypted: true\n"
        "      MasterUsername: app\n      ManageMasterUserPassword: true\n",
        cwe=("CWE-798",),
        tags=("iac", "secret"),
    )
)
def hardcoded_secret(t: Template) -> Iterator[Hit]:
    from pipesec.scanners.iac.tf_secrets import user_data_secrets

    for name, p in t.parameters.items():
        default = p.get("Default")
        if default is None:
            continue
        secret = _literal(default)
        no_echo = str(p.scalar("NoEcho")).lower() == "true"
        if secret and (no_echo or looks_like_secret_name(_snake(name))):
            msg = f"parameter {name} has a hard-coded default"
            yield Hit(*default.at, msg, secret=secret, key=f"param:{name}")
    lines = split_lines(t.text)
    budget = [MAX_AUTHENTICATION_LOOKUPS]
    for res in t.resources:
        yield from _authentication_secrets(res, budget)
        if res.props is None:
            continue
        yield from _secret_props(res, res.props, False)
        where = _USER_DATA.get(res.type)
        node = res.props.get(*where.split(".")) if where else None
        if node is None:
            continue
        for secret in user_data_secrets(_script(node)):
            line, column = _located(lines, node.line, secret)
            msg = f"{res.name}: UserData holds a credential"
            yield Hit(line, column, msg, secret=secret, key=f"{res.name}:{line}:{column}")


#: the keys of an ``AWS::CloudFormation::Authentication`` entry that hold a credential
#: (``basic``: username and password; ``S3``: an access key pair); an access key id alone is
#: reported only when a secrets detector recognises it
_AUTHENTICATION_KEYS = ("password", "secretKey", "accessKeyId")
#: credentials of one template whose secrets rule the engine is asked for; the rest are
#: reported under the generic rule their key names (a hostile template of thousands of
#: entries costs no engine pass each)
MAX_AUTHENTICATION_LOOKUPS = 64


def _authentication_secrets(res: Resource, budget: list[int]) -> Iterator[Hit]:
    """Literal credentials of the resource's ``Metadata: AWS::CloudFormation::Authentication``
    (what cfn-init uses to download files and sources), under the secrets rule that
    recognises the value, so the secrets scanner's finding of the same value absorbs it;
    ``budget``: the engine lookups left for the template."""
    from pipesec.scanners.iac.tf_secrets import credential_rule

    auth = res.node.get("Metadata", "AWS::CloudFormation::Authentication")
    if auth is None or not auth.is_map:
        return
    for name, entry in auth.mapping().items():
        if not entry.is_map:
            continue
        for key in _AUTHENTICATION_KEYS:
            node = entry.get(key)
            secret = _literal(node) if node is not None else ""
            if not secret or node is None:
                continue
            budget[0] -= 1
            rule = credential_rule(key, secret, key != "accessKeyId", engine=budget[0] >= 0)
            if rule is None and key == "accessKeyId":
                continue
            yield Hit(
                *node.at,
                f"{res.name}: the {name} credentials of AWS::CloudFormation::Authentication "
                f"hold a literal {key}",
                secret=secret,
                key=f"{res.name}.Authentication.{name}.{key}",
                rule=rule,
            )


#: ``${Name}`` alone: an Fn::Sub that is one parameter's value
_SUB_ONE = re.compile(r"\$\{([A-Za-z0-9]+)\}")


def _parameter_ref(node: Y) -> str:
    """The parameter a value is (``!Ref P`` or ``!Sub "${P}"``), or ""."""
    if not isinstance(node.value, dict) or len(node.value) != 1:
        return ""
    ((fn, arg),) = node.mapping().items()
    if fn == "Ref" and isinstance(arg.value, str):
        return arg.value
    if fn == "Fn::Sub" and isinstance(arg.value, str):
        m = _SUB_ONE.fullmatch(arg.value)
        return m.group(1) if m else ""
    return ""


def _secret_key(key: str, env: bool) -> bool:
    """Whether a property (or, in an environment map, a variable) named ``key`` holds a
    credential: the names :func:`_secret_props` reports a literal under."""
    if env:
        return looks_like_secret_name(key)
    snake = _snake(key)
    return bool(_SECRET_PROP.match(key)) or (
        looks_like_secret_name(snake) and snake.endswith(("password", "secret"))
    )


def _secret_refs(node: Y, env: bool, depth: int = 0) -> Iterator[tuple[str, Y]]:
    """(name, value) of every credential-holding property under ``node`` whose value refers
    to a parameter (environment lists of {Name, Value} included)."""
    if depth > 40:
        return
    if isinstance(node.value, list):
        for item in node.items():
            yield from _secret_refs(item, env, depth + 1)
        return
    if not isinstance(node.value, dict) or (len(node.value) == 1 and _intrinsic(node)):
        return
    m = node.mapping()
    name, value = m.get("Name"), m.get("Value")
    if (
        name is not None
        and value is not None
        and isinstance(name.value, str)
        and _parameter_ref(value)
        and looks_like_secret_name(name.value)
    ):
        yield name.value, value
    for key, child in m.items():
        if _parameter_ref(child) and _secret_key(key, env):
            yield key, child
        yield from _secret_refs(child, env or key in _ENV_MAPS, depth + 1)


def _public_parameter(p: Y) -> bool:
    """A parameter whose value cannot be a secret: one of the ``AllowedValues`` the template
    itself lists, a number, or a switch (a ``true``/``false`` default: RDS's
    ``ManageMasterUserPassword: !Ref UseManagedPassword``)."""
    allowed = p.get("AllowedValues")
    if allowed is not None and allowed.is_seq and allowed.value:
        return True
    if str(p.scalar("Type")).strip() in ("Number", "List<Number>"):
        return True
    return str(p.scalar("Default")).strip().lower() in ("true", "false")


@R(
    make_rule(
        "cfn/secret-parameter-echoed",
        "Secret passed through a parameter without NoEcho",
        Severity.MEDIUM,
        "A password or token given to a resource through a template parameter that is not "
        "NoEcho is shown in clear wherever the stack's parameters are: the console's "
        "Parameters tab and DescribeStacks, which read-only roles (ReadOnlyAccess, auditors, "
        "CI) may call.",
        "Mark the parameter NoEcho: true (without a default), or better take the value from "
        "a dynamic reference ({{resolve:secretsmanager:...}}) or a generated secret.",
        "Parameters:\n  DbPassword:\n    Type: String\nResources:\n  Database:\n"
        "    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n"
        "      DBInstanceClass: db.t3.micro\n      AllocatedStorage: 20\n"
        "      StorageEncrypted: true\n      MasterUsername: app\n"
        "      MasterUserPassword: !Ref DbPassword\n",
        "Parameters:\n  DbPassword:\n    Type: String\n    NoEcho: true\nResources:\n"
        "  Database:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n"
        "      DBInstanceClass: db.t3.micro\n      AllocatedStorage: 20\n"
        "      StorageEncrypted: true\n      MasterUsername: app\n"
        "      MasterUserPassword: !Ref DbPassword\n",
        cwe=("CWE-532",),
        tags=("iac",),
        confidence=Confidence.MEDIUM,
    )
)
def secret_parameter_echoed(t: Template) -> Iterator[Hit]:
    # the template's own declarations: a parent stack's values (nested stacks) replace the
    # parameters' nodes, and NoEcho with them
    declared = (t.root.get("Parameters") or Y({}, 0, 0)).mapping()
    for res in t.resources:
        if res.props is None:
            continue
        for key, value in _secret_refs(res.props, False):
            pname = _parameter_ref(value)
            p = declared.get(pname)
            if p is None or not isinstance(p.value, dict):
                continue  # a resource or a pseudo parameter
            if str(p.scalar("NoEcho")).lower() == "true" or _public_parameter(p):
                continue
            default = p.get("Default")
            if default is not None and _literal(default) and looks_like_secret_name(_snake(pname)):
                continue  # the default itself is hardcoded-secret's finding
            msg = f"{res.name}: {key} comes from parameter {pname}, which is not NoEcho"
            yield Hit(*value.at, msg, key=f"{res.name}.{key}")


# -- registry and scan ----------------------------------------------------------------------


def _data_rules() -> None:
    REGISTRY.checks.extend(
        cloudformation_check(rf) for rf in rule_files() if rf.cloudformation is not None
    )


_data_rules()
RULES = REGISTRY.rules()


def _applies(check: Check, present: set[str]) -> bool:
    """Whether a check is about a resource type the template has (or about any)."""
    types: frozenset[str] | None = getattr(check.fn, "resource_types", None)
    return types is None or not types.isdisjoint(present)


#: CloudFormation takes templates up to 1 MB (from S3); a file twice that is refused rather
#: than parsed for seconds
MAX_TEMPLATE_CHARS = 2_000_000
#: what a template that does not parse must show to be reported as a broken template
_TOP_LEVEL = re.compile(
    r'(?m)^(?:AWSTemplateFormatVersion|Resources)\s*:|"(?:AWSTemplateFormatVersion|Resources)"\s*:'
)
#: what an oversized file must show to be called a template (an error) rather than data
#: that mentions AWS types (a note): the format version, a top-level YAML Resources map, or
#: a JSON Resources map whose first resource opens with its AWS type
_SURELY_TEMPLATE = re.compile(
    r"(?m)AWSTemplateFormatVersion|^Resources[ \t]*:"
    r'|"Resources"\s*:\s*\{\s*"[^"]{1,255}"\s*:\s*\{\s*"Type"\s*:\s*"(?:AWS|Custom)::'
)
_GO_TEMPLATE = re.compile(r"\{\{-?\s*(?:\.|\$|include\b|if\b|range\b|with\b|template\b|end\b)")


def scan_template(
    path: str,
    text: str,
    disabled: frozenset[str] = frozenset(),
    key: bytes = b"",
    read: Callable[[str], str | None] | None = None,
) -> list[ScanItem] | None:
    """The findings of the CloudFormation template in ``text``; None when it is not one.
    ``read`` (a file of the scanned tree by path) lets nested stacks whose TemplateURL is a
    local file be checked again with the parameters this template passes them."""
    if not might_be_template(text):
        return None
    if len(text) > MAX_TEMPLATE_CHARS:
        if not _SURELY_TEMPLATE.search(text):  # data that mentions AWS types, e.g. IAM policies
            return [
                Note(
                    SCANNER,
                    path,
                    f"{len(text) / 1e6:.1f} MB mentions AWS resource types but is no template "
                    "CloudFormation would accept (over 1 MB, no AWSTemplateFormatVersion or "
                    "Resources map); not read as CloudFormation",
                )
            ]
        return [
            ScanError(
                SCANNER,
                path,
                f"CloudFormation: {len(text) / 1e6:.1f} MB is more than CloudFormation accepts"
                " (1 MB); not scanned",
            )
        ]
    try:
        t = parse(path, text)
    except CfnError as exc:
        if _GO_TEMPLATE.search(text) or not _TOP_LEVEL.search(text):
            return None  # a Helm/Go template, or a file that never said it is a template
        return [ScanError(SCANNER, path, f"CloudFormation: {exc.message}", exc.line, exc.column)]
    if t is None:
        return None
    out: list[ScanItem] = list(_checks_of(t, disabled, key))
    out.extend(_metadata_suppressions(t))
    if read is not None:
        out.extend(_nested(t, read, disabled, key, (path,)))
    return out


#: other tools' suppressions written in a template's or a resource's Metadata
_METADATA_SUPPRESSIONS = ("cfn_nag", "checkov", "cfn-lint", "guard")


def _metadata_suppressions(t: Template) -> Iterator[Note]:
    """One note per template whose Metadata holds other tools' suppressions: the tree
    writes them, so they never silence a pipesec finding (pipesec:ignore comments with a
    reason, or the configuration's exceptions, do)."""
    nodes = [t.root.get("Metadata"), *(r.node.get("Metadata") for r in t.resources)]
    tools = sorted(
        {
            tool
            for node in nodes
            if node is not None and isinstance(node.value, dict)
            for tool in _METADATA_SUPPRESSIONS
            if tool in node.value
        }
    )
    if tools:
        yield Note(
            SCANNER,
            t.path,
            f"Metadata suppressions of {', '.join(tools)} are not applied: the scanned tree "
            "cannot silence a finding (use pipesec:ignore[RULE] with a reason, or a "
            "configuration exception)",
            kind="ignored-suppression",
        )


def _checks_of(t: Template, disabled: frozenset[str], key: bytes) -> Iterator[ScanItem]:
    from pipesec.scanners.iac.scanner import _run_checks

    present = {r.type for r in t.resources}
    checks = [c for c in REGISTRY.checks if _applies(c, present)]
    yield from _run_checks(checks, disabled, t.path, split_lines(t.text), t, key=key)


#: how deep nested stacks are followed, and how many one template may name
MAX_NESTING = 3
MAX_NESTED_STACKS = 32


def _nested(
    t: Template,
    read: Callable[[str], str | None],
    disabled: frozenset[str],
    key: bytes,
    stack: tuple[str, ...],
) -> Iterator[ScanItem]:
    """Findings of the nested stacks (``AWS::CloudFormation::Stack`` whose TemplateURL is a
    relative path to a template in the tree) that only the parameters this template passes
    them produce: the child is scanned on its own too, with its defaults."""
    if len(stack) > MAX_NESTING:
        return
    for res in t.of_types({"AWS::CloudFormation::Stack"})[:MAX_NESTED_STACKS]:
        props = res.resolved()
        url, params = props.get("TemplateURL"), props.get("Parameters")
        if not isinstance(url, str) or ":" in url or url.startswith("/"):
            continue  # S3/HTTPS URLs are not fetched
        child = posixpath.normpath(posixpath.join(posixpath.dirname(t.path), url))
        if child.startswith("../") or child == ".." or child in stack:
            continue  # outside the tree, or a cycle
        passed = (
            {k: _param_text(v) for k, v in (params or {}).items()}
            if isinstance(params, dict)
            else {}
        )
        passed = {k: v for k, v in passed.items() if v is not None}
        text = read(child)
        if not passed or text is None or len(text) > MAX_TEMPLATE_CHARS:
            continue
        try:
            alone, called = parse(child, text), parse(child, text, passed)
        except CfnError:
            continue  # reported where the child is scanned on its own
        if alone is None or called is None:
            continue
        own = {_same(f) for f in _checks_of(alone, disabled, key) if isinstance(f, Finding)}
        via = f" (with the parameters {t.path} passes as stack {res.name})"
        for f in _checks_of(called, disabled, key):
            if isinstance(f, Finding) and _same(f) not in own:
                yield dataclasses.replace(f, message=f.message + via)
        yield from _nested(called, read, disabled, key, (*stack, child))


def _param_text(v: Any) -> str | None:
    """A parameter value as CloudFormation passes it (a list joined with commas)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str | int | float):
        return str(v)
    if isinstance(v, list) and all(isinstance(x, str | int | float) for x in v):
        return ",".join(str(x) for x in v)
    return None


def _same(f: Finding) -> tuple[str, int, str]:
    return (f.rule_id, f.location.start_line, f.identity)
