"""Conduits of a SWMM 5 input file as twin reaches and cross-sections: offsets, open shapes and
transects (a part of ``Converter``, ``twin.importers.swmm.convert``)."""

from __future__ import annotations

import numpy as np

from ...network.sections import shape_polyline
from .records import Conduit, XSection
from .shapes import (
    PARABOLA_POINTS,
    Geometry,
    parabola,
    transect_polyline,
    trapezoid,
)
from .units import FT, MIN_DELTA_Z_FT, OPEN_SHAPES


class ConduitMapping:
    """Conduit, cross-section and transect mapping; mixed into ``Converter``, whose ``error``,
    ``note``, ``add``, ``ident`` and ``source`` it uses."""

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
