"""Discharge laws of hydraulic structures, each a pure function of the two node levels.

Positive discharge runs from the structure's from_node (level zu) to its to_node (level zd).
Each law returns Q (m3/s). ``structure_flow`` dispatches on the kind, regularises the laws
near zero head difference (where sqrt laws have an infinite derivative) and returns the
derivatives the node system needs, so each structure enters the three-level solution as a
linear relation Q ~ Q0 + dQ/dzu (zu - zu0) + dQ/dzd (zd - zd0) about the current iterate.

Symbols: g gravity (m/s2); B width (m); H1 upstream head over the crest or sill (m); h2
downstream head over it (m); e gate opening (m).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numba
import numpy as np

from ..vocab.codes import CULVERT, FLAP_GATE, PUMP, SLUICE, WEIR

N_PARAMS = 8


class StructureArrays(NamedTuple):
    """Structures (links between nodes). params[s] by kind (see ``_law``): weir (-, width,
    m); sluice (sill, width, -, m_weir, direction, max opening); pump (capacity, start,
    stop, -, suction bed); flap gate (invert, width, height, loss); culvert (invert, width,
    height, length, n, entry loss, exit loss). The setting (crest level, opening, running
    fraction) comes from ``series`` or a level ``rule_*``; a non-NaN ``override`` (set by
    control callbacks) replaces it."""

    kind: np.ndarray
    from_node: np.ndarray
    to_node: np.ndarray
    params: np.ndarray
    series: np.ndarray
    rule_node: np.ndarray
    rule_above: np.ndarray
    rule_below: np.ndarray
    rule_on_value: np.ndarray
    rule_off_value: np.ndarray
    override: np.ndarray


LINEAR_HEAD_M = 1e-3
"""Below this head difference (m) a law is replaced by the straight line through zero and its
value at this head, so the linearisation stays finite; flows that small carry no weight."""

FD_STEP_M = 1e-5
"""Level perturbation (m) for the numerical derivatives of the laws."""

PUMP_RAMP_DEPTH_M = 0.3
"""A pump's discharge tapers linearly to zero as the suction depth falls below this (m), so a
pump never draws its sump dry (a safeguard on top of its stop level)."""


@numba.njit(cache=True)
def weir_free_submerged(h1, h2, width, m, g):
    """Broad-crested weir, flow from the side with head h1 >= h2 (m over the crest).

    Free: Q = m B sqrt(2g) H1^1.5 (m about 0.32-0.385; Chinese hydraulics texts, e.g.
    Wu Chigong, Hydraulics, vol. 2, ch. 8). Submerged: Villemonte (1947) factor
    (1 - (h2/H1)^1.5)^0.385, continuous with the free law at h2 = 0.
    """
    if h1 <= 0.0:
        return 0.0
    q = m * width * math.sqrt(2.0 * g) * h1**1.5
    if h2 > 0.0:
        r = min(h2 / h1, 1.0)
        q *= (1.0 - r**1.5) ** 0.385
    return q


@numba.njit(cache=True)
def sluice_flow(h1, h2, opening, width, m_weir, g):
    """Sluice gate with a flat gate on a flat sill, flow from the side with head h1 >= h2.

    Orifice flow under the gate when e/H1 <= 0.65: free Q = mu B e sqrt(2g H1) with
    mu = 0.60 - 0.176 e/H1 (flat gate; Wu Chigong, Hydraulics, ch. 8); submerged when
    h2 > 2/3 H1: Q = mu B e sqrt(2g * 3 (H1 - h2)), the HEC-RAS submerged sluice-gate form,
    which equals the free law at h2 = 2/3 H1. Weir flow (``weir_free_submerged``) when the
    gate is clear of the water, e/H1 >= 0.8; between 0.65 and 0.8 the two are blended
    linearly (an approximation that keeps Q continuous in the opening).
    """
    if h1 <= 0.0 or opening <= 0.0:
        return 0.0
    ratio = opening / h1
    q_weir = weir_free_submerged(h1, h2, width, m_weir, g)
    if ratio >= 0.8:
        return q_weir
    e = min(opening, h1)
    mu = 0.60 - 0.176 * min(ratio, 1.0)
    if h2 <= 2.0 / 3.0 * h1:
        q_orf = mu * width * e * math.sqrt(2.0 * g * h1)
    else:
        q_orf = mu * width * e * math.sqrt(2.0 * g * 3.0 * max(h1 - h2, 0.0))
    if ratio <= 0.65:
        return q_orf
    f = (ratio - 0.65) / 0.15
    return (1.0 - f) * q_orf + f * q_weir


@numba.njit(cache=True)
def culvert_flow(h1, dh, width, height, length, n, k_entry, k_exit, g):
    """Box culvert, flow from the side with head h1 over the invert, head difference dh > 0.

    Energy balance over the barrel: dh = (k_entry + k_exit + 2 g n^2 L / R^(4/3)) V^2 / (2g),
    so Q = a sqrt(2 g dh / (k_entry + k_exit + 2 g n^2 L / R^(4/3))). Approximation: the flow
    area a and hydraulic radius R are those of the upstream depth (capped at the barrel
    height); inlet- and outlet-control regimes of FHWA HDS-5 are not distinguished.
    """
    if h1 <= 0.0 or dh <= 0.0:
        return 0.0
    d = min(h1, height)
    a = width * d
    perimeter = 2.0 * (width + height) if d >= height else width + 2.0 * d
    r = a / perimeter
    loss = k_entry + k_exit + 2.0 * g * n * n * length / r ** (4.0 / 3.0)
    return a * math.sqrt(2.0 * g * dh / loss)


@numba.njit(cache=True)
def _law(kind, p, setting, zu, zd, g):
    """Signed discharge (m3/s, positive from u to d) for levels zu, zd, unregularised."""
    if kind == PUMP:
        # p: capacity, start, stop, control node, suction bed level
        depth = zu - p[4]
        taper = min(max(depth / PUMP_RAMP_DEPTH_M, 0.0), 1.0)
        return p[0] * setting * taper
    if zu >= zd:
        hi, lo, sign = zu, zd, 1.0
    else:
        hi, lo, sign = zd, zu, -1.0
    if kind == WEIR:
        crest = setting
        return sign * weir_free_submerged(hi - crest, lo - crest, p[1], p[2], g)
    if kind == SLUICE:
        direction = p[4]
        if (direction > 0.0 and sign < 0.0) or (direction < 0.0 and sign > 0.0):
            return 0.0
        return sign * sluice_flow(hi - p[0], lo - p[0], setting, p[1], p[3], g)
    if kind == FLAP_GATE:
        if sign < 0.0:
            return 0.0
        return culvert_flow(hi - p[0], hi - lo, p[1], p[2], 0.0, 0.02, 0.0, p[3], g)
    if kind == CULVERT:
        return sign * culvert_flow(hi - p[0], hi - lo, p[1], p[2], p[3], p[4], p[5], p[6], g)
    return 0.0


@numba.njit(cache=True)
def _regularised(kind, p, setting, zu, zd, g):
    """The law, replaced below a head difference of LINEAR_HEAD_M by the straight line
    through zero and the law's value at that head in the same direction (so a one-way
    structure stays closed against reverse heads, however small)."""
    dz = zu - zd
    if kind != PUMP and abs(dz) < LINEAR_HEAD_M:
        zm = 0.5 * (zu + zd)
        half = 0.5 * LINEAR_HEAD_M if dz >= 0.0 else -0.5 * LINEAR_HEAD_M
        q_ref = _law(kind, p, setting, zm + half, zm - half, g)
        return q_ref * abs(dz) / LINEAR_HEAD_M
    return _law(kind, p, setting, zu, zd, g)


@numba.njit(cache=True)
def structure_flow(kind, p, setting, zu, zd, g):
    """(Q, dQ/dzu, dQ/dzd) of a structure at levels zu, zd (m); Q in m3/s.

    Derivatives are central differences of the regularised law (step FD_STEP_M), except
    that the slope along the head difference dz = zu - zd is raised to the chord Q/dz
    where that is steeper. Near equal levels the laws behave like sign(dz) |dz|^p with
    p = 0.5 (orifice, culvert) or 0.385 (Villemonte submergence): a tangent (Newton) step
    overshoots across dz = 0, oscillating for p = 0.5 and diverging for p < 0.5, while the
    chord through zero approaches the root from one side. The slope along the mean level
    stays the tangent. The linearisation still passes through the law at the iterate, so
    the converged solution is the law's.
    """
    q = _regularised(kind, p, setting, zu, zd, g)
    e = FD_STEP_M
    dqu = (
        _regularised(kind, p, setting, zu + e, zd, g)
        - _regularised(kind, p, setting, zu - e, zd, g)
    ) / (2 * e)
    dqd = (
        _regularised(kind, p, setting, zu, zd + e, g)
        - _regularised(kind, p, setting, zu, zd - e, g)
    ) / (2 * e)
    dz = zu - zd
    if kind != PUMP and dz != 0.0:
        s_dz = 0.5 * (dqu - dqd)
        s_m = dqu + dqd
        chord = q / dz
        if chord > s_dz:
            s_dz = chord
        dqu = s_dz + 0.5 * s_m
        dqd = -s_dz + 0.5 * s_m
    return q, dqu, dqd
