"""report.html: one self-contained page (see ``twin.compare.report``), rendered from the
jinja2 template ``templates/report.html.j2`` with autoescape on, so that names and errors
from the configs are always shown as text. Chinese characters are drawn with a subset of
the packaged Noto Sans CJK font embedded in the page, so that the page reads the same on a
machine without CJK fonts."""

from __future__ import annotations

import base64
import functools
import io
import logging
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import jinja2
import numpy as np

from .. import __version__
from ..assess import plot
from ..assess.assessment import INDICATORS, NO_CLASS, SectionResult, class_name
from ..assess.lang import tr
from ..assess.products import PLOT_DIR, StorageLoad
from .outcome import ScenarioOutcome
from .tables import (
    Comparison,
    _assessments,
    _change,
    _indicators,
    _load_key,
    _loads,
    _monthly,
    _periods,
    _section,
    _sections,
    group_label,
)

log = logging.getLogger("twin")

CSS = """
body{font-family:"twin CJK","Segoe UI","Noto Sans",Arial,"Noto Sans CJK SC","Microsoft YaHei",
sans-serif;margin:2em auto;max-width:1200px;color:#222;line-height:1.4;padding:0 1em}
h1{font-size:1.6em;border-bottom:2px solid #2c7bb6}h2{font-size:1.25em;margin-top:1.8em;
border-bottom:1px solid #ccc}h3{font-size:1.05em}
table{border-collapse:collapse;margin:.6em 0;font-size:.88em}
th,td{border:1px solid #bbb;padding:.25em .5em;vertical-align:top}th{background:#eef3f8}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.c1,.c2{background:#cfe4f5}.c3{background:#d4edd2}.c4{background:#fff3b0}.c5{background:#fdd7b5}
.c6{background:#f6b3b3}.fail{background:#f6b3b3}.ok{background:#d4edd2}
.down{color:#1a6e1a}.up{color:#b01515}.note{color:#555;font-size:.9em}
.inputs{background:#fff8e5;border:1px solid #e6c36a;padding:.2em 1em;margin:1em 0}
.inputs h2{margin-top:.4em;border:none}.caveat{font-weight:bold}
figure{margin:1em 0}figure img{max-width:100%;border:1px solid #ddd}
figcaption{font-size:.88em;color:#444}pre{white-space:pre-wrap;background:#f7f7f7;
padding:.5em;border:1px solid #ddd;font-size:.85em}
"""

CONFIDENCE_ORDER = ("published", "estimated", "assumed", "not given")


@dataclass
class Cell:
    text: str
    cls: str = ""
    tip: str = ""
    change: str = ""
    change_cls: str = ""


@dataclass
class Table:
    header: list[str]
    rows: list[list[Cell]]
    caption: str = ""


def _c(v, cls: str = "", tip: str = "") -> Cell:
    text = str(v)
    if not cls and _is_number(text):
        cls = "num"
    return Cell(text, cls, tip)


def _is_number(v: str) -> bool:
    try:
        float(v.rstrip("%"))
        return True
    except ValueError:
        return False


def _pct(v: float) -> str:
    return "n/a" if not np.isfinite(v) else f"{100 * v:.0f}%"


def _b64(path: Path) -> str:
    return base64.b64encode(path.read_bytes()).decode("ascii")


def section_label(s: SectionResult) -> str:
    """A section by its name (its id when it has none)."""
    return s.name or s.section


def storage_label(x: StorageLoad) -> str:
    return x.storage_name or x.storage_id


def _class_text(c: int, lang: str) -> str:
    name = class_name(c)
    return tr("worse than V", lang) if lang == "zh" and name == "worse than V" else name


# --------------------------------------------------------------------------- tables
def _summary(comp: Comparison, lang: str) -> Table:
    _ = functools.partial(tr, lang=lang)
    header = [_("scenario"), _("period"), _("classified sections"), _("in Class I-III"),
              _("target met"), _("compliance rate"), _("attainment rate"),
              _("compliance change")]  # fmt: skip
    base_a = _assessments(comp.base)
    rows = []
    for m in comp.members:
        if not m.ok:
            first = m.error.splitlines()[0] if m.error else ""
            rows.append([_c(m.label), *[_c("")] * 6, _c(f"{_('failed')}: {first}", "fail")])
            continue
        for period, a in _assessments(m).items():
            ab = base_a.get(period)
            ch = a.compliance_rate - ab.compliance_rate if ab else math.nan
            rows.append([_c(m.label, tip=m.name), _c(period), _c(len(a.classified)),
                         _c(sum(bool(s.class_i_to_iii) for s in a.classified)),
                         _c(sum(bool(s.target_met) for s in a.classified)),
                         _c(_pct(a.compliance_rate)), _c(_pct(a.attainment_rate)),
                         _c("" if not np.isfinite(ch) or m is comp.base
                            else f"{100 * ch:+.0f} {_('points')}")])  # fmt: skip
    return Table(header, rows)


def _monthly_table(comp: Comparison, lang: str) -> Table | None:
    """Compliance and attainment rate of each month, one column pair per scenario."""
    months: dict[str, None] = {}
    for m in comp.ok:
        for p in _monthly(m):
            months.setdefault(p, None)
    if not months:
        return None
    header = [tr("month", lang)]
    for m in comp.ok:
        header += [f"{m.label}: {tr('compliance rate', lang)}",
                   f"{m.label}: {tr('attainment rate', lang)}"]  # fmt: skip
    rows = []
    for month in months:
        row = [_c(month)]
        for m in comp.ok:
            a = _monthly(m).get(month)
            row += [_c(_pct(a.compliance_rate) if a else "n/a"),
                    _c(_pct(a.attainment_rate) if a else "n/a")]  # fmt: skip
        rows.append(row)
    return Table(header, rows)


def _monthly_sections(comp: Comparison, lang: str) -> list[dict]:
    """Per scenario: the class and mean TP of each section in each month."""
    out = []
    for m in comp.ok:
        months = _monthly(m)
        if not months:
            continue
        first = next(iter(months.values()))
        rows = []
        for s in first.sections:
            row = [_c(section_label(s), tip=s.section), _c(tr(s.kind, lang))]
            for a in months.values():
                r = _section(a, s.section)
                if r is None or r.section_class == NO_CLASS:
                    row.append(_c("n/a"))
                    continue
                tp = r.means.get("tp")
                extra = f" (TP {tp:.3g})" if tp is not None and np.isfinite(tp) else ""
                row.append(Cell(_class_text(r.section_class, lang) + extra, f"c{r.section_class}"))
            rows.append(row)
        header = [tr("section", lang), tr("kind", lang), *months]
        out.append({"label": m.label, "open": m.index == comp.baseline,
                    "table": Table(header, rows)})  # fmt: skip
    return out


def _section_blocks(comp: Comparison, lang: str) -> list[dict]:
    _ = functools.partial(tr, lang=lang)
    blocks = []
    for period in _periods(comp):
        secs = _sections(comp, period)
        if not secs:
            continue
        tables = []
        header = [_("section"), _("kind"), _("target")] + [m.label for m in comp.ok]
        rows = []
        for s in secs:
            row = [_c(section_label(s), tip=s.section), _c(_(s.kind)),
                   _c(_class_text(s.target_class or 0, lang))]  # fmt: skip
            for m in comp.ok:
                r = _section(_assessments(m).get(period), s.section)
                if r is None or r.section_class == NO_CLASS:
                    row.append(_c("n/a"))
                    continue
                mark = {True: " ✓", False: " ✗", None: ""}[r.target_met]
                row.append(Cell(_class_text(r.section_class, lang) + mark, f"c{r.section_class}"))
            rows.append(row)
        tables.append(Table(header, rows, _("Section class (worst of the assessed indicators) "
                                            "and whether the target is met (✓ / ✗).")))  # fmt: skip
        base_r = _assessments(comp.base).get(period)
        for key in ("tp", "nh3n", "tn"):
            use = [s for s in secs if INDICATORS[key].limits(s.kind) is not None]
            if not use:
                continue
            rows = []
            for s in use:
                row = [_c(section_label(s), tip=s.section), _c(_(s.kind))]
                rb = _section(base_r, s.section)
                for m in comp.ok:
                    r = _section(_assessments(m).get(period), s.section)
                    if r is None or key not in r.means:
                        row.append(_c(_("not assessed")))
                        continue
                    v = r.means[key]
                    d, _pc = _change(v, rb.means.get(key) if rb else None)
                    c = r.classes.get(key, NO_CLASS)
                    origin = "" if r.origin.get(key) == "simulated" else f" ({_('observed')})"
                    cell = Cell(f"{v:.3g} {_class_text(c, lang)}{origin}", f"c{c}")
                    if np.isfinite(d) and m is not comp.base and abs(d) >= 5e-4:
                        cell.change, cell.change_cls = f"{d:+.3g}", "down" if d < 0 else "up"
                    row.append(cell)
                rows.append(row)
            label = plot.LONG_LABEL[key]
            note = (
                f" ({_('lakes; assessed separately, not in the section class')})"
                if key == "tn"
                else ""
            )
            caption = (f"{_('Mean')} {label} (mg/L) {_('and its class')}{note}; "
                       f"{_('in brackets the change against the baseline')}.")  # fmt: skip
            tables.append(Table([_("section"), _("kind"), *[m.label for m in comp.ok]], rows,
                                caption))  # fmt: skip
        blocks.append({"period": period, "tables": tables})
    return blocks


def _loads_tables(comp: Comparison, lang: str) -> tuple[Table | None, Table | None]:
    """Net and gross loads into lakes, and into polders, with the changes against the
    baseline and the largest source groups."""
    _ = functools.partial(tr, lang=lang)
    base = {_load_key(x): x for x in _loads(comp.base)}
    header = [_("scenario"), _("period"), _("storage node"), _("species"), _("net load (t)"),
              _("net, scaled to a year (t/a)"), _("net change against the baseline"),
              _("gross load in (t)"), _("gross, scaled to a year (t/a)"),
              _("gross change against the baseline"),
              _("largest source groups (share of the gross load)")]  # fmt: skip
    out: dict[str, list] = {"lake": [], "polder": []}
    for m in comp.ok:
        loads = _loads(m)
        for x in loads:
            if x.group != "all":
                continue
            b = base.get(_load_key(x))
            _d, pct = _change(x.tonnes, b.tonnes if b else None)
            _dn, pct_net = _change(x.net_tonnes, b.net_tonnes if b else None)
            groups = sorted(
                (y for y in loads if y.group != "all" and _load_key(y)[:3] == _load_key(x)[:3]),
                key=lambda y: -y.mass_in_kg,
            )
            total = max(x.mass_in_kg, 1e-30)
            top = ", ".join(f"{group_label(y.group, m, lang)} {100 * y.mass_in_kg / total:.0f}%" for y in groups[:3]
                            if y.mass_in_kg > 0)  # fmt: skip
            if not groups:
                top = _("source apportionment is off")
            out.setdefault(x.water_body, []).append([
                _c(m.label, tip=m.name), _c(x.period), _c(storage_label(x), tip=x.storage_id),
                _c(plot.LONG_LABEL[x.species]), _c(f"{x.net_tonnes:.4g}"),
                _c(f"{x.net_tonnes_per_year:.4g}"),
                _c("" if not np.isfinite(pct_net) or m is comp.base else f"{pct_net:+.1f}%"),
                _c(f"{x.tonnes:.4g}"), _c(f"{x.tonnes_per_year:.4g}"),
                _c("" if not np.isfinite(pct) or m is comp.base else f"{pct:+.1f}%"),
                _c(top, cls="note" if not groups else ""),
            ])  # fmt: skip
    lakes = Table(header, out["lake"]) if out["lake"] else None
    polders = Table(header, out["polder"]) if out["polder"] else None
    return lakes, polders


def _coverage(comp: Comparison, lang: str) -> Table | None:
    _ = functools.partial(tr, lang=lang)
    ref = comp.base or (comp.ok[0] if comp.ok else None)
    a = next(iter(_assessments(ref).values()), None)
    if a is None:
        return None
    rows = []
    for r in a.sections:
        applicable = _indicators(r.kind)
        sim = [INDICATORS[k].label for k in applicable if r.origin.get(k) == "simulated"]
        obs = [INDICATORS[k].label for k in applicable if r.origin.get(k) == "observed"]
        nas = [INDICATORS[k].label for k in applicable if k not in r.origin]
        sep = [INDICATORS[k].label for k in r.separate]
        rows.append([_c(section_label(r), tip=r.section), _c(_(r.kind)),
                     _c(", ".join(sim) or _("none")), _c(", ".join(obs) or _("none")),
                     _c(", ".join(nas) or _("none")), _c(", ".join(sep))])  # fmt: skip
    return Table([_("section"), _("kind"), _("simulated"), _("observed (config)"),
                  _("not assessed"), _("classed separately")], rows)  # fmt: skip


# ---------------------------------------------------------------------- first page
def _inputs(comp: Comparison, lang: str) -> dict:
    """Periods, forcing and the confidence of the inputs, from the baseline's run."""
    _ = functools.partial(tr, lang=lang)
    ref = comp.base or (comp.ok[0] if comp.ok else None)
    runs = []
    for m in comp.ok:
        p = m.products
        if p is None or not p.period_start:
            continue
        days = datetime.fromisoformat(p.period_end) - datetime.fromisoformat(p.period_start)
        text = (f"{p.period_start} {_('to')} {p.period_end} UTC "
                f"({days.total_seconds() / 86400:.4g} {_('days')})")  # fmt: skip
        if text not in runs:
            runs.append(text)
    runs = [f"{t} ({', '.join(m.label for m in comp.ok if m.products and t.startswith(m.products.period_start + ' '))})"
            if len(runs) > 1 else t for t in runs]  # fmt: skip
    inputs = dict(ref.products.inputs) if ref is not None and ref.products is not None else {}
    conf = []
    synthetic = any("ynthetic" in t for _f, t in inputs.get("forcing", []))
    assumed_sources = False
    for table, counts in dict(inputs.get("confidence", {})).items():
        order = [k for k in CONFIDENCE_ORDER if k in counts] + sorted(
            k for k in counts if k not in CONFIDENCE_ORDER
        )
        conf.append((_(table), ", ".join(f"{counts[k]} {_(k)}" for k in order)))
        if table == "sources":
            total = sum(counts.values())
            assumed_sources = counts.get("assumed", 0) * 2 > total
    caveat = ""
    if synthetic or assumed_sources:
        caveat = _("The weather forcing is synthetic and most source strengths are assumed: the "
                   "results show how the scenarios differ from each other, not the measured "
                   "water quality of the area.")  # fmt: skip
    assessed = []
    p0 = ref.products if ref is not None else None
    for label in _periods(comp):
        text = label
        if p0 is not None and p0.period_start and len(label) == 4 and label.isdigit():
            lo = max(p0.period_start[:10], f"{label}-01-01")
            hi = min(p0.period_end[:10], f"{int(label) + 1:04d}-01-01")
            if (lo, hi) != (f"{label}-01-01", f"{int(label) + 1:04d}-01-01"):
                text = f"{label} ({_('the part of the year the run covers')}: {lo} {_('to')} {hi})"
        assessed.append(text)
    return {
        "periods_run": runs,
        "periods_assessed": ", ".join(assessed),
        "forcing": list(inputs.get("forcing", [])),
        "confidence": conf,
        "caveat": caveat,
    }


def _scenario_view(m: ScenarioOutcome, comp: Comparison) -> dict:
    return {
        "label": m.label, "name": m.name, "path": m.path, "folder": m.folder, "ok": m.ok,
        "is_base": m.index == comp.baseline, "error_kind": m.error_kind, "error": m.error,
        "model": m.model, "inherits": " -> ".join(m.inherits), "description": m.description,
        "interventions": m.interventions,
        "no_interventions": m.status != "failed" or m.error_kind != "config",
    }  # fmt: skip


def _run_plots(comp: Comparison, out_dir: Path, lang: str) -> list[dict]:
    out = []
    for m in comp.ok:
        folder = out_dir / m.folder / PLOT_DIR
        figs = [{"caption": tr(what, lang), "data": _b64(folder / f)}
                for what, f in (("network map", "map_tp.png"),
                                ("longitudinal profile", "profile.png"),
                                ("section series", "sections.png"))
                if (folder / f).is_file()]  # fmt: skip
        if figs:
            out.append({"label": m.label, "open": m.index == comp.baseline, "figures": figs})
    return out


METHOD_EN = [
    "Classes: GB 3838-2002 Table 1; a value equal to a limit belongs to that class; rivers use "
    "the river TP limits, lakes the lake TP limits; lake TN is classed but kept out of the "
    "section class.",
    "Evaluation: 《地表水环境质量评价办法(试行)》 (2011), single-factor method: the section class "
    "is the worst class of its assessed indicators, from the arithmetic mean of each indicator "
    "over the calendar year (or the part of it the run covers); monthly tables use the means "
    "of each calendar month.",
    "Compliance rate (优良比例): share of classified sections in Class I-III. Target attainment "
    "(达标率): share of classified sections whose class is no worse than their target.",
    "Simulated indicators come from the model; indicators it does not simulate come from "
    "observed annual means in the config where given (the same in every scenario, so "
    "interventions cannot change them) and are otherwise not assessed.",
    "Loads into a lake: net (in less out through its connections) and gross (in only) TN and "
    "TP mass over the period; lakes and polders are listed apart.",
    "Short runs: means over a few days describe those days, not a year; judge annual classes "
    "on runs that cover the year.",
]
METHOD_ZH = [
    "水质类别：GB 3838-2002 表1；等于限值者归入该类；河流按河流总磷限值，湖泊按湖库总磷限值；"
    "湖泊总氮单独评价，不计入断面类别。",
    "评价方法：《地表水环境质量评价办法(试行)》(2011)，单因子评价法：断面类别为各参评指标中"
    "最差的类别，指标取全年（或模拟覆盖部分）的算术平均；逐月表取各自然月的平均。",
    "优良比例：Ⅰ～Ⅲ类断面占参评断面的比例。达标率：类别不劣于目标的断面占参评断面的比例。",
    "模拟的指标来自模型；模型不模拟的指标取配置中的实测年均值（各情景相同，措施不改变它们），"
    "没有实测值的不参评。",
    "入湖负荷：评价时段内的总氮、总磷净入量（流入减流出）和总入量（只计流入）；湖泊与圩区分列。",
    "短时段模拟：几天的平均只代表这几天，不代表全年；年度类别应以覆盖全年的模拟判断。",
]


# -------------------------------------------------------------------------- fonts
def _font_face(page_text: str) -> str:
    """A WOFF subset of the packaged CJK font (Simplified Chinese face) with the CJK
    characters of ``page_text``, base64; '' when there are none or the font or fontTools is
    missing (the browser then uses what it has)."""
    chars = sorted({c for c in page_text if ord(c) >= 0x2E80})
    path = plot.packaged_cjk_font()
    if not chars or path is None:
        return ""
    try:
        from fontTools import subset
        from fontTools.ttLib import TTFont
    except ImportError:
        return ""
    with TTFont(str(path), fontNumber=_sc_face(path)) as font:
        opts = subset.Options()
        opts.flavor = "woff"
        opts.hinting = False
        opts.desubroutinize = True
        opts.layout_features = ["*"]
        sub = subset.Subsetter(opts)
        sub.populate(text="".join(chars))
        sub.subset(font)
        buf = io.BytesIO()
        font.flavor = "woff"
        font.save(buf)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _sc_face(path: Path) -> int:
    """Index of the Simplified Chinese face in a font collection (0 for a single font)."""
    from fontTools.ttLib import TTCollection

    if path.suffix.lower() != ".ttc":
        return 0
    with TTCollection(str(path), lazy=True) as c:
        for i, f in enumerate(c.fonts):
            if f["name"].getDebugName(1) == "Noto Sans CJK SC":
                return i
    return 0


# -------------------------------------------------------------------------- entry
@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("twin.compare", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
    )


def render_html(comp: Comparison, out_dir: Path, figures: list[tuple[str, Path]],
                lang: str = "en") -> str:  # fmt: skip
    """The report page in ``lang`` ('en' or 'zh')."""
    _ = functools.partial(tr, lang=lang)
    base = comp.members[comp.baseline]
    ran = len(comp.ok)
    if lang == "zh":
        head = (f"{len(comp.members)} 个情景中 {ran} 个运行成功"
                + (f"，{len(comp.failed)} 个失败（见下文）" if comp.failed else "")
                + f"。基准情景：{base.label}"
                + ("" if comp.base else f"（{_('it failed, so no changes are shown')}）") + "。")  # fmt: skip
    else:
        head = (f"{ran} of {len(comp.members)} scenarios ran"
                + (f"; {len(comp.failed)} failed (see below)" if comp.failed else "")
                + f". Baseline: {base.label}"
                + ("" if comp.base else " (it failed, so no changes are shown)") + ".")  # fmt: skip
    lakes, polders = _loads_tables(comp, lang)
    context = {
        "_": _,
        "lang": lang,
        "n_members": len(comp.members),
        "css": CSS,
        "head": head,
        "version": __version__,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "scheduler": comp.scheduler,
        "summary": _summary(comp, lang),
        "monthly": _monthly_table(comp, lang),
        "monthly_sections": _monthly_sections(comp, lang),
        "section_blocks": _section_blocks(comp, lang),
        "loads_lakes": lakes,
        "loads_polders": polders,
        "figures": [{"caption": c, "data": _b64(p)} for c, p in figures],
        "scenarios": [_scenario_view(m, comp) for m in comp.members],
        "failed": [_scenario_view(m, comp) for m in comp.failed],
        "coverage": _coverage(comp, lang),
        "run_plots": _run_plots(comp, out_dir, lang),
        "method": METHOD_ZH if lang == "zh" else METHOD_EN,
        **_inputs(comp, lang),
    }
    template = _environment().get_template("report.html.j2")
    page = template.render(font_face="", **context)
    face = _font_face(page)
    return template.render(font_face=face, **context) if face else page
