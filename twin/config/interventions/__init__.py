"""The interventions a scenario declares in ``[[interventions]]``: one module per type, and
``REGISTRY``, from which the schema of the list, the type names, the titles and the dispatch
of ``twin.config.scenario.apply_interventions`` are all derived.

Each type's module holds its schema class (types, ranges, one choice where the intervention
needs exactly one), its title, and ``apply(ctx, spec)``, the transform of the model. Whether the
ids an intervention names exist and fit is checked when it is applied, where each problem is
reported against the scenario file and ``interventions[i].<field>``.

A new type is a module with ``TYPE = InterventionType(schema, title, apply)``, listed in
``_MODULES``.

Numbers in an intervention are plans or assumptions about the future: each may carry
``source``, ``confidence`` and ``note`` like any other value in a config.
"""

from __future__ import annotations

import operator
from functools import reduce
from pathlib import Path
from typing import Annotated, NamedTuple

from pydantic import Field

from ..base import StrictModel
from . import (
    agricultural_nps_reduction,
    p_enterprise_remediation,
    sewer_repair,
    structure_operation,
    tail_water_wetland,
    water_transfer,
    wwtp_expansion,
)
from .base import InterventionType

_MODULES = (
    p_enterprise_remediation,
    wwtp_expansion,
    tail_water_wetland,
    sewer_repair,
    agricultural_nps_reduction,
    structure_operation,
    water_transfer,
)
"""In the order error messages list the types."""

REGISTRY: dict[str, InterventionType] = {m.TYPE.name: m.TYPE for m in _MODULES}
"""Every intervention type by its ``type`` name."""

INTERVENTION_TYPES: tuple[str, ...] = tuple(REGISTRY)

INTERVENTION_MODELS: tuple[type[StrictModel], ...] = tuple(t.schema for t in REGISTRY.values())

TITLES: dict[str, str] = {name: t.title for name, t in REGISTRY.items()}

Intervention = Annotated[
    reduce(operator.or_, INTERVENTION_MODELS),
    Field(discriminator="type"),
]
"""One ``[[interventions]]`` table, whichever its type."""


class ScenarioInterventions(StrictModel):
    """The ``[[interventions]]`` list of one scenario file."""

    interventions: list[Intervention] = Field(default_factory=list)


class DeclaredIntervention(NamedTuple):
    """A validated intervention and where it was written: ``file`` and its position
    ``index`` in that file's ``[[interventions]]`` list."""

    file: Path
    index: int
    spec: Intervention

    @property
    def field(self) -> str:
        return f"interventions[{self.index}]"
