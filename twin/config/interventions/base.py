"""What every intervention type shares: the common schema fields, the species check of its
concentration tables, and ``InterventionType``, the registry entry that ties a type's schema,
title and transform together."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, NamedTuple, get_args

from pydantic import Field

from ...vocab.species import ALL_NAMES
from ..base import Identifier, Provenance, StrictModel


def known_species(value: dict | str | None):
    """A field validator: every key of a concentration table is a species name."""
    if isinstance(value, dict):
        unknown = [k for k in value if k not in ALL_NAMES]
        if unknown:
            raise ValueError(f"unknown species '{unknown[0]}'; use one of {', '.join(ALL_NAMES)}")
    return value


class InterventionBase(Provenance):
    name: str | None = Field(None, description="Short label shown in reports.")
    description: str = Field("", description="What the measure is, in the bureau's words.")


CatchmentChoice = list[Identifier] | Literal["all"]


class InterventionType(NamedTuple):
    """One intervention type: its ``[[interventions]]`` schema, the title reports give it, and
    ``apply(ctx, spec) -> (text, changed ids)``, the transform of the model held by an
    ``ApplyContext`` (``twin.config.interventions.context``)."""

    schema: type[StrictModel]
    title: str
    apply: Callable

    @property
    def name(self) -> str:
        """The ``type`` string that selects it, from the schema's ``type`` literal."""
        return get_args(self.schema.model_fields["type"].annotation)[0]
