"""Boundary conditions and the time series they use, with provenance.

Levels in the Zhenjiang Wusong datum (m). Shanghai tide levels (Shanghai Wusong datum) are
raised by 0.24 m (see data_network.SRC_DATUM).
"""

from __future__ import annotations

from .data_network import SRC_DATUM, SRC_SUZHOU_CREEK

# Taihu level climatology, mid-month values (m). Estimated from the published seasonal course
# (rises from April, highest in July-August, falls from September, lowest January-February;
# m.gansulong.com/c/110c621362022) and an annual mean of about 3.1 m, inside the 3.0-3.3 m
# band the basin's regulation keeps outside floods. Not the observed 2024 record.
TAIHU_MONTHLY_M = [3.00, 2.98, 3.02, 3.06, 3.08, 3.15, 3.32, 3.28, 3.20, 3.12, 3.06, 3.02]
TAIHU_SOURCE = (
    "estimated: seasonal course of Taihu levels as published (low Jan-Feb, rising from April, "
    "high Jul-Aug, falling from Sep; m.gansulong.com/c/110c621362022) around a mean of about "
    "3.1 m (Zhenjiang Wusong); a climatology, not the observed 2024 series"
)

# Running fraction of the Qipu intake pumps per month (dry season on), an assumption.
QIPU_INTAKE_MONTHLY = [0.5, 0.5, 0.5, 0.4, 0.3, 0.0, 0.0, 0.0, 0.0, 0.3, 0.4, 0.5]

# Concentrations of inflowing water (mg/L) per species.
CONC_TAIHU = {"on": 0.4, "nh3n": 0.15, "no3n": 0.65, "op": 0.02, "po4p": 0.03, "tracer": 0.0}
CONC_SUZHOU = {"on": 0.8, "nh3n": 0.6, "no3n": 1.1, "op": 0.05, "po4p": 0.10, "tracer": 0.0}
CONC_WUJIANG = {"on": 0.6, "nh3n": 0.3, "no3n": 1.1, "op": 0.04, "po4p": 0.08, "tracer": 0.0}
CONC_YANGTZE = {"on": 0.3, "nh3n": 0.15, "no3n": 1.55, "op": 0.04, "po4p": 0.06, "tracer": 0.0}
CONC_HUANGPU = {"on": 0.8, "nh3n": 0.8, "no3n": 1.9, "op": 0.06, "po4p": 0.14, "tracer": 0.0}
CONC_MAOHE = {"on": 0.6, "nh3n": 0.3, "no3n": 1.6, "op": 0.04, "po4p": 0.08, "tracer": 0.0}

# Tides: constituents with amplitudes relative to M2; the semidiurnal and diurnal amplitudes
# are scaled by the builder so that the mean range over 2024 equals the target mean range.
# Ratios S2/M2 0.4, K1/M2 0.25, O1/M2 0.16, M4/M2 0.12 are assumed typical of the Yangtze
# estuary and Huangpu; phases are assumed, so individual tide times are not realistic, while
# the range, the spring-neap cycle and the flood-ebb asymmetry (shorter rise) are.
TIDE_RATIOS = {"M2": 1.0, "S2": 0.4, "K1": 0.25, "O1": 0.16, "M4": 0.12}
TIDE_PHASES_DEG = {"M2": 0.0, "S2": 30.0, "K1": 120.0, "O1": 60.0, "M4": -90.0}

TIDES = {
    "B_HUANGPU": dict(
        mean_level_m=2.20 + 0.24,
        mean_range_m=1.83,
        seasonal_amplitude_m=0.12,
        seasonal_peak_day=245,
        source=SRC_SUZHOU_CREEK + "; " + SRC_DATUM,
        confidence="estimated",
        note="Mean level = mean high water 3.12 m minus half the mean range 1.83 m at 黄浦公园, "
        "+0.24 m datum shift; annual cycle (SA, peak early September, 0.12 m) assumed.",
        concentrations=CONC_HUANGPU,
        conc_note="assumed: lower Huangpu water, TN about 3.5, TP about 0.2 mg/L",
    ),
    "B_YZ_LIUHE": dict(
        mean_level_m=2.25 + 0.24,
        mean_range_m=2.1,
        seasonal_amplitude_m=0.20,
        seasonal_peak_day=220,
        source="assumed: Yangtze estuary near 浏河口, mean range about 2.1 m (between 徐六泾 "
        "about 2.0 m and 吴淞口 about 2.2 m, recalled) and mean level about 2.25 m Shanghai "
        "Wusong; " + SRC_DATUM,
        confidence="assumed",
        note="Annual cycle (peak in the river flood season, 0.2 m) assumed.",
        concentrations=CONC_YANGTZE,
        conc_note="estimated: Yangtze estuary water, TN about 2.0 (mostly nitrate), TP about "
        "0.10 mg/L",
    ),
    "B_YZ_YANGLIN": None,  # filled below: same as Liuhe
    "B_YZ_QIPU": None,
    "B_MAOKOU": dict(
        mean_level_m=2.50 + 0.24,
        mean_range_m=0.8,
        seasonal_amplitude_m=0.12,
        seasonal_peak_day=245,
        source="assumed: upper Huangpu (泖口 near 米市渡) is weakly tidal (Dianshan Lake is "
        "described as 弱感潮, baike.tt44.com); mean level about 2.5 m and mean range about "
        "0.8 m Shanghai Wusong assumed; " + SRC_DATUM,
        confidence="assumed",
        note="The level here controls Dianshan Lake's level; it is the weakest of the boundaries.",
        concentrations=CONC_MAOHE,
        conc_note="assumed: upper Huangpu / 泖河 water, TN about 2.5, TP about 0.12 mg/L",
    ),
}
for _k in ("B_YZ_YANGLIN", "B_YZ_QIPU"):
    TIDES[_k] = dict(TIDES["B_YZ_LIUHE"])

LEVELS = {
    "B_TAIHU": dict(
        series="taihu_level",
        offset_m=0.0,
        source=TAIHU_SOURCE,
        confidence="estimated",
        note="East Taihu at 瓜泾口 taken at the Taihu mean level.",
        concentrations=CONC_TAIHU,
        conc_note="estimated: East Taihu is the least eutrophic part of Taihu (Cai et al. 2022, "
        "环境科学 43(5): Taihu surface TP mean 0.09 mg/L, lower in the south-east); TN about 1.2 "
        "and TP about 0.05 mg/L",
    ),
    "B_LOUMEN": dict(
        series="suzhou_loumen_level",
        offset_m=-0.05,
        source=TAIHU_SOURCE + "; 0.05 m drop from Taihu to Suzhou's east moat assumed",
        confidence="assumed",
        note="Suzhou city's outer moat at 娄门 feeds the Lou; its level follows Taihu (via the "
        "canal and 胥江) minus a small drop.",
        concentrations=CONC_SUZHOU,
        conc_note="assumed: urban moat water, TN about 2.5, TP about 0.15 mg/L",
    ),
    "B_TONGLI": dict(
        series="wujiang_tongli_level",
        offset_m=-0.12,
        source=TAIHU_SOURCE + "; 0.12 m drop from Taihu across the 吴江 plain assumed",
        confidence="assumed",
        note="Stands for the inflow from the 吴江 (同里, 白蚬湖) side that feeds 急水港 and "
        "Dianshan Lake.",
        concentrations=CONC_WUJIANG,
        conc_note="assumed: TN about 2.0, TP about 0.12 mg/L",
    ),
}
