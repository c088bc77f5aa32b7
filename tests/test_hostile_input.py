"""Every reader and command against every kind of broken file (issue 6, items 2 and 3).

One matrix: each command that reads a file (``validate`` on a dataset directory,
on an incidents CSV and on a claims CSV; ``map``; ``export``; ``resolve
--gazetteer`` with a CSV and with a GeoNames dump; ``import acled``; ``import
ucdp``; and, in a matrix of their own, ``gazetteer learn`` and ``gazetteer
import-geonames``) meets each malformation (random bytes, an empty file, a header only, the
wrong delimiter, cp1252, latin-1, a UTF-8 BOM, broken quoting, a missing column,
an extra column, a row with an extra field, NaN and infinite coordinates, swapped
latitude and longitude). Each run ends with the exit status its case calls for,
a message naming the file (and the line and column where there is one), never a
traceback and never the "internal error" exit; where rows are read, the count
line and ``--report`` account for every one of them.

The inputs are built here, from three rows per file (Quetta, Dalbandin and
Nushki, with their GeoNames coordinates), so that each case differs from the
good file by exactly one mistake.
"""

from __future__ import annotations

import csv
import io
import os
import random
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from mapper.cli import EXIT_BUG, main

REPO = Path(__file__).resolve().parents[1]

# --- the three good rows, and the names for legacy encodings ---------------------------

NAMES = ("Quetta", "Dalbandin", "Nushki")
# "ā" and "ī" do not exist in cp1252 or latin-1: these names do.
CP1252_NAMES = ("Quetta – café", "Dalbandín", "Nushkí")  # the en dash is cp1252-only
LATIN1_NAMES = ("Quetta café", "Dalbandín", "Nushkí")
POINTS = (("30.18414", "67.00141"), ("28.88846", "64.40616"), ("29.55218", "66.02288"))
ROWS = 3


@dataclass(frozen=True)
class Layout:
    """A file format: its header, how a row is written, and which columns a mistake hits."""

    header: tuple[str, ...]
    row: Callable[[int, str, str, str], list[str]]
    first: str  # the column NaN / a swap hits first (latitude; low for claims)
    second: str  # the column infinity hits (longitude; high for claims)
    required: str  # a required column, dropped for "missing column"


INCIDENTS = Layout(
    (
        "incident_id",
        "date",
        "place",
        "latitude",
        "longitude",
        "province",
        "country",
        "event_type",
        "description",
        "sources",
    ),
    lambda i, name, lat, lon: [
        f"inc-{i}-{name}",
        f"2026-01-{10 + i}",
        name,
        lat,
        lon,
        "Balochistan",
        "PK",
        "Battles",
        f"Test event {i} written for the fixture.",
        "Test wire, 1 Feb 2026",
    ],
    "latitude",
    "longitude",
    "event_type",
)
CLAIMS = Layout(
    (
        *("claim_id", "incident_id", "claimant", "claimant_side", "subject", "outcome"),
        *("low", "high", "source"),
    ),
    # Claims have no coordinates: the figures take their place (NaN, infinity,
    # and a swap that puts high below low).
    lambda i, name, lat, lon: [
        f"cl-{i}-{name}",
        "inc-0-Quetta",
        "ISPR",
        "state",
        "security forces",
        "killed",
        str(10 + i),
        str(12 + i),
        "Test source, 1 Feb 2026",
    ],
    "low",
    "high",
    "claimant",
)
GAZETTEER = Layout(
    ("name", "kind", "province", "country", "latitude", "longitude"),
    lambda i, name, lat, lon: [name, "town", "Balochistan", "PK", lat, lon],
    "latitude",
    "longitude",
    "latitude",
)
ACLED = Layout(
    (
        *("event_id_cnty", "event_date", "event_type", "location", "admin1", "country"),
        *("latitude", "longitude", "fatalities", "notes"),
    ),
    lambda i, name, lat, lon: [
        f"PAK9{i}",
        f"2024-03-0{i + 1}",
        "Battles",
        name,
        "Balochistan",
        "Pakistan",
        lat,
        lon,
        "3",
        f"Fictional test event {i}.",
    ],
    "latitude",
    "longitude",
    "event_date",
)
UCDP = Layout(
    (
        *("id", "date_start", "where_coordinates", "adm_1", "country", "latitude", "longitude"),
        *("best", "type_of_violence"),
    ),
    lambda i, name, lat, lon: [
        f"91000{i}",
        f"2024-03-0{i + 1}",
        name,
        "Balochistan province",
        "Pakistan",
        lat,
        lon,
        "2",
        "1",
    ],
    "latitude",
    "longitude",
    "date_start",
)

KINDS = (
    "random_bytes",
    "random_text_bytes",
    "empty",
    "header_only",
    "wrong_delimiter",
    "cp1252",
    "latin1",
    "bom",
    "broken_quoting",
    "missing_column",
    "extra_column",
    "extra_field",
    "nan",
    "inf",
    "swapped",
)
ENCODED = {"cp1252": CP1252_NAMES, "latin1": LATIN1_NAMES, "bom": CP1252_NAMES}


def _rows(layout: Layout, names: tuple[str, ...] = NAMES) -> list[list[str]]:
    return [layout.row(i, names[i], *POINTS[i]) for i in range(ROWS)]


def _csv(header: list[str], rows: list[list[str]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _noise(kind: str) -> bytes | None:
    if kind == "random_bytes":
        return random.Random(6).randbytes(3000)
    if kind == "random_text_bytes":  # no NUL byte: only the decoded text betrays it
        rng = random.Random(7)
        return bytes(rng.randrange(1, 256) for _ in range(3000))
    if kind == "empty":
        return b""
    return None


def malformed_csv(layout: Layout, kind: str) -> bytes:
    """Return the three-row file of ``layout`` with the mistake ``kind`` (line 3 is row two)."""
    noise = _noise(kind)
    if noise is not None:
        return noise
    header, rows = list(layout.header), _rows(layout)
    if kind == "header_only":
        return _csv(header, []).encode()
    if kind == "wrong_delimiter":
        return _csv(header, rows, delimiter="|").encode()
    if kind in ("cp1252", "latin1"):
        return _csv(header, _rows(layout, ENCODED[kind])).encode(kind)
    if kind == "bom":
        return b"\xef\xbb\xbf" + _csv(header, _rows(layout, ENCODED[kind])).encode()
    if kind == "broken_quoting":
        text = _csv(header, rows).split("\n")
        text[2] = text[2].replace(",", ',"', 1)  # a quote opened on line 3, never closed
        return "\n".join(text).encode()
    if kind == "missing_column":
        k = header.index(layout.required)
        return _csv(header[:k] + header[k + 1 :], [r[:k] + r[k + 1 :] for r in rows]).encode()
    if kind == "extra_column":
        return _csv([*header, "remarks"], [[*r, "kept"] for r in rows]).encode()
    if kind == "extra_field":
        rows[1].append("stray")
        return _csv(header, rows).encode()
    a, b = header.index(layout.first), header.index(layout.second)
    if kind == "nan":
        rows[1][a] = "NaN"
    elif kind == "inf":
        rows[1][b] = "inf"
    elif kind == "swapped":
        rows[1][a], rows[1][b] = rows[1][b], rows[1][a]
    else:
        raise KeyError(kind)
    return _csv(header, rows).encode()


def _dump_line(i: int, name: str, lat: str, lon: str, *, width: int = 19, sep: str = "\t") -> str:
    fields = [f"95000{i}", name, name, "", lat, lon, "P", "PPL", "PK", "", "02", "", "", ""]
    fields += ["1000", "", "900", "Asia/Karachi", "2024-01-01", "extra"]
    return sep.join(fields[:width])


def malformed_dump(kind: str) -> bytes:
    """Return a three-record GeoNames dump (no header: line 2 is record two) with ``kind``."""
    noise = _noise(kind)
    if noise is not None:
        return noise
    lines = [_dump_line(i, NAMES[i], *POINTS[i]) for i in range(ROWS)]
    if kind == "header_only":
        lines = ["# geonameid\tname\tasciiname\talternatenames\tlatitude\tlongitude"]
    elif kind == "wrong_delimiter":
        lines = [_dump_line(i, NAMES[i], *POINTS[i], sep=",") for i in range(ROWS)]
    elif kind in ENCODED:
        lines = [_dump_line(i, ENCODED[kind][i], *POINTS[i]) for i in range(ROWS)]
    elif kind == "broken_quoting":  # dumps have no quoting: the quote is part of the name
        lines[1] = _dump_line(1, '"Dalbandin', *POINTS[1])
    elif kind in ("missing_column", "extra_column"):
        width = 18 if kind == "missing_column" else 20
        lines = [_dump_line(i, NAMES[i], *POINTS[i], width=width) for i in range(ROWS)]
    elif kind == "extra_field":
        lines[1] = _dump_line(1, NAMES[1], *POINTS[1], width=20)
    elif kind == "nan":
        lines[1] = _dump_line(1, NAMES[1], "NaN", POINTS[1][1])
    elif kind == "inf":
        lines[1] = _dump_line(1, NAMES[1], POINTS[1][0], "inf")
    elif kind == "swapped":
        lines[1] = _dump_line(1, NAMES[1], POINTS[1][1], POINTS[1][0])
    text = "\n".join(lines) + "\n"
    if kind in ("cp1252", "latin1"):
        return text.encode(kind)
    return (b"\xef\xbb\xbf" if kind == "bom" else b"") + text.encode()


# --- the commands ---------------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    """How one command meets a malformed file."""

    write: Callable[[Path, str], Path]  # (tmp, kind) -> the malformed file
    argv: Callable[[Path, Path], list[str]]  # (tmp, malformed file) -> arguments
    rows_in_report: int | None  # input rows the report accounts for (None: no report)


def _dataset_dir(tmp: Path, kind: str) -> Path:
    d = tmp / "ds"
    d.mkdir()
    f = d / "incidents.csv"
    f.write_bytes(malformed_csv(INCIDENTS, kind))
    return f


def _claims_dir(tmp: Path, kind: str) -> Path:
    d = tmp / "ds"
    d.mkdir()
    (d / "incidents.csv").write_bytes(_csv(list(INCIDENTS.header), _rows(INCIDENTS)).encode())
    f = d / "claims.csv"
    f.write_bytes(malformed_csv(CLAIMS, kind))
    return f


def _file(name: str, make: Callable[[str], bytes]) -> Callable[[Path, str], Path]:
    def write(tmp: Path, kind: str) -> Path:
        f = tmp / name
        f.write_bytes(make(kind))
        return f

    return write


def _report(tmp: Path) -> list[str]:
    return ["--report", str(tmp / "report.csv")]


COMMANDS = {
    "validate-dir": Command(
        _dataset_dir, lambda t, f: ["validate", str(f.parent), *_report(t)], ROWS
    ),
    "validate-file": Command(
        _file("incidents.csv", lambda k: malformed_csv(INCIDENTS, k)),
        lambda t, f: ["validate", str(f), *_report(t)],
        ROWS,
    ),
    "validate-claims": Command(
        _claims_dir, lambda t, f: ["validate", str(f.parent), *_report(t)], 2 * ROWS
    ),
    "map": Command(
        _dataset_dir,
        lambda t, f: (
            ["map", str(f.parent), "-o", str(t / "map.html"), "--tiles", "none", *_report(t)]
        ),
        ROWS,
    ),
    "export": Command(
        _dataset_dir,
        lambda t, f: ["export", str(f.parent), "-o", str(t / "out.csv"), *_report(t)],
        ROWS,
    ),
    "resolve-csv": Command(
        _file("places.csv", lambda k: malformed_csv(GAZETTEER, k)),
        lambda t, f: (
            ["resolve", "--gazetteer", str(f), "-f", "csv", "-o", str(t / "out.csv"), NAMES[1]]
        ),
        None,
    ),
    "resolve-dump": Command(
        _file("PK.txt", malformed_dump),
        lambda t, f: (
            ["resolve", "--gazetteer", str(f), "-f", "csv", "-o", str(t / "out.csv"), NAMES[1]]
        ),
        None,
    ),
    "import-acled": Command(
        _file("acled.csv", lambda k: malformed_csv(ACLED, k)),
        lambda t, f: ["import", "acled", str(f), "-o", str(t / "imported"), *_report(t)],
        ROWS,
    ),
    "import-ucdp": Command(
        _file("ged.csv", lambda k: malformed_csv(UCDP, k)),
        lambda t, f: ["import", "ucdp", str(f), "-o", str(t / "imported"), *_report(t)],
        ROWS,
    ),
}
VALIDATE = ("validate-dir", "validate-file", "validate-claims")
DRAW = ("map", "export")
RESOLVE = ("resolve-csv", "resolve-dump")
IMPORT = ("import-acled", "import-ucdp")


# --- what each case must end with -------------------------------------------------------

# (exit status, regex the output must match). "{f}" stands for the malformed file's
# path and "{d}" for its directory, both escaped; the first line that names them is
# the one clear line.
Expect = tuple[int, str]


def expected(command: str, kind: str) -> Expect:
    """The outcome the issue asks for, case by case."""
    fatal_binary = (2, r"{f}: looks like a binary file, expected text")
    if kind in ("random_bytes", "random_text_bytes"):
        return fatal_binary
    if kind == "empty":
        if command in RESOLVE:
            return 2, r"{f}: no places: expected a gazetteer CSV .* or a GeoNames dump"
        return 2, r"{f}: empty file, expected a header line naming"
    if kind == "header_only":
        if command in ("validate-dir", "validate-file"):
            return 1, r"{f}:1: no incidents: the file has a header but no rows"
        if command == "validate-claims":
            return 0, r"^valid$"  # no claims at all is a valid claims table
        if command in DRAW:
            return 1, rf"nothing to {command}: no incident rows in {{d}}"
        if command == "resolve-csv":
            return 2, r"{f}:1: no places: the file has a header but no rows"
        if command == "resolve-dump":
            return 2, r"{f}: no places: expected a gazetteer CSV"
        return 2, r"{f}: no rows: the file has a header but no events"
    if kind == "wrong_delimiter":
        if command in VALIDATE:
            return 1, r"{f}:1: missing required columns? .*; found columns '[^,]*\|.*; fields must"
        if command == "resolve-csv":
            return 2, r"{f}:1: expected columns name, latitude, longitude; missing"
        if command == "resolve-dump":
            return 2, r"{f}:1: expected columns .* a GeoNames dump instead needs 19 tab-separated"
        return 2, r"{f}:1: missing required columns? .*fields must be separated by commas"
    if kind in ENCODED or kind == "extra_column":
        if command == "resolve-dump" and kind == "extra_column":
            return 2, r"{f}:1: expected 19 tab-separated GeoNames columns, got 20"
        return 0, ""
    if kind == "broken_quoting":
        if command == "resolve-dump":
            return 0, ""  # no quoting in a dump: the quote is read as part of the name
        if command == "resolve-csv":
            return 2, r"{f}:3: broken CSV quoting: a quoted field runs on to line 4"
        return 2, r"{f}:3: broken CSV quoting .*check for an unclosed '\"'"
    if kind == "missing_column":
        if command in VALIDATE:
            return 1, r"{f}:1: missing required column (event_type|claimant)\b"
        if command == "resolve-csv":
            return 2, r"{f}:1: expected columns name, latitude, longitude; missing latitude"
        if command == "resolve-dump":
            return 2, r"{f}:1: expected 19 tab-separated GeoNames columns, got 18"
        return 2, r"{f}:1: missing required column (event_type|event_date|date_start) for"
    if kind == "extra_field":
        if command in VALIDATE:
            return 1, r"^{f}:3: expected \d+ fields as in the header, found \d+$"
        if command == "resolve-csv":
            return 2, r"{f}:3: expected 6 fields like the header, got 7"
        if command == "resolve-dump":
            return 2, r"{f}:2: expected 19 tab-separated GeoNames columns, got 20"
        # The row is rejected and listed; the rest is still written, and exit 1 says so.
        return 1, r"^rejected: {f}:3: expected \d+ fields as in the header, found \d+$"
    # Bad numbers on row two: NaN, infinity, or a swap.
    if command == "validate-claims":
        return 1, {
            "nan": r"^{f}:3: column 'low': 'NaN': not a number",
            "inf": r"^{f}:3: column 'high': 'inf': not a whole number",
            "swapped": r"^{f}:3: column 'high': '11': smaller than low \(13\); expected high",
        }[kind]
    column = "longitude" if kind == "inf" else "latitude"
    why = {
        "nan": "not a finite number",
        "inf": "not a finite number",
        "swapped": r"point \(64.4062, 28.8885\) lies outside PK .*; latitude and longitude look "
        "swapped",
    }[kind]
    if command in ("validate-dir", "validate-file"):
        return 1, rf"^{{f}}:3: column '{column}': '[^']+': {why}"
    if command in DRAW:
        return 1, rf"^rejected: {{f}}:3: column '{column}': '[^']+': {why}"
    if command in RESOLVE:
        line = 2 if command == "resolve-dump" else 3
        if kind != "swapped":
            why = r"expected a value between -\d+ and \d+, got (NaN|inf)"
        return 2, rf"{{f}}:{line}: column '{column}': {why}"
    # Importers keep the row and look its place name up instead.
    if kind == "swapped":
        return 0, rf"^note: {{f}}:3: unusable coordinates: {why}"
    return 0, r"^note: {f}:3: unusable coordinates \((NaN, 64.40616|28.88846, inf)\)"


CASES = [(c, k) for c in COMMANDS for k in KINDS]


def run_cli(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def _pattern(regex: str, f: Path) -> str:
    return regex.replace("{f}", re.escape(str(f))).replace("{d}", re.escape(str(f.parent)))


@pytest.mark.parametrize(("command", "kind"), CASES, ids=[f"{c}-{k}" for c, k in CASES])
def test_every_reader_meets_every_malformed_file_with_a_clear_outcome(
    tmp_path, capsys, command, kind
):
    spec = COMMANDS[command]
    f = spec.write(tmp_path, kind)
    code, out, err = run_cli(capsys, spec.argv(tmp_path, f))
    status, regex = expected(command, kind)
    both = out + err
    assert "Traceback" not in both and "internal error" not in both
    assert code != EXIT_BUG
    assert code == status, both
    if regex:
        assert re.search(_pattern(regex, f), both, flags=re.MULTILINE), both
    if status == 2:
        # One clear line: the error is a single line that names the file.
        errors = [ln for ln in err.splitlines() if ln.startswith("mapper: error:")]
        assert len(errors) == 1 and str(f) in errors[0], err
        assert len(err.strip().splitlines()) == 1, err


def _count_total(err: str) -> int:
    m = re.search(r"^(\d+) rows: (\d+) placed, (\d+) kept but unplaced, (\d+) rejected$", err, re.M)
    assert m, err
    total, placed, unplaced, rejected = map(int, m.groups())
    assert total == placed + unplaced + rejected
    return total


ROW_KINDS = [k for k in KINDS if k not in ("random_bytes", "random_text_bytes", "empty")]
ACCOUNTED = [
    (c, k)
    for c in COMMANDS
    if COMMANDS[c].rows_in_report is not None
    for k in ROW_KINDS
    if expected(c, k)[0] in (0, 1)
    # A header without the required columns is one problem; no row is read.
    and not (c in VALIDATE and k in ("wrong_delimiter", "missing_column"))
]


@pytest.mark.parametrize(("command", "kind"), ACCOUNTED, ids=[f"{c}-{k}" for c, k in ACCOUNTED])
def test_every_row_read_is_accounted_for_in_the_count_line_and_the_report(
    tmp_path, capsys, command, kind
):
    spec = COMMANDS[command]
    f = spec.write(tmp_path, kind)
    _, _, err = run_cli(capsys, spec.argv(tmp_path, f))
    rows = 0 if kind == "header_only" else spec.rows_in_report
    if kind == "header_only" and command == "validate-claims":
        rows = ROWS  # the incidents file's rows; the claims file has none
    assert _count_total(err) == rows
    with open(tmp_path / "report.csv", encoding="utf-8", newline="") as fh:
        report = list(csv.DictReader(fh))
    assert len(report) == rows
    lines = sorted(int(r["line"]) for r in report if r["file"] == str(f))
    own_rows = rows - (ROWS if command == "validate-claims" else 0)
    assert lines == list(range(2, 2 + own_rows))
    states = {r["status"] for r in report}
    assert states <= {"placed", "unplaced", "rejected"}
    if kind in ("extra_field", "nan", "inf", "swapped"):
        row_two = next(r for r in report if r["file"] == str(f) and r["line"] == "3")
        # Importers keep a row whose coordinates are unusable and look its place up.
        kept = command in IMPORT and kind != "extra_field"
        assert row_two["status"] == ("unplaced" if kept else "rejected")
        assert row_two["reason"]


# --- legacy encodings are read, and names come out as written ----------------------------


def _written_names(command: str, tmp: Path, out: str) -> list[str]:
    """The place names (or ids made of them) a command wrote, read back as UTF-8."""
    if command in VALIDATE:
        with open(tmp / "report.csv", encoding="utf-8") as fh:
            return [r["record_id"].split("-", 2)[2] for r in csv.DictReader(fh)][-ROWS:]
    if command == "export":
        with open(tmp / "out.csv", encoding="utf-8") as fh:
            return [r["place"] for r in csv.DictReader(fh)]
    if command in IMPORT:
        with open(tmp / "imported" / "incidents.csv", encoding="utf-8") as fh:
            return [r["place"] for r in csv.DictReader(fh)]
    if command in RESOLVE:
        with open(tmp / "out.csv", encoding="utf-8") as fh:
            return [r["matched_name"] for r in csv.DictReader(fh)]
    raise KeyError(command)


ENCODING_CASES = [(c, k) for c in COMMANDS for k in ENCODED]


@pytest.mark.parametrize(
    ("command", "kind"), ENCODING_CASES, ids=[f"{c}-{k}" for c, k in ENCODING_CASES]
)
def test_legacy_encodings_and_a_bom_are_read_and_names_round_trip(tmp_path, capsys, command, kind):
    spec = COMMANDS[command]
    f = spec.write(tmp_path, kind)
    argv = spec.argv(tmp_path, f)
    if command in RESOLVE:
        argv[-1] = ENCODED[kind][1]  # look the accented spelling up
    code, out, _ = run_cli(capsys, argv)
    assert code == 0
    names = ENCODED[kind]
    if command == "map":
        html = (tmp_path / "map.html").read_text(encoding="utf-8")
        for name in names:
            escaped = name.encode("ascii", "backslashreplace").decode().replace("\\x", "\\u00")
            assert name in html or escaped in html, name
        return
    written = _written_names(command, tmp_path, out)
    if command in RESOLVE:
        assert written == [names[1]]  # the user's own spelling, from the user's file
        with open(tmp_path / "out.csv", encoding="utf-8") as fh:
            assert next(csv.DictReader(fh))["source"] == f.name
    else:
        assert written == list(names)
    assert not any("\ufffd" in w or "Ã" in w for w in written)  # no mojibake


# --- a few as real processes: exit status and stderr as a user sees them ----------------

PROCESS_CASES = [
    ("map", "random_bytes"),
    ("import-acled", "broken_quoting"),
    ("resolve-dump", "swapped"),
    ("validate-dir", "nan"),
    ("export", "cp1252"),
]


@pytest.mark.parametrize(("command", "kind"), PROCESS_CASES)
def test_real_processes_end_with_the_same_status_and_no_traceback(tmp_path, command, kind):
    spec = COMMANDS[command]
    f = spec.write(tmp_path, kind)
    proc = subprocess.run(
        [sys.executable, "-m", "mapper.cli", *spec.argv(tmp_path, f)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=120,
    )
    status, regex = expected(command, kind)
    assert proc.returncode == status, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    if regex:
        assert re.search(_pattern(regex, f), proc.stdout + proc.stderr, flags=re.MULTILINE)


def test_a_bug_is_reported_as_one_without_a_traceback_unless_debug(tmp_path, capsys, monkeypatch):
    spec = COMMANDS["validate-dir"]
    f = spec.write(tmp_path, "cp1252")

    def broken(*args, **kwargs):
        raise KeyError("boom")

    monkeypatch.setattr("mapper.dataset.check_dataset", broken)
    code, _, err = run_cli(capsys, spec.argv(tmp_path, f))
    assert code == EXIT_BUG
    assert re.search(r"internal error \(KeyError at .*\): 'boom'\nThis is a bug in mapper", err)
    assert "report it at https://" in err and "Traceback" not in err
    code, _, err = run_cli(capsys, ["--debug", *spec.argv(tmp_path, f)])
    assert code == EXIT_BUG and "Traceback (most recent call last)" in err


# --- the gazetteer builders meet the same files -------------------------------------------

# (exit status, the line that must be printed) for each kind of file; "{f}" is the file.
BUILDERS: dict[str, tuple[Callable[[Path, str], Path], Callable[[Path, Path], list[str]]]] = {
    "learn": (
        _file("acled.csv", lambda k: malformed_csv(ACLED, k)),
        lambda t, f: [
            "gazetteer",
            "learn",
            str(f),
            "--name-column",
            "location",
            "--lat-column",
            "latitude",
            "--lon-column",
            "longitude",
            "-o",
            str(t / "out.csv"),
            *_report(t),
        ],
    ),
    "import-geonames": (
        _file("PK.txt", malformed_dump),
        lambda t, f: [
            "gazetteer",
            "import-geonames",
            str(f),
            "-o",
            str(t / "out.csv"),
            *_report(t),
        ],
    ),
}
_LEARNED_ALL = (0, r"^3 rows: 3 learned, 0 set aside, 0 rejected")
_LEARN_REJECTS_ROW_TWO = r"^rejected: {f}:3: "
_IMPORTED_ALL = (0, r"^PK.txt: 3 records: 3 kept, 0 skipped, 0 rejected$")
BUILDER_EXPECTED: dict[tuple[str, str], tuple[int, str]] = {
    **{
        (b, k): (2, r"{f}: looks like a binary file")
        for b in BUILDERS
        for k in ("random_bytes", "random_text_bytes")
    },
    ("learn", "empty"): (2, r"{f}: empty file, expected a header line"),
    ("learn", "header_only"): (2, r"nothing learned: no usable row in {f}"),
    ("learn", "wrong_delimiter"): (2, r"{f}:1: expected a column 'location' \(--name-column\)"),
    ("learn", "broken_quoting"): (2, r"{f}:3: broken CSV quoting"),
    ("learn", "extra_field"): (1, _LEARN_REJECTS_ROW_TWO + r"expected 10 fields"),
    ("learn", "nan"): (1, _LEARN_REJECTS_ROW_TWO + r"column 'latitude': .*got 'NaN'"),
    ("learn", "inf"): (1, _LEARN_REJECTS_ROW_TWO + r"column 'longitude': .*got 'inf'"),
    ("learn", "swapped"): (1, _LEARN_REJECTS_ROW_TWO + r"column 'latitude': .*look swapped"),
    **{("learn", k): _LEARNED_ALL for k in (*ENCODED, "missing_column", "extra_column")},
    ("import-geonames", "empty"): (2, r"{f}: no places: expected GeoNames records"),
    ("import-geonames", "header_only"): (2, r"{f}: no places: expected GeoNames records"),
    ("import-geonames", "wrong_delimiter"): (2, r"{f}:1: expected a GeoNames dump: 19 tab-sep"),
    # A dump is UTF-8 by definition: another encoding is refused, saying so.
    **{
        ("import-geonames", k): (2, r"{f}:1: no places kept: .*expected UTF-8 text")
        for k in ("cp1252", "latin1")
    },
    ("import-geonames", "bom"): _IMPORTED_ALL,
    ("import-geonames", "broken_quoting"): _IMPORTED_ALL,  # no quoting in a dump
    ("import-geonames", "missing_column"): (2, r"{f}:1: .*19 tab-separated columns, got 18"),
    ("import-geonames", "extra_column"): (2, r"{f}:1: .*19 tab-separated columns, got 20"),
    ("import-geonames", "extra_field"): (1, r"^rejected: {f}:2: expected 19 tab-separated"),
    ("import-geonames", "nan"): (1, r"^rejected: {f}:2: column 'latitude': .*got NaN"),
    ("import-geonames", "inf"): (1, r"^rejected: {f}:2: column 'longitude': .*got inf"),
    ("import-geonames", "swapped"): (1, r"^rejected: {f}:2: column 'latitude': .*look swapped"),
}
BUILDER_CASES = [(b, k) for b in BUILDERS for k in KINDS]


@pytest.mark.parametrize(
    ("builder", "kind"), BUILDER_CASES, ids=[f"{b}-{k}" for b, k in BUILDER_CASES]
)
def test_gazetteer_builders_meet_every_malformed_file_with_a_clear_outcome(
    tmp_path, capsys, builder, kind
):
    write, argv = BUILDERS[builder]
    f = write(tmp_path, kind)
    code, out, err = run_cli(capsys, argv(tmp_path, f))
    status, regex = BUILDER_EXPECTED[builder, kind]
    both = out + err
    assert "Traceback" not in both and "internal error" not in both
    assert code == status, both
    assert re.search(_pattern(regex, f), both, flags=re.MULTILINE), both
    errors = [ln for ln in err.splitlines() if ln.startswith("mapper: error:")]
    if status == 2:
        assert len(errors) == 1 and str(f) in errors[0], err
        assert not (tmp_path / "out.csv").exists()  # nothing half-made is left behind
    else:
        assert not errors and (tmp_path / "out.csv").exists()  # what was usable is written
