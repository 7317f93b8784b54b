"""Sewer-network repair (雨污水管网检查修复): less sewage lost from the sewers, more of the
population connected."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

from .base import CatchmentChoice, InterventionBase, InterventionType
from .context import ApplyContext, fmt, listing

TITLE = "Sewer-network repair"


class SewerRepair(InterventionBase):
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


def apply(ctx: ApplyContext, x: SewerRepair) -> tuple[str, list[str]]:
    idx = ctx.catchments(x.catchments)
    named = x.catchments != "all"
    n_before = len(ctx.issues)
    new: dict[int, BaseModel] = {}
    lines, skipped = [], []
    for k in idx:
        c = ctx.model.catchments[k]
        update = {}
        if x.sewer_leak_fraction is not None:
            if x.sewer_leak_fraction > c.sewer_leak_fraction and named:
                ctx.issue(
                    "sewer_leak_fraction",
                    f"{fmt(x.sewer_leak_fraction)} would raise the leak fraction of "
                    f"catchment '{c.id}' (now {fmt(c.sewer_leak_fraction)})",
                    "a repair lowers the leak fraction: give a smaller value",
                )
                continue
            update["sewer_leak_fraction"] = min(c.sewer_leak_fraction, x.sewer_leak_fraction)
        elif x.leak_reduction_fraction is not None:
            update["sewer_leak_fraction"] = c.sewer_leak_fraction * (
                1.0 - x.leak_reduction_fraction
            )
        if x.sewer_connection_fraction is not None:
            target = x.sewer_connection_fraction
            if target < c.sewer_connection_fraction and named:
                ctx.issue(
                    "sewer_connection_fraction",
                    f"{fmt(target)} would lower the connected share of catchment "
                    f"'{c.id}' (now {fmt(c.sewer_connection_fraction)})",
                    "give a value at least the present one",
                )
                continue
            target = max(target, c.sewer_connection_fraction)
            if target > c.sewer_connection_fraction and c.wwtp is None:
                if named:
                    ctx.issue(
                        "sewer_connection_fraction",
                        f"catchment '{c.id}' has no sewage plant to receive more sewage",
                        "set 'wwtp' on the catchment in the model, or leave it out",
                    )
                    continue
                skipped.append(c.id)
            else:
                update["sewer_connection_fraction"] = target
        changed = {f: v for f, v in update.items() if abs(v - getattr(c, f)) > 0.0}
        if changed:
            new[k] = ctx.rebuild(c, changed, "catchments")
            lines.append(
                f"{c.id} ("
                + ", ".join(
                    f"{f.removeprefix('sewer_')} {fmt(getattr(c, f))} -> {fmt(v)}"
                    for f, v in changed.items()
                )
                + ")"
            )
    ctx.rejects_since(n_before)
    if not new:
        raise ctx.reject(
            "",
            "changes nothing: every chosen catchment already meets these values",
            "give lower leak or higher connection fractions",
        )
    ctx.replace("catchments", new)
    text = f"catchments: {listing(lines)}"
    if skipped:
        text += f"; connection unchanged where no plant receives the sewage: {listing(skipped)}"
    return text, [ctx.model.catchments[k].id for k in sorted(new)]


TYPE = InterventionType(SewerRepair, TITLE, apply)
