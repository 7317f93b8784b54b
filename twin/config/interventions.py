"""Schema of the interventions a scenario declares in ``[[interventions]]``.

Each table names its ``type``; the fields are checked here (types, ranges, one choice where
the intervention needs exactly one). Whether the ids it names exist and fit is checked when
the interventions are applied to the model (``twin.config.scenario.apply_interventions``), where
each problem is reported against the scenario file and ``interventions[i].<field>``.

Numbers in an intervention are plans or assumptions about the future: each may carry
``source``, ``confidence`` and ``note`` like any other value in a config.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, NamedTuple

from pydantic import Field, field_validator, model_validator

from ..vocab.species import ALL_NAMES
from .base import Identifier, Provenance, SeriesOrValue, StrictModel
from .structures import LevelRule


def _known_species(value: dict | str | None):
    if isinstance(value, dict):
        unknown = [k for k in value if k not in ALL_NAMES]
        if unknown:
            raise ValueError(f"unknown species '{unknown[0]}'; use one of {', '.join(ALL_NAMES)}")
    return value


class _InterventionBase(Provenance):
    name: str | None = Field(None, description="Short label shown in reports.")
    description: str = Field("", description="What the measure is, in the bureau's words.")


class PEnterpriseRemediation(_InterventionBase):
    """Phosphorus-enterprise remediation (涉磷企业整治).

    Selects enterprises (``kind = 'enterprise'`` sources) by ``ids`` and/or ``tags`` (the union
    of both) and applies exactly one measure: an effluent TP cap (mg/L), a cut of their load
    of ``species`` by a fraction (the flow is kept, the concentrations are lowered), or
    connection of their effluent to a sewage plant.
    """

    type: Literal["p_enterprise_remediation"]
    ids: list[Identifier] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    tp_cap_mg_l: float | None = Field(None, ge=0, description="Effluent TP cap, mg/L.")
    load_cut_fraction: float | None = Field(
        None, gt=0, le=1, description="Share (0-1] of the load removed."
    )
    species: list[Literal["tp", "tn", "nh3n", "po4p", "op", "on", "no3n"]] = Field(
        default_factory=lambda: ["tp"],
        description="Species whose load is cut by load_cut_fraction; 'tp' and 'tn' include "
        "their parts.",
    )
    connect_to: Identifier | None = Field(
        None, description="Sewage plant (kind = 'wwtp') that receives the effluent instead."
    )

    @model_validator(mode="after")
    def _choice(self):
        if not self.ids and not self.tags:
            raise ValueError("choose the enterprises with 'ids' and/or 'tags'")
        given = [
            k
            for k in ("tp_cap_mg_l", "load_cut_fraction", "connect_to")
            if getattr(self, k) is not None
        ]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of 'tp_cap_mg_l', 'load_cut_fraction' or 'connect_to'"
                + (f" (got {', '.join(given)})" if given else "")
            )
        return self


class WwtpExpansion(_InterventionBase):
    """Sewage-plant expansion or upgrade: more capacity, as the new total ``capacity_m3d`` or
    as ``added_capacity_m3d`` (plans usually state the increase, e.g. 扩建 2万吨/日), so that
    more of the sewage that now bypasses untreated is treated; and/or a new ``effluent``
    standard, a preset name or concentrations per species (mg/L) that replace the plant's
    effluent entirely."""

    type: Literal["wwtp_expansion"]
    plant: Identifier
    capacity_m3d: float | None = Field(None, gt=0, description="New total capacity, m3/d.")
    added_capacity_m3d: float | None = Field(None, gt=0, description="Capacity added, m3/d.")
    effluent: str | dict[str, float] | None = None

    _species = field_validator("effluent")(_known_species)

    @model_validator(mode="after")
    def _some(self):
        if self.capacity_m3d is not None and self.added_capacity_m3d is not None:
            raise ValueError("give 'capacity_m3d' (new total) or 'added_capacity_m3d', not both")
        if self.capacity_m3d is None and self.added_capacity_m3d is None and self.effluent is None:
            raise ValueError("give 'capacity_m3d' or 'added_capacity_m3d', and/or 'effluent'")
        if isinstance(self.effluent, dict):
            if not self.effluent:
                raise ValueError("'effluent' concentrations must name at least one species")
            if any(v < 0 for v in self.effluent.values()):
                raise ValueError("effluent concentrations must be >= 0 mg/L")
        return self


class TailWaterWetland(_InterventionBase):
    """Tail-water wetland (尾水生态湿地) after a plant: the share of each species removed from
    its effluent. The plant's ``effluent_removal`` for each named species becomes this value."""

    type: Literal["tail_water_wetland"]
    plant: Identifier
    removal: dict[str, float] = Field(..., min_length=1)

    _species = field_validator("removal")(_known_species)

    @model_validator(mode="after")
    def _range(self):
        if any(not (0.0 <= v <= 1.0) for v in self.removal.values()):
            raise ValueError("removal shares must lie between 0 and 1")
        return self


CatchmentChoice = list[Identifier] | Literal["all"]


class SewerRepair(_InterventionBase):
    """Sewer-network repair (雨污水管网检查修复): less collected sewage lost to rivers
    (``sewer_leak_fraction`` set to a lower value, or reduced by ``leak_reduction_fraction``)
    and/or more of the population connected (``sewer_connection_fraction`` raised)."""

    type: Literal["sewer_repair"]
    catchments: CatchmentChoice = "all"
    sewer_leak_fraction: float | None = Field(None, ge=0, le=1)
    leak_reduction_fraction: float | None = Field(
        None, gt=0, le=1, description="Share (0-1] of the present leak fraction removed."
    )
    sewer_connection_fraction: float | None = Field(None, ge=0, le=1)

    @model_validator(mode="after")
    def _some(self):
        if self.sewer_leak_fraction is not None and self.leak_reduction_fraction is not None:
            raise ValueError("give 'sewer_leak_fraction' or 'leak_reduction_fraction', not both")
        if (
            self.sewer_leak_fraction is None
            and self.leak_reduction_fraction is None
            and self.sewer_connection_fraction is None
        ):
            raise ValueError(
                "give 'sewer_leak_fraction', 'leak_reduction_fraction' and/or "
                "'sewer_connection_fraction'"
            )
        if isinstance(self.catchments, list) and not self.catchments:
            raise ValueError("name at least one catchment, or 'all'")
        return self


class AgriculturalNpsReduction(_InterventionBase):
    """Agricultural non-point control: each chosen catchment's ``nonpoint_load_factor`` is
    multiplied by (1 - ``reduction_fraction``)."""

    type: Literal["agricultural_nps_reduction"]
    catchments: CatchmentChoice = "all"
    reduction_fraction: float = Field(..., gt=0, le=1)

    @model_validator(mode="after")
    def _some(self):
        if isinstance(self.catchments, list) and not self.catchments:
            raise ValueError("name at least one catchment, or 'all'")
        return self


class StructureOperation(_InterventionBase):
    """A new operating rule for a structure.

    Sluice: ``opening_m`` (value or series id) or a level ``rule``. Weir: ``crest_level_m``
    (value or series id). Pump: a ``schedule`` (running fraction, value or series id), or
    ``start_level_m`` and ``stop_level_m`` (optionally ``control_node``). The new control
    replaces the structure's present one.
    """

    type: Literal["structure_operation"]
    structure: Identifier
    opening_m: SeriesOrValue | None = None
    rule: LevelRule | None = None
    crest_level_m: SeriesOrValue | None = None
    schedule: SeriesOrValue | None = None
    start_level_m: float | None = None
    stop_level_m: float | None = None
    control_node: Identifier | None = None

    @model_validator(mode="after")
    def _one(self):
        levels = self.start_level_m is not None or self.stop_level_m is not None
        given = [
            k
            for k in ("opening_m", "rule", "crest_level_m", "schedule")
            if getattr(self, k) is not None
        ] + (["start_level_m/stop_level_m"] if levels else [])
        if len(given) != 1:
            raise ValueError(
                "give exactly one control: 'opening_m', 'rule', 'crest_level_m', 'schedule', "
                "or 'start_level_m' with 'stop_level_m'"
                + (f" (got {', '.join(given)})" if given else "")
            )
        if levels and (self.start_level_m is None or self.stop_level_m is None):
            raise ValueError("give both 'start_level_m' and 'stop_level_m'")
        if self.control_node is not None and not levels:
            raise ValueError("'control_node' goes with 'start_level_m' and 'stop_level_m'")
        return self


class WaterTransfer(_InterventionBase):
    """Extra inflow from Taihu (引江济太 / 太湖调水) at a node, added as a lateral inflow.

    ``discharge_m3s`` is a constant (> 0) or a series id; ``concentrations`` (mg/L per species,
    values or series ids) give the quality of the transferred water. Without them the water
    carries no N or P, which overstates its benefit: give Taihu's concentrations.
    """

    type: Literal["water_transfer"]
    id: Identifier | None = Field(
        None, description="Id of the added lateral; default 'transfer_<n>'."
    )
    node: Identifier
    discharge_m3s: SeriesOrValue
    concentrations: dict[str, SeriesOrValue] = Field(default_factory=dict)

    _species = field_validator("concentrations")(_known_species)

    @model_validator(mode="after")
    def _positive(self):
        if isinstance(self.discharge_m3s, (int, float)) and self.discharge_m3s <= 0:
            raise ValueError("a transfer's discharge_m3s must be > 0 (an inflow)")
        if any(isinstance(v, (int, float)) and v < 0 for v in self.concentrations.values()):
            raise ValueError("concentrations must be >= 0 mg/L")
        return self


Intervention = Annotated[
    PEnterpriseRemediation
    | WwtpExpansion
    | TailWaterWetland
    | SewerRepair
    | AgriculturalNpsReduction
    | StructureOperation
    | WaterTransfer,
    Field(discriminator="type"),
]

INTERVENTION_TYPES: tuple[str, ...] = (
    "p_enterprise_remediation",
    "wwtp_expansion",
    "tail_water_wetland",
    "sewer_repair",
    "agricultural_nps_reduction",
    "structure_operation",
    "water_transfer",
)

INTERVENTION_MODELS: tuple[type[StrictModel], ...] = (
    PEnterpriseRemediation,
    WwtpExpansion,
    TailWaterWetland,
    SewerRepair,
    AgriculturalNpsReduction,
    StructureOperation,
    WaterTransfer,
)


class ScenarioInterventions(StrictModel):
    """The ``[[interventions]]`` list of one scenario file."""

    interventions: list[Intervention] = Field(default_factory=list)


class DeclaredIntervention(NamedTuple):
    """A validated intervention and where it was written: ``file`` and its position
    ``index`` in that file's ``[[interventions]]`` list."""

    file: Path
    index: int
    spec: Intervention

    @property
    def field(self) -> str:
        return f"interventions[{self.index}]"
