"""Lake at rest: a network holding still water over an irregular bed stays still.

Still water (level Z0 everywhere, no flow) solves the Saint-Venant equations exactly, so a
well-balanced scheme must keep it to round-off: over an irregular bed with an immersed and an
emerged (dry) bump, through a submerged weir, an open sluice, a storage lake and a zero
discharge boundary. Tolerance: levels within 1e-10 m of Z0 and discharges below 1e-10 m3/s
over 10 days.
"""

from __future__ import annotations

import numpy as np

from tests import hydro_cases as hc

Z0 = 1.0
LEVEL_TOL_M = 1e-10
FLOW_TOL_M3S = 1e-10


def lake_at_rest_model() -> dict:
    m = hc.model("lake_at_rest", days=10, dt_s=600.0)
    for nid, x in [("sea", 0), ("j1", 3000), ("j2", 3010), ("lake", 6000), ("j3", 6010)]:
        hc.node(m, nid, x)
    hc.node(m, "end", 9000)
    hc.node(m, "feeder", 3000, 2000)
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
            "id": "bump",  # immersed: lowest point 0.5 m, 0.5 m under Z0
            "shape": "irregular",
            "station_m": [0, 10, 20, 30, 40],
            "elevation_m": [3.0, 0.8, 0.5, 0.9, 3.0],
            "manning_n": 0.03,
        },
        {
            "id": "ridge",  # emerged: lowest point 1.4 m, above Z0 (a dry point)
            "shape": "irregular",
            "station_m": [0, 10, 20, 30],
            "elevation_m": [3.0, 1.6, 1.4, 3.0],
            "manning_n": 0.03,
        },
    ]
    hc.trapezoidal(m, "trap", 6.0, 1.5, n=0.03)

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
    hc.reach(m, "r4", "feeder", "j1", 2000, 250, "trap", -1.0, -1.2)
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
    hc.level_bc(m, "sea", Z0)
    hc.flow_bc(m, "feeder", 0.0)
    m["run"]["hydro"]["initial_level_m"] = Z0
    return m


def test_lake_at_rest_stays_at_rest(tmp_path):
    s = hc.solver(lake_at_rest_model(), tmp_path)
    # the case must really hold a dry point, and structures that water could pass
    a = s.net.arrays
    assert np.any(a.pt_bed > Z0), "the ridge should leave a dry point"
    assert np.any(a.pt_bed < Z0 - 2.5), "the bed should be irregular"
    n_steps = int(10 * 86400 / 600)
    worst_z = worst_q = 0.0
    for _ in range(n_steps):
        status, halvings = s.advance(600.0)
        assert status == 0, s.describe_failure(status)
        assert halvings == 0
        worst_z = max(
            worst_z,
            np.max(np.abs(s.state.z_pt - Z0)),
            np.max(np.abs(s.state.z_node - Z0)),
        )
        worst_q = max(worst_q, np.max(np.abs(s.state.q_pt)), np.max(np.abs(s.state.q_struct)))
    assert worst_z < LEVEL_TOL_M, f"level moved by {worst_z:.3e} m"
    assert worst_q < FLOW_TOL_M3S, f"discharge {worst_q:.3e} m3/s"
    crest, opening, sill = s.state.setting[0], s.state.setting[1], s.st.params[1, 0]
    assert crest < Z0 and sill < Z0 and opening > 0.0, "structures must be submerged and open"
    print(f"lake at rest: max level change {worst_z:.2e} m, max |Q| {worst_q:.2e} m3/s")
