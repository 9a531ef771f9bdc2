"""AWS rules that span resources: S3 buckets and their separate encryption, versioning,
logging and public-access-block resources; IAM policy documents; VPCs and their flow logs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from pipesec.core.model import Confidence, Severity
from pipesec.scanners.iac.common import (
    Hit,
    escalates,
    make_rule,
    port_number,
    unscoped_condition,
)
from pipesec.scanners.iac.hcl import Block, Expr, as_json
from pipesec.scanners.iac.tf_policydoc import known_statements
from pipesec.scanners.iac.tfbase import (
    ModuleView,
    R,
    TfHit,
    _as_list,
    _line_in,
    at_attr,
    at_block,
    refers,
)

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


#: a bucket policy granting one role reads (the fixed form of the public-policy rule)
SITE_POLICY = """
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
"""


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
        SITE_POLICY,
        cwe=("CWE-284",),
    )
)
def s3_public_policy(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources("aws_s3_bucket_policy", "aws_s3_bucket"):
        a = b.attr("policy")
        if a is None:
            continue
        for st in _statements(m.policy(a.value)):
            if (
                st.get("Effect") == "Allow"
                and ("NotPrincipal" in st or _public_principal(st.get("Principal")))
                and unscoped_condition(st.get("Condition"))
            ):
                line = _line_in(lines[b.path], a, r"Principal")
                yield b.path, Hit(line, 1, f"{b.address}: policy allows Principal *")
                break


def _denies_plain_http(statement: dict[str, Any]) -> bool:
    """A Deny statement conditioned on ``aws:SecureTransport`` (``Bool``/``BoolIfExists``
    false): requests over plain HTTP are refused."""
    cond = statement.get("Condition")
    if statement.get("Effect") != "Deny" or not isinstance(cond, dict):
        return False
    return any(
        isinstance(op, str)
        and op.lower().startswith("bool")
        and isinstance(keys, dict)
        and any(
            isinstance(k, str)
            and k.lower() == "aws:securetransport"
            and any(str(v).lower() == "false" for v in _as_list(val))
            for k, val in keys.items()
        )
        for op, keys in cond.items()
    )


def _document_denies_plain_http(m: ModuleView, value: Any) -> bool | None:
    """Whether a bucket policy (JSON, jsonencode() or an aws_iam_policy_document's ``json``)
    has a Deny on ``aws:SecureTransport`` false; None when the document is not known."""
    value = m.policy(value)
    if not isinstance(as_json(value), dict):
        return None
    return any(_denies_plain_http(st) for st in _statements(value))


@R(
    make_rule(
        "tf/aws-s3-policy-allows-plain-http",
        "S3 bucket policy does not refuse plain HTTP",
        Severity.MEDIUM,
        "S3 answers requests over plain HTTP as well as HTTPS; only a bucket policy statement "
        'that Denies requests whose "aws:SecureTransport" is false makes it refuse them. A '
        "bucket policy without that statement lets a client (or a statement that Allows on "
        "SecureTransport false) read and write objects unencrypted on the network. Buckets "
        "with no policy at all are not reported.",
        "Add a statement to the bucket policy: Effect Deny, Principal *, Action s3:*, the "
        'bucket and its objects as Resource, Condition Bool "aws:SecureTransport" = "false".',
        SITE_POLICY,
        SITE_POLICY.replace(
            "    }]\n",
            "    }, {\n"
            '      Effect    = "Deny"\n'
            '      Principal = "*"\n'
            '      Action    = "s3:*"\n'
            '      Resource  = ["arn:aws:s3:::acme-site", "arn:aws:s3:::acme-site/*"]\n'
            '      Condition = { Bool = { "aws:SecureTransport" = "false" } }\n'
            "    }]\n",
        ),
        cwe=("CWE-319",),
        references=(
            "https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html",
            "https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-5",
        ),
    )
)
def s3_policy_allows_plain_http(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources("aws_s3_bucket_policy"):
        a = b.attr("policy")
        if a is not None and _document_denies_plain_http(m, a.value) is False:
            yield at_attr(b, a, f"{b.address}: the policy does not deny aws:SecureTransport false")


@R(
    make_rule(
        "tf/aws-s3-no-public-access-block",
        "S3 bucket without a public access block",
        Severity.LOW,
        "Since April 2023 S3 turns Block Public Access on for every new bucket, so a bucket "
        "without an aws_s3_bucket_public_access_block is not public; but the guard rail is "
        "not declared in code, so a console change that lifts it is neither seen nor undone. "
        "A public ACL or policy, or a block with a setting false, is reported by its own rule.",
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
    exempt: Callable[[ModuleView, Block], bool] = lambda m, b: False,
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
            if exempt(m, b):
                continue
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
    "Since January 2023 S3 encrypts every new object with S3-managed keys (SSE-S3) and the "
    "default cannot be removed, so such a bucket is encrypted at rest; without a "
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


def _object_lock(b: Block) -> bool:
    """A bucket created with S3 Object Lock: S3 turns versioning on with it, for good
    (``object_lock_enabled``, or the AWS provider 3.x ``object_lock_configuration`` block)."""
    return b.flag("object_lock_enabled") is True or any(
        c.value("object_lock_enabled") == "Enabled" for c in b.children("object_lock_configuration")
    )


_bucket_linked_rule(
    "tf/aws-s3-versioning-disabled",
    "S3 bucket without versioning",
    Severity.MEDIUM,
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
    lambda b: b.flag("enabled") is True,
    lambda m, b: _object_lock(b),
)


def _is_log_bucket(m: ModuleView, b: Block) -> bool:
    """A bucket that receives other buckets' access logs (logging it would log itself)."""
    if b.value("acl") == "log-delivery-write" or any(
        a.value("acl") == "log-delivery-write" for a in m.linked(b, ("aws_s3_bucket_acl",))
    ):
        return True
    if m.linked(b, ("aws_s3_bucket_logging",), attr="target_bucket"):
        return True
    inline = m.links(
        "aws_s3_bucket.logging.target_bucket",
        lambda: [
            (other, lg.value("target_bucket"), other)
            for other in m.resources("aws_s3_bucket")
            for lg in other.children("logging")
        ],
    )
    return bool(inline.to(b, b.value("bucket")))


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
    lambda m, b: _is_log_bucket(m, b),
)

_TRAIL = """
resource "aws_s3_bucket" "trail" {
  bucket = "acme-cloudtrail"
}

resource "aws_cloudtrail" "main" {
  name                          = "main"
  s3_bucket_name                = aws_s3_bucket.trail.id
  enable_log_file_validation    = true
  is_multi_region_trail         = true
  include_global_service_events = true
}
"""


def _access_logged(m: ModuleView, b: Block) -> bool:
    """The bucket has server access logs (inline or by aws_s3_bucket_logging), or is a log
    bucket itself."""
    if b.children("logging") or m.linked(b, ("aws_s3_bucket_logging",)):
        return True
    return _is_log_bucket(m, b)


@R(
    make_rule(
        "tf/aws-cloudtrail-bucket-no-access-logging",
        "CloudTrail delivers to a bucket without access logging",
        Severity.MEDIUM,
        "The trail's bucket holds the account's audit record; without server access logs on "
        "it nobody can tell who read, copied or deleted the trail's log files (CIS AWS 3.6). "
        "The bucket's own low finding (aws-s3-access-logging-disabled) rates any bucket; this "
        "one is about the audit trail.",
        "Add aws_s3_bucket_logging for the trail's bucket, pointing at a separate log bucket.",
        _TRAIL,
        _TRAIL.replace(
            'bucket = "acme-cloudtrail"\n}\n',
            'bucket = "acme-cloudtrail"\n}\n\n'
            'resource "aws_s3_bucket_logging" "trail" {\n'
            "  bucket        = aws_s3_bucket.trail.id\n"
            '  target_bucket = "acme-access-logs"\n'
            '  target_prefix = "cloudtrail/"\n}\n',
        ),
        cwe=("CWE-778",),
        references=("https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html",),
    )
)
def cloudtrail_bucket_access_logs(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    """Only a bucket of the module: a trail writing to a bucket made elsewhere is not judged."""
    buckets = _BucketIndex(list(m.resources("aws_s3_bucket")))
    for trail in m.resources("aws_cloudtrail"):
        a = trail.attr("s3_bucket_name")
        if a is None:
            continue
        b = buckets.first_referred(trail, trail.value("s3_bucket_name"))
        if b is not None and not _access_logged(m, b):
            msg = f"{trail.address} delivers to {b.address}, which has no access logging"
            yield at_attr(trail, a, msg)


_BUCKET_TOKEN = re.compile(r"aws_s3_bucket\.[\w-]+")


class _BucketIndex:
    """The buckets of a module by what a reference to one can hold (its address, its name
    attribute's literal or expression), so that finding the bucket a value refers to costs
    the few candidates, not every bucket (each trail against each bucket was quadratic:
    3,000 trails and 3,000 buckets, 0.4 MB, cost 7.5 s of CPU)."""

    def __init__(self, buckets: list[Block]) -> None:
        self.buckets = buckets
        self.names = [b.value("bucket") for b in buckets]
        self.by_token: dict[str, list[int]] = {}
        self.by_name: dict[str, list[int]] = {}
        for i, (b, name) in enumerate(zip(buckets, self.names, strict=True)):
            for token in set(_BUCKET_TOKEN.findall(b.address)):
                self.by_token.setdefault(token, []).append(i)
            key = name if isinstance(name, str) else name.text if isinstance(name, Expr) else None
            if key is not None:
                self.by_name.setdefault(key, []).append(i)

    def first_referred(self, src: Block, v: Any) -> Block | None:
        """The first bucket (in module order) that ``v``, a value of ``src``, refers to."""
        found: set[int] = set()
        if isinstance(v, str):
            found.update(self.by_name.get(v, ()))
        elif isinstance(v, Expr):
            found.update(self.by_name.get(v.text, ()))
            fe = src.value("for_each")
            texts = v.text + (" " + fe.text if isinstance(fe, Expr) else "")
            for token in set(_BUCKET_TOKEN.findall(texts)):
                found.update(self.by_token.get(token, ()))
        for i in sorted(found):
            if refers(src, v, self.buckets[i], self.names[i]):
                return self.buckets[i]
        return None


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


@R(
    make_rule(
        "tf/aws-vpc-no-flow-logs",
        "VPC without flow logs",
        Severity.MEDIUM,
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


ALB = """
resource "aws_lb" "web" {
  name                       = "web"
  load_balancer_type         = "application"
  subnets                    = var.public_subnet_ids
  security_groups            = [aws_security_group.web.id]
  drop_invalid_header_fields = true
}
"""


def _internet_facing_alb(b: Block) -> bool:
    """An application load balancer that faces the internet: ``internal`` false or left
    out (the default) and ``load_balancer_type`` application or left out; an unknown value
    is not judged."""
    kind = b.value("load_balancer_type")
    return b.value("internal") in (None, False) and (kind is None or kind == "application")


_WAF_ASSOCIATIONS = ("aws_wafv2_web_acl_association", "aws_wafregional_web_acl_association")


@R(
    make_rule(
        "tf/aws-alb-no-waf",
        "Internet-facing application load balancer without a WAF web ACL",
        Severity.MEDIUM,
        "An internet-facing ALB with no web ACL passes every request to the application: "
        "no managed rules against common exploits (SQL injection, known bad inputs), no rate "
        "limit against request floods. CloudFront, Application Gateway and Front Door without "
        "a WAF are reported the same way (KICS medium, checkov CKV2_AWS_28).",
        "Associate an aws_wafv2_web_acl (scope REGIONAL) with the load balancer through "
        "aws_wafv2_web_acl_association.",
        ALB,
        ALB
        + """
resource "aws_wafv2_web_acl_association" "web" {
  resource_arn = aws_lb.web.arn
  web_acl_arn  = aws_wafv2_web_acl.web.arn
}
""",
        cwe=("CWE-693",),
        confidence=Confidence.MEDIUM,
    )
)
def alb_no_waf(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources("aws_lb", "aws_alb"):
        if _internet_facing_alb(b) and not m.linked(
            b,
            _WAF_ASSOCIATIONS,
            attr="resource_arn",
        ):
            yield at_block(b, f"{b.address} is internet-facing and has no WAF web ACL")


ELB_HTTPS = """
resource "aws_elb" "legacy" {
  name            = "legacy"
  subnets         = [aws_subnet.public_a.id]
  security_groups = [aws_security_group.lb.id]
  listener {
    instance_port      = 8080
    instance_protocol  = "http"
    lb_port            = 443
    lb_protocol        = "https"
    ssl_certificate_id = aws_acm_certificate.legacy.arn
  }
}
"""
ELB_TLS_POLICY = """
resource "aws_load_balancer_policy" "tls12" {
  load_balancer_name = aws_elb.legacy.name
  policy_name        = "tls12"
  policy_type_name   = "SSLNegotiationPolicyType"
  policy_attribute {
    name  = "Reference-Security-Policy"
    value = "ELBSecurityPolicy-TLS-1-2-2017-01"
  }
}

resource "aws_load_balancer_listener_policy" "tls12" {
  load_balancer_name = aws_elb.legacy.name
  load_balancer_port = 443
  policy_names       = [aws_load_balancer_policy.tls12.policy_name]
}
"""


@R(
    make_rule(
        "tf/aws-elb-classic-tls-default-policy",
        "Classic load balancer HTTPS/SSL listener without an SSL negotiation policy",
        Severity.HIGH,
        "A Classic Load Balancer listener of protocol HTTPS or SSL that no policy is attached "
        "to negotiates with the default ELBSecurityPolicy-2016-08, which accepts TLS 1.0 and "
        "1.1 (RFC 8996): the same as referencing that policy, which "
        "tf/aws-elb-policy-outdated-tls reports (AWS Security Hub ELB.8). A policy attached "
        "outside the module is why the confidence is medium.",
        "Attach an SSL negotiation policy referencing ELBSecurityPolicy-TLS-1-2-2017-01 to the "
        "listener's port (aws_load_balancer_policy with aws_load_balancer_listener_policy, or "
        "aws_lb_ssl_negotiation_policy).",
        ELB_HTTPS,
        ELB_HTTPS + ELB_TLS_POLICY,
        cwe=("CWE-326",),
        confidence=Confidence.MEDIUM,
    )
)
def elb_tls_default_policy(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources("aws_elb"):
        listeners = [
            (listener, listener.value("lb_port"))
            for listener in b.children("listener")
            if isinstance(proto := listener.value("lb_protocol"), str)
            and proto.lower() in ("https", "ssl")
        ]
        if not listeners:
            continue
        policies = [
            p.value(port)
            for kind, attr, port in (
                ("aws_load_balancer_listener_policy", "load_balancer_name", "load_balancer_port"),
                ("aws_lb_ssl_negotiation_policy", "load_balancer", "lb_port"),
            )
            for p in m.linked(b, (kind,), attr=attr, name="name")
        ]
        covered = {port_number(p) for p in policies}
        if None in covered:  # a policy on a port the scan cannot read: not judged
            continue
        for listener, port in listeners:
            number = port_number(port)
            if number is not None and number not in covered:
                yield at_block(
                    listener,
                    f"{b.address}: the listener on port {number} has no SSL negotiation "
                    "policy: the default ELBSecurityPolicy-2016-08 accepts TLS 1.0 and 1.1",
                    key=f"{b.address}.listener.{number}",
                )


APIGW_STAGE = """
resource "aws_api_gateway_rest_api" "orders" {
  name = "orders"
  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id          = aws_api_gateway_rest_api.orders.id
  deployment_id        = aws_api_gateway_deployment.orders.id
  stage_name           = "prod"
  xray_tracing_enabled = true
}
"""


def _private_api(api: Block) -> bool | None:
    """Whether a REST API's endpoint is PRIVATE (reachable only through VPC endpoints); None
    when its endpoint types are not known (a variable). Left out, the endpoint is EDGE."""
    types = api.value("endpoint_configuration.types")
    if types is None:
        return False
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        return None
    return "PRIVATE" in types


@R(
    make_rule(
        "tf/aws-apigateway-stage-no-waf",
        "API Gateway REST API stage without a WAF web ACL",
        Severity.MEDIUM,
        "A public (edge or regional) REST API stage with no web ACL passes every request to "
        "the integrations behind it: no managed rules against common exploits, no rate limit "
        "against request floods. Load balancers and CloudFront without a WAF are reported the "
        "same way (checkov CKV2_AWS_29, AWS Security Hub APIGateway.4). Private APIs are left "
        "out; a web ACL attached outside the module (Firewall Manager) is why the confidence "
        "is medium.",
        "Associate an aws_wafv2_web_acl (scope REGIONAL) with the stage through "
        "aws_wafv2_web_acl_association (resource_arn = the stage's arn).",
        APIGW_STAGE,
        APIGW_STAGE
        + """
resource "aws_wafv2_web_acl_association" "prod" {
  resource_arn = aws_api_gateway_stage.prod.arn
  web_acl_arn  = aws_wafv2_web_acl.api.arn
}
""",
        cwe=("CWE-693",),
        confidence=Confidence.MEDIUM,
    )
)
def apigateway_stage_no_waf(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    # a stage is judged only when its REST API is in the module (its endpoint type is known);
    # an association whose ARN names the API (``/restapis/${aws_api_gateway_rest_api.x.id}/
    # stages/prod``, the stage by its name) covers its stages, as the CloudFormation twin
    # takes it (review18: the twins disagreed)
    for api in m.resources("aws_api_gateway_rest_api"):
        if _private_api(api) is not False:
            continue
        if m.linked(api, _WAF_ASSOCIATIONS, attr="resource_arn"):
            continue
        for stage in m.linked(api, ("aws_api_gateway_stage",), attr="rest_api_id"):
            if not m.linked(stage, _WAF_ASSOCIATIONS, attr="resource_arn"):
                yield at_block(stage, f"{stage.address} is public and has no WAF web ACL")


REDSHIFT = """
resource "aws_redshift_cluster" "warehouse" {
  cluster_identifier  = "warehouse"
  node_type           = "ra3.xlplus"
  master_username     = "admin"
  manage_master_password = true
  encrypted           = true
  publicly_accessible = false
}
"""


@R(
    make_rule(
        "tf/aws-redshift-logging-disabled",
        "Redshift cluster without audit logging",
        Severity.MEDIUM,
        "Redshift writes no connection, user or user-activity log unless audit logging is "
        "turned on: without it there is no record of who connected and what they ran to "
        "investigate a leak of the warehouse's data (KICS medium, checkov CKV_AWS_71).",
        "Add an aws_redshift_logging for the cluster (log_destination_type s3 or cloudwatch), "
        "or the logging block with enable = true on AWS provider 4.x.",
        REDSHIFT,
        REDSHIFT
        + '\nresource "aws_redshift_logging" "warehouse" {\n'
        + "  cluster_identifier   = aws_redshift_cluster.warehouse.id\n"
        + '  log_destination_type = "cloudwatch"\n'
        + '  log_exports          = ["connectionlog", "userlog", "useractivitylog"]\n}\n',
        cwe=("CWE-778",),
        confidence=Confidence.MEDIUM,
    )
)
def redshift_logging(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources("aws_redshift_cluster"):
        inline = b.children("logging")
        if inline:
            if inline[0].flag("enable") is False:
                lb = inline[0]
                yield b.path, Hit(lb.line, lb.column, f"{b.address}: audit logging is disabled")
            continue
        if not m.linked(b, ("aws_redshift_logging",), attr="cluster_identifier"):
            yield at_block(b, f"{b.address} has no audit logging")


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
    yield from _iam_allows(m, lines, lambda acts: "*" in acts, r"Action.*\"\*\"", "* on *")


def _inline_policies(m: ModuleView) -> Iterator[tuple[Block, Any]]:
    """IAM policy resources and their ``policy`` attribute (JSON, or a jsonencode value),
    the ``inline_policy`` blocks of roles, and permission sets' inline policies."""
    for b in m.resources(
        "aws_iam_policy",
        "aws_iam_role_policy",
        "aws_iam_user_policy",
        "aws_iam_group_policy",
    ):
        a = b.attr("policy")
        if a is not None:
            yield b, a
    for role in m.resources("aws_iam_role"):
        for inline in role.children("inline_policy"):
            a = inline.attr("policy")
            if a is not None:
                yield role, a
    # an IAM Identity Center permission set's inline policy becomes the identity policy of
    # the role it provisions in every account the set is assigned to
    for ps in m.resources("aws_ssoadmin_permission_set_inline_policy"):
        a = ps.attr("inline_policy")
        if a is not None:
            yield ps, a


def _iam_allows(
    m: ModuleView,
    lines: dict[str, list[str]],
    bad_actions: Callable[[list[Any]], bool],
    line_pattern: str,
    what: str,
) -> Iterator[TfHit]:
    """Allow statements on Resource "*" whose actions ``bad_actions`` matches, in inline
    policies (JSON) and in aws_iam_policy_document data sources."""
    for b, a in _inline_policies(m):
        for st in _statements(a.value):
            if (
                st.get("Effect") == "Allow"
                and bad_actions(_as_list(st.get("Action")))
                and "*" in _as_list(st.get("Resource"))
            ):
                line = _line_in(lines[b.path], a, line_pattern)
                yield b.path, Hit(line, 1, f"{b.address} allows {what}")
                break
    for d in m.data("aws_iam_policy_document"):
        for sb in known_statements(d):
            if sb.value("effect", "Allow") != "Allow":
                continue
            acts, res = sb.attrs.get("actions"), sb.attrs.get("resources")
            if (
                acts is not None
                and res is not None
                and bad_actions(_as_list(acts.value))
                and "*" in _as_list(res.value)
            ):
                yield at_attr(d, acts, f"{d.address} allows {what}")


def _service_wildcard(actions: list[Any]) -> bool:
    return "*" not in actions and any(
        isinstance(x, str) and re.fullmatch(r"[a-z0-9-]+:\*", x.lower()) for x in actions
    )


@R(
    make_rule(
        "tf/aws-iam-service-wildcard-policy",
        "IAM policy allows every action of a service on every resource",
        Severity.MEDIUM,
        'A statement such as "s3:*" or "iam:*" on Resource "*" is full administrator access '
        "to that service in the whole account: deleting every bucket, or granting any "
        "permission, is one call away.",
        "List the actions the principal needs and scope Resource to the ARNs it works on.",
        _iam('["s3:*"]', '"*"'),
        _iam('["s3:GetObject", "s3:PutObject"]', '"arn:aws:s3:::acme-artifacts/*"'),
        cwe=("CWE-269",),
    )
)
def iam_service_wildcard(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    yield from _iam_allows(m, lines, _service_wildcard, r"Action.*:\*", "a service's * on *")


_METADATA_VERBS = re.compile(r"[a-z0-9-]+:(describe|list)[a-z0-9]*\*", re.IGNORECASE)


def _action_pattern(actions: list[Any]) -> bool:
    """A wildcard pattern such as "s3:Get*" or "cloudformation:*Stack" among the actions, with
    no "*" or "service:*" (their own rules report those), and not only the metadata-reading
    "Describe*"/"List*" families, which many services cannot scope to a resource anyway."""
    texts = [x for x in actions if isinstance(x, str)]
    if "*" in texts or any(re.fullmatch(r"[a-z0-9-]+:\*", x.lower()) for x in texts):
        return False
    return any("*" in x and not _METADATA_VERBS.fullmatch(x) for x in texts)


@R(
    make_rule(
        "tf/aws-iam-action-pattern-on-all-resources",
        "IAM policy allows a wildcard action pattern on every resource",
        Severity.MEDIUM,
        'A pattern such as "s3:Get*", "secretsmanager:Get*" or "dynamodb:*Item" on Resource "*" '
        "grants every matching action, including ones added to the service later, on every "
        "resource of the account: reading every bucket's objects or every secret is one call "
        "away. Describe* and List* patterns, which read metadata only, are not reported.",
        "List the actions the principal needs and scope Resource to the ARNs it works on.",
        _iam('["s3:Get*", "s3:ListBucket"]', '"*"'),
        _iam('["s3:GetObject", "s3:ListBucket"]', '"arn:aws:s3:::acme-reports/*"'),
        cwe=("CWE-269",),
        references=(
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html"
            "#grant-least-privilege",
        ),
    )
)
def iam_action_pattern(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    yield from _iam_allows(m, lines, _action_pattern, r":\w*\*", "an action pattern on *")


# Named actions that destroy a resource or its data ("s3:DeleteBucket", "ec2:TerminateInstances",
# "ecr:BatchDeleteImage", "sqs:PurgeQueue", "kms:ScheduleKeyDeletion": every object encrypted
# with the key). The same expressions are in the CloudFormation form's condition
# (rules/aws/aws-iam-delete-on-all-resources.yaml).
DESTROYS = re.compile(
    r"[a-z0-9-]+:(batch)?(delete|terminate|purge|destroy)[a-z0-9]*|kms:schedulekeydeletion", re.I
)
# Routine actions of that shape: a Lambda in a VPC deletes its own network interfaces, a queue
# consumer deletes the messages it has read, and tags are metadata.
DESTROYS_ROUTINE = re.compile(
    r"ec2:deletenetworkinterface[a-z]*|sqs:deletemessage(batch)?|[a-z0-9-]+:delete[a-z]*tags?",
    re.I,
)


def _destroys(actions: list[Any]) -> bool:
    """A named (not wildcard) action that deletes or terminates resources or data, other
    than the routine ones; wildcards are left to the wildcard and action-pattern rules."""
    return any(
        isinstance(x, str) and DESTROYS.fullmatch(x) and not DESTROYS_ROUTINE.fullmatch(x)
        for x in actions
    )


@R(
    make_rule(
        "tf/aws-iam-delete-on-all-resources",
        "IAM policy allows deleting every resource of a kind",
        Severity.MEDIUM,
        "A named action that destroys (s3:DeleteBucket, s3:DeleteObject, dynamodb:DeleteTable, "
        "rds:DeleteDBInstance, ec2:TerminateInstances, kms:ScheduleKeyDeletion ...) on Resource "
        '"*" lets the principal destroy every such resource in the account, not only its own: a '
        "leaked credential or a bug wipes the account's data. Routine actions of the same shape "
        "(a Lambda's ec2:DeleteNetworkInterface, a consumer's sqs:DeleteMessage, tag deletion) "
        "are not reported.",
        "Scope Resource to the ARNs the principal manages (a bucket, a table, a name prefix), "
        "or add a condition on a resource tag.",
        _iam('["s3:ListBucket", "s3:DeleteBucket"]', '"*"'),
        _iam('["s3:ListBucket", "s3:DeleteBucket"]', '"arn:aws:s3:::acme-scratch-*"'),
        cwe=("CWE-269",),
        references=(
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html"
            "#grant-least-privilege",
        ),
    )
)
def iam_delete_on_all(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    yield from _iam_allows(
        m,
        lines,
        _destroys,
        r"(?i):(batch)?(delete|terminate|purge|destroy|schedulekeydeletion)",
        "deleting on *",
    )


def _on_everything(statement: dict[str, Any]) -> list[Any]:
    """The actions an Allow statement grants on Resource "*" ([] for any other statement)."""
    if statement.get("Effect") != "Allow" or "*" not in _as_list(statement.get("Resource")):
        return []
    return _as_list(statement.get("Action"))


def _first_escalation(actions: list[Any]) -> str:
    return next((a for a in actions if isinstance(a, str) and escalates([a])), "iam:PassRole")


@R(
    make_rule(
        "tf/aws-iam-privilege-escalation",
        "IAM policy lets the principal escalate its own privileges",
        Severity.MEDIUM,
        "Actions such as iam:CreateAccessKey, iam:PutUserPolicy or iam:CreatePolicyVersion on "
        'Resource "*" (or iam:PassRole together with ec2:RunInstances or lambda:CreateFunction) '
        "let whoever holds the policy mint credentials for, or grant any permission to, any "
        "principal in the account, themselves included: the policy is administrator access "
        "in two calls.",
        "Scope these actions to the ARNs the principal manages (its own user, a path prefix, "
        "specific roles for iam:PassRole), or move them to an administrator role.",
        _iam('["iam:CreateAccessKey", "iam:ListAccessKeys"]', '"*"'),
        _iam(
            '["iam:CreateAccessKey", "iam:ListAccessKeys"]',
            '"arn:aws:iam::111122223333:user/$${aws:username}"',
        ),
        cwe=("CWE-269",),
        references=(
            "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/",
        ),
    )
)
def iam_privilege_escalation(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b, a in _inline_policies(m):
        actions = [x for st in _statements(a.value) for x in _on_everything(st)]
        if escalates(actions):
            first = _first_escalation(actions)
            line = _line_in(lines[b.path], a, re.escape(first))
            yield b.path, Hit(line, 1, f"{b.address} allows {first} on *")
    for d in m.data("aws_iam_policy_document"):
        granted: list[tuple[Any, list[Any]]] = []
        for sb in known_statements(d):
            acts, res = sb.attrs.get("actions"), sb.attrs.get("resources")
            if (
                sb.value("effect", "Allow") == "Allow"
                and acts is not None
                and res is not None
                and "*" in _as_list(res.value)
            ):
                granted.append((acts, _as_list(acts.value)))
        if escalates([x for _, acts in granted for x in acts]):
            first = _first_escalation([x for _, acts in granted for x in acts])
            where = next((a for a, acts in granted if first in acts), granted[0][0])
            yield at_attr(d, where, f"{d.address} allows {first} on *")


TRAIL = """
resource "aws_cloudtrail" "main" {
  name                       = "main"
  s3_bucket_name             = aws_s3_bucket.trail.id
  is_multi_region_trail      = true
  enable_log_file_validation = true
  kms_key_id                 = aws_kms_key.trail.arn
}
"""


@R(
    make_rule(
        "tf/aws-ami-no-owner",
        "AMI looked up by name without an owner",
        Severity.MEDIUM,
        "An aws_ami lookup with most_recent and a name filter but no owners takes the newest "
        "public image with a matching name, whoever published it: an attacker can publish a "
        "look-alike AMI and have it launched (the whoAMI name-confusion attack).",
        "Set owners to the publisher's account id (or alias such as amazon), or filter on "
        "owner-id.",
        'data "aws_ami" "ubuntu" {\n  most_recent = true\n\n  filter {\n    name   = "name"\n'
        '    values = ["ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*"]\n  }\n}\n',
        'data "aws_ami" "ubuntu" {\n  most_recent = true\n  owners      = ["099720109477"]\n\n'
        '  filter {\n    name   = "name"\n'
        '    values = ["ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*"]\n  }\n}\n',
        cwe=("CWE-494",),
        references=("https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/finding-an-ami.html",),
    )
)
def ami_no_owner(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for d in m.data("aws_ami"):
        if d.attr("owners") is not None or d.attr("image_id") is not None:
            continue
        names = {str(f.value("name", "")) for f in d.children("filter")}
        if names & {"owner-id", "owner-alias", "image-id"}:
            continue
        yield at_block(d, f"{d.address}: no owners for the image lookup")
