"""The mapping of a parsed SWMM 5 input file (``swmm_inp.InpModel``) onto the tables of a
twin model config. The mapping and its approximations are documented in ``twin.importers.swmm.importer``;
each item carries its source (.inp line) and notes on what was approximated.
"""

from __future__ import annotations

import itertools
import math
import re
from datetime import date
from typing import Any

import numpy as np

from ...config.model import LIST_FIELDS
from ...network.sections import shape_polyline
from .forcing import BoundaryMapping
from .inp import (
    UNITS_SI,
    UNITS_US,
    Conduit,
    InpModel,
    SwmmIssue,
    XSection,
    at_hours,
    parse_date,
    parse_hours,
    parse_number,
    parse_seconds,
)
from .shapes import (
    PARABOLA_POINTS,
    G,
    Geometry,
    analytic_storage,
    parabola,
    transect_polyline,
    trapezoid,
)

FT = 0.3048
"""Metres per international foot (exact)."""

FLOW_M3S = {
    "CFS": FT**3,
    "GPM": 3.785411784e-3 / 60.0,
    "MGD": 3.785411784e3 / 86400.0,
    "CMS": 1.0,
    "LPS": 1e-3,
    "MLD": 1e3 / 86400.0,
}
"""m3/s per unit of each SWMM flow unit (US gallon = 3.785411784 L, exact)."""

DEFAULT_MIN_SURFAREA_FT2 = 12.566
"""SWMM 5.2's default minimum nodal surface area, ft2 (``dynwave.c`` DEFAULT_SURFAREA)."""

MIN_DELTA_Z_FT = 0.001
"""SWMM's smallest elevation drop used for a conduit's slope, ft (``link.c``)."""

OPEN_SHAPES = ("RECT_OPEN", "TRAPEZOIDAL", "TRIANGULAR", "PARABOLIC", "IRREGULAR")

STORAGE_SAMPLES = 21
"""Depths at which a FUNCTIONAL or analytic storage shape is tabulated."""


class Converter(BoundaryMapping):
    """Maps the records of one .inp file onto twin config tables, collecting problems."""

    def __init__(self, inp: InpModel, dx_m: float | None):
        self.inp = inp
        self.path = inp.path
        self.dx_m = dx_m
        self.issues: list[SwmmIssue] = []
        self.notes: list[str] = []
        self.tables: dict[str, list[dict]] = {t: [] for t in LIST_FIELDS}
        self.origins: dict[str, list[tuple[int, str]]] = {t: [] for t in LIST_FIELDS}
        self.ids: dict[str, dict[str, str]] = {t: {} for t in LIST_FIELDS}
        self.taken: dict[str, set[str]] = {t: set() for t in LIST_FIELDS}
        self.model_info: dict[str, Any] = {}
        self.run_table: dict[str, Any] = {}
        self.quality_table: dict[str, Any] = {}
        self.section_ids: dict[tuple, str] = {}
        self.node_elev: dict[str, float] = {}
        self.link_nodes: dict[str, tuple[str, str]] = {}
        self.node_links: dict[str, list[str]] = {}
        self.species: dict[str, str] = {}
        self.lateral_at: dict[str, dict] = {}
        self.outfall_initial: dict[str, float] = {}
        self.pollutant_factor: dict[str, float] = {}
        self.pending_quality: list = []
        self.geo_cache: dict[tuple, Geometry] = {}
        self.conduit_geo: dict[str, tuple[Geometry, float]] | None = None

    # ------------------------------------------------------------------ helpers
    def error(self, line: int, section: str, message: str, fix: str = "") -> None:
        self.issues.append(SwmmIssue(line, section, message, fix))

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def source(self, line: int, section: str, name: str) -> str:
        return f"EPA SWMM input {self.path.name}, line {line} ([{section}] {name})"

    def ident(self, table: str, name: str) -> str:
        """A twin identifier for a SWMM name, unique in ``table`` (remembered)."""
        if name in self.ids[table]:
            return self.ids[table][name]
        base = re.sub(r"[^A-Za-z0-9_\-\.\u4e00-\u9fff]", "_", name)[:76] or "_"
        cand, k = base, 2
        while cand in self.taken[table]:
            cand = f"{base}_{k}"
            k += 1
        self.ids[table][name] = cand
        self.taken[table].add(cand)
        return cand

    def add(self, table: str, item: dict, line: int, section: str) -> None:
        self.tables[table].append(_plain({k: v for k, v in item.items() if v is not None}))
        self.origins[table].append((line, section))

    # ---------------------------------------------------------------------- run
    def run(self) -> None:
        self.units()
        self.settings()
        self.topology()
        self.nodes()
        self.conduits()
        self.structures()
        self.outfalls()
        self.inflows()
        self.pollution()
        self.finish_info()

    def option(self, key: str):
        return self.inp.options.get(key)

    def units(self) -> None:
        opt = self.option("FLOW_UNITS")
        fu = opt.value.upper() if opt else "CFS"
        if fu not in FLOW_M3S:
            self.error(
                opt.line, "OPTIONS", f"unknown FLOW_UNITS '{opt.value}'",
                f"use one of {', '.join(UNITS_US + UNITS_SI)}",
            )  # fmt: skip
            fu = "CMS"
        if opt is None:
            self.note("FLOW_UNITS not given: SWMM's default CFS (US customary units) assumed.")
        self.flow_units = fu
        self.us = fu in UNITS_US
        self.L = FT if self.us else 1.0
        self.Q = FLOW_M3S[fu]
        offsets = self.option("LINK_OFFSETS")
        self.elev_offsets = bool(offsets and offsets.value.upper() == "ELEVATION")
        if offsets and offsets.value.upper() not in ("DEPTH", "ELEVATION"):
            self.error(
                offsets.line,
                "OPTIONS",
                f"unknown LINK_OFFSETS '{offsets.value}'",
                "use DEPTH or ELEVATION",
            )
        msa = self.option("MIN_SURFAREA")
        value = parse_number(msa.value) if msa else 0.0
        if value is None or value < 0:
            self.error(
                msa.line,
                "OPTIONS",
                f"MIN_SURFAREA '{msa.value}' is not a number >= 0",
                "give an area",
            )
            value = 0.0
        self.min_area_m2 = DEFAULT_MIN_SURFAREA_FT2 * FT**2 if value == 0.0 else value * self.L**2
        ms = self.option("MIN_SLOPE")
        self.min_slope = (parse_number(ms.value) or 0.0) / 100.0 if ms else 0.0

    def settings(self) -> None:
        def get_date(key, default):
            opt = self.option(key)
            if opt is None:
                return default, 0
            d = parse_date(opt.value)
            if d is None:
                self.error(
                    opt.line, "OPTIONS", f"{key} '{opt.value}' is not a date", "write MM/DD/YYYY"
                )
                return default, opt.line
            return d, opt.line

        def get_hours(key):
            opt = self.option(key)
            if opt is None:
                return 0.0
            h = parse_hours(opt.value)
            if h is None:
                self.error(
                    opt.line, "OPTIONS", f"{key} '{opt.value}' is not a time", "write HH:MM:SS"
                )
                return 0.0
            return h

        d0, _ = get_date("START_DATE", date(2004, 1, 1))
        d1, line_end = get_date("END_DATE", d0)
        start = at_hours(d0, get_hours("START_TIME"))
        end = at_hours(d1, get_hours("END_TIME"))
        self.start, self.end = start, end
        if end <= start:
            self.error(
                line_end or self.inp.section_lines.get("OPTIONS", 0), "OPTIONS",
                f"the simulation ends ({end}) before it starts ({start})",
                "set END_DATE and END_TIME after START_DATE and START_TIME",
            )  # fmt: skip
        dt = self.seconds("ROUTING_STEP", 300.0)
        report = self.seconds("REPORT_STEP", 900.0)
        if dt <= 0 or dt > 86400:
            opt = self.option("ROUTING_STEP")
            self.error(
                opt.line if opt else 0,
                "OPTIONS",
                f"ROUTING_STEP {dt:g} s is outside (0, 86400]",
                "give a step in seconds",
            )
            dt = 300.0
        # twin writes output every whole number of steps: take the largest step <= SWMM's
        # routing step (SWMM's largest) that divides the reporting step.
        if report >= dt:
            steps = math.ceil(report / dt - 1e-9)
            if abs(report / steps - dt) > 1e-9 * dt:
                self.note(
                    f"time step {report / steps:g} s (SWMM's ROUTING_STEP {dt:g} s does not "
                    f"divide REPORT_STEP {report:g} s)."
                )
            dt, interval = report / steps, report
        else:
            interval = dt
            self.note(f"REPORT_STEP {report:g} s is shorter than ROUTING_STEP; output every step.")
        self.dt = dt
        self.run_table = {
            "start": start,
            "end": end,
            "dt_s": dt,
            "output_interval_s": interval,
        }
        route = self.option("FLOW_ROUTING")
        if route is None or route.value.upper() != "DYNWAVE":
            self.note(
                f"SWMM's flow routing is {route.value.upper() if route else 'KINWAVE (default)'}; "
                "twin solves the full Saint-Venant (dynamic wave) equations."
            )
        ponding = self.option("ALLOW_PONDING")
        if ponding and ponding.value.upper() == "YES":
            self.note("ALLOW_PONDING ignored: twin does not flood or pond at nodes.")
        self.dynwave = bool(route and route.value.upper() == "DYNWAVE")

    def seconds(self, key: str, default: float) -> float:
        opt = self.option(key)
        if opt is None:
            return default
        value = parse_seconds(opt.value)
        if value is None:
            self.error(
                opt.line,
                "OPTIONS",
                f"{key} '{opt.value}' is not a time step",
                "give seconds or HH:MM:SS",
            )
            return default
        return value

    # ------------------------------------------------------------------ topology
    def topology(self) -> None:
        """Check link end nodes, remember each link's ends and each node's links."""
        inp = self.inp
        nodes = inp.node_names
        links = inp.link_names
        for name in inp.junctions:
            self.node_elev[name] = inp.junctions[name].elev * self.L
        for name in inp.storages:
            self.node_elev[name] = inp.storages[name].elev * self.L
        for name in inp.outfalls:
            self.node_elev[name] = inp.outfalls[name].elev * self.L
        for section, table in (("CONDUITS", inp.conduits), ("PUMPS", inp.pumps),
                               ("ORIFICES", inp.orifices), ("WEIRS", inp.weirs)):  # fmt: skip
            for link in table.values():
                ok = True
                for end in (link.node1, link.node2):
                    if end not in nodes:
                        self.error(
                            link.line,
                            section,
                            f"link '{link.name}': node '{end}' is not defined",
                            "declare it in [JUNCTIONS], [OUTFALLS] or [STORAGE]",
                        )
                        ok = False
                if ok and link.node1 == link.node2:
                    self.error(
                        link.line,
                        section,
                        f"link '{link.name}' starts and ends at node '{link.node1}'",
                        "connect two different nodes",
                    )
                    ok = False
                if ok:
                    self.link_nodes[link.name] = (link.node1, link.node2)
                    self.node_links.setdefault(link.node1, []).append(link.name)
                    self.node_links.setdefault(link.node2, []).append(link.name)
        for link, xs in inp.xsections.items():
            if link not in links:
                self.error(
                    xs.line,
                    "XSECTIONS",
                    f"link '{link}' is not defined",
                    "remove the line or declare the link",
                )
        for link, loss in inp.losses.items():
            if link not in links:
                self.error(loss.line, "LOSSES", f"link '{link}' is not defined", "remove the line")
            elif (loss.k_entry, loss.k_exit, loss.k_avg, loss.seepage) != (0, 0, 0, 0) or loss.flap:
                self.error(
                    loss.line, "LOSSES",
                    f"link '{link}': local losses, flap gates and seepage on conduits are not supported",
                    "set Kentry, Kexit, Kavg and Seepage to 0 and Flap to NO, or remove the line",
                )  # fmt: skip
        for name in inp.coordinates:
            if name not in nodes:
                self.error(
                    self.coord_line(name),
                    "COORDINATES",
                    f"node '{name}' is not defined",
                    "remove the line",
                )
        for name in inp.vertices:
            if name not in links:
                self.error(
                    inp.section_lines.get("VERTICES", 0),
                    "VERTICES",
                    f"link '{name}' is not defined",
                    "remove its vertices",
                )

    def coord_line(self, name: str) -> int:
        return self.inp.section_lines.get("COORDINATES", 0)

    def xy(self, name: str) -> tuple[float, float] | None:
        p = self.inp.coordinates.get(name)
        if p is None:
            return None
        f = FT if self.inp.map_units == "FEET" else 1.0
        return p[0] * f, p[1] * f

    # --------------------------------------------------------------------- nodes
    def nodes(self) -> None:
        inp = self.inp
        missing = [n for n in inp.node_names if n not in inp.coordinates]
        if missing:
            self.note(
                f"{len(missing)} node(s) have no [COORDINATES] (e.g. '{sorted(missing)[0]}'); "
                "they are placed at (0, 0)."
            )
        for j in inp.junctions.values():
            init = j.init_depth * self.L if j.init_depth > 0 else self.initial_depth(j.name)
            notes = [f"SWMM junction, maximum depth {j.max_depth * self.L:g} m"]
            if j.ponded_area > 0 or j.sur_depth > 0:
                notes.append(
                    "surcharge depth and ponded area not represented (twin does not flood)"
                )
            self.add_node(j.name, j.line, "JUNCTIONS", {
                "kind": "junction",
                "surface_area_m2": self.min_area_m2,
                "bed_level_m": self.node_elev[j.name],
                "initial_level_m": self.node_elev[j.name] + init,
                "note": "; ".join(notes),
            })  # fmt: skip
        for s in inp.storages.values():
            table = self.storage_table(s)
            if table is None:
                continue
            notes = []
            if any(v for v in s.seepage if v == v):
                self.error(
                    s.line,
                    "STORAGE",
                    f"storage '{s.name}': seepage (exfiltration) is not supported",
                    "remove the Psi Ksat IMD values",
                )
            if s.evap_factor > 0:
                notes.append("evaporation factor ignored (no evaporation)")
            self.add_node(s.name, s.line, "STORAGE", {
                "kind": "storage",
                "storage": table,
                "bed_level_m": self.node_elev[s.name],
                "initial_level_m": self.node_elev[s.name] + s.init_depth * self.L,
                "note": "; ".join(notes) or None,
            })  # fmt: skip
        for o in inp.outfalls.values():
            self.add_node(o.name, o.line, "OUTFALLS", {
                "kind": "junction",
                "bed_level_m": self.node_elev[o.name],
                "note": f"SWMM {o.kind} outfall",
            })  # fmt: skip

    def add_node(self, name: str, line: int, section: str, item: dict) -> None:
        nid = self.ident("nodes", name)
        xy = self.xy(name) or (0.0, 0.0)
        self.add("nodes", {
            "id": nid, "name": name if nid != name else None, "x": xy[0], "y": xy[1], **item,
            "source": self.source(line, section, name),
        }, line, section)  # fmt: skip

    def storage_table(self, s) -> dict | None:
        ymax = s.max_depth * self.L
        if not ymax > 0:
            self.error(
                s.line,
                "STORAGE",
                f"storage '{s.name}' has maximum depth 0",
                "give its maximum depth",
            )
            return None
        L2 = self.L**2
        if s.shape == "TABULAR":
            curve = self.inp.curves.get(s.curve)
            if curve is None or curve.kind != "STORAGE":
                self.error(
                    s.line,
                    "STORAGE",
                    f"storage '{s.name}': STORAGE curve '{s.curve}' is not defined",
                    "declare it in [CURVES] with type STORAGE",
                )
                return None
            d = [x * self.L for x in curve.x]
            a = [y * L2 for y in curve.y]
            if len(d) < 1 or any(b <= c for c, b in itertools.pairwise(d)):
                self.error(
                    curve.line,
                    "CURVES",
                    f"storage curve '{curve.name}' needs depths in increasing order",
                    "sort the points",
                )
                return None
            if d[0] > 0:
                d.insert(0, 0.0)
                a.insert(0, 0.0)
            if ymax > d[-1]:
                slope = (a[-1] - a[-2]) / (d[-1] - d[-2]) if len(d) > 1 else 0.0
                a.append(a[-1] + max(slope, 0.0) * (ymax - d[-1]))
                d.append(ymax)
        else:
            p1, p2, p3 = s.params
            d = list(np.linspace(0.0, ymax, STORAGE_SAMPLES))
            if s.shape == "FUNCTIONAL":
                # A = a0 + a1 d^a2 in the file's units: A1 P1, A2 P2, A0 P3.
                a = [
                    (p3 + p1 * (x / self.L) ** p2) * L2 if x > 0 or p2 == 0 else p3 * L2 for x in d
                ]
            else:
                a0, a1, a2 = analytic_storage(s.shape, p1, p2, p3)
                a = [(a0 + a1 * (x / self.L) + a2 * (x / self.L) ** 2) * L2 for x in d]
        floor = self.min_area_m2
        if min(a) < floor:
            a = [max(v, floor) for v in a]
        levels = [self.node_elev[s.name] + x for x in d]
        return {"level_m": levels, "area_m2": a}

    def initial_depth(self, node: str) -> float:
        """Initial depth (m) of a junction without one: the mean over its links of the
        conduit's normal depth at its initial flow plus its inlet offset (0 for other links
        and dry conduits), as SWMM's initNodeDepths."""
        links = self.node_links.get(node, [])
        if not links:
            return 0.0
        total = 0.0
        for name in links:
            c = self.inp.conduits.get(name)
            if c is None or c.init_flow == 0 or name not in self.conduit_geometry():
                continue
            geo, slope = self.conduit_geometry()[name]
            y = geo.normal_depth(abs(c.init_flow) * self.Q, slope)
            if y > 1e-6:
                total += y + self.offsets(c)[0]
        return total / len(links)

    # ------------------------------------------------------------------ conduits
    def offsets(self, c: Conduit) -> tuple[float, float]:
        """Offsets (m) of a conduit's ends above its nodes' inverts, as SWMM resolves them."""
        out = []
        for end, off in ((c.node1, c.offset1), (c.node2, c.offset2)):
            z = self.node_elev.get(end, 0.0)
            if self.elev_offsets:
                h = 0.0 if off is None else off * self.L - z
            else:
                h = 0.0 if off is None else off * self.L
            out.append(max(h, 0.0))
        return out[0], out[1]

    def conduit_geometry(self) -> dict[str, tuple[Geometry, float]]:
        """Per importable conduit: its hydraulic shape and its bed slope (m/m, positive; the
        elevation drop is at least SWMM's 0.001 ft and the slope at least MIN_SLOPE)."""
        if self.conduit_geo is None:
            self.conduit_geo = {}
            for c in self.inp.conduits.values():
                xs = self.inp.xsections.get(c.name)
                if xs is None or c.name not in self.link_nodes:
                    continue
                geo = self.geometry(xs, c)
                if geo is None:
                    continue
                off1, off2 = self.offsets(c)
                drop = abs(self.node_elev[c.node1] + off1 - self.node_elev[c.node2] - off2)
                slope = max(drop, MIN_DELTA_Z_FT * FT) / (c.length * self.L)
                self.conduit_geo[c.name] = (geo, max(slope, self.min_slope))
        return self.conduit_geo

    def geometry(self, xs: XSection, c: Conduit) -> Geometry | None:
        """The hydraulic shape of a conduit's cross-section (None if not importable)."""
        key = (xs.shape, xs.geom, xs.transect, c.roughness)
        if key not in self.geo_cache:
            self.geo_cache[key] = self._geometry(xs, c)
        return self.geo_cache[key]

    def _geometry(self, xs: XSection, c: Conduit) -> Geometry | None:
        if xs.shape not in OPEN_SHAPES or xs.barrels != 1:
            return None
        g = [v * self.L for v in xs.geom]
        n = c.roughness
        if xs.shape == "RECT_OPEN":
            st, rel = shape_polyline("rectangular", width_m=g[1], height_m=g[0])
            return Geometry(st, rel, [], [n], g[0])
        if xs.shape == "TRIANGULAR":
            st, rel = shape_polyline(
                "trapezoidal", bottom_width_m=0.0, side_slope=g[1] / (2 * g[0]), height_m=g[0]
            )
            return Geometry(st, rel, [], [n], g[0])
        if xs.shape == "TRAPEZOIDAL":
            st, rel = trapezoid(g[0], g[1], xs.geom[2], xs.geom[3])
            return Geometry(st, rel, [], [n], g[0])
        if xs.shape == "PARABOLIC":
            st, rel = parabola(g[0], g[1])
            return Geometry(st, rel, [], [n], g[0])
        if xs.shape == "IRREGULAR":
            tr = self.inp.transects.get(xs.transect)
            if tr is None or len(tr.stations) < 2 or max(tr.elevations) <= min(tr.elevations):
                return None
            st, el, breaks, pn = transect_polyline(tr, self.L)
            rel = np.asarray(el) - min(el)
            return Geometry(np.asarray(st), rel, breaks, pn, float(rel.max()))
        return None

    def conduits(self) -> None:
        inp = self.inp
        for c in inp.conduits.values():
            if c.name not in self.link_nodes:
                continue
            xs = inp.xsections.get(c.name)
            if xs is None:
                self.error(
                    c.line,
                    "CONDUITS",
                    f"conduit '{c.name}' has no [XSECTIONS] entry",
                    "give its cross-section",
                )
                continue
            sid = self.cross_section(xs, c)
            if sid is None:
                continue
            if c.max_flow > 0:
                self.error(
                    c.line,
                    "CONDUITS",
                    f"conduit '{c.name}': a maximum flow (Qmax) is not supported",
                    "set Qmax to 0",
                )
                continue
            off1, off2 = self.offsets(c)
            z1 = self.node_elev[c.node1] + off1
            z2 = self.node_elev[c.node2] + off2
            length = c.length * self.L
            item = {
                "id": self.ident("reaches", c.name),
                "name": c.name if self.ids["reaches"][c.name] != c.name else None,
                "from_node": self.ids["nodes"][c.node1],
                "to_node": self.ids["nodes"][c.node2],
                "length_m": length,
                "dx_m": self.dx_m if self.dx_m is not None else length,
                "manning_n": None if xs.shape == "IRREGULAR" else c.roughness,
                "bed_level_from_m": z1,
                "bed_level_to_m": z2,
                "sections": [
                    {"chainage_m": 0.0, "section": sid, "bed_level_m": z1},
                    {"chainage_m": length, "section": sid, "bed_level_m": z2},
                ],
                "geometry": self.reach_geometry(c),
                "initial_discharge_m3s": c.init_flow * self.Q if c.init_flow else None,
                "source": self.source(c.line, "CONDUITS", c.name),
            }
            if xs.shape == "IRREGULAR":
                item["note"] = "SWMM uses the transect's Manning n for an IRREGULAR conduit"
            self.add("reaches", item, c.line, "CONDUITS")

    def reach_geometry(self, c: Conduit):
        verts = self.inp.vertices.get(c.name)
        a, b = self.xy(c.node1), self.xy(c.node2)
        if not verts or a is None or b is None:
            return None
        f = FT if self.inp.map_units == "FEET" else 1.0
        return [list(a), *([x * f, y * f] for x, y in verts), list(b)]

    def cross_section(self, xs: XSection, c: Conduit) -> str | None:
        """The id of the twin cross-section for a conduit (shared by identical shapes)."""
        line = xs.line
        if xs.shape not in OPEN_SHAPES:
            kind = (
                "a closed conduit shape"
                if xs.shape not in ("DUMMY", "CUSTOM", "STREET")
                else "not supported"
            )
            self.error(
                line, "XSECTIONS",
                f"conduit '{c.name}': shape {xs.shape} is {kind}; twin imports open channels only",
                "use one of " + ", ".join(OPEN_SHAPES),
            )  # fmt: skip
            return None
        if xs.barrels != 1 or xs.culvert != 0:
            self.error(
                line,
                "XSECTIONS",
                f"conduit '{c.name}': barrels > 1 and culvert codes are not supported",
                "use one barrel and no culvert code",
            )
            return None
        g = xs.geom
        if xs.shape != "IRREGULAR" and not (g[0] > 0 and (g[1] > 0 or xs.shape == "TRAPEZOIDAL")):
            self.error(
                line,
                "XSECTIONS",
                f"conduit '{c.name}': Geom1 and Geom2 must be > 0",
                "give the depth and width",
            )
            return None
        src = self.source(line, "XSECTIONS", c.name)
        gl = [v * self.L for v in g]
        if xs.shape == "RECT_OPEN":
            if g[2] != 0:
                self.error(
                    line,
                    "XSECTIONS",
                    f"conduit '{c.name}': RECT_OPEN with sides left out of the wetted perimeter (Geom3 = {g[2]:g}) is not supported",
                    "set Geom3 to 0",
                )
                return None
            key = ("rect", gl[1], gl[0])
            item = {"shape": "rectangular", "width_m": gl[1], "height_m": gl[0]}
        elif xs.shape == "TRIANGULAR":
            key = ("tri", gl[1], gl[0])
            item = {
                "shape": "trapezoidal",
                "bottom_width_m": 0.0,
                "side_slope": gl[1] / (2.0 * gl[0]),
                "height_m": gl[0],
            }
        elif xs.shape == "TRAPEZOIDAL":
            if g[2] < 0 or g[3] < 0 or (g[1] == 0 and g[2] + g[3] == 0):
                self.error(
                    line,
                    "XSECTIONS",
                    f"conduit '{c.name}': invalid trapezoid (bottom width {g[1]:g}, side slopes {g[2]:g}, {g[3]:g})",
                    "give a bottom width or side slopes > 0",
                )
                return None
            key = ("trap", gl[0], gl[1], g[2], g[3])
            if g[2] == g[3]:
                item = {
                    "shape": "trapezoidal",
                    "bottom_width_m": gl[1],
                    "side_slope": g[2],
                    "height_m": gl[0],
                }
            else:
                st, rel = trapezoid(gl[0], gl[1], g[2], g[3])
                item = {"shape": "irregular", "station_m": list(st), "elevation_m": list(rel),
                        "note": "SWMM TRAPEZOIDAL with unequal side slopes, as a polyline"}  # fmt: skip
        elif xs.shape == "PARABOLIC":
            key = ("parab", gl[0], gl[1])
            st, rel = parabola(gl[0], gl[1])
            item = {"shape": "irregular", "station_m": list(st), "elevation_m": list(rel),
                    "note": f"SWMM PARABOLIC section as a polyline of {PARABOLA_POINTS} points (approximation)"}  # fmt: skip
        else:
            tr = self.inp.transects.get(xs.transect)
            if tr is None:
                self.error(
                    line,
                    "XSECTIONS",
                    f"conduit '{c.name}': transect '{xs.transect}' is not defined",
                    "declare it in [TRANSECTS]",
                )
                return None
            key = ("transect", tr.name)
            if key not in self.section_ids:
                if not self.check_transect(tr):
                    return None
                st, el, breaks, pn = transect_polyline(tr, self.L)
                item = {"shape": "irregular", "station_m": st, "elevation_m": el}
                if len(pn) > 1:
                    item["panel_stations_m"] = breaks
                    item["panel_manning_n"] = pn
                else:
                    item["manning_n"] = pn[0]
                sid = self.ident("cross_sections", "transect_" + tr.name)
                self.section_ids[key] = sid
                self.add(
                    "cross_sections",
                    {"id": sid, **item, "source": self.source(tr.line, "TRANSECTS", tr.name)},
                    tr.line,
                    "TRANSECTS",
                )
            return self.section_ids[key]
        if key not in self.section_ids:
            sid = self.ident("cross_sections", "xs_" + c.name)
            self.section_ids[key] = sid
            self.add("cross_sections", {"id": sid, **item, "source": src}, line, "XSECTIONS")
        return self.section_ids[key]

    def check_transect(self, tr) -> bool:
        ok = True
        if len(tr.stations) < 2:
            self.error(
                tr.line,
                "TRANSECTS",
                f"transect '{tr.name}' has fewer than 2 GR points",
                "give the surveyed points",
            )
            ok = False
        elif max(tr.elevations) <= min(tr.elevations):
            self.error(
                tr.line,
                "TRANSECTS",
                f"transect '{tr.name}' has no depth (all points at one elevation)",
                "check the GR elevations",
            )
            ok = False
        elif any(b < a for a, b in zip(tr.stations, tr.stations[1:], strict=False)):
            self.error(
                tr.line,
                "TRANSECTS",
                f"transect '{tr.name}': stations decrease",
                "list GR points from left to right",
            )
            ok = False
        if tr.n_channel <= 0:
            self.error(
                tr.line,
                "TRANSECTS",
                f"transect '{tr.name}' has no channel Manning n",
                "give an NC line before X1",
            )
            ok = False
        if tr.length_factor not in (0.0, 1.0):
            self.error(
                tr.line,
                "TRANSECTS",
                f"transect '{tr.name}': the meander modifier ({tr.length_factor:g}) is not supported",
                "set it to 0",
            )
            ok = False
        if tr.x_left > tr.x_right:
            self.error(
                tr.line,
                "TRANSECTS",
                f"transect '{tr.name}': left bank station is right of the right bank",
                "swap them",
            )
            ok = False
        return ok

    # ---------------------------------------------------------------- structures
    def crest(self, link, offset: float | None) -> float:
        """Crest/sill level (m) of a weir or orifice: inlet invert + offset (SWMM raises a
        negative offset to 0, and under dynamic wave a crest below the outlet invert to it)."""
        z1 = self.node_elev[link.node1]
        if self.elev_offsets:
            h = 0.0 if offset is None else offset * self.L - z1
        else:
            h = 0.0 if offset is None else offset * self.L
        crest = z1 + max(h, 0.0)
        z2 = self.node_elev[link.node2]
        if self.dynwave and crest < z2:
            crest = z2
        return crest

    def structure(self, link, section: str, item: dict, note: str | None = None) -> None:
        sid = self.ident("structures", link.name)
        self.add("structures", {
            "id": sid, "name": link.name if sid != link.name else None,
            "from_node": self.ids["nodes"][link.node1], "to_node": self.ids["nodes"][link.node2],
            **item, "source": self.source(link.line, section, link.name), "note": note,
        }, link.line, section)  # fmt: skip

    def structures(self) -> None:
        inp = self.inp
        for w in inp.weirs.values():
            if w.name not in self.link_nodes:
                continue
            if w.kind not in ("TRANSVERSE", "SIDEFLOW"):
                self.error(
                    w.line,
                    "WEIRS",
                    f"weir '{w.name}': type {w.kind} is not supported",
                    "use TRANSVERSE or SIDEFLOW",
                )
                continue
            if w.coeff_curve is not None:
                self.error(
                    w.line,
                    "WEIRS",
                    f"weir '{w.name}': a discharge-coefficient curve is not supported",
                    "give a constant Cd",
                )
                continue
            xs = inp.xsections.get(w.name)
            if xs is None or xs.shape != "RECT_OPEN" or not (xs.geom[1] > 0):
                self.error(
                    w.line,
                    "WEIRS",
                    f"weir '{w.name}' needs a RECT_OPEN [XSECTIONS] entry (height, crest length)",
                    "add: <weir> RECT_OPEN height length 0 0",
                )
                continue
            cd_si = w.cd * (math.sqrt(FT) if self.us else 1.0)
            m = cd_si / math.sqrt(2 * G)
            if not (0.2 < m < 0.5):
                lo, hi = 0.2 * math.sqrt(2 * G), 0.5 * math.sqrt(2 * G)
                if self.us:
                    lo, hi = lo / math.sqrt(FT), hi / math.sqrt(FT)
                self.error(
                    w.line, "WEIRS",
                    f"weir '{w.name}': Cd = {w.cd:g} gives twin's m = Cd/sqrt(2g) = {m:.3f}, outside 0.2-0.5",
                    f"use Cd between {lo:.2f} and {hi:.2f} in this file's units ({'ft^0.5/s' if self.us else 'm^0.5/s'})",
                )  # fmt: skip
                continue
            crest = self.crest(w, w.offset)
            width = xs.geom[1] * self.L
            notes = [f"SWMM {w.kind} weir, Cd {w.cd:g}: m = Cd/sqrt(2g)"]
            if w.kind == "SIDEFLOW":
                notes.append(
                    "SWMM's side-flow law Cd L^0.83 H^(5/3) approximated by the broad-crested weir"
                )
            if w.end_contractions > 0:
                notes.append(
                    f"{w.end_contractions:g} end contractions ignored (SWMM shortens the crest by 0.1 EC H)"
                )
            notes.append(
                f"opening height {xs.geom[0] * self.L:g} m ignored: twin's weir has no top (SWMM switches to orifice flow above it)"
            )
            if w.gated:
                notes.append(
                    "flap gate: a sluice opened far above the water, flow from_node -> to_node only"
                )
                item = {"kind": "sluice", "sill_level_m": crest, "width_m": width,
                        "opening_m": 1000.0, "max_opening_m": 1000.0,
                        "weir_coefficient": m, "flow_direction": "positive"}  # fmt: skip
            else:
                item = {
                    "kind": "weir",
                    "crest_level_m": crest,
                    "crest_width_m": width,
                    "discharge_coefficient": m,
                }
            self.structure(w, "WEIRS", item, "; ".join(notes))
        for o in inp.orifices.values():
            if o.name not in self.link_nodes:
                continue
            xs = inp.xsections.get(o.name)
            if xs is None or xs.shape not in ("RECT_CLOSED", "CIRCULAR") or not (xs.geom[0] > 0):
                self.error(
                    o.line,
                    "ORIFICES",
                    f"orifice '{o.name}' needs a RECT_CLOSED or CIRCULAR [XSECTIONS] entry",
                    "add: <orifice> RECT_CLOSED height width 0 0",
                )
                continue
            notes = [
                f"SWMM {o.kind} orifice, Cd {o.cd:g}; twin's sluice law (mu = 0.60 - 0.176 e/H) replaces Cd A sqrt(2gh)"
            ]
            if xs.shape == "RECT_CLOSED":
                if not xs.geom[1] > 0:
                    self.error(
                        xs.line,
                        "XSECTIONS",
                        f"orifice '{o.name}': width (Geom2) must be > 0",
                        "give the width",
                    )
                    continue
                height, width = xs.geom[0] * self.L, xs.geom[1] * self.L
            else:
                side = xs.geom[0] * self.L * math.sqrt(math.pi) / 2.0
                height = width = side
                notes.append(f"circular opening as a square of equal area ({side:.3f} m side)")
            if o.kind == "BOTTOM":
                notes.append("bottom orifice as a gate in a vertical wall (approximation)")
            m = o.cd / math.sqrt(2.0)
            if not (0.2 < m < 0.5):
                notes.append(f"part-full coefficient Cd/sqrt(2) = {m:.3f} limited to twin's range")
                m = min(max(m, 0.21), 0.49)
            self.structure(o, "ORIFICES", {
                "kind": "sluice", "sill_level_m": self.crest(o, o.offset), "width_m": width,
                "opening_m": height, "max_opening_m": height, "weir_coefficient": m,
                "flow_direction": "positive" if o.gated else "both",
            }, "; ".join(notes))  # fmt: skip
        for p in inp.pumps.values():
            if p.name not in self.link_nodes:
                continue
            capacity = self.pump_capacity(p)
            if capacity is None:
                continue
            z1 = self.node_elev[p.node1]
            if p.startup > 0:
                item = {"kind": "pump", "capacity_m3s": capacity,
                        "start_level_m": z1 + p.startup * self.L,
                        "stop_level_m": z1 + p.shutoff * self.L}  # fmt: skip
                if p.shutoff >= p.startup:
                    self.error(
                        p.line,
                        "PUMPS",
                        f"pump '{p.name}': shutoff depth must be below the startup depth",
                        "lower the shutoff depth",
                    )
                    continue
                note = "runs between the startup and shutoff depths (SWMM's initial status is not used: twin starts the pump if the level is above the start level)"
            elif p.shutoff > 0:
                self.error(
                    p.line,
                    "PUMPS",
                    f"pump '{p.name}': a shutoff depth without a startup depth is not supported",
                    "give a startup depth",
                )
                continue
            else:
                item = {
                    "kind": "pump",
                    "capacity_m3s": capacity,
                    "schedule": 1.0 if p.status_on else 0.0,
                }
                note = f"always {'on' if p.status_on else 'off'} (SWMM status {'ON' if p.status_on else 'OFF'}, no startup depth)"
            self.structure(p, "PUMPS", item, note)

    def pump_capacity(self, p) -> float | None:
        if p.curve is None:
            self.error(
                p.line,
                "PUMPS",
                f"pump '{p.name}' is an ideal pump ('*'), which has no capacity",
                "give a pump curve with one constant flow",
            )
            return None
        curve = self.inp.curves.get(p.curve)
        if curve is None or not curve.kind.startswith("PUMP"):
            self.error(
                p.line,
                "PUMPS",
                f"pump '{p.name}': pump curve '{p.curve}' is not defined",
                "declare it in [CURVES] as PUMP1-PUMP4",
            )
            return None
        flows = curve.y
        if curve.kind == "PUMP5" or not flows or max(flows) != min(flows) or flows[0] <= 0:
            self.error(
                p.line, "PUMPS",
                f"pump '{p.name}': curve '{p.curve}' ({curve.kind}) does not give one constant flow",
                "twin's pump has a constant capacity: use a curve whose flows are all equal",
            )  # fmt: skip
            return None
        return flows[0] * self.Q

    # ---------------------------------------------------------------------- info
    def finish_info(self) -> None:
        for node in self.tables["nodes"]:
            if node["id"] in self.outfall_initial:
                node["initial_level_m"] = self.outfall_initial[node["id"]]
        title = [t for t in self.inp.title if t.strip()]
        name = title[0][:80] if title else self.path.stem
        lines = [*title]
        if self.notes:
            lines.append("Imported from EPA SWMM (" + self.path.name + "); approximations:")
            lines.extend("- " + n for n in self.notes)
        coords = "lonlat" if self.inp.map_units == "DEGREES" else "xy_m"
        self.model_info = {
            "name": name,
            "description": "\n".join(lines),
            "coordinates": coords,
            "vertical_datum": f"elevations of the SWMM model {self.path.name}",
        }

    def document(self) -> dict:
        doc: dict[str, Any] = {"model": self.model_info}
        for table in LIST_FIELDS:
            if self.tables[table]:
                doc[table] = self.tables[table]
        doc["quality"] = self.quality_table
        doc["run"] = self.run_table
        self.origins = {t: v for t, v in self.origins.items() if v}
        self.origins["run"] = [(self.inp.section_lines.get("OPTIONS", 0), "OPTIONS")]
        self.origins["quality"] = [(self.inp.section_lines.get("POLLUTANTS", 0), "POLLUTANTS")]
        self.origins["model"] = [(self.inp.section_lines.get("TITLE", 0), "TITLE")]
        return doc


def _plain(value):
    """Plain Python data for TOML: numpy scalars and arrays become floats and lists."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_plain(v) for v in value]
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value
