"""The languages of figures and reports: English text is the key, ``ZH`` its Chinese.

``tr(text, lang)`` gives the text in ``lang`` ('en' or 'zh'); text without a translation stays
English, so a missing entry shows as English, never as nothing. Names of sections, lakes and
scenarios are not translated: they are shown as the config gives them.
"""

from __future__ import annotations

LANGUAGES = ("en", "zh")

ZH: dict[str, str] = {
    # page
    "Comparison of scenarios": "情景对比报告",
    "twin: comparison of scenarios": "twin：情景对比报告",
    "What this report rests on": "本报告的依据",
    "Period simulated": "模拟时段",
    "Period(s) assessed": "评价时段",
    "Weather forcing": "气象驱动",
    "Confidence of the inputs": "输入数据的可信度",
    "synthetic: not observations": "合成数据，非实测",
    "The weather forcing is synthetic and most source strengths are assumed: the results show "
    "how the scenarios differ from each other, not the measured water quality of the area.": "气象驱动为合成数据，大部分污染源强度为假定值：结果反映各情景之间的差异，"
    "而非该地区的实测水质。",
    "published": "有公开出处",
    "estimated": "估算",
    "assumed": "假定",
    "not given": "未注明",
    "sources": "污染源",
    "catchments": "汇水区",
    "boundaries": "边界条件",
    "structures": "水工建筑物",
    "reaches": "河段",
    "sections": "评价断面",
    "days": "天",
    "the part of the year the run covers": "模拟覆盖的部分",
    "scenarios ran": "个情景运行成功",
    "failed": "失败",
    "Baseline": "基准情景",
    "it failed, so no changes are shown": "基准情景运行失败，不显示变化",
    "Tables as CSV beside this file": "同目录下的 CSV 表格",
    "generated": "生成于",
    "scenarios run on": "运行于",
    "Compliance and target attainment": "优良比例与达标率",
    "Monthly compliance": "逐月优良比例",
    "Monthly means of each month the run covers; a month the run covers only in part is the "
    "mean of those days.": "按模拟覆盖的每个月统计；只覆盖部分天数的月份为这些天的平均。",
    "month": "月份",
    "Section class of each month (and mean TP, mg/L), by scenario.": "各情景逐月断面水质类别（括号内为平均总磷，mg/L）。",
    "scenario": "情景",
    "period": "时段",
    "classified sections": "参评断面数",
    "in Class I-III": "Ⅰ～Ⅲ类断面数",
    "target met": "达标断面数",
    "compliance rate": "优良比例",
    "attainment rate": "达标率",
    "compliance change": "优良比例变化",
    "points": "个百分点",
    "Sections": "断面水质",
    "Period": "时段",
    "Section class (worst of the assessed indicators) and whether the target is met (✓ / ✗).": "断面水质类别（参评指标中最差者）及是否达到目标（✓ / ✗）。",
    "section": "断面",
    "kind": "类型",
    "target": "目标",
    "river": "河流",
    "lake": "湖泊",
    "polder": "圩区",
    "Mean": "平均",
    "and its class": "及其类别",
    "in brackets the change against the baseline": "括号内为相对基准情景的变化",
    "lakes; assessed separately, not in the section class": "湖泊；单独评价，不计入断面类别",
    "not assessed": "未评价",
    "observed": "实测",
    "Loads into lakes": "入湖负荷",
    "Loads into polders": "入圩区负荷",
    "Polders are the lumped internal rivers of pumped flood-protection areas, listed apart "
    "from the lakes.": "圩区为泵站排涝的防洪包围圈内河（概化），与湖泊分列。",
    "storage node": "调蓄节点",
    "species": "指标",
    "net load (t)": "净入负荷 (t)",
    "net, scaled to a year (t/a)": "净入负荷折年 (t/a)",
    "gross load in (t)": "总入负荷 (t)",
    "gross, scaled to a year (t/a)": "总入负荷折年 (t/a)",
    "net change against the baseline": "净入负荷相对基准变化",
    "gross change against the baseline": "总入负荷相对基准变化",
    "largest source groups (share of the gross load)": "主要来源（占总入负荷比例）",
    "source apportionment is off": "未开启源解析",
    "Net load: what entered the lake through its reaches and structures, plus loads and "
    "boundary inflow at the node, less what left it. Gross load: what entered only (what flows "
    "back in under tidal reversal is counted again).": "净入负荷：经河道和建筑物进入湖泊的量，加上节点处的负荷和边界入流，减去流出量。"
    "总入负荷：只计流入量（潮汐往复回流的部分重复计入）。",
    "No storage nodes (lakes) with water of their own, or water quality was not simulated: no "
    "loads into lakes.": "没有调蓄节点（湖泊），或未模拟水质：无入湖负荷。",
    "Figures": "图",
    "Scenarios": "情景说明",
    "baseline": "基准",
    "ran": "运行成功",
    "File": "文件",
    "Run folder": "运行目录",
    "Model": "模型",
    "Inherits": "继承自",
    "No interventions: the model as configured.": "无措施：按模型配置运行。",
    "Failed scenarios": "失败的情景",
    "error": "错误",
    "What was simulated, observed and not assessed": "模拟、实测与未评价的指标",
    "simulated": "模拟",
    "observed (config)": "实测（配置）",
    "classed separately": "单独评价",
    "none": "无",
    "Maps, profiles and series of each run": "各情景的水质图、纵剖面和断面过程线",
    "network map": "河网水质图",
    "longitudinal profile": "纵剖面",
    "section series": "断面过程线",
    "Method": "方法",
    "No scenario ran: nothing was assessed.": "没有情景运行成功：无评价结果。",
    # source groups of the apportionment
    "wwtp": "污水处理厂",
    "enterprise": "工业企业",
    "untreated_sewage": "未处理污水",
    "nonpoint": "面源",
    "other": "其他",
    "sediment": "底泥释放",
    "initial": "初始存量",
    "boundary": "边界",
    # figures
    "by section": "各断面",
    "limit of the section's target class": "断面目标类别限值",
    "black: limit of the section's target class": "黑线：断面目标类别限值",
    "Change in mean TP against": "平均总磷相对基准的变化：",
    "blue a fall, red a rise": "蓝色为下降，红色为上升",
    "compliance rate (Class I-III)": "优良比例（Ⅰ～Ⅲ类）",
    "target attainment": "达标率",
    "% of classified sections": "占参评断面的百分比",
    "Compliance rate (share of classified sections in Class I-III) and target-attainment rate": "优良比例（Ⅰ～Ⅲ类断面占比）与达标率",
    "Load into each lake": "各湖泊入湖负荷",
    "net load": "净入负荷",
    "gross load": "总入负荷",
    "Change of the net load against the baseline": "净入负荷相对基准情景的变化",
    "change against the baseline (%)": "相对基准的变化 (%)",
    "scaled to a year": "折年",
    "by source group where source apportionment is on": "开启源解析时按来源分组",
    "class of mean TP in rivers, mg/L (GB 3838-2002)": "河流平均总磷类别，mg/L（GB 3838-2002）",
    "worse than V": "劣Ⅴ类",
    "circles: lakes, coloured by the lake TP limits": "圆圈：湖泊，按湖库总磷限值着色",
    "squares: polders": "方块：圩区",
    "triangles: sections (numbers in the list)": "三角：评价断面（编号见列表）",
    "longitude (deg E)": "经度 (°E)",
    "latitude (deg N)": "纬度 (°N)",
    "distance along the profile (km)": "沿程距离 (km)",
    "time (UTC)": "时间 (UTC)",
    "mean": "平均",
    "min - max": "最小～最大",
    "Class III limit": "Ⅲ类限值",
    "grey: Class III limit": "灰线：Ⅲ类限值",
    "mean TP": "平均总磷",
    "to": "至",
    "lakes": "湖泊",
    "polders": "圩区",
}


def tr(text: str, lang: str) -> str:
    """``text`` in ``lang``; English when there is no translation."""
    if lang == "zh":
        return ZH.get(text, text)
    return text


def kind_name(kind: str, lang: str) -> str:
    return tr(kind, lang)
