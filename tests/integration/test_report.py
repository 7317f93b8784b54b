"""The comparison report from outcomes made in the test (no runs): table values, changes
against the baseline, failed scenarios and a failed baseline, escaping of user text, and CSV
files that depend only on the outcomes."""

from __future__ import annotations

import csv
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
