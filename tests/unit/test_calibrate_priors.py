"""Priors: quantiles, truncation, densities, and the unbounded transforms round-trip."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from twin.calibrate.priors import Prior

PRIORS = [
    Prior.uniform(0.01, 0.6),
    Prior.normal(2.0, 0.5),
    Prior.normal(0.1, 0.2, low=0.0),
    Prior.normal(0.1, 0.2, high=0.3),
    Prior.normal(1.0, 0.5, low=0.5, high=1.5),
    Prior.lognormal(0.2, factor=2.0),
    Prior.lognormal(1.0, sigma_log=0.3, low=0.6, high=1.7),
    Prior.lognormal(1.0, factor=1.5, high=3.0),
]


@pytest.mark.parametrize("prior", PRIORS, ids=lambda p: p.describe())
def test_transform_round_trips_and_samples_stay_inside(prior):
    rng = np.random.default_rng(5)
    v = prior.sample(rng, 2000)
    assert np.all(v > prior.low) and np.all(v < prior.high)
    x = prior.to_x(v)
    assert np.all(np.isfinite(x))
    np.testing.assert_allclose(prior.to_value(x), v, rtol=1e-10, atol=1e-12)
    # and the other way round, far out in x
    xs = np.linspace(-30, 30, 61)
    back = prior.to_x(prior.to_value(xs))
    ok = np.isfinite(back)
    np.testing.assert_allclose(
        back[ok][np.abs(xs[ok]) < 20], xs[ok][np.abs(xs[ok]) < 20], atol=1e-6
    )
    assert np.all(np.diff(prior.to_x(np.sort(v))) >= 0)  # increasing


@pytest.mark.parametrize("prior", PRIORS, ids=lambda p: p.describe())
def test_density_integrates_to_one(prior):
    lo = prior.low if math.isfinite(prior.low) else float(prior.quantile(1e-9))
    hi = prior.high if math.isfinite(prior.high) else float(prior.quantile(1 - 1e-9))
    v = np.linspace(lo, hi, 400_001)[1:-1]
    assert np.trapezoid(prior.pdf(v), v) == pytest.approx(1.0, abs=2e-3)


def test_quantiles_match_scipy():
    u = np.array([0.01, 0.3, 0.5, 0.9])
    p = Prior.normal(1.0, 0.5, low=0.5, high=1.5)
    want = stats.truncnorm(-1.0, 1.0, loc=1.0, scale=0.5).ppf(u)
    np.testing.assert_allclose(p.quantile(u), want, rtol=1e-10)
    q = Prior.lognormal(0.2, factor=2.0)
    np.testing.assert_allclose(
        q.quantile(u), stats.lognorm(math.log(2.0), scale=0.2).ppf(u), rtol=1e-10
    )
    assert q.median == pytest.approx(0.2)
    assert Prior.uniform(1.0, 3.0).median == pytest.approx(2.0)


def test_a_seed_gives_the_same_ensemble():
    p = Prior.lognormal(1.0, factor=1.5)
    a = p.sample(np.random.default_rng(3), 10)
    b = p.sample(np.random.default_rng(3), 10)
    assert np.array_equal(a, b)
