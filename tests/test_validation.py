"""Validation finds every mistake at once, located to file, line and column, with suggestions."""

from __future__ import annotations

from pathlib import Path

import pytest

from mapper.dataset import check_dataset, validate_dataset
from mapper.errors import Problem
from mapper.gazetteer import Gazetteer

FIX = Path(__file__).parent / "fixtures" / "datasets"
HEADER = (
    "incident_id,date,date_end,date_precision,place,latitude,longitude,district,province,"
    "event_type,sub_event_type,status"
)
GOOD = "i1,2026-01-31,,day,Quetta,,,Quetta,Balochistan,Battles,Armed clash,reported"
CLAIMS_HEADER = (
    "claim_id,incident_id,operation,claimant,claimant_side,claimed_on,"
    "subject,outcome,low,high,source"
)
GOOD_CLAIM = "c1,i1,,ISPR,state,2026-02-01,militants,killed,41,,Test"


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.from_files([FIX / "gazetteer.csv"], include_default=False)


def write(tmp_path, rows, claims=None, operations=None):
    (tmp_path / "incidents.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    if claims is not None:
        (tmp_path / "claims.csv").write_text("\n".join([CLAIMS_HEADER, *claims]) + "\n")
    if operations is not None:
        (tmp_path / "operations.csv").write_text("operation,name\n" + "\n".join(operations) + "\n")
    return tmp_path


def one(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def test_a_valid_dataset_has_no_problems(gaz):
    assert validate_dataset(FIX / "good", gazetteer=gaz) == []


def test_five_different_mistakes_are_all_reported_with_their_lines(gaz):
    problems = validate_dataset(FIX / "five_mistakes", gazetteer=gaz)
    found = {(p.line, p.column) for p in problems}
    assert found == {
        (3, "date"),
        (4, "event_type"),
        (5, "incident_id"),
        (6, "latitude"),
        (7, "place"),
    }
    assert all(p.path.endswith("incidents.csv") for p in problems)


INCIDENT_CASES = [
    # (row, column, message fragment, suggestion)
    (
        "i2,2026-01-31,,day,Quetta,,,,,Batles,,reported",
        "event_type",
        "not a known ACLED event type",
        "Battles",
    ),
    (
        "i2,2026-01-31,,day,Quetta,,,,,Battles,Armed clsh,reported",
        "sub_event_type",
        "not a known ACLED sub-event type",
        "Armed clash",
    ),
    (
        "i2,2026-01-31,,day,Quetta,,,,,Battles,Grenade,reported",
        "sub_event_type",
        "belongs to event type 'Explosions/Remote violence'",
        None,
    ),
    ("i2,03/04/2026,,,Quetta,,,,,Battles,,reported", "date", "ambiguous date", None),
    (
        "i2,31/01/2026,,,Quetta,,,,,Battles,,reported",
        "date",
        "not an accepted date form",
        "2026-01-31",
    ),
    (
        "i2,31 January 2026,,,Quetta,,,,,Battles,,reported",
        "date",
        "not an accepted date form",
        "2026-01-31",
    ),
    ("i2,2026-02-30,,,Quetta,,,,,Battles,,reported", "date", "no such date", None),
    ("i2,yesterday,,,Quetta,,,,,Battles,,reported", "date", "not a date", None),
    ("i2,,,,Quetta,,,,,Battles,,reported", "date", "required", None),
    (
        "i2,2026-01-31,2026-01-30,,Quetta,,,,,Battles,,reported",
        "date_end",
        "before the start date",
        None,
    ),
    (
        "i2,2026-01,,day,Quetta,,,,,Battles,,reported",
        "date_precision",
        "finer than the date",
        "month",
    ),
    (
        "i2,2026-01-31,,dayly,Quetta,,,,,Battles,,reported",
        "date_precision",
        "not a known date precision",
        "day",
    ),
    ("i2,2026-01-31,,,Quetta,91,67,,,Battles,,reported", "latitude", "out of range", None),
    ("i2,2026-01-31,,,Quetta,30,181,,,Battles,,reported", "longitude", "out of range", None),
    ("i2,2026-01-31,,,Quetta,nan,67,,,Battles,,reported", "latitude", "not a finite number", None),
    ("i2,2026-01-31,,,Quetta,30,inf,,,Battles,,reported", "longitude", "not a finite number", None),
    ('i2,2026-01-31,,,Quetta,"30,2",67,,,Battles,,reported', "latitude", "not a number", None),
    ("i2,2026-01-31,,,Quetta,30.2,,,,Battles,,reported", "longitude", "latitude is given", None),
    ("i2,2026-01-31,,,,,,,,Battles,,reported", "place", "no place and no coordinates", None),
    ("i2,2026-01-31,,,Quetta,,,,,Battles,,confirmd", "status", "not a known status", "confirmed"),
    (
        "i1,2026-01-31,,,Quetta,,,,,Battles,,reported",
        "incident_id",
        "duplicate incident_id; first used on line 2",
        None,
    ),
    ("i2,2026-01-31,,,Quetta,,,,,,,reported", "event_type", "required", None),
]


@pytest.mark.parametrize(("row", "column", "fragment", "suggestion"), INCIDENT_CASES)
def test_each_incident_rule_names_line_column_and_suggestion(
    tmp_path, gaz, row, column, fragment, suggestion
):
    p = one(validate_dataset(write(tmp_path, [GOOD, row]), gazetteer=gaz))
    assert (p.line, p.column) == (3, column)
    assert fragment in p.message
    assert p.suggestion == suggestion


def test_swapped_coordinates_are_flagged_against_the_stated_district(tmp_path, gaz):
    row = "i2,2026-01-31,,,Quetta,67.00141,30.18414,Quetta,Balochistan,Battles,,reported"
    p = one(validate_dataset(write(tmp_path, [GOOD, row]), gazetteer=gaz))
    assert p.column == "latitude" and p.line == 3
    assert "look swapped" in p.message


def test_a_point_far_from_its_stated_province_is_flagged(tmp_path, gaz):
    row = "i2,2026-01-31,,,Quetta,51.5,-0.12,,Balochistan,Battles,,reported"
    p = one(validate_dataset(write(tmp_path, [GOOD, row]), gazetteer=gaz))
    assert "outside the province 'Balochistan'" in p.message and "expected within" in p.message


def test_an_operation_not_listed_in_operations_csv_is_a_problem(tmp_path, gaz):
    header_with_op = HEADER + ",operation"
    (tmp_path / "incidents.csv").write_text(
        f"{header_with_op}\n{GOOD},herof\n{GOOD.replace('i1', 'i2')},herof-2\n"
    )
    (tmp_path / "operations.csv").write_text("operation,name\nherof-2,Test\n")
    p = one(validate_dataset(tmp_path, gazetteer=gaz))
    assert (p.line, p.column, p.suggestion) == (2, "operation", "herof-2")


CLAIM_CASES = [
    (
        "c2,i1,,BLA,armed group,2026-02-01,security forces,killed,-3,,Test",
        "low",
        "negative figure",
        None,
    ),
    (
        "c2,i1,,BLA,armed group,2026-02-01,security forces,killed,12.5,,Test",
        "low",
        "not a whole number",
        None,
    ),
    (
        "c2,i1,,BLA,armed group,2026-02-01,security forces,killed,about 80,,Test",
        "low",
        "not a number",
        None,
    ),
    (
        'c2,i1,,BLA,armed group,2026-02-01,security forces,killed,"1,200",,Test',
        "low",
        "not a number",
        "1200",
    ),
    (
        "c2,i1,,BLA,armed group,2026-02-01,security forces,killed,94,84,Test",
        "high",
        "smaller than low (94)",
        None,
    ),
    (
        "c2,i9,,BLA,armed group,2026-02-01,security forces,killed,84,,Test",
        "incident_id",
        "not an incident_id",
        None,
    ),
    (
        "c2,,herof,BLA,armed group,2026-02-01,security forces,killed,84,,Test",
        "operation",
        "not an operation",
        None,
    ),
    (
        "c2,,,BLA,armed group,2026-02-01,security forces,killed,84,,Test",
        "incident_id",
        "no target",
        None,
    ),
    (
        "c2,i1,,BLA,armed grp,2026-02-01,security forces,killed,84,,Test",
        "claimant_side",
        "not a known claimant side",
        "armed group",
    ),
    (
        "c2,i1,,BLA,armed group,2026-02-01,soldiers,killed,84,,Test",
        "subject",
        "not a known subject",
        "security forces",
    ),
    (
        "c2,i1,,BLA,armed group,2026-02-01,security forces,wounded,84,,Test",
        "outcome",
        "not a known outcome",
        "injured",
    ),
    (
        "c2,i1,,BLA,armed group,02/01/2026,security forces,killed,84,,Test",
        "claimed_on",
        "ambiguous date",
        None,
    ),
    (
        "c2,i1,,,armed group,2026-02-01,security forces,killed,84,,Test",
        "claimant",
        "required",
        None,
    ),
    (
        "c1,i1,,BLA,armed group,2026-02-01,security forces,killed,84,,Test",
        "claim_id",
        "duplicate claim_id",
        None,
    ),
]


@pytest.mark.parametrize(("row", "column", "fragment", "suggestion"), CLAIM_CASES)
def test_each_claim_rule_names_line_column_and_suggestion(
    tmp_path, gaz, row, column, fragment, suggestion
):
    p = one(validate_dataset(write(tmp_path, [GOOD], claims=[GOOD_CLAIM, row]), gazetteer=gaz))
    assert p.path.endswith("claims.csv")
    assert (p.line, p.column) == (3, column)
    assert fragment in p.message
    assert p.suggestion == suggestion


def test_missing_required_columns_are_one_problem_on_the_header(tmp_path, gaz):
    (tmp_path / "incidents.csv").write_text("incident_id,place\ni1,Quetta\n")
    p = one(validate_dataset(tmp_path, gazetteer=gaz))
    assert p.line == 1
    assert "missing required columns date, event_type" in p.message


def test_a_misspelt_column_name_is_reported_with_the_intended_one(tmp_path, gaz):
    (tmp_path / "incidents.csv").write_text(
        "incident_id,date,place,event_type,sub_event_typ\n"
        "i1,2026-01-31,Quetta,Battles,Armed clash\n"
    )
    p = one(validate_dataset(tmp_path, gazetteer=gaz))
    assert (p.line, p.column, p.suggestion) == (1, "sub_event_typ", "sub_event_type")


def test_rows_with_the_wrong_number_of_fields_are_problems_on_their_line(tmp_path, gaz):
    write(tmp_path, [GOOD, GOOD.replace("i1", "i2") + ",extra", "i3,2026-01-31"])
    problems = validate_dataset(tmp_path, gazetteer=gaz)
    assert [(p.line, p.message) for p in problems] == [
        (3, "expected 12 fields as in the header, found 13"),
        (4, "expected 12 fields as in the header, found 2"),
    ]


def test_line_numbers_count_lines_inside_quoted_fields(tmp_path, gaz):
    multi = "i2,2026-01-31,,day,Quetta,,,,,Battles,,reported"
    write(
        tmp_path,
        [
            'i1,2026-01-31,,day,"Que\ntta, two lines",,,,,Battles,,reported',
            "",
            multi,
            "i3,bad,,,Quetta,,,,,Battles,,reported",
        ],
    )
    p = one(validate_dataset(tmp_path, gazetteer=gaz))
    assert (p.line, p.column) == (6, "date")


def test_problems_reject_their_rows_but_valid_rows_are_still_read(tmp_path, gaz):
    write(tmp_path, [GOOD, "i2,2026-01-31,,,Quetta,,,,,Batles,,reported"])
    dataset, problems = check_dataset(tmp_path, gazetteer=gaz)
    assert list(dataset.incidents["incident_id"]) == ["i1"]
    rejected = dataset.report[dataset.report["status"] == "rejected"]
    assert list(rejected["line"]) == [3]
    assert "did you mean 'Battles'?" in rejected["reason"].iloc[0]
    assert len(problems) == 1


def test_suggestions_do_not_depend_on_the_hash_seed():
    import subprocess
    import sys

    code = (
        "from mapper.tables.cells import suggest;"
        "print(suggest('abc5', {'abc1', 'abc2', 'abc3', 'abc4', 'abc6', 'abc7'}))"
    )
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout
        for seed in ("1", "2", "3", "4", "5", "6")
    }
    assert len(outs) == 1, outs
