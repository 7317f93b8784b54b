"""Fully mixed nodes of the transport: the order in which the nodes are solved in a
sub-step, and the implicit update of one node (see ``twin.quality.transport``)."""

from __future__ import annotations

import numba

from .cells import NODE_RESERVOIR


@numba.njit(cache=True)
def node_order(ta, f_sq, w):
    """Order the non-reservoir nodes so that each comes after the nodes feeding it through a
    structure this step (Kahn's algorithm). Nodes in a loop of structures come last; the
    solver sweeps them until converged. Returns (count ordered, first index of the loop)."""
    n_nodes = ta.node_type.size
    for j in range(n_nodes):
        w.indeg[j] = 0
    for s in range(ta.st_from.size):
        u, d = ta.st_from[s], ta.st_to[s]
        if f_sq[s] < 0.0:
            u, d = d, u
        if (
            f_sq[s] != 0.0
            and ta.node_type[u] != NODE_RESERVOIR
            and ta.node_type[d] != NODE_RESERVOIR
        ):
            w.indeg[d] += 1
    n = 0
    for j in range(n_nodes):
        if ta.node_type[j] != NODE_RESERVOIR and w.indeg[j] == 0:
            w.order[n] = j
            n += 1
    head = 0
    while head < n:
        j = w.order[head]
        head += 1
        for e in range(ta.node_st_ptr[j], ta.node_st_ptr[j + 1]):
            s = ta.node_st[e]
            u, d = ta.st_from[s], ta.st_to[s]
            if f_sq[s] < 0.0:
                u, d = d, u
            if u == j and f_sq[s] != 0.0 and ta.node_type[d] != NODE_RESERVOIR:
                w.indeg[d] -= 1
                if w.indeg[d] == 0:
                    w.order[n] = d
                    n += 1
    loop_start = n
    for j in range(n_nodes):
        if ta.node_type[j] != NODE_RESERVOIR and w.indeg[j] > 0:
            w.order[n] = j
            n += 1
    return n, loop_start


@numba.njit(cache=True)
def solve_node(
    j, ta, f_sq, f_qext, f_qevap, f_qbc, f_rating, mass, conc, load_node, bc_conc, dts, w, ntr
):
    """Implicit, fully mixed update of node j's concentrations for one sub-step (see the
    module docstring). Inflow from reach cells is in w.node_in[j]; this adds loads, boundary
    inflow and structures from other nodes, then divides by the volume plus the outflow."""
    vj = ta.node_vertex[j]
    cj = ta.node_cell[j]
    vol = w.v0[cj] + w.frac_end[0] * (w.v1[cj] - w.v0[cj]) if cj >= 0 else 0.0
    if vol < 0.0:
        vol = 0.0
    den = vol + dts * w.node_qout[j]
    for k in range(ntr):
        num = w.node_in[j, k] + dts * load_node[j, k]
        if f_qbc[j] > 0.0:
            num += dts * f_qbc[j] * bc_conc[j, k]
        if cj >= 0:
            num += mass[cj, k]
        for e in range(ta.node_st_ptr[j], ta.node_st_ptr[j + 1]):
            s = ta.node_st[e]
            q = f_sq[s]
            d = ta.st_to[s] if q > 0.0 else ta.st_from[s]
            if d != j or q == 0.0:
                continue
            u = ta.st_from[s] if q > 0.0 else ta.st_to[s]
            num += dts * abs(q) * conc[ta.node_vertex[u], k]
        if den > 1e-12:
            conc[vj, k] = num / den
        # else: nothing stored and nothing flows; the caller moves the load to a cell
    return den
