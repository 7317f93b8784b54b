"""Grid-to-catchment weights: exact areas, coverage, curvilinear grids and the disk cache.

The equal-area projection is checked against the analytic area of a lon/lat rectangle on the
WGS84 ellipsoid and against pyproj's geodesic areas (an independent implementation, Karney
2013); weights are checked against polygon areas (acceptance: within 0.1 %).
"""

import math

import numpy as np
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import Polygon

from twin.errors import UserError
from twin.forcing import weights as wmod
from twin.forcing.geometry import lonlat_rectangle_area_m2, polygon_area_m2
from twin.forcing.grid import Grid, _corners_2d
from twin.forcing.weights import cached_weights, compute_weights

GEOD = Geod(ellps="WGS84")


def regular_grid(lon0=120.5, lat0=30.9, nx=10, ny=9, d=0.1) -> Grid:
    le = lon0 + d * np.arange(nx + 1)
    ae = lat0 + d * np.arange(ny + 1)
    lon, lat = np.meshgrid(0.5 * (le[1:] + le[:-1]), 0.5 * (ae[1:] + ae[:-1]))
    lonc = np.stack([le[:-1][None].repeat(ny, 0), le[1:][None].repeat(ny, 0),
                     le[1:][None].repeat(ny, 0), le[:-1][None].repeat(ny, 0)], -1)  # fmt: skip
    latc = np.stack([ae[:-1][:, None].repeat(nx, 1), ae[:-1][:, None].repeat(nx, 1),
                     ae[1:][:, None].repeat(nx, 1), ae[1:][:, None].repeat(nx, 1)], -1)  # fmt: skip
    return Grid("lat", "lon", lon, lat, lonc, latc, False)


def geodesic_area(poly) -> float:
    """pyproj geodesic area of a polygon whose edges are densified (so that geodesic and
    projected-straight edges agree far below the tolerance)."""
    dense = shapely.segmentize(poly, 0.002)
    return abs(GEOD.geometry_area_perimeter(dense)[0])


def test_rectangle_area_matches_geodesic():
    a = lonlat_rectangle_area_m2(120.5, 121.5, 30.9, 31.8)
    g = geodesic_area(Polygon([(120.5, 30.9), (121.5, 30.9), (121.5, 31.8), (120.5, 31.8)]))
    # parallels are not geodesics: a densified outline agrees to about 1e-6
    assert a == pytest.approx(g, rel=1e-5)
    # one 0.1 degree cell at 31 N is about 95 km2
    assert lonlat_rectangle_area_m2(121.0, 121.1, 31.0, 31.1) == pytest.approx(1.0e8, rel=0.1)


def test_polygon_area_independent_of_projection_centre():
    p = Polygon([(120.81, 31.12), (121.07, 31.18), (121.02, 31.47), (120.86, 31.40)])
    # with densified edges, straight-in-projection and geodesic edges coincide
    dense = shapely.segmentize(p, 0.002)
    assert polygon_area_m2(dense) == pytest.approx(geodesic_area(p), rel=1e-6)
    # long straight edges differ from geodesics by about 1e-4 of the area
    assert polygon_area_m2(p) == pytest.approx(geodesic_area(p), rel=1e-3)


def circle(lon0, lat0, r_deg, n=200):
    t = np.linspace(0, 2 * math.pi, n, endpoint=False)
    return Polygon(np.column_stack([lon0 + r_deg * np.cos(t) / math.cos(math.radians(lat0)),
                                    lat0 + r_deg * np.sin(t)]))  # fmt: skip


def test_weights_sum_to_polygon_area_for_polygons_crossing_many_cells():
    grid = regular_grid()
    polys = {
        "circle": circle(121.0, 31.35, 0.27),  # about 30 cells
        "quad": Polygon([(120.62, 31.02), (121.31, 31.11), (121.22, 31.66), (120.71, 31.58)]),
        "concave": Polygon([(120.6, 31.0), (121.4, 31.0), (121.4, 31.7), (121.0, 31.2), (120.6, 31.7)]),
    }  # fmt: skip
    w = compute_weights(grid, polys)
    covered = w.covered_area_m2
    for i, (pid, p) in enumerate(polys.items()):
        assert w.matrix[i].nnz > 10, pid
        # acceptance: within 0.1 % of the polygon's (independent, geodesic) area
        assert covered[i] == pytest.approx(geodesic_area(p), rel=1e-3), pid
        # and to round-off of the polygon's own area in the same projection
        assert covered[i] == pytest.approx(w.polygon_area_m2[i], rel=1e-10), pid
    avg = w.averaging()
    np.testing.assert_allclose(np.asarray(avg.sum(axis=1)).ravel(), 1.0, rtol=1e-12)


def test_polygon_equal_to_a_cell_gets_exactly_that_cell():
    grid = regular_grid()
    j, i = 4, 6
    ring = list(zip(grid.lon_corners[j, i], grid.lat_corners[j, i], strict=True))
    w = compute_weights(grid, {"cell": Polygon(ring)})
    row = w.averaging()[0]
    assert row.nnz == 1
    assert row.indices[0] == j * grid.shape[1] + i
    assert row.data[0] == 1.0
    assert w.covered_area_m2[0] == pytest.approx(
        lonlat_rectangle_area_m2(*grid.lon_corners[j, i, :2], *grid.lat_corners[j, i, 1:3]),
        rel=1e-12,
    )


def test_point_rows_take_the_containing_cell():
    grid = regular_grid()
    w = compute_weights(grid, {}, {"p": (120.93, 31.26)})
    row = w.averaging()[0]
    assert row.nnz == 1 and row.data[0] == 1.0
    j, i = np.unravel_index(row.indices[0], grid.shape)
    assert grid.lon_corners[j, i].min() <= 120.93 <= grid.lon_corners[j, i].max()
    assert grid.lat_corners[j, i].min() <= 31.26 <= grid.lat_corners[j, i].max()


def test_uncovered_catchment_is_named():
    grid = regular_grid()
    with pytest.raises(UserError, match=r"does not cover catchment 'east'.*E"):
        compute_weights(
            grid, {"east": Polygon([(121.3, 31.2), (121.7, 31.2), (121.7, 31.4), (121.3, 31.4)])}
        )


def test_curvilinear_grid_weights():
    # a grid rotated by 20 degrees about its centre, corners by midpoint construction
    ny, nx, d = 12, 14, 0.08
    jj, ii = np.meshgrid(np.arange(ny) - ny / 2 + 0.5, np.arange(nx) - nx / 2 + 0.5, indexing="ij")
    a = math.radians(20)
    lon = 121.0 + d * (ii * math.cos(a) - jj * math.sin(a)) / math.cos(math.radians(31.3))
    lat = 31.3 + d * (ii * math.sin(a) + jj * math.cos(a))
    grid = Grid("y", "x", lon, lat, _corners_2d(lon), _corners_2d(lat), True)
    p = circle(121.0, 31.3, 0.2)
    w = compute_weights(grid, {"c": p})
    assert w.matrix[0].nnz > 15
    assert w.covered_area_m2[0] == pytest.approx(geodesic_area(p), rel=1e-3)
    # every cell's area is counted once: the cells tile the plane without overlap
    total = compute_weights(
        grid, {"all": Polygon([(120.9, 31.2), (121.1, 31.2), (121.1, 31.4), (120.9, 31.4)])}
    )
    assert total.covered_area_m2[0] == pytest.approx(total.polygon_area_m2[0], rel=1e-10)


def test_cache_is_reused_and_keyed_by_polygons(tmp_path, monkeypatch):
    grid = regular_grid()
    polys = {"a": circle(121.0, 31.3, 0.15)}
    w1 = cached_weights(grid, polys, {}, tmp_path)
    assert len(list(tmp_path.glob("weights-*.npz"))) == 1

    def fail(*a, **k):
        raise AssertionError("weights recomputed although cached")

    monkeypatch.setattr(wmod, "compute_weights", fail)
    w2 = cached_weights(grid, polys, {}, tmp_path)
    assert (w1.matrix != w2.matrix).nnz == 0
    assert w2.row_ids == ["a"]
    monkeypatch.undo()
    # another polygon is another key
    cached_weights(grid, {"a": circle(121.0, 31.3, 0.16)}, {}, tmp_path)
    assert len(list(tmp_path.glob("weights-*.npz"))) == 2
