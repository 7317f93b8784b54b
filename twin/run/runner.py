"""One scenario run from config to results folder: results.nc, config.resolved.toml,
mass_balance.json, run.log, and the products of ``twin.assess.products`` (sections.csv,
compliance.csv, plots/), each written atomically."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import logging
import sys
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .. import __version__
from ..assess.products import RunProducts, write_run_products
from ..config import LoadedConfig
from ..config.scenario import apply_interventions, describe
from ..errors import SimulationError
from ..forcing import prepare_forcing
from ..io.atomic import atomic_path, atomic_write_text, safe_name
from ..io.tomlout import dumps
from ..observe.report import skill_of_results as run_skill
from .driver import Hook
from .load import load_checked_scenario
from .model import Model
from .output import Recorder

log = logging.getLogger("twin")


@dataclass
class RunResult:
    folder: Path
    results: Path
    mass_balance: dict
    wall_time_s: float
    products: RunProducts | None = None
    timing: dict[str, float] = dataclasses.field(default_factory=dict)
    """Wall time (s, perf_counter) by part: setup_s (config, network, solvers, recorder),
    forcing_s (weather, runoff and loads), hydro_s, quality_s, output_s (results.nc,
    mass_balance.json), products_s (tables and figures), total_s."""


def resolved_config_text(cfg: LoadedConfig) -> str:
    """The merged config that was run, as TOML (includes resolved, scenario applied)."""
    header = (
        f"# Resolved configuration of scenario '{cfg.name}' as run by twin {__version__}.\n"
        f"# Read from: {', '.join(str(f) for f in cfg.files)}\n"
        "# A complete model file: `twin run` on it repeats the run.\n"
    )
    data = cfg.model.model_dump(mode="python", exclude_none=True)
    data.pop("include", None)
    return header + dumps(data)


def config_hash(cfg: LoadedConfig) -> str:
    body = resolved_config_text(cfg).split("\n", 3)[3]
    return hashlib.sha256(body.encode()).hexdigest()


def default_folder(cfg: LoadedConfig) -> Path:
    if cfg.run.output_dir is not None:
        return Path(cfg.run.output_dir)
    return Path("results") / safe_name(cfg.name)


class _Progress(Hook):
    """A progress line on a terminal; periodic log lines otherwise."""

    def __init__(self, start: float, end: float):
        self.t_start, self.t_end = start, end
        self.tty = sys.stderr.isatty()
        self.last = -1

    def after_step(self, model: Model) -> None:
        self.update(model.time)

    def update(self, t: float) -> None:
        pct = int(100 * (t - self.t_start) / max(self.t_end - self.t_start, 1e-9))
        if pct == self.last:
            return
        self.last = pct
        if self.tty:
            sys.stderr.write(f"\r  {pct:3d}%")
            sys.stderr.flush()
            if pct >= 100:
                sys.stderr.write("\n")
        elif pct % 10 == 0:
            log.info("progress %d%%", pct)


@contextlib.contextmanager
def run_log(folder: Path):
    """Log to run.log in the run folder, written under a temporary name and renamed at the
    end of the run (whatever the outcome)."""
    folder.mkdir(parents=True, exist_ok=True)
    error: BaseException | None = None
    with atomic_path(folder / "run.log") as tmp:
        handler = logging.FileHandler(tmp, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        # Only this thread's records: a dask worker with several threads runs several
        # scenarios in one process, each with its own log.
        thread = threading.get_ident()
        handler.addFilter(lambda record: record.thread == thread)
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        try:
            yield
        except BaseException as exc:
            # Kept aside so that atomic_path renames the log (it discards it on an exception).
            error = exc
        finally:
            log.removeHandler(handler)
            handler.close()
    if error is not None:
        raise error


def run_scenario(
    config: str | Path | LoadedConfig, out_dir: str | Path | None = None, products: bool = True
) -> RunResult:
    """Run a scenario or model config to its end and write its results folder.

    ``products=False`` leaves out the tables and figures of ``twin.assess.products`` and the
    skill products (the run writes results.nc, mass_balance.json, config.resolved.toml and
    run.log only), for the members of an ensemble."""
    cfg = config if isinstance(config, LoadedConfig) else load_checked_scenario(config)
    cfg = apply_interventions(cfg)
    folder = Path(out_dir) if out_dir is not None else default_folder(cfg)
    t0 = time.perf_counter()
    with run_log(folder):
        try:
            return _run(cfg, folder, t0, products)
        except Exception:
            log.exception("run failed")
            raise


def _run(cfg: LoadedConfig, folder: Path, t0: float, with_products: bool = True) -> RunResult:
    log.info("twin %s, scenario '%s' from %s", __version__, cfg.name, cfg.path)
    for line in describe(cfg):
        log.info("intervention %s", line)
    atomic_write_text(folder / "config.resolved.toml", resolved_config_text(cfg))
    c0 = time.perf_counter()
    forcing = prepare_forcing(cfg)
    c1 = time.perf_counter()
    model = Model(cfg, forcing)
    net = model.network
    log.info(
        "network: %d nodes, %d reaches, %d points, %d structures; %s to %s, dt %g s",
        net.n_nodes,
        net.n_reaches,
        net.n_points,
        len(model.structure_ids),
        cfg.run.start,
        cfg.run.end,
        model.dt,
    )
    attrs = {
        "title": f"twin results: {cfg.name}",
        "history": f"{datetime.now(UTC).isoformat(timespec='seconds')} twin run {cfg.path}",
        "scenario": cfg.name,
        "config_sha256": config_hash(cfg),
    }
    rec = Recorder(model, folder / "results.nc", attrs)
    progress = _Progress(model.start, model.end)
    c2 = time.perf_counter()
    try:
        model.run_until(model.end, hooks=[rec, progress])
    except SimulationError as exc:
        rec.abort()
        restart = model.save_restart(folder / "restart_last_good.nc")
        raise SimulationError(str(exc), restart_path=restart) from None
    except BaseException:
        rec.abort()
        raise
    c3 = time.perf_counter()
    results = rec.close()
    balance = {
        "water": model.water_balance(),
        "time_steps": model.steps_taken,
        "step_halvings": model.halvings,
    }
    if model.quality is not None:
        q = model.quality
        balance["quality"] = q.mass_balance()
        balance["quality_processes_by_group"] = q.budgets_by_group()
        balance["quality_notes"] = {
            "water_temperature": q.temperature_source,
            "max_advection_substeps": q.n_substeps_max,
        }
    atomic_write_text(
        folder / "mass_balance.json", json.dumps(balance, indent=2, ensure_ascii=False)
    )
    c4 = time.perf_counter()
    products = write_run_products(cfg, folder, results) if with_products else None
    if with_products and cfg.model.observations is not None:
        skill = run_skill(folder, results, cfg.model.observations.files)
        log.info("skill against %d observation series in %s", len(skill.rows), skill.folder)
    c5 = time.perf_counter()
    wall = c5 - t0
    stepping = model.hydro_time_s + model.quality_time_s
    timing = {
        "setup_s": (c0 - t0) + (c2 - c1),
        "forcing_s": c1 - c0,
        "hydro_s": model.hydro_time_s,
        "quality_s": model.quality_time_s,
        # The time loop minus the steps: the recorder's sampling and writing (and the
        # loop's own microseconds a step).
        "output_s": (c3 - c2 - stepping) + (c4 - c3),
        "products_s": c5 - c4,
        "total_s": wall,
    }
    log.info(
        "finished in %.1f s; water balance relative error %.2e",
        wall,
        balance["water"]["relative_error"],
    )
    log.info("wall time by part (s): %s", ", ".join(f"{k} {v:.2f}" for k, v in timing.items()))
    return RunResult(folder, results, balance, wall, products, timing)
