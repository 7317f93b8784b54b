"""Observable quantities, their canonical units and the unit spellings accepted in station
files, with the conversion to the canonical unit.

Canonical units are those of the model's outputs: m for water levels (in the model's vertical
datum), m3/s for discharges, degrees Celsius for water temperature, mg/L for concentrations
(as N for nitrogen, as P for phosphorus, as O2 for DO, COD, CODMn and BOD5) and ug/L for
chlorophyll-a. A value converts as ``canonical = value * scale + offset``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Quantity:
    name: str
    unit: str
    """Canonical unit (CF spelling)."""
    long_name: str
    units: dict[str, tuple[float, float]]
    """Accepted spellings (lower case, spaces folded) -> (scale, offset) to the canonical unit."""
    lower: float = 0.0
    """Smallest physically possible value in the canonical unit (-inf where none)."""


_MG_L = {
    "mg/l": (1.0, 0.0),
    "mg l-1": (1.0, 0.0),
    "mg l^-1": (1.0, 0.0),
    "g/m3": (1.0, 0.0),
    "g m-3": (1.0, 0.0),
    "ug/l": (1e-3, 0.0),
    "ug l-1": (1e-3, 0.0),
    "µg/l": (1e-3, 0.0),
    "μg/l": (1e-3, 0.0),
}
_UG_L = {
    "ug/l": (1.0, 0.0),
    "ug l-1": (1.0, 0.0),
    "µg/l": (1.0, 0.0),
    "μg/l": (1.0, 0.0),
    "mg/m3": (1.0, 0.0),
    "mg m-3": (1.0, 0.0),
    "mg/l": (1e3, 0.0),
    "mg l-1": (1e3, 0.0),
}


def _concentration(name: str, long_name: str) -> Quantity:
    return Quantity(name, "mg L-1", long_name, _MG_L)


QUANTITIES: dict[str, Quantity] = {
    q.name: q
    for q in (
        Quantity(
            "water_level",
            "m",
            "water level above the model's vertical datum",
            {"m": (1.0, 0.0), "cm": (0.01, 0.0), "mm": (0.001, 0.0)},
            lower=float("-inf"),
        ),
        Quantity(
            "discharge",
            "m3 s-1",
            "discharge (positive downstream along the reach)",
            {"m3/s": (1.0, 0.0), "m3 s-1": (1.0, 0.0), "m^3/s": (1.0, 0.0), "l/s": (1e-3, 0.0)},
            lower=float("-inf"),
        ),
        Quantity(
            "water_temperature",
            "degC",
            "water temperature",
            {"degc": (1.0, 0.0), "°c": (1.0, 0.0), "c": (1.0, 0.0), "k": (1.0, -273.15)},
            lower=-2.0,
        ),
        _concentration("nh3n", "ammonia nitrogen NH3-N (as N)"),
        _concentration("tp", "total phosphorus (as P)"),
        _concentration("tn", "total nitrogen (as N)"),
        _concentration("no3n", "nitrate nitrogen (as N)"),
        _concentration("po4p", "orthophosphate (as P)"),
        _concentration("do", "dissolved oxygen"),
        _concentration("codmn", "permanganate index COD_Mn (as O2)"),
        _concentration("cod", "chemical oxygen demand COD_Cr (as O2)"),
        _concentration("bod5", "five-day biochemical oxygen demand (as O2)"),
        Quantity("chla", "ug L-1", "chlorophyll-a", _UG_L),
    )
}
"""Every quantity a station file may hold."""

AGGREGATIONS: dict[str, str] = {
    "instant": "a sample at the given time",
    "daily_mean": "mean over the day starting at the given time",
    "monthly_mean": "mean over the calendar month starting at the given time",
    "annual_mean": "mean over the calendar year starting at the given time",
}


def fold_unit(text: str) -> str:
    """A unit spelling as looked up in ``Quantity.units``: lower case, spaces folded."""
    return " ".join(text.strip().lower().split())


def conversion(quantity: str, unit: str) -> tuple[float, float] | None:
    """(scale, offset) from ``unit`` to the canonical unit of ``quantity``; None when the
    spelling is not known for that quantity."""
    return QUANTITIES[quantity].units.get(fold_unit(unit))
