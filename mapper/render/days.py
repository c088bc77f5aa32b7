"""Days for the page: dates as days since 1970, each incident's span, the --since/--until window.

Time windows use each incident's *span*: from ``date`` to ``date_end`` when
given, otherwise to the end of the period ``date_precision`` names (an
incident known only to "March 2025" overlaps any window that touches March
2025). :func:`incident_spans` is that rule, shared by the page and the tests.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from mapper.errors import UsageError

EPOCH = np.datetime64("1970-01-01", "D")


def parse_day(value: object, *, what: str) -> int | None:
    """Return ``value`` (ISO date text, date or Timestamp) as days since 1970-01-01.

    Raises
    ------
    UsageError
        If ``value`` is not a date.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value.strip()[:10]) if len(value.strip()) >= 10 else None
        except ValueError:
            day = None
        if day is None or len(value.strip()) != 10:
            raise UsageError(f"{what} should be a date as YYYY-MM-DD, got {value!r}")
        return (day - dt.date(1970, 1, 1)).days
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError) as err:
        raise UsageError(f"{what} should be a date as YYYY-MM-DD, got {value!r}") from err
    if pd.isna(stamp):
        return None
    return int((stamp.normalize() - pd.Timestamp("1970-01-01")).days)


def window(since: object, until: object) -> tuple[int | None, int | None]:
    """Return the ``since``..``until`` window as days (None where open).

    Raises
    ------
    UsageError
        If either is not a date, or ``since`` is after ``until``.
    """
    lo = parse_day(since, what="--since")
    hi = parse_day(until, what="--until")
    if lo is not None and hi is not None and lo > hi:
        raise UsageError(f"--since should not be after --until, got {_iso(lo)} after {_iso(hi)}")
    return lo, hi


def in_window(start: np.ndarray, last: np.ndarray, lo: int | None, hi: int | None) -> np.ndarray:
    """Return which spans ``start``..``last`` are dated and overlap ``lo``..``hi``."""
    keep = ~np.isnan(start)
    if lo is not None:
        keep &= last >= lo
    if hi is not None:
        keep &= start <= hi
    return keep


def days(values: pd.Series) -> np.ndarray:
    """Days since 1970 as float (NaN where missing) from dates or ISO date text."""
    if pd.api.types.is_datetime64_any_dtype(values):
        arr = pd.Series(values, copy=False).to_numpy(dtype="datetime64[ns]")
    else:
        # Dates repeat: parse each distinct text once (format="mixed" parses
        # every value on its own, so this gives the same dates).
        codes, uniques = pd.factorize(pd.Series(values, copy=False))
        parsed = pd.to_datetime(pd.Series(uniques), errors="coerce", format="mixed")
        parsed_ns = parsed.to_numpy(dtype="datetime64[ns]")
        arr = np.append(parsed_ns, np.datetime64("NaT", "ns"))[codes]
    out = (arr.astype("datetime64[D]") - EPOCH).astype("int64").astype("float64")
    out[np.isnat(arr)] = np.nan
    return out


def incident_spans(incidents: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Return the first and last day (days since 1970) each incident may cover.

    The last day is ``date_end`` when given, otherwise the end of the week,
    month or year that ``date_precision`` names, otherwise ``date`` itself.
    """
    start = days(incidents["date"])
    end = days(incidents["date_end"]) if "date_end" in incidents else np.full(len(start), np.nan)
    if "date_precision" in incidents:
        codes, uniques = pd.factorize(incidents["date_precision"])
        texts = pd.Series(uniques).astype("string").fillna("day").to_numpy(dtype=object)
        precision = np.append(texts, "day")[codes]
    else:
        precision = np.full(len(start), "day", dtype=object)
    d = start.copy()
    ok = ~np.isnan(d)
    base = EPOCH + np.where(ok, d, 0).astype("int64")
    month_end = (base.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1
    year_end = (base.astype("datetime64[Y]") + 1).astype("datetime64[D]") - 1
    implied = d.copy()
    implied = np.where(precision == "week", d + 6, implied)
    implied = np.where(precision == "month", (month_end - EPOCH).astype("int64"), implied)
    implied = np.where(precision == "year", (year_end - EPOCH).astype("int64"), implied)
    last = np.where(np.isnan(end), implied, np.maximum(end, d))
    return start, last


def _iso(day: int) -> str:
    return (dt.date(1970, 1, 1) + dt.timedelta(days=day)).isoformat()
