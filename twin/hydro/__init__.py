"""Hydrodynamics: cross-section tables, structures, boundaries, Preissmann kernels, solver."""
