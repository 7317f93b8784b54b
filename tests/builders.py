"""Test models built in code: the one way the tests make a model.

A model is a plain dict in the layout of a model TOML file. ``model`` makes an empty one,
the small functions below append nodes, sections, reaches, boundaries, structures, laterals,
sources, assessment sections and time series to it, ``toml_text`` turns it into the text of
a model file and ``load`` writes that into a folder and loads it through
``twin.config.load_config``, so every test model passes the same validation as a user's
file. Keys whose value is None are left out (the schema's default applies), so a builder's
optional argument left at None means "as the schema says".

Units are those of the file format: metres, m3/s, seconds, mg/L. Coordinates are projected
metres (``xy_m``) unless ``model(coordinates="lonlat")``.

The case modules build their models with these: ``hydro_cases`` (channels and networks of
the hydrodynamic tests), ``compare_network`` (the river-lake network of the run products and
comparisons) and ``cases.forcing`` (the model near Kunshan of the forcing, loads and
forecast tests). ``quality_cases`` stays TOML text on purpose: its callers splice TOML
snippets into it (``quality=``, ``extra=``), edit the text (``str.replace``) and check the
file and line that configuration errors point at. ``table``, ``inline`` and ``merge`` read
such snippets into a dict model when a test needs both.
"""

from __future__ import annotations

import copy
import tomllib
from datetime import datetime, timedelta
from pathlib import Path

import tomli_w

from twin.config.loaded import LoadedConfig
from twin.config.loader import load_config

START = datetime(2024, 1, 1)
"""Start of every test model's run unless given."""

LISTS = (
    "timeseries",
    "nodes",
    "cross_sections",
    "reaches",
    "boundaries",
    "structures",
    "laterals",
    "sources",
    "catchments",
    "sections",
)
"""The arrays of tables of a model file, in the order ``model`` creates them."""


# ------------------------------------------------------------------ the model
def model(
    name: str,
    days: float = 1.0,
    dt_s: float = 60.0,
    *,
    start: datetime | str = START,
    end: datetime | str | None = None,
    output_interval_s: float | bool | None = True,
    coordinates: str | None = "xy_m",
    description: str | None = None,
    **hydro,
) -> dict:
    """An empty model whose run lasts ``days`` from ``start`` (or ends at ``end``) at steps
    of ``dt_s`` seconds; ``hydro`` sets keys of [run.hydro]. The output interval is
    ``dt_s`` unless given (None leaves it to the schema)."""
    if end is None:
        end = start + timedelta(days=days)
    if output_interval_s is True:
        output_interval_s = float(dt_s)
    m = {
        "model": {"name": name, "description": description, "coordinates": coordinates},
        "run": {
            "start": start,
            "end": end,
            "dt_s": float(dt_s),
            "output_interval_s": output_interval_s,
            "hydro": dict(hydro),
        },
    }
    for key in LISTS:
        m[key] = []
    return m


# ------------------------------------------------------------------ network
def node(m: dict, nid: str, x: float, y: float = 0.0, **kw) -> dict:
    """A node at (x, y); ``kw`` are further keys (surface_area_m2, initial_level_m, ...)."""
    n = {"id": nid, "x": float(x), "y": float(y), **kw}
    m["nodes"].append(n)
    return n


def storage_node(
    m: dict, nid: str, x: float, y: float, level_m, area_m2, bed_level_m=None, **kw
) -> dict:
    """A storage node (lake, polder) of surface area ``area_m2`` at levels ``level_m``."""
    return node(
        m,
        nid,
        x,
        y,
        kind="storage",
        bed_level_m=bed_level_m,
        storage={"level_m": list(level_m), "area_m2": list(area_m2)},
        **kw,
    )


def rectangular(m: dict, sid: str, width_m: float, height_m=10.0, n=None, **kw) -> dict:
    """A rectangular cross-section (height None: the schema's default)."""
    sec = {"id": sid, "shape": "rectangular", "width_m": width_m, "height_m": height_m,
           "manning_n": n, **kw}  # fmt: skip
    m["cross_sections"].append(sec)
    return sec


def trapezoidal(m: dict, sid: str, bottom_m: float, side: float, height_m=10.0, n=None, **kw):
    """A trapezoidal cross-section of bottom width ``bottom_m`` and side slope ``side``."""
    sec = {"id": sid, "shape": "trapezoidal", "bottom_width_m": bottom_m, "side_slope": side,
           "height_m": height_m, "manning_n": n, **kw}  # fmt: skip
    m["cross_sections"].append(sec)
    return sec


def reach(m, rid, a, b, length_m, dx_m, section, bed_from, bed_to, n=None, **kw) -> dict:
    """A prismatic reach from node a to node b with a linear bed (dx_m None: the default)."""
    r = {
        "id": rid,
        "from_node": a,
        "to_node": b,
        "length_m": float(length_m),
        "dx_m": None if dx_m is None else float(dx_m),
        "bed_level_from_m": float(bed_from),
        "bed_level_to_m": float(bed_to),
        "sections": [{"chainage_m": 0.0, "section": section}],
        **kw,
    }
    if n is not None:
        r["manning_n"] = n
    m["reaches"].append(r)
    return r


# ------------------------------------------------------------------ boundaries and inflows
def level_bc(m: dict, nid: str, level, **kw) -> dict:
    """A water-level boundary (m, or a series id)."""
    bc = {"node": nid, "kind": "level", "level_m": level, **kw}
    m["boundaries"].append(bc)
    return bc


def flow_bc(m: dict, nid: str, q, **kw) -> dict:
    """A discharge boundary (m3/s into the network, or a series id)."""
    bc = {"node": nid, "kind": "discharge", "discharge_m3s": q, **kw}
    m["boundaries"].append(bc)
    return bc


def tide_bc(m: dict, nid: str, mean_m: float, constituents, **kw) -> dict:
    """A harmonic tide: ``constituents`` as (name, amplitude m, phase deg) triples."""
    bc = {
        "node": nid,
        "kind": "tide",
        "mean_level_m": mean_m,
        "constituents": [{"name": c, "amplitude_m": a, "phase_deg": p} for c, a, p in constituents],
        **kw,
    }
    m["boundaries"].append(bc)
    return bc


def lateral(m: dict, lid: str, reach_id: str, chainage_m: float, q, **kw) -> dict:
    """A lateral inflow (m3/s or a series id) into a reach at a chainage."""
    lat = {"id": lid, "reach": reach_id, "chainage_m": chainage_m, "discharge_m3s": q, **kw}
    m["laterals"].append(lat)
    return lat


def structure(m: dict, kind: str, sid: str, a: str, b: str, **kw) -> dict:
    """A structure of ``kind`` (weir, sluice, pump, flap_gate, culvert) from a to b."""
    st = {"kind": kind, "id": sid, "from_node": a, "to_node": b, **kw}
    m["structures"].append(st)
    return st


def series(m: dict, sid: str, units: str, times, values, **kw) -> dict:
    """A time series (times as datetimes or TOML datetime strings)."""
    ts = {"id": sid, "units": units, "times": list(times), "values": list(values), **kw}
    m["timeseries"].append(ts)
    return ts


def section(m: dict, sid: str, **kw) -> dict:
    """An assessment section (kind, reach and chainage or node, target_class, ...)."""
    s = {"id": sid, **kw}
    m["sections"].append(s)
    return s


def source(m: dict, kind: str, sid: str, **kw) -> dict:
    """A point source (enterprise, wwtp, ...)."""
    s = {"kind": kind, "id": sid, **kw}
    m["sources"].append(s)
    return s


# ------------------------------------------------------------------ TOML snippets
def table(text: str) -> dict:
    """The keys of a TOML snippet (the body of a table, with sub-tables) as a dict."""
    return tomllib.loads(text)


def inline(text: str):
    """The value of a TOML inline value, e.g. '{ tracer = 1.0 }' or '"series_id"'."""
    return tomllib.loads(f"v = {text}")["v"]


def merge(m: dict, extra: dict) -> dict:
    """Add ``extra`` (a parsed model-file snippet) to ``m``: arrays of tables are appended,
    tables merged key by key (recursively), other values replaced."""
    for key, value in extra.items():
        if isinstance(value, list) and isinstance(m.get(key), list):
            m[key].extend(copy.deepcopy(value))
        elif isinstance(value, dict) and isinstance(m.get(key), dict):
            merge(m[key], value)
        else:
            m[key] = copy.deepcopy(value)
    return m


# ------------------------------------------------------------------ writing
def _drop_none(x):
    if isinstance(x, dict):
        return {k: _drop_none(v) for k, v in x.items() if v is not None}
    if isinstance(x, list):
        return [_drop_none(v) for v in x]
    return x


def toml_text(m: dict) -> str:
    """The model as the text of a model file (None values and empty arrays left out)."""
    clean = _drop_none({k: v for k, v in copy.deepcopy(m).items() if v != []})
    return tomli_w.dumps(clean)


def write(m: dict, folder: Path, name: str = "model.toml") -> Path:
    """Write the model as TOML into ``folder``; returns the path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(toml_text(m).encode())
    return path


def load(m: dict, folder: Path, name: str = "model.toml") -> LoadedConfig:
    """Write the model as TOML into ``folder`` and load it like a user's file."""
    return load_config(write(m, folder, name))
