"""Generate the rule reference (docs/rules/) from rule metadata.

One Markdown page per rule family plus an index. Examples of rules that handle secrets
are redacted before they are written, so the reference never carries a credential whole
(pipesec's own secrets scan of the repository stays clean). ``check`` reports the pages
that differ from what is on disk, for the staleness test and ``pipesec rules docs --check``.

Run ``python -m pipesec.docs_gen [DIR]`` or ``pipesec rules docs``.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from pipesec.core.model import Rule
from pipesec.core.redact import preview

DEFAULT_DIR = Path("docs/rules")
FENCE = {"docker": "dockerfile", "k8s": "yaml", "compose": "yaml", "tf": "hcl", "gha": "yaml"}
FAMILY_TITLES = {
    "docker": "Dockerfile",
    "k8s": "Kubernetes",
    "tf": "Terraform",
    "compose": "Docker Compose",
    "bandit": "Python SAST (Bandit)",
}

_SECRET_KEY = re.compile(
    r"(?i)(?P<key>[\w.-]*(?:pass(?:word|wd)?|secret|token|api[_-]?key|access[_-]?key|private[_-]?key"
    r"|credential)[\w.-]*)(?P<sep>\"?\s*[=:]\s*\"?)(?P<val>[^\s\"',}]{4,})"
)
_URL_CRED = re.compile(r"(?P<pre>[a-z][a-z0-9+.-]*://[^\s:/@]+:)(?P<val>[^\s@/]{4,})(?=@)")
_TOKENS = re.compile(
    r"\b(?:AKIA|ASIA)[0-9A-Z]{12,}|\bgh[pousr]_[A-Za-z0-9]{20,}|\bxox[abpr]-[A-Za-z0-9-]{10,}"
    r"|\bsk_(?:live|test)_[A-Za-z0-9]{10,}|\bglpat-[A-Za-z0-9_-]{16,}|\bAIza[0-9A-Za-z_-]{30,}"
    r"|\bnpm_[A-Za-z0-9]{30,}"
    r"|-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----"
)
_PLACEHOLDERS = re.compile(r"^(?:<[^>]+>|\*+.*|[A-Za-z_]\w*\.[A-Za-z_].*)$|[(\[{$]")
_YAML_NAME_VALUE = re.compile(
    r"(?im)(?P<head>name:\s*[\"']?[\w.-]*(?:pass|secret|token|key|credential)[\w.-]*[\"']?\s*\n"
    r"\s*value:\s*[\"']?)(?P<val>[^\s\"']{4,})"
)


def is_secret_rule(rule: Rule) -> bool:
    return rule.family in ("secrets", "secret") or "secret" in rule.tags


def redact_example(text: str) -> str:
    """Mask credential-looking values (assignments to secret names, URL passwords, tokens)."""
    text = _TOKENS.sub(lambda m: preview(m.group(0)), text)
    text = _URL_CRED.sub(lambda m: m.group("pre") + preview(m.group("val")), text)
    text = _YAML_NAME_VALUE.sub(lambda m: m.group("head") + preview(m.group("val")), text)

    def key_repl(m: re.Match[str]) -> str:
        val = m.group("val")
        if _PLACEHOLDERS.search(val) or val.lower() in ("true", "false", "null", "none"):
            return m.group(0)
        return m.group("key") + m.group("sep") + preview(val)

    return _SECRET_KEY.sub(key_repl, text)


def redact_spans(text: str, spans: Iterable[tuple[int, int, int, int]]) -> str:
    """Replace each (start line, start col, end line, end col) span (1-based) by its preview."""
    lines = text.split("\n")
    for sl, sc, el, ec in sorted(spans, reverse=True):
        if not (1 <= sl <= el <= len(lines)):
            continue
        start = max(sc - 1, 0)
        end = ec - 1 if ec > 0 else len(lines[el - 1])
        if sl == el:
            line = lines[sl - 1]
            lines[sl - 1] = line[:start] + preview(line[start:end]) + line[end:]
        else:
            value = "\n".join([lines[sl - 1][start:], *lines[sl : el - 1], lines[el - 1][:end]])
            lines[sl - 1 : el] = [lines[sl - 1][:start] + preview(value) + lines[el - 1][end:]]
    return "\n".join(lines)


def _reader(data: bytes) -> Callable[[], bytes]:
    return lambda: data


def secret_spans(texts: Sequence[str]) -> dict[int, list[tuple[int, int, int, int]]]:
    """Where the installed secrets scanner finds credentials in each text (by index)."""
    from pipesec.core.engine import available, load_scanner
    from pipesec.core.model import Finding
    from pipesec.core.scanner import ScannerSettings
    from pipesec.core.workspace import Workspace, WorkspaceFile

    if "secrets" not in available():
        return {}
    files = []
    for i, t in enumerate(texts):
        data = t.encode("utf-8")
        files.append(WorkspaceFile(f"example-{i}.txt", len(data), _reader(data)))
    ws = Workspace(Path("."), files=files, use_git=False)
    spans: dict[int, list[tuple[int, int, int, int]]] = defaultdict(list)
    try:
        items = list(load_scanner("secrets").scan(ws, ScannerSettings()))
    except Exception:  # the reference must still be generated; the regexes still apply
        return {}
    for item in items:
        if isinstance(item, Finding) and item.location.path.startswith("example-"):
            idx = int(item.location.path[len("example-") : -len(".txt")])
            loc = item.location
            spans[idx].append((loc.start_line, loc.start_column, loc.end_line, loc.end_column))
    return spans


def _anchor(rule_id: str) -> str:
    return re.sub(r"[^a-z0-9 -]", "", rule_id.lower()).replace(" ", "-")


def render_rule(rule: Rule, examples: tuple[str, str] | None = None) -> str:
    fence = FENCE.get(rule.family, "")
    vulnerable, fixed = examples or (rule.vulnerable_example, rule.fixed_example)
    out = [f"## {rule.id}", "", f"**{rule.title}**", ""]
    meta = [f"Severity: {rule.severity.value}", f"confidence: {rule.confidence.value}"]
    if rule.cwe:
        meta.append("CWE: " + ", ".join(rule.cwe))
    out += [" · ".join(meta), "", rule.rationale.strip(), ""]
    if rule.remediation:
        out += [f"**Remediation:** {rule.remediation.strip()}", ""]
    if vulnerable:
        out += ["Vulnerable:", "", f"```{fence}", vulnerable.rstrip(), "```", ""]
    if fixed:
        out += ["Fixed:", "", f"```{fence}", fixed.rstrip(), "```", ""]
    if rule.references:
        out += ["References:", ""] + [f"- <{r}>" for r in rule.references] + [""]
    return "\n".join(out)


def safe_examples_for(rules: Sequence[Rule]) -> dict[str, tuple[str, str]]:
    """Each rule's (vulnerable, fixed) examples with credentials redacted."""
    texts = [t for r in rules for t in (r.vulnerable_example, r.fixed_example)]
    spans = secret_spans(texts)
    out: dict[str, tuple[str, str]] = {}
    for i, r in enumerate(rules):
        pair = []
        for j, t in enumerate((r.vulnerable_example, r.fixed_example)):
            t = redact_spans(t, spans.get(2 * i + j, []))
            pair.append(redact_example(t) if is_secret_rule(r) else t)
        out[r.id] = (pair[0], pair[1])
    return out


def render(rules: Iterable[Rule]) -> dict[str, str]:
    """File name -> content for every family page and the index."""
    by_family: dict[str, list[Rule]] = defaultdict(list)
    for r in rules:
        by_family[r.family].append(r)
    pages: dict[str, str] = {}
    index = [
        "# Rule reference",
        "",
        "Generated from rule metadata by `pipesec rules docs`; do not edit by hand.",
        "",
        "| Family | Rules |",
        "| --- | ---: |",
    ]
    all_rules = sorted((r for rs in by_family.values() for r in rs), key=lambda r: r.id)
    safe_examples = safe_examples_for(all_rules)
    for family in sorted(by_family):
        rules_f = sorted(by_family[family], key=lambda r: r.id)
        title = FAMILY_TITLES.get(family, family)
        safe = re.sub(r"[^a-z0-9_-]", "-", family.lower())
        index.append(f"| [{title}]({safe}.md) | {len(rules_f)} |")
        body = [
            f"# {title} rules (`{family}/`)",
            "",
            "Generated from rule metadata by `pipesec rules docs`; do not edit by hand.",
            "",
            "| Rule | Severity | Title |",
            "| --- | --- | --- |",
        ]
        for r in rules_f:
            title_cell = r.title.replace("|", "\\|")
            body.append(f"| [{r.id}](#{_anchor(r.id)}) | {r.severity.value} | {title_cell} |")
        body.append("")
        body += [render_rule(r, safe_examples[r.id]) for r in rules_f]
        pages[f"{safe}.md"] = "\n".join(body).rstrip() + "\n"
    index.append("")
    pages["README.md"] = "\n".join(index)
    return pages


def current_rules() -> list[Rule]:
    from pipesec.core.engine import all_rules

    return all_rules()


def write(directory: Path, rules: Sequence[Rule] | None = None) -> list[Path]:
    pages = render(rules if rules is not None else current_rules())
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in sorted(pages.items()):
        p = directory / name
        if not p.exists() or p.read_text(encoding="utf-8") != content:
            p.write_text(content, encoding="utf-8")
            written.append(p)
    for old in directory.glob("*.md"):
        if old.name not in pages:
            old.unlink()
            written.append(old)
    return written


def check(directory: Path, rules: Sequence[Rule] | None = None) -> list[str]:
    """Names of pages that are missing, stale or obsolete in ``directory``."""
    pages = render(rules if rules is not None else current_rules())
    stale = []
    for name, content in sorted(pages.items()):
        p = directory / name
        if not p.is_file() or p.read_text(encoding="utf-8") != content:
            stale.append(name)
    if directory.is_dir():
        stale += sorted(p.name for p in directory.glob("*.md") if p.name not in pages)
    return stale


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    directory = Path(args[0]) if args else DEFAULT_DIR
    changed = write(directory)
    for p in changed:
        sys.stdout.write(f"updated {p}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
