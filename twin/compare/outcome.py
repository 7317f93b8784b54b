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


def failure(exc: Exception, folder: str) -> tuple[str, str]:
    """(error kind, message) of a failed member run: 'config' for a mistake the user can
    fix, 'simulation' for a numerical failure, 'internal' for anything else (its traceback
    is in the run's log, ``folder/run.log``)."""
    from ..errors import SimulationError, UserError

    if isinstance(exc, UserError):
        return "config", str(exc)
    if isinstance(exc, SimulationError):
        return "simulation", str(exc)
    return "internal", f"{type(exc).__name__}: {exc} (traceback in {folder}/run.log)"
