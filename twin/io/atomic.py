"""Atomic file writing: write under a temporary name in the same folder, then rename.

A crash at any moment leaves either the previous file or the complete new one under the final
name, never a half-written file (``os.replace`` is atomic within one file system).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


def _file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


_FILE_MODE = _file_mode()
"""Mode of new files: what open() would give under the process umask (mkstemp uses 0600)."""


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it is fsynced and renamed to
    ``path``, on an exception it is removed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    os.chmod(tmp_path, _FILE_MODE)
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp_path, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()
        raise


def atomic_write_text(path: str | Path, text: str) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def safe_name(name: str) -> str:
    """A file-system-safe folder or file name made from a user-given name: letters, digits,
    '-', '_', '.' and CJK characters kept, anything else (slashes, '..', spaces, control
    characters) replaced by '_'."""
    out = []
    for ch in name.strip():
        if ch.isalnum() or ch in "-_." or "\u4e00" <= ch <= "\u9fff":
            out.append(ch)
        else:
            out.append("_")
    text = "".join(out).strip(".")
    return text or "unnamed"
