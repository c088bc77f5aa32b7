"""Administrative areas: which country, province and district a point lies in, and the reverse.

This module owns the polygons of areas and every question answered with them:

- point -> country, province, district, for one point (:meth:`Areas.at`) or a
  million (:meth:`Areas.locate`);
- an area by name, forgiving about case, punctuation, spacing and the usual
  spelling variants, with its aliases and former names (:meth:`Areas.lookup`);
  a district implies its province and country, a province its country;
- neighbours (areas of the same level that touch) and the districts carved
  out of others since older tables were made (:attr:`Area.carved_from`);
- whether points lie inside an area, or in an area next to it
  (:meth:`Areas.contains`), and how far they lie from it
  (:meth:`Areas.distance_km`);
- boundaries users bring for other countries (:meth:`Areas.from_file`),
  combined with the bundled ones (:meth:`Areas.combine`).

The bundled areas (``data/areas/``, rebuilt by ``scripts/build_areas.py``) are
Pakistan's 160 districts and 7 provinces from OCHA's COD-AB 2022 and the
world's countries from Natural Earth (1:50m), stored as TopoJSON. Inside
Pakistan the district polygons decide the country too, so the three answers
for a point never contradict each other where Natural Earth's border and
OCHA's differ by a few hundred metres.
"""

from __future__ import annotations

import csv
import functools
import html
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mapper.errors import InputError, UsageError
from mapper.geo import EARTH_RADIUS_KM
from mapper.resources import data_path

if TYPE_CHECKING:
    import geopandas as gpd
    import numpy as np
    import pandas as pd

__all__ = ["LEVELS", "Area", "Areas", "area_key", "bundled_admin_extent"]

#: The levels of areas, broadest first.
LEVELS: tuple[str, ...] = ("country", "province", "district")

#: Credit lines for the bundled sources, by source name.
CREDITS: dict[str, str] = {
    "OCHA": "Boundaries: OCHA / WFP, COD-AB Pakistan 2022",
    "Natural Earth": "Country outlines: Natural Earth (public domain)",
}

#: How far (km) outside its stated country a point may lie before :meth:`Areas.check_stated`
#: reports it: Natural Earth's 1:50m borders are drawn to a few km.
COUNTRY_TOLERANCE_KM = 25.0
#: The same for a stated province (OCHA's outlines are drawn to about 200 m; points coded at a
#: town near a border need some room).
PROVINCE_TOLERANCE_KM = 25.0
#: How far (km) outside its stated district, and every district next to it, a point may lie:
#: along Pakistan's borders OCHA's outlines and Natural Earth's disagree by a km or two, and a
#: point coded at a border town can fall between them.
DISTRICT_TOLERANCE_KM = 5.0
# Neighbours: areas whose outlines come this close (degrees, about 50 m) touch;
# user files rarely share their edges exactly.
_TOUCH_DEG = 5e-4
# Point location: cell size of the grid (degrees), and the states of a cell.
_CELL_DEG = 0.05
_EMPTY, _MIXED = -1, -2
# Groups (FATA, Karachi) are made of districts.
_GROUP_OF = "district"
_KM_PER_DEG = EARTH_RADIUS_KM * 3.141592653589793 / 180.0

# --- names ------------------------------------------------------------------------

_APOSTROPHES = re.compile(r"['’‘`´ʼʻʿʾ]")
_NON_WORD = re.compile(r"[\W_]+")
_MARKS = re.compile("[\u0300-\u036f]")
# One spelling for transliteration variants of a word (Killa/Qila Abdullah, Dera/D.).
_WORD_VARIANTS = {
    "qila": "killa",
    "qilla": "killa",
    "kila": "killa",
    "qilah": "killa",
    "and": "",  # "Azad Jammu and Kashmir" = "Azad Jammu & Kashmir"
}
# Words that say what kind of area a name is, not which one.
_KIND_WORDS = frozenset({"district", "province", "agency", "division", "territory"})


def area_key(name: object) -> str:
    """Return the lookup key of an area name: case, accents, spaces and punctuation ignored.

    Examples
    --------
    >>> area_key("Las Bela") == area_key("LASBELA")
    True
    >>> area_key("Qila Abdullah") == area_key("Killa-Abdullah District")
    True
    >>> area_key("D. I. Khan") == area_key("DI Khan")
    True
    """
    if not isinstance(name, str):
        return ""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = _MARKS.sub("", _APOSTROPHES.sub("", text))
    words = [_WORD_VARIANTS.get(w, w) for w in _NON_WORD.sub(" ", text).split()]
    # "Khyber Agency" is Khyber, but a name made only of such a word stays itself.
    kept = [w for w in words if w not in _KIND_WORDS] or words
    return "".join(kept)


# --- the data files -----------------------------------------------------------------


def _decode_topojson(topo: dict, name: str, *, repair: bool = True) -> list[tuple[dict, Any]]:
    """Return ``(properties, shapely geometry)`` for each geometry of object ``name``.

    ``repair`` makes invalid polygons valid (Natural Earth's Russia, Fiji and
    Antarctica cross themselves where they are cut at the antimeridian; the
    coarse level's Indus delta does after simplification).
    """
    import numpy as np
    import shapely

    transform = topo.get("transform")
    arcs = []
    for arc in topo["arcs"]:
        a = np.asarray(arc, dtype=float)
        if transform is not None:
            # Quantized arcs are delta-encoded integers.
            a = np.cumsum(a, axis=0) * transform["scale"] + transform["translate"]
        arcs.append(a)

    def ring(indices: list[int]) -> Any:
        parts = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in indices]
        # Consecutive arcs share their end point.
        coords = np.concatenate([parts[0]] + [p[1:] for p in parts[1:]])
        return coords

    out = []
    for g in topo["objects"][name]["geometries"]:
        kind = g.get("type")
        if kind == "Polygon":
            polygons = [g["arcs"]]
        elif kind == "MultiPolygon":
            polygons = g["arcs"]
        else:
            polygons = []
        parts = []
        for rings in polygons:
            coords = [ring(r) for r in rings]
            if len(coords[0]) >= 4:
                parts.append(shapely.Polygon(coords[0], [c for c in coords[1:] if len(c) >= 4]))
        geom = shapely.MultiPolygon(parts) if len(parts) != 1 else parts[0]
        if repair and not geom.is_valid:
            geom = _polygonal(shapely.make_valid(geom))
        out.append((g.get("properties") or {}, geom))
    return out


def _polygonal(geom: Any) -> Any:
    """Return the polygonal part of ``geom`` (make_valid may add stray lines or points)."""
    import shapely

    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.MultiPolygon()


def _read_topojson(*parts: str) -> dict:
    with open(data_path("areas", *parts), encoding="utf-8") as fh:
        return json.load(fh)


def _read_csv(name: str) -> list[dict[str, str]]:
    with open(data_path("areas", name), encoding="utf-8", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


# --- one area ------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Area:
    """One country, province or district (or a named group of districts such as FATA).

    ``country`` and ``province`` are the names of the areas it lies in (a
    province's ``province`` is its own name, a country's ``country`` too);
    ``code`` is the P-code or ISO 3166 alpha-2 code; ``members`` lists the
    areas a group is made of. Geometry is in WGS84 longitude/latitude.
    """

    name: str
    level: str
    country: str | None
    province: str | None
    code: str | None
    source: str
    geometry: Any = field(repr=False)
    members: tuple[str, ...] = ()
    _areas: Areas | None = field(default=None, repr=False, compare=False)
    _id: int = field(default=-1, repr=False, compare=False)

    @property
    def district(self) -> str | None:
        """The district's name, for a district; None otherwise."""
        return self.name if self.level == "district" else None

    @property
    def neighbours(self) -> tuple[Area, ...]:
        """The areas of the same level whose outlines touch this one's, by name."""
        return self._owner().neighbours(self)

    @property
    def carved_from(self) -> tuple[Area, ...]:
        """The districts this one was carved out of (Duki from Loralai), per ``lineage.csv``."""
        return self._owner().carved_from(self)

    @property
    def carved_out(self) -> tuple[Area, ...]:
        """The districts carved out of this one since older tables were made."""
        return self._owner().carved_out(self)

    @property
    def lineage(self) -> tuple[Area, ...]:
        """The districts one with this one by lineage (carved from it, or it from them).

        An older table names the parent where a newer one names the child.
        """
        return (*self.carved_from, *self.carved_out)

    def _owner(self) -> Areas:
        if self._areas is None:
            raise UsageError(f"area {self.name!r} was made outside an Areas collection")
        return self._areas

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Area) and (self.name, self.level, self.country, self.code) == (
            other.name,
            other.level,
            other.country,
            other.code,
        )

    def __hash__(self) -> int:
        return hash((self.name, self.level, self.country, self.code))

    def __str__(self) -> str:
        parts = [self.name]
        if self.level == "district" and self.province:
            parts.append(self.province)
        if self.level != "country" and self.country:
            parts.append(self.country)
        return ", ".join(parts)


# --- the collection --------------------------------------------------------------------


class Areas:
    """A collection of areas at the levels country, province and district.

    Build one with :meth:`bundled` (cached) or :meth:`from_file`, and join
    collections with :meth:`combine`; areas of a later collection win where
    polygons overlap and where names collide.

    Examples
    --------
    >>> areas = Areas.bundled()
    >>> areas.at(30.19, 67.01).name
    'Quetta'
    >>> str(areas.lookup("Qila Abdullah"))
    'Killa Abdullah, Balochistan, Pakistan'
    """

    def __init__(
        self,
        areas: Sequence[Area],
        *,
        aliases: Iterable[tuple[str, str, str]] = (),
        lineage: Iterable[tuple[str, str]] = (),
        notes: Iterable[str] = (),
    ) -> None:
        # Rebind every area to this collection, keeping its position as its id.
        self._areas: list[Area] = [
            Area(
                a.name,
                a.level,
                a.country,
                a.province,
                a.code,
                a.source,
                a.geometry,
                a.members,
                _areas=self,
                _id=i,
            )
            for i, a in enumerate(areas)
        ]
        self._aliases = list(aliases)
        self._lineage = list(lineage)
        #: What was repaired or assumed while reading user files, one line each.
        self.notes: list[str] = list(notes)
        # Names and aliases first; codes ("GB") only where no name or alias is spelled so.
        self._index: dict[str, list[int]] = {}
        self._codes: dict[str, list[int]] = {}
        for a in self._areas:
            if a.code:
                self._codes.setdefault(area_key(a.code), []).append(a._id)
            self._index.setdefault(area_key(a.name), []).append(a._id)
        for level, name, alias in self._aliases:
            for a in self._find(name, level):
                ids = self._index.setdefault(area_key(alias), [])
                if a._id not in ids:
                    ids.append(a._id)
        # Later collections win overlaps and shared names: rank areas by their source's order.
        order: dict[str, int] = {}
        for a in self._areas:
            order.setdefault(a.source, len(order))
        self._rank = [order[a.source] for a in self._areas]
        self._ancestors: dict[str, Any] = {}
        self._trees: dict[str, Any] = {}
        self._neighbours: dict[int, tuple[int, ...]] = {}
        self._allowed: dict[tuple[int, str], Any] = {}

    # -- construction ---------------------------------------------------------------

    @classmethod
    def bundled(cls) -> Areas:
        """Return the bundled areas (loaded once, then cached)."""
        return _bundled()

    @classmethod
    def from_file(
        cls,
        path: str | Path,
        *,
        name_column: str,
        parent_column: str | None = None,
        level: str = "district",
        country: str | None = None,
    ) -> Areas:
        """Read user boundaries from a GeoPackage, GeoJSON or Shapefile.

        Parameters
        ----------
        path : str or Path
            The file (read with pyogrio; any format GDAL reads works).
        name_column : str
            The column holding each area's name.
        parent_column : str, optional
            The column holding the name of the area each one lies in (a
            district's province, a province's country). Parents that are not
            features of the file become areas too, the union of their parts.
        level : {"district", "province", "country"}
            The level of the file's areas.
        country : str, optional
            The country of every area, when the file has no such column;
            otherwise each area's country is where its interior point lies
            among the bundled countries.

        Raises
        ------
        InputError
            The file cannot be read, has no features, lacks the name column,
            or a feature has no name or no polygon; the message names the file
            and the feature. Invalid polygons are repaired and other CRSs
            reprojected to WGS84; :attr:`notes` says so.
        """
        return _from_file(
            Path(path),
            name_column=name_column,
            parent_column=parent_column,
            level=level,
            country=country,
        )

    def with_files(
        self,
        *paths: str | Path,
        name_column: str,
        parent_column: str | None = None,
        level: str = "district",
        country: str | None = None,
    ) -> Areas:
        """Return these areas combined with user boundary files (see :meth:`from_file`)."""
        return self.combine(
            *(
                Areas.from_file(
                    p,
                    name_column=name_column,
                    parent_column=parent_column,
                    level=level,
                    country=country,
                )
                for p in paths
            )
        )

    def combine(self, *others: Areas) -> Areas:
        """Return a collection of these areas and ``others``'; later ones win overlaps and names."""
        areas = list(self._areas)
        aliases = list(self._aliases)
        lineage = list(self._lineage)
        notes = list(self.notes)
        for o in others:
            areas += o._areas
            aliases += o._aliases
            lineage += o._lineage
            notes += o.notes
        return Areas(areas, aliases=aliases, lineage=lineage, notes=notes)

    # -- what is in it ----------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._areas)

    def __iter__(self):
        return iter(self._areas)

    def __repr__(self) -> str:
        return f"<Areas: {self.summary()}>"

    def aliases_of(self, area: Area | str) -> tuple[str, ...]:
        """Return the other names ``area`` is known by ("Bolan" for Kachhi), in file order."""
        a = self._area(area)
        found: list[str] = []
        for level, name, alias in self._aliases:
            if level == a.level and a in self._find(name, level) and alias not in found:
                found.append(alias)
        return tuple(found)

    def summary(self) -> str:
        """Say how many areas of each level there are, and from which sources."""
        counts = {
            level: sum(1 for a in self._areas if a.level == level and not a.members)
            for level in LEVELS
        }
        sources = sorted({a.source for a in self._areas})
        return (
            ", ".join(f"{n} {_plural(level, n)}" for level, n in counts.items())
            + f" (from {'; '.join(sources)})"
        )

    @property
    def attribution(self) -> list[str]:
        """Credit lines for the sources of these areas."""
        return [CREDITS.get(s, f"Boundaries: {s}") for s in sorted({a.source for a in self})]

    def _repr_html_(self) -> str:
        rows = []
        for level in LEVELS:
            names = [a.name for a in self._areas if a.level == level and not a.members]
            sample = ", ".join(names[:6]) + (", ..." if len(names) > 6 else "")
            rows.append(
                f"<tr><td>{level}</td><td>{len(names)}</td><td>{html.escape(sample)}</td></tr>"
            )
        credits = "<br>".join(html.escape(c) for c in self.attribution)
        return (
            "<table><thead><tr><th>level</th><th>areas</th><th>e.g.</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table><small>{credits}</small>"
        )

    def to_frame(self, level: str | None = None, *, detail: str = "full") -> gpd.GeoDataFrame:
        """Return the areas (of one level, or all) as a GeoDataFrame in EPSG:4326.

        ``detail="coarse"`` gives the bundled Pakistan areas simplified for
        drawing (about 1 km); other areas are the same in both.
        """
        import geopandas as gpd

        if detail not in ("full", "coarse"):
            raise UsageError(f"detail should be 'full' or 'coarse', got {detail!r}")
        chosen = [a for a in self._areas if (level is None or a.level == level) and not a.members]
        coarse = _coarse_geometries() if detail == "coarse" else {}
        geoms = [
            coarse.get((a.level, a.code), a.geometry)
            if detail == "coarse" and a.source == "OCHA"
            else a.geometry
            for a in chosen
        ]
        return gpd.GeoDataFrame(
            {
                "name": [a.name for a in chosen],
                "level": [a.level for a in chosen],
                "province": [a.province for a in chosen],
                "country": [a.country for a in chosen],
                "code": [a.code for a in chosen],
                "source": [a.source for a in chosen],
            },
            geometry=geoms,
            crs="EPSG:4326",
        )

    # -- names --------------------------------------------------------------------------

    def _find(self, name: object, level: str | None = None) -> list[Area]:
        key = area_key(name)
        for index in (self._index, self._codes):
            found = [
                self._areas[i]
                for i in index.get(key, [])
                if level is None or self._areas[i].level == level
            ]
            if found:
                return found
        return []

    def lookup(
        self, name: object, *, level: str | None = None, within: Area | str | None = None
    ) -> Area | None:
        """Return the area called ``name`` (or one of its aliases), or None if there is none.

        Case, accents, spaces and punctuation do not count, nor do words such
        as "district" or "agency". ``level`` restricts the answer to one level;
        ``within`` to the areas inside a province or country. Without a level,
        the broadest area of that name wins ("Islamabad" is the capital
        territory, not the district inside it). A name still shared by several
        areas of one level (in different countries, say) returns None:
        :meth:`lookup_all` lists them.
        """
        if level is not None and level not in LEVELS:
            raise UsageError(f"level should be one of {', '.join(LEVELS)}, got {level!r}")
        found = self.lookup_all(name, level=level, within=within)
        if not found:
            return None
        broadest = min(LEVELS.index(a.level) for a in found)
        found = [a for a in found if LEVELS.index(a.level) == broadest]
        # The last collection combined wins a name it shares with an earlier one.
        sources = {a.source for a in found}
        if len(sources) > 1:
            last = found[-1].source
            found = [a for a in found if a.source == last]
        return found[0] if len(found) == 1 else None

    def lookup_all(
        self, name: object, *, level: str | None = None, within: Area | str | None = None
    ) -> list[Area]:
        """Return every area called ``name`` or aliased so (see :meth:`lookup`)."""
        found = self._find(name, level)
        if within is not None:
            outer = within if isinstance(within, Area) else self.lookup(within)
            if outer is None:
                return []
            found = [a for a in found if _inside(a, outer)]
        return found

    def lookup_many(
        self, names: Iterable[object], *, level: str | None = None
    ) -> list[Area | None]:
        """Return :meth:`lookup` of each name, looking each distinct name up once."""
        import pandas as pd

        # Tables repeat a few names over many rows: fold each distinct value once. A column
        # is factorised as it is: list() of a million Arrow-backed cells costs about a second.
        values = names if isinstance(names, pd.Series) else pd.Series(list(names), dtype=object)
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        cache: dict[str, Area | None] = {}
        found: list[Area | None] = []
        for name in uniques:
            key = area_key(name)
            if key not in cache:
                cache[key] = self.lookup(name, level=level) if key else None
            found.append(cache[key])
        return [None if c < 0 else found[c] for c in codes]  # None, NaN: no name

    def _area(self, area: Area | str) -> Area:
        if isinstance(area, Area):
            if area._areas is not self:
                found = [a for a in self._find(area.name, area.level) if a == area]
                if not found:
                    raise UsageError(f"area {area.name!r} is not in this collection")
                return found[0]
            return area
        found = self.lookup(area)
        if found is None:
            raise UsageError(f"no area called {area!r}")
        return found

    # -- relations ------------------------------------------------------------------------

    def neighbours(self, area: Area | str) -> tuple[Area, ...]:
        """Return the areas of the same level that touch ``area`` (groups: touch a member)."""
        a = self._area(area)
        if a._id not in self._neighbours:
            self._neighbours[a._id] = self._touching(a)
        return tuple(self._areas[i] for i in self._neighbours[a._id])

    def _touching(self, a: Area) -> tuple[int, ...]:
        # A group's neighbours are the districts next to its members.
        ids, tree = self._tree(_GROUP_OF if a.members else a.level)
        hits = tree.query(a.geometry, predicate="dwithin", distance=_TOUCH_DEG)
        members = {m._id for m in self._members(a)}
        out = []
        for i in sorted(int(ids[h]) for h in hits):
            if i != a._id and i not in members:
                out.append(i)
        return tuple(out)

    def _members(self, a: Area) -> list[Area]:
        if not a.members:
            return [a]
        return [m for name in a.members for m in self._find(name, _GROUP_OF)[:1] if not m.members]

    def carved_from(self, area: Area | str) -> tuple[Area, ...]:
        """Return the districts ``area`` was carved out of, per ``lineage.csv``."""
        a = self._area(area)
        key = area_key(a.name)
        return tuple(
            p
            for child, parent in self._lineage
            if area_key(child) == key
            for p in self._find(parent, a.level)[:1]
        )

    def carved_out(self, area: Area | str) -> tuple[Area, ...]:
        """Return the districts carved out of ``area``, per ``lineage.csv``."""
        a = self._area(area)
        key = area_key(a.name)
        return tuple(
            c
            for child, parent in self._lineage
            if area_key(parent) == key
            for c in self._find(child, a.level)[:1]
        )

    # -- points -----------------------------------------------------------------------------

    def _tree(self, level: str) -> tuple[np.ndarray, Any]:
        """Return (area ids, STRtree) over the polygons of one level (groups left out)."""
        if level not in self._trees:
            import numpy as np
            import shapely

            ids = np.array(
                [a._id for a in self._areas if a.level == level and not a.members], dtype=np.int64
            )
            geoms = [self._areas[i].geometry for i in ids]
            shapely.prepare(geoms)
            self._trees[level] = (ids, shapely.STRtree(geoms))
        return self._trees[level]

    def _grid(self, level: str) -> _Grid | None:
        """Return the point-location grid of one level, or None if nothing needs searching.

        A province that has districts is left out: a point outside every
        district is outside it too.
        """
        key = "grid:" + level
        if key not in self._trees:
            skip = set()
            if level == "province":
                skip = {self._ancestor(a, "province") for a in self._areas if a.level == "district"}
            ids = [
                a._id
                for a in self._areas
                if a.level == level and not a.members and a._id not in skip
            ]
            overlaps = len({self._rank[i] for i in ids}) > 1
            geoms = [self._areas[i].geometry for i in ids]
            self._trees[key] = _Grid(ids, geoms, overlaps=overlaps) if ids else None
        return self._trees[key]

    def at(self, lat: float, lon: float) -> Area | None:
        """Return the deepest area at one point (district, else province, else country), or None."""
        import shapely

        point = shapely.Point(lon, lat)
        for level in reversed(LEVELS):
            ids, tree = self._tree(level)
            hits = [int(ids[h]) for h in tree.query(point, predicate="intersects")]
            if hits:
                # The last collection combined wins an overlap; in one collection, the first.
                best = max(hits, key=lambda i: (self._rank[i], -i))
                return self._areas[best]
        return None

    def locate(self, lats: Any, lons: Any) -> pd.DataFrame:
        """Return the country, province and district of each point, vectorised.

        Parameters
        ----------
        lats, lons : array-like
            Decimal degrees, WGS84; NaN gives no area.

        Returns
        -------
        pandas.DataFrame
            Columns ``country``, ``province``, ``district`` (categoricals, NaN
            where a point lies in no area of that level), one row per point in
            the order given. A point in a district takes its province and
            country from that district.
        """
        import numpy as np
        import pandas as pd

        deepest = self.locate_ids(lats, lons)
        out = {}
        for level in LEVELS:
            ids = self._up(deepest, level)
            cats = sorted({a.name for a in self._areas if a.level == level and not a.members})
            position = {name: i for i, name in enumerate(cats)}
            # Area id -> category code (-1 for no area), then one gather for all points.
            table = np.array([position.get(a.name, -1) for a in self._areas] + [-1], dtype=np.int64)
            out[level] = pd.Categorical.from_codes(table[ids], categories=cats)
        ids = self._up(deepest, "country")
        codes = sorted({a.code for a in self._areas if a.level == "country" and a.code})
        position = {code: i for i, code in enumerate(codes)}
        table = np.array([position.get(a.code, -1) for a in self._areas] + [-1], dtype=np.int64)
        out["country_code"] = pd.Categorical.from_codes(table[ids], categories=codes)
        return pd.DataFrame(out)

    def fill_admin(
        self,
        frame: pd.DataFrame,
        *,
        latitude: str = "latitude",
        longitude: str = "longitude",
        precision: str | None = None,
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Fill empty ``country``, ``province`` and ``district`` cells from each row's point.

        A level is filled only where the row's point lies in an area of that
        level and every level the row does state agrees with the point (a row
        naming Iran whose point lies in Balochistan gets no province: that is
        for validation to report, not for this to paper over). Countries are
        written as ISO alpha-2 codes, as the schema has them; provinces and
        districts as this collection names them.

        With ``precision`` (the column holding each row's location precision),
        no level finer than a row's point is filled: a province-level point
        stands somewhere in its province, so the district it happens to fall
        in says nothing about the row.

        Returns
        -------
        (pandas.DataFrame, pandas.DataFrame)
            A copy of ``frame`` with the cells filled (the three columns are
            added if missing), and a boolean frame of the same shape over the
            three columns saying which cells were filled.
        """
        import numpy as np
        import pandas as pd

        out = frame.copy()
        lat = pd.to_numeric(out.get(latitude), errors="coerce")
        lon = pd.to_numeric(out.get(longitude), errors="coerce")
        n = len(out)
        if lat is None or lon is None or not isinstance(lat, pd.Series):
            lat = lon = pd.Series(np.nan, index=out.index)
        where = self.locate(lat.to_numpy(), lon.to_numpy())
        filled = pd.DataFrame(False, index=out.index, columns=list(LEVELS))
        agree = np.ones(n, dtype=bool)
        stated_precision = (
            out[precision] if precision is not None and precision in out.columns else None
        )
        for level in LEVELS:
            if stated_precision is not None and level != "country":
                # Points this coarse stand for an area broader than this level.
                broader = ("country",) if level == "province" else ("country", "province")
                agree &= ~stated_precision.isin(broader).to_numpy()
            if level not in out.columns:
                out[level] = pd.Series(None, index=out.index, dtype=object)
            # Work on category codes: a million rows hold a few hundred names.
            located = where[level].cat
            found = located.codes.to_numpy()
            position = {name: i for i, name in enumerate(located.categories)}
            shown = where["country_code"].cat if level == "country" else located
            shown_codes = shown.codes.to_numpy()
            values = np.asarray(shown.categories, dtype=object)
            codes, uniques = pd.factorize(out[level])
            text = [str(u).strip() for u in uniques]
            empty = np.array([t == "" for t in text] + [True])[codes]
            looked_up = self.lookup_many([t or None for t in text], level=level)
            stated = np.array([position.get(a.name, -2) if a else -2 for a in looked_up] + [-2])
            todo = empty & (found >= 0) & (shown_codes >= 0) & agree
            if todo.any():
                column = out[level].to_numpy(dtype=object, copy=True)
                column[todo] = values[shown_codes[todo]]
                out[level] = column
                filled[level] = todo
            # A stated name the point contradicts (or that is unknown) stops the levels below.
            agree &= empty | (stated[codes] == found)
        return out, filled

    def check_stated(
        self,
        lats: Any,
        lons: Any,
        *,
        country: Any = None,
        province: Any = None,
        district: Any = None,
        province_km: float = PROVINCE_TOLERANCE_KM,
        country_km: float = COUNTRY_TOLERANCE_KM,
        district_km: float = DISTRICT_TOLERANCE_KM,
    ) -> pd.DataFrame:
        """Say, row by row, whether each point lies where its stated areas are.

        A point passes its district when it lies in it or in a district
        touching it (see :meth:`contains`: tables name the parent of a
        district carved out since), or within ``district_km`` of it; its
        province or country when it lies within ``province_km`` or
        ``country_km`` of it (a province's neighbours are whole provinces,
        far too wide a tolerance). The broadest level that fails is
        reported, once.

        Parameters
        ----------
        lats, lons : array-like
            Decimal degrees.
        country, province, district : array-like of str, optional
            The names each row states (empty or None: not stated).
        province_km, country_km, district_km : float
            How far outside its stated province, country or district (and the
            districts next to it) a point may lie.

        Returns
        -------
        pandas.DataFrame
            Columns ``problem`` (a one-line reason, "" where the point fits) and
            ``unknown`` (a one-line warning naming a stated area mapper does not
            know, "" otherwise; the caller reports each value once), one row per
            point.
        """
        import numpy as np
        import pandas as pd

        lat = np.asarray(lats, dtype=float).ravel()
        lon = np.asarray(lons, dtype=float).ravel()
        n = lat.size
        problem = np.full(n, "", dtype=object)
        unknown = np.full(n, "", dtype=object)
        has_point = np.isfinite(lat) & np.isfinite(lon)
        looked: dict[str, tuple[np.ndarray, np.ndarray, list[str]]] = {}
        for level, stated in (("country", country), ("province", province), ("district", district)):
            if stated is None:
                continue
            # A column is factorized as it is (list() of Arrow-backed cells costs time).
            names = (
                stated if isinstance(stated, pd.Series) else pd.Series(list(stated), dtype=object)
            )
            if len(names) != n:
                raise UsageError(f"got {len(names)} {level} names for {n} points")
            # Tables repeat a few names over many rows: each distinct one is looked up once,
            # and rows carry its position (-1 for no name, which the extra last entry answers).
            codes, uniques = pd.factorize(names, use_na_sentinel=True)
            text = [str(u).strip() for u in uniques]
            found = [self.lookup(t, level=level) if area_key(t) else None for t in text]
            ids = np.array([-1 if a is None else a._id for a in found] + [-1], dtype=np.int64)
            warning = [
                f"{level} {t!r} is not an area mapper knows; not checked" if t and a is None else ""
                for t, a in zip(text, found, strict=True)
            ]
            said = np.array([*warning, ""], dtype=object)[codes]
            unknown = np.where(unknown == "", said, unknown)
            looked[level] = (ids[codes], codes, text)
        if "district" in looked:
            # A row whose district does not lie in its stated province (or country) holds a
            # source error in one of them; the district, the finer statement, is checked, as
            # hints use the deepest area they name.
            d_ids, d_codes, d_text = looked["district"]
            known = d_ids >= 0
            for level in ("country", "province"):
                if level not in looked:
                    continue
                ids, codes, text = looked[level]
                up = np.full(n, -1, dtype=np.int64)
                up[known] = self._up(d_ids[known], level)
                clash = known & (ids >= 0) & (up != ids)
                for i in np.flatnonzero(clash & (unknown == "")).tolist():
                    unknown[i] = (
                        f"district {d_text[d_codes[i]]!r} does not lie in the {level} "
                        f"{text[codes[i]]!r}; the point was checked against the district"
                    )
                looked[level] = (np.where(clash, -1, ids), codes, text)
        for level in ("country", "province", "district"):
            if level not in looked:
                continue
            ids, codes, text = looked[level]
            todo = has_point & (problem == "") & (ids >= 0)
            if not todo.any():
                continue
            rows = np.flatnonzero(todo)
            allowed = {"country": country_km, "province": province_km, "district": district_km}
            beyond = f"; expected within {allowed[level]:g} km"
            if level == "district":
                # A district's neighbours count as inside; the distance only past them.
                inside = self._inside(ids[rows], lat[rows], lon[rows], "neighbours")
                beyond = f" and the districts next to it{beyond}"
            else:
                inside = self._inside(ids[rows], lat[rows], lon[rows], allowed[level])
            # The distances, one call per area: its outline is merged once, not per row.
            outside: dict[int, list[int]] = {}
            for i in rows[~inside].tolist():
                outside.setdefault(int(ids[i]), []).append(i)
            for area_id, where in outside.items():
                kms = self.distance_km(self._areas[area_id], lat[where], lon[where])
                for i, km in zip(where, kms, strict=True):
                    if km <= allowed[level]:
                        continue  # within the outlines' own imprecision
                    problem[i] = (
                        f"point ({lat[i]:g}, {lon[i]:g}) lies {km:.0f} km outside the {level} "
                        f"{text[codes[i]]!r}{beyond}"
                    )
        return pd.DataFrame({"problem": problem, "unknown": unknown})

    def _up(self, ids: np.ndarray, level: str) -> np.ndarray:
        """Map area ids (``len(self)`` for none) to the ids of their ancestors at ``level``."""
        import numpy as np

        if level not in self._ancestors:
            table = [self._ancestor(a, level) for a in self._areas] + [len(self)]
            self._ancestors[level] = np.array(table, dtype=np.int64)
        return self._ancestors[level][ids]

    def _ancestor(self, a: Area, level: str) -> int:
        if a.level == level:
            return a._id
        if LEVELS.index(a.level) < LEVELS.index(level):
            return len(self)
        name = a.province if level == "province" else a.country
        found = [
            b
            for b in self._find(name, level)
            if not b.members and (level == "country" or b.country == a.country)
        ]
        return found[-1]._id if found else len(self)

    def ancestor(self, area: Area | str, level: str) -> Area | None:
        """Return the area of ``level`` that ``area`` lies in (a district's province), or None."""
        i = self._ancestor(self._area(area), level)
        return self._areas[i] if i < len(self) else None

    def locate_ids(self, lats: Any, lons: Any) -> np.ndarray:
        """Return the id of the deepest area at each point (``len(self)`` where none).

        Points are deduplicated first (tables repeat the same few thousand
        coordinates), then each level is queried only for the points the
        deeper levels left unplaced.
        """
        import numpy as np
        import pandas as pd

        lat = np.asarray(lats, dtype=float).ravel()
        lon = np.asarray(lons, dtype=float).ravel()
        if lat.shape != lon.shape:
            raise UsageError(f"got {lat.size} latitudes and {lon.size} longitudes")
        out = np.full(lat.size, len(self), dtype=np.int64)
        ok = np.isfinite(lat) & np.isfinite(lon)
        if not ok.any():
            return out
        # Hash-based, so a million points cost a fraction of a sort.
        inverse, unique = pd.factorize(lon[ok] + 1j * lat[ok])
        x, y = unique.real, unique.imag
        found = np.full(len(unique), len(self), dtype=np.int64)
        todo = np.arange(len(unique))
        rank = np.array(self._rank, dtype=np.int64)
        for level in reversed(LEVELS):
            grid = self._grid(level)
            if todo.size == 0 or grid is None:
                continue
            found[todo] = grid.locate(x[todo], y[todo], rank, missing=len(self))
            todo = todo[found[todo] == len(self)]
        out[ok] = found[inverse]
        return out

    def contains(
        self,
        areas: Area | str | Sequence[Area | str | None],
        lats: Any,
        lons: Any,
        *,
        tolerance: str | float | None = None,
    ) -> pd.arrays.BooleanArray:
        """Say whether each point lies in its area.

        Parameters
        ----------
        areas : Area, str, or a sequence of them (one per point; None for none)
            One area for every point, or each point's own (a table's district
            column looked up with :meth:`lookup_many`).
        lats, lons : array-like
            Decimal degrees, WGS84.
        tolerance : None, "neighbours" or float
            None: inside the area (its outline included). "neighbours": inside
            the area or one of the same level touching it, which forgives a
            table that names the parent of a district carved out since, or a
            point a few hundred metres across a border. A number: within that
            many km of the area.

        Returns
        -------
        pandas BooleanArray
            NA where a point has no area or no coordinates.
        """
        import numpy as np
        import pandas as pd

        lat = np.asarray(lats, dtype=float).ravel()
        lon = np.asarray(lons, dtype=float).ravel()
        n = lat.size
        if isinstance(areas, (Area, str)):
            ids = np.full(n, self._area(areas)._id, dtype=np.int64)
        else:
            per_point = [None if a is None else self._area(a) for a in areas]
            if len(per_point) != n:
                raise UsageError(f"got {len(per_point)} areas for {n} points")
            ids = np.array([-1 if a is None else a._id for a in per_point], dtype=np.int64)
        known = (ids >= 0) & np.isfinite(lat) & np.isfinite(lon)
        result = np.zeros(n, dtype=bool)
        result[known] = self._inside(ids[known], lat[known], lon[known], tolerance)
        return pd.array(np.where(known, result, None), dtype="boolean")

    def _inside(
        self, ids: np.ndarray, lat: np.ndarray, lon: np.ndarray, tolerance: str | float | None
    ) -> np.ndarray:
        """Return :meth:`contains` for points with coordinates, each given its area's id."""
        import numpy as np
        import shapely

        by_km = isinstance(tolerance, (int, float)) and not isinstance(tolerance, bool)
        if not by_km and tolerance not in (None, "neighbours"):
            raise UsageError(
                f"tolerance should be None, 'neighbours' or a distance in km, got {tolerance!r}"
            )
        result = np.zeros(ids.size, dtype=bool)
        order = np.argsort(ids, kind="stable")
        for s, e in _runs(ids[order]):
            rows = order[s:e]
            a = self._areas[int(ids[rows[0]])]
            # Each part is tested on its own (prepared once, kept with the area): merging an
            # area with its neighbours costs far more than the few points that reach them.
            inside = _in_any(self._members(a), lon[rows], lat[rows])
            out = ~inside
            if tolerance == "neighbours" and out.any():
                inside[out] = _in_any(self.neighbours(a), lon[rows[out]], lat[rows[out]])
            elif by_km and out.any():
                # Inside needs no distance; only the points outside are measured. A point
                # within that many degrees is within that many km (distance_km shrinks the
                # east-west part), and that test is far cheaper than measuring; the margin
                # keeps float ties on the measured side.
                degrees = float(tolerance) / _KM_PER_DEG * (1 - 1e-9)
                pts = shapely.points(lon[rows[out]], lat[rows[out]])
                near = np.zeros(pts.size, dtype=bool)
                for m in self._members(a):
                    near |= shapely.dwithin(m.geometry, pts, degrees)
                far = ~near
                if far.any():
                    far_rows = rows[out][far]
                    near[far] = self.distance_km(a, lat[far_rows], lon[far_rows]) <= tolerance
                inside[out] = near
            result[rows] = inside
        return result

    def _allowed_geometry(self, a: Area, tolerance: str | None) -> Any:
        import shapely

        if tolerance not in (None, "neighbours"):
            raise UsageError(
                f"tolerance should be None, 'neighbours' or a distance in km, got {tolerance!r}"
            )
        # The gazetteer's hints buffer these outlines: they are merged, once per area.
        key = (a._id, str(tolerance))
        if key not in self._allowed:
            parts = [m.geometry for m in self._members(a)]
            if tolerance == "neighbours":
                parts += [n.geometry for n in self.neighbours(a)]
            geom = shapely.union_all(parts) if len(parts) > 1 else parts[0]
            shapely.prepare(geom)
            self._allowed[key] = geom
        return self._allowed[key]

    def distance_km(self, area: Area | str, lats: Any, lons: Any) -> np.ndarray:
        """Return the distance in km from each point to ``area`` (0 inside it).

        Measured in a plane scaled to the point's latitude: within 0.5 % of the
        great-circle distance for the tens or hundreds of km these checks use.
        """
        import numpy as np
        import shapely

        a = self._area(area)
        lat = np.asarray(lats, dtype=float).ravel()
        lon = np.asarray(lons, dtype=float).ravel()
        geom = shapely.union_all([m.geometry for m in self._members(a)])
        points = shapely.points(lon, lat)
        nearest = shapely.shortest_line(points, geom)
        coords = shapely.get_coordinates(nearest).reshape(-1, 2, 2)
        # shortest_line of a point inside gives a zero-length line: distance 0 below.
        (lon0, lat0), (lon1, lat1) = coords[:, 0].T, coords[:, 1].T
        out = np.full(lat.size, np.nan)
        valid = ~shapely.is_missing(nearest)
        mid = np.radians((lat0 + lat1) / 2)
        dx = (lon1 - lon0) * np.cos(mid)
        d = np.hypot(dx, lat1 - lat0) * _KM_PER_DEG
        out[valid] = d
        inside = valid.copy()
        inside[valid] = shapely.intersects_xy(geom, lon[valid], lat[valid])
        out[inside] = 0.0
        return out


class _Grid:
    """Point location over one level's polygons: a cell grid first, exact tests at the edges.

    Most points lie well inside an area. The grid remembers, for each cell of
    :data:`_CELL_DEG` degrees that points fell in, whether one polygon holds the
    whole cell (then its points need no test) or none touches it; only points
    in cells an outline crosses are tested against the polygons.
    """

    def __init__(self, ids: list[int], geoms: list[Any], *, overlaps: bool) -> None:
        import numpy as np
        import pandas as pd
        import shapely

        self.overlaps = overlaps
        self.ids = np.asarray(ids, dtype=np.int64)
        self.geoms = np.asarray(geoms, dtype=object)
        shapely.prepare(self.geoms)
        self.tree = shapely.STRtree(self.geoms)
        # The cells classified so far (a hash index over their keys) and their states.
        self.cells = pd.Index(np.empty(0, dtype=np.int64))
        self.states = np.empty(0, dtype=np.int64)

    def locate(self, x: np.ndarray, y: np.ndarray, rank: np.ndarray, *, missing: int) -> Any:
        """Return the area id at each point (``missing`` where none)."""
        import numpy as np
        import pandas as pd

        cx = np.floor((x + 180.0) / _CELL_DEG).astype(np.int64)
        cy = np.floor((y + 90.0) / _CELL_DEG).astype(np.int64)
        cell_of, cells = pd.factorize(cx * 100_000 + cy)
        cells = np.asarray(cells, dtype=np.int64)
        at = self.cells.get_indexer(cells)
        if (at < 0).any():
            self._classify(cells[at < 0])
            at = self.cells.get_indexer(cells)
        state = self.states[at][cell_of]
        out = np.full(x.size, missing, dtype=np.int64)
        whole = state >= 0
        out[whole] = self.ids[state[whole]]
        edge = np.flatnonzero(state == _MIXED)
        if edge.size:
            pt, poly = self._hits(x[edge], y[edge])
            if pt.size:
                area = self.ids[poly]
                # One answer per point: the latest collection, then the first area in it.
                order = np.lexsort((area, -rank[area], pt))
                first = np.ones(order.size, dtype=bool)
                first[1:] = pt[order][1:] != pt[order][:-1]
                chosen = order[first]
                out[edge[pt[chosen]]] = area[chosen]
        return out

    def _classify(self, cells: np.ndarray) -> None:
        import numpy as np
        import pandas as pd
        import shapely

        x0 = (cells // 100_000) * _CELL_DEG - 180.0
        y0 = (cells % 100_000) * _CELL_DEG - 90.0
        boxes = shapely.box(x0, y0, x0 + _CELL_DEG, y0 + _CELL_DEG)
        state = np.full(cells.size, _EMPTY, dtype=np.int64)
        box, poly = self.tree.query(boxes)
        order = np.argsort(poly, kind="stable")
        box, poly = box[order], poly[order]
        # Cells within a polygon's bounding box but not inside it need exact tests
        # (an exact "does the outline cross it" costs more than it saves).
        holders = np.zeros(cells.size, dtype=np.int64)
        near = np.zeros(cells.size, dtype=bool)
        near[box] = True
        for s, e in _runs(poly):
            b = box[s:e]
            b = b[shapely.contains_properly(self.geoms[poly[s]], boxes[b])]
            holders[b] += 1
            state[b] = poly[s]
        state[near & (holders != 1)] = _MIXED
        if self.overlaps:
            # Areas from several collections may overlap: trust only cells one box reaches.
            state[np.bincount(box, minlength=cells.size) > 1] = _MIXED
        self.cells = self.cells.append(pd.Index(cells))
        self.states = np.concatenate([self.states, state])

    def _hits(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return (point, polygon) index pairs where a point lies in (or on) a polygon.

        STRtree's own predicate test would run point.intersects(polygon) and
        walk every vertex; testing each candidate polygon against its points
        with ``intersects_xy`` uses the prepared polygon instead (about 15x
        faster on Natural Earth's countries).
        """
        import numpy as np
        import shapely

        pt, poly = self.tree.query(shapely.points(x, y))
        if pt.size == 0:
            return pt, poly
        order = np.argsort(poly, kind="stable")
        pt, poly = pt[order], poly[order]
        keep = np.zeros(pt.size, dtype=bool)
        for s, e in _runs(poly):
            p = pt[s:e]
            keep[s:e] = shapely.intersects_xy(self.geoms[poly[s]], x[p], y[p])
        return pt[keep], poly[keep]


def _runs(sorted_values: np.ndarray) -> list[tuple[int, int]]:
    """Return (start, end) of each run of equal values in a sorted array."""
    import numpy as np

    if sorted_values.size == 0:
        return []
    starts = np.flatnonzero(np.r_[True, sorted_values[1:] != sorted_values[:-1]])
    ends = np.r_[starts[1:], sorted_values.size]
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def _in_any(areas: Sequence[Area], x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Return whether each point (x: longitude, y: latitude) lies in (or on) any of ``areas``."""
    import numpy as np
    import shapely

    inside = np.zeros(x.size, dtype=bool)
    for a in areas:
        out = ~inside
        if not out.any():
            break
        shapely.prepare(a.geometry)  # once per geometry: a prepared one is left as it is
        inside[out] = shapely.intersects_xy(a.geometry, x[out], y[out])
    return inside


def _inside(a: Area, outer: Area) -> bool:
    if outer.level == "country":
        return a.country == outer.name
    if outer.level == "province":
        return a.province == outer.name and a.country == outer.country
    return a == outer


# --- the bundled areas ---------------------------------------------------------------


# The files the bundled areas are read from: the cache of the decoded areas is keyed by
# their contents.
_BUNDLED_FILES = (
    "world.topo.json",
    "pakistan.topo.json",
    "pakistan-coarse.topo.json",
    "groups.csv",
    "aliases.csv",
    "lineage.csv",
)
# Bump when the layout of the cached areas (see _decode_bundled) changes.
_CACHE_FORMAT = 2


@functools.lru_cache(maxsize=1)
def _bundled() -> Areas:
    records = _bundled_records()
    return _bundled_areas(records, grid=records["district_grid"])


def _bundled_areas(records: dict[str, Any], *, grid: tuple[Any, Any] | None) -> Areas:
    """Build the bundled :class:`Areas` from their records; ``grid`` seeds the district grid."""
    import pandas as pd

    areas = Areas(
        [Area(*fields) for fields in records["areas"]],
        aliases=records["aliases"],
        lineage=records["lineage"],
    )
    if grid is not None:
        # The cells over Pakistan, classified when the cache was built (same answers as
        # classifying them on first use, which costs about 0.1 s per run at 100,000 points).
        districts = areas._grid("district")
        districts.cells, districts.states = pd.Index(grid[0]), grid[1]
    return areas


@functools.lru_cache(maxsize=1)
def _bundled_records() -> dict[str, Any]:
    """Return the bundled areas decoded (see :func:`_decode_bundled`), through the cache.

    Decoding the TopoJSON and repairing its polygons takes about half a
    second; every ``mapper map`` and ``mapper check`` needs the result, so it
    is kept in :func:`mapper.resources.cache_dir` once per version of the data
    (and of shapely, which pickles the geometries).
    """
    import hashlib

    import shapely

    from mapper.resources import cache_dir, load_cached

    digest = hashlib.blake2b(digest_size=8)
    for name in _BUNDLED_FILES:
        digest.update(data_path("areas", name).read_bytes())
    path = cache_dir() / (
        f"areas-{digest.hexdigest()}-shapely{shapely.__version__}-v{_CACHE_FORMAT}.pickle"
    )
    return load_cached(path, _decode_bundled, what="the bundled areas")


def _decode_bundled() -> dict[str, Any]:
    """Decode the bundled areas from ``data/areas/``.

    Returns ``areas`` (the fields of each :class:`Area`, in order), ``aliases``,
    ``lineage``, ``coarse`` (the drawing geometries of the Pakistan areas by
    (level, code)) and ``district_grid`` (the point-location grid's cells over
    the districts' extent, and their states).
    """
    import numpy as np
    import shapely

    areas: list[tuple[Any, ...]] = []
    for props, geom in _decode_topojson(_read_topojson("world.topo.json"), "countries"):
        areas.append(
            (
                props["name"],
                "country",
                props["name"],
                None,
                props.get("code"),
                "Natural Earth",
                geom,
            )
        )
    pakistan = _read_topojson("pakistan.topo.json")
    for obj, level in (("provinces", "province"), ("districts", "district")):
        for props, geom in _decode_topojson(pakistan, obj):
            province = props["province"] if level == "district" else props["name"]
            areas.append(
                (props["name"], level, props["country"], province, props["code"], "OCHA", geom)
            )
    for row in _read_csv("groups.csv"):
        members = tuple(m for m in row["members"].split("|") if m)
        parts = [a[6] for a in areas if a[1] == _GROUP_OF and a[0] in members]
        areas.append(
            (
                row["name"],
                row["level"],
                row["country"],
                row["province"] or None,
                None,
                "OCHA",
                shapely.union_all(parts),
                members,
            )
        )
    coarse = _read_topojson("pakistan-coarse.topo.json")
    records = {
        "areas": areas,
        "aliases": [(r["level"], r["name"], r["alias"]) for r in _read_csv("aliases.csv")],
        "lineage": [(r["district"], r["carved_from"]) for r in _read_csv("lineage.csv")],
        "coarse": {
            (level, props["code"]): geom
            for obj, level in (("provinces", "province"), ("districts", "district"))
            for props, geom in _decode_topojson(coarse, obj)
        },
    }
    # Every cell of the district grid over the districts' extent (about 90,000).
    west, south, east, north = pakistan["bbox"]
    cx = np.arange(np.floor((west + 180.0) / _CELL_DEG), np.floor((east + 180.0) / _CELL_DEG) + 1)
    cy = np.arange(np.floor((south + 90.0) / _CELL_DEG), np.floor((north + 90.0) / _CELL_DEG) + 1)
    cells = (cx.astype(np.int64)[:, None] * 100_000 + cy.astype(np.int64)[None, :]).ravel()
    grid = _bundled_areas(records, grid=None)._grid("district")
    grid._classify(cells)
    records["district_grid"] = (np.asarray(grid.cells, dtype=np.int64), grid.states)
    return records


@functools.lru_cache(maxsize=1)
def bundled_admin_extent() -> tuple[float, float, float, float]:
    """Return (west, south, east, north) of the bundled provinces and districts.

    Read without building the areas, so that a caller can tell cheaply whether
    a point could get a province or district from them at all.
    """
    west, south, east, north = _read_topojson("pakistan.topo.json")["bbox"]
    return float(west), float(south), float(east), float(north)


def _coarse_geometries() -> dict[tuple[str, str], Any]:
    """Return the drawing geometries of the bundled Pakistan areas by (level, code)."""
    return _bundled_records()["coarse"]


# --- user files ------------------------------------------------------------------------


def _from_file(
    path: Path,
    *,
    name_column: str,
    parent_column: str | None,
    level: str,
    country: str | None,
) -> Areas:
    import geopandas as gpd
    import shapely

    if level not in LEVELS:
        raise UsageError(f"level should be one of {', '.join(LEVELS)}, got {level!r}")
    if not path.exists():
        raise InputError("no such file", path=path)
    try:
        frame = gpd.read_file(path, engine="pyogrio")
    except Exception as err:  # pyogrio raises its own errors and GDAL's; all mean "unreadable"
        message = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise InputError(
            f"cannot read boundaries ({message}); expected GeoPackage, GeoJSON or Shapefile",
            path=path,
        ) from err
    if len(frame) == 0:
        raise InputError("has no features, expected polygons of areas", path=path)
    for col, flag in ((name_column, "name"), (parent_column, "parent")):
        if col is not None and col not in frame.columns:
            have = ", ".join(c for c in frame.columns if c != frame.geometry.name)
            raise InputError(
                f"no {flag} column {col!r}; the columns are: {have or '(none)'}", path=path
            )
    notes: list[str] = []
    if frame.crs is None:
        minx, miny, maxx, maxy = frame.total_bounds
        if not (minx >= -180.5 and maxx <= 180.5 and miny >= -90.5 and maxy <= 90.5):
            raise InputError(
                "has no coordinate reference system and its coordinates are not degrees; "
                "expected WGS84 or a file that names its CRS",
                path=path,
            )
        notes.append(f"{path}: no coordinate reference system given; read as WGS84 degrees")
    elif not frame.crs.equals("EPSG:4326") and not frame.crs.equals("OGC:CRS84"):
        notes.append(f"{path}: reprojected from {frame.crs.to_string()} to WGS84")
        frame = frame.to_crs("EPSG:4326")

    def feature(i: int, name: object = None) -> str:
        label = f"feature {i + 1}"
        return f"{label} ({name!r})" if isinstance(name, str) and name else label

    bundled = _bundled()
    if country is not None:
        # "PK" or "Pakistan": the country as the bundled areas name it.
        known = bundled.lookup(country, level="country")
        country = known.name if known is not None else country
    areas: list[Area] = []
    parents: dict[str, list[Any]] = {}
    for i, (name, geom) in enumerate(zip(frame[name_column], frame.geometry, strict=True)):
        if not isinstance(name, str) or not name.strip():
            raise InputError(
                f"{feature(i)}: empty name in column {name_column!r}, expected the area's name",
                path=path,
            )
        name = name.strip()
        if geom is None or geom.is_empty:
            raise InputError(f"{feature(i, name)}: no geometry, expected a polygon", path=path)
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            raise InputError(
                f"{feature(i, name)}: geometry is a {geom.geom_type}, expected a polygon",
                path=path,
            )
        if not geom.is_valid:
            reason = shapely.is_valid_reason(geom)
            geom = _polygonal(shapely.make_valid(geom))
            if geom.is_empty:
                raise InputError(
                    f"{feature(i, name)}: invalid polygon ({reason}) that cannot be repaired",
                    path=path,
                )
            notes.append(f"{path}: {feature(i, name)}: invalid polygon ({reason}); repaired")
        parent = None
        if parent_column is not None:
            value = frame[parent_column].iloc[i]
            parent = value.strip() if isinstance(value, str) and value.strip() else None
        home = country
        if home is None and level == "province" and parent is not None:
            home = parent
        if home is None:
            if level == "country":
                home = name
            else:
                where = bundled.at(*_lat_lon(geom.representative_point()))
                home = where.country if where is not None else None
        province = None
        if level == "province":
            province = name
        elif level == "district":
            province = parent
        areas.append(Area(name, level, home, province, None, str(path), geom))
        if parent is not None and level != "country":
            parents.setdefault(parent, []).append(geom)
    # Parents the file names but does not draw: the union of their parts.
    parent_level = LEVELS[LEVELS.index(level) - 1] if level != "country" else None
    drawn = {area_key(a.name) for a in areas}
    for parent, geoms in parents.items():
        if parent_level == "province" and area_key(parent) not in drawn:
            home = next((a.country for a in areas if a.province == parent), country)
            areas.append(
                Area(parent, "province", home, parent, None, str(path), shapely.union_all(geoms))
            )
    return Areas(areas, notes=notes)


def _lat_lon(point: Any) -> tuple[float, float]:
    return point.y, point.x


def _plural(level: str, n: int) -> str:
    if n == 1:
        return level
    return "countries" if level == "country" else level + "s"
