"""Test models of the hydrodynamic solver, built in code.

Each builder returns a plain dict in the layout of a model TOML file; ``load`` writes it as
TOML into a folder and loads it through ``twin.config.load_config``, so every test model
passes the same validation as a user's file. Coordinates are projected metres (``xy_m``).
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import tomli_w

from twin.config.loaded import LoadedConfig
from twin.config.loader import load_config
from twin.hydro.compile import solver_from_config
from twin.hydro.solver import HydroSolver
from twin.network.topology import compile_network

START = datetime(2024, 1, 1)
G = 9.81


def model(name: str, days: float = 1.0, dt_s: float = 60.0, **hydro) -> dict:
    """An empty model with a [run] table of ``days`` from START; ``hydro`` sets run.hydro."""
    end = START + timedelta(days=days)
    return {
        "model": {"name": name, "coordinates": "xy_m"},
        "run": {
            "start": START,
            "end": end,
            "dt_s": float(dt_s),
            "output_interval_s": float(dt_s),
            "hydro": dict(hydro),
        },
        "nodes": [],
        "cross_sections": [],
        "reaches": [],
        "boundaries": [],
        "structures": [],
        "laterals": [],
        "timeseries": [],
    }


def node(m: dict, nid: str, x: float, y: float = 0.0, **kw) -> None:
    m["nodes"].append({"id": nid, "x": float(x), "y": float(y), **kw})


def rectangular(m: dict, sid: str, width_m: float, height_m: float = 10.0, n=None) -> None:
    sec = {"id": sid, "shape": "rectangular", "width_m": width_m, "height_m": height_m}
    if n is not None:
        sec["manning_n"] = n
    m["cross_sections"].append(sec)


def trapezoidal(m: dict, sid: str, bottom_m: float, side: float, height_m=10.0, n=None) -> None:
    sec = {
        "id": sid,
        "shape": "trapezoidal",
        "bottom_width_m": bottom_m,
        "side_slope": side,
        "height_m": height_m,
    }
    if n is not None:
        sec["manning_n"] = n
    m["cross_sections"].append(sec)


def reach(m, rid, a, b, length_m, dx_m, section, bed_from, bed_to, n=None, **kw) -> None:
    """A prismatic reach from node a to node b with a linear bed."""
    r = {
        "id": rid,
        "from_node": a,
        "to_node": b,
        "length_m": float(length_m),
        "dx_m": float(dx_m),
        "bed_level_from_m": float(bed_from),
        "bed_level_to_m": float(bed_to),
        "sections": [{"chainage_m": 0.0, "section": section}],
        **kw,
    }
    if n is not None:
        r["manning_n"] = n
    m["reaches"].append(r)


def level_bc(m: dict, nid: str, level) -> None:
    m["boundaries"].append({"node": nid, "kind": "level", "level_m": level})


def flow_bc(m: dict, nid: str, q) -> None:
    m["boundaries"].append({"node": nid, "kind": "discharge", "discharge_m3s": q})


def load(m: dict, folder: Path, name: str = "model.toml") -> LoadedConfig:
    """Write the model as TOML into ``folder`` and load it like a user's file."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    clean = _drop_none({k: v for k, v in copy.deepcopy(m).items() if v != []})
    path.write_bytes(tomli_w.dumps(clean).encode())
    return load_config(path)


def _drop_none(x):
    if isinstance(x, dict):
        return {k: _drop_none(v) for k, v in x.items() if v is not None}
    if isinstance(x, list):
        return [_drop_none(v) for v in x]
    return x


def solver(m: dict, folder: Path, name: str = "model.toml") -> HydroSolver:
    cfg = load(m, folder, name)
    return solver_from_config(cfg, compile_network(cfg))


def run_steady(s: HydroSolver, dt: float, t_max: float, tol_m=1e-9, tol_q=1e-7) -> int:
    """Advance until no level changes by more than tol_m (m) and no discharge by more than
    tol_q times the largest discharge in one step, or t_max (s) elapses. Returns the steps."""
    n = round(t_max / dt)
    for k in range(n):
        z0 = s.state.z_pt.copy()
        q0 = s.state.q_pt.copy()
        status, _ = s.advance(dt)
        assert status == 0, s.describe_failure(status)
        dz = np.max(np.abs(s.state.z_pt - z0))
        dq = np.max(np.abs(s.state.q_pt - q0)) / max(np.max(np.abs(s.state.q_pt)), 1e-3)
        if dz < tol_m and dq < tol_q:
            return k + 1
    raise AssertionError(f"no steady state within {t_max} s (last dz {dz:.2e} m, dq {dq:.2e})")


def reach_slice(s: HydroSolver, rid: str) -> slice:
    r = s.net.reach_index(rid)
    a = s.net.arrays
    return slice(int(a.reach_pt[r]), int(a.reach_pt[r + 1]))
