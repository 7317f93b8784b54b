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

SPLIT_ASSUMED: dict[str, dict[str, float]] = {
    "tn": {"on": 0.25, "nh3n": 0.35, "no3n": 0.40},
    "tp": {"op": 0.40, "po4p": 0.60},
}
"""How a total given without its parts (a boundary's or lateral's TN or TP) is split.

Assumed, confidence low: typical proportions in Taihu-plain river water (organic N a
quarter of TN, ammonia about a third; dissolved orthophosphate somewhat over half of TP).
Give the parts explicitly where they are known; sources with their own split (sewage,
runoff) set it in ``twin.forcing``."""


def expand(conc: dict, split: dict[str, dict[str, float]] | None = None) -> dict:
    """Concentrations per transported species from a dict that may give tn/tp totals.

    A part given explicitly wins over the split of its total."""
    split = split or SPLIT_ASSUMED
    out: dict = {}
    for name, value in conc.items():
        if name in DERIVED:
            continue
        out[name] = value
    for total, parts in DERIVED.items():
        if total in conc:
            for part in parts:
                if part not in out:
                    out[part] = (total, split[total][part])
    return out
