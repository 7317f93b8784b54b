"""Steady flows against independent solutions computed here.

- Uniform flow: normal depth from Manning's equation Q = K(h) sqrt(S0) solved by brentq,
  in a rectangular and a trapezoidal channel; depth everywhere within 1 mm.
- Gradually varied flow: backwater (M1) and drawdown (M2) profiles against scipy solve_ivp
  of dh/dx = (S0 - Sf) / (1 - Fr^2) on the exact section geometry; levels within 5 mm.
- Flow split at a Y-junction and through a loop: each branch carries uniform flow at the
  same depth h, Q_i = K_i(h) sqrt(dZ_i / L_i), with h from sum_i Q_i = Q (equal head loss
  across parallel branches, split by conveyance); discharges within 0.1 %, levels within
  1 mm.
- Laterals (distributed, point, node) and a rating-curve outlet: discharge along the reach
  (1e-6) and the outlet level the rating gives for the total (1 mm).

All models start away from the answer and run to a steady state (no level changes by more
than 1e-9 m in a step).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp
from scipy.optimize import brentq

from tests import hydro_cases as hc

G = hc.G
NORMAL_DEPTH_TOL_M = 1e-3
GVF_TOL_M = 5e-3
SPLIT_REL_TOL = 1e-3
SPLIT_LEVEL_TOL_M = 1e-3


# ------------------------------------------------------------------ exact geometry
def rect(width):
    def geo(h):
        return width * h, width + 2.0 * h, width

    return geo


def trap(bottom, side):
    def geo(h):
        area = (bottom + side * h) * h
        perimeter = bottom + 2.0 * h * math.sqrt(1.0 + side * side)
        return area, perimeter, bottom + 2.0 * side * h

    return geo


def conveyance(geo, n, h):
    """Manning conveyance K = A R^(2/3) / n (m3/s)."""
    area, perimeter, _ = geo(h)
    return area * (area / perimeter) ** (2.0 / 3.0) / n


def normal_depth(geo, n, slope, q):
    return brentq(lambda h: conveyance(geo, n, h) * math.sqrt(slope) - q, 1e-4, 50.0, xtol=1e-12)


def critical_depth(geo, q):
    return brentq(lambda h: q * q * geo(h)[2] / (G * geo(h)[0] ** 3) - 1.0, 1e-4, 50.0)


CHANNELS = {
    # id: (section builder for the config, exact geometry, n, bed slope, discharge)
    "rectangular": (lambda m: hc.rectangular(m, "sec", 20.0), rect(20.0), 0.030, 1e-4, 30.0),
    "trapezoidal": (lambda m: hc.trapezoidal(m, "sec", 10.0, 1.5), trap(10.0, 1.5), 0.025, 2e-4, 25.0),
}  # fmt: skip
LENGTH_M = 8000.0


def prismatic_channel(tmp_path, shape, downstream_depth, dx=100.0):
    """A discharge into a prismatic channel with a fixed downstream level; starts with a
    straight water surface from the normal depth upstream to the downstream level."""
    add_section, geo, n, slope, q = CHANNELS[shape]
    yn = normal_depth(geo, n, slope, q)
    m = hc.model(f"steady_{shape}", dt_s=300.0)
    hc.node(m, "up", 0.0, initial_level_m=yn + 0.3)
    hc.node(m, "dn", LENGTH_M)
    add_section(m)
    hc.reach(m, "r", "up", "dn", LENGTH_M, dx, "sec", 0.0, -slope * LENGTH_M, n=n)
    hc.flow_bc(m, "up", q)
    hc.level_bc(m, "dn", -slope * LENGTH_M + downstream_depth)
    s = hc.solver(m, tmp_path)
    hc.run_steady(s, 300.0, 5 * 86400.0)
    return s, yn


@pytest.mark.parametrize("shape", sorted(CHANNELS))
def test_uniform_flow_has_manning_normal_depth(tmp_path, shape):
    _, geo, n, slope, q = CHANNELS[shape]
    yn = normal_depth(geo, n, slope, q)
    s, _ = prismatic_channel(tmp_path, shape, yn)
    sl = hc.reach_slice(s, "r")
    depth = s.state.z_pt[sl] - s.net.arrays.pt_bed[sl]
    err = np.max(np.abs(depth - yn))
    print(f"uniform {shape}: normal depth {yn:.4f} m, max depth error {err:.2e} m")
    assert err < NORMAL_DEPTH_TOL_M
    np.testing.assert_allclose(s.state.q_pt[sl], q, rtol=1e-6)


@pytest.mark.parametrize("shape", sorted(CHANNELS))
@pytest.mark.parametrize("profile", ["M1", "M2"])
def test_gradually_varied_flow_profile(tmp_path, shape, profile):
    _, geo, n, slope, q = CHANNELS[shape]
    yn = normal_depth(geo, n, slope, q)
    yc = critical_depth(geo, q)
    assert yc < yn, "the channel must be mild for M profiles"
    hd = yn + 1.0 if profile == "M1" else 0.5 * (yn + yc)
    s, _ = prismatic_channel(tmp_path, shape, hd)
    sl = hc.reach_slice(s, "r")
    x = s.net.arrays.pt_chainage[sl]

    def dhdx(_x, h):
        area, _, top = geo(h[0])
        sf = q * q / conveyance(geo, n, h[0]) ** 2
        fr2 = q * q * top / (G * area**3)
        return [(slope - sf) / (1.0 - fr2)]

    ref = solve_ivp(
        dhdx, [LENGTH_M, 0.0], [hd], t_eval=x[::-1], method="LSODA", rtol=1e-10, atol=1e-12
    )
    assert ref.success
    z_ref = ref.y[0][::-1] - slope * x
    err = np.max(np.abs(s.state.z_pt[sl] - z_ref))
    # the profile must really vary: its depth spans a good part of the way from hd to yn
    depth = s.state.z_pt[sl] - s.net.arrays.pt_bed[sl]
    assert np.ptp(depth) > 0.3 * abs(hd - yn)
    print(f"GVF {profile} {shape}: max level error {err:.2e} m")
    assert err < GVF_TOL_M


# ------------------------------------------------------------------ flow splits
def _branch_depth(branches, q_total):
    """Depth h at which uniform flow in every branch carries q_total together."""

    def excess(h):
        return sum(conveyance(geo, n, h) * math.sqrt(s) for geo, n, s in branches) - q_total

    return brentq(excess, 1e-3, 50.0, xtol=1e-12)


def test_y_junction_splits_by_conveyance(tmp_path):
    """Discharge into a junction feeding two different branches to two level boundaries."""
    q_total = 40.0
    spec = [  # id, section, exact geometry, n, length, slope
        ("b1", lambda m: hc.rectangular(m, "s1", 12.0), rect(12.0), 0.025, 4000.0, 1.5e-4),
        ("b2", lambda m: hc.trapezoidal(m, "s2", 6.0, 2.0), trap(6.0, 2.0), 0.035, 6000.0, 1e-4),
    ]
    h = _branch_depth([(g, n, s) for _, _, g, n, _, s in spec], q_total)
    m = hc.model("y_junction", dt_s=300.0)
    hc.node(m, "J", 0.0, initial_level_m=h + 0.5)
    for k, (rid, add, _, n, length, slope) in enumerate(spec):
        end = f"out{k}"
        hc.node(m, end, length, 1000.0 * (2 * k - 1))
        add(m)
        hc.reach(m, rid, "J", end, length, 100.0, f"s{k + 1}", 0.0, -slope * length, n=n)
        hc.level_bc(m, end, -slope * length + h)
    hc.flow_bc(m, "J", q_total)
    s = hc.solver(m, tmp_path)
    hc.run_steady(s, 300.0, 5 * 86400.0)
    z_j = s.state.z_node[s.net.node_index("J")]
    assert abs(z_j - h) < SPLIT_LEVEL_TOL_M
    for rid, _, geo, n, _, slope in spec:
        q_ref = conveyance(geo, n, h) * math.sqrt(slope)
        q_model = s.state.q_pt[hc.reach_slice(s, rid)]
        err = np.max(np.abs(q_model / q_ref - 1.0))
        print(f"Y-junction {rid}: Q {q_model[0]:.4f} vs {q_ref:.4f} m3/s, rel error {err:.2e}")
        assert err < SPLIT_REL_TOL


def test_loop_splits_by_equal_head_loss(tmp_path):
    """Two parallel reaches of different length, shape and roughness between nodes A and
    B (a loop), an outlet reach from B to a level boundary. With the same bed drop dZ from
    A to B on both, uniform flow at one depth h carries Q_i = K_i(h) sqrt(dZ / L_i)."""
    q_total = 30.0
    drop = 0.45
    spec = [  # id, section, exact geometry, n, length
        ("p1", lambda m: hc.rectangular(m, "s1", 10.0), rect(10.0), 0.030, 3000.0),
        ("p2", lambda m: hc.trapezoidal(m, "s2", 5.0, 1.5), trap(5.0, 1.5), 0.025, 4500.0),
    ]
    h = _branch_depth([(g, n, drop / length) for _, _, g, n, length in spec], q_total)
    out_geo, out_n, out_len = rect(15.0), 0.028, 2000.0
    out_slope = (q_total / conveyance(out_geo, out_n, h)) ** 2
    m = hc.model("loop_split", dt_s=300.0)
    hc.node(m, "A", 0.0, initial_level_m=h + 0.4)
    hc.node(m, "B", 3000.0)
    hc.node(m, "C", 5000.0)
    for _, add, _, _, _ in spec:
        add(m)
    hc.rectangular(m, "s3", 15.0)
    for k, (rid, _, _, n, length) in enumerate(spec):
        hc.reach(m, rid, "A", "B", length, 100.0, f"s{k + 1}", 0.0, -drop, n=n)
    hc.reach(m, "out", "B", "C", out_len, 100.0, "s3", -drop, -drop - out_slope * out_len, n=out_n)
    hc.flow_bc(m, "A", q_total)
    hc.level_bc(m, "C", -drop - out_slope * out_len + h)
    s = hc.solver(m, tmp_path)
    hc.run_steady(s, 300.0, 5 * 86400.0)
    z_a = s.state.z_node[s.net.node_index("A")]
    z_b = s.state.z_node[s.net.node_index("B")]
    assert abs(z_a - h) < SPLIT_LEVEL_TOL_M and abs(z_b - (h - drop)) < SPLIT_LEVEL_TOL_M
    for rid, _, geo, n, length in spec:
        q_ref = conveyance(geo, n, h) * math.sqrt((z_a - z_b) / length)
        q_model = s.state.q_pt[hc.reach_slice(s, rid)]
        err = np.max(np.abs(q_model / q_ref - 1.0))
        print(f"loop {rid}: Q {q_model[0]:.4f} vs {q_ref:.4f} m3/s, rel error {err:.2e}")
        assert err < SPLIT_REL_TOL


def test_laterals_and_rating_outlet(tmp_path):
    """Steady discharge grows along a reach by its laterals: 10 m3/s upstream, 4 m3/s spread
    evenly over chainage 1,000-3,000 m, 1 m3/s at a point in the cell 3,500-3,600 m and
    0.5 m3/s at the junction, then an outlet reach to a rating-curve boundary. The outlet
    level must be where the rating gives the total, 15.5 m3/s (linear table: 1 mm)."""
    m = hc.model("laterals", dt_s=300.0)
    hc.node(m, "up", 0.0, initial_level_m=2.5)
    hc.node(m, "j", 4000.0)
    hc.node(m, "out", 6000.0)
    hc.rectangular(m, "rect", 15.0, n=0.03)
    hc.reach(m, "main", "up", "j", 4000.0, 100.0, "rect", 0.0, -0.4)
    hc.reach(m, "tail", "j", "out", 2000.0, 100.0, "rect", -0.4, -0.6)
    hc.flow_bc(m, "up", 10.0)
    rating_z, rating_q = [-0.6, 1.0, 2.0, 3.0], [0.0, 8.0, 20.0, 40.0]
    m["boundaries"].append(
        {"node": "out", "kind": "rating", "level_m": rating_z, "discharge_m3s": rating_q}
    )
    m["laterals"] += [
        {"id": "spread", "reach": "main", "chainage_m": 1000.0, "chainage_to_m": 3000.0,
         "discharge_m3s": 4.0},
        {"id": "drain", "reach": "main", "chainage_m": 3550.0, "discharge_m3s": 1.0},
        {"id": "node", "node": "j", "discharge_m3s": 0.5},
    ]  # fmt: skip
    s = hc.solver(m, tmp_path)
    hc.run_steady(s, 300.0, 5 * 86400.0)
    sl = hc.reach_slice(s, "main")
    x = s.net.arrays.pt_chainage[sl]
    q_ref = 10.0 + 4.0 * (np.clip(x, 1000.0, 3000.0) - 1000.0) / 2000.0 + 1.0 * (x > 3550.0)
    np.testing.assert_allclose(s.state.q_pt[sl], q_ref, rtol=1e-6)
    np.testing.assert_allclose(s.state.q_pt[hc.reach_slice(s, "tail")], 15.5, rtol=1e-6)
    z_out = s.state.z_node[s.net.node_index("out")]
    z_ref = np.interp(15.5, rating_q, rating_z)
    print(f"rating outlet: level {z_out:.5f} m, rating gives {z_ref:.5f} m")
    assert abs(z_out - z_ref) < SPLIT_LEVEL_TOL_M
