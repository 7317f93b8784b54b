"""Run every benchmark and write the figures into benchmarks/README.md.

    python -m benchmarks            # all (make bench)
    python -m benchmarks hydro      # one group

Results are appended as JSON lines to benchmarks/results.jsonl. A run of every group
rewrites the table in README.md from its lines, with the machine they ran on and its load
(the machine may be shared); a run of some groups leaves README.md as it is.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time

from .common import HERE, machine
from .report import write_readme

GROUPS = {
    "hydro": "benchmarks.bench_hydro",
    "quality": "benchmarks.bench_quality",
    "swmm": "benchmarks.bench_swmm",
    "kunshan": "benchmarks.bench_kunshan",
    "compare": "benchmarks.bench_compare",
    "forcing": "benchmarks.bench_forcing",
}


def main(argv: list[str]) -> int:
    names = argv or list(GROUPS)
    unknown = [n for n in names if n not in GROUPS]
    if unknown:
        print(f"unknown benchmark group(s) {unknown}; known: {', '.join(GROUPS)}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    load0 = os.getloadavg()[0]
    rows, walls = [], {}
    for name in names:
        print(f"== {name}", flush=True)
        g0 = time.perf_counter()
        rows += importlib.import_module(GROUPS[name]).run()
        walls[name] = round(time.perf_counter() - g0, 1)
    info = machine()
    info["load_average"] = f"{load0:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    info["group_wall_s"] = walls
    wall = time.perf_counter() - t0
    if set(names) == set(GROUPS):
        write_readme(HERE / "README.md", rows, info, wall)
    else:
        print("README.md is rewritten by a run of every group only", file=sys.stderr)
    print(json.dumps({"machine": info, "total_wall_s": round(wall, 1)}))
    return 0


sys.exit(main(sys.argv[1:]))
