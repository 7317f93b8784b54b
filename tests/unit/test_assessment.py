"""GB 3838-2002 classification, section classes, period means, rates, TLI and compliance.csv.

The limits below are typed from GB 3838-2002 Table 1 independently of ``twin.assess.assessment``;
"just below/above" a limit means a relative distance of 1e-6 (far beyond the 1e-9 rounding
tolerance the module allows at a limit).
"""

from __future__ import annotations

import csv
import math

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from twin.assess.assessment import (
    CLASS_NAMES,
    Assessment,
    SectionSpec,
    assess,
    assess_section,
    class_name,
    classify,
    parse_class,
    tli_index,
    trophic_state,
    write_compliance_csv,
)
from twin.errors import UserError

# (indicator, kind) -> Class I..V limits in mg/L, from GB 3838-2002 Table 1.
TABLE_1 = {
    ("do", "river"): (7.5, 6, 5, 3, 2),
    ("do", "lake"): (7.5, 6, 5, 3, 2),
    ("codmn", "river"): (2, 4, 6, 10, 15),
    ("codmn", "lake"): (2, 4, 6, 10, 15),
    ("cod", "river"): (15, 15, 20, 30, 40),
    ("cod", "lake"): (15, 15, 20, 30, 40),
    ("bod5", "river"): (3, 3, 4, 6, 10),
    ("bod5", "lake"): (3, 3, 4, 6, 10),
    ("nh3n", "river"): (0.15, 0.5, 1.0, 1.5, 2.0),
    ("nh3n", "lake"): (0.15, 0.5, 1.0, 1.5, 2.0),
    ("tp", "river"): (0.02, 0.1, 0.2, 0.3, 0.4),
    ("tp", "lake"): (0.01, 0.025, 0.05, 0.1, 0.2),
    ("tn", "lake"): (0.2, 0.5, 1.0, 1.5, 2.0),
}
EPS = 1e-6


def expected_class(value: float, limits, higher_is_better: bool) -> int:
    """The first class whose limit admits the value; 6 (劣V) when none does."""
    for c, lim in enumerate(limits, start=1):
        if (value >= lim) if higher_is_better else (value <= lim):
            return c
    return 6


def _cases():
    for (ind, kind), limits in TABLE_1.items():
        for k, lim in enumerate(limits, start=1):
            for where, v in (
                ("below", lim * (1 - EPS)),
                ("equal", lim),
                ("above", lim * (1 + EPS)),
            ):
                yield pytest.param(ind, kind, v, id=f"{ind}-{kind}-{CLASS_NAMES[k - 1]}-{where}")


@pytest.mark.parametrize(("ind", "kind", "value"), list(_cases()))
def test_class_at_and_around_every_limit(ind, kind, value):
    limits = TABLE_1[(ind, kind)]
    want = expected_class(value, limits, ind == "do")
    assert int(classify(ind, value, kind)) == want


@pytest.mark.parametrize(
    ("ind", "kind", "value", "name"),
    [
        # Spot checks written out by hand, including 劣V and the shared I/II limits.
        ("tp", "river", 0.1, "II"),
        ("tp", "river", 0.1000001, "III"),
        ("tp", "river", 0.4, "V"),
        ("tp", "river", 0.4000004, "劣V"),
        ("tp", "lake", 0.1, "IV"),
        ("tp", "lake", 0.2000002, "劣V"),
        ("tp", "lake", 0.06, "IV"),
        ("tp", "river", 0.06, "II"),
        ("nh3n", "river", 2.0, "V"),
        ("nh3n", "river", 2.01, "劣V"),
        ("nh3n", "lake", 0.15, "I"),
        ("tn", "lake", 2.5, "劣V"),
        ("tn", "lake", 1.0, "III"),
        ("cod", "river", 15.0, "I"),
        ("cod", "river", 15.01, "III"),
        ("bod5", "lake", 3.0, "I"),
        ("bod5", "lake", 3.01, "III"),
        ("codmn", "river", 15.01, "劣V"),
        ("do", "river", 7.5, "I"),
        ("do", "river", 7.49, "II"),
        ("do", "river", 9.0, "I"),
        ("do", "river", 2.0, "V"),
        ("do", "river", 1.99, "劣V"),
        ("do", "lake", 0.0, "劣V"),
    ],
)
def test_class_spot_checks(ind, kind, value, name):
    assert class_name(int(classify(ind, value, kind))) == name


def test_do_direction_is_reversed():
    """Higher DO is better: classes fall as DO rises, the opposite of every other indicator."""
    do = np.array([1.0, 2.5, 4.0, 5.5, 7.0, 8.0])
    nh3n = np.array([0.1, 0.3, 0.8, 1.2, 1.8, 2.5])
    assert list(classify("do", do, "river")) == [6, 5, 4, 3, 2, 1]
    assert list(classify("nh3n", nh3n, "river")) == [1, 2, 3, 4, 5, 6]


def test_classify_vectorised_nan_and_tn_in_rivers():
    got = classify("tp", np.array([[0.01, np.nan], [0.25, 1.0]]), "river")
    assert got.tolist() == [[1, 0], [4, 6]]
    assert classify("tn", np.array([0.1, 5.0]), "river").tolist() == [0, 0]


def test_class_names_round_trip():
    for c in range(1, 7):
        assert parse_class(class_name(c)) == c
    assert class_name(0) == ""
    with pytest.raises(ValueError, match="unknown class"):
        parse_class("VI")


# ------------------------------------------------------------------ section classes
def test_section_class_is_the_worst_indicator():
    spec = SectionSpec("s", "river", target_class=3)
    r = assess_section(spec, {"do": 8.0, "nh3n": 0.4, "tp": 0.25, "codmn": 5.0})
    assert r.classes == {"do": 1, "codmn": 3, "nh3n": 2, "tp": 4}
    assert r.section_class == 4
    assert r.worst_indicators == ("tp",)
    assert r.target_met is False
    assert r.class_i_to_iii is False
    assert set(r.not_assessed) == {"cod", "bod5"}


def test_several_worst_indicators_are_all_named():
    r = assess_section(SectionSpec("s", "river"), {"nh3n": 1.2, "tp": 0.25})
    assert r.section_class == 4
    assert r.worst_indicators == ("nh3n", "tp")


def test_rivers_ignore_tn():
    spec = SectionSpec("s", "river", target_class=3)
    r = assess_section(spec, {"tp": 0.15, "tn": 8.0})
    assert r.section_class == 3
    assert "tn" not in r.classes
    assert "tn" not in r.not_assessed
    assert r.means["tn"] == 8.0  # reported, never classed


def test_lakes_use_lake_tp_limits_and_class_tn_separately_by_default():
    spec = SectionSpec("lake", "lake", target_class=4)
    r = assess_section(spec, {"tp": 0.08, "tn": 2.4, "nh3n": 0.3})
    assert r.classes["tp"] == 4  # lake limits: 0.05 < 0.08 <= 0.1
    assert r.classes["tn"] == 6
    assert r.separate == ("tn",)
    assert r.section_class == 4 and r.target_met is True
    r_tn = assess_section(spec, {"tp": 0.08, "tn": 2.4, "nh3n": 0.3}, lake_tn_in_class=True)
    assert r_tn.section_class == 6
    assert r_tn.worst_indicators == ("tn",)
    assert r_tn.separate == ()


def test_observed_values_fill_in_and_simulated_ones_take_precedence():
    spec = SectionSpec("s", "river", observed={"do": 4.0, "codmn": 5.5, "tp": 0.05})
    r = assess_section(spec, {"tp": 0.12, "nh3n": 0.4})
    assert r.origin == {
        "do": "observed",
        "codmn": "observed",
        "nh3n": "simulated",
        "tp": "simulated",
    }
    assert r.means["tp"] == 0.12
    assert r.simulated == ("nh3n", "tp") and r.observed == ("do", "codmn")
    assert r.classes["do"] == 4 and r.section_class == 4
    assert set(r.not_assessed) == {"cod", "bod5"}


def test_a_section_without_any_value_has_no_class():
    r = assess_section(SectionSpec("s", "river", target_class=3), {"tp": math.nan})
    assert r.section_class == 0
    assert r.target_met is None and r.class_i_to_iii is None


def test_unknown_observed_key_is_a_user_error():
    with pytest.raises(UserError, match=r"observed\.cod_mn"):
        SectionSpec("s", "river", observed={"cod_mn": 3.0})


# ----------------------------------------------------------------------- periods
def _year_dataset(tp_by_month, kinds=("river",), calendar=None):
    if calendar is None:
        time = pd.date_range("2024-01-01", "2024-12-31", freq="D")
        months = time.month.to_numpy()
    else:
        time = xr.date_range(
            "2023-01-01", "2023-12-31", freq="D", calendar=calendar, use_cftime=True
        )
        months = np.array([t.month for t in time])
    tp = np.array([tp_by_month[m - 1] for m in months])
    data = np.repeat(tp[:, None], len(kinds), axis=1)
    return xr.Dataset(
        {"tp": (("time", "section"), data)},
        coords={
            "time": time,
            "section": [f"s{i}" for i in range(len(kinds))],
            "kind": ("section", list(kinds)),
            "target_class": ("section", ["III"] * len(kinds)),
        },
    )


def test_monthly_and_annual_classes_come_from_arithmetic_means():
    # TP is 0.05 mg/L in the first half of the year and 0.35 in the second (river limits).
    tp_by_month = [0.05] * 6 + [0.35] * 6
    ds = _year_dataset(tp_by_month)
    monthly = assess(ds, freq="monthly")
    assert [a.period for a in monthly] == [f"2024-{m:02d}" for m in range(1, 13)]
    assert [a.sections[0].section_class for a in monthly] == [2] * 6 + [5] * 6
    annual = assess(ds, freq="annual")
    assert [a.period for a in annual] == ["2024"]
    days = np.array([31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])  # 2024 is a leap year
    mean_by_hand = float((days * np.array(tp_by_month)).sum() / days.sum())
    got = annual[0].sections[0].means["tp"]
    assert got == pytest.approx(mean_by_hand, rel=1e-12)
    assert (
        annual[0].sections[0].section_class
        == expected_class(got, TABLE_1[("tp", "river")], False)
        == 4
    )


def test_annual_mean_equal_to_a_limit_stays_in_that_class():
    """A year of daily values equal to the Class III TP limit averages to the limit up to
    summation rounding, and must stay in Class III."""
    ds = _year_dataset([0.2] * 12)
    r = assess(ds)[0].sections[0]
    assert r.section_class == 3


def test_monthly_means_on_a_noleap_calendar():
    ds = _year_dataset([0.1 * (m % 3 + 1) for m in range(1, 13)], calendar="noleap")
    monthly = assess(ds, freq="monthly")
    assert len(monthly) == 12
    assert monthly[1].sections[0].means["tp"] == pytest.approx(0.3, rel=1e-12)
    assert monthly[1].period == "2023-02"


def test_whole_period_and_results_file_names():
    ds = _year_dataset([0.1] * 12).rename(tp="section_tp")
    (a,) = assess(ds, freq="whole")
    assert a.period == "2024-01-01/2024-12-31"
    assert a.sections[0].means["tp"] == pytest.approx(0.1, rel=1e-12)


def test_sections_from_config_supply_targets_and_observed_values():
    from twin.config.sources import AssessmentSection

    ds = _year_dataset([0.12] * 12)
    sections = [
        AssessmentSection(id="s0", name="Section 0", kind="river", node="n", target_class="II",
                          observed={"do": 6.5}),
        AssessmentSection(id="other", name="Only observed", kind="lake", node="n",
                          target_class="IV", observed={"tp": 0.03}),
    ]  # fmt: skip
    (a,) = assess(ds, sections)
    s0, other = a.sections
    assert s0.name == "Section 0" and s0.target_class == 2
    assert s0.classes == {"do": 2, "tp": 3} and s0.target_met is False
    assert other.origin == {"tp": "observed"} and other.section_class == 3


# ------------------------------------------------------------------------- rates
def _result(cls: int | None, target: int | None, sid: str):
    values = {1: 0.01, 2: 0.05, 3: 0.15, 4: 0.25, 5: 0.35, 6: 0.5}
    sim = {} if cls is None else {"tp": values[cls]}
    r = assess_section(SectionSpec(sid, "river", target_class=target), sim)
    assert r.section_class == (cls or 0)
    return r


def test_compliance_and_attainment_on_a_hand_made_set():
    # classes II, III, IV, 劣V and one section with no data; targets II, II, III, V, III.
    sections = (
        _result(2, 2, "a"),  # I-III, meets
        _result(3, 2, "b"),  # I-III, misses
        _result(4, 3, "c"),  # misses
        _result(6, 5, "d"),  # misses
        _result(None, 3, "e"),  # no class: left out of both rates
        _result(1, None, "f"),  # no target: in the compliance rate only
    )
    a = Assessment("2024", sections)
    assert a.compliance_rate == pytest.approx(3 / 5)
    assert a.attainment_rate == pytest.approx(1 / 4)
    assert math.isnan(Assessment("2024", (sections[4],)).compliance_rate)


# --------------------------------------------------------------------------- TLI
def test_tli_against_hand_calculation():
    chla, tp, tn, sd, codmn = 12.0, 0.09, 2.3, 0.6, 4.8  # mg/m3, mg/L, mg/L, m, mg/L
    sub = {
        "chla": 10 * (2.5 + 1.086 * math.log(chla)),
        "tp": 10 * (9.436 + 1.624 * math.log(tp)),
        "tn": 10 * (5.453 + 1.694 * math.log(tn)),
        "sd": 10 * (5.118 - 1.94 * math.log(sd)),
        "codmn": 10 * (0.109 + 2.661 * math.log(codmn)),
    }
    weights = {"chla": 0.2663, "tp": 0.1879, "tn": 0.1790, "sd": 0.1834, "codmn": 0.1834}
    by_hand = sum(weights[k] * sub[k] for k in sub)
    got, used = tli_index(chla=chla, tp=tp, tn=tn, sd=sd, codmn=codmn)
    # The module uses the exact r^2 ratios; the published weights are rounded to 1e-4, so the
    # two differ by at most 5e-5 * sum |TLI(j)| ~ 0.02.
    assert got == pytest.approx(by_hand, abs=0.02)
    assert used == ("chla", "tp", "tn", "sd", "codmn")
    assert trophic_state(got)[0] == "light eutrophic"


def test_tli_with_missing_parameters_renormalises_weights():
    tp, tn = 0.1, 2.0
    r2_tp, r2_tn = 0.84**2, 0.82**2
    by_hand = (
        r2_tp * 10 * (9.436 + 1.624 * math.log(tp)) + r2_tn * 10 * (5.453 + 1.694 * math.log(tn))
    ) / (r2_tp + r2_tn)
    got, used = tli_index(tp=tp, tn=tn, sd=None, chla=math.nan)
    assert got == pytest.approx(by_hand, rel=1e-12)
    assert used == ("tp", "tn")
    assert math.isnan(tli_index()[0])


@pytest.mark.parametrize(
    ("tli", "state"),
    [(29.99, "oligotrophic"), (30.0, "mesotrophic"), (50.0, "mesotrophic"), (50.01, "light eutrophic"),
     (60.0, "light eutrophic"), (60.01, "middle eutrophic"), (70.0, "middle eutrophic"),
     (70.01, "hypereutrophic")],
)  # fmt: skip
def test_trophic_state_grades(tli, state):
    assert trophic_state(tli)[0] == state


def test_lake_tli_only_where_inputs_exist():
    spec = SectionSpec("lake", "lake", observed={"chla": 15.0, "sd": 0.5, "codmn": 5.0})
    full = assess_section(spec, {"tp": 0.1, "tn": 2.0})
    assert full.tli_parameters == ("chla", "tp", "tn", "sd", "codmn")
    assert full.tli == pytest.approx(tli_index(chla=15.0, tp=0.1, tn=2.0, sd=0.5, codmn=5.0)[0])
    partial = assess_section(SectionSpec("lake", "lake"), {"tp": 0.1, "tn": 2.0})
    assert math.isnan(partial.tli) and partial.tli_parameters == ()
    allowed = assess_section(
        SectionSpec("lake", "lake"), {"tp": 0.1, "tn": 2.0}, tli_min_parameters=2
    )
    assert allowed.tli_parameters == ("tp", "tn")
    river = assess_section(
        SectionSpec("r", "river", observed={"chla": 15.0}), {"tp": 0.1, "tn": 2.0}
    )
    assert math.isnan(river.tli)


# ------------------------------------------------------------------ compliance.csv
def test_compliance_csv(tmp_path):
    ds = _year_dataset([0.15] * 12, kinds=("river", "lake"))
    sections = [
        SectionSpec("s0", "river", 3, "河流断面", observed={"do": 6.2}),
        SectionSpec("s1", "lake", 4, "湖心", observed={"tn": 1.8}),
    ]
    assessments = assess(ds, sections)
    path = write_compliance_csv(tmp_path / "out" / "compliance.csv", assessments)
    assert sorted(p.name for p in path.parent.iterdir()) == ["compliance.csv"]  # no temp left
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    by_id = {r["section_id"]: r for r in rows}
    s0, s1, total = by_id["s0"], by_id["s1"], by_id["ALL"]
    assert s0["section_name"] == "河流断面"
    assert (s0["tp_class"], s0["do_class"], s0["section_class"], s0["target_met"]) == (
        "III",
        "II",
        "III",
        "yes",
    )
    assert s0["tp_status"] == "simulated" and s0["do_status"] == "observed"
    assert s0["tn_status"] == "not assessed in rivers" and s0["cod_status"] == "missing"
    assert float(s0["tp_mean_mg_l"]) == pytest.approx(0.15, rel=1e-6)
    assert (s1["tp_class"], s1["section_class"], s1["target_met"]) == ("V", "V", "no")
    assert s1["tn_class"] == "V" and s1["tn_status"] == "observed, separate"
    assert total["n_sections"] == "2"
    assert float(total["compliance_rate"]) == pytest.approx(0.5)
    assert float(total["attainment_rate"]) == pytest.approx(0.5)
    assert all(r["period"] == "2024" for r in rows)
