"""Gridded weather forcing, runoff and pollutant loads."""
