"""twin: a water-environment digital twin for plain, tidal, looped river networks.

One-dimensional Saint-Venant hydrodynamics (Preissmann scheme, three-level network solution)
with nitrogen and phosphorus transport, driven by gridded weather forcing, assessed against
GB 3838-2002.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("twin")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
