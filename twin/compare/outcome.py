"""What became of each scenario of a comparison: the record the runs fill and the report reads."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..assess.products import RunProducts


@dataclass
class ScenarioOutcome:
    """What became of one scenario.

    ``status`` is 'ok' or 'failed'; ``error_kind`` 'config' (the user can fix the input),
    'simulation' (a numerical failure) or 'internal' (a fault in twin or the cluster).
    ``interventions`` are the descriptions of ``twin.config.scenario.describe``; ``folder`` is the
    run folder relative to the comparison folder; ``title`` the scenario's display name
    (``[scenario] title``).
    """

    index: int
    path: str
    name: str
    folder: str
    title: str = ""
    language: str = ""
    """The model's ``[model] language``; the report's default language is the baseline's."""
    status: str = "pending"
    error: str = ""
    error_kind: str = ""
    description: str = ""
    model: str = ""
    inherits: list[str] = field(default_factory=list)
    interventions: list[str] = field(default_factory=list)
    products: RunProducts | None = None
    wall_time_s: float = float("nan")
    worker: str = ""

    @property
    def label(self) -> str:
        """The name shown in tables and figures: the title, else the name."""
        return self.title or self.name

    @property
    def ok(self) -> bool:
        return self.status == "ok"
