"""`twin skill` on a real run of the example scenario: observations taken from the run itself
score perfectly, noisy ones by the noise; bad observations exit 2 naming every problem."""

from __future__ import annotations

import csv

import numpy as np
import pytest
import xarray as xr

from twin.cli import main
from twin.run.runner import run_scenario


@pytest.fixture(scope="module")
def example_run(tmp_path_factory, request):
    root = request.config.rootpath
    out = tmp_path_factory.mktemp("run")
    run_scenario(root / "scenarios" / "example.toml", out)
    return out


def _observations(run, path, noise_mg_l=0.0, seed=1):
    """Hourly TP and levels at the first section from results.nc, 4-hourly, with Gaussian
    noise on TP; written with a +08:00 offset (the run is in UTC)."""
    rng = np.random.default_rng(seed)
    with xr.open_dataset(run / "results.nc") as ds:
        sid = str(ds["section_id"].values[0])
        t = ds["time"].values[::4]
        tp = ds["section_tp"].values[0, ::4]
        z = ds["section_water_level"].values[0, ::4]
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["station_id", "time", "quantity", "value", "units", "confidence"])
        for ti, a, b in zip(t, tp, z, strict=True):
            local = (ti + np.timedelta64(8, "h")).astype("datetime64[s]").item()
            iso = local.isoformat() + "+08:00"
            w.writerow(
                [sid, iso, "tp", a + noise_mg_l * rng.standard_normal(), "mg/L", "synthetic"]
            )
            w.writerow([sid, iso, "water_level", b * 100, "cm", "synthetic"])
    return sid


def _skill(run):
    with (run / "skill" / "skill.csv").open(encoding="utf-8") as fh:
        return {(r["station"], r["quantity"]): r for r in csv.DictReader(fh)}


def test_observations_from_the_run_itself_score_perfectly(example_run, tmp_path):
    sid = _observations(example_run, tmp_path / "obs.csv")
    assert main(["skill", str(example_run), "--observed", str(tmp_path / "obs.csv")]) == 0
    rows = _skill(example_run)
    for q in ("tp", "water_level"):
        r = rows[(sid, q)]
        assert abs(float(r["bias"])) < 1e-12 and float(r["rmse"]) < 1e-12
        assert float(r["nse"]) == pytest.approx(1.0, abs=1e-12)
        assert r["synthetic"] == "true"
    assert (example_run / "skill" / "plots" / f"{sid}.png").stat().st_size > 1000


def test_noise_shows_in_the_rmse(example_run, tmp_path):
    sid = _observations(example_run, tmp_path / "obs.csv", noise_mg_l=0.01)
    assert main(["skill", str(example_run), "--observed", str(tmp_path / "obs.csv")]) == 0
    r = _skill(example_run)[(sid, "tp")]
    n = int(r["n"])
    # RMSE of n Gaussian draws with sd 0.01: within 4 standard errors (sd / sqrt(2n))
    assert abs(float(r["rmse"]) - 0.01) < 4 * 0.01 / np.sqrt(2 * n)


def test_bad_observations_exit_2_with_every_problem(example_run, tmp_path, capsys):
    p = tmp_path / "bad.csv"
    p.write_text(
        "station_id,time,quantity,value,units\n"
        "nowhere,2024-01-02T00:00Z,tp,0.1,mg/L\n"
        "outlet_mid,2030-01-02T00:00Z,tp,0.1,mg/L\n",
        encoding="utf-8",
    )
    assert main(["skill", str(example_run), "--observed", str(p)]) == 2
    err = capsys.readouterr().err
    assert "station 'nowhere'" in err and "outside the period" in err
    assert "Traceback" not in err


def _scenario(tmp_path, root, obs):
    s = tmp_path / "scored.toml"
    s.write_text(
        f"""[scenario]
name = "scored"
inherits = "{(root / "scenarios" / "example.toml").as_posix()}"

[observations]
files = ["{obs.name}"]
""",
        encoding="utf-8",
    )
    return s


def test_a_run_with_observations_scores_itself(example_run, tmp_path, request):
    sid = _observations(example_run, tmp_path / "obs.csv")
    s = _scenario(tmp_path, request.config.rootpath, tmp_path / "obs.csv")
    assert main(["run", str(s), "--out", str(tmp_path / "run")]) == 0
    r = _skill(tmp_path / "run")[(sid, "tp")]
    assert float(r["nse"]) == pytest.approx(1.0, abs=1e-12)  # the same run again


def test_observations_the_config_cannot_use_stop_it_at_load(tmp_path, request, capsys):
    obs = tmp_path / "obs.csv"
    obs.write_text(
        "station_id,time,quantity,value,units\n"
        "nowhere,2024-01-02T00:00Z,tp,0.1,mg/L\n"
        "outlet_mid,2024-01-02T00:00Z,do,7,mg/L\n"
        "outlet_mid,2030-01-02T00:00Z,tp,0.1,mg/L\n"
        "outlet_mid,2024-01-02T00:00,tp,0.1,mg/L\n",
        encoding="utf-8",
    )
    s = _scenario(tmp_path, request.config.rootpath, obs)
    assert main(["validate", str(s)]) == 2
    err = capsys.readouterr().err
    assert "row 2.station_id: station 'nowhere'" in err
    assert "row 3.quantity: the model does not simulate do" in err
    assert "row 4.time" in err and "outside the run" in err
    assert "row 5.time" in err  # no offset: a file error, in the same report
