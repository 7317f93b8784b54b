"""Parameter paths into the model config, the calibration file's checks, and the command's
exit code on bad input (every problem together, before any member runs)."""

from __future__ import annotations

import copy
import csv

import pytest

from tests.verification.test_calibrate_osse import PARAMETERS, model_toml
from twin.calibrate.driver import check_inputs
from twin.calibrate.members import configured
from twin.calibrate.paths import apply_value, resolve
from twin.calibrate.spec import read_spec
from twin.cli import main
from twin.config import load_config
from twin.errors import ConfigError


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    d = tmp_path_factory.mktemp("model")
    (d / "model.toml").write_text(model_toml(), encoding="utf-8")
    cfg = load_config(d / "model.toml")
    return d / "model.toml", cfg, cfg.model.model_dump(mode="python")


def test_list_fields_are_selected_by_ids_node_and_tags(model):
    _, _, data = model
    r = resolve(data, "cross_sections.manning_n", [], [])
    assert r.items == ["wide", "narrow"] and not r.problems
    assert resolve(data, "cross_sections.manning_n", ["wi*"], []).items == ["wide"]
    # boundaries have no id here: they are chosen by node
    r = resolve(data, "boundaries.concentrations.tp", ["src"], [])
    assert r.targets == [("boundaries", 0, "concentrations", "tp")]
    r = resolve(data, "sources.flow_m3d", [], ["phosphorus"])
    assert r.items == ["factory"]
    r = resolve(data, "reaches.manning_n", [], [])  # no reach has its own n
    assert not r.targets and "selects no item" in r.problems[0][0]
    r = resolve(data, "reaches.sections.chainage_m", ["north_*"], [])
    assert r.items == ["north_1[0]", "north_2[0]"]


def test_settings_and_their_errors(model):
    _, _, data = model
    r = resolve(data, "quality.kinetics.nitrification_per_d", [], [])
    assert r.targets == [("quality", "kinetics", "nitrification_per_d")]
    r = resolve(data, "quality.kinetics.nitrification_per_day", [], [])
    msg, fix = r.problems[0]
    assert "unknown parameter path" in msg and "quality.kinetics.nitrification_per_d" in fix
    assert "not numeric" in resolve(data, "quality.limiter", [], []).problems[0][0]
    assert "not numeric" in resolve(data, "model.name", [], []).problems[0][0]
    assert "not a field of a list table" in resolve(data, "run.dt_s", ["x"], []).problems[0][0]
    assert "have no tags" in resolve(data, "cross_sections.manning_n", [], ["a"]).problems[0][0]
    assert "selects no item" in resolve(data, "sources.flow_m3d", ["nope"], []).problems[0][0]


def test_values_are_set_multiplied_and_added(model, tmp_path):
    _, cfg, data = model
    spec, issues = read_spec(_write(tmp_path, PARAMETERS), data)
    assert not issues
    names = [p.name for p in spec.parameters]
    assert names == ["manning", "nitrification", "op_settling", "river_tp", "factory_flow",
                     "denitrification"]  # fmt: skip
    new = configured(cfg, data, spec.parameters, [1.2, 0.35, 0.25, 0.8, 1.3, 0.05])
    m = new.model
    assert [s.manning_n for s in m.cross_sections] == pytest.approx([0.025 * 1.2, 0.03 * 1.2])
    assert m.quality.kinetics.nitrification_per_d == 0.35
    assert m.boundaries[0].concentrations["tp"] == pytest.approx(0.2 * 0.8)
    assert m.boundaries[1].concentrations["tp"] == 0.1  # the tide's: not selected
    assert m.sources[0].flow_m3d == pytest.approx(20000.0 * 1.3)
    assert new.run is m.run
    # the same model written with the values: identical configs
    ref = load_config(_write(tmp_path, model_toml(1.2, 0.35, 0.25, 0.8, 1.3, 0.05), "ref.toml"))
    assert ref.model.model_dump() == m.model_dump()
    add = _write(tmp_path, PARAMETERS.replace('ids = ["src"]\ntransform = "multiply"',
                                              'ids = ["src"]\ntransform = "add"'), "add.toml")  # fmt: skip
    spec2, _ = read_spec(add, data)
    new = configured(cfg, data, spec2.parameters, [1.0, 0.2, 0.1, 0.05, 1.0, 0.02])
    assert new.model.boundaries[0].concentrations["tp"] == pytest.approx(0.25)
    with pytest.raises(ConfigError, match="manning_n"):
        configured(cfg, data, spec.parameters, [20.0, 0.35, 0.25, 0.8, 1.3, 0.05])


BAD = """
[[parameters]]
path = "quality.kinetics.nitrification_per_day"
prior = { distribution = "uniform", low = 0.5, high = 0.1 }

[[parameters]]
path = "quality.kinetics.op_settling_m_per_d"
prior = { distribution = "normal", mean = 0.1, sd = 0.0 }

[[parameters]]
path = "sources.flow_m3d"
ids = ["nowhere"]
transform = "multiply"
prior = { distribution = "lognormal", median = 1.0, factor = 1.5 }

[[parameters]]
path = "quality.limiter"
prior = { distribution = "uniform", low = 0, high = 1 }

[[parameters]]
path = "quality.kinetics.ammonification_per_d"
prior = { distribution = "normal", mean = 0.1, sd = 0.5 }

[observation_errors]
tp = { sd = 0.01 }
"""


def _write(folder, text, name="params.toml"):
    p = folder / name
    p.write_text(text, encoding="utf-8")
    return p


def _obs(folder, bad_time=False):
    p = folder / "obs.csv"
    with p.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["station_id", "time", "quantity", "value", "units"])
        w.writerow(["s_north", "2024-06-01T12:00Z", "tp", "0.2", "mg/L"])
        w.writerow(["s_north", "2024-06-01T12:00Z", "nh3n", "1.0", "mg/L"])
        w.writerow(["nowhere", "2024-06-01T12:00Z", "tp", "0.2", "mg/L"])
        if bad_time:
            w.writerow(["s_north", "2024-06-01T13:00", "tp", "0.2", "mg/L"])
    return p


def test_every_problem_is_reported_together(model, tmp_path):
    path, _, _ = model
    with pytest.raises(ConfigError) as err:
        check_inputs(path, [_obs(tmp_path)], _write(tmp_path, BAD))
    text = str(err.value)
    for part in (
        "parameters[0].path: unknown parameter path 'quality.kinetics.nitrification_per_day'",
        "did you mean quality.kinetics.nitrification_per_d",
        "parameters[0].prior.low: low (0.5) is not below high (0.1)",
        "parameters[1].prior.sd: sd = 0 must be > 0",
        "parameters[2].path: 'sources.flow_m3d' with ids ['nowhere'] selects no item",
        "parameters[3].path: 'quality.limiter' is not numeric",
        # a normal prior without bounds reaches negative rates, which the schema rejects
        "parameters[4].prior: at its 0.1 % quantile",
        "observation_errors.nh3n: no error sd for the nh3n observations",
        "station(s) nowhere are neither sections nor lakes",
    ):
        assert part in text, part
    assert str(tmp_path / "params.toml") in text
    # problems of the observation files come with those of the parameters
    with pytest.raises(ConfigError) as err:
        check_inputs(path, [_obs(tmp_path, bad_time=True)], _write(tmp_path, BAD))
    text = str(err.value)
    assert "row 5.time" in text and "parameters[1].prior.sd" in text


def test_the_command_exits_2_before_any_member_runs(model, tmp_path, capsys):
    path, _, _ = model
    out = tmp_path / "cal"
    code = main(["calibrate", str(path), "--observed", str(_obs(tmp_path)), "--parameters",
                 str(_write(tmp_path, BAD)), "--out", str(out), "--scheduler", "synchronous"])  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    assert "problems in the configuration" in err and "Traceback" not in err
    assert not out.exists()


def test_a_total_under_multiply_scales_its_parts(model):
    _, _, data = model
    d = copy.deepcopy(data)
    d["boundaries"][0]["concentrations"] = {"op": 0.08, "po4p": 0.12, "nh3n": 1.5}
    d["boundaries"][1]["concentrations"] = {"tp": 0.1, "po4p": 0.07}
    r = resolve(d, "boundaries.concentrations.tp", [], [], "multiply")
    assert r.items == ["src.op", "src.po4p", "sea.tp", "sea.po4p"] and not r.problems
    apply_value(d, r.targets, "multiply", 2.0)
    assert d["boundaries"][0]["concentrations"] == {"op": 0.16, "po4p": 0.24, "nh3n": 1.5}
    assert d["boundaries"][1]["concentrations"] == {"tp": 0.2, "po4p": 0.14}
    # under set, a total is the key of that name only
    r = resolve(d, "boundaries.concentrations.tp", ["src"], [], "set")
    assert "selects no item" in r.problems[0][0]
