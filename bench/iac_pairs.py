"""File-level recall and pair separation on good/bad IaC pairs, pipesec beside checkov.

    .venv/bin/python bench/iac_pairs.py [--no-checkov] [-v] [CORPUS]

CORPUS (default bench/corpus/iac-pairs, written by bench/make_iac_pairs.py) holds
<family>/<check>/bad/<file> and <family>/<check>/good/<file>. Every directory is scanned on
its own. Figures per family and in total:

- recall: bad files with a finding at warning or above (medium+) / at any level;
- pairs told apart: pairs whose bad file has a warning+ finding (and, second figure, a
  finding at any level) of a rule that does not fire on the good file: the check itself is
  seen, not only the file's other flaws;
- good files flagged: at any level, at warning+ and at error (high+), and (last column) the
  good files flagged by a rule of their own check (``OWN``): a fix form the rule does not
  know, as against the good file's other flaws (pipesec only: checkov's ids are not mapped).

checkov reports no severities in its open-source output: every failed check counts at every
level for it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _peers import ensure, version
from pipesec.core.model import Finding
from pipesec.core.scanner import ScannerSettings
from pipesec.core.workspace import Workspace
from pipesec.scanners.iac import IacScanner

WARN = {"critical", "high", "medium"}
ERROR = {"critical", "high"}

#: (rule, severity) per scanned directory, relative to the corpus: "aws/s3-versioning/bad"
Results = dict[str, list[tuple[str, str]]]

#: the rule(s) of each pair's own check (what tells the pair apart when the good file is
#: clean of it), fixed here so that a rule firing on the good file of its own check, a fix
#: form it does not know, shows as "good files flagged by their own check's rule"
OWN: dict[str, tuple[str, ...]] = {
    "aws/cloudfront-http": ("tf/aws-cloudfront-allows-http",),
    "aws/cloudtrail-validation": ("tf/aws-cloudtrail-log-validation-disabled",),
    "aws/dynamodb-pitr": ("tf/aws-dynamodb-pitr-disabled",),
    "aws/ebs-unencrypted": ("tf/aws-ebs-unencrypted",),
    "aws/ec2-imdsv1": ("tf/aws-imdsv1-allowed",),
    "aws/ecr-mutable": ("tf/aws-ecr-mutable-tags",),
    "aws/eks-public-endpoint": ("tf/aws-eks-public-endpoint",),
    "aws/elasticache-transit": ("tf/aws-elasticache-no-transit-encryption",),
    "aws/elb-http-listener": ("tf/aws-lb-http-listener",),
    "aws/iam-password-length": ("tf/aws-iam-password-too-short",),
    "aws/iam-wildcard-policy": ("tf/aws-iam-wildcard-policy",),
    "aws/kms-rotation": ("tf/aws-kms-rotation-disabled",),
    "aws/lambda-url-no-auth": ("tf/aws-lambda-url-no-auth",),
    "aws/msk-plaintext": ("tf/aws-msk-plaintext-allowed",),
    "aws/opensearch-https": ("tf/aws-opensearch-https-not-enforced",),
    "aws/rds-public": ("tf/aws-rds-public",),
    "aws/rds-unencrypted": ("tf/aws-rds-unencrypted",),
    "aws/redshift-public": ("tf/aws-redshift-public",),
    "aws/s3-public-access-block": (
        "tf/aws-s3-block-public-policy-disabled",
        "tf/aws-s3-restrict-public-buckets-disabled",
    ),
    "aws/s3-public-acl": ("tf/aws-s3-public-acl",),
    "aws/s3-versioning": ("tf/aws-s3-versioning-disabled",),
    "aws/sg-database-world": ("tf/aws-sg-open-sensitive-port",),
    "aws/sg-ssh-world": ("tf/aws-sg-open-ssh",),
    "aws/sqs-encryption-off": ("tf/aws-sqs-unencrypted",),
    "aws/subnet-public-ip": ("tf/aws-subnet-public-ip-on-launch",),
    "azure/acr-admin": ("tf/azure-acr-admin-enabled",),
    "azure/aks-rbac-legacy": ("tf/azure-aks-rbac-disabled",),
    "azure/appservice-https": ("tf/azure-appservice-http-allowed",),
    "azure/appservice-tls": ("tf/azure-appservice-weak-tls",),
    "azure/custom-role-owner": ("tf/azure-custom-role-all-actions",),
    "azure/keyvault-purge": ("tf/azure-keyvault-no-purge-protection",),
    "azure/linux-vm-password": ("tf/azure-vm-password-auth",),
    "azure/nic-ip-forwarding": ("tf/azure-nic-ip-forwarding",),
    "azure/nsg-rdp-world": ("tf/azure-nsg-open-rdp",),
    "azure/postgres-ssl": ("tf/azure-db-ssl-not-enforced",),
    "azure/sql-firewall-world": ("tf/azure-sql-firewall-open",),
    "azure/storage-http": ("tf/azure-storage-http-allowed",),
    "azure/storage-tls": ("tf/azure-storage-weak-tls",),
    "docker/add-remote-url": ("docker/add-url",),
    "docker/curl-pipe-shell": ("docker/curl-pipe-shell", "docker/run-pipe-without-pipefail"),
    "docker/latest-tag": ("docker/image-latest",),
    "docker/root-user": ("docker/root-user",),
    "docker/secret-in-env": ("docker/secret-in-env",),
    "docker/ssh-port": ("docker/ssh-port-exposed",),
    "docker/sudo": ("docker/sudo",),
    "docker/tls-off": ("docker/tls-verification-disabled",),
    "google/compute-serial-port": ("tf/gcp-instance-serial-port",),
    "google/dns-rsasha1": ("tf/gcp-dns-dnssec-rsasha1",),
    "google/firewall-ssh-world": ("tf/gcp-firewall-open-ssh",),
    "google/gcs-public": ("tf/gcp-gcs-public",),
    "google/gcs-uniform-access": ("tf/gcp-gcs-uniform-access-disabled",),
    "google/gke-legacy-abac": ("tf/gcp-gke-legacy-abac",),
    "google/iam-primitive-role": ("tf/gcp-iam-primitive-role",),
    "google/kms-rotation": ("tf/gcp-kms-rotation",),
    "google/personal-account": ("tf/gcp-iam-personal-account", "tf/gcp-iam-role-granted-to-user"),
    "google/sa-impersonation": ("tf/gcp-iam-service-account-impersonation",),
    "google/sql-public": ("tf/gcp-sql-public",),
    "google/sql-ssl": ("tf/gcp-sql-no-ssl",),
    "k8s/cluster-admin-binding": ("k8s/cluster-admin-binding",),
    "k8s/configmap-secret": ("k8s/secret-in-configmap",),
    "k8s/docker-socket": ("k8s/container-runtime-socket",),
    "k8s/host-network": ("k8s/host-network",),
    "k8s/host-pid": ("k8s/host-pid",),
    "k8s/image-latest": ("k8s/image-latest",),
    "k8s/memory-limit": ("k8s/missing-memory-limit",),
    "k8s/networkpolicy-selector": ("k8s/networkpolicy-no-pod-selector",),
    "k8s/nginx-auth-url": ("k8s/nginx-annotation-injection",),
    "k8s/nginx-snippet": ("k8s/nginx-snippet-annotation",),
    "k8s/privilege-escalation": ("k8s/privilege-escalation",),
    "k8s/privileged": ("k8s/privileged-container",),
    "k8s/rbac-wildcard": ("k8s/rbac-wildcard-resources", "k8s/rbac-wildcard-verbs"),
    "k8s/run-as-root": ("k8s/run-as-non-root-missing", "k8s/run-as-root"),
    "k8s/seccomp-unconfined": ("k8s/seccomp-profile-missing", "k8s/seccomp-unconfined"),
    "k8s/secrets-reader": ("k8s/rbac-secrets-read",),
    "k8s/sys-admin": ("k8s/dangerous-capabilities",),
}


def example_dirs(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.glob("*/*/*") if p.is_dir() and p.name in ("bad", "good"))


def pipesec_results(corpus: Path) -> Results:
    out: Results = {}
    for d in example_dirs(corpus):
        items = IacScanner().scan(Workspace(d, use_git=False), ScannerSettings())
        out[d.relative_to(corpus).as_posix()] = [
            (i.rule_id, i.severity.value) for i in items if isinstance(i, Finding)
        ]
    return out


def checkov_results(exe: Path, corpus: Path) -> Results:
    out: Results = {d.relative_to(corpus).as_posix(): [] for d in example_dirs(corpus)}
    proc = subprocess.run(
        [
            str(exe),
            "-d",
            str(corpus.resolve()),
            "-o",
            "json",
            "--quiet",
            "--compact",
            "--skip-download",
            "--download-external-modules",
            "false",
            "--framework",
            "terraform",
            "kubernetes",
            "dockerfile",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=tempfile.gettempdir(),
    )
    data = json.loads(proc.stdout or "[]")
    for run in data if isinstance(data, list) else [data]:
        for f in run.get("results", {}).get("failed_checks", []):
            key = Path(f["file_path"].lstrip("/")).parent.as_posix()
            if key in out:
                out[key].append((f["check_id"], "high"))
    return out


def figures(results: Results, mine: bool = True) -> dict[str, Counter[str]]:
    pairs: dict[str, dict[str, list[tuple[str, str]]]] = defaultdict(dict)
    for key, found in results.items():
        family, check, kind = key.split("/")
        pairs[f"{family}/{check}"][kind] = found
    fam: dict[str, Counter[str]] = defaultdict(Counter)
    for name, kinds in pairs.items():
        c = fam[name.split("/")[0]]
        bad, good = kinds.get("bad", []), kinds.get("good", [])
        c["pairs"] += 1
        c["bad_warn"] += any(s in WARN for _, s in bad)
        c["bad_any"] += bool(bad)
        c["good_any"] += bool(good)
        c["good_warn"] += any(s in WARN for _, s in good)
        c["good_error"] += any(s in ERROR for _, s in good)
        own = set(OWN.get(name, ())) if mine else set()
        c["own_any"] += any(r in own for r, _ in good)
        c["own_warn"] += any(r in own and s in WARN for r, s in good)
        c["own_error"] += any(r in own and s in ERROR for r, s in good)
        good_rules = {r for r, _ in good}
        c["apart"] += any(s in WARN and r not in good_rules for r, s in bad)
        c["apart_any"] += any(r not in good_rules for r, _ in bad)
    total: Counter[str] = Counter()
    for c in fam.values():
        total.update(c)
    fam["TOTAL"] = total
    return fam


def table(tool: str, fam: dict[str, Counter[str]], mine: bool = True) -> None:
    print(f"\n{tool}")
    print(
        f"{'family':8} {'pairs':>5}  {'recall warn+':>12}  {'recall any':>10}  "
        f"{'told apart warn+/any':>20}  {'good flagged any/warn+/error':>28}  "
        f"{'by own rule':>11}"
    )
    for name in sorted(fam, key=lambda n: (n == "TOTAL", n)):
        c = fam[name]
        n = c["pairs"] or 1
        apart = f"{c['apart']}/{c['apart_any']}"
        flagged = f"{c['good_any']}/{c['good_warn']}/{c['good_error']}"
        own = f"{c['own_any']}/{c['own_warn']}/{c['own_error']}" if mine else "-"
        print(
            f"{name:8} {c['pairs']:5}  {c['bad_warn'] / n:12.2f}  {c['bad_any'] / n:10.2f}  "
            f"{apart:>20}  {flagged:>28}  {own:>11}"
        )


def misses(results: Results) -> None:
    for key, found in sorted(results.items()):
        if key.endswith("/bad") and not any(s in WARN for _, s in found):
            print("  missed at warning+:", key, sorted({r for r, _ in found}))


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    corpus = Path(args[0]) if args else Path(__file__).parent / "corpus" / "iac-pairs"
    t = time.perf_counter()
    mine = pipesec_results(corpus)
    took = time.perf_counter() - t
    print(f"corpus: {corpus} ({len(mine) // 2} pairs)")
    table(f"pipesec ({took:.1f} s)", figures(mine))
    if "-v" in sys.argv:
        misses(mine)
    if "--no-checkov" in sys.argv:
        return
    exe = ensure("checkov")
    t = time.perf_counter()
    peer = checkov_results(exe, corpus)
    took = time.perf_counter() - t
    table(f"checkov {version(exe)} ({took:.1f} s)", figures(peer, mine=False), mine=False)
    if "-v" in sys.argv:
        misses(peer)


if __name__ == "__main__":
    main()
