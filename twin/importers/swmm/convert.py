"""The mapping of a parsed SWMM 5 input file (``twin.importers.swmm.records.InpModel``) onto the tables of a
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
from .conduits import ConduitMapping
from .forcing import BoundaryMapping
from .lexer import at_hours, parse_date, parse_hours, parse_number, parse_seconds
from .records import UNITS_SI, UNITS_US, InpModel, SwmmIssue
from .shapes import (
    Geometry,
    analytic_storage,
)
from .structures import StructureMapping
from .units import (
    DEFAULT_MIN_SURFAREA_FT2,
    FLOW_M3S,
    FT,
    STORAGE_SAMPLES,
)


class Converter(ConduitMapping, StructureMapping, BoundaryMapping):
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
