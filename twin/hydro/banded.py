"""Banded LU with partial pivoting for the node-level system of the three-level method.

The node system is sparse with the pattern of the network graph. Nodes are renumbered once
by reverse Cuthill-McKee (scipy.sparse.csgraph) so its bandwidth is small, then each
iteration factorises it in band storage (the LAPACK dgbtf2/dgbtrs algorithm, unblocked):
A[i, j] lives at ab[kl + ku + i - j, j]; the extra kl rows hold the fill from row swaps.
"""

from __future__ import annotations

import numba
import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import reverse_cuthill_mckee


def node_ordering(n_nodes: int, pairs: np.ndarray) -> tuple[np.ndarray, int]:
    """(position of each node in the band order, half-bandwidth) for coupled node pairs."""
    if n_nodes == 0:
        return np.zeros(0, np.int64), 0
    if pairs.size == 0:
        return np.arange(n_nodes, dtype=np.int64), 0
    i = np.concatenate([pairs[:, 0], pairs[:, 1]])
    j = np.concatenate([pairs[:, 1], pairs[:, 0]])
    g = csr_matrix((np.ones(i.size), (i, j)), shape=(n_nodes, n_nodes))
    order = reverse_cuthill_mckee(g, symmetric_mode=True)
    pos = np.empty(n_nodes, np.int64)
    pos[order] = np.arange(n_nodes)
    bw = int(np.max(np.abs(pos[pairs[:, 0]] - pos[pairs[:, 1]])))
    return pos, bw


@numba.njit(cache=True, inline="always")
def band_add(ab, kl, ku, i, j, value):
    """A[i, j] += value."""
    ab[kl + ku + i - j, j] += value


@numba.njit(cache=True)
def band_factor_solve(ab, kl, ku, rhs, ipiv):
    """Solve A x = rhs in place (rhs becomes x); ab is overwritten by the LU factors.

    Returns 0 on success, or 1 + the column where a zero pivot appeared.
    """
    n = ab.shape[1]
    kv = kl + ku
    for j in range(n):
        km = min(kl, n - 1 - j)
        # pivot search in column j, rows j..j+km
        p = 0
        best = abs(ab[kv, j])
        for i in range(1, km + 1):
            v = abs(ab[kv + i, j])
            if v > best:
                best = v
                p = i
        ipiv[j] = j + p
        if best == 0.0:
            return j + 1
        ju = min(j + kv, n - 1)
        if p != 0:
            for c in range(j, ju + 1):
                r1 = kv + j - c
                r2 = kv + j + p - c
                tmp = ab[r1, c]
                ab[r1, c] = ab[r2, c]
                ab[r2, c] = tmp
        piv = ab[kv, j]
        for i in range(1, km + 1):
            ab[kv + i, j] /= piv
        for c in range(j + 1, ju + 1):
            ujc = ab[kv + j - c, c]
            if ujc != 0.0:
                for i in range(1, km + 1):
                    ab[kv + j + i - c, c] -= ab[kv + i, j] * ujc
    # forward: L y = P b
    for j in range(n):
        km = min(kl, n - 1 - j)
        p = ipiv[j]
        if p != j:
            tmp = rhs[j]
            rhs[j] = rhs[p]
            rhs[p] = tmp
        bj = rhs[j]
        for i in range(1, km + 1):
            rhs[j + i] -= ab[kv + i, j] * bj
    # backward: U x = y
    for j in range(n - 1, -1, -1):
        rhs[j] /= ab[kv, j]
        bj = rhs[j]
        for i in range(max(0, j - kv), j):
            rhs[i] -= ab[kv + i - j, j] * bj
    return 0
