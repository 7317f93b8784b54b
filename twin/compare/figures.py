"""The figures of a comparison (``figures/``, see ``twin.compare.report``)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ..assess import plot
from ..assess.assessment import INDICATORS
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
)


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
