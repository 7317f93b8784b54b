"""Tail-water wetland (尾水生态湿地) after a sewage plant: a share of each species removed
from its effluent."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from ..base import Identifier
from .base import InterventionBase, InterventionType, known_species
from .context import ApplyContext, fmt

TITLE = "Tail-water wetland"


class TailWaterWetland(InterventionBase):
    """Tail-water wetland (尾水生态湿地) after a plant: the share of each species removed from
    its effluent. The plant's ``effluent_removal`` for each named species becomes this value."""

    type: Literal["tail_water_wetland"]
    plant: Identifier
    removal: dict[str, float] = Field(..., min_length=1)

    _species = field_validator("removal")(known_species)

    @model_validator(mode="after")
    def _range(self):
        if any(not (0.0 <= v <= 1.0) for v in self.removal.values()):
            raise ValueError("removal shares must lie between 0 and 1")
        return self


def apply(ctx: ApplyContext, x: TailWaterWetland) -> tuple[str, list[str]]:
    k = ctx.plant("plant", x.plant)
    plant = ctx.model.sources[k]
    removal = dict(plant.effluent_removal)
    parts = []
    for sp, v in x.removal.items():
        before = removal.get(sp)
        parts.append(
            f"{sp} {fmt(100 * v)}%" + (f" (was {fmt(100 * before)}%)" if before is not None else "")
        )
        removal[sp] = v
    ctx.replace("sources", {k: ctx.rebuild(plant, {"effluent_removal": removal}, "removal")})
    return f"wetland after plant '{x.plant}' removes {', '.join(parts)} of its effluent", [x.plant]


TYPE = InterventionType(TailWaterWetland, TITLE, apply)
