"""Catchment polygons from GeoJSON and exact areas on the WGS84 ellipsoid.

Areas come from the Lambert cylindrical equal-area projection of the ellipsoid (Snyder 1987,
Map Projections - A Working Manual, USGS Professional Paper 1395, eqs. 3-12, 10-15, 10-16):

    x = a k0 (lambda - lambda0),   y = a q(phi) / (2 k0),   k0 = cos(phi_s) / sqrt(1 - e^2 sin^2 phi_s)
    q(phi) = (1 - e^2) [sin phi / (1 - e^2 sin^2 phi) - 1/(2e) ln((1 - e sin phi)/(1 + e sin phi))]

The projection preserves area exactly, and meridians and parallels stay straight lines, so a
grid cell bounded by two meridians and two parallels is an exact rectangle in it. Polygon edges
are taken as straight lines in this projection (for the short edges of catchment outlines the
difference from a geodesic is far below the 0.1 % that matters here).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.validation import explain_validity

from ..errors import UserError

WGS84_A_M = 6378137.0
"""Semi-major axis of the WGS84 ellipsoid (m)."""
WGS84_F = 1.0 / 298.257223563
WGS84_E = float(np.sqrt(WGS84_F * (2.0 - WGS84_F)))


def authalic_q(lat_deg: np.ndarray) -> np.ndarray:
    """Snyder's q(phi) (eq. 3-12), dimensionless, for latitudes in degrees."""
    e = WGS84_E
    s = np.sin(np.radians(np.asarray(lat_deg, dtype=np.float64)))
    return (1.0 - e * e) * (
        s / (1.0 - e * e * s * s) - np.log((1.0 - e * s) / (1.0 + e * s)) / (2 * e)
    )


class EqualArea:
    """Cylindrical equal-area projection with standard parallel ``lat0_deg`` and central
    meridian ``lon0_deg``: lon/lat (deg) -> x/y (m), exact areas on WGS84."""

    def __init__(self, lon0_deg: float, lat0_deg: float):
        self.lon0 = float(lon0_deg)
        self.lat0 = float(lat0_deg)
        s = np.sin(np.radians(self.lat0))
        self.k0 = float(np.cos(np.radians(self.lat0)) / np.sqrt(1.0 - WGS84_E**2 * s * s))

    def forward(self, lon_deg, lat_deg) -> tuple[np.ndarray, np.ndarray]:
        x = WGS84_A_M * self.k0 * np.radians(np.asarray(lon_deg, np.float64) - self.lon0)
        y = WGS84_A_M * authalic_q(lat_deg) / (2.0 * self.k0)
        return x, y

    def geometry(self, geom):
        """Project a shapely geometry given in lon/lat."""

        def f(coords):
            x, y = self.forward(coords[:, 0], coords[:, 1])
            return np.column_stack([x, y])

        return shapely.transform(geom, f)


def lonlat_rectangle_area_m2(lon0, lon1, lat0, lat1) -> float:
    """Exact area (m2) of the region between two meridians and two parallels on WGS84:
    A = a^2 |dlambda| |q(phi1) - q(phi0)| / 2 (Snyder 1987, from eq. 3-12)."""
    dq = authalic_q(np.array([lat1]))[0] - authalic_q(np.array([lat0]))[0]
    return float(WGS84_A_M**2 * abs(np.radians(lon1 - lon0)) * abs(dq) / 2.0)


def _features(data) -> list[dict]:
    if not isinstance(data, dict):
        return []
    if data.get("type") == "FeatureCollection":
        return [f for f in data.get("features", []) if isinstance(f, dict)]
    if data.get("type") == "Feature":
        return [data]
    return []


def read_geojson(path: Path) -> list[dict]:
    """Features of a GeoJSON file; UserError naming the file if it cannot be read."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{path}: catchment file not found") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(f"{path}: not a readable GeoJSON file ({exc})") from None
    feats = _features(data)
    if not feats:
        raise UserError(f"{path}: no GeoJSON features (expected a FeatureCollection)")
    return feats


def catchment_polygon(path: Path, id_property: str, cid: str, features: list[dict] | None = None):
    """The (Multi)Polygon of catchment ``cid`` (lon/lat degrees) from a GeoJSON file.

    Raises UserError naming the file, the catchment and the problem (missing feature, not a
    polygon, invalid ring, coordinates outside lon/lat ranges).
    """
    feats = read_geojson(path) if features is None else features
    found = [f for f in feats if str((f.get("properties") or {}).get(id_property, "")) == str(cid)]
    if not found:
        ids = sorted(str((f.get("properties") or {}).get(id_property, "")) for f in feats)
        listed = ", ".join(ids[:8]) + (" ..." if len(ids) > 8 else "")
        raise UserError(
            f"{path}: no feature with {id_property} = '{cid}' for catchment '{cid}' "
            f"(features have: {listed or 'no such property'})"
        )
    if len(found) > 1:
        raise UserError(
            f"{path}: {len(found)} features with {id_property} = '{cid}'; ids must be unique"
        )
    try:
        geom = shape(found[0].get("geometry"))
    except Exception as exc:  # shapely raises several types for malformed geometry
        raise UserError(f"{path}: catchment '{cid}': malformed geometry ({exc})") from None
    if geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_empty:
        raise UserError(
            f"{path}: catchment '{cid}': geometry is a {geom.geom_type}, expected a Polygon or MultiPolygon"
        )
    xmin, ymin, xmax, ymax = geom.bounds
    if xmin < -180 or xmax > 360 or ymin < -90 or ymax > 90:
        raise UserError(
            f"{path}: catchment '{cid}': coordinates are not lon/lat degrees "
            f"(bounds {geom.bounds}); GeoJSON must be WGS84 lon/lat"
        )
    if not geom.is_valid:
        reason = explain_validity(geom)
        raise UserError(f"{path}: catchment '{cid}': invalid polygon ({reason}); fix the outline")
    return geom


def polygon_area_m2(geom_lonlat) -> float:
    """Exact ellipsoidal area (m2) of a lon/lat polygon with edges straight in the
    cylindrical equal-area projection."""
    xmin, ymin, xmax, ymax = geom_lonlat.bounds
    proj = EqualArea(0.5 * (xmin + xmax), 0.5 * (ymin + ymax))
    return float(proj.geometry(geom_lonlat).area)
