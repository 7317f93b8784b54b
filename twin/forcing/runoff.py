"""Rainfall-runoff of plain polder catchments, per land-use class, with polder pumping.

The method follows the land-use structure of the Taihu basin's own plain runoff models
(the Taihu basin model: Cheng Wenhui, Wang Chuanhai and Zhu Yan 2006, 太湖流域模型, Hohai
University Press; and the Taihu application of DFBMS: Chen et al. 2021, Water 13(5) 611),
which compute runoff separately for water surfaces, paddy fields, dry land and built-up land:

water surface (水面)
    R = P - kc_water PET. A surplus runs off; a deficit is drawn from the river.
paddy field (水田), rice season
    Ponded depth h: h += P - ET - seepage; above the ridge height (ponding limit) the excess
    drains; below the lower suitable depth the field is irrigated from the river up to the
    upper suitable depth (the 浅水勤灌 schedule). ET = kc_rice PET while water is ponded.
    Seepage returns to the ditches within the step (shallow water table of the plain;
    approximation). At the end of the season the remaining ponded water drains.
paddy field, outside the rice season; dry land (旱地); green land (woodland, grass)
    Xinanjiang tension-water storage with a parabolic capacity curve (Zhao 1992, The
    Xinanjiang model applied in China, Journal of Hydrology 135, 371-381): capacity WM,
    exponent B; ET = kc PET W / WM (one-layer form, approximation of the three-layer scheme);
    runoff R = PE - (WM - W) + WM (1 - (PE + a)/WMM)^(1+B) when PE + a < WMM, else
    PE - (WM - W), with WMM = WM (1 + B), a = WMM (1 - (1 - W/WM)^(1/(1+B))).
built-up land (城镇)
    An impervious share with depression storage (ET at PET from it, excess runs off) and a
    pervious share treated as green land.
polder (圩区)
    Runoff from the polder share of the catchment collects in the polder's ditches and is
    pumped to the river at up to ``polder_pump_capacity_m3s``; mass is fully mixed in that
    storage. Irrigation and water-surface deficits are drawn straight from the river.

Water balance per catchment, exact to round-off:
    P A dt = ET + dS + (runoff to river + withdrawal from river) dt   (withdrawal <= 0).
Parameters: ``RUNOFF_PARAMETERS`` (default, unit, source, confidence), overridable per
catchment through ``[[catchments]] runoff = {name = value}``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

from ..vocab.landuse import LAND_USE_CLASSES, RUNOFF_PARAMETERS

_W, _P, _D, _U, _G = range(5)


_PAR_INDEX = {name: i for i, name in enumerate(RUNOFF_PARAMETERS)}
NPAR = len(RUNOFF_PARAMETERS)


def parameter_matrix(catchments) -> np.ndarray:
    """[n_catch, NPAR] parameters in SI (mm -> m, mm/d -> m/s) with per-catchment overrides."""
    out = np.empty((len(catchments), NPAR))
    for c, cat in enumerate(catchments):
        for name, p in RUNOFF_PARAMETERS.items():
            v = float(cat.runoff.get(name, p.default))
            if name == "polder_fraction" and v < 0:
                v = 1.0 if cat.polder_pump_capacity_m3s > 0 else 0.0
            if name.endswith("_mm"):
                v *= 1e-3
            elif name.endswith("_mm_d"):
                v *= 1e-3 / 86400.0
            out[c, _PAR_INDEX[name]] = v
    return out


def land_use_matrix(catchments) -> np.ndarray:
    """[n_catch, 5] shares in the order of LAND_USE_CLASSES."""
    out = np.zeros((len(catchments), len(LAND_USE_CLASSES)))
    for c, cat in enumerate(catchments):
        for k, cls in enumerate(LAND_USE_CLASSES):
            out[c, k] = cat.land_use.get(cls, 0.0)
    return out


def rice_season_flags(times_s: np.ndarray, params: np.ndarray) -> np.ndarray:
    """[n_catch, nt] 1 in the rice season (day of year between start and end), else 0."""
    d = np.floor(np.asarray(times_s) / 86400.0).astype("datetime64[D]")
    doy = (d - d.astype("datetime64[Y]")).astype(np.int64) + 1
    s = params[:, _PAR_INDEX["rice_start_doy"]][:, None]
    e = params[:, _PAR_INDEX["rice_end_doy"]][:, None]
    return ((doy[None, :] >= s) & (doy[None, :] < e)).astype(np.uint8)


@dataclass
class RunoffResult:
    """Per catchment and forcing interval (means over the interval unless noted).

    runoff_m3s : [nc, nt] water to the river (pumped plus direct drainage), >= 0.
    withdrawal_m3s : [nc, nt] water drawn from the river (irrigation, pond deficits), <= 0.
    evaporation_m3s : [nc, nt] actual evapotranspiration.
    storage_m3 : [nc, nt] water stored at the end of each interval.
    initial_storage_m3 : [nc] at the start.
    pump_m3s : [nc, nt] pumped out of the polder (part of runoff_m3s).
    load_g_s : [nc, ns, nt] non-point mass carried to the river with runoff_m3s.
    """

    runoff_m3s: np.ndarray
    withdrawal_m3s: np.ndarray
    evaporation_m3s: np.ndarray
    storage_m3: np.ndarray
    initial_storage_m3: np.ndarray
    pump_m3s: np.ndarray
    load_g_s: np.ndarray
    state_end: tuple[np.ndarray, np.ndarray] | None = None


@numba.njit(cache=True, inline="always")
def _xaj(W, WM, B, p, epot):
    """One Xinanjiang step: returns (W_new, runoff, et), depths in m."""
    if WM <= 0.0:
        return 0.0, p, 0.0
    e = epot * W / WM
    if e > W + p:
        e = W + p
    pe = p - e
    r = 0.0
    if pe > 0.0:
        wmm = WM * (1.0 + B)
        ratio = 1.0 - W / WM
        if ratio < 0.0:
            ratio = 0.0
        a = wmm * (1.0 - ratio ** (1.0 / (1.0 + B)))
        if pe + a < wmm:
            r = pe - (WM - W) + WM * (1.0 - (pe + a) / wmm) ** (1.0 + B)
        else:
            r = pe - (WM - W)
        if r < 0.0:
            r = 0.0
        if r > pe:
            r = pe
    wn = W + pe - r
    if wn > WM:
        r += wn - WM
        wn = WM
    elif wn < 0.0:
        e += wn
        wn = 0.0
    return wn, r, e


@numba.njit(cache=True)
def runoff_kernel(
    p, pet, rice, dt, area, frac, par, pump_cap, emc, dep,
    out_runoff, out_withdraw, out_evap, out_storage, out_s0, out_pump, out_load,
    state_in, mass_in_state, use_state, k_save, state_out, mass_out_state,
):  # fmt: skip
    """Advance every catchment over every interval; see the module doc for the equations.

    p, pet : [nc, nt] m s-1; rice : [nc, nt] 0/1; dt : s; area : [nc] m2; frac : [nc, 5];
    par : [nc, NPAR] SI; pump_cap : [nc] m3 s-1; emc : [nc, 5, ns] g m-3 of runoff per class;
    dep : [nc, ns] g m-2 s-1 onto the water surface. Outputs as in ``RunoffResult``.

    Carried state (a hot start continues exactly where the previous window stopped):
    state_in [nc, N_STATE] and mass_in_state [nc, ns] are the stores at the start when
    ``use_state``; state_out and mass_out_state receive the stores after the first
    ``k_save`` intervals (the window's end). Columns: STATE_COLUMNS.
    """
    nc, nt = p.shape
    ns = emc.shape[2]
    mass_in = np.zeros(ns)
    mass_pol = np.zeros(ns)
    for c in range(nc):
        A = area[c]
        aw = A * frac[c, 0]
        ap = A * frac[c, 1]
        ad = A * frac[c, 2]
        au = A * frac[c, 3]
        ag = A * frac[c, 4]
        kcw = par[c, 0]
        kcr = par[c, 1]
        kcd = par[c, 2]
        kcg = par[c, 3]
        wmd = par[c, 4]
        wmg = par[c, 5]
        B = par[c, 6]
        f0 = par[c, 7]
        hmin = par[c, 8]
        hmax = par[c, 9]
        hpond = par[c, 10]
        seep = par[c, 11]
        imp = par[c, 14]
        dmax = par[c, 15]
        fpol = par[c, 16]
        aui = au * imp
        aup = au - aui
        h = 0.0
        wp = f0 * wmd
        wd = f0 * wmd
        wg = f0 * wmg
        wu = f0 * wmg
        du = 0.0
        vpol = 0.0
        was_rice = False
        if nt > 0 and rice[c, 0] == 1:
            # A cold start inside the rice season finds the paddies flooded, halfway between
            # the irrigation trigger and refill depths, not empty: filling them in the first
            # interval would draw a flood's worth of water from the rivers at once.
            h = 0.5 * (hmin + hmax)
            was_rice = True
        for s in range(ns):
            mass_pol[s] = 0.0
        if use_state:
            h = state_in[c, 0]
            wp = state_in[c, 1]
            wd = state_in[c, 2]
            wg = state_in[c, 3]
            wu = state_in[c, 4]
            du = state_in[c, 5]
            vpol = state_in[c, 6]
            was_rice = state_in[c, 7] > 0.5
            for s in range(ns):
                mass_pol[s] = mass_in_state[c, s]
        s0 = h * ap + wp * ap + wd * ad + wg * ag + wu * aup + du * aui + vpol
        out_s0[c] = s0
        for k in range(nt + 1):
            if k == k_save:
                state_out[c, 0] = h
                state_out[c, 1] = wp
                state_out[c, 2] = wd
                state_out[c, 3] = wg
                state_out[c, 4] = wu
                state_out[c, 5] = du
                state_out[c, 6] = vpol
                state_out[c, 7] = 1.0 if was_rice else 0.0
                for s in range(ns):
                    mass_out_state[c, s] = mass_pol[s]
            if k == nt:
                break
            pd = p[c, k] * dt
            ep = pet[c, k] * dt
            in_rice = rice[c, k] == 1
            et = 0.0
            withdraw = 0.0
            # runoff generated per class (m3) for loads
            r_w = 0.0
            r_p = 0.0
            r_d = 0.0
            r_u = 0.0
            r_g = 0.0
            # water surface
            net = pd - kcw * ep
            et += kcw * ep * aw
            if net > 0.0:
                r_w = net * aw
            else:
                withdraw += -net * aw
            # paddy
            if ap > 0.0:
                if in_rice:
                    h += pd
                    e = kcr * ep
                    if e > h:
                        e = h
                    h -= e
                    sp_ = seep * dt
                    if sp_ > h:
                        sp_ = h
                    h -= sp_
                    dr = sp_
                    if h > hpond:
                        dr += h - hpond
                        h = hpond
                    if h < hmin:
                        withdraw += (hmax - h) * ap
                        h = hmax
                    et += e * ap
                    r_p = dr * ap
                else:
                    if was_rice:
                        r_p += h * ap  # drained before harvest
                        h = 0.0
                    wp, r, e = _xaj(wp, wmd, B, pd, kcd * ep)
                    et += e * ap
                    r_p += r * ap
            was_rice = in_rice
            # dry land and green land
            wd, r, e = _xaj(wd, wmd, B, pd, kcd * ep)
            r_d = r * ad
            et += e * ad
            wg, r, e = _xaj(wg, wmg, B, pd, kcg * ep)
            r_g = r * ag
            et += e * ag
            # built-up: impervious depression storage, pervious as green land
            du += pd
            e = ep
            if e > du:
                e = du
            du -= e
            ri = 0.0
            if du > dmax:
                ri = du - dmax
                du = dmax
            wu, r, e2 = _xaj(wu, wmg, B, pd, kcg * ep)
            r_u = ri * aui + r * aup
            et += e * aui + e2 * aup
            # loads generated with the runoff, plus deposition on the water surface
            vgen = r_w + r_p + r_d + r_u + r_g
            for s in range(ns):
                mass_in[s] = (
                    r_w * emc[c, 0, s] + r_p * emc[c, 1, s] + r_d * emc[c, 2, s]
                    + r_u * emc[c, 3, s] + r_g * emc[c, 4, s] + dep[c, s] * aw * dt
                )  # fmt: skip
            # polder share collects and is pumped; the rest drains directly
            vpol += fpol * vgen
            q = pump_cap[c] * dt
            if q > vpol:
                q = vpol
            share = q / vpol if vpol > 0.0 else 0.0
            vpol -= q
            for s in range(ns):
                mass_pol[s] += fpol * mass_in[s]
                m_out = mass_pol[s] * share
                mass_pol[s] -= m_out
                out_load[c, s, k] = ((1.0 - fpol) * mass_in[s] + m_out) / dt
            out_runoff[c, k] = ((1.0 - fpol) * vgen + q) / dt
            out_pump[c, k] = q / dt
            out_withdraw[c, k] = -withdraw / dt
            out_evap[c, k] = et / dt
            out_storage[c, k] = h * ap + wp * ap + wd * ad + wg * ag + wu * aup + du * aui + vpol


STATE_COLUMNS = ("paddy_ponding_m", "paddy_soil_m", "dry_soil_m", "green_soil_m",
                 "urban_soil_m", "urban_depression_m", "polder_volume_m3", "rice_season")  # fmt: skip
"""The stores carried from one forcing window to the next (per catchment)."""
N_STATE = len(STATE_COLUMNS)


def run_runoff(
    times_s, step_s, precipitation_m_s, pet_m_s, area_m2, catchments, emc, deposition,
    state=None, k_save=None,
) -> RunoffResult:  # fmt: skip
    """Run the runoff kernel for ``catchments`` (config objects) on the forcing series.

    emc : [nc, 5, ns] g m-3 per land-use class; deposition : [nc, ns] g m-2 s-1.
    state : (stores [nc, N_STATE], polder masses [nc, ns]) at the start, or None for the
    default initial stores. k_save : intervals after which the end state is taken
    (default: all); it is returned in ``RunoffResult.state_end``.
    """
    nc, nt = precipitation_m_s.shape
    ns = emc.shape[2]
    par = parameter_matrix(catchments)
    frac = land_use_matrix(catchments)
    rice = rice_season_flags(times_s, par)
    cap = np.array([c.polder_pump_capacity_m3s for c in catchments], np.float64)
    out = [np.zeros((nc, nt)) for _ in range(4)]
    s0 = np.zeros(nc)
    pump = np.zeros((nc, nt))
    load = np.zeros((nc, ns, nt))
    st_in = np.zeros((nc, N_STATE)) if state is None else np.asarray(state[0], np.float64)
    m_in = np.zeros((nc, ns)) if state is None else np.asarray(state[1], np.float64)
    st_out = np.zeros((nc, N_STATE))
    m_out = np.zeros((nc, ns))
    runoff_kernel(
        np.ascontiguousarray(precipitation_m_s, np.float64),
        np.ascontiguousarray(pet_m_s, np.float64),
        rice, float(step_s), np.asarray(area_m2, np.float64), frac, par, cap,
        np.ascontiguousarray(emc, np.float64), np.ascontiguousarray(deposition, np.float64),
        out[0], out[1], out[2], out[3], s0, pump, load,
        st_in, m_in, state is not None, nt if k_save is None else int(k_save), st_out, m_out,
    )  # fmt: skip
    return RunoffResult(out[0], out[1], out[2], out[3], s0, pump, load, (st_out, m_out))
