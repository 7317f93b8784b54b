"""twin side by side with EPA SWMM 5 (pyswmm, dynamic wave, in this process) on the same .inp
networks (``tests/cases/swmm_cases.py``): the 10 km prismatic rectangular channel with a flood hydrograph
at 100, 1,000 and 10,000 segments, and a dendritic network of 325 segments of 100 m.

For every run: wall time, segment-steps per second, the time step used, and the outlet
hydrograph's agreement (NSE, peak error) with SWMM's default run of the same network and
with a fine reference run. Then, per case and model, the time to accuracy: the least wall
time of a run whose outlet hydrograph reaches NSE >= 0.999 and a peak within 1 % of the
reference's (``accuracy.py``).

The reference (a choice; README.md discusses it): twin itself at an order of magnitude finer
spacing and step than the runs measured, 10 m and 10 s on the channel, 25 m and 15 s on the
dendritic network. twin converges in dx and dt (its outlet peak moves by under 0.2 % from dt
10 s to 600 s); SWMM is held to its Courant step, so an SWMM run an order of magnitude finer
does not fit the time budget (1,000 segments at about 1 s steps take over half a minute for
24 h), and its recession oscillates (below). Against a twin reference SWMM carries the
difference between the two models' discretisations (0.2-0.4 % of the peak here), which is why
the thresholds are looser than that; the reference's agreement with SWMM's finest run of each
case is recorded next to it (``swmm_reference``).

SWMM's simulated window is capped where a whole run does not fit the budget: 24 h of the
48 h flood at 1,000 segments (the outlet peak passes at about 12 h), 0.05 h at 10,000 (SWMM
takes about 0.11 s steps there; 48 h would take hours). Every row gives its window in
``simulated_h``; twin's side-by-side runs use the same window.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

from tests.cases.swmm_cases import write_channel, write_dendritic

from .accuracy import NSE_MIN, PEAK_ERROR_MAX_PCT, agreement, meets, time_to_accuracy
from .common import record
from .outlet_runs import OutletRun, TwinCase, run_swmm

TWIN_DT_S = (30.0, 60.0, 120.0, 300.0, 600.0)
"""twin's step sweep (s) on every case..."""
TWIN_DT_10000_S = (120.0, 300.0, 600.0)
"""... but the 10,000-segment channel, where dt 30 and 60 s would take about a minute of the
budget and add nothing to the time to accuracy (600 s already reaches it)."""
SWMM_WINDOW_H = {100: 48.0, 1_000: 24.0, 10_000: 0.05}
"""SWMM's simulated window per channel size (h), to stay inside the time budget."""
SWMM_FIXED_STEPS_S = (2.0, 5.0, 10.0, 20.0)
"""SWMM's routing-step sweep (VARIABLE_STEP 0) on the 100-segment channel and the dendritic
network; every size also runs with its default: the Courant step at the peak flow as the
routing step, VARIABLE_STEP 0.75 (SWMM shortens it to the Courant limit)."""
REF_CHANNEL = (10.0, 10.0)
"""Reference run of the channel: twin, dx (m), dt (s)."""
REF_DENDRITIC = (25.0, 15.0)
"""Reference run of the dendritic network: twin, dx (m), dt (s)."""
DENDRITIC_DX_M = 100.0


def run(workdir: Path | None = None) -> list[dict]:
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(workdir or tmp)
        _warm_up(d)
        rows += channel_cases(d)
        rows += dendritic_case(d)
    return rows


def _warm_up(d: Path) -> None:
    """Load twin's compiled kernels (numba cache) before anything is timed."""
    path = write_channel(d / "warm.inp", n_segments=10, hours=1.0)
    TwinCase(path).run("C9", 300.0)


# ------------------------------------------------------------------------- channel
def channel_cases(d: Path, sizes=(100, 1_000, 10_000)) -> list[dict]:
    rows = []
    full = write_channel(d / "channel_100_48h.inp", n_segments=100)
    ref = TwinCase(full, dx_m=REF_CHANNEL[0]).run("C99", REF_CHANNEL[1])
    ref.settings = f"reference: dt {REF_CHANNEL[1]:g} s, dx {REF_CHANNEL[0]:g} m"
    for n in sizes:
        link = f"C{n - 1}"
        window = SWMM_WINDOW_H[n]
        p_full = full if n == 100 else write_channel(d / f"channel_{n}_48h.inp", n_segments=n)
        p_win = (
            p_full if window == 48.0 else write_channel(d / f"channel_{n}_{window:g}h.inp", n_segments=n, hours=window)
        )  # fmt: skip
        swmm = [run_swmm(p_win, link, "default: Courant routing step, VARIABLE_STEP 0.75")]
        if n == 100:
            for step in SWMM_FIXED_STEPS_S:
                p = write_channel(
                    d / f"channel_{n}_{step:g}s.inp", n_segments=n, routing_step_s=step, variable_step=0.0
                )  # fmt: skip
                swmm.append(run_swmm(p, link, f"fixed routing step {step:g} s"))
        case = TwinCase(p_full)
        twin = []
        twin_hours = None if window >= 48.0 or n >= 10_000 else window
        for dt in TWIN_DT_10000_S if n >= 10_000 else TWIN_DT_S:
            twin.append(case.run(link, dt, hours=twin_hours))
        if n >= 10_000:
            # The side by side over SWMM's window; the sweep above covers the whole flood.
            twin.insert(0, case.run(link, 30.0, hours=window))
        case_name = f"channel {n} segments"
        rows += _case_rows(case_name, swmm, twin, ref)
    rows.append(_reference_row("channel", ref, rows))
    return rows


def dendritic_case(d: Path) -> list[dict]:
    path = write_dendritic(d / "dendritic.inp", dx_m=DENDRITIC_DX_M)
    link = "Mc99"  # the main stem's last conduit, into the outfall
    ref = TwinCase(path, dx_m=REF_DENDRITIC[0]).run(link, REF_DENDRITIC[1])
    ref.settings = f"reference: dt {REF_DENDRITIC[1]:g} s, dx {REF_DENDRITIC[0]:g} m"
    swmm = [run_swmm(path, link, "default: Courant routing step, VARIABLE_STEP 0.75")]
    for step in SWMM_FIXED_STEPS_S:
        p = write_dendritic(
            d / f"dendritic_{step:g}s.inp", dx_m=DENDRITIC_DX_M, routing_step_s=step, variable_step=0.0
        )  # fmt: skip
        swmm.append(run_swmm(p, link, f"fixed routing step {step:g} s"))
    case = TwinCase(path)
    twin = [case.run(link, dt) for dt in TWIN_DT_S]
    rows = _case_rows("dendritic network", swmm, twin, ref)
    rows.append(_reference_row("dendritic network", ref, rows))
    return rows


# -------------------------------------------------------------------------- records
def _case_rows(case: str, swmm: list[OutletRun], twin: list[OutletRun], ref: OutletRun) -> list[dict]:  # fmt: skip
    """One record per run (agreement with SWMM's default run of the case and with the
    reference), then one time-to-accuracy record per model."""
    base = swmm[0]
    rows, by_model = [], {"twin": [], "swmm": []}
    for r in [*swmm, *twin]:
        same_window = r is not base and math.isclose(r.simulated_h, base.simulated_h)
        vs_swmm = agreement(base.t_s, base.q_m3s, r.t_s, r.q_m3s) if same_window else {}
        vs_ref = agreement(ref.t_s, ref.q_m3s, r.t_s, r.q_m3s)
        row = record(
            "swmm_side_by_side",
            case=case,
            model=r.model,
            settings=r.settings,
            segments=r.segments,
            simulated_h=round(r.simulated_h, 3),
            step_s=round(r.step_s, 3),
            min_step_s=round(r.min_step_s, 3),
            setup_s=round(r.setup_s, 3),
            wall_s=round(r.wall_s, 3),
            cell_steps_per_s=round(r.cell_steps_per_s),
            outlet_peak_m3s=round(float(r.q_m3s.max()), 3),
            continuity_error_pct=_round(r.continuity_error_pct, 4),
            nse_vs_swmm=_round(vs_swmm.get("nse"), 5),
            peak_error_vs_swmm_pct=_round(vs_swmm.get("peak_error_pct"), 3),
            nse_vs_reference=_round(vs_ref["nse"], 5),
            peak_error_vs_reference_pct=_round(vs_ref["peak_error_pct"], 3),
            meets_accuracy=meets(vs_ref),
        )
        rows.append(row)
        by_model[r.model].append(
            {**vs_ref, "wall_s": r.wall_s, "settings": r.settings, "hours": r.simulated_h}
        )
    best = {m: time_to_accuracy(runs) for m, runs in by_model.items()}
    for m, b in best.items():
        other = best["swmm" if m == "twin" else "twin"]
        speedup = (
            other["wall_s"] / b["wall_s"]
            if m == "twin" and b and other and math.isclose(other["hours"], b["hours"])
            else None
        )
        rows.append(
            record(
                "swmm_time_to_accuracy",
                case=case,
                model=m,
                threshold=f"NSE >= {NSE_MIN}, |peak error| <= {PEAK_ERROR_MAX_PCT:g} %",
                fastest_run=b["settings"] if b else "no run reached it",
                simulated_h=round(b["hours"], 3) if b else None,
                wall_s=round(b["wall_s"], 3) if b else None,
                nse_vs_reference=_round(b["nse"], 5) if b else None,
                peak_error_vs_reference_pct=_round(b["peak_error_pct"], 3) if b else None,
                swmm_over_twin_wall=round(speedup, 1) if speedup else None,
            )
        )
    return rows


def _reference_row(case: str, ref: OutletRun, rows: list[dict]) -> dict:
    """The reference run, and its agreement with the finest SWMM runs of the case."""
    swmm = [
        r for r in rows
        if r.get("benchmark") == "swmm_side_by_side" and r["model"] == "swmm"
        and r["case"].startswith(case) and r["nse_vs_reference"] is not None
    ]  # fmt: skip
    # The finest: the smallest step x spacing (the spacing is the length over the segments).
    finest = min(swmm, key=lambda r: r["step_s"] / r["segments"], default=None)
    return record(
        "swmm_reference",
        case=case,
        settings=ref.settings,
        segments=ref.segments,
        simulated_h=round(ref.simulated_h, 3),
        wall_s=round(ref.wall_s, 3),
        outlet_peak_m3s=round(float(ref.q_m3s.max()), 3),
        finest_swmm_run=(
            f"{finest['case']}, {finest['settings']}, {finest['simulated_h']:g} h"
            if finest
            else None
        ),
        finest_swmm_nse=finest["nse_vs_reference"] if finest else None,
        finest_swmm_peak_error_pct=finest["peak_error_vs_reference_pct"] if finest else None,
    )


def _round(v, digits: int):
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return None
    return round(float(v), digits)
