from __future__ import annotations

import csv
import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Polygon, box

from mapper.areas import Area, Areas, area_key
from mapper.errors import InputError, UsageError
from mapper.resources import data_path


def where(areas: Areas, lat: float, lon: float) -> tuple:
    row = areas.locate([lat], [lon])[["country", "province", "district"]].astype(object).iloc[0]
    return tuple(None if pd.isna(v) else v for v in row)


# --- the bundled data -------------------------------------------------------------


def test_bundled_counts_match_the_boundaries(areas):
    frame = areas.to_frame()
    assert (frame["level"] == "district").sum() == 160
    assert (frame["level"] == "province").sum() == 7
    balochistan = frame[(frame["level"] == "district") & (frame["province"] == "Balochistan")]
    assert len(balochistan) == 35
    assert frame.geometry.is_valid.all()


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [
        (30.18414, 67.00141, ("Pakistan", "Balochistan", "Quetta")),  # Quetta
        (26.00122, 63.04849, ("Pakistan", "Balochistan", "Kech")),  # Turbat
        (25.12163, 62.32541, ("Pakistan", "Balochistan", "Gwadar")),  # Gwadar
        (28.88, 64.40, ("Pakistan", "Balochistan", "Chagai")),  # Dalbandin
        (24.86, 67.01, ("Pakistan", "Sindh", "South Karachi")),
        (29.4963, 60.8629, ("Iran", None, None)),  # Zahedan
        (31.6133, 65.7101, ("Afghanistan", None, None)),  # Kandahar
        (24.5, 63.0, (None, None, None)),  # Arabian Sea
    ],
)
def test_point_gives_country_province_district(areas, lat, lon, expected):
    assert where(areas, lat, lon) == expected
    deepest = areas.at(lat, lon)
    if expected[0] is None:
        assert deepest is None
    else:
        assert deepest.name == (expected[2] or expected[0])


def test_vectorised_locate_equals_the_scalar_path(areas):
    rng = np.random.default_rng(7)
    lat = np.r_[rng.uniform(23, 37.5, 600), np.nan, 30.18414]
    lon = np.r_[rng.uniform(60, 78, 600), 67.0, np.nan]
    frame = areas.locate(lat, lon)[["country", "province", "district"]].astype(object)
    for i in range(lat.size):
        a = areas.at(lat[i], lon[i]) if np.isfinite(lat[i]) and np.isfinite(lon[i]) else None
        expected = (
            a.country if a else None,
            a.province if a and a.level != "country" else None,
            a.district if a else None,
        )
        got = tuple(None if pd.isna(v) else v for v in frame.iloc[i])
        assert got == expected, (lat[i], lon[i])
    # The sample reaches every answer kind: districts, countries only, nowhere.
    assert frame["district"].notna().sum() > 100
    assert (frame["district"].isna() & frame["country"].notna()).sum() > 100


def test_locate_rejects_mismatched_arrays(areas):
    with pytest.raises(UsageError, match="got 2 latitudes and 1 longitudes"):
        areas.locate([30.0, 31.0], [67.0])


# --- names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "level", "expected"),
    [
        ("Las Bela", None, "Lasbela"),
        ("LASBELA", None, "Lasbela"),
        ("Qila Abdullah", None, "Killa Abdullah"),
        ("Killa-Saifullah District", None, "Killa Saifullah"),
        ("Bolan", None, "Kachhi"),
        ("Chaghi", None, "Chagai"),
        ("Noshki", None, "Nushki"),
        ("Surab", None, "Shaheed Sikandarabad"),
        ("Hub", None, "Lasbela"),
        ("Usta Mohammad", None, "Jaffarabad"),
        ("Kej", None, "Kech"),
        ("Khyber Agency", None, "Khyber"),
        ("Dera Ismail Khan", None, "D. I. Khan"),
        ("DI Khan", None, "D. I. Khan"),
        ("Baluchistan", None, "Balochistan"),
        ("KPK", None, "Khyber Pakhtunkhwa"),
        ("NWFP", None, "Khyber Pakhtunkhwa"),
        ("Capital", None, "Islamabad Capital Territory"),
        ("ICT", None, "Islamabad Capital Territory"),
        ("Islamabad", None, "Islamabad Capital Territory"),
        ("Islamabad", "district", "Islamabad"),
        ("FATA", None, "Former FATA"),
        ("Tribal Areas", None, "Former FATA"),
        ("AJK", None, "Azad Kashmir"),
        ("GB", None, "Gilgit-Baltistan"),
        ("GB", "country", "United Kingdom"),
        ("Iran", None, "Iran"),
        ("PK", None, "Pakistan"),
    ],
)
def test_lookup_by_name_alias_and_spelling(areas, name, level, expected):
    found = areas.lookup(name, level=level)
    assert found is not None
    assert found.name == expected


@pytest.mark.parametrize("name", ["Nowhere", "", None, "Balochistaan Province X", 42])
def test_unknown_names_return_none(areas, name):
    assert areas.lookup(name) is None


def test_a_district_implies_its_province_and_country(areas):
    chagai = areas.lookup("Chaghi")
    assert (chagai.level, chagai.province, chagai.country) == (
        "district",
        "Balochistan",
        "Pakistan",
    )
    assert areas.ancestor(chagai, "province").name == "Balochistan"
    assert areas.ancestor(chagai, "country").name == "Pakistan"
    assert areas.ancestor(areas.lookup("KPK"), "country").name == "Pakistan"
    assert areas.ancestor(areas.lookup("Iran"), "province") is None


def test_lookup_within_restricts_to_a_province(areas):
    assert areas.lookup("Khyber", within="Balochistan") is None
    assert areas.lookup("Khyber", within="KPK").name == "Khyber"


def test_lookup_many_looks_each_value_up_once(areas):
    found = areas.lookup_many(["Kej", "Kech", None, "Atlantis", "kej"])
    assert [a.name if a else None for a in found] == ["Kech", "Kech", None, None, "Kech"]


def test_area_key_ignores_case_punctuation_and_kind_words():
    assert area_key("Musa Khel") == area_key("Musakhel")
    assert area_key("Azad Jammu & Kashmir") == area_key("Azad Jammu and Kashmir")
    assert area_key("District") == "district"  # a name made only of a kind word stays itself
    assert area_key("Kalat") != area_key("Kalam")


# --- relations -------------------------------------------------------------------------


def test_duki_and_loralai_touch(areas):
    duki = areas.lookup("Duki")
    assert "Loralai" in {a.name for a in duki.neighbours}
    assert "Duki" in {a.name for a in areas.lookup("Loralai").neighbours}
    # Far apart districts are no neighbours.
    assert "Gwadar" not in {a.name for a in duki.neighbours}


def lineage_rows() -> list[dict[str, str]]:
    with open(data_path("areas", "lineage.csv"), encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("row", lineage_rows(), ids=lambda r: r["district"])
def test_each_carved_out_district_touches_its_parent(areas, row):
    child = areas.lookup(row["district"], level="district")
    parent = areas.lookup(row["carved_from"], level="district")
    assert child is not None and parent is not None
    assert parent in child.neighbours
    assert parent in child.carved_from
    assert child in parent.carved_out
    assert parent in child.lineage and child in parent.lineage


def test_group_neighbours_are_districts_next_to_its_members(areas):
    fata = areas.lookup("FATA")
    names = {a.name for a in fata.neighbours}
    assert {"Peshawar", "Zhob"} <= names
    assert not names & set(fata.members)


def test_country_neighbours(areas):
    names = {a.name for a in areas.lookup("Pakistan").neighbours}
    assert {"Iran", "Afghanistan", "India", "China"} <= names
    assert "Turkmenistan" not in names


# --- inside, next to, how far ---------------------------------------------------------------


def edge_points(
    area: Area, other: Area, offset_km: float
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Points ``offset_km`` either side of the middle of the longest edge two areas share.

    Returns (lat, lon) of the point outside ``area`` and of the point inside it.
    """
    shared = area.geometry.intersection(other.geometry)
    xy = np.concatenate([np.asarray(line.coords) for line in shapely.get_parts(shared)])
    c = np.cos(np.radians(xy[:, 1].mean()))
    seg = np.diff(xy, axis=0)
    length = np.hypot(seg[:, 0] * c, seg[:, 1])
    # Only real segments of one line (the concatenation joins separate lines too).
    length[~shapely.intersects(other.geometry, shapely.points(xy[:-1] + seg / 2))] = 0
    i = int(np.argmax(length))
    (x0, y0), (dx, dy) = xy[i], seg[i]
    mx, my = x0 + dx / 2, y0 + dy / 2
    # The normal in kilometres, turned back into degrees of longitude and latitude.
    nx_km, ny_km = -dy * 111.195, dx * c * 111.195
    scale = offset_km / np.hypot(nx_km, ny_km)
    dlon, dlat = nx_km * scale / (111.195 * c), ny_km * scale / 111.195
    p1, p2 = (my + dlat, mx + dlon), (my - dlat, mx - dlon)
    inside = p1 if area.geometry.contains(shapely.Point(p1[1], p1[0])) else p2
    outside = p2 if inside is p1 else p1
    return outside, inside


def test_a_point_just_outside_a_district(areas):
    quetta = areas.lookup("Quetta")
    (olat, olon), (ilat, ilon) = edge_points(quetta, areas.lookup("Mastung"), 0.3)
    assert where(areas, ilat, ilon)[2] == "Quetta"
    assert where(areas, olat, olon)[2] == "Mastung"
    strict = areas.contains(quetta, [ilat, olat], [ilon, olon])
    assert list(strict) == [True, False]
    near = areas.contains(quetta, [ilat, olat], [ilon, olon], tolerance="neighbours")
    assert list(near) == [True, True]
    assert list(areas.contains(quetta, [olat], [olon], tolerance=0.5)) == [True]
    assert list(areas.contains(quetta, [olat], [olon], tolerance=0.2)) == [False]
    distance = areas.distance_km(quetta, [ilat, olat], [ilon, olon])
    assert distance[0] == 0
    assert distance[1] == pytest.approx(0.3, rel=0.05)


def test_neighbour_tolerance_stops_beyond_the_neighbours(areas):
    # Turbat (Kech) is not in Quetta nor next to it.
    assert list(areas.contains("Quetta", [26.00122], [63.04849], tolerance="neighbours")) == [False]
    # Loralai names the parent of Duki: a point in Duki passes the neighbour tolerance.
    duki = areas.lookup("Duki").geometry.representative_point()
    assert list(areas.contains("Loralai", [duki.y], [duki.x])) == [False]
    assert list(areas.contains("Loralai", [duki.y], [duki.x], tolerance="neighbours")) == [True]


def test_contains_takes_each_points_own_area(areas):
    stated = areas.lookup_many(["Quetta", "Kech", "Quetta", None])
    lat = [30.18414, 30.18414, 26.00122, 30.18414]
    lon = [67.00141, 67.00141, 63.04849, 67.00141]
    result = areas.contains(stated, lat, lon)
    assert result.tolist() == [True, False, False, pd.NA]
    nan_point = areas.contains(["Quetta"], [np.nan], [67.0])
    assert nan_point.isna().all()


def test_contains_rejects_unknown_areas_and_tolerances(areas):
    with pytest.raises(UsageError, match="no area called 'Atlantis'"):
        areas.contains("Atlantis", [30.0], [67.0])
    with pytest.raises(UsageError, match="tolerance should be None, 'neighbours'"):
        areas.contains("Quetta", [30.0], [67.0], tolerance="district")
    with pytest.raises(UsageError, match="got 1 areas for 2 points"):
        areas.contains(["Quetta"], [30.0, 31.0], [67.0, 67.0])


def test_distance_to_a_country_from_across_the_border(areas):
    # Zahedan lies about 20 km west of the Pakistan border (Natural Earth 1:50m).
    km = areas.distance_km("Pakistan", [29.4963], [60.8629])[0]
    assert 10 < km < 40
    assert areas.distance_km("Iran", [29.4963], [60.8629])[0] == 0


def test_a_distance_tolerance_is_kilometres_not_degrees(areas):
    # Zahedan lies west of Pakistan: its gap is mostly longitude, which at 29.5 N is 13 % shorter
    # in km than the same gap in latitude. A tolerance between the two must be measured.
    lat, lon = [29.4963], [60.8629]
    km = areas.distance_km("Pakistan", lat, lon)[0]
    degrees = shapely.distance(areas.lookup("Pakistan").geometry, shapely.Point(lon[0], lat[0]))
    assert degrees * 111.195 > km * 1.05
    for tolerance, expected in [
        (km * 0.999, False),
        (km * 1.001, True),
        (degrees * 111.195 * 1.001, True),
    ]:
        assert list(areas.contains("Pakistan", lat, lon, tolerance=tolerance)) == [expected]


def test_a_group_contains_its_members_points(areas):
    bajaur = areas.lookup("Bajaur").geometry.representative_point()
    peshawar = areas.lookup("Peshawar").geometry.representative_point()
    result = areas.contains("FATA", [bajaur.y, peshawar.y], [bajaur.x, peshawar.x])
    assert result.tolist() == [True, False]


# --- drawing and display ----------------------------------------------------------------------


def test_coarse_level_is_lighter_and_complete(areas):
    full = areas.to_frame("district")
    coarse = areas.to_frame("district", detail="coarse")
    assert list(coarse["name"]) == list(full["name"])
    assert not coarse.geometry.is_empty.any()
    full_vertices = shapely.get_num_coordinates(full.geometry.values).sum()
    coarse_vertices = shapely.get_num_coordinates(coarse.geometry.values).sum()
    assert coarse_vertices < full_vertices * 0.6
    with pytest.raises(UsageError, match="detail should be 'full' or 'coarse'"):
        areas.to_frame(detail="fine")


def test_repr_html_and_attribution(areas):
    page = areas._repr_html_()
    assert "<td>district</td><td>160</td>" in page
    assert "OCHA / WFP, COD-AB Pakistan 2022" in page
    assert areas.attribution == [
        "Country outlines: Natural Earth (public domain)",
        "Boundaries: OCHA / WFP, COD-AB Pakistan 2022",
    ]


def test_data_files_are_compact():
    # Budget for shipping and for inlining into a map (issue 13: 400 KB for the geography).
    assert data_path("areas", "pakistan-coarse.topo.json").stat().st_size < 150_000
    topo = json.loads(data_path("areas", "pakistan.topo.json").read_text("utf-8"))
    assert set(topo["objects"]) == {"districts", "provinces"}


# --- user boundaries ----------------------------------------------------------------------------


def write(tmp_path, frame: gpd.GeoDataFrame, name: str = "areas.geojson", **kw):
    path = tmp_path / name
    frame.to_file(path, engine="pyogrio", **kw)
    return path


def two_districts(crs: str | None = "EPSG:4326") -> gpd.GeoDataFrame:
    # Two made-up districts side by side in eastern Iran, one province.
    return gpd.GeoDataFrame(
        {"NAME_2": ["Westa", "Esta"], "NAME_1": ["Sistan Test", "Sistan Test"]},
        geometry=[box(60.0, 29.0, 60.5, 29.5), box(60.5, 29.0, 61.0, 29.5)],
        crs=crs,
    )


@pytest.mark.parametrize("suffix", ["geojson", "gpkg", "shp"])
def test_user_boundaries_combine_with_the_bundled(tmp_path, suffix):
    path = write(tmp_path, two_districts(), f"areas.{suffix}")
    user = Areas.from_file(path, name_column="NAME_2", parent_column="NAME_1")
    combined = Areas.bundled().combine(user)
    assert where(combined, 29.2, 60.7) == ("Iran", "Sistan Test", "Esta")
    assert where(combined, 30.18414, 67.00141) == ("Pakistan", "Balochistan", "Quetta")
    westa = combined.lookup("westa")
    assert (westa.level, westa.province, westa.country) == ("district", "Sistan Test", "Iran")
    assert [a.name for a in westa.neighbours] == ["Esta"]
    assert combined.lookup("Sistan Test").level == "province"
    assert str(path) in " ".join(combined.attribution)
    assert user.notes == []


def test_user_boundaries_win_overlaps(tmp_path):
    # A finer district drawn over part of Quetta district.
    frame = gpd.GeoDataFrame(
        {"name": ["Quetta City"]}, geometry=[box(66.95, 30.15, 67.05, 30.25)], crs="EPSG:4326"
    )
    user = Areas.from_file(
        write(tmp_path, frame), name_column="name", country="Pakistan", level="district"
    )
    combined = Areas.bundled().combine(user)
    assert where(combined, 30.2, 67.0)[2] == "Quetta City"
    assert combined.at(30.2, 67.0).name == "Quetta City"
    # Outside the user's box, the bundled district still answers.
    assert where(combined, 30.3, 66.9)[2] == "Quetta"


def test_user_boundaries_in_another_crs_are_reprojected(tmp_path):
    path = write(tmp_path, two_districts().to_crs("EPSG:32641"))
    user = Areas.from_file(path, name_column="NAME_2")
    assert user.notes == [f"{path}: reprojected from EPSG:32641 to WGS84"]
    assert where(Areas.bundled().combine(user), 29.2, 60.7)[2] == "Esta"


def test_self_intersecting_polygon_is_repaired_with_a_note(tmp_path):
    bowtie = Polygon([(60, 29), (61, 30), (61, 29), (60, 30), (60, 29)])
    frame = gpd.GeoDataFrame({"NAME_2": ["Knot"]}, geometry=[bowtie], crs="EPSG:4326")
    path = write(tmp_path, frame)
    user = Areas.from_file(path, name_column="NAME_2")
    assert len(user.notes) == 1
    assert user.notes[0].startswith(f"{path}: feature 1 ('Knot'): invalid polygon (Self-")
    assert user.notes[0].endswith("repaired")
    knot = user.lookup("Knot")
    assert knot.geometry.is_valid
    assert knot.geometry.area == pytest.approx(0.5)


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_shapefile_without_crs_in_metres_is_refused(tmp_path):
    frame = two_districts().to_crs("EPSG:32641").set_crs(None, allow_override=True)
    path = write(tmp_path, frame, "metres.shp")
    with pytest.raises(InputError, match=r"metres\.shp: has no coordinate reference system"):
        Areas.from_file(path, name_column="NAME_2")


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_shapefile_without_crs_in_degrees_is_read_with_a_note(tmp_path):
    path = write(tmp_path, two_districts(crs=None), "degrees.shp")
    user = Areas.from_file(path, name_column="NAME_2")
    assert user.notes == [f"{path}: no coordinate reference system given; read as WGS84 degrees"]


def test_missing_name_column_names_the_file_and_the_columns(tmp_path):
    path = write(tmp_path, two_districts())
    with pytest.raises(InputError, match=r"areas\.geojson: no name column 'ADM2_EN'; the col"):
        Areas.from_file(path, name_column="ADM2_EN")
    with pytest.raises(
        InputError, match="no parent column 'ADM1'; the columns are: NAME_2, NAME_1"
    ):
        Areas.from_file(path, name_column="NAME_2", parent_column="ADM1")


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}', "utf-8")
    with pytest.raises(InputError, match=r"empty\.geojson: has no features"):
        Areas.from_file(path, name_column="name")


def test_feature_without_name_or_polygon_is_named(tmp_path):
    frame = two_districts()
    frame.loc[1, "NAME_2"] = ""
    with pytest.raises(InputError, match=r"feature 2: empty name in column 'NAME_2'"):
        Areas.from_file(write(tmp_path, frame), name_column="NAME_2")
    points = gpd.GeoDataFrame(
        {"NAME_2": ["Dot"]}, geometry=[shapely.Point(60, 29)], crs="EPSG:4326"
    )
    with pytest.raises(InputError, match=r"feature 1 \('Dot'\): geometry is a Point"):
        Areas.from_file(write(tmp_path, points, "dots.geojson"), name_column="NAME_2")


def test_unreadable_and_missing_files(tmp_path):
    junk = tmp_path / "junk.gpkg"
    junk.write_bytes(b"not a geopackage at all")
    with pytest.raises(InputError, match=r"junk\.gpkg: cannot read boundaries"):
        Areas.from_file(junk, name_column="name")
    with pytest.raises(InputError, match=r"nothere\.geojson: no such file"):
        Areas.from_file(tmp_path / "nothere.geojson", name_column="name")
    with pytest.raises(UsageError, match="level should be one of"):
        Areas.from_file(junk, name_column="name", level="county")


def test_a_name_shared_across_countries_is_ambiguous(tmp_path):
    frame = gpd.GeoDataFrame(
        {"name": ["Twin", "Twin"]},
        geometry=[box(60.0, 29.0, 60.5, 29.5), box(78.0, 22.0, 78.5, 22.5)],
        crs="EPSG:4326",
    )
    user = Areas.from_file(write(tmp_path, frame), name_column="name")
    combined = Areas.bundled().combine(user)
    assert combined.lookup("Twin") is None
    assert {a.country for a in combined.lookup_all("Twin")} == {"Iran", "India"}
    assert combined.lookup("Twin", within="India").country == "India"


# --- admin fields from points, and points against stated areas -----------------------------------


def test_fill_admin_fills_only_empty_cells_that_agree(areas):
    frame = pd.DataFrame(
        {
            "latitude": [30.18414, 26.00122, 29.4963, 30.18414, 30.18414, np.nan],
            "longitude": [67.00141, 63.04849, 60.8629, 67.00141, 67.00141, np.nan],
            "country": ["", "PK", None, "IR", "Pakistan", ""],
            "province": ["", "", "", "", "Baluchistan", None],
            "district": [None, "", "", "", "", ""],
        }
    )
    out, filled = areas.fill_admin(frame)
    as_text = out[["country", "province", "district"]].fillna("").to_numpy().tolist()
    assert as_text == [
        ["PK", "Balochistan", "Quetta"],
        ["PK", "Balochistan", "Kech"],
        ["IR", "", ""],  # Zahedan: a country, no province of ours
        ["IR", "", ""],  # states Iran, lies in Quetta: left for validation
        ["Pakistan", "Baluchistan", "Quetta"],  # stated names kept; they agree
        ["", "", ""],  # no point
    ]
    assert filled.sum().to_dict() == {"country": 2, "province": 2, "district": 3}
    assert frame["district"].isna().iloc[0]  # the input is not changed


def test_fill_admin_adds_missing_columns(areas):
    out, filled = areas.fill_admin(pd.DataFrame({"latitude": [25.12163], "longitude": [62.32541]}))
    assert out.loc[0, ["country", "province", "district"]].tolist() == [
        "PK",
        "Balochistan",
        "Gwadar",
    ]
    assert filled.loc[0].all()


def test_check_stated_reports_the_broadest_failing_level_once(areas):
    result = areas.check_stated(
        [30.18414, 25.65, 26.0, 30.18, 30.18, np.nan, 29.4963, 26.96],
        [67.00141, 62.05, 63.05, 67.0, 67.0, 1.0, 60.8629, 64.09],
        country=["PK", "PK", "", "PK", "IR", "PK", "Pakistan", "PK"],
        province=["Balochistan", "Balochistan", "", "Baluchistan", "", "", "", "KPK"],
        district=["Quetta", "Dera Bugti", "Kech", "Makran", "", "Quetta", "", "Panjgur"],
    )
    problems = result["problem"].tolist()
    assert problems[0] == ""
    # UCDP's "Sui town, Dera Bugti" at a point near Jiwani.
    assert problems[1].startswith("point (25.65, 62.05) lies ")
    assert problems[1].endswith(
        " km outside the district 'Dera Bugti' and the districts next to it; expected within 5 km"
    )
    assert problems[2] == ""
    assert problems[3] == ""
    assert problems[4].endswith("outside the country 'IR'; expected within 25 km")
    assert problems[5] == ""  # no point, nothing to check
    assert problems[6] == ""  # Zahedan lies within 25 km of Pakistan's border
    assert result["unknown"].tolist()[3] == (
        "district 'Makran' is not an area mapper knows; not checked"
    )
    # Panjgur is not in Khyber Pakhtunkhwa: one of the two is the source's error, and the
    # point is checked against the district, the finer statement (as hints are), and said.
    assert problems[7] == ""
    assert result["unknown"].tolist()[7] == (
        "district 'Panjgur' does not lie in the province 'KPK'; "
        "the point was checked against the district"
    )
    assert (result["unknown"] != "").sum() == 2


def test_check_stated_still_rejects_a_point_outside_a_district_that_clashes_with_its_province(
    areas,
):
    result = areas.check_stated([30.18], [67.0], province=["KPK"], district=["Panjgur"])
    assert result["problem"][0].endswith(
        "outside the district 'Panjgur' and the districts next to it; expected within 5 km"
    )


def test_check_stated_tolerates_a_neighbour_but_not_further(areas):
    duki = areas.lookup("Duki").geometry.representative_point()
    barkhan = areas.lookup("Barkhan").geometry.representative_point()
    result = areas.check_stated(
        [duki.y, barkhan.y], [duki.x, barkhan.x], district=["Loralai", "Harnai"]
    )
    assert result["problem"].iloc[0] == ""
    assert "outside the district 'Harnai'" in result["problem"].iloc[1]
    with pytest.raises(UsageError, match="got 1 district names for 2 points"):
        areas.check_stated([30.0, 31.0], [67.0, 67.0], district=["Quetta"])


def test_check_stated_gives_a_district_5_km_for_its_outline_and_no_more(areas):
    # North of Nushki, towards the Afghan border: OCHA's outline of Pakistan stops short of
    # Natural Earth's, and mapper's own synthetic million had a point between the two that
    # was rejected as lying "0 km outside" its district.
    lat = np.array([29.7959, 29.84, 29.843])
    lon = np.full(3, 66.0488)
    km = areas.distance_km(areas.lookup("Nushki", level="district"), lat, lon)
    assert 0 < km[0] < 1 and 4.5 < km[1] < 5 < km[2] < 5.1  # the fixture's edges
    assert areas.at(lat[0], lon[0]).name == "Pakistan"
    problems = areas.check_stated(lat, lon, district=["Nushki"] * 3)["problem"].tolist()
    assert problems[:2] == ["", ""]
    assert problems[2] == (
        "point (29.843, 66.0488) lies 5 km outside the district 'Nushki' and the districts next "
        "to it; expected within 5 km"
    )


def test_every_curated_alias_reaches_its_area(areas):
    with open(data_path("areas", "aliases.csv"), encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    wrong = [
        (r["alias"], r["name"])
        for r in rows
        if getattr(areas.lookup(r["alias"], level=r["level"]), "name", None) != r["name"]
    ]
    assert wrong == []


def test_locate_gives_the_country_code_the_schema_uses(areas):
    codes = areas.locate([30.18414, 29.4963, 24.5], [67.00141, 60.8629, 63.0])["country_code"]
    assert codes.astype(object).fillna("").tolist() == ["PK", "IR", ""]


def test_with_files_is_combine_of_from_file(tmp_path):
    path = write(tmp_path, two_districts())
    combined = Areas.bundled().with_files(path, name_column="NAME_2", parent_column="NAME_1")
    assert where(combined, 29.2, 60.2) == ("Iran", "Sistan Test", "Westa")
    assert len(combined) == len(Areas.bundled()) + 3  # two districts and their province


# --- in datasets: admin fields filled, points checked against polygons ---------------------------

DATASET_HEADER = (
    "incident_id,date,place,latitude,longitude,location_precision,district,province,country,"
    "event_type,sub_event_type,status"
)


def read_rows(tmp_path, *rows: str, areas: Areas | None = None):
    from mapper.dataset import check_dataset

    (tmp_path / "incidents.csv").write_text(
        DATASET_HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    return check_dataset(tmp_path, areas=areas, geometry=False)


def test_dataset_fills_empty_admin_fields_from_points(tmp_path):
    dataset, problems = read_rows(
        tmp_path,
        "i1,2026-01-31,Turbat,26.00122,63.04849,exact,,,,Battles,Armed clash,reported",
        "i2,2026-01-31,Gwadar,25.12163,62.32541,exact,,Balochistan,,Battles,Armed clash,reported",
    )
    assert problems == []
    got = dataset.incidents[["district", "province", "country"]].astype(object)
    assert got.values.tolist() == [
        ["Kech", "Balochistan", "PK"],
        ["Gwadar", "Balochistan", "PK"],
    ]


def test_dataset_rejects_a_point_outside_its_district_and_its_neighbours(tmp_path):
    # Kalat town lies about 130 km from Quetta: within the old 300 km radius, but in a
    # district that does not touch Quetta's.
    _, problems = read_rows(
        tmp_path,
        "i1,2026-01-31,Kalat,29.0258,66.5936,exact,Quetta,Balochistan,PK,Battles,Armed clash,"
        "reported",
    )
    assert [(p.line, p.column) for p in problems] == [(2, "latitude")]
    assert problems[0].message.endswith(
        "outside the district 'Quetta' and the districts next to it; expected within 5 km"
    )


def test_dataset_accepts_a_point_in_a_district_carved_out_of_the_stated_one(tmp_path):
    duki = Areas.bundled().lookup("Duki").geometry.representative_point()
    dataset, problems = read_rows(
        tmp_path,
        f"i1,2026-01-31,Duki,{duki.y:.5f},{duki.x:.5f},exact,Loralai,Balochistan,PK,Battles,"
        "Armed clash,reported",
    )
    assert problems == []
    assert dataset.incidents["district"].tolist() == ["Loralai"]  # the row's own word is kept


def test_dataset_warns_about_an_unknown_district_and_keeps_the_row(tmp_path):
    dataset, problems = read_rows(
        tmp_path,
        "i1,2026-01-31,Turbat,26.00122,63.04849,exact,Makran,Balochistan,PK,Battles,"
        "Armed clash,reported",
    )
    assert problems == []
    row = dataset.report[dataset.report["table"] == "incidents"].iloc[0]
    assert row["status"] == "placed"
    assert row["reason"] == "district 'Makran' is not an area mapper knows; not checked"
    assert dataset.notes == [
        f"{tmp_path / 'incidents.csv'}: district 'Makran' is not an area mapper knows; "
        "not checked (1 row)"
    ]


def test_validate_notes_each_unknown_name_once(capsys, tmp_path):
    from mapper import cli

    row = "{},2026-01-31,Turbat,26.00122,63.04849,exact,Makran,Balochistan,PK,Battles,,reported"
    (tmp_path / "incidents.csv").write_text(
        "\n".join([DATASET_HEADER, *(row.format(f"i{i}") for i in range(3))]) + "\n",
        encoding="utf-8",
    )
    assert cli.main(["validate", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert err.count("Makran") == 1
    assert "district 'Makran' is not an area mapper knows; not checked (3 rows)" in err


def test_dataset_uses_the_areas_given(tmp_path):
    frame = gpd.GeoDataFrame(
        {"name": ["Turbat City"]}, geometry=[box(62.9, 25.9, 63.2, 26.1)], crs="EPSG:4326"
    )
    path = write(tmp_path, frame, "city.geojson")
    areas = Areas.bundled().with_files(path, name_column="name", country="PK")
    dataset, problems = read_rows(
        tmp_path,
        "i1,2026-01-31,Turbat,26.00122,63.04849,exact,Turbat City,,,Battles,Armed clash,reported",
        areas=areas,
    )
    assert problems == []
    assert dataset.incidents["district"].tolist() == ["Turbat City"]
    # Known to the areas given, so checked and not warned about.
    assert dataset.report["reason"].tolist() == [""]
    assert areas.lookup("Turbat City").country == "Pakistan"


# --- the command line: --boundaries wherever --gazetteer is, admin fields in resolve -------------


def test_resolve_fills_the_district_a_gazetteer_did_not_give(capsys):
    from mapper import cli

    # GeoNames gives Lahore a province but no district; the polygons give it.
    assert cli.main(["resolve", "Lahore", "--format", "json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert (row["district"], row["province"], row["country"]) == ("Lahore", "Punjab", "PK")


def test_resolve_file_fills_admin_fields(capsys, tmp_path):
    from mapper import cli

    path = tmp_path / "names.csv"
    path.write_text("name\nLahore\nQuetta\n", encoding="utf-8")
    assert cli.main(["resolve", "-i", str(path), "-c", "name", "-f", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["district"], r["province"]) for r in rows] == [
        ("Lahore", "Punjab"),
        ("Quetta", "Balochistan"),
    ]


def test_validate_with_boundaries_checks_against_the_users_areas(capsys, tmp_path):
    from mapper import cli

    # Metres (UTM 41N), so the file is reprojected and the note says so.
    frame = gpd.GeoDataFrame(
        {"name": ["Turbat City"]},
        geometry=[box(62.9, 25.9, 63.2, 26.1)],
        crs="EPSG:4326",
    ).to_crs("EPSG:32641")
    bounds = write(tmp_path, frame, "city.gpkg")
    data = tmp_path / "data"
    data.mkdir()
    (data / "incidents.csv").write_text(
        DATASET_HEADER + "\n"
        "i1,2026-01-31,Turbat,26.00122,63.04849,exact,Turbat City,,PK,Battles,Armed clash,"
        "reported\n"
        "i2,2026-01-31,Quetta,30.18414,67.00141,exact,Turbat City,,PK,Battles,Armed clash,"
        "reported\n",
        encoding="utf-8",
    )
    argv = ["validate", str(data), "--boundaries", str(bounds), "--boundary-name-column", "name"]
    assert cli.main(argv) == 1
    out, err = capsys.readouterr()
    assert f"note: {bounds}: reprojected from EPSG:32641 to WGS84" in err
    assert ":3: column 'latitude'" in out
    assert "outside the district 'Turbat City'" in out
    assert ":2:" not in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--boundaries", "x.gpkg"], "--boundaries needs --boundary-name-column COL"),
        (["--boundary-name-column", "NAME"], "--boundary-name-column needs --boundaries FILE"),
    ],
)
def test_boundary_options_need_each_other(capsys, argv, message):
    from mapper import cli

    assert cli.main(["validate", *argv]) == 2
    assert message in capsys.readouterr().err


def test_a_bad_boundaries_file_is_one_line_and_exit_2(capsys, tmp_path):
    from mapper import cli

    path = write(tmp_path, two_districts())
    argv = ["map", "--boundaries", str(path), "--boundary-name-column", "ADM2", "-o", "x.html"]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert f"{path}: no name column 'ADM2'; the columns are: NAME_2, NAME_1" in err
    assert "Traceback" not in err
