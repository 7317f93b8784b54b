"""The Kunshan baseline year (``scenarios/baseline.toml``) run once, as ``twin run`` runs it,
in a process of its own: wall time split into setup, forcing preparation, hydrodynamics,
water quality, output (results.nc, mass balance) and products (tables and figures), and the
process's peak resident memory. Targets (issue 9): under 60 s and under 1.5 GB on one core.

The run's process has one thread per pool (numba kernels are serial; BLAS and OpenMP pools
are held at one thread), so it uses one core. numba's on-disk cache is loaded first by a
short run of the same model in another process, so compilation is not in the figures
(it is measured apart in ``jit_compile``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common import HERE, record

ROOT = HERE.parent
SCENARIO = "scenarios/baseline.toml"
TARGET_WALL_S = 60.0
TARGET_MEMORY_GB = 1.5
ONE_THREAD = {
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "NUMBA_NUM_THREADS": "1",
}


def child_env(**extra: str) -> dict:
    """This process's environment with the repository importable and one thread per pool."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env.update(ONE_THREAD)
    env.update(extra)
    return env


def run_child(module: str, *args: str, env: dict | None = None) -> tuple[dict, float]:
    """Run ``python -m module args`` from the repository root; (its last JSON line, wall s)."""
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=env or child_env(),
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{module} {' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1]), wall


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        _, warm_s = run_child("benchmarks.jit_child", SCENARIO, "6")
        load0 = os.getloadavg()[0]
        out, wall = run_child("benchmarks.kunshan_child", SCENARIO, str(Path(tmp) / "run"))
        load1 = os.getloadavg()[0]
    gb = out["peak_rss_mib"] * 2**20 / 1e9
    return [
        record(
            "kunshan_baseline_year",
            scenario=SCENARIO,
            simulated_days=round(out["simulated_days"], 2),
            time_steps=out["time_steps"],
            process_wall_s=round(wall, 2),
            run_total_s=round(out["total_s"], 2),
            setup_s=round(out["setup_s"], 2),
            forcing_s=round(out["forcing_s"], 2),
            hydro_s=round(out["hydro_s"], 2),
            quality_s=round(out["quality_s"], 2),
            output_s=round(out["output_s"], 2),
            products_s=round(out["products_s"], 2),
            import_s=round(out["import_s"], 2),
            peak_rss_gb=round(gb, 3),
            cpu_s=round(out["cpu_s"], 1),
            meets_60_s=out["total_s"] < TARGET_WALL_S,
            meets_1_5_gb=gb < TARGET_MEMORY_GB,
            load_average=f"{load0:.1f} -> {load1:.1f}",
            cache_warm_up_s=round(warm_s, 1),
        )
    ]
