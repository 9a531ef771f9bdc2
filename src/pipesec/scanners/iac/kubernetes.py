"""Kubernetes manifest rules (``k8s/<slug>``) over every workload kind: Pod, Deployment,
StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate (and
anything else with a pod template), and RBAC objects. Findings point at the offending key;
a missing setting points at the container (or pod spec) that lacks it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from pipesec.core.model import Confidence, Rule, Severity
from pipesec.core.yamlpos import YNode as Y
from pipesec.scanners.iac.common import (
    Hit,
    Registry,
    looks_like_literal_secret,
    looks_like_secret_name,
    make_rule,
    secret_value,
)
from pipesec.scanners.iac.dockerfile_parser import split_image

REGISTRY = Registry()
R = REGISTRY.rule
PSS = "https://kubernetes.io/docs/concepts/security/pod-security-standards/"
RBAC = "https://kubernetes.io/docs/concepts/security/rbac-good-practices/"


@dataclass
class K8sObject:
    doc: Y
    kind: str
    name: str
    pod: Y | None = None
    containers: list[Y] = field(default_factory=list)
    #: CEL values of the data rules, converted once per object (k8s_data)
    cel: dict[str, Any] = field(default_factory=dict)
    #: ``limits.memory``, ``requests.cpu``...: what a LimitRange of the same namespace (in
    #: the same file or rendered output, or another file of the tree: :class:`.scanner.
    #: TreeLimits`) gives a container that leaves it out; for a Namespace object,
    #: ``isolated.ingress``/``isolated.egress`` when a NetworkPolicy isolates its pods
    defaults: frozenset[str] = frozenset()
    #: the pod's service account (same file or rendered output, same namespace) sets
    #: ``automountServiceAccountToken: false``, which a pod that leaves it unset inherits
    sa_token_off: bool = False
    #: the podSelectors (plain values; None when left out) of the NetworkPolicies of the
    #: object's namespace, each with whether its policy isolates ingress (:class:`Selected`),
    #: in the same file or rendered output or another file of the tree
    #: (:class:`.scanner.TreeLimits`); None when the tree declares none for the namespace
    policies: tuple[Selected, ...] | None = None
    #: a workload whose namespace (named, not a system one) the tree neither declares (no
    #: Namespace object) nor gives any NetworkPolicy, while it has NetworkPolicies for other
    #: namespaces
    namespace_unisolated: bool = False
    #: the ``--client-ca-file`` paths of the API servers in the same file or rendered output,
    #: or another manifest file of the tree (:func:`.k8s_controlplane.with_client_cas`)
    apiserver_client_cas: frozenset[str] = frozenset()


def with_service_accounts(objects: list[K8sObject]) -> list[K8sObject]:
    """Mark the pods whose ServiceAccount, among ``objects``, turns token automounting off
    (``default`` when the pod names none): Kubernetes applies the service account's
    ``automountServiceAccountToken`` to a pod that does not set its own."""
    off = {
        (namespace_of(o), o.name)
        for o in objects
        if o.kind == "ServiceAccount" and o.doc.scalar("automountServiceAccountToken") is False
    }
    if not off:
        return objects
    for o in objects:
        if o.pod is None:
            continue
        name = o.pod.scalar("serviceAccountName") or o.pod.scalar("serviceAccount") or "default"
        o.sa_token_off = (namespace_of(o), str(name)) in off
    return objects


def _selects_all(selector: Y | None) -> bool:
    """A label selector written and empty: {}, null, matchLabels {} or matchExpressions []
    select every pod (endpoint); a left-out selector selects nothing here."""
    return selector is not None and not (
        selector.value
        and any(
            n is not None and n.value
            for n in (selector.get("matchLabels"), selector.get("matchExpressions"))
        )
    )


def netpol_peers(rule: Y, key: str) -> list[Y] | None:
    """The from/to peers of a rule; None when the rule has none (it allows every peer)."""
    node = rule.get(key)
    if node is None or (isinstance(node.value, list) and not node.value):
        return None
    return node.items()


def selects_everyone(peer: Y) -> bool:
    """A NetworkPolicy peer that selects every pod of every namespace."""
    ns, pods = peer.get("namespaceSelector"), peer.get("podSelector")
    if peer.get("ipBlock") is not None or ns is None:
        return False
    empty = not ns.value  # {} or null selects every namespace
    return empty and (pods is None or not pods.value)


def _no_ports(rule: Y, key: str) -> bool:
    ports = rule.get(key)
    return ports is None or (isinstance(ports.value, list) and not ports.value)


def _opens(o: K8sObject) -> set[str]:
    """The directions (``open.ingress``, ``open.egress``) that a policy over every pod
    (endpoint) of its namespace opens again for all traffic: policies add up, so an
    "allow all" beside a default deny undoes it. A NetworkPolicy rule without ports whose
    peers are left out or select every pod of every namespace; a Cilium allow rule without
    ``toPorts`` to the ``all`` or ``cluster`` entity, or, in a cluster-wide policy, to every
    endpoint (``fromEndpoints: [{}]``; in a namespaced one that is its own namespace only).
    A rule that allows only DNS, some ports or some peers opens nothing."""
    got: set[str] = set()
    if o.kind == "NetworkPolicy":
        spec = o.doc.get("spec")
        if spec is None or not spec.is_map or not _selects_all(spec.get("podSelector")):
            return got
        types = spec.get("policyTypes")
        named = (
            {str(t.value).lower() for t in types.items()}
            if types is not None and types.is_seq
            else {"ingress", "egress"}
        )
        for d, key in (("ingress", "from"), ("egress", "to")):
            rules = spec.get(d)
            if d not in named or rules is None or not rules.is_seq:
                continue
            for r in rules.items():
                peers = netpol_peers(r, key) if r.is_map else None
                if (not r.is_map or _no_ports(r, "ports")) and (
                    peers is None or any(selects_everyone(p) for p in peers if p.is_map)
                ):
                    got.add(f"open.{d}")
        return got
    specs = [o.doc.get("spec")]
    many = o.doc.get("specs")
    if many is not None and many.is_seq:
        specs.extend(many.items())
    for spec in specs:
        if spec is None or not spec.is_map or not _selects_all(spec.get("endpointSelector")):
            continue
        for d, side in (("ingress", "from"), ("egress", "to")):
            rules = spec.get(d)
            for r in rules.items() if rules is not None and rules.is_seq else []:
                if not r.is_map or not _no_ports(r, "toPorts"):
                    continue
                entities = r.get(f"{side}Entities")
                names = (
                    {str(e.value) for e in entities.items()}
                    if entities and entities.is_seq
                    else set()
                )
                endpoints = r.get(f"{side}Endpoints")
                clusterwide = o.kind == "CiliumClusterwideNetworkPolicy"
                every = (
                    endpoints is not None
                    and endpoints.is_seq
                    and any(
                        (clusterwide and _selects_all(e)) or _every_namespace(e)
                        for e in endpoints.items()
                    )
                )
                if names & {"all", "cluster"} or every:
                    got.add(f"open.{d}")
    return got


#: the label Cilium gives every endpoint: the name of its namespace
_CILIUM_NAMESPACE = frozenset({"k8s:io.kubernetes.pod.namespace", "io.kubernetes.pod.namespace"})


def _every_namespace(selector: Y) -> bool:
    """A Cilium endpoint selector whose only term is the namespace label with ``Exists``:
    every endpoint of every namespace (each has the label), in a namespaced policy too."""
    if not selector.is_map or set(selector.mapping()) - {"matchLabels", "matchExpressions"}:
        return False
    labels, exprs = selector.get("matchLabels"), selector.get("matchExpressions")
    if (labels is not None and labels.value) or exprs is None or not exprs.is_seq:
        return False
    terms = exprs.items()
    return (
        len(terms) == 1
        and terms[0].is_map
        and terms[0].scalar("operator") == "Exists"
        and str(terms[0].scalar("key")) in _CILIUM_NAMESPACE
    )


def _isolation(got: set[str]) -> frozenset[str]:
    """``got`` with each direction an allow-all policy opens no longer isolated, and the
    ``open.`` marks themselves dropped."""
    return frozenset(
        x
        for x in got
        if not x.startswith("open.")
        and not (x.startswith("isolated.") and "open." + x[len("isolated.") :] in got)
    )


def _isolates(o: K8sObject) -> set[str]:
    """The directions (``isolated.ingress``, ``isolated.egress``) a NetworkPolicy that selects
    every pod of its namespace (an empty ``podSelector``) isolates: Ingress always when
    ``policyTypes`` is left out, Egress then only when it has egress rules."""
    spec = o.doc.get("spec")
    if spec is None or not spec.is_map:
        return set()
    if not _selects_all(spec.get("podSelector")):
        return set()
    types = spec.get("policyTypes")
    if types is not None and types.is_seq:
        named = {str(t.value).lower() for t in types.items()}
    else:
        named = {"ingress"} | ({"egress"} if spec.get("egress") is not None else set())
    return {f"isolated.{d}" for d in named & {"ingress", "egress"}}


#: Cilium's policy kinds: a namespaced one, and a cluster-wide one (every namespace)
CILIUM_POLICIES = frozenset({"CiliumNetworkPolicy", "CiliumClusterwideNetworkPolicy"})
#: the namespace key of what holds in every namespace (a cluster-wide policy)
EVERY_NAMESPACE = "*"


def _cilium_isolates(o: K8sObject) -> set[str]:
    """The directions a Cilium policy whose ``endpointSelector`` selects every endpoint
    (``{}``) isolates: Cilium puts an endpoint that a policy with ingress (egress) rules
    selects into default deny for that direction, unless ``enableDefaultDeny`` turns it off.
    A policy may hold its rules in ``spec`` or in a list under ``specs``."""
    got: set[str] = set()
    specs = [o.doc.get("spec")]
    many = o.doc.get("specs")
    if many is not None and many.is_seq:
        specs.extend(many.items())
    for spec in specs:
        if spec is None or not spec.is_map:
            continue
        if not _selects_all(spec.get("endpointSelector")):
            continue
        for d in ("ingress", "egress"):
            off = spec.get("enableDefaultDeny", d)
            if off is not None and off.value is False:
                continue
            if spec.get(d) is not None or spec.get(f"{d}Deny") is not None:
                got.add(f"isolated.{d}")
    return got


def limit_defaults(objects: list[K8sObject]) -> dict[str, set[str]]:
    """What the LimitRanges among ``objects`` give a container that leaves a value out
    (``limits.memory``, ``requests.cpu`` ...), by namespace (``""``: none written); with the
    directions a NetworkPolicy over the whole namespace isolates (:func:`_isolates`), or a
    Cilium policy over every endpoint of its namespace (of every namespace, under
    :data:`EVERY_NAMESPACE`, for a cluster-wide one)."""
    by_ns: dict[str, set[str]] = {}
    for o in objects:
        if o.kind == "NetworkPolicy":
            got = _isolates(o) | _opens(o)
            if got:
                by_ns.setdefault(namespace_of(o), set()).update(got)
            continue
        if o.kind in CILIUM_POLICIES:
            got = _cilium_isolates(o) | _opens(o)
            if got:
                ns = EVERY_NAMESPACE if o.kind == "CiliumClusterwideNetworkPolicy" else None
                by_ns.setdefault(ns or namespace_of(o), set()).update(got)
            continue
        if o.kind != "LimitRange":
            continue
        got = by_ns.setdefault(str(o.doc.scalar("metadata", "namespace") or ""), set())
        items = o.doc.get("spec", "limits")
        for item in items.items() if items is not None and items.is_seq else []:
            if item.scalar("type") != "Container":
                continue
            for key, kinds in (
                ("default", ("limits", "requests")),
                ("defaultRequest", ("requests",)),
            ):
                node = item.get(key)
                if node is not None and node.is_map:
                    got |= {f"{k}.{r}" for k in kinds for r in node.value}
    return by_ns


def with_limit_defaults(
    objects: list[K8sObject], elsewhere: Mapping[str, frozenset[str]] | None = None
) -> list[K8sObject]:
    """``objects`` with :attr:`K8sObject.defaults` set from their LimitRanges and the ones
    ``elsewhere`` gives by namespace (other files of the tree): the LimitRanger admission
    plugin (on in every managed cluster) fills a container's missing limit from
    ``default`` and its missing request from ``defaultRequest`` (else from ``default``), so
    such a container runs with one. Also marks the pods whose service account turns token
    automounting off (:func:`with_service_accounts`)."""
    with_service_accounts(objects)
    by_ns = limit_defaults(objects)
    for ns, got in (elsewhere or {}).items():
        by_ns.setdefault(ns, set()).update(got)
    if not by_ns:
        return objects
    everywhere = by_ns.get(EVERY_NAMESPACE, set())
    for o in objects:
        if o.kind == "Namespace":
            # the namespace the object declares; a policy written without a namespace (applied
            # into it with -n, or by a kustomization) is given the benefit of the doubt
            o.defaults = _isolation(by_ns.get(o.name, set()) | by_ns.get("", set()) | everywhere)
        else:
            o.defaults = _isolation(by_ns.get(namespace_of(o), set()) | everywhere)
    return objects


#: distinct NetworkPolicy podSelectors of one namespace beyond which
#: k8s/workload-no-network-policy does not judge it
MAX_POLICY_SELECTORS = 256


def namespace_of(o: K8sObject) -> str:
    return str(o.doc.scalar("metadata", "namespace") or "")


def template_meta(o: K8sObject) -> Y | None:
    """The pod template's metadata (the object's own for a Pod)."""
    if o.kind == "Pod":
        return o.doc.get("metadata")
    if o.kind == "CronJob":
        return o.doc.get("spec", "jobTemplate", "spec", "template", "metadata")
    if o.kind == "PodTemplate":
        return o.doc.get("template", "metadata")
    return o.doc.get("spec", "template", "metadata")


class Selected(NamedTuple):
    """A NetworkPolicy's podSelector (plain value, None when left out) and whether the
    policy isolates the ingress of the pods it selects (``policyTypes`` holds ``Ingress``,
    as it does when left out); an egress-only policy leaves their ingress open."""

    selector: Any
    ingress: bool


def policy_selectors(objects: list[K8sObject]) -> dict[str, list[Selected]]:
    """The podSelectors of the NetworkPolicies among ``objects``, by namespace (``""``: none
    written)."""
    by_ns: dict[str, list[Selected]] = {}
    for o in objects:
        if o.kind == "NetworkPolicy":
            sel = o.doc.get("spec", "podSelector")
            types = o.doc.get("spec", "policyTypes")
            ingress = not (
                types is not None
                and types.is_seq
                and all(str(t.value).lower() != "ingress" for t in types.items())
            )
            by_ns.setdefault(namespace_of(o), []).append(
                Selected(sel.plain() if sel is not None else None, ingress)
            )
    return by_ns


#: namespaces Kubernetes creates itself; a manifest that declares them only labels them
SYSTEM_NAMESPACES = frozenset({"default", "kube-system", "kube-public", "kube-node-lease"})


def with_network_policies(
    objects: list[K8sObject],
    elsewhere: Mapping[str, list[Any]] | None = None,
    declared: frozenset[str] | set[str] = frozenset(),
) -> list[K8sObject]:
    """``objects`` with :attr:`K8sObject.policies` set for those whose namespace has
    NetworkPolicies among them or ``elsewhere`` (other files of the tree), and
    :attr:`K8sObject.namespace_unisolated` for the workloads of a namespace that neither
    has any nor is ``declared`` (by a Namespace object of the tree, or among ``objects``)
    while other namespaces have some."""
    by_ns = policy_selectors(objects)
    for ns, got in (elsewhere or {}).items():
        by_ns.setdefault(ns, []).extend(got)
    if any(by_ns.values()):
        named = set(declared) | {o.name for o in objects if o.kind == "Namespace"}
        for o in objects:
            ns = namespace_of(o)
            o.namespace_unisolated = (
                o.pod is not None
                and bool(ns)
                and ns not in by_ns
                and ns not in named
                and ns not in SYSTEM_NAMESPACES
                and not by_ns.get("")  # a policy without a namespace may be applied into it
            )
    distinct: dict[str, tuple[Any, ...] | None] = {}
    for ns, got in by_ns.items():
        unique = tuple({repr(sel): sel for sel in got}.values())
        # a namespace with more selectors than any real one is not judged: a hostile tree
        # must not make every workload test every policy of thousands
        distinct[ns] = unique if len(unique) <= MAX_POLICY_SELECTORS else None
    if distinct:
        for o in objects:
            o.policies = distinct.get(namespace_of(o))
    return objects


def pod_spec(doc: Y, kind: str) -> Y | None:
    if kind == "Pod":
        return doc.get("spec")
    if kind == "CronJob":
        return doc.get("spec", "jobTemplate", "spec", "template", "spec")
    if kind == "PodTemplate":
        return doc.get("template", "spec")
    return doc.get("spec", "template", "spec")


def to_object(doc: Y) -> K8sObject:
    kind = str(doc.scalar("kind") or "")
    name = str(doc.scalar("metadata", "name") or "")
    obj = K8sObject(doc, kind, name)
    spec = pod_spec(doc, kind)
    if spec is not None and isinstance(spec.value, dict):
        obj.pod = spec
        for key in ("initContainers", "containers", "ephemeralContainers"):
            group = spec.get(key)
            if group is not None:
                obj.containers.extend(c for c in group.items() if isinstance(c.value, dict))
    return obj


def _at(node: Y, message: str = "", key: str = "") -> Hit:
    line, col = node.at
    return Hit(line, col, message, key=key)


def _cname(c: Y) -> str:
    return str(c.scalar("name") or "?")


def _csc(c: Y, *path: str) -> Y | None:
    return c.get("securityContext", *path)


def _psc(o: K8sObject, *path: str) -> Y | None:
    return o.pod.get("securityContext", *path) if o.pod else None


POD = """
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  automountServiceAccountToken: false
  securityContext:
    runAsNonRoot: true
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: web
      image: registry.example.com/web:1.4.2@sha256:9f86d081884c
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities:
          drop: ["ALL"]
      resources:
        limits:
          cpu: 500m
          memory: 256Mi
"""


def _pod(old: str, new: str) -> str:
    assert old in POD, old
    return POD.replace(old, new, 1)


@R(
    make_rule(
        "k8s/privilege-escalation",
        "Privilege escalation allowed",
        Severity.MEDIUM,
        "Unless allowPrivilegeEscalation is false, a process can gain more privileges than its "
        "parent (setuid binaries, file capabilities).",
        "Set securityContext.allowPrivilegeEscalation: false on every container.",
        _pod("allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true"),
        POD,
        cwe=("CWE-269",),
        references=(PSS + "#restricted",),
    )
)
def privilege_escalation(o: K8sObject) -> Iterator[Hit]:
    for c in o.containers:
        node = _csc(c, "allowPrivilegeEscalation")
        if node is not None and node.value is True:
            yield _at(node, f"Container {_cname(c)} allows privilege escalation")
        elif node is None:
            yield _at(c, f"Container {_cname(c)} does not set allowPrivilegeEscalation: false")


@R(
    make_rule(
        "k8s/run-as-root",
        "Container runs as UID 0",
        Severity.HIGH,
        "runAsUser: 0 runs the process as root inside the container; with any escape it is "
        "root on the node.",
        "Run as a non-zero UID and set runAsNonRoot: true.",
        _pod("runAsNonRoot: true", "runAsUser: 0"),
        _pod("runAsNonRoot: true", "runAsNonRoot: true\n    runAsUser: 10001"),
        cwe=("CWE-250",),
        references=(PSS + "#restricted",),
    )
)
def run_as_root(o: K8sObject) -> Iterator[Hit]:
    node = _psc(o, "runAsUser")
    # the pod's UID 0 applies to the containers that do not set their own runAsUser
    if (
        node is not None
        and node.value == 0
        and (not o.containers or any(_csc(c, "runAsUser") is None for c in o.containers))
    ):
        yield _at(node, "Pod runs as UID 0")
    for c in o.containers:
        node = _csc(c, "runAsUser")
        if node is not None and node.value == 0:
            yield _at(node, f"Container {_cname(c)} runs as UID 0")


@R(
    make_rule(
        "k8s/run-as-non-root-missing",
        "runAsNonRoot not enforced",
        Severity.MEDIUM,
        "Without runAsNonRoot: true (or a non-zero runAsUser) the container runs as whatever "
        "user the image chooses, which is root for most images.",
        "Set securityContext.runAsNonRoot: true on the pod or the container.",
        _pod("    runAsNonRoot: true\n", ""),
        POD,
        cwe=("CWE-250",),
        references=(PSS + "#restricted",),
    )
)
def run_as_non_root(o: K8sObject) -> Iterator[Hit]:
    if o.pod is None:
        return
    pod_ok = _psc(o, "runAsNonRoot") is not None and _psc(o, "runAsNonRoot").value is True  # type: ignore[union-attr]
    pod_uid = _psc(o, "runAsUser")
    pod_uid_ok = pod_uid is not None and isinstance(pod_uid.value, int) and pod_uid.value > 0
    for c in o.containers:
        nr = _csc(c, "runAsNonRoot")
        uid = _csc(c, "runAsUser")
        if nr is not None and nr.value is False:
            yield _at(nr, f"Container {_cname(c)} sets runAsNonRoot: false")
            continue
        if nr is not None and nr.value is True:
            continue
        if uid is not None and isinstance(uid.value, int) and uid.value > 0:
            continue
        if uid is not None and uid.value == 0:
            continue  # reported by k8s/run-as-root
        if pod_ok or pod_uid_ok:
            continue
        yield _at(c, f"Container {_cname(c)} may run as root (no runAsNonRoot: true)")


@R(
    make_rule(
        "k8s/writable-root-filesystem",
        "Root filesystem is writable",
        Severity.LOW,
        "A writable root filesystem lets an attacker drop tools and modify binaries in the "
        "container.",
        "Set securityContext.readOnlyRootFilesystem: true and mount emptyDir volumes where "
        "the application must write.",
        _pod("readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false"),
        POD,
        cwe=("CWE-732",),
    )
)
def writable_root(o: K8sObject) -> Iterator[Hit]:
    for c in o.containers:
        node = _csc(c, "readOnlyRootFilesystem")
        if node is None:
            yield _at(c, f"Container {_cname(c)} does not set readOnlyRootFilesystem: true")
        elif node.value is not True:
            yield _at(node, f"Container {_cname(c)} has a writable root filesystem")


DANGEROUS_CAPS = {
    "ALL",
    "SYS_ADMIN",
    "NET_ADMIN",
    "SYS_PTRACE",
    "SYS_MODULE",
    "DAC_READ_SEARCH",
    "SYS_RAWIO",
    "BPF",
    "PERFMON",
}


@R(
    make_rule(
        "k8s/dangerous-capabilities",
        "Dangerous Linux capability added",
        Severity.HIGH,
        "SYS_ADMIN, NET_ADMIN, SYS_PTRACE, SYS_MODULE or ALL give the container near-root "
        "power over the node's kernel, network or other processes.",
        "Drop ALL capabilities and add back only narrow ones such as NET_BIND_SERVICE.",
        _pod('drop: ["ALL"]', 'drop: ["ALL"]\n          add: ["SYS_ADMIN"]'),
        _pod('drop: ["ALL"]', 'drop: ["ALL"]\n          add: ["NET_BIND_SERVICE"]'),
        cwe=("CWE-250",),
        references=(PSS + "#baseline",),
    )
)
def dangerous_caps(o: K8sObject) -> Iterator[Hit]:
    for c in o.containers:
        add = _csc(c, "capabilities", "add")
        for item in add.items() if add else []:
            cap = str(item.value).upper().removeprefix("CAP_")
            if cap in DANGEROUS_CAPS:
                yield Hit(item.line, item.column, f"Container {_cname(c)} adds {cap}", key=cap)


@R(
    make_rule(
        "k8s/capabilities-not-dropped",
        "Capabilities not dropped",
        Severity.MEDIUM,
        "Containers get a default set of capabilities (NET_RAW, CHOWN, SETUID ...) they "
        "rarely need; NET_RAW alone allows ARP and DNS spoofing inside the cluster network.",
        'Set securityContext.capabilities.drop: ["ALL"].',
        _pod('        capabilities:\n          drop: ["ALL"]\n', ""),
        POD,
        cwe=("CWE-250",),
        references=(PSS + "#restricted",),
    )
)
def caps_not_dropped(o: K8sObject) -> Iterator[Hit]:
    for c in o.containers:
        drop = _csc(c, "capabilities", "drop")
        if drop is None:
            yield _at(c, f"Container {_cname(c)} does not drop ALL capabilities")
        elif not any(str(i.value).upper() == "ALL" for i in drop.items()):
            yield _at(drop, f"Container {_cname(c)} does not drop ALL capabilities")


def _volumes(o: K8sObject) -> list[Y]:
    vols = o.pod.get("volumes") if o.pod else None
    return [v for v in vols.items() if isinstance(v.value, dict)] if vols else []


SENSITIVE_HOST_PATHS = (
    "/",
    "/etc",
    "/proc",
    "/sys",
    "/root",
    "/boot",
    "/dev",
    "/home",
    "/var/lib/kubelet",
    "/var/lib/docker",
    "/var/lib/containerd",
    "/var/run",
    "/run",
    "/etc/kubernetes",
    "/var/lib/etcd",
)


def sensitive_host_path(path: str) -> bool:
    p = "/" + path.strip().strip("/")
    return p in SENSITIVE_HOST_PATHS or p.startswith(
        ("/etc/kubernetes/", "/var/lib/kubelet/", "/root/")
    )


_SOCKETS = ("docker.sock", "containerd.sock", "crio.sock", "cri-dockerd.sock")
_HOSTPATH_VOL = """
  volumes:
    - name: data
      hostPath:
        path: /var/lib/data
"""


@R(
    make_rule(
        "k8s/host-path-volume",
        "hostPath volume",
        Severity.MEDIUM,
        "A hostPath volume exposes the node's filesystem to the pod; a writable one lets a "
        "compromised pod tamper with the node (kubelet config, other pods' data).",
        "Use persistent volumes, emptyDir, ConfigMaps or Secrets instead of hostPath.",
        POD.rstrip("\n") + _HOSTPATH_VOL,
        POD.rstrip("\n") + "\n  volumes:\n    - name: data\n      emptyDir: {}\n",
        cwe=("CWE-668",),
        references=(PSS + "#baseline",),
    )
)
def host_path(o: K8sObject) -> Iterator[Hit]:
    for v in _volumes(o):
        hp = v.get("hostPath")
        path = str(hp.scalar("path") or "") if hp is not None else ""
        if hp is None or path.rstrip("/").endswith(_SOCKETS) or sensitive_host_path(path):
            continue  # see k8s/container-runtime-socket and k8s/host-path-sensitive
        yield _at(hp, f"Volume {v.scalar('name')} mounts a host path", key=str(v.scalar("name")))


@R(
    make_rule(
        "k8s/container-runtime-socket",
        "Container runtime socket mounted",
        Severity.CRITICAL,
        "Mounting docker.sock or containerd.sock lets the pod start privileged containers on "
        "the node: it is root on the node.",
        "Do not mount the runtime socket; use a rootless builder (BuildKit rootless, kaniko).",
        POD.rstrip("\n") + _HOSTPATH_VOL.replace("/var/lib/data", "/var/run/docker.sock"),
        POD,
        cwe=("CWE-250",),
    )
)
def runtime_socket(o: K8sObject) -> Iterator[Hit]:
    for v in _volumes(o):
        path = v.get("hostPath", "path")
        if path is not None and str(path.value).rstrip("/").endswith(_SOCKETS):
            yield _at(path, f"Volume mounts {path.value}")


@R(
    make_rule(
        "k8s/image-latest",
        "Image on :latest or without a tag",
        Severity.MEDIUM,
        "An image without a tag or on :latest changes under you: a rollout or node restart "
        "can pull a different, unreviewed image.",
        "Pin images to a version tag and digest.",
        _pod("web:1.4.2@sha256:9f86d081884c", "web:latest"),
        POD,
        cwe=("CWE-1357",),
    )
)
def image_latest(o: K8sObject) -> Iterator[Hit]:
    for c in o.containers:
        node = c.get("image")
        if node is None or not isinstance(node.value, str) or "{{" in node.value:
            continue
        _n, tag, digest = split_image(node.value)
        if not digest and tag in ("", "latest"):
            yield _at(node, f"Container {_cname(c)} uses {node.value}")


@R(
    make_rule(
        "k8s/image-no-digest",
        "Image not pinned to a digest",
        Severity.LOW,
        "Tags can be re-pushed; only a digest guarantees the image that runs is the one that "
        "was scanned and approved.",
        "Reference images as name:tag@sha256:<digest>.",
        _pod("web:1.4.2@sha256:9f86d081884c", "web:1.4.2"),
        POD,
        cwe=("CWE-1357",),
        confidence=Confidence.MEDIUM,
    )
)
def image_no_digest(o: K8sObject) -> Iterator[Hit]:
    for c in o.containers:
        node = c.get("image")
        if node is None or not isinstance(node.value, str) or "{{" in node.value:
            continue
        _n, tag, digest = split_image(node.value)
        if not digest and tag not in ("", "latest"):
            yield _at(node, f"Container {_cname(c)} image is not pinned to a digest")


def _limit_rule(resource: str) -> None:
    other = "cpu" if resource == "memory" else "memory"

    @R(
        make_rule(
            f"k8s/missing-{resource}-limit",
            f"Container without a {resource} limit",
            Severity.LOW if resource == "cpu" else Severity.MEDIUM,
            f"Without a {resource} limit one compromised or runaway container can starve "
            "every other workload on the node (denial of service).",
            f"Set resources.limits.{resource} on every container.",
            POD.replace(f"          {resource}: {'500m' if resource == 'cpu' else '256Mi'}\n", ""),
            POD,
            cwe=("CWE-770",),
        )
    )
    def check(o: K8sObject) -> Iterator[Hit]:
        for c in o.containers:
            limits = c.get("resources", "limits")
            if f"limits.{resource}" in o.defaults:
                continue  # the namespace's LimitRange sets it
            if limits is None or limits.get(resource) is None:
                where = limits or c.get("resources") or c
                yield _at(where, f"Container {_cname(c)} has no {resource} limit", key=other)


_limit_rule("memory")
_limit_rule("cpu")

_ENV_SECRET = _pod(
    "      resources:",
    "      env:\n        - name: DB_PASSWORD\n          value: "
    + "v9Lr"
    + "-2kqP-Xw7"
    + "\n      resources:",
)


@R(
    make_rule(
        "k8s/secret-in-env",
        "Secret as a literal environment value",
        Severity.HIGH,
        "A literal password or token in a manifest is readable by everyone with access to the "
        "repository and to the object in the cluster (`kubectl get -o yaml`).",
        "Store it in a Secret (or an external secret manager) and use valueFrom.secretKeyRef.",
        _ENV_SECRET,
        _pod(
            "      resources:",
            "      env:\n        - name: DB_PASSWORD\n          valueFrom:\n"
            "            secretKeyRef: {name: db, key: password}\n      resources:",
        ),
        cwe=("CWE-798",),
        tags=("iac", "secret"),
    )
)
def secret_in_env(o: K8sObject) -> Iterator[Hit]:
    for c in o.containers:
        env = c.get("env")
        for item in env.items() if env else []:
            name, value = item.scalar("name"), item.get("value")
            if isinstance(name, str) and value is not None and isinstance(value.value, str):
                secret = secret_value(name, value.value)
                if secret:
                    line, col = value.at
                    yield Hit(
                        line, col, f"Env {name} holds a literal secret", secret=secret, key=name
                    )


@R(
    make_rule(
        "k8s/service-account-token-automount",
        "Service account token mounted automatically",
        Severity.LOW,
        "Every pod gets an API token unless told otherwise; an attacker in the pod can use it "
        "against the API server with the service account's permissions.",
        "Set automountServiceAccountToken: false on pods that do not call the Kubernetes API.",
        _pod("automountServiceAccountToken: false", "automountServiceAccountToken: true"),
        POD,
        cwe=("CWE-200",),
        confidence=Confidence.MEDIUM,
    )
)
def automount(o: K8sObject) -> Iterator[Hit]:
    if o.pod is None:
        return
    node = o.pod.get("automountServiceAccountToken")
    if node is None and not o.sa_token_off:
        yield _at(
            o.pod, "Pod mounts the service account token (automountServiceAccountToken unset)"
        )
    elif node is not None and node.value is not False:
        yield _at(node, "Pod mounts the service account token")


ROLE = """
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: reader
  namespace: shop
rules:
  - apiGroups: [""]
    resources: ["configmaps"]
    verbs: ["get", "list"]
"""


def _rules(o: K8sObject) -> Iterator[Y]:
    if o.kind in ("Role", "ClusterRole"):
        rules = o.doc.get("rules")
        for r in rules.items() if rules else []:
            if isinstance(r.value, dict):
                yield r


@R(
    make_rule(
        "k8s/rbac-wildcard-verbs",
        "RBAC rule grants every verb",
        Severity.HIGH,
        "verbs: ['*'] grants every current and future verb, including escalate, bind and "
        "impersonate on the matching resources.",
        "List only the verbs needed (get, list, watch ...).",
        ROLE.replace('["get", "list"]', '["*"]'),
        ROLE,
        cwe=("CWE-269",),
        references=(RBAC,),
    )
)
def rbac_wild_verbs(o: K8sObject) -> Iterator[Hit]:
    for r in _rules(o):
        verbs = r.get("verbs")
        for v in verbs.items() if verbs else []:
            if v.value == "*":
                yield Hit(v.line, v.column, f"{o.kind} {o.name} grants all verbs")


@R(
    make_rule(
        "k8s/rbac-wildcard-resources",
        "RBAC rule grants every resource",
        Severity.HIGH,
        "resources: ['*'] covers secrets, pods/exec and every custom resource, including ones "
        "added later.",
        "List the resources needed explicitly.",
        ROLE.replace('["configmaps"]', '["*"]'),
        ROLE,
        cwe=("CWE-269",),
        references=(RBAC,),
    )
)
def rbac_wild_resources(o: K8sObject) -> Iterator[Hit]:
    for r in _rules(o):
        res = r.get("resources")
        for v in res.items() if res else []:
            if v.value == "*":
                yield Hit(v.line, v.column, f"{o.kind} {o.name} grants all resources")


def _verbs(r: Y) -> set[str]:
    verbs = r.get("verbs")
    return {str(v.value) for v in verbs.items()} if verbs else set()


@R(
    make_rule(
        "k8s/rbac-secrets-read",
        "RBAC rule can read Secrets",
        Severity.MEDIUM,
        "get/list/watch on secrets reveals every credential in the namespace (or cluster, for "
        "a ClusterRole); list alone returns the secrets' contents.",
        "Grant access only to named secrets (resourceNames) or avoid reading Secrets at all.",
        ROLE.replace('["configmaps"]', '["secrets"]'),
        ROLE,
        cwe=("CWE-200",),
        references=(RBAC,),
    )
)
def rbac_secrets(o: K8sObject) -> Iterator[Hit]:
    for r in _rules(o):
        if r.get("resourceNames") is not None:
            continue
        res = r.get("resources")
        if _verbs(r) & {"get", "list", "watch", "*"}:
            for v in res.items() if res else []:
                if v.value == "secrets":
                    yield Hit(v.line, v.column, f"{o.kind} {o.name} can read secrets")


@R(
    make_rule(
        "k8s/rbac-pod-exec",
        "RBAC rule allows exec into pods",
        Severity.HIGH,
        "create on pods/exec or pods/attach gives a shell in any pod of the scope, with that "
        "pod's service account token and secrets.",
        "Do not grant pods/exec to automation; grant it to people through a break-glass role.",
        ROLE.replace('["configmaps"]', '["pods/exec"]').replace('["get", "list"]', '["create"]'),
        ROLE,
        cwe=("CWE-269",),
        references=(RBAC,),
    )
)
def rbac_exec(o: K8sObject) -> Iterator[Hit]:
    for r in _rules(o):
        res = r.get("resources")
        if _verbs(r) & {"create", "*"}:
            for v in res.items() if res else []:
                if v.value in ("pods/exec", "pods/attach"):
                    yield Hit(v.line, v.column, f"{o.kind} {o.name} allows {v.value}")


@R(
    make_rule(
        "k8s/rbac-escalation-verbs",
        "RBAC rule grants escalate, bind or impersonate",
        Severity.HIGH,
        "escalate and bind let a subject grant itself any permission; impersonate lets it act "
        "as any user or group, including cluster admins.",
        "Remove escalate/bind/impersonate; grant them only to cluster administrators.",
        ROLE.replace('["get", "list"]', '["get", "impersonate"]').replace(
            '["configmaps"]', '["users"]'
        ),
        ROLE,
        cwe=("CWE-269",),
        references=(RBAC,),
    )
)
def rbac_escalation(o: K8sObject) -> Iterator[Hit]:
    for r in _rules(o):
        verbs = r.get("verbs")
        for v in verbs.items() if verbs else []:
            if v.value in ("escalate", "bind", "impersonate"):
                yield Hit(v.line, v.column, f"{o.kind} {o.name} grants {v.value}")


BINDING = """
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ci-deployer
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: deployer
subjects:
  - kind: ServiceAccount
    name: ci
    namespace: ci
"""


@R(
    make_rule(
        "k8s/cluster-admin-binding",
        "Binding to cluster-admin",
        Severity.CRITICAL,
        "Binding a subject to cluster-admin gives it full control of the cluster; a leaked "
        "token of that service account is game over.",
        "Bind a role with only the permissions the subject needs.",
        BINDING.replace("name: deployer", "name: cluster-admin"),
        BINDING,
        cwe=("CWE-269",),
        references=(RBAC,),
    )
)
def cluster_admin(o: K8sObject) -> Iterator[Hit]:
    if o.kind in ("ClusterRoleBinding", "RoleBinding"):
        node = o.doc.get("roleRef", "name")
        if node is not None and node.value == "cluster-admin":
            yield _at(node, f"{o.kind} {o.name} grants cluster-admin")


@R(
    make_rule(
        "k8s/default-namespace",
        "Object in the default namespace",
        Severity.LOW,
        "The default namespace is shared by everything that forgot to pick one; policies, "
        "quotas and RBAC scoped to a namespace do not separate it from other workloads.",
        "Put workloads in a dedicated namespace.",
        _pod("namespace: shop", "namespace: default"),
        POD,
        cwe=("CWE-653",),
    )
)
def default_ns(o: K8sObject) -> Iterator[Hit]:
    node = o.doc.get("metadata", "namespace")
    if node is not None and node.value == "default":
        yield _at(node, f"{o.kind} {o.name} is in the default namespace")


@R(
    make_rule(
        "k8s/host-port",
        "Container binds a host port",
        Severity.MEDIUM,
        "hostPort opens the port on the node itself, bypassing Services and network policies, "
        "and pins the pod to nodes where the port is free.",
        "Expose the container through a Service instead of hostPort.",
        _pod(
            "      resources:",
            "      ports:\n        - containerPort: 8080\n          hostPort: 8080\n"
            "      resources:",
        ),
        _pod("      resources:", "      ports:\n        - containerPort: 8080\n      resources:"),
        cwe=("CWE-668",),
        references=(PSS + "#baseline",),
    )
)
def host_port(o: K8sObject) -> Iterator[Hit]:
    for c in o.containers:
        ports = c.get("ports")
        for p in ports.items() if ports else []:
            hp = p.get("hostPort")
            if hp is not None and hp.value not in (0, None):
                yield _at(hp, f"Container {_cname(c)} binds host port {hp.value}")


SAFE_SYSCTLS = {
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
}


@R(
    make_rule(
        "k8s/unsafe-sysctls",
        "Unsafe sysctl set",
        Severity.HIGH,
        "Sysctls outside the safe set are not namespaced or can affect the whole node "
        "(kernel parameters, other pods' networking).",
        "Use only the safe sysctls of the Pod Security Standards.",
        _pod(
            "    seccompProfile:",
            '    sysctls:\n      - name: kernel.msgmax\n        value: "65536"\n'
            "    seccompProfile:",
        ),
        _pod(
            "    seccompProfile:",
            '    sysctls:\n      - name: net.ipv4.tcp_syncookies\n        value: "1"\n'
            "    seccompProfile:",
        ),
        cwe=("CWE-668",),
        references=(PSS + "#baseline",),
    )
)
def unsafe_sysctls(o: K8sObject) -> Iterator[Hit]:
    node = _psc(o, "sysctls")
    for s in node.items() if node else []:
        name = s.get("name")
        # a sysctl may be written with "/" separators (net/ipv4/tcp_syncookies)
        if name is not None and str(name.value).replace("/", ".") not in SAFE_SYSCTLS:
            yield _at(name, f"Pod sets unsafe sysctl {name.value}")


# The profile types the Pod Security Standards allow (seccompProfile and appArmorProfile):
# Unconfined, and any other value (a typo such as "LocalPort"), runs without a profile.
_PROFILE_TYPES = ("RuntimeDefault", "Localhost")


@R(
    make_rule(
        "k8s/seccomp-unconfined",
        "Seccomp profile set to Unconfined (or a type that is not a profile)",
        Severity.MEDIUM,
        "Without a seccomp profile every system call is available to the container, "
        "including rarely needed ones behind many kernel exploits.",
        "Use seccompProfile.type: RuntimeDefault (or a Localhost profile).",
        _pod("type: RuntimeDefault", "type: Unconfined"),
        POD,
        cwe=("CWE-693",),
        references=(PSS + "#restricted",),
    )
)
def seccomp(o: K8sObject) -> Iterator[Hit]:
    nodes = [_psc(o, "seccompProfile", "type")] + [
        _csc(c, "seccompProfile", "type") for c in o.containers
    ]
    for node in nodes:
        if node is not None and node.value not in _PROFILE_TYPES:
            yield _at(node)
    for key, val, container in seccomp_annotations(o):
        if not seccomp_annotation_profile(val.value):
            who = f"Container {container}" if container is not None else f"{o.kind} {o.name}"
            yield _at(val, f"{who}: legacy seccomp annotation {val.value!s:.40}", key=key)


#: the legacy (alpha) seccomp annotations: the pod's, and one per container name
SECCOMP_POD_NOTE = "seccomp.security.alpha.kubernetes.io/pod"
SECCOMP_CONTAINER_NOTE = "container.seccomp.security.alpha.kubernetes.io/"


def template_annotations(o: K8sObject) -> list[Y]:
    """The object's annotations and its pod template's (a Pod's are its own)."""
    out = [o.doc.get("metadata", "annotations")]
    if o.kind == "CronJob":
        out.append(o.doc.get("spec", "jobTemplate", "spec", "template", "metadata", "annotations"))
    elif o.kind != "Pod":
        out.append(o.doc.get("spec", "template", "metadata", "annotations"))
    return [a for a in out if a is not None and a.is_map]


def seccomp_annotations(o: K8sObject) -> Iterator[tuple[str, Y, str | None]]:
    """(key, value, container name or None for the pod's) of each legacy seccomp annotation:
    the API server still copies them into a created pod's ``seccompProfile`` when the field
    is not set, so ``unconfined`` there runs the pod or container without a profile."""
    if o.pod is None:
        return
    for notes in template_annotations(o):
        for key, val in notes.mapping().items():
            if key == SECCOMP_POD_NOTE:
                yield key, val, None
            elif key.startswith(SECCOMP_CONTAINER_NOTE):
                yield key, val, key.removeprefix(SECCOMP_CONTAINER_NOTE)


def seccomp_annotation_profile(value: object) -> bool:
    """A legacy annotation value that names a profile (``runtime/default``, the older
    ``docker/default``, ``localhost/<file>``); ``unconfined`` and anything else do not."""
    text = str(value).strip()
    return text in ("runtime/default", "docker/default") or (
        text.startswith("localhost/") and len(text) > len("localhost/")
    )


@R(
    make_rule(
        "k8s/apparmor-unconfined",
        "AppArmor profile set to unconfined (or to a profile the baseline does not allow)",
        Severity.MEDIUM,
        "An unconfined AppArmor profile removes a mandatory access control layer that limits "
        "what a compromised process can touch.",
        "Use the runtime/default AppArmor profile.",
        _pod(
            "  namespace: shop",
            "  namespace: shop\n  annotations:\n"
            "    container.apparmor.security.beta.kubernetes.io/web: unconfined",
        ),
        _pod(
            "  namespace: shop",
            "  namespace: shop\n  annotations:\n"
            "    container.apparmor.security.beta.kubernetes.io/web: runtime/default",
        ),
        cwe=("CWE-693",),
        references=(PSS + "#baseline",),
    )
)
def apparmor(o: K8sObject) -> Iterator[Hit]:
    metas = [o.doc.get("metadata", "annotations")]
    if o.kind not in ("Pod",):
        tmpl = pod_spec(o.doc, o.kind)
        if tmpl is not None:
            metas.append(
                o.doc.get("spec", "jobTemplate", "spec", "template", "metadata", "annotations")
                if o.kind == "CronJob"
                else o.doc.get("spec", "template", "metadata", "annotations")
            )
    for notes in metas:
        for key, val in notes.mapping().items() if notes else []:
            if (
                key.startswith("container.apparmor.security.beta.kubernetes.io/")
                and val.value != "runtime/default"
                and not str(val.value).startswith("localhost/")
            ):
                yield _at(val, key=key)
    nodes = [_psc(o, "appArmorProfile", "type")] + [
        _csc(c, "appArmorProfile", "type") for c in o.containers
    ]
    for node in nodes:
        if node is not None and node.value not in _PROFILE_TYPES:
            yield _at(node)


CONFIGMAP = """
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
  namespace: shop
data:
  LOG_LEVEL: info
"""


#: NAME=value, name: value or name = value lines of a file embedded in a ConfigMap
_EMBEDDED_SETTING = re.compile(
    r"^\s*(?:export\s+)?(?P<name>[A-Za-z_][\w.-]*)\s*(?:=|:(?=\s))\s*(?P<value>[^\s#][^#]*)$"
)


@R(
    make_rule(
        "k8s/secret-in-configmap",
        "Secret stored in a ConfigMap",
        Severity.HIGH,
        "ConfigMaps are not meant for secrets: they are readable by far more subjects, are not "
        "encrypted at rest by default and are printed by tooling.",
        "Move the value to a Secret (or an external secret manager).",
        CONFIGMAP.rstrip("\n") + "\n  API_TOKEN: " + "tk_" + "8fQ2mZr7Lw\n",
        CONFIGMAP,
        cwe=("CWE-312",),
        tags=("iac", "secret"),
    )
)
def secret_in_configmap(o: K8sObject) -> Iterator[Hit]:
    if o.kind != "ConfigMap":
        return
    data = o.doc.get("data")
    for key, val in data.mapping().items() if data else []:
        if not isinstance(val.value, str):
            continue
        if "\n" not in val.value:
            line, col = val.at
            if looks_like_secret_name(key) and looks_like_literal_secret(val.value):
                yield Hit(
                    line, col, f"ConfigMap key {key} holds a secret", secret=val.value, key=key
                )
            elif m := _EMBEDDED_SETTING.match(val.value):
                # one NAME=value setting as the whole value (REDIS_PASSWORD=...)
                name, value = m.group("name"), m.group("value").strip().strip("'\"")
                if secret := secret_value(name, value):
                    yield Hit(
                        line,
                        col,
                        f"ConfigMap key {key}: setting {name} holds a secret",
                        secret=secret,
                        key=f"{key}:{name}",
                    )
            continue
        # an embedded file (application.properties, .env, YAML): its setting lines; a literal
        # block's lines start on the line after the key
        for i, text in enumerate(val.value.splitlines()):
            m = _EMBEDDED_SETTING.match(text)
            if m is None:
                continue
            name, value = m.group("name"), m.group("value").strip().strip("'\"")
            secret = secret_value(name, value)
            if secret:
                line = val.line + 1 + i
                yield Hit(
                    line,
                    1,
                    f"ConfigMap key {key}: setting {name} holds a secret",
                    secret=secret,
                    key=f"{key}:{name}",
                )


_KUBECONFIG = (
    "apiVersion: v1\nkind: Config\nclusters:\n  - name: prod\n    cluster:\n"
    "      server: https://k8s.example.com:6443\n"
    "      certificate-authority: /etc/kubernetes/prod-ca.crt\n"
    "contexts:\n  - name: prod\n    context: {cluster: prod, user: deployer}\n"
    "current-context: prod\nusers:\n  - name: deployer\n    user:\n"
)
#: a user's credentials written into the kubeconfig itself, by field
_KUBECONFIG_SECRETS = ("token", "password", "client-key-data")
_BASE64_KEY = re.compile(r"^[A-Za-z0-9+/=\s]{64,}$")


@R(
    make_rule(
        "k8s/kubeconfig-embedded-credentials",
        "kubeconfig holds a user's credentials",
        Severity.CRITICAL,
        "A kubeconfig whose user entry carries a bearer token, a password or the client "
        "certificate's private key (client-key-data) gives everyone who can read the "
        "repository, a build log or an artifact that user's access to the cluster; a token "
        "or key committed once stays in the history after the file changes.",
        "Keep kubeconfigs out of the repository; have clients obtain short-lived credentials "
        "(an exec credential plugin such as `aws eks get-token`, `gke-gcloud-auth-plugin` or "
        "kubelogin), or point at files outside the tree (token-file, client-key).",
        _KUBECONFIG
        + "      token: "
        + "eyJhbGciOiJSUzI1NiJ9."
        + "eyJzdWIiOiJkZXBsb3llciJ9.c2lnbmF0dXJl\n",
        _KUBECONFIG + "      exec:\n        apiVersion: client.authentication.k8s.io/v1beta1\n"
        "        command: aws\n        args: [eks, get-token, --cluster-name, prod]\n",
        cwe=("CWE-798",),
        references=("https://kubernetes.io/docs/reference/config-api/kubeconfig.v1/",),
        tags=("iac", "secret"),
    )
)
def kubeconfig_credentials(o: K8sObject) -> Iterator[Hit]:
    if o.kind != "Config":
        return
    users = o.doc.get("users")
    for entry in users.items() if users else []:
        user = entry.get("user") if isinstance(entry.value, dict) else None
        if user is None or not isinstance(user.value, dict):
            continue
        for key in _KUBECONFIG_SECRETS:
            node = user.get(key)
            if node is None or not isinstance(node.value, str):
                continue
            value = node.value.strip()
            literal = (
                bool(_BASE64_KEY.match(value))
                if key == "client-key-data"
                else looks_like_literal_secret(value)
            )
            if literal:
                line, col = node.at
                name = entry.scalar("name") or "?"
                yield Hit(
                    line,
                    col,
                    f"kubeconfig user {name} holds its {key} in the file",
                    secret=value,
                    key=f"{name}:{key}",
                )


_KUBECONFIG_USER = (
    "contexts:\n  - name: staging\n    context: {cluster: staging, user: ci}\n"
    "current-context: staging\nusers:\n  - name: ci\n    user:\n      exec:\n"
    "        apiVersion: client.authentication.k8s.io/v1beta1\n        command: aws\n"
    "        args: [eks, get-token, --cluster-name, staging]\n"
)


@R(
    make_rule(
        "k8s/kubeconfig-skip-tls-verify",
        "kubeconfig skips TLS verification of the API server",
        Severity.MEDIUM,
        "A cluster entry with insecure-skip-tls-verify true makes kubectl, Helm and every "
        "client that reads the kubeconfig accept any certificate for the API server: whoever "
        "can answer for the server's address (a hostile network, a spoofed DNS name) receives "
        "the user's bearer token or client certificate handshake and every request, and can "
        "answer them. A kubeconfig committed with it spreads the setting to every machine and "
        "pipeline that uses the file.",
        "Remove insecure-skip-tls-verify and set certificate-authority-data (or "
        "certificate-authority) to the CA that signed the API server's certificate.",
        "apiVersion: v1\nkind: Config\nclusters:\n  - name: staging\n    cluster:\n"
        "      server: https://k8s.staging.example.com:6443\n"
        "      insecure-skip-tls-verify: true\n" + _KUBECONFIG_USER,
        "apiVersion: v1\nkind: Config\nclusters:\n  - name: staging\n    cluster:\n"
        "      server: https://k8s.staging.example.com:6443\n"
        "      certificate-authority: /etc/kubernetes/staging-ca.crt\n" + _KUBECONFIG_USER,
        cwe=("CWE-295",),
        references=(
            "https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/",
            "https://kubernetes.io/docs/reference/config-api/kubeconfig.v1/",
        ),
    )
)
def kubeconfig_skip_tls(o: K8sObject) -> Iterator[Hit]:
    """Each cluster entry whose ``insecure-skip-tls-verify`` is true, at that line."""
    if o.kind != "Config":
        return
    clusters = o.doc.get("clusters")
    for entry in clusters.items() if clusters is not None and clusters.is_seq else []:
        cluster = entry.get("cluster") if entry.is_map else None
        flag = (
            cluster.get("insecure-skip-tls-verify")
            if cluster is not None and cluster.is_map
            else None
        )
        if flag is not None and flag.value is True:
            line, col = flag.at
            name = entry.scalar("name") or "?"
            yield Hit(
                line,
                col,
                f"kubeconfig: cluster {name} skips TLS verification of the API server",
                key=f"{name}:insecure-skip-tls-verify",
            )


# the other rule families register into REGISTRY when imported (after the helpers above exist)
from pipesec.scanners.iac import k8s_controlplane, k8s_network, k8s_rbac, k8s_workloads  # noqa: E402,F401
from pipesec.scanners.iac.k8s_data import kubernetes_checks  # noqa: E402

# the data rules (rules/kubernetes/*.yaml), after the Python ones
REGISTRY.checks.extend(kubernetes_checks())


def rules() -> list[Rule]:
    """Every Kubernetes rule, read when asked. Never a list made at import: a process that
    imports a family module first (``from ...k8s_controlplane import parse_flags``) imports
    this module from that module's first lines, and the import above finds the family only
    half run, so its rules register after this module's end (a list made here lacked them:
    99 of 157 rules, and the IaC rule catalogue cached that short list)."""
    return REGISTRY.rules()
