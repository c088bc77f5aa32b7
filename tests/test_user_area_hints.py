"""Hints and names read against the user's own boundaries (``--boundaries``), not only the bundled.

A user bringing districts of another country expects a hint naming one of them
to constrain places as a bundled district does, and its name to resolve to it.
"""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
from shapely.geometry import box

from mapper import cli
from mapper.areas import Areas
from mapper.gazetteer import Gazetteer

# Two made-up districts side by side in eastern Iran, in one made-up province.
DISTRICTS = gpd.GeoDataFrame(
    {"NAME_2": ["Westa", "Esta"], "NAME_1": ["Sistan Test", "Sistan Test"]},
    geometry=[box(60.0, 29.0, 60.5, 29.5), box(60.5, 29.0, 61.0, 29.5)],
    crs="EPSG:4326",
)
# A user gazetteer without admin fields (as most of GeoNames is): two places called
# Dashtak, one in each district, and a Kalagan only in Punjab, 1,300 km away.
PLACES = """name,kind,country,latitude,longitude
Dashtak,village,IR,29.25,60.75
Dashtak,village,IR,29.25,60.25
Kalagan,village,PK,31.5,74.3
"""


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("own_areas")
    bounds = d / "districts.geojson"
    DISTRICTS.to_file(bounds, engine="pyogrio")
    places = d / "places.csv"
    places.write_text(PLACES, encoding="utf-8")
    return bounds, places


@pytest.fixture(scope="module")
def own(files):
    bounds, places = files
    areas = Areas.bundled().with_files(bounds, name_column="NAME_2", parent_column="NAME_1")
    return Gazetteer.default().with_files(places).with_areas(areas)


def test_a_hint_naming_a_users_district_picks_the_place_inside_it(own):
    m = own.resolve("Dashtak", district="Westa")
    assert (m.latitude, m.longitude) == (29.25, 60.25)
    assert not m.ambiguous and m.warnings == ()
    # The same hint given as the province the file names.
    assert own.resolve("Kalagan", province="Sistan Test").matched_name is None


def test_a_place_outside_the_users_district_stays_unplaced_with_the_reason(own):
    m = own.resolve("Kalagan", district="Westa")
    assert m.matched_name is None
    assert "lies in Westa" in m.reason


def test_without_the_users_areas_the_hint_is_unknown_and_constrains_nothing(files):
    _, places = files
    m = Gazetteer.default().with_files(places).resolve("Kalagan", district="Westa")
    assert m.matched_name == "Kalagan"
    assert "district hint 'Westa' is not an area mapper knows" in m.warnings[0]


def test_the_users_areas_answer_to_their_names_never_fuzzily(own):
    m = own.resolve("Esta")
    assert (m.kind, m.precision, m.province) == ("district", "district", "Sistan Test")
    assert 29.0 < m.latitude < 29.5 and 60.5 < m.longitude < 61.0
    assert own.resolve("Estaa").matched_name != "Esta"
    # Bundled areas still answer as before.
    assert own.resolve("Kech").kind == "district"


def test_resolve_reads_hints_against_the_boundaries_given(files, capsys):
    bounds, places = files
    argv = ["resolve", "Dashtak", "--district", "Westa", "--gazetteer", str(places),
            "--boundaries", str(bounds), "--boundary-name-column", "NAME_2",
            "--boundary-parent-column", "NAME_1", "--format", "json"]  # fmt: skip
    assert cli.main(argv) == 0
    out, err = capsys.readouterr()
    (row,) = json.loads(out)
    assert (row["latitude"], row["longitude"], row["district"]) == (29.25, 60.25, "Westa")
    assert "not an area mapper knows" not in err


def test_a_dataset_read_with_the_users_areas_places_rows_by_its_hints(files, tmp_path):
    from mapper.dataset import check_dataset

    bounds, places = files
    areas = Areas.bundled().with_files(bounds, name_column="NAME_2", parent_column="NAME_1")
    (tmp_path / "incidents.csv").write_text(
        "incident_id,date,place,district,country,event_type,sub_event_type,status\n"
        "i1,2026-01-31,Dashtak,Esta,IR,Battles,Armed clash,reported\n"
        "i2,2026-01-31,Kalagan,Esta,IR,Battles,Armed clash,reported\n",
        encoding="utf-8",
    )
    g = Gazetteer.default().with_files(places)
    dataset, _ = check_dataset(tmp_path, gazetteer=g, areas=areas, geometry=False)
    inc = dataset.incidents.set_index("incident_id")
    assert (inc.loc["i1", "latitude"], inc.loc["i1", "longitude"]) == (29.25, 60.75)
    assert inc.loc["i2", "placement"] != "placed"


def test_names_without_province_or_district_never_load_the_areas():
    # Loading them takes most of a second: `mapper resolve Quetta` must not pay for it.
    import subprocess
    import sys

    code = (
        "from mapper.gazetteer import Gazetteer\n"
        "g = Gazetteer.default()\n"
        "g.resolve('Quetta'); g.resolve('Turbat', country='PK')\n"
        "from mapper.areas import _bundled\n"
        "print(_bundled.cache_info().currsize)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"
