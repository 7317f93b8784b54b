"""What the validation rules share: the merged model, lookups built once, the one way a rule
reports a problem (``add``), and the checks that several rules make of a value they meet (an id
that must exist, a series or number, concentrations, a location on the network)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...errors import ConfigIssue
from ...vocab.species import ALL_NAMES
from ..base import SeriesOrValue

if TYPE_CHECKING:
    from ..loaded import LoadedConfig

ID_TABLES = ("timeseries", "nodes", "cross_sections", "reaches", "laterals", "structures",
             "sources", "catchments", "sections")  # fmt: skip
"""The tables whose items have ids that other items name."""


class CheckContext:
    """A merged model under validation and the issues found in it so far.

    ``ids[table]`` holds the ids declared in each table, those of items that failed schema
    validation among them, so that a broken item is reported once, not again by every
    reference to it. ``used_series`` maps each series id that a value names to the first
    place naming it (table, index, field), for the coverage rule.
    """

    def __init__(self, cfg: LoadedConfig):
        self.cfg = cfg
        self.model = cfg.model
        self.issues: list[ConfigIssue] = []
        self.ids = {
            t: {getattr(x, "id", None) for x in getattr(self.model, t)}
            | cfg.declared_ids.get(t, set())
            for t in ID_TABLES
        }
        self.reach_len = {r.id: r.length_m for r in self.model.reaches}
        self.series = {ts.id: ts for ts in self.model.timeseries}
        self.boundary_kind = {b.node: b.kind for b in self.model.boundaries}
        self.used_series: dict[str, tuple[str, int, str]] = {}

    def add(
        self, table: str, index: int | None, fieldname: str, message: str, fix: str = ""
    ) -> None:
        """Report a problem with ``fieldname`` of item ``index`` of list ``table``, in the file
        that item was written in; for a table that is not a list (``quality``, ``forcing``,
        ``run``), ``index`` is None (``LoadedConfig.locate``)."""
        self.issues.append(ConfigIssue(*self.cfg.locate(table, index, fieldname), message, fix))

    def need(self, table, i, fieldname, value, kind, what=None):
        """``value``, when given, is the id of an item of table ``kind``."""
        if value is not None and value not in self.ids[kind]:
            known = sorted(x for x in self.ids[kind] if x)
            hint = (
                f"known {kind}: {', '.join(known[:8])}{' ...' if len(known) > 8 else ''}"
                if known
                else f"declare it in [[{kind}]]"
            )
            self.add(table, i, fieldname, f"{what or kind[:-1]} '{value}' does not exist", hint)

    def value(self, table, i, fieldname, v: SeriesOrValue | None):
        """A number, or the id of a declared series (remembered for the coverage rule)."""
        if isinstance(v, str):
            if v not in self.series and v in self.ids["timeseries"]:
                return  # declared but malformed: already reported
            if v not in self.series:
                self.add(
                    table,
                    i,
                    fieldname,
                    f"time series '{v}' does not exist",
                    "declare it in [[timeseries]] or give a number",
                )
            else:
                self.used_series.setdefault(v, (table, i, fieldname))

    def concentrations(self, table, i, fieldname, conc: dict):
        """Species names, and values (numbers or series) that are not negative."""
        for sp, v in conc.items():
            if sp not in ALL_NAMES:
                self.add(
                    table,
                    i,
                    f"{fieldname}.{sp}",
                    f"unknown species '{sp}'",
                    f"use one of {', '.join(ALL_NAMES)}",
                )
            elif isinstance(v, (int, float)) and v < 0:
                self.add(
                    table, i, f"{fieldname}.{sp}", "negative concentration", "use a value >= 0 mg/L"
                )
            elif isinstance(v, str) and v in self.series and min(self.series[v].values) < 0:
                self.add(
                    table,
                    i,
                    f"{fieldname}.{sp}",
                    f"time series '{v}' has negative concentrations "
                    f"(lowest {min(self.series[v].values)})",
                    "concentrations are >= 0 mg/L; correct the series",
                )
            self.value(table, i, f"{fieldname}.{sp}", v)

    def not_at_level_boundary(self, table, i, node, what, fieldname="node"):
        """Water and loads entering a level or tide boundary node are lost: the level is
        imposed there and the node holds no water of the model."""
        kind = self.boundary_kind.get(node)
        if kind in ("level", "tide"):
            self.add(
                table,
                i,
                fieldname,
                f"{what} enters node '{node}', which has a {kind} boundary: it would be lost",
                "attach it to a reach (reach and chainage_m) or to a node inside the network",
            )

    def location(self, table, i, node, reach, chainage):
        """A node, or a reach and a chainage within its length."""
        self.need(table, i, "node", node, "nodes")
        self.need(table, i, "reach", reach, "reaches")
        if (
            reach in self.reach_len
            and chainage is not None
            and chainage > self.reach_len[reach] + 1e-6
        ):
            self.add(
                table,
                i,
                "chainage_m",
                f"chainage {chainage} m is beyond the reach's length {self.reach_len[reach]} m",
                "use a chainage within the reach",
            )

    def holds_water(self, node) -> bool:
        """Whether a node is a volume of the water-quality model (a cell of its own)."""
        if self.boundary_kind.get(node.id) in ("level", "tide"):
            return False
        return node.kind == "storage" or node.surface_area_m2 > 0
