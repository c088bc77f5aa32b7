"""Learn a gazetteer from geocoded event tables (ACLED, UCDP GED, GTD or any with coordinates).

Analysts hold tables in which every row names a place and gives its
coordinates. :func:`learn_gazetteer` turns them into gazetteer rows that
``--gazetteer`` accepts, without trusting any single row:

1. **Layout.** The columns say which table it is (:data:`LAYOUTS`): ACLED
   (``location``, ``geo_precision``, ``admin1``/``admin2``), UCDP GED
   (``where_coordinates``, ``where_prec``, ``adm_1``/``adm_2``) or GTD (``city``,
   ``specificity``, ``provstate``). Explicit columns override what the layout
   says; a table in no known layout needs at least the name, latitude and
   longitude columns.
2. **Precision.** Each source's codes map onto exact, near, district, province
   or country (:data:`PRECISION_CODES`). ACLED's ``geo_precision`` 3 counts as
   province level, as in :mod:`mapper.importers.acled`. Rows coded at district
   or province level carry a centroid or a capital, not the named place: they
   are learned under their **district or province name** (kind and precision
   ``district``/``province``), never as the town. When the table names no
   district (GTD), a district-level row is learned under the bundled district
   its point lies in (a "Nushki" row carrying the centroid of Chagai, which
   Nushki was part of, supports Chagai); outside the bundled districts, and for
   province-level rows without a province, under the row's own name with that
   kind.
   Country-level rows are set aside. A name that says "near X" counts as near.
   A table without a precision column is read as exact; an empty code as near.
3. **Names** are joined by :func:`mapper.gazetteer.normalize_name`, the key
   lookups use, so "Turbat town", "Turbat" and "TURBAT" are one name; the
   " district"/" province" that UCDP appends to ``adm_2``/``adm_1`` are removed.
4. **Clusters.** Per name and level, when every row lies within
   :data:`CLUSTER_KM` of the rows' median point, the rows are one candidate
   (the common case, computed for all names at once). Otherwise the distinct
   points are clustered greedily: the point with the most rows within
   :data:`CLUSTER_KM` seeds a cluster, which is re-centred on its members'
   median and takes every remaining row within :data:`CLUSTER_KM`; repeat.
   The largest cluster is a candidate; another stands as a second candidate
   when it has at least :data:`MIN_SEPARATE_ROWS` rows and
   :data:`MIN_SEPARATE_SHARE` of the largest one's rows, or when its rows
   name another district or province than the largest one's (two places of
   one name; a district and the one it was carved out of count as one, since
   older rows name the parent); otherwise its rows are set aside as outliers, with the distance
   in the reason. The largest cluster is the one with the most rows, then the
   most exact rows.
5. **Consensus** is the coordinate-wise median of the candidate's exact rows
   (of its near rows when it has no exact one): one far row cannot move it.
   Each candidate reports ``support_rows``, ``support_sources`` (distinct files,
   or distinct values of ``source_column``) and ``spread_km`` (the median
   distance of its rows to the consensus), and takes the most frequent
   spelling, district, province and country among its rows.

Every input row is accounted for in :attr:`LearnResult.report`: ``learned``,
``set aside`` (outlier, country-level, HXL tag row) or ``rejected`` (no name,
unusable coordinate, unknown precision code, a point outside the country its
row names), with its file and line and, when rejected, the column.
"""

from __future__ import annotations

import math
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from mapper.errors import InputError, UsageError
from mapper.gazetteer.countries import country_code
from mapper.gazetteer.extents import outside_countries, outside_country
from mapper.gazetteer.names import (
    PLACEHOLDER_KEYS,
    normalize_name,
    parse_place,
)
from mapper.gazetteer.places import (
    PlaceRow,
)
from mapper.geo import EARTH_RADIUS_KM, haversine_km
from mapper.importers.acled import GEO_PRECISION
from mapper.importers.gtd import SPECIFICITY
from mapper.importers.ucdp import WHERE_PRECISION

if TYPE_CHECKING:
    import pandas as pd


__all__ = [
    "CLUSTER_KM",
    "LAYOUTS",
    "LEARN_REPORT_COLUMNS",
    "LEVEL_CLUSTER_KM",
    "MIN_SEPARATE_ROWS",
    "MIN_SEPARATE_SHARE",
    "PRECISION_CODES",
    "LearnResult",
    "detect_layout",
    "learn_gazetteer",
]

#: Rows of one name within this distance (km) of their centre are one place. UCDP's
#: "near" code means within 25 km, so closer rows cannot be told apart.
CLUSTER_KM = 25.0
#: The same for district- and province-level rows: their points are centroids or
#: capitals, which sources choose differently.
LEVEL_CLUSTER_KM: dict[str, float] = {"place": CLUSTER_KM, "district": 60.0, "province": 250.0}
#: A second cluster of one name stands as a separate place with at least this many rows...
MIN_SEPARATE_ROWS = 2
#: ...and at least this share of the largest cluster's rows; smaller ones are outliers.
MIN_SEPARATE_SHARE = 0.05

#: Columns each known layout uses for each role (None: the layout has no such column).
LAYOUTS: dict[str, dict[str, str | None]] = {
    "ACLED": {
        "name": "location",
        "lat": "latitude",
        "lon": "longitude",
        "precision": "geo_precision",
        "district": "admin2",
        "province": "admin1",
        "country": "country",
    },
    "UCDP GED": {
        "name": "where_coordinates",
        "lat": "latitude",
        "lon": "longitude",
        "precision": "where_prec",
        "district": "adm_2",
        "province": "adm_1",
        "country": "country",
    },
    "GTD": {
        "name": "city",
        "lat": "latitude",
        "lon": "longitude",
        "precision": "specificity",
        "district": None,
        "province": "provstate",
        "country": "country_txt",
    },
}
# Columns whose presence identifies a layout (beyond latitude/longitude).
_SIGNATURES: dict[str, tuple[str, ...]] = {
    "ACLED": ("location", "geo_precision"),
    "UCDP GED": ("where_coordinates", "where_prec"),
    "GTD": ("city", "specificity"),
}

#: Each layout's location-precision codes in mapper's vocabulary.
PRECISION_CODES: dict[str, dict[str, str]] = {
    # The same readings as the importers', so that a row means one thing everywhere.
    "ACLED": GEO_PRECISION,
    "UCDP GED": WHERE_PRECISION,
    "GTD": SPECIFICITY,
}
_WORDS = {w: w for w in ("exact", "near", "district", "province", "country")}

#: Columns of :attr:`LearnResult.report`.
LEARN_REPORT_COLUMNS: tuple[str, ...] = ("file", "line", "name", "status", "reason", "learned_as")
LEARN_STATES: tuple[str, ...] = ("learned", "set aside", "rejected")

_ROLES = ("name", "lat", "lon", "precision", "district", "province")
_FLAGS = {
    "name": "--name-column",
    "lat": "--lat-column",
    "lon": "--lon-column",
    "precision": "--precision-column",
    "district": "--district-column",
    "province": "--province-column",
}
# Levels a row is learned at; "place" covers exact and near rows.
_LEVELS = ("place", "district", "province")
# Messy names with more distinct points than this are clustered on a coarser grid.
_MAX_POINTS = 800
_SUFFIX = re.compile(r"\s+(?:town|village|city|district|tehsil|province|division)\s*$", re.I)
_PREFIX = re.compile(r"^\s*(?:near|nr\.?|outskirts of|vicinity of|outside)\s+", re.I)


@dataclass
class LearnResult:
    """What :func:`learn_gazetteer` learned, and the account of every input row.

    Attributes
    ----------
    rows : list of PlaceRow
        One per learned candidate place, sorted by name then support; write
        them with :func:`mapper.gazetteer.write.write_gazetteer_csv`.
    report : pandas.DataFrame
        Columns :data:`LEARN_REPORT_COLUMNS`, one row per input row of every
        file: ``status`` is ``learned``, ``set aside`` or ``rejected``;
        ``learned_as`` names the candidate a learned row supports.
    layouts : dict
        Each file and the layout its columns were read as (``"columns given"``
        when none was recognised).
    """

    rows: list[PlaceRow]
    report: pd.DataFrame
    layouts: dict[str, str]

    @property
    def counts(self) -> dict[str, int]:
        """Rows in each state (learned, set aside, rejected), all ``rows``, and ``places``."""
        vc = self.report["status"].value_counts()
        out = {state: int(vc.get(state, 0)) for state in LEARN_STATES}
        out["rows"] = len(self.report)
        out["places"] = len(self.rows)
        return out

    def count_line(self) -> str:
        """Return the one-line account: ``N rows: L learned, S set aside, R rejected; P places``."""
        n = self.counts
        return (
            f"{n['rows']} rows: {n['learned']} learned, {n['set aside']} set aside, "
            f"{n['rejected']} rejected; {n['places']} "
            f"place{'' if n['places'] == 1 else 's'} learned"
        )


def detect_layout(columns: Sequence[str]) -> str | None:
    """Return the layout (``"ACLED"``, ``"UCDP GED"``, ``"GTD"``) that ``columns`` follow, or None.

    Column names are compared case-insensitively; a layout needs its name and
    precision columns and ``latitude``/``longitude``.

    Examples
    --------
    >>> detect_layout(["event_id_cnty", "location", "latitude", "longitude", "geo_precision"])
    'ACLED'
    >>> detect_layout(["place", "lat", "lon"]) is None
    True
    """
    have = {c.strip().lower() for c in columns}
    if not {"latitude", "longitude"} <= have:
        return None
    for layout, needed in _SIGNATURES.items():
        if all(c in have for c in needed):
            return layout
    return None


def _columns_for(
    path: str, header: Sequence[str], explicit: dict[str, str | None]
) -> tuple[str, dict[str, str | None]]:
    """Return the layout label and the column of each role, or raise naming what is missing."""
    layout = detect_layout(header)
    chosen: dict[str, str | None] = dict(LAYOUTS[layout]) if layout else dict.fromkeys(_ROLES)
    chosen.setdefault("country", None)
    present = set(header)
    for role, column in explicit.items():
        if column is not None:
            chosen[role] = _named_column(path, header, column, _FLAGS[role])
    if chosen.get("country") is None and "country" in present:
        # A plain "country" column lets a swapped or stray point be caught.
        chosen["country"] = "country"
    # A layout's optional columns may be missing from a shared extract.
    for role in ("precision", "district", "province", "country"):
        if chosen.get(role) is not None and chosen[role] not in present:
            chosen[role] = None
    missing = [r for r in ("name", "lat", "lon") if not chosen.get(r) or chosen[r] not in present]
    if missing:
        what = "ACLED, UCDP GED or GTD" if layout is None else layout
        raise InputError(
            f"expected the columns of an {what} table or the place-name and coordinate "
            f"columns named with {', '.join(_FLAGS[r] for r in missing)}; found columns "
            f"{_found(header)}",
            path=path,
            line=1,
        )
    return layout or "columns given", chosen


def _found(header: Sequence[str]) -> str:
    text = ", ".join(h for h in header if h) or "none"
    return text if len(text) <= 200 else text[:199] + "…"


def _clean_place(text: str) -> str:
    """Drop qualifier words a source adds around a name ("Turbat town" -> "Turbat")."""
    out = _SUFFIX.sub("", _PREFIX.sub("", text)).strip()
    return out or text.strip()


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    order = np.argsort(values, kind="stable")
    v, w = values[order], weights[order]
    cum = np.cumsum(w)
    half = cum[-1] / 2.0
    i = int(np.searchsorted(cum, half))
    # An even split between two values: their midpoint, like the ordinary median.
    if math.isclose(cum[i], half) and i + 1 < len(v):
        return float((v[i] + v[i + 1]) / 2.0)
    return float(v[i])


def _unit(lat: Any, lon: Any) -> np.ndarray:
    """Points on the unit sphere (rows x, y, z): a dot product gives the angle between two."""
    p, lam = np.radians(lat), np.radians(lon)
    return np.stack([np.cos(p) * np.cos(lam), np.cos(p) * np.sin(lam), np.sin(p)], axis=-1)


def _cluster_points(
    lat: np.ndarray, lon: np.ndarray, radius: float
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Cluster one name's rows; return each row's cluster and the clusters' centres.

    Rows are first merged into cells of about 1 km (0.01 degree; coarser when a
    name has very many) weighted by their row counts, so that a name with
    thousands of rows costs a few hundred cells. Cells only decide which rows
    go together: the consensus is later taken from the rows themselves.
    """
    decimals = 2
    while True:
        pts = np.round(np.column_stack([lat, lon]), decimals)
        uniq, inverse, weight = np.unique(pts, axis=0, return_inverse=True, return_counts=True)
        if len(uniq) <= _MAX_POINTS or decimals <= 0:
            break
        decimals -= 1
    inverse = inverse.reshape(-1)
    ulat, ulon = uniq[:, 0], uniq[:, 1]
    w = weight.astype(np.float64)
    xyz = _unit(ulat, ulon)
    # Within ``radius`` km <=> the angle's cosine is at least cos(radius / R).
    cos_r = math.cos(radius / EARTH_RADIUS_KM)
    near = (xyz @ xyz.T) >= cos_r
    density = near @ w  # rows within reach of each cell
    label = np.full(len(uniq), -1, dtype=np.int64)
    centres: list[np.ndarray] = []
    free = np.ones(len(uniq), dtype=bool)
    while free.any():
        seed = int(np.argmax(np.where(free, density, -1.0)))
        members = near[seed] & free
        # Re-centre on the members' median so that the cluster is not biased to its seed.
        c_lat = _weighted_median(ulat[members], w[members])
        c_lon = _weighted_median(ulon[members], w[members])
        members = free & ((xyz @ _unit(c_lat, c_lon)) >= cos_r)
        members[seed] = True
        label[members] = len(centres)
        centres.append(np.array([c_lat, c_lon]))
        free &= ~members
        # The taken cells no longer count towards the density of the others.
        density -= near[:, members] @ w[members]
    return label[inverse], centres


def learn_gazetteer(
    paths: Sequence[str | os.PathLike[str]],
    *,
    name_column: str | None = None,
    lat_column: str | None = None,
    lon_column: str | None = None,
    precision_column: str | None = None,
    district_column: str | None = None,
    province_column: str | None = None,
    source_column: str | None = None,
    progress: bool = False,
) -> LearnResult:
    """Learn place names and robust coordinates from geocoded tables.

    See the module docstring for the rules (layouts, precision, clustering,
    consensus).

    Parameters
    ----------
    paths : sequence of path-like
        CSV files (comma, semicolon or tab separated; any encoding).
    name_column, lat_column, lon_column : str, optional
        Columns to use instead of (or without) a recognised layout's.
    precision_column, district_column, province_column : str, optional
        Columns to use instead of (or without) a recognised layout's.
        ``precision_column`` values are the layout's codes, or the words
        exact, near, district, province, country.
    source_column : str, optional
        A column naming each row's source; distinct values count as distinct
        sources (by default each file is one source).
    progress : bool
        Show progress bars on stderr for large inputs.

    Returns
    -------
    LearnResult
        The learned places and the account of every row.

    Raises
    ------
    InputError
        If a file is unreadable, or lacks a column it needs (the message
        names the columns found and the flags to pass).
    UsageError
        If no file is given.
    """
    import pandas as pd

    if not paths:
        raise UsageError("expected at least one geocoded table, got none")
    explicit = {
        "name": name_column,
        "lat": lat_column,
        "lon": lon_column,
        "precision": precision_column,
        "district": district_column,
        "province": province_column,
    }
    parts: list[pd.DataFrame] = []
    layouts: dict[str, str] = {}
    for path in paths:
        part, layout = _read_rows(str(path), explicit, source_column)
        layouts[str(path)] = layout
        parts.append(part)
    rows = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    places = _learn(rows, progress=progress)
    report = pd.DataFrame(
        {
            "file": rows["file"].astype("str"),
            "line": rows["line"].to_numpy(dtype=np.int64),
            "name": rows["name"].astype("str"),
            "status": rows["status"].astype("str"),
            "reason": rows["reason"].astype("str"),
            "learned_as": rows["learned_as"].astype("str"),
        }
    )
    return LearnResult(places, report, layouts)


# --- reading --------------------------------------------------------------------------


class _Verdicts:
    """Each row's status (learned, set aside, rejected) and reason; the first verdict stands."""

    def __init__(self, n: int) -> None:
        self.status = np.full(n, "learned", dtype=object)
        self.reason = np.full(n, "", dtype=object)

    def learned(self) -> np.ndarray:
        return self.status == "learned"

    def set_aside(self, mask: np.ndarray, why: str) -> None:
        mask = mask & self.learned()
        self.status[mask] = "set aside"
        self.reason[mask] = why

    def reject(self, mask: np.ndarray, column: str | None, why: Any) -> None:
        mask = mask & self.learned()
        if not mask.any():
            return
        where = f"column '{column}': " if column else ""
        self.status[mask] = "rejected"
        if isinstance(why, str):
            self.reason[mask] = where + why
        else:
            self.reason[mask] = (where + why[mask]).to_numpy(dtype=object)


def _read_rows(
    path: str,
    explicit: dict[str, str | None],
    source_column: str | None,
) -> tuple[pd.DataFrame, str]:
    """Read one table into the per-row frame :func:`_learn` works on.

    The steps: read the table and find its columns, judge each row's coordinates,
    translate precision codes, key each name, lift district- and province-level rows
    to their division's name, then add the rows that could not be split.
    """
    import pandas as pd

    from mapper.tables.read import read_table

    table = read_table(path, table="geocoded")
    frame = table.frame
    layout, cols = _columns_for(path, list(frame.columns), explicit)
    src_col = (
        None
        if source_column is None
        else _named_column(path, list(frame.columns), source_column, "source column")
    )
    n = len(frame)
    empty = pd.Series([""] * n, dtype="str")

    def col(role: str) -> pd.Series:
        name = cols.get(role)
        return frame[name].reset_index(drop=True) if name else empty

    names = col("name")
    verdicts = _Verdicts(n)
    # UCDP's copy on HDX carries a second header row of HXL hashtags.
    hxl = col("lat").str.startswith("#").to_numpy(dtype=bool)
    verdicts.set_aside(hxl, "HXL hashtag row (column tags, not data)")
    verdicts.reject(
        (names == "").to_numpy(dtype=bool),
        cols["name"],
        "expected a place name, got an empty value",
    )
    lat, lon = _coordinates(col("lat"), col("lon"), col("country"), cols, verdicts)
    level_word = _precision_words(col("precision"), cols, layout, verdicts)
    key, display, level_word = _name_keys(names, level_word, cols["name"], verdicts)
    district = _admin_names(col("district"), "district")
    province = _admin_names(col("province"), "province")
    located = _name_divisions_by_point(level_word, district, province, lat, lon)
    key, display, level = _division_level(key, display, level_word, district, province, verdicts)
    verdicts.reason[located & verdicts.learned()] = (
        "district-level coordinate: learned as district "
        + district[located & verdicts.learned()]
        + ", where its point lies (the table names no district)"
    )

    codes_c, uniq_c = pd.factorize(col("country"))
    iso = np.array([country_code(str(c)) or "" for c in uniq_c], dtype=object)
    out = pd.DataFrame(
        {
            "file": path,
            "line": np.asarray(table.lines, dtype=np.int64),
            "name": names.to_numpy(dtype=object),
            "key": key,
            "display": display,
            "level": level,
            "exactness": level_word,
            "lat": lat,
            "lon": lon,
            "district": district,
            "province": province,
            "country": iso[codes_c] if n else np.array([], dtype=object),
            "source": _sources(frame, path, src_col),
            "status": verdicts.status,
            "reason": verdicts.reason,
            "learned_as": "",
        }
    )
    return _with_unsplit_rows(out, path, table.rejected), layout


def _named_column(path: str, header: Sequence[str], column: str, what: str) -> str:
    """Return a column the user named (lower-cased), or raise if the header lacks it."""
    col = column.strip().lower()
    if col not in header:
        raise InputError(
            f"expected a column {column!r} ({what}); found columns {_found(header)}",
            path=path,
            line=1,
        )
    return col


def _coordinates(
    lat_text: pd.Series,
    lon_text: pd.Series,
    country_text: pd.Series,
    cols: dict[str, str | None],
    verdicts: _Verdicts,
) -> tuple[np.ndarray, np.ndarray]:
    """Parse the degrees, rejecting values out of range, (0, 0) and points outside the country."""
    import pandas as pd

    lat = pd.to_numeric(lat_text.where(lat_text != ""), errors="coerce").to_numpy(dtype=float)
    lon = pd.to_numeric(lon_text.where(lon_text != ""), errors="coerce").to_numpy(dtype=float)
    for values, text, column, bound in (
        (lat, lat_text, cols["lat"], 90.0),
        (lon, lon_text, cols["lon"], 180.0),
    ):
        with np.errstate(invalid="ignore"):
            bad = ~(np.abs(values) <= bound)
        verdicts.reject(
            bad,
            column,
            f"expected decimal degrees between -{bound:g} and {bound:g}, got '" + text + "'",
        )
    # (0, 0) is where a missing coordinate lands when a tool fills blanks with zeros.
    verdicts.reject((lat == 0) & (lon == 0), cols["lat"], "0, 0 is a placeholder, not a place")
    if cols.get("country"):
        ok = verdicts.learned()
        far = outside_countries(
            pd.Series(np.where(ok, lat, np.nan)),
            pd.Series(np.where(ok, lon, np.nan)),
            country_text,
        )
        verdicts.reject((far != "").to_numpy(dtype=bool), cols["lat"], far)
    return lat, lon


def _precision_words(
    precision: pd.Series, cols: dict[str, str | None], layout: str, verdicts: _Verdicts
) -> np.ndarray:
    """Translate the precision codes to mapper's words ("exact" when there is no column)."""
    if not cols.get("precision"):
        return np.full(len(precision), "exact", dtype=object)
    codes = precision.str.replace(r"\.0+$", "", regex=True).str.lower()
    mapping = dict(_WORDS)
    known = PRECISION_CODES.get(layout, {})
    mapping.update(known)
    mapping[""] = "near"  # no code: never more precise than "near"
    words = codes.map(mapping)
    unknown = words.isna().to_numpy(dtype=bool)
    choices = ", ".join([*known, *_WORDS]) if known else ", ".join(_WORDS)
    verdicts.reject(unknown, cols["precision"], f"expected one of {choices}, got '" + codes + "'")
    return words.fillna("").to_numpy(dtype=object)


def _name_keys(
    names: pd.Series, level_word: np.ndarray, column: str | None, verdicts: _Verdicts
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Key each name (parsing each distinct spelling once); its qualifiers refine the precision.

    Returns the keys, the cleaned names to display, and the precision words.
    """
    import pandas as pd

    n = len(names)
    codes_n, uniq_n = pd.factorize(names)
    parsed = [parse_place(str(u)) for u in uniq_n]
    keys = np.array([p.key for p in parsed], dtype=object)
    near = np.array([p.near for p in parsed], dtype=bool)
    says_district = np.array([p.kind == "district" for p in parsed], dtype=bool)
    cleaned = np.array([_clean_place(str(u)) for u in uniq_n], dtype=object)
    key = keys[codes_n] if n else np.array([], dtype=object)
    verdicts.reject(
        (key == "") & (names != "").to_numpy(dtype=bool),
        column,
        "expected a place name, got only punctuation",
    )
    # GTD writes "Unknown" where the city is not known.
    verdicts.reject(
        np.isin(key, list(PLACEHOLDER_KEYS)),
        column,
        "expected a place name, got '" + names + "' (a placeholder for an unknown place)",
    )
    row_near = near[codes_n] if n else np.zeros(0, dtype=bool)
    level_word = np.where((level_word == "exact") & row_near, "near", level_word)
    row_says_district = says_district[codes_n] if n else np.zeros(0, dtype=bool)
    level_word = np.where(
        np.isin(level_word, ("exact", "near")) & row_says_district, "district", level_word
    )
    display = cleaned[codes_n] if n else np.array([], dtype=object)
    return key, display, level_word


def _name_divisions_by_point(
    level_word: np.ndarray,
    district: np.ndarray,
    province: np.ndarray,
    lat: np.ndarray,
    lon: np.ndarray,
) -> np.ndarray:
    """Give a district-level row without a district the district its point lies in.

    A district-level coordinate is that district's centroid, whatever place the
    row names: GTD (no district column) writes "Nushki" with the centroid of
    Chagai, which Nushki was part of. Learned under its own name it would be a
    "Nushki" 170 km from Nushki. ``district`` and ``province`` are filled in
    place; returns which rows were named so (none where no bundled district
    holds the point: those keep their own name).
    """
    coarse = (level_word == "district") & (district == "") & np.isfinite(lat) & np.isfinite(lon)
    if not coarse.any():
        return coarse
    idx = np.flatnonzero(coarse)
    where = _areas_at(lat[idx], lon[idx])
    found = np.array(where["district"], dtype=object)
    named = found != ""
    district[idx[named]] = found[named]
    empty_province = province[idx[named]] == ""
    province[idx[named][empty_province]] = np.array(where["province"], dtype=object)[named][
        empty_province
    ]
    located = np.zeros(len(level_word), dtype=bool)
    located[idx[named]] = True
    return located


def _division_level(
    key: np.ndarray,
    display: np.ndarray,
    level_word: np.ndarray,
    district: np.ndarray,
    province: np.ndarray,
    verdicts: _Verdicts,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Learn district-/province-level rows under the division's name; set country-level aside.

    Returns the keys, the names to display and each row's level.
    """
    dist_key = _keys_of(district)
    prov_key = _keys_of(province)
    level = np.where(np.isin(level_word, ("exact", "near")), "place", level_word)
    is_d = level == "district"
    use_d = is_d & (dist_key != "")
    key = np.where(use_d, dist_key, key)
    display = np.where(use_d, district, display)
    is_p = level == "province"
    use_p = is_p & (prov_key != "")
    key = np.where(use_p, prov_key, key)
    display = np.where(use_p, province, display)
    verdicts.set_aside(
        level == "country", "country-level coordinate: says nothing about where the place is"
    )
    coarse_note = np.where(
        use_d,
        "district-level coordinate: learned as district " + district,
        np.where(
            is_d,
            "district-level coordinate: learned as a district, not as a town",
            np.where(
                use_p,
                "province-level coordinate: learned as province " + province,
                "province-level coordinate: learned as a province, not as a town",
            ),
        ),
    )
    coarse = (is_d | is_p) & verdicts.learned()
    verdicts.reason[coarse] = coarse_note[coarse]
    return key, display, level


def _sources(frame: pd.DataFrame, path: str, src_col: str | None) -> np.ndarray:
    """Return each row's source: the file, or the file and the row's source-column value."""
    if src_col is not None:
        values = frame[src_col].reset_index(drop=True)
        return (f"{Path(path).resolve()}\x1f" + values).to_numpy(dtype=object)
    # The same file given twice is still one source.
    return np.full(len(frame), str(Path(path).resolve()), dtype=object)


def _with_unsplit_rows(
    out: pd.DataFrame, path: str, rejected: Sequence[tuple[int, str]]
) -> pd.DataFrame:
    """Add the rows that could not be split into the header's columns, in line order."""
    import pandas as pd

    if not rejected:
        return out
    bad = pd.DataFrame(
        {
            "file": path,
            "line": [line for line, _ in rejected],
            "name": "",
            "key": "",
            "display": "",
            "level": "",
            "exactness": "",
            "lat": np.nan,
            "lon": np.nan,
            "district": "",
            "province": "",
            "country": "",
            "source": "",
            "status": "rejected",
            "reason": [why for _, why in rejected],
            "learned_as": "",
        }
    )
    out = pd.concat([out, bad], ignore_index=True).sort_values("line", kind="stable")
    return out.reset_index(drop=True)


def _admin_names(values: pd.Series, word: str) -> np.ndarray:
    """Strip the " district"/" province" suffix UCDP appends ("Kech district" -> "Kech")."""
    cleaned = values.str.replace(rf"\s+{word}\s*$", "", regex=True, flags=re.IGNORECASE)
    return cleaned.str.strip().to_numpy(dtype=object)


def _keys_of(values: np.ndarray) -> np.ndarray:
    import pandas as pd

    codes, uniq = pd.factorize(values)
    keys = np.array([normalize_name(str(u)) for u in uniq], dtype=object)
    return keys[codes] if len(values) else np.array([], dtype=object)


# --- learning -------------------------------------------------------------------------


def _learn(rows: pd.DataFrame, *, progress: bool) -> list[PlaceRow]:
    """Cluster the usable rows of ``rows`` per (level, name); fill status/reason; return places."""
    import pandas as pd

    usable = np.flatnonzero((rows["status"] == "learned").to_numpy(dtype=bool))
    if not len(usable):
        return []
    sub = rows.iloc[usable]
    group_key = sub["level"].to_numpy(dtype=object) + "\x1f" + sub["key"].to_numpy(dtype=object)
    group, _ = pd.factorize(group_key)
    lat = sub["lat"].to_numpy(dtype=float)
    lon = sub["lon"].to_numpy(dtype=float)

    # Fast path: a name whose rows all lie near their median is one place.
    med = pd.DataFrame({"g": group, "lat": lat, "lon": lon}).groupby("g", sort=False).median()
    mlat = med["lat"].to_numpy()[_position(med.index, group)]
    mlon = med["lon"].to_numpy()[_position(med.index, group)]
    dist = haversine_km(lat, lon, mlat, mlon)
    level = sub["level"].to_numpy(dtype=object)
    radius = np.select(
        [level == "district", level == "province"],
        [LEVEL_CLUSTER_KM["district"], LEVEL_CLUSTER_KM["province"]],
        CLUSTER_KM,
    )
    far_group = pd.Series(dist > radius).groupby(group).any()
    messy = far_group.index[far_group.to_numpy()].to_numpy()

    cluster = group.astype(np.int64).copy()  # cluster id per usable row; -1 = outlier
    exact = (sub["exactness"] == "exact").to_numpy(dtype=np.float64)
    district = sub["district"].str.casefold().to_numpy(dtype=object)
    province = sub["province"].str.casefold().to_numpy(dtype=object)
    outlier_reason = np.full(len(sub), "", dtype=object)
    next_id = int(group.max()) + 1 if len(group) else 0
    if len(messy):
        order = np.argsort(group, kind="stable")
        bounds = np.searchsorted(group[order], messy)
        ends = np.searchsorted(group[order], messy, side="right")
        iterator: Any = zip(messy.tolist(), bounds.tolist(), ends.tolist(), strict=True)
        if progress and len(messy) > 1000:
            from tqdm import tqdm

            iterator = tqdm(
                iterator, total=len(messy), desc="clustering", unit="name", file=sys.stderr
            )
        for _g, start, end in iterator:
            idx = order[start:end]
            labels, centres = _cluster_points(lat[idx], lon[idx], float(radius[idx[0]]))
            sizes = np.bincount(labels, minlength=len(centres))
            exacts = np.bincount(labels, weights=exact[idx], minlength=len(centres))
            # The most rows, then the most exact rows: a near row never outranks an exact one.
            main = int(np.lexsort((-exacts, -sizes))[0])
            admins = [_admin_of(idx[labels == c], district, province) for c in range(len(centres))]
            for c in range(len(centres)):
                members = idx[labels == c]
                if c == main:
                    continue  # keeps the group's id
                big = sizes[c] >= MIN_SEPARATE_ROWS and sizes[c] >= MIN_SEPARATE_SHARE * sizes[main]
                if big or _elsewhere(admins[c], admins[main]):
                    cluster[members] = next_id
                    next_id += 1
                else:
                    km = float(haversine_km(*centres[c], *centres[main]))
                    cluster[members] = -1
                    outlier_reason[members] = (
                        f"outlier: {km:.0f} km from the {_rows(sizes[main])} that place this "
                        f"name ({_rows(sizes[c])} here: too few to stand as a second place)"
                    )

    keep = cluster >= 0
    status = rows["status"].to_numpy(dtype=object).copy()
    reason = rows["reason"].to_numpy(dtype=object).copy()
    learned_as = np.full(len(rows), "", dtype=object)
    out_pos = usable[~keep]
    status[out_pos] = "set aside"
    reason[out_pos] = outlier_reason[~keep]

    places, labels_of = _summarise(sub.iloc[np.flatnonzero(keep)], cluster[keep])
    learned_as[usable[keep]] = labels_of
    rows["status"] = status
    rows["reason"] = reason
    rows["learned_as"] = learned_as
    return places


def _admin_of(idx: np.ndarray, district: np.ndarray, province: np.ndarray) -> tuple[str, str]:
    """Return the most frequent district and province of some rows (casefolded, "" if unknown)."""
    out = []
    for values in (district[idx], province[idx]):
        known = [v for v in values.tolist() if v]
        out.append(max(sorted(set(known)), key=known.count) if known else "")
    return out[0], out[1]


def _elsewhere(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """Tell whether rows name another district or province (a second place, not an outlier).

    A district and the one it was carved out of are not elsewhere: older rows
    name the parent (Pishin for Killa Abdullah, Loralai for Duki), so a stray
    row naming it is an outlier of the same place, not a second one.
    """
    (da, pa), (db, pb) = a, b
    if pa and pb and pa != pb:
        return True
    return bool(da and db and da != db and not _one_lineage(da, db))


def _one_lineage(a: str, b: str) -> bool:
    """Tell whether two district names are one district by lineage (carved one from the other)."""
    from mapper.areas import Areas

    areas = Areas.bundled()
    first, second = areas.lookup(a, level="district"), areas.lookup(b, level="district")
    if first is None or second is None:
        return False
    return first is second or second in first.lineage


def _rows(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"


def _position(index: pd.Index, values: np.ndarray) -> np.ndarray:
    return index.get_indexer(values)


def _mode(frame: pd.DataFrame, column: str) -> pd.Series:
    """Most frequent non-empty value of ``column`` per cluster (ties: first in sort order)."""
    vals = frame[["cluster", column]]
    vals = vals[vals[column] != ""]
    if vals.empty:
        import pandas as pd

        return pd.Series(dtype=object)
    counts = vals.groupby(["cluster", column], sort=True).size().reset_index(name="n")
    counts = counts.sort_values(["cluster", "n"], ascending=[True, False], kind="stable")
    first = counts.drop_duplicates("cluster")
    return first.set_index("cluster")[column]


def _areas_at(lats: np.ndarray, lons: np.ndarray) -> dict[str, list[str]]:
    """Return the district and province names at each point ("" where no area)."""
    from mapper.areas import Areas

    if not len(lats):
        return {"district": [], "province": []}
    found = Areas.bundled().locate(lats, lons)
    return {
        level: found[level].astype(object).where(found[level].notna(), "").tolist()
        for level in ("district", "province")
    }


def _summarise(sub: pd.DataFrame, cluster: np.ndarray) -> tuple[list[PlaceRow], np.ndarray]:
    """Return one PlaceRow per cluster and, per row, the label of the place it supports."""
    import pandas as pd

    frame = pd.DataFrame(
        {
            "cluster": cluster,
            "lat": sub["lat"].to_numpy(dtype=float),
            "lon": sub["lon"].to_numpy(dtype=float),
            "exact": (sub["exactness"] == "exact").to_numpy(dtype=bool),
            "level": sub["level"].to_numpy(dtype=object),
            "key": sub["key"].to_numpy(dtype=object),
            "display": sub["display"].to_numpy(dtype=object),
            "district": sub["district"].to_numpy(dtype=object),
            "province": sub["province"].to_numpy(dtype=object),
            "country": sub["country"].to_numpy(dtype=object),
            "source": sub["source"].to_numpy(dtype=object),
            "name": sub["name"].to_numpy(dtype=object),
        }
    )
    by = frame.groupby("cluster", sort=True)
    has_exact = by["exact"].any()
    # Consensus from the exact rows when there are any: near rows only support it.
    basis = frame[frame["exact"] | ~frame["cluster"].map(has_exact).to_numpy(dtype=bool)]
    centre = basis.groupby("cluster", sort=True)[["lat", "lon"]].median()
    c_lat = centre["lat"].reindex(frame["cluster"]).to_numpy()
    c_lon = centre["lon"].reindex(frame["cluster"]).to_numpy()
    frame["dist"] = haversine_km(frame["lat"].to_numpy(), frame["lon"].to_numpy(), c_lat, c_lon)
    stats = pd.DataFrame(
        {
            "support": by.size(),
            "sources": by["source"].nunique(),
            "spread": frame.groupby("cluster", sort=True)["dist"].median(),
            "level": by["level"].first(),
            "key": by["key"].first(),
            "exact": has_exact,
        }
    )
    stats = stats.join(centre)
    for column in ("display", "district", "province", "country", "name"):
        stats[column] = _mode(frame, column).reindex(stats.index).fillna("")
    stats = stats.sort_values(
        ["key", "level", "support", "lat", "lon"],
        ascending=[True, True, False, True, True],
        kind="stable",
    )

    # A learned place takes its district and province from its point (tables without
    # admin columns, such as GTD's, still give them; a table's own may be stale).
    where = _areas_at(stats["lat"].to_numpy(dtype=float), stats["lon"].to_numpy(dtype=float))
    stats["area_district"] = where["district"]
    stats["area_province"] = where["province"]

    places: list[PlaceRow] = []
    label: dict[int, str] = {}
    for cid, rec in zip(stats.index.tolist(), stats.itertuples(index=False), strict=True):
        name = rec.display or rec.name
        aliases: tuple[str, ...] = ()
        if normalize_name(name) != rec.key:
            # The cleaned spelling must still find the key the rows share.
            aliases = (rec.name,) if normalize_name(rec.name) == rec.key else (rec.key,)
        kind = "place" if rec.level == "place" else rec.level
        precision = ("exact" if rec.exact else "near") if rec.level == "place" else rec.level
        lat_c = round(float(rec.lat), 5)
        lon_c = round(float(rec.lon), 5)
        country = rec.country or None
        if country and outside_country(lat_c, lon_c, country):
            country = None  # rows from several countries: do not claim one
        # A district-level row named by its district column carries that name there; one
        # learned under its own name (no district column) does not name its district.
        district = rec.district or None
        province = rec.province or None
        if kind == "place" and rec.area_district:
            district, province = rec.area_district, rec.area_province or province
        elif kind == "place" and rec.area_province:
            province = rec.area_province
        if kind == "province":
            province, district = name, None
        places.append(
            PlaceRow(
                name=name,
                latitude=lat_c,
                longitude=lon_c,
                aliases=aliases,
                kind=kind,
                precision=precision,
                district=district,
                province=province,
                country=country,
                source=(
                    f"learned: {_rows(int(rec.support))}, {int(rec.sources)} "
                    f"source{'s' if rec.sources != 1 else ''}"
                ),
                support_rows=int(rec.support),
                support_sources=int(rec.sources),
                spread_km=round(float(rec.spread), 2),
            )
        )
        where = ", ".join(x for x in (district if kind != "district" else None, province) if x)
        label[cid] = f"{name} ({where})" if where else name
    labels = np.array([label[c] for c in cluster.tolist()], dtype=object)
    return places, labels
