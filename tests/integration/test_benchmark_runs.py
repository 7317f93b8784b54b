"""The benchmark helpers that run models produce well-formed records (no timing is
asserted): a tiny .inp channel run in twin and in EPA SWMM 5, the side-by-side records, and
the JIT child process. (The helpers that only compute: tests/unit/test_benchmarks.py.)"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import benchmarks.common as common
from benchmarks import bench_swmm
from benchmarks.accuracy import agreement
from benchmarks.bench_kunshan import run_child
from benchmarks.outlet_runs import SAMPLE_S, TwinCase, run_swmm, swmm_report
from tests.cases.swmm_cases import write_channel


@pytest.fixture
def results(tmp_path, monkeypatch):
    """record() writes into a temporary results.jsonl."""
    path = tmp_path / "results.jsonl"
    monkeypatch.setattr(common, "RESULTS", path)
    return path


@pytest.fixture(scope="module")
def tiny_channel(tmp_path_factory):
    """A 2 km channel of 10 conduits with a 1 h flood, 2 h simulated."""
    path = tmp_path_factory.mktemp("inp") / "tiny.inp"
    return write_channel(
        path, n_segments=10, length_m=2_000.0, width_m=20.0, slope=5e-4, base_flow_m3s=10.0,
        peak_flow_m3s=40.0, rise_start_h=0.25, flood_duration_h=1.0, hours=2.0, depth_m=6.0,
    )  # fmt: skip


def test_twin_and_swmm_runs_are_well_formed(tiny_channel):
    twin = TwinCase(tiny_channel).run("C9", 60.0)
    assert twin.model == "twin" and twin.segments == 10 and twin.steps == 120
    assert twin.step_s == 60.0 and twin.simulated_h == pytest.approx(2.0)
    np.testing.assert_allclose(twin.t_s, np.arange(1, 25) * SAMPLE_S)
    assert abs(twin.continuity_error_pct) < 1e-4
    assert twin.wall_s > 0 and twin.cell_steps_per_s > 0
    swmm = run_swmm(tiny_channel, "C9", "default")
    assert swmm.model == "swmm" and swmm.segments == 10
    assert swmm.t_s[-1] == pytest.approx(7200.0)
    assert 0 < swmm.min_step_s <= swmm.step_s
    assert swmm.steps == round(7200.0 / swmm.step_s)
    assert math.isfinite(swmm.continuity_error_pct)
    # Both route the same flood: the outlet peaks agree within 3 %.
    a = agreement(swmm.t_s, swmm.q_m3s, twin.t_s, twin.q_m3s)
    assert abs(a["peak_error_pct"]) < 3.0
    assert a["nse"] > 0.95


def test_swmm_report_figures(tiny_channel):
    run_swmm(tiny_channel, "C9")
    rpt = swmm_report(tiny_channel.with_suffix(".rpt"))
    assert set(rpt) >= {"average_step_s", "minimum_step_s", "continuity_error_pct"}
    assert rpt["average_step_s"] > 0


def test_side_by_side_records(tiny_channel, results):
    swmm = [run_swmm(tiny_channel, "C9", "default")]
    case = TwinCase(tiny_channel)
    twin = [case.run("C9", dt) for dt in (60.0, 300.0)]
    ref = TwinCase(tiny_channel, dx_m=20.0).run("C9", 20.0)
    rows = bench_swmm._case_rows("tiny", swmm, twin, ref)
    rows.append(bench_swmm._reference_row("tiny", ref, rows))
    lines = [json.loads(x) for x in results.read_text().splitlines()]
    assert [r["benchmark"] for r in lines] == [r["benchmark"] for r in rows]
    side = [r for r in lines if r["benchmark"] == "swmm_side_by_side"]
    assert [r["model"] for r in side] == ["swmm", "twin", "twin"]
    assert len({tuple(r) for r in side}) == 1  # every row has the same columns, in order
    assert side[0]["nse_vs_swmm"] is None  # SWMM's own run is the side-by-side basis
    assert side[1]["nse_vs_swmm"] is not None and side[1]["segments"] == 10
    tta = {r["model"]: r for r in lines if r["benchmark"] == "swmm_time_to_accuracy"}
    assert set(tta) == {"twin", "swmm"}
    if tta["twin"]["wall_s"] is not None:
        assert tta["twin"]["fastest_run"].startswith("dt ")
    ref_row = lines[-1]
    assert ref_row["benchmark"] == "swmm_reference" and ref_row["segments"] == 100
    assert ref_row["finest_swmm_run"].startswith("tiny, default")


def test_jit_child_reports_its_times(root):
    out, wall = run_child("benchmarks.jit_child", "scenarios/example.toml", "1")
    assert set(out) >= {"import_s", "setup_s", "first_step_s", "next_step_s", "steps"}
    assert out["steps"] == 12 and out["quality"] is True  # 1 h at 300 s
    assert wall >= out["import_s"] + out["setup_s"]
