"""Shared fixtures: paths of the shipped example configs."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def example_scenario() -> Path:
    return ROOT / "scenarios" / "example.toml"
