"""Shared benchmark helpers: the machine description, timing, and JSON-lines records."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import numba
import numpy as np

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.jsonl"


def machine() -> dict:
    """What the figures were measured on."""
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_gb = None
    try:
        with open("/proc/meminfo") as f:
            mem_gb = round(int(f.readline().split()[1]) / 1024**2, 1)
    except OSError:
        pass
    swmm = "not installed"
    try:
        from importlib.metadata import version

        swmm = f"pyswmm {version('pyswmm')}, swmm-toolkit {version('swmm-toolkit')}"
    except Exception:  # the peers extra is optional
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": mem_gb,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "numba": numba.__version__,
        "os": f"{platform.system()} {platform.release()}",
        "swmm": swmm,
    }


def git_revision() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=HERE,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def record(name: str, **fields) -> dict:
    """Append one result line to benchmarks/results.jsonl and return it."""
    row = {
        "benchmark": name,
        "time_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "revision": git_revision(),
        **fields,
    }
    with open(RESULTS, "a", encoding="utf-8") as f:
        f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(json.dumps(row, ensure_ascii=False), flush=True)
    return row


class Timer:
    def __enter__(self):
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.t0
