"""The fast paths that make 100,000-incident maps quick give the same answers as the slow ones."""

from __future__ import annotations

import io
import json
import random
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mapper.gazetteer
from mapper.dataset import read_dataset, validate_dataset
from mapper.errors import InputError
from mapper.render.payload import map_payload, payload_arrays, script_json
from mapper.tables import read
from mapper.tables.cells import to_float
from mapper.tables.read import _layout_by_csv, _line_offset, _one_record_per_line, read_table

HEADER = (
    "incident_id,date,place,latitude,longitude,location_precision,district,province,country,"
    "event_type,sub_event_type,status"
)


@pytest.mark.parametrize(
    "text",
    [
        "a,b\n1,2\n",
        "a,b\n1,2",  # no final newline
        "a,b\r\n1,2\r\n\r\n3,4\r\n",  # Windows line ends and a blank line
        "\n\n  \na;b\n1;2\n",  # blank lines before the header
        'a,b\n"x, y",2\n"say ""hi""",3\n',  # quoted delimiters and escaped quotes
        "a,b\n   \n1,2,3\n,\n",  # a whitespace line, a long row, a row of empties
        'a,b\nab"c"d,2\n',  # quotes inside an unquoted field
        'a,b\n"x,1",""\r\n""\n"x"\n "y,z",2\n',  # empty quoted fields, a blank one, a spaced quote
    ],
)
def test_line_by_line_layout_matches_the_csv_module(text):
    delimiter = ";" if ";" in text else ","
    fast = _fast_layout(text, delimiter)
    assert fast is not None
    assert fast == _layout_by_csv(text, delimiter, "f.csv")


def _fast_layout(text, delimiter):
    """The numpy layout pass, in the csv module's terms; checks the body offset it gives."""
    data = text.encode("utf-8")
    fast = _one_record_per_line(data, text, delimiter)
    if fast is None:
        return None
    header, header_line, starts, widths, offset = fast
    # The body starts on the line after the header, as the csv module counts lines.
    assert data[offset:].decode("utf-8") == text[_line_offset(text, header_line + 1) :]
    return header, header_line, starts.tolist(), widths.tolist()


@pytest.mark.parametrize(
    "text",
    [
        'a,b\n"two\nlines",2\n',  # a quoted field spans lines
        "a,b\r1,2\r",  # old Mac line ends: the csv module splits on them
        'a,b\n"open,2\n',  # an unclosed quote
        'a,b\nab"c,"start\nend",2\n',  # an even count that still opens a field
    ],
)
def test_line_by_line_layout_declines_when_a_record_may_span_lines(text):
    assert _fast_layout(text, ",") is None


def test_line_by_line_layout_agrees_with_the_csv_module_on_random_text():
    rng = random.Random(5)
    pieces = ["a", "b", ",", ",", '"', "\n", "\n", "\r\n", " ", "ab", '""', '"a,b"', "\r", "é"]
    # Quotes that open or close a field, doubled ones, and one inside a field.
    pieces += ['",', ',"', '"\n', '""""', 'x"y']
    used = 0
    for _ in range(10_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 24)))
        fast = _fast_layout(text, ",")
        if fast is None:
            continue
        used += 1
        try:
            slow = _layout_by_csv(text, ",", "f.csv")
        except InputError as err:  # pragma: no cover - printed if the paths ever disagree
            pytest.fail(f"{text!r}: fast path read it, the csv module says {err}")
        assert fast == slow, repr(text)
    assert used > 500  # the comparison exercised the fast path, not only the fallback


def _no_default_gazetteer(monkeypatch):
    def refuse(cls):
        raise AssertionError("the default gazetteer (GeoNames) was loaded")

    monkeypatch.setattr(mapper.gazetteer.Gazetteer, "default", classmethod(refuse))


def test_rows_with_coordinates_are_read_without_loading_geonames(tmp_path, monkeypatch):
    _no_default_gazetteer(monkeypatch)
    (tmp_path / "incidents.csv").write_text(
        HEADER + "\n"
        "i1,2026-01-31,Quetta,30.18,67.0,exact,Quetta,Balochistan,PK,Battles,Armed clash,reported\n"
        "i2,2026-02-01,Lahore,31.55,74.35,exact,Lahore,Punjab,PK,Protests,Peaceful protest,"
        "reported\n",
        encoding="utf-8",
    )
    dataset = read_dataset(tmp_path)
    assert dataset.incidents["placement"].tolist() == ["placed", "placed"]
    assert not any("GeoNames" in line for line in dataset.attribution)


def test_a_point_far_from_its_curated_district_is_still_flagged_without_geonames(
    tmp_path, monkeypatch
):
    _no_default_gazetteer(monkeypatch)
    # Inside Pakistan, so the country's extent lets it through, but ~600 km from Quetta.
    (tmp_path / "incidents.csv").write_text(
        HEADER + "\n"
        "i1,2026-01-31,Quetta,25.12,62.33,exact,Quetta,Balochistan,PK,Battles,Armed clash,"
        "reported\n",
        encoding="utf-8",
    )
    problems = validate_dataset(tmp_path)
    assert [(p.line, p.column) for p in problems] == [(2, "latitude")]
    assert problems[0].message.startswith("point (25.12, 62.33) lies")
    assert "outside the district 'Quetta'" in problems[0].message


def test_integer_arrays_are_written_as_the_json_of_their_lists():
    rng = np.random.default_rng(2)
    doc = {
        "a": {"codes": rng.integers(-1, 40, 500), "big": rng.integers(-(2**40), 2**40, 50)},
        "empty": np.array([], dtype="int64"),
        "small": np.array([3, -1, 0], dtype="int8"),
        "text": ["</script>", "\u2028"],
    }
    as_lists = {
        "a": {"codes": doc["a"]["codes"].tolist(), "big": doc["a"]["big"].tolist()},
        "empty": [],
        "small": [3, -1, 0],
        "text": doc["text"],
    }
    assert script_json(doc) == script_json(as_lists)
    assert json.loads(script_json(doc))["a"]["codes"] == as_lists["a"]["codes"]


def test_a_float_array_is_refused_rather_than_truncated():
    with pytest.raises(TypeError, match="expected an array of integers, got dtype float64"):
        script_json({"lat": np.array([30.5])})


def test_the_public_payload_has_lists_and_the_page_the_same_json(tmp_path):
    dataset = read_dataset(None)
    arrays = payload_arrays(dataset)
    public = map_payload(dataset)
    assert isinstance(public["incidents"]["lat"], list)
    assert isinstance(arrays["incidents"]["lat"], np.ndarray)
    assert script_json(arrays) == script_json(public)


FIXTURE_TABLES = sorted(
    p
    for p in (Path(__file__).parent / "fixtures").rglob("*.csv")
    # Gazetteer files have their own reader; the shared tables of tests/fixtures/tables
    # repeat headers (three 'Source' columns), which importers.reading renames first.
    if "gazetteer" not in p.parts and "tables" not in p.parts
)


@pytest.mark.parametrize("path", FIXTURE_TABLES, ids=lambda p: p.parent.name + "/" + p.name)
def test_arrow_reads_every_fixture_table_as_the_csv_parsers_do(path, monkeypatch):
    try:
        fast = read_table(path, table="t")
    except InputError as err:
        # A table only the import readers take (a repeated column name): both paths
        # refuse it with the same message.
        monkeypatch.setattr(read, "_read_csv_arrow", lambda *a, **k: None)
        with pytest.raises(InputError, match=re.escape(str(err.reason))):
            read_table(path, table="t")
        return
    monkeypatch.setattr(read, "_read_csv_arrow", lambda *a, **k: None)
    slow = read_table(path, table="t")
    pd.testing.assert_frame_equal(fast.frame, slow.frame)
    assert list(fast.lines) == list(slow.lines)
    assert fast.rejected == slow.rejected


@pytest.mark.parametrize("blank", ["\n", "\r\n"])
def test_a_plain_large_table_with_blank_lines_is_read_by_arrow_alone(tmp_path, monkeypatch, blank):
    arrow = read._read_csv_arrow
    frames = []

    def spy(*args, **kwargs):
        frames.append(arrow(*args, **kwargs))
        return frames[-1]

    def no_pandas_parser(*args, **kwargs):
        raise AssertionError("pandas' parser was used")

    monkeypatch.setattr(read, "_read_csv_arrow", spy)
    monkeypatch.setattr(pd, "read_csv", no_pandas_parser)
    rows = [f'i{i}, {i} ,"a, b",x' for i in range(3000)]
    rows[100:100] = ["", ""]  # two blank lines in the middle, lines 103 and 104
    path = tmp_path / "t.csv"
    text = "id,n,quoted,x\n\n" + "\n".join(rows) + "\n\n\n"
    path.write_bytes(text.replace("\n", blank).encode("utf-8"))
    table = read_table(path, table="t")
    assert frames and frames[-1] is not None  # Arrow read the body
    assert len(table.frame) == 3000
    assert table.frame.loc[7].tolist() == ["i7", "7", "a, b", "x"]
    assert table.lines[:2].tolist() == [3, 4]  # the blank line 2 is not a row
    assert table.lines[99:101].tolist() == [102, 105]  # nor are lines 103 and 104
    assert table.rejected == []


def test_a_line_of_spaces_is_a_blank_line_whichever_parser_reads(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("id,n\na,1\n   \nb,2\n", encoding="utf-8")
    table = read_table(path, table="t")
    assert table.frame["id"].tolist() == ["a", "b"]
    assert table.lines.tolist() == [2, 4]


def test_line_offsets_count_line_ends_as_the_csv_module_does():
    def by_stringio(text, line):
        offset = 0
        for number, chunk in enumerate(io.StringIO(text, newline=""), start=1):
            if number == line:
                return offset
            offset += len(chunk)
        return offset

    rng = random.Random(9)
    for _ in range(3000):
        text = "".join(rng.choice(["a", "\n", "\r", "\r\n", "bc"]) for _ in range(12))
        for line in range(1, 9):
            assert _line_offset(text, line) == by_stringio(text, line), (text, line)


def test_without_geometry_a_dataset_has_the_same_rows_and_draws_the_same_map(tmp_path):
    from mapper.render import build_map, save_map

    with_geo = read_dataset(None)
    plain = read_dataset(None, geometry=False)
    assert "geometry" in with_geo.incidents.columns
    assert "geometry" not in plain.incidents.columns
    pd.testing.assert_frame_equal(
        pd.DataFrame(with_geo.incidents.drop(columns="geometry")), plain.incidents
    )
    a = save_map(build_map(with_geo), tmp_path / "a.html")
    b = save_map(build_map(plain), tmp_path / "b.html")
    assert a.read_bytes() == b.read_bytes()


def test_mapper_map_builds_no_geodataframe(tmp_path):
    # The map needs only coordinates: a shapely point per incident costs ~0.1 s per 100,000.
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from mapper.cli import main\n"
        f"status = main(['map', '-o', {str(tmp_path / 'm.html')!r}])\n"
        "print(status, 'geopandas' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split()[-2:] == ["0", "False"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.from_regex(r"[+-]?\d{0,4}(\.\d{0,3})?([eE][+-]?\d{1,3})?", fullmatch=True),
            st.sampled_from(["", "nan", "NaN", "inf", "-Infinity", "1_000", "0x1f", "1,5", "٣"]),
            st.text(max_size=6),
        ),
        max_size=12,
    )
)
def test_arrow_number_parsing_agrees_with_pandas(cells):
    # Arrow reads the clean columns; a column it refuses goes to pandas: same numbers either way.
    values = pd.Series([c.strip() for c in cells], dtype=str)
    expected = pd.to_numeric(values.where(values != ""), errors="coerce").astype(float)
    np.testing.assert_array_equal(to_float(values).to_numpy(), expected.to_numpy())


_IDS = st.sampled_from(["a", " a", "a ", "b", "", "  ", "c1", "C1", None])


@settings(max_examples=200, deadline=None)
@given(keys=st.lists(_IDS, max_size=12), values=st.lists(_IDS, max_size=12))
def test_id_lookup_finds_the_first_key_with_the_same_stripped_text(keys, values):
    """Claims find their incident (or whole) by id: spaces aside, first match, never a blank."""
    from mapper.render.columns import lookup

    def clean(v):
        return v.strip() if isinstance(v, str) and v.strip() else None

    first: dict[str, int] = {}
    for i, k in enumerate(keys):
        if clean(k) is not None:
            first.setdefault(clean(k), i)
    expected = [first.get(clean(v), -1) if clean(v) is not None else -1 for v in values]
    got = lookup(pd.Series(keys, dtype=object), pd.Series(values, dtype=object))
    assert got.tolist() == expected
    assert got.dtype == np.int64
