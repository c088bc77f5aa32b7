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
as suggestions, unless the name is only an alternate name of places in
several countries ("Sui": Suizhou, Sokhumi): then nothing is placed. Below
the fuzzy threshold there is no answer, only up to three suggestions: never a
silent guess.

Places learned from geocoded tables (:mod:`mapper.gazetteer.sources.learned`) carry their
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

import functools
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from mapper.errors import UsageError
from mapper.gazetteer.names import (
    DISTRICT,
    PLACEHOLDER_KEYS,
    ParsedPlace,
    is_placeholder,
    parse_place,
)
from mapper.gazetteer.places import (
    FUZZY_MIN_LENGTH,
    PlaceTable,
)
from mapper.gazetteer.settle import (
    SAME_PLACE_KM,
    Candidate,
    Hints,
    Qualified,
    choose,
    hint_agreement,
    hints_read_with,
    is_missing,
    known_area,
    make_hints,
    settle,
    split_qualified,
)
from mapper.gazetteer.sources import geonames
from mapper.gazetteer.sources.curated import curated_table
from mapper.gazetteer.sources.user import (
    read_gazetteer_file,
)
from mapper.geo import haversine_km
from mapper.schema import LOCATION_PRECISIONS

if TYPE_CHECKING:
    import pandas as pd

    from mapper.areas import Areas

__all__ = [
    "FUZZY_THRESHOLD",
    "LARGE_TABLE_THRESHOLD",
    "RESULT_COLUMNS",
    "Gazetteer",
    "Match",
    "match_fields",
]

#: Default fuzzy threshold (rapidfuzz ``ratio``, 0-100). "Gwader" -> "Gwadar" scores 83.
FUZZY_THRESHOLD = 80.0
#: Fuzzy threshold in large tables (the world table): among a million names a near
#: miss is more often another place ("Mashkai" is 86 from Mashkat, Iran) than a typo.
LARGE_TABLE_THRESHOLD = 88.0
_LARGE_TABLE = 20_000
# Suggestions for an unresolved name are drawn from candidates above this score.
_SUGGESTION_CUTOFF = 40.0
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
    "reason",
)
MATCH_TYPES: tuple[str, ...] = ("exact", "alias", "fuzzy")


#: A batch's region is inferred from at least this many exact, unambiguous names.
REGION_MIN_NAMES = 3

# resolve_many shows a progress bar above this many distinct names.
_PROGRESS_MIN = 5_000


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
    ``warnings`` names the hints mapper could not read (not a result column).
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
    reason: str | None = None
    geonameid: int | None = None
    warnings: tuple[str, ...] = ()

    @property
    def resolved(self) -> bool:
        """True when the name was placed."""
        return self.matched_name is not None

    def as_dict(self) -> dict[str, Any]:
        """Return the :data:`RESULT_COLUMNS` of this match as a dict."""
        return {name: getattr(self, name) for name in RESULT_COLUMNS}


# --- the gazetteer -------------------------------------------------------------

TableSource = PlaceTable | Callable[[], PlaceTable]


def _reading_own_areas(method: Callable[..., Any]) -> Callable[..., Any]:
    """Run a resolving method with its gazetteer's areas as the ones hints are read against."""

    @functools.wraps(method)
    def wrapper(self: Gazetteer, *args: Any, **kwargs: Any) -> Any:
        if self.areas is None:
            return method(self, *args, **kwargs)
        with hints_read_with(self.areas):
            return method(self, *args, **kwargs)

    return wrapper


class Gazetteer:
    """A stack of place tables searched in order; the first that knows a name answers.

    Parameters
    ----------
    tables : sequence of PlaceTable or callables returning one
        Highest precedence first. A callable is called the first time a
        lookup reaches it (the world table loads only when needed); its
        ``label`` and ``attribution`` attributes, when it has them, name and
        credit the table before then.
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
        areas: Areas | None = None,
    ) -> None:
        self._sources: list[TableSource] = list(tables)
        #: The areas hints are read against (:meth:`with_areas`); None: the bundled ones.
        self.areas = areas
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
            areas=self.areas,
        )

    def with_areas(self, areas: Areas) -> Gazetteer:
        """Return a new gazetteer that reads hints against ``areas`` and knows them as places.

        ``areas`` is usually ``Areas.bundled().with_files(...)`` (``--boundaries``):
        a province or district hint naming one of the user's areas then
        constrains candidates by its outline, as a bundled one does, and the
        names of the user's areas resolve to them (after every other table,
        never fuzzily), as the bundled areas' names do.
        """
        from mapper.areas import Areas
        from mapper.gazetteer.sources.areas import own_areas_table

        bundled = set(Areas.bundled())
        own = [a for a in areas if a not in bundled]
        tables = [*self._sources, own_areas_table(areas, own)] if own else list(self._sources)
        return Gazetteer(
            tables, threshold=self.threshold, large_threshold=self.large_threshold, areas=areas
        )

    def __repr__(self) -> str:
        labels = [getattr(s, "label", "(a table not loaded yet)") for s in self._sources]
        return f"<Gazetteer: {' > '.join(labels)}>"

    @property
    def attribution(self) -> list[str]:
        """Credit lines for every source this gazetteer draws on."""
        lines: list[str] = []
        for i, src in enumerate(self._sources):
            # A table, or a loader that says what it loads (sources.geonames.default_table).
            credit = getattr(self._loaded.get(i, src), "attribution", None)
            if credit and credit not in lines:
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
    ) -> list[Candidate]:
        out = []
        seen = set()
        for place, alias, score in hits:
            t, p = self._upgrade(table, place)
            if (id(t), p) in seen:
                continue
            seen.add((id(t), p))
            out.append(Candidate(t, p, alias, score))
        return out

    # lookups

    @_reading_own_areas
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
        hints = make_hints(country, province, district)
        match = self._resolve_written(name, hints, (country, province, district))
        if hints.unknown:
            match = replace(match, warnings=hints.unknown)
        if len(self._cache) < 200_000:
            self._cache[cache_key] = match
        return match

    def _resolve_written(
        self, name: Any, hints: Hints, stated: tuple[Any, Any, Any] = (None, None, None)
    ) -> Match:
        """Resolve a name as written: whole, or in parts ("Turbat, Kech", "Noshki/Nushki").

        ``stated`` are the row's own country, province and district, which come
        before the areas written after a place.
        """
        qualified = _qualified(name)
        alternatives = _alternatives(name) if qualified is None else []
        part_of = _part_of(name) if qualified is None and not alternatives else None
        if qualified is None and not alternatives and part_of is None:
            return self._resolve(name, hints)
        # The whole name first ("Washington, D.C."), never fuzzily; then its parts.
        match = self._resolve(name, hints, fuzzy=False)
        if match.resolved:
            return match
        if qualified is not None:
            # The place, with the areas written after it as hints (the row's own come first).
            written = (qualified.country, qualified.province, qualified.district)
            own = make_hints(
                *(w if is_missing(s) else s for s, w in zip(stated, written, strict=True))
            )
            return replace(self._resolve(qualified.place, own), query=name)
        if part_of is not None:
            return self._part_of(name, *part_of, hints)
        # Each spelling: placed only where they all name one place.
        return _agreed(name, [self._resolve(a, hints) for a in alternatives])

    def _part_of(self, name: str, whole: str, part: str, hints: Hints) -> Match:
        """Resolve "Karachi - Lyari" (ACLED's form for a part of a town): the part, or the town.

        The part where the gazetteer knows it by name (never fuzzily) within
        :data:`PART_OF_KM` of the town; the town, no finer than a district,
        where it does not; unplaced where the part is a place far from it
        (a route between two towns, not a part of one).
        """
        town = self._resolve(whole, hints)
        if not town.resolved:
            return replace(town, query=name)
        # The part inside the town's own district (or next to it); else anywhere in its
        # country, to tell a part nobody lists from another town (the row's own hints
        # would hide that: "Quetta - Turbat" hinted Quetta).
        inside = self._resolve(
            part, make_hints(town.country, town.province, town.district), fuzzy=False
        )
        if not inside.resolved:
            inside = self._resolve(part, make_hints(town.country, None, None), fuzzy=False)
        if not inside.resolved:
            return replace(
                town, query=name, precision=_coarser(town.precision or "exact", "district")
            )
        km = haversine_km(inside.latitude, inside.longitude, town.latitude, town.longitude)
        if km <= PART_OF_KM:
            return replace(inside, query=name)
        return Match(
            query=name,
            suggestions=(_named_at(town), _named_at(inside)),
            reason=f"{part!r} is a place {km:,.0f} km from {whole!r}, not a part of it",
        )

    def _resolve(self, name: Any, hints: Hints, *, fuzzy: bool = True) -> Match:
        if is_missing(name):
            return Match(query=name)
        if not isinstance(name, str):
            raise UsageError(f"expected a place name as text, got {type(name).__name__} {name!r}")
        parsed = parse_place(name)
        if not parsed.key:
            return Match(query=name)
        if parsed.key in PLACEHOLDER_KEYS:
            return Match(query=name, reason=f"{name!r} names no place (a placeholder for none)")
        excluded: list[Candidate] = []
        near_misses: list[Candidate] = []

        def exact_picks() -> Iterator[tuple[Candidate, list[Candidate]]]:
            for i in range(len(self._sources)):
                table = self._table(i)
                hits = table.lookup(parsed.key)
                if not hits:
                    continue
                cands = self._candidates(table, ((p, a, 100.0) for p, a in hits))
                chosen = choose(cands, hints, parsed.kind)
                if chosen is None:
                    excluded.extend(cands)  # named so, but contradicting a hint
                else:
                    yield chosen

        # Exact and alias names, table by table.
        chosen = settle(exact_picks(), parsed.kind)
        if chosen is not None:
            shared = _alias_shared_abroad(*chosen)
            if shared:
                # "Sui" is another name of Suizhou (China) and Sokhumi (Georgia): an
                # alternate name several countries' places carry is evidence for none.
                return Match(
                    query=name,
                    suggestions=tuple(c.describe() for c in shared[:3]),
                    reason=(
                        f"{name!r} is no place's own name, only another name of places in "
                        f"{len(_countries(shared))} countries: give a country, province or "
                        "district hint to choose"
                    ),
                )
            return self._match(name, parsed, chosen, fuzzy=False)

        def fuzzy_picks() -> Iterator[tuple[Candidate, list[Candidate]]]:
            for i in range(len(self._sources)):
                table = self._table(i)
                if not table.fuzzy_ok:
                    continue
                cutoff = self.large_threshold if len(table) > _LARGE_TABLE else self.threshold
                found = table.fuzzy(parsed.key, cutoff=cutoff, limit=12)
                hits = [(p, a, s) for k, s in found for p, a in table.lookup(k)]
                cands = self._candidates(table, hits)
                chosen = choose(cands, hints, parsed.kind)
                if chosen is None:
                    near_misses.extend(cands)  # a similar name, but outside the hints
                else:
                    yield chosen

        # Fuzzy, table by table: a near miss in the user's or curated table beats
        # an equally near one among a million world names.
        suggestions: list[tuple[float, int, Candidate]] = []
        if not fuzzy:
            return Match(query=name, reason=_why_not(excluded, near_misses, hints))
        if len(parsed.key) >= FUZZY_MIN_LENGTH and parsed.key.isascii():
            chosen = settle(fuzzy_picks(), parsed.kind)
            if chosen is not None:
                return self._match(name, parsed, chosen, fuzzy=True)
            # No match: a second, wider look only to suggest names.
            for i in range(len(self._sources)):
                table = self._table(i)
                if not table.fuzzy_ok:
                    continue
                for k, s in table.fuzzy(parsed.key, cutoff=_SUGGESTION_CUTOFF, limit=6):
                    for c in self._candidates(table, ((p, a, s) for p, a in table.lookup(k))):
                        if hint_agreement(c, hints) is not None:
                            suggestions.append((s, i, c))
        suggestions.sort(key=lambda item: (-item[0], item[1], -item[2].population))
        names: list[str] = []
        for _, _, c in suggestions:
            text = c.describe()
            if text not in names:
                names.append(text)
        return Match(
            query=name, suggestions=tuple(names[:3]), reason=_why_not(excluded, near_misses, hints)
        )

    def _match(
        self,
        query: str,
        parsed: ParsedPlace,
        chosen: tuple[Candidate, list[Candidate]],
        *,
        fuzzy: bool,
    ) -> Match:
        best, rivals = chosen
        t, p = best.table, best.place
        precision = t.precision[p]
        if parsed.near:
            precision = _coarser(precision, "near")
        if parsed.kind == DISTRICT:
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

    @_reading_own_areas
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
            ``suggestions`` joined with ``" | "``. ``attrs["warnings"]`` lists
            each hint mapper could not read, once per value;
            ``attrs["region"]`` says which region was inferred for the rows
            without hints ("region inferred: Balochistan, Pakistan, from 812
            of 1,705 names"), or is None.
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
        unhinted: list[int] = []
        for packed in iterator:
            packed = int(packed)
            hints = list(hint_values)
            for j in range(2, -1, -1):
                if hint_uniques[j] is not None:
                    size = len(hint_uniques[j]) + 1
                    packed, hcode = divmod(packed, size)
                    hints[j] = None if hcode == 0 else hint_uniques[j][hcode - 1]
            name = uniques[packed] if packed >= 0 else None
            # A name written with its areas ("Kolwa, Kech") is hinted by them: the batch's
            # inferred region, a weaker guess, must not resolve it again without them.
            if all(is_missing(h) for h in hints) and not _qualified(name):
                unhinted.append(len(results))
            results.append(
                self.resolve(name, country=hints[0], province=hints[1], district=hints[2])
            )
        region = self._infer_region(results, unhinted, total=len(uniques))
        frame = _results_frame(results, codes, series, m)
        warnings: list[str] = []
        for r in results:
            for w in r.warnings:
                if w not in warnings:
                    warnings.append(w)  # once per value, however many rows carry it
        frame.attrs["warnings"] = warnings
        frame.attrs["region"] = region
        return frame

    @_reading_own_areas
    def resolve_batch(
        self,
        names: Sequence[Any],
        *,
        country: str | None = None,
        province: str | None = None,
        district: str | None = None,
    ) -> tuple[list[Match], str | None]:
        """Resolve a few names as one batch, without pandas (``mapper resolve A B C``).

        As :meth:`resolve_many` does for a column: without hints, the batch's
        region is inferred from its unambiguous names and the others are
        resolved again preferring it.

        Returns
        -------
        (list of Match, str or None)
            One match per name, in order, and the line saying which region was
            inferred (or None).
        """
        results = [
            self.resolve(n, country=country, province=province, district=district) for n in names
        ]
        hinted = not all(is_missing(h) for h in (country, province, district))
        unhinted = [] if hinted else [i for i, n in enumerate(names) if not _qualified(n)]
        distinct = len(set(names)) if all(isinstance(n, str) for n in names) else len(names)
        return results, self._infer_region(results, unhinted, total=distinct)

    def _infer_region(self, results: list[Match], unhinted: list[int], *, total: int) -> str | None:
        """Infer the region of a batch's unhinted names, and re-resolve those it may change.

        The region is where most names that resolve exactly and unambiguously
        lie, as a geoparser infers a document's country: the country holding
        at least half of them (and at least :data:`REGION_MIN_NAMES`), then the
        province holding at least half, if one does. Names that were
        ambiguous, fuzzy, unresolved or placed abroad are resolved again
        preferring that region, with no fuzzy match into another country. ``results`` is
        updated in place; returns the line saying which region was
        inferred, or None.
        """
        sure = [
            results[i]
            for i in unhinted
            if results[i].match_type in ("exact", "alias") and not results[i].ambiguous
        ]
        if len(sure) < REGION_MIN_NAMES:
            return None
        countries: dict[str, int] = {}
        for r in sure:
            if r.country:
                countries[r.country] = countries.get(r.country, 0) + 1
        if not countries:
            return None
        code, n_country = max(countries.items(), key=lambda kv: kv[1])
        if n_country * 2 < len(sure) or n_country < REGION_MIN_NAMES:
            return None
        provinces: dict[str, int] = {}
        for r in sure:
            if r.country == code and r.province:
                provinces[r.province] = provinces.get(r.province, 0) + 1
        from mapper.gazetteer.settle import hint_areas, region_of

        areas = hint_areas()
        country = next((a for a in areas.lookup_all(code, level="country") if a.code == code), None)
        if country is None:
            return None
        province, support = None, n_country
        if provinces:
            pname, n_prov = max(provinces.items(), key=lambda kv: kv[1])
            if n_prov * 2 >= len(sure):
                province = areas.lookup(pname, level="province", within=country)
                support = n_prov if province is not None else n_country
        region = region_of(country, province)
        hints = Hints(region=region)
        for i in unhinted:
            r = results[i]
            if r.match_type in ("exact", "alias") and not r.ambiguous and r.country == code:
                continue
            if is_missing(r.query) or not isinstance(r.query, str):
                continue
            key = (r.query, "region", region.label)
            if key not in self._cache:
                self._cache[key] = self._resolve_written(r.query, hints)
            results[i] = self._cache[key]
        return region.describe(support, total)

    def __call__(self, name: str, **hints: Any) -> Match:
        """Alias of :meth:`resolve`."""
        return self.resolve(name, **hints)


def _why_not(excluded: list[Candidate], near_misses: list[Candidate], hints: Hints) -> str | None:
    """Say why places of that name (or a similar one) were refused: they lie outside the hints."""
    refused, what = (excluded, "that name") if excluded else (near_misses, "a similar name")
    if not refused:
        return None
    where = str(hints.area) if hints.area is not None else _hint_text(hints)
    others = [c.describe() for c in refused[:2]]
    more = f" and {len(refused) - 2} more" if len(refused) > 2 else ""
    return f"no place of {what} lies in {where} or next to it ({'; '.join(others)}{more})"


def _qualified(name: Any) -> Qualified | None:
    """Return the place and areas of a name written "Turbat, Kech" or "Turbat (Kech)", or None."""
    written = isinstance(name, str) and ("," in name or name.rstrip().endswith(")"))
    return split_qualified(name) if written else None


#: How far from its town a part named "Town - Part" may lie (Karachi's outer towns).
PART_OF_KM = 40.0


def _part_of(name: Any) -> tuple[str, str] | None:
    """Return (town, part) of a name written "Karachi - Lyari" (spaces around the dash), or None."""
    if not isinstance(name, str) or " - " not in name:
        return None
    parts = [p.strip() for p in name.split(" - ")]
    if len(parts) != 2 or not all(parts) or any(is_placeholder(p) for p in parts):
        return None
    return parts[0], parts[1]


def _alternatives(name: Any) -> list[str]:
    """Return the spellings of a name written "Noshki/Nushki" (none for a name without "/")."""
    if not isinstance(name, str) or "/" not in name or is_placeholder(name):
        return []  # "N/A" is one placeholder, not two names
    parts = [p.strip() for p in name.split("/")]
    return parts if len(parts) > 1 and all(parts) else []


def _agreed(name: str, answers: list[Match]) -> Match:
    """Return the place all of ``answers`` name, finest first, else an unresolved match.

    Each answer agrees with a place when it lies within 2 km of it, or is a
    province holding it, or names a district that holds it or that its
    district was carved out of ("Turbat/Kech": Turbat, in Kech; "Hub/Lasbela":
    Hub district was carved out of Lasbela; "Duki/Loralai": Duki, in what was
    Loralai district before Duki became one, though "Loralai" alone is the town).
    """
    if not all(a.resolved for a in answers):
        missing = [str(a.query) for a in answers if not a.resolved]
        return Match(query=name, reason=f"{', '.join(map(repr, missing))} not found")
    order = sorted(
        range(len(answers)),
        key=lambda i: (LOCATION_PRECISIONS.index(answers[i].precision or "country"), i),
    )
    for i in order:
        place = answers[i]
        if all(j == i or _holds(a, place) for j, a in enumerate(answers)):
            return replace(place, query=name)
    return Match(
        query=name,
        suggestions=tuple(_named_at(a) for a in answers),
        reason="the names on either side of '/' are different places",
    )


def _holds(a: Match, place: Match) -> bool:
    """Say whether ``a``, one spelling of a name "A/B", agrees with ``place`` (see _agreed)."""
    if haversine_km(a.latitude, a.longitude, place.latitude, place.longitude) <= SAME_PLACE_KM:
        return True
    if a.kind == "province":
        return a.province == place.province
    # A town named like its district ("Loralai") is read as the district here.
    outer = a.district if a.kind == "district" else str(a.query)
    if not outer or not place.district:
        return False
    do, di = known_area(outer, "district"), known_area(place.district, "district")
    if do is None or di is None:
        return outer == place.district
    return do == di or do in di.carved_from


def _named_at(m: Match) -> str:
    """Say which place a part of a written name was taken for: "Duki (Duki, PK)"."""
    return f"{m.matched_name} ({m.district or m.province}, {m.country})"


def _countries(cands: list[Candidate]) -> set[str | None]:
    return {c.table.country[c.place] for c in cands}


def _alias_shared_abroad(best: Candidate, rivals: list[Candidate]) -> list[Candidate]:
    """Return the places an unsettled alias names, when they lie in several countries.

    Empty when the winner matched by its own name, or when the places still
    in the running (hints did not separate them) share one country.
    """
    if not best.alias or not rivals:
        return []
    tied = [best, *rivals]
    return tied if len(_countries(tied)) > 1 else []


def _hint_text(hints: Hints) -> str:
    parts = [x for x in (hints.district, hints.province, hints.country) if x]
    if parts:
        return ", ".join(parts)
    region = hints.region
    return f"the region inferred for the batch ({region.label})" if region else "the hints"


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

    from mapper.gazetteer.sources.areas import areas_table

    # Areas last: a district's or province's name answers only where no place is called so.
    return Gazetteer([curated_table(), geonames.default_table, areas_table])


def match_fields() -> tuple[str, ...]:
    """Return the names of :class:`Match`'s fields (the result columns and extras)."""
    return tuple(f.name for f in fields(Match))
