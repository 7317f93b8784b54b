"""The network: reaches, boundaries, laterals and structures name existing nodes, sections and
series; every section placement has a bed level and a Manning n; every connected part of the
network has a boundary."""

from __future__ import annotations

from collections import defaultdict

from .context import CheckContext


def reaches(ctx: CheckContext) -> None:
    sections = {s.id: s for s in ctx.model.cross_sections}
    for i, r in enumerate(ctx.model.reaches):
        ctx.need("reaches", i, "from_node", r.from_node, "nodes", "node")
        ctx.need("reaches", i, "to_node", r.to_node, "nodes", "node")
        for j, rs in enumerate(r.sections):
            sec = sections.get(rs.section)
            if sec is None:
                ctx.need(
                    "reaches",
                    i,
                    f"sections[{j}].section",
                    rs.section,
                    "cross_sections",
                    "cross-section",
                )
                continue
            if (
                sec.shape != "irregular"
                and rs.bed_level_m is None
                and (r.bed_level_from_m is None or r.bed_level_to_m is None)
            ):
                ctx.add(
                    "reaches",
                    i,
                    f"sections[{j}].bed_level_m",
                    f"no bed level for {sec.shape} section '{sec.id}'",
                    "give bed_level_m here, or bed_level_from_m and bed_level_to_m on the reach",
                )
            if (rs.manning_n or sec.manning_n or r.manning_n or _panel_n(sec)) is None:
                ctx.add(
                    "reaches",
                    i,
                    f"sections[{j}].manning_n",
                    "no Manning n",
                    "give manning_n on the placement, the cross-section or the reach",
                )


def _panel_n(sec):
    return sec.panel_manning_n[0] if getattr(sec, "panel_manning_n", None) else None


def boundaries(ctx: CheckContext) -> None:
    seen: set[str] = set()
    for i, b in enumerate(ctx.model.boundaries):
        ctx.need("boundaries", i, "node", b.node, "nodes", "node")
        if b.node in seen:
            ctx.add(
                "boundaries",
                i,
                "node",
                f"node '{b.node}' already has a boundary",
                "one boundary per node",
            )
        seen.add(b.node)
        for fname in ("level_m", "discharge_m3s", "mean_level_m"):
            if hasattr(b, fname) and not isinstance(getattr(b, fname), list):
                ctx.value("boundaries", i, fname, getattr(b, fname))
        ctx.concentrations("boundaries", i, "concentrations", b.concentrations)


def laterals(ctx: CheckContext) -> None:
    for i, lat in enumerate(ctx.model.laterals):
        ctx.location("laterals", i, lat.node, lat.reach, lat.chainage_m)
        if (
            lat.reach in ctx.reach_len
            and lat.chainage_to_m is not None
            and lat.chainage_to_m > ctx.reach_len[lat.reach] + 1e-6
        ):
            ctx.add(
                "laterals",
                i,
                "chainage_to_m",
                "beyond the reach's length",
                "use a chainage within the reach",
            )
        ctx.value("laterals", i, "discharge_m3s", lat.discharge_m3s)
        ctx.concentrations("laterals", i, "concentrations", lat.concentrations)
        if lat.node is not None:
            ctx.not_at_level_boundary("laterals", i, lat.node, "this lateral")


def structures(ctx: CheckContext) -> None:
    for i, s in enumerate(ctx.model.structures):
        ctx.need("structures", i, "from_node", s.from_node, "nodes", "node")
        ctx.need("structures", i, "to_node", s.to_node, "nodes", "node")
        for fname in ("crest_level_m", "opening_m", "schedule"):
            if hasattr(s, fname):
                ctx.value("structures", i, fname, getattr(s, fname))
        rule = getattr(s, "rule", None)
        if rule is not None:
            ctx.need("structures", i, "rule.node", rule.node, "nodes", "node")
        ctx.need("structures", i, "control_node", getattr(s, "control_node", None), "nodes", "node")


def connectivity(ctx: CheckContext) -> None:
    """Each connected part of the network must hold at least one boundary.

    Skipped when network items failed schema validation: the parts they would join are not
    known."""
    declared = ctx.cfg.declared_ids
    if any(declared.get(t) for t in ("nodes", "reaches", "structures", "boundaries")):
        return
    m = ctx.model
    boundary_nodes = {b.node for b in m.boundaries}
    parent = {n.id: n.id for n in m.nodes}

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    links = [(r.from_node, r.to_node) for r in m.reaches]
    links += [(s.from_node, s.to_node) for s in m.structures]
    for a, b in links:
        if a in parent and b in parent:
            parent[find(a)] = find(b)
    groups: dict[str, list[str]] = defaultdict(list)
    for n in parent:
        groups[find(n)].append(n)
    for members in groups.values():
        if not any(n in boundary_nodes for n in members):
            idx = next(i for i, n in enumerate(m.nodes) if n.id == members[0])
            listed = ", ".join(sorted(members)[:6]) + (" ..." if len(members) > 6 else "")
            ctx.add(
                "nodes",
                idx,
                "",
                f"the part of the network with nodes {listed} has no boundary",
                "connect it to the rest, or give one of its nodes a [[boundaries]] entry",
            )
