"""The config a run uses, checked as a run needs it: the schema and rules of ``twin.config``,
and the input files it names (catchment polygons, forcing files, ``twin.forcing.checks``;
observation files, ``twin.observe.checks``),
every problem reported together in one ``ConfigError``."""

from __future__ import annotations

from pathlib import Path

from ..config import scenario
from ..config.loaded import LoadedConfig
from ..config.loader import load_config as _load_config
from ..forcing.checks import check_input_files
from ..observe.checks import check_observations

FILE_CHECKS = (check_input_files, check_observations)


def load_checked_config(path: str | Path) -> LoadedConfig:
    """A model or scenario file, loaded and checked with its input files; interventions not
    yet applied (``twin.config.scenario.apply_interventions``)."""
    return _load_config(path, FILE_CHECKS)


def load_checked_scenario(path: str | Path) -> LoadedConfig:
    """A model or scenario file, loaded and checked with its input files, interventions
    applied: the config a run, a validation or a forecast cycle starts from."""
    return scenario.load_scenario(path, FILE_CHECKS)
