"""The weather quantities a ``[forcing]`` table may name (``forcing.variables``)."""

from __future__ import annotations

FORCING_QUANTITIES: tuple[str, ...] = (
    "precipitation",
    "air_temperature",
    "potential_evaporation",
    "shortwave_radiation",
)
"""The keys of ``twin.forcing.gridded.QUANTITIES``, in its order; how each is found in a file
is the reader's business."""
