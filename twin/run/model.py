"""The model: a compiled network with its hydrodynamics (and water quality), stepping in time.

    model = Model.from_config("scenarios/baseline.toml")
    model.run_until(model.end, callback=lambda m: ...)   # callback before each step
    model.save_restart("state.nc")

Several models can live in one process: every array belongs to its model.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from ..config import LoadedConfig
from ..config.timeseries import epoch_seconds
from ..errors import SimulationError, UserError
from ..forcing import ForcingState, PreparedForcing, prepare_forcing
from ..hydro.compile import solver_from_config
from ..hydro.solver import HydroSolver
from ..io.restart import load_restart, network_signature, save_restart
from ..network.topology import CompiledNetwork, compile_network
from ..quality.solver import QualitySolver
from .driver import Control, Hook, drive
from .inputs import model_inputs
from .load import load_checked_scenario

EPOCH = datetime(1970, 1, 1)


def to_datetime(t_epoch: float) -> datetime:
    """Epoch seconds (UTC) to a naive UTC datetime."""
    return EPOCH + timedelta(seconds=float(t_epoch))


class Model:
    """One configured model run: network, hydrodynamics, and their state."""

    def __init__(self, cfg: LoadedConfig, forcing: PreparedForcing | None = None):
        """A model of ``cfg``. ``forcing`` holds the prepared weather, runoff and sources
        (``twin.forcing.prepare_forcing``); when None it is prepared from the config."""
        self.cfg = cfg
        self.network: CompiledNetwork = compile_network(cfg)
        self.forcing = forcing if forcing is not None else prepare_forcing(cfg)
        lengths = {r.id: r.length_m for r in cfg.model.reaches}
        laterals, loads, temperature = model_inputs(self.forcing, self.network, lengths)
        self.hydro: HydroSolver = solver_from_config(cfg, self.network, laterals)
        self.quality = (
            QualitySolver.from_config(cfg, self.network, self.hydro, loads, temperature)
            if cfg.model.quality.enabled
            else None
        )
        self.dt = float(cfg.run.dt_s)
        self.start = epoch_seconds(cfg.run.start)
        self.end = epoch_seconds(cfg.run.end)
        self.structure_ids = [s.id for s in cfg.model.structures]
        self.halvings = 0
        self.hydro_time_s = 0.0
        """Wall time spent in the hydrodynamic steps so far (s, perf_counter)."""
        self.quality_time_s = 0.0
        """Wall time spent in the water-quality steps so far (s, perf_counter)."""

    @classmethod
    def from_config(cls, path: str | Path) -> Model:
        """A model from a scenario or model file, interventions applied."""
        return cls(load_checked_scenario(path))

    # ------------------------------------------------------------------ time
    @property
    def time(self) -> float:
        """Model time, epoch seconds UTC."""
        return self.hydro.time

    @property
    def datetime(self) -> datetime:
        return to_datetime(self.time)

    @property
    def steps_taken(self) -> int:
        return int(self.hydro.state.clock[1])

    # --------------------------------------------------------------- stepping
    def step(self) -> None:
        """Advance one time step of ``dt`` seconds.

        Raises SimulationError naming the time, place and variable when the step fails even
        after halving; the model keeps the state from before the step.
        """
        t0 = self.time
        c0 = time.perf_counter()
        status, halvings = self.hydro.advance(self.dt)
        c1 = time.perf_counter()
        self.hydro_time_s += c1 - c0
        if status != 0:
            when = to_datetime(self.time + self.dt).isoformat(timespec="seconds")
            raise SimulationError(
                f"the step ending {when} failed after {halvings - 1} halvings: "
                f"{self.hydro.describe_failure(status)}"
            )
        self.halvings += halvings
        if self.quality is not None:
            self.quality.step(t0, self.dt)
            self.quality_time_s += time.perf_counter() - c1

    def run_until(
        self,
        t_end: float,
        callback: Callable[[Model], None] | None = None,
        hooks: Sequence[Hook] = (),
    ) -> None:
        """Step until model time reaches ``t_end`` (epoch s). ``callback(model)`` runs before
        each step (control rules and data assimilation act there, see set_structure);
        ``hooks`` act around the steps after it (``twin.run.driver``: recording, progress)."""
        drive(self, t_end, ([Control(callback)] if callback is not None else []) + list(hooks))

    def set_structure(self, structure_id: str, value: float | None) -> None:
        """Override a structure's setting from the next step on (weir crest level m, sluice
        opening m, pump running fraction 0-1); None hands it back to its series or rule."""
        try:
            k = self.structure_ids.index(structure_id)
        except ValueError:
            raise UserError(f"no structure '{structure_id}'") from None
        self.hydro.set_structure(k, value)

    # ---------------------------------------------------------------- restart
    def signature(self) -> str:
        a = self.network.arrays
        return network_signature(
            [
                a.reach_pt,
                a.pt_chainage,
                a.reach_from,
                a.reach_to,
                ",".join(self.network.node_ids),
                ",".join(self.structure_ids),
            ]
        )

    def state_groups(self) -> dict[str, dict[str, np.ndarray]]:
        """Every array needed to continue bit for bit."""
        h = self.hydro
        groups = {
            "hydro": {k: v for k, v in h.state._asdict().items()},
            "hydro_balance": {k: v for k, v in h.balance._asdict().items()},
            "structures": {"override": h.st.override},
        }
        groups["hydro_balance"]["initial_volume"] = np.array([h.initial_volume])
        if self.quality is not None:
            groups["quality"] = dict(self.quality.state._asdict())
        fs = self.forcing.state_end
        if fs is not None and abs(fs.time_s - self.time) < 1e-6:
            # At the end of its forcing window the model can hand the runoff stores on.
            groups["forcing"] = fs.arrays()
        return groups

    def save_restart(self, path: str | Path) -> Path:
        return save_restart(
            path,
            self.state_groups(),
            {
                "model": self.cfg.name,
                "network_signature": self.signature(),
                "time": self.datetime.isoformat(timespec="seconds"),
                "time_epoch_s": self.time,
            },
        )

    @classmethod
    def from_restart(cls, cfg: LoadedConfig, path: str | Path) -> Model:
        """A model of ``cfg`` continuing from a restart, bit for bit.

        A restart written at the end of a forcing window (the forecast's hot start) holds
        the runoff stores: the forcing is prepared from the restart's time on, continuing
        them. A restart written in the middle of a run holds no such stores; the forcing is
        then prepared over ``cfg``'s own period, as the run that wrote it prepared it, and
        the model continues from the restart's time (it must lie inside that period)."""
        groups, attrs = load_restart(path)
        t = float(attrs["time_epoch_s"])
        if "forcing" in groups:
            cfg = dataclasses.replace(cfg, run=cfg.run.model_copy(update={"start": to_datetime(t)}))
            model = cls(cfg, prepare_forcing(cfg, ForcingState.from_arrays(groups["forcing"])))
        else:
            start, end = epoch_seconds(cfg.run.start), epoch_seconds(cfg.run.end)
            if not start <= t < end:
                raise UserError(
                    f"restart {path} was written at {to_datetime(t).isoformat()} in the "
                    "middle of a run, without the runoff stores of that time; continue it "
                    f"with a config whose run period contains that time (this one runs "
                    f"{cfg.run.start} to {cfg.run.end})"
                )
            model = cls(cfg)
        model.load_restart(path)
        model.start = t
        return model

    def load_restart(self, path: str | Path) -> None:
        """Continue from a restart written by a model with the same network."""
        groups, attrs = load_restart(path)
        if attrs.get("network_signature") != self.signature():
            raise UserError(
                f"restart {path} was written for a different network "
                f"(model '{attrs.get('model')}'); it cannot start this one"
            )
        h = self.hydro
        for name, arr in groups["hydro"].items():
            getattr(h.state, name)[...] = arr
        for name, arr in groups["hydro_balance"].items():
            if name == "initial_volume":
                h.initial_volume = float(arr[0])
            else:
                getattr(h.balance, name)[...] = arr
        h.st.override[...] = groups["structures"]["override"]
        if self.quality is not None:
            if "quality" not in groups:
                raise UserError(f"restart {path} holds no water-quality state")
            for name, arr in groups["quality"].items():
                getattr(self.quality.state, name)[...] = arr

    # ---------------------------------------------------------------- balance
    def water_balance(self) -> dict:
        """The water balance since the start (m3), per boundary node, per node and total."""
        h = self.hydro
        b = h.balance
        net = self.network
        inflow = float(b.bc_in.sum() + b.lateral[0])
        change = h.total_volume() - h.initial_volume
        scale = max(abs(h.initial_volume), float(np.abs(b.bc_in).sum() + abs(b.lateral[0])), 1.0)
        return {
            "units": "m3",
            "boundary_inflow": {
                net.node_ids[j]: float(b.bc_in[j]) for j in np.nonzero(h.bc.kind)[0]
            },
            "lateral_inflow": float(b.lateral[0]),
            "total_inflow": inflow,
            "initial_volume": h.initial_volume,
            "final_volume": h.initial_volume + change,
            "storage_change": change,
            "error": change - inflow,
            "relative_error": (change - inflow) / scale,
            "relative_error_basis": "max(initial volume, sum of |boundary and lateral volumes|)",
            "node_error": {net.node_ids[j]: float(b.node_err[j]) for j in range(net.n_nodes)},
            "reach_error": {net.reach_ids[r]: float(b.reach_err[r]) for r in range(net.n_reaches)},
        }
