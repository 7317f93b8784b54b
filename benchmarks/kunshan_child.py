"""Child process of the Kunshan benchmark: one scenario run (``twin.runner.run_scenario``, as
``twin run`` does it) in a process of its own, so that its peak memory is its own.

    python -m benchmarks.kunshan_child SCENARIO OUT_DIR

Prints one JSON line: the run's wall time by part (``RunResult.timing``) and the process's
peak resident set size (``ru_maxrss``: everything the process held, Python objects, numpy
arrays and compiled code; tracemalloc is not used, it would slow the run several times).
When the forcing files end before the scenario does, the run is cut at the forcing's last
time and ``note`` says so.
"""

from __future__ import annotations

import dataclasses
import json
import resource
import sys
import time


def forcing_end(cfg) -> float | None:
    """The last time (epoch s) of the scenario's forcing files, or None without forcing."""
    import numpy as np
    import xarray as xr

    from twin.forcing.gridded import expand_files

    files = list(cfg.model.forcing.files) if cfg.model.forcing is not None else []
    if not files:
        return None
    last = None
    for f in expand_files(files):
        with xr.open_dataset(f) as ds:
            t = np.datetime64(ds["time"].values.max(), "s").astype(np.int64)
        last = float(t) if last is None else max(last, float(t))
    return last


def main(argv: list[str]) -> int:
    scenario, out_dir = argv[0], argv[1]
    t0 = time.perf_counter()
    from twin.config.timeseries import epoch_seconds
    from twin.model import to_datetime
    from twin.runner import run_scenario
    from twin.scenario import load_scenario

    import_s = time.perf_counter() - t0
    cfg = load_scenario(scenario)
    note = ""
    last = forcing_end(cfg)
    end = epoch_seconds(cfg.run.end)
    if last is not None and last < end:
        note = (
            f"forcing ends {to_datetime(last).isoformat()}, before the scenario's end "
            f"{cfg.run.end.isoformat()}: run cut there"
        )
        run = cfg.run.model_copy(update={"end": to_datetime(last)})
        cfg = dataclasses.replace(cfg, run=run)
    result = run_scenario(cfg, out_dir)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    out = {
        "import_s": import_s,
        **result.timing,
        "simulated_days": (epoch_seconds(cfg.run.end) - epoch_seconds(cfg.run.start)) / 86400.0,
        "time_steps": result.mass_balance["time_steps"],
        "peak_rss_mib": usage.ru_maxrss / 1024.0,  # Linux reports KiB
        "cpu_user_s": usage.ru_utime,
        "note": note,
    }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
