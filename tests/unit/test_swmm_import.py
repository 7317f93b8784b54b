"""SWMM .inp import: the mapping of every supported section onto the twin config, unit
conversion, and errors with line numbers for unsupported or malformed input."""

from __future__ import annotations

import math
import tomllib
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
import tomli_w

from twin.errors import UserError
from twin.importers.swmm.importer import SwmmImportError, load_inp, read_inp
from twin.importers.swmm.records import UNSUPPORTED
from twin.network.sections import irregular_table

DATA = Path(__file__).resolve().parents[1] / "data" / "swmm"
G = 9.81
FT = 0.3048


def by_id(items: list[dict]) -> dict[str, dict]:
    return {x["id"]: x for x in items}


@pytest.fixture(scope="module")
def doc() -> dict:
    return read_inp(DATA / "all_sections.inp")


# ------------------------------------------------------------------ (a) mapping
def test_run_settings_and_model_info(doc):
    run = doc["run"]
    assert run["start"] == datetime(2024, 1, 1, 0, 0)
    assert run["end"] == datetime(2024, 1, 1, 12, 0)
    assert run["dt_s"] == 20.0  # ROUTING_STEP 0:00:20
    assert run["output_interval_s"] == 300.0  # REPORT_STEP 00:05:00
    assert doc["model"]["name"] == "Every supported section of the open-channel subset"
    assert doc["model"]["coordinates"] == "xy_m"
    # The decay of TSS cannot be represented: it is said in the description.
    assert "first-order decay (0.1 1/d)" in doc["model"]["description"]


def test_junctions_storage_and_outfall_nodes(doc):
    nodes = by_id(doc["nodes"])
    j1 = nodes["J1"]
    assert (j1["bed_level_m"], j1["initial_level_m"]) == (9.0, 10.5)
    assert j1["surface_area_m2"] == 2.0  # MIN_SURFAREA 2.0 (CMS file: m2)
    assert (j1["x"], j1["y"]) == (0.0, 500.0)
    # J3 has initial depth 0: SWMM takes the mean over its 5 links of the normal depth at
    # each conduit's initial flow plus the conduit's inlet offset (SWMM adds the inlet
    # offset at both ends); C2, C3 and C6 carry flow, W2 and OR2 count as dry.
    c2_depth = normal_depth_trapezoid(1.0, 5.0, 2.0, 2.0, (8.9 - 8.6) / 500.0, 0.03)
    c3_depth = normal_depth_transect(1.0, (8.6 - 8.4) / 500.0)
    c6_depth = normal_depth_trapezoid(1.0, 4.0, 1.0, 3.0, (8.6 - 8.3) / 500.0, 0.03)
    expected = 8.6 + (c2_depth + 0.1 + c3_depth + c6_depth) / 5.0
    assert nodes["J3"]["initial_level_m"] == pytest.approx(expected, abs=0.01)
    # FUNCTIONAL storage: A = 500 + 100 d (m2), sampled to the maximum depth 4 m.
    s1 = nodes["S1"]
    assert s1["kind"] == "storage"
    lv, ar = np.array(s1["storage"]["level_m"]), np.array(s1["storage"]["area_m2"])
    assert lv[0] == 8.5 and lv[-1] == pytest.approx(12.5)
    np.testing.assert_allclose(ar, 500.0 + 100.0 * (lv - 8.5), rtol=1e-12)
    assert s1["initial_level_m"] == pytest.approx(10.2)
    # TABULAR storage: the curve (0, 200) (1, 300) (2, 400), extended linearly to 3 m.
    s2 = nodes["S2"]["storage"]
    assert s2 == {"level_m": [8.0, 9.0, 10.0, 11.0], "area_m2": [200.0, 300.0, 400.0, 500.0]}
    # Outfalls are plain nodes; a FREE outfall starts at the conduit's end bed + the depth
    # min(normal, critical) of its initial flow.
    assert nodes["O_FIXED"]["bed_level_m"] == 8.0
    assert nodes["O_FREE"]["initial_level_m"] > 8.3


def test_reaches_and_cross_sections(doc):
    reaches = by_id(doc["reaches"])
    sections = by_id(doc["cross_sections"])
    c1 = reaches["C1"]
    assert (c1["from_node"], c1["to_node"], c1["length_m"]) == ("J1", "J2", 500.0)
    assert c1["manning_n"] == 0.03 and c1["dx_m"] == 500.0  # one segment per conduit
    assert c1["initial_discharge_m3s"] == 1.0
    assert c1["geometry"] == [[0.0, 500.0], [250.0, 550.0], [500.0, 500.0]]  # [VERTICES]
    placed = [(s["chainage_m"], s["bed_level_m"]) for s in c1["sections"]]
    assert placed == [(0.0, 9.0), (500.0, 8.8)]
    # Offsets: C2 leaves J2 0.1 m above its invert; C6 enters O_FREE 0.3 m above.
    assert reaches["C2"]["bed_level_from_m"] == pytest.approx(8.9)
    assert reaches["C6"]["bed_level_to_m"] == pytest.approx(8.3)
    assert sections[c1["sections"][0]["section"]] | {"source": None} == {
        "id": "xs_C1", "shape": "rectangular", "width_m": 10.0, "height_m": 3.0, "source": None,
    }  # fmt: skip
    trap = sections[reaches["C2"]["sections"][0]["section"]]
    assert (trap["shape"], trap["bottom_width_m"], trap["side_slope"]) == ("trapezoidal", 5.0, 2.0)
    tri = sections[reaches["C4"]["sections"][0]["section"]]
    assert (tri["shape"], tri["bottom_width_m"], tri["side_slope"]) == ("trapezoidal", 0.0, 2.0)
    # Unequal side slopes (1 and 3): an exact polyline.
    poly = sections[reaches["C6"]["sections"][0]["section"]]
    assert poly["station_m"] == [0.0, 2.0, 6.0, 12.0] and poly["elevation_m"] == [2, 0, 0, 2]
    # PARABOLIC depth 2, top width 8: 41 points whose area is within 0.1 % of 2/3 h W.
    par = sections[reaches["C5"]["sections"][0]["section"]]
    area, width, _ = irregular_table(
        par["station_m"], par["elevation_m"], [], [0.03], np.array([2.0])
    )
    assert width[0] == pytest.approx(8.0)
    assert area[0] == pytest.approx(2.0 / 3.0 * 2.0 * 8.0, rel=1e-3)
    # IRREGULAR: the transect with a vertical wall to its highest point and three panels;
    # the conduit's own n is not used (as in SWMM).
    tr = sections[reaches["C3"]["sections"][0]["section"]]
    assert tr["station_m"] == [0.0, 10.0, 20.0, 30.0, 40.0, 40.0]
    assert tr["elevation_m"] == [12.0, 10.0, 8.6, 10.0, 11.0, 12.0]
    assert tr["panel_stations_m"] == [10.0, 30.0]
    assert tr["panel_manning_n"] == [0.05, 0.035, 0.05]
    assert "manning_n" not in reaches["C3"]
    # Identical shapes share one cross-section.
    assert reaches["C8"]["sections"][0]["section"] == reaches["C9"]["sections"][0]["section"]


def test_outfall_boundaries(doc):
    bnd = {b["node"]: b for b in doc["boundaries"]}
    series = by_id(doc["timeseries"])
    assert bnd["O_FIXED"] == bnd["O_FIXED"] | {"kind": "level", "level_m": 9.8}
    # NORMAL: Manning normal flow in C7 (rectangle 5 m, slope (8.4 - 8.1)/300), from the
    # conduit's outlet bed.
    rating = bnd["O_NORMAL"]
    assert rating["kind"] == "rating" and rating["level_m"][0] == pytest.approx(8.1)
    for z, q in zip(rating["level_m"][1:], rating["discharge_m3s"][1:], strict=True):
        h = z - 8.1
        a, r = 5.0 * h, 5.0 * h / (5.0 + 2.0 * h)
        assert q == pytest.approx(a * r ** (2 / 3) * math.sqrt(1e-3) / 0.03, rel=1e-9)
    # FREE: max(normal, critical) flow in C6, from its outlet bed 8.3 m.
    free = bnd["O_FREE"]
    assert free["level_m"][0] == pytest.approx(8.3)
    h = np.array(free["level_m"]) - 8.3
    inside = (h > 0) & (h <= 2.0)  # up to the top of the 2 m deep section
    width = 4.0 + 4.0 * h[inside]  # bottom 4 m, side slopes 1 and 3
    area = 4.0 * h[inside] + 2.0 * h[inside] ** 2
    q_crit = area * np.sqrt(G * area / width)
    assert np.all(np.array(free["discharge_m3s"])[inside] >= q_crit * (1 - 1e-9))
    assert np.any(np.array(free["discharge_m3s"])[inside] <= q_crit * (1 + 1e-9))
    # TIDAL: the curve (hours from the run's start) repeated every day.
    tide = series[bnd["O_TIDE"]["level_m"]]
    t = [(x - datetime(2024, 1, 1)).total_seconds() / 3600 for x in tide["times"]]
    assert np.interp(3.0, t, tide["values"]) == pytest.approx(10.1)
    assert np.interp(20.5, t, tide["values"]) == pytest.approx(9.5 + 2.5 / 5 * 0.35)
    assert np.interp(23.9, t, tide["values"]) == pytest.approx(9.85)  # held after 23 h
    assert np.interp(27.0, t, tide["values"]) == pytest.approx(10.1)  # next day
    # TIMESERIES from a FILE, held after its last sample to the end of the run.
    stage = series[bnd["O_TS"]["level_m"]]
    assert stage["values"] == [10.2, 10.4, 10.4]
    assert stage["times"][-1] == datetime(2024, 1, 1, 12, 0)


def test_structures(doc):
    st = by_id(doc["structures"])
    w1 = st["W1"]
    assert w1["kind"] == "weir" and (w1["from_node"], w1["to_node"]) == ("J2", "S1")
    assert w1["crest_level_m"] == pytest.approx(9.8)  # J2 invert 8.8 + crest height 1.0
    assert w1["crest_width_m"] == 4.0
    assert w1["discharge_coefficient"] == pytest.approx(1.84 / math.sqrt(2 * G))
    # A gated (flap) weir: a sluice opened far above the water, one direction only.
    w2 = st["W2"]
    assert (w2["kind"], w2["flow_direction"], w2["sill_level_m"]) == ("sluice", "positive", 9.7)
    assert w2["opening_m"] >= 100 and w2["weir_coefficient"] == pytest.approx(
        1.7 / math.sqrt(2 * G)
    )
    or1 = st["OR1"]
    assert (or1["kind"], or1["sill_level_m"], or1["width_m"], or1["opening_m"]) == (
        "sluice",
        8.8,
        1.0,
        0.5,
    )
    assert (
        or1["weir_coefficient"] == pytest.approx(0.65 / math.sqrt(2))
        and or1["flow_direction"] == "both"
    )
    or2 = st["OR2"]  # circular, diameter 0.4 m: a square of the same area
    assert or2["width_m"] ** 2 == pytest.approx(math.pi * 0.2**2)
    assert or2["flow_direction"] == "positive" and or2["sill_level_m"] == pytest.approx(8.8)
    p1 = st["P1"]
    assert (p1["capacity_m3s"], p1["start_level_m"], p1["stop_level_m"]) == (0.8, 10.2, 9.5)
    p2 = st["P2"]
    assert (p2["capacity_m3s"], p2["schedule"]) == (0.3, 0.0)  # status OFF, no depths


def test_inflows_pollutants_and_quality(doc):
    lat = by_id(doc["laterals"])
    series = by_id(doc["timeseries"])
    j1 = lat["inflow_J1"]
    assert j1["node"] == "J1"
    q = series[j1["discharge_m3s"]]
    # 2 x series + 0.5; the series' date carries over to "12:00" on the third line.
    assert q["values"] == [2.5, 10.5, 2.5, 2.5]
    assert [t.hour for t in q["times"]] == [0, 3, 6, 12]
    conc = series[j1["concentrations"]["tracer"]]  # TSS, a non-twin name: the tracer
    assert conc["values"] == [10.0, 50.0, 10.0] and conc["units"] == "mg L-1"
    j2 = lat["inflow_J2"]
    assert j2["discharge_m3s"] == 0.25
    assert j2["concentrations"] == {"nh3n": pytest.approx(0.5)}  # 500 ug/L
    assert doc["quality"]["enabled"] is True
    assert doc["quality"]["initial_mg_l"] == {"tracer": 5.0, "nh3n": pytest.approx(0.1)}


def test_document_round_trips_through_toml_and_validates(doc):
    assert tomllib.loads(tomli_w.dumps(doc)) == doc
    cfg = load_inp(DATA / "all_sections.inp", dx_m=50.0)
    assert {r.id for r in cfg.model.reaches} == {f"C{i}" for i in range(1, 10)}
    assert all(r.dx_m == 50.0 for r in cfg.model.reaches)
    assert len(cfg.model.structures) == 6 and len(cfg.model.boundaries) == 5


def test_us_customary_units_are_converted():
    d = read_inp(DATA / "us_units.inp")
    nodes = by_id(d["nodes"])
    assert nodes["J1"]["bed_level_m"] == pytest.approx(10.0 * FT)
    assert nodes["J1"]["initial_level_m"] == pytest.approx(13.0 * FT)
    assert nodes["J1"]["surface_area_m2"] == pytest.approx(12.566 * FT**2)  # SWMM default
    assert (nodes["J2"]["x"], nodes["J2"]["y"]) == pytest.approx((1000 * FT, 0.0))  # Units Feet
    st = nodes["ST"]["storage"]
    assert st["area_m2"][0] == pytest.approx(1000.0 * FT**2)
    assert st["level_m"][-1] == pytest.approx((9.0 + 8.0) * FT)
    reach = by_id(d["reaches"])["C1"]
    assert reach["length_m"] == pytest.approx(1000 * FT)
    assert reach["initial_discharge_m3s"] == pytest.approx(20 * FT**3)
    xs = by_id(d["cross_sections"])[reach["sections"][0]["section"]]
    assert xs["width_m"] == pytest.approx(20 * FT) and xs["height_m"] == pytest.approx(6 * FT)
    weir = by_id(d["structures"])["W1"]
    # Q = 3.33 L H^1.5 in ft and cfs is Q = 3.33 sqrt(0.3048) L H^1.5 in m and m3/s.
    assert weir["discharge_coefficient"] == pytest.approx(3.33 * math.sqrt(FT) / math.sqrt(2 * G))
    assert weir["crest_width_m"] == pytest.approx(10 * FT)
    bnd = d["boundaries"][0]
    assert bnd["level_m"] == pytest.approx(11.5 * FT)
    assert by_id(d["laterals"])["inflow_J1"]["discharge_m3s"] == pytest.approx(35 * FT**3)
    load_inp(DATA / "us_units.inp")


MINIMAL = """[OPTIONS]
FLOW_UNITS {units}
FLOW_ROUTING DYNWAVE
START_DATE 01/01/2024
END_DATE 01/01/2024
END_TIME 06:00
ROUTING_STEP 10
[JUNCTIONS]
J1 1.0 5 1.0
[OUTFALLS]
O1 0.0 FIXED 1.5
[CONDUITS]
C1 J1 O1 1000 0.03 0 0
[XSECTIONS]
C1 RECT_OPEN 5 10 0 0
[INFLOWS]
J1 FLOW "" FLOW 1.0 1.0 2.0
"""


@pytest.mark.parametrize(
    ("units", "m3s"),
    [("CMS", 1.0), ("LPS", 1e-3), ("MLD", 1e3 / 86400), ("CFS", FT**3),
     ("GPM", 3.785411784e-3 / 60), ("MGD", 3.785411784e3 / 86400)],
)  # fmt: skip
def test_flow_units(tmp_path, units, m3s):
    path = tmp_path / "m.inp"
    path.write_text(MINIMAL.format(units=units))
    d = read_inp(path)
    assert d["laterals"][0]["discharge_m3s"] == pytest.approx(2.0 * m3s, rel=1e-12)
    length = FT if units in ("CFS", "GPM", "MGD") else 1.0
    assert d["reaches"][0]["length_m"] == pytest.approx(1000 * length)


# ------------------------------------------------------------------- (b) errors
def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "model.inp"
    path.write_text(text)
    return path


def line_of(text: str, marker: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if marker in line)


def expect_error(tmp_path, text: str, marker: str, *words: str) -> SwmmImportError:
    path = write(tmp_path, text)
    with pytest.raises(SwmmImportError) as info:
        load_inp(path)
    err = info.value
    assert isinstance(err, UserError)
    lineno = line_of(text, marker)
    assert lineno in [i.line for i in err.issues], str(err)
    assert f"line {lineno}" in str(err)
    for w in words:
        assert w in str(err), str(err)
    return err


def test_minimal_model_is_valid(tmp_path):
    cfg = load_inp(write(tmp_path, MINIMAL.format(units="CMS")))
    assert [n.id for n in cfg.model.nodes] == ["J1", "O1"]


@pytest.mark.parametrize("section", sorted(UNSUPPORTED))
def test_unsupported_section_names_section_and_line(tmp_path, section):
    text = MINIMAL.format(units="CMS") + f"[{section}]\nTHING_IN_{section} 1 2 3\n"
    err = expect_error(tmp_path, text, f"THING_IN_{section}", f"[{section}]", "[CONDUITS]")
    assert "outside the open-channel subset" in str(err)


def test_empty_unsupported_section_is_harmless(tmp_path):
    load_inp(write(tmp_path, MINIMAL.format(units="CMS") + "[SUBCATCHMENTS]\n;;none\n"))


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("C1 RECT_OPEN 5 10 0 0", "C1 CIRCULAR 2 0 0 0", ("CIRCULAR", "RECT_OPEN")),
        ("C1 RECT_OPEN 5 10 0 0", "C1 RECT_CLOSED 2 3 0 0", ("closed conduit",)),
        ("J1 1.0 5 1.0", "J1 one 5 1.0", ("'one' is not a number",)),
        ("C1 J1 O1 1000 0.03 0 0", "C1 J1 O1 1000 0.03", ("at least 7 values",)),
        ("C1 J1 O1 1000 0.03 0 0", "C1 J1 NOWHERE 1000 0.03 0 0", ("'NOWHERE' is not defined",)),
        ("ROUTING_STEP 10", "ROUTING_STEPS 10", ("unknown option",)),
        ("START_DATE 01/01/2024", "START_DATE 13/45/2024", ("not a date",)),
        ("O1 0.0 FIXED 1.5", "O1 0.0 FIXED 1.5 YES", ("flap gate",)),
        ("O1 0.0 FIXED 1.5", "O1 0.0 WEIRD 1.5", ("unknown outfall type",)),
        ('J1 FLOW "" FLOW 1.0 1.0 2.0', "J1 FLOW Q1 FLOW 1.0 1.0 2.0", ("'Q1' is not defined",)),
        ('J1 FLOW "" FLOW 1.0 1.0 2.0', 'J1 FLOW "" FLOW 1.0 1.0 2.0 PAT1', ("patterns",)),
        ("C1 J1 O1 1000 0.03 0 0", "C1 J1 O1 1000 0.03 0 0 0 5", ("maximum flow",)),
        ("C1 RECT_OPEN 5 10 0 0", "C1 RECT_OPEN 5 10 0 0 2", ("barrels",)),
        # twin's schema bounds, reported at the SWMM line of the conduit:
        ("C1 J1 O1 1000 0.03 0 0", "C1 J1 O1 1000 0.5 0 0", ("manning_n",)),
    ],
)
def test_malformed_or_unsupported_line(tmp_path, old, new, words):
    text = MINIMAL.format(units="CMS").replace(old, new)
    expect_error(tmp_path, text, new.split()[0] + " " + new.split()[1], *words)


EXTRA_CASES = [
    ("[LOSSES]\nC1 0.5 0 0\n", "C1 0.5", ("local losses",)),
    ("[EVAPORATION]\nCONSTANT 0.2\n", "CONSTANT 0.2", ("evaporation",)),
    ("[FOO]\n", "[FOO]", ("unknown section",)),
    ("[TIMESERIES]\nTS1 0 1 2\n", "TS1 0 1 2", ("a time without a value",)),
    ("[TIMESERIES]\nTS1 0 x\n", "TS1 0 x", ("'x' is not a time or a number",)),
    ("[PUMPS]\nP1 J1 O1 * ON\n", "P1 J1 O1", ("ideal pump",)),
    ("[PUMPS]\nP1 J1 O1 PC ON\n[CURVES]\nPC PUMP3 0 1 5 0.5\n", "P1 J1 O1", ("one constant flow",)),
    ("[WEIRS]\nW1 J1 O1 V-NOTCH 0.5 1.4\n[XSECTIONS]\nW1 TRIANGULAR 1 1 0 0\n", "W1 J1", ("V-NOTCH",)),
    ("[WEIRS]\nW1 J1 O1 TRANSVERSE 0.5 3.33\n[XSECTIONS]\nW1 RECT_OPEN 1 2 0 0\n", "W1 J1", ("outside 0.2-0.5",)),
    ("[POLLUTANTS]\nTSS MG/L 0 0 0 0\n[INFLOWS]\nJ1 TSS \"\" MASS 1 1 3\n", "J1 TSS", ("MASS inflow",)),
    ("[POLLUTANTS]\nECOLI #/L 0 0 0 0\n", "ECOLI", ("counts",)),
    ("[STORAGE]\nS1 0 3 1 TABULAR NOCURVE\n", "S1 0 3", ("'NOCURVE' is not defined",)),
    ("[TRANSECTS]\nGR 1 0 0 5 1 10\n", "GR 1 0", ("GR line before any X1",)),
]  # fmt: skip


@pytest.mark.parametrize(("extra", "marker", "words"), EXTRA_CASES)
def test_unsupported_objects(tmp_path, extra, marker, words):
    text = MINIMAL.format(units="CMS") + extra
    expect_error(tmp_path, text, marker, *words)


def test_all_problems_reported_together(tmp_path):
    text = MINIMAL.format(units="CMS").replace("J1 1.0 5 1.0", "J1 x 5 1.0") + (
        "[SUBCATCHMENTS]\nS1 RG1 J1 1 25 500 0.5 0\n"
    )
    with pytest.raises(SwmmImportError) as info:
        load_inp(write(tmp_path, text))
    lines = {i.line for i in info.value.issues}
    assert {line_of(text, "J1 x"), line_of(text, "S1 RG1")} <= lines


def test_missing_file_is_a_user_error(tmp_path):
    with pytest.raises(SwmmImportError, match="file not found"):
        read_inp(tmp_path / "nope.inp")


# ----------------------------------------------------------------- helpers
def normal_depth_trapezoid(q, b, m1, m2, s, n):
    """Normal depth (m) of a trapezoid, bottom b, side slopes m1 and m2 (run per rise)."""
    lo, hi = 0.0, 10.0
    for _ in range(100):
        h = 0.5 * (lo + hi)
        a = (b + 0.5 * (m1 + m2) * h) * h
        p = b + h * (math.sqrt(1 + m1 * m1) + math.sqrt(1 + m2 * m2))
        if a * (a / p) ** (2 / 3) * math.sqrt(s) / n < q:
            lo = h
        else:
            hi = h
    return h


def normal_depth_transect(q, s):
    """Normal depth in transect TR1 (GR points of all_sections.inp), panels 0.05/0.035/0.05,
    by bisection on twin's panel conveyance (the HEC-RAS method SWMM's transect.c follows)."""
    st = [0.0, 10.0, 20.0, 30.0, 40.0, 40.0]
    el = [12.0, 10.0, 8.6, 10.0, 11.0, 12.0]
    lo, hi = 8.6, 12.0
    for _ in range(100):
        z = 0.5 * (lo + hi)
        _, _, k = irregular_table(st, el, [10.0, 30.0], [0.05, 0.035, 0.05], np.array([z]))
        if k[0] * math.sqrt(s) < q:
            lo = z
        else:
            hi = z
    return z - 8.6


def test_names_become_twin_identifiers(tmp_path):
    """SWMM names may hold characters twin ids do not: they are replaced, kept unique, and
    the original name is kept as the item's name."""
    text = (
        MINIMAL.format(units="CMS")
        .replace("J1", '"Node 1"')
        .replace("[OUTFALLS]", "[JUNCTIONS]\nNode/1 0.5 5 1.0\n[OUTFALLS]")
        + "[CONDUITS]\nC2 Node/1 O1 500 0.03 0 0\n[XSECTIONS]\nC2 RECT_OPEN 5 10 0 0\n"
    )
    d = read_inp(write(tmp_path, text))
    nodes = by_id(d["nodes"])
    assert nodes["Node_1"]["name"] == "Node 1"
    assert nodes["Node_1_2"]["name"] == "Node/1"
    assert by_id(d["reaches"])["C1"]["from_node"] == "Node_1"
    assert by_id(d["laterals"])["inflow_Node_1"]["node"] == "Node_1"


def test_elevation_offsets(tmp_path):
    """LINK_OFFSETS ELEVATION: offsets are elevations, '*' is the node's invert, and an
    elevation below the invert is raised to it (as SWMM)."""
    text = (
        MINIMAL.format(units="CMS")
        .replace("FLOW_ROUTING DYNWAVE", "FLOW_ROUTING DYNWAVE\nLINK_OFFSETS ELEVATION")
        .replace("C1 J1 O1 1000 0.03 0 0", "C1 J1 O1 1000 0.03 1.2 *")
    )
    reach = read_inp(write(tmp_path, text))["reaches"][0]
    assert (reach["bed_level_from_m"], reach["bed_level_to_m"]) == (1.2, 0.0)
    text = text.replace("1.2 *", "0.5 0.25")
    reach = read_inp(write(tmp_path, text))["reaches"][0]
    assert (reach["bed_level_from_m"], reach["bed_level_to_m"]) == (1.0, 0.25)


def test_analytic_storage_shape(tmp_path):
    """SWMM 5.2 PYRAMIDAL storage, base 10 m x 20 m, side slope 2 (run/rise):
    A(d) = (10 + 4 d)(20 + 4 d)."""
    text = (
        MINIMAL.format(units="CMS")
        + "[STORAGE]\nS1 0.0 2.0 1.0 PYRAMIDAL 10 20 2\n"
        + ("[CONDUITS]\nC2 S1 O1 100 0.03 0 0\n[XSECTIONS]\nC2 RECT_OPEN 5 10 0 0\n")
    )
    st = by_id(read_inp(write(tmp_path, text))["nodes"])["S1"]["storage"]
    d = np.array(st["level_m"])
    np.testing.assert_allclose(st["area_m2"], (10 + 4 * d) * (20 + 4 * d), rtol=1e-12)
