"""The twin command line: exit codes, error reports, and a run's results folder."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
import xugrid

from twin import __version__
from twin.cli import main

ROOT = Path(__file__).resolve().parents[2]

BAD_MODEL = """
[model]
name = "bad"

[run]
start = 2024-01-01T00:00:00
end = 2024-01-02T00:00:00
dt_s = 300

[[nodes]]
id = "a"
x = 0
y = 0
[[nodes]]
id = "b"
x = 1
y = 0

[[cross_sections]]
id = "rect"
shape = "rectangular"
width_m = -5            # mistake 1: negative width
manning_n = 0.03

[[reaches]]
id = "r"
from_node = "a"
to_node = "nowhere"     # mistake 2: a node that does not exist
length_m = 1000
bed_level_from_m = 0
bed_level_to_m = 0
sections = [{ chainage_m = 0, section = "rect" }]

[[boundaries]]
node = "a"
kind = "levle"          # mistake 3: misspelt boundary kind
level_m = 1.0
"""


def _cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "twin.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def test_validate_reports_all_three_mistakes_without_traceback(tmp_path):
    cfg = tmp_path / "bad.toml"
    cfg.write_text(BAD_MODEL)
    res = _cli("validate", str(cfg))
    assert res.returncode == 2
    err = res.stderr
    assert "Traceback" not in err and "Traceback" not in res.stdout
    assert "3 problems" in err
    assert "cross_sections[0].width_m" in err
    assert "'levle'" in err and "boundaries[0]" in err
    # The reference error is found too, although two items failed the schema.
    assert "reaches[0].to_node" in err and "node 'nowhere' does not exist" in err
    assert str(cfg) in err


def test_validate_reports_reference_errors_together(tmp_path):
    text = BAD_MODEL.replace("width_m = -5", "width_m = 5").replace('"levle"', '"level"')
    text = text.replace(
        "[[boundaries]]",
        '[[laterals]]\nid = "l"\nreach = "r"\nchainage_m = 5000\ndischarge_m3s = "nope"\n\n[[boundaries]]',
    )
    cfg = tmp_path / "refs.toml"
    cfg.write_text(text)
    res = _cli("validate", str(cfg))
    assert res.returncode == 2
    assert "node 'nowhere' does not exist" in res.stderr
    assert "beyond the reach's length" in res.stderr
    assert "time series 'nope' does not exist" in res.stderr
    assert "Traceback" not in res.stderr


def test_validate_good_config_exits_zero(example_scenario):
    assert main(["validate", str(example_scenario)]) == 0


def test_version_and_help(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0
    assert __version__ in capsys.readouterr().out
    with pytest.raises(SystemExit) as e:
        main(["--help"])
    assert e.value.code == 0
    assert "validate" in capsys.readouterr().out


def test_missing_scenario_is_a_user_error(tmp_path, capsys):
    assert main(["run", str(tmp_path / "none.toml")]) == 2
    assert "not found" in capsys.readouterr().err


@pytest.mark.slow  # 9-15 s: the example's nine days, products and plots
def test_run_writes_complete_results_folder(tmp_path, example_scenario):
    out = tmp_path / "run"
    assert main(["run", str(example_scenario), "--out", str(out)]) == 0
    names = {p.name for p in out.iterdir()}
    assert {"results.nc", "config.resolved.toml", "run.log", "mass_balance.json"} <= names
    assert not [n for n in names if n.endswith(".part")], "temporary files left behind"
    balance = json.loads((out / "mass_balance.json").read_text())
    assert abs(balance["water"]["relative_error"]) < 1e-6
    # The resolved config is itself a complete, valid model config.
    assert main(["validate", str(out / "config.resolved.toml")]) == 0

    ds = xr.open_dataset(out / "results.nc")
    mesh = ds["mesh1d"]
    assert mesh.attrs["cf_role"] == "mesh_topology"
    assert int(mesh.attrs["topology_dimension"]) == 1
    assert ds["mesh1d_edge_nodes"].shape[1] == 2
    assert ds["water_level"].attrs["units"] == "m"
    assert ds["water_level"].attrs["location"] == "node"
    assert ds["discharge"].attrs["units"] == "m3 s-1"
    assert ds["section_id"].attrs["cf_role"] == "timeseries_id"
    assert list(ds["section_id"].values) == ["outlet_mid", "trib_a_mouth"]
    assert ds["section_water_level"].attrs["units"] == "m"
    assert np.all(np.isfinite(ds["section_water_level"].values))
    assert ds.sizes["time"] == 9 * 24 + 1

    uds = xugrid.open_dataset(out / "results.nc")
    grid = uds.ugrid.grid
    assert grid.topology_dimension == 1
    assert grid.n_node == ds.sizes["mesh1d_nNodes"]
    assert grid.n_edge == ds.sizes["mesh1d_nEdges"]
    assert "water_level" in uds.data_vars
