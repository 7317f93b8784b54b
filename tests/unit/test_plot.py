"""Figures: class colours at the limits, labels the fonts can draw, PNG bytes that depend on
the figure only, atomic writes, and the network map's colouring."""

from __future__ import annotations

import numpy as np
import pytest

from twin.assess import plot
from twin.assess.assessment import INDICATORS


@pytest.mark.parametrize(
    "value, cls",
    [(0.0, 1), (0.02, 1), (0.0201, 2), (0.1, 2), (0.2, 3), (0.2000001, 4), (0.3, 4),
     (0.4, 5), (0.41, 6), (5.0, 6)],
)  # fmt: skip
def test_class_colour_at_and_around_the_river_tp_limits(value, cls):
    assert plot.class_colour(value, INDICATORS["tp"].river) == plot.CLASS_COLOURS[cls - 1]


def test_class_colour_of_nan_is_grey():
    assert plot.class_colour(float("nan"), INDICATORS["tp"].river) == "#cccccc"


def test_labels_fall_back_when_the_fonts_cannot_draw_them():
    assert plot.label("below_enterprises 2", "S1") == "below_enterprises 2"
    assert plot.label("\ue000", "S1") == "S1"  # a private-use character no font has
    _, chars = plot._fonts()
    if ord("淀") not in chars:
        assert plot.label("淀山湖", "lake") == "lake"
        assert plot.class_label(6) == "worse than V"
    else:
        assert plot.label("淀山湖", "lake") == "淀山湖"


def _map(tp):
    segments = np.array([[[0.0, 0.0], [1.0, 0.0]], [[1.0, 0.0], [2.0, 0.0]],
                         [[2.0, 0.0], [3.0, 1.0]]])  # fmt: skip
    return plot.network_map(segments, np.array(tp), [(3.0, 1.0, 0.07, "lake")],
                            [(0.5, 0.0, "s1")], "t", lonlat=False)  # fmt: skip


def test_network_map_colours_each_edge_by_its_class():
    fig = _map([0.01, 0.15, 0.5])
    lc = fig.axes[0].collections[0]
    rgba = lc.to_rgba(lc.get_array())
    from matplotlib.colors import to_rgba

    expected = [to_rgba(plot.CLASS_COLOURS[k]) for k in (0, 2, 5)]
    np.testing.assert_allclose(rgba, expected, atol=1e-12)
    # The lake (0.07 mg/L) takes the lake limits: Class IV (0.05 < 0.07 <= 0.1).
    lake = fig.axes[0].collections[1]
    np.testing.assert_allclose(lake.get_facecolors()[0], to_rgba(plot.CLASS_COLOURS[3]))


def test_png_bytes_depend_on_the_figure_only(tmp_path):
    a = plot.png_bytes(_map([0.01, 0.15, 0.5]))
    b = plot.png_bytes(_map([0.01, 0.15, 0.5]))
    assert a[:8] == b"\x89PNG\r\n\x1a\n" and a == b
    assert plot.png_bytes(_map([0.01, 0.15, 0.35])) != a
    path = plot.save_png(_map([0.01, 0.15, 0.5]), tmp_path / "sub" / "map.png")
    assert path.read_bytes() == a
    assert [p.name for p in (tmp_path / "sub").iterdir()] == ["map.png"]


def test_comparison_figures_draw_nan_as_missing():
    vals = np.array([[0.3, np.nan], [0.1, 0.2]])
    fig = plot.scenario_bars(["s1", "s2"], ["base", "alt"], vals, [0.2, None], "TP", "t")
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert heights == [0.3, 0.0, 0.1, 0.2]
    fig = plot.change_heatmap(["alt"], ["s1", "s2"], np.array([[-0.1, np.nan]]), "t", "mg/L")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts == ["-0.100", ""]


def test_map_labels_of_close_sections_do_not_overlap():
    segments = np.array([[[0.0, 0.0], [10.0, 0.0]]])
    sections = [(5.0 + 0.01 * k, 0.0, f"section {k}") for k in range(6)]
    fig = plot.network_map(segments, np.array([0.1]), [(5.0, 0.02, 0.07, "the lake")],
                           sections, "t", lonlat=False)  # fmt: skip
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts if t.get_text().strip()]
    labels = [t.get_text() for t in ax.texts]
    assert "the lake" in labels and {"1", "2", "3", "4", "5", "6"} <= set(labels)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b)
    # The names are listed beside the map, by number.
    key = "\n".join(t.get_text() for t in fig.axes[1].texts)
    assert "1  section 0" in key and "6  section 5" in key


def test_section_series_are_small_multiples_labelled_by_name():
    t = np.arange("2024-07-01", "2024-07-03", dtype="datetime64[h]")
    arr = np.random.default_rng(0).random((3, t.size))
    fig = plot.section_series(t, {"tp": arr, "nh3n": arr}, ["a", "b", "c"],
                              ["river", "river", "lake"], "t", names=["甲", "乙", "丙"])  # fmt: skip
    assert len(fig.axes) == 6
    ylabels = [ax.get_ylabel() for ax in fig.axes if ax.get_ylabel()]
    assert len(ylabels) == 3 and "a" not in ylabels
