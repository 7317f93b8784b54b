"""Wetting and drying in the Preissmann step (with the slot and the film of
``twin.network.sections``). A point is dry when its level is below its bed at the start of
the step.

1. Frozen points. A dry interior point whose neighbours are dry too, and whose cells
   receive no lateral inflow, is frozen for the step: no flow through it and its level
   held (the dry flag of SOBEK and D-Flow 1D, which close dry flow links; here a box with a
   frozen point keeps only its continuity, which ties the other point's level to its
   discharge, see ``box.frozen_box``). A dry stretch is thus inert inside and exchanges
   water only through its end points; without this its slot levels, which cost almost no
   storage, drift in the box scheme's 2 dx mode and drain down the bed. A wetting front
   advances at most one point a step, at most dx/dt.
2. Shallow and dry boxes. A box whose shallower end has a hydraulic depth A/B below h_wet
   (``wet_depth_m``, default 0.2 m) at the start of the step, or is dry, is blended with
   weight w = max(A/B, 0)/h_wet on the box above toward an upwind form: the flow area and
   conveyance of the end whose level is the higher at the iterate (Newton-linearised in
   that level, dK/dZ taken as 5/3 K B/A), the discharge weight moved from psi to the box's
   downstream point (psi_m = w psi + 1 - w), and the convection scaled by w (inertia
   dropped near dry, as in the local partial inertia of Fread, Jin and Lewis 1996). Why: in
   a film at rest the centred box barely couples its two discharges, Q_(i+1) ~ -Q_i, so
   water entering a dry reach would leave the next point with the opposite sign; with the
   weight on one point each box's momentum sets one discharge, and the discharge from a
   wet point into a dry one follows the wet side's geometry, like the upwind depth of the
   fluxes of staggered wetting-drying schemes (Stelling and Duinmeijer 2003, Int. J. Numer.
   Meth. Fluids 43). A box with both ends at least h_wet deep is the box above, bit for
   bit. The friction Jacobian of a shallow box adds g A dt s_lam / K (s_lam =
   ``box.LAMINAR_SLOPE``), which its residual takes away again: it damps the Newton step
   where the derivative of Q|Q| vanishes (a film at rest) and leaves the converged solution
   Manning's (``box.shallow_momentum_row``).
3. Wetting points. A(Z) has the slot's width below the bed and the section's above, so a
   Newton step from a dry iterate overshoots by their ratio (metres). After each linear
   solution, points lifted above their bed, or by more than half their depth, get their
   storage linearised again about the level where the true A equals the area the solution
   gave them, and the same linear system is solved again (``relinearise_rising``, at most
   ``step.MAX_PASSES`` solutions an iteration): the inner iteration of a nested Newton
   method for piecewise-linear storage (Casulli 2009, Int. J. Numer. Meth. Fluids 60;
   Casulli and Zanolli 2010, SIAM J. Sci. Comput. 32). Volume stays conserved: the carried
   area is that of the linearisation solved.
4. Convergence and the jump check measure a level change at a dry point (and at a dry
   junction) as the depth over the bed it stands for, times b_slot / b_bed
   (``WetDry.dry_scale``). Withdrawals (negative laterals) taper off with the depth at the
   start of the step below h_wet (``boundaries.external_flows``).

Approximate: in boxes shallower than h_wet the momentum balance is first order (upwind
geometry, one-sided discharge, no convection), and friction at a front is that of the
upwind end's depth; a front is spread over a box or two, and advances at most dx/dt. At a
front that advances upstream into a dry reach the slot level of the dry point ahead of it
can be drawn down, by up to about 2 m in the harshest cases tried (it costs little
storage); the slot's widening below D limits this.
"""

from __future__ import annotations

import numba

from ..network.sections import eval_points
from ..vocab.codes import BC_RATING
from .boundaries import rating_flow

BOX_WET, BOX_SHALLOW, BOX_FROZEN = 0, 1, 2
"""How a box is written this step (``WetDry.box_kind``; see the module docstring)."""

SHALLOW_FACTOR = 2.0
"""Points shallower than this many wet depths are checked for wetting (see
``relinearise_rising``); deeper ones never are."""

RELINEARISE_RATIO = 1.5
"""Growth of a point's top width within one solution above which its storage is
linearised again about the new level (see ``relinearise_rising``)."""


@numba.njit(cache=True)
def prepare_time_n(net, tab, bc, w, par):
    """Geometry at time n (w.tn.an, bn, kn, fn), Q^2/A_f (w.tn.qqa_n), wetness (w.wd.wet_n,
    box_kind, box_w, reach_special, counts) and frozen points (w.wd.frozen, whose Q^n is
    set to 0), once per (sub)step, after the step's laterals (w.fl.qlat). Rating-curve
    outflow at time n into w.tn.rating_n. The storage at time n is the carried one (w.tn.ac,
    vnode_n, copied from the state), not re-evaluated from levels."""
    tn = w.tn
    wd = w.wd
    qlat = w.fl.qlat
    eval_points(
        tn.zn,
        0,
        tn.zn.size,
        net.pt_bed,
        net.pt_sec_a,
        net.pt_sec_b,
        net.pt_w,
        tab,
        par.slot_depth_m,
        tn.an,
        tn.bn,
        tn.kn,
        tn.fn,
    )
    bed = net.pt_bed
    h_wet = par.wet_depth_m
    shallow = SHALLOW_FACTOR * h_wet
    n_frozen = 0
    n_shallow = 0
    for r in range(net.reach_from.size):
        p0 = net.reach_pt[r]
        p1 = net.reach_pt[r + 1]
        # how wet: dry (below the bed), shallow (hydraulic depth A/B below h_wet) or wet
        n_dry = 0
        for p in range(p0, p1):
            h = tn.zn[p] - bed[p]
            dry = h <= 0.0
            wd.frozen[p] = dry  # for now: dry or not
            wd.wet_n[p] = not dry and tn.fn[p] >= h_wet * tn.bn[p]
            if dry:
                n_dry += 1
            if h < shallow:
                n_shallow += 1
        if n_dry >= 3:
            # frozen: dry, with dry neighbours in the reach (never a reach end) and no
            # lateral inflow into its cells
            dry_before = wd.frozen[p0]
            wd.frozen[p0] = False
            for p in range(p0 + 1, p1 - 1):
                dry_here = wd.frozen[p]
                c = p - r
                wd.frozen[p] = (
                    dry_before
                    and dry_here
                    and wd.frozen[p + 1]
                    and qlat[c - 1] == 0.0
                    and qlat[c] == 0.0
                )
                dry_before = dry_here
            wd.frozen[p1 - 1] = False
        elif n_dry > 0:
            for p in range(p0, p1):
                wd.frozen[p] = False
        special = 0
        for p in range(p0, p1):
            if wd.frozen[p]:
                tn.qn[p] = 0.0  # no flow through a frozen point this step
                n_frozen += 1
            tn.qqa_n[p] = tn.qn[p] * tn.qn[p] / tn.fn[p]
            if p > p0:
                c = p - 1 - r
                if wd.frozen[p - 1] or wd.frozen[p]:
                    wd.box_kind[c] = BOX_FROZEN
                    special += 1
                elif not (wd.wet_n[p - 1] and wd.wet_n[p]):
                    wd.box_kind[c] = BOX_SHALLOW
                    # weight of the centred box: the shallower end's hydraulic depth
                    # A/B over h_wet (0 if dry)
                    d_i = tn.fn[p - 1] / tn.bn[p - 1] if tn.zn[p - 1] > bed[p - 1] else 0.0
                    d_j = tn.fn[p] / tn.bn[p] if tn.zn[p] > bed[p] else 0.0
                    wd.box_w[c] = min(min(d_i, d_j) / h_wet, 1.0)
                    special += 1
                else:
                    wd.box_kind[c] = BOX_WET
        wd.reach_special[r] = special
    wd.counts[0] = n_shallow
    wd.counts[1] = n_frozen
    for j in range(tn.znode_n.size):
        if bc.kind[j] == BC_RATING:
            qr, _ = rating_flow(j, tn.znode_n[j], bc)
            tn.rating_n[j] = qr
        else:
            tn.rating_n[j] = 0.0


@numba.njit(cache=True)
def relinearise_rising(net, tab, w, par):
    """Re-linearise the storage of points that the linear solution just found lifts far:
    a dry point rising above its bed (its storage was linearised with the slot's width),
    or a point rising by more than half its depth (a V-shaped section). Where A(Z) is
    convex (the section widens with depth) the tangent at the iterate lies below A and such
    a step overshoots (by the ratio of the widths: metres for a slot). The solution assigned
    the point the area T = A_k + B_k (Z - Z_k); find the level Z_T where the true
    A(Z_T) = T (Newton from above, monotone for a convex A) and, if the width there exceeds
    RELINEARISE_RATIO times the one used, linearise about Z_T instead (w.it.a, w.it.b), for
    another solution of the same linear system (the inner iteration of a nested Newton
    method, Casulli and Zanolli 2010). Only points shallower than SHALLOW_FACTOR h_wet are
    looked at (none at all when no point was at the start of the step). Returns how many
    points changed. Scratch: w.it.alin (written only after the last pass) and the time-n
    geometry w.tn.an, bn, kn, fn (used up by then: what later passes need of it is kept in
    w.wd.box_w and w.tn.qqa_n)."""
    it = w.it
    tn = w.tn
    sw = w.sw
    bed = net.pt_bed
    slot_depth = par.slot_depth_m
    shallow = SHALLOW_FACTOR * par.wet_depth_m
    changed = 0
    for r in range(net.reach_from.size):
        zu = it.znode_new[net.reach_from[r]]
        zd = it.znode_new[net.reach_to[r]]
        for p in range(net.reach_pt[r], net.reach_pt[r + 1]):
            h = it.zk[p] - bed[p]
            if h >= shallow:
                continue
            z = sw.cz[p, 0] + sw.cz[p, 1] * zu + sw.cz[p, 2] * zd
            rise = z - it.zk[p]
            if not rise > 0.0:
                continue
            if h >= 0.0:
                if rise <= 0.5 * h:
                    continue
            elif z <= bed[p]:
                continue
            target = it.a[p] + it.b[p] * rise
            zt = z
            for _ in range(30):
                it.alin[p] = zt
                eval_points(
                    it.alin,
                    p,
                    p + 1,
                    bed,
                    net.pt_sec_a,
                    net.pt_sec_b,
                    net.pt_w,
                    tab,
                    slot_depth,
                    tn.an,
                    tn.bn,
                    tn.kn,
                    tn.fn,
                )
                step = (tn.an[p] - target) / tn.bn[p]
                zt -= step
                if abs(step) < 1e-9 * (1.0 + abs(zt)):
                    break
            it.alin[p] = zt
            eval_points(
                it.alin,
                p,
                p + 1,
                bed,
                net.pt_sec_a,
                net.pt_sec_b,
                net.pt_w,
                tab,
                slot_depth,
                tn.an,
                tn.bn,
                tn.kn,
                tn.fn,
            )
            if tn.bn[p] > RELINEARISE_RATIO * it.b[p]:
                it.a[p] = tn.an[p] + tn.bn[p] * (it.zk[p] - zt)
                it.b[p] = tn.bn[p]
                changed += 1
    return changed
