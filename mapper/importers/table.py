"""Import any table whose columns can be recognised: the spreadsheets and layers people share.

:func:`import_table` reads the file (:mod:`~mapper.importers.reading`), decides
which column gives which field (:mod:`~mapper.importers.columns`), reads the
dates (:mod:`~mapper.importers.dates`) and figures
(:mod:`~mapper.importers.figures`), and writes every figure as a claim by the
table's claimant. The steps:

1. read the file into text cells under its own headers;
2. detect the columns (``--column`` overrides), print and record the mapping;
3. read the dates, one reading per column, rejecting rows whose date cannot be read;
4. take coordinates from the columns (or a GIS layer's geometry), names and types;
5. turn figures into claims: one per figure or range, one per casualty group,
   each group a part of the table's total when it has one;
6. keep the columns no field took, so that nothing in the file is lost.

Claims that are parts
---------------------
A table of strikes may give ``militants_low``/``militants_high``,
``civilians_low``/``civilians_high`` and ``total_low``/``total_high``. Each
group becomes a claim about its subject; the total becomes a claim about
``unspecified`` casualties, and each group's claim names it in ``part_of``.
Parts are never added to their whole: the map counts the whole.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mapper.errors import UsageError
from mapper.importers.columns import GROUPS, ColumnMap, detect_columns, normalise_header
from mapper.importers.common import ImportResult, finish, parse_coordinates, split_coordinates
from mapper.importers.dates import read_dates, read_year_month_day
from mapper.importers.events import UNKNOWN_TYPE, event_types
from mapper.importers.figures import read_figures
from mapper.importers.reading import SourceTable, read_source
from mapper.schema import (
    ACLED_TAXONOMY,
    CLAIM_COLUMNS,
    CLAIMANT_SIDES,
    EVENT_TYPES,
    INCIDENT_COLUMNS,
    PLACEMENT_COLUMNS,
)

if TYPE_CHECKING:
    from typing import TypeAlias

    import pandas as pd

    #: A reason: one text for every row, one per row, or made from each row's value.
    Why: TypeAlias = "str | pd.Series | Callable[[str], str]"

__all__ = ["import_table", "province_names"]

#: Province spellings tables use that the gazetteer's own aliases lack.
PROVINCE_ALIASES: dict[str, str] = {
    "capital": "Islamabad",
    "federal capital": "Islamabad",
    "islamabad capital": "Islamabad",
    "kp": "Khyber Pakhtunkhwa",
    "k.p.k": "Khyber Pakhtunkhwa",
    "khyber pakhtoonkhwa": "Khyber Pakhtunkhwa",
    "baluchistan": "Balochistan",
}


def _admin1_names() -> dict[str, str]:
    from mapper.resources import data_path

    names: dict[str, str] = {}
    with data_path("gazetteer", "admin1.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            names[row["name"].casefold()] = row["name"]
            for alias in filter(None, row["aliases"].split("|")):
                names[alias.strip().casefold()] = row["name"]
    return names


def province_names(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Return the gazetteer's spelling of each province, and which were not recognised.

    ``KPK``, ``Capital`` and ``Baluchistan`` become ``Khyber Pakhtunkhwa``,
    ``Islamabad`` and ``Balochistan``. An unrecognised name is kept as written
    (the gazetteer may still use it as a hint) and flagged. This is the one
    place imports spell provinces, so that it can follow a shared alias table.
    """
    import pandas as pd

    names = _admin1_names() | PROVINCE_ALIASES
    codes, uniques = pd.factorize(values.astype(str))
    found = [names.get(" ".join(str(u).split()).casefold()) for u in uniques]
    spelt = [f if f else str(u) for f, u in zip(found, uniques, strict=True)] + [""]
    unknown = [f is None and str(u) != "" for f, u in zip(found, uniques, strict=True)] + [False]
    return (
        pd.Series(spelt, dtype=str).take(codes).set_axis(values.index),
        pd.Series(unknown, dtype=bool).take(codes).set_axis(values.index),
    )


@dataclass
class _Row:
    """Per-row results gathered while importing (Series on the table's index)."""

    reject: pd.Series
    notes: list[pd.Series]

    @staticmethod
    def _text(mask: pd.Series, why: Why, values: pd.Series | None) -> str | list[str] | pd.Series:
        if isinstance(why, str):
            return why
        if callable(why):  # only the rows it concerns: a million lambdas cost seconds
            assert values is not None
            return [why(v) for v in values[mask]]
        return why[mask]

    def refuse(self, mask: pd.Series, why: Why, values: pd.Series | None = None) -> None:
        # The first reason a row is refused is the one reported.
        m = mask & (self.reject == "")
        if m.any():
            self.reject[m] = self._text(m, why, values)

    def note(self, mask: pd.Series, why: Why, values: pd.Series | None = None) -> None:
        import pandas as pd

        if not mask.any():
            return
        out = pd.Series("", index=self.reject.index, dtype=object)
        out[mask] = self._text(mask, why, values)
        self.notes.append(out.astype(str))

    def joined_notes(self) -> pd.Series:
        import pandas as pd

        out = pd.Series("", index=self.reject.index, dtype=object)
        for n in self.notes:
            both = (out != "") & (n != "")
            out = out + n.where(~both, "; " + n)
        return out.astype(str)


def _field(table: SourceTable, cmap: ColumnMap, name: str) -> pd.Series:
    import pandas as pd

    if name not in cmap.fields:
        return pd.Series("", index=table.frame.index, dtype=str)
    return table.column(cmap.fields[name][0])


def _sources(table: SourceTable, cmap: ColumnMap) -> pd.Series:
    """Join every sources column's non-empty cells with ``; `` (repeated headers are a list)."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.large_string()
    joined = None
    for pos in cmap.fields.get("sources", []):
        cell = pa.array(table.column(pos), type=text, from_pandas=True)
        if joined is None:
            joined = cell
            continue
        both = pc.binary_join_element_wise(joined, cell, pa.scalar("; ", text))
        joined = pc.if_else(
            pc.equal(joined, ""), cell, pc.if_else(pc.equal(cell, ""), joined, both)
        )
    if joined is None:
        return pd.Series("", index=table.frame.index, dtype=str)
    return joined.to_pandas().astype(str).set_axis(table.frame.index)


_TOTALS = re.compile(r"^(grand\s+)?(sub-?\s*)?totals?\s*:?$|^sum\s*:?$", re.IGNORECASE)


def _totals_rows(frame: pd.DataFrame, undated: pd.Series) -> pd.Series:
    """Mark rows whose first filled cell says "Total" (a sheet's sum line below the table).

    Only ``undated`` rows are looked at: a sum line carries no date of its own,
    and a million dated rows need no second look.
    """
    import numpy as np
    import pandas as pd

    out = pd.Series(False, index=frame.index)
    if not undated.any():
        return out
    sub = frame[undated.to_numpy()]
    cells = sub.to_numpy(dtype=object)
    filled = cells != ""
    lead = np.where(filled.any(axis=1), filled.argmax(axis=1), 0)
    text = pd.Series(cells[np.arange(len(cells)), lead], index=sub.index, dtype=object)
    out[sub.index] = text.str.strip().str.match(_TOTALS).to_numpy(dtype=bool)
    return out


def _dates(
    table: SourceTable,
    cmap: ColumnMap,
    rows: _Row,
    lines: pd.Series,
    date_format: str | None,
) -> tuple[pd.Series, pd.Series, pd.Series, str]:
    """Read the date column (or year/month/day columns); refuse rows without a date.

    Returns each row's date, its last day when the cell gives a span (``""``
    otherwise), the precision, and how the column was read.
    """
    if "date" in cmap.fields:
        header = cmap.header_of("date")
        col = read_dates(
            _field(table, cmap, "date"),
            column=str(header),
            date_format=date_format,
            rows=lines,
            path=table.path,
        )
        raw = _field(table, cmap, "date")
        rows.refuse(raw == "", f"column {header!r}: no date")
        rows.refuse(col.iso == "", lambda w: f"column {header!r}: {w}", col.reason)
        rows.note(col.note != "", col.note)
        return col.iso, col.end, col.precision, f"{header!r}: {col.reading}"
    iso, precision, reason = read_year_month_day(
        _field(table, cmap, "year"), _field(table, cmap, "month"), _field(table, cmap, "day")
    )
    rows.refuse(iso == "", lambda w: f"year/month/day: {w}", reason)
    import pandas as pd

    no_end = pd.Series("", index=iso.index, dtype=str)
    return iso, no_end, precision, "separate year, month and day columns (0 or empty: unknown)"


def _types(
    table: SourceTable, cmap: ColumnMap, rows: _Row, event_type: str | None
) -> tuple[pd.Series, pd.Series, str]:
    import pandas as pd

    index = table.frame.index
    if event_type:
        key = event_type.strip().casefold()
        owner = {s.casefold(): (t, s) for t, subs in ACLED_TAXONOMY.items() for s in subs}
        owner |= {t.casefold(): (t, "") for t in EVENT_TYPES}
        if key not in owner:
            raise UsageError(
                f"--event-type {event_type!r}: not an ACLED event type or sub-event type "
                f"(e.g. 'Suicide bomb', 'Air/drone strike', 'Battles')"
            )
        t, s = owner[key]
        return (
            pd.Series(t, index=index, dtype=str),
            pd.Series(s, index=index, dtype=str),
            f"every row: {t}" + (f" / {s}" if s else "") + " (--event-type)",
        )
    if "event_type" in cmap.fields:
        raw = _field(table, cmap, "event_type")
        etype, sub, known = event_types(raw)
        if "sub_event_type" in cmap.fields:
            st, ss, sk = event_types(_field(table, cmap, "sub_event_type"))
            use = sk & (st == etype)
            sub = ss.where(use, sub)
        unknown = ~known
        rows.note(
            unknown & (raw != ""),
            raw.map(
                lambda v: (
                    f"type {v!r} is not an ACLED type; recorded as "
                    f"{UNKNOWN_TYPE[0]} / {UNKNOWN_TYPE[1]}"
                )
            ),
        )
        etype = etype.where(known, UNKNOWN_TYPE[0])
        sub = sub.where(known, UNKNOWN_TYPE[1])
        return etype, sub, f"from column {cmap.header_of('event_type')!r}"
    return (
        pd.Series(UNKNOWN_TYPE[0], index=index, dtype=str),
        pd.Series(UNKNOWN_TYPE[1], index=index, dtype=str),
        f"no type column: every row {UNKNOWN_TYPE[0]} / {UNKNOWN_TYPE[1]} "
        "(give --event-type or --column event_type=HEADER)",
    )


def _where(
    table: SourceTable, cmap: ColumnMap, rows: _Row
) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """Return latitude, longitude, location precision and province, noting what is unusable."""
    import pandas as pd

    index = table.frame.index
    precision = pd.Series("", index=index, dtype=str)
    if table.latitude is not None:
        lat_raw, lon_raw = table.latitude, table.longitude
        assert table.geometry_note is not None and table.geometry_extent_km is not None
        rows.note(table.geometry_note != "", table.geometry_note)
        approx = table.geometry_note != ""
        km = table.geometry_extent_km
        precision[approx & (km <= 10)] = "near"
        precision[approx & (km > 10) & (km <= 150)] = "district"
        precision[approx & (km > 150) & (km <= 800)] = "province"
        precision[approx & (km > 800)] = "country"
    elif "latitude" not in cmap.fields and "coordinates" in cmap.fields:
        lat_raw, lon_raw = split_coordinates(_field(table, cmap, "coordinates"))
    else:
        lat_raw, lon_raw = _field(table, cmap, "latitude"), _field(table, cmap, "longitude")
    lat, lon, why = parse_coordinates(lat_raw, lon_raw, _field(table, cmap, "country"))
    rows.note(why != "", why)
    province, unknown = province_names(_field(table, cmap, "province"))
    rows.note(
        unknown,
        lambda p: f"province {p!r} is not one the gazetteer knows; kept as written",
        province,
    )
    nowhere = (lat == "") & (
        (_field(table, cmap, "place") == "")
        & (_field(table, cmap, "district") == "")
        & (province == "")
        & (_field(table, cmap, "country") == "")
    )
    rows.refuse(nowhere, "no place and no usable coordinates")
    return lat, lon, precision, province


# --- figures as claims ------------------------------------------------------------


@dataclass
class _Figure:
    """One claim per row: which figure, about whom, and the whole it is a part of."""

    key: str  # claim id suffix
    subject: str
    outcome: str
    low: pd.Series
    high: pd.Series
    header: str


def _figure_columns(
    table: SourceTable, cmap: ColumnMap, rows: _Row, plain: str, low: str, high: str
) -> tuple[pd.Series, pd.Series, str] | None:
    """Read a figure from a plain column (``12-15`` allowed) or a low/high pair."""
    import pandas as pd

    if low in cmap.fields or high in cmap.fields:
        lo, _, why_lo = read_figures(_field(table, cmap, low))
        hi, _, why_hi = read_figures(_field(table, cmap, high))
        rows.note(why_lo != "", why_lo)
        rows.note(why_hi != "", why_hi)
        if low not in cmap.fields:
            lo = pd.Series(0, index=hi.index, dtype="Int64").where(hi.notna())
        backwards = (lo > hi).fillna(False).astype(bool)
        rows.note(backwards, f"{low} is above {high}; that figure is left out")
        lo, hi = lo.where(~backwards), hi.where(~backwards)
        names = [str(cmap.header_of(f)) for f in (low, high) if f in cmap.fields]
        return lo, hi, " / ".join(names)
    if plain in cmap.fields:
        lo, hi, why = read_figures(_field(table, cmap, plain))
        rows.note(why != "", why)
        return lo, hi, str(cmap.header_of(plain))
    return None


def _figures(table: SourceTable, cmap: ColumnMap, rows: _Row) -> tuple[list[_Figure], str | None]:
    """Every figure the table gives, and the key of the whole its groups are parts of."""
    figures: list[_Figure] = []
    whole = None
    total = _figure_columns(table, cmap, rows, "total", "total_low", "total_high")
    if total:
        figures.append(_Figure("killed-total", "unspecified", "killed", *total))
        whole = "killed-total"
    killed = _figure_columns(table, cmap, rows, "killed", "killed_low", "killed_high")
    if killed:
        figures.append(_Figure("killed", "unspecified", "killed", *killed))
        whole = whole or "killed"
    for group, subject in GROUPS.items():
        if group == "total":
            continue
        got = _figure_columns(table, cmap, rows, group, f"{group}_low", f"{group}_high")
        if got:
            figures.append(_Figure(f"killed-{group.replace('_', '-')}", subject, "killed", *got))
    injured = _figure_columns(table, cmap, rows, "injured", "injured_low", "injured_high")
    if injured:
        figures.append(_Figure("injured", "unspecified", "injured", *injured))
    return figures, whole


def _claims(
    figures: list[_Figure],
    whole: str | None,
    ids: pd.Series,
    source: pd.Series,
    claimant: str,
    side: str,
) -> pd.DataFrame:
    import pandas as pd

    parts = []
    has_whole = None
    for fig in figures:
        if fig.key == whole:
            has_whole = fig.low.notna()
    for fig in figures:
        has = fig.low.notna()
        part_of = pd.Series("", index=ids.index, dtype=object)
        is_part = fig.subject != "unspecified" and whole is not None
        if is_part and has_whole is not None:
            part_of[has_whole] = ids[has_whole] + "-" + whole
        frame = pd.DataFrame(
            {
                "claim_id": ids[has] + "-" + fig.key,
                "incident_id": ids[has],
                "operation": "",
                "claimant": claimant,
                "claimant_side": side,
                "claimed_on": "",
                "subject": fig.subject,
                "outcome": fig.outcome,
                "low": fig.low[has],
                "high": fig.high[has],
                "quote": "",
                "source": source[has],
                "part_of": part_of[has],
                "_row": ids[has].index,
            }
        )
        parts.append(frame)
    if not parts:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in [*CLAIM_COLUMNS, "_row"]})
    out = pd.concat(parts, ignore_index=True)
    if len(parts) > 1:
        # One incident's claims together, in the order the figures were listed.
        out = out.sort_values("_row", kind="stable").reset_index(drop=True)
    return out[[*CLAIM_COLUMNS, "_row"]]


# --- kept columns -------------------------------------------------------------------


def _kept_names(cmap: ColumnMap) -> list[tuple[int, str]]:
    """Name each kept column as our files will: lower case, clear of the schema's names."""
    import difflib

    ours = [*INCIDENT_COLUMNS, *PLACEMENT_COLUMNS]
    out: list[tuple[int, str]] = []
    seen: set[str] = set(ours)
    for pos in cmap.kept:
        name = " ".join((cmap.headers[pos] or f"column {pos + 1}").split()).lower()
        # A name like ours would be read as ours (or flagged as its misspelling).
        if difflib.get_close_matches(name, ours, n=1, cutoff=0.8) or name in ours:
            name = f"original {name}"
        base, n = name, 2
        while name in seen:
            name, n = f"{base} {n}", n + 1
        seen.add(name)
        out.append((pos, name))
    return out


# --- the importer -------------------------------------------------------------------


def import_table(
    path: str | Path,
    *,
    columns: dict[str, str] | None = None,
    date_format: str | None = None,
    claimant: str | None = None,
    claimant_side: str | None = None,
    sheet: str | None = None,
    event_type: str | None = None,
) -> ImportResult:
    """Import a table whose columns are recognised by their headers.

    Parameters
    ----------
    path : str or Path
        CSV/TSV (any delimiter, UTF-8 or legacy encodings), a workbook
        (``.xlsx``, ``.xls``, ``.ods``), a GIS layer (``.geojson``, ``.gpkg``,
        ``.shp``) or ``.parquet``.
    columns : dict of str to str, optional
        Field -> header, overriding detection (``{"place": "Town"}``).
    date_format : str, optional
        A ``strptime`` format for the date column when its values do not settle
        day-first against month-first (``%d/%m/%Y``).
    claimant : str, optional
        Who the table's figures are by (default: the file's name).
    claimant_side : str, optional
        One of :data:`~mapper.schema.CLAIMANT_SIDES` (default ``dataset``).
    sheet : str, optional
        The workbook's sheet (default: the first).
    event_type : str, optional
        An ACLED event type or sub-event type for every row, when the table has
        no type column (default: ``Strategic developments`` / ``Other``).

    Returns
    -------
    ImportResult
        ``columns`` holds the mapping used and ``detected`` what was read; the
        report accounts for every row.

    Raises
    ------
    InputError
        If the file cannot be read, no column gives a date or a place, or the
        date column is ambiguous or mixes day-first and month-first dates.
    UsageError
        If an option names an unknown field, header, sheet or claimant side.
    """
    side = claimant_side or "dataset"
    if side not in CLAIMANT_SIDES:
        raise UsageError(f"--claimant-side {side!r}: expected one of {', '.join(CLAIMANT_SIDES)}")
    table = read_source(path, sheet=sheet)
    cmap = detect_columns(table, columns)
    return build_import(
        table,
        cmap,
        date_format=date_format,
        claimant=claimant or Path(table.path).name,
        claimant_side=side,
        event_type=event_type,
    )


def build_import(
    table: SourceTable,
    cmap: ColumnMap,
    *,
    date_format: str | None,
    claimant: str,
    claimant_side: str,
    event_type: str | None,
    name: str | None = None,
    attribution: list[str] | None = None,
    adjust: Callable[[pd.DataFrame, _Row], str] | None = None,
) -> ImportResult:
    """Turn a read table and its column map into incidents, claims and the row report.

    ``adjust``, when given, may rewrite the incidents (a layout's own codes:
    GTD's types and precisions) and note or refuse rows before the report is
    made; it returns what it did, for :attr:`ImportResult.detected`.
    """
    import pandas as pd

    from mapper.errors import InputError

    f = table.frame
    if len(f) == 0 and not table.rejected:
        raise InputError("no rows: the file has a header but nothing under it", path=table.path)
    lines = pd.Series(table.lines, index=f.index)
    rows = _Row(pd.Series("", index=f.index, dtype=str), [])
    date_cell = _field(table, cmap, "date" if "date" in cmap.fields else "year")
    rows.refuse(
        _totals_rows(f, date_cell == ""), "a totals row (it sums other rows), not an incident"
    )
    date, date_end, precision, date_reading = _dates(table, cmap, rows, lines, date_format)
    lat, lon, loc_precision, province = _where(table, cmap, rows)
    etype, sub, type_reading = _types(table, cmap, rows, event_type)

    stem = normalise_header(Path(table.path).stem) or "row"
    ids = _field(table, cmap, "incident_id")
    ids = ids.where(ids != "", stem + "-" + lines.astype(str))
    dup = ids.duplicated(keep="first")
    if dup.any():
        first_line = dict(zip(ids[~dup], lines[~dup], strict=True))
        rows.refuse(dup, lambda i: f"duplicate id {i!r}; first on row {first_line.get(i)}", ids)

    sources = _sources(table, cmap)
    where = Path(table.path).name + ", row " + lines.astype(str)
    claim_source = sources.where(sources != "", where)
    figures, whole = _figures(table, cmap, rows)

    incidents = pd.DataFrame(
        {
            "incident_id": ids,
            "date": date,
            "date_end": date_end,
            "date_precision": precision,
            "place": _field(table, cmap, "place"),
            "latitude": lat,
            "longitude": lon,
            "location_precision": loc_precision,
            "district": _field(table, cmap, "district"),
            "province": province,
            "country": _field(table, cmap, "country"),
            "event_type": etype,
            "sub_event_type": sub,
            "actor1": _field(table, cmap, "actor1"),
            "actor2": _field(table, cmap, "actor2"),
            "operation": "",
            "description": _field(table, cmap, "description"),
            "sources": sources.where(sources != "", Path(table.path).name),
            "status": "reported",
        },
        columns=list(INCIDENT_COLUMNS),
    )
    for pos, kept in _kept_names(cmap):
        incidents[kept] = table.column(pos)
    claims = _claims(figures, whole, ids, claim_source, claimant, claimant_side)
    if adjust is not None:
        type_reading = adjust(incidents, rows)
    result = finish(
        path=table.path,
        lines=lines,
        incidents=incidents,
        claims=claims,
        reject=rows.reject,
        notes=rows.joined_notes(),
        name=name or f"Imported table: {Path(table.path).name}",
        attribution=attribution if attribution is not None else [],
        unsplit=table.rejected,
    )
    result.columns = cmap.as_record()
    result.detected = f"{table.kind}; dates {date_reading}; event types {type_reading}"
    return result
