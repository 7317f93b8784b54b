"""The time step as the solver sees it: halving and retry, step-averaged fluxes for
transport, and the water balance. Numba kernels over the solver's arrays."""

from __future__ import annotations

import numba

from ..network.sections import eval_points
from ..network.storage import node_storage
from ..vocab.codes import BC_DISCHARGE, BC_LEVEL, BC_RATING, BC_TIDE
from .step import OK, substep


@numba.njit(cache=True)
def volumes(net, tab, z_pt, z_node, par, sa, sb, sk, vcell, vnode):
    """Cell volumes dx (psi A_(i+1) + (1 - psi) A_i) and node storage volumes (m3) at the
    given levels: the volumes the Preissmann continuity equation conserves. sa, sb, sk are
    scratch arrays of the points' size."""
    psi = par.psi
    eval_points(
        z_pt,
        0,
        z_pt.size,
        net.pt_bed,
        net.pt_sec_a,
        net.pt_sec_b,
        net.pt_w,
        tab,
        par.slot_depth_m,
        sa,
        sb,
        sk,
        sb,
    )
    for r in range(net.reach_from.size):
        for p in range(net.reach_pt[r], net.reach_pt[r + 1] - 1):
            c = p - r
            vcell[c] = net.cell_dx[c] * (psi * sa[p + 1] + (1.0 - psi) * sa[p])
    for j in range(vnode.size):
        v, _ = node_storage(j, z_node[j], net)
        vnode[j] = v


@numba.njit(cache=True)
def carried_volumes(net, a_pt, v_node, par, vcell, vnode):
    """Cell volumes dx (psi A_(i+1) + (1 - psi) A_i) and node volumes (m3) from the carried
    areas and node volumes of the state (see ``twin.hydro.step``): the volumes the step conserves."""
    psi = par.psi
    for r in range(net.reach_from.size):
        for p in range(net.reach_pt[r], net.reach_pt[r + 1] - 1):
            c = p - r
            vcell[c] = net.cell_dx[c] * (psi * a_pt[p + 1] + (1.0 - psi) * a_pt[p])
    for j in range(vnode.size):
        vnode[j] = v_node[j]


@numba.njit(cache=True)
def advance(net, tab, ts, bc, lat, st, state, w, par, bal, dt, max_halvings):
    """Advance by dt (s), halving into 2, 4, ... sub-steps while a sub-step fails, and add
    the step to the water balance ``bal`` (``account``).

    Leaves in w.mean the fluxes averaged over dt, so that for every cell
    V^(n+1) - V^n = dt * (inflows - outflows) with these fluxes, and the (carried) volumes
    at both ends (vcell0/1, vnode0/1); and the area, top width and conveyance at the new
    levels in w.it.a, b, k. Returns (status, halvings used); on failure the state is the
    state before the call and w.fail_where tells where.

    One call from Python per step: each call's dispatch types and unboxes every array of
    the work tuple, tens of microseconds (measured), a tenth of a step of a 1000-point
    network.
    """
    w.fail_where[0] = -1
    w.fail_where[1] = -1
    t0 = state.clock[0]
    n_pts = state.z_pt.size
    n_nodes = state.z_node.size
    n_st = state.q_struct.size
    mean = w.mean
    bk = w.bk
    fl = w.fl
    carried_volumes(net, state.a_pt, state.v_node, par, mean.vcell0, mean.vnode0)
    for p in range(n_pts):
        bk.z_pt[p] = state.z_pt[p]
        bk.q_pt[p] = state.q_pt[p]
        bk.a_pt[p] = state.a_pt[p]
    for j in range(n_nodes):
        bk.z_node[j] = state.z_node[j]
        bk.v_node[j] = state.v_node[j]
    for s in range(n_st):
        bk.q_struct[s] = state.q_struct[s]
        bk.setting[s] = state.setting[s]
        bk.rule_on[s] = state.rule_on[s]
    level = 0
    status = OK
    while True:
        n_sub = 1 << level
        dts = dt / n_sub
        frac = dts / dt
        mean.qth[:] = 0.0
        mean.sq[:] = 0.0
        mean.qext[:] = 0.0
        mean.qbc[:] = 0.0
        mean.qevap[:] = 0.0
        mean.qlat[:] = 0.0
        mean.rating[:] = 0.0
        status = OK
        for k in range(n_sub):
            status = substep(net, tab, ts, bc, lat, st, state, w, par, t0 + k * dts, dts)
            if status != OK:
                break
            for p in range(n_pts):
                mean.qth[p] += frac * fl.qth[p]
            for s in range(n_st):
                mean.sq[s] += frac * w.sl.sq[s]
            for j in range(n_nodes):
                mean.qext[j] += frac * fl.qext[j]
                mean.qbc[j] += frac * fl.qbc[j]
                mean.qevap[j] += frac * fl.qevap[j]
                mean.rating[j] += frac * fl.rating_th[j]
            for c in range(fl.qlat.size):
                mean.qlat[c] += frac * fl.qlat[c]
        if status == OK:
            break
        for p in range(n_pts):
            state.z_pt[p] = bk.z_pt[p]
            state.q_pt[p] = bk.q_pt[p]
            state.a_pt[p] = bk.a_pt[p]
        for j in range(n_nodes):
            state.z_node[j] = bk.z_node[j]
            state.v_node[j] = bk.v_node[j]
        for s in range(n_st):
            state.q_struct[s] = bk.q_struct[s]
            state.setting[s] = bk.setting[s]
            state.rule_on[s] = bk.rule_on[s]
        level += 1
        if level > max_halvings:
            return status, level
    state.clock[0] = t0 + dt
    state.clock[1] += 1.0
    carried_volumes(net, state.a_pt, state.v_node, par, mean.vcell1, mean.vnode1)
    # geometry at the committed levels, for whoever reads them (transport)
    it = w.it
    eval_points(
        state.z_pt,
        0,
        n_pts,
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
    account(net, bc, st, w, bal, dt)
    return OK, level


@numba.njit(cache=True)
def account(net, bc, st, w, bal, dt):
    """Add this step to the water balance (m3).

    bal.bc_in[j]: volume entering through node j's boundary (level and tide nodes: the net
    flow into the network; discharge: the boundary discharge; rating: minus the outflow).
    bal.lateral[0]: volume of all laterals. bal.node_err[j], bal.reach_err[r]: change of
    storage minus net inflow, which is zero up to the iteration tolerance.
    """
    m = w.mean
    n_nodes = m.vnode0.size
    for j in range(n_nodes):
        out = 0.0
        for e in range(net.node_ptr[j], net.node_ptr[j + 1]):
            r = net.node_reach[e]
            if net.node_end[e] == 0:
                out += m.qth[net.reach_pt[r]]
            else:
                out -= m.qth[net.reach_pt[r + 1] - 1]
        m.node_out[j] = out
    for s in range(st.kind.size):
        m.node_out[st.from_node[s]] += m.sq[s]
        m.node_out[st.to_node[s]] -= m.sq[s]
    lat_total = 0.0
    for j in range(n_nodes):
        kind = bc.kind[j]
        if kind in (BC_LEVEL, BC_TIDE):
            bal.bc_in[j] += m.node_out[j] * dt
            continue
        if kind == BC_DISCHARGE:
            bal.bc_in[j] += m.qbc[j] * dt
        if kind == BC_RATING:
            bal.bc_in[j] -= m.rating[j] * dt
        lat_total += (m.qext[j] - m.qbc[j]) * dt
        inflow = m.qext[j] - m.rating[j] - m.node_out[j]
        bal.node_err[j] += (m.vnode1[j] - m.vnode0[j]) - inflow * dt
        bal.storage_change[0] += m.vnode1[j] - m.vnode0[j]
    for r in range(net.reach_from.size):
        p0 = net.reach_pt[r]
        p1 = net.reach_pt[r + 1]
        dv = 0.0
        ql = 0.0
        for c in range(p0 - r, p1 - 1 - r):
            dv += m.vcell1[c] - m.vcell0[c]
            ql += m.qlat[c]
        bal.reach_err[r] += dv - (m.qth[p0] - m.qth[p1 - 1] + ql) * dt
        bal.storage_change[0] += dv
        lat_total += ql * dt
    bal.lateral[0] += lat_total
