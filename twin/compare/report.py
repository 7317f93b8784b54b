"""The comparison of scenarios for the water bureau: ``comparison.csv``, ``summary.csv``,
``loads.csv``, the figures in ``figures/`` and ``report.html``, one self-contained page
(inline CSS, images as base64 data URIs, no scripts, nothing fetched from anywhere).

Tables:

- ``comparison.csv``: one row per scenario, period, section and GB 3838-2002 indicator: the
  period mean (mg/L), its class, whether it was simulated, observed (annual mean from the
  config) or not assessed, the section class and whether the target is met, and the change
  against the baseline. A failed scenario has one row with its error.
- ``summary.csv``: one row per scenario and period: compliance rate (share of classified
  sections in Class I-III), target-attainment rate, their change against the baseline, and
  the TN and TP load into every storage node (lake): total, scaled to a year, change against
  the baseline, and by source group where source apportionment is on.
- ``loads.csv``: the loads in long form (scenario, period, storage node, species, group).

Loads into a storage node are the mass of TN or TP entering its water through reaches and
structures, plus loads and boundary inflow at the node, over the period (gross inflow: what
flows back in under tidal reversal is counted again), and the net load, that less what left
through its connections (``net_load_t`` in ``loads.csv``). Each load carries whether the
node is a lake or a polder (``[nodes.storage] water_body``); the report lists them apart.

Ids stay ids in the CSV files (``scenario``, ``section_id``, ``storage_id``); the names shown
in the report are in ``scenario_title``, ``section_name`` and ``storage_name``. The report and
its figures are in the language ``--lang`` gives, by default the baseline model's
``[model] language`` ('en' where it is not set).

Numbers in the CSV files depend only on the runs, never on the time or place of the
comparison, so two comparisons of the same scenarios give the same bytes.
"""

from __future__ import annotations

from pathlib import Path

from ..io.atomic import atomic_write_text
from .figures import write_figures
from .html import render_html
from .tables import (
    COMPARISON_HEADER,
    LOADS_HEADER,
    Comparison,
    _write_csv,
    comparison_rows,
    loads_rows,
    summary_table,
)


# --------------------------------------------------------------------------- entry
def report_language(comp: Comparison, lang: str | None = None) -> str:
    """``lang`` when given, else the baseline's model language, else 'en'."""
    if lang:
        return lang
    base = comp.members[comp.baseline] if comp.members else None
    return (base.language if base is not None else "") or "en"


def write_comparison(
    comp: Comparison, out_dir: str | Path, lang: str | None = None
) -> dict[str, Path]:
    """Write comparison.csv, summary.csv, loads.csv, figures/ and report.html; the report
    and figures in ``lang`` (see ``report_language``)."""
    lang = report_language(comp, lang)
    out = Path(out_dir)
    files = {
        "comparison": _write_csv(out / "comparison.csv", COMPARISON_HEADER, comparison_rows(comp)),
        "loads": _write_csv(out / "loads.csv", LOADS_HEADER, loads_rows(comp)),
    }
    header, rows = summary_table(comp)
    files["summary"] = _write_csv(out / "summary.csv", header, rows)
    figures = write_figures(comp, out, lang)
    atomic_write_text(out / "report.html", render_html(comp, out, figures, lang))
    files["report"] = out / "report.html"
    return files
