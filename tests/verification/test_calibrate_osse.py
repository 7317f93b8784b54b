"""Calibration by ES-MDA in an observing-system experiment (OSSE).

A small looped tidal network with water quality (built here, in code): a river brings water
into a loop of three reaches around a lake, a factory discharges into the loop, and the loop
drains to a tidal boundary. A truth run with known parameters is sampled at three stations
(two sections and the lake) every three hours (water level, NH3-N, TP) with Gaussian noise of
the stated observation errors; the observations are labelled synthetic. Six unknown
parameters start from wide priors:

- a multiplier on every cross-section's Manning n,
- the nitrification rate and the organic P settling velocity,
- a multiplier on the river's TP concentration and one on the factory's flow,
- the denitrification rate, which no observation sees (NO3-N and TN are not observed).

ES-MDA with 32 members and 4 iterations must bring every truth inside its posterior 90 %
band, cut the mean objective of the ensemble by at least 10x, and leave the denitrification
rate near its prior (posterior sd / prior sd > 0.7 in the transformed space).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

START = "2024-06-01T00:00:00"
END = "2024-06-03T00:00:00"

TRUTH = {
    "manning": 1.2,
    "nitrification": 0.35,
    "op_settling": 0.25,
    "river_tp": 0.8,
    "factory_flow": 1.3,
    "denitrification": 0.05,
}
"""Values of the truth run, in each parameter's own units (multipliers or rates)."""

ERRORS = {"water_level": 0.02, "nh3n": 0.04, "tp": 0.01}
"""Observation error sd (canonical units): m, mg/L, mg/L."""


def model_toml(
    manning: float = 1.0,
    nitrification: float = 0.2,
    op_settling: float = 0.1,
    river_tp: float = 1.0,
    factory_flow: float = 1.0,
    denitrification: float = 0.02,
) -> str:
    """The OSSE model, with the given parameter values (defaults: the uncalibrated model)."""
    reaches = [
        ("inflow", "src", "n0", 3000),
        ("north_1", "n0", "n1", 3000),
        ("north_2", "n1", "n2", 3000),
        ("south_1", "n0", "lake", 3000),
        ("south_2", "lake", "n2", 3000),
        ("rung", "n1", "lake", 2000),
        ("mouth", "n2", "sea", 3000),
    ]
    xy = {
        "src": (-3000, 1000), "n0": (0, 1000), "n1": (3000, 2000), "lake": (3000, 0),
        "n2": (6000, 1000), "sea": (9000, 1000),
    }  # fmt: skip
    text = f"""
[model]
name = "osse"
coordinates = "xy_m"

[run]
start = {START}
end = {END}
dt_s = 600
output_interval_s = 1800
map_interval_s = 86400
[run.hydro]
initial_level_m = 2.0
"""
    for nid, (x, y) in xy.items():
        text += f'[[nodes]]\nid = "{nid}"\nx = {x}\ny = {y}\n'
        if nid == "lake":
            text += (
                'kind = "storage"\nbed_level_m = -1.0\n'
                "storage = { level_m = [-1.0, 5.0], area_m2 = [1.0e6, 1.0e6] }\n"
            )
    for sid, width, n in (("wide", 30, 0.025), ("narrow", 12, 0.03)):
        text += (
            f'[[cross_sections]]\nid = "{sid}"\nshape = "trapezoidal"\nbottom_width_m = {width}\n'
            f"side_slope = 2.0\nheight_m = 8\nmanning_n = {n * manning!r}\n"
        )
    for rid, a, b, length in reaches:
        sec = "narrow" if rid in ("south_1", "south_2", "rung") else "wide"
        text += (
            f'[[reaches]]\nid = "{rid}"\nfrom_node = "{a}"\nto_node = "{b}"\n'
            f"length_m = {length}\ndx_m = 500\nbed_level_from_m = -2.0\nbed_level_to_m = -2.0\n"
            f'sections = [{{ chainage_m = 0, section = "{sec}" }}]\n'
        )
    text += f"""
[[boundaries]]
node = "src"
kind = "discharge"
discharge_m3s = 10.0
concentrations = {{ tp = {0.2 * river_tp!r}, nh3n = 1.5, no3n = 1.0, on = 0.3 }}

[[boundaries]]
node = "sea"
kind = "tide"
mean_level_m = 2.0
constituents = [{{ name = "M2", amplitude_m = 0.8, phase_deg = 0 }}]
concentrations = {{ tp = 0.1, nh3n = 0.3, no3n = 1.0 }}

[[sources]]
kind = "point"
id = "factory"
reach = "north_2"
chainage_m = 1000
flow_m3d = {20000.0 * factory_flow!r}
concentrations = {{ tp = 4.0, nh3n = 8.0 }}
tags = ["phosphorus"]

[quality]
initial_mg_l = {{ tp = 0.25, nh3n = 1.2, no3n = 1.0, on = 0.3 }}
temperature_c = 20.0
[quality.kinetics]
nitrification_per_d = {nitrification!r}
op_settling_m_per_d = {op_settling!r}
denitrification_per_d = {denitrification!r}

[forcing]
lake_surfaces = false

[[sections]]
id = "s_north"
name = "north river"
target_class = "III"
kind = "river"
reach = "north_1"
chainage_m = 2000

[[sections]]
id = "s_mouth"
name = "mouth"
target_class = "III"
kind = "river"
reach = "mouth"
chainage_m = 1000
"""
    return text


PARAMETERS = """
[[parameters]]
name = "manning"
path = "cross_sections.manning_n"
transform = "multiply"
prior = { distribution = "lognormal", median = 1.0, factor = 1.3, low = 0.6, high = 1.7 }

[[parameters]]
name = "nitrification"
path = "quality.kinetics.nitrification_per_d"
prior = { distribution = "lognormal", median = 0.2, factor = 2.0 }

[[parameters]]
name = "op_settling"
path = "quality.kinetics.op_settling_m_per_d"
prior = { distribution = "uniform", low = 0.01, high = 0.6 }

[[parameters]]
name = "river_tp"
path = "boundaries.concentrations.tp"
ids = ["src"]
transform = "multiply"
prior = { distribution = "lognormal", median = 1.0, factor = 1.5 }

[[parameters]]
name = "factory_flow"
path = "sources.flow_m3d"
tags = ["phosphorus"]
transform = "multiply"
prior = { distribution = "lognormal", median = 1.0, factor = 1.5 }

[[parameters]]
name = "denitrification"
path = "quality.kinetics.denitrification_per_d"
prior = { distribution = "uniform", low = 0.005, high = 0.1 }

[calibration]
localize = 2.0

[observation_errors]
water_level = { sd = 0.02 }
nh3n = { sd = 0.04 }
tp = { sd = 0.01 }
"""

STATIONS = {"s_north": "section", "s_mouth": "section", "lake": "storage"}
EVERY = 6
"""Observe every 6th output (every 3 hours)."""


def write_truth_observations(run: Path, path: Path, seed: int = 7) -> int:
    """Observations of the truth run (instant values every 3 h after the first 6 h) with
    Gaussian noise of ``ERRORS``, labelled synthetic; returns their number."""
    rng = np.random.default_rng(seed)
    rows = []
    with xr.open_dataset(run / "results.nc") as ds:
        times = ds["time"].values
        for st, dim in STATIONS.items():
            i = [str(x) for x in ds[f"{dim}_id"].values].index(st)
            for q in ("water_level", "nh3n", "tp"):
                v = ds[f"{dim}_{q}"].values[i]
                for k in range(12, len(times), EVERY):
                    iso = np.datetime_as_string(times[k], unit="s") + "Z"
                    noisy = v[k] + ERRORS[q] * rng.standard_normal()
                    rows.append([st, iso, q, max(noisy, 0.0) if q != "water_level" else noisy])
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["station_id", "time", "quantity", "value", "units", "source", "confidence"])
        for st, iso, q, v in rows:
            unit = "m" if q == "water_level" else "mg/L"
            w.writerow([st, iso, q, f"{v:.6f}", unit, "OSSE truth run plus noise", "synthetic"])
    return len(rows)


@pytest.mark.slow
def test_esmda_recovers_the_truth_of_a_looped_tidal_network(tmp_path):
    from twin.calibrate.driver import calibrate
    from twin.calibrate.members import sampled
    from twin.config import load_config
    from twin.observe.skill import pair
    from twin.run.runner import run_scenario

    (tmp_path / "truth.toml").write_text(model_toml(**TRUTH), encoding="utf-8")
    (tmp_path / "model.toml").write_text(model_toml(), encoding="utf-8")
    (tmp_path / "params.toml").write_text(PARAMETERS, encoding="utf-8")
    run_scenario(tmp_path / "truth.toml", tmp_path / "truth", products=False)
    n_obs = write_truth_observations(tmp_path / "truth", tmp_path / "obs.csv")
    cal = calibrate(
        tmp_path / "model.toml",
        [tmp_path / "obs.csv"],
        tmp_path / "params.toml",
        tmp_path / "cal",
        members=32,
        iterations=4,
        seed=3,
        scheduler="synchronous",
    )
    names = [p.name for p in cal.parameters]
    q05, q95 = np.quantile(cal.posterior, [0.05, 0.95], axis=0)
    for i, name in enumerate(names):
        assert q05[i] <= TRUTH[name] <= q95[i], (name, q05[i], TRUTH[name], q95[i])
    o0, o1 = cal.objective[0], cal.objective[-1]
    assert o1["mean"] * 10 <= o0["mean"], (o0, o1)
    i_den = names.index("denitrification")
    assert cal.ratio[i_den] > 0.7, cal.ratio
    assert not cal.dropped
    assert len(cal.observations) == n_obs and cal.observations.synthetic
    # members read only what the observations need, and sample the same values
    results = tmp_path / "cal" / "runs" / "prior_median" / "results.nc"
    with xr.open_dataset(results) as ds:
        full = pair(ds.load(), cal.observations).sim
    assert np.array_equal(sampled(results, cal.observations), full)
    # the calibrated model is a complete model file with the posterior medians
    calibrated = load_config(tmp_path / "cal" / "calibrated.toml")
    n = [s.manning_n for s in calibrated.model.cross_sections]
    assert n == pytest.approx([0.025 * cal.posterior_median[0], 0.03 * cal.posterior_median[0]])
    for name in ("prior.csv", "posterior.csv", "objective.csv", "objective.png", "constrained.csv",
                 "summary.txt", "runs/posterior_median/skill/skill.csv",
                 "runs/prior_median/skill/skill.csv", "figures/denitrification.png"):  # fmt: skip
        assert (tmp_path / "cal" / name).is_file(), name


@pytest.mark.slow
def test_the_same_seed_gives_the_same_calibration(tmp_path):
    """Two calibrations with one seed, by the function and by the command, write identical
    ensembles, objectives and calibrated models."""
    from twin.calibrate.driver import calibrate
    from twin.cli import main

    (tmp_path / "model.toml").write_text(model_toml(), encoding="utf-8")
    (tmp_path / "params.toml").write_text(PARAMETERS, encoding="utf-8")
    obs = tmp_path / "obs.csv"
    obs.write_text(
        "station_id,time,quantity,value,units,confidence\n"
        "s_north,2024-06-01T12:00Z,tp,0.2,mg/L,synthetic\n"
        "lake,2024-06-02T12:00Z,nh3n,1.0,mg/L,synthetic\n"
        "s_mouth,2024-06-02T00:00Z,water_level,2.0,m,synthetic\n",
        encoding="utf-8",
    )
    calibrate(tmp_path / "model.toml", [obs], tmp_path / "params.toml", tmp_path / "a",
              members=4, iterations=1, seed=5, scheduler="synchronous")  # fmt: skip
    code = main(["calibrate", str(tmp_path / "model.toml"), "--observed", str(obs),
                 "--parameters", str(tmp_path / "params.toml"), "--out", str(tmp_path / "b"),
                 "--members", "4", "--iterations", "1", "--seed", "5",
                 "--scheduler", "synchronous"])  # fmt: skip
    assert code == 0
    for name in ("prior.csv", "posterior.csv", "objective.csv", "calibrated.toml"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
