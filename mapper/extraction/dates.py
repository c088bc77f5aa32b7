"""Dates in a sentence, resolved against the publication date with the precision they support.

"January 31" is a day (of the publication year, or the year before when that
would put it in the future); "March 2025" a month; "in 2023" a year; "on Friday
night" the last Friday on or before publication; "earlier this week" the week
of publication (``week`` precision: the date is its Monday); "last month" the
month before; "recent" protests the year before publication to the year of it
(a span at ``year`` precision). Without a publication date, relative
expressions stay unresolved rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from mapper.extraction.article import MONTH_RE, month_number

__all__ = ["DateMention", "find_dates"]


@dataclass(frozen=True)
class DateMention:
    """A date expression: where it is (offsets in the sentence) and what it means.

    ``kind`` is ``"event"`` or ``"statement"`` (a date that says when someone
    spoke, as in "announced today", not when anything happened).
    """

    start: int
    end: int
    text: str
    date: date
    precision: str
    date_end: date | None = None
    kind: str = "event"
    relative: bool = False


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_SPEECH = re.compile(
    r"\b(?:said|says|announced|stated|told|reported|confirmed|claimed|added|declared)\s*$",
    re.I,
)

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "mdy",
        re.compile(
            rf"\b(?P<m>{MONTH_RE})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{{4}}))?\b"
        ),
    ),
    (
        "dmy",
        re.compile(
            rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{MONTH_RE})(?:,?\s+(?P<y>\d{{4}}))?\b"
        ),
    ),
    ("my", re.compile(rf"\b(?P<m>{MONTH_RE})\s+(?:of\s+)?(?P<y>(?:19|20)\d{{2}})\b")),
    ("year", re.compile(r"(?<![$\d.,-])\b(?P<y>(?:19|20)\d{2})\b(?![\d%,.]\d|s\b|-\d)")),
    ("today", re.compile(r"\b(?:today|this morning|this evening|tonight|earlier today)\b", re.I)),
    ("yesterday", re.compile(r"\b(?:yesterday|last night)\b", re.I)),
    (
        "weekday",
        re.compile(
            rf"\b(?:on\s+|last\s+)?(?P<wd>{_WD})(?:\s+(?:night|morning|evening|afternoon))?\b"
        ),
    ),
    ("this_week", re.compile(r"\b(?:earlier\s+|later\s+)?this\s+week\b", re.I)),
    ("last_week", re.compile(r"\blast\s+week\b", re.I)),
    ("this_month", re.compile(r"\b(?:earlier\s+)?this\s+month\b", re.I)),
    ("last_month", re.compile(r"\blast\s+month\b", re.I)),
    ("this_year", re.compile(r"\b(?:earlier\s+)?this\s+year\b", re.I)),
    ("last_year", re.compile(r"\blast\s+year\b", re.I)),
    ("recent", re.compile(r"\b(?:recent(?!\s+(?:years|decades|months))|recently)\b", re.I)),
)
# A year after these words starts a span or is not when the event happened.
_NOT_EVENT_YEAR = re.compile(r"\b(?:since|until|till|by|before|from)\s+$", re.I)


def _month_start(d: date, back: int = 0) -> date:
    y, m = d.year, d.month - back
    while m < 1:
        m += 12
        y -= 1
    return date(y, m, 1)


def find_dates(sentence: str, published: date | None) -> list[DateMention]:
    """Return the date expressions of ``sentence`` that can be resolved, left to right."""
    taken: list[tuple[int, int]] = []
    out: list[DateMention] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(sentence):
            a, b = m.span()
            if any(a < e and s < b for s, e in taken):
                continue
            found = _resolve(kind, m, published, sentence)
            if found is None:
                continue
            d, precision, end, relative = found
            speech = _SPEECH.search(sentence[max(0, a - 40) : a])
            mention_kind = "statement" if kind in ("today", "yesterday") and speech else "event"
            taken.append((a, b))
            out.append(DateMention(a, b, m.group(0), d, precision, end, mention_kind, relative))
    out.sort(key=lambda x: x.start)
    return out


def _resolve(
    kind: str, m: re.Match[str], pub: date | None, sentence: str
) -> tuple[date, str, date | None, bool] | None:
    if kind in ("mdy", "dmy"):
        year = int(m["y"]) if m["y"] else (pub.year if pub else None)
        if year is None:
            return None
        try:
            d = date(year, month_number(m["m"]), int(m["d"]))
        except ValueError:
            return None
        if not m["y"] and pub and d > pub + timedelta(days=1):
            d = d.replace(year=year - 1)
        return d, "day", None, False
    if kind == "my":
        return date(int(m["y"]), month_number(m["m"]), 1), "month", None, False
    if kind == "year":
        if _NOT_EVENT_YEAR.search(sentence[max(0, m.start() - 12) : m.start()]):
            return None
        y = int(m["y"])
        if pub and y > pub.year:
            return None
        return date(y, 1, 1), "year", None, False
    if pub is None:
        return None
    if kind == "today":
        return pub, "day", None, True
    if kind == "yesterday":
        return pub - timedelta(days=1), "day", None, True
    if kind == "weekday":
        back = (pub.weekday() - _WEEKDAYS.index(m["wd"].lower())) % 7
        return pub - timedelta(days=back), "day", None, True
    monday = pub - timedelta(days=pub.weekday())
    if kind == "this_week":
        return monday, "week", None, True
    if kind == "last_week":
        return monday - timedelta(days=7), "week", None, True
    if kind == "this_month":
        return _month_start(pub), "month", None, True
    if kind == "last_month":
        return _month_start(pub, 1), "month", None, True
    if kind == "this_year":
        return date(pub.year, 1, 1), "year", None, True
    if kind == "last_year":
        return date(pub.year - 1, 1, 1), "year", None, True
    # "recent": within about a year before publication.
    return date(pub.year - 1, 1, 1), "year", date(pub.year, 1, 1), True
