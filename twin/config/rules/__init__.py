"""Validation rules of a merged model: each ``rule(ctx)`` checks one concern and reports every
problem it finds through ``ctx.add`` (``CheckContext``). ``RULES`` runs them in the order their
messages are listed; the coverage rule comes after every rule that notes the series in use."""

from __future__ import annotations

from collections.abc import Callable

from . import forcing, ids, network, quality, run, sources
from .context import CheckContext

RULES: tuple[Callable[[CheckContext], None], ...] = (
    ids.duplicate_ids,
    network.reaches,
    network.boundaries,
    network.laterals,
    network.structures,
    network.connectivity,
    sources.sources,
    sources.catchments,
    sources.sections,
    quality.overrides,
    quality.dispersion,
    quality.water_temperature,
    forcing.forcing_names,
    run.coverage,
    run.initial_levels,
)
