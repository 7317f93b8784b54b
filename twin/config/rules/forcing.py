"""Forcing settings: the quantities and deposition species named exist.

Whether the forcing files exist is a check of the input files (``twin.forcing.checks``)."""

from __future__ import annotations

from ...vocab.forcing import FORCING_QUANTITIES
from ...vocab.species import ALL_NAMES
from .context import CheckContext


def forcing_names(ctx: CheckContext) -> None:
    f = ctx.model.forcing
    if f is None:
        return
    for q in f.variables:
        if q not in FORCING_QUANTITIES:
            ctx.add(
                "forcing",
                None,
                f"variables.{q}",
                f"unknown quantity '{q}'",
                f"use one of {', '.join(FORCING_QUANTITIES)}",
            )
    for k in f.deposition_kg_ha_yr:
        if k not in ALL_NAMES:
            ctx.add(
                "forcing",
                None,
                f"deposition_kg_ha_yr.{k}",
                f"unknown species '{k}'",
                f"use one of {', '.join(ALL_NAMES)}",
            )
