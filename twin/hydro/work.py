"""The solver's work arrays, in parts by what they hold, and their allocation.

Nothing in the kernels allocates: every array of a step lives here, made once per solver.
Shapes: P points, N nodes, C cells (P minus the reaches), R reaches, S structures. SI units;
levels Z in m above the datum, discharges Q in m3/s."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..network.sections import DRY_FILM_M, eval_points
from ..network.topology import CompiledNetwork
from .banded import node_ordering
from .params import HydroParams
from .structures import StructureArrays


class TimeN(NamedTuple):
    """The start of the (sub)step, time level n."""

    zn: np.ndarray
    """(P) level Z^n (m)."""
    qn: np.ndarray
    """(P) discharge Q^n (m3/s); 0 at points frozen this step."""
    an: np.ndarray
    """(P) storage area A(Z^n) (m2). This and the three below are scratch of
    ``wetdry.relinearise_rising`` once the first linear solution of a step is in."""
    bn: np.ndarray
    """(P) top width B(Z^n) (m)."""
    kn: np.ndarray
    """(P) conveyance K(Z^n) (m3/s)."""
    fn: np.ndarray
    """(P) flow area A_f(Z^n) (m2)."""
    ac: np.ndarray
    """(P) carried area at time n (m2): the state's, which continuity starts from."""
    qqa_n: np.ndarray
    """(P) convection flux (Q^n)^2 / A_f(Z^n) (m4/s2)."""
    znode_n: np.ndarray
    """(N) node level (m)."""
    vnode_n: np.ndarray
    """(N) carried node volume (m3, relative to the datum)."""
    rating_n: np.ndarray
    """(N) outflow through a rating-curve boundary at Z^n (m3/s; 0 elsewhere)."""


class Iterate(NamedTuple):
    """The latest iterate k of the step's Newton iteration and what it linearises."""

    zk: np.ndarray
    """(P) level Z^k (m)."""
    qk: np.ndarray
    """(P) discharge Q^k (m3/s)."""
    a: np.ndarray
    """(P) storage area of the linearisation A^k + B^k (Z - Z^k) (m2): A(Z^k), except
    at frozen points (the carried area) and at points linearised again about a higher
    level (``wetdry.relinearise_rising``). After a step: A at the committed levels."""
    b: np.ndarray
    """(P) top width B^k of the linearisation (m)."""
    k: np.ndarray
    """(P) conveyance K(Z^k) (m3/s)."""
    f: np.ndarray
    """(P) flow area A_f(Z^k) (m2)."""
    alin: np.ndarray
    """(P) area continuity has conserved, A^k + B^k (Z^(k+1) - Z^k) (m2); scratch levels
    of ``wetdry.relinearise_rising`` until the points are evaluated."""
    znode_k: np.ndarray
    """(N) node level at the iterate (m)."""
    znode_new: np.ndarray
    """(N) node level the node system gave in this iteration (m)."""
    vlin: np.ndarray
    """(N) node volume node continuity has conserved, V^k + A^k (Z^(k+1) - Z^k) (m3)."""
    rating_lin: np.ndarray
    """(N) rating-curve outflow linearised about Z^k, at Z^(k+1) (m3/s)."""


class SweepCoefficients(NamedTuple):
    """Step 1 of the three-level method, per reach (``sweep.py``)."""

    al: np.ndarray
    """(P) the forward sweep's recursion Q_p = al_p + be_p Z_p + ga_p Z_0, Z_0 the level
    at the reach's first point: al in m3/s."""
    be: np.ndarray
    """(P) be_p (m2/s)."""
    ga: np.ndarray
    """(P) ga_p (m2/s)."""
    rc0: np.ndarray
    """(P) recovery of point p from the box after it, Z_p = rc0 + rc1 Z_0 + rc2 Z_(p+1) +
    rc3 Q_(p+1) (at the first point: Q_0 in terms of Z_0, Z_1, Q_1): rc0 in m (m3/s)."""
    rc1: np.ndarray
    """(P) rc1 (-, or m2/s at the first point)."""
    rc2: np.ndarray
    """(P) rc2 (-, or m2/s)."""
    rc3: np.ndarray
    """(P) rc3 (s/m2, or -)."""
    cz: np.ndarray
    """(P, 3) Z_p = cz0 + cz1 Z_up + cz2 Z_dn in the end nodes' levels (m, -, -)."""
    cq: np.ndarray
    """(P, 3) Q_p = cq0 + cq1 Z_up + cq2 Z_dn (m3/s, m2/s, m2/s)."""


class WetDry(NamedTuple):
    """How wet each point and box is (``wetdry.py``)."""

    dry_scale: np.ndarray
    """(P) slot width / bed width (-): a level change in the slot times this is the depth
    over the bed it stands for (convergence and jumps at dry points). Fixed."""
    node_bed: np.ndarray
    """(N) lowest bed of the reach ends at a junction (m; -inf at storage nodes). Fixed."""
    node_dry_scale: np.ndarray
    """(N) largest dry_scale of a junction's reach ends (-; 1 at storage nodes). Fixed."""
    wet_n: np.ndarray
    """(P, bool) above the bed with hydraulic depth A_f/B at least h_wet at time n."""
    frozen: np.ndarray
    """(P, bool) frozen this step: dry, with dry neighbours, no lateral inflow."""
    box_kind: np.ndarray
    """(C, int8) BOX_WET, BOX_SHALLOW or BOX_FROZEN this step."""
    box_w: np.ndarray
    """(C) weight of the centred box in a shallow box, min(A/B)/h_wet of its ends (-)."""
    reach_special: np.ndarray
    """(R) boxes of the reach that are not wet this step (0: ``reach_sweep_wet``)."""
    counts: np.ndarray
    """(2) points shallower than SHALLOW_FACTOR h_wet at time n, frozen points."""


class NodeSystem(NamedTuple):
    """Step 2 of the three-level method: node continuity in band storage (``nodes.py``)."""

    node_pos: np.ndarray
    """(N) row of each node in the reverse Cuthill-McKee order. Fixed."""
    band_kl: np.ndarray
    """(1) half-bandwidth kl (= ku) in that order. Fixed."""
    ab: np.ndarray
    """(3 kl + 1, N) the matrix (m2/s), then its LU factors (``banded.py``)."""
    rhs: np.ndarray
    """(N) right-hand side (m3/s; m at level boundaries), then the node levels (m)."""
    ipiv: np.ndarray
    """(N) pivot rows of the factorisation."""


class StructureLinearisation(NamedTuple):
    """Structures in the node system, linearised about the iterate."""

    sq0: np.ndarray
    """(S) Q at the iterate's node levels (m3/s)."""
    sdu: np.ndarray
    """(S) dQ/dZ_from (m2/s)."""
    sdd: np.ndarray
    """(S) dQ/dZ_to (m2/s)."""
    sq: np.ndarray
    """(S) Q as linearised, at the new node levels (m3/s)."""


class SubstepFlows(NamedTuple):
    """Flows of one (sub)step: external means over it, theta-weighted discharges."""

    qext: np.ndarray
    """(N) external inflow: discharge boundary and point laterals (m3/s)."""
    qbc: np.ndarray
    """(N) the discharge boundary's part of qext (m3/s)."""
    qevap: np.ndarray
    """(N) the evaporation's part of qext (m3/s, negative)."""
    qlat: np.ndarray
    """(C) lateral inflow into each cell (m3/s; negative: withdrawal)."""
    qth: np.ndarray
    """(P) theta Q^(n+1) + (1 - theta) Q^n (m3/s)."""
    rating_th: np.ndarray
    """(N) theta-weighted rating-curve outflow (m3/s)."""


class Backup(NamedTuple):
    """The state at the start of ``stepping.advance``, restored before a halved retry
    (fields as in ``HydroState``)."""

    z_pt: np.ndarray
    q_pt: np.ndarray
    z_node: np.ndarray
    a_pt: np.ndarray
    v_node: np.ndarray
    q_struct: np.ndarray
    setting: np.ndarray
    rule_on: np.ndarray


class StepMeans(NamedTuple):
    """Means over a whole ``advance`` (its sub-steps weighted by their length) and the
    carried volumes at its ends: what ``HydroFluxes`` shows the water quality."""

    qth: np.ndarray
    """(P) theta-weighted discharge per point (m3/s)."""
    sq: np.ndarray
    """(S) structure discharge, from_node to to_node (m3/s)."""
    qext: np.ndarray
    """(N) external inflow (m3/s)."""
    qbc: np.ndarray
    """(N) discharge-boundary inflow (m3/s)."""
    qevap: np.ndarray
    """(N) evaporation (m3/s)."""
    qlat: np.ndarray
    """(C) lateral inflow per cell (m3/s)."""
    rating: np.ndarray
    """(N) rating-curve outflow (m3/s)."""
    vcell0: np.ndarray
    """(C) cell volume dx (psi A_(i+1) + (1 - psi) A_i) at the start (m3, carried areas)."""
    vcell1: np.ndarray
    """(C) the same at the end (m3)."""
    vnode0: np.ndarray
    """(N) carried node volume at the start (m3, relative to the datum)."""
    vnode1: np.ndarray
    """(N) the same at the end (m3)."""
    node_out: np.ndarray
    """(N) net outflow into reaches and structures (m3/s; ``stepping.account``)."""


class HydroWork(NamedTuple):
    """Every work array of the hydrodynamic step, by part."""

    tn: TimeN
    it: Iterate
    sw: SweepCoefficients
    wd: WetDry
    ns: NodeSystem
    sl: StructureLinearisation
    fl: SubstepFlows
    bk: Backup
    mean: StepMeans
    fail_where: np.ndarray
    """(2) where a step failed: point (or -1), node (or -1)."""


def dry_scale(net: CompiledNetwork, params: HydroParams) -> np.ndarray:
    """Per point, slot width / width of the bed (-): a level change in the slot times this
    is the depth of water over the bed it stands for (the measure of convergence and of
    jumps at dry points)."""
    a = net.arrays
    n = net.n_points
    depth = 0.5 * params.slot_depth_m
    area, width, k, flow = (np.zeros(n) for _ in range(4))
    eval_points(
        a.pt_bed - depth,
        0,
        n,
        a.pt_bed,
        a.pt_sec_a,
        a.pt_sec_b,
        a.pt_w,
        net.tables,
        params.slot_depth_m,
        area,
        width,
        k,
        flow,
    )
    bed_width = flow / (DRY_FILM_M * 0.5)
    return np.minimum(width / np.maximum(bed_width, 1e-12), 1.0)


def allocate_work(net: CompiledNetwork, st: StructureArrays, params: HydroParams) -> HydroWork:
    """The work arrays of a solver, zero, with the fixed ones (band order, dry scales) set."""
    a = net.arrays
    n_p, n_n, n_c, n_r = net.n_points, net.n_nodes, net.n_cells, net.n_reaches
    n_s = st.kind.size
    pairs = [(a.reach_from[r], a.reach_to[r]) for r in range(n_r)]
    pairs += [(st.from_node[s], st.to_node[s]) for s in range(n_s)]
    pos, bw = node_ordering(n_n, np.array(pairs, np.int64).reshape(-1, 2))
    scale = dry_scale(net, params)
    # Junctions below the bed of every reach end they join are dry: their level changes
    # count like those of their dry reach ends (storage nodes have real area: never).
    node_bed = np.full(n_n, -np.inf)
    node_scale = np.ones(n_n)
    for j in range(n_n):
        if a.node_st_ptr[j + 1] > a.node_st_ptr[j]:
            continue
        ends = [
            a.reach_pt[a.node_reach[e]]
            if a.node_end[e] == 0
            else a.reach_pt[a.node_reach[e] + 1] - 1
            for e in range(a.node_ptr[j], a.node_ptr[j + 1])
        ]
        if ends:
            node_bed[j] = float(np.min(a.pt_bed[ends]))
            node_scale[j] = float(np.max(scale[ends]))
    z = np.zeros
    return HydroWork(
        tn=TimeN(*(z(n_p) for _ in range(8)), z(n_n), z(n_n), z(n_n)),
        it=Iterate(*(z(n_p) for _ in range(7)), *(z(n_n) for _ in range(4))),
        sw=SweepCoefficients(*(z(n_p) for _ in range(7)), z((n_p, 3)), z((n_p, 3))),
        wd=WetDry(
            dry_scale=scale,
            node_bed=node_bed,
            node_dry_scale=node_scale,
            wet_n=np.zeros(n_p, np.bool_),
            frozen=np.zeros(n_p, np.bool_),
            box_kind=np.zeros(n_c, np.int8),
            box_w=z(n_c),
            reach_special=np.zeros(n_r, np.int64),
            counts=np.zeros(2, np.int64),
        ),
        ns=NodeSystem(
            node_pos=pos,
            band_kl=np.array([bw], np.int64),
            ab=z((3 * bw + 1, n_n)),
            rhs=z(n_n),
            ipiv=np.zeros(n_n, np.int64),
        ),
        sl=StructureLinearisation(*(z(n_s) for _ in range(4))),
        fl=SubstepFlows(z(n_n), z(n_n), z(n_n), z(n_c), z(n_p), z(n_n)),
        bk=Backup(z(n_p), z(n_p), z(n_n), z(n_p), z(n_n), z(n_s), z(n_s), np.zeros(n_s, np.int64)),
        mean=StepMeans(
            qth=z(n_p),
            sq=z(n_s),
            qext=z(n_n),
            qbc=z(n_n),
            qevap=z(n_n),
            qlat=z(n_c),
            rating=z(n_n),
            vcell0=z(n_c),
            vcell1=z(n_c),
            vnode0=z(n_n),
            vnode1=z(n_n),
            node_out=z(n_n),
        ),
        fail_where=np.full(2, -1, np.int64),
    )
