"""Worker process for large scans: ``python -m pipesec.scanners.pipelines.worker`` reads a
pickled list of jobs on standard input and writes the pickled list of outcomes.

A fresh interpreter run with ``-m`` (not multiprocessing) so that the caller's main module
is never re-imported; the pickles only travel between this process and its parent.
"""

from __future__ import annotations

import pickle
import sys


def main() -> None:
    from pipesec.scanners.pipelines.analyze import analyze_jobs

    jobs = pickle.load(sys.stdin.buffer)  # noqa: S301 - written by our own parent process
    out = analyze_jobs(jobs)
    pickle.dump(out, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
