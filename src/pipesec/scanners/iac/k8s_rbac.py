"""More RBAC rules (privilege-escalation paths, dangerous subjects) and PodSecurityPolicy
rules (``k8s/psp-*``: PSP was removed in Kubernetes 1.25, but clusters and charts that still
ship it are exactly the old ones that need the check)."""

from __future__ import annotations

from collections.abc import Iterator

from pipesec.core.model import Severity
from pipesec.core.yamlpos import YNode as Y
from pipesec.scanners.iac.common import Hit, make_rule
from pipesec.scanners.iac.kubernetes import (
    BINDING,
    DANGEROUS_CAPS,
    PSS,
    RBAC,
    REGISTRY,
    ROLE,
    K8sObject,
    _at,
    _rules,
    _verbs,
)

R = REGISTRY.rule
_WRITE = {"create", "update", "patch"}
# verbs: ["*"] is k8s/rbac-wildcard-verbs' finding: the rules below name explicit verbs only


def _resources(r: Y) -> list[Y]:
    res = r.get("resources")
    return res.items() if res else []


def _rbac_rule(
    slug: str,
    title: str,
    severity: Severity,
    rationale: str,
    remediation: str,
    resources: frozenset[str],
    verbs: frozenset[str],
    example: tuple[str, str],
) -> None:
    """A rule that fires on a Role/ClusterRole granting one of ``verbs`` on ``resources``."""

    @R(
        make_rule(
            f"k8s/{slug}",
            title,
            severity,
            rationale,
            remediation,
            ROLE.replace('["configmaps"]', example[0]).replace('["get", "list"]', example[1]),
            ROLE,
            cwe=("CWE-269",),
            references=(RBAC,),
        )
    )
    def check(o: K8sObject) -> Iterator[Hit]:
        for r in _rules(o):
            granted = _verbs(r) & verbs
            if not granted:
                continue
            for v in _resources(r):
                if v.value in resources:
                    yield Hit(
                        v.line,
                        v.column,
                        f"{o.kind} {o.name} grants {', '.join(sorted(granted))} on {v.value}",
                        key=str(v.value),
                    )


_rbac_rule(
    "rbac-admission-webhooks",
    "RBAC rule can change admission webhooks",
    Severity.HIGH,
    "Whoever can write validating or mutating webhook configurations can switch off policy "
    "enforcement or rewrite every object the cluster admits (inject containers, steal Secrets).",
    "Keep webhook configuration writes for cluster administrators.",
    frozenset({"validatingwebhookconfigurations", "mutatingwebhookconfigurations"}),
    frozenset(_WRITE | {"delete"}),
    ('["mutatingwebhookconfigurations"]', '["create", "update"]'),
)
_rbac_rule(
    "rbac-approve-csr",
    "RBAC rule can approve certificate signing requests",
    Severity.HIGH,
    "Approving CSRs lets a subject mint client certificates for any user or group, including "
    "system:masters.",
    "Leave CSR approval to the controller manager and cluster administrators.",
    frozenset({"certificatesigningrequests/approval", "signers"}),
    frozenset({"update", "patch", "approve"}),
    ('["certificatesigningrequests/approval"]', '["update"]'),
)
_rbac_rule(
    "rbac-create-workloads",
    "RBAC rule can create pods or workloads",
    Severity.MEDIUM,
    "Creating a pod (or a Deployment, Job, DaemonSet ...) lets a subject run any image with "
    "any service account of the namespace, and mount its Secrets: every right in the "
    "namespace is one pod away.",
    "Grant workload creation only to deployment automation, in its own namespace.",
    frozenset(
        {
            "pods",
            "deployments",
            "daemonsets",
            "statefulsets",
            "replicasets",
            "replicationcontrollers",
            "jobs",
            "cronjobs",
        }
    ),
    frozenset({"create"}),
    ('["pods"]', '["create"]'),
)
_rbac_rule(
    "rbac-token-request",
    "RBAC rule can mint service account tokens",
    Severity.HIGH,
    "create on serviceaccounts/token issues tokens for any service account in scope: the "
    "subject can act as each of them.",
    "Do not grant serviceaccounts/token; let the kubelet project tokens into pods.",
    frozenset({"serviceaccounts/token"}),
    frozenset({"create"}),
    ('["serviceaccounts/token"]', '["create"]'),
)
_rbac_rule(
    "rbac-nodes-proxy",
    "RBAC rule can proxy to kubelets",
    Severity.HIGH,
    "nodes/proxy reaches the kubelet API directly, which can exec into every pod on the node "
    "without the API server's audit or admission.",
    "Do not grant nodes/proxy; use metrics APIs for monitoring.",
    frozenset({"nodes/proxy"}),
    frozenset({"get", "create"}),
    ('["nodes/proxy"]', '["get"]'),
)
_rbac_rule(
    "rbac-port-forward",
    "RBAC rule can port-forward into pods",
    Severity.MEDIUM,
    "pods/portforward opens a tunnel from the subject's machine to any port of any pod in "
    "scope, past NetworkPolicies and Services: databases and admin ports meant for the "
    "cluster's inside become reachable from a laptop.",
    "Grant pods/portforward to people through a break-glass role, never to automation.",
    frozenset({"pods/portforward"}),
    frozenset({"create", "get"}),
    ('["pods/portforward"]', '["create"]'),
)
_rbac_rule(
    "rbac-manage-rbac",
    "RBAC rule can write roles or bindings",
    Severity.HIGH,
    "Write access to Roles, ClusterRoles or their bindings is a direct path to any permission "
    "the API server lets the subject bind.",
    "Manage RBAC objects only through reviewed automation with its own identity.",
    frozenset({"roles", "clusterroles", "rolebindings", "clusterrolebindings"}),
    frozenset(_WRITE),
    ('["rolebindings"]', '["create"]'),
)
_rbac_rule(
    "rbac-persistent-volumes",
    "RBAC rule can create persistent volumes",
    Severity.MEDIUM,
    "A PersistentVolume may be a hostPath: creating one mounts any node directory into a pod.",
    "Leave PV creation to provisioners and cluster administrators.",
    frozenset({"persistentvolumes"}),
    frozenset({"create"}),
    ('["persistentvolumes"]', '["create"]'),
)
_rbac_rule(
    "rbac-exec-nodes-delete",
    "RBAC rule can delete nodes",
    Severity.MEDIUM,
    "Deleting or patching nodes lets a subject evict every workload of a node, or taint nodes "
    "to steer sensitive pods onto one it controls.",
    "Keep node writes for cluster administrators and the node lifecycle controller.",
    frozenset({"nodes"}),
    frozenset({"delete", "patch", "update"}),
    ('["nodes"]', '["delete"]'),
)

_rbac_rule(
    "rbac-network-policies",
    "RBAC rule can change NetworkPolicies",
    Severity.MEDIUM,
    "Whoever can write or delete NetworkPolicies can lift the isolation they give: delete "
    "the namespace's default deny, or admit any source to a database's pods.",
    "Leave NetworkPolicy writes to cluster administrators and reviewed deployment automation.",
    frozenset({"networkpolicies"}),
    frozenset(_WRITE | {"delete"}),
    ('["networkpolicies"]', '["delete"]'),
)


def _subjects(o: K8sObject) -> list[Y]:
    if o.kind not in ("RoleBinding", "ClusterRoleBinding"):
        return []
    subs = o.doc.get("subjects")
    return [s for s in subs.items() if isinstance(s.value, dict)] if subs else []


_PUBLIC_ROLES = {"system:basic-user", "system:discovery", "system:public-info-viewer"}


def _group_binding(
    slug: str, title: str, severity: Severity, rationale: str, cwe: str, groups: tuple[str, ...]
) -> None:
    """A rule on bindings whose subjects include one of ``groups`` (public roles excepted)."""

    @R(
        make_rule(
            f"k8s/{slug}",
            title,
            severity,
            rationale,
            "Bind the role to named users, groups or service accounts.",
            BINDING.replace(
                "  - kind: ServiceAccount\n    name: ci\n    namespace: ci",
                f"  - kind: Group\n    apiGroup: rbac.authorization.k8s.io\n    name: {groups[-1]}",
            ),
            BINDING,
            cwe=(cwe,),
            references=(RBAC,),
        )
    )
    def check(o: K8sObject) -> Iterator[Hit]:
        if o.doc.scalar("roleRef", "name") in _PUBLIC_ROLES:
            return
        for s in _subjects(o):
            name = s.get("name")
            if name is not None and name.value in groups:
                yield _at(name, f"{o.kind} {o.name} binds {name.value}")


_group_binding(
    "rbac-anonymous-binding",
    "Role bound to anonymous or unauthenticated users",
    Severity.CRITICAL,
    "system:anonymous and system:unauthenticated are everyone who can reach the API server; "
    "anything bound to them is public.",
    "CWE-306",
    ("system:anonymous", "system:unauthenticated"),
)
_group_binding(
    "rbac-authenticated-binding",
    "Role bound to every authenticated user",
    Severity.HIGH,
    "system:authenticated includes every account of every identity provider the cluster "
    "trusts (on some managed clusters, any account of the cloud provider).",
    "CWE-284",
    ("system:authenticated",),
)


@R(
    make_rule(
        "k8s/rbac-default-service-account-binding",
        "Role bound to a default service account",
        Severity.LOW,
        "Every pod of the namespace that names no service account runs as `default`: a role "
        "bound to it is granted to all of them.",
        "Create a dedicated service account and bind the role to it.",
        BINDING.replace("    name: ci\n    namespace: ci", "    name: default\n    namespace: ci"),
        BINDING,
        cwe=("CWE-250",),
        references=(RBAC,),
    )
)
def default_sa_binding(o: K8sObject) -> Iterator[Hit]:
    for s in _subjects(o):
        name = s.get("name")
        if s.scalar("kind") == "ServiceAccount" and name is not None and name.value == "default":
            yield _at(name, f"{o.kind} {o.name} binds a default service account")


PSP = """
apiVersion: policy/v1beta1
kind: PodSecurityPolicy
metadata:
  name: restricted
spec:
  privileged: false
  allowPrivilegeEscalation: false
  requiredDropCapabilities: [ALL]
  hostNetwork: false
  hostIPC: false
  hostPID: false
  runAsUser:
    rule: MustRunAsNonRoot
  seLinux:
    rule: RunAsAny
  fsGroup:
    rule: MustRunAs
    ranges: [{min: 1, max: 65535}]
  supplementalGroups:
    rule: MustRunAs
    ranges: [{min: 1, max: 65535}]
  volumes: [configMap, secret, emptyDir, persistentVolumeClaim, projected]
"""
PSP_REF = "https://kubernetes.io/docs/concepts/security/pod-security-policy/"


def _psp(o: K8sObject, *path: str) -> Y | None:
    return o.doc.get("spec", *path) if o.kind == "PodSecurityPolicy" else None


@R(
    make_rule(
        "k8s/psp-host-namespaces",
        "PodSecurityPolicy admits host namespaces",
        Severity.HIGH,
        "hostNetwork, hostPID or hostIPC: true lets pods share the node's namespaces, bypassing "
        "network policies and process isolation.",
        "Set hostNetwork, hostPID and hostIPC to false.",
        PSP.replace("hostPID: false", "hostPID: true"),
        PSP,
        cwe=("CWE-668",),
        references=(PSP_REF, PSS + "#baseline"),
    )
)
def psp_host(o: K8sObject) -> Iterator[Hit]:
    for key in ("hostNetwork", "hostPID", "hostIPC"):
        node = _psp(o, key)
        if node is not None and node.value is True:
            yield _at(node, f"PodSecurityPolicy {o.name} admits {key}", key=key)


@R(
    make_rule(
        "k8s/psp-privilege-escalation",
        "PodSecurityPolicy allows privilege escalation",
        Severity.MEDIUM,
        "allowPrivilegeEscalation defaults to true in a PodSecurityPolicy: setuid binaries can "
        "raise a process's privileges.",
        "Set allowPrivilegeEscalation: false.",
        PSP.replace("allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true"),
        PSP,
        cwe=("CWE-269",),
        references=(PSP_REF,),
    )
)
def psp_escalation(o: K8sObject) -> Iterator[Hit]:
    if o.kind != "PodSecurityPolicy":
        return
    node = _psp(o, "allowPrivilegeEscalation")
    if node is None:
        yield _at(o.doc.get("spec") or o.doc, f"PodSecurityPolicy {o.name} allows escalation")
    elif node.value is not False:
        yield _at(node, f"PodSecurityPolicy {o.name} allows privilege escalation")


@R(
    make_rule(
        "k8s/psp-run-as-root",
        "PodSecurityPolicy admits root containers",
        Severity.MEDIUM,
        "runAsUser RunAsAny, or MustRunAs with a range that includes 0, lets pods run as root.",
        "Use runAsUser.rule: MustRunAsNonRoot (or MustRunAs with ranges above 0).",
        PSP.replace("rule: MustRunAsNonRoot", "rule: RunAsAny"),
        PSP,
        cwe=("CWE-250",),
        references=(PSP_REF,),
    )
)
def psp_root(o: K8sObject) -> Iterator[Hit]:
    rule = _psp(o, "runAsUser", "rule")
    if o.kind != "PodSecurityPolicy":
        return
    if rule is None:
        yield _at(o.doc.get("spec") or o.doc, f"PodSecurityPolicy {o.name} sets no runAsUser rule")
    elif rule.value == "RunAsAny":
        yield _at(rule, f"PodSecurityPolicy {o.name} admits any user, root included")
    elif rule.value == "MustRunAs":
        ranges = _psp(o, "runAsUser", "ranges")
        for r in ranges.items() if ranges else []:
            if r.scalar("min") == 0:
                yield _at(r, f"PodSecurityPolicy {o.name} admits UID 0")


@R(
    make_rule(
        "k8s/psp-capabilities",
        "PodSecurityPolicy admits dangerous capabilities",
        Severity.MEDIUM,
        "allowedCapabilities or defaultAddCapabilities with '*', SYS_ADMIN, NET_ADMIN and the "
        "like let pods gain near-root power over the node.",
        "Allow no added capabilities beyond NET_BIND_SERVICE.",
        PSP.replace(
            "requiredDropCapabilities: [ALL]",
            "requiredDropCapabilities: [ALL]\n  allowedCapabilities: ['*']",
        ),
        PSP,
        cwe=("CWE-250",),
        references=(PSP_REF,),
    )
)
def psp_caps(o: K8sObject) -> Iterator[Hit]:
    for key in ("allowedCapabilities", "defaultAddCapabilities"):
        node = _psp(o, key)
        for item in node.items() if node else []:
            cap = str(item.value).upper().removeprefix("CAP_")
            if cap == "*" or cap in DANGEROUS_CAPS:
                yield _at(item, f"PodSecurityPolicy {o.name} {key} includes {cap}", key=cap)


@R(
    make_rule(
        "k8s/psp-capabilities-not-dropped",
        "PodSecurityPolicy does not require dropping capabilities",
        Severity.LOW,
        "Without requiredDropCapabilities: [ALL] (or at least NET_RAW) pods keep the runtime's "
        "default capabilities, including NET_RAW for spoofing.",
        "Set requiredDropCapabilities: [ALL].",
        PSP.replace("  requiredDropCapabilities: [ALL]\n", ""),
        PSP,
        cwe=("CWE-250",),
        references=(PSP_REF,),
    )
)
def psp_drop(o: K8sObject) -> Iterator[Hit]:
    if o.kind != "PodSecurityPolicy":
        return
    node = _psp(o, "requiredDropCapabilities")
    caps = {str(i.value).upper() for i in node.items()} if node else set()
    if not caps & {"ALL", "NET_RAW", "CAP_NET_RAW"}:
        yield _at(node or o.doc.get("spec") or o.doc, f"PodSecurityPolicy {o.name} drops no ALL")


@R(
    make_rule(
        "k8s/psp-host-path",
        "PodSecurityPolicy admits hostPath volumes",
        Severity.MEDIUM,
        "volumes: ['*'] or hostPath without allowedHostPaths lets pods mount any node directory.",
        "List the volume types needed, without hostPath (or restrict allowedHostPaths, read-only).",
        PSP.replace("[configMap, secret, emptyDir, persistentVolumeClaim, projected]", "['*']"),
        PSP,
        cwe=("CWE-668",),
        references=(PSP_REF,),
    )
)
def psp_hostpath(o: K8sObject) -> Iterator[Hit]:
    node = _psp(o, "volumes")
    if node is None or _psp(o, "allowedHostPaths") is not None:
        return
    for item in node.items():
        if item.value in ("*", "hostPath"):
            yield _at(item, f"PodSecurityPolicy {o.name} admits {item.value} volumes")
