"""twin compare: scenarios in parallel on a dask LocalCluster and on a real dask scheduler
with workers, the comparison tables, the report, failing scenarios, and bit-identical results
alone, on local processes and on the distributed scheduler.

The network (tests/compare_network.py) has two phosphorus-tagged enterprises (8 mg/L TP,
0.1 m3/s each) on a river carrying 5 m3/s: fully mixed they add 2 x 0.1 x 8 / 5.2 = 0.31 mg/L
TP below them. Remediation caps their effluent at 0.5 mg/L (0.02 mg/L added), so TP below
them must fall by several tenths of that difference within 36 hours of flow (travel time
through the 3 km reach is under two hours).
"""

from __future__ import annotations

import csv
import os
import signal
import socket
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from tests.compare_network import write_network
from twin.compare.ensemble import compare
from twin.run.runner import run_scenario

pytestmark = pytest.mark.slow  # the module's comparison takes 25 s, the distributed one 25 s more

ROOT = Path(__file__).resolve().parents[2]
ORDER = ("baseline", "remediation", "transfer", "bad_config", "numerical")
NAMES = {"baseline": "baseline", "remediation": "p_remediation", "transfer": "transfer",
         "bad_config": "bad_config", "numerical": "flood"}  # fmt: skip
OK = ("baseline", "p_remediation", "transfer")


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    return write_network(tmp_path_factory.mktemp("network"))


@pytest.fixture(scope="module")
def local(network, tmp_path_factory):
    """All five scenarios compared on a LocalCluster of two single-threaded workers."""
    out = tmp_path_factory.mktemp("local")
    comp = compare([network[r] for r in ORDER], out, scheduler="local", workers=2)
    return out, comp


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def data_arrays(path: Path) -> dict[str, np.ndarray]:
    with xr.open_dataset(path) as ds:
        return {str(k): v.values.copy() for k, v in ds.variables.items()}


def assert_same_results(a: Path, b: Path) -> None:
    """Every variable of two results.nc files equal bit for bit."""
    va, vb = data_arrays(a), data_arrays(b)
    assert va.keys() == vb.keys()
    for name in va:
        x, y = va[name], vb[name]
        assert x.dtype == y.dtype and x.shape == y.shape, name
        if x.dtype.kind in "fiumM":
            assert x.tobytes() == y.tobytes(), f"{name} differs"
        else:
            assert np.array_equal(x, y), f"{name} differs"


# -------------------------------------------------------------- the local cluster
def test_local_cluster_runs_all_and_reports_failures(local):
    out, comp = local
    status = {m.name: (m.status, m.error_kind) for m in comp.members}
    assert status == {
        "baseline": ("ok", ""),
        "p_remediation": ("ok", ""),
        "transfer": ("ok", ""),
        "bad_config": ("failed", "config"),
        "flood": ("failed", "simulation"),
    }
    # Two worker processes shared the four runs.
    workers = {m.worker for m in comp.members if m.worker}
    assert len(workers) == 2
    for name in OK:
        run = out / "runs" / name
        for f in ("results.nc", "sections.csv", "compliance.csv", "run.log",
                  "plots/map_tp.png", "plots/profile.png", "plots/sections.png"):  # fmt: skip
            assert (run / f).is_file(), f"{name}: {f} missing"
    # The failures carry their errors into both tables; the numerical one kept its log.
    summary = {r["scenario"]: r for r in read_csv(out / "summary.csv")}
    assert summary["bad_config"]["status"] == "failed"
    assert "node 'nowhere' does not exist" in summary["bad_config"]["error"]
    assert "did not converge" in summary["flood"]["error"]
    assert str(out) not in summary["flood"]["error"]  # run-folder paths are relative
    assert (out / "runs" / "flood" / "run.log").is_file()
    rows = read_csv(out / "comparison.csv")
    failed = [r for r in rows if r["status"] == "failed"]
    assert {r["scenario"] for r in failed} == {"bad_config", "flood"}
    assert all(r["error"] for r in failed)
    assert not [p for p in out.rglob("*.part")], "temporary files left behind"


def test_remediation_lowers_tp_below_enterprises_and_raises_it_nowhere(local):
    out, _ = local
    rows = [r for r in read_csv(out / "comparison.csv") if r["indicator"] == "tp"]
    base = {r["section_id"]: float(r["mean_mg_l"]) for r in rows if r["scenario"] == "baseline"}
    rem = {r["section_id"]: float(r["mean_mg_l"]) for r in rows if r["scenario"] == "p_remediation"}
    assert base.keys() == rem.keys() and len(base) == 5
    # Below the enterprises: a fall of at least a third of the fully mixed 0.29 mg/L.
    assert base["below_enterprises"] - rem["below_enterprises"] > 0.1
    assert base["above_lake"] - rem["above_lake"] > 0.05
    # Upstream nothing changes (no flow reversal, no dispersion through nodes).
    assert rem["upstream"] == base["upstream"]
    for sid in base:
        assert rem[sid] <= base[sid], sid
    # Nowhere on the mesh does the period-mean or peak TP rise (float32 map fields; the
    # model is linear in the loads apart from the flux limiter: allow 1e-6 mg/L for the
    # means). A second-order TVD scheme is not monotone (Godunov 1959), so a lower load can
    # raise a concentration just past a front: 5.7e-5 mg/L at 5 of 1110 map values here,
    # the same with or without apportionment; allow 1e-4 mg/L for single map values.
    with (
        xr.open_dataset(out / "runs/baseline/results.nc") as b,
        xr.open_dataset(out / "runs/p_remediation/results.nc") as r,
    ):
        tb, tr = b["tp"].values.astype(float), r["tp"].values.astype(float)
    assert np.all(tr.mean(axis=0) <= tb.mean(axis=0) + 1e-6)
    assert np.all(tr <= tb + 1e-4)
    assert (tb.mean(axis=0) - tr.mean(axis=0)).max() > 0.1
    summary = {r["scenario"]: r for r in read_csv(out / "summary.csv")}
    assert float(summary["p_remediation"]["compliance_rate"]) >= float(
        summary["baseline"]["compliance_rate"]
    )
    assert float(summary["p_remediation"]["attainment_rate"]) >= float(
        summary["baseline"]["attainment_rate"]
    )
    # Less TP reaches the lake.
    assert float(summary["p_remediation"]["lake_tp_load_t"]) < float(
        summary["baseline"]["lake_tp_load_t"]
    )


def test_comparison_tables_are_consistent(local):
    out, _ = local
    rows = [r for r in read_csv(out / "comparison.csv") if r["status"] == "ok"]
    # 4 river sections x 6 indicators + 1 lake section x 7 (TN too), per scenario.
    for name in OK:
        assert len([r for r in rows if r["scenario"] == name]) == 4 * 6 + 7
    for r in rows:
        if r["mean_mg_l"] and r["baseline_mean_mg_l"]:
            d = float(r["mean_mg_l"]) - float(r["baseline_mean_mg_l"])
            # every number is written with 6 significant digits
            assert abs(float(r["change_mg_l"]) - d) <= 1e-5 * max(abs(float(r["mean_mg_l"])), 1e-3)
        if r["scenario"] == "baseline" and r["change_mg_l"]:
            assert float(r["change_mg_l"]) == 0.0
    origins = {(r["section_id"], r["indicator"]): r["origin"] for r in rows
               if r["scenario"] == "baseline"}  # fmt: skip
    assert origins[("upstream", "do")] == "observed"
    assert origins[("upstream", "tp")] == "simulated"
    assert origins[("above_lake", "codmn")] == "not assessed"
    assert origins[("lake_centre", "tn")] == "simulated"
    lake_tn = next(r for r in rows if r["section_id"] == "lake_centre" and r["indicator"] == "tn")
    assert lake_tn["in_section_class"] == "no"
    # The by-source loads add up to the total (6 significant digits each).
    summary = read_csv(out / "summary.csv")
    for r in summary:
        if r["status"] != "ok":
            continue
        for sp in ("tn", "tp"):
            parts = [
                float(v) for k, v in r.items() if k.startswith(f"lake_{sp}_load_t_from_") and v
            ]
            assert parts, "loads by source group are missing"
            assert sum(parts) == pytest.approx(float(r[f"lake_{sp}_load_t"]), rel=1e-4)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, k, v or "") for k, v in attrs]

    def handle_data(self, data):
        self.text.append(data)


def test_report_is_self_contained_and_names_every_scenario(local):
    out, _ = local
    page = (out / "report.html").read_text(encoding="utf-8")
    p = _Collector()
    p.feed(page)
    p.close()
    assert p.tags[0] == "html" and "body" in p.tags
    assert not {"script", "link", "iframe", "object", "embed"} & set(p.tags)
    srcs = [v for tag, k, v in p.attrs if k == "src"]
    assert len(srcs) >= 6
    import base64

    for s in srcs:
        assert s.startswith("data:image/png;base64,")
        assert base64.b64decode(s.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    for _tag, k, v in p.attrs:
        if k in ("href", "src"):
            assert not v.startswith(("http:", "https:", "//", "file:")), v
    text = " ".join(p.text)
    for name in NAMES.values():
        assert name in text, name
    assert "did not converge" in text and "does not exist" in text
    assert "Water transfer from Taihu" in text  # the intervention's description


def test_scenario_alone_gives_the_same_bits(local, network, tmp_path):
    out, _ = local
    for role in ("baseline", "transfer"):
        alone = run_scenario(network[role], tmp_path / role)
        assert_same_results(alone.results, out / "runs" / NAMES[role] / "results.nc")
        assert (tmp_path / role / "compliance.csv").read_bytes() == (
            out / "runs" / NAMES[role] / "compliance.csv"
        ).read_bytes()


# ------------------------------------------------------- a real dask scheduler
def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _dask_cli() -> str:
    exe = Path(sys.executable).parent / "dask"
    assert exe.exists(), "the dask command line of dask.distributed is not installed"
    return str(exe)


def _stop(procs: list[subprocess.Popen]) -> None:
    """Stop what this test started: each process group by its own id."""
    for p in reversed(procs):
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGTERM)
    deadline = time.monotonic() + 20
    for p in reversed(procs):
        try:
            p.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait(timeout=10)


def test_distributed_scheduler_gives_the_local_bits(local, network, tmp_path):
    local_out, _ = local
    from distributed import Client

    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    )
    dask = _dask_cli()
    procs: list[subprocess.Popen] = []
    logs = tmp_path / "dask-logs"
    logs.mkdir()

    def start(args: list[str], log_name: str) -> None:
        with open(logs / log_name, "w") as log:
            procs.append(subprocess.Popen(
                [dask, *args], env=env, cwd=tmp_path, start_new_session=True, stdout=log,
                stderr=subprocess.STDOUT,
            ))  # fmt: skip

    try:
        start(["scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
              "scheduler.log")  # fmt: skip
        for k in range(2):
            start(["worker", address, "--nthreads", "1", "--nworkers", "1", "--no-dashboard",
                   "--host", "127.0.0.1", "--local-directory", str(tmp_path / f"worker{k}"),
                   "--death-timeout", "60"], f"worker{k}.log")  # fmt: skip
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=90)
        out = tmp_path / "cluster"
        res = subprocess.run(
            [sys.executable, "-m", "twin", "compare", *[str(network[r]) for r in ORDER],
             "--scheduler", address, "--out", str(out)],
            env=env, capture_output=True, text=True, timeout=300, cwd=tmp_path,
        )  # fmt: skip
    finally:
        _stop(procs)
    # One scenario failed numerically: exit code 1, the others ran and are reported.
    assert res.returncode == 1, res.stderr
    assert "flood (simulation)" in res.stderr and "Traceback" not in res.stderr
    for name in ("comparison.csv", "summary.csv", "loads.csv"):
        assert (out / name).read_bytes() == (local_out / name).read_bytes(), name
    for name in OK:
        assert_same_results(out / "runs" / name / "results.nc",
                            local_out / "runs" / name / "results.nc")  # fmt: skip
