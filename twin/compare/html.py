"""report.html: one self-contained page (see ``twin.compare.report``)."""

from __future__ import annotations

import base64
import html
import math
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from .. import __version__
from ..assess import plot
from ..assess.assessment import INDICATORS, NO_CLASS, SectionResult, class_name
from ..assess.products import PLOT_DIR
from .tables import (
    Comparison,
    _assessments,
    _change,
    _indicators,
    _load_columns,
    _load_key,
    _loads,
    _periods,
    _section,
    _sections,
)

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
