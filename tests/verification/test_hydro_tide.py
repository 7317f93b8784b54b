"""Tidal standing wave in a closed prismatic channel against the linear analytic solution.

A rectangular channel of depth h0 and length L, closed at x = L, forced at x = 0 by a
harmonic tide Z = a sin(w t) (a ``tide`` boundary, phase 90 deg). For small a / h0 and no
friction the linearised equations give the standing wave (e.g. Dean and Dalrymple 1991,
Water Wave Mechanics, ch. 5)

    eta(x, t) = a cos(k (L - x)) / cos(k L) sin(w t),   k = w / sqrt(g h0),
    Q(x, t)   = B a w / (k cos(k L)) sin(k (L - x)) cos(w t).

The model starts from this solution at t = 0 (eta = 0, Q as above), so no free modes are
excited, and runs eight periods; a least-squares harmonic fit over the last three gives the
amplitude and phase of the level at every point. Tolerances: amplitude within 2 % and phase
within 2 % of a period, at mid-channel and at the closed end. Here a / h0 = 1e-3, k L = 1
(amplification 1.85), Manning n = 0.0051 (the schema's least), theta = 0.65 (the default),
51 points along the channel (about 300 per wavelength) and 120 steps per period.
"""

from __future__ import annotations

import numpy as np

from tests import hydro_cases as hc

AMP_REL_TOL = 0.02
PHASE_TOL_PERIODS = 0.02


def test_standing_wave_amplitude_and_phase(tmp_path):
    h0, a, period, width, kl = 10.0, 0.01, 3600.0, 100.0, 1.0
    w = 2.0 * np.pi / period
    k = w / np.sqrt(hc.G * h0)
    length = kl / k
    steps_per_period, n_periods = 120, 8
    dt = period / steps_per_period
    m = hc.model("standing_wave", dt_s=dt, days=1)
    hc.node(m, "sea", 0.0)
    hc.node(m, "end", length)
    hc.rectangular(m, "rect", width, height_m=20.0, n=0.0051)
    hc.reach(m, "r", "sea", "end", length, length / 50.0, "rect", -h0, -h0)
    m["boundaries"].append(
        {
            "node": "sea",
            "kind": "tide",
            "mean_level_m": 0.0,
            "reference_time": hc.START.isoformat(),
            "constituents": [
                {
                    "name": "test",
                    "amplitude_m": a,
                    "phase_deg": 90.0,
                    "speed_deg_per_h": 360.0 * 3600.0 / period,
                }
            ],
        }
    )
    m["run"]["hydro"]["initial_level_m"] = 0.0
    s = hc.solver(m, tmp_path)
    sl = hc.reach_slice(s, "r")
    x = s.net.arrays.pt_chainage[sl]
    s.state.q_pt[sl] = width * a * w / (k * np.cos(kl)) * np.sin(k * (length - x))

    times, levels = [], []
    for i in range(n_periods * steps_per_period):
        status, _ = s.advance(dt)
        assert status == 0, s.describe_failure(status)
        times.append((i + 1) * dt)
        levels.append(s.state.z_pt[sl].copy())
    t = np.array(times)
    keep = t > (n_periods - 3) * period
    basis = np.column_stack([np.cos(w * t[keep]), np.sin(w * t[keep]), np.ones(keep.sum())])
    coef, *_ = np.linalg.lstsq(basis, np.array(levels)[keep], rcond=None)
    amp = np.hypot(coef[0], coef[1])
    phase = np.arctan2(coef[1], coef[0])  # Z ~ amp cos(w t - phase)
    amp_ref = a * np.cos(k * (length - x)) / np.cos(kl)
    for i in (x.size // 2, x.size - 1):
        amp_err = amp[i] / amp_ref[i] - 1.0
        phase_err = ((phase[i] - np.pi / 2 + np.pi) % (2 * np.pi) - np.pi) / (2 * np.pi)
        print(
            f"standing wave x = {x[i]:.0f} m: amplitude {amp[i]:.5f} m (analytic "
            f"{amp_ref[i]:.5f}), error {amp_err:+.2e}; phase error {phase_err:+.2e} period"
        )
        assert abs(amp_err) < AMP_REL_TOL
        assert abs(phase_err) < PHASE_TOL_PERIODS
    # the closed end amplifies the tide as the analytic solution says (not a trivial pass)
    assert amp[-1] > 1.8 * a
