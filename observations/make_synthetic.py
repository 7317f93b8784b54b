"""Make the SYNTHETIC Kunshan observation set (observations/kunshan_synthetic.csv) for trying
`twin skill` and `twin calibrate`: a twin run of the baseline with documented perturbed
parameters (the "truth"), sampled where the real monitoring network would be, plus noise.

    .venv/bin/python observations/make_synthetic.py

Every value is labelled ``confidence = synthetic``. It is not data about Kunshan: it shows
what the loop recovers when the model's structure is right and only parameters are off.

Truth: the baseline with TRUTH applied (multipliers on the baseline values), run from
2024-01-01 (a cold start, three months before the first observation) to 2024-07-01 UTC.
Sampled 2024-04-01 to 2024-07-01: water levels hourly at LEVEL_STATIONS (noise: Gaussian,
sd LEVEL_NOISE_M); NH3-N, TP and TN every 4 hours at QUALITY_STATIONS, the six border
sections and the Dianshan and Yangcheng lake stations, as the automatic stations report
(noise: multiplicative lognormal, sd of the log QUALITY_NOISE_LOG). Seeded: the same
file every time on the same machine.
"""

from __future__ import annotations

import csv
import dataclasses
import sys
import tempfile
from datetime import datetime
from pathlib import Path

import numpy as np
import xarray as xr

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from twin.config.scenario import load_scenario  # noqa: E402
from twin.run.runner import run_scenario  # noqa: E402

TRUTH = {
    "cross_sections.manning_n": 1.15,
    "quality.kinetics.nitrification_per_d": 1.5,
    "quality.kinetics.op_settling_m_per_d": 1.6,
    "quality.kinetics.denitrification_per_d": 2.0,
}
"""Multipliers of the baseline values in the truth run."""

LEVEL_STATIONS = ("sec_wusong_shipu", "sec_lou_east", "sec_dianfeng", "sec_dsh_centre")
QUALITY_STATIONS = (
    "sec_wusong_shipu", "sec_qiandengpu", "sec_jishuigang", "sec_dazhushe",
    "sec_yantie_xinxing", "sec_liuhe_taihe", "sec_dsh_centre", "sec_ych_east",
)  # fmt: skip
LEVEL_NOISE_M = 0.02
QUALITY_NOISE_LOG = 0.10
START = np.datetime64("2024-04-01T00:00")
END = np.datetime64("2024-07-01T00:00")
SEED = 2024
SOURCE = "synthetic (observations/make_synthetic.py)"


def truth_config():
    cfg = load_scenario(ROOT / "scenarios" / "baseline.toml")
    m = cfg.model
    sections = [
        x.model_copy(update={"manning_n": x.manning_n * TRUTH["cross_sections.manning_n"]})
        if getattr(x, "manning_n", None) is not None
        else x
        for x in m.cross_sections
    ]
    kin = m.quality.kinetics
    kin = kin.model_copy(
        update={
            k.rsplit(".", 1)[1]: getattr(kin, k.rsplit(".", 1)[1]) * f
            for k, f in TRUTH.items()
            if k.startswith("quality.kinetics.")
        }
    )
    model = m.model_copy(
        update={
            "cross_sections": sections,
            "quality": m.quality.model_copy(update={"kinetics": kin}),
        }
    )
    run = cfg.run.model_copy(update={"end": datetime(2024, 7, 1)})
    return dataclasses.replace(cfg, name="synthetic_truth", model=model, run=run)


def main() -> int:
    rng = np.random.default_rng(SEED)
    with tempfile.TemporaryDirectory() as tmp:
        run_scenario(truth_config(), Path(tmp) / "truth")
        with xr.open_dataset(Path(tmp) / "truth" / "results.nc") as ds:
            ds = ds.load()
    ids = [str(x) for x in ds["section_id"].values]
    t = ds["time"].values
    keep = (t >= START) & (t <= END)
    rows = []
    for st in LEVEL_STATIONS:
        z = ds["section_water_level"].values[ids.index(st)]
        for ti in np.nonzero(keep)[0]:
            rows.append(
                (st, t[ti], "water_level", z[ti] + LEVEL_NOISE_M * rng.standard_normal(), "m")
            )
    four_hourly = keep & ((t - START) % np.timedelta64(4, "h") == np.timedelta64(0, "h"))
    for st in QUALITY_STATIONS:
        for q in ("nh3n", "tp", "tn"):
            c = ds[f"section_{q}"].values[ids.index(st)]
            for ti in np.nonzero(four_hourly)[0]:
                v = c[ti] * np.exp(QUALITY_NOISE_LOG * rng.standard_normal())
                rows.append((st, t[ti], q, v, "mg/L"))
    out = ROOT / "observations" / "kunshan_synthetic.csv"
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["station_id", "time", "quantity", "value", "units", "source", "confidence"])
        for st, ti, q, v, u in rows:
            iso = str(ti.astype("datetime64[m]")) + "Z"
            w.writerow([st, iso, q, f"{v:.4g}", u, SOURCE, "synthetic"])
    print(f"{len(rows)} synthetic values in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
