"""The coupled oxygen / organic matter / algae / N / P kernel in a closed well-mixed batch
against the same equations integrated by scipy's Radau (rtol 1e-10, written out
independently in tests/eutro_cases.py), its convergence order as dt shrinks, and algal
exponential growth at the specified rate where nothing limits it."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from tests.eutro_cases import DAY, lively_row, reference_rhs, run_batch, state
from twin.quality import eutro as E
from twin.quality.algae import LIGHT_HALF_SATURATION, LIGHT_SMITH, LIGHT_STEELE

CASES = {
    # (state overrides, row overrides, environment)
    "aerobic_smith_22C": ({}, {}, dict(temp_c=22.0, light=120.0, photoperiod=0.5)),
    "bloom_steele_27C": (
        dict(chla=0.06, po4p=0.15, no3n=0.3),
        dict(light_model=float(LIGHT_STEELE), light_parameter_w_m2=60.0),
        dict(temp_c=27.0, light=200.0, photoperiod=0.55, ka20=0.3),
    ),
    "polluted_near_anoxic_half_sat_15C": (
        dict(do=3.0, cbod_fast=25.0, nh3n=4.0, no3n=0.8),
        dict(light_model=float(LIGHT_HALF_SATURATION), sod_g_m2_d=3.0),
        dict(temp_c=15.0, light=60.0, photoperiod=0.45, ka20=0.2, depth=1.2),
    ),
}


def radau(x0, row, env, t_end):
    kw = dict(temp_c=22.0, depth=2.0, ka20=0.6, do_sat=8.7, light=120.0, photoperiod=0.5)
    kw.update(env)
    rhs = reference_rhs(row, E.STOICH_DEFAULT, **kw)
    sol = solve_ivp(rhs, (0.0, t_end), x0, method="Radau", rtol=1e-10, atol=1e-13)
    assert sol.success
    return sol.y[:, -1]


@pytest.mark.parametrize("name", list(CASES))
def test_batch_matches_radau(name):
    """Three days at dt = 120 s: every species within 1e-4 relative (or 1e-7 mg/L)."""
    xs, rs, env = CASES[name]
    x0 = state(**xs)
    row = lively_row(**rs)
    t_end = 3 * DAY
    dt = 120.0
    ref = radau(x0, row, env, t_end)
    got, _b, _v = run_batch(x0, row, dt, int(t_end / dt), **env)
    assert np.all(np.abs(got - ref) <= 1e-4 * np.abs(ref) + 1e-7), (got, ref)


def test_second_order_convergence():
    """Errors against Radau fall by about 4 per halving of dt (dt = 1800 .. 225 s)."""
    xs, rs, env = CASES["polluted_near_anoxic_half_sat_15C"]
    x0 = state(**xs)
    row = lively_row(**rs)
    t_end = 2 * DAY
    ref = radau(x0, row, env, t_end)
    errs = []
    for dt in (1800.0, 900.0, 450.0, 225.0):
        got, _b, _v = run_batch(x0, row, dt, int(t_end / dt), **env)
        errs.append(np.max(np.abs(got - ref) / (np.abs(ref) + 1e-3)))
    ratios = [errs[i] / errs[i + 1] for i in range(3)]
    assert all(3.0 < q < 5.0 for q in ratios), (errs, ratios)


def test_substeps_keep_long_steps_accurate():
    """A one-day step with automatic sub-steps (target 0.02) stays within 1e-3 relative of
    Radau in every case (measured: 4e-4, 3e-4, 9e-4; 2e-3 to 6e-3 at target 0.05);
    without sub-steps the same step is positive but coarse."""
    for xs, rs, env in CASES.values():
        x0 = state(**xs)
        row = lively_row(**rs)
        ref = radau(x0, row, env, DAY)
        got, _b, _v = run_batch(x0, row, DAY, 1, target=0.02, max_substeps=5000, **env)
        assert np.all(np.abs(got - ref) <= 1e-3 * np.abs(ref) + 1e-6), (got, ref)
        coarse, _b, _v = run_batch(x0, row, DAY, 1, max_substeps=1, **env)
        assert np.all(coarse >= 0.0)


def test_algae_grow_exponentially_at_the_specified_rate():
    """No light or nutrient limitation (K_L = 0, half-saturations 0), respiration without DO
    limitation, the other processes off: A(t) = A0 exp((mu - k_r - k_d - v/h) t) with each
    rate theta-corrected, within 5e-6 relative at dt = 60 s over two days (measured 1.3e-6,
    the (lambda dt)^3 / 6 per step of a second-order step)."""
    temp, depth = 24.0, 1.5
    mu, kr, kd, va = 1.8, 0.1, 0.05, 0.2
    others = {
        name: 0.0
        for name in E.PARAMETERS
        if name.endswith(("_per_d", "_m_per_d", "_g_m2_d")) and not name.startswith("algal")
    }
    row = E.default_row(
        **others, algal_growth_per_d=mu, algal_respiration_per_d=kr, algal_death_per_d=kd,
        algal_settling_m_per_d=va, light_parameter_w_m2=0.0, algal_half_saturation_n_mg_l=0.0,
        algal_half_saturation_p_mg_l=0.0, algal_respiration_half_saturation_do_mg_l=0.0,
    )  # fmt: skip
    x0 = state(chla=0.002, nh3n=50.0, no3n=50.0, po4p=20.0, do=8.0)
    dT = temp - 20.0
    net = (
        mu * row[E.T_MU] ** dT - kr * row[E.T_RESP] ** dT - kd * row[E.T_DEATH] ** dT
        - va * row[E.T_SETTLE] ** dT / depth
    ) / DAY  # fmt: skip
    t_end = 2 * DAY
    got, _b, _v = run_batch(
        x0, row, 60.0, int(t_end / 60.0), temp_c=temp, depth=depth, photoperiod=1.0
    )
    expected = x0[E.ALG] * np.exp(net * t_end)
    assert got[E.ALG] == pytest.approx(expected, rel=5e-6)


def test_smith_default_light_model_is_used():
    assert int(E.default_row()[E.LIGHT_MODEL]) == LIGHT_SMITH
