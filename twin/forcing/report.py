"""The forcing report: every catchment's and source's series in one xarray Dataset."""

from __future__ import annotations

import numpy as np
import xarray as xr

from .loads import LOAD_SPECIES


def build_report(times, step, catchments, g, pet, runoff, inflows, plants, air, water, notes):
    """Dataset with dimensions time, catchment and inflow (CF units strings)."""
    t = (np.asarray(times) * 1e9).astype("datetime64[ns]")
    ds = xr.Dataset(coords={"time": ("time", t)})
    ds["time"].attrs.update(standard_name="time", long_name="start of the forcing interval")
    ds["air_temperature"] = ("time", np.asarray(air), {"units": "degC",
                             "long_name": "air temperature, area-weighted"})  # fmt: skip
    ds["water_temperature"] = ("time", np.asarray(water), {"units": "degC",
                               "long_name": "water temperature"})  # fmt: skip
    nc = len(catchments)
    if nc:
        ds = ds.assign_coords(catchment=("catchment", [c.id for c in catchments]))
    if g is not None and nc:
        mmh = 1000.0 * 3600.0
        ds["catchment_area"] = ("catchment", g.weights.polygon_area_m2[:nc], {"units": "m2"})
        ds["precipitation"] = (
            ("catchment", "time"),
            g.precipitation_m_s[:nc] * mmh,
            {"units": "mm h-1", "long_name": "catchment-mean precipitation"},
        )
        ds["catchment_air_temperature"] = (
            ("catchment", "time"),
            g.air_temperature_c[:nc],
            {"units": "degC"},
        )
        ds["potential_evaporation"] = (
            ("catchment", "time"),
            pet[:nc] * mmh,
            {"units": "mm h-1", "long_name": "reference evaporation"},
        )
    if runoff is not None:
        for name, arr, units, long in (
            ("runoff", runoff.runoff_m3s, "m3 s-1", "runoff to the river, pumped plus direct"),
            ("polder_pumping", runoff.pump_m3s, "m3 s-1", "pumped out of the polder"),
            ("withdrawal", runoff.withdrawal_m3s, "m3 s-1", "irrigation and pond make-up, <= 0"),
            ("evaporation", runoff.evaporation_m3s, "m3 s-1", "actual evapotranspiration"),
            ("storage", runoff.storage_m3, "m3", "water stored at the end of the interval"),
        ):
            ds[f"catchment_{name}"] = (
                ("catchment", "time"),
                arr,
                {"units": units, "long_name": long},
            )
        ds["catchment_initial_storage"] = ("catchment", runoff.initial_storage_m3, {"units": "m3"})
    if inflows:
        ds = ds.assign_coords(
            inflow=("inflow", [f.id for f in inflows]),
            group=("inflow", [f.group for f in inflows]),
            tags=("inflow", [",".join(f.tags) for f in inflows]),
        )
        ds["inflow"].attrs["cf_role"] = "timeseries_id"
        ds["discharge"] = (
            ("inflow", "time"),
            np.stack([f.discharge_m3s for f in inflows]),
            {"units": "m3 s-1", "long_name": "discharge into the network"},
        )
        for sp in LOAD_SPECIES:
            ds[f"load_{sp}"] = (
                ("inflow", "time"),
                np.stack([np.broadcast_to(f.load_g_s.get(sp, 0.0), times.shape) for f in inflows]),
                {"units": "g s-1", "long_name": f"{sp} load into the network"},
            )
        ds["load_tn"] = ds["load_on"] + ds["load_nh3n"] + ds["load_no3n"]
        ds["load_tn"].attrs.update(units="g s-1", long_name="total nitrogen load")
        ds["load_tp"] = ds["load_op"] + ds["load_po4p"]
        ds["load_tp"].attrs.update(units="g s-1", long_name="total phosphorus load")
    if plants:
        ds = ds.assign_coords(wwtp=("wwtp", list(plants)))
        for key, long in (
            ("influent_m3s", "sewage arriving at the plant"),
            ("treated_m3s", "sewage treated (up to capacity)"),
            ("bypass_m3s", "sewage bypassed or overflowing untreated"),
        ):
            ds[f"wwtp_{key.removesuffix('_m3s')}"] = (
                ("wwtp", "time"),
                np.stack([plants[p][key] for p in plants]),
                {"units": "m3 s-1", "long_name": long},
            )
    ds.attrs.update(
        title="twin forcing report",
        Conventions="CF-1.8",
        forcing_step_s=float(step),
        notes="; ".join(notes),
    )
    return ds
