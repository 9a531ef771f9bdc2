"""actions/checkout credentials: persisted tokens that end up in artifacts (artipacked) or
stay on disk for every later step."""

from __future__ import annotations

from pipesec.core.model import Confidence, Severity
from pipesec.core.yamlpos import YNode
from pipesec.scanners.pipelines.common import Ctx, Edit, rule
from pipesec.scanners.pipelines.gha_model import Step, Workflow

ARTIPACKED = rule(
    "gha/artipacked",
    "Checkout credentials persisted and the workspace uploaded as an artifact",
    Severity.HIGH,
    "actions/checkout writes the job token into .git/config unless `persist-credentials: "
    "false`; uploading the workspace (or .git) as an artifact publishes that token to "
    "everyone who can download artifacts, which for public repositories is everyone.",
    "Set `persist-credentials: false` on the checkout and upload only the build output "
    "directory; `pipesec fix` adds the option.",
    """on: push
permissions:
  contents: write  # push tags
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: make dist
      - uses: actions/upload-artifact@v4
        with:
          name: workspace
          path: .
""",
    """on: push
permissions:
  contents: write  # push tags
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - run: make dist
      - uses: actions/upload-artifact@v4
        with:
          name: dist
          path: dist/
""",
    cwe=("CWE-522",),
    references=("https://unit42.paloaltonetworks.com/github-repo-artifacts-leak-tokens/",),
)

PERSIST = rule(
    "gha/checkout-persist-credentials",
    "Checkout leaves the job token on disk for every later step",
    Severity.LOW,
    "Without `persist-credentials: false` the token stays in .git/config, readable by every "
    "later step, build script and dependency, even when only the first step needed it.",
    "Add `persist-credentials: false` to actions/checkout (and pass a token explicitly to "
    "the one step that pushes); `pipesec fix` adds the option.",
    """on: pull_request
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm ci && npm test
""",
    """on: pull_request
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - run: npm ci && npm test
""",
    cwe=("CWE-522",),
    confidence=Confidence.MEDIUM,
)

RULES = (ARTIPACKED, PERSIST)

WHOLE_WORKSPACE = (".", "./", "*", "**", "${{ github.workspace }}", ".git", "./.git", "**/*")


def _persists(step: Step) -> bool:
    w = step.with_
    if w is None:
        return True
    p = w.get("persist-credentials")
    return p is None or (p.text() or "").lower() != "false"


def _line_end_after(text: str, offset: int) -> int:
    if offset > 0 and text[offset - 1] == "\n":
        return offset
    nl = text.find("\n", offset)
    return len(text) if nl < 0 else nl + 1


def fix_edits(step: Step) -> tuple[Edit, ...]:
    """Add ``persist-credentials: false`` under the checkout's ``with:`` (or create it)."""
    doc = step.node.doc
    uses_key = step.node.key("uses")
    uses = step.uses_node
    if doc is None or uses_key is None or uses is None:
        return ()
    w = step.node.get("with")
    if w is not None:
        if not w.is_map or not w.value or doc.text[w.start] == "{":
            return ()
        first = next(iter(w.keys.values()))
        if "persist-credentials" in w.keys:
            node = w.value["persist-credentials"]
            return (Edit(node.start, node.end, "false"),)
        last = max(w.value.values(), key=lambda v: v.end)
        at = _line_end_after(doc.text, last.end)
        return (Edit(at, at, " " * (first.col - 1) + "persist-credentials: false\n"),)
    # a new `with:` at the indentation of the step's keys, after the last value of the step
    last_val: YNode = max(step.node.value.values(), key=lambda v: v.end)
    at = _line_end_after(doc.text, last_val.end)
    indent = " " * (uses_key.col - 1)
    return (Edit(at, at, f"{indent}with:\n{indent}  persist-credentials: false\n"),)


def check(wf: Workflow, ctx: Ctx) -> None:
    for job in wf.jobs:
        for i, step in enumerate(job.steps):
            if step.action != "actions/checkout" or not _persists(step):
                continue
            where = step.uses_node or step.node
            uploads = [
                s
                for s in job.steps[i + 1 :]
                if s.action == "actions/upload-artifact"
                and any(
                    (line.strip() in WHOLE_WORKSPACE or line.strip().startswith(".git"))
                    for line in (s.with_str("path") or "").splitlines()
                )
            ]
            edits = fix_edits(step)
            if uploads:
                ctx.hit(
                    ARTIPACKED,
                    where,
                    f"checkout in job '{job.id}' keeps the token in .git/config and step"
                    f" '{uploads[0].name()}' uploads the workspace",
                    identity=f"artipacked:{job.id}:{step.index}",
                    edits=edits,
                )
            else:
                ctx.hit(
                    PERSIST,
                    where,
                    f"checkout in job '{job.id}' persists the token for all later steps",
                    identity=f"persist:{job.id}:{step.index}",
                    edits=edits,
                )
