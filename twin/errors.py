"""Exceptions that separate a user's mistake (exit code 2) from a fault in twin (exit code 1)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class UserError(Exception):
    """A problem the user can fix: bad input, a missing file, a wrong option.

    The CLI prints the message alone (no traceback) and exits with code 2.
    """


@dataclass(frozen=True)
class ConfigIssue:
    """One problem found in a configuration file.

    Attributes
    ----------
    file : the file the problem is in.
    field : dotted location inside the file, e.g. ``reaches[3].from_node``.
    message : what is wrong.
    fix : what would fix it.
    """

    file: Path | None
    field: str
    message: str
    fix: str = ""

    def format(self) -> str:
        where = f"{self.file}" if self.file is not None else "<config>"
        text = f"{where}: {self.field}: {self.message}"
        if self.fix:
            text += f" -> {self.fix}"
        return text


class ConfigError(UserError):
    """Every problem found while loading and validating a configuration, reported together."""

    def __init__(self, issues: list[ConfigIssue]):
        self.issues = list(issues)
        n = len(self.issues)
        head = f"{n} problem{'s' if n != 1 else ''} in the configuration:"
        super().__init__("\n".join([head, *("  - " + i.format() for i in self.issues)]))


class SimulationError(Exception):
    """A numerical failure during a run: names the time, the place and the variable.

    ``restart_path`` is the restart file holding the last good state, when one was saved.
    """

    def __init__(self, message: str, restart_path: Path | None = None):
        self.restart_path = restart_path
        if restart_path is not None:
            message += f" (last good state saved to {restart_path})"
        super().__init__(message)
