"""Units and limits of SWMM 5 that the mapping onto a twin config needs."""

from __future__ import annotations

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
