"""Products of a run from hand-made results: the calendar periods of loads and assessments,
and the profile chain. (Products of a real run: tests/integration/test_run_products.py.)"""

from __future__ import annotations

import logging
from types import SimpleNamespace

import numpy as np
import xarray as xr

from twin.assess.products import (
    assessment_input,
    assessment_years,
    profile_chain,
    storage_loads,
)


# ------------------------------------------------------------------- periods
def test_a_last_sample_alone_in_a_new_year_makes_no_period():
    t = np.arange("2024-12-30T00", "2025-01-01T02", np.timedelta64(1, "h"), dtype="datetime64[h]")
    assert assessment_years(t[:-1].astype("datetime64[ns]")) == [2024]  # ends at 01-01 00:00
    assert assessment_years(t.astype("datetime64[ns]")) == [2024, 2025]
    ds = xr.Dataset(
        {"section_tp": (("section", "time"), np.ones((1, t.size - 1)))},
        coords={"time": t[:-1].astype("datetime64[ns]")},
    )
    ds["section_id"] = ("section", ["s"])
    ds["section_kind"] = ("section", ["river"])
    ds["section_name"] = ("section", ["s"])
    ds["section_target_class"] = ("section", ["III"])
    assert assessment_input(ds).sizes["time"] == t.size - 2


def test_loads_are_split_at_the_new_year():
    """A constant inflow of 1 kg per hour over 24 h across midnight of New Year: 12 kg in
    each year, with the periods' lengths."""
    t = np.arange("2024-12-31T12", "2025-01-01T13", np.timedelta64(1, "h"), dtype="datetime64[h]")
    cum = np.arange(t.size, dtype=float)
    ds = xr.Dataset(
        {
            "storage_tp_mass_in": (("storage", "time"), cum[None, :]),
            "storage_tp_mass_out": (("storage", "time"), 0.5 * cum[None, :]),
        },
        coords={"time": t.astype("datetime64[ns]"), "storage_id": ("storage", ["lake"])},
    )
    ds["storage_name"] = ("storage", ["lake"])
    loads = storage_loads(ds)
    assert [(x.period, x.mass_in_kg, x.mass_out_kg, x.seconds) for x in loads] == [
        ("2024", 12.0, 6.0, 12 * 3600.0),
        ("2025", 12.0, 6.0, 12 * 3600.0),
    ]


# ------------------------------------------------------------------- profile
def _cfg(reaches, patterns=(), sections=()):
    rs = [
        SimpleNamespace(id=i, name=n, from_node=a, to_node=b, length_m=length)
        for i, n, a, b, length in reaches
    ]
    return SimpleNamespace(
        model=SimpleNamespace(reaches=rs, sections=list(sections)),
        run=SimpleNamespace(profile_reaches=list(patterns)),
    )


def test_profile_follows_the_main_stem_of_a_tree():
    cfg = _cfg([
        ("trib", "", "t", "b", 2000.0),
        ("m1", "", "a", "b", 5000.0),
        ("m2", "", "b", "c", 5000.0),
        ("m3", "", "c", "d", 5000.0),
    ])  # fmt: skip
    chain = profile_chain(cfg)
    assert [cfg.model.reaches[i].id for i in chain.reaches] == ["m1", "m2", "m3"]
    assert chain.reversed == (False, False, False)
    assert chain.nodes == ("a", "b", "c", "d")


def test_profile_runs_with_the_reaches_and_takes_no_detour():
    # m2 is drawn against the flow; the loop a-c (9 km) is a detour around a-b-c (2 km).
    cfg = _cfg([
        ("m1", "", "a", "b", 1000.0),
        ("m2", "", "c", "b", 1000.0),
        ("loop", "", "a", "c", 9000.0),
        ("m3", "", "c", "d", 1000.0),
    ])  # fmt: skip
    chain = profile_chain(cfg)
    ids = [cfg.model.reaches[i].id for i in chain.reaches]
    assert "loop" not in ids
    assert ids == ["m1", "m2", "m3"] and chain.reversed == (False, True, False)


def test_profile_reaches_by_pattern_and_fallback(caplog):
    reaches = [
        ("wusong_1", "Wusong upper", "a", "b", 4000.0),
        ("wusong_2", "Wusong lower", "b", "c", 4000.0),
        ("side", "a long side channel", "b", "x", 20000.0),
    ]
    chain = profile_chain(_cfg(reaches, ["wusong*"]))
    assert chain.reaches == (0, 1)
    chain = profile_chain(_cfg(reaches, ["Wusong lower"]))
    assert chain.reaches == (1,)
    with caplog.at_level(logging.WARNING, logger="twin"):
        chain = profile_chain(_cfg(reaches, ["nothing*"]))
    assert "matches no reach" in caplog.text
    assert 2 in chain.reaches  # the whole network: the side channel is on the longest path
