"""Reading an EPA SWMM 5 input file (.inp) into plain records, in the file's own units.

The format follows the SWMM 5.2 reference (Rossman 2022, EPA SWMM Reference Manual, vol. I,
appendix D "Input file format") and its reader (``input.c``, ``node.c``, ``link.c``,
``table.c``, ``transect.c``, ``datetime.c`` of the EPA source): sections in square brackets,
whitespace-separated tokens, ``;`` starts a comment, names with spaces in double quotes.
Only the sections of the open-channel subset that ``twin.importers.swmm.importer`` maps are parsed into
records; every other section is listed in ``UNSUPPORTED`` and turned into an error there.
Nothing here converts units or knows the twin schema.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
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


# ------------------------------------------------------------------------ lexing
def tokenize(text: str) -> list[str]:
    """Split a line into tokens: whitespace separates, double quotes group (a pair of
    quotes is an empty token), ``;`` outside quotes starts a comment."""
    if '"' not in text:
        return text.split(";", 1)[0].split()
    tokens: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == ";":
            break
        if c.isspace():
            i += 1
            continue
        if c == '"':
            j = text.find('"', i + 1)
            if j < 0:
                j = n
            tokens.append(text[i + 1 : j])
            i = j + 1
            continue
        j = i
        while j < n and not text[j].isspace() and text[j] != ";":
            j += 1
        tokens.append(text[i:j])
        i = j
    return tokens


def read_sections(path: Path) -> tuple[dict[str, list[Line]], dict[str, int], list[SwmmIssue]]:
    """Lines of the file grouped by section (upper-case name without brackets), the line
    number of each section header, and problems found on the way."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SwmmImportError(
            path, [SwmmIssue(0, "", "file not found", "check the path")]
        ) from None
    except OSError as exc:
        raise SwmmImportError(
            path, [SwmmIssue(0, "", f"cannot read the file: {exc.strerror}")]
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # SWMM files written on Windows are often in a single-byte code page.
        text = raw.decode("latin-1")
    sections: dict[str, list[Line]] = {}
    headers: dict[str, int] = {}
    issues: list[SwmmIssue] = []
    current: str | None = None
    for lineno, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            end = stripped.find("]")
            if end < 0:
                issues.append(
                    SwmmIssue(
                        lineno, "", f"malformed section header '{stripped}'", "close it with ']'"
                    )
                )
                current = None
                continue
            # A section may appear more than once (SWMM reads them in turn).
            current = stripped[1:end].strip().upper()
            headers.setdefault(current, lineno)
            sections.setdefault(current, [])
            continue
        if current == "TITLE":
            if stripped and not stripped.startswith(";;"):
                sections[current].append(Line(lineno, [stripped], line))
            continue
        tokens = tokenize(line)
        if not tokens:
            continue
        if current is None:
            issues.append(
                SwmmIssue(
                    lineno, "", "data before the first section header", "start with e.g. [TITLE]"
                )
            )
            continue
        sections[current].append(Line(lineno, tokens, line))
    return sections, headers, issues


# --------------------------------------------------------------- numbers and times
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def parse_number(token: str) -> float | None:
    """A finite decimal number, or None (SWMM's getDouble, without C's leniency)."""
    if not _NUMBER.match(token):
        return None
    return float(token)


_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def parse_date(token: str) -> date | None:
    """A SWMM date: month/day/year ('/' or '-' separated, month as a number or its
    three-letter English name) or year-month-day with a four-digit year first."""
    if "/" not in token and "-" not in token:
        return None
    parts = re.split(r"[/-]", token)
    if len(parts) != 3:
        return None
    try:
        if len(parts[0]) == 4 and parts[0].isdigit():
            y, m, d = int(parts[0]), _month(parts[1]), int(parts[2])
        else:
            m, d, y = _month(parts[0]), int(parts[1]), int(parts[2])
        return date(y, m, d)
    except ValueError:
        return None


def _month(text: str) -> int:
    if text.isdigit():
        return int(text)
    upper = text[:3].upper()
    if upper in _MONTHS:
        return _MONTHS.index(upper) + 1
    raise ValueError(text)


def parse_hours(token: str) -> float | None:
    """A SWMM time as hours: decimal hours, or hours:minutes[:seconds] (hours may exceed
    23, as in elapsed times of a time series)."""
    value = parse_number(token)
    if value is not None:
        return value
    m = re.match(r"^(\d+)(?::(\d+))?(?::(\d+))?$", token)
    if not m:
        return None
    h, mi, s = (int(g) if g else 0 for g in m.groups())
    return h + mi / 60.0 + s / 3600.0


def parse_seconds(token: str) -> float | None:
    """A SWMM time step: decimal seconds, or hours:minutes:seconds."""
    value = parse_number(token)
    if value is not None:
        return value
    hours = parse_hours(token)
    return None if hours is None else hours * 3600.0


def at_hours(day: date, hours: float) -> datetime:
    """The instant ``hours`` after midnight of ``day``, rounded to the millisecond."""
    return datetime(day.year, day.month, day.day) + timedelta(
        milliseconds=round(hours * 3_600_000.0)
    )


# ------------------------------------------------------------------------ reader
class _Reader:
    """Parses the sections of one file into an InpModel, collecting every problem."""

    def __init__(self, path: Path):
        self.path = path
        self.model = InpModel(path)
        self.issues: list[SwmmIssue] = []
        self.section = ""

    # ---- helpers
    def error(self, line: Line | int, message: str, fix: str = "") -> None:
        lineno = line.lineno if isinstance(line, Line) else line
        self.issues.append(SwmmIssue(lineno, self.section, message, fix))

    def need(self, line: Line, count: int, form: str) -> bool:
        if len(line.tokens) < count:
            self.error(
                line,
                f"expected at least {count} values, found {len(line.tokens)}",
                f"write it as: {form}",
            )
            return False
        return True

    def num(self, line: Line, k: int, what: str, default: float | None = None, minimum=None):
        """Token k as a number (or ``default`` if absent); records an error and returns NaN
        when it is not a number or below ``minimum``."""
        if k >= len(line.tokens):
            return default if default is not None else math.nan
        value = parse_number(line.tokens[k])
        if value is None:
            self.error(line, f"{what} '{line.tokens[k]}' is not a number", "write a number there")
            return math.nan
        if minimum is not None and value < minimum:
            self.error(
                line, f"{what} {value:g} is below {minimum:g}", f"use a value >= {minimum:g}"
            )
            return math.nan
        return value

    def keyword(self, line: Line, k: int, allowed: tuple[str, ...], what: str) -> str | None:
        token = line.tokens[k].upper()
        if token not in allowed:
            self.error(
                line, f"unknown {what} '{line.tokens[k]}'", f"use one of {', '.join(allowed)}"
            )
            return None
        return token

    def yes_no(self, line: Line, k: int, what: str) -> bool:
        if k >= len(line.tokens) or line.tokens[k] == "*":
            return False
        value = self.keyword(line, k, ("YES", "NO"), what)
        return value == "YES"

    def unique(self, table: dict, name: str, line: Line, what: str) -> bool:
        if name in table:
            self.error(
                line,
                f"{what} '{name}' is defined twice (first on line {table[name].line})",
                "give each one its own name",
            )
            return False
        return True

    # ---- sections
    def read(self) -> InpModel:
        sections, headers, issues = read_sections(self.path)
        self.issues.extend(issues)
        self.model.section_lines = headers
        order = [
            "TITLE", "OPTIONS", "EVAPORATION", "MAP", "JUNCTIONS", "OUTFALLS", "STORAGE",
            "CONDUITS", "PUMPS", "ORIFICES", "WEIRS", "XSECTIONS", "TRANSECTS", "LOSSES",
            "CURVES", "TIMESERIES", "POLLUTANTS", "INFLOWS", "COORDINATES", "VERTICES",
        ]  # fmt: skip
        for name, lines in sections.items():
            if name in UNSUPPORTED:
                if lines:
                    self.section = name
                    self.error(
                        lines[0],
                        f"[{name}] ({UNSUPPORTED[name]}) is outside the open-channel subset "
                        "that twin imports",
                        "remove the section; twin imports " + supported_text(),
                    )
            elif name not in SUPPORTED and name not in IGNORED:
                self.section = name
                self.error(
                    headers[name],
                    f"unknown section [{name}]",
                    "check the spelling; twin imports " + supported_text(),
                )
        for name in order:
            self.section = name
            lines = sections.get(name, [])
            reader = getattr(self, "_" + name.lower())
            for line in lines:
                reader(line)
        self.section = ""
        return self.model

    def _title(self, line: Line):
        self.model.title.append(line.tokens[0])

    def _options(self, line: Line):
        key = line.tokens[0].upper()
        if key not in OPTION_KEYS:
            self.error(line, f"unknown option '{line.tokens[0]}'", "check the keyword (SWMM 5.2)")
            return
        if len(line.tokens) < 2:
            self.error(line, f"option {key} has no value", f"write: {key} <value>")
            return
        self.model.options[key] = Option(line.tokens[1], line.lineno)

    def _evaporation(self, line: Line):
        key = line.tokens[0].upper()
        if key == "DRY_ONLY":
            return
        if key == "CONSTANT" and len(line.tokens) >= 2 and parse_number(line.tokens[1]) == 0.0:
            return
        self.error(
            line,
            "evaporation is not supported (only 'CONSTANT 0' is accepted)",
            "set CONSTANT 0.0, or remove [EVAPORATION]",
        )

    def _map(self, line: Line):
        if line.tokens[0].upper() == "UNITS" and len(line.tokens) >= 2:
            self.model.map_units = line.tokens[1].upper()

    def _junctions(self, line: Line):
        if not self.need(line, 2, "Name Elevation [MaxDepth InitDepth SurDepth Aponded]"):
            return
        name = line.tokens[0]
        if not self.unique_node(name, line):
            return
        t = [self.num(line, k, w, 0.0, lo) for k, w, lo in (
            (1, "invert elevation", None), (2, "maximum depth", 0.0), (3, "initial depth", 0.0),
            (4, "surcharge depth", 0.0), (5, "ponded area", 0.0))]  # fmt: skip
        self.model.junctions[name] = Junction(name, *t, line.lineno)

    def unique_node(self, name: str, line: Line) -> bool:
        m = self.model
        for table in (m.junctions, m.outfalls, m.storages):
            if name in table:
                self.error(
                    line,
                    f"node '{name}' is defined twice (first on line {table[name].line})",
                    "give each node its own name",
                )
                return False
        return True

    def unique_link(self, name: str, line: Line) -> bool:
        m = self.model
        for table in (m.conduits, m.pumps, m.orifices, m.weirs):
            if name in table:
                self.error(
                    line,
                    f"link '{name}' is defined twice (first on line {table[name].line})",
                    "give each link its own name",
                )
                return False
        return True

    def _outfalls(self, line: Line):
        form = (
            "Name Elevation FREE|NORMAL|FIXED Stage|TIDAL Curve|TIMESERIES Series [Gated] [RouteTo]"
        )
        if not self.need(line, 3, form):
            return
        name = line.tokens[0]
        if not self.unique_node(name, line):
            return
        elev = self.num(line, 1, "invert elevation")
        kind = self.keyword(
            line, 2, ("FREE", "NORMAL", "FIXED", "TIDAL", "TIMESERIES"), "outfall type"
        )
        if kind is None:
            return
        stage, ref, k = None, None, 3
        if kind in ("FIXED", "TIDAL", "TIMESERIES"):
            if not self.need(line, 4, form):
                return
            if kind == "FIXED":
                stage = self.num(line, 3, "fixed stage")
            else:
                ref = line.tokens[3]
            k = 4
        gated = self.yes_no(line, k, "flap-gate flag") if len(line.tokens) > k else False
        route_to = line.tokens[k + 1] if len(line.tokens) > k + 1 else None
        self.model.outfalls[name] = Outfall(
            name, elev, kind, stage, ref, gated, route_to, line.lineno
        )

    def _storage(self, line: Line):
        form = ("Name Elev MaxDepth InitDepth TABULAR Curve | FUNCTIONAL A1 A2 A0 | "
                "CYLINDRICAL/CONICAL/PARABOLIC/PYRAMIDAL L W Z, [SurDepth Fevap Psi Ksat IMD]")  # fmt: skip
        if not self.need(line, 6, form):
            return
        name = line.tokens[0]
        if not self.unique_node(name, line):
            return
        elev = self.num(line, 1, "invert elevation")
        ymax = self.num(line, 2, "maximum depth", minimum=0.0)
        y0 = self.num(line, 3, "initial depth", minimum=0.0)
        shapes = ("TABULAR", "FUNCTIONAL", "CYLINDRICAL", "CONICAL", "PARABOLIC", "PYRAMIDAL")
        shape = self.keyword(line, 4, shapes, "storage shape")
        if shape is None:
            return
        curve, params = None, (0.0, 0.0, 0.0)
        if shape == "TABULAR":
            curve, k = line.tokens[5], 6
        else:
            if not self.need(line, 8, form):
                return
            params = tuple(self.num(line, i, f"shape parameter {i - 4}") for i in (5, 6, 7))
            k = 8
        sur = self.num(line, k, "surcharge depth", 0.0)
        fevap = self.num(line, k + 1, "evaporation factor", 0.0)
        seep = tuple(self.num(line, i, "seepage parameter") for i in range(k + 2, len(line.tokens)))
        self.model.storages[name] = Storage(
            name, elev, ymax, y0, shape, curve, params, sur, fevap, seep, line.lineno
        )

    def _conduits(self, line: Line):
        if not self.need(line, 7, "Name FromNode ToNode Length N InOffset OutOffset [Q0 Qmax]"):
            return
        name = line.tokens[0]
        if not self.unique_link(name, line):
            return
        length = self.num(line, 3, "length")
        n = self.num(line, 4, "Manning n")
        off = [None if line.tokens[k] == "*" else self.num(line, k, "offset") for k in (5, 6)]
        q0 = self.num(line, 7, "initial flow", 0.0)
        qmax = self.num(line, 8, "maximum flow", 0.0)
        if length == length and length <= 0:
            self.error(line, "conduit length must be > 0", "give the length")
        if n == n and n <= 0:
            self.error(line, "Manning n must be > 0", "give the roughness")
        self.model.conduits[name] = Conduit(
            name, line.tokens[1], line.tokens[2], length, n, off[0], off[1], q0, qmax, line.lineno
        )

    def _pumps(self, line: Line):
        if not self.need(line, 3, "Name FromNode ToNode [Curve|* Status Startup Shutoff]"):
            return
        name = line.tokens[0]
        if not self.unique_link(name, line):
            return
        curve = line.tokens[3] if len(line.tokens) > 3 and line.tokens[3] != "*" else None
        status = True
        if len(line.tokens) > 4:
            status = self.keyword(line, 4, ("ON", "OFF"), "pump status") != "OFF"
        startup = self.num(line, 5, "startup depth", 0.0, 0.0)
        shutoff = self.num(line, 6, "shutoff depth", 0.0, 0.0)
        self.model.pumps[name] = Pump(
            name, line.tokens[1], line.tokens[2], curve, status, startup, shutoff, line.lineno
        )

    def _orifices(self, line: Line):
        if not self.need(line, 6, "Name FromNode ToNode SIDE|BOTTOM Offset Cd [Gated CloseTime]"):
            return
        name = line.tokens[0]
        if not self.unique_link(name, line):
            return
        kind = self.keyword(line, 3, ("SIDE", "BOTTOM"), "orifice type")
        offset = None if line.tokens[4] == "*" else self.num(line, 4, "crest offset")
        cd = self.num(line, 5, "discharge coefficient", minimum=0.0)
        gated = self.yes_no(line, 6, "flap-gate flag")
        orate = self.num(line, 7, "open/close time", 0.0, 0.0)
        if kind is not None:
            self.model.orifices[name] = Orifice(
                name, line.tokens[1], line.tokens[2], kind, offset, cd, gated, orate, line.lineno
            )

    def _weirs(self, line: Line):
        form = "Name FromNode ToNode Type CrestHt Cd [Gated EC Cd2 Sur [Width Surf] [CoeffCurve]]"
        if not self.need(line, 6, form):
            return
        name = line.tokens[0]
        if not self.unique_link(name, line):
            return
        kinds = ("TRANSVERSE", "SIDEFLOW", "V-NOTCH", "TRAPEZOIDAL", "ROADWAY")
        kind = self.keyword(line, 3, kinds, "weir type")
        offset = None if line.tokens[4] == "*" else self.num(line, 4, "crest height")
        cd = self.num(line, 5, "discharge coefficient", minimum=0.0)
        t = line.tokens
        gated = self.yes_no(line, 6, "flap-gate flag")
        ec = self.num(line, 7, "end contractions", 0.0, 0.0) if len(t) > 7 and t[7] != "*" else 0.0
        cd2 = self.num(line, 8, "end coefficient", 0.0, 0.0) if len(t) > 8 and t[8] != "*" else 0.0
        sur = True if len(t) <= 9 or t[9] == "*" else self.yes_no(line, 9, "surcharge flag")
        if kind is not None:
            self.model.weirs[name] = Weir(
                name, t[1], t[2], kind, offset, cd, gated, ec, cd2, sur,
                t[12] if len(t) > 12 and t[12] != "*" else None, line.lineno,
            )  # fmt: skip

    def _xsections(self, line: Line):
        if not self.need(line, 3, "Link Shape Geom1 Geom2 Geom3 Geom4 [Barrels Culvert]"):
            return
        link, shape = line.tokens[0], line.tokens[1].upper()
        if link in self.model.xsections:
            self.error(
                line,
                f"link '{link}' has a second cross-section (first on line "
                f"{self.model.xsections[link].line})",
                "keep one",
            )
            return
        if shape in ("IRREGULAR", "STREET"):
            self.model.xsections[link] = XSection(
                link, shape, (0.0, 0.0, 0.0, 0.0), 1, 0, line.tokens[2], None, line.lineno
            )
            return
        if not self.need(line, 6, "Link Shape Geom1 Geom2 Geom3 Geom4 [Barrels Culvert]"):
            return
        curve = None
        if shape == "CUSTOM":
            geom = (self.num(line, 2, "Geom1"), 0.0, 0.0, 0.0)
            curve = line.tokens[3]
        else:
            geom = tuple(self.num(line, k, f"Geom{k - 1}") for k in (2, 3, 4, 5))
        barrels = self.num(line, 6, "number of barrels", 1.0, 1.0)
        culvert = self.num(line, 7, "culvert code", 0.0, 0.0)
        self.model.xsections[link] = XSection(
            link, shape, geom, int(barrels) if barrels == barrels else 1,
            int(culvert) if culvert == culvert else 0, None, curve, line.lineno,
        )  # fmt: skip

    def _losses(self, line: Line):
        if not self.need(line, 4, "Link Kentry Kexit Kavg [Flap Seepage]"):
            return
        k = [
            self.num(line, i, w, minimum=0.0)
            for i, w in ((1, "entry loss"), (2, "exit loss"), (3, "average loss"))
        ]
        flap = self.yes_no(line, 4, "flap-gate flag")
        seep = self.num(line, 5, "seepage rate", 0.0, 0.0)
        self.model.losses[line.tokens[0]] = Loss(line.tokens[0], *k, flap, seep, line.lineno)

    def _transects(self, line: Line):
        key = line.tokens[0].upper()
        self._nc = getattr(self, "_nc", (0.0, 0.0, 0.0))
        if key == "NC":
            if not self.need(line, 4, "NC Nleft Nright Nchannel"):
                return
            n = [self.num(line, k, "Manning n", minimum=0.0) for k in (1, 2, 3)]
            # As in SWMM's transect.c: zero keeps the previous value; a zero overbank n
            # takes the channel's.
            left, right, chan = (n[i] if n[i] > 0 else self._nc[i] for i in range(3))
            left = left or chan
            right = right or chan
            self._nc = (left, right, chan)
        elif key == "X1":
            form = "X1 Name Nsta Xleft Xright 0 0 Lfactor Wfactor Eoffset"
            if not self.need(line, 10, form):
                return
            name = line.tokens[1]
            if not self.unique(self.model.transects, name, line, "transect"):
                return
            v = {k: self.num(line, k, what) for k, what in (
                (3, "left bank station"), (4, "right bank station"), (7, "meander modifier"),
                (8, "station multiplier"), (9, "elevation offset"))}  # fmt: skip
            self.model.transects[name] = Transect(
                name, self._nc[0], self._nc[1], self._nc[2], v[3], v[4],
                v[7] or 1.0, v[8] or 1.0, v[9], line=line.lineno,
            )  # fmt: skip
            self._transect = self.model.transects[name]
        elif key == "GR":
            tr = getattr(self, "_transect", None)
            if tr is None:
                self.error(line, "GR line before any X1 line", "start each transect with X1")
                return
            values = line.tokens[1:]
            if len(values) % 2:
                self.error(line, "GR needs pairs of elevation and station", "check the count")
                return
            for k in range(1, len(line.tokens), 2):
                tr.elevations.append(self.num(line, k, "elevation"))
                tr.stations.append(self.num(line, k + 1, "station"))
        else:
            self.error(line, f"unknown transect line '{line.tokens[0]}'", "use NC, X1 or GR")

    def _curves(self, line: Line):
        name = line.tokens[0]
        values = line.tokens[1:]
        curve = self.model.curves.get(name)
        if curve is None:
            if not values:
                self.error(line, "curve line without a type", "write: Name Type X Y ...")
                return
            kind = self.keyword(line, 1, CURVE_TYPES, "curve type")
            if kind is None:
                return
            curve = Curve(name, kind, [], [], line.lineno)
            self.model.curves[name] = curve
            values = values[1:]
        if len(values) % 2:
            self.error(line, "curve data must come in X Y pairs", "check the count")
            return
        start = len(line.tokens) - len(values)
        for k in range(start, len(line.tokens), 2):
            curve.x.append(self.num(line, k, "X value"))
            curve.y.append(self.num(line, k + 1, "Y value"))

    def _timeseries(self, line: Line):
        name = line.tokens[0]
        ts = self.model.timeseries.get(name)
        if ts is None:
            ts = TimeSeries(name, [], line.lineno)
            self.model.timeseries[name] = ts
        if len(line.tokens) >= 2 and line.tokens[1].upper() == "FILE":
            if len(line.tokens) < 3:
                self.error(line, "FILE without a file name", 'write: Name FILE "path"')
                return
            path = Path(line.tokens[2])
            if not path.is_absolute():
                path = self.path.parent / path
            ts.file = path
            self._series_file(ts, path, line)
            return
        if len(line.tokens) < 3:
            self.error(line, "expected a time and a value", "write: Name [Date] Time Value")
            return
        last_day = ts.samples[-1][0] if ts.samples else None
        k, toks = 1, line.tokens
        while k < len(toks):
            day = parse_date(toks[k])
            if day is not None:
                last_day = day
                k += 1
            if k + 1 >= len(toks):
                self.error(line, "a time without a value", "write: [Date] Time Value ...")
                return
            hours = parse_hours(toks[k])
            value = parse_number(toks[k + 1])
            if hours is None or value is None:
                bad = toks[k] if hours is None else toks[k + 1]
                self.error(line, f"'{bad}' is not a time or a number", "write: [Date] Time Value")
                return
            ts.samples.append((last_day, hours, value))
            k += 2

    def _series_file(self, ts: TimeSeries, path: Path, line: Line):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            self.error(
                line, f"cannot read time series file {path}: {exc.strerror}", "check the path"
            )
            return
        last_day = None
        for k, raw in enumerate(text.splitlines(), start=1):
            toks = tokenize(raw)
            if not toks:
                continue
            day = None
            if len(toks) == 3:
                day = parse_date(toks[0])
                toks = toks[1:]
                if day is None:
                    self.error(line, f"{path}, line {k}: '{raw.strip()}' has no valid date")
                    return
                last_day = day
            hours = parse_hours(toks[0]) if len(toks) == 2 else None
            value = parse_number(toks[1]) if len(toks) == 2 else None
            if hours is None or value is None:
                self.error(
                    line, f"{path}, line {k}: expected [date] time value, got '{raw.strip()}'"
                )
                return
            ts.samples.append((last_day, hours, value))

    def _pollutants(self, line: Line):
        form = "Name Units Crain Cgw Crdii Kdecay [SnowOnly CoPollut CoFrac Cdwf Cinit]"
        if not self.need(line, 6, form):
            return
        name = line.tokens[0]
        if not self.unique(self.model.pollutants, name, line, "pollutant"):
            return
        units = self.keyword(line, 1, ("MG/L", "UG/L", "#/L"), "concentration unit")
        t = line.tokens
        vals = [self.num(line, k, w, 0.0, 0.0) for k, w in ((2, "rain concentration"), (3, "groundwater concentration"), (4, "RDII concentration"), (5, "decay coefficient"))]  # fmt: skip
        snow = self.yes_no(line, 6, "snow-only flag")
        co = t[7] if len(t) > 7 and t[7] != "*" else None
        cofrac = self.num(line, 8, "co-fraction", 0.0, 0.0)
        cdwf = self.num(line, 9, "DWF concentration", 0.0, 0.0)
        cinit = self.num(line, 10, "initial concentration", 0.0, 0.0)
        if units is not None:
            self.model.pollutants[name] = Pollutant(
                name, units, *vals, snow, co, cofrac, cdwf, cinit, line.lineno
            )

    def _inflows(self, line: Line):
        form = "Node FLOW|Pollutant Series [Type Mfactor Sfactor Baseline Pattern]"
        if not self.need(line, 3, form):
            return
        t = line.tokens
        constituent = "FLOW" if t[1].upper() == "FLOW" else t[1]
        kind = "FLOW"
        if constituent != "FLOW":
            kind = "CONCEN"
            if len(t) > 3:
                kind = self.keyword(line, 3, ("CONCEN", "MASS"), "inflow type") or "CONCEN"
        mfactor = self.num(line, 4, "units factor", 1.0) if kind == "MASS" else 1.0
        scale = self.num(line, 5, "scale factor", 1.0)
        base = self.num(line, 6, "baseline", 0.0)
        pattern = t[7] if len(t) > 7 and t[7] else None
        self.model.inflows.append(
            Inflow(
                t[0], constituent, t[2] or None, kind, mfactor, scale, base, pattern, line.lineno
            )
        )

    def _coordinates(self, line: Line):
        if not self.need(line, 3, "Node X Y"):
            return
        self.model.coordinates[line.tokens[0]] = (
            self.num(line, 1, "X coordinate"),
            self.num(line, 2, "Y coordinate"),
        )

    def _vertices(self, line: Line):
        if not self.need(line, 3, "Link X Y"):
            return
        self.model.vertices.setdefault(line.tokens[0], []).append(
            (self.num(line, 1, "X coordinate"), self.num(line, 2, "Y coordinate"))
        )


def supported_text() -> str:
    return ", ".join(f"[{s}]" for s in SUPPORTED if s not in ("EVAPORATION", "MAP")) + (
        " (conduits with RECT_OPEN, TRAPEZOIDAL, TRIANGULAR, PARABOLIC or IRREGULAR shapes)"
    )


def read_inp_records(path: str | Path) -> tuple[InpModel, list[SwmmIssue]]:
    """Parse a SWMM .inp file into records; returns them with the problems found (raises
    SwmmImportError only when the file cannot be read at all)."""
    reader = _Reader(Path(path))
    model = reader.read()
    return model, reader.issues
