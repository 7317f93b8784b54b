"""Agreement of two outlet hydrographs, and the time a model needs to reach an accuracy.

- Nash-Sutcliffe efficiency NSE = 1 - sum (q - q_ref)^2 / sum (q_ref - mean q_ref)^2 (Nash &
  Sutcliffe 1970), over the times both runs sampled (the reference interpolated linearly
  onto the run's sampling times, within the shorter run's window);
- peak error (%) = 100 (max q - max q_ref) / max q_ref, each maximum over those times;
- peak timing error (min): time of the run's maximum minus the reference's.

Time to accuracy: among a model's runs of one case, the least wall time of a run whose NSE
and peak error against the reference meet the thresholds.
"""

from __future__ import annotations

import math

import numpy as np

NSE_MIN = 0.999
"""Threshold of 'the same accuracy': NSE against the reference of at least this..."""
PEAK_ERROR_MAX_PCT = 1.0
"""... and a peak within this many percent of the reference's."""


def nse(reference: np.ndarray, simulated: np.ndarray) -> float:
    """Nash-Sutcliffe efficiency of ``simulated`` against ``reference`` (nan when the
    reference does not vary, or has fewer than 3 values)."""
    reference = np.asarray(reference, float)
    simulated = np.asarray(simulated, float)
    if reference.size < 3 or np.ptp(reference) <= 1e-6 * np.abs(reference).max():
        return float("nan")
    spread = float(np.sum((reference - reference.mean()) ** 2))
    return 1.0 - float(np.sum((simulated - reference) ** 2)) / spread


def agreement(ref_t: np.ndarray, ref_q: np.ndarray, t: np.ndarray, q: np.ndarray) -> dict:
    """NSE, peak error (%) and peak timing error (min) of (t, q) against (ref_t, ref_q),
    on the run's sampling times inside the reference's window (nan where there are none)."""
    t = np.asarray(t, float)
    q = np.asarray(q, float)
    inside = (t >= ref_t[0] - 1e-6) & (t <= ref_t[-1] + 1e-6)
    t, q = t[inside], q[inside]
    r = np.interp(t, ref_t, ref_q)
    if t.size == 0 or not np.all(np.isfinite(q)):
        return {"nse": float("nan"), "peak_error_pct": float("nan"), "peak_time_error_min": None}
    k, kr = int(np.argmax(q)), int(np.argmax(r))
    return {
        "nse": nse(r, q),
        "peak_error_pct": float(100.0 * (q[k] - r[kr]) / r[kr]),
        "peak_time_error_min": float(t[k] - t[kr]) / 60.0,
    }


def meets(agree: dict, nse_min: float = NSE_MIN, peak_max_pct: float = PEAK_ERROR_MAX_PCT) -> bool:
    """True when an agreement reaches the accuracy thresholds."""
    e, p = agree.get("nse"), agree.get("peak_error_pct")
    if e is None or p is None or not (math.isfinite(e) and math.isfinite(p)):
        return False
    return bool(e >= nse_min and abs(p) <= peak_max_pct)


def time_to_accuracy(runs: list[dict], nse_min: float = NSE_MIN,
                     peak_max_pct: float = PEAK_ERROR_MAX_PCT) -> dict | None:  # fmt: skip
    """The fastest of ``runs`` (dicts with ``wall_s`` and an agreement) that meets the
    thresholds, or None when none does."""
    ok = [r for r in runs if meets(r, nse_min, peak_max_pct)]
    return min(ok, key=lambda r: r["wall_s"]) if ok else None
