"""Water-quality settings: overrides and dispersion name existing reaches and nodes that hold
water; a water-temperature series exists and holds water temperatures."""

from __future__ import annotations

from ..quality import WATER_TEMPERATURE_RANGE_C
from .context import CheckContext


def overrides(ctx: CheckContext) -> None:
    nodes = {n.id: n for n in ctx.model.nodes}
    for j, o in enumerate(ctx.model.quality.overrides):
        for r in o.reaches:
            if r not in ctx.ids["reaches"]:
                ctx.add(
                    "quality",
                    None,
                    f"overrides[{j}].reaches",
                    f"reach '{r}' does not exist",
                    "name a declared reach",
                )
        for n in o.nodes:
            if n not in ctx.ids["nodes"]:
                ctx.add(
                    "quality",
                    None,
                    f"overrides[{j}].nodes",
                    f"node '{n}' does not exist",
                    "name a declared node",
                )
            elif n in nodes and not ctx.holds_water(nodes[n]):
                ctx.add(
                    "quality",
                    None,
                    f"overrides[{j}].nodes",
                    f"node '{n}' holds no water of its own, so no kinetics apply there",
                    "name storage nodes or junctions with surface_area_m2 > 0 (not "
                    "level or tide boundaries); reaches take 'reaches'",
                )


def dispersion(ctx: CheckContext) -> None:
    for r in ctx.model.quality.dispersion_per_reach_m2_s:
        if r not in ctx.ids["reaches"]:
            ctx.add(
                "quality",
                None,
                f"dispersion_per_reach_m2_s.{r}",
                f"reach '{r}' does not exist",
                "name a declared reach",
            )


def water_temperature(ctx: CheckContext) -> None:
    t = ctx.model.quality.temperature_c
    if not isinstance(t, str):
        return
    if t not in ctx.series:
        ctx.add(
            "quality",
            None,
            "temperature_c",
            f"time series '{t}' does not exist",
            "declare it in [[timeseries]] or give a number",
        )
        return
    ctx.used_series.setdefault(t, ("quality", 0, "temperature_c"))
    values = ctx.series[t].values
    lo, hi = WATER_TEMPERATURE_RANGE_C
    if min(values) < lo or max(values) > hi:
        ctx.add(
            "quality",
            None,
            "temperature_c",
            f"time series '{t}' has water temperatures from {min(values)} to {max(values)} C, "
            f"outside {lo} to {hi} C",
            "give water temperature in degrees C",
        )
