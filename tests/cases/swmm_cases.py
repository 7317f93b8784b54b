"""EPA SWMM 5 input files (.inp) of the benchmark networks run side by side in twin and SWMM.

- ``write_channel``: a prismatic rectangular open channel cut into N equal conduits (a chain
  of junctions), a flood hydrograph at its head and a fixed stage at its outfall. The
  defaults are the benchmark of issue 9: 10 km, width 50 m, bed slope 1e-4, Manning n 0.03,
  50 -> 300 -> 50 m3/s over 18 h, 48 h simulated; use N = 100, 1,000 and 10,000.
- ``write_dendritic``: a tree of rectangular channels, a main stem with tributaries and
  sub-tributaries (several hundred conduits), a hydrograph at the head of every branch and a
  fixed stage at the outfall.

Every value is made up for the benchmark (confidence "assumed"). Both start from a steady
state: every conduit carries its base flow (Q0) and every junction its normal depth (Y0),
so neither model spends the first hours filling an empty channel. Units: CMS (metric).

Each writer takes the SWMM routing step and the VARIABLE_STEP safety factor (SWMM shortens
its step to the Courant limit when it is > 0), and returns the path written.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

G = 9.81
START = datetime(2024, 1, 1)


def hydrograph(
    t_h: float, base: float, peak: float, rise_start_h: float = 0.0, duration_h: float = 18.0
) -> float:
    """Flood hydrograph (m3/s): ``base`` outside [rise_start, rise_start + duration],
    a sin^2 pulse to ``peak`` at its middle inside; smooth (C1) at both ends."""
    s = (t_h - rise_start_h) / duration_h
    if s <= 0.0 or s >= 1.0:
        return base
    return base + (peak - base) * math.sin(math.pi * s) ** 2


def normal_depth_rect(q: float, width: float, slope: float, n: float) -> float:
    """Normal depth (m) of a rectangular channel: Q = (1/n) A R^(2/3) S^(1/2), bisection."""
    lo, hi = 0.0, 50.0
    for _ in range(80):
        h = 0.5 * (lo + hi)
        a = width * h
        r = a / (width + 2 * h)
        if a * r ** (2 / 3) * math.sqrt(slope) / n < q:
            lo = h
        else:
            hi = h
    return 0.5 * (lo + hi)


def courant_step(dx: float, depth: float, velocity: float) -> float:
    """dx / (sqrt(g h) + |u|) (s): the explicit Courant limit SWMM's step must respect."""
    return dx / (math.sqrt(G * depth) + abs(velocity))


@dataclass
class _Net:
    """Accumulates the lines of the network sections."""

    junctions: list[str]
    conduits: list[str]
    xsections: list[str]
    coordinates: list[str]
    inflows: list[str]
    series: list[str]


def _options(hours: float, routing_step_s: float, variable_step: float, report_s: int) -> str:
    end = START + timedelta(hours=hours)
    return "\n".join(
        [
            "[OPTIONS]",
            "FLOW_UNITS           CMS",
            "FLOW_ROUTING         DYNWAVE",
            "LINK_OFFSETS         DEPTH",
            f"START_DATE           {START:%m/%d/%Y}",
            f"START_TIME           {START:%H:%M:%S}",
            f"REPORT_START_DATE    {START:%m/%d/%Y}",
            f"REPORT_START_TIME    {START:%H:%M:%S}",
            f"END_DATE             {end:%m/%d/%Y}",
            f"END_TIME             {end:%H:%M:%S}",
            f"REPORT_STEP          {_hms(report_s)}",
            f"WET_STEP             {_hms(max(report_s, 60))}",
            f"DRY_STEP             {_hms(max(report_s, 60))}",
            f"ROUTING_STEP         {routing_step_s:g}",
            f"VARIABLE_STEP        {variable_step:g}",
            "INERTIAL_DAMPING     PARTIAL",
            "NORMAL_FLOW_LIMITED  BOTH",
            "SKIP_STEADY_STATE    NO",
            "THREADS              1",
            "",
        ]
    )


def _hms(seconds: int) -> str:
    h, rem = divmod(int(seconds), 3600)
    m, s = divmod(rem, 60)
    return f"{h:02d}:{m:02d}:{s:02d}"


def _series(name: str, hours: float, fn, step_h: float = 0.25) -> list[str]:
    n = round(hours / step_h)
    return [f"{name:<12} {k * step_h:10.4f} {fn(k * step_h):12.5f}" for k in range(n + 1)]


def _write(path: Path, title: str, options: str, net: _Net, outfall: str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    parts = [
        "[TITLE]",
        title,
        "",
        options,
        "[JUNCTIONS]",
        ";;Name   Elevation  MaxDepth  InitDepth  SurDepth  Aponded",
        *net.junctions,
        "",
        "[OUTFALLS]",
        outfall,
        "",
        "[CONDUITS]",
        ";;Name   From   To   Length   Roughness  InOffset  OutOffset  InitFlow  MaxFlow",
        *net.conduits,
        "",
        "[XSECTIONS]",
        *net.xsections,
        "",
        "[INFLOWS]",
        *net.inflows,
        "",
        "[TIMESERIES]",
        *net.series,
        "",
        "[REPORT]",
        "INPUT NO",
        "CONTROLS NO",
        "",
        "[COORDINATES]",
        *net.coordinates,
        "",
    ]
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def write_channel(
    path: str | Path,
    n_segments: int = 100,
    routing_step_s: float | None = None,
    variable_step: float = 0.75,
    length_m: float = 10_000.0,
    width_m: float = 50.0,
    slope: float = 1e-4,
    manning_n: float = 0.03,
    base_flow_m3s: float = 50.0,
    peak_flow_m3s: float = 300.0,
    rise_start_h: float = 2.0,
    flood_duration_h: float = 18.0,
    hours: float = 48.0,
    report_step_s: int = 300,
    depth_m: float = 12.0,
) -> Path:
    """Write the prismatic rectangular channel benchmark as a SWMM .inp file.

    The channel has ``n_segments`` conduits of equal length from J0 (bed at slope *
    length) to the outfall OUT (bed 0 m). The stage at OUT is fixed at the normal depth of
    the base flow, so the initial state (normal depth everywhere, base flow in every
    conduit) is steady. ``routing_step_s`` defaults to the Courant step at the peak normal
    flow (SWMM then needs no shortening). Channel walls and junctions are ``depth_m`` deep.
    """
    dx = length_m / n_segments
    h0 = normal_depth_rect(base_flow_m3s, width_m, slope, manning_n)
    if routing_step_s is None:
        hp = normal_depth_rect(peak_flow_m3s, width_m, slope, manning_n)
        routing_step_s = round(courant_step(dx, hp, peak_flow_m3s / (width_m * hp)), 3)
    net = _Net([], [], [], [], [], [])
    for i in range(n_segments):
        x = i * dx
        z = slope * (length_m - x)
        net.junctions.append(f"J{i:<8d} {z:10.5f} {depth_m:8.3f} {h0:8.4f} 0 0")
        net.coordinates.append(f"J{i:<8d} {x:12.3f} 0.0")
        to = f"J{i + 1}" if i + 1 < n_segments else "OUT"
        net.conduits.append(
            f"C{i:<8d} J{i:<8d} {to:<9} {dx:10.4f} {manning_n:g} 0 0 {base_flow_m3s:g} 0"
        )
        net.xsections.append(f"C{i:<8d} RECT_OPEN {depth_m:g} {width_m:g} 0 0 1")
    net.coordinates.append(f"OUT {length_m:12.3f} 0.0")
    net.inflows.append('J0  FLOW  HYDRO  "FLOW"  1.0  1.0  0')
    net.series.extend(
        _series(
            "HYDRO",
            hours,
            lambda t: hydrograph(t, base_flow_m3s, peak_flow_m3s, rise_start_h, flood_duration_h),
        )
    )
    title = (
        f"Prismatic rectangular channel {length_m / 1000:g} km, {n_segments} segments, width "
        f"{width_m:g} m, slope {slope:g}, n {manning_n:g}; flood {base_flow_m3s:g} -> "
        f"{peak_flow_m3s:g} -> {base_flow_m3s:g} m3/s over {flood_duration_h:g} h (benchmark, "
        "values assumed)"
    )
    options = _options(hours, routing_step_s, variable_step, report_step_s)
    return _write(path, title, options, net, f"OUT  0.0  FIXED  {h0:.4f}  NO")


# Branches of the dendritic network: (name, parent branch, share of the parent's length
# from its head to the confluence, length m, width m, base flow m3/s, peak flow m3/s).
_BRANCHES = (
    ("M", None, None, 10_000.0, 50.0, 20.0, 120.0),
    ("A", "M", 0.2, 5_000.0, 25.0, 8.0, 60.0),
    ("B", "M", 0.45, 6_000.0, 25.0, 8.0, 50.0),
    ("C", "M", 0.7, 4_000.0, 20.0, 5.0, 40.0),
    ("A1", "A", 0.4, 2_500.0, 12.0, 2.0, 20.0),
    ("B1", "B", 0.42, 3_000.0, 12.0, 2.0, 25.0),
    ("C1", "C", 0.375, 2_000.0, 10.0, 1.5, 15.0),
)


def write_dendritic(
    path: str | Path,
    dx_m: float = 100.0,
    routing_step_s: float | None = None,
    variable_step: float = 0.75,
    slope: float = 2e-4,
    manning_n: float = 0.03,
    hours: float = 36.0,
    report_step_s: int = 300,
    depth_m: float = 10.0,
) -> Path:
    """Write a dendritic network of rectangular channels as a SWMM .inp file.

    A 10 km main stem (50 m wide) with three tributaries and three sub-tributaries, cut into
    conduits of about ``dx_m`` (380 conduits at 100 m). Each branch head gets its own flood
    hydrograph (sin^2 pulses of different peaks and timing); the outfall stage is fixed at
    the normal depth of the main stem's base flow. Beds fall at ``slope`` towards the
    outfall; a branch's bed meets its parent's at the confluence.
    """
    net = _Net([], [], [], [], [], [])
    bed: dict[str, list[float]] = {}
    xy: dict[str, list[tuple[float, float]]] = {}
    names: dict[str, list[str]] = {}
    base_total = sum(b[5] for b in _BRANCHES)
    hmin = 10.0
    for k, (br, parent, at, length, width, base, peak) in enumerate(_BRANCHES):
        nseg = max(1, round(length / dx_m))
        dx = length / nseg
        if parent is None:
            z_end, x_end, y_end, direction = 0.0, length, 0.0, (1.0, 0.0)
            end_name = "OUT"
        else:
            j = min(max(1, round(at * len(names[parent]))), len(names[parent]) - 1)
            end_name = names[parent][j]
            z_end = bed[parent][j]
            x_end, y_end = xy[parent][j]
            angle = math.radians(50.0 if k % 2 else -50.0)
            direction = (math.cos(angle), math.sin(angle))
        # Flow accumulates down the network: a branch carries its own and its children's
        # base flow; the normal depth at that flow sets the initial depth.
        q_here = base + sum(b[5] for b in _BRANCHES if _descends(b[0], br))
        h0 = normal_depth_rect(q_here, width, slope, manning_n)
        hmin = min(hmin, h0)
        pts, zs, ns = [], [], []
        for i in range(nseg):
            d = length - i * dx
            pts.append((x_end - direction[0] * d, y_end - direction[1] * d))
            zs.append(z_end + slope * d)
            ns.append(f"{br}_{i}")
        names[br], bed[br], xy[br] = ns, zs, pts
        for i in range(nseg):
            net.junctions.append(f"{ns[i]:<10} {zs[i]:10.5f} {depth_m:8.3f} {h0:8.4f} 0 0")
            net.coordinates.append(f"{ns[i]:<10} {pts[i][0]:12.3f} {pts[i][1]:12.3f}")
            to = ns[i + 1] if i + 1 < nseg else end_name
            net.conduits.append(
                f"{br}c{i:<7} {ns[i]:<10} {to:<10} {dx:10.4f} {manning_n:g} 0 0 {q_here:g} 0"
            )
            net.xsections.append(f"{br}c{i:<7} RECT_OPEN {depth_m:g} {width:g} 0 0 1")
        series = f"H_{br}"
        net.inflows.append(f'{ns[0]:<10} FLOW  {series}  "FLOW"  1.0  1.0  0')
        delay = 1.0 + 1.5 * k
        net.series.extend(
            _series(series, hours, lambda t, b=base, p=peak, d=delay: hydrograph(t, b, p, d, 12.0))
        )
    main_width = _BRANCHES[0][4]
    h_out = normal_depth_rect(base_total, main_width, slope, manning_n)
    net.coordinates.append(f"OUT {_BRANCHES[0][3]:12.3f} 0.0")
    if routing_step_s is None:
        routing_step_s = round(courant_step(dx_m, 6.0, 2.0), 3)
    options = _options(hours, routing_step_s, variable_step, report_step_s)
    title = (
        f"Dendritic network of rectangular channels, {len(net.conduits)} conduits of about "
        f"{dx_m:g} m, slope {slope:g}, n {manning_n:g} (benchmark, values assumed)"
    )
    return _write(path, title, options, net, f"OUT  0.0  FIXED  {h_out:.4f}  NO")


def _descends(branch: str, ancestor: str) -> bool:
    """True when ``branch`` joins the network upstream of ``ancestor`` (through parents)."""
    parents = {b[0]: b[1] for b in _BRANCHES}
    p = parents.get(branch)
    while p is not None:
        if p == ancestor:
            return True
        p = parents.get(p)
    return False
