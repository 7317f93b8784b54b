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

CLASS_COLOURS = ("#2c7bb6", "#8fc3e6", "#4daf4a", "#ffd92f", "#fd8d3c", "#d7191c")
"""Colours of classes I, II, III, IV, V and worse than V."""

SCENARIO_COLOURS = (
    "#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3",
    "#937860", "#da8bc3", "#8c8c8c", "#ccb974", "#64b5cd",
)  # fmt: skip

CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "SimHei",
             "Microsoft YaHei", "PingFang SC")  # fmt: skip
"""Fonts tried, in order, for Chinese text; without any of them such text is replaced."""

LONG_LABEL = {"tp": "TP", "nh3n": "NH3-N", "tn": "TN"}


# --------------------------------------------------------------------------- basics
@functools.lru_cache(maxsize=1)
def _fonts() -> tuple[list[str], frozenset[int]]:
    """Font families to use and the characters they can draw together."""
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
def network_map(segments, edge_tp, lakes, sections, title: str, lonlat: bool) -> Figure:
    """The river network, each edge coloured by the class its mean TP falls in (river
    limits); storage nodes as circles coloured with the lake limits; sections as triangles.

    segments: (n_edges, 2, 2) x/y of edge ends; edge_tp: mean TP per edge (mg/L);
    lakes: (x, y, mean TP, id); sections: (x, y, id).
    """
    xs = np.asarray(segments, float)[..., 0]
    ys = np.asarray(segments, float)[..., 1]
    stretch = 1.0
    if lonlat and ys.size:
        stretch = 1.0 / max(np.cos(np.radians(float(np.nanmean(ys)))), 0.1)
    ratio = stretch * max(np.ptp(ys), 1e-9) / max(np.ptp(xs), 1e-9) if xs.size else 1.0
    with _font_context():
        # Size the figure to the network's shape so that the map fills it.
        fig = new_figure(9.0, float(np.clip(7.0 * ratio, 3.0, 9.0)) + 1.2)
        ax = fig.add_subplot()
        river = INDICATORS["tp"].river
        lake = INDICATORS["tp"].lake
        cmap, norm = class_norm(river)
        lc = LineCollection(segments, cmap=cmap, norm=norm, linewidths=3.0, capstyle="round")
        lc.set_array(np.nan_to_num(np.asarray(edge_tp, float), nan=0.0))
        ax.add_collection(lc)
        for x, y, tp, sid in lakes:
            ax.scatter([x], [y], s=320, c=[class_colour(tp, lake)], edgecolors="black",
                       linewidths=1.0, zorder=3)  # fmt: skip
            ax.annotate(label(sid, "lake"), (x, y), xytext=(8, -14), textcoords="offset points",
                        fontsize=8, style="italic")  # fmt: skip
        for i, (x, y, sid) in enumerate(sections):
            ax.scatter([x], [y], marker="^", s=50, c="black", zorder=4)
            ax.annotate(label(sid, f"S{i + 1}"), (x, y), xytext=(4, 4),
                        textcoords="offset points", fontsize=8)  # fmt: skip
        ax.autoscale_view()
        if xs.size:
            pad_x = 0.05 * max(np.ptp(xs), 1e-6)
            pad_y = 0.05 * max(np.ptp(ys), 1e-6)
            ax.set_xlim(xs.min() - pad_x, xs.max() + pad_x)
            ax.set_ylim(ys.min() - pad_y, ys.max() + pad_y)
        ax.ticklabel_format(useOffset=False, style="plain")
        if lonlat:
            ax.set_aspect(stretch)
            ax.set_xlabel("longitude (deg E)")
            ax.set_ylabel("latitude (deg N)")
        else:
            ax.set_aspect("equal")
            ax.set_xlabel("x (m)")
            ax.set_ylabel("y (m)")
        cb = fig.colorbar(lc, ax=ax, shrink=0.9, aspect=15)
        cb.set_ticks([0.5 * (a + b) for a, b in zip(norm.boundaries[:-1], norm.boundaries[1:],
                                                     strict=True)][:6])  # fmt: skip
        cb.set_ticklabels(
            [f"{class_label(c + 1)} (<= {v:g})" for c, v in enumerate(river)]
            + [f"{class_label(6)} (> {river[-1]:g})"]
        )
        cb.set_label("class of mean TP in rivers, mg/L (GB 3838-2002)")
        ax.set_title(title, fontsize=10)
        if lakes:
            ax.text(0.01, 0.01, "circles: storage nodes (lakes), coloured by the lake TP limits "
                    + ", ".join(f"{v:g}" for v in lake) + " mg/L; triangles: sections",
                    transform=ax.transAxes, fontsize=7)  # fmt: skip
    return fig


def profile(x_km, values: dict, bounds, marks, title: str) -> Figure:
    """Longitudinal profile: for each variable (mg/L), the time mean along the chain with the
    band between its minimum and maximum, the Class III river limit, reach boundaries
    (dotted, with their node ids) and sections on the chain (triangles)."""
    with _font_context():
        n = max(len(values), 1)
        fig = new_figure(9.0, 2.6 * n + 0.8)
        axes = fig.subplots(n, 1, sharex=True, squeeze=False)[:, 0]
        for ax, (name, (mean, lo, hi)) in zip(axes, values.items(), strict=False):
            ax.fill_between(x_km, lo, hi, color="#9ecae1", alpha=0.6, label="min - max", lw=0)
            ax.plot(x_km, mean, color="#08519c", lw=1.6, label="mean")
            limits = INDICATORS[name].river if name in INDICATORS else None
            if limits:
                ax.axhline(limits[2], color="#4daf4a", ls="--", lw=1.0,
                           label=f"Class III limit {limits[2]:g}")  # fmt: skip
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
        axes[-1].set_xlabel("distance along the profile (km)")
        fig.suptitle(title, fontsize=10)
    return fig


def section_series(times, series: dict, ids: list[str], kinds: list[str], title: str) -> Figure:
    """Concentration series (mg/L) at every section, one panel per indicator, with the
    Class III limits of rivers (solid grey) and lakes (dashed grey) where they exist."""
    with _font_context():
        n = len(series)
        fig = new_figure(9.0, 2.4 * n + 0.8)
        axes = fig.subplots(n, 1, sharex=True, squeeze=False)[:, 0]
        for ax, (name, arr) in zip(axes, series.items(), strict=True):
            for s, sid in enumerate(ids):
                ax.plot(times, arr[s], lw=1.1, color=SCENARIO_COLOURS[s % 10],
                        ls="-" if kinds[s] == "river" else "--",
                        label=label(sid, f"S{s + 1}"))  # fmt: skip
            ind = INDICATORS.get(name)
            if ind is not None and ind.river:
                ax.axhline(ind.river[2], color="0.5", lw=0.8)
            if ind is not None and ind.lake and "lake" in kinds:
                ax.axhline(ind.lake[2], color="0.5", lw=0.8, ls="--")
            ax.set_ylabel(f"{LONG_LABEL.get(name, name)} (mg/L)")
            ax.set_ylim(bottom=0.0)
        axes[0].legend(loc="upper left", fontsize=7, ncol=min(len(ids), 4))
        locator = mdates.AutoDateLocator()
        axes[-1].xaxis.set_major_locator(locator)
        axes[-1].xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        axes[-1].set_xlabel("time (UTC)")
        fig.suptitle(f"{title} (grey: Class III limit; dashed: lakes)", fontsize=10)
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


def rate_bars(scenarios: list[str], compliance: list[float], attainment: list[float]) -> Figure:
    """Compliance rate (share in Class I-III) and target-attainment rate per scenario, %."""
    with _font_context():
        fig = new_figure(max(5.0, 1.1 * len(scenarios) + 2), 3.8)
        ax = fig.add_subplot()
        pos, width = _bar_positions(len(scenarios), 2)
        for k, (vals, name, col) in enumerate(
            ((compliance, "compliance rate (Class I-III)", "#4daf4a"),
             (attainment, "target attainment", "#2c7bb6"))
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
        ax.set_ylabel("% of classified sections")
        ax.legend(fontsize=7, loc="upper left", ncol=2)
        ax.set_title("Compliance and target attainment", fontsize=10)
    return fig


def load_bars(scenarios: list[str], panels: list[tuple[str, dict[str, np.ndarray]]],
              unit: str) -> Figure:  # fmt: skip
    """Stacked bars of loads per scenario, one panel per (storage node, species); each panel
    maps a part (source group, or 'all') to its value per scenario."""
    with _font_context():
        n = max(len(panels), 1)
        cols = min(n, 2)
        rows = int(np.ceil(n / cols))
        fig = new_figure(5.0 * cols + 0.5, 3.6 * rows)
        axes = fig.subplots(rows, cols, squeeze=False).ravel()
        for ax, (title, parts) in zip(axes, panels, strict=False):
            bottom = np.zeros(len(scenarios))
            for k, (part, vals) in enumerate(parts.items()):
                v = np.nan_to_num(np.asarray(vals, float), nan=0.0)
                ax.bar(np.arange(len(scenarios)), v, 0.6, bottom=bottom,
                       color=SCENARIO_COLOURS[k % 10], label=label(part, f"group {k + 1}"))  # fmt: skip
                bottom += v
            ax.set_xticks(np.arange(len(scenarios)))
            ax.set_xticklabels([label(s, f"scenario {i + 1}") for i, s in enumerate(scenarios)],
                               rotation=20, ha="right", fontsize=8)  # fmt: skip
            ax.set_ylabel(unit)
            ax.set_title(label(title, "storage node"), fontsize=9)
            if len(parts) > 1:
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
                ax.text(j, i, text, ha="center", va="center", fontsize=7)
        ax.set_xticks(np.arange(len(sections)))
        ax.set_xticklabels([label(s, f"S{i + 1}") for i, s in enumerate(sections)],
                           rotation=30, ha="right", fontsize=8)  # fmt: skip
        ax.set_yticks(np.arange(len(scenarios)))
        ax.set_yticklabels([label(s, f"scenario {i + 1}") for i, s in enumerate(scenarios)],
                           fontsize=8)  # fmt: skip
        fig.colorbar(im, ax=ax, label=unit)
        ax.set_title(title, fontsize=10)
    return fig
