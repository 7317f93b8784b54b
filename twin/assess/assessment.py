"""Water-quality assessment of sections: GB 3838-2002 classes, compliance and target
attainment, and the lake trophic level index.

Rules (DESIGN §4):

- Limits: GB 3838-2002 *Environmental quality standards for surface water*, Table 1
  (published). A value equal to a limit belongs to that class; a value worse than the Class V
  limit is 劣V ("worse than V"). Classes are the integers 1..6 named "I".."V", "劣V"; 0 means
  "no class" (nothing to assess).
- Method: 《地表水环境质量评价办法(试行)》 (Ministry of Environmental Protection, 环办[2011]22号):
  single-factor method, the section's class is the worst class of its assessed indicators;
  period classes come from the arithmetic mean of each indicator over the period. Rivers: TN
  is not assessed. Lakes and reservoirs: the lake TP limits apply; TN is classed with the lake
  TN limits and, as the 2011 method does (TN is a reference indicator assessed separately for
  lakes; recalled from the text, not re-read here), kept out of the section class unless
  ``lake_tn_in_class=True``.
- Compliance rate (优良比例): share of classified sections in Class I-III. Target attainment
  (达标率): share of classified sections with a target whose class is no worse than it.
- Trophic level index TLI (综合营养状态指数), China National Environmental Monitoring Centre,
  《湖泊(水库)富营养化评价方法及分级技术规定》 (2001; published, text at
  http://biz.doczj.com/doc/1611920260.html and http://www.chinah2o.com/cn/NewsDetail.asp?NewsID=48):
  TLI(Σ) = Σ_j W_j TLI(j), W_j = r_j² / Σ_k r_k² with r_j the correlation of parameter j with
  chl-a over 26 Chinese lakes (金相灿 et al., 中国湖泊环境): chla 1, TP 0.84, TN 0.82,
  SD -0.83, COD_Mn 0.83, giving the weights 0.2663, 0.1879, 0.1790, 0.1834, 0.1834. The sum
  runs over the m parameters evaluated, so when some are missing the weights are renormalised
  over the ones present, as the rule's definition of W_j with m parameters implies.

The assessed indicators are the six of Table 1 that a nutrient model and routine monitoring
can supply (DO, COD_Mn, COD, BOD5, NH3-N, TP) plus TN for lakes; the other Table 1 items
(metals, fluoride, ...) are outside this model and never assessed here.

Inputs are period means of simulated concentrations (mg/L) from an ``xarray.Dataset`` with
dims (section, time), and observed annual means from the config
(``AssessmentSection.observed``) for indicators the model does not simulate. A simulated value
always takes precedence over an observed one; every result says which indicators were
simulated, which observed and which not assessed.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import xarray as xr

from ..errors import UserError
from ..io.atomic import atomic_path

if TYPE_CHECKING:
    from ..config.sources import AssessmentSection

CLASS_NAMES: tuple[str, ...] = ("I", "II", "III", "IV", "V", "劣V")
"""Names of classes 1..6; class 6 is 劣V (worse than Class V)."""

NO_CLASS = 0
"""Class value of a section or indicator that could not be assessed."""

WORSE_THAN_V = 6

REL_TOL = 1e-9
"""A value within this relative distance of a limit counts as equal to it, so that a mean
landing on a limit up to floating-point rounding (0.1 + 0.2 != 0.3) stays in that class."""

WaterKind = Literal["river", "lake"]
Frequency = Literal["annual", "monthly", "whole"]


@dataclass(frozen=True)
class Indicator:
    """One GB 3838-2002 Table 1 indicator.

    ``river`` and ``lake`` hold the Class I..V limits in mg/L (None: not assessed for that
    kind of water). ``higher_is_better`` is True for DO, whose limits are minima (>=).
    """

    key: str
    label: str
    long_name: str
    river: tuple[float, float, float, float, float] | None
    lake: tuple[float, float, float, float, float] | None
    higher_is_better: bool = False

    def limits(self, kind: WaterKind) -> tuple[float, ...] | None:
        return self.river if kind == "river" else self.lake


# GB 3838-2002 Table 1 (published). TN applies to lakes and reservoirs only.
INDICATORS: dict[str, Indicator] = {
    ind.key: ind
    for ind in (
        Indicator("do", "DO", "dissolved oxygen", (7.5, 6, 5, 3, 2), (7.5, 6, 5, 3, 2), True),
        Indicator("codmn", "COD_Mn", "permanganate index", (2, 4, 6, 10, 15), (2, 4, 6, 10, 15)),
        Indicator("cod", "COD", "chemical oxygen demand", (15, 15, 20, 30, 40), (15, 15, 20, 30, 40)),
        Indicator("bod5", "BOD5", "five-day biochemical oxygen demand", (3, 3, 4, 6, 10), (3, 3, 4, 6, 10)),
        Indicator("nh3n", "NH3-N", "ammonia nitrogen (as N)", (0.15, 0.5, 1.0, 1.5, 2.0), (0.15, 0.5, 1.0, 1.5, 2.0)),
        Indicator("tp", "TP", "total phosphorus (as P)", (0.02, 0.1, 0.2, 0.3, 0.4), (0.01, 0.025, 0.05, 0.1, 0.2)),
        Indicator("tn", "TN", "total nitrogen (as N)", None, (0.2, 0.5, 1.0, 1.5, 2.0)),
    )
}  # fmt: skip
"""Assessed indicators in report order; values in mg/L."""

TLI_PARAMETERS: dict[str, tuple[float, float, float]] = {
    "chla": (2.5, 1.086, 1.0),
    "tp": (9.436, 1.624, 0.84),
    "tn": (5.453, 1.694, 0.82),
    "sd": (5.118, -1.94, -0.83),
    "codmn": (0.109, 2.661, 0.83),
}
"""TLI(j) = 10 (a + b ln x_j) and r_j, the correlation with chl-a: (a, b, r_j) per parameter.
Units: chla mg/m3, sd m, tp/tn/codmn mg/L."""

TLI_EXTRA_UNITS = {"chla": "mg m-3", "sd": "m"}
"""Observed inputs of the TLI that are not Table 1 indicators, with their units."""

OBSERVABLE: tuple[str, ...] = (*INDICATORS, *TLI_EXTRA_UNITS)
"""Keys allowed in ``AssessmentSection.observed``."""

TROPHIC_STATES: tuple[tuple[float, str, str], ...] = (
    (30.0, "oligotrophic", "贫营养"),
    (50.0, "mesotrophic", "中营养"),
    (60.0, "light eutrophic", "轻度富营养"),
    (70.0, "middle eutrophic", "中度富营养"),
    (math.inf, "hypereutrophic", "重度富营养"),
)
"""Upper bounds of the TLI grades: TLI < 30 oligotrophic; 30 <= TLI <= 50 mesotrophic;
50 < TLI <= 60 light, 60 < TLI <= 70 middle, TLI > 70 hyper-eutrophic (same source as TLI)."""


# ---------------------------------------------------------------------- classes
def class_name(c: int) -> str:
    """'I'..'V', '劣V' for 1..6; '' for 0 (no class)."""
    return CLASS_NAMES[c - 1] if 1 <= c <= 6 else ""


def parse_class(name: str) -> int:
    """1..6 from 'I'..'V', '劣V' (also accepts 'worse than V' and 'V+')."""
    text = name.strip()
    if text in CLASS_NAMES:
        return CLASS_NAMES.index(text) + 1
    if text.lower() in ("worse than v", "v+", "劣v", "劣ⅴ"):
        return WORSE_THAN_V
    raise ValueError(f"unknown class '{name}'; use one of {', '.join(CLASS_NAMES)}")


def classify(indicator: str, values, kind: WaterKind) -> np.ndarray:
    """Single-factor class of ``values`` (mg/L) of ``indicator`` in a river or a lake.

    Returns an int8 array of classes 1..6 (6 = 劣V), 0 where the value is NaN or the
    indicator is not assessed for this kind of water (TN in rivers). A value equal to a limit
    (within ``REL_TOL``) belongs to that class; for DO the limits are minima.
    """
    ind = INDICATORS[indicator]
    v = np.asarray(values, dtype=np.float64)
    limits = ind.limits(kind)
    if limits is None:
        return np.zeros(v.shape, dtype=np.int8)
    lim = np.asarray(limits, dtype=np.float64)
    if ind.higher_is_better:
        worse = v[..., None] < lim * (1.0 - REL_TOL)
    else:
        worse = v[..., None] > lim * (1.0 + REL_TOL)
    # Limits are monotone, so the number of limits missed is the class minus one.
    cls = 1 + worse.sum(axis=-1)
    return np.where(np.isnan(v), NO_CLASS, cls).astype(np.int8)


def assessed_indicators(kind: WaterKind, lake_tn_in_class: bool = False) -> tuple[str, ...]:
    """Indicators that make up a section's class for this kind of water."""
    out = [k for k, ind in INDICATORS.items() if ind.limits(kind) is not None]
    if kind == "lake" and not lake_tn_in_class:
        out.remove("tn")
    return tuple(out)


def separately_assessed(kind: WaterKind, lake_tn_in_class: bool = False) -> tuple[str, ...]:
    """Indicators classed and reported but kept out of the section class (lake TN)."""
    return ("tn",) if kind == "lake" and not lake_tn_in_class else ()


# --------------------------------------------------------------------------- TLI
def tli_index(
    chla: float | None = None,
    tp: float | None = None,
    tn: float | None = None,
    sd: float | None = None,
    codmn: float | None = None,
) -> tuple[float, tuple[str, ...]]:
    """Comprehensive trophic level index TLI(Σ) from the parameters given.

    chla in mg/m3, sd in m, tp/tn/codmn in mg/L. Parameters that are None, NaN or <= 0
    (no logarithm) are left out and the weights W_j = r_j² / Σ r_k² are taken over those
    present. Returns (TLI, parameters used); (nan, ()) when none is usable.
    """
    given = {"chla": chla, "tp": tp, "tn": tn, "sd": sd, "codmn": codmn}
    used = [k for k, v in given.items() if v is not None and np.isfinite(v) and v > 0]
    if not used:
        return math.nan, ()
    r2 = {k: TLI_PARAMETERS[k][2] ** 2 for k in used}
    total_r2 = sum(r2.values())
    value = 0.0
    for k in used:
        a, b, _ = TLI_PARAMETERS[k]
        value += r2[k] / total_r2 * 10.0 * (a + b * math.log(given[k]))
    return value, tuple(used)


def trophic_state(tli: float) -> tuple[str, str]:
    """(English, Chinese) name of the trophic grade of a TLI value; ('', '') for NaN."""
    if not np.isfinite(tli):
        return "", ""
    if tli < 30.0:
        return TROPHIC_STATES[0][1], TROPHIC_STATES[0][2]
    for upper, en, zh in TROPHIC_STATES[1:]:
        if tli <= upper:
            return en, zh
    raise AssertionError("unreachable: the last grade has no upper bound")


# -------------------------------------------------------------------- sections
@dataclass(frozen=True)
class SectionSpec:
    """What the assessment needs to know about a section besides its simulated values.

    ``observed`` holds annual means of indicators the model does not simulate: Table 1
    indicators in mg/L, plus 'chla' (mg/m3) and 'sd' (Secchi depth, m) for the TLI.
    """

    id: str
    kind: WaterKind
    target_class: int | None = None
    name: str = ""
    observed: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self):
        if self.kind not in ("river", "lake"):
            raise ValueError(f"section '{self.id}': kind must be 'river' or 'lake'")
        if self.target_class is not None and not 1 <= self.target_class <= 5:
            raise ValueError(f"section '{self.id}': target class must be I..V")
        unknown = sorted(set(self.observed) - set(OBSERVABLE))
        if unknown:
            raise UserError(
                f"section '{self.id}': observed.{unknown[0]} is not an indicator the "
                f"assessment knows -> use one of {', '.join(OBSERVABLE)}"
            )

    @classmethod
    def from_config(cls, sec: AssessmentSection) -> SectionSpec:
        return cls(
            id=sec.id,
            kind=sec.kind,
            target_class=parse_class(sec.target_class),
            name=sec.name,
            observed=dict(sec.observed),
        )


@dataclass(frozen=True)
class SectionResult:
    """The assessment of one section over one period.

    ``means`` holds the period mean of every indicator that had a value (mg/L; 'chla' in
    mg/m3 and 'sd' in m when given for the TLI), ``origin`` says for each whether it was
    'simulated' or 'observed', ``classes`` the single-factor class of each Table 1 indicator
    with a value. ``not_assessed`` lists the indicators of the method for this kind of water
    that had no value; ``separate`` those classed but kept out of the section class (lake TN).
    """

    section: str
    name: str
    kind: WaterKind
    target_class: int | None
    means: dict[str, float]
    origin: dict[str, str]
    classes: dict[str, int]
    not_assessed: tuple[str, ...]
    separate: tuple[str, ...]
    section_class: int
    worst_indicators: tuple[str, ...]
    tli: float = math.nan
    tli_parameters: tuple[str, ...] = ()

    @property
    def simulated(self) -> tuple[str, ...]:
        return tuple(k for k, o in self.origin.items() if o == "simulated")

    @property
    def observed(self) -> tuple[str, ...]:
        return tuple(k for k, o in self.origin.items() if o == "observed")

    @property
    def class_i_to_iii(self) -> bool | None:
        return None if self.section_class == NO_CLASS else self.section_class <= 3

    @property
    def target_met(self) -> bool | None:
        """Class no worse than the target; None without a class or a target."""
        if self.section_class == NO_CLASS or self.target_class is None:
            return None
        return self.section_class <= self.target_class

    @property
    def trophic_state(self) -> str:
        return trophic_state(self.tli)[0]


@dataclass(frozen=True)
class Assessment:
    """All sections over one period ('2024', '2024-03', or the whole run)."""

    period: str
    sections: tuple[SectionResult, ...]

    @property
    def classified(self) -> tuple[SectionResult, ...]:
        return tuple(s for s in self.sections if s.section_class != NO_CLASS)

    @property
    def compliance_rate(self) -> float:
        """Share (0-1) of classified sections in Class I-III; NaN when none is classified."""
        c = self.classified
        return sum(s.section_class <= 3 for s in c) / len(c) if c else math.nan

    @property
    def attainment_rate(self) -> float:
        """Share (0-1) of classified sections with a target that meet it; NaN when none."""
        c = [s for s in self.classified if s.target_class is not None]
        return sum(bool(s.target_met) for s in c) / len(c) if c else math.nan

    def section(self, section_id: str) -> SectionResult:
        for s in self.sections:
            if s.section == section_id:
                return s
        raise KeyError(f"no section '{section_id}' in the assessment")


def assess_section(
    spec: SectionSpec,
    simulated: Mapping[str, float],
    lake_tn_in_class: bool = False,
    tli_min_parameters: int = 5,
) -> SectionResult:
    """Assess one section from its simulated period means (mg/L; NaN or absent = none) and
    its observed values. A simulated value takes precedence over an observed one.

    For a lake the TLI is computed when at least ``tli_min_parameters`` of its five
    parameters have a value (default 5: the rule lists chl-a, TP, TN, SD and COD_Mn as its
    indicators; with fewer the weights are renormalised over those present).
    """
    means: dict[str, float] = {}
    origin: dict[str, str] = {}
    for key in OBSERVABLE:
        v = simulated.get(key)
        if v is not None and np.isfinite(v):
            means[key], origin[key] = float(v), "simulated"
        elif key in spec.observed and np.isfinite(spec.observed[key]):
            means[key], origin[key] = float(spec.observed[key]), "observed"
    in_class = assessed_indicators(spec.kind, lake_tn_in_class)
    separate = separately_assessed(spec.kind, lake_tn_in_class)
    classes = {
        k: int(classify(k, means[k], spec.kind)) for k in (*in_class, *separate) if k in means
    }
    not_assessed = tuple(k for k in (*in_class, *separate) if k not in means)
    counted = {k: c for k, c in classes.items() if k in in_class}
    section_class = max(counted.values(), default=NO_CLASS)
    worst = tuple(k for k, c in counted.items() if c == section_class and c != NO_CLASS)
    tli, used = math.nan, ()
    if spec.kind == "lake":
        tli, used = tli_index(**{k: means.get(k) for k in TLI_PARAMETERS})
        if len(used) < tli_min_parameters:
            tli, used = math.nan, ()
    return SectionResult(
        section=spec.id,
        name=spec.name,
        kind=spec.kind,
        target_class=spec.target_class,
        means=means,
        origin=origin,
        classes=classes,
        not_assessed=not_assessed,
        separate=tuple(k for k in separate if k in classes),
        section_class=section_class,
        worst_indicators=worst,
        tli=tli,
        tli_parameters=used,
    )


# ---------------------------------------------------------------------- datasets
def _specs_from_dataset(ds: xr.Dataset) -> list[SectionSpec]:
    missing = [c for c in ("kind",) if c not in ds.coords and c not in ds]
    if missing:
        raise ValueError(
            "the dataset needs a 'kind' coordinate along 'section' ('river' or 'lake'), "
            "or pass the sections explicitly"
        )
    ids = [str(x) for x in ds["section"].values]
    kinds = [str(x) for x in ds["kind"].values]
    targets = [str(x) for x in ds["target_class"].values] if "target_class" in ds.coords else None
    names = [str(x) for x in ds["name"].values] if "name" in ds.coords else ids
    return [
        SectionSpec(
            id=i,
            kind=k,  # type: ignore[arg-type]
            target_class=parse_class(targets[n]) if targets and targets[n] else None,
            name=names[n],
        )
        for n, (i, k) in enumerate(zip(ids, kinds, strict=True))
    ]


def _variable(ds: xr.Dataset, key: str) -> xr.DataArray | None:
    for name in (key, f"section_{key}"):
        if name in ds.data_vars:
            return ds[name]
    return None


def period_means(ds: xr.Dataset, freq: Frequency = "annual") -> xr.Dataset:
    """Arithmetic means of every known indicator over each calendar year ('annual'), each
    month ('monthly') or the whole record ('whole'), NaN samples skipped.

    Variables are looked up as ``tp`` or ``section_tp`` (the results file's name); the result
    has dims (section, period) and variables named by indicator key, plus a 'period' label
    coordinate ('2024', '2024-03', or 'start/end').
    """
    if "time" not in ds.dims or "section" not in ds.dims:
        raise ValueError("the dataset needs dims 'section' and 'time'")
    found = {k: v for k in OBSERVABLE if (v := _variable(ds, k)) is not None}
    if not np.issubdtype(ds["time"].dtype, np.datetime64) and ds["time"].dtype != object:
        raise ValueError("the 'time' coordinate must hold dates (datetime64 or cftime)")
    data = xr.Dataset({k: v.astype(np.float64) for k, v in found.items()}, coords={
        "section": ds["section"], "time": ds["time"]})  # fmt: skip
    if freq == "whole":
        means = data.mean("time", skipna=True).expand_dims(period=1)
        t = ds["time"].values
        label = f"{_day(t[0])}/{_day(t[-1])}"
        return means.assign_coords(period=[label])
    rule = {"annual": "YS", "monthly": "MS"}.get(freq)
    if rule is None:
        raise ValueError(f"freq must be 'annual', 'monthly' or 'whole', not {freq!r}")
    means = data.resample(time=rule).mean(skipna=True)
    years = means["time"].dt.year.values
    months = means["time"].dt.month.values
    labels = (
        [f"{y:04d}" for y in years]
        if freq == "annual"
        else [f"{y:04d}-{m:02d}" for y, m in zip(years, months, strict=True)]
    )
    return means.rename(time="period").assign_coords(period=labels)


def _day(t) -> str:
    text = str(t)
    return text[:10]


def assess(
    ds: xr.Dataset,
    sections: Sequence[SectionSpec | AssessmentSection] | None = None,
    freq: Frequency = "annual",
    lake_tn_in_class: bool = False,
    tli_min_parameters: int = 5,
) -> list[Assessment]:
    """Assess every section of ``ds`` for each period.

    Parameters
    ----------
    ds : Dataset with dims (section, time) and concentration variables in mg/L named by
        indicator key ('tp', 'nh3n', 'tn', 'do', 'codmn', 'cod', 'bod5'; or 'section_tp' ...),
        optionally 'chla' (mg/m3) and 'sd' (m) for the TLI. Without ``sections`` it needs
        coordinates 'kind' (and optionally 'target_class', 'name') along 'section'.
    sections : the config's assessment sections (or ``SectionSpec``), matched by id; they
        supply kind, target and observed values. Sections listed here but absent from ``ds``
        are assessed from observed values alone.
    freq : 'annual' (calendar years), 'monthly', or 'whole' (one mean over the record).
        Observed values are annual means and are used as they are for every period.
    lake_tn_in_class : count lake TN in the section class (the 2011 method does not).
    tli_min_parameters : fewest TLI parameters (of chla, tp, tn, sd, codmn) for a lake's TLI.
    """
    if sections is None:
        specs = _specs_from_dataset(ds)
    else:
        specs = [s if isinstance(s, SectionSpec) else SectionSpec.from_config(s) for s in sections]
    means = period_means(ds, freq).transpose("section", "period")
    ids_in_ds = {str(x): n for n, x in enumerate(ds["section"].values)}
    out = []
    for p, label in enumerate(means["period"].values):
        results = []
        for spec in specs:
            n = ids_in_ds.get(spec.id)
            sim = {} if n is None else {k: float(means[k].values[n, p]) for k in means.data_vars}
            results.append(assess_section(spec, sim, lake_tn_in_class, tli_min_parameters))
        out.append(Assessment(period=str(label), sections=tuple(results)))
    return out


# --------------------------------------------------------------------------- CSV
def _fmt(v: float | None, spec: str = ".6g") -> str:
    if v is None or not np.isfinite(v):
        return ""
    return format(v, spec)


def _status(r: SectionResult, key: str) -> str:
    if key in r.origin and key in r.classes:
        return r.origin[key] + (", separate" if key in r.separate else "")
    if INDICATORS[key].limits(r.kind) is None:
        return f"not assessed in {r.kind}s"
    return "missing"


def compliance_rows(assessments: Sequence[Assessment]) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the compliance table: one row per section and period, then one
    'ALL' row per period with the compliance and attainment rates (shares 0-1)."""
    header = ["period", "section_id", "section_name", "kind", "target_class", "section_class",
              "class_i_to_iii", "target_met"]  # fmt: skip
    for k in INDICATORS:
        header += [f"{k}_mean_mg_l", f"{k}_class", f"{k}_status"]
    header += ["worst_indicators", "tli", "trophic_state", "tli_parameters", "n_sections",
               "compliance_rate", "attainment_rate"]  # fmt: skip
    rows = []

    def yn(b: bool | None) -> str:
        return "" if b is None else ("yes" if b else "no")

    for a in assessments:
        for r in a.sections:
            row = [a.period, r.section, r.name, r.kind,
                   class_name(r.target_class or 0), class_name(r.section_class),
                   yn(r.class_i_to_iii), yn(r.target_met)]  # fmt: skip
            for k in INDICATORS:
                row += [_fmt(r.means.get(k)), class_name(r.classes.get(k, 0)), _status(r, k)]
            row += [" ".join(r.worst_indicators), _fmt(r.tli, ".2f"), r.trophic_state,
                    " ".join(r.tli_parameters), "", "", ""]  # fmt: skip
            rows.append(row)
        summary = [a.period, "ALL", "all sections", "", "", "",
                   str(sum(bool(s.class_i_to_iii) for s in a.classified)),
                   str(sum(bool(s.target_met) for s in a.classified))]  # fmt: skip
        summary += [""] * (3 * len(INDICATORS) + 4)
        summary += [str(len(a.classified)), _fmt(a.compliance_rate, ".4f"),
                    _fmt(a.attainment_rate, ".4f")]  # fmt: skip
        rows.append(summary)
    return header, rows


def write_compliance_csv(path: str | Path, assessments: Sequence[Assessment]) -> Path:
    """Write ``compliance.csv`` (UTF-8) atomically; returns its path.

    Per section and period: annual means (mg/L), class per indicator, its status
    (simulated / observed / missing / not assessed), section class, whether it is in Class
    I-III and meets its target, and for lakes the TLI and trophic state. A final 'ALL' row
    per period gives the number of classified sections, the counts in Class I-III and
    meeting their target, and the compliance and attainment rates.
    """
    header, rows = compliance_rows(assessments)
    path = Path(path)
    with atomic_path(path) as tmp, open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path
