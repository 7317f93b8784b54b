"""The Kunshan river network as data: nodes, cross-section classes, reaches, lakes, structures,
boundaries and time series, each with its provenance.

Vertical datum: Zhenjiang Wusong (镇江吴淞基面), the datum in which the Taihu Basin Authority,
Jiangsu hydrology and the Kunshan water chronicle publish water levels and bed levels. See
README.md ("Datum") for the conversion to the 1985 National Height Datum.

Coordinates are lon/lat (WGS84) in degrees. Node positions were placed from general maps of
the area and are good to about 1 km; they are 'estimated' throughout.
"""

from __future__ import annotations

# --------------------------------------------------------------------------- sources
SRC_BAIKE_WUSONG = (
    "Baidu Baike, 吴淞江 (baike.baidu.hk/item/吴淞江/5402854): 125 km from 瓜泾口 to the "
    "Huangpu, mean width 40-50 m, mean flow 19 m3/s, tributaries 千灯浦, 青阳港, 清秋浦, 夏驾浦"
)
SRC_SUSHEN_INNER = (
    "苏申内港线 (吴淞江) 江苏段航道整治工程 environmental notice, 2012 (m.ayt58.com/show-1110): "
    "Jiangsu section 瓜泾口 - 昆山三江口 56.03 km, Class III channel, bottom width >= 45 m, "
    "navigable depth 3.2 m; Suzhou port authority 2021 (m.szdushi.com.cn): 瓜泾口-青阳港 43.5 km, "
    "瓜泾口-界浦江 28.5 km dredged 2015-2017, 青阳港 to the border 12 km"
)
SRC_SUZHOU_CREEK = (
    "苏州河 entry (jendow.com.tw wiki, after the Shanghai chronicle): Shanghai section 53.1 km "
    "from 白鹤 to the mouth, bottom width 15-20 m downtown, narrowest 40-50 m wide downtown, "
    "mean flow about 10 m3/s; 黄浦公园 mean high water 3.12 m, mean range 1.83 m; 北新泾 mean "
    "high water 2.78 m, mean range 0.72 m (Shanghai Wusong datum)"
)
SRC_LOU = (
    "Kunshan water chronicle text on 娄江 (quoted in blog.sina.com.cn/s/blog_4fcd5e5e0102x9go): "
    "from 娄门 to 蓬朗草芦村 53.13 km, Kunshan reach 23.29 km, bottom width 35-80 m, bed "
    "-1 to 1.94 m, surface width 70 m west of 玉山 and 120 m east of 青阳港, flows 79.7 and "
    "80.1 m3/s measured 1980 and 1983; links south to 吴淞江 by 青秋浦, 西尤泾, 东尤泾"
)
SRC_QIPU = (
    "七浦塘拓浚整治工程 launch report, 2011 (jskssj.com/Show/?Cid=214): 阳澄湖 to the Yangtze "
    "via 相城, 昆山, 常熟, 太仓, 43.89 km; Wikipedia 阳澄湖: 江边枢纽 started pumping Yangtze "
    "water in on 2016-01-15"
)
SRC_YANTIE = (
    "盐铁塘 description (blog.sina.cn, after Suzhou and Shanghai chronicles): 张家港 - 常熟 - "
    "太仓 - 嘉定, joins 吴淞江 at 黄渡, 95 km, crosses 七浦塘, 杨林塘, 浏河"
)
SRC_XIETANG = (
    "斜塘 entry (czkjst.org/czkjst/斜塘): the Huangpu headwater below 泖河 has bottom width 70 m, "
    "bed -4 m, surface 180 m; used by analogy for 拦路港 and 泖河"
)
SRC_LAKES_WIKI = (
    "Wikipedia 澄湖 (after the China lake database): 45 km2, mean depth 1.8 m, 8e7 m3; "
    "Yangcheng Lake: 118.93 km2, mean depth 1.43 m, 1.67e8 m3 (环境监测管理与技术 2021, "
    "hjjkyyj.com A20200925001); Dianshan Lake 62-63 km2, 24 inflow channels incl. 急水港 and "
    "大朱厍, outflow 拦路港 -> 泖河 -> Huangpu, weakly tidal (baike.tt44.com)"
)
SRC_DATUM = (
    "Zhenjiang Wusong datum; Shanghai values converted by +0.24 m (Wusong-1985 offsets: "
    "Shanghai 1.717 m, Jiangsu 1.953 m; 360docs.net/doc/455146900 and baiwen13.com/article/242591)"
)
SRC_MAP = "estimated: positions and courses read off general maps of the area (about +-1 km)"
N_ASSUMED = (
    "assumed: typical calibrated Manning n of regulated Taihu-plain channels (0.022-0.035); "
    "a calibration parameter"
)

# Lengths of river groups with a published total: the measured polyline lengths of the group's
# reaches are scaled so that they add up to the published length.
PUBLISHED_LENGTHS_M = {
    "wusong_js": (56_030.0, SRC_SUSHEN_INNER),
    "wusong_sh": (53_100.0, SRC_SUZHOU_CREEK),
    "lou": (53_130.0, SRC_LOU),
    "qipu": (43_890.0, SRC_QIPU),
}

# ----------------------------------------------------------------------------- nodes
# id: (name, lon, lat, initial level m)
JUNCTIONS: dict[str, tuple[str, float, float, float]] = {
    # Wusong River / Suzhou Creek
    "W_GUAJING": (
        "吴淞江 瓜泾口枢纽内 (inner side of the Guajingkou control)",
        120.628,
        31.196,
        3.05,
    ),
    "W_CHEFANG": ("吴淞江 车坊", 120.765, 31.262, 3.0),
    "W_JIEPU": ("吴淞江 界浦港口", 120.855, 31.283, 2.95),
    "W_DAZHI": ("吴淞江 大直 (澄湖北出口)", 120.900, 31.290, 2.95),
    "W_QINGQIU": ("吴淞江 清秋浦口", 120.925, 31.293, 2.9),
    "W_XIYOU": ("吴淞江 西尤泾口", 120.950, 31.295, 2.9),
    "W_DONGYOU": ("吴淞江 东尤泾口", 120.975, 31.297, 2.9),
    "W_QINGYANG": ("吴淞江 青阳港口", 121.000, 31.298, 2.9),
    "W_QIANDENG": ("吴淞江 千灯浦口 (石浦)", 121.015, 31.296, 2.9),
    "W_XIAJIA": ("吴淞江 夏驾浦口", 121.055, 31.292, 2.85),
    "W_BORDER": ("吴淞江 三江口 (Jiangsu-Shanghai border)", 121.120, 31.280, 2.8),
    "W_HUANGDU": ("吴淞江 黄渡 (盐铁塘口)", 121.215, 31.272, 2.75),
    "W_BEIXINJING": ("苏州河 北新泾", 121.370, 31.220, 2.6),
    "W_MOUTH": ("苏州河 河口闸内 (外白渡桥)", 121.484, 31.244, 2.45),
    # Lou River / Liuhe
    "L_WEITING": ("娄江 唯亭 (阳澄湖南出口)", 120.795, 31.352, 3.0),
    "L_JIEPU": ("娄江 界浦港北口", 120.855, 31.362, 3.0),
    "L_QINGQIU": ("娄江 正仪 (清秋浦北口)", 120.905, 31.368, 2.95),
    "L_XIYOU": ("娄江 西尤泾北口", 120.935, 31.372, 2.95),
    "L_DONGYOU": ("娄江 东尤泾北口", 120.965, 31.376, 2.95),
    "L_QINGYANG": ("娄江 青阳港北口", 121.000, 31.382, 2.9),
    "L_ZJG": ("娄江 张家港河口", 121.020, 31.388, 2.9),
    "L_XIAJIA": ("娄江 夏驾浦北口", 121.050, 31.398, 2.9),
    "L_CAOLU": ("娄江/浏河 蓬朗草芦村", 121.080, 31.410, 2.9),
    "LH_YANTIE": ("浏河 x 盐铁塘 (太仓)", 121.115, 31.440, 2.85),
    "LH_TAIHE": ("浏河 太和", 121.230, 31.490, 2.85),
    "LH_INNER": ("浏河闸内 (Liuhe sluice, inner side)", 121.290, 31.510, 2.85),
    "JP_SOUTH": ("界浦港 南口 (大孔闸内)", 120.856, 31.288, 2.95),
    # north: 杨林塘, 七浦塘, 张家港河, 盐铁塘
    "YL_ZJG": ("杨林塘 x 张家港河 (周市北)", 121.010, 31.470, 2.9),
    "YL_YANTIE": ("杨林塘 x 盐铁塘 (太仓北)", 121.110, 31.498, 2.9),
    "YL_INNER": ("杨林闸内", 121.245, 31.572, 2.85),
    "QP_ZJG": ("七浦塘 x 张家港河", 121.020, 31.540, 2.9),
    "QP_YANTIE": ("七浦塘 x 盐铁塘 (沙溪)", 121.100, 31.570, 2.9),
    "QP_INNER": ("七浦塘 江边枢纽内", 121.228, 31.612, 2.85),
    # south: 澄湖, 急水港, 大朱厍, 千灯浦, 拦路港
    "JX": ("锦溪", 120.905, 31.180, 2.9),
    "QD": ("千灯 (千灯浦)", 120.995, 31.245, 2.9),
    "ZZ": ("周庄 (急水港)", 120.850, 31.120, 2.9),
    "LLG_MAOHE": ("拦路港/泖河 交汇 (泖甸)", 121.050, 31.040, 2.8),
}

# Boundary nodes: id: (name, lon, lat, bed level m)
BOUNDARY_NODES: dict[str, tuple[str, float, float, float]] = {
    "B_TAIHU": ("太湖 (东太湖) at 瓜泾口", 120.622, 31.190, 0.0),
    "B_LOUMEN": ("苏州城 娄门 外城河", 120.640, 31.322, 0.0),
    "B_TONGLI": ("吴江 同里/白蚬湖 来水", 120.780, 31.110, 0.0),
    "B_HUANGPU": ("黄浦江 at 黄浦公园 (苏州河口)", 121.490, 31.245, -5.0),
    "B_YZ_LIUHE": ("长江 浏河口", 121.300, 31.514, -5.0),
    "B_YZ_YANGLIN": ("长江 杨林口", 121.252, 31.578, -5.0),
    "B_YZ_QIPU": ("长江 七丫口 (七浦塘口)", 121.236, 31.618, -5.0),
    "B_MAOKOU": ("泖河 下游 泖口 (黄浦江上游)", 121.120, 30.975, -4.0),
}

# Storage nodes (lakes, polders). Level-area tables: levels m, areas km2.
STORAGE = {
    "DSH": {
        "name": "淀山湖 Dianshan Lake",
        "lon": 120.965,
        "lat": 31.125,
        "initial": 2.85,
        "bed": 0.3,
        "level_m": [0.3, 1.0, 2.0, 2.9, 3.5, 4.5],
        "area_km2": [8.0, 40.0, 57.0, 62.5, 63.5, 65.0],
        "lake": True,
        "source": SRC_LAKES_WIKI + "; DESIGN §4: 62-63 km2, depth about 2 m, 1.2-1.6e8 m3",
        "confidence": "estimated",
        "note": "Area at normal level (2.9 m) and volume (1.19e8 m3) match the published values; "
        "the shape of the level-area curve below it is assumed (no bathymetry at hand). "
        "The whole lake is one well-mixed storage node; its Shanghai part is included.",
    },
    "YCH": {
        "name": "阳澄湖 Yangcheng Lake",
        "lon": 120.800,
        "lat": 31.420,
        "initial": 3.0,
        "bed": 1.0,
        "level_m": [1.0, 1.6, 2.3, 3.0, 3.6, 4.6],
        "area_km2": [15.0, 70.0, 105.0, 119.0, 121.0, 124.0],
        "lake": True,
        "source": SRC_LAKES_WIKI,
        "confidence": "estimated",
        "note": "Area 119 km2 and volume 1.65e8 m3 at 3.0 m from the published 118.93 km2 and "
        "1.67e8 m3; older sources give 120.75 km2 and a mean depth of 2.84 m (3.2e8 m3), so the "
        "volume is uncertain by a factor of up to 2. East, middle and west basins lumped.",
    },
    "CH": {
        "name": "澄湖 Cheng Lake",
        "lon": 120.835,
        "lat": 31.205,
        "initial": 2.95,
        "bed": 0.6,
        "level_m": [0.6, 1.3, 2.2, 3.0, 3.6, 4.6],
        "area_km2": [6.0, 30.0, 41.0, 45.0, 46.0, 47.5],
        "lake": True,
        "source": SRC_LAKES_WIKI,
        "confidence": "estimated",
        "note": "Area 45 km2 and volume 7.9e7 m3 at 3.0 m from the published 45 km2, 1.8 m, "
        "8e7 m3; the curve shape is assumed.",
    },
    "POL_CITY_N": {
        "name": "玉山城北 防洪包围圈 内河 (city polder, north)",
        "lon": 121.005,
        "lat": 31.412,
        "initial": 2.7,
        "bed": 0.5,
        "level_m": [0.5, 5.0],
        "area_km2": [2.2, 2.8],
        "lake": False,
        "source": "assumed: Kunshan's central city lies inside flood-protection polders drained "
        "by pumping stations (圩区); the internal river surface is taken as about 8 % of a "
        "30 km2 polder",
        "confidence": "assumed",
        "note": "A lumped representation of the city's internal river network north of the "
        "Lou River; the real polders have many pumping stations.",
    },
    "POL_CITY_S": {
        "name": "玉山城南/开发区 防洪包围圈 内河 (city polder, south)",
        "lon": 120.985,
        "lat": 31.340,
        "initial": 2.7,
        "bed": 0.5,
        "level_m": [0.5, 5.0],
        "area_km2": [2.8, 3.4],
        "lake": False,
        "source": "assumed: as for POL_CITY_N, about 8 % of a 38 km2 polder between the Lou "
        "and Wusong rivers",
        "confidence": "assumed",
        "note": "Lumped internal river network of the southern city and development zone.",
    },
    "POL_LUJIA": {
        "name": "陆家-花桥 圩区 内河 (polder)",
        "lon": 121.085,
        "lat": 31.320,
        "initial": 2.7,
        "bed": 0.5,
        "level_m": [0.5, 5.0],
        "area_km2": [1.8, 2.2],
        "lake": False,
        "source": "assumed: low-lying 圩区 east of the city drained by pumps into the Wusong",
        "confidence": "assumed",
        "note": "Lumped polder; capacity and area are assumptions.",
    },
}

# ---------------------------------------------------------------------- cross-sections
# id: (bottom width m, side slope H:V, Manning n, source, confidence, note)
SECTIONS: dict[str, tuple[float, float, float, str, str, str]] = {
    "XS_WUSONG_JS": (
        45.0,
        3.0,
        0.025,
        SRC_SUSHEN_INNER,
        "published",
        "Bottom width from the Class III channel standard; side slope 1:3 assumed; the "
        "reach 青阳港 - border is not yet dredged and is likely narrower.",
    ),
    "XS_WUSONG_SH": (
        30.0,
        3.0,
        0.025,
        SRC_SUZHOU_CREEK,
        "estimated",
        "Suburban Suzhou Creek (白鹤 - 北新泾): between the Jiangsu channel and the 15-20 m "
        "downtown bottom width.",
    ),
    "XS_SUZHOU_URBAN": (
        18.0,
        3.5,
        0.025,
        SRC_SUZHOU_CREEK,
        "published",
        "Bottom 15-20 m and surface 40-50 m downtown give a side slope of about 1:3.5 at "
        "3.5 m depth (slope derived).",
    ),
    "XS_LOU_WEST": (
        40.0,
        3.0,
        0.025,
        SRC_LOU,
        "published",
        "Bottom width within the published 35-80 m; surface about 64-70 m at 4 m depth as "
        "published (70 m) west of 玉山; side slope derived.",
    ),
    "XS_LOU_EAST": (
        80.0,
        4.0,
        0.025,
        SRC_LOU,
        "published",
        "Bottom 80 m (upper published value) and surface about 112-120 m east of 青阳港.",
    ),
    "XS_LIUHE": (
        80.0,
        4.0,
        0.025,
        "estimated: continuation of the Lou River east section (浏河)",
        "estimated",
        "No published section of the 浏河 at hand; taken as the Lou east section.",
    ),
    "XS_NAV": (
        40.0,
        3.0,
        0.025,
        "estimated: 青阳港, 杨林塘 and 张家港河 are regional navigation channels (申张线, 杨林塘航道) "
        "of Class III-IV, whose standard bottom width is 40-45 m",
        "estimated",
        "Representative navigation-channel section.",
    ),
    "XS_QIPU": (
        50.0,
        3.0,
        0.025,
        SRC_QIPU,
        "assumed",
        "The 2011-2015 widening made 七浦塘 a main Yangtze outlet of the 阳澄 area; bottom width "
        "assumed (no design section at hand).",
    ),
    "XS_LINK": (
        25.0,
        2.5,
        0.028,
        "assumed: secondary connecting rivers of the Taihu plain (界浦港, 清秋浦, 西尤泾, 东尤泾, "
        "夏驾浦) are typically 30-50 m wide at the water surface",
        "assumed",
        "Representative secondary-river section.",
    ),
    "XS_YANTIE": (
        25.0,
        2.5,
        0.028,
        SRC_YANTIE + "; section assumed",
        "assumed",
        "Representative section for 盐铁塘.",
    ),
    "XS_JISHUI": (
        60.0,
        3.0,
        0.025,
        "estimated: 急水港 carries the 苏申外港线 navigation route (Suzhou - 淀山湖 - 拦路港 - "
        "Huangpu) and most of the inflow to Dianshan Lake",
        "estimated",
        "Representative section; no survey at hand.",
    ),
    "XS_LAKELINK": (
        30.0,
        3.0,
        0.03,
        "assumed: channels between the lakes (澄湖 outlets, 大朱厍, 千灯浦, 锦溪-千灯 link)",
        "assumed",
        "Representative section; these channels are partly lake-like and vegetated.",
    ),
    "XS_LANLU": (
        90.0,
        3.0,
        0.025,
        SRC_XIETANG,
        "estimated",
        "拦路港 and 泖河 were widened by the 扩大拦路港泖河及斜塘工程 (Taihu Basin Authority); "
        "section taken by analogy with the published 斜塘 section just downstream.",
    ),
    "XS_YCH_OUT": (
        40.0,
        3.0,
        0.028,
        "assumed: the channels joining Yangcheng Lake's south shore to the Lou River at 唯亭 "
        "lumped into one",
        "assumed",
        "One channel stands for several lake outlets.",
    ),
}

# ---------------------------------------------------------------------------- reaches
# Each reach: id, name, from, to, via points, section class, bed from/to (m), dx (m), group
# (for published lengths), in_lake_first/last (first/last segment lies inside a lake and is not
# counted in the length), source note. Beds are Zhenjiang Wusong datum, 'estimated' unless the
# source says otherwise.
R = []


def reach(rid, name, a, b, via, xs, bed, dx, group=None, lake_first=False, lake_last=False,
          note="", src=None, conf="estimated"):  # fmt: skip
    R.append(
        dict(
            id=rid, name=name, a=a, b=b, via=via, xs=xs, bed=bed, dx=dx, group=group,
            lake_first=lake_first, lake_last=lake_last, note=note, src=src, conf=conf,
        )
    )  # fmt: skip


BED_WUSONG = "bed -1.0 m where dredged to the Class III depth (3.2 m below low navigable water)"
# Wusong River, Jiangsu
reach(
    "wusong_01",
    "吴淞江 瓜泾口-车坊",
    "W_GUAJING",
    "W_CHEFANG",
    [(120.66, 31.215), (120.70, 31.240), (120.73, 31.252)],
    "XS_WUSONG_JS",
    (-1.0, -1.0),
    200,
    "wusong_js",
    note=BED_WUSONG,
)
reach(
    "wusong_02",
    "吴淞江 车坊-界浦港",
    "W_CHEFANG",
    "W_JIEPU",
    [(120.80, 31.272), (120.83, 31.279)],
    "XS_WUSONG_JS",
    (-1.0, -1.0),
    200,
    "wusong_js",
    note=BED_WUSONG,
)
reach(
    "wusong_03",
    "吴淞江 界浦港-大直",
    "W_JIEPU",
    "W_DAZHI",
    [(120.878, 31.287)],
    "XS_WUSONG_JS",
    (-1.0, -0.8),
    200,
    "wusong_js",
    note="Kunshan reach; 界浦江-青阳港 dredging deferred (2021), bed raised towards the east",
)
reach(
    "wusong_04",
    "吴淞江 大直-清秋浦",
    "W_DAZHI",
    "W_QINGQIU",
    [],
    "XS_WUSONG_JS",
    (-0.8, -0.7),
    200,
    "wusong_js",
)
reach(
    "wusong_05",
    "吴淞江 清秋浦-西尤泾",
    "W_QINGQIU",
    "W_XIYOU",
    [],
    "XS_WUSONG_JS",
    (-0.7, -0.6),
    200,
    "wusong_js",
)
reach(
    "wusong_06",
    "吴淞江 西尤泾-东尤泾",
    "W_XIYOU",
    "W_DONGYOU",
    [],
    "XS_WUSONG_JS",
    (-0.6, -0.5),
    200,
    "wusong_js",
)
reach(
    "wusong_07",
    "吴淞江 东尤泾-青阳港",
    "W_DONGYOU",
    "W_QINGYANG",
    [],
    "XS_WUSONG_JS",
    (-0.5, -0.5),
    200,
    "wusong_js",
)
reach(
    "wusong_08",
    "吴淞江 青阳港-千灯浦 (石浦)",
    "W_QINGYANG",
    "W_QIANDENG",
    [],
    "XS_WUSONG_JS",
    (-0.5, -0.5),
    200,
    "wusong_js",
    note="The order of the 青阳港 and 千灯浦 mouths along the river is uncertain",
)
reach(
    "wusong_09",
    "吴淞江 千灯浦-夏驾浦",
    "W_QIANDENG",
    "W_XIAJIA",
    [(121.035, 31.295)],
    "XS_WUSONG_JS",
    (-0.5, -0.5),
    200,
    "wusong_js",
)
reach(
    "wusong_10",
    "吴淞江 夏驾浦-三江口 (苏沪界)",
    "W_XIAJIA",
    "W_BORDER",
    [(121.085, 31.287)],
    "XS_WUSONG_JS",
    (-0.5, -0.5),
    200,
    "wusong_js",
)
# Wusong River / Suzhou Creek, Shanghai
reach(
    "wusong_11",
    "吴淞江 三江口-黄渡",
    "W_BORDER",
    "W_HUANGDU",
    [(121.16, 31.277), (121.19, 31.275)],
    "XS_WUSONG_SH",
    (0.0, 0.0),
    200,
    "wusong_sh",
    note="Shanghai reach; bed estimated from 2 m low-water depth (Shanghai chronicle)",
)
reach(
    "wusong_12",
    "苏州河 黄渡-北新泾",
    "W_HUANGDU",
    "W_BEIXINJING",
    [(121.26, 31.262), (121.30, 31.245), (121.34, 31.228)],
    "XS_WUSONG_SH",
    (0.0, -0.2),
    200,
    "wusong_sh",
)
reach(
    "wusong_13",
    "苏州河 北新泾-外白渡桥",
    "W_BEIXINJING",
    "W_MOUTH",
    [(121.40, 31.225), (121.43, 31.240), (121.45, 31.245), (121.47, 31.243)],
    "XS_SUZHOU_URBAN",
    (-0.2, -0.5),
    200,
    "wusong_sh",
    note="Downtown Suzhou Creek, about 9 sharp bends not resolved",
)
# Lou River
reach(
    "lou_01",
    "娄江 娄门-唯亭",
    "B_LOUMEN",
    "L_WEITING",
    [(120.68, 31.330), (120.74, 31.342)],
    "XS_LOU_WEST",
    (0.0, 0.0),
    200,
    "lou",
    note="Bed 0.0 m within the published -1 to 1.94 m",
)
reach(
    "lou_02", "娄江 唯亭-界浦港", "L_WEITING", "L_JIEPU", [], "XS_LOU_WEST", (0.0, 0.0), 200, "lou"
)
reach(
    "lou_03", "娄江 界浦港-正仪", "L_JIEPU", "L_QINGQIU", [], "XS_LOU_WEST", (0.0, 0.0), 200, "lou"
)
reach(
    "lou_04", "娄江 正仪-西尤泾", "L_QINGQIU", "L_XIYOU", [], "XS_LOU_WEST", (0.0, -0.3), 250, "lou"
)
reach(
    "lou_05",
    "娄江 西尤泾-东尤泾 (玉山)",
    "L_XIYOU",
    "L_DONGYOU",
    [],
    "XS_LOU_WEST",
    (-0.3, -0.5),
    200,
    "lou",
)
reach(
    "lou_06",
    "娄江 东尤泾-青阳港",
    "L_DONGYOU",
    "L_QINGYANG",
    [],
    "XS_LOU_WEST",
    (-0.5, -0.8),
    200,
    "lou",
)
reach(
    "lou_07",
    "娄江 青阳港-张家港河",
    "L_QINGYANG",
    "L_ZJG",
    [],
    "XS_LOU_EAST",
    (-1.0, -1.0),
    200,
    "lou",
    note="Bed -1.0 m, the lower published value, east of 青阳港",
)
reach(
    "lou_08",
    "娄江 张家港河-夏驾浦",
    "L_ZJG",
    "L_XIAJIA",
    [],
    "XS_LOU_EAST",
    (-1.0, -1.0),
    250,
    "lou",
)
reach(
    "lou_09",
    "娄江 夏驾浦-草芦 (娄江/浏河界)",
    "L_XIAJIA",
    "L_CAOLU",
    [],
    "XS_LOU_EAST",
    (-1.0, -1.0),
    200,
    "lou",
)
reach(
    "liuhe_01",
    "浏河 草芦-太仓 (盐铁塘)",
    "L_CAOLU",
    "LH_YANTIE",
    [(121.10, 31.425)],
    "XS_LIUHE",
    (-1.0, -1.2),
    200,
)
reach(
    "liuhe_02",
    "浏河 太仓-太和",
    "LH_YANTIE",
    "LH_TAIHE",
    [(121.16, 31.458), (121.20, 31.475)],
    "XS_LIUHE",
    (-1.2, -1.5),
    200,
)
reach(
    "liuhe_03",
    "浏河 太和-浏河闸",
    "LH_TAIHE",
    "LH_INNER",
    [(121.26, 31.502)],
    "XS_LIUHE",
    (-1.5, -1.5),
    200,
)
# Lou - Wusong links (north-south)
reach(
    "jiepu",
    "界浦港 (娄江-吴淞江, 苏州工业园区/昆山界)",
    "L_JIEPU",
    "JP_SOUTH",
    [(120.858, 31.330)],
    "XS_LINK",
    (0.5, 0.5),
    200,
    note="Course estimated; gate at its Wusong mouth (界浦港大孔闸)",
)
reach(
    "qingqiu",
    "清秋浦 (正仪-吴淞江)",
    "L_QINGQIU",
    "W_QINGQIU",
    [(120.915, 31.330)],
    "XS_LINK",
    (0.5, 0.5),
    200,
    src=SRC_LOU + "; " + SRC_BAIKE_WUSONG,
)
reach(
    "xiyou",
    "西尤泾 (娄江-吴淞江)",
    "L_XIYOU",
    "W_XIYOU",
    [(120.942, 31.333)],
    "XS_LINK",
    (0.5, 0.5),
    200,
    src=SRC_LOU,
)
reach(
    "dongyou",
    "东尤泾 (娄江-吴淞江)",
    "L_DONGYOU",
    "W_DONGYOU",
    [(120.970, 31.336)],
    "XS_LINK",
    (0.5, 0.5),
    200,
    src=SRC_LOU,
)
reach(
    "qingyang",
    "青阳港 (娄江-吴淞江, 昆山城区东)",
    "L_QINGYANG",
    "W_QINGYANG",
    [(121.003, 31.340)],
    "XS_NAV",
    (-0.5, -0.5),
    200,
    src=SRC_BAIKE_WUSONG,
)
reach(
    "xiajia",
    "夏驾浦 (娄江-吴淞江, 陆家)",
    "L_XIAJIA",
    "W_XIAJIA",
    [(121.052, 31.345)],
    "XS_LINK",
    (0.5, 0.5),
    200,
    src=SRC_BAIKE_WUSONG,
)
# Yangcheng Lake outlets and the northern rivers
reach(
    "ych_weiting",
    "阳澄湖南出 (唯亭, lumped outlets to the Lou)",
    "YCH",
    "L_WEITING",
    [(120.795, 31.372)],
    "XS_YCH_OUT",
    (0.5, 0.5),
    200,
    lake_first=True,
)
reach(
    "yanglin_01",
    "杨林塘 巴城-周市 (阳澄湖-张家港河)",
    "YCH",
    "YL_ZJG",
    [(120.862, 31.445), (120.93, 31.458)],
    "XS_NAV",
    (-1.0, -1.0),
    200,
    lake_first=True,
    note="杨林塘 leaves 阳澄东湖 at 巴城",
)
reach(
    "yanglin_02",
    "杨林塘 周市-太仓 (盐铁塘)",
    "YL_ZJG",
    "YL_YANTIE",
    [(121.06, 31.482)],
    "XS_NAV",
    (-1.0, -1.0),
    200,
)
reach(
    "yanglin_03",
    "杨林塘 太仓-杨林闸",
    "YL_YANTIE",
    "YL_INNER",
    [(121.17, 31.525), (121.21, 31.55)],
    "XS_NAV",
    (-1.0, -1.2),
    200,
)
reach(
    "qipu_01",
    "七浦塘 阳澄湖-张家港河",
    "YCH",
    "QP_ZJG",
    [(120.835, 31.462), (120.88, 31.49), (120.95, 31.518)],
    "XS_QIPU",
    (-1.5, -1.5),
    200,
    "qipu",
    lake_first=True,
    note="Leaves the lake's north-east shore (阳澄湖枢纽)",
)
reach(
    "qipu_02",
    "七浦塘 张家港河-沙溪 (盐铁塘)",
    "QP_ZJG",
    "QP_YANTIE",
    [(121.06, 31.556)],
    "XS_QIPU",
    (-1.5, -1.5),
    200,
    "qipu",
)
reach(
    "qipu_03",
    "七浦塘 沙溪-七浦闸 (江边枢纽)",
    "QP_YANTIE",
    "QP_INNER",
    [(121.16, 31.590)],
    "XS_QIPU",
    (-1.5, -1.8),
    200,
    "qipu",
)
reach(
    "zjg_01",
    "张家港河 娄江-杨林塘 (周市)",
    "L_ZJG",
    "YL_ZJG",
    [(121.012, 31.430)],
    "XS_NAV",
    (-0.5, -0.5),
    200,
    note="昆山 reach of the 申张线 channel; course estimated",
)
reach(
    "zjg_02",
    "张家港河 杨林塘-七浦塘",
    "YL_ZJG",
    "QP_ZJG",
    [(121.015, 31.505)],
    "XS_NAV",
    (-0.5, -0.5),
    200,
)
reach(
    "yantie_01",
    "盐铁塘 沙溪-杨林塘",
    "QP_YANTIE",
    "YL_YANTIE",
    [(121.105, 31.535)],
    "XS_YANTIE",
    (0.5, 0.5),
    200,
    src=SRC_YANTIE,
)
reach(
    "yantie_02",
    "盐铁塘 杨林塘-浏河 (太仓城)",
    "YL_YANTIE",
    "LH_YANTIE",
    [(121.112, 31.470)],
    "XS_YANTIE",
    (0.5, 0.5),
    200,
    src=SRC_YANTIE,
)
reach(
    "yantie_03",
    "盐铁塘 浏河-黄渡 (嘉定)",
    "LH_YANTIE",
    "W_HUANGDU",
    [(121.14, 31.410), (121.16, 31.385), (121.18, 31.340), (121.20, 31.300)],
    "XS_YANTIE",
    (0.5, 0.3),
    200,
    src=SRC_YANTIE,
)
# South: Cheng Lake, Dianshan Lake and their channels
reach(
    "chefang_ch",
    "车坊-澄湖 (澄湖西北进水, representative)",
    "W_CHEFANG",
    "CH",
    [(120.790, 31.240)],
    "XS_LAKELINK",
    (0.0, 0.0),
    200,
    lake_last=True,
    conf="assumed",
    note="Stands for the channels that feed Cheng Lake from the Wusong at 车坊/甪直",
)
reach(
    "ch_north",
    "澄湖北出 (澄湖-吴淞江 大直, representative)",
    "CH",
    "W_DAZHI",
    [(120.865, 31.240)],
    "XS_LAKELINK",
    (0.0, 0.0),
    200,
    lake_first=True,
    conf="assumed",
    note="Stands for the channels between Cheng Lake and the Wusong (e.g. via 大直)",
)
reach(
    "ch_jinxi",
    "澄湖东出-锦溪 (representative)",
    "CH",
    "JX",
    [(120.870, 31.195)],
    "XS_LAKELINK",
    (0.0, 0.0),
    200,
    lake_first=True,
    conf="assumed",
    note="Stands for the 澄湖 - 五保湖 - 锦溪 channels",
)
reach(
    "ch_zhouzhuang",
    "澄湖南出-周庄 (白蚬江, representative)",
    "CH",
    "ZZ",
    [(120.840, 31.160)],
    "XS_LAKELINK",
    (0.0, 0.0),
    200,
    lake_first=True,
    conf="assumed",
)
reach(
    "jishui_01",
    "急水港 同里-周庄",
    "B_TONGLI",
    "ZZ",
    [(120.815, 31.115)],
    "XS_JISHUI",
    (-1.5, -1.5),
    200,
    src=SRC_LAKES_WIKI,
)
reach(
    "jishui_02",
    "急水港 周庄-淀山湖",
    "ZZ",
    "DSH",
    [(120.885, 31.121), (120.915, 31.123)],
    "XS_JISHUI",
    (-1.5, -1.5),
    200,
    lake_last=True,
    src=SRC_LAKES_WIKI,
)
reach(
    "dazhushe",
    "大朱厍港 锦溪-淀山湖",
    "JX",
    "DSH",
    [(120.925, 31.160)],
    "XS_LAKELINK",
    (-0.5, -0.5),
    200,
    lake_last=True,
    src=SRC_LAKES_WIKI,
)
reach(
    "qiandengpu_01",
    "千灯浦 吴淞江-千灯",
    "W_QIANDENG",
    "QD",
    [(121.005, 31.270)],
    "XS_LAKELINK",
    (0.0, 0.0),
    200,
    src=SRC_BAIKE_WUSONG,
)
reach(
    "qiandengpu_02",
    "千灯浦 千灯-淀山湖",
    "QD",
    "DSH",
    [(120.990, 31.200), (120.985, 31.160)],
    "XS_LAKELINK",
    (0.0, 0.0),
    200,
    lake_last=True,
    note="Course to the lake's north shore estimated",
)
reach(
    "jx_qd",
    "锦溪-千灯 联络河 (representative)",
    "JX",
    "QD",
    [(120.950, 31.215)],
    "XS_LAKELINK",
    (0.3, 0.3),
    200,
    conf="assumed",
    note="Stands for the east-west channels between 锦溪 and 千灯 that loop the southern "
    "network; no single named river is implied",
)
reach(
    "lanlugang",
    "拦路港 淀山湖-泖甸",
    "DSH",
    "LLG_MAOHE",
    [(121.030, 31.085), (121.042, 31.060)],
    "XS_LANLU",
    (-3.5, -3.5),
    200,
    lake_first=True,
    src=SRC_LAKES_WIKI + "; " + SRC_XIETANG,
    note="淀峰 at the lake outlet",
)
reach(
    "maohe",
    "泖河 泖甸-泖口",
    "LLG_MAOHE",
    "B_MAOKOU",
    [(121.08, 31.010)],
    "XS_LANLU",
    (-3.5, -4.0),
    200,
    src=SRC_XIETANG,
)

# -------------------------------------------------------------------------- structures
STRUCTURES = [
    dict(
        id="guajingkou_sluice",
        name="瓜泾口枢纽 (Guajingkou control, Wusong intake from Taihu)",
        kind="sluice",
        from_node="B_TAIHU",
        to_node="W_GUAJING",
        sill_level_m=-1.0,
        width_m=40.0,
        opening_m=6.0,
        source="assumed: the Wusong leaves East Taihu at 瓜泾口 through a control structure of the "
        "East Taihu regulation works; dimensions not at hand",
        confidence="assumed",
        note="Kept fully open (gate clear of the water), so it acts as a weir-free opening.",
    ),
    dict(
        id="suzhou_creek_gate",
        name="苏州河河口闸 (Suzhou Creek mouth gate)",
        kind="sluice",
        from_node="W_MOUTH",
        to_node="B_HUANGPU",
        sill_level_m=-1.5,
        width_m=100.0,
        opening_m=7.0,
        source="assumed: the Suzhou Creek mouth gate near 外白渡桥 (2000s) is recalled as a "
        "single 100 m bottom-hinged gate; not verified here",
        confidence="assumed",
        note="Normally open; closed only against storm tides, which the baseline does not model.",
    ),
    dict(
        id="jiepugang_gate",
        name="界浦港大孔闸 (Jiepugang large-span gate)",
        kind="sluice",
        from_node="JP_SOUTH",
        to_node="W_JIEPU",
        sill_level_m=-1.0,
        width_m=60.0,
        opening_m=6.0,
        source="published: 吴淞江(江苏段)整治工程 project page, 2024 (duoduokanjia.com.cn/project/"
        "major/id/2017): single span of 60 m net width, flood control and drainage",
        confidence="published",
        note="Under construction in 2024; modelled open. Sill level assumed.",
    ),
    dict(
        id="liuhe_sluice",
        name="浏河闸 (Liuhe tidal sluice)",
        kind="sluice",
        from_node="LH_INNER",
        to_node="B_YZ_LIUHE",
        sill_level_m=-1.5,
        width_m=60.0,
        rule=dict(node="LH_INNER", above_m=2.8, below_m=2.65, on_value=1.2, off_value=0.0),
        flow_direction="positive",
        source="assumed: the Liuhe sluice at the Yangtze drains the 阳澄淀泖 area on the ebb; "
        "width and sill not at hand, rule assumed",
        confidence="assumed",
        note="Drainage only (inner -> Yangtze) while the inner level is high; intake from the "
        "Yangtze in dry spells is not represented.",
    ),
    dict(
        id="yanglin_sluice",
        name="杨林闸 (Yanglin tidal sluice)",
        kind="sluice",
        from_node="YL_INNER",
        to_node="B_YZ_YANGLIN",
        sill_level_m=-1.2,
        width_m=40.0,
        rule=dict(node="YL_INNER", above_m=2.8, below_m=2.65, on_value=1.2, off_value=0.0),
        flow_direction="positive",
        source="assumed: tidal sluice at the 杨林塘 mouth; dimensions and rule assumed",
        confidence="assumed",
        note="Drainage only.",
    ),
    dict(
        id="qipu_sluice",
        name="七浦塘江边枢纽 节制闸 (Qipu Yangtze sluice)",
        kind="sluice",
        from_node="QP_INNER",
        to_node="B_YZ_QIPU",
        sill_level_m=-1.8,
        width_m=48.0,
        rule=dict(node="QP_INNER", above_m=2.8, below_m=2.65, on_value=1.2, off_value=0.0),
        flow_direction="positive",
        source=SRC_QIPU + "; sluice dimensions and rule assumed",
        confidence="assumed",
        note="Drainage only.",
    ),
    dict(
        id="qipu_pump",
        name="七浦塘江边枢纽 泵站 (Qipu intake pumps)",
        kind="pump",
        from_node="B_YZ_QIPU",
        to_node="QP_INNER",
        capacity_m3s=50.0,
        schedule="qipu_intake_fraction",
        source=SRC_QIPU + "; capacity and schedule assumed",
        confidence="assumed",
        note="Pumps Yangtze water into 七浦塘 towards Yangcheng Lake in the dry season (the "
        "documented purpose); running fraction per month is an assumption.",
    ),
]
_POLDERS = [
    ("POL_CITY_N", "L_ZJG", "玉山城北 排涝泵站 (lumped)", 30.0),
    ("POL_CITY_S", "W_QINGYANG", "玉山城南/开发区 排涝泵站 (lumped)", 35.0),
    ("POL_LUJIA", "W_XIAJIA", "陆家-花桥 圩区泵站 (lumped)", 20.0),
]
for _node, _out, _name, _cap in _POLDERS:
    STRUCTURES.append(
        dict(
            id=f"{_node.lower()}_pump",
            name=_name,
            kind="pump",
            from_node=_node,
            to_node=_out,
            capacity_m3s=_cap,
            start_level_m=3.0,
            stop_level_m=2.6,
            source="assumed: polder pumping (圩区排涝) keeps inner levels near 2.6-3.0 m; "
            "capacity about 1 m3/s per km2 of polder",
            confidence="assumed",
            note="Lumps the many pumping stations of the polder into one.",
        )
    )
    STRUCTURES.append(
        dict(
            id=f"{_node.lower()}_outlet",
            name=_name.replace("泵站", "自排闸 (flap)"),
            kind="flap_gate",
            from_node=_node,
            to_node=_out,
            invert_level_m=0.5,
            width_m=8.0,
            height_m=3.5,
            source="assumed: gravity outlet of the polder, open only outwards",
            confidence="assumed",
            note="Lumped gravity outlets.",
        )
    )
