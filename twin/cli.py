"""The ``twin`` command line: validate, run, compare (forecast joins as it lands).

Exit codes: 0 success; 2 a user error (bad config, missing file: a short message, no
traceback); 1 an internal error or a numerical failure (the traceback goes to the run log).
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from . import __version__
from .errors import SimulationError, UserError

DEFAULT_SCENARIO = Path("scenarios") / "baseline.toml"


def _load(path: Path, dx_m: float | None):
    """A scenario or model TOML file (interventions applied), or an EPA SWMM5 .inp file.

    Imports happen here, not at the top, so that `twin --help` answers without loading numba.
    """
    if path.suffix.lower() == ".inp":
        from .importers.swmm.importer import load_inp

        return load_inp(path, dx_m=dx_m)
    from .run.load import load_checked_scenario

    return load_checked_scenario(path)


def _cmd_validate(args) -> int:
    from .config.scenario import describe
    from .network.topology import compile_network

    cfg = _load(Path(args.path), args.dx_m)
    net = compile_network(cfg)
    print(
        f"{args.path}: valid. Scenario '{cfg.name}': {net.n_nodes} nodes, {net.n_reaches} "
        f"reaches, {net.n_points} computational points, {len(cfg.model.structures)} structures, "
        f"{len(cfg.model.sources)} sources, {len(cfg.model.catchments)} catchments, "
        f"{len(cfg.model.sections)} assessment sections."
    )
    for line in describe(cfg):
        print(f"  intervention {line}")
    return 0


def _cmd_run(args) -> int:
    from .run.runner import run_scenario

    path = Path(args.scenario) if args.scenario else DEFAULT_SCENARIO
    if not path.exists():
        hint = (
            " (the default scenario; run from the project folder or name a file)"
            if not args.scenario
            else ""
        )
        raise UserError(f"scenario file {path} not found{hint}")
    result = run_scenario(_load(path, args.dx_m), args.out)
    wb = result.mass_balance["water"]
    print(
        f"Run finished in {result.wall_time_s:.1f} s. Results in {result.folder}/ "
        f"(results.nc, sections.csv, compliance.csv, plots/, mass_balance.json, "
        f"config.resolved.toml, run.log). "
        f"Water balance relative error {wb['relative_error']:.1e}."
    )
    return 0


def _cmd_forecast(args) -> int:
    from .forecast.cycle import CycleRequest, parse_cycle, run_cycle

    req = CycleRequest(
        cycle=parse_cycle(args.cycle),
        config=Path(args.config),
        state=Path(args.state),
        products=Path(args.products),
        observed=[Path(p) for p in args.observed or []],
        forecast=[Path(p) for p in args.forecast or []],
        lead_hours=args.lead_hours,
        force=args.force,
    )
    if not req.config.exists():
        raise UserError(f"forecast config {req.config} not found (give --config)")
    result = run_cycle(req)
    if result.status == "already published":
        print(
            f"cycle {result.cycle_name} was already published in {result.folder}; nothing done "
            "(use --force to run it again)"
        )
    else:
        print(
            f"cycle {result.cycle_name} published in {result.folder} ({result.start_kind} start, "
            f"{result.alerts} alerts)"
        )
    return 0


def _cmd_compare(args) -> int:
    from .compare.ensemble import compare, print_progress

    out = Path(args.out)
    n = len(args.scenarios)
    print(f"Running {n} scenario{'s' if n != 1 else ''} on '{args.scheduler}' ...", file=sys.stderr)
    comp = compare(
        args.scenarios,
        out,
        scheduler=args.scheduler,
        workers=args.workers,
        baseline=args.baseline,
        progress=print_progress,
        lang=args.lang,
    )
    print(
        f"Compared {len(comp.members)} scenarios in {comp.wall_time_s:.1f} s "
        f"(baseline '{comp.members[comp.baseline].name}'). Report: {out / 'report.html'}; "
        f"tables: comparison.csv, summary.csv, loads.csv; runs in {out / 'runs'}/."
    )
    if not comp.failed:
        return 0
    print(
        f"twin: {len(comp.failed)} of {len(comp.members)} scenarios failed: "
        + "; ".join(f"{m.name} ({m.error_kind})" for m in comp.failed)
        + ". Their errors are in the report and in summary.csv.",
        file=sys.stderr,
    )
    return 2 if all(m.error_kind == "config" for m in comp.failed) else 1


def _cmd_skill(args) -> int:
    from .observe.report import skill_of_run

    prod = skill_of_run(args.run_dir, args.observed)
    print(
        f"Skill of {args.run_dir} against {len(args.observed)} observation file(s): "
        f"{len(prod.rows)} station-quantity series; tables skill.csv and classes.csv and "
        f"plots in {prod.folder}/."
    )
    return 0


def _cmd_calibrate(args) -> int:
    from .calibrate.driver import calibrate, print_progress

    out = Path(args.out)
    cal = calibrate(
        args.scenario,
        args.observed,
        args.parameters,
        out,
        members=args.members,
        iterations=args.iterations,
        seed=args.seed,
        scheduler=args.scheduler,
        workers=args.workers,
        keep_runs=args.keep_runs,
        progress=print_progress,
    )
    o0, o1 = cal.objective[0], cal.objective[-1]
    loose = [p.name for p, c in zip(cal.parameters, cal.constrained, strict=True) if not c]
    print(
        f"Calibrated {len(cal.parameters)} parameters of '{cal.scenario}' with {cal.members} "
        f"members and {cal.iterations} iterations in {cal.wall_time_s:.1f} s: mean objective "
        f"{o0['mean']:.4g} -> {o1['mean']:.4g}; {len(cal.dropped)} member runs dropped. "
        f"Calibrated model: {out / 'calibrated.toml'}; tables, figures and summary.txt in {out}/."
        + (f" Not constrained by the observations: {', '.join(loose)}." if loose else "")
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="twin",
        description="Water-environment digital twin: 1-D river-network hydrodynamics and "
        "nitrogen/phosphorus transport, assessed against GB 3838-2002.",
    )
    p.add_argument("--version", action="version", version=f"twin {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    v = sub.add_parser("validate", help="check a scenario or model config and report every problem")
    v.add_argument("path", help="a scenario or model TOML file, or an EPA SWMM5 .inp")
    v.add_argument("--dx-m", type=float, default=None, help="for a .inp file: point spacing (m)")
    v.set_defaults(func=_cmd_validate)
    r = sub.add_parser("run", help="run a scenario (default: scenarios/baseline.toml)")
    r.add_argument("scenario", nargs="?", help="scenario or model TOML file, or an EPA SWMM5 .inp")
    r.add_argument("--out", help="results folder (default: results/<scenario name>/)")
    r.add_argument(
        "--dx-m",
        type=float,
        default=None,
        help="for an EPA SWMM5 .inp file: spacing of computational points along conduits (m)",
    )
    r.set_defaults(func=_cmd_run)
    f = sub.add_parser("forecast", help="run one nightly forecast cycle and publish its products")
    f.add_argument("--cycle", required=True, help="cycle time (UTC), e.g. 2026-11-29T00")
    f.add_argument(
        "--config",
        default=str(Path("scenarios") / "forecast.toml"),
        help="forecast scenario (default: scenarios/forecast.toml)",
    )
    f.add_argument(
        "--state", default="state", help="state folder: restarts and the lock (default: state)"
    )
    f.add_argument("--products", default="products", help="products folder (default: products)")
    f.add_argument(
        "--observed", nargs="+", metavar="PATH", help="observed gridded forcing for the hindcast"
    )
    f.add_argument("--forecast", nargs="+", metavar="PATH", help="forecast gridded forcing files")
    f.add_argument(
        "--lead-hours",
        type=float,
        default=None,
        help="forecast length (default: from the config, 72)",
    )
    f.add_argument(
        "--force", action="store_true", help="run a cycle again even if it was published"
    )
    f.set_defaults(func=_cmd_forecast)

    c = sub.add_parser(
        "compare",
        help="run scenarios in parallel and compare them (CSV tables and report.html)",
        description="Run the scenarios in parallel on dask and write comparison.csv, "
        "summary.csv, loads.csv, figures/ and a self-contained report.html. A scenario that "
        "fails is reported with its error; the others complete.",
    )
    c.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="scenario TOML files")
    c.add_argument("--out", default=str(Path("results") / "comparison"),
                   help="comparison folder (default: results/comparison/)")  # fmt: skip
    c.add_argument(
        "--scheduler",
        default="local",
        help="'local' (processes on this machine, default), 'synchronous' (one after the "
        "other in this process, for debugging) or a dask scheduler address tcp://HOST:PORT",
    )
    c.add_argument("--workers", type=int, default=None,
                   help="worker processes of the local cluster (default: one per scenario, "
                   "at most one per core)")  # fmt: skip
    c.add_argument("--baseline", default=None,
                   help="scenario to measure changes against, by name or file name (default: "
                   "the one named 'baseline', else the first)")  # fmt: skip
    c.add_argument("--lang", choices=["zh", "en"], default=None,
                   help="language of report.html and the figures (default: the baseline "
                   "model's [model] language, else en)")  # fmt: skip
    c.set_defaults(func=_cmd_compare)

    s = sub.add_parser(
        "skill",
        help="score a finished run against station observations (skill.csv, classes, plots)",
        description="Compare a run's sections and lakes with observations (CSV or CF "
        "timeSeries NetCDF; see the README): bias, RMSE, NSE, KGE and correlation per station "
        "and quantity, GB 3838 classes of the monthly means, plots, in RUN_DIR/skill/.",
    )
    s.add_argument("run_dir", metavar="RUN_DIR", help="folder of a finished run (results.nc)")
    s.add_argument("--observed", nargs="+", required=True, metavar="FILE",
                   help="observation files (.csv or .nc)")  # fmt: skip
    s.set_defaults(func=_cmd_skill)

    k = sub.add_parser(
        "calibrate",
        help="calibrate parameters to station observations by an ensemble smoother (ES-MDA)",
        description="Adjust the parameters named in PARAMS.toml (paths into the model config "
        "with priors; see the README, Calibration) to the observations by ES-MDA (Emerick and "
        "Reynolds 2013), each member a run on dask. Writes prior.csv, posterior.csv, "
        "objective.csv, figures, skill before and after, and calibrated.toml into --out.",
    )
    k.add_argument("scenario", metavar="SCENARIO", help="scenario or model TOML file")
    k.add_argument("--observed", nargs="+", required=True, metavar="FILE",
                   help="observation files (.csv or .nc)")  # fmt: skip
    k.add_argument("--parameters", required=True, metavar="PARAMS.toml",
                   help="parameters, priors and observation errors")  # fmt: skip
    k.add_argument("--out", default=str(Path("results") / "calibration"),
                   help="calibration folder (default: results/calibration/)")  # fmt: skip
    k.add_argument("--members", type=int, default=32, help="ensemble size (default 32)")
    k.add_argument("--iterations", type=int, default=4,
                   help="ES-MDA assimilations, each with alpha = iterations (default 4)")  # fmt: skip
    k.add_argument("--seed", type=int, default=1, help="seed of the random draws (default 1)")
    k.add_argument("--scheduler", default="local",
                   help="'local' (processes on this machine, default), 'synchronous' or a dask "
                   "scheduler address tcp://HOST:PORT, as for `twin compare`")  # fmt: skip
    k.add_argument("--workers", type=int, default=None,
                   help="worker processes of the local cluster (default: one per core)")  # fmt: skip
    k.add_argument("--keep-runs", action="store_true",
                   help="keep every member's results.nc (default: removed once sampled)")  # fmt: skip
    k.set_defaults(func=_cmd_calibrate)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except UserError as exc:
        print(f"twin: {exc}", file=sys.stderr)
        return 2
    except SimulationError as exc:
        print(f"twin: the simulation failed: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("twin: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # an internal error: short message here, traceback in the log
        print(
            f"twin: internal error ({type(exc).__name__}: {exc}). This is a bug in twin; "
            "the traceback is in the run log (run.log in the results folder) or below.",
            file=sys.stderr,
        )
        if getattr(args, "command", None) != "run":
            traceback.print_exc()
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
