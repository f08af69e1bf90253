"""Shared helpers for the benchmarks: where the reference data is, and how to print a table."""

from __future__ import annotations

import os
import resource
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SHARED_DATA = Path(os.environ.get("USEIT_SHARED_DATA", REPO.parent / "shared" / "data"))
ESCO_DIR = SHARED_DATA / "esco"
EVAL_DIR = SHARED_DATA / "eval"


def require(path: Path, what: str) -> None:
    """Exit 0 with a clear message when reference data is absent (benchmarks need it)."""
    if not path.exists():
        print(f"SKIPPED: {what} not found at {path} (set USEIT_SHARED_DATA to the shared data folder)")
        sys.exit(0)


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(out)
