"""Interventions: typed transforms of a loaded model, applied in the order the scenario chain
declares them (the root scenario's first, the leaf's last).

Each transform takes the validated ``ModelConfig`` and returns a new one; the input is never
changed (items are rebuilt and revalidated, lists are copied). Anything an intervention names
that does not exist or does not fit becomes a ``ConfigIssue`` against the scenario file and
``interventions[i].<field>``; all of them are raised together as one ``ConfigError``.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ValidationError

from ..errors import ConfigError, ConfigIssue
from ..vocab.species import DERIVED
from .checks import check_model
from .interventions import (
    AgriculturalNpsReduction,
    DeclaredIntervention,
    PEnterpriseRemediation,
    SewerRepair,
    StructureOperation,
    TailWaterWetland,
    WaterTransfer,
    WwtpExpansion,
)
from .loaded import LoadedConfig
from .loader import load_config
from .model import ModelConfig
from .network import Lateral
from .timeseries import to_utc_naive

TITLES = {
    "p_enterprise_remediation": "Phosphorus-enterprise remediation",
    "wwtp_expansion": "Sewage-plant expansion",
    "tail_water_wetland": "Tail-water wetland",
    "sewer_repair": "Sewer-network repair",
    "agricultural_nps_reduction": "Agricultural non-point control",
    "structure_operation": "Structure operation",
    "water_transfer": "Water transfer from Taihu",
}


@dataclass(frozen=True)
class AppliedIntervention:
    """What one intervention did, for the log and the report.

    ``changed`` lists the ids of the model items it changed or added.
    """

    file: Path
    index: int
    type: str
    title: str
    description: str
    changed: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.file.name} interventions[{self.index}]"


class _RejectedError(Exception):
    """An intervention that cannot be applied; its issues are already recorded."""


def _fmt(v: float) -> str:
    """A number for a sentence: 30,000 rather than 3e+04; 0.3 rather than 0.30000000000000004."""
    return f"{v:,.0f}" if abs(v) >= 1000 else format(v, ".4g")


def _value(v: float | str, unit: str) -> str:
    return f"series '{v}'" if isinstance(v, str) else f"{_fmt(v)} {unit}"


def _listing(ids: list[str], limit: int = 8) -> str:
    return ", ".join(ids[:limit]) + (f" ... ({len(ids)} in all)" if len(ids) > limit else "")


def _effluent_presets() -> dict | None:
    """The effluent presets of the load module, or None while that module does not exist."""
    if importlib.util.find_spec("twin.forcing.loads") is None:
        return None
    return getattr(importlib.import_module("twin.forcing.loads"), "EFFLUENT_PRESETS", None)


class _Applier:
    def __init__(self, cfg: LoadedConfig):
        self.cfg = cfg
        self.m: ModelConfig = cfg.model
        self.issues: list[ConfigIssue] = []
        self.decl: DeclaredIntervention | None = None
        self.n_transfers = 0

    # ------------------------------------------------------------------ helpers
    def issue(self, fieldname: str, message: str, fix: str = "") -> None:
        d = self.decl
        where = f"{d.field}.{fieldname}" if fieldname else d.field
        self.issues.append(ConfigIssue(d.file, where, message, fix))

    def reject(self, fieldname: str, message: str, fix: str = "") -> _RejectedError:
        self.issue(fieldname, message, fix)
        return _RejectedError()

    def rebuild(self, obj: BaseModel, update: dict, fieldname: str) -> BaseModel:
        """A validated copy of ``obj`` with ``update``; a failure is this intervention's."""
        data = obj.model_dump()
        data.update(update)
        try:
            return type(obj).model_validate(data)
        except ValidationError as exc:
            for e in exc.errors(include_url=False):
                msg = e["msg"].removeprefix("Value error, ")
                what = getattr(obj, "id", type(obj).__name__)
                self.issue(
                    fieldname,
                    f"the changed '{what}' is not valid: {msg}",
                    "change this intervention's values so that the result is valid",
                )
            raise _RejectedError() from None

    def replace(self, table: str, items: dict[int, BaseModel]) -> None:
        new = list(getattr(self.m, table))
        for k, obj in items.items():
            new[k] = obj
        self.m = self.m.model_copy(update={table: new})

    def series(self, fieldname: str, value) -> None:
        """A series id must exist and cover the run."""
        if not isinstance(value, str):
            return
        ts = next((t for t in self.m.timeseries if t.id == value), None)
        if ts is None:
            known = sorted(t.id for t in self.m.timeseries)
            self.issue(
                fieldname,
                f"time series '{value}' does not exist",
                f"declare it in the model's [[timeseries]] (known: {_listing(known)})"
                if known
                else "declare it in the model's [[timeseries]], or give a number",
            )
            return
        start, end = to_utc_naive(self.cfg.run.start), to_utc_naive(self.cfg.run.end)
        if len(ts.times) > 1 and (ts.times[0] > start or ts.times[-1] < end):
            self.issue(
                fieldname,
                f"series '{value}' covers {ts.times[0]} to {ts.times[-1]}, not the run "
                f"{start} to {end}",
                "extend the series or shorten the run",
            )

    def node(self, fieldname: str, node_id: str | None) -> None:
        if node_id is not None and node_id not in {n.id for n in self.m.nodes}:
            self.issue(fieldname, f"node '{node_id}' does not exist", "name a node of the model")

    def plant(self, fieldname: str, plant_id: str) -> int:
        """Index of sewage plant ``plant_id`` in the sources; rejects anything else."""
        plants = sorted(s.id for s in self.m.sources if s.kind == "wwtp")
        for k, s in enumerate(self.m.sources):
            if s.id == plant_id:
                if s.kind != "wwtp":
                    raise self.reject(
                        fieldname,
                        f"'{plant_id}' is a source of kind '{s.kind}', not a sewage plant",
                        f"name a plant (kind = 'wwtp'): {_listing(plants) or '(none declared)'}",
                    )
                return k
        raise self.reject(
            fieldname,
            f"sewage plant '{plant_id}' does not exist",
            f"name a plant (kind = 'wwtp'): {_listing(plants) or '(none declared)'}",
        )

    def catchments(self, choice) -> list[int]:
        all_ids = [c.id for c in self.m.catchments]
        if choice == "all":
            if not all_ids:
                raise self.reject("catchments", "the model has no catchments", "")
            return list(range(len(all_ids)))
        out = []
        for cid in choice:
            if cid not in all_ids:
                self.issue(
                    "catchments",
                    f"catchment '{cid}' does not exist",
                    f"known catchments: {_listing(sorted(all_ids))}"
                    if all_ids
                    else "the model has no catchments",
                )
            else:
                out.append(all_ids.index(cid))
        if len(out) != len(choice):
            raise _RejectedError()
        return sorted(set(out))

    # ------------------------------------------------------ p_enterprise_remediation
    def p_enterprise_remediation(self, x: PEnterpriseRemediation) -> tuple[str, list[str]]:
        sources = self.m.sources
        enterprises = {s.id: k for k, s in enumerate(sources) if s.kind == "enterprise"}
        by_id = {s.id: s for s in sources}
        chosen: set[int] = set()
        bad = False
        for sid in x.ids:
            if sid in enterprises:
                chosen.add(enterprises[sid])
            elif sid in by_id:
                bad = True
                self.issue(
                    "ids",
                    f"'{sid}' is a source of kind '{by_id[sid].kind}', not an enterprise",
                    "name sources of kind 'enterprise'",
                )
            else:
                bad = True
                self.issue(
                    "ids",
                    f"enterprise '{sid}' does not exist",
                    f"known enterprises: {_listing(sorted(enterprises)) or '(none declared)'}",
                )
        tags_in_use = sorted({t for k in enterprises.values() for t in sources[k].tags})
        for tag in x.tags:
            hits = {k for k in enterprises.values() if tag in sources[k].tags}
            if not hits:
                bad = True
                self.issue(
                    "tags",
                    f"no enterprise has the tag '{tag}'",
                    f"tags on enterprises: {_listing(tags_in_use)}"
                    if tags_in_use
                    else "tag the enterprises in the model's [[sources]]",
                )
            chosen |= hits
        if x.connect_to is not None:
            try:
                self.plant("connect_to", x.connect_to)
            except _RejectedError:
                bad = True
        if bad:
            raise _RejectedError()
        order = sorted(chosen)
        ids = [sources[k].id for k in order]
        how = " and ".join(
            p
            for p in (
                f"ids {_listing(list(x.ids))}" if x.ids else "",
                f"tags {', '.join(repr(t) for t in x.tags)}" if x.tags else "",
            )
            if p
        )
        new: dict[int, BaseModel] = {}
        unchanged: list[str] = []
        if x.tp_cap_mg_l is not None:
            cap = x.tp_cap_mg_l
            for k in order:
                conc = _cap_tp(sources[k].concentrations, cap)
                if conc is None:
                    unchanged.append(sources[k].id)
                else:
                    new[k] = self.rebuild(sources[k], {"concentrations": conc}, "tp_cap_mg_l")
            what = f"effluent TP capped at {_fmt(cap)} mg/L"
            note = "already at or below the cap, or without phosphorus"
        elif x.load_cut_fraction is not None:
            keys = _expand_species(x.species)
            keep = 1.0 - x.load_cut_fraction
            for k in order:
                conc = dict(sources[k].concentrations)
                hit = [sp for sp in conc if sp in keys and conc[sp] > 0]
                if not hit:
                    unchanged.append(sources[k].id)
                    continue
                for sp in hit:
                    conc[sp] *= keep
                new[k] = self.rebuild(sources[k], {"concentrations": conc}, "load_cut_fraction")
            if not new:
                raise self.reject(
                    "species",
                    f"none of the chosen enterprises ({_listing(ids)}) discharges "
                    f"{', '.join(x.species)}",
                    "cut a species they discharge, or choose other enterprises",
                )
            what = (
                f"{', '.join(x.species)} load cut by {_fmt(100 * x.load_cut_fraction)}% "
                "(concentrations lowered, flow kept)"
            )
            note = f"without {', '.join(x.species)}"
        else:
            for k in order:
                if sources[k].connected_to == x.connect_to:
                    unchanged.append(sources[k].id)
                else:
                    new[k] = self.rebuild(sources[k], {"connected_to": x.connect_to}, "connect_to")
            what = f"effluent connected to sewage plant '{x.connect_to}'"
            note = "already connected to it"
        self.replace("sources", new)
        text = f"{what} for {len(order)} enterprise(s) chosen by {how}: {_listing(ids)}"
        if unchanged:
            text += f"; unchanged ({note}): {_listing(unchanged)}"
        return text, [sources[k].id for k in sorted(new)]

    # ---------------------------------------------------------------- wwtp_expansion
    def wwtp_expansion(self, x: WwtpExpansion) -> tuple[str, list[str]]:
        k = self.plant("plant", x.plant)
        plant = self.m.sources[k]
        update: dict = {}
        parts = []
        if x.added_capacity_m3d is not None:
            new_capacity = plant.capacity_m3d + x.added_capacity_m3d
            update["capacity_m3d"] = new_capacity
            parts.append(
                f"capacity {_fmt(plant.capacity_m3d)} + {_fmt(x.added_capacity_m3d)} = "
                f"{_fmt(new_capacity)} m3/d"
            )
        elif x.capacity_m3d is not None:
            if x.capacity_m3d <= plant.capacity_m3d:
                raise self.reject(
                    "capacity_m3d",
                    f"{_fmt(x.capacity_m3d)} m3/d is not more than the present capacity of "
                    f"'{x.plant}' ({_fmt(plant.capacity_m3d)} m3/d)",
                    "give a larger capacity, or leave capacity_m3d out to change only the effluent",
                )
            update["capacity_m3d"] = x.capacity_m3d
            parts.append(f"capacity {_fmt(plant.capacity_m3d)} -> {_fmt(x.capacity_m3d)} m3/d")
        if x.effluent is not None:
            if isinstance(x.effluent, str):
                presets = _effluent_presets()
                if presets is not None and x.effluent not in presets:
                    raise self.reject(
                        "effluent",
                        f"unknown effluent preset '{x.effluent}'",
                        f"use one of {', '.join(sorted(presets))}, or give concentrations",
                    )
                new_eff = f"preset '{x.effluent}'"
            else:
                new_eff = ", ".join(f"{sp} {_fmt(v)}" for sp, v in x.effluent.items()) + " mg/L"
            old = plant.effluent
            old_eff = (
                f"preset '{old}'"
                if isinstance(old, str)
                else ", ".join(f"{sp} {_fmt(v)}" for sp, v in old.items()) + " mg/L"
            )
            update["effluent"] = x.effluent
            parts.append(f"effluent {old_eff} -> {new_eff}")
        self.replace("sources", {k: self.rebuild(plant, update, "plant")})
        return f"plant '{x.plant}': {'; '.join(parts)}", [x.plant]

    # ------------------------------------------------------------ tail_water_wetland
    def tail_water_wetland(self, x: TailWaterWetland) -> tuple[str, list[str]]:
        k = self.plant("plant", x.plant)
        plant = self.m.sources[k]
        removal = dict(plant.effluent_removal)
        parts = []
        for sp, v in x.removal.items():
            before = removal.get(sp)
            parts.append(
                f"{sp} {_fmt(100 * v)}%"
                + (f" (was {_fmt(100 * before)}%)" if before is not None else "")
            )
            removal[sp] = v
        self.replace("sources", {k: self.rebuild(plant, {"effluent_removal": removal}, "removal")})
        return f"wetland after plant '{x.plant}' removes {', '.join(parts)} of its effluent", [
            x.plant
        ]

    # ------------------------------------------------------------------- sewer_repair
    def sewer_repair(self, x: SewerRepair) -> tuple[str, list[str]]:
        idx = self.catchments(x.catchments)
        named = x.catchments != "all"
        n_before = len(self.issues)
        new: dict[int, BaseModel] = {}
        lines, skipped = [], []
        for k in idx:
            c = self.m.catchments[k]
            update = {}
            if x.sewer_leak_fraction is not None:
                if x.sewer_leak_fraction > c.sewer_leak_fraction and named:
                    self.issue(
                        "sewer_leak_fraction",
                        f"{_fmt(x.sewer_leak_fraction)} would raise the leak fraction of "
                        f"catchment '{c.id}' (now {_fmt(c.sewer_leak_fraction)})",
                        "a repair lowers the leak fraction: give a smaller value",
                    )
                    continue
                update["sewer_leak_fraction"] = min(c.sewer_leak_fraction, x.sewer_leak_fraction)
            elif x.leak_reduction_fraction is not None:
                update["sewer_leak_fraction"] = c.sewer_leak_fraction * (
                    1.0 - x.leak_reduction_fraction
                )
            if x.sewer_connection_fraction is not None:
                target = x.sewer_connection_fraction
                if target < c.sewer_connection_fraction and named:
                    self.issue(
                        "sewer_connection_fraction",
                        f"{_fmt(target)} would lower the connected share of catchment "
                        f"'{c.id}' (now {_fmt(c.sewer_connection_fraction)})",
                        "give a value at least the present one",
                    )
                    continue
                target = max(target, c.sewer_connection_fraction)
                if target > c.sewer_connection_fraction and c.wwtp is None:
                    if named:
                        self.issue(
                            "sewer_connection_fraction",
                            f"catchment '{c.id}' has no sewage plant to receive more sewage",
                            "set 'wwtp' on the catchment in the model, or leave it out",
                        )
                        continue
                    skipped.append(c.id)
                else:
                    update["sewer_connection_fraction"] = target
            changed = {f: v for f, v in update.items() if abs(v - getattr(c, f)) > 0.0}
            if changed:
                new[k] = self.rebuild(c, changed, "catchments")
                lines.append(
                    f"{c.id} ("
                    + ", ".join(
                        f"{f.removeprefix('sewer_')} {_fmt(getattr(c, f))} -> {_fmt(v)}"
                        for f, v in changed.items()
                    )
                    + ")"
                )
        if len(self.issues) > n_before:
            raise _RejectedError()
        if not new:
            raise self.reject(
                "",
                "changes nothing: every chosen catchment already meets these values",
                "give lower leak or higher connection fractions",
            )
        self.replace("catchments", new)
        text = f"catchments: {_listing(lines)}"
        if skipped:
            text += (
                f"; connection unchanged where no plant receives the sewage: {_listing(skipped)}"
            )
        return text, [self.m.catchments[k].id for k in sorted(new)]

    # ----------------------------------------------------- agricultural_nps_reduction
    def agricultural_nps_reduction(self, x: AgriculturalNpsReduction) -> tuple[str, list[str]]:
        idx = self.catchments(x.catchments)
        keep = 1.0 - x.reduction_fraction
        new = {
            k: self.rebuild(
                self.m.catchments[k],
                {"nonpoint_load_factor": self.m.catchments[k].nonpoint_load_factor * keep},
                "reduction_fraction",
            )
            for k in idx
        }
        ids = [self.m.catchments[k].id for k in idx]
        self.replace("catchments", new)
        where = "all catchments" if x.catchments == "all" else f"catchments {_listing(ids)}"
        return (
            f"non-point loads cut by {_fmt(100 * x.reduction_fraction)}% in {where} "
            f"(nonpoint_load_factor x {_fmt(keep)})",
            ids,
        )

    # ------------------------------------------------------------ structure_operation
    def structure_operation(self, x: StructureOperation) -> tuple[str, list[str]]:
        ids = [s.id for s in self.m.structures]
        if x.structure not in ids:
            raise self.reject(
                "structure",
                f"structure '{x.structure}' does not exist",
                f"known structures: {_listing(sorted(ids))}" if ids else "the model has none",
            )
        k = ids.index(x.structure)
        s = self.m.structures[k]
        fits = {
            "opening_m": "sluice",
            "rule": "sluice",
            "crest_level_m": "weir",
            "schedule": "pump",
            "start_level_m": "pump",
        }
        given = next(
            f for f in fits if getattr(x, f) is not None
        )  # the schema guarantees exactly one control
        if s.kind in ("flap_gate", "culvert"):
            raise self.reject(
                "structure",
                f"'{x.structure}' is a {s.kind.replace('_', ' ')}, which has no operation to set",
                "operate a sluice, weir or pump",
            )
        if fits[given] != s.kind:
            hint = {
                "sluice": "'opening_m' or 'rule'",
                "weir": "'crest_level_m'",
                "pump": "'schedule' or 'start_level_m' with 'stop_level_m'",
            }[s.kind]
            raise self.reject(
                given,
                f"'{given}' applies to a {fits[given]}, but '{x.structure}' is a {s.kind}",
                f"for a {s.kind} give {hint}",
            )
        n_before = len(self.issues)
        if given == "opening_m":
            self.series("opening_m", x.opening_m)
            if isinstance(x.opening_m, float | int) and not 0 <= x.opening_m <= s.max_opening_m:
                self.issue(
                    "opening_m",
                    f"opening {_fmt(x.opening_m)} m is outside 0..{_fmt(s.max_opening_m)} m "
                    f"(max_opening_m of '{x.structure}')",
                    "give an opening within that range",
                )
            update = {"opening_m": x.opening_m, "rule": None}
            text = f"sluice '{x.structure}' opening {_value(x.opening_m, 'm')}"
        elif given == "rule":
            r = x.rule
            self.node("rule.node", r.node)
            if max(r.on_value, r.off_value) > s.max_opening_m:
                self.issue(
                    "rule",
                    f"rule opening above max_opening_m {_fmt(s.max_opening_m)} m of '{x.structure}'",
                    "give openings within the gate's range",
                )
            update = {"opening_m": None, "rule": r.model_dump()}
            text = (
                f"sluice '{x.structure}' opens to {_fmt(r.on_value)} m when the level at "
                f"'{r.node}' rises above {_fmt(r.above_m)} m and returns to "
                f"{_fmt(r.off_value)} m below {_fmt(r.below_m)} m"
            )
        elif given == "crest_level_m":
            self.series("crest_level_m", x.crest_level_m)
            update = {"crest_level_m": x.crest_level_m}
            text = f"weir '{x.structure}' crest level {_value(x.crest_level_m, 'm')}"
        elif given == "schedule":
            self.series("schedule", x.schedule)
            if isinstance(x.schedule, float | int) and not 0 <= x.schedule <= 1:
                self.issue("schedule", "a running fraction lies between 0 and 1", "")
            update = {"schedule": x.schedule, "start_level_m": None, "stop_level_m": None,
                      "control_node": None}  # fmt: skip
            text = f"pump '{x.structure}' runs on schedule {_value(x.schedule, '(fraction)')}"
        else:
            self.node("control_node", x.control_node)
            update = {"schedule": None, "start_level_m": x.start_level_m,
                      "stop_level_m": x.stop_level_m, "control_node": x.control_node}  # fmt: skip
            text = (
                f"pump '{x.structure}' starts above {_fmt(x.start_level_m)} m and stops below "
                f"{_fmt(x.stop_level_m)} m at '{x.control_node or s.from_node}'"
            )
        if len(self.issues) > n_before:
            raise _RejectedError()
        self.replace("structures", {k: self.rebuild(s, update, given)})
        return text, [x.structure]

    # ----------------------------------------------------------------- water_transfer
    def water_transfer(self, x: WaterTransfer) -> tuple[str, list[str]]:
        n_before = len(self.issues)
        self.node("node", x.node)
        self.series("discharge_m3s", x.discharge_m3s)
        for sp, v in x.concentrations.items():
            self.series(f"concentrations.{sp}", v)
        existing = {lat.id for lat in self.m.laterals}
        self.n_transfers += 1
        lat_id = x.id
        if lat_id is None:
            n = self.n_transfers
            while f"transfer_{n}" in existing:
                n += 1
            lat_id = f"transfer_{n}"
        elif lat_id in existing:
            self.issue("id", f"a lateral '{lat_id}' already exists", "give the transfer its own id")
        if len(self.issues) > n_before:
            raise _RejectedError()
        lateral = Lateral(
            id=lat_id,
            node=x.node,
            discharge_m3s=x.discharge_m3s,
            concentrations=dict(x.concentrations),
            source=x.source or f"scenario {self.decl.file.name}, {self.decl.field}",
            confidence=x.confidence or "assumed",
            note=x.note or "water transfer from Taihu added by a scenario intervention",
        )
        self.m = self.m.model_copy(update={"laterals": [*self.m.laterals, lateral]})
        quality = (
            ", ".join(f"{sp} {_value(v, 'mg/L')}" for sp, v in x.concentrations.items())
            if x.concentrations
            else "no concentrations given: the water is taken as free of N and P"
        )
        return (
            f"{_value(x.discharge_m3s, 'm3/s')} into node '{x.node}' (lateral '{lat_id}'); "
            f"{quality}",
            [lat_id],
        )


def _expand_species(species: list[str]) -> set[str]:
    out = set()
    for sp in species:
        out.add(sp)
        out.update(DERIVED.get(sp, ()))
    return out


def _cap_tp(conc: dict[str, float], cap: float) -> dict[str, float] | None:
    """Concentrations with TP capped at ``cap`` mg/L, or None when already at or below it.

    TP is the given 'tp' or, without it, the sum of its parts (op + po4p); every phosphorus
    entry is scaled by the same factor, so the split between the parts is kept.
    """
    p_keys = [k for k in ("tp", *DERIVED["tp"]) if k in conc]
    total = conc["tp"] if "tp" in conc else sum(conc[k] for k in p_keys)
    if not p_keys or total <= cap:
        return None
    factor = cap / total
    out = dict(conc)
    for k in p_keys:
        out[k] = conc[k] * factor
    return out


_HANDLERS: dict[str, Callable] = {
    "p_enterprise_remediation": _Applier.p_enterprise_remediation,
    "wwtp_expansion": _Applier.wwtp_expansion,
    "tail_water_wetland": _Applier.tail_water_wetland,
    "sewer_repair": _Applier.sewer_repair,
    "agricultural_nps_reduction": _Applier.agricultural_nps_reduction,
    "structure_operation": _Applier.structure_operation,
    "water_transfer": _Applier.water_transfer,
}


def apply_interventions(cfg: LoadedConfig) -> LoadedConfig:
    """The config with every intervention of its scenario chain applied to its model.

    Returns a new ``LoadedConfig`` whose ``model`` is transformed and whose
    ``applied_interventions`` holds one ``AppliedIntervention`` per intervention, in the
    order applied; ``cfg`` itself is not changed. A config whose interventions were already
    applied is returned as it is. Raises ``ConfigError`` listing every intervention that names
    something missing or unfit.

    Laterals added by water transfers have no entry in ``origins``: they were written in a
    scenario, not in a model table.
    """
    if cfg.applied_interventions is not None:
        return cfg
    ap = _Applier(cfg)
    applied: list[AppliedIntervention] = []
    for decl in cfg.interventions:
        ap.decl = decl
        spec = decl.spec
        try:
            text, changed = _HANDLERS[spec.type](ap, spec)
        except _RejectedError:
            continue
        title = TITLES[spec.type]
        head = f"{spec.name} ({title})" if spec.name else title
        applied.append(
            AppliedIntervention(
                file=decl.file,
                index=decl.index,
                type=spec.type,
                title=title,
                description=f"{head}: {text}",
                changed=tuple(changed),
            )
        )
    if ap.issues:
        raise ConfigError(ap.issues)
    out = dataclasses.replace(cfg, model=ap.m, applied_interventions=applied)
    # The transforms check what they touch; this is the safety net for anything they missed.
    after = check_model(out)
    if after:
        raise ConfigError(
            [
                ConfigIssue(
                    i.file, i.field, f"after applying the interventions: {i.message}", i.fix
                )
                for i in after
            ]
        )
    return out


def describe(cfg: LoadedConfig) -> list[str]:
    """One line per applied intervention, 'file interventions[i]: description'."""
    return [f"{a.label}: {a.description}" for a in cfg.applied_interventions or []]


def load_scenario(path) -> LoadedConfig:
    """Load a scenario or model file and apply its interventions: the config a run uses.

    Raises ConfigError listing every problem, in the files or in the interventions."""
    return apply_interventions(load_config(path))
