"""Hydrodynamic step throughput: computational-point steps per second on one core at 1e3,
1e4 and 1e5 points, with exactly 1 and 2 iterations per step, on a looped tidal
ladder network. The first step (numba compilation or cache load) is timed apart.

JIT compilation: a short run of the Kunshan model (6 hours: forcing, hydrodynamic, structure
and water-quality kernels) in a new process, twice, with ``NUMBA_CACHE_DIR`` pointing at a
new empty folder: the first process compiles every kernel and writes the cache, the second
loads them from it. ``compile_s`` is the first process's set-up and first step minus the
second's."""

from __future__ import annotations

import tempfile
from pathlib import Path

from twin.config import load_config
from twin.hydro.compile import solver_from_config
from twin.network.topology import compile_network

from .bench_kunshan import child_env, run_child
from .common import Timer, record
from .networks import ladder_network

SIZES = (1_000, 10_000, 100_000)
JIT_SCENARIO = "scenarios/baseline.toml"
JIT_HOURS = "6"


def run(target_seconds: float = 3.0) -> list[dict]:
    return throughput(target_seconds) + jit_compile()


def jit_compile() -> list[dict]:
    """Compile time from an empty numba cache, and a second process's start from it."""
    with tempfile.TemporaryDirectory() as cache:
        env = child_env(NUMBA_CACHE_DIR=cache)
        runs = [run_child("benchmarks.jit_child", JIT_SCENARIO, JIT_HOURS, env=env) for _ in "12"]
    start = [out["setup_s"] + out["first_step_s"] for out, _ in runs]
    rows = []
    for k, (out, wall) in enumerate(runs):
        rows.append(
            record(
                "jit_compile",
                process=("first (empty cache)", "second (cache written by the first)")[k],
                model=f"{JIT_SCENARIO}, {JIT_HOURS} h",
                process_wall_s=round(wall, 2),
                import_s=round(out["import_s"], 2),
                setup_s=round(out["setup_s"], 2),
                first_step_s=round(out["first_step_s"], 3),
                next_step_ms=round(1e3 * out["next_step_s"], 3),
                compile_s=round(start[0] - start[1], 1) if k == 0 else None,
            )
        )
    return rows


def throughput(target_seconds: float = 3.0) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in SIZES:
            for iters in (1, 2):
                path = ladder_network(
                    Path(tmp) / f"ladder_{n}_{iters}.toml", n, max_iterations=iters
                )
                cfg = load_config(path)
                net = compile_network(cfg)
                solver = solver_from_config(cfg, net)
                # never reject a step for its iteration count here
                solver.params = solver.params._replace(no_convergence_m=1e9)
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
