"""Reading and checking incident datasets: incidents, claims and their context tables.

A dataset is a directory holding ``incidents.csv`` and, optionally, ``claims.csv``,
``operations.csv``, ``sites.csv``, ``indicators.csv`` and ``dataset.json``; a single
incidents CSV also works. :func:`read_dataset` returns a :class:`~mapper.schema.Dataset`
whose ``report`` accounts for every input row: placed on the map, kept but unplaced
(with the reason), or rejected (with the file, line, column and reason).
:func:`validate_dataset` lists every mistake at once.

Accepted dates
--------------
``date``, ``date_end`` and ``claimed_on`` take exactly three ISO 8601 forms:

========== ============= ==================
form       example       ``date_precision``
========== ============= ==================
YYYY-MM-DD ``2026-01-31`` day (or week)
YYYY-MM    ``2026-01``    month
YYYY       ``2026``       year
========== ============= ==================

A month or a year is read as its first day, with the coarser precision. Slashed
or dotted dates are refused: ``03/04/2026`` is 3 April in Karachi and 4 March in
New York, so the message asks for the ISO form (and offers it when the order is
certain, as in ``31/01/2026``). ``date_precision`` may be coarser than the date
written (``week`` with a day) but never finer.

Categories (event types, precisions, statuses, subjects...) match ignoring case
and repeated spaces, and are written back in their canonical spelling; anything
else is a problem with the closest valid value as a suggestion.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mapper.errors import InputError, Problem
from mapper.files import read_text
from mapper.geo import haversine_km
from mapper.schema import (
    ACLED_TAXONOMY,
    BUNDLED_DATASET,
    CLAIM_COLUMNS,
    CLAIM_REQUIRED,
    CLAIMANT_SIDES,
    CLAIMS_FILE,
    DATE_PRECISIONS,
    EVENT_TYPES,
    INCIDENT_COLUMNS,
    INCIDENT_REQUIRED,
    INCIDENTS_FILE,
    INDICATOR_COLUMNS,
    INDICATORS_FILE,
    LOCATION_PRECISIONS,
    METADATA_FILE,
    OPERATION_COLUMNS,
    OPERATIONS_FILE,
    OUTCOMES,
    PLACEMENT_COLUMNS,
    REPORT_COLUMNS,
    SITE_COLUMNS,
    SITES_FILE,
    STATUSES,
    SUB_EVENT_TYPES,
    SUBJECTS,
    Dataset,
)

if TYPE_CHECKING:
    import geopandas as gpd
    import numpy as np
    import pandas as pd

__all__ = [
    "ACCEPTED_DATE_FORMATS",
    "Table",
    "check_dataset",
    "read_dataset",
    "read_datasets",
    "read_table",
    "validate_dataset",
]

#: The date forms every table accepts, and the precision each implies.
ACCEPTED_DATE_FORMATS: dict[str, str] = {"YYYY-MM-DD": "day", "YYYY-MM": "month", "YYYY": "year"}

_DATE_HELP = "expected an ISO date: YYYY-MM-DD, YYYY-MM or YYYY"
_COUNT_HELP = (
    "expected a whole number of 0 or more (a range goes in low and high: "
    "'84 or 94' is low 84, high 94; 'over 80' is low 80 with high empty)"
)
# How far (km) a point may lie from the reference point of the district or
# province it names before it is flagged; generous because the gazetteer gives
# a point (the headquarters town), not a boundary, and districts are large.
_HINT_RADIUS_KM = {"district": 300.0, "province": 1000.0, "country": 2500.0}
_PRECISION_RANK = {p: i for i, p in enumerate(DATE_PRECISIONS)}
_TABLE_ORDER = ("incidents", "claims", "operations", "sites", "indicators")


# --- reading a CSV into strings, every row located ---------------------------


@dataclass
class Table:
    """A CSV file read as text cells, every row located by its line in the file.

    Attributes
    ----------
    path : str
        The file, as given.
    name : str
        The table it holds: ``incidents``, ``claims``, ``operations``...
    frame : pandas.DataFrame
        One row per data row, stripped text cells (``""`` when empty), column
        names stripped and lower-cased.
    lines : numpy.ndarray
        The 1-based line (header = line 1) where each row of ``frame`` starts.
    rejected : list of (int, str)
        Rows that could not be split into the header's columns: line and reason.
    """

    path: str
    name: str
    frame: pd.DataFrame
    lines: np.ndarray
    rejected: list[tuple[int, str]] = field(default_factory=list)


def _sniff_delimiter(header_line: str) -> str:
    # A spreadsheet saved with a ';' or tab delimiter is still a table we can
    # read; pick whichever candidate splits the header into the most fields.
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _layout_by_csv(
    text: str, delimiter: str, shown: str
) -> tuple[list[str] | None, int, list[int], list[int]]:
    """Pass 1 of :func:`read_table` by the csv module: quoted fields may span lines."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    starts: list[int] = []
    widths: list[int] = []
    header: list[str] | None = None
    header_line = 0
    previous = 0
    try:
        for row in reader:
            start = previous + 1
            previous = reader.line_num
            if header is None:
                if not row or not "".join(row).strip():
                    continue
                header = row
                header_line = start
                continue
            blank = not row or (len(row) == 1 and not row[0].strip())
            starts.append(start)
            widths.append(-1 if blank else len(row))
    except csv.Error as err:
        # Name the line where the broken record starts: an unclosed quote is
        # only noticed lines later, at the end of the file.
        runs = f", running to line {reader.line_num}" if reader.line_num > previous + 1 else ""
        raise InputError(
            f"broken CSV quoting ({err}{runs}); check for an unclosed '\"'",
            path=shown,
            line=previous + 1,
        ) from err
    return header, header_line, starts, widths


def _one_record_per_line(
    data: bytes, text: str, delimiter: str
) -> tuple[list[str], int, np.ndarray, np.ndarray, int] | None:
    """Pass 1 of :func:`read_table` without the csv module, or None if a field may span lines.

    Gives what :func:`_layout_by_csv` would (header, its line, each record's
    first line and field count, -1 for a blank line), plus the byte offset
    where the first record starts, when every line holds an even number of
    quotes, so that no quoted field runs on to the next line. ``data`` is
    ``text`` encoded as UTF-8, where newlines, quotes and delimiters are single
    bytes that never occur inside another character: counting them per line
    with numpy is what keeps a million-row file fast. Lines with quotes are
    still split by the csv module; any doubt gives None.
    """
    import numpy as np

    raw = np.frombuffer(data, dtype=np.uint8)
    returns = np.flatnonzero(raw == 13)
    lone_return = len(returns) and (
        returns[-1] == len(raw) - 1 or (raw[returns[returns < len(raw) - 1] + 1] != 10).any()
    )
    if b"\x00" in data or lone_return:
        return None  # NULs and lone carriage returns: the csv module decides
    newlines = np.flatnonzero(raw == 10)
    # Line i is data[begin[i]:end[i]]; a final newline ends the last line, it starts none.
    end = newlines if data.endswith(b"\n") else np.append(newlines, len(data))
    begin = np.concatenate(([0], newlines + 1))[: len(end)]
    n_lines = len(end)

    def per_line(byte: int) -> np.ndarray:
        # Counted between line bounds: two searches a line, not one per occurrence.
        where = np.flatnonzero(raw == byte)
        return np.searchsorted(where, end) - np.searchsorted(where, begin)

    def line_text(i: int) -> str:
        return data[begin[i] : end[i]].decode("utf-8").rstrip("\r")

    quotes = per_line(34)
    if (quotes % 2).any():
        return None
    widths = per_line(ord(delimiter)) + 1
    # A line with no delimiter may be blank (spaces only); one with quotes is split
    # by the csv module, which knows a delimiter inside quotes is text.
    for i in np.flatnonzero((widths == 1) | (quotes > 0)).tolist():
        line = line_text(i)
        if quotes[i]:
            try:
                rows = list(csv.reader([line], delimiter=delimiter, strict=True))
            except csv.Error:
                return None  # the csv module's own pass names the line
            widths[i] = _width(rows[0] if rows else [])
        else:
            widths[i] = _width(_plain_fields(line, delimiter))
    for first in np.flatnonzero(widths >= 0).tolist():
        line = line_text(first)
        header = (
            next(csv.reader([line], delimiter=delimiter))
            if quotes[first]
            else _plain_fields(line, delimiter)
        )
        if header and "".join(header).strip():
            break  # the header: the first line with any text in it
    else:
        return None
    offset = int(begin[first + 1]) if first + 1 < n_lines else len(data)
    return header, first + 1, np.arange(first + 2, n_lines + 1), widths[first + 1 :], offset


def _plain_fields(line: str, delimiter: str) -> list[str]:
    """Return the fields of a line without quotes, as the csv module reads them."""
    line = line.rstrip("\r")
    return line.split(delimiter) if line else []


def _width(row: list[str]) -> int:
    """Return the number of fields of a record, -1 for a blank line."""
    return -1 if not row or (len(row) == 1 and not row[0].strip()) else len(row)


def _read_csv_arrow(
    body: bytes, delimiter: str, width: int, *, multiline: bool = True
) -> pd.DataFrame | None:
    """Return the cells of the records of a well-formed CSV (UTF-8 ``body``) by Arrow, or None.

    Arrow reads on every core and keeps the cells as Arrow strings, several
    times faster than pandas' C parser on large tables. Any doubt (a parse
    error, a row of the wrong width) gives None and the caller's slower parsers.
    Without ``multiline`` (no quoted field spans lines) Arrow reads faster.
    """
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
    except ImportError:  # pragma: no cover - pyarrow is a dependency
        return None
    names = [f"c{i}" for i in range(width)]
    try:
        table = pacsv.read_csv(
            io.BytesIO(body),
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=multiline),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowException, ValueError):
        return None
    import pandas as pd

    text = pd.Series([], dtype=str).dtype  # what astype(str) gives: Arrow-backed in pandas 3
    if isinstance(text, pd.StringDtype) and text.storage == "pyarrow":
        # Hand Arrow's strings to pandas as they are: no Python object per cell.
        as_text = {pa.string(): text}.get
        return pd.DataFrame(
            {name: table.column(i).to_pandas(types_mapper=as_text) for i, name in enumerate(names)},
            copy=False,
        )
    return pd.DataFrame(
        {name: table.column(i).to_pandas() for i, name in enumerate(names)}, copy=False
    ).astype(str)


_LINE_END = re.compile(r"\r\n|\r|\n")
#: The first line with anything on it (the header, for the delimiter sniffer).
_FIRST_LINE = re.compile(r"[^\r\n][^\n]*")


def _line_offset(text: str, line: int) -> int:
    """Return where line ``line`` (1-based, counted as the csv module counts) starts in ``text``."""
    if line <= 1:
        return 0
    # Line ends as the csv module sees them (newline=""): \r\n, \r or \n.
    for number, end in enumerate(_LINE_END.finditer(text), start=2):
        if number == line:
            return end.end()
    return len(text)


def read_table(
    path: str | Path,
    *,
    table: str,
    required: Sequence[str] = (),
    text: str | None = None,
) -> Table:
    """Read a CSV (comma, semicolon or tab separated) into located text cells.

    Parameters
    ----------
    path : str or Path
        The file (named in every message).
    table : str
        What the file holds, for messages (``incidents``, ``claims``...).
    required : sequence of str
        Columns that must be in the header.
    text : str, optional
        The file's text when already read.

    Returns
    -------
    Table
        Rows with the wrong number of fields are listed in ``rejected`` rather
        than read; blank lines are skipped.

    Raises
    ------
    InputError
        If the file is missing, binary, empty, badly quoted, has duplicate
        column names, or lacks a required column.
    """
    import numpy as np
    import pandas as pd

    shown = str(path)
    if text is None:
        text = read_text(path)
    if not text or text.isspace():  # (strip() would copy a large file to find out)
        want = ", ".join(required) or "the column names"
        raise InputError(f"empty file, expected a header line naming {want}", path=shown)
    first = _FIRST_LINE.search(text)
    delimiter = _sniff_delimiter(first.group() if first else "")

    # Pass 1: where each record starts and how many fields it has. When no
    # field spans lines (the usual case) each line is one record; otherwise
    # the csv module reads the file, counting lines, not rows.
    data = text.encode("utf-8")
    one_per_line = _one_record_per_line(data, text, delimiter)
    if one_per_line is not None:
        header, header_line, starts, widths, body_offset = one_per_line
    else:
        header, header_line, starts, widths = _layout_by_csv(text, delimiter, shown)
        body_offset = None
    assert header is not None  # text is not blank
    names = [h.strip().lower() for h in header]
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        if name and name in seen:
            raise InputError(
                f"column '{name}' appears twice in the header (fields {seen[name] + 1} and "
                f"{i + 1}), expected each column once",
                path=shown,
                line=header_line,
            )
        seen[name] = i
    missing = [c for c in required if c not in seen]
    if missing:
        found = ", ".join(repr(n) for n in names if n)
        hint = ""
        if len(names) == 1 and "|" in names[0]:
            hint = "; fields must be separated by commas, semicolons or tabs"
        raise InputError(
            f"missing required column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)} for the {table} table; found columns "
            f"{_short(found) or 'none'}{hint}",
            path=shown,
            line=header_line,
        )

    width = len(names)
    starts_a = np.asarray(starts, dtype=np.int64)
    widths_a = np.asarray(widths, dtype=np.int64)
    good = widths_a == width
    rejected = [
        (int(line), f"expected {width} fields as in the header, found {int(w)}")
        for line, w in zip(
            starts_a[(widths_a != width) & (widths_a >= 0)],
            widths_a[(widths_a != width) & (widths_a >= 0)],
            strict=True,
        )
    ]

    # Every record fits the header (blank lines aside, which both parsers skip).
    uniform = bool((good | (widths_a < 0)).all())
    shape = (int(good.sum()), width)
    frame = None
    if uniform and width > 1 and shape[0]:
        # Pass 2 (Arrow's parser, else pandas' C parser) for speed and compact
        # string storage. Pass 1 has already refused malformed quoting.
        if body_offset is None:
            body_offset = len(text[: _line_offset(text, int(starts_a[0]))].encode("utf-8"))
        frame = _read_csv_arrow(
            data[body_offset:], delimiter, width, multiline=one_per_line is None
        )
        if frame is not None and frame.shape != shape:
            frame = None  # e.g. a line of spaces, which Arrow reads as a record
        if frame is not None:
            frame.columns = names
    if frame is None and uniform and width > 1:
        try:
            frame = pd.read_csv(
                io.StringIO(text),
                sep=delimiter,
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                skip_blank_lines=True,
                header=0,
                engine="c",
            )
        except (ValueError, pd.errors.ParserError):
            frame = None
        if frame is not None and frame.shape != shape:
            frame = None  # the two parsers disagree: trust the strict one
        if frame is not None:
            frame.columns = names
    if frame is None:
        rows = []
        body = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        skipped_header = False
        for row in body:
            if not skipped_header:
                if row and "".join(row).strip():
                    skipped_header = True
                continue
            if len(row) == width:
                rows.append(row)
        frame = pd.DataFrame(rows, columns=names, dtype=str) if rows else None
        if frame is None:
            frame = pd.DataFrame({n: pd.Series([], dtype=str) for n in names})
    lines = starts_a[good]
    if len(frame) != len(lines):  # pragma: no cover - defensive
        raise InputError("could not split the file into rows consistently", path=shown)
    frame = frame.reset_index(drop=True)
    for col in frame.columns:
        frame[col] = frame[col].astype(str).str.strip()
    return Table(shown, table, frame, lines, rejected)


# --- checking, vectorised, one Problem per bad cell ---------------------------


class _Checks:
    """Collects problems for one table and the reasons each row is rejected."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.problems: list[Problem] = []
        self.reasons: dict[int, list[str]] = {}
        for line, reason in table.rejected:
            self.problems.append(Problem(table.path, line, None, None, reason))

    def header(self, message: str, *, column: str | None = None, suggestion: str | None = None):
        self.problems.append(Problem(self.table.path, 1, column, None, message, suggestion))

    def flag(
        self,
        mask: Any,
        column: str | None,
        message: str | Any,
        *,
        suggestion: Any = None,
        value: Any = None,
    ) -> None:
        """Record a problem for every row where ``mask`` is true (rejecting the row).

        ``message`` and ``suggestion`` are a string, a Series aligned with the
        rows, or a function of the cell's value, called for flagged rows only
        (so that costly suggestions are never computed for valid rows).
        """
        import numpy as np

        positions = np.flatnonzero(np.asarray(mask, dtype=bool))
        if not len(positions):
            return
        frame = self.table.frame
        for pos in positions:
            pos = int(pos)
            if value is not None:
                cell = _at(value, pos)
            elif column is not None and column in frame.columns:
                cell = frame[column].iat[pos]
            else:
                cell = None
            msg = message(cell) if callable(message) else _at(message, pos)
            sug = suggestion(cell) if callable(suggestion) else _at(suggestion, pos)
            if sug is not None and (not isinstance(sug, str) or not sug):
                sug = None
            problem = Problem(self.table.path, int(self.table.lines[pos]), column, cell, msg, sug)
            self.problems.append(problem)
            self.reasons.setdefault(pos, []).append(problem.detail())

    def rejected_mask(self) -> np.ndarray:
        import numpy as np

        mask = np.zeros(len(self.table.frame), dtype=bool)
        if self.reasons:
            mask[list(self.reasons)] = True
        return mask


def _at(value: Any, pos: int) -> Any:
    if value is None or isinstance(value, str):
        return value
    out = value.iat[pos] if hasattr(value, "iat") else value[pos]
    if out is None or (isinstance(out, float) and math.isnan(out)):
        return None
    return out


def _col(frame: pd.DataFrame, name: str) -> pd.Series:
    import pandas as pd

    if name in frame.columns:
        return frame[name]
    return pd.Series([""] * len(frame), index=frame.index, dtype=str)


def _map_unique(series: pd.Series, func: Any) -> pd.Series:
    """``series.map(func)``, calling ``func`` once per distinct value (columns repeat a lot)."""
    import pandas as pd

    codes, uniques = pd.factorize(series)
    if series.dtype == object or len(series) < 1000:
        mapping = {v: func(v) for v in uniques}
        return series.map(mapping)
    # Arrow-backed text: map the distinct values, then take by code (Series.map
    # would make one Python scalar per row).
    mapped = pd.array([func(v) for v in uniques], dtype=series.dtype)
    return pd.Series(mapped.take(codes, allow_fill=True), index=series.index)


def _map_dict(series: pd.Series, mapping: dict[str, Any]) -> pd.Series:
    """``series.map(mapping)``, looking up each distinct value once."""
    import pandas as pd

    codes, uniques = pd.factorize(series)
    if len(series) < _FEW_VALUES or (codes < 0).any():
        return series.map(mapping)
    # pandas infers the result's dtype from the distinct values' results,
    # which are the same whether mapped once each or once per row.
    mapped = pd.Series(uniques, dtype=series.dtype).map(mapping)
    return pd.Series(mapped.array.take(codes), index=series.index)


def _only(mask: Any, series: pd.Series, func: Any) -> pd.Series:
    """Apply ``func`` to the values where ``mask`` is true (for messages of flagged rows)."""
    import numpy as np
    import pandas as pd

    out = pd.Series([None] * len(series), index=series.index, dtype=object)
    m = np.asarray(mask, dtype=bool)
    if m.any():
        out[m] = [func(v) for v in series[m]]
    return out


def isin(series: pd.Series, values: Iterable[str] | pd.Series) -> pd.Series:
    """``series.isin(values)`` that stays fast for a million values.

    pandas' Arrow-backed strings convert every value of a large ``values`` to an
    Arrow scalar one by one; Arrow's own lookup does the same job in C, and
    takes a column of text (``values`` as a Series) without a Python set.
    """
    import numpy as np
    import pandas as pd

    if isinstance(values, pd.Series):
        import pyarrow as pa
        import pyarrow.compute as pc

        try:
            found = pc.is_in(pa.array(series), value_set=pa.array(values))
            return pd.Series(found.to_numpy(zero_copy_only=False), index=series.index, dtype=bool)
        except (TypeError, ValueError, pa.ArrowException):
            values = values.tolist()  # not all text: the general path below
    values = set(values)
    if len(values) <= _FEW_VALUES:
        # A vocabulary: pandas' own isin runs in C for a short list.
        return pd.Series(series.isin(list(values)).to_numpy(dtype=bool), index=series.index)
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        found = pc.is_in(pa.array(series), value_set=pa.array(list(values), type=pa.string()))
        return pd.Series(found.to_numpy(zero_copy_only=False), index=series.index, dtype=bool)
    except (TypeError, ValueError, pa.ArrowException):
        pass  # not all text (e.g. a missing value among the ids): hash them in pandas
    index = pd.Index(list(values), dtype=object)
    found = index.get_indexer(series.to_numpy(dtype=object, na_value=None)) >= 0
    return pd.Series(np.asarray(found, dtype=bool), index=series.index)


#: Up to this many values, :func:`isin` leaves the lookup to pandas.
_FEW_VALUES = 1000


def _texts(series: pd.Series) -> Any:
    """Return the values of a text column as Python strings, for sets and dicts.

    Iterating an Arrow-backed column makes one scalar per value; converting
    the whole column first is several times faster on 100,000 rows.
    """
    return series.to_numpy(dtype=object)


def _norm_key(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip()).casefold()


class Suggester:
    """Finds the valid choice closest to a misspelt value; build once, ask often."""

    def __init__(self, choices: Iterable[str]) -> None:
        self._choices = choices
        self._keyed: dict[str, str] = {}
        self._keys: list[str] = []
        self._built = False

    def __call__(self, value: object) -> str | None:
        """Return the closest choice to ``value``, or ``None`` when nothing is close."""
        if value is None or value == "":
            return None
        if not self._built:
            # Built on the first question: most tables have no misspelling to
            # suggest for, and keying 100,000 incident ids costs time.
            # Sorted, so that ties go the same way whatever the hash seed.
            self._keyed = {_norm_key(c): c for c in sorted(self._choices)}
            self._keys = list(self._keyed)
            self._built = True
        key = _norm_key(str(value))
        if key in self._keyed:
            return self._keyed[key]
        synonym = _SYNONYMS.get(key)
        if synonym in self._keyed:
            return self._keyed[synonym]
        from rapidfuzz import fuzz, process

        best = process.extractOne(key, self._keys, scorer=fuzz.ratio, score_cutoff=60)
        return self._keyed[best[0]] if best else None


def suggest(value: str, choices: Iterable[str]) -> str | None:
    """Return the valid choice closest to ``value`` (a misspelling), or ``None``."""
    return Suggester(choices)(value)


# Words people write for our categories, offered as suggestions (never applied silently).
_SYNONYMS = {
    "soldiers": "security forces",
    "troops": "security forces",
    "security personnel": "security forces",
    "police": "security forces",
    "army": "security forces",
    "fighters": "militants",
    "insurgents": "militants",
    "rebels": "militants",
    "terrorists": "militants",
    "civilian": "civilians",
    "dead": "killed",
    "deaths": "killed",
    "wounded": "injured",
    "kidnapped": "abducted",
    "detained": "arrested",
    "government": "state",
    "military": "state",
    "ngo": "independent",
    "press": "media",
}


def _vocab(checks: _Checks, column: str, choices: Sequence[str], *, what: str) -> pd.Series:
    """Canonicalise a category column; flag values outside ``choices``."""
    frame = checks.table.frame
    if column not in frame.columns:
        return _col(frame, column)
    raw = frame[column]
    keyed = {_norm_key(c): c for c in choices}
    canon = _map_unique(raw, lambda v: keyed.get(_norm_key(v), v) if v else v)
    bad = (canon != "") & ~isin(canon, choices)
    if bad.any():
        full = _only(bad, canon, Suggester(choices))
        checks.flag(
            bad,
            column,
            f"not a known {what}; expected one of: {', '.join(choices)}"
            if len(choices) <= 8
            else f"not a known {what} (see the schema's list)",
            suggestion=full,
        )
    return canon


def _references(checks: _Checks, column: str, known: Any, message: str) -> None:
    """Flag non-empty cells of ``column`` that are not among ``known``, suggesting the nearest."""
    values = _col(checks.table.frame, column)
    unknown = (values != "") & ~isin(values, known)
    checks.flag(unknown, column, message, suggestion=Suggester(known))


def _required(checks: _Checks, columns: Sequence[str]) -> None:
    frame = checks.table.frame
    for col in columns:
        if col in frame.columns:
            checks.flag(frame[col] == "", col, "missing value; this column is required")


def _unique(checks: _Checks, column: str, *, what: str) -> None:
    frame = checks.table.frame
    if column not in frame.columns:
        return
    ids = frame[column]
    import pandas as pd

    if pd.Index(ids).is_unique:  # the usual case, and a fraction of duplicated()'s cost
        return
    dup = ids.duplicated(keep="first") & (ids != "")
    if dup.any():
        first_pos = ids[isin(ids, set(ids[dup]))].drop_duplicates(keep="first")
        first_line = {v: int(checks.table.lines[i]) for i, v in first_pos.items()}
        checks.flag(
            dup, column, lambda v: f"duplicate {what}; first used on line {first_line.get(v)}"
        )


def _unknown_columns(checks: _Checks, known: Sequence[str]) -> None:
    # An unknown column that looks like a misspelt known one means data that
    # would silently be ignored; other extra columns are kept as they are.
    for name in checks.table.frame.columns:
        if name in known or not name:
            continue
        close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.8)
        if close:
            checks.header(
                "unknown column (its values would be ignored)", column=name, suggestion=close[0]
            )


# --- dates --------------------------------------------------------------------

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH = re.compile(r"\d{4}-\d{2}")
_YEAR = re.compile(r"\d{4}")
_SLASHED = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_TEXT_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%d-%B-%Y", "%d-%b-%Y")


def _date_message(value: str) -> tuple[str, str | None]:
    """Say why ``value`` is not an accepted date, with the ISO form when certain."""
    from datetime import datetime

    m = _SLASHED.fullmatch(value)
    if m:
        a, b, year = int(m[1]), int(m[2]), m[3]
        if a <= 12 and b <= 12 and a != b:
            return (
                f"ambiguous date: day and month could be either way round "
                f"({year}-{b:02d}-{a:02d} or {year}-{a:02d}-{b:02d}); {_DATE_HELP}",
                None,
            )
        day, month = (a, b) if a > 12 else (b, a)
        try:
            iso = datetime(int(year), month, day).strftime("%Y-%m-%d")
        except ValueError:
            return f"no such date; {_DATE_HELP}", None
        return f"not an accepted date form; {_DATE_HELP}", iso
    if _DAY.fullmatch(value) or _MONTH.fullmatch(value) or _YEAR.fullmatch(value):
        return f"no such date; {_DATE_HELP}", None
    for fmt in _TEXT_FORMATS:
        try:
            return f"not an accepted date form; {_DATE_HELP}", datetime.strptime(
                value, fmt
            ).strftime("%Y-%m-%d")
        except ValueError:
            continue
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ].*", value):
        return f"a date and time; {_DATE_HELP}", value[:10]
    return f"not a date; {_DATE_HELP}", None


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse accepted ISO dates.

    Returns
    -------
    dates : Series of datetime64
        The first day of each date (NaT when empty or invalid).
    precision : Series of str
        ``day``, ``month`` or ``year`` from the form written (``""`` when not a date).
    bad : Series of bool
        Non-empty values that are not accepted dates.
    """
    import pandas as pd

    values = values.astype(str)
    if len(values) > _FEW_VALUES:
        # Dates repeat: parse each distinct text once, then take by code.
        codes, uniques = pd.factorize(values)
        if len(uniques) < len(values) // 2 and (codes >= 0).all():
            d, p, b = parse_dates(pd.Series(uniques, dtype=values.dtype))
            return tuple(  # type: ignore[return-value]
                pd.Series(part.to_numpy()[codes], index=values.index, dtype=part.dtype)
                for part in (d, p, b)
            )
    dates = pd.Series(pd.NaT, index=values.index, dtype="datetime64[s]")
    precision = pd.Series("", index=values.index, dtype=str)
    for pattern, fmt, prec in (
        (r"\d{4}-\d{2}-\d{2}", "%Y-%m-%d", "day"),
        (r"\d{4}-\d{2}", "%Y-%m", "month"),
        (r"\d{4}", "%Y", "year"),
    ):
        mask = values.str.fullmatch(pattern)
        if mask.any():
            parsed = pd.to_datetime(values[mask], format=fmt, errors="coerce")
            dates[mask] = parsed.astype("datetime64[s]")
            precision[mask & parsed.reindex(values.index).notna()] = prec
    bad = (values != "") & dates.isna()
    return dates, precision, bad


def _end_of_period(dates: pd.Series, precision: pd.Series) -> pd.Series:
    import pandas as pd

    out = dates.copy()
    month = precision == "month"
    year = precision == "year"
    if month.any():
        out[month] = dates[month] + pd.offsets.MonthEnd(0)
    if year.any():
        out[year] = dates[year] + pd.offsets.YearEnd(0)
    return out


def _check_date_column(checks: _Checks, column: str) -> tuple[pd.Series, pd.Series]:
    frame = checks.table.frame
    values = _col(frame, column)
    dates, precision, bad = parse_dates(values)
    if bad.any():
        checks.flag(
            bad,
            column,
            lambda v: _date_message(v)[0],
            suggestion=lambda v: _date_message(v)[1],
        )
    return dates, precision


# --- numbers ------------------------------------------------------------------


def _check_coordinates(
    checks: _Checks, *, lat_col: str = "latitude", lon_col: str = "longitude"
) -> tuple[pd.Series, pd.Series]:
    import numpy as np

    frame = checks.table.frame
    out = []
    for col, limit in ((lat_col, 90.0), (lon_col, 180.0)):
        raw = _col(frame, col)
        num = _to_float(raw)
        given = raw != ""
        nonnum = given & num.isna()
        lowered = raw.str.lower()
        nonfinite = (given & np.isinf(num)) | (
            nonnum & lowered.isin(["nan", "inf", "-inf", "+inf", "infinity", "-infinity"])
        )
        checks.flag(
            nonfinite,
            col,
            f"not a finite number; expected decimal degrees in -{limit:g}..{limit:g}",
        )
        checks.flag(
            nonnum & ~nonfinite,
            col,
            f"not a number; expected decimal degrees in -{limit:g}..{limit:g} "
            "(use a dot for decimals)",
        )
        outside = np.isfinite(num) & (num.abs() > limit)
        checks.flag(
            outside, col, f"out of range; expected decimal degrees in -{limit:g}..{limit:g}"
        )
        num = num.where(np.isfinite(num) & ~outside)
        out.append(num)
    lat, lon = out
    lat_raw, lon_raw = _col(frame, lat_col), _col(frame, lon_col)
    only_lat = (lat_raw != "") & (lon_raw == "")
    only_lon = (lon_raw != "") & (lat_raw == "")
    checks.flag(only_lat, lon_col, "missing; latitude is given, so longitude must be too")
    checks.flag(only_lon, lat_col, "missing; longitude is given, so latitude must be too")
    both = lat.notna() & lon.notna()
    return lat.where(both), lon.where(both)


def _to_float(values: pd.Series) -> pd.Series:
    """Return text cells as floats, NaN where empty or not a number.

    Arrow parses a clean column several times faster than ``pd.to_numeric``;
    a column with any cell Arrow refuses goes to pandas, which marks just
    those cells NaN.
    """
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        cells = pa.array(values, type=pa.large_string())
        cells = pc.if_else(pc.equal(cells, ""), pa.scalar(None, pa.large_string()), cells)
        parsed = pc.cast(cells, pa.float64()).to_numpy(zero_copy_only=False)
        return pd.Series(parsed, index=values.index, dtype=float)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
        return pd.to_numeric(values.where(values != ""), errors="coerce").astype(float)


def parse_counts(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse whole non-negative figures.

    Returns
    -------
    counts : Series of Int64
        The figures (``<NA>`` when empty or invalid).
    bad : Series of bool
        Non-empty values that are not whole numbers of 0 or more.
    message : Series of str
        Why each bad value was refused (``""`` elsewhere).
    """
    import pandas as pd

    values = values.astype(str)
    num = _to_float(values)
    integral = num.notna() & (num == num.round()) & (num.abs() < 2**53)
    ok = integral & (num >= 0)
    counts = pd.Series(pd.NA, index=values.index, dtype="Int64")
    counts[ok] = num[ok].astype("int64")
    bad = (values != "") & ~ok
    message = pd.Series("", index=values.index, dtype=str)
    message[bad & (num < 0)] = "negative figure; " + _COUNT_HELP
    message[bad & num.notna() & ~integral] = "not a whole number; " + _COUNT_HELP
    message[bad & num.isna()] = "not a number; " + _COUNT_HELP
    return counts, bad, message


def _check_counts(checks: _Checks, column: str) -> pd.Series:
    values = _col(checks.table.frame, column)
    counts, bad, message = parse_counts(values)
    if bad.any():
        checks.flag(
            bad,
            column,
            message,
            suggestion=lambda v: (
                v.replace(",", "") if re.fullmatch(r"\d{1,3}(,\d{3})+", v) else None
            ),
        )
    return counts


# --- per-table checks -----------------------------------------------------------


@dataclass
class _Parsed:
    """A checked table: the clean values and which rows are rejected."""

    checks: _Checks
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def table(self) -> Table:
        return self.checks.table


def _check_incidents(table: Table, *, known_operations: pd.Series | None) -> _Parsed:
    import pandas as pd

    checks = _Checks(table)
    frame = table.frame
    _unknown_columns(checks, INCIDENT_COLUMNS)
    if len(frame) == 0 and not table.rejected:
        checks.header("no incidents: the file has a header but no rows")
    _required(checks, INCIDENT_REQUIRED)
    _unique(checks, "incident_id", what="incident_id")

    date, date_form = _check_date_column(checks, "date")
    date_end, end_form = _check_date_column(checks, "date_end")
    given_prec = _vocab(checks, "date_precision", DATE_PRECISIONS, what="date precision")
    rank_given = _map_dict(given_prec, _PRECISION_RANK).fillna(-1)
    rank_form = _map_dict(date_form, _PRECISION_RANK).fillna(-1)
    finer = (rank_given >= 0) & (rank_form >= 0) & (rank_given < rank_form)
    checks.flag(
        finer,
        "date_precision",
        _only(finer, date_form, lambda f: f"finer than the date written, which gives only its {f}"),
        suggestion=date_form,
    )
    precision = given_prec.where(given_prec.isin(list(DATE_PRECISIONS)), date_form)
    last_day = _end_of_period(date_end, end_form)
    backwards = date.notna() & date_end.notna() & (last_day < date)
    checks.flag(
        backwards,
        "date_end",
        _only(
            backwards,
            _col(frame, "date"),
            lambda d: f"before the start date {d}; expected the span to end on or after it",
        ),
    )

    lat, lon = _check_coordinates(checks)
    loc_prec = _vocab(checks, "location_precision", LOCATION_PRECISIONS, what="location precision")
    status = _vocab(checks, "status", STATUSES, what="status")

    event_type = _vocab(checks, "event_type", EVENT_TYPES, what="ACLED event type")
    sub = _vocab(checks, "sub_event_type", SUB_EVENT_TYPES, what="ACLED sub-event type")
    owner = {s: t for t, subs in ACLED_TAXONOMY.items() for s in subs}
    sub_owner = _map_dict(sub, owner).fillna("")
    mismatch = (sub_owner != "") & event_type.isin(list(EVENT_TYPES)) & (sub_owner != event_type)
    checks.flag(
        mismatch,
        "sub_event_type",
        _only(mismatch, sub_owner, lambda t: f"belongs to event type {t!r}, not the one given"),
        suggestion=None,
    )

    has_name = pd.Series(False, index=frame.index)
    for col in ("place", "district", "province", "country"):
        has_name |= _col(frame, col) != ""
    coords_given = (_col(frame, "latitude") != "") | (_col(frame, "longitude") != "")
    checks.flag(
        ~has_name & ~coords_given,
        "place",
        "no place and no coordinates; expected a place name (or a district, province or "
        "country) or latitude and longitude",
        value=pd.Series([""] * len(frame), index=frame.index),
    )

    if known_operations is not None:
        _references(
            checks, "operation", known_operations, f"not an operation listed in {OPERATIONS_FILE}"
        )

    parsed = _Parsed(checks)
    parsed.values.update(
        date=date,
        date_end=date_end,
        date_precision=precision,
        latitude=lat,
        longitude=lon,
        location_precision=loc_prec,
        status=status,
        event_type=event_type,
        sub_event_type=sub,
    )
    return parsed


def _check_claims(table: Table, *, incident_ids: pd.Series, operations: set[str]) -> _Parsed:

    checks = _Checks(table)
    frame = table.frame
    _unknown_columns(checks, CLAIM_COLUMNS)
    _required(checks, CLAIM_REQUIRED)
    _unique(checks, "claim_id", what="claim_id")
    incident = _col(frame, "incident_id")
    operation = _col(frame, "operation")
    checks.flag(
        (incident == "") & (operation == ""),
        "incident_id",
        "no target; expected an incident_id or an operation the figure is about",
    )
    _references(checks, "incident_id", incident_ids, f"not an incident_id in {INCIDENTS_FILE}")
    _references(
        checks,
        "operation",
        operations,
        f"not an operation named in {OPERATIONS_FILE} or {INCIDENTS_FILE}",
    )
    # A part names its whole: a claim in this same file.
    _references(checks, "part_of", _col(frame, "claim_id"), f"not a claim_id in {CLAIMS_FILE}")
    side = _vocab(checks, "claimant_side", CLAIMANT_SIDES, what="claimant side")
    subject = _vocab(checks, "subject", SUBJECTS, what="subject")
    outcome = _vocab(checks, "outcome", OUTCOMES, what="outcome")
    _check_date_column(checks, "claimed_on")
    low = _check_counts(checks, "low")
    high = _check_counts(checks, "high")
    reversed_ = (low.notna() & high.notna() & (low > high)).fillna(False).astype(bool)
    checks.flag(
        reversed_,
        "high",
        _only(reversed_, low, lambda v: f"smaller than low ({v}); expected high >= low"),
    )
    parsed = _Parsed(checks)
    parsed.values.update(claimant_side=side, subject=subject, outcome=outcome, low=low, high=high)
    return parsed


def _check_operations(table: Table) -> _Parsed:
    checks = _Checks(table)
    _unknown_columns(checks, OPERATION_COLUMNS)
    _required(checks, ("operation",))
    _unique(checks, "operation", what="operation")
    date, _ = _check_date_column(checks, "date")
    date_end, end_form = _check_date_column(checks, "date_end")
    backwards = date.notna() & date_end.notna() & (_end_of_period(date_end, end_form) < date)
    checks.flag(
        backwards, "date_end", "before the start date; expected the span to end on or after it"
    )
    return _Parsed(checks)


def _check_sites(table: Table) -> _Parsed:
    import pandas as pd

    checks = _Checks(table)
    frame = table.frame
    _unknown_columns(checks, SITE_COLUMNS)
    _required(checks, ("site_id", "name"))
    _unique(checks, "site_id", what="site_id")
    lat, lon = _check_coordinates(checks)
    loc_prec = _vocab(checks, "location_precision", LOCATION_PRECISIONS, what="location precision")
    named = (_col(frame, "place") != "") | (_col(frame, "name") != "")
    coords = (_col(frame, "latitude") != "") | (_col(frame, "longitude") != "")
    checks.flag(
        ~named & ~coords,
        "place",
        "no place and no coordinates",
        value=pd.Series([""] * len(frame), index=frame.index),
    )
    parsed = _Parsed(checks)
    parsed.values.update(latitude=lat, longitude=lon, location_precision=loc_prec)
    return parsed


def _check_indicators(table: Table) -> _Parsed:
    import pandas as pd

    checks = _Checks(table)
    frame = table.frame
    _unknown_columns(checks, INDICATOR_COLUMNS)
    _required(checks, ("indicator_id", "area", "indicator", "source"))
    _unique(checks, "indicator_id", what="indicator_id")
    for col in ("value", "low", "high"):
        raw = _col(frame, col)
        num = pd.to_numeric(raw.where(raw != ""), errors="coerce")
        checks.flag(
            (raw != "") & num.isna(),
            col,
            "not a number; expected a figure (the unit goes in 'unit')",
        )
    _check_date_column(checks, "as_of")
    return _Parsed(checks)


# --- resolution -----------------------------------------------------------------


def _default_gazetteer(gazetteer: Any) -> Any:
    if gazetteer is not None:
        return gazetteer
    from mapper.gazetteer import Gazetteer

    return Gazetteer.default()


class _LazyGazetteer:
    """Builds the default gazetteer only if some row needs it (loading takes time)."""

    def __init__(self, gazetteer: Any) -> None:
        self._given = gazetteer
        self._g: Any = None
        self.used = False

    def get(self) -> Any:
        if self._g is None:
            self._g = _default_gazetteer(self._given)
        self.used = True
        return self._g

    def reference(self) -> Any:
        """Return the gazetteer to check given coordinates against, without GeoNames.

        The gazetteer the caller gave, else the curated overlay alone (its
        districts and provinces): checking a point against the place a row names
        must not cost the world table's load when every row has coordinates.
        """
        if self._given is not None:
            return self._given
        from mapper.gazetteer import Gazetteer, curated_table

        return Gazetteer([curated_table()])

    @property
    def attribution(self) -> list[str]:
        if not self.used or self._g is None:
            return []
        return list(getattr(self._g, "attribution", []) or [])


def resolve_places(
    gazetteer: Any,
    names: pd.Series,
    *,
    country: pd.Series | None = None,
    province: pd.Series | None = None,
    district: pd.Series | None = None,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Resolve place names through ``gazetteer``, asking once per distinct (name, hints).

    Returns the gazetteer's result columns (only ``columns``, when given)
    aligned with ``names``.
    """
    import numpy as np
    import pandas as pd

    def hint(s: pd.Series | None) -> pd.Series:
        if s is None:
            return pd.Series("", index=names.index, dtype=str)
        return s.reindex(names.index).fillna("").astype(str)

    keys = pd.DataFrame(
        {
            "name": names.astype(str),
            "country": hint(country),
            "province": hint(province),
            "district": hint(district),
        }
    )
    # One question per distinct (name, hints), in order of first appearance;
    # ``group`` says which question each row asked. Each column is factorized
    # once and the codes folded together pairwise (fast, and no two tuples meet).
    group = np.zeros(len(keys), dtype=np.int64)
    for column in keys.columns:
        codes, uniques = pd.factorize(keys[column])
        group, _ = pd.factorize(group * len(uniques) + codes)
    first = np.empty(group.max() + 1 if len(group) else 0, dtype=np.int64)
    first[group[::-1]] = np.arange(len(group) - 1, -1, -1)  # the last write, the first row
    unique = keys.iloc[first].reset_index(drop=True)
    if len(unique) == 0:
        return pd.DataFrame(index=names.index)

    def none_if_empty(s: pd.Series) -> pd.Series:
        return s.astype(object).where(s != "", None)

    result = gazetteer.resolve_many(
        unique["name"],
        country=none_if_empty(unique["country"]),
        province=none_if_empty(unique["province"]),
        district=none_if_empty(unique["district"]),
    )
    if columns is not None:
        result = result[[c for c in columns if c in result.columns]]
    answers = result.reset_index(drop=True).iloc[group]
    answers.index = names.index
    return answers


def _check_far_points(checks: _Checks, lat: pd.Series, lon: pd.Series, gaz: _LazyGazetteer) -> None:
    """Flag given coordinates far from the district/province/country they name."""
    import pandas as pd

    frame = checks.table.frame
    has = lat.notna() & lon.notna() & ~pd.Series(checks.rejected_mask(), index=frame.index)
    if not has.any():
        return
    # The default gazetteer has no country points: judge countries by their extent.
    country = _col(frame, "country")
    todo = has & (country != "")
    if todo.any():
        from mapper.extents import outside_countries

        msg = outside_countries(lat[todo], lon[todo], country[todo]).reindex(
            frame.index, fill_value=""
        )
        checks.flag(msg != "", "latitude", msg, value=_col(frame, "latitude"))
        has &= msg == ""
    reference = None
    for level in ("district", "province", "country"):
        names = _col(frame, level)
        todo = has & (names != "")
        if not todo.any():
            continue
        try:
            if reference is None:
                reference = gaz.reference()
            res = resolve_places(
                reference,
                names[todo],
                country=None if level == "country" else _col(frame, "country")[todo],
                province=_col(frame, "province")[todo] if level == "district" else None,
                columns=("latitude", "longitude"),
            )
        except (ImportError, InputError):
            return
        if "latitude" not in res.columns:
            continue
        ref_lat = pd.to_numeric(res["latitude"], errors="coerce")
        ref_lon = pd.to_numeric(res["longitude"], errors="coerce")
        found = ref_lat.notna() & ref_lon.notna()
        if not found.any():
            continue
        lt, ln = lat[todo][found], lon[todo][found]
        dist = haversine_km(lt, ln, ref_lat[found], ref_lon[found])
        swapped_ok = ln.abs() <= 90
        dist_sw = haversine_km(ln.where(swapped_ok), lt, ref_lat[found], ref_lon[found])
        radius = _HINT_RADIUS_KM[level]
        far = dist > radius
        looks_swapped = far & (dist_sw <= radius)
        if level == "country":
            far = looks_swapped  # countries are too varied in size for a radius alone
        mask = pd.Series(False, index=frame.index)
        mask[far[far].index] = True
        msg = pd.Series("", index=frame.index, dtype=str)
        for idx in far[far].index:
            where = f"{level} {names[idx]!r}"
            if looks_swapped.get(idx, False):
                msg[idx] = (
                    f"point ({lt[idx]:g}, {ln[idx]:g}) lies {dist[idx]:.0f} km from the {where}; "
                    "latitude and longitude look swapped"
                )
            else:
                msg[idx] = (
                    f"point ({lt[idx]:g}, {ln[idx]:g}) lies {dist[idx]:.0f} km from the {where}; "
                    f"expected within {radius:.0f} km"
                )
        checks.flag(mask, "latitude", msg, value=_col(frame, "latitude"))
        has &= ~mask


# --- assembling a Dataset -----------------------------------------------------------


def _empty_report() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(
        {c: pd.Series([], dtype="int64" if c == "line" else str) for c in REPORT_COLUMNS}
    )


def _report_rows(
    table: Table, checks: _Checks, status: pd.Series, reason: pd.Series, ids: pd.Series
) -> pd.DataFrame:
    import pandas as pd

    rejected = checks.rejected_mask()
    status = status.copy()
    reason = reason.copy()
    status[rejected] = "rejected"
    for pos, reasons in checks.reasons.items():
        reason.iat[pos] = "; ".join(reasons)
    frame = pd.DataFrame(
        {
            "file": table.path,
            "line": pd.Series(table.lines, dtype="int64"),
            "table": table.name,
            "record_id": ids.reset_index(drop=True),
            "status": status.reset_index(drop=True),
            "reason": reason.reset_index(drop=True),
        }
    )
    if table.rejected:
        extra = pd.DataFrame(
            {
                "file": table.path,
                "line": [line for line, _ in table.rejected],
                "table": table.name,
                "record_id": "",
                "status": "rejected",
                "reason": [r for _, r in table.rejected],
            }
        )
        frame = pd.concat([frame, extra], ignore_index=True)
    return frame


def _text_column(series: pd.Series) -> pd.Series:
    # Missing text is NaN in pandas 3's str dtype; keep that convention.
    return series.astype(str).where(series != "")


@dataclass
class _Files:
    incidents: Path
    claims: Path | None = None
    operations: Path | None = None
    sites: Path | None = None
    indicators: Path | None = None
    metadata: Path | None = None
    name: str = "dataset"


def _locate(path: str | Path | None) -> _Files:
    from mapper.resources import data_path

    p = Path(data_path(BUNDLED_DATASET) if path is None else path)
    if p.is_dir():
        incidents = p / INCIDENTS_FILE
        if not incidents.is_file():
            raise InputError(f"not a dataset directory: expected {INCIDENTS_FILE} in it", path=p)

        def opt(name: str) -> Path | None:
            f = p / name
            return f if f.is_file() else None

        return _Files(
            incidents,
            opt(CLAIMS_FILE),
            opt(OPERATIONS_FILE),
            opt(SITES_FILE),
            opt(INDICATORS_FILE),
            opt(METADATA_FILE),
            name=p.resolve().name,
        )
    if not p.exists():
        raise InputError("no such file or directory", path=p)
    return _Files(p, name=p.stem)


def _read_metadata(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        meta = json.loads(read_text(path))
    except json.JSONDecodeError as err:
        raise InputError(f"not valid JSON ({err.msg})", path=path, line=err.lineno) from err
    if not isinstance(meta, dict):
        raise InputError(f"expected a JSON object, found {type(meta).__name__}", path=path)
    attribution = meta.get("attribution", [])
    if isinstance(attribution, str):
        attribution = [attribution]
    if not isinstance(attribution, list) or not all(isinstance(a, str) for a in attribution):
        raise InputError("'attribution' should be a list of strings", path=path)
    meta["attribution"] = attribution
    return meta


def _ids_of(table: Table | None, column: str) -> pd.Series:
    """Return the non-empty values of a column (a Series, for :func:`isin`)."""
    import pandas as pd

    if table is None or column not in table.frame.columns:
        return pd.Series([], dtype=str)
    return table.frame[column][table.frame[column] != ""]


def check_dataset(
    path: str | Path | None = None, *, gazetteer: Any = None, geometry: bool = True
) -> tuple[Dataset, list[Problem]]:
    """Read a dataset and list its problems in one pass.

    Parameters
    ----------
    path : str or Path, optional
        A dataset directory or a single incidents CSV; ``None`` reads the
        bundled dataset.
    gazetteer : Gazetteer, optional
        Resolves place names (default :meth:`Gazetteer.default`, loaded only
        when some row needs it).
    geometry : bool, default True
        As for :func:`read_dataset`.

    Returns
    -------
    dataset : Dataset
        Every valid row kept; rows with problems rejected (see ``report``).
    problems : list of Problem
        Every mistake found, in file and line order.

    Raises
    ------
    InputError
        If a file cannot be read or lacks a required column.
    """
    import pandas as pd

    files = _locate(path)
    meta = _read_metadata(files.metadata)
    gaz = _LazyGazetteer(gazetteer)

    inc_t = read_table(files.incidents, table="incidents", required=INCIDENT_REQUIRED)
    op_t = (
        read_table(files.operations, table="operations", required=("operation",))
        if files.operations
        else None
    )
    known_ops = _ids_of(op_t, "operation") if op_t is not None else None
    inc = _check_incidents(inc_t, known_operations=known_ops)
    frame = inc_t.frame
    lat, lon = inc.values["latitude"], inc.values["longitude"]
    _check_far_points(inc.checks, lat, lon, gaz)
    keep = pd.Series(~inc.checks.rejected_mask(), index=frame.index)

    # Place every kept incident: coordinates win, otherwise the gazetteer.
    status = pd.Series("placed", index=frame.index, dtype=str)
    reason = pd.Series("", index=frame.index, dtype=str)
    out = pd.DataFrame(index=frame.index)
    for col in INCIDENT_COLUMNS:
        out[col] = _text_column(_col(frame, col))
    for col in ("date_precision", "location_precision", "status", "event_type", "sub_event_type"):
        out[col] = _text_column(inc.values[col])
    out["date"] = inc.values["date"]
    out["date_end"] = inc.values["date_end"]
    out["latitude"] = lat
    out["longitude"] = lon
    out["placement"] = "placed"
    out["placement_reason"] = pd.Series(pd.NA, index=frame.index, dtype=str)
    out["location_source"] = pd.Series(pd.NA, index=frame.index, dtype=str)
    out["matched_name"] = pd.Series(pd.NA, index=frame.index, dtype=str)
    out["match_type"] = pd.Series(pd.NA, index=frame.index, dtype=str)
    out["match_score"] = pd.Series(float("nan"), index=frame.index, dtype=float)

    given = keep & lat.notna() & lon.notna()
    out.loc[given, "location_source"] = "coordinates given"
    todo = keep & ~given
    if todo.any():
        query = _col(frame, "place")
        for level in ("district", "province", "country"):
            query = query.where(query != "", _col(frame, level))
        res = resolve_places(
            gaz.get(),
            query[todo],
            country=_col(frame, "country")[todo],
            province=_col(frame, "province")[todo],
            district=_col(frame, "district")[todo],
        )
        rlat = pd.to_numeric(res["latitude"], errors="coerce")
        rlon = pd.to_numeric(res["longitude"], errors="coerce")
        found = rlat.notna() & rlon.notna()
        idx_found = found[found].index
        idx_missing = found[~found].index
        out.loc[idx_found, "latitude"] = rlat[found]
        out.loc[idx_found, "longitude"] = rlon[found]
        out.loc[idx_found, "location_source"] = res.loc[idx_found, "source"].astype(str)
        out.loc[idx_found, "matched_name"] = res.loc[idx_found, "matched_name"].astype(str)
        out.loc[idx_found, "match_type"] = res.loc[idx_found, "match_type"].astype(str)
        out.loc[idx_found, "match_score"] = pd.to_numeric(
            res.loc[idx_found, "score"], errors="coerce"
        )
        no_prec = out.loc[idx_found, "location_precision"].isna()
        fill = no_prec[no_prec].index
        out.loc[fill, "location_precision"] = res.loc[fill, "precision"].astype(str)
        for level in ("district", "province", "country"):
            empty = out.loc[idx_found, level].isna()
            fill = empty[empty].index
            if len(fill) and level in res.columns:
                values = res.loc[fill, level]
                out.loc[fill, level] = values.where(values.notna() & (values.astype(str) != ""))
        for idx in idx_found:
            note = []
            mt = res.at[idx, "match_type"]
            if mt not in ("exact", None) and res.at[idx, "matched_name"] != query[idx]:
                note.append(f"{query[idx]!r} matched {res.at[idx, 'matched_name']!r} ({mt})")
            if (
                bool(res.at[idx, "ambiguous"])
                if "ambiguous" in res.columns and pd.notna(res.at[idx, "ambiguous"])
                else False
            ):
                note.append(f"{query[idx]!r} is ambiguous; the best match was used")
            reason[idx] = "; ".join(note)
        for idx in idx_missing:
            sugg = res.at[idx, "suggestions"] if "suggestions" in res.columns else ()
            if isinstance(sugg, str):
                sugg = tuple(s.strip() for s in sugg.split("|") if s.strip())
            sugg = tuple(sugg) if isinstance(sugg, (tuple, list)) else ()
            text = f"place {query[idx]!r} not found in the gazetteer"
            text += f"; did you mean {', '.join(sugg)}?" if sugg else "; no similar name known"
            status[idx] = "unplaced"
            reason[idx] = text
        out.loc[idx_missing, "placement"] = "unplaced"
        out.loc[idx_missing, "placement_reason"] = reason[idx_missing]

    report = [_report_rows(inc_t, inc.checks, status, reason, _col(frame, "incident_id"))]
    problems = list(inc.checks.problems)

    incidents = out[keep.to_numpy()].copy()
    extra = [c for c in frame.columns if c not in INCIDENT_COLUMNS and c]
    for col in extra:
        incidents[col] = _text_column(frame.loc[keep.to_numpy(), col])
    incidents = incidents[[*INCIDENT_COLUMNS, *PLACEMENT_COLUMNS, *extra]].reset_index(drop=True)
    incidents = with_points(incidents) if geometry else incidents
    placed_inc = incidents.loc[incidents["placement"] == "placed", "incident_id"]
    kept_inc = incidents["incident_id"]
    all_inc = _ids_of(inc_t, "incident_id")
    ops_with_placed = set(
        _texts(
            incidents.loc[
                (incidents["placement"] == "placed") & incidents["operation"].notna(), "operation"
            ]
        )
    )

    # Operations (context).
    operations = pd.DataFrame({c: pd.Series([], dtype=str) for c in OPERATION_COLUMNS})
    if op_t is not None:
        op = _check_operations(op_t)
        ops = _col(op_t.frame, "operation")
        st = ops.map(lambda o: "placed" if o in ops_with_placed else "unplaced")
        rs = ops.map(
            lambda o: "" if o in ops_with_placed else "no placed incident belongs to this operation"
        )
        report.append(_report_rows(op_t, op.checks, st, rs, ops))
        problems += op.checks.problems
        kept = op_t.frame[~op.checks.rejected_mask()]
        operations = _table_frame(kept, OPERATION_COLUMNS)
    all_ops = set(_texts(_ids_of(op_t, "operation"))) | set(
        _texts(_col(frame, "operation")[_col(frame, "operation") != ""])
    )

    # Claims.
    claims = pd.DataFrame({c: pd.Series([], dtype=str) for c in CLAIM_COLUMNS})
    claims["low"] = claims["low"].astype("Int64")
    claims["high"] = claims["high"].astype("Int64")
    if files.claims is not None:
        cl_t = read_table(files.claims, table="claims", required=("claim_id",))
        missing_req = [c for c in CLAIM_REQUIRED if c not in cl_t.frame.columns]
        if missing_req:
            raise InputError(
                f"missing required column{'s' if len(missing_req) > 1 else ''} "
                f"{', '.join(missing_req)}; expected a claims table",
                path=cl_t.path,
                line=1,
            )
        cl = _check_claims(cl_t, incident_ids=all_inc, operations=all_ops)
        cf = cl_t.frame
        target_inc = _col(cf, "incident_id")
        target_op = _col(cf, "operation")
        # A claim about an incident that was itself rejected cannot be shown.
        orphan = (target_inc != "") & isin(target_inc, all_inc) & ~isin(target_inc, kept_inc)
        orphan &= ~pd.Series(cl.checks.rejected_mask(), index=cf.index)
        if orphan.any():
            inc_lines = dict(
                zip(_texts(_col(frame, "incident_id")), inc_t.lines.tolist(), strict=True)
            )
            for pos in orphan[orphan].index:
                cl.checks.reasons.setdefault(int(pos), []).append(
                    f"refers to incident {target_inc[pos]!r}, which was rejected "
                    f"(line {inc_lines.get(target_inc[pos])} of {inc_t.path})"
                )
        placed_target = isin(target_inc, placed_inc) | (
            (target_inc == "") & isin(target_op, ops_with_placed)
        )
        st = placed_target.map({True: "placed", False: "unplaced"}).astype(str)
        rs = pd.Series("", index=cf.index, dtype=str)
        rs[~placed_target] = target_inc.where(target_inc != "", target_op)[~placed_target].map(
            lambda t: f"what it is about ({t!r}) has no place on the map"
        )
        report.append(_report_rows(cl_t, cl.checks, st, rs, _col(cf, "claim_id")))
        problems += cl.checks.problems
        keep_cl = ~cl.checks.rejected_mask()
        kept = cf[keep_cl]
        claims = _table_frame(kept, CLAIM_COLUMNS)
        for col in ("claimant_side", "subject", "outcome"):
            claims[col] = _text_column(cl.values[col][keep_cl].reset_index(drop=True))
        claims["low"] = cl.values["low"][keep_cl].reset_index(drop=True)
        claims["high"] = cl.values["high"][keep_cl].reset_index(drop=True)

    # Sites (context with places).
    sites = pd.DataFrame(
        {
            c: pd.Series([], dtype=float if c in ("latitude", "longitude") else str)
            for c in SITE_COLUMNS
        }
    )
    if geometry:
        sites = with_points(sites)
    if files.sites is not None:
        si_t = read_table(files.sites, table="sites", required=("site_id", "name"))
        si = _check_sites(si_t)
        sf = si_t.frame
        slat, slon = si.values["latitude"], si.values["longitude"]
        keep_si = ~si.checks.rejected_mask()
        table = _table_frame(sf, SITE_COLUMNS)
        table["latitude"] = slat.reset_index(drop=True)
        table["longitude"] = slon.reset_index(drop=True)
        table["location_precision"] = _text_column(
            si.values["location_precision"].reset_index(drop=True)
        )
        st = pd.Series("placed", index=sf.index, dtype=str)
        rs = pd.Series("", index=sf.index, dtype=str)
        need = keep_si & (slat.isna() | slon.isna())
        if need.any():
            q = _col(sf, "place").where(_col(sf, "place") != "", _col(sf, "name"))
            res = resolve_places(gaz.get(), q[need])
            rlat = pd.to_numeric(res["latitude"], errors="coerce")
            rlon = pd.to_numeric(res["longitude"], errors="coerce")
            table.loc[rlat.index, "latitude"] = rlat
            table.loc[rlon.index, "longitude"] = rlon
            prec_empty = table.loc[rlat.index, "location_precision"].isna() & rlat.notna()
            table.loc[prec_empty[prec_empty].index, "location_precision"] = res.loc[
                prec_empty[prec_empty].index, "precision"
            ].astype(str)
            miss = rlat.isna()
            st[miss[miss].index] = "unplaced"
            rs[miss[miss].index] = q[miss[miss].index].map(
                lambda n: f"place {n!r} not found in the gazetteer"
            )
        report.append(_report_rows(si_t, si.checks, st, rs, _col(sf, "site_id")))
        problems += si.checks.problems
        table = table[keep_si]
        sites = table.reset_index(drop=True)
        if geometry:
            sites = with_points(sites)

    # Indicators (area-level figures).
    indicators = pd.DataFrame({c: pd.Series([], dtype=str) for c in INDICATOR_COLUMNS})
    if files.indicators is not None:
        in_t = read_table(
            files.indicators, table="indicators", required=("indicator_id", "area", "indicator")
        )
        ind = _check_indicators(in_t)
        nf = in_t.frame
        st = pd.Series("placed", index=nf.index, dtype=str)
        rs = pd.Series("", index=nf.index, dtype=str)
        keep_in = ~ind.checks.rejected_mask()
        area = _col(nf, "area")
        # An indicator about a whole country needs no point: naming the country places it.
        from mapper.geonames import country_code

        is_country = area.map(lambda a: a != "" and country_code(a) is not None).astype(bool)
        need = keep_in & (area != "") & ~is_country
        if need.any():
            res = resolve_places(gaz.get(), area[need])
            miss = pd.to_numeric(res["latitude"], errors="coerce").isna()
            st[miss[miss].index] = "unplaced"
            rs[miss[miss].index] = area[miss[miss].index].map(
                lambda n: f"area {n!r} not found in the gazetteer"
            )
        report.append(_report_rows(in_t, ind.checks, st, rs, _col(nf, "indicator_id")))
        problems += ind.checks.problems
        indicators = _table_frame(nf[keep_in], INDICATOR_COLUMNS)
        for col in ("value", "low", "high"):
            indicators[col] = pd.to_numeric(indicators[col], errors="coerce")

    report_df = pd.concat(report, ignore_index=True) if report else _empty_report()
    report_df["line"] = report_df["line"].astype("int64")
    order = {name: i for i, name in enumerate(_TABLE_ORDER)}
    report_df = (
        report_df.assign(_t=_map_dict(report_df["table"], order))
        .sort_values(["_t", "line"], kind="stable")
        .drop(columns="_t")
        .reset_index(drop=True)
    )
    for col in ("file", "table", "record_id", "status", "reason"):
        report_df[col] = report_df[col].fillna("").astype(str)

    attribution = list(meta.get("attribution", []))
    for line in gaz.attribution:
        if line not in attribution and (incidents["location_source"] != "coordinates given").any():
            attribution.append(line)
    dataset = Dataset(
        incidents=incidents,
        claims=claims,
        report=report_df,
        operations=operations,
        sites=sites,
        indicators=indicators,
        name=str(meta.get("name") or files.name),
        attribution=attribution,
    )
    problems.sort(key=lambda p: (_file_rank(p.path, files), p.line or 0))
    return dataset, problems


def with_points(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """Return ``frame`` as a GeoDataFrame (EPSG:4326) of points from its coordinates.

    Rows without ``latitude`` or ``longitude`` get a missing geometry.
    """
    import geopandas as gpd

    out = gpd.GeoDataFrame(
        frame,
        geometry=gpd.points_from_xy(frame["longitude"], frame["latitude"]),
        crs="EPSG:4326",
    )
    out.loc[out["latitude"].isna() | out["longitude"].isna(), "geometry"] = None
    return out


def _file_rank(path: str, files: _Files) -> int:
    order = [files.incidents, files.operations, files.claims, files.sites, files.indicators]
    for i, f in enumerate(order):
        if f is not None and str(f) == path:
            return i
    return len(order)


def _table_frame(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    import pandas as pd

    out = pd.DataFrame(index=range(len(frame)))
    for col in columns:
        out[col] = _text_column(_col(frame, col).reset_index(drop=True))
    return out


def read_dataset(
    path: str | Path | None = None, *, gazetteer: Any = None, geometry: bool = True
) -> Dataset:
    """Read a dataset, resolving places; rows with mistakes are rejected, not fatal.

    Parameters
    ----------
    path : str or Path, optional
        A dataset directory (``incidents.csv`` plus optional ``claims.csv``,
        ``operations.csv``, ``sites.csv``, ``indicators.csv``, ``dataset.json``)
        or a single incidents CSV. ``None`` reads the bundled dataset.
    gazetteer : Gazetteer, optional
        Resolves place names where no coordinates are given (default
        :meth:`mapper.gazetteer.Gazetteer.default`).
    geometry : bool, default True
        Give ``incidents`` and ``sites`` point geometries (GeoDataFrames).
        False keeps them plain DataFrames with ``latitude``/``longitude``,
        which is all :func:`mapper.render.build_map` needs, and saves making a
        shapely point per row (about 0.1 s per 100,000 incidents).

    Returns
    -------
    Dataset
        ``report`` holds one row per input row: placed, unplaced (with the
        reason, e.g. an unknown name and its suggestions) or rejected (with the
        file, line, column and reason).

    Raises
    ------
    InputError
        If a file cannot be read or lacks a required column (row-level
        mistakes never raise).

    Examples
    --------
    >>> ds = read_dataset()  # doctest: +SKIP
    >>> ds.counts()  # doctest: +SKIP
    {'placed': 45, 'unplaced': 0, 'rejected': 0}
    """
    dataset, _ = check_dataset(path, gazetteer=gazetteer, geometry=geometry)
    return dataset


def validate_dataset(path: str | Path | None = None, *, gazetteer: Any = None) -> list[Problem]:
    """Return every mistake in a dataset at once (an empty list when valid).

    Missing required columns are reported as problems here (where
    :func:`read_dataset` raises), so that one run lists everything.

    Raises
    ------
    InputError
        If a file cannot be read at all (missing, binary, empty, broken quoting).
    """
    try:
        _, problems = check_dataset(path, gazetteer=gazetteer, geometry=False)
    except InputError as err:
        if err.line == 1 and err.reason.startswith("missing required column"):
            return [Problem(err.path or str(path), 1, None, None, err.reason)]
        raise
    return problems


def read_datasets(
    paths: Sequence[str | Path | None], *, gazetteer: Any = None, geometry: bool = True
) -> Dataset:
    """Read several datasets and merge them into one.

    An ``incident_id`` or ``claim_id`` already taken by an earlier dataset is
    rejected (with its claims) and listed in the report; the first one wins.
    ``gazetteer`` and ``geometry`` are as for :func:`read_dataset`.
    """
    import pandas as pd

    if not paths:
        paths = [None]
    parts = [read_dataset(p, gazetteer=gazetteer, geometry=geometry) for p in paths]
    if len(parts) == 1:
        return parts[0]
    incidents, claims, reports = [], [], []
    seen_inc: dict[str, str] = {}
    seen_cl: dict[str, str] = {}
    for ds in parts:
        rep = ds.report.copy()
        inc_file = rep.loc[rep["table"] == "incidents", "file"]
        label = inc_file.iloc[0] if len(inc_file) else ds.name
        dup_inc = isin(ds.incidents["incident_id"], seen_inc)
        dup_ids = set(ds.incidents.loc[dup_inc, "incident_id"])
        cl = ds.claims
        dup_cl = isin(cl["claim_id"], seen_cl) | isin(cl["incident_id"], dup_ids)
        for table, ids, owner in (
            ("incidents", dup_ids, seen_inc),
            ("claims", set(cl.loc[dup_cl, "claim_id"]), seen_cl),
        ):
            hit = (
                (rep["table"] == table)
                & isin(rep["record_id"], ids)
                & (rep["status"] != "rejected")
            )
            rep.loc[hit, "status"] = "rejected"
            rep.loc[hit, "reason"] = rep.loc[hit, "record_id"].map(
                lambda i, owner=owner: (
                    f"id {i!r} already used in {owner.get(i, 'an incident merged earlier')}"
                    if i in owner
                    else "its incident's id was already used by an earlier dataset"
                )
            )
        for i in ds.incidents.loc[~dup_inc, "incident_id"]:
            seen_inc[i] = label
        for i in cl.loc[~dup_cl, "claim_id"]:
            seen_cl[i] = label
        incidents.append(ds.incidents[~dup_inc.to_numpy()])
        claims.append(cl[~dup_cl.to_numpy()])
        reports.append(rep)
    attribution: list[str] = []
    for ds in parts:
        attribution += [a for a in ds.attribution if a not in attribution]
    # concat keeps GeoDataFrames (and their CRS) when the parts are GeoDataFrames.
    sites = [ds.sites for ds in parts if len(ds.sites)]
    return Dataset(
        incidents=pd.concat(incidents, ignore_index=True),
        claims=pd.concat(claims, ignore_index=True),
        report=pd.concat(reports, ignore_index=True),
        operations=pd.concat([ds.operations for ds in parts], ignore_index=True),
        sites=pd.concat(sites, ignore_index=True) if sites else parts[0].sites,
        indicators=pd.concat([ds.indicators for ds in parts], ignore_index=True),
        name=" + ".join(ds.name for ds in parts),
        attribution=attribution,
    )
