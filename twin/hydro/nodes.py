"""Step 2 of the three-level method: node continuity in the node levels, with the reaches'
end relations from the sweep (``twin.hydro.sweep``), the structures linearised about the
iterate, boundaries, and node storage (``twin.network.storage``); solved by banded LU
(``twin.hydro.banded``)."""

from __future__ import annotations

import numba

from ..network.storage import node_storage
from ..series import series_value
from ..vocab.codes import BC_LEVEL, BC_RATING, BC_TIDE
from .banded import band_add, band_factor_solve
from .boundaries import rating_flow, tide_level
from .structures import structure_flow


@numba.njit(cache=True)
def assemble_and_solve(net, bc, ts, st, state, w, par, t_new, dt):
    """Assemble and solve node continuity; the node levels (m) into w.it.znode_new.
    Returns 0, or 1 + the band row where a pivot vanished.

    At a node j that is not a level or tide boundary, over the step (times 1/dt):

        (V(Z_j) - V^n_j) / dt = q_ext + sum_in Q~ - sum_out Q~ - q_rating~ +- sum Q_s,

    with Q~ = theta Q^(n+1) + (1 - theta) Q^n at the reach ends, Q^(n+1) written in the
    end nodes' levels by the sweep (w.sw.cq), V linearised as V^k + A^k (Z - Z^k) and
    V^n the carried volume (w.tn.vnode_n); a rating outflow theta-weighted and linearised
    about Z^k. Structures are fully implicit, Q_s ~ Q0 + dQ/dZ_u (Z_u - Z_u^k) +
    dQ/dZ_d (Z_d - Z_d^k) about the iterate (w.sl.sq0, sdu, sdd). Level and tide boundaries
    have the row Z_j = their value at t_new."""
    theta = par.theta
    g = par.gravity_m_s2
    ns = w.ns
    it = w.it
    cq = w.sw.cq
    qn = w.tn.qn
    sl = w.sl
    ab = ns.ab
    rhs_v = ns.rhs
    n = rhs_v.size
    kl = ns.band_kl[0]
    ku = kl
    ab[:, :] = 0.0
    pos = ns.node_pos
    for j in range(n):
        row = pos[j]
        kind = bc.kind[j]
        if kind in (BC_LEVEL, BC_TIDE):
            band_add(ab, kl, ku, row, row, 1.0)
            if kind == BC_LEVEL:
                rhs_v[row] = series_value(bc.series[j], t_new, ts.ptr, ts.t, ts.v, ts.mode)
            else:
                rhs_v[row] = tide_level(j, t_new, bc, ts)
            continue
        zk = it.znode_k[j]
        vk, ak = node_storage(j, zk, net)
        band_add(ab, kl, ku, row, row, ak / dt)
        rhs = (ak * zk - vk + w.tn.vnode_n[j]) / dt + w.fl.qext[j]
        for e in range(net.node_ptr[j], net.node_ptr[j + 1]):
            r = net.node_reach[e]
            pu = pos[net.reach_from[r]]
            pd = pos[net.reach_to[r]]
            if net.node_end[e] == 0:  # reach leaves node j: its first point's Q is outflow
                p = net.reach_pt[r]
                band_add(ab, kl, ku, row, pu, theta * cq[p, 1])
                band_add(ab, kl, ku, row, pd, theta * cq[p, 2])
                rhs -= theta * cq[p, 0] + (1.0 - theta) * qn[p]
            else:  # reach arrives: its last point's Q is inflow
                p = net.reach_pt[r + 1] - 1
                band_add(ab, kl, ku, row, pu, -theta * cq[p, 1])
                band_add(ab, kl, ku, row, pd, -theta * cq[p, 2])
                rhs += theta * cq[p, 0] + (1.0 - theta) * qn[p]
        if kind == BC_RATING:
            qr, dqr = rating_flow(j, zk, bc)
            band_add(ab, kl, ku, row, row, theta * dqr)
            rhs -= theta * (qr - dqr * zk) + (1.0 - theta) * w.tn.rating_n[j]
        rhs_v[row] = rhs
    # structures: fully implicit, linearised about the iterate
    for s in range(st.kind.size):
        u = st.from_node[s]
        d = st.to_node[s]
        zu = it.znode_k[u]
        zd = it.znode_k[d]
        q, dqu, dqd = structure_flow(st.kind[s], st.params[s], state.setting[s], zu, zd, g)
        sl.sq0[s] = q
        sl.sdu[s] = dqu
        sl.sdd[s] = dqd
        base = q - dqu * zu - dqd * zd
        ru = pos[u]
        rd = pos[d]
        if bc.kind[u] != BC_LEVEL and bc.kind[u] != BC_TIDE:
            band_add(ab, kl, ku, ru, ru, dqu)
            band_add(ab, kl, ku, ru, rd, dqd)
            rhs_v[ru] -= base
        if bc.kind[d] != BC_LEVEL and bc.kind[d] != BC_TIDE:
            band_add(ab, kl, ku, rd, ru, -dqu)
            band_add(ab, kl, ku, rd, rd, -dqd)
            rhs_v[rd] += base
    info = band_factor_solve(ab, kl, ku, rhs_v, ns.ipiv)
    if info != 0:
        return info
    for j in range(n):
        it.znode_new[j] = rhs_v[pos[j]]
    return 0
