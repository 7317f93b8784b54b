"""Top-level config documents: a model (network, sources, settings) and a scenario."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .base import RelPath, StrictModel
from .forecast import ForecastSettings
from .network import Boundary, CrossSection, Lateral, Node, Reach
from .observations import ObservationSettings
from .quality import QualitySettings
from .run import RunSettings
from .sources import AssessmentSection, Catchment, ForcingSettings, Source
from .structures import Structure
from .timeseries import TimeSeries

LIST_FIELDS = (
    "timeseries",
    "nodes",
    "cross_sections",
    "reaches",
    "boundaries",
    "laterals",
    "structures",
    "sources",
    "catchments",
    "sections",
)
"""Tables that may be split over several files with ``include``; their lists are joined."""


class Fragment(StrictModel):
    """An included file: any of the list tables, nothing else."""

    include: list[RelPath] = Field(default_factory=list)
    timeseries: list[TimeSeries] = Field(default_factory=list)
    nodes: list[Node] = Field(default_factory=list)
    cross_sections: list[CrossSection] = Field(default_factory=list)
    reaches: list[Reach] = Field(default_factory=list)
    boundaries: list[Boundary] = Field(default_factory=list)
    laterals: list[Lateral] = Field(default_factory=list)
    structures: list[Structure] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    catchments: list[Catchment] = Field(default_factory=list)
    sections: list[AssessmentSection] = Field(default_factory=list)


class ModelInfo(StrictModel):
    name: str = Field(..., min_length=1)
    description: str = ""
    coordinates: Literal["lonlat", "xy_m"] = Field(
        "lonlat", description="Node coordinates: WGS84 lon/lat in degrees, or projected x/y in m."
    )
    vertical_datum: str = "1985 National Height Datum"
    language: Literal["en", "zh"] = Field(
        "en", description="Language of the run's figures and of comparison reports: 'en' or 'zh'."
    )


class ModelConfig(Fragment):
    """A whole model: the network and its settings, possibly spread over included files."""

    model: ModelInfo
    quality: QualitySettings = Field(default_factory=QualitySettings)
    forcing: ForcingSettings | None = None
    run: RunSettings | None = None
    forecast: ForecastSettings | None = None
    observations: ObservationSettings | None = None


class ScenarioInfo(StrictModel):
    name: str = Field(..., min_length=1)
    title: str = Field(
        "", description="Name shown in reports and figures (the scenario's name when empty)."
    )
    description: str = ""
    model: RelPath | None = Field(None, description="The model config this scenario runs.")
    inherits: RelPath | None = Field(None, description="A scenario whose settings this extends.")

    @model_validator(mode="after")
    def _one(self):
        if (self.model is None) == (self.inherits is None):
            raise ValueError("give exactly one of 'model' or 'inherits'")
        return self
