"""Sewage-plant expansion or upgrade: more capacity and/or a new effluent standard."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from ...vocab.sources import EFFLUENT_PRESETS
from ..base import Identifier
from .base import InterventionBase, InterventionType, known_species
from .context import ApplyContext, fmt

TITLE = "Sewage-plant expansion"


class WwtpExpansion(InterventionBase):
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

    _species = field_validator("effluent")(known_species)

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


def _effluent_text(effluent: str | dict[str, float]) -> str:
    if isinstance(effluent, str):
        return f"preset '{effluent}'"
    return ", ".join(f"{sp} {fmt(v)}" for sp, v in effluent.items()) + " mg/L"


def apply(ctx: ApplyContext, x: WwtpExpansion) -> tuple[str, list[str]]:
    k = ctx.plant("plant", x.plant)
    plant = ctx.model.sources[k]
    update: dict = {}
    parts = []
    if x.added_capacity_m3d is not None:
        new_capacity = plant.capacity_m3d + x.added_capacity_m3d
        update["capacity_m3d"] = new_capacity
        parts.append(
            f"capacity {fmt(plant.capacity_m3d)} + {fmt(x.added_capacity_m3d)} = "
            f"{fmt(new_capacity)} m3/d"
        )
    elif x.capacity_m3d is not None:
        if x.capacity_m3d <= plant.capacity_m3d:
            raise ctx.reject(
                "capacity_m3d",
                f"{fmt(x.capacity_m3d)} m3/d is not more than the present capacity of "
                f"'{x.plant}' ({fmt(plant.capacity_m3d)} m3/d)",
                "give a larger capacity, or leave capacity_m3d out to change only the effluent",
            )
        update["capacity_m3d"] = x.capacity_m3d
        parts.append(f"capacity {fmt(plant.capacity_m3d)} -> {fmt(x.capacity_m3d)} m3/d")
    if x.effluent is not None:
        if isinstance(x.effluent, str) and x.effluent not in EFFLUENT_PRESETS:
            raise ctx.reject(
                "effluent",
                f"unknown effluent preset '{x.effluent}'",
                f"use one of {', '.join(sorted(EFFLUENT_PRESETS))}, or give concentrations",
            )
        update["effluent"] = x.effluent
        parts.append(f"effluent {_effluent_text(plant.effluent)} -> {_effluent_text(x.effluent)}")
    ctx.replace("sources", {k: ctx.rebuild(plant, update, "plant")})
    return f"plant '{x.plant}': {'; '.join(parts)}", [x.plant]


TYPE = InterventionType(WwtpExpansion, TITLE, apply)
