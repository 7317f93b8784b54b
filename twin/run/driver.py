"""The one time loop of a model: step until an end time, with hooks around every step.

    drive(model, t_end, [Control(rule), recorder, progress])

Hooks act in the order given. ``start`` runs once before the first step, ``before_step``
before every step (control rules and data assimilation set structures or edit the state
there), ``after_step`` after every step (recording, progress). Every run of a model, from
the command line, the forecast cycle or the API, goes through this loop."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol


class Model(Protocol):
    """What the loop needs of a model (``twin.run.model.Model`` is one)."""

    dt: float
    """Time step, s."""

    @property
    def time(self) -> float:
        """Model time, epoch seconds UTC."""

    def step(self) -> None:
        """Advance one step of ``dt``."""


class Hook:
    """Something that acts around the steps of a run; each method does nothing by default."""

    def start(self, model: Model) -> None:
        """Once, before the first step (the initial state is there to read)."""

    def before_step(self, model: Model) -> None:
        """Before every step."""

    def after_step(self, model: Model) -> None:
        """After every step that succeeded."""


class Control(Hook):
    """A control callback, ``rule(model)`` before every step (see ``Model.set_structure``)."""

    def __init__(self, rule: Callable[[Model], None]):
        self.rule = rule

    def before_step(self, model: Model) -> None:
        self.rule(model)


def drive(model: Model, t_end: float, hooks: Sequence[Hook] = ()) -> None:
    """Step ``model`` until its time reaches ``t_end`` (epoch s, to within a millionth of a
    step). Raises what the model raises (the state is then that before the failed step)."""
    for h in hooks:
        h.start(model)
    while model.time < t_end - 1e-6 * model.dt:
        for h in hooks:
            h.before_step(model)
        model.step()
        for h in hooks:
            h.after_step(model)
