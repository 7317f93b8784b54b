"""The tracer columns of the water-quality state: source groups of the reactive species, and
the conservative tracer."""

from __future__ import annotations

from ..vocab.species import INDEX, SPECIES
from .kinetics import N_REACTIVE

REACTIVE = SPECIES[:N_REACTIVE]  # on, nh3n, no3n, op, po4p
TRACER = "tracer"


class Layout:
    """Tracer columns: group g holds the five reactive species at 5 g .. 5 g + 4 (group 0 is
    the total); the conservative tracer is the last column (total only)."""

    def __init__(self, groups: list[str]):
        self.groups = groups
        self.n_groups = len(groups)
        self.ntr = N_REACTIVE * self.n_groups + 1
        self.tracer = self.ntr - 1

    def col(self, species: str, group: int = 0) -> int:
        if species == TRACER:
            return self.tracer
        return N_REACTIVE * group + INDEX[species]

    def group(self, name: str) -> int:
        return self.groups.index(name)
