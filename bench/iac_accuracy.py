"""Per-rule precision and recall of pipesec's IaC rules on the labelled corpus, and
checkov's on the same files for the overlapping checks.

    .venv/bin/python bench/iac_accuracy.py [--no-checkov] [--cfn-only]

Labels (bench/corpus/iac/labels.json) come from how the corpus was built
(bench/make_iac_corpus.py), not from either tool's output. A pipesec finding counts when
rule, file and line match a label exactly. A checkov failure counts when its check maps to
the labelled rule and its resource's line range contains the labelled line; "exact" says
how often checkov's reported line is the labelled line itself.

CloudFormation: every cfn/ rule's vulnerable and fixed example as a pair of templates
(bench/cfn_corpus.py). A tool tells a pair apart when it reports something on the
vulnerable template that it does not report on the fixed one (for pipesec: the rule itself;
for checkov: any failed check, which favours checkov). The examples are our own writing, so
pipesec's figure there is a self-test; checkov's says how many of the same flaws it sees.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _peers import ensure, version
from pipesec.core.model import Finding
from pipesec.core.scanner import ScannerSettings
from pipesec.core.workspace import Workspace
from pipesec.scanners.iac import IacScanner

#: generated corpus (bench/make_iac_corpus.py) and hand-written files labelled by reading them
CORPORA = (
    Path(__file__).parent / "corpus" / "iac",
    Path(__file__).parent / "corpus" / "iac-handwritten",
)

#: pipesec rule -> checkov checks that test the same thing
CHECKOV = {
    "docker/root-user": ("CKV_DOCKER_3", "CKV_DOCKER_8"),
    "docker/image-latest+image-untagged": ("CKV_DOCKER_7",),
    "docker/add-url": ("CKV_DOCKER_4",),
    "docker/ssh-port-exposed": ("CKV_DOCKER_1",),
    "docker/missing-healthcheck": ("CKV_DOCKER_2",),
    "docker/sudo": ("CKV2_DOCKER_1",),
    "docker/tls-verification-disabled": (
        "CKV2_DOCKER_2",
        "CKV2_DOCKER_3",
        "CKV2_DOCKER_4",
        "CKV2_DOCKER_13",
    ),
    "docker/package-signature-check-disabled": ("CKV2_DOCKER_7", "CKV2_DOCKER_8", "CKV2_DOCKER_9"),
    "k8s/privileged-container": ("CKV_K8S_16",),
    "k8s/privilege-escalation": ("CKV_K8S_20",),
    "k8s/run-as-root": ("CKV_K8S_40", "CKV_K8S_23"),
    "k8s/host-pid": ("CKV_K8S_17",),
    "k8s/host-ipc": ("CKV_K8S_18",),
    "k8s/host-network": ("CKV_K8S_19",),
    "k8s/default-namespace": ("CKV_K8S_21",),
    "k8s/writable-root-filesystem": ("CKV_K8S_22",),
    "k8s/dangerous-capabilities": ("CKV_K8S_25", "CKV_K8S_39"),
    "k8s/host-port": ("CKV_K8S_26",),
    "k8s/container-runtime-socket": ("CKV_K8S_27",),
    "k8s/seccomp-unconfined": ("CKV_K8S_31",),
    "k8s/service-account-token-automount": ("CKV_K8S_38",),
    "k8s/image-latest": ("CKV_K8S_14",),
    "k8s/image-no-digest": ("CKV_K8S_43",),
    "k8s/missing-memory-limit": ("CKV_K8S_13",),
    "k8s/missing-cpu-limit": ("CKV_K8S_11",),
    "k8s/rbac-wildcard-verbs+rbac-wildcard-resources": ("CKV_K8S_49",),
    "tf/aws-s3-public-acl": ("CKV_AWS_20", "CKV_AWS_57"),
    "tf/aws-s3-public-policy": ("CKV_AWS_70",),
    "tf/aws-s3-no-public-access-block+aws-s3-block-public-acls-disabled"
    "+aws-s3-block-public-policy-disabled+aws-s3-ignore-public-acls-disabled"
    "+aws-s3-restrict-public-buckets-disabled": (
        "CKV2_AWS_6",
        "CKV_AWS_53",
        "CKV_AWS_54",
        "CKV_AWS_55",
        "CKV_AWS_56",
    ),
    "tf/aws-s3-versioning-disabled": ("CKV_AWS_21",),
    "tf/aws-s3-access-logging-disabled": ("CKV_AWS_18",),
    "tf/aws-ebs-unencrypted": ("CKV_AWS_3",),
    "tf/aws-instance-root-unencrypted": ("CKV_AWS_8",),
    "tf/aws-rds-unencrypted": ("CKV_AWS_16",),
    "tf/aws-rds-public": ("CKV_AWS_17",),
    "tf/aws-rds-backup-disabled": ("CKV_AWS_133",),
    "tf/aws-sg-open-ssh": ("CKV_AWS_24",),
    "tf/aws-sg-open-rdp": ("CKV_AWS_25",),
    "tf/aws-sg-open-all-ports": ("CKV_AWS_277",),
    "tf/aws-iam-wildcard-policy": ("CKV_AWS_62", "CKV_AWS_63"),
    "tf/aws-kms-rotation-disabled": ("CKV_AWS_7",),
    "tf/aws-cloudtrail-log-validation-disabled": ("CKV_AWS_36",),
    "tf/aws-cloudtrail-logging-disabled": ("CKV_AWS_251",),
    "tf/aws-cloudtrail-not-encrypted": ("CKV_AWS_35",),
    "tf/aws-imdsv1-allowed": ("CKV_AWS_79",),
    "tf/aws-instance-public-ip": ("CKV_AWS_88",),
    "tf/aws-vpc-no-flow-logs": ("CKV2_AWS_11",),
    "tf/provider-hardcoded-credentials": ("CKV_AWS_41",),
    "tf/gcp-firewall-open-ssh": ("CKV_GCP_2",),
    "tf/gcp-firewall-open-rdp": ("CKV_GCP_3",),
    "tf/gcp-gcs-public": ("CKV_GCP_28",),
    "tf/gcp-gcs-uniform-access-disabled": ("CKV_GCP_29",),
    "tf/gcp-sql-public": ("CKV_GCP_11",),
    "tf/gcp-sql-no-ssl": ("CKV_GCP_6",),
    "tf/gcp-iam-primitive-role": ("CKV_GCP_117",),
    "tf/azure-nsg-open-ssh": ("CKV_AZURE_10",),
    "tf/azure-nsg-open-rdp": ("CKV_AZURE_9",),
    "tf/azure-storage-http-allowed": ("CKV_AZURE_3",),
    "tf/azure-storage-weak-tls": ("CKV_AZURE_44",),
    "tf/azure-sql-firewall-open": ("CKV_AZURE_11",),
    "tf/azure-storage-public-access": ("CKV_AZURE_190",),
    "tf/azure-keyvault-no-purge-protection": ("CKV_AZURE_110",),
}


def load_labels() -> set[tuple[str, str, int]]:
    """labels.json (from how the corpus was built) and labels-reviewed.json (findings of rules
    added after the corpus, each read and judged true; ``why`` says what the file lacks)."""
    out = set()
    for corpus in CORPORA:
        for name in ("labels.json", "labels-reviewed.json"):
            path = corpus / name
            data = json.loads(path.read_text()) if path.exists() else []
            out |= {(f"{corpus.name}/{d['file']}", d["rule"], int(d["line"])) for d in data}
    return out


def pipesec_findings() -> set[tuple[str, str, int]]:
    out = set()
    for corpus in CORPORA:
        items = IacScanner().scan(Workspace(corpus, use_git=False), ScannerSettings())
        out |= {
            (f"{corpus.name}/{i.location.path}", i.rule_id, i.location.start_line)
            for i in items
            if isinstance(i, Finding)
        }
    return out


def checkov_failures(exe: Path) -> list[tuple[str, str, int, int]]:
    return [
        (f"{corpus.name}/{path}", check, lo, hi)
        for corpus in CORPORA
        for path, check, lo, hi in checkov_failures_in(exe, corpus)
    ]


def checkov_failures_in(
    exe: Path,
    corpus: Path,
    frameworks: tuple[str, ...] = ("terraform", "kubernetes", "dockerfile"),
) -> list[tuple[str, str, int, int]]:
    proc = subprocess.run(
        [
            str(exe),
            "-d",
            str(corpus),
            "-o",
            "json",
            "--quiet",
            "--compact",
            "--skip-download",
            "--download-external-modules",
            "false",
            "--framework",
            *frameworks,
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=tempfile.gettempdir(),
    )
    data = json.loads(proc.stdout)
    runs = data if isinstance(data, list) else [data]
    out = []
    for run in runs:
        for f in run.get("results", {}).get("failed_checks", []):
            lo, hi = (f.get("file_line_range") or [0, 0])[:2]
            out.append((f["file_path"].lstrip("/"), f["check_id"], int(lo), int(hi)))
    return out


def rules_of(row: str) -> set[str]:
    """``fam/a+b`` -> {fam/a, fam/b}: one row for checks that cover several of our rules."""
    fam, _, names = row.partition("/")
    return {f"{fam}/{n}" for n in names.split("+")}


def pct(n: int, d: int) -> str:
    return f"{100 * n / d:5.1f}%" if d else "    -"


def row(name: str, tp: int, fp: int, fn: int, *extra: str) -> str:
    cells = f"{name:45} {tp:4} {fp:4} {fn:4}  {pct(tp, tp + fp):>9}  {pct(tp, tp + fn):>6}"
    return cells + "".join(f"  {e:>10}" for e in extra)


def cloudformation_pairs(checkov: bool) -> None:
    import cfn_corpus

    with tempfile.TemporaryDirectory(prefix="pipesec-cfn-pairs-") as tmp:
        root = Path(tmp)
        pairs = cfn_corpus.write(root)
        items = IacScanner().scan(Workspace(root, use_git=False), ScannerSettings())
        mine: dict[str, set[str]] = defaultdict(set)
        for i in items:
            if isinstance(i, Finding):
                mine[i.location.path].add(i.rule_id)
        rel = [(r, str(v.relative_to(root)), str(f.relative_to(root))) for r, v, f in pairs]
        hit = sum(r in mine[v] for r, v, _ in rel)
        apart = sum(r in mine[v] and r not in mine[f] for r, v, f in rel)
        print(f"\nCloudFormation: {len(rel)} pairs (our own rule examples)")
        print(f"{'tool':12} {'vulnerable flagged':>19} {'pairs told apart':>17}")
        print(f"{'pipesec':12} {pct(hit, len(rel)):>19} {pct(apart, len(rel)):>17}")
        if not checkov:
            return
        exe = ensure("checkov")
        ck: dict[str, set[str]] = defaultdict(set)
        for path, check, _, _ in checkov_failures_in(exe, root, ("cloudformation",)):
            ck[path].add(check)
        hit = sum(bool(ck[v]) for _, v, _ in rel)
        apart = sum(bool(ck[v] - ck[f]) for _, v, f in rel)
        print(f"{'checkov':12} {pct(hit, len(rel)):>19} {pct(apart, len(rel)):>17}")
        missed = sorted(r for r, v, f in rel if not ck[v] - ck[f])
        print(f"checkov does not tell apart: {', '.join(missed)}")


def main() -> None:
    if "--cfn-only" in sys.argv:
        cloudformation_pairs("--no-checkov" not in sys.argv)
        return
    labels = load_labels()
    found = pipesec_findings()
    rules = sorted({r for _, r, _ in labels} | {r for _, r, _ in found})
    print(f"corpus: {len({f for f, _, _ in labels})} labelled files, {len(labels)} labels")
    print("\npipesec (exact rule, file and line)")
    print(f"{'rule':45} {'TP':>4} {'FP':>4} {'FN':>4}  precision  recall")
    tot = [0, 0, 0]
    for rule in rules:
        lab = {x for x in labels if x[1] == rule}
        got = {x for x in found if x[1] == rule}
        tp, fp, fn = len(lab & got), len(got - lab), len(lab - got)
        tot = [tot[0] + tp, tot[1] + fp, tot[2] + fn]
        print(row(rule, tp, fp, fn))
    print(row("TOTAL", *tot))
    fp_list = sorted(found - labels)
    if fp_list:
        print("\nfindings without a label (counted as false positives):")
        for f in fp_list[:40]:
            print("  ", *f)
    if "--no-checkov" in sys.argv:
        return
    exe = ensure("checkov")
    print(f"\ncheckov {version(exe)} on the same files, overlapping checks only")
    fails = checkov_failures(exe)
    print(
        f"{'rule (checkov checks)':45} {'TP':>4} {'FP':>4} {'FN':>4}  precision  recall"
        "  exact line  same file"
    )
    ck = [0, 0, 0, 0, 0]
    ps = [0, 0, 0]
    for rule, ids in sorted(CHECKOV.items()):
        group = rules_of(rule)
        lab = [x for x in labels if x[1] in group]
        mine = [f for f in fails if f[1] in ids]
        by_file: dict[str, list[tuple[str, str, int, int]]] = defaultdict(list)
        for f in mine:
            by_file[f[0]].append(f)
        tp = exact = same_file = 0
        used: set[tuple[str, str, int, int]] = set()
        for file, _, line in lab:
            match = [f for f in by_file.get(file, []) if f[2] <= line <= f[3]]
            same_file += bool(by_file.get(file))
            if match:
                tp += 1
                used.update(match)
                exact += any(f[2] == line for f in match)
        # several checks (or resources) may report the same labelled flaw: count each once
        fp = len({(f[0], f[2]) for f in mine if f not in used})
        fn = len(lab) - tp
        if not lab and not mine:
            continue
        ck = [ck[0] + tp, ck[1] + fp, ck[2] + fn, ck[3] + exact, ck[4] + same_file]
        got = {x for x in found if x[1] in group}
        labs = set(lab)
        ps = [ps[0] + len(labs & got), ps[1] + len(got - labs), ps[2] + len(labs - got)]
        print(row(rule, tp, fp, fn, pct(exact, tp), pct(same_file, len(lab))))
    print(row("TOTAL checkov", *ck[:3], pct(ck[3], ck[0]), pct(ck[4], ck[0] + ck[2])))
    print(row("TOTAL pipesec (same rules)", *ps, pct(ps[0], ps[0]), pct(ps[0], ps[0] + ps[2])))
    cloudformation_pairs(True)


if __name__ == "__main__":
    main()
