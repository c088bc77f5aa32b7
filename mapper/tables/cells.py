"""Generic cell checks: the problem collector, counts, coordinates, vocabularies, suggestions.

Every check here takes a :class:`Checks` (one table's problems and rejected
rows) and flags the cells that fail it, one :class:`~mapper.errors.Problem`
each; the per-table checks in :mod:`mapper.tables.checks` combine them.
Categories (event types, precisions, statuses, subjects...) match ignoring case
and repeated spaces, and are written back in their canonical spelling; anything
else is a problem with the closest valid value as a suggestion.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from mapper.errors import Problem
from mapper.tables.read import Table

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

_COUNT_HELP = (
    "expected a whole number of 0 or more (a range goes in low and high: "
    "'84 or 94' is low 84, high 94; 'over 80' is low 80 with high empty)"
)


class Checks:
    """Collects problems for one table and the reasons each row is rejected."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.problems: list[Problem] = []
        self.reasons: dict[int, list[str]] = {}
        for line, reason in table.rejected:
            self.problems.append(Problem(table.path, line, None, None, reason))

    def header(self, message: str, *, column: str | None = None, suggestion: str | None = None):
        """Record a problem with the header (line 1): it rejects no row."""
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
        """Return which rows have a problem (and are rejected)."""
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


def column_of(frame: pd.DataFrame, name: str) -> pd.Series:
    """Return a column of text cells, blanks when the table lacks it."""
    import pandas as pd

    if name in frame.columns:
        return frame[name]
    return pd.Series([""] * len(frame), index=frame.index, dtype=str)


def map_unique(series: pd.Series, func: Any) -> pd.Series:
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


def map_dict(series: pd.Series, mapping: dict[str, Any]) -> pd.Series:
    """``series.map(mapping)``, looking up each distinct value once."""
    import pandas as pd

    codes, uniques = pd.factorize(series)
    if len(series) < FEW_VALUES or (codes < 0).any():
        return series.map(mapping)
    # pandas infers the result's dtype from the distinct values' results,
    # which are the same whether mapped once each or once per row.
    mapped = pd.Series(uniques, dtype=series.dtype).map(mapping)
    return pd.Series(mapped.array.take(codes), index=series.index)


def only(mask: Any, series: pd.Series, func: Any) -> pd.Series:
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
    if len(values) <= FEW_VALUES:
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
FEW_VALUES = 1000


def texts(series: pd.Series) -> Any:
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


def check_vocabulary(
    checks: Checks, column: str, choices: Sequence[str], *, what: str
) -> pd.Series:
    """Canonicalise a category column; flag values outside ``choices``."""
    frame = checks.table.frame
    if column not in frame.columns:
        return column_of(frame, column)
    raw = frame[column]
    keyed = {_norm_key(c): c for c in choices}
    canon = map_unique(raw, lambda v: keyed.get(_norm_key(v), v) if v else v)
    bad = (canon != "") & ~isin(canon, choices)
    if bad.any():
        full = only(bad, canon, Suggester(choices))
        checks.flag(
            bad,
            column,
            f"not a known {what}; expected one of: {', '.join(choices)}"
            if len(choices) <= 8
            else f"not a known {what} (see the schema's list)",
            suggestion=full,
        )
    return canon


def check_references(checks: Checks, column: str, known: Any, message: str) -> None:
    """Flag non-empty cells of ``column`` that are not among ``known``, suggesting the nearest."""
    values = column_of(checks.table.frame, column)
    unknown = (values != "") & ~isin(values, known)
    checks.flag(unknown, column, message, suggestion=Suggester(known))


def check_required(checks: Checks, columns: Sequence[str]) -> None:
    """Flag empty cells in the required ``columns``."""
    frame = checks.table.frame
    for col in columns:
        if col in frame.columns:
            checks.flag(frame[col] == "", col, "missing value; this column is required")


def check_unique(checks: Checks, column: str, *, what: str) -> None:
    """Flag repeats of an id, naming the line where it was first used."""
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


def check_unknown_columns(checks: Checks, known: Sequence[str]) -> None:
    """Flag unknown columns that look like a misspelt known one."""
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


def check_coordinates(
    checks: Checks, *, lat_col: str = "latitude", lon_col: str = "longitude"
) -> tuple[pd.Series, pd.Series]:
    """Check latitude and longitude in decimal degrees; return them (NaN unless both are valid)."""
    import numpy as np

    frame = checks.table.frame
    out = []
    for col, limit in ((lat_col, 90.0), (lon_col, 180.0)):
        raw = column_of(frame, col)
        num = to_float(raw)
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
    lat_raw, lon_raw = column_of(frame, lat_col), column_of(frame, lon_col)
    only_lat = (lat_raw != "") & (lon_raw == "")
    only_lon = (lon_raw != "") & (lat_raw == "")
    checks.flag(only_lat, lon_col, "missing; latitude is given, so longitude must be too")
    checks.flag(only_lon, lat_col, "missing; longitude is given, so latitude must be too")
    both = lat.notna() & lon.notna()
    return lat.where(both), lon.where(both)


def to_float(values: pd.Series) -> pd.Series:
    """Return text cells as floats, NaN where empty or not a number.

    Arrow parses a clean column several times faster than ``pd.to_numeric``;
    a column with any cell Arrow refuses goes to pandas, which marks just
    those cells NaN.
    """
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        cells = pa.array(values, type=pa.large_string(), from_pandas=True)
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
    num = to_float(values)
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


def check_counts(checks: Checks, column: str) -> pd.Series:
    """Check a column of whole figures of 0 or more; return them (``<NA>`` where not)."""
    values = column_of(checks.table.frame, column)
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
