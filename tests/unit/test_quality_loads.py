"""Load evaluation: the inlined series lookup equals the hydrodynamics' one, loads are
theta-weighted like the water, concentration-times-discharge loads keep both series' own
interpolation, outflows carry no load, and each step's loads replace the previous ones."""

from __future__ import annotations

import numpy as np
import pytest

from twin.hydro.boundaries import INTERP_LINEAR, INTERP_PREVIOUS, SeriesStore, series_value
from twin.quality.loads import LoadArrays, _value, eval_loads


def store_with_series():
    st = SeriesStore()
    t = np.array([0.0, 100.0, 250.0, 400.0])
    st.add(t, np.array([1.0, 3.0, -2.0, 5.0]), INTERP_LINEAR)  # 0
    st.add(t, np.array([1.0, 3.0, -2.0, 5.0]), INTERP_PREVIOUS)  # 1
    st.constant(7.5)  # 2
    st.add(np.array([0.0, 400.0]), np.array([2.0, -4.0]), INTERP_LINEAR)  # 3: a discharge
    st.add(np.array([0.0, 50.0]), np.array([0.5, 1.5]), INTERP_PREVIOUS)  # 4: a concentration
    return st.arrays()


def test_inlined_lookup_equals_series_value():
    ts = store_with_series()
    times = np.concatenate([[-50.0, 0.0, 100.0, 250.0, 400.0, 900.0], np.linspace(-10, 410, 97)])
    for k in range(ts.ptr.size - 1):
        for t in times:
            assert _value(k, t, ts) == series_value(k, t, ts.ptr, ts.t, ts.v, ts.mode)


def test_eval_loads_weights_and_products():
    """Entry 0: 2 g/s-series into node 1 column 0; entry 1: concentration series 4 times
    discharge series 3 into cells 0 and 2 (shares 0.25, 0.75), column 1."""
    ts = store_with_series()
    ld = LoadArrays(
        series=np.array([0, 4]),
        factor=np.array([-1, 3]),
        col=np.array([0, 1]),
        node=np.array([1, -1]),
        ptr=np.array([0, 0, 2]),
        cell=np.array([0, 2]),
        share=np.array([0.25, 0.75]),
        bc_series=np.array([[-1, 1], [2, -1]]),
    )
    load_cell = np.full((3, 2), 99.0)
    load_cell[:, 0] = 0.0
    load_cell[1, 1] = 0.0
    load_node = np.zeros((2, 2))
    bc = np.zeros((2, 2))
    theta = 0.6
    t0, t1 = 20.0, 100.0
    eval_loads(ld, ts, theta, t0, t1, load_cell, load_node, bc)

    def v(k, t):
        return series_value(k, t, ts.ptr, ts.t, ts.v, ts.mode)

    assert load_node[1, 0] == pytest.approx(theta * v(0, t1) + (1 - theta) * v(0, t0), rel=1e-15)
    assert v(3, t1) > 0 and v(4, t1) != v(4, t0)  # a step in the concentration
    prod = theta * v(4, t1) * v(3, t1) + (1 - theta) * v(4, t0) * v(3, t0)
    assert load_cell[0, 1] == pytest.approx(0.25 * prod, rel=1e-15)
    assert load_cell[2, 1] == pytest.approx(0.75 * prod, rel=1e-15)
    assert load_cell[1, 1] == 0.0  # stale values where loads enter are replaced
    np.testing.assert_array_equal(bc, [[0.0, v(1, t1)], [7.5, 0.0]])
    # the discharge turns negative after t = 133 s: outflow carries no load in
    eval_loads(ld, ts, theta, 150.0, 200.0, load_cell, load_node, bc)
    assert load_cell[0, 1] == 0.0 and load_cell[2, 1] == 0.0
    # a negative g/s series is clipped to zero as well
    eval_loads(ld, ts, theta, 250.0, 260.0, load_cell, load_node, bc)
    assert load_node[1, 0] == 0.0
