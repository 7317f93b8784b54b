"""Generators of test and benchmark cases (input files written in code). The benchmarks
import them from here; nothing here imports the benchmarks."""
