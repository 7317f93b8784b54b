"""One nightly forecast cycle, from the state folder and the newest forcing to published
products.

    hindcast window [cycle - hindcast_hours, cycle] on observed forcing, started hot from the
    newest good restart at or before its start, or cold with a spin-up;
    forecast window [cycle, cycle + lead] on forecast forcing, started from the analysis at
    the cycle time.

Products (products/<cycle>/): forecast.nc and hindcast.nc (CF/UGRID, network and sections),
summary.json (per section: daily means and maxima, forecast class, alerts), manifest.json
(every file with its sha256, the inputs and their hashes, hot or cold start). They are
validated against the JSON Schemas in twin/schemas, staged, then published atomically; the
analysis restart moves into the state folder just before the products are published. A crash
at any moment leaves the previous products and state intact.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import xarray as xr

from .. import __version__
from ..config.forecast import ForecastSettings
from ..config.loaded import LoadedConfig
from ..errors import UserError
from ..io.atomic import atomic_write_text
from ..run.load import load_checked_scenario
from ..run.model import Model
from ..run.output import Recorder
from ..run.runner import config_hash
from .forcing_files import check_files
from .publish import (
    clean_stale_staging,
    latest_is_current,
    point_latest,
    publish,
    published_cycles,
    sha256,
    staging_dir,
)
from .state import newest_restart, prune, restart_name, state_lock
from .summary import build_summary, validate

log = logging.getLogger("twin")


@dataclass
class CycleRequest:
    cycle: datetime
    config: Path
    state: Path
    products: Path
    observed: list[Path]
    forecast: list[Path]
    lead_hours: float | None = None
    force: bool = False


@dataclass
class CycleResult:
    cycle_name: str
    status: str  # "published" or "already published"
    folder: Path
    start_kind: str = ""
    alerts: int = 0


def cycle_name(t: datetime) -> str:
    return t.strftime("%Y%m%dT%H%MZ")


def parse_cycle(text: str) -> datetime:
    """An ISO time (UTC); '2026-11-29T00' and '2026-11-29T00:00Z' both work."""
    s = text.strip().replace("Z", "")
    if len(s) == 13:  # YYYY-MM-DDTHH
        s += ":00"
    try:
        t = datetime.fromisoformat(s)
    except ValueError:
        raise UserError(f"--cycle '{text}' is not an ISO time such as 2026-11-29T00") from None
    if t.tzinfo is not None:
        t = t.astimezone(UTC).replace(tzinfo=None)
    return t


def _window(cfg: LoadedConfig, start: datetime, end: datetime, files: list[Path]) -> LoadedConfig:
    run = cfg.run.model_copy(update={"start": start, "end": end})
    forcing = cfg.model.forcing
    if forcing is None:
        raise UserError(f"{cfg.model_path}: a forecast needs a [forcing] table (gridded forcing)")
    model = cfg.model.model_copy(
        update={"forcing": forcing.model_copy(update={"files": list(files)})}
    )
    return dataclasses.replace(cfg, run=run, model=model)


def _iso(t: datetime) -> str:
    return t.isoformat(timespec="seconds") + "Z"


def run_cycle(req: CycleRequest) -> CycleResult:
    name = cycle_name(req.cycle)
    done = name in published_cycles(req.products) and not req.force
    if done and latest_is_current(req.products):
        return CycleResult(name, "already published", req.products / name)
    with state_lock(req.state, name):
        if name in published_cycles(req.products) and not req.force:
            # A cycle that died between its own link and latest left latest behind.
            point_latest(req.products)
            return CycleResult(name, "already published", req.products / name)
        clean_stale_staging(req.products)
        # restarts of cycles that died before their end, and the atomic writer's temporary
        # files of them (".<name>.XXXX.part")
        for stale in req.state.glob(".*restart_*.part"):
            stale.unlink(missing_ok=True)
        return _run_locked(req, name)


def _check_lead(lead_hours: float, output_interval_s: float) -> None:
    """The forecast must last at least one output interval and end on an output time (the
    summary's window ends there), within the limits of ``[forecast] lead_hours``."""
    limit = ForecastSettings.model_fields["lead_hours"].metadata
    top = next((m.le for m in limit if getattr(m, "le", None) is not None), None)
    steps = lead_hours * 3600.0 / output_interval_s
    what = f"forecast lead {lead_hours:g} h (--lead-hours or [forecast] lead_hours)"
    if lead_hours <= 0 or (top is not None and lead_hours > top):
        raise UserError(f"{what}: give a length in (0, {top:g}] h")
    if steps < 1 or abs(steps - round(steps)) > 1e-9:
        raise UserError(
            f"{what}: the forecast must end on an output time, a whole multiple of "
            f"run.output_interval_s ({output_interval_s:g} s)"
        )


def _run_locked(req: CycleRequest, name: str) -> CycleResult:
    cfg = load_checked_scenario(req.config)
    fs = cfg.model.forecast or ForecastSettings()
    lead = req.lead_hours if req.lead_hours is not None else fs.lead_hours
    _check_lead(lead, cfg.run.output_interval_s)
    t_cycle = req.cycle
    hind_start = t_cycle - timedelta(hours=fs.hindcast_hours)
    fc_end = t_cycle + timedelta(hours=lead)
    found = newest_restart(req.state, hind_start)
    if found is not None:
        t_restart, restart_path = found
        start = {
            "kind": "hot",
            "restart": restart_path.name,
            "restart_time": _iso(t_restart),
            "spinup_hours": 0.0,
            "note": f"hot start from {restart_path.name}"
            + (
                f"; the hindcast runs from {_iso(t_restart)} because no newer restart was found"
                if t_restart < hind_start
                else ""
            ),
        }
        model_start = t_restart
    else:
        model_start = hind_start - timedelta(days=fs.spinup_days)
        start = {
            "kind": "cold",
            "restart": None,
            "restart_time": None,
            "spinup_hours": fs.spinup_days * 24.0,
            "note": f"COLD START: no restart at or before {_iso(hind_start)} in the state folder. "
            f"The model started at {_iso(model_start)} from the configured initial conditions "
            f"and spun up for {fs.spinup_days:g} days on observed forcing; slow parts of the "
            "system (lakes, their concentrations) may still carry the initial conditions.",
        }
    what = (
        f"hindcast window from the restart at {_iso(model_start)}"
        if found is not None
        else f"hindcast window with the cold start's {fs.spinup_days:g}-day spin-up"
    )
    forcing_entries = check_files(
        req.observed, req.forecast, t_cycle, (model_start, t_cycle, what), (t_cycle, fc_end)
    )
    log.info("cycle %s: %s start at %s", name, start["kind"], _iso(model_start))

    stage = staging_dir(req.products, name)
    tmp_restart = req.state / f".restart_{name}.{os.getpid()}.part"
    try:
        # hindcast: observed forcing up to the cycle time
        cfg_h = _window(cfg, model_start, t_cycle, req.observed)
        model = Model.from_restart(cfg_h, found[1]) if found is not None else Model(cfg_h)
        attrs = {"title": f"twin hindcast, cycle {name}", "scenario": cfg.name,
                 "config_sha256": config_hash(cfg), "history": f"twin forecast --cycle {name}"}  # fmt: skip
        if model_start < hind_start:
            model.run_until(model.start + (hind_start - model_start).total_seconds())
        rec = Recorder(model, stage / "hindcast.nc", attrs)
        model.run_until(model.end, hooks=[rec])
        rec.close()
        model.save_restart(tmp_restart)
        # forecast: forecast forcing from the analysis
        cfg_f = _window(cfg, t_cycle, fc_end, req.forecast)
        fmodel = Model.from_restart(cfg_f, tmp_restart)
        attrs["title"] = f"twin forecast, cycle {name}"
        frec = Recorder(fmodel, stage / "forecast.nc", attrs)
        fmodel.run_until(fmodel.end, hooks=[frec])
        frec.close()
        header = {
            "cycle": _iso(t_cycle),
            "model": {"name": cfg.name, "twin_version": __version__, "config_sha256": config_hash(cfg)},
            "start": start,
            "windows": {"hindcast_start": _iso(hind_start), "analysis": _iso(t_cycle),
                        "forecast_end": _iso(fc_end)},
        }  # fmt: skip
        with xr.open_dataset(stage / "forecast.nc") as ds:
            summary = build_summary(ds.load(), cfg.model.sections, t_cycle, fc_end, header)
        validate(summary, "forecast_summary")
        atomic_write_text(stage / "summary.json", json.dumps(summary, indent=2, ensure_ascii=False))
        manifest = {
            "schema_version": 1,
            "cycle": _iso(t_cycle),
            "created_utc": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            "twin_version": __version__,
            "config_sha256": config_hash(cfg),
            "config": str(cfg.path),
            "start": {"kind": start["kind"], "restart": start["restart"],
                      "restart_sha256": sha256(found[1]) if found else None},
            "files": {
                f.name: {"sha256": sha256(f), "bytes": f.stat().st_size}
                for f in sorted(stage.iterdir()) if f.is_file()
            },
            "forcing": forcing_entries,
            "next_restart": restart_name(t_cycle),
            "next_restart_sha256": sha256(tmp_restart),
        }  # fmt: skip
        validate(manifest, "forecast_manifest")
        atomic_write_text(
            stage / "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False)
        )
        # The restart goes into the state before the products are published: a crash
        # between the two leaves a good restart of an unpublished cycle, which a re-run
        # publishes; the other order could leave a published cycle without its restart, and
        # its re-run would do nothing ("already published").
        os.replace(tmp_restart, req.state / restart_name(t_cycle))
        folder = publish(stage, req.products, name)
        prune(req.state, fs.keep_restarts)
        return CycleResult(name, "published", folder, start["kind"], summary["alert_count"])
    except BaseException:
        tmp_restart.unlink(missing_ok=True)
        shutil.rmtree(stage, ignore_errors=True)
        raise
