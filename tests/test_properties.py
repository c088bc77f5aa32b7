"""Property-based tests (hypothesis): readers never fail unclearly and lose no row;
the claims arithmetic holds for any set of claims."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mapper.claims import claim_ranges
from mapper.dataset import read_dataset
from mapper.errors import InputError
from mapper.gazetteer import Gazetteer, read_gazetteer_csv
from mapper.gazetteer.sources.geonames_dump import read_geonames_dump
from mapper.importers.acled import import_acled
from mapper.importers.ucdp import import_ucdp
from mapper.schema import EVENT_TYPES, ROW_STATES

FIX = Path(__file__).parent / "fixtures" / "datasets"
# How many examples, and whether they are derandomized, comes from the profile
# (tests/conftest.py: "ci" when CI=true, else "dev").
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Control characters no text table holds (mapper.files refuses a file full of them).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")

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
    content = _csv(header, rows)
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "incidents.csv"
        f.write_text(content, encoding="utf-8")
        if _looks_binary(content):
            # The one refusal of a whole table with a good header, named and located.
            with pytest.raises(InputError, match="looks like a binary file") as caught:
                read_dataset(f, gazetteer=_gazetteer())
            assert str(caught.value).startswith(f"{f}: ")
            return
        ds = read_dataset(f, gazetteer=_gazetteer())
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


# Place names as people write them: any letters, marks, digits, spaces and punctuation,
# never a line break or a control character (a name is one line), nor "|" (the alias
# separator). A name is what remains once the spaces around it are stripped.
name_text = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="|"),
    min_size=1,
    max_size=20,
).filter(lambda t: t.strip() != "" and not t.strip().startswith("#"))
latitude = st.floats(-90, 90, allow_nan=False)
longitude = st.floats(-180, 180, allow_nan=False)
place = st.tuples(name_text, st.lists(name_text, max_size=3), latitude, longitude)
# One bad cell: (column, value, the start of the message that must name it).
bad_cell = st.one_of(
    st.tuples(st.just("latitude"), st.sampled_from(["", "north", "30°", "1e999"]), st.just("")),
    st.tuples(
        st.just("latitude"),
        st.one_of(st.floats(min_value=90.001, max_value=1e9), st.floats(max_value=-90.001)).map(
            repr
        ),
        st.just("expected a value between -90 and 90"),
    ),
    st.tuples(
        st.just("longitude"),
        st.floats(min_value=180.001, max_value=1e9).map(repr),
        st.just("expected a value between -180 and 180"),
    ),
    st.tuples(st.just("name"), st.sampled_from(["", "   "]), st.just("expected a place name")),
)


@SETTINGS
@given(
    places=st.lists(place, min_size=1, max_size=6),
    bad=st.one_of(st.none(), st.tuples(st.integers(0, 5), bad_cell)),
)
def test_a_gazetteer_csv_is_read_as_written_or_refused_at_its_first_bad_cell(places, bad):
    rows = [[n, "|".join(a), repr(lat), repr(lon)] for n, a, lat, lon in places]
    if bad is not None:
        at, (column, value, message) = bad
        at %= len(rows)
        rows[at][["name", "aliases", "latitude", "longitude"].index(column)] = value
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "places.csv"
        f.write_text(_csv(["name", "aliases", "latitude", "longitude"], rows), encoding="utf-8")
        if bad is not None:
            with pytest.raises(InputError) as caught:
                read_gazetteer_csv(f)
            err = caught.value
            assert (err.path, err.line, err.column) == (str(f), at + 2, column)
            assert err.reason.startswith(message)
            return
        read = read_gazetteer_csv(f)
    assert [r.name for r in read] == [n.strip() for n, _, _, _ in places]
    assert [r.aliases for r in read] == [tuple(x.strip() for x in a) for _, a, _, _ in places]
    assert [(r.latitude, r.longitude) for r in read] == [(lat, lon) for _, _, lat, lon in places]
    assert {r.source for r in read} == {"places.csv"}


# GeoNames records: geonameid, name, asciiname, alternate names, coordinates, a
# populated place in no country (so no country box applies), a population.
dump_name = name_text.map(lambda t: t.replace("\t", " ").replace(",", " ")).filter(
    lambda t: t.strip() != ""
)
record = st.tuples(st.integers(1, 10**9), dump_name, latitude, longitude, st.integers(0, 10**7))


def _dump_line(gid: object, name: str, lat: str, lon: str, pop: object) -> str:
    fields = [str(gid), name, name, "", lat, lon, "P", "PPL", "", "", "", "", "", "", str(pop),
              "", "0", "UTC", "2024-01-01"]  # fmt: skip
    return "\t".join(fields)


@SETTINGS
@given(
    records=st.lists(record, min_size=1, max_size=5),
    bad=st.one_of(
        st.none(),
        st.tuples(
            st.integers(0, 4),
            st.sampled_from(
                [
                    ("geonameid", "x1", "expected an integer"),
                    ("latitude", "91", "expected a value between -90 and 90"),
                    ("longitude", "east", "expected a number in degrees"),
                    ("population", "many", "expected an integer"),
                    (None, "short", "expected 19 tab-separated GeoNames columns"),
                ]
            ),
        ),
    ),
)
def test_a_geonames_dump_is_read_as_written_or_refused_at_its_first_bad_field(records, bad):
    lines = [_dump_line(g, n, repr(la), repr(lo), p) for g, n, la, lo, p in records]
    if bad is not None:
        at, (column, value, message) = bad
        at %= len(lines)
        g, n, la, lo, p = records[at]
        lines[at] = {
            "geonameid": lambda: _dump_line(value, n, repr(la), repr(lo), p),
            "latitude": lambda: _dump_line(g, n, value, repr(lo), p),
            "longitude": lambda: _dump_line(g, n, repr(la), value, p),
            "population": lambda: _dump_line(g, n, repr(la), repr(lo), value),
            None: lambda: "\t".join([str(g), n, value]),
        }[column]()
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "PK.txt"
        f.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        if bad is not None:
            with pytest.raises(InputError) as caught:
                read_geonames_dump(f)
            err = caught.value
            assert (err.path, err.line, err.column) == (str(f), at + 1, column)
            assert err.reason.startswith(message)
            return
        read = read_geonames_dump(f)
    assert [(r.geonameid, r.name) for r in read] == [(g, n.strip()) for g, n, *_ in records]
    assert [(r.latitude, r.longitude) for r in read] == [(la, lo) for _, _, la, lo, _ in records]
    assert [r.population for r in read] == [p for *_, p in records]
    assert {(r.kind, r.country) for r in read} == {("town", None)}


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


def _looks_binary(content: str) -> bool:
    """Whether mapper.files refuses ``content`` as binary: a NUL, or control characters galore."""
    return "\x00" in content or len(_CONTROL.findall(content)) > max(8, len(content) // 100)


def _check_import(importer, header, rows):
    content = _csv(header, rows)
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "export.csv"
        f.write_text(content, encoding="utf-8")
        # The one refusal of a whole export with a good header: it reads as binary.
        if _looks_binary(content):
            with pytest.raises(InputError, match="looks like a binary file") as caught:
                importer(f)
            assert caught.value.path == str(f)
            return
        result = importer(f)
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


valid_acled = st.tuples(
    st.dates(min_value=dt.date(1997, 1, 1), max_value=dt.date(2026, 12, 31)),
    st.sampled_from(EVENT_TYPES),
    st.floats(24.0, 36.0),  # inside Pakistan's box
    st.floats(61.0, 75.0),
    st.sampled_from(["1", "2", "3"]),
    st.integers(0, 500),
)


@SETTINGS
@given(rows=st.lists(valid_acled, min_size=1, max_size=6))
def test_valid_acled_rows_are_imported_as_written(rows):
    header = ["event_id_cnty", "event_date", "event_type", "location", "latitude", "longitude",
              "geo_precision", "fatalities"]  # fmt: skip
    table = [
        [f"PAK{i}", d.isoformat(), t, f"Place {i}", repr(la), repr(lo), p, str(k)]
        for i, (d, t, la, lo, p, k) in enumerate(rows)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "export.csv"
        f.write_text(_csv(header, table), encoding="utf-8")
        result = import_acled(f)
    inc = result.incidents
    assert list(result.report["status"]) == ["placed"] * len(rows)
    assert list(inc["incident_id"]) == [r[0] for r in table]
    assert list(inc["date"].astype(str)) == [d.isoformat() for d, *_ in rows]
    assert list(inc["event_type"]) == [t for _, t, *_ in rows]
    assert list(inc["place"]) == [r[3] for r in table]
    assert [float(v) for v in inc["latitude"]] == [la for _, _, la, *_ in rows]
    assert [float(v) for v in inc["longitude"]] == [lo for *_, lo, _, _ in rows]
    # The dataset's fatality count, one claim per event, as the dataset's own figure.
    claims = result.claims.set_index("incident_id")
    assert [int(claims.loc[r[0], "low"]) for r in table] == [k for *_, k in rows]
    assert set(claims["claimant"]) == {"ACLED"} and set(claims["outcome"]) == {"killed"}
