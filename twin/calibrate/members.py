"""Members of a calibration: the model with a set of parameter values, run and sampled at
every observation (g(m) of the smoother), one independent task each on dask.

A member's config is the scenario's resolved model (interventions applied) with the values
put in by ``twin.calibrate.paths``, validated again by the config schema and its checks.
Members write ``results.nc``, ``mass_balance.json``, ``config.resolved.toml`` and
``run.log`` (no tables or figures) into their folder; their map fields are written once a
run (only the section and lake series are sampled), and ``results.nc`` is removed after
sampling unless the runs are kept. A member that fails (the schema rejects its values, a
numerical failure, a fault) returns its error and is dropped from the ensemble.
"""

from __future__ import annotations

import dataclasses
import math
import os
import time
from collections.abc import Callable
from pathlib import Path

import dask
import numpy as np
from pydantic import ValidationError

from ..compare.outcome import failure
from ..config import LoadedConfig, ModelConfig
from ..config.checks import check_model
from ..config.loader import issues_from_validation
from ..errors import ConfigError, ConfigIssue, SimulationError
from ..observe.files import Observations
from .paths import with_values
from .spec import Parameter


def configured(
    base: LoadedConfig, data: dict, parameters: list[Parameter], values, member: bool = False
) -> LoadedConfig:
    """The config with the parameters at ``values`` (``data``: the base model's dump).
    ``member``: write the map fields once (the first step) instead of every interval.
    Raises ConfigError when the schema or the checks reject the values."""
    new = with_values(data, parameters, values)
    if member and new.get("run"):
        r = new["run"]
        steps = math.ceil((r["end"] - r["start"]).total_seconds() / r["dt_s"] - 1e-9)
        r["map_interval_s"] = max(1, steps) * r["dt_s"]
    try:
        model = ModelConfig.model_validate(new)
    except ValidationError as exc:
        raise ConfigError(issues_from_validation(None, exc)) from None
    cfg = dataclasses.replace(base, model=model, run=model.run)
    issues = check_model(cfg)
    if issues:
        raise ConfigError(issues)
    return cfg


@dataclasses.dataclass
class MemberResult:
    key: str
    status: str = "pending"
    error_kind: str = ""
    error: str = ""
    sim: np.ndarray | None = None
    wall_time_s: float = 0.0
    worker: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def run_member(
    base: LoadedConfig,
    data: dict,
    parameters: list[Parameter],
    values: list[float],
    obs: Observations,
    folder: str,
    key: str,
    keep: bool = False,
) -> MemberResult:
    """Run one member into ``folder`` and sample it at every observation; never raises for
    a failed member."""
    from ..run.runner import run_scenario

    out = MemberResult(key, worker=f"{os.uname().nodename}:{os.getpid()}")
    t0 = time.perf_counter()
    try:
        cfg = configured(base, data, parameters, values, member=True)
        # as in twin.compare.ensemble.run_member: the run's own dask work stays in its thread
        with dask.config.set(scheduler="synchronous"):
            result = run_scenario(cfg, folder, products=False)
        sim = sampled(result.results, obs)
        if not np.all(np.isfinite(sim)):
            raise SimulationError("the run gave non-finite values at observations")
        out.status, out.sim = "ok", sim
        if not keep:
            Path(result.results).unlink(missing_ok=True)
    except Exception as exc:
        out.status = "failed"
        out.error_kind, out.error = failure(exc, folder)
    out.wall_time_s = time.perf_counter() - t0
    return out


def sampled(results: Path, obs: Observations) -> np.ndarray:
    """The run sampled at every observation (``twin.observe.skill.pair``), reading only the
    variables the observations need (a member's map fields are of no use here)."""
    import netCDF4
    import xarray as xr

    from ..observe.skill import MODEL_NAMES, pair

    with netCDF4.Dataset(results) as nc:
        names = list(nc.variables)
    keep = {"time", "section_id", "section_kind", "storage_id"}
    for q in {str(q) for q in obs.quantity}:
        keep |= {f"{dim}_{MODEL_NAMES.get(q, q)}" for dim in ("section", "storage")}
    drop = [n for n in names if n not in keep]
    with xr.open_dataset(results, drop_variables=drop) as ds:
        return pair(ds.load(), obs).sim


@dataclasses.dataclass
class Task:
    key: str
    values: list[float]
    folder: str


class Executor:
    """Runs batches of members on one scheduler ('synchronous', 'local' or an address),
    keeping a local cluster up between batches."""

    def __init__(self, scheduler: str, workers: int | None, n_tasks: int):
        from ..compare.ensemble import _local_client, _remote_client, check_scheduler

        check_scheduler(scheduler)
        self.scheduler = scheduler
        self._cm = None
        self.client = None
        if scheduler == "local":
            n = workers or max(1, min(n_tasks, os.cpu_count() or 1))
            self._cm = _local_client(n)
        elif scheduler != "synchronous":
            self._cm = _remote_client(scheduler)
        if self._cm is not None:
            self.client = self._cm.__enter__()

    def close(self) -> None:
        if self._cm is not None:
            self._cm.__exit__(None, None, None)
            self._cm = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def run(
        self,
        base: LoadedConfig,
        data: dict,
        parameters: list[Parameter],
        obs: Observations,
        tasks: list[Task],
        keep: bool,
        report: Callable[[MemberResult], None] | None = None,
    ) -> dict[str, MemberResult]:
        report = report or (lambda r: None)
        out: dict[str, MemberResult] = {}
        if self.client is None:
            for t in tasks:
                out[t.key] = run_member(
                    base, data, parameters, t.values, obs, t.folder, t.key, keep
                )
                report(out[t.key])
            return out
        from distributed import as_completed

        client = self.client
        shared = client.scatter([base, data, parameters, obs], broadcast=True, hash=False)
        futures = {}
        for t in tasks:
            fut = client.submit(
                run_member, *shared[:3], t.values, shared[3], t.folder, t.key, keep,
                key=f"twin-calibrate-{t.key}-{time.time_ns()}", pure=False, retries=0,
            )  # fmt: skip
            futures[fut] = t
        for fut in as_completed(list(futures)):
            t = futures[fut]
            try:
                out[t.key] = fut.result()
            except Exception as exc:  # the worker died, or the task could not be run
                out[t.key] = MemberResult(
                    t.key, "failed", "internal", f"the task failed on the cluster: {exc}"
                )
            report(out[t.key])
        return out


def member_issue(where: str, exc: ConfigError) -> list[ConfigIssue]:
    return [ConfigIssue(i.file, i.field, f"{where}: {i.message}", i.fix) for i in exc.issues]
