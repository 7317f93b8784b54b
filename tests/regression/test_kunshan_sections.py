"""The Kunshan baseline's sections.csv over its first ten days, byte for byte against the
original revision's full-year run (``golden/kunshan_sections_10d.csv.gz``, made by
``make_golden.py kunshan``). A day's mean depends only on the run up to that day's end, so a
ten-day run (plus the one-sample day it ends on) must reproduce the year's first ten days."""

from __future__ import annotations

import difflib
import gzip

import pytest

from tests.regression.make_golden import KUNSHAN_GOLDEN, first_days, run_kunshan


@pytest.mark.slow
def test_kunshan_first_ten_days_match_the_original(tmp_path):
    golden = gzip.decompress(KUNSHAN_GOLDEN.read_bytes())
    now = first_days(run_kunshan(tmp_path / "run").read_bytes())
    if now != golden:
        diff = difflib.unified_diff(
            golden.decode().splitlines(), now.decode().splitlines(), "golden", "now", n=0
        )
        pytest.fail("sections.csv differs:\n" + "\n".join(list(diff)[:40]))
    assert golden.count(b"\n") == 1 + 10 * 112  # header, 10 days of 112 rows (16 sections)
