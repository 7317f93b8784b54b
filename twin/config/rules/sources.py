"""Sources, catchments and assessment sections: where they are, what they name (sewage plants,
series, presets), their concentrations, land use and runoff parameters.

Whether a catchment's GeoJSON file exists and holds its polygon is a check of the input files
(``twin.forcing.checks``), not of the config."""

from __future__ import annotations

from ...vocab.landuse import LAND_USE_CLASSES, RUNOFF_PARAMETERS, parameter_range
from ...vocab.sources import EFFLUENT_PRESETS
from .context import CheckContext


def sources(ctx: CheckContext) -> None:
    wwtps = {s.id for s in ctx.model.sources if s.kind == "wwtp"}
    for i, s in enumerate(ctx.model.sources):
        ctx.location("sources", i, s.node, s.reach, s.chainage_m)
        ctx.not_at_level_boundary("sources", i, s.node, f"source '{s.id}'")
        if s.kind == "wwtp":
            ctx.value("sources", i, "inflow_m3d", s.inflow_m3d)
            if isinstance(s.effluent, dict):
                ctx.concentrations("sources", i, "effluent", s.effluent)
            elif s.effluent not in EFFLUENT_PRESETS:
                ctx.add(
                    "sources",
                    i,
                    "effluent",
                    f"unknown effluent preset '{s.effluent}'",
                    f"use one of {', '.join(EFFLUENT_PRESETS)}, or give concentrations",
                )
            if s.raw_sewage:
                ctx.concentrations("sources", i, "raw_sewage", s.raw_sewage)
            ctx.concentrations("sources", i, "effluent_overrides", s.effluent_overrides)
            ctx.concentrations("sources", i, "effluent_removal", s.effluent_removal)
        else:
            ctx.value("sources", i, "flow_m3d", s.flow_m3d)
            ctx.concentrations("sources", i, "concentrations", s.concentrations)
        if getattr(s, "connected_to", None) is not None and s.connected_to not in wwtps:
            ctx.add(
                "sources",
                i,
                "connected_to",
                f"'{s.connected_to}' is not a sewage plant (kind = 'wwtp')",
                f"use one of {', '.join(sorted(wwtps)) or '(none declared)'}",
            )


def catchments(ctx: CheckContext) -> None:
    wwtps = {s.id for s in ctx.model.sources if s.kind == "wwtp"}
    for i, c in enumerate(ctx.model.catchments):
        ctx.need("catchments", i, "outlet_node", c.outlet_node, "nodes", "node")
        ctx.not_at_level_boundary(
            "catchments", i, c.outlet_node, f"runoff of catchment '{c.id}'", "outlet_node"
        )
        ctx.need("catchments", i, "outlet_reach", c.outlet_reach, "reaches", "reach")
        if c.wwtp is not None and c.wwtp not in wwtps:
            ctx.add(
                "catchments",
                i,
                "wwtp",
                f"'{c.wwtp}' is not a sewage plant",
                "name a [[sources]] of kind 'wwtp'",
            )
        for cls in c.land_use:
            if cls not in LAND_USE_CLASSES:
                ctx.add(
                    "catchments",
                    i,
                    f"land_use.{cls}",
                    f"unknown land-use class '{cls}'",
                    f"use {', '.join(LAND_USE_CLASSES)}",
                )
        for name, value in c.runoff.items():
            if name not in RUNOFF_PARAMETERS:
                ctx.add(
                    "catchments",
                    i,
                    f"runoff.{name}",
                    f"unknown runoff parameter '{name}'",
                    f"use one of {', '.join(RUNOFF_PARAMETERS)}",
                )
                continue
            lo, hi = parameter_range(name)
            if not lo <= value <= hi:
                ctx.add(
                    "catchments",
                    i,
                    f"runoff.{name}",
                    f"{value} is outside {lo}-{hi} {RUNOFF_PARAMETERS[name].unit}",
                    "use a value in that range",
                )


def sections(ctx: CheckContext) -> None:
    for i, s in enumerate(ctx.model.sections):
        ctx.location("sections", i, s.node, s.reach, s.chainage_m)
