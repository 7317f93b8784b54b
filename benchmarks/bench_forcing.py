"""Benchmark: prepare a year of hourly forcing for 20 Kunshan-sized catchments.

    PYTHONPATH=. python benchmarks/bench_forcing.py [--repeat 3]

Also the group "forcing" of ``python -m benchmarks`` (record ``forcing_preparation``).

Uses the shipped synthetic year (forcing_data/kunshan_2024.nc, 0.1 degree, 8,784 hours) and
20 catchments of about 48 km2 tiling an area the size of Kunshan (about 950 km2), each with land use, population,
sewers, a plant and polder pumps, plus one lake. Reports the wall time of the first
preparation (grid weights computed and cached; numba kernels loaded from their cache) and the
median of the following ones (weights read from the cache).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.cases.forcing import write_geojson, write_model  # noqa: E402
from twin.config.loader import load_config  # noqa: E402
from twin.forcing import prepare_forcing  # noqa: E402


def kunshan_like_catchments(folder: Path, n_x=5, n_y=4, seed=1) -> list[dict]:
    """A jittered 5 x 4 tiling of 120.80-121.10 E, 31.15-31.45 N (about 950 km2)."""
    rng = np.random.default_rng(seed)
    xs = np.linspace(120.80, 121.10, n_x + 1)
    ys = np.linspace(31.15, 31.45, n_y + 1)
    X, Y = np.meshgrid(xs, ys)
    X[1:-1, 1:-1] += rng.uniform(-0.012, 0.012, (n_y - 1, n_x - 1))
    Y[1:-1, 1:-1] += rng.uniform(-0.02, 0.02, (n_y - 1, n_x - 1))
    rings, cats = {}, []
    for j in range(n_y):
        for i in range(n_x):
            cid = f"k{j}{i}"
            ring = [[X[j, i], Y[j, i]], [X[j, i + 1], Y[j, i + 1]], [X[j + 1, i + 1], Y[j + 1, i + 1]],
                    [X[j + 1, i], Y[j + 1, i]], [X[j, i], Y[j, i]]]  # fmt: skip
            rings[cid] = [[float(a), float(b)] for a, b in ring]
            urban = rng.uniform(0.3, 0.6)
            cats.append(dict(
                id=cid, geojson="catchments.geojson", outlet_node="n1" if i < 3 else "n2",
                land_use={"water": 0.12, "paddy": round(0.6 - urban, 4), "dry_land": 0.08,
                          "built_up": round(urban, 4), "green": round(0.2 - 0.0, 4)},
                population=float(rng.uniform(2e4, 1.2e5)), sewer_connection_fraction=0.85,
                sewer_leak_fraction=0.15, wwtp="w", polder_pump_capacity_m3s=float(rng.uniform(2, 10)),
            ))  # fmt: skip
    for c in cats:  # shares sum to 1
        lu = c["land_use"]
        lu["green"] = round(1.0 - sum(v for k, v in lu.items() if k != "green"), 6)
    write_geojson(folder / "catchments.geojson", rings)
    return cats


def measure(repeat: int = 3) -> dict:
    """Time the first preparation and the median of ``repeat`` following ones (s)."""
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        cats = kunshan_like_catchments(d)
        src = [dict(kind="wwtp", id="w", node="n2", capacity_m3d=150000.0, inflow_m3d=60000.0,
                    effluent="db32_1072_taihu")]  # fmt: skip
        p = write_model(d, start="2024-01-01T00:00:00", end="2024-12-31T23:00:00", catchments=cats,
                        sources=src, lake=True,
                        forcing={"files": [str(ROOT / "forcing_data" / "kunshan_2024.nc")]})  # fmt: skip
        cfg = load_config(p)
        t = time.perf_counter()
        pf = prepare_forcing(cfg)
        first = time.perf_counter() - t
        warm = []
        for _ in range(repeat):
            t = time.perf_counter()
            prepare_forcing(cfg)
            warm.append(time.perf_counter() - t)
    return {
        "catchments": len(cats),
        "area_km2": round(float(pf.report.catchment_area.sum()) / 1e6),
        "hours": int(pf.times_s.size),
        "inflows": len(pf.inflows),
        "first_s": round(first, 3),
        "following_median_s": round(statistics.median(warm), 3),
        "repeats": repeat,
    }


def run(repeat: int = 3) -> list[dict]:
    """The benchmark group of ``python -m benchmarks``."""
    from .common import record

    return [record("forcing_preparation", **measure(repeat))]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args(argv)
    m = measure(a.repeat)
    print(
        f"catchments: {m['catchments']} ({m['area_km2']} km2), hours: {m['hours']}, inflows: {m['inflows']}"
    )
    print(f"first preparation (weights computed): {m['first_s']:.2f} s")
    print(
        f"following preparations (weights cached), median of {a.repeat}: {m['following_median_s']:.2f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
