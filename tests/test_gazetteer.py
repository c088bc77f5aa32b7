from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd
import pytest

from mapper import Gazetteer as ExportedGazetteer
from mapper.errors import InputError, UsageError
from mapper.gazetteer import (
    RESULT_COLUMNS,
    Gazetteer,
    Match,
    PlaceRow,
    PlaceTable,
    curated_table,
    normalize_name,
    parse_place,
    read_gazetteer_csv,
    write_gazetteer_csv,
)

FIXTURES = Path(__file__).parent / "fixtures" / "gazetteer"


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def facts() -> list[dict[str, str]]:
    with open(FIXTURES / "facts_balochistan_places.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def fact_names() -> list[tuple[str, dict[str, str]]]:
    out = []
    for row in facts():
        out.append((row["name"], row))
        out.extend((alias, row) for alias in row["aliases"].split("|") if alias)
    return out


# --- normalisation ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("QUETTA", "quetta"),
        ("  tump ", "tump"),
        ("Dālbandīn", "dalbandin"),
        ("Turbat town", "turbat"),
        ("Besima village", "besima"),
        ("Mashkai Area", "mashkai"),
        ("near Turbat", "turbat"),
        ("on the outskirts of Turbat", "turbat"),
        ("Kech district", "kech"),
        ("District Kech", "kech"),
        ("Dera-Bugti", "dera bugti"),
        ("Ma'ruf", "maruf"),
        ("Killa Abdullah", "qila abdullah"),
        ("Qilla Abdullah", "qila abdullah"),
        ("Town", "town"),
    ],
)
def test_normalize_name_ignores_case_marks_punctuation_and_qualifiers(raw, key):
    assert normalize_name(raw) == key


def test_parse_place_reports_what_the_qualifiers_said():
    assert parse_place("outskirts of Quetta").near
    assert parse_place("Hoshab area").near
    assert not parse_place("Hoshab").near
    assert parse_place("Kech district").kind == "district"
    assert parse_place("Turbat town").kind == "town"
    assert parse_place("Turbat").kind is None


# --- the done-when list --------------------------------------------------------------


@pytest.mark.parametrize(("name", "row"), fact_names(), ids=[n for n, _ in fact_names()])
def test_every_fact_name_and_alias_resolves_within_1_km(g, name, row):
    m = g.resolve(name)
    assert m.resolved, m
    assert m.match_type in ("exact", "alias")
    distance = km(m.latitude, m.longitude, float(row["latitude"]), float(row["longitude"]))
    if distance > 1.0:
        # A name that is both a town and a district may resolve to the district, saying so.
        assert m.kind == "district" and m.precision == "district", (m, distance)
    else:
        assert distance <= 1.0


@pytest.mark.parametrize(
    ("query", "expected", "precision"),
    [
        ("Noshki", "Nushki", "exact"),
        ("Kech district", "Kech", "district"),
        ("Turbat town", "Turbat", "exact"),
        ("near Turbat", "Turbat", "near"),
        ("Dālbandīn", "Dalbandin", "exact"),
        ("QUETTA", "Quetta", "exact"),
        ("Panjgoor", "Panjgur", "exact"),
        ("  tump ", "Tump", "exact"),
        ("Bulaida", "Buleda", "exact"),
    ],
)
def test_listed_spellings_resolve_to_the_right_place(g, query, expected, precision):
    m = g.resolve(query)
    assert m.matched_name == expected
    assert m.precision == precision
    assert m.match_type in ("exact", "alias")
    assert m.score == 100


@pytest.mark.parametrize(("query", "expected"), [("Mastng", "Mastung"), ("Gwader", "Gwadar")])
def test_misspellings_resolve_by_fuzzy_match_with_a_lower_score(g, query, expected):
    m = g.resolve(query)
    exact = g.resolve(expected)
    assert m.matched_name == expected
    assert m.match_type == "fuzzy"
    assert 80 <= m.score < exact.score == 100
    assert (m.latitude, m.longitude) == (exact.latitude, exact.longitude)


def test_a_name_below_the_threshold_stays_unresolved_with_suggestions(g):
    m = g.resolve("Xyzzyville")
    assert not m.resolved
    assert m.matched_name is m.latitude is m.longitude is m.precision is m.match_type is None
    assert 1 <= len(m.suggestions) <= 3
    assert all(isinstance(s, str) and s for s in m.suggestions)


def test_a_name_in_two_countries_goes_to_the_hinted_country(g):
    in_pk = g.resolve("Hyderabad", country="PK")
    in_india = g.resolve("Hyderabad", country="India")
    assert (in_pk.country, in_india.country) == ("PK", "IN")
    assert in_pk.province == "Sindh"
    assert not in_pk.ambiguous and not in_india.ambiguous


def test_without_a_hint_the_more_prominent_place_wins_flagged_ambiguous(g):
    m = g.resolve("Hyderabad")
    assert m.country == "IN"  # larger population than Hyderabad, Sindh
    assert m.ambiguous
    assert any("PK" in s for s in m.suggestions)


def test_province_hint_accepts_any_spelling_and_settles_the_choice(g):
    m = g.resolve("Hyderabad", province="Sind")
    assert m.country == "PK" and not m.ambiguous


def test_a_hint_that_contradicts_every_place_leaves_the_name_unresolved(g):
    m = g.resolve("Tump", country="IN")
    assert not m.resolved
    # The refused place is the reason, not a suggestion: suggestions must fit the hints.
    assert "Tump (town; Kech district, Balochistan, PK)" in m.reason
    assert not any(s.startswith("Tump") for s in m.suggestions)


def test_unknown_country_hint_is_a_usage_error(g):
    with pytest.raises(UsageError, match="expected a country as an ISO 3166 alpha-2 code"):
        g.resolve("Quetta", country="Atlantis")


# --- districts, the province, precision ---------------------------------------------


def test_every_balochistan_district_resolves_to_its_headquarters_with_district_precision(g):
    with open(FIXTURES / "facts_districts.csv", encoding="utf-8") as fh:
        districts = list(csv.DictReader(fh))
    assert len(districts) == 35
    for row in districts:
        hq = g.resolve(row["headquarters"])
        m = g.resolve(f"{row['district']} district")
        assert m.kind == "district" and m.precision == "district", m
        assert m.matched_name == row["district"]
        assert km(m.latitude, m.longitude, hq.latitude, hq.longitude) < 1.0, row


@pytest.mark.parametrize(
    ("query", "district"),
    [
        ("Kech", "Kech"),
        ("Chaghi", "Chagai"),
        ("Bolan", "Kachhi"),
        ("Kachhi", "Kachhi"),
        ("Las Bela", "Lasbela"),
        ("Lasbela", "Lasbela"),
        ("Killa Abdullah district", "Killa Abdullah"),
        ("Qila Saifullah district", "Killa Saifullah"),
    ],
)
def test_district_names_and_aliases_resolve_to_the_district(g, query, district):
    m = g.resolve(query)
    assert (m.kind, m.district, m.precision) == ("district", district, "district")


def test_kech_is_the_district_at_turbat(g):
    m = g.resolve("Kech")
    turbat = g.resolve("Turbat")
    assert (m.latitude, m.longitude) == (turbat.latitude, turbat.longitude)


def test_a_district_named_after_its_headquarters_resolves_to_the_town(g):
    m = g.resolve("Quetta")
    assert (m.kind, m.precision, m.ambiguous) == ("town", "exact", False)


def test_a_town_and_a_district_of_one_name_in_different_places_is_ambiguous(g):
    m = g.resolve("Chagai")
    assert m.kind == "district" and m.ambiguous
    assert any("town" in s for s in m.suggestions)
    assert g.resolve("Chagai town").kind == "town"


def test_province_and_port_precisions(g):
    assert g.resolve("Baluchistan").precision == "province"
    port = g.resolve("Gwadar Port")
    assert (port.precision, port.kind) == ("near", "port")


def test_tehsil_and_district_words_coarsen_a_town_to_district_precision(g):
    assert g.resolve("Turbat tehsil").precision == "district"


def test_world_places_come_from_geonames_with_credit(g):
    m = g.resolve("Lahore")
    assert (m.country, m.province, m.source) == ("PK", "Punjab", "GeoNames cities500 (CC BY 4.0)")
    assert any("GeoNames" in line and "CC BY 4.0" in line for line in g.attribution)


def test_a_geonames_spelling_of_a_curated_place_returns_the_curated_row(g):
    m = g.resolve("Kweta")  # a GeoNames alternate name of Quetta, not in the overlay
    assert m.matched_name == "Quetta" and m.district == "Quetta"
    assert m.source.startswith("mapper curated overlay")


def test_a_near_miss_among_world_names_is_not_accepted(g):
    # "Mashkai" (Balochistan, not in the overlay) is 86 from "Mashkat" in Iran.
    m = g.resolve("Mashkai")
    assert not m.resolved


def test_missing_names_come_back_unresolved_without_suggestions(g):
    for value in (None, float("nan"), "", "   "):
        m = g.resolve(value)
        assert not m.resolved and m.suggestions == ()


def test_a_non_text_name_is_a_usage_error(g):
    with pytest.raises(UsageError, match="expected a place name as text, got int"):
        g.resolve(42)


def test_match_has_one_field_per_result_column():
    assert tuple(Match(query="x").as_dict()) == RESULT_COLUMNS
    assert ExportedGazetteer is Gazetteer


def test_default_is_cached_per_process():
    assert Gazetteer.default() is Gazetteer.default()


def test_curated_overlay_covers_every_district_and_the_province():
    table = curated_table()
    kinds = [table.kind[i] for i in range(len(table))]
    assert kinds.count("district") == 35
    assert kinds.count("province") == 1


# --- user gazetteers -----------------------------------------------------------------


def test_user_csv_takes_precedence_over_the_default(g):
    mine = g.with_files(FIXTURES / "user_places.csv")
    m = mine.resolve("Turbat")
    assert (m.latitude, m.longitude, m.source) == (26.0, 63.0, "user_places.csv")
    assert g.resolve("Turbat").latitude == 26.00122  # the original is untouched
    assert "Places: user_places.csv" in mine.attribution


def test_user_csv_aliases_and_country_names_work(g):
    mine = g.with_files(FIXTURES / "user_places.csv")
    m = mine.resolve("Base Omega")
    assert (m.matched_name, m.match_type, m.country, m.kind) == (
        "Camp Omega",
        "alias",
        "PK",
        "camp",
    )


def test_from_files_without_default_knows_only_the_files():
    mine = Gazetteer.from_files([FIXTURES / "user_places.csv"], include_default=False)
    assert mine.resolve("Camp Omega").resolved
    assert not mine.resolve("Quetta").resolved


def test_from_files_reads_geonames_dumps():
    mine = Gazetteer.from_files([FIXTURES / "geonames_dump.txt"], include_default=False)
    m = mine.resolve("Kasba Alfa")
    assert (m.matched_name, m.match_type, m.province) == ("Qaṣbah Alpha", "alias", "Balochistan")
    assert mine.resolve("Springvale", country="US").latitude == 40.0


def _write(tmp_path: Path, text: str, name: str = "places.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "name,lat,lon\nX,1,2\n",
            r"places\.csv:1: expected columns name, latitude, longitude; "
            r"missing latitude, longitude",
        ),
        (
            "name,latitude,longitude\nX,north,2\n",
            r"places\.csv:2: column 'latitude': expected a number",
        ),
        (
            "name,latitude,longitude\nX,1,2\nY,1,200\n",
            r"places\.csv:3: column 'longitude': expected a value between -180 and 180",
        ),
        ("name,latitude,longitude\n,1,2\n", r"places\.csv:2: column 'name': expected a place name"),
        (
            "name,latitude,longitude,country\nX,1,2,Atlantis\n",
            r"places\.csv:2: column 'country': expected an ISO 3166",
        ),
        (
            "name,latitude,longitude\nX,1,2,3\n",
            r"places\.csv:2: expected 3 fields like the header, got 4",
        ),
        (
            "name,latitude,longitude,precision\nX,1,2,roughly\n",
            r"places\.csv:2: column 'precision': expected one of exact",
        ),
        ("\nname,latitude,longitude\n", r"places\.csv:1: expected a header line"),
    ],
)
def test_bad_user_csv_names_file_line_and_column(tmp_path, text, message):
    with pytest.raises(InputError, match=message):
        Gazetteer.from_files([_write(tmp_path, text)], include_default=False)


def test_missing_user_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        Gazetteer.from_files([tmp_path / "nope.csv"], include_default=False)


def test_user_csv_in_a_legacy_encoding_with_semicolons(tmp_path):
    path = tmp_path / "legacy.csv"
    text = "name;latitude;longitude\nDéra Camp;27.1;66.2\nCafé Séance;27.2;66.3\n"
    path.write_bytes(text.encode("cp1252"))
    rows = read_gazetteer_csv(path)
    assert [r.name for r in rows] == ["Déra Camp", "Café Séance"]
    mine = Gazetteer.from_files([path], include_default=False)
    assert mine.resolve("dera camp").latitude == 27.1


# --- batch resolution ----------------------------------------------------------------


def test_resolve_many_keeps_the_index_and_broadcasts_each_distinct_name(g):
    names = pd.Series(
        ["Noshki", "Gwader", None, "Noshki", "Xyzzyville"], index=[10, 11, 12, 13, 14]
    )
    out = g.resolve_many(names)
    assert list(out.columns) == list(RESULT_COLUMNS)
    assert list(out.index) == [10, 11, 12, 13, 14]
    assert out["matched_name"].tolist()[:2] == ["Nushki", "Gwadar"]
    assert out.loc[13, "latitude"] == out.loc[10, "latitude"] == g.resolve("Noshki").latitude
    assert out["match_type"].isna().tolist() == [False, False, True, False, True]
    assert out.loc[14, "suggestions"] == " | ".join(g.resolve("Xyzzyville").suggestions)
    assert out["ambiguous"].dtype == bool


def test_resolve_many_resolves_each_distinct_name_once(monkeypatch):
    gz = Gazetteer.from_files([FIXTURES / "user_places.csv"], include_default=False)
    calls = []
    real = gz._resolve

    def counting(name, hints):
        calls.append(name)
        return real(name, hints)

    monkeypatch.setattr(gz, "_resolve", counting)
    gz.resolve_many(["Turbat", "Camp Omega", "Turbat", "Turbat"] * 50)
    assert sorted(calls) == ["Camp Omega", "Turbat"]


def test_resolve_many_takes_hint_columns_aligned_with_the_names(g):
    names = pd.Series(["Hyderabad", "Hyderabad", "Hyderabad"], index=["a", "b", "c"])
    country = pd.Series(["PK", "IN", None], index=["a", "b", "c"])
    out = g.resolve_many(names, country=country)
    assert out["country"].tolist() == ["PK", "IN", "IN"]
    assert out["ambiguous"].tolist() == [False, False, True]


def test_resolve_many_with_a_scalar_hint_and_a_list(g):
    out = g.resolve_many(["Hyderabad", "Karachi"], country="Pakistan")
    assert out["country"].tolist() == ["PK", "PK"]
    assert list(out.index) == [0, 1]


def test_resolve_many_rejects_a_hint_column_of_the_wrong_length(g):
    with pytest.raises(UsageError, match=r"one value per name \(2\), got 3"):
        g.resolve_many(["a", "b"], country=pd.Series(["PK", "PK", "PK"]))


def test_resolve_many_on_an_empty_column(g):
    out = g.resolve_many(pd.Series([], dtype="str"))
    assert list(out.columns) == list(RESULT_COLUMNS) and len(out) == 0


def test_progress_bar_is_shown_on_request(g, capsys):
    g.resolve_many(["Quetta", "Turbat"], progress=True)
    assert "resolving" in capsys.readouterr().err


# --- tables ---------------------------------------------------------------------------


def test_place_table_round_trips_through_its_state():
    rows = [PlaceRow(name="Alpha", latitude=1.0, longitude=2.0, aliases=("Alfa",))]
    table = PlaceTable.build(rows, label="t", attribution="credit")
    again = PlaceTable.from_state(table.to_state())
    assert again.lookup("alfa") == [(0, True)]
    assert again.lookup("alpha") == [(0, False)]
    assert again.lookup("beta") == []


def test_fuzzy_lookup_only_scores_names_of_a_similar_block():
    rows = [
        PlaceRow(name="Mastung", latitude=1.0, longitude=2.0),
        PlaceRow(name="Zastung", latitude=1.0, longitude=2.0),
    ]
    table = PlaceTable.build(rows, label="t", attribution="credit")
    found = dict(table.fuzzy("mastng", cutoff=50, limit=5))
    assert "mastung" in found
    assert "zastung" not in found  # another first letter: another block


# --- writing gazetteer CSVs ------------------------------------------------------------


def _written_rows() -> list[PlaceRow]:
    return [
        PlaceRow(
            name="Zamuran",
            latitude=26.1234,
            longitude=62.5,
            aliases=("Zamran", "Za|muran"),
            kind="place",
            district="Kech",
            province="Balochistan",
            country="PK",
            source="learned from acled.csv",
            support_rows=7,
            support_sources=2,
            spread_km=1.25,
        ),
        PlaceRow(
            name="Kolwa", latitude=26.0, longitude=64.9, kind="district", precision="district"
        ),
    ]


def test_written_gazetteer_reads_back_with_its_learned_support(tmp_path):
    path = tmp_path / "out.csv"
    write_gazetteer_csv(_written_rows(), path)
    back = read_gazetteer_csv(path)
    assert [(r.name, r.latitude, r.longitude, r.kind, r.precision) for r in back] == [
        ("Zamuran", 26.1234, 62.5, "place", "exact"),
        ("Kolwa", 26.0, 64.9, "district", "district"),
    ]
    # A "|" inside an alias would split it in two on reading: it becomes a space.
    assert back[0].aliases == ("Zamran", "Za muran")
    assert (back[0].support_rows, back[0].support_sources, back[0].spread_km) == (7, 2, 1.25)
    assert (back[1].support_rows, back[1].spread_km) == (None, None)
    assert back[0].district == "Kech" and back[0].country == "PK"


def test_written_gazetteer_is_byte_identical_across_runs(tmp_path):
    write_gazetteer_csv(_written_rows(), tmp_path / "a.csv")
    write_gazetteer_csv(_written_rows(), tmp_path / "b.csv")
    data = (tmp_path / "a.csv").read_bytes()
    assert data == (tmp_path / "b.csv").read_bytes()
    assert b"\r" not in data
    assert data.splitlines()[0] == (
        b"name,aliases,kind,precision,district,province,country,latitude,longitude,"
        b"population,geonameid,source,support_rows,support_sources,spread_km"
    )


def test_written_gazetteer_without_learned_rows_has_no_support_columns(tmp_path):
    path = tmp_path / "plain.csv"
    row = PlaceRow(name="Alpha", latitude=1.0, longitude=2.0, extra={"feature_code": "PPL"})
    write_gazetteer_csv([row], path, extra_columns=("feature_code",))
    header, line = path.read_text(encoding="utf-8").splitlines()
    assert header.endswith(",source,feature_code")
    assert line == "Alpha,,place,exact,,,,1.0,2.0,,,,PPL"


def test_an_extra_column_may_not_repeat_a_standard_one(tmp_path):
    with pytest.raises(UsageError, match=r"expected extra columns distinct.*got name"):
        write_gazetteer_csv(_written_rows(), tmp_path / "x.csv", extra_columns=("name",))
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("support_rows", "-2", "expected a count of 0 or more"),
        ("support_rows", "many", "expected a whole number"),
        ("spread_km", "far", "expected a distance in km"),
        ("spread_km", "-1", "expected a distance in km"),
    ],
)
def test_bad_learned_support_names_file_line_and_column(tmp_path, column, value, message):
    path = tmp_path / "learned.csv"
    path.write_text(f"name,latitude,longitude,{column}\nAlpha,1,2,1\nBeta,1,2,{value}\n")
    with pytest.raises(InputError, match=rf"learned\.csv:3: column .{column}.: {message}"):
        read_gazetteer_csv(path)


# --- ranking learned places (mapper.gazetteer.sources.learned) ------------------------

CURATED_QUETTA = (30.18414, 67.00141)


def _learned(tmp_path: Path, *rows: PlaceRow) -> Path:
    path = tmp_path / "learned.csv"
    write_gazetteer_csv(rows, path)
    return path


def _place(name: str, lat: float, lon: float, support: int, spread: float, **kw) -> PlaceRow:
    return PlaceRow(
        name=name,
        latitude=lat,
        longitude=lon,
        country="PK",
        support_rows=support,
        support_sources=1,
        spread_km=spread,
        **kw,
    )


@pytest.mark.parametrize(
    ("support", "spread", "learned_wins"),
    [(1, 0.0, False), (2, 0.5, False), (40, 30.0, False), (3, 0.5, True), (40, 2.0, True)],
)
def test_a_learned_place_on_few_rows_or_a_wide_spread_ranks_below_the_curated_one(
    g, tmp_path, support, spread, learned_wins
):
    mine = g.with_files(_learned(tmp_path, _place("Quetta", 29.5, 66.5, support, spread)))
    m = mine.resolve("Quetta")
    expected = (29.5, 66.5) if learned_wins else CURATED_QUETTA
    assert (m.latitude, m.longitude) == expected
    assert m.source == (
        "learned.csv" if learned_wins else "mapper curated overlay (GeoNames (cities500))"
    )


def test_a_weak_learned_place_answers_when_no_other_table_knows_the_name(g, tmp_path):
    mine = g.with_files(_learned(tmp_path, _place("Kallag Kaur", 26.4, 62.9, 1, 0.0)))
    m = mine.resolve("Kallag Kaur")
    assert (m.matched_name, m.latitude, m.match_type) == ("Kallag Kaur", 26.4, "exact")
    # A misspelling reaches it too, through the fuzzy match.
    assert mine.resolve("Kalag Kaur").latitude == 26.4


def test_a_weak_learned_place_that_fits_the_district_hint_beats_a_curated_one_that_does_not(
    g, tmp_path
):
    # The curated Mand is in Kech; a learned Mand in Awaran on one row answers for Awaran.
    mine = g.with_files(_learned(tmp_path, _place("Mand", 26.6, 65.4, 1, 0.0, district="Awaran")))
    assert mine.resolve("Mand", district="Awaran").latitude == 26.6
    assert mine.resolve("Mand").district == "Kech"
    assert mine.resolve("Mand", district="Kech").district == "Kech"


def test_district_hints_choose_among_learned_places_of_one_name(g, tmp_path):
    path = _learned(
        tmp_path,
        _place("Dasht", 25.95, 62.35, 3, 0.3, district="Kech"),
        _place("Dasht", 29.95, 66.95, 4, 0.2, district="Mastung"),
    )
    mine = g.with_files(path)
    assert mine.resolve("Dasht", district="Kech").latitude == 25.95
    assert mine.resolve("Dasht", district="Mastung").latitude == 29.95
    plain = mine.resolve("Dasht")
    # Without a hint the better supported one answers, flagged as ambiguous.
    assert (plain.latitude, plain.ambiguous) == (29.95, True)
    assert plain.suggestions == ("Dasht (place; Kech district, PK)",)


def test_a_strong_learned_place_outranks_a_weak_one_of_the_same_name(g, tmp_path):
    path = _learned(
        tmp_path,
        _place("Dasht", 25.95, 62.35, 1, 0.0, district="Kech"),
        _place("Dasht", 29.95, 66.95, 5, 0.2, district="Mastung"),
    )
    m = g.with_files(path).resolve("Dasht")
    assert (m.latitude, m.ambiguous) == (29.95, False)


def test_place_table_state_keeps_learned_support():
    rows = [_place("Alpha", 1.0, 2.0, 7, 1.5), PlaceRow(name="Beta", latitude=1.0, longitude=2.0)]
    again = PlaceTable.from_state(PlaceTable.build(rows, label="t", attribution="c").to_state())
    assert again.support_rows.tolist() == [7, -1]
    assert again.spread_km[0] == 1.5 and math.isnan(again.spread_km[1])
    plain = PlaceTable.build(rows[1:], label="t", attribution="c")
    assert plain.support_rows is None and "support_rows" not in plain.to_state()


def test_a_province_hint_written_as_ucdp_writes_it_still_agrees():
    # UCDP's adm_1 reads "Balochistan province": the word must not contradict every candidate.
    assert normalize_name("Balochistan province") == normalize_name("Balochistan")
    g = ExportedGazetteer.default()
    for country in ("PK", None):
        m = g.resolve("Turbat town", province="Balochistan province", country=country)
        assert (m.matched_name, m.country, m.province) == ("Turbat", "PK", "Balochistan")


def test_a_user_csv_of_geonames_rows_carries_the_geonames_credit(tmp_path):
    path = tmp_path / "pk_places.csv"
    path.write_text(
        "name,latitude,longitude,country,source\nKalatok,26.1,63.2,PK,GeoNames dump PK.txt\n",
        encoding="utf-8",
    )
    g = ExportedGazetteer.from_files([path], include_default=False)
    assert "pk_places.csv: GeoNames (geonames.org), CC BY 4.0" in g.attribution
    m = g.resolve("Kalatok")
    assert m.source == "pk_places.csv (GeoNames dump PK.txt)"


@pytest.mark.parametrize(
    "name", ["Unknown", "unknown", "N/A", "Other", "Various", "Multiple locations"]
)
def test_a_placeholder_for_no_place_is_never_matched(name):
    """GTD writes "Unknown"; "Other" once became Othery, a village in Somerset."""
    from mapper.gazetteer import Gazetteer

    g = Gazetteer.default()
    for hints in ({}, {"country": "PK"}):
        m = g.resolve(name, **hints)
        assert not m.resolved and m.suggestions == ()
        assert "names no place" in m.reason
    # In a batch too: the region inferred from the real names changes nothing.
    out = g.resolve_many(["Quetta", "Turbat", "Gwadar", name])
    assert pd.isna(out.iloc[3]["matched_name"])
