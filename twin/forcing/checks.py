"""Checks of the input files a config names, made when it is loaded for a run: each
catchment's GeoJSON file holds a valid polygon of about its declared area, and every forcing
file or pattern finds a file.

``check_input_files`` is passed to ``twin.config.loader.load_config`` (``twin.run.load`` does),
so that these problems are reported with those of the config itself, in one ``ConfigError``.
"""

from __future__ import annotations

from ..config.loaded import LoadedConfig
from ..errors import ConfigIssue, UserError
from .geometry import catchment_polygon, polygon_area_m2, read_geojson
from .gridded import expand_files

AREA_TOLERANCE = 0.05
"""Largest relative difference between a catchment's declared area and its polygon's."""


def check_input_files(cfg: LoadedConfig) -> list[ConfigIssue]:
    """Every problem with the catchment polygons and forcing files of ``cfg``."""
    issues = _catchment_polygons(cfg)
    f = cfg.model.forcing
    if f is not None:
        try:
            expand_files(list(f.files))
        except UserError as exc:
            where = cfg.locate("forcing", None, "files")
            issues.append(ConfigIssue(*where, str(exc), "check the paths and patterns"))
    return issues


def _catchment_polygons(cfg: LoadedConfig) -> list[ConfigIssue]:
    """The catchment's feature exists in its GeoJSON, is a valid polygon, and matches the
    declared area within ``AREA_TOLERANCE``."""
    issues: list[ConfigIssue] = []

    def add(i: int, fieldname: str, message: str, fix: str) -> None:
        issues.append(ConfigIssue(*cfg.locate("catchments", i, fieldname), message, fix))

    features: dict = {}  # each file is read once
    for i, c in enumerate(cfg.model.catchments):
        if not c.geojson.exists():
            add(
                i,
                "geojson",
                f"file {c.geojson} not found",
                "check the path (relative to this file)",
            )
            continue
        try:
            feats = features.get(c.geojson)
            if feats is None:
                feats = features[c.geojson] = read_geojson(c.geojson)
            geom = catchment_polygon(c.geojson, c.id_property, c.id, feats)
        except UserError as exc:
            add(i, "geojson", str(exc), "fix the GeoJSON file or the id")
            continue
        if c.area_km2 is not None:
            area = polygon_area_m2(geom) / 1e6
            if abs(area - c.area_km2) > AREA_TOLERANCE * c.area_km2:
                add(
                    i,
                    "area_km2",
                    f"declared {c.area_km2} km2 but the polygon has {area:.2f} km2",
                    "correct area_km2 or the polygon",
                )
    return issues
