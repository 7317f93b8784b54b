"""Cross-section and storage shapes of SWMM 5 objects, in SI units, for the import.

SWMM's open shapes become polylines of (station, elevation above the lowest point) that
twin's own section geometry (``twin.network.sections.irregular_table``) evaluates, so the
normal and critical depths used by the import are those of the sections twin will solve.
Shape definitions follow EPA SWMM 5.2 ``xsect.c`` (TRAPEZOIDAL: depth, bottom width, left
and right side slopes as run per rise; PARABOLIC: depth and top width), ``transect.c`` and
``node.c`` (storage shapes).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ...network.sections import irregular_table

G = 9.81
"""Gravity (m/s2), as twin's default ``run.hydro.gravity_m_s2``."""

PARABOLA_POINTS = 41
"""Points of the polyline that stands for a PARABOLIC section (area within 0.1 %)."""


@dataclass
class Geometry:
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


def trapezoid(h: float, b: float, s_left: float, s_right: float):
    """(station, elevation above bed) of a trapezoid of height h, bottom width b and side
    slopes (run per rise) on the left and right."""
    st = [0.0, s_left * h, s_left * h + b, s_left * h + b + s_right * h]
    el = [h, 0.0, 0.0, h]
    if b == 0:
        st, el = [st[0], st[1], st[3]], [h, 0.0, h]
    return np.array(st), np.array(el)


def parabola(h: float, top_width: float):
    """A parabolic channel y = h (2x/W)^2 as a polyline of PARABOLA_POINTS points."""
    x = np.linspace(-0.5 * top_width, 0.5 * top_width, PARABOLA_POINTS)
    return x - x[0], h * (2.0 * x / top_width) ** 2


def analytic_storage(shape: str, p1: float, p2: float, p3: float) -> tuple[float, float, float]:
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


def transect_polyline(tr, length_factor: float):
    """(stations m, elevations m, panel breaks m, panel n) of a SWMM transect, with
    vertical walls up to its highest point at both ends (as SWMM's transect.c builds it).
    ``length_factor`` converts the file's lengths to m."""
    f = length_factor
    st = [x * tr.station_factor * f for x in tr.stations]
    el = [(y + tr.elev_offset) * f for y in tr.elevations]
    top = max(el)
    if el[0] < top:
        st.insert(0, st[0])
        el.insert(0, top)
    if el[-1] < top:
        st.append(st[-1])
        el.append(top)
    xl = tr.x_left * tr.station_factor * f
    xr = tr.x_right * tr.station_factor * f
    if tr.n_left == tr.n_channel == tr.n_right:
        return st, el, [], [tr.n_channel]
    if xl < xr:
        return st, el, [xl, xr], [tr.n_left, tr.n_channel, tr.n_right]
    return st, el, [xl], [tr.n_left, tr.n_right]
