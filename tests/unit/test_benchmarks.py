"""The benchmark helpers (no timing is asserted): hydrograph agreement and time to accuracy,
the README table and the shortened scenarios of the compare benchmark. The helpers that run
models (twin and SWMM 5 on a tiny .inp, the JIT child process) are tested in
tests/integration/test_benchmark_runs.py.

These tests import ``benchmarks``: they test the benchmark harness itself. Everywhere else
the tests import no benchmark module; the cases both use live in tests/cases."""

from __future__ import annotations

import math
from datetime import datetime

import numpy as np
import pytest

import benchmarks.common as common
from benchmarks import bench_compare
from benchmarks.accuracy import agreement, meets, nse, time_to_accuracy
from benchmarks.report import END, START, table, write_readme
from twin.config.scenario import load_scenario


def test_nse_and_peak_error_on_known_series():
    t = np.arange(0.0, 36_000.0, 300.0)
    ref = 50.0 + 100.0 * np.exp(-(((t - 18_000.0) / 4_000.0) ** 2))
    assert nse(ref, ref) == 1.0
    # The mean of the reference scores 0 by construction.
    assert nse(ref, np.full_like(ref, ref.mean())) == pytest.approx(0.0, abs=1e-12)
    # A constant reference has no NSE.
    assert math.isnan(nse(np.full(10, 5.0), np.arange(10.0)))
    a = agreement(t, ref, t, 1.02 * ref)
    assert a["peak_error_pct"] == pytest.approx(2.0, rel=1e-9)
    assert a["peak_time_error_min"] == 0.0
    shifted = agreement(t, ref, t + 600.0, ref)  # the run peaks 10 min late
    assert shifted["peak_time_error_min"] == pytest.approx(10.0)
    assert shifted["nse"] < 1.0
    # No sampling time inside the reference's window: nothing to compare.
    assert math.isnan(agreement(t, ref, t + 1e6, ref)["nse"])


def test_time_to_accuracy_picks_the_fastest_run_that_meets_the_thresholds():
    runs = [
        {"nse": 0.9999, "peak_error_pct": 0.1, "wall_s": 3.0, "settings": "fine"},
        {"nse": 0.9995, "peak_error_pct": -0.5, "wall_s": 1.0, "settings": "medium"},
        {"nse": 0.99, "peak_error_pct": 0.2, "wall_s": 0.1, "settings": "coarse, poor NSE"},
        {"nse": 0.9999, "peak_error_pct": 3.0, "wall_s": 0.2, "settings": "coarse, poor peak"},
    ]
    assert time_to_accuracy(runs)["settings"] == "medium"
    assert not meets({"nse": float("nan"), "peak_error_pct": 0.0})
    assert time_to_accuracy(runs[2:]) is None


def test_readme_table_is_rewritten_between_the_markers(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# Benchmarks\n\ntext before\n\n{START}\nold table\n{END}\n\ntext after\n")
    rows = [
        {"benchmark": "b", "time_utc": "t", "revision": "abc", "x": 1.5, "ok": True, "y": None},
        {"benchmark": "b", "time_utc": "t", "revision": "abc", "x": 2e6, "ok": False, "y": "a|b"},
        {
            "benchmark": "b",
            "time_utc": "t",
            "revision": "abc",
            "x": 0.99854,
            "ok": 123456,
            "y": -0.0,
        },
    ]
    info = common.machine()
    info["load_average"] = "1.0 at the start, 1.2 at the end"
    write_readme(readme, rows, info, 12.0)
    text = readme.read_text()
    assert "old table" not in text and "text before" in text and "text after" in text
    assert "| x | ok | y |" in text and "| 1.5 | yes |  |" in text
    assert "| 2.000e+06 | no | a\\|b |" in text  # a '|' in a cell does not split it
    assert "| 0.99854 | 123,456 | 0 |" in text  # NSE keeps its digits; -0.0 is 0
    assert info["cpu"] in text and "Load average 1.0 at the start" in text
    assert table([]) == ""


def test_compare_scenarios_are_shortened_but_keep_their_interventions(tmp_path):
    path = bench_compare.shortened(tmp_path, "wwtp_expansion")
    cfg = load_scenario(path)
    assert cfg.name == "wwtp_expansion"
    assert cfg.run.start == datetime(2024, 7, 1) and cfg.run.end == datetime(2024, 7, 15)
    assert (cfg.run.end - cfg.run.start).days == bench_compare.SIMULATED_DAYS
    assert len(cfg.interventions) == 2  # the two of scenarios/wwtp_expansion.toml
