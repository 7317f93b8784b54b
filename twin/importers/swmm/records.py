"""The records of a SWMM 5 input file as parsed, in the file's own units: one dataclass per
section row, the sections the importer reads, ignores or refuses, and the problems found
(``twin.importers.swmm.inp`` reads them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ...errors import UserError

# ----------------------------------------------------------------------- sections
SUPPORTED = (
    "TITLE", "OPTIONS", "EVAPORATION", "JUNCTIONS", "OUTFALLS", "STORAGE", "CONDUITS",
    "PUMPS", "ORIFICES", "WEIRS", "XSECTIONS", "TRANSECTS", "LOSSES", "CURVES",
    "TIMESERIES", "INFLOWS", "POLLUTANTS", "COORDINATES", "VERTICES", "MAP",
)  # fmt: skip
"""Sections read by the importer ([EVAPORATION] only as a constant zero rate, [MAP] only for
its UNITS line)."""

IGNORED = ("REPORT", "TAGS", "SYMBOLS", "LABELS", "BACKDROP", "POLYGONS", "PROFILES")
"""Sections about reporting and drawing only: they do not change the hydraulics."""

UNSUPPORTED = {
    "FILES": "interface and hot-start files",
    "RAINGAGES": "rain gages (runoff)",
    "TEMPERATURE": "air temperature and snowmelt data",
    "ADJUSTMENTS": "monthly climate adjustments",
    "SUBCATCHMENTS": "subcatchments (runoff)",
    "SUBAREAS": "subcatchment sub-areas (runoff)",
    "INFILTRATION": "subcatchment infiltration (runoff)",
    "AQUIFERS": "groundwater aquifers",
    "GROUNDWATER": "groundwater",
    "GWF": "groundwater flow equations",
    "SNOWPACKS": "snow packs",
    "LID_CONTROLS": "low-impact development controls",
    "LID_USAGE": "low-impact development usage",
    "DIVIDERS": "flow divider nodes",
    "OUTLETS": "outlet links (rating-curve regulators)",
    "CONTROLS": "control rules",
    "LANDUSES": "land uses (pollutant build-up)",
    "BUILDUP": "pollutant build-up",
    "WASHOFF": "pollutant wash-off",
    "COVERAGES": "land-use coverages",
    "LOADINGS": "initial pollutant loadings",
    "TREATMENT": "treatment functions",
    "DWF": "dry-weather inflows",
    "PATTERNS": "time patterns",
    "RDII": "rainfall-dependent infiltration/inflow",
    "HYDROGRAPHS": "unit hydrographs (RDII)",
    "EVENTS": "routing event periods",
    "STREETS": "street cross-sections",
    "INLETS": "storm-drain inlets",
    "INLET_USAGE": "storm-drain inlet usage",
}
"""Sections outside the open-channel subset, with what they hold."""

UNITS_US = ("CFS", "GPM", "MGD")
UNITS_SI = ("CMS", "LPS", "MLD")

OPTION_KEYS = (
    "FLOW_UNITS", "INFILTRATION", "FLOW_ROUTING", "LINK_OFFSETS", "FORCE_MAIN_EQUATION",
    "IGNORE_RAINFALL", "IGNORE_SNOWMELT", "IGNORE_GROUNDWATER", "IGNORE_RDII",
    "IGNORE_ROUTING", "IGNORE_QUALITY", "ALLOW_PONDING", "SKIP_STEADY_STATE",
    "SYS_FLOW_TOL", "LAT_FLOW_TOL", "START_DATE", "START_TIME", "END_DATE", "END_TIME",
    "REPORT_START_DATE", "REPORT_START_TIME", "SWEEP_START", "SWEEP_END", "DRY_DAYS",
    "WET_STEP", "DRY_STEP", "ROUTING_STEP", "RULE_STEP", "REPORT_STEP", "INERTIAL_DAMPING",
    "NORMAL_FLOW_LIMITED", "SURCHARGE_METHOD", "VARIABLE_STEP", "LENGTHENING_STEP",
    "MIN_SURFAREA", "MIN_SLOPE", "MAX_TRIALS", "HEAD_TOLERANCE", "MINIMUM_STEP", "THREADS",
    "COMPATIBILITY", "SLOPE_WEIGHTING", "TEMPDIR",
)  # fmt: skip
"""Option keywords of SWMM 5.2 ([OPTIONS]); any other keyword is an error, as in SWMM."""

CURVE_TYPES = (
    "STORAGE", "DIVERSION", "TIDAL", "RATING", "CONTROL", "SHAPE", "WEIR",
    "PUMP1", "PUMP2", "PUMP3", "PUMP4", "PUMP5",
)  # fmt: skip


# ------------------------------------------------------------------------- errors
@dataclass(frozen=True)
class SwmmIssue:
    """One problem in a SWMM input file: its line (0 when it concerns the whole file), the
    section, what is wrong and what would fix it."""

    line: int
    section: str
    message: str
    fix: str = ""

    def format(self, path: Path | None) -> str:
        where = f"{path}" if path is not None else "<inp>"
        if self.line > 0:
            where += f", line {self.line}"
        if self.section:
            where += f" [{self.section}]"
        text = f"{where}: {self.message}"
        if self.fix:
            text += f" -> {self.fix}"
        return text


class SwmmImportError(UserError):
    """The SWMM file cannot be imported: every problem found, each with its line number.

    ``path`` is the .inp file, ``issues`` the problems; ``line`` is the line of the first.
    """

    MAX_LISTED = 30

    def __init__(self, path: Path | None, issues: list[SwmmIssue]):
        self.path = path
        self.issues = list(issues)
        self.line = self.issues[0].line if self.issues else 0
        n = len(self.issues)
        head = f"cannot import the SWMM file: {n} problem{'s' if n != 1 else ''}"
        body = ["  - " + i.format(path) for i in self.issues[: self.MAX_LISTED]]
        if n > self.MAX_LISTED:
            body.append(f"  ... and {n - self.MAX_LISTED} more")
        super().__init__("\n".join([head, *body]))


# ------------------------------------------------------------------------ records
@dataclass
class Line:
    """A data line: its number in the file (1-based), its tokens, its text."""

    lineno: int
    tokens: list[str]
    text: str


@dataclass
class Junction:
    name: str
    elev: float
    max_depth: float
    init_depth: float
    sur_depth: float
    ponded_area: float
    line: int


@dataclass
class Outfall:
    name: str
    elev: float
    kind: str  # FREE, NORMAL, FIXED, TIDAL, TIMESERIES
    stage: float | None  # FIXED
    ref: str | None  # TIDAL curve or TIMESERIES series
    gated: bool
    route_to: str | None
    line: int


@dataclass
class Storage:
    name: str
    elev: float
    max_depth: float
    init_depth: float
    shape: str  # TABULAR, FUNCTIONAL, CYLINDRICAL, CONICAL, PARABOLIC, PYRAMIDAL
    curve: str | None
    params: tuple[float, float, float]
    sur_depth: float
    evap_factor: float
    seepage: tuple[float, ...]
    line: int


@dataclass
class Conduit:
    name: str
    node1: str
    node2: str
    length: float
    roughness: float
    offset1: float | None  # None: '*' with ELEVATION offsets (the node invert)
    offset2: float | None
    init_flow: float
    max_flow: float
    line: int


@dataclass
class Pump:
    name: str
    node1: str
    node2: str
    curve: str | None  # None: ideal pump ('*')
    status_on: bool
    startup: float
    shutoff: float
    line: int


@dataclass
class Orifice:
    name: str
    node1: str
    node2: str
    kind: str  # SIDE, BOTTOM
    offset: float | None
    cd: float
    gated: bool
    open_time_h: float
    line: int


@dataclass
class Weir:
    name: str
    node1: str
    node2: str
    kind: str  # TRANSVERSE, SIDEFLOW, V-NOTCH, TRAPEZOIDAL, ROADWAY
    offset: float | None
    cd: float
    gated: bool
    end_contractions: float
    cd2: float
    can_surcharge: bool
    coeff_curve: str | None
    line: int


@dataclass
class XSection:
    link: str
    shape: str
    geom: tuple[float, float, float, float]
    barrels: int
    culvert: int
    transect: str | None
    curve: str | None
    line: int


@dataclass
class Loss:
    link: str
    k_entry: float
    k_exit: float
    k_avg: float
    flap: bool
    seepage: float
    line: int


@dataclass
class Transect:
    """An HEC-2 style transect: GR pairs (elevation, station), bank stations, three Manning
    n (left overbank, right overbank, channel) and the X1 modifiers."""

    name: str
    n_left: float
    n_right: float
    n_channel: float
    x_left: float
    x_right: float
    length_factor: float
    station_factor: float
    elev_offset: float
    stations: list[float] = field(default_factory=list)
    elevations: list[float] = field(default_factory=list)
    line: int = 0


@dataclass
class Curve:
    name: str
    kind: str
    x: list[float]
    y: list[float]
    line: int


@dataclass
class TimeSeries:
    """Samples (day or None, hours, value): with a day, hours are from that day's midnight;
    without, hours are elapsed from the simulation start. ``file``: external file read."""

    name: str
    samples: list[tuple[date | None, float, float]]
    line: int
    file: Path | None = None


@dataclass
class Inflow:
    node: str
    constituent: str  # FLOW or a pollutant name
    series: str | None
    kind: str  # FLOW, CONCEN, MASS
    mass_factor: float
    scale: float
    baseline: float
    pattern: str | None
    line: int


@dataclass
class Pollutant:
    name: str
    units: str  # MG/L, UG/L, #/L
    c_rain: float
    c_gw: float
    c_rdii: float
    decay_per_day: float
    snow_only: bool
    co_pollutant: str | None
    co_fraction: float
    c_dwf: float
    c_init: float
    line: int


@dataclass
class Option:
    value: str
    line: int


@dataclass
class InpModel:
    """Everything read from the file, keyed by SWMM name where the object has one."""

    path: Path
    title: list[str] = field(default_factory=list)
    options: dict[str, Option] = field(default_factory=dict)
    junctions: dict[str, Junction] = field(default_factory=dict)
    outfalls: dict[str, Outfall] = field(default_factory=dict)
    storages: dict[str, Storage] = field(default_factory=dict)
    conduits: dict[str, Conduit] = field(default_factory=dict)
    pumps: dict[str, Pump] = field(default_factory=dict)
    orifices: dict[str, Orifice] = field(default_factory=dict)
    weirs: dict[str, Weir] = field(default_factory=dict)
    xsections: dict[str, XSection] = field(default_factory=dict)
    losses: dict[str, Loss] = field(default_factory=dict)
    transects: dict[str, Transect] = field(default_factory=dict)
    curves: dict[str, Curve] = field(default_factory=dict)
    timeseries: dict[str, TimeSeries] = field(default_factory=dict)
    inflows: list[Inflow] = field(default_factory=list)
    pollutants: dict[str, Pollutant] = field(default_factory=dict)
    coordinates: dict[str, tuple[float, float]] = field(default_factory=dict)
    vertices: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    map_units: str | None = None
    section_lines: dict[str, int] = field(default_factory=dict)

    @property
    def node_names(self) -> set[str]:
        return set(self.junctions) | set(self.outfalls) | set(self.storages)

    @property
    def link_names(self) -> set[str]:
        return set(self.conduits) | set(self.pumps) | set(self.orifices) | set(self.weirs)
