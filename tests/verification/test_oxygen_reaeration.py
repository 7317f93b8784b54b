"""Reaeration formulas against their published forms, typed here from the papers' constants
(O'Connor and Dobbins 1958; Churchill, Elmore and Buckingham 1962; Owens, Edwards and Gibbs
1964; Banks and Herrera 1977; Wanninkhof 1991) at a table of depths and velocities, and
QUAL2K's switch (Covar 1976) on both sides of each boundary."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from twin.quality import oxygen as O

DEPTHS = [0.2, 0.45, 0.6, 0.8, 1.0, 1.5, 2.0, 3.0, 5.0]
VELOCITIES = [0.05, 0.1, 0.3, 0.5, 0.8, 1.2]
GRID = list(itertools.product(DEPTHS, VELOCITIES))


@pytest.mark.parametrize("h, u", GRID)
def test_flow_formulas_published_forms(h, u):
    assert O.ka_oconnor_dobbins(u, h) == pytest.approx(3.93 * u**0.5 * h**-1.5, rel=1e-14)
    assert O.ka_churchill(u, h) == pytest.approx(5.026 * u * h**-1.67, rel=1e-14)
    assert O.ka_owens_gibbs(u, h) == pytest.approx(5.32 * u**0.67 * h**-1.85, rel=1e-14)


def test_hand_values():
    # H = 1 m, U = 0.5 m/s: 3.93 * 0.7071 = 2.779 /d; Churchill 2.513; Owens-Gibbs 5.32 * 0.62851 = 3.3437
    assert O.ka_oconnor_dobbins(0.5, 1.0) == pytest.approx(2.7789, abs=1e-4)
    assert O.ka_churchill(0.5, 1.0) == pytest.approx(2.513, abs=1e-4)
    assert O.ka_owens_gibbs(0.5, 1.0) == pytest.approx(3.3437, abs=1e-4)
    # H = 0.4572 m (1.5 ft), U = 0.6 m/s (StreamMetabolism's example): 9.85 /d
    assert O.ka_oconnor_dobbins(0.6, 0.4572) == pytest.approx(9.846, abs=2e-3)


@pytest.mark.parametrize("h, u", GRID)
def test_qual2k_switch(h, u):
    if h < 0.61:
        expected = 5.32 * u**0.67 * h**-1.85
    elif h > 3.45 * u**2.5:
        expected = 3.93 * u**0.5 * h**-1.5
    else:
        expected = 5.026 * u * h**-1.67
    assert O.ka_qual2k(u, h) == pytest.approx(expected, rel=1e-14)
    assert O.ka_flow(O.KA_QUAL2K, u, h, -1.0) == O.ka_qual2k(u, h)


def test_switch_boundaries():
    eps = 1e-9
    # shallow limit 0.61 m, at any velocity
    for u in (0.1, 1.0):
        assert O.ka_qual2k(u, 0.61 - eps) == O.ka_owens_gibbs(u, 0.61 - eps)
        assert O.ka_qual2k(u, 0.61 + eps) != O.ka_owens_gibbs(u, 0.61 + eps)
    # O'Connor-Dobbins above H = 3.45 U^2.5, Churchill below (U = 0.8 m/s: H = 1.9749 m)
    u = 0.8
    hb = 3.45 * u**2.5
    assert hb == pytest.approx(1.97485, abs=1e-4)
    assert O.ka_qual2k(u, hb * (1 + eps)) == O.ka_oconnor_dobbins(u, hb * (1 + eps))
    assert O.ka_qual2k(u, hb * (1 - eps)) == O.ka_churchill(u, hb * (1 - eps))
    # fast and shallow-ish (U = 1.2, H = 1 < 3.45 * 1.2^2.5 = 5.44): Churchill
    assert O.ka_qual2k(1.2, 1.0) == O.ka_churchill(1.2, 1.0)
    # slow and deep: O'Connor-Dobbins
    assert O.ka_qual2k(0.1, 3.0) == O.ka_oconnor_dobbins(0.1, 3.0)


@pytest.mark.parametrize("u10", [0.5, 2.0, 5.0, 10.0, 15.0])
def test_wind_formulas(u10):
    bh = 0.728 * u10**0.5 - 0.317 * u10 + 0.0372 * u10**2
    assert O.kl_wind(O.WIND_BANKS_HERRERA, u10) == pytest.approx(bh, rel=1e-14)
    assert bh > 0
    assert O.kl_wind(O.WIND_WANNINKHOF, u10) == pytest.approx(0.0986 * u10**1.64, rel=1e-14)
    assert O.kl_wind(O.WIND_NONE, u10) == 0.0


def test_banks_herrera_hand_value():
    # U10 = 5 m/s: 0.728 * 2.2361 - 1.585 + 0.93 = 0.9729 m/d
    assert O.kl_wind(O.WIND_BANKS_HERRERA, 5.0) == pytest.approx(0.97288, abs=1e-4)


def test_combined_as_qual2k():
    h, u, u10 = 2.0, 0.05, 6.0
    flow = 3.93 * u**0.5 / h**1.5
    wind = 0.728 * u10**0.5 - 0.317 * u10 + 0.0372 * u10**2
    got = O.ka20(O.KA_QUAL2K, O.WIND_BANKS_HERRERA, u, h, u10, 0.0)
    assert got == pytest.approx(flow + wind / h, rel=1e-14)
    # a specified k_a is taken as it is
    assert O.ka20(O.KA_SPECIFIED, O.WIND_BANKS_HERRERA, u, h, u10, 0.7) == 0.7
    # a lake: no current, wind only
    assert O.ka20(O.KA_OCONNOR_DOBBINS, O.WIND_WANNINKHOF, 0.0, 2.0, 5.0, 0.0) == pytest.approx(
        0.0986 * 5.0**1.64 / 2.0
    )


def test_wind_height_and_temperature():
    assert O.wind_speed_10m(3.0, 7.0) == pytest.approx(3.0 * (10 / 7) ** 0.15)
    assert O.wind_speed_10m(3.0, 10.0) == 3.0
    assert O.ka_at_temperature(2.0, 25.0, 1.024) == pytest.approx(2.0 * 1.024**5)
    assert O.ka_at_temperature(2.0, 20.0, 1.024) == 2.0


def test_depth_floor_and_sign_of_velocity():
    assert np.isfinite(O.ka_owens_gibbs(0.5, 0.0))
    assert O.ka_owens_gibbs(0.5, 0.0) == O.ka_owens_gibbs(0.5, O.MIN_DEPTH_M)
    assert O.ka_qual2k(-0.4, 1.5) == O.ka_qual2k(0.4, 1.5)  # reversing tidal flow


def test_reaerate_exact():
    cs, ka, dt = 9.0, 3.0 / 86400.0, 7200.0
    assert O.reaerate(4.0, cs, ka, dt) == pytest.approx(cs - 5.0 * np.exp(-ka * dt))
    assert O.reaerate(0.0, cs, 1.0, 1e9) == pytest.approx(cs)
    assert O.reaerate(12.0, cs, 1.0, 1e9) == pytest.approx(cs)  # supersaturation degasses


def test_formula_names():
    assert set(O.REAERATION_FORMULAS) == {
        "specified", "oconnor_dobbins", "churchill", "owens_gibbs", "qual2k"
    }  # fmt: skip
    assert len(set(O.REAERATION_FORMULAS.values())) == 5
    assert set(O.WIND_FORMULAS) == {"none", "banks_herrera", "wanninkhof"}
    assert len(set(O.WIND_FORMULAS.values())) == 3
