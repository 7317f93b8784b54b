"""Write the Kunshan model config (TOML, GeoJSON, README tables) from the data modules.

Run from the repository root:

    python -m configs.kunshan.tools.build

Every number in the written files comes from ``data_network``, ``data_boundaries`` and
``data_sources`` (with its source and confidence) or is derived here by a stated method:
reach lengths are measured along the polylines (haversine) and, where a published total
length exists for the river, scaled to it; sources and sections are placed on their reach by
projecting their position onto the reach polyline; catchments are cells of the Kunshan outline
cut by a regular grid, with areas from an equal-area projection.
"""

from __future__ import annotations

import itertools
import json
import math
from datetime import datetime
from pathlib import Path

import numpy as np
import tomli_w

from . import data_boundaries as bd
from . import data_network as nd
from . import data_sources as sd
from . import geo

HERE = Path(__file__).resolve().parent
OUT = HERE.parent
REPO = OUT.parent.parent

TIDE_SPEEDS_DEG_PER_H = {
    "M2": 28.9841042, "S2": 30.0, "K1": 15.0410686, "O1": 13.9430356, "M4": 57.9682084,
    "SA": 0.0410686,
}  # fmt: skip
TIDE_REFERENCE = datetime(2000, 1, 1)


def clean(d: dict) -> dict:
    """Drop None values (TOML has no null) and empty notes."""
    return {k: v for k, v in d.items() if v is not None and v != ""}


def r3(x: float) -> float:
    return float(round(x, 3))


# ------------------------------------------------------------------------- network
def node_xy() -> dict[str, tuple[float, float]]:
    xy = {k: (v[1], v[2]) for k, v in nd.JUNCTIONS.items()}
    xy.update({k: (v[1], v[2]) for k, v in nd.BOUNDARY_NODES.items()})
    xy.update({k: (v["lon"], v["lat"]) for k, v in nd.STORAGE.items()})
    return xy


# Water surface of junctions (m2). At a gate the node stands for the gate's forebay and the
# adjacent channel (about 600 m of a 50 m wide river); elsewhere for the confluence itself.
# Besides being physical, this storage keeps the linearised gate laws (whose conductance is
# very large at small head differences) from oscillating in the node iteration.
GATE_NODE_AREA_M2 = 30_000.0
JUNCTION_AREA_M2 = 3_000.0


def build_nodes() -> list[dict]:
    nodes = []
    gate_nodes = {s[k] for s in nd.STRUCTURES for k in ("from_node", "to_node")}
    for nid, (name, lon, lat, z0) in nd.JUNCTIONS.items():
        area = GATE_NODE_AREA_M2 if nid in gate_nodes else JUNCTION_AREA_M2
        nodes.append(
            clean(
                dict(
                    id=nid, name=name, x=lon, y=lat, kind="junction", initial_level_m=z0,
                    surface_area_m2=area, source=nd.SRC_MAP, confidence="estimated",
                    note="Initial level estimated from the normal levels of the area "
                    "(2.8-3.1 m); it only sets the start of the spin-up. Surface area "
                    + (
                        "of the gate forebay and adjacent channel (about 600 m x 50 m), "
                        "estimated."
                        if nid in gate_nodes
                        else "of the confluence, estimated."
                    ),
                )
            )
        )  # fmt: skip
    for nid, (name, lon, lat, bed) in nd.BOUNDARY_NODES.items():
        nodes.append(
            dict(
                id=nid, name=name, x=lon, y=lat, kind="junction", bed_level_m=bed,
                source=nd.SRC_MAP, confidence="estimated",
                note="Boundary node; bed level estimated (only used by pumps drawing from it).",
            )
        )  # fmt: skip
    for nid, st in nd.STORAGE.items():
        nodes.append(
            clean(
                dict(
                    id=nid, name=st["name"], x=st["lon"], y=st["lat"], kind="storage",
                    storage=dict(
                        level_m=st["level_m"], area_m2=[a * 1e6 for a in st["area_km2"]],
                        water_body="lake" if st.get("lake", True) else "polder",
                    ),
                    initial_level_m=st["initial"], bed_level_m=st["bed"],
                    source=st["source"], confidence=st["confidence"], note=st["note"],
                )
            )
        )  # fmt: skip
    return nodes


def reach_geometry(r: dict, xy) -> list[tuple[float, float]]:
    return [xy[r["a"]], *r["via"], xy[r["b"]]]


def measured_length(r: dict, xy) -> float:
    pts = reach_geometry(r, xy)
    if r["lake_first"]:
        pts = pts[1:]
    if r["lake_last"]:
        pts = pts[:-1]
    return geo.polyline_length_m(pts)


def build_reaches() -> tuple[list[dict], dict[str, dict]]:
    xy = node_xy()
    group_sum: dict[str, float] = {}
    for r in nd.R:
        if r["group"]:
            group_sum[r["group"]] = group_sum.get(r["group"], 0.0) + measured_length(r, xy)
    out, info = [], {}
    for r in nd.R:
        meas = measured_length(r, xy)
        if r["group"]:
            total, src = nd.PUBLISHED_LENGTHS_M[r["group"]]
            scale = total / group_sum[r["group"]]
            length = meas * scale
            how = (
                f"length: measured along the estimated course ({meas / 1000:.2f} km) and scaled "
                f"by {scale:.3f} so that the river's reaches add up to its published length "
                f"({total / 1000:.2f} km)"
            )
            length_src = src
        else:
            scale = 1.0
            length = meas
            how = (
                "length: measured along the estimated course (no published length at hand; "
                "real channels meander, so it is likely 5-20 % short)"
            )
            length_src = None
        xs = nd.SECTIONS[r["xs"]]
        srcs = [s for s in (r["src"], length_src, nd.SRC_MAP) if s]
        note = "; ".join(
            s
            for s in (
                r["note"],
                how,
                f"section {r['xs']} ({xs[4]}); bed levels {r['bed'][0]} to {r['bed'][1]} m "
                "estimated (Zhenjiang Wusong datum)",
                "geometry starts or ends at the lake node; the in-lake segment is not counted"
                if (r["lake_first"] or r["lake_last"])
                else "",
            )
            if s
        )
        length = round(length, -1)
        entry = dict(
            id=r["id"], name=r["name"], from_node=r["a"], to_node=r["b"], length_m=length,
            dx_m=float(r["dx"]), bed_level_from_m=r["bed"][0], bed_level_to_m=r["bed"][1],
            sections=[dict(chainage_m=0.0, section=r["xs"])],
            geometry=[list(p) for p in reach_geometry(r, xy)],
            source="; ".join(srcs), confidence=r["conf"], note=note,
        )  # fmt: skip
        out.append(entry)
        info[r["id"]] = dict(entry=entry, scale=scale, raw=r)
    return out, info


def build_sections() -> list[dict]:
    out = []
    for sid, (bw, ss, n, src, conf, note) in nd.SECTIONS.items():
        out.append(
            dict(
                id=sid, shape="trapezoidal", bottom_width_m=bw, side_slope=ss, height_m=8.0,
                manning_n=n, source=src + "; Manning n " + nd.N_ASSUMED, confidence=conf,
                note=note,
            )
        )  # fmt: skip
    return out


def locate(info: dict, reach_id: str, lon: float, lat: float) -> tuple[float, float]:
    """(chainage m, distance m) of a point projected onto a reach, chainage in model length."""
    e = info[reach_id]
    pts = [tuple(p) for p in e["entry"]["geometry"]]
    r = e["raw"]
    along, dist = geo.project_onto_polyline(pts, (lon, lat))
    if r["lake_first"]:
        along -= geo.distance_m(pts[0], pts[1])
    ch = min(max(along * e["scale"], 0.0), e["entry"]["length_m"])
    return round(ch, 0), dist


def nearest_reach(info: dict, lon: float, lat: float, exclude=()) -> tuple[str, float]:
    best = (None, math.inf)
    for rid, e in info.items():
        if rid in exclude:
            continue
        _, d = geo.project_onto_polyline([tuple(p) for p in e["entry"]["geometry"]], (lon, lat))
        if d < best[1]:
            best = (rid, d)
    return best


# ---------------------------------------------------------------------- boundaries
def month_series(values: list[float], offset: float = 0.0) -> tuple[list, list]:
    """Mid-month samples from Dec 2023 to Jan 2025 (covers the 2024 run)."""
    times, vals = [], []
    for k in range(14):
        year, month = (2023, 12) if k == 0 else ((2024, k) if k <= 12 else (2025, 1))
        times.append(datetime(year, month, 15))
        vals.append(round(values[(month - 1) % 12] + offset, 3))
    return times, vals


def tide_constituents(spec: dict) -> list[dict]:
    """Constituents scaled so that the mean range over 2024 equals spec['mean_range_m']."""
    t_h = (
        np.arange(0, 366 * 24 * 6) / 6.0
        + (datetime(2024, 1, 1) - TIDE_REFERENCE).total_seconds() / 3600.0
    )
    z = np.zeros_like(t_h)
    for name, ratio in bd.TIDE_RATIOS.items():
        w = math.radians(TIDE_SPEEDS_DEG_PER_H[name])
        z += ratio * np.cos(w * t_h - math.radians(bd.TIDE_PHASES_DEG[name]))
    hi = (z[1:-1] > z[:-2]) & (z[1:-1] >= z[2:])
    lo = (z[1:-1] < z[:-2]) & (z[1:-1] <= z[2:])
    unit_range = z[1:-1][hi].mean() - z[1:-1][lo].mean()
    k = spec["mean_range_m"] / unit_range
    cons = [
        dict(name=name, amplitude_m=r3(k * ratio), phase_deg=bd.TIDE_PHASES_DEG[name] % 360.0)
        for name, ratio in bd.TIDE_RATIOS.items()
    ]
    # Annual cycle peaking on spec['seasonal_peak_day'] of 2024.
    peak = datetime(2024, 1, 1).timestamp() + (spec["seasonal_peak_day"] - 1) * 86400.0
    hours = (peak - TIDE_REFERENCE.timestamp()) / 3600.0
    cons.append(
        dict(
            name="SA",
            amplitude_m=spec["seasonal_amplitude_m"],
            phase_deg=round((TIDE_SPEEDS_DEG_PER_H["SA"] * hours) % 360.0, 2),
        )
    )
    return cons


def build_boundaries() -> tuple[list[dict], list[dict]]:
    series, bounds = [], []
    for nid, spec in bd.LEVELS.items():
        t, v = month_series(bd.TAIHU_MONTHLY_M, spec["offset_m"])
        series.append(
            dict(
                id=spec["series"], units="m", times=t, values=v, interpolation="linear",
                source=spec["source"], confidence=spec["confidence"],
                note="Monthly climatology repeated for Dec 2023 - Jan 2025; replace with the "
                "observed daily series when available.",
            )
        )  # fmt: skip
        bounds.append(
            dict(
                node=nid, kind="level", level_m=spec["series"],
                concentrations=spec["concentrations"],
                source=spec["source"] + "; concentrations " + spec["conc_note"],
                confidence=spec["confidence"], note=spec["note"],
            )
        )  # fmt: skip
    for nid, spec in bd.TIDES.items():
        bounds.append(
            dict(
                node=nid, kind="tide", mean_level_m=r3(spec["mean_level_m"]),
                constituents=tide_constituents(spec),
                reference_time=TIDE_REFERENCE.isoformat(),
                concentrations=spec["concentrations"],
                source=spec["source"] + "; concentrations " + spec["conc_note"],
                confidence=spec["confidence"],
                note=spec["note"] + f" Semidiurnal/diurnal amplitudes scaled to a mean range of "
                f"{spec['mean_range_m']} m over 2024 (ratios S2/M2 0.4, K1/M2 0.25, O1/M2 0.16, "
                "M4/M2 0.12 and all phases assumed).",
            )
        )  # fmt: skip
    t, v = month_series(bd.QIPU_INTAKE_MONTHLY)
    series.append(
        dict(
            id="qipu_intake_fraction", units="1", times=t, values=v, interpolation="previous",
            source="assumed: dry-season operation of the 七浦塘 intake pumps",
            confidence="assumed", note="Running fraction of the pumps (0-1), held per month.",
        )
    )  # fmt: skip
    return bounds, series


# ----------------------------------------------------------------------- sources
def build_sources(info) -> list[dict]:
    out = []
    for pid, name, lon, lat, rid, cap, ratio, preset, town, src, conf, note in sd.WWTPS:
        ch, _ = locate(info, rid, lon, lat)
        source = src if src != "assumed" else sd.SRC_WWTP_GENERIC
        out.append(
            clean(
                dict(
                    kind="wwtp", id=pid, name=name, reach=rid, chainage_m=ch,
                    capacity_m3d=float(cap), inflow_m3d=float(round(cap * ratio, -2)),
                    effluent=preset, raw_sewage=sd.RAW_SEWAGE, tags=["municipal", town],
                    source=source + "; raw sewage " + sd.SRC_RAW, confidence=conf,
                    note=(note + " " if note else "")
                    + f"Inflow = {ratio:.2f} x capacity (assumed). Outfall placed on the "
                    "nearest main river (estimated).",
                )
            )
        )  # fmt: skip
    for i, (eid, sector, town, lon, lat, rid, plant, q, tp) in enumerate(sd.ENTERPRISES, 1):
        conc = {"on": 2.0, "nh3n": 5.0, "no3n": 6.0, "op": round(0.25 * tp, 3),
                "po4p": round(0.75 * tp, 3)}  # fmt: skip
        if sector == "food_processing":
            conc["on"] = 4.0  # more organic N in food-processing effluent (assumed)
        entry = dict(
            kind="enterprise", id=eid,
            name=f"P-enterprise {i} ({sector.replace('_', ' ')}, {town})",
            flow_m3d=q, concentrations=conc,
            tags=["phosphorus", sector, sd.SECTOR_CN[sector], town],
            source=sd.SRC_ENTERPRISE, confidence="assumed",
            note=f"Flow {q:.0f} m3/d and TP {tp} mg/L (75 % as PO4-P) assumed. "
            + (
                f"Connected to {plant}; its flow is part of that plant's inflow."
                if plant
                else "Direct discharge to the river (position estimated)."
            ),
        )  # fmt: skip
        if plant:
            entry["connected_to"] = plant
            # A connected enterprise still needs a location (its own site) for the schema.
            rid2, _ = nearest_reach(info, lon, lat)
            entry["reach"] = rid2
            entry["chainage_m"] = locate(info, rid2, lon, lat)[0]
        else:
            entry["reach"] = rid
            entry["chainage_m"] = locate(info, rid, lon, lat)[0]
        out.append(entry)
    return out


def build_assessment(info) -> list[dict]:
    out = []
    for sid, name, kind, lon, lat, rid, target, src, conf, note in sd.SECTIONS:
        ch, _ = locate(info, rid, lon, lat)
        out.append(
            dict(
                id=sid, name=name, kind=kind, reach=rid, chainage_m=ch, target_class=target,
                official=False, lon=lon, lat=lat, source=src, confidence=conf, note=note,
            )
        )  # fmt: skip
    for sid, name, lon, lat, node, target in sd.LAKE_SECTIONS:
        out.append(
            dict(
                id=sid, name=name, kind="lake", node=node, target_class=target, official=False,
                lon=lon, lat=lat, source=nd.SRC_LAKES_WIKI + "; position " + nd.SRC_MAP,
                confidence="estimated", note=sd.LAKE_SECTION_NOTE,
            )
        )  # fmt: skip
    return out


# --------------------------------------------------------------------- catchments
KUNSHAN_OUTLINE = [
    (121.00, 31.543), (121.06, 31.52), (121.09, 31.47), (121.08, 31.42), (121.12, 31.36),
    (121.151, 31.32), (121.14, 31.27), (121.10, 31.24), (121.07, 31.19), (121.04, 31.15),
    (120.98, 31.13), (120.93, 31.12), (120.90, 31.109), (120.85, 31.11), (120.806, 31.13),
    (120.81, 31.19), (120.84, 31.24), (120.87, 31.29), (120.86, 31.33), (120.85, 31.39),
    (120.82, 31.43), (120.84, 31.48), (120.90, 31.50), (120.95, 31.53),
]  # fmt: skip
KUNSHAN_AREA_KM2 = 931.0
SRC_AREA = (
    "Kunshan's area about 931 km2 (Suzhou statistics 932 km2; older sources 927 and 921.3 km2); "
    "extreme coordinates 120°48'21\"-121°09'04\" E, 31°06'34\"-31°32'36\" N and 33 km x 48 km "
    "span (published, zwbk2009.com 昆山市)"
)
LAT_BANDS = [31.09, 31.17, 31.23, 31.29, 31.335, 31.38, 31.43, 31.48, 31.56]
LON_CUTS = [120.79, 120.86, 120.92, 120.98, 121.04, 121.10, 121.17]
MIN_CELL_KM2 = 14.0
LAKES_FOR_LANDUSE = {  # (centre, semi-axis east-west m, north-south m): ellipses of the areas
    "DSH": ((120.965, 31.125), 5500.0, 3600.0),
    "YCH": ((120.800, 31.420), 6000.0, 6300.0),
    "CH": ((120.835, 31.205), 4000.0, 3600.0),
}
BASE_WATER = 0.16  # share of rivers, ponds and small lakes outside the three big lakes


def kunshan_outline() -> list[tuple[float, float]]:
    ring = list(KUNSHAN_OUTLINE)
    a = geo.ring_area_m2(ring) / 1e6
    return geo.scale_ring(ring, math.sqrt(KUNSHAN_AREA_KM2 / a))


def cut_cells(outline):
    cells = []
    for y0, y1 in itertools.pairwise(LAT_BANDS):
        i = 0
        pieces = []
        while i < len(LON_CUTS) - 1:
            j = i + 1
            ring = geo.clip_to_box(outline, LON_CUTS[i], LON_CUTS[j], y0, y1)
            while j < len(LON_CUTS) - 1 and (
                not ring or geo.ring_area_m2(ring) / 1e6 < MIN_CELL_KM2
            ):
                j += 1
                ring = geo.clip_to_box(outline, LON_CUTS[i], LON_CUTS[j], y0, y1)
            if ring and geo.ring_area_m2(ring) / 1e6 > 1e-3:
                pieces.append([LON_CUTS[i], LON_CUTS[j], ring])
            i = j
        # A small last piece joins its western neighbour.
        if len(pieces) > 1 and geo.ring_area_m2(pieces[-1][2]) / 1e6 < MIN_CELL_KM2:
            x0 = pieces[-2][0]
            x1 = pieces[-1][1]
            pieces = [*pieces[:-2], [x0, x1, geo.clip_to_box(outline, x0, x1, y0, y1)]]
        cells.extend(p[2] for p in pieces)
    return cells


def build_catchments(info) -> tuple[list[dict], dict]:
    outline = kunshan_outline()
    cells = cut_cells(outline)
    lakes = {k: geo.ellipse(c, a, b) for k, (c, a, b) in LAKES_FOR_LANDUSE.items()}
    raw = []
    for ring in cells:
        area = geo.ring_area_m2(ring) / 1e6
        cx, cy = geo.ring_centroid(ring)
        town = min(
            sd.TOWNS,
            key=lambda t: geo.distance_m((cx, cy), (sd.TOWNS[t][0], sd.TOWNS[t][1])),
        )
        lake_share = {}
        for k, lr in lakes.items():
            inter = geo.clip_convex(ring, lr)
            if len(inter) >= 3:
                lake_share[k] = geo.ring_area_m2(inter) / 1e6 / area
        water = min(0.95, BASE_WATER + sum(lake_share.values()))
        built, paddy, dry = sd.PROFILES[sd.TOWNS[town][3]]
        land = 1.0 - water
        lu = {
            "paddy": round(paddy * land, 4),
            "dry_land": round(dry * land, 4),
            "built_up": round(built * land, 4),
        }
        lu["water"] = round(1.0 - sum(lu.values()), 4)
        raw.append(dict(ring=ring, area=area, town=town, lu=lu, lake_share=lake_share,
                        centre=(cx, cy)))  # fmt: skip
    # Population of each town spread over its cells in proportion to built-up area.
    built_by_town: dict[str, float] = {}
    for c in raw:
        built_by_town[c["town"]] = (
            built_by_town.get(c["town"], 0.0) + c["area"] * c["lu"]["built_up"]
        )
    missing = [t for t in sd.TOWNS if t not in built_by_town]
    if missing:
        raise SystemExit(f"towns without a catchment: {missing}; adjust the grid")
    features, catchments = [], []
    raw.sort(key=lambda c: (-round(c["centre"][1], 2), c["centre"][0]))
    counters: dict[str, int] = {}
    for c in raw:
        town = c["town"]
        counters[town] = counters.get(town, 0) + 1
        cid = f"ks_{len(catchments) + 1:02d}"
        name = f"{town} {counters[town]}"
        pop = sd.TOWNS[town][2] * c["area"] * c["lu"]["built_up"] / built_by_town[town]
        profile = sd.TOWNS[town][3]
        conn, leak = sd.SEWER[profile]
        big_lake = max(c["lake_share"].items(), key=lambda kv: kv[1], default=(None, 0.0))
        cx, cy = c["centre"]
        if big_lake[1] > 0.35:
            outlet = dict(outlet_node=big_lake[0])
        else:
            rid, _ = nearest_reach(info, cx, cy)
            outlet = dict(outlet_reach=rid)
        if town == "玉山":
            plant = "wwtp_gaoxin" if cx < 120.96 else "wwtp_beiqu"
        elif town == "开发区":
            plant = "wwtp_wusong"
        else:
            plant = next(p[0] for p in sd.WWTPS if p[8] == town)
        land_km2 = c["area"] * (1.0 - c["lu"]["water"])
        modulus = 1.0 if cy > 31.40 else (0.5 if cy > 31.25 else 0.0)
        ring = [[round(x, 5), round(y, 5)] for x, y in c["ring"]]
        ring.append(ring[0])
        features.append(
            dict(
                type="Feature",
                properties=dict(id=cid, name=name, town=town,
                                note="approximate partition, not an official boundary"),
                geometry=dict(type="Polygon", coordinates=[ring]),
            )
        )  # fmt: skip
        catchments.append(
            dict(
                id=cid, name=f"{name} (approximate)", geojson="catchments.geojson",
                **outlet, area_km2=round(c["area"], 3), land_use=c["lu"],
                population=float(round(pop, -1)), sewer_connection_fraction=conn,
                wwtp=plant, sewer_leak_fraction=leak,
                polder_pump_capacity_m3s=round(modulus * land_km2 * 0.5, 2),
                source=SRC_AREA + "; " + sd.SRC_POP + "; " + sd.SRC_SEWER + "; " + sd.SRC_TERRAIN,
                confidence="estimated",
                note="Approximation: a cell of the approximate Kunshan outline (scaled to "
                f"{KUNSHAN_AREA_KM2:.0f} km2) cut by a regular lon/lat grid, labelled by the "
                f"nearest town centre ({town}); land-use shares assumed from the town's "
                f"character ({profile}) with water = {BASE_WATER:.2f} + the share covered by "
                "Dianshan, Yangcheng or Cheng Lake; population = the town's estimated share of "
                "the census total, spread by built-up area; polder pumping 0.5 m3/s per km2 "
                "of land in the north (>31.40 N), 0.25 in the middle, none in the southern "
                "high lake land (assumed modulus).",
            )
        )  # fmt: skip
    geojson = dict(
        type="FeatureCollection",
        name="kunshan_catchments",
        crs=dict(type="name", properties=dict(name="urn:ogc:def:crs:OGC:1.3:CRS84")),
        features=features,
    )
    return catchments, geojson


# ------------------------------------------------------------------------- writing
MODEL_DESCRIPTION = (
    "Kunshan (昆山) plain river network in the Taihu basin: Wusong River from 瓜泾口 to the "
    "Huangpu, Lou River and Liuhe to the Yangtze, Dianshan, Yangcheng and Cheng lakes, the "
    "north-south connecting rivers, tidal sluices, pumps and polders. Levels in the Zhenjiang "
    "Wusong datum. Built by configs/kunshan/tools/build.py; see README.md for provenance."
)


def write_toml(path: Path, data: dict, header: str) -> None:
    text = tomli_w.dumps(data)
    path.write_text(header + "\n" + text, encoding="utf-8")


def main() -> None:
    header = (
        "# Generated by configs/kunshan/tools/build.py from its data modules; edit those and "
        "rerun.\n# Levels in m, Zhenjiang Wusong datum; coordinates lon/lat (WGS84)."
    )
    reaches, info = build_reaches()
    bounds, series = build_boundaries()
    sources = build_sources(info)
    assessment = build_assessment(info)
    catchments, geojson = build_catchments(info)
    nodes = build_nodes()
    lakes = [n for n in nodes if n["kind"] == "storage"]
    others = [n for n in nodes if n["kind"] != "storage"]
    write_toml(OUT / "nodes.toml", {"nodes": others}, header)
    write_toml(OUT / "lakes.toml", {"nodes": lakes}, header)
    write_toml(OUT / "sections.toml", {"cross_sections": build_sections()}, header)
    write_toml(OUT / "reaches.toml", {"reaches": reaches}, header)
    write_toml(OUT / "structures.toml", {"structures": [clean(s) for s in nd.STRUCTURES]}, header)
    write_toml(OUT / "boundaries.toml", {"timeseries": series, "boundaries": bounds}, header)
    write_toml(OUT / "sources.toml", {"sources": sources}, header)
    write_toml(OUT / "catchments.toml", {"catchments": catchments}, header)
    write_toml(OUT / "assessment.toml", {"sections": assessment}, header)
    (OUT / "catchments.geojson").write_text(
        json.dumps(geojson, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    model = {
        "include": [
            "nodes.toml", "lakes.toml", "sections.toml", "reaches.toml", "structures.toml",
            "boundaries.toml", "sources.toml", "catchments.toml", "assessment.toml",
        ],
        "model": {
            "name": "kunshan",
            "description": MODEL_DESCRIPTION,
            "coordinates": "lonlat",
            "language": "zh",
            "vertical_datum": "Zhenjiang Wusong datum (镇江吴淞基面); "
            "1985 National Height Datum = this - about 1.95 m (1.83-1.95 m in the sources)",
        },
        "quality": {
            "enabled": True,
            "initial_mg_l": {"on": 0.6, "nh3n": 0.5, "no3n": 1.2, "op": 0.05, "po4p": 0.08,
                             "tracer": 0.0},
            "dispersion": {"method": "fischer", "min_m2_s": 2.0, "max_m2_s": 200.0},
            "apportionment": False,
        },
        "forcing": {"files": ["../../forcing_data/kunshan_2024.nc"]},
    }  # fmt: skip
    model_header = (
        "# Kunshan river-network model. The network is split over the included files;\n"
        "# a scenario (scenarios/baseline.toml) gives the run period.\n"
        "# Initial concentrations: assumed round values between the boundary waters (mg/L).\n"
        "# Dispersion: Fischer (1979) estimate bounded to 2-200 m2/s (bounds assumed)."
    )
    write_toml(OUT / "model.toml", model, model_header)
    from .readme import write_readme

    write_readme(OUT, nodes, reaches, sources, assessment, catchments, bounds)


if __name__ == "__main__":
    main()
