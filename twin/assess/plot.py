"""Figures of one run and of a comparison of scenarios, drawn with Matplotlib's Agg canvas
(no display, no pyplot state: safe in worker processes and threads) and written as PNG
atomically.

Colours of water-quality classes follow the usual bureau maps: blue for I-II, green for
III, yellow for IV, orange for V, red for worse than V. Text the default font cannot draw
(Chinese names on a machine without a CJK font) is replaced by the item's id or number, so
no figure ever shows empty boxes.
"""

from __future__ import annotations

import functools
import io
import textwrap
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from matplotlib import colors as mcolors
from matplotlib import dates as mdates
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font

from ..io.atomic import atomic_write_bytes
from .assessment import CLASS_NAMES, INDICATORS
from .lang import tr

CLASS_COLOURS = ("#2c7bb6", "#8fc3e6", "#4daf4a", "#ffd92f", "#fd8d3c", "#d7191c")
"""Colours of classes I, II, III, IV, V and worse than V."""

SCENARIO_COLOURS = (
    "#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3",
    "#937860", "#da8bc3", "#8c8c8c", "#ccb974", "#64b5cd",
)  # fmt: skip

CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "SimHei",
             "Microsoft YaHei", "PingFang SC")  # fmt: skip
"""Fonts tried, in order, for Chinese text; without any of them such text is replaced. The
first is the one the project installs (``packaged_cjk_font``), registered at run time."""

LONG_LABEL = {"tp": "TP", "nh3n": "NH3-N", "tn": "TN"}


# --------------------------------------------------------------------------- basics
def packaged_cjk_font() -> Path | None:
    """The Noto Sans CJK collection of the ``noto-cjk-sans-otc`` package (OFL-1.1), a
    dependency of twin; None when it is not installed."""
    try:
        import noto_cjk_sans_otc
    except ImportError:
        return None
    path = Path(str(noto_cjk_sans_otc.FONT_PATH))
    return path if path.is_file() else None


@functools.lru_cache(maxsize=1)
def _fonts() -> tuple[list[str], frozenset[int]]:
    """Font families to use and the characters they can draw together (the packaged CJK
    font is registered with Matplotlib first, so no system font is needed)."""
    packaged = packaged_cjk_font()
    if packaged is not None:
        names = {f.name for f in font_manager.fontManager.ttflist}
        if "Noto Sans CJK SC" not in names:
            font_manager.fontManager.addfont(str(packaged))
    families = ["DejaVu Sans"]
    chars: set[int] = set()
    for fam in ("DejaVu Sans", *CJK_FONTS):
        try:
            path = font_manager.findfont(
                font_manager.FontProperties(family=fam), fallback_to_default=False
            )
        except ValueError:
            continue
        if fam != "DejaVu Sans":
            families.append(fam)
        chars |= set(FT2Font(path).get_charmap())
    return families, frozenset(chars)


def label(text: str, fallback: str) -> str:
    """``text`` if the fonts can draw every character of it, else ``fallback``."""
    _, chars = _fonts()
    return text if all(ord(c) in chars or c.isspace() for c in text) else fallback


def class_label(c: int) -> str:
    return label(CLASS_NAMES[c - 1], "worse than V") if 1 <= c <= 6 else ""


def new_figure(width_in: float, height_in: float) -> Figure:
    fig = Figure(figsize=(width_in, height_in), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    fig.set_facecolor("white")
    return fig


def png_bytes(fig: Figure) -> bytes:
    """The figure as PNG, without the creation-time metadata (same figure, same bytes)."""
    buf = io.BytesIO()
    with _font_context():
        fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def _font_context():
    import matplotlib

    return matplotlib.rc_context({"font.family": _fonts()[0], "axes.unicode_minus": False})


def save_png(fig: Figure, path: str | Path) -> Path:
    """Write the figure as PNG atomically; returns the path."""
    path = Path(path)
    atomic_write_bytes(path, png_bytes(fig))
    return path


def class_norm(limits: Sequence[float]):
    """Colormap and norm mapping a value to its class colour (limits of I..V, mg/L)."""
    bounds = [0.0, *limits, max(limits[-1] * 10.0, 1e3)]
    cmap = mcolors.ListedColormap(CLASS_COLOURS)
    return cmap, mcolors.BoundaryNorm(bounds, cmap.N)


def class_colour(value: float, limits: Sequence[float]) -> str:
    if not np.isfinite(value):
        return "#cccccc"
    k = int(np.searchsorted(np.asarray(limits) * (1 + 1e-9), value, side="left"))
    return CLASS_COLOURS[min(k, 5)]


# ------------------------------------------------------------------- one run
def _declutter(ax, points, texts, fontsize: float, step_pt: float = 10.0) -> None:
    """Place each text near its point (display coordinates) at the first of eight offsets,
    at growing distance, whose box overlaps no box placed before; the last tried otherwise."""
    fig = ax.figure
    fig.canvas.draw()
    placed: list[tuple[float, float, float, float]] = []
    to_disp = ax.transData.transform
    px_per_pt = fig.dpi / 72.0
    dirs = [(1, 1), (1, -1), (-1, 1), (-1, -1), (1, 0), (-1, 0), (0, 1), (0, -1)]
    for (x, y), text in zip(points, texts, strict=True):
        X, Y = to_disp((x, y))
        w = (0.62 * fontsize * max(len(text), 1) + 2) * px_per_pt
        h = 1.3 * fontsize * px_per_pt
        best = None
        for ring in (1.0, 2.0, 3.0):
            for dx, dy in dirs:
                ox, oy = dx * step_pt * ring * px_per_pt, dy * step_pt * ring * px_per_pt
                x0 = X + ox - (w if dx < 0 else (w / 2 if dx == 0 else 0))
                y0 = Y + oy - (h if dy < 0 else (h / 2 if dy == 0 else 0))
                box = (x0, y0, x0 + w, y0 + h)
                best = (ox, oy, dx, dy, box)
                if not any(
                    box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
                    for b in placed
                ):
                    break
            else:
                continue
            break
        assert best is not None
        ox, oy, dx, dy, box = best
        placed.append(box)
        ax.annotate(text, (x, y), xytext=(ox / px_per_pt, oy / px_per_pt),
                    textcoords="offset points", fontsize=fontsize,
                    ha="left" if dx > 0 else ("right" if dx < 0 else "center"),
                    va="bottom" if dy > 0 else ("top" if dy < 0 else "center"),
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.7},
                    zorder=5)  # fmt: skip


def network_map(segments, edge_tp, lakes, sections, title: str, lonlat: bool,
                lang: str = "en") -> Figure:  # fmt: skip
    """The river network, each edge coloured by the class its mean TP falls in (river
    limits); storage nodes as circles (lakes) or squares (polders) coloured with the lake
    limits, labelled by name; sections as numbered triangles, their names in a list beside
    the map (so that labels never pile up where sections are close).

    segments: (n_edges, 2, 2) x/y of edge ends; edge_tp: mean TP per edge (mg/L);
    lakes: (x, y, mean TP, name[, 'lake' | 'polder']); sections: (x, y, name).
    """
    xs = np.asarray(segments, float)[..., 0]
    ys = np.asarray(segments, float)[..., 1]
    stretch = 1.0
    if lonlat and ys.size:
        stretch = 1.0 / max(np.cos(np.radians(float(np.nanmean(ys)))), 0.1)
    ratio = stretch * max(np.ptp(ys), 1e-9) / max(np.ptp(xs), 1e-9) if xs.size else 1.0
    with _font_context():
        # Size the figure to the network's shape so that the map fills it.
        fig = new_figure(11.0, float(np.clip(7.0 * ratio, 3.0, 9.0)) + 1.2)
        grid = fig.add_gridspec(1, 2, width_ratios=[4.0, 1.3])
        ax = fig.add_subplot(grid[0, 0])
        key = fig.add_subplot(grid[0, 1])
        key.axis("off")
        river = INDICATORS["tp"].river
        lake = INDICATORS["tp"].lake
        cmap, norm = class_norm(river)
        lc = LineCollection(segments, cmap=cmap, norm=norm, linewidths=3.0, capstyle="round")
        lc.set_array(np.nan_to_num(np.asarray(edge_tp, float), nan=0.0))
        ax.add_collection(lc)
        points, texts = [], []
        for item in lakes:
            x, y, tp, name = item[:4]
            polder = len(item) > 4 and item[4] == "polder"
            ax.scatter([x], [y], s=160 if polder else 320, marker="s" if polder else "o",
                       c=[class_colour(tp, lake)], edgecolors="black", linewidths=1.0,
                       zorder=3)  # fmt: skip
            points.append((x, y))
            texts.append(label(name, tr("polder" if polder else "lake", lang)))
        for i, (x, y, _name) in enumerate(sections):
            ax.scatter([x], [y], marker="^", s=50, c="black", zorder=4)
            points.append((x, y))
            texts.append(str(i + 1))
        ax.autoscale_view()
        if xs.size:
            pad_x = 0.05 * max(np.ptp(xs), 1e-6)
            pad_y = 0.05 * max(np.ptp(ys), 1e-6)
            ax.set_xlim(xs.min() - pad_x, xs.max() + pad_x)
            ax.set_ylim(ys.min() - pad_y, ys.max() + pad_y)
        ax.ticklabel_format(useOffset=False, style="plain")
        if lonlat:
            ax.set_aspect(stretch)
            ax.set_xlabel(tr("longitude (deg E)", lang))
            ax.set_ylabel(tr("latitude (deg N)", lang))
        else:
            ax.set_aspect("equal")
            ax.set_xlabel("x (m)")
            ax.set_ylabel("y (m)")
        cb = fig.colorbar(lc, ax=ax, shrink=0.7, aspect=20)
        cb.set_ticks([0.5 * (a + b) for a, b in zip(norm.boundaries[:-1], norm.boundaries[1:],
                                                     strict=True)][:6])  # fmt: skip
        cb.set_ticklabels(
            [f"{class_label(c + 1)} (<= {v:g})" for c, v in enumerate(river)]
            + [f"{class_label(6)} (> {river[-1]:g})"]
        )
        cb.set_label(tr("class of mean TP in rivers, mg/L (GB 3838-2002)", lang))
        ax.set_title(title, fontsize=10)
        _declutter(ax, points, texts, 7.5)
        lines = [f"{i + 1}  {label(name, f'S{i + 1}')}" for i, (_, _, name) in enumerate(sections)]
        key.text(0.0, 1.0, "\n".join([tr("sections", lang) + ":", *lines]), va="top",
                 ha="left", fontsize=7.5, transform=key.transAxes)  # fmt: skip
        if lakes:
            notes = [tr("circles: lakes, coloured by the lake TP limits", lang),
                     ", ".join(f"{v:g}" for v in lake) + " mg/L",
                     tr("squares: polders", lang),
                     tr("triangles: sections (numbers in the list)", lang)]  # fmt: skip
            key.text(0.0, 0.0, "\n".join(textwrap.fill(n, 34) for n in notes), va="bottom",
                     ha="left", fontsize=6.5, transform=key.transAxes, color="0.25")  # fmt: skip
    return fig


def profile(x_km, values: dict, bounds, marks, title: str, lang: str = "en") -> Figure:
    """Longitudinal profile: for each variable (mg/L), the time mean along the chain with the
    band between its minimum and maximum, the Class III river limit, reach boundaries
    (dotted, with their node ids) and sections on the chain (triangles)."""
    with _font_context():
        n = max(len(values), 1)
        fig = new_figure(9.0, 2.6 * n + 0.8)
        axes = fig.subplots(n, 1, sharex=True, squeeze=False)[:, 0]
        for ax, (name, (mean, lo, hi)) in zip(axes, values.items(), strict=False):
            ax.fill_between(x_km, lo, hi, color="#9ecae1", alpha=0.6, label=tr("min - max", lang),
                            lw=0)  # fmt: skip
            ax.plot(x_km, mean, color="#08519c", lw=1.6, label=tr("mean", lang))
            limits = INDICATORS[name].river if name in INDICATORS else None
            if limits:
                ax.axhline(limits[2], color="#4daf4a", ls="--", lw=1.0,
                           label=f"{tr('Class III limit', lang)} {limits[2]:g}")  # fmt: skip
            for km, _node in bounds:
                ax.axvline(km, color="0.6", ls=":", lw=0.8)
            top = float(np.nanmax(hi)) if np.size(hi) and np.isfinite(hi).any() else 1.0
            for i, (km, sid) in enumerate(marks):
                ax.plot([km], [0.0], marker="^", color="black", ms=6, clip_on=False)
                ax.annotate(label(sid, f"S{i + 1}"), (km, 0.0), xytext=(2, 6),
                            textcoords="offset points", fontsize=7, rotation=90)  # fmt: skip
            ax.set_ylim(0.0, max(top, limits[2] if limits else 0.0) * 1.15 or 1.0)
            ax.set_ylabel(f"{LONG_LABEL.get(name, name)} (mg/L)")
            ax.legend(loc="upper right", fontsize=7)
        for km, node in bounds:
            axes[0].annotate(label(node, ""), (km, 1.0), xycoords=("data", "axes fraction"),
                             xytext=(0, 2), textcoords="offset points", fontsize=6,
                             rotation=45, ha="left", va="bottom")  # fmt: skip
        axes[-1].set_xlabel(tr("distance along the profile (km)", lang))
        fig.suptitle(title, fontsize=10)
    return fig


def section_series(times, series: dict, ids: list[str], kinds: list[str], title: str,
                   names: list[str] | None = None, lang: str = "en") -> Figure:  # fmt: skip
    """Concentration series (mg/L) at every section as small multiples: one row per section
    (labelled by its name), one column per indicator, with the Class III limit of the
    section's kind of water (grey). ``series`` maps an indicator to (n_sections, n_times)."""
    names = names or ids
    with _font_context():
        n, k = max(len(ids), 1), max(len(series), 1)
        fig = new_figure(3.4 * k + 1.6, 1.05 * n + 1.0)
        axes = fig.subplots(n, k, sharex=True, squeeze=False)
        for c, (name, arr) in enumerate(series.items()):
            ind = INDICATORS.get(name)
            top = float(np.nanmax(arr)) if np.size(arr) and np.isfinite(arr).any() else 1.0
            for s_, sid in enumerate(ids):
                ax = axes[s_, c]
                ax.plot(times, arr[s_], lw=1.0, color="#08519c")
                limits = None if ind is None else ind.limits(kinds[s_])
                if limits:
                    ax.axhline(limits[2], color="0.5", lw=0.8)
                ax.set_ylim(0.0, max(top, limits[2] if limits else 0.0) * 1.1 or 1.0)
                ax.tick_params(labelsize=6)
                if s_ == 0:
                    ax.set_title(f"{LONG_LABEL.get(name, name)} (mg/L)", fontsize=9)
                if c == 0:
                    ax.set_ylabel(label(names[s_], sid), fontsize=7, rotation=0, ha="right",
                                  va="center")  # fmt: skip
        for c in range(k):
            locator = mdates.AutoDateLocator()
            axes[-1, c].xaxis.set_major_locator(locator)
            axes[-1, c].xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
            axes[-1, c].set_xlabel(tr("time (UTC)", lang), fontsize=8)
        fig.suptitle(f"{title} ({tr('grey: Class III limit', lang)})", fontsize=10)
    return fig


# ------------------------------------------------------------- comparison
def _bar_positions(n_groups: int, n_bars: int):
    width = 0.8 / max(n_bars, 1)
    base = np.arange(n_groups)
    return [base - 0.4 + width * (k + 0.5) for k in range(n_bars)], width


def scenario_bars(categories: list[str], scenarios: list[str], values: np.ndarray,
                  limits: list[float | None], ylabel: str, title: str) -> Figure:  # fmt: skip
    """Grouped bars: one group per category (section), one bar per scenario; values
    (n_scenarios, n_categories), NaN for none; a short black line over each group marks
    its limit (Class III, or the section's target)."""
    with _font_context():
        fig = new_figure(max(6.0, 0.9 * len(categories) * max(len(scenarios), 2) / 3 + 3), 4.2)
        ax = fig.add_subplot()
        pos, width = _bar_positions(len(categories), len(scenarios))
        for k, name in enumerate(scenarios):
            ax.bar(pos[k], np.nan_to_num(values[k], nan=0.0), width,
                   color=SCENARIO_COLOURS[k % 10], label=label(name, f"scenario {k + 1}"))  # fmt: skip
        for c, lim in enumerate(limits):
            if lim is not None:
                ax.plot([c - 0.45, c + 0.45], [lim, lim], color="black", lw=1.5)
        ax.set_xticks(np.arange(len(categories)))
        ax.set_xticklabels([label(c, f"S{i + 1}") for i, c in enumerate(categories)],
                           rotation=30, ha="right", fontsize=8)  # fmt: skip
        ax.set_ylabel(ylabel)
        ax.set_title(title, fontsize=10)
        ax.legend(fontsize=7, ncol=min(len(scenarios), 4))
    return fig


def rate_bars(scenarios: list[str], compliance: list[float], attainment: list[float],
              lang: str = "en") -> Figure:  # fmt: skip
    """Compliance rate (share in Class I-III) and target-attainment rate per scenario, %."""
    with _font_context():
        fig = new_figure(max(5.0, 1.1 * len(scenarios) + 2), 3.8)
        ax = fig.add_subplot()
        pos, width = _bar_positions(len(scenarios), 2)
        for k, (vals, name, col) in enumerate(
            ((compliance, tr("compliance rate (Class I-III)", lang), "#4daf4a"),
             (attainment, tr("target attainment", lang), "#2c7bb6"))
        ):  # fmt: skip
            v = 100.0 * np.asarray(vals, float)
            ax.bar(pos[k], np.nan_to_num(v, nan=0.0), width, color=col, label=name)
            for x, y in zip(pos[k], v, strict=True):
                ax.annotate("n/a" if not np.isfinite(y) else f"{y:.0f}%", (x, np.nan_to_num(y)),
                            xytext=(0, 2), textcoords="offset points", ha="center", fontsize=7)  # fmt: skip
        ax.set_xticks(np.arange(len(scenarios)))
        ax.set_xticklabels([label(s, f"scenario {i + 1}") for i, s in enumerate(scenarios)],
                           rotation=20, ha="right", fontsize=8)  # fmt: skip
        ax.set_ylim(0, 125)
        ax.set_yticks(range(0, 101, 20))
        ax.set_ylabel(tr("% of classified sections", lang))
        ax.legend(fontsize=7, loc="upper left", ncol=2)
        ax.set_title(tr("Compliance and target attainment", lang), fontsize=10)
    return fig


def load_bars(scenarios: list[str], panels: list[tuple[str, dict[str, np.ndarray]]],
              unit: str, net: list[np.ndarray] | None = None, lang: str = "en") -> Figure:  # fmt: skip
    """Stacked bars of loads per scenario, one panel per (storage node, species); each panel
    maps a part (source group, or 'all') to its value per scenario; ``net`` (one array per
    panel) marks the net load of each scenario with a diamond."""
    with _font_context():
        n = max(len(panels), 1)
        cols = min(n, 2)
        rows = int(np.ceil(n / cols))
        fig = new_figure(5.0 * cols + 0.5, 3.6 * rows)
        axes = fig.subplots(rows, cols, squeeze=False).ravel()
        for p, (ax, (title, parts)) in enumerate(zip(axes, panels, strict=False)):
            bottom = np.zeros(len(scenarios))
            for k, (part, vals) in enumerate(parts.items()):
                v = np.nan_to_num(np.asarray(vals, float), nan=0.0)
                ax.bar(np.arange(len(scenarios)), v, 0.6, bottom=bottom,
                       color=SCENARIO_COLOURS[k % 10], label=label(part, f"group {k + 1}"))  # fmt: skip
                bottom += v
            if net is not None:
                ax.plot(np.arange(len(scenarios)), net[p], "D", color="black", ms=5,
                        label=tr("net load", lang))  # fmt: skip
                ax.axhline(0.0, color="black", lw=0.6)
            ax.set_xticks(np.arange(len(scenarios)))
            ax.set_xticklabels([label(s, f"scenario {i + 1}") for i, s in enumerate(scenarios)],
                               rotation=20, ha="right", fontsize=8)  # fmt: skip
            ax.set_ylabel(unit)
            ax.set_title(title, fontsize=9)
            if len(parts) > 1 or net is not None:
                ax.legend(fontsize=6, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        for ax in axes[len(panels) :]:
            ax.set_visible(False)
    return fig


def change_heatmap(scenarios: list[str], sections: list[str], change: np.ndarray,
                   title: str, unit: str) -> Figure:  # fmt: skip
    """Change against the baseline, (n_scenarios, n_sections): blue for a fall, red for a
    rise, white for none; the value in each cell, to 0.001 ('0' below 0.0005)."""
    with _font_context():
        fig = new_figure(max(5.0, 0.9 * len(sections) + 3), 0.5 * len(scenarios) + 2.2)
        ax = fig.add_subplot()
        finite = np.abs(change[np.isfinite(change)])
        vmax = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
        im = ax.imshow(np.ma.masked_invalid(change), cmap="RdBu_r", vmin=-vmax, vmax=vmax,
                       aspect="auto")  # fmt: skip
        for i in range(change.shape[0]):
            for j in range(change.shape[1]):
                v = change[i, j]
                text = "" if not np.isfinite(v) else ("0" if abs(v) < 5e-4 else f"{v:+.3f}")
                cell = im.cmap(im.norm(v)) if np.isfinite(v) else (1.0, 1.0, 1.0, 1.0)
                ax.text(j, i, text, ha="center", va="center", fontsize=7,
                        color=text_colour(cell))  # fmt: skip
        ax.set_xticks(np.arange(len(sections)))
        ax.set_xticklabels([label(s, f"S{i + 1}") for i, s in enumerate(sections)],
                           rotation=30, ha="right", fontsize=8)  # fmt: skip
        ax.set_yticks(np.arange(len(scenarios)))
        ax.set_yticklabels([label(s, f"scenario {i + 1}") for i, s in enumerate(scenarios)],
                           fontsize=8)  # fmt: skip
        fig.colorbar(im, ax=ax, label=unit)
        ax.set_title(title, fontsize=10)
    return fig


def text_colour(rgba) -> str:
    """Black or white, whichever reads better on a cell of colour ``rgba``: white on cells
    whose relative luminance (WCAG 2.1, sRGB) is below 0.36, black otherwise."""
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgba[:3])
    lum = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "white" if lum < 0.36 else "black"


def change_bars(groups: list[str], scenarios: list[str], percent: np.ndarray,
                absolute: np.ndarray, title: str, unit: str, lang: str = "en") -> Figure:  # fmt: skip
    """Change against the baseline (%), one group of horizontal bars per item (lake),
    one bar per scenario, from zero; each bar carries its change in % and in ``unit``.
    ``percent`` and ``absolute`` are (n_scenarios, n_groups). Bars of changes start at zero,
    so that a 2 % change looks like one."""
    with _font_context():
        fig = new_figure(9.0, 0.45 * len(groups) * max(len(scenarios), 1) + 1.6)
        ax = fig.add_subplot()
        pos, width = _bar_positions(len(groups), len(scenarios))
        finite = np.abs(percent[np.isfinite(percent)])
        span = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
        for k, name in enumerate(scenarios):
            v = np.nan_to_num(percent[k], nan=0.0)
            ax.barh(pos[k], v, width, color=SCENARIO_COLOURS[(k + 1) % 10],
                    label=label(name, f"scenario {k + 1}"))  # fmt: skip
            for y, p, a in zip(pos[k], percent[k], absolute[k], strict=True):
                if not np.isfinite(p):
                    continue
                a = 0.0 if abs(a) < 1e-6 else a  # below a gram a year: rounding of sums
                ax.annotate(f"{p:+.1f}% ({a:+.3g} {unit})", (p, y),
                            xytext=(3 if p >= 0 else -3, 0), textcoords="offset points",
                            ha="left" if p >= 0 else "right", va="center", fontsize=7)  # fmt: skip
        ax.axvline(0.0, color="black", lw=0.8)
        ax.set_xlim(-1.6 * span, 1.6 * span)
        ax.set_yticks(np.arange(len(groups)))
        ax.set_yticklabels([label(g, f"{i + 1}") for i, g in enumerate(groups)], fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel(tr("change against the baseline (%)", lang))
        ax.set_title(title, fontsize=10)
        ax.legend(fontsize=7, loc="lower right")
    return fig
