"""Cross-reference checks on a merged model: every id that is named exists, every part of the
network has a boundary, every time series covers the run. All problems are collected.

The rules are in ``twin.config.rules``; checks of the input files a config names (GeoJSON
polygons, forcing files) are ``twin.forcing.checks``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ConfigIssue
from .rules import RULES
from .rules.context import CheckContext

if TYPE_CHECKING:
    from .loaded import LoadedConfig


def check_model(cfg: LoadedConfig) -> list[ConfigIssue]:
    """Every problem the rules find in ``cfg``, in the order of ``RULES``."""
    ctx = CheckContext(cfg)
    for rule in RULES:
        rule(ctx)
    return ctx.issues
