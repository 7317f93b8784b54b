"""The comparison of scenarios for the water bureau: ``comparison.csv``, ``summary.csv``,
``loads.csv``, the figures in ``figures/`` and ``report.html``, one self-contained page
(inline CSS, images as base64 data URIs, no scripts, nothing fetched from anywhere).

Tables:

- ``comparison.csv``: one row per scenario, period, section and GB 3838-2002 indicator: the
  period mean (mg/L), its class, whether it was simulated, observed (annual mean from the
  config) or not assessed, the section class and whether the target is met, and the change
  against the baseline. A failed scenario has one row with its error.
- ``summary.csv``: one row per scenario and period: compliance rate (share of classified
  sections in Class I-III), target-attainment rate, their change against the baseline, and
  the TN and TP load into every storage node (lake): total, scaled to a year, change against
  the baseline, and by source group where source apportionment is on.
- ``loads.csv``: the loads in long form (scenario, period, storage node, species, group).

Loads into a storage node are the mass of TN or TP entering its water through reaches and
structures, plus loads and boundary inflow at the node, over the period (gross inflow: what
flows back in under tidal reversal is counted again; what leaves is in ``loads.csv``).

Numbers in the CSV files depend only on the runs, never on the time or place of the
comparison, so two comparisons of the same scenarios give the same bytes.
"""

from __future__ import annotations

import base64
import csv
import html
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from .. import __version__
from ..assess import plot
from ..assess.assessment import INDICATORS, NO_CLASS, Assessment, SectionResult, class_name
from ..assess.products import PLOT_DIR, StorageLoad
from ..io.atomic import atomic_path, atomic_write_text
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
    "error",
]  # fmt: skip


def comparison_rows(comp: Comparison) -> list[list[str]]:
    """Rows of comparison.csv (see the module docstring)."""
    base = _assessments(comp.base)
    rows = []
    for m in comp.members:
        if not m.ok:
            rows.append([m.name, "failed"] + [""] * (len(COMPARISON_HEADER) - 3) + [m.error])
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
                        _num(d), _num(pct, ".2f"), "",
                    ])  # fmt: skip
    return rows


# ---------------------------------------------------------------- loads, summary
LOADS_HEADER = [
    "scenario", "period", "storage_id", "storage_name", "species", "source_group", "load_t",
    "load_t_per_year", "outflow_t", "baseline_load_t", "change_t", "change_percent",
]  # fmt: skip


def _loads(m: ScenarioOutcome | None) -> list[StorageLoad]:
    return list(m.products.loads) if m is not None and m.products is not None else []


def _load_key(x: StorageLoad) -> tuple[str, str, str, str]:
    return (x.period, x.storage_id, x.species, x.group)


def loads_rows(comp: Comparison) -> list[list[str]]:
    base = {_load_key(x): x for x in _loads(comp.base)}
    rows = []
    for m in comp.ok:
        for x in _loads(m):
            b = base.get(_load_key(x))
            d, pct = _change(x.tonnes, b.tonnes if b is not None else None)
            rows.append([
                m.name, x.period, x.storage_id, x.storage_name, x.species, x.group,
                _num(x.tonnes), _num(x.tonnes_per_year), _num(x.mass_out_kg / 1000.0),
                _num(b.tonnes) if b is not None else "", _num(d), _num(pct, ".2f"),
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
    header += ["run_folder", "error"]
    base_a = _assessments(comp.base)
    base_l = {_load_key(x): x for x in _loads(comp.base)}
    rows = []
    for m in comp.members:
        if not m.ok:
            rows.append([m.name, "failed"] + [""] * (len(header) - 4) + [m.folder, m.error])
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
            rows.append([*row, m.folder, ""])
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


def write_figures(comp: Comparison, out_dir: Path) -> list[tuple[str, Path]]:
    """The comparison figures as PNG; returns (caption, path) pairs."""
    figs: list[tuple[str, Path]] = []
    fdir = out_dir / FIGURE_DIR
    ok = comp.ok
    names = [m.name for m in ok]
    if not ok:
        return figs
    for period in _periods(comp):
        secs = _sections(comp, period)
        if not secs:
            continue
        suffix = f"_{period}" if len(_periods(comp)) > 1 else ""
        for key in ("tp", "nh3n", "tn"):
            use = [s for s in secs if INDICATORS[key].limits(s.kind) is not None]
            if key == "tn":
                use = [s for s in use if s.kind == "lake"]
            if not use:
                continue
            vals = np.full((len(ok), len(use)), np.nan)
            for i, m in enumerate(ok):
                a = _assessments(m).get(period)
                for j, s in enumerate(use):
                    r = _section(a, s.section)
                    if r is not None and key in r.means:
                        vals[i, j] = r.means[key]
            if not np.isfinite(vals).any():
                continue
            limits = [INDICATORS[key].limits(s.kind)[(s.target_class or 3) - 1] for s in use]
            label = plot.LONG_LABEL[key]
            fig = plot.scenario_bars(
                [s.section for s in use], names, vals, limits, f"{label} (mg/L)",
                f"Mean {label} by section, {period} (black: limit of the section's target class)",
            )  # fmt: skip
            figs.append((f"Mean {label} at each section in {period}, by scenario; the black line "
                         "over each group is the limit of the section's target class.",
                         plot.save_png(fig, fdir / f"{key}_by_section{suffix}.png")))  # fmt: skip
            base_a = _assessments(comp.base).get(period)
            if key == "tp" and base_a is not None and len(ok) > 1:
                others = [i for i, m in enumerate(ok) if m is not comp.base]
                change = np.full((len(others), len(use)), np.nan)
                for j, s in enumerate(use):
                    rb = _section(base_a, s.section)
                    if rb is not None and key in rb.means:
                        change[:, j] = vals[others, j] - rb.means[key]
                fig = plot.change_heatmap([names[i] for i in others], [s.section for s in use],
                                          change,
                                          f"Change in mean TP against '{comp.base.name}', {period}",
                                          "mg/L")  # fmt: skip
                figs.append((f"Change in mean TP against the baseline '{comp.base.name}' "
                             f"(mg/L, {period}): blue a fall, red a rise.",
                             plot.save_png(fig, fdir / f"tp_change{suffix}.png")))  # fmt: skip
        comp_r, att_r = [], []
        for m in ok:
            a = _assessments(m).get(period)
            comp_r.append(a.compliance_rate if a else math.nan)
            att_r.append(a.attainment_rate if a else math.nan)
        fig = plot.rate_bars(names, comp_r, att_r)
        figs.append((f"Compliance rate (share of classified sections in Class I-III) and "
                     f"target-attainment rate in {period}.",
                     plot.save_png(fig, fdir / f"rates{suffix}.png")))  # fmt: skip
        panels = []
        for sid, sp, g in _load_columns(comp):
            if g != "all":
                continue
            groups = [c[2] for c in _load_columns(comp) if c[:2] == (sid, sp) and c[2] != "all"]
            parts: dict[str, np.ndarray] = {}
            for part in groups or ["all"]:
                v = np.full(len(ok), np.nan)
                for i, m in enumerate(ok):
                    for x in _loads(m):
                        if _load_key(x) == (period, sid, sp, part):
                            v[i] = x.tonnes_per_year
                parts[part] = v
            panels.append((f"{sid}: {plot.LONG_LABEL[sp]} load in", parts))
        if panels:
            fig = plot.load_bars(names, panels, "t/a")
            figs.append((f"TN and TP load into each storage node in {period}, scaled to a year "
                         "(t/a), by source group where source apportionment is on.",
                         plot.save_png(fig, fdir / f"loads{suffix}.png")))  # fmt: skip
    return figs


# ---------------------------------------------------------------------------- HTML
CSS = """
body{font-family:"Segoe UI","Noto Sans","Noto Sans CJK SC","Microsoft YaHei",Arial,sans-serif;
margin:2em auto;max-width:1200px;color:#222;line-height:1.4;padding:0 1em}
h1{font-size:1.6em;border-bottom:2px solid #2c7bb6}h2{font-size:1.25em;margin-top:1.8em;
border-bottom:1px solid #ccc}h3{font-size:1.05em}
table{border-collapse:collapse;margin:.6em 0;font-size:.88em}
th,td{border:1px solid #bbb;padding:.25em .5em;vertical-align:top}th{background:#eef3f8}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.c1,.c2{background:#cfe4f5}.c3{background:#d4edd2}.c4{background:#fff3b0}.c5{background:#fdd7b5}
.c6{background:#f6b3b3}.fail{background:#f6b3b3}.ok{background:#d4edd2}
.down{color:#1a6e1a}.up{color:#b01515}.note{color:#555;font-size:.9em}
figure{margin:1em 0}figure img{max-width:100%;border:1px solid #ddd}
figcaption{font-size:.88em;color:#444}pre{white-space:pre-wrap;background:#f7f7f7;
padding:.5em;border:1px solid #ddd;font-size:.85em}
"""


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _img(path: Path, alt: str) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{_e(alt)}">'


def _cls_cell(c: int, extra: str = "") -> str:
    if c == NO_CLASS:
        return f"<td>{_e(extra) or 'n/a'}</td>"
    return f'<td class="c{c}">{_e(class_name(c))}{_e(extra)}</td>'


def _sec_label(s: SectionResult, html_: bool = True) -> str:
    text = s.section if not s.name or s.name == s.section else f"{s.section} ({s.name})"
    return _e(text) if html_ else text


def _pct(v: float) -> str:
    return "n/a" if not np.isfinite(v) else f"{100 * v:.0f}%"


def _table(header: list[str], rows: list[list[str]], raw: bool = False) -> str:
    out = ["<table><thead><tr>", *(f"<th>{_e(h)}</th>" for h in header), "</tr></thead><tbody>"]
    for r in rows:
        cells = []
        for v in r:
            if raw and isinstance(v, str) and v.startswith("<td"):
                cells.append(v)
            else:
                cls = ' class="num"' if _is_number(v) else ""
                cells.append(f"<td{cls}>{v if raw else _e(v)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _is_number(v) -> bool:
    try:
        float(str(v).rstrip("%"))
        return True
    except ValueError:
        return False


def _scenarios_html(comp: Comparison) -> str:
    parts = []
    for m in comp.members:
        tag = " (baseline)" if m.index == comp.baseline else ""
        state = ('<span class="ok">&nbsp;ran&nbsp;</span>' if m.ok
                 else f'<span class="fail">&nbsp;failed ({_e(m.error_kind)})&nbsp;</span>')  # fmt: skip
        parts.append(f"<h3>{_e(m.name)}{_e(tag)} {state}</h3>")
        parts.append(f'<p class="note">File: {_e(m.path)}<br>Run folder: '
                     f'<a href="{_e(m.folder)}/">{_e(m.folder)}/</a>'
                     + (f"<br>Model: {_e(m.model)}" if m.model else "")
                     + ("<br>Inherits: " + _e(" -> ".join(m.inherits)) if m.inherits else "")
                     + "</p>")  # fmt: skip
        if m.description:
            parts.append(f"<p>{_e(m.description)}</p>")
        if m.interventions:
            parts.append("<ul>" + "".join(f"<li>{_e(t)}</li>" for t in m.interventions) + "</ul>")
        elif m.status != "failed" or m.error_kind != "config":
            parts.append("<p class='note'>No interventions: the model as configured.</p>")
        if not m.ok:
            parts.append(f"<pre>{_e(m.error)}</pre>")
    return "".join(parts)


def _summary_html(comp: Comparison) -> str:
    header = ["scenario", "period", "classified sections", "in Class I-III", "target met",
              "compliance rate", "attainment rate", "compliance change"]  # fmt: skip
    base_a = _assessments(comp.base)
    rows = []
    for m in comp.members:
        if not m.ok:
            rows.append([_e(m.name), "", "", "", "", "", "",
                         f'<td class="fail">failed: {_e(m.error.splitlines()[0] if m.error else "")}</td>'])  # fmt: skip
            continue
        for period, a in _assessments(m).items():
            ab = base_a.get(period)
            ch = a.compliance_rate - ab.compliance_rate if ab else math.nan
            rows.append([_e(m.name), _e(period), str(len(a.classified)),
                         str(sum(bool(s.class_i_to_iii) for s in a.classified)),
                         str(sum(bool(s.target_met) for s in a.classified)),
                         _pct(a.compliance_rate), _pct(a.attainment_rate),
                         "" if not np.isfinite(ch) or m is comp.base
                         else f"{100 * ch:+.0f} points"])  # fmt: skip
    return _table(header, rows, raw=True)


def _loads_html(comp: Comparison) -> str:
    cols = [c for c in _load_columns(comp) if c[2] == "all"]
    if not cols:
        return ("<p class='note'>The network has no storage nodes (lakes) with water of their "
                "own, or water quality was not simulated: no loads into lakes.</p>")  # fmt: skip
    base = {_load_key(x): x for x in _loads(comp.base)}
    header = ["scenario", "period", "storage node", "species", "load in (t)", "scaled to a year (t/a)",
              "change against the baseline", "largest source groups"]  # fmt: skip
    rows = []
    for m in comp.ok:
        loads = _loads(m)
        for x in loads:
            if x.group != "all":
                continue
            b = base.get(_load_key(x))
            _, pct = _change(x.tonnes, b.tonnes if b else None)
            groups = sorted(
                (y for y in loads if y.group != "all" and _load_key(y)[:3] == _load_key(x)[:3]),
                key=lambda y: -y.mass_in_kg,
            )
            total = max(x.mass_in_kg, 1e-30)
            top = ", ".join(f"{_e(y.group)} {100 * y.mass_in_kg / total:.0f}%" for y in groups[:3]
                            if y.mass_in_kg > 0)  # fmt: skip
            rows.append([_e(m.name), _e(x.period), _e(f"{x.storage_id} ({x.storage_name})"),
                         _e(plot.LONG_LABEL[x.species]), f"{x.tonnes:.4g}",
                         f"{x.tonnes_per_year:.4g}", "" if not np.isfinite(pct) else f"{pct:+.1f}%",
                         top])  # fmt: skip
    return _table(header, rows, raw=True)


def _section_tables_html(comp: Comparison) -> str:
    out = []
    for period in _periods(comp):
        secs = _sections(comp, period)
        if not secs:
            continue
        out.append(f"<h3>Period {_e(period)}</h3>")
        header = ["section", "kind", "target"] + [m.name for m in comp.ok]
        rows = []
        for s in secs:
            row = [_sec_label(s), _e(s.kind),
                   _e(class_name(s.target_class or 0))]  # fmt: skip
            for m in comp.ok:
                r = _section(_assessments(m).get(period), s.section)
                if r is None:
                    row.append("<td>n/a</td>")
                    continue
                mark = {True: " ✓", False: " ✗", None: ""}[r.target_met]
                row.append(_cls_cell(r.section_class, mark))
            rows.append(row)
        out.append("<p>Section class (worst of the assessed indicators) and whether the "
                   "target is met (✓ / ✗).</p>" + _table(header, rows, raw=True))  # fmt: skip
        for key in ("tp", "nh3n", "tn"):
            use = [s for s in secs if INDICATORS[key].limits(s.kind) is not None]
            if not use:
                continue
            base_r = _assessments(comp.base).get(period)
            rows = []
            for s in use:
                row = [_sec_label(s), _e(s.kind)]
                rb = _section(base_r, s.section)
                for m in comp.ok:
                    r = _section(_assessments(m).get(period), s.section)
                    if r is None or key not in r.means:
                        row.append("<td>not assessed</td>")
                        continue
                    v = r.means[key]
                    d, _ = _change(v, rb.means.get(key) if rb else None)
                    arrow = ""
                    if np.isfinite(d) and m is not comp.base and abs(d) >= 5e-4:
                        arrow = (f' <span class="{"down" if d < 0 else "up"}">'
                                 f"({d:+.3g})</span>")  # fmt: skip
                    origin = "" if r.origin.get(key) == "simulated" else " (observed)"
                    c = r.classes.get(key, NO_CLASS)
                    row.append(
                        f'<td class="c{c}">{v:.3g} {_e(class_name(c))}{_e(origin)}{arrow}</td>'
                    )
                rows.append(row)
            label = plot.LONG_LABEL[key]
            note = " (lakes; assessed separately, not in the section class)" if key == "tn" else ""
            out.append(f"<p>Mean {_e(label)} (mg/L) and its class{_e(note)}; in brackets the "
                       "change against the baseline.</p>"
                       + _table(["section", "kind", *[m.name for m in comp.ok]], rows, raw=True))  # fmt: skip
    return "".join(out)


def _coverage_html(comp: Comparison) -> str:
    ref = comp.base or (comp.ok[0] if comp.ok else None)
    a = next(iter(_assessments(ref).values()), None)
    if a is None:
        return "<p>No scenario ran: nothing was assessed.</p>"
    rows = []
    for r in a.sections:
        applicable = _indicators(r.kind)
        sim = [INDICATORS[k].label for k in applicable if r.origin.get(k) == "simulated"]
        obs = [INDICATORS[k].label for k in applicable if r.origin.get(k) == "observed"]
        nas = [INDICATORS[k].label for k in applicable if k not in r.origin]
        sep = [INDICATORS[k].label for k in r.separate]
        rows.append([_sec_label(r, html_=False), r.kind, ", ".join(sim) or "none",
                     ", ".join(obs) or "none", ", ".join(nas) or "none",
                     ", ".join(sep) or ""])  # fmt: skip
    return _table(["section", "kind", "simulated", "observed (config)", "not assessed",
                   "classed separately"], rows)  # fmt: skip


def _run_plots_html(comp: Comparison, out_dir: Path) -> str:
    parts = []
    for m in comp.ok:
        folder = out_dir / m.folder / PLOT_DIR
        imgs = [(n, folder / f) for n, f in (("network map", "map_tp.png"),
                                               ("longitudinal profile", "profile.png"),
                                               ("section series", "sections.png")) if (folder / f).is_file()]  # fmt: skip
        if not imgs:
            continue
        opened = " open" if m.index == comp.baseline else ""
        parts.append(f"<details{opened}><summary>{_e(m.name)}</summary>")
        for what, p in imgs:
            parts.append(f"<figure>{_img(p, f'{m.name}: {what}')}<figcaption>{_e(m.name)}: "
                         f"{_e(what)}</figcaption></figure>")  # fmt: skip
        parts.append("</details>")
    return "".join(parts)


def render_html(comp: Comparison, out_dir: Path, figures: list[tuple[str, Path]]) -> str:
    """The report page."""
    base = comp.members[comp.baseline]
    periods = _periods(comp)
    ran = len(comp.ok)
    head = (
        f"<p>{ran} of {len(comp.members)} scenarios ran"
        + (f"; {len(comp.failed)} failed (see below)" if comp.failed else "")
        + f". Baseline: <b>{_e(base.name)}</b>"
        + ("" if comp.base else " (it failed, so no changes are shown)")
        + f". Period(s) assessed: {_e(', '.join(periods) or 'none')}.</p>"
    )
    failed = ""
    if comp.failed:
        failed = "<h2>Failed scenarios</h2>" + "".join(
            f"<h3>{_e(m.name)} ({_e(m.error_kind)} error)</h3><pre>{_e(m.error)}</pre>"
            for m in comp.failed
        )
    figs = "".join(
        f"<figure>{_img(p, caption)}<figcaption>{_e(caption)}</figcaption></figure>"
        for caption, p in figures
    )
    method = (
        "<ul><li>Classes: GB 3838-2002 Table 1; a value equal to a limit belongs to that class; "
        "rivers use the river TP limits, lakes the lake TP limits; lake TN is classed but kept "
        "out of the section class.</li>"
        "<li>Evaluation: 《地表水环境质量评价办法(试行)》 (2011), single-factor method: the section "
        "class is the worst class of its assessed indicators, from the arithmetic mean of each "
        "indicator over the calendar year (or the part of it the run covers).</li>"
        "<li>Compliance rate (优良比例): share of classified sections in Class I-III. Target "
        "attainment (达标率): share of classified sections whose class is no worse than "
        "their target.</li>"
        "<li>Simulated indicators come from the model; indicators it does not simulate come from "
        "observed annual means in the config where given (the same in every scenario, so "
        "interventions cannot change them) and are otherwise not assessed. The table above "
        "says which is which for each section.</li>"
        "<li>Load into a lake: the TN or TP mass entering the storage node through its reaches "
        "and structures plus loads and boundary inflow at the node (gross inflow).</li>"
        "<li>Short runs: means over a few days describe those days, not a year; judge "
        "annual classes on runs that cover the year.</li></ul>"
    )
    when = datetime.now(UTC).isoformat(timespec="seconds")
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>twin: comparison of {len(comp.members)} scenarios</title>"
        f"<style>{CSS}</style></head><body>"
        f"<h1>Comparison of scenarios</h1>{head}"
        f"<p class='note'>twin {_e(__version__)}, generated {when} UTC; scenarios run on "
        f"'{_e(comp.scheduler)}'. Tables as CSV beside this file: "
        "<a href='comparison.csv'>comparison.csv</a>, <a href='summary.csv'>summary.csv</a>, "
        "<a href='loads.csv'>loads.csv</a>.</p>"
        "<h2>Compliance and target attainment</h2>" + _summary_html(comp)
        + "<h2>Sections</h2>" + _section_tables_html(comp)
        + "<h2>Loads into lakes</h2>" + _loads_html(comp)
        + "<h2>Figures</h2>" + figs
        + "<h2>Scenarios</h2>" + _scenarios_html(comp)
        + failed
        + "<h2>What was simulated, observed and not assessed</h2>" + _coverage_html(comp)
        + "<h2>Maps, profiles and series of each run</h2>" + _run_plots_html(comp, out_dir)
        + "<h2>Method</h2>" + method
        + "</body></html>\n"
    )  # fmt: skip


# --------------------------------------------------------------------------- entry
def write_comparison(comp: Comparison, out_dir: str | Path) -> dict[str, Path]:
    """Write comparison.csv, summary.csv, loads.csv, figures/ and report.html."""
    out = Path(out_dir)
    files = {
        "comparison": _write_csv(out / "comparison.csv", COMPARISON_HEADER, comparison_rows(comp)),
        "loads": _write_csv(out / "loads.csv", LOADS_HEADER, loads_rows(comp)),
    }
    header, rows = summary_table(comp)
    files["summary"] = _write_csv(out / "summary.csv", header, rows)
    figures = write_figures(comp, out)
    atomic_write_text(out / "report.html", render_html(comp, out, figures))
    files["report"] = out / "report.html"
    return files
