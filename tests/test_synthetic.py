"""Synthetic datasets for benchmarks: deterministic, in the schema, with a realistic mix."""

from __future__ import annotations

import pandas as pd
import pytest

from mapper.schema import (
    ACLED_TAXONOMY,
    CLAIM_COLUMNS,
    INCIDENT_COLUMNS,
    LOCATION_PRECISIONS,
    STATUSES,
)
from mapper.synthetic import synthetic_tables, write_synthetic_dataset


def test_same_seed_same_tables_other_seed_other_tables():
    a_inc, a_cl = synthetic_tables(500, seed=3)
    b_inc, b_cl = synthetic_tables(500, seed=3)
    pd.testing.assert_frame_equal(a_inc, b_inc)
    pd.testing.assert_frame_equal(a_cl, b_cl)
    c_inc, _ = synthetic_tables(500, seed=4)
    assert not a_inc["latitude"].equals(c_inc["latitude"])


def test_tables_follow_the_schema_and_taxonomy():
    inc, cl = synthetic_tables(2000)
    assert tuple(inc.columns) == INCIDENT_COLUMNS
    assert tuple(cl.columns) == CLAIM_COLUMNS
    assert len(inc) == 2000
    assert inc["incident_id"].is_unique and cl["claim_id"].is_unique
    for event_type, sub in zip(inc["event_type"], inc["sub_event_type"], strict=True):
        assert sub in ACLED_TAXONOMY[event_type]
    assert set(inc["location_precision"]) <= set(LOCATION_PRECISIONS)
    assert set(inc["status"]) <= set(STATUSES)
    assert set(cl["incident_id"]) <= set(inc["incident_id"])
    highs = cl.dropna(subset=["high"])
    assert (highs["high"] > highs["low"]).all()
    assert inc["latitude"].between(23, 37).all() and inc["longitude"].between(60, 78).all()


def test_dates_spread_over_several_years():
    inc, _ = synthetic_tables(5000)
    years = pd.to_datetime(inc["date"]).dt.year
    assert years.nunique() >= 6
    assert len(set(inc["event_type"])) == len(ACLED_TAXONOMY)


def test_negative_size_is_refused():
    with pytest.raises(ValueError, match="non-negative count, got -1"):
        synthetic_tables(-1)


def test_written_dataset_reads_back_identically(tmp_path):
    out = write_synthetic_dataset(300, tmp_path / "syn", seed=1)
    inc, cl = synthetic_tables(300, seed=1)
    back = pd.read_csv(out / "incidents.csv", dtype=str, keep_default_na=False)
    assert list(back["incident_id"]) == list(inc["incident_id"])
    assert list(back["latitude"].astype(float)) == list(inc["latitude"])
    assert len(pd.read_csv(out / "claims.csv")) == len(cl)
    again = write_synthetic_dataset(300, tmp_path / "syn2", seed=1)
    assert (out / "incidents.csv").read_bytes() == (again / "incidents.csv").read_bytes()
