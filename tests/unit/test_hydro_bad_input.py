"""Bad hydrodynamic input is a ConfigError from load_config, before any run, listing every
problem at once with the file, the field and a fix.

Problems (issue 3, "Bad input"): negative or zero widths; non-monotonic tables; a reach
naming a node that does not exist; a part of the network with no boundary; a time series
that does not cover the run.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests import hydro_cases as hc
from twin.errors import ConfigError


def good_model() -> dict:
    """A valid model: discharge into a, reaches a-b-c, a weir c -> lake, level at the lake."""
    m = hc.model("bad_input", days=2)
    hc.node(m, "a", 0)
    hc.node(m, "b", 1000)
    hc.node(m, "c", 2000)
    hc.node(m, "lake", 3000, kind="storage", storage={"level_m": [0.0, 2.0], "area_m2": [1e5, 2e5]})
    hc.rectangular(m, "rect", 10.0, n=0.03)
    hc.reach(m, "r1", "a", "b", 1000, 100, "rect", 0.0, -0.1)
    hc.reach(m, "r2", "b", "c", 1000, 100, "rect", -0.1, -0.2)
    m["structures"].append(
        {"id": "w", "kind": "weir", "from_node": "c", "to_node": "lake",
         "crest_level_m": 0.0, "crest_width_m": 5.0}
    )  # fmt: skip
    m["timeseries"].append(
        {"id": "q_a", "units": "m3 s-1", "times": [hc.START, hc.START + timedelta(days=3)],
         "values": [1.0, 2.0]}
    )  # fmt: skip
    m["boundaries"].append({"node": "a", "kind": "discharge", "discharge_m3s": "q_a"})
    hc.level_bc(m, "lake", 1.0)
    m["run"]["hydro"]["initial_level_m"] = 1.0
    return m


def load_errors(m, tmp_path) -> list:
    with pytest.raises(ConfigError) as info:
        hc.load(m, tmp_path)
    issues = info.value.issues
    for issue in issues:
        assert issue.file == tmp_path / "model.toml"
        assert issue.field and issue.message
    return issues


def find(issues, field: str, text: str):
    """The issue at ``field`` (or inside it) whose message holds ``text``."""
    hits = [
        i
        for i in issues
        if (i.field == field or i.field.startswith(field + ".")) and text in i.message
    ]
    assert hits, f"no issue at {field} saying '{text}' in:\n" + "\n".join(
        i.format() for i in issues
    )
    return hits[0]


def test_the_good_model_loads(tmp_path):
    cfg = hc.load(good_model(), tmp_path)
    assert [r.id for r in cfg.model.reaches] == ["r1", "r2"]


def test_widths_and_tables_reported_together(tmp_path):
    m = good_model()
    m["cross_sections"] += [
        {"id": "neg", "shape": "rectangular", "width_m": -5.0},
        {"id": "zero", "shape": "rectangular", "width_m": 0.0},
        {"id": "negtrap", "shape": "trapezoidal", "bottom_width_m": -2.0, "side_slope": 1.0},
        {"id": "flat", "shape": "trapezoidal", "bottom_width_m": 0.0, "side_slope": 0.0},
        {"id": "zigzag", "shape": "irregular", "station_m": [0, 10, 5, 20],
         "elevation_m": [3, 0, -1, 3], "manning_n": 0.03},
        {"id": "narrow", "shape": "irregular", "station_m": [4, 4, 4],
         "elevation_m": [3, 0, 3], "manning_n": 0.03},
    ]  # fmt: skip
    m["structures"][0]["crest_width_m"] = 0.0
    m["nodes"][3]["storage"] = {"level_m": [0.0, 2.0, 1.0], "area_m2": [1e5, 2e5, 3e5]}
    m["boundaries"].append(
        {"node": "b", "kind": "rating", "level_m": [0.0, 1.0, 0.5], "discharge_m3s": [0, 1, 2]}
    )
    m["boundaries"].append(
        {"node": "c", "kind": "rating", "level_m": [0.0, 1.0], "discharge_m3s": [2.0, 1.0]}
    )
    m["timeseries"].append(
        {"id": "back", "units": "m", "times": [hc.START + timedelta(days=1), hc.START],
         "values": [1.0, 2.0]}
    )  # fmt: skip
    issues = load_errors(m, tmp_path)
    find(issues, "cross_sections[1].width_m", "greater than 0")
    find(issues, "cross_sections[2].width_m", "greater than 0")
    find(issues, "cross_sections[3].bottom_width_m", "greater than or equal to 0")
    find(issues, "cross_sections[4]", "cannot both be 0")
    find(issues, "cross_sections[5].station_m", "non-decreasing")
    find(issues, "cross_sections[6].station_m", "positive width")
    find(issues, "structures[0].crest_width_m", "greater than 0")
    find(issues, "nodes[3].storage.level_m", "strictly increasing")
    find(issues, "boundaries[2].level_m", "strictly increasing")
    find(issues, "boundaries[3]", "non-decreasing")
    find(issues, "timeseries[1]", "strictly increasing")
    assert len(issues) == 11
    for issue in issues:
        if "greater than" in issue.message:
            assert issue.fix, issue.format()


def test_references_boundaries_and_coverage_reported_together(tmp_path):
    m = good_model()
    hc.reach(m, "r3", "b", "nowhere", 1000, 100, "rect", 0.0, 0.0)
    hc.node(m, "island1", 0, 500)
    hc.node(m, "island2", 1000, 500)
    hc.reach(m, "r4", "island1", "island2", 1000, 100, "rect", 0.0, 0.0)
    m["timeseries"][0]["times"] = [hc.START, hc.START + timedelta(days=1)]
    issues = load_errors(m, tmp_path)
    missing = find(issues, "reaches[2].to_node", "'nowhere' does not exist")
    assert "island1" in missing.fix  # lists the known nodes
    island = next(i for i in issues if "has no boundary" in i.message)
    assert "island1" in island.message and "island2" in island.message
    assert "boundaries" in island.fix
    short = find(issues, "timeseries[0].times", "not the run")
    assert "q_a" in short.message and "boundaries[0]" in short.message
    assert len(issues) == 3


def test_schema_and_reference_problems_reported_together(tmp_path):
    m = good_model()
    m["cross_sections"][0]["width_m"] = -10.0
    m["reaches"][1]["to_node"] = "nowhere"
    m["timeseries"][0]["times"] = [hc.START, hc.START + timedelta(days=1)]
    issues = load_errors(m, tmp_path)
    find(issues, "cross_sections[0].width_m", "greater than 0")
    find(issues, "reaches[1].to_node", "'nowhere' does not exist")
    find(issues, "timeseries[0].times", "not the run")
    # the broken section is reported once, not again by the reaches placing it
    assert len(issues) == 3
