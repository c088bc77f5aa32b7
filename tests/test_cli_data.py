"""The data commands: exit codes, one line per problem, count line, --report, no tracebacks."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pandas as pd
import pytest

from mapper.cli import main
from mapper.schema import REPORT_COLUMNS

FIX = Path(__file__).parent / "fixtures"
GAZ = ["--gazetteer", str(FIX / "datasets" / "gazetteer.csv")]
COUNT_LINE = r"^\d+ rows: \d+ placed, \d+ kept but unplaced, \d+ rejected$"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_bundled_dataset_passes(capsys):
    code, out, err = run(capsys, "validate")
    assert code == 0, out
    assert out == ""
    assert "0 rejected" in err and "Traceback" not in err


def test_validate_lists_five_mistakes_one_per_line_and_exits_1(capsys):
    code, out, err = run(capsys, "validate", str(FIX / "datasets" / "five_mistakes"), *GAZ)
    assert code == 1
    lines = out.strip().splitlines()
    assert [line.split(":")[1] for line in lines] == ["3", "4", "5", "6", "7"]
    assert "(did you mean 'Battles'?)" in lines[1]
    assert "6 rows: 1 placed, 0 kept but unplaced, 5 rejected" in err
    assert "Traceback" not in out + err


def test_validate_exits_2_for_an_unreadable_file_and_still_checks_the_others(capsys, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x00\x01binary")
    code, out, err = run(
        capsys, "validate", str(bad), str(FIX / "datasets" / "five_mistakes"), *GAZ
    )
    assert code == 2
    assert "bad.csv: looks like a binary file" in err
    assert len(out.strip().splitlines()) == 5


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"incident_id;date\n", "missing required column event_type"),
        (b'incident_id,date,event_type\ni1,"2026-01-31,Battles\n', "broken CSV quoting"),
    ],
)
def test_validate_broken_files_give_one_clear_line(capsys, tmp_path, content, message):
    f = tmp_path / "incidents.csv"
    f.write_bytes(content)
    code, out, err = run(capsys, "validate", str(f), *GAZ)
    assert code in (1, 2)
    text = (out + err).strip().splitlines()
    assert any(message in line for line in text)
    assert "Traceback" not in out + err


def test_validate_writes_the_row_by_row_report(capsys, tmp_path):
    report = tmp_path / "report.csv"
    run(capsys, "validate", str(FIX / "datasets" / "good"), *GAZ, "--report", str(report))
    df = pd.read_csv(report, dtype=str, keep_default_na=False)
    assert tuple(df.columns) == REPORT_COLUMNS
    assert len(df) == 13
    # --gazetteer adds to the default gazetteer, whose GeoNames towns catch the misspelling.
    row = df[df["record_id"] == "g5"].iloc[0]
    assert row["status"] == "placed"
    assert row["reason"] == "'Khuzdarr' matched 'Khuzdar' (fuzzy)"


def test_claims_table_shows_both_sides_figures_with_sources(capsys):
    code, out, err = run(capsys, "claims")
    assert code == 0
    for figure in ("41+", "92", "145+", "31+", "17"):
        assert any(line.strip().startswith(figure + " ") for line in out.splitlines()), figure
    for figure in ("84", "94", "18"):
        assert any(
            line.strip().startswith(figure) and "BLA" in line for line in out.splitlines()
        ), figure
    assert "source: " in out and "ISPR" in out
    assert "range 17-94 · spread 5.53×" in out
    assert pd.Series(err.strip().splitlines()).str.fullmatch(COUNT_LINE).iloc[-1]


def test_claims_as_json_and_csv(capsys):
    code, out, _ = run(capsys, "claims", str(FIX / "datasets" / "good"), *GAZ, "--format", "json")
    groups = json.loads(out)
    sf = next(
        g
        for g in groups
        if g["target_id"] == "offensive"
        and g["outcome"] == "killed"
        and g["subject"] == "security forces"
    )
    assert sf["range"] == [17, 94] and sf["conservative_claimants"] == ["ISPR"]
    code, out, _ = run(capsys, "claims", str(FIX / "datasets" / "good"), *GAZ, "--format", "csv")
    assert code == 0
    df = pd.read_csv(io.StringIO(out))
    assert set(df["claim_id"]) == {
        "c-raids-state",
        "c-off-state-mil",
        "c-off-state-sf",
        "c-off-ag-sf",
        "c-off-ag-cap",
        "c-g2-media",
    }


def test_claims_sanitises_control_characters_from_the_data(capsys, tmp_path):
    (tmp_path / "incidents.csv").write_text(
        "incident_id,date,place,event_type\ni1,2026-01-31,Quetta,Battles\n"
    )
    (tmp_path / "claims.csv").write_text(
        "claim_id,incident_id,claimant,subject,outcome,low,source\nc1,i1,\x1b[31mRED,militants,killed,3,s\n"
    )
    code, out, _ = run(capsys, "claims", str(tmp_path), *GAZ)
    assert code == 0 and "\x1b" not in out and "[31mRED" in out


@pytest.mark.parametrize(
    ("kind", "name", "n"),
    [("acled", "acled/acled_export.csv", 6), ("ucdp", "ucdp/ucdp_ged_hxl.csv", 3)],
)
def test_import_writes_a_dataset_that_validates(capsys, tmp_path, kind, name, n):
    out_dir = tmp_path / "ds"
    code, _, err = run(capsys, "import", kind, str(FIX / name), "-o", str(out_dir))
    assert code == 0
    assert f"{n} rows: " in err
    assert (out_dir / "incidents.csv").is_file() and (out_dir / "claims.csv").is_file()
    code, out, _ = run(capsys, "validate", str(out_dir), *GAZ)
    assert code == 0, out


def test_import_lists_rejected_rows_exits_1_and_still_writes_the_rest(capsys, tmp_path):
    code, _, err = run(
        capsys, "import", "acled", str(FIX / "acled/acled_bad_rows.csv"), "-o", str(tmp_path / "d")
    )
    assert code == 1  # rows were rejected: say so in the exit status ...
    assert (tmp_path / "d" / "incidents.csv").exists()  # ... but keep what was usable
    assert "acled_bad_rows.csv:3: duplicate event_id_cnty" in err
    assert err.strip().splitlines()[-1] == "7 rows: 1 placed, 1 kept but unplaced, 5 rejected"


def test_import_of_a_binary_file_exits_2_without_traceback(capsys, tmp_path):
    f = tmp_path / "x.csv"
    f.write_bytes(os.urandom(64) + b"\x00")
    code, out, err = run(capsys, "import", "ucdp", str(f), "-o", str(tmp_path / "d"))
    assert code == 2 and "binary file" in err and "Traceback" not in out + err


def test_export_writes_by_suffix_and_refuses_unknown_ones(capsys, tmp_path):
    out = tmp_path / "x.geojson"
    code, _, err = run(capsys, "export", str(FIX / "datasets" / "good"), *GAZ, "-o", str(out))
    assert code == 0 and json.loads(out.read_text())["type"] == "FeatureCollection"
    assert err.strip().splitlines()[-1] == "13 rows: 13 placed, 0 kept but unplaced, 0 rejected"
    code, _, err = run(capsys, "export", "-o", str(tmp_path / "x.xlsx"))
    assert code == 2 and "expected a file ending in .geojson" in err
