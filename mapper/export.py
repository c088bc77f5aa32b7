"""Exporting resolved incidents to GeoJSON, GeoPackage, Parquet or CSV.

Every format carries the same columns, named as in the schema
(:data:`~mapper.schema.INCIDENT_COLUMNS` then
:data:`~mapper.schema.PLACEMENT_COLUMNS`), in that order, rows sorted by date
then ``incident_id``. Outputs are written atomically and are byte-identical
for the same dataset: no timestamps, no random ids. Unplaced incidents are
kept, with an empty geometry and their ``placement_reason``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mapper.errors import UsageError
from mapper.files import atomic_path, atomic_write
from mapper.schema import INCIDENT_COLUMNS, PLACEMENT_COLUMNS

if TYPE_CHECKING:
    import pandas as pd

    from mapper.schema import Dataset

__all__ = ["EXPORT_COLUMNS", "EXPORT_FORMATS", "export_incidents", "export_table"]

#: The columns of every export, in order (GeoJSON/GeoPackage/Parquet add a geometry).
EXPORT_COLUMNS: tuple[str, ...] = (*INCIDENT_COLUMNS, *PLACEMENT_COLUMNS)
#: File suffix -> format name.
EXPORT_FORMATS: dict[str, str] = {
    ".geojson": "GeoJSON",
    ".gpkg": "GeoPackage",
    ".parquet": "GeoParquet",
    ".csv": "CSV",
}
_DATE_COLUMNS = ("date", "date_end")
_GPKG_LAYER = "incidents"
# GDAL stamps a GeoPackage with the time of writing unless told otherwise.
_FIXED_TIMESTAMP = "2000-01-01T00:00:00.000Z"


def export_table(dataset: Dataset) -> pd.DataFrame:
    """Return the incidents as exported: schema columns, ISO date text, stable order."""
    import pandas as pd

    inc = dataset.incidents
    out = pd.DataFrame(index=range(len(inc)))
    for col in EXPORT_COLUMNS:
        values = inc[col].reset_index(drop=True) if col in inc.columns else None
        if col in _DATE_COLUMNS:
            dates = pd.to_datetime(values, errors="coerce") if values is not None else None
            out[col] = (
                pd.Series(dates.dt.strftime("%Y-%m-%d"), dtype=str)
                if dates is not None
                else pd.Series([pd.NA] * len(inc), dtype=str)
            )
        elif col in ("latitude", "longitude", "match_score"):
            out[col] = (
                pd.to_numeric(values, errors="coerce").astype("float64")
                if values is not None
                else float("nan")
            )
        else:
            out[col] = (
                pd.Series(values, dtype=str)
                if values is not None
                else pd.Series([pd.NA] * len(inc), dtype=str)
            )
    out = out.sort_values(["date", "incident_id"], kind="stable", na_position="last")
    return out.reset_index(drop=True)


def _clean(value: Any) -> Any:
    if value is None or value is getattr(__import__("pandas"), "NA", None):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _write_geojson(table: pd.DataFrame, target: Path) -> None:
    features = []
    for row in table.itertuples(index=False):
        props = {col: _clean(val) for col, val in zip(EXPORT_COLUMNS, row, strict=True)}
        lat, lon = props["latitude"], props["longitude"]
        geometry = (
            {"type": "Point", "coordinates": [lon, lat]}
            if lat is not None and lon is not None
            else None
        )
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    with atomic_write(target, newline="\n") as fh:
        fh.write('{"type": "FeatureCollection", "features": [\n')
        for i, feature in enumerate(features):
            fh.write(json.dumps(feature, ensure_ascii=False, allow_nan=False))
            fh.write(",\n" if i < len(features) - 1 else "\n")
        fh.write("]}\n")


def export_incidents(dataset: Dataset, out_path: str | Path) -> Path:
    """Write the dataset's incidents to a file whose suffix names the format.

    Parameters
    ----------
    dataset : Dataset
        E.g. from :func:`mapper.dataset.read_dataset`.
    out_path : str or Path
        ``.geojson``, ``.gpkg``, ``.parquet`` (GeoParquet) or ``.csv``.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    UsageError
        If the suffix is not one of the formats above.
    """
    target = Path(out_path)
    suffix = target.suffix.lower()
    if suffix not in EXPORT_FORMATS:
        raise UsageError(
            f"cannot export to {target.name!r}: expected a file ending in "
            f"{', '.join(EXPORT_FORMATS)}, got {suffix or 'no suffix'!r}"
        )
    table = export_table(dataset)
    if suffix == ".csv":
        with atomic_write(target, newline="") as fh:
            table.to_csv(fh, index=False, lineterminator="\n")
    elif suffix == ".geojson":
        _write_geojson(table, target)
    else:
        from mapper.dataset import with_points

        gdf = with_points(table)
        if suffix == ".parquet":
            with atomic_path(target) as tmp:
                gdf.to_parquet(tmp, index=False, compression="zstd")
        else:
            import pyogrio

            previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
            pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": _FIXED_TIMESTAMP})
            try:
                with atomic_path(target) as tmp:
                    gdf.to_file(tmp, driver="GPKG", layer=_GPKG_LAYER, engine="pyogrio")
            finally:
                pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})
    return target
