"""The linearised equations of one Preissmann box, as rows of coefficients.

Equations (Cunge, Holly and Verwey 1980, Practical Aspects of Computational River Hydraulics,
ch. 2-3), on water level Z (m) and discharge Q (m3/s):

    B dZ/dt + dQ/dx = q_lat
    dQ/dt + d(Q^2/A)/dx + g A dZ/dx + g A Q|Q| / K^2 = 0,   K = A R^(2/3) / n

Box between points i, i+1 of length dx (weights psi in space, theta in time):
    f ~ psi f_(i+1) + (1 - psi) f_i,  f ~ theta f^(n+1) + (1 - theta) f^n,
each box giving two linear equations in (Z_i, Q_i, Z_(i+1), Q_(i+1)) at n+1, written as

    a1 Z_i + b1 Q_i + c1 Z_(i+1) + d1 Q_(i+1) = e1      (continuity, times dt)
    a2 Z_i + b2 Q_i + c2 Z_(i+1) + d2 Q_(i+1) = e2      (momentum, times dt)

after linearisation about the latest iterate k: A^(n+1) ~ A^k + B^k (Z - Z^k) in
continuity (so volume is conserved at convergence); Newton in Q for convection and friction,
Q^2/A ~ 2 u^k Q - u^k Q^k and Q|Q| ~ 2 |Q^k| Q - Q^k |Q^k| (friction fully implicit for
stability on dry or steep reaches); the pressure term's A and the friction's A/K^2 at the
iterate. (A Picard linearisation, u^k Q and |Q^k| Q, converges only linearly, by a factor of
about 0.2 per iteration on a tidal network, and each unconverged step loses volume in
proportion to the square of the last level change.) Storage area A, B: ``Iterate.a, b``;
flow area and conveyance: ``Iterate.f, k``; continuity starts from the carried area
``TimeN.ac`` (see ``twin.hydro.step``).

Shallow and frozen boxes (``twin.hydro.wetdry``) replace the momentum row or the whole box.

Each row is a small function inlined into the sweep (``inline="always"``: a call inside the
sweep loop costs more than the arithmetic; see ``twin.hydro.sweep``)."""

from __future__ import annotations

import numba

from ..network.sections import SLOT_EMPTY

LAMINAR_SLOPE = 0.01
"""Slope scale (-) of the linear friction term the Jacobian of a shallow box adds (the
residual does not; see ``shallow_momentum_row``)."""


@numba.njit(cache=True, inline="always")
def continuity_row(p, qlat_c, tn, it, theta, psi, rdx):
    """Continuity of box (p, p+1) times dt, rdx = dt/dx (s/m), lateral inflow qlat_c
    (m3/s) into the cell:

        psi (A_(i+1) - Ac_(i+1)) + (1 - psi) (A_i - Ac_i)
            + rdx [theta (Q_(i+1) - Q_i) + (1 - theta) (Q^n_(i+1) - Q^n_i)] = rdx q_lat

    with A = A^k + B^k (Z - Z^k) and Ac the carried area at time n. Returns
    (a1, b1, c1, d1, e1): a1 = (1 - psi) B_i (m), b1 = -theta rdx (s/m), c1 = psi B_(i+1),
    d1 = theta rdx, e1 (m2)."""
    a1 = (1.0 - psi) * it.b[p]
    b1 = -theta * rdx
    c1 = psi * it.b[p + 1]
    d1 = theta * rdx
    e1 = (
        qlat_c * rdx
        - (1.0 - theta) * rdx * (tn.qn[p + 1] - tn.qn[p])
        - psi * (it.a[p + 1] - it.b[p + 1] * it.zk[p + 1] - tn.ac[p + 1])
        - (1.0 - psi) * (it.a[p] - it.b[p] * it.zk[p] - tn.ac[p])
    )
    return a1, b1, c1, d1, e1


@numba.njit(cache=True, inline="always")
def momentum_row(p, tn, it, theta, psi, g, dt, rdx):
    """Momentum of a wet box (p, p+1) times dt, the Preissmann box as it stands:

        psi (Q_(i+1) - Q^n_(i+1)) + (1 - psi) (Q_i - Q^n_i)
            + rdx [theta (2 u_(i+1) Q_(i+1) - 2 u_i Q_i - u_(i+1) Q^k_(i+1) + u_i Q^k_i)
                   + (1 - theta) ((Q^2/A_f)^n_(i+1) - (Q^2/A_f)^n_i)]
            + g Ab rdx [theta (Z_(i+1) - Z_i) + (1 - theta) (Z^n_(i+1) - Z^n_i)]
            + fr (2 Qb - Qb^k) = 0

    with u = Q^k / A_f^k, Ab = psi A_f(i+1) + (1 - psi) A_f(i), Kb likewise,
    Qb = psi Q_(i+1) + (1 - psi) Q_i and fr = g Ab dt |Qb^k| / Kb^2 (-), all at the
    iterate. Returns (a2, b2, c2, d2, e2): a2 = -c2 = -theta g Ab rdx (m2/s), b2, d2
    (-), e2 (m3/s)."""
    a_i = it.f[p]
    a_j = it.f[p + 1]
    abar = psi * a_j + (1.0 - psi) * a_i
    kbar = psi * it.k[p + 1] + (1.0 - psi) * it.k[p]
    qbar = psi * it.qk[p + 1] + (1.0 - psi) * it.qk[p]
    fr = g * abar * dt * abs(qbar) / (kbar * kbar)
    u_i = it.qk[p] / a_i
    u_j = it.qk[p + 1] / a_j
    gar = g * abar * rdx
    a2 = -theta * gar
    c2 = theta * gar
    b2 = (1.0 - psi) - 2.0 * theta * rdx * u_i + 2.0 * fr * (1.0 - psi)
    d2 = psi + 2.0 * theta * rdx * u_j + 2.0 * fr * psi
    e2 = (
        fr * qbar
        + theta * rdx * (u_j * it.qk[p + 1] - u_i * it.qk[p])
        + psi * tn.qn[p + 1]
        + (1.0 - psi) * tn.qn[p]
        - (1.0 - theta) * rdx * (tn.qqa_n[p + 1] - tn.qqa_n[p])
        - (1.0 - theta) * gar * (tn.zn[p + 1] - tn.zn[p])
    )
    return a2, b2, c2, d2, e2


@numba.njit(cache=True, inline="always")
def shallow_momentum_row(p, c, tn, it, wd, par, dt, rdx, bed):
    """Momentum row (a2, b2, c2, d2, e2) of box (p, p+1) when its shallower end is less
    than h_wet deep at the start of the step (``twin.hydro.wetdry``): ``momentum_row``
    blended with the weight om = ``WetDry.box_w`` toward an upwind form,

        Ab = om Ab_centred + (1 - om) A_f(up),  Kb likewise,
        Qb = pm Q_(i+1) + (1 - pm) Q_i,  pm = om psi + 1 - om,
        convection times om,

    "up" the end whose level is the higher at the iterate; the flow area and conveyance of
    the upwind end are Newton-linearised in its level (dA_f/dZ = B, or the slot film's
    A_f / (fill D) below the bed; dK/dZ = 5/3 K B / A). The friction Jacobian adds
    lam = (1 - om) g Ab dt s_lam / Kb (s_lam = ``LAMINAR_SLOPE``) and the residual takes it
    away again: it damps the Newton step where the derivative of Q|Q| vanishes (a film at
    rest) and leaves the converged solution Manning's."""
    theta = par.theta
    psi = par.psi
    g = par.gravity_m_s2
    slot_depth = par.slot_depth_m
    a_i = it.f[p]
    a_j = it.f[p + 1]
    # weight of the centred box, from time n (the time-n geometry itself is scratch once
    # the first linear solution is in)
    om = wd.box_w[c]
    up = p if it.zk[p] >= it.zk[p + 1] else p + 1
    pm = om * psi + (1.0 - om)
    abar = om * (psi * a_j + (1.0 - psi) * a_i) + (1.0 - om) * it.f[up]
    kbar = om * (psi * it.k[p + 1] + (1.0 - psi) * it.k[p]) + (1.0 - om) * it.k[up]
    lam = (1.0 - om) * g * abar * dt * LAMINAR_SLOPE / kbar
    qbar = pm * it.qk[p + 1] + (1.0 - pm) * it.qk[p]
    fr = g * abar * dt * abs(qbar) / (kbar * kbar)
    u_i = om * it.qk[p] / a_i
    u_j = om * it.qk[p + 1] / a_j
    gar = g * abar * rdx
    a2 = -theta * gar
    c2 = theta * gar
    b2 = (1.0 - pm) - 2.0 * theta * rdx * u_i + (2.0 * fr + lam) * (1.0 - pm)
    d2 = pm + 2.0 * theta * rdx * u_j + (2.0 * fr + lam) * pm
    e2 = (
        fr * qbar
        + theta * rdx * (u_j * it.qk[p + 1] - u_i * it.qk[p])
        + pm * tn.qn[p + 1]
        + (1.0 - pm) * tn.qn[p]
        - (1.0 - theta) * rdx * om * (tn.qqa_n[p + 1] - tn.qqa_n[p])
        - (1.0 - theta) * gar * (tn.zn[p + 1] - tn.zn[p])
        + lam * qbar
    )
    # Newton in the upwind level for the upwind flow area and conveyance
    h_u = it.zk[up] - bed[up]
    if h_u <= 0.0:
        fill = 1.0 + h_u / slot_depth
        df = it.f[up] / (fill * slot_depth) if fill > SLOT_EMPTY else 0.0
    else:
        df = it.b[up] if it.a[up] >= it.f[up] else 0.0
    if df > 0.0:
        da = (1.0 - om) * df
        dk = (1.0 - om) * (5.0 / 3.0) * it.k[up] * df / it.f[up]
        qq = qbar * abs(qbar)
        dz = theta * (it.zk[p + 1] - it.zk[p]) + (1.0 - theta) * (tn.zn[p + 1] - tn.zn[p])
        dr = da * (g * rdx * dz + g * dt * qq / (kbar * kbar))
        dr -= 2.0 * g * dt * abar * qq * dk / (kbar * kbar * kbar)
        if up == p:
            a2 += dr
        else:
            c2 += dr
        e2 += dr * it.zk[up]
    return a2, b2, c2, d2, e2


@numba.njit(cache=True, inline="always")
def frozen_box(i, p, tn, wd, sw, a1, b1, c1, d1, e1):
    """Box i (points p, p+1) of a reach when either point is frozen (dry, with dry
    neighbours: no flow, level held at time n). A frozen point's discharge is 0 and its
    level Z^n; the box keeps its continuity row (a1..e1 of ``continuity_row``), which ties
    the other point's level to the discharge there, and has no momentum row. Writes the
    sweep's recursion and recovery coefficients (``SweepCoefficients``) in place of
    ``sweep.eliminate``; returns 0, or 1 if a pivot vanished."""
    fi = wd.frozen[p]
    fj = wd.frozen[p + 1]
    if fj:
        sw.al[p + 1] = 0.0
        sw.be[p + 1] = 0.0
        sw.ga[p + 1] = 0.0
    if fi:
        # Z_p = Z_p^n, Q_p = 0 (set by the box before)
        sw.rc0[p] = tn.zn[p]
        sw.rc1[p] = 0.0
        sw.rc2[p] = 0.0
        sw.rc3[p] = 0.0
        if not fj:
            # continuity: c1 Z_(p+1) + d1 Q_(p+1) = e1 - a1 Z_p^n
            sw.al[p + 1] = (e1 - a1 * tn.zn[p]) / d1
            sw.be[p + 1] = -c1 / d1
            sw.ga[p + 1] = 0.0
        return 0
    # p+1 frozen, p not: a1 Z_p + b1 Q_p = e1 - c1 Z_(p+1)^n
    rhs = e1 - c1 * tn.zn[p + 1]
    if i == 0:
        # Q_0 from continuity in terms of Z_0
        sw.rc0[p] = rhs / b1
        sw.rc1[p] = -a1 / b1
        sw.rc2[p] = 0.0
        sw.rc3[p] = 0.0
        return 0
    # Q_p = al + be Z_p + ga Z_0 from the recursion: solve for Z_p
    den = a1 + b1 * sw.be[p]
    if den == 0.0:
        return 1
    sw.rc0[p] = (rhs - b1 * sw.al[p]) / den
    sw.rc1[p] = -b1 * sw.ga[p] / den
    sw.rc2[p] = 0.0
    sw.rc3[p] = 0.0
    return 0
