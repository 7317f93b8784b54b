"""One Preissmann step of the river network: the recipe of ``substep``.

1. Controls and flows: structure settings (``controls``), the step's boundary and lateral
   means (``boundaries.external_flows``).
2. Time n: geometry, wetness, frozen points (``wetdry.prepare_time_n``).
3. Iterate, at most ``max_iterations`` times: linearise the geometry about the iterate;
   sweep every reach (``sweep``, step 1 of the three-level method); assemble and solve node
   continuity (``nodes``, step 2), solving again while points wet
   (``wetdry.relinearise_rising``, at most MAX_PASSES solutions); evaluate every point from
   its coefficients (step 3) and measure the level change; converged when it is below
   ``tolerance_m``.
4. Checks: still moving by more than ``no_convergence_m``, a jump above ``max_jump_m`` or a
   level ``max_dry_m`` below the bed fail the step (``stepping.advance`` halves it).
5. Commit: the state takes the new levels, discharges and carried storage.

Carried storage: the state holds, beside the levels, the flow area of every point and the
volume of every node that the continuity equations have conserved (the linearisation
A^k + B^k (Z - Z^k) of the last iteration, evaluated at the new level). The next step starts
its continuity from these, not from A(Z^n). Volume is then conserved to round-off whatever
the number of iterations; a step that ends unconverged leaves A(Z) and the carried area
apart by (dB/dZ) dZ^2 / 2 for its last level change dZ, which the next step takes back
instead of losing it for good.

The helpers of ``substep`` are inlined into it (``inline="always"``): each runs once per
iteration, and a call with the work tuple costs its arrays' reference counting."""

from __future__ import annotations

import math

import numba

from ..network.sections import eval_points
from ..network.storage import node_storage
from ..vocab.codes import BC_RATING
from .boundaries import external_flows, rating_flow
from .controls import update_controls
from .nodes import assemble_and_solve
from .sweep import sweep_reaches
from .wetdry import prepare_time_n, relinearise_rising

# Status codes returned by the step kernels.
OK = 0
FAIL_NONFINITE = 1
FAIL_JUMP = 2
FAIL_SINGULAR = 3
FAIL_NOT_CONVERGED = 4
FAIL_TOO_DRY = 5

MAX_PASSES = 3
"""Most linear solutions per iteration (see ``wetdry.relinearise_rising``)."""


@numba.njit(cache=True, inline="always")
def _begin(state, w):
    """Time n and the first iterate from the state."""
    tn = w.tn
    it = w.it
    for p in range(tn.zn.size):
        tn.zn[p] = state.z_pt[p]
        tn.qn[p] = state.q_pt[p]
        it.zk[p] = state.z_pt[p]
        it.qk[p] = state.q_pt[p]
        tn.ac[p] = state.a_pt[p]
    for j in range(tn.znode_n.size):
        tn.znode_n[j] = state.z_node[j]
        it.znode_k[j] = state.z_node[j]
        tn.vnode_n[j] = state.v_node[j]


@numba.njit(cache=True, inline="always")
def _linearise(net, tab, w, par):
    """Storage, flow area and conveyance at the iterate (w.it.a, b, f, k); a frozen
    point's storage holds still (its carried area)."""
    it = w.it
    eval_points(
        it.zk,
        0,
        it.zk.size,
        net.pt_bed,
        net.pt_sec_a,
        net.pt_sec_b,
        net.pt_w,
        tab,
        par.slot_depth_m,
        it.a,
        it.b,
        it.k,
        it.f,
    )
    if w.wd.counts[1] > 0:
        frozen = w.wd.frozen
        for p in range(it.a.size):
            if frozen[p]:
                it.a[p] = w.tn.ac[p]


@numba.njit(cache=True, inline="always")
def _structure_flows(st, w):
    """Structure flows as they entered node continuity: linearised about the iterate, at
    the new node levels (w.sl.sq)."""
    sl = w.sl
    it = w.it
    for s in range(st.kind.size):
        u = st.from_node[s]
        d = st.to_node[s]
        sl.sq[s] = (
            sl.sq0[s]
            + sl.sdu[s] * (it.znode_new[u] - it.znode_k[u])
            + sl.sdd[s] * (it.znode_new[d] - it.znode_k[d])
        )


@numba.njit(cache=True, inline="always")
def _evaluate_nodes(net, bc, w):
    """The new node levels: their largest change (m; at a dry junction scaled as its dry
    reach ends), the storage and rating outflow node continuity has conserved (w.it.vlin,
    rating_lin). Returns (status, change, worst node)."""
    it = w.it
    wd = w.wd
    change = 0.0
    worst_node = -1
    for j in range(it.znode_new.size):
        zj = it.znode_new[j]
        if not math.isfinite(zj):
            w.fail_where[0] = -1
            w.fail_where[1] = j
            return FAIL_NONFINITE, change, worst_node
        dz = abs(zj - it.znode_k[j])
        if zj < wd.node_bed[j] and it.znode_k[j] < wd.node_bed[j]:
            dz *= wd.node_dry_scale[j]  # a dry junction: as its dry reach ends
        if dz > change:
            change = dz
            worst_node = j
        # the storage node continuity has just conserved (linearised about the iterate)
        vk, ak = node_storage(j, it.znode_k[j], net)
        it.vlin[j] = vk + ak * (zj - it.znode_k[j])
        if bc.kind[j] == BC_RATING:
            # likewise the outflow the rating curve gave it
            qr, dqr = rating_flow(j, it.znode_k[j], bc)
            it.rating_lin[j] = qr + dqr * (zj - it.znode_k[j])
    return 0, change, worst_node


@numba.njit(cache=True, inline="always")
def _evaluate_points(net, w, change, worst_node):
    """Step 3: every point's level and discharge from its coefficients (the new iterate,
    w.it.zk, qk) and the area box continuity has conserved (w.it.alin); the largest level
    change so far (m; at a dry point the depth it stands for). Returns (status, change,
    worst point, worst node)."""
    it = w.it
    sw = w.sw
    dry_scale = w.wd.dry_scale
    bed = net.pt_bed
    worst_pt = -1
    for r in range(net.reach_from.size):
        zu = it.znode_new[net.reach_from[r]]
        zd = it.znode_new[net.reach_to[r]]
        for p in range(net.reach_pt[r], net.reach_pt[r + 1]):
            z = sw.cz[p, 0] + sw.cz[p, 1] * zu + sw.cz[p, 2] * zd
            q = sw.cq[p, 0] + sw.cq[p, 1] * zu + sw.cq[p, 2] * zd
            if not (math.isfinite(z) and math.isfinite(q)):
                w.fail_where[0] = p
                return FAIL_NONFINITE, change, worst_pt, worst_node
            dz = abs(z - it.zk[p])
            if dz > change and z < bed[p] and it.zk[p] < bed[p]:
                dz *= dry_scale[p]  # a dry point: the depth over the bed it stands for
            if dz > change:
                change = dz
                worst_pt = p
                worst_node = -1
            # the area the box continuity has just conserved (linearised about the iterate)
            it.alin[p] = it.a[p] + it.b[p] * (z - it.zk[p])
            it.zk[p] = z
            it.qk[p] = q
    for j in range(it.znode_k.size):
        it.znode_k[j] = it.znode_new[j]
    return 0, change, worst_pt, worst_node


@numba.njit(cache=True, inline="always")
def _check(net, w, par, change, worst_pt, worst_node):
    """The sanity of the step: converged enough, no jump, not drained far below the bed.
    Returns OK or the FAIL_* code, with its place in w.fail_where."""
    if change > par.no_convergence_m:
        # where the level still moved most in the last iteration
        w.fail_where[0] = worst_pt if worst_node < 0 else -1
        w.fail_where[1] = worst_node
        return FAIL_NOT_CONVERGED
    zk = w.it.zk
    zn = w.tn.zn
    dry_scale = w.wd.dry_scale
    bed = net.pt_bed
    for p in range(zk.size):
        jump = abs(zk[p] - zn[p])
        if jump > par.max_jump_m and zk[p] < bed[p] and zn[p] < bed[p]:
            jump *= dry_scale[p]
        if jump > par.max_jump_m:
            w.fail_where[0] = p
            return FAIL_JUMP
        if zk[p] < bed[p] - par.max_dry_m:
            w.fail_where[0] = p
            return FAIL_TOO_DRY
    return OK


@numba.njit(cache=True, inline="always")
def _commit(bc, st, state, w, theta):
    """The step's theta-weighted fluxes (w.fl.qth, rating_th) and the new state."""
    it = w.it
    tn = w.tn
    fl = w.fl
    for p in range(it.zk.size):
        fl.qth[p] = theta * it.qk[p] + (1.0 - theta) * tn.qn[p]
    for j in range(it.znode_k.size):
        if bc.kind[j] == BC_RATING:
            fl.rating_th[j] = theta * it.rating_lin[j] + (1.0 - theta) * tn.rating_n[j]
        else:
            fl.rating_th[j] = 0.0
    for p in range(it.zk.size):
        state.z_pt[p] = it.zk[p]
        state.q_pt[p] = it.qk[p]
        state.a_pt[p] = it.alin[p]
    for j in range(it.znode_k.size):
        state.z_node[j] = it.znode_k[j]
        state.v_node[j] = it.vlin[j]
    for s in range(st.kind.size):
        state.q_struct[s] = w.sl.sq[s]


@numba.njit(cache=True)
def substep(net, tab, ts, bc, lat, st, state, w, par, t_old, dt):
    """Advance the state by one Preissmann step of dt (s) from epoch time t_old.

    On success the state holds time t_old + dt and w holds this step's theta-weighted
    fluxes (w.fl.qth, w.sl.sq, w.fl.qext, w.fl.qlat); returns OK. On failure the state is
    left untouched (but for the structure settings) and a FAIL_* code is returned with the
    place in w.fail_where.
    """
    t_new = t_old + dt
    _begin(state, w)
    update_controls(t_new, ts, st, state)
    external_flows(net, bc, ts, lat, w, par, t_old, t_new)
    prepare_time_n(net, tab, bc, w, par)
    change = 0.0
    worst_node = -1
    worst_pt = -1
    for _it in range(par.max_iterations):
        _linearise(net, tab, w, par)
        for _pass in range(MAX_PASSES):
            bad = sweep_reaches(net, w, par, dt)
            if bad != 0:
                w.fail_where[0] = net.reach_pt[bad - 1]
                return FAIL_SINGULAR
            info = assemble_and_solve(net, bc, ts, st, state, w, par, t_new, dt)
            if info != 0:
                w.fail_where[0] = -1
                w.fail_where[1] = info - 1
                return FAIL_SINGULAR
            if (
                _pass == MAX_PASSES - 1
                or w.wd.counts[0] == 0
                or relinearise_rising(net, tab, w, par) == 0
            ):
                break
        _structure_flows(st, w)
        status, change, worst_node = _evaluate_nodes(net, bc, w)
        if status != OK:
            return status
        status, change, worst_pt, worst_node = _evaluate_points(net, w, change, worst_node)
        if status != OK:
            return status
        if change < par.tolerance_m:
            break
    status = _check(net, w, par, change, worst_pt, worst_node)
    if status != OK:
        return status
    _commit(bc, st, state, w, par.theta)
    return OK
