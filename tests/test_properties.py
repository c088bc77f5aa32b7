"""Property-based tests (hypothesis): readers never fail unclearly and lose no row;
the claims arithmetic holds for any set of claims."""

from __future__ import annotations

import csv
import io
import math
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mapper.claims import claim_ranges
from mapper.dataset import read_dataset
from mapper.errors import InputError, MapperError
from mapper.gazetteer import Gazetteer, read_gazetteer_csv
from mapper.gazetteer.sources.geonames_dump import read_geonames_dump
from mapper.importers.acled import import_acled
from mapper.importers.ucdp import import_ucdp
from mapper.schema import EVENT_TYPES, ROW_STATES

FIX = Path(__file__).parent / "fixtures" / "datasets"
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text as scraped from the web: any printable unicode, quotes, delimiters, newlines, markup.
text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            "Quetta",
            "Dālbandīn",
            'a "quoted" name',
            "x,y;z\tw",
            "line\nbreak",
            "<script>alert(1)</script>",
            "NaN",
            "inf",
            "-0",
            "  Turbat  ",
        ]
    ),
)
number = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-1000, 1000).map(str),
    text,
)
date = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(
        [
            "2026-01-31",
            "2026-02",
            "2025",
            "03/04/2026",
            "31 January 2026",
            "2026-13-01",
            "2026-02-30",
            "",
        ]
    ),
    text,
)


def _csv(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    # Quote every field, as spreadsheets do, so that a carriage return inside a field stays in it.
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


_gaz = None


def _gazetteer() -> Gazetteer:
    global _gaz
    if _gaz is None:
        _gaz = Gazetteer.from_files([FIX / "gazetteer.csv"], include_default=False)
    return _gaz


incident_row = st.tuples(
    st.sampled_from(["i1", "i2", "i3", "", "i1 "]) | text,  # incident_id, with duplicates
    date,
    text,  # place
    number,  # latitude
    number,  # longitude
    st.sampled_from([*EVENT_TYPES, "Batles", ""]) | text,
    text,  # description
).map(list)


@SETTINGS
@given(rows=st.lists(incident_row, max_size=8))
def test_reading_any_incident_table_accounts_for_every_row_or_says_why_not(rows):
    header = ["incident_id", "date", "place", "latitude", "longitude", "event_type", "description"]
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "incidents.csv"
        f.write_text(_csv(header, rows), encoding="utf-8")
        try:
            ds = read_dataset(f, gazetteer=_gazetteer())
        except InputError as err:
            assert str(err).startswith(str(f))  # a clear, located refusal
            return
    report = ds.report
    assert len(report) == len(rows)  # one row of the account per input row
    assert set(report["status"]) <= set(ROW_STATES)
    lines = list(report["line"])
    assert lines == sorted(set(lines)) and (not lines or lines[0] == 2)  # located, in order
    kept = report["status"] != "rejected"
    assert len(ds.incidents) == int(kept.sum())
    assert (report.loc[~kept, "reason"].str.len() > 0).all()  # every rejection says why
    placed = ds.incidents[ds.incidents["placement"] == "placed"]
    assert placed["latitude"].between(-90, 90).all()
    assert placed["longitude"].between(-180, 180).all()


@SETTINGS
@given(rows=st.lists(st.tuples(text, number, number, text).map(list), max_size=6))
def test_any_gazetteer_csv_is_read_or_refused_with_its_file_name(rows):
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "places.csv"
        f.write_text(_csv(["name", "latitude", "longitude", "aliases"], rows), encoding="utf-8")
        try:
            table = read_gazetteer_csv(f)
        except InputError as err:
            assert str(f) in str(err)
            return
    assert table is not None


@SETTINGS
@given(
    lines=st.lists(
        st.lists(
            text.map(lambda t: t.replace("\t", " ").replace("\n", " ")), min_size=17, max_size=21
        ),
        max_size=5,
    )
)
def test_any_geonames_dump_is_read_or_refused_with_its_file_name(lines):
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "PK.txt"
        f.write_text("".join("\t".join(cols) + "\n" for cols in lines), encoding="utf-8")
        try:
            read_geonames_dump(f)
        except InputError as err:
            assert str(f) in str(err)


acled_row = st.tuples(
    st.sampled_from(["PAK1", "PAK2", "PAK1", ""]),
    date,
    st.sampled_from([*EVENT_TYPES, "Batles"]) | text,
    text,  # location
    number,
    number,
    st.sampled_from(["1", "2", "3", "", "9"]),
    number,  # fatalities
).map(list)


@SETTINGS
@given(rows=st.lists(acled_row, min_size=1, max_size=6))
def test_acled_import_accounts_for_every_row(rows):
    header = [
        "event_id_cnty",
        "event_date",
        "event_type",
        "location",
        "latitude",
        "longitude",
        "geo_precision",
        "fatalities",
    ]
    _check_import(import_acled, header, rows)


ucdp_row = st.tuples(
    st.sampled_from(["1", "2", "1", "x"]),
    date,
    date,
    st.sampled_from(["1", "2", "3", "4", "5", "6", "7", ""]),
    number,
    number,
    number,  # best
).map(list)


@SETTINGS
@given(rows=st.lists(ucdp_row, min_size=1, max_size=6))
def test_ucdp_import_accounts_for_every_row(rows):
    header = ["id", "date_start", "date_end", "where_prec", "latitude", "longitude", "best"]
    _check_import(import_ucdp, header, rows)


def _check_import(importer, header, rows):
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "export.csv"
        f.write_text(_csv(header, rows), encoding="utf-8")
        try:
            result = importer(f)
        except MapperError as err:
            assert str(f) in str(err)
            return
    report = result.report
    assert len(report) == len(rows)
    assert len(result.incidents) == int((report["status"] != "rejected").sum())
    assert (report.loc[report["status"] == "rejected", "reason"].str.len() > 0).all()


claim = st.tuples(
    st.sampled_from(["ISPR", "BLA", "HRCP", "Officials"]),
    st.integers(0, 500),
    st.one_of(st.none(), st.integers(0, 300)),
)


@settings(max_examples=100, deadline=None)
@given(claims=st.lists(claim, min_size=1, max_size=8))
def test_claims_arithmetic_holds_for_any_claims(claims):
    rows = [(c, lo, None if hi is None else lo + hi) for c, lo, hi in claims]
    df = pd.DataFrame(
        {
            "claim_id": [f"c{i}" for i in range(len(rows))],
            "incident_id": "i1",
            "operation": None,
            "claimant": [r[0] for r in rows],
            "subject": "security forces",
            "outcome": "killed",
            "low": pd.array([r[1] for r in rows], dtype="Int64"),
            "high": pd.array([r[2] for r in rows], dtype="Int64"),
            "source": "test",
        }
    )
    out = claim_ranges(df)
    lows = [r[1] for r in rows]
    tops = [r[1] if r[2] is None else r[2] for r in rows]
    assert sorted(out["claim_id"]) == sorted(df["claim_id"])  # nothing merged, nothing lost
    assert (out["range_low"] == min(lows)).all()
    assert (out["range_high"] == max(tops)).all()
    assert (out["conservative"] == min(lows)).all()
    assert (out["claimants"] == len({r[0] for r in rows})).all()
    spread = out["spread"].iloc[0]
    if min(lows) == 0:
        assert pd.isna(spread)
    else:
        assert math.isclose(spread, max(tops) / min(lows), rel_tol=0.01)
    who = set(out["conservative_claimants"].iloc[0].split("|"))
    assert who == {r[0] for r in rows if r[1] == min(lows)}
    # The same claims in another order give the same table.
    again = claim_ranges(df.iloc[::-1].reset_index(drop=True))
    pd.testing.assert_frame_equal(out.reset_index(drop=True), again.reset_index(drop=True))
