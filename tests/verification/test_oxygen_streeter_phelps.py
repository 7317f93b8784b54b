"""Streeter-Phelps DO sag: a water parcel followed downstream (a closed batch in time,
t = x/U) with only labile CBOD oxidation and reaeration. The kernel's critical deficit and
critical time against the analytic solution (Streeter and Phelps 1925; Chapra 2008 ch. 21):

    D(t) = k_d L0 / (k_a - k_d) (e^(-k_d t) - e^(-k_a t)) + D0 e^(-k_a t)
    t_c  = ln[(k_a/k_d) (1 - D0 (k_a - k_d) / (k_d L0))] / (k_a - k_d)
    D_c  = (k_d / k_a) L0 e^(-k_d t_c)
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.eutro_cases import DAY, run_batch, state
from twin.quality import eutro as E

ZERO = {
    name: 0.0
    for name in E.PARAMETERS
    if name.endswith(("_per_d", "_m_per_d", "_g_m2_d")) and name != "cbod_fast_oxidation_per_d"
}


@pytest.mark.parametrize(
    "kd, ka, l0, d0",
    [(0.35, 0.8, 20.0, 1.0), (0.2, 0.45, 12.0, 0.5), (0.5, 2.0, 30.0, 2.0)],
)
def test_critical_deficit_and_time(kd, ka, l0, d0):
    cs = 9.092  # 20 C, so no temperature correction of either rate
    row = E.default_row(
        **ZERO, cbod_fast_oxidation_per_d=kd, cbod_half_saturation_do_mg_l=0.0,
    )  # fmt: skip
    x0 = state(do=cs - d0, cbod_fast=l0, cbod_slow=0.0, om_refractory=0.0, chla=0.0)
    x0[[E.ON, E.NH3, E.NO3, E.OP, E.PO4]] = 0.0
    dt = 60.0
    t_end = 6 * DAY
    traj = run_batch(x0, row, dt, int(t_end / dt), temp_c=20.0, ka20=ka, do_sat=cs, record=True)
    deficit = cs - traj[:, E.DO]
    i = int(np.argmax(deficit))
    # parabola through the three samples around the maximum
    y0, y1, y2 = deficit[i - 1], deficit[i], deficit[i + 1]
    shift = 0.5 * (y0 - y2) / (y0 - 2 * y1 + y2)
    t_num = (i + shift) * dt / DAY
    d_num = y1 - 0.25 * (y0 - y2) * shift
    t_c = math.log(ka / kd * (1.0 - d0 * (ka - kd) / (kd * l0))) / (ka - kd)
    d_c = kd / ka * l0 * math.exp(-kd * t_c)
    assert t_num == pytest.approx(t_c, rel=0.01)
    assert d_num == pytest.approx(d_c, rel=0.01)
    # and the whole sag, not only its bottom
    t = np.arange(traj.shape[0]) * dt / DAY
    d_exact = kd * l0 / (ka - kd) * (np.exp(-kd * t) - np.exp(-ka * t)) + d0 * np.exp(-ka * t)
    assert np.max(np.abs(deficit - d_exact)) < 1e-3 * d_c
