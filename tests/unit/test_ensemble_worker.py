"""A scenario run inside a ``twin compare`` task keeps its own dask work (the lazy forcing
reads of xarray) in its own thread.

Inside a dask worker, dask's default would send those reads to the cluster and free the
worker's only thread while they wait; the worker then starts further runs at once and each
run's forcing waits behind the others (a two-worker comparison of four Kunshan scenarios
took as long as one worker). ``run_member`` must therefore run the scenario with dask's
synchronous scheduler.
"""

from __future__ import annotations

import types

import dask
import dask.array as da
import dask.base
import dask.local

import twin.run.runner
from twin.compare.ensemble import run_member


def test_run_member_computes_dask_work_in_its_own_thread(monkeypatch, tmp_path):
    seen = {}

    def fake_run_scenario(path, where):
        seen["scheduler"] = dask.base.get_scheduler()
        seen["sum"] = float(da.ones(10, chunks=5).sum().compute())
        return types.SimpleNamespace(products={})

    monkeypatch.setattr(twin.run.runner, "run_scenario", fake_run_scenario)
    out = run_member(str(tmp_path / "a.toml"), str(tmp_path), "runs/a")
    assert out.status == "ok", out.error
    assert seen["scheduler"] is dask.local.get_sync
    assert seen["sum"] == 10.0
    # and the setting does not leak out of the run
    assert dask.base.get_scheduler() is not dask.local.get_sync
