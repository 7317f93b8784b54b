"""Parameter paths: where in the model config a calibration parameter acts, and how a value
is put there.

A path is a dotted name into the resolved model config (``ModelConfig``, which includes the
``[quality]``, ``[run]`` and ``[forcing]`` settings), read on its dump to plain data:

- a setting: ``quality.kinetics.nitrification_per_d``, ``quality.kinetics.op_settling_m_per_d``,
  ``quality.dispersion.coefficient_m2_s``, ``run.hydro.theta``,
  ``forcing.water_temperature_offset_c``;
- a field of the items of a list table: ``cross_sections.manning_n``, ``reaches.manning_n``,
  ``sources.inflow_m3d``, ``sources.flow_m3d``, ``boundaries.level_m``,
  ``laterals.discharge_m3s``; nested lists take all their items
  (``reaches.sections.manning_n``);
- a key of a table of numbers: ``boundaries.concentrations.tp``,
  ``sources.concentrations.nh3n``, ``quality.initial_mg_l.tp``,
  ``quality.dispersion_per_reach_m2_s.REACH_ID``.

The items of a list table are chosen by ``ids`` (shell patterns, ``fnmatch``, matched against
the item's ``id``, and for boundaries and other items placed at a node also its ``node``)
and/or ``tags`` (items carrying any of the tags; only tables whose items have tags); without
either, every item. Selected items whose field holds no number (not given, e.g. a reach
without its own ``manning_n``) are left alone and listed as skipped; a selected field that
holds a time series id is not numeric and is an error, as is a path that selects no number.
A field holding a list of numbers (``panel_manning_n``) takes the value in every element.

A total, ``tp`` or ``tn``, under ``multiply`` scales what makes it up in each item: the total
where the item gives it and every part it gives explicitly (``op`` and ``po4p`` for TP;
``on``, ``nh3n`` and ``no3n`` for TN), so that ``boundaries.concentrations.tp`` multiplies a
boundary's TP whether it is written as a total or as its parts. Under ``set`` and ``add`` a
total is only the key of that name.

Transforms: ``set`` (the value replaces the field), ``multiply`` (the value multiplies it; the
prior is on the multiplier), ``add`` (the value is added to it, e.g. a level offset in m).
Parameters are applied in the order listed, each to the config as the earlier ones left it.
"""

from __future__ import annotations

import copy
import difflib
import fnmatch
import math
from dataclasses import dataclass, field

from ..vocab.species import DERIVED

TRANSFORMS = ("set", "multiply", "add")


def _numeric(v) -> bool:
    """A float, or a non-empty list of floats (integers are counts, not parameters)."""
    if isinstance(v, float):
        return True
    return isinstance(v, list) and bool(v) and all(isinstance(x, float) for x in v)


def _item_names(item: dict) -> list[str]:
    return [str(item[k]) for k in ("id", "node") if item.get(k) is not None]


@dataclass
class Resolution:
    """What a path selects: locations (keys and indices from the dump's root) holding numbers,
    the names of the items changed and skipped, and the problems found."""

    targets: list[tuple] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)
    """(message, fix) pairs."""


def leaf_paths(data: dict) -> tuple[set[str], set[str]]:
    """(numeric paths, every path) of a dump, list indices folded."""
    numeric: set[str] = set()
    every: set[str] = set()

    def walk(node, prefix: str) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, f"{prefix}.{k}" if prefix else str(k))
            return
        if isinstance(node, list) and not node:
            return True  # an empty table: selects nothing
        if isinstance(node, list) and all(isinstance(x, dict) for x in node):
            for x in node:
                walk(x, prefix)
            return
        every.add(prefix)
        if _numeric(node):
            numeric.add(prefix)

    walk(data, "")
    return numeric, every


def nearest(path: str, data: dict, n: int = 3) -> list[str]:
    numeric, _ = leaf_paths(data)
    return difflib.get_close_matches(path, sorted(numeric), n=n, cutoff=0.5)


def resolve(
    data: dict, path: str, ids: list[str] | None, tags: list[str] | None, transform: str = "set"
) -> Resolution:
    """The locations ``path`` selects in the dump ``data`` (see the module docstring)."""
    res = Resolution()
    parts = path.split(".")
    if not path or any(not p for p in parts):
        res.problems.append(
            (f"'{path}' is not a dotted path", "write e.g. cross_sections.manning_n")
        )
        return res
    selected = {"done": False}
    bad_types: list[str] = []

    def walk(node, i: int, loc: tuple, label: str) -> bool:
        """False when the path does not exist here."""
        if i == len(parts):
            if node is None:
                res.skipped.append(label or path)
            elif _numeric(node):
                res.targets.append(loc)
                res.items.append(label or path)
            else:
                bad_types.append(f"{label or path} = {node!r}"[:80])
            return True
        if isinstance(node, list) and not node:
            return True  # an empty table: selects nothing
        if isinstance(node, list) and all(isinstance(x, dict) for x in node):
            first = not selected["done"]
            selected["done"] = True
            found = False
            for j, item in enumerate(node):
                names = _item_names(item)
                if (
                    first
                    and ids
                    and not any(fnmatch.fnmatchcase(nm, pat) for nm in names for pat in ids)
                ):
                    found = found or parts[i] in item
                    continue
                if first and tags and not set(item.get("tags") or []) & set(tags):
                    found = found or parts[i] in item
                    continue
                here = (names[0] if names else f"[{j}]") if first else f"{label}[{j}]"
                found = walk(item, i, (*loc, j), here) or found
            return found
        if (
            isinstance(node, dict)
            and i == len(parts) - 1
            and parts[i] in DERIVED
            and transform == "multiply"
            and len(parts) > 1
            and parts[i - 1] in ("concentrations", "initial_mg_l")
        ):
            keys = [k for k in (parts[i], *DERIVED[parts[i]]) if k in node]
            for k in keys:
                walk(
                    node[k],
                    i + 1,
                    (*loc, k),
                    f"{label}.{k}" if label else ".".join([*parts[:-1], k]),
                )
            return bool(keys)
        if not isinstance(node, dict) or parts[i] not in node:
            return False
        nxt = node[parts[i]]
        if nxt is None and i + 1 < len(parts):
            res.skipped.append(label or path)
            return True
        return walk(nxt, i + 1, (*loc, parts[i]), label)

    exists = walk(data, 0, (), "")
    if not exists:
        close = nearest(path, data)
        res.problems.append(
            (
                f"unknown parameter path '{path}'",
                f"did you mean {' or '.join(close)}?"
                if close
                else "give a numeric field of the model config (README, Calibration)",
            )
        )
        return res
    table = parts[0]
    if (ids or tags) and not selected["done"]:
        res.problems.append(
            (f"'{path}' is a setting, not a field of a list table", "leave out ids and tags")
        )
    items = data.get(table)
    if tags and isinstance(items, list) and not any("tags" in x for x in items):
        res.problems.append((f"the items of '{table}' have no tags", "select them by ids"))
    if bad_types:
        res.problems.append(
            (
                f"'{path}' is not numeric at {', '.join(bad_types[:3])}",
                "calibrate a field that holds a number (a time series id or a name is not)",
            )
        )
    elif not res.targets and not res.problems:
        what = f" with ids {ids}" if ids else ""
        what += f" with tags {tags}" if tags else ""
        res.problems.append(
            (
                f"'{path}'{what} selects no item with a number"
                + (f" (without a value: {', '.join(res.skipped[:5])})" if res.skipped else ""),
                "check the ids and tags, or give the field a value in the model",
            )
        )
    return res


def _get(data, loc: tuple):
    for k in loc:
        data = data[k]
    return data


def apply_value(data: dict, targets: list[tuple], transform: str, value: float) -> None:
    """Put ``value`` into every target location of ``data`` (in place)."""
    for loc in targets:
        parent = _get(data, loc[:-1])
        old = parent[loc[-1]]
        parent[loc[-1]] = (
            [_one(x, transform, value) for x in old]
            if isinstance(old, list)
            else _one(old, transform, value)
        )


def _one(old: float, transform: str, value: float) -> float:
    if transform == "set":
        return float(value)
    if transform == "multiply":
        return float(old) * float(value)
    if transform == "add":
        return float(old) + float(value)
    raise ValueError(transform)


def with_values(data: dict, parameters, values) -> dict:
    """A copy of ``data`` with each parameter's value applied, in order."""
    out = copy.deepcopy(data)
    for p, v in zip(parameters, values, strict=True):
        if not math.isfinite(float(v)):
            raise ValueError(f"parameter {p.name}: value {v} is not finite")
        apply_value(out, p.targets, p.transform, float(v))
    return out
