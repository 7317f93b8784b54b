"""A run continued from a restart written in its middle (Model.from_restart) is the unbroken
run bit for bit, on the Kunshan model with its catchment runoff: the forcing the
continuation prepares must be the one the first run had."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import numpy as np
import pytest

from twin.errors import UserError
from twin.run.load import load_checked_scenario
from twin.run.model import Model

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cfg(request):
    c = load_checked_scenario(request.config.rootpath / "scenarios" / "baseline.toml")
    run = c.run.model_copy(update={"end": c.run.start + timedelta(days=2)})
    return dataclasses.replace(c, run=run)


def _state(m: Model) -> dict[str, np.ndarray]:
    out = {f"hydro.{k}": v.copy() for k, v in m.hydro.state._asdict().items()}
    out.update({f"quality.{k}": v.copy() for k, v in m.quality.state._asdict().items()})
    return out


def test_a_mid_run_restart_continues_bit_for_bit(cfg, tmp_path):
    straight = Model(cfg)
    straight.run_until(straight.start + 0.75 * 86400)
    path = straight.save_restart(tmp_path / "mid.nc")
    straight.run_until(straight.end)
    again = Model.from_restart(cfg, path)
    assert again.time == straight.start + 0.75 * 86400 == again.start
    again.run_until(again.end)
    a, b = _state(straight), _state(again)
    for k in a:
        assert np.array_equal(a[k], b[k]), k


def test_a_restart_outside_the_configs_period_is_refused(cfg, tmp_path):
    m = Model(cfg)
    m.run_until(m.start + 3600.0)
    path = m.save_restart(tmp_path / "early.nc")
    later = dataclasses.replace(
        cfg, run=cfg.run.model_copy(update={"start": cfg.run.start + timedelta(days=1)})
    )
    with pytest.raises(UserError, match="middle of a run"):
        Model.from_restart(later, path)
