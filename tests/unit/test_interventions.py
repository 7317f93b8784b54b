"""Interventions: each type changes exactly what it should on a small model written here, never
touches its input, and every misuse is a ConfigError naming the scenario file and field."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from twin.config import load_config
from twin.config.interventions import INTERVENTION_TYPES, REGISTRY
from twin.config.scenario import apply_interventions, describe
from twin.errors import ConfigError

MODEL = """
[model]
name = "small"
coordinates = "xy_m"

[run]
start = 2024-01-01T00:00:00
end = 2024-01-02T00:00:00
dt_s = 300.0
[run.hydro]
initial_level_m = 1.0

[[timeseries]]
id = "gate_series"
units = "m"
times = [2023-12-31T00:00:00, 2024-01-03T00:00:00]
values = [0.5, 1.0]

[[timeseries]]
id = "short_series"
units = "m3 s-1"
times = [2024-01-01T06:00:00, 2024-01-01T12:00:00]
values = [1.0, 2.0]

[[nodes]]
id = "up"
x = 0.0
y = 0.0
[[nodes]]
id = "mid"
x = 1000.0
y = 0.0
[[nodes]]
id = "mid2"
x = 1010.0
y = 0.0
[[nodes]]
id = "down"
x = 2000.0
y = 0.0

[[cross_sections]]
id = "rect"
shape = "rectangular"
width_m = 20.0
manning_n = 0.03

[[reaches]]
id = "r1"
from_node = "up"
to_node = "mid"
length_m = 1000.0
bed_level_from_m = -2.0
bed_level_to_m = -2.0
sections = [{chainage_m = 0.0, section = "rect"}]

[[reaches]]
id = "r2"
from_node = "mid2"
to_node = "down"
length_m = 1000.0
bed_level_from_m = -2.0
bed_level_to_m = -2.0
sections = [{chainage_m = 0.0, section = "rect"}]

[[structures]]
kind = "sluice"
id = "gate"
from_node = "mid"
to_node = "mid2"
sill_level_m = -1.0
width_m = 10.0
opening_m = 1.0
max_opening_m = 3.0

[[structures]]
kind = "weir"
id = "weir1"
from_node = "mid"
to_node = "mid2"
crest_level_m = 0.5
crest_width_m = 8.0

[[structures]]
kind = "pump"
id = "pump1"
from_node = "mid2"
to_node = "mid"
capacity_m3s = 2.0
start_level_m = 1.5
stop_level_m = 1.0

[[structures]]
kind = "flap_gate"
id = "flap"
from_node = "mid"
to_node = "mid2"
invert_level_m = -1.0
width_m = 1.0
height_m = 1.0

[[boundaries]]
kind = "discharge"
node = "up"
discharge_m3s = 5.0

[[boundaries]]
kind = "level"
node = "down"
level_m = 1.0

[[sources]]
kind = "wwtp"
id = "plant_a"
node = "mid"
capacity_m3d = 10000.0
inflow_m3d = 8000.0
effluent = {tn = 15.0, nh3n = 5.0, tp = 0.5}

[[sources]]
kind = "wwtp"
id = "plant_b"
node = "mid2"
capacity_m3d = 20000.0
inflow_m3d = 15000.0
effluent = "gb18918_1a"
effluent_removal = {tp = 0.2}

[[sources]]
kind = "enterprise"
id = "e1"
node = "up"
flow_m3d = 100.0
concentrations = {tp = 2.0, tn = 10.0}
tags = ["phosphorus", "chemical"]

[[sources]]
kind = "enterprise"
id = "e2"
reach = "r1"
chainage_m = 500.0
flow_m3d = 50.0
concentrations = {op = 0.5, po4p = 1.5, nh3n = 3.0}
tags = ["phosphorus"]

[[sources]]
kind = "enterprise"
id = "e3"
node = "mid"
flow_m3d = 80.0
concentrations = {tp = 0.2, tn = 5.0}
tags = ["phosphorus"]

[[sources]]
kind = "enterprise"
id = "e4"
node = "mid"
flow_m3d = 30.0
concentrations = {tn = 20.0, nh3n = 8.0}
tags = ["textile"]

[[sources]]
kind = "point"
id = "p1"
node = "mid"
flow_m3d = 10.0
concentrations = {tp = 1.0}
group = "enterprise"
tags = ["phosphorus"]

[[catchments]]
id = "c1"
geojson = "catchments.geojson"
outlet_node = "mid"
land_use = {paddy = 0.5, built_up = 0.5}
population = 20000.0
wwtp = "plant_a"
sewer_connection_fraction = 0.6
sewer_leak_fraction = 0.3

[[catchments]]
id = "c2"
geojson = "catchments.geojson"
outlet_reach = "r2"
land_use = {paddy = 1.0}
population = 3000.0
nonpoint_load_factor = 1.2
"""


@pytest.fixture
def model_dir(tmp_path: Path) -> Path:
    (tmp_path / "model.toml").write_text(MODEL, encoding="utf-8")
    square = [[120.9, 31.3], [120.95, 31.3], [120.95, 31.35], [120.9, 31.35], [120.9, 31.3]]
    features = [
        {
            "type": "Feature",
            "properties": {"id": cid},
            "geometry": {"type": "Polygon", "coordinates": [[[x + dx, y] for x, y in square]]},
        }
        for cid, dx in (("c1", 0.0), ("c2", 0.05))
    ]
    (tmp_path / "catchments.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
    )
    (tmp_path / "base.toml").write_text(
        '[scenario]\nname = "base"\nmodel = "model.toml"\n', encoding="utf-8"
    )
    return tmp_path


def write_scenario(folder: Path, body: str, name: str = "s.toml", inherits: str = "base.toml"):
    path = folder / name
    head = f'[scenario]\nname = "{path.stem}"\ninherits = "{inherits}"\n\n'
    path.write_text(head + textwrap.dedent(body), encoding="utf-8")
    return path


def diff(a, b, path: str = "") -> set[str]:
    """Paths at which two model dumps differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = set()
        for k in a.keys() | b.keys():
            out |= diff(a.get(k, "<absent>"), b.get(k, "<absent>"), f"{path}.{k}" if path else k)
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        out = set()
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            out |= diff(x, y, f"{path}[{i}]")
        return out
    return set() if a == b else {path}


def apply(folder: Path, body: str, **kw):
    """Load a scenario, apply it, check the input is untouched; (before, after, cfg_out)."""
    cfg = load_config(write_scenario(folder, body, **kw))
    before = cfg.model.model_dump()
    out = apply_interventions(cfg)
    assert cfg.model.model_dump() == before, "the input model was changed"
    assert cfg.applied_interventions is None
    return before, out.model.model_dump(), out


def errors(folder: Path, body: str, **kw) -> list:
    path = write_scenario(folder, body, **kw)
    with pytest.raises(ConfigError) as exc:
        apply_interventions(load_config(path))
    issues = exc.value.issues
    assert all(i.file == path for i in issues), [i.format() for i in issues]
    return issues


def only(issues, field: str, *words: str):
    assert [i.field for i in issues] == [field], [i.format() for i in issues]
    for w in words:
        assert w in issues[0].message or w in issues[0].fix, issues[0].format()


# -------------------------------------------------------- p_enterprise_remediation
def test_tp_cap_by_tag(model_dir):
    before, after, out = apply(
        model_dir,
        """
        [[interventions]]
        type = "p_enterprise_remediation"
        tags = ["phosphorus"]
        tp_cap_mg_l = 0.3
        source = "assumed for the test"
        """,
    )
    # e1 (tp given) and e2 (op + po4p) capped; e3 (0.2) already below; e4, p1 not chosen.
    assert diff(before, after) == {
        "sources[2].concentrations.tp",
        "sources[3].concentrations.op",
        "sources[3].concentrations.po4p",
    }
    e1, e2 = after["sources"][2], after["sources"][3]
    assert e1["concentrations"]["tp"] == pytest.approx(0.3)
    assert e2["concentrations"]["op"] + e2["concentrations"]["po4p"] == pytest.approx(0.3)
    assert e2["concentrations"]["op"] / e2["concentrations"]["po4p"] == pytest.approx(0.5 / 1.5)
    (a,) = out.applied_interventions
    assert a.changed == ("e1", "e2")
    assert "0.3 mg/L" in a.description and "e3" in a.description
    assert describe(out)[0].startswith("s.toml interventions[0]: Phosphorus-enterprise")


def test_load_cut_by_ids(model_dir):
    before, after, _ = apply(
        model_dir,
        """
        [[interventions]]
        type = "p_enterprise_remediation"
        ids = ["e1", "e4"]
        load_cut_fraction = 0.5
        species = ["tn"]
        """,
    )
    assert diff(before, after) == {
        "sources[2].concentrations.tn",
        "sources[5].concentrations.tn",
        "sources[5].concentrations.nh3n",
    }
    assert after["sources"][2]["concentrations"]["tn"] == pytest.approx(5.0)
    assert after["sources"][5]["concentrations"]["nh3n"] == pytest.approx(4.0)


def test_tp_load_cut_scales_total_and_parts(model_dir):
    before, after, _ = apply(
        model_dir,
        '[[interventions]]\ntype = "p_enterprise_remediation"\nids = ["e1", "e2"]\n'
        "load_cut_fraction = 0.4\n",
    )
    assert diff(before, after) == {
        "sources[2].concentrations.tp",
        "sources[3].concentrations.op",
        "sources[3].concentrations.po4p",
    }
    assert after["sources"][2]["concentrations"]["tp"] == pytest.approx(2.0 * 0.6)
    assert after["sources"][3]["concentrations"]["op"] == pytest.approx(0.5 * 0.6)
    assert after["sources"][3]["concentrations"]["po4p"] == pytest.approx(1.5 * 0.6)


def test_connect_to_plant(model_dir):
    before, after, _ = apply(
        model_dir,
        """
        [[interventions]]
        type = "p_enterprise_remediation"
        ids = ["e2"]
        tags = ["chemical"]
        connect_to = "plant_a"
        """,
    )
    assert diff(before, after) == {"sources[2].connected_to", "sources[3].connected_to"}
    assert after["sources"][3]["connected_to"] == "plant_a"


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ('tags = ["mercury"]\ntp_cap_mg_l = 0.3', "tags", ("mercury", "phosphorus")),
        ('ids = ["e9"]\ntp_cap_mg_l = 0.3', "ids", ("e9", "does not exist")),
        ('ids = ["plant_a"]\ntp_cap_mg_l = 0.3', "ids", ("wwtp", "not an enterprise")),
        ('ids = ["e1"]\nconnect_to = "e3"', "connect_to", ("not a sewage plant",)),
        ('ids = ["e1"]\nconnect_to = "nowhere"', "connect_to", ("does not exist", "plant_a")),
        ('ids = ["e4"]\nload_cut_fraction = 0.5', "species", ("none of the chosen",)),
    ],
)
def test_p_enterprise_misuse(model_dir, body, field, words):
    issues = errors(model_dir, f'[[interventions]]\ntype = "p_enterprise_remediation"\n{body}\n')
    only(issues, f"interventions[0].{field}", *words)


# ------------------------------------------------------------------ schema errors
@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        (
            'type = "p_enterprise_remediation"\ntags = ["phosphorus"]\ntp_cap_mg_l = 0.3\n'
            "load_cut_fraction = 0.5",
            "interventions[0]",
            ("exactly one",),
        ),
        (
            'type = "p_enterprise_remediation"\ntags = ["phosphorus"]\ntp_cap_mgl = 0.3',
            "interventions[0].tp_cap_mgl",
            ("unknown field", "tp_cap_mg_l"),
        ),
        ('type = "dredging"', "interventions[0]", ("dredging", "water_transfer")),
        (
            'type = "wwtp_expansion"\nplant = "plant_a"\ncapacity_m3d = 2e4\nadded_capacity_m3d = 1e4',
            "interventions[0]",
            ("not both",),
        ),
        (
            'type = "tail_water_wetland"\nplant = "plant_a"\nremoval = {tp = 1.5}',
            "interventions[0]",
            ("between 0 and 1",),
        ),
        (
            'type = "tail_water_wetland"\nplant = "plant_a"\nremoval = {phosphate = 0.5}',
            "interventions[0].removal",
            ("unknown species",),
        ),
        (
            'type = "water_transfer"\nnode = "up"\ndischarge_m3s = -3.0',
            "interventions[0]",
            ("> 0",),
        ),
        (
            'type = "structure_operation"\nstructure = "gate"\nopening_m = 1.0\ncrest_level_m = 0.2',
            "interventions[0]",
            ("exactly one control",),
        ),
        (
            'type = "agricultural_nps_reduction"\nreduction_fraction = 1.5',
            "interventions[0].reduction_fraction",
            ("less than or equal",),
        ),
    ],
)
def test_schema_errors_are_reported_at_load_against_the_scenario(model_dir, body, field, words):
    path = write_scenario(model_dir, f"[[interventions]]\n{body}\n")
    with pytest.raises(ConfigError) as exc:
        load_config(path)
    issues = exc.value.issues
    assert [(i.file, i.field) for i in issues] == [(path, field)], [i.format() for i in issues]
    text = issues[0].message + " " + issues[0].fix
    for w in words:
        assert w in text, issues[0].format()


# -------------------------------------------------------------------- sewage plants
def test_wwtp_expansion(model_dir):
    before, after, out = apply(
        model_dir,
        """
        [[interventions]]
        type = "wwtp_expansion"
        plant = "plant_b"
        capacity_m3d = 30000.0
        effluent = {tn = 10.0, nh3n = 1.5, tp = 0.3}
        """,
    )
    assert diff(before, after) == {"sources[1].capacity_m3d", "sources[1].effluent"}
    assert after["sources"][1]["capacity_m3d"] == 30000.0
    assert after["sources"][1]["effluent"] == {"tn": 10.0, "nh3n": 1.5, "tp": 0.3}
    assert "capacity 20,000 -> 30,000 m3/d" in out.applied_interventions[0].description


def test_wwtp_added_capacity(model_dir):
    before, after, out = apply(
        model_dir,
        '[[interventions]]\ntype = "wwtp_expansion"\nplant = "plant_a"\nadded_capacity_m3d = 5000.0\n',
    )
    assert diff(before, after) == {"sources[0].capacity_m3d"}
    assert after["sources"][0]["capacity_m3d"] == 15000.0
    assert "10,000 + 5,000 = 15,000 m3/d" in out.applied_interventions[0].description


def test_wwtp_effluent_only(model_dir):
    before, after, _ = apply(
        model_dir,
        '[[interventions]]\ntype = "wwtp_expansion"\nplant = "plant_a"\neffluent = {tp = 0.3, tn = 10.0}\n',
    )
    assert diff(before, after) == {"sources[0].effluent.tp", "sources[0].effluent.tn",
                                   "sources[0].effluent.nh3n"}  # fmt: skip
    assert after["sources"][0]["effluent"] == {"tp": 0.3, "tn": 10.0}


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ('plant = "plant_a"\ncapacity_m3d = 5000.0', "capacity_m3d", ("not more than",)),
        ('plant = "e1"\ncapacity_m3d = 50000.0', "plant", ("enterprise", "not a sewage plant")),
        ('plant = "plant_x"\ncapacity_m3d = 50000.0', "plant", ("does not exist", "plant_b")),
    ],
)
def test_wwtp_expansion_misuse(model_dir, body, field, words):
    only(
        errors(model_dir, f'[[interventions]]\ntype = "wwtp_expansion"\n{body}\n'),
        f"interventions[0].{field}",
        *words,
    )


def test_effluent_preset_names_are_checked(model_dir):
    # the presets of twin.vocab.sources: 'suzhou_special' is one, 'gb_1a' is not
    before, after, _ = apply(
        model_dir,
        '[[interventions]]\ntype = "wwtp_expansion"\nplant = "plant_a"\neffluent = "suzhou_special"\n',
    )
    assert diff(before, after) == {"sources[0].effluent"}
    assert after["sources"][0]["effluent"] == "suzhou_special"
    only(
        errors(
            model_dir,
            '[[interventions]]\ntype = "wwtp_expansion"\nplant = "plant_a"\neffluent = "gb_1a"\n',
        ),
        "interventions[0].effluent",
        "gb_1a",
        "suzhou_special",
    )


def test_tail_water_wetland(model_dir):
    before, after, out = apply(
        model_dir,
        '[[interventions]]\ntype = "tail_water_wetland"\nplant = "plant_b"\n'
        "removal = {tp = 0.4, tn = 0.3}\n",
    )
    assert diff(before, after) == {
        "sources[1].effluent_removal.tp",
        "sources[1].effluent_removal.tn",
    }
    assert after["sources"][1]["effluent_removal"] == {"tp": 0.4, "tn": 0.3}
    assert "was 20%" in out.applied_interventions[0].description


def test_tail_water_wetland_on_an_enterprise(model_dir):
    only(
        errors(
            model_dir,
            '[[interventions]]\ntype = "tail_water_wetland"\nplant = "p1"\nremoval = {tp = 0.4}\n',
        ),
        "interventions[0].plant",
        "point",
    )


# ----------------------------------------------------------------------- catchments
def test_sewer_repair_all_catchments(model_dir):
    before, after, out = apply(
        model_dir,
        """
        [[interventions]]
        type = "sewer_repair"
        leak_reduction_fraction = 0.5
        sewer_connection_fraction = 0.9
        """,
    )
    # c2 has no leak to halve and no plant to connect to: it stays as it is.
    assert diff(before, after) == {
        "catchments[0].sewer_leak_fraction",
        "catchments[0].sewer_connection_fraction",
    }
    assert after["catchments"][0]["sewer_leak_fraction"] == pytest.approx(0.15)
    assert after["catchments"][0]["sewer_connection_fraction"] == pytest.approx(0.9)
    assert "no plant" in out.applied_interventions[0].description


def test_sewer_repair_new_leak_fraction(model_dir):
    before, after, _ = apply(
        model_dir,
        '[[interventions]]\ntype = "sewer_repair"\ncatchments = ["c1"]\nsewer_leak_fraction = 0.1\n',
    )
    assert diff(before, after) == {"catchments[0].sewer_leak_fraction"}
    assert after["catchments"][0]["sewer_leak_fraction"] == 0.1


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ('catchments = ["c1"]\nsewer_leak_fraction = 0.5', "sewer_leak_fraction", ("raise",)),
        ('catchments = ["c1"]\nsewer_connection_fraction = 0.4', "sewer_connection_fraction",
         ("lower",)),
        ('catchments = ["c2"]\nsewer_connection_fraction = 0.4', "sewer_connection_fraction",
         ("no sewage plant",)),
        ('catchments = ["c9"]\nsewer_leak_fraction = 0.1', "catchments", ("c9", "c1, c2")),
        ('catchments = ["c2"]\nleak_reduction_fraction = 0.5', "", ("changes nothing",)),
    ],
)  # fmt: skip
def test_sewer_repair_misuse(model_dir, body, field, words):
    where = f"interventions[0].{field}" if field else "interventions[0]"
    only(errors(model_dir, f'[[interventions]]\ntype = "sewer_repair"\n{body}\n'), where, *words)


def test_agricultural_nps_reduction(model_dir):
    before, after, _ = apply(
        model_dir,
        '[[interventions]]\ntype = "agricultural_nps_reduction"\ncatchments = ["c2"]\n'
        "reduction_fraction = 0.25\n",
    )
    assert diff(before, after) == {"catchments[1].nonpoint_load_factor"}
    assert after["catchments"][1]["nonpoint_load_factor"] == pytest.approx(0.9)


def test_agricultural_nps_reduction_unknown_catchment(model_dir):
    only(
        errors(
            model_dir,
            '[[interventions]]\ntype = "agricultural_nps_reduction"\ncatchments = ["c1", "nope"]\n'
            "reduction_fraction = 0.25\n",
        ),
        "interventions[0].catchments",
        "nope",
    )


# ----------------------------------------------------------------------- structures
def test_sluice_opening_series(model_dir):
    before, after, _ = apply(
        model_dir,
        '[[interventions]]\ntype = "structure_operation"\nstructure = "gate"\nopening_m = "gate_series"\n',
    )
    assert diff(before, after) == {"structures[0].opening_m"}
    assert after["structures"][0]["opening_m"] == "gate_series"


def test_sluice_level_rule(model_dir):
    before, after, _ = apply(
        model_dir,
        """
        [[interventions]]
        type = "structure_operation"
        structure = "gate"
        rule = {node = "mid", above_m = 1.6, below_m = 1.2, on_value = 2.5, off_value = 0.2}
        """,
    )
    assert diff(before, after) == {"structures[0].opening_m", "structures[0].rule"}
    s = after["structures"][0]
    assert s["opening_m"] is None and s["rule"]["on_value"] == 2.5


def test_weir_crest_and_pump_schedule_combined(model_dir):
    before, after, out = apply(
        model_dir,
        """
        [[interventions]]
        type = "structure_operation"
        structure = "weir1"
        crest_level_m = 0.8

        [[interventions]]
        type = "structure_operation"
        structure = "pump1"
        schedule = 0.5
        """,
    )
    assert diff(before, after) == {
        "structures[1].crest_level_m",
        "structures[2].schedule",
        "structures[2].start_level_m",
        "structures[2].stop_level_m",
    }
    assert after["structures"][2]["schedule"] == 0.5
    assert [a.index for a in out.applied_interventions] == [0, 1]


def test_pump_levels(model_dir):
    before, after, _ = apply(
        model_dir,
        '[[interventions]]\ntype = "structure_operation"\nstructure = "pump1"\n'
        'start_level_m = 1.8\nstop_level_m = 1.3\ncontrol_node = "down"\n',
    )
    assert diff(before, after) == {"structures[2].start_level_m", "structures[2].stop_level_m",
                                   "structures[2].control_node"}  # fmt: skip


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ('structure = "gate"\ncrest_level_m = 0.2', "crest_level_m", ("weir", "sluice")),
        ('structure = "weir1"\nopening_m = 1.0', "opening_m", ("crest_level_m",)),
        ('structure = "gate"\nopening_m = 5.0', "opening_m", ("outside",)),
        ('structure = "gate"\nopening_m = "no_series"', "opening_m", ("does not exist", "gate_series")),
        ('structure = "gate"\nopening_m = "short_series"', "opening_m", ("not the run",)),
        ('structure = "flap"\nopening_m = 1.0', "structure", ("no operation",)),
        ('structure = "gate9"\nopening_m = 1.0', "structure", ("does not exist", "pump1")),
        ('structure = "gate"\nrule = {node = "lake", above_m = 1.0, below_m = 0.5, on_value = 1.0}',
         "rule.node", ("lake",)),
        ('structure = "pump1"\nstart_level_m = 1.0\nstop_level_m = 1.4', "start_level_m",
         ("stop_level_m must not exceed",)),
    ],
)  # fmt: skip
def test_structure_operation_misuse(model_dir, body, field, words):
    only(
        errors(model_dir, f'[[interventions]]\ntype = "structure_operation"\n{body}\n'),
        f"interventions[0].{field}",
        *words,
    )


# -------------------------------------------------------------------- water transfer
def test_water_transfer_adds_a_lateral(model_dir):
    before, after, out = apply(
        model_dir,
        """
        [[interventions]]
        type = "water_transfer"
        node = "up"
        discharge_m3s = 15.0
        concentrations = {tp = 0.06, tn = 1.2, nh3n = 0.2}
        source = "assumed for the test"
        confidence = "assumed"
        """,
    )
    assert diff(before, after) == {"laterals"}
    assert before["laterals"] == []
    (lat,) = after["laterals"]
    assert (lat["id"], lat["node"], lat["discharge_m3s"]) == ("transfer_1", "up", 15.0)
    assert lat["concentrations"] == {"tp": 0.06, "tn": 1.2, "nh3n": 0.2}
    assert lat["source"] == "assumed for the test"
    assert out.applied_interventions[0].changed == ("transfer_1",)


def test_water_transfer_without_quality_says_so(model_dir):
    *_, out = apply(
        model_dir, '[[interventions]]\ntype = "water_transfer"\nnode = "up"\ndischarge_m3s = 5.0\n'
    )
    assert "free of N and P" in out.applied_interventions[0].description


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ('node = "taihu"\ndischarge_m3s = 5.0', "node", ("taihu",)),
        ('node = "up"\ndischarge_m3s = "transfer_series"', "discharge_m3s", ("does not exist",)),
        ('node = "up"\ndischarge_m3s = 5.0\nconcentrations = {tp = "tp_series"}',
         "concentrations.tp", ("tp_series",)),
    ],
)  # fmt: skip
def test_water_transfer_misuse(model_dir, body, field, words):
    only(
        errors(model_dir, f'[[interventions]]\ntype = "water_transfer"\n{body}\n'),
        f"interventions[0].{field}",
        *words,
    )


# --------------------------------------------------------- inheritance and combination
def test_inheritance_applies_root_to_leaf_and_combines(model_dir):
    parent = write_scenario(
        model_dir,
        """
        [[interventions]]
        type = "agricultural_nps_reduction"
        reduction_fraction = 0.2

        [[interventions]]
        type = "tail_water_wetland"
        plant = "plant_b"
        removal = {tp = 0.3}
        """,
        name="parent.toml",
    )
    _before, after, out = apply(
        model_dir,
        """
        [[interventions]]
        type = "agricultural_nps_reduction"
        catchments = ["c1"]
        reduction_fraction = 0.5

        [[interventions]]
        name = "bigger wetland"
        type = "tail_water_wetland"
        plant = "plant_b"
        removal = {tp = 0.6}
        """,
        name="child.toml",
        inherits="parent.toml",
    )
    child = model_dir / "child.toml"
    order = [(a.file, a.index, a.type) for a in out.applied_interventions]
    assert order == [
        (parent, 0, "agricultural_nps_reduction"),
        (parent, 1, "tail_water_wetland"),
        (child, 0, "agricultural_nps_reduction"),
        (child, 1, "tail_water_wetland"),
    ]
    assert after["catchments"][0]["nonpoint_load_factor"] == pytest.approx(1.0 * 0.8 * 0.5)
    assert after["catchments"][1]["nonpoint_load_factor"] == pytest.approx(1.2 * 0.8)
    assert after["sources"][1]["effluent_removal"] == {"tp": 0.6}  # the leaf's, applied last
    assert out.applied_interventions[3].description.startswith(
        "bigger wetland (Tail-water wetland): wetland"
    )
    assert "was 30%" in out.applied_interventions[3].description


def test_every_bad_intervention_in_the_chain_is_reported_together(model_dir):
    parent = write_scenario(
        model_dir,
        '[[interventions]]\ntype = "wwtp_expansion"\nplant = "nope"\ncapacity_m3d = 1.0\n',
        name="parent.toml",
    )
    child = write_scenario(
        model_dir,
        """
        [[interventions]]
        type = "agricultural_nps_reduction"
        reduction_fraction = 0.5

        [[interventions]]
        type = "water_transfer"
        node = "nowhere"
        discharge_m3s = 3.0
        """,
        name="child.toml",
        inherits="parent.toml",
    )
    with pytest.raises(ConfigError) as exc:
        apply_interventions(load_config(child))
    got = [(i.file, i.field) for i in exc.value.issues]
    assert got == [(parent, "interventions[0].plant"), (child, "interventions[1].node")]


def test_applying_twice_changes_nothing_more(model_dir):
    cfg = load_config(
        write_scenario(
            model_dir,
            '[[interventions]]\ntype = "agricultural_nps_reduction"\nreduction_fraction = 0.5\n',
        )
    )
    once = apply_interventions(cfg)
    assert apply_interventions(once) is once
    assert once.model.catchments[0].nonpoint_load_factor == pytest.approx(0.5)


def test_no_interventions(model_dir):
    cfg = load_config(model_dir / "base.toml")
    out = apply_interventions(cfg)
    assert out.applied_interventions == []
    assert out.model.model_dump() == cfg.model.model_dump()


def test_single_bracket_interventions_table_is_explained(model_dir):
    path = write_scenario(model_dir, '[interventions]\ntype = "water_transfer"\n')
    with pytest.raises(ConfigError) as exc:
        load_config(path)
    (issue,) = exc.value.issues
    assert (issue.file, issue.field) == (path, "interventions")
    assert "[[interventions]]" in issue.fix


@pytest.mark.parametrize("name", INTERVENTION_TYPES)
def test_each_type_is_one_module_in_the_registry(name):
    kind = REGISTRY[name]
    assert kind.name == name
    assert kind.schema.__module__ == kind.apply.__module__ == f"twin.config.interventions.{name}"
    assert kind.title and kind.schema.__doc__
