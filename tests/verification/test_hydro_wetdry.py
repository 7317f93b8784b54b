"""Wetting and drying: runs that start dry, drain below the bed and wet again.

The slot, the film, frozen dry points and shallow boxes are described in
``twin.network.sections`` and ``twin.hydro.wetdry``; D below is ``slot_depth_m`` (1 m), and
"below the slot's range" means more than D below the lowest bed of a point's boxes.

- A dry channel (level 0.1 m below the bed everywhere) filled by a discharge: every step
  succeeds, the wetting front (last point deeper than 1 cm) never retreats and reaches the
  outlet, the water balance closes to 1e-8 of the inflow, and the steady state is uniform
  flow at Manning's normal depth within 1 mm (the outlet is a rating curve of normal depth,
  so the exact steady profile is uniform).
- A channel that drains below its bed at every low water (the sea falls 0.7 m below its
  mouth's bed) and fills again, over four M2 periods: every step succeeds, more than 90 %
  of its points fall dry at each low water and all are wet at each high water, the balance
  closes to 1e-8 of the water exchanged with the sea, and no level falls below the slot's
  range.
- A tidal flat (bed rising 3 m over 4 km, tide +-1.2 m), four periods: the wet length
  changes by at least 1 km each tide, no level falls below the slot's range or rises more
  than 5 cm above the highest tide, balance to 1e-8.
- A dry branch at a junction of a wet river under a tide: the flood wets its lower part
  and the ebb dries it again, the river never falls dry, balance to 1e-8 of the water
  through the boundaries.
- The lake at rest (irregular bed, weir, gate, storage) with a dry ridge and a wholly dry
  branch: levels within 1e-10 m and discharges below 1e-10 m3/s at every point, wet or dry,
  over 10 days.
- A withdrawal from a closed reach that runs dry takes the water there was and no more
  (at most the slot's b_slot D per metre besides); balance to 1e-8.
- A hot start cut while the channel is partly dry continues bit for bit.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import brentq

from tests import hydro_cases as hc
from tests.hydro_cases import assert_identical, lake_at_rest_model, trajectory

BALANCE_REL_TOL = 1e-8
NORMAL_DEPTH_TOL_M = 1e-3
REST_LEVEL_TOL_M = 1e-10
REST_FLOW_TOL_M3S = 1e-10
OVERSHOOT_TOL_M = 0.05
FILM_M = 0.01
SLOT_DEPTH_M = 1.0  # the default of run.hydro.slot_depth_m
M2_PERIOD_S = 360.0 / 28.9841042 * 3600.0


# ----------------------------------------------------------------------------- helpers
def tide_bc(m: dict, node: str, mean: float, amplitude: float) -> None:
    """An M2 tide, high water at the start of the run."""
    m["boundaries"].append(
        {
            "node": node,
            "kind": "tide",
            "mean_level_m": mean,
            "reference_time": hc.START.isoformat(),
            "constituents": [{"name": "M2", "amplitude_m": amplitude, "phase_deg": 0.0}],
        }
    )


def run(s, dt: float, n_steps: int, each=None) -> None:
    """Advance n_steps of dt (s), asserting every step succeeds; ``each(k)`` after each."""
    for k in range(n_steps):
        status, _ = s.advance(dt)
        assert status == 0, f"step {k}: {s.describe_failure(status)}"
        if each is not None:
            each(k)


def balance_error(s, v0: float) -> float:
    """Storage change minus net inflow over the run (m3)."""
    b = s.balance
    return (s.total_volume() - v0) - (b.bc_in.sum() + b.lateral[0])


def lowest_bed_of_boxes(s) -> np.ndarray:
    """Per point, the lowest bed of the point and its neighbours in its reach (m)."""
    a = s.net.arrays
    low = a.pt_bed.copy()
    for r in range(s.net.n_reaches):
        p0, p1 = a.reach_pt[r], a.reach_pt[r + 1]
        bed = a.pt_bed[p0:p1]
        low[p0 : p1 - 1] = np.minimum(low[p0 : p1 - 1], bed[1:])
        low[p0 + 1 : p1] = np.minimum(low[p0 + 1 : p1], bed[:-1])
    return low


def rect_conveyance(width: float, n: float, h: float) -> float:
    """Manning conveyance of a rectangle, A R^(2/3) / n (m3/s)."""
    area = width * h
    return area * (area / (width + 2.0 * h)) ** (2.0 / 3.0) / n


# ---------------------------------------------------------------- dry channel, filled
def test_dry_channel_fills_to_normal_depth(tmp_path):
    width, n, slope, q, length, dt = 10.0, 0.03, 2e-4, 5.0, 4000.0, 300.0
    bed_up, bed_dn = 0.0, -slope * length
    m = hc.model("dry_fill", days=3, dt_s=dt)
    hc.node(m, "up", 0.0, initial_level_m=bed_up - 0.1)
    hc.node(m, "dn", length, initial_level_m=bed_dn - 0.1)
    hc.rectangular(m, "rect", width, n=n)
    hc.reach(m, "r", "up", "dn", length, 100.0, "rect", bed_up, bed_dn)
    hc.flow_bc(m, "up", q)
    depths = np.linspace(0.0, 3.0, 301)
    m["boundaries"].append(
        {
            "node": "dn",
            "kind": "rating",
            "level_m": [float(bed_dn + h) for h in depths],
            "discharge_m3s": [rect_conveyance(width, n, h) * math.sqrt(slope) for h in depths],
        }
    )
    s = hc.solver(m, tmp_path)
    bed = s.net.arrays.pt_bed
    assert np.all(s.state.z_pt < bed), "the channel must start dry"
    v0 = s.total_volume()
    front = []

    def track(_k):
        wet = np.nonzero(s.state.z_pt - bed > FILM_M)[0]
        front.append(int(wet.max()) if wet.size else -1)

    run(s, dt, 72, track)  # 6 hours
    steps = np.diff(front)
    assert np.all(steps >= 0), f"the wetting front retreated: {front}"
    assert front[0] >= 0 and front[-1] == bed.size - 1, f"front {front}"
    hc.run_steady(s, dt, 2 * 86400.0)
    inflow = q * (s.time - hc.START.timestamp())
    err = balance_error(s, v0)
    y_n = brentq(lambda h: rect_conveyance(width, n, h) * math.sqrt(slope) - q, 1e-3, 10.0)
    depth_err = np.max(np.abs(s.state.z_pt - bed - y_n))
    print(
        f"dry fill: front at point {front[0]} after one step, {front[-1]} after 6 h; "
        f"balance {err / inflow:.1e} of the inflow; steady depth error {depth_err * 1e3:.3f} mm"
    )
    assert abs(err) < BALANCE_REL_TOL * inflow, f"balance error {err:.3e} m3"
    assert depth_err < NORMAL_DEPTH_TOL_M, f"depth {depth_err:.2e} m off normal depth {y_n:.4f}"


# ------------------------------------------------------------ draining and refilling
def drain_fill_model(days: float = 3.0, dt: float = 300.0) -> dict:
    """A 1.5 km channel, bed 0.8 m at its closed head to 0 at the sea, under an M2 tide of
    1 m around 0.3 m: at low water the sea is 0.7 m below the mouth's bed and the whole
    channel drains; at high water it is 0.5 m deep at the head."""
    m = hc.model("drain_fill", days=days, dt_s=dt)
    hc.node(m, "head", 0.0)
    hc.node(m, "sea", 1500.0)
    hc.rectangular(m, "rect", 30.0, n=0.03)
    hc.reach(m, "r", "head", "sea", 1500.0, 100.0, "rect", 0.8, 0.0)
    hc.flow_bc(m, "head", 0.0)
    tide_bc(m, "sea", 0.3, 1.0)
    m["run"]["hydro"]["initial_level_m"] = 1.3
    return m


def test_reach_drains_below_its_bed_and_fills_again(tmp_path):
    dt, periods = 300.0, 4
    s = hc.solver(drain_fill_model(dt=dt), tmp_path)
    bed = s.net.arrays.pt_bed
    low_bed = lowest_bed_of_boxes(s)
    n_steps = int(periods * M2_PERIOD_S / dt)
    v0 = s.total_volume()
    dry_share = np.zeros(n_steps)
    lowest = [np.inf]
    sea = s.net.node_index("sea")
    exchanged = [0.0, 0.0]  # gross volume through the sea boundary, last cumulative value

    def record(k):
        dry_share[k] = np.mean(s.state.z_pt < bed)
        lowest[0] = min(lowest[0], np.min(s.state.z_pt - low_bed))
        exchanged[0] += abs(s.balance.bc_in[sea] - exchanged[1])
        exchanged[1] = s.balance.bc_in[sea]

    run(s, dt, n_steps, record)
    per = np.array_split(dry_share, periods)
    err = balance_error(s, v0)
    print(
        f"drain and fill: dry share per period (min, max) "
        f"{[(round(float(p.min()), 2), round(float(p.max()), 2)) for p in per]}; lowest level "
        f"{lowest[0]:.3f} m from its box's lowest bed; balance {err / exchanged[0]:.1e} of the "
        f"{exchanged[0]:.3g} m3 exchanged"
    )
    for k, p in enumerate(per):
        assert p.max() > 0.9, f"period {k}: the reach should fall dry at low water"
        assert p.min() == 0.0, f"period {k}: the reach should be all wet at high water"
    assert lowest[0] > -SLOT_DEPTH_M, f"a level fell {-lowest[0]:.3f} m below its box's bed"
    assert abs(err) < BALANCE_REL_TOL * exchanged[0], f"balance error {err:.3e} m3"


# ------------------------------------------------------------------------ tidal flat
def test_tidal_flat_wets_and_dries_each_tide(tmp_path):
    dt, periods, amplitude = 300.0, 4, 1.2
    m = hc.model("tidal_flat", days=3, dt_s=dt)
    hc.node(m, "sea", 0.0)
    hc.node(m, "land", 4000.0)
    hc.trapezoidal(m, "trap", 30.0, 2.0, n=0.025)
    hc.reach(m, "r", "sea", "land", 4000.0, 100.0, "trap", -1.5, 1.5)
    tide_bc(m, "sea", 0.0, amplitude)
    m["run"]["hydro"]["initial_level_m"] = amplitude
    s = hc.solver(m, tmp_path)
    bed = s.net.arrays.pt_bed
    low_bed = lowest_bed_of_boxes(s)
    n_steps = int(periods * M2_PERIOD_S / dt)
    v0 = s.total_volume()
    wet = np.zeros(n_steps, int)
    extremes = [np.inf, -np.inf]
    sea = s.net.node_index("sea")
    exchanged = [0.0, 0.0]

    def record(k):
        wet[k] = np.sum(s.state.z_pt - bed > FILM_M)
        extremes[0] = min(extremes[0], np.min(s.state.z_pt - low_bed))
        extremes[1] = max(extremes[1], np.max(s.state.z_pt))
        exchanged[0] += abs(s.balance.bc_in[sea] - exchanged[1])
        exchanged[1] = s.balance.bc_in[sea]

    run(s, dt, n_steps, record)
    err = balance_error(s, v0)
    per = np.array_split(wet, periods)
    print(
        f"tidal flat: wet points per period (min, max) "
        f"{[(int(p.min()), int(p.max())) for p in per]} of {bed.size}; levels from "
        f"{extremes[0]:.3f} m (to the box's lowest bed) to {extremes[1]:.3f} m; balance "
        f"{err / exchanged[0]:.1e} of the {exchanged[0]:.3g} m3 exchanged"
    )
    for k, p in enumerate(per):
        assert p.max() - p.min() >= 10, f"period {k}: the flat should wet and dry over 1 km"
    assert extremes[0] > -SLOT_DEPTH_M, "a level fell below the slot's range"
    assert extremes[1] < amplitude + OVERSHOOT_TOL_M, f"level {extremes[1]:.3f} m overshot"
    assert abs(err) < BALANCE_REL_TOL * exchanged[0], f"balance error {err:.3e} m3"


# ------------------------------------------------------------------ dry at a junction
def test_dry_branch_at_a_wet_junction(tmp_path):
    dt = 300.0
    m = hc.model("junction", days=2, dt_s=dt)
    for nid, x, y in [("up", 0, 0), ("j", 3000, 0), ("sea", 6000, 0), ("end", 3000, 2000)]:
        hc.node(m, nid, x, y)
    hc.rectangular(m, "main", 30.0, n=0.03)
    hc.rectangular(m, "branch", 8.0, n=0.035)
    hc.reach(m, "r1", "up", "j", 3000.0, 100.0, "main", -2.0, -2.3)
    hc.reach(m, "r2", "j", "sea", 3000.0, 100.0, "main", -2.3, -2.6)
    hc.reach(m, "side", "j", "end", 2000.0, 100.0, "branch", 0.4, 0.8)
    hc.flow_bc(m, "up", 20.0)
    tide_bc(m, "sea", 0.0, 0.6)
    m["run"]["hydro"]["initial_level_m"] = 0.0
    s = hc.solver(m, tmp_path)
    side = hc.reach_slice(s, "side")
    main = np.r_[hc.reach_slice(s, "r1"), hc.reach_slice(s, "r2")]
    bed = s.net.arrays.pt_bed
    assert np.all(s.state.z_pt[side] < bed[side]), "the branch must start dry"
    v0 = s.total_volume()
    n_steps = int(2 * 86400 / dt)
    side_wet = np.zeros(n_steps, int)
    main_dry = [0]
    gross = [0.0, np.zeros(s.net.n_nodes)]

    def record(k):
        side_wet[k] = np.sum(s.state.z_pt[side] - bed[side] > FILM_M)
        main_dry[0] = max(main_dry[0], int(np.sum(s.state.z_pt[main] < bed[main])))
        gross[0] += np.sum(np.abs(s.balance.bc_in - gross[1]))
        gross[1] = s.balance.bc_in.copy()

    run(s, dt, n_steps, record)
    err = balance_error(s, v0)
    print(
        f"junction: wet points of the branch between {side_wet.min()} and {side_wet.max()} "
        f"of {side_wet.size and s.net.arrays.reach_pt[3] - s.net.arrays.reach_pt[2]}; "
        f"balance {err / gross[0]:.1e} of the {gross[0]:.3g} m3 through the boundaries"
    )
    assert main_dry[0] == 0, "the main river must stay wet"
    assert side_wet.max() >= 3 and side_wet[-1] < side_wet.max(), "the branch wets and dries"
    assert abs(err) < BALANCE_REL_TOL * gross[0], f"balance error {err:.3e} m3"


# ------------------------------------------------------------------ lake at rest, dry
def test_lake_at_rest_with_dry_ridge_and_dry_branch(tmp_path):
    z0 = 1.0
    m = lake_at_rest_model()
    hc.node(m, "hill", 6010.0, 2000.0)
    hc.rectangular(m, "ditch", 4.0, n=0.03)
    hc.reach(m, "dry", "j3", "hill", 2000.0, 100.0, "ditch", 1.2, 1.9)  # bed above z0
    s = hc.solver(m, tmp_path)
    a = s.net.arrays
    dry = hc.reach_slice(s, "dry")
    assert np.all(a.pt_bed[dry] > z0), "the branch must be dry"
    assert np.sum(a.pt_bed > z0) > np.sum(a.pt_bed[dry] > z0), "and the ridge too"
    worst_z = worst_q = 0.0
    for _ in range(int(10 * 86400 / 600)):
        status, _ = s.advance(600.0)
        assert status == 0, s.describe_failure(status)
        worst_z = max(
            worst_z, np.max(np.abs(s.state.z_pt - z0)), np.max(np.abs(s.state.z_node - z0))
        )
        worst_q = max(worst_q, np.max(np.abs(s.state.q_pt)), np.max(np.abs(s.state.q_struct)))
    print(f"lake at rest with dry parts: level change {worst_z:.1e} m, |Q| {worst_q:.1e} m3/s")
    assert worst_z < REST_LEVEL_TOL_M, f"level moved by {worst_z:.3e} m"
    assert worst_q < REST_FLOW_TOL_M3S, f"discharge {worst_q:.3e} m3/s"


# ---------------------------------------------------------------------- withdrawal
def test_withdrawal_from_a_reach_that_runs_dry(tmp_path):
    """0.5 m3/s drawn from a closed reach holding 2500 m3, for a day: the withdrawal tapers
    off as the reach runs dry, so it takes at most the water there was plus the slot's
    share (b_slot D per metre)."""
    dt, width, length, depth = 300.0, 5.0, 1000.0, 0.5
    m = hc.model("withdrawal", days=1, dt_s=dt)
    hc.node(m, "a", 0.0)
    hc.node(m, "b", length)
    hc.rectangular(m, "rect", width, n=0.03)
    hc.reach(m, "r", "a", "b", length, 100.0, "rect", 0.0, 0.0)
    hc.flow_bc(m, "a", 0.0)
    hc.flow_bc(m, "b", 0.0)
    m["laterals"].append({"id": "intake", "reach": "r", "discharge_m3s": -0.5})
    m["run"]["hydro"]["initial_level_m"] = depth
    s = hc.solver(m, tmp_path)
    v0 = s.total_volume()
    low_bed = lowest_bed_of_boxes(s)
    lowest = [np.inf]
    run(
        s,
        dt,
        int(86400 / dt),
        lambda k: lowest.__setitem__(0, min(lowest[0], np.min(s.state.z_pt - low_bed))),
    )
    taken = -s.balance.lateral[0]
    slot_share = max(0.01, 0.01 * width) * SLOT_DEPTH_M * length
    err = balance_error(s, v0)
    print(
        f"withdrawal: {taken:.1f} m3 taken of {0.5 * 86400:.0f} asked, the reach held "
        f"{v0:.1f}; lowest level {lowest[0]:.3f} m; balance {err:.1e} m3"
    )
    assert taken <= v0 + slot_share, "more water was taken than there was"
    assert taken > 0.9 * v0, "the water there was should be taken"
    assert lowest[0] > -SLOT_DEPTH_M
    assert abs(err) < BALANCE_REL_TOL * v0


# ------------------------------------------------------------------------ hot start
def test_hot_start_through_wetting_and_drying(tmp_path):
    m = drain_fill_model(days=1)
    n_total, n2 = 220, 60
    reference = trajectory(hc.solver(m, tmp_path / "ref"), n_total)
    first = hc.solver(m, tmp_path / "first")
    bed = first.net.arrays.pt_bed
    # cut where the channel is partly dry, with a dry point next to a wet one
    n1 = next(
        k + 1
        for k, st in enumerate(reference[: n_total - n2])
        if np.any(st.z_pt < bed - 0.05) and np.any(st.z_pt > bed + 0.05)
    )
    reference = reference[: n1 + n2]
    trajectory(first, n1)
    saved = {name: arr.copy() for name, arr in first.state._asdict().items()}
    continued = trajectory(first, n2)
    fresh = hc.solver(m, tmp_path / "fresh")
    for name, arr in saved.items():
        getattr(fresh.state, name)[...] = arr
    restarted = trajectory(fresh, n2)
    assert_identical(continued, reference[n1:])
    assert_identical(restarted, reference[n1:])
