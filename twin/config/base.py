"""Shared pieces of the configuration schema: strict base model, provenance, paths, values."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo
from pydantic.functional_validators import AfterValidator

Confidence = Literal["measured", "published", "estimated", "assumed"]
"""How far a number can be trusted.

measured: from a measurement or an official record of this object; published: from a
paper, report or official web page about this object; estimated: derived from published
facts about the area (e.g. a width read off a map); assumed: a typical value for this kind
of object, to be replaced when better data exist.
"""


class StrictModel(BaseModel):
    """Base for every config table: unknown keys are errors, values are checked on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)


class Provenance(StrictModel):
    """Where a number comes from. Every real-world value carries one."""

    source: str | None = Field(
        None, description="Citation, document or method the values come from."
    )
    confidence: Confidence | None = Field(
        None, description="measured, published, estimated or assumed."
    )
    note: str | None = Field(None, description="Free text: caveats, what was approximated and why.")


def _resolve(value: Path, info: ValidationInfo) -> Path:
    """Resolve a relative path against the folder of the file that declared it."""
    base = (info.context or {}).get("base_dir")
    if base is not None and not value.is_absolute():
        value = Path(base) / value
    return value


RelPath = Annotated[Path, AfterValidator(_resolve)]
"""A path written relative to the TOML file that contains it, resolved at load time."""

SeriesOrValue = float | str
"""A constant number, or the id of a time series declared in ``[[timeseries]]``."""


Identifier = Annotated[
    str,
    Field(
        min_length=1,
        max_length=80,
        pattern=r"^[A-Za-z0-9_\-\.\u4e00-\u9fff]+$",
        description="Letters, digits, '_', '-', '.', or Chinese characters; no spaces or slashes.",
    ),
]


def strictly_increasing(values: list[float], what: str) -> list[float]:
    if any(b <= a for a, b in itertools.pairwise(values)):
        raise ValueError(f"{what} must be strictly increasing")
    return values
