"""The tables of a comparison (comparison.csv, summary.csv, loads.csv; see
``twin.compare.report``) and the lookups the figures and the page share."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..assess.assessment import INDICATORS, NO_CLASS, Assessment, SectionResult, class_name
from ..assess.lang import tr
from ..assess.products import StorageLoad
from ..io.atomic import atomic_path
from .outcome import ScenarioOutcome

FIGURE_DIR = "figures"


@dataclass
class Comparison:
    """The outcomes of a comparison, the baseline's index and how it was run."""

    members: list[ScenarioOutcome]
    baseline: int
    scheduler: str = "local"
    wall_time_s: float = math.nan

    @property
    def base(self) -> ScenarioOutcome | None:
        """The baseline's outcome when it ran; None when it failed."""
        m = self.members[self.baseline]
        return m if m.ok else None

    @property
    def ok(self) -> list[ScenarioOutcome]:
        return [m for m in self.members if m.ok]

    @property
    def failed(self) -> list[ScenarioOutcome]:
        return [m for m in self.members if not m.ok]


# ------------------------------------------------------------------------- helpers
def _num(v: float | None, spec: str = ".6g") -> str:
    if v is None or not np.isfinite(v):
        return ""
    return format(v, spec)


def _yn(b: bool | None) -> str:
    return "" if b is None else ("yes" if b else "no")


def _assessments(m: ScenarioOutcome | None) -> dict[str, Assessment]:
    if m is None or m.products is None:
        return {}
    return {a.period: a for a in m.products.assessments}


def _monthly(m: ScenarioOutcome | None) -> dict[str, Assessment]:
    if m is None or m.products is None:
        return {}
    return {a.period: a for a in getattr(m.products, "monthly", [])}


def _section(a: Assessment | None, sid: str) -> SectionResult | None:
    if a is None:
        return None
    for s in a.sections:
        if s.section == sid:
            return s
    return None


def _origin(r: SectionResult, key: str) -> str:
    if key in r.origin:
        return r.origin[key]
    return "not assessed"


def _change(v: float | None, b: float | None) -> tuple[float, float]:
    if v is None or b is None or not (np.isfinite(v) and np.isfinite(b)):
        return math.nan, math.nan
    d = v - b
    return d, (100.0 * d / b if b != 0 else math.nan)


def _indicators(kind: str) -> list[str]:
    """Table 1 indicators that apply to a kind of water, in report order."""
    return [k for k, ind in INDICATORS.items() if ind.limits(kind) is not None]


# ------------------------------------------------------------------ comparison.csv
COMPARISON_HEADER = [
    "scenario", "status", "period", "section_id", "section_name", "kind", "target_class",
    "indicator", "origin", "in_section_class", "mean_mg_l", "class", "section_class",
    "target_met", "baseline_mean_mg_l", "baseline_class", "change_mg_l", "change_percent",
    "error", "scenario_title",
]  # fmt: skip


def comparison_rows(comp: Comparison) -> list[list[str]]:
    """Rows of comparison.csv (see the module docstring)."""
    base = _assessments(comp.base)
    rows = []
    for m in comp.members:
        if not m.ok:
            rows.append([m.name, "failed"] + [""] * (len(COMPARISON_HEADER) - 4)
                        + [m.error, m.label])  # fmt: skip
            continue
        for period, a in _assessments(m).items():
            for r in a.sections:
                rb = _section(base.get(period), r.section)
                for k in _indicators(r.kind):
                    v = r.means.get(k)
                    vb = rb.means.get(k) if rb is not None else None
                    d, pct = _change(v, vb)
                    rows.append([
                        m.name, "ok", period, r.section, r.name, r.kind,
                        class_name(r.target_class or 0), k, _origin(r, k),
                        "" if k not in r.classes else _yn(k not in r.separate),
                        _num(v), class_name(r.classes.get(k, NO_CLASS)),
                        class_name(r.section_class), _yn(r.target_met), _num(vb),
                        class_name(rb.classes.get(k, NO_CLASS)) if rb is not None else "",
                        _num(d), _num(pct, ".2f"), "", m.label,
                    ])  # fmt: skip
    return rows


# ---------------------------------------------------------------- loads, summary
LOADS_HEADER = [
    "scenario", "period", "storage_id", "storage_name", "species", "source_group", "load_t",
    "load_t_per_year", "outflow_t", "baseline_load_t", "change_t", "change_percent",
    "scenario_title", "water_body", "net_load_t", "net_load_t_per_year", "baseline_net_load_t",
    "net_change_t", "net_change_percent",
]  # fmt: skip


def _loads(m: ScenarioOutcome | None) -> list[StorageLoad]:
    return list(m.products.loads) if m is not None and m.products is not None else []


def group_label(group: str, m: ScenarioOutcome, lang: str) -> str:
    """A source group in the report's language; a boundary's group by its node's name."""
    if group.startswith("boundary:"):
        node = group.split(":", 1)[1]
        names = dict((m.products.inputs if m.products else {}).get("node_names", {}))
        return f"{tr('boundary', lang)} {names.get(node) or node}"
    return tr(group, lang)


def _load_key(x: StorageLoad) -> tuple[str, str, str, str]:
    return (x.period, x.storage_id, x.species, x.group)


def loads_rows(comp: Comparison) -> list[list[str]]:
    base = {_load_key(x): x for x in _loads(comp.base)}
    rows = []
    for m in comp.ok:
        for x in _loads(m):
            b = base.get(_load_key(x))
            d, pct = _change(x.tonnes, b.tonnes if b is not None else None)
            dn, pct_n = _change(x.net_tonnes, b.net_tonnes if b is not None else None)
            rows.append([
                m.name, x.period, x.storage_id, x.storage_name, x.species, x.group,
                _num(x.tonnes), _num(x.tonnes_per_year), _num(x.mass_out_kg / 1000.0),
                _num(b.tonnes) if b is not None else "", _num(d), _num(pct, ".2f"),
                m.label, x.water_body, _num(x.net_tonnes), _num(x.net_tonnes_per_year),
                _num(b.net_tonnes) if b is not None else "", _num(dn), _num(pct_n, ".2f"),
            ])  # fmt: skip
    return rows


def _load_columns(comp: Comparison) -> list[tuple[str, str, str]]:
    """(storage id, species, group) of every load column, in first-seen order; source groups
    that bring nothing in any scenario are left out."""
    seen: dict[tuple[str, str, str], bool] = {}
    for m in comp.ok:
        for x in _loads(m):
            key = (x.storage_id, x.species, x.group)
            seen[key] = seen.get(key, False) or x.group == "all" or x.mass_in_kg != 0.0
    return [k for k, used in seen.items() if used]


def summary_table(comp: Comparison) -> tuple[list[str], list[list[str]]]:
    """Header and rows of summary.csv (see the module docstring)."""
    cols = _load_columns(comp)
    header = ["scenario", "status", "period", "n_sections_classified", "n_class_i_to_iii",
              "n_target_met", "compliance_rate", "attainment_rate",
              "compliance_change_vs_baseline", "attainment_change_vs_baseline"]  # fmt: skip
    for sid, sp, g in cols:
        if g == "all":
            header += [f"{sid}_{sp}_load_t", f"{sid}_{sp}_load_t_per_year",
                       f"{sid}_{sp}_load_change_percent"]  # fmt: skip
        else:
            header.append(f"{sid}_{sp}_load_t_from_{g}")
    header += ["run_folder", "error", "scenario_title"]
    header += [f"{sid}_{sp}_net_load_t" for sid, sp, g in cols if g == "all"]
    base_a = _assessments(comp.base)
    base_l = {_load_key(x): x for x in _loads(comp.base)}
    rows = []
    for m in comp.members:
        if not m.ok:
            n_net = sum(1 for c in cols if c[2] == "all")
            rows.append([m.name, "failed"] + [""] * (len(header) - 5 - n_net)
                        + [m.folder, m.error, m.label] + [""] * n_net)  # fmt: skip
            continue
        loads = {_load_key(x): x for x in _loads(m)}
        for period, a in _assessments(m).items() or {"": None}.items():
            row = [m.name, "ok", period]
            if a is not None:
                ab = base_a.get(period)
                row += [
                    str(len(a.classified)),
                    str(sum(bool(s.class_i_to_iii) for s in a.classified)),
                    str(sum(bool(s.target_met) for s in a.classified)),
                    _num(a.compliance_rate, ".4f"),
                    _num(a.attainment_rate, ".4f"),
                    _num(a.compliance_rate - ab.compliance_rate, "+.4f") if ab else "",
                    _num(a.attainment_rate - ab.attainment_rate, "+.4f") if ab else "",
                ]
            else:
                row += [""] * 7
            for sid, sp, g in cols:
                x = loads.get((period, sid, sp, g))
                if g == "all":
                    b = base_l.get((period, sid, sp, g))
                    _, pct = _change(x.tonnes if x else None, b.tonnes if b else None)
                    row += [_num(x.tonnes) if x else "", _num(x.tonnes_per_year) if x else "",
                            _num(pct, ".2f")]  # fmt: skip
                else:
                    row.append(_num(x.tonnes) if x else "")
            net = [_num(loads[(period, sid, sp, g)].net_tonnes)
                   if (period, sid, sp, g) in loads else ""
                   for sid, sp, g in cols if g == "all"]  # fmt: skip
            rows.append([*row, m.folder, "", m.label, *net])
    return header, rows


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with atomic_path(path) as tmp, open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    return path


# ------------------------------------------------------------------------- figures
def _periods(comp: Comparison) -> list[str]:
    seen: dict[str, None] = {}
    for m in comp.ok:
        for p in _assessments(m):
            seen.setdefault(p, None)
    return list(seen)


def _sections(comp: Comparison, period: str) -> list[SectionResult]:
    """The sections of the first scenario that ran (the baseline when it did)."""
    ref = comp.base or (comp.ok[0] if comp.ok else None)
    a = _assessments(ref).get(period)
    return list(a.sections) if a else []
