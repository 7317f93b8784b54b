"""A small forecast model built in code, and its synthetic forcing, for the tests of
``twin forecast``.

Three nodes near Kunshan (a river reach n1 -> n2 and a lake behind n2), two catchments
draining to the river, a sewage plant and an enterprise, two assessment sections (one with a
warning level) and a ``[forecast]`` table with a one-day cold spin-up, a 24 h hindcast and a
24 h lead, so that a cycle takes a few seconds.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import io
import os
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import tomli_w

from tests.cases.forcing import square, write_geojson, write_model

ROOT = Path(__file__).resolve().parents[1]


def _make_forcing():
    """forcing_data/make_forcing.py, a script rather than a package module."""
    spec = importlib.util.spec_from_file_location(
        "make_forcing", ROOT / "forcing_data" / "make_forcing.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


forecast_files = _make_forcing().forecast_files
"""forecast_files(cycle, out_dir, hours, hindcast_hours, seed) -> [hindcast, forecast]."""

FIRST_CYCLE = datetime(2026, 6, 20, 0)
"""Cycles fall in the plum-rain season, so the synthetic forcing rains."""
SEED = 7
HINDCAST_H = 24
LEAD_H = 24
SPINUP_DAYS = 1
WARNING_LEVEL_M = 0.9
"""Below the 1.0 m held at n2, so the river section raises level alerts (assumed test value)."""


def write_forecast_model(folder: Path, lead_hours: float = LEAD_H, dt_s: float = 300.0) -> Path:
    """The model file of the test forecast (time step ``dt_s``); returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    rings = {"c1": square(120.86, 31.24, 0.06, 0.08), "c2": square(120.95, 31.32, 0.08, 0.06)}
    write_geojson(folder / "catchments.geojson", rings)
    cats = [
        dict(id=c, geojson="catchments.geojson", outlet_reach="r1",
             land_use={"water": 0.1, "paddy": 0.0, "dry_land": 0.3, "built_up": 0.4, "green": 0.2},
             population=30000.0, sewer_connection_fraction=0.8, sewer_leak_fraction=0.1, wwtp="w")
        for c in rings
    ]  # fmt: skip
    sources = [
        dict(kind="wwtp", id="w", node="n1", capacity_m3d=20000.0, inflow_m3d=15000.0,
             effluent="gb18918_1a"),
        dict(kind="enterprise", id="e", reach="r1", chainage_m=3000.0, flow_m3d=800.0,
             concentrations={"tp": 4.0, "nh3n": 10.0}, tags=["phosphorus"]),
    ]  # fmt: skip
    # The run period is replaced by each cycle's windows.
    path = write_model(
        folder,
        start="2026-01-01T00:00:00",
        end="2026-01-02T00:00:00",
        catchments=cats,
        sources=sources,
        forcing={"files": []},
        lake=True,
        name="forecast-test",
    )
    doc = tomllib.loads(path.read_text())
    # The lake starts level with the river, so the spin-up begins near rest.
    next(n for n in doc["nodes"] if n["id"] == "lake")["initial_level_m"] = 1.0
    doc["sections"] = [
        dict(id="s_river", name="river section", kind="river", reach="r1", chainage_m=6000.0,
             target_class="III", warning_level_m=WARNING_LEVEL_M, observed={"do": 6.5}),
        dict(id="s_lake", name="lake section", kind="lake", node="lake", target_class="II"),
    ]  # fmt: skip
    doc["run"]["dt_s"] = dt_s
    doc["quality"] = {"initial_mg_l": {"nh3n": 0.6, "po4p": 0.05, "op": 0.05, "on": 0.5}}
    doc["forecast"] = dict(
        hindcast_hours=HINDCAST_H, lead_hours=lead_hours, spinup_days=SPINUP_DAYS, keep_restarts=3
    )
    path.write_bytes(tomli_w.dumps(doc).encode())
    return path


@dataclass
class ForcingSet:
    """The observed (hindcast) and forecast file of each cycle."""

    observed: dict[datetime, Path] = field(default_factory=dict)
    forecast: dict[datetime, Path] = field(default_factory=dict)


def cycles(n: int, first: datetime = FIRST_CYCLE) -> list[datetime]:
    return [first + timedelta(hours=24 * k) for k in range(n)]


def write_forcing(
    out_dir: Path, times: list[datetime], lead_hours: int = LEAD_H, seed: int = SEED
) -> ForcingSet:
    """hindcast_<cycle>.nc and forecast_<cycle>.nc per cycle; every hindcast covers the
    spin-up and the hindcast window, so any of them can start cold."""
    out_dir.mkdir(parents=True, exist_ok=True)
    fs = ForcingSet()
    for c in times:
        hind, fc = forecast_files(c, out_dir, lead_hours, HINDCAST_H + 24 * SPINUP_DAYS, seed)
        fs.observed[c], fs.forecast[c] = hind, fc
    return fs


@dataclass
class Setup:
    """A forecast set up in a folder: model, state, products, forcing."""

    root: Path
    config: Path
    forcing: ForcingSet

    @property
    def state(self) -> Path:
        return self.root / "state"

    @property
    def products(self) -> Path:
        return self.root / "products"

    def args(self, cycle: datetime, *extra: str, observed=None, forecast=None) -> list[str]:
        """Command-line arguments of ``twin forecast`` for ``cycle``."""
        obs = observed if observed is not None else [self.forcing.observed[cycle]]
        fc = forecast if forecast is not None else [self.forcing.forecast[cycle]]
        return [
            "forecast", "--cycle", cycle.strftime("%Y-%m-%dT%H"), "--config", str(self.config),
            "--state", str(self.state), "--products", str(self.products),
            "--observed", *map(str, obs), "--forecast", *map(str, fc), *extra,
        ]  # fmt: skip


def cli_env() -> dict[str, str]:
    """Environment of a ``python -m twin.cli`` subprocess importing this checkout."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def start_cli(args: list[str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "twin.cli", *args],
        cwd=cwd,
        env=cli_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_cli(args: list[str], cwd: Path, timeout: float = 120.0) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "twin.cli", *args],
        cwd=cwd,
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def run_in_process(args: list[str]) -> tuple[int, str, str]:
    """``twin`` with ``args`` in this process: (exit code, stdout, stderr)."""
    from twin.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    return code, out.getvalue(), err.getvalue()


def sha256(path: Path) -> str:
    """The file's SHA-256, computed here independently of twin's own helper."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def snapshot(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Every entry under ``folder``: a link's target, a file's SHA-256, a folder's mark; to
    tell whether anything changed."""
    out = {}
    if not folder.exists():
        return out
    for p in sorted(folder.rglob("*")):
        rel = str(p.relative_to(folder))
        if p.name in skip:
            continue
        if p.is_symlink():
            out[rel] = "-> " + os.readlink(p)
        elif p.is_file():
            out[rel] = sha256(p)
        else:
            out[rel] = "dir"
    return out


def cycle_dir_name(c: datetime) -> str:
    return c.strftime("%Y%m%dT%H%MZ")


def make_setup(root: Path, n_cycles: int, lead_hours: int = LEAD_H, dt_s: float = 300.0) -> Setup:
    """Model, forcing of ``n_cycles`` consecutive daily cycles, empty state and products."""
    config = write_forecast_model(root / "model", lead_hours, dt_s)
    return Setup(root, config, write_forcing(root / "forcing", cycles(n_cycles), lead_hours))
