"""Every shipped scenario changes what it says: each intervention changes at least one item
of the model, the count its description gives ('changes N of the M ...') is the number of
items it changed, and every model id the scenario's own description names is one it changed."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from twin.config.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted(
    p
    for p in (ROOT / "scenarios").glob("*.toml")
    if "interventions" in tomllib.loads(p.read_text(encoding="utf-8"))
)


@pytest.fixture(scope="module")
def loaded():
    return {p.name: load_scenario(p) for p in SCENARIOS}


def test_there_are_shipped_scenarios_with_interventions():
    assert len(SCENARIOS) >= 5


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_each_intervention_changes_what_it_says(path, loaded):
    cfg = loaded[path.name]
    assert cfg.applied_interventions, f"{path.name}: no intervention applied"
    for a in cfg.applied_interventions:
        assert a.changed, f"{a.label} ({a.title}) changes nothing: {a.description}"
        m = re.search(r"changes (\d+) of the (\d+)", a.description)
        if m:
            assert int(m.group(1)) == len(a.changed), a.description
            assert int(m.group(1)) <= int(m.group(2))
            for cid in a.changed:
                assert cid in a.description


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_the_scenario_text_names_only_items_it_changes(path, loaded):
    cfg = loaded[path.name]
    text = tomllib.loads(path.read_text(encoding="utf-8"))["scenario"].get("description", "")
    changed = {c for a in cfg.applied_interventions for c in a.changed}
    ids = {s.id for s in cfg.model.sources} | {c.id for c in cfg.model.catchments}
    named = {w for w in re.findall(r"[A-Za-z0-9_]+", text) if w in ids}
    assert named <= changed, f"{path.name} names {sorted(named - changed)}, which it leaves"


def test_the_phosphorus_cap_says_it_changes_two_of_eight(loaded):
    cfg = loaded["p_enterprise_remediation.toml"]
    (a,) = cfg.applied_interventions
    assert sorted(a.changed) == ["ent_p06", "ent_p07"]
    assert "changes 2 of the 8 enterprise(s)" in a.description
    text = tomllib.loads(
        (ROOT / "scenarios" / "p_enterprise_remediation.toml").read_text(encoding="utf-8")
    )["scenario"]["description"]
    assert "8" in text and "2" in text and "ent_p06" in text and "ent_p07" in text


def test_a_scenario_of_the_same_name_inherits_the_title(tmp_path):
    same = tmp_path / "short.toml"
    same.write_text(
        f'[scenario]\nname = "p_enterprise_remediation"\n'
        f'inherits = "{(ROOT / "scenarios" / "p_enterprise_remediation.toml").as_posix()}"\n'
    )
    other = tmp_path / "other.toml"
    other.write_text(
        f'[scenario]\nname = "mine"\ninherits = "{(ROOT / "scenarios" / "baseline.toml").as_posix()}"\n'
    )
    assert load_scenario(same).title == "涉磷企业整治"
    assert load_scenario(other).title == ""
