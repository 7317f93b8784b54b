"""Outfalls, time series, inflows and pollutants of a SWMM 5 input file as twin
boundaries, laterals, series and quality settings: a part of ``swmm_convert.Converter``
(the mapping is documented in ``twin.importers.swmm.importer``)."""

from __future__ import annotations

import itertools
import math
import re
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from ...vocab.species import ALL_NAMES
from .lexer import at_hours
from .records import TimeSeries
from .shapes import G

RATING_POINTS = 41
"""Points of the rating curve of a FREE or NORMAL outfall."""

SPECIES_ALIASES = {
    "on": "on", "orgn": "on", "nh3n": "nh3n", "nh3": "nh3n", "nh4": "nh3n", "nh4n": "nh3n",
    "no3n": "no3n", "no3": "no3n", "op": "op", "orgp": "op", "po4p": "po4p", "po4": "po4p",
    "tn": "tn", "tp": "tp", "tracer": "tracer",
}  # fmt: skip
"""Pollutant names (lower case, without '-', '_' and spaces) that map to a twin species."""


class BoundaryMapping:
    """Mapping of outfalls, series, inflows and pollutants. Mixed into ``Converter``, whose
    attributes (inp, L, Q, start, end, ids, tables, ...) and helpers it uses."""

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
        nodes = inp.node_names
        for f in flows:
            if f.node not in nodes:
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
