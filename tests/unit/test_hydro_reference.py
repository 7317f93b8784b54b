"""Reference checks of the hydrodynamic kernels against independent computations.

- The banded LU of the node system (``twin.hydro.banded``) against ``scipy.linalg.solve``
  on random banded systems, diagonally dominant and with row swaps.
- Stage tables (``twin.network.sections``): dA/dh = B, by central differences of the
  tabulated area against the top width, for rectangular, trapezoidal and irregular sections
  and a blend of two, above the bed, in the slot and below it.
- One iteration of the step, sweep of a reach and node solution (``twin.hydro.sweep``,
  ``twin.hydro.nodes``), against the same linearised equations assembled densely in numpy
  from their written form (2 (n - 1) box rows, a node-continuity row upstream, a level
  row downstream) and solved with ``numpy.linalg.solve``.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
import scipy.linalg

from tests import hydro_cases as hc
from twin.hydro.banded import band_add, band_factor_solve
from twin.hydro.boundaries import external_flows
from twin.hydro.controls import update_controls
from twin.hydro.nodes import assemble_and_solve
from twin.hydro.sweep import sweep_reaches
from twin.hydro.wetdry import prepare_time_n
from twin.network.sections import build_table, eval_points, pack_tables, shape_polyline
from twin.network.storage import node_storage

# ----------------------------------------------------------------------------- banded LU


def _band(a: np.ndarray, kl: int) -> np.ndarray:
    n = a.shape[0]
    ab = np.zeros((3 * kl + 1, n))
    for i in range(n):
        for j in range(max(0, i - kl), min(n, i + kl + 1)):
            band_add(ab, kl, kl, i, j, a[i, j])
    return ab


def _random_band(rng, n: int, kl: int, dominant: bool) -> np.ndarray:
    a = np.zeros((n, n))
    for i in range(n):
        for j in range(max(0, i - kl), min(n, i + kl + 1)):
            a[i, j] = rng.uniform(-1.0, 1.0)
    if dominant:
        a[np.diag_indices(n)] = np.sum(np.abs(a), axis=1) + rng.uniform(0.1, 1.0, n)
    else:
        # small diagonal: partial pivoting has to swap rows
        a[np.diag_indices(n)] *= 1e-3
    return a


@pytest.mark.parametrize("dominant", [True, False])
@pytest.mark.parametrize(("n", "kl"), [(1, 0), (7, 1), (40, 3), (60, 6)])
def test_banded_solver_against_scipy(n, kl, dominant):
    rng = np.random.default_rng(1000 * n + kl + dominant)
    for _ in range(5):
        a = _random_band(rng, n, kl, dominant)
        if not dominant and n == 1:
            a[0, 0] = 0.5
        x_ref = rng.normal(size=n)
        rhs = a @ x_ref
        expected = scipy.linalg.solve(a, rhs)
        x = rhs.copy()
        info = band_factor_solve(_band(a, kl), kl, kl, x, np.zeros(n, np.int64))
        assert info == 0
        scale = np.max(np.abs(expected))
        assert np.max(np.abs(x - expected)) <= 1e-10 * scale


def test_banded_solver_reports_a_zero_pivot():
    a = np.diag([2.0, 1.0, 3.0, 1.0])
    a[2, 2] = 0.0  # an empty column: no row to pivot on
    x = np.ones(4)
    assert band_factor_solve(_band(a, 1), 1, 1, x, np.zeros(4, np.int64)) == 3


# --------------------------------------------------------------------------- stage tables

SLOT_DEPTH = 1.0
DH = 0.05
EPS = 1e-5


def _tables():
    rect = shape_polyline("rectangular", width_m=30.0, height_m=6.0)
    trap = shape_polyline("trapezoidal", bottom_width_m=10.0, side_slope=2.0, height_m=6.0)
    # a compound section: main channel and a flood plain with its own roughness
    st = np.array([0.0, 0.0, 40.0, 55.0, 60.0, 75.0, 80.0])
    el = np.array([6.0, 3.2, 3.0, 0.4, 0.0, 0.7, 6.0])
    built = [
        build_table(*rect, np.zeros(0), [0.03], DH, margin_m=2.0),
        build_table(*trap, np.zeros(0), [0.025], DH, margin_m=2.0),
        build_table(st, el, np.array([50.0]), [0.06, 0.03], DH, margin_m=2.0),
    ]
    return pack_tables(built, np.zeros(3), [0.3, 0.1, 0.05]), built


def _geometry(tab, sec_a, sec_b, w_b, h):
    n = h.size
    out = [np.zeros(n) for _ in range(4)]
    full = lambda v: np.full(n, v)  # noqa: E731
    eval_points(
        h, 0, n, np.zeros(n), full(sec_a), full(sec_b), full(float(w_b)), tab, SLOT_DEPTH, *out
    )
    return out  # area, width, conveyance, flow area


def _depths(rng, top):
    """Depths in the three regimes, away from the kinks of A(h) (rows, bed, slot bottom)."""
    below = rng.uniform(-3.0, -SLOT_DEPTH - 0.01, 40)
    slot = rng.uniform(-SLOT_DEPTH + 0.01, -0.01, 40)
    rows = rng.integers(0, int(top / DH) + 40, 200)
    above = (rows + rng.uniform(0.05, 0.95, rows.size)) * DH
    return np.concatenate([below, slot, above])


@pytest.mark.parametrize(
    ("sec_a", "sec_b", "w_b"), [(0, 0, 0.0), (1, 1, 0.0), (2, 2, 0.0), (0, 2, 0.3)]
)
def test_stage_tables_area_derivative_is_top_width(sec_a, sec_b, w_b):
    tab, built = _tables()
    rng = np.random.default_rng(7 + sec_a + sec_b)
    top = max(built[sec_a][2].size, built[sec_b][2].size) * DH
    h = _depths(rng, top)
    a_hi = _geometry(tab, sec_a, sec_b, w_b, h + EPS)[0]
    a_lo = _geometry(tab, sec_a, sec_b, w_b, h - EPS)[0]
    _, b, _, _ = _geometry(tab, sec_a, sec_b, w_b, h)
    dadh = (a_hi - a_lo) / (2 * EPS)
    assert np.all(b > 0)
    assert np.max(np.abs(dadh - b) / b) < 1e-6
    # A is continuous where the slot meets the bed and where the slot widens below it
    for kink in (0.0, -SLOT_DEPTH):
        a2 = _geometry(tab, sec_a, sec_b, w_b, np.array([kink - 1e-9, kink + 1e-9]))[0]
        assert abs(a2[1] - a2[0]) < 1e-6


def test_stage_tables_area_of_prismatic_sections():
    tab, _ = _tables()
    h = np.linspace(0.01, 7.5, 300)
    a_rect, b_rect, _, _ = _geometry(tab, 0, 0, 0.0, h)
    assert np.allclose(a_rect, 30.0 * h, rtol=1e-12) and np.allclose(b_rect, 30.0, rtol=1e-12)
    a_trap, b_trap, _, _ = _geometry(tab, 1, 1, 0.0, h)
    inside = h <= 6.0  # the table has walls above its top
    assert np.allclose(a_trap[inside], ((10.0 + 2.0 * h) * h)[inside], rtol=1e-9)
    assert np.allclose(b_trap[inside], (10.0 + 4.0 * h)[inside], rtol=1e-9)
    # in the slot: the slot's width, the area a deficit below the bed
    a_slot, b_slot, _, _ = _geometry(tab, 0, 0, 0.0, np.array([-0.5]))
    assert b_slot[0] == pytest.approx(0.3) and a_slot[0] == pytest.approx(-0.15)


# ------------------------------------------------------------- sweep and node solution


def _channel(folder):
    m = hc.model("reference", days=2.0, dt_s=300.0, max_iterations=2)
    hc.node(m, "U", 0.0)
    hc.node(m, "D", 5000.0)
    hc.trapezoidal(m, "trap", 20.0, 2.0, n=0.03)
    hc.reach(m, "r", "U", "D", 5000.0, 250.0, "trap", 0.0, -1.0, initial_level_m=3.0)
    t = np.arange(0.0, 2.01, 0.25)
    m["timeseries"].append(
        {
            "id": "q_up",
            "units": "m3 s-1",
            "times": [hc.START + timedelta(days=float(d)) for d in t],
            "values": [float(10.0 + 50.0 * d) for d in t],
        }
    )
    hc.flow_bc(m, "U", "q_up")
    hc.level_bc(m, "D", 3.0)
    m["laterals"].append({"id": "side", "reach": "r", "discharge_m3s": 2.0})
    return hc.solver(m, folder)


def _one_iteration(s, dt, perturb):
    """Time n from the state, an iterate (perturbed from time n), the linearisation, the
    sweep and the node solution: the first iteration of ``step.substep``."""
    net, w, st, par = s.net, s.work, s.state, s.params
    a = net.arrays
    tn, it = w.tn, w.it
    t_old = s.time
    t_new = t_old + dt
    tn.zn[:] = st.z_pt
    tn.qn[:] = st.q_pt
    tn.ac[:] = st.a_pt
    tn.znode_n[:] = st.z_node
    tn.vnode_n[:] = st.v_node
    k = np.arange(net.n_points)
    it.zk[:] = st.z_pt + perturb * 0.03 * np.sin(1.7 * k)
    it.qk[:] = st.q_pt * (1.0 + perturb * 0.08 * np.cos(0.9 * k))
    it.znode_k[:] = st.z_node
    it.znode_k[a.reach_from[0]] = it.zk[0]
    it.znode_k[a.reach_to[0]] = it.zk[-1]
    update_controls(t_new, s.ts, s.st, st)
    external_flows(a, s.bc, s.ts, s.lat, w, par, t_old, t_new)
    prepare_time_n(a, net.tables, s.bc, w, par)
    eval_points(
        it.zk, 0, net.n_points, a.pt_bed, a.pt_sec_a, a.pt_sec_b, a.pt_w, net.tables,
        par.slot_depth_m, it.a, it.b, it.k, it.f,
    )  # fmt: skip
    assert sweep_reaches(a, w, par, dt) == 0
    assert assemble_and_solve(a, s.bc, s.ts, s.st, st, w, par, t_new, dt) == 0
    zu = it.znode_new[a.reach_from[0]]
    zd = it.znode_new[a.reach_to[0]]
    basis = np.array([1.0, zu, zd])
    return w.sw.cz @ basis, w.sw.cq @ basis, t_new


def _dense_solution(s, dt, t_new):
    """The same linearised equations, written out from their documented form."""
    net, w, par = s.net, s.work, s.params
    a = net.arrays
    tn, it = w.tn, w.it
    theta, psi, g = par.theta, par.psi, par.gravity_m_s2
    n = net.n_points
    # time-n flow area and convection flux, evaluated here afresh
    fa_n = [np.zeros(n) for _ in range(4)]
    eval_points(
        tn.zn, 0, n, a.pt_bed, a.pt_sec_a, a.pt_sec_b, a.pt_w, net.tables, par.slot_depth_m,
        *fa_n,
    )  # fmt: skip
    qqa_n = tn.qn**2 / fa_n[3]
    m = np.zeros((2 * n, 2 * n))
    rhs = np.zeros(2 * n)
    iz = np.arange(n)  # unknown Z_p
    iq = n + np.arange(n)  # unknown Q_p
    for i in range(n - 1):
        p, q = i, i + 1
        rdx = dt / a.cell_dx[i]
        # continuity: psi (A_q - Ac_q) + (1 - psi) (A_p - Ac_p) + rdx theta (Q_q - Q_p)
        #   = rdx q_lat - rdx (1 - theta) (Qn_q - Qn_p), with A = a + b (Z - zk)
        row = 2 * i
        m[row, iz[p]] = (1 - psi) * it.b[p]
        m[row, iz[q]] = psi * it.b[q]
        m[row, iq[p]] = -theta * rdx
        m[row, iq[q]] = theta * rdx
        rhs[row] = (
            rdx * w.fl.qlat[i]
            - rdx * (1 - theta) * (tn.qn[q] - tn.qn[p])
            - psi * (it.a[q] - it.b[q] * it.zk[q] - tn.ac[q])
            - (1 - psi) * (it.a[p] - it.b[p] * it.zk[p] - tn.ac[p])
        )
        # momentum, Newton in Q for convection and friction, geometry at the iterate
        ab = psi * it.f[q] + (1 - psi) * it.f[p]
        kb = psi * it.k[q] + (1 - psi) * it.k[p]
        qb_k = psi * it.qk[q] + (1 - psi) * it.qk[p]
        fr = g * ab * dt * abs(qb_k) / kb**2
        u_p, u_q = it.qk[p] / it.f[p], it.qk[q] / it.f[q]
        row = 2 * i + 1
        m[row, iq[q]] = psi + rdx * theta * 2 * u_q + 2 * fr * psi
        m[row, iq[p]] = (1 - psi) - rdx * theta * 2 * u_p + 2 * fr * (1 - psi)
        m[row, iz[q]] = g * ab * rdx * theta
        m[row, iz[p]] = -g * ab * rdx * theta
        rhs[row] = (
            psi * tn.qn[q]
            + (1 - psi) * tn.qn[p]
            + rdx * theta * (u_q * it.qk[q] - u_p * it.qk[p])
            - rdx * (1 - theta) * (qqa_n[q] - qqa_n[p])
            - g * ab * rdx * (1 - theta) * (tn.zn[q] - tn.zn[p])
            + fr * qb_k
        )
    # upstream node (a discharge boundary, a junction's storage): (V(Z) - V^n) / dt =
    # q_ext - (theta Q_0 + (1 - theta) Qn_0), V linearised about the iterate
    ju, jd = a.reach_from[0], a.reach_to[0]
    vk, ak = node_storage(ju, it.znode_k[ju], a)
    m[2 * n - 2, iz[0]] = ak / dt
    m[2 * n - 2, iq[0]] = theta
    rhs[2 * n - 2] = (
        w.fl.qext[ju] - (1 - theta) * tn.qn[0] + (ak * it.znode_k[ju] - vk + tn.vnode_n[ju]) / dt
    )
    # downstream: the level boundary
    m[2 * n - 1, iz[n - 1]] = 1.0
    rhs[2 * n - 1] = 3.0
    assert jd != ju
    x = np.linalg.solve(m, rhs)
    return x[:n], x[n:]


@pytest.mark.parametrize("perturb", [0.0, 1.0])
def test_sweep_and_node_solution_against_dense_assembly(tmp_path, perturb):
    s = _channel(tmp_path)
    dt = 300.0
    for _ in range(60):  # five hours into the rising inflow: unsteady, all wet
        status, _ = s.advance(dt)
        assert status == 0, s.describe_failure(status)
    z, q, t_new = _one_iteration(s, dt, perturb)
    assert np.all(s.work.wd.reach_special == 0)  # every box wet: reach_sweep_wet
    assert np.max(np.abs(s.work.fl.qlat)) > 0 and np.ptp(q) > 1.0
    z_ref, q_ref = _dense_solution(s, dt, t_new)
    assert np.max(np.abs(z - z_ref)) <= 1e-10 * np.max(np.abs(z_ref))
    assert np.max(np.abs(q - q_ref)) <= 1e-10 * np.max(np.abs(q_ref))
    # the general sweep, on the same wet boxes, is the wet one bit for bit
    cz, cq = s.work.sw.cz.copy(), s.work.sw.cq.copy()
    s.work.wd.reach_special[:] = 1
    assert sweep_reaches(s.net.arrays, s.work, s.params, dt) == 0
    assert np.array_equal(cz, s.work.sw.cz) and np.array_equal(cq, s.work.sw.cq)
