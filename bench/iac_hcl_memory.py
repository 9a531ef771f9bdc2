"""Budgets of the Terraform parser on hostile inputs (issue 12, items 5 and 14).

Prints, for each input, the wall time and the peak memory of a fresh process that runs
``pipesec scan --scanner iac`` on one file: nested braces (tree-sitter's error recovery),
a file of newlines (memory per byte) and a realistic file, each at the parse budget and
over it. Run: ``.venv/bin/python bench/iac_hcl_memory.py``.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BLOCK = (
    'resource "aws_s3_bucket" "b{i}" {{\n  bucket = "my-bucket-{i}"\n  acl    = "private"\n'
    '  tags = {{\n    Name = "x"\n  }}\n}}\n\n'
)


def realistic(size: int) -> str:
    out, i = [], 0
    total = 0
    while total < size:
        b = BLOCK.format(i=i)
        out.append(b)
        total += len(b)
        i += 1
    return "".join(out)


CASES = {
    "100,000 nested braces (300 KB)": lambda: "a = " + "{ " * 100_000,
    "template nesting 20,000 deep": lambda: 'a = "' + "${" * 20_000 + "}" * 20_000 + '"\n',
    "1.9 MB of newlines (under the budget)": lambda: "a = 1\n" + "\n" * 1_900_000,
    "10 MB of newlines (over the budget)": lambda: "\n" * 10_000_000,
    "1.9 MB of realistic HCL (23,000 resources)": lambda: realistic(1_900_000),
    "1.9 MB of one comment line": lambda: "# " + "x" * 1_900_000 + "\n",
}


def main() -> None:
    exe = Path(sys.executable).with_name("pipesec")
    print(f"{'input':42} {'exit':>4} {'seconds':>8} {'peak MB':>8}")
    for name, make in CASES.items():
        with tempfile.TemporaryDirectory() as tmp:
            Path(tmp, "main.tf").write_text(make())
            start = time.perf_counter()
            proc = subprocess.run(
                [str(exe), "scan", tmp, "--scanner", "iac", "--no-progress", "--no-step-summary"],
                capture_output=True,
                check=False,
            )
            seconds = time.perf_counter() - start
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"{name:42} {proc.returncode:>4} {seconds:>8.2f} {peak:>8.0f}")
    print("(peak MB is the largest child so far: read each row as 'at most')")


if __name__ == "__main__":
    main()
