"""An end date written as a month or a year means the end of that month or year.

Found by tests/mutation_check.py (mutation ``month-precision-end``): nothing
checked that an incident ending "2026-01" may start on 20 January.
"""

from __future__ import annotations

import pytest

import mapper


@pytest.mark.parametrize(
    ("date", "date_end", "status"),
    [
        ("2026-01-20", "2026-01", "placed"),  # through the end of January
        ("2026-01-31", "2026-01", "placed"),  # the month's last day
        ("2025-06-01", "2025", "placed"),  # through the end of 2025
        ("2025-12-31", "2025", "placed"),
        ("2026-02-01", "2026-01", "rejected"),  # after the whole month: backwards
        ("2026-01-01", "2025", "rejected"),
    ],
)
def test_a_month_or_year_end_date_runs_to_the_end_of_that_period(tmp_path, date, date_end, status):
    (tmp_path / "incidents.csv").write_text(
        "incident_id,date,date_end,latitude,longitude,event_type\n"
        f"e1,{date},{date_end},30.18,67.0,Battles\n",
        encoding="utf-8",
    )
    ds = mapper.read_dataset(tmp_path)
    assert list(ds.report["status"]) == [status]
    if status == "rejected":
        assert "date_end" in ds.report["reason"].iloc[0]
