"""Ids: every item of a table has its own."""

from __future__ import annotations

from .context import ID_TABLES, CheckContext


def duplicate_ids(ctx: CheckContext) -> None:
    for table in ID_TABLES:
        seen: dict[str, int] = {}
        for i, x in enumerate(getattr(ctx.model, table)):
            if x.id in seen:
                ctx.add(table, i, "id", f"duplicate id '{x.id}'", "give every item its own id")
            seen[x.id] = i
