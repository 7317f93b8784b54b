"""Schema of the river network: nodes, cross-sections, reaches, boundaries, laterals, structures.

Conventions: levels in metres above the model datum (for Kunshan, the 1985 National Height
Datum); discharges in m3/s, positive from a reach's ``from_node`` to its ``to_node`` and, at
boundaries and laterals, positive into the network.
"""

from __future__ import annotations

import itertools
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from .base import Identifier, Provenance, SeriesOrValue, StrictModel, strictly_increasing

SpeciesConcentrations = dict[str, SeriesOrValue]
"""Concentration per water-quality species (mg/L), a number or a time series id."""


# --------------------------------------------------------------------------- nodes
class StorageTable(StrictModel):
    """Level-area table of a storage node (lake, polder): surface area at each level."""

    level_m: list[float] = Field(..., min_length=2)
    area_m2: list[float] = Field(..., min_length=2)
    water_body: Literal["lake", "polder"] = Field(
        "lake",
        description="What the storage stands for: a lake, or the lumped internal rivers of a "
        "pumped polder (圩区); reports list loads into polders apart from those into lakes.",
    )

    @field_validator("level_m")
    @classmethod
    def _levels(cls, v):
        return strictly_increasing(v, "level_m")

    @field_validator("area_m2")
    @classmethod
    def _areas(cls, v):
        if any(a <= 0 for a in v):
            raise ValueError("every area must be > 0 m2 (a storage node never vanishes)")
        return v

    @model_validator(mode="after")
    def _lengths(self):
        if len(self.level_m) != len(self.area_m2):
            raise ValueError("level_m and area_m2 must have the same length")
        return self


class Node(Provenance):
    """A point where reaches and structures meet: a junction, a storage node, or a boundary.

    A junction may carry a small ``surface_area_m2`` (the water surface of the confluence);
    a storage node (lake, polder) carries a level-area table instead.
    """

    id: Identifier
    name: str | None = None
    x: float = Field(..., description="Longitude (deg E) or x (m), see the model's 'coordinates'.")
    y: float = Field(..., description="Latitude (deg N) or y (m).")
    kind: Literal["junction", "storage"] = "junction"
    surface_area_m2: float = Field(0.0, ge=0.0, description="Water surface of a junction, m2.")
    storage: StorageTable | None = None
    initial_level_m: float | None = None
    bed_level_m: float | None = Field(
        None, description="Lowest bed level, m; for storage nodes, the lake bottom (for depth)."
    )

    @model_validator(mode="after")
    def _storage(self):
        if self.kind == "storage" and self.storage is None:
            raise ValueError("a storage node needs a 'storage' level-area table")
        if self.kind == "junction" and self.storage is not None:
            raise ValueError("'storage' is only for kind = 'storage'")
        return self


# --------------------------------------------------------------------- cross-sections
class _SectionBase(Provenance):
    id: Identifier
    manning_n: float | None = Field(None, gt=0.005, lt=0.3, description="Manning n, s m-1/3.")


class RectangularSection(_SectionBase):
    """Rectangle of width ``width_m``; walls continue vertically above ``height_m``."""

    shape: Literal["rectangular"]
    width_m: float = Field(..., gt=0)
    height_m: float = Field(10.0, gt=0, description="Height of the walls above the bed, m.")


class TrapezoidalSection(_SectionBase):
    """Trapezoid: bottom width, side slope as horizontal per vertical (H:V), wall height."""

    shape: Literal["trapezoidal"]
    bottom_width_m: float = Field(..., ge=0)
    side_slope: float = Field(..., ge=0, description="Horizontal run per metre of rise.")
    height_m: float = Field(10.0, gt=0)

    @model_validator(mode="after")
    def _not_degenerate(self):
        if self.bottom_width_m == 0 and self.side_slope == 0:
            raise ValueError("bottom_width_m and side_slope cannot both be 0")
        return self


class IrregularSection(_SectionBase):
    """Surveyed section: (station, elevation) pairs, left bank to right bank.

    Manning n may vary by panel: ``panel_stations_m`` are the stations where n changes
    (e.g. the bank lines), ``panel_manning_n`` holds one n per panel (one more than breaks).
    Conveyance is summed over panels (the HEC-RAS default method).
    """

    shape: Literal["irregular"]
    station_m: list[float] = Field(..., min_length=3)
    elevation_m: list[float] = Field(..., min_length=3)
    panel_stations_m: list[float] = Field(default_factory=list)
    panel_manning_n: list[float] = Field(default_factory=list)

    @field_validator("station_m")
    @classmethod
    def _stations(cls, v):
        if any(b < a for a, b in itertools.pairwise(v)):
            raise ValueError("station_m must be non-decreasing from left bank to right bank")
        if v[-1] <= v[0]:
            raise ValueError("station_m must span a positive width")
        return v

    @model_validator(mode="after")
    def _pairs(self):
        if len(self.station_m) != len(self.elevation_m):
            raise ValueError("station_m and elevation_m must have the same length")
        lowest = min(self.elevation_m)
        if self.elevation_m[0] <= lowest or self.elevation_m[-1] <= lowest:
            raise ValueError("both banks must be higher than the lowest bed point")
        if self.panel_manning_n:
            if len(self.panel_manning_n) != len(self.panel_stations_m) + 1:
                raise ValueError("panel_manning_n needs one value more than panel_stations_m")
            strictly_increasing(self.panel_stations_m, "panel_stations_m")
            if any(not (0.005 < n < 0.3) for n in self.panel_manning_n):
                raise ValueError("every panel_manning_n must lie between 0.005 and 0.3")
        elif self.panel_stations_m:
            raise ValueError("panel_stations_m given without panel_manning_n")
        return self


CrossSection = Annotated[
    RectangularSection | TrapezoidalSection | IrregularSection, Field(discriminator="shape")
]


# --------------------------------------------------------------------------- reaches
class ReachSection(StrictModel):
    """A cross-section placed on a reach at a chainage (m from the reach's from_node).

    ``bed_level_m`` places a rectangular or trapezoidal section vertically; when omitted it is
    interpolated from the reach's end bed levels. An irregular section keeps its surveyed
    elevations unless ``bed_level_m`` shifts its lowest point there.
    """

    chainage_m: float = Field(..., ge=0)
    section: Identifier
    bed_level_m: float | None = None
    manning_n: float | None = Field(None, gt=0.005, lt=0.3)


class Reach(Provenance):
    """A river reach between two nodes, cut into computational points about ``dx_m`` apart."""

    id: Identifier
    name: str | None = None
    from_node: Identifier
    to_node: Identifier
    length_m: float = Field(..., gt=0)
    dx_m: float = Field(500.0, gt=0, description="Target spacing of computational points, m.")
    manning_n: float | None = Field(None, gt=0.005, lt=0.3)
    bed_level_from_m: float | None = None
    bed_level_to_m: float | None = None
    sections: list[ReachSection] = Field(..., min_length=1)
    geometry: list[tuple[float, float]] | None = Field(
        None, description="Polyline from from_node to to_node, in the model's coordinates."
    )
    initial_level_m: float | None = None
    initial_discharge_m3s: float | None = None

    @model_validator(mode="after")
    def _check(self):
        if self.from_node == self.to_node:
            raise ValueError("from_node and to_node must differ")
        ch = [s.chainage_m for s in self.sections]
        if any(b <= a for a, b in itertools.pairwise(ch)):
            raise ValueError("sections must be listed by strictly increasing chainage_m")
        if ch[-1] > self.length_m * (1 + 1e-9):
            raise ValueError(f"a section lies at chainage {ch[-1]} m, beyond length_m")
        if self.geometry is not None and len(self.geometry) < 2:
            raise ValueError("geometry needs at least two points")
        return self


# ------------------------------------------------------------------------ boundaries
class TideConstituent(StrictModel):
    """One harmonic: amplitude_m * cos(speed * (t - reference) - phase)."""

    name: str
    amplitude_m: float = Field(..., ge=0)
    phase_deg: float = 0.0
    speed_deg_per_h: float | None = Field(
        None, gt=0, description="Angular speed; defaults to the standard value for the name."
    )


class _BoundaryBase(Provenance):
    id: Identifier | None = None
    node: Identifier
    concentrations: SpeciesConcentrations = Field(
        default_factory=dict, description="Concentration of inflowing water, mg/L, per species."
    )


class LevelBoundary(_BoundaryBase):
    kind: Literal["level"]
    level_m: SeriesOrValue


class DischargeBoundary(_BoundaryBase):
    """Discharge into the network (negative draws water out)."""

    kind: Literal["discharge"]
    discharge_m3s: SeriesOrValue


class TideBoundary(_BoundaryBase):
    """Harmonic tide: Z(t) = mean + sum A_k cos(w_k (t - t_ref) - phi_k)."""

    kind: Literal["tide"]
    mean_level_m: SeriesOrValue
    constituents: list[TideConstituent] = Field(..., min_length=1)
    reference_time: str = Field(
        "2000-01-01T00:00:00", description="Time origin of the phases, ISO 8601, UTC."
    )


class RatingBoundary(_BoundaryBase):
    """Outflow as a function of level, Q(Z), linear between table points."""

    kind: Literal["rating"]
    level_m: list[float] = Field(..., min_length=2)
    discharge_m3s: list[float] = Field(..., min_length=2)

    @field_validator("level_m")
    @classmethod
    def _lv(cls, v):
        return strictly_increasing(v, "level_m")

    @model_validator(mode="after")
    def _tab(self):
        if len(self.level_m) != len(self.discharge_m3s):
            raise ValueError("level_m and discharge_m3s must have the same length")
        q = self.discharge_m3s
        if any(b < a for a, b in itertools.pairwise(q)) or q[0] < 0:
            raise ValueError("a rating curve's outflow must be >= 0 and non-decreasing with level")
        return self


Boundary = Annotated[
    LevelBoundary | DischargeBoundary | TideBoundary | RatingBoundary, Field(discriminator="kind")
]


class Lateral(Provenance):
    """Lateral inflow (m3/s, negative for a withdrawal): at a node, at a point on a reach, or
    distributed uniformly along a reach (between ``chainage_m`` and ``chainage_to_m``, by
    default the whole reach)."""

    id: Identifier
    discharge_m3s: SeriesOrValue
    node: Identifier | None = None
    reach: Identifier | None = None
    chainage_m: float | None = Field(None, ge=0)
    chainage_to_m: float | None = Field(None, ge=0)
    concentrations: SpeciesConcentrations = Field(default_factory=dict)

    @model_validator(mode="after")
    def _where(self):
        if (self.node is None) == (self.reach is None):
            raise ValueError("give exactly one of 'node' or 'reach'")
        if self.node is not None and (
            self.chainage_m is not None or self.chainage_to_m is not None
        ):
            raise ValueError("chainage_m and chainage_to_m only apply with 'reach'")
        if (
            self.chainage_to_m is not None
            and self.chainage_m is not None
            and self.chainage_to_m <= self.chainage_m
        ):
            raise ValueError("chainage_to_m must be greater than chainage_m")
        return self
