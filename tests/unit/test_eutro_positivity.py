"""Positivity, finiteness and closed budgets of the coupled kernel for any step (up to ten
days in one step) and extreme states and parameters, drawn by hypothesis; and the Patankar
factor's root property."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.eutro_cases import DAY, run_batch
from twin.quality import eutro as E

conc_value = st.one_of(
    st.just(0.0), st.floats(1e-12, 1e-3), st.floats(1e-3, 50.0), st.floats(50.0, 500.0)
)
states = st.lists(conc_value, min_size=E.N_EUTRO, max_size=E.N_EUTRO)
rate = st.one_of(st.just(0.0), st.floats(1e-4, 5.0))
half_sat = st.one_of(st.just(0.0), st.floats(1e-4, 3.0))


@st.composite
def rows(draw):
    row = E.default_row()
    for name, (col, *_rest) in E.PARAMETERS.items():
        if name.endswith("_theta") or name == "light_model":
            continue
        if "half_saturation" in name or name.endswith(("_mg_l", "_inhibition_do_mg_l")):
            row[col] = draw(half_sat)
        elif name.endswith(("_per_d", "_m_per_d", "_g_m2_d")):
            row[col] = draw(rate) * (4.0 if name.startswith("sod") else 1.0)
    row[E.LIGHT_MODEL] = float(draw(st.integers(0, 2)))
    row[E.I_SAT] = draw(st.one_of(st.just(0.0), st.floats(1.0, 300.0)))
    return row


def check(x0, row, dt, n, env, max_substeps):
    final, budget, vol = run_batch(x0, row, dt, n, max_substeps=max_substeps, **env)
    assert np.all(np.isfinite(final)) and np.all(final >= 0.0), final
    s = E.process_matrix(E.STOICH_DEFAULT)
    scale = np.abs(s).T @ np.abs(budget) / vol + np.abs(x0) + 1e-300
    err = np.abs(s.T @ budget / vol - (final - x0))
    assert np.all(err <= 1e-11 * scale), (err, scale)


@settings(max_examples=150, deadline=None)
@given(
    x0=states,
    row=rows(),
    dt=st.one_of(st.floats(1.0, 3600.0), st.floats(3600.0, 10 * DAY)),
    depth=st.floats(0.01, 10.0),
    ka20=st.one_of(st.just(0.0), st.floats(1e-3, 500.0)),
    temp=st.floats(0.0, 35.0),
    light=st.floats(0.0, 600.0),
    photoperiod=st.floats(0.0, 1.0),
)
def test_positive_and_closed_for_any_step(x0, row, dt, depth, ka20, temp, light, photoperiod):
    env = dict(
        temp_c=temp, depth=depth, ka20=ka20, do_sat=9.0, light=light, photoperiod=photoperiod
    )
    x0 = np.array(x0)
    check(x0, row, dt, 3, env, max_substeps=1)
    check(x0, row, dt, 2, env, max_substeps=50)


def test_extreme_cases():
    row = E.default_row(sod_g_m2_d=20.0, cbod_fast_oxidation_per_d=5.0, nitrification_per_d=5.0)
    env = dict(temp_c=35.0, depth=0.05, ka20=0.0, do_sat=7.0, light=0.0, photoperiod=0.0)
    cases = [
        np.zeros(E.N_EUTRO),  # empty water
        np.array([0.0, 500.0, 500.0, 500.0, 0.5, 50, 50, 50, 5, 5]),  # anoxic sewage
        np.array([20.0, 0.0, 0.0, 0.0, 0.3, 0, 0, 0, 0, 0]),  # supersaturated, no nutrients
        np.array([8.0, 1e-300, 0, 0, 1e-300, 0, 1e-300, 0, 0, 1e-300]),
    ]
    for x0 in cases:
        for dt in (1.0, 3600.0, DAY, 30 * DAY):
            check(x0, row, dt, 2, env, max_substeps=1)
            check(x0, row, dt, 2, dict(env, ka20=300.0, light=500.0, photoperiod=1.0), 1)


@settings(max_examples=200, deadline=None)
@given(
    c=st.lists(st.floats(1e-8, 10.0), min_size=4, max_size=4),
    g=st.lists(st.floats(-10.0, 10.0), min_size=4, max_size=4),
    dt=st.floats(1e-3, 1e4),
)
def test_patankar_root(c, g, dt):
    c = np.array(c)
    g = np.array(g)
    p = E.patankar_factor(c, c, g, dt)
    new = c + p * dt * g
    assert p > 0.0 and np.all(new >= -1e-12 * c)
    consumed = g < 0
    if consumed.any():
        # the kernel stops at 1e-12 relative change of p; the error in p is the residual
        # over the slope of p - prod(p), and cancellation in c + p dt g bounds the check
        prod = np.prod(new[consumed] / c[consumed])
        slope = 1.0 + prod * np.sum(dt * -g[consumed] / np.maximum(new[consumed], 1e-300))
        cond = np.sum(c[consumed] / np.maximum(new[consumed], 1e-300))
        assert abs(p - prod) / slope <= (1e-11 + 1e-14 * cond) * p
    else:
        assert p == 1.0
