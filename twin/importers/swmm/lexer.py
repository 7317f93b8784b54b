"""Tokens, numbers, dates and times of a SWMM 5 input file, as SWMM's own reader takes them
(``input.c``, ``datetime.c`` of the EPA source)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path

from .records import Line, SwmmImportError, SwmmIssue


# ------------------------------------------------------------------------ lexing
def tokenize(text: str) -> list[str]:
    """Split a line into tokens: whitespace separates, double quotes group (a pair of
    quotes is an empty token), ``;`` outside quotes starts a comment."""
    if '"' not in text:
        return text.split(";", 1)[0].split()
    tokens: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == ";":
            break
        if c.isspace():
            i += 1
            continue
        if c == '"':
            j = text.find('"', i + 1)
            if j < 0:
                j = n
            tokens.append(text[i + 1 : j])
            i = j + 1
            continue
        j = i
        while j < n and not text[j].isspace() and text[j] != ";":
            j += 1
        tokens.append(text[i:j])
        i = j
    return tokens


def read_sections(path: Path) -> tuple[dict[str, list[Line]], dict[str, int], list[SwmmIssue]]:
    """Lines of the file grouped by section (upper-case name without brackets), the line
    number of each section header, and problems found on the way."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SwmmImportError(
            path, [SwmmIssue(0, "", "file not found", "check the path")]
        ) from None
    except OSError as exc:
        raise SwmmImportError(
            path, [SwmmIssue(0, "", f"cannot read the file: {exc.strerror}")]
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # SWMM files written on Windows are often in a single-byte code page.
        text = raw.decode("latin-1")
    sections: dict[str, list[Line]] = {}
    headers: dict[str, int] = {}
    issues: list[SwmmIssue] = []
    current: str | None = None
    for lineno, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            end = stripped.find("]")
            if end < 0:
                issues.append(
                    SwmmIssue(
                        lineno, "", f"malformed section header '{stripped}'", "close it with ']'"
                    )
                )
                current = None
                continue
            # A section may appear more than once (SWMM reads them in turn).
            current = stripped[1:end].strip().upper()
            headers.setdefault(current, lineno)
            sections.setdefault(current, [])
            continue
        if current == "TITLE":
            if stripped and not stripped.startswith(";;"):
                sections[current].append(Line(lineno, [stripped], line))
            continue
        tokens = tokenize(line)
        if not tokens:
            continue
        if current is None:
            issues.append(
                SwmmIssue(
                    lineno, "", "data before the first section header", "start with e.g. [TITLE]"
                )
            )
            continue
        sections[current].append(Line(lineno, tokens, line))
    return sections, headers, issues


# --------------------------------------------------------------- numbers and times
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def parse_number(token: str) -> float | None:
    """A finite decimal number, or None (SWMM's getDouble, without C's leniency)."""
    if not _NUMBER.match(token):
        return None
    return float(token)


_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def parse_date(token: str) -> date | None:
    """A SWMM date: month/day/year ('/' or '-' separated, month as a number or its
    three-letter English name) or year-month-day with a four-digit year first."""
    if "/" not in token and "-" not in token:
        return None
    parts = re.split(r"[/-]", token)
    if len(parts) != 3:
        return None
    try:
        if len(parts[0]) == 4 and parts[0].isdigit():
            y, m, d = int(parts[0]), _month(parts[1]), int(parts[2])
        else:
            m, d, y = _month(parts[0]), int(parts[1]), int(parts[2])
        return date(y, m, d)
    except ValueError:
        return None


def _month(text: str) -> int:
    if text.isdigit():
        return int(text)
    upper = text[:3].upper()
    if upper in _MONTHS:
        return _MONTHS.index(upper) + 1
    raise ValueError(text)


def parse_hours(token: str) -> float | None:
    """A SWMM time as hours: decimal hours, or hours:minutes[:seconds] (hours may exceed
    23, as in elapsed times of a time series)."""
    value = parse_number(token)
    if value is not None:
        return value
    m = re.match(r"^(\d+)(?::(\d+))?(?::(\d+))?$", token)
    if not m:
        return None
    h, mi, s = (int(g) if g else 0 for g in m.groups())
    return h + mi / 60.0 + s / 3600.0


def parse_seconds(token: str) -> float | None:
    """A SWMM time step: decimal seconds, or hours:minutes:seconds."""
    value = parse_number(token)
    if value is not None:
        return value
    hours = parse_hours(token)
    return None if hours is None else hours * 3600.0


def at_hours(day: date, hours: float) -> datetime:
    """The instant ``hours`` after midnight of ``day``, rounded to the millisecond."""
    return datetime(day.year, day.month, day.day) + timedelta(
        milliseconds=round(hours * 3_600_000.0)
    )
