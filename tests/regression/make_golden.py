"""Golden results of the regression cases: run each case and keep a small NetCDF of it.

The golden files in ``tests/regression/golden/`` were made with the revision before the
layered redesign (de0ab4e), so that the regression tests hold the redesigned code to the
results of the original one. Regenerate them only when a change of results is intended,
and say so in the commit::

    PYTHONPATH=$PWD python tests/regression/make_golden.py            # all cases
    PYTHONPATH=$PWD python tests/regression/make_golden.py example    # one case
    PYTHONPATH=$PWD python tests/regression/make_golden.py kunshan    # 10 Kunshan days

``kunshan`` keeps the first ``KUNSHAN_DAYS`` days of the Kunshan baseline's sections.csv
(gzip), from a run of those days plus one (the last day's mean holds a single sample);
``--kunshan-from sections.csv`` takes them from an existing run instead. The shipped file
was taken from the original revision's full-year baseline run (2024) this way; its first
ten days equal those of a ten-day run (checked on the original revision: daily means of a
day depend only on the model up to its end).

Each case runs through the command line (``twin.cli.main(["run", path, "--out", dir])``),
the one entry point whose name has not moved between revisions, so the same script runs an
old checkout too (``PYTHONPATH=/old/tree python tests/regression/make_golden.py --out DIR``).
This file imports only the standard library, numpy, xarray and ``twin.cli``: it must not
depend on the tests' helpers, which change with the code.

What a golden file keeps (``subset``): the case's map variables (``Case.map_variables``) and
every non-empty section and storage series of ``results.nc``, at every ``every``-th output
time. Variables of the same dimensions are stacked into one array with a ``*_variable``
coordinate naming them: an HDF5 variable costs about 5 kB of headers, more than the data of
a small case. Written with zlib compression; the attributes that name the run's time and
path (history, config_sha256) are dropped. The four files take about 370 kB.

The model files in ``models/`` are fixed inputs (written once with the builders of
``tests/quality_cases.py`` and ``tests/hydro_cases.py``), so that a change of the builders
cannot change a regression case.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import xarray as xr

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
GOLDEN = HERE / "golden"
DROP_ATTRS = ("history", "config_sha256")
KUNSHAN_DAYS = 10
KUNSHAN_GOLDEN = GOLDEN / "kunshan_sections_10d.csv.gz"


@dataclass(frozen=True)
class Case:
    """A regression case: a scenario, model or .inp file, and how much of its output to keep."""

    name: str
    path: Path
    every: int = 1
    """Keep every ``every``-th time of each time axis (time and map_time)."""
    map_variables: tuple[str, ...] = ("water_level", "discharge", "nh3n", "tp")
    """Fields on the mesh to keep (levels on nodes, the rest on edges)."""
    description: str = ""


CASES = {
    c.name: c
    for c in (
        Case(
            "example",
            ROOT / "scenarios" / "example.toml",
            every=3,
            description="the shipped example: two tributaries, a sluice, a tidal outlet, 9 days",
        ),
        Case(
            "looped_tidal_quality",
            HERE / "models" / "looped_tidal_quality.toml",
            every=2,
            map_variables=("water_level", "discharge", "on", "nh3n", "no3n", "op", "po4p"),
            description="four loops, a storage lake, two sluices, a tide; N and P kinetics, 2 days",
        ),
        Case(
            "structures_wetdry",
            HERE / "models" / "structures_wetdry.toml",
            every=2,
            description="weir, sluice on a series, culvert, flap gate, pump; a tidal flat "
            "falling dry; 3 days",
        ),
        Case(
            "swmm_all_sections",
            ROOT / "tests" / "data" / "swmm" / "all_sections.inp",
            every=2,
            description="an EPA SWMM5 .inp with every supported section, imported, 12 h",
        ),
    )
}


def run_case(case: Case, out_dir: Path) -> Path:
    """Run ``case`` with the ``twin`` on sys.path into ``out_dir``; returns results.nc."""
    from twin.cli import main

    code = main(["run", str(case.path), "--out", str(out_dir)])
    if code != 0:
        raise RuntimeError(f"case {case.name}: twin run exited with {code}")
    return out_dir / "results.nc"


def subset(results: Path, case: Case) -> xr.Dataset:
    """The part of ``results`` a golden file keeps, loaded into memory."""
    with xr.open_dataset(results) as ds:
        keep = [
            v
            for v in ds.data_vars
            if ds[v].size > 0
            and ds[v].dtype.kind == "f"
            and (v in case.map_variables or v.startswith(("section_", "storage_")))
        ]
        missing = set(case.map_variables) - set(keep)
        if missing:
            raise KeyError(f"case {case.name}: no {sorted(missing)} in {results}")
        ds = ds[keep]
        ds = ds.reset_coords(
            [c for c in ds.coords if c not in ds.dims and not c.endswith("_id")], drop=True
        )
        for dim in ("time", "map_time"):
            if dim in ds.dims and case.every > 1:
                ds = ds.isel({dim: slice(None, None, case.every)})
        groups: dict[tuple, list[str]] = {}
        for v in keep:
            groups.setdefault(ds[v].dims, []).append(v)
        out = xr.Dataset(
            {"_".join(dims): stack(ds, names, dims) for dims, names in groups.items()},
            attrs={k: v for k, v in ds.attrs.items() if k not in DROP_ATTRS},
        ).load()
    return out


def stack(ds: xr.Dataset, names: list[str], dims: tuple) -> xr.DataArray:
    """Variables ``names`` (all of dimensions ``dims``) as one array over a new first
    dimension named after ``dims``, whose coordinate holds the variable names."""
    label = "_".join(dims) + "_variable"
    return ds[names].to_array(dim=label).assign_coords({label: list(names)})


def write_golden(ds: xr.Dataset, path: Path) -> None:
    """Write ``ds`` compressed: zlib level 9, one chunk a variable (the chunking of results.nc,
    one time a chunk, costs kilobytes of index per variable), variables at their stored
    types, no unlimited dimension."""
    ds = ds.drop_encoding()
    encoding = {}
    for v in ds.data_vars:
        if ds[v].ndim > 0 and ds[v].size > 0:
            encoding[v] = {"zlib": True, "complevel": 9, "shuffle": True, "chunksizes": ds[v].shape}
    path.parent.mkdir(parents=True, exist_ok=True)
    ds.to_netcdf(path, encoding=encoding)


def kunshan_scenario(folder: Path) -> Path:
    """A scenario of the Kunshan baseline cut to KUNSHAN_DAYS + 1 days from 2024-01-01."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "kunshan_short.toml"
    path.write_text(
        "[scenario]\n"
        'name = "baseline-10d"\n'
        f'inherits = "{(ROOT / "scenarios" / "baseline.toml").as_posix()}"\n\n'
        f"[run]\nstart = 2024-01-01T00:00:00\nend = 2024-01-{KUNSHAN_DAYS + 1:02d}T00:00:00\n"
    )
    return path


def run_kunshan(out_dir: Path) -> Path:
    """Run the short Kunshan scenario into ``out_dir``; returns its sections.csv."""
    from twin.cli import main

    code = main(["run", str(kunshan_scenario(out_dir.parent)), "--out", str(out_dir)])
    if code != 0:
        raise RuntimeError(f"Kunshan run exited with {code}")
    return out_dir / "sections.csv"


def first_days(sections_csv: bytes, days: int = KUNSHAN_DAYS) -> bytes:
    """The header and the rows of the first ``days`` days (from 2024-01-01) of a
    sections.csv, byte for byte (its lines end in CRLF, as csv.writer writes them)."""
    lines = sections_csv.split(b"\n")
    last = f"2024-01-{days + 1:02d}".encode()
    rows = [line for line in lines[1:] if line and line[:10] < last]
    return b"\n".join([lines[0], *rows]) + b"\n"


def write_kunshan_golden(sections_csv: Path, path: Path = KUNSHAN_GOLDEN) -> None:
    """gzip of ``first_days`` (mtime 0, so the same rows give the same bytes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(first_days(sections_csv.read_bytes()), 9, mtime=0))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "cases", nargs="*", help=f"cases to make (default all but kunshan: {', '.join(CASES)})"
    )
    p.add_argument("--out", type=Path, default=GOLDEN, help="folder of the golden files")
    p.add_argument("--kunshan-from", type=Path, help="sections.csv of a Kunshan baseline run")
    args = p.parse_args(argv)
    for name in args.cases or list(CASES):
        if name == "kunshan":
            target = args.out / KUNSHAN_GOLDEN.name
            if args.kunshan_from:
                write_kunshan_golden(args.kunshan_from, target)
            else:
                with tempfile.TemporaryDirectory(prefix="golden_kunshan_") as tmp:
                    write_kunshan_golden(run_kunshan(Path(tmp) / "run"), target)
            print(f"kunshan: {target}")
            continue
        case = CASES[name]
        with tempfile.TemporaryDirectory(prefix=f"golden_{name}_") as tmp:
            ds = subset(run_case(case, Path(tmp) / "run"), case)
        target = args.out / f"{name}.nc"
        write_golden(ds, target)
        print(f"{name}: {target} ({target.stat().st_size / 1024:.0f} kB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
