"""More pod and container rules (``k8s/<slug>``): probes, requests, seccomp, service
accounts, image pull policy, Pod Security Standards fields, sensitive volumes, secrets in
command lines, deprecated APIs and known-dangerous deployments (dashboard, Tiller)."""

from __future__ import annotations

from collections.abc import Iterator

from pipesec.core.model import Confidence, Severity
from pipesec.core.yamlpos import YNode as Y
from pipesec.scanners.iac import k8s_controlplane  # (a module: it may be importing us)
from pipesec.scanners.iac.common import Hit, make_rule, secret_value
from pipesec.scanners.iac.kubernetes import (
    POD,
    PSS,
    REGISTRY,
    K8sObject,
    _at,
    _cname,
    _csc,
    _pod,
    _psc,
    _volumes,
    seccomp_annotation_profile,
    seccomp_annotations,
    sensitive_host_path,
)

R = REGISTRY.rule
#: kinds that run to completion: liveness/readiness probes make no sense there
_BATCH = ("Job", "CronJob")
_PROBES = (
    "      livenessProbe:\n        httpGet: {path: /healthz, port: 8080}\n"
    "      readinessProbe:\n        httpGet: {path: /ready, port: 8080}\n"
)
#: the POD example with probes and requests: the fixed example of the rules below
FULL = _pod(
    "      resources:\n        limits:",
    _PROBES + "      resources:\n        requests:\n          cpu: 100m\n          memory: 128Mi\n"
    "        limits:",
)


def _full(old: str, new: str) -> str:
    assert old in FULL, old
    return FULL.replace(old, new, 1)


def _main_containers(o: K8sObject) -> list[Y]:
    group = o.pod.get("containers") if o.pod else None
    return [c for c in group.items() if isinstance(c.value, dict)] if group else []


def _probe_rule(probe: str, slug: str) -> None:
    @R(
        make_rule(
            f"k8s/{slug}",
            f"Container without a {probe}",
            Severity.LOW,
            f"Without a {probe} Kubernetes cannot tell a hung or not-yet-ready container from a "
            "healthy one: traffic goes to broken pods and a wedged process is never restarted "
            "(availability).",
            f"Define {probe} (httpGet, tcpSocket, grpc or exec) on every long-running container.",
            _full(
                "      livenessProbe:\n        httpGet: {path: /healthz, port: 8080}\n"
                if probe == "livenessProbe"
                else "      readinessProbe:\n        httpGet: {path: /ready, port: 8080}\n",
                "",
            ),
            FULL,
            cwe=("CWE-400",),
            confidence=Confidence.MEDIUM,
        )
    )
    def check(o: K8sObject) -> Iterator[Hit]:
        if o.kind in _BATCH or o.pod is None:
            return
        for c in _main_containers(o):
            if c.get(probe) is None:
                yield _at(c, f"Container {_cname(c)} has no {probe}")


_probe_rule("livenessProbe", "liveness-probe-missing")
_probe_rule("readinessProbe", "readiness-probe-missing")


def _request_rule(resource: str) -> None:
    @R(
        make_rule(
            f"k8s/missing-{resource}-request",
            f"Container without a {resource} request",
            Severity.LOW,
            f"Without a {resource} request the scheduler overcommits nodes and the container is "
            "among the first evicted or throttled under pressure (denial of service).",
            f"Set resources.requests.{resource} on every container.",
            _full(
                f"          {resource}: {'100m' if resource == 'cpu' else '128Mi'}\n", ""
            ).replace(f"          {resource}: {'500m' if resource == 'cpu' else '256Mi'}\n", ""),
            FULL,
            cwe=("CWE-770",),
        )
    )
    def check(o: K8sObject) -> Iterator[Hit]:
        for c in o.containers:
            req = c.get("resources", "requests")
            if f"requests.{resource}" in o.defaults:
                continue  # the namespace's LimitRange sets it
            if req is None or req.get(resource) is None:
                limits = c.get("resources", "limits")
                if limits is not None and limits.get(resource) is not None:
                    continue  # a limit alone sets the request to the same value
                where = req or c.get("resources") or c
                yield _at(where, f"Container {_cname(c)} has no {resource} request")


_request_rule("cpu")
_request_rule("memory")


@R(
    make_rule(
        "k8s/image-pull-policy",
        "Image pull policy is not Always",
        Severity.INFO,
        "With IfNotPresent (the default for tagged images) a node reuses whatever image it "
        "cached under that tag, so a re-pushed tag or an image another tenant pulled runs "
        "without the registry checking credentials.",
        "Set imagePullPolicy: Always (or pin images by digest).",
        _pod(
            "      securityContext:\n",
            "      imagePullPolicy: IfNotPresent\n      securityContext:\n",
        ),
        _pod("      securityContext:\n", "      imagePullPolicy: Always\n      securityContext:\n"),
        cwe=("CWE-1357",),
        confidence=Confidence.LOW,
    )
)
def pull_policy(o: K8sObject) -> Iterator[Hit]:
    for c in o.containers:
        node = c.get("imagePullPolicy")
        image = c.scalar("image")
        if node is not None and node.value in ("IfNotPresent", "Never"):
            yield _at(node, f"Container {_cname(c)} uses imagePullPolicy {node.value}")
        elif node is None and isinstance(image, str) and "@sha256:" not in image:
            tag = image.rsplit("/", 1)[-1].partition(":")[2]
            if tag and tag != "latest":
                yield _at(c, f"Container {_cname(c)} uses the default imagePullPolicy IfNotPresent")


@R(
    make_rule(
        "k8s/seccomp-profile-missing",
        "No seccomp profile set",
        Severity.MEDIUM,
        "Without seccompProfile RuntimeDefault (or Localhost) the container may run with every "
        "system call available, depending on the node's runtime defaults (the kubelet runs "
        "pods Unconfined unless its seccompDefault setting is on). The restricted Pod Security "
        "Standard requires a profile, as it requires dropping capabilities and no privilege "
        "escalation: medium by the severity policy (trivy low, KICS medium).",
        "Set securityContext.seccompProfile.type: RuntimeDefault on the pod.",
        _pod("    seccompProfile:\n      type: RuntimeDefault\n", ""),
        POD,
        cwe=("CWE-693",),
        references=(PSS + "#restricted",),
    )
)
def seccomp_missing(o: K8sObject) -> Iterator[Hit]:
    if o.pod is None:
        return
    # a legacy annotation with a profile counts as set (one that names none is
    # k8s/seccomp-unconfined's); a container's own annotation covers that container
    noted: set[str | None] = {
        container
        for _key, val, container in seccomp_annotations(o)
        if seccomp_annotation_profile(val.value)
    }
    if None in noted:
        return
    pod_type = _psc(o, "seccompProfile", "type")
    if pod_type is not None and pod_type.value in ("RuntimeDefault", "Localhost"):
        return
    for c in o.containers:
        t = _csc(c, "seccompProfile", "type")
        if t is None and _cname(c) not in noted:
            yield _at(c, f"Container {_cname(c)} has no seccomp profile")


@R(
    make_rule(
        "k8s/low-uid",
        "Container runs with a low UID",
        Severity.INFO,
        "UIDs below 10000 may collide with a user on the node; after a container escape the "
        "process then has that host user's rights.",
        "Run as a UID of 10000 or more.",
        _pod("runAsNonRoot: true", "runAsNonRoot: true\n    runAsUser: 1000"),
        _pod("runAsNonRoot: true", "runAsNonRoot: true\n    runAsUser: 10001"),
        cwe=("CWE-250",),
        confidence=Confidence.LOW,
    )
)
def low_uid(o: K8sObject) -> Iterator[Hit]:
    nodes = [_psc(o, "runAsUser")] + [_csc(c, "runAsUser") for c in o.containers]
    for node in nodes:
        if node is not None and isinstance(node.value, int) and 0 < node.value < 10000:
            yield _at(node, f"runAsUser {node.value} is below 10000")


@R(
    make_rule(
        "k8s/run-as-group-root",
        "Container runs with GID 0",
        Severity.LOW,
        "runAsGroup: 0 gives the process the root group: it can read and write files that are "
        "group-owned by root, on the image and on mounted volumes.",
        "Set runAsGroup to a non-zero GID.",
        _pod("runAsNonRoot: true", "runAsNonRoot: true\n    runAsGroup: 0"),
        _pod("runAsNonRoot: true", "runAsNonRoot: true\n    runAsGroup: 10001"),
        cwe=("CWE-250",),
    )
)
def run_as_group_root(o: K8sObject) -> Iterator[Hit]:
    nodes = [_psc(o, "runAsGroup")] + [_csc(c, "runAsGroup") for c in o.containers]
    for node in nodes:
        if node is not None and node.value == 0:
            yield _at(node, "runAsGroup 0 (root group)")


@R(
    make_rule(
        "k8s/default-service-account",
        "Workload uses the default service account",
        Severity.LOW,
        "The default service account is shared by every pod of the namespace that names none; "
        "rights granted to it for one workload leak to all the others.",
        "Create a dedicated service account per workload and set serviceAccountName.",
        _pod(
            "  automountServiceAccountToken: false",
            "  serviceAccountName: default\n  automountServiceAccountToken: false",
        ),
        _pod(
            "  automountServiceAccountToken: false",
            "  serviceAccountName: web\n  automountServiceAccountToken: false",
        ),
        cwe=("CWE-250",),
    )
)
def default_sa(o: K8sObject) -> Iterator[Hit]:
    for key in ("serviceAccountName", "serviceAccount"):
        node = o.pod.get(key) if o.pod else None
        if node is not None and node.value == "default":
            yield _at(node, f"Pod uses the default service account ({key})")


SERVICE_ACCOUNT = """
apiVersion: v1
kind: ServiceAccount
metadata:
  name: default
  namespace: shop
automountServiceAccountToken: false
"""


@R(
    make_rule(
        "k8s/secret-as-env",
        "Secret exposed as an environment variable",
        Severity.INFO,
        "Environment variables leak: they are inherited by child processes, printed by crash "
        "reporters and debug endpoints and readable in /proc; a mounted file is safer.",
        "Mount the Secret as a volume and read the value from the file.",
        _pod(
            "      resources:",
            "      env:\n        - name: DB_PASSWORD\n          valueFrom:\n"
            "            secretKeyRef: {name: db, key: password}\n      resources:",
        ),
        _pod(
            "      resources:",
            "      volumeMounts:\n        - name: db\n"
            "          mountPath: /run/secrets/db\n          readOnly: true\n      resources:",
        ),
        cwe=("CWE-526",),
        confidence=Confidence.LOW,
    )
)
def secret_env(o: K8sObject) -> Iterator[Hit]:
    for c in o.containers:
        env = c.get("env")
        for item in env.items() if env else []:
            ref = item.get("valueFrom", "secretKeyRef")
            if ref is not None:
                yield _at(
                    ref,
                    f"Container {_cname(c)} reads a Secret into env",
                    key=str(item.scalar("name")),
                )
        env_from = c.get("envFrom")
        for item in env_from.items() if env_from else []:
            ref = item.get("secretRef")
            if ref is not None:
                yield _at(ref, f"Container {_cname(c)} loads a whole Secret into env")


@R(
    make_rule(
        "k8s/windows-host-process",
        "Windows HostProcess container",
        Severity.HIGH,
        "A HostProcess container runs directly on the Windows node with its privileges: it is "
        "the node.",
        "Remove windowsOptions.hostProcess: true.",
        _pod(
            "    runAsNonRoot: true",
            "    runAsNonRoot: true\n    windowsOptions:\n      hostProcess: true",
        ),
        POD,
        cwe=("CWE-250",),
        references=(PSS + "#baseline",),
    )
)
def host_process(o: K8sObject) -> Iterator[Hit]:
    nodes = [_psc(o, "windowsOptions", "hostProcess")] + [
        _csc(c, "windowsOptions", "hostProcess") for c in o.containers
    ]
    for node in nodes:
        if node is not None and node.value is True:
            yield _at(node)


_SELINUX_TYPES = {"", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"}


@R(
    make_rule(
        "k8s/selinux-custom-options",
        "Custom SELinux user, role or type",
        Severity.MEDIUM,
        "Setting an SELinux type outside the container types, or any SELinux user or role, can "
        "lift the mandatory access control that confines the container (spc_t is unconfined).",
        "Remove seLinuxOptions.type/user/role; set only level if needed.",
        _pod(
            "    runAsNonRoot: true",
            "    runAsNonRoot: true\n    seLinuxOptions:\n      type: spc_t",
        ),
        _pod(
            "    runAsNonRoot: true",
            '    runAsNonRoot: true\n    seLinuxOptions:\n      level: "s0:c123,c456"',
        ),
        cwe=("CWE-693",),
        references=(PSS + "#baseline",),
    )
)
def selinux(o: K8sObject) -> Iterator[Hit]:
    opts = [_psc(o, "seLinuxOptions")] + [_csc(c, "seLinuxOptions") for c in o.containers]
    for node in opts:
        if node is None:
            continue
        t = node.get("type")
        if t is not None and str(t.value) not in _SELINUX_TYPES:
            yield _at(t, f"SELinux type {t.value}")
        for key in ("user", "role"):
            v = node.get(key)
            if v is not None and v.value:
                yield _at(v, f"SELinux {key} {v.value}", key=key)


_RESTRICTED_VOLUMES = {
    "name",
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "persistentVolumeClaim",
    "projected",
    "secret",
    "hostPath",  # reported by k8s/host-path-volume
    "gitRepo",  # reported by k8s/gitrepo-volume
    "image",
}


@R(
    make_rule(
        "k8s/restricted-volume-type",
        "Volume type outside the restricted set",
        Severity.LOW,
        "Direct volume types (nfs, iscsi, cephfs, flexVolume, rbd ...) bypass the persistent "
        "volume claim layer: the pod names storage and credentials itself, and some drivers "
        "run on the node with its privileges.",
        "Use a PersistentVolumeClaim (or configMap, secret, emptyDir, projected, csi).",
        POD.rstrip("\n") + "\n  volumes:\n    - name: data\n      nfs:\n"
        "        server: 10.0.0.5\n        path: /exports\n",
        POD.rstrip("\n") + "\n  volumes:\n    - name: data\n      persistentVolumeClaim:\n"
        "        claimName: data\n",
        cwe=("CWE-668",),
        references=(PSS + "#restricted",),
    )
)
def restricted_volumes(o: K8sObject) -> Iterator[Hit]:
    for v in _volumes(o):
        for key, node in v.mapping().items():
            if key not in _RESTRICTED_VOLUMES:
                yield _at(node, f"Volume {v.scalar('name')} uses {key}", key=key)


@R(
    make_rule(
        "k8s/host-path-sensitive",
        "Sensitive host directory mounted",
        Severity.HIGH,
        "Mounting /, /etc, /proc, /var/lib/kubelet, /etc/kubernetes or another system directory "
        "gives the pod the node's credentials and configuration: a short step to root on the node.",
        "Do not mount system directories of the node; use a narrowly scoped volume.",
        POD.rstrip("\n") + "\n  volumes:\n    - name: etc\n      hostPath:\n        path: /etc\n",
        POD.rstrip("\n") + "\n  volumes:\n    - name: etc\n      emptyDir: {}\n",
        cwe=("CWE-668",),
        references=(PSS + "#baseline",),
    )
)
def host_path_sensitive(o: K8sObject) -> Iterator[Hit]:
    for v in _volumes(o):
        path = v.get("hostPath", "path")
        if path is not None and isinstance(path.value, str) and sensitive_host_path(path.value):
            where = v.get("hostPath") or path
            yield _at(where, f"Volume {v.scalar('name')} mounts {path.value} of the node")


@R(
    make_rule(
        "k8s/gitrepo-volume",
        "gitRepo volume",
        Severity.HIGH,
        "The deprecated gitRepo volume runs git on the node as root with the pod author's "
        "arguments; hooks in the cloned repository execute on the node (CVE-2024-10220).",
        "Clone in an init container into an emptyDir instead.",
        POD.rstrip("\n") + "\n  volumes:\n    - name: src\n      gitRepo:\n"
        "        repository: https://example.com/app.git\n",
        POD.rstrip("\n") + "\n  volumes:\n    - name: src\n      emptyDir: {}\n",
        cwe=("CWE-94",),
        references=("https://nvd.nist.gov/vuln/detail/CVE-2024-10220",),
    )
)
def gitrepo(o: K8sObject) -> Iterator[Hit]:
    for v in _volumes(o):
        node = v.get("gitRepo")
        if node is not None:
            yield _at(node, f"Volume {v.scalar('name')} is a gitRepo volume")


@R(
    make_rule(
        "k8s/added-capabilities",
        "Container adds Linux capabilities",
        Severity.MEDIUM,
        "The restricted Pod Security Standard allows adding only NET_BIND_SERVICE; every other "
        "added capability widens what a compromised process can do.",
        "Drop ALL and add back nothing but NET_BIND_SERVICE when truly needed.",
        _pod('drop: ["ALL"]', 'drop: ["ALL"]\n          add: ["CHOWN"]'),
        _pod('drop: ["ALL"]', 'drop: ["ALL"]\n          add: ["NET_BIND_SERVICE"]'),
        cwe=("CWE-250",),
        references=(PSS + "#restricted",),
    )
)
def added_caps(o: K8sObject) -> Iterator[Hit]:
    from pipesec.scanners.iac.kubernetes import DANGEROUS_CAPS

    for c in o.containers:
        add = _csc(c, "capabilities", "add")
        for item in add.items() if add else []:
            cap = str(item.value).upper().removeprefix("CAP_")
            if cap != "NET_BIND_SERVICE" and cap not in DANGEROUS_CAPS:
                yield Hit(item.line, item.column, f"Container {_cname(c)} adds {cap}", key=cap)


@R(
    make_rule(
        "k8s/secret-in-command",
        "Secret as a literal command-line argument",
        Severity.HIGH,
        "A password or token passed as --password=... is stored in the manifest and visible in "
        "every process listing on the node.",
        "Read it from a mounted Secret file (or an environment variable from a Secret).",
        _pod(
            "      securityContext:\n        allow",
            "      args:\n        - --db-password="
            + "Xq7"
            + "-vR2m-9Lp\n      securityContext:\n        allow",
        ),
        _pod(
            "      securityContext:\n        allow",
            "      args:\n"
            "        - --db-password-file=/run/secrets/db/password\n"
            "      securityContext:\n        allow",
        ),
        cwe=("CWE-798",),
        tags=("iac", "secret"),
    )
)
def secret_in_command(o: K8sObject) -> Iterator[Hit]:
    for c in o.containers:
        for tok, node in k8s_controlplane.command_tokens(c):
            name, eq, value = tok.lstrip("-").partition("=")
            if not eq or not tok.startswith("-"):
                continue
            secret = secret_value(name, value.strip("'\""))
            if secret:
                yield Hit(
                    node.line,
                    node.column,
                    f"Argument --{name} holds a literal secret",
                    secret=secret,
                    key=name,
                )


_DEPRECATED = {
    "extensions/v1beta1": "apps/v1 (workloads) or networking.k8s.io/v1 (Ingress, NetworkPolicy)",
    "apps/v1beta1": "apps/v1",
    "apps/v1beta2": "apps/v1",
    "batch/v1beta1": "batch/v1",
    "networking.k8s.io/v1beta1": "networking.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1": "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1alpha1": "rbac.authorization.k8s.io/v1",
    "policy/v1beta1": "policy/v1 (PodSecurityPolicy was removed: use Pod Security Admission)",
    "admissionregistration.k8s.io/v1beta1": "admissionregistration.k8s.io/v1",
}


@R(
    make_rule(
        "k8s/deprecated-api-version",
        "Removed or deprecated API version",
        Severity.INFO,
        "Objects on removed API versions are rejected by current clusters, and manifests that "
        "still use them usually predate the security defaults of the current versions.",
        "Move the object to the current API version.",
        "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: web\n"
        "  namespace: shop\nspec:\n  backend:\n    serviceName: web\n    servicePort: 80\n",
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n"
        "  namespace: shop\nspec:\n  defaultBackend:\n    service:\n      name: web\n"
        "      port: {number: 80}\n",
    )
)
def deprecated_api(o: K8sObject) -> Iterator[Hit]:
    node = o.doc.get("apiVersion")
    if node is not None and node.value in _DEPRECATED:
        yield _at(node, f"{o.kind} uses {node.value}; use {_DEPRECATED[node.value]}")


@R(
    make_rule(
        "k8s/ssh-port",
        "SSH port exposed",
        Severity.LOW,
        "An SSH server in a container or behind a Service is a remote shell entry point that "
        "bypasses Kubernetes' RBAC and audit (kubectl exec is audited; ssh is not).",
        "Remove the SSH server; use kubectl exec or an audited bastion.",
        _pod("      resources:", "      ports:\n        - containerPort: 22\n      resources:"),
        _pod("      resources:", "      ports:\n        - containerPort: 8080\n      resources:"),
        cwe=("CWE-284",),
        confidence=Confidence.MEDIUM,
    )
)
def ssh_port(o: K8sObject) -> Iterator[Hit]:
    for c in o.containers:
        ports = c.get("ports")
        for p in ports.items() if ports else []:
            node = p.get("containerPort")
            if node is not None and node.value == 22:
                yield _at(node, f"Container {_cname(c)} exposes port 22")
    if o.kind == "Service":
        ports = o.doc.get("spec", "ports")
        for p in ports.items() if ports else []:
            for key in ("port", "targetPort"):
                node = p.get(key)
                if node is not None and node.value == 22:
                    yield _at(node, f"Service {o.name} exposes port 22", key=key)
                    break


def _images(o: K8sObject) -> Iterator[tuple[Y, str]]:
    for c in o.containers:
        node = c.get("image")
        if node is not None and isinstance(node.value, str):
            yield node, node.value.lower()


@R(
    make_rule(
        "k8s/kubernetes-dashboard",
        "Kubernetes Dashboard deployed",
        Severity.MEDIUM,
        "The Dashboard is a frequent way into clusters: exposed or bound to a powerful service "
        "account it hands out cluster control through a web page.",
        "Do not deploy the Dashboard; use kubectl with per-user credentials, or keep it "
        "private with a read-only account.",
        _pod(
            "registry.example.com/web:1.4.2@sha256:9f86d081884c",
            "kubernetesui/dashboard:v2.7.0@sha256:2e500d29e9d5",
        ),
        POD,
        cwe=("CWE-284",),
        confidence=Confidence.MEDIUM,
    )
)
def dashboard(o: K8sObject) -> Iterator[Hit]:
    for node, image in _images(o):
        name = image.split("@")[0].rsplit(":", 1)[0]
        if name.endswith(
            ("kubernetesui/dashboard", "/kubernetes-dashboard-amd64", "kubernetes-dashboard")
        ):
            yield _at(node, f"{o.kind} {o.name} runs the Kubernetes Dashboard")


@R(
    make_rule(
        "k8s/tiller-deployed",
        "Helm 2 Tiller deployed",
        Severity.HIGH,
        "Tiller (Helm 2, end of life) listens unauthenticated on port 44134 inside the cluster "
        "with cluster-admin rights: any pod can install anything.",
        "Remove Tiller and use Helm 3, which has no in-cluster component.",
        _pod(
            "registry.example.com/web:1.4.2@sha256:9f86d081884c",
            "gcr.io/kubernetes-helm/tiller:v2.16.12",
        ),
        POD,
        cwe=("CWE-306",),
    )
)
def tiller(o: K8sObject) -> Iterator[Hit]:
    for node, image in _images(o):
        name = image.split("@", 1)[0].rsplit("/", 1)[-1].split(":", 1)[0]
        if name == "tiller":
            yield _at(node, f"{o.kind} {o.name} runs Tiller")
    if o.kind == "Service":
        sel = o.doc.get("spec", "selector")
        if sel is not None and sel.scalar("app") == "helm" and sel.scalar("name") == "tiller":
            yield _at(sel, f"Service {o.name} exposes Tiller")
