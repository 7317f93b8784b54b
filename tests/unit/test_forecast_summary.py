"""The forecast summary on a small hand-made result: daily means and maxima against a hand
computation, the forecast class, class and level alerts, and the schema check."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pytest
import xarray as xr

from twin.config.sources import AssessmentSection
from twin.errors import SimulationError
from twin.forecast.summary import build_summary, validate

T0 = datetime(2026, 6, 20, 0)
END = T0 + timedelta(hours=48)
HEADER = {
    "cycle": "2026-06-20T00:00:00Z",
    "model": {"name": "m", "twin_version": "0", "config_sha256": "0" * 64},
    "start": {"kind": "hot", "restart": "r.nc", "restart_time": "2026-06-19T00:00:00Z",
              "spinup_hours": 0.0, "note": "hot start from r.nc"},
    "windows": {"hindcast_start": "2026-06-19T00:00:00Z", "analysis": "2026-06-20T00:00:00Z",
                "forecast_end": "2026-06-22T00:00:00Z"},
}  # fmt: skip
WARNING_M = 0.9


def _series():
    """Hourly values at T0 + h, h = 0..48, for a river and a lake section. The value at the
    analysis instant (h = 0) is extreme: it must not enter any day."""
    h = np.arange(49, dtype=float)
    river_tp = np.where(h <= 24, 0.15 + 0.001 * h, 0.30 + 0.002 * (h - 24))
    river_nh = np.where(h <= 24, 0.80, 1.20)
    # day 1 reaches the warning level exactly (not above it); day 2 goes above
    river_z = np.where(h <= 24, WARNING_M - 0.2 + 0.2 * np.sin(np.pi * h / 24) ** 2, 0.95)
    lake_tp, lake_nh, lake_z = np.full(49, 0.02), np.full(49, 0.3), np.full(49, 1.0)
    for a, v in ((river_tp, 9.0), (river_nh, 9.0), (river_z, 9.0), (lake_tp, 9.0)):
        a[0] = v
    return h, [river_tp, lake_tp], [river_nh, lake_nh], [river_z, lake_z]


def _dataset():
    h, tp, nh, z = _series()
    time = np.datetime64(T0) + (h * 3600).astype("timedelta64[s]")
    return xr.Dataset(
        {
            "section_tp": (("section", "time"), np.array(tp)),
            "section_nh3n": (("section", "time"), np.array(nh)),
            "section_water_level": (("section", "time"), np.array(z)),
        },
        coords={"time": time.astype("datetime64[ns]")},
    )


def _sections(lake_do=None):
    return [
        AssessmentSection(id="r", name="river", kind="river", reach="r1", chainage_m=10.0,
                          target_class="III", warning_level_m=WARNING_M, observed={"do": 6.5}),
        AssessmentSection(id="l", name="lake", kind="lake", node="lake", target_class="II",
                          observed={} if lake_do is None else {"do": lake_do}),
    ]  # fmt: skip


def _hand_day(values, day):
    """Mean and maximum over the hours ending in ``day`` (1: h = 1..24, 2: h = 25..48)."""
    sel = [float(values[k]) for k in range(1 + 24 * (day - 1), 1 + 24 * day)]
    return sum(sel) / len(sel), max(sel)


def test_daily_means_and_maxima_equal_a_hand_computation():
    s = build_summary(_dataset(), _sections(), T0, END, HEADER)
    _, tp, nh, z = _series()
    for i, sec in enumerate(s["sections"]):
        assert [d["date"] for d in sec["days"]] == ["2026-06-20", "2026-06-21"]
        for day, row in enumerate(sec["days"], start=1):
            assert row["hours"] == 24
            for key, unit, values in (("tp", "mg_l", tp[i]), ("nh3n", "mg_l", nh[i]),
                                      ("water_level", "m", z[i])):  # fmt: skip
                mean, top = _hand_day(values, day)
                assert row[f"{key}_mean_{unit}"] == pytest.approx(mean, rel=1e-12, abs=1e-15)
                assert row[f"{key}_max_{unit}"] == pytest.approx(top, rel=1e-12, abs=1e-15)
    # the extreme value at the analysis instant entered no day
    assert max(d["tp_max_mg_l"] for sec in s["sections"] for d in sec["days"]) < 1.0


def test_day_classes_forecast_class_and_class_alerts():
    s = build_summary(_dataset(), _sections(), T0, END, HEADER)
    river, lake = s["sections"]
    # river day 1: TP mean 0.1625 (III: <= 0.2), NH3-N 0.8 (III: <= 1.0), DO 6.5 observed (II)
    # day 2: TP 0.325 (V: <= 0.4 in rivers), NH3-N 1.2 (IV)
    assert [d["class"] for d in river["days"]] == ["III", "V"]
    # whole window: TP mean (0.1625 + 0.325) / 2 = 0.24375 -> IV
    assert river["forecast_class"] == "IV" and river["target_met"] is False
    cls_alerts = [a for a in river["alerts"] if a["type"] == "class_worse_than_target"]
    assert len(cls_alerts) == 1
    a = cls_alerts[0]
    assert (a["date"], a["indicator"], a["value"], a["threshold"]) == (
        "2026-06-21",
        "tp",
        "V",
        "III",
    )
    assert "worse than the target class III" in a["message"]
    # lake: TP 0.02 (lake II: <= 0.025), NH3-N 0.3 (II): meets its target II
    assert [d["class"] for d in lake["days"]] == ["II", "II"]
    assert lake["forecast_class"] == "II" and lake["target_met"] is True and lake["alerts"] == []
    assert s["indicators"]["tp"] == "simulated" and s["indicators"]["nh3n"] == "simulated"
    assert s["indicators"]["do"] == "observed" and s["indicators"]["codmn"] == "not_assessed"
    assert s["alert_count"] == len(river["alerts"]) + len(lake["alerts"])


def test_level_alert_only_on_a_day_above_the_warning_level():
    s = build_summary(_dataset(), _sections(), T0, END, HEADER)
    river = s["sections"][0]
    assert river["days"][0]["water_level_max_m"] == pytest.approx(WARNING_M, abs=1e-12)
    level = [a for a in river["alerts"] if a["type"] == "level_above_warning"]
    assert [(a["date"], a["value"], a["threshold"]) for a in level] == [("2026-06-21", 0.95, 0.9)]
    assert "above the warning level 0.90 m" in level[0]["message"]


def test_an_observed_indicator_worse_than_the_target_raises_an_alert():
    """DO 4.0 mg/L observed at the lake is Class IV (>= 3): worse than target II every day."""
    s = build_summary(_dataset(), _sections(lake_do=4.0), T0, END, HEADER)
    lake = s["sections"][1]
    assert lake["forecast_class"] == "IV"
    assert [(a["indicator"], a["value"]) for a in lake["alerts"]] == [("do", "IV")] * 2


def test_the_summary_validates_and_a_broken_one_does_not():
    s = build_summary(_dataset(), _sections(), T0, END, HEADER)
    validate(s, "forecast_summary")
    s["sections"][0]["days"][0]["tp_mean_mg_l"] = -1.0
    with pytest.raises(SimulationError, match="sections/0/days/0/tp_mean_mg_l"):
        validate(s, "forecast_summary")
    s = build_summary(_dataset(), _sections(), T0, END, HEADER)
    del s["alert_count"]
    with pytest.raises(SimulationError, match="alert_count"):
        validate(s, "forecast_summary")


def test_a_window_with_one_output_time_is_refused():
    ds = _dataset().isel(time=[0])
    with pytest.raises(SimulationError, match="fewer than two output times"):
        build_summary(ds, _sections(), T0, END, HEADER)
