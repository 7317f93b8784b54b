"""Water-quality state belongs to its model: two models in one process do not interfere,
and a hot start continues bit for bit."""

from __future__ import annotations

import numpy as np

from tests.quality_cases import T0, closed_lake_toml, load, looped_toml
from twin.run.model import Model

DAY = 86400.0
QUALITY = """
apportionment = true
temperature_c = 24.0
initial_mg_l = { tn = 2.0, tp = 0.1 }
[quality.kinetics]
sediment_po4_release_g_m2_d = 0.02
op_settling_m_per_d = 0.2
"""


def network(tmp_path, name, inflow="{ tn = 2.5, tp = 0.2, tracer = 1.0 }"):
    return load(
        tmp_path,
        looped_toml(
            end_s=2 * DAY,
            quality=QUALITY,
            inflow_concentrations=inflow,
            tide_concentrations="{ nh3n = 0.5, no3n = 1.5, op = 0.05, po4p = 0.08 }",
            lateral_concentrations="{ nh3n = 12.0, on = 4.0, po4p = 1.0 }",
        ),
        name=name,
    )


def snapshot(model):
    st = model.quality.state
    return {k: v.copy() for k, v in st._asdict().items()}


def assert_same(a, b):
    for k in a:
        np.testing.assert_array_equal(a[k], b[k], err_msg=k)


def test_two_models_in_one_process_do_not_interfere(tmp_path):
    """A network model and a closed-lake model (different sizes, layouts and kinetics),
    stepped alternately, end bit-identical to each run alone; so do two instances of the
    same network with different inflow concentrations."""
    end = T0 + DAY
    lake_q = "temperature_c = 15.0\ninitial_mg_l = { on = 1.0, op = 0.2 }"
    alone = {}
    for name, cfg in (
        ("net", network(tmp_path, "a.toml")),
        ("net2", network(tmp_path, "b.toml", inflow="{ tn = 6.0, tp = 0.9 }")),
        ("lake", load(tmp_path, closed_lake_toml(end_s=DAY, dt_s=300.0, quality=lake_q), "c.toml")),
    ):
        m = Model(cfg)
        m.run_until(end)
        alone[name] = snapshot(m)
    together = {
        "net": Model(network(tmp_path, "a.toml")),
        "net2": Model(network(tmp_path, "b.toml", inflow="{ tn = 6.0, tp = 0.9 }")),
        "lake": Model(
            load(tmp_path, closed_lake_toml(end_s=DAY, dt_s=300.0, quality=lake_q), "c.toml")
        ),
    }
    while any(m.time < end - 1.0 for m in together.values()):
        for m in together.values():
            if m.time < end - 1.0:
                m.step()
    for name, m in together.items():
        assert_same(snapshot(m), alone[name])
    assert not np.array_equal(alone["net"]["conc"], alone["net2"]["conc"])


def test_hot_start_is_bit_identical(tmp_path):
    """Run two days straight; run one day, save a restart, load it into a new model and run
    the second day: the concentrations, masses, process budgets and balances are
    bit-identical."""
    cfg = network(tmp_path, "m.toml")
    straight = Model(cfg)
    straight.run_until(T0 + 2 * DAY)
    first = Model(cfg)
    first.run_until(T0 + DAY)
    path = first.save_restart(tmp_path / "state.nc")
    second = Model(network(tmp_path, "m.toml"))
    second.load_restart(path)
    assert second.time == first.time
    second.run_until(T0 + 2 * DAY)
    assert_same(snapshot(second), snapshot(straight))
    assert second.quality.mass_balance() == straight.quality.mass_balance()
