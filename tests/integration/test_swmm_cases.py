"""The benchmark .inp networks (``tests/cases/swmm_cases.py``): each imports into twin and
runs in EPA SWMM 5 (pyswmm) for a few steps; twin steps the smaller ones."""

from __future__ import annotations

import math

import numpy as np
import pyswmm  # EPA SWMM 5 (the `peers` extra, installed by the test set-up)
import pytest

from tests.cases.swmm_cases import (
    hydrograph,
    normal_depth_rect,
    write_channel,
    write_dendritic,
)
from twin.hydro.compile import solver_from_config
from twin.importers.swmm.importer import load_inp
from twin.network.topology import compile_network


def swmm_steps(path, link: str, steps: int = 3) -> tuple[float, int]:
    """Run SWMM ``steps`` routing steps; (flow in ``link``, steps taken)."""
    taken = 0
    with pyswmm.Simulation(str(path)) as sim:
        for _ in sim:
            taken += 1
            if taken == steps:
                break
        flow = pyswmm.Links(sim)[link].flow
    for suffix in (".rpt", ".out"):
        path.with_suffix(suffix).unlink(missing_ok=True)
    return flow, taken


def test_normal_depth_and_hydrograph_helpers():
    h = normal_depth_rect(50.0, 50.0, 1e-4, 0.03)
    a, r = 50.0 * h, 50.0 * h / (50.0 + 2.0 * h)
    assert a * r ** (2 / 3) * math.sqrt(1e-4) / 0.03 == pytest.approx(50.0, rel=1e-9)
    assert hydrograph(0.0, 50, 300, 2.0, 18.0) == 50.0
    assert hydrograph(11.0, 50, 300, 2.0, 18.0) == pytest.approx(300.0)
    assert hydrograph(20.0, 50, 300, 2.0, 18.0) == pytest.approx(50.0)


@pytest.mark.parametrize("n", [100, 1000, pytest.param(10_000, marks=pytest.mark.slow)])  # 10 s
def test_channel_case_imports_and_runs_in_swmm(tmp_path, n):
    path = write_channel(tmp_path / f"channel_{n}.inp", n_segments=n)
    cfg = load_inp(path)
    m = cfg.model
    assert len(m.reaches) == n
    assert sum(r.length_m for r in m.reaches) == pytest.approx(10_000.0)
    assert m.reaches[0].bed_level_from_m - m.reaches[-1].bed_level_to_m == pytest.approx(1.0)
    assert {s.width_m for s in m.cross_sections} == {50.0}
    assert m.boundaries[0].level_m == pytest.approx(
        normal_depth_rect(50.0, 50.0, 1e-4, 0.03), abs=1e-4
    )
    q = np.array(m.timeseries[0].values)
    assert q.min() == pytest.approx(50.0) and q.max() == pytest.approx(300.0)
    assert (cfg.run.end - cfg.run.start).total_seconds() == 48 * 3600
    # The routing step is the Courant step dx / (sqrt(g h) + u) at the peak normal flow.
    assert cfg.run.dt_s <= 10_000.0 / n / math.sqrt(9.81 * 5.0)
    flow, taken = swmm_steps(path, f"C{n - 1}")
    assert taken == 3 and math.isfinite(flow)
    if n <= 1000:
        # Both start in a steady state: base flow everywhere.
        assert flow == pytest.approx(50.0, rel=1e-3)
        net = compile_network(cfg)
        solver = solver_from_config(cfg, net)
        for _ in range(3):
            assert solver.advance(300.0) == (0, 0)
        assert solver.state.q_pt[-1] == pytest.approx(50.0, rel=1e-3)


def test_routing_step_parameter_is_written(tmp_path):
    path = write_channel(tmp_path / "c.inp", n_segments=100, routing_step_s=5.0)
    assert "ROUTING_STEP         5" in path.read_text()
    assert load_inp(path).run.dt_s == 5.0


def test_dendritic_case_imports_and_runs_in_swmm(tmp_path):
    path = write_dendritic(tmp_path / "dendritic.inp")
    cfg = load_inp(path)
    m = cfg.model
    assert 300 <= len(m.reaches) <= 500  # several hundred segments
    # A tree: one reach fewer than nodes, a single outfall.
    assert len(m.nodes) == len(m.reaches) + 1 and len(m.boundaries) == 1
    assert len(m.laterals) == 7  # one hydrograph per branch head
    flow, _ = swmm_steps(path, "Mc99")
    base_total = sum(ts.values[0] for ts in m.timeseries)
    assert flow == pytest.approx(base_total, rel=0.02)
    solver = solver_from_config(cfg, compile_network(cfg))
    for _ in range(3):
        assert solver.advance(300.0)[0] == 0
