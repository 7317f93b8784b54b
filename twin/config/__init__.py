"""Configuration: the pydantic schema of model and scenario TOML files, and their loader."""

from .loaded import LoadedConfig
from .loader import load_config
from .model import ModelConfig

__all__ = ["LoadedConfig", "ModelConfig", "load_config"]
