"""Bad water-quality input is refused when the configuration loads, before any run, with an
error that names the file, the field and the fix; all problems are reported together."""

from __future__ import annotations

import pytest

from tests.quality_cases import START, T0, Channel, channel_toml, iso, load
from twin.errors import ConfigError

CH = Channel(length_m=2000.0, dx_m=100.0)


def series(sid: str, values: list[float]) -> str:
    return (
        f'[[timeseries]]\nid = "{sid}"\nunits = "mg L-1"\n'
        f"times = [{START.isoformat()}, {iso(T0 + 86400.0)}]\n"
        f"values = {values}\n"
    )


def issues(tmp_path, quality: str = "", extra: str = "", up: str = "") -> list:
    """The issues raised while loading the channel with these additions."""
    text = channel_toml(
        CH, end_s=3600.0, dt_s=60.0, quality=quality, up_concentrations=up, extra=extra
    )
    with pytest.raises(ConfigError) as err:
        load(tmp_path, text)
    return err.value.issues


def one(found, field_part: str, message_part: str):
    hits = [i for i in found if field_part in i.field and message_part in i.message]
    assert hits, [i.format() for i in found]
    assert hits[0].file is not None and hits[0].file.name == "model.toml"
    return hits[0]


CASES = {
    # name: (quality text, extra text, upstream concentrations, field, message)
    "negative_rate": ("[quality.kinetics]\nnitrification_per_d = -0.1", "", "",
                      "quality.kinetics.nitrification_per_d", "greater than or equal to 0"),
    "rate_too_high": ("[quality.kinetics]\nammonification_per_d = 5.0", "", "",
                      "quality.kinetics.ammonification_per_d", "less than or equal to 1"),
    "theta_below_one": ("[quality.kinetics]\nnitrification_theta = 0.9", "", "",
                        "nitrification_theta", "greater than or equal to 1"),
    "negative_settling": ("[quality.kinetics]\nop_settling_m_per_d = -0.2", "", "",
                          "op_settling_m_per_d", "greater than or equal to 0"),
    "negative_release": ("[quality.kinetics]\nsediment_po4_release_g_m2_d = -0.01", "", "",
                         "sediment_po4_release_g_m2_d", "greater than or equal to 0"),
    "negative_dispersion": ('dispersion = { method = "constant", coefficient_m2_s = -1.0 }', "", "",
                            "quality.dispersion.coefficient_m2_s", "greater than or equal to 0"),
    "negative_reach_dispersion": ("dispersion_per_reach_m2_s = { channel = -5.0 }", "", "",
                                  "dispersion_per_reach_m2_s.channel", "greater than or equal to 0"),
    "dispersion_bounds_crossed": ('dispersion = { method = "fischer", min_m2_s = 50.0, max_m2_s = 5.0 }',
                                  "", "", "quality.dispersion", "above max_m2_s"),
    "temperature_out_of_range": ("temperature_c = 293.15", "", "", "quality.temperature_c", "outside -2.0 to 40.0"),
    "temperature_series_out_of_range": ('temperature_c = "tw"', series("tw", [15.0, 68.0]), "",
                                        "quality.temperature_c", "outside -2.0 to 40.0"),
    "courant_above_one": ("max_courant = 1.5", "", "", "quality.max_courant", "less than or equal to 1"),
    "unknown_limiter": ('limiter = "minmod2"', "", "", "quality.limiter", "van_leer"),
    "negative_initial": ("initial_mg_l = { nh3n = -0.5 }", "", "", "quality.initial_mg_l.nh3n",
                         "greater than or equal to 0"),
    "unknown_initial_species": ("initial_mg_l = { ammonia = 0.5 }", "", "",
                                "quality.initial_mg_l", "unknown species ammonia"),
    "negative_boundary_concentration": ("", "", "{ tp = -0.1 }", "boundaries[0].concentrations.tp", "negative"),
    "unknown_boundary_species": ("", "", "{ cod = 20.0 }", "boundaries[0].concentrations.cod", "unknown species"),
    "negative_concentration_series": ("", series("c_up", [0.2, -0.3]), '{ po4p = "c_up" }',
                                      "boundaries[0].concentrations.po4p", "negative concentrations"),
    "lateral_at_missing_node": ("", '[[laterals]]\nid = "drain"\nnode = "nowhere"\ndischarge_m3s = 1.0\n'
                                "concentrations = { nh3n = 5.0 }", "", "laterals[0].node", "does not exist"),
    "lateral_at_level_boundary": ("", '[[laterals]]\nid = "drain"\nnode = "dn"\ndischarge_m3s = 1.0\n'
                                  "concentrations = { nh3n = 5.0 }", "", "laterals[0].node", "would be lost"),
    "lateral_unknown_species": ("", '[[laterals]]\nid = "drain"\nreach = "channel"\nchainage_m = 500\n'
                                "discharge_m3s = 1.0\nconcentrations = { nh4 = 5.0 }", "",
                                "laterals[0].concentrations.nh4", "unknown species"),
    "source_at_missing_node": ("", '[[sources]]\nkind = "point"\nid = "plant"\nnode = "nowhere"\n'
                               "flow_m3d = 1000.0\nconcentrations = { tp = 0.5 }", "",
                               "sources[0].node", "does not exist"),
    "override_missing_reach": ('[[quality.overrides]]\nreaches = ["canal"]\nnitrification_per_d = 0.3',
                               "", "", "quality.overrides[0].reaches", "does not exist"),
    "override_node_without_volume": ('[[quality.overrides]]\nnodes = ["dn"]\nnitrification_per_d = 0.3',
                                     "", "", "quality.overrides[0].nodes", "holds no water"),
    "dispersion_missing_reach": ("dispersion_per_reach_m2_s = { canal = 5.0 }", "", "",
                                 "quality.dispersion_per_reach_m2_s.canal", "does not exist"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES))
def test_bad_quality_input_is_refused_at_load(tmp_path, case):
    quality, extra, up, field, message = CASES[case]
    found = issues(tmp_path, quality, extra, up)
    hit = one(found, field, message)
    assert hit.format().startswith(str(tmp_path / "model.toml"))


def test_every_problem_is_reported_together(tmp_path):
    """Schema problems of the quality table and reference problems elsewhere come in one
    error. (A quality table with a schema problem is left out of the reference checks, so
    e.g. an unknown reach in dispersion_per_reach_m2_s shows once the schema is right.)"""
    quality = (
        "temperature_c = 55.0\ninitial_mg_l = { ammonia = 0.5 }\n"
        "[quality.kinetics]\nnitrification_per_d = -1.0"
    )
    found = issues(tmp_path, quality, up="{ cod = 20.0 }")
    fields = {i.field for i in found}
    assert {
        "quality.temperature_c",
        "quality.initial_mg_l",
        "quality.kinetics.nitrification_per_d",
        "boundaries[0].concentrations.cod",
    } <= fields
    found = issues(
        tmp_path,
        "dispersion_per_reach_m2_s = { canal = 5.0 }\n"
        '[[quality.overrides]]\nnodes = ["dn"]\nnitrification_per_d = 0.3',
        up="{ cod = 20.0 }",
    )
    fields = {i.field for i in found}
    assert {
        "quality.dispersion_per_reach_m2_s.canal",
        "quality.overrides[0].nodes",
        "boundaries[0].concentrations.cod",
    } <= fields


def test_valid_input_loads(tmp_path):
    """The same channel with sensible values loads (the cases above fail for their reason)."""
    text = channel_toml(
        CH,
        end_s=3600.0,
        dt_s=60.0,
        quality="temperature_c = 18.0\ninitial_mg_l = { tn = 2.0 }\n"
        "dispersion_per_reach_m2_s = { channel = 5.0 }",
        up_concentrations="{ tp = 0.1, nh3n = 0.5 }",
        extra='[[laterals]]\nid = "drain"\nreach = "channel"\nchainage_m = 500\n'
        "discharge_m3s = 1.0\nconcentrations = { nh3n = 5.0 }",
    )
    cfg = load(tmp_path, text)
    assert cfg.model.quality.temperature_c == 18.0
