"""A small river-lake network for the tests of run products, comparisons and reports.

Main river up -> j1 -> j2 -> lake -> out (5 reaches of 3 km, 500 m points), a tributary into
j1, a storage node 'lake' of 1 km2, a level boundary at 'out'. Two phosphorus-discharging
enterprises (``[[sources]]`` tagged 'phosphorus') sit on main_2 and a sewage plant's outfall
(a ``[[laterals]]`` with concentrations) on main_3. Sections: above the enterprises, below
them, above the lake, the lake itself (kind lake) and its outlet. Everything here is made up
for the tests (confidence "assumed"). The model is built with ``tests.builders``; the
scenarios are TOML text (a scenario's ``extra`` may continue its [run.hydro] table).
"""

from __future__ import annotations

from pathlib import Path

from tests import builders as b

ENTERPRISE_FLOW_M3S = 0.1
"""Flow of each of the two enterprises."""
RIVER_FLOW_M3S = 5.0
"""Main river plus tributary inflow above the enterprises."""


def model_toml(enterprise_tp_mg_l: float = 8.0, conservative: bool = False) -> str:
    """The model; ``conservative`` switches every reaction off (TN and TP become tracers)."""
    m = b.model(
        "small",
        dt_s=300.0,
        description="A river past two enterprises and a sewage plant into a lake",
        coordinates="lonlat",
    )
    del m["run"]  # the scenarios give the run
    for nid, x, y, kw in (
        ("up", 120.90, 31.30, {}),
        ("trib_up", 120.93, 31.34, {}),
        ("j1", 120.93, 31.31, {"surface_area_m2": 1000}),
        ("j2", 120.96, 31.31, {"surface_area_m2": 1000}),
    ):
        b.node(m, nid, x, y, **kw)
    b.storage_node(m, "lake", 120.99, 31.31, [0.0, 5.0], [1.0e6, 1.0e6], bed_level_m=0.5,
                   name="the lake")  # fmt: skip
    b.node(m, "out", 121.02, 31.31)
    b.trapezoidal(m, "river", 20, 2.0, height_m=6, n=0.03)
    for rid, a, to, z0 in (
        ("main_1", "up", "j1", 0.0),
        ("trib", "trib_up", "j1", 0.0),
        ("main_2", "j1", "j2", -0.1),
        ("main_3", "j2", "lake", -0.2),
        ("outlet", "lake", "out", -0.3),
    ):
        b.reach(m, rid, a, to, 3000, 500, "river", z0, round(z0 - 0.1, 1))
    b.flow_bc(m, "up", RIVER_FLOW_M3S - 1.0, concentrations={"tn": 1.5, "tp": 0.10, "tracer": 1.0})
    b.flow_bc(m, "trib_up", 1.0, concentrations={"tn": 2.0, "tp": 0.12})
    b.level_bc(m, "out", 2.5, concentrations={"tn": 2.0, "tp": 0.15})
    q_m3d = ENTERPRISE_FLOW_M3S * 86400.0
    effluent = {"tp": enterprise_tp_mg_l, "nh3n": 2.0}
    b.source(m, "enterprise", "enterprise_a", reach="main_2", chainage_m=600, flow_m3d=q_m3d,
             concentrations=dict(effluent), tags=["phosphorus", "electroplating"])  # fmt: skip
    b.source(m, "enterprise", "enterprise_b", reach="main_2", chainage_m=1400, flow_m3d=q_m3d,
             concentrations=dict(effluent), tags=["phosphorus"])  # fmt: skip
    b.lateral(m, "wwtp", "main_3", 500, 0.2,
              concentrations={"tp": 0.5, "nh3n": 1.5, "no3n": 8.0})  # fmt: skip
    m["quality"] = {"initial_mg_l": {"tn": 1.5, "tp": 0.10}, "apportionment": True}
    if conservative:
        m["quality"]["kinetics"] = dict.fromkeys(
            ("ammonification_per_d", "nitrification_per_d", "denitrification_per_d",
             "p_mineralisation_per_d", "on_settling_m_per_d", "op_settling_m_per_d"), 0.0
        )  # fmt: skip
    for sid, name, kind, where, target, kw in (
        ("upstream", "main river above the enterprises", "river", ("main_1", 2500), "III",
         {"observed": {"do": 6.5}}),
        ("below_enterprises", "below the two enterprises", "river", ("main_2", 2500), "III", {}),
        ("above_lake", "main river above the lake", "river", ("main_3", 2500), "III", {}),
        ("lake_centre", "lake centre", "lake", "lake", "IV", {}),
        ("outlet_sec", "lake outlet", "river", ("outlet", 1500), "IV", {}),
    ):  # fmt: skip
        at = {"node": where} if kind == "lake" else {"reach": where[0], "chainage_m": where[1]}
        b.section(m, sid, name=name, kind=kind, **at, target_class=target, **kw)
    return b.toml_text(m)


def scenario_toml(
    name: str,
    model: str,
    extra: str = "",
    start: str = "2024-03-01T00:00:00",
    end: str = "2024-03-02T12:00:00",
) -> str:
    return f"""
[scenario]
name = "{name}"
description = "test scenario {name}"
model = "{model}"

[run]
start = {start}
end = {end}
dt_s = 300
output_interval_s = 3600
[run.hydro]
initial_level_m = 2.5
{extra}
"""


TRANSFER = """
[[interventions]]
type = "water_transfer"
name = "clean water"
node = "j1"
discharge_m3s = 2.0
concentrations = { tp = 0.05, tn = 1.0 }
"""

BAD_NODE = """
[[interventions]]
type = "water_transfer"
node = "nowhere"
discharge_m3s = 2.0
"""

FLOOD = """max_halvings = 0

[[interventions]]
type = "water_transfer"
name = "impossible transfer"
node = "j2"
discharge_m3s = 50000.0
"""
"""A transfer far beyond what the channels carry, with no step halving: the first step's
iteration does not converge (a numerical failure). Its first line continues [run.hydro]."""


REMEDIATION = """
[[interventions]]
type = "p_enterprise_remediation"
name = "phosphorus enterprises capped"
tags = ["phosphorus"]
tp_cap_mg_l = 0.5
"""


def write_network(folder: Path) -> dict[str, Path]:
    """Write the model and the scenarios into ``folder``; returns scenario paths by role:
    baseline, remediation (the p_enterprise_remediation intervention capping the tagged
    enterprises' effluent TP at 0.5 mg/L), transfer (a water_transfer intervention),
    bad_config (an intervention naming a missing node), numerical (fails)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model.toml").write_text(model_toml(8.0))
    files = {
        "baseline": scenario_toml("baseline", "model.toml"),
        "remediation": scenario_toml("p_remediation", "model.toml", REMEDIATION),
        "transfer": scenario_toml("transfer", "model.toml", TRANSFER),
        "bad_config": scenario_toml("bad_config", "model.toml", BAD_NODE),
        "numerical": scenario_toml("flood", "model.toml", FLOOD),
    }
    out = {}
    for role, text in files.items():
        p = folder / f"{role}.toml"
        p.write_text(text)
        out[role] = p
    return out
