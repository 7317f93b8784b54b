"""Numba kernels of the hydrodynamic step: Preissmann scheme, three-level network solution.

Equations (Cunge, Holly and Verwey 1980, Practical Aspects of Computational River Hydraulics,
ch. 2-3), on water level Z (m) and discharge Q (m3/s):

    B dZ/dt + dQ/dx = q_lat
    dQ/dt + d(Q^2/A)/dx + g A dZ/dx + g A Q|Q| / K^2 = 0,   K = A R^(2/3) / n

Preissmann box between points i, i+1 (weights psi in space, theta in time):
    f ~ psi f_(i+1) + (1 - psi) f_i,  f ~ theta f^(n+1) + (1 - theta) f^n,
each box giving two linear equations in (Z_i, Q_i, Z_(i+1), Q_(i+1)) at n+1 after
linearisation about the latest iterate k:  A^(n+1) ~ A^k + B^k (Z - Z^k) (continuity, so
volume is conserved at convergence); Newton in Q for the convection and friction terms,
Q^2/A ~ 2 u^k Q - u^k Q^k and Q|Q| ~ 2 |Q^k| Q - Q^k |Q^k| (friction fully implicit for
stability on dry or steep reaches); the pressure term's A and the friction's A/K^2 are taken
at the iterate. (A Picard linearisation, u^k Q and |Q^k| Q, converges only linearly, by a
factor of about 0.2 per iteration on a tidal network, and each unconverged step loses
volume in proportion to the square of the last level change.)

Three-level solution (Zhang Ersun et al. 1982, for plain river networks): (1) per reach, a
forward sweep eliminates the box equations into Q_(i+1) = alpha + beta Z_(i+1) + gamma Z_0,
and a symbolic back substitution writes every unknown of the reach as c0 + c1 Z_up + c2 Z_dn;
(2) node continuity with these end relations gives a sparse system in node levels, solved
by banded LU; (3) every point is evaluated from its coefficients.

Carried storage: the state holds, beside the levels, the flow area of every point and the
volume of every node that the continuity equations have conserved (the linearisation
A^k + B^k (Z - Z^k) of the last iteration, evaluated at the new level). The next step starts
its continuity from these, not from A(Z^n). Volume is then conserved to round-off whatever
the number of iterations; a step that ends unconverged leaves A(Z) and the carried area
apart by (dB/dZ) dZ^2 / 2 for its last level change dZ, which the next step takes back
instead of losing it for good.

Wetting and drying (with the slot and the film of ``twin.network.sections``). A point is dry
when its level is below its bed at the start of the step.

1. Frozen points. A dry interior point whose neighbours are dry too, and whose cells
   receive no lateral inflow, is frozen for the step: no flow through it and its level
   held (the dry flag of SOBEK and D-Flow 1D, which close dry flow links; here a box with a
   frozen point keeps only its continuity, which ties the other point's level to its
   discharge, see ``_frozen_box``). A dry stretch is thus inert inside and exchanges water
   only through its end points; without this its slot levels, which cost almost no
   storage, drift in the box scheme's 2 dx mode and drain down the bed. A wetting front
   advances at most one point a step, at most dx/dt.
2. Shallow and dry boxes. A box whose shallower end has a hydraulic depth A/B below h_wet
   (``wet_depth_m``, default 0.2 m) at the start of the step, or is dry, is blended with
   weight w = max(A/B, 0)/h_wet on the box above toward an upwind form: the flow area and
   conveyance of the end whose level is the higher at the iterate (Newton-linearised in
   that level, dK/dZ taken as 5/3 K B/A), the discharge weight moved from psi to the box's
   downstream point (psi_m = w psi + 1 - w), and the convection scaled by w (inertia
   dropped near dry, as in the local partial inertia of Fread, Jin and Lewis 1996). Why: in
   a film at rest the centred box barely couples its two discharges, Q_(i+1) ~ -Q_i, so
   water entering a dry reach would leave the next point with the opposite sign; with the
   weight on one point each box's momentum sets one discharge, and the discharge from a
   wet point into a dry one follows the wet side's geometry, like the upwind depth of the
   fluxes of staggered wetting-drying schemes (Stelling and Duinmeijer 2003, Int. J. Numer.
   Meth. Fluids 43). A box with both ends at least h_wet deep is the box above, bit for
   bit. The friction Jacobian of a shallow box adds g A dt s_lam / K (s_lam =
   ``LAMINAR_SLOPE``), which its residual takes away again: it damps the Newton step where
   the derivative of Q|Q| vanishes (a film at rest) and leaves the converged solution
   Manning's.
3. Wetting points. A(Z) has the slot's width below the bed and the section's above, so a
   Newton step from a dry iterate overshoots by their ratio (metres). After each linear
   solution, points lifted above their bed, or by more than half their depth, get their
   storage linearised again about the level where the true A equals the area the solution
   gave them, and the same linear system is solved again (``_relinearise_rising``, at most
   ``MAX_PASSES`` solutions an iteration): the inner iteration of a nested Newton method for
   piecewise-linear storage (Casulli 2009, Int. J. Numer. Meth. Fluids 60; Casulli and
   Zanolli 2010, SIAM J. Sci. Comput. 32). Volume stays conserved: the carried area is that
   of the linearisation solved.
4. Convergence and the jump check measure a level change at a dry point (and at a dry
   junction) as the depth over the bed it stands for, times b_slot / b_bed. Withdrawals
   (negative laterals) taper off with the depth at the start of the step below h_wet.

Approximate: in boxes shallower than h_wet the momentum balance is first order (upwind
geometry, one-sided discharge, no convection), and friction at a front is that of the
upwind end's depth; a front is spread over a box or two, and advances at most dx/dt. At a
front that advances upstream into a dry reach the slot level of the dry point ahead of it
can be drawn down, by up to about 2 m in the harshest cases tried (it costs little
storage); the slot's widening below D limits this.

Nothing here allocates: every array lives in the solver's work tuple.
"""

from __future__ import annotations

import math

import numba

from ..network.sections import SLOT_EMPTY, eval_points
from ..network.storage import node_storage  # also imported from here by the hydro solver
from ..series import series_mean, series_value
from ..vocab.codes import BC_DISCHARGE, BC_LEVEL, BC_RATING, BC_TIDE, PUMP, SLUICE
from .banded import band_add, band_factor_solve
from .boundaries import rating_flow, tide_level
from .structures import structure_flow

# Status codes returned by the step kernels.
OK = 0
FAIL_NONFINITE = 1
FAIL_JUMP = 2
FAIL_SINGULAR = 3
FAIL_NOT_CONVERGED = 4
FAIL_TOO_DRY = 5

MAX_PASSES = 3
"""Most linear solutions per iteration (see ``_relinearise_rising``)."""

RELINEARISE_RATIO = 1.5
"""Growth of a point's top width within one solution above which its storage is
linearised again about the new level (see ``_relinearise_rising``)."""

BOX_WET, BOX_SHALLOW, BOX_FROZEN = 0, 1, 2
"""How a box is written this step (see the module docstring)."""

SHALLOW_FACTOR = 2.0
"""Points shallower than this many wet depths are checked for wetting (see
``_relinearise_rising``); deeper ones never are."""

LAMINAR_SLOPE = 0.01
"""Slope scale (-) of the linear friction term the Jacobian of a shallow box adds (the
residual does not; see the module docstring)."""

# Indices into the float parameter vector ``par``.
P_THETA, P_PSI, P_G, P_TOL, P_MAXIT, P_DZMAX, P_NOCONV, P_DRYMAX = 0, 1, 2, 3, 4, 5, 6, 7
P_HWET, P_SLOTDEPTH = 8, 9
N_PAR = 10


@numba.njit(cache=True)
def update_controls(t_new, ts, st, state):
    """Structure settings for the coming step (weir crest level m, sluice opening m, pump
    running fraction 0-1): a level rule with hysteresis on the levels at the start of the
    step, else a series value at the step's end; a user override (not NaN) wins."""
    for s in range(st.kind.size):
        kind = st.kind[s]
        if st.rule_node[s] >= 0:
            z = state.z_node[st.rule_node[s]]
            if z > st.rule_above[s]:
                state.rule_on[s] = 1
            elif z < st.rule_below[s]:
                state.rule_on[s] = 0
            value = st.rule_on_value[s] if state.rule_on[s] == 1 else st.rule_off_value[s]
        else:
            value = series_value(st.series[s], t_new, ts.ptr, ts.t, ts.v, ts.mode)
        if not math.isnan(st.override[s]):
            value = st.override[s]
        if kind == PUMP:
            value = min(max(value, 0.0), 1.0)
        elif kind == SLUICE:
            value = min(max(value, 0.0), st.params[s, 5])
        state.setting[s] = value


@numba.njit(cache=True)
def _relinearise_rising(net, tab, w, par):
    """Re-linearise the storage of points that the linear solution just found lifts far:
    a dry point rising above its bed (its storage was linearised with the slot's width),
    or a point rising by more than half its depth (a V-shaped section). Where A(Z) is
    convex (the section widens with depth) the tangent at the iterate lies below A and such
    a step overshoots (by the ratio of the widths: metres for a slot). The solution assigned the point the area
    T = A_k + B_k (Z - Z_k); find the level Z_T where the true A(Z_T) = T (Newton from
    above, monotone for a convex A) and, if the width there exceeds RELINEARISE_RATIO times
    the one used, linearise about Z_T instead, for another solution of the same linear
    system (the inner iteration of a nested Newton method, Casulli and Zanolli 2010).
    Only points shallower than SHALLOW_FACTOR h_wet are looked at (none at all when no point
    was at the start of the step). Returns how many points changed. Scratch: w.alin
    (written only after the last pass) and the time-n geometry w.an, w.bn, w.kn, w.fn
    (used up by then: what later passes need of it is kept in w.box_w and w.qqa_n)."""
    bed = net.pt_bed
    slot_depth = par[P_SLOTDEPTH]
    shallow = SHALLOW_FACTOR * par[P_HWET]
    changed = 0
    for r in range(net.reach_from.size):
        zu = w.znode_new[net.reach_from[r]]
        zd = w.znode_new[net.reach_to[r]]
        for p in range(net.reach_pt[r], net.reach_pt[r + 1]):
            h = w.zk[p] - bed[p]
            if h >= shallow:
                continue
            z = w.cz[p, 0] + w.cz[p, 1] * zu + w.cz[p, 2] * zd
            rise = z - w.zk[p]
            if not rise > 0.0:
                continue
            if h >= 0.0:
                if rise <= 0.5 * h:
                    continue
            elif z <= bed[p]:
                continue
            target = w.a[p] + w.b[p] * rise
            zt = z
            for _ in range(30):
                w.alin[p] = zt
                eval_points(
                    w.alin,
                    p,
                    p + 1,
                    bed,
                    net.pt_sec_a,
                    net.pt_sec_b,
                    net.pt_w,
                    tab,
                    slot_depth,
                    w.an,
                    w.bn,
                    w.kn,
                    w.fn,
                )
                step = (w.an[p] - target) / w.bn[p]
                zt -= step
                if abs(step) < 1e-9 * (1.0 + abs(zt)):
                    break
            w.alin[p] = zt
            eval_points(
                w.alin,
                p,
                p + 1,
                bed,
                net.pt_sec_a,
                net.pt_sec_b,
                net.pt_w,
                tab,
                slot_depth,
                w.an,
                w.bn,
                w.kn,
                w.fn,
            )
            if w.bn[p] > RELINEARISE_RATIO * w.b[p]:
                w.a[p] = w.an[p] + w.bn[p] * (w.zk[p] - zt)
                w.b[p] = w.bn[p]
                changed += 1
    return changed


@numba.njit(cache=True)
def _shallow_momentum(p, c, w, par, dt, rdx, bed):
    """Momentum coefficients (a2, b2, c2, d2, e2) of box (p, p+1) when its shallower end is
    less than h_wet deep at the start of the step (see the module docstring): blended with
    weight w = max(A/B, 0) / h_wet toward upwind flow area and conveyance (Newton in the
    upwind level), the discharge weight on the downstream point and no convection, plus
    a linear friction term in the Jacobian only."""
    theta = par[P_THETA]
    psi = par[P_PSI]
    g = par[P_G]
    slot_depth = par[P_SLOTDEPTH]
    a_i = w.f[p]
    a_j = w.f[p + 1]
    # weight of the centred box, from time n (w.box_w; the time-n geometry itself is
    # scratch once the first linear solution is in)
    om = w.box_w[c]
    up = p if w.zk[p] >= w.zk[p + 1] else p + 1
    pm = om * psi + (1.0 - om)
    abar = om * (psi * a_j + (1.0 - psi) * a_i) + (1.0 - om) * w.f[up]
    kbar = om * (psi * w.k[p + 1] + (1.0 - psi) * w.k[p]) + (1.0 - om) * w.k[up]
    lam = (1.0 - om) * g * abar * dt * LAMINAR_SLOPE / kbar
    qbar = pm * w.qk[p + 1] + (1.0 - pm) * w.qk[p]
    fr = g * abar * dt * abs(qbar) / (kbar * kbar)
    u_i = om * w.qk[p] / a_i
    u_j = om * w.qk[p + 1] / a_j
    ga = g * abar * rdx
    a2 = -theta * ga
    c2 = theta * ga
    b2 = (1.0 - pm) - 2.0 * theta * rdx * u_i + (2.0 * fr + lam) * (1.0 - pm)
    d2 = pm + 2.0 * theta * rdx * u_j + (2.0 * fr + lam) * pm
    e2 = (
        fr * qbar
        + theta * rdx * (u_j * w.qk[p + 1] - u_i * w.qk[p])
        + pm * w.qn[p + 1]
        + (1.0 - pm) * w.qn[p]
        - (1.0 - theta) * rdx * om * (w.qqa_n[p + 1] - w.qqa_n[p])
        - (1.0 - theta) * ga * (w.zn[p + 1] - w.zn[p])
        + lam * qbar
    )
    # Newton in the upwind level for the upwind flow area and conveyance
    h_u = w.zk[up] - bed[up]
    if h_u <= 0.0:
        fill = 1.0 + h_u / slot_depth
        df = w.f[up] / (fill * slot_depth) if fill > SLOT_EMPTY else 0.0
    else:
        df = w.b[up] if w.a[up] >= w.f[up] else 0.0
    if df > 0.0:
        da = (1.0 - om) * df
        dk = (1.0 - om) * (5.0 / 3.0) * w.k[up] * df / w.f[up]
        qq = qbar * abs(qbar)
        dz = theta * (w.zk[p + 1] - w.zk[p]) + (1.0 - theta) * (w.zn[p + 1] - w.zn[p])
        dr = da * (g * rdx * dz + g * dt * qq / (kbar * kbar))
        dr -= 2.0 * g * dt * abar * qq * dk / (kbar * kbar * kbar)
        if up == p:
            a2 += dr
        else:
            c2 += dr
        e2 += dr * w.zk[up]
    return a2, b2, c2, d2, e2


@numba.njit(cache=True)
def _frozen_box(i, p, w, a1, b1, c1, d1, e1):
    """Box i (points p, p+1) of a reach when either point is frozen (dry, with dry
    neighbours: no flow, level held at time n). A frozen point's discharge is 0 and its
    level Z^n; the box keeps its continuity (a1..e1 as in ``_reach_sweep``), which ties the
    other point's level to the discharge there, and has no momentum equation. Writes the
    sweep's recursion and recovery coefficients; returns 0, or 1 if a pivot vanished."""
    fi = w.frozen[p]
    fj = w.frozen[p + 1]
    if fj:
        w.al[p + 1] = 0.0
        w.be[p + 1] = 0.0
        w.ga[p + 1] = 0.0
    if fi:
        # Z_p = Z_p^n, Q_p = 0 (set by the box before)
        w.rc0[p] = w.zn[p]
        w.rc1[p] = 0.0
        w.rc2[p] = 0.0
        w.rc3[p] = 0.0
        if not fj:
            # continuity: c1 Z_(p+1) + d1 Q_(p+1) = e1 - a1 Z_p^n
            w.al[p + 1] = (e1 - a1 * w.zn[p]) / d1
            w.be[p + 1] = -c1 / d1
            w.ga[p + 1] = 0.0
        return 0
    # p+1 frozen, p not: a1 Z_p + b1 Q_p = e1 - c1 Z_(p+1)^n
    rhs = e1 - c1 * w.zn[p + 1]
    if i == 0:
        # Q_0 from continuity in terms of Z_0
        w.rc0[p] = rhs / b1
        w.rc1[p] = -a1 / b1
        w.rc2[p] = 0.0
        w.rc3[p] = 0.0
        return 0
    # Q_p = al + be Z_p + ga Z_0 from the recursion: solve for Z_p
    den = a1 + b1 * w.be[p]
    if den == 0.0:
        return 1
    w.rc0[p] = (rhs - b1 * w.al[p]) / den
    w.rc1[p] = -b1 * w.ga[p] / den
    w.rc2[p] = 0.0
    w.rc3[p] = 0.0
    return 0


@numba.njit(cache=True)
def _reach_sweep_wet(r, net, w, par, dt):
    """``_reach_sweep`` for a reach whose boxes are all wet: the same arithmetic without
    the branches (a wet network runs through this only). The elimination and back
    substitution are written out here and in ``_reach_sweep`` on purpose: any call inside
    this loop, even with a few arrays as arguments, made a step of the Kunshan network
    1.3-2 times slower (measured; see ``_sweep_reaches``)."""
    theta = par[P_THETA]
    psi = par[P_PSI]
    g = par[P_G]
    p0 = net.reach_pt[r]
    p1 = net.reach_pt[r + 1]
    m = p1 - p0 - 1
    # forward sweep: Q_(i+1) = al + be Z_(i+1) + ga Z_0
    for i in range(m):
        p = p0 + i
        c = p - r
        dx = net.cell_dx[c]
        rdx = dt / dx
        # continuity (times dt)
        a1 = (1.0 - psi) * w.b[p]
        b1 = -theta * rdx
        c1 = psi * w.b[p + 1]
        d1 = theta * rdx
        e1 = (
            w.qlat[c] * rdx
            - (1.0 - theta) * rdx * (w.qn[p + 1] - w.qn[p])
            - psi * (w.a[p + 1] - w.b[p + 1] * w.zk[p + 1] - w.ac[p + 1])
            - (1.0 - psi) * (w.a[p] - w.b[p] * w.zk[p] - w.ac[p])
        )
        # a wet box: the Preissmann box as it stands; geometry at the iterate
        a_i = w.f[p]
        a_j = w.f[p + 1]
        abar = psi * a_j + (1.0 - psi) * a_i
        kbar = psi * w.k[p + 1] + (1.0 - psi) * w.k[p]
        qbar = psi * w.qk[p + 1] + (1.0 - psi) * w.qk[p]
        fr = g * abar * dt * abs(qbar) / (kbar * kbar)
        u_i = w.qk[p] / a_i
        u_j = w.qk[p + 1] / a_j
        # momentum (times dt)
        ga = g * abar * rdx
        a2 = -theta * ga
        c2 = theta * ga
        b2 = (1.0 - psi) - 2.0 * theta * rdx * u_i + 2.0 * fr * (1.0 - psi)
        d2 = psi + 2.0 * theta * rdx * u_j + 2.0 * fr * psi
        e2 = (
            fr * qbar
            + theta * rdx * (u_j * w.qk[p + 1] - u_i * w.qk[p])
            + psi * w.qn[p + 1]
            + (1.0 - psi) * w.qn[p]
            - (1.0 - theta) * rdx * (w.qqa_n[p + 1] - w.qqa_n[p])
            - (1.0 - theta) * ga * (w.zn[p + 1] - w.zn[p])
        )
        if i == 0:
            den = d1 * b2 - d2 * b1
            if den == 0.0:
                return 1
            w.al[p + 1] = (e1 * b2 - e2 * b1) / den
            w.be[p + 1] = -(c1 * b2 - c2 * b1) / den
            w.ga[p + 1] = -(a1 * b2 - a2 * b1) / den
            # recovery of Q_0 from continuity: Q_0 = (e1 - a1 Z0 - c1 Z1 - d1 Q1) / b1
            w.rc0[p] = e1 / b1
            w.rc1[p] = -a1 / b1
            w.rc2[p] = -c1 / b1
            w.rc3[p] = -d1 / b1
        else:
            al = w.al[p]
            be = w.be[p]
            gm = w.ga[p]
            A1 = a1 + b1 * be
            A2 = a2 + b2 * be
            E1 = e1 - b1 * al
            E2 = e2 - b2 * al
            G1 = -b1 * gm
            G2 = -b2 * gm
            den = d1 * A2 - d2 * A1
            if den == 0.0:
                return 1
            w.al[p + 1] = (E1 * A2 - E2 * A1) / den
            w.be[p + 1] = -(c1 * A2 - c2 * A1) / den
            w.ga[p + 1] = (G1 * A2 - G2 * A1) / den
            # recovery of Z_i from the better-conditioned equation
            if abs(A1) >= abs(A2):
                if A1 == 0.0:
                    return 1
                w.rc0[p] = E1 / A1
                w.rc1[p] = G1 / A1
                w.rc2[p] = -c1 / A1
                w.rc3[p] = -d1 / A1
            else:
                w.rc0[p] = E2 / A2
                w.rc1[p] = G2 / A2
                w.rc2[p] = -c2 / A2
                w.rc3[p] = -d2 / A2
    # symbolic back substitution in the basis (1, Z_up, Z_dn)
    pl = p1 - 1
    w.cz[pl, 0] = 0.0
    w.cz[pl, 1] = 0.0
    w.cz[pl, 2] = 1.0
    w.cq[pl, 0] = w.al[pl]
    w.cq[pl, 1] = w.ga[pl]
    w.cq[pl, 2] = w.be[pl]
    for p in range(pl - 1, p0, -1):
        for k in range(3):
            w.cz[p, k] = w.rc2[p] * w.cz[p + 1, k] + w.rc3[p] * w.cq[p + 1, k]
        w.cz[p, 0] += w.rc0[p]
        w.cz[p, 1] += w.rc1[p]
        for k in range(3):
            w.cq[p, k] = w.be[p] * w.cz[p, k]
        w.cq[p, 0] += w.al[p]
        w.cq[p, 1] += w.ga[p]
    w.cz[p0, 0] = 0.0
    w.cz[p0, 1] = 1.0
    w.cz[p0, 2] = 0.0
    for k in range(3):
        w.cq[p0, k] = w.rc2[p0] * w.cz[p0 + 1, k] + w.rc3[p0] * w.cq[p0 + 1, k]
    w.cq[p0, 0] += w.rc0[p0]
    w.cq[p0, 1] += w.rc1[p0]
    return 0


@numba.njit(cache=True)
def _reach_sweep(r, net, w, par, dt):
    """Forward elimination and symbolic back substitution on reach r.

    Uses w.a/b (storage area and width, as linearised), w.f/k (flow area and conveyance at
    the iterate), w.ac (carried area at time n), w.qn, w.qqa_n, w.zn (time n), w.zk, w.qk.
    Writes the coefficients of every point's Z and Q in terms of (1, Z_up, Z_dn) into w.cz,
    w.cq. Returns 0, or 1 if a pivot vanished. (Reaches with no shallow or frozen box take
    ``_reach_sweep_wet``; see ``_sweep_reaches``.)
    """
    theta = par[P_THETA]
    psi = par[P_PSI]
    g = par[P_G]
    p0 = net.reach_pt[r]
    p1 = net.reach_pt[r + 1]
    m = p1 - p0 - 1
    # forward sweep: Q_(i+1) = al + be Z_(i+1) + ga Z_0
    for i in range(m):
        p = p0 + i
        c = p - r
        dx = net.cell_dx[c]
        rdx = dt / dx
        # continuity (times dt)
        a1 = (1.0 - psi) * w.b[p]
        b1 = -theta * rdx
        c1 = psi * w.b[p + 1]
        d1 = theta * rdx
        e1 = (
            w.qlat[c] * rdx
            - (1.0 - theta) * rdx * (w.qn[p + 1] - w.qn[p])
            - psi * (w.a[p + 1] - w.b[p + 1] * w.zk[p + 1] - w.ac[p + 1])
            - (1.0 - psi) * (w.a[p] - w.b[p] * w.zk[p] - w.ac[p])
        )
        kind = w.box_kind[c]
        if kind == BOX_FROZEN:
            if _frozen_box(i, p, w, a1, b1, c1, d1, e1) != 0:
                return 1
            continue
        if kind == BOX_SHALLOW:
            a2, b2, c2, d2, e2 = _shallow_momentum(p, c, w, par, dt, rdx, net.pt_bed)
        else:
            # a wet box: the Preissmann box as it stands; geometry at the iterate
            a_i = w.f[p]
            a_j = w.f[p + 1]
            abar = psi * a_j + (1.0 - psi) * a_i
            kbar = psi * w.k[p + 1] + (1.0 - psi) * w.k[p]
            qbar = psi * w.qk[p + 1] + (1.0 - psi) * w.qk[p]
            fr = g * abar * dt * abs(qbar) / (kbar * kbar)
            u_i = w.qk[p] / a_i
            u_j = w.qk[p + 1] / a_j
            # momentum (times dt)
            ga = g * abar * rdx
            a2 = -theta * ga
            c2 = theta * ga
            b2 = (1.0 - psi) - 2.0 * theta * rdx * u_i + 2.0 * fr * (1.0 - psi)
            d2 = psi + 2.0 * theta * rdx * u_j + 2.0 * fr * psi
            e2 = (
                fr * qbar
                + theta * rdx * (u_j * w.qk[p + 1] - u_i * w.qk[p])
                + psi * w.qn[p + 1]
                + (1.0 - psi) * w.qn[p]
                - (1.0 - theta) * rdx * (w.qqa_n[p + 1] - w.qqa_n[p])
                - (1.0 - theta) * ga * (w.zn[p + 1] - w.zn[p])
            )
        if i == 0:
            den = d1 * b2 - d2 * b1
            if den == 0.0:
                return 1
            w.al[p + 1] = (e1 * b2 - e2 * b1) / den
            w.be[p + 1] = -(c1 * b2 - c2 * b1) / den
            w.ga[p + 1] = -(a1 * b2 - a2 * b1) / den
            # recovery of Q_0 from continuity: Q_0 = (e1 - a1 Z0 - c1 Z1 - d1 Q1) / b1
            w.rc0[p] = e1 / b1
            w.rc1[p] = -a1 / b1
            w.rc2[p] = -c1 / b1
            w.rc3[p] = -d1 / b1
        else:
            al = w.al[p]
            be = w.be[p]
            gm = w.ga[p]
            A1 = a1 + b1 * be
            A2 = a2 + b2 * be
            E1 = e1 - b1 * al
            E2 = e2 - b2 * al
            G1 = -b1 * gm
            G2 = -b2 * gm
            den = d1 * A2 - d2 * A1
            if den == 0.0:
                return 1
            w.al[p + 1] = (E1 * A2 - E2 * A1) / den
            w.be[p + 1] = -(c1 * A2 - c2 * A1) / den
            w.ga[p + 1] = (G1 * A2 - G2 * A1) / den
            # recovery of Z_i from the better-conditioned equation
            if abs(A1) >= abs(A2):
                if A1 == 0.0:
                    return 1
                w.rc0[p] = E1 / A1
                w.rc1[p] = G1 / A1
                w.rc2[p] = -c1 / A1
                w.rc3[p] = -d1 / A1
            else:
                w.rc0[p] = E2 / A2
                w.rc1[p] = G2 / A2
                w.rc2[p] = -c2 / A2
                w.rc3[p] = -d2 / A2
    # symbolic back substitution in the basis (1, Z_up, Z_dn)
    pl = p1 - 1
    w.cz[pl, 0] = 0.0
    w.cz[pl, 1] = 0.0
    w.cz[pl, 2] = 1.0
    w.cq[pl, 0] = w.al[pl]
    w.cq[pl, 1] = w.ga[pl]
    w.cq[pl, 2] = w.be[pl]
    for p in range(pl - 1, p0, -1):
        for k in range(3):
            w.cz[p, k] = w.rc2[p] * w.cz[p + 1, k] + w.rc3[p] * w.cq[p + 1, k]
        w.cz[p, 0] += w.rc0[p]
        w.cz[p, 1] += w.rc1[p]
        for k in range(3):
            w.cq[p, k] = w.be[p] * w.cz[p, k]
        w.cq[p, 0] += w.al[p]
        w.cq[p, 1] += w.ga[p]
    w.cz[p0, 0] = 0.0
    w.cz[p0, 1] = 1.0
    w.cz[p0, 2] = 0.0
    for k in range(3):
        w.cq[p0, k] = w.rc2[p0] * w.cz[p0 + 1, k] + w.rc3[p0] * w.cq[p0 + 1, k]
    w.cq[p0, 0] += w.rc0[p0]
    w.cq[p0, 1] += w.rc1[p0]
    return 0


@numba.njit(cache=True)
def _sweep_reaches(net, w, par, dt):
    """Step 1 of the three-level method on every reach; returns 0, or 1 + the reach whose
    pivot vanished. The loop lives in a small function of its own: written inside
    ``substep``, with the choice between the two sweeps made inside ``_reach_sweep``, a
    per-reach call cost about 1 us (measured; 50 times the sweep of a short reach, a
    100-reach network's step 4 times slower). The likely cause is numba's reference
    counting of the work tuple's arrays around calls in large functions."""
    for r in range(net.reach_from.size):
        if w.reach_special[r] == 0:
            rc = _reach_sweep_wet(r, net, w, par, dt)
        else:
            rc = _reach_sweep(r, net, w, par, dt)
        if rc != 0:
            return r + 1
    return 0


@numba.njit(cache=True)
def _assemble_and_solve(net, bc, ts, st, state, w, par, t_new, dt):
    """Node continuity in node levels (three-level step 2); solution left in w.znode_new."""
    theta = par[P_THETA]
    g = par[P_G]
    n = w.rhs.size
    kl = w.band_kl[0]
    ku = kl
    w.ab[:, :] = 0.0
    pos = w.node_pos
    for j in range(n):
        row = pos[j]
        kind = bc.kind[j]
        if kind in (BC_LEVEL, BC_TIDE):
            band_add(w.ab, kl, ku, row, row, 1.0)
            if kind == BC_LEVEL:
                w.rhs[row] = series_value(bc.series[j], t_new, ts.ptr, ts.t, ts.v, ts.mode)
            else:
                w.rhs[row] = tide_level(j, t_new, bc, ts)
            continue
        zk = w.znode_k[j]
        vk, ak = node_storage(j, zk, net)
        band_add(w.ab, kl, ku, row, row, ak / dt)
        rhs = (ak * zk - vk + w.vnode_n[j]) / dt + w.qext[j]
        for e in range(net.node_ptr[j], net.node_ptr[j + 1]):
            r = net.node_reach[e]
            pu = pos[net.reach_from[r]]
            pd = pos[net.reach_to[r]]
            if net.node_end[e] == 0:  # reach leaves node j: its first point's Q is outflow
                p = net.reach_pt[r]
                band_add(w.ab, kl, ku, row, pu, theta * w.cq[p, 1])
                band_add(w.ab, kl, ku, row, pd, theta * w.cq[p, 2])
                rhs -= theta * w.cq[p, 0] + (1.0 - theta) * w.qn[p]
            else:  # reach arrives: its last point's Q is inflow
                p = net.reach_pt[r + 1] - 1
                band_add(w.ab, kl, ku, row, pu, -theta * w.cq[p, 1])
                band_add(w.ab, kl, ku, row, pd, -theta * w.cq[p, 2])
                rhs += theta * w.cq[p, 0] + (1.0 - theta) * w.qn[p]
        if kind == BC_RATING:
            qr, dqr = rating_flow(j, zk, bc)
            band_add(w.ab, kl, ku, row, row, theta * dqr)
            rhs -= theta * (qr - dqr * zk) + (1.0 - theta) * w.rating_n[j]
        w.rhs[row] = rhs
    # structures: fully implicit, linearised about the iterate
    for s in range(st.kind.size):
        u = st.from_node[s]
        d = st.to_node[s]
        zu = w.znode_k[u]
        zd = w.znode_k[d]
        q, dqu, dqd = structure_flow(st.kind[s], st.params[s], state.setting[s], zu, zd, g)
        w.sq0[s] = q
        w.sdu[s] = dqu
        w.sdd[s] = dqd
        base = q - dqu * zu - dqd * zd
        ru = pos[u]
        rd = pos[d]
        if bc.kind[u] != BC_LEVEL and bc.kind[u] != BC_TIDE:
            band_add(w.ab, kl, ku, ru, ru, dqu)
            band_add(w.ab, kl, ku, ru, rd, dqd)
            w.rhs[ru] -= base
        if bc.kind[d] != BC_LEVEL and bc.kind[d] != BC_TIDE:
            band_add(w.ab, kl, ku, rd, ru, -dqu)
            band_add(w.ab, kl, ku, rd, rd, -dqd)
            w.rhs[rd] += base
    info = band_factor_solve(w.ab, kl, ku, w.rhs, w.ipiv)
    if info != 0:
        return info
    for j in range(n):
        w.znode_new[j] = w.rhs[pos[j]]
    return 0


@numba.njit(cache=True)
def _prepare_time_n(net, tab, bc, w, par):
    """Geometry, Q^2/A, wetness (w.wet_n, w.box_kind, w.box_w) and frozen points (w.frozen)
    at time n, once per (sub)step, after the step's laterals (w.qlat). The storage at time n is the carried one
    (w.ac, w.vnode_n, copied from the state), not re-evaluated from levels."""
    eval_points(
        w.zn,
        0,
        w.zn.size,
        net.pt_bed,
        net.pt_sec_a,
        net.pt_sec_b,
        net.pt_w,
        tab,
        par[P_SLOTDEPTH],
        w.an,
        w.bn,
        w.kn,
        w.fn,
    )
    bed = net.pt_bed
    h_wet = par[P_HWET]
    shallow = SHALLOW_FACTOR * h_wet
    n_frozen = 0
    n_shallow = 0
    for r in range(net.reach_from.size):
        p0 = net.reach_pt[r]
        p1 = net.reach_pt[r + 1]
        # how wet: dry (below the bed), shallow (hydraulic depth A/B below h_wet) or wet
        n_dry = 0
        for p in range(p0, p1):
            h = w.zn[p] - bed[p]
            dry = h <= 0.0
            w.frozen[p] = dry  # for now: dry or not
            w.wet_n[p] = not dry and w.fn[p] >= h_wet * w.bn[p]
            if dry:
                n_dry += 1
            if h < shallow:
                n_shallow += 1
        if n_dry >= 3:
            # frozen: dry, with dry neighbours in the reach (never a reach end) and no
            # lateral inflow into its cells
            dry_before = w.frozen[p0]
            w.frozen[p0] = False
            for p in range(p0 + 1, p1 - 1):
                dry_here = w.frozen[p]
                c = p - r
                w.frozen[p] = (
                    dry_before
                    and dry_here
                    and w.frozen[p + 1]
                    and w.qlat[c - 1] == 0.0
                    and w.qlat[c] == 0.0
                )
                dry_before = dry_here
            w.frozen[p1 - 1] = False
        elif n_dry > 0:
            for p in range(p0, p1):
                w.frozen[p] = False
        special = 0
        for p in range(p0, p1):
            if w.frozen[p]:
                w.qn[p] = 0.0  # no flow through a frozen point this step
                n_frozen += 1
            w.qqa_n[p] = w.qn[p] * w.qn[p] / w.fn[p]
            if p > p0:
                c = p - 1 - r
                if w.frozen[p - 1] or w.frozen[p]:
                    w.box_kind[c] = BOX_FROZEN
                    special += 1
                elif not (w.wet_n[p - 1] and w.wet_n[p]):
                    w.box_kind[c] = BOX_SHALLOW
                    # weight of the centred box: the shallower end's hydraulic depth
                    # A/B over h_wet (0 if dry)
                    d_i = w.fn[p - 1] / w.bn[p - 1] if w.zn[p - 1] > bed[p - 1] else 0.0
                    d_j = w.fn[p] / w.bn[p] if w.zn[p] > bed[p] else 0.0
                    w.box_w[c] = min(min(d_i, d_j) / h_wet, 1.0)
                    special += 1
                else:
                    w.box_kind[c] = BOX_WET
        w.reach_special[r] = special
    w.counts[0] = n_shallow
    w.counts[1] = n_frozen
    for j in range(w.znode_n.size):
        if bc.kind[j] == BC_RATING:
            qr, _ = rating_flow(j, w.znode_n[j], bc)
            w.rating_n[j] = qr
        else:
            w.rating_n[j] = 0.0


@numba.njit(cache=True)
def _external_flows(net, bc, ts, lat, w, par, t_old, t_new):
    """Discharge boundaries (w.qbc) and laterals as their exact means over the step, so the
    volume that enters is the integral of the series: w.qext (boundary plus laterals) per
    node, w.qlat per cell, and w.qevap, the part of w.qext that is evaporation (water that
    leaves without its dissolved mass). A withdrawal (negative lateral) is scaled by the
    depth at the start of the step over the wet depth, at most 1: from a cell, its mean
    depth; from a node, the node's level above its bed."""
    h_wet = par[P_HWET]
    bed = net.pt_bed
    w.qlat[:] = 0.0
    for j in range(w.qext.size):
        if bc.kind[j] == BC_DISCHARGE:
            w.qbc[j] = series_mean(bc.series[j], t_old, t_new, ts)
        else:
            w.qbc[j] = 0.0
        w.qext[j] = w.qbc[j]
        w.qevap[j] = 0.0
    for m in range(lat.series.size):
        q = series_mean(lat.series[m], t_old, t_new, ts)
        j = lat.node[m]
        if j >= 0:
            if q < 0.0 and math.isfinite(lat.node_bed[m]):
                q *= min(max((w.znode_n[j] - lat.node_bed[m]) / h_wet, 0.0), 1.0)
            w.qext[j] += q
            if lat.evap[m]:
                w.qevap[j] += q
        else:
            for e in range(lat.ptr[m], lat.ptr[m + 1]):
                qe = q * lat.share[e]
                if qe < 0.0:
                    p = lat.cell_pt[e]
                    depth = 0.5 * (w.zn[p] - bed[p] + w.zn[p + 1] - bed[p + 1])
                    qe *= min(max(depth / h_wet, 0.0), 1.0)
                w.qlat[lat.cell[e]] += qe


@numba.njit(cache=True)
def substep(net, tab, ts, bc, lat, st, state, w, par, t_old, dt):
    """Advance the state by one Preissmann step of dt (s) from epoch time t_old.

    On success the state holds time t_old + dt and w holds this step's theta-weighted
    fluxes (w.qth, w.sq, w.qext, w.qlat); returns OK. On failure the state is left
    untouched and a FAIL_* code is returned with the place in w.fail_where.
    """
    theta = par[P_THETA]
    tol = par[P_TOL]
    maxit = int(par[P_MAXIT])
    t_new = t_old + dt
    n_pts = w.zn.size
    n_nodes = w.znode_n.size
    bed = net.pt_bed
    for p in range(n_pts):
        w.zn[p] = state.z_pt[p]
        w.qn[p] = state.q_pt[p]
        w.zk[p] = state.z_pt[p]
        w.qk[p] = state.q_pt[p]
        w.ac[p] = state.a_pt[p]
    for j in range(n_nodes):
        w.znode_n[j] = state.z_node[j]
        w.znode_k[j] = state.z_node[j]
        w.vnode_n[j] = state.v_node[j]
    update_controls(t_new, ts, st, state)
    _external_flows(net, bc, ts, lat, w, par, t_old, t_new)
    _prepare_time_n(net, tab, bc, w, par)
    change = 0.0
    worst_node = -1
    worst_pt = -1
    for _it in range(maxit):
        eval_points(
            w.zk,
            0,
            n_pts,
            net.pt_bed,
            net.pt_sec_a,
            net.pt_sec_b,
            net.pt_w,
            tab,
            par[P_SLOTDEPTH],
            w.a,
            w.b,
            w.k,
            w.f,
        )
        if w.counts[1] > 0:
            for p in range(n_pts):
                if w.frozen[p]:
                    w.a[p] = w.ac[p]  # its storage holds still: no change of the carried area
        for _pass in range(MAX_PASSES):
            bad = _sweep_reaches(net, w, par, dt)
            if bad != 0:
                w.fail_where[0] = net.reach_pt[bad - 1]
                return FAIL_SINGULAR
            info = _assemble_and_solve(net, bc, ts, st, state, w, par, t_new, dt)
            if info != 0:
                w.fail_where[0] = -1
                w.fail_where[1] = info - 1
                return FAIL_SINGULAR
            if (
                _pass == MAX_PASSES - 1
                or w.counts[0] == 0
                or _relinearise_rising(net, tab, w, par) == 0
            ):
                break
        # Structure flows as they entered node continuity: linearised about the iterate.
        for sidx in range(st.kind.size):
            u = st.from_node[sidx]
            d = st.to_node[sidx]
            w.sq[sidx] = (
                w.sq0[sidx]
                + w.sdu[sidx] * (w.znode_new[u] - w.znode_k[u])
                + w.sdd[sidx] * (w.znode_new[d] - w.znode_k[d])
            )
        change = 0.0
        worst_node = -1
        worst_pt = -1
        for j in range(n_nodes):
            zj = w.znode_new[j]
            if not math.isfinite(zj):
                w.fail_where[0] = -1
                w.fail_where[1] = j
                return FAIL_NONFINITE
            dz = abs(zj - w.znode_k[j])
            if zj < w.node_bed[j] and w.znode_k[j] < w.node_bed[j]:
                dz *= w.node_dry_scale[j]  # a dry junction: as its dry reach ends
            if dz > change:
                change = dz
                worst_node = j
            # the storage node continuity has just conserved (linearised about the iterate)
            vk, ak = node_storage(j, w.znode_k[j], net)
            w.vlin[j] = vk + ak * (zj - w.znode_k[j])
            if bc.kind[j] == BC_RATING:
                # likewise the outflow the rating curve gave it
                qr, dqr = rating_flow(j, w.znode_k[j], bc)
                w.rating_lin[j] = qr + dqr * (zj - w.znode_k[j])
        for r in range(net.reach_from.size):
            zu = w.znode_new[net.reach_from[r]]
            zd = w.znode_new[net.reach_to[r]]
            for p in range(net.reach_pt[r], net.reach_pt[r + 1]):
                z = w.cz[p, 0] + w.cz[p, 1] * zu + w.cz[p, 2] * zd
                q = w.cq[p, 0] + w.cq[p, 1] * zu + w.cq[p, 2] * zd
                if not (math.isfinite(z) and math.isfinite(q)):
                    w.fail_where[0] = p
                    return FAIL_NONFINITE
                dz = abs(z - w.zk[p])
                if dz > change and z < bed[p] and w.zk[p] < bed[p]:
                    dz *= w.dry_scale[p]  # a dry point: the depth over the bed it stands for
                if dz > change:
                    change = dz
                    worst_pt = p
                    worst_node = -1
                # the area the box continuity has just conserved (linearised about the iterate)
                w.alin[p] = w.a[p] + w.b[p] * (z - w.zk[p])
                w.zk[p] = z
                w.qk[p] = q
        for j in range(n_nodes):
            w.znode_k[j] = w.znode_new[j]
        if change < tol:
            break
    # sanity of the converged step
    if change > par[P_NOCONV]:
        # where the level still moved most in the last iteration
        w.fail_where[0] = worst_pt if worst_node < 0 else -1
        w.fail_where[1] = worst_node
        return FAIL_NOT_CONVERGED
    for p in range(n_pts):
        jump = abs(w.zk[p] - w.zn[p])
        if jump > par[P_DZMAX] and w.zk[p] < bed[p] and w.zn[p] < bed[p]:
            jump *= w.dry_scale[p]
        if jump > par[P_DZMAX]:
            w.fail_where[0] = p
            return FAIL_JUMP
        if w.zk[p] < bed[p] - par[P_DRYMAX]:
            w.fail_where[0] = p
            return FAIL_TOO_DRY
    for p in range(n_pts):
        w.qth[p] = theta * w.qk[p] + (1.0 - theta) * w.qn[p]
    for j in range(n_nodes):
        if bc.kind[j] == BC_RATING:
            w.rating_th[j] = theta * w.rating_lin[j] + (1.0 - theta) * w.rating_n[j]
        else:
            w.rating_th[j] = 0.0
    # commit
    for p in range(n_pts):
        state.z_pt[p] = w.zk[p]
        state.q_pt[p] = w.qk[p]
        state.a_pt[p] = w.alin[p]
    for j in range(n_nodes):
        state.z_node[j] = w.znode_k[j]
        state.v_node[j] = w.vlin[j]
    for s in range(st.kind.size):
        state.q_struct[s] = w.sq[s]
    return OK
