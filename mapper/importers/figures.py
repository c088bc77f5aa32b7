"""Casualty figures as tables write them, read into a claim's ``low`` and ``high``.

========================== ====== ====== ===================================
written                    low    high   as :mod:`mapper.claims` reads it
========================== ====== ====== ===================================
``12``, ``12.0``           12     12     exactly 12
``12-15``, ``12 to 15``    12     15     a range
``at least 7``, ``7+``,    7      (none) 7 or more, counted as 7 ("over 80"
``over 7``, ``more than 7``               is stored the same way)
``1,200``                  1200   1200
empty, ``unknown``, ``-``  (none) (none) no figure: no claim
========================== ====== ====== ===================================

Anything else (``about 10``, ``-3``, ``a dozen``) gives no figure and the row's
note says why; a figure is never guessed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["read_figures"]

_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.0+)?"
_EXACT = re.compile(_NUMBER)
_RANGE = re.compile(_NUMBER + r"\s*(?:-|–|to)\s*" + _NUMBER)
_AT_LEAST = re.compile(r"(?:at least|over|more than|above|min(?:imum)?\.?)\s*" + _NUMBER)
_PLUS = re.compile(_NUMBER + r"\s*\+")
_NONE = {"", "unknown", "n/a", "na", "-", "–", "?", "none given", "not known"}


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def _read_one(value: str) -> tuple[int | None, int | None, str]:
    text = value.strip().casefold()
    if text in _NONE:
        return None, None, ""
    m = _EXACT.fullmatch(text)
    if m:
        return _number(m[1]), _number(m[1]), ""
    m = _RANGE.fullmatch(text)
    if m:
        low, high = _number(m[1]), _number(m[2])
        if low > high:
            return None, None, f"range {value!r} runs backwards"
        return low, high, ""
    m = _AT_LEAST.fullmatch(text) or _PLUS.fullmatch(text)
    if m:
        return _number(m[1]), None, ""
    return None, None, f"figure {value!r} is not a number, a range (12-15) or 'at least N'"


def read_figures(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Read a column of figures, once per distinct value.

    Returns
    -------
    low, high : Series of Int64
        ``<NA>`` where there is no figure (``high`` also for "at least").
    reason : Series of str
        Why a non-empty value gave no figure (``""`` elsewhere).
    """
    import pandas as pd

    codes, uniques = pd.factorize(values.astype(str))
    read = [_read_one(str(u)) for u in uniques]
    lows = pd.array([r[0] for r in read] + [None], dtype="Int64")
    highs = pd.array([r[1] for r in read] + [None], dtype="Int64")
    reasons = pd.Series([r[2] for r in read] + [""], dtype=str)
    return (
        pd.Series(lows.take(codes), index=values.index),
        pd.Series(highs.take(codes), index=values.index),
        reasons.take(codes).set_axis(values.index),
    )
