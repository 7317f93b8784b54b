"""Schema of pollutant sources and catchments (where water and loads enter the network).

Concentrations are mg/L per species; flows m3/d for sewage (as the plants report them).
Species names: on (organic N), nh3n, no3n, op (organic P), po4p, tracer; plus the derived
tn and tp, which a source may give instead of their parts (split by ``twin.vocab.species``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from .base import Identifier, Provenance, RelPath, SeriesOrValue, StrictModel


class _Located(Provenance):
    """Where water enters: a node, or a point on a reach (chainage in m from its from_node)."""

    node: Identifier | None = None
    reach: Identifier | None = None
    chainage_m: float | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _where(self):
        if (self.node is None) == (self.reach is None):
            raise ValueError("give exactly one of 'node' or 'reach' (with chainage_m)")
        if self.reach is not None and self.chainage_m is None:
            raise ValueError("a source on a reach needs chainage_m")
        if self.node is not None and self.chainage_m is not None:
            raise ValueError("chainage_m only applies with 'reach'")
        return self


class Wwtp(_Located):
    """A sewage treatment plant (污水处理厂).

    Incoming sewage up to ``capacity_m3d`` is treated to ``effluent``; any excess bypasses or
    overflows untreated at ``raw_sewage`` quality (group untreated_sewage).
    ``effluent`` is a preset name (see ``twin.vocab.sources.EFFLUENT_PRESETS``) or
    concentrations per species.
    """

    kind: Literal["wwtp"]
    id: Identifier
    name: str | None = None
    capacity_m3d: float = Field(..., gt=0)
    inflow_m3d: SeriesOrValue
    effluent: str | dict[str, float]
    raw_sewage: dict[str, float] | None = None
    effluent_removal: dict[str, float] = Field(
        default_factory=dict,
        description="Share (0-1) of each species removed from the effluent after the plant, "
        "e.g. by a tail-water wetland (尾水湿地).",
    )
    effluent_overrides: dict[str, float] = Field(
        default_factory=dict,
        description="Concentrations (mg/L) replacing those of the effluent preset, e.g. a "
        "plant on 'gb18918_1a' that discharges tp = 0.2.",
    )
    tags: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _removal(self):
        if any(not (0.0 <= v <= 1.0) for v in self.effluent_removal.values()):
            raise ValueError("effluent_removal shares must lie between 0 and 1")
        if self.effluent_overrides and not isinstance(self.effluent, str):
            raise ValueError("effluent_overrides apply to a preset; give 'effluent' as a name")
        if any(v < 0 for v in self.effluent_overrides.values()):
            raise ValueError("effluent_overrides must be >= 0 mg/L")
        return self


class Enterprise(_Located):
    """An industrial discharger with its own outfall, tagged by sector (e.g. 'phosphorus')."""

    kind: Literal["enterprise"]
    id: Identifier
    name: str | None = None
    flow_m3d: SeriesOrValue
    concentrations: dict[str, float]
    tags: list[str] = Field(default_factory=list)
    connected_to: Identifier | None = Field(
        None, description="Sewage plant receiving this effluent instead of the river."
    )


class PointSource(_Located):
    """Any other point discharge with a flow and concentrations, in a chosen source group."""

    kind: Literal["point"]
    id: Identifier
    name: str | None = None
    flow_m3d: SeriesOrValue
    concentrations: dict[str, SeriesOrValue]
    group: Literal["wwtp", "enterprise", "untreated_sewage", "nonpoint", "other"] = "other"
    tags: list[str] = Field(default_factory=list)


Source = Annotated[Wwtp | Enterprise | PointSource, Field(discriminator="kind")]


class Catchment(Provenance):
    """A drainage area whose runoff and loads reach the network at ``outlet_node`` or spread
    along ``outlet_reach``.

    The polygon is a feature of a GeoJSON file (lon/lat, WGS84), chosen by the value of the
    property ``id_property`` (default 'id') equal to this catchment's id.
    """

    id: Identifier
    name: str | None = None
    geojson: RelPath
    id_property: str = "id"
    outlet_node: Identifier | None = None
    outlet_reach: Identifier | None = None
    area_km2: float | None = Field(
        None, gt=0, description="Declared area, checked against the polygon."
    )
    land_use: dict[str, float] = Field(
        ..., description="Share of the area per land-use class; shares sum to 1."
    )
    population: float = Field(0.0, ge=0)
    sewer_connection_fraction: float = Field(
        0.0, ge=0, le=1, description="Share of the population whose sewage reaches a plant."
    )
    wwtp: Identifier | None = Field(None, description="Plant receiving the collected sewage.")
    sewer_leak_fraction: float = Field(
        0.0,
        ge=0,
        le=1,
        description="Share of collected sewage lost to rivers by leaks and misconnections.",
    )
    untreated_sewage_entry_fraction: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Share of the sewage of the population not connected to sewers that "
        "reaches the rivers; default twin.forcing.loads.UNTREATED_ENTRY_FRACTION.",
    )
    polder_pump_capacity_m3s: float = Field(0.0, ge=0)
    nonpoint_load_factor: float = Field(
        1.0,
        ge=0,
        le=5,
        description="Multiplier on the non-point loads of this catchment; "
        "agricultural non-point control lowers it.",
    )
    runoff: dict[str, float] = Field(
        default_factory=dict, description="Runoff-model parameters overriding the defaults."
    )

    @model_validator(mode="after")
    def _check(self):
        if (self.outlet_node is None) == (self.outlet_reach is None):
            raise ValueError("give exactly one of 'outlet_node' or 'outlet_reach'")
        total = sum(self.land_use.values())
        if self.land_use and abs(total - 1.0) > 1e-3:
            raise ValueError(f"land_use shares sum to {total:.4f}; they must sum to 1")
        if any(v < 0 for v in self.land_use.values()):
            raise ValueError("land_use shares must be >= 0")
        return self


class AssessmentSection(Provenance):
    """A water-quality assessment section (考核断面) or monitoring point.

    ``official`` says whether this is a real national or provincial assessment section with a
    published target; when false, the position and target are the model's assumption.
    ``observed`` holds annual means (mg/L) of indicators the model does not simulate (e.g.
    'do', 'codmn'), used in the class and flagged as observed in every report.
    """

    id: Identifier
    name: str
    kind: Literal["river", "lake"]
    node: Identifier | None = None
    reach: Identifier | None = None
    chainage_m: float | None = Field(None, ge=0)
    target_class: Literal["I", "II", "III", "IV", "V"]
    official: bool = False
    observed: dict[str, float] = Field(default_factory=dict)
    warning_level_m: float | None = None
    lon: float | None = None
    lat: float | None = None

    @model_validator(mode="after")
    def _where(self):
        if (self.node is None) == (self.reach is None):
            raise ValueError("give exactly one of 'node' or 'reach' (with chainage_m)")
        if self.reach is not None and self.chainage_m is None:
            raise ValueError("a section on a reach needs chainage_m")
        if any(v < 0 for v in self.observed.values()):
            raise ValueError("observed values must be >= 0 mg/L")
        return self


class ForcingSettings(StrictModel):
    """Gridded weather forcing: NetCDF files (globs allowed), read by ``twin.forcing``."""

    files: list[RelPath] = Field(default_factory=list)
    variables: dict[str, str] = Field(
        default_factory=dict,
        description="Override the variable found for a quantity, e.g. {precipitation = 'prec'}.",
    )
    cache_dir: RelPath | None = Field(
        None, description="Folder of the grid-weight cache; default .twin-cache beside the model."
    )
    water_temperature: Literal["air", "constant"] = "air"
    water_temperature_c: float = Field(20.0, ge=-2, le=40)
    water_temperature_lag_days: float = Field(
        4.0, gt=0, le=60, description="Relaxation time of water to air temperature, days."
    )
    water_temperature_offset_c: float = Field(
        1.0, ge=-5, le=5, description="Equilibrium water minus air temperature, K."
    )
    time_label: Literal["start", "end"] | None = Field(
        None,
        description="Whether flux time stamps label the start or the end of their interval; "
        "default from CF time bounds, 'end' for ERA5 'tp', else 'start'.",
    )
    potential_evaporation: Literal["auto", "file", "makkink", "hargreaves"] = Field(
        "auto",
        description="auto: from the files if given, else Makkink from shortwave radiation, "
        "else Hargreaves from temperature.",
    )
    step_s: float | None = Field(
        None,
        gt=0,
        le=86400,
        description="Time step of prepared series when there is no gridded forcing (3600 s).",
    )
    lake_surfaces: bool = Field(
        True,
        description="Rain, evaporation and atmospheric deposition on storage nodes (lakes).",
    )
    deposition_kg_ha_yr: dict[str, float] = Field(
        default_factory=dict,
        description="Atmospheric deposition on water surfaces per species or total "
        "(tn, tp), kg/ha/yr; default twin.forcing.loads.DEPOSITION_KG_HA_YR.",
    )
