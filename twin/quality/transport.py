"""Advection of every tracer on the network, conservative and positive.

Finite volumes (``twin.quality.cells``): the cells between computational points of each
reach (reach cells), plus one node cell per storage node (lake) and per junction with a
water surface. Junctions without a surface are mixing points (zero volume). Level and tide
boundaries are reservoirs: inflow brings their concentration, outflow leaves.

Each hydrodynamic step provides the face discharges averaged over the step and the volumes
at both ends, consistent with continuity (V1 - V0 = dt (in - out)); volumes are interpolated
linearly within the step. Reach cells are advanced explicitly, with sub-steps so that no
cell loses more than ``max_courant`` of its volume per sub-step; the face value inside a
reach is flux limited (Sweby 1984 with the chosen limiter, the Lax-Wendroff correction times
(1 - Courant)), second order where the solution is smooth, and upwind at the reach ends.
Nodes are updated implicitly (backward Euler, fully mixed): for node j in a sub-step dt_s,

    C_j = (M_j + dt_s * mass inflow) / (V_j(end of sub-step) + dt_s * water outflow),

with the inflow from reach cells (explicit fluxes), other nodes through structures, loads
and boundary inflow; a mixing point is the case M = V = 0. Nodes are solved in flow order
(Gauss-Seidel sweeps until converged when structures form a loop between nodes). The
implicit node update needs no Courant limit, so small junction cells do not force small
sub-steps, and it is a convex combination: no new extrema, no negative values. Masses
change only by fluxes through faces, so mass is conserved to round-off. As a safeguard for
nearly dry reach cells, a cell never gives more than it holds in a sub-step (its outgoing
fluxes are scaled down by one factor for all tracers; the receiver gets the same).

Source groups (apportionment) are carried by their totals: a group's flux through a face is
the total's flux times the group's share of the total there (``_group_fluxes``). Totals are
therefore the same with or without apportionment, and the groups sum to them. A flux-limited
scheme is not linear, so a group differs somewhat from a run in which its source alone
carries mass (except with the upwind limiter, where it is identical to round-off).

The node update is in ``twin.quality.nodes``, dispersion in ``twin.quality.dispersion``.
"""

from __future__ import annotations

import numba
import numpy as np

from .cells import NODE_RESERVOIR, V_DRY_M3
from .kinetics import N_REACTIVE
from .nodes import node_order, solve_node

LIMITERS = {"upwind": 0, "van_leer": 1, "superbee": 2, "mc": 3}
MAX_SUBSTEPS = 5000


@numba.njit(cache=True, inline="always")
def _limiter(r, kind):
    if kind == 0 or r <= 0.0:
        return 0.0
    if kind == 1:  # van Leer
        return 2.0 * r / (1.0 + r)
    if kind == 2:  # superbee
        return max(min(2.0 * r, 1.0), min(r, 2.0))
    return max(0.0, min(min(2.0 * r, 0.5 * (1.0 + r)), 2.0))  # monotonized central


@numba.njit(cache=True)
def _group_fluxes(ta, conc, mass, limiter, dts, n_groups, w):
    """Face fluxes of the source groups through the reaches' interior faces (g/s, before
    the cell factor w.scale), given their totals' fluxes in w.flux_int.

    A group's flux is its total's flux times the group's share at the face. The shares
    (fractions of the total, summing to 1) are reconstructed like concentrations, upwind
    share plus a limited slope, with one limiter value for all groups of a species: the
    smallest of their TVD limiters (so every share lies between its upwind and downwind
    values, and the shares still sum to 1) and of the value that keeps each group's
    outflow within its mass (the total's outflow, after the cell factor, is within the
    total's mass, so a share at most mass / outflow times the upwind share is safe). Hence
    the groups sum to the total, stay non-negative, and never change it; with the upwind
    limiter each group moves with its own upwind flux, exactly as if it were alone.
    """
    for f in range(ta.if_left.size):
        q = w.qface_int[f]
        if q >= 0.0:
            up, dn, far = ta.if_left[f], ta.if_right[f], ta.if_ll[f]
        else:
            up, dn, far = ta.if_right[f], ta.if_left[f], ta.if_rr[f]
        cr = abs(q) * dts / w.vs[up] if w.vs[up] > V_DRY_M3 else 1.0
        for s in range(N_REACTIVE):
            ct = conc[up, s]
            ft = w.flux_int[f, s]
            if ct <= 0.0 or ft <= 0.0:
                for g in range(1, n_groups):
                    w.flux_int[f, N_REACTIVE * g + s] = 0.0
                continue
            cd = conc[dn, s]
            psi = 0.0
            if far >= 0 and limiter > 0 and cd > 0.0 and conc[far, s] > 0.0 and cr < 1.0:
                cf = conc[far, s]
                out = w.scale[up] * w.out_mass[up, s] if w.n_out[up] > 1 else ft * dts
                room = mass[up, s] / out - 1.0 if out > 0.0 else 1.0
                psi = 2.0
                for g in range(1, n_groups):
                    k = N_REACTIVE * g + s
                    fu = conc[up, k] / ct
                    dfr = conc[dn, k] / cd - fu
                    if dfr != 0.0:
                        psi = min(psi, _limiter((fu - conc[far, k] / cf) / dfr, limiter))
                    if dfr > 0.0:
                        psi = min(psi, 2.0 * room * fu / ((1.0 - cr) * dfr))
                psi = max(psi, 0.0)
            for g in range(1, n_groups):
                k = N_REACTIVE * g + s
                fu = conc[up, k] / ct
                if psi > 0.0:
                    fu += 0.5 * psi * (1.0 - cr) * (conc[dn, k] / cd - fu)
                w.flux_int[f, k] = ft * fu


@numba.njit(cache=True)
def advect(ta, fx, mass, conc, load_cell, load_node, bc_conc, dt, max_courant, limiter, w, bal):
    """Advect all tracers over one hydrodynamic step of dt seconds, with the step's fluxes
    and volumes ``fx`` (``twin.hydro.fluxes.HydroFluxes``).

    mass[c, k] (g) and conc[v, k] (mg/L = g/m3) are updated for every vertex (reach cells,
    node cells, mixing points); loads (g/s) enter cells and nodes. bal[k, :] accumulates (g):
    0 loads in, 1 boundary inflow, 2 boundary outflow, 3 withdrawals (water taken out at the
    ambient concentration). w.step_in and w.step_out receive the mass that entered and left
    each node cell over the step (g). Returns the number of sub-steps.
    """
    f_qth, f_sq, f_qlat = fx.q_point, fx.q_struct, fx.q_lat
    f_qext, f_qevap, f_qbc, f_rating = fx.q_ext, fx.q_evap, fx.q_bc, fx.q_rating
    vcell1, vnode1 = fx.v_cell1, fx.v_node1
    n_tc = ta.n_tc
    n_rc = ta.n_rc
    ntr = mass.shape[1]
    n_groups = (ntr - 1) // N_REACTIVE
    n_nodes = ta.node_type.size
    for j in range(n_nodes):
        for k in range(ntr):
            w.step_in[j, k] = 0.0
            w.step_out[j, k] = 0.0
    for c in range(n_rc):
        w.v1[c] = vcell1[c]
    for j in range(n_nodes):
        if ta.node_cell[j] >= 0:
            w.v1[ta.node_cell[j]] = vnode1[j] - ta.node_voff[j]
    for f in range(ta.if_left.size):
        w.qface_int[f] = f_qth[ta.if_point[f]]
    for f in range(ta.ef_cell.size):
        w.qface_end[f] = f_qth[ta.ef_point[f]] * ta.ef_sign[f]  # > 0: node -> cell
    # Outflow of every reach cell (the Courant limit) and its number of ways out, and
    # water leaving every node with its mass (the implicit node update).
    for c in range(n_rc):
        w.out_rate[c] = max(-f_qlat[c], 0.0)
        w.n_out[c] = 1 if f_qlat[c] < 0.0 else 0
        w.scale[c] = 1.0
    for f in range(ta.if_left.size):
        q = w.qface_int[f]
        if q != 0.0:
            up = ta.if_left[f] if q > 0.0 else ta.if_right[f]
            w.out_rate[up] += abs(q)
            w.n_out[up] += 1
    for j in range(n_nodes):
        w.node_qout[j] = max(-(f_qext[j] - f_qevap[j]), 0.0) + f_rating[j]
    for f in range(ta.ef_cell.size):
        q = w.qface_end[f]
        if q < 0.0:
            w.out_rate[ta.ef_cell[f]] -= q
            w.n_out[ta.ef_cell[f]] += 1
        else:
            w.node_qout[ta.ef_node[f]] += q
    # A reach cell with one way out gives at most cr (2 - cr) <= 1 of its mass per sub-step
    # (a flux-limited face value is at most (2 - cr) times its concentration); only cells
    # with more ways out need the safeguard below.
    n_div = 0
    for c in range(n_rc):
        if w.n_out[c] > 1:
            w.div_cells[n_div] = c
            n_div += 1
    for s in range(ta.st_from.size):
        q = f_sq[s]
        u = ta.st_from[s] if q > 0.0 else ta.st_to[s]
        w.node_qout[u] += abs(q)
    n_sub = 1
    for c in range(n_rc):
        vmin = min(w.v0[c], w.v1[c])
        if vmin > V_DRY_M3 and w.out_rate[c] > 0.0:
            need = int(np.ceil(dt * w.out_rate[c] / (max_courant * vmin) - 1e-12))
            if need > n_sub:
                n_sub = need
    if n_sub > MAX_SUBSTEPS:
        n_sub = MAX_SUBSTEPS
    n_order, loop_start = node_order(ta, f_sq, w)
    dts = dt / n_sub
    for c in range(n_rc):
        w.vs[c] = w.v0[c]
        if w.vs[c] > V_DRY_M3:
            for k in range(ntr):
                conc[c, k] = mass[c, k] / w.vs[c]
        for k in range(ntr):
            w.dmass[c, k] = 0.0
    # loads into reach cells, booked once for the whole step
    for c in range(n_rc):
        for k in range(ntr):
            bal[k, 0] += load_cell[c, k] * dt
    for sub in range(n_sub):
        w.frac_end[0] = (sub + 1) / n_sub
        for i in range(n_div):
            c = w.div_cells[i]
            for s in range(N_REACTIVE + 1):
                w.out_mass[c, s if s < N_REACTIVE else ntr - 1] = 0.0
        for j in range(n_nodes):
            for k in range(ntr):
                w.node_in[j, k] = 0.0
        # 1. reach-cell fluxes (g/s): limited inside reaches, upwind at the ends
        for f in range(ta.if_left.size):
            q = w.qface_int[f]
            if q >= 0.0:
                up, dn, far = ta.if_left[f], ta.if_right[f], ta.if_ll[f]
            else:
                up, dn, far = ta.if_right[f], ta.if_left[f], ta.if_rr[f]
            aq = abs(q)
            cr = aq * dts / w.vs[up] if w.vs[up] > V_DRY_M3 else 1.0
            div = w.n_out[up] > 1
            # every total column (group 0's five species and the tracer) gets its own
            # limited face value; source groups follow in _group_fluxes
            for s in range(N_REACTIVE + 1):
                k = s if s < N_REACTIVE else ntr - 1
                cu = conc[up, k]
                dc = conc[dn, k] - cu
                phi = 0.0
                if far >= 0 and limiter > 0 and dc != 0.0:
                    phi = _limiter((cu - conc[far, k]) / dc, limiter)
                fl = aq * (cu + 0.5 * phi * (1.0 - cr) * dc)
                w.flux_int[f, k] = fl
                if div:
                    w.out_mass[up, k] += fl * dts
        for f in range(ta.ef_cell.size):
            q = w.qface_end[f]
            if q < 0.0:
                c = ta.ef_cell[f]
                for k in range(ntr):
                    w.flux_end[f, k] = -q * conc[c, k]
                if w.n_out[c] > 1:
                    for s in range(N_REACTIVE + 1):
                        k = s if s < N_REACTIVE else ntr - 1
                        w.out_mass[c, k] += -q * conc[c, k] * dts
        for c in range(n_rc):
            if f_qlat[c] < 0.0 and w.n_out[c] > 1:
                for s in range(N_REACTIVE + 1):
                    k = s if s < N_REACTIVE else ntr - 1
                    w.out_mass[c, k] += -f_qlat[c] * conc[c, k] * dts
        # A cell never gives more than it holds at the start of the sub-step. One factor
        # per cell, from the totals, scales every column, so the source groups follow.
        for i in range(n_div):
            c = w.div_cells[i]
            fac = 1.0
            for s in range(N_REACTIVE + 1):
                k = s if s < N_REACTIVE else ntr - 1
                if w.out_mass[c, k] > mass[c, k] and w.out_mass[c, k] > 0.0:
                    fac = min(fac, max(mass[c, k], 0.0) / w.out_mass[c, k])
            w.scale[c] = fac
        if n_groups > 1:
            _group_fluxes(ta, conc, mass, limiter, dts, n_groups, w)
        for f in range(ta.ef_cell.size):
            if w.qface_end[f] < 0.0:
                c = ta.ef_cell[f]
                j = ta.ef_node[f]
                for k in range(ntr):
                    w.flux_end[f, k] *= w.scale[c]
                    w.node_in[j, k] += dts * w.flux_end[f, k]
        # 2. nodes, implicit, in flow order; reservoirs hold their boundary values
        for j in range(n_nodes):
            if ta.node_type[j] == NODE_RESERVOIR:
                for k in range(ntr):
                    conc[ta.node_vertex[j], k] = bc_conc[j, k]
        for i in range(loop_start):
            solve_node(
                w.order[i],
                ta,
                f_sq,
                f_qext,
                f_qevap,
                f_qbc,
                f_rating,
                mass,
                conc,
                load_node,
                bc_conc,
                dts,
                w,
                ntr,
            )
        if n_order > loop_start:
            for _sweep in range(200):
                change = 0.0
                for i in range(loop_start, n_order):
                    j = w.order[i]
                    vj = ta.node_vertex[j]
                    for k in range(ntr):
                        w.node_prev[k] = conc[vj, k]
                    solve_node(
                        j,
                        ta,
                        f_sq,
                        f_qext,
                        f_qevap,
                        f_qbc,
                        f_rating,
                        mass,
                        conc,
                        load_node,
                        bc_conc,
                        dts,
                        w,
                        ntr,
                    )
                    for k in range(ntr):
                        d = abs(conc[vj, k] - w.node_prev[k])
                        if d > change * (1.0 + abs(conc[vj, k])):
                            change = d / (1.0 + abs(conc[vj, k]))
                if change < 1e-15:
                    break
        # 3. apply: reach-cell fluxes (with their upwind cell's factor), withdrawals (the
        # loads into reach cells enter with the update below), node outflows, node masses
        for f in range(ta.if_left.size):
            if w.qface_int[f] >= 0.0:
                up, dn = ta.if_left[f], ta.if_right[f]
            else:
                up, dn = ta.if_right[f], ta.if_left[f]
            fac = w.scale[up]
            for k in range(ntr):
                fl = w.flux_int[f, k] * fac
                w.dmass[up, k] -= fl
                w.dmass[dn, k] += fl
        for c in range(n_rc):
            if f_qlat[c] < 0.0:
                qw = -f_qlat[c] * w.scale[c]
                for k in range(ntr):
                    fl = qw * conc[c, k]
                    w.dmass[c, k] -= fl
                    bal[k, 3] += fl * dts
        for f in range(ta.ef_cell.size):
            q = w.qface_end[f]
            c = ta.ef_cell[f]
            j = ta.ef_node[f]
            vj = ta.node_vertex[j]
            if q < 0.0:
                for k in range(ntr):
                    w.dmass[c, k] -= w.flux_end[f, k]
                    if ta.node_type[j] == NODE_RESERVOIR:
                        bal[k, 2] += w.flux_end[f, k] * dts
            elif q > 0.0:
                for k in range(ntr):
                    fl = q * conc[vj, k]
                    w.dmass[c, k] += fl
                    if ta.node_type[j] == NODE_RESERVOIR:
                        bal[k, 1] += fl * dts
        for s in range(ta.st_from.size):
            q = f_sq[s]
            if q == 0.0:
                continue
            u = ta.st_from[s] if q > 0.0 else ta.st_to[s]
            d = ta.st_to[s] if q > 0.0 else ta.st_from[s]
            if ta.node_type[u] == NODE_RESERVOIR:
                for k in range(ntr):
                    bal[k, 1] += abs(q) * conc[ta.node_vertex[u], k] * dts
            if ta.node_type[d] == NODE_RESERVOIR:
                for k in range(ntr):
                    bal[k, 2] += abs(q) * conc[ta.node_vertex[u], k] * dts
        for j in range(n_nodes):
            if ta.node_type[j] == NODE_RESERVOIR:
                continue
            vj = ta.node_vertex[j]
            cj = ta.node_cell[j]
            qo = max(-(f_qext[j] - f_qevap[j]), 0.0)
            stored = cj >= 0
            flowing = w.node_qout[j] > 0.0 or (stored and w.v1[cj] > 0.0)
            for k in range(ntr):
                bal[k, 0] += load_node[j, k] * dts
                if f_qbc[j] > 0.0:
                    bal[k, 1] += f_qbc[j] * bc_conc[j, k] * dts
                bal[k, 3] += qo * conc[vj, k] * dts
                bal[k, 2] += f_rating[j] * conc[vj, k] * dts
            if stored:
                # the node's mass from its balance, so conservation holds to round-off
                for k in range(ntr):
                    m = w.node_in[j, k] + dts * load_node[j, k] + mass[cj, k]
                    if f_qbc[j] > 0.0:
                        m += dts * f_qbc[j] * bc_conc[j, k]
                    for e in range(ta.node_st_ptr[j], ta.node_st_ptr[j + 1]):
                        s = ta.node_st[e]
                        q = f_sq[s]
                        if q == 0.0:
                            continue
                        u = ta.st_from[s] if q > 0.0 else ta.st_to[s]
                        if u != j:
                            m += dts * abs(q) * conc[ta.node_vertex[u], k]
                    out = dts * w.node_qout[j] * conc[vj, k]
                    w.step_in[j, k] += m - mass[cj, k]
                    w.step_out[j, k] += out
                    m -= out
                    mass[cj, k] = m if m > 0.0 else 0.0
            elif not flowing:
                c = ta.node_first_cell[j]
                for k in range(ntr):
                    w.dmass[c, k] += load_node[j, k]
                    if f_qbc[j] > 0.0:
                        w.dmass[c, k] += f_qbc[j] * bc_conc[j, k]
        # update the reach cells' masses, and their concentrations at the next sub-step's
        # volumes
        f1 = (sub + 1) / n_sub
        for c in range(n_rc):
            vn = w.v0[c] + f1 * (w.v1[c] - w.v0[c]) if sub + 1 < n_sub else w.v1[c]
            w.vs[c] = vn
            for k in range(ntr):
                m = mass[c, k] + (w.dmass[c, k] + load_cell[c, k]) * dts
                m = m if m > 0.0 else 0.0
                mass[c, k] = m
                w.dmass[c, k] = 0.0
                if vn > V_DRY_M3:
                    conc[c, k] = m / vn
    for c in range(n_rc, n_tc):
        if w.v1[c] > V_DRY_M3:
            for k in range(ntr):
                conc[c, k] = mass[c, k] / w.v1[c]
    return n_sub
