"""Dates in the forms people's tables hold, read or refused, never guessed.

One reading per column: every value of a date column is read the same way.

================================= =========================== ==========
written                           read as                     precision
================================= =========================== ==========
``2004-06-19`` (a time may follow) 2004-06-19                  day
``2004/06/19``                    2004-06-19                  day
``2004-06``, ``2004``             2004-06, 2004               month, year
``6/19/2004``, ``19.06.2004``     day and month in the order  day
                                  the column's values settle
``19 June 2004``, ``Jun-19-2004``, 2004-06-19                 day
``June 19, 2004``
``Saturday-June 19-2004``         the weekday is dropped      day
``June 2004``, ``Jun-2004``       2004-06                     month
``38157`` (Excel serial day)      2004-06-19                  day
``30-31 January 2026``,           2026-01-30, ending          day
``Jan 30 - Feb 1, 2026``,         2026-01-31 / 2026-02-01
``2026-01-30/2026-02-01``         (``end``)
``c. 1995``, ``about 12 May 2024`` 1995, 2024-05-12, noted     as written
``late January 2026``, ``mid-2019`` 2026-01, 2019, noted        month, year
================================= =========================== ==========

Numeric dates (``6/7/2004``) are day first or month first as the column's own
values decide: a first number over 12 makes the column day first, a second
number over 12 month first. A column where nothing decides is refused with both
readings of an example, unless ``date_format`` says which; a column with both is
refused with its rows listed. Years are written in full: ``6/7/04`` is refused.
A misspelt weekday (``Thrusday-Feb-16-2017``) is ignored when the rest is a
clear date; a correctly spelt weekday that does not fit the date is reported in
the row's note, and the date is read as written.

Separate year, month and day columns (:func:`read_year_month_day`) take 0 or
empty as unknown: an unknown day gives month precision, an unknown month year
precision.

:func:`parse_source_dates` reads the forms ACLED and UCDP exports use, with
ACLED's convention for slashed dates (month first unless the column proves
otherwise). The ISO dates of our own tables are checked in
:mod:`mapper.tables.dates`.

Everything is computed once per distinct value, then spread to the rows, so a
million rows with a few thousand distinct dates cost little.
"""

from __future__ import annotations

import calendar
import difflib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from mapper.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DateColumn", "parse_source_dates", "read_dates", "read_year_month_day"]

_MONTHS: dict[str, int] = {}
for _i in range(1, 13):
    _MONTHS[calendar.month_name[_i].lower()] = _i
    _MONTHS[calendar.month_abbr[_i].lower()] = _i
_MONTHS["sept"] = 9
_WEEKDAYS = {d.lower() for d in calendar.day_name} | {d.lower() for d in calendar.day_abbr}
_WEEKDAY_NUMBER = {calendar.day_name[i].lower(): i for i in range(7)} | {
    calendar.day_abbr[i].lower(): i for i in range(7)
}

_ISO = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ]\d{1,2}:\d{2}.*)?")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_YEAR = re.compile(r"[12]\d{3}")  # 1000-2999: larger four-digit numbers are serial days
_NUMERIC = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{2,4})")
_SERIAL = re.compile(r"\d{4,5}(?:\.\d+)?")
_TOKENS = re.compile(r"[A-Za-z]+|\d+")
# Excel counts days from 1899-12-30 (its 1900 leap-year bug folded in).
_EXCEL_EPOCH = date(1899, 12, 30)
# Serial days before 1910 or after 2100 are more likely figures than dates.
_SERIAL_RANGE = (3653, 73415)


@dataclass
class DateColumn:
    """A date column read: one entry per row.

    Attributes
    ----------
    iso : pandas.Series of str
        ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (``""`` where unread); a
        span's first day.
    end : pandas.Series of str
        A span's last day (``30-31 January 2026``), ``""`` for single dates.
    precision : pandas.Series of str
        ``day``, ``month`` or ``year`` (``""`` where unread).
    reason : pandas.Series of str
        Why a value was not read (``""`` where read or empty).
    note : pandas.Series of str
        Something the reader of the row should know (a weekday that does not fit).
    reading : str
        How the column was read, for the import's summary.
    """

    iso: pd.Series
    precision: pd.Series
    reason: pd.Series
    note: pd.Series
    reading: str
    end: pd.Series | None = None


@dataclass
class _Value:
    iso: str = ""
    precision: str = ""
    reason: str = ""
    note: str = ""
    end: str = ""
    # Numeric dates wait for the column's order: (first, second, year).
    numeric: tuple[int, int, int] | None = None


def _day(y: int, m: int, d: int, value: str) -> _Value:
    try:
        return _Value(date(y, m, d).isoformat(), "day")
    except ValueError:
        return _Value(reason=f"no such date {value!r}")


def _read_words(value: str) -> _Value | None:
    """Read a date written with a month name, weekday prefix allowed; None if not one."""
    tokens = _TOKENS.findall(value)
    words = [t for t in tokens if t.isalpha()]
    if not words:
        return None
    months = [t for t in words if t.lower() in _MONTHS]
    if len(months) != 1:
        return None
    others = [t for t in words if t is not months[0]]
    # A word before the month is a weekday, spelt right or nearly.
    if len(others) > 1 or (others and tokens.index(others[0]) > tokens.index(months[0])):
        return None
    if others and not difflib.get_close_matches(others[0].lower(), _WEEKDAYS, n=1, cutoff=0.6):
        return _Value(reason=f"{others[0]!r} in {value!r} is not a weekday; not read as a date")
    numbers = [t for t in tokens if t.isdigit()]
    month = _MONTHS[months[0].lower()]
    years = [n for n in numbers if len(n) == 4]
    days = [n for n in numbers if len(n) <= 2]
    if len(years) != 1 or len(days) > 1 or len(numbers) != len(years) + len(days):
        if numbers and all(len(n) <= 2 for n in numbers):
            return _Value(reason=f"no four-digit year in {value!r}")
        return None
    year = int(years[0])
    if not days:
        return _Value(f"{year:04d}-{month:02d}", "month")
    out = _day(year, month, int(days[0]), value)
    if others and out.iso:
        said = others[0].lower()
        actual = date.fromisoformat(out.iso).weekday()
        if said in _WEEKDAY_NUMBER and _WEEKDAY_NUMBER[said] != actual:
            out.note = (
                f"date {value!r}: {others[0]} does not fit {out.iso}, a "
                f"{calendar.day_name[actual]}; the date is read as written"
            )
    return out


def _read_one(value: str) -> _Value:
    """Read one distinct value as far as it can be read without the rest of its column."""
    if not value:
        return _Value()
    m = _ISO.fullmatch(value)
    if m:
        return _day(int(m[1]), int(m[2]), int(m[3]), value)
    if _YEAR.fullmatch(value):
        return _Value(value, "year")
    m = _ISO_MONTH.fullmatch(value)
    if m:
        if 1 <= int(m[2]) <= 12:
            return _Value(f"{m[1]}-{int(m[2]):02d}", "month")
        return _Value(reason=f"no such month {value!r}")
    m = _NUMERIC.fullmatch(value)
    if m:
        if len(m[4]) != 4:
            return _Value(reason=f"two-digit year in {value!r}; expected the year in full")
        return _Value(numeric=(int(m[1]), int(m[3]), int(m[4])))
    if _SERIAL.fullmatch(value):
        serial = float(value)
        if _SERIAL_RANGE[0] <= serial <= _SERIAL_RANGE[1]:
            day = _EXCEL_EPOCH + timedelta(days=int(serial))
            return _Value(day.isoformat(), "day")
    words = _read_words(value)
    if words is not None and not words.reason:
        return words
    for read in (_read_qualified, _read_span):
        found = read(value)
        if found is not None:
            return found
    if words is not None:
        return words
    return _Value(
        reason=f"not a date {value!r}; expected e.g. 2004-06-19, 19 June 2004 or 6/19/2004"
    )


# "c. 1995", "about 12 March 2024", "30 Jan 2026 (approx.)": read, with the hedge noted.
_HEDGES = re.compile(
    r"^(?:(?P<pre>c\.|ca\.|circa|about|around|approx\.?|approximately|~)\s*)?(?P<date>.+?)"
    r"(?:\s*\(?(?P<post>approx\.?|approximate|approximately|estimated|est\.)\)?)?$",
    re.IGNORECASE,
)
# "early March 2024", "mid-2019", "late January 2026": the month or year, the word noted.
_PART_OF = re.compile(r"^(?P<part>early|mid|late)[\s-]+(?P<date>.+)$", re.IGNORECASE)


def _read_qualified(value: str) -> _Value | None:
    """Read a date with a hedge or a part of a period; None if it is not one."""
    m = _PART_OF.match(value)
    if m:
        inner = _read_one(m["date"])
        if inner.iso and inner.precision in ("month", "year") and not inner.end:
            inner.note = _joined(
                inner.note,
                f"date {value!r}: read as the whole {inner.precision} ({inner.iso}); "
                f"{m['part'].lower()!r} is kept in this note",
            )
            return inner
        return None
    m = _HEDGES.match(value)
    if m and (m["pre"] or m["post"]):
        inner = _read_one(m["date"].strip())
        if inner.iso or inner.numeric is not None:
            inner.note = _joined(inner.note, f"date {value!r}: approximate, as written")
            return inner
    return None


# Spans: "30-31 January 2026", "January 30-31, 2026", "30 Jan - 1 Feb 2026",
# "Jan 30 to Feb 1, 2026", "2026-01-30/2026-02-01", "between 3 and 5 May 2024".
_DAY_RANGE = re.compile(
    r"^(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s*(?:-|–|—|to|and)\s*(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+"
    r"(?P<rest>[A-Za-z]+\.?,?\s+\d{4})$",
    re.IGNORECASE,
)
_MONTH_DAY_RANGE = re.compile(
    r"^(?P<month>[A-Za-z]+)\.?\s+(?P<d1>\d{1,2})\s*(?:-|–|—|to)\s*(?P<d2>\d{1,2}),?\s+"
    r"(?P<year>\d{4})$",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"\s+(?:-|–|—|to|until|and)\s+|\s*[–—]\s*|(?<=\d)/(?=\d{4}-)", re.IGNORECASE)


def _read_span(value: str) -> _Value | None:
    """Read a span of days as its first day and ``end``; None if it is not one."""
    text = re.sub(r"^(?:between|from)\s+", "", value.strip(), flags=re.IGNORECASE)
    m = _DAY_RANGE.match(text)
    if m:
        return _span(
            value, _read_one(f"{m['d1']} {m['rest']}"), _read_one(f"{m['d2']} {m['rest']}")
        )
    m = _MONTH_DAY_RANGE.match(text)
    if m:
        first = _read_one(f"{m['month']} {m['d1']}, {m['year']}")
        return _span(value, first, _read_one(f"{m['month']} {m['d2']}, {m['year']}"))
    parts = _SPLIT.split(text)
    if len(parts) != 2:
        return None
    left, right = (p.strip(" ,") for p in parts)
    last = _read_one(right)
    if last.precision != "day":
        return None
    first = _read_one(left)
    if first.precision != "day":
        # "30 Jan - 1 Feb 2026": the first day takes the last one's year.
        first = _read_one(f"{left} {last.iso[:4]}")
    return _span(value, first, last)


def _span(value: str, first: _Value, last: _Value) -> _Value | None:
    if first.precision != "day" or last.precision != "day":
        return None
    if last.iso < first.iso:
        return _Value(reason=f"the span {value!r} ends before it starts")
    if last.iso == first.iso:
        return first
    return _Value(first.iso, "day", note=_joined(first.note, last.note), end=last.iso)


def _joined(a: str, b: str) -> str:
    return f"{a}; {b}" if a and b else a or b


def _format_precision(fmt: str) -> str:
    if "%d" in fmt or "%j" in fmt:
        return "day"
    if any(c in fmt for c in ("%m", "%b", "%B")):
        return "month"
    return "year"


def _read_with_format(value: str, fmt: str) -> _Value:
    if not value:
        return _Value()
    try:
        parsed = datetime.strptime(value, fmt)
    except ValueError:
        return _Value(reason=f"date {value!r} does not match --date-format {fmt!r}")
    precision = _format_precision(fmt)
    iso = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}[precision]
    return _Value(parsed.strftime(iso), precision)


def _settle_order(
    read: dict[str, _Value], column: str, rows_of: dict[str, int], path: str | None
) -> str:
    """Decide day-first or month-first from the column's own numeric dates."""
    # A value no order can read (32/13/2018) settles nothing: its row is rejected on its own.
    numeric = {
        v: r.numeric
        for v, r in read.items()
        if r.numeric is not None and min(r.numeric[:2]) <= 12 and max(r.numeric[:2]) <= 31
    }
    if not numeric:
        return "day first" if any(r.numeric is not None for r in read.values()) else ""
    day_first = sorted((v for v, (a, b, _) in numeric.items() if a > 12 >= b), key=rows_of.get)
    month_first = sorted((v for v, (a, b, _) in numeric.items() if b > 12 >= a), key=rows_of.get)
    if day_first and month_first:
        listed = sorted(
            [(rows_of[v], v, "day first") for v in day_first[:5]]
            + [(rows_of[v], v, "month first") for v in month_first[:5]]
        )
        rows = "; ".join(f"row {r}: {v!r} ({how})" for r, v, how in listed)
        raise InputError(
            f"column {column!r} mixes day-first and month-first dates ({rows}); "
            f"fix the column or give --date-format, e.g. {_order_formats(listed[0][1])[0]}",
            path=path,
        )
    if day_first:
        return "day first"
    if month_first:
        return "month first"
    unsettled = sorted((v for v, (a, b, _) in numeric.items() if a != b), key=rows_of.get)
    if not unsettled:
        return "day first"  # every value reads the same either way (e.g. 5/5/2004)
    a, b, y = numeric[unsettled[0]]
    raise InputError(
        f"column {column!r}: no value settles whether dates are day first or month first "
        f"(row {rows_of[unsettled[0]]}: {unsettled[0]!r} is {y:04d}-{b:02d}-{a:02d} day first "
        f"or {y:04d}-{a:02d}-{b:02d} month first); give --date-format "
        + " or ".join(_order_formats(unsettled[0])),
        path=path,
    )


def _order_formats(value: str) -> tuple[str, str]:
    """Return the day-first and month-first formats written as ``value`` is ("01.02.26")."""
    parts = re.split(r"(\D+)", value.strip())
    sep = parts[1] if len(parts) > 1 else "/"
    year = "%Y" if len(parts[-1]) == 4 else "%y"
    return f"%d{sep}%m{sep}{year}", f"%m{sep}%d{sep}{year}"


def read_dates(
    values: pd.Series,
    *,
    column: str = "date",
    date_format: str | None = None,
    rows: pd.Series | None = None,
    path: str | None = None,
) -> DateColumn:
    """Read a column of dates with one reading for the whole column.

    Parameters
    ----------
    values : pandas.Series of str
        The cells, stripped (``""`` when empty).
    column : str
        The column's header, for messages.
    date_format : str, optional
        A :func:`~datetime.datetime.strptime` format every value must match
        (e.g. ``%m/%d/%Y``); without it the forms in the module's table are read.
    rows : pandas.Series of int, optional
        The file's row (line) of each value, for messages.
    path : str, optional
        The file, for messages.

    Returns
    -------
    DateColumn
        Rows whose value could not be read carry the value and the reason.

    Raises
    ------
    InputError
        If numeric dates in the column are not settled as day first or month
        first, or mix the two.
    """
    import numpy as np
    import pandas as pd

    text = values.astype(str).str.strip()
    codes, uniques = pd.factorize(text)
    uniques = [str(u) for u in uniques]
    if date_format:
        read = {u: _read_with_format(u, date_format) for u in uniques}
        reading = f"--date-format {date_format}"
    else:
        read = {u: _read_one(u) for u in uniques}
        row_numbers = np.asarray(rows) if rows is not None else np.arange(len(text)) + 1
        # The first row of each distinct value, for messages that name rows.
        seen = codes >= 0
        _, first = np.unique(codes[seen], return_index=True)
        first_rows = row_numbers[np.flatnonzero(seen)[first]]
        present = np.unique(codes[seen])
        rows_of = {uniques[c]: int(r) for c, r in zip(present, first_rows, strict=True)}
        order = _settle_order(read, column, rows_of, path)
        for value, r in read.items():
            if r.numeric is None:
                continue
            a, b, y = r.numeric
            day, month = (a, b) if order == "day first" else (b, a)
            note = r.note  # "about 6/19/2004": the hedge stays said
            read[value] = _day(y, month, day, value)
            read[value].note = _joined(read[value].note, note)
        forms = sorted({r.precision for r in read.values() if r.precision})
        reading = "numeric dates " + order if order else "dates as written"
        reading += f" ({', '.join(forms)})" if forms else ""

    def spread(part: str) -> pd.Series:
        # Text of each distinct value, taken by code (-1, an empty cell, takes the last: "").
        table = pd.Series([getattr(read[u], part) for u in uniques] + [""], dtype=str)
        return table.take(codes).set_axis(values.index)

    return DateColumn(
        iso=spread("iso"),
        precision=spread("precision"),
        reason=spread("reason"),
        note=spread("note"),
        reading=reading,
        end=spread("end"),
    )


def read_year_month_day(
    year: pd.Series, month: pd.Series, day: pd.Series
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Read separate year, month and day columns; 0 or empty means unknown.

    Returns
    -------
    iso : Series of str
        ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (``""`` when unread).
    precision : Series of str
        ``day``, ``month`` or ``year``.
    reason : Series of str
        Why a row's date was not read (no year, a month over 12, no such day).
    """
    import pandas as pd

    def number(s: pd.Series) -> pd.Series:
        text = s.astype(str).str.strip().str.replace(r"\.0+$", "", regex=True)
        return pd.to_numeric(text.where(text != ""), errors="coerce").fillna(0)

    y, m, d = number(year), number(month), number(day)
    raw = year.astype(str) + "-" + month.astype(str) + "-" + day.astype(str)
    reason = pd.Series("", index=year.index, dtype=object)
    whole = (y == y.round()) & (m == m.round()) & (d == d.round())
    reason[~whole] = "not whole numbers: " + raw[~whole]
    reason[whole & ((y < 1) | (y > 9999))] = "no year"
    reason[whole & ((m < 0) | (m > 12))] = "month " + month.astype(str) + " is not 1 to 12"
    reason[whole & (m == 0) & (d != 0)] = "a day without a month"
    ok = reason == ""
    yi, mi, di = (v.where(ok, 1).astype(int) for v in (y, m, d))
    iso = pd.Series("", index=year.index, dtype=object)
    precision = pd.Series("", index=year.index, dtype=object)
    years = ok & (mi == 0)
    months = ok & (mi > 0) & (di == 0)
    days = ok & (mi > 0) & (di > 0)
    # Text first, then picked: an empty pick of numbers formatted by map() stays numeric, and
    # adding "-" to it failed on a table whose every row has a day.
    year_text, month_text = yi.astype(str).str.zfill(4), mi.astype(str).str.zfill(2)
    iso[years] = year_text[years]
    precision[years] = "year"
    iso[months] = year_text[months] + "-" + month_text[months]
    precision[months] = "month"
    if days.any():
        parsed = pd.to_datetime(
            pd.DataFrame({"year": yi[days], "month": mi[days], "day": di[days]}), errors="coerce"
        )
        good = parsed.notna()
        idx = parsed.index[good.to_numpy()]
        iso[idx] = parsed[good].dt.strftime("%Y-%m-%d")
        precision[idx] = "day"
        bad_idx = parsed.index[~good.to_numpy()]
        reason[bad_idx] = "no such date " + raw[bad_idx]
    return iso.astype(str), precision.astype(str), reason.astype(str)


# --- the ACLED and UCDP exports' own forms ----------------------------------------

_ISO_PREFIX = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ].*)?")
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_TEXT_FORMATS = (
    "%d %B %Y",
    "%d-%B-%Y",
    "%d %b %Y",
    "%d-%b-%Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%d-%b-%y",
    "%d %B, %Y",
)


def parse_source_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Read the date forms conflict datasets use; return ISO text and, where unreadable, why.

    Accepts ``2024-01-31`` (with or without a time), ``31 January 2024``,
    ``31-January-2024``, ``31 Jan 2024``, ``31-Jan-24``, ``January 31, 2024`` and
    slashed dates. Slashed dates are month first (ACLED's spreadsheet exports
    are American: ``1/31/2024``) unless some value in the column can only be
    day first (``31/1/2024``) and none can only be month first; a column with
    both is refused row by row as ambiguous.
    """
    from datetime import datetime

    import pandas as pd

    values = values.astype(str).str.strip()
    slashed = values.str.extract(_SLASHED.pattern).dropna()
    first = slashed[0].astype(int) if len(slashed) else pd.Series([], dtype=int)
    second = slashed[1].astype(int) if len(slashed) else pd.Series([], dtype=int)
    day_first_only = bool((first > 12).any())
    month_first_only = bool((second > 12).any())
    mixed = day_first_only and month_first_only
    day_first = day_first_only and not month_first_only

    def one(value: str) -> tuple[str, str]:
        if not value:
            return "", "missing date"
        m = _ISO_PREFIX.fullmatch(value)
        if m:
            try:
                return datetime.strptime(m[1], "%Y-%m-%d").strftime("%Y-%m-%d"), ""
            except ValueError:
                return "", f"no such date {value!r}"
        m = _SLASHED.fullmatch(value)
        if m:
            a, b, y = int(m[1]), int(m[2]), int(m[3])
            if mixed and a <= 12 and b <= 12 and a != b:
                return "", (
                    f"ambiguous date {value!r}: the file has both day-first and month-first dates"
                )
            day, month = (a, b) if day_first or (mixed and a > 12) else (b, a)
            try:
                return datetime(y, month, day).strftime("%Y-%m-%d"), ""
            except ValueError:
                return "", f"no such date {value!r}"
        for fmt in _TEXT_FORMATS:
            try:
                return datetime.strptime(value, fmt).strftime("%Y-%m-%d"), ""
            except ValueError:
                continue
        return "", f"unreadable date {value!r}; expected e.g. 2024-01-31 or 31 January 2024"

    unique = {v: one(v) for v in values.unique()}
    iso = values.map(lambda v: unique[v][0])
    why = values.map(lambda v: unique[v][1])
    return iso, why
