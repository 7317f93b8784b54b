"""Prior distributions of calibration parameters and the unbounded space the smoother works in.

Priors (values in the parameter's own units; for a ``multiply`` parameter, the multiplier):

- ``uniform(low, high)``;
- ``normal(mean, sd)``, optionally truncated to ``[low, high]`` (either bound alone or both);
- ``lognormal(median, factor)`` or ``lognormal(median, sigma_log)``: ln v ~ N(ln median,
  sigma_log^2) with ``sigma_log = ln factor`` (about 68 % of the mass lies within a factor
  ``factor`` of the median), optionally truncated to ``[low, high]``.

Each is sampled by its quantile function at uniform draws u in (0, 1), truncation included
(v = F^-1(F(low) + u (F(high) - F(low)))), so that one stream of random numbers gives the
same ensemble on every machine.

The smoother updates x = T(v), an unbounded transform chosen by the support (lo, hi) of the
prior (Emerick and Reynolds 2013 work in such a space; the scaled logit is the usual choice
for bounded parameters, e.g. PEST++ IES and Chen and Oliver 2013):

    (-inf, inf): x = v;  (lo, inf): x = ln(v - lo);  (-inf, hi): x = -ln(hi - v);
    (lo, hi): x = ln((v - lo) / (hi - v))

A lognormal prior without bounds has support (0, inf), so x = ln v.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr, ndtri

DISTRIBUTIONS = ("uniform", "normal", "lognormal")
U_EPS = 1e-12
"""Draws are kept inside [U_EPS, 1 - U_EPS]: a bound itself maps to an infinite x."""


@dataclass(frozen=True)
class Prior:
    """A prior distribution (see the module docstring); ``low``/``high`` are the support."""

    distribution: str
    low: float = -math.inf
    high: float = math.inf
    mean: float = math.nan
    """Normal: the mean; lognormal: ln of the median."""
    sd: float = math.nan
    """Normal: the sd; lognormal: sigma_log."""

    # -------------------------------------------------------------- construction
    @staticmethod
    def uniform(low: float, high: float) -> Prior:
        return Prior("uniform", float(low), float(high))

    @staticmethod
    def normal(mean: float, sd: float, low=None, high=None) -> Prior:
        lo = -math.inf if low is None else float(low)
        hi = math.inf if high is None else float(high)
        return Prior("normal", lo, hi, float(mean), float(sd))

    @staticmethod
    def lognormal(median: float, factor=None, sigma_log=None, low=None, high=None) -> Prior:
        s = float(sigma_log) if sigma_log is not None else math.log(float(factor))
        lo = 0.0 if low is None else float(low)
        hi = math.inf if high is None else float(high)
        return Prior("lognormal", lo, hi, math.log(float(median)), s)

    # ----------------------------------------------------------------- sampling
    def _gauss_bounds(self) -> tuple[float, float]:
        """(F(low), F(high)) of the untruncated normal (of ln v for a lognormal)."""
        if self.distribution == "normal":
            a, b = self.low, self.high
        else:
            a = math.log(self.low) if self.low > 0 else -math.inf
            b = math.log(self.high) if math.isfinite(self.high) else math.inf
        return float(ndtr((a - self.mean) / self.sd)), float(ndtr((b - self.mean) / self.sd))

    def quantile(self, u) -> np.ndarray:
        """Value at cumulative probability ``u`` (array), truncation included."""
        u = np.clip(np.asarray(u, float), U_EPS, 1.0 - U_EPS)
        if self.distribution == "uniform":
            return self.low + u * (self.high - self.low)
        fa, fb = self._gauss_bounds()
        z = self.mean + self.sd * ndtri(fa + u * (fb - fa))
        v = np.exp(z) if self.distribution == "lognormal" else z
        # rounding at a bound must not put a value on or past it
        return np.clip(v, np.nextafter(self.low, math.inf), np.nextafter(self.high, -math.inf))

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return self.quantile(rng.uniform(size=n))

    @property
    def median(self) -> float:
        return float(self.quantile(0.5))

    def pdf(self, v) -> np.ndarray:
        """Density at ``v`` (for the figures), truncation included."""
        v = np.asarray(v, float)
        inside = (v > self.low) & (v < self.high)
        if self.distribution == "uniform":
            return np.where(inside, 1.0 / (self.high - self.low), 0.0)
        fa, fb = self._gauss_bounds()
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.distribution == "normal":
                z = (v - self.mean) / self.sd
                d = np.exp(-0.5 * z * z) / (self.sd * math.sqrt(2 * math.pi))
            else:
                z = (np.log(np.where(v > 0, v, 1.0)) - self.mean) / self.sd
                d = np.exp(-0.5 * z * z) / (
                    np.where(v > 0, v, 1.0) * self.sd * math.sqrt(2 * math.pi)
                )
        return np.where(inside, d / (fb - fa), 0.0)

    # ---------------------------------------------------------------- transform
    def to_x(self, v) -> np.ndarray:
        """The unbounded transform x = T(v) (module docstring)."""
        v = np.asarray(v, float)
        lo, hi = self.low, self.high
        with np.errstate(divide="ignore", invalid="ignore"):
            if math.isfinite(lo) and math.isfinite(hi):
                return np.log((v - lo) / (hi - v))
            if math.isfinite(lo):
                return np.log(v - lo)
            if math.isfinite(hi):
                return -np.log(hi - v)
        return v.copy()

    def to_value(self, x) -> np.ndarray:
        """The inverse of ``to_x``."""
        x = np.asarray(x, float)
        lo, hi = self.low, self.high
        if math.isfinite(lo) and math.isfinite(hi):
            # the logistic, written so that it does not overflow for large |x|
            e = np.exp(-np.abs(x))
            s = np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
            return lo + (hi - lo) * s
        if math.isfinite(lo):
            return lo + np.exp(x)
        if math.isfinite(hi):
            return hi - np.exp(-x)
        return x.copy()

    def describe(self) -> str:
        b = ""
        if self.distribution != "uniform" and (
            math.isfinite(self.high)
            or (self.distribution == "normal" and math.isfinite(self.low))
            or (self.distribution == "lognormal" and self.low > 0)
        ):
            b = f", bounds [{self.low:g}, {self.high:g}]"
        if self.distribution == "uniform":
            return f"uniform({self.low:g}, {self.high:g})"
        if self.distribution == "normal":
            return f"normal(mean {self.mean:g}, sd {self.sd:g}{b})"
        return f"lognormal(median {math.exp(self.mean):g}, factor {math.exp(self.sd):.4g}{b})"
