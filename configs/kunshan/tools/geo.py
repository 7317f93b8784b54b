"""Small geometry helpers for building the Kunshan config: distances, polylines, equal-area
polygon areas and clipping, all on lon/lat (WGS84) coordinates.

Distances use the haversine formula on a sphere of radius 6,371,008.8 m (mean Earth radius).
Areas use the Lambert cylindrical equal-area projection on the authalic sphere
(x = R lon, y = R sin lat, R = 6,371,007.2 m), in which the plane area of a polygon equals its
area on the sphere; for polygons a few tens of km across the difference between straight
edges in lon/lat and in the projection is far below 0.1 %.
"""

from __future__ import annotations

import itertools
import math

MEAN_RADIUS_M = 6_371_008.8
AUTHALIC_RADIUS_M = 6_371_007.2

Point = tuple[float, float]


def distance_m(a: Point, b: Point) -> float:
    """Great-circle distance (m) between two (lon, lat) points in degrees."""
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * MEAN_RADIUS_M * math.asin(math.sqrt(h))


def polyline_length_m(points: list[Point]) -> float:
    return sum(distance_m(p, q) for p, q in itertools.pairwise(points))


def project_onto_polyline(points: list[Point], p: Point) -> tuple[float, float]:
    """(distance along the polyline in m, distance from it in m) of the point nearest to p.

    Local equirectangular projection at p; exact enough for placing a point on a river.
    """
    k = math.cos(math.radians(p[1]))

    def xy(q):
        return (q[0] * k * 111_195.0, q[1] * 111_195.0)

    px, py = xy(p)
    best = (math.inf, 0.0)
    along = 0.0
    for a, b in itertools.pairwise(points):
        ax, ay = xy(a)
        bx, by = xy(b)
        dx, dy = bx - ax, by - ay
        seg = math.hypot(dx, dy)
        t = 0.0 if seg == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / seg**2))
        d = math.hypot(ax + t * dx - px, ay + t * dy - py)
        if d < best[0]:
            best = (d, along + t * distance_m(a, b))
        along += distance_m(a, b)
    return best[1], best[0]


def ring_area_m2(ring: list[Point]) -> float:
    """Area (m2) of a closed ring of (lon, lat) points, equal-area projection, always >= 0."""
    xy = [
        (AUTHALIC_RADIUS_M * math.radians(x), AUTHALIC_RADIUS_M * math.sin(math.radians(y)))
        for x, y in ring
    ]
    s = 0.0
    for (x1, y1), (x2, y2) in zip(xy, xy[1:] + xy[:1], strict=True):
        s += x1 * y2 - x2 * y1
    return abs(s) / 2.0


def ring_centroid(ring: list[Point]) -> Point:
    """Area centroid of a ring in lon/lat (planar formula; fine at this scale)."""
    a = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        c = x1 * y2 - x2 * y1
        a += c
        cx += (x1 + x2) * c
        cy += (y1 + y2) * c
    if a == 0:
        n = len(ring)
        return (sum(p[0] for p in ring) / n, sum(p[1] for p in ring) / n)
    return (cx / (3 * a), cy / (3 * a))


def clip_to_box(ring: list[Point], x0: float, x1: float, y0: float, y1: float) -> list[Point]:
    """Sutherland-Hodgman clipping of a (possibly concave) ring by an axis-aligned box.

    The result may hold zero-width slivers where a concave ring leaves and re-enters the box;
    they carry no area.
    """

    def clip(pts, inside, cut):
        out: list[Point] = []
        if not pts:
            return out
        prev = pts[-1]
        for cur in pts:
            if inside(cur):
                if not inside(prev):
                    out.append(cut(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cut(prev, cur))
            prev = cur
        return out

    def at_x(xc):
        return lambda a, b: (xc, a[1] + (b[1] - a[1]) * (xc - a[0]) / (b[0] - a[0]))

    def at_y(yc):
        return lambda a, b: (a[0] + (b[0] - a[0]) * (yc - a[1]) / (b[1] - a[1]), yc)

    pts = list(ring)
    pts = clip(pts, lambda p: p[0] >= x0, at_x(x0))
    pts = clip(pts, lambda p: p[0] <= x1, at_x(x1))
    pts = clip(pts, lambda p: p[1] >= y0, at_y(y0))
    pts = clip(pts, lambda p: p[1] <= y1, at_y(y1))
    return pts


def ellipse(center: Point, a_m: float, b_m: float, n: int = 48) -> list[Point]:
    """Ring approximating an ellipse with semi-axes a_m (east-west) and b_m (north-south)."""
    k = math.cos(math.radians(center[1])) * 111_195.0
    return [
        (
            center[0] + a_m * math.cos(2 * math.pi * i / n) / k,
            center[1] + b_m * math.sin(2 * math.pi * i / n) / 111_195.0,
        )
        for i in range(n)
    ]


def scale_ring(ring: list[Point], factor: float) -> list[Point]:
    """Scale a ring about its centroid by ``factor`` (lengths; area scales by factor**2)."""
    cx, cy = ring_centroid(ring)
    return [(cx + (x - cx) * factor, cy + (y - cy) * factor) for x, y in ring]


def clip_convex(subject: list[Point], clip: list[Point]) -> list[Point]:
    """Sutherland-Hodgman clipping of a (possibly concave) ring by a convex ring."""
    if ring_signed_area(clip) < 0:
        clip = clip[::-1]
    out = list(subject)
    for (ax, ay), (bx, by) in zip(clip, clip[1:] + clip[:1], strict=True):
        if not out:
            break

        def inside(p, ax=ax, ay=ay, bx=bx, by=by):
            return (bx - ax) * (p[1] - ay) - (by - ay) * (p[0] - ax) >= 0

        def cut(p, q, ax=ax, ay=ay, bx=bx, by=by):
            d1 = (bx - ax) * (p[1] - ay) - (by - ay) * (p[0] - ax)
            d2 = (bx - ax) * (q[1] - ay) - (by - ay) * (q[0] - ax)
            t = d1 / (d1 - d2)
            return (p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1]))

        pts, out = out, []
        prev = pts[-1]
        for cur in pts:
            if inside(cur):
                if not inside(prev):
                    out.append(cut(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cut(prev, cur))
            prev = cur
    return out


def ring_signed_area(ring: list[Point]) -> float:
    """Signed planar area in degree units (positive when counter-clockwise)."""
    s = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        s += x1 * y2 - x2 * y1
    return s / 2.0
