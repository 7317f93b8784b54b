"""Pollutant loads of point sources and sewage (twin.forcing.loads, twin.forcing.sewage):
splits of totals, effluent presets, plant capacity and bypass, connected enterprises,
catchment sewage, tail-water removal; and the checker's rejection of bad names."""

import numpy as np
import pytest

from tests.cases.forcing import square, write_geojson, write_model
from twin.errors import ConfigError, UserError
from twin.forcing import prepare_forcing
from twin.forcing.loads import PER_CAPITA, SPLITS, deposition_g_m2_s, split
from twin.run.load import load_checked_config as load_config
from twin.vocab.sources import EFFLUENT_PRESETS

START, END = "2024-01-01T00:00:00", "2024-01-03T00:00:00"


def test_split_keeps_given_parts_and_shares_the_rest():
    out = split({"tn": 35.0, "nh3n": 25.0, "tp": 3.5}, "raw_sewage")
    assert out["nh3n"] == 25.0
    assert out["on"] + out["nh3n"] + out["no3n"] == pytest.approx(35.0)
    assert out["no3n"] == 0.0  # raw sewage holds no nitrate (Metcalf & Eddy)
    assert out["op"] == pytest.approx(3.5 * 0.286) and out["po4p"] == pytest.approx(3.5 * 0.714)
    only_tp = split({"tp": 1.0}, "effluent")
    assert only_tp["on"] == 0.0 and only_tp["op"] + only_tp["po4p"] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="exceed tn"):
        split({"tn": 5.0, "nh3n": 6.0}, "effluent")
    for kind, fr in SPLITS.items():
        for total, parts in fr.items():
            assert sum(parts.values()) == pytest.approx(1.0), (kind, total)


def test_presets_are_sourced_and_ordered_by_strictness():
    for p in EFFLUENT_PRESETS.values():
        assert p.source and p.confidence in ("published", "estimated")
        assert p.nh3n_cold >= p.nh3n and p.tn_cold >= p.tn
    a, b = EFFLUENT_PRESETS["gb18918_1a"], EFFLUENT_PRESETS["gb18918_1b"]
    assert (a.tn, a.tp, a.nh3n, b.tn, b.tp, b.nh3n) == (15, 0.5, 5, 20, 1.0, 8)
    assert EFFLUENT_PRESETS["suzhou_special"].tp <= EFFLUENT_PRESETS["db32_1072_taihu"].tp <= a.tp


def test_deposition_flux_matches_the_annual_totals():
    g = deposition_g_m2_s()
    year = 365.25 * 86400
    assert (g["on"] + g["nh3n"] + g["no3n"]) * year * 1e4 / 1e3 == pytest.approx(30.2)
    assert (g["op"] + g["po4p"]) * year * 1e4 / 1e3 == pytest.approx(1.1)


def _prepare(tmp_path, sources, catchments=None, forcing=None, timeseries=None):
    if catchments:
        write_geojson(
            tmp_path / "c.geojson", {c["id"]: square(120.9, 31.2, 0.05, 0.05) for c in catchments}
        )
    p = write_model(tmp_path, start=START, end=END, sources=sources, catchments=catchments,
                    forcing=forcing, timeseries=timeseries)  # fmt: skip
    return prepare_forcing(load_config(p))


def tn(f):
    return f.load_g_s["on"] + f.load_g_s["nh3n"] + f.load_g_s["no3n"]


def tp(f):
    return f.load_g_s["op"] + f.load_g_s["po4p"]


def test_plant_over_capacity_bypasses_raw_sewage(tmp_path):
    src = [dict(kind="wwtp", id="w", node="n2", capacity_m3d=8640.0, inflow_m3d=12960.0,
                effluent="gb18918_1a", raw_sewage={"tn": 40.0, "nh3n": 28.0, "tp": 4.0})]  # fmt: skip
    pf = _prepare(
        tmp_path, src, forcing={"water_temperature_c": 20.0, "water_temperature": "constant"}
    )
    w, bp = pf.inflow("w"), pf.inflow("w.bypass")
    assert w.group == "wwtp" and bp.group == "untreated_sewage"
    np.testing.assert_allclose(w.discharge_m3s, 0.1)  # capacity 8640 m3/d
    np.testing.assert_allclose(bp.discharge_m3s, 0.05)
    np.testing.assert_allclose(tn(w), 0.1 * 15.0)  # effluent at the 1A limits, water > 12 C
    np.testing.assert_allclose(w.load_g_s["nh3n"], 0.1 * 5.0)
    np.testing.assert_allclose(tp(w), 0.1 * 0.5)
    np.testing.assert_allclose(tn(bp), 0.05 * 40.0)  # bypass at raw quality
    np.testing.assert_allclose(tp(bp), 0.05 * 4.0)
    assert pf.report["wwtp_bypass"].sel(wwtp="w").values == pytest.approx(0.05)


def test_cold_water_uses_the_bracketed_ammonia_limit(tmp_path):
    src = [
        dict(
            kind="wwtp",
            id="w",
            node="n2",
            capacity_m3d=86400.0,
            inflow_m3d=8640.0,
            effluent="gb18918_1a",
        )
    ]
    pf = _prepare(
        tmp_path, src, forcing={"water_temperature_c": 8.0, "water_temperature": "constant"}
    )
    np.testing.assert_allclose(pf.inflow("w").load_g_s["nh3n"], 0.1 * 8.0)
    assert "w.bypass" not in [f.id for f in pf.inflows]


def test_overrides_and_tail_water_removal(tmp_path):
    src = [dict(kind="wwtp", id="w", node="n2", capacity_m3d=86400.0, inflow_m3d=8640.0,
                effluent="db32_1072_taihu", effluent_overrides={"tp": 0.2},
                effluent_removal={"tp": 0.25, "nh3n": 0.5})]  # fmt: skip
    pf = _prepare(tmp_path, src, forcing={"water_temperature": "constant"})
    w = pf.inflow("w")
    np.testing.assert_allclose(tp(w), 0.1 * 0.2 * 0.75)
    np.testing.assert_allclose(w.load_g_s["nh3n"], 0.1 * 3.0 * 0.5)


def test_connected_enterprise_and_catchment_sewage_feed_the_plant(tmp_path):
    src = [
        dict(kind="wwtp", id="w", node="n2", capacity_m3d=1e6, inflow_m3d=0.0, effluent={"tn": 10.0, "tp": 0.3}),
        dict(kind="enterprise", id="e_conn", node="n1", flow_m3d=864.0, concentrations={"tp": 5.0}, connected_to="w"),
        dict(kind="enterprise", id="e_river", node="n1", flow_m3d=864.0, concentrations={"tp": 5.0, "tn": 30.0}, tags=["phosphorus"]),
    ]  # fmt: skip
    cats = [dict(id="c1", geojson="c.geojson", outlet_node="n1", land_use={"built_up": 1.0},
                 population=10000.0, sewer_connection_fraction=0.9, sewer_leak_fraction=0.1,
                 untreated_sewage_entry_fraction=0.5, wwtp="w")]  # fmt: skip
    pf = _prepare(tmp_path, src, cats)
    ids = [f.id for f in pf.inflows]
    assert "e_conn" not in ids and "e_river" in ids
    assert pf.inflow("e_river").group == "enterprise"
    assert pf.inflow("e_river").tags == ("phosphorus",)
    np.testing.assert_allclose(tp(pf.inflow("e_river")), 0.01 * 5.0)
    q_cap = 10000 * PER_CAPITA["sewage_l_per_day"][0] * 1e-3 / 86400
    # to the plant: connected enterprise + collected sewage less leaks
    infl = pf.report["wwtp_influent"].sel(wwtp="w").values
    np.testing.assert_allclose(infl, 0.01 + q_cap * 0.9 * 0.9)
    # to the river untreated: uncollected share x entry fraction + leaks
    un = pf.inflow("c1.untreated_sewage")
    np.testing.assert_allclose(un.discharge_m3s, q_cap * (0.1 * 0.5 + 0.9 * 0.1))
    tp_cap = 10000 * PER_CAPITA["tp_g_per_day"][0] / 86400
    np.testing.assert_allclose(tp(un), tp_cap * (0.1 * 0.5 + 0.9 * 0.1))
    np.testing.assert_allclose(tp(pf.inflow("w")), infl * 0.3)


def test_effluent_never_exceeds_influent(tmp_path):
    # a plant receiving only clean-ish water cannot discharge the preset's 15 mg/L TN
    src = [dict(kind="wwtp", id="w", node="n2", capacity_m3d=1e5, inflow_m3d=8640.0,
                effluent="gb18918_1b", raw_sewage={"tn": 4.0, "tp": 0.5})]  # fmt: skip
    pf = _prepare(tmp_path, src, forcing={"water_temperature": "constant"})
    np.testing.assert_allclose(tn(pf.inflow("w")), 0.1 * 4.0)
    np.testing.assert_allclose(tp(pf.inflow("w")), 0.1 * 0.5)


def test_point_source_series_and_group(tmp_path):
    ts = [dict(id="q", units="m3 d-1", times=["2024-01-01T00:00:00", "2024-01-03T00:00:00"],
               values=[0.0, 172800.0])]  # fmt: skip
    src = [
        dict(
            kind="point",
            id="pt",
            node="n1",
            flow_m3d="q",
            concentrations={"nh3n": 2.0},
            group="other",
        )
    ]
    pf = _prepare(tmp_path, src, timeseries=ts)
    f = pf.inflow("pt")
    mid = pf.times_s + 0.5 * pf.step_s - pf.times_s[0]
    # sampled at interval midpoints, held at the last value beyond the series
    np.testing.assert_allclose(f.discharge_m3s, np.minimum(mid / 86400.0, 2.0), rtol=1e-12)
    np.testing.assert_allclose(f.load_g_s["nh3n"], 2.0 * f.discharge_m3s)
    assert f.group == "other"


def test_checker_rejects_unknown_preset_land_use_and_parameter(tmp_path):
    write_geojson(tmp_path / "c.geojson", {"c1": square(120.9, 31.2, 0.05, 0.05)})
    src = [
        dict(
            kind="wwtp", id="w", node="n2", capacity_m3d=1.0, inflow_m3d=1.0, effluent="gb18918_1c"
        )
    ]
    cats = [dict(id="c1", geojson="c.geojson", outlet_node="n1", land_use={"built_up": 0.5, "forest": 0.5},
                 runoff={"wm_mm": 100.0, "impervious_fraction": 1.5}, area_km2=100.0),
            dict(id="c2", geojson="c.geojson", outlet_node="n1", land_use={"water": 1.0})]  # fmt: skip
    p = write_model(tmp_path, start=START, end=END, sources=src, catchments=cats,
                    forcing={"variables": {"rain": "prec"}, "files": ["nothere_*.nc"]})  # fmt: skip
    with pytest.raises(ConfigError) as e:
        load_config(p)
    text = str(e.value)
    assert "unknown effluent preset 'gb18918_1c'" in text and "gb18918_1a" in text
    assert "unknown land-use class 'forest'" in text
    assert "unknown runoff parameter 'wm_mm'" in text
    assert "runoff.impervious_fraction: 1.5 is outside 0.0-1.0" in text
    assert "declared 100.0 km2 but the polygon has" in text
    assert "no feature with id = 'c2'" in text
    assert "unknown quantity 'rain'" in text
    assert "no file matches" in text


def test_tn_parts_exceeding_the_total_is_a_user_error(tmp_path):
    src = [
        dict(
            kind="enterprise",
            id="e",
            node="n1",
            flow_m3d=10.0,
            concentrations={"tn": 5.0, "nh3n": 9.0},
        )
    ]
    p = write_model(tmp_path, start=START, end=END, sources=src)
    with pytest.raises(UserError, match="sources 'e' concentrations: nh3n exceed tn"):
        prepare_forcing(load_config(p))
