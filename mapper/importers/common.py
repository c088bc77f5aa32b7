"""What every importer shares: the result, its writer, and readers of dates and coordinates.

The importers (:mod:`~mapper.importers.acled`, :mod:`~mapper.importers.ucdp`,
:mod:`~mapper.importers.table`, :mod:`~mapper.importers.gtd`) import from here;
this module imports none of them, so there is no cycle.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from mapper.files import atomic_write
from mapper.schema import (
    CLAIM_COLUMNS,
    CLAIMS_FILE,
    INCIDENT_COLUMNS,
    INCIDENTS_FILE,
    METADATA_FILE,
    REPORT_COLUMNS,
    row_counts,
)
from mapper.tables.cells import to_float

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

__all__ = [
    "UNUSABLE",
    "ImportResult",
    "canonical",
    "finish",
    "parse_coordinates",
    "write_dataset",
]

#: How the reason of a row kept without its unusable coordinates begins.
UNUSABLE = "unusable coordinates"
#: Why an imported row without coordinates is unplaced in the import's own account.
BY_NAME_LATER = "no coordinates; the place name will be looked up when the dataset is read"


@dataclass
class ImportResult:
    """What an importer made of a file.

    Attributes
    ----------
    incidents : pandas.DataFrame
        Columns :data:`~mapper.schema.INCIDENT_COLUMNS`, text cells as they will
        be written (ISO dates).
    claims : pandas.DataFrame
        Columns :data:`~mapper.schema.CLAIM_COLUMNS`: the dataset's own figures,
        attributed to it (claimant ``ACLED`` or ``UCDP``, side ``dataset``).
    report : pandas.DataFrame
        Columns :data:`~mapper.schema.REPORT_COLUMNS`, one row per input row:
        ``placed`` (coordinates given), ``unplaced`` (kept; its place name is
        looked up when the dataset is read) or ``rejected`` (with the reason).
    name : str
        A title for the dataset.
    attribution : list of str
        Credit lines for the source dataset.
    columns : dict of str to str or list of str
        For tables read by column detection: which header (or headers) each
        field was read from, recorded in ``dataset.json``.
    detected : str
        What the file was recognised as (``ACLED export``, ``generic table``...).
    """

    incidents: pd.DataFrame
    claims: pd.DataFrame
    report: pd.DataFrame
    name: str = "imported"
    attribution: list[str] = field(default_factory=list)
    columns: dict[str, str | list[str]] = field(default_factory=dict)
    detected: str = ""

    def counts(self) -> dict[str, int]:
        """Return how many input rows ended placed, unplaced and rejected."""
        return row_counts(self.report)


def write_dataset(result: ImportResult, out_dir: str | Path) -> Path:
    """Write ``result`` as a dataset directory (incidents.csv, claims.csv, dataset.json).

    Each file is written atomically: a failed run leaves earlier files untouched.
    Returns the directory.
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        from mapper.errors import UsageError

        raise UsageError(f"{out} exists and is not a directory; expected a directory to write into")
    out.mkdir(parents=True, exist_ok=True)
    meta: dict[str, object] = {"name": result.name, "attribution": result.attribution}
    if result.columns:
        meta["columns"] = result.columns
    # Columns the source had that our schema has no place for travel after ours.
    extra = [c for c in result.incidents.columns if c not in INCIDENT_COLUMNS]
    # All three files are written in full before any is renamed into place, so a
    # failure leaves the directory as it was, not new incidents beside old claims.
    with (
        atomic_write(out / INCIDENTS_FILE, "wb") as inc,
        atomic_write(out / CLAIMS_FILE, "wb") as cl,
        atomic_write(out / METADATA_FILE) as fh,
    ):
        write_csv(result.incidents[[*INCIDENT_COLUMNS, *extra]], inc)
        write_csv(result.claims[list(CLAIM_COLUMNS)], cl)
        json.dump(meta, fh, indent=2, sort_keys=True, ensure_ascii=False)
        fh.write("\n")
    return out


def _value_bytes(values: pa.Array) -> np.ndarray:
    """Return the bytes of a large_string array's values, concatenated, without copying."""
    import numpy as np

    if hasattr(values, "combine_chunks"):  # a ChunkedArray, from pandas' Arrow-backed text
        values = values.combine_chunks()
    offsets = np.frombuffer(values.buffers()[1], dtype=np.int64)
    first, last = offsets[values.offset], offsets[values.offset + len(values)]
    data = values.buffers()[2]
    if data is None:
        return np.zeros(0, dtype=np.uint8)
    return np.frombuffer(data, dtype=np.uint8)[first:last]


def write_csv(frame: pd.DataFrame, fh: BinaryIO) -> None:
    """Write ``frame`` to ``fh`` as UTF-8 CSV, as ``frame.to_csv(fh, index=False)`` with LF would.

    Text, whole numbers (``Int64`` too) and floats; quoted only where needed (a
    comma, a quote or a line break); missing values empty. Built column-wise with
    Arrow and written as bytes: pandas' writer takes about ten times as long,
    which a million-row import cannot afford.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    text_type = pa.large_string()
    quote = pa.scalar('"', text_type)
    nothing = pa.scalar("", text_type)

    def quoted(values: pa.Array) -> pa.Array:
        # bytes' own search (memchr) is several times faster than numpy comparisons.
        raw = _value_bytes(values).tobytes()
        if not any(c in raw for c in (b",", b'"', b"\n", b"\r")):
            return values  # the usual column: nothing to quote, no per-value scan
        needs = pc.match_substring_regex(values, r'[,"\r\n]')
        doubled = pc.replace_substring(values, '"', '""')
        escaped = pc.binary_join_element_wise(quote, doubled, quote, nothing)
        return pc.if_else(needs, escaped, values)

    header = ",".join(quoted(pa.array([str(c) for c in frame.columns], type=text_type)).to_pylist())
    fh.write(header.encode("utf-8") + b"\n")
    if not len(frame) or not len(frame.columns):
        return
    cells = []
    for col in frame.columns:
        s = frame[col]
        if s.dtype.kind in "fb":  # pandas' spelling of floats and booleans
            s = s.map(lambda v: "" if v is None or v != v else str(v)).astype(object)
        arr = pc.cast(pa.array(s, from_pandas=True), text_type)
        cells.append(quoted(pc.fill_null(arr, nothing)))
    # The last cell carries its row's "\n", so one join over the row makes the file's body:
    # the joined values' data buffer, written as it is.
    cells[-1] = pc.binary_join_element_wise(cells[-1], pa.scalar("\n", text_type), nothing)
    lines = pc.binary_join_element_wise(*cells, pa.scalar(",", text_type))
    fh.write(memoryview(_value_bytes(lines)))


# --- shared by the importers ------------------------------------------------------


# 26°00'07"N, 63 03 E, N 30.18, 30.18N, 26:00:07N: degrees, minutes and seconds with a
# hemisphere letter (or a sign), as people type them into spreadsheets.
_DEGREES = re.compile(
    r"""^\s*(?P<pre>[NSEWnsew])?\s*(?P<sign>[-+])?\s*
    (?P<deg>\d{1,3}(?:[.,]\d+)?)\s*(?:°|º|˚|deg|d|:|\s)?\s*
    (?:(?P<min>\d{1,2}(?:[.,]\d+)?)\s*(?:'|′|’|min|m|:|\s)?\s*
    (?:(?P<sec>\d{1,2}(?:[.,]\d+)?)\s*(?:"|″|”|''|sec|s)?)?)?
    \s*(?P<post>[NSEWnsew])?\s*$""",
    re.VERBOSE,
)


def _degrees_value(text: str, axis: str) -> float:
    """Return the decimal degrees of one written-out coordinate, NaN if it is not one."""
    m = _DEGREES.match(text)
    if m is None or (m["pre"] and m["post"]):
        return math.nan
    letter = (m["pre"] or m["post"] or "").upper()
    if letter and letter not in axis:
        return math.nan  # a longitude letter in the latitude column: not ours to swap
    if not letter and m["min"] is None:
        return math.nan  # a bare number is a decimal, which did not read
    minutes = float(m["min"].replace(",", ".")) if m["min"] else 0.0
    seconds = float(m["sec"].replace(",", ".")) if m["sec"] else 0.0
    if minutes >= 60 or seconds >= 60:
        return math.nan
    value = float(m["deg"].replace(",", ".")) + minutes / 60 + seconds / 3600
    negative = (m["sign"] == "-") != (letter in ("S", "W"))
    return -value if negative else value


def _with_degrees_written_out(
    text: pd.Series, numbers: pd.Series, axis: str
) -> tuple[pd.Series, pd.Series]:
    """Read the cells decimal parsing left unread as degrees, minutes, seconds and hemisphere.

    Returns the text with such cells rewritten as decimals (six places) and their numbers.
    """
    unread = numbers.isna() & (text != "")
    if not unread.any():
        return text, numbers
    values = {v: _degrees_value(v, axis) for v in text[unread].unique().tolist()}
    found = text[unread].map(values).astype(float)
    read = found.notna()
    if not read.any():
        return text, numbers
    numbers = numbers.copy()
    text = text.copy()
    idx = found.index[read.to_numpy()]
    numbers[idx] = found[read]
    text[idx] = found[read].round(6).map(repr)
    return text, numbers


_WKT_POINT = re.compile(r"POINT\s*(?:Z\s*)?\(\s*(\S+)\s+(\S+)(?:\s+\S+)?\s*\)", re.IGNORECASE)
# One coordinate with its hemisphere letter after or before it: 26°00'07"N, 30.18 N, E 67.0.
_LETTERED = re.compile(r"[NSEWnsew][^NSEWnsew,;]+|[^NSEWnsew,;]*?[NSEWnsew](?=[\s,;]|$)")
#: Degrees with a decimal comma, as European spreadsheets write them: "26,00122". A degree
#: has at most three digits before its decimals, so this is never a thousands separator.
_DECIMAL_COMMA = re.compile(r"\s*(-?\d{1,3}),(\d+)\s*")


def split_coordinate_pair(cell: str) -> tuple[str, str]:
    """Split one cell holding a point into its latitude and longitude text ("" if it cannot).

    Reads ``30.184, 67.001`` and ``30.184;67.001`` (latitude first, as maps and
    spreadsheets write them), ``26,00122 63,04849`` (decimal commas),
    ``25.12N 62.33E`` and ``26°00'07"N 63°02'55"E`` (the letters say which is
    which, in either order) and WKT ``POINT (63.0485 26.0012)`` (longitude first).
    A cell that is none of these comes back whole as the latitude, for the caller
    to report as unusable.
    """
    wkt = _WKT_POINT.search(cell)
    if wkt:
        return wkt.group(2), wkt.group(1)
    text = cell.strip().strip("()[]").strip()
    lettered = [t.strip(" ,;") for t in _LETTERED.findall(text) if t.strip(" ,;")]
    if len(lettered) == 2 and all(any(c.isdigit() for c in t) for t in lettered):
        axes = ["NS" if any(c in "NSns" for c in t) else "EW" for t in lettered]
        if sorted(axes) == ["EW", "NS"]:
            lat, lon = lettered if axes[0] == "NS" else lettered[::-1]
            return lat, lon
    if ";" in text:
        parts = text.split(";")
    elif text.count(",") == 1 and not _DECIMAL_COMMA.fullmatch(text):
        parts = text.split(",")
    else:
        parts = text.split()  # "26,00122 63,04849": the commas are decimal ones
    parts = [p.strip() for p in parts]
    # Anything else stays as written, to be reported as unusable rather than dropped.
    return (parts[0], parts[1]) if len(parts) == 2 and all(parts) else (cell.strip(), "")


def split_coordinates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Return :func:`split_coordinate_pair` of a column, each distinct cell split once."""
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(values.astype(str))
    pairs = [split_coordinate_pair(u) for u in uniques] + [("", "")]
    take = np.where(codes < 0, len(uniques), codes)
    lat = pd.Series(np.array([p[0] for p in pairs], dtype=object)[take], index=values.index)
    lon = pd.Series(np.array([p[1] for p in pairs], dtype=object)[take], index=values.index)
    return lat.astype(str), lon.astype(str)


def _decimal_points(values: pd.Series) -> pd.Series:
    """Return degrees written with a decimal comma (:data:`_DECIMAL_COMMA`) with a point."""
    if not values.str.contains(",", regex=False).any():
        return values
    pattern = "^" + _DECIMAL_COMMA.pattern + "$"
    return values.str.replace(pattern, r"\1.\2", regex=True)


def parse_coordinates(
    lat: pd.Series, lon: pd.Series, country: pd.Series | None = None
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Return latitude and longitude text that is usable, blanked elsewhere, and why.

    With ``country`` (codes or English names), a point outside the country its
    row names (latitude and longitude swapped, say) is not usable either.
    """
    import numpy as np
    import pandas as pd

    lat, lon = _decimal_points(lat), _decimal_points(lon)
    la, lo = to_float(lat), to_float(lon)
    lat, la = _with_degrees_written_out(lat, la, "NS")
    lon, lo = _with_degrees_written_out(lon, lo, "EW")
    ok = np.isfinite(la) & np.isfinite(lo) & (la.abs() <= 90) & (lo.abs() <= 180)
    given = (lat != "") | (lon != "")
    why = pd.Series("", index=lat.index, dtype=str)
    bad = given & ~ok
    # As written: both cells, or the one cell a point was written in.
    written = lat[bad].astype(str) + (", " + lon[bad].astype(str)).where(lon[bad] != "", "")
    why[bad] = UNUSABLE + " (" + written + "); the place name will be looked up instead"
    # Spreadsheets and exports write 0, 0 for "no coordinates": a dot in the Gulf of Guinea.
    null = ok & (la == 0) & (lo == 0)
    why[null] = (
        UNUSABLE + " (0, 0: a placeholder for none); the place name will be looked up instead"
    )
    ok &= ~null
    if country is not None and ok.any():
        from mapper.gazetteer.extents import outside_countries

        far = outside_countries(la.where(ok), lo.where(ok), country)
        moved = far != ""
        why[moved] = UNUSABLE + ": " + far[moved] + "; the place name will be looked up instead"
        ok &= ~moved
    return lat.where(ok, ""), lon.where(ok, ""), why


def finish(
    *,
    path: str,
    lines: pd.Series,
    incidents: pd.DataFrame,
    claims: pd.DataFrame,
    reject: pd.Series,
    notes: pd.Series,
    name: str,
    attribution: list[str],
    unsplit: list[tuple[int, str]] = (),  # type: ignore[assignment]
) -> ImportResult:
    """Assemble an :class:`ImportResult`: drop rejected rows, report every row."""
    import numpy as np
    import pandas as pd

    from mapper.placement import replace_contradicted_points

    # A source point that contradicts the row's own district is re-placed or cleared, not lost.
    incidents, moved = replace_contradicted_points(incidents)
    if (moved != "").any():
        notes = notes.where(moved == "", (notes + "; " + moved).str.lstrip("; "))
    has_coords = ((incidents["latitude"] != "") & (incidents["longitude"] != "")).to_numpy()
    refused = (reject != "").to_numpy()
    # Whole-column choices: masked assignment into a million-row text column is slow.
    status = np.where(refused, "rejected", np.where(has_coords, "placed", "unplaced"))
    reason = notes.where(has_coords | (notes != "").to_numpy(), BY_NAME_LATER)
    reason = reject.where(refused, reason)
    index = pd.RangeIndex(len(incidents))
    report = pd.DataFrame(
        {
            "file": path,
            "line": lines.astype("int64").to_numpy(),
            "table": "incidents",
            "record_id": incidents["incident_id"].set_axis(index),
            "status": pd.Series(status, index=index, dtype=str),
            "reason": reason.set_axis(index),
        },
        columns=list(REPORT_COLUMNS),
    )
    if unsplit:
        extra = pd.DataFrame(
            {
                "file": path,
                "line": [line for line, _ in unsplit],
                "table": "incidents",
                "record_id": "",
                "status": "rejected",
                "reason": [r for _, r in unsplit],
            },
            columns=list(REPORT_COLUMNS),
        )
        report = pd.concat([report, extra], ignore_index=True)
        report = report.sort_values("line", kind="stable").reset_index(drop=True)
    kept = reject == ""
    if kept.all():  # the usual file: no row to drop, so no copy of every column
        out_inc, out_claims = incidents.reset_index(drop=True), claims
    else:
        out_inc = incidents[kept].reset_index(drop=True)
        # ``claims["_row"]`` is the position of the incident row each claim came from.
        out_claims = claims[claims["_row"].isin(kept.index[kept.to_numpy()])]
    out_claims = out_claims.reindex(columns=list(CLAIM_COLUMNS), fill_value="")
    out_claims = out_claims.reset_index(drop=True)
    return ImportResult(out_inc, out_claims, report, name=name, attribution=attribution)


def canonical(values: pd.Series, choices: tuple[str, ...]) -> pd.Series:
    """Map values onto ``choices`` ignoring case and spacing; unknown values become ``""``."""
    keyed = {re.sub(r"\s+", " ", c).casefold(): c for c in choices}
    return values.map(lambda v: keyed.get(re.sub(r"\s+", " ", str(v)).strip().casefold(), ""))
