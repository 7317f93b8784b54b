"""Coupled oxygen, organic matter, algae, nitrogen and phosphorus kinetics per cell.

State (mg/L): DO; fast (labile) CBOD, slow CBOD and refractory organic matter, all as
oxygen equivalents (ultimate carbonaceous demand); phytoplankton as chl-a; organic N,
NH3-N, NO3-N, organic P, PO4-P. The process structure is QUAL2K's (Chapra, Pelletier and
Tao 2008, section 4; the QUAL2Kw v5 Fortran source, classintegral.f90), with its detritus
lumped into slow CBOD and a refractory pool added for the background organic matter that
dominates COD_Mn on the Taihu plain. Rates at 20 C per day, k_T = k20 theta^(T - 20):

    reaeration          DO' += k_a (Cs - DO)
    fast CBOD oxidation r = k_cf f_ox CF               CF -1, DO -1
    slow CBOD hydrolysis r = k_hs CS                   CS -1, CF +1
    slow CBOD oxidation r = k_cs f_ox CS               CS -1, DO -1
    slow CBOD settling  r = v_cs/h CS                  CS -1
    refractory decay    r = k_r OMR                    OMR -1, CS +1
    ammonification      r = k_am ON                    ON -1, NH3 +1
    ON settling         r = v_on/h ON                  ON -1
    nitrification       r = k_n f_n NH3                NH3 -1, NO3 +1, DO -r_on
    denitrification     r = k_dn (1-f_dn) CF/(K_cb+CF) NO3      NO3 -1, CF -r_ondn
    P mineralisation    r = k_p OP                     OP -1, PO4 +1
    OP settling         r = v_op/h OP                  OP -1
    sediment NH3, PO4   r = J/h (zero-order)           NH3 +1 / PO4 +1
    SOD                 r = SOD/h f_sod                DO -1
    growth on NH3       r = mu P_ap A                  A +1, NH3 -a_na, PO4 -a_pa, DO +r_oa
    growth on NO3       r = mu (1-P_ap) A              A +1, NO3 -a_na, PO4 -a_pa,
                                                       DO +r_oa + r_on a_na
    respiration         r = k_ra f_ra A                A -1, NH3 +a_na, PO4 +a_pa, DO -r_oa
    death               r = k_da A                     A -1, CS +r_oa, ON +a_na, OP +a_pa
    algal settling      r = v_a/h A                    A -1

with f = DO/(K + DO) (QUAL2K's half-saturation option; f_dn the inhibition of
denitrification), mu = mu_max theta^(T-20) phi_L min(phi_N, phi_P) (twin.quality.algae),
r_oa = r_oc a_ca. SOD is limited by DO here (QUAL2K's prescribed SOD is zero-order and can
drive DO negative); the denitrification factor CF/(0.1 + CF) is QUAL2K's.

Stoichiometry (global, not per row): r_oc = 2.69 g O2/g C (107 mol O2 per 106 mol C of
Redfield algae; QUAL2K manual and example input; the Fortran default 2.67 = 32/12); a_ca =
40 mg C, a_na = 7.2 mg N and a_pa = 1 mg P per mg chl-a (QUAL2K defaults: 100 gD : 40 gC :
7.2 gN : 1 gP : 1 gA; confidence medium, C:chl varies 20-100 in nature); r_on = 4.57 g O2/g N
(2 mol O2 per mol NH4+ nitrified; exact). Two choices differ from QUAL2K, to keep the
electron balance exact so that the oxygen-equivalent budget closes per process:
r_ondn = (5/8) r_on = 2.857 g O2/g N (5 CH2O + 4 NO3- + 4 H+ -> 5 CO2 + 2 N2 + 7 H2O; QUAL2K
writes r_oc 60/56, 2.86-2.88), and growth on nitrate releases r_on a_na more O2 than growth
on ammonia (QUAL2K: r_oa 31/107 more, 5 % less than this; about 1 % of the O2 produced).

Conserved per process (tests/unit/test_eutro_budget.py): C (CBOD/r_oc + a_ca A), N, P, and
the oxygen equivalent Theta = DO + r_ondn NO3 - (r_on - r_ondn)(ON + NH3 + a_na A) - CF - CS
- OMR - r_oa A (electrons relative to N2 and CO2); each process exchanges with the outside
only what its description says (reaeration and SOD: O; settling: what settles; growth and
respiration: C with CO2; denitrification: N as N2, C as CO2).

Integration over a step dt, per cell (positive and stable for any dt, exactly conservative):
Strang splitting of reaeration (exact exponential, half steps) around the other processes,
which advance by a second-order modified Patankar-Runge-Kutta step in the form of
Bruggeman, Burchard, Kooi and Sommeijer (2007, Appl. Numer. Math. 57, 36-58) for
stoichiometric systems: Heun's step with every species' net change scaled by one factor p,
the root of p = prod_{j: g_j < 0} (c_j + p dt g_j) / c*_j (c* the predictor, resp. the
start for the predictor itself). One factor for the whole right-hand side keeps every
linear invariant of the processes (the budgets above) to round-off; the root lies below the
first p at which a consumed species would reach zero, so concentrations stay non-negative
for any dt; p = 1 + O(dt^2) in the corrector keeps second order. Stiff or long steps are
split into sub-steps so that dt_sub times the fastest relative loss rate (or k_a) stays below
``target`` (up to ``max_substeps``); past that cap accuracy degrades but positivity and
budgets hold.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from twin.quality.algae import (
    ALPHA_P_DEFAULT,
    ALPHA_PN_DEFAULT,
    I_SAT_DEFAULT_W_M2,
    LIGHT_SMITH,
    ammonia_preference,
    extinction,
    light_limitation,
    monod,
)
from twin.quality.oxygen import THETA_REAERATION, reaerate

SECONDS_PER_DAY = 86400.0
MIN_DEPTH_M = 0.05

EUTRO_SPECIES: tuple[str, ...] = (
    "do", "cbod_fast", "cbod_slow", "om_refractory", "chla",
    "on", "nh3n", "no3n", "op", "po4p",
)  # fmt: skip
"""State of the kernel, mg/L (CBOD and refractory matter as O2, chl-a as mg chl-a/L)."""
DO, CF, CS, OMR, ALG, ON, NH3, NO3, OP, PO4 = range(10)
N_EUTRO = 10

PROCESS_NAMES: tuple[str, ...] = (
    "reaeration", "cbod_fast_oxidation", "cbod_slow_hydrolysis", "cbod_slow_oxidation",
    "cbod_slow_settling", "om_refractory_decay", "ammonification", "settling_on",
    "nitrification", "denitrification", "p_mineralisation", "settling_op",
    "sediment_release_nh3", "sediment_release_po4", "sod", "growth_on_nh3",
    "growth_on_no3", "algal_respiration", "algal_death", "algal_settling",
)  # fmt: skip
(P_REAER, P_CF_OX, P_CS_HYD, P_CS_OX, P_CS_SET, P_OMR, P_AMMON, P_ON_SET, P_NITR, P_DENIT,
 P_PMIN, P_OP_SET, P_SED_NH3, P_SED_PO4, P_SOD, P_GROW_NH3, P_GROW_NO3, P_RESP, P_DEATH,
 P_ALG_SET) = range(20)  # fmt: skip
N_PROC = 20
"""Budget entries (g, summed over cells): each process's amount in the unit of its first
listed species (g O2 for reaeration and SOD, g chl-a for the algal processes, g N for
nitrification and denitrification ...); ``process_matrix`` turns them into species masses."""

# Global stoichiometry (array ``stoich``).
R_OC, A_CA, A_NA, A_PA, R_ON = range(5)
N_STOICH = 5
STOICH_DEFAULT = np.array([2.69, 40.0, 7.2, 1.0, 4.57])

# Parameter row columns (per cell via cell_row), rates at 20 C per day.
(K_CF, T_CF, K_HS, T_HS, K_CS, T_CS, V_CS, K_OMR, T_OMR, KDO_CBOD,
 K_AMMON, T_AMMON, V_ON, K_NITR, T_NITR, KDO_NITR, K_DENIT, T_DENIT, KDO_DENIT, KCB_DENIT,
 K_PMIN, T_PMIN, V_OP, T_SETTLE, R_NH3, R_PO4, T_SED, SOD, T_SOD, KDO_SOD,
 MU_MAX, T_MU, K_RESP, T_RESP, KDO_RESP, K_DEATH, T_DEATH, V_ALG, KS_N, KS_P, K_HNX,
 I_SAT, LIGHT_MODEL, K_BG, ALPHA_P, ALPHA_PN, T_KA) = range(47)  # fmt: skip
N_EUTRO_KIN = 47

# name: (column, default, unit, source and confidence)
PARAMETERS: dict[str, tuple[int, float, str, str]] = {
    "cbod_fast_oxidation_per_d": (K_CF, 0.2, "1/d", "Chapra 2008 ch.19: 0.1-0.5 in rivers; assumed, low"),
    "cbod_fast_oxidation_theta": (T_CF, 1.047, "-", "QUAL2K default; medium"),
    "cbod_slow_hydrolysis_per_d": (K_HS, 0.05, "1/d", "assumed, low"),
    "cbod_slow_hydrolysis_theta": (T_HS, 1.047, "-", "QUAL2K default; medium"),
    "cbod_slow_oxidation_per_d": (K_CS, 0.02, "1/d", "assumed, low"),
    "cbod_slow_oxidation_theta": (T_CS, 1.047, "-", "QUAL2K default; medium"),
    "cbod_slow_settling_m_per_d": (V_CS, 0.05, "m/d", "assumed, low"),
    "om_refractory_decay_per_d": (K_OMR, 0.002, "1/d", "assumed (turnover ~1.5 yr), low"),
    "om_refractory_decay_theta": (T_OMR, 1.047, "-", "assumed as CBOD, low"),
    "cbod_half_saturation_do_mg_l": (KDO_CBOD, 0.6, "mg/L", "QUAL2K 0.60 (exponential form there); low"),
    "ammonification_per_d": (K_AMMON, 0.1, "1/d", "HEC-RAS NSM-I default, as kinetics.py"),
    "ammonification_theta": (T_AMMON, 1.074, "-", "NSM-I default"),
    "on_settling_m_per_d": (V_ON, 0.01, "m/d", "NSM-I default"),
    "nitrification_per_d": (K_NITR, 0.1, "1/d", "NSM-I default"),
    "nitrification_theta": (T_NITR, 1.083, "-", "NSM-I default"),
    "nitrification_half_saturation_do_mg_l": (KDO_NITR, 0.6, "mg/L", "QUAL2K 0.60; low"),
    "denitrification_per_d": (K_DENIT, 0.02, "1/d", "NSM-I range 0.002-0.1; assumed"),
    "denitrification_theta": (T_DENIT, 1.045, "-", "NSM-I default"),
    "denitrification_inhibition_do_mg_l": (KDO_DENIT, 0.6, "mg/L", "QUAL2K 0.60; low"),
    "denitrification_half_saturation_cbod_mg_l": (KCB_DENIT, 0.1, "mg O2/L", "QUAL2K (fixed there); medium"),
    "p_mineralisation_per_d": (K_PMIN, 0.1, "1/d", "NSM-I default"),
    "p_mineralisation_theta": (T_PMIN, 1.047, "-", "NSM-I default"),
    "op_settling_m_per_d": (V_OP, 0.01, "m/d", "NSM-I range 0.01-0.6"),
    "settling_theta": (T_SETTLE, 1.024, "-", "as kinetics.py"),
    "sediment_nh3_release_g_m2_d": (R_NH3, 0.0, "g/m2/d", "calibrate"),
    "sediment_po4_release_g_m2_d": (R_PO4, 0.0, "g/m2/d", "NSM-I 0-0.05 in shallow lakes"),
    "sediment_release_theta": (T_SED, 1.07, "-", "as kinetics.py"),
    "sod_g_m2_d": (SOD, 1.0, "g O2/m2/d", "Chapra 2008 ch.25: 0.1-1 (natural) to 1-10 (polluted); assumed, low"),
    "sod_theta": (T_SOD, 1.065, "-", "Chapra 2008 (Zison et al. 1978: 1.04-1.13); medium"),
    "sod_half_saturation_do_mg_l": (KDO_SOD, 1.0, "mg/L", "assumed, low"),
    "algal_growth_per_d": (MU_MAX, 2.5, "1/d", "QUAL2K default; medium"),
    "algal_growth_theta": (T_MU, 1.066, "-", "QUAL2K default; medium"),
    "algal_respiration_per_d": (K_RESP, 0.1, "1/d", "QUAL2K default; medium"),
    "algal_respiration_theta": (T_RESP, 1.07, "-", "QUAL2K example input; medium"),
    "algal_respiration_half_saturation_do_mg_l": (KDO_RESP, 0.6, "mg/L", "QUAL2K 0.60; low"),
    "algal_death_per_d": (K_DEATH, 0.1, "1/d", "assumed (QUAL2K default 0); low"),
    "algal_death_theta": (T_DEATH, 1.07, "-", "QUAL2K example input; medium"),
    "algal_settling_m_per_d": (V_ALG, 0.15, "m/d", "QUAL2K default; medium"),
    "algal_half_saturation_n_mg_l": (KS_N, 0.015, "mg N/L", "QUAL2K default 15 ugN/L; medium"),
    "algal_half_saturation_p_mg_l": (KS_P, 0.002, "mg P/L", "QUAL2K default 2 ugP/L; medium"),
    "ammonia_preference_mg_l": (K_HNX, 0.025, "mg N/L", "QUAL2K default 25 ugN/L; medium"),
    "light_parameter_w_m2": (I_SAT, I_SAT_DEFAULT_W_M2, "W/m2 PAR", "QUAL2K 57.6 ly/d; medium"),
    "light_model": (LIGHT_MODEL, float(LIGHT_SMITH), "code", "twin.quality.algae.LIGHT_MODELS"),
    "background_extinction_per_m": (K_BG, 3.0, "1/m", "k_e = 1.7/Secchi (Poole-Atkins) for Secchi ~0.5 m; assumed for turbid Taihu-plain water, low"),
    "chla_extinction_l_ug_m": (ALPHA_P, ALPHA_P_DEFAULT, "L/ug/m", "QUAL2K default; medium"),
    "chla_extinction_nonlinear": (ALPHA_PN, ALPHA_PN_DEFAULT, "(L/ug)^2/3/m", "QUAL2K default; medium"),
    "reaeration_theta": (T_KA, THETA_REAERATION, "-", "Elmore and West 1961; high"),
}  # fmt: skip

# Per row and step: temperature-corrected rates (1/s), velocities (m/s), fluxes (g/m2/s).
(W_KCF, W_KHS, W_KCS, W_VCS, W_KOMR, W_KAM, W_VON, W_KN, W_KDN, W_KP, W_VOP, W_JNH3,
 W_JPO4, W_SOD, W_MU, W_KR, W_KD, W_VA, W_TKA) = range(19)  # fmt: skip
N_ROW_WORK = 19
N_CELL_WORK = 8  # rows of the per-cell scratch (cell_work[N_CELL_WORK, >= N_PROC])

SUBSTEP_TARGET = 0.05
"""Suggested ``target`` (dt_sub times the fastest relative loss rate): one-day steps then
stay within 2e-3 to 6e-3 of the exact solution in the batch tests (3e-4 to 9e-4 at 0.02;
1e-4 at dt = 120 s without sub-steps)."""
MAX_SUBSTEPS = 100
"""Suggested cap on sub-steps per cell and step (cost grows linearly with them)."""


def default_row(kinetics=None, **overrides) -> np.ndarray:
    """A parameter row from the defaults, the N and P values of a
    ``twin.config.quality.Kinetics`` if given, and keyword overrides by PARAMETERS name."""
    row = np.zeros(N_EUTRO_KIN)
    for _name, (col, value, _unit, _src) in PARAMETERS.items():
        row[col] = value
    if kinetics is not None:
        for name in (
            "ammonification_per_d", "ammonification_theta", "on_settling_m_per_d",
            "nitrification_per_d", "nitrification_theta",
            "nitrification_half_saturation_do_mg_l", "denitrification_per_d",
            "denitrification_theta", "p_mineralisation_per_d", "p_mineralisation_theta",
            "op_settling_m_per_d", "settling_theta", "sediment_nh3_release_g_m2_d",
            "sediment_po4_release_g_m2_d", "sediment_release_theta",
        ):  # fmt: skip
            row[PARAMETERS[name][0]] = getattr(kinetics, name)
    for name, value in overrides.items():
        row[PARAMETERS[name][0]] = value
    return row


def process_matrix(stoich) -> np.ndarray:
    """S[p, s]: mass of species s produced (+) or consumed (-) per unit of process p's
    budget amount; species change = S.T @ budget."""
    r_oc, a_ca, a_na, a_pa, r_on = (stoich[i] for i in range(N_STOICH))
    r_oa = r_oc * a_ca
    r_ondn = 0.625 * r_on
    s = np.zeros((N_PROC, N_EUTRO))
    s[P_REAER, DO] = 1.0
    s[P_CF_OX, CF], s[P_CF_OX, DO] = -1.0, -1.0
    s[P_CS_HYD, CS], s[P_CS_HYD, CF] = -1.0, 1.0
    s[P_CS_OX, CS], s[P_CS_OX, DO] = -1.0, -1.0
    s[P_CS_SET, CS] = -1.0
    s[P_OMR, OMR], s[P_OMR, CS] = -1.0, 1.0
    s[P_AMMON, ON], s[P_AMMON, NH3] = -1.0, 1.0
    s[P_ON_SET, ON] = -1.0
    s[P_NITR, NH3], s[P_NITR, NO3], s[P_NITR, DO] = -1.0, 1.0, -r_on
    s[P_DENIT, NO3], s[P_DENIT, CF] = -1.0, -r_ondn
    s[P_PMIN, OP], s[P_PMIN, PO4] = -1.0, 1.0
    s[P_OP_SET, OP] = -1.0
    s[P_SED_NH3, NH3] = 1.0
    s[P_SED_PO4, PO4] = 1.0
    s[P_SOD, DO] = -1.0
    s[P_GROW_NH3, [ALG, NH3, PO4, DO]] = 1.0, -a_na, -a_pa, r_oa
    s[P_GROW_NO3, [ALG, NO3, PO4, DO]] = 1.0, -a_na, -a_pa, r_oa + r_on * a_na
    s[P_RESP, [ALG, NH3, PO4, DO]] = -1.0, a_na, a_pa, -r_oa
    s[P_DEATH, [ALG, CS, ON, OP]] = -1.0, r_oa, a_na, a_pa
    s[P_ALG_SET, ALG] = -1.0
    return s


def element_weights(stoich) -> np.ndarray:
    """W[e, s] for e = C, N, P (g per g of species) and the oxygen equivalent Theta."""
    r_oc, a_ca, a_na, a_pa, r_on = (stoich[i] for i in range(N_STOICH))
    r_oa = r_oc * a_ca
    r_ondn = 0.625 * r_on
    w = np.zeros((4, N_EUTRO))
    w[0, [CF, CS, OMR]] = 1.0 / r_oc
    w[0, ALG] = a_ca
    w[1, [ON, NH3, NO3]] = 1.0
    w[1, ALG] = a_na
    w[2, [OP, PO4]] = 1.0
    w[2, ALG] = a_pa
    w[3, DO] = 1.0
    w[3, NO3] = r_ondn
    w[3, [ON, NH3]] = -(r_on - r_ondn)
    w[3, [CF, CS, OMR]] = -1.0
    w[3, ALG] = -r_oa - (r_on - r_ondn) * a_na
    return w


@numba.njit(cache=True)
def _half_sat(do, k):
    d = k + do
    return do / d if d > 0.0 else 0.0


@numba.njit(cache=True)
def process_rates(x, kin, w, h, light, photoperiod, r):
    """Rates r[p] (mg/L/s in the unit of each process's amount) at state x, for a cell of
    depth h (m) with the row's parameters kin and step constants w (reaeration excluded)."""
    do = max(x[DO], 0.0)
    f_ox = _half_sat(do, kin[KDO_CBOD])
    r[P_REAER] = 0.0
    r[P_CF_OX] = w[W_KCF] * f_ox * x[CF]
    r[P_CS_HYD] = w[W_KHS] * x[CS]
    r[P_CS_OX] = w[W_KCS] * f_ox * x[CS]
    r[P_CS_SET] = w[W_VCS] / h * x[CS]
    r[P_OMR] = w[W_KOMR] * x[OMR]
    r[P_AMMON] = w[W_KAM] * x[ON]
    r[P_ON_SET] = w[W_VON] / h * x[ON]
    r[P_NITR] = w[W_KN] * _half_sat(do, kin[KDO_NITR]) * x[NH3]
    f_dn = 1.0 - _half_sat(do, kin[KDO_DENIT]) if do > 0.0 else 1.0
    r[P_DENIT] = w[W_KDN] * f_dn * monod(x[CF], kin[KCB_DENIT]) * x[NO3]
    r[P_PMIN] = w[W_KP] * x[OP]
    r[P_OP_SET] = w[W_VOP] / h * x[OP]
    r[P_SED_NH3] = w[W_JNH3] / h
    r[P_SED_PO4] = w[W_JPO4] / h
    r[P_SOD] = w[W_SOD] / h * _half_sat(do, kin[KDO_SOD])
    a = x[ALG]
    if a > 0.0:
        ke = extinction(kin[K_BG], 1000.0 * a, kin[ALPHA_P], kin[ALPHA_PN])
        phi_l = light_limitation(int(kin[LIGHT_MODEL]), light, photoperiod, kin[I_SAT], ke, h)
        phi_n = min(monod(x[NH3] + x[NO3], kin[KS_N]), monod(x[PO4], kin[KS_P]))
        grow = w[W_MU] * phi_l * phi_n * a
        pref = ammonia_preference(x[NH3], x[NO3], kin[K_HNX])
        r[P_GROW_NH3] = grow * pref
        r[P_GROW_NO3] = grow * (1.0 - pref)
        r[P_RESP] = w[W_KR] * _half_sat(do, kin[KDO_RESP]) * a
        r[P_DEATH] = w[W_KD] * a
        r[P_ALG_SET] = w[W_VA] / h * a
    else:
        r[P_GROW_NH3] = 0.0
        r[P_GROW_NO3] = 0.0
        r[P_RESP] = 0.0
        r[P_DEATH] = 0.0
        r[P_ALG_SET] = 0.0


@numba.njit(cache=True)
def net_change(r, stoich, g):
    """g[s] = sum_p S[p, s] r[p], written out (the same matrix as ``process_matrix``)."""
    a_na = stoich[A_NA]
    a_pa = stoich[A_PA]
    r_on = stoich[R_ON]
    r_oa = stoich[R_OC] * stoich[A_CA]
    r_ondn = 0.625 * r_on
    grow = r[P_GROW_NH3] + r[P_GROW_NO3]
    g[DO] = (
        r[P_REAER] - r[P_CF_OX] - r[P_CS_OX] - r_on * r[P_NITR] - r[P_SOD]
        + r_oa * (grow - r[P_RESP]) + r_on * a_na * r[P_GROW_NO3]
    )  # fmt: skip
    g[CF] = r[P_CS_HYD] - r[P_CF_OX] - r_ondn * r[P_DENIT]
    g[CS] = r[P_OMR] + r_oa * r[P_DEATH] - r[P_CS_HYD] - r[P_CS_OX] - r[P_CS_SET]
    g[OMR] = -r[P_OMR]
    g[ALG] = grow - r[P_RESP] - r[P_DEATH] - r[P_ALG_SET]
    g[ON] = a_na * r[P_DEATH] - r[P_AMMON] - r[P_ON_SET]
    g[NH3] = r[P_AMMON] + r[P_SED_NH3] + a_na * (r[P_RESP] - r[P_GROW_NH3]) - r[P_NITR]
    g[NO3] = r[P_NITR] - r[P_DENIT] - a_na * r[P_GROW_NO3]
    g[OP] = a_pa * r[P_DEATH] - r[P_PMIN] - r[P_OP_SET]
    g[PO4] = r[P_PMIN] + r[P_SED_PO4] + a_pa * (r[P_RESP] - grow)


@numba.njit(cache=True)
def patankar_factor(c_ref, c_base, g, dt):
    """The root p > 0 of p = prod_{j: g_j < 0} (c_base_j + p dt g_j) / c_ref_j.

    The right side falls from prod c_base/c_ref at p = 0 to 0 at p_max, the first p at
    which a consumed species would vanish, while the left side rises: the root is unique
    and below p_max. Newton's method on p - prod(...), kept inside the bracket by bisection.
    """
    p_max = np.inf
    consumed = False
    zero_ref = False
    for j in range(g.shape[0]):
        if dt * g[j] < 0.0:  # (not g < 0: dt g may underflow to zero)
            consumed = True
            p_max = min(p_max, c_base[j] / (-dt * g[j]))
            if c_ref[j] <= 0.0:
                zero_ref = True
    if not consumed or p_max == np.inf:  # no loss, or losses below 1e-308 of the stocks
        return 1.0
    if zero_ref or p_max <= 0.0:
        return max(p_max, 0.0)
    # start from the root of the linearised equation, p = A / (1 - A sum(b/a)), with
    # a = c_base/c_ref, b = dt g/c_ref, A = prod(a) (exact for a single consumed species)
    big_a = 1.0
    s_ba = 0.0
    for j in range(g.shape[0]):
        if dt * g[j] < 0.0:
            big_a *= c_base[j] / c_ref[j]
            s_ba += dt * g[j] / c_base[j]
    p = big_a / (1.0 - big_a * s_ba)
    lo = 0.0
    hi = p_max
    if not (lo < p < hi):
        p = 0.5 * hi
    for _ in range(60):
        prod = 1.0
        dlog = 0.0
        vanished = False
        for j in range(g.shape[0]):
            if dt * g[j] < 0.0:
                x = c_base[j] + p * dt * g[j]
                if x <= 0.0:  # rounding at the edge of the bracket: p is past the root
                    vanished = True
                    break
                prod *= x / c_ref[j]
                dlog += dt * g[j] / x
        if vanished:
            hi = p
            p = 0.5 * (lo + hi)
            if hi - lo <= 1e-15 * hi:
                return lo
            continue
        f = p - prod
        if f == 0.0:
            return p
        if f > 0.0:
            hi = p
        else:
            lo = p
        p_new = p - f / (1.0 - prod * dlog)
        # p's accuracy matters for the step's accuracy only (any p keeps the budgets and
        # any p below p_max positivity): 1e-12 is far below the truncation error
        if abs(p_new - p) <= 1e-12 * p and lo <= p_new <= hi:
            return p_new
        if not (lo < p_new < hi):
            p_new = 0.5 * (lo + hi)
        if hi - lo <= 1e-12 * hi:
            return lo
        p = p_new
    return p


@numba.njit(cache=True)
def row_constants(kin, temp_c, w):
    """Fill w (N_ROW_WORK) with the row's temperature-corrected rates in SI (1/s, m/s,
    g/m2/s)."""
    dT = temp_c - 20.0
    st = kin[T_SETTLE] ** dT / SECONDS_PER_DAY
    sd = kin[T_SED] ** dT / SECONDS_PER_DAY
    w[W_KCF] = kin[K_CF] * kin[T_CF] ** dT / SECONDS_PER_DAY
    w[W_KHS] = kin[K_HS] * kin[T_HS] ** dT / SECONDS_PER_DAY
    w[W_KCS] = kin[K_CS] * kin[T_CS] ** dT / SECONDS_PER_DAY
    w[W_VCS] = kin[V_CS] * st
    w[W_KOMR] = kin[K_OMR] * kin[T_OMR] ** dT / SECONDS_PER_DAY
    w[W_KAM] = kin[K_AMMON] * kin[T_AMMON] ** dT / SECONDS_PER_DAY
    w[W_VON] = kin[V_ON] * st
    w[W_KN] = kin[K_NITR] * kin[T_NITR] ** dT / SECONDS_PER_DAY
    w[W_KDN] = kin[K_DENIT] * kin[T_DENIT] ** dT / SECONDS_PER_DAY
    w[W_KP] = kin[K_PMIN] * kin[T_PMIN] ** dT / SECONDS_PER_DAY
    w[W_VOP] = kin[V_OP] * st
    w[W_JNH3] = kin[R_NH3] * sd
    w[W_JPO4] = kin[R_PO4] * sd
    w[W_SOD] = kin[SOD] * kin[T_SOD] ** dT / SECONDS_PER_DAY
    w[W_MU] = kin[MU_MAX] * kin[T_MU] ** dT / SECONDS_PER_DAY
    w[W_KR] = kin[K_RESP] * kin[T_RESP] ** dT / SECONDS_PER_DAY
    w[W_KD] = kin[K_DEATH] * kin[T_DEATH] ** dT / SECONDS_PER_DAY
    w[W_VA] = kin[V_ALG] * st
    w[W_TKA] = kin[T_KA] ** dT


@numba.njit(cache=True)
def _mprk_step(x, ds, kin, w, h, light, photoperiod, stoich, cw, amount, have_r1):
    """One modified Patankar-Runge-Kutta (2nd order) step of length ds on x (in place);
    adds the process amounts (mg/L) to ``amount``. cw: scratch rows (x1, r1, r2, g1, g);
    have_r1: cw[1] already holds the rates at x."""
    x1 = cw[0]
    r1 = cw[1]
    r2 = cw[2]
    g1 = cw[3]
    g = cw[4]
    n = x.shape[0]
    if not have_r1:
        process_rates(x, kin, w, h, light, photoperiod, r1)
    net_change(r1, stoich, g1)
    p1 = patankar_factor(x, x, g1, ds)
    for j in range(n):
        x1[j] = max(x[j] + p1 * ds * g1[j], 0.0)
    process_rates(x1, kin, w, h, light, photoperiod, r2)
    net_change(r2, stoich, g)
    for j in range(n):
        g[j] = 0.5 * (g1[j] + g[j])
    p2 = patankar_factor(x1, x, g, ds)
    for j in range(n):
        x[j] = max(x[j] + p2 * ds * g[j], 0.0)
    f = 0.5 * p2 * ds
    for k in range(N_PROC):
        amount[k] += f * (r1[k] + r2[k])


@numba.njit(cache=True)
def gross_loss(r, stoich, d):
    """d[s]: the consumption terms of net_change alone (mg/L/s, >= 0)."""
    a_na = stoich[A_NA]
    a_pa = stoich[A_PA]
    r_on = stoich[R_ON]
    r_oa = stoich[R_OC] * stoich[A_CA]
    grow = r[P_GROW_NH3] + r[P_GROW_NO3]
    d[DO] = r[P_CF_OX] + r[P_CS_OX] + r_on * r[P_NITR] + r[P_SOD] + r_oa * r[P_RESP]
    d[CF] = r[P_CF_OX] + 0.625 * r_on * r[P_DENIT]
    d[CS] = r[P_CS_HYD] + r[P_CS_OX] + r[P_CS_SET]
    d[OMR] = r[P_OMR]
    d[ALG] = r[P_RESP] + r[P_DEATH] + r[P_ALG_SET] + grow  # growth: the turnover rate
    d[ON] = r[P_AMMON] + r[P_ON_SET]
    d[NH3] = r[P_NITR] + a_na * r[P_GROW_NH3]
    d[NO3] = r[P_DENIT] + a_na * r[P_GROW_NO3]
    d[OP] = r[P_PMIN] + r[P_OP_SET]
    d[PO4] = a_pa * grow


@numba.njit(cache=True)
def substep_count(x, r, stoich, ka, do_start, dt, target, max_substeps, d):
    """Sub-steps for a cell: dt * max(k_a, fastest relative gross loss rate at rates r) /
    target, rounded up, between 1 and max_substeps (d: scratch for the losses). DO's loss
    is taken relative to the smaller of x[DO] and do_start (x being past a reaeration
    half-step, which may have raised DO well above its value over the step)."""
    gross_loss(r, stoich, d)
    lam = ka
    for j in range(x.shape[0]):
        c = min(x[j], do_start) if j == DO else x[j]
        if c > 0.0:
            lam = max(lam, d[j] / c)
    n = math.ceil(dt * lam / target)
    return max(1, min(max_substeps, n))


@numba.njit(cache=True)
def react_eutro(
    conc,
    mass,
    cols,
    volume,
    depth,
    ka20_per_d,
    kin_rows,
    cell_row,
    stoich,
    temp_c,
    do_sat,
    light,
    photoperiod,
    dt,
    target,
    max_substeps,
    budget,
    row_work,
    cell_work,
):
    """Advance the coupled kinetics of every cell over dt seconds.

    conc[c, cols[k]] holds species k of EUTRO_SPECIES (mg/L) and is updated in place;
    mass[c, cols[k]] receives conc * volume (g; 0 where the cell is dry). volume (m3) and
    depth (m) per cell; ka20_per_d the reaeration coefficient at 20 C per cell (1/d, from
    twin.quality.oxygen.ka20); kin_rows[i, :] parameter rows (the columns above), cell_row[c]
    the row of cell c; stoich the global stoichiometry (R_OC, A_CA, A_NA, A_PA, R_ON);
    temp_c the water temperature (C), do_sat the DO saturation (mg/L, e.g. from
    oxygen.do_saturation); light the surface PAR (W/m2) averaged over the daylight part of
    the step and photoperiod that part (1 for an instantaneous, diurnal run). target and
    max_substeps set the sub-steps (see the module doc; max_substeps 1 for none).
    budget[p] gathers the process amounts (g, see PROCESS_NAMES); row_work scratch of shape
    (rows, N_ROW_WORK), cell_work of shape (N_CELL_WORK, >= N_PROC).

    A negative input concentration (round-off of transport) is taken as 0; that change is
    not booked in the budget. The kernel allocates nothing.
    """
    for i in range(kin_rows.shape[0]):
        row_constants(kin_rows[i], temp_c, row_work[i])
    x = cell_work[5, :N_EUTRO]
    amount = cell_work[6, :N_PROC]
    for c in range(conc.shape[0]):
        vol = volume[c]
        if vol <= 0.0:
            for k in range(N_EUTRO):
                mass[c, cols[k]] = 0.0
            continue
        kin = kin_rows[cell_row[c]]
        w = row_work[cell_row[c]]
        h = max(depth[c], MIN_DEPTH_M)
        ka = ka20_per_d[c] * w[W_TKA] / SECONDS_PER_DAY
        for k in range(N_EUTRO):
            x[k] = max(conc[c, cols[k]], 0.0)
        for k in range(N_PROC):
            amount[k] = 0.0
        # the first half-step of reaeration as if there were one sub-step; the rates after
        # it decide the sub-steps and, if there is one, serve as its first stage
        d_start = x[DO]
        x[DO] = reaerate(d_start, do_sat, ka, 0.5 * dt)
        n = 1
        have_r1 = False
        if max_substeps > 1:
            process_rates(x, kin, w, h, light, photoperiod, cell_work[1])
            n = substep_count(
                x, cell_work[1], stoich, ka, d_start, dt, target, max_substeps, cell_work[7]
            )
            if n == 1:
                have_r1 = True
            else:
                x[DO] = reaerate(d_start, do_sat, ka, 0.5 * dt / n)
        amount[P_REAER] += x[DO] - d_start
        ds = dt / n
        for s in range(n):
            if s > 0:
                d0 = x[DO]
                x[DO] = reaerate(x[DO], do_sat, ka, 0.5 * ds)
                amount[P_REAER] += x[DO] - d0
            _mprk_step(
                x, ds, kin, w, h, light, photoperiod, stoich, cell_work, amount, have_r1 and s == 0
            )
            d0 = x[DO]
            x[DO] = reaerate(x[DO], do_sat, ka, 0.5 * ds)
            amount[P_REAER] += x[DO] - d0
        for k in range(N_EUTRO):
            conc[c, cols[k]] = x[k]
            mass[c, cols[k]] = x[k] * vol
        for k in range(N_PROC):
            budget[k] += amount[k] * vol
