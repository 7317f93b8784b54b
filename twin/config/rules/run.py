"""Rules that need the run settings: every series a value names covers the run, and the water
level starts somewhere."""

from __future__ import annotations

from ..timeseries import to_utc_naive
from .context import CheckContext


def coverage(ctx: CheckContext) -> None:
    """Each series in use (but a single sample, a constant) spans the run."""
    run = ctx.cfg.run
    if run is None:
        return
    start, end = to_utc_naive(run.start), to_utc_naive(run.end)
    for sid, (table, i, fname) in ctx.used_series.items():
        ts = ctx.series[sid]
        if len(ts.times) == 1:
            continue
        if ts.times[0] > start or ts.times[-1] < end:
            idx = next(k for k, t in enumerate(ctx.model.timeseries) if t.id == sid)
            ctx.add(
                "timeseries",
                idx,
                "times",
                f"series '{sid}' (used by {table}[{i}].{fname}) covers {ts.times[0]} to "
                f"{ts.times[-1]}, not the run {start} to {end}",
                "extend the series or shorten the run",
            )


def initial_levels(ctx: CheckContext) -> None:
    """Some node, reach or level boundary gives an initial level, or the run gives one for
    all. Skipped when nodes or boundaries failed schema validation: one of them may give it."""
    cfg = ctx.cfg
    if cfg.run is None or cfg.declared_ids.get("boundaries") or cfg.declared_ids.get("nodes"):
        return
    if cfg.run.hydro.initial_level_m is not None:
        return
    m = ctx.model
    has_level = {n.id for n in m.nodes if n.initial_level_m is not None}
    for r in m.reaches:
        if r.initial_level_m is not None:
            has_level.update((r.from_node, r.to_node))
    for b in m.boundaries:
        if b.kind in ("level", "tide"):
            has_level.add(b.node)
    if not has_level and m.nodes:
        ctx.add(
            "run",
            None,
            "hydro.initial_level_m",
            "no initial water level anywhere",
            "set run.hydro.initial_level_m or initial_level_m on nodes",
        )
