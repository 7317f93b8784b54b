"""Each kinetic chain (organic N -> NH3-N -> NO3-N; organic P -> PO4-P), with and without
zero-order sediment release, in a closed well-mixed lake run by the model, against the
chain ODEs integrated by scipy (rtol 1e-12) with the rates written out in the test."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from tests.quality_cases import T0, closed_lake_toml, load, run_model
from twin.run.model import Model

DAY = 86400.0
DEPTH = 2.0
INITIAL = {"on": 2.0, "nh3n": 1.0, "no3n": 0.5, "op": 0.3, "po4p": 0.1}

CASES = {
    # temperature C; per-day k20 and theta of ammonification, nitrification,
    # denitrification, P mineralisation; settling m/d (ON, OP, theta);
    # release g/m2/d (NH3, PO4, theta)
    "coinciding_rates_20C": dict(
        temp=20.0, ka=(0.1, 1.074), kn=(0.1, 1.083), kdn=(0.02, 1.045), kp=(0.1, 1.047),
        settle=(0.0, 0.0, 1.024), release=(0.0, 0.0, 1.07),
    ),
    "coinciding_rates_with_release_20C": dict(
        temp=20.0, ka=(0.1, 1.074), kn=(0.1, 1.083), kdn=(0.02, 1.045), kp=(0.1, 1.047),
        settle=(0.0, 0.0, 1.024), release=(0.15, 0.03, 1.07),
    ),
    "distinct_rates_settling_release_26C": dict(
        temp=26.0, ka=(0.15, 1.074), kn=(0.4, 1.083), kdn=(0.05, 1.045), kp=(0.2, 1.047),
        settle=(0.05, 0.3, 1.024), release=(0.1, 0.02, 1.07),
    ),
    "distinct_rates_no_release_12C": dict(
        temp=12.0, ka=(0.15, 1.074), kn=(0.4, 1.083), kdn=(0.05, 1.045), kp=(0.2, 1.047),
        settle=(0.05, 0.3, 1.024), release=(0.0, 0.0, 1.07),
    ),
}  # fmt: skip


def quality_text(p) -> str:
    init = ", ".join(f"{k} = {v}" for k, v in INITIAL.items())
    return f"""
temperature_c = {p["temp"]}
initial_mg_l = {{ {init} }}
dispersion = {{ method = "constant", coefficient_m2_s = 0.0 }}
[quality.kinetics]
ammonification_per_d = {p["ka"][0]}
ammonification_theta = {p["ka"][1]}
nitrification_per_d = {p["kn"][0]}
nitrification_theta = {p["kn"][1]}
denitrification_per_d = {p["kdn"][0]}
denitrification_theta = {p["kdn"][1]}
p_mineralisation_per_d = {p["kp"][0]}
p_mineralisation_theta = {p["kp"][1]}
on_settling_m_per_d = {p["settle"][0]}
op_settling_m_per_d = {p["settle"][1]}
settling_theta = {p["settle"][2]}
sediment_nh3_release_g_m2_d = {p["release"][0]}
sediment_po4_release_g_m2_d = {p["release"][1]}
sediment_release_theta = {p["release"][2]}
"""


def reference(p, t_end, times):
    """The chain ODEs with k_T = k20 theta^(T - 20) (per day -> per second), settling
    v / h and release r / h for the lake depth h."""
    dT = p["temp"] - 20.0

    def k(pair):
        return pair[0] * pair[1] ** dT / DAY

    ka, kn, kdn, kp = k(p["ka"]), k(p["kn"]), k(p["kdn"]), k(p["kp"])
    s_on = p["settle"][0] * p["settle"][2] ** dT / DEPTH / DAY
    s_op = p["settle"][1] * p["settle"][2] ** dT / DEPTH / DAY
    r_nh3 = p["release"][0] * p["release"][2] ** dT / DEPTH / DAY
    r_po4 = p["release"][1] * p["release"][2] ** dT / DEPTH / DAY

    def rhs(_t, y):
        on, nh3, no3, op, _ = y
        return [
            -(ka + s_on) * on,
            ka * on - kn * nh3 + r_nh3,
            kn * nh3 - kdn * no3,
            -(kp + s_op) * op,
            kp * op + r_po4,
        ]

    sol = solve_ivp(
        rhs, (0.0, t_end), list(INITIAL.values()), method="DOP853", rtol=1e-12, atol=1e-15,
        t_eval=times,
    )  # fmt: skip
    assert sol.success
    return sol.y.T


@pytest.mark.parametrize("case", list(CASES))
def test_chains_in_a_closed_lake(tmp_path, case):
    """30 days in hourly steps. Every day the lake's five species agree with the ODEs to
    1e-10 relative to the total; the reach does not exchange water with the lake (|Q| below
    1e-9 m3/s); and each species' mass balance closes with the process terms alone."""
    p = CASES[case]
    end = 30 * DAY
    model = Model(load(tmp_path, closed_lake_toml(end_s=end, dt_s=3600.0, quality=quality_text(p))))
    qs = model.quality
    lake = qs.ta.node_cell[model.network.node_index("lake")]
    cols = [qs.layout.col(s) for s in INITIAL]
    days = np.arange(1, 31) * DAY
    ref = reference(p, end, days)
    got = []

    def every(m):
        if abs((m.time - T0) % DAY) < 1.0:
            got.append(qs.state.conc[lake, cols].copy())

    run_model(model, T0 + end, every)
    got = np.array(got)
    scale = sum(INITIAL.values())
    np.testing.assert_allclose(got, ref, rtol=0, atol=1e-10 * scale)
    assert np.max(np.abs(model.hydro.state.q_pt)) < 1e-9
    mb = qs.mass_balance()
    for sp in INITIAL:
        b = mb[sp]
        assert b["loads_in"] == b["boundary_in"] == b["boundary_out"] == 0.0
        assert abs(b["relative_error"]) < 1e-12, sp
