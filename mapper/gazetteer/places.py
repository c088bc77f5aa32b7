"""Place tables: one source's places with a sorted index of their normalised names."""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from mapper.gazetteer.names import (
    normalize_name,
)

# --- tables -------------------------------------------------------------------


# Names shorter than this are never fuzzy-matched: one letter off is a different place.
FUZZY_MIN_LENGTH = 4


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
    #: Learned places only (see :mod:`mapper.gazetteer.sources.learned`): how many
    #: geocoded rows agree on this point, from how many distinct sources, and their
    #: median distance to it (km).
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

    #: Whether a name may match this table's places fuzzily ("Kech" for "Kekh"). Area
    #: names are short and far apart: "Lyari" (Karachi) is not Lehri district.
    fuzzy_ok: bool = True

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
        if key.isascii() and len(key) >= FUZZY_MIN_LENGTH - 1:
            blocks.setdefault(_block_of(key), []).append(key)
    return blocks


def _query_blocks(key: str) -> list[tuple[str, int]]:
    initial, length = _block_of(key)
    # One typo changes the length by at most one; longer names may carry two.
    spread = 1 if length <= 8 else 2
    return [(initial, n) for n in range(length - spread, length + spread + 1)]
