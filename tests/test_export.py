"""Exports: schema columns in every format, byte-identical re-runs, atomic, suffix picks format."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from mapper.dataset import read_dataset
from mapper.errors import UsageError
from mapper.export import EXPORT_COLUMNS, export_incidents
from mapper.gazetteer import Gazetteer

FIX = Path(__file__).parent / "fixtures" / "datasets"


@pytest.fixture(scope="module")
def dataset():
    gaz = Gazetteer.from_files([FIX / "gazetteer.csv"], include_default=False)
    return read_dataset(FIX / "good", gazetteer=gaz)


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".parquet", ".csv"])
def test_re_running_an_export_gives_identical_bytes(tmp_path, dataset, suffix, monkeypatch):
    a = export_incidents(dataset, tmp_path / f"a{suffix}").read_bytes()
    # Another order of rows in memory must not change the file either.
    shuffled = type(dataset)(**{**dataset.__dict__, "incidents": dataset.incidents.iloc[::-1]})
    b = export_incidents(shuffled, tmp_path / f"b{suffix}").read_bytes()
    assert a == b


def test_csv_has_the_schema_columns_in_order_sorted_by_date(tmp_path, dataset):
    df = pd.read_csv(
        export_incidents(dataset, tmp_path / "x.csv"), dtype=str, keep_default_na=False
    )
    assert tuple(df.columns) == EXPORT_COLUMNS
    assert df["incident_id"].tolist() == ["g5", "g4", "g1", "g2", "g3"]
    assert df.set_index("incident_id").loc["g4", "date"] == "2025-03-01"


def test_geojson_keeps_unplaced_incidents_with_null_geometry(tmp_path, dataset):
    fc = json.loads(export_incidents(dataset, tmp_path / "x.geojson").read_text())
    by_id = {f["properties"]["incident_id"]: f for f in fc["features"]}
    assert by_id["g5"]["geometry"] is None
    assert by_id["g5"]["properties"]["placement"] == "unplaced"
    assert by_id["g2"]["geometry"] == {"type": "Point", "coordinates": [67.0, 30.2]}
    assert list(by_id["g2"]["properties"]) == list(EXPORT_COLUMNS)


@pytest.mark.parametrize("suffix", [".gpkg", ".parquet"])
def test_gpkg_and_parquet_read_back_with_schema_columns(tmp_path, dataset, suffix):
    out = export_incidents(dataset, tmp_path / f"x{suffix}")
    gdf = gpd.read_parquet(out) if suffix == ".parquet" else gpd.read_file(out)
    assert [c for c in gdf.columns if c != "geometry"] == list(EXPORT_COLUMNS)
    assert gdf.crs.to_epsg() == 4326
    row = gdf.set_index("incident_id").loc["g2"]
    assert (row.geometry.x, row.geometry.y) == (67.0, 30.2)


def test_an_unknown_suffix_is_a_usage_error(tmp_path, dataset):
    with pytest.raises(
        UsageError,
        match=r"expected a file ending in \.geojson, \.gpkg, \.parquet, \.csv, got '\.shp'",
    ):
        export_incidents(dataset, tmp_path / "x.shp")


def test_a_failed_export_leaves_the_existing_file_untouched(tmp_path, dataset, monkeypatch):
    out = tmp_path / "x.csv"
    out.write_text("precious\n")

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        export_incidents(dataset, out)
    assert out.read_text() == "precious\n"
    assert [p.name for p in tmp_path.iterdir()] == ["x.csv"]
