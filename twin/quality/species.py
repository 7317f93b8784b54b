"""Water-quality state variables, their units, and the derived totals TN and TP."""

from __future__ import annotations

SPECIES: tuple[str, ...] = ("on", "nh3n", "no3n", "op", "po4p", "tracer")
"""Transported species, all in mg/L (as N for nitrogen, as P for phosphorus)."""

LONG_NAMES: dict[str, str] = {
    "on": "organic nitrogen (as N)",
    "nh3n": "ammonia nitrogen NH3-N (as N)",
    "no3n": "nitrate nitrogen NO3-N (as N)",
    "op": "organic phosphorus (as P)",
    "po4p": "orthophosphate PO4-P (as P)",
    "tracer": "conservative tracer",
}

DERIVED: dict[str, tuple[str, ...]] = {
    "tn": ("on", "nh3n", "no3n"),
    "tp": ("op", "po4p"),
}
"""Totals computed as sums: total nitrogen and total phosphorus."""

ALL_NAMES: tuple[str, ...] = SPECIES + tuple(DERIVED)

INDEX: dict[str, int] = {name: i for i, name in enumerate(SPECIES)}
