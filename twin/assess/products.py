"""Products of one run, made from its ``results.nc`` when the run ends: ``sections.csv``
(daily values per section and indicator), ``compliance.csv`` (the GB 3838-2002 assessment,
``twin.assess.assessment``), the loads into storage nodes, and the plots in ``plots/`` (network map
coloured by mean TP, a longitudinal profile, section time series).

The longitudinal profile follows a chain of reaches: those named in the run settings'
``profile_reaches`` (ids, names or shell-style patterns), or by default the whole network.
Among the reaches chosen, the chain is the longest of the shortest paths between any two of
their nodes (the sub-network's diameter, by reach length): on a tree such as a main river
with tributaries it is the main stem; on a looped network it is the longest route that never
takes a detour. It is oriented so that most of its length runs in the reaches' own direction
(from_node to to_node, the direction of positive discharge).
"""

from __future__ import annotations

import csv
import fnmatch
import heapq
import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import xarray as xr

from ..config import LoadedConfig
from ..io.atomic import atomic_path
from . import plot
from .assessment import Assessment, assess, write_compliance_csv
from .lang import tr

log = logging.getLogger("twin")

SECTION_QUANTITIES: tuple[tuple[str, str, str], ...] = (
    ("water_level", "section_water_level", "m"),
    ("discharge", "section_discharge", "m3/s"),
    ("nh3n", "section_nh3n", "mg/L"),
    ("tp", "section_tp", "mg/L"),
    ("tn", "section_tn", "mg/L"),
    ("po4p", "section_po4p", "mg/L"),
    ("no3n", "section_no3n", "mg/L"),
)
"""(indicator, results variable, units) written to sections.csv, when the run has them."""

PLOT_DIR = "plots"
SECONDS_PER_YEAR = 365.25 * 86400.0
"""A Julian year (s): loads over a run of another length are scaled to it as t/a."""


@dataclass(frozen=True)
class StorageLoad:
    """Mass of TN or TP (kg) that entered a storage node in one period (a calendar year, or
    the part of it the run covers), all of it (``group`` 'all', with what left too) or from
    one source group; ``seconds`` is the length of the period covered."""

    period: str
    storage_id: str
    storage_name: str
    species: str
    group: str
    mass_in_kg: float
    mass_out_kg: float
    seconds: float
    water_body: str = "lake"
    """'lake' or 'polder' (``[nodes.storage] water_body`` of the config)."""

    @property
    def tonnes(self) -> float:
        """Gross load in (t): everything that entered, also what flows back in later."""
        return self.mass_in_kg / 1000.0

    @property
    def net_tonnes(self) -> float:
        """Net load (t): what entered less what left through the node's connections; NaN by
        source group (the outflow is not split by source)."""
        return (self.mass_in_kg - self.mass_out_kg) / 1000.0

    @property
    def net_tonnes_per_year(self) -> float:
        """Net load scaled to a Julian year (t/a)."""
        return self.net_tonnes * SECONDS_PER_YEAR / self.seconds if self.seconds > 0 else np.nan

    @property
    def tonnes_per_year(self) -> float:
        """Load scaled to a Julian year (t/a); the load itself for a one-year run."""
        return self.tonnes * SECONDS_PER_YEAR / self.seconds if self.seconds > 0 else np.nan


@dataclass
class RunProducts:
    """What a run's products hold, for the comparison of scenarios (small, picklable)."""

    scenario: str
    period_start: str
    period_end: str
    assessments: list[Assessment]
    loads: list[StorageLoad]
    files: list[Path] = field(default_factory=list)
    monthly: list[Assessment] = field(default_factory=list)
    """The assessment of each calendar month the run covers (report only, not in
    compliance.csv)."""
    inputs: dict[str, object] = field(default_factory=dict)
    """What the inputs are: ``inputs_summary``."""


# ------------------------------------------------------------------------ reading
def read_results(path: str | Path, map_variables: tuple[str, ...] = ("tp", "nh3n")) -> xr.Dataset:
    """The parts of ``results.nc`` the products use, loaded into memory: the mesh, section
    and storage series, and the time means of ``map_variables`` on the mesh edges (the
    whole map record is not kept)."""
    with xr.open_dataset(path) as ds:
        keep = [
            v
            for v in ds.variables
            if str(v).startswith(("mesh1d", "section", "storage", "branch_", "source_group"))
            or v in ("time", "map_time")
        ]
        out = ds[keep].load()
        for name in map_variables:
            if name in ds.data_vars and ds.sizes.get("map_time", 0) > 0:
                v = ds[name].astype(np.float64)
                out[f"{name}_mean"] = v.mean("map_time", skipna=True).load()
                out[f"{name}_min"] = v.min("map_time", skipna=True).load()
                out[f"{name}_max"] = v.max("map_time", skipna=True).load()
        out.attrs = dict(ds.attrs)
    return out


def section_dataset(ds: xr.Dataset) -> xr.Dataset:
    """Section series with the section ids as the 'section' coordinate, plus 'kind',
    'name' and 'target_class' along it: the input ``twin.assess.assessment.assess`` expects."""
    names = [v for v in ds.data_vars if ds[v].dims == ("section", "time")]
    sub = ds[names]
    return sub.assign_coords(
        section=[str(x) for x in ds["section_id"].values],
        kind=("section", [str(x) for x in ds["section_kind"].values]),
        name=("section", [str(x) for x in ds["section_name"].values]),
        target_class=("section", [str(x) for x in ds["section_target_class"].values]),
    )


# ------------------------------------------------------------------- sections.csv
def write_sections_csv(path: str | Path, ds: xr.Dataset) -> Path:
    """``sections.csv``: the daily mean (UTC calendar days) of each quantity at each
    section: columns date_utc, section_id, section_name, kind, indicator, value, units,
    n_samples (output samples in the mean; the day the run ends on may hold only one)."""
    sec = section_dataset(ds)
    present = [(k, v, u) for k, v, u in SECTION_QUANTITIES if v in sec.data_vars]
    if sec.sizes.get("time", 0) == 0 or not present:
        days: list[str] = []
        means = counts = None
    else:
        sub = sec[[v for _, v, _ in present]]
        means = sub.resample(time="1D").mean(skipna=True).transpose("section", "time")
        counts = sub.resample(time="1D").count().transpose("section", "time")
        days = [str(t)[:10] for t in means["time"].values]
    path = Path(path)
    with atomic_path(path) as tmp, open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["date_utc", "section_id", "section_name", "kind", "indicator", "value",
                    "units", "n_samples"])  # fmt: skip
        for d, day in enumerate(days):
            for s, sid in enumerate(sec["section"].values):
                for key, var, units in present:
                    v = float(means[var].values[s, d])
                    n = int(counts[var].values[s, d])
                    w.writerow([day, sid, str(sec["name"].values[s]), str(sec["kind"].values[s]),
                                key, "" if not np.isfinite(v) else format(v, ".6g"), units, n])  # fmt: skip
    return path


# ----------------------------------------------------------------- storage loads
def storage_loads(ds: xr.Dataset, water_body: dict[str, str] | None = None) -> list[StorageLoad]:
    """TN and TP that entered each storage node in each calendar year of the run, from the
    cumulative ``storage_<tn|tp>_mass_in`` series, in all and by source group where
    recorded; ``water_body`` maps a storage id to 'lake' or 'polder' (default 'lake').
    The cumulative mass at a year boundary that falls between two output samples
    is interpolated linearly (outputs at whole hours put the boundary on a sample)."""
    out: list[StorageLoad] = []
    if ds.sizes.get("storage", 0) == 0 or ds.sizes.get("time", 0) < 2:
        return out
    t = ds["time"].values
    secs = (t - t[0]) / np.timedelta64(1, "s")
    groups = [str(g) for g in ds["source_group"].values] if "source_group" in ds.coords else []
    periods = []
    for year in assessment_years(t):
        lo = max(t[0], np.datetime64(f"{year:04d}-01-01T00:00:00"))
        hi = min(t[-1], np.datetime64(f"{year + 1:04d}-01-01T00:00:00"))
        periods.append((f"{year:04d}", (lo - t[0]) / np.timedelta64(1, "s"),
                        (hi - t[0]) / np.timedelta64(1, "s")))  # fmt: skip

    def mass(series: np.ndarray, a: float, b: float) -> float:
        return float(np.interp(b, secs, series) - np.interp(a, secs, series))

    for i, sid in enumerate(ds["storage_id"].values):
        name = str(ds["storage_name"].values[i])
        wb = (water_body or {}).get(str(sid), "lake")
        for sp in ("tn", "tp"):
            var_in, var_out = f"storage_{sp}_mass_in", f"storage_{sp}_mass_out"
            if var_in not in ds:
                continue
            by = f"{var_in}_by_source"
            for label, a, b in periods:
                m_in = mass(ds[var_in].values[i], a, b)
                m_out = mass(ds[var_out].values[i], a, b)
                out.append(StorageLoad(label, str(sid), name, sp, "all", m_in, m_out, b - a, wb))
                if by in ds:
                    for g, gname in enumerate(groups):
                        m = mass(ds[by].values[i, g], a, b)
                        out.append(
                            StorageLoad(label, str(sid), name, sp, gname, m, np.nan, b - a, wb)
                        )
    return out


def assessment_years(t: np.ndarray) -> list[int]:
    """Calendar years the periods of a run are made of: the years of its output samples,
    except a last sample that alone opens a new year (a run ending at midnight on 1 January
    does not make a period of that instant)."""
    years = t.astype("datetime64[Y]").astype(int) + 1970
    if len(years) > 1 and years[-1] != years[-2]:
        years = years[:-1]
    return sorted({int(y) for y in years})


def assessment_input(ds: xr.Dataset) -> xr.Dataset:
    """Section series for the annual assessment, without a last sample that alone opens a
    new calendar year (see ``assessment_years``)."""
    sec = section_dataset(ds)
    t = sec["time"].values
    if len(t) > 1 and t[-1].astype("datetime64[Y]") != t[-2].astype("datetime64[Y]"):
        sec = sec.isel(time=slice(0, -1))
    return sec


# ---------------------------------------------------------------------- profile
@dataclass(frozen=True)
class ProfileChain:
    """Reaches of a longitudinal profile in order, each with whether it is walked against
    its own direction, and the network nodes passed (one more than reaches)."""

    reaches: tuple[int, ...]
    reversed: tuple[bool, ...]
    nodes: tuple[str, ...]


def select_reaches(cfg: LoadedConfig) -> list[int]:
    """Indices of the reaches matching ``run.profile_reaches`` (ids or names, shell-style
    patterns); all reaches when the setting is empty or matches nothing (logged)."""
    reaches = cfg.model.reaches
    patterns = cfg.run.profile_reaches if cfg.run is not None else []
    if not patterns:
        return list(range(len(reaches)))
    chosen = [
        i
        for i, r in enumerate(reaches)
        if any(
            fnmatch.fnmatchcase(r.id, p) or fnmatch.fnmatchcase(r.name or "", p) for p in patterns
        )
    ]
    if not chosen:
        log.warning(
            "run.profile_reaches %s matches no reach; the profile follows the whole network",
            patterns,
        )
        return list(range(len(reaches)))
    return chosen


def profile_chain(cfg: LoadedConfig, chosen: list[int] | None = None) -> ProfileChain | None:
    """The longest of the shortest paths (by reach length) through the ``chosen`` reaches,
    oriented to run mostly in the reaches' own direction; None without reaches."""
    reaches = cfg.model.reaches
    chosen = select_reaches(cfg) if chosen is None else chosen
    if not chosen:
        return None
    adj: dict[str, list[tuple[str, int, bool]]] = {}
    for i in chosen:
        r = reaches[i]
        adj.setdefault(r.from_node, []).append((r.to_node, i, False))
        adj.setdefault(r.to_node, []).append((r.from_node, i, True))
    nodes = sorted(adj)
    best: tuple[float, str, str, dict] | None = None
    for src in nodes:
        dist, prev = _dijkstra(adj, src, reaches)
        far = nodes[max(range(len(nodes)), key=lambda k: (dist.get(nodes[k], -1.0), -k))]
        if best is None or dist[far] > best[0] + 1e-9:
            best = (dist[far], src, far, prev)
    assert best is not None
    _, src, dst, prev = best
    steps: list[tuple[int, bool]] = []
    path_nodes = [dst]
    n = dst
    while n != src:
        p, i, rev = prev[n]
        steps.append((i, rev))
        path_nodes.append(p)
        n = p
    steps.reverse()
    path_nodes.reverse()
    if not steps:
        i = chosen[0]
        steps, path_nodes = [(i, False)], [reaches[i].from_node, reaches[i].to_node]
    against = sum(reaches[i].length_m for i, rev in steps if rev)
    if against > 0.5 * sum(reaches[i].length_m for i, _ in steps):
        steps = [(i, not rev) for i, rev in reversed(steps)]
        path_nodes.reverse()
    if len(chosen) > len(steps):
        left = sorted({reaches[i].id for i in chosen} - {reaches[i].id for i, _ in steps})
        log.info("profile: reaches not on the longest path: %s", ", ".join(left))
    return ProfileChain(
        tuple(i for i, _ in steps), tuple(rev for _, rev in steps), tuple(path_nodes)
    )


def _dijkstra(adj, src, reaches):
    dist = {src: 0.0}
    prev: dict[str, tuple[str, int, bool]] = {}
    heap = [(0.0, src)]
    while heap:
        d, n = heapq.heappop(heap)
        if d > dist[n]:
            continue
        for m, i, rev in adj[n]:
            nd = d + reaches[i].length_m
            if nd < dist.get(m, np.inf) - 1e-9:
                dist[m] = nd
                prev[m] = (n, i, rev)
                heapq.heappush(heap, (nd, m))
    return dist, prev


def profile_data(ds: xr.Dataset, cfg: LoadedConfig, chain: ProfileChain, names: list[str]):
    """Distance along the chain (km) of every edge on it, and the time mean, minimum and
    maximum of each map variable in ``names`` there (mg/L); reach boundaries (km, node id);
    sections on the chain (km, label)."""
    reaches = cfg.model.reaches
    branch = ds["mesh1d_edge_branch"].values
    offset = ds["mesh1d_edge_offset"].values
    branch_ids = [str(b) for b in ds["branch_id"].values]
    dist, idx = [], []
    start = 0.0
    bounds = [(0.0, chain.nodes[0])]
    sec_marks = []
    for k, (i, rev) in enumerate(zip(chain.reaches, chain.reversed, strict=True)):
        r = reaches[i]
        b = branch_ids.index(r.id)
        e = np.nonzero(branch == b)[0]
        off = offset[e]
        along = r.length_m - off if rev else off
        order = np.argsort(along, kind="stable")
        dist.append((start + along[order]) / 1000.0)
        idx.append(e[order])
        for s in cfg.model.sections:
            if s.reach == r.id:
                ch = r.length_m - s.chainage_m if rev else s.chainage_m
                sec_marks.append(((start + ch) / 1000.0, s.name or s.id))
        start += r.length_m
        bounds.append((start / 1000.0, chain.nodes[k + 1]))
    for s in cfg.model.sections:
        if s.node is not None and s.node in chain.nodes:
            km = dict((n, x) for x, n in bounds)[s.node]
            sec_marks.append((km, s.name or s.id))
    x = np.concatenate(dist) if dist else np.zeros(0)
    e_all = np.concatenate(idx) if idx else np.zeros(0, int)
    values = {}
    for n in names:
        if f"{n}_mean" in ds:
            values[n] = tuple(ds[f"{n}_{stat}"].values[e_all] for stat in ("mean", "min", "max"))
    return x, values, bounds, sorted(sec_marks)


# ------------------------------------------------------------------------ plots
def write_plots(folder: Path, ds: xr.Dataset, cfg: LoadedConfig) -> list[Path]:
    """The network map, the longitudinal profile and the section series (PNG, atomic)."""
    out: list[Path] = []
    pdir = folder / PLOT_DIR
    lang = cfg.model.model.language
    lonlat = str(ds["mesh1d_node_x"].attrs.get("units", "")) == "degrees_east"
    period = _period_text(ds, lang)
    bodies = water_bodies(cfg)
    if "tp_mean" in ds:
        edges = ds["mesh1d_edge_nodes"].values
        nx, ny = ds["mesh1d_node_x"].values, ds["mesh1d_node_y"].values
        segments = np.stack([np.column_stack([nx[edges[:, 0]], ny[edges[:, 0]]]),
                             np.column_stack([nx[edges[:, 1]], ny[edges[:, 1]]])], axis=1)  # fmt: skip
        lakes = []
        if ds.sizes.get("storage", 0) and "storage_tp" in ds:
            for i, sid in enumerate(ds["storage_id"].values):
                lakes.append((float(ds["storage_x"].values[i]), float(ds["storage_y"].values[i]),
                              float(np.nanmean(ds["storage_tp"].values[i])),
                              str(ds["storage_name"].values[i]) or str(sid),
                              bodies.get(str(sid), "lake")))  # fmt: skip
        sections = [(float(ds["section_x"].values[i]), float(ds["section_y"].values[i]),
                     str(ds["section_name"].values[i]) or str(sid))
                    for i, sid in enumerate(ds["section_id"].values)]  # fmt: skip
        fig = plot.network_map(
            segments,
            ds["tp_mean"].values,
            lakes,
            sections,
            title=f"{_scenario_label(ds, cfg)}: {tr('mean TP', lang)} {period}",
            lonlat=lonlat,
            lang=lang,
        )
        out.append(plot.save_png(fig, pdir / "map_tp.png"))
    chain = profile_chain(cfg)
    if chain is not None and "tp_mean" in ds:
        x, values, bounds, marks = profile_data(ds, cfg, chain, ["tp", "nh3n"])
        fig = plot.profile(
            x,
            values,
            bounds,
            marks,
            title=f"{_scenario_label(ds, cfg)}: {tr('longitudinal profile', lang)}, {period} "
            f"({_reach_label(cfg, chain.reaches[0])} ... {_reach_label(cfg, chain.reaches[-1])})",
            lang=lang,
        )
        out.append(plot.save_png(fig, pdir / "profile.png"))
    sec = section_dataset(ds)
    present = [k for k in ("tp", "nh3n", "tn") if f"section_{k}" in sec]
    if present and sec.sizes.get("section", 0) and sec.sizes.get("time", 0):
        fig = plot.section_series(
            sec["time"].values,
            {k: sec[f"section_{k}"].values for k in present},
            [str(s) for s in sec["section"].values],
            [str(k) for k in sec["kind"].values],
            title=f"{_scenario_label(ds, cfg)}: {tr('sections', lang)}",
            names=[
                str(n) or str(s)
                for n, s in zip(sec["name"].values, sec["section"].values, strict=True)
            ],
            lang=lang,
        )
        out.append(plot.save_png(fig, pdir / "sections.png"))
    return out


def _period_text(ds: xr.Dataset, lang: str = "en") -> str:
    t = ds["map_time"].values if ds.sizes.get("map_time", 0) else ds["time"].values
    if len(t) == 0:
        return ""
    return f"{str(t[0])[:10]} {tr('to', lang)} {str(t[-1])[:10]}"


def _scenario_label(ds: xr.Dataset, cfg: LoadedConfig) -> str:
    return cfg.title or str(ds.attrs.get("scenario", cfg.name))


def _reach_label(cfg: LoadedConfig, i: int) -> str:
    r = cfg.model.reaches[i]
    return r.name or r.id


# ------------------------------------------------------------------------- entry
def write_run_products(cfg: LoadedConfig, folder: str | Path, results: str | Path) -> RunProducts:
    """Write sections.csv, compliance.csv and the plots of a finished run; return what the
    comparison of scenarios needs."""
    folder = Path(folder)
    ds = read_results(results)
    files = [write_sections_csv(folder / "sections.csv", ds)]
    sec = assessment_input(ds)
    has_time = sec.sizes.get("time", 0) > 0
    assessments = assess(sec, cfg.model.sections, freq="annual") if has_time else []
    files.append(write_compliance_csv(folder / "compliance.csv", assessments))
    files += write_plots(folder, ds, cfg)
    monthly = assess(sec, cfg.model.sections, freq="monthly") if has_time else []
    t = ds["time"].values
    return RunProducts(
        scenario=cfg.name,
        period_start=_iso(t[0]) if len(t) else "",
        period_end=_iso(t[-1]) if len(t) else "",
        assessments=assessments,
        loads=storage_loads(ds, water_bodies(cfg)),
        files=files,
        monthly=monthly,
        inputs=inputs_summary(cfg),
    )


def water_bodies(cfg: LoadedConfig) -> dict[str, str]:
    """'lake' or 'polder' of every storage node, by id."""
    return {n.id: n.storage.water_body for n in cfg.model.nodes if n.storage is not None}


def inputs_summary(cfg: LoadedConfig) -> dict[str, object]:
    """What the run's inputs are, for the first page of a report: the titles of the forcing
    files (their global ``title`` attribute; a synthetic file says so there) and, per table of
    the config, how many items carry each ``confidence`` (published, estimated, assumed);
    the names of the nodes, by id (source groups of boundaries are named by their node)."""
    titles = []
    forcing = cfg.model.forcing
    for f in forcing.files if forcing is not None else []:
        try:
            with xr.open_dataset(f, decode_times=False) as fds:
                titles.append((Path(f).name, str(fds.attrs.get("title", ""))))
        except (OSError, ValueError):
            titles.append((Path(f).name, ""))
    counts: dict[str, dict[str, int]] = {}
    for table in ("sources", "catchments", "boundaries", "structures", "reaches", "sections"):
        c: dict[str, int] = {}
        for item in getattr(cfg.model, table, []):
            key = str(getattr(item, "confidence", None) or "not given")
            c[key] = c.get(key, 0) + 1
        if c:
            counts[table] = c
    nodes = {n.id: n.name for n in cfg.model.nodes if getattr(n, "name", None)}
    return {
        "forcing": titles,
        "confidence": counts,
        "language": cfg.model.model.language,
        "node_names": nodes,
    }


def _iso(t) -> str:
    return datetime.fromisoformat(str(t)[:19]).isoformat(timespec="seconds")
