"""Point sources: sewage plants (with overflow above capacity), enterprises, other point
discharges, and the domestic sewage of each catchment (collected, leaked, uncollected).

Sewage flows are configured in m3/d and returned in m3/s; concentrations in mg/L = g/m3, so a
load in g/s is Q [m3/s] * C [g/m3].
"""

from __future__ import annotations

import logging

import numpy as np

from ..errors import UserError
from ..vocab.sources import EFFLUENT_PRESETS
from .loads import (
    LOAD_SPECIES,
    N_PARTS,
    P_PARTS,
    PER_CAPITA,
    RAW_SEWAGE,
    UNTREATED_ENTRY_FRACTION,
    preset_effluent,
    split,
)
from .prepared import Inflow

log = logging.getLogger(__name__)

M3D = 1.0 / 86400.0
GROUP_SPLIT = {
    "wwtp": "effluent",
    "untreated_sewage": "raw_sewage",
    "nonpoint": "runoff",
    "enterprise": "industrial",
    "other": "industrial",
}


class SeriesSampler:
    """Values of config numbers or ``[[timeseries]]`` ids at the interval midpoints."""

    def __init__(self, timeseries, times_s: np.ndarray, step_s: float):
        self.named = {ts.id: ts for ts in timeseries}
        self.mid = np.asarray(times_s, np.float64) + 0.5 * step_s

    def __call__(self, value) -> np.ndarray:
        if not isinstance(value, str):
            return np.full(self.mid.shape, float(value))
        ts = self.named[value]
        t, v = ts.epoch_arrays()
        if v.size == 1:
            return np.full(self.mid.shape, v[0])
        if ts.interpolation == "previous":
            i = np.clip(np.searchsorted(t, self.mid, side="right") - 1, 0, v.size - 1)
            return v[i]
        return np.interp(self.mid, t, v)


def _split(conc, kind, what) -> dict[str, np.ndarray]:
    try:
        return split(conc, kind)
    except ValueError as exc:
        raise UserError(f"{what}: {exc}") from None


def _loads(q_m3s: np.ndarray, conc: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {sp: q_m3s * np.broadcast_to(c, q_m3s.shape) for sp, c in conc.items()}


def _add(a: dict, b: dict) -> dict:
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, 0.0) + v
    return out


def _full(loads: dict, nt: int) -> dict[str, np.ndarray]:
    out = {sp: np.broadcast_to(np.asarray(loads.get(sp, 0.0), np.float64), (nt,)).copy()
           for sp in LOAD_SPECIES}  # fmt: skip
    if "tracer" in loads:
        out["tracer"] = np.broadcast_to(loads["tracer"], (nt,)).copy()
    return out


def per_capita_sewage(population: float, nt: int) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Domestic sewage of ``population``: flow (m3/s) and loads (g/s) per species."""
    q = population * PER_CAPITA["sewage_l_per_day"][0] * 1e-3 * M3D
    g = {
        "tn": population * PER_CAPITA["tn_g_per_day"][0] / 86400.0,
        "nh3n": population * PER_CAPITA["nh3n_g_per_day"][0] / 86400.0,
        "tp": population * PER_CAPITA["tp_g_per_day"][0] / 86400.0,
    }
    return np.full(nt, q), _full(split(g, "raw_sewage"), nt)


def _where(src) -> dict:
    return dict(node=src.node, reach=src.reach, chainage_m=src.chainage_m, chainage_to_m=None)


def _outlet(cat) -> dict:
    return dict(node=cat.outlet_node, reach=cat.outlet_reach, chainage_m=None, chainage_to_m=None)


def point_sources(cfg, times_s, step_s, water_temperature_c) -> tuple[list[Inflow], dict]:
    """Inflows of every ``[[sources]]`` entry and of each catchment's domestic sewage.

    Returns the inflows and a report dict: for each plant its influent, treated and
    bypassed flows (m3/s), for the report.
    """
    m = cfg.model
    nt = times_s.size
    at = SeriesSampler(m.timeseries, times_s, step_s)
    inflows: list[Inflow] = []
    plant_in: dict[str, tuple[np.ndarray, dict]] = {}
    plants = [s for s in m.sources if s.kind == "wwtp"]
    for w in plants:
        raw = w.raw_sewage or RAW_SEWAGE.values
        q = at(w.inflow_m3d) * M3D
        conc = _split(raw, "raw_sewage", f"sources '{w.id}' raw_sewage")
        plant_in[w.id] = (q, _full(_loads(q, conc), nt))
    # enterprises: to the river, or into a plant's influent
    for s in m.sources:
        if s.kind == "wwtp":
            continue
        q = at(s.flow_m3d) * M3D
        kind = "industrial" if s.kind == "enterprise" else GROUP_SPLIT[s.group]
        conc = {sp: at(v) for sp, v in s.concentrations.items()}
        parts = _split(conc, kind, f"sources '{s.id}' concentrations")
        loads = _full(_loads(q, parts), nt)
        if getattr(s, "connected_to", None):
            q0, l0 = plant_in[s.connected_to]
            plant_in[s.connected_to] = (q0 + q, _add(l0, loads))
            continue
        group = "enterprise" if s.kind == "enterprise" else s.group
        inflows.append(
            Inflow(s.id, group, **_where(s), discharge_m3s=q, load_g_s=loads, tags=tuple(s.tags))
        )
    # domestic sewage of the catchments
    for cat in m.catchments:
        if cat.population <= 0:
            continue
        q, loads = per_capita_sewage(cat.population, nt)
        s_c = cat.sewer_connection_fraction
        leak = cat.sewer_leak_fraction
        entry = (
            UNTREATED_ENTRY_FRACTION[0]
            if cat.untreated_sewage_entry_fraction is None
            else cat.untreated_sewage_entry_fraction
        )
        to_river = (1.0 - s_c) * entry + s_c * leak
        to_plant = s_c * (1.0 - leak)
        if to_river > 0:
            inflows.append(
                Inflow(
                    f"{cat.id}.untreated_sewage", "untreated_sewage", **_outlet(cat),
                    discharge_m3s=q * to_river,
                    load_g_s={k: v * to_river for k, v in loads.items()},
                )
            )  # fmt: skip
        if to_plant > 0:
            if cat.wwtp is None:
                log.info(
                    "catchment %s: collected sewage has no plant in the model (wwtp unset); "
                    "it leaves the modelled area",
                    cat.id,
                )
                continue
            q0, l0 = plant_in[cat.wwtp]
            plant_in[cat.wwtp] = (
                q0 + q * to_plant,
                _add(l0, {k: v * to_plant for k, v in loads.items()}),
            )
    report = {}
    for w in plants:
        q_in, m_in = plant_in[w.id]
        cap = w.capacity_m3d * M3D
        q_t = np.minimum(q_in, cap)
        q_o = q_in - q_t
        c_in = {k: np.divide(v, q_in, out=np.zeros(nt), where=q_in > 0) for k, v in m_in.items()}
        c_eff = effluent_concentrations(w, water_temperature_c, nt, at)
        c_eff = _cap_at_influent(c_eff, c_in)
        inflows.append(
            Inflow(
                w.id,
                "wwtp",
                **_where(w),
                discharge_m3s=q_t,
                load_g_s=_loads(q_t, c_eff),
                tags=tuple(w.tags),
            )
        )
        if np.any(q_o > 0):
            inflows.append(
                Inflow(
                    f"{w.id}.bypass", "untreated_sewage", **_where(w), discharge_m3s=q_o,
                    load_g_s=_loads(q_o, c_in),
                )
            )  # fmt: skip
        report[w.id] = {"influent_m3s": q_in, "treated_m3s": q_t, "bypass_m3s": q_o}
    return inflows, report


def effluent_concentrations(w, water_temperature_c, nt, at) -> dict[str, np.ndarray]:
    """Effluent of plant ``w`` per species (mg/L) over time, after tail-water removal."""
    if isinstance(w.effluent, str):
        preset = EFFLUENT_PRESETS.get(w.effluent)
        if preset is None:
            raise UserError(
                f"sources '{w.id}': unknown effluent preset '{w.effluent}'; use one of "
                f"{', '.join(EFFLUENT_PRESETS)}"
            )
        conc = preset_effluent(preset, water_temperature_c)
        conc.update({k: np.full(nt, v) for k, v in w.effluent_overrides.items()})
        # an overridden total drops the preset's NH3-N only when NH3-N would exceed it
        if "tn" in w.effluent_overrides and "nh3n" not in w.effluent_overrides:
            conc["nh3n"] = np.minimum(conc["nh3n"], conc["tn"])
    else:
        conc = {k: at(v) for k, v in w.effluent.items()}
    parts = _split(conc, "effluent", f"sources '{w.id}' effluent")
    parts = {k: np.broadcast_to(v, (nt,)).astype(np.float64) for k, v in parts.items()}
    for key, share in w.effluent_removal.items():
        targets = {"tn": N_PARTS, "tp": P_PARTS}.get(key, (key,))
        for sp in targets:
            if sp in parts:
                parts[sp] = parts[sp] * (1.0 - share)
    return parts


def _cap_at_influent(c_eff: dict, c_in: dict) -> dict:
    """A plant cannot discharge more TN or TP than it receives: scale the parts down."""
    out = dict(c_eff)
    for parts in (N_PARTS, P_PARTS):
        tot_e = sum(out.get(p, 0.0) for p in parts)
        tot_i = sum(c_in.get(p, 0.0) for p in parts)
        scale = np.where(
            tot_e > tot_i, np.divide(tot_i, tot_e, out=np.zeros_like(tot_e), where=tot_e > 0), 1.0
        )
        for p in parts:
            if p in out:
                out[p] = out[p] * scale
    return out
