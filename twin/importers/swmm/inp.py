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
from pathlib import Path

from .lexer import parse_date, parse_hours, parse_number, read_sections, tokenize
from .records import (
    CURVE_TYPES,
    IGNORED,
    OPTION_KEYS,
    SUPPORTED,
    UNSUPPORTED,
    Conduit,
    Curve,
    Inflow,
    InpModel,
    Junction,
    Line,
    Loss,
    Option,
    Orifice,
    Outfall,
    Pollutant,
    Pump,
    Storage,
    SwmmIssue,
    TimeSeries,
    Transect,
    Weir,
    XSection,
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
