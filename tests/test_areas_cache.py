"""The bundled areas decoded once and cached (mapper.areas, mapper.resources.load_cached)."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from mapper import areas as areas_module
from mapper.areas import Areas


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """An empty cache directory, and no areas held in memory.

    The loaders are swapped for fresh copies, so that the areas other tests
    hold stay the process's bundled areas afterwards.
    """
    monkeypatch.setenv("MAPPER_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("_bundled_records", "_bundled"):
        fresh = functools.lru_cache(maxsize=1)(getattr(areas_module, name).__wrapped__)
        monkeypatch.setattr(areas_module, name, fresh)
    return tmp_path / "cache"


def test_bundled_areas_are_decoded_once_then_read_from_the_cache(fresh_cache, monkeypatch):
    first = Areas.bundled()
    (cached,) = fresh_cache.glob("areas-*.pickle")
    assert cached.name.endswith(f"-v{areas_module._CACHE_FORMAT}.pickle")
    areas_module._bundled_records.cache_clear()
    areas_module._bundled.cache_clear()

    def refuse() -> None:
        raise AssertionError("decoded again although cached")

    monkeypatch.setattr(areas_module, "_decode_bundled", refuse)
    second = Areas.bundled()
    assert second is not first
    assert [(a.name, a.level, a.code) for a in second] == [(a.name, a.level, a.code) for a in first]
    assert all(a.geometry.equals(b.geometry) for a, b in zip(first, second, strict=True))
    assert second.at(30.19, 67.01).name == "Quetta"


def test_a_corrupt_areas_cache_is_rebuilt_with_a_message(fresh_cache, capsys):
    Areas.bundled()
    (cached,) = fresh_cache.glob("areas-*.pickle")
    cached.write_bytes(b"not a pickle")
    areas_module._bundled_records.cache_clear()
    areas_module._bundled.cache_clear()
    assert Areas.bundled().lookup("Kech").level == "district"
    assert "rebuilding the bundled areas" in capsys.readouterr().err


def test_the_cached_district_grid_answers_as_one_classified_on_first_use():
    records = areas_module._bundled_records()
    seeded = areas_module._bundled_areas(records, grid=records["district_grid"])
    fresh = areas_module._bundled_areas(records, grid=None)
    rng = np.random.default_rng(7)
    west, south, east, north = areas_module.bundled_admin_extent()
    lat = rng.uniform(south - 1, north + 1, 20_000)
    lon = rng.uniform(west - 1, east + 1, 20_000)
    # Points right at cell corners and on district borders too.
    corners = np.round(lat / areas_module._CELL_DEG) * areas_module._CELL_DEG
    lat = np.concatenate([lat, corners])
    lon = np.concatenate([lon, np.round(lon / areas_module._CELL_DEG) * areas_module._CELL_DEG])
    got = seeded.locate_ids(lat, lon)
    assert (got == fresh.locate_ids(lat, lon)).all()
    districts = {a._id for a in seeded if a.level == "district"}
    assert np.isin(got, list(districts)).sum() > 5_000  # most points do fall in a district
