"""Dates: the accepted forms, parsing them, and every check on a date cell.

Accepted dates
--------------
``date``, ``date_end``, ``claimed_on`` and ``as_of`` take exactly three ISO 8601 forms:

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
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from mapper.schema import DATE_PRECISIONS
from mapper.tables.cells import FEW_VALUES, Checks, check_vocabulary, column_of, map_dict, only

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ACCEPTED_DATE_FORMATS",
    "check_date_precision",
    "check_date_span",
    "check_dates",
    "end_of_period",
    "parse_dates",
]

#: The date forms every table accepts, and the precision each implies.
ACCEPTED_DATE_FORMATS: dict[str, str] = {"YYYY-MM-DD": "day", "YYYY-MM": "month", "YYYY": "year"}

_DATE_HELP = "expected an ISO date: YYYY-MM-DD, YYYY-MM or YYYY"
_PRECISION_RANK = {p: i for i, p in enumerate(DATE_PRECISIONS)}

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
    if len(values) > FEW_VALUES:
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


def end_of_period(dates: pd.Series, precision: pd.Series) -> pd.Series:
    """Return the last day of each date's period (its month or year for coarser dates)."""
    import pandas as pd

    out = dates.copy()
    month = precision == "month"
    year = precision == "year"
    if month.any():
        out[month] = dates[month] + pd.offsets.MonthEnd(0)
    if year.any():
        out[year] = dates[year] + pd.offsets.YearEnd(0)
    return out


def check_dates(checks: Checks, column: str) -> tuple[pd.Series, pd.Series]:
    """Check a date column; return its dates (first days) and the precision each form gives."""
    frame = checks.table.frame
    values = column_of(frame, column)
    dates, precision, bad = parse_dates(values)
    if bad.any():
        checks.flag(
            bad,
            column,
            lambda v: _date_message(v)[0],
            suggestion=lambda v: _date_message(v)[1],
        )
    return dates, precision


def check_date_precision(checks: Checks, written: pd.Series) -> pd.Series:
    """Check ``date_precision`` against the form of the date ``written``; return each row's.

    A precision may be coarser than the date written (``week`` with a day),
    never finer; an empty one takes the written form's.
    """
    given = check_vocabulary(checks, "date_precision", DATE_PRECISIONS, what="date precision")
    rank_given = map_dict(given, _PRECISION_RANK).fillna(-1)
    rank_written = map_dict(written, _PRECISION_RANK).fillna(-1)
    finer = (rank_given >= 0) & (rank_written >= 0) & (rank_given < rank_written)
    checks.flag(
        finer,
        "date_precision",
        only(finer, written, lambda f: f"finer than the date written, which gives only its {f}"),
        suggestion=written,
    )
    return given.where(given.isin(list(DATE_PRECISIONS)), written)


def check_date_span(
    checks: Checks,
    start: pd.Series,
    end: pd.Series,
    end_precision: pd.Series,
    *,
    name_start: bool = True,
) -> None:
    """Flag a ``date_end`` whose period ends before the start ``date``.

    ``name_start`` quotes the start date in the message.
    """
    backwards = start.notna() & end.notna() & (end_of_period(end, end_precision) < start)
    if name_start:
        message = only(
            backwards,
            column_of(checks.table.frame, "date"),
            lambda d: f"before the start date {d}; expected the span to end on or after it",
        )
    else:
        message = "before the start date; expected the span to end on or after it"
    checks.flag(backwards, "date_end", message)
