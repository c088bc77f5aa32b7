"""Resolve place names the way reporters spell them into coordinates with a stated precision.

A :class:`Gazetteer` is a stack of place tables searched in order of
precedence: the user's files (first given, first searched), then mapper's
curated overlay of Balochistan (``data/gazetteer/``), then GeoNames' world
table of 235,000 populated places. The first table that knows a name answers;
a misspelling falls through to a fuzzy match, again table by table.

Names are compared after :func:`normalize_name`: case, diacritics,
punctuation, whitespace and words such as "town", "district" or "near" do not
matter (the last two still shape the answer's kind and precision). When a
name stands for several places, hints (country, province, district) choose;
then a district beats a different town of the same name (a district-level
point is right either way), then population. If more than one place is still
in the running the answer is flagged ``ambiguous`` and the others are listed
as suggestions. Below the fuzzy threshold there is no answer, only up to three
suggestions: never a silent guess.

Places learned from geocoded tables (:mod:`mapper.learn`) carry their
support: a learned place on fewer than 3 rows, or whose rows spread more than
10 km around it, is weak. It answers only when no later table (the curated
overlay, GeoNames) has a place of that name that fits the hints at least as
well; among learned places of one name, the better supported one wins ties.

Examples
--------
>>> g = Gazetteer.default()
>>> m = g.resolve("Kech district")
>>> (m.matched_name, m.kind, m.precision)
('Kech', 'district', 'district')
"""

from __future__ import annotations

import bisect
import csv
import functools
import io
import math
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from mapper.errors import InputError, UsageError
from mapper.files import read_text
from mapper.geo import haversine_km
from mapper.resources import data_path
from mapper.schema import LOCATION_PRECISIONS

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "GAZETTEER_COLUMNS",
    "LEARNED_COLUMNS",
    "RESULT_COLUMNS",
    "Gazetteer",
    "Match",
    "PlaceRow",
    "PlaceTable",
    "normalize_name",
    "parse_place",
    "read_gazetteer_csv",
    "write_gazetteer_csv",
]

#: Columns of :meth:`Gazetteer.resolve_many`'s result, one per :class:`Match` field.
RESULT_COLUMNS: tuple[str, ...] = (
    "query",
    "matched_name",
    "latitude",
    "longitude",
    "kind",
    "district",
    "province",
    "country",
    "precision",
    "match_type",
    "score",
    "source",
    "ambiguous",
    "suggestions",
)
MATCH_TYPES: tuple[str, ...] = ("exact", "alias", "fuzzy")

#: Default fuzzy threshold (rapidfuzz ``ratio``, 0-100). "Gwader" -> "Gwadar" scores 83.
FUZZY_THRESHOLD = 80.0
#: Fuzzy threshold in large tables (the world table): among a million names a near
#: miss is more often another place ("Mashkai" is 86 from Mashkat, Iran) than a typo.
LARGE_TABLE_THRESHOLD = 88.0
_LARGE_TABLE = 20_000
# Suggestions for an unresolved name are drawn from candidates above this score.
_SUGGESTION_CUTOFF = 40.0
# Names shorter than this are never fuzzy-matched: one letter off is a different place.
_FUZZY_MIN_LENGTH = 4
# Two candidates closer than this are one place (a district and its headquarters town).
_SAME_PLACE_KM = 2.0
# A learned place (mapper.learn) on fewer rows than this, or with a wider spread (km),
# is weak: it answers only when no curated or GeoNames place of that name fits the hints.
WEAK_SUPPORT_ROWS = 3
WEAK_SPREAD_KM = 10.0
# resolve_many shows a progress bar above this many distinct names.
_PROGRESS_MIN = 5_000

CURATED_LABEL = "mapper curated overlay"
CURATED_CREDIT = (
    "Curated Balochistan overlay: mapper project (data/gazetteer), from GeoNames (CC BY 4.0), "
    "public conflict datasets and encyclopedia entries"
)

# --- normalisation -----------------------------------------------------------

# Letters that NFKD does not decompose into a base letter plus a mark.
_SPECIAL = str.maketrans(
    {"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "þ": "th", "æ": "ae",
     "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i", "ħ": "h"}
)  # fmt: skip
# Apostrophes and ayn/hamza marks vanish ("Ma'ruf" = "Maruf"); other punctuation separates words.
_APOSTROPHES = re.compile(r"['’‘`´ʼʻʿʾ]")
_NON_WORD = re.compile(r"[\W_]+")
# One spelling for transliteration variants of a common first word (Killa/Qila Abdullah).
_CANON_RE = re.compile(r"\b(?:killa|qilla|kila|qilah)\b")
# Combining marks (Latin diacritics, Arabic vowel signs) left apart by NFKD.
_MARKS = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u064b-\u065f\u0670]"
)

_NEAR = "near"
_DISTRICT = "district"
_TOWN = "town"
# (words, what they say about the place); longest first so "outskirts of" wins over "outskirts".
_LEADING: tuple[tuple[tuple[str, ...], str | None], ...] = (
    (("on", "the", "outskirts", "of"), _NEAR),
    (("the", "outskirts", "of"), _NEAR),
    (("outskirts", "of"), _NEAR),
    (("outskirt", "of"), _NEAR),
    (("vicinity", "of"), _NEAR),
    (("suburbs", "of"), _NEAR),
    (("near",), _NEAR),
    (("nr",), _NEAR),
    (("nearby",), _NEAR),
    (("outside",), _NEAR),
    (("around",), _NEAR),
    (("district",), _DISTRICT),
    (("tehsil",), _DISTRICT),
    (("town",), _TOWN),
    (("city", "of"), _TOWN),
    (("village",), _TOWN),
    (("the",), None),
)
_LEADING_FIRST = frozenset(words[0] for words, _ in _LEADING)
_TRAILING: dict[str, str | None] = {
    "town": _TOWN,
    "city": _TOWN,
    "village": _TOWN,
    "area": _NEAR,
    "areas": _NEAR,
    "outskirts": _NEAR,
    "district": _DISTRICT,
    "tehsil": _DISTRICT,
    # UCDP writes "Balochistan province"; the word names no different place.
    "province": None,
}


@dataclass(frozen=True)
class ParsedPlace:
    """A place name reduced to its lookup key, with what its qualifiers said.

    Attributes
    ----------
    key : str
        The normalised name (see :func:`normalize_name`).
    near : bool
        The name said "near X", "outskirts of X", "X area": the place is close to X.
    kind : str or None
        ``"district"`` for "X district"/"X tehsil", ``"town"`` for "X town/city/village".
    """

    key: str
    near: bool = False
    kind: str | None = None


def _fold(text: str) -> str:
    if not text.isascii():
        text = _MARKS.sub("", unicodedata.normalize("NFKD", text.translate(_SPECIAL)))
    text = _NON_WORD.sub(" ", _APOSTROPHES.sub("", text.casefold())).strip()
    if _CANON_RE.search(text):
        text = _CANON_RE.sub("qila", text)
    return text


def parse_place(name: str) -> ParsedPlace:
    """Normalise ``name`` and read its qualifiers ("near", "outskirts of", "district", "town"...).

    Qualifiers are removed from the ends of the name, never down to nothing:
    a place called "Town" stays "town".

    Examples
    --------
    >>> parse_place("on the outskirts of Turbat")
    ParsedPlace(key='turbat', near=True, kind=None)
    >>> parse_place("Kech District")
    ParsedPlace(key='kech', near=False, kind='district')
    """
    text = _fold(name)
    first, _, _ = text.partition(" ")
    _, _, last = text.rpartition(" ")
    if first not in _LEADING_FIRST and last not in _TRAILING:
        return ParsedPlace(text)  # the common case: nothing to strip
    tokens = text.split()
    near = False
    kind: str | None = None
    changed = True
    while changed and len(tokens) > 1:
        changed = False
        for words, meaning in _LEADING:
            n = len(words)
            if len(tokens) > n and tuple(tokens[:n]) == words:
                tokens = tokens[n:]
                near, kind = _note(meaning, near, kind)
                changed = True
                break
        if len(tokens) > 1 and tokens[-1] in _TRAILING:
            near, kind = _note(_TRAILING[tokens[-1]], near, kind)
            tokens = tokens[:-1]
            changed = True
    return ParsedPlace(" ".join(tokens), near, kind)


def _note(meaning: str | None, near: bool, kind: str | None) -> tuple[bool, str | None]:
    if meaning == _NEAR:
        return True, kind
    if meaning is not None and kind is None:
        return near, meaning
    return near, kind


def normalize_name(name: str) -> str:
    """Return the lookup key of a place name.

    Case, diacritics, apostrophes, punctuation and repeated whitespace do not
    count, nor do words that qualify a place rather than name it (town, city,
    village, area, district, tehsil, near, outskirts of).

    Examples
    --------
    >>> normalize_name("  Dālbandīn ")
    'dalbandin'
    >>> normalize_name("near Turbat town")
    'turbat'
    >>> normalize_name("Killa Saifullah") == normalize_name("Qila Saifullah")
    True
    """
    return parse_place(name).key


# --- the result ---------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """The answer for one place name.

    An unresolved name has ``matched_name``, ``latitude``, ``longitude``,
    ``precision`` and ``match_type`` set to None and up to three
    ``suggestions``. A resolved one says how it matched (``exact``, ``alias``
    or ``fuzzy`` with a ``score`` below 100) and where the coordinate comes
    from (``source``); ``ambiguous`` is True when the hints did not settle
    between several places, which are then listed in ``suggestions``.
    """

    query: Any
    matched_name: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    kind: str | None = None
    district: str | None = None
    province: str | None = None
    country: str | None = None
    precision: str | None = None
    match_type: str | None = None
    score: float | None = None
    source: str | None = None
    ambiguous: bool = False
    suggestions: tuple[str, ...] = ()
    geonameid: int | None = None

    @property
    def resolved(self) -> bool:
        """True when the name was placed."""
        return self.matched_name is not None

    def as_dict(self) -> dict[str, Any]:
        """Return the :data:`RESULT_COLUMNS` of this match as a dict."""
        return {name: getattr(self, name) for name in RESULT_COLUMNS}


# --- tables -------------------------------------------------------------------


@dataclass
class PlaceRow:
    """One place before it enters a :class:`PlaceTable` (what readers produce)."""

    name: str
    latitude: float
    longitude: float
    aliases: tuple[str, ...] = ()
    kind: str = "place"
    precision: str = "exact"
    district: str | None = None
    province: str | None = None
    country: str | None = None
    admin1: str | None = None
    population: int = 0
    geonameid: int = 0
    source: str = ""
    #: Spellings as good as the name itself (GeoNames' asciiname).
    exact_variants: tuple[str, ...] = ()
    #: For a district: the name of the headquarters town its point stands on.
    headquarters: str | None = None
    #: Learned places only (see :mod:`mapper.learn`): how many geocoded rows agree on
    #: this point, from how many distinct sources, and their median distance to it (km).
    #: None for curated, GeoNames and hand-written places.
    support_rows: int | None = None
    support_sources: int | None = None
    spread_km: float | None = None
    #: More values for :func:`write_gazetteer_csv`'s ``extra_columns`` (column -> value).
    extra: dict[str, Any] | None = None


_STR_COLUMNS = (
    "names",
    "kind",
    "precision",
    "district",
    "province",
    "country",
    "admin1",
    "source",
    "headquarters",
)


class PlaceTable:
    """Places from one source, with a sorted index of every normalised name.

    Columns are parallel lists/arrays, one entry per place; ``keys`` is the
    sorted list of normalised names and ``postings[post_off[i]:post_off[i+1]]``
    lists the places named ``keys[i]`` (``place * 2 + is_alias``). Built with
    :meth:`build`; :meth:`to_state`/:meth:`from_state` give a picklable form
    that loads in a fraction of a second.
    """

    def __init__(self, state: dict[str, Any]) -> None:
        self.label: str = state["label"]
        self.attribution: str = state["attribution"]
        self.names: list[str] = state["names"]
        self.kind: list[str] = state["kind"]
        self.precision: list[str] = state["precision"]
        self.district: list[str | None] = state["district"]
        self.province: list[str | None] = state["province"]
        self.country: list[str | None] = state["country"]
        self.admin1: list[str | None] = state["admin1"]
        self.source: list[str] = state["source"]
        self.headquarters: list[str | None] = state["headquarters"]
        self.latitude: np.ndarray = state["latitude"]
        self.longitude: np.ndarray = state["longitude"]
        self.population: np.ndarray = state["population"]
        self.geonameid: np.ndarray = state["geonameid"]
        self.keys: list[str] = state["keys"]
        self.post_off: np.ndarray = state["post_off"]
        self.postings: np.ndarray = state["postings"]
        # Learned support per place (-1 / NaN where not learned); None when no place is learned.
        self.support_rows: np.ndarray | None = state.get("support_rows")
        self.spread_km: np.ndarray | None = state.get("spread_km")
        self._blocks: dict[tuple[str, int], list[str]] | None = None

    @classmethod
    def build(cls, rows: Iterable[PlaceRow], *, label: str, attribution: str) -> PlaceTable:
        """Index ``rows`` under every normalised name and alias."""
        cols: dict[str, list[Any]] = {c: [] for c in _STR_COLUMNS}
        lat: list[float] = []
        lon: list[float] = []
        pop: list[int] = []
        gid: list[int] = []
        support: list[int] = []
        spread: list[float] = []
        index: dict[str, list[int]] = {}
        # Many names repeat across places (alternate spellings, "San José"): normalise once.
        norm = normalize_name
        for i, row in enumerate(rows):
            cols["names"].append(row.name)
            cols["kind"].append(row.kind)
            cols["precision"].append(row.precision)
            cols["district"].append(row.district)
            cols["province"].append(row.province)
            cols["country"].append(row.country)
            cols["admin1"].append(row.admin1)
            cols["source"].append(row.source)
            cols["headquarters"].append(row.headquarters)
            lat.append(row.latitude)
            lon.append(row.longitude)
            pop.append(row.population)
            gid.append(row.geonameid)
            support.append(-1 if row.support_rows is None else row.support_rows)
            spread.append(math.nan if row.spread_km is None else row.spread_km)
            seen: dict[str, int] = {}
            for text in (row.name, *row.exact_variants):
                key = norm(text)
                if key:
                    seen.setdefault(key, 0)
            for text in row.aliases:
                key = norm(text)
                if key:
                    seen.setdefault(key, 1)
            for key, alias in seen.items():
                index.setdefault(key, []).append(i * 2 + alias)
        keys = sorted(index)
        flat: list[int] = []
        lengths: list[int] = []
        for k in keys:
            places = index[k]
            flat.extend(places)
            lengths.append(len(places))
        post_off = np.zeros(len(keys) + 1, dtype=np.int64)
        np.cumsum(np.asarray(lengths, dtype=np.int64), out=post_off[1:])
        postings = np.asarray(flat, dtype=np.int32 if len(gid) < 2**30 else np.int64)
        state: dict[str, Any] = {
            "label": label,
            "attribution": attribution,
            **cols,
            "latitude": np.asarray(lat, dtype=np.float64),
            "longitude": np.asarray(lon, dtype=np.float64),
            "population": np.asarray(pop, dtype=np.int64),
            "geonameid": np.asarray(gid, dtype=np.int64),
            "keys": keys,
            "post_off": post_off,
            "postings": postings,
        }
        if any(n >= 0 for n in support):
            state["support_rows"] = np.asarray(support, dtype=np.int64)
            state["spread_km"] = np.asarray(spread, dtype=np.float64)
        return cls(state)

    def to_state(self) -> dict[str, Any]:
        """Return a picklable dict from which :meth:`from_state` rebuilds this table."""
        state = {c: getattr(self, c) for c in _STR_COLUMNS}
        state.update(
            label=self.label,
            attribution=self.attribution,
            latitude=self.latitude,
            longitude=self.longitude,
            population=self.population,
            geonameid=self.geonameid,
            keys=self.keys,
            post_off=self.post_off,
            postings=self.postings,
        )
        if self.support_rows is not None:
            state.update(support_rows=self.support_rows, spread_km=self.spread_km)
        return state

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> PlaceTable:
        """Rebuild a table from :meth:`to_state`'s dict."""
        return cls(state)

    def __len__(self) -> int:
        return len(self.names)

    def __repr__(self) -> str:
        return f"<PlaceTable {self.label!r}: {len(self)} places, {len(self.keys)} names>"

    def lookup(self, key: str) -> list[tuple[int, bool]]:
        """Return ``(place, is_alias)`` for every place named ``key`` (already normalised)."""
        i = bisect.bisect_left(self.keys, key)
        if i == len(self.keys) or self.keys[i] != key:
            return []
        found = self.postings[self.post_off[i] : self.post_off[i + 1]].tolist()
        return [(p >> 1, bool(p & 1)) for p in found]

    def fuzzy(self, key: str, *, cutoff: float, limit: int) -> list[tuple[str, float]]:
        """Return up to ``limit`` ``(name key, score)`` pairs scoring at least ``cutoff``.

        Only names in the same block are scored: same first letter (with c/k/q,
        s/z, v/w and the vowels each counted as one) and a similar length. A
        spelling mistake rarely changes either, and the blocks keep a query to
        a few thousand comparisons instead of a million.
        """
        from rapidfuzz import fuzz, process

        if self._blocks is None:
            self._blocks = _build_blocks(self.keys)
        found: list[tuple[str, float]] = []
        for block in _query_blocks(key):
            choices = self._blocks.get(block)
            if not choices:
                continue
            for choice, score, _ in process.extract(
                key, choices, scorer=fuzz.ratio, limit=limit, score_cutoff=cutoff
            ):
                found.append((choice, float(score)))
        found.sort(key=lambda item: (-item[1], item[0]))
        return found[:limit]


_INITIAL_CLASS = {"c": "k", "q": "k", "z": "s", "w": "v", "e": "a", "i": "a", "o": "a", "u": "a"}


def _block_of(key: str) -> tuple[str, int]:
    return _INITIAL_CLASS.get(key[0], key[0]), len(key)


def _build_blocks(keys: Sequence[str]) -> dict[tuple[str, int], list[str]]:
    blocks: dict[tuple[str, int], list[str]] = {}
    for key in keys:
        # Fuzzy matching is for Latin-script spellings; other scripts match exactly.
        if key.isascii() and len(key) >= _FUZZY_MIN_LENGTH - 1:
            blocks.setdefault(_block_of(key), []).append(key)
    return blocks


def _query_blocks(key: str) -> list[tuple[str, int]]:
    initial, length = _block_of(key)
    # One typo changes the length by at most one; longer names may carry two.
    spread = 1 if length <= 8 else 2
    return [(initial, n) for n in range(length - spread, length + spread + 1)]


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
    :mod:`mapper.learn`); others are ignored. Commas, semicolons or
    tabs separate the columns.

    Raises
    ------
    InputError
        Naming the file, line (header = 1) and column of the first bad value.
    """
    from mapper.extents import outside_country
    from mapper.geonames import country_code

    text = read_text(path)
    label = source if source is not None else Path(path).name
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
    rows: list[PlaceRow] = []
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
        rec = {h: v.strip() for h, v in zip(header, values, strict=True)}
        if not rec["name"]:
            raise InputError("expected a place name, got an empty value", path=path, line=line,
                             column="name")  # fmt: skip
        lat = _csv_degrees(rec, "latitude", 90.0, path, line)
        lon = _csv_degrees(rec, "longitude", 180.0, path, line)
        country = rec.get("country") or None
        if country is not None:
            code = country_code(country)
            if code is None:
                raise InputError(
                    f"expected an ISO 3166 alpha-2 code or an English country name, "
                    f"got {country!r}",
                    path=path,
                    line=line,
                    column="country",
                )
            country = code
            why = outside_country(lat, lon, code)
            if why:
                raise InputError(why, path=path, line=line, column="latitude")
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
        rows.append(
            PlaceRow(
                name=rec["name"],
                aliases=tuple(
                    a.strip() for a in (rec.get("aliases") or "").split("|") if a.strip()
                ),
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
        )
    if not rows:
        raise InputError(
            "no places: the file has a header but no rows", path=path, line=reader.line_num
        )
    return rows


#: Columns :func:`write_gazetteer_csv` writes, in order (what :func:`read_gazetteer_csv` reads).
GAZETTEER_COLUMNS: tuple[str, ...] = (
    "name",
    "aliases",
    "kind",
    "precision",
    "district",
    "province",
    "country",
    "latitude",
    "longitude",
    "population",
    "geonameid",
    "source",
)
#: Columns of learned places (:mod:`mapper.learn`), written after the others when any row has them.
LEARNED_COLUMNS: tuple[str, ...] = ("support_rows", "support_sources", "spread_km")


def write_gazetteer_csv(
    rows: Iterable[PlaceRow],
    path: str | os.PathLike[str],
    *,
    extra_columns: Sequence[str] = (),
) -> None:
    """Write places as a gazetteer CSV that :func:`read_gazetteer_csv` (and ``--gazetteer``) reads.

    The columns are :data:`GAZETTEER_COLUMNS`, then :data:`LEARNED_COLUMNS` when
    any row carries learned support, then ``extra_columns`` (each value taken
    from the row's ``extra`` dict, empty when absent). Aliases and a row's
    ``exact_variants`` are joined with ``|`` (a ``|`` inside one becomes a space);
    missing values, population 0 and geonameid 0 are empty fields. Floats are
    written in their shortest round-tripping form, lines end with LF, rows
    keep the order given: the same rows always give the same bytes. The file
    is written atomically (a failed write leaves an existing file untouched).

    Parameters
    ----------
    rows : iterable of PlaceRow
        The places, written in this order.
    path : str or os.PathLike
        The output file.
    extra_columns : sequence of str, keyword-only
        More columns to write after the standard ones (the reader ignores them).

    Raises
    ------
    UsageError
        If an extra column repeats a standard one.
    """
    from mapper.files import atomic_write

    rows = list(rows)
    learned = any(r.support_rows is not None for r in rows)
    header = [*GAZETTEER_COLUMNS, *(LEARNED_COLUMNS if learned else ())]
    clash = [c for c in extra_columns if c in header]
    if clash or len(set(extra_columns)) != len(extra_columns):
        raise UsageError(
            f"expected extra columns distinct from each other and from {', '.join(header)}; "
            f"got {', '.join(extra_columns)}"
        )
    header.extend(extra_columns)
    with atomic_write(path, newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for r in rows:
            names = dict.fromkeys(
                a.replace("|", " ").strip() for a in (*r.aliases, *r.exact_variants)
            )
            names.pop(r.name, None)
            names.pop("", None)
            record = [
                r.name,
                "|".join(names),
                r.kind,
                r.precision,
                _cell(r.district),
                _cell(r.province),
                _cell(r.country),
                _cell(float(r.latitude)),
                _cell(float(r.longitude)),
                _cell(int(r.population) or None),
                _cell(int(r.geonameid) or None),
                _cell(r.source),
            ]
            if learned:
                record += [_cell(r.support_rows), _cell(r.support_sources), _cell(r.spread_km)]
            if extra_columns:
                extra = r.extra or {}
                record += [_cell(extra.get(c)) for c in extra_columns]
            writer.writerow(record)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    return str(value)


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
    from mapper import geonames

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
    if geonames.looks_like_geonames_dump(first) or (
        len(fields) >= 10 and fields[0].strip().isdigit()
    ):
        rows = geonames.read_geonames_dump(path)
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


@functools.lru_cache(maxsize=1)
def curated_table() -> PlaceTable:
    """Return the curated overlay: the places of ``data/gazetteer`` and every district."""
    places = read_gazetteer_csv(data_path("gazetteer", "places.csv"), source=CURATED_LABEL)
    by_name = {normalize_name(p.name): p for p in places}
    rows = list(places)
    path = data_path("gazetteer", "districts.csv")
    for line, rec in enumerate(csv.DictReader(io.StringIO(read_text(path))), start=2):
        hq = by_name.get(normalize_name(rec["headquarters"]))
        if hq is None:  # a data bug in the repository, caught by the tests
            raise InputError(
                f"headquarters {rec['headquarters']!r} is not in places.csv",
                path=path,
                line=line,
                column="headquarters",
            )
        rows.append(
            PlaceRow(
                name=rec["district"],
                aliases=tuple(a for a in rec["aliases"].split("|") if a),
                latitude=hq.latitude,
                longitude=hq.longitude,
                kind="district",
                precision="district",
                district=rec["district"],
                province=rec["province"],
                country=rec["country"],
                source=f"{CURATED_LABEL} (district headquarters {hq.name})",
                headquarters=hq.name,
            )
        )
    return PlaceTable.build(rows, label=CURATED_LABEL, attribution=CURATED_CREDIT)


@functools.lru_cache(maxsize=1)
def _district_canon() -> dict[str, str]:
    """Map every spelling of a curated district to its key (hint "Bolan" means Kachhi)."""
    table = curated_table()
    canon: dict[str, str] = {}
    for i, kind in enumerate(table.kind):
        if kind == "district":
            canon[normalize_name(table.names[i])] = normalize_name(table.names[i])
    for k, key in enumerate(table.keys):
        for p in table.postings[table.post_off[k] : table.post_off[k + 1]].tolist():
            if table.kind[p >> 1] == "district":
                canon.setdefault(key, normalize_name(table.names[p >> 1]))
    return canon


@functools.lru_cache(maxsize=1)
def _province_canon() -> dict[str, str]:
    from mapper.geonames import admin1_table

    canon: dict[str, str] = {}
    for name, aliases in admin1_table().values():
        key = normalize_name(name)
        canon[key] = key
        for alias in aliases:
            canon[normalize_name(alias)] = key
    return canon


# --- hints ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Hints:
    country: str | None = None
    province: str | None = None
    district: str | None = None

    def __bool__(self) -> bool:
        return bool(self.country or self.province or self.district)


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


@functools.lru_cache(maxsize=4096)
def _make_hints(country: object, province: object, district: object) -> _Hints:
    from mapper.geonames import country_code

    code = None
    if not _is_missing(country):
        code = country_code(str(country))
        if code is None:
            raise UsageError(
                f"expected a country as an ISO 3166 alpha-2 code or an English name "
                f"(e.g. 'PK' or 'Pakistan'), got {country!r}"
            )
    prov = None
    if not _is_missing(province):
        key = normalize_name(str(province))
        prov = _province_canon().get(key, key)
    dist = None
    if not _is_missing(district):
        key = normalize_name(str(district))
        dist = _district_canon().get(key, key)
    return _Hints(code, prov, dist)


# --- candidates ------------------------------------------------------------------


@dataclass
class _Candidate:
    table: PlaceTable
    place: int
    alias: bool
    score: float = 100.0
    agreement: int = 0

    @property
    def kind(self) -> str:
        return self.table.kind[self.place]

    @property
    def name(self) -> str:
        return self.table.names[self.place]

    @property
    def latlon(self) -> tuple[float, float]:
        return float(self.table.latitude[self.place]), float(self.table.longitude[self.place])

    @property
    def population(self) -> int:
        return int(self.table.population[self.place])

    @property
    def support(self) -> int:
        """Rows a learned place stands on (0 for other places)."""
        rows = self.table.support_rows
        return 0 if rows is None else max(0, int(rows[self.place]))

    @property
    def weak(self) -> bool:
        """A learned place on too few rows or too wide a spread to outrank a curated one."""
        rows = self.table.support_rows
        if rows is None or rows[self.place] < 0:
            return False
        spread = self.table.spread_km[self.place]  # type: ignore[index]
        return bool(rows[self.place] < WEAK_SUPPORT_ROWS or spread > WEAK_SPREAD_KM)

    @property
    def district_hq(self) -> bool:
        return self.kind == "district" and self.table.headquarters[self.place] is not None

    def describe(self) -> str:
        """Return "Name (kind; district, province, country)" for suggestions."""
        t, p = self.table, self.place
        district = t.district[p] if t.kind[p] != "district" else None
        where = [x for x in (district and f"{district} district", t.province[p], t.country[p]) if x]
        return f"{t.names[p]} ({t.kind[p]}; {', '.join(where)})" if where else t.names[p]


def _agreement(c: _Candidate, hints: _Hints) -> int | None:
    """Count the hints ``c`` agrees with; None if it contradicts one (unknown never contradicts)."""
    t, p = c.table, c.place
    score = 0
    if hints.country and t.country[p] is not None:
        if t.country[p] != hints.country:
            return None
        score += 1
    if hints.province:
        prov = t.province[p]
        if prov is not None:
            key = normalize_name(prov)
            if _province_canon().get(key, key) != hints.province:
                return None
            score += 1
    if hints.district:
        dist = t.district[p]
        if dist is not None:
            key = normalize_name(dist)
            if _district_canon().get(key, key) != hints.district:
                return None
            score += 1
    return score


def _representative(group: list[_Candidate], want: str | None) -> _Candidate:
    """Pick the answer among candidates that stand on one spot (a district and its HQ town)."""
    districts = [c for c in group if c.kind == "district"]
    others = [c for c in group if c.kind != "district"]
    if not districts or not others:
        return group[0]
    if want == _DISTRICT:
        return districts[0]
    if want == _TOWN:
        return others[0]
    # "Quetta" is the town (and the district named after it); "Kech" and "Bolan" name
    # the district whose headquarters happens to be here.
    town_keys = {normalize_name(c.name) for c in others}
    if any(normalize_name(d.name) in town_keys for d in districts):
        return others[0]
    return districts[0]


def _kind_rank(c: _Candidate, want: str | None) -> int:
    if want == _DISTRICT:
        return 0 if c.kind == "district" else 1
    if want == _TOWN:
        return 0 if c.kind not in ("district", "province", "country") else 1
    if c.kind == "district":
        # A curated district (point at its headquarters) is right whether the reporter
        # meant the district or a town of that name inside it; a dump's ADM2 point is not.
        return 0 if c.district_hq else 2
    return 1


def _choose(
    cands: list[_Candidate], hints: _Hints, want: str | None
) -> tuple[_Candidate, list[_Candidate]] | None:
    """Return the best candidate and the other places still in the running, or None."""
    kept = []
    for c in cands:
        agreement = _agreement(c, hints)
        if agreement is not None:
            c.agreement = agreement
            kept.append(c)
    if not kept:
        return None
    kept.sort(key=lambda c: (-c.agreement, -c.score, c.alias, c.weak, -c.population, -c.support))
    groups: list[list[_Candidate]] = []
    for c in kept:
        here = c.latlon
        for g in groups:
            if haversine_km(*g[0].latlon, *here) <= _SAME_PLACE_KM:
                g.append(c)
                break
        else:
            groups.append([c])
    reps = []
    for g in groups:
        rep = _representative(g, want)
        best = g[0]
        reps.append((rep, (-best.agreement, -best.score, best.alias, best.weak)))
    reps.sort(key=lambda r: (r[1], _kind_rank(r[0], want), -r[0].population, -r[0].support))
    winner, winner_rank = reps[0]
    rivals = [rep for rep, rank in reps[1:] if rank == winner_rank]
    return winner, rivals


def _settle(
    picks: Iterable[tuple[_Candidate, list[_Candidate]]],
) -> tuple[_Candidate, list[_Candidate]] | None:
    """Return the first table's pick, unless it is a weak learned place.

    A weak pick waits for the tables below: the first strong pick that fits the
    hints at least as well wins; if none does, the weak one answers.
    """
    weak = None
    for chosen in picks:
        if weak is not None and chosen[0].agreement < weak[0].agreement:
            continue
        if not chosen[0].weak:
            return chosen
        if weak is None:
            weak = chosen
    return weak


# --- the gazetteer -------------------------------------------------------------

TableSource = PlaceTable | Callable[[], PlaceTable]


class Gazetteer:
    """A stack of place tables searched in order; the first that knows a name answers.

    Parameters
    ----------
    tables : sequence of PlaceTable or callables returning one
        Highest precedence first. A callable is called the first time a
        lookup reaches it (the world table loads only when needed).
    threshold : float
        Lowest fuzzy score (0-100) accepted as a match in a table of curated
        or user places.
    large_threshold : float
        The same for tables of more than 20,000 places (the world table).
    """

    def __init__(
        self,
        tables: Sequence[TableSource],
        *,
        threshold: float = FUZZY_THRESHOLD,
        large_threshold: float = LARGE_TABLE_THRESHOLD,
    ) -> None:
        self._sources: list[TableSource] = list(tables)
        self._loaded: dict[int, PlaceTable] = {}
        self.threshold = float(threshold)
        self.large_threshold = max(float(threshold), float(large_threshold))
        self._cache: dict[tuple[Any, ...], Match] = {}
        self._by_geonameid: dict[int, tuple[PlaceTable, int]] | None = None

    # construction

    @classmethod
    def default(cls) -> Gazetteer:
        """Return the default gazetteer (curated overlay + GeoNames cities500), once per process."""
        return _default_gazetteer()

    @classmethod
    def from_files(
        cls, paths: Iterable[str | os.PathLike[str]], *, include_default: bool = True
    ) -> Gazetteer:
        """Return a gazetteer of user files (CSV or GeoNames dumps), first file first.

        With ``include_default`` the default gazetteer follows them, so they
        take precedence over it.
        """
        tables: list[TableSource] = [read_gazetteer_file(p) for p in paths]
        if include_default:
            tables.extend(cls.default()._sources)
        return cls(tables)

    def with_files(self, *paths: str | os.PathLike[str]) -> Gazetteer:
        """Return a new gazetteer where ``paths`` take precedence over this one's tables."""
        tables: list[TableSource] = [read_gazetteer_file(p) for p in paths]
        return Gazetteer(
            [*tables, *self._sources],
            threshold=self.threshold,
            large_threshold=self.large_threshold,
        )

    def __repr__(self) -> str:
        labels = [
            s.label if isinstance(s, PlaceTable) else "GeoNames (lazy)" for s in self._sources
        ]
        return f"<Gazetteer: {' > '.join(labels)}>"

    @property
    def attribution(self) -> list[str]:
        """Credit lines for every source this gazetteer draws on."""
        from mapper.geonames import GEONAMES_CREDIT

        lines: list[str] = []
        for i, src in enumerate(self._sources):
            credit = src.attribution if isinstance(src, PlaceTable) else None
            if credit is None:
                credit = self._loaded[i].attribution if i in self._loaded else GEONAMES_CREDIT
            if credit not in lines:
                lines.append(credit)
        return lines

    def _table(self, i: int) -> PlaceTable:
        src = self._sources[i]
        if isinstance(src, PlaceTable):
            return src
        if i not in self._loaded:
            self._loaded[i] = src()
        return self._loaded[i]

    def _upgrade(self, table: PlaceTable, place: int) -> tuple[PlaceTable, int]:
        """Swap a world-table place for the curated or user row of the same GeoNames id."""
        gid = int(table.geonameid[place])
        if not gid:
            return table, place
        if self._by_geonameid is None:
            self._by_geonameid = {}
            for i, src in enumerate(self._sources):
                if isinstance(src, PlaceTable) and len(src) < 100_000:
                    for p in np.flatnonzero(src.geonameid).tolist():
                        self._by_geonameid.setdefault(int(src.geonameid[p]), (self._table(i), p))
        found = self._by_geonameid.get(gid)
        if found is None or found[0] is table:
            return table, place
        return found

    def _candidates(
        self, table: PlaceTable, hits: Iterable[tuple[int, bool, float]]
    ) -> list[_Candidate]:
        out = []
        seen = set()
        for place, alias, score in hits:
            t, p = self._upgrade(table, place)
            if (id(t), p) in seen:
                continue
            seen.add((id(t), p))
            out.append(_Candidate(t, p, alias, score))
        return out

    # lookups

    def resolve(
        self,
        name: Any,
        *,
        country: str | None = None,
        province: str | None = None,
        district: str | None = None,
    ) -> Match:
        """Resolve one place name.

        Parameters
        ----------
        name : str
            The place as the source spelled it ("near Turbat", "Kech district").
        country : str, optional
            ISO 3166 alpha-2 code or English name of the country it is in.
        province, district : str, optional
            Names of the province and district it is in (any known spelling).

        Returns
        -------
        Match
            Resolved, or unresolved with up to three suggestions.

        Raises
        ------
        UsageError
            If ``country`` is neither a known code nor a known country name.
        """
        cache_key = (name, country, province, district)
        try:
            cached = self._cache.get(cache_key)
        except TypeError:  # unhashable name: let _resolve explain
            cached = None
        if cached is not None:
            return cached
        match = self._resolve(name, _make_hints(country, province, district))
        if len(self._cache) < 200_000:
            self._cache[cache_key] = match
        return match

    def _resolve(self, name: Any, hints: _Hints) -> Match:
        if _is_missing(name):
            return Match(query=name)
        if not isinstance(name, str):
            raise UsageError(f"expected a place name as text, got {type(name).__name__} {name!r}")
        parsed = parse_place(name)
        if not parsed.key:
            return Match(query=name)
        excluded: list[_Candidate] = []

        def exact_picks() -> Iterator[tuple[_Candidate, list[_Candidate]]]:
            for i in range(len(self._sources)):
                table = self._table(i)
                hits = table.lookup(parsed.key)
                if not hits:
                    continue
                cands = self._candidates(table, ((p, a, 100.0) for p, a in hits))
                chosen = _choose(cands, hints, parsed.kind)
                if chosen is None:
                    excluded.extend(cands)  # named so, but contradicting a hint
                else:
                    yield chosen

        # Exact and alias names, table by table.
        chosen = _settle(exact_picks())
        if chosen is not None:
            return self._match(name, parsed, chosen, fuzzy=False)

        def fuzzy_picks() -> Iterator[tuple[_Candidate, list[_Candidate]]]:
            for i in range(len(self._sources)):
                table = self._table(i)
                cutoff = self.large_threshold if len(table) > _LARGE_TABLE else self.threshold
                found = table.fuzzy(parsed.key, cutoff=cutoff, limit=12)
                hits = [(p, a, s) for k, s in found for p, a in table.lookup(k)]
                chosen = _choose(self._candidates(table, hits), hints, parsed.kind)
                if chosen is not None:
                    yield chosen

        # Fuzzy, table by table: a near miss in the user's or curated table beats
        # an equally near one among a million world names.
        suggestions: list[tuple[float, int, _Candidate]] = []
        if len(parsed.key) >= _FUZZY_MIN_LENGTH and parsed.key.isascii():
            chosen = _settle(fuzzy_picks())
            if chosen is not None:
                return self._match(name, parsed, chosen, fuzzy=True)
            # No match: a second, wider look only to suggest names.
            for i in range(len(self._sources)):
                table = self._table(i)
                for k, s in table.fuzzy(parsed.key, cutoff=_SUGGESTION_CUTOFF, limit=6):
                    for c in self._candidates(table, ((p, a, s) for p, a in table.lookup(k))):
                        if _agreement(c, hints) is not None:
                            suggestions.append((s, i, c))
        suggestions.sort(key=lambda item: (-item[0], item[1], -item[2].population))
        names: list[str] = [c.describe() for c in excluded]
        for _, _, c in suggestions:
            text = c.describe()
            if text not in names:
                names.append(text)
        return Match(query=name, suggestions=tuple(names[:3]))

    def _match(
        self,
        query: str,
        parsed: ParsedPlace,
        chosen: tuple[_Candidate, list[_Candidate]],
        *,
        fuzzy: bool,
    ) -> Match:
        best, rivals = chosen
        t, p = best.table, best.place
        precision = t.precision[p]
        if parsed.near:
            precision = _coarser(precision, "near")
        if parsed.kind == _DISTRICT:
            precision = _coarser(precision, "district")
        gid = int(t.geonameid[p])
        return Match(
            query=query,
            matched_name=t.names[p],
            latitude=float(t.latitude[p]),
            longitude=float(t.longitude[p]),
            kind=t.kind[p],
            district=t.district[p],
            province=t.province[p],
            country=t.country[p],
            precision=precision,
            match_type="fuzzy" if fuzzy else ("alias" if best.alias else "exact"),
            score=round(best.score, 1),
            source=t.source[p] or t.label,
            ambiguous=bool(rivals),
            suggestions=tuple(r.describe() for r in rivals[:3]),
            geonameid=gid or None,
        )

    def resolve_many(
        self,
        names: pd.Series | Sequence[Any],
        *,
        country: Any = None,
        province: Any = None,
        district: Any = None,
        progress: bool | None = None,
    ) -> pd.DataFrame:
        """Resolve a column of place names; each distinct (name, hints) is resolved once.

        Parameters
        ----------
        names : pandas.Series or sequence of str
            The names; missing values come back unresolved.
        country, province, district : scalar or pandas.Series, optional
            Hints, either one value for every row or a Series aligned with ``names``.
        progress : bool, optional
            Show a progress bar on stderr. By default shown for more than 5,000
            distinct names when stderr is a terminal.

        Returns
        -------
        pandas.DataFrame
            Columns :data:`RESULT_COLUMNS`, index aligned with ``names``;
            ``suggestions`` joined with ``" | "``.
        """
        import pandas as pd

        series = names if isinstance(names, pd.Series) else pd.Series(list(names), dtype=object)
        n = len(series)
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        codes = codes.astype(np.int64)
        hint_values: list[Any] = []
        combos: list[tuple[Any, ...]] = []
        hint_uniques: list[Any] = []
        for label, hint in (("country", country), ("province", province), ("district", district)):
            if isinstance(hint, pd.Series):
                if len(hint) != n:
                    raise UsageError(
                        f"expected the {label} hints to have one value per name ({n}), "
                        f"got {len(hint)}"
                    )
                hc, hu = pd.factorize(hint, use_na_sentinel=True)
                hint_values.append(None)
                hint_uniques.append(hu)
                # Combine with the name codes into one integer key per row.
                codes = codes * (len(hu) + 1) + (hc.astype(np.int64) + 1)
                combos.append((label, len(hu) + 1))
            else:
                hint_values.append(hint)
                hint_uniques.append(None)
        if combos:
            codes, key_uniques = pd.factorize(codes)
        else:
            key_uniques = np.arange(len(uniques))
        m = len(key_uniques)
        show = progress if progress is not None else (m > _PROGRESS_MIN and sys.stderr.isatty())
        results: list[Match] = []
        iterator: Iterable[Any] = key_uniques
        if show:
            from tqdm import tqdm

            iterator = tqdm(key_uniques, total=m, desc="resolving", unit="name", file=sys.stderr)
        for packed in iterator:
            packed = int(packed)
            hints = list(hint_values)
            for j in range(2, -1, -1):
                if hint_uniques[j] is not None:
                    size = len(hint_uniques[j]) + 1
                    packed, hcode = divmod(packed, size)
                    hints[j] = None if hcode == 0 else hint_uniques[j][hcode - 1]
            name = uniques[packed] if packed >= 0 else None
            results.append(
                self.resolve(name, country=hints[0], province=hints[1], district=hints[2])
            )
        return _results_frame(results, codes, series, m)

    def __call__(self, name: str, **hints: Any) -> Match:
        """Alias of :meth:`resolve`."""
        return self.resolve(name, **hints)


def _coarser(a: str, b: str) -> str:
    return a if LOCATION_PRECISIONS.index(a) >= LOCATION_PRECISIONS.index(b) else b


def _results_frame(
    results: list[Match], codes: np.ndarray, series: pd.Series, m: int
) -> pd.DataFrame:
    """Broadcast the per-distinct-name results back onto every row (one take per column)."""
    import pandas as pd

    # Row m holds the answer for a missing name (code -1).
    take = np.where(codes < 0, m, codes)
    columns: dict[str, Any] = {}
    missing = Match(query=None)
    rows = [*results, missing]
    for name in RESULT_COLUMNS:
        if name == "query":
            columns[name] = series.array
            continue
        values = [getattr(r, name) for r in rows]
        if name in ("latitude", "longitude", "score"):
            arr = np.array([np.nan if v is None else v for v in values], dtype=np.float64)
            columns[name] = arr.take(take)
        elif name == "ambiguous":
            columns[name] = np.array(values, dtype=bool).take(take)
        else:
            if name == "suggestions":
                values = [" | ".join(v) if v else None for v in values]
            uniq = pd.array(values, dtype="str")
            columns[name] = uniq.take(take)
    return pd.DataFrame(columns, index=series.index, copy=False)


@functools.lru_cache(maxsize=1)
def _default_gazetteer() -> Gazetteer:
    from mapper import geonames

    return Gazetteer([curated_table(), geonames.default_table])


def match_fields() -> tuple[str, ...]:
    """Return the names of :class:`Match`'s fields (the result columns and extras)."""
    return tuple(f.name for f in fields(Match))
