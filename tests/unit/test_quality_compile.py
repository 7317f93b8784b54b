"""The water quality compiled from the config: the solver's inputs are named tuples of arrays
and scalars only (the kernels' contract), the solver builds from them without the config,
and its initial volumes are the ones the first hydrodynamic step starts from."""

from __future__ import annotations

import numpy as np

from tests.quality_cases import load, looped_toml
from twin.hydro.compile import solver_from_config
from twin.network.topology import compile_network
from twin.quality.compile import compile_quality
from twin.quality.solver import QualitySolver, start_volumes

DAY = 86400.0


def _leaves(x, path="compiled"):
    if hasattr(x, "_fields"):
        for name in x._fields:
            yield from _leaves(getattr(x, name), f"{path}.{name}")
    else:
        yield path, x


def _setup(tmp_path):
    cfg = load(tmp_path, looped_toml(end_s=DAY, quality="apportionment = true"))
    net = compile_network(cfg)
    hydro = solver_from_config(cfg, net)
    return cfg, net, hydro


def test_compiled_inputs_are_arrays_and_scalars(tmp_path):
    """Params and inputs hold numpy arrays and numbers only: nothing of the config reaches
    the kernels."""
    cfg, net, hydro = _setup(tmp_path)
    cq = compile_quality(cfg, net, hydro.bc.kind, hydro.st.from_node, hydro.st.to_node)
    for path, leaf in [*_leaves(cq.params, "params"), *_leaves(cq.inputs, "inputs")]:
        assert isinstance(leaf, (np.ndarray, bool, int, float, np.integer, np.floating)), path
    assert cq.params.n_groups == cq.layout.n_groups > 1
    assert cq.params.sediment_group == cq.layout.group("sediment")
    assert cq.params.gravity_m_s2 == cfg.run.hydro.gravity_m_s2
    assert cq.initial_conc.shape == (cq.inputs.ta.n_tc + net.n_nodes, cq.layout.ntr)


def test_solver_from_arrays_equals_from_config(tmp_path):
    """A solver made from the compiled arrays starts where ``from_config`` starts, and both
    take the same first step, bit for bit."""
    cfg, net, hydro = _setup(tmp_path)
    cq = compile_quality(cfg, net, hydro.bc.kind, hydro.st.from_node, hydro.st.to_node)
    a = QualitySolver(cq, hydro)
    b = QualitySolver.from_config(cfg, net, hydro)
    for name in a.state._fields:
        np.testing.assert_array_equal(getattr(a.state, name), getattr(b.state, name))
    t0 = hydro.time
    status, _ = hydro.advance(float(cfg.run.dt_s))
    assert status == 0
    a.step(t0, float(cfg.run.dt_s))
    b.step(t0, float(cfg.run.dt_s))
    for name in a.state._fields:
        np.testing.assert_array_equal(getattr(a.state, name), getattr(b.state, name))


def test_start_volumes_are_the_first_steps_volumes(tmp_path):
    """The initial masses use the volumes the hydrodynamic state carries: exactly those the
    first step reports as its start (``HydroFluxes.v_cell0``, ``v_node0``)."""
    cfg, net, hydro = _setup(tmp_path)
    cq = compile_quality(cfg, net, hydro.bc.kind, hydro.st.from_node, hydro.st.to_node)
    vcell, vnode = start_volumes(cq, hydro)
    status, _ = hydro.advance(float(cfg.run.dt_s))
    assert status == 0
    np.testing.assert_array_equal(vcell, hydro.fluxes.v_cell0)
    np.testing.assert_array_equal(vnode, hydro.fluxes.v_node0)
