"""The page's own geography block (mapper.render.geography): extent, shapes, names, areas."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mapper.dataset import read_dataset
from mapper.render import build_map
from mapper.render.geography import (
    MAX_PLACE_LABELS,
    MIN_MARGIN_DEG,
    _cities,
    geography_payload,
)
from mapper.render.payload import map_payload

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r'id="mapper-geography">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def bundled():
    return read_dataset(ROOT / "data" / "balochistan-2026")


@pytest.fixture(scope="module")
def geography(bundled):
    return geography_payload(map_payload(bundled))


def decoded_points(rings: list, quant: int) -> list[tuple[float, float]]:
    out = []
    for polygon in rings:
        for ring in polygon:
            x = y = 0
            for k in range(0, len(ring), 2):
                x += ring[k]
                y += ring[k + 1]
                out.append((y / quant, x / quant))
    return out


def test_shapes_are_cut_to_the_data_extent_with_its_margin(bundled, geography):
    s, w, n, e = geography["extent"]
    placed = bundled.incidents[bundled.incidents["placement"] == "placed"]
    assert s <= placed["latitude"].min() - MIN_MARGIN_DEG
    assert n >= placed["latitude"].max() + MIN_MARGIN_DEG
    assert w <= placed["longitude"].min() - MIN_MARGIN_DEG
    assert e >= placed["longitude"].max() + MIN_MARGIN_DEG
    q = geography["quant"]
    for level in ("countries", "provinces", "districts"):
        points = decoded_points([p for shape in geography[level]["rings"] for p in shape], q)
        assert all(s - 0.01 <= la <= n + 0.01 and w - 0.01 <= lo <= e + 0.01 for la, lo in points)
    assert {"Pakistan", "Iran", "Afghanistan"} <= set(geography["countries"]["name"])
    assert "Balochistan" in geography["provinces"]["name"]
    assert "Kech" in geography["districts"]["name"]


def test_names_include_headquarters_cities_and_the_incidents_places(geography):
    labels = dict(zip(geography["labels"]["text"], geography["labels"]["kind"], strict=True))
    kinds = geography["labels"]["kinds"]
    assert kinds[labels["Quetta"]] == "place"  # an incident's place outranks being a city
    assert kinds[labels["Karachi"]] == "city"
    assert kinds[labels["Zhob"]] == "hq"
    assert kinds[labels["PAKISTAN"]] == "country"
    assert kinds[labels["Balochistan"]] == "province"
    # Ordered as the page places them: by kind, most important first.
    assert geography["labels"]["kind"] == sorted(geography["labels"]["kind"])
    assert sum(1 for k in geography["labels"]["kind"] if kinds[k] == "place") <= MAX_PLACE_LABELS


def test_a_city_outside_the_province_its_record_names_gets_no_name(monkeypatch):
    import mapper.render.geography as geo
    from mapper.areas import Areas

    box = (24.0, 60.0, 32.0, 72.0)
    real = geo._big_cities()
    assert {"Karachi", "Sukkur"} <= {c[0] for c in _cities(box, Areas.bundled())}
    # GeoNames' Sukkur lies in Sindh; a record putting it in Kharan's desert is a wrong place.
    moved = tuple(
        (c[0], 28.3, 65.0, *c[3:]) if (c[0], c[4]) == ("Sukkur", "PK") else c for c in real
    )
    monkeypatch.setattr(geo, "_big_cities", lambda: moved)
    names = {c[0] for c in _cities(box, Areas.bundled())}
    assert "Sukkur" not in names and "Karachi" in names


def test_a_copy_of_a_bigger_town_under_a_spaced_spelling_gets_no_name(geography):
    # GeoNames has Arifwala (Punjab) and a smaller "Arif Wala" placed near Bela,
    # Balochistan, with a Balochistan record: one town, two spellings, the copy misplaced.
    from mapper.areas import Areas

    box = (24.0, 60.0, 32.0, 74.0)
    names = {c[0] for c in _cities(box, Areas.bundled())}
    assert "Arifwala" in names
    assert "Arif Wala" not in names
    assert "Arif Wala" not in geography["labels"]["text"]


def test_incidents_located_only_to_a_province_are_in_no_district(bundled):
    payload = map_payload(bundled)
    geography = geography_payload(payload)
    precisions = [payload["precisions"][p] for p in payload["incidents"]["prec"]]
    districts = geography["incidents"]["district"]
    provinces = geography["incidents"]["province"]
    for prec, d, p in zip(precisions, districts, provinces, strict=True):
        if prec in ("exact", "near", "district"):
            assert d >= 0 and p >= 0
        elif prec == "province":
            assert d == -1 and p >= 0
    gwadar = payload["incidents"]["id"].index("herof2-2026-01-31-gwadar")
    assert geography["districts"]["name"][districts[gwadar]] == "Gwadar"


def test_only_single_values_of_indicators_naming_an_area_shade_it(geography):
    by_name = {g["indicator"]: g for g in geography["indicators"]}
    poverty = by_name["Multidimensional poverty rate"]
    assert poverty["level"] == "provinces" and poverty["values"] == [71.2]
    assert geography["provinces"]["name"][poverty["areas"][0]] == "Balochistan"


@pytest.mark.parametrize("tiles", [None, "none"])
def test_without_tiles_the_page_offers_none_and_credits_the_boundaries(bundled, tiles):
    html = build_map(bundled, tiles=tiles).get_root().render()
    block = json.loads(BLOCK.search(html).group(1))
    assert block["tiles"] is None
    assert block["credits"] == [
        "Country outlines: Natural Earth (public domain)",
        "Boundaries: OCHA / WFP, COD-AB Pakistan 2022",
    ]


def test_the_geography_stays_within_its_budget_on_the_bundled_map(bundled):
    html = build_map(bundled, tiles=None).get_root().render()
    # The budget: at most 400 KB added to a Balochistan-sized map.
    assert len(BLOCK.search(html).group(1).encode()) < 400_000 - 40_000  # 40 KB for the code


def test_an_incident_place_is_named_once_case_aside_at_its_busiest_point():
    from mapper.render.geography import _incident_places

    strings = ["Gwadar", "QUETTA", "Quetta", "Turbat"]
    gwadar, quetta_upper, quetta, turbat = range(4)
    exact, district = 0, 2  # positions in LOCATION_PRECISIONS order below
    rows = [
        # (lat, lon, placed, precision, place, matched)
        *[(3000000, 6700000, 1, exact, quetta, -1)] * 3,
        *[(3020000, 6701000, 1, exact, quetta_upper, -1)] * 4,  # the busier spelling
        *[(2600000, 6300000, 1, exact, turbat, -1)] * 2,
        (2601000, 6301000, 1, exact, turbat, -1),
        # A point takes the name of its first incident; the matched name wins the place.
        (2512000, 6232000, 1, exact, turbat, gwadar),
        (2512000, 6232000, 1, exact, quetta, -1),
        # Neither a point located only to its district nor an unplaced incident is named.
        *[(2500000, 6200000, 1, district, gwadar, -1)] * 9,
        *[(0, 0, 0, exact, turbat, -1)] * 9,
    ]
    lat, lon, placed, prec, place, matched = (list(c) for c in zip(*rows, strict=True))
    payload = {
        "strings": strings,
        "precisions": ["exact", "near", "district", "province", "country"],
        "incidents": {
            "lat": lat,
            "lon": lon,
            "placed": placed,
            "prec": prec,
            "place": place,
            "matched": matched,
        },
    }
    assert _incident_places(payload) == [
        ("QUETTA", 30.2, 67.01, 4),
        ("Gwadar", 25.12, 62.32, 2),
        ("Turbat", 26.0, 63.0, 2),
    ]
