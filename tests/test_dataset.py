"""Reading datasets: places resolved or kept, every row accounted for, broken files refused."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from mapper.dataset import read_dataset, read_datasets
from mapper.errors import InputError
from mapper.gazetteer import Gazetteer
from mapper.schema import INCIDENT_COLUMNS, PLACEMENT_COLUMNS

FIX = Path(__file__).parent / "fixtures" / "datasets"
HEADER = "incident_id,date,place,latitude,longitude,event_type\n"


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.from_files([FIX / "gazetteer.csv"], include_default=False)


@pytest.fixture(scope="module")
def good(gaz):
    return read_dataset(FIX / "good", gazetteer=gaz)


def test_every_row_of_every_file_is_in_the_report(good):
    per_table = good.report.groupby("table").size().to_dict()
    assert per_table == {"incidents": 5, "operations": 2, "claims": 6}
    assert good.counts() == {"placed": 12, "unplaced": 1, "rejected": 0}


def test_incident_columns_follow_the_schema(good):
    assert list(good.incidents.columns) == [*INCIDENT_COLUMNS, *PLACEMENT_COLUMNS, "geometry"]
    assert str(good.incidents["date"].dtype).startswith("datetime64")
    assert good.incidents.crs.to_epsg() == 4326
    assert str(good.claims["low"].dtype) == "Int64"


def test_given_coordinates_win_over_the_gazetteer(good):
    row = good.incidents.set_index("incident_id").loc["g2"]
    assert (row["latitude"], row["longitude"]) == (30.2, 67.0)
    assert row["location_source"] == "coordinates given"
    assert row["location_precision"] == "near"


def test_names_resolve_through_the_gazetteer_keeping_the_given_precision(good):
    inc = good.incidents.set_index("incident_id")
    assert inc.loc["g1", "latitude"] == pytest.approx(26.97186)
    assert (
        inc.loc["g1", "location_precision"] == "district"
    )  # given wins over the gazetteer's exact
    assert inc.loc["g4", "location_precision"] == "exact"  # none given: the gazetteer's
    assert inc.loc["g4", "province"] == "Balochistan"  # hint filled in from the match
    assert inc.loc["g3", "matched_name"] == "Nushki" and inc.loc["g3", "match_type"] == "alias"


def test_an_unknown_place_is_kept_unplaced_with_suggestions(good):
    inc = good.incidents.set_index("incident_id")
    assert inc.loc["g5", "placement"] == "unplaced"
    assert inc.loc["g5", "geometry"] is None
    rep = good.report.set_index("record_id").loc["g5"]
    assert rep["status"] == "unplaced"
    assert "'Khuzdarr' not found in the gazetteer" in rep["reason"]


def test_dates_keep_their_precision_as_the_first_day(good):
    inc = good.incidents.set_index("incident_id")
    assert inc.loc["g4", "date"] == pd.Timestamp("2025-03-01")
    assert inc.loc["g4", "date_precision"] == "month"
    assert inc.loc["g5", "date"] == pd.Timestamp("2025-01-01")
    assert inc.loc["g3", "date_end"] == pd.Timestamp("2026-02-01")


def test_claims_about_placed_operations_count_as_placed(good):
    rep = good.report[good.report["table"] == "claims"]
    assert set(rep["status"]) == {"placed"}


def test_a_claim_about_a_rejected_incident_is_rejected_too(tmp_path, gaz):
    (tmp_path / "incidents.csv").write_text(HEADER + "i1,2026-01-31,Quetta,,,Batles\n")
    (tmp_path / "claims.csv").write_text(
        "claim_id,incident_id,claimant,subject,outcome,low,source\nc1,i1,ISPR,militants,killed,3,T\n"
    )
    ds = read_dataset(tmp_path, gazetteer=gaz)
    rep = ds.report.set_index("record_id")
    assert rep.loc["c1", "status"] == "rejected"
    assert "which was rejected (line 2" in rep.loc["c1", "reason"]
    assert len(ds.claims) == 0


def test_a_single_incidents_csv_is_a_dataset(tmp_path, gaz):
    f = tmp_path / "events.csv"
    f.write_text(HEADER + "i1,2026-01-31,Gwadar,,,Battles\n")
    ds = read_dataset(f, gazetteer=gaz)
    assert ds.name == "events" and len(ds.incidents) == 1 and len(ds.claims) == 0


def test_the_bundled_dataset_is_read_by_default():
    ds = read_dataset()
    assert ds.counts()["rejected"] == 0
    assert len(ds.incidents) > 10
    assert any("GeoNames" in a for a in ds.attribution)


def test_read_datasets_merges_and_rejects_ids_already_taken(tmp_path, gaz):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text(HEADER + "i1,2026-01-31,Gwadar,,,Battles\n")
    b.write_text(HEADER + "i1,2026-02-01,Quetta,,,Battles\ni2,2026-02-01,Quetta,,,Battles\n")
    ds = read_datasets([a, b], gazetteer=gaz)
    assert list(ds.incidents["incident_id"]) == ["i1", "i2"]
    assert ds.incidents.iloc[0]["place"] == "Gwadar"
    dup = ds.report[(ds.report["file"] == str(b)) & (ds.report["record_id"] == "i1")]
    assert dup["status"].tolist() == ["rejected"]
    assert "already used in" in dup["reason"].iloc[0]


# --- hostile and broken files: one clear error, never a traceback ------------------


def test_random_bytes_are_refused(tmp_path):
    f = tmp_path / "incidents.csv"
    f.write_bytes(os.urandom(2048).replace(b"\x00", b"\x01") + b"\x00")
    with pytest.raises(InputError, match="binary file"):
        read_dataset(f)


def test_random_text_lacks_the_required_columns(tmp_path):
    f = tmp_path / "incidents.csv"
    # Printable noise (no quote character): text, but not a table we know.
    noise = bytes(b for b in range(32, 127) if b != ord('"')) + "é\n".encode()
    f.write_bytes(noise * 4)
    with pytest.raises(
        InputError, match=r"missing required columns? .*for the incidents table; found columns"
    ):
        read_dataset(f)


def test_an_empty_file_is_refused(tmp_path):
    f = tmp_path / "incidents.csv"
    f.write_text("\n  \n")
    with pytest.raises(InputError, match="empty file, expected a header line naming incident_id"):
        read_dataset(f)


def test_a_header_only_file_reads_as_no_incidents(tmp_path, gaz):
    f = tmp_path / "incidents.csv"
    f.write_text(HEADER)
    ds = read_dataset(f, gazetteer=gaz)
    assert len(ds.incidents) == 0 and len(ds.report) == 0


@pytest.mark.parametrize("sep", [";", "\t"])
def test_semicolon_and_tab_separated_files_are_read(tmp_path, gaz, sep):
    f = tmp_path / "incidents.csv"
    f.write_text(
        HEADER.replace(",", sep)
        + sep.join(["i1", "2026-01-31", "Gwadar", "", "", "Battles"])
        + "\n"
    )
    ds = read_dataset(f, gazetteer=gaz)
    assert ds.incidents["place"].tolist() == ["Gwadar"]


def test_a_pipe_separated_file_gets_a_hint_about_delimiters(tmp_path):
    f = tmp_path / "incidents.csv"
    f.write_text("incident_id|date|event_type\ni1|2026-01-31|Battles\n")
    with pytest.raises(InputError, match="separated by commas, semicolons or tabs"):
        read_dataset(f)


def test_cp1252_text_is_decoded(tmp_path, gaz):
    f = tmp_path / "incidents.csv"
    f.write_bytes(
        (HEADER + "i1,2026-01-31,Gwadar,,,Battles,\n").replace(",\n", "\n").encode()
        + "i2,2026-01-31,Quetta – caf\u00e9 road,30.1,67.0,Battles\n".encode("cp1252")
    )
    ds = read_dataset(f, gazetteer=gaz)
    assert ds.incidents["place"].tolist() == ["Gwadar", "Quetta – café road"]


def test_utf8_with_byte_order_mark_and_long_vowels(tmp_path, gaz):
    f = tmp_path / "incidents.csv"
    f.write_bytes(
        b"\xef\xbb\xbf"
        + (HEADER + "i1,2026-01-31,D\u0101lband\u012bn,28.9,64.4,Battles\n").encode()
    )
    ds = read_dataset(f, gazetteer=gaz)
    assert ds.incidents["incident_id"].tolist() == ["i1"]
    assert ds.incidents["place"].tolist() == ["Dālbandīn"]


def test_broken_quoting_names_the_line(tmp_path):
    f = tmp_path / "incidents.csv"
    f.write_text(HEADER + 'i1,2026-01-31,Gwadar,,,Battles\ni2,2026-01-31,"Quetta,,,Battles\n')
    with pytest.raises(InputError, match=r"incidents.csv:\d+: broken CSV quoting"):
        read_dataset(f)


def test_duplicate_header_names_are_refused(tmp_path):
    f = tmp_path / "incidents.csv"
    f.write_text("incident_id,date,date,event_type\n")
    with pytest.raises(InputError, match="column 'date' appears twice"):
        read_dataset(f)


def test_a_directory_without_incidents_is_refused(tmp_path):
    with pytest.raises(InputError, match=r"expected incidents\.csv in it"):
        read_dataset(tmp_path)


def test_a_missing_path_is_refused(tmp_path):
    with pytest.raises(InputError, match="no such file or directory"):
        read_dataset(tmp_path / "nope")


def test_broken_dataset_json_is_refused(tmp_path):
    (tmp_path / "incidents.csv").write_text(HEADER)
    (tmp_path / "dataset.json").write_text('{"name": ')
    with pytest.raises(InputError, match=r"dataset.json:1: not valid JSON"):
        read_dataset(tmp_path)


def test_an_indicator_about_a_whole_country_counts_as_placed(tmp_path, gaz):
    (tmp_path / "incidents.csv").write_text(HEADER + "i1,2026-01-31,Gwadar,,,Battles\n")
    (tmp_path / "indicators.csv").write_text(
        "indicator_id,area,indicator,value,unit,source\n"
        "n1,Pakistan,poverty,38.8,%,UNDP via a news post\n"
        "n2,Atlantis,poverty,12,%,a made-up source\n"
    )
    ds = read_dataset(tmp_path, gazetteer=gaz)
    rows = ds.report[ds.report["table"] == "indicators"].set_index("record_id")
    assert rows.loc["n1", "status"] == "placed"
    assert rows.loc["n2", "status"] == "unplaced"
    assert "'Atlantis' not found" in rows.loc["n2", "reason"]
    assert list(ds.indicators["indicator_id"]) == ["n1", "n2"]
