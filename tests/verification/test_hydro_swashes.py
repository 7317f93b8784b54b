"""Steady cases of the SWASHES compilation (Delestre et al. 2013, Int. J. Numer. Meth.
Fluids 72:269-300), reference solutions printed by the ``swashes`` executable at test time.

SWASHES solves the shallow-water equations per unit width (hydraulic radius = depth). The
model channel is rectangular and 10 km wide, so that its hydraulic radius equals the depth
to within 0.02 %, and carries Q = q * width. Computational points sit at the SWASHES cell
centres, with the bed levels SWASHES prints there; the upstream boundary is the imposed
discharge, the downstream one the level SWASHES gives at its last cell centre.

- MacDonald long channel, subcritical, Manning (``swashes 1 2 1 2 N``; 1,000 m, q = 2 m2/s,
  n = 0.033): depth L1 relative error < 1 %. SWASHES computes this bed by a first-order
  quadrature of the analytic depth (its bed departs from the exact one by about 1 cm at
  400 cells), which bounds the agreement one can expect.
- Flow over a bump, subcritical (``swashes 1 1 1 1 N``; 25 m, q = 4.42 m2/s, h_out = 2 m,
  frictionless): depth L1 relative error < 1 %. The schema's smallest Manning n, 0.0051, is
  used; its friction raises the upstream level by about 1 mm.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import numpy as np

from tests import hydro_cases as hc

L1_REL_TOL = 0.01
WIDTH_M = 10_000.0


def swashes(*args: int) -> tuple[str, dict[str, np.ndarray]]:
    """Run ``swashes`` and return (its header text, its table as columns)."""
    exe = shutil.which("swashes") or str(Path(sys.executable).parent / "swashes")
    out = subprocess.run(
        [exe, *map(str, args)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    header = "\n".join(line for line in out.splitlines() if line.startswith("#"))
    rows = [
        [float(v) for v in line.split()]
        for line in out.splitlines()
        if line.strip() and not line.startswith("#")
    ]
    table = np.array(rows)
    names = ["x", "h", "u", "topo", "q"]
    return header, {k: table[:, i] for i, k in enumerate(names)}


def header_value(header: str, pattern: str) -> float:
    match = re.search(pattern + r"\s*([-+0-9.eE]+)", header)
    assert match, f"'{pattern}' not found in the SWASHES header"
    return float(match.group(1))


def swashes_channel(tmp_path, ref, n, z_start, ramp_s, dt, level_ramp: bool):
    """A channel on the SWASHES cells, starting as still water at z_start. Either the
    inflow ramps up from zero or the downstream level ramps down from z_start over ramp_s,
    so the start is gentle (the Preissmann scheme is for subcritical flow)."""
    x, topo, h = ref["x"], ref["topo"], ref["h"]
    q_in = float(ref["q"][0]) * WIDTH_M
    z_out = float(topo[-1] + h[-1])
    m = hc.model("swashes", days=3, dt_s=dt)
    m["run"]["hydro"]["initial_level_m"] = z_start
    hc.node(m, "up", float(x[0]))
    hc.node(m, "dn", float(x[-1]))
    hc.rectangular(m, "wide", WIDTH_M, height_m=20.0, n=n)
    m["reaches"].append(
        {
            "id": "r",
            "from_node": "up",
            "to_node": "dn",
            "length_m": float(x[-1] - x[0]),
            "dx_m": float(x[1] - x[0]),
            "initial_level_m": z_start,
            "sections": [
                {"chainage_m": float(xi - x[0]), "section": "wide", "bed_level_m": float(zi)}
                for xi, zi in zip(x, topo, strict=True)
            ],
        }
    )
    times = [hc.START, hc.START + timedelta(seconds=ramp_s), hc.START + timedelta(days=4)]
    if level_ramp:
        m["timeseries"].append(
            {"id": "z_out", "units": "m", "times": times, "values": [z_start, z_out, z_out]}
        )
        hc.flow_bc(m, "up", q_in)
        hc.level_bc(m, "dn", "z_out")
    else:
        m["timeseries"].append(
            {"id": "q_in", "units": "m3 s-1", "times": times, "values": [0.0, q_in, q_in]}
        )
        hc.flow_bc(m, "up", "q_in")
        hc.level_bc(m, "dn", z_out)
    s = hc.solver(m, tmp_path)
    sl = hc.reach_slice(s, "r")
    a = s.net.arrays
    np.testing.assert_allclose(a.pt_chainage[sl] + x[0], x, atol=1e-9)
    np.testing.assert_allclose(a.pt_bed[sl], topo, atol=1e-12)
    hc.run_steady(s, dt, 2 * 86400.0)
    depth = s.state.z_pt[sl] - a.pt_bed[sl]
    np.testing.assert_allclose(s.state.q_pt[sl], q_in, rtol=1e-6)
    return depth


def test_macdonald_long_channel_subcritical_manning(tmp_path):
    header, ref = swashes(1, 2, 1, 2, 400)
    n = header_value(header, r"Manning's friction coefficient:")
    assert n == 0.033 and np.allclose(ref["q"], 2.0)
    z_start = float(ref["topo"][0] + ref["h"][0])
    depth = swashes_channel(tmp_path, ref, n, z_start, 7200.0, 10.0, level_ramp=True)
    l1 = np.sum(np.abs(depth - ref["h"])) / np.sum(np.abs(ref["h"]))
    print(f"SWASHES MacDonald 1 2 1 2 400: depth L1 relative error {l1:.2e}")
    assert l1 < L1_REL_TOL


def test_flow_over_a_bump_subcritical(tmp_path):
    header, ref = swashes(1, 1, 1, 1, 250)
    h_out = header_value(header, r"h_out =")
    assert h_out == 2.0 and np.allclose(ref["q"], 4.42)
    assert np.ptp(ref["topo"]) > 0.19, "the bump must be resolved"
    depth = swashes_channel(tmp_path, ref, 0.0051, h_out, 60.0, 0.5, level_ramp=False)
    l1 = np.sum(np.abs(depth - ref["h"])) / np.sum(np.abs(ref["h"]))
    print(f"SWASHES bump 1 1 1 1 250: depth L1 relative error {l1:.2e}")
    assert l1 < L1_REL_TOL
