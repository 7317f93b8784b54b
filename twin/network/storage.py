"""Storage of the network's nodes: junctions (a fixed surface area) and storage nodes (a
level-area table, ``NetworkArrays.st_*``), as a numba kernel."""

from __future__ import annotations

import numba


@numba.njit(cache=True)
def node_storage(j, z, net):
    """(volume m3, surface area m2) of node j at level z (m); ``net`` is the
    ``NetworkArrays``.

    Junctions: V = A_j z with their fixed area A_j (a volume relative to the datum: only its
    changes matter). Storage nodes: the exact integral of the level-area table, linear
    between its rows, V(z) = V_k + A_k s + (A_(k+1) - A_k) s^2 / (2 (z_(k+1) - z_k)) with
    s = z - z_k, and constant area beyond its ends."""
    lo = net.node_st_ptr[j]
    hi = net.node_st_ptr[j + 1]
    if hi == lo:
        return net.node_area[j] * z, net.node_area[j]
    lv = net.st_level
    ar = net.st_area
    vo = net.st_volume
    if z <= lv[lo]:
        return vo[lo] + ar[lo] * (z - lv[lo]), ar[lo]
    if z >= lv[hi - 1]:
        return vo[hi - 1] + ar[hi - 1] * (z - lv[hi - 1]), ar[hi - 1]
    k = lo
    while z > lv[k + 1]:
        k += 1
    s = z - lv[k]
    slope = (ar[k + 1] - ar[k]) / (lv[k + 1] - lv[k])
    return vo[k] + s * (ar[k] + 0.5 * slope * s), ar[k] + slope * s


@numba.njit(cache=True)
def node_areas(net, z_node, out):
    """Surface area (m2) of every node at the levels z_node (m), into out."""
    for j in range(z_node.size):
        _, a = node_storage(j, z_node[j], net)
        out[j] = a
