"""Child process of the Kunshan benchmark: one scenario run (``twin.run.runner.run_scenario``, as
``twin run`` does it) in a process of its own, so that its peak memory is its own.

    python -m benchmarks.kunshan_child SCENARIO OUT_DIR

Prints one JSON line: the run's wall time by part (``RunResult.timing``) and the process's
peak resident set size (``ru_maxrss``: everything the process held, Python objects, numpy
arrays and compiled code; tracemalloc is not used, it would slow the run several times).
"""

from __future__ import annotations

import json
import resource
import sys
import time


def main(argv: list[str]) -> int:
    scenario, out_dir = argv[0], argv[1]
    t0 = time.perf_counter()
    from twin.config.timeseries import epoch_seconds
    from twin.run.load import load_checked_scenario
    from twin.run.runner import run_scenario

    import_s = time.perf_counter() - t0
    cfg = load_checked_scenario(scenario)
    result = run_scenario(cfg, out_dir)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    out = {
        "import_s": import_s,
        **result.timing,
        "simulated_days": (epoch_seconds(cfg.run.end) - epoch_seconds(cfg.run.start)) / 86400.0,
        "time_steps": result.mass_balance["time_steps"],
        "peak_rss_mib": usage.ru_maxrss / 1024.0,  # Linux reports KiB
        "cpu_s": usage.ru_utime + usage.ru_stime,
    }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
