"""A numerical blow-up stops the run with the time, the place and the variable, exits 1,
and leaves the last good state as a restart file; no partial results.nc is left."""

import subprocess
import sys

import pytest

from tests.compare_network import write_network
from twin.config.scenario import load_scenario
from twin.run.model import Model


@pytest.mark.slow  # 11 s
def test_blow_up_reports_time_place_and_keeps_last_good_state(tmp_path):
    scenarios = write_network(tmp_path / "net")
    out = tmp_path / "run"
    res = subprocess.run(
        [sys.executable, "-m", "twin.cli", "run", str(scenarios["numerical"]), "--out", str(out)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert res.returncode == 1
    err = res.stderr
    assert "Traceback" not in err
    assert "the simulation failed" in err and "the step ending 2024-03-01T00:05:00" in err
    assert ("node '" in err or "reach '" in err) and "water level" in err
    restart = out / "restart_last_good.nc"
    assert restart.exists() and f"{restart}" in err
    assert not (out / "results.nc").exists()
    assert not list(out.glob("*.part"))
    assert "SimulationError" in (out / "run.log").read_text()
    # The saved state is the state before the failed step: the run's start, loadable.
    model = Model(load_scenario(scenarios["baseline"]))
    model.load_restart(restart)
    assert model.time == model.start
