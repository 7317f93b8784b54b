"""Write configs/kunshan/README.md: what the model holds and where every number comes from."""

from __future__ import annotations

from pathlib import Path

from . import data_network as nd

INTRO = """# Kunshan river-network model (`configs/kunshan/`)

The Kunshan (昆山) part of the Taihu plain as a `twin` model: the Wusong River (吴淞江 /
苏州河) from 瓜泾口 at Taihu to the Huangpu, the Lou River (娄江) and Liuhe (浏河) to the
Yangtze, Dianshan Lake (淀山湖) with its inflows (急水港, 大朱厍港, 千灯浦) and its outflow
拦路港 -> 泖河, Cheng Lake (澄湖) and Yangcheng Lake (阳澄湖) as storage, the north-south rivers
that loop the network (界浦港, 清秋浦, 西尤泾, 东尤泾, 青阳港, 夏驾浦, 张家港河, 盐铁塘) and the
Yangtze outlets 杨林塘 and 七浦塘, with tidal sluices, pumps and lumped city polders.

Run it through the baseline scenario: `twin validate scenarios/baseline.toml`, `twin run`.

## Files

| file | holds |
|---|---|
| `model.toml` | `[model]` (lon/lat coordinates, datum), `[quality]` defaults, `[forcing]`, `include` |
| `nodes.toml` | junctions and boundary nodes |
| `lakes.toml` | storage nodes: the three lakes and three lumped polders (level-area tables) |
| `sections.toml` | cross-section classes (trapezoids) with Manning n |
| `reaches.toml` | reaches with length, bed levels, spacing `dx_m`, polyline geometry |
| `structures.toml` | sluices, pumps and flap gates |
| `boundaries.toml` | level and tide boundaries and the `[[timeseries]]` they use |
| `sources.toml` | sewage plants and phosphorus-emitting enterprises |
| `catchments.toml`, `catchments.geojson` | catchments (approximate partition) with land use, population, sewers |
| `assessment.toml` | assessment sections (river and lake) |
| `tools/` | `build.py` and the data modules that every number above comes from |

The TOML and GeoJSON files are written by `python -m configs.kunshan.tools.build` (run from
the repository root) from the tables in `tools/data_network.py`, `tools/data_boundaries.py`
and `tools/data_sources.py`. Edit those tables, not the generated files, and rerun.

## Map

![Kunshan network coloured by the 2024 baseline's mean TP](map_baseline_tp.png)

The network as `twin` draws it: reaches coloured by the class of their mean TP in the
baseline year (GB 3838-2002 river limits), lakes by the lake limits, assessment sections as
triangles. The image is `results/baseline/plots/map_tp.png` written by `twin run` (copied
here; section and lake names appear as ids where the machine has no CJK font). How the
baseline compares with what is published for the area: `PLAUSIBILITY.md`.

## Confidence

Every reach, cross-section, node, structure, boundary, series, source, catchment and
section carries `source`, `confidence` and, where approximate, a `note`:
`published` (from a paper, report or official page about this object), `estimated` (derived
from published facts about the area, e.g. a course read off a map or a length scaled to a
published total), `assumed` (a typical value chosen with the reason given).

## Datum

All levels are in the **Zhenjiang Wusong datum** (镇江吴淞基面), the datum in which Taihu,
Kunshan and Jiangsu water levels and bed levels are published (Taihu about 3.0-3.3 m, Kunshan
normal levels 2.8-3.1 m, ground 2.8-6 m). The 1985 National Height Datum is about 1.95 m lower
(sources give 1.83-1.95 m for the Taihu plain). Shanghai values (Shanghai Wusong datum,
about 1.72 m above 1985) were raised by 0.24 m. The model's `vertical_datum` field says so.

## How the geometry was made

- Node positions and river courses were read off general maps of the area (about +-1 km).
- Reach lengths are measured along those courses; where a river's total length is published
  (Wusong Jiangsu section 56.03 km, Suzhou Creek 53.1 km, Lou River 53.13 km, 七浦塘
  43.89 km) the river's reaches are scaled to add up to it.
- Cross-sections are trapezoids per river class, from published bottom and surface widths
  where available (Wusong Class III channel, Lou River, Suzhou Creek, 斜塘 by analogy).
- Bed levels are estimates consistent with the published bed of the Lou (-1 to 1.94 m) and
  the Class III navigation depth; no reach bed is above the lowest normal water level.
- Lakes: area at normal level and volume match the published values; the shape of each
  level-area curve below it is assumed.
- Catchments: an approximate Kunshan outline (from the published extreme coordinates and
  neighbours) scaled to 931 km2, cut by a regular grid into cells; each cell is labelled by
  the nearest town. This is an approximation, not the official drainage or administrative
  partition.

## Hydrodynamic check (hydrodynamics only)

A whole-year run of 2024 with `HydroSolver` (dt 600 s, boundaries and structures only: runoff,
sewage and the polders' inflows are not yet wired into the solver) was stable and took about
40 s on one core. Annual means: Wusong at Kunshan (wusong_07) 24 m3/s (published mean about
19 m3/s), Wusong at the border 8 m3/s, Suzhou Creek at its mouth 6 m3/s net with a tidal
exchange of about +-60-80 m3/s (published mean about 10 m3/s), Lou River in Kunshan 27 m3/s
(35 m3/s in July-August; the published 80 m3/s are two flood-season measurements), Liuhe to
the Yangtze 43 m3/s, 急水港 into Dianshan Lake 91 m3/s, 拦路港 out of it 103 m3/s; lake
levels 2.7-3.1 m, Kunshan river levels 2.7-3.05 m. Tidal range is damped from about 1.3 m in
downtown Suzhou Creek to about 0.5 m midway between 北新泾 and 黄渡 and 0.2-0.3 m in Kunshan
(10-day ranges at reach midpoints, spin-up included; published mean range
at 北新泾 0.72 m, so the model damps the tide somewhat too fast there). Nothing was tuned to
these numbers. The integration test repeats three days of this run.

## Weakest parts

- Sewage-plant capacities and loads (except the development-zone industrial plant), and the
  town split of the population: assumed or estimated, see notes.
- Enterprises: anonymised; flows and concentrations assumed by sector.
- Structure dimensions and operating rules (Liuhe, Yanglin, Qipu sluices and pumps, polders).
- Boundaries: the Taihu level is a monthly climatology, not the 2024 record; the Yangtze and
  upper-Huangpu tides are assumed from typical ranges; tidal phases are arbitrary.
- The courses of the representative links (澄湖 outlets, 锦溪-千灯) and the order of the
  青阳港 and 千灯浦 mouths on the Wusong.
- Assessment sections: real border sections, but position from the name and target class III
  assumed; no observed DO or COD_Mn values are given (none with a source at hand).
"""


def _row(*cells) -> str:
    return "| " + " | ".join(str(c).replace("|", "/").replace("\n", " ") for c in cells) + " |"


def _short(text: str, n: int = 160) -> str:
    text = text or ""
    return text if len(text) <= n else text[: n - 3] + "..."


def write_readme(out: Path, nodes, reaches, sources, sections, catchments, bounds) -> None:
    lines = [INTRO, "## Rivers (reaches)", ""]
    lines.append(_row("id", "name", "length m", "dx m", "section", "bed m", "confidence",
                      "source"))  # fmt: skip
    lines.append(_row(*["---"] * 8))
    for r in reaches:
        lines.append(
            _row(
                r["id"], r["name"], f"{r['length_m']:.0f}", f"{r['dx_m']:.0f}",
                r["sections"][0]["section"], f"{r['bed_level_from_m']} / {r['bed_level_to_m']}",
                r["confidence"], _short(r["source"]),
            )
        )  # fmt: skip
    lines += ["", "## Cross-sections", ""]
    lines.append(_row("id", "bottom m", "side slope", "n", "confidence", "source"))
    lines.append(_row(*["---"] * 6))
    for sid, (bw, ss, n, src, conf, _note) in nd.SECTIONS.items():
        lines.append(_row(sid, bw, ss, n, conf, _short(src)))
    lines += ["", "## Lakes and polders (storage nodes)", ""]
    lines.append(_row("id", "name", "area at normal level km2", "confidence", "source"))
    lines.append(_row(*["---"] * 5))
    for n in nodes:
        if n["kind"] == "storage":
            lv = n["storage"]["level_m"]
            ar = n["storage"]["area_m2"]
            i = min(range(len(lv)), key=lambda k: abs(lv[k] - 3.0))
            lines.append(
                _row(n["id"], n["name"], f"{ar[i] / 1e6:.1f} (at {lv[i]} m)", n["confidence"],
                     _short(n["source"]))
            )  # fmt: skip
    lines += ["", "## Structures", ""]
    lines.append(_row("id", "name", "kind", "between", "size", "confidence", "source"))
    lines.append(_row(*["---"] * 7))
    for s in nd.STRUCTURES:
        size = (
            f"{s['capacity_m3s']} m3/s" if s["kind"] == "pump" else f"{s.get('width_m', '')} m wide"
        )
        lines.append(
            _row(s["id"], s["name"], s["kind"], f"{s['from_node']} -> {s['to_node']}", size,
                 s["confidence"], _short(s["source"]))
        )  # fmt: skip
    lines += ["", "## Boundaries", ""]
    lines.append(_row("node", "kind", "confidence", "source"))
    lines.append(_row(*["---"] * 4))
    for b in bounds:
        lines.append(_row(b["node"], b["kind"], b["confidence"], _short(b["source"])))
    lines += ["", "## Sources", ""]
    lines.append(_row("id", "name", "kind", "capacity or flow m3/d", "where", "confidence",
                      "source"))  # fmt: skip
    lines.append(_row(*["---"] * 7))
    for s in sources:
        q = s.get("capacity_m3d", s.get("flow_m3d"))
        where = f"{s['reach']} @ {s['chainage_m']:.0f} m"
        if s.get("connected_to"):
            where += f" (to {s['connected_to']})"
        lines.append(
            _row(s["id"], s["name"], s["kind"], f"{q:.0f}", where, s["confidence"],
                 _short(s["source"]))
        )  # fmt: skip
    lines += ["", "## Assessment sections", ""]
    lines.append(_row("id", "name", "kind", "where", "target", "official", "confidence",
                      "source"))  # fmt: skip
    lines.append(_row(*["---"] * 8))
    for s in sections:
        where = s.get("node") or f"{s['reach']} @ {s['chainage_m']:.0f} m"
        lines.append(
            _row(s["id"], s["name"], s["kind"], where, s["target_class"], s["official"],
                 s["confidence"], _short(s["source"]))
        )  # fmt: skip
    lines += ["", "## Catchments", ""]
    lines.append(_row("id", "name", "area km2", "population", "outlet", "plant", "water share"))
    lines.append(_row(*["---"] * 7))
    for c in catchments:
        outlet = c.get("outlet_node") or c.get("outlet_reach")
        lines.append(
            _row(c["id"], c["name"], f"{c['area_km2']:.1f}", f"{c['population']:.0f}", outlet,
                 c["wwtp"], f"{c['land_use']['water']:.2f}")
        )  # fmt: skip
    total = sum(c["area_km2"] for c in catchments)
    pop = sum(c["population"] for c in catchments)
    lines += [
        "",
        f"Total: {len(catchments)} catchments, {total:.1f} km2, {pop:,.0f} residents.",
        "Catchment source (all): " + catchments[0]["source"],
        "",
    ]
    (out / "README.md").write_text("\n".join(lines), encoding="utf-8")
