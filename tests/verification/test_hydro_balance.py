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

import numpy as np
import pytest

from tests import hydro_cases as hc
from tests.hydro_cases import looped_tidal_network

REL_TOL = 1e-8


@pytest.mark.slow  # 4-5 s each, 30 days
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
