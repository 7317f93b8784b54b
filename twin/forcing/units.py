"""Explicit unit conversion of forcing variables to the SI units used inside twin.

Water fluxes (precipitation, potential evaporation) become m s-1 of liquid water (depth per
second); a mass flux of water in kg m-2 s-1 is divided by the density of water, 1000 kg m-3,
so 1 kg m-2 = 1 mm. Amounts without a time unit (m, mm, kg m-2) are depths accumulated over one
time step of the file and are divided by that step. Temperatures become degrees Celsius;
shortwave radiation W m-2 (J m-2 per step divided by the step).
"""

from __future__ import annotations

import re

RHO_WATER_KG_M3 = 1000.0

_BASE = {
    # token -> (SI factor, mass exponent, length exponent, time exponent, energy exponent)
    "kg": (1.0, 1, 0, 0, 0),
    "g": (1e-3, 1, 0, 0, 0),
    "m": (1.0, 0, 1, 0, 0),
    "mm": (1e-3, 0, 1, 0, 0),
    "cm": (1e-2, 0, 1, 0, 0),
    "s": (1.0, 0, 0, 1, 0),
    "sec": (1.0, 0, 0, 1, 0),
    "second": (1.0, 0, 0, 1, 0),
    "seconds": (1.0, 0, 0, 1, 0),
    "min": (60.0, 0, 0, 1, 0),
    "h": (3600.0, 0, 0, 1, 0),
    "hr": (3600.0, 0, 0, 1, 0),
    "hour": (3600.0, 0, 0, 1, 0),
    "hours": (3600.0, 0, 0, 1, 0),
    "d": (86400.0, 0, 0, 1, 0),
    "day": (86400.0, 0, 0, 1, 0),
    "days": (86400.0, 0, 0, 1, 0),
    "w": (1.0, 0, 0, -1, 1),  # W = J s-1
    "j": (1.0, 0, 0, 0, 1),
    "mj": (1e6, 0, 0, 0, 1),
}

_WATER_WORDS = re.compile(
    r"\b(of\s+)?(water|liquid)(\s+equivalent)?\b|\bwater_equivalent\b|\bwe\b|\blwe\b"
)


class UnitError(ValueError):
    """The units string is not one twin knows how to convert."""


def parse_units(units: str) -> tuple[float, tuple[int, int, int, int]]:
    """SI factor and (mass, length, time, energy) exponents of a units string such as
    'kg m-2 s-1', 'kg m**-2 s**-1', 'mm/h', 'mm hr-1', 'm', 'W m^-2', 'J m-2'."""
    text = units.strip().lower()
    text = _WATER_WORDS.sub(" ", text)
    text = text.replace("**", "").replace("^", "").replace("·", " ").replace("*", " ")
    text = re.sub(r"\s+per\s+", "/", text)
    if not text.strip():
        raise UnitError(units)
    factor = 1.0
    dims = [0, 0, 0, 0]
    for part_no, part in enumerate(text.split("/")):
        sign = 1 if part_no == 0 else -1
        for tok in part.replace(".", " ").split():
            m = re.fullmatch(r"([a-z]+)(-?\d+)?", tok)
            if m is None or m.group(1) not in _BASE:
                if tok in ("1",):
                    continue
                raise UnitError(units)
            f, *d = _BASE[m.group(1)]
            p = int(m.group(2)) if m.group(2) else 1
            p *= sign
            factor *= f**p
            for k in range(4):
                dims[k] += d[k] * p
    return factor, tuple(dims)


def water_flux_factor(units: str) -> tuple[float, bool]:
    """(factor, per_step) so that value * factor is m s-1 of water, divided by the step in
    seconds when ``per_step`` (an accumulation over the step)."""
    f, dims = parse_units(units)
    if dims == (0, 1, -1, 0):
        return f, False
    if dims == (1, -2, -1, 0):
        return f / RHO_WATER_KG_M3, False
    if dims == (0, 1, 0, 0):
        return f, True
    if dims == (1, -2, 0, 0):
        return f / RHO_WATER_KG_M3, True
    raise UnitError(units)


def radiation_factor(units: str) -> tuple[float, bool]:
    """(factor, per_step) to W m-2; J m-2 amounts are per step."""
    f, dims = parse_units(units)
    if dims == (0, -2, -1, 1):
        return f, False
    if dims == (0, -2, 0, 1):
        return f, True
    raise UnitError(units)


_KELVIN = {"k", "kelvin", "degk", "deg_k", "degree_k", "degrees_k", "degreek", "degreesk"}
_CELSIUS = {
    "c", "degc", "deg_c", "degree_c", "degrees_c", "degreec", "degreesc", "celsius",
    "degree_celsius", "degrees_celsius", "°c", "℃", "deg c", "degree c", "degrees c",
}  # fmt: skip


def temperature_offset(units: str) -> float:
    """Offset to add to get degrees Celsius (-273.15 for kelvin, 0 for Celsius)."""
    u = units.strip().lower()
    if u in _KELVIN:
        return -273.15
    if u in _CELSIUS:
        return 0.0
    raise UnitError(units)
