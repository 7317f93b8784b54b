"""Cross-reference checks on a merged model: every id that is named exists, every part of the
network has a boundary, every time series covers the run. All problems are collected."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from ..errors import ConfigIssue, UserError
from ..vocab.landuse import LAND_USE_CLASSES, RUNOFF_PARAMETERS, parameter_range
from ..vocab.sources import EFFLUENT_PRESETS
from ..vocab.species import ALL_NAMES
from .base import SeriesOrValue
from .quality import WATER_TEMPERATURE_RANGE_C
from .timeseries import to_utc_naive

if TYPE_CHECKING:
    from .loaded import LoadedConfig

ID_TABLES = ("timeseries", "nodes", "cross_sections", "reaches", "laterals", "structures",
             "sources", "catchments", "sections")  # fmt: skip


class _Checker:
    def __init__(self, cfg: LoadedConfig):
        self.cfg = cfg
        self.m = cfg.model
        self.issues: list[ConfigIssue] = []
        # Ids of items that failed schema validation count as declared, so a broken item is
        # reported once, not again by every reference to it.
        self.ids = {
            t: {getattr(x, "id", None) for x in getattr(self.m, t)} | cfg.declared_ids.get(t, set())
            for t in ID_TABLES
        }
        self.reach_len = {r.id: r.length_m for r in self.m.reaches}
        self.series = {ts.id: ts for ts in self.m.timeseries}
        self.boundary_kind = {b.node: b.kind for b in self.m.boundaries}
        self.used_series: dict[str, tuple[str, int, str]] = {}
        self._geojson: dict = {}

    def add(self, table: str, index: int, fieldname: str, message: str, fix: str = "") -> None:
        if table in self.cfg.origins and index < len(self.cfg.origins[table]):
            f, prefix = self.cfg.origin(table, index)
        else:
            f, prefix = self.cfg.model_path, table
        where = f"{prefix}.{fieldname}" if fieldname else prefix
        self.issues.append(ConfigIssue(f, where, message, fix))

    def need(self, table, i, fieldname, value, kind, what=None):
        if value is not None and value not in self.ids[kind]:
            known = sorted(x for x in self.ids[kind] if x)
            hint = (
                f"known {kind}: {', '.join(known[:8])}{' ...' if len(known) > 8 else ''}"
                if known
                else f"declare it in [[{kind}]]"
            )
            self.add(table, i, fieldname, f"{what or kind[:-1]} '{value}' does not exist", hint)

    def value(self, table, i, fieldname, v: SeriesOrValue | None):
        if isinstance(v, str):
            if v not in self.series and v in self.ids["timeseries"]:
                return  # declared but malformed: already reported
            if v not in self.series:
                self.add(
                    table,
                    i,
                    fieldname,
                    f"time series '{v}' does not exist",
                    "declare it in [[timeseries]] or give a number",
                )
            else:
                self.used_series.setdefault(v, (table, i, fieldname))

    def concentrations(self, table, i, fieldname, conc: dict):
        for sp, v in conc.items():
            if sp not in ALL_NAMES:
                self.add(
                    table,
                    i,
                    f"{fieldname}.{sp}",
                    f"unknown species '{sp}'",
                    f"use one of {', '.join(ALL_NAMES)}",
                )
            elif isinstance(v, (int, float)) and v < 0:
                self.add(
                    table, i, f"{fieldname}.{sp}", "negative concentration", "use a value >= 0 mg/L"
                )
            elif isinstance(v, str) and v in self.series and min(self.series[v].values) < 0:
                self.add(
                    table,
                    i,
                    f"{fieldname}.{sp}",
                    f"time series '{v}' has negative concentrations "
                    f"(lowest {min(self.series[v].values)})",
                    "concentrations are >= 0 mg/L; correct the series",
                )
            self.value(table, i, f"{fieldname}.{sp}", v)

    def not_at_level_boundary(self, table, i, node, what, fieldname="node"):
        """Water and loads entering a level or tide boundary node are lost: the level is
        imposed there and the node holds no water of the model."""
        kind = self.boundary_kind.get(node)
        if kind in ("level", "tide"):
            self.add(
                table,
                i,
                fieldname,
                f"{what} enters node '{node}', which has a {kind} boundary: it would be lost",
                "attach it to a reach (reach and chainage_m) or to a node inside the network",
            )

    def location(self, table, i, node, reach, chainage):
        self.need(table, i, "node", node, "nodes")
        self.need(table, i, "reach", reach, "reaches")
        if (
            reach in self.reach_len
            and chainage is not None
            and chainage > self.reach_len[reach] + 1e-6
        ):
            self.add(
                table,
                i,
                "chainage_m",
                f"chainage {chainage} m is beyond the reach's length {self.reach_len[reach]} m",
                "use a chainage within the reach",
            )

    # ---------------------------------------------------------------------------------
    def duplicates(self):
        for table in ID_TABLES:
            seen: dict[str, int] = {}
            for i, x in enumerate(getattr(self.m, table)):
                if x.id in seen:
                    self.add(table, i, "id", f"duplicate id '{x.id}'", "give every item its own id")
                seen[x.id] = i

    def network(self):
        sections = {s.id: s for s in self.m.cross_sections}
        for i, r in enumerate(self.m.reaches):
            self.need("reaches", i, "from_node", r.from_node, "nodes", "node")
            self.need("reaches", i, "to_node", r.to_node, "nodes", "node")
            for j, rs in enumerate(r.sections):
                sec = sections.get(rs.section)
                if sec is None:
                    self.need(
                        "reaches",
                        i,
                        f"sections[{j}].section",
                        rs.section,
                        "cross_sections",
                        "cross-section",
                    )
                    continue
                if (
                    sec.shape != "irregular"
                    and rs.bed_level_m is None
                    and (r.bed_level_from_m is None or r.bed_level_to_m is None)
                ):
                    self.add(
                        "reaches",
                        i,
                        f"sections[{j}].bed_level_m",
                        f"no bed level for {sec.shape} section '{sec.id}'",
                        "give bed_level_m here, or bed_level_from_m and bed_level_to_m on the reach",
                    )
                if (rs.manning_n or sec.manning_n or r.manning_n or _panel_n(sec)) is None:
                    self.add(
                        "reaches",
                        i,
                        f"sections[{j}].manning_n",
                        "no Manning n",
                        "give manning_n on the placement, the cross-section or the reach",
                    )
        boundary_nodes: dict[str, int] = {}
        for i, b in enumerate(self.m.boundaries):
            self.need("boundaries", i, "node", b.node, "nodes", "node")
            if b.node in boundary_nodes:
                self.add(
                    "boundaries",
                    i,
                    "node",
                    f"node '{b.node}' already has a boundary",
                    "one boundary per node",
                )
            boundary_nodes[b.node] = i
            for fname in ("level_m", "discharge_m3s", "mean_level_m"):
                if hasattr(b, fname) and not isinstance(getattr(b, fname), list):
                    self.value("boundaries", i, fname, getattr(b, fname))
            self.concentrations("boundaries", i, "concentrations", b.concentrations)
        for i, lat in enumerate(self.m.laterals):
            self.location("laterals", i, lat.node, lat.reach, lat.chainage_m)
            if (
                lat.reach in self.reach_len
                and lat.chainage_to_m is not None
                and lat.chainage_to_m > self.reach_len[lat.reach] + 1e-6
            ):
                self.add(
                    "laterals",
                    i,
                    "chainage_to_m",
                    "beyond the reach's length",
                    "use a chainage within the reach",
                )
            self.value("laterals", i, "discharge_m3s", lat.discharge_m3s)
            self.concentrations("laterals", i, "concentrations", lat.concentrations)
            if lat.node is not None:
                self.not_at_level_boundary("laterals", i, lat.node, "this lateral")
        for i, s in enumerate(self.m.structures):
            self.need("structures", i, "from_node", s.from_node, "nodes", "node")
            self.need("structures", i, "to_node", s.to_node, "nodes", "node")
            for fname in ("crest_level_m", "opening_m", "schedule"):
                if hasattr(s, fname):
                    self.value("structures", i, fname, getattr(s, fname))
            rule = getattr(s, "rule", None)
            if rule is not None:
                self.need("structures", i, "rule.node", rule.node, "nodes", "node")
            self.need(
                "structures", i, "control_node", getattr(s, "control_node", None), "nodes", "node"
            )
        if not any(
            self.cfg.declared_ids.get(t) for t in ("nodes", "reaches", "structures", "boundaries")
        ):
            self.connectivity(boundary_nodes)

    def connectivity(self, boundary_nodes):
        """Each connected part of the network must hold at least one boundary."""
        parent = {n.id: n.id for n in self.m.nodes}

        def find(a):
            while parent[a] != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            return a

        links = [(r.from_node, r.to_node) for r in self.m.reaches]
        links += [(s.from_node, s.to_node) for s in self.m.structures]
        for a, b in links:
            if a in parent and b in parent:
                parent[find(a)] = find(b)
        groups: dict[str, list[str]] = defaultdict(list)
        for n in parent:
            groups[find(n)].append(n)
        for members in groups.values():
            if not any(n in boundary_nodes for n in members):
                idx = next(i for i, n in enumerate(self.m.nodes) if n.id == members[0])
                listed = ", ".join(sorted(members)[:6]) + (" ..." if len(members) > 6 else "")
                self.add(
                    "nodes",
                    idx,
                    "",
                    f"the part of the network with nodes {listed} has no boundary",
                    "connect it to the rest, or give one of its nodes a [[boundaries]] entry",
                )

    def sources(self):
        wwtps = {s.id for s in self.m.sources if s.kind == "wwtp"}
        for i, s in enumerate(self.m.sources):
            self.location("sources", i, s.node, s.reach, s.chainage_m)
            self.not_at_level_boundary("sources", i, s.node, f"source '{s.id}'")
            if s.kind == "wwtp":
                self.value("sources", i, "inflow_m3d", s.inflow_m3d)
                if isinstance(s.effluent, dict):
                    self.concentrations("sources", i, "effluent", s.effluent)
                elif s.effluent not in EFFLUENT_PRESETS:
                    self.add(
                        "sources",
                        i,
                        "effluent",
                        f"unknown effluent preset '{s.effluent}'",
                        f"use one of {', '.join(EFFLUENT_PRESETS)}, or give concentrations",
                    )
                if s.raw_sewage:
                    self.concentrations("sources", i, "raw_sewage", s.raw_sewage)
                self.concentrations("sources", i, "effluent_overrides", s.effluent_overrides)
                self.concentrations("sources", i, "effluent_removal", s.effluent_removal)
            else:
                self.value("sources", i, "flow_m3d", s.flow_m3d)
                self.concentrations("sources", i, "concentrations", s.concentrations)
            if getattr(s, "connected_to", None) is not None and s.connected_to not in wwtps:
                self.add(
                    "sources",
                    i,
                    "connected_to",
                    f"'{s.connected_to}' is not a sewage plant (kind = 'wwtp')",
                    f"use one of {', '.join(sorted(wwtps)) or '(none declared)'}",
                )
        for i, c in enumerate(self.m.catchments):
            self.need("catchments", i, "outlet_node", c.outlet_node, "nodes", "node")
            self.not_at_level_boundary(
                "catchments", i, c.outlet_node, f"runoff of catchment '{c.id}'", "outlet_node"
            )
            self.need("catchments", i, "outlet_reach", c.outlet_reach, "reaches", "reach")
            if c.wwtp is not None and c.wwtp not in wwtps:
                self.add(
                    "catchments",
                    i,
                    "wwtp",
                    f"'{c.wwtp}' is not a sewage plant",
                    "name a [[sources]] of kind 'wwtp'",
                )
            if not c.geojson.exists():
                self.add(
                    "catchments",
                    i,
                    "geojson",
                    f"file {c.geojson} not found",
                    "check the path (relative to this file)",
                )
            else:
                self.catchment_polygon(i, c)
            for cls in c.land_use:
                if cls not in LAND_USE_CLASSES:
                    self.add(
                        "catchments",
                        i,
                        f"land_use.{cls}",
                        f"unknown land-use class '{cls}'",
                        f"use {', '.join(LAND_USE_CLASSES)}",
                    )
            for name, value in c.runoff.items():
                if name not in RUNOFF_PARAMETERS:
                    self.add(
                        "catchments",
                        i,
                        f"runoff.{name}",
                        f"unknown runoff parameter '{name}'",
                        f"use one of {', '.join(RUNOFF_PARAMETERS)}",
                    )
                    continue
                lo, hi = parameter_range(name)
                if not lo <= value <= hi:
                    self.add(
                        "catchments",
                        i,
                        f"runoff.{name}",
                        f"{value} is outside {lo}-{hi} {RUNOFF_PARAMETERS[name].unit}",
                        "use a value in that range",
                    )
        for i, s in enumerate(self.m.sections):
            self.location("sections", i, s.node, s.reach, s.chainage_m)

    def _holds_water(self, node) -> bool:
        """Whether a node is a volume of the water-quality model (a cell of its own)."""
        if self.boundary_kind.get(node.id) in ("level", "tide"):
            return False
        return node.kind == "storage" or node.surface_area_m2 > 0

    def catchment_polygon(self, i, c):
        """The catchment's feature exists in its GeoJSON, is a valid polygon, and matches the
        declared area within 5 %."""
        from ..forcing.geometry import catchment_polygon, polygon_area_m2, read_geojson

        try:
            feats = self._geojson.get(c.geojson)
            if feats is None:
                feats = self._geojson[c.geojson] = read_geojson(c.geojson)
            geom = catchment_polygon(c.geojson, c.id_property, c.id, feats)
        except UserError as exc:
            self.add("catchments", i, "geojson", str(exc), "fix the GeoJSON file or the id")
            return
        if c.area_km2 is not None:
            area = polygon_area_m2(geom) / 1e6
            if abs(area - c.area_km2) > 0.05 * c.area_km2:
                self.add(
                    "catchments",
                    i,
                    "area_km2",
                    f"declared {c.area_km2} km2 but the polygon has {area:.2f} km2",
                    "correct area_km2 or the polygon",
                )

    def forcing(self):
        f = self.m.forcing
        if f is None:
            return
        from ..forcing.gridded import QUANTITIES, expand_files

        for q in f.variables:
            if q not in QUANTITIES:
                self.issues.append(
                    ConfigIssue(
                        self.cfg.model_path,
                        f"forcing.variables.{q}",
                        f"unknown quantity '{q}'",
                        f"use one of {', '.join(QUANTITIES)}",
                    )
                )
        try:
            expand_files(list(f.files))
        except UserError as exc:
            self.issues.append(
                ConfigIssue(
                    self.cfg.model_path, "forcing.files", str(exc), "check the paths and patterns"
                )
            )
        for k in f.deposition_kg_ha_yr:
            if k not in ALL_NAMES:
                self.issues.append(
                    ConfigIssue(
                        self.cfg.model_path,
                        f"forcing.deposition_kg_ha_yr.{k}",
                        f"unknown species '{k}'",
                        f"use one of {', '.join(ALL_NAMES)}",
                    )
                )

    def quality(self):
        q = self.m.quality
        nodes = {n.id: n for n in self.m.nodes}
        for j, o in enumerate(q.overrides):
            for r in o.reaches:
                if r not in self.ids["reaches"]:
                    self.issues.append(
                        ConfigIssue(
                            self.cfg.model_path,
                            f"quality.overrides[{j}].reaches",
                            f"reach '{r}' does not exist",
                            "name a declared reach",
                        )
                    )
            for n in o.nodes:
                if n not in self.ids["nodes"]:
                    self.issues.append(
                        ConfigIssue(
                            self.cfg.model_path,
                            f"quality.overrides[{j}].nodes",
                            f"node '{n}' does not exist",
                            "name a declared node",
                        )
                    )
                elif n in nodes and not self._holds_water(nodes[n]):
                    self.issues.append(
                        ConfigIssue(
                            self.cfg.model_path,
                            f"quality.overrides[{j}].nodes",
                            f"node '{n}' holds no water of its own, so no kinetics apply there",
                            "name storage nodes or junctions with surface_area_m2 > 0 (not "
                            "level or tide boundaries); reaches take 'reaches'",
                        )
                    )
        for r in q.dispersion_per_reach_m2_s:
            if r not in self.ids["reaches"]:
                self.issues.append(
                    ConfigIssue(
                        self.cfg.model_path,
                        f"quality.dispersion_per_reach_m2_s.{r}",
                        f"reach '{r}' does not exist",
                        "name a declared reach",
                    )
                )
        if isinstance(q.temperature_c, str):
            if q.temperature_c not in self.series:
                self.issues.append(
                    ConfigIssue(
                        self.cfg.model_path,
                        "quality.temperature_c",
                        f"time series '{q.temperature_c}' does not exist",
                        "declare it in [[timeseries]] or give a number",
                    )
                )
            else:
                self.used_series.setdefault(q.temperature_c, ("quality", 0, "temperature_c"))
                values = self.series[q.temperature_c].values
                lo, hi = WATER_TEMPERATURE_RANGE_C
                if min(values) < lo or max(values) > hi:
                    self.issues.append(
                        ConfigIssue(
                            self.cfg.model_path,
                            "quality.temperature_c",
                            f"time series '{q.temperature_c}' has water temperatures from "
                            f"{min(values)} to {max(values)} C, outside {lo} to {hi} C",
                            "give water temperature in degrees C",
                        )
                    )

    def coverage(self):
        run = self.cfg.run
        start, end = to_utc_naive(run.start), to_utc_naive(run.end)
        for sid, (table, i, fname) in self.used_series.items():
            ts = self.series[sid]
            if len(ts.times) == 1:
                continue  # a single sample is a constant
            if ts.times[0] > start or ts.times[-1] < end:
                idx = next(k for k, t in enumerate(self.m.timeseries) if t.id == sid)
                self.add(
                    "timeseries",
                    idx,
                    "times",
                    f"series '{sid}' (used by {table}[{i}].{fname}) covers {ts.times[0]} to "
                    f"{ts.times[-1]}, not the run {start} to {end}",
                    "extend the series or shorten the run",
                )

    def initial_levels(self):
        hydro = self.cfg.run.hydro
        if hydro.initial_level_m is not None:
            return
        has_level = {n.id for n in self.m.nodes if n.initial_level_m is not None}
        for r in self.m.reaches:
            if r.initial_level_m is not None:
                has_level.update((r.from_node, r.to_node))
        for b in self.m.boundaries:
            if b.kind in ("level", "tide"):
                has_level.add(b.node)
        if not has_level and self.m.nodes:
            self.issues.append(
                ConfigIssue(
                    self.cfg.model_path,
                    "run.hydro.initial_level_m",
                    "no initial water level anywhere",
                    "set run.hydro.initial_level_m or initial_level_m on nodes",
                )
            )


def _panel_n(sec):
    return sec.panel_manning_n[0] if getattr(sec, "panel_manning_n", None) else None


def check_model(cfg: LoadedConfig) -> list[ConfigIssue]:
    c = _Checker(cfg)
    c.duplicates()
    c.network()
    c.sources()
    c.quality()
    c.forcing()
    if cfg.run is not None:
        c.coverage()
        if not (cfg.declared_ids.get("boundaries") or cfg.declared_ids.get("nodes")):
            c.initial_levels()
    return c.issues
