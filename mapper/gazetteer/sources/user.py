"""User gazetteer files: CSVs (hand-written, learned, imported) and GeoNames dumps."""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mapper.errors import InputError
from mapper.files import read_text
from mapper.gazetteer.countries import country_code
from mapper.gazetteer.extents import outside_country
from mapper.gazetteer.places import (
    PlaceRow,
    PlaceTable,
)
from mapper.gazetteer.sources import geonames_dump
from mapper.schema import LOCATION_PRECISIONS

# --- reading gazetteer files -------------------------------------------------

_CSV_REQUIRED = ("name", "latitude", "longitude")


def read_gazetteer_csv(
    path: str | os.PathLike[str], *, source: str | None = None
) -> list[PlaceRow]:
    """Read a user gazetteer CSV.

    Columns ``name``, ``latitude``, ``longitude`` are required; ``aliases``
    (separated by ``|``), ``kind``, ``district``, ``province``, ``country``
    (ISO code or English name), ``precision``, ``population``, ``geonameid``
    and ``source`` are optional, and so are the learned-support columns
    ``support_rows``, ``support_sources`` and ``spread_km`` (see
    :mod:`mapper.gazetteer.sources.learned`); others are ignored. Commas, semicolons or
    tabs separate the columns.

    Raises
    ------
    InputError
        Naming the file, line (header = 1) and column of the first bad value.
    """
    label = source if source is not None else Path(path).name
    reader, header = _csv_header(read_text(path), path)
    rows = [_csv_place(rec, label, path, line) for line, rec in _csv_records(reader, header, path)]
    if not rows:
        raise InputError(
            "no places: the file has a header but no rows", path=path, line=reader.line_num
        )
    return rows


def _csv_header(text: str, path: object) -> tuple[Any, list[str]]:
    """Return a reader positioned after the header, and the header's lower-cased columns."""
    first = text.split("\n", 1)[0]
    if not first.strip():
        raise InputError(
            "expected a header line with columns name, latitude, longitude; the file starts "
            "with an empty line",
            path=path,
            line=1,
        )
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    missing = [c for c in _CSV_REQUIRED if c not in header]
    if missing:
        raise InputError(
            f"expected columns {', '.join(_CSV_REQUIRED)}; missing {', '.join(missing)} "
            f"(found: {_clip(', '.join(header))}); a GeoNames dump instead needs 19 "
            "tab-separated fields a line",
            path=path,
            line=1,
        )
    return reader, header


def _csv_records(
    reader: Any, header: list[str], path: object
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line, {column: stripped value})`` per non-blank record with the header's width."""
    for line, values in _located_records(reader, path):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            if any("\n" in v for v in values):
                # An unclosed quote swallows the lines after it into one field.
                raise InputError(
                    f"broken CSV quoting: a quoted field runs on to line {reader.line_num}; "
                    "check for an unclosed '\"'",
                    path=path,
                    line=line,
                )
            raise InputError(
                f"expected {len(header)} fields like the header, got {len(values)}",
                path=path,
                line=line,
            )
        yield line, {h: v.strip() for h, v in zip(header, values, strict=True)}


def _csv_place(rec: dict[str, str], label: str, path: object, line: int) -> PlaceRow:
    """Check one record's values and return its place."""
    if not rec["name"]:
        raise InputError("expected a place name, got an empty value", path=path, line=line,
                         column="name")  # fmt: skip
    lat = _csv_degrees(rec, "latitude", 90.0, path, line)
    lon = _csv_degrees(rec, "longitude", 180.0, path, line)
    country = _csv_country(rec, lat, lon, path, line)
    kind = (rec.get("kind") or "place").lower()
    precision = (rec.get("precision") or "").lower() or _precision_of_kind(kind)
    if precision not in LOCATION_PRECISIONS:
        raise InputError(
            f"expected one of {', '.join(LOCATION_PRECISIONS)}, got {rec['precision']!r}",
            path=path,
            line=line,
            column="precision",
        )
    row_source = rec.get("source") or ""
    return PlaceRow(
        name=rec["name"],
        aliases=_split_aliases(rec.get("aliases")),
        latitude=lat,
        longitude=lon,
        kind=kind,
        precision=precision,
        district=rec.get("district") or None,
        province=rec.get("province") or None,
        country=country,
        population=_csv_int(rec, "population", path, line),
        geonameid=_csv_int(rec, "geonameid", path, line),
        # The row's own source stays with the file's name: a learned place
        # says which tables it came from, an imported one that it is GeoNames'.
        source=f"{label} ({row_source})" if row_source else label,
        support_rows=_csv_count(rec, "support_rows", path, line),
        support_sources=_csv_count(rec, "support_sources", path, line),
        spread_km=_csv_spread(rec, path, line),
    )


def _csv_country(
    rec: dict[str, str], lat: float, lon: float, path: object, line: int
) -> str | None:
    """Return the row's ISO country code, or raise if unknown or the point lies outside it."""
    country = rec.get("country") or None
    if country is None:
        return None
    code = country_code(country)
    if code is None:
        raise InputError(
            f"expected an ISO 3166 alpha-2 code or an English country name, got {country!r}",
            path=path,
            line=line,
            column="country",
        )
    why = outside_country(lat, lon, code)
    if why:
        raise InputError(why, path=path, line=line, column="latitude")
    return code


def _located_records(reader: Any, path: object) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line where the record starts, fields)``; a CSV error becomes an InputError."""
    start = reader.line_num + 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise InputError(
                f"broken CSV ({err}); check for an unclosed '\"'", path=path, line=start
            ) from err
        yield start, values
        start = reader.line_num + 1


def _clip(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _split_aliases(text: str | None) -> tuple[str, ...]:
    return tuple(a.strip() for a in (text or "").split("|") if a.strip())


def _precision_of_kind(kind: str) -> str:
    return kind if kind in ("district", "province", "country") else "exact"


def _csv_degrees(rec: dict[str, str], column: str, bound: float, path: object, line: int) -> float:
    value = rec[column]
    try:
        number = float(value)
    except ValueError:
        raise InputError(
            f"expected a number in decimal degrees, got {value!r}",
            path=path,
            line=line,
            column=column,
        ) from None
    if not -bound <= number <= bound or math.isnan(number):
        raise InputError(
            f"expected a value between {-bound:g} and {bound:g}, got {value}",
            path=path,
            line=line,
            column=column,
        )
    return number


def _csv_int(rec: dict[str, str], column: str, path: object, line: int) -> int:
    value = rec.get(column) or ""
    if not value:
        return 0
    try:
        return int(float(value))
    except ValueError:
        raise InputError(
            f"expected a whole number, got {value!r}", path=path, line=line, column=column
        ) from None


def _csv_count(rec: dict[str, str], column: str, path: object, line: int) -> int | None:
    """Read an optional learned-support count: empty (or no column) is None."""
    if not rec.get(column):
        return None
    value = _csv_int(rec, column, path, line)
    if value < 0:
        raise InputError(
            f"expected a count of 0 or more, got {rec[column]!r}",
            path=path,
            line=line,
            column=column,
        )
    return value


def _csv_spread(rec: dict[str, str], path: object, line: int) -> float | None:
    text = rec.get("spread_km") or ""
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not value >= 0 or math.isinf(value):
        raise InputError(
            f"expected a distance in km (0 or more), got {text!r}",
            path=path,
            line=line,
            column="spread_km",
        )
    return value


def read_gazetteer_file(path: str | os.PathLike[str]) -> PlaceTable:
    """Read a user gazetteer: a CSV (see :func:`read_gazetteer_csv`) or a GeoNames dump."""
    text = read_text(path)
    # The first record decides the format; GeoNames dumps may open with comment lines.
    first = next(
        (ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")),
        None,
    )
    name = Path(path).name
    if first is None:
        raise InputError(
            "no places: expected a gazetteer CSV (header name, latitude, longitude, then rows) "
            "or a GeoNames dump (19 tab-separated fields a line)",
            path=path,
        )
    fields = first.split("\t")
    # A record with a numeric id and many tabs is a dump even with a column too many or
    # too few: read it as one, so that the message counts GeoNames columns.
    if geonames_dump.looks_like_geonames_dump(first) or (
        len(fields) >= 10 and fields[0].strip().isdigit()
    ):
        rows = geonames_dump.read_geonames_dump(path)
        credit = f"{name}: GeoNames (geonames.org), CC BY 4.0"
    else:
        rows = read_gazetteer_csv(path)
        # A CSV made by `mapper gazetteer import-geonames` (or holding GeoNames rows)
        # ships GeoNames coordinates: their licence asks for the credit.
        if any("geonames" in row.source.casefold() for row in rows):
            credit = f"{name}: GeoNames (geonames.org), CC BY 4.0"
        else:
            credit = f"Places: {name}"
    return PlaceTable.build(rows, label=name, attribution=credit)
