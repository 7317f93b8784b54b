"""Shared pieces of the oxygen / algae kernel tests: a batch driver for react_eutro and an
independent right-hand side of the same equations, written from the process table of
twin/quality/eutro.py's docstring in plain Python (no kernel code), for scipy."""

from __future__ import annotations

import math

import numpy as np

from twin.quality import eutro as E

DAY = 86400.0

BASE_STATE = {
    "do": 7.0, "cbod_fast": 6.0, "cbod_slow": 4.0, "om_refractory": 12.0, "chla": 0.03,
    "on": 0.8, "nh3n": 1.2, "no3n": 1.5, "op": 0.08, "po4p": 0.06,
}  # fmt: skip


def state(**kw) -> np.ndarray:
    """A state vector in EUTRO_SPECIES order from BASE_STATE updated by kw."""
    d = dict(BASE_STATE, **kw)
    return np.array([d[name] for name in E.EUTRO_SPECIES], dtype=float)


def lively_row(**kw) -> np.ndarray:
    """A parameter row with every process active at a visible rate."""
    base = dict(
        cbod_fast_oxidation_per_d=0.3,
        cbod_slow_hydrolysis_per_d=0.08,
        cbod_slow_oxidation_per_d=0.03,
        cbod_slow_settling_m_per_d=0.1,
        om_refractory_decay_per_d=0.01,
        ammonification_per_d=0.15,
        on_settling_m_per_d=0.05,
        nitrification_per_d=0.4,
        denitrification_per_d=0.1,
        p_mineralisation_per_d=0.2,
        op_settling_m_per_d=0.2,
        sediment_nh3_release_g_m2_d=0.05,
        sediment_po4_release_g_m2_d=0.01,
        sod_g_m2_d=1.5,
        algal_death_per_d=0.15,
    )
    base.update(kw)
    return E.default_row(**base)


def run_batch(
    x0,
    row,
    dt,
    n_steps,
    *,
    temp_c=22.0,
    depth=2.0,
    ka20=0.6,
    do_sat=8.7,
    light=120.0,
    photoperiod=0.5,
    target=0.2,
    max_substeps=1,
    stoich=None,
    volume=50.0,
    record=False,
):
    """Run one closed cell for n_steps of dt seconds; returns (final state, budget (g),
    volume) or, with record, the states after every step as an (n_steps + 1, N) array."""
    stoich = E.STOICH_DEFAULT.copy() if stoich is None else np.asarray(stoich, float)
    conc = np.asarray(x0, float).reshape(1, -1).copy()
    mass = np.zeros_like(conc)
    cols = np.arange(E.N_EUTRO)
    vol = np.array([volume])
    dep = np.array([depth])
    ka = np.array([ka20])
    rows = np.asarray(row, float).reshape(1, -1)
    cell_row = np.zeros(1, np.int64)
    budget = np.zeros(E.N_PROC)
    row_work = np.zeros((1, E.N_ROW_WORK))
    cell_work = np.zeros((E.N_CELL_WORK, E.N_PROC))
    out = [conc[0].copy()]
    for _ in range(n_steps):
        E.react_eutro(
            conc, mass, cols, vol, dep, ka, rows, cell_row, stoich, temp_c, do_sat, light,
            photoperiod, dt, target, max_substeps, budget, row_work, cell_work,
        )  # fmt: skip
        if record:
            out.append(conc[0].copy())
    if record:
        return np.array(out)
    return conc[0].copy(), budget, volume


def _f(c, k):
    c = max(c, 0.0)
    return c / (k + c) if k + c > 0 else 0.0


def reference_rhs(row, stoich, *, temp_c, depth, ka20, do_sat, light, photoperiod):
    """dy/dt (mg/L/s) of the ten species, from the equations (Smith, Steele or
    half-saturation light as the row says)."""
    p = {name: row[col] for name, (col, *_rest) in E.PARAMETERS.items()}
    r_oc, a_ca, a_na, a_pa, r_on = stoich
    r_oa = r_oc * a_ca
    r_ondn = 5.0 / 8.0 * r_on
    dT = temp_c - 20.0
    h = depth

    def k(name):
        return p[name + "_per_d"] * p[name + "_theta"] ** dT / DAY

    st = p["settling_theta"] ** dT / DAY
    sd = p["sediment_release_theta"] ** dT / DAY
    ka = ka20 * p["reaeration_theta"] ** dT / DAY
    model = int(p["light_model"])
    kl = p["light_parameter_w_m2"]

    def light_mean(ke):
        i0 = light
        if kl <= 0:
            return 1.0
        a0 = i0 / kl
        a1 = a0 * math.exp(-ke * h)
        if model == 1:  # Smith
            return (math.asinh(a0) - math.asinh(a1)) / (ke * h)
        if model == 2:  # Steele
            return math.e * (math.exp(-a1) - math.exp(-a0)) / (ke * h)
        return math.log((kl + i0) / (kl + i0 * math.exp(-ke * h))) / (ke * h)

    def rhs(_t, y):
        do, cf, cs, omr, a, on, nh3, no3, op, po4 = (max(v, 0.0) for v in y)
        fox = _f(do, p["cbod_half_saturation_do_mg_l"])
        r_cf = k("cbod_fast_oxidation") * fox * cf
        r_hs = k("cbod_slow_hydrolysis") * cs
        r_cs = k("cbod_slow_oxidation") * fox * cs
        r_csset = p["cbod_slow_settling_m_per_d"] * st / h * cs
        r_omr = k("om_refractory_decay") * omr
        r_am = k("ammonification") * on
        r_onset = p["on_settling_m_per_d"] * st / h * on
        r_n = k("nitrification") * _f(do, p["nitrification_half_saturation_do_mg_l"]) * nh3
        kdn = p["denitrification_inhibition_do_mg_l"]
        f_dn = kdn / (kdn + do) if kdn + do > 0 else 1.0
        r_dn = (
            k("denitrification")
            * f_dn
            * _f(cf, p["denitrification_half_saturation_cbod_mg_l"])
            * no3
        )
        r_p = k("p_mineralisation") * op
        r_opset = p["op_settling_m_per_d"] * st / h * op
        j_nh3 = p["sediment_nh3_release_g_m2_d"] * sd / h
        j_po4 = p["sediment_po4_release_g_m2_d"] * sd / h
        r_sod = (
            p["sod_g_m2_d"]
            * p["sod_theta"] ** dT
            / DAY
            / h
            * _f(do, p["sod_half_saturation_do_mg_l"])
        )
        chl = 1000.0 * a
        ke = (
            p["background_extinction_per_m"]
            + p["chla_extinction_l_ug_m"] * chl
            + p["chla_extinction_nonlinear"] * chl ** (2.0 / 3.0)
        )
        phi_l = photoperiod * light_mean(ke)
        phi_n = min(
            _f(nh3 + no3, p["algal_half_saturation_n_mg_l"]),
            _f(po4, p["algal_half_saturation_p_mg_l"]),
        )
        mu = k("algal_growth") * phi_l * phi_n
        kh = p["ammonia_preference_mg_l"]
        if nh3 <= 0:
            pref = 0.0
        elif no3 <= 0:
            pref = 1.0
        else:
            pref = nh3 * no3 / ((kh + nh3) * (kh + no3)) + nh3 * kh / ((nh3 + no3) * (kh + no3))
        g_nh3 = mu * pref * a
        g_no3 = mu * (1.0 - pref) * a
        resp = k("algal_respiration") * _f(do, p["algal_respiration_half_saturation_do_mg_l"]) * a
        death = k("algal_death") * a
        aset = p["algal_settling_m_per_d"] * st / h * a
        d = np.empty(10)
        d[0] = (
            ka * (do_sat - do) - r_cf - r_cs - r_on * r_n - r_sod
            + r_oa * (g_nh3 + g_no3 - resp) + r_on * a_na * g_no3
        )  # fmt: skip
        d[1] = r_hs - r_cf - r_ondn * r_dn
        d[2] = r_omr + r_oa * death - r_hs - r_cs - r_csset
        d[3] = -r_omr
        d[4] = g_nh3 + g_no3 - resp - death - aset
        d[5] = a_na * death - r_am - r_onset
        d[6] = r_am + j_nh3 + a_na * (resp - g_nh3) - r_n
        d[7] = r_n - r_dn - a_na * g_no3
        d[8] = a_pa * death - r_p - r_opset
        d[9] = r_p + j_po4 + a_pa * (resp - g_nh3 - g_no3)
        return d

    return rhs
