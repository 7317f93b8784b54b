"""Structure laws of twin/hydro/structures.py against hand calculations.

Every expected value below is worked out by hand in its comment (g = 9.81 m/s2,
sqrt(2g) = 4.42945); tolerance 1e-4 relative, the precision of the hand arithmetic.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from twin.hydro.structures import (
    LINEAR_HEAD_M,
    N_PARAMS,
    PUMP_RAMP_DEPTH_M,
    culvert_flow,
    sluice_flow,
    structure_flow,
    weir_free_submerged,
)
from twin.vocab.codes import CULVERT, FLAP_GATE, PUMP, SLUICE, WEIR

G = 9.81
HAND_REL = 1e-4


def params(*values):
    p = np.zeros(N_PARAMS)
    p[: len(values)] = values
    return p


def test_weir_free():
    # Q = m B sqrt(2g) H^1.5 = 0.36 * 10 * 4.42945 * 1.0 = 15.9460
    assert weir_free_submerged(1.0, -0.2, 10.0, 0.36, G) == pytest.approx(15.9460, rel=HAND_REL)
    # H = 0.5: 0.5^1.5 = 0.353553 -> 15.9460 * 0.353553 = 5.63780
    assert weir_free_submerged(0.5, 0.0, 10.0, 0.36, G) == pytest.approx(5.63780, rel=HAND_REL)


def test_weir_submerged_villemonte():
    # h2/H1 = 0.5: 1 - 0.5^1.5 = 0.646447; ^0.385 = exp(0.385 ln 0.646447)
    # = exp(0.385 * -0.436268) = exp(-0.167963) = 0.845384 -> 15.9460 * 0.845384 = 13.4805
    assert weir_free_submerged(1.0, 0.5, 10.0, 0.36, G) == pytest.approx(13.4805, rel=HAND_REL)
    # drowned completely: no flow
    assert weir_free_submerged(1.0, 1.0, 10.0, 0.36, G) == 0.0
    assert weir_free_submerged(0.0, -1.0, 10.0, 0.36, G) == 0.0


def test_sluice_orifice_free_and_submerged():
    # e = 0.3, H1 = 1: mu = 0.60 - 0.176 * 0.3 = 0.5472; Q = mu B e sqrt(2g H1)
    # = 0.5472 * 8 * 0.3 * 4.42945 = 5.81710
    assert sluice_flow(1.0, -1.0, 0.3, 8.0, 0.36, G) == pytest.approx(5.81710, rel=HAND_REL)
    # at h2 = 2/3 H1 exactly still free
    assert sluice_flow(1.0, 2 / 3, 0.3, 8.0, 0.36, G) == pytest.approx(5.81710, rel=HAND_REL)
    # submerged, h2 = 0.8: sqrt(2g * 3 * 0.2) = sqrt(11.772) = 3.43103;
    # Q = 0.5472 * 8 * 0.3 * 3.43103 = 4.50591
    assert sluice_flow(1.0, 0.8, 0.3, 8.0, 0.36, G) == pytest.approx(4.50591, rel=HAND_REL)
    # closed gate, or a dry sill
    assert sluice_flow(1.0, 0.0, 0.0, 8.0, 0.36, G) == 0.0
    assert sluice_flow(0.0, -1.0, 0.3, 8.0, 0.36, G) == 0.0


def test_sluice_weir_regime_and_transition():
    # e / H1 = 1.5 >= 0.8: weir flow, 0.36 * 8 * 4.42945 = 12.7568
    assert sluice_flow(1.0, -1.0, 1.5, 8.0, 0.36, G) == pytest.approx(12.7568, rel=HAND_REL)
    # ... submerged, h2/H1 = 0.9: 1 - 0.9^1.5 = 1 - 0.853815 = 0.146185;
    # ^0.385 = exp(0.385 * ln 0.146185) = exp(0.385 * -1.92290) = exp(-0.740317) = 0.476963
    # -> 12.7568 * 0.476963 = 6.08452
    assert sluice_flow(1.0, 0.9, 1.5, 8.0, 0.36, G) == pytest.approx(6.08452, rel=HAND_REL)
    # e / H1 = 0.7: blend f = (0.7 - 0.65) / 0.15 = 1/3 of weir 12.7568 and orifice
    # mu = 0.60 - 0.176 * 0.7 = 0.4768, 0.4768 * 8 * 0.7 * 4.42945 = 11.8270
    # -> 2/3 * 11.8270 + 1/3 * 12.7568 = 12.1369
    assert sluice_flow(1.0, 0.0, 0.7, 8.0, 0.36, G) == pytest.approx(12.1369, rel=HAND_REL)


def test_sluice_is_continuous_in_the_opening():
    e = np.linspace(0.05, 2.0, 400)
    q = np.array([sluice_flow(1.0, 0.3, x, 8.0, 0.36, G) for x in e])
    assert np.all(np.abs(np.diff(q)) < 0.2)  # no jumps at e/H1 = 0.65 or 0.8


def test_culvert():
    # h1 = 1 (< barrel 1.5): a = 2 * 1 = 2, P = 2 + 2 * 1 = 4, R = 0.5, R^(4/3) = 0.396850;
    # friction 2 g n^2 L / R^(4/3) = 2 * 9.81 * 0.000225 * 30 / 0.396850 = 0.333715;
    # loss = 0.5 + 1.0 + 0.333715 = 1.833715; Q = 2 sqrt(2 * 9.81 * 2 / 1.833715)
    # = 2 sqrt(21.39811) = 2 * 4.625809 = 9.25162
    q = culvert_flow(1.0, 2.0, 2.0, 1.5, 30.0, 0.015, 0.5, 1.0, G)
    assert q == pytest.approx(9.25162, rel=HAND_REL)
    # full barrel, h1 = 2.5 > 1.5: a = 3, P = 2 (2 + 1.5) = 7, R = 0.428571,
    # R^(4/3) = exp(4/3 ln 0.428571) = exp(4/3 * -0.847298) = exp(-1.129730) = 0.323128;
    # friction = 0.132435 / 0.323128 = 0.409853; loss = 1.909853;
    # Q = 3 sqrt(2 * 9.81 * 0.5 / 1.909853) = 3 sqrt(5.136520) = 3 * 2.266389 = 6.79917
    q = culvert_flow(2.5, 0.5, 2.0, 1.5, 30.0, 0.015, 0.5, 1.0, G)
    assert q == pytest.approx(6.79917, rel=HAND_REL)


def test_flap_gate_forward_and_shut():
    # law: culvert of no length with one loss 1.5: Q = 2 * 1 * sqrt(2 g 0.5 / 1.5)
    # = 2 sqrt(6.54) = 2 * 2.557342 = 5.11468
    p = params(0.0, 2.0, 1.5, 1.5)
    q, dqu, dqd = structure_flow(FLAP_GATE, p, 1.0, 1.0, 0.5, G)
    assert q == pytest.approx(5.11468, rel=HAND_REL)
    assert dqu > 0.0 and dqd < 0.0
    for reverse in (0.5, 2e-3, 0.5 * LINEAR_HEAD_M, 1e-9):
        assert structure_flow(FLAP_GATE, p, 1.0, 1.0, 1.0 + reverse, G)[0] == 0.0


def test_one_way_sluice_shut_against_small_reverse_heads():
    p = params(0.0, 8.0, 0.0, 0.36, 1.0, 10.0)  # flow_direction = positive
    for reverse in (0.3, 2e-3, 0.5 * LINEAR_HEAD_M):
        assert structure_flow(SLUICE, p, 0.5, 1.0, 1.0 + reverse, G)[0] == 0.0
    assert structure_flow(SLUICE, p, 0.5, 1.0 + 0.5 * LINEAR_HEAD_M, 1.0, G)[0] > 0.0


def test_pump_capacity_and_suction_taper():
    # capacity 12 m3/s, suction bed -2 m: full capacity with >= 0.3 m of water over the bed,
    # half of it at 0.15 m, none on a dry sump; independent of the delivery level
    p = params(12.0, 1.0, 0.5, 0.0, -2.0)
    assert structure_flow(PUMP, p, 1.0, 0.0, 3.0, G)[0] == pytest.approx(12.0, rel=1e-15)
    assert structure_flow(PUMP, p, 0.5, 0.0, -5.0, G)[0] == pytest.approx(6.0, rel=1e-12)
    half = -2.0 + 0.5 * PUMP_RAMP_DEPTH_M
    assert structure_flow(PUMP, p, 1.0, half, 3.0, G)[0] == pytest.approx(6.0, rel=1e-12)
    assert structure_flow(PUMP, p, 1.0, -2.5, 3.0, G)[0] == 0.0
    assert structure_flow(PUMP, p, 0.0, 1.0, 3.0, G)[0] == 0.0


@pytest.mark.parametrize(
    "kind, p, setting",
    [
        (WEIR, params(0.0, 10.0, 0.36), 0.0),
        (SLUICE, params(0.0, 8.0, 0.0, 0.36, 0.0, 10.0), 0.3),
        (CULVERT, params(0.0, 2.0, 1.5, 30.0, 0.015, 0.5, 1.0), 1.0),
    ],
)
def test_two_way_laws_are_odd_continuous_and_linearised_through_the_law(kind, p, setting):
    zm = 0.8
    # odd in the head difference, zero at equal levels
    for dz in (0.5, 0.05, 2e-3, 0.7 * LINEAR_HEAD_M, 1e-7):
        qf = structure_flow(kind, p, setting, zm + dz / 2, zm - dz / 2, G)[0]
        qr = structure_flow(kind, p, setting, zm - dz / 2, zm + dz / 2, G)[0]
        assert qf > 0.0 and qr == pytest.approx(-qf, rel=1e-12)
    assert structure_flow(kind, p, setting, zm, zm, G)[0] == 0.0
    # continuous where the linear regularisation meets the law
    eps = 1e-9
    below = structure_flow(kind, p, setting, zm + LINEAR_HEAD_M - eps, zm, G)[0]
    above = structure_flow(kind, p, setting, zm + LINEAR_HEAD_M + eps, zm, G)[0]
    assert below == pytest.approx(above, rel=1e-5)
    # the slope along the head difference is at least the chord Q/dz (it converges from one
    # side near equal levels), and the derivatives along the mean level are the law's
    for dz in (0.3, 0.02, 3e-3):
        zu, zd = zm + dz / 2, zm - dz / 2
        q, dqu, dqd = structure_flow(kind, p, setting, zu, zd, G)
        assert 0.5 * (dqu - dqd) >= q / dz * (1 - 1e-12)
        h = 1e-6
        dmean = (
            structure_flow(kind, p, setting, zu + h, zd + h, G)[0]
            - structure_flow(kind, p, setting, zu - h, zd - h, G)[0]
        ) / (2 * h)
        assert dqu + dqd == pytest.approx(dmean, rel=1e-3, abs=1e-6)


def test_free_weir_keeps_its_tangent():
    # free flow depends on the upstream level only: dQ/dzu = 1.5 Q / H1, dQ/dzd = 0
    p = params(0.0, 10.0, 0.36)
    q, dqu, dqd = structure_flow(WEIR, p, 0.0, 1.0, -0.5, G)
    assert dqu == pytest.approx(1.5 * q / 1.0, rel=1e-6)
    assert dqd == pytest.approx(0.0, abs=1e-9)
    assert q == pytest.approx(15.9460, rel=HAND_REL)
    assert math.isfinite(dqu)
