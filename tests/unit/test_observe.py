"""Observation files and skill scores: scores against hand calculations, units and time
zones, aggregated observations against the exact mean of the model, and every problem of a
file reported together."""

from __future__ import annotations

import math

import numpy as np
import pytest
import xarray as xr

from twin.errors import ConfigError
from twin.observe.files import read_observations
from twin.observe.skill import class_rows, pair, sample, scores, skill_rows

HEADER = "station_id,time,quantity,value,units,qualifier,aggregation,source,confidence\n"


def write(tmp_path, text, name="obs.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# ----------------------------------------------------------------------- scores
def test_scores_match_a_hand_calculation():
    s = np.array([1.0, 2.0, 3.0, 4.0])
    o = np.array([1.0, 3.0, 2.0, 5.0])
    sc = scores(s, o)
    # by hand: d = (0, -1, 1, -1); mean o = 2.75; sum (o - 2.75)^2 = 8.75
    assert sc["n"] == 4
    assert sc["bias"] == pytest.approx(-0.25, abs=1e-15)
    assert sc["rmse"] == pytest.approx(math.sqrt(3 / 4), abs=1e-15)
    assert sc["nse"] == pytest.approx(1 - 3 / 8.75, abs=1e-15)
    # r: cov = mean((s-2.5)(o-2.75)) = (2.625 - 0.125 - 0.375 + 3.375)/4 = 1.375
    r = 1.375 / (math.sqrt(1.25) * math.sqrt(8.75 / 4))
    assert sc["r"] == pytest.approx(r, abs=1e-14)
    beta = 2.5 / 2.75
    gamma = (math.sqrt(1.25) / 2.5) / (math.sqrt(8.75 / 4) / 2.75)
    kge = 1 - math.sqrt((r - 1) ** 2 + (beta - 1) ** 2 + (gamma - 1) ** 2)
    assert sc["kge"] == pytest.approx(kge, abs=1e-14)


def test_a_perfect_model_scores_one_and_a_constant_record_has_no_nse():
    o = np.array([0.1, 0.3, 0.2])
    sc = scores(o.copy(), o)
    assert sc["nse"] == 1.0 and sc["kge"] == pytest.approx(1.0, abs=1e-12) and sc["bias"] == 0
    flat = scores(np.array([1.0, 2.0]), np.array([1.0, 1.0]))
    assert math.isnan(flat["nse"]) and math.isnan(flat["kge"]) and flat["bias"] == 0.5


# ------------------------------------------------------------------ files, units
def test_units_and_time_zones_convert_to_canonical_values(tmp_path):
    p = write(
        tmp_path,
        HEADER
        + "S1,2024-07-01T08:00+08:00,tp,120,ug/L,,,,\n"
        + "S1,2024-07-01T01:00Z,nh3n,0.5,mg L-1,,,,\n"
        + "S1,2024-07-01T00:00Z,water_temperature,300.15,K,,,,\n"
        + "S2,2024-07-01T00:00Z,chla,0.012,mg/L,<,,bulletin,published\n",
    )
    o = read_observations([p])
    assert len(o) == 4
    assert o.value[0] == pytest.approx(0.12, rel=1e-15)
    assert o.t_s[0] == o.t_s[2] == 1719792000.0  # 08:00 +08:00 is midnight UTC
    assert o.utc_offset_s[0] == 8 * 3600 and o.utc_offset_s[1] == 0
    assert o.value[2] == pytest.approx(27.0, abs=1e-12)
    assert o.value[3] == pytest.approx(12.0) and o.below_detection[3]


def test_every_problem_of_every_file_is_reported_together(tmp_path):
    a = write(
        tmp_path,
        HEADER
        + "S1,2024-07-01T08:00,tp,0.1,mg/L,,,,\n"  # no offset
        + "S1,2024-07-01T08:00Z,tpp,0.1,mg/L,,,,\n"  # unknown quantity
        + "S1,2024-07-01T09:00Z,tp,nan,mg/L,,,,\n"  # NaN
        + "S1,2024-07-01T10:00Z,tp,0.1,kg,,,,\n"  # unknown unit
        + "S1,2024-07-01T11:00Z,tp,0.1,mg/L,,weekly,,\n"  # unknown aggregation
        + "S1,2024-07-01T12:00Z,tp,0.1,mg/L,,,,\n"
        + "S1,2024-07-01T20:00+08:00,tp,0.2,mg/L,,,,\n"  # the same instant again
        + "S1,2024-07-01T13:00Z,tp,-0.1,mg/L,,,,\n",  # negative concentration
        "a.csv",
    )
    b = write(tmp_path, "station,when,value\nS1,x,1\n", "b.csv")
    with pytest.raises(ConfigError) as e:
        read_observations([a, b, tmp_path / "missing.csv"])
    text = str(e.value)
    for part in (
        "a.csv: row 2.time",
        "a.csv: row 3.quantity",
        "a.csv: row 4.value",
        "a.csv: row 5.units",
        "a.csv: row 6.aggregation",
        "a.csv: row 8.time: a second instant tp value",
        "a.csv: row 9.value",
        "b.csv: header: missing column(s) station_id, time, quantity, units",
        "missing.csv: : observation file not found",
    ):
        assert part in text
    assert len(e.value.issues) == 10  # b.csv: missing and unknown columns


def test_cf_timeseries_netcdf_reads_like_csv(tmp_path):
    t = np.array(["2024-07-01T00:00", "2024-07-01T04:00"], dtype="datetime64[ns]")
    ds = xr.Dataset(
        {
            "station": ("station", np.array(["S1", "S2"]), {"cf_role": "timeseries_id"}),
            "tp": (("station", "time"), [[0.1, 0.2], [0.3, np.nan]], {"units": "mg L-1"}),
            "level": (
                ("station", "time"),
                [[3.0, 3.1], [2.9, 3.0]],
                {"units": "m", "standard_name": "water_surface_height_above_reference_datum"},
            ),
        },
        coords={"time": t},
        attrs={"featureType": "timeSeries"},
    )
    path = tmp_path / "obs.nc"
    ds.to_netcdf(path)
    o = read_observations([path])
    assert len(o) == 7  # the missing TP value is the array's fill
    assert sorted(set(o.quantity)) == ["tp", "water_level"]
    assert o.t_s.min() == 1719792000.0


# ------------------------------------------------------------- pairing with a run
def _results(hours=24 * 40, kind="river"):
    """A results file with one section whose TP rises linearly, 0.1 mg/L a day, and one
    storage node with a constant level."""
    t = np.datetime64("2024-07-01T00:00") + np.arange(hours + 1) * np.timedelta64(1, "h")
    days = np.arange(hours + 1) / 24.0
    return xr.Dataset(
        {
            "section_id": ("section", ["S1"]),
            "section_kind": ("section", [kind]),
            "section_tp": (("section", "time"), [0.1 * days]),
            "section_water_level": (("section", "time"), [np.full(days.size, 3.0)]),
            "storage_id": ("storage", ["LAKE"]),
            "storage_water_level": (("storage", "time"), [np.full(days.size, 2.5)]),
        },
        coords={"time": t.astype("datetime64[ns]")},
    )


def test_aggregated_observations_meet_the_exact_mean_over_their_period(tmp_path):
    ds = _results()
    p = write(
        tmp_path,
        HEADER
        # a Kunshan day: 2024-07-02 00:00+08:00 is 07-01 16:00Z; TP over it is the ramp's
        # mean at its middle, 07-02 04:00Z = 1 + 4/24 days
        + "S1,2024-07-02T00:00+08:00,tp,0.1,mg/L,,daily_mean,,\n"
        + "S1,2024-07-01T06:00Z,tp,0.1,mg/L,,instant,,\n"
        + "LAKE,2024-07-03T00:00Z,water_level,2.4,m,,,,\n",
    )
    pr = pair(ds, read_observations([p]))
    assert pr.sim[0] == pytest.approx(0.1 * (1 + 4 / 24), rel=1e-12)
    assert pr.sim[1] == pytest.approx(0.1 * 0.25, rel=1e-12)
    assert pr.sim[2] == 2.5 and pr.kind[2] == "lake"
    rows = {(r[0], r[1], r[2]): r for r in skill_rows(pr)}
    assert rows[("LAKE", "water_level", "instant")][8] == pytest.approx(0.1)  # bias = sim - obs


def test_a_monthly_mean_spans_the_calendar_month_of_its_offset():
    t = np.arange(0, 40 * 86400 + 1, 3600.0) + 1719792000.0  # from 2024-07-01T00Z
    v = (t - t[0]) / 86400.0
    jul = 1719792000.0 - 8 * 3600  # 2024-07-01T00:00+08:00
    # July has 31 days: the mean of the ramp over it is at its middle, 15.5 days in
    assert sample(t, v, jul + 8 * 3600, "monthly_mean", 0.0) == pytest.approx(15.5)
    assert math.isnan(sample(t, v, jul, "monthly_mean", 8 * 3600))  # starts before the run


def test_observations_the_run_cannot_match_are_reported_together(tmp_path):
    ds = _results(hours=48)
    p = write(
        tmp_path,
        HEADER
        + "NOWHERE,2024-07-01T06:00Z,tp,0.1,mg/L,,,,\n"
        + "S1,2024-07-01T06:00Z,do,6,mg/L,,,,\n"
        + "S1,2024-08-01T06:00Z,tp,0.1,mg/L,,,,\n"
        + "S1,2024-07-01T00:00Z,tp,0.1,mg/L,,monthly_mean,,\n",
    )
    with pytest.raises(ConfigError) as e:
        pair(ds, read_observations([p]))
    text = str(e.value)
    assert "station 'NOWHERE' is neither a section nor a storage node" in text
    assert "the run does not simulate do at 'S1'" in text
    assert text.count("lies outside the period") == 2


def test_monthly_classes_of_observed_and_simulated_means(tmp_path):
    ds = _results(hours=24 * 3)
    p = write(
        tmp_path,
        HEADER
        + "S1,2024-07-02T00:00Z,tp,0.25,mg/L,,,,\n"  # sim 0.1: class II; obs: class IV
        + "S1,2024-07-03T00:00Z,tp,0.25,mg/L,,,,\n",  # sim 0.2: class III
    )
    rows = class_rows(pair(ds, read_observations([p])))
    assert rows == [["S1", "tp", "2024-07", 2, 0.25, pytest.approx(0.15), 4, 3]]


def test_the_shipped_published_observations_read_with_sources(request):
    path = request.config.rootpath / "observations" / "kunshan_published.csv"
    o = read_observations([path])
    assert len(o) >= 5
    assert all(s for s in o.source) and set(o.confidence) <= {"published", "estimated"}
    assert not o.synthetic
