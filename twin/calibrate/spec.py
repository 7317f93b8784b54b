"""The calibration file (``--parameters PARAMS.toml``): the parameters with their priors and
transforms, and the observation errors. Every problem in it is collected and reported
together, with the file and the field, before any member runs.

```toml
[[parameters]]
name = "manning"                   # optional: the column name (default: from the path)
path = "cross_sections.manning_n"  # see twin.calibrate.paths
ids = ["wide*"]                    # optional: fnmatch patterns on item ids (node for boundaries)
tags = ["phosphorus"]              # optional: items carrying any of these tags
transform = "multiply"             # set (default), multiply or add
prior = { distribution = "lognormal", median = 1.0, factor = 1.3, low = 0.5, high = 2.0 }

[observation_errors]               # standard deviation per quantity, canonical units
water_level = { sd = 0.02 }        # absolute (m)
nh3n = { relative = 0.1, min_sd = 0.02 }  # 10 % of the observed value, at least 0.02 mg/L
[observation_errors.stations.S1]   # optional: per station, overrides the quantity's
tp = { sd = 0.02 }

[calibration]                      # optional
localize = 2.0                     # correlation-based localisation (twin.calibrate.esmda)
```
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import Field, ValidationError

from ..config.base import StrictModel
from ..config.loader import issues_from_validation, read_toml
from ..errors import ConfigError, ConfigIssue
from ..observe.files import Observations
from ..observe.quantities import QUANTITIES
from .paths import TRANSFORMS, resolve
from .priors import Prior

NAME = re.compile(r"^[A-Za-z0-9_\-.\[\]*]+$")


class PriorSpec(StrictModel):
    distribution: Literal["uniform", "normal", "lognormal"]
    low: float | None = None
    high: float | None = None
    mean: float | None = None
    sd: float | None = None
    median: float | None = None
    factor: float | None = None
    sigma_log: float | None = None


class ParameterSpec(StrictModel):
    name: str | None = Field(None, min_length=1, max_length=80)
    path: str = Field(..., min_length=1)
    ids: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    transform: Literal["set", "multiply", "add"] = "set"
    prior: PriorSpec
    note: str | None = None


class Settings(StrictModel):
    localize: float = Field(0.0, ge=0.0, le=10.0)


class ErrorSpec(StrictModel):
    sd: float | None = Field(None, gt=0)
    relative: float | None = Field(None, gt=0)
    min_sd: float | None = Field(None, gt=0)


@dataclass
class Parameter:
    """A parameter resolved against the model: where it acts and its prior."""

    name: str
    path: str
    transform: str
    prior: Prior
    ids: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    targets: list[tuple] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    where: str = ""
    """``parameters[i]``, for messages."""

    @property
    def units(self) -> str:
        if self.transform == "multiply":
            return "1 (multiplier)"
        return units_of(self.path)


UNIT_SUFFIXES = (
    ("_m_per_d", "m/d"), ("_per_d", "1/d"), ("_g_m2_d", "g m-2 d-1"), ("_m3d", "m3/d"),
    ("_m3s", "m3/s"), ("_m2_s", "m2/s"), ("_mg_l", "mg/L"), ("_m", "m"), ("_c", "degC"),
    ("_s", "s"), ("manning_n", "s m-1/3"), ("theta", "1"),
)  # fmt: skip


def units_of(path: str) -> str:
    """Units of a path's field, from the naming convention of the config (README)."""
    parts = path.split(".")
    if any(p in ("concentrations", "initial_mg_l") for p in parts[:-1]):
        return "mg/L"
    if "dispersion_per_reach_m2_s" in parts[:-1]:
        return "m2/s"
    leaf = parts[-1]
    for suffix, unit in UNIT_SUFFIXES:
        if leaf.endswith(suffix):
            return unit
    return "1"


@dataclass
class CalibrationSpec:
    file: Path
    parameters: list[Parameter]
    errors: dict[str, ErrorSpec]
    station_errors: dict[str, dict[str, ErrorSpec]]
    settings: Settings = field(default_factory=Settings)

    def error_sd(self, obs: Observations, observed: np.ndarray) -> np.ndarray:
        """Standard deviation (canonical units) of every observation."""
        sd = np.empty(len(obs))
        for i in range(len(obs)):
            q, st = str(obs.quantity[i]), str(obs.station[i])
            e = self.station_errors.get(st, {}).get(q) or self.errors[q]
            if e.sd is not None:
                sd[i] = e.sd
            else:
                sd[i] = max(e.relative * abs(float(observed[i])), e.min_sd)
        return sd


def _prior(spec: PriorSpec, where: str, file: Path, issues: list[ConfigIssue]) -> Prior | None:
    n0 = len(issues)

    def bad(name: str, message: str, fix: str) -> None:
        issues.append(ConfigIssue(file, f"{where}.prior.{name}", message, fix))

    allowed = {
        "uniform": {"low", "high"},
        "normal": {"mean", "sd", "low", "high"},
        "lognormal": {"median", "factor", "sigma_log", "low", "high"},
    }[spec.distribution]
    given = {
        k for k in PriorSpec.model_fields if k != "distribution" and getattr(spec, k) is not None
    }
    for k in sorted(given - allowed):
        bad(
            k,
            f"'{k}' is not a parameter of a {spec.distribution} prior",
            f"give {', '.join(sorted(allowed))}",
        )
    need = {"uniform": ("low", "high"), "normal": ("mean", "sd"), "lognormal": ("median",)}
    for k in need[spec.distribution]:
        if getattr(spec, k) is None:
            bad(k, f"a {spec.distribution} prior needs '{k}'", f"add {k} = ...")
    for k in given:
        if not math.isfinite(getattr(spec, k)):
            bad(k, f"{k} is not finite", "give a finite number")
    if spec.low is not None and spec.high is not None and not spec.low < spec.high:
        bad("low", f"low ({spec.low:g}) is not below high ({spec.high:g})", "give low < high")
    if spec.distribution == "normal" and spec.sd is not None and not spec.sd > 0:
        bad("sd", f"sd = {spec.sd:g} must be > 0", "give a positive standard deviation")
    if spec.distribution == "lognormal":
        if (spec.factor is None) == (spec.sigma_log is None):
            bad(
                "factor",
                "a lognormal prior needs exactly one of factor or sigma_log",
                "give factor = 1.5 (or sigma_log)",
            )
        if spec.factor is not None and not spec.factor > 1:
            bad(
                "factor",
                f"factor = {spec.factor:g} must be > 1",
                "give e.g. factor = 2 for 'within a factor of 2'",
            )
        if spec.sigma_log is not None and not spec.sigma_log > 0:
            bad(
                "sigma_log",
                f"sigma_log = {spec.sigma_log:g} must be > 0",
                "give a positive sigma_log",
            )
        if spec.median is not None and not spec.median > 0:
            bad(
                "median",
                f"median = {spec.median:g} must be > 0",
                "a lognormal variable is positive",
            )
        if spec.low is not None and spec.low < 0:
            bad(
                "low",
                f"low = {spec.low:g} is below 0",
                "a lognormal variable is positive: give low >= 0",
            )
    if spec.median is not None and spec.median > 0 and len(issues) == n0:
        lo = spec.low if spec.low is not None else 0.0
        hi = spec.high if spec.high is not None else math.inf
        if not lo < spec.median < hi:
            bad(
                "median",
                f"the median {spec.median:g} lies outside [{lo:g}, {hi:g}]",
                "give bounds around the median",
            )
    if len(issues) > n0:
        return None
    if spec.distribution == "uniform":
        return Prior.uniform(spec.low, spec.high)
    if spec.distribution == "normal":
        return Prior.normal(spec.mean, spec.sd, spec.low, spec.high)
    return Prior.lognormal(spec.median, spec.factor, spec.sigma_log, spec.low, spec.high)


def default_name(p: ParameterSpec) -> str:
    sel = ",".join(p.ids + [f"tag:{t}" for t in p.tags])
    return p.path + (f"[{sel}]" if sel else "") + ("*" if p.transform == "multiply" else "")


def read_spec(
    path: str | Path, model_data: dict
) -> tuple[CalibrationSpec | None, list[ConfigIssue]]:
    """The calibration file resolved against the model's dump (``ModelConfig.model_dump()``)
    and its problems; the spec holds the parameters without problems (None when the file
    cannot be read)."""
    file = Path(path)
    if not file.is_file():
        return None, [ConfigIssue(file, "", "parameters file not found", "check the path")]
    data, issues = read_toml(file)
    if data is None:
        return None, issues
    settings = Settings()
    try:
        settings = Settings.model_validate(data.get("calibration", {}))
    except ValidationError as exc:
        issues.extend(issues_from_validation(file, exc, "calibration"))
    for k in sorted(set(data) - {"parameters", "observation_errors", "calibration"}):
        issues.append(
            ConfigIssue(
                file,
                k,
                f"unknown table '{k}'",
                "a calibration file holds [[parameters]], [observation_errors] and [calibration]",
            )
        )
    raw = data.get("parameters")
    if not isinstance(raw, list) or not raw:
        issues.append(
            ConfigIssue(
                file,
                "parameters",
                "no [[parameters]]",
                "list at least one parameter as [[parameters]]",
            )
        )
        raw = []
    params: list[Parameter] = []
    seen: dict[str, str] = {}
    for i, item in enumerate(raw):
        where = f"parameters[{i}]"
        try:
            ps = ParameterSpec.model_validate(item)
        except ValidationError as exc:
            issues.extend(issues_from_validation(file, exc, where))
            continue
        prior = _prior(ps.prior, where, file, issues)
        name = ps.name or default_name(ps)
        if not NAME.match(name):
            issues.append(
                ConfigIssue(
                    file,
                    f"{where}.name",
                    f"'{name}' has spaces or symbols",
                    "use letters, digits, '_', '-', '.'",
                )
            )
        if name in seen:
            issues.append(
                ConfigIssue(
                    file,
                    f"{where}.name",
                    f"a second parameter named '{name}' (first: {seen[name]})",
                    "give each parameter its own name",
                )
            )
        seen[name] = where
        res = resolve(model_data, ps.path, ps.ids, ps.tags, ps.transform)
        for message, fix in res.problems:
            issues.append(ConfigIssue(file, f"{where}.path", message, fix))
        if prior is None or res.problems:
            continue
        params.append(
            Parameter(
                name,
                ps.path,
                ps.transform,
                prior,
                ps.ids,
                ps.tags,
                res.targets,
                res.items,
                res.skipped,
                where,
            )
        )
    errors, station_errors = _errors(data.get("observation_errors"), file, issues)
    assert all(p.transform in TRANSFORMS for p in params)
    return CalibrationSpec(file, params, errors, station_errors, settings), issues


def _errors(raw, file: Path, issues: list[ConfigIssue]):
    errors: dict[str, ErrorSpec] = {}
    stations: dict[str, dict[str, ErrorSpec]] = {}
    if raw is None:
        issues.append(
            ConfigIssue(
                file,
                "observation_errors",
                "no [observation_errors]",
                "give the error sd of each observed quantity, e.g. tp = { sd = 0.01 }",
            )
        )
        return errors, stations
    if not isinstance(raw, dict):
        issues.append(
            ConfigIssue(file, "observation_errors", "not a table", "write [observation_errors]")
        )
        return errors, stations

    def one(q: str, v, where: str) -> ErrorSpec | None:
        if q not in QUANTITIES:
            issues.append(
                ConfigIssue(
                    file, where, f"unknown quantity '{q}'", f"use one of {', '.join(QUANTITIES)}"
                )
            )
            return None
        try:
            e = ErrorSpec.model_validate(v)
        except ValidationError as exc:
            issues.extend(issues_from_validation(file, exc, where))
            return None
        if (e.sd is None) == (e.relative is None):
            issues.append(
                ConfigIssue(
                    file,
                    where,
                    "give exactly one of sd or relative",
                    f"e.g. {q} = {{ sd = 0.01 }} ({QUANTITIES[q].unit})",
                )
            )
            return None
        if e.relative is not None and e.min_sd is None:
            issues.append(
                ConfigIssue(
                    file,
                    where,
                    "a relative error needs min_sd (an observed 0 would have no error)",
                    f"add min_sd in {QUANTITIES[q].unit}",
                )
            )
            return None
        return e

    for q, v in raw.items():
        if q == "stations":
            if not isinstance(v, dict):
                issues.append(
                    ConfigIssue(
                        file,
                        "observation_errors.stations",
                        "not a table",
                        "write [observation_errors.stations.STATION_ID]",
                    )
                )
                continue
            for st, table in v.items():
                if not isinstance(table, dict):
                    issues.append(
                        ConfigIssue(
                            file,
                            f"observation_errors.stations.{st}",
                            "not a table",
                            "give quantity = { sd = ... }",
                        )
                    )
                    continue
                for qq, vv in table.items():
                    e = one(qq, vv, f"observation_errors.stations.{st}.{qq}")
                    if e is not None:
                        stations.setdefault(str(st), {})[qq] = e
            continue
        e = one(q, v, f"observation_errors.{q}")
        if e is not None:
            errors[q] = e
    return errors, stations


def check_errors_cover(spec: CalibrationSpec, obs: Observations) -> list[ConfigIssue]:
    """An issue for each observed quantity (at a station) that has no error sd."""
    issues = []
    missing = sorted(
        {
            (str(q), str(s))
            for q, s in zip(obs.quantity, obs.station, strict=True)
            if str(q) not in spec.errors and str(q) not in spec.station_errors.get(str(s), {})
        }
    )
    for q in sorted({q for q, _ in missing}):
        sts = [s for qq, s in missing if qq == q]
        issues.append(
            ConfigIssue(
                spec.file,
                f"observation_errors.{q}",
                f"no error sd for the {q} observations (stations {', '.join(sts[:5])})",
                f"add {q} = {{ sd = ... }} in {QUANTITIES[q].unit}, or leave {q} out of the observations",
            )
        )
    return issues


def fail_if(issues: list[ConfigIssue]) -> None:
    if issues:
        raise ConfigError(issues)
