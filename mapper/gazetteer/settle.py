"""Settling candidates: hints, agreement, and the choice among places of one name."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mapper.errors import UsageError
from mapper.gazetteer.countries import admin1_table, country_code
from mapper.gazetteer.names import (
    DISTRICT,
    TOWN,
    normalize_name,
)
from mapper.gazetteer.places import (
    PlaceTable,
)
from mapper.gazetteer.sources.curated import curated_table
from mapper.geo import EARTH_RADIUS_KM, haversine_km

if TYPE_CHECKING:
    from mapper.areas import Area, Areas

# A learned place (mapper.gazetteer.sources.learned) on fewer rows than this, or with a
# wider spread (km), is weak: it answers only when no curated or GeoNames place of that
# name fits the hints.
WEAK_SUPPORT_ROWS = 3
WEAK_SPREAD_KM = 10.0
#: How far (degrees, about 5 km) outside a hinted area and its neighbours a candidate's
#: point may lie and still count as next to it (simplified coasts and borders).
HINT_MARGIN_DEG = 0.05
#: Abroad, an inferred region still accepts an exact match to a place this populous...
REGION_CITY_POPULATION = 100_000
#: ...or one within this many degrees (about 50 km) of the region's country.
REGION_BORDER_DEG = 0.5
# Two candidates closer than this are one place (a district and its headquarters town).
SAME_PLACE_KM = 2.0


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

    canon: dict[str, str] = {}
    for name, aliases in admin1_table().values():
        key = normalize_name(name)
        canon[key] = key
        for alias in aliases:
            canon[normalize_name(alias)] = key
    return canon


# --- hints ---------------------------------------------------------------------


class HintedArea:
    """Where the hints say a place lies, as polygons (the deepest hinted area mapper knows).

    A point inside the area fits best (2). Next to it (1): for a district, in
    a district touching it, or carved out of it or it out of (older tables
    name the parent), or within :data:`HINT_MARGIN_DEG` of those; for a
    province, within the 25 km validation allows (its neighbours are whole
    provinces). Anywhere else it does not fit (None).
    """

    __slots__ = ("_inside", "_near", "area", "country_code")

    def __init__(self, area: Area) -> None:
        import shapely

        areas = area._owner()
        self.area = area
        country = areas.ancestor(area, "country")
        self.country_code: str | None = country.code if country is not None else None
        self._inside = areas._allowed_geometry(area, None)
        if area.level == "district":
            near = [areas._allowed_geometry(area, "neighbours")]
            near += [areas._allowed_geometry(a, None) for a in area.lineage]
            near_geom = shapely.union_all(near) if len(near) > 1 else near[0]
            # Coasts and borders are drawn to a few hundred metres, and a coastal place's
            # point may lie just offshore: a small margin counts as next to the area.
            margin = HINT_MARGIN_DEG
        else:
            # A province's neighbours are whole provinces: "Hoshab, Sindh" is not the Hoshab
            # 300 km away in Kech. Next to a province is as near as validation allows.
            from mapper.areas import PROVINCE_TOLERANCE_KM

            near_geom = self._inside
            margin = PROVINCE_TOLERANCE_KM / (math.pi * EARTH_RADIUS_KM / 180.0)
        self._near = shapely.buffer(near_geom, margin, quad_segs=2)
        shapely.prepare(self._near)

    def fit(self, lat: float, lon: float) -> int | None:
        """Return 2 inside the area, 1 next to it, None elsewhere."""
        import shapely

        if shapely.intersects_xy(self._inside, lon, lat):
            return 2
        if shapely.intersects_xy(self._near, lon, lat):
            return 1
        return None

    def may_be_next_door(self, c: Candidate) -> bool:
        """Say whether ``c`` may lie next to the hinted district rather than in it.

        A place may, unless it is named like a district (the district itself,
        or its eponymous headquarters): a row whose place column names a
        district other than its own district hint means a place of that name
        in the hinted district (Nasirabad, a village in Kech), unless the two
        districts are one by lineage (older tables name the parent).
        """
        if self.area.level != "district":
            return True
        named = known_area(c.name, "district")
        relatives = {self.area, *self.area.lineage}
        return named is None or named in relatives

    def __str__(self) -> str:
        return str(self.area)


def known_area(name: str, level: str) -> Area | None:
    """Return the area of ``level`` called ``name`` among the areas hints are read against."""
    return _area_named(_HINT_AREAS.get(), name, level)


@functools.lru_cache(maxsize=8192)
def _area_named(own: Areas | None, name: str, level: str) -> Area | None:
    return hint_areas(own).lookup(name, level=level)


class Region:
    """Where most of a batch's unambiguous names lie (inferred, not stated): a soft preference.

    Candidates inside the region's province rank first, then its country; a
    fuzzy match outside the country is refused (a near miss abroad is more
    often another place than a typo), and so is an exact one, unless it lies
    within :data:`REGION_BORDER_DEG` of the country or is a city
    (:data:`REGION_CITY_POPULATION`) matched by its own name, not an alias.
    """

    __slots__ = ("_border", "_country", "country_code", "label", "province")

    def __init__(self, country: Area, province: Area | None) -> None:
        import shapely

        areas = country._owner()
        self.country_code: str | None = country.code
        self.province = HintedArea(province) if province is not None else None
        self._country = areas._allowed_geometry(country, None)
        self._border = shapely.buffer(self._country, REGION_BORDER_DEG, quad_segs=2)
        shapely.prepare(self._border)
        self.label = str(province) if province is not None else country.name

    def fit(self, c: Candidate) -> int | None:
        """Return 2 inside the province, 1 inside the country, 0 elsewhere (None: refused)."""
        import shapely

        lat, lon = c.latlon
        if self.province is not None and self.province.fit(lat, lon) == 2:
            return 2
        code = c.table.country[c.place]
        inside = (code == self.country_code) if code is not None else None
        if inside is None:
            inside = bool(shapely.intersects_xy(self._country, lon, lat))
        if inside:
            return 1
        if c.score < 100.0:
            return None
        # Abroad, a batch about one region names cities and the places just across its
        # border; a small place far abroad that shares a name, or a city far abroad
        # that only carries it as another name ("Sui", Suizhou), is more often a local
        # village no gazetteer knows.
        if self.near(lon, lat):
            return 0
        if c.population >= REGION_CITY_POPULATION and not c.alias:
            return 0
        return None

    def near(self, lon: Any, lat: Any) -> Any:
        """Say whether each point lies in the country or within :data:`REGION_BORDER_DEG` of it."""
        import shapely

        return shapely.intersects_xy(self._border, lon, lat)

    def describe(self, support: int, total: int) -> str:
        """Return "region inferred: Balochistan, Pakistan, from 812 of 1,705 names"."""
        return f"region inferred: {self.label}, from {support:,} of {total:,} names"


@functools.lru_cache(maxsize=64)
def region_of(country: Area, province: Area | None) -> Region:
    """Return the :class:`Region` of a country (and province), built once per process."""
    return Region(country, province)


@dataclass(frozen=True)
class Hints:
    """What a row says about where its place is.

    ``country`` is an ISO code (given, or implied by a province or district
    mapper knows); ``province`` and ``district`` are normalised names;
    ``area`` is the deepest hinted area mapper has polygons for, which then
    decides by each candidate's point; ``unknown`` says which hints mapper
    could not read (one line each); ``region`` is a batch's inferred region.
    """

    country: str | None = None
    province: str | None = None
    district: str | None = None
    area: HintedArea | None = None
    unknown: tuple[str, ...] = ()
    region: Region | None = None

    def __bool__(self) -> bool:
        return bool(self.country or self.province or self.district)


def is_missing(value: object) -> bool:
    """Return True for None, NaN and blank text: a hint not given."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def make_hints(country: object, province: object, district: object) -> Hints:
    """Normalise the hints of one row (cached: rows repeat the same few).

    A province or district is looked up among mapper's areas (with their
    aliases and former names): a known one implies its country and constrains
    candidates by their points. An unknown one is noted in ``unknown``; it is
    compared by name only with candidates whose own admin name at that level
    mapper does not know either (a user gazetteer's own divisions).
    """
    return _make_hints(_HINT_AREAS.get(), country, province, district)


@functools.lru_cache(maxsize=4096)
def _make_hints(own: Areas | None, country: object, province: object, district: object) -> Hints:
    code = None
    if not is_missing(country):
        code = country_code(str(country))
        if code is None:
            raise UsageError(
                f"expected a country as an ISO 3166 alpha-2 code or an English name "
                f"(e.g. 'PK' or 'Pakistan'), got {country!r}"
            )
    prov = dist = None
    if not is_missing(province):
        key = normalize_name(str(province))
        prov = _province_canon().get(key, key)
    if not is_missing(district):
        key = normalize_name(str(district))
        dist = _district_canon().get(key, key)
    if prov is None and dist is None:
        return Hints(code)
    # Areas load only here: a batch without province or district hints never needs them.
    areas = hint_areas(own)
    found_province = found_district = None
    if prov is not None:
        found_province = areas.lookup(str(province).strip(), level="province")
    if dist is not None:
        text = str(district).strip()
        if found_province is not None:
            found_district = areas.lookup(text, level="district", within=found_province)
        if found_district is None:
            found_district = areas.lookup(text, level="district")
    deepest = found_district or found_province
    area = _hinted_area(deepest) if deepest is not None else None
    if area is not None and code is None:
        code = area.country_code
    # An unknown name is compared only with places whose own name at that level mapper does
    # not know either (a user gazetteer's own divisions): against a known area ("Kech") an
    # unknown spelling ("Atlantis") is nothing mapper can judge, and rejects nothing.
    unknown: list[str] = []
    for level, given, key, found in (
        ("province", province, prov, found_province),
        ("district", district, dist, found_district),
    ):
        if key is not None and found is None:
            unknown.append(
                f"{level} hint {str(given).strip()!r} is not an area mapper knows; "
                "compared only with places' own names mapper does not know either"
            )
    if found_province is not None:
        prov = None
    if found_district is not None:
        dist = None
    return Hints(code, prov, dist, area, tuple(unknown))


@dataclass(frozen=True)
class Qualified:
    """A name written with the areas it lies in ("Sui town, Dera Bugti"), split."""

    place: str
    country: str | None = None
    province: str | None = None
    district: str | None = None


#: "Hoshab (Kech)": a name with its areas in brackets after it.
_BRACKETED = re.compile(r"([^()]+?)\s*\(([^()]+)\)")


def split_qualified(name: str) -> Qualified | None:
    """Split "Turbat, Kech" or "Quetta, Balochistan, Pakistan" into a place and its areas.

    Every part after the first comma must be an area mapper knows (a district,
    province or country, with the words "district" or "province" allowed);
    otherwise the comma is part of the name and None is returned. Areas in
    brackets after the name count the same: "Hoshab (Kech)".
    """
    return _split_qualified(_HINT_AREAS.get(), name)


@functools.lru_cache(maxsize=4096)
def _split_qualified(own: Areas | None, name: str) -> Qualified | None:
    bracketed = _BRACKETED.fullmatch(name.strip())
    if bracketed:
        name = f"{bracketed.group(1)}, {bracketed.group(2)}"
    parts = [p.strip() for p in name.split(",")]
    if len(parts) < 2 or not all(parts):
        return None
    found: dict[str, str] = {}
    for part in parts[1:]:
        code = country_code(part)
        if code is not None:
            level, value = "country", code
        else:
            area = hint_areas(own).lookup(part)
            if area is None or area.level not in ("province", "district"):
                return None
            level, value = area.level, area.name
        if level in found:
            return None  # two districts: not a place and its areas
        found[level] = value
    return Qualified(parts[0], found.get("country"), found.get("province"), found.get("district"))


#: The areas hints are read against while a gazetteer with its own resolves (see
#: :meth:`mapper.gazetteer.Gazetteer.with_areas`); None: the bundled ones.
_HINT_AREAS: ContextVar[Areas | None] = ContextVar("mapper_hint_areas", default=None)


def hint_areas(own: Areas | None = None) -> Areas:
    """Return the areas hints, regions and written areas are read against.

    ``own``, else those of the gazetteer resolving, else the bundled ones
    (loaded on first use: only hints and regions need them). Caches key on
    ``own`` (None for the bundled), so that nothing loads the areas early.
    """
    areas = own if own is not None else _HINT_AREAS.get()
    if areas is not None:
        return areas
    from mapper.areas import Areas

    return Areas.bundled()


@contextmanager
def hints_read_with(areas: Areas | None) -> Iterator[None]:
    """Read hints against ``areas`` (None: the bundled ones) inside the ``with`` block."""
    token = _HINT_AREAS.set(areas)
    try:
        yield
    finally:
        _HINT_AREAS.reset(token)


@functools.lru_cache(maxsize=1024)
def _hinted_area(area: Area) -> HintedArea:
    return HintedArea(area)


# --- candidates ------------------------------------------------------------------


@dataclass
class Candidate:
    """One place of a table that a name matched, with how it matched."""

    table: PlaceTable
    place: int
    alias: bool
    score: float = 100.0
    agreement: int = 0

    @property
    def kind(self) -> str:
        """Return the place's kind (place, district...)."""
        return self.table.kind[self.place]

    @property
    def name(self) -> str:
        """Return the place's own name."""
        return self.table.names[self.place]

    @property
    def latlon(self) -> tuple[float, float]:
        """Return the place's point."""
        return float(self.table.latitude[self.place]), float(self.table.longitude[self.place])

    @property
    def population(self) -> int:
        """Return the place's population (0 when unknown)."""
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
        """Return True for a district whose point is its headquarters town."""
        return self.kind == "district" and self.table.headquarters[self.place] is not None

    def describe(self) -> str:
        """Return "Name (kind; district, province, country)" for suggestions."""
        t, p = self.table, self.place
        district = t.district[p] if t.kind[p] != "district" else None
        where = [x for x in (district and f"{district} district", t.province[p], t.country[p]) if x]
        return f"{t.names[p]} ({t.kind[p]}; {', '.join(where)})" if where else t.names[p]


def hint_agreement(c: Candidate, hints: Hints) -> int | None:
    """Score how well ``c`` fits the hints; None if it contradicts one.

    A hinted area mapper knows decides by the candidate's point (inside 2,
    next to it 1), whatever admin fields the candidate carries or lacks; a
    hint mapper does not know is compared by name with the candidate's own
    fields, where it has them. An inferred region only adds a preference
    (and refuses fuzzy matches abroad).
    """
    t, p = c.table, c.place
    score = 0
    if hints.country and t.country[p] is not None:
        if t.country[p] != hints.country:
            return None
        score += 1
    if hints.area is not None:
        fit = hints.area.fit(*c.latlon)
        if fit is None or (fit == 1 and not hints.area.may_be_next_door(c)):
            return None
        score += fit
    for hint, value, canon, level in (
        (hints.province, t.province[p], _province_canon, "province"),
        (hints.district, t.district[p], _district_canon, "district"),
    ):
        if hint and value is not None and known_area(value, level) is None:
            key = normalize_name(value)
            if canon().get(key, key) != hint:
                return None
            score += 1
    if hints.region is not None:
        fit = hints.region.fit(c)
        if fit is None:
            return None
        score += fit
    return score


def _representative(group: list[Candidate], want: str | None) -> Candidate:
    """Pick the answer among candidates that stand on one spot (a district and its HQ town)."""
    districts = [c for c in group if c.kind == "district"]
    others = [c for c in group if c.kind != "district"]
    if not districts or not others:
        return group[0]
    if want == DISTRICT:
        return districts[0]
    if want == TOWN:
        return others[0]
    # "Quetta" is the town (and the district named after it); "Kech" and "Bolan" name
    # the district whose headquarters happens to be here.
    town_keys = {normalize_name(c.name) for c in others}
    if any(normalize_name(d.name) in town_keys for d in districts):
        return others[0]
    return districts[0]


def _kind_rank(c: Candidate, want: str | None) -> int:
    if want == DISTRICT:
        return 0 if c.kind == "district" else 1
    if want == TOWN:
        return 0 if c.kind not in ("district", "province", "country") else 1
    if c.kind == "district":
        # A curated district (point at its headquarters) is right whether the reporter
        # meant the district or a town of that name inside it; a dump's ADM2 point is not.
        return 0 if c.district_hq else 2
    return 1


def choose(
    cands: list[Candidate], hints: Hints, want: str | None
) -> tuple[Candidate, list[Candidate]] | None:
    """Return the best candidate and the other places still in the running, or None."""
    kept = []
    for c in cands:
        agreement = hint_agreement(c, hints)
        if agreement is not None:
            c.agreement = agreement
            kept.append(c)
    if not kept:
        return None
    kept.sort(key=lambda c: (-c.agreement, -c.score, c.alias, c.weak, -c.population, -c.support))
    groups: list[list[Candidate]] = []
    for c in kept:
        here = c.latlon
        for g in groups:
            if haversine_km(*g[0].latlon, *here) <= SAME_PLACE_KM:
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


def settle(
    picks: Iterable[tuple[Candidate, list[Candidate]]], want: str | None = None
) -> tuple[Candidate, list[Candidate]] | None:
    """Return the first table's pick, unless it is weak or of the wrong kind.

    A weak pick (a learned place on few rows), or a district for a name that
    says "town" ("Chagai town" when a learned table only knows Chagai
    district's centroid), waits for the tables below: the first sound pick
    that fits the hints at least as well wins; if none does, the first answers.
    """
    fallback = None
    for chosen in picks:
        if fallback is not None and chosen[0].agreement < fallback[0].agreement:
            continue
        best = chosen[0]
        coarse_for_town = want == TOWN and best.kind in ("district", "province", "country")
        if not best.weak and not coarse_for_town:
            return chosen
        if fallback is None:
            fallback = chosen
    return fallback
