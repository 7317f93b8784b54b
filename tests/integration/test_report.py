"""The comparison report from outcomes made in the test (no runs): table values, changes
against the baseline, failed scenarios and a failed baseline, escaping of user text, and CSV
files that depend only on the outcomes."""

from __future__ import annotations

import csv
import os
from html.parser import HTMLParser

import pytest

from twin.assess.assessment import Assessment, SectionSpec, assess_section
from twin.assess.products import RunProducts, StorageLoad
from twin.compare.outcome import ScenarioOutcome
from twin.compare.report import Comparison, write_comparison

SPECS = [
    SectionSpec("s1", "river", 3, "river one"),
    SectionSpec("s2", "river", 3, "river two", observed={"do": 4.0}),
    SectionSpec("lake", "lake", 4, "the lake"),
]
YEAR_S = 366 * 86400.0


def products(name: str, tp: list[float], lake_tp_t: float) -> RunProducts:
    sections = tuple(
        assess_section(spec, {"tp": v, "nh3n": 0.4, **({"tn": 1.2} if spec.kind == "lake" else {})})
        for spec, v in zip(SPECS, tp, strict=True)
    )
    loads = [
        StorageLoad("2024", "lake", "the lake", "tp", "all", lake_tp_t * 1000, 0.0, YEAR_S),
        StorageLoad("2024", "lake", "the lake", "tp", "enterprise", 0.75 * lake_tp_t * 1000,
                    float("nan"), YEAR_S),
        StorageLoad("2024", "lake", "the lake", "tp", "other", 0.25 * lake_tp_t * 1000,
                    float("nan"), YEAR_S),
        StorageLoad("2024", "lake", "the lake", "tp", "wwtp", 0.0, float("nan"), YEAR_S),
    ]  # fmt: skip
    return RunProducts(name, "2024-01-01T00:00:00", "2025-01-01T00:00:00",
                       [Assessment("2024", sections)], loads)  # fmt: skip


def outcome(i: int, name: str, prod: RunProducts | None, error: str = "") -> ScenarioOutcome:
    m = ScenarioOutcome(index=i, path=f"/s/{name}.toml", name=name, folder=f"runs/{name}")
    if prod is None:
        m.status, m.error_kind, m.error = "failed", "simulation", error
    else:
        m.status, m.products = "ok", prod
        m.interventions = [f"{name}.toml interventions[0]: a measure for <{name}>"]
        m.description = f"what {name} is & does"
    return m


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


class Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture
def comp():
    return Comparison(
        [
            outcome(0, "baseline", products("baseline", [0.25, 0.15, 0.06], 40.0)),
            outcome(1, "cut <b>&", products("cut <b>&", [0.15, 0.15, 0.04], 30.0)),
            outcome(2, "broken", None, "the step failed <script>alert(1)</script>"),
        ],
        baseline=0,
    )


def test_tables_hold_values_classes_and_changes(comp, tmp_path):
    write_comparison(comp, tmp_path)
    rows = read_csv(tmp_path / "comparison.csv")
    tp = {(r["scenario"], r["section_id"]): r for r in rows if r["indicator"] == "tp"}
    r = tp[("cut <b>&", "s1")]
    assert (r["mean_mg_l"], r["class"], r["baseline_mean_mg_l"], r["baseline_class"]) == (
        "0.15", "III", "0.25", "IV")  # fmt: skip
    assert float(r["change_mg_l"]) == pytest.approx(-0.1) and r["change_percent"] == "-40.00"
    assert r["section_class"] == "III" and r["target_met"] == "yes"
    # s2: DO observed at 4.0 mg/L is Class IV (>= 3, < 5) and sets the section class.
    do = next(r for r in rows if r["section_id"] == "s2" and r["indicator"] == "do")
    assert (do["origin"], do["class"], do["section_class"]) == ("observed", "IV", "IV")
    lake_tp = tp[("cut <b>&", "lake")]
    assert lake_tp["class"] == "III"  # lake limits: 0.025 < 0.04 <= 0.05
    broken = [r for r in rows if r["scenario"] == "broken"]
    assert len(broken) == 1 and broken[0]["status"] == "failed"
    assert "<script>" in broken[0]["error"]  # CSV keeps the text as it is

    summary = {r["scenario"]: r for r in read_csv(tmp_path / "summary.csv")}
    # Baseline: s1 IV (TP 0.25), s2 IV (DO), lake IV (TP 0.06 > 0.05); the cut: III, IV, III.
    assert summary["baseline"]["compliance_rate"] == "0.0000"
    assert summary["cut <b>&"]["compliance_rate"] == "0.6667"
    assert summary["cut <b>&"]["compliance_change_vs_baseline"] == "+0.6667"
    assert summary["cut <b>&"]["attainment_rate"] == "0.6667"  # lake target IV
    assert float(summary["cut <b>&"]["lake_tp_load_t"]) == 30.0
    assert float(summary["cut <b>&"]["lake_tp_load_change_percent"]) == -25.0
    assert float(summary["cut <b>&"]["lake_tp_load_t_from_enterprise"]) == 22.5
    # A leap year is 366 d: the annualised load is the load times 365.25 / 366.
    assert float(summary["cut <b>&"]["lake_tp_load_t_per_year"]) == pytest.approx(
        30.0 * 365.25 / 366, rel=1e-5
    )
    assert "lake_tp_load_t_from_wwtp" not in summary["baseline"]  # nothing from any plant
    assert summary["broken"]["status"] == "failed" and "step failed" in summary["broken"]["error"]


def test_report_escapes_user_text_and_shows_failures(comp, tmp_path):
    write_comparison(comp, tmp_path)
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    p = Text()
    p.feed(page)
    assert "script" not in p.tags and "b" in p.tags  # only the report's own <b>
    text = "".join(p.text)
    assert "cut <b>&" in text and "alert(1)" in text
    assert "a measure for <cut <b>&>" in text and "what baseline is & does" in text
    assert "2 of 3 scenarios ran; 1 failed" in text


def test_csv_files_depend_only_on_the_outcomes(comp, tmp_path):
    write_comparison(comp, tmp_path / "a")
    write_comparison(comp, tmp_path / "b")
    for name in ("comparison.csv", "summary.csv", "loads.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_failed_baseline_gives_no_changes(comp, tmp_path):
    comp.members[0].status, comp.members[0].error = "failed", "bad"
    comp.members[0].products = None
    write_comparison(comp, tmp_path)
    rows = read_csv(tmp_path / "comparison.csv")
    assert all(r["change_mg_l"] == "" for r in rows)
    text = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "it failed, so no changes are shown" in text


def test_all_failed_still_gives_a_report(tmp_path):
    comp = Comparison([outcome(0, "a", None, "x"), outcome(1, "b", None, "y")], baseline=0)
    write_comparison(comp, tmp_path)
    assert len(read_csv(tmp_path / "comparison.csv")) == 2
    assert not list(tmp_path.rglob("*.png"))
    p = Text()
    p.feed((tmp_path / "report.html").read_text(encoding="utf-8"))
    assert "0 of 2 scenarios ran" in "".join(p.text)


# ------------------------------------------------------ language, names, loads, page
def visible_text(path) -> str:
    p = Text()
    p.feed(path.read_text(encoding="utf-8"))
    return "".join(p.text)


def named_comp(lang: str = "zh") -> Comparison:
    """Two scenarios on Chinese-named sections, a lake and a polder."""
    specs = [SectionSpec("s_up", "river", 3, "吴淞江石浦"),
             SectionSpec("s_lake", "lake", 3, "淀山湖 <湖心> & 东")]  # fmt: skip
    members = []
    for i, (name, title, tp) in enumerate((("baseline", "基准情景", 0.25),
                                           ("cut", "涉磷企业整治", 0.2))):  # fmt: skip
        sections = tuple(
            assess_section(s, {"tp": tp, "nh3n": 0.4, **({"tn": 1.2} if s.kind == "lake" else {})})
            for s in specs
        )
        loads = [
            StorageLoad("2024", "DSH", "淀山湖", "tp", "all", 40e3 - 1e3 * i, 30e3, YEAR_S),
            StorageLoad("2024", "POL_X", "城北圩区", "tp", "all", 2e3, 1e3, YEAR_S, "polder"),
        ]
        monthly = [Assessment("2024-07", sections), Assessment("2024-08", sections)]
        prod = RunProducts(name, "2024-01-01T00:00:00", "2025-01-01T00:00:00",
                           [Assessment("2024", sections)], loads, monthly=monthly,
                           inputs={"forcing": [("w.nc", "Synthetic hourly weather")],
                                   "confidence": {"sources": {"assumed": 3, "published": 1}}})  # fmt: skip
        m = ScenarioOutcome(index=i, path=f"/s/{name}.toml", name=name, folder=f"runs/{name}",
                            title=title, language=lang, status="ok", products=prod)  # fmt: skip
        members.append(m)
    return Comparison(members, baseline=0)


def test_kunshan_language_gives_a_chinese_report_with_names(tmp_path):
    write_comparison(named_comp("zh"), tmp_path)
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in page
    text = visible_text(tmp_path / "report.html")
    for zh in ("情景对比报告", "优良比例", "入湖负荷", "净入负荷", "总入负荷", "合成数据",
               "逐月优良比例", "2024-07", "2024-08", "基准情景", "涉磷企业整治", "吴淞江石浦"):  # fmt: skip
        assert zh in text, zh
    # Ids are not shown as labels; the CSV files keep them, with the names beside.
    for sid in ("s_up", "s_lake"):
        assert sid not in text
    rows = read_csv(tmp_path / "comparison.csv")
    assert {r["section_id"] for r in rows} == {"s_up", "s_lake"}
    assert {r["scenario"] for r in rows} == {"baseline", "cut"}
    assert {r["scenario_title"] for r in rows} == {"基准情景", "涉磷企业整治"}
    # The embedded font carries the page's Chinese characters.
    assert "@font-face" in page and 'font-family:"twin CJK"' in page


def test_lang_en_gives_english(tmp_path):
    write_comparison(named_comp("zh"), tmp_path, lang="en")
    text = visible_text(tmp_path / "report.html")
    assert "Comparison of scenarios" in text and "Loads into lakes" in text
    assert "情景对比报告" not in text and "优良比例与达标率" not in text
    assert "吴淞江石浦" in text  # names stay as the config gives them


def test_the_template_escapes_names(tmp_path):
    write_comparison(named_comp("zh"), tmp_path)
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "淀山湖 &lt;湖心&gt; &amp; 东" in page and "<湖心>" not in page
    assert "淀山湖 <湖心> & 东" in visible_text(tmp_path / "report.html")


def test_loads_net_and_gross_with_polders_apart(tmp_path):
    write_comparison(named_comp("en"), tmp_path)
    text = visible_text(tmp_path / "report.html")
    lakes, polders = text.index("Loads into lakes"), text.index("Loads into polders")
    assert lakes < text.index("淀山湖", lakes) < polders < text.index("城北圩区", polders)
    assert text.index("城北圩区") > polders  # the polder is not among the lakes
    loads = {(r["scenario"], r["storage_id"]): r for r in read_csv(tmp_path / "loads.csv")}
    cut = loads[("cut", "DSH")]
    assert (cut["load_t"], cut["net_load_t"], cut["water_body"]) == ("39", "9", "lake")
    assert float(cut["net_change_percent"]) == pytest.approx(-10.0)
    assert loads[("cut", "POL_X")]["water_body"] == "polder"
    assert "source apportionment is off" in text


def test_largest_source_groups_are_filled_when_apportioned(comp, tmp_path):
    write_comparison(comp, tmp_path)
    text = visible_text(tmp_path / "report.html")
    assert "enterprise 75%, other 25%" in text


def test_figures_are_labelled_by_names(tmp_path, monkeypatch):
    from twin.assess import plot

    seen = []
    real = plot.save_png

    def keep(fig, path):
        seen.append(fig)
        return real(fig, path)

    monkeypatch.setattr(plot, "save_png", keep)
    write_comparison(named_comp("zh"), tmp_path)
    texts = []
    for fig in seen:
        for ax in fig.axes:
            texts += [t.get_text() for t in (*ax.get_xticklabels(), *ax.get_yticklabels())]
            texts.append(ax.get_title())
            leg = ax.get_legend()
            if leg is not None:
                texts += [t.get_text() for t in leg.get_texts()]
    joined = " | ".join(texts)
    assert "吴淞江石浦" in joined and "涉磷企业整治" in joined and "淀山湖" in joined
    for sid in ("s_up", "s_lake", "POL_X", "DSH"):
        assert sid not in joined, sid
    assert "cut" not in [t.strip() for t in texts]


def test_heatmap_numbers_are_readable_on_dark_cells():
    import numpy as np

    from twin.assess import plot

    fig = plot.change_heatmap(["a"], ["x", "y", "z"], np.array([[-0.1, -0.001, 0.1]]), "t", "mg/L")
    colours = [t.get_color() for t in fig.axes[0].texts]
    assert colours == ["white", "black", "white"]
    assert plot.text_colour((1.0, 1.0, 1.0)) == "black" and plot.text_colour((0, 0, 0.3)) == "white"


def test_report_renders_in_headless_chromium(tmp_path):
    """A screenshot of the Chinese page: rendered, and the Chinese drawn with the embedded
    font (the page's top differs from the same page with its font left out)."""
    import shutil
    import subprocess

    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs it)")
        pytest.skip("chromium is not installed")
    write_comparison(named_comp("zh"), tmp_path)
    page = tmp_path / "report.html"
    bare = tmp_path / "bare.html"
    text = page.read_text(encoding="utf-8")
    bare.write_text(text.replace('font-family:"twin CJK"', 'font-family:"no such font"', 1),
                    encoding="utf-8")  # fmt: skip

    def shot(p, png):
        subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-background-networking", "--virtual-time-budget=5000",
                        f"--screenshot={png}", "--window-size=1000,400", p.as_uri()],
                       check=True, capture_output=True, timeout=120)  # fmt: skip
        return png.read_bytes()

    a = shot(page, tmp_path / "a.png")
    assert a[:8] == b"\x89PNG\r\n\x1a\n" and len(a) > 5000
    from matplotlib import image

    img = image.imread(tmp_path / "a.png")
    assert img.shape[0] == 400 and img.shape[1] == 1000
    assert (img[..., :3] < 0.5).any()  # text was drawn
    b = shot(bare, tmp_path / "b.png")
    assert a != b


def test_source_groups_are_named_in_the_report_language():
    from twin.compare.tables import group_label

    m = named_comp("zh").members[0]
    m.products.inputs["node_names"] = {"B_TAIHU": "太湖 瓜泾口"}
    assert group_label("boundary:B_TAIHU", m, "zh") == "边界 太湖 瓜泾口"
    assert group_label("boundary:B_X", m, "en") == "boundary B_X"
    assert group_label("enterprise", m, "zh") == "工业企业"
    assert group_label("enterprise", m, "en") == "enterprise"
