"""Small models run now and compared with golden results of the original revision.

The cases and what their golden files keep are in ``make_golden.py`` (which regenerates
them). Tolerance: rtol = atol = 1e-12. On the machine that made the files the results are
bit-identical (every refactoring must keep them so); the tolerance admits only the last
digits of float64 arithmetic done in another order (another CPU or LLVM), far below
anything physical (1e-12 m, m3/s, mg/L), and the float32 mesh fields must match exactly
(their resolution is 6e-8). A real change of results fails.
"""

from __future__ import annotations

import pytest
import xarray as xr

from tests.regression.make_golden import CASES, GOLDEN, run_case, subset

RTOL = 1e-12
ATOL = 1e-12
SLOW = {"example"}
"""Cases over about 10 s (the example's nine days with their products and plots: 15 s)."""


@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=pytest.mark.slow) if n in SLOW else n for n in CASES]
)
def test_results_match_golden(name, tmp_path):
    case = CASES[name]
    golden = xr.load_dataset(GOLDEN / f"{name}.nc")
    now = subset(run_case(case, tmp_path / "run"), case)
    assert set(now.data_vars) == set(golden.data_vars)
    xr.testing.assert_allclose(now, golden, rtol=RTOL, atol=ATOL)
