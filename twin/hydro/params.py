"""What a ``HydroSolver`` is built from: the numerical parameters of the scheme and the
compiled arrays of its boundaries, laterals, structures and initial state (made from a
config by ``twin.hydro.compile``)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..series import SeriesArrays
from .boundaries import BoundaryArrays, LateralArrays
from .structures import StructureArrays


class HydroParams(NamedTuple):
    """Numerical parameters of the Preissmann step, as the kernels take them (the fields of
    ``[run.hydro]``, ``twin.config.run.HydroNumerics``, which says why each is what it is).

    The order of the fields is that of the float vector the kernels once took
    (``params[2]`` is gravity)."""

    theta: float
    """Time weighting of the box (-), 0.5-1."""
    psi: float
    """Space weighting of the box (-), 0.5 centred."""
    gravity_m_s2: float
    """Acceleration of gravity g (m/s2)."""
    tolerance_m: float
    """Level change between iterations (m) that ends the iteration."""
    max_iterations: int
    """Most iterations per step."""
    max_jump_m: float
    """Largest level change in one step (m; at dry points the depth it stands for)."""
    no_convergence_m: float
    """Level change still left in the last iteration (m) above which the step fails."""
    max_dry_m: float
    """Depth below the bed (m) a level may fall to before the step fails."""
    wet_depth_m: float
    """h_wet: hydraulic depth A/B (m) below which a box is shallow."""
    slot_depth_m: float
    """D: depth of the slot below the bed (m; see ``twin.network.sections``)."""


class CompiledHydro(NamedTuple):
    """Everything a ``HydroSolver`` needs beside the network, as arrays and scalars (SI)."""

    ts: SeriesArrays
    """Every time series the boundaries, laterals and structures refer to."""
    bc: BoundaryArrays
    lat: LateralArrays
    st: StructureArrays
    params: HydroParams
    max_halvings: int
    """Times a failed step is halved before the failure is reported."""
    t0: float
    """Start of the run (epoch s, UTC)."""
    z_node: np.ndarray
    """Initial level per node (m)."""
    z_pt: np.ndarray
    """Initial level per computational point (m)."""
    q_pt: np.ndarray
    """Initial discharge per computational point (m3/s)."""
