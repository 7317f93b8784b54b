"""Water temperature from air temperature, and reference evaporation (FAO-56 examples)."""

import numpy as np
import pytest

from twin.forcing.evaporation import (
    extraterrestrial_radiation_mj_m2_d,
    hargreaves_mm_d,
    hargreaves_series_m_s,
    makkink_m_s,
    slope_vapour_pressure_kpa_k,
)
from twin.forcing.temperature import water_temperature_from_air

T0 = 1.7040672e9  # 2024-01-01T00:00Z


def test_constant_air_gives_the_equilibrium():
    t = T0 + 3600.0 * np.arange(500)
    tw = water_temperature_from_air(t, np.full(500, 10.0), lag_days=4.0, offset_c=1.0)
    np.testing.assert_allclose(tw, 11.0, rtol=1e-14)


def test_step_response_is_the_exact_exponential():
    n = 24 * 30
    t = T0 + 3600.0 * np.arange(n)
    air = np.where(np.arange(n) < 100, 10.0, 20.0)
    tw = water_temperature_from_air(t, air, lag_days=4.0, offset_c=1.0)
    k = np.arange(100, n)
    # air held over each interval: the step starts acting over the interval from t[100]
    expected = 21.0 - 10.0 * np.exp(-(t[k] - t[100]) / (4 * 86400.0))
    np.testing.assert_allclose(tw[k], expected, rtol=1e-12)
    np.testing.assert_allclose(tw[:101], 11.0, rtol=1e-12)


def test_water_temperature_never_below_zero():
    t = T0 + 3600.0 * np.arange(300)
    assert water_temperature_from_air(t, np.full(300, -8.0)).min() == 0.0


def test_extraterrestrial_radiation_fao56_example_8():
    # FAO-56 Example 8: 3 September (day 246) at 20 S: Ra = 32.2 MJ m-2 d-1
    assert extraterrestrial_radiation_mj_m2_d(-20.0, np.array([246]))[0] == pytest.approx(
        32.2, abs=0.05
    )


def test_slope_of_vapour_pressure_fao56_table():
    # FAO-56 Annex 2, Table 2.4: 0.145 kPa/K at 20 C, 0.189 at 25 C
    assert slope_vapour_pressure_kpa_k(20.0) == pytest.approx(0.145, abs=5e-4)
    assert slope_vapour_pressure_kpa_k(25.0) == pytest.approx(0.189, abs=5e-4)


def test_makkink_by_hand():
    d = 0.1447
    expected = 0.65 * d / (d + 0.067) * 500.0 / 2.45e6 / 1000.0
    assert makkink_m_s(np.array([500.0]), np.array([20.0]))[0] == pytest.approx(expected, rel=1e-3)
    assert makkink_m_s(np.array([0.0]), np.array([20.0]))[0] == 0.0


def test_hargreaves_series_keeps_the_daily_total_and_is_zero_at_night():
    lon, lat = 121.0, 31.3
    # local solar day starts at UTC - lon/15 h
    day0 = T0 + 86400.0 * 180 - lon / 15 * 3600
    t = day0 + 3600.0 * np.arange(24 * 3)
    hours_local = (np.arange(24 * 3)) % 24
    air = 25 + 5 * np.sin(2 * np.pi * (hours_local - 9) / 24)
    et = hargreaves_series_m_s(t, 3600.0, air, lon, lat)
    doy = 181
    expected = hargreaves_mm_d(air[:24].mean(), air[:24].max(), air[:24].min(),
                               extraterrestrial_radiation_mj_m2_d(lat, np.array([doy]))[0])  # fmt: skip
    daily = et[24:48].sum() * 3600 * 1e3
    assert daily == pytest.approx(expected, rel=0.02)
    assert 3.0 < daily < 7.0  # midsummer on the Yangtze delta
    assert et[24 + 0] == 0.0 and et[24 + 23] == 0.0  # midnight hours (local)
