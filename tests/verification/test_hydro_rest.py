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
from tests.hydro_cases import lake_at_rest_model

Z0 = 1.0
LEVEL_TOL_M = 1e-10
FLOW_TOL_M3S = 1e-10


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
