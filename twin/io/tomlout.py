"""Write config objects back as TOML (the resolved config of a run)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import tomli_w
from pydantic import BaseModel


def to_toml_data(obj):
    """Plain TOML-serialisable data: None dropped, paths as strings, tuples as lists."""
    if isinstance(obj, BaseModel):
        obj = {k: getattr(obj, k) for k in type(obj).model_fields}
    if isinstance(obj, dict):
        return {str(k): to_toml_data(v) for k, v in obj.items() if v is not None}
    if isinstance(obj, list | tuple):
        return [to_toml_data(v) for v in obj if v is not None]
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, datetime | date | str | int | float | bool):
        return obj
    return str(obj)


def dumps(data: dict) -> str:
    return tomli_w.dumps(to_toml_data(data))
