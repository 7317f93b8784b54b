"""Schema of water-quality settings: species, kinetics, dispersion, apportionment.

Kinetic defaults are at 20 C, per day, with temperature correction k_T = k20 * theta^(T-20).
Sources of the defaults and their literature ranges: ``docs`` in each field; HEC-RAS
Nutrient Simulation Module I (NSM-I) defaults unless noted (Zhang and Johnson 2016, HEC-RAS
5.0 Water Quality Nutrient Simulation Module User's Manual, ERDC/EL), and Chapra (2008),
Surface Water-Quality Modeling, ch. 23-28.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from ..vocab.species import ALL_NAMES
from .base import Identifier, StrictModel


class Kinetics(StrictModel):
    """First-order rates (1/d at 20 C), settling velocities (m/d), sediment release
    (g m-2 d-1 at 20 C) and their temperature coefficients. All are calibration parameters.
    """

    ammonification_per_d: float = Field(
        0.1, ge=0, le=1.0, description="Organic N -> NH3-N. NSM-I 0.1; range 0.02-0.4."
    )
    ammonification_theta: float = Field(1.074, ge=1.0, le=1.2)
    nitrification_per_d: float = Field(
        0.1, ge=0, le=2.0, description="NH3-N -> NO3-N. NSM-I 0.1; range 0.1-1.0 (Chapra)."
    )
    nitrification_theta: float = Field(1.083, ge=1.0, le=1.2)
    nitrification_half_saturation_do_mg_l: float = Field(
        0.6, ge=0, le=5, description="DO half-saturation of nitrification; used where DO is known."
    )
    denitrification_per_d: float = Field(
        0.02, ge=0, le=1.0, description="NO3-N loss. Range 0.002-0.1 in NSM-I; 0.02 assumed."
    )
    denitrification_theta: float = Field(1.045, ge=1.0, le=1.2)
    p_mineralisation_per_d: float = Field(
        0.1, ge=0, le=1.0, description="Organic P -> PO4-P. NSM-I 0.1; range 0.01-0.7."
    )
    p_mineralisation_theta: float = Field(1.047, ge=1.0, le=1.2)
    on_settling_m_per_d: float = Field(
        0.01, ge=0, le=2.0, description="Organic N settling. NSM-I 0.01 (range 0.001-0.1)."
    )
    op_settling_m_per_d: float = Field(
        0.05, ge=0, le=2.0, description="Organic P settling. Range 0.01-0.6 (NSM-I); 0.05 assumed."
    )
    settling_theta: float = Field(1.024, ge=1.0, le=1.2)
    sediment_po4_release_g_m2_d: float = Field(
        0.0, ge=0, le=0.2, description="Zero-order PO4-P release; 0-0.05 in shallow lakes."
    )
    sediment_nh3_release_g_m2_d: float = Field(
        0.0, ge=0, le=1.0, description="Zero-order NH3-N release; 0-0.3 in shallow lakes."
    )
    sediment_release_theta: float = Field(1.07, ge=1.0, le=1.2)


class KineticsOverride(Kinetics):
    """Kinetics for the listed reaches and storage nodes; unspecified fields keep the defaults
    of ``[quality.kinetics]``."""

    reaches: list[Identifier] = Field(default_factory=list)
    nodes: list[Identifier] = Field(default_factory=list)

    @model_validator(mode="after")
    def _targets(self):
        if not self.reaches and not self.nodes:
            raise ValueError("an override names at least one reach or node")
        return self


class Dispersion(StrictModel):
    """Longitudinal dispersion: a constant, or Fischer's (1979) estimate
    D = 0.011 U^2 W^2 / (h u*), bounded to [min, max]."""

    method: Literal["constant", "fischer"] = "constant"
    coefficient_m2_s: float = Field(10.0, ge=0, le=1e4)
    min_m2_s: float = Field(1.0, ge=0, le=1e4)
    max_m2_s: float = Field(500.0, gt=0, le=1e4)

    @model_validator(mode="after")
    def _bounds(self):
        if self.min_m2_s > self.max_m2_s:
            raise ValueError(
                f"min_m2_s ({self.min_m2_s}) is above max_m2_s ({self.max_m2_s}); "
                "give min_m2_s <= max_m2_s"
            )
        return self


DispersionCoefficient = Annotated[float, Field(ge=0, le=1e4)]
"""A longitudinal dispersion coefficient, m2/s. Rivers: about 0.05-1500 m2/s (Fischer et
al. 1979, Mixing in Inland and Coastal Waters, table 5.3); above 1e4 is not a river."""

WATER_TEMPERATURE_RANGE_C = (-2.0, 40.0)
"""Water temperatures twin accepts (C): liquid fresh to brackish water; the Taihu plain's
rivers span about 2-33 C. Outside this range a value is a unit or sign mistake."""


class QualitySettings(StrictModel):
    enabled: bool = True
    initial_mg_l: dict[str, Annotated[float, Field(ge=0)]] = Field(
        default_factory=dict,
        description="Uniform initial concentration per species (or tn, tp), mg/L.",
    )
    kinetics: Kinetics = Field(default_factory=Kinetics)
    overrides: list[KineticsOverride] = Field(default_factory=list)
    dispersion: Dispersion = Field(default_factory=Dispersion)
    dispersion_per_reach_m2_s: dict[Identifier, DispersionCoefficient] = Field(default_factory=dict)
    temperature_c: float | str | None = Field(
        None,
        description="Water temperature (C): a constant or series id (values between -2 and "
        "40 C); None: from forcing.",
    )
    apportionment: bool = False
    max_courant: float = Field(0.9, gt=0, le=1.0)
    limiter: Literal["upwind", "van_leer", "superbee", "mc"] = "van_leer"

    @field_validator("initial_mg_l")
    @classmethod
    def _species(cls, v):
        unknown = sorted(set(v) - set(ALL_NAMES))
        if unknown:
            raise ValueError(f"unknown species {', '.join(unknown)}; use {', '.join(ALL_NAMES)}")
        return v

    @field_validator("temperature_c")
    @classmethod
    def _temperature(cls, v):
        lo, hi = WATER_TEMPERATURE_RANGE_C
        if isinstance(v, (int, float)) and not lo <= v <= hi:
            raise ValueError(f"water temperature {v} C is outside {lo} to {hi} C; give degrees C")
        return v
