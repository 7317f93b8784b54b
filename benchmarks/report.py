"""Write the benchmark table into benchmarks/README.md between two markers."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

START = "<!-- results:start -->"
END = "<!-- results:end -->"


def _fmt(v) -> str:
    """A table cell: numbers as the record rounded them (6 significant digits at most, large
    ones in e-notation), booleans as yes/no, nothing for None; '|' escaped for Markdown."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int | float):
        if v == 0:
            return "0"
        if abs(v) >= 1e6:
            return f"{v:.3e}"
        return f"{v:,}" if isinstance(v, int) else f"{v:.6g}"
    return str(v).replace("|", "\\|")


def table(rows: list[dict]) -> str:
    out = []
    by = {}
    for r in rows:
        by.setdefault(r["benchmark"], []).append(r)
    skip = {"benchmark", "time_utc", "revision"}
    for name, rs in by.items():
        cols = [k for k in rs[0] if k not in skip]
        out.append(f"### {name}\n")
        out.append("| " + " | ".join(cols) + " |")
        out.append("|" + "---|" * len(cols))
        for r in rs:
            out.append("| " + " | ".join(_fmt(r.get(c, "")) for c in cols) + " |")
        out.append("")
    return "\n".join(out)


def write_readme(path: Path, rows: list[dict], info: dict, wall_s: float) -> None:
    text = (
        path.read_text(encoding="utf-8") if path.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    )
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    rev = rows[0]["revision"] if rows else "unknown"
    block = (
        f"{START}\nMeasured {datetime.now(UTC).date().isoformat()} at revision `{rev}` in "
        f"{wall_s:.0f} s on: {info['cpu']}, {info['cores']} cores, {info['memory_gib']} GiB, "
        f"{info['os']}, Python {info['python']}, numpy {info['numpy']}, numba {info['numba']}, "
        f"{info.get('swmm', 'SWMM not recorded')}."
        + (
            f" Load average {info['load_average']} (the machine is shared)."
            if "load_average" in info
            else ""
        )
        + (
            " Wall time by group (s): "
            + ", ".join(f"{k} {v:g}" for k, v in info["group_wall_s"].items())
            + "."
            if info.get("group_wall_s")
            else ""
        )
        + "\n\n"
        + table(rows)
        + f"\n{END}"
    )
    path.write_text(head + block + tail, encoding="utf-8")
