"""Observations: station files, skill scores against a run (and calibration)."""
