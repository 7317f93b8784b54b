"""Hydrodynamics: the Preissmann scheme on a river network, its structures, boundaries and solver."""
