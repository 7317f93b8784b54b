"""Step 1 of the three-level method (Zhang Ersun et al. 1982, for plain river networks):
per reach, a forward sweep eliminates the box rows (``twin.hydro.box``) into

    Q_(i+1) = al + be Z_(i+1) + ga Z_0,

and a symbolic back substitution writes every unknown of the reach as c0 + c1 Z_up +
c2 Z_dn in the levels of its two end nodes (``SweepCoefficients``). Node continuity with
these end relations is step 2 (``twin.hydro.nodes``); step 3 evaluates every point
(``twin.hydro.step``).

Calls and speed (measured on this code's predecessors): with the loop over reaches written
inside the step and the choice between the wet and the general sweep made inside one
function, a per-reach call cost about 1 us, 50 times the sweep of a short reach (a 100-reach
network's step 4 times slower); any call inside the loop over boxes, even with a few arrays
as arguments, made a step of the Kunshan network 1.3-2 times slower. The likely cause is
numba's reference counting of the work tuple's arrays around calls in large functions. So
the loop over reaches lives in a small function of its own, the reach sweeps take only the
parts of the work they use, and every function called inside them is inlined at numba's IR
level (``inline="always"``), which leaves no call at all.

The wet and the general sweep share ``eliminate`` and ``back_substitute`` that way; they
were once two copies of the same hundred lines. Measured on the all-wet ladder network of
``benchmarks/bench_hydro.py`` at 1e4 points (2 cores with a load of 3-8 from other work;
best of 8 runs each, alternating with a ``reach_sweep_wet`` written out in full, time per
step): 1093 us shared vs 1110 us copied with 1 iteration a step, 1636 vs 1653 us with 2:
sharing costs nothing measurable."""

from __future__ import annotations

import numba

from .box import continuity_row, frozen_box, momentum_row, shallow_momentum_row
from .wetdry import BOX_FROZEN, BOX_SHALLOW


@numba.njit(cache=True, inline="always")
def eliminate(i, p, a1, b1, c1, d1, e1, a2, b2, c2, d2, e2, sw):
    """Eliminate box i (points p, p+1) of a reach: its continuity row (a1..e1) and
    momentum row (a2..e2) with the recursion Q_p = al_p + be_p Z_p + ga_p Z_0 of the box
    before give the recursion at p+1 (sw.al, sw.be, sw.ga) and the recovery of point p
    (sw.rc0..rc3).

    First box (i = 0): Q_1 = al + be Z_1 + ga Z_0 from the two rows by Cramer's rule, and
    Q_0 = (e1 - a1 Z_0 - c1 Z_1 - d1 Q_1) / b1 from continuity. Later boxes: Q_p replaced
    by the recursion, each row reads A Z_p + d Q_(p+1) + c Z_(p+1) = E + G Z_0 with
    A = a + b be_p, E = e - b al_p, G = -b ga_p; eliminating Z_p gives the recursion at
    p+1, and Z_p is recovered from the row with the larger |A| (the better conditioned).
    Returns 0, or 1 if a pivot vanished."""
    if i == 0:
        den = d1 * b2 - d2 * b1
        if den == 0.0:
            return 1
        sw.al[p + 1] = (e1 * b2 - e2 * b1) / den
        sw.be[p + 1] = -(c1 * b2 - c2 * b1) / den
        sw.ga[p + 1] = -(a1 * b2 - a2 * b1) / den
        sw.rc0[p] = e1 / b1
        sw.rc1[p] = -a1 / b1
        sw.rc2[p] = -c1 / b1
        sw.rc3[p] = -d1 / b1
        return 0
    al_p = sw.al[p]
    be_p = sw.be[p]
    ga_p = sw.ga[p]
    A1 = a1 + b1 * be_p
    A2 = a2 + b2 * be_p
    E1 = e1 - b1 * al_p
    E2 = e2 - b2 * al_p
    G1 = -b1 * ga_p
    G2 = -b2 * ga_p
    den = d1 * A2 - d2 * A1
    if den == 0.0:
        return 1
    sw.al[p + 1] = (E1 * A2 - E2 * A1) / den
    sw.be[p + 1] = -(c1 * A2 - c2 * A1) / den
    sw.ga[p + 1] = (G1 * A2 - G2 * A1) / den
    if abs(A1) >= abs(A2):
        if A1 == 0.0:
            return 1
        sw.rc0[p] = E1 / A1
        sw.rc1[p] = G1 / A1
        sw.rc2[p] = -c1 / A1
        sw.rc3[p] = -d1 / A1
    else:
        sw.rc0[p] = E2 / A2
        sw.rc1[p] = G2 / A2
        sw.rc2[p] = -c2 / A2
        sw.rc3[p] = -d2 / A2
    return 0


@numba.njit(cache=True, inline="always")
def back_substitute(p0, p1, sw):
    """Symbolic back substitution on the reach of points p0..p1-1, in the basis
    (1, Z_up, Z_dn): Z at the last point is Z_dn and Q there its recursion; each point
    before follows from its recovery coefficients and the point after it; Z at the first
    point is Z_up and Q there its recovery from continuity. Writes sw.cz, sw.cq."""
    pl = p1 - 1
    sw.cz[pl, 0] = 0.0
    sw.cz[pl, 1] = 0.0
    sw.cz[pl, 2] = 1.0
    sw.cq[pl, 0] = sw.al[pl]
    sw.cq[pl, 1] = sw.ga[pl]
    sw.cq[pl, 2] = sw.be[pl]
    for p in range(pl - 1, p0, -1):
        for j in range(3):
            sw.cz[p, j] = sw.rc2[p] * sw.cz[p + 1, j] + sw.rc3[p] * sw.cq[p + 1, j]
        sw.cz[p, 0] += sw.rc0[p]
        sw.cz[p, 1] += sw.rc1[p]
        for j in range(3):
            sw.cq[p, j] = sw.be[p] * sw.cz[p, j]
        sw.cq[p, 0] += sw.al[p]
        sw.cq[p, 1] += sw.ga[p]
    sw.cz[p0, 0] = 0.0
    sw.cz[p0, 1] = 1.0
    sw.cz[p0, 2] = 0.0
    for j in range(3):
        sw.cq[p0, j] = sw.rc2[p0] * sw.cz[p0 + 1, j] + sw.rc3[p0] * sw.cq[p0 + 1, j]
    sw.cq[p0, 0] += sw.rc0[p0]
    sw.cq[p0, 1] += sw.rc1[p0]


@numba.njit(cache=True)
def reach_sweep_wet(r, net, tn, it, qlat, sw, par, dt):
    """``reach_sweep`` for a reach whose boxes are all wet: the same arithmetic without
    the branches on the kind of box (a wet network runs through this only)."""
    theta = par.theta
    psi = par.psi
    g = par.gravity_m_s2
    p0 = net.reach_pt[r]
    p1 = net.reach_pt[r + 1]
    for i in range(p1 - p0 - 1):
        p = p0 + i
        c = p - r
        rdx = dt / net.cell_dx[c]
        a1, b1, c1, d1, e1 = continuity_row(p, qlat[c], tn, it, theta, psi, rdx)
        a2, b2, c2, d2, e2 = momentum_row(p, tn, it, theta, psi, g, dt, rdx)
        if eliminate(i, p, a1, b1, c1, d1, e1, a2, b2, c2, d2, e2, sw) != 0:
            return 1
    back_substitute(p0, p1, sw)
    return 0


@numba.njit(cache=True)
def reach_sweep(r, net, tn, it, qlat, wd, sw, par, dt):
    """Forward elimination and symbolic back substitution on reach r, with wet, shallow
    and frozen boxes (``WetDry.box_kind``).

    Reads the iterate's storage (it.a, it.b, as linearised), flow area and conveyance
    (it.f, it.k), levels and discharges (it.zk, it.qk), and time n (tn.ac, tn.qn,
    tn.qqa_n, tn.zn). Writes the coefficients of every point's Z and Q in terms of
    (1, Z_up, Z_dn) into sw.cz, sw.cq. Returns 0, or 1 if a pivot vanished.
    """
    theta = par.theta
    psi = par.psi
    g = par.gravity_m_s2
    bed = net.pt_bed
    p0 = net.reach_pt[r]
    p1 = net.reach_pt[r + 1]
    for i in range(p1 - p0 - 1):
        p = p0 + i
        c = p - r
        rdx = dt / net.cell_dx[c]
        a1, b1, c1, d1, e1 = continuity_row(p, qlat[c], tn, it, theta, psi, rdx)
        kind = wd.box_kind[c]
        if kind == BOX_FROZEN:
            if frozen_box(i, p, tn, wd, sw, a1, b1, c1, d1, e1) != 0:
                return 1
            continue
        if kind == BOX_SHALLOW:
            a2, b2, c2, d2, e2 = shallow_momentum_row(p, c, tn, it, wd, par, dt, rdx, bed)
        else:
            a2, b2, c2, d2, e2 = momentum_row(p, tn, it, theta, psi, g, dt, rdx)
        if eliminate(i, p, a1, b1, c1, d1, e1, a2, b2, c2, d2, e2, sw) != 0:
            return 1
    back_substitute(p0, p1, sw)
    return 0


@numba.njit(cache=True)
def sweep_reaches(net, w, par, dt):
    """Step 1 of the three-level method on every reach; returns 0, or 1 + the reach whose
    pivot vanished. Reaches with no shallow or frozen box take ``reach_sweep_wet``."""
    tn = w.tn
    it = w.it
    qlat = w.fl.qlat
    wd = w.wd
    sw = w.sw
    for r in range(net.reach_from.size):
        if wd.reach_special[r] == 0:
            rc = reach_sweep_wet(r, net, tn, it, qlat, sw, par, dt)
        else:
            rc = reach_sweep(r, net, tn, it, qlat, wd, sw, par, dt)
        if rc != 0:
            return r + 1
    return 0
