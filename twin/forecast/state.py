"""The forecast state folder: a lock against concurrent cycles, and the restart files one
cycle leaves for the next.

Restarts are named ``restart_YYYYMMDDTHHMMSSZ.nc`` after the model time they hold (the
cycle's analysis time) and are moved into the folder only when their cycle's products are
complete and validated, just before they are published, so every restart there is good.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from ..errors import UserError

RESTART_RE = re.compile(r"^restart_(\d{8}T\d{6})Z\.nc$")


class LockedError(UserError):
    """Another cycle holds the state folder."""


@contextlib.contextmanager
def state_lock(state_dir: Path, cycle: str = "") -> Iterator[None]:
    """Hold an exclusive lock on the state folder for the cycle's lifetime.

    ``flock`` on ``state_dir/.lock``: released by the kernel when the process ends, even on
    SIGKILL, so a crashed cycle never leaves a stale lock. A second cycle fails at once with
    LockedError naming the holder (its pid, its ``cycle`` and since when it holds the lock).
    """
    state_dir.mkdir(parents=True, exist_ok=True)
    path = state_dir / ".lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise
            holder = ""
            with contextlib.suppress(OSError, ValueError):
                info = json.loads(os.pread(fd, 4096, 0).decode() or "{}")
                holder = f" (pid {info.get('pid')}, cycle {info.get('cycle')}, since {info.get('since')})"
            raise LockedError(
                f"another forecast cycle is running on the state folder {state_dir}{holder}; "
                "this one stops without touching it"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(
            fd,
            json.dumps(
                {
                    "pid": os.getpid(),
                    "since": datetime.now(UTC).isoformat(timespec="seconds"),
                    "cycle": cycle,
                }
            ).encode(),
            0,
        )
        yield
    finally:
        os.close(fd)


def restart_name(t: datetime) -> str:
    return f"restart_{t.strftime('%Y%m%dT%H%M%S')}Z.nc"


def restarts(state_dir: Path) -> list[tuple[datetime, Path]]:
    """Restart files in the folder, oldest first."""
    out = []
    if state_dir.exists():
        for p in state_dir.iterdir():
            m = RESTART_RE.match(p.name)
            if m:
                out.append((datetime.strptime(m.group(1), "%Y%m%dT%H%M%S"), p))
    return sorted(out)


def newest_restart(state_dir: Path, at_or_before: datetime) -> tuple[datetime, Path] | None:
    """The newest restart whose time is at or before ``at_or_before``, or None."""
    found = [(t, p) for t, p in restarts(state_dir) if t <= at_or_before]
    return found[-1] if found else None


def prune(state_dir: Path, keep: int) -> None:
    """Keep the newest ``keep`` restarts."""
    for _, p in restarts(state_dir)[:-keep] if keep > 0 else []:
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
