"""Schema of hydraulic structures: zero-length links between two nodes.

Positive flow runs from ``from_node`` to ``to_node``. The discharge laws live in
``twin/hydro/structures.py``; the coefficients here default to the values given there.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from .base import Identifier, Provenance, SeriesOrValue, StrictModel


class LevelRule(StrictModel):
    """Open or close on the level at a node, with hysteresis.

    The structure switches to ``on_value`` when the level at ``node`` rises above
    ``above_m`` and back to ``off_value`` when it falls below ``below_m`` (below_m <= above_m).
    For a sluice the values are openings (m); for a pump, 1 (running) and 0 (stopped).
    """

    node: Identifier
    above_m: float
    below_m: float
    on_value: float = Field(..., ge=0)
    off_value: float = Field(0.0, ge=0)

    @model_validator(mode="after")
    def _order(self):
        if self.below_m > self.above_m:
            raise ValueError("below_m must not exceed above_m (hysteresis band)")
        return self


class _StructureBase(Provenance):
    id: Identifier
    name: str | None = None
    from_node: Identifier
    to_node: Identifier

    @model_validator(mode="after")
    def _ends(self):
        if self.from_node == self.to_node:
            raise ValueError("from_node and to_node must differ")
        return self


class Weir(_StructureBase):
    """Broad-crested weir, flow both ways, Villemonte submergence."""

    kind: Literal["weir"]
    crest_level_m: SeriesOrValue
    crest_width_m: float = Field(..., gt=0)
    discharge_coefficient: float = Field(
        0.36, gt=0.2, lt=0.5, description="m in Q = m B sqrt(2g) H^1.5; 0.32-0.385 typical."
    )


class Sluice(_StructureBase):
    """Sluice gate: weir flow when the gate is clear of the water, orifice flow under it,
    free or submerged, in either direction unless ``flow_direction`` restricts it.

    The opening (m above the sill) is a constant, a time series id, or a level rule.
    """

    kind: Literal["sluice"]
    sill_level_m: float
    width_m: float = Field(..., gt=0)
    opening_m: SeriesOrValue | None = None
    rule: LevelRule | None = None
    max_opening_m: float = Field(10.0, gt=0)
    weir_coefficient: float = Field(0.36, gt=0.2, lt=0.5)
    flow_direction: Literal["both", "positive", "negative"] = "both"

    @model_validator(mode="after")
    def _control(self):
        if (self.opening_m is None) == (self.rule is None):
            raise ValueError("give exactly one of 'opening_m' (value or series) or 'rule'")
        return self


class Pump(_StructureBase):
    """Pump from from_node to to_node at ``capacity_m3s`` while running.

    It starts when the level at ``control_node`` (default: from_node, the suction side) rises
    above ``start_level_m`` and stops when it falls below ``stop_level_m``; or it follows a
    ``schedule`` series of the running fraction (0-1).
    """

    kind: Literal["pump"]
    capacity_m3s: float = Field(..., gt=0)
    start_level_m: float | None = None
    stop_level_m: float | None = None
    control_node: Identifier | None = None
    schedule: SeriesOrValue | None = None

    @model_validator(mode="after")
    def _control(self):
        has_levels = self.start_level_m is not None and self.stop_level_m is not None
        if has_levels == (self.schedule is not None):
            raise ValueError("give start_level_m and stop_level_m, or a 'schedule', not both")
        if has_levels and self.stop_level_m > self.start_level_m:
            raise ValueError("stop_level_m must not exceed start_level_m")
        return self


class FlapGate(_StructureBase):
    """One-way culvert: flow only from from_node to to_node, never back."""

    kind: Literal["flap_gate"]
    invert_level_m: float
    width_m: float = Field(..., gt=0)
    height_m: float = Field(..., gt=0)
    loss_coefficient: float = Field(1.5, gt=0, description="Sum of entry, exit and flap losses.")


class Culvert(_StructureBase):
    """Box culvert with friction and entry/exit losses, flow both ways."""

    kind: Literal["culvert"]
    invert_level_m: float
    width_m: float = Field(..., gt=0)
    height_m: float = Field(..., gt=0)
    length_m: float = Field(..., gt=0)
    manning_n: float = Field(0.015, gt=0.005, lt=0.1)
    entry_loss: float = Field(0.5, ge=0)
    exit_loss: float = Field(1.0, ge=0)


Structure = Annotated[Weir | Sluice | Pump | FlapGate | Culvert, Field(discriminator="kind")]
