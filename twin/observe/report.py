"""The skill products of a run (``<run>/skill/``): ``skill.csv`` (scores per station,
quantity and aggregation), ``classes.csv`` (GB 3838-2002 class of the monthly means,
observed and simulated) and ``plots/<station>.png`` (observed against simulated in time and
as a scatter, one row of panels per quantity). Synthetic observations are labelled so in
the tables (column ``synthetic``) and in every figure's title."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path

import matplotlib.dates as mdates
import numpy as np
import xarray as xr

from ..assess import plot
from ..io.atomic import atomic_write_text, safe_name
from .files import Observations, read_observations
from .quantities import QUANTITIES
from .skill import CLASS_HEADER, SKILL_HEADER, Pairs, class_rows, model_series, pair, sites_of
from .skill import skill_rows as _skill_rows

SKILL_DIR = "skill"


@dataclass
class SkillProducts:
    folder: Path
    rows: list[list]
    files: list[Path]


def _csv_text(header: list[str], rows: list[list]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(["" if isinstance(x, float) and math.isnan(x) else _fmt(x) for x in r])
    return buf.getvalue()


def _fmt(x):
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, float):
        return f"{x:.6g}"
    return x


def _station_figure(ds: xr.Dataset, p: Pairs, station: str, path: Path) -> Path:
    o = p.obs
    here = o.station == station
    quantities = sorted({str(q) for q in o.quantity[here]})
    site = sites_of(ds)[station]
    fig = plot.new_figure(10.0, 2.6 * len(quantities))
    synthetic = bool(np.any(o.confidence[here] == "synthetic"))
    fig.suptitle(
        f"{station}: observed and simulated" + (" (observations SYNTHETIC)" if synthetic else "")
    )
    axes = fig.subplots(len(quantities), 2, squeeze=False, width_ratios=[3, 1])
    for row, q in enumerate(quantities):
        m = here & (o.quantity == q)
        t_m, v_m = model_series(ds, site, q)
        unit = QUANTITIES[q].unit
        ax = axes[row][0]
        ax.plot(t_m.astype("datetime64[s]"), v_m, lw=0.8, color="#1f4e79", label="simulated")
        ax.plot(
            o.t_s[m].astype("datetime64[s]"),
            p.observed[m],
            "o",
            ms=3,
            color="#c0392b",
            label="observed",
        )
        ax.set_ylabel(f"{q} ({unit})")
        ax.legend(loc="upper right", fontsize=7)
        locator = mdates.AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        ax.set_xlabel("time (UTC)")
        sc = axes[row][1]
        sc.plot(p.observed[m], p.sim[m], "o", ms=3, color="#c0392b")
        lo = float(np.nanmin(np.concatenate([p.observed[m], p.sim[m]])))
        hi = float(np.nanmax(np.concatenate([p.observed[m], p.sim[m]])))
        sc.plot([lo, hi], [lo, hi], color="0.5", lw=0.8)
        sc.set_xlabel(f"observed ({unit})")
        sc.set_ylabel(f"simulated ({unit})")
    return plot.save_png(fig, path)


def write_skill(folder: str | Path, ds: xr.Dataset, obs: Observations) -> SkillProducts:
    """Pair a run's results with observations and write the skill products under
    ``folder/skill/``. Raises ConfigError (every problem together) for observations the run
    cannot be compared with."""
    out = Path(folder) / SKILL_DIR
    p = pair(ds, obs)
    rows = _skill_rows(p)
    files = [out / "skill.csv", out / "classes.csv"]
    atomic_write_text(files[0], _csv_text(SKILL_HEADER, rows))
    atomic_write_text(files[1], _csv_text(CLASS_HEADER, class_rows(p)))
    for station in sorted({str(s) for s in obs.station}):
        files.append(_station_figure(ds, p, station, out / "plots" / f"{safe_name(station)}.png"))
    return SkillProducts(out, rows, files)


def skill_of_results(run_dir: str | Path, results: str | Path, observed) -> SkillProducts:
    """The skill products of the run whose results file is ``results``, in ``run_dir``."""
    obs = read_observations(observed)
    with xr.open_dataset(results) as ds:
        return write_skill(run_dir, ds.load(), obs)


def skill_of_run(run_dir: str | Path, observed: list[str | Path]) -> SkillProducts:
    """``twin skill RUN_DIR --observed FILE...``: the skill products of a finished run."""
    from ..errors import UserError

    results = Path(run_dir) / "results.nc"
    if not results.is_file():
        raise UserError(f"{results} not found: give the folder of a finished run")
    return skill_of_results(run_dir, results, observed)
