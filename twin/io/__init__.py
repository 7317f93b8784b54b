"""Input and output at the edges: NetCDF, restart files, SWMM import."""
