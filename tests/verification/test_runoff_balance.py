"""Plain polder runoff (twin.forcing.runoff): water balance to round-off, mass balance of
non-point loads, polder pump limits, and the Xinanjiang and water-surface formulas by hand."""

import numpy as np
import pytest

from twin.config.sources import Catchment
from twin.forcing.loads import LOAD_SPECIES
from twin.forcing.runoff import run_runoff
from twin.vocab.landuse import LAND_USE_CLASSES

DT = 3600.0
T0 = (
    (np.datetime64("2024-01-01T00") - np.datetime64("1970-01-01T00"))
    .astype("timedelta64[s]")
    .astype(float)
)


def catchment(cid="c", land_use=None, **kw):
    return Catchment(
        id=cid, geojson="none.geojson", outlet_node="n1",
        land_use=land_use or {"water": 0.1, "paddy": 0.3, "dry_land": 0.15, "built_up": 0.35, "green": 0.1},
        **kw,
    )  # fmt: skip


def weather(nt, seed=0):
    """Hourly rain (m/s) with storms and dry spells, and a diurnal and seasonal PET (m/s)."""
    rng = np.random.default_rng(seed)
    p = np.zeros(nt)
    k = 0
    while k < nt:
        d = int(rng.uniform(2, 30))
        p[k : k + d] = rng.gamma(1.0, 2.0) * 1e-3 / 3600
        k += d + int(rng.exponential(90))
    h = np.arange(nt)
    pet = (
        np.clip(np.sin(2 * np.pi * (h % 24 - 6) / 24), 0, None)
        * (0.2 + 0.25 * np.sin(2 * np.pi * (h / 8784 - 0.25)) + 0.25)
        * 1e-3
        / 3600
        * 1.6
    )
    return p, pet


def run(cats, p, pet, emc=None, dep=None, times=None):
    nc, nt = len(cats), p.shape[-1]
    P = np.broadcast_to(p, (nc, nt)).copy()
    E = np.broadcast_to(pet, (nc, nt)).copy()
    area = np.full(nc, 5.0e7)
    emc = np.zeros((nc, 5, 5)) if emc is None else emc
    dep = np.zeros((nc, 5)) if dep is None else dep
    t = T0 + DT * np.arange(nt) if times is None else times
    return run_runoff(t, DT, P, E, area, cats, emc, dep), area


def test_water_balance_to_round_off_over_a_year():
    cats = [
        catchment("mixed"),
        catchment("polder", polder_pump_capacity_m3s=2.0),
        catchment("tight_pumps", polder_pump_capacity_m3s=0.05),
        catchment("half_polder", polder_pump_capacity_m3s=1.0, runoff={"polder_fraction": 0.5}),
        catchment("paddy", land_use={"paddy": 1.0}),
        catchment("water", land_use={"water": 1.0}),
        catchment("city", land_use={"built_up": 1.0}, runoff={"impervious_fraction": 0.9}),
    ]
    p, pet = weather(8784)
    r, area = run(cats, p, pet)
    rain = p.sum() * DT * area
    et = r.evaporation_m3s.sum(axis=1) * DT
    ds = r.storage_m3[:, -1] - r.initial_storage_m3
    out = (r.runoff_m3s + r.withdrawal_m3s).sum(axis=1) * DT
    # rain = evaporation + storage change + net runoff to the rivers, to round-off
    np.testing.assert_allclose(et + ds + out, rain, rtol=1e-12)
    # per step too
    s_prev = np.concatenate([r.initial_storage_m3[:, None], r.storage_m3[:, :-1]], axis=1)
    step = (
        p * DT * area[:, None]
        - r.evaporation_m3s * DT
        - (r.storage_m3 - s_prev)
        - (r.runoff_m3s + r.withdrawal_m3s) * DT
    )
    assert np.max(np.abs(step)) < 1e-9 * np.max(p * DT * area[0])
    assert np.all(r.runoff_m3s >= 0) and np.all(r.withdrawal_m3s <= 0)
    assert np.all(r.storage_m3 >= -1e-9)
    # plausible annual totals for the Taihu plain (runoff coefficient 0.2-0.7)
    coef = r.runoff_m3s[0].sum() * DT / rain[0]
    assert 0.2 < coef < 0.8
    # pumps never exceed their capacity
    assert np.max(r.pump_m3s[2]) <= 0.05 + 1e-12
    assert np.max(r.pump_m3s[1]) <= 2.0 + 1e-12
    # a tight pump stores water in the polder and releases it later
    assert np.max(r.storage_m3[2] - r.storage_m3[0]) > 1e5


def test_paddy_irrigation_in_a_dry_rice_season():
    nt = 24 * 60
    t = (np.datetime64("2024-07-01T00") - np.datetime64("1970-01-01T00")).astype(
        "timedelta64[s]"
    ).astype(float) + DT * np.arange(nt)
    p = np.zeros(nt)
    pet = np.full(nt, 5e-3 / 86400)  # 5 mm/d
    r, area = run([catchment("p", land_use={"paddy": 1.0})], p, pet, times=t)
    # ponded water stays between the lower limit and the ridge: irrigation makes up
    # evapotranspiration (kc 1.1 x 5 mm/d) plus seepage (3 mm/d) plus the change of ponded
    # depth; a cold start inside the season finds the field flooded halfway between the
    # irrigation trigger (20 mm) and the refill depth (50 mm)
    depth = r.storage_m3[0] / area[0] - 0.6 * 0.12  # minus the frozen off-season soil store
    assert depth.min() >= 0.020 - 1e-12 and depth.max() <= 0.050 + 1e-12
    initial = 0.5 * (0.020 + 0.050)
    irrigation_mm = -r.withdrawal_m3s[0].sum() * DT / area[0] * 1e3
    assert irrigation_mm == pytest.approx(
        (1.1 * 5 + 3) * nt / 24 + (depth[-1] - initial) * 1e3, rel=1e-9
    )
    # no flood of irrigation in the first hour
    assert -r.withdrawal_m3s[0, 0] * DT / area[0] < 1e-3


def test_water_surface_runoff_is_rain_minus_open_water_evaporation():
    p, pet = weather(2000, seed=4)
    r, area = run([catchment("w", land_use={"water": 1.0})], p, pet)
    net = (p - 1.05 * pet) * area[0]
    np.testing.assert_allclose(r.runoff_m3s[0], np.clip(net, 0, None), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(r.withdrawal_m3s[0], np.clip(net, None, 0), rtol=1e-12, atol=1e-15)


def test_xinanjiang_step_against_the_formula():
    wm, b = 0.12, 0.3
    for w0_frac, pe_mm in ((0.0, 30.0), (0.5, 10.0), (0.5, 200.0), (1.0, 5.0)):
        c = catchment("d", land_use={"dry_land": 1.0}, runoff={"initial_soil_fraction": w0_frac})
        p = np.array([pe_mm * 1e-3 / DT])
        r, area = run([c], p, np.zeros(1))
        w0 = w0_frac * wm
        wmm = wm * (1 + b)
        a = wmm * (1 - (1 - w0 / wm) ** (1 / (1 + b)))
        pe = pe_mm * 1e-3
        expected = (
            pe - (wm - w0) + wm * (1 - (pe + a) / wmm) ** (1 + b)
            if pe + a < wmm
            else pe - (wm - w0)
        )
        assert r.runoff_m3s[0, 0] * DT / area[0] == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_nonpoint_mass_balance_with_polder_mixing():
    p, pet = weather(8784, seed=2)
    p[-24 * 30 :] = 0.0  # a dry month at the end empties the polder
    emc = np.zeros((1, 5, 5))
    emc[0, LAND_USE_CLASSES.index("dry_land")] = [1.0, 2.0, 3.0, 0.2, 0.1]
    cats = [catchment("d", land_use={"dry_land": 1.0}, polder_pump_capacity_m3s=3.0)]
    r, _ = run(cats, p, pet, emc=emc)
    # one source class: every m3 of runoff carries the EMC, before and after polder mixing
    vol = r.runoff_m3s[0].sum()
    for j, sp in enumerate(LOAD_SPECIES):
        assert r.load_g_s[0, j].sum() / vol == pytest.approx(emc[0, 2, j], rel=1e-10), sp
    wet = r.runoff_m3s[0] > 0
    np.testing.assert_allclose(r.load_g_s[0, 1, wet] / r.runoff_m3s[0, wet], 2.0, rtol=1e-9)


def test_deposition_on_water_surface_reaches_the_river():
    nt = 500
    dep = np.zeros((1, 5))
    dep[0, 1] = 1e-6  # g m-2 s-1 of NH3-N
    r, area = run([catchment("w", land_use={"water": 1.0})], np.zeros(nt), np.zeros(nt), dep=dep)
    np.testing.assert_allclose(r.load_g_s[0, 1], 1e-6 * area[0], rtol=1e-12)
