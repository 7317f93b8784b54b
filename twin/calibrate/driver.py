"""``twin calibrate``: check every input, run the prior median, the ES-MDA iterations on dask
and the posterior median, and write the calibration folder (``twin.calibrate.outputs``)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from ..config.scenario import load_scenario
from ..errors import ConfigError, ConfigIssue, SimulationError, UserError
from ..observe.files import read_observations
from . import esmda
from .members import Executor, MemberResult, Task, configured
from .outputs import write_members, write_outputs
from .result import Calibration
from .spec import CalibrationSpec, Parameter, check_errors_cover, fail_if, read_spec

PRECHECK_QUANTILES = (0.001, 0.999)
"""Each prior is tried at these quantiles (the others at their medians) before any run."""
MIN_SURVIVING_SHARE = 0.5
"""The calibration stops when fewer than this share of the members are left."""


def _medians(params: list[Parameter]) -> np.ndarray:
    return np.array([p.prior.median for p in params])


def check_inputs(
    scenario: str | Path, observed: Sequence[str | Path], parameters: str | Path
) -> tuple:
    """(config, model dump, spec, observations); raises ConfigError naming every problem of
    the parameters file, the observation files and the prior ranges together."""
    cfg = load_scenario(scenario)
    data = cfg.model.model_dump(mode="python")
    spec, issues = read_spec(parameters, data)
    obs = None
    try:
        obs = read_observations(observed)
    except ConfigError as exc:
        issues = issues + exc.issues
    if obs is not None and len(obs) == 0:
        issues.append(
            ConfigIssue(
                None, "--observed", "no observations in the files", "give files with values"
            )
        )
    if spec is not None and obs is not None:
        issues += check_errors_cover(spec, obs)
    if obs is not None:
        stations = {s.id for s in cfg.model.sections}
        stations |= {n.id for n in cfg.model.nodes if n.kind == "storage"}
        unknown = sorted({str(s) for s in obs.station} - stations)
        if unknown:
            issues.append(
                ConfigIssue(
                    None, "--observed",
                    f"station(s) {', '.join(unknown[:8])} are neither sections nor lakes of the model",
                    "stations are the model's [[sections]] and storage nodes by id",
                )
            )  # fmt: skip
    if spec is not None and spec.parameters:
        issues += _precheck_priors(cfg, data, spec)
    fail_if(issues)
    return cfg, data, spec, obs


def _precheck_priors(cfg, data: dict, spec: CalibrationSpec) -> list[ConfigIssue]:
    """Each prior at its extreme quantiles, the others at their medians: values the model's
    schema or checks reject are reported now, not as failed members later."""
    issues = []
    med = _medians(spec.parameters)
    for i, p in enumerate(spec.parameters):
        for q in PRECHECK_QUANTILES:
            v = med.copy()
            v[i] = float(p.prior.quantile(q))
            try:
                configured(cfg, data, spec.parameters, v)
            except ConfigError as exc:
                first = exc.issues[0]
                issues.append(
                    ConfigIssue(
                        spec.file, f"{p.where}.prior",
                        f"at its {100 * q:g} % quantile ({p.transform} {v[i]:.4g}) the model "
                        f"rejects {first.field}: {first.message}",
                        "narrow the prior or bound it (low, high) inside the field's range",
                    )
                )  # fmt: skip
                break
    return issues


def _run_named(cfg, data, spec, values, folder: Path, obs):
    """A run with products (tables, figures) and its skill: the prior and posterior medians."""
    import xarray as xr

    from ..observe.report import write_skill
    from ..run.runner import run_scenario

    run_cfg = configured(cfg, data, spec.parameters, values)
    result = run_scenario(run_cfg, folder)
    with xr.open_dataset(result.results) as ds:
        ds = ds.load()
    skill = write_skill(folder, ds, obs)
    from ..observe.skill import pair

    return run_cfg, pair(ds, obs), skill


def calibrate(
    scenario: str | Path,
    observed: Sequence[str | Path],
    parameters: str | Path,
    out_dir: str | Path,
    members: int = 32,
    iterations: int = 4,
    seed: int = 1,
    scheduler: str = "local",
    workers: int | None = None,
    keep_runs: bool = False,
    progress: Callable[[str], None] | None = None,
) -> Calibration:
    """Calibrate ``scenario``'s parameters (``parameters`` file) to the observations by
    ES-MDA with ``members`` members and ``iterations`` assimilations; write ``out_dir``."""
    from ..compare.ensemble import check_scheduler

    say = progress or (lambda s: None)
    if members < 2:
        raise UserError(f"--members {members}: an ensemble needs at least 2 members")
    if iterations < 1:
        raise UserError(f"--iterations {iterations}: give at least 1")
    if workers is not None and workers < 1:
        raise UserError(f"--workers {workers}: give at least 1")
    check_scheduler(scheduler)
    t_start = time.perf_counter()
    cfg, data, spec, obs = check_inputs(scenario, observed, parameters)
    params = spec.parameters
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    n_p = len(params)

    say(f"prior median run ({n_p} parameters, {len(obs)} observations) ...")
    med0 = _medians(params)
    _, pairs0, _ = _run_named(cfg, data, spec, med0, out / "runs" / "prior_median", obs)
    d_obs = pairs0.observed
    sd = spec.error_sd(obs, d_obs)

    rng = np.random.default_rng(seed)
    u = rng.uniform(size=(members, n_p))
    prior = np.column_stack([p.prior.quantile(u[:, i]) for i, p in enumerate(params)])
    cal = Calibration(
        out, cfg.name, params, obs, d_obs, sd, members, iterations, seed, scheduler, prior,
        prior_median=med0, localize=spec.settings.localize,
    )  # fmt: skip
    cal.objective_prior_median = float(esmda.objective(pairs0.sim[:, None], d_obs, sd)[0])

    def to_x(v: np.ndarray) -> np.ndarray:  # (n, P) values -> (P, n)
        return np.vstack([p.prior.to_x(v[:, i]) for i, p in enumerate(params)])

    def to_v(x: np.ndarray) -> np.ndarray:  # (P, n) -> (n, P) values
        return np.column_stack([p.prior.to_value(x[i]) for i, p in enumerate(params)])

    x = to_x(prior)
    alive = np.arange(members)
    cal.x_prior_sd = x.std(axis=1, ddof=1)
    alpha = esmda.alphas(iterations)
    t_ens = time.perf_counter()
    with Executor(scheduler, workers, members + 1) as ex:
        for k in range(iterations + 1):
            values = to_v(x)
            mean_values = to_v(x.mean(axis=1, keepdims=True))[0]
            it = out / "members" / f"iteration_{k}"
            tasks = [
                Task(f"i{k}-m{j:03d}", list(values[c]), str(it / f"member_{j:03d}"))
                for c, j in enumerate(alive)
            ]
            tasks.append(Task(f"i{k}-mean", list(mean_values), str(it / "ensemble_mean")))
            say(f"iteration {k}: {len(alive)} members on '{scheduler}' ...")
            res = ex.run(cfg, data, params, obs, tasks, keep_runs)
            cal.runs += len(res)
            cal.run_time_s += sum(r.wall_time_s for r in res.values())
            ok = np.array([res[t.key].ok for t in tasks[:-1]])
            for c, j in enumerate(alive):
                r = res[tasks[c].key]
                if not r.ok:
                    cal.dropped.append((k, int(j), r.error_kind, r.error))
                    say(f"  member {j} dropped ({r.error_kind}): {r.error.splitlines()[0][:200]}")
            _rows(cal, k, alive, values, res, tasks)
            if ok.sum() < max(2, MIN_SURVIVING_SHARE * members):
                write_members(cal)
                raise SimulationError(_too_few(cal, k, int(ok.sum())))
            alive, x, values = alive[ok], x[:, ok], values[ok]
            d_sim = np.column_stack(
                [res[t.key].sim for t, good in zip(tasks[:-1], ok, strict=True) if good]
            )
            j_members = esmda.objective(d_sim, d_obs, sd)
            mean_res: MemberResult = res[tasks[-1].key]
            j_mean = (
                float(esmda.objective(mean_res.sim[:, None], d_obs, sd)[0])
                if mean_res.ok
                else np.nan
            )
            cal.objective.append(
                {"iteration": k, "members": int(ok.sum()), "mean": float(j_members.mean()),
                 "median": float(np.median(j_members)), "ensemble_mean": j_mean,
                 "n_observations": len(obs)}
            )  # fmt: skip
            say(
                f"  objective: mean {j_members.mean():.4g}, median {np.median(j_members):.4g}, "
                f"ensemble mean's run {j_mean:.4g} ({len(obs)} observations)"
            )
            if k == iterations:
                break
            # draws for every original member, so that a dropped one does not shift the rest
            e = rng.standard_normal((len(obs), members))[:, alive]
            x = esmda.update(x, d_sim, d_obs, sd, alpha[k], e, spec.settings.localize)
    cal.ensemble_wall_s = time.perf_counter() - t_ens
    cal.posterior = to_v(x)
    cal.posterior_ids = [int(j) for j in alive]
    cal.x_posterior_sd = x.std(axis=1, ddof=1)
    cal.posterior_median = np.median(cal.posterior, axis=0)
    say("posterior median run ...")
    run_cfg, pairs1, _ = _run_named(
        cfg, data, spec, cal.posterior_median, out / "runs" / "posterior_median", obs
    )
    cal.objective_posterior_median = float(esmda.objective(pairs1.sim[:, None], d_obs, sd)[0])
    cal.wall_time_s = time.perf_counter() - t_start
    cal.files = write_outputs(cal, run_cfg)
    return cal


def _rows(cal: Calibration, k: int, alive, values, res, tasks) -> None:
    for c, j in enumerate(alive):
        r = res[tasks[c].key]
        j_obj = float(esmda.objective(r.sim[:, None], cal.d_obs, cal.sd)[0]) if r.ok else np.nan
        cal.member_rows.append(
            [k, str(int(j)), r.status, r.error_kind, j_obj, r.wall_time_s, *values[c]]
        )
    r = res[tasks[-1].key]
    j_obj = float(esmda.objective(r.sim[:, None], cal.d_obs, cal.sd)[0]) if r.ok else np.nan
    cal.member_rows.append([k, "ensemble_mean", r.status, r.error_kind, j_obj, r.wall_time_s,
                            *tasks[-1].values])  # fmt: skip


def _too_few(cal: Calibration, k: int, n_ok: int) -> str:
    kinds: dict[str, int] = {}
    for it, _, kind, _ in cal.dropped:
        if it == k:
            kinds[kind] = kinds.get(kind, 0) + 1
    first = next((e for it, _, _, e in cal.dropped if it == k), "")
    return (
        f"iteration {k}: only {n_ok} of {cal.members} members ran "
        f"({', '.join(f'{v} {kk}' for kk, v in kinds.items())} failures; first: "
        f"{first.splitlines()[0][:300] if first else ''}); see members.csv under "
        f"{cal.out}/members/"
    )


def print_progress(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()
