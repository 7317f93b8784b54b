"""Load evaluation: the inlined series lookup equals the hydrodynamics' one; loads are exact
means over the step like the water (``series_mean``); a concentration carried by an inflow
gives the exact mean of their product, each series with its own interpolation, outflows
carrying nothing; each step's loads replace the previous ones."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import quad

from twin.quality.loads import LoadArrays, _value, eval_loads, mean_product
from twin.series import INTERP_LINEAR, INTERP_PREVIOUS, SeriesStore, series_mean, series_value

T = np.array([0.0, 100.0, 250.0, 400.0])


def store_with_series():
    st = SeriesStore()
    st.add(T, np.array([1.0, 3.0, -2.0, 5.0]), INTERP_LINEAR)  # 0
    st.add(T, np.array([1.0, 3.0, -2.0, 5.0]), INTERP_PREVIOUS)  # 1
    st.constant(7.5)  # 2
    st.add(np.array([0.0, 400.0]), np.array([2.0, -4.0]), INTERP_LINEAR)  # 3: a discharge
    st.add(np.array([0.0, 50.0]), np.array([0.5, 1.5]), INTERP_PREVIOUS)  # 4: a concentration
    st.add(np.array([30.0, 90.0, 95.0]), np.array([4.0, 0.0, 6.0]), INTERP_PREVIOUS)  # 5: a flow
    return st.arrays()


def v(ts, k, t):
    return series_value(k, t, ts.ptr, ts.t, ts.v, ts.mode)


def test_inlined_lookup_equals_series_value():
    ts = store_with_series()
    times = np.concatenate([[-50.0, 0.0, 100.0, 250.0, 400.0, 900.0], np.linspace(-10, 410, 97)])
    for k in range(ts.ptr.size - 1):
        for t in times:
            assert _value(k, t, ts) == v(ts, k, t)


INTERVALS = [(-30.0, -10.0), (-20.0, 20.0), (0.0, 100.0), (20.0, 120.0), (95.0, 260.0),
             (130.0, 135.0), (390.0, 500.0), (600.0, 700.0)]  # fmt: skip


@pytest.mark.parametrize(("t0", "t1"), INTERVALS)
def test_mean_of_one_series_equals_series_mean(t0, t1):
    ts = store_with_series()
    for k in range(ts.ptr.size - 1):
        assert mean_product(k, -1, t0, t1, ts) == pytest.approx(
            series_mean(k, t0, t1, ts), rel=1e-13, abs=1e-14
        )


@pytest.mark.parametrize(("t0", "t1"), INTERVALS)
@pytest.mark.parametrize(("conc", "flow"), [(4, 3), (0, 3), (1, 5), (0, 5), (2, 3)])
def test_mean_of_a_product_against_quadrature(t0, t1, conc, flow):
    """Mean of C(t) max(Q(t), 0) over the step, against adaptive quadrature with the
    breakpoints given (tolerance 1e-10 relative)."""
    ts = store_with_series()

    def integrand(t):
        return v(ts, conc, t) * max(v(ts, flow, t), 0.0)

    points = [
        p for p in [0.0, 30.0, 50.0, 90.0, 95.0, 100.0, 250.0, 400.0, 133.333333333] if t0 < p < t1
    ]
    exact = quad(integrand, t0, t1, points=points or None, limit=200, epsabs=1e-13, epsrel=1e-13)[0]
    got = mean_product(conc, flow, t0, t1, ts)
    assert got == pytest.approx(exact / (t1 - t0), rel=1e-10, abs=1e-12)


def test_eval_loads_means_products_and_clearing():
    """Entry 0: the g/s series 0 into node 1, column 0; entry 1: concentration series 4 times
    inflow series 3 into cells 0 and 2 (shares 0.25, 0.75), column 1."""
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
    t0, t1 = 20.0, 100.0
    eval_loads(ld, ts, t0, t1, load_cell, load_node, bc)
    assert load_node[1, 0] == pytest.approx(series_mean(0, t0, t1, ts), rel=1e-14)
    prod = mean_product(4, 3, t0, t1, ts)
    # the step in the concentration at 50 s is inside the step: 0.5 then 1.5 mg/L
    by_hand = (
        quad(lambda t: 0.5 * v(ts, 3, t), 20, 50)[0] + quad(lambda t: 1.5 * v(ts, 3, t), 50, 100)[0]
    ) / 80
    assert prod == pytest.approx(by_hand, rel=1e-12)
    assert load_cell[0, 1] == pytest.approx(0.25 * prod, rel=1e-15)
    assert load_cell[2, 1] == pytest.approx(0.75 * prod, rel=1e-15)
    assert load_cell[1, 1] == 0.0  # untouched entries stay as they were (zero)
    np.testing.assert_array_equal(bc, [[0.0, v(ts, 1, t1)], [7.5, 0.0]])
    # the inflow is negative after t = 133 s: an outflow carries no load in
    eval_loads(ld, ts, 150.0, 200.0, load_cell, load_node, bc)
    assert load_cell[0, 1] == 0.0 and load_cell[2, 1] == 0.0
    # a negative g/s mean is clipped to zero as well
    eval_loads(ld, ts, 250.0, 260.0, load_cell, load_node, bc)
    assert load_node[1, 0] == 0.0
