"""Source groups and the effluent standards of sewage plants (mg/L), by name."""

from __future__ import annotations

from dataclasses import dataclass

SOURCE_GROUPS = ("wwtp", "enterprise", "untreated_sewage", "nonpoint", "other")
"""Source groups for apportionment; boundaries and sediment release are groups of their own."""


@dataclass(frozen=True)
class EffluentPreset:
    """Discharge limits of a sewage-plant standard, mg L-1.

    The bracketed (cold) limits of Chinese standards apply when the water temperature is at or
    below ``cold_threshold_c`` (12 C). A plant on a preset discharges at the limits; give
    measured concentrations (or ``effluent_overrides``) for a plant that does better.
    """

    name: str
    cod: float
    nh3n: float
    nh3n_cold: float
    tn: float
    tn_cold: float
    tp: float
    source: str
    confidence: str
    cold_threshold_c: float = 12.0


EFFLUENT_PRESETS: dict[str, EffluentPreset] = {
    p.name: p
    for p in (
        EffluentPreset(
            "gb18918_1a", 50, 5, 8, 15, 15, 0.5,
            "GB 18918-2002 Discharge standard of pollutants for municipal wastewater treatment "
            "plant, Table 1, Class 1A (NH3-N 8 mg/L at water temperature <= 12 C)",
            "published",
        ),
        EffluentPreset(
            "gb18918_1b", 60, 8, 15, 20, 20, 1.0,
            "GB 18918-2002 Table 1, Class 1B (NH3-N 15 mg/L at <= 12 C)",
            "published",
        ),
        EffluentPreset(
            "db32_1072_taihu", 40, 3, 5, 10, 12, 0.3,
            "DB32/1072-2018 Jiangsu discharge limits for municipal plants and key industries "
            "in the Taihu area, first- and second-level protection zones (values recalled, "
            "not read from the official text)",
            "estimated",
        ),
        EffluentPreset(
            "suzhou_special", 30, 1.5, 3, 10, 10, 0.3,
            "Suzhou special discharge limits for municipal plants (苏州特别排放限值, 2018); "
            "values recalled, not read from the official text",
            "estimated",
        ),
    )
}  # fmt: skip
"""Effluent presets by name, for ``[[sources]] kind = 'wwtp'`` ``effluent = '<name>'``."""
