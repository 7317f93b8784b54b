"""Members: a run with parameter values, sampled at every observation; a member whose
values the config rejects fails alone, with its error, and the others run."""

from __future__ import annotations

import numpy as np

from tests.verification.test_calibrate_osse import PARAMETERS, model_toml
from twin.calibrate.driver import check_inputs
from twin.calibrate.members import Executor, Task


def test_a_rejected_member_fails_alone(tmp_path):
    (tmp_path / "model.toml").write_text(model_toml(), encoding="utf-8")
    (tmp_path / "params.toml").write_text(PARAMETERS, encoding="utf-8")
    (tmp_path / "obs.csv").write_text(
        "station_id,time,quantity,value,units\n"
        "s_north,2024-06-01T12:00Z,tp,0.2,mg/L\n"
        "lake,2024-06-02T12:00Z,nh3n,1.0,mg/L\n"
        "s_mouth,2024-06-02T00:00Z,water_level,2.0,m\n",
        encoding="utf-8",
    )
    cfg, data, spec, obs = check_inputs(
        tmp_path / "model.toml", [tmp_path / "obs.csv"], tmp_path / "params.toml"
    )
    good = [1.0, 0.2, 0.1, 1.0, 1.0, 0.02]
    bad = [20.0, 0.2, 0.1, 1.0, 1.0, 0.02]  # Manning n x 20 is beyond the schema's 0.3
    tasks = [Task("good", good, str(tmp_path / "good")), Task("bad", bad, str(tmp_path / "bad"))]
    with Executor("synchronous", None, 2) as ex:
        res = ex.run(cfg, data, spec.parameters, obs, tasks, keep=False)
    assert res["good"].ok and res["good"].sim.shape == (3,)
    assert np.all(np.isfinite(res["good"].sim))
    assert not (tmp_path / "good" / "results.nc").exists()  # removed once sampled
    assert (tmp_path / "good" / "mass_balance.json").is_file()
    assert not (tmp_path / "good" / "sections.csv").exists()  # no products for members
    assert res["bad"].status == "failed" and res["bad"].error_kind == "config"
    assert "manning_n" in res["bad"].error
