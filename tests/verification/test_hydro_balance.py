"""Volume balance of a looped tidal network over 30 days.

The network has four independent loops (reaches and structures minus nodes plus one), a
harmonic tide (M2, S2, K1), a varying upstream discharge, a storage lake behind a sluice
whose opening follows a series, a weir beside a reach, a distributed lateral inflow, a point
withdrawal and a node inflow; sections are rectangular, trapezoidal and surveyed.

Relative volume error, over the run:

    e = | (V_end - V_start) - (sum of boundary inflows + laterals) | / V_start,

with V the water in reaches and non-boundary nodes (``HydroSolver.total_volume``) and the
inflows from ``HydroSolver.balance`` (m3). Tolerance 1e-8, with two iterations per step
and with three (the default). The volume at the levels must follow the conserved one equally closely.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from tests import hydro_cases as hc

REL_TOL = 1e-8


def looped_tidal_network(days: float = 30.0, dt: float = 300.0) -> dict:
    m = hc.model("looped_tidal", dt_s=dt, days=days)
    for nid, x, y in [
        ("T", 0, 0), ("A", 2000, 0), ("B", 5000, 1500), ("C", 5000, -1500),
        ("D", 8000, 1500), ("E", 8000, -1500), ("F", 11000, 0), ("Q", 14000, 0),
    ]:  # fmt: skip
        hc.node(m, nid, x, y)
    hc.node(
        m,
        "L",
        9000,
        -4000,
        kind="storage",
        storage={"level_m": [-3.0, 0.0, 4.0], "area_m2": [2e5, 1e6, 1.5e6]},
    )
    hc.trapezoidal(m, "trap", 20.0, 2.0, n=0.03)
    hc.rectangular(m, "rect", 15.0, n=0.025)
    m["cross_sections"].append(
        {
            "id": "surveyed",
            "shape": "irregular",
            "station_m": [0, 5, 12, 20, 28, 35, 40],
            "elevation_m": [4.0, 1.0, -1.5, -2.5, -1.8, 1.0, 4.0],
            "manning_n": 0.028,
        }
    )
    for rid, a, b, length, sec, z0, z1 in [
        ("r0", "T", "A", 2000, "trap", -3.0, -3.0),
        ("r1", "A", "B", 3354, "rect", -3.0, -2.8),
        ("r2", "A", "C", 3354, "trap", -3.0, -2.8),
        ("r3", "B", "C", 3000, "rect", -2.8, -2.8),
        ("r5", "C", "E", 3000, "trap", -2.8, -2.6),
        ("r6", "D", "E", 3000, "rect", -2.6, -2.6),
        ("r7", "D", "F", 3354, "trap", -2.6, -2.4),
        ("r8", "E", "F", 3354, "rect", -2.6, -2.4),
        ("r9", "F", "Q", 3000, "trap", -2.4, -2.2),
        ("r10", "L", "F", 4000, "rect", -2.5, -2.4),
    ]:
        hc.reach(m, rid, a, b, length, 250, sec, z0, z1)
    m["reaches"].append(
        {
            "id": "r4",
            "from_node": "B",
            "to_node": "D",
            "length_m": 3000.0,
            "dx_m": 250.0,
            "sections": [
                {"chainage_m": 0.0, "section": "surveyed"},
                {"chainage_m": 3000.0, "section": "surveyed", "bed_level_m": -2.4},
            ],
        }
    )
    m["structures"] += [
        {
            "id": "gate",
            "kind": "sluice",
            "from_node": "E",
            "to_node": "L",
            "sill_level_m": -1.5,
            "width_m": 6.0,
            "opening_m": "gate_opening",
        },
        {"id": "weir", "kind": "weir", "from_node": "C", "to_node": "E",
         "crest_level_m": -0.5, "crest_width_m": 10.0},
    ]  # fmt: skip
    t = np.arange(0.0, days + 1.01, 0.5)
    times = [hc.START + timedelta(days=float(d)) for d in t]
    m["timeseries"] += [
        {"id": "q_up", "units": "m3 s-1", "times": times,
         "values": [float(20 + 15 * np.sin(0.9 * i)) for i in range(t.size)]},
        {"id": "gate_opening", "units": "m", "times": times,
         "values": [float(0.5 + 0.4 * np.cos(1.3 * i)) for i in range(t.size)]},
    ]  # fmt: skip
    m["boundaries"].append(
        {
            "node": "T",
            "kind": "tide",
            "mean_level_m": 0.3,
            "constituents": [
                {"name": "M2", "amplitude_m": 0.8, "phase_deg": 0.0},
                {"name": "S2", "amplitude_m": 0.3, "phase_deg": 40.0},
                {"name": "K1", "amplitude_m": 0.15, "phase_deg": 100.0},
            ],
        }
    )
    hc.flow_bc(m, "Q", "q_up")
    m["laterals"] += [
        {"id": "rain", "reach": "r6", "discharge_m3s": 2.5},
        {"id": "intake", "reach": "r3", "chainage_m": 1000.0, "discharge_m3s": -1.0},
        {"id": "drain", "node": "B", "discharge_m3s": 0.7},
    ]
    m["run"]["hydro"]["initial_level_m"] = 0.3
    return m


@pytest.mark.parametrize("iterations", [2, 3])
def test_looped_tidal_network_conserves_volume(tmp_path, iterations):
    days, dt = 30.0, 300.0
    m = looped_tidal_network(days, dt)
    m["run"]["hydro"]["max_iterations"] = iterations
    s = hc.solver(m, tmp_path)
    n_links = s.net.n_reaches + s.st.kind.size
    assert n_links - s.net.n_nodes + 1 >= 3, "at least three independent loops"
    v_start = s.total_volume()
    assert abs(v_start - s.total_volume(from_levels=True)) < 1e-9 * v_start
    tide_node = s.net.node_index("T")
    gross_tide = 0.0
    r1 = hc.reach_slice(s, "r1")
    signs = set()
    for _ in range(int(days * 86400 / dt)):
        before = s.balance.bc_in[tide_node]
        status, _ = s.advance(dt)
        assert status == 0, s.describe_failure(status)
        gross_tide += abs(s.balance.bc_in[tide_node] - before)
        signs.add(np.sign(s.state.q_pt[r1][0]))
    b = s.balance
    net_in = float(b.bc_in.sum() + b.lateral[0])
    v_end = s.total_volume()
    err = abs((v_end - v_start) - net_in) / v_start
    drift = abs(v_end - s.total_volume(from_levels=True)) / v_start
    print(
        f"looped tidal network, 30 days, {iterations} iterations: relative volume error {err:.1e} (of {v_start:.3e} m3;"
        f" tidal exchange {gross_tide:.2e} m3), levels vs conserved volume {drift:.1e}"
    )
    assert signs >= {-1.0, 1.0}, "the tide must reverse the flow inside the network"
    assert gross_tide > 5 * v_start, "the tide must exchange many network volumes"
    assert err < REL_TOL
    assert drift < REL_TOL
    # per node and per reach, storage change minus net inflow (m3) vanishes too
    assert np.max(np.abs(b.node_err)) < REL_TOL * v_start
    assert np.max(np.abs(b.reach_err)) < REL_TOL * v_start
