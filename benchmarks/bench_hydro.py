"""Hydrodynamic step throughput: computational-point steps per second on one core at 1e3,
1e4 and 1e5 points, with exactly 1 and 2 Picard iterations per step, on a looped tidal
ladder network. The first step (numba compilation or cache load) is timed apart."""

from __future__ import annotations

import tempfile
from pathlib import Path

from twin.config import load_config
from twin.hydro.solver import HydroSolver
from twin.network import compile_network

from .common import Timer, record
from .networks import ladder_network

SIZES = (1_000, 10_000, 100_000)


def run(target_seconds: float = 3.0) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in SIZES:
            for iters in (1, 2):
                path = ladder_network(
                    Path(tmp) / f"ladder_{n}_{iters}.toml", n, max_iterations=iters
                )
                cfg = load_config(path)
                net = compile_network(cfg)
                solver = HydroSolver(cfg, net)
                solver.par[6] = 1e9  # never reject a step for its iteration count here
                dt = cfg.run.dt_s
                with Timer() as first:
                    status, _ = solver.advance(dt)
                assert status == 0, solver.describe_failure(status)
                steps = 0
                with Timer() as t:
                    while True:
                        for _ in range(10):
                            status, _ = solver.advance(dt)
                            assert status == 0, solver.describe_failure(status)
                        steps += 10
                        if steps * net.n_points > 2e5 and _elapsed(t) > target_seconds:
                            break
                rows.append(
                    record(
                        "hydro_step_throughput",
                        points=net.n_points,
                        nodes=net.n_nodes,
                        reaches=net.n_reaches,
                        iterations_per_step=iters,
                        dt_s=dt,
                        steps=steps,
                        wall_s=round(t.seconds, 4),
                        cell_steps_per_s=round(net.n_points * steps / t.seconds),
                        first_step_s=round(first.seconds, 3),
                    )
                )
    return rows


def _elapsed(timer: Timer) -> float:
    import time

    return time.perf_counter() - timer.t0
