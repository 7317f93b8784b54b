"""Throughput of the coupled oxygen / organic matter / algae / N / P kernel
(twin.quality.eutro.react_eutro) on 1e4 cells of random states, one core, beside the N/P
kernel it is meant to join (twin.quality.kinetics.react_all, one group).

    python benchmarks/bench_eutro.py            # prints one JSON line per case

A species-cell-step is one of the kernel's ten species advanced over one step in one cell.
The figure comes from the median step time (the machine may be shared). Not yet a group of
``python -m benchmarks``; speed is never asserted in tests.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # run as a script: import the package from the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.eutro_cases import lively_row, state
from twin.quality import eutro, kinetics

N_CELLS = 10_000


def median_step(fn, steps):
    fn()  # load or compile
    times = []
    for _ in range(steps):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return float(np.median(times))


def main() -> None:
    rng = np.random.default_rng(0)
    n = N_CELLS
    conc = np.array([state() * rng.uniform(0.5, 2.0, eutro.N_EUTRO) for _ in range(n)])
    mass = np.zeros_like(conc)
    cols = np.arange(eutro.N_EUTRO)
    vol = rng.uniform(1e2, 1e5, n)
    depth = rng.uniform(0.5, 4.0, n)
    ka20 = rng.uniform(0.1, 5.0, n)
    rows = lively_row()[None, :]
    cell_row = np.zeros(n, np.int64)
    stoich = eutro.STOICH_DEFAULT.copy()
    budget = np.zeros(eutro.N_PROC)
    row_work = np.zeros((1, eutro.N_ROW_WORK))
    cell_work = np.zeros((eutro.N_CELL_WORK, eutro.N_PROC))
    load = os.getloadavg()[0]
    for dt, target, max_sub, steps in [
        (60.0, 0.05, 1, 30),
        (600.0, 0.05, 1, 30),
        (600.0, 0.05, 50, 30),
        (3600.0, 0.05, 50, 15),
        (86400.0, 0.05, 1000, 3),
    ]:
        x = conc.copy()

        def step(x=x, dt=dt, target=target, max_sub=max_sub):
            eutro.react_eutro(
                x, mass, cols, vol, depth, ka20, rows, cell_row, stoich, 22.0, 8.7, 150.0,
                0.5, dt, target, max_sub, budget, row_work, cell_work,
            )  # fmt: skip

        t = median_step(step, steps)
        print(
            json.dumps(
                {
                    "kernel": "eutro.react_eutro",
                    "cells": n,
                    "dt_s": dt,
                    "target": target,
                    "max_substeps": max_sub,
                    "step_ms": round(t * 1e3, 3),
                    "us_per_cell_step": round(t / n * 1e6, 3),
                    "species_cell_steps_per_s": float(f"{n * eutro.N_EUTRO / t:.3g}"),
                    "load": load,
                }
            )
        )
    c6 = rng.uniform(0.1, 2.0, (n, 6))
    m6 = np.zeros_like(c6)
    kin = np.array([[0.1, 1.074, 0.1, 1.083, 0.6, 0.02, 1.045, 0.1, 1.047, 0.01, 0.01, 1.024,
                     0.0, 0.0, 1.07]])  # fmt: skip
    bud = np.zeros((1, kinetics.N_BUDGET))
    rwk = np.zeros((1, kinetics.N_ROW_WORK))
    t = median_step(
        lambda: kinetics.react_all(
            c6, m6, vol, depth, kin, cell_row, 22.0, 6.0, 600.0, 1, 0, bud, rwk
        ),
        50,
    )
    print(
        json.dumps(
            {
                "kernel": "kinetics.react_all",
                "cells": n,
                "dt_s": 600.0,
                "step_ms": round(t * 1e3, 3),
                "species_cell_steps_per_s": float(f"{n * kinetics.N_REACTIVE / t:.3g}"),
                "load": os.getloadavg()[0],
            }
        )
    )


if __name__ == "__main__":
    main()
