"""Every structure law at steady state between two level boundaries, free and submerged.

Layout: level boundary U - reach (200 m) - node A - structure - node B - reach (200 m) -
level boundary D. At steady state the structure's discharge must equal its law evaluated
at the levels the model computes at A and B (the law written out again here from its
documented formula, relative tolerance 1e-6), and both reaches must carry that discharge
(continuity, relative 1e-6). Laws (see twin/hydro/structures.py for sources):

- weir: Q = m B sqrt(2g) H1^1.5, times the Villemonte factor (1 - (h2/H1)^1.5)^0.385 when
  the tailwater h2 stands above the crest;
- sluice: orifice Q = mu B e sqrt(2g H1), mu = 0.60 - 0.176 e/H1, for e/H1 <= 0.65;
  submerged when h2 > 2/3 H1, Q = mu B e sqrt(2g 3 (H1 - h2)); weir flow for e/H1 >= 0.8;
  linear blend between;
- culvert and flap gate: Q = a sqrt(2 g dh / (k_entry + k_exit + 2 g n^2 L / R^(4/3))),
  a and R of the upstream depth capped at the barrel height; the flap gate only forward;
- pump: its capacity while running, started above start_level_m and stopped below
  stop_level_m on the suction side (hysteresis), checked on a filling and draining lake.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests import hydro_cases as hc

G = hc.G
LAW_REL_TOL = 1e-6
CONTINUITY_REL_TOL = 1e-6


def villemonte(h1, h2):
    return (1.0 - (h2 / h1) ** 1.5) ** 0.385 if h2 > 0.0 else 1.0


def weir_law(zu, zd, crest=0.0, width=10.0, m=0.36):
    h1, h2 = zu - crest, zd - crest
    return m * width * math.sqrt(2 * G) * h1**1.5 * villemonte(h1, h2)


def sluice_law(zu, zd, e, sill=0.0, width=8.0, m=0.36):
    h1, h2 = zu - sill, zd - sill
    ratio = e / h1
    q_weir = weir_law(zu, zd, sill, width, m)
    mu = 0.60 - 0.176 * min(ratio, 1.0)
    if h2 <= 2.0 / 3.0 * h1:
        q_orifice = mu * width * min(e, h1) * math.sqrt(2 * G * h1)
    else:
        q_orifice = mu * width * min(e, h1) * math.sqrt(2 * G * 3 * (h1 - h2))
    if ratio >= 0.8:
        return q_weir
    if ratio <= 0.65:
        return q_orifice
    f = (ratio - 0.65) / 0.15
    return (1 - f) * q_orifice + f * q_weir


def barrel_law(zu, zd, invert, width, height, length, n, k_in, k_out):
    sign = 1.0 if zu >= zd else -1.0
    h1, dh = max(zu, zd) - invert, abs(zu - zd)
    d = min(h1, height)
    area = width * d
    perimeter = 2 * (width + height) if d >= height else width + 2 * d
    r = area / perimeter
    loss = k_in + k_out + 2 * G * n * n * length / r ** (4.0 / 3.0)
    return sign * area * math.sqrt(2 * G * dh / loss)


def culvert_law(zu, zd):
    return barrel_law(zu, zd, 0.0, 2.0, 1.5, 30.0, 0.015, 0.5, 1.0)


def flap_law(zu, zd):
    return max(barrel_law(zu, zd, 0.0, 2.0, 1.5, 0.0, 0.02, 0.0, 1.5), 0.0)


def run_structure(tmp_path, structure, zu, zd):
    """Steady state of the test layout; returns (levels at A and B, Q of the structure)."""
    m = hc.model("structure", dt_s=60.0)
    for nid, x in [("U", 0), ("A", 200), ("B", 201), ("D", 401)]:
        hc.node(m, nid, x)
    m["nodes"][1]["initial_level_m"] = zu
    m["nodes"][2]["initial_level_m"] = zd
    hc.rectangular(m, "wide", 50.0, n=0.02)
    hc.reach(m, "r1", "U", "A", 200, 50, "wide", -3.0, -3.0)
    hc.reach(m, "r2", "B", "D", 200, 50, "wide", -3.0, -3.0)
    m["structures"].append({"id": "s", "from_node": "A", "to_node": "B", **structure})
    hc.level_bc(m, "U", zu)
    hc.level_bc(m, "D", zd)
    s = hc.solver(m, tmp_path)
    hc.run_steady(s, 60.0, 86400.0)
    za = s.state.z_node[s.net.node_index("A")]
    zb = s.state.z_node[s.net.node_index("B")]
    q = s.state.q_struct[0]
    for rid in ("r1", "r2"):
        qr = s.state.q_pt[hc.reach_slice(s, rid)]
        assert np.all(np.abs(qr - q) <= CONTINUITY_REL_TOL * max(abs(q), 1e-3)), rid
    return za, zb, q


WEIR = {"kind": "weir", "crest_level_m": 0.0, "crest_width_m": 10.0}
CULVERT = {
    "kind": "culvert",
    "invert_level_m": 0.0,
    "width_m": 2.0,
    "height_m": 1.5,
    "length_m": 30.0,
}
FLAP = {"kind": "flap_gate", "invert_level_m": 0.0, "width_m": 2.0, "height_m": 1.5}


def sluice(e):
    return {"kind": "sluice", "sill_level_m": 0.0, "width_m": 8.0, "opening_m": e}


CASES = {
    # name: (structure, zu, zd, law(za, zb), check of the regime at the model's levels)
    "weir free": (WEIR, 1.0, -0.5, weir_law, lambda za, zb: zb < 0.0),
    "weir submerged": (WEIR, 1.0, 0.6, weir_law, lambda za, zb: zb / za > 0.5),
    "weir highly submerged": (WEIR, 1.0, 0.95, weir_law, lambda za, zb: zb / za > 0.9),
    "weir reverse": (WEIR, 0.6, 1.0, lambda a, b: -weir_law(b, a), lambda za, zb: zb > za),
    "sluice orifice free": (
        sluice(0.3), 1.0, -1.0, lambda a, b: sluice_law(a, b, 0.3),
        lambda za, zb: 0.3 / za <= 0.65 and zb <= 2 / 3 * za,
    ),
    "sluice orifice submerged": (
        sluice(0.3), 1.0, 0.8, lambda a, b: sluice_law(a, b, 0.3),
        lambda za, zb: 0.3 / za <= 0.65 and zb > 2 / 3 * za,
    ),
    "sluice transition": (
        sluice(0.7), 1.0, 0.0, lambda a, b: sluice_law(a, b, 0.7),
        lambda za, zb: 0.65 < 0.7 / za < 0.8,
    ),
    "sluice weir free": (
        sluice(1.5), 1.0, -1.0, lambda a, b: sluice_law(a, b, 1.5),
        lambda za, zb: 1.5 / za >= 0.8 and zb < 0.0,
    ),
    "sluice weir submerged": (
        sluice(1.5), 1.0, 0.9, lambda a, b: sluice_law(a, b, 1.5),
        lambda za, zb: 1.5 / za >= 0.8 and zb > 0.0,
    ),
    "sluice orifice reverse": (
        sluice(0.3), 0.8, 1.0, lambda a, b: -sluice_law(b, a, 0.3),
        lambda za, zb: zb > za,
    ),
    "culvert free": (CULVERT, 1.0, -1.0, culvert_law, lambda za, zb: zb < 0.0),
    "culvert submerged": (CULVERT, 1.0, 0.8, culvert_law, lambda za, zb: zb > 0.0),
    "culvert full barrel": (CULVERT, 2.5, 2.0, culvert_law, lambda za, zb: zb > 1.5),
    "culvert reverse": (CULVERT, 0.8, 1.0, culvert_law, lambda za, zb: zb > za),
    "flap gate forward free": (FLAP, 1.0, -0.5, flap_law, lambda za, zb: zb < 0.0),
    "flap gate forward submerged": (FLAP, 1.0, 0.5, flap_law, lambda za, zb: zb > 0.0),
}  # fmt: skip


@pytest.mark.parametrize("name", list(CASES))
def test_structure_law_at_steady_state(tmp_path, name):
    structure, zu, zd, law, regime = CASES[name]
    za, zb, q = run_structure(tmp_path, structure, zu, zd)
    assert regime(za, zb), f"{name}: the levels {za:.3f}, {zb:.3f} are not in the regime"
    q_ref = law(za, zb)
    err = abs(q / q_ref - 1.0)
    print(f"{name}: Q {q:.5f} m3/s, law {q_ref:.5f} m3/s, rel error {err:.1e}")
    assert abs(q) > 0.1
    assert err < LAW_REL_TOL


@pytest.mark.parametrize("reverse_head_m", [0.5, 2e-3, 4e-4])
def test_flap_gate_holds_reverse_heads(tmp_path, reverse_head_m):
    """No flow back through a flap gate, whatever the reverse head (also below the 1 mm
    where the laws are linearised)."""
    m = hc.model("flap_reverse", dt_s=60.0)
    hc.node(m, "A", 0.0, initial_level_m=0.0)
    hc.node(m, "B", 10.0)
    m["nodes"][0].update(kind="storage", storage={"level_m": [-2.0, 2.0], "area_m2": [1e4, 1e4]})
    m["structures"].append({"id": "s", "from_node": "A", "to_node": "B", **FLAP})
    hc.level_bc(m, "B", reverse_head_m)
    s = hc.solver(m, tmp_path)
    for _ in range(100):
        status, _ = s.advance(60.0)
        assert status == 0, s.describe_failure(status)
        assert s.state.q_struct[0] == 0.0
    assert s.state.z_node[0] == 0.0


def test_pump_hysteresis(tmp_path):
    """A lake (1e5 m2) fed with 5 m3/s, pumped out at 12 m3/s: the pump starts in the first
    step that begins above the start level (1.0 m) and stops in the first that begins below
    the stop level (0.5 m); the level then cycles between them, filling in A dz / Q_in and
    draining in A dz / (capacity - Q_in)."""
    area, q_in, cap, start, stop, dt = 1e5, 5.0, 12.0, 1.0, 0.5, 60.0
    m = hc.model("pump", dt_s=dt, days=2)
    hc.node(
        m,
        "lake",
        0.0,
        kind="storage",
        storage={"level_m": [-2.0, 5.0], "area_m2": [area, area]},
        initial_level_m=0.0,
        bed_level_m=-2.0,
    )
    hc.node(m, "river", 100.0)
    hc.flow_bc(m, "lake", q_in)
    hc.level_bc(m, "river", 3.0)
    m["structures"].append(
        {
            "id": "p",
            "kind": "pump",
            "from_node": "lake",
            "to_node": "river",
            "capacity_m3s": cap,
            "start_level_m": start,
            "stop_level_m": stop,
        }
    )
    s = hc.solver(m, tmp_path)
    z_prev = s.state.z_node[0]
    running = False
    switches, levels = [], []
    for k in range(int(2 * 86400 / dt)):
        status, _ = s.advance(dt)
        assert status == 0, s.describe_failure(status)
        q = s.state.q_struct[0]
        # the pump runs at capacity or not at all (the sump never nears the bed)
        assert q == 0.0 or abs(q - cap) < 1e-12
        if not running and z_prev > start:
            running = True
            switches.append(k)
        elif running and z_prev < stop:
            running = False
            switches.append(k)
        assert (q > 0.0) == running, f"step {k}: level {z_prev:.4f}, pump {q}"
        # the lake follows its water balance exactly
        expected = z_prev + dt * (q_in - q) / area
        assert abs(s.state.z_node[0] - expected) < 1e-9
        z_prev = s.state.z_node[0]
        levels.append(z_prev)
    levels = np.array(levels)
    # A switch is decided on the level at the start of a step, so it comes up to one step
    # late: the level overshoots each threshold by at most one step's change, and a cycle
    # lasts (fill + drain) within (2 + rise/fall + fall/rise) steps.
    rise, fall = dt * q_in / area, dt * (cap - q_in) / area
    assert np.min(levels[200:]) >= stop - fall - 1e-12
    assert np.max(levels) <= start + rise + 1e-12
    fill = area * (start - stop) / q_in
    drain = area * (start - stop) / (cap - q_in)
    cycle = dt * np.diff(switches[::2])
    assert len(switches) >= 8
    assert np.all(np.abs(cycle - (fill + drain)) <= dt * (2 + rise / fall + fall / rise))
    print(
        f"pump: {len(switches)} switches, cycle {cycle.mean():.0f} s (analytic {fill + drain:.0f} s)"
    )
