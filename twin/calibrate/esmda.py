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
) -> np.ndarray:
    """One ES-MDA assimilation.

    Parameters
    ----------
    x : (P, N) parameters of the members, in the unbounded space.
    d_sim : (M, N) simulated data g(m_j).
    d_obs : (M,) observations; sd : (M,) their error sd (C_D = diag(sd^2)).
    alpha : the inflation factor of this iteration.
    e : (M, N) standard normal draws for the perturbed observations.

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
    if m <= n:
        c = cho_factor(b @ b.T + alpha * np.eye(m))
        return x + a @ (b.T @ cho_solve(c, innov))
    c = cho_factor(b.T @ b + alpha * np.eye(n))
    return x + a @ cho_solve(c, b.T @ innov)
