"""Generic and GTD imports: the tables people share, every row accounted for, output valid."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import xlsxwriter

from mapper.cli import main
from mapper.dataset import check_dataset
from mapper.errors import InputError, UsageError
from mapper.gazetteer import Gazetteer
from mapper.importers.common import write_dataset
from mapper.importers.dates import read_dates, read_year_month_day
from mapper.importers.figures import read_figures
from mapper.importers.gtd import import_gtd
from mapper.importers.table import import_table, province_names

FIX = Path(__file__).parent / "fixtures" / "tables"


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.from_files(
        [Path(__file__).parent / "fixtures" / "datasets" / "gazetteer.csv"], include_default=False
    )


def statuses(result) -> dict[int, str]:
    return dict(zip(result.report["line"], result.report["status"], strict=True))


def validates(result, tmp_path, gaz) -> None:
    out = write_dataset(result, tmp_path / "ds")
    dataset, problems = check_dataset(out, gazetteer=gaz)
    assert problems == []
    assert len(dataset.incidents) == len(result.incidents)
    assert len(dataset.claims) == len(result.claims)


# --- the fixtures, end to end ------------------------------------------------------


def test_suicide_attacks_latin1_every_row_accounted_for(tmp_path, gaz):
    result = import_table(FIX / "suicide_attacks.csv", event_type="Suicide bomb")
    assert statuses(result) == {
        2: "placed",
        3: "placed",
        4: "placed",
        5: "placed",
        6: "placed",
        7: "unplaced",  # no city, no coordinates; 'FATA' is only a hint
        8: "rejected",  # 'sometime in 2011'
        9: "placed",
    }
    inc = result.incidents.set_index("incident_id")
    assert inc["date"].tolist() == [
        "1995-11-19",
        "2017-02-16",
        "2017-03-02",  # 'Thrusday-March-2-2017': misspelt weekday, clear date
        "2000-07-10",
        "2016-08-08",
        "2015-06-05",
        "2015-05-13",
    ]
    assert inc["province"].tolist() == [
        "Islamabad",
        "Sindh",
        "Khyber Pakhtunkhwa",
        "Balochistan",
        "Balochistan",
        "FATA",
        "Sindh",
    ]
    assert inc.loc["suicide_attacks-2", "latitude"] == "33.7"
    assert inc.loc["suicide_attacks-2", "temperature(c)"] == "15°"  # latin-1, kept column
    assert set(inc["sub_event_type"]) == {"Suicide bomb"}
    killed = result.claims[result.claims["outcome"] == "killed"].set_index("incident_id")
    assert (killed.loc["suicide_attacks-3", "low"], killed.loc["suicide_attacks-3", "high"]) == (
        70,
        88,
    )
    assert pd.isna(killed.loc["suicide_attacks-9", "high"])  # 'Killed Max' empty: at least 45
    reasons = result.report.set_index("line")["reason"]
    assert "Tuesday does not fit 2016-08-08, a Monday" in reasons[6]
    assert "'FATA' is not one the gazetteer knows" in reasons[7]
    assert "'sometime in 2011'" in reasons[8]
    validates(result, tmp_path, gaz)


def test_strikes_us_dates_three_sources_and_groups_as_parts_of_the_total(tmp_path, gaz):
    result = import_table(FIX / "strikes.csv", claimant="Strike tracker", claimant_side="media")
    assert result.columns["sources"] == ["Source", "Source", "Source"]
    assert "empty" not in result.incidents.columns  # empty throughout: ignored
    assert statuses(result) == {
        2: "placed",
        3: "placed",
        4: "placed",
        5: "rejected",
        6: "unplaced",
    }
    inc = result.incidents.set_index("incident_id")
    assert inc.loc["S1", "date"] == "2004-06-19"
    assert inc.loc["S2", "date"] == "2006-01-13"
    assert inc.loc["S1", "sources"] == "http://example.org/a; http://example.org/b"
    claims = result.claims.set_index("claim_id")
    assert claims.loc["S1-killed-total", ["low", "high", "part_of"]].tolist() == [5, 7, ""]
    assert claims.loc["S1-killed-militants", ["subject", "low", "high", "part_of"]].tolist() == [
        "militants",
        4,
        5,
        "S1-killed-total",
    ]
    assert claims.loc["S2-killed-civilians", "part_of"] == "S2-killed-total"
    assert set(claims["claimant"]) == {"Strike tracker"}
    assert "no such date '2/30/2009'" in result.report.set_index("line").at[5, "reason"]
    validates(result, tmp_path, gaz)


def test_gtd_csv_dates_precision_types_claims_and_doubt(tmp_path, gaz):
    result = import_gtd(FIX / "gtd.csv")
    inc = result.incidents.set_index("incident_id")
    assert inc["date"].tolist() == ["2015-01-03", "2015-02", "2016", "2017-03-05"]
    assert inc["date_precision"].tolist() == ["day", "month", "year", "day"]
    assert inc["location_precision"].tolist() == ["exact", "district", "near", "country"]
    assert inc.loc["GTD-201600000001", "sub_event_type"] == "Suicide bomb"
    assert inc.loc["GTD-201502000001", ["event_type", "status"]].tolist() == [
        "Battles",
        "disputed",
    ]
    assert inc.loc["GTD-201502000001", "approxdate"] == "February 2015"
    assert inc.loc["GTD-201703050002", "place"] == ""  # the GTD's 'Unknown'
    assert statuses(result)[6] == "rejected"  # 2017-04-31
    claims = result.claims.set_index("claim_id")
    assert claims.loc["GTD-201501010001-killed", ["claimant", "low", "high"]].tolist() == [
        "GTD",
        4,
        4,
    ]
    assert claims.loc["GTD-201501010001-injured", "low"] == 11
    assert "GTD-201600000001-killed" not in claims.index  # nkill empty: no figure
    assert "Insurgency/Guerilla Action" in result.report.set_index("line").at[3, "reason"]
    validates(result, tmp_path, gaz)


def test_gtd_geojson_points_and_a_polygon_as_an_approximate_point(tmp_path, gaz):
    result = import_gtd(FIX / "gtd.geojson")
    inc = result.incidents.set_index("incident_id")
    assert inc.loc["GTD-201501010001", ["latitude", "longitude"]].tolist() == ["30.18", "67.0"]
    area = inc.loc["GTD-201801010001"]
    assert (area["latitude"], area["longitude"], area["location_precision"]) == (
        "30.2",
        "67.0",
        "district",
    )
    assert "Polygon; its representative point is used" in result.report.iat[3, 5]
    validates(result, tmp_path, gaz)


def test_xlsx_with_date_cells_serial_days_and_a_chosen_sheet(tmp_path, gaz):
    path = tmp_path / "log.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("Notes").write(0, 0, "nothing here")
    sheet = book.add_worksheet("Log")
    fmt = book.add_format({"num_format": "yyyy-mm-dd"})
    for c, h in enumerate(["Date", "Town", "Lat", "Lon", "Deaths", "Source"]):
        sheet.write(0, c, h)
    sheet.write_datetime(1, 0, pd.Timestamp("2024-03-05").to_pydatetime(), fmt)
    sheet.write_row(1, 1, ["Quetta", 30.18, 67.0, 3, "Synthetic paper"])
    sheet.write_number(2, 0, 45357)  # an unformatted serial day: 2024-03-06
    sheet.write_row(2, 1, ["Turbat", 26.0, 63.05, "12-15", "Synthetic wire"])
    book.close()
    with pytest.raises(InputError, match=r"no sheet 'Missing' in the workbook; its sheets are"):
        import_table(path, sheet="Missing")
    result = import_table(path, sheet="Log")
    assert result.incidents["date"].tolist() == ["2024-03-05", "2024-03-06"]
    assert result.incidents["latitude"].tolist() == ["30.18", "26"]
    assert result.claims[["low", "high"]].values.tolist() == [[3, 3], [12, 15]]
    assert statuses(result) == {2: "placed", 3: "placed"}
    validates(result, tmp_path, gaz)


def test_a_sheet_with_a_title_above_the_header_and_a_totals_row_below(tmp_path):
    path = tmp_path / "report.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Attacks")
    sheet.write(0, 0, "Table 3: attacks reported, January 2024")  # a title...
    sheet.write(1, 0, "Compiled from press reports")  # ...and a note, one cell each
    sheet.write_row(3, 0, ["No.", "Date", "Town", "Killed"])
    sheet.write_row(4, 0, [1, "2024-01-05", "Quetta", 2])
    sheet.write_row(5, 0, [2, "2024-01-07", "Turbat", 3])
    sheet.write_row(6, 0, ["Total", "", "", 5])
    book.close()
    result = import_table(path)
    assert "header on row 4; rows 1-2 above it skipped as a title" in result.detected
    assert result.incidents["place"].tolist() == ["Quetta", "Turbat"]
    rejected = result.report[result.report["status"] == "rejected"]
    assert rejected[["line", "reason"]].values.tolist() == [
        [7, "a totals row (it sums other rows), not an incident"]
    ]


@pytest.mark.parametrize("cell", ["Totals:", "Grand total", "sub-total"])
def test_a_totals_row_is_refused_whatever_its_spelling_but_a_town_is_not(tmp_path, cell):
    path = tmp_path / "t.csv"
    path.write_text(f"date,city,killed\n2024-01-05,Total,2\n,{cell},2\n", encoding="utf-8")
    result = import_table(path)
    # A place that happens to be called "Total" with a date is still an incident.
    assert statuses(result) == {2: "unplaced", 3: "rejected"}


def test_a_csv_exported_with_title_lines_keeps_the_file_s_line_numbers(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "Table 3: attacks reported in January, 2024,,\n"  # a title with a comma in it
        ",,\n"
        "date,city,killed\n"
        "2024-01-05,Quetta,2\n"
        "2024-01-07,Turbat,none\n",
        encoding="utf-8",
    )
    result = import_table(path)
    assert "header on line 3; line 1 above it skipped as a title" in result.detected
    assert statuses(result) == {4: "unplaced", 5: "unplaced"}
    assert result.incidents["place"].tolist() == ["Quetta", "Turbat"]


def test_a_csv_whose_first_data_row_is_all_text_keeps_its_first_line_as_the_header(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("date,city\n5 January 2024,Quetta\n", encoding="utf-8")
    result = import_table(path)
    assert result.detected.startswith("CSV;") and statuses(result) == {2: "unplaced"}


def test_coordinates_written_in_degrees_minutes_and_hemispheres_are_read(tmp_path):
    path = tmp_path / "dms.csv"
    path.write_text(
        "date,town,lat,lon\n"
        "2024-01-05,Turbat,26°00'07\"N,63°03'E\n"
        "2024-01-06,Quetta,30.18 N,67.00 E\n"
        "2024-01-07,Jiwani,N 25.05,E 61.74\n"
        "2024-01-08,Gwadar,25.12 E,62.32 N\n",  # letters in the wrong columns: not guessed
        encoding="utf-8",
    )
    result = import_table(path)
    got = result.incidents[["latitude", "longitude"]].values.tolist()
    assert got[:3] == [["26.001944", "63.05"], ["30.18", "67.0"], ["25.05", "61.74"]]
    assert got[3] == ["", ""]
    assert statuses(result) == {2: "placed", 3: "placed", 4: "placed", 5: "unplaced"}


def test_a_point_written_in_one_column_is_split_into_latitude_and_longitude(tmp_path):
    """Spreadsheets often hold "30.184, 67.001" in one "Coordinates" column; it was ignored."""
    path = tmp_path / "one_column.csv"
    path.write_text(
        "Date;Location;Coordinates\n"
        "15.01.2024;Turbat;26.00122, 63.04849\n"
        "16.01.2024;Quetta;30,184 67,001\n"  # decimal commas
        "17.01.2024;Jiwani;61.74E 25.05N\n"  # the letters say which is which
        "18.01.2024;Gwadar;POINT (62.32 25.12)\n"  # WKT: longitude first
        "19.01.2024;Panjgur;north of the port\n",  # words, whatever letters they hold
        encoding="utf-8",
    )
    result = import_table(path)
    got = result.incidents[["latitude", "longitude"]].values.tolist()
    assert got == [
        ["26.00122", "63.04849"],
        ["30.184", "67.001"],
        ["25.05", "61.74"],
        ["25.12", "62.32"],
        ["", ""],
    ]
    reason = result.report.loc[result.report["line"] == 6, "reason"].item()
    assert "unusable coordinates" in reason
    assert "(north of the port);" in reason


def test_a_semicolon_file_with_commas_in_its_cells_is_read_by_semicolons(tmp_path):
    """A European spreadsheet: decimal commas and notes full of commas, fields split by ';'."""
    path = tmp_path / "eu.csv"
    path.write_text(
        "Datum;Ort;Breite;Länge;Notiz\n"
        "15.01.2024;Turbat;26,00122;63,04849;zwei Tote, drei Verletzte, ein Fahrzeug\n"
        "16.01.2024;Quetta;30,184;67,001;Angriff, Polizei, Markt, Abend\n",
        encoding="utf-8",
    )
    columns = {"date": "Datum", "place": "Ort", "latitude": "Breite", "longitude": "Länge"}
    result = import_table(path, columns=columns | {"description": "Notiz"})
    assert result.incidents["place"].tolist() == ["Turbat", "Quetta"]
    got = result.incidents[["latitude", "longitude"]].values.tolist()
    assert got == [["26.00122", "63.04849"], ["30.184", "67.001"]]
    assert result.incidents["description"].tolist() == [
        "zwei Tote, drei Verletzte, ein Fahrzeug",
        "Angriff, Polizei, Markt, Abend",
    ]


def test_zero_zero_is_a_placeholder_not_a_point(tmp_path):
    path = tmp_path / "zeros.csv"
    path.write_text(
        "date,town,lat,lon\n2024-01-05,Panjgur,0,0\n2024-01-06,Equator,0,9.5\n",
        encoding="utf-8",
    )
    result = import_table(path)
    assert statuses(result) == {2: "unplaced", 3: "placed"}
    reason = result.report.loc[result.report["line"] == 2, "reason"].item()
    assert reason.startswith("unusable coordinates (0, 0: a placeholder for none)")


def test_a_saved_web_page_is_refused_as_one(tmp_path, capsys):
    path = tmp_path / "map.html"
    path.write_text("<!DOCTYPE html>\n<html><head><title>x</title></head></html>\n", "utf-8")
    with pytest.raises(InputError, match=r"map\.html: looks like a web page \(HTML\), not a table"):
        import_table(path)
    assert main(["map", str(path), "-o", str(tmp_path / "out.html")]) == 2
    assert "looks like a web page" in capsys.readouterr().err


def test_parquet_table(tmp_path):
    path = tmp_path / "t.parquet"
    pd.DataFrame(
        {
            "date": pd.to_datetime(["2024-01-02", "2024-01-03"]),
            "city": ["Quetta", "Gwadar"],
            "killed": [2, None],
        }
    ).to_parquet(path)
    result = import_table(path)
    assert result.incidents["date"].tolist() == ["2024-01-02", "2024-01-03"]
    assert result.claims["low"].tolist() == [2]
    assert statuses(result) == {1: "unplaced", 2: "unplaced"}


# --- dates, figures, provinces -------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "iso", "precision"),
    [
        ("2004-06-19", "2004-06-19", "day"),
        ("2004-06-19 14:30:00", "2004-06-19", "day"),
        ("2004/06/19", "2004-06-19", "day"),
        ("2004-06", "2004-06", "month"),
        ("2004", "2004", "year"),
        ("19 June 2004", "2004-06-19", "day"),
        ("June 19, 2004", "2004-06-19", "day"),
        ("Jun-19-2004", "2004-06-19", "day"),
        ("Saturday-June 19-2004", "2004-06-19", "day"),
        ("Satrday-June 19-2004", "2004-06-19", "day"),
        ("June 2004", "2004-06", "month"),
        ("Sept 2004", "2004-09", "month"),
        ("38157", "2004-06-19", "day"),
    ],
)
def test_one_date_form_each(value, iso, precision):
    col = read_dates(pd.Series([value]))
    assert (col.iso[0], col.precision[0], col.reason[0]) == (iso, precision, "")


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("6/19/04", "two-digit year"),
        ("Later June 2004", "is not a weekday"),
        ("31-30 January 2026", "ends before it starts"),
        ("2004-02-30", "no such date"),
        ("2004-13", "no such month"),
        ("soon", "not a date"),
        ("3000", "not a date"),  # neither a plausible year nor a serial day (1908)
    ],
)
def test_dates_that_are_refused_say_why(value, why):
    col = read_dates(pd.Series([value]))
    assert col.iso[0] == "" and why in col.reason[0]


@pytest.mark.parametrize(
    ("value", "iso", "end"),
    [
        ("30-31 January 2026", "2026-01-30", "2026-01-31"),
        ("30th-31st Jan 2026", "2026-01-30", "2026-01-31"),
        ("January 30-31, 2026", "2026-01-30", "2026-01-31"),
        ("30 Jan - 1 Feb 2026", "2026-01-30", "2026-02-01"),
        ("Jan 30 to Feb 1, 2026", "2026-01-30", "2026-02-01"),
        ("2026-01-30/2026-02-01", "2026-01-30", "2026-02-01"),
        ("between 3 and 5 May 2024", "2024-05-03", "2024-05-05"),
        ("31 Dec 2025 – 2 Jan 2026", "2025-12-31", "2026-01-02"),
    ],
)
def test_a_span_of_days_is_read_as_its_first_and_last_day(value, iso, end):
    col = read_dates(pd.Series([value]))
    assert (col.iso[0], col.end[0], col.precision[0], col.reason[0]) == (iso, end, "day", "")


@pytest.mark.parametrize(
    ("value", "iso", "precision", "said"),
    [
        ("c. 1995", "1995", "year", "approximate"),
        ("about 12 March 2024", "2024-03-12", "day", "approximate"),
        ("30 Jan 2026 (approx.)", "2026-01-30", "day", "approximate"),
        ("Around June 2004", "2004-06", "month", "approximate"),
        ("late January 2026", "2026-01", "month", "'late' is kept in this note"),
        ("mid-2019", "2019", "year", "'mid' is kept in this note"),
    ],
)
def test_a_hedged_date_is_read_as_written_and_the_hedge_noted(value, iso, precision, said):
    col = read_dates(pd.Series([value]))
    assert (col.iso[0], col.precision[0], col.end[0]) == (iso, precision, "")
    assert col.note[0].startswith(f"date {value!r}") and said in col.note[0]


def test_a_part_of_a_day_is_not_read_as_a_day():
    # "late 19 June" says nothing a day's precision can hold: refused, not rounded.
    col = read_dates(pd.Series(["late 19 June 2004"]))
    assert col.iso[0] == "" and col.reason[0]


def test_an_imported_span_fills_date_end(tmp_path):
    path = tmp_path / "spans.csv"
    path.write_text("date,city\n30-31 January 2026,Quetta\n2026-02-03,Turbat\n", encoding="utf-8")
    result = import_table(path)
    assert result.incidents[["date", "date_end"]].values.tolist() == [
        ["2026-01-30", "2026-01-31"],
        ["2026-02-03", ""],
    ]


def test_the_column_settles_day_or_month_first():
    assert read_dates(pd.Series(["6/19/2004", "1/2/2005"])).iso.tolist() == [
        "2004-06-19",
        "2005-01-02",
    ]
    assert read_dates(pd.Series(["19/6/2004", "1/2/2005"])).iso.tolist() == [
        "2004-06-19",
        "2005-02-01",
    ]
    assert read_dates(pd.Series(["19.6.2004", "1.2.2005"])).iso.tolist() == [
        "2004-06-19",
        "2005-02-01",
    ]


def test_a_column_nothing_settles_is_refused_with_both_readings_unless_a_format_is_given():
    values = pd.Series(["1/2/2005", "3/4/2005"])
    with pytest.raises(InputError, match=r"'1/2/2005' is 2005-02-01 day first or 2005-01-02"):
        read_dates(values)
    assert read_dates(values, date_format="%m/%d/%Y").iso.tolist() == ["2005-01-02", "2005-03-04"]
    col = read_dates(pd.Series(["2005-01-02"]), date_format="%m/%d/%Y")
    assert "does not match --date-format" in col.reason[0]


def test_a_date_no_order_can_read_is_its_rows_rejection_not_the_columns():
    # 32/13 is a date neither day first nor month first: it settles nothing and blocks nothing.
    col = read_dates(pd.Series(["32/13/2018", "Sunday-November 19-1995"]))
    assert col.iso.tolist() == ["", "1995-11-19"]
    assert "32/13/2018" in col.reason[0]
    # Beside a value that settles the order, the impossible one is still only its row's problem.
    col = read_dates(pd.Series(["19/6/2004", "32/13/2018"]))
    assert col.iso.tolist() == ["2004-06-19", ""]
    assert "32/13/2018" in col.reason[1]


def test_mixed_day_first_and_month_first_are_listed_row_by_row():
    values = pd.Series(["19/6/2004", "1/1/2005", "6/20/2004"])
    with pytest.raises(
        InputError, match=r"row 2: '19/6/2004' \(day first\); row 4: '6/20/2004' \(month first\)"
    ):
        read_dates(values, rows=pd.Series([2, 3, 4]))


def test_year_month_day_columns_with_zero_as_unknown():
    iso, precision, reason = read_year_month_day(
        pd.Series(["2015", "2015", "2015", "0", "2015", "2015.0"]),
        pd.Series(["3", "0", "2", "1", "13", "7.0"]),
        pd.Series(["0", "0", "30", "1", "1", ""]),
    )
    assert iso.tolist() == ["2015-03", "2015", "", "", "", "2015-07"]
    assert precision.tolist() == ["month", "year", "", "", "", "month"]
    assert reason.tolist()[2:5] == ["no such date 2015-2-30", "no year", "month 13 is not 1 to 12"]


@pytest.mark.parametrize(
    ("month", "day", "iso", "precision"),
    [
        (["3", "4"], ["1", "2"], ["2015-03-01", "2015-04-02"], ["day", "day"]),
        (["3", "4"], ["0", "0"], ["2015-03", "2015-04"], ["month", "month"]),
        (["0", "0"], ["0", "0"], ["2015", "2015"], ["year", "year"]),
    ],
)
def test_year_month_day_columns_all_at_one_precision(month, day, iso, precision):
    # A table whose every row has a day (no month- or year-only row) once failed outright.
    got = read_year_month_day(pd.Series(["2015", "2015"]), pd.Series(month), pd.Series(day))
    assert got[0].tolist() == iso
    assert got[1].tolist() == precision


def test_a_million_rows_are_read_once_per_distinct_value():
    days = pd.date_range("2000-01-01", periods=1000).strftime("%-m/%-d/%Y")
    values = pd.Series(list(days) * 200)
    col = read_dates(values)
    assert col.iso.iloc[999] == "2002-09-26" and col.iso.iloc[1999] == "2002-09-26"


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("12", 12, 12),
        ("12.0", 12, 12),
        ("12-15", 12, 15),
        ("12 to 15", 12, 15),
        ("at least 7", 7, None),
        ("7+", 7, None),
        ("over 80", 80, None),
        ("1,200", 1200, 1200),
        ("", None, None),
        ("unknown", None, None),
    ],
)
def test_figures_with_their_qualifier(text, low, high):
    lo, hi, why = read_figures(pd.Series([text]))
    assert (None if pd.isna(lo[0]) else lo[0], None if pd.isna(hi[0]) else hi[0]) == (low, high)
    assert why[0] == ""


@pytest.mark.parametrize("text", ["about 10", "-3", "15-12", "a dozen"])
def test_figures_never_guessed(text):
    lo, _, why = read_figures(pd.Series([text]))
    assert pd.isna(lo[0]) and why[0]


def test_province_spellings_and_an_unknown_one():
    names, unknown = province_names(pd.Series(["KPK", "Capital", "Baluchistan", "Sind", "Mars"]))
    assert names.tolist() == ["Khyber Pakhtunkhwa", "Islamabad", "Balochistan", "Sindh", "Mars"]
    assert unknown.tolist() == [False, False, False, False, True]


# --- bad input: one line each ---------------------------------------------------------


def test_column_naming_a_missing_header_suggests_the_closest():
    with pytest.raises(UsageError, match=r"has no column 'Villag'; did you mean 'village'\?"):
        import_table(FIX / "strikes.csv", columns={"place": "Villag"})


def test_two_fields_mapped_to_one_header():
    with pytest.raises(UsageError, match=r"fields 'place' and 'district' both name column"):
        import_table(FIX / "strikes.csv", columns={"place": "village", "district": "village"})


def test_column_naming_an_unknown_field():
    with pytest.raises(UsageError, match=r"no field 'plaec' \(did you mean 'place'\?\)"):
        import_table(FIX / "strikes.csv", columns={"plaec": "village"})


def test_failed_detection_names_the_missing_fields_and_flags(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("when,where,n\n2024-01-01,Quetta,3\n", encoding="utf-8")
    with pytest.raises(
        InputError, match=r"holds the date and the place .*--column date=HEADER.*--column place="
    ):
        import_table(path)
    result = import_table(path, columns={"date": "when", "place": "where", "killed": "n"})
    assert result.incidents["place"].tolist() == ["Quetta"]
    assert result.claims["low"].tolist() == [3]


def test_corrupt_workbook(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match=r"broken.xlsx: not a readable workbook"):
        import_table(path)


def test_password_protected_workbook(tmp_path):
    # An encrypted .xlsx is a compound file holding an 'EncryptedPackage' stream.
    path = tmp_path / "locked.xlsx"
    name = "EncryptedPackage".encode("utf-16-le")
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + name + bytes(1000))
    with pytest.raises(InputError, match=r"locked.xlsx: the workbook is password-protected"):
        import_table(path)


def test_sheet_given_for_a_csv():
    with pytest.raises(InputError, match=r"--sheet 'Log' given, but this is not a workbook"):
        import_table(FIX / "strikes.csv", sheet="Log")


@pytest.mark.parametrize(
    ("doc", "found"),
    [
        ({"type": "Feature", "geometry": None, "properties": {}}, "'Feature'"),
        ([1, 2], "'list'"),
    ],
)
def test_geojson_that_is_not_a_feature_collection(tmp_path, doc, found):
    path = tmp_path / "x.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(InputError, match=rf"expected a GeoJSON FeatureCollection, found {found}"):
        import_table(path)


def test_mixed_date_formats_in_a_file_are_refused_naming_the_rows(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text("date,city\n13/02/2020,Quetta\n02/14/2020,Gwadar\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"mixed.csv: column 'date' mixes .*row 2.*row 3"):
        import_table(path)


def test_an_unsettled_date_order_suggests_formats_written_as_the_column_is(tmp_path):
    path = tmp_path / "dots.csv"
    path.write_text("date,city\n01.02.2026,Quetta\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"give --date-format %d\.%m\.%Y or %m\.%d\.%Y$"):
        import_table(path)


def test_excel_unicode_text_export_is_imported(tmp_path):
    # UTF-16 with a byte order mark, tab-separated: what Excel's "Unicode text" writes.
    path = tmp_path / "export.txt"
    path.write_text("Date\tPlace\tKilled\n2026-01-31\tDālbandīn\t2\n", encoding="utf-16")
    out = tmp_path / "out"
    assert main(["import", "table", str(path), "-o", str(out)]) == 0
    incidents = pd.read_csv(out / "incidents.csv", dtype=str)
    assert incidents.loc[0, ["date", "place"]].tolist() == ["2026-01-31", "Dālbandīn"]


def test_the_import_says_where_rows_without_coordinates_get_placed(tmp_path, capsys):
    path = tmp_path / "names.csv"
    path.write_text("date,place\n2026-01-30,Gwadar\n2026-01-31,Panjgur\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["import", "table", str(path), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "2 incidents name a place without coordinates: the gazetteer places them" in err
    assert main(["validate", str(out)]) == 0
    assert "2 rows: 2 placed, 0 kept but unplaced, 0 rejected" in capsys.readouterr().err


def test_gtd_import_of_a_table_that_is_not_gtd():
    with pytest.raises(InputError, match=r"not a GTD extract: no column eventid, iyear"):
        import_gtd(FIX / "strikes.csv")


# --- the command line --------------------------------------------------------------


def test_cli_import_table_prints_and_records_the_mapping(capsys, tmp_path):
    out = tmp_path / "ds"
    status = main(
        [
            "import",
            "table",
            str(FIX / "suicide_attacks.csv"),
            "-o",
            str(out),
            "--event-type",
            "Suicide bomb",
            "--column",
            "place=Location",
        ]
    )
    err = capsys.readouterr().err
    assert status == 1  # one row rejected
    assert "place <- 'Location'" in err and "latitude <- 'Latitude'" in err
    meta = json.loads((out / "dataset.json").read_text(encoding="utf-8"))
    assert meta["columns"]["place"] == "Location" and meta["columns"]["killed_low"] == "Killed Min"
    assert main(["validate", str(out)]) == 0


def test_cli_bad_column_flag_is_one_line_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["import", "table", str(FIX / "strikes.csv"), "-o", "x", "--column", "place"])
    assert exit_.value.code == 2
    assert "expected FIELD=HEADER" in capsys.readouterr().err


def test_cli_unknown_claimant_side(capsys, tmp_path):
    argv = ["import", "table", str(FIX / "strikes.csv"), "-o", str(tmp_path / "d")]
    assert main([*argv, "--claimant-side", "army"]) == 2
    assert "--claimant-side 'army': expected one of state" in capsys.readouterr().err


def test_dates_module_reads_a_date_object_column_text():
    # Spreadsheet and Parquet readers hand over ISO text; it reads as any other.
    assert read_dates(pd.Series([date(2024, 1, 2).isoformat()])).iso[0] == "2024-01-02"


# --- map and validate read any table import reads ------------------------------------


def test_validate_a_table_says_what_it_detected_and_lists_refused_rows(capsys):
    status = main(["validate", str(FIX / "strikes.csv")])
    out, err = capsys.readouterr()
    assert status == 1  # one row's date does not exist
    assert "read as CSV; dates 'date': numeric dates month first" in err
    assert "strikes.csv:5: column 'date': no such date '2/30/2009'" in out


def test_validate_a_gtd_file_passes(capsys):
    assert main(["validate", str(FIX / "gtd.geojson")]) == 0
    assert "read as GTD extract (GeoJSON" in capsys.readouterr().err


def test_validate_a_table_whose_columns_are_not_detected_names_the_flags(capsys, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("when,where\n2024-01-01,Quetta\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "could not tell which column holds the date and the place" in err
    assert "--column date=HEADER" in err
    assert main(["validate", str(path), "--column", "date=when", "--column", "place=where"]) == 0


def test_map_of_a_spreadsheet_like_table(capsys, tmp_path):
    out = tmp_path / "m.html"
    args = ["--tiles", "none", "--event-type", "Suicide bomb"]
    status = main(["map", str(FIX / "suicide_attacks.csv"), "-o", str(out), *args])
    captured = capsys.readouterr()
    assert status == 1  # the row with an unreadable date is refused, the rest drawn
    assert "suicide_attacks.csv:8: column 'Date': not a date 'sometime in 2011'" in captured.err
    assert "Map written to" in captured.out and ": 7 incidents" in captured.out


def test_part_of_must_name_a_claim_of_the_file(tmp_path, gaz):
    out = write_dataset(import_table(FIX / "strikes.csv"), tmp_path / "ds")
    claims = (out / "claims.csv").read_text(encoding="utf-8")
    (out / "claims.csv").write_text(
        claims.replace(",S1-killed-total\n", ",S1-killed-totl\n", 1), encoding="utf-8"
    )
    _, problems = check_dataset(out, gazetteer=gaz)
    assert [(p.column, p.value) for p in problems] == [("part_of", "S1-killed-totl")]
    assert "not a claim_id in claims.csv" in problems[0].message


def test_gtd_workbook_reads_as_the_csv_does(tmp_path):
    rows = pd.read_csv(FIX / "gtd.csv", dtype=str, keep_default_na=False)
    path = tmp_path / "gtd.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Data")
    sheet.write_row(0, 0, list(rows.columns))
    for r, values in enumerate(rows.itertuples(index=False), start=1):
        for c, v in enumerate(values):
            # GTD workbooks hold numbers as numbers: 2015.0 must read as 2015.
            if v.replace(".", "", 1).isdigit() and rows.columns[c] != "eventid":
                sheet.write_number(r, c, float(v))
            else:
                sheet.write_string(r, c, v)
    book.close()
    from_xlsx = import_gtd(path)
    from_csv = import_gtd(FIX / "gtd.csv")
    cols = ["incident_id", "date", "date_precision", "location_precision", "status"]
    assert from_xlsx.incidents[cols].equals(from_csv.incidents[cols])
    # A number cell has no written form: 26.0 in the CSV is the number 26 in the sheet.
    lat = [pd.to_numeric(r.incidents["latitude"]).tolist() for r in (from_xlsx, from_csv)]
    assert lat[0][:3] == lat[1][:3] == [30.18, 26.0, 34.0]
    assert from_xlsx.claims["low"].tolist() == from_csv.claims["low"].tolist()


def test_a_header_without_rows_is_refused(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("date,city\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"t.csv: no rows: the file has a header but nothing"):
        import_table(path)


def test_column_override_naming_a_repeated_header_takes_every_copy(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("when,city,Ref,Ref\n2024-01-01,Quetta,a,b\n", encoding="utf-8")
    result = import_table(path, columns={"date": "when", "sources": "ref"})
    assert result.columns["sources"] == ["Ref", "Ref"]
    assert result.incidents["sources"].tolist() == ["a; b"]


@pytest.mark.parametrize(
    ("attack", "suicide", "target", "weapon", "types"),
    [
        (
            "Bombing/Explosion",
            "1",
            "Police",
            "Explosives",
            ("Explosions/Remote violence", "Suicide bomb"),
        ),
        (
            "Bombing/Explosion",
            "0",
            "Police",
            "Explosives",
            ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
        ),
        ("Armed Assault", "0", "Military", "Firearms", ("Battles", "Armed clash")),
        ("Armed Assault", "0", "Business", "Firearms", ("Violence against civilians", "Attack")),
        (
            "Hostage Taking (Kidnapping)",
            "0",
            "Business",
            "Firearms",
            ("Violence against civilians", "Abduction/forced disappearance"),
        ),
        (
            "Unknown",
            "0",
            "Unknown",
            "Explosives",
            ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
        ),
        ("Unknown", "0", "Unknown", "Firearms", ("Strategic developments", "Other")),
    ],
)
def test_gtd_attack_types_by_the_documented_table(attack, suicide, target, weapon, types):
    from mapper.importers.events import gtd_event_types

    etype, sub, known = gtd_event_types(
        pd.Series([attack]), pd.Series([suicide]), pd.Series([target]), pd.Series([weapon])
    )
    assert (etype[0], sub[0]) == types and known[0]


def test_geopackage_points_and_a_line(tmp_path):
    import geopandas as gpd
    from shapely.geometry import LineString, Point

    frame = gpd.GeoDataFrame(
        {"date": ["2024-01-02", "2024-01-03"], "city": ["Quetta", "Along the N25"]},
        geometry=[Point(67.0, 30.18), LineString([(66.0, 29.0), (66.5, 29.6)])],
        crs="EPSG:4326",
    )
    path = tmp_path / "layer.gpkg"
    frame.to_file(path)
    result = import_table(path)
    inc = result.incidents
    assert inc["latitude"].tolist()[0] == "30.18" and inc["longitude"].tolist()[0] == "67.0"
    assert inc["location_precision"].tolist() == ["", "district"]  # a line ~80 km long
    assert "LineString; its representative point is used" in result.report.at[1, "reason"]
    assert statuses(result) == {1: "placed", 2: "placed"}


def test_shapefile_points(tmp_path):
    import geopandas as gpd
    from shapely.geometry import Point

    frame = gpd.GeoDataFrame(
        {"date": ["2024-01-02"], "city": ["Gwadar"], "killed": ["3"]},
        geometry=[Point(62.33, 25.12)],
        crs="EPSG:4326",
    )
    frame.to_file(tmp_path / "layer.shp")
    result = import_table(tmp_path / "layer.shp")
    assert result.incidents[["latitude", "longitude"]].values.tolist() == [["25.12", "62.33"]]
    assert result.claims["low"].tolist() == [3]
