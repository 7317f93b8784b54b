"""Benchmarks of the time-stepping core and whole runs: `python -m benchmarks` (make bench)."""
