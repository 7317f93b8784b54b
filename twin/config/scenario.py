"""Interventions: typed transforms of a loaded model, applied in the order the scenario chain
declares them (the root scenario's first, the leaf's last).

Each transform takes the validated ``ModelConfig`` and returns a new one; the input is never
changed (items are rebuilt and revalidated, lists are copied). Anything an intervention names
that does not exist or does not fit becomes a ``ConfigIssue`` against the scenario file and
``interventions[i].<field>``; all of them are raised together as one ``ConfigError``. The
transforms themselves live with their types in ``twin.config.interventions``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError, ConfigIssue
from .checks import check_model
from .interventions import REGISTRY
from .interventions.context import ApplyContext, RejectedError
from .loaded import LoadedConfig
from .loader import load_config


@dataclass(frozen=True)
class AppliedIntervention:
    """What one intervention did, for the log and the report.

    ``changed`` lists the ids of the model items it changed or added.
    """

    file: Path
    index: int
    type: str
    title: str
    description: str
    changed: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.file.name} interventions[{self.index}]"


def apply_interventions(cfg: LoadedConfig) -> LoadedConfig:
    """The config with every intervention of its scenario chain applied to its model.

    Returns a new ``LoadedConfig`` whose ``model`` is transformed and whose
    ``applied_interventions`` holds one ``AppliedIntervention`` per intervention, in the
    order applied; ``cfg`` itself is not changed. A config whose interventions were already
    applied is returned as it is. Raises ``ConfigError`` listing every intervention that names
    something missing or unfit.

    Laterals added by water transfers have no entry in ``origins``: they were written in a
    scenario, not in a model table.
    """
    if cfg.applied_interventions is not None:
        return cfg
    ctx = ApplyContext(cfg.model, cfg.run)
    applied: list[AppliedIntervention] = []
    for decl in cfg.interventions:
        ctx.at(decl.file, decl.index)
        spec = decl.spec
        kind = REGISTRY[spec.type]
        try:
            text, changed = kind.apply(ctx, spec)
        except RejectedError:
            continue
        head = f"{spec.name} ({kind.title})" if spec.name else kind.title
        applied.append(
            AppliedIntervention(
                file=decl.file,
                index=decl.index,
                type=spec.type,
                title=kind.title,
                description=f"{head}: {text}",
                changed=tuple(changed),
            )
        )
    if ctx.issues:
        raise ConfigError(ctx.issues)
    out = dataclasses.replace(cfg, model=ctx.model, applied_interventions=applied)
    # The transforms check what they touch; this is the safety net for anything they missed.
    after = check_model(out)
    if after:
        raise ConfigError(
            [
                ConfigIssue(
                    i.file, i.field, f"after applying the interventions: {i.message}", i.fix
                )
                for i in after
            ]
        )
    return out


def describe(cfg: LoadedConfig) -> list[str]:
    """One line per applied intervention, 'file interventions[i]: description'."""
    return [f"{a.label}: {a.description}" for a in cfg.applied_interventions or []]


def load_scenario(
    path, file_checks: Sequence[Callable[[LoadedConfig], list[ConfigIssue]]] = ()
) -> LoadedConfig:
    """Load a scenario or model file and apply its interventions.

    ``file_checks`` are further checks of the loaded config, as ``load_config`` takes them;
    ``twin.run.load`` passes those of the input files, for the config a run uses. Raises
    ConfigError listing every problem, in the files or in the interventions."""
    return apply_interventions(load_config(path, file_checks))
