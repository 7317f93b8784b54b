"""Child process of the JIT benchmark: time importing twin, setting up a model, its first
step (numba compiles the kernels here, or loads them from its cache) and the next steps.

    NUMBA_CACHE_DIR=/some/dir python -m benchmarks.jit_child SCENARIO HOURS

Prints one JSON line of times (s).
"""

from __future__ import annotations

import dataclasses
import json
import sys
import time
from datetime import timedelta


def main(argv: list[str]) -> int:
    scenario, hours = argv[0], float(argv[1])
    t0 = time.perf_counter()
    from twin.run.load import load_checked_scenario
    from twin.run.model import Model

    t1 = time.perf_counter()
    cfg = load_checked_scenario(scenario)
    run = cfg.run.model_copy(update={"end": cfg.run.start + timedelta(hours=hours)})
    model = Model(dataclasses.replace(cfg, run=run))
    t2 = time.perf_counter()
    model.step()
    t3 = time.perf_counter()
    n = 0
    while model.time < model.end - 1e-6 * model.dt:
        model.step()
        n += 1
    t4 = time.perf_counter()
    out = {
        "import_s": t1 - t0,
        "setup_s": t2 - t1,
        "first_step_s": t3 - t2,
        "next_step_s": (t4 - t3) / max(n, 1),
        "steps": n + 1,
        "points": model.network.n_points,
        "quality": model.quality is not None,
    }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
