"""Land-use classes of the catchments and the parameters of the plain runoff model, with their
defaults, units, sources, confidence and allowed ranges (the runoff itself is in
``twin.forcing.runoff``)."""

from __future__ import annotations

from dataclasses import dataclass

LAND_USE_CLASSES = ("water", "paddy", "dry_land", "built_up", "green")
"""Land-use classes of ``[[catchments]] land_use`` (shares of the catchment area)."""


@dataclass(frozen=True)
class Parameter:
    default: float
    unit: str
    source: str
    confidence: str
    low: float = 0.0
    high: float = 1.0e3


_RANGES = {  # by name prefix
    "kc_": (0.0, 2.0),
    "wm_": (1.0, 1000.0),
    "b_exponent": (0.01, 3.0),
    "initial_soil_fraction": (0.0, 1.0),
    "paddy_": (0.0, 500.0),
    "rice_": (1.0, 367.0),
    "impervious_fraction": (0.0, 1.0),
    "depression_mm": (0.0, 50.0),
    "polder_fraction": (0.0, 1.0),
}


def parameter_range(name: str) -> tuple[float, float]:
    """Allowed (low, high) of a runoff parameter, for the config checker."""
    for prefix, rng in _RANGES.items():
        if name.startswith(prefix):
            return rng
    return (0.0, 1.0e3)


RUNOFF_PARAMETERS: dict[str, Parameter] = {
    "kc_water": Parameter(
        1.05, "-", "FAO-56 (Allen et al. 1998) Table 12, open water < 2 m deep", "published"
    ),
    "kc_rice": Parameter(
        1.10,
        "-",
        "FAO-56 Table 12 rice (Kc ini 1.05, mid 1.20, end 0.90-0.60), season mean",
        "estimated",
    ),
    "kc_dry": Parameter(
        0.80, "-", "FAO-56 Table 12 wheat/rapeseed season mean (rice-wheat rotation)", "estimated"
    ),
    "kc_green": Parameter(1.00, "-", "grass and woodland, FAO-56 order of magnitude", "assumed"),
    "wm_dry_mm": Parameter(
        120.0,
        "mm",
        "Xinanjiang tension-water capacity, humid south China 100-150 (Zhao 1992)",
        "assumed",
    ),
    "wm_green_mm": Parameter(
        150.0, "mm", "deeper roots than arable land; Zhao 1992 range", "assumed"
    ),
    "b_exponent": Parameter(0.3, "-", "Xinanjiang B for plains 0.1-0.4 (Zhao 1992)", "assumed"),
    "initial_soil_fraction": Parameter(0.6, "-", "initial W/WM (spin-up recommended)", "assumed"),
    "paddy_min_mm": Parameter(
        20.0, "mm", "lower suitable ponding depth, shallow-frequent irrigation 20-50 mm", "assumed"
    ),
    "paddy_max_mm": Parameter(50.0, "mm", "upper suitable ponding depth", "assumed"),
    "paddy_ponding_mm": Parameter(
        100.0,
        "mm",
        "ridge height / tolerated ponding depth (Taihu basin model 80-150 mm)",
        "assumed",
    ),
    "paddy_seepage_mm_d": Parameter(
        3.0,
        "mm d-1",
        "Taihu paddy infiltration measured 7.4 mm/d (Xu et al. 2018, PIAHS 379); "
        "net loss to ditches assumed lower",
        "estimated",
    ),
    "rice_start_doy": Parameter(
        166.0, "day of year", "transplanting mid-June, Taihu plain", "assumed"
    ),
    "rice_end_doy": Parameter(
        288.0, "day of year", "drained mid-October before harvest", "assumed"
    ),
    "impervious_fraction": Parameter(0.7, "-", "impervious share of built-up land", "assumed"),
    "depression_mm": Parameter(
        2.0, "mm", "impervious depression storage 1-3 mm (SWMM 5 manual range)", "published"
    ),
    "polder_fraction": Parameter(
        -1.0,
        "-",
        "share of the area draining through the polder pumps; default 1 when the catchment "
        "has polder_pump_capacity_m3s > 0, else 0",
        "assumed",
    ),
}
