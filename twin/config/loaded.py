"""The loaded configuration: a validated model, its run settings, and where each item came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .interventions import DeclaredIntervention
from .model import ModelConfig
from .run import RunSettings


@dataclass
class LoadedConfig:
    """A validated configuration, ready to compile into a model.

    ``origins[table][i]`` is the file and the position within that file of item ``i`` of the
    merged list ``table``, so later checks can name the file a problem is in.
    """

    name: str
    path: Path
    model: ModelConfig
    run: RunSettings | None
    model_path: Path
    scenario_chain: list[Path] = field(default_factory=list)
    interventions: list[DeclaredIntervention] = field(default_factory=list)
    title: str = ""
    """The scenario's display name (``[scenario] title``); '' when it has none."""
    applied_interventions: list[Any] | None = None
    """None until ``twin.config.scenario.apply_interventions`` has transformed ``model``; then one
    ``AppliedIntervention`` (with its description) per entry of ``interventions``."""
    files: list[Path] = field(default_factory=list)
    origins: dict[str, list[tuple[Path, int]]] = field(default_factory=dict)
    declared_ids: dict[str, set] = field(default_factory=dict)

    def origin(self, table: str, index: int) -> tuple[Path, str]:
        """(file, field prefix) of item ``index`` in merged list ``table``."""
        f, i = self.origins[table][index]
        return f, f"{table}[{i}]"

    def locate(self, table: str, index: int | None, fieldname: str) -> tuple[Path, str]:
        """(file, dotted field) of ``fieldname`` in item ``index`` of merged list ``table``.

        A table that is not a list (``quality``, ``forcing``, ``run``: ``index`` None) and an
        item without an origin (a lateral a water transfer added) are the model file's."""
        if table in self.origins and index is not None and index < len(self.origins[table]):
            f, prefix = self.origin(table, index)
        else:
            f, prefix = self.model_path, table
        return f, f"{prefix}.{fieldname}" if fieldname else prefix
