"""The accepted date forms, each read as its first day with its precision."""

from __future__ import annotations

import pandas as pd
import pytest

from mapper.tables.dates import parse_dates


@pytest.mark.parametrize(
    ("value", "expected", "precision"),
    [
        ("2026-01-31", "2026-01-31", "day"),
        ("2026-01", "2026-01-01", "month"),
        ("2026", "2026-01-01", "year"),
    ],
)
def test_the_three_accepted_date_forms(value, expected, precision):
    dates, prec, bad = parse_dates(pd.Series([value]))
    assert dates[0] == pd.Timestamp(expected) and prec[0] == precision and not bad[0]
