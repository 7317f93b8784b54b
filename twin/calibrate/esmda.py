"""The ensemble smoother with multiple data assimilation (ES-MDA) on plain arrays.

Emerick, A. A. and Reynolds, A. C. (2013), Ensemble smoother with multiple data
assimilation, Computers & Geosciences 55, 3-15. With N members m_j (columns of X, in the
unbounded space of ``twin.calibrate.priors``), observations d with error covariance C_D
(diagonal here, sd sigma), K assimilations with inflation factors alpha_k (sum 1/alpha_k = 1;
``alphas`` gives alpha_k = K), each iteration k updates every member with its own
perturbed observations (their eq. 3-5):

    d_j = d + sqrt(alpha_k) C_D^1/2 e_j,   e_j ~ N(0, I)
    m_j <- m_j + C_MD (C_DD + alpha_k C_D)^-1 (d_j - g(m_j))

C_MD and C_DD are the ensemble cross-covariance of parameters and simulated data and the
covariance of the simulated data. With the anomalies A = (X - mean) / sqrt(N - 1) and the
C_D-scaled data anomalies B = C_D^-1/2 (D - mean) / sqrt(N - 1), the gain is

    C_MD (C_DD + alpha C_D)^-1 = A B^T (B B^T + alpha I_M)^-1 C_D^-1/2
                               = A (B^T B + alpha I_N)^-1 B^T C_D^-1/2

both symmetric positive definite systems; the smaller one (M observations or N members) is
solved by a Cholesky factorisation. In the linear-Gaussian case the K steps together give
the Gaussian posterior as N grows (Emerick and Reynolds 2013, section 2.3).

A small ensemble finds spurious correlations between parameters and data that have none,
and shrinks the spread of parameters the data do not see. ``localize`` = c > 0 applies
correlation-based localisation (Luo, Bhakta and Naevdal 2018, SPE Journal 23(2), 396-411;
the ``ies_autoadaloc`` option of PEST++ IES is of this kind): an element of the gain is kept
only where the ensemble correlation of that parameter with that datum exceeds c / sqrt(N),
c standard deviations of the correlation of two independent variables estimated from N
members. Off (c = 0) by default: the textbook method.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import cho_factor, cho_solve


def alphas(k: int) -> np.ndarray:
    """Inflation factors alpha_k = K for K iterations (sum of 1/alpha = 1)."""
    if k < 1:
        raise ValueError("at least one iteration")
    return np.full(k, float(k))


def objective(d_sim: np.ndarray, d_obs: np.ndarray, sd: np.ndarray) -> np.ndarray:
    """Weighted sum of squared residuals sum ((g(m) - d) / sigma)^2 per column of d_sim."""
    r = (d_sim - d_obs[:, None]) / sd[:, None]
    return np.sum(r * r, axis=0)


def update(
    x: np.ndarray,
    d_sim: np.ndarray,
    d_obs: np.ndarray,
    sd: np.ndarray,
    alpha: float,
    e: np.ndarray,
    localize: float = 0.0,
) -> np.ndarray:
    """One ES-MDA assimilation.

    Parameters
    ----------
    x : (P, N) parameters of the members, in the unbounded space.
    d_sim : (M, N) simulated data g(m_j).
    d_obs : (M,) observations; sd : (M,) their error sd (C_D = diag(sd^2)).
    alpha : the inflation factor of this iteration.
    e : (M, N) standard normal draws for the perturbed observations.
    localize : threshold c of the correlation-based localisation (0: none).

    Returns the updated (P, N) parameters.
    """
    n = x.shape[1]
    if n < 2:
        raise ValueError("an ensemble needs at least two members")
    a = (x - x.mean(axis=1, keepdims=True)) / np.sqrt(n - 1)
    b = (d_sim - d_sim.mean(axis=1, keepdims=True)) / sd[:, None] / np.sqrt(n - 1)
    # scaled innovations C_D^-1/2 (d_j - g(m_j)) with the perturbed observations
    innov = (d_obs[:, None] - d_sim) / sd[:, None] + np.sqrt(alpha) * e
    m = b.shape[0]
    if localize > 0:
        c = cho_factor(b.T @ b + alpha * np.eye(n))
        gain = a @ cho_solve(c, b.T)  # (P, M), on scaled innovations
        sa = np.sqrt(np.sum(a * a, axis=1))
        sb = np.sqrt(np.sum(b * b, axis=1))
        with np.errstate(divide="ignore", invalid="ignore"):
            rho = (a @ b.T) / np.outer(sa, sb)
        keep = np.abs(np.nan_to_num(rho)) > localize / np.sqrt(n)
        return x + (gain * keep) @ innov
    if m <= n:
        c = cho_factor(b @ b.T + alpha * np.eye(m))
        return x + (a @ b.T) @ cho_solve(c, innov)
    c = cho_factor(b.T @ b + alpha * np.eye(n))
    return x + a @ cho_solve(c, b.T @ innov)
