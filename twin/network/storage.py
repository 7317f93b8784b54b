"""Storage of the network's nodes: volume and surface area of a node at a level, from its
level-area table (storage nodes) or its constant surface (junctions)."""

from __future__ import annotations

import numba


@numba.njit(cache=True)
def node_storage(j, z, net):
    """(volume m3, surface area m2) of node j at level z. Junctions: area * z (a volume
    relative to the datum: only its changes matter). Storage nodes: the exact integral of
    the linear level-area table, constant area beyond its ends."""
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
