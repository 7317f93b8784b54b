"""The Kunshan baseline end to end through the command line, shortened to a few days:
results, balances, and compliance.csv checked against the GB 3838-2002 limits applied
independently to the annual means in sections.csv."""

import csv
import json
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from twin.cli import main

pytestmark = pytest.mark.slow  # a Kunshan run, 9 s

ROOT = Path(__file__).resolve().parents[2]

# GB 3838-2002 Table 1, Class I..V upper limits (mg/L), typed again here on purpose.
LIMITS = {
    ("river", "nh3n"): (0.15, 0.5, 1.0, 1.5, 2.0),
    ("lake", "nh3n"): (0.15, 0.5, 1.0, 1.5, 2.0),
    ("river", "tp"): (0.02, 0.1, 0.2, 0.3, 0.4),
    ("lake", "tp"): (0.01, 0.025, 0.05, 0.1, 0.2),
    ("lake", "tn"): (0.2, 0.5, 1.0, 1.5, 2.0),
}
NAMES = ("I", "II", "III", "IV", "V", "劣V")


def gb_class(kind: str, indicator: str, value: float) -> str:
    for name, limit in zip(NAMES, LIMITS[(kind, indicator)], strict=False):
        if value <= limit * (1 + 1e-9):
            return name
    return NAMES[-1]


@pytest.fixture(scope="module")
def baseline_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kunshan")
    scenario = folder / "short.toml"
    scenario.write_text(
        "[scenario]\n"
        'name = "baseline-short"\n'
        f'inherits = "{(ROOT / "scenarios" / "baseline.toml").as_posix()}"\n\n'
        "[run]\nstart = 2024-07-01T00:00:00\nend = 2024-07-04T00:00:00\n"
    )
    out = folder / "out"
    assert main(["run", str(scenario), "--out", str(out)]) == 0
    return out


def test_results_folder_is_complete(baseline_run):
    names = {p.name for p in baseline_run.iterdir()}
    assert {
        "results.nc", "sections.csv", "compliance.csv", "mass_balance.json",
        "config.resolved.toml", "run.log", "plots",
    } <= names  # fmt: skip
    assert {"map_tp.png", "profile.png", "sections.png"} <= {
        p.name for p in (baseline_run / "plots").iterdir()
    }


def test_water_and_mass_balances_close(baseline_run):
    balance = json.loads((baseline_run / "mass_balance.json").read_text())
    assert abs(balance["water"]["relative_error"]) < 1e-6
    for species, b in balance["quality"].items():
        assert abs(b["relative_error"]) < 1e-6, species


def test_compliance_classes_follow_gb3838_limits_on_annual_means(baseline_run):
    sums = defaultdict(float)
    counts = defaultdict(int)
    kinds = {}
    with open(baseline_run / "sections.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["indicator"] in ("tp", "nh3n", "tn") and row["value"]:
                key = (row["section_id"], row["indicator"])
                n = int(row["n_samples"])
                sums[key] += float(row["value"]) * n
                counts[key] += n
                kinds[row["section_id"]] = row["kind"]
    with open(baseline_run / "compliance.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    sections = [r for r in rows if r["section_id"] != "ALL"]
    assert len(sections) == len(kinds) >= 10
    in_i_to_iii = 0
    for r in sections:
        sid, kind = r["section_id"], r["kind"]
        assert kind == kinds[sid]
        worst = 0
        for ind in ("nh3n", "tp") + (("tn",) if kind == "lake" else ()):
            mean = sums[(sid, ind)] / counts[(sid, ind)]
            assert float(r[f"{ind}_mean_mg_l"]) == pytest.approx(mean, rel=1e-5)
            expected = gb_class(kind, ind, mean)
            assert r[f"{ind}_class"] == expected, (sid, ind, mean)
            if ind != "tn":  # lake TN is assessed separately (DESIGN §4)
                worst = max(worst, NAMES.index(expected))
        assert r["section_class"] == NAMES[worst]
        in_i_to_iii += worst <= 2
    (total,) = [r for r in rows if r["section_id"] == "ALL"]
    assert float(total["compliance_rate"]) == pytest.approx(in_i_to_iii / len(sections))


def test_results_have_the_kunshan_sections_and_flows(baseline_run):
    ds = xr.open_dataset(baseline_run / "results.nc")
    ids = list(ds["section_id"].values)
    assert "sec_wusong_shipu" in ids
    q = ds["section_discharge"].sel(section=ids.index("sec_wusong_shipu")).values
    assert np.all(np.isfinite(q))
    tp = ds["section_tp"].values
    assert np.all(tp >= 0) and np.all(np.isfinite(tp))
