"""Hot start and independence of solvers.

- Hot start: copy every field of ``HydroSolver.state`` at some time, continue; restore the
  copy into a fresh solver built from the same config and continue: the two continuations,
  and the uninterrupted run, agree bit for bit (np.array_equal) at every step.
- Several solvers in one process, stepped in turn with different steps, give exactly what
  each gives alone.

The model is the looped tidal network of the volume balance test plus a pump with a level
rule (start 0.5 m, stop 0.3 m), so the rule's memory is part of what must be restored.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests import hydro_cases as hc
from tests.hydro_cases import assert_identical, looped_tidal_network, trajectory
from tests.verification.test_hydro_steady import prismatic_channel

DT = 300.0


def network_with_pump(days: float) -> dict:
    m = looped_tidal_network(days, DT)
    m["structures"].append(
        {
            "id": "polder_pump",
            "kind": "pump",
            "from_node": "L",
            "to_node": "F",
            "capacity_m3s": 3.0,
            "start_level_m": 0.5,
            "stop_level_m": 0.3,
        }
    )
    return m


def test_hot_start_is_bit_identical(tmp_path):
    n_total, n2 = 1100, 300
    m = network_with_pump(days=4)
    reference = hc.solver(m, tmp_path / "ref")
    ref = trajectory(reference, n_total)
    lake = reference.net.node_index("L")
    switches = np.abs(np.diff([step.rule_on[-1] for step in ref])).sum()
    assert switches >= 2, "the pump should start and stop during the run"
    # Cut where the pump runs with the lake inside its hysteresis band (0.3-0.5 m): only the
    # saved rule state, not the levels, tells that it is on.
    n1 = next(
        k + 1
        for k, step in enumerate(ref[: n_total - n2])
        if step.rule_on[-1] == 1 and 0.3 < step.z_node[lake] < 0.5 and k > 200
    )
    ref = ref[: n1 + n2]

    first = hc.solver(m, tmp_path / "first")
    trajectory(first, n1)
    saved = {name: arr.copy() for name, arr in first.state._asdict().items()}
    assert set(saved) >= {"z_pt", "q_pt", "z_node", "a_pt", "v_node", "rule_on", "clock"}
    continued = trajectory(first, n2)

    fresh = hc.solver(m, tmp_path / "fresh")
    for name, arr in saved.items():
        getattr(fresh.state, name)[...] = arr
    restarted = trajectory(fresh, n2)

    assert_identical(continued, ref[n1:])
    assert_identical(restarted, ref[n1:])
    assert fresh.time == ref[-1].clock[0]


def test_solvers_in_one_process_do_not_interfere(tmp_path):
    n = 200
    alone_a = trajectory(hc.solver(network_with_pump(2), tmp_path / "a0"), n)
    alone_b = trajectory(hc.solver(network_with_pump(2), tmp_path / "b0"), n, dt=DT / 2)
    channel, _ = prismatic_channel(tmp_path / "c0", "trapezoidal", 3.0)
    alone_c = trajectory(channel, n, dt=60.0)

    a = hc.solver(network_with_pump(2), tmp_path / "a1")
    b = hc.solver(network_with_pump(2), tmp_path / "b1")
    c, _ = prismatic_channel(tmp_path / "c1", "trapezoidal", 3.0)
    together_a, together_b, together_c = [], [], []
    for _ in range(n):
        together_b += trajectory(b, 1, dt=DT / 2)
        together_a += trajectory(a, 1)
        together_c += trajectory(c, 1, dt=60.0)
    assert_identical(together_a, alone_a)
    assert_identical(together_b, alone_b)
    assert_identical(together_c, alone_c)
    # and they really are different runs
    assert not np.array_equal(together_a[-1].z_pt, together_b[-1].z_pt)


def test_carried_storage_follows_the_levels(tmp_path):
    """A cold solver's carried areas are the stage-table areas at its levels; after the
    levels are edited from outside, sync_storage brings them back in line."""
    s = hc.solver(network_with_pump(1), tmp_path)
    v = s.total_volume()
    assert v == pytest.approx(s.total_volume(from_levels=True), rel=1e-14)
    trajectory(s, 50)
    assert s.total_volume() == pytest.approx(s.total_volume(from_levels=True), rel=1e-10)
    s.state.z_pt[:] += 0.1
    s.state.z_node[:] += 0.1
    assert s.total_volume() != pytest.approx(s.total_volume(from_levels=True), rel=1e-6)
    s.sync_storage()
    assert s.total_volume() == pytest.approx(s.total_volume(from_levels=True), rel=1e-14)
