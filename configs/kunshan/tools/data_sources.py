"""Pollutant sources, towns (population, land use) and assessment sections, with provenance.

Individual plant data (capacity, inflow) and enterprise permits are not public in the material
at hand: values are marked 'assumed' or 'estimated' and explained.
"""

from __future__ import annotations

SRC_POP = (
    "published: Suzhou 7th census bulletin, Kunshan resident population 2,092,496 on "
    "2020-11-01 (quoted at zhejianglong.com/c/1565195)"
)
POP_TOTAL = 2_092_496

# Towns: (centre lon, lat, population, profile). Populations split the published total;
# the split by town is an estimate (town-level census tables were not at hand).
TOWNS: dict[str, tuple[float, float, int, str]] = {
    "玉山": (120.955, 31.385, 620_000, "urban"),
    "开发区": (121.035, 31.350, 480_000, "urban"),
    "周市": (121.000, 31.465, 180_000, "suburban"),
    "巴城": (120.880, 31.450, 130_000, "lake_suburban"),
    "陆家": (121.060, 31.310, 110_000, "urban"),
    "花桥": (121.110, 31.300, 170_000, "urban"),
    "张浦": (120.940, 31.270, 150_000, "suburban"),
    "千灯": (121.000, 31.240, 110_000, "suburban"),
    "淀山湖": (121.040, 31.170, 60_000, "lake_rural"),
    "锦溪": (120.900, 31.180, 45_000, "lake_rural"),
    "周庄": (120.850, 31.120, 37_496, "lake_rural"),
}
# Shares of the land (not water) per profile: built_up, paddy, dry_land. Assumed from the
# character of each town (central city and development zones mostly built; the southern lake
# towns keep paddy), constrained by Kunshan's published water share (22-23 %).
PROFILES = {
    "urban": (0.80, 0.06, 0.14),
    "suburban": (0.55, 0.25, 0.20),
    "lake_suburban": (0.45, 0.35, 0.20),
    "lake_rural": (0.35, 0.42, 0.23),
}
SEWER = {  # connection fraction, leak fraction
    "urban": (0.95, 0.15),
    "suburban": (0.90, 0.15),
    "lake_suburban": (0.88, 0.15),
    "lake_rural": (0.85, 0.15),
}
SRC_SEWER = (
    "assumed: Jiangsu reports urban sewage treatment rates above 95 %; leaks and "
    "misconnections of 10-20 % follow the general finding that sewer leakage dominates Chinese "
    "sewage characteristics (Cao et al. 2019, via IWA Water Practice & Technology 15(1):160)"
)
# Polder pumping per km2 of land by latitude band: north low-lying (<3.2 m ground), middle
# half-high, south high lake land (published terrain classes; pumping modulus assumed).
SRC_TERRAIN = (
    "published: Kunshan terrain classes, north polders below 3.2 m, middle 3.2-4 m, south "
    "lake land 4-6 m (Wusong datum; Kunshan environmental report text, wanglu.net)"
)

# ------------------------------------------------------------------- sewage plants
RAW_SEWAGE = {"on": 8.0, "nh3n": 25.0, "no3n": 0.5, "op": 1.0, "po4p": 2.5}
SRC_RAW = (
    "assumed: typical influent of Taihu-basin municipal plants (TN about 34, NH3-N 25, TP 3.5 "
    "mg/L); the influent survey of 204 Taihu-basin plants (Zou et al., 江南大学) describes the "
    "distributions; these values were not read from its tables"
)

# id: name, lon, lat, receiving reach, capacity m3/d, load ratio (inflow/capacity), preset,
#     town, source, confidence, note
WWTPS = [
    (
        "wwtp_beiqu",
        "昆山市北区污水处理厂 (city north)",
        121.005,
        31.400,
        "zjg_01",
        150_000,
        0.90,
        "suzhou_special",
        "玉山",
        "assumed",
        "assumed",
        "City plant north of the Lou River; capacity assumed from the population it serves.",
    ),
    (
        "wwtp_gaoxin",
        "高新区(城西)污水处理厂",
        120.930,
        31.375,
        "lou_04",
        100_000,
        0.90,
        "suzhou_special",
        "玉山",
        "assumed",
        "assumed",
        "Serves the western city and hi-tech zone.",
    ),
    (
        "wwtp_wusong",
        "吴淞江污水处理厂 (city south / 开发区)",
        120.990,
        31.305,
        "wusong_07",
        200_000,
        0.92,
        "suzhou_special",
        "开发区",
        "assumed",
        "assumed",
        "Largest plant, discharging to the Wusong; capacity assumed.",
    ),
    (
        "wwtp_kfq_industrial",
        "昆山开发区工业污水处理厂 (光电产业园)",
        121.045,
        31.360,
        "xiajia",
        28_000,
        1.0,
        "db32_1072_taihu",
        "开发区",
        "published: 昆山开发区 news, Nov 2025 (m.ic2gsw.cn/news/detail/270967): 2.8e4 m3/d incl. "
        "0.8e4 m3/d fluoride pretreatment, serving the photoelectric park",
        "published",
        "Built 2025 (water through about end of 2025); in the 2024 baseline it stands for the "
        "same industrial wastewater treated elsewhere. Load ratio 1.0 assumed; outfall reach "
        "assumed.",
    ),
    (
        "wwtp_qiandeng_torch",
        "千灯火炬污水处理厂",
        120.995,
        31.255,
        "qiandengpu_01",
        30_000,
        1.08,
        "suzhou_special",
        "千灯",
        "assumed",
        "assumed",
        "Capacity assumed; load ratio 1.08 assumed because the plant is on the bureau's expansion "
        "list, which suggests it runs at or above capacity. Not tuned to any observation.",
    ),
    (
        "wwtp_lujia",
        "陆家污水处理厂",
        121.055,
        31.320,
        "xiajia",
        60_000,
        0.88,
        "suzhou_special",
        "陆家",
        "assumed",
        "assumed",
        "",
    ),
    (
        "wwtp_huaqiao",
        "花桥污水处理厂",
        121.100,
        31.288,
        "wusong_10",
        80_000,
        0.88,
        "suzhou_special",
        "花桥",
        "assumed",
        "assumed",
        "",
    ),
    (
        "wwtp_zhoushi",
        "周市污水处理厂",
        121.010,
        31.450,
        "zjg_01",
        60_000,
        0.88,
        "suzhou_special",
        "周市",
        "assumed",
        "assumed",
        "",
    ),
    (
        "wwtp_bacheng",
        "巴城污水处理厂",
        120.900,
        31.452,
        "yanglin_01",
        40_000,
        0.85,
        "suzhou_special",
        "巴城",
        "assumed",
        "assumed",
        "",
    ),
    (
        "wwtp_zhangpu",
        "张浦污水处理厂",
        120.945,
        31.290,
        "wusong_05",
        60_000,
        0.88,
        "suzhou_special",
        "张浦",
        "assumed",
        "assumed",
        "",
    ),
    (
        "wwtp_dianshanhu",
        "淀山湖镇污水处理厂",
        121.020,
        31.175,
        "qiandengpu_02",
        20_000,
        0.85,
        "suzhou_special",
        "淀山湖",
        "assumed",
        "assumed",
        "",
    ),
    (
        "wwtp_jinxi",
        "锦溪污水处理厂",
        120.910,
        31.175,
        "dazhushe",
        15_000,
        0.85,
        "suzhou_special",
        "锦溪",
        "assumed",
        "assumed",
        "",
    ),
    (
        "wwtp_zhouzhuang",
        "周庄污水处理厂",
        120.860,
        31.122,
        "jishui_02",
        12_000,
        0.85,
        "suzhou_special",
        "周庄",
        "assumed",
        "assumed",
        "",
    ),
]
SRC_WWTP_GENERIC = (
    "assumed: plant names follow the towns' plants; capacities were chosen so that the total "
    "(8.6e5 m3/d) matches about 0.25 m3/d per resident for 2.09 million residents plus "
    "industry; the effluent preset reflects Suzhou's special limits for municipal plants"
)

# ---------------------------------------------------------------- P enterprises
# id, sector tag, town, lon, lat, receiving reach or None, connected plant or None, m3/d,
# TP mg/L
ENTERPRISES = [
    ("ent_p01", "electroplating", "千灯", 121.000, 31.262, "qiandengpu_01", None, 800.0, 0.40),
    ("ent_p02", "electroplating", "张浦", 120.950, 31.280, None, "wwtp_zhangpu", 600.0, 0.40),
    ("ent_p03", "surface_treatment", "陆家", 121.050, 31.330, "xiajia", None, 500.0, 0.45),
    (
        "ent_p04",
        "printed_circuit_board",
        "开发区",
        121.040,
        31.365,
        None,
        "wwtp_kfq_industrial",
        3000.0,
        0.40,
    ),
    (
        "ent_p05",
        "printed_circuit_board",
        "玉山",
        120.935,
        31.380,
        None,
        "wwtp_gaoxin",
        2500.0,
        0.40,
    ),
    ("ent_p06", "food_processing", "巴城", 120.895, 31.448, "yanglin_01", None, 400.0, 0.80),
    ("ent_p07", "food_processing", "周市", 121.005, 31.455, None, "wwtp_zhoushi", 1500.0, 0.80),
    ("ent_p08", "surface_treatment", "花桥", 121.095, 31.290, "wusong_10", None, 300.0, 0.45),
]
SECTOR_CN = {
    "electroplating": "电镀",
    "surface_treatment": "表面处理 (磷化/阳极氧化)",
    "printed_circuit_board": "印制电路板",
    "food_processing": "食品加工",
}
SRC_ENTERPRISE = (
    "assumed: anonymised phosphorus-emitting enterprise; individual discharge permits are not "
    "public. Kunshan's industry is dominated by electronics (PCB) and metal finishing; effluent "
    "near the special limits of GB 21900-2008 for electroplating/PCB (TP 0.5 mg/L, recalled) "
    "and of food processing under the Taihu rules"
)

# ------------------------------------------------------------------ assessment sections
SRC_BORDER = (
    "DESIGN §4 list of Jiangsu-Shanghai border monitoring sections; the Taihu Basin Authority's "
    "provincial-border bulletins report six 苏沪边界 river sections (e.g. March 2004 bulletin, "
    "idlefreeforourkids.com/a/yingyong/hyyy/2772)"
)
BORDER_NOTE = (
    "A real border monitoring section; its exact position (placed from the name, +-1-2 km) and "
    "its target class (III assumed) are not published here, so official = false."
)
# id, name, kind, lon, lat, reach (None = nearest of the candidates) or node, target, source,
# confidence, note
SECTIONS = [
    (
        "sec_wusong_shipu",
        "吴淞江石浦大桥",
        "river",
        121.030,
        31.295,
        "wusong_09",
        "III",
        SRC_BORDER,
        "estimated",
        BORDER_NOTE,
    ),
    (
        "sec_qiandengpu",
        "千灯浦千灯浦桥",
        "river",
        120.988,
        31.190,
        "qiandengpu_02",
        "III",
        SRC_BORDER,
        "estimated",
        BORDER_NOTE,
    ),
    (
        "sec_jishuigang",
        "急水港周庄大桥",
        "river",
        120.875,
        31.121,
        "jishui_02",
        "III",
        SRC_BORDER,
        "estimated",
        BORDER_NOTE,
    ),
    (
        "sec_dazhushe",
        "大小朱厍港珠砂港大桥",
        "river",
        120.925,
        31.160,
        "dazhushe",
        "III",
        SRC_BORDER,
        "estimated",
        BORDER_NOTE,
    ),
    (
        "sec_yantie_xinxing",
        "盐铁塘新星镇桥",
        "river",
        121.160,
        31.385,
        "yantie_03",
        "III",
        SRC_BORDER,
        "estimated",
        BORDER_NOTE,
    ),
    (
        "sec_liuhe_taihe",
        "浏河太和大桥",
        "river",
        121.240,
        31.493,
        "liuhe_03",
        "III",
        SRC_BORDER,
        "estimated",
        BORDER_NOTE,
    ),
    (
        "sec_wusong_baihe",
        "吴淞江 白鹤 (上海侧, model section)",
        "river",
        121.160,
        31.277,
        "wusong_11",
        "IV",
        "assumed: model section downstream of the border",
        "assumed",
        "Not an official section; target IV assumed for the Shanghai suburban Suzhou Creek.",
    ),
    (
        "sec_lou_zhengyi",
        "娄江 正仪 (model section)",
        "river",
        120.920,
        31.370,
        "lou_04",
        "III",
        "assumed: model section on the Lou River entering Kunshan",
        "assumed",
        "Not an official section.",
    ),
    (
        "sec_lou_east",
        "娄江 夏驾浦口 (model section)",
        "river",
        121.065,
        31.404,
        "lou_09",
        "III",
        "assumed: model section on the Lou River leaving Kunshan",
        "assumed",
        "Not an official section.",
    ),
    (
        "sec_qingyang",
        "青阳港 昆山城区 (model section)",
        "river",
        121.002,
        31.340,
        "qingyang",
        "III",
        "assumed: model section on the city's north-south channel",
        "assumed",
        "Not an official section.",
    ),
    (
        "sec_qipu",
        "七浦塘 (model section)",
        "river",
        121.060,
        31.556,
        "qipu_02",
        "III",
        "assumed: model section on the 七浦塘 Yangtze outlet",
        "assumed",
        "Not an official section.",
    ),
    (
        "sec_dianfeng",
        "淀峰 (拦路港 出湖口)",
        "river",
        121.028,
        31.088,
        "lanlugang",
        "III",
        "published: 淀峰 at the Dianshan Lake outlet is where the Huangpu begins (水运工程 2019(5) "
        "p.109, via 360docs.net/doc/218747570); target III assumed",
        "estimated",
        "A known Shanghai monitoring location; target assumed, official = false.",
    ),
]
LAKE_SECTIONS = [
    ("sec_dsh_kunshan", "淀山湖 昆山水域 (lake)", 120.955, 31.150, "DSH", "III"),
    ("sec_dsh_centre", "淀山湖 湖心 (lake)", 120.970, 31.120, "DSH", "III"),
    ("sec_ych_east", "阳澄湖 东湖 (lake)", 120.845, 31.430, "YCH", "III"),
    ("sec_chenghu", "澄湖 (lake)", 120.835, 31.205, "CH", "III"),
]
LAKE_SECTION_NOTE = (
    "Lake section on the lake's storage node; the lake is one well-mixed node, so all its "
    "sections show the same simulated value. Target III assumed (not published here); lake TP "
    "and TN limits apply."
)
