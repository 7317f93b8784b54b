"""Water-quality throughput: species-cell-steps per second of transport and kinetics on one
core, at about 1e4 cells, on a plain river network shaped like Kunshan's (a grid of 2 km
reaches between junctions, inflow in the west, tide in the east).

    python benchmarks/bench_quality.py            # prints one JSON line

Only ``QualitySolver.step`` (loads, advection with its sub-steps, dispersion, kinetics) is
timed, step by step; the hydrodynamic steps between are not. The throughput is computed from
the median step time (the machine may be shared: the mean, also reported, picks up other
processes' bursts). A species-cell-step is one tracer column
advanced over one model step in one cell: without apportionment there are six columns (five
reactive species and the tracer); with apportionment the source-group columns count too,
and the figure is reported for both. Target: at least 3e7 without apportionment.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numba
import numpy as np

if __package__ in (None, ""):  # run as a script: import the package from the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from twin.config import load_config
from twin.run.model import Model

REACH_M = 2000.0


def grid_network(path: Path, n_cells: int, apportionment: bool, dt_s: float = 300.0) -> Path:
    """A square grid of junctions joined by 2 km reaches, about ``n_cells`` cells of
    ``dx = 200 m``: n x n junctions with 2 n (n - 1) reaches. Discharge boundaries on the
    west column bring 20 m3/s each with nutrients; tide boundaries (M2 0.8 m) on the east
    column; a lateral with nutrients on every tenth reach."""
    per_reach = 10
    n = max(3, round((1 + np.sqrt(1 + 2 * n_cells / per_reach)) / 2))
    lines = [
        '[model]\nname = "grid"\ncoordinates = "xy_m"\n',
        "[run]\nstart = 2024-01-01T00:00:00\nend = 2024-01-11T00:00:00\n"
        f"dt_s = {dt_s}\noutput_interval_s = {dt_s}\n[run.hydro]\ninitial_level_m = 2.0\n",
        '[[cross_sections]]\nid = "river"\nshape = "trapezoidal"\nbottom_width_m = 30\n'
        "side_slope = 2\nmanning_n = 0.028\n",
        f"[quality]\napportionment = {str(apportionment).lower()}\ntemperature_c = 20.0\n"
        "initial_mg_l = { tn = 2.0, tp = 0.15 }\n",
    ]
    for i in range(n):
        for j in range(n):
            lines.append(f'[[nodes]]\nid = "j{i}_{j}"\nx = {i * REACH_M}\ny = {j * REACH_M}\n')
    k = 0
    for i in range(n):
        for j in range(n):
            for di, dj in ((1, 0), (0, 1)):
                if i + di < n and j + dj < n:
                    lines.append(
                        f'[[reaches]]\nid = "r{k}"\nfrom_node = "j{i}_{j}"\n'
                        f'to_node = "j{i + di}_{j + dj}"\nlength_m = {REACH_M}\n'
                        f"dx_m = {REACH_M / per_reach}\nbed_level_from_m = -2.0\n"
                        'bed_level_to_m = -2.0\nsections = [{ chainage_m = 0, section = "river" }]\n'
                    )
                    if k % 10 == 0:
                        lines.append(
                            f'[[laterals]]\nid = "drain{k}"\nreach = "r{k}"\nchainage_m = 900\n'
                            "discharge_m3s = 0.5\n"
                            "concentrations = { nh3n = 10.0, on = 4.0, po4p = 0.8, op = 0.5 }\n"
                        )
                    k += 1
    for j in range(n):
        lines.append(
            f'[[boundaries]]\nnode = "j0_{j}"\nkind = "discharge"\ndischarge_m3s = 20.0\n'
            "concentrations = { tn = 2.5, tp = 0.2, tracer = 1.0 }\n"
        )
        lines.append(
            f'[[boundaries]]\nnode = "j{n - 1}_{j}"\nkind = "tide"\nmean_level_m = 2.0\n'
            'constituents = [{ name = "M2", amplitude_m = 0.8, phase_deg = 0 }]\n'
            "concentrations = { nh3n = 0.5, no3n = 1.5, op = 0.05, po4p = 0.08 }\n"
        )
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def measure(n_cells: int, apportionment: bool, steps: int = 60, warmup: int = 6) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        cfg = load_config(grid_network(Path(tmp) / "grid.toml", n_cells, apportionment))
    model = Model(cfg)
    qs = model.quality
    hydro = model.hydro
    t_first = time.perf_counter()
    model.step()
    first = time.perf_counter() - t_first
    for _ in range(warmup):
        model.step()
    times = []
    subs = []
    for _ in range(steps):
        t0 = model.time
        status, _ = hydro.advance(model.dt)
        assert status == 0, hydro.describe_failure(status)
        qs.n_substeps_max = 0
        tic = time.perf_counter()
        qs.step(t0, model.dt)
        times.append(time.perf_counter() - tic)
        subs.append(qs.n_substeps_max)
    cells = qs.ta.n_tc
    columns = qs.layout.ntr
    work = columns * cells
    median = float(np.median(times))
    return {
        "cells": int(cells),
        "nodes": int(model.network.n_nodes),
        "reaches": int(model.network.n_reaches),
        "apportionment": apportionment,
        "tracer_columns": int(columns),
        "steps": steps,
        "dt_s": model.dt,
        "mean_advection_substeps": float(np.mean(subs)),
        "ms_per_step_median": round(1e3 * median, 3),
        "ms_per_step_mean": round(1e3 * float(np.mean(times)), 3),
        "species_cell_steps_per_s": round(work / median),
        "species_cell_steps_per_s_from_mean": round(work / float(np.mean(times))),
        "first_step_s": round(first, 3),
    }


def summary() -> dict:
    """Both layouts at 1e4 cells: the one JSON record the script prints."""
    without = measure(10_000, apportionment=False, steps=100)
    tagged = measure(10_000, apportionment=True, steps=20)
    return {
        "benchmark": "quality_step_throughput",
        "target_species_cell_steps_per_s": 3e7,
        "species_cell_steps_per_s": without["species_cell_steps_per_s"],
        "without_apportionment": without,
        "with_apportionment": tagged,
        "machine": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "numba": numba.__version__,
            "cores": os.cpu_count(),
            "numba_threads": numba.get_num_threads(),
        },
    }


def run() -> list[dict]:
    """For ``python -m benchmarks quality``: one recorded row per layout."""
    from benchmarks.common import record

    rows = []
    for apportionment, steps in ((False, 100), (True, 20)):
        m = measure(10_000, apportionment=apportionment, steps=steps)
        rows.append(record("quality_step_throughput", **m))
    return rows


if __name__ == "__main__":
    numba.set_num_threads(1)
    print(json.dumps(summary()), flush=True)
