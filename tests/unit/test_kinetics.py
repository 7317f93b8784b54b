"""The kinetics kernel against independent solutions: the chain ODEs integrated by scipy at
rtol 1e-10, divided differences of exp evaluated in 50-digit decimal arithmetic, and the
temperature and depth dependence of the rates written out by hand."""

from __future__ import annotations

from decimal import Decimal, getcontext

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from twin.config.quality import Kinetics
from twin.quality.kinetics import (
    B_AMMON,
    B_DENIT,
    B_NITR,
    B_PMIN,
    B_SED_NH3,
    B_SED_PO4,
    B_SETTLE_ON,
    B_SETTLE_OP,
    N_BUDGET,
    N_ROW_WORK,
    dd1,
    dd2,
    kinetics_row,
    rates_per_s,
    react_all,
    react_group,
)

DAY = 86400.0


def chain_rhs(k_a, k_n, k_dn, k_p, s_on, s_op, src_nh3, src_po4):
    """Right-hand side of the five species plus the eight cumulative process amounts
    (mg/L): ammonification, nitrification, denitrification, P mineralisation, ON and OP
    settling, NH3 and PO4 release."""

    def rhs(_t, y):
        on, nh3, no3, op = y[:4]
        return [
            -(k_a + s_on) * on,
            k_a * on - k_n * nh3 + src_nh3,
            k_n * nh3 - k_dn * no3,
            -(k_p + s_op) * op,
            k_p * op + src_po4,
            k_a * on,
            k_n * nh3,
            k_dn * no3,
            k_p * op,
            s_on * on,
            s_op * op,
            src_nh3,
            src_po4,
        ]

    return rhs


def reference(c0, t, rates):
    sol = solve_ivp(
        chain_rhs(*rates),
        (0.0, t),
        np.concatenate([c0, np.zeros(8)]),
        method="DOP853",
        rtol=1e-12,
        atol=1e-15,
    )
    assert sol.success
    return sol.y[:, -1]


PER_DAY = 1.0 / DAY
CASES = {
    # k_a, k_n, k_dn, k_p, s_on, s_op (1/s), src_nh3, src_po4 (mg/L/s)
    "distinct": (0.1, 0.3, 0.05, 0.2, 0.02, 0.1, 0.0, 0.0),
    "distinct_with_release": (0.1, 0.3, 0.05, 0.2, 0.02, 0.1, 0.05, 0.01),
    "ammonification_equals_nitrification": (0.1, 0.1, 0.02, 0.1, 0.0, 0.0, 0.0, 0.0),
    "coinciding_with_release": (0.1, 0.1, 0.02, 0.1, 0.0, 0.0, 0.05, 0.01),
    "nitrification_equals_denitrification": (0.1, 0.2, 0.2, 0.1, 0.0, 0.05, 0.03, 0.0),
    "all_three_equal": (0.15, 0.15, 0.15, 0.1, 0.0, 0.0, 0.02, 0.01),
    "nearly_equal": (0.1, 0.1 + 1e-9, 0.1 - 1e-9, 0.1, 0.0, 0.0, 0.01, 0.0),
    "no_nitrification": (0.1, 0.0, 0.05, 0.1, 0.01, 0.0, 0.02, 0.0),
    "no_denitrification": (0.1, 0.3, 0.0, 0.0, 0.01, 0.0, 0.02, 0.03),
    "all_off": (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
}


@pytest.mark.parametrize("t_days", [0.01, 1.0, 30.0])
@pytest.mark.parametrize("case", list(CASES))
def test_react_group_matches_the_chain_odes(case, t_days):
    """Species and process budgets after t (one step of the exact kernel) against the ODEs
    integrated by scipy (DOP853 at rtol 1e-12): agreement to 1e-10 relative to the largest
    amount in play."""
    rates = tuple(r * PER_DAY for r in CASES[case])
    c0 = np.array([2.0, 1.0, 0.5, 0.3, 0.1])
    t = t_days * DAY
    volume = 7.0  # m3: budgets are g = mg/L * m3
    c = np.zeros(12)
    base = 5  # a group other than the first, as in an apportionment layout
    c[base : base + 5] = c0
    budget = np.zeros(N_BUDGET)
    react_group(c, base, t, *rates, volume, budget)
    ref = reference(c0, t, rates)
    scale = max(c0.sum(), ref[:5].sum())
    np.testing.assert_allclose(c[base : base + 5], ref[:5], rtol=0, atol=1e-10 * scale)
    assert np.all(c[:base] == 0.0) and np.all(c[base + 5 :] == 0.0)
    order = [B_AMMON, B_NITR, B_DENIT, B_PMIN, B_SETTLE_ON, B_SETTLE_OP, B_SED_NH3, B_SED_PO4]
    np.testing.assert_allclose(budget[order] / volume, ref[5:], rtol=0, atol=1e-10 * scale)
    assert np.all(c[base : base + 5] >= 0.0)


def test_chain_split_into_steps_equals_one_step():
    """The solution is exact, so 100 steps of t/100 give one step of t (to 1e-13)."""
    rates = tuple(r * PER_DAY for r in CASES["distinct_with_release"])
    a = np.array([2.0, 1.0, 0.5, 0.3, 0.1])
    b = a.copy()
    ba, bb = np.zeros(N_BUDGET), np.zeros(N_BUDGET)
    react_group(a, 0, 10 * DAY, *rates, 1.0, ba)
    for _ in range(100):
        react_group(b, 0, 0.1 * DAY, *rates, 1.0, bb)
    np.testing.assert_allclose(b, a, rtol=1e-13)
    np.testing.assert_allclose(bb, ba, rtol=1e-12, atol=1e-15)


def test_tn_tp_conserved_when_only_conversions_act():
    """Without settling, denitrification and release, TN = ON + NH3 + NO3 and
    TP = OP + PO4 stay what they were, to round-off."""
    c = np.array([2.0, 1.0, 0.5, 0.3, 0.1])
    tn, tp = c[:3].sum(), c[3:].sum()
    b = np.zeros(N_BUDGET)
    react_group(
        c, 0, 5 * DAY, 0.3 * PER_DAY, 0.7 * PER_DAY, 0.0, 0.4 * PER_DAY, 0.0, 0.0, 0.0, 0.0, 1.0, b
    )
    assert abs(c[:3].sum() - tn) < 1e-15 * tn
    assert abs(c[3:].sum() - tp) < 1e-15 * tp


def _exact_dd(rates, t, digits=50):
    """Divided difference of exp(-lambda t) over distinct ``rates``, as the Lagrange sum
    sum_i exp(-x_i t) / prod_(j != i) (x_i - x_j), in ``digits``-digit decimals."""
    getcontext().prec = digits
    xs = [Decimal(repr(x)) for x in rates]
    tt = Decimal(repr(t))
    total = Decimal(0)
    for i, xi in enumerate(xs):
        den = Decimal(1)
        for j, xj in enumerate(xs):
            if j != i:
                den *= xi - xj
        total += (-xi * tt).exp() / den
    return float(total)


@pytest.mark.parametrize(
    "spread", [1e-12, 1e-9, 1e-7, 9e-6, 1.1e-5, 1e-4, 1e-2, 1.0, 10.0], ids=lambda s: f"{s:g}"
)
def test_divided_differences_across_the_coincidence_threshold(spread):
    """dd1 and dd2 against 50-digit Lagrange sums, for rate spreads (times t) from 1e-12 to
    10, either side of the switch to the coincident-rate limit at 1e-5: relative error
    below 1e-9 everywhere (the limit formula is accurate to ~(spread)^2 / 12)."""
    t = 3600.0
    m = 2e-5  # 1/s
    a, b, c = m - 0.5 * spread / t, m + 0.3 * spread / t, m + 0.5 * spread / t
    # The kernel's dd1 is minus the first divided difference.
    assert dd1(a, b, t) == pytest.approx(-_exact_dd([a, b], t), rel=1e-12)
    assert dd2(a, b, c, t) == pytest.approx(_exact_dd([a, b, c], t), rel=1e-9)
    for perm in ((b, a, c), (c, b, a), (a, c, b), (b, c, a)):
        assert dd2(*perm, t) == pytest.approx(dd2(a, b, c, t), rel=1e-12)


def test_rates_temperature_depth_and_do():
    """k_T = k20 theta^(T - 20) per process, settling and release divided by depth (floored
    at 0.05 m), per day to per second; nitrification scaled by DO / (K_DO + DO) where DO
    is given (>= 0)."""
    k = Kinetics(
        ammonification_per_d=0.2,
        ammonification_theta=1.07,
        nitrification_per_d=0.5,
        nitrification_theta=1.08,
        nitrification_half_saturation_do_mg_l=0.6,
        denitrification_per_d=0.05,
        denitrification_theta=1.045,
        p_mineralisation_per_d=0.3,
        p_mineralisation_theta=1.05,
        on_settling_m_per_d=0.1,
        op_settling_m_per_d=0.4,
        settling_theta=1.024,
        sediment_po4_release_g_m2_d=0.02,
        sediment_nh3_release_g_m2_d=0.1,
        sediment_release_theta=1.06,
    )
    row = kinetics_row(k)
    temp, depth = 27.5, 1.6
    got = rates_per_s(row, temp, depth, -1.0)
    dt_ = temp - 20.0
    want = (
        0.2 * 1.07**dt_,
        0.5 * 1.08**dt_,
        0.05 * 1.045**dt_,
        0.3 * 1.05**dt_,
        0.1 * 1.024**dt_ / depth,
        0.4 * 1.024**dt_ / depth,
        0.1 * 1.06**dt_ / depth,
        0.02 * 1.06**dt_ / depth,
    )
    np.testing.assert_allclose(got, np.array(want) / DAY, rtol=1e-14)
    with_do = rates_per_s(row, temp, depth, 2.0)
    assert with_do[1] == pytest.approx(got[1] * 2.0 / 2.6, rel=1e-14)
    shallow = rates_per_s(row, 20.0, 0.01, -1.0)
    assert shallow[4] == pytest.approx(0.1 / 0.05 / DAY, rel=1e-14)


def test_react_all_gives_release_to_total_and_sediment_groups_only():
    """With three groups (total, a source, sediment), zero-order release enters the total
    and the sediment group; the groups keep summing to the total."""
    k = Kinetics(sediment_po4_release_g_m2_d=0.03, sediment_nh3_release_g_m2_d=0.2)
    kin = kinetics_row(k)[None, :]
    conc = np.zeros((2, 16))
    conc[:, 5:10] = [1.0, 0.8, 0.3, 0.2, 0.1]  # group 1 carries everything at the start
    conc[:, 0:5] = conc[:, 5:10]
    budget = np.zeros((3, N_BUDGET))
    react_all(
        conc,
        np.zeros((2, 16)),
        np.array([100.0, 50.0]),
        np.array([2.0, 0.5]),
        kin,
        np.zeros(2, np.int64),
        24.0,
        -1.0,
        DAY,
        3,
        2,
        budget,
        np.zeros((1, N_ROW_WORK)),
    )
    np.testing.assert_allclose(conc[:, 0:5], conc[:, 5:10] + conc[:, 10:15], rtol=1e-14, atol=1e-16)
    assert np.all(conc[:, 11] > 0) and np.all(conc[:, 14] > 0)  # sediment NH3 and PO4
    assert budget[1, B_SED_PO4] == 0.0 and budget[2, B_SED_PO4] > 0.0
    assert budget[0, B_SED_PO4] == pytest.approx(budget[2, B_SED_PO4], rel=1e-14)
    # release per area: 0.03 g/m2/d * theta^4 over the cell's surface (volume / depth)
    area = 100.0 / 2.0 + 50.0 / 0.5
    assert budget[0, B_SED_PO4] == pytest.approx(0.03 * 1.07**4 * area, rel=1e-12)


def test_react_all_equals_react_group_cell_by_cell():
    """The fast kernel (coefficients per cell, depth-free parts per parameter row, shared by
    all groups) against the single-group kernel fed with rates_per_s: random parameter rows
    including coinciding rates, random depths from 0.01 to 8 m, three groups with sediment
    release in the third, 12 C and 27 C, a day and an hour: agreement to 1e-13 relative
    for species and budgets."""
    rng = np.random.default_rng(11)
    rows = []
    for coincide in ("none", "ka_kn", "kn_kdn", "all", "no_settling"):
        k = Kinetics(
            ammonification_per_d=0.2,
            nitrification_per_d=0.2 if coincide in ("ka_kn", "all") else 0.6,
            denitrification_per_d=0.6
            if coincide in ("kn_kdn",)
            else (0.2 if coincide == "all" else 0.05),
            ammonification_theta=1.05,
            nitrification_theta=1.05,
            denitrification_theta=1.05,
            on_settling_m_per_d=0.0 if coincide in ("ka_kn", "all", "no_settling") else 0.1,
            op_settling_m_per_d=0.0 if coincide == "no_settling" else 0.3,
            sediment_po4_release_g_m2_d=0.03,
            sediment_nh3_release_g_m2_d=0.2,
        )
        rows.append(kinetics_row(k))
    kin_rows = np.array(rows)
    n = 200
    cell_row = rng.integers(0, len(rows), n)
    depth = np.exp(rng.uniform(np.log(0.01), np.log(8.0), n))
    volume = rng.uniform(10.0, 1e5, n)
    for temp, dt in ((12.0, DAY), (27.0, 3600.0)):
        conc = rng.uniform(0.0, 3.0, (n, 16))
        budget = np.zeros((3, N_BUDGET))
        expect = conc.copy()
        expect_budget = np.zeros((3, N_BUDGET))
        for c in range(n):
            k_a, k_n, k_dn, k_p, s_on, s_op, r_nh3, r_po4 = rates_per_s(
                kin_rows[cell_row[c]], temp, depth[c], -1.0
            )
            for g in range(3):
                src = (r_nh3, r_po4) if g in (0, 2) else (0.0, 0.0)
                react_group(
                    expect[c], 5 * g, dt, k_a, k_n, k_dn, k_p, s_on, s_op, *src, volume[c],
                    expect_budget[g],
                )  # fmt: skip
        mass = np.zeros_like(conc)
        react_all(
            conc, mass, volume, depth, kin_rows, cell_row, temp, -1.0, dt, 3, 2, budget,
            np.zeros((len(rows), N_ROW_WORK)),
        )  # fmt: skip
        np.testing.assert_allclose(conc, expect, rtol=1e-13, atol=1e-15)
        np.testing.assert_array_equal(mass, conc * volume[:, None])
        np.testing.assert_allclose(budget, expect_budget, rtol=1e-13, atol=1e-9)
