"""Nitrogen and phosphorus kinetics per cell, integrated exactly over a time step.

Processes (rates at 20 C per day, k_T = k20 * theta^(T - 20); HEC-RAS NSM-I structure,
Zhang and Johnson 2016; Chapra 2008, Surface Water-Quality Modeling, ch. 23-28):

    ON'  = -(k_a + v_on/h) ON                              ammonification, settling
    NH3' =   k_a ON - k_n f_DO NH3 + r_nh3 / h             nitrification, sediment release
    NO3' =   k_n f_DO NH3 - k_dn NO3                       denitrification
    OP'  = -(k_p + v_op/h) OP                              mineralisation, settling
    PO4' =   k_p OP + r_po4 / h                            sediment release

with h the cell's mean depth (m), v settling velocities (m/d), r zero-order sediment release
(g m-2 d-1 = mg/L m d-1). The system is linear and triangular, so over a step of length t the
exact solution is a sum of divided differences of exp(-lambda t) (Bateman's solution written
to stay accurate when rates coincide). It is stable for any step, keeps concentrations
non-negative, and its process budgets close the mass balance exactly.

Not modelled here: algal uptake and respiration, DO and organic matter (DO-limitation of
nitrification applies only where a DO value is given: f_DO = DO / (K_DO + DO)).
"""

from __future__ import annotations

import math

import numba
import numpy as np

SECONDS_PER_DAY = 86400.0

# Per-tracer species order within a group (the conservative tracer is transported only).
ON, NH3, NO3, OP, PO4 = 0, 1, 2, 3, 4
N_REACTIVE = 5

# Kinetic parameter columns (per cell), all at 20 C.
K_AMMON, T_AMMON, K_NITR, T_NITR, KDO_NITR, K_DENIT, T_DENIT, K_PMIN, T_PMIN = range(9)
V_ON, V_OP, T_SETTLE, R_PO4, R_NH3, T_SED = range(9, 15)
N_KIN = 15

# Process budget columns (g): per cell and step, summed by the solver.
B_AMMON, B_NITR, B_DENIT, B_PMIN, B_SETTLE_ON, B_SETTLE_OP, B_SED_NH3, B_SED_PO4 = range(8)
N_BUDGET = 8
BUDGET_NAMES = (
    "ammonification", "nitrification", "denitrification", "p_mineralisation",
    "settling_on", "settling_op", "sediment_release_nh3", "sediment_release_po4",
)  # fmt: skip


@numba.njit(cache=True, inline="always")
def phi1(x):
    """(1 - exp(-x)) / x, exact to round-off for all x (series near 0)."""
    if abs(x) < 1e-8:
        return 1.0 - 0.5 * x
    return -math.expm1(-x) / x


@numba.njit(cache=True)
def dd1(a, b, t):
    """First divided difference of exp(-lambda t): (e^(-a t) - e^(-b t)) / (b - a), the
    response of a chain's second member to a unit first member (a, b in 1/s, t in s)."""
    lo = min(a, b)
    return t * math.exp(-lo * t) * phi1(abs(b - a) * t)


@numba.njit(cache=True)
def dd2(a, b, c, t):
    """Second divided difference (dd1(a, b) - dd1(b, c)) / (c - a): the response of a
    three-member chain's last member. Near-coincident rates use the limit t^2/2 e^(-m t)
    with m the mean rate (relative error below 1e-10 there)."""
    lo = min(a, min(b, c))
    hi = max(a, max(b, c))
    if (hi - lo) * t < 1e-5:
        m = (a + b + c) / 3.0
        return 0.5 * t * t * math.exp(-m * t)
    if abs(c - a) >= abs(c - b) and abs(c - a) >= abs(b - a):
        return (dd1(a, b, t) - dd1(b, c, t)) / (c - a)
    if abs(c - b) >= abs(b - a):
        # symmetric: reorder so the denominator is the widest gap
        return (dd1(b, a, t) - dd1(a, c, t)) / (c - b)
    return (dd1(a, c, t) - dd1(c, b, t)) / (b - a)


@numba.njit(cache=True)
def rates_per_s(kin, temp_c, depth_m, do_mg_l):
    """Temperature-corrected rates (1/s) and zero-order sources (mg/L/s) for one cell."""
    dT = temp_c - 20.0
    k_a = kin[K_AMMON] * kin[T_AMMON] ** dT / SECONDS_PER_DAY
    f_do = 1.0
    if do_mg_l >= 0.0:
        f_do = do_mg_l / (kin[KDO_NITR] + do_mg_l) if kin[KDO_NITR] + do_mg_l > 0.0 else 0.0
    k_n = kin[K_NITR] * kin[T_NITR] ** dT * f_do / SECONDS_PER_DAY
    k_dn = kin[K_DENIT] * kin[T_DENIT] ** dT / SECONDS_PER_DAY
    k_p = kin[K_PMIN] * kin[T_PMIN] ** dT / SECONDS_PER_DAY
    h = max(depth_m, 0.05)
    st = kin[T_SETTLE] ** dT
    s_on = kin[V_ON] * st / h / SECONDS_PER_DAY
    s_op = kin[V_OP] * st / h / SECONDS_PER_DAY
    sd = kin[T_SED] ** dT
    r_nh3 = kin[R_NH3] * sd / h / SECONDS_PER_DAY
    r_po4 = kin[R_PO4] * sd / h / SECONDS_PER_DAY
    return k_a, k_n, k_dn, k_p, s_on, s_op, r_nh3, r_po4


@numba.njit(cache=True)
def react_group(c, base, t, k_a, k_n, k_dn, k_p, s_on, s_op, src_nh3, src_po4, volume, budget):
    """Advance one group's five reactive species c[base:base+5] (mg/L) over t seconds
    exactly; add the process masses (g, for a cell of ``volume`` m3) to ``budget``.

    src_* are zero-order sources (mg/L/s); only the 'total' and 'sediment' groups get them.
    """
    on0 = c[base + ON]
    nh0 = c[base + NH3]
    no0 = c[base + NO3]
    op0 = c[base + OP]
    po0 = c[base + PO4]
    a = k_a + s_on
    # organic N
    on1 = on0 * math.exp(-a * t)
    # ammonia: decay k_n, fed by ammonification of ON and by a constant source
    nh1 = nh0 * math.exp(-k_n * t) + k_a * on0 * dd1(a, k_n, t) + src_nh3 * dd1(0.0, k_n, t)
    # nitrate: fed by nitrification of the ammonia chain
    no1 = (
        no0 * math.exp(-k_dn * t)
        + k_n * nh0 * dd1(k_n, k_dn, t)
        + k_a * k_n * on0 * dd2(a, k_n, k_dn, t)
        + k_n * src_nh3 * dd2(0.0, k_n, k_dn, t)
    )
    ap = k_p + s_op
    op1 = op0 * math.exp(-ap * t)
    po1 = po0 + k_p * op0 * dd1(ap, 0.0, t) + src_po4 * t
    c[base + ON] = on1
    c[base + NH3] = nh1
    c[base + NO3] = no1
    c[base + OP] = op1
    c[base + PO4] = po1
    # budgets (mg/L * m3 = g): split each loss by its share of the total rate
    lost_on = on0 - on1
    ammon = lost_on * (k_a / a) if a > 0.0 else 0.0
    settle_on = lost_on - ammon
    sed_nh3 = src_nh3 * t
    nitr = nh0 + ammon + sed_nh3 - nh1
    denit = no0 + nitr - no1
    lost_op = op0 - op1
    pmin = lost_op * (k_p / ap) if ap > 0.0 else 0.0
    settle_op = lost_op - pmin
    sed_po4 = src_po4 * t
    budget[B_AMMON] += ammon * volume
    budget[B_NITR] += nitr * volume
    budget[B_DENIT] += denit * volume
    budget[B_PMIN] += pmin * volume
    budget[B_SETTLE_ON] += settle_on * volume
    budget[B_SETTLE_OP] += settle_op * volume
    budget[B_SED_NH3] += sed_nh3 * volume
    budget[B_SED_PO4] += sed_po4 * volume


# Per parameter row and step (react_all's row_work columns): temperature-corrected rates
# (1/s), settling and release per unit depth, and the depth-independent chain responses.
(W_KA, W_KN, W_KDN, W_KP, W_FON, W_FOP, W_GNH3, W_GPO4, W_EN, W_EDN, W_DNDN, W_D0N,
 W_D20NDN) = range(13)  # fmt: skip
N_ROW_WORK = 13


@numba.njit(cache=True)
def react_all(
    conc,
    mass,
    volume,
    depth,
    kin_rows,
    cell_row,
    temp_c,
    do_mg_l,
    dt,
    n_groups,
    sediment_group,
    budget,
    row_work,
):
    """Kinetics for every cell over dt seconds, exactly (the solution of react_group).

    conc[cell, k] holds, per group g, the five reactive species at columns 5 g .. 5 g + 4
    (group 0 is the total); the conservative tracer sits after the groups and does not
    react. kin_rows[i, :] are 20 C parameter rows (see the K_* columns) and cell_row[c] the
    row of cell c. budget[g, :] gathers process masses (g) per group; row_work is scratch of
    shape (rows, N_ROW_WORK). On return mass[c, k] = conc[c, k] * volume[c] (g; 0 in cells
    without water).

    The step's response is linear in the concentrations, with coefficients that depend on
    the cell only through its depth: they are computed once per cell (four exponentials),
    with the depth-free parts once per row, and applied to every group.
    """
    t = dt
    dT = temp_c - 20.0
    for i in range(kin_rows.shape[0]):
        kin = kin_rows[i]
        f_do = 1.0
        if do_mg_l >= 0.0:
            f_do = do_mg_l / (kin[KDO_NITR] + do_mg_l) if kin[KDO_NITR] + do_mg_l > 0.0 else 0.0
        k_n = kin[K_NITR] * kin[T_NITR] ** dT * f_do / SECONDS_PER_DAY
        k_dn = kin[K_DENIT] * kin[T_DENIT] ** dT / SECONDS_PER_DAY
        st = kin[T_SETTLE] ** dT / SECONDS_PER_DAY
        sd = kin[T_SED] ** dT / SECONDS_PER_DAY
        w = row_work[i]
        w[W_KA] = kin[K_AMMON] * kin[T_AMMON] ** dT / SECONDS_PER_DAY
        w[W_KN] = k_n
        w[W_KDN] = k_dn
        w[W_KP] = kin[K_PMIN] * kin[T_PMIN] ** dT / SECONDS_PER_DAY
        w[W_FON] = kin[V_ON] * st
        w[W_FOP] = kin[V_OP] * st
        w[W_GNH3] = kin[R_NH3] * sd
        w[W_GPO4] = kin[R_PO4] * sd
        w[W_EN] = math.exp(-k_n * t)
        w[W_EDN] = math.exp(-k_dn * t)
        w[W_DNDN] = dd1(k_n, k_dn, t)
        w[W_D0N] = dd1(0.0, k_n, t)
        w[W_D20NDN] = dd2(0.0, k_n, k_dn, t)
    ntr = conc.shape[1]
    for c in range(conc.shape[0]):
        if volume[c] <= 0.0:
            for k in range(ntr):
                mass[c, k] = 0.0
            continue
        w = row_work[cell_row[c]]
        k_a, k_n, k_dn, k_p = w[W_KA], w[W_KN], w[W_KDN], w[W_KP]
        h = max(depth[c], 0.05)
        a = k_a + w[W_FON] / h
        ap = k_p + w[W_FOP] / h
        e_n, e_dn = w[W_EN], w[W_EDN]
        # organic N and the chain through it
        e_a = math.exp(-a * t)
        d_an = t * (e_a if a <= k_n else e_n) * phi1(abs(k_n - a) * t)
        d_adn = t * (e_a if a <= k_dn else e_dn) * phi1(abs(k_dn - a) * t)
        lo = min(a, min(k_n, k_dn))
        hi = max(a, max(k_n, k_dn))
        if (hi - lo) * t < 1e-5:
            d2 = 0.5 * t * t * math.exp(-(a + k_n + k_dn) / 3.0 * t)
        elif abs(k_dn - a) >= abs(k_dn - k_n) and abs(k_dn - a) >= abs(k_n - a):
            d2 = (d_an - w[W_DNDN]) / (k_dn - a)
        elif abs(k_dn - k_n) >= abs(k_n - a):
            d2 = (d_an - d_adn) / (k_dn - k_n)
        else:
            d2 = (d_adn - w[W_DNDN]) / (k_n - a)
        c_an = k_a * d_an  # NH3 from ON
        c_ndn = k_n * w[W_DNDN]  # NO3 from NH3
        c_andn = k_a * k_n * d2  # NO3 from ON
        s_n = w[W_D0N]  # NH3 from a unit constant source
        s_ndn = k_n * w[W_D20NDN]  # NO3 from a unit constant source
        f_amm = k_a / a if a > 0.0 else 0.0
        # organic P
        x = ap * t
        p1 = phi1(x)
        e_ap = 1.0 - x * p1
        c_p = k_p * t * p1  # PO4 from OP
        f_min = k_p / ap if ap > 0.0 else 0.0
        src_nh3 = w[W_GNH3] / h
        src_po4 = w[W_GPO4] / h
        vol = volume[c]
        row = conc[c]
        for g in range(n_groups):
            base = N_REACTIVE * g
            r_nh3 = src_nh3 if (g == 0 or g == sediment_group) else 0.0
            r_po4 = src_po4 if (g == 0 or g == sediment_group) else 0.0
            on0 = row[base + ON]
            nh0 = row[base + NH3]
            no0 = row[base + NO3]
            op0 = row[base + OP]
            po0 = row[base + PO4]
            on1 = e_a * on0
            nh1 = e_n * nh0 + c_an * on0 + s_n * r_nh3
            no1 = e_dn * no0 + c_ndn * nh0 + c_andn * on0 + s_ndn * r_nh3
            op1 = e_ap * op0
            po1 = po0 + c_p * op0 + r_po4 * t
            row[base + ON] = on1
            row[base + NH3] = nh1
            row[base + NO3] = no1
            row[base + OP] = op1
            row[base + PO4] = po1
            lost_on = on0 - on1
            ammon = lost_on * f_amm
            sed_nh3 = r_nh3 * t
            nitr = nh0 + ammon + sed_nh3 - nh1
            lost_op = op0 - op1
            pmin = lost_op * f_min
            b = budget[g]
            b[B_AMMON] += ammon * vol
            b[B_NITR] += nitr * vol
            b[B_DENIT] += (no0 + nitr - no1) * vol
            b[B_PMIN] += pmin * vol
            b[B_SETTLE_ON] += (lost_on - ammon) * vol
            b[B_SETTLE_OP] += (lost_op - pmin) * vol
            b[B_SED_NH3] += sed_nh3 * vol
            b[B_SED_PO4] += r_po4 * t * vol
        for k in range(ntr):
            mass[c, k] = row[k] * vol


def kinetics_row(k) -> np.ndarray:
    """The parameter row of a ``twin.config.quality.Kinetics``."""
    row = np.zeros(N_KIN)
    row[K_AMMON], row[T_AMMON] = k.ammonification_per_d, k.ammonification_theta
    row[K_NITR], row[T_NITR] = k.nitrification_per_d, k.nitrification_theta
    row[KDO_NITR] = k.nitrification_half_saturation_do_mg_l
    row[K_DENIT], row[T_DENIT] = k.denitrification_per_d, k.denitrification_theta
    row[K_PMIN], row[T_PMIN] = k.p_mineralisation_per_d, k.p_mineralisation_theta
    row[V_ON], row[V_OP], row[T_SETTLE] = (
        k.on_settling_m_per_d,
        k.op_settling_m_per_d,
        k.settling_theta,
    )
    row[R_PO4], row[R_NH3] = k.sediment_po4_release_g_m2_d, k.sediment_nh3_release_g_m2_d
    row[T_SED] = k.sediment_release_theta
    return row
