"""Calling a compiled kernel once a step without paying numba's dispatch each time.

numba's dispatcher works out the type of every argument on every call to find the compiled
version; for the named tuples of arrays the solvers pass (a hundred arrays and more) that
costs 45-70 us a call, measured on the Kunshan model, against 12 us for the compiled entry
point alone: about 5 s of the Kunshan year. A solver passes the same tuples of the same
arrays (updated in place) at every step, so after the first call, which compiles or loads
the kernel, the entry point of that very version is called directly.

Only for arguments whose types never change between calls: the solver's own arrays and
scalars of fixed type. Anything else goes through the dispatcher (``kernel(...)``)."""

from __future__ import annotations

import numba


class StepKernel:
    """``kernel``, called through its compiled entry point after the first call."""

    def __init__(self, kernel):
        self.kernel = kernel
        self._entry = None

    def __call__(self, *args):
        if self._entry is not None:
            return self._entry(*args)
        out = self.kernel(*args)
        cres = self.kernel.overloads.get(tuple(numba.typeof(a) for a in args))
        # Where the types cannot be matched, every call keeps using the dispatcher.
        self._entry = cres.entry_point if cres is not None else self.kernel
        return out
