from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import numpy as np
import pytest

from mapper import cli
from mapper.errors import InputError, UsageError
from mapper.gazetteer import Gazetteer, read_gazetteer_csv, write_gazetteer_csv
from mapper.gazetteer.sources.learned import (
    CLUSTER_KM,
    LEARN_REPORT_COLUMNS,
    detect_layout,
    learn_gazetteer,
)

FIXTURES = Path(__file__).parent / "fixtures" / "learn"
ACLED, UCDP, GTD = FIXTURES / "acled.csv", FIXTURES / "ucdp.csv", FIXTURES / "gtd.csv"


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def data_rows(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines()) - 1


def places(result, name: str):
    return [p for p in result.rows if p.name == name]


def write_table(path: Path, rows: list[tuple[str, float, float]], *, header="place,lat,lon"):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header.split(","))
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def learn_plain(path: Path, **kw):
    return learn_gazetteer([path], name_column="place", lat_column="lat", lon_column="lon", **kw)


@pytest.fixture(scope="module")
def learned():
    return learn_gazetteer([ACLED, UCDP, GTD])


# --- layouts ------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "layout"), [(ACLED, "ACLED"), (UCDP, "UCDP GED"), (GTD, "GTD")])
def test_each_layout_is_recognised_by_its_columns(path, layout):
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert detect_layout(header) == layout
    assert detect_layout([h.upper() for h in header]) == layout
    assert learn_gazetteer([path]).layouts == {str(path): layout}


def test_a_table_in_no_known_layout_is_not_guessed():
    assert detect_layout(["place", "lat", "lon", "dist"]) is None
    # ACLED's name column without its precision column is not enough.
    assert detect_layout(["location", "latitude", "longitude"]) is None


def test_explicit_columns_read_a_table_in_no_known_layout(learned):
    result = learn_gazetteer(
        [FIXTURES / "custom.csv"],
        name_column="place",
        lat_column="lat",
        lon_column="lon",
        district_column="dist",
    )
    (gichk,) = result.rows
    # "near Gichk" and "Gichk area" join "Gichk"; the exact row alone fixes the point.
    assert (gichk.name, gichk.latitude, gichk.longitude) == ("Gichk", 26.5, 64.0)
    assert (gichk.support_rows, gichk.precision, gichk.district) == (3, "exact", "Panjgur")
    assert result.layouts == {str(FIXTURES / "custom.csv"): "columns given"}


def test_an_explicit_column_overrides_the_layouts(tmp_path):
    path = tmp_path / "acled.csv"
    text = ACLED.read_text(encoding="utf-8").replace(",source\n", ",site\n", 1)
    path.write_text(text, encoding="utf-8")
    # Learn from the "site" (source) column as if it held the place names.
    result = learn_gazetteer([path], name_column="site")
    assert sorted({p.name for p in result.rows}) == ["Balochistan", "Paper A", "Paper B", "Paper C"]


# --- names, consensus, clusters ----------------------------------------------------------


def test_suffix_normalisation_joins_names_across_sources(learned):
    (turbat,) = places(learned, "Turbat")
    # Two ACLED "Turbat", two UCDP "Turbat town", one GTD "Turbat": one place, three sources.
    assert (turbat.support_rows, turbat.support_sources) == (5, 3)
    rep = learned.report
    assert set(rep.loc[rep["name"] == "Turbat town", "learned_as"]) == {
        "Turbat (Kech, Balochistan)"
    }
    assert not places(learned, "Turbat town")
    # UCDP's "Balochistan province" / "Kech district" are the same names as ACLED's.
    assert {p.province for p in learned.rows} == {"Balochistan"}
    assert turbat.district == "Kech"


def test_an_outlier_does_not_move_the_consensus(learned):
    (buleda,) = places(learned, "Buleda")
    # Six rows within 200 m of 26.31, 63.13; the seventh, 65 km east, is set aside.
    assert km(buleda.latitude, buleda.longitude, 26.31, 63.13) < 0.2
    assert buleda.support_rows == 6 and buleda.spread_km < 0.5
    rep = learned.report
    outlier = rep[(rep["file"] == str(ACLED)) & (rep["line"] == 6)].iloc[0]
    assert outlier["status"] == "set aside"
    assert outlier["reason"].startswith("outlier: 65 km from the 6 rows")


@pytest.mark.parametrize("offset", [0.5, 2.0, 20.0])
def test_far_rows_leave_the_consensus_where_the_majority_puts_it(tmp_path, offset):
    rows = [("Kolwa", 26.0 + d, 64.5 - d) for d in (0.0, 0.001, -0.001, 0.002, -0.002)]
    rows.append(("Kolwa", 26.0 + offset, 64.5 + offset))  # one far row, any distance
    (kolwa,) = learn_plain(write_table(tmp_path / "t.csv", rows)).rows
    assert km(kolwa.latitude, kolwa.longitude, 26.0, 64.5) < 0.05
    assert kolwa.support_rows == 5


def test_the_consensus_is_a_median_not_a_mean(tmp_path):
    # Within one cluster (all rows < 25 km apart) a skewed spread must not drag the point.
    rows = [("Gichk", 26.5, 64.0)] * 3 + [("Gichk", 26.5, 64.15)] * 2
    (gichk,) = learn_plain(write_table(tmp_path / "t.csv", rows)).rows
    assert (gichk.latitude, gichk.longitude) == (26.5, 64.0)
    assert gichk.support_rows == 5
    assert gichk.spread_km == 0.0  # the median distance of the five rows


def test_two_far_apart_clusters_stay_two_candidates(learned):
    dasht = places(learned, "Dasht")
    by_district = {p.district: p for p in dasht}
    assert sorted(by_district) == ["Kech", "Mastung"]
    assert km(by_district["Kech"].latitude, by_district["Kech"].longitude, 25.95, 62.35) < 0.5
    assert km(by_district["Mastung"].latitude, by_district["Mastung"].longitude, 29.95, 66.95) < 0.5
    assert (by_district["Kech"].support_rows, by_district["Mastung"].support_rows) == (3, 4)


def test_a_small_far_cluster_of_a_well_supported_name_is_set_aside(tmp_path):
    rows = [("Hoshab", 26.01, 63.89)] * 60 + [("Hoshab", 27.5, 66.0)] * 2
    result = learn_plain(write_table(tmp_path / "t.csv", rows))
    assert [(p.latitude, p.support_rows) for p in result.rows] == [(26.01, 60)]
    reasons = result.report.loc[result.report["status"] == "set aside", "reason"]
    assert len(reasons) == 2
    assert reasons.str.contains("2 rows here: too few to stand as a second place").all()


@pytest.mark.parametrize(
    ("stray_district", "second_place"),
    [
        ("Loralai", False),  # Duki was carved out of Loralai: an older row names the parent
        ("Kech", True),  # another district altogether: a second place of that name
    ],
)
def test_a_stray_row_naming_the_parent_district_is_an_outlier_not_a_second_place(
    tmp_path, stray_district, second_place
):
    rows = [("Tangai", 30.15, 68.57, "Duki")] * 40 + [("Tangai", 30.51, 68.58, stray_district)]
    path = write_table(tmp_path / "t.csv", rows, header="place,lat,lon,district")
    result = learn_plain(path, district_column="district")
    assert len(result.rows) == (2 if second_place else 1)
    stray = result.report[result.report["line"] == 42].iloc[0]
    assert (stray["status"] == "learned") == second_place


def test_district_hint_picks_the_right_cluster_through_a_learned_gazetteer(tmp_path, capsys):
    out = tmp_path / "learned.csv"
    assert cli.main(["gazetteer", "learn", str(ACLED), str(UCDP), "-o", str(out)]) == 0
    g = Gazetteer.default().with_files(out)
    kech = g.resolve("Dasht", district="Kech")
    mastung = g.resolve("Dasht", district="Mastung district")
    assert km(kech.latitude, kech.longitude, 25.95, 62.35) < 0.5 and not kech.ambiguous
    assert km(mastung.latitude, mastung.longitude, 29.95, 66.95) < 0.5
    assert g.resolve("Dasht").ambiguous  # no hint: both are still in the running


# --- coarse rows ----------------------------------------------------------------------------


def test_district_level_rows_are_learned_as_districts_not_as_exact_towns(learned):
    # UCDP where_prec 3 rows "Hoshab village" and "Kolwa village" carry Kech's centroid.
    assert not places(learned, "Hoshab") and not places(learned, "Kolwa")
    (kech,) = places(learned, "Kech")
    assert (kech.kind, kech.precision, kech.support_rows) == ("district", "district", 2)
    rep = learned.report
    hoshab = rep[rep["name"] == "Hoshab village"].iloc[0]
    assert hoshab["reason"] == "district-level coordinate: learned as district Kech"
    # GTD has no district column: specificity 3 "Mastung" is learned as a district by its name.
    (mastung,) = places(learned, "Mastung")
    assert (mastung.kind, mastung.precision) == ("district", "district")
    # ACLED geo_precision 3 and GTD specificity 4 are province-level.
    (prov,) = places(learned, "Balochistan")
    assert (prov.kind, prov.precision, prov.support_rows) == ("province", "province", 2)
    assert all(p.precision in ("exact", "near") for p in learned.rows if p.kind == "place")


def gtd_rows(rows: list[tuple[str, float, float, int]]) -> str:
    head = "eventid,iyear,imonth,iday,country_txt,provstate,city,latitude,longitude,specificity"
    lines = [head] + [
        f"2016010100{i:02d},2016,1,1,{country},Balochistan,{city},{lat},{lon},{spec}"
        for i, (city, lat, lon, spec, country) in enumerate(rows)
    ]
    return "\n".join(lines) + "\n"


def test_a_district_level_row_without_a_district_column_is_learned_where_its_point_lies(
    tmp_path,
):
    from mapper.areas import Areas

    areas = Areas.bundled()
    chagai = areas.lookup("Chagai", level="district").geometry.representative_point()
    kandahar = (31.61, 65.71)  # in Afghanistan: no bundled district holds it
    path = tmp_path / "gtd.csv"
    path.write_text(
        gtd_rows(
            [
                # An older row names Nushki (once part of Chagai) with Chagai's centroid.
                ("Nushki", round(chagai.y, 5), round(chagai.x, 5), 3, "Pakistan"),
                ("Nushki", 29.5522, 66.0229, 1, "Pakistan"),
                ("Nushki", 29.5531, 66.0240, 1, "Pakistan"),
                ("Nushki", 29.5511, 66.0215, 1, "Pakistan"),
                ("Kandahar", *kandahar, 3, "Afghanistan"),
            ]
        ),
        encoding="utf-8",
    )
    result = learn_gazetteer([path])
    assert [(p.kind, p.district) for p in places(result, "Nushki")] == [("place", "Nushki")]
    (district,) = places(result, "Chagai")
    assert (district.kind, district.support_rows) == ("district", 1)
    reason = result.report.loc[result.report["line"] == 2, "reason"].item()
    assert reason == (
        "district-level coordinate: learned as district Chagai, where its point lies "
        "(the table names no district)"
    )
    # Outside the bundled districts a row keeps its own name, as a district.
    assert [p.kind for p in places(result, "Kandahar")] == ["district"]
    # Through the learned table, "Nushki town" with an older table's hint (Chagai) is the town.
    write_gazetteer_csv(result.rows, tmp_path / "g.csv")
    gaz = Gazetteer.default().with_files(tmp_path / "g.csv")
    m = gaz.resolve("Nushki town", district="Chagai")
    assert km(m.latitude, m.longitude, 29.5522, 66.0229) < 1


def test_a_name_that_says_town_passes_a_learned_district_for_a_town_below(tmp_path):
    path = tmp_path / "gtd.csv"
    # Three rows give Chagai district's point (at Dalbandin) under Chagai's name.
    path.write_text(gtd_rows([("Chagai", 28.8885, 64.4062, 3, "Pakistan")] * 3), encoding="utf-8")
    result = learn_gazetteer([path])
    write_gazetteer_csv(result.rows, tmp_path / "g.csv")
    gaz = Gazetteer.default().with_files(tmp_path / "g.csv")
    assert "learned" in gaz.resolve("Chagai").source
    town = gaz.resolve("Chagai town")
    # The curated overlay's small town of Chagai, 50 km from the district's headquarters.
    assert town.kind == "town"
    assert km(town.latitude, town.longitude, 29.2977, 64.7067) < 1


def test_country_level_rows_and_hxl_tag_rows_are_set_aside(tmp_path):
    path = tmp_path / "ged.csv"
    lines = UCDP.read_text(encoding="utf-8").splitlines()
    hxl = "#id,#date+year,,#country,#adm1,#adm2,#loc,#meta+prec,#geo+lat,#geo+lon,#date+start,"
    path.write_text("\n".join([lines[0], hxl, *lines[1:]]) + "\n", encoding="utf-8")
    rep = learn_gazetteer([path]).report
    assert rep.loc[rep["line"] == 2, "reason"].item() == "HXL hashtag row (column tags, not data)"
    pakistan = rep[rep["name"] == "Pakistan"].iloc[0]
    assert (pakistan["status"], pakistan["reason"]) == (
        "set aside",
        "country-level coordinate: says nothing about where the place is",
    )


def test_a_near_place_is_learned_as_near(learned):
    (zamuran,) = places(learned, "Zamuran")
    assert zamuran.precision == "near"


# --- the account of every row, and errors ------------------------------------------------------


def test_every_input_row_is_accounted_for_once(learned):
    rep = learned.report
    assert list(rep.columns) == list(LEARN_REPORT_COLUMNS)
    for path in (ACLED, UCDP, GTD):
        lines = rep.loc[rep["file"] == str(path), "line"].tolist()
        assert lines == list(range(2, data_rows(path) + 2))
    assert learned.counts == {
        "learned": 26,
        "set aside": 2,
        "rejected": 1,
        "rows": 29,
        "places": len(learned.rows),
    }
    supported = sum(p.support_rows for p in learned.rows)
    assert supported == learned.counts["learned"]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (3, "column 'location': expected a place name, got an empty value"),
        (4, "column 'latitude': expected decimal degrees between -90 and 90, got 'abc'"),
        (5, "column 'latitude': expected decimal degrees between -90 and 90, got '95'"),
        (6, "column 'latitude': 0, 0 is a placeholder, not a place"),
        (7, "column 'geo_precision': expected one of 1, 2, 3, exact, near"),
        (8, "column 'latitude': point (63.0485, 26.0012) lies outside PK"),
        (9, "expected 10 fields as in the header, found 8"),
    ],
)
def test_bad_rows_are_rejected_with_line_column_and_reason(line, reason):
    rep = learn_gazetteer([FIXTURES / "bad_rows.csv"]).report
    row = rep[rep["line"] == line].iloc[0]
    assert row["status"] == "rejected"
    assert row["reason"].startswith(reason)


def test_gtd_unknown_city_is_rejected_not_learned(learned):
    rep = learned.report
    row = rep[(rep["file"] == str(GTD)) & (rep["name"] == "Unknown")].iloc[0]
    assert row["status"] == "rejected" and "placeholder" in row["reason"]
    assert not places(learned, "Unknown")


def test_a_table_in_no_known_layout_is_a_one_line_error_naming_columns_and_flags():
    with pytest.raises(InputError, match=r"custom\.csv:1: expected the columns of an ACLED") as err:
        learn_gazetteer([FIXTURES / "custom.csv"])
    message = str(err.value)
    assert "\n" not in message
    assert "--name-column, --lat-column, --lon-column" in message
    assert message.endswith("found columns place, lat, lon, dist")


def test_a_missing_explicit_column_names_the_flag_and_the_columns_found():
    with pytest.raises(
        InputError, match=r"custom\.csv:1: expected a column 'town' \(--name-column\)"
    ):
        learn_gazetteer([FIXTURES / "custom.csv"], name_column="town", lat_column="lat")


def test_no_file_is_a_usage_error():
    with pytest.raises(UsageError, match="expected at least one geocoded table, got none"):
        learn_gazetteer([])


# --- output and command line ----------------------------------------------------------------


def test_learned_rows_round_trip_through_the_gazetteer_csv(learned, tmp_path):
    write_gazetteer_csv(learned.rows, tmp_path / "a.csv")
    back = read_gazetteer_csv(tmp_path / "a.csv")
    assert [(p.name, p.latitude, p.support_rows, p.spread_km) for p in back] == [
        (p.name, p.latitude, p.support_rows, p.spread_km) for p in learned.rows
    ]
    # The same tables give the same bytes.
    write_gazetteer_csv(learn_gazetteer([ACLED, UCDP, GTD]).rows, tmp_path / "b.csv")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_cli_writes_a_gazetteer_that_resolve_accepts(tmp_path, capsys):
    out, report = tmp_path / "out.csv", tmp_path / "report.csv"
    argv = ["gazetteer", "learn", str(ACLED), str(UCDP), str(GTD), "-o", str(out)]
    assert cli.main([*argv, "--report", str(report)]) == 1  # GTD's "Unknown" row
    err = capsys.readouterr().err
    assert f"rejected: {GTD}:4: column 'city'" in err
    assert err.splitlines()[-1] == (
        f"29 rows: 26 learned, 2 set aside, 1 rejected; 10 places learned -> {out}"
    )
    with open(report, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 29 and list(rows[0]) == list(LEARN_REPORT_COLUMNS)
    argv = ["resolve", "--gazetteer", str(out), "--district", "Kech", "--format", "csv"]
    assert cli.main([*argv, "Dasht", "Zamuran"]) == 0
    answers = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(a["matched_name"], a["latitude"]) for a in answers] == [
        ("Dasht", "25.95"),
        ("Zamuran", "26.38"),
    ]


def test_cli_exits_0_when_every_row_is_usable(tmp_path, capsys):
    assert cli.main(["gazetteer", "learn", str(ACLED), "-o", str(tmp_path / "o.csv")]) == 0
    assert "15 rows: 14 learned, 1 set aside, 0 rejected" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([str(FIXTURES / "custom.csv")], "expected the columns of an ACLED, UCDP GED or GTD"),
        ([str(FIXTURES / "custom.csv"), "--name-column", "town"], "expected a column 'town'"),
        (["missing.csv"], "missing.csv: no such file"),
    ],
)
def test_cli_user_mistakes_exit_2_with_one_line(tmp_path, capsys, args, message):
    out = tmp_path / "o.csv"
    assert cli.main(["gazetteer", "learn", *args, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not out.exists()


def test_cli_refuses_to_write_an_empty_gazetteer(tmp_path, capsys):
    path = write_table(tmp_path / "t.csv", [("", 1.0, 2.0), ("Alpha", "x", 2.0)])
    out = tmp_path / "o.csv"
    argv = ["gazetteer", "learn", str(path), "--name-column", "place"]
    assert cli.main([*argv, "--lat-column", "lat", "--lon-column", "lon", "-o", str(out)]) == 2
    assert "nothing learned: no usable row" in capsys.readouterr().err
    assert not out.exists()


# --- scale ----------------------------------------------------------------------------------


def test_many_names_learn_vectorised_with_the_right_points(tmp_path):
    rng = np.random.default_rng(7)
    n_names, per = 2000, 10
    centres = np.column_stack([rng.uniform(25, 30, n_names), rng.uniform(62, 69, n_names)])
    idx = np.repeat(np.arange(n_names), per)
    jitter = rng.normal(0, 0.01, (len(idx), 2))  # about 1 km
    pts = centres[idx] + jitter
    # Every tenth name gets one far row (an outlier) on top.
    far = np.arange(0, n_names, 10)
    rows = [(f"Place {i}", round(a, 5), round(b, 5)) for i, (a, b) in zip(idx, pts, strict=True)]
    rows += [(f"Place {i}", centres[i, 0] + 1.0, centres[i, 1]) for i in far]
    result = learn_plain(write_table(tmp_path / "big.csv", rows))
    assert len(result.rows) == n_names
    got = {p.name: p for p in result.rows}
    errors = [
        km(got[f"Place {i}"].latitude, got[f"Place {i}"].longitude, *centres[i])
        for i in range(n_names)
    ]
    assert max(errors) < CLUSTER_KM / 5
    assert result.counts["set aside"] == len(far)


def test_sources_are_files_or_the_values_of_a_source_column(tmp_path):
    (buleda,) = places(learn_gazetteer([ACLED]), "Buleda")
    assert buleda.support_sources == 1  # one file
    (buleda,) = places(learn_gazetteer([ACLED], source_column="source"), "Buleda")
    assert buleda.support_sources == 2  # Paper A and Paper B; Paper C's row is the outlier
    # The same file named twice is still one source.
    custom = FIXTURES / "custom.csv"
    (twice,) = learn_gazetteer(
        [custom, custom], name_column="place", lat_column="lat", lon_column="lon"
    ).rows
    assert (twice.support_rows, twice.support_sources) == (6, 1)


def test_count_line_speaks_of_one_place_in_the_singular(tmp_path):
    result = learn_plain(write_table(tmp_path / "t.csv", [("Gichk", 26.5, 64.0)]))
    assert result.count_line() == "1 rows: 1 learned, 0 set aside, 0 rejected; 1 place learned"


def test_a_lone_far_row_naming_another_province_is_a_second_place_not_an_outlier(tmp_path):
    header = "place,lat,lon,prov"
    rows = [("Lopnaagap", 30.07, 67.34, "Balochistan")] * 3 + [
        ("Lopnaagap", 30.11, 73.67, "Punjab")
    ]
    path = write_table(tmp_path / "t.csv", rows, header=header)
    result = learn_plain(path, province_column="prov")
    assert sorted((p.province, p.support_rows) for p in result.rows) == [
        ("Balochistan", 3),
        ("Punjab", 1),
    ]
    assert result.counts["set aside"] == 0


def test_the_main_cluster_of_single_rows_is_the_exact_one(tmp_path):
    header = "place,lat,lon,prec"
    # The near row comes first in every order (file, latitude): the exact one must still win.
    rows = [("Dreegoo", 29.0, 66.5, "near"), ("Dreegoo", 30.5, 68.0, "exact")]
    result = learn_plain(
        write_table(tmp_path / "t.csv", rows, header=header), precision_column="prec"
    )
    assert [(p.latitude, p.precision) for p in result.rows] == [(30.5, "exact")]


def test_gtd_specificity_reads_the_same_in_the_importer_and_the_learner(tmp_path):
    # GTD codebook: 2 is a city whose own point was not found, so the point is the centre of the
    # smallest administrative area named: district level for both, never "near" the city.
    from mapper.importers.gtd import import_gtd

    cities = {"1": "Dasht", "2": "Buleda", "3": "Mastung", "4": "Khuzdar", "5": "Kalat"}
    lines = ["eventid,iyear,imonth,iday,country_txt,provstate,city,latitude,longitude,specificity"]
    lines += [
        f"20150101000{code},2015,1,{code},Pakistan,Balochistan,{city},29.8,66.85,{code}"
        for code, city in cities.items()
    ]
    path = tmp_path / "gtd.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    imported = import_gtd(path).incidents.set_index("place")["location_precision"].to_dict()
    result = learn_gazetteer([path])
    learned = {}
    for code, city in cities.items():
        if code == "4":  # a province-level row is learned under its province's name
            city = "Balochistan"
        elif code in ("2", "3"):  # a district-level one under the district its point is in
            city = "Mastung"
        found = places(result, city)
        learned[cities[code]] = found[0].precision if found else "country"
    assert imported == learned
    assert imported["Buleda"] == "district"
    reason = result.report.loc[result.report["name"] == "Kalat", "reason"].item()
    assert reason.startswith("country-level coordinate")
