"""Imported SWMM models run in twin and compared with EPA SWMM 5 run now through pyswmm.

Each test writes a .inp file, runs SWMM 5.2 (dynamic wave) on it and runs the imported
model with twin's HydroSolver, then compares at SWMM's reporting times:

- a prismatic rectangular channel with a flood hydrograph and a fixed outfall stage, and a
  dendritic network: outlet discharge Nash-Sutcliffe efficiency >= 0.98 (issue 9's
  acceptance), peak within 2 %;
- boundary time series (tide curve, stage series, inflow with scale, baseline and gaps):
  SWMM's outfall heads and node inflows equal the imported series;
- a transverse weir: steady head equal to the weir law and to SWMM;
- the every-section model: it runs, conserves water, and its levels track SWMM's.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import pyswmm  # EPA SWMM 5 (the `peers` extra, installed by the test set-up)
import pytest

from tests.cases.swmm_cases import write_channel, write_dendritic
from twin.config.timeseries import epoch_seconds
from twin.hydro.compile import solver_from_config
from twin.importers.swmm.importer import load_inp
from twin.network.topology import compile_network

DATA = Path(__file__).resolve().parents[1] / "data" / "swmm"
REPORT_S = 300.0


def nse(observed: np.ndarray, simulated: np.ndarray) -> float:
    """Nash-Sutcliffe efficiency: 1 - sum (sim - obs)^2 / sum (obs - mean(obs))^2."""
    return 1.0 - np.sum((simulated - observed) ** 2) / np.sum((observed - observed.mean()) ** 2)


def run_swmm(path: Path, links=(), nodes=(), node_attr="head", every=REPORT_S):
    """SWMM run: elapsed seconds and, per link its flow and per node ``node_attr``, every
    ``every`` seconds."""
    out: dict[str, list] = {k: [] for k in (*links, *nodes)}
    t = []
    with pyswmm.Simulation(str(path)) as sim:
        lk, nd = pyswmm.Links(sim), pyswmm.Nodes(sim)
        start = sim.start_time
        sim.step_advance(int(every))
        for _ in sim:
            t.append((sim.current_time - start).total_seconds())
            for k in links:
                out[k].append(lk[k].flow)
            for k in nodes:
                out[k].append(getattr(nd[k], node_attr))
    for f in (path.with_suffix(".rpt"), path.with_suffix(".out")):
        f.unlink(missing_ok=True)
    return np.array(t), {k: np.array(v) for k, v in out.items()}


class TwinRun:
    """An imported model stepped at dt, sampling every REPORT_S seconds."""

    def __init__(self, path: Path, dt: float | None = None, dx_m: float | None = None):
        self.cfg = load_inp(path, dx_m=dx_m)
        self.net = compile_network(self.cfg)
        self.solver = solver_from_config(self.cfg, self.net)
        self.dt = dt or self.cfg.run.dt_s
        self.duration = epoch_seconds(self.cfg.run.end) - epoch_seconds(self.cfg.run.start)
        self.v0 = self.solver.total_volume()

    def outlet_q(self, reach: str) -> float:
        r = self.net.reach_index(reach)
        return float(self.solver.state.q_pt[self.net.arrays.reach_pt[r + 1] - 1])

    def run(self, sample) -> tuple[np.ndarray, list]:
        per = round(REPORT_S / self.dt)
        assert abs(per * self.dt - REPORT_S) < 1e-6, "dt must divide the reporting step"
        t, values = [], []
        for k in range(round(self.duration / self.dt)):
            status, _ = self.solver.advance(self.dt)
            assert status == 0, self.solver.describe_failure(status)
            if (k + 1) % per == 0:
                t.append((k + 1) * self.dt)
                values.append(sample(self))
        return np.array(t), values

    def balance_error(self) -> float:
        """(change of stored volume - net inflow) / total inflow volume."""
        b = self.solver.balance
        dv = self.solver.total_volume() - self.v0
        return (dv - (b.bc_in.sum() + b.lateral[0])) / max(abs(b.lateral[0]), 1.0)


def compare_outlet(path: Path, link: str, dt: float | None, dx_m: float | None = None):
    ts, sw = run_swmm(path, links=[link])
    twin = TwinRun(path, dt, dx_m)
    tt, q = twin.run(lambda m: m.outlet_q(link))
    q_swmm = np.interp(tt, ts, sw[link])
    return q_swmm, np.array(q), twin


@pytest.mark.parametrize("dt", [None, 300.0])
def test_prismatic_channel_outlet_hydrograph_matches_swmm(tmp_path, dt):
    """3 km channel, 30 conduits, width 20 m, slope 5e-4, n 0.03, flood 10 -> 60 -> 10
    m3/s over 6 h, fixed outfall stage; twin at SWMM's routing step and at 300 s."""
    path = write_channel(
        tmp_path / "channel.inp", n_segments=30, length_m=3000.0, width_m=20.0, slope=5e-4,
        base_flow_m3s=10.0, peak_flow_m3s=60.0, rise_start_h=1.0, flood_duration_h=6.0,
        hours=12.0, depth_m=6.0,
    )  # fmt: skip
    q_swmm, q_twin, twin = compare_outlet(path, "C29", dt)
    efficiency = nse(q_swmm, q_twin)
    print(
        f"channel dt={twin.dt:g} s: NSE {efficiency:.5f}, peaks {q_swmm.max():.3f} / {q_twin.max():.3f}"
    )
    assert efficiency >= 0.98
    assert q_twin.max() == pytest.approx(q_swmm.max(), rel=0.02)
    assert abs(twin.balance_error()) < 1e-6


def test_dendritic_network_outlet_hydrograph_matches_swmm(tmp_path):
    """Main stem, 3 tributaries and 3 sub-tributaries (130 conduits of about 250 m), one
    flood hydrograph per branch head, fixed outfall stage."""
    path = write_dendritic(tmp_path / "dendritic.inp", dx_m=250.0, hours=24.0)
    q_swmm, q_twin, twin = compare_outlet(path, "Mc39", None)
    efficiency = nse(q_swmm, q_twin)
    print(f"dendritic: NSE {efficiency:.5f}, peaks {q_swmm.max():.3f} / {q_twin.max():.3f}")
    assert len(twin.cfg.model.reaches) > 100
    assert efficiency >= 0.98
    assert q_twin.max() == pytest.approx(q_swmm.max(), rel=0.02)
    assert abs(twin.balance_error()) < 1e-6


BOUNDARIES = """[OPTIONS]
FLOW_UNITS CMS
FLOW_ROUTING DYNWAVE
START_DATE 01/01/2024
START_TIME 06:00
END_DATE 01/02/2024
END_TIME 12:00
ROUTING_STEP 10
REPORT_STEP 00:05:00
[JUNCTIONS]
J1 5.0 10 1.5
J2 5.0 10 1.5
[OUTFALLS]
O_T 4.0 TIDAL TC
O_S 4.0 TIMESERIES ST
[CONDUITS]
C1 J1 O_T 200 0.03 0 0
C2 J2 O_S 200 0.03 0 0
[XSECTIONS]
C1 RECT_OPEN 10 50 0 0
C2 RECT_OPEN 10 50 0 0
[INFLOWS]
J1 FLOW Q1 FLOW 1.0 2.0 0.5
[TIMESERIES]
Q1 01/01/2024 10:00 1.0
Q1 01/01/2024 14:00 3.0
Q1 01/01/2024 18:00 1.0
ST 01/01/2024 08:00 6.0
ST 01/01/2024 20:00 7.0
[CURVES]
TC TIDAL 0 6.0 6 7.0 12 6.0 18 5.5 22 6.2
"""


def test_boundary_series_match_swmm(tmp_path):
    """The tide curve (hours counted from the run's start at 06:00, repeated daily, held
    after its last hour), a stage series held beyond its ends, and an inflow of
    2 x series + 0.5 with the baseline alone outside the series: SWMM's outfall heads and
    node inflow equal the imported series (stage above critical depth, so head = stage)."""
    path = tmp_path / "bounds.inp"
    path.write_text(BOUNDARIES)
    t, sw = run_swmm(path, nodes=["O_T", "O_S"])
    _, lat = run_swmm(path, nodes=["J1"], node_attr="lateral_inflow")
    cfg = load_inp(path)
    start = epoch_seconds(cfg.run.start)
    named = {x.id: x for x in cfg.model.timeseries}

    def series(name: str, lag: float = 0.0) -> np.ndarray:
        """The imported series at the sampling times (linear, as twin interpolates)."""
        return np.interp(start + t - lag, *named[name].epoch_arrays())

    bnd = {b.node: b for b in cfg.model.boundaries}
    np.testing.assert_allclose(sw["O_T"], series(bnd["O_T"].level_m), atol=1e-4)
    np.testing.assert_allclose(sw["O_S"], series(bnd["O_S"].level_m), atol=1e-4)
    # SWMM reports the inflow evaluated at the start of its 10 s routing step.
    q = series(cfg.model.laterals[0].discharge_m3s, lag=10.0)
    np.testing.assert_allclose(lat["J1"], q, atol=1e-3)
    assert q.min() == pytest.approx(0.5) and q.max() == pytest.approx(6.5, abs=0.01)
    # The run starts at 06:00 and the tide is counted from there: 6.0 m at the start,
    # the curve's maximum 7.0 m six hours later (12:00), not at 06:00 clock time.
    assert sw["O_T"][0] == pytest.approx(6.0 + 1.0 * (300 / 21600), abs=1e-3)
    assert t[np.argmax(sw["O_T"][: 24 * 12])] == pytest.approx(6 * 3600.0)


WEIR = """[OPTIONS]
FLOW_UNITS CMS
FLOW_ROUTING DYNWAVE
START_DATE 01/01/2024
END_DATE 01/01/2024
END_TIME 08:00
ROUTING_STEP 5
REPORT_STEP 00:05:00
[STORAGE]
S 10.0 5.0 1.0 FUNCTIONAL 0 0 1000
[JUNCTIONS]
J 10.0 5.0 0.3
[OUTFALLS]
O 9.9 FREE
[WEIRS]
W S J TRANSVERSE 1.0 1.84
[CONDUITS]
C J O 100 0.03 0 0 5.0
[XSECTIONS]
W RECT_OPEN 2.0 4.0 0 0
C RECT_OPEN 3.0 20.0 0 0
[INFLOWS]
S FLOW "" FLOW 1.0 1.0 5.0
"""


def test_transverse_weir_head_matches_weir_law_and_swmm(tmp_path):
    """A 1000 m2 pond fed with 5 m3/s spills over a 4 m transverse weir (Cd 1.84, crest
    1 m) into a channel that falls freely to an outfall, so the weir flows free. Steady head over the crest H = (Q / (Cd L))^(2/3) = 0.773 m:
    twin within 1 mm (m = Cd / sqrt(2g) makes its law SWMM's), SWMM within 1 cm."""
    path = tmp_path / "weir.inp"
    path.write_text(WEIR)
    _, sw = run_swmm(path, nodes=["S"])
    twin = TwinRun(path, dt=60.0)
    _, z = twin.run(lambda m: float(m.solver.state.z_node[m.net.node_index("S")]))
    head = (5.0 / (1.84 * 4.0)) ** (2.0 / 3.0)
    assert z[-1] - 11.0 == pytest.approx(head, abs=1e-3)
    assert sw["S"][-1] - 11.0 == pytest.approx(head, abs=1e-2)
    assert abs(twin.balance_error()) < 1e-6


def test_every_section_model_runs_and_tracks_swmm(tmp_path):
    """The model with every supported section (weirs, orifices, pumps, storage, all outfall
    kinds, all open shapes) runs 12 h in twin (50 m spacing, 60 s steps), conserves water,
    and its junction and storage levels stay within 0.15 m of SWMM's on average. The
    tolerance covers laws that differ on purpose (twin's sluice for SWMM's orifice, rating
    outfalls for SWMM's per-step outfall depth): it checks that every mapped element
    behaves like its SWMM original, not the precision of either model."""
    src = DATA / "all_sections.inp"
    path = tmp_path / "all_sections.inp"
    path.write_text(src.read_text())
    (tmp_path / "stage_ts.dat").write_text((DATA / "stage_ts.dat").read_text())
    nodes = ["J1", "J2", "J3", "J4", "S1", "S2"]
    t, sw = run_swmm(path, links=["P1"], nodes=nodes)
    twin = TwinRun(path, dt=60.0, dx_m=50.0)
    ids = [s.id for s in twin.cfg.model.structures]
    _, rows = twin.run(
        lambda m: (
            [m.solver.state.z_node[m.net.node_index(n)] for n in nodes]
            + [m.solver.state.q_struct[ids.index("P1")]]
        )
    )
    rows = np.array(rows)
    n = min(len(t), len(rows))
    for i, node in enumerate(nodes):
        diff = np.mean(np.abs(rows[:n, i] - sw[node][:n]))
        print(f"{node}: mean |twin - SWMM| = {diff:.3f} m")
        assert diff < 0.15, node
    np.testing.assert_allclose(rows[:n, -1], sw["P1"][:n], atol=1e-9)  # pump at 0.8 m3/s
    assert abs(twin.balance_error()) < 1e-4
    assert twin.cfg.run.start == datetime(2024, 1, 1)
