"""Run every benchmark and write the figures into benchmarks/README.md.

    python -m benchmarks            # all (make bench)
    python -m benchmarks hydro      # one group

Results are appended as JSON lines to benchmarks/results.jsonl; the table in README.md is
rewritten from this run's lines, with the machine they ran on.
"""

from __future__ import annotations

import importlib
import json
import sys
import time

from .common import HERE, machine
from .report import write_readme

GROUPS = {
    "hydro": "benchmarks.bench_hydro",
    "quality": "benchmarks.bench_quality",
}


def main(argv: list[str]) -> int:
    names = argv or list(GROUPS)
    unknown = [n for n in names if n not in GROUPS]
    if unknown:
        print(f"unknown benchmark group(s) {unknown}; known: {', '.join(GROUPS)}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    rows = []
    for name in names:
        print(f"== {name}", flush=True)
        rows += importlib.import_module(GROUPS[name]).run()
    info = machine()
    write_readme(HERE / "README.md", rows, info, time.perf_counter() - t0)
    print(json.dumps({"machine": info, "total_wall_s": round(time.perf_counter() - t0, 1)}))
    return 0


sys.exit(main(sys.argv[1:]))
