"""Control-plane flag rules (``k8s/<component>-...``): the CIS Kubernetes Benchmark checks on
static pods and manifests that run kube-apiserver, kube-controller-manager, kube-scheduler,
etcd or the kubelet. Only containers whose command or args run that component are checked;
a finding points at the offending ``--flag``, or at ``command`` when a required flag is absent.

Each rule is one row of :data:`FLAG_RULES`: the component, the flag, what makes it wrong, and
the change to a compliant command line that produces the vulnerable example.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from pipesec.core.model import Severity
from pipesec.core.yamlpos import YNode as Y
from pipesec.scanners.iac.common import Hit, make_rule
from pipesec.scanners.iac.kubernetes import POD, REGISTRY, K8sObject, _at

CIS = "https://www.cisecurity.org/benchmark/kubernetes"
PKI = "/etc/kubernetes/pki"

#: a compliant command line per component (the fixed example of every rule)
GOOD: dict[str, tuple[str, ...]] = {
    "kube-apiserver": (
        "--anonymous-auth=false",
        "--authorization-mode=Node,RBAC",
        "--enable-admission-plugins=NodeRestriction,EventRateLimit,AlwaysPullImages",
        "--profiling=false",
        "--secure-port=6443",
        "--audit-log-path=/var/log/kubernetes/audit.log",
        "--audit-policy-file=/etc/kubernetes/audit-policy.yaml",
        "--audit-log-maxage=30",
        "--audit-log-maxbackup=10",
        "--audit-log-maxsize=100",
        f"--service-account-key-file={PKI}/sa.pub",
        f"--etcd-cafile={PKI}/etcd/ca.crt",
        f"--etcd-certfile={PKI}/apiserver-etcd-client.crt",
        f"--etcd-keyfile={PKI}/apiserver-etcd-client.key",
        f"--tls-cert-file={PKI}/apiserver.crt",
        f"--tls-private-key-file={PKI}/apiserver.key",
        f"--client-ca-file={PKI}/ca.crt",
        f"--kubelet-client-certificate={PKI}/apiserver-kubelet-client.crt",
        f"--kubelet-client-key={PKI}/apiserver-kubelet-client.key",
        f"--kubelet-certificate-authority={PKI}/ca.crt",
        "--encryption-provider-config=/etc/kubernetes/encryption.yaml",
    ),
    "kube-controller-manager": (
        "--profiling=false",
        "--use-service-account-credentials=true",
        f"--service-account-private-key-file={PKI}/sa.key",
        f"--root-ca-file={PKI}/ca.crt",
        "--terminated-pod-gc-threshold=12500",
        "--bind-address=127.0.0.1",
    ),
    "kube-scheduler": ("--profiling=false", "--bind-address=127.0.0.1"),
    "etcd": (
        "--cert-file=/etc/kubernetes/pki/etcd/server.crt",
        "--key-file=/etc/kubernetes/pki/etcd/server.key",
        "--client-cert-auth=true",
        "--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt",
        "--peer-key-file=/etc/kubernetes/pki/etcd/peer.key",
        "--peer-client-cert-auth=true",
    ),
    "kubelet": (
        "--anonymous-auth=false",
        "--authorization-mode=Webhook",
        f"--client-ca-file={PKI}/ca.crt",
        "--read-only-port=0",
        "--protect-kernel-defaults=true",
        "--tls-cert-file=/var/lib/kubelet/pki/kubelet.crt",
        "--tls-private-key-file=/var/lib/kubelet/pki/kubelet.key",
        "--rotate-certificates=true",
    ),
}

_SHORT = {
    "kube-apiserver": "apiserver",
    "kube-controller-manager": "controller-manager",
    "kube-scheduler": "scheduler",
    "etcd": "etcd",
    "kubelet": "kubelet",
}

Flags = dict[str, tuple[str, Y]]
#: a test on the parsed flags: the flag to report and a message, or None when compliant
Test = Callable[[Flags], "tuple[str, str] | None"]


def command_tokens(c: Y) -> list[tuple[str, Y]]:
    """The container's command and args as tokens, each with the YAML node it came from."""
    out: list[tuple[str, Y]] = []
    for key in ("command", "args"):
        group = c.get(key)
        for item in group.items() if group else []:
            if isinstance(item.value, str | int | float):
                out.extend((tok, item) for tok in str(item.value).split())
    return out


def runs(tokens: list[tuple[str, Y]], component: str) -> bool:
    return any(posixpath.basename(tok) == component for tok, _ in tokens[:8])


def parse_flags(tokens: list[tuple[str, Y]]) -> Flags:
    flags: Flags = {}
    i = 0
    while i < len(tokens):
        tok, node = tokens[i]
        if tok.startswith("--"):
            name, eq, value = tok[2:].partition("=")
            if not eq and i + 1 < len(tokens) and not tokens[i + 1][0].startswith("-"):
                value = tokens[i + 1][0]
                i += 1
            elif not eq:
                value = "true"
            flags[name] = (value.strip("'\""), node)
        i += 1
    return flags


def _val(flags: Flags, name: str) -> str | None:
    got = flags.get(name)
    return got[0] if got else None


def _items(flags: Flags, name: str) -> set[str]:
    v = _val(flags, name)
    return {p.strip() for p in v.split(",")} if v else set()


def must_be(flag: str, want: str) -> Test:
    """Wrong when the flag is absent or not ``want``."""

    def test(f: Flags) -> tuple[str, str] | None:
        v = _val(f, flag)
        if v is None:
            return flag, f"--{flag} is not set (must be {want})"
        return None if v.lower() == want else (flag, f"--{flag}={v} (must be {want})")

    return test


def must_not_be(flag: str, bad: str) -> Test:
    """Wrong only when the flag is set to ``bad``."""

    def test(f: Flags) -> tuple[str, str] | None:
        v = _val(f, flag)
        return (flag, f"--{flag}={v}") if v is not None and v.lower() == bad else None

    return test


def required(*names: str) -> Test:
    def test(f: Flags) -> tuple[str, str] | None:
        missing = [n for n in names if not _val(f, n)]
        return ("", "--" + " and --".join(missing) + " not set") if missing else None

    return test


def absent(flag: str) -> Test:
    def test(f: Flags) -> tuple[str, str] | None:
        return (flag, f"--{flag} is set") if flag in f else None

    return test


def list_has(flag: str, item: str) -> Test:
    def test(f: Flags) -> tuple[str, str] | None:
        return None if item in _items(f, flag) else (flag, f"--{flag} does not include {item}")

    return test


def list_lacks(flag: str, item: str) -> Test:
    def test(f: Flags) -> tuple[str, str] | None:
        return (flag, f"--{flag} includes {item}") if item in _items(f, flag) else None

    return test


def at_least(flag: str, minimum: int) -> Test:
    def test(f: Flags) -> tuple[str, str] | None:
        v = _val(f, flag)
        if v is None:
            return flag, f"--{flag} is not set (at least {minimum})"
        try:
            ok = int(v) >= minimum
        except ValueError:
            return None  # a reference or template: not known
        return None if ok else (flag, f"--{flag}={v} (at least {minimum})")

    return test


def nonzero(flag: str) -> Test:
    def test(f: Flags) -> tuple[str, str] | None:
        v = _val(f, flag)
        return (flag, f"--{flag}={v}") if v is not None and v not in ("0", "") else None

    return test


def loopback(flag: str) -> Test:
    def test(f: Flags) -> tuple[str, str] | None:
        v = _val(f, flag)
        ok = v is None or v in ("127.0.0.1", "::1", "localhost")
        return None if ok else (flag, f"--{flag}={v}: listens beyond loopback")

    return test


_WEAK_CIPHER = ("RC4", "3DES", "_CBC_", "NULL", "EXPORT")
#: the suites the CIS benchmark recommends (ECDHE or RSA key exchange with AES-GCM or
#: ChaCha20-Poly1305) and the TLS 1.3 suites; a listed suite outside them is weak or not a
#: suite at all (the component refuses to start)
_STRONG_CIPHER = frozenset(
    f"TLS_{kx}_WITH_{enc}"
    for kx in ("ECDHE_ECDSA", "ECDHE_RSA", "RSA")
    for enc in (
        "AES_128_GCM_SHA256",
        "AES_256_GCM_SHA384",
        "CHACHA20_POLY1305",
        "CHACHA20_POLY1305_SHA256",
    )
) | {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"}


def weak_ciphers(f: Flags) -> tuple[str, str] | None:
    weak = sorted(
        s
        for s in _items(f, "tls-cipher-suites")
        if s and (any(w in s for w in _WEAK_CIPHER) or s.upper() not in _STRONG_CIPHER)
    )
    return ("tls-cipher-suites", "weak TLS cipher suites: " + ", ".join(weak)) if weak else None


def gate_off(gate: str) -> Test:
    def test(f: Flags) -> tuple[str, str] | None:
        for item in _items(f, "feature-gates"):
            name, _, value = item.partition("=")
            if name.strip() == gate and value.strip().lower() == "false":
                return "feature-gates", f"feature gate {gate}=false"
        return None

    return test


@dataclass(frozen=True)
class FlagRule:
    component: str
    slug: str
    title: str
    severity: Severity
    rationale: str
    test: Test
    #: the compliant command line with this change is the vulnerable example:
    #: ("set", "--x=y") replaces/adds the flag, ("drop", "--x") removes it
    change: tuple[str, str]
    remediation: str = ""


def _r(
    component: str,
    slug: str,
    title: str,
    severity: Severity,
    rationale: str,
    test: Test,
    change: tuple[str, str],
    remediation: str = "",
) -> FlagRule:
    return FlagRule(component, slug, title, severity, rationale, test, change, remediation)


API, CM, SCH, ETCD, KL = (
    "kube-apiserver",
    "kube-controller-manager",
    "kube-scheduler",
    "etcd",
    "kubelet",
)
H, M, L = Severity.HIGH, Severity.MEDIUM, Severity.LOW

FLAG_RULES: tuple[FlagRule, ...] = (
    _r(API, "anonymous-auth", "API server allows anonymous requests", M,
       "Anonymous requests reach the API server as system:anonymous; any RBAC mistake for that "
       "user is exposed to the whole network.",
       must_be("anonymous-auth", "false"), ("set", "--anonymous-auth=true")),
    _r(API, "basic-auth-file", "API server uses static basic-auth passwords", M,
       "Static password files cannot be rotated without a restart and are stored in clear on "
       "the control-plane node.",
       absent("basic-auth-file"), ("set", "--basic-auth-file=/etc/kubernetes/users.csv")),
    _r(API, "token-auth-file", "API server uses a static token file", M,
       "Static bearer tokens never expire and live in clear on the control-plane node.",
       absent("token-auth-file"), ("set", "--token-auth-file=/etc/kubernetes/tokens.csv")),
    _r(API, "kubelet-https", "API server talks to kubelets over plain HTTP", M,
       "Without HTTPS, exec/log traffic and credentials between API server and kubelets can be "
       "read and altered on the network.",
       must_not_be("kubelet-https", "false"), ("set", "--kubelet-https=false")),
    _r(API, "kubelet-client-cert", "API server has no kubelet client certificate", M,
       "Without a client certificate kubelets cannot authenticate the API server's requests.",
       required("kubelet-client-certificate", "kubelet-client-key"),
       ("drop", "--kubelet-client-key")),
    _r(API, "kubelet-certificate-authority", "API server does not verify kubelet certificates",
       M, "Without a CA the API server cannot tell a real kubelet from an impostor (MITM).",
       required("kubelet-certificate-authority"), ("drop", "--kubelet-certificate-authority")),
    _r(API, "always-allow", "API server authorizes every request (AlwaysAllow)", H,
       "AlwaysAllow turns authorization off: every authenticated user is cluster admin.",
       list_lacks("authorization-mode", "AlwaysAllow"),
       ("set", "--authorization-mode=AlwaysAllow")),
    _r(API, "authorization-node", "API server authorization mode lacks Node", L,
       "The Node authorizer limits each kubelet to the objects of its own pods.",
       list_has("authorization-mode", "Node"), ("set", "--authorization-mode=RBAC")),
    _r(API, "authorization-rbac", "API server authorization mode lacks RBAC", M,
       "Without RBAC, roles and bindings are not enforced.",
       list_has("authorization-mode", "RBAC"), ("set", "--authorization-mode=Node")),
    _r(API, "event-rate-limit", "API server without the EventRateLimit admission plugin", L,
       "Without EventRateLimit a client can flood the API server and etcd with events.",
       list_has("enable-admission-plugins", "EventRateLimit"),
       ("set", "--enable-admission-plugins=NodeRestriction,AlwaysPullImages")),
    _r(API, "always-admit", "API server enables the AlwaysAdmit admission plugin", M,
       "AlwaysAdmit admits every request, bypassing the admission controls in place.",
       list_lacks("enable-admission-plugins", "AlwaysAdmit"),
       ("set", "--enable-admission-plugins=NodeRestriction,EventRateLimit,AlwaysPullImages,"
               "AlwaysAdmit")),
    _r(API, "always-pull-images", "API server without the AlwaysPullImages admission plugin", L,
       "Without AlwaysPullImages a pod can run a private image cached on the node without "
       "credentials to pull it.",
       list_has("enable-admission-plugins", "AlwaysPullImages"),
       ("set", "--enable-admission-plugins=NodeRestriction,EventRateLimit")),
    _r(API, "service-account-plugin", "API server disables the ServiceAccount admission plugin",
       M, "Without it pods are not tied to service accounts and token handling is unmanaged.",
       list_lacks("disable-admission-plugins", "ServiceAccount"),
       ("set", "--disable-admission-plugins=ServiceAccount")),
    _r(API, "namespace-lifecycle", "API server disables the NamespaceLifecycle plugin", L,
       "Without it objects can be created in namespaces that are being deleted or do not exist.",
       list_lacks("disable-admission-plugins", "NamespaceLifecycle"),
       ("set", "--disable-admission-plugins=NamespaceLifecycle")),
    _r(API, "node-restriction", "API server without the NodeRestriction admission plugin", M,
       "Without NodeRestriction a compromised kubelet can modify any node or pod object.",
       list_has("enable-admission-plugins", "NodeRestriction"),
       ("set", "--enable-admission-plugins=EventRateLimit,AlwaysPullImages")),
    _r(API, "insecure-bind-address", "API server binds its insecure port to an address", H,
       "The insecure port has no authentication or authorization at all.",
       absent("insecure-bind-address"), ("set", "--insecure-bind-address=0.0.0.0")),
    _r(API, "insecure-port", "API server serves an unauthenticated insecure port", H,
       "The insecure port has no authentication or authorization at all.",
       nonzero("insecure-port"), ("set", "--insecure-port=8080")),
    _r(API, "secure-port-disabled", "API server's secure port is disabled", H,
       "--secure-port=0 leaves only unauthenticated HTTP.",
       must_not_be("secure-port", "0"), ("set", "--secure-port=0")),
    _r(API, "profiling", "API server profiling enabled", L,
       "The profiling endpoint exposes detailed program internals and can be used for DoS.",
       must_be("profiling", "false"), ("drop", "--profiling")),
    _r(API, "audit-log-path", "API server without an audit log", L,
       "Without an audit log nobody can reconstruct who did what in the cluster.",
       required("audit-log-path"), ("drop", "--audit-log-path")),
    _r(API, "audit-policy-file", "API server without an audit policy", L,
       "Without --audit-policy-file the API server records no audit events, even with an "
       "audit log path: the policy says which requests are logged and at what level.",
       required("audit-policy-file"), ("drop", "--audit-policy-file")),
    _r(API, "audit-log-maxage", "API server keeps audit logs for less than 30 days", L,
       "Short retention destroys the evidence an investigation needs.",
       at_least("audit-log-maxage", 30), ("set", "--audit-log-maxage=7")),
    _r(API, "audit-log-maxbackup", "API server keeps fewer than 10 audit log files", L,
       "Too few rotated files lose audit history under load.",
       at_least("audit-log-maxbackup", 10), ("set", "--audit-log-maxbackup=2")),
    _r(API, "audit-log-maxsize", "API server rotates audit logs below 100 MB", L,
       "Small audit files rotate away history quickly.",
       at_least("audit-log-maxsize", 100), ("set", "--audit-log-maxsize=10")),
    _r(API, "service-account-lookup", "API server does not check service account tokens exist",
       M, "Without the lookup, tokens of deleted service accounts stay valid.",
       must_not_be("service-account-lookup", "false"), ("set", "--service-account-lookup=false")),
    _r(API, "service-account-key-file", "API server without a service account key file", L,
       "Without a dedicated key, service account tokens cannot be rotated separately.",
       required("service-account-key-file"), ("drop", "--service-account-key-file")),
    _r(API, "etcd-client-cert", "API server connects to etcd without a client certificate", M,
       "etcd holds every secret of the cluster; its clients must authenticate with TLS.",
       required("etcd-certfile", "etcd-keyfile"), ("drop", "--etcd-certfile")),
    _r(API, "etcd-cafile", "API server does not verify etcd's certificate", M,
       "Without a CA file the API server would talk to any etcd impostor.",
       required("etcd-cafile"), ("drop", "--etcd-cafile")),
    _r(API, "tls-cert", "API server without a TLS certificate and key", M,
       "Without its own certificate clients cannot verify the API server.",
       required("tls-cert-file", "tls-private-key-file"), ("drop", "--tls-private-key-file")),
    _r(API, "client-ca-file", "API server without a client CA", M,
       "Without a client CA, certificate-based client authentication is off.",
       required("client-ca-file"), ("drop", "--client-ca-file")),
    _r(API, "encryption-provider", "API server does not encrypt Secrets at rest", M,
       "Without an encryption provider config, Secrets are stored in clear in etcd.",
       required("encryption-provider-config"), ("drop", "--encryption-provider-config")),
    _r(API, "weak-tls-ciphers", "API server allows weak TLS cipher suites", M,
       "RC4, 3DES and CBC suites are broken or weak; only the AES-GCM and ChaCha20 suites the "
       "CIS benchmark lists are accepted.",
       weak_ciphers, ("set", "--tls-cipher-suites=TLS_RSA_WITH_RC4_128_SHA")),
    _r(CM, "terminated-pod-gc", "Controller manager keeps terminated pods unbounded", L,
       "Without a GC threshold terminated pods accumulate and degrade the control plane.",
       required("terminated-pod-gc-threshold"), ("drop", "--terminated-pod-gc-threshold")),
    _r(CM, "profiling", "Controller manager profiling enabled", L,
       "The profiling endpoint exposes program internals and can be used for DoS.",
       must_be("profiling", "false"), ("set", "--profiling=true")),
    _r(CM, "service-account-credentials", "Controllers share the controller manager's identity",
       M, "Without per-controller service accounts every controller holds all their rights.",
       must_be("use-service-account-credentials", "true"),
       ("set", "--use-service-account-credentials=false")),
    _r(CM, "service-account-private-key", "Controller manager without a token signing key", M,
       "Without a dedicated key, service account tokens cannot be rotated separately.",
       required("service-account-private-key-file"),
       ("drop", "--service-account-private-key-file")),
    _r(CM, "root-ca-file", "Controller manager without a root CA file", M,
       "Pods then cannot verify the API server's certificate before sending their token.",
       required("root-ca-file"), ("drop", "--root-ca-file")),
    _r(CM, "rotate-kubelet-server-cert", "Kubelet server certificate rotation disabled", M,
       "Without rotation kubelet certificates expire or stay valid long after a compromise.",
       gate_off("RotateKubeletServerCertificate"),
       ("set", "--feature-gates=RotateKubeletServerCertificate=false")),
    _r(CM, "bind-address", "Controller manager listens beyond loopback", L,
       "Its health and metrics endpoints need not be reachable from the network.",
       loopback("bind-address"), ("set", "--bind-address=0.0.0.0")),
    _r(SCH, "profiling", "Scheduler profiling enabled", L,
       "The profiling endpoint exposes program internals and can be used for DoS.",
       must_be("profiling", "false"), ("set", "--profiling=true")),
    _r(SCH, "bind-address", "Scheduler listens beyond loopback", L,
       "Its health and metrics endpoints need not be reachable from the network.",
       loopback("bind-address"), ("set", "--bind-address=0.0.0.0")),
    _r(ETCD, "cert-file", "etcd serves clients without TLS", M,
       "etcd holds every secret of the cluster; without TLS they cross the network in clear.",
       required("cert-file", "key-file"), ("drop", "--key-file")),
    _r(ETCD, "client-cert-auth", "etcd does not authenticate clients", H,
       "Without client certificate auth anyone who reaches etcd reads every secret.",
       must_be("client-cert-auth", "true"), ("set", "--client-cert-auth=false")),
    _r(ETCD, "auto-tls", "etcd uses self-signed client certificates", M,
       "auto-tls certificates are self-signed: clients cannot verify the server.",
       must_not_be("auto-tls", "true"), ("set", "--auto-tls=true")),
    _r(ETCD, "peer-cert-file", "etcd peers talk without TLS", M,
       "Replication traffic between etcd members carries every secret of the cluster.",
       required("peer-cert-file", "peer-key-file"), ("drop", "--peer-cert-file")),
    _r(ETCD, "peer-client-cert-auth", "etcd does not authenticate its peers", M,
       "Without peer certificate auth anyone can join the etcd cluster.",
       must_be("peer-client-cert-auth", "true"), ("set", "--peer-client-cert-auth=false")),
    _r(ETCD, "peer-auto-tls", "etcd peers use self-signed certificates", M,
       "peer-auto-tls certificates are self-signed and not verified.",
       must_not_be("peer-auto-tls", "true"), ("set", "--peer-auto-tls=true")),
    _r(KL, "anonymous-auth", "Kubelet allows anonymous requests", H,
       "An anonymous kubelet API lets anyone on the network list pods and, with AlwaysAllow, "
       "exec into them.",
       must_be("anonymous-auth", "false"), ("set", "--anonymous-auth=true")),
    _r(KL, "always-allow", "Kubelet authorizes every request (AlwaysAllow)", H,
       "Every authenticated request to the kubelet may exec into any of its pods.",
       must_not_be("authorization-mode", "alwaysallow"),
       ("set", "--authorization-mode=AlwaysAllow")),
    _r(KL, "client-ca-file", "Kubelet without a client CA", M,
       "Without it the kubelet cannot authenticate the API server's client certificate.",
       required("client-ca-file"), ("drop", "--client-ca-file")),
    _r(KL, "read-only-port", "Kubelet serves its unauthenticated read-only port", M,
       "The read-only port (10255) exposes pod specs and metrics without authentication.",
       nonzero("read-only-port"), ("set", "--read-only-port=10255")),
    _r(KL, "streaming-idle-timeout", "Kubelet streaming connections never time out", L,
       "exec/port-forward sessions without a timeout stay open indefinitely.",
       must_not_be("streaming-connection-idle-timeout", "0"),
       ("set", "--streaming-connection-idle-timeout=0")),
    _r(KL, "protect-kernel-defaults", "Kubelet does not protect kernel defaults", L,
       "Without it pods' sysctl tuning can silently change the node's kernel settings.",
       must_be("protect-kernel-defaults", "true"), ("drop", "--protect-kernel-defaults")),
    _r(KL, "iptables-util-chains", "Kubelet does not manage iptables chains", L,
       "Without its chains, kubelet and network-policy rules can drift apart.",
       must_not_be("make-iptables-util-chains", "false"),
       ("set", "--make-iptables-util-chains=false")),
    _r(KL, "hostname-override", "Kubelet overrides its hostname", L,
       "An overridden hostname breaks TLS verification between API server and kubelet.",
       absent("hostname-override"), ("set", "--hostname-override=node-1")),
    _r(KL, "tls-cert", "Kubelet without a TLS certificate and key", M,
       "Without a certificate the API server cannot verify the kubelet it talks to.",
       required("tls-cert-file", "tls-private-key-file"), ("drop", "--tls-cert-file")),
    _r(KL, "rotate-certificates", "Kubelet client certificate rotation disabled", M,
       "Without rotation a stolen kubelet certificate stays valid until it expires.",
       must_not_be("rotate-certificates", "false"), ("set", "--rotate-certificates=false")),
    _r(KL, "rotate-server-cert", "Kubelet server certificate rotation disabled", M,
       "With the RotateKubeletServerCertificate gate off the kubelet never renews its serving "
       "certificate from the cluster CA: it expires, or stays valid long after a compromise "
       "(trivy KCV0091).",
       gate_off("RotateKubeletServerCertificate"),
       ("set", "--feature-gates=RotateKubeletServerCertificate=false")),
    _r(KL, "weak-tls-ciphers", "Kubelet allows weak TLS cipher suites", M,
       "RC4, 3DES and CBC suites are broken or weak; only the AES-GCM and ChaCha20 suites the "
       "CIS benchmark lists are accepted.",
       weak_ciphers, ("set", "--tls-cipher-suites=TLS_RSA_WITH_3DES_EDE_CBC_SHA")),
)  # fmt: skip


#: the kubelet's flags as fields of its configuration file (kind: KubeletConfiguration)
KUBELET_CONFIG: dict[str, tuple[str, ...]] = {
    "anonymous-auth": ("authentication", "anonymous", "enabled"),
    "authorization-mode": ("authorization", "mode"),
    "client-ca-file": ("authentication", "x509", "clientCAFile"),
    "read-only-port": ("readOnlyPort",),
    "streaming-connection-idle-timeout": ("streamingConnectionIdleTimeout",),
    "protect-kernel-defaults": ("protectKernelDefaults",),
    "make-iptables-util-chains": ("makeIPTablesUtilChains",),
    "tls-cert-file": ("tlsCertFile",),
    "tls-private-key-file": ("tlsPrivateKeyFile",),
    "rotate-certificates": ("rotateCertificates",),
    "tls-cipher-suites": ("tlsCipherSuites",),
    "feature-gates": ("featureGates",),
}
#: where the configuration file's default differs from the flag's (kubelet.config.k8s.io/v1beta1)
_CONFIG_DEFAULTS = {
    "anonymous-auth": "false",
    "authorization-mode": "Webhook",
    "read-only-port": "0",
}


def _scalar(v: object) -> str:
    return ("true" if v else "false") if isinstance(v, bool) else str(v)


def kubelet_config_flags(doc: Y) -> Flags:
    """A KubeletConfiguration document as the flags it stands for, each with its field's node
    (the document's for a default that differs from the flag's)."""
    flags: Flags = {}
    for flag, path in KUBELET_CONFIG.items():
        node = doc.get(*path)
        if node is None:
            if flag in _CONFIG_DEFAULTS:
                flags[flag] = (_CONFIG_DEFAULTS[flag], doc)
            continue
        if node.is_seq:
            items = [str(i.value) for i in node.items() if i.is_scalar]
            flags[flag] = (",".join(items), node)
        elif node.is_map:  # featureGates: {Gate: false} is --feature-gates=Gate=false
            gates = [f"{k}={_scalar(v.value)}" for k, v in node.mapping().items() if v.is_scalar]
            flags[flag] = (",".join(gates), node)
        elif node.is_scalar and node.value is not None:
            value = _scalar(node.value)
            if re.fullmatch(r"0+(?:\.0*)?(?:ns|us|ms|s|m|h)?", value):
                value = "0"  # a zero duration of the file ("0s") is the flag's 0
            flags[flag] = (value, node)
    if doc.scalar("serverTLSBootstrap") is True:  # the serving certificate comes from the API
        for flag in ("tls-cert-file", "tls-private-key-file"):
            flags.setdefault(flag, ("(serverTLSBootstrap)", doc))
    return flags


def _config_message(message: str) -> str:
    """A flag rule's message in the configuration file's field names."""
    for flag, path in KUBELET_CONFIG.items():
        message = message.replace(f"--{flag}", ".".join(path))
    return message


def _command_line(rule: FlagRule | None, component: str, change: bool) -> list[str]:
    """The fewest compliant flags that satisfy ``rule`` (all of them without a rule), with
    the rule's change applied when ``change``."""
    args = list(GOOD[component])
    if rule is not None:
        for arg in list(args):
            fewer = [a for a in args if a != arg]
            if rule.test(parse_flags([(a, Y(a, 0, 0)) for a in fewer])) is None:
                args = fewer
    if rule is not None and change:
        op, flag = rule.change
        name = flag.split("=", 1)[0]
        args = [a for a in args if a.split("=", 1)[0] != name]
        if op == "set":
            args.append(flag)
    return [component, *args]


def example(component: str, rule: FlagRule | None = None, change: bool = False) -> str:
    """A static pod running ``component`` with a compliant command line, changed by ``rule``."""
    args = _command_line(rule, component, change)
    block = "      command:\n" + "".join(f"        - {a}\n" for a in args)
    text = POD.replace(
        "name: web\n  namespace: shop", f"name: {component}\n  namespace: kube-system"
    )
    anchor = "      securityContext:\n        allow"
    return text.replace(anchor, block + anchor, 1)


def _remediation(rule: FlagRule) -> str:
    name = rule.change[1].split("=", 1)[0]
    good = [a for a in GOOD[rule.component] if a.split("=", 1)[0] == name]
    if good:
        return f"Run {rule.component} with `{good[0]}`."
    return f"Run {rule.component} without `{name}`."


def _register(rule: FlagRule) -> None:
    short = _SHORT[rule.component]

    @REGISTRY.rule(
        make_rule(
            f"k8s/{short}-{rule.slug}",
            rule.title,
            rule.severity,
            rule.rationale + " (CIS Kubernetes Benchmark.)",
            rule.remediation or _remediation(rule),
            example(rule.component, rule, change=True),
            example(rule.component, rule),
            cwe=("CWE-1188",),
            references=(CIS,),
        )
    )
    def check(o: K8sObject) -> Iterator[Hit]:
        if o.kind == "KubeletConfiguration" and rule.component == "kubelet":
            if rule.change[1].split("=", 1)[0].lstrip("-") not in KUBELET_CONFIG:
                return  # a flag the configuration file has no field for
            flags = kubelet_config_flags(o.doc)
            got = rule.test(flags)
            if got is not None:
                name, message = got
                node = flags[name][1] if name in flags else o.doc
                yield _at(node, f"kubelet config: {_config_message(message)}", key=message)
            return
        for c in o.containers:
            tokens = command_tokens(c)
            if not runs(tokens, rule.component):
                continue
            flags = parse_flags(tokens)
            got = rule.test(flags)
            if got is None:
                continue
            name, message = got
            node = flags[name][1] if name in flags else (c.get("command") or c.get("args") or c)
            yield _at(node, f"{rule.component}: {message}", key=message)


for _rule in FLAG_RULES:
    _register(_rule)


# -- etcd's client CA against the API server's (CIS 2.7) ------------------------------------


def apiserver_client_cas(objects: list[K8sObject]) -> set[str]:
    """The ``--client-ca-file`` paths of the API servers among ``objects`` (normalised)."""
    found: set[str] = set()
    for o in objects:
        for c in o.containers:
            tokens = command_tokens(c)
            if runs(tokens, API):
                path = _val(parse_flags(tokens), "client-ca-file")
                if path:
                    found.add(posixpath.normpath(path))
    return found


def with_client_cas(objects: list[K8sObject], elsewhere: frozenset[str] | set[str]) -> None:
    """Give every object the API servers' client CA files: those of ``objects`` and the
    ones ``elsewhere`` (the other manifest files of the tree, :class:`.scanner.TreeLimits`)."""
    cas = frozenset(apiserver_client_cas(objects) | set(elsewhere))
    for o in objects:
        o.apiserver_client_cas = cas


def _etcd_pod(trusted: str) -> str:
    return example(ETCD).replace(
        "        - --client-cert-auth=true\n",
        f"        - --client-cert-auth=true\n        - --trusted-ca-file={trusted}\n",
        1,
    )


_APISERVER_POD = example(API)


@REGISTRY.rule(
    make_rule(
        "k8s/etcd-shared-ca",
        "etcd trusts the API server's client CA",
        Severity.MEDIUM,
        "etcd's --trusted-ca-file is the CA that signs the API server's clients (kubelets, "
        "users, controllers): every holder of a cluster client certificate can then open a "
        "client connection to etcd and read or write every object, Secrets included, around "
        "authorization. The API server is compared in the same file or any manifest of the "
        'scanned tree, by path (KICS "Not Unique Certificate Authority"; CIS Kubernetes '
        "Benchmark 2.7).",
        "Give etcd a CA of its own (kubeadm: /etc/kubernetes/pki/etcd/ca.crt) and point "
        "--trusted-ca-file at it; the API server's --etcd-cafile and etcd client certificate "
        "come from that CA.",
        _APISERVER_POD + "---\n" + _etcd_pod(f"{PKI}/ca.crt"),
        _APISERVER_POD + "---\n" + _etcd_pod(f"{PKI}/etcd/ca.crt"),
        cwe=("CWE-1188",),
        references=(CIS,),
    )
)
def etcd_shared_ca(o: K8sObject) -> Iterator[Hit]:
    if not o.apiserver_client_cas:
        return
    for c in o.containers:
        tokens = command_tokens(c)
        if not runs(tokens, ETCD):
            continue
        flags = parse_flags(tokens)
        got = flags.get("trusted-ca-file")
        if got and posixpath.normpath(got[0]) in o.apiserver_client_cas:
            yield _at(
                got[1],
                f"etcd: --trusted-ca-file={got[0]} is the API server's --client-ca-file",
                key="trusted-ca-file",
            )
