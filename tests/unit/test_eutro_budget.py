"""Budgets of the coupled kernel: the hand-written net change equals the process matrix,
every process conserves C, N, P and the oxygen equivalent except what it exchanges with the
outside (listed here from the chemistry, not read from the code), and the kernel's budget
accounts for every cell's mass change to round-off."""

from __future__ import annotations

import numpy as np
import pytest

from tests.eutro_cases import DAY, lively_row, run_batch, state
from twin.quality import eutro as E

C, N, P, OX = range(4)

# What each process exchanges with the world outside the water column's state.
EXTERNAL = {
    "reaeration": {OX},
    "cbod_fast_oxidation": {C},  # CO2 out; electrons go to O2: Theta unchanged
    "cbod_slow_hydrolysis": set(),
    "cbod_slow_oxidation": {C},
    "cbod_slow_settling": {C, OX},
    "om_refractory_decay": set(),
    "ammonification": set(),
    "settling_on": {N, OX},
    "nitrification": set(),
    "denitrification": {N, C},  # N2 and CO2 out
    "p_mineralisation": set(),
    "settling_op": {P},
    "sediment_release_nh3": {N, OX},
    "sediment_release_po4": {P},
    "sod": {OX},
    "growth_on_nh3": {C},  # CO2 fixed
    "growth_on_no3": {C},
    "algal_respiration": {C},
    "algal_death": set(),
    "algal_settling": {C, N, P, OX},
}


@pytest.mark.parametrize("stoich", [E.STOICH_DEFAULT, np.array([2.67, 25.0, 6.3, 0.8, 4.57])])
def test_each_process_conserves_what_it_does_not_exchange(stoich):
    s = E.process_matrix(stoich)
    w = E.element_weights(stoich)
    assert tuple(EXTERNAL) == E.PROCESS_NAMES
    for p, name in enumerate(E.PROCESS_NAMES):
        change = w @ s[p]
        scale = np.abs(w) @ np.abs(s[p])
        for e in range(4):
            if e in EXTERNAL[name]:
                assert abs(change[e]) > 1e-6, (name, e)
            else:
                assert abs(change[e]) <= 1e-14 * scale[e], (name, e, change[e])


def test_net_change_is_the_process_matrix():
    rng = np.random.default_rng(1)
    for stoich in (E.STOICH_DEFAULT, np.array([2.67, 25.0, 6.3, 0.8, 4.57])):
        s = E.process_matrix(stoich)
        for _ in range(20):
            r = rng.uniform(0, 1, E.N_PROC)
            g = np.zeros(E.N_EUTRO)
            E.net_change(r, stoich, g)
            np.testing.assert_allclose(g, s.T @ r, rtol=1e-13, atol=1e-15)
            d = np.zeros(E.N_EUTRO)
            E.gross_loss(r, stoich, d)
            # the losses are the negative entries (growth counted as algal turnover)
            neg = -(np.minimum(s, 0.0).T @ r)
            neg[E.ALG] += r[E.P_GROW_NH3] + r[E.P_GROW_NO3]
            np.testing.assert_allclose(d, neg, rtol=1e-13, atol=1e-15)


def many_cells(n, rng):
    conc = np.array([state() * rng.uniform(0.2, 3.0, E.N_EUTRO) for _ in range(n)])
    conc[:, E.DO] = rng.uniform(0.0, 12.0, n)
    return conc


@pytest.mark.parametrize("dt, max_sub", [(300.0, 1), (3600.0, 1), (DAY, 1), (DAY, 200)])
def test_kernel_budget_closes_over_cells(dt, max_sub):
    rng = np.random.default_rng(7)
    n = 40
    conc = many_cells(n, rng)
    # extra columns around the species: the kernel must touch only its own
    wide = np.full((n, E.N_EUTRO + 3), -5.0)
    cols = np.arange(2, 2 + E.N_EUTRO)
    wide[:, cols] = conc
    mass = np.zeros_like(wide)
    volume = rng.uniform(10.0, 1e4, n)
    volume[3] = 0.0  # a dry cell
    depth = rng.uniform(0.2, 4.0, n)
    ka20 = rng.uniform(0.05, 20.0, n)
    rows = np.stack([lively_row(), lively_row(sod_g_m2_d=4.0, algal_growth_per_d=3.0)])
    cell_row = (np.arange(n) % 2).astype(np.int64)
    stoich = E.STOICH_DEFAULT.copy()
    budget = np.zeros(E.N_PROC)
    row_work = np.zeros((2, E.N_ROW_WORK))
    cell_work = np.zeros((E.N_CELL_WORK, E.N_PROC))
    m0 = (conc * volume[:, None]).sum(axis=0)
    for _ in range(5):
        E.react_eutro(
            wide, mass, cols, volume, depth, ka20, rows, cell_row, stoich, 24.0, 8.5,
            150.0, 0.5, dt, 0.1, max_sub, budget, row_work, cell_work,
        )  # fmt: skip
    assert np.all(wide[:, :2] == -5.0) and np.all(wide[:, -1] == -5.0)
    m1 = mass[:, cols].sum(axis=0)
    np.testing.assert_allclose(mass[:, cols], wide[:, cols] * volume[:, None], rtol=1e-15)
    assert np.all(mass[3] == 0.0) and np.all(wide[3, cols] == conc[3])
    s = E.process_matrix(stoich)
    scale = np.abs(s).T @ np.abs(budget) + np.abs(m0)
    np.testing.assert_array_less(np.abs(s.T @ budget - (m1 - m0)), 1e-12 * scale + 1e-12)
    # element budgets: internal processes move nothing in or out
    w = E.element_weights(stoich)
    ext = np.zeros(4)
    for p, name in enumerate(E.PROCESS_NAMES):
        for e in EXTERNAL[name]:
            ext[e] += (w @ s[p])[e] * budget[p]
    np.testing.assert_allclose(w @ (m1 - m0), ext, rtol=1e-11, atol=1e-9)


def test_batch_budget_over_a_month():
    x0 = state()
    final, budget, vol = run_batch(x0, lively_row(), 1800.0, 48 * 30, max_substeps=20)
    s = E.process_matrix(E.STOICH_DEFAULT)
    np.testing.assert_allclose(s.T @ budget, (final - x0) * vol, rtol=1e-10, atol=1e-10)
    assert budget[E.P_REAER] != 0.0 and budget[E.P_SOD] > 0.0 and budget[E.P_DENIT] > 0.0
