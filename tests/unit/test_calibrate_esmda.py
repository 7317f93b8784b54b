"""ES-MDA on a linear-Gaussian problem: with a large ensemble the K assimilations together
give the analytic Gaussian posterior (Emerick and Reynolds 2013, section 2.3); the gain
solved through either SPD system equals the textbook formula."""

from __future__ import annotations

import numpy as np
import pytest

from twin.calibrate import esmda


def _problem(rng, p=3, m=5):
    g = rng.normal(size=(m, p))
    mu = np.array([1.0, -0.5, 2.0])[:p]
    lower = rng.normal(size=(p, p)) * 0.3 + np.eye(p)
    c_m = lower @ lower.T
    sd = np.linspace(0.2, 0.6, m)
    truth = mu + np.linalg.cholesky(c_m) @ rng.normal(size=p)
    d = g @ truth + sd * rng.normal(size=m)
    return g, mu, c_m, sd, d


def test_linear_gaussian_posterior_mean_and_covariance():
    rng = np.random.default_rng(11)
    g, mu, c_m, sd, d = _problem(rng)
    n, k = 40_000, 4
    x = mu[:, None] + np.linalg.cholesky(c_m) @ rng.normal(size=(3, n))
    for a in esmda.alphas(k):
        x = esmda.update(x, g @ x, d, sd, a, rng.standard_normal((d.size, n)))
    c_d_inv = np.diag(1.0 / sd**2)
    c_post = np.linalg.inv(np.linalg.inv(c_m) + g.T @ c_d_inv @ g)
    m_post = c_post @ (np.linalg.solve(c_m, mu) + g.T @ c_d_inv @ d)
    s_post = np.sqrt(np.diag(c_post))
    # Monte Carlo: the mean within 5 standard errors, the covariance within 5 % of the sds
    assert np.all(np.abs(x.mean(axis=1) - m_post) < 5 * s_post / np.sqrt(n))
    c_ens = np.cov(x)
    assert np.all(np.abs(c_ens - c_post) < 0.05 * np.outer(s_post, s_post))


def test_alphas_sum_of_inverses_is_one():
    for k in (1, 2, 4, 7):
        a = esmda.alphas(k)
        assert a.size == k and np.sum(1.0 / a) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        esmda.alphas(0)


@pytest.mark.parametrize(("m", "n"), [(4, 10), (25, 10)])
def test_gain_equals_the_textbook_formula(m, n):
    """Both SPD systems (M <= N and M > N) give m_j + C_MD (C_DD + alpha C_D)^-1 (d_j - g_j)."""
    rng = np.random.default_rng(m)
    x = rng.normal(size=(3, n))
    d_sim = rng.normal(size=(m, n))
    d_obs = rng.normal(size=m)
    sd = rng.uniform(0.5, 2.0, size=m)
    e = rng.standard_normal((m, n))
    alpha = 3.0
    got = esmda.update(x, d_sim, d_obs, sd, alpha, e)
    dx = x - x.mean(axis=1, keepdims=True)
    dd = d_sim - d_sim.mean(axis=1, keepdims=True)
    c_md = dx @ dd.T / (n - 1)
    c_dd = dd @ dd.T / (n - 1)
    c_d = np.diag(sd**2)
    perturbed = d_obs[:, None] + np.sqrt(alpha) * sd[:, None] * e
    want = x + c_md @ np.linalg.solve(c_dd + alpha * c_d, perturbed - d_sim)
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)


def test_objective_is_the_weighted_sum_of_squares():
    d_sim = np.array([[1.0, 2.0], [3.0, 3.0]])
    got = esmda.objective(d_sim, np.array([1.0, 1.0]), np.array([1.0, 2.0]))
    np.testing.assert_allclose(got, [0 + 1.0, 1.0 + 1.0])


def test_localisation_keeps_a_parameter_the_data_do_not_see():
    """Five parameters the data see well and one they do not (a zero column of G), 32
    members: the textbook update shrinks the blind one through spurious correlations; the
    correlation-based localisation leaves most of its spread and still moves the others."""
    ratios = {0.0: [], 2.0: []}
    for seed in range(20):
        rng = np.random.default_rng(seed)
        m, n = 60, 32
        g = np.zeros((m, 6))
        g[:, :5] = rng.normal(size=(m, 5)) * 3.0
        d = g @ rng.normal(size=6) + rng.normal(size=m)
        x0 = rng.normal(size=(6, n))
        e = [rng.standard_normal((m, n)) for _ in range(4)]
        for loc in ratios:
            x = x0.copy()
            for a, ek in zip(esmda.alphas(4), e, strict=True):
                x = esmda.update(x, g @ x, d, np.ones(m), a, ek, localize=loc)
            s = x.std(axis=1, ddof=1) / x0.std(axis=1, ddof=1)
            ratios[loc].append(s)
    plain, local = np.array(ratios[0.0]), np.array(ratios[2.0])
    assert np.mean(local[:, 5]) > np.mean(plain[:, 5])
    assert np.mean(local[:, 5]) > 0.9
    assert np.all(local[:, :5] < 0.5)  # the seen ones are still constrained
