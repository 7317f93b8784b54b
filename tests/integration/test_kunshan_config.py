"""The shipped Kunshan model: it validates, it is the real plain network by size, every
real-world number carries its provenance, the network is hydraulically consistent, and a few
simulated days of hydrodynamics stay stable and plausible."""

from __future__ import annotations

import itertools
import json
import math
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from twin.config import load_config
from twin.hydro.compile import solver_from_config
from twin.network.topology import compile_network

REPO = Path(__file__).resolve().parents[2]
SCENARIO = REPO / "scenarios" / "baseline.toml"
GEOJSON = REPO / "configs" / "kunshan" / "catchments.geojson"
KUNSHAN_AREA_KM2 = 930.0
LAKES = ("DSH", "YCH", "CH")  # Dianshan, Yangcheng, Cheng


@pytest.fixture(scope="module")
def cfg():
    return load_config(SCENARIO)


@pytest.fixture(scope="module")
def net(cfg):
    return compile_network(cfg)


def polygon_area_km2(rings: list) -> float:
    """Area of a GeoJSON polygon on the authalic sphere (R = 6371007.2 m), by the
    equal-area line integral A = R^2/2 |sum (lon2 - lon1)(sin lat1 + sin lat2)| over each
    ring (Chamberlain and Duquette 2007, 'Some algorithms for polygons on a sphere', JPL);
    holes are subtracted."""
    r = 6_371_007.2
    total = 0.0
    for k, ring in enumerate(rings):
        s = 0.0
        for (x1, y1), (x2, y2) in itertools.pairwise(ring):
            s += math.radians(x2 - x1) * (math.sin(math.radians(y1)) + math.sin(math.radians(y2)))
        a = abs(s) * r * r / 2.0 / 1e6
        total += a if k == 0 else -a
    return total


def test_baseline_scenario_validates_and_runs_2024(cfg):
    assert cfg.name == "baseline"
    assert cfg.model.model.coordinates == "lonlat"
    assert cfg.run.dt_s == 600.0
    assert cfg.run.output_interval_s == 3600.0
    assert (cfg.run.start.year, cfg.run.start.month, cfg.run.start.day) == (2024, 1, 1)
    assert (cfg.run.end.year, cfg.run.end.month, cfg.run.end.day) == (2025, 1, 1)
    assert cfg.model.forcing.files[0].name == "kunshan_2024.nc"


def test_size_is_the_real_plain_network(cfg, net):
    m = cfg.model
    assert len(m.reaches) >= 40
    assert all(200.0 <= r.dx_m <= 500.0 for r in m.reaches)
    assert net.n_points >= 2000, "a few thousand computational points"
    storage = {n.id for n in m.nodes if n.kind == "storage"}
    assert set(LAKES) <= storage
    gates_and_pumps = [s for s in m.structures if s.kind in ("sluice", "pump")]
    assert len(gates_and_pumps) >= 10
    assert len(m.sections) >= 10
    assert len(m.sources) >= 15
    assert len(m.catchments) >= 20


def test_required_rivers_lakes_and_border_sections_are_present(cfg):
    names = " ".join(r.name for r in cfg.model.reaches)
    for river in ("吴淞江", "苏州河", "娄江", "浏河", "急水港", "大朱厍", "千灯浦", "拦路港",
                  "泖河", "青阳港", "夏驾浦", "杨林塘", "七浦塘", "盐铁塘", "张家港河"):  # fmt: skip
        assert river in names, river
    sections = {s.name for s in cfg.model.sections}
    for border in ("吴淞江石浦大桥", "千灯浦千灯浦桥", "急水港周庄大桥", "大小朱厍港珠砂港大桥",
                   "盐铁塘新星镇桥", "浏河太和大桥"):  # fmt: skip
        assert border in sections
    lake_sections = [s for s in cfg.model.sections if s.kind == "lake"]
    assert any(s.node == "DSH" for s in lake_sections)
    assert all(s.node in LAKES for s in lake_sections)
    kinds = {b.node: b.kind for b in cfg.model.boundaries}
    assert kinds["B_TAIHU"] == "level"
    assert kinds["B_HUANGPU"] == "tide"
    assert kinds["B_YZ_LIUHE"] == "tide"
    assert kinds["B_MAOKOU"] == "tide"
    # The Liuhe reaches the Yangtze through its sluice, not an open reach.
    liuhe = next(s for s in cfg.model.structures if s.id == "liuhe_sluice")
    assert (liuhe.from_node, liuhe.to_node) == ("LH_INNER", "B_YZ_LIUHE")


def test_catchments_cover_kunshan_with_an_equal_area_sum(cfg):
    features = json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]
    by_id = {f["properties"]["id"]: f for f in features}
    total = 0.0
    for c in cfg.model.catchments:
        geom = by_id[c.id]["geometry"]
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        area = sum(polygon_area_km2(p) for p in polys)
        # The declared area matches the polygon to 0.5 % (it was computed by another method).
        assert area == pytest.approx(c.area_km2, rel=5e-3), c.id
        total += area
        assert set(c.land_use) == {"paddy", "dry_land", "built_up", "water"}
    assert total == pytest.approx(KUNSHAN_AREA_KM2, rel=0.05)
    population = sum(c.population for c in cfg.model.catchments)
    assert population == pytest.approx(2_092_496, rel=0.01)  # 7th census, 2020


def test_every_real_world_item_has_provenance(cfg):
    m = cfg.model
    items = [
        *m.reaches,
        *m.structures,
        *m.sources,
        *m.sections,
        *m.catchments,
        *m.cross_sections,
        *m.boundaries,
        *m.timeseries,
        *[n for n in m.nodes if n.kind == "storage"],
    ]
    missing = [getattr(x, "id", None) or x.node for x in items if not (x.source and x.confidence)]
    assert missing == []
    approximate = [x for x in items if x.confidence in ("estimated", "assumed")]
    assert all(x.note for x in approximate), "approximate values explain themselves"


def test_sources_use_the_named_presets_and_phosphorus_tags(cfg):
    presets = {"gb18918_1a", "gb18918_1b", "db32_1072_taihu", "suzhou_special"}
    plants = [s for s in cfg.model.sources if s.kind == "wwtp"]
    assert {p.effluent for p in plants} <= presets
    names = " ".join(p.name for p in plants)
    assert "千灯火炬" in names and "开发区工业" in names
    p_enterprises = [s for s in cfg.model.sources if s.kind == "enterprise"]
    assert len(p_enterprises) >= 5
    for e in p_enterprises:
        assert "phosphorus" in e.tags
        assert e.concentrations["po4p"] + e.concentrations["op"] > 0


def test_network_is_hydraulically_consistent(cfg, net):
    m = cfg.model
    links = defaultdict(int)
    for r in m.reaches:
        links[r.from_node] += 1
        links[r.to_node] += 1
    for s in m.structures:
        links[s.from_node] += 1
        links[s.to_node] += 1
    boundary = {b.node for b in m.boundaries}
    for n in m.nodes:
        if n.kind == "junction" and n.id not in boundary:
            assert links[n.id] >= 2, f"{n.id} is a dead end"
        assert links[n.id] >= 1, f"{n.id} is isolated"
    # Beds below the lowest normal water level (about 2.6 m), so no reach runs dry.
    assert np.all(net.arrays.pt_bed < 2.5)
    for n in m.nodes:
        if n.kind == "storage":
            lv = n.storage.level_m
            assert lv[0] < 2.5 < lv[-1]


def test_a_few_days_of_hydrodynamics_are_stable_and_plausible(cfg, net):
    """Three simulated days from the cold start (runoff and sources not yet wired in).

    Tolerances: interior levels stay within 2-4 m (all reaches except the tidal Suzhou Creek
    and 泖河 and the forebays of the three Yangtze sluices, which are drawn down when the gates
    drain on the ebb); every level stays within 0.5-4.5 m; the Wusong at Kunshan carries a
    mean eastward flow of 5-60 m3/s (published mean about 19 m3/s).
    """
    s = solver_from_config(cfg, net)
    a = net.arrays
    r = net.reach_index("wusong_07")
    mid = a.reach_pt[r] + (a.reach_pt[r + 1] - a.reach_pt[r]) // 2
    tidal = {
        net.reach_index(x)
        for x in ("wusong_12", "wusong_13", "maohe", "liuhe_03", "yanglin_03", "qipu_03")
    }
    interior = np.concatenate(
        [
            np.arange(a.reach_pt[k], a.reach_pt[k + 1])
            for k in range(net.n_reaches)
            if k not in tidal
        ]
    )
    flows = []
    for step in range(3 * 144):
        status, _ = s.advance(600.0)
        assert status == 0, s.describe_failure(status)
        z = s.state.z_pt
        assert np.all(np.isfinite(z)) and np.all(np.isfinite(s.state.q_pt))
        assert z[interior].min() > 2.0 and z[interior].max() < 4.0
        assert z.min() > 0.5 and z.max() < 4.5
        if step >= 144:
            flows.append(s.state.q_pt[mid])
    assert 5.0 < float(np.mean(flows)) < 60.0
