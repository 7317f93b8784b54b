"""Water transfer from Taihu (引江济太 / 太湖调水): an inflow added at a node."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from ..base import Identifier, SeriesOrValue
from ..network import Lateral
from .base import InterventionBase, InterventionType, known_species
from .context import ApplyContext, value_text

TITLE = "Water transfer from Taihu"


class WaterTransfer(InterventionBase):
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

    _species = field_validator("concentrations")(known_species)

    @model_validator(mode="after")
    def _positive(self):
        if isinstance(self.discharge_m3s, (int, float)) and self.discharge_m3s <= 0:
            raise ValueError("a transfer's discharge_m3s must be > 0 (an inflow)")
        if any(isinstance(v, (int, float)) and v < 0 for v in self.concentrations.values()):
            raise ValueError("concentrations must be >= 0 mg/L")
        return self


def apply(ctx: ApplyContext, x: WaterTransfer) -> tuple[str, list[str]]:
    n_before = len(ctx.issues)
    ctx.node("node", x.node)
    ctx.series("discharge_m3s", x.discharge_m3s)
    for sp, v in x.concentrations.items():
        ctx.series(f"concentrations.{sp}", v)
    existing = {lat.id for lat in ctx.model.laterals}
    ctx.n_transfers += 1
    lat_id = x.id
    if lat_id is None:
        n = ctx.n_transfers
        while f"transfer_{n}" in existing:
            n += 1
        lat_id = f"transfer_{n}"
    elif lat_id in existing:
        ctx.issue("id", f"a lateral '{lat_id}' already exists", "give the transfer its own id")
    ctx.rejects_since(n_before)
    lateral = Lateral(
        id=lat_id,
        node=x.node,
        discharge_m3s=x.discharge_m3s,
        concentrations=dict(x.concentrations),
        source=x.source or f"scenario {ctx.file.name}, {ctx.field}",
        confidence=x.confidence or "assumed",
        note=x.note or "water transfer from Taihu added by a scenario intervention",
    )
    ctx.model = ctx.model.model_copy(update={"laterals": [*ctx.model.laterals, lateral]})
    quality = (
        ", ".join(f"{sp} {value_text(v, 'mg/L')}" for sp, v in x.concentrations.items())
        if x.concentrations
        else "no concentrations given: the water is taken as free of N and P"
    )
    return (
        f"{value_text(x.discharge_m3s, 'm3/s')} into node '{x.node}' (lateral '{lat_id}'); "
        f"{quality}",
        [lat_id],
    )


TYPE = InterventionType(WaterTransfer, TITLE, apply)
