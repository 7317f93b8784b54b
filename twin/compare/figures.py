"""The figures of a comparison (``figures/``, see ``twin.compare.report``): sections, lakes
and scenarios labelled by their names, text in the report's language."""

from __future__ import annotations

import functools
import math
from pathlib import Path

import numpy as np

from ..assess import plot
from ..assess.assessment import INDICATORS
from ..assess.lang import tr
from .tables import (
    FIGURE_DIR,
    Comparison,
    _assessments,
    _load_columns,
    _load_key,
    _loads,
    _periods,
    _section,
    _sections,
    group_label,
)


def write_figures(comp: Comparison, out_dir: Path, lang: str = "en") -> list[tuple[str, Path]]:
    """The comparison figures as PNG; returns (caption, path) pairs."""
    _ = functools.partial(tr, lang=lang)
    figs: list[tuple[str, Path]] = []
    fdir = out_dir / FIGURE_DIR
    ok = comp.ok
    names = [m.label for m in ok]
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
            black = _("black: limit of the section's target class")
            fig = plot.scenario_bars(
                [s.name or s.section for s in use], names, vals, limits, f"{label} (mg/L)",
                f"{_('Mean')} {label}, {_('by section')} {period} "
                f"({black})",
            )  # fmt: skip
            figs.append((f"{_('Mean')} {label}, {_('by section')} {period}; "
                         f"{black}.",
                         plot.save_png(fig, fdir / f"{key}_by_section{suffix}.png")))  # fmt: skip
            base_a = _assessments(comp.base).get(period)
            if key == "tp" and base_a is not None and len(ok) > 1:
                others = [i for i, m in enumerate(ok) if m is not comp.base]
                change = np.full((len(others), len(use)), np.nan)
                for j, s in enumerate(use):
                    rb = _section(base_a, s.section)
                    if rb is not None and key in rb.means:
                        change[:, j] = vals[others, j] - rb.means[key]
                fig = plot.change_heatmap([names[i] for i in others],
                                          [s.name or s.section for s in use], change,
                                          f"{_('Change in mean TP against')} "
                                          f"'{comp.base.label}', {period}", "mg/L")  # fmt: skip
                figs.append((f"{_('Change in mean TP against')} '{comp.base.label}' "
                             f"(mg/L, {period}): {_('blue a fall, red a rise')}.",
                             plot.save_png(fig, fdir / f"tp_change{suffix}.png")))  # fmt: skip
        comp_r, att_r = [], []
        for m in ok:
            a = _assessments(m).get(period)
            comp_r.append(a.compliance_rate if a else math.nan)
            att_r.append(a.attainment_rate if a else math.nan)
        fig = plot.rate_bars(names, comp_r, att_r, lang)
        figs.append((f"{_('Compliance rate (share of classified sections in Class I-III) and target-attainment rate')}, {period}.",
                     plot.save_png(fig, fdir / f"rates{suffix}.png")))  # fmt: skip
        figs += _load_figures(comp, period, suffix, fdir, lang)
    return figs


def _load_figures(comp: Comparison, period: str, suffix: str, fdir: Path,
                  lang: str) -> list[tuple[str, Path]]:  # fmt: skip
    """Net and gross loads into each lake and polder (t/a), by source group where
    apportionment is on, and the change of the net load against the baseline."""
    _ = functools.partial(tr, lang=lang)
    ok = comp.ok
    names = [m.label for m in ok]
    figs: list[tuple[str, Path]] = []
    cols = _load_columns(comp)
    found: dict[tuple[str, str], dict] = {}
    for m in ok:
        for x in _loads(m):
            if x.period == period and x.group == "all":
                found.setdefault((x.storage_id, x.species), {"x": x})
    panels = []
    for (sid, sp), info in found.items():
        x = info["x"]
        groups = [c[2] for c in cols if c[:2] == (sid, sp) and c[2] != "all"]
        net = np.full(len(ok), np.nan)
        parts: dict[str, np.ndarray] = {}
        for part in groups or [_("gross load")]:
            parts[part] = np.full(len(ok), np.nan)
        shown = {part: group_label(part, ok[0], lang) for part in parts}
        for i, m in enumerate(ok):
            for y in _loads(m):
                if _load_key(y)[:3] != (period, sid, sp):
                    continue
                if y.group == "all":
                    net[i] = y.net_tonnes_per_year
                    if not groups:
                        parts[_("gross load")][i] = y.tonnes_per_year
                elif y.group in parts:
                    parts[y.group][i] = y.tonnes_per_year
        kind = _("polder") if x.water_body == "polder" else _("lake")
        title = f"{plot.label(x.storage_name or sid, sid)} ({kind}): {plot.LONG_LABEL[sp]}"
        panels.append((title, {shown[k]: v for k, v in parts.items()}, net, x.water_body))
    if not panels:
        return figs
    panels.sort(key=lambda p: p[3] == "polder")
    fig = plot.load_bars(names, [(t, p) for t, p, _n, _w in panels], "t/a",
                         net=[n for _t, _p, n, _w in panels], lang=lang)  # fmt: skip
    figs.append((f"{_('Load into each lake')} ({_('gross load')}, {_('scaled to a year')}, t/a; "
                 f"{_('by source group where source apportionment is on')}; "
                 f"◆ {_('net load')}), {period}.",
                 plot.save_png(fig, fdir / f"loads{suffix}.png")))  # fmt: skip
    base = comp.base
    others = [i for i, m in enumerate(ok) if m is not base]
    if base is None or not others:
        return figs
    bi = ok.index(base)
    for sp in ("tp", "tn"):
        use = [p for p in panels if p[0].endswith(f": {plot.LONG_LABEL[sp]}")]
        if not use:
            continue
        nets = np.array([p[2] for p in use]).T  # (scenarios, items)
        absolute = nets[others] - nets[bi]
        with np.errstate(divide="ignore", invalid="ignore"):
            percent = 100.0 * absolute / np.abs(nets[bi])
        fig = plot.change_bars([p[0].rsplit(":", 1)[0] for p in use],
                               [names[i] for i in others], percent, absolute,
                               f"{_('Change of the net load against the baseline')}: "
                               f"{plot.LONG_LABEL[sp]}, {period}", "t/a", lang)  # fmt: skip
        figs.append((f"{_('Change of the net load against the baseline')} "
                     f"({plot.LONG_LABEL[sp]}, %, t/a), {period}.",
                     plot.save_png(fig, fdir / f"load_change_{sp}{suffix}.png")))  # fmt: skip
    return figs
