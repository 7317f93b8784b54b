"""Phosphorus-enterprise remediation (涉磷企业整治): a TP cap, a load cut, or connection to a
sewage plant for the chosen enterprises."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

from ...vocab.species import DERIVED
from ..base import Identifier
from .base import InterventionBase, InterventionType
from .context import ApplyContext, RejectedError, fmt, listing

TITLE = "Phosphorus-enterprise remediation"


class PEnterpriseRemediation(InterventionBase):
    """Phosphorus-enterprise remediation (涉磷企业整治).

    Selects enterprises (``kind = 'enterprise'`` sources) by ``ids`` and/or ``tags`` (the union
    of both) and applies exactly one measure: an effluent TP cap (mg/L), a cut of their load
    of ``species`` by a fraction (the flow is kept, the concentrations are lowered), or
    connection of their effluent to a sewage plant.
    """

    type: Literal["p_enterprise_remediation"]
    ids: list[Identifier] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    tp_cap_mg_l: float | None = Field(None, ge=0, description="Effluent TP cap, mg/L.")
    load_cut_fraction: float | None = Field(
        None, gt=0, le=1, description="Share (0-1] of the load removed."
    )
    species: list[Literal["tp", "tn", "nh3n", "po4p", "op", "on", "no3n"]] = Field(
        default_factory=lambda: ["tp"],
        description="Species whose load is cut by load_cut_fraction; 'tp' and 'tn' include "
        "their parts.",
    )
    connect_to: Identifier | None = Field(
        None, description="Sewage plant (kind = 'wwtp') that receives the effluent instead."
    )

    @model_validator(mode="after")
    def _choice(self):
        if not self.ids and not self.tags:
            raise ValueError("choose the enterprises with 'ids' and/or 'tags'")
        given = [
            k
            for k in ("tp_cap_mg_l", "load_cut_fraction", "connect_to")
            if getattr(self, k) is not None
        ]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of 'tp_cap_mg_l', 'load_cut_fraction' or 'connect_to'"
                + (f" (got {', '.join(given)})" if given else "")
            )
        return self


def _chosen(ctx: ApplyContext, x: PEnterpriseRemediation) -> list[int]:
    """Positions in the sources of the enterprises chosen by ids and tags, in order."""
    sources = ctx.model.sources
    enterprises = {s.id: k for k, s in enumerate(sources) if s.kind == "enterprise"}
    by_id = {s.id: s for s in sources}
    chosen: set[int] = set()
    bad = False
    for sid in x.ids:
        if sid in enterprises:
            chosen.add(enterprises[sid])
        elif sid in by_id:
            bad = True
            ctx.issue(
                "ids",
                f"'{sid}' is a source of kind '{by_id[sid].kind}', not an enterprise",
                "name sources of kind 'enterprise'",
            )
        else:
            bad = True
            ctx.issue(
                "ids",
                f"enterprise '{sid}' does not exist",
                f"known enterprises: {listing(sorted(enterprises)) or '(none declared)'}",
            )
    tags_in_use = sorted({t for k in enterprises.values() for t in sources[k].tags})
    for tag in x.tags:
        hits = {k for k in enterprises.values() if tag in sources[k].tags}
        if not hits:
            bad = True
            ctx.issue(
                "tags",
                f"no enterprise has the tag '{tag}'",
                f"tags on enterprises: {listing(tags_in_use)}"
                if tags_in_use
                else "tag the enterprises in the model's [[sources]]",
            )
        chosen |= hits
    if x.connect_to is not None:
        try:
            ctx.plant("connect_to", x.connect_to)
        except RejectedError:
            bad = True
    if bad:
        raise RejectedError()
    return sorted(chosen)


def apply(ctx: ApplyContext, x: PEnterpriseRemediation) -> tuple[str, list[str]]:
    order = _chosen(ctx, x)
    sources = ctx.model.sources
    ids = [sources[k].id for k in order]
    how = " and ".join(
        p
        for p in (
            f"ids {listing(list(x.ids))}" if x.ids else "",
            f"tags {', '.join(repr(t) for t in x.tags)}" if x.tags else "",
        )
        if p
    )
    new: dict[int, BaseModel] = {}
    unchanged: list[str] = []
    if x.tp_cap_mg_l is not None:
        cap = x.tp_cap_mg_l
        for k in order:
            conc = _cap_tp(sources[k].concentrations, cap)
            if conc is None:
                unchanged.append(sources[k].id)
            else:
                new[k] = ctx.rebuild(sources[k], {"concentrations": conc}, "tp_cap_mg_l")
        what = f"effluent TP capped at {fmt(cap)} mg/L"
        note = "already at or below the cap, or without phosphorus"
    elif x.load_cut_fraction is not None:
        keys = _expand_species(x.species)
        keep = 1.0 - x.load_cut_fraction
        for k in order:
            conc = dict(sources[k].concentrations)
            hit = [sp for sp in conc if sp in keys and conc[sp] > 0]
            if not hit:
                unchanged.append(sources[k].id)
                continue
            for sp in hit:
                conc[sp] *= keep
            new[k] = ctx.rebuild(sources[k], {"concentrations": conc}, "load_cut_fraction")
        if not new:
            raise ctx.reject(
                "species",
                f"none of the chosen enterprises ({listing(ids)}) discharges "
                f"{', '.join(x.species)}",
                "cut a species they discharge, or choose other enterprises",
            )
        what = (
            f"{', '.join(x.species)} load cut by {fmt(100 * x.load_cut_fraction)}% "
            "(concentrations lowered, flow kept)"
        )
        note = f"without {', '.join(x.species)}"
    else:
        for k in order:
            if sources[k].connected_to == x.connect_to:
                unchanged.append(sources[k].id)
            else:
                new[k] = ctx.rebuild(sources[k], {"connected_to": x.connect_to}, "connect_to")
        what = f"effluent connected to sewage plant '{x.connect_to}'"
        note = "already connected to it"
    ctx.replace("sources", new)
    changed = [sources[k].id for k in sorted(new)]
    text = (
        f"{what}: changes {len(changed)} of the {len(order)} enterprise(s) chosen by {how}"
        f" ({listing(changed) or 'none'})"
    )
    if unchanged:
        text += f"; unchanged ({note}): {listing(unchanged)}"
    return text, changed


def _expand_species(species: list[str]) -> set[str]:
    """The species and, for the totals 'tp' and 'tn', their parts."""
    out = set()
    for sp in species:
        out.add(sp)
        out.update(DERIVED.get(sp, ()))
    return out


def _cap_tp(conc: dict[str, float], cap: float) -> dict[str, float] | None:
    """Concentrations with TP capped at ``cap`` mg/L, or None when already at or below it.

    TP is the given 'tp' or, without it, the sum of its parts (op + po4p); every phosphorus
    entry is scaled by the same factor, so the split between the parts is kept.
    """
    p_keys = [k for k in ("tp", *DERIVED["tp"]) if k in conc]
    total = conc["tp"] if "tp" in conc else sum(conc[k] for k in p_keys)
    if not p_keys or total <= cap:
        return None
    factor = cap / total
    out = dict(conc)
    for k in p_keys:
        out[k] = conc[k] * factor
    return out


TYPE = InterventionType(PEnterpriseRemediation, TITLE, apply)
