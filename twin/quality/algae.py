"""Phytoplankton growth limitation: light over depth and day, nutrients, temperature, and
the ammonia preference of nitrogen uptake.

Growth mu = mu_max theta^(T - 20) phi_L min(phi_N, phi_P) (QUAL2K, Chapra, Pelletier and
Tao 2008, section 4.5; Chapra 2008, Surface Water-Quality Modeling, ch. 33).

Light extinction (1/m), chl-a in ug/L (QUAL2K section 4.5.5):
    k_e = k_bg + alpha_p chl + alpha_pn chl^(2/3)
k_bg the background (water, colour, suspended solids; the non-algal part, given per row),
alpha_p = 0.0088 L/ugA/m (linear self-shading) and alpha_pn = 0.054 (L/ugA)^(2/3)/m (Riley's
non-linear term): QUAL2K defaults, as in the QUAL2Kw v5 example input; confidence medium
(Chapra 2008 gives 0.0088 and 0.054 too; both are fits).

Depth-averaged light limitation over a well-mixed depth H with surface light I0 (W/m2 PAR),
I(z) = I0 exp(-k_e z) (QUAL2K eqs. for the three models; Chapra 2008 ch. 33):
    half-saturation: phi = 1/(k_e H) ln[(K_L + I0) / (K_L + I0 e^(-k_e H))]
    Smith (1936):    phi = 1/(k_e H) ln[(I0/K_L + sqrt(1 + (I0/K_L)^2)) /
                                        (I1/K_L + sqrt(1 + (I1/K_L)^2))],  I1 = I0 e^(-k_e H)
    Steele (1965):   phi = e/(k_e H) [exp(-I1/K_L) - exp(-I0/K_L)]
Daily means (Di Toro, O'Connor and Thomann 1971; Chapra 2008 eq. 33.19): with light I_a
constant during the photoperiod fraction f of the day and zero at night, the daily mean is
f phi(I_a); for Steele's model this is Di Toro's 2.718 f/(k_e H) (e^-a1 - e^-a0).

Nutrients (Monod): phi_N = DIN/(k_sN + DIN), DIN = NH3-N + NO3-N; phi_P = PO4/(k_sP + PO4);
the law of the minimum takes the smaller.

Ammonia preference (QUAL2K section 4.5.3, after Thomann and Fitzpatrick 1982): the fraction
of N uptake taken as ammonia,
    P_ap = nh3 no3 / ((k_hnx + nh3)(k_hnx + no3)) + nh3 k_hnx / ((nh3 + no3)(k_hnx + no3))
which is 1 without nitrate and 0 without ammonia.
"""

from __future__ import annotations

import math

import numba

# Light model codes, and names for config validation.
LIGHT_HALF_SATURATION, LIGHT_SMITH, LIGHT_STEELE = range(3)
LIGHT_MODELS: dict[str, int] = {
    "half_saturation": LIGHT_HALF_SATURATION,
    "smith": LIGHT_SMITH,
    "steele": LIGHT_STEELE,
}

ALPHA_P_DEFAULT = 0.0088
"""Linear chl-a self-shading, L/ugA/m (QUAL2K default; confidence medium)."""
ALPHA_PN_DEFAULT = 0.054
"""Non-linear chl-a self-shading (Riley), (L/ugA)^(2/3)/m (QUAL2K default; medium)."""

W_M2_PER_LANGLEY_D = 41840.0 / 86400.0
"""1 langley/day = 1 cal/cm2/d = 0.4843 W/m2 (exact by definition of the calorie)."""

I_SAT_DEFAULT_W_M2 = 57.6 * W_M2_PER_LANGLEY_D
"""Light parameter K_L = 57.6 ly/d = 27.9 W/m2 PAR: QUAL2K's default for Smith's model
(QUAL2Kw v5 example input). Confidence medium; Chapra 2008 ch. 33 lists saturating light
of 100-400 ly/d (Steele's I_s) for natural phytoplankton assemblages."""


@numba.njit(cache=True)
def extinction(k_bg_per_m, chl_ug_l, alpha_p, alpha_pn):
    """Light extinction coefficient k_e (1/m) with algal self-shading (chl-a in ug/L)."""
    c = max(chl_ug_l, 0.0)
    return k_bg_per_m + alpha_p * c + alpha_pn * c ** (2.0 / 3.0)


@numba.njit(cache=True)
def light_surface(model, i0, k_l):
    """Light limitation at a point with light i0 (the depth-average when k_e H -> 0)."""
    if k_l <= 0.0:
        return 1.0
    if i0 <= 0.0:
        return 0.0
    x = i0 / k_l
    if model == LIGHT_SMITH:
        return x / math.sqrt(1.0 + x * x)
    if model == LIGHT_STEELE:
        return x * math.exp(1.0 - x)
    return i0 / (k_l + i0)


@numba.njit(cache=True)
def light_depth_mean(model, i0, k_l, ke, h):
    """Depth-averaged light limitation (0..1) of a well-mixed layer of depth h (m) with
    surface light i0 and extinction ke (1/m); the same units for i0 and k_l. A zero k_l
    means no light limitation (QUAL2K's convention)."""
    if k_l <= 0.0:
        return 1.0
    if i0 <= 0.0:
        return 0.0
    keh = ke * h
    if keh < 1e-6:
        return light_surface(model, i0, k_l)
    att = math.exp(-keh)
    if model == LIGHT_SMITH:
        a0 = i0 / k_l
        a1 = a0 * att
        # asinh(a) = ln(a + sqrt(1 + a^2)); the difference of asinh avoids the ratio
        return (math.asinh(a0) - math.asinh(a1)) / keh
    if model == LIGHT_STEELE:
        a0 = i0 / k_l
        a1 = a0 * att
        return math.e * (math.exp(-a1) - math.exp(-a0)) / keh
    return math.log((k_l + i0) / (k_l + i0 * att)) / keh


@numba.njit(cache=True)
def light_limitation(model, i_daylight, photoperiod, k_l, ke, h):
    """Light limitation averaged over depth and over the day: photoperiod f (fraction of
    the day with light, 0..1) times the depth mean at the mean daylight intensity
    i_daylight (Di Toro et al. 1971). With f = 1 and the instantaneous light, this is the
    instantaneous depth mean (for diurnal runs)."""
    return max(photoperiod, 0.0) * light_depth_mean(model, i_daylight, k_l, ke, h)


@numba.njit(cache=True)
def monod(c, ks):
    """c / (ks + c), 0 where both are 0 (no substrate, no growth)."""
    c = max(c, 0.0)
    d = ks + c
    return c / d if d > 0.0 else 0.0


@numba.njit(cache=True)
def nutrient_limitation(nh3, no3, po4, ks_n, ks_p):
    """min(DIN/(ks_N + DIN), PO4/(ks_P + PO4)), all mg/L."""
    return min(monod(nh3 + no3, ks_n), monod(po4, ks_p))


@numba.njit(cache=True)
def ammonia_preference(nh3, no3, k_hnx):
    """Fraction of algal N uptake taken from ammonia (QUAL2K form); 0 without ammonia."""
    nh3 = max(nh3, 0.0)
    no3 = max(no3, 0.0)
    if nh3 <= 0.0:
        return 0.0
    if no3 <= 0.0:
        return 1.0
    if k_hnx <= 0.0:
        return 1.0  # the limit k_hnx -> 0 of the formula: ammonia only while any is there
    return nh3 * no3 / ((k_hnx + nh3) * (k_hnx + no3)) + nh3 * k_hnx / ((nh3 + no3) * (k_hnx + no3))


@numba.njit(cache=True)
def temperature_factor(theta, temp_c):
    """theta^(T - 20)."""
    return theta ** (temp_c - 20.0)


PAR_FRACTION = 0.47
"""Photosynthetically active share of incoming short-wave radiation: QUAL2K's default
(QUAL2Kw v5 example input; Szeicz 1974 measured 0.45-0.50). Confidence medium-high."""


@numba.njit(cache=True)
def photoperiod_fraction(day_of_year, latitude_deg):
    """Astronomical day length as a fraction of 24 h: declination
    23.44 sin(2 pi (284 + n)/365) degrees (Cooper 1969), sunset hour angle
    arccos(-tan(lat) tan(decl)); polar day and night give 1 and 0. Within about 10 min of
    the almanac (no refraction); confidence high for this use."""
    decl = math.radians(23.44) * math.sin(2.0 * math.pi * (284.0 + day_of_year) / 365.0)
    x = -math.tan(math.radians(latitude_deg)) * math.tan(decl)
    if x <= -1.0:
        return 1.0
    if x >= 1.0:
        return 0.0
    return math.acos(x) / math.pi
