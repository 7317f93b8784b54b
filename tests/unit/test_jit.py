"""StepKernel: after the first call, the compiled entry point of the same version answers,
with the dispatcher's results."""

import numba
import numpy as np

from twin.jit import StepKernel


@numba.njit(cache=False)
def _axpy(a, x, y):
    for i in range(x.size):
        y[i] += a * x[i]
    return y.sum()


def test_the_entry_point_gives_the_dispatchers_results():
    x = np.arange(5.0)
    y1, y2 = np.zeros(5), np.zeros(5)
    k = StepKernel(_axpy)
    for _ in range(3):
        assert k(2.0, x, y1) == _axpy(2.0, x, y2)
    assert np.array_equal(y1, y2)
    assert k._entry is not _axpy  # the compiled entry point, not the dispatcher


def test_types_that_match_no_version_keep_the_dispatcher():
    k = StepKernel(_axpy)
    k._entry = None
    x = np.arange(3, dtype=np.float32)
    y = np.zeros(3, dtype=np.float32)
    k(np.float32(1.0), x, y)
    assert k._entry is not None
