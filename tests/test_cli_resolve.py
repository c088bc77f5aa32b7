from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mapper import cli
from mapper.gazetteer import RESULT_COLUMNS

FIXTURES = Path(__file__).parent / "fixtures" / "gazetteer"


@pytest.fixture
def table_csv(tmp_path: Path) -> Path:
    path = tmp_path / "incidents.csv"
    path.write_text(
        "id,place,prov,latitude\n"
        "1,Noshki,Balochistan,x\n"
        "2,Hyderabad,Sindh,\n"
        "3,,,\n"
        "4,Mastng,,\n"
        "5,Xyzzyville,,\n"
        "6,NA,,\n",
        encoding="utf-8",
    )
    return path


def test_names_print_a_table_with_coordinates_and_credit(capsys):
    assert cli.main(["resolve", "Quetta", "near Turbat", "Xyzzyville"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["query", "match", "lat", "lon"]
    assert "30.18414" in lines[1] and "67.00141" in lines[1]
    assert "near" in lines[2].split()
    assert "unresolved; did you mean:" in lines[3]
    assert "3 names: 2 exact, 0 by alias, 0 by fuzzy match, 1 unresolved" in err
    assert "GeoNames" in err and "CC BY 4.0" in err


def test_names_as_json(capsys):
    assert cli.main(["resolve", "Gwader", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data[0]["matched_name"] == "Gwadar" and data[0]["match_type"] == "fuzzy"
    assert list(data[0]) == list(RESULT_COLUMNS)


def test_names_with_a_country_hint(capsys):
    assert cli.main(["resolve", "Hyderabad", "--country", "PK", "-f", "csv"]) == 0
    row = next(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert (row["country"], row["province"], row["ambiguous"]) == ("PK", "Sindh", "False")


def test_input_file_keeps_every_row_and_adds_the_result_columns(table_csv, tmp_path, capsys):
    out_path = tmp_path / "out.csv"
    code = cli.main(
        ["resolve", "--input", str(table_csv), "--column", "place", "--province-column", "prov",
         "-o", str(out_path)]
    )  # fmt: skip
    assert code == 0
    rows = list(csv.DictReader(out_path.open(encoding="utf-8")))
    assert [r["id"] for r in rows] == ["1", "2", "3", "4", "5", "6"]
    assert rows[0]["matched_name"] == "Nushki" and rows[0]["latitude"] == "29.55218"
    assert rows[1]["country"] == "PK"  # the province column settled Hyderabad
    assert rows[0]["latitude_input"] == "x"  # a clashing input column is kept, renamed
    assert rows[3]["match_type"] == "fuzzy"
    assert rows[4]["matched_name"] == "" and rows[4]["suggestions"]
    err = capsys.readouterr().err
    assert rows[5]["query"] == "NA"  # read as text, not as a missing value
    assert "6 names: 1 exact, 1 by alias, 1 by fuzzy match, 3 unresolved" in err
    assert f"wrote {out_path}" in err


def test_input_file_to_json_by_suffix(table_csv, tmp_path):
    out_path = tmp_path / "out.json"
    assert cli.main(["resolve", "-i", str(table_csv), "-c", "place", "-o", str(out_path)]) == 0
    data = json.loads(out_path.read_text(encoding="utf-8"))
    assert len(data) == 6 and data[2]["matched_name"] is None
    assert data[0]["latitude"] == 29.55218


def test_input_file_as_a_table_on_stdout(table_csv, capsys):
    assert cli.main(["resolve", "-i", str(table_csv), "-c", "place", "-f", "table"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:2] == ["id", "place"]
    assert "Nushki" in out


def test_user_gazetteer_takes_precedence(capsys):
    args = ["resolve", "Turbat", "-f", "json", "--gazetteer", str(FIXTURES / "user_places.csv")]
    assert cli.main(args) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)[0]["latitude"] == 26.0
    assert "Places: user_places.csv" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "expected place names or --input FILE.csv --column COL, got neither"),
        (["Quetta", "--input", "x.csv"], "give place names or --input FILE, not both"),
        (["Quetta", "--column", "place"], "--column needs --input FILE.csv"),
        (["Quetta", "--country", "Atlantis"], "expected a country as an ISO 3166 alpha-2 code"),
        (["Quetta", "--gazetteer", "/nonexistent/places.csv"], "places.csv: no such file"),
    ],
)
def test_usage_errors_exit_2_with_one_line(args, message, capsys):
    assert cli.main(["resolve", *args]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_bad_format_choice_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["resolve", "Quetta", "--format", "xml"])
    assert exc.value.code == 2
    assert "invalid choice: 'xml'" in capsys.readouterr().err


def test_input_errors_exit_2_naming_the_file(table_csv, tmp_path, capsys):
    cases = [
        (["-i", str(tmp_path / "missing.csv"), "-c", "place"], "missing.csv: no such file"),
        (["-i", str(table_csv)], "--input needs --column COL"),
        (["-i", str(table_csv), "-c", "town"], "--column: expected a column named 'town'"),
        (["-i", str(table_csv), "-c", "place", "--district-column", "dist"], "'dist'"),
    ]
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    cases.append((["-i", str(empty), "-c", "place"], "empty.csv: expected a CSV with a header"))
    bad_gaz = tmp_path / "gaz.csv"
    bad_gaz.write_text("name,latitude,longitude\nX,north,1\n", encoding="utf-8")
    cases.append((["Quetta", "-g", str(bad_gaz)], "gaz.csv:2: column 'latitude'"))
    for args, message in cases:
        assert cli.main(["resolve", *args]) == 2, args
        err = capsys.readouterr().err
        assert message in err, (args, err)
        assert "Traceback" not in err


def test_unwritable_output_exits_2(table_csv, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert cli.main(["resolve", "Quetta", "-o", str(blocker / "out.csv")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_real_process_resolves_a_name(tmp_path):
    env = dict(os.environ)
    proc = subprocess.run(
        [sys.executable, "-m", "mapper.cli", "resolve", "Quetta", "-f", "csv"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    row = next(csv.DictReader(io.StringIO(proc.stdout)))
    assert (row["matched_name"], row["latitude"], row["longitude"]) == (
        "Quetta",
        "30.18414",
        "67.00141",
    )
