"""Atomic publishing of a cycle's products.

Products are written into a staging folder, every file fsynced, then the folder is renamed
into ``products/.cycles/`` and published by swapping symbolic links: ``products/<cycle>``
points at the cycle's data folder and ``products/latest`` at the newest published cycle. A
link is replaced by renaming a new link over it, which is atomic, so at any moment a reader
sees the previous complete products or the new complete ones, never a mixture; ``latest``
moves last, and never back to an older cycle re-published with ``--force``. A re-published
cycle gets a new data folder; the one it replaces is removed at the next publication (of any
cycle), so a reader still inside it is not cut off. Data folders no link points at (left by a
cycle that died between renaming its folder and linking it) go at the same time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import time
from pathlib import Path


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def staging_dir(products: Path, cycle_name: str) -> Path:
    """A fresh hidden folder in ``products`` for this cycle's files."""
    products.mkdir(parents=True, exist_ok=True)
    stage = products / f".staging-{cycle_name}-{os.getpid()}"
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir()
    return stage


def clean_stale_staging(products: Path) -> None:
    """Remove staging folders left by cycles that died before publishing."""
    if not products.exists():
        return
    for p in products.iterdir():
        if p.name.startswith(".link-"):
            p.unlink(missing_ok=True)
        elif p.name.startswith(".staging-"):
            shutil.rmtree(p, ignore_errors=True)


def _swap_link(products: Path, name: str, target: str) -> None:
    tmp = products / f".link-{name}-{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    os.symlink(target, tmp)
    os.replace(tmp, products / name)


def publish(stage: Path, products: Path, cycle_name: str) -> Path:
    """Publish the staged folder as ``products/<cycle_name>`` and point ``latest`` at it.

    Returns the path of the published cycle (the link)."""
    for f in stage.rglob("*"):
        if f.is_file():
            with open(f, "rb") as fh:
                os.fsync(fh.fileno())
    _fsync_dir(stage)
    data = products / ".cycles"
    data.mkdir(exist_ok=True)
    version = f"{cycle_name}.{time.time_ns()}"
    os.rename(stage, data / version)
    _fsync_dir(data)
    link = products / cycle_name
    previous = os.readlink(link) if link.is_symlink() else None
    if link.exists() and not link.is_symlink():
        raise OSError(f"{link} is not a link made by twin; move it away to publish")
    _swap_link(products, cycle_name, f".cycles/{version}")
    point_latest(products)
    # Data folders no link points at go now, except the one just replaced.
    linked = {Path(os.readlink(p)).name for p in products.iterdir() if p.is_symlink()}
    keep = linked | {Path(previous).name if previous else ""}
    for old in data.iterdir():
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)
    return link


def latest_is_current(products: Path) -> bool:
    """Whether ``latest`` points at the newest published cycle."""
    cycles = published_cycles(products)
    latest = products / "latest"
    return bool(cycles) and latest.is_symlink() and os.readlink(latest) == cycles[-1]


def point_latest(products: Path) -> None:
    """Point ``latest`` at the newest published cycle, unless it already does (it may lag
    when a cycle died between swapping its own link and ``latest``)."""
    if published_cycles(products) and not latest_is_current(products):
        _swap_link(products, "latest", published_cycles(products)[-1])
        _fsync_dir(products)


def published_cycles(products: Path) -> list[str]:
    """Names of the published cycles (links into .cycles), sorted."""
    if not products.exists():
        return []
    return sorted(
        p.name for p in products.iterdir() if p.is_symlink() and p.name != "latest" and p.exists()
    )
