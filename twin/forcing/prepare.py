"""Forcing preparation: from a loaded config to inflows of water and mass on a time axis.

Recipe: time axis -> gridded forcing averaged over the catchments (when configured) ->
potential evaporation -> water temperature -> runoff and non-point loads per catchment ->
point sources and sewage -> lake surfaces -> report.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path

import numpy as np

from ..config.sources import ForcingSettings
from ..config.timeseries import epoch_seconds
from ..errors import UserError
from ..vocab.landuse import LAND_USE_CLASSES, RUNOFF_PARAMETERS
from .evaporation import hargreaves_series_m_s, makkink_m_s
from .gridded import GriddedForcing, iso, read_gridded
from .loads import LOAD_SPECIES, deposition_g_m2_s, emc_species
from .prepared import ForcingState, Inflow, PreparedForcing
from .report import build_report
from .runoff import N_STATE, RunoffResult, run_runoff
from .sewage import point_sources
from .temperature import water_temperature_raw

log = logging.getLogger(__name__)

DEFAULT_STEP_S = 3600.0


def cache_dir_for(cfg, fs: ForcingSettings) -> Path:
    return Path(fs.cache_dir) if fs.cache_dir is not None else cfg.model_path.parent / ".twin-cache"


def _regular_axis(start_s: float, end_s: float, step_s: float) -> np.ndarray:
    t0 = math.floor(start_s / step_s) * step_s
    t1 = math.ceil(end_s / step_s) * step_s
    return np.arange(t0, t1 + 0.5 * step_s, step_s)


def _polygons(cfg):
    from .geometry import catchment_polygon, read_geojson

    cache: dict[Path, list] = {}
    out = {}
    for c in cfg.model.catchments:
        feats = cache.setdefault(Path(c.geojson), read_geojson(c.geojson))
        out[c.id] = catchment_polygon(c.geojson, c.id_property, c.id, feats)
    return out


def lake_nodes(cfg) -> list[tuple[object, float]]:
    """Storage nodes and their water-surface area (m2) at the reference level: the node's
    initial level, else run.hydro.initial_level_m, else the lowest level of the table."""
    out = []
    for n in cfg.model.nodes:
        if n.kind != "storage" or n.storage is None:
            continue
        z = n.initial_level_m
        if z is None:
            z = cfg.run.hydro.initial_level_m
        if z is None:
            z = n.storage.level_m[0]
        area = float(np.interp(z, n.storage.level_m, n.storage.area_m2))
        out.append((n, area))
    return out


def _pet(fs, g: GriddedForcing, lonlat: list[tuple[float, float]]) -> np.ndarray:
    method = fs.potential_evaporation
    if method == "file" and g.potential_evaporation_m_s is None:
        raise UserError(
            "forcing.potential_evaporation = 'file' but the forcing files have no potential "
            "evaporation variable"
        )
    if method in ("auto", "file") and g.potential_evaporation_m_s is not None:
        return g.potential_evaporation_m_s
    if method == "makkink" and g.shortwave_w_m2 is None:
        raise UserError(
            "forcing.potential_evaporation = 'makkink' needs shortwave radiation in the files"
        )
    if method in ("auto", "makkink") and g.shortwave_w_m2 is not None:
        return makkink_m_s(g.shortwave_w_m2, g.air_temperature_c)
    out = np.empty_like(g.air_temperature_c)
    for r, (lon, lat) in enumerate(lonlat):
        out[r] = hargreaves_series_m_s(g.times_s, g.step_s, g.air_temperature_c[r], lon, lat)
    return out


def prepare_forcing(cfg, state: ForcingState | None = None) -> PreparedForcing:
    """Prepare every inflow of water and mass, and the temperatures, for the run of ``cfg``.

    ``state`` carries the runoff stores and water temperature from a previous window that
    ended at this run's start (a hot start); the returned ``state_end`` holds them at this
    run's end.

    Works without gridded forcing: point sources and sewage are then prepared on a regular
    axis (``[forcing] step_s``, default 3600 s), catchments give no runoff, and the water
    temperature is ``[forcing] water_temperature_c``.
    """
    m = cfg.model
    fs = m.forcing or ForcingSettings()
    start_s, end_s = epoch_seconds(cfg.run.start), epoch_seconds(cfg.run.end)
    notes: list[str] = []
    lakes = lake_nodes(cfg) if fs.lake_surfaces else []
    if lakes and m.model.coordinates != "lonlat":
        notes.append("lake rain and evaporation need lon/lat node coordinates; left out")
        lake_pts = {}
    else:
        lake_pts = {f"lake:{n.id}": (n.x, n.y) for n, _ in lakes}
    g = None
    if fs.files:
        polygons = _polygons(cfg)
        g = read_gridded(
            list(fs.files), dict(fs.variables), polygons, lake_pts, start_s, end_s,
            cache_dir_for(cfg, fs), fs.time_label,
        )  # fmt: skip
        times, step = g.times_s, g.step_s
    else:
        step = fs.step_s or DEFAULT_STEP_S
        times = _regular_axis(start_s, end_s, step)
        if m.catchments:
            notes.append("no gridded forcing: catchments give sewage but no runoff")
    nt = times.size
    nc = len(m.catchments)
    if state is not None and abs(state.time_s - times[0]) > 1e-6:
        raise UserError(
            f"forcing state is for {iso(state.time_s)}, but the forcing starts at {iso(times[0])}"
        )
    k_end = int(np.searchsorted(times, end_s - 1e-6))
    on_axis = k_end < nt and abs(times[k_end] - end_s) < 1e-6

    # temperatures
    if g is not None:
        if nc:
            areas = g.weights.polygon_area_m2[:nc]
            air = areas @ g.air_temperature_c[:nc] / areas.sum()
        else:
            air = g.domain_air_temperature_c
    else:
        air = np.full(nt, fs.water_temperature_c)
        notes.append(
            f"no gridded forcing: air and water temperature held at {fs.water_temperature_c} C"
        )
    if g is not None and fs.water_temperature == "air":
        water_raw = water_temperature_raw(
            times, air, fs.water_temperature_lag_days, fs.water_temperature_offset_c,
            None if state is None else state.water_temperature_c,
        )  # fmt: skip
        water = np.clip(water_raw, 0.0, None)
    else:
        water = np.full(nt, fs.water_temperature_c)
        water_raw = water

    inflows: list[Inflow] = []
    dep = deposition_g_m2_s(fs.deposition_kg_ha_yr or None)
    dep_vec = np.array([dep.get(sp, 0.0) for sp in LOAD_SPECIES])
    runoff: RunoffResult | None = None
    pet = None
    if g is not None and (nc or lake_pts):
        lonlat = [(p.centroid.x, p.centroid.y) for p in polygons.values()] + list(lake_pts.values())
        pet = _pet(fs, g, lonlat)
    if g is not None and nc:
        area = g.weights.polygon_area_m2[:nc]
        emc = np.stack(
            [emc_species(LAND_USE_CLASSES, c.nonpoint_load_factor) for c in m.catchments]
        )
        depo = np.tile(dep_vec, (nc, 1))
        runoff = run_runoff(
            times, step, g.precipitation_m_s[:nc], pet[:nc], area, m.catchments, emc, depo,
            None if state is None or state.runoff.shape[0] != nc else (state.runoff, state.runoff_mass),
            k_end,
        )  # fmt: skip
        for i, c in enumerate(m.catchments):
            where = dict(
                node=c.outlet_node, reach=c.outlet_reach, chainage_m=None, chainage_to_m=None
            )
            inflows.append(
                Inflow(
                    f"{c.id}.runoff", "nonpoint", **where,
                    discharge_m3s=runoff.runoff_m3s[i],
                    load_g_s={sp: runoff.load_g_s[i, j] for j, sp in enumerate(LOAD_SPECIES)},
                )
            )  # fmt: skip
            if np.any(runoff.withdrawal_m3s[i] < 0):
                inflows.append(
                    Inflow(
                        f"{c.id}.withdrawal", "other", **where,
                        discharge_m3s=runoff.withdrawal_m3s[i],
                        load_g_s={sp: np.zeros(nt) for sp in LOAD_SPECIES},
                    )
                )  # fmt: skip
    sources, plants = point_sources(cfg, times, step, water)
    inflows.extend(sources)
    # lake surfaces: rain and deposition in, evaporation out
    kc_w = RUNOFF_PARAMETERS["kc_water"].default
    for r, (n, area) in enumerate(lakes if (lake_pts or g is None) else []):
        loads = {sp: np.full(nt, dep_vec[j] * area) for j, sp in enumerate(LOAD_SPECIES)}
        where = dict(node=n.id, reach=None, chainage_m=None, chainage_to_m=None)
        rain = np.zeros(nt) if g is None else g.precipitation_m_s[nc + r] * area
        inflows.append(
            Inflow(f"{n.id}.atmosphere", "nonpoint", **where, discharge_m3s=rain, load_g_s=loads)
        )
        if g is not None:
            inflows.append(
                Inflow(
                    f"{n.id}.evaporation", "other", **where,
                    discharge_m3s=-kc_w * pet[nc + r] * area,
                    load_g_s={sp: np.zeros(nt) for sp in LOAD_SPECIES},
                    evaporation=True,
                )
            )  # fmt: skip
    ids = [f.id for f in inflows]
    if len(set(ids)) != len(ids):
        dup = sorted({i for i in ids if ids.count(i) > 1})
        raise UserError(f"forcing: inflow ids collide ({', '.join(dup)}); rename the sources")
    report = build_report(
        times, step, m.catchments, g, pet, runoff, inflows, plants, air, water, notes
    )
    for note in notes:
        log.info(note)
    state_end = None
    if on_axis:
        if runoff is not None:
            st, mass = runoff.state_end
        else:
            st, mass = np.zeros((nc, N_STATE)), np.zeros((nc, len(LOAD_SPECIES)))
        state_end = ForcingState(float(times[k_end]), st, mass, float(water_raw[k_end]))
    return PreparedForcing(times, inflows, air, water, report, step, notes, state_end)
