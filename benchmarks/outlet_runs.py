"""One .inp network run in twin or in EPA SWMM 5 (pyswmm, in this process), timed, with the
discharge of its outlet conduit sampled every reporting step.

Both runs are timed the same way: ``setup_s`` is reading the network (twin: import, schema
checks, network compilation and solver set-up; SWMM: ``swmm_open``, parsing the file) and
``wall_s`` the simulation (twin: the steps; SWMM: ``swmm_start`` to ``swmm_end``, its steps
and its binary output file). Sampling the outlet every 300 s costs both a few microseconds.

What is sampled, from the first sampling time on (SWMM reports no flow before its first
step): SWMM's flow of the outlet conduit (one value per conduit) and twin's
discharge at the downstream point of the same conduit (twin's reach). On the benchmark
networks a conduit is 10-100 m long and the flood takes hours, so the two differ by far less
than the agreement figures reported.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from twin.config.timeseries import epoch_seconds
from twin.hydro.compile import solver_from_config
from twin.importers.swmm.importer import load_inp
from twin.network.topology import compile_network

SAMPLE_S = 300.0
"""Outlet sampling interval (s): the benchmark files' REPORT_STEP."""


@dataclass
class OutletRun:
    """A timed run and its outlet hydrograph (time since the start, s; discharge, m3/s)."""

    model: str
    segments: int
    step_s: float
    simulated_h: float
    setup_s: float
    wall_s: float
    t_s: np.ndarray
    q_m3s: np.ndarray
    steps: int
    min_step_s: float
    continuity_error_pct: float
    settings: str
    extra: dict = field(default_factory=dict)

    @property
    def cell_steps_per_s(self) -> float:
        """Segments x time steps / simulation wall time."""
        return self.segments * self.steps / self.wall_s if self.wall_s > 0 else float("nan")


# ------------------------------------------------------------------------------ twin
class TwinCase:
    """An imported .inp model, compiled once and stepped at any dt (a fresh solver each run)."""

    def __init__(self, path: Path, dx_m: float | None = None):
        t0 = time.perf_counter()
        self.cfg = load_inp(path, dx_m=dx_m)
        self.net = compile_network(self.cfg)
        self.import_s = time.perf_counter() - t0
        self.duration_s = epoch_seconds(self.cfg.run.end) - epoch_seconds(self.cfg.run.start)
        self.dx_m = dx_m

    def run(self, link: str, dt: float, hours: float | None = None) -> OutletRun:
        """Step the whole run (or its first ``hours``) at ``dt`` seconds, sampling the
        outlet of conduit ``link`` at the multiples of both dt and SAMPLE_S (every 300 s
        for dt 30 and 60 s, every 600 s for 120 and 600 s)."""
        duration = self.duration_s if hours is None else hours * 3600.0
        if dt != int(dt) or abs(round(duration / dt) * dt - duration) > 1e-6:
            raise ValueError(f"dt {dt} s must be whole seconds and divide the run of {duration} s")
        every = math.lcm(int(dt), int(SAMPLE_S))
        per = round(every / dt)
        t0 = time.perf_counter()
        solver = solver_from_config(self.cfg, self.net)
        r = self.net.reach_index(link)
        outlet = int(self.net.arrays.reach_pt[r + 1] - 1)
        setup = self.import_s + time.perf_counter() - t0
        v0 = solver.total_volume()
        n = round(duration / dt)
        t, q = [], []
        halvings, min_step = 0, dt
        t1 = time.perf_counter()
        for k in range(n):
            status, h = solver.advance(dt)
            if status != 0:
                raise RuntimeError(f"twin step {k} (dt {dt} s): {solver.describe_failure(status)}")
            if h:
                halvings += h
                min_step = min(min_step, dt / 2**h)
            if (k + 1) % per == 0:
                t.append((k + 1) * dt)
                q.append(float(solver.state.q_pt[outlet]))
            elif k + 1 == n:  # the end of a window shorter than the sampling interval
                t.append(duration)
                q.append(float(solver.state.q_pt[outlet]))
        wall = time.perf_counter() - t1
        b = solver.balance
        inflow = float(b.bc_in.sum() + b.lateral[0])
        error = (solver.total_volume() - v0 - inflow) / max(abs(float(b.lateral[0])), 1.0)
        spacing = "one segment per conduit" if self.dx_m is None else f"dx {self.dx_m:g} m"
        return OutletRun(
            model="twin",
            segments=self.net.n_cells,
            step_s=dt,
            simulated_h=duration / 3600.0,
            setup_s=setup,
            wall_s=wall,
            t_s=np.array(t),
            q_m3s=np.array(q),
            steps=n,
            min_step_s=min_step,
            continuity_error_pct=100.0 * error,
            settings=f"dt {dt:g} s, {spacing}",
            extra={"halvings": halvings},
        )


# ------------------------------------------------------------------------------ SWMM
def run_swmm(path: Path, link: str, settings: str = "") -> OutletRun:
    """Run the .inp file in SWMM 5 (pyswmm) to its end, sampling ``link``'s flow every
    SAMPLE_S seconds; the time-step figures and the flow-routing continuity error come
    from SWMM's report file."""
    import pyswmm

    path = Path(path)
    t0 = time.perf_counter()
    sim = pyswmm.Simulation(str(path))
    setup = time.perf_counter() - t0
    t, q = [], []
    t1 = time.perf_counter()
    with sim:
        outlet = pyswmm.Links(sim)[link]
        start = sim.start_time
        end = sim.end_time
        sim.step_advance(int(SAMPLE_S))
        for _ in sim:
            t.append((sim.current_time - start).total_seconds())
            q.append(float(outlet.flow))
        duration = (end - start).total_seconds()
        if not t or t[-1] < duration - 1.0:  # a run shorter than the sampling interval
            t.append(duration)
            q.append(float(outlet.flow))
    wall = time.perf_counter() - t1
    rpt = swmm_report(path.with_suffix(".rpt"))
    avg = rpt.get("average_step_s", float("nan"))
    return OutletRun(
        model="swmm",
        segments=_count_conduits(path),
        step_s=avg,
        simulated_h=duration / 3600.0,
        setup_s=setup,
        wall_s=wall,
        t_s=np.array(t),
        q_m3s=np.array(q),
        steps=round(duration / avg) if avg > 0 else 0,
        min_step_s=rpt.get("minimum_step_s", float("nan")),
        continuity_error_pct=rpt.get("continuity_error_pct", float("nan")),
        settings=settings,
        extra={k: rpt[k] for k in ("iterations_per_step", "steps_not_converging_pct") if k in rpt},
    )


_REPORT_FIGURES = {
    "minimum_step_s": r"Minimum Time Step\s*:\s*([-\d.]+)",
    "average_step_s": r"Average Time Step\s*:\s*([-\d.]+)",
    "iterations_per_step": r"Average Iterations per Step\s*:\s*([-\d.]+)",
    "steps_not_converging_pct": r"% of Steps Not Converging\s*:\s*([-\d.]+)",
}


def swmm_report(path: Path) -> dict:
    """Figures of a SWMM 5 report file: routing time steps (s), iterations and the flow
    routing continuity error (%)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    out: dict = {}
    for key, pattern in _REPORT_FIGURES.items():
        m = re.search(pattern, text)
        if m:
            out[key] = float(m.group(1))
    # The continuity error of flow routing (the runoff block has its own).
    m = re.search(r"Flow Routing Continuity.*?Continuity Error \(%\)\s*\.*\s*([-\d.]+)", text, re.S)
    if m:
        out["continuity_error_pct"] = float(m.group(1))
    return out


def _count_conduits(path: Path) -> int:
    n, inside = 0, False
    for line in path.read_text(encoding="utf-8").splitlines():
        s = line.strip()
        if s.startswith("["):
            inside = s.upper() == "[CONDUITS]"
        elif inside and s and not s.startswith(";"):
            n += 1
    return n
