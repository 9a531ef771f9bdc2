"""Which files the iac scanner reads (cheap to import: checked before the parsers load)."""

from __future__ import annotations

import posixpath
import re

from pipesec.core.workspace import THIRD_PARTY_DIRS

_DOCKERFILE = re.compile(
    r"(?i)^(?:dockerfile|containerfile)(?:[.-][\w.-]+)?$|^[\w.-]+\.(?:dockerfile|containerfile)$"
)
_COMPOSE = re.compile(r"(?i)^(?:docker-)?compose(?:[.-][\w.-]+)?\.ya?ml$")
_TEMPLATE = re.compile(r"\{\{-?\s*[\w.$(\"]|\{\{-?\s*/\*")
MAX_DOCUMENTS = 10_000
#: directories of downloaded or installed third-party code, not the project's own IaC
SKIPPED_DIRS = THIRD_PARTY_DIRS | {".terraform"}
#: the names of a Kustomize overlay's file (rendered by :mod:`.kustomize`)
KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
HELM_NOTE = "Helm/Go template: not YAML until rendered; run `helm template` and scan the output"


#: suffixes that make ``Dockerfile.<x>`` something else (code, docs, templates)
_NOT_DOCKERFILE = re.compile(
    r"(?i)\.(?:py|pyc|md|rst|txt|json|ya?ml|toml|go|rs|js|ts|sh|html|j2|jinja2?|tpl|tmpl|erb"
    r"|bak|orig|swp|lock|sample|example|xml|pod)$"
)
_FROM_LINE = re.compile(r"(?im)^\s*FROM\s+\S")
#: ``Dockerfile.<x>`` where ``<x>`` is also a program's suffix: ``Dockerfile.php`` and
#: ``Dockerfile.java`` name a PHP or Java service's image, ``generate/dockerfile.pm`` is a
#: Perl program that writes one (its template's FROM line inside); read as a Dockerfile when
#: its first instruction is ``FROM`` (or ``ARG`` before it), as Docker requires (review18:
#: secprec18 left these names out whatever they held)
PROGRAM_SUFFIX = re.compile(
    r"(?i)\.(?:pm|pl|rb|php|java|kt|cs|c|h|cc|cpp|lua|groovy|scala|ex|exs|swift|mjs|cjs)$"
)
_FIRST_INSTRUCTION = re.compile(r"(?i)\A\ufeff?(?:[ \t]*(?:#[^\n]*)?\r?\n)*[ \t]*(?:FROM|ARG)[ \t]")


def starts_like_dockerfile(text: str) -> bool:
    """Whether the first instruction (after blank and comment lines) is ``FROM`` or ``ARG``."""
    return _FIRST_INSTRUCTION.match(text) is not None


#: the dependency lock file ``terraform init`` writes in the root module's directory
LOCK_FILE = ".terraform.lock.hcl"


def kind_of(name: str) -> str:
    """``docker``, ``compose``, ``tf``, ``yaml``, ``json``, ``template`` (CloudFormation's
    own suffix, YAML or JSON) or ``""`` for a file name."""
    if _DOCKERFILE.match(name):
        return "" if _NOT_DOCKERFILE.search(name) else "docker"
    if _COMPOSE.match(name):
        return "compose"
    lower = name.lower()
    if lower.endswith(".tf") or lower in ("terraform.tfvars", "terraform.tfvars.json"):
        return "tf"
    if lower == LOCK_FILE:  # the provider versions ``terraform init`` locked (tfproject)
        return "tf"
    if lower.endswith((".auto.tfvars", ".auto.tfvars.json")):
        return "tf"
    if lower.endswith((".yaml", ".yml")):
        return "yaml"
    if lower == "kubeconfig" or lower.endswith(".kubeconfig"):
        return "yaml"  # a kubeconfig (kind: Config) written without a YAML suffix
    if lower.endswith(".json"):
        return "json"
    if lower.endswith(".template"):
        return "template"
    return ""


#: kubeadm's kubeconfigs (``/etc/kubernetes/admin.conf`` ...) and kubectl's own
#: (``~/.kube/config``): names that say nothing alone, read when the content is a kubeconfig
_KUBECONFIG_NAMES = frozenset(
    {
        "admin.conf",
        "super-admin.conf",
        "kubelet.conf",
        "bootstrap-kubelet.conf",
        "controller-manager.conf",
        "scheduler.conf",
    }
)
_KUBECONFIG_KIND = re.compile(r"""(?m)^kind:[ \t]*["']?Config["']?[ \t]*(?:#.*)?\r?$""")
_KUBECONFIG_API = re.compile(r"""(?m)^apiVersion:[ \t]*["']?v1["']?[ \t]*(?:#.*)?\r?$""")
#: the same keys in JSON (at any depth by the pattern: the YAML parser and the rule's own
#: ``kind: Config`` test decide what the file is)
_KUBECONFIG_JSON_KIND = re.compile(r'"kind"\s*:\s*"Config"')
_KUBECONFIG_JSON_API = re.compile(r'"apiVersion"\s*:\s*"v1"')


def maybe_kubeconfig(path: str) -> bool:
    """Whether a file at ``path`` may be a kubeconfig by a name :func:`kind_of` does not
    take: ``config`` in a ``.kube`` directory, or one of kubeadm's ``*.conf`` files. Its
    content decides (:func:`looks_like_kubeconfig`)."""
    name = posixpath.basename(path)
    if name in _KUBECONFIG_NAMES:
        return True
    return name == "config" and posixpath.basename(posixpath.dirname(path)) == ".kube"


def looks_like_kubeconfig(text: str) -> bool:
    """A kubeconfig: top-level ``apiVersion: v1`` and ``kind: Config``, in YAML or in JSON
    (``kubectl config view -o json``, which kubectl reads back as well)."""
    # kubectl writes the keys in order (clusters and contexts before kind), so a kubeconfig
    # of many clusters holds kind: Config far from its start: the whole text is read
    if text.lstrip().startswith("{"):
        return bool(_KUBECONFIG_JSON_KIND.search(text) and _KUBECONFIG_JSON_API.search(text))
    return bool(_KUBECONFIG_KIND.search(text) and _KUBECONFIG_API.search(text))


def size_checked(kind: str) -> bool:
    """Whether a file of ``kind`` over the size limit is an error. A JSON file that big is
    not a CloudFormation template (the service takes at most 1 MB) and is mostly data."""
    return kind not in ("", "json")


#: terraform writes ``format_version`` first; a plan is decided on this much of a JSON file
PLAN_HEAD = 4096


def looks_like_plan(head: str) -> bool:
    """Whether the start of a JSON file is ``terraform show -json`` output."""
    head = head[:PLAN_HEAD]
    return (
        head.lstrip().startswith("{")
        and '"format_version"' in head
        and ('"terraform_version"' in head or '"planned_values"' in head)
    )


def looks_like_manifest(text: str) -> bool:
    """Whether a JSON document is a Kubernetes object (``kubectl apply`` takes JSON too): a
    top-level object with string ``apiVersion`` and ``kind``. A document nested too deeply
    for Python's JSON parser counts when its head has both keys: the Kubernetes parser then
    reports its depth as an input error (a manifest nobody can read is not passed over)."""
    head = text[:PLAN_HEAD]
    if not head.lstrip().startswith("{") or '"apiVersion"' not in text or '"kind"' not in text:
        return False
    import json

    try:
        doc = json.loads(text)
    except RecursionError:
        return bool(re.search(r'"apiVersion"\s*:', head) and re.search(r'"kind"\s*:', head))
    except ValueError:
        return False
    return (
        isinstance(doc, dict)
        and isinstance(doc.get("apiVersion"), str)
        and isinstance(doc.get("kind"), str)
    )
