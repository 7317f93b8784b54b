"""The config loader: includes, scenario inheritance, relative paths, errors per file."""

import textwrap

import pytest

from twin.config import load_config
from twin.errors import ConfigError

MODEL = """
include = ["parts/network.toml"]

[model]
name = "m"
coordinates = "xy_m"

[[timeseries]]
id = "q_up"
units = "m3 s-1"
file = "data/q.csv"
"""

NETWORK = """
[[nodes]]
id = "a"
x = 0
y = 0
[[nodes]]
id = "b"
x = 1000
y = 0

[[cross_sections]]
id = "rect"
shape = "rectangular"
width_m = 20
manning_n = 0.03

[[reaches]]
id = "r"
from_node = "a"
to_node = "b"
length_m = 1000
bed_level_from_m = 0
bed_level_to_m = -0.5
sections = [{ chainage_m = 0, section = "rect" }]

[[boundaries]]
node = "a"
kind = "discharge"
discharge_m3s = "q_up"
[[boundaries]]
node = "b"
kind = "level"
level_m = 2.0
"""

CSV = "time,flow\n2024-01-01T00:00:00,5\n2024-02-01T00:00:00,7\n"

BASE_SCENARIO = """
[scenario]
name = "base"
model = "../model/model.toml"

[run]
start = 2024-01-01T00:00:00
end = 2024-01-05T00:00:00
dt_s = 600
output_dir = "out/base"
[run.hydro]
initial_level_m = 2.0
"""

CHILD_SCENARIO = """
[scenario]
name = "child"
inherits = "base.toml"

[run]
end = 2024-01-03T00:00:00
"""


@pytest.fixture
def project(tmp_path):
    (tmp_path / "model" / "parts").mkdir(parents=True)
    (tmp_path / "model" / "data").mkdir()
    (tmp_path / "scen").mkdir()
    (tmp_path / "model" / "model.toml").write_text(MODEL)
    (tmp_path / "model" / "parts" / "network.toml").write_text(NETWORK)
    (tmp_path / "model" / "data" / "q.csv").write_text(CSV)
    (tmp_path / "scen" / "base.toml").write_text(BASE_SCENARIO)
    (tmp_path / "scen" / "child.toml").write_text(CHILD_SCENARIO)
    return tmp_path


def test_includes_csv_series_and_relative_paths(project):
    cfg = load_config(project / "scen" / "base.toml")
    assert [n.id for n in cfg.model.nodes] == ["a", "b"]
    ts = cfg.model.timeseries[0]
    assert ts.values == [5.0, 7.0]
    # Paths resolve against the file that wrote them: output_dir against the scenario.
    assert cfg.run.output_dir == (project / "scen" / "out" / "base").resolve()
    assert cfg.origins["reaches"][0][0] == (project / "model" / "parts" / "network.toml").resolve()


def test_inheritance_overrides_leaf_last(project):
    cfg = load_config(project / "scen" / "child.toml")
    assert cfg.name == "child"
    assert cfg.run.end.day == 3  # the child's value
    assert cfg.run.dt_s == 600  # inherited from the base
    assert len(cfg.scenario_chain) == 2


def test_errors_name_the_file_they_are_in(project):
    net = project / "model" / "parts" / "network.toml"
    net.write_text(
        NETWORK.replace('to_node = "b"', 'to_node = "c"').replace("width_m = 20", "width_m = 0")
    )
    with pytest.raises(ConfigError) as e:
        load_config(project / "scen" / "base.toml")
    issues = e.value.issues
    assert {i.file for i in issues} == {net.resolve()}
    fields = {i.field for i in issues}
    assert "cross_sections[0].width_m" in fields
    assert "reaches[0].to_node" in fields
    assert all(i.fix for i in issues)


def test_scenario_run_error_is_attributed_to_the_scenario(project):
    child = project / "scen" / "child.toml"
    child.write_text(
        CHILD_SCENARIO.replace("end = 2024-01-03T00:00:00", "end = 2023-01-01T00:00:00")
    )
    with pytest.raises(ConfigError) as e:
        load_config(child)
    assert any(i.file == child.resolve() and i.field.startswith("run") for i in e.value.issues)


def test_series_not_covering_the_run(project):
    scen = project / "scen" / "base.toml"
    scen.write_text(BASE_SCENARIO.replace("end = 2024-01-05", "end = 2024-03-05"))
    with pytest.raises(ConfigError) as e:
        load_config(scen)
    assert any("covers" in i.message and "q_up" in i.message for i in e.value.issues)


def test_unknown_field_suggests_the_right_name(project):
    net = project / "model" / "parts" / "network.toml"
    net.write_text(NETWORK.replace("length_m = 1000", "lenght_m = 1000\nlength_m = 1000"))
    with pytest.raises(ConfigError) as e:
        load_config(project / "scen" / "base.toml")
    (issue,) = e.value.issues
    assert "lenght_m" in issue.message and "length_m" in issue.fix


def test_top_level_key_under_a_table_gets_a_clear_fix(project):
    model = project / "model" / "model.toml"
    model.write_text(
        MODEL.replace('include = ["parts/network.toml"]\n', "") + 'include = ["x.toml"]\n'
    )
    with pytest.raises(ConfigError) as e:
        load_config(model)
    assert any("top-level key" in i.fix for i in e.value.issues)


def test_toml_syntax_error_names_the_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        textwrap.dedent("""
        [model]
        name = "x"
        [[nodes]
    """)
    )
    with pytest.raises(ConfigError) as e:
        load_config(bad)
    assert "line 4" in str(e.value)


def test_include_cycle_is_reported(project):
    net = project / "model" / "parts" / "network.toml"
    net.write_text('include = ["../model.toml"]\n' + NETWORK)
    with pytest.raises(ConfigError) as e:
        load_config(project / "scen" / "base.toml")
    assert any("included twice or in a cycle" in i.message for i in e.value.issues)


def test_loading_never_executes_code(tmp_path):
    # A config cannot name code: a string where a number is expected stays a string (a series
    # id) and fails as an unknown series; nothing is imported or evaluated.
    payload = tmp_path / "m.toml"
    payload.write_text(
        MODEL.replace('include = ["parts/network.toml"]', "")
        + NETWORK.replace("level_m = 2.0", "level_m = \"__import__('os').system('touch PWNED')\"")
        + "\n[run]\nstart = 2024-01-01T00:00:00\nend = 2024-01-02T00:00:00\ndt_s = 600\n"
    )
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "q.csv").write_text(CSV)
    with pytest.raises(ConfigError) as e:
        load_config(payload)
    assert any("does not exist" in i.message for i in e.value.issues)
    assert not (tmp_path / "PWNED").exists()


def test_input_file_problems_are_reported_with_the_others(project):
    """Schema, rule and input-file problems in one ConfigError: the file checks run on the
    loaded config when a run loads it (twin.run.load), not when twin.config loads it alone."""
    from twin.run.load import load_checked_config

    net = project / "model" / "parts" / "network.toml"
    net.write_text(
        NETWORK.replace('to_node = "b"', 'to_node = "c"').replace("width_m = 20", "width_m = 0")
        + '\n[[catchments]]\nid = "c1"\ngeojson = "c1.geojson"\noutlet_node = "a"\n'
        "land_use = { paddy = 1.0 }\n"
    )
    scen = project / "scen" / "base.toml"
    scen.write_text(BASE_SCENARIO + '\n[forcing]\nfiles = ["nothere_*.nc"]\n')
    with pytest.raises(ConfigError) as e:
        load_config(scen)
    alone = [i.field for i in e.value.issues]
    assert alone == ["cross_sections[0].width_m", "reaches[0].to_node"]
    with pytest.raises(ConfigError) as e:
        load_checked_config(scen)
    issues = e.value.issues
    assert [i.field for i in issues] == [*alone, "catchments[0].geojson", "forcing.files"]
    assert issues[2].file == net.resolve() and "c1.geojson not found" in issues[2].message
    assert issues[3].file == (project / "model" / "model.toml").resolve()  # as other checks
    assert "no file matches" in issues[3].message


def test_forcing_quantity_names_are_those_of_the_reader():
    from twin.forcing.gridded import QUANTITIES
    from twin.vocab.forcing import FORCING_QUANTITIES

    assert tuple(QUANTITIES) == FORCING_QUANTITIES
