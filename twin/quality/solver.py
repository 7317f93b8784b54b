"""The water-quality solver: owns the state and work arrays of one model's water quality and
advances them after each hydrodynamic step (``twin.quality.step``), from the arrays that
``twin.quality.compile`` made; the mass balance and the process budgets per source group."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..hydro.solver import HydroSolver
from ..jit import StepKernel
from ..network.topology import CompiledNetwork
from ..vocab.species import SPECIES
from .cells import TransportWork, set_volumes
from .compile import DEFAULT_TEMPERATURE_C, CompiledQuality, compile_quality
from .kinetics import BUDGET_NAMES, N_BUDGET, N_ROW_WORK
from .loads import PointLoad
from .step import QualityState, QualityWork, quality_step

if TYPE_CHECKING:
    from ..config.loaded import LoadedConfig


def start_volumes(cq: CompiledQuality, hydro: HydroSolver) -> tuple[np.ndarray, np.ndarray]:
    """Volumes (m3) of the reach cells and nodes in the hydrodynamic state now, as its
    continuity carries them (``HydroState.a_pt`` and ``v_node``; see ``CompiledQuality.psi``):
    the volumes the first step starts from."""
    a = cq.inputs.net
    a_pt = hydro.state.a_pt
    psi = cq.psi
    vcell = np.zeros(cq.inputs.ta.n_rc)
    for r in range(a.reach_from.size):
        p0, p1 = a.reach_pt[r], a.reach_pt[r + 1]
        dx = a.cell_dx[p0 - r : p1 - 1 - r]
        vcell[p0 - r : p1 - 1 - r] = dx * (
            psi * a_pt[p0 + 1 : p1] + (1.0 - psi) * a_pt[p0 : p1 - 1]
        )
    return vcell, hydro.state.v_node.copy()


class QualitySolver:
    """Water quality of one model: owns its state and work arrays.

    ``QualitySolver(compiled, hydro)`` takes a ``CompiledQuality`` and the hydrodynamic
    solver whose steps it follows: it reads ``hydro.fluxes`` after every step and, once, the
    volumes of the hydrodynamic state (the initial masses). ``QualitySolver.from_config``
    compiles first.
    """

    def __init__(self, compiled: CompiledQuality, hydro: HydroSolver):
        cq = compiled
        self.compiled = cq
        self.hydro = hydro
        self._step = StepKernel(quality_step)
        self.params = cq.params
        self.inputs = cq.inputs
        self.layout = lay = cq.layout
        self.ta = ta = cq.inputs.ta
        """The transport topology (``twin.quality.cells.TransportArrays``)."""
        self.loads = cq.inputs.loads
        self.temperature = cq.temperature
        self.temperature_source = cq.temperature_source
        ntr = lay.ntr
        n_nodes = ta.node_type.size
        self.work = self._allocate(ntr)
        conc = cq.initial_conc.copy()
        mass = np.zeros((ta.n_tc, ntr))
        set_volumes(ta, *start_volumes(cq, hydro), self.work.transport)
        v0 = self.work.transport.v0
        mass[:] = conc[: ta.n_tc] * np.maximum(v0, 0.0)[:, None]
        self.state = QualityState(
            mass=mass,
            conc=conc,
            budget=np.zeros((lay.n_groups, N_BUDGET)),
            balance=np.zeros((ntr, 4)),
            initial_mass=mass.sum(axis=0),
            node_mass_in=np.zeros((n_nodes, ntr)),
            node_mass_out=np.zeros((n_nodes, ntr)),
        )
        self.n_substeps_max = 0
        """The most advection sub-steps of a step so far."""

    @classmethod
    def from_config(
        cls,
        cfg: LoadedConfig,
        net: CompiledNetwork,
        hydro: HydroSolver,
        point_loads: list[PointLoad] | None = None,
        temperature: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> QualitySolver:
        """The water quality of ``cfg`` following ``hydro`` (``compile.compile_quality``)."""
        compiled = compile_quality(
            cfg, net, hydro.bc.kind, hydro.st.from_node, hydro.st.to_node, point_loads, temperature
        )
        return cls(compiled, hydro)

    def _allocate(self, ntr: int) -> QualityWork:
        ta = self.ta
        n_tc, n_nodes = ta.n_tc, ta.node_type.size
        nmax = max(int(np.max(np.diff(ta.reach_cell_ptr))) if ta.reach_cell_ptr.size > 1 else 1, 1)
        z = np.zeros
        transport = TransportWork(
            v0=z(n_tc),
            v1=z(n_tc),
            vs=z(n_tc),
            out_rate=z(n_tc),
            dmass=z((n_tc, ntr)),
            out_mass=z((n_tc, ntr)),
            scale=z(n_tc),
            n_out=np.zeros(n_tc, np.int64),
            div_cells=np.zeros(n_tc, np.int64),
            node_qout=z(n_nodes),
            node_in=z((n_nodes, ntr)),
            node_prev=z(ntr),
            order=np.zeros(n_nodes, np.int64),
            indeg=np.zeros(n_nodes, np.int64),
            frac_end=z(1),
            qface_int=z(ta.if_left.size),
            qface_end=z(ta.ef_cell.size),
            flux_int=z((ta.if_left.size, ntr)),
            flux_end=z((ta.ef_cell.size, ntr)),
            tri_a=z(nmax),
            tri_b=z(nmax),
            tri_c=z(nmax),
            tri_k=z(nmax + 1),
            tri_x=z((nmax, ntr)),
            step_in=z((n_nodes, ntr)),
            step_out=z((n_nodes, ntr)),
        )
        return QualityWork(
            transport=transport,
            load_cell=z((n_tc, ntr)),
            load_node=z((n_nodes, ntr)),
            bc_conc=z((n_nodes, ntr)),
            dispersion_m2_s=z(self.inputs.dispersion_m2_s.size),
            node_area=z(n_nodes),
            depth=z(n_tc),
            kin_rows=z((self.inputs.kin_rows.shape[0], N_ROW_WORK)),
        )

    def temperature_at(self, t: float) -> float:
        """Water temperature (C) at epoch time t."""
        if self.temperature is None:
            return DEFAULT_TEMPERATURE_C
        times, values = self.temperature
        return float(np.interp(t, times, values)) if times.size > 1 else float(values[0])

    # --------------------------------------------------------------------- step
    def step(self, t0: float, dt: float) -> None:
        """Advance water quality over the hydro step just taken (from t0, dt seconds), with
        the fluxes and volumes it left in ``hydro.fluxes``."""
        n_sub = self._step(
            self.params,
            self.inputs,
            self.hydro.fluxes,
            self.state,
            self.work,
            float(t0),
            float(dt),
            float(self.temperature_at(t0 + 0.5 * dt)),
        )
        self.n_substeps_max = max(self.n_substeps_max, n_sub)

    # ----------------------------------------------------------------- balance
    def mass_balance(self) -> dict:
        """Mass balance per species (g) since the start: loads, boundary in and out,
        withdrawals, each process, storage change and the error."""
        lay = self.layout
        st = self.state
        out = {}
        b = st.budget[0]
        process_effect = {
            "on": {"ammonification": -b[0], "settling_on": -b[4]},
            "nh3n": {"ammonification": b[0], "nitrification": -b[1], "sediment_release_nh3": b[6]},
            "no3n": {"nitrification": b[1], "denitrification": -b[2]},
            "op": {"p_mineralisation": -b[3], "settling_op": -b[5]},
            "po4p": {"p_mineralisation": b[3], "sediment_release_po4": b[7]},
            "tracer": {},
        }
        for sp in SPECIES:
            k = lay.col(sp, 0)
            final = float(st.mass[:, k].sum())
            init = float(st.initial_mass[k])
            loads, bin_, bout, wd = (float(x) for x in st.balance[k])
            proc = {name: float(v) for name, v in process_effect[sp].items()}
            expected = loads + bin_ - bout - wd + sum(proc.values())
            change = final - init
            scale = max(abs(init), abs(final), loads + bin_, bout + wd, 1e-30)
            out[sp] = {
                "units": "g",
                "initial_mass": init,
                "final_mass": final,
                "storage_change": change,
                "loads_in": loads,
                "boundary_in": bin_,
                "boundary_out": bout,
                "withdrawals": wd,
                "processes": proc,
                "error": change - expected,
                "relative_error": (change - expected) / scale,
            }
        return out

    def budgets_by_group(self) -> dict:
        return {
            g: {name: float(v) for name, v in zip(BUDGET_NAMES, self.state.budget[i], strict=True)}
            for i, g in enumerate(self.layout.groups)
        }
