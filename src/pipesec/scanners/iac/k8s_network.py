"""Network exposure rules (``k8s/<slug>``): ingress-nginx annotations (snippet injection,
TLS, CORS, allow-lists), the ingress-nginx controller ConfigMap, NetworkPolicy selectors and
Service exposure (LoadBalancer, externalIPs)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipesec.core.model import Confidence, Severity
from pipesec.core.yamlpos import YNode as Y
from pipesec.scanners.iac.common import Hit, leaves_internet, make_rule
from pipesec.scanners.iac.kubernetes import (
    REGISTRY,
    SYSTEM_NAMESPACES,
    K8sObject,
    _at,
    namespace_of,
    netpol_peers,
    selects_everyone,
    template_meta,
)

R = REGISTRY.rule
NGINX = "nginx.ingress.kubernetes.io/"
ANNOTATIONS = (
    "https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/"
)
NETPOL = "https://kubernetes.io/docs/concepts/services-networking/network-policies/"

INGRESS = """
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
  annotations:
    nginx.ingress.kubernetes.io/proxy-body-size: 8m
spec:
  ingressClassName: nginx
  tls:
    - hosts: [shop.example.com]
      secretName: shop-tls
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port: {number: 80}
"""


def _ingress(annotation: str) -> str:
    return INGRESS.replace("    nginx.ingress.kubernetes.io/proxy-body-size: 8m", annotation, 1)


def _nginx(o: K8sObject) -> Iterator[tuple[str, Y]]:
    """The ingress-nginx annotations of an Ingress: (name without prefix, value node)."""
    if o.kind != "Ingress":
        return
    notes = o.doc.get("metadata", "annotations")
    for key, val in notes.mapping().items() if notes else []:
        if key.startswith(NGINX):
            yield key.removeprefix(NGINX), val


_SNIPPETS = (
    "configuration-snippet",
    "server-snippet",
    "auth-snippet",
    "modsecurity-snippet",
    "stream-snippet",
)


def _snippets(o: K8sObject) -> Iterator[tuple[str, Y, str]]:
    for name, val in _nginx(o):
        if name in _SNIPPETS or name.endswith("-snippet"):
            yield name, val, str(val.value or "")


@R(
    make_rule(
        "k8s/nginx-snippet-annotation",
        "ingress-nginx snippet annotation",
        Severity.MEDIUM,
        "Snippet annotations paste raw nginx configuration into the shared controller: whoever "
        "can write an Ingress can read the controller's service account token and every "
        "Secret it serves (CVE-2021-25742, CVE-2023-5043).",
        "Remove the snippet; use dedicated annotations, and run the controller with "
        "allow-snippet-annotations: false.",
        _ingress(
            "    nginx.ingress.kubernetes.io/configuration-snippet: |\n"
            '      more_set_headers "X-Frame-Options: DENY";'
        ),
        INGRESS,
        cwe=("CWE-94",),
        references=(ANNOTATIONS, "https://nvd.nist.gov/vuln/detail/CVE-2021-25742"),
    )
)
def snippet(o: K8sObject) -> Iterator[Hit]:
    for name, val, _text in _snippets(o):
        yield _at(val, f"Ingress {o.name} uses the {name} annotation", key=name)


_LUA = re.compile(r"\b\w*_by_lua(?:_block|_file)?\b|\blua_\w+|\bngx\.")
_FILE_DIRECTIVE = re.compile(r"(?m)(?:^|[;{]\s*)(?:alias|root|include|load_module)\s+\S")


@R(
    make_rule(
        "k8s/nginx-snippet-lua",
        "ingress-nginx snippet runs Lua code",
        Severity.HIGH,
        "Lua in a snippet runs inside the controller process: it can read the controller's "
        "token and all TLS keys and Secrets it has (CVE-2021-25742).",
        "Remove the Lua snippet.",
        _ingress(
            "    nginx.ingress.kubernetes.io/server-snippet: |\n"
            "      location /x { content_by_lua_block {\n"
            "        ngx.say(io.open('/etc/passwd'):read('*a')) } }"
        ),
        INGRESS,
        cwe=("CWE-94",),
        references=("https://nvd.nist.gov/vuln/detail/CVE-2021-25742",),
    )
)
def snippet_lua(o: K8sObject) -> Iterator[Hit]:
    for name, val, text in _snippets(o):
        if _LUA.search(text):
            yield _at(val, f"Ingress {o.name}: {name} contains Lua code", key=name)


@R(
    make_rule(
        "k8s/nginx-snippet-file-access",
        "ingress-nginx snippet reads controller files",
        Severity.HIGH,
        "alias, root or include in a snippet serves files of the controller's filesystem, such "
        "as its service account token (CVE-2021-25742).",
        "Remove the directive from the snippet.",
        _ingress(
            "    nginx.ingress.kubernetes.io/server-snippet: |\n"
            "      location /t { alias /var/run/secrets/kubernetes.io/serviceaccount/; }"
        ),
        INGRESS,
        cwe=("CWE-22",),
        references=("https://nvd.nist.gov/vuln/detail/CVE-2021-25742",),
    )
)
def snippet_file(o: K8sObject) -> Iterator[Hit]:
    for name, val, text in _snippets(o):
        if _FILE_DIRECTIVE.search(text):
            yield _at(val, f"Ingress {o.name}: {name} reads files of the controller", key=name)


_INJECTION = re.compile(r"[;{}\n`]|\$\{")
#: annotations that hold a URL: a character no URL holds unescaped is a way out of the value
_URL_ANNOTATIONS = frozenset(
    (
        "auth-url",
        "auth-signin",
        "mirror-target",
        "mirror-host",
        "permanent-redirect",
        "temporal-redirect",
        "default-backend-url",
    )
)
_NOT_URL = re.compile(r"[|\"'\\<>^\s]")
#: the character class ingress-nginx's own validation allows in auth-tls-match-cn
_MATCH_CN = re.compile(r"CN=[/\-._~a-zA-Z0-9, =]*")


@R(
    make_rule(
        "k8s/nginx-annotation-injection",
        "nginx directive injected through an ingress-nginx annotation",
        Severity.HIGH,
        "Annotations such as auth-url, auth-tls-match-cn or permanent-redirect are pasted into "
        "the controller's nginx.conf; a ;, { } or newline in the value adds arbitrary "
        "directives (IngressNightmare, CVE-2025-1974 and related).",
        "Use plain values without nginx syntax characters.",
        _ingress(
            '    nginx.ingress.kubernetes.io/auth-url: "http://auth.shop.svc/verify;}'
            '\\nlocation /x {alias /etc/;"'
        ),
        _ingress('    nginx.ingress.kubernetes.io/auth-url: "http://auth.shop.svc/verify"'),
        cwe=("CWE-94",),
        references=("https://nvd.nist.gov/vuln/detail/CVE-2025-1974",),
    )
)
def annotation_injection(o: K8sObject) -> Iterator[Hit]:
    for name, val in _nginx(o):
        if name in _SNIPPETS or name.endswith("-snippet") or not isinstance(val.value, str):
            continue
        value = val.value.strip()
        if _INJECTION.search(value):
            yield _at(val, f"Ingress {o.name}: nginx syntax in {name}", key=name)
        elif (name in _URL_ANNOTATIONS and _NOT_URL.search(value)) or (
            name == "auth-tls-match-cn" and not _MATCH_CN.fullmatch(value)
        ):
            yield _at(val, f"Ingress {o.name}: characters outside a {name} value", key=name)


def _false(val: Y) -> bool:
    return str(val.value).strip().lower() == "false"


@R(
    make_rule(
        "k8s/nginx-ssl-redirect-disabled",
        "ingress-nginx HTTPS redirect disabled",
        Severity.LOW,
        "With ssl-redirect: false, clients that start on http:// stay on clear text and their "
        "cookies and credentials can be read on the network.",
        'Remove ssl-redirect: "false" (the redirect is on when TLS is configured).',
        _ingress('    nginx.ingress.kubernetes.io/ssl-redirect: "false"'),
        INGRESS,
        cwe=("CWE-319",),
    )
)
def ssl_redirect(o: K8sObject) -> Iterator[Hit]:
    for name, val in _nginx(o):
        if name in ("ssl-redirect", "force-ssl-redirect") and _false(val):
            yield _at(val, f"Ingress {o.name} disables the HTTPS redirect", key=name)


@R(
    make_rule(
        "k8s/nginx-client-cert-not-verified",
        "ingress-nginx accepts client certificates without verifying them",
        Severity.MEDIUM,
        "auth-tls-verify-client: optional_no_ca passes any client certificate to the backend "
        "unverified; a backend that trusts the forwarded certificate is open to anyone.",
        "Use auth-tls-verify-client: on (or optional) with auth-tls-secret set.",
        _ingress("    nginx.ingress.kubernetes.io/auth-tls-verify-client: optional_no_ca"),
        _ingress(
            '    nginx.ingress.kubernetes.io/auth-tls-verify-client: "on"\n'
            "    nginx.ingress.kubernetes.io/auth-tls-secret: shop/client-ca"
        ),
        cwe=("CWE-295",),
    )
)
def client_cert(o: K8sObject) -> Iterator[Hit]:
    for name, val in _nginx(o):
        if name == "auth-tls-verify-client" and str(val.value).lower() == "optional_no_ca":
            yield _at(val, f"Ingress {o.name} does not verify client certificates")


_WORLD = ("0.0.0.0/0", "::/0", "0.0.0.0", "*")  # noqa: S104


def world(value: object) -> bool:
    parts = value if isinstance(value, list) else str(value).split(",")
    return any(str(p).strip() in _WORLD for p in parts)


@R(
    make_rule(
        "k8s/nginx-allowlist-world",
        "ingress-nginx source allow-list includes the whole internet",
        Severity.LOW,
        "An allow-list (whitelist-source-range) containing 0.0.0.0/0 allows every address: "
        "the restriction it seems to apply does not exist.",
        "List only the client networks that need access.",
        _ingress('    nginx.ingress.kubernetes.io/whitelist-source-range: "10.0.0.0/8,0.0.0.0/0"'),
        _ingress('    nginx.ingress.kubernetes.io/whitelist-source-range: "10.0.0.0/8"'),
        cwe=("CWE-284",),
    )
)
def allowlist_world(o: K8sObject) -> Iterator[Hit]:
    for name, val in _nginx(o):
        if name in ("whitelist-source-range", "allowlist-source-range") and world(val.value):
            yield _at(val, f"Ingress {o.name}: {name} includes 0.0.0.0/0", key=name)


@R(
    make_rule(
        "k8s/nginx-cors-any-origin",
        "ingress-nginx CORS allows any origin",
        Severity.LOW,
        "enable-cors without cors-allow-origin (default *) or with * lets any web site read "
        "responses from this host in a visitor's browser.",
        "Set cors-allow-origin to the exact origins that need access.",
        _ingress(
            '    nginx.ingress.kubernetes.io/enable-cors: "true"\n'
            '    nginx.ingress.kubernetes.io/cors-allow-origin: "*"'
        ),
        _ingress(
            '    nginx.ingress.kubernetes.io/enable-cors: "true"\n'
            '    nginx.ingress.kubernetes.io/cors-allow-origin: "https://shop.example.com"'
        ),
        cwe=("CWE-942",),
        confidence=Confidence.MEDIUM,
    )
)
def cors_any(o: K8sObject) -> Iterator[Hit]:
    notes = dict(_nginx(o))
    enable = notes.get("enable-cors")
    if enable is None or str(enable.value).strip().lower() != "true":
        return
    origin = notes.get("cors-allow-origin")
    if origin is None:
        yield _at(enable, f"Ingress {o.name} enables CORS for any origin (default *)")
    elif "*" in [p.strip() for p in str(origin.value).split(",")]:
        yield _at(origin, f"Ingress {o.name} allows CORS from any origin")


@R(
    make_rule(
        "k8s/nginx-weak-ssl-ciphers",
        "ingress-nginx allows weak TLS ciphers or protocols",
        Severity.MEDIUM,
        "RC4, 3DES, NULL or export ciphers, or SSLv3/TLSv1.0/TLSv1.1, allow traffic to be "
        "decrypted or downgraded.",
        "Remove ssl-ciphers/ssl-protocols overrides or list only modern suites (TLSv1.2+).",
        _ingress('    nginx.ingress.kubernetes.io/ssl-ciphers: "ALL:!aNULL:RC4-SHA:DES-CBC3-SHA"'),
        _ingress('    nginx.ingress.kubernetes.io/ssl-ciphers: "ECDHE-ECDSA-AES128-GCM-SHA256"'),
        cwe=("CWE-327",),
    )
)
def weak_ciphers(o: K8sObject) -> Iterator[Hit]:
    for name, val, text in ((n, v, str(v.value)) for n, v in _nginx(o)):
        weak = (
            name == "ssl-ciphers"
            and re.search(r"(?i)(?<![!-])\b(?:RC4|3DES|DES-CBC3|NULL|EXP)", text)
        ) or (name == "ssl-protocols" and re.search(r"SSLv[23]|TLSv1(?:\.[01])?(?![.\d])", text))
        if weak:
            yield _at(val, f"Ingress {o.name}: weak {name}", key=name)


@R(
    make_rule(
        "k8s/ingress-without-tls",
        "Ingress without TLS",
        Severity.LOW,
        "An Ingress with no tls section serves its hosts over plain HTTP unless something in "
        "front terminates TLS.",
        "Add spec.tls with a certificate for each host (cert-manager can issue them).",
        INGRESS.replace(
            "  tls:\n    - hosts: [shop.example.com]\n      secretName: shop-tls\n", ""
        ),
        INGRESS,
        cwe=("CWE-319",),
        confidence=Confidence.MEDIUM,
    )
)
def ingress_tls(o: K8sObject) -> Iterator[Hit]:
    if o.kind != "Ingress":
        return
    spec = o.doc.get("spec")
    if spec is None or spec.get("tls") is not None or spec.get("rules") is None:
        return
    notes = o.doc.get("metadata", "annotations")
    mapping = notes.mapping() if notes else {}
    if any("certificate" in k or "ssl-cert" in k or "cert-manager" in k for k in mapping):
        return  # TLS terminated by the load balancer the annotations configure
    yield _at(spec.get("rules") or spec, f"Ingress {o.name} has no tls section")


CONTROLLER_CM = """
apiVersion: v1
kind: ConfigMap
metadata:
  name: ingress-nginx-controller
  namespace: ingress-nginx
data:
  allow-snippet-annotations: "false"
"""


@R(
    make_rule(
        "k8s/nginx-controller-snippets-allowed",
        "ingress-nginx controller allows snippet annotations",
        Severity.MEDIUM,
        "allow-snippet-annotations: true (or annotations-risk-level: Critical) lets every user "
        "who can create an Ingress inject nginx configuration into the shared controller "
        "(CVE-2021-25742).",
        'Set allow-snippet-annotations: "false" in the controller ConfigMap.',
        CONTROLLER_CM.replace('"false"', '"true"'),
        CONTROLLER_CM,
        cwe=("CWE-94",),
        references=("https://nvd.nist.gov/vuln/detail/CVE-2021-25742",),
    )
)
def controller_snippets(o: K8sObject) -> Iterator[Hit]:
    if o.kind != "ConfigMap" or "ingress" not in o.name or "nginx" not in o.name:
        return
    data = o.doc.get("data")
    allow = data.get("allow-snippet-annotations") if data else None
    if allow is not None and str(allow.value).strip().lower() == "true":
        yield _at(allow, "the controller allows snippet annotations")
    risk = data.get("annotations-risk-level") if data else None
    if risk is not None and str(risk.value).strip() == "Critical":
        yield _at(risk, "the controller accepts annotations of every risk level")


NETPOL_DOC = """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: web}
  policyTypes: [Ingress, Egress]
  ingress:
    - from:
        - podSelector:
            matchLabels: {app: frontend}
      ports:
        - port: 8080
  egress:
    - to:
        - podSelector:
            matchLabels: {app: db}
      ports:
        - port: 5432
"""


def _dns_only(rule: Y) -> bool:
    """An egress rule whose ports are all DNS (53, or a port named dns / dns-tcp)."""
    ports = rule.get("ports")
    if ports is None or not isinstance(ports.value, list) or not ports.value:
        return False
    for p in ports.items():
        port = p.get("port")
        value = port.value if port is not None else None
        if not (value == 53 or value == "53" or value in ("dns", "dns-tcp")):
            return False
        end = p.get("endPort")
        if end is not None and end.value not in (53, "53"):
            return False
    return True


def _netpol_rule(direction: str, severity: Severity) -> None:
    key = "from" if direction == "ingress" else "to"

    @R(
        make_rule(
            f"k8s/networkpolicy-allow-all-{direction}",
            f"NetworkPolicy allows all {direction}",
            severity,
            f"A {direction} rule without `{key}` peers (or with a peer that selects every "
            "namespace) allows traffic from or to everything, undoing the isolation the policy "
            "appears to give.",
            f"List the pods and namespaces that need the traffic in `{key}`.",
            NETPOL_DOC.replace(
                f"    - {key}:\n        - podSelector:\n            matchLabels: "
                f"{{app: {'frontend' if direction == 'ingress' else 'db'}}}\n      ports:",
                "    - ports:",
            ),
            NETPOL_DOC,
            cwe=("CWE-284",),
            references=(NETPOL,),
        )
    )
    def check(o: K8sObject) -> Iterator[Hit]:
        if o.kind != "NetworkPolicy":
            return
        rules = o.doc.get("spec", direction)
        for r in rules.items() if rules else []:
            if direction == "egress" and _dns_only(r):
                continue  # the usual "allow DNS" rule: every resolver, port 53 only
            peers = netpol_peers(r, key)
            if peers is None:
                yield _at(r, f"NetworkPolicy {o.name} allows {direction} from/to everything")
                continue
            for p in peers:
                if selects_everyone(p):
                    yield _at(p, f"NetworkPolicy {o.name}: a peer selects every namespace")


_netpol_rule("ingress", Severity.MEDIUM)
_netpol_rule("egress", Severity.LOW)


@R(
    make_rule(
        "k8s/networkpolicy-world-ipblock",
        "NetworkPolicy admits the whole internet",
        Severity.MEDIUM,
        "An ingress ipBlock of 0.0.0.0/0 (or ::/0) lets every address reach the selected pods; "
        "except ranges that only carve out private networks (10.0.0.0/8 ...) leave the whole "
        "internet in.",
        "Narrow the ipBlock's cidr to the networks that need access.",
        NETPOL_DOC.replace(
            "        - podSelector:\n            matchLabels: {app: frontend}",
            "        - ipBlock:\n            cidr: 0.0.0.0/0",
        ),
        NETPOL_DOC.replace(
            "        - podSelector:\n            matchLabels: {app: frontend}",
            "        - ipBlock:\n            cidr: 10.20.0.0/16",
        ),
        cwe=("CWE-284",),
        references=(NETPOL,),
        confidence=Confidence.MEDIUM,
    )
)
def world_ipblock(o: K8sObject) -> Iterator[Hit]:
    if o.kind != "NetworkPolicy":
        return
    rules = o.doc.get("spec", "ingress")
    for r in rules.items() if rules else []:
        for p in netpol_peers(r, "from") or []:
            cidr = p.get("ipBlock", "cidr")
            if cidr is None or not world(cidr.value):
                continue
            excepts = p.get("ipBlock", "except")
            kept = excepts.plain() if excepts is not None else []
            if leaves_internet(cidr.value, kept if kept is not None else []):
                yield _at(cidr, f"NetworkPolicy {o.name} admits {cidr.value}")


NAMESPACE = """
apiVersion: v1
kind: Namespace
metadata:
  name: shop
"""
DEFAULT_DENY = """
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
"""


def selects(selector: object, labels: dict[str, object]) -> bool | None:
    """Whether a NetworkPolicy's podSelector (plain values; None: left out, which selects
    every pod) selects a pod with ``labels``; None when it cannot be judged (an operator or
    a shape the code does not know)."""
    if selector is None:
        return True
    if not isinstance(selector, dict):
        return None
    match = selector.get("matchLabels") or {}
    exprs = selector.get("matchExpressions") or []
    if not isinstance(match, dict) or not isinstance(exprs, list):
        return None
    have = {str(k): str(v) for k, v in labels.items()}
    if any(have.get(str(k)) != str(v) for k, v in match.items()):
        return False
    for e in exprs:
        if not isinstance(e, dict) or not isinstance(e.get("values") or [], list):
            return None
        key, op, values = (
            str(e.get("key")),
            e.get("operator"),
            [str(v) for v in e.get("values") or []],
        )
        if op == "In":
            ok = key in have and have[key] in values
        elif op == "NotIn":
            ok = key not in have or have[key] not in values
        elif op == "Exists":
            ok = key in have
        elif op == "DoesNotExist":
            ok = key not in have
        else:
            return None
        if not ok:
            return False
    return True


WORKER = """
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
  namespace: shop
spec:
  selector:
    matchLabels: {app: worker}
  template:
    metadata:
      labels: {app: worker}
    spec:
      containers:
        - name: worker
          image: registry.example.com/shop/worker:1.4.2
"""


@R(
    make_rule(
        "k8s/namespace-no-default-deny",
        "Namespace without a default-deny NetworkPolicy",
        Severity.LOW,
        "Pods accept traffic from, and send it to, every pod of the cluster until a "
        "NetworkPolicy selects them; without a policy over the whole namespace (an empty "
        "podSelector) a compromised pod elsewhere reaches every service of this one, and a new "
        "workload starts out open. Policies in any manifest file of the tree count (one without "
        "a namespace in the same directory too).",
        "Add a NetworkPolicy with podSelector: {} and policyTypes [Ingress, Egress] to the "
        "namespace, then allow the traffic each workload needs.",
        NAMESPACE,
        NAMESPACE + DEFAULT_DENY,
        cwe=("CWE-284",),
        references=(NETPOL + "#default-policies",),
        confidence=Confidence.MEDIUM,
    )
)
def namespace_no_default_deny(o: K8sObject) -> Iterator[Hit]:
    if o.kind != "Namespace" or not o.name or o.name in SYSTEM_NAMESPACES:
        return
    missing = [d for d in ("ingress", "egress") if f"isolated.{d}" not in o.defaults]
    if missing:
        where = o.doc.get("metadata", "name") or o.doc
        yield _at(where, f"Namespace {o.name}: no NetworkPolicy isolates {' or '.join(missing)}")


@R(
    make_rule(
        "k8s/workload-no-network-policy",
        "Workload that no NetworkPolicy of its namespace selects",
        Severity.MEDIUM,
        "The namespace uses NetworkPolicies (the scanned tree declares some for it), but none "
        "selects this workload's pods: they accept traffic from every pod of the cluster and "
        "may connect anywhere, the isolation the other workloads have does not reach them. A "
        "pod that only egress policies select (policyTypes [Egress]) is isolated for egress "
        "only: it still accepts traffic from every pod.",
        "Add a NetworkPolicy whose podSelector matches the pod template's labels (or a "
        "default-deny policy with podSelector: {} for the namespace).",
        NETPOL_DOC + WORKER,
        NETPOL_DOC + WORKER.replace("{app: worker}", "{app: web}"),
        cwe=("CWE-284",),
        references=(NETPOL,),
        confidence=Confidence.MEDIUM,
    )
)
def no_network_policy(o: K8sObject) -> Iterator[Hit]:
    if o.pod is None or o.policies is None:
        return
    meta = template_meta(o)
    labels = meta.get("labels") if meta is not None else None
    plain = labels.plain() if labels is not None else {}
    have = plain if isinstance(plain, dict) else {}
    selecting = [p for p in o.policies if selects(p.selector, have) is not False]
    if any(p.ingress for p in selecting):
        return
    where = labels or meta or o.doc.get("metadata") or o.doc
    ns = namespace_of(o) or "(unset)"
    if selecting:  # every policy that selects the pods isolates their egress only
        yield _at(
            where,
            f"{o.kind} {o.name}: only egress NetworkPolicies of namespace {ns} select its "
            "pods; their ingress is not isolated",
        )
        return
    yield _at(where, f"{o.kind} {o.name}: no NetworkPolicy of namespace {ns} selects its pods")


OTHER_NAMESPACE = """
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: reports
  namespace: analytics
spec:
  selector:
    matchLabels: {app: reports}
  template:
    metadata:
      labels: {app: reports}
    spec:
      containers:
        - name: reports
          image: registry.example.com/analytics/reports:2.0.1
"""


@R(
    make_rule(
        "k8s/workload-namespace-no-network-policy",
        "Workload in a namespace the tree gives no NetworkPolicy, while it isolates others",
        Severity.LOW,
        "The scanned tree writes NetworkPolicies for other namespaces, but none for this "
        "workload's namespace, and declares no Namespace object for it (a declared one is "
        "judged by k8s/namespace-no-default-deny): its pods accept traffic from every pod of "
        "the cluster and may connect anywhere, unless the namespace's policies are applied "
        "from elsewhere.",
        "Add a default-deny NetworkPolicy (podSelector: {}) for the namespace and allow the "
        "traffic its workloads need, as for the tree's other namespaces.",
        NETPOL_DOC + OTHER_NAMESPACE,
        NETPOL_DOC
        + OTHER_NAMESPACE
        + DEFAULT_DENY.replace("namespace: shop", "namespace: analytics"),
        cwe=("CWE-284",),
        references=(NETPOL + "#default-policies",),
        confidence=Confidence.MEDIUM,
    )
)
def namespace_no_network_policy(o: K8sObject) -> Iterator[Hit]:
    if not o.namespace_unisolated:
        return
    where = o.doc.get("metadata", "namespace") or o.doc
    yield _at(
        where,
        f"{o.kind} {o.name}: namespace {namespace_of(o)} has no NetworkPolicy in the scanned "
        "tree (other namespaces have some)",
    )


SERVICE = """
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: LoadBalancer
  loadBalancerSourceRanges: [203.0.113.0/24]
  selector: {app: web}
  ports:
    - port: 443
      targetPort: 8443
"""

_INTERNAL_LB = (
    "service.beta.kubernetes.io/aws-load-balancer-internal",
    "service.beta.kubernetes.io/azure-load-balancer-internal",
    "networking.gke.io/load-balancer-type",
    "cloud.google.com/load-balancer-type",
    "service.beta.kubernetes.io/aws-load-balancer-scheme",
    "service.beta.kubernetes.io/oci-load-balancer-internal",
)


@R(
    make_rule(
        "k8s/loadbalancer-open-to-world",
        "LoadBalancer Service open to the internet",
        Severity.LOW,
        "A LoadBalancer Service without loadBalancerSourceRanges (or with 0.0.0.0/0) is "
        "reachable from every address on the internet.",
        "Set loadBalancerSourceRanges, or make the load balancer internal.",
        SERVICE.replace("  loadBalancerSourceRanges: [203.0.113.0/24]\n", ""),
        SERVICE,
        cwe=("CWE-284",),
        confidence=Confidence.MEDIUM,
    )
)
def lb_world(o: K8sObject) -> Iterator[Hit]:
    if o.kind != "Service":
        return
    kind = o.doc.get("spec", "type")
    if kind is None or kind.value != "LoadBalancer":
        return
    notes = o.doc.get("metadata", "annotations")
    if notes is not None and any(k in _INTERNAL_LB for k in notes.mapping()):
        scheme = notes.scalar("service.beta.kubernetes.io/aws-load-balancer-scheme")
        if scheme in (None, "internal"):
            return
    ranges = o.doc.get("spec", "loadBalancerSourceRanges")
    if ranges is None:
        yield _at(kind, f"Service {o.name} is a LoadBalancer without source ranges")
    elif world(ranges.plain()):
        yield _at(ranges, f"Service {o.name} admits 0.0.0.0/0")
