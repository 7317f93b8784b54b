"""Algal limitation functions against hand calculations and numerical quadrature of the
point-wise light responses over depth; the kernel's growth rate against their product; the
oxygen-demand conversions against hand values."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import quad

from tests.eutro_cases import DAY, state
from twin.quality import algae as A
from twin.quality import eutro as E
from twin.quality import oxygen as O

POINTWISE = {
    A.LIGHT_HALF_SATURATION: lambda i, k: i / (k + i),
    A.LIGHT_SMITH: lambda i, k: (i / k) / math.sqrt(1 + (i / k) ** 2),
    A.LIGHT_STEELE: lambda i, k: (i / k) * math.exp(1 - i / k),
}


@pytest.mark.parametrize("model", list(POINTWISE))
@pytest.mark.parametrize(
    "i0, k_l, ke, h", [(200.0, 30.0, 3.0, 2.0), (50.0, 100.0, 0.5, 1.0), (400.0, 60.0, 8.0, 0.3)]
)
def test_depth_mean_against_quadrature(model, i0, k_l, ke, h):
    f = POINTWISE[model]
    ref = quad(lambda z: f(i0 * math.exp(-ke * z), k_l), 0.0, h, epsabs=1e-13, epsrel=1e-12)[0] / h
    assert A.light_depth_mean(model, i0, k_l, ke, h) == pytest.approx(ref, rel=1e-9)


def test_light_limits():
    for model, f in POINTWISE.items():
        # optically thin layer: the surface value
        assert A.light_depth_mean(model, 80.0, 40.0, 1e-9, 1.0) == pytest.approx(f(80.0, 40.0))
        assert A.light_depth_mean(model, 0.0, 40.0, 2.0, 1.0) == 0.0
        assert A.light_depth_mean(model, 80.0, 0.0, 2.0, 1.0) == 1.0  # K_L = 0: no limitation


def test_di_toro_daily_form():
    """Chapra 2008 eq. 33.19: phi = 2.718 f / (k_e H) (exp(-a1) - exp(-a0)),
    a0 = I_a / I_s, a1 = a0 exp(-k_e H), I_a the mean light during daylight."""
    f, ia, i_s, ke, h = 0.55, 250.0, 150.0, 2.5, 1.8
    a0 = ia / i_s
    a1 = a0 * math.exp(-ke * h)
    hand = 2.718282 * f / (ke * h) * (math.exp(-a1) - math.exp(-a0))
    got = A.light_limitation(A.LIGHT_STEELE, ia, f, i_s, ke, h)
    assert got == pytest.approx(hand, rel=1e-6)


def test_extinction_hand():
    # k_bg 1.2, chl 27 ug/L: 1.2 + 0.0088 * 27 + 0.054 * 27^(2/3) = 1.2 + 0.2376 + 0.486
    assert A.extinction(1.2, 27.0, 0.0088, 0.054) == pytest.approx(1.9236, abs=1e-10)


def test_nutrient_limitation_hand():
    # DIN 0.03 over ks 0.015: 2/3; PO4 0.002 over ks 0.002: 1/2 -> P limits
    assert A.nutrient_limitation(0.01, 0.02, 0.002, 0.015, 0.002) == pytest.approx(0.5)
    assert A.nutrient_limitation(0.002, 0.003, 0.5, 0.015, 0.002) == pytest.approx(0.25)
    assert A.nutrient_limitation(0.0, 0.0, 0.5, 0.0, 0.002) == 0.0
    assert A.nutrient_limitation(1.0, 0.0, 1.0, 0.0, 0.0) == 1.0


def test_ammonia_preference():
    k = 0.025
    assert A.ammonia_preference(k, k, k) == pytest.approx(0.5)  # 1/4 + 1/4
    # nh3 0.1, no3 0.5, k 0.025: 0.05/(0.125*0.525) + 0.0025/(0.6*0.525) = 0.7619 + 0.0079
    assert A.ammonia_preference(0.1, 0.5, k) == pytest.approx(0.76984, abs=1e-5)
    assert A.ammonia_preference(0.3, 0.0, k) == 1.0
    assert A.ammonia_preference(0.0, 0.3, k) == 0.0
    for nh3, no3 in [(1e-6, 2.0), (0.5, 0.5), (3.0, 1e-6)]:
        assert 0.0 <= A.ammonia_preference(nh3, no3, k) <= 1.0


def test_temperature_factor():
    assert A.temperature_factor(1.066, 28.0) == pytest.approx(1.066**8)


def test_kernel_growth_is_the_product_of_the_limitations():
    row = E.default_row(light_model=float(A.LIGHT_SMITH), background_extinction_per_m=2.0)
    x = state(chla=0.025, nh3n=0.01, no3n=0.005, po4p=0.004)
    temp, h, light, f = 26.0, 1.4, 180.0, 0.52
    w = np.zeros(E.N_ROW_WORK)
    E.row_constants(row, temp, w)
    r = np.zeros(E.N_PROC)
    E.process_rates(x, row, w, h, light, f, r)
    ke = 2.0 + 0.0088 * 25.0 + 0.054 * 25.0 ** (2 / 3)
    kl = 57.6 * 41840 / 86400
    a0 = light / kl
    a1 = a0 * math.exp(-ke * h)
    phi_l = f * (math.asinh(a0) - math.asinh(a1)) / (ke * h)
    phi_n = min(0.015 / (0.015 + 0.015), 0.004 / (0.002 + 0.004))
    mu = 2.5 * 1.066**6 / DAY
    pref = A.ammonia_preference(0.01, 0.005, 0.025)
    total = mu * phi_l * phi_n * 0.025
    assert r[E.P_GROW_NH3] == pytest.approx(total * pref, rel=1e-12)
    assert r[E.P_GROW_NO3] == pytest.approx(total * (1 - pref), rel=1e-12)


def test_bod5_cod_codmn():
    # 10 mg/L fast CBOD at k1 0.23/d: 10 (1 - e^-1.15) = 6.834; slow 5 at 0.05: 5 (1 - e^-0.25)
    assert O.bod5(10.0, 5.0, 0.23, 0.05) == pytest.approx(6.8336 + 1.1060, abs=1e-3)
    r_oa = 2.69 * 40.0
    assert O.cod(4.0, 3.0, 15.0, 0.05, r_oa) == pytest.approx(22.0 + 5.38)
    f = O.CODMN_PER_COD
    assert f == pytest.approx(0.2558, abs=1e-4)
    assert O.cod_mn(4.0, 3.0, 15.0, 0.05, r_oa, f, f, f) == pytest.approx(27.38 * f)


def test_om_refractory_from_cod_mn_inverts_cod_mn():
    f = O.CODMN_PER_COD
    r_oa = 2.69 * 40.0
    om = O.om_refractory_from_cod_mn(6.0, 2.0, 3.0, 0.02, r_oa, f, f, f)
    assert O.cod_mn(2.0, 3.0, om, 0.02, r_oa, f, f, f) == pytest.approx(6.0)
    assert O.om_refractory_from_cod_mn(0.5, 2.0, 3.0, 0.02, r_oa, f, f, f) == 0.0


def test_photoperiod():
    assert A.photoperiod_fraction(80.0, 0.0) == pytest.approx(0.5)
    # Kunshan (31.3 N): about 14.0 h at the June solstice, 10.0 h at the December one
    assert A.photoperiod_fraction(172.0, 31.3) * 24 == pytest.approx(14.04, abs=0.05)
    assert A.photoperiod_fraction(355.0, 31.3) * 24 == pytest.approx(9.96, abs=0.05)
    assert A.photoperiod_fraction(172.0, 80.0) == 1.0 and A.photoperiod_fraction(355.0, 80.0) == 0.0


def test_ka20_cells():
    u = np.array([0.1, 0.5, 1.0])
    h = np.array([3.0, 0.4, 1.0])
    u10 = np.array([4.0, 0.0, 2.0])
    spec = np.zeros(3)
    out = np.zeros(3)
    O.ka20_cells(O.KA_QUAL2K, O.WIND_BANKS_HERRERA, u, h, u10, spec, out)
    for c in range(3):
        assert out[c] == O.ka20(O.KA_QUAL2K, O.WIND_BANKS_HERRERA, u[c], h[c], u10[c], 0.0)
