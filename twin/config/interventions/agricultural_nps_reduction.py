"""Agricultural non-point control: the non-point loads of the chosen catchments cut by a
share."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .base import CatchmentChoice, InterventionBase, InterventionType
from .context import ApplyContext, fmt, listing

TITLE = "Agricultural non-point control"


class AgriculturalNpsReduction(InterventionBase):
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


def apply(ctx: ApplyContext, x: AgriculturalNpsReduction) -> tuple[str, list[str]]:
    idx = ctx.catchments(x.catchments)
    keep = 1.0 - x.reduction_fraction
    catchments = ctx.model.catchments
    new = {
        k: ctx.rebuild(
            catchments[k],
            {"nonpoint_load_factor": catchments[k].nonpoint_load_factor * keep},
            "reduction_fraction",
        )
        for k in idx
    }
    ids = [catchments[k].id for k in idx]
    ctx.replace("catchments", new)
    where = "all catchments" if x.catchments == "all" else f"catchments {listing(ids)}"
    return (
        f"non-point loads cut by {fmt(100 * x.reduction_fraction)}% in {where} "
        f"(nonpoint_load_factor x {fmt(keep)})",
        ids,
    )


TYPE = InterventionType(AgriculturalNpsReduction, TITLE, apply)
