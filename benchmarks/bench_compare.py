"""``twin compare`` on four Kunshan scenarios shortened to two weeks, with 1 and 2 dask worker
processes (the local cluster ``twin compare --workers N`` starts): wall times and the
scaling efficiency T1 / (2 T2).

The scenarios are the shipped ones (``scenarios/``), each inherited by a scenario file that
only moves the run to 2024-07-01 .. 2024-07-15, to keep the benchmark inside its time
budget; a whole year of four scenarios takes several minutes per worker count. Two figures
per worker count: ``runs_wall_s``, the scenario runs as ``twin compare`` times them (from the
cluster's start to the last result), and ``process_wall_s``, the whole command (Python start,
planning, the cluster's start and stop, the comparison tables, figures and report.html).
Each worker has one thread (twin's ``WORKER_ENV``), so 2 workers can use the 2 cores, shared
here with whatever else the machine runs: ``cores_used`` (the CPU time of the command and its
workers over its wall time) shows how much of the machine the command got, and the load
average is recorded alongside.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .bench_kunshan import ROOT, child_env, run_child
from .common import record

SCENARIOS = ("baseline", "wwtp_expansion", "sewer_repair", "agricultural_nps_reduction")
START, END = "2024-07-01T00:00:00", "2024-07-15T00:00:00"
SIMULATED_DAYS = 14.0


def shortened(folder: Path, name: str) -> Path:
    """A scenario file inheriting ``scenarios/<name>.toml`` over the benchmark's window."""
    path = folder / f"{name}.toml"
    parent = (ROOT / "scenarios" / f"{name}.toml").as_posix()
    path.write_text(
        f'[scenario]\nname = "{name}"\ninherits = "{parent}"\n\n[run]\nstart = {START}\nend = {END}\n',
        encoding="utf-8",
    )
    return path


def run() -> list[dict]:
    rows, runs = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        files = [str(shortened(d, n)) for n in SCENARIOS]
        run_child("benchmarks.jit_child", files[0], "1")  # numba's cache loaded from disk once
        for workers in (1, 2):
            load0 = os.getloadavg()[0]
            cpu0 = _children_cpu_s()
            t0 = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-m", "twin", "compare", *files, "--workers", str(workers),
                 "--out", str(d / f"compare_{workers}")],
                cwd=ROOT, env=child_env(), capture_output=True, text=True,
            )  # fmt: skip
            wall = time.perf_counter() - t0
            cpu = _children_cpu_s() - cpu0
            if proc.returncode != 0:
                raise RuntimeError(
                    f"twin compare failed:\n{proc.stdout[-2000:]}{proc.stderr[-3000:]}"
                )
            m = re.search(r"Compared (\d+) scenarios in ([\d.]+) s", proc.stdout)
            runs[workers] = (float(m.group(2)), wall)
            t1, w1 = runs[1]
            rows.append(
                record(
                    "compare_scaling",
                    scenarios=len(files),
                    simulated_days_each=SIMULATED_DAYS,
                    workers=workers,
                    runs_wall_s=round(runs[workers][0], 2),
                    process_wall_s=round(wall, 2),
                    efficiency_runs=round(t1 / (workers * runs[workers][0]), 3),
                    efficiency_process=round(w1 / (workers * wall), 3),
                    cores_used=round(cpu / wall, 2),
                    load_average=f"{load0:.1f} -> {os.getloadavg()[0]:.1f}",
                )
            )
    return rows


def _children_cpu_s() -> float:
    """CPU time (user + system, s) of this process's finished children and theirs: the
    compare command, its dask nannies and workers."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime
