"""Test models of the hydrodynamic solver, built in code with ``tests.builders``.

The builders (``model``, ``node``, ``rectangular``, ``trapezoidal``, ``reach``, ``level_bc``,
``flow_bc``, ``load``) are those of ``tests.builders``, imported here under the names the
hydrodynamic tests use; this module adds what only those tests need: a solver straight
from a model dict, a run to steady state, a reach's points. Coordinates are projected
metres (``xy_m``).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np

from tests.builders import (
    START,
    flow_bc,
    level_bc,
    load,
    model,
    node,
    reach,
    rectangular,
    trapezoidal,
)
from twin.hydro.compile import solver_from_config
from twin.hydro.solver import HydroSolver
from twin.network.topology import compile_network

G = 9.81


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


# ------------------------------------------------------------------ shared cases
def looped_tidal_network(days: float = 30.0, dt: float = 300.0) -> dict:
    """A looped tidal network (volume balance, hot start): nine nodes, four loops, a storage
    lake L behind a gate on a series, a weir, a surveyed section, a three-constituent tide at
    T, a varying inflow at Q, laterals in and out."""
    m = model("looped_tidal", dt_s=dt, days=days)
    for nid, x, y in [
        ("T", 0, 0), ("A", 2000, 0), ("B", 5000, 1500), ("C", 5000, -1500),
        ("D", 8000, 1500), ("E", 8000, -1500), ("F", 11000, 0), ("Q", 14000, 0),
    ]:  # fmt: skip
        node(m, nid, x, y)
    node(
        m,
        "L",
        9000,
        -4000,
        kind="storage",
        storage={"level_m": [-3.0, 0.0, 4.0], "area_m2": [2e5, 1e6, 1.5e6]},
    )
    trapezoidal(m, "trap", 20.0, 2.0, n=0.03)
    rectangular(m, "rect", 15.0, n=0.025)
    m["cross_sections"].append(
        {
            "id": "surveyed",
            "shape": "irregular",
            "station_m": [0, 5, 12, 20, 28, 35, 40],
            "elevation_m": [4.0, 1.0, -1.5, -2.5, -1.8, 1.0, 4.0],
            "manning_n": 0.028,
        }
    )
    for rid, a, b, length, sec, z0, z1 in [
        ("r0", "T", "A", 2000, "trap", -3.0, -3.0),
        ("r1", "A", "B", 3354, "rect", -3.0, -2.8),
        ("r2", "A", "C", 3354, "trap", -3.0, -2.8),
        ("r3", "B", "C", 3000, "rect", -2.8, -2.8),
        ("r5", "C", "E", 3000, "trap", -2.8, -2.6),
        ("r6", "D", "E", 3000, "rect", -2.6, -2.6),
        ("r7", "D", "F", 3354, "trap", -2.6, -2.4),
        ("r8", "E", "F", 3354, "rect", -2.6, -2.4),
        ("r9", "F", "Q", 3000, "trap", -2.4, -2.2),
        ("r10", "L", "F", 4000, "rect", -2.5, -2.4),
    ]:
        reach(m, rid, a, b, length, 250, sec, z0, z1)
    m["reaches"].append(
        {
            "id": "r4",
            "from_node": "B",
            "to_node": "D",
            "length_m": 3000.0,
            "dx_m": 250.0,
            "sections": [
                {"chainage_m": 0.0, "section": "surveyed"},
                {"chainage_m": 3000.0, "section": "surveyed", "bed_level_m": -2.4},
            ],
        }
    )
    m["structures"] += [
        {
            "id": "gate",
            "kind": "sluice",
            "from_node": "E",
            "to_node": "L",
            "sill_level_m": -1.5,
            "width_m": 6.0,
            "opening_m": "gate_opening",
        },
        {"id": "weir", "kind": "weir", "from_node": "C", "to_node": "E",
         "crest_level_m": -0.5, "crest_width_m": 10.0},
    ]  # fmt: skip
    t = np.arange(0.0, days + 1.01, 0.5)
    times = [START + timedelta(days=float(d)) for d in t]
    m["timeseries"] += [
        {"id": "q_up", "units": "m3 s-1", "times": times,
         "values": [float(20 + 15 * np.sin(0.9 * i)) for i in range(t.size)]},
        {"id": "gate_opening", "units": "m", "times": times,
         "values": [float(0.5 + 0.4 * np.cos(1.3 * i)) for i in range(t.size)]},
    ]  # fmt: skip
    m["boundaries"].append(
        {
            "node": "T",
            "kind": "tide",
            "mean_level_m": 0.3,
            "constituents": [
                {"name": "M2", "amplitude_m": 0.8, "phase_deg": 0.0},
                {"name": "S2", "amplitude_m": 0.3, "phase_deg": 40.0},
                {"name": "K1", "amplitude_m": 0.15, "phase_deg": 100.0},
            ],
        }
    )
    flow_bc(m, "Q", "q_up")
    m["laterals"] += [
        {"id": "rain", "reach": "r6", "discharge_m3s": 2.5},
        {"id": "intake", "reach": "r3", "chainage_m": 1000.0, "discharge_m3s": -1.0},
        {"id": "drain", "node": "B", "discharge_m3s": 0.7},
    ]
    m["run"]["hydro"]["initial_level_m"] = 0.3
    return m


def lake_at_rest_model(z0: float = 1.0) -> dict:
    """Still water at level z0 over an irregular bed with an immersed and an emerged bump,
    a submerged weir, an open sluice, a storage lake and a zero discharge boundary."""
    m = model("lake_at_rest", days=10, dt_s=600.0)
    for nid, x in [("sea", 0), ("j1", 3000), ("j2", 3010), ("lake", 6000), ("j3", 6010)]:
        node(m, nid, x)
    node(m, "end", 9000)
    node(m, "feeder", 3000, 2000)
    m["nodes"][3].update(
        kind="storage",
        storage={"level_m": [-2.0, 0.0, 3.0], "area_m2": [1e5, 4e5, 6e5]},
        bed_level_m=-2.0,
    )
    m["cross_sections"] += [
        {
            "id": "deep",
            "shape": "irregular",
            "station_m": [0, 8, 15, 22, 30, 38, 45],
            "elevation_m": [3.0, 0.5, -1.2, -2.0, -1.5, 0.4, 3.0],
            "panel_stations_m": [8.0, 38.0],
            "panel_manning_n": [0.045, 0.027, 0.045],
        },
        {
            "id": "bump",  # immersed: lowest point 0.5 m, 0.5 m under z0
            "shape": "irregular",
            "station_m": [0, 10, 20, 30, 40],
            "elevation_m": [3.0, 0.8, 0.5, 0.9, 3.0],
            "manning_n": 0.03,
        },
        {
            "id": "ridge",  # emerged: lowest point 1.4 m, above z0 (a dry point)
            "shape": "irregular",
            "station_m": [0, 10, 20, 30],
            "elevation_m": [3.0, 1.6, 1.4, 3.0],
            "manning_n": 0.03,
        },
    ]
    trapezoidal(m, "trap", 6.0, 1.5, n=0.03)

    def place(ch, sec, bed=None):
        d = {"chainage_m": float(ch), "section": sec}
        if bed is not None:
            d["bed_level_m"] = bed
        return d

    m["reaches"] += [
        {
            "id": "r1",
            "from_node": "sea",
            "to_node": "j1",
            "length_m": 3000.0,
            "dx_m": 200.0,
            "sections": [place(0, "deep"), place(1500, "bump"), place(3000, "deep", -1.4)],
        },
        {
            "id": "r2",
            "from_node": "j2",
            "to_node": "lake",
            "length_m": 2990.0,
            "dx_m": 250.0,
            "sections": [place(0, "deep", -1.0), place(1000, "deep", -2.5), place(2990, "deep")],
        },
        {
            "id": "r3",
            "from_node": "j3",
            "to_node": "end",
            "length_m": 2990.0,
            "dx_m": 100.0,
            "sections": [place(0, "deep"), place(1500, "ridge"), place(2990, "deep", -0.8)],
        },
    ]
    reach(m, "r4", "feeder", "j1", 2000, 250, "trap", -1.0, -1.2)
    m["structures"] += [
        {
            "id": "weir",
            "kind": "weir",
            "from_node": "j1",
            "to_node": "j2",
            "crest_level_m": 0.0,
            "crest_width_m": 12.0,
        },
        {
            "id": "gate",
            "kind": "sluice",
            "from_node": "lake",
            "to_node": "j3",
            "sill_level_m": -0.5,
            "width_m": 8.0,
            "opening_m": 0.6,
        },
    ]
    level_bc(m, "sea", z0)
    flow_bc(m, "feeder", 0.0)
    m["run"]["hydro"]["initial_level_m"] = z0
    return m


# ------------------------------------------------------------------ trajectories
def trajectory(s, n_steps, dt=300.0):
    """The states after each of n_steps steps of dt (s), each step asserted to succeed."""
    out = []
    for _ in range(n_steps):
        status, _ = s.advance(dt)
        assert status == 0, s.describe_failure(status)
        out.append(type(s.state)(*(f.copy() for f in s.state)))
    return out


def assert_identical(a, b):
    """Two trajectories equal bit for bit, field by field."""
    assert len(a) == len(b)
    for k, (sa, sb) in enumerate(zip(a, b, strict=True)):
        for name in sa._fields:
            assert np.array_equal(getattr(sa, name), getattr(sb, name)), f"step {k}: {name}"
