"""A new operating rule for a sluice, weir or pump."""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from ..base import Identifier, SeriesOrValue
from ..structures import LevelRule
from .base import InterventionBase, InterventionType
from .context import ApplyContext, fmt, listing, value_text

TITLE = "Structure operation"


class StructureOperation(InterventionBase):
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


_FITS = {
    "opening_m": "sluice",
    "rule": "sluice",
    "crest_level_m": "weir",
    "schedule": "pump",
    "start_level_m": "pump",
}
"""The kind of structure each control applies to."""

_HINTS = {
    "sluice": "'opening_m' or 'rule'",
    "weir": "'crest_level_m'",
    "pump": "'schedule' or 'start_level_m' with 'stop_level_m'",
}


def apply(ctx: ApplyContext, x: StructureOperation) -> tuple[str, list[str]]:
    ids = [s.id for s in ctx.model.structures]
    if x.structure not in ids:
        raise ctx.reject(
            "structure",
            f"structure '{x.structure}' does not exist",
            f"known structures: {listing(sorted(ids))}" if ids else "the model has none",
        )
    k = ids.index(x.structure)
    s = ctx.model.structures[k]
    given = next(f for f in _FITS if getattr(x, f) is not None)  # the schema allows only one
    if s.kind in ("flap_gate", "culvert"):
        raise ctx.reject(
            "structure",
            f"'{x.structure}' is a {s.kind.replace('_', ' ')}, which has no operation to set",
            "operate a sluice, weir or pump",
        )
    if _FITS[given] != s.kind:
        raise ctx.reject(
            given,
            f"'{given}' applies to a {_FITS[given]}, but '{x.structure}' is a {s.kind}",
            f"for a {s.kind} give {_HINTS[s.kind]}",
        )
    n_before = len(ctx.issues)
    if given == "opening_m":
        ctx.series("opening_m", x.opening_m)
        if isinstance(x.opening_m, float | int) and not 0 <= x.opening_m <= s.max_opening_m:
            ctx.issue(
                "opening_m",
                f"opening {fmt(x.opening_m)} m is outside 0..{fmt(s.max_opening_m)} m "
                f"(max_opening_m of '{x.structure}')",
                "give an opening within that range",
            )
        update = {"opening_m": x.opening_m, "rule": None}
        text = f"sluice '{x.structure}' opening {value_text(x.opening_m, 'm')}"
    elif given == "rule":
        r = x.rule
        ctx.node("rule.node", r.node)
        if max(r.on_value, r.off_value) > s.max_opening_m:
            ctx.issue(
                "rule",
                f"rule opening above max_opening_m {fmt(s.max_opening_m)} m of '{x.structure}'",
                "give openings within the gate's range",
            )
        update = {"opening_m": None, "rule": r.model_dump()}
        text = (
            f"sluice '{x.structure}' opens to {fmt(r.on_value)} m when the level at "
            f"'{r.node}' rises above {fmt(r.above_m)} m and returns to "
            f"{fmt(r.off_value)} m below {fmt(r.below_m)} m"
        )
    elif given == "crest_level_m":
        ctx.series("crest_level_m", x.crest_level_m)
        update = {"crest_level_m": x.crest_level_m}
        text = f"weir '{x.structure}' crest level {value_text(x.crest_level_m, 'm')}"
    elif given == "schedule":
        ctx.series("schedule", x.schedule)
        if isinstance(x.schedule, float | int) and not 0 <= x.schedule <= 1:
            ctx.issue("schedule", "a running fraction lies between 0 and 1", "")
        update = {"schedule": x.schedule, "start_level_m": None, "stop_level_m": None,
                  "control_node": None}  # fmt: skip
        text = f"pump '{x.structure}' runs on schedule {value_text(x.schedule, '(fraction)')}"
    else:
        ctx.node("control_node", x.control_node)
        update = {"schedule": None, "start_level_m": x.start_level_m,
                  "stop_level_m": x.stop_level_m, "control_node": x.control_node}  # fmt: skip
        text = (
            f"pump '{x.structure}' starts above {fmt(x.start_level_m)} m and stops below "
            f"{fmt(x.stop_level_m)} m at '{x.control_node or s.from_node}'"
        )
    ctx.rejects_since(n_before)
    ctx.replace("structures", {k: ctx.rebuild(s, update, given)})
    return text, [x.structure]


TYPE = InterventionType(StructureOperation, TITLE, apply)
