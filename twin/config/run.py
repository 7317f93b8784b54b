"""Schema of run settings: period, time step, output, numerical parameters."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field, model_validator

from .base import RelPath, StrictModel


class HydroNumerics(StrictModel):
    """Parameters of the Preissmann scheme and its iteration (see ``twin.hydro.solver``)."""

    theta: float = Field(0.65, ge=0.5, le=1.0, description="Time weighting; 0.55-0.7 usual.")
    psi: float = Field(0.5, gt=0.0, lt=1.0, description="Space weighting; 0.5 centred.")
    max_iterations: int = Field(
        5, ge=1, le=20, description="Most iterations per step; most steps converge in 2-3."
    )
    tolerance_m: float = Field(
        1e-5, gt=0, description="Level change (m) between iterations that ends the iteration."
    )
    max_halvings: int = Field(6, ge=0, le=20, description="Times a failed step is halved.")
    no_convergence_m: float = Field(
        0.05,
        gt=0,
        description="Level change (m) still left in a step's last iteration above which the "
        "step fails and is halved. Between tolerance_m and this a step is accepted "
        "unconverged: its continuity still conserves volume, and the residual it leaves "
        "between area and level is taken back by the next step (see twin.hydro.step).",
    )
    max_jump_m: float = Field(
        5.0,
        gt=0,
        description="Largest level change (m) at any point in one step before the step fails "
        "and is halved (at a dry point: the depth over the bed it stands for). No flood "
        "wave raises a level by metres in one step: a jump this large is the scheme "
        "going unstable.",
    )
    max_dry_m: float = Field(
        20.0,
        gt=0,
        description="Depth (m) below its bed a point's level may fall before the step fails: "
        "a level this deep in the slot is a dry reach draining through it, far beyond "
        "the slot depth where that should stop (see twin.network.sections).",
    )
    slot_width_fraction: float = Field(
        0.01,
        gt=0,
        le=0.1,
        description="Width of the Preissmann slot below the bed as a share of the bed width "
        "(assumed; see twin.network.sections).",
    )
    min_slot_width_m: float = Field(0.01, gt=0, description="Narrowest slot, m (assumed).")
    slot_depth_m: float = Field(
        1.0,
        gt=0,
        description="Depth below the bed over which a dry section's film flow area and "
        "conveyance shrink to nothing, m: a dry reach stops draining through its slot about "
        "this far below its bed (assumed; see twin.network.sections).",
    )
    wet_depth_m: float = Field(
        0.2,
        gt=0,
        le=1.0,
        description="Hydraulic depth (area / top width) below which a box's momentum equation "
        "turns upwind and loses its convection, m; withdrawals taper off below this depth "
        "(assumed; see twin.hydro.wetdry).",
    )
    stage_table_step_m: float = Field(0.05, gt=0, le=1.0)
    initial_level_m: float | None = Field(
        None, description="Uniform initial level where no node or reach gives one."
    )
    gravity_m_s2: float = Field(9.81, gt=9.7, lt=9.9)


class RunSettings(StrictModel):
    start: datetime
    end: datetime
    dt_s: float = Field(..., gt=0, le=86400)
    output_interval_s: float = Field(
        3600.0, gt=0, description="Interval of section and storage-node time series, s."
    )
    map_interval_s: float | None = Field(
        None,
        gt=0,
        description="Interval of fields on the whole mesh, s; default output_interval_s.",
    )
    output_dir: RelPath | None = Field(
        None, description="Run folder; default results/<scenario name>/ under the current folder."
    )
    hydro: HydroNumerics = Field(default_factory=HydroNumerics)
    profile_reaches: list[str] = Field(
        default_factory=list,
        description="Reaches of the longitudinal-profile plot: ids or names, or shell-style "
        "patterns matching them (e.g. 'wusong*'). The plot follows the longest path through "
        "the reaches chosen; empty: the longest path through the whole network.",
    )

    @model_validator(mode="after")
    def _period(self):
        if self.end <= self.start:
            raise ValueError("end must be after start")
        for name in ("output_interval_s", "map_interval_s"):
            value = getattr(self, name)
            if value is None:
                continue
            ratio = value / self.dt_s
            if abs(ratio - round(ratio)) > 1e-9 or round(ratio) < 1:
                raise ValueError(f"{name} must be a whole multiple of dt_s")
        return self
