"""Synthetic benchmark networks written as twin TOML: a looped ladder of two parallel rivers
joined by cross channels, with an inflow upstream and a tide downstream (the shape of a plain
river network)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path


def ladder_network(
    path: Path,
    n_points: int,
    n_rungs: int = 8,
    days: float = 1.0,
    dt_s: float = 300.0,
    max_iterations: int = 2,
    tolerance_m: float = 1e-12,
) -> Path:
    """Write a scenario of about ``n_points`` computational points; returns its path.

    Two rivers of ``n_rungs`` reaches each, joined at every junction by a cross channel: the
    network has n_rungs - 1 loops. ``max_iterations`` and a tiny ``tolerance_m`` fix the
    number of iterations per step for throughput measurements.
    """
    n_reaches = 2 * n_rungs + (n_rungs + 1)
    seg = max(1, round(n_points / n_reaches))
    reach_len = 2000.0
    dx = reach_len / seg
    lines = [
        '[model]\nname = "ladder"\ncoordinates = "xy_m"\n',
        f"[run]\nstart = 2024-01-01T00:00:00\nend = 2024-01-01T00:00:00\ndt_s = {dt_s}\n"
        f"output_interval_s = {dt_s * 12}\n[run.hydro]\ninitial_level_m = 3.0\n"
        f"max_iterations = {max_iterations}\ntolerance_m = {tolerance_m}\n",
        '[[cross_sections]]\nid = "main"\nshape = "trapezoidal"\nbottom_width_m = 40\n'
        "side_slope = 2\nmanning_n = 0.028\n",
        '[[cross_sections]]\nid = "cross"\nshape = "rectangular"\nwidth_m = 20\nmanning_n = 0.03\n',
    ]
    for side in ("a", "b"):
        for k in range(n_rungs + 1):
            lines.append(
                f'[[nodes]]\nid = "{side}{k}"\nx = {k * reach_len}\ny = {0 if side == "a" else 1500}\n'
            )
    for side in ("a", "b"):
        for k in range(n_rungs):
            bed0, bed1 = -1.0 - 0.0002 * k * reach_len, -1.0 - 0.0002 * (k + 1) * reach_len
            lines.append(
                f'[[reaches]]\nid = "{side}r{k}"\nfrom_node = "{side}{k}"\nto_node = "{side}{k + 1}"\n'
                f"length_m = {reach_len}\ndx_m = {dx}\nbed_level_from_m = {bed0}\nbed_level_to_m = {bed1}\n"
                'sections = [{ chainage_m = 0, section = "main" }]\n'
            )
    for k in range(n_rungs + 1):
        bed = -1.0 - 0.0002 * k * reach_len
        lines.append(
            f'[[reaches]]\nid = "x{k}"\nfrom_node = "a{k}"\nto_node = "b{k}"\nlength_m = {reach_len}\n'
            f"dx_m = {dx}\nbed_level_from_m = {bed}\nbed_level_to_m = {bed}\n"
            'sections = [{ chainage_m = 0, section = "cross" }]\n'
        )
    lines.append(
        '[[boundaries]]\nnode = "a0"\nkind = "discharge"\ndischarge_m3s = 60\n'
        "concentrations = { tn = 2.0, tp = 0.15, tracer = 1.0 }\n"
    )
    lines.append(
        '[[boundaries]]\nnode = "b0"\nkind = "discharge"\ndischarge_m3s = 40\n'
        "concentrations = { tn = 2.5, tp = 0.2 }\n"
    )
    for side in ("a", "b"):
        lines.append(
            f'[[boundaries]]\nnode = "{side}{n_rungs}"\nkind = "tide"\nmean_level_m = 3.0\n'
            'constituents = [{ name = "M2", amplitude_m = 0.8 }, { name = "S2", amplitude_m = 0.3, phase_deg = 40 }]\n'
            "concentrations = { tn = 2.2, tp = 0.12 }\n"
        )
    end = datetime(2024, 1, 1) + timedelta(days=days)
    text = "\n".join(lines).replace("end = 2024-01-01T00:00:00", f"end = {end.isoformat()}", 1)
    path.write_text(text)
    return path
