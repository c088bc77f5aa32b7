"""Names of areas resolve to the areas (issue 12): "Sindh" is a province, not a Romanian town.

Real tables name districts and provinces where they have no finer place
(UCDP's "Bajaur district", GTD's "North Waziristan", a province for an event
somewhere in it). Before, such names went unplaced or, worse, fuzzily to a
town abroad: "Sindh" to Sanduleşti (Romania), "Punjab" to Panjab
(Afghanistan), "Bajaur" to Bijapur (India), "Swat" to Sojat (India).
"""

from __future__ import annotations

import pandas as pd
import pytest
import shapely


@pytest.mark.parametrize(
    ("name", "area", "level"),
    [
        ("Sindh", "Sindh", "province"),
        ("Punjab province", "Punjab", "province"),
        ("KPK", "Khyber Pakhtunkhwa", "province"),
        ("Bajaur", "Bajaur", "district"),
        ("Bajaur Agency", "Bajaur", "district"),
        ("Khyber Agency", "Khyber", "district"),
        ("North Waziristan", "North Waziristan", "district"),
        ("Swat district", "Swat", "district"),
        ("Tharparkar", "Tharparkar", "district"),
        ("Pakistan", "Pakistan", "country"),
    ],
)
def test_an_area_s_name_places_the_row_inside_the_area_at_its_level(g, areas, name, area, level):
    m = g.resolve(name)
    assert m.resolved, f"{name}: {m.reason}"
    assert (m.precision, m.kind, m.country) == (level, level, "PK")
    outline = areas.lookup(area, level=level).geometry
    assert shapely.intersects_xy(outline, m.longitude, m.latitude), (m.latitude, m.longitude)
    # A district answer names its district; a broader one names no district it happens to hold.
    assert m.district == (area if level == "district" else None)


@pytest.mark.parametrize("name", ["Lyari", "Sindth", "Bajaor"])
def test_area_names_are_never_matched_fuzzily(g, name):
    # "Lyari" (a part of Karachi) once went to Lehri district, 500 km away.
    m = g.resolve(name, country="PK")
    assert m.kind not in ("district", "province", "country"), (m.matched_name, m.precision)


def test_an_area_outside_the_hints_is_refused(g):
    m = g.resolve("Sindh", district="Kech")
    assert not m.resolved
    assert g.resolve("Kech", district="Kech").precision == "district"


def test_a_town_of_the_name_still_beats_its_district(g):
    # Quetta the city, not the centre of Quetta district.
    m = g.resolve("Quetta")
    assert m.precision == "exact" and m.kind not in ("district", "province")


def test_in_a_batch_an_area_in_another_country_is_not_placed(g):
    names = pd.Series(["Quetta", "Turbat", "Gwadar", "Khuzdar", "Iran", "Sindh"])
    out = g.resolve_many(names)
    assert pd.isna(out.at[4, "matched_name"])
    assert out.at[5, "precision"] == "province"


def test_the_cli_resolves_names_given_as_one_batch(capsys):
    """`mapper resolve A B C` infers the batch's region as --input does (Hyderabad, Sindh)."""
    from mapper.cli import main

    names = ["Peshawar", "Bannu", "Mingora", "Parachinar", "Hyderabad", "Lyari", "Tirah"]
    assert main(["resolve", *names, "--format", "json"]) == 0
    captured = capsys.readouterr()
    import json

    rows = {r["query"]: r for r in json.loads(captured.out)}
    assert rows["Hyderabad"]["country"] == "PK"
    assert rows["Lyari"]["latitude"] is None and rows["Tirah"]["latitude"] is None
    assert "region inferred: Khyber Pakhtunkhwa, Pakistan" in captured.err


def test_admin_fields_are_filled_no_finer_than_the_point(areas):
    """A province-level point says nothing of the district it happens to fall in."""
    lat, lon = 28.49, 65.09  # Balochistan's curated centre, inside Kharan district
    frame = pd.DataFrame(
        {
            "latitude": [lat, lat, lat, lat],
            "longitude": [lon, lon, lon, lon],
            "precision": ["exact", "district", "province", "country"],
            "country": [None] * 4,
            "province": [None] * 4,
            "district": [None] * 4,
        },
        dtype=object,
    )
    out, filled = areas.fill_admin(frame, precision="precision")

    def text(column: str) -> list[str | None]:
        return [v if isinstance(v, str) else None for v in out[column]]

    assert text("district") == ["Kharan", "Kharan", None, None]
    assert text("province") == ["Balochistan"] * 3 + [None]
    assert text("country") == ["PK"] * 4
    assert filled["district"].tolist() == [True, True, False, False]


@pytest.mark.parametrize(
    ("name", "placed"),
    [("Hoshab (Kech)", True), ("Mand (Kech district)", True), ("Hoshab (Sindh)", False)],
)
def test_areas_in_brackets_after_a_name_constrain_it_like_a_comma(g, name, placed):
    m = g.resolve(name)
    assert m.resolved == placed, m.reason
    if placed:
        assert (m.district, m.precision) == ("Kech", "exact")
    else:
        assert "Sindh" in m.reason


@pytest.mark.parametrize(
    ("name", "matched"),
    [
        ("Noshki/Nushki", "Nushki"),
        ("Turbat/Kech", "Turbat"),
        ("Hub/Lasbela", "Hub"),  # Hub district was carved out of Lasbela
        # "Loralai" alone is the town, 25 km from Duki; here it names the district Duki
        # was carved out of, in either order. Duki district holds no Loralai town.
        ("Duki/Loralai", "Duki"),
        ("Loralai/Duki", "Duki"),
        ("Quetta/Turbat", None),
        ("Gwadar/Kech", None),  # neighbouring districts, neither carved out of the other
    ],
)
def test_spellings_separated_by_a_slash_are_placed_only_where_they_agree(g, name, matched):
    m = g.resolve(name)
    assert m.matched_name == matched
    if matched is None:
        assert "different places" in m.reason


def test_a_batch_region_keeps_the_reason_a_slash_name_stays_unplaced(g):
    names = ["Quetta/Turbat", "Turbat/Kech", "Gwadar", "Panjgur", "Khuzdar", "Sibi"]
    matches, region = g.resolve_batch(names)
    assert region is not None and "Balochistan" in region
    # Resolved again inside the region, it is still read in parts, never fuzzily whole.
    assert matches[0].matched_name is None
    assert "different places" in matches[0].reason
    assert matches[1].matched_name == "Turbat"


@pytest.mark.parametrize(
    ("name", "matched", "precision"),
    [
        # ACLED writes a part of a town after a spaced dash. A part the gazetteer knows
        # by name near the town is placed; otherwise the town, no finer than a district.
        ("Lahore - Model Town", "Model Town", "exact"),
        ("Karachi - Lyari", "Karachi", "district"),
        ("Quetta - Hazara Town", "Quetta", "district"),
        # Two towns 600 km apart are a route, not a town and its part.
        ("Quetta - Turbat", None, None),
    ],
)
def test_a_part_of_a_town_after_a_dash_is_placed_no_finer_than_known(g, name, matched, precision):
    m = g.resolve(name, country="PK")
    assert (m.matched_name, m.precision) == (matched, precision)
    if matched is None:
        assert "not a part of it" in m.reason


def test_a_route_stays_unplaced_though_the_row_names_the_first_towns_district(g):
    # Under the row's hint (Quetta) Turbat is nowhere; it is still a town 600 km off.
    m = g.resolve("Quetta - Turbat", district="Quetta", province="Balochistan")
    assert m.matched_name is None
    assert "'Turbat' is a place 605 km from 'Quetta'" in m.reason
    assert g.resolve("Quetta - Hazara Town", district="Quetta").matched_name == "Quetta"
