"""The variable registry contract: every variable says its units, location and meaning."""

import pytest

from twin.variables import REGISTRY, get
from twin.vocab.species import ALL_NAMES

CF_UNITS = {"m", "m3 s-1", "m s-1", "m2", "m3", "mg L-1", "degC", "kg"}


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_each_variable_is_fully_described(name):
    v = REGISTRY[name]
    assert v.name == name
    assert v.units in CF_UNITS
    assert v.location in ("node", "edge", "section", "storage")
    assert len(v.long_name) > 5
    attrs = v.attrs()
    assert attrs["units"] == v.units and attrs["long_name"] == v.long_name
    if v.standard_name:
        assert attrs["standard_name"] == v.standard_name


def test_every_species_has_field_section_and_storage_variables():
    for sp in ALL_NAMES:
        for prefix in ("", "section_", "storage_"):
            assert get(prefix + sp).units == "mg L-1"


def test_unknown_variable_names_the_known_ones():
    with pytest.raises(KeyError, match="known"):
        get("nitrogen")
