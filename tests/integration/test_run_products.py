"""Products of one scenario run of the small river-lake network (tests/compare_network.py,
every reaction off, 36 hours): the loads into the lake (mass balance of the storage node),
the daily section table, the compliance table and the plots."""

from __future__ import annotations

import csv

import numpy as np
import pytest
import xarray as xr

from tests.compare_network import model_toml, scenario_toml
from twin.assess.products import read_results, storage_loads
from twin.run.runner import run_scenario


@pytest.fixture(scope="module")
def conservative_run(tmp_path_factory):
    """The small river-lake network with every reaction off, for 36 hours."""
    d = tmp_path_factory.mktemp("conservative")
    (d / "model.toml").write_text(model_toml(8.0, conservative=True))
    (d / "run.toml").write_text(scenario_toml("conservative", "model.toml"))
    return run_scenario(d / "run.toml", d / "out")


def test_lake_mass_change_equals_what_entered_minus_what_left(conservative_run):
    """With no reactions the lake's TN and TP change only by transport: M(t) - M(0) =
    in(t) - out(t) at every output time, to 1e-9 of the mass that went through."""
    with xr.open_dataset(conservative_run.results) as ds:
        vol = ds["storage_volume"].values[0]
        for sp in ("tn", "tp"):
            mass_g = ds[f"storage_{sp}"].values[0] * vol  # mg/L = g/m3
            m_in = ds[f"storage_{sp}_mass_in"].values[0] * 1000.0
            m_out = ds[f"storage_{sp}_mass_out"].values[0] * 1000.0
            assert m_in[0] == 0.0 and m_out[0] == 0.0
            assert m_in[-1] > 0.1 * mass_g[0], "too little came in to test anything"
            err = (mass_g - mass_g[0]) - (m_in - m_out)
            assert np.max(np.abs(err)) <= 1e-9 * (m_in[-1] + mass_g[0])
            # Source groups share out the inflow exactly.
            by = ds[f"storage_{sp}_mass_in_by_source"].values[0]
            np.testing.assert_allclose(by.sum(axis=0), ds[f"storage_{sp}_mass_in"].values[0],
                                       rtol=1e-12, atol=1e-12)  # fmt: skip
            groups = list(ds["source_group"].values)
            assert by[groups.index("other"), -1] > 0  # the laterals
            assert by[groups.index("boundary:up"), -1] > 0


def test_storage_loads_are_the_cumulative_mass_over_the_period(conservative_run):
    ds = read_results(conservative_run.results)
    loads = {(x.species, x.group): x for x in storage_loads(ds)}
    for sp in ("tn", "tp"):
        tot = loads[(sp, "all")]
        series = ds[f"storage_{sp}_mass_in"].values[0]
        assert tot.period == "2024" and tot.storage_id == "lake"
        assert tot.mass_in_kg == pytest.approx(series[-1] - series[0], rel=1e-12)
        assert tot.seconds == 36 * 3600
        assert tot.tonnes_per_year == pytest.approx(tot.tonnes * 365.25 * 24 / 36, rel=1e-12)
        parts = sum(x.mass_in_kg for (s, g), x in loads.items() if s == sp and g != "all")
        assert parts == pytest.approx(tot.mass_in_kg, rel=1e-12)


def test_sections_csv_holds_daily_means(conservative_run):
    folder = conservative_run.folder
    with open(folder / "sections.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with xr.open_dataset(conservative_run.results) as ds:
        ids = list(ds["section_id"].values)
        k = ids.index("below_enterprises")
        tp = ds["section_tp"].values[k]
        level = ds["section_water_level"].values[k]
    pick = {
        (r["date_utc"], r["indicator"]): r for r in rows if r["section_id"] == "below_enterprises"
    }
    day1 = pick[("2024-03-01", "tp")]
    assert int(day1["n_samples"]) == 24 and day1["units"] == "mg/L"
    assert float(day1["value"]) == pytest.approx(tp[:24].mean(), rel=1e-5)  # 6 digits written
    day2 = pick[("2024-03-02", "water_level")]
    assert int(day2["n_samples"]) == 13 and day2["units"] == "m"
    assert float(day2["value"]) == pytest.approx(level[24:].mean(), rel=1e-5)
    assert {r["indicator"] for r in rows} >= {"water_level", "discharge", "nh3n", "tp", "tn"}
    lake = next(r for r in rows if r["section_id"] == "lake_centre")
    assert lake["kind"] == "lake" and lake["section_name"] == "lake centre"


def test_compliance_csv_and_plots(conservative_run):
    folder = conservative_run.folder
    with open(folder / "compliance.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["section_id"] for r in rows] == [
        "upstream", "below_enterprises", "above_lake", "lake_centre", "outlet_sec", "ALL"
    ]  # fmt: skip
    with xr.open_dataset(conservative_run.results) as ds:
        tp = ds["section_tp"].values
    for k, r in enumerate(rows[:5]):
        assert float(r["tp_mean_mg_l"]) == pytest.approx(tp[k].mean(), rel=1e-5)
    assert rows[0]["do_status"] == "observed"
    products = conservative_run.products
    assert products.assessments[0].period == "2024"
    assert products.assessments[0].compliance_rate == pytest.approx(
        float(rows[-1]["compliance_rate"]), abs=5e-5
    )
    for name in ("map_tp.png", "profile.png", "sections.png"):
        data = (folder / "plots" / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
