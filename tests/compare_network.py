"""A small river-lake network for the tests of run products, comparisons and reports.

Main river up -> j1 -> j2 -> lake -> out (5 reaches of 3 km, 500 m points), a tributary into
j1, a storage node 'lake' of 1 km2, a level boundary at 'out'. Two phosphorus-discharging
enterprises (``[[sources]]`` tagged 'phosphorus') sit on main_2 and a sewage plant's outfall
(a ``[[laterals]]`` with concentrations) on main_3. Sections: above the enterprises, below
them, above the lake, the lake itself (kind lake) and its outlet. Everything here is made up
for the tests (confidence "assumed").
"""

from __future__ import annotations

from pathlib import Path

ENTERPRISE_FLOW_M3S = 0.1
"""Flow of each of the two enterprises."""
RIVER_FLOW_M3S = 5.0
"""Main river plus tributary inflow above the enterprises."""


def model_toml(enterprise_tp_mg_l: float = 8.0, conservative: bool = False) -> str:
    """The model; ``conservative`` switches every reaction off (TN and TP become tracers)."""
    kinetics = ""
    if conservative:
        kinetics = (
            "[quality.kinetics]\nammonification_per_d = 0.0\nnitrification_per_d = 0.0\n"
            "denitrification_per_d = 0.0\np_mineralisation_per_d = 0.0\n"
            "on_settling_m_per_d = 0.0\nop_settling_m_per_d = 0.0\n"
        )
    reaches = ""
    for rid, a, b, z0 in (
        ("main_1", "up", "j1", 0.0),
        ("trib", "trib_up", "j1", 0.0),
        ("main_2", "j1", "j2", -0.1),
        ("main_3", "j2", "lake", -0.2),
        ("outlet", "lake", "out", -0.3),
    ):
        reaches += (
            f'[[reaches]]\nid = "{rid}"\nfrom_node = "{a}"\nto_node = "{b}"\nlength_m = 3000\n'
            f"dx_m = 500\nbed_level_from_m = {z0}\nbed_level_to_m = {z0 - 0.1:.1f}\n"
            'sections = [{ chainage_m = 0, section = "river" }]\n\n'
        )
    q = ENTERPRISE_FLOW_M3S
    return f"""
[model]
name = "small"
description = "A river past two enterprises and a sewage plant into a lake"
coordinates = "lonlat"

[[nodes]]
id = "up"
x = 120.90
y = 31.30
[[nodes]]
id = "trib_up"
x = 120.93
y = 31.34
[[nodes]]
id = "j1"
x = 120.93
y = 31.31
surface_area_m2 = 1000
[[nodes]]
id = "j2"
x = 120.96
y = 31.31
surface_area_m2 = 1000
[[nodes]]
id = "lake"
name = "the lake"
kind = "storage"
x = 120.99
y = 31.31
bed_level_m = 0.5
storage = {{ level_m = [0.0, 5.0], area_m2 = [1.0e6, 1.0e6] }}
[[nodes]]
id = "out"
x = 121.02
y = 31.31

[[cross_sections]]
id = "river"
shape = "trapezoidal"
bottom_width_m = 20
side_slope = 2.0
height_m = 6
manning_n = 0.03

{reaches}
[[boundaries]]
node = "up"
kind = "discharge"
discharge_m3s = {RIVER_FLOW_M3S - 1.0}
concentrations = {{ tn = 1.5, tp = 0.10, tracer = 1.0 }}
[[boundaries]]
node = "trib_up"
kind = "discharge"
discharge_m3s = 1.0
concentrations = {{ tn = 2.0, tp = 0.12 }}
[[boundaries]]
node = "out"
kind = "level"
level_m = 2.5
concentrations = {{ tn = 2.0, tp = 0.15 }}

[[sources]]
kind = "enterprise"
id = "enterprise_a"
reach = "main_2"
chainage_m = 600
flow_m3d = {q * 86400.0}
concentrations = {{ tp = {enterprise_tp_mg_l}, nh3n = 2.0 }}
tags = ["phosphorus", "electroplating"]
[[sources]]
kind = "enterprise"
id = "enterprise_b"
reach = "main_2"
chainage_m = 1400
flow_m3d = {q * 86400.0}
concentrations = {{ tp = {enterprise_tp_mg_l}, nh3n = 2.0 }}
tags = ["phosphorus"]
[[laterals]]
id = "wwtp"
reach = "main_3"
chainage_m = 500
discharge_m3s = 0.2
concentrations = {{ tp = 0.5, nh3n = 1.5, no3n = 8.0 }}

[quality]
initial_mg_l = {{ tn = 1.5, tp = 0.10 }}
apportionment = true
{kinetics}
[[sections]]
id = "upstream"
name = "main river above the enterprises"
kind = "river"
reach = "main_1"
chainage_m = 2500
target_class = "III"
observed = {{ do = 6.5 }}
[[sections]]
id = "below_enterprises"
name = "below the two enterprises"
kind = "river"
reach = "main_2"
chainage_m = 2500
target_class = "III"
[[sections]]
id = "above_lake"
name = "main river above the lake"
kind = "river"
reach = "main_3"
chainage_m = 2500
target_class = "III"
[[sections]]
id = "lake_centre"
name = "lake centre"
kind = "lake"
node = "lake"
target_class = "IV"
[[sections]]
id = "outlet_sec"
name = "lake outlet"
kind = "river"
reach = "outlet"
chainage_m = 1500
target_class = "IV"
"""


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
