"""Import the open-channel subset of an EPA SWMM 5 input file (.inp) as a twin model config.

``read_inp(path)`` returns the config document as plain data (TOML-serialisable with
``tomli_w``); ``load_inp(path)`` validates it with the same schema and cross-reference checks
as a TOML model and returns a ``LoadedConfig``. Problems are reported together, each with its
line in the .inp file (``SwmmImportError``, a ``UserError``).

Mapping (SI inside twin; US customary files are converted, 1 ft = 0.3048 m):

- [JUNCTIONS] -> junction nodes: invert as ``bed_level_m``; SWMM's minimum nodal surface
  area (option MIN_SURFAREA, default 12.566 ft2 = 1.167 m2, EPA SWMM 5.2 ``dynwave.c``) as
  ``surface_area_m2``. SWMM uses it as a floor on the node's area; twin adds it to the water
  surface of the reach ends, a difference of at most that area per node. Initial level:
  invert + initial depth, or, where that depth is 0, the mean depth of the connecting links
  at their initial flow (SWMM's ``initNodeDepths``). Maximum, surcharge depth and ponded
  area have no twin counterpart: twin does not flood nodes; the walls of a section continue
  vertically above its top.
- [STORAGE] -> storage nodes with a level-area table: TABULAR from the curve (extended to
  the maximum depth with SWMM's linear extrapolation), FUNCTIONAL A = A0 + A1 d^A2 and the
  SWMM 5.2 analytic shapes sampled at 21 depths. Areas are floored at the minimum surface
  area because a twin storage node never vanishes.
- [CONDUITS] + [XSECTIONS] -> reaches: length, Manning n, bed levels from the node inverts
  and the link offsets (DEPTH or ELEVATION, negative offsets raised to 0 as SWMM does), one
  cross-section placed at both ends; ``dx_m`` (argument) sets the computational spacing,
  default the conduit's length (one segment per conduit, as SWMM). Shapes: RECT_OPEN ->
  rectangular; TRAPEZOIDAL with equal side slopes and TRIANGULAR -> trapezoidal;
  TRAPEZOIDAL with unequal slopes -> irregular (exact polyline); PARABOLIC -> irregular
  polyline of 41 points (area within 0.1 % of the parabola, an approximation); IRREGULAR
  -> irregular from the [TRANSECTS] GR points with the left/channel/right n as panels and
  vertical walls to the highest point (as SWMM builds it). SWMM uses the transect's n for
  an IRREGULAR conduit and ignores the conduit's n; so does the import.
- [OUTFALLS] -> boundaries: FIXED -> level; TIDAL -> a level series from the curve repeated
  every day of the run (hour of day from the run's start, as SWMM's ``outfall.c``);
  TIMESERIES -> level series; FREE and NORMAL -> a rating curve Q(Z) at the end of the
  connected conduit: NORMAL from Manning's normal flow Q = K(h) S^(1/2), FREE from
  max(normal, critical) flow, which inverts SWMM's outfall depth min(y_normal, y_critical)
  (an approximation: SWMM sets the depth from the conduit's current flow each step; twin
  solves the rating with the network). A FREE/NORMAL outfall fed by a weir, orifice or pump
  becomes a fixed level at its invert plus the link's offset, as SWMM sets it.
- [WEIRS] TRANSVERSE and SIDEFLOW -> broad-crested weir with m = Cd / sqrt(2g), Cd in
  SI units (m^0.5/s; US Cd times sqrt(0.3048)). For TRANSVERSE this is exact
  (Q = Cd L H^1.5 = m L sqrt(2g) H^1.5); for SIDEFLOW (SWMM: Q = Cd L^0.83 H^(5/3)) it is
  an approximation. A gated weir becomes a sluice opened far above the water, which flows
  as the same weir in the positive direction only.
- [ORIFICES] SIDE/BOTTOM -> sluice with a fixed opening (RECT_CLOSED: height and width;
  CIRCULAR: a square of equal area, an approximation). twin's sluice law replaces SWMM's
  Cd A sqrt(2g h) (mu = 0.60 - 0.176 e/H); its weir coefficient for part-full flow is
  Cd / sqrt(2), which equals SWMM's part-full orifice flow (``orifice_getWeirCoeff``).
- [PUMPS] whose curve has a single flow (any of PUMP1-PUMP4 with equal flows) -> pump of
  that capacity, started and stopped at the startup and shutoff depths above the inlet
  invert, or always on/off by its status. Other curves and ideal pumps are errors.
- [INFLOWS] -> laterals at the nodes: Q(t) = (scale * series(t) + baseline) * units, with
  the baseline alone outside the series (SWMM returns 0 for a series outside its span).
  Pollutant CONCEN inflows become the laterals' concentrations.
- [POLLUTANTS] -> a twin species of the same name (on, nh3n, no3n, op, po4p, tn, tp,
  tracer; NH3/NH4, NO3, PO4 accepted), any other one pollutant -> the conservative
  ``tracer``. twin has no per-pollutant first-order decay: a decay rate is kept as a note.
- [OPTIONS] START/END date and time -> run period; ROUTING_STEP -> dt_s; REPORT_STEP ->
  output interval (rounded to whole time steps); FLOW_UNITS CFS, GPM, MGD, CMS, LPS, MLD.
- [COORDINATES], [VERTICES] -> node x/y (``xy_m``; ``lonlat`` when [MAP] UNITS DEGREES;
  feet converted) and reach geometry. [REPORT], [TAGS], [MAP], [SYMBOLS] ... are ignored.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError

from ..config.checks import check_model
from ..config.loader import LoadedConfig, issues_from_validation
from ..config.model import LIST_FIELDS, ModelConfig
from ..errors import ConfigIssue
from ..hydro.sections import irregular_table, shape_polyline
from ..quality.species import ALL_NAMES
from .swmm_inp import (
    UNITS_SI,
    UNITS_US,
    Conduit,
    InpModel,
    SwmmImportError,
    SwmmIssue,
    TimeSeries,
    XSection,
    at_hours,
    parse_date,
    parse_hours,
    parse_number,
    parse_seconds,
    read_inp_records,
)

__all__ = ["SwmmImportError", "SwmmIssue", "load_inp", "read_inp", "validate_document"]

G = 9.81
"""Gravity (m/s2), as twin's default ``run.hydro.gravity_m_s2``."""

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

SPECIES_ALIASES = {
    "on": "on", "orgn": "on", "nh3n": "nh3n", "nh3": "nh3n", "nh4": "nh3n", "nh4n": "nh3n",
    "no3n": "no3n", "no3": "no3n", "op": "op", "orgp": "op", "po4p": "po4p", "po4": "po4p",
    "tn": "tn", "tp": "tp", "tracer": "tracer",
}  # fmt: skip
"""Pollutant names (lower case, without '-', '_' and spaces) that map to a twin species."""

PARABOLA_POINTS = 41
STORAGE_SAMPLES = 21
RATING_POINTS = 41


# ============================================================================ API
def read_inp(path: str | Path, dx_m: float | None = None) -> dict:
    """The twin model config (plain data, TOML-serialisable) of a SWMM .inp file.

    Parameters
    ----------
    path : the .inp file.
    dx_m : target spacing of computational points along each conduit (m); default: the
        conduit's length, so each conduit is one segment as in SWMM.

    Raises SwmmImportError (a UserError) listing every problem with its line number.
    """
    return _convert(Path(path), dx_m).document


def load_inp(path: str | Path, dx_m: float | None = None) -> LoadedConfig:
    """Import a SWMM .inp file and validate it as a twin model (schema and cross-reference
    checks of ``twin.config``); returns the LoadedConfig that ``compile_network`` takes.

    Raises SwmmImportError naming the .inp line of every problem.
    """
    conv = _convert(Path(path), dx_m)
    return validate_document(conv.document, conv.path, conv.origins)


def validate_document(
    document: dict,
    path: str | Path,
    origins: dict[str, list[tuple[int, str]]] | None = None,
) -> LoadedConfig:
    """Validate a model config document (as a TOML model file would hold it) without a
    file: the pydantic schema, then ``twin.config.checks``.

    ``path`` names the source (relative paths resolve against its folder). ``origins``
    maps each list table to (line, section) per item, so problems are reported at the
    source lines; without it a ConfigError-like SwmmImportError names the config fields.
    """
    path = Path(path).resolve()
    origins = origins or {}
    try:
        model = ModelConfig.model_validate(document, context={"base_dir": path.parent})
    except ValidationError as exc:
        raise _located(path, issues_from_validation(path, exc), origins) from None
    if model.run is None:
        raise _located(
            path, [ConfigIssue(path, "run", "no [run] settings", "give start, end, dt_s")], origins
        )
    loaded = LoadedConfig(
        name=model.model.name,
        path=path,
        model=model,
        run=model.run,
        model_path=path,
        files=[path],
        origins={t: [(path, i) for i in range(len(getattr(model, t)))] for t in LIST_FIELDS},
    )
    issues = check_model(loaded)
    if issues:
        raise _located(path, issues, origins)
    return loaded


def _located(path: Path, issues: list[ConfigIssue], origins) -> SwmmImportError:
    """Config issues as SWMM issues at the .inp line of the item they concern."""
    out = []
    for issue in issues:
        line, section = 0, ""
        m = re.match(r"^(\w+)\[(\d+)\]", issue.field)
        if m and m.group(1) in origins and int(m.group(2)) < len(origins[m.group(1)]):
            line, section = origins[m.group(1)][int(m.group(2))]
        else:
            head = issue.field.split(".")[0].split("[")[0]
            if origins.get(head):
                line, section = origins[head][0]
        out.append(SwmmIssue(line, section, f"{issue.field}: {issue.message}", issue.fix))
    out.sort(key=lambda i: i.line)
    return SwmmImportError(path, out)


# ====================================================================== converter
@dataclass
class Conversion:
    """A converted model: the document, and per list table the (line, section) in the
    .inp file of each item."""

    path: Path
    document: dict
    origins: dict[str, list[tuple[int, str]]]
    notes: list[str] = field(default_factory=list)


def _convert(path: Path, dx_m: float | None) -> Conversion:
    if dx_m is not None and not (dx_m > 0):
        raise ValueError(f"dx_m must be > 0, got {dx_m}")
    inp, issues = read_inp_records(path)
    if issues:
        raise SwmmImportError(path, sorted(issues, key=lambda i: i.line))
    conv = _Converter(inp, dx_m)
    conv.run()
    if conv.issues:
        conv.issues.sort(key=lambda i: i.line)
        raise SwmmImportError(path, conv.issues)
    document = conv.document()
    return Conversion(path, document, conv.origins, conv.notes)


@dataclass
class _Geometry:
    """A section shape for hydraulic computations: stations and elevations relative to its
    lowest point (m), panel breaks and their Manning n, full depth (m)."""

    station: np.ndarray
    rel: np.ndarray
    breaks: list[float]
    n: list[float]
    full_depth: float
    _table: tuple | None = None

    def props(self, depths: np.ndarray):
        """(area m2, top width m, conveyance m3/s) at depths (m) above the lowest point."""
        return irregular_table(self.station, self.rel, self.breaks, self.n, np.asarray(depths))

    def table(self):
        """(depth, conveyance, critical flow A sqrt(gA/T)) on 801 depths up to 8 times the
        full depth, both flows made non-decreasing for inversion."""
        if self._table is None:
            h = np.linspace(0.0, 8.0 * max(self.full_depth, 0.5), 801)
            a, w, k = self.props(h)
            with np.errstate(divide="ignore", invalid="ignore"):
                qc = np.where(w > 0, a * np.sqrt(G * a / np.where(w > 0, w, 1.0)), 0.0)
            self._table = (h, np.maximum.accumulate(k), np.maximum.accumulate(qc))
        return self._table

    def normal_depth(self, q: float, slope: float) -> float:
        """Depth (m) of uniform flow q (m3/s) at bed slope ``slope``: K(h) sqrt(S) = q,
        interpolated in the conveyance table."""
        if q <= 0 or slope <= 0:
            return 0.0
        h, k, _ = self.table()
        return float(np.interp(q / math.sqrt(slope), k, h))

    def critical_depth(self, q: float) -> float:
        """Depth (m) of critical flow q (m3/s): A sqrt(g A / T) = q."""
        if q <= 0:
            return 0.0
        h, _, qc = self.table()
        return float(np.interp(q, qc, h))


class _Converter:
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
        self.geometries: dict[str, _Geometry] = {}
        self.section_ids: dict[tuple, str] = {}
        self.node_elev: dict[str, float] = {}
        self.link_nodes: dict[str, tuple[str, str]] = {}
        self.node_links: dict[str, list[str]] = {}
        self.species: dict[str, str] = {}
        self.lateral_at: dict[str, dict] = {}
        self.outfall_initial: dict[str, float] = {}
        self.pollutant_factor: dict[str, float] = {}
        self.pending_quality: list = []
        self.geo_cache: dict[tuple, _Geometry] = {}
        self.conduit_geo: dict[str, tuple[_Geometry, float]] | None = None

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

    def length(self, value: float) -> float:
        return value * self.L

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
            if link not in inp.link_names:
                self.error(
                    xs.line,
                    "XSECTIONS",
                    f"link '{link}' is not defined",
                    "remove the line or declare the link",
                )
        for link, loss in inp.losses.items():
            if link not in inp.link_names:
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
            if name not in inp.link_names:
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
                a0, a1, a2 = _analytic_storage(s.shape, p1, p2, p3)
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

    def conduit_geometry(self) -> dict[str, tuple[_Geometry, float]]:
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

    def geometry(self, xs: XSection, c: Conduit) -> _Geometry | None:
        """The hydraulic shape of a conduit's cross-section (None if not importable)."""
        key = (xs.shape, xs.geom, xs.transect, c.roughness)
        if key not in self.geo_cache:
            self.geo_cache[key] = self._geometry(xs, c)
        return self.geo_cache[key]

    def _geometry(self, xs: XSection, c: Conduit) -> _Geometry | None:
        if xs.shape not in OPEN_SHAPES or xs.barrels != 1:
            return None
        g = [v * self.L for v in xs.geom]
        n = c.roughness
        if xs.shape == "RECT_OPEN":
            st, rel = shape_polyline("rectangular", width_m=g[1], height_m=g[0])
            return _Geometry(st, rel, [], [n], g[0])
        if xs.shape == "TRIANGULAR":
            st, rel = shape_polyline(
                "trapezoidal", bottom_width_m=0.0, side_slope=g[1] / (2 * g[0]), height_m=g[0]
            )
            return _Geometry(st, rel, [], [n], g[0])
        if xs.shape == "TRAPEZOIDAL":
            st, rel = _trapezoid(g[0], g[1], xs.geom[2], xs.geom[3])
            return _Geometry(st, rel, [], [n], g[0])
        if xs.shape == "PARABOLIC":
            st, rel = _parabola(g[0], g[1])
            return _Geometry(st, rel, [], [n], g[0])
        if xs.shape == "IRREGULAR":
            tr = self.inp.transects.get(xs.transect)
            if tr is None or len(tr.stations) < 2 or max(tr.elevations) <= min(tr.elevations):
                return None
            st, el, breaks, pn = self.transect_polyline(tr)
            rel = np.asarray(el) - min(el)
            return _Geometry(np.asarray(st), rel, breaks, pn, float(rel.max()))
        return None

    def transect_polyline(self, tr):
        """(stations m, elevations m, panel breaks, panel n) of a transect, with vertical
        walls up to its highest point at both ends (as SWMM's transect.c)."""
        st = [x * tr.station_factor * self.L for x in tr.stations]
        el = [(y + tr.elev_offset) * self.L for y in tr.elevations]
        top = max(el)
        if el[0] < top:
            st.insert(0, st[0])
            el.insert(0, top)
        if el[-1] < top:
            st.append(st[-1])
            el.append(top)
        xl = tr.x_left * tr.station_factor * self.L
        xr = tr.x_right * tr.station_factor * self.L
        if tr.n_left == tr.n_channel == tr.n_right:
            return st, el, [], [tr.n_channel]
        if xl < xr:
            return st, el, [xl, xr], [tr.n_left, tr.n_channel, tr.n_right]
        return st, el, [xl], [tr.n_left, tr.n_right]

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
                st, rel = _trapezoid(gl[0], gl[1], g[2], g[3])
                item = {"shape": "irregular", "station_m": list(st), "elevation_m": list(rel),
                        "note": "SWMM TRAPEZOIDAL with unequal side slopes, as a polyline"}  # fmt: skip
        elif xs.shape == "PARABOLIC":
            key = ("parab", gl[0], gl[1])
            st, rel = _parabola(gl[0], gl[1])
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
                st, el, breaks, pn = self.transect_polyline(tr)
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

    # ------------------------------------------------------------------ outfalls
    def outfalls(self) -> None:
        for o in self.inp.outfalls.values():
            nid = self.ids["nodes"][o.name]
            links = self.node_links.get(o.name, [])
            src = self.source(o.line, "OUTFALLS", o.name)
            if o.route_to:
                self.error(
                    o.line,
                    "OUTFALLS",
                    f"outfall '{o.name}': routing onto subcatchment '{o.route_to}' is not supported",
                    "remove the RouteTo name",
                )
                continue
            if o.gated and o.kind in ("FIXED", "TIDAL", "TIMESERIES"):
                self.error(
                    o.line,
                    "OUTFALLS",
                    f"outfall '{o.name}': a flap gate on a {o.kind} outfall is not supported (twin's level boundaries let water flow back)",
                    "set Gated to NO",
                )
                continue
            item: dict[str, Any] = {"id": "outfall_" + nid, "node": nid, "source": src}
            if o.kind == "FIXED":
                item.update(kind="level", level_m=o.stage * self.L)
            elif o.kind == "TIMESERIES":
                sid = self.stage_series(o)
                if sid is None:
                    continue
                item.update(kind="level", level_m=sid)
            elif o.kind == "TIDAL":
                sid = self.tidal_series(o)
                if sid is None:
                    continue
                item.update(kind="level", level_m=sid)
            else:
                rating = self.rating(o, links)
                if rating is None:
                    continue
                item.update(rating)
            self.add("boundaries", item, o.line, "OUTFALLS")

    def rating(self, o, links: list[str]) -> dict | None:
        if len(links) != 1:
            self.error(
                o.line,
                "OUTFALLS",
                f"outfall '{o.name}' is connected to {len(links)} links; SWMM allows exactly one",
                "connect one link",
            )
            return None
        link = links[0]
        c = self.inp.conduits.get(link)
        geo = self.conduit_geometry().get(link)
        if c is None or geo is None:
            # Weir, orifice or pump: SWMM sets the outfall depth to the link's offset.
            lk = self.inp.weirs.get(link) or self.inp.orifices.get(link)
            z = 0.0
            if lk is not None:
                z = self.crest(lk, lk.offset) - self.node_elev[lk.node1]
            level = self.node_elev[o.name] + z
            return {"kind": "level", "level_m": level,
                    "note": f"SWMM {o.kind} outfall fed by a non-conduit link: a fixed level at its invert + offset"}  # fmt: skip
        shape, slope = geo
        end = 1 if c.node2 == o.name else 0
        bed = self.node_elev[o.name] + self.offsets(c)[end]
        top = max(2.0 * shape.full_depth, 2.0)
        depths = top * (np.linspace(0.0, 1.0, RATING_POINTS) ** 1.5)
        area, width, conv = shape.props(depths)
        q = conv * math.sqrt(slope)
        if o.kind == "FREE":
            with np.errstate(divide="ignore", invalid="ignore"):
                qc = np.where(
                    width > 0, area * np.sqrt(G * area / np.where(width > 0, width, 1.0)), 0.0
                )
            q = np.maximum(q, qc)
        q = np.maximum.accumulate(np.maximum(q, 0.0))
        q[0] = 0.0
        how = "max(normal, critical) flow" if o.kind == "FREE" else "normal flow"
        init = bed
        if c.init_flow:
            y = shape.normal_depth(abs(c.init_flow) * self.Q, slope)
            if o.kind == "FREE":
                y = min(y, shape.critical_depth(abs(c.init_flow) * self.Q))
            init = bed + y
        self.outfall_initial[self.ids["nodes"][o.name]] = init
        return {
            "kind": "rating",
            "level_m": [float(bed + d) for d in depths],
            "discharge_m3s": [float(v) for v in q],
            "note": f"SWMM {o.kind} outfall as a rating of {how} in conduit '{c.name}' "
            f"(slope {slope:.3g}); SWMM sets the outfall depth from the conduit's flow each step",
        }

    def series_points(self, ts: TimeSeries) -> list[tuple[datetime, float]] | None:
        """Absolute (time, value) samples of a SWMM series; relative times count from the
        simulation start."""
        pts = []
        for day, hours, value in ts.samples:
            if day is None:
                t = self.start + timedelta(milliseconds=round(hours * 3_600_000.0))
            else:
                t = at_hours(day, hours)
            pts.append((t, value))
        if not pts:
            self.error(
                ts.line,
                "TIMESERIES",
                f"time series '{ts.name}' has no data",
                "give times and values",
            )
            return None
        if any(b[0] <= a[0] for a, b in itertools.pairwise(pts)):
            self.error(
                ts.line,
                "TIMESERIES",
                f"time series '{ts.name}': times are not increasing",
                "sort the samples by time",
            )
            return None
        return pts

    def add_series(self, hint: str, pts, units: str, where: tuple[int, str, str], note: str) -> str:
        """Add a twin time series named after ``hint``; ``where`` is the (line, section,
        SWMM name) it comes from."""
        sid = self.ident("timeseries", hint)
        line, section, name = where
        self.add("timeseries", {
            "id": sid, "units": units,
            "times": [t for t, _ in pts], "values": [float(v) for _, v in pts],
            "source": self.source(line, section, name), "note": note,
        }, line, section)  # fmt: skip
        return sid

    def stage_series(self, o) -> str | None:
        ts = self.inp.timeseries.get(o.ref)
        if ts is None:
            self.error(
                o.line,
                "OUTFALLS",
                f"outfall '{o.name}': time series '{o.ref}' is not defined",
                "declare it in [TIMESERIES]",
            )
            return None
        pts = self.series_points(ts)
        if pts is None:
            return None
        # SWMM holds a stage series' end values beyond its span (extend = TRUE).
        if pts[0][0] > self.start:
            pts.insert(0, (self.start, pts[0][1]))
        if pts[-1][0] < self.end:
            pts.append((self.end, pts[-1][1]))
        pts = [(t, v * self.L) for t, v in pts]
        return self.add_series(
            f"stage_{o.name}", pts, "m", (ts.line, "TIMESERIES", ts.name),
            f"stage of outfall {o.name} from SWMM series {ts.name}",
        )  # fmt: skip

    def tidal_series(self, o) -> str | None:
        curve = self.inp.curves.get(o.ref)
        if curve is None or curve.kind != "TIDAL" or not curve.x:
            self.error(
                o.line,
                "OUTFALLS",
                f"outfall '{o.name}': TIDAL curve '{o.ref}' is not defined",
                "declare it in [CURVES] with type TIDAL",
            )
            return None
        x, y = curve.x, curve.y
        if any(b <= a for a, b in itertools.pairwise(x)):
            self.error(
                curve.line,
                "CURVES",
                f"tidal curve '{curve.name}': hours must increase",
                "sort the points",
            )
            return None

        def stage(hour_of_day: float) -> float:
            # SWMM: table_lookup(curve, x0 + hours since start mod 24), ends held.
            return float(np.interp(x[0] + hour_of_day, x, y))

        offsets = sorted({xi - x[0] for xi in x if 0.0 <= xi - x[0] < 24.0} | {0.0})
        pts: list[tuple[datetime, float]] = []
        days = math.ceil((self.end - self.start).total_seconds() / 86400.0) + 1
        for k in range(days):
            day0 = self.start + timedelta(days=k)
            for h in offsets:
                pts.append((day0 + timedelta(hours=h), stage(h)))
            pts.append(
                (day0 + timedelta(hours=24) - timedelta(seconds=1), stage(24.0 - 1.0 / 3600.0))
            )
        pts = [(t, v * self.L) for t, v in pts]
        return self.add_series(
            f"tide_{o.name}", pts, "m", (curve.line, "CURVES", curve.name),
            f"SWMM tidal curve {curve.name} repeated every day from the run's start",
        )  # fmt: skip

    # ------------------------------------------------------------------- inflows
    def inflows(self) -> None:
        inp = self.inp
        flows = [f for f in inp.inflows if f.constituent == "FLOW"]
        quals = [f for f in inp.inflows if f.constituent != "FLOW"]
        for f in flows:
            if f.node not in inp.node_names:
                self.error(f.line, "INFLOWS", f"node '{f.node}' is not defined", "name a node")
                continue
            if f.pattern:
                self.error(
                    f.line,
                    "INFLOWS",
                    f"inflow at '{f.node}': baseline time patterns are not supported",
                    "remove the pattern",
                )
                continue
            value = self.inflow_value(f, self.Q, f"inflow_{f.node}", "m3 s-1")
            if value is None:
                continue
            lid = self.ident("laterals", f"inflow_{f.node}")
            item = {"id": lid, "node": self.ids["nodes"][f.node], "discharge_m3s": value,
                    "source": self.source(f.line, "INFLOWS", f.node)}  # fmt: skip
            self.add("laterals", item, f.line, "INFLOWS")
            self.lateral_at[f.node] = self.tables["laterals"][-1]
        self.pending_quality = quals

    def inflow_value(self, f, factor: float, hint: str, units: str):
        """A constant or the id of a series: factor * (scale * series(t) + baseline), the
        baseline alone outside the series' span (SWMM returns 0 there)."""
        if f.series is None:
            return f.baseline * factor
        ts = self.inp.timeseries.get(f.series)
        if ts is None:
            self.error(
                f.line,
                "INFLOWS",
                f"time series '{f.series}' is not defined",
                "declare it in [TIMESERIES]",
            )
            return None
        pts = self.series_points(ts)
        if pts is None:
            return None
        base = f.baseline * factor
        out = [(t, factor * (f.scale * v + f.baseline)) for t, v in pts]
        eps = timedelta(seconds=1)
        if out[0][0] > self.start:
            head = [(self.start, base)]
            if out[0][0] - eps > self.start:
                head.append((out[0][0] - eps, base))
            out = head + out
        if out[-1][0] < self.end:
            tail = []
            if out[-1][0] + eps < self.end:
                tail.append((out[-1][0] + eps, base))
            tail.append((self.end, base))
            out = out + tail
        return self.add_series(
            hint, out, units, (f.line, "INFLOWS", f.node),
            f"SWMM inflow {f.constituent} at {f.node}: series {ts.name} "
            f"x {f.scale:g} + baseline {f.baseline:g}",
        )  # fmt: skip

    # ------------------------------------------------------------------- quality
    def pollution(self) -> None:
        inp = self.inp
        ignore = self.option("IGNORE_QUALITY")
        enabled = bool(inp.pollutants) and not (ignore and ignore.value.upper() == "YES")
        initial: dict[str, float] = {}
        tracer_used = None
        for p in inp.pollutants.values():
            key = re.sub(r"[-_\s]", "", p.name.lower())
            sp = SPECIES_ALIASES.get(key)
            if sp is None:
                if tracer_used is not None:
                    self.error(
                        p.line,
                        "POLLUTANTS",
                        f"pollutant '{p.name}': only one pollutant can become the twin tracer ('{tracer_used}' already is)",
                        "name pollutants after twin species: " + ", ".join(ALL_NAMES),
                    )
                    continue
                tracer_used, sp = p.name, "tracer"
            if sp in self.species.values():
                self.error(
                    p.line,
                    "POLLUTANTS",
                    f"pollutant '{p.name}' maps to twin species '{sp}' like another pollutant",
                    "rename one",
                )
                continue
            if p.units == "#/L":
                self.error(
                    p.line,
                    "POLLUTANTS",
                    f"pollutant '{p.name}' is in counts (#/L); twin species are in mg/L",
                    "use MG/L or UG/L",
                )
                continue
            self.species[p.name] = sp
            f = 1e-3 if p.units == "UG/L" else 1.0
            self.pollutant_factor[p.name] = f
            if p.c_init > 0:
                initial[sp] = p.c_init * f
            if p.decay_per_day > 0:
                self.note(
                    f"pollutant {p.name} -> twin '{sp}': its first-order decay "
                    f"({p.decay_per_day:g} 1/d) is not represented (twin has no per-pollutant decay)."
                )
            elif sp == "tracer":
                self.note(f"pollutant {p.name} -> twin 'tracer' (conservative).")
            if p.co_pollutant:
                self.note(
                    f"pollutant {p.name}: co-pollutant {p.co_pollutant} ignored (runoff only)."
                )
        for f in self.pending_quality:
            if f.constituent not in inp.pollutants:
                self.error(
                    f.line,
                    "INFLOWS",
                    f"'{f.constituent}' is neither FLOW nor a pollutant",
                    "declare it in [POLLUTANTS]",
                )
                continue
            if f.constituent not in self.species:
                continue
            if f.kind == "MASS":
                self.error(
                    f.line,
                    "INFLOWS",
                    f"MASS inflow of {f.constituent} at '{f.node}' is not supported",
                    "give it as CONCEN with the concentration",
                )
                continue
            if f.pattern:
                self.error(
                    f.line,
                    "INFLOWS",
                    f"inflow at '{f.node}': baseline time patterns are not supported",
                    "remove the pattern",
                )
                continue
            lateral = self.lateral_at.get(f.node)
            if lateral is None:
                self.note(
                    f"concentration inflow of {f.constituent} at {f.node} ignored: no FLOW inflow there carries it (SWMM adds no mass either)."
                )
                continue
            sp = self.species[f.constituent]
            value = self.inflow_value(
                f, self.pollutant_factor[f.constituent], f"conc_{sp}_{f.node}", "mg L-1"
            )
            if value is not None:
                lateral.setdefault("concentrations", {})[sp] = value
        self.quality_table = {"enabled": enabled}
        if enabled:
            self.quality_table["initial_mg_l"] = initial
            self.quality_table["temperature_c"] = 20.0
            self.note("Water temperature for the kinetics set to 20 C (assumed; SWMM has none).")

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


# ------------------------------------------------------------------- geometry
def _trapezoid(h: float, b: float, s_left: float, s_right: float):
    """(station, elevation above bed) of a trapezoid of height h, bottom width b and side
    slopes (run per rise) on the left and right."""
    st = [0.0, s_left * h, s_left * h + b, s_left * h + b + s_right * h]
    el = [h, 0.0, 0.0, h]
    if b == 0:
        st, el = [st[0], st[1], st[3]], [h, 0.0, h]
    return np.array(st), np.array(el)


def _parabola(h: float, top_width: float):
    """A parabolic channel y = h (2x/W)^2 as a polyline of PARABOLA_POINTS points."""
    x = np.linspace(-0.5 * top_width, 0.5 * top_width, PARABOLA_POINTS)
    return x - x[0], h * (2.0 * x / top_width) ** 2


def _analytic_storage(shape: str, p1: float, p2: float, p3: float) -> tuple[float, float, float]:
    """(a0, a1, a2) of A = a0 + a1 d + a2 d^2 for SWMM 5.2's storage shapes (node.c)."""
    if shape == "CYLINDRICAL":
        return math.pi * p1 / 2 * p2 / 2, 0.0, 0.0
    if shape == "CONICAL":
        a, b, z = p1 / 2, p2 / 2, p3
        return math.pi * a * b, 2 * math.pi * b * z, math.pi * b / a * z * z
    if shape == "PARABOLIC":
        a, b, z = p1 / 2, p2 / 2, p3
        return 0.0, math.pi * a * b / z, 0.0
    # PYRAMIDAL
    return p1 * p2, 2 * (p1 + p2) * p3, 4 * p3 * p3
