"""The calibration folder:

- ``prior.csv``, ``posterior.csv``: the ensembles, one row a member, one column a parameter
  in its own units (a ``multiply`` parameter as its multiplier);
- ``members.csv``: every run of every iteration (status, error kind, objective, wall time,
  values), the ensemble mean's run included;
- ``objective.csv`` and ``objective.png``: per iteration the mean and median over the
  members of the weighted sum of squared residuals J = sum ((g(m) - d) / sigma)^2, and J of
  the ensemble mean's run (the mean of the transformed parameters);
- ``parameters.csv`` (path, transform, units, prior, items changed, medians, posterior 5-95 %)
  and ``constrained.csv`` (prior and posterior sd in the transformed space, their ratio, and
  whether the observations constrain the parameter: ratio <= 0.8);
- ``figures/<parameter>.png``: prior and posterior of each parameter;
- ``calibrated.toml``: the resolved model with the posterior medians, a complete model file
  that ``twin run`` accepts;
- ``runs/prior_median/`` and ``runs/posterior_median/``: full runs with their skill/
  (``twin.observe.report``), before and after;
- ``summary.txt``: what was done and found, in words.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import numpy as np

from .. import __version__
from ..assess import plot
from ..io.atomic import atomic_write_text, safe_name
from .result import UNCONSTRAINED_RATIO, Calibration


def _fmt(x) -> str:
    if isinstance(x, float | np.floating):
        return "" if not math.isfinite(float(x)) else f"{float(x):.8g}"
    if isinstance(x, bool | np.bool_):
        return "true" if x else "false"
    return str(x)


def _csv(path: Path, header: list[str], rows) -> Path:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow([_fmt(x) for x in r])
    atomic_write_text(path, buf.getvalue())
    return path


def write_members(cal: Calibration) -> Path:
    names = [p.name for p in cal.parameters]
    header = ["iteration", "member", "status", "error_kind", "objective", "wall_time_s", *names]
    return _csv(cal.out / "members.csv", header, cal.member_rows)


def write_outputs(cal: Calibration, calibrated_cfg) -> list[Path]:
    out = cal.out
    names = [p.name for p in cal.parameters]
    files = [
        _csv(out / "prior.csv", ["member", *names], [[j, *r] for j, r in enumerate(cal.prior)]),
        _csv(
            out / "posterior.csv",
            ["member", *names],
            [[j, *r] for j, r in zip(cal.posterior_ids, cal.posterior, strict=True)],
        ),
        write_members(cal),
    ]
    keys = ["iteration", "members", "n_observations", "mean", "median", "ensemble_mean"]
    files.append(_csv(out / "objective.csv", keys, [[o[k] for k in keys] for o in cal.objective]))
    files.append(_objective_figure(cal, out / "objective.png"))
    q05, q95 = np.quantile(cal.posterior, [0.05, 0.95], axis=0)
    rows = []
    for i, p in enumerate(cal.parameters):
        rows.append(
            [p.name, p.path, p.transform, p.units, p.prior.describe(), " ".join(p.items),
             " ".join(p.skipped), cal.prior_median[i], cal.posterior_median[i], q05[i], q95[i]]
        )  # fmt: skip
    header = ["name", "path", "transform", "units", "prior", "items", "skipped", "prior_median",
              "posterior_median", "posterior_p05", "posterior_p95"]  # fmt: skip
    files.append(_csv(out / "parameters.csv", header, rows))
    files.append(
        _csv(
            out / "constrained.csv",
            ["name", "prior_sd_transformed", "posterior_sd_transformed", "sd_ratio", "constrained"],
            [
                [p.name, cal.x_prior_sd[i], cal.x_posterior_sd[i], cal.ratio[i], cal.constrained[i]]
                for i, p in enumerate(cal.parameters)
            ],
        )
    )
    for i, p in enumerate(cal.parameters):
        files.append(_parameter_figure(cal, i, out / "figures" / f"{safe_name(p.name)}.png"))
    files.append(_calibrated_toml(cal, calibrated_cfg, out / "calibrated.toml"))
    files.append(_summary(cal, out / "summary.txt"))
    return files


def _synthetic(cal: Calibration) -> str:
    return " (observations SYNTHETIC)" if cal.observations.synthetic else ""


def _objective_figure(cal: Calibration, path: Path) -> Path:
    fig = plot.new_figure(7.0, 4.0)
    ax = fig.subplots()
    it = [o["iteration"] for o in cal.objective]
    for key, style, label in (
        ("mean", "o-", "members: mean"),
        ("median", "s--", "members: median"),
        ("ensemble_mean", "^-", "run of the ensemble mean"),
    ):
        ax.plot(it, [o[key] for o in cal.objective], style, label=label)
    ax.axhline(len(cal.observations), color="0.5", lw=0.8, label="number of observations")
    ax.set_yscale("log")
    ax.set_xlabel("iteration (0: prior)")
    ax.set_ylabel("weighted sum of squared residuals")
    ax.set_xticks(it)
    ax.legend(fontsize=8)
    ax.set_title(f"ES-MDA objective, {cal.scenario}{_synthetic(cal)}")
    return plot.save_png(fig, path)


def _parameter_figure(cal: Calibration, i: int, path: Path) -> Path:
    p = cal.parameters[i]
    prior, post = cal.prior[:, i], cal.posterior[:, i]
    lo = float(min(prior.min(), post.min()))
    hi = float(max(prior.max(), post.max()))
    pad = 0.05 * (hi - lo or abs(hi) or 1.0)
    bins = np.linspace(lo - pad, hi + pad, 25)
    fig = plot.new_figure(6.0, 3.6)
    ax = fig.subplots()
    ax.hist(prior, bins=bins, density=True, color="0.75", label=f"prior ensemble ({prior.size})")
    ax.hist(post, bins=bins, density=True, color="#1f4e79", alpha=0.7,
            label=f"posterior ensemble ({post.size})")  # fmt: skip
    v = np.linspace(bins[0], bins[-1], 300)
    ax.plot(v, p.prior.pdf(v), color="0.3", lw=1.0, label=p.prior.describe())
    ax.axvline(cal.posterior_median[i], color="#c0392b", lw=1.2, label="posterior median")
    ax.set_xlabel(f"{p.name} ({p.units})")
    ax.set_ylabel("density")
    ax.legend(fontsize=7)
    ax.set_title(f"{p.path} ({p.transform}){_synthetic(cal)}", fontsize=9)
    return plot.save_png(fig, path)


def _calibrated_toml(cal: Calibration, cfg, path: Path) -> Path:
    from ..run.runner import resolved_config_text

    lines = [
        f"# Calibrated by twin {__version__} (twin calibrate, ES-MDA, {cal.members} members, "
        f"{cal.iterations} iterations, seed {cal.seed}): the posterior medians of",
    ]
    for i, p in enumerate(cal.parameters):
        lines.append(f"#   {p.name}: {p.transform} {cal.posterior_median[i]:.6g} ({p.units})")
    synthetic = " (SYNTHETIC)" if cal.observations.synthetic else ""
    lines.append(f"# against {len(cal.observations)} observations{synthetic}.")
    atomic_write_text(path, "\n".join(lines) + "\n" + resolved_config_text(cfg))
    return path


def _summary(cal: Calibration, path: Path) -> Path:
    o0, o1 = cal.objective[0], cal.objective[-1]
    lines = [
        f"twin calibrate: scenario '{cal.scenario}', ES-MDA (Emerick and Reynolds 2013)",
        f"{cal.members} members, {cal.iterations} iterations (alpha = {cal.iterations} each), "
        f"seed {cal.seed}, scheduler '{cal.scheduler}'"
        + (f", localisation {cal.localize:g} / sqrt(N)" if cal.localize else ""),
        f"{len(cal.observations)} observations{_synthetic(cal)}; {len(cal.parameters)} parameters",
        f"{cal.runs} runs in {cal.ensemble_wall_s:.1f} s of ensemble wall time "
        f"({3600 * cal.runs / max(cal.ensemble_wall_s, 1e-9):.0f} members per hour; "
        f"{cal.run_time_s / max(cal.runs, 1):.2f} s a member); total {cal.wall_time_s:.1f} s",
        "",
        "objective J = sum ((simulated - observed) / sd)^2:",
        f"  prior ensemble: mean {o0['mean']:.4g}, median {o0['median']:.4g}",
        f"  posterior ensemble: mean {o1['mean']:.4g}, median {o1['median']:.4g} "
        f"(mean cut {o0['mean'] / max(o1['mean'], 1e-300):.3g}x)",
        f"  prior median run {cal.objective_prior_median:.4g}, posterior median run "
        f"{cal.objective_posterior_median:.4g}",
        "",
        "parameters (posterior median [5 %, 95 %]; sd ratio in the transformed space):",
    ]
    q05, q95 = np.quantile(cal.posterior, [0.05, 0.95], axis=0)
    for i, p in enumerate(cal.parameters):
        lines.append(
            f"  {p.name}: {cal.posterior_median[i]:.4g} [{q05[i]:.4g}, {q95[i]:.4g}] {p.units}; "
            f"prior {p.prior.describe()}; sd ratio {cal.ratio[i]:.2f}"
        )
    loose = [p.name for i, p in enumerate(cal.parameters) if not cal.constrained[i]]
    lines.append("")
    if loose:
        lines.append(
            f"NOT CONSTRAINED by the observations (posterior sd > {UNCONSTRAINED_RATIO} x prior "
            f"sd): {', '.join(loose)}. Their posterior is about their prior; do not read the "
            "calibrated values of these as informed by data."
        )
    else:
        lines.append("Every parameter is constrained by the observations (sd ratio <= 0.8).")
    if cal.dropped:
        lines.append("")
        lines.append(f"{len(cal.dropped)} member run(s) failed and were dropped:")
        for k, j, kind, err in cal.dropped:
            lines.append(f"  iteration {k}, member {j} ({kind}): {err.splitlines()[0][:200]}")
    atomic_write_text(path, "\n".join(lines) + "\n")
    return path
