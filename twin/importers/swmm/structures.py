"""Weirs, orifices and pumps of a SWMM 5 input file as twin structures (a part of
``Converter``, ``twin.importers.swmm.convert``)."""

from __future__ import annotations

import math

from .shapes import (
    G,
)
from .units import FT


class StructureMapping:
    """Weir, orifice and pump mapping; mixed into ``Converter``, whose ``error``, ``note``,
    ``add``, ``ident`` and ``source`` it uses."""

    def crest(self, link, offset: float | None) -> float:
        """Crest/sill level (m) of a weir or orifice: inlet invert + offset (SWMM raises a
        negative offset to 0, and under dynamic wave a crest below the outlet invert to it)."""
        z1 = self.node_elev[link.node1]
        if self.elev_offsets:
            h = 0.0 if offset is None else offset * self.L - z1
        else:
            h = 0.0 if offset is None else offset * self.L
        crest = z1 + max(h, 0.0)
        z2 = self.node_elev[link.node2]
        if self.dynwave and crest < z2:
            crest = z2
        return crest

    def structure(self, link, section: str, item: dict, note: str | None = None) -> None:
        sid = self.ident("structures", link.name)
        self.add("structures", {
            "id": sid, "name": link.name if sid != link.name else None,
            "from_node": self.ids["nodes"][link.node1], "to_node": self.ids["nodes"][link.node2],
            **item, "source": self.source(link.line, section, link.name), "note": note,
        }, link.line, section)  # fmt: skip

    def structures(self) -> None:
        inp = self.inp
        for w in inp.weirs.values():
            if w.name not in self.link_nodes:
                continue
            if w.kind not in ("TRANSVERSE", "SIDEFLOW"):
                self.error(
                    w.line,
                    "WEIRS",
                    f"weir '{w.name}': type {w.kind} is not supported",
                    "use TRANSVERSE or SIDEFLOW",
                )
                continue
            if w.coeff_curve is not None:
                self.error(
                    w.line,
                    "WEIRS",
                    f"weir '{w.name}': a discharge-coefficient curve is not supported",
                    "give a constant Cd",
                )
                continue
            xs = inp.xsections.get(w.name)
            if xs is None or xs.shape != "RECT_OPEN" or not (xs.geom[1] > 0):
                self.error(
                    w.line,
                    "WEIRS",
                    f"weir '{w.name}' needs a RECT_OPEN [XSECTIONS] entry (height, crest length)",
                    "add: <weir> RECT_OPEN height length 0 0",
                )
                continue
            cd_si = w.cd * (math.sqrt(FT) if self.us else 1.0)
            m = cd_si / math.sqrt(2 * G)
            if not (0.2 < m < 0.5):
                lo, hi = 0.2 * math.sqrt(2 * G), 0.5 * math.sqrt(2 * G)
                if self.us:
                    lo, hi = lo / math.sqrt(FT), hi / math.sqrt(FT)
                self.error(
                    w.line, "WEIRS",
                    f"weir '{w.name}': Cd = {w.cd:g} gives twin's m = Cd/sqrt(2g) = {m:.3f}, outside 0.2-0.5",
                    f"use Cd between {lo:.2f} and {hi:.2f} in this file's units ({'ft^0.5/s' if self.us else 'm^0.5/s'})",
                )  # fmt: skip
                continue
            crest = self.crest(w, w.offset)
            width = xs.geom[1] * self.L
            notes = [f"SWMM {w.kind} weir, Cd {w.cd:g}: m = Cd/sqrt(2g)"]
            if w.kind == "SIDEFLOW":
                notes.append(
                    "SWMM's side-flow law Cd L^0.83 H^(5/3) approximated by the broad-crested weir"
                )
            if w.end_contractions > 0:
                notes.append(
                    f"{w.end_contractions:g} end contractions ignored (SWMM shortens the crest by 0.1 EC H)"
                )
            notes.append(
                f"opening height {xs.geom[0] * self.L:g} m ignored: twin's weir has no top (SWMM switches to orifice flow above it)"
            )
            if w.gated:
                notes.append(
                    "flap gate: a sluice opened far above the water, flow from_node -> to_node only"
                )
                item = {"kind": "sluice", "sill_level_m": crest, "width_m": width,
                        "opening_m": 1000.0, "max_opening_m": 1000.0,
                        "weir_coefficient": m, "flow_direction": "positive"}  # fmt: skip
            else:
                item = {
                    "kind": "weir",
                    "crest_level_m": crest,
                    "crest_width_m": width,
                    "discharge_coefficient": m,
                }
            self.structure(w, "WEIRS", item, "; ".join(notes))
        for o in inp.orifices.values():
            if o.name not in self.link_nodes:
                continue
            xs = inp.xsections.get(o.name)
            if xs is None or xs.shape not in ("RECT_CLOSED", "CIRCULAR") or not (xs.geom[0] > 0):
                self.error(
                    o.line,
                    "ORIFICES",
                    f"orifice '{o.name}' needs a RECT_CLOSED or CIRCULAR [XSECTIONS] entry",
                    "add: <orifice> RECT_CLOSED height width 0 0",
                )
                continue
            notes = [
                f"SWMM {o.kind} orifice, Cd {o.cd:g}; twin's sluice law (mu = 0.60 - 0.176 e/H) replaces Cd A sqrt(2gh)"
            ]
            if xs.shape == "RECT_CLOSED":
                if not xs.geom[1] > 0:
                    self.error(
                        xs.line,
                        "XSECTIONS",
                        f"orifice '{o.name}': width (Geom2) must be > 0",
                        "give the width",
                    )
                    continue
                height, width = xs.geom[0] * self.L, xs.geom[1] * self.L
            else:
                side = xs.geom[0] * self.L * math.sqrt(math.pi) / 2.0
                height = width = side
                notes.append(f"circular opening as a square of equal area ({side:.3f} m side)")
            if o.kind == "BOTTOM":
                notes.append("bottom orifice as a gate in a vertical wall (approximation)")
            m = o.cd / math.sqrt(2.0)
            if not (0.2 < m < 0.5):
                notes.append(f"part-full coefficient Cd/sqrt(2) = {m:.3f} limited to twin's range")
                m = min(max(m, 0.21), 0.49)
            self.structure(o, "ORIFICES", {
                "kind": "sluice", "sill_level_m": self.crest(o, o.offset), "width_m": width,
                "opening_m": height, "max_opening_m": height, "weir_coefficient": m,
                "flow_direction": "positive" if o.gated else "both",
            }, "; ".join(notes))  # fmt: skip
        for p in inp.pumps.values():
            if p.name not in self.link_nodes:
                continue
            capacity = self.pump_capacity(p)
            if capacity is None:
                continue
            z1 = self.node_elev[p.node1]
            if p.startup > 0:
                item = {"kind": "pump", "capacity_m3s": capacity,
                        "start_level_m": z1 + p.startup * self.L,
                        "stop_level_m": z1 + p.shutoff * self.L}  # fmt: skip
                if p.shutoff >= p.startup:
                    self.error(
                        p.line,
                        "PUMPS",
                        f"pump '{p.name}': shutoff depth must be below the startup depth",
                        "lower the shutoff depth",
                    )
                    continue
                note = "runs between the startup and shutoff depths (SWMM's initial status is not used: twin starts the pump if the level is above the start level)"
            elif p.shutoff > 0:
                self.error(
                    p.line,
                    "PUMPS",
                    f"pump '{p.name}': a shutoff depth without a startup depth is not supported",
                    "give a startup depth",
                )
                continue
            else:
                item = {
                    "kind": "pump",
                    "capacity_m3s": capacity,
                    "schedule": 1.0 if p.status_on else 0.0,
                }
                note = f"always {'on' if p.status_on else 'off'} (SWMM status {'ON' if p.status_on else 'OFF'}, no startup depth)"
            self.structure(p, "PUMPS", item, note)

    def pump_capacity(self, p) -> float | None:
        if p.curve is None:
            self.error(
                p.line,
                "PUMPS",
                f"pump '{p.name}' is an ideal pump ('*'), which has no capacity",
                "give a pump curve with one constant flow",
            )
            return None
        curve = self.inp.curves.get(p.curve)
        if curve is None or not curve.kind.startswith("PUMP"):
            self.error(
                p.line,
                "PUMPS",
                f"pump '{p.name}': pump curve '{p.curve}' is not defined",
                "declare it in [CURVES] as PUMP1-PUMP4",
            )
            return None
        flows = curve.y
        if curve.kind == "PUMP5" or not flows or max(flows) != min(flows) or flows[0] <= 0:
            self.error(
                p.line, "PUMPS",
                f"pump '{p.name}': curve '{p.curve}' ({curve.kind}) does not give one constant flow",
                "twin's pump has a constant capacity: use a curve whose flows are all equal",
            )  # fmt: skip
            return None
        return flows[0] * self.Q

    # ---------------------------------------------------------------------- info
