"""Water-quality test models built in code, and the analytic solutions they are checked with.

Every model is TOML text written to a temporary folder and loaded with
``twin.config.load_config``, so the tests exercise the same path as a user's run. Times are
epoch seconds UTC inside the helpers; the run starts at ``START``. Rain, evaporation and
atmospheric deposition on lakes are switched off (``[forcing] lake_surfaces = false``): the
models hold only the water and mass the tests put in.

Unlike the other case modules these models are TOML text, not ``tests.builders`` dicts: the
tests pass TOML snippets into them, edit the text and check the lines that configuration
errors point at.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
from scipy.special import erfc, erfcx

from twin.config import load_config
from twin.config.timeseries import epoch_seconds
from twin.run.model import Model

START = datetime(2024, 1, 1)
T0 = epoch_seconds(START)


def iso(t_epoch: float) -> str:
    """TOML datetime of an epoch time (s)."""
    return (START + timedelta(seconds=t_epoch - T0)).isoformat(timespec="seconds")


def load(tmp_path: Path, text: str, name: str = "model.toml"):
    """Write ``text`` to ``tmp_path/name`` and load it (raises ConfigError on bad input)."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_config(path)


# ------------------------------------------------------------------ straight channel
@dataclass(frozen=True)
class Channel:
    """A prismatic rectangular channel at uniform (normal) flow.

    Discharge ``q_m3s`` enters at node ``up`` (a discharge boundary), leaves at node ``dn``
    (a level boundary at normal depth). The bed slope is the one that makes ``depth_m`` the
    normal depth by Manning's formula, S = (Q n / (A R^(2/3)))^2, so the flow is uniform with
    velocity u = Q / (W h).
    """

    length_m: float = 20_000.0
    dx_m: float = 50.0
    width_m: float = 50.0
    depth_m: float = 2.0
    q_m3s: float = 50.0
    manning_n: float = 0.025

    @property
    def area_m2(self) -> float:
        return self.width_m * self.depth_m

    @property
    def velocity_m_s(self) -> float:
        return self.q_m3s / self.area_m2

    @property
    def slope(self) -> float:
        r = self.area_m2 / (self.width_m + 2.0 * self.depth_m)
        return (self.q_m3s * self.manning_n / (self.area_m2 * r ** (2.0 / 3.0))) ** 2


def channel_toml(
    ch: Channel,
    *,
    end_s: float,
    dt_s: float,
    quality: str,
    up_concentrations: str = "",
    extra: str = "",
) -> str:
    """TOML of a Channel model running from START for ``end_s`` seconds.

    ``quality`` is the body of the [quality] table; ``up_concentrations`` the inline table
    of the upstream boundary's concentrations (e.g. '{ tracer = "c_up" }'); ``extra`` is
    appended (time series, laterals).
    """
    drop = ch.slope * ch.length_m
    conc = f"concentrations = {up_concentrations}" if up_concentrations else ""
    return f"""
[model]
name = "channel"
coordinates = "xy_m"

[run]
start = {START.isoformat()}
end = {iso(T0 + end_s)}
dt_s = {dt_s}
output_interval_s = {dt_s}

[[nodes]]
id = "up"
x = 0.0
y = 0.0
initial_level_m = {drop + ch.depth_m!r}
[[nodes]]
id = "dn"
x = {ch.length_m}
y = 0.0

[[cross_sections]]
id = "rect"
shape = "rectangular"
width_m = {ch.width_m}
height_m = 10.0
manning_n = {ch.manning_n}

[[reaches]]
id = "channel"
from_node = "up"
to_node = "dn"
length_m = {ch.length_m}
dx_m = {ch.dx_m}
bed_level_from_m = {drop!r}
bed_level_to_m = 0.0
initial_discharge_m3s = {ch.q_m3s}
sections = [{{ chainage_m = 0, section = "rect" }}]

[[boundaries]]
node = "up"
kind = "discharge"
discharge_m3s = {ch.q_m3s}
{conc}

[[boundaries]]
node = "dn"
kind = "level"
level_m = {ch.depth_m}

[quality]
{quality}

[forcing]
lake_surfaces = false

{extra}
"""


def step_series(sid: str, t_on: float, value: float, end_s: float, units="mg L-1") -> str:
    """A series that is 0 until ``t_on`` (epoch s) and ``value`` from then on.

    Boundary concentrations are evaluated at the end of each step and applied over the whole
    step; the switch sits one second after ``t_on`` so that the first step carrying the
    value is the one starting at ``t_on``.
    """
    return f"""
[[timeseries]]
id = "{sid}"
units = "{units}"
interpolation = "previous"
times = [{START.isoformat()}, {iso(t_on + 1.0)}, {iso(T0 + end_s)}]
values = [0.0, {value!r}, {value!r}]
"""


# ------------------------------------------------------------------ analytic solutions
def _exp_erfc(a, b):
    """exp(a) * erfc(b), without overflow for large a and b (erfcx for b > 0)."""
    a = np.asarray(a, float)
    b = np.asarray(b, float)
    out = np.empty(np.broadcast(a, b).shape)
    a, b = np.broadcast_arrays(a, b)
    pos = b > 0
    out[pos] = np.exp(a[pos] - b[pos] ** 2) * erfcx(b[pos])
    out[~pos] = np.exp(a[~pos]) * erfc(b[~pos])
    return out


def ogata_banks(x, t, u, d, c0=1.0, k=0.0):
    """Concentration (units of c0) of a constant-concentration inlet C(0, t) = c0 into a
    semi-infinite column initially clean: advection u (m/s), dispersion d (m2/s) and
    first-order decay k (1/s).

    k = 0: Ogata and Banks (1961), C = c0/2 [erfc((x - ut)/(2 sqrt(Dt)))
    + exp(ux/D) erfc((x + ut)/(2 sqrt(Dt)))]. k > 0: with w = u sqrt(1 + 4kD/u^2),
    C = c0/2 [exp((u - w)x/(2D)) erfc((x - wt)/(2 sqrt(Dt)))
    + exp((u + w)x/(2D)) erfc((x + wt)/(2 sqrt(Dt)))] (Bear 1972; van Genuchten and Alves
    1982, solution A1 of their compendium). Both reduce to each other for k = 0.
    """
    x = np.asarray(x, float)
    w = u * math.sqrt(1.0 + 4.0 * k * d / (u * u))
    s = 2.0 * math.sqrt(d * t)
    first = _exp_erfc((u - w) * x / (2.0 * d), (x - w * t) / s)
    second = _exp_erfc((u + w) * x / (2.0 * d), (x + w * t) / s)
    return 0.5 * c0 * (first + second)


def steady_decay(x, u, d, k, c0=1.0):
    """Steady advection-dispersion-decay below a constant inlet concentration:
    C(x) = c0 exp(u x / (2D) (1 - sqrt(1 + 4 k D / u^2))) (e.g. Chapra 2008, eq. 9.41)."""
    return c0 * np.exp(u * np.asarray(x) / (2.0 * d) * (1.0 - math.sqrt(1.0 + 4.0 * k * d / u**2)))


def run_model(model: Model, t_end: float, every=None) -> None:
    """Step ``model`` to epoch time ``t_end``; call ``every(model)`` after each step."""
    while model.time < t_end - 1e-6 * model.dt:
        model.step()
        if every is not None:
            every(model)


def flux_inlet(x, t, u, d, c0=1.0):
    """Concentration below an inlet that brings the mass flux u c0 (no dispersive flux at
    the inlet, a third-type or Danckwerts condition: u C - D dC/dx = u c0 at x = 0) into a
    semi-infinite clean column (van Genuchten and Alves 1982, solution A2; Lindstrom et al.
    1967): C/c0 = 1/2 erfc((x - ut)/(2 sqrt(Dt))) + sqrt(u^2 t/(pi D)) exp(-(x - ut)^2/(4Dt))
    - 1/2 (1 + ux/D + u^2 t/D) exp(ux/D) erfc((x + ut)/(2 sqrt(Dt))).

    This is the condition a discharge boundary imposes in twin (transport carries Q c0 in;
    dispersion does not act through nodes)."""
    x = np.asarray(x, float)
    s = 2.0 * math.sqrt(d * t)
    first = 0.5 * erfc((x - u * t) / s)
    second = math.sqrt(u * u * t / (math.pi * d)) * np.exp(-((x - u * t) ** 2) / (4.0 * d * t))
    third = 0.5 * (1.0 + u * x / d + u * u * t / d) * _exp_erfc(u * x / d, (x + u * t) / s)
    return c0 * (first + second - third)


def flux_inlet_decay(x, t, u, d, k, c0=1.0):
    """As ``flux_inlet`` with first-order decay k > 0 (1/s) (van Genuchten and Alves 1982,
    third-type inlet with decay): with w = u sqrt(1 + 4kD/u^2),
    C/c0 = u/(u+w) exp((u-w)x/(2D)) erfc((x-wt)/(2 sqrt(Dt)))
    + u/(u-w) exp((u+w)x/(2D)) erfc((x+wt)/(2 sqrt(Dt)))
    + u^2/(2kD) exp(ux/D - kt) erfc((x+ut)/(2 sqrt(Dt))).
    The last two terms nearly cancel for small k D / u^2: use it with k D / u^2 >= 1e-6."""
    x = np.asarray(x, float)
    w = u * math.sqrt(1.0 + 4.0 * k * d / (u * u))
    s = 2.0 * math.sqrt(d * t)
    first = u / (u + w) * _exp_erfc((u - w) * x / (2.0 * d), (x - w * t) / s)
    second = u / (u - w) * _exp_erfc((u + w) * x / (2.0 * d), (x + w * t) / s)
    third = u * u / (2.0 * k * d) * _exp_erfc(u * x / d - k * t, (x + u * t) / s)
    return c0 * (first + second + third)


def steady_decay_finite(x, u, d, k, length, c0=1.0):
    """Steady advection-dispersion-decay on 0 <= x <= L with the conditions a twin reach
    imposes: mass flux u c0 in at x = 0 (u C - D C' = u c0) and no dispersive flux out at
    x = L (C' = 0), the Danckwerts conditions (Wehner and Wilhelm 1956).
    C = A1 exp(l1 x) + A2 exp(l2 x), l1,2 = u/(2D) (1 -/+ sqrt(1 + 4kD/u^2))."""
    root = math.sqrt(1.0 + 4.0 * k * d / u**2)
    l1 = u / (2.0 * d) * (1.0 - root)
    l2 = u / (2.0 * d) * (1.0 + root)
    # unknowns B1 = A1, B2 = A2 exp(l2 L) (scaled so nothing overflows)
    e2 = math.exp(-l2 * length)
    m = np.array([[u - d * l1, (u - d * l2) * e2], [l1 * math.exp(l1 * length), l2]])
    b1, b2 = np.linalg.solve(m, [u * c0, 0.0])
    x = np.asarray(x, float)
    return b1 * np.exp(l1 * x) + b2 * np.exp(l2 * (x - length))


# ------------------------------------------------------------------ looped tidal network
def looped_toml(
    *,
    end_s: float,
    dt_s: float = 300.0,
    quality: str = "",
    inflow_concentrations: str = "{ tracer = 1.0 }",
    tide_concentrations: str = "{}",
    lateral_concentrations: str = "{}",
    extra: str = "",
    hydro: str = "",
) -> str:
    """A looped tidal network (xy_m coordinates, lengths in m).

    Two parallel rivers (north n0-n1-n2-n3, south s0-lake-s2-s3-s3x) joined by three
    reaches (n0-s0, n1-lake, n3-s3) and a sluice (n2-s2); both reach the tidal river ``sea``,
    the north one by a reach from n3, the south one through the sluice ``sea_gate`` from
    s3x: four independent loops. A river brings 20 m3/s into n0 from the discharge boundary
    ``src``; the tide (M2 1.0 m, S2 0.3 m about 2.0 m) acts at ``sea``, so flow reverses
    twice a day in most reaches. ``lake`` is a storage node of 2 km2, junction ``n1`` has a
    water surface of 5000 m2 (a node cell), the other junctions are mixing points (zero
    volume). A lateral of 2 m3/s enters reach ``north_2`` at chainage 1200 m. ``hydro``
    adds keys to [run.hydro].
    """
    reaches = [
        ("inflow", "src", "n0", 3000, "wide"),
        ("north_1", "n0", "n1", 4000, "wide"),
        ("north_2", "n1", "n2", 3500, "wide"),
        ("north_3", "n2", "n3", 4000, "wide"),
        ("south_1", "s0", "lake", 3000, "narrow"),
        ("south_2", "lake", "s2", 4500, "narrow"),
        ("south_3", "s2", "s3", 3500, "narrow"),
        ("rung_0", "n0", "s0", 2000, "narrow"),
        ("rung_1", "n1", "lake", 2500, "narrow"),
        ("rung_3", "n3", "s3", 2000, "narrow"),
        ("mouth_n", "n3", "sea", 2500, "wide"),
        ("mouth_s", "s3", "s3x", 2000, "wide"),
    ]
    xy = {
        "src": (-3000, 2000), "n0": (0, 2000), "n1": (4000, 2000), "n2": (7500, 2000),
        "n3": (11500, 2000), "s0": (0, 0), "lake": (3000, 0), "s2": (7500, 0),
        "s3": (11000, 0), "s3x": (13000, 0), "sea": (14000, 1000),
    }  # fmt: skip
    nodes = []
    for nid, (x, y) in xy.items():
        body = f'[[nodes]]\nid = "{nid}"\nx = {x}\ny = {y}\n'
        if nid == "lake":
            body += (
                'kind = "storage"\nbed_level_m = -2.0\n'
                "storage = { level_m = [-2.0, 5.0], area_m2 = [2.0e6, 2.0e6] }\n"
            )
        if nid == "n1":
            body += "surface_area_m2 = 5000.0\n"
        nodes.append(body)
    reach_text = []
    for rid, a, b, length, sec in reaches:
        reach_text.append(
            f'[[reaches]]\nid = "{rid}"\nfrom_node = "{a}"\nto_node = "{b}"\n'
            f"length_m = {length}\ndx_m = 250\nbed_level_from_m = -2.0\nbed_level_to_m = -2.0\n"
            f'sections = [{{ chainage_m = 0, section = "{sec}" }}]\n'
        )
    return f"""
[model]
name = "looped"
coordinates = "xy_m"

[run]
start = {START.isoformat()}
end = {iso(T0 + end_s)}
dt_s = {dt_s}
output_interval_s = {dt_s}
[run.hydro]
initial_level_m = 2.0
{hydro}

{"".join(nodes)}

[[cross_sections]]
id = "wide"
shape = "trapezoidal"
bottom_width_m = 40
side_slope = 2.0
height_m = 8
manning_n = 0.025

[[cross_sections]]
id = "narrow"
shape = "trapezoidal"
bottom_width_m = 15
side_slope = 1.5
height_m = 8
manning_n = 0.03

{"".join(reach_text)}

[[structures]]
kind = "sluice"
id = "rung_2_sluice"
from_node = "n2"
to_node = "s2"
sill_level_m = -1.5
width_m = 10
opening_m = 2.0

[[structures]]
kind = "sluice"
id = "sea_gate"
from_node = "s3x"
to_node = "sea"
sill_level_m = -1.5
width_m = 20
opening_m = 3.0

[[boundaries]]
node = "src"
kind = "discharge"
discharge_m3s = 20.0
concentrations = {inflow_concentrations}

[[boundaries]]
node = "sea"
kind = "tide"
mean_level_m = 2.0
constituents = [
  {{ name = "M2", amplitude_m = 1.0, phase_deg = 0 }},
  {{ name = "S2", amplitude_m = 0.3, phase_deg = 40 }},
]
concentrations = {tide_concentrations}

[[laterals]]
id = "drain"
reach = "north_2"
chainage_m = 1200
discharge_m3s = 2.0
concentrations = {lateral_concentrations}

[quality]
{quality}

[forcing]
lake_surfaces = false

{extra}
"""


# ------------------------------------------------------------------ closed lake
def closed_lake_toml(*, end_s: float, dt_s: float, quality: str, depth_m: float = 2.0) -> str:
    """A lake (storage node, 1 km2, constant area, bed at -depth_m) at the end of a short
    dead-end arm whose other end is a discharge boundary of 0 m3/s: nothing flows, and the
    lake is a closed, well-mixed volume of depth ``depth_m`` (level 0 m)."""
    return f"""
[model]
name = "closed_lake"
coordinates = "xy_m"

[run]
start = {START.isoformat()}
end = {iso(T0 + end_s)}
dt_s = {dt_s}
output_interval_s = {dt_s}
[run.hydro]
initial_level_m = 0.0

[[nodes]]
id = "lake"
x = 0.0
y = 0.0
kind = "storage"
bed_level_m = {-depth_m}
storage = {{ level_m = [{-depth_m}, 5.0], area_m2 = [1.0e6, 1.0e6] }}
[[nodes]]
id = "end"
x = 1000.0
y = 0.0

[[cross_sections]]
id = "rect"
shape = "rectangular"
width_m = 20.0
manning_n = 0.03

[[reaches]]
id = "arm"
from_node = "lake"
to_node = "end"
length_m = 1000.0
dx_m = 250.0
bed_level_from_m = -1.0
bed_level_to_m = -1.0
sections = [{{ chainage_m = 0, section = "rect" }}]

[[boundaries]]
node = "end"
kind = "discharge"
discharge_m3s = 0.0

[quality]
{quality}

[forcing]
lake_surfaces = false
"""
