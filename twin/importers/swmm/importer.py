"""Import the open-channel subset of an EPA SWMM 5 input file (.inp) as a twin model config.

``read_inp(path)`` returns the config document as plain data (TOML-serialisable with
``tomli_w``); ``load_inp(path)`` validates it with the same schema and cross-reference checks
as a TOML model and returns a ``LoadedConfig``. Problems are reported together, each with its
line in the .inp file (``SwmmImportError``, a ``UserError``).

Modules: ``swmm_inp`` reads the file into records (the file's units), ``swmm_convert`` and
``swmm_forcing`` map them onto config tables, ``swmm_shapes`` holds the section and storage
shapes. Every imported item names its .inp line in ``source`` and what was approximated in
``note``; model-wide approximations are listed in ``model.description``.

Spacing: ``dx_m`` defaults to each conduit's length (one computational segment per conduit,
as SWMM). SWMM models often use long conduits; twin's implicit scheme is accurate with one
segment where the flow varies slowly along it, but a sharp transient on a shallow or steep
conduit (a step of inflow much larger than the initial flow) may need a finer ``dx_m``.

Mapping (SI inside twin; US customary files are converted, 1 ft = 0.3048 m):

- [JUNCTIONS] -> junction nodes: invert as ``bed_level_m``; SWMM's minimum nodal surface
  area (option MIN_SURFAREA, default 12.566 ft2 = 1.167 m2, EPA SWMM 5.2 ``dynwave.c``) as
  ``surface_area_m2``. SWMM uses it as a floor on the node's area; twin adds it to the water
  surface of the reach ends, a difference of at most that area per node. Initial level:
  invert + initial depth, or, where that depth is 0, the mean depth of the connecting links
  at their initial flow (SWMM's ``initNodeDepths``). Maximum, surcharge depth and ponded
  area have no twin counterpart: twin does not flood nodes; the walls of a section continue
  vertically above its top.
- [STORAGE] -> storage nodes with a level-area table: TABULAR from the curve (extended to
  the maximum depth with SWMM's linear extrapolation), FUNCTIONAL A = A0 + A1 d^A2 and the
  SWMM 5.2 analytic shapes sampled at 21 depths. Areas are floored at the minimum surface
  area because a twin storage node never vanishes.
- [CONDUITS] + [XSECTIONS] -> reaches: length, Manning n, bed levels from the node inverts
  and the link offsets (DEPTH or ELEVATION, negative offsets raised to 0 as SWMM does), one
  cross-section placed at both ends; ``dx_m`` (argument) sets the computational spacing,
  default the conduit's length (one segment per conduit, as SWMM). Shapes: RECT_OPEN ->
  rectangular; TRAPEZOIDAL with equal side slopes and TRIANGULAR -> trapezoidal;
  TRAPEZOIDAL with unequal slopes -> irregular (exact polyline); PARABOLIC -> irregular
  polyline of 41 points (area within 0.1 % of the parabola, an approximation); IRREGULAR
  -> irregular from the [TRANSECTS] GR points with the left/channel/right n as panels and
  vertical walls to the highest point (as SWMM builds it). SWMM uses the transect's n for
  an IRREGULAR conduit and ignores the conduit's n; so does the import.
- [OUTFALLS] -> boundaries: FIXED -> level (SWMM keeps the outfall at least at the
  conduit's critical depth; the same as twin whenever the stage is above it); TIDAL ->
  a level series from the curve repeated every day of the run (hours counted from the run's
  start, as SWMM's ``node.c`` outfall_setOutletDepth);
  TIMESERIES -> level series; FREE and NORMAL -> a rating curve Q(Z) at the end of the
  connected conduit: NORMAL from Manning's normal flow Q = K(h) S^(1/2), FREE from
  max(normal, critical) flow, which inverts SWMM's outfall depth min(y_normal, y_critical)
  (an approximation: SWMM sets the depth from the conduit's current flow each step; twin
  solves the rating with the network). A FREE/NORMAL outfall fed by a weir, orifice or pump
  becomes a fixed level at its invert plus the link's offset, as SWMM sets it.
- [WEIRS] TRANSVERSE and SIDEFLOW -> broad-crested weir with m = Cd / sqrt(2g), Cd in
  SI units (m^0.5/s; US Cd times sqrt(0.3048)). For TRANSVERSE this is exact
  (Q = Cd L H^1.5 = m L sqrt(2g) H^1.5); for SIDEFLOW (SWMM: Q = Cd L^0.83 H^(5/3)) it is
  an approximation. A gated weir becomes a sluice opened far above the water, which flows
  as the same weir in the positive direction only. Weir and orifice crests below the
  outlet node's invert are raised to it under dynamic wave, as SWMM does.
- [ORIFICES] SIDE/BOTTOM -> sluice with a fixed opening (RECT_CLOSED: height and width;
  CIRCULAR: a square of equal area, an approximation). twin's sluice law replaces SWMM's
  Cd A sqrt(2g h) (mu = 0.60 - 0.176 e/H); its weir coefficient for part-full flow is
  Cd / sqrt(2), which equals SWMM's part-full orifice flow (``orifice_getWeirCoeff``).
- [PUMPS] whose curve has a single flow (any of PUMP1-PUMP4 with equal flows) -> pump of
  that capacity, started and stopped at the startup and shutoff depths above the inlet
  invert, or always on/off by its status (with start/stop depths twin starts the pump on
  only if the level is above the start level, whatever SWMM's initial status). Other
  curves and ideal pumps are errors.
- [INFLOWS] -> laterals at the nodes: Q(t) = (scale * series(t) + baseline) * units, with
  the baseline alone outside the series (SWMM returns 0 for a series outside its span).
  Pollutant CONCEN inflows become the laterals' concentrations.
- [POLLUTANTS] -> a twin species of the same name (on, nh3n, no3n, op, po4p, tn, tp,
  tracer; NH3/NH4, NO3, PO4 accepted), any other one pollutant -> the conservative
  ``tracer``. twin has no per-pollutant first-order decay: a decay rate is kept as a note.
  The water temperature of twin's kinetics is set to 20 C (assumed; SWMM has none).
- [OPTIONS] START/END date and time -> run period; dt_s = the largest step not above
  ROUTING_STEP that divides REPORT_STEP; output every REPORT_STEP; FLOW_UNITS CFS, GPM,
  MGD, CMS, LPS, MLD; LINK_OFFSETS, MIN_SURFAREA, MIN_SLOPE, IGNORE_QUALITY used; options
  of SWMM's own solver (VARIABLE_STEP, INERTIAL_DAMPING, ...) have no meaning for twin.
  FLOW_ROUTING other than DYNWAVE is noted: twin always solves the full equations.
- [LOSSES] only if every coefficient is 0; [EVAPORATION] only as CONSTANT 0.
- [COORDINATES], [VERTICES] -> node x/y (``xy_m``; ``lonlat`` when [MAP] UNITS DEGREES;
  feet converted) and reach geometry. [REPORT], [TAGS], [MAP], [SYMBOLS] ... are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ...config.checks import check_model
from ...config.loaded import LoadedConfig
from ...config.loader import issues_from_validation
from ...config.model import LIST_FIELDS, ModelConfig
from ...errors import ConfigIssue
from .convert import Converter
from .inp import read_inp_records
from .records import SwmmImportError, SwmmIssue

__all__ = ["SwmmImportError", "SwmmIssue", "load_inp", "read_inp", "validate_document"]


# ============================================================================ API
def read_inp(path: str | Path, dx_m: float | None = None) -> dict:
    """The twin model config (plain data, TOML-serialisable) of a SWMM .inp file.

    Parameters
    ----------
    path : the .inp file.
    dx_m : target spacing of computational points along each conduit (m); default: the
        conduit's length, so each conduit is one segment as in SWMM.

    Raises SwmmImportError (a UserError) listing every problem with its line number.
    """
    return _convert(Path(path), dx_m).document


def load_inp(path: str | Path, dx_m: float | None = None) -> LoadedConfig:
    """Import a SWMM .inp file and validate it as a twin model (schema and cross-reference
    checks of ``twin.config``); returns the LoadedConfig that ``compile_network`` takes.

    Raises SwmmImportError naming the .inp line of every problem.
    """
    conv = _convert(Path(path), dx_m)
    return validate_document(conv.document, conv.path, conv.origins)


def validate_document(
    document: dict,
    path: str | Path,
    origins: dict[str, list[tuple[int, str]]] | None = None,
) -> LoadedConfig:
    """Validate a model config document (as a TOML model file would hold it, without
    ``include``) without a file: the pydantic schema, then ``twin.config.checks``.

    ``path`` names the source (relative paths resolve against its folder). ``origins``
    maps each list table to (line, section) per item, so problems are reported at the
    source lines; without it a ConfigError-like SwmmImportError names the config fields.
    """
    path = Path(path).resolve()
    origins = origins or {}
    try:
        model = ModelConfig.model_validate(document, context={"base_dir": path.parent})
    except ValidationError as exc:
        raise _located(path, issues_from_validation(path, exc), origins) from None
    if model.run is None:
        raise _located(
            path, [ConfigIssue(path, "run", "no [run] settings", "give start, end, dt_s")], origins
        )
    loaded = LoadedConfig(
        name=model.model.name,
        path=path,
        model=model,
        run=model.run,
        model_path=path,
        files=[path],
        origins={t: [(path, i) for i in range(len(getattr(model, t)))] for t in LIST_FIELDS},
    )
    issues = check_model(loaded)
    if issues:
        raise _located(path, issues, origins)
    return loaded


def _located(path: Path, issues: list[ConfigIssue], origins) -> SwmmImportError:
    """Config issues as SWMM issues at the .inp line of the item they concern."""
    out = []
    for issue in issues:
        line, section = 0, ""
        m = re.match(r"^(\w+)\[(\d+)\]", issue.field)
        if m and m.group(1) in origins and int(m.group(2)) < len(origins[m.group(1)]):
            line, section = origins[m.group(1)][int(m.group(2))]
        else:
            head = issue.field.split(".")[0].split("[")[0]
            if origins.get(head):
                line, section = origins[head][0]
        out.append(SwmmIssue(line, section, f"{issue.field}: {issue.message}", issue.fix))
    out.sort(key=lambda i: i.line)
    return SwmmImportError(path, out)


# ====================================================================== converter
@dataclass
class Conversion:
    """A converted model: the document, and per list table the (line, section) in the
    .inp file of each item."""

    path: Path
    document: dict
    origins: dict[str, list[tuple[int, str]]]
    notes: list[str] = field(default_factory=list)


def _convert(path: Path, dx_m: float | None) -> Conversion:
    if dx_m is not None and not (dx_m > 0):
        raise ValueError(f"dx_m must be > 0, got {dx_m}")
    inp, issues = read_inp_records(path)
    if issues:
        raise SwmmImportError(path, sorted(issues, key=lambda i: i.line))
    conv = Converter(inp, dx_m)
    conv.run()
    if conv.issues:
        conv.issues.sort(key=lambda i: i.line)
        raise SwmmImportError(path, conv.issues)
    document = conv.document()
    return Conversion(path, document, conv.origins, conv.notes)
