"""Water temperature from air temperature.

The water relaxes towards an equilibrium temperature Te with the time constant of a shallow
water column (the equilibrium-temperature concept of Edinger, Duttweiler and Geyer 1968, The
response of water temperatures to meteorological conditions, Water Resources Research 4(5);
Chapra 2008, Surface Water-Quality Modeling, lecture 30):

    dTw/dt = (Te - Tw) / tau,   Te = Ta + offset,   tau = rho c h / K

With a surface heat-exchange coefficient K of about 30-40 W m-2 K-1 and a depth h of 2-4 m
(the rivers and lakes of the Taihu plain), tau = 4.18e6 * 3 / 35 s, about 4 days (estimated).
The offset (default +1 K) is the annual excess of water over air temperature in shallow lakes
of the region (about 1-2 K; assumed). Each step is integrated exactly for Ta held over the
step: Tw(t + dt) = Te + (Tw(t) - Te) exp(-dt / tau). The series is clipped at 0 C (no ice
model).
"""

from __future__ import annotations

import numpy as np

DEFAULT_LAG_DAYS = 4.0
DEFAULT_OFFSET_C = 1.0


def water_temperature_raw(
    times_s: np.ndarray,
    air_c: np.ndarray,
    lag_days: float = DEFAULT_LAG_DAYS,
    offset_c: float = DEFAULT_OFFSET_C,
    initial_c: float | None = None,
) -> np.ndarray:
    """Water temperature (degC) on ``times_s``, before the clip at 0 C (the carried state), from air temperature ``air_c`` (degC), the
    air held over each interval [t_k, t_k+1).

    The series starts at the equilibrium of the mean air temperature of its first day (so
    that the diurnal cycle does not bias the start); a run should start a few ``lag_days``
    before the period it reports on. ``initial_c`` (the water temperature at the first time,
    carried from a previous window) replaces that start.
    """
    air = np.asarray(air_c, np.float64)
    t = np.asarray(times_s, np.float64)
    if air.size == 0:
        return air.copy()
    tau = lag_days * 86400.0
    te = air + offset_c
    first_day = t < t[0] + 86400.0
    out = np.empty_like(te)
    out[0] = te[first_day].mean() if initial_c is None else initial_c
    a = np.exp(-np.diff(t) / tau)
    for k in range(1, te.size):
        out[k] = te[k - 1] + (out[k - 1] - te[k - 1]) * a[k - 1]
    return out


def water_temperature_from_air(
    times_s, air_c, lag_days=DEFAULT_LAG_DAYS, offset_c=DEFAULT_OFFSET_C, initial_c=None
) -> np.ndarray:
    """Water temperature (degC), never below 0 C; see ``water_temperature_raw``."""
    return np.clip(water_temperature_raw(times_s, air_c, lag_days, offset_c, initial_c), 0.0, None)
