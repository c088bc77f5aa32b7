"""ACLED and UCDP GED importers: every row accounted for, precision mapped, output validates."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from mapper.dataset import check_dataset
from mapper.errors import InputError
from mapper.gazetteer import Gazetteer
from mapper.importers.acled import import_acled
from mapper.importers.common import parse_source_dates, write_dataset
from mapper.importers.ucdp import import_ucdp

FIX = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.from_files([FIX / "datasets" / "gazetteer.csv"], include_default=False)


def rows_in(path: Path, *, hxl: bool = False) -> int:
    text = path.read_text(encoding="utf-8")
    return len([line for line in text.splitlines()[1:] if line.strip()]) - (1 if hxl else 0)


@pytest.mark.parametrize(
    ("importer", "name", "hxl"),
    [
        (import_acled, "acled/acled_export.csv", False),
        (import_acled, "acled/acled_us_dates.csv", False),
        (import_acled, "acled/acled_minimal.csv", False),
        (import_ucdp, "ucdp/ucdp_ged.csv", False),
        (import_ucdp, "ucdp/ucdp_ged_hxl.csv", True),
        (import_ucdp, "ucdp/ucdp_minimal.csv", False),
    ],
)
def test_round_trip_rows_in_equal_incidents_out_and_the_output_validates(
    tmp_path, gaz, importer, name, hxl
):
    src = FIX / name
    result = importer(src)
    n = rows_in(src, hxl=hxl)
    assert len(result.incidents) == n
    assert len(result.report) == n and set(result.report["status"]) <= {"placed", "unplaced"}
    out = write_dataset(result, tmp_path / "ds")
    dataset, problems = check_dataset(out, gazetteer=gaz)
    assert problems == []
    assert len(dataset.incidents) == n
    assert len(dataset.claims) == len(result.claims)


def test_acled_maps_dates_precisions_and_places():
    inc = import_acled(FIX / "acled/acled_export.csv").incidents.set_index("incident_id")
    assert inc["date"].tolist() == [
        "2024-01-31",
        "2024-01-31",
        "2024-01-31",
        "2024-02-01",
        "2024-02-02",
        "2024-02-03",
    ]
    assert inc.loc["PAK90002", "date_precision"] == "week"
    assert inc.loc["PAK90003", "date_precision"] == "month"
    assert inc.loc[["PAK90001", "PAK90002", "PAK90003"], "location_precision"].tolist() == [
        "exact",
        "near",
        "province",
    ]
    assert tuple(inc.loc["PAK90001", ["place", "district", "province", "country"]]) == (
        "Turbat",
        "Kech",
        "Balochistan",
        "Pakistan",
    )
    assert inc.loc["PAK90006", "description"].startswith(
        "Fictional test event with text that looks like markup: <b>"
    )


def test_acled_fatalities_become_claims_by_acled():
    claims = import_acled(FIX / "acled/acled_export.csv").claims.set_index("claim_id")
    row = claims.loc["PAK90001-fatalities"]
    assert (row["claimant"], row["claimant_side"], row["subject"], row["outcome"]) == (
        "ACLED",
        "dataset",
        "unspecified",
        "killed",
    )
    assert (row["low"], row["high"], row["claimed_on"]) == (4, 4, "2024-02-01")
    assert "PAK90005-fatalities" not in claims.index  # empty cell: no figure, not zero


def test_acled_american_slashed_dates_are_month_first():
    inc = import_acled(FIX / "acled/acled_us_dates.csv").incidents
    assert inc["date"].tolist() == ["2024-01-31", "2024-02-03", "2023-12-25"]


def test_acled_minimal_extract_gets_line_based_ids():
    result = import_acled(FIX / "acled/acled_minimal.csv")
    assert result.incidents["incident_id"].tolist() == ["ACLED-L2", "ACLED-L3"]
    assert result.counts() == {"placed": 0, "unplaced": 2, "rejected": 0}


def test_acled_bad_rows_are_each_accounted_for_with_a_reason():
    result = import_acled(FIX / "acled/acled_bad_rows.csv")
    rep = result.report.set_index("line")
    assert len(rep) == 7
    assert rep.loc[2, "status"] == "placed"
    assert "duplicate event_id_cnty 'PAK92001'; first on line 2" in rep.loc[3, "reason"]
    assert "unreadable date 'not a date'" in rep.loc[4, "reason"]
    assert "did you mean 'Battles'?" in rep.loc[5, "reason"]
    assert rep.loc[6, "status"] == "unplaced" and "unusable coordinates" in rep.loc[6, "reason"]
    assert "does not fit the event type" in rep.loc[6, "reason"]
    assert rep.loc[7, "reason"] == "no location and no usable coordinates"
    assert rep.loc[8, "reason"] == "expected 11 fields as in the header, found 12"
    assert result.incidents["incident_id"].tolist() == ["PAK92001", "PAK92005"]
    assert result.claims["claim_id"].tolist() == ["PAK92001-fatalities"]  # not the duplicate's


def test_ucdp_hxl_row_is_skipped_and_lines_still_count_it():
    plain = import_ucdp(FIX / "ucdp/ucdp_ged.csv")
    hxl = import_ucdp(FIX / "ucdp/ucdp_ged_hxl.csv")
    pd.testing.assert_frame_equal(plain.incidents, hxl.incidents)
    assert hxl.report["line"].tolist() == [3, 4, 5]


def test_ucdp_maps_precision_violence_type_and_clarity():
    inc = import_ucdp(FIX / "ucdp/ucdp_ged.csv").incidents.set_index("incident_id")
    # date_end equal to date_start is not a span: left empty.
    assert tuple(inc.loc["UCDP-900001", ["date", "date_end"]]) == ("2024-01-31", "")
    assert tuple(inc.loc["UCDP-900002", ["date", "date_end", "date_precision"]]) == (
        "2024-02-01",
        "2024-02-20",
        "month",
    )
    assert inc["location_precision"].tolist() == ["exact", "near", "province"]
    assert inc.loc["UCDP-900002", ["event_type", "sub_event_type"]].tolist() == [
        "Violence against civilians",
        "Attack",
    ]
    assert inc.loc["UCDP-900002", "status"] == "unverified"
    assert tuple(inc.loc["UCDP-900001", ["district", "province"]]) == ("Kech", "Balochistan")


def test_ucdp_estimates_become_claims_keeping_the_best():
    claims = import_ucdp(FIX / "ucdp/ucdp_ged.csv").claims.set_index("claim_id")
    assert tuple(claims.loc["UCDP-900001-best", ["low", "high"]]) == (5, 5)
    assert tuple(claims.loc["UCDP-900001-range", ["low", "high"]]) == (5, 7)
    assert "side A 2, side B 3" in claims.loc["UCDP-900001-best", "quote"]
    assert tuple(claims.loc["UCDP-900002-civilians", ["subject", "low"]]) == ("civilians", 4)
    assert "UCDP-900003-range" not in claims.index  # low = best = high: nothing to add


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2024-01-31", "2024-01-31"),
        ("2024-01-31 00:00:00.000", "2024-01-31"),
        ("31 January 2024", "2024-01-31"),
        ("31-January-2024", "2024-01-31"),
        ("31 Jan 2024", "2024-01-31"),
        ("31-Jan-24", "2024-01-31"),
        ("January 31, 2024", "2024-01-31"),
        ("1/31/2024", "2024-01-31"),
    ],
)
def test_source_date_forms(value, iso):
    out, why = parse_source_dates(pd.Series([value]))
    assert (out[0], why[0]) == (iso, "")


def test_slashed_dates_switch_to_day_first_when_a_column_proves_it():
    out, _ = parse_source_dates(pd.Series(["31/1/2024", "3/2/2024"]))
    assert out.tolist() == ["2024-01-31", "2024-02-03"]


def test_a_column_with_both_orders_refuses_the_ambiguous_ones():
    out, why = parse_source_dates(pd.Series(["31/1/2024", "1/31/2024", "3/2/2024"]))
    assert out[2] == "" and "ambiguous date '3/2/2024'" in why[2]


@pytest.mark.parametrize("importer", [import_acled, import_ucdp])
def test_a_header_only_export_is_refused(tmp_path, importer):
    f = tmp_path / "x.csv"
    f.write_text("id,event_date,event_type,date_start\n")
    with pytest.raises(InputError, match="no rows: the file has a header but no events"):
        importer(f)


@pytest.mark.parametrize(
    ("importer", "missing"),
    [(import_acled, "event_date, event_type"), (import_ucdp, "id, date_start")],
)
def test_a_file_of_the_wrong_kind_is_refused_naming_the_columns(tmp_path, importer, missing):
    f = tmp_path / "x.csv"
    f.write_text("name,latitude,longitude\nQuetta,30,67\n")
    with pytest.raises(InputError, match=f"missing required columns {missing}"):
        importer(f)


def test_write_dataset_refuses_a_file_as_output(tmp_path):
    from mapper.errors import UsageError

    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(UsageError, match="is not a directory"):
        write_dataset(import_acled(FIX / "acled/acled_minimal.csv"), target)
