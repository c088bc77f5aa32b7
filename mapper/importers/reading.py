"""Any table file as text cells under its own headers: CSV/TSV, spreadsheets, GIS layers, Parquet.

:func:`read_source` keeps every header as written, by position, so that a
header repeated (``Source``, ``Source``, ``Source``) or left empty is still
there for column detection to judge. Cells become stripped text (``""`` when
empty); spreadsheet dates become ISO text and whole numbers lose their ``.0``.

======================================= =====================================================
file                                    read with
======================================= =====================================================
``.csv``, ``.tsv``, ``.txt`` (any other) :func:`mapper.tables.read.read_table`: comma, semicolon
                                        or tab; UTF-8, UTF-16 or a legacy single-byte encoding
``.xlsx``, ``.xlsm``, ``.xls``, ``.ods`` python-calamine; the first sheet unless ``sheet``
``.geojson``, ``.json``, ``.gpkg``,     pyogrio; a point gives the coordinates, another
``.shp``                                geometry its representative point (approximate)
``.parquet``                            pandas (pyarrow)
======================================= =====================================================

Each row keeps where it came from: its line in a CSV, its row in a sheet (the
header is row 1), or its position in a GIS layer or Parquet file (the first is 1).
"""

from __future__ import annotations

import json
import math
import re
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mapper.errors import InputError

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = ["SPREADSHEET_SUFFIXES", "SourceTable", "read_source"]

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
GIS_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp")
# A Windows compound file: an .xls, or an .xlsx locked with a password.
_COMPOUND_FILE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class SourceTable:
    """A table file read as text cells.

    Attributes
    ----------
    path : str
        The file, as given.
    kind : str
        What was read (``CSV``, ``sheet 'Log' of a workbook``, ``GeoJSON``...).
    headers : list of str
        The header of each column as written, by position.
    frame : pandas.DataFrame
        Text cells; column ``i`` holds the column headed ``headers[i]``.
    lines : numpy.ndarray
        Where each row is in the file (line, sheet row or feature number).
    rejected : list of (int, str)
        Rows that could not be read: where and why.
    latitude, longitude : pandas.Series, optional
        Coordinates from the geometry of a GIS layer (text; ``""`` when none).
    geometry_note : pandas.Series, optional
        For GIS layers: why a row's point is approximate (``""`` for points).
    geometry_extent_km : pandas.Series, optional
        For GIS layers: the diagonal of each geometry's bounding box (0 for points).
    """

    path: str
    kind: str
    headers: list[str]
    frame: pd.DataFrame
    lines: np.ndarray
    rejected: list[tuple[int, str]] = field(default_factory=list)
    latitude: pd.Series | None = None
    longitude: pd.Series | None = None
    geometry_note: pd.Series | None = None
    geometry_extent_km: pd.Series | None = None

    def column(self, position: int) -> pd.Series:
        """Return the cells of the column at ``position``."""
        return self.frame.iloc[:, position]


def read_source(path: str | Path, *, sheet: str | None = None) -> SourceTable:
    """Read a table file of any supported format into text cells.

    Parameters
    ----------
    path : str or Path
        The file; its suffix picks the reader (see the module's table).
    sheet : str, optional
        For a workbook: the sheet to read (default: the first).

    Returns
    -------
    SourceTable

    Raises
    ------
    InputError
        If the file is missing, unreadable, corrupt, password-protected, has no
        such sheet or no rows, or (GeoJSON) is not a FeatureCollection.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if sheet is not None and suffix not in SPREADSHEET_SUFFIXES:
        raise InputError(f"--sheet {sheet!r} given, but this is not a workbook", path=p)
    if not p.exists():
        raise InputError("no such file", path=p)
    if p.is_dir():
        raise InputError("is a directory, expected a table file", path=p)
    if suffix in SPREADSHEET_SUFFIXES:
        table = _read_workbook(p, sheet)
    elif suffix in GIS_SUFFIXES:
        table = _read_gis(p)
    elif suffix == ".parquet":
        table = _read_parquet(p)
    else:
        table = _read_csv(p)
    if len(table.frame) == 0 and not table.rejected:
        raise InputError("no rows: the file has a header but nothing under it", path=p)
    return table


# --- CSV ----------------------------------------------------------------------------


def _read_csv(path: Path) -> SourceTable:
    from mapper.files import read_text
    from mapper.tables.read import read_table, sniff_delimiter, split_line

    text = read_text(path)
    if text.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
        raise InputError(
            "looks like a web page (HTML), not a table; expected CSV/TSV, a spreadsheet, "
            "a GIS layer or Parquet",
            path=path,
        )
    top = text.split("\n", _HEADER_SEARCH_ROWS)[:_HEADER_SEARCH_ROWS]
    delimiter = sniff_delimiter(top)
    parsed = []
    for line in top:
        parsed.append(split_line(line, delimiter))
    start = _header_row([[c.strip() or None for c in cells] for cells in parsed], typed=False)
    start = start or 0
    headers = [h.strip() for h in parsed[start]] if parsed else []
    if not any(headers):
        raise InputError("empty file, expected a header line naming the columns", path=path)
    # Positional names let repeated and empty headers through the reader, which
    # refuses them in our own tables; the headers as written are kept aside. Title
    # lines above the header become blank lines, so that line numbers stay the file's.
    keys = [f"c{i}" for i in range(len(headers))]
    end = -1
    for _ in range(start + 1):
        end = text.find("\n", end + 1)
        if end < 0:
            break
    rest = "" if end < 0 else text[end:]
    table = read_table(path, table="table", text=delimiter.join(keys) + "\n" * start + rest)
    frame = table.frame
    frame.columns = range(len(headers))
    kind = "CSV"
    above = [i + 1 for i in range(start) if any(c.strip() for c in parsed[i])]
    if above:
        kind += (
            f" (header on line {start + 1}; {_row_list(above, 'line')} above it skipped as a title)"
        )
    return SourceTable(str(path), kind, headers, frame, table.lines, table.rejected)


# --- spreadsheets -------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _text_frame(rows: list[list[Any]], width: int) -> pd.DataFrame:
    import pandas as pd

    columns = {}
    for i in range(width):
        cells = [r[i] if i < len(r) else None for r in rows]
        if all(isinstance(c, str) for c in cells):
            columns[i] = pd.Series(cells, dtype=object).str.strip()
        else:
            columns[i] = pd.Series([_cell_text(c) for c in cells], dtype=object)
    frame = pd.DataFrame(columns, index=range(len(rows)))
    return frame.astype(str) if len(frame.columns) else frame


def _read_workbook(path: Path, sheet: str | None) -> SourceTable:
    import numpy as np
    import python_calamine as pc

    try:
        book = pc.CalamineWorkbook.from_path(str(path))
    except pc.PasswordError as err:
        raise InputError(
            "the workbook is password-protected; save a copy without the password and import that",
            path=path,
        ) from err
    except Exception as err:  # calamine raises several types for one cause: not a workbook
        with path.open("rb") as fh:
            head = fh.read(8)
        if head == _COMPOUND_FILE and b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00" in path.read_bytes():
            raise InputError(
                "the workbook is password-protected (encrypted); save a copy without the "
                "password and import that",
                path=path,
            ) from err
        raise InputError(
            f"not a readable workbook ({type(err).__name__}: {str(err)[:80]}); expected an "
            f"Excel or OpenDocument file ({', '.join(SPREADSHEET_SUFFIXES)})",
            path=path,
        ) from err
    names = list(book.sheet_names)
    if sheet is None:
        if not names:
            raise InputError("the workbook has no sheets", path=path)
        sheet = names[0]
    elif sheet not in names:
        raise InputError(
            f"no sheet {sheet!r} in the workbook; its sheets are {', '.join(map(repr, names))}",
            path=path,
        )
    try:
        rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except Exception as err:
        raise InputError(f"sheet {sheet!r} cannot be read ({err})", path=path) from err
    start = _header_row(rows)
    if start is None:
        raise InputError(f"sheet {sheet!r} is empty, expected a header row", path=path)
    headers = [_cell_text(c) for c in rows[start]]
    body = rows[start + 1 :]
    numbers = np.arange(start + 2, start + 2 + len(body), dtype=np.int64)
    filled = np.array([any(c not in ("", None) for c in r) for r in body], dtype=bool)
    body = [r for r, keep in zip(body, filled, strict=True) if keep]
    frame = _text_frame(body, len(headers))
    kind = f"sheet {sheet!r} of a workbook"
    above = [i + 1 for i in range(start) if any(_cell_text(c) for c in rows[i])]
    if above:
        kind += f" (header on row {start + 1}; {_row_list(above)} above it skipped as a title)"
    return SourceTable(str(path), kind, headers, frame, numbers[filled])


#: A sheet's header is looked for among its first rows with text.
_HEADER_SEARCH_ROWS = 30


_NUMBER_OR_DATE = re.compile(r"^[-+]?[\d.,:/ ]+$")


def _header_row(rows: list[list[Any]], *, typed: bool = True) -> int | None:
    """Return the index of a table's header row, skipping a title block above it.

    Tables made for people often open with a title, a source line or a note
    (one cell each) before the header. The header is the first row with text
    in at least two cells, none of them a number or a date (a header names; a
    data row holds figures), and at least half as many filled cells as the
    widest of the first rows. Without such a row, the first row with any
    text. ``typed`` says the cells keep their types (a sheet); otherwise they
    are all text (a CSV) and a number is told by its look.
    """
    texts = []
    for i, r in enumerate(rows):
        cells = [c for c in r if _cell_text(c)]
        if cells:
            texts.append((i, cells))
        if len(texts) >= _HEADER_SEARCH_ROWS:
            break
    if not texts:
        return None
    widest = max(len(cells) for _, cells in texts)

    def names(c: Any) -> bool:
        if typed:
            return isinstance(c, str)
        return not _NUMBER_OR_DATE.match(str(c))

    for i, cells in texts:
        if len(cells) >= max(2, (widest + 1) // 2) and all(names(c) for c in cells):
            return i
    return texts[0][0]


def _row_list(rows: list[int], word: str = "row") -> str:
    if len(rows) == 1:
        return f"{word} {rows[0]}"
    if rows == list(range(rows[0], rows[-1] + 1)):
        return f"{word}s {rows[0]}-{rows[-1]}"
    return f"{word}s " + ", ".join(map(str, rows))


# --- GIS layers and Parquet ---------------------------------------------------------


def _check_geojson(path: Path) -> None:
    try:
        with path.open("rb") as fh:
            doc = json.load(fh)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise InputError(f"not valid JSON ({err})", path=path) from err
    kind = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
    if kind != "FeatureCollection":
        raise InputError(
            f"expected a GeoJSON FeatureCollection, found {kind!r}; wrap the features in "
            '{"type": "FeatureCollection", "features": [...]}',
            path=path,
        )


def _read_gis(path: Path) -> SourceTable:
    import numpy as np
    import pandas as pd
    import pyogrio

    if path.suffix.lower() in (".geojson", ".json"):
        _check_geojson(path)
    try:
        with warnings.catch_warnings():
            # Mixed-type properties are read as text, which is what we want.
            warnings.simplefilter("ignore", UserWarning)
            gdf = pyogrio.read_dataframe(path)
    except Exception as err:  # pyogrio's errors are many; each means the file is unusable
        raise InputError(f"not a readable GIS layer ({str(err)[:120]})", path=path) from err
    if gdf.crs is not None and gdf.crs.to_epsg() != 4326 and len(gdf):
        gdf = gdf.to_crs(4326)
    geom = gdf.geometry
    attrs = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    headers = [str(c) for c in attrs.columns]
    rows = attrs.astype(object).where(attrs.notna(), None).to_numpy().tolist()
    frame = _text_frame(rows, len(headers))
    present = geom.notna() & ~geom.is_empty
    points = present & (geom.geom_type == "Point")
    point = geom.where(points, geom.representative_point())
    lat = pd.Series("", index=frame.index, dtype=object)
    lon = pd.Series("", index=frame.index, dtype=object)
    have = present.to_numpy()
    # Six decimals (about 0.1 m): a representative point's float noise is not data.
    lat[have] = point[have].y.round(6).map(repr).to_numpy()
    lon[have] = point[have].x.round(6).map(repr).to_numpy()
    note = pd.Series("", index=frame.index, dtype=object)
    other = (present & ~points).to_numpy()
    note[other] = (
        "the geometry is a "
        + geom[other].geom_type.to_numpy()
        + "; its representative point is used (approximate)"
    )
    bounds = geom.bounds.fillna(0.0)
    from mapper.geo import haversine_km

    extent = pd.Series(
        haversine_km(
            bounds["miny"].to_numpy(),
            bounds["minx"].to_numpy(),
            bounds["maxy"].to_numpy(),
            bounds["maxx"].to_numpy(),
        ),
        index=frame.index,
    )
    kind = {".gpkg": "GeoPackage", ".shp": "Shapefile"}.get(path.suffix.lower(), "GeoJSON")
    lines = np.arange(1, len(frame) + 1, dtype=np.int64)
    return SourceTable(
        str(path),
        kind,
        headers,
        frame,
        lines,
        latitude=lat.astype(str),
        longitude=lon.astype(str),
        geometry_note=note.astype(str),
        geometry_extent_km=extent,
    )


def _read_parquet(path: Path) -> SourceTable:
    import numpy as np
    import pandas as pd

    try:
        df = pd.read_parquet(path)
    except Exception as err:  # pyarrow's errors: each means the file is unusable
        raise InputError(f"not a readable Parquet file ({str(err)[:120]})", path=path) from err
    headers = [str(c) for c in df.columns]
    frame = pd.DataFrame(index=range(len(df)))
    for i, col in enumerate(df.columns):
        s = df[col].reset_index(drop=True)
        if pd.api.types.is_string_dtype(s) or s.dtype == object:
            frame[i] = s.map(_cell_text).astype(str)
        elif pd.api.types.is_datetime64_any_dtype(s):
            text = s.dt.strftime("%Y-%m-%d")
            frame[i] = text.where(s.notna(), "").astype(str)
        else:
            frame[i] = s.astype(object).map(_cell_text).astype(str)
    lines = np.arange(1, len(frame) + 1, dtype=np.int64)
    return SourceTable(str(path), "Parquet", headers, frame, lines)
