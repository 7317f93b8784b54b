"""Reference (potential) evaporation when the forcing files do not give it.

Two methods, chosen by the data available:

* Makkink (1957) with the KNMI coefficient (de Bruin and Lablans 1998, Hydrological Processes
  12, 1053-1062), from shortwave radiation Rs and air temperature T:
  ET = 0.65 Delta / (Delta + gamma) Rs / (lambda rho_w)   [m s-1]
* Hargreaves and Samani (1985), from daily maximum, minimum and mean air temperature and the
  extraterrestrial radiation Ra (FAO-56, Allen et al. 1998, eqs. 21-25 and 52):
  ET0 = 0.0023 (Tmean + 17.8) sqrt(Tmax - Tmin) 0.408 Ra   [mm d-1, Ra in MJ m-2 d-1]
  The daily total is spread over the day in proportion to the cosine of the solar zenith
  angle (no evaporation at night); local solar time is taken as UTC + longitude / 15 h
  (the equation of time, at most 16 minutes, is neglected).

Delta (FAO-56 eq. 13): 4098 * 0.6108 exp(17.27 T / (T + 237.3)) / (T + 237.3)^2 kPa K-1;
gamma = 0.067 kPa K-1 (FAO-56 eq. 8 at sea level); lambda = 2.45e6 J kg-1 (FAO-56).
"""

from __future__ import annotations

import numpy as np

LAMBDA_J_KG = 2.45e6
GAMMA_KPA_K = 0.067
GSC_MJ_M2_MIN = 0.0820  # solar constant, FAO-56 eq. 21


def slope_vapour_pressure_kpa_k(t_c: np.ndarray) -> np.ndarray:
    """FAO-56 eq. 13, kPa K-1."""
    t = np.asarray(t_c, np.float64)
    return 4098.0 * 0.6108 * np.exp(17.27 * t / (t + 237.3)) / (t + 237.3) ** 2


def makkink_m_s(shortwave_w_m2: np.ndarray, t_c: np.ndarray) -> np.ndarray:
    """Makkink reference evaporation (KNMI form), m s-1 of water."""
    d = slope_vapour_pressure_kpa_k(t_c)
    return np.clip(0.65 * d / (d + GAMMA_KPA_K) * shortwave_w_m2 / (LAMBDA_J_KG * 1000.0), 0, None)


def solar_declination_rad(doy: np.ndarray) -> np.ndarray:
    """FAO-56 eq. 24."""
    return 0.409 * np.sin(2 * np.pi * np.asarray(doy, np.float64) / 365.0 - 1.39)


def extraterrestrial_radiation_mj_m2_d(lat_deg: float, doy: np.ndarray) -> np.ndarray:
    """Daily extraterrestrial radiation Ra, MJ m-2 d-1 (FAO-56 eqs. 21, 23, 24, 25)."""
    phi = np.radians(lat_deg)
    dr = 1 + 0.033 * np.cos(2 * np.pi * np.asarray(doy, np.float64) / 365.0)
    delta = solar_declination_rad(doy)
    ws = np.arccos(np.clip(-np.tan(phi) * np.tan(delta), -1.0, 1.0))
    return (
        24 * 60 / np.pi * GSC_MJ_M2_MIN * dr
        * (ws * np.sin(phi) * np.sin(delta) + np.cos(phi) * np.cos(delta) * np.sin(ws))
    )  # fmt: skip


def hargreaves_mm_d(tmean_c, tmax_c, tmin_c, ra_mj_m2_d) -> np.ndarray:
    """Hargreaves-Samani ET0 (FAO-56 eq. 52), mm d-1."""
    rng = np.sqrt(np.clip(np.asarray(tmax_c) - np.asarray(tmin_c), 0.0, None))
    return np.clip(0.0023 * (np.asarray(tmean_c) + 17.8) * rng * 0.408 * ra_mj_m2_d, 0.0, None)


def _doy(t_s: np.ndarray) -> np.ndarray:
    days = np.floor(t_s / 86400.0).astype(np.int64)
    d64 = days.astype("datetime64[D]")
    return (d64 - d64.astype("datetime64[Y]")).astype(np.int64) + 1


def cos_zenith(t_s: np.ndarray, lon_deg: float, lat_deg: float) -> np.ndarray:
    """Cosine of the solar zenith angle at epoch times t_s (UTC), clipped at 0."""
    solar_h = (t_s / 3600.0 + lon_deg / 15.0) % 24.0
    omega = np.radians(15.0 * (solar_h - 12.0))
    delta = solar_declination_rad(_doy(t_s + lon_deg / 15.0 * 3600.0))
    phi = np.radians(lat_deg)
    return np.clip(
        np.sin(phi) * np.sin(delta) + np.cos(phi) * np.cos(delta) * np.cos(omega), 0.0, None
    )


def hargreaves_series_m_s(
    times_s: np.ndarray, step_s: float, t_c: np.ndarray, lon_deg: float, lat_deg: float
) -> np.ndarray:
    """Hargreaves ET0 as interval means on ``times_s`` (interval starts), m s-1.

    Daily Tmax, Tmin and Tmean come from the samples of each local solar day; the daily total
    is distributed by the zenith cosine at the interval midpoints, normalised by its daily
    mean computed on a 15-minute sub-grid, so that each full day keeps its Hargreaves total.
    """
    t_s = np.asarray(times_s, np.float64)
    local = t_s + lon_deg / 15.0 * 3600.0
    day = np.floor(local / 86400.0).astype(np.int64)
    uniq, inv = np.unique(day, return_inverse=True)
    n = uniq.size
    tmax = np.full(n, -np.inf)
    tmin = np.full(n, np.inf)
    np.maximum.at(tmax, inv, t_c)
    np.minimum.at(tmin, inv, t_c)
    tsum = np.bincount(inv, weights=t_c, minlength=n)
    tmean = tsum / np.bincount(inv, minlength=n)
    day_start_utc = uniq * 86400.0 - lon_deg / 15.0 * 3600.0
    doy = _doy(uniq * 86400.0)
    et0 = hargreaves_mm_d(tmean, tmax, tmin, extraterrestrial_radiation_mj_m2_d(lat_deg, doy))
    sub = day_start_utc[:, None] + (np.arange(96) + 0.5) * 900.0
    mean_cz = cos_zenith(sub.ravel(), lon_deg, lat_deg).reshape(n, 96).mean(axis=1)
    cz = cos_zenith(t_s + 0.5 * step_s, lon_deg, lat_deg)
    frac = np.where(mean_cz[inv] > 0, cz / np.where(mean_cz[inv] > 0, mean_cz[inv], 1.0), 1.0)
    return et0[inv] * 1e-3 / 86400.0 * frac
