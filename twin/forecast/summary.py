"""The forecast summary for the operations platform: per section, daily mean and maximum of
TP, NH3-N and water level over the forecast window, the forecast class and alerts; validated
against the JSON Schema shipped in ``twin/schemas`` before it is published."""

from __future__ import annotations

import json
from datetime import datetime
from importlib import resources

import jsonschema
import numpy as np
import xarray as xr

from ..assess.assessment import NO_CLASS, assessed_indicators, class_name, classify, parse_class
from ..errors import SimulationError

SIMULATED = ("tp", "nh3n")
"""Indicators the forecast simulates; the others of a section's class come from the
config's observed annual means."""


def schema(name: str) -> dict:
    text = resources.files("twin.schemas").joinpath(f"{name}.schema.json").read_text("utf-8")
    return json.loads(text)


def validate(document: dict, name: str) -> None:
    """Raise SimulationError when a product does not match its schema (it is then not
    published)."""
    try:
        jsonschema.validate(document, schema(name), format_checker=jsonschema.FormatChecker())
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path)
        raise SimulationError(
            f"{name} does not match its schema at '{where}': {exc.message}"
        ) from None


def _section_class(kind, values: dict[str, float], observed: dict[str, float]) -> tuple[int, str]:
    """Worst class over the assessed indicators with a value; (class, worst indicator)."""
    worst, which = NO_CLASS, ""
    for ind in assessed_indicators(kind):
        v = values.get(ind, observed.get(ind))
        if v is None or not np.isfinite(v):
            continue
        c = int(classify(ind, v, kind))
        if c > worst:
            worst, which = c, ind
    return worst, which


def build_summary(
    results: xr.Dataset, sections, analysis: datetime, forecast_end: datetime, header: dict
) -> dict:
    """The summary document from a run's results over [analysis, forecast_end].

    ``sections`` are the config's AssessmentSection objects, in the results' order.
    ``header`` holds cycle, model, start and windows entries.
    """
    ds = results.sel(time=slice(np.datetime64(analysis), np.datetime64(forecast_end)))
    if ds.sizes.get("time", 0) < 2:
        raise SimulationError("the forecast window holds fewer than two output times")
    times = ds["time"].values
    days = times.astype("datetime64[D]")
    # A value at midnight closes the previous day's last hour; keep it with that day.
    label_days = (times - np.timedelta64(1, "s")).astype("datetime64[D]")
    label_days[0] = days[0]
    indicators = {ind: "simulated" for ind in SIMULATED}
    out_sections = []
    n_alerts = 0
    for i, sec in enumerate(sections):
        tp = ds["section_tp"].values[i]
        nh = ds["section_nh3n"].values[i]
        z = ds["section_water_level"].values[i]
        day_rows = []
        alerts = []
        target = parse_class(sec.target_class)
        for d in np.unique(label_days[1:]):
            sel = (label_days == d) & (np.arange(times.size) > 0)
            if not sel.any():
                continue
            means = {"tp": float(np.mean(tp[sel])), "nh3n": float(np.mean(nh[sel]))}
            cls, worst = _section_class(sec.kind, means, sec.observed)
            row = {
                "date": str(d),
                "hours": int(sel.sum()),
                "tp_mean_mg_l": means["tp"],
                "tp_max_mg_l": float(np.max(tp[sel])),
                "nh3n_mean_mg_l": means["nh3n"],
                "nh3n_max_mg_l": float(np.max(nh[sel])),
                "water_level_mean_m": float(np.mean(z[sel])),
                "water_level_max_m": float(np.max(z[sel])),
                "class": class_name(cls),
            }
            day_rows.append(row)
            if cls > target:
                alerts.append({
                    "type": "class_worse_than_target",
                    "date": str(d),
                    "indicator": worst,
                    "value": class_name(cls),
                    "threshold": sec.target_class,
                    "message": f"{sec.name}: forecast class {class_name(cls)} on {d} is worse than "
                    f"the target class {sec.target_class} ({worst} {means.get(worst, sec.observed.get(worst)):.3g} mg/L)",
                })  # fmt: skip
            if sec.warning_level_m is not None and row["water_level_max_m"] > sec.warning_level_m:
                alerts.append({
                    "type": "level_above_warning",
                    "date": str(d),
                    "indicator": "water_level",
                    "value": row["water_level_max_m"],
                    "threshold": sec.warning_level_m,
                    "message": f"{sec.name}: water level forecast to reach {row['water_level_max_m']:.2f} m "
                    f"on {d}, above the warning level {sec.warning_level_m:.2f} m",
                })  # fmt: skip
        window = {"tp": float(np.mean(tp[1:])), "nh3n": float(np.mean(nh[1:]))}
        cls, _ = _section_class(sec.kind, window, sec.observed)
        if cls == NO_CLASS:
            raise SimulationError(f"section '{sec.id}' has no finite forecast values to classify")
        for ind in assessed_indicators(sec.kind):
            if ind not in SIMULATED:
                state = "observed" if ind in sec.observed else "not_assessed"
                if indicators.get(ind) != "observed":
                    indicators[ind] = state
        n_alerts += len(alerts)
        out_sections.append({
            "id": sec.id,
            "name": sec.name,
            "kind": sec.kind,
            "target_class": sec.target_class,
            "warning_level_m": sec.warning_level_m,
            "days": day_rows,
            "forecast_class": class_name(cls),
            "target_met": bool(cls <= target),
            "alerts": alerts,
        })  # fmt: skip
    doc = {"schema_version": 1, **header, "indicators": indicators, "sections": out_sections,
           "alert_count": n_alerts}  # fmt: skip
    return doc
