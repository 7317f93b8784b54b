"""Skill of a run against observations: the model sampled as each observation was (an
instant value at its time, an aggregated one as the mean over the same period), scores per
station and quantity, and GB 3838-2002 classes simulated against observed per month.

Scores over the n pairs (s simulated, o observed):

    bias = mean(s - o);  RMSE = sqrt(mean((s - o)^2))
    NSE = 1 - sum (s - o)^2 / sum (o - mean o)^2              (Nash and Sutcliffe 1970)
    KGE = 1 - sqrt((r - 1)^2 + (beta - 1)^2 + (gamma - 1)^2)  (Kling, Fuchs and Paulin 2012)
        r Pearson correlation, beta = mean s / mean o, gamma = CV_s / CV_o

NSE needs n >= 2 and observations that vary; KGE and r need both series to vary; where they
cannot be computed they are NaN. A value below the detection limit enters as half the limit
(a common substitution, US EPA 2000, Guidance for Data Quality Assessment QA/G-9, section
4.7; the count is reported as ``n_below_detection``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import xarray as xr

from ..assess.assessment import INDICATORS, classify
from ..errors import ConfigError, ConfigIssue
from .files import Observations
from .quantities import QUANTITIES

DETECTION_FACTOR = 0.5
"""A value below the detection limit counts as this fraction of the limit."""


def scores(sim: np.ndarray, obs: np.ndarray) -> dict[str, float]:
    """n, bias, RMSE, NSE, KGE (2012) and r of paired arrays (see the module docstring)."""
    s = np.asarray(sim, float)
    o = np.asarray(obs, float)
    n = int(s.size)
    out = {"n": n, "mean_obs": np.nan, "mean_sim": np.nan, "bias": np.nan, "rmse": np.nan}
    out.update(nse=np.nan, kge=np.nan, r=np.nan)
    if n == 0:
        return out
    d = s - o
    mo, ms = float(o.mean()), float(s.mean())
    out.update(mean_obs=mo, mean_sim=ms, bias=float(d.mean()), rmse=float(np.sqrt(np.mean(d * d))))
    if n < 2:
        return out
    so, ss = float(o.std()), float(s.std())
    var_o = float(np.sum((o - mo) ** 2))
    if var_o > 0:
        out["nse"] = 1.0 - float(np.sum(d * d)) / var_o
    if so > 0 and ss > 0:
        r = float(np.mean((s - ms) * (o - mo)) / (ss * so))
        out["r"] = r
        if mo != 0 and ms != 0:
            beta = ms / mo
            gamma = (ss / ms) / (so / mo)
            out["kge"] = 1.0 - float(np.sqrt((r - 1) ** 2 + (beta - 1) ** 2 + (gamma - 1) ** 2))
    return out


# ------------------------------------------------------------------ model series
MODEL_NAMES = {"water_level": "water_level", "discharge": "discharge"}
"""Results variable suffix of each quantity (others: the quantity's own name)."""


@dataclass(frozen=True)
class Site:
    """Where a station's model series are: a section or a storage node of the results."""

    station: str
    dim: str
    index: int
    kind: str
    """'river' or 'lake', for the GB 3838 limits."""


def sites_of(ds: xr.Dataset) -> dict[str, Site]:
    """Sections and storage nodes of a results file by id: each is a station by its own id."""
    out: dict[str, Site] = {}
    for dim, kinds in (("section", "section_kind"), ("storage", None)):
        if f"{dim}_id" not in ds:
            continue
        for i, sid in enumerate(ds[f"{dim}_id"].values):
            kind = str(ds[kinds].values[i]) if kinds and kinds in ds else "lake"
            out.setdefault(str(sid), Site(str(sid), dim, i, kind))
    return out


def model_series(ds: xr.Dataset, site: Site, quantity: str) -> tuple[np.ndarray, np.ndarray] | None:
    """(epoch s, values) of the model at a site, None when the run does not simulate it."""
    name = f"{site.dim}_{MODEL_NAMES.get(quantity, quantity)}"
    if name not in ds:
        return None
    t = ds["time"].values.astype("datetime64[ns]").astype(np.int64) / 1e9
    return t, np.asarray(ds[name].values[site.index], float)


def period_end(t0: float, offset_s: float, aggregation: str) -> float:
    """End (epoch s) of the period starting at t0, in the calendar of its UTC offset."""
    if aggregation == "daily_mean":
        return t0 + 86400.0
    tz = timezone(timedelta(seconds=offset_s))
    start = datetime.fromtimestamp(t0, UTC).astimezone(tz)
    if aggregation == "monthly_mean":
        y, m = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
        return start.replace(year=y, month=m).timestamp()
    if aggregation == "annual_mean":
        return start.replace(year=start.year + 1).timestamp()
    raise ValueError(aggregation)


def sample(t: np.ndarray, v: np.ndarray, t0: float, aggregation: str, offset_s: float) -> float:
    """The model as an observation of that aggregation saw it: linear interpolation at t0,
    or the exact time mean of the piecewise-linear series over the period. NaN when the run
    does not cover the time or the whole period."""
    if aggregation == "instant":
        if t0 < t[0] - 1e-6 or t0 > t[-1] + 1e-6:
            return np.nan
        return float(np.interp(t0, t, v))
    t1 = period_end(t0, offset_s, aggregation)
    if t0 < t[0] - 1e-6 or t1 > t[-1] + 1e-6:
        return np.nan
    inside = (t > t0) & (t < t1)
    tt = np.concatenate(([t0], t[inside], [t1]))
    vv = np.concatenate(([np.interp(t0, t, v)], v[inside], [np.interp(t1, t, v)]))
    return float(np.sum(0.5 * (vv[1:] + vv[:-1]) * np.diff(tt)) / (t1 - t0))


# ------------------------------------------------------------------------ skill
@dataclass
class Pairs:
    """Observations with the model sampled as they were, for one run."""

    obs: Observations
    sim: np.ndarray
    observed: np.ndarray
    """Observed value as scored (detection-limit substitution applied)."""
    kind: np.ndarray


def pair(ds: xr.Dataset, obs: Observations, results_name: str = "results.nc") -> Pairs:
    """Sample the run at every observation. Observations at stations the run does not have,
    of quantities it does not simulate, or outside its period are reported together."""
    sites = sites_of(ds)
    sim = np.full(len(obs), np.nan)
    kind = np.empty(len(obs), dtype=object)
    issues: list[ConfigIssue] = []
    cache: dict[tuple[str, str], tuple | None] = {}
    for i in range(len(obs)):
        st, q, ag = str(obs.station[i]), str(obs.quantity[i]), str(obs.aggregation[i])
        site = sites.get(st)
        if site is None:
            known = ", ".join(sorted(sites)[:10])
            issues.append(
                ConfigIssue(
                    *_at(obs, i, "station_id"),
                    f"station '{st}' is neither a section nor a storage node of the run",
                    f"stations are the run's sections and lakes by id: {known} ...",
                )
            )
            continue
        kind[i] = site.kind
        key = (st, q)
        if key not in cache:
            cache[key] = model_series(ds, site, q)
        series = cache[key]
        if series is None:
            issues.append(
                ConfigIssue(
                    *_at(obs, i, "quantity"),
                    f"the run does not simulate {q} at '{st}'",
                    f"leave {q} out, or run a model that simulates it",
                )
            )
            continue
        sim[i] = sample(series[0], series[1], float(obs.t_s[i]), ag, float(obs.utc_offset_s[i]))
        if not np.isfinite(sim[i]):
            issues.append(
                ConfigIssue(
                    *_at(obs, i, "time"),
                    f"{ag} {q} at '{st}' lies outside the period of {results_name}",
                    "give observations inside the run, or run the period they cover",
                )
            )
    if issues:
        raise ConfigError(_fold(issues))
    observed = np.where(obs.below_detection, DETECTION_FACTOR * obs.value, obs.value)
    return Pairs(obs, sim, observed, kind)


def _at(obs: Observations, i: int, fieldname: str):
    path, where = obs.origin[i]
    return path, f"{where}.{fieldname}"


def _fold(issues: list[ConfigIssue], keep: int = 3) -> list[ConfigIssue]:
    """At most ``keep`` issues of each message, then a count of the rest."""
    by: dict[str, list[ConfigIssue]] = {}
    for x in issues:
        by.setdefault(x.message, []).append(x)
    out = []
    for msg, xs in by.items():
        out += xs[:keep]
        if len(xs) > keep:
            out.append(ConfigIssue(None, "", f"... and {len(xs) - keep} more: {msg}", xs[0].fix))
    return out


SKILL_HEADER = [
    "station", "quantity", "aggregation", "units", "n", "n_below_detection", "mean_obs",
    "mean_sim", "bias", "rmse", "nse", "kge", "r", "synthetic",
]  # fmt: skip


def skill_rows(p: Pairs) -> list[list]:
    """One row per station, quantity and aggregation (SKILL_HEADER)."""
    o = p.obs
    rows = []
    keys = sorted(
        {
            (str(a), str(b), str(c))
            for a, b, c in zip(o.station, o.quantity, o.aggregation, strict=True)
        }
    )
    for st, q, ag in keys:
        m = (o.station == st) & (o.quantity == q) & (o.aggregation == ag)
        sc = scores(p.sim[m], p.observed[m])
        rows.append(
            [st, q, ag, QUANTITIES[q].unit, sc["n"], int(o.below_detection[m].sum())]
            + [sc[k] for k in ("mean_obs", "mean_sim", "bias", "rmse", "nse", "kge", "r")]
            + [bool(np.any(o.confidence[m] == "synthetic"))]
        )
    return rows


CLASS_HEADER = [
    "station",
    "quantity",
    "month",
    "n",
    "mean_obs",
    "mean_sim",
    "class_obs",
    "class_sim",
]


def class_rows(p: Pairs) -> list[list]:
    """GB 3838-2002 class of the monthly means of the observations and of the model sampled
    with them, per station and assessed quantity (months in the calendar of each value)."""
    o = p.obs
    month = np.array(
        [
            datetime.fromtimestamp(t, UTC)
            .astimezone(timezone(timedelta(seconds=off)))
            .strftime("%Y-%m")
            for t, off in zip(o.t_s, o.utc_offset_s, strict=True)
        ],
        dtype=object,
    )
    rows = []
    keys = sorted(
        {(str(a), str(b), str(c)) for a, b, c in zip(o.station, o.quantity, month, strict=True)}
    )
    for st, q, mon in keys:
        if q not in INDICATORS:
            continue
        m = (o.station == st) & (o.quantity == q) & (month == mon)
        kind = p.kind[m][0]
        if INDICATORS[q].limits(kind) is None:
            continue
        mo, ms = float(p.observed[m].mean()), float(p.sim[m].mean())
        co = int(classify(q, np.array([mo]), kind)[0])
        cs = int(classify(q, np.array([ms]), kind)[0])
        rows.append([st, q, mon, int(m.sum()), mo, ms, co, cs])
    return rows
