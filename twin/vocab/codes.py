"""Kind codes shared by the config, the compiled arrays and the kernels: boundary kinds per
node, structure kinds, and the angular speeds of the standard tidal constituents."""

from __future__ import annotations

# Boundary kinds per node.
BC_NONE, BC_LEVEL, BC_DISCHARGE, BC_TIDE, BC_RATING = 0, 1, 2, 3, 4
BC_CODES = {"level": BC_LEVEL, "discharge": BC_DISCHARGE, "tide": BC_TIDE, "rating": BC_RATING}

TIDE_SPEEDS_DEG_PER_H = {
    "M2": 28.9841042, "S2": 30.0, "N2": 28.4397295, "K2": 30.0821373,
    "K1": 15.0410686, "O1": 13.9430356, "P1": 14.9589314, "Q1": 13.3986609,
    "M4": 57.9682084, "MS4": 58.9841042, "MN4": 57.4238337, "M6": 86.9523127,
    "SA": 0.0410686, "SSA": 0.0821373, "MSF": 1.0158958, "MF": 1.0980331, "MM": 0.5443747,
}  # fmt: skip
"""Angular speeds of the standard constituents (deg/h; Schureman 1958, Table 2, via the
IHO constituent list). Nodal corrections are not applied: fold them into amplitude and phase
for the year simulated."""

WEIR, SLUICE, PUMP, FLAP_GATE, CULVERT = 0, 1, 2, 3, 4
KIND_CODES = {
    "weir": WEIR,
    "sluice": SLUICE,
    "pump": PUMP,
    "flap_gate": FLAP_GATE,
    "culvert": CULVERT,
}
