"""Unit conversion of forcing variables (twin.forcing.units) against hand calculations."""

import pytest

from twin.forcing.units import (
    UnitError,
    parse_units,
    radiation_factor,
    temperature_offset,
    water_flux_factor,
)


@pytest.mark.parametrize(
    ("units", "factor", "per_step"),
    [
        ("kg m-2 s-1", 1e-3, False),  # 1 kg m-2 = 1 mm of water
        ("kg m**-2 s**-1", 1e-3, False),
        ("kg/m2/s", 1e-3, False),
        ("mm s-1", 1e-3, False),
        ("mm/h", 1e-3 / 3600, False),
        ("mm hr-1", 1e-3 / 3600, False),
        ("mm/hour", 1e-3 / 3600, False),
        ("mm d-1", 1e-3 / 86400, False),
        ("mm/day", 1e-3 / 86400, False),
        ("m s-1", 1.0, False),
        ("m", 1.0, True),  # ERA5 tp: metres accumulated over the step
        ("m of water equivalent", 1.0, True),
        ("mm", 1e-3, True),
        ("kg m-2", 1e-3, True),
    ],
)
def test_water_flux_factors(units, factor, per_step):
    f, ps = water_flux_factor(units)
    assert f == pytest.approx(factor, rel=1e-12)
    assert ps is per_step


def test_radiation_factors():
    assert radiation_factor("W m-2") == (1.0, False)
    assert radiation_factor("J m-2") == (1.0, True)
    f, ps = radiation_factor("MJ m-2 d-1")
    assert f == pytest.approx(1e6 / 86400) and not ps


@pytest.mark.parametrize("units", ["K", "kelvin", "degK"])
def test_kelvin(units):
    assert temperature_offset(units) == -273.15


@pytest.mark.parametrize("units", ["degC", "degree_Celsius", "Celsius", "C", "°C", "degrees_C"])
def test_celsius(units):
    assert temperature_offset(units) == 0.0


@pytest.mark.parametrize("units", ["furlong", "kg m-3", "mm/h/h", "W", "", "percent"])
def test_unknown_water_units_raise(units):
    with pytest.raises(UnitError):
        water_flux_factor(units)


def test_unknown_temperature_units_raise():
    with pytest.raises(UnitError):
        temperature_offset("degF")


def test_parse_dimensions():
    f, dims = parse_units("kg m-2 s-1")
    assert f == 1.0 and dims == (1, -2, -1, 0)
