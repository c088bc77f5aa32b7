"""Hints constrain by polygons (issue 12, items 2-4): right place or no place.

Every symptom here was observed with the table's own province and district as
hints: the name went to a town of a similar name abroad. Points of test places
are taken from the bundled district polygons (a representative point), never
typed in.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from mapper.areas import Areas
from mapper.dataset import read_dataset
from mapper.gazetteer import Gazetteer
from mapper.gazetteer.settle import make_hints


def inside(areas: Areas, district: str) -> tuple[float, float]:
    point = areas.lookup(district, level="district").geometry.representative_point()
    return round(point.y, 5), round(point.x, 5)


def user_gazetteer(tmp_path: Path, rows: list[tuple[str, float, float]]) -> Gazetteer:
    """A user table whose places carry no admin fields at all (as most of cities500)."""
    path = tmp_path / "places.csv"
    lines = ["name,latitude,longitude"] + [f"{n},{lat},{lon}" for n, lat, lon in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Gazetteer.from_files([path], include_default=False)


@pytest.mark.parametrize(
    ("name", "district", "abroad"),
    [
        ("Kolwa", "Kech", "Kola"),
        ("Gajar", "Awaran", "Gajary"),
        ("Chitkan", "Panjgur", "Chikan"),
        ("Sui", "Dera Bugti", "Suizhou"),
    ],
)
def test_a_name_whose_only_places_lie_abroad_stays_unplaced_with_the_reason(
    g, name, district, abroad
):
    m = g.resolve(name, province="Balochistan", district=district)
    assert not m.resolved, f"{name} placed on {m.matched_name}, {m.country}"
    # The reason names the hinted district and the refused place; suggestions fit the hints.
    assert district in m.reason and abroad in m.reason
    assert all(s.endswith("PK)") for s in m.suggestions)


def test_a_district_hint_implies_its_country(g):
    # Hyderabad, India outnumbers Hyderabad, Sindh; cities500 gives neither a district.
    m = g.resolve("Hyderabad", district="Hyderabad")
    assert m.country == "PK"
    assert make_hints(None, None, "Kech").country == "PK"


def test_a_place_without_admin_fields_is_judged_by_its_point(tmp_path, areas):
    lat, lon = inside(areas, "Lahore")
    gaz = user_gazetteer(tmp_path, [("Zarnakot", lat, lon)])
    assert not gaz.resolve("Zarnakot", district="Kech").resolved
    assert gaz.resolve("Zarnakot", district="Lahore").latitude == pytest.approx(lat)
    # Fuzzy candidates obey the same rule.
    assert not gaz.resolve("Zarnakott", district="Kech").resolved
    assert gaz.resolve("Zarnakott", district="Lahore").match_type == "fuzzy"


def test_a_neighbouring_district_fits_but_ranks_below_the_hinted_one(tmp_path, areas):
    # Two places of one name: one in Kech, one in Gwadar (next to Kech), one in Quetta (not).
    rows = [
        ("Dashtuk", *inside(areas, "Gwadar")),
        ("Dashtuk", *inside(areas, "Kech")),
        ("Qabrak", *inside(areas, "Gwadar")),
        ("Shalpur", *inside(areas, "Quetta")),
    ]
    gaz = user_gazetteer(tmp_path, rows)
    assert gaz.resolve("Dashtuk", district="Kech").latitude == pytest.approx(rows[1][1])
    assert gaz.resolve("Qabrak", district="Kech").resolved
    assert not gaz.resolve("Shalpur", district="Kech").resolved


def test_an_older_table_naming_the_parent_district_still_fits(tmp_path, areas):
    # Duki was carved out of Loralai: a table from before names Loralai.
    gaz = user_gazetteer(tmp_path, [("Tangai", *inside(areas, "Duki"))])
    assert gaz.resolve("Tangai", district="Loralai").resolved
    assert not gaz.resolve("Tangai", district="Gwadar").resolved


def test_a_province_hint_reaches_25_km_beyond_it_not_into_the_provinces_next_door(g, tmp_path):
    # Hoshab lies in Kech, 300 km from Sindh: a row saying Sindh means another Hoshab.
    m = g.resolve("Hoshab", province="Sindh")
    assert not m.resolved and "Sindh" in m.reason and "Kech" in m.reason
    # Hub lies in Balochistan a few km from Karachi: a row saying Sindh is near enough.
    assert g.resolve("Hub", province="Sindh").district == "Hub"
    # So a dataset keeps the row unplaced rather than drawing it in Balochistan.
    (tmp_path / "incidents.csv").write_text(
        "incident_id,date,place,province,event_type,status\n"
        "A1,2024-01-02,Hoshab,Sindh,Battles,reported\n",
        encoding="utf-8",
    )
    ds = read_dataset(tmp_path)
    assert ds.incidents.loc[0, "latitude"] != ds.incidents.loc[0, "latitude"]  # NaN
    assert "Sindh" in ds.report.loc[0, "reason"]


@pytest.mark.parametrize(
    ("level", "hint", "area"),
    [
        ("province", "Baluchistan", "Balochistan"),
        ("province", "KPK", "Khyber Pakhtunkhwa"),
        ("province", "Capital", "Islamabad Capital Territory"),
        ("province", "FATA", "Former FATA"),
        # ACLED writes "Karachi East" where COD-AB has "East Karachi".
        ("district", "Karachi East", "East Karachi"),
        ("district", "Korangi", "Korangi Karachi"),
        ("district", "Diamer", "Diamir"),
        ("district", "Battagram", "Batagram"),
    ],
)
def test_hints_in_other_spellings_are_read_through_aliases(level, hint, area):
    hints = make_hints(
        None, hint if level == "province" else None, hint if level == "district" else None
    )
    assert hints.unknown == ()
    assert hints.area.area.name == area and hints.country == "PK"


def test_unknown_hints_are_reported_once_per_value(g):
    names = pd.Series(["Turbat"] * 300 + ["Quetta"] * 300)
    district = pd.Series(["Atlantis"] * 200 + ["Kech"] * 100 + ["Narnia"] * 300)
    out = g.resolve_many(names, province="Balochistan", district=district)
    assert out.attrs["warnings"] == [
        "district hint 'Atlantis' is not an area mapper knows; "
        "compared only with places' own names mapper does not know either",
        "district hint 'Narnia' is not an area mapper knows; "
        "compared only with places' own names mapper does not know either",
    ]
    assert out["matched_name"].eq("Turbat").sum() == 300


def test_the_cli_prints_an_unknown_hint(capsys):
    from mapper.cli import main

    assert main(["resolve", "Turbat", "--district", "Atlantis"]) == 0
    assert "district hint 'Atlantis' is not an area mapper knows" in capsys.readouterr().err


def test_a_batch_without_hints_infers_its_region_and_refuses_fuzzy_matches_abroad(g):
    names = pd.Series(["Quetta", "Turbat", "Gwadar", "Khuzdar", "Kolwa", "Chitkan", "Quetta"])
    out = g.resolve_many(names)
    assert out.attrs["region"] == "region inferred: Balochistan, Pakistan, from 4 of 6 names"
    assert out.loc[4:5, "matched_name"].isna().all()
    assert "Balochistan" in out.at[4, "reason"]
    # One name alone infers nothing: the same near miss abroad is still found.
    assert g.resolve_many(pd.Series(["Kolwa"])).attrs["region"] is None


def test_sui_alone_is_not_placed_on_a_city_abroad_that_carries_it_as_another_name(g, capsys):
    # GeoNames lists "Sui" among the other names of Suizhou (China) and Sokhumi (Georgia);
    # no coordinate source mapper may use has Sui town in Dera Bugti.
    m = g.resolve("Sui")
    assert not m.resolved, f"Sui placed on {m.matched_name}, {m.country}"
    assert "only another name of places in 2 countries" in m.reason
    assert any(s.startswith("Suizhou") for s in m.suggestions)
    from mapper.cli import main

    assert main(["resolve", "Sui"]) == 0
    out = capsys.readouterr().out
    assert "31.71" not in out and "unresolved: 'Sui' is no place's own name" in out


def test_in_a_batch_about_balochistan_sui_is_not_placed_in_china(g):
    # The inferred region accepts a city abroad by its own name, never by another name.
    out = g.resolve_many(pd.Series(["Quetta", "Turbat", "Gwadar", "Khuzdar", "Sui"]))
    assert out.attrs["region"].startswith("region inferred: Balochistan, Pakistan")
    assert pd.isna(out.at[4, "matched_name"]), out.at[4, "matched_name"]
    assert "Balochistan" in out.at[4, "reason"]


@pytest.mark.parametrize(
    ("name", "matched", "precision"),
    [
        ("Turbat, Kech", "Turbat", "exact"),
        ("near Turbat, Kech", "Turbat", "near"),
        ("Mand, Kech district", "Mand", "exact"),
        ("Quetta, Balochistan, Pakistan", "Quetta", "exact"),
        ("Lahore, Pakistan", "Lahore", "exact"),
    ],
)
def test_a_name_written_with_its_areas_is_resolved_inside_them(g, name, matched, precision):
    m = g.resolve(name)
    assert (m.matched_name, m.precision, m.country) == (matched, precision, "PK")
    assert m.query == name


def test_the_areas_written_after_a_name_constrain_like_hints(g):
    # Alone, "Kolwa" is a near miss for Kola, Russia; written "Kolwa, Kech" it is not.
    m = g.resolve("Kolwa, Kech")
    assert not m.resolved and "Kech" in m.reason


def test_in_a_batch_a_name_written_with_its_areas_keeps_them(g):
    # The batch's inferred region must not resolve "Kolwa, Kech" again without Kech.
    names = pd.Series(["Quetta", "Turbat", "Gwadar", "Khuzdar", "Kolwa, Kech", "Mand, Kech"])
    out = g.resolve_many(names)
    assert out.attrs["region"].startswith("region inferred: Balochistan, Pakistan")
    assert pd.isna(out.at[4, "matched_name"]) and "lies in Kech" in out.at[4, "reason"]
    assert out.at[5, "matched_name"] == "Mand"


def test_a_name_with_a_comma_is_first_looked_up_whole(tmp_path):
    path = tmp_path / "places.csv"
    path.write_text(
        'name,latitude,longitude\n"Kalat, Mastung",29.8,66.8\nKalat,29.03,66.59\n',
        encoding="utf-8",
    )
    gaz = Gazetteer.from_files([path], include_default=False)
    assert gaz.resolve("Kalat, Mastung").latitude == pytest.approx(29.8)


def test_only_known_areas_after_the_comma_split_a_name():
    from mapper.gazetteer.settle import Qualified, split_qualified

    assert split_qualified("Quetta, Balochistan, Pakistan") == Qualified(
        "Quetta", "PK", "Balochistan", None
    )
    assert split_qualified("Sultan, Kot") is None  # not an area: part of the name
    assert split_qualified("Dasht, Kech, Gwadar") is None  # two districts
    assert split_qualified("Turbat,") is None


def alias_gazetteer(tmp_path: Path, rows: list[tuple[str, str, str, float, float]]) -> Gazetteer:
    path = tmp_path / "aliases.csv"
    lines = ["name,aliases,country,latitude,longitude"]
    lines += [",".join(str(v) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Gazetteer.from_files([path], include_default=False)


def test_an_alias_shared_across_countries_places_nothing_until_a_hint_chooses(tmp_path):
    gaz = alias_gazetteer(
        tmp_path,
        [("Karez Khan", "Karez", "AF", 31.6, 65.7), ("Karez Abad", "Karez", "IR", 29.5, 60.9)],
    )
    m = gaz.resolve("Karez")
    assert not m.resolved and len(m.suggestions) == 2
    assert gaz.resolve("Karez", country="IR").matched_name == "Karez Abad"


def test_an_alias_shared_within_one_country_is_placed_and_flagged_ambiguous(tmp_path):
    gaz = alias_gazetteer(
        tmp_path,
        [("Karez Khan", "Karez", "AF", 31.6, 65.7), ("Karez Bala", "Karez", "AF", 34.5, 69.2)],
    )
    m = gaz.resolve("Karez")
    assert m.resolved and m.ambiguous and m.country == "AF"


def test_a_place_named_so_beats_places_that_only_carry_the_name_as_an_alias(tmp_path):
    gaz = alias_gazetteer(
        tmp_path,
        [
            ("Karez Khan", "Karez", "AF", 31.6, 65.7),
            ("Karez Abad", "Karez", "IR", 29.5, 60.9),
            ("Karez", "", "PK", 30.2, 67.0),
        ],
    )
    m = gaz.resolve("Karez")
    assert (m.matched_name, m.match_type, m.country) == ("Karez", "exact", "PK")


def test_a_batch_spread_over_countries_infers_no_region(g):
    out = g.resolve_many(pd.Series(["Lahore", "Paris", "Nairobi", "Lima", "Turbat"]))
    assert out.attrs["region"] is None


def test_a_dataset_row_whose_name_fits_only_abroad_is_kept_unplaced(tmp_path):
    (tmp_path / "incidents.csv").write_text(
        "incident_id,date,place,district,province,event_type\n"
        "k1,2024-01-02,Kolwa,Kech,Balochistan,Battles\n"
        "k2,2024-01-03,Turbat,Kech,Balochistan,Battles\n"
        "k3,2024-01-04,Turbat,Atlantis,Balochistan,Battles\n",
        encoding="utf-8",
    )
    ds = read_dataset(tmp_path)
    report = ds.report[ds.report["table"] == "incidents"].set_index("record_id")
    assert report.at["k1", "status"] == "unplaced"
    assert "Kech" in report.at["k1", "reason"] and "Kola" in report.at["k1", "reason"]
    assert report.at["k2", "status"] == "placed"
    assert "district hint 'Atlantis'" in report.at["k3", "reason"]


# --- points that state no area: judged by the rest of the table and their own name ------

HOME = ["Turbat", "Quetta", "Kharan", "Mastung", "Panjgur", "Nushki", "Khuzdar", "Pasni"]


def home_rows(g: Gazetteer) -> list[tuple[str, float, float]]:
    """Eight events at curated towns of Balochistan (their points from the gazetteer)."""
    return [(n, g.resolve(n).latitude, g.resolve(n).longitude) for n in HOME]


def strays_of(rows: list[tuple[str, float, float]], g: Gazetteer) -> list[str]:
    from mapper.placement import stray_points

    names, lats, lons = zip(*rows, strict=True)
    out = stray_points(
        pd.Series([str(v) for v in lats]),
        pd.Series([str(v) for v in lons]),
        pd.Series(names),
        gazetteer=g,
    )
    return out["problem"].tolist()


def test_a_swapped_point_far_from_the_rest_of_the_table_is_a_stray(g):
    gwadar = g.resolve("Gwadar")
    found = strays_of([*home_rows(g), ("Gwadar", gwadar.longitude, gwadar.latitude)], g)
    assert found[:-1] == [""] * len(HOME)
    assert found[-1].startswith(f"the point ({gwadar.longitude:g}, {gwadar.latitude:g}) lies in")
    assert found[-1].endswith("latitude and longitude look swapped")


def test_a_far_point_its_own_name_puts_in_the_table_s_country_is_a_stray(g):
    found = strays_of([*home_rows(g), ("Kalat", 2.0, 26.5)], g)
    assert "km from Kalat (PK), where its place name 'Kalat' puts it" in found[-1]


@pytest.mark.parametrize(
    ("name", "lat", "lon"),
    [
        ("London", 51.5074, -0.1278),  # a diaspora protest abroad: its name agrees
        ("Zahedan", 29.4963, 60.8629),  # across the border
        ("Nowhere", 2.0, 26.5),  # far, but nothing says it belongs elsewhere
    ],
)
def test_a_point_abroad_that_nothing_contradicts_is_kept(g, name, lat, lon):
    assert strays_of([*home_rows(g), (name, lat, lon)], g)[-1] == ""


def test_without_a_home_country_nothing_is_a_stray(g):
    spread = [("Paris", 48.85, 2.35), ("Lima", -12.05, -77.04), ("Lagos", 6.45, 3.39)]
    gwadar = g.resolve("Gwadar")
    rows = [*home_rows(g)[:3], *spread, ("Gwadar", gwadar.longitude, gwadar.latitude)]
    assert strays_of(rows, g) == [""] * len(rows)  # 3 of 7 in Pakistan: no home


def imported_and_valid(tmp_path: Path, text: str) -> pd.DataFrame:
    """Import ``text`` as a table; assert the import and the dataset's validation pass.

    Returns the imported incidents (text cells) by place.
    """
    from mapper.cli import main

    path = tmp_path / "log.csv"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["import", "table", str(path), "-o", str(out)]) == 0
    assert main(["validate", str(out)]) == 0
    return pd.read_csv(out / "incidents.csv", dtype=str).set_index("place")


def test_an_imported_stray_is_re_placed_by_its_name_and_keeps_the_source_point(tmp_path, g):
    gwadar = g.resolve("Gwadar")
    lines = ["date,place,latitude,longitude,killed"]
    for i, (name, lat, lon) in enumerate(home_rows(g)):
        lines.append(f"2024-01-{i + 1:02d},{name},{lat},{lon},1")
    lines.append(f"2024-01-20,Gwadar,{gwadar.longitude},{gwadar.latitude},2")
    inc = imported_and_valid(tmp_path, "\n".join(lines) + "\n")
    assert float(inc.at["Gwadar", "latitude"]) == pytest.approx(gwadar.latitude, abs=1e-4)
    assert float(inc.at["Gwadar", "source_latitude"]) == pytest.approx(gwadar.longitude)


def test_an_import_judges_strays_after_re_placing_rows_that_state_their_district(tmp_path):
    """Import and validate must agree: a re-placed row counts at its new point for the rest.

    Here the swapped Bajaur point leaves four of six points in Pakistan, too few for a home
    country, until it is re-placed; the stray in Nigeria was then kept by the import and
    rejected by validate.
    """
    inc = imported_and_valid(
        tmp_path,
        "date,place,district,lat,lon\n"
        "2024-01-15,Bajaur,Bajaur,71.50,34.70\n"  # swapped
        "2024-01-16,Khar,Bajaur,34.72,71.52\n"
        "2024-01-17,Quetta,Quetta,30.18,67.00\n"
        "2024-01-18,Turbat,Kech,26.0,63.05\n"
        "2024-01-19,Gwadar,Gwadar,25.12,62.32\n"
        "2024-01-20,Sindh,,10.0,10.0\n",  # Nigeria
    )
    assert inc.at["Sindh", "source_latitude"] == "10.0"
    assert inc.at["Sindh", "location_precision"] == "province"


def test_a_stray_in_a_dataset_of_our_own_is_rejected_with_the_reason(tmp_path, g):
    gwadar = g.resolve("Gwadar")
    lines = ["incident_id,date,place,latitude,longitude,event_type"]
    for i, (name, lat, lon) in enumerate(home_rows(g)):
        lines.append(f"e{i},2024-01-{i + 1:02d},{name},{lat},{lon},Battles")
    lines.append(f"gw,2024-01-20,Gwadar,{gwadar.longitude},{gwadar.latitude},Battles")
    (tmp_path / "incidents.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ds = read_dataset(tmp_path)
    report = ds.report[ds.report["table"] == "incidents"].set_index("record_id")
    assert report.at["gw", "status"] == "rejected"
    assert "latitude and longitude look swapped" in report.at["gw", "reason"]
    assert (report.drop(index="gw")["status"] == "placed").all()


def test_a_stray_is_judged_with_the_gazetteer_the_dataset_is_read_with(tmp_path, g, areas):
    # "Zarnakot" is known only to the user's gazetteer, in Kech.
    lat, lon = inside(areas, "Kech")
    mine = user_gazetteer(tmp_path, [("Zarnakot", lat, lon)])
    lines = ["incident_id,date,place,latitude,longitude,event_type"]
    for i, (name, la, lo) in enumerate(home_rows(g)):
        lines.append(f"e{i},2024-01-{i + 1:02d},{name},{la},{lo},Battles")
    lines.append("z,2024-01-20,Zarnakot,2.0,26.5,Battles")
    data = tmp_path / "data"
    data.mkdir()
    (data / "incidents.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = read_dataset(data, gazetteer=mine).report.set_index("record_id")
    assert report.at["z", "status"] == "rejected"
    assert "where its place name 'Zarnakot' puts it" in report.at["z", "reason"]
    # Read with the default gazetteer, which does not know it, the point abroad is kept.
    assert read_dataset(data).report.set_index("record_id").at["z", "status"] == "placed"


# --- learned gazetteers (item 5) -------------------------------------------------------


def _gtd_table(path: Path, rows: list[tuple[str, float, float, int]]) -> Path:
    """A GTD-layout table (no district column), one event per row."""
    lines = ["eventid,iyear,country_txt,provstate,city,latitude,longitude,specificity"]
    for i, (city, lat, lon, spec) in enumerate(rows):
        lines.append(f"{i},2020,Pakistan,Balochistan,{city},{lat},{lon},{spec}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_learned_places_take_their_district_from_their_point(tmp_path, areas):
    from mapper.gazetteer import write_gazetteer_csv
    from mapper.gazetteer.sources.learned import learn_gazetteer

    lat, lon = inside(areas, "Kech")
    table = _gtd_table(tmp_path / "gtd.csv", [("Kuchakor", lat, lon, 1)] * 4)
    learned = learn_gazetteer([table])
    (place,) = [p for p in learned.rows if p.name == "Kuchakor"]
    assert (place.district, place.province) == ("Kech", "Balochistan")
    write_gazetteer_csv(learned.rows, tmp_path / "learned.csv")
    gaz = Gazetteer.default().with_files(tmp_path / "learned.csv")
    assert gaz.resolve("Kuchakor", district="Kech").resolved
    assert not gaz.resolve("Kuchakor", district="Quetta").resolved


def test_a_learned_village_is_not_moved_to_the_district_of_its_name(tmp_path, areas):
    # Nasirabad, a village in Kech, shares its name with a district 600 km away.
    lat, lon = inside(areas, "Kech")
    far_lat, far_lon = inside(areas, "Nasirabad")
    rows = [("Nasirabad", lat, lon, 1)] * 2 + [("Nasirabad", far_lat, far_lon, 1)] * 6
    learned = learn_gazetteer_rows(tmp_path, rows)
    gaz = Gazetteer.default().with_files(learned)
    m = gaz.resolve("Nasirabad", province="Balochistan", district="Kech")
    assert (m.latitude, m.longitude) == pytest.approx((lat, lon), abs=0.01)
    far = gaz.resolve("Nasirabad", province="Balochistan", district="Nasirabad")
    assert far.resolved and abs(far.longitude - lon) > 3


def learn_gazetteer_rows(tmp_path: Path, rows: list[tuple[str, float, float, int]]) -> Path:
    from mapper.gazetteer import write_gazetteer_csv
    from mapper.gazetteer.sources.learned import learn_gazetteer

    learned = learn_gazetteer([_gtd_table(tmp_path / "gtd.csv", rows)])
    write_gazetteer_csv(learned.rows, tmp_path / "learned.csv")
    return tmp_path / "learned.csv"


# --- imports lose nothing (item 7) -----------------------------------------------------

UCDP_HEADER = (
    "id,date_start,where_prec,where_coordinates,adm_1,adm_2,latitude,longitude,country,best"
)


def test_an_import_keeps_events_whose_point_contradicts_their_district(tmp_path):
    from mapper.dataset import validate_dataset
    from mapper.importers.common import write_dataset
    from mapper.importers.ucdp import import_ucdp

    # UCDP coded "Sui town, Dera Bugti" near Jiwani, 25.65 N 62.05 E, hundreds of km away.
    (tmp_path / "ged.csv").write_text(
        f"{UCDP_HEADER}\n"
        "1,2012-05-01,1,Sui town,Balochistan province,Dera Bugti district,25.65,62.05,Pakistan,3\n"
        "2,2012-05-02,1,Dera Bugti town,Balochistan province,Dera Bugti district,25.65,62.05,"
        "Pakistan,2\n"
        "3,2012-05-03,1,Turbat town,Balochistan province,Kech district,26.0012,63.0485,"
        "Pakistan,1\n",
        encoding="utf-8",
    )
    result = import_ucdp(tmp_path / "ged.csv")
    inc = result.incidents.set_index("incident_id")
    report = result.report.set_index("record_id")
    assert set(report["status"]) == {"placed", "unplaced"}  # none rejected
    # No gazetteer place "Sui" lies in Dera Bugti: kept unplaced, the source's point kept aside.
    assert inc.at["UCDP-1", "latitude"] == "" and inc.at["UCDP-1", "source_latitude"] == "25.65"
    assert report.at["UCDP-1", "status"] == "unplaced"
    assert "outside the district 'Dera Bugti'" in report.at["UCDP-1", "reason"]
    # Dera Bugti town is known inside its district: re-placed there, and the row says so.
    assert 28.5 < float(inc.at["UCDP-2", "latitude"]) < 29.5
    assert inc.at["UCDP-2", "source_longitude"] == "62.05"
    assert "re-placed by its place name 'Dera Bugti town'" in report.at["UCDP-2", "reason"]
    # A point that fits its district is left alone.
    assert inc.at["UCDP-3", "latitude"] == "26.0012" and inc.at["UCDP-3", "source_latitude"] == ""
    out = write_dataset(result, tmp_path / "ds")
    assert validate_dataset(out) == []
    ds = read_dataset(out)
    # Sui's event and its claim are listed unplaced; the rest are on the map.
    assert ds.counts() == {"placed": 4, "unplaced": 2, "rejected": 0}
    assert len(ds.incidents) == 3


def test_an_unknown_district_without_a_country_rejects_nothing(g):
    # It once sent Turbat to a fuzzy match in Romania: the unknown name contradicted Kech.
    m = g.resolve("Turbat", district="Atlantis")
    assert m.matched_name == "Turbat" and m.country == "PK"
    assert m.warnings == (
        "district hint 'Atlantis' is not an area mapper knows; "
        "compared only with places' own names mapper does not know either",
    )
