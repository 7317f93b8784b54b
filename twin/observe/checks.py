"""The observations a config names (``[observations]``), checked when it loads for a run: the
files read, and every value at a station the run will have, of a quantity it simulates,
inside its period; each problem a ConfigIssue, reported with the config's own."""

from __future__ import annotations

from ..config.loaded import LoadedConfig
from ..config.timeseries import epoch_seconds
from ..errors import ConfigIssue
from .files import collect_observations
from .skill import period_end

HYDRO_QUANTITIES = ("water_level", "discharge")
QUALITY_QUANTITIES = ("nh3n", "no3n", "po4p", "tn", "tp")


def simulated_quantities(cfg: LoadedConfig, at_storage: bool) -> tuple[str, ...]:
    """What a run of ``cfg`` records at a section (or at a storage node)."""
    hydro = ("water_level",) if at_storage else HYDRO_QUANTITIES
    return hydro + (QUALITY_QUANTITIES if cfg.model.quality.enabled else ())


def check_observations(cfg: LoadedConfig) -> list[ConfigIssue]:
    ob = cfg.model.observations
    if ob is None:
        return []
    obs, issues = collect_observations(ob.files)
    sections = {s.id for s in cfg.model.sections}
    storage = {n.id for n in cfg.model.nodes if n.kind == "storage"}
    t0 = epoch_seconds(cfg.run.start) if cfg.run else None
    t1 = epoch_seconds(cfg.run.end) if cfg.run else None
    for i in range(len(obs)):
        path, where = obs.origin[i]
        st, q, ag = str(obs.station[i]), str(obs.quantity[i]), str(obs.aggregation[i])
        if st not in sections and st not in storage:
            issues.append(
                ConfigIssue(
                    path,
                    f"{where}.station_id",
                    f"station '{st}' is neither a section nor a storage node of the model",
                    "stations are the model's [[sections]] and storage nodes by id",
                )
            )
            continue
        if q not in simulated_quantities(cfg, st not in sections):
            issues.append(
                ConfigIssue(
                    path,
                    f"{where}.quantity",
                    f"the model does not simulate {q} at '{st}'",
                    f"leave {q} out of the observation files named in [observations]",
                )
            )
            continue
        if t0 is not None:
            ts = float(obs.t_s[i])
            te = ts if ag == "instant" else period_end(ts, float(obs.utc_offset_s[i]), ag)
            if ts < t0 - 1e-6 or te > t1 + 1e-6:
                issues.append(
                    ConfigIssue(
                        path,
                        f"{where}.time",
                        f"{ag} {q} at '{st}' lies outside the run ({cfg.run.start} to "
                        f"{cfg.run.end} UTC)",
                        "give observations inside the run, or run the period they cover",
                    )
                )
    return issues
