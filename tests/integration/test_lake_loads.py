"""Net and gross loads into a lake against a hand balance: on the small river-lake network
of tests/compare_network.py with every reaction off (TN and TP conservative), what entered
the lake less what left it must equal the change of the mass the lake holds,
volume x concentration, from the run's own level and concentration series."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from tests.compare_network import model_toml, scenario_toml
from twin.assess.products import storage_loads
from twin.run.runner import run_scenario

pytestmark = pytest.mark.slow  # one 36-hour run of the small network


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lake_loads")
    (folder / "model.toml").write_text(model_toml(8.0, conservative=True))
    scen = folder / "baseline.toml"
    scen.write_text(scenario_toml("baseline", "model.toml"))
    run_scenario(scen, folder / "run")
    with xr.open_dataset(folder / "run" / "results.nc") as ds:
        return ds.load()


@pytest.mark.parametrize("species", ["tp", "tn"])
def test_net_load_is_the_change_of_the_mass_in_the_lake(results, species):
    ds = results
    i = [str(s) for s in ds["storage_id"].values].index("lake")
    (load,) = [x for x in storage_loads(ds) if x.species == species and x.group == "all"]
    vol = ds["storage_volume"].values[i]
    conc = ds[f"storage_{species}"].values[i]  # mg/L = g/m3
    held_kg = (vol[-1] * conc[-1] - vol[0] * conc[0]) / 1000.0
    gross_kg = float(ds[f"storage_{species}_mass_in"].values[i, -1]
                     - ds[f"storage_{species}_mass_in"].values[i, 0])  # fmt: skip
    out_kg = float(ds[f"storage_{species}_mass_out"].values[i, -1]
                   - ds[f"storage_{species}_mass_out"].values[i, 0])  # fmt: skip
    assert load.mass_in_kg == pytest.approx(gross_kg, rel=1e-12)
    assert load.net_tonnes * 1000.0 == pytest.approx(gross_kg - out_kg, rel=1e-9)
    # Gross counts only what came in: it exceeds the net load by what left.
    assert out_kg > 0 and load.tonnes > load.net_tonnes
    assert load.net_tonnes * 1000.0 == pytest.approx(held_kg, rel=0.02, abs=1e-3 * gross_kg)
    assert np.isfinite(load.net_tonnes_per_year)
