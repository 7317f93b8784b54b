"""Pollutant loads: effluent standards, sewage, non-point export and atmospheric deposition.

Every number carries its source and confidence (published, estimated, assumed). Loads are
mass rates in g s-1 per species (on, nh3n, no3n, op, po4p; as N and as P); concentrations in
mg L-1 = g m-3. A total (tn, tp) is split into its parts by the fractions in ``SPLITS``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..vocab.sources import EffluentPreset

N_PARTS = ("on", "nh3n", "no3n")
P_PARTS = ("op", "po4p")
LOAD_SPECIES = (*N_PARTS, *P_PARTS)
"""Species of ``Inflow.load_g_s`` (a 'tracer' is added where a source gives one)."""


@dataclass(frozen=True)
class Sourced:
    values: dict[str, float]
    source: str
    confidence: str
    unit: str = "mg L-1"


RAW_SEWAGE = Sourced(
    {"tn": 35.0, "nh3n": 25.0, "tp": 3.5},
    "influent of municipal plants in the Taihu basin, typical of Chinese plant influent "
    "surveys (TN 30-45, NH3-N 20-35, TP 3-5 mg/L)",
    "assumed",
)
"""Quality of sewage arriving at a plant (and of its bypass) when ``raw_sewage`` is not given."""

PER_CAPITA = {
    "sewage_l_per_day": (
        180.0,
        "urban domestic water use about 200 L/cap/d in Jiangsu cities, 85-90 % returned as sewage",
        "estimated",
    ),
    "tn_g_per_day": (
        11.0,
        "First National Pollution Source Census (2008) urban domestic generation coefficients, "
        "Yangtze delta cities (about 10-12 g/cap/d; recalled)",
        "estimated",
    ),
    "nh3n_g_per_day": (8.0, "as above (about 7-9 g/cap/d; recalled)", "estimated"),
    "tp_g_per_day": (0.9, "as above (about 0.8-1.0 g/cap/d; recalled)", "estimated"),
}
"""Per-capita domestic sewage flow and loads: (value, source, confidence)."""

UNTREATED_ENTRY_FRACTION = (
    0.7,
    "share of uncollected domestic sewage (water and load) reaching rivers; river-entry "
    "coefficients of 0.5-0.9 are used for dense plain river networks",
    "assumed",
)

EMC_MG_L: dict[str, Sourced] = {
    "water": Sourced(
        {"tn": 0.0, "tp": 0.0},
        "rain on water: its load is atmospheric deposition (DEPOSITION)",
        "assumed",
    ),
    "paddy": Sourced(
        {"tn": 5.0, "tp": 0.4},
        "annual paddy losses in the Taihu region TN 11.6-34 kg/ha, TP 1.5-1.75 kg/ha "
        "(Guo et al. 2004, Environ. Geochem. Health 26; Env. Sci. Eur. 32 (2020), Yangtze delta "
        "rice area) over about 400 mm of surface drainage",
        "estimated",
    ),
    "dry_land": Sourced(
        {"tn": 6.0, "tp": 0.5},
        "upland runoff in the Yangtze delta, typically somewhat above paddy drainage",
        "assumed",
    ),
    "built_up": Sourced(
        {"tn": 6.0, "tp": 0.6},
        "urban road and roof runoff EMCs in Shanghai (Chang et al. 2006, Geographical Research "
        "25(6): TP above twice the Class V limit) and Taihu-basin towns (Zhao et al. 2021, "
        "Environ. Sci. Pollut. Res.)",
        "estimated",
    ),
    "green": Sourced({"tn": 2.0, "tp": 0.1}, "woodland and grass runoff", "assumed"),
}
"""Event-mean concentrations of runoff per land-use class (mg L-1 = g m-3)."""

DEPOSITION_KG_HA_YR = Sourced(
    {"tn": 30.2, "tp": 1.1},
    "wet deposition at Changshu station, Taihu region, 2003-2004 (Wang et al. 2009, Chinese "
    "Journal of Applied Ecology 20(10) 2487); Lake Taihu 20 kg N and 0.3 kg P /ha/yr (Luo et "
    "al. 2007, Hydrobiologia 581); bulk N 37-47 (Deng et al. 2022) - dry deposition excluded",
    "published",
    unit="kg ha-1 yr-1",
)
"""Atmospheric deposition onto water surfaces (lakes, ponds)."""

SPLITS: dict[str, dict[str, dict[str, float]]] = {
    "raw_sewage": {
        "tn": {"on": 0.375, "nh3n": 0.625, "no3n": 0.0},
        "tp": {"op": 0.286, "po4p": 0.714},
    },
    "effluent": {
        "tn": {"on": 0.10, "nh3n": 0.20, "no3n": 0.70},
        "tp": {"op": 0.40, "po4p": 0.60},
    },
    "industrial": {
        "tn": {"on": 0.20, "nh3n": 0.40, "no3n": 0.40},
        "tp": {"op": 0.40, "po4p": 0.60},
    },
    "runoff": {
        "tn": {"on": 0.35, "nh3n": 0.30, "no3n": 0.35},
        "tp": {"op": 0.56, "po4p": 0.44},
    },
    "deposition": {
        "tn": {"on": 0.12, "nh3n": 0.45, "no3n": 0.43},
        "tp": {"op": 0.47, "po4p": 0.53},
    },
}
"""Shares of TN and TP in each part, by kind of water.

raw_sewage: Metcalf & Eddy (2003), Wastewater Engineering, 4th ed., Table 3-15, medium-strength
domestic sewage (TN 40 = organic 15 + ammonia 25; TP 7 = organic 2 + inorganic 5); published.
effluent: nitrifying plants discharge mostly nitrate, dissolved organic N 1-2 mg/L; P after
chemical removal partly particulate; assumed. industrial: assumed. runoff: paddy losses in the
Taihu region, NH4-N about half of TN in the rice season and nitrate dominant in the wheat
season, particulate P 56 % of TP (Guo et al. 2004); estimated. deposition: Changshu wet
deposition, particulate N 11.8 % and P 46.7 % (Wang et al. 2009), ammonium 43 % of inorganic N
in Nanjing (Sun et al. 2013, Water Environ. Res. 85(6)); estimated.
"""


def split(conc: dict[str, np.ndarray | float], kind: str) -> dict[str, np.ndarray]:
    """Concentrations (or loads) per part from a mix of totals and parts.

    Parts given explicitly are kept; a total (tn, tp) gives its remainder after the given
    parts to the missing parts in proportion to ``SPLITS[kind]`` (equally when those shares
    are all zero). Raises ValueError when the given parts exceed the total.
    Returns on, nh3n, no3n, op, po4p (and tracer when given), as float arrays.
    """
    fr = SPLITS[kind]
    out: dict[str, np.ndarray] = {}
    for total, parts in (("tn", N_PARTS), ("tp", P_PARTS)):
        given = {p: np.asarray(conc[p], np.float64) for p in parts if p in conc}
        out.update(given)
        missing = [p for p in parts if p not in conc]
        if total in conc:
            tot = np.asarray(conc[total], np.float64)
            rest = tot - sum(given.values(), np.zeros_like(tot))
            if np.any(rest < -1e-9 * np.maximum(1.0, np.abs(tot))):
                raise ValueError(
                    f"{' + '.join(given)} exceed {total} ({float(np.max(-rest)):.4g} mg/L more)"
                )
            if not missing:
                continue
            rest = np.clip(rest, 0.0, None)
            w = np.array([fr[total][p] for p in missing])
            w = w / w.sum() if w.sum() > 0 else np.full(len(missing), 1.0 / len(missing))
            for p, wi in zip(missing, w, strict=True):
                out[p] = rest * wi
        else:
            for p in missing:
                out[p] = np.zeros(())
    if "tracer" in conc:
        out["tracer"] = np.asarray(conc["tracer"], np.float64)
    return out


@dataclass
class Effluent:
    """Effluent concentrations per species over time, mg L-1 ([nt] arrays)."""

    conc: dict[str, np.ndarray] = field(default_factory=dict)


def preset_effluent(preset: EffluentPreset, water_temperature_c: np.ndarray) -> dict:
    """Totals and NH3-N of a preset over time: the cold limits apply at <= 12 C water."""
    cold = np.asarray(water_temperature_c) <= preset.cold_threshold_c
    return {
        "nh3n": np.where(cold, preset.nh3n_cold, preset.nh3n),
        "tn": np.where(cold, preset.tn_cold, preset.tn),
        "tp": np.full(cold.shape, preset.tp),
    }


def deposition_g_m2_s(kg_ha_yr: dict[str, float] | None = None) -> dict[str, float]:
    """Deposition flux per species, g m-2 s-1, from ``kg_ha_yr`` (species or totals; default
    ``DEPOSITION_KG_HA_YR``)."""
    year_s = 365.25 * 86400.0
    vals = kg_ha_yr or DEPOSITION_KG_HA_YR.values
    totals = {k: v * 1000.0 / 1e4 / year_s for k, v in vals.items()}
    return {k: float(v) for k, v in split(totals, "deposition").items()}


def emc_species(land_use_classes, factor: float = 1.0) -> np.ndarray:
    """[5 classes, 5 species] runoff EMCs (g m-3) split into parts, times ``factor``."""
    out = np.zeros((len(land_use_classes), len(LOAD_SPECIES)))
    for i, cls in enumerate(land_use_classes):
        parts = split(EMC_MG_L[cls].values, "runoff")
        for j, sp in enumerate(LOAD_SPECIES):
            out[i, j] = float(parts[sp]) * factor
    return out
