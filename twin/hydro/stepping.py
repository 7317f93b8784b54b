"""The time step as the solver sees it: halving and retry, step-averaged fluxes for
transport, and the water balance. Numba kernels over the solver's arrays."""

from __future__ import annotations

import numba

from ..network.sections import eval_points
from ..vocab.codes import BC_DISCHARGE, BC_LEVEL, BC_RATING, BC_TIDE
from .kernels import OK, P_PSI, P_SLOTDEPTH, node_storage, substep


@numba.njit(cache=True)
def volumes(net, tab, z_pt, z_node, par, sa, sb, sk, vcell, vnode):
    """Cell volumes dx (psi A_(i+1) + (1 - psi) A_i) and node storage volumes (m3) at the
    given levels: the volumes the Preissmann continuity equation conserves. sa, sb, sk are
    scratch arrays of the points' size."""
    psi = par[P_PSI]
    eval_points(
        z_pt,
        0,
        z_pt.size,
        net.pt_bed,
        net.pt_sec_a,
        net.pt_sec_b,
        net.pt_w,
        tab,
        par[P_SLOTDEPTH],
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
    areas and node volumes of the state (see kernels): the volumes the step conserves."""
    psi = par[P_PSI]
    for r in range(net.reach_from.size):
        for p in range(net.reach_pt[r], net.reach_pt[r + 1] - 1):
            c = p - r
            vcell[c] = net.cell_dx[c] * (psi * a_pt[p + 1] + (1.0 - psi) * a_pt[p])
    for j in range(vnode.size):
        vnode[j] = v_node[j]


@numba.njit(cache=True)
def advance(net, tab, ts, bc, lat, st, state, w, par, dt, max_halvings):
    """Advance by dt (s), halving into 2, 4, ... sub-steps while a sub-step fails.

    Leaves in w the fluxes averaged over dt (w.f_*), so that for every cell
    V^(n+1) - V^n = dt * (inflows - outflows) with these fluxes, the (carried) volumes at
    both ends (w.vcell0/1, w.vnode0/1), and the area, top width and conveyance at the new
    levels (w.a, w.b, w.k). Returns (status, halvings used).
    """
    t0 = state.clock[0]
    n_pts = state.z_pt.size
    n_nodes = state.z_node.size
    n_st = state.q_struct.size
    carried_volumes(net, state.a_pt, state.v_node, par, w.vcell0, w.vnode0)
    for p in range(n_pts):
        w.bk_z[p] = state.z_pt[p]
        w.bk_q[p] = state.q_pt[p]
        w.bk_a[p] = state.a_pt[p]
    for j in range(n_nodes):
        w.bk_zn[j] = state.z_node[j]
        w.bk_vn[j] = state.v_node[j]
    for s in range(n_st):
        w.bk_qs[s] = state.q_struct[s]
        w.bk_set[s] = state.setting[s]
        w.bk_rule[s] = state.rule_on[s]
    level = 0
    status = OK
    while True:
        n_sub = 1 << level
        dts = dt / n_sub
        frac = dts / dt
        w.f_qth[:] = 0.0
        w.f_sq[:] = 0.0
        w.f_qext[:] = 0.0
        w.f_qbc[:] = 0.0
        w.f_qevap[:] = 0.0
        w.f_qlat[:] = 0.0
        w.f_rating[:] = 0.0
        status = OK
        for k in range(n_sub):
            status = substep(net, tab, ts, bc, lat, st, state, w, par, t0 + k * dts, dts)
            if status != OK:
                break
            for p in range(n_pts):
                w.f_qth[p] += frac * w.qth[p]
            for s in range(n_st):
                w.f_sq[s] += frac * w.sq[s]
            for j in range(n_nodes):
                w.f_qext[j] += frac * w.qext[j]
                w.f_qbc[j] += frac * w.qbc[j]
                w.f_qevap[j] += frac * w.qevap[j]
                w.f_rating[j] += frac * w.rating_th[j]
            for c in range(w.qlat.size):
                w.f_qlat[c] += frac * w.qlat[c]
        if status == OK:
            break
        for p in range(n_pts):
            state.z_pt[p] = w.bk_z[p]
            state.q_pt[p] = w.bk_q[p]
            state.a_pt[p] = w.bk_a[p]
        for j in range(n_nodes):
            state.z_node[j] = w.bk_zn[j]
            state.v_node[j] = w.bk_vn[j]
        for s in range(n_st):
            state.q_struct[s] = w.bk_qs[s]
            state.setting[s] = w.bk_set[s]
            state.rule_on[s] = w.bk_rule[s]
        level += 1
        if level > max_halvings:
            return status, level
    state.clock[0] = t0 + dt
    state.clock[1] += 1.0
    carried_volumes(net, state.a_pt, state.v_node, par, w.vcell1, w.vnode1)
    # w.a, w.b, w.k: geometry at the committed levels, for whoever reads them (transport)
    eval_points(
        state.z_pt,
        0,
        n_pts,
        net.pt_bed,
        net.pt_sec_a,
        net.pt_sec_b,
        net.pt_w,
        tab,
        par[P_SLOTDEPTH],
        w.a,
        w.b,
        w.k,
        w.f,
    )
    return OK, level


@numba.njit(cache=True)
def account(net, bc, st, w, bal, dt):
    """Add this step to the water balance (m3).

    bal.bc_in[j]: volume entering through node j's boundary (level and tide nodes: the net
    flow into the network; discharge: the boundary discharge; rating: minus the outflow).
    bal.lateral[0]: volume of all laterals. bal.node_err[j], bal.reach_err[r]: change of
    storage minus net inflow, which is zero up to the iteration tolerance.
    """
    n_nodes = w.vnode0.size
    for j in range(n_nodes):
        out = 0.0
        for e in range(net.node_ptr[j], net.node_ptr[j + 1]):
            r = net.node_reach[e]
            if net.node_end[e] == 0:
                out += w.f_qth[net.reach_pt[r]]
            else:
                out -= w.f_qth[net.reach_pt[r + 1] - 1]
        w.node_out[j] = out
    for s in range(st.kind.size):
        w.node_out[st.from_node[s]] += w.f_sq[s]
        w.node_out[st.to_node[s]] -= w.f_sq[s]
    lat_total = 0.0
    for j in range(n_nodes):
        kind = bc.kind[j]
        if kind in (BC_LEVEL, BC_TIDE):
            bal.bc_in[j] += w.node_out[j] * dt
            continue
        if kind == BC_DISCHARGE:
            bal.bc_in[j] += w.f_qbc[j] * dt
        if kind == BC_RATING:
            bal.bc_in[j] -= w.f_rating[j] * dt
        lat_total += (w.f_qext[j] - w.f_qbc[j]) * dt
        inflow = w.f_qext[j] - w.f_rating[j] - w.node_out[j]
        bal.node_err[j] += (w.vnode1[j] - w.vnode0[j]) - inflow * dt
        bal.storage_change[0] += w.vnode1[j] - w.vnode0[j]
    for r in range(net.reach_from.size):
        p0 = net.reach_pt[r]
        p1 = net.reach_pt[r + 1]
        dv = 0.0
        ql = 0.0
        for c in range(p0 - r, p1 - 1 - r):
            dv += w.vcell1[c] - w.vcell0[c]
            ql += w.f_qlat[c]
        bal.reach_err[r] += dv - (w.f_qth[p0] - w.f_qth[p1 - 1] + ql) * dt
        bal.storage_change[0] += dv
        lat_total += ql * dt
    bal.lateral[0] += lat_total
