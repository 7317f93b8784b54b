"""Structure settings for each step: level rules, series and overrides."""

from __future__ import annotations

import math

import numba

from ..series import series_value
from ..vocab.codes import PUMP, SLUICE


@numba.njit(cache=True)
def update_controls(t_new, ts, st, state):
    """Structure settings for the coming step (weir crest level m, sluice opening m, pump
    running fraction 0-1) into ``state.setting``: a level rule with hysteresis on the levels
    at the start of the step (on above ``rule_above``, off below ``rule_below``), else the
    series value at the step's end t_new (epoch s); a user override (not NaN) wins. Pump
    fractions are clipped to [0, 1], sluice openings to [0, max opening]."""
    for s in range(st.kind.size):
        kind = st.kind[s]
        if st.rule_node[s] >= 0:
            z = state.z_node[st.rule_node[s]]
            if z > st.rule_above[s]:
                state.rule_on[s] = 1
            elif z < st.rule_below[s]:
                state.rule_on[s] = 0
            value = st.rule_on_value[s] if state.rule_on[s] == 1 else st.rule_off_value[s]
        else:
            value = series_value(st.series[s], t_new, ts.ptr, ts.t, ts.v, ts.mode)
        if not math.isnan(st.override[s]):
            value = st.override[s]
        if kind == PUMP:
            value = min(max(value, 0.0), 1.0)
        elif kind == SLUICE:
            value = min(max(value, 0.0), st.params[s, 5])
        state.setting[s] = value
