"""The variable registry: one place that says what every output variable is.

Each entry drives the NetCDF attributes (units as CF strings, long_name, standard_name where
the CF standard name table has one) and says where on the 1-D mesh the variable lives.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .vocab.species import DERIVED, LONG_NAMES, SPECIES

Location = Literal["node", "edge", "section", "storage"]
"""node: mesh1d nodes (computational points); edge: mesh1d edges (the cells between points);
section: assessment sections; storage: storage nodes (lakes)."""


@dataclass(frozen=True)
class Variable:
    name: str
    units: str
    location: Location
    long_name: str
    standard_name: str | None = None

    def attrs(self) -> dict[str, str]:
        a = {"units": self.units, "long_name": self.long_name}
        if self.standard_name:
            a["standard_name"] = self.standard_name
        return a


_HYDRO = [
    Variable(
        "water_level",
        "m",
        "node",
        "water level above the vertical datum",
        "water_surface_height_above_reference_datum",
    ),
    Variable("water_depth", "m", "node", "water depth above the lowest bed point"),
    Variable(
        "discharge",
        "m3 s-1",
        "edge",
        "discharge, positive in the reach direction",
        "water_volume_transport_in_river_channel",
    ),
    Variable(
        "velocity", "m s-1", "edge", "cross-section mean velocity, positive in the reach direction"
    ),
    Variable("flow_area", "m2", "edge", "wetted cross-section area"),
    Variable(
        "section_water_level",
        "m",
        "section",
        "water level at the assessment section",
        "water_surface_height_above_reference_datum",
    ),
    Variable(
        "section_discharge",
        "m3 s-1",
        "section",
        "discharge at the assessment section",
        "water_volume_transport_in_river_channel",
    ),
    Variable(
        "storage_water_level",
        "m",
        "storage",
        "water level of the storage node",
        "water_surface_height_above_reference_datum",
    ),
    Variable("storage_volume", "m3", "storage", "water volume of the storage node"),
]

_QUALITY = []
for _sp in (*SPECIES, *DERIVED):
    _long = LONG_NAMES.get(
        _sp, {"tn": "total nitrogen (as N)", "tp": "total phosphorus (as P)"}.get(_sp)
    )
    _QUALITY.append(Variable(_sp, "mg L-1", "edge", f"concentration of {_long}"))
    _QUALITY.append(
        Variable(f"section_{_sp}", "mg L-1", "section", f"concentration of {_long} at the section")
    )
    _QUALITY.append(
        Variable(
            f"storage_{_sp}", "mg L-1", "storage", f"concentration of {_long} in the storage node"
        )
    )

_QUALITY.append(Variable("water_temperature", "degC", "edge", "water temperature"))
for _sp, _long in (("tn", "total nitrogen (as N)"), ("tp", "total phosphorus (as P)")):
    _QUALITY.append(
        Variable(
            f"section_{_sp}_by_source",
            "mg L-1",
            "section",
            f"{_long} at the section that came from each source group (source apportionment)",
        )
    )

for _sp, _long in (("tn", "total nitrogen (as N)"), ("tp", "total phosphorus (as P)")):
    for _way, _text in (
        ("in", "entered the storage node through reaches, structures, loads and boundary inflow"),
        ("out", "left the storage node through reaches, structures, withdrawals and outflow"),
    ):
        _QUALITY.append(
            Variable(
                f"storage_{_sp}_mass_{_way}",
                "kg",
                "storage",
                f"mass of {_long} that {_text}, cumulative since the start of the run",
            )
        )
    _QUALITY.append(
        Variable(
            f"storage_{_sp}_mass_in_by_source",
            "kg",
            "storage",
            f"mass of {_long} that entered the storage node, cumulative since the start of the "
            "run, by source group (source apportionment)",
        )
    )

REGISTRY: dict[str, Variable] = {v.name: v for v in (*_HYDRO, *_QUALITY)}


def get(name: str) -> Variable:
    """The registry entry for ``name``; KeyError names the known variables."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown variable '{name}'; known: {', '.join(sorted(REGISTRY))}") from None
