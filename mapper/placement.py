"""Placement: place names resolved through the gazetteer, given points checked against them.

The gazetteer is the layer above: it is imported lazily, and only when some row
needs it (loading the default one takes time).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from mapper.errors import InputError
from mapper.geo import haversine_km
from mapper.tables.cells import Checks, column_of

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "LazyGazetteer",
    "check_far_points",
    "place_areas",
    "place_incidents",
    "place_sites",
    "resolve_places",
]

# How far (km) a point may lie from the reference point of the district or
# province it names before it is flagged; generous because the gazetteer gives
# a point (the headquarters town), not a boundary, and districts are large.
_HINT_RADIUS_KM = {"district": 300.0, "province": 1000.0, "country": 2500.0}


class LazyGazetteer:
    """Builds the default gazetteer only if some row needs it (loading takes time)."""

    def __init__(self, gazetteer: Any) -> None:
        self._given = gazetteer
        self._g: Any = None
        self.used = False

    def get(self) -> Any:
        """Return the gazetteer for resolving names, building the default on first use."""
        if self._g is None:
            if self._given is not None:
                self._g = self._given
            else:
                from mapper.gazetteer import Gazetteer

                self._g = Gazetteer.default()
        self.used = True
        return self._g

    def reference(self) -> Any:
        """Return the gazetteer to check given coordinates against, without GeoNames.

        The gazetteer the caller gave, else the curated overlay alone (its
        districts and provinces): checking a point against the place a row names
        must not cost the world table's load when every row has coordinates.
        """
        if self._given is not None:
            return self._given
        from mapper.gazetteer import Gazetteer, curated_table

        return Gazetteer([curated_table()])

    @property
    def attribution(self) -> list[str]:
        """The credits of the gazetteer, when it was used."""
        if not self.used or self._g is None:
            return []
        return list(getattr(self._g, "attribution", []) or [])


def resolve_places(
    gazetteer: Any,
    names: pd.Series,
    *,
    country: pd.Series | None = None,
    province: pd.Series | None = None,
    district: pd.Series | None = None,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Resolve place names through ``gazetteer``, asking once per distinct (name, hints).

    Returns the gazetteer's result columns (only ``columns``, when given)
    aligned with ``names``.
    """
    import numpy as np
    import pandas as pd

    def hint(s: pd.Series | None) -> pd.Series:
        if s is None:
            return pd.Series("", index=names.index, dtype=str)
        return s.reindex(names.index).fillna("").astype(str)

    keys = pd.DataFrame(
        {
            "name": names.astype(str),
            "country": hint(country),
            "province": hint(province),
            "district": hint(district),
        }
    )
    # One question per distinct (name, hints), in order of first appearance;
    # ``group`` says which question each row asked. Each column is factorized
    # once and the codes folded together pairwise (fast, and no two tuples meet).
    group = np.zeros(len(keys), dtype=np.int64)
    for column in keys.columns:
        codes, uniques = pd.factorize(keys[column])
        group, _ = pd.factorize(group * len(uniques) + codes)
    first = np.empty(group.max() + 1 if len(group) else 0, dtype=np.int64)
    first[group[::-1]] = np.arange(len(group) - 1, -1, -1)  # the last write, the first row
    unique = keys.iloc[first].reset_index(drop=True)
    if len(unique) == 0:
        return pd.DataFrame(index=names.index)

    def none_if_empty(s: pd.Series) -> pd.Series:
        return s.astype(object).where(s != "", None)

    result = gazetteer.resolve_many(
        unique["name"],
        country=none_if_empty(unique["country"]),
        province=none_if_empty(unique["province"]),
        district=none_if_empty(unique["district"]),
    )
    if columns is not None:
        result = result[[c for c in columns if c in result.columns]]
    answers = result.reset_index(drop=True).iloc[group]
    answers.index = names.index
    return answers


def check_far_points(checks: Checks, lat: pd.Series, lon: pd.Series, gaz: LazyGazetteer) -> None:
    """Flag given coordinates far from the district/province/country they name."""
    import pandas as pd

    frame = checks.table.frame
    has = lat.notna() & lon.notna() & ~pd.Series(checks.rejected_mask(), index=frame.index)
    if not has.any():
        return
    # The default gazetteer has no country points: judge countries by their extent.
    country = column_of(frame, "country")
    todo = has & (country != "")
    if todo.any():
        from mapper.gazetteer.extents import outside_countries

        msg = outside_countries(lat[todo], lon[todo], country[todo]).reindex(
            frame.index, fill_value=""
        )
        checks.flag(msg != "", "latitude", msg, value=column_of(frame, "latitude"))
        has &= msg == ""
    reference = None
    for level in ("district", "province", "country"):
        names = column_of(frame, level)
        todo = has & (names != "")
        if not todo.any():
            continue
        try:
            if reference is None:
                reference = gaz.reference()
            res = resolve_places(
                reference,
                names[todo],
                country=None if level == "country" else column_of(frame, "country")[todo],
                province=column_of(frame, "province")[todo] if level == "district" else None,
                columns=("latitude", "longitude"),
            )
        except (ImportError, InputError):
            return
        if "latitude" not in res.columns:
            continue
        ref_lat, ref_lon = _coordinates(res)
        found = ref_lat.notna() & ref_lon.notna()
        if not found.any():
            continue
        msg = _far_messages(
            level, names, lat[todo][found], lon[todo][found], ref_lat[found], ref_lon[found]
        ).reindex(frame.index, fill_value="")
        mask = msg != ""
        checks.flag(mask, "latitude", msg, value=column_of(frame, "latitude"))
        has &= ~mask


def _far_messages(
    level: str,
    names: pd.Series,
    lat: pd.Series,
    lon: pd.Series,
    ref_lat: pd.Series,
    ref_lon: pd.Series,
) -> pd.Series:
    """Say, for each point too far from the reference point of the ``level`` it names, how far.

    Returns a message per row of ``lat`` (``""`` for a point close enough).
    A point that would fit with latitude and longitude swapped is said to look
    swapped; for a country, only such a point is flagged, as countries are too
    varied in size for a radius alone.
    """
    import pandas as pd

    dist = haversine_km(lat, lon, ref_lat, ref_lon)
    swapped_ok = lon.abs() <= 90
    dist_sw = haversine_km(lon.where(swapped_ok), lat, ref_lat, ref_lon)
    radius = _HINT_RADIUS_KM[level]
    far = dist > radius
    looks_swapped = far & (dist_sw <= radius)
    if level == "country":
        far = looks_swapped
    msg = pd.Series("", index=lat.index, dtype=str)
    for idx in far[far].index:
        where = f"{level} {names[idx]!r}"
        point = f"point ({lat[idx]:g}, {lon[idx]:g}) lies {dist[idx]:.0f} km from the {where}"
        if looks_swapped.get(idx, False):
            msg[idx] = f"{point}; latitude and longitude look swapped"
        else:
            msg[idx] = f"{point}; expected within {radius:.0f} km"
    return msg


def place_incidents(
    incidents: pd.DataFrame, frame: pd.DataFrame, keep: pd.Series, gaz: LazyGazetteer
) -> tuple[pd.Series, pd.Series]:
    """Place every kept incident: coordinates given win, otherwise the gazetteer.

    ``incidents`` (aligned with the table's text cells ``frame``) gets its
    coordinates and placement columns filled in place. Returns each row's
    report status (placed or unplaced) and reason (a loose match, or why
    nothing was found).
    """
    import pandas as pd

    status = pd.Series("placed", index=frame.index, dtype=str)
    reason = pd.Series("", index=frame.index, dtype=str)
    given = keep & incidents["latitude"].notna() & incidents["longitude"].notna()
    incidents.loc[given, "location_source"] = "coordinates given"
    todo = keep & ~given
    if not todo.any():
        return status, reason
    # The most precise name a row gives is the one to look up.
    query = column_of(frame, "place")
    for level in ("district", "province", "country"):
        query = query.where(query != "", column_of(frame, level))
    res = resolve_places(
        gaz.get(),
        query[todo],
        country=column_of(frame, "country")[todo],
        province=column_of(frame, "province")[todo],
        district=column_of(frame, "district")[todo],
    )
    rlat, rlon = _coordinates(res)
    found = rlat.notna() & rlon.notna()
    idx_found = found[found].index
    idx_missing = found[~found].index
    _fill_matches(incidents, res, idx_found)
    for idx in idx_found:
        reason[idx] = _match_note(res, query[idx], idx)
    for idx in idx_missing:
        status[idx] = "unplaced"
        reason[idx] = _not_found(res, query[idx], idx)
    incidents.loc[idx_missing, "placement"] = "unplaced"
    incidents.loc[idx_missing, "placement_reason"] = reason[idx_missing]
    return status, reason


def _coordinates(res: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Return the latitudes and longitudes the gazetteer found (NaN where none)."""
    import pandas as pd

    return (
        pd.to_numeric(res["latitude"], errors="coerce"),
        pd.to_numeric(res["longitude"], errors="coerce"),
    )


def _fill_matches(incidents: pd.DataFrame, res: pd.DataFrame, idx: pd.Index) -> None:
    """Copy the gazetteer's answers for the rows ``idx`` into ``incidents``.

    A precision or admin name the row gave is kept; the gazetteer fills the empty ones.
    """
    import pandas as pd

    rlat, rlon = _coordinates(res.loc[idx])
    incidents.loc[idx, "latitude"] = rlat
    incidents.loc[idx, "longitude"] = rlon
    incidents.loc[idx, "location_source"] = res.loc[idx, "source"].astype(str)
    incidents.loc[idx, "matched_name"] = res.loc[idx, "matched_name"].astype(str)
    incidents.loc[idx, "match_type"] = res.loc[idx, "match_type"].astype(str)
    incidents.loc[idx, "match_score"] = pd.to_numeric(res.loc[idx, "score"], errors="coerce")
    no_prec = incidents.loc[idx, "location_precision"].isna()
    fill = no_prec[no_prec].index
    incidents.loc[fill, "location_precision"] = res.loc[fill, "precision"].astype(str)
    for level in ("district", "province", "country"):
        empty = incidents.loc[idx, level].isna()
        fill = empty[empty].index
        if len(fill) and level in res.columns:
            values = res.loc[fill, level]
            incidents.loc[fill, level] = values.where(values.notna() & (values.astype(str) != ""))


def _match_note(res: pd.DataFrame, query: str, idx: Any) -> str:
    """Say how a found name matched, when it was not exactly as written or was ambiguous."""
    import pandas as pd

    note = []
    mt = res.at[idx, "match_type"]
    if mt not in ("exact", None) and res.at[idx, "matched_name"] != query:
        note.append(f"{query!r} matched {res.at[idx, 'matched_name']!r} ({mt})")
    if (
        bool(res.at[idx, "ambiguous"])
        if "ambiguous" in res.columns and pd.notna(res.at[idx, "ambiguous"])
        else False
    ):
        note.append(f"{query!r} is ambiguous; the best match was used")
    return "; ".join(note)


def _not_found(res: pd.DataFrame, query: str, idx: Any) -> str:
    """Say that a name was not found, offering the gazetteer's suggestions."""
    sugg = res.at[idx, "suggestions"] if "suggestions" in res.columns else ()
    if isinstance(sugg, str):
        sugg = tuple(s.strip() for s in sugg.split("|") if s.strip())
    sugg = tuple(sugg) if isinstance(sugg, (tuple, list)) else ()
    text = f"place {query!r} not found in the gazetteer"
    return text + (f"; did you mean {', '.join(sugg)}?" if sugg else "; no similar name known")


def place_sites(
    sites: pd.DataFrame, frame: pd.DataFrame, need: pd.Series, gaz: LazyGazetteer
) -> tuple[pd.Series, pd.Series]:
    """Place the sites that ``need`` a point by their place (else their name), in place.

    Returns each row's report status and reason, as :func:`place_incidents` does.
    """
    import pandas as pd

    status = pd.Series("placed", index=frame.index, dtype=str)
    reason = pd.Series("", index=frame.index, dtype=str)
    if not need.any():
        return status, reason
    names = column_of(frame, "place").where(
        column_of(frame, "place") != "", column_of(frame, "name")
    )
    res = resolve_places(gaz.get(), names[need])
    rlat, rlon = _coordinates(res)
    sites.loc[rlat.index, "latitude"] = rlat
    sites.loc[rlon.index, "longitude"] = rlon
    prec_empty = sites.loc[rlat.index, "location_precision"].isna() & rlat.notna()
    sites.loc[prec_empty[prec_empty].index, "location_precision"] = res.loc[
        prec_empty[prec_empty].index, "precision"
    ].astype(str)
    _unplaced(status, reason, names, rlat.isna(), "place")
    return status, reason


def place_areas(
    areas: pd.Series, keep: pd.Series, gaz: LazyGazetteer
) -> tuple[pd.Series, pd.Series]:
    """Find the kept rows' areas in the gazetteer; returns each row's report status and reason.

    An area that is a whole country needs no point: naming the country places it.
    """
    import pandas as pd

    from mapper.gazetteer.countries import country_code

    status = pd.Series("placed", index=areas.index, dtype=str)
    reason = pd.Series("", index=areas.index, dtype=str)
    is_country = areas.map(lambda a: a != "" and country_code(a) is not None).astype(bool)
    need = keep & (areas != "") & ~is_country
    if need.any():
        res = resolve_places(gaz.get(), areas[need])
        _unplaced(status, reason, areas, _coordinates(res)[0].isna(), "area")
    return status, reason


def _unplaced(
    status: pd.Series, reason: pd.Series, names: pd.Series, missing: pd.Series, what: str
) -> None:
    """Mark the ``missing`` rows unplaced: their ``what`` (place, area) is not in the gazetteer."""
    idx = missing[missing].index
    status[idx] = "unplaced"
    reason[idx] = names[idx].map(lambda n: f"{what} {n!r} not found in the gazetteer")
