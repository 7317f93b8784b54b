"""The context every intervention's transform works in: the model as transformed so far, the
issues found, and the helpers that report a problem against the intervention being applied,
look up what it names, and rebuild the model items it changes.

A transform never changes an item in place: ``rebuild`` makes a validated copy and ``replace``
puts copies into a new model, so the model the interventions started from is left as it was.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ValidationError

from ...errors import ConfigIssue
from ..model import ModelConfig
from ..run import RunSettings
from ..timeseries import to_utc_naive


class RejectedError(Exception):
    """An intervention that cannot be applied; its issues are already recorded."""


def fmt(v: float) -> str:
    """A number for a sentence: 30,000 rather than 3e+04; 0.3 rather than 0.30000000000000004."""
    return f"{v:,.0f}" if abs(v) >= 1000 else format(v, ".4g")


def value_text(v: float | str, unit: str) -> str:
    """A value or series id for a sentence: '2 m3/s' or "series 'q'"."""
    return f"series '{v}'" if isinstance(v, str) else f"{fmt(v)} {unit}"


def listing(ids: list[str], limit: int = 8) -> str:
    return ", ".join(ids[:limit]) + (f" ... ({len(ids)} in all)" if len(ids) > limit else "")


class ApplyContext:
    """The state shared by the transforms of one scenario chain.

    ``model`` is the model as transformed so far; ``issues`` collects every problem found;
    ``file`` and ``field`` (``interventions[i]``) name the intervention being applied, set by
    ``at``; ``n_transfers`` counts the water transfers seen, for their default lateral ids.
    """

    def __init__(self, model: ModelConfig, run: RunSettings | None):
        self.model = model
        self.run = run
        self.issues: list[ConfigIssue] = []
        self.file: Path | None = None
        self.field = ""
        self.n_transfers = 0

    def at(self, file: Path, index: int) -> None:
        """Report what follows against intervention ``index`` of ``file``."""
        self.file = file
        self.field = f"interventions[{index}]"

    def issue(self, fieldname: str, message: str, fix: str = "") -> None:
        where = f"{self.field}.{fieldname}" if fieldname else self.field
        self.issues.append(ConfigIssue(self.file, where, message, fix))

    def reject(self, fieldname: str, message: str, fix: str = "") -> RejectedError:
        """Record an issue; returns the exception to raise so the intervention is skipped."""
        self.issue(fieldname, message, fix)
        return RejectedError()

    def rejects_since(self, n_before: int) -> None:
        """Skip the intervention if issues were recorded since there were ``n_before``."""
        if len(self.issues) > n_before:
            raise RejectedError()

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
            raise RejectedError() from None

    def replace(self, table: str, items: dict[int, BaseModel]) -> None:
        """A new model whose list ``table`` holds ``items`` at their positions."""
        new = list(getattr(self.model, table))
        for k, obj in items.items():
            new[k] = obj
        self.model = self.model.model_copy(update={table: new})

    def series(self, fieldname: str, value) -> None:
        """A series id must exist and cover the run."""
        if not isinstance(value, str):
            return
        ts = next((t for t in self.model.timeseries if t.id == value), None)
        if ts is None:
            known = sorted(t.id for t in self.model.timeseries)
            self.issue(
                fieldname,
                f"time series '{value}' does not exist",
                f"declare it in the model's [[timeseries]] (known: {listing(known)})"
                if known
                else "declare it in the model's [[timeseries]], or give a number",
            )
            return
        start, end = to_utc_naive(self.run.start), to_utc_naive(self.run.end)
        if len(ts.times) > 1 and (ts.times[0] > start or ts.times[-1] < end):
            self.issue(
                fieldname,
                f"series '{value}' covers {ts.times[0]} to {ts.times[-1]}, not the run "
                f"{start} to {end}",
                "extend the series or shorten the run",
            )

    def node(self, fieldname: str, node_id: str | None) -> None:
        if node_id is not None and node_id not in {n.id for n in self.model.nodes}:
            self.issue(fieldname, f"node '{node_id}' does not exist", "name a node of the model")

    def plant(self, fieldname: str, plant_id: str) -> int:
        """Index of sewage plant ``plant_id`` in the sources; rejects anything else."""
        plants = sorted(s.id for s in self.model.sources if s.kind == "wwtp")
        for k, s in enumerate(self.model.sources):
            if s.id == plant_id:
                if s.kind != "wwtp":
                    raise self.reject(
                        fieldname,
                        f"'{plant_id}' is a source of kind '{s.kind}', not a sewage plant",
                        f"name a plant (kind = 'wwtp'): {listing(plants) or '(none declared)'}",
                    )
                return k
        raise self.reject(
            fieldname,
            f"sewage plant '{plant_id}' does not exist",
            f"name a plant (kind = 'wwtp'): {listing(plants) or '(none declared)'}",
        )

    def catchments(self, choice) -> list[int]:
        """Indices of the chosen catchments ('all' or a list of ids); rejects unknown ids."""
        all_ids = [c.id for c in self.model.catchments]
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
                    f"known catchments: {listing(sorted(all_ids))}"
                    if all_ids
                    else "the model has no catchments",
                )
            else:
                out.append(all_ids.index(cid))
        if len(out) != len(choice):
            raise RejectedError()
        return sorted(set(out))
