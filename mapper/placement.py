"""Placement: place names resolved through the gazetteer, given points checked against them.

The gazetteer is the layer above: it is imported lazily, and only when some row
needs it (loading the default one takes time).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from mapper.tables.cells import Checks, column_of, to_float

if TYPE_CHECKING:
    import pandas as pd

    from mapper.areas import Areas

__all__ = [
    "LazyGazetteer",
    "check_far_points",
    "fill_admin_fields",
    "place_areas",
    "place_incidents",
    "place_sites",
    "replace_contradicted_points",
    "resolve_places",
]


class LazyGazetteer:
    """Builds the default gazetteer only if some row needs it (loading takes time)."""

    def __init__(self, gazetteer: Any, areas: Areas | None = None) -> None:
        self._given = gazetteer
        self._areas = areas
        self._g: Any = None
        self.used = False

    def get(self) -> Any:
        """Return the gazetteer for resolving names, building the default on first use.

        With ``areas`` (a user's boundaries), hints are read against them.
        """
        if self._g is None:
            if self._given is not None:
                self._g = self._given
            else:
                from mapper.gazetteer import Gazetteer

                self._g = Gazetteer.default()
            if self._areas is not None and getattr(self._g, "areas", None) is not self._areas:
                self._g = self._g.with_areas(self._areas)
        self.used = True
        return self._g

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


def check_far_points(
    checks: Checks,
    lat: pd.Series,
    lon: pd.Series,
    areas: Areas | None = None,
    gazetteer: Any = None,
) -> pd.Series:
    """Flag given coordinates that lie outside the country, province or district they name.

    Countries are judged by their extent (:mod:`mapper.gazetteer.extents`),
    which also catches latitude and longitude written the wrong way round;
    provinces and districts by their polygons (:meth:`Areas.check_stated`:
    the district or one touching it, the province or within 25 km of it).
    ``areas`` defaults to the bundled ones, loaded only if some row names a
    province or district and has a point. A row that names no area is judged
    by :func:`stray_points`, with ``gazetteer`` (the one the dataset is read
    with) for its place name.

    Returns
    -------
    pandas.Series
        For each row, a warning naming a province or district mapper does
        not know (so it was not checked), or ``""``; such rows are kept.
    """
    import pandas as pd

    frame = checks.table.frame
    warnings = pd.Series("", index=frame.index, dtype=object)
    has = lat.notna() & lon.notna() & ~pd.Series(checks.rejected_mask(), index=frame.index)
    if not has.any():
        return warnings
    country = column_of(frame, "country")
    todo = has & (country != "")
    if todo.any():
        from mapper.gazetteer.extents import outside_countries

        msg = outside_countries(lat[todo], lon[todo], country[todo]).reindex(
            frame.index, fill_value=""
        )
        checks.flag(msg != "", "latitude", msg, value=column_of(frame, "latitude"))
        has &= msg == ""
    province, district = column_of(frame, "province"), column_of(frame, "district")
    loose = has & (country == "") & (province == "") & (district == "")
    if loose.any():
        # Nothing stated to check against: the rest of the table, and the row's own name, say.
        stray = stray_points(
            lat[has], lon[has], column_of(frame, "place")[has], gazetteer=gazetteer, areas=areas
        )
        msg = stray["problem"].reindex(frame.index, fill_value="").where(loose, "")
        checks.flag(msg != "", "latitude", msg, value=column_of(frame, "latitude"))
    todo = has & ((province != "") | (district != ""))
    if not todo.any():
        return warnings
    if areas is None:
        from mapper.areas import Areas

        areas = Areas.bundled()
    result = areas.check_stated(
        lat[todo].to_numpy(),
        lon[todo].to_numpy(),
        province=province[todo],
        district=district[todo],
    )
    result.index = todo[todo].index
    problem = result["problem"]
    bad = problem != ""
    if bad.any():
        # A point that fits once latitude and longitude change places was typed swapped.
        swapped = areas.check_stated(
            lon[todo][bad].to_numpy(),
            lat[todo][bad].to_numpy(),
            province=province[todo][bad],
            district=district[todo][bad],
        )
        swapped.index = bad[bad].index
        fits = swapped["problem"] == ""
        problem[fits[fits].index] = problem[fits[fits].index] + (
            "; latitude and longitude look swapped"
        )
    msg = problem.reindex(frame.index, fill_value="")
    checks.flag(msg != "", "latitude", msg, value=column_of(frame, "latitude"))
    warnings[result.index] = result["unknown"]
    return warnings


def fill_admin_fields(
    incidents: pd.DataFrame, keep: pd.Series, areas: Areas | None = None
) -> pd.Series:
    """Fill the empty district, province and country of kept, placed rows from their points.

    Only where the levels a row does state agree with its point (see
    :meth:`Areas.fill_admin`); ``incidents`` is changed in place. Returns
    which rows got a field filled.
    """
    import pandas as pd

    levels = ["country", "province", "district"]
    has = keep & incidents["latitude"].notna() & incidents["longitude"].notna()
    need = has & incidents[levels].isna().any(axis=1)
    if not need.any():
        return pd.Series(False, index=incidents.index)
    if areas is None:
        from mapper.areas import Areas

        areas = Areas.bundled()
    columns = ["latitude", "longitude", *levels]
    if "location_precision" in incidents.columns:
        columns.append("location_precision")
    out, filled = areas.fill_admin(incidents.loc[need, columns], precision="location_precision")
    for level in levels:
        rows = filled[level][filled[level]].index
        incidents.loc[rows, level] = out.loc[rows, level]
    return filled.any(axis=1).reindex(incidents.index, fill_value=False)


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
    # A hint mapper cannot read is said on the row, not silently ignored.
    unread = _unread_hints(frame, todo)
    reason = reason.where(unread == "", (reason + "; " + unread).str.lstrip("; "))
    return status, reason


def _unread_hints(frame: pd.DataFrame, rows: pd.Series) -> pd.Series:
    """Say, for each of ``rows``, which of its province and district hints mapper cannot read."""
    import pandas as pd

    from mapper.gazetteer.settle import make_hints

    out = pd.Series("", index=frame.index, dtype=object)
    hints = pd.DataFrame(
        {level: column_of(frame, level)[rows] for level in ("province", "district")}
    )
    hints = hints[(hints != "").any(axis=1)]
    if hints.empty:
        return out
    notes = {}
    for combo in hints.drop_duplicates().itertuples(index=False):
        notes[tuple(combo)] = "; ".join(make_hints(None, *combo).unknown)
    out[hints.index] = [notes[tuple(c)] for c in hints.itertuples(index=False)]
    return out


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
    why = res.at[idx, "reason"] if "reason" in res.columns else None
    text = f"place {query!r} not found in the gazetteer"
    if isinstance(why, str) and why:
        text = f"place {query!r}: {why}"
    if sugg:
        return text + f"; did you mean {', '.join(sugg)}?"
    return text if why else text + "; no similar name known"


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


def replace_contradicted_points(
    incidents: pd.DataFrame, *, gazetteer: Any = None, areas: Areas | None = None
) -> tuple[pd.DataFrame, pd.Series]:
    """Keep events whose source point contradicts their own district, province or country.

    An importer's rows carry the source's point and the source's admin names.
    Where the point lies outside the stated district (or one next to it),
    province or country (:meth:`Areas.check_stated`), the event is kept, not
    rejected: it is re-placed by its place name inside the stated areas when
    the gazetteer agrees (a name that fits those hints), otherwise its point
    is cleared and it stays unplaced with the reason. A row that states no
    area is judged by :func:`stray_points` (a point far from the rest of the
    table, swapped or contradicted by its own place name) and treated alike. Either way the source's
    point moves to ``source_latitude``/``source_longitude`` (the columns are
    added only when some row needs them).

    Parameters
    ----------
    incidents : pandas.DataFrame
        Text cells in the incident columns (``""`` for empty), as importers build them.
    gazetteer, areas : optional
        Default :meth:`Gazetteer.default` and :meth:`Areas.bundled`, loaded only when needed.

    Returns
    -------
    (pandas.DataFrame, pandas.Series)
        The incidents (a copy when something changed) and, per row, a note
        saying what was done (``""`` for untouched rows).
    """
    # Rows that state their areas first, then the rows that state none: those are judged by
    # the rest of the table, where a re-placed point now counts where it lies (as reading
    # the dataset afterwards judges them).
    fixed, stated = _replace_contradicted(incidents, gazetteer, areas, stated=True)
    out, loose = _replace_contradicted(fixed, gazetteer, areas, stated=False)
    return out, stated.where(stated != "", loose)


def _replace_contradicted(
    incidents: pd.DataFrame, gazetteer: Any, areas: Areas | None, *, stated: bool
) -> tuple[pd.DataFrame, pd.Series]:
    """:func:`replace_contradicted_points` for the rows that state an area, or for the others."""
    import pandas as pd

    notes = pd.Series("", index=incidents.index, dtype=object)
    text = {c: incidents[c].astype(str).str.strip() for c in ("district", "province", "country")}
    lat, lon = to_float(incidents["latitude"]), to_float(incidents["longitude"])
    has = lat.notna() & lon.notna()
    todo = has & ((text["district"] != "") | (text["province"] != "")) & stated
    loose = has & (text["district"] == "") & (text["province"] == "") & (text["country"] == "")
    loose &= not stated
    if not (todo.any() or loose.any()):
        return incidents, notes
    if areas is None:
        from mapper.areas import Areas

        areas = Areas.bundled()
    problem = pd.Series("", index=incidents.index, dtype=object)
    country = text["country"].copy()
    rows = todo[todo].index
    if len(rows):
        verdict = areas.check_stated(
            lat[rows].to_numpy(),
            lon[rows].to_numpy(),
            country=text["country"][rows].tolist(),
            province=text["province"][rows].tolist(),
            district=text["district"][rows].tolist(),
        )
        problem[rows] = verdict["problem"].to_numpy()
    if loose.any():
        # A row that states no area is judged by the rest of the table and its own name.
        stray = stray_points(
            lat[has], lon[has], incidents["place"][has], gazetteer=gazetteer, areas=areas
        )
        stray = stray[loose[has].to_numpy()]
        problem[stray.index] = stray["problem"]
        country[stray.index] = stray["country"]
    bad = problem[problem != ""].index
    if not len(bad):
        return incidents, notes
    out = incidents.copy()
    from mapper.schema import SOURCE_POINT_COLUMNS

    for column in SOURCE_POINT_COLUMNS:
        if column not in out.columns:
            out[column] = ""
    out.loc[bad, "source_latitude"] = incidents.loc[bad, "latitude"]
    out.loc[bad, "source_longitude"] = incidents.loc[bad, "longitude"]
    if gazetteer is None:
        from mapper.gazetteer import Gazetteer

        gazetteer = Gazetteer.default()
    place = incidents.loc[bad, "place"].astype(str).str.strip()
    named = place[place != ""].index
    res = resolve_places(
        gazetteer,
        place[named],
        country=country[named],
        province=text["province"][named],
        district=text["district"][named],
    )
    found = pd.Series(False, index=bad)
    if len(named):
        found[named] = pd.to_numeric(res["latitude"], errors="coerce").notna().to_numpy()
    moved = found[found].index
    kept = found[~found].index
    if len(moved):
        rlat, rlon = _coordinates(res.loc[moved])
        out.loc[moved, "latitude"] = rlat.map(lambda v: f"{v:.5f}")
        out.loc[moved, "longitude"] = rlon.map(lambda v: f"{v:.5f}")
        out.loc[moved, "location_precision"] = res.loc[moved, "precision"].astype(str)
        notes[moved] = [
            f"{problem[i]}; re-placed by its place name {place[i]!r} as "
            f"{res.at[i, 'matched_name']!r} ({res.at[i, 'source']}); the source's point is "
            f"kept in source_latitude/source_longitude"
            for i in moved
        ]
    if len(kept):
        out.loc[kept, "latitude"] = ""
        out.loc[kept, "longitude"] = ""
        why = [
            (
                f"place {place[i]!r} is not known inside the stated areas"
                if i in res.index and place[i]
                else "no place name to re-place it by"
            )
            for i in kept
        ]
        notes[kept] = [
            f"{problem[i]}; kept unplaced: {w}; the source's point is kept in "
            f"source_latitude/source_longitude"
            for i, w in zip(kept, why, strict=True)
        ]
    return out, notes


#: A batch has a home country when at least this share of its points lie in it (as a
#: batch of names has a region, :meth:`Gazetteer.resolve_many`)...
STRAY_HOME_SHARE = 0.5
#: ...and at least this many.
STRAY_MIN_POINTS = 5


def stray_points(
    lat: pd.Series,
    lon: pd.Series,
    place: pd.Series,
    *,
    gazetteer: Any = None,
    areas: Areas | None = None,
) -> pd.DataFrame:
    """Say which points lie far from the batch's country when the row itself says otherwise.

    A table about one country (at least :data:`STRAY_HOME_SHARE` of its
    points) may hold events abroad (a protest in London), so a point far
    outside that country (beyond the border margin of
    :data:`mapper.gazetteer.settle.REGION_BORDER_DEG`) is judged, not refused:
    it is a stray when swapping latitude and longitude puts it in the country,
    or when its place name resolves there (by its own name or an alias, not
    fuzzily, unambiguously) more than 25 km away. ``gazetteer`` defaults to
    :meth:`Gazetteer.default`, loaded only when some far point needs it.

    Returns
    -------
    pandas.DataFrame
        Per row, ``problem`` (why its point is a stray, or ``""``) and
        ``country`` (the batch's country code where it is one).
    """
    import numpy as np
    import pandas as pd

    out = pd.Series("", index=lat.index, dtype=object)
    la = to_float(lat.astype(str)).to_numpy(dtype=float)
    lo = to_float(lon.astype(str)).to_numpy(dtype=float)
    has = np.isfinite(la) & np.isfinite(lo)
    home = None
    if has.sum() >= STRAY_MIN_POINTS:
        if areas is None:
            from mapper.areas import Areas

            areas = Areas.bundled()
        where = areas.locate(la[has], lo[has])
        codes = where["country_code"].astype(object)
        counts = codes.value_counts()
        if not counts.empty:
            home, n_home = str(counts.index[0]), int(counts.iloc[0])
            if n_home < STRAY_HOME_SHARE * has.sum() or n_home < STRAY_MIN_POINTS:
                home = None
    country = None
    if home is not None:
        country = next((a for a in areas.lookup_all(home, level="country") if a.code == home), None)
    if country is None:
        return pd.DataFrame({"problem": out, "country": out})
    from mapper.gazetteer.settle import region_of

    away = (codes != home).to_numpy() & ~region_of(country, None).near(lo[has], la[has])
    far = np.flatnonzero(has)[away]
    abroad = dict(zip(far.tolist(), where["country"].astype(object).to_numpy()[away], strict=True))
    swapped = areas.locate(lo[far], la[far])["country_code"].astype(object).to_numpy() == home
    home_text = f"{n_home:,} of {int(has.sum()):,} points lie in {country.name}"

    def lies(i: int) -> str:
        return (
            f"the point ({la[i]:g}, {lo[i]:g}) lies in {abroad[i] or 'no country'}, far from "
            f"the rest ({home_text})"
        )

    named = []
    for i, swap in zip(far.tolist(), swapped.tolist(), strict=True):
        if swap:
            out.iloc[i] = lies(i) + "; latitude and longitude look swapped"
        elif str(place.iloc[i]).strip():
            named.append(i)
    if named:
        if isinstance(gazetteer, LazyGazetteer):
            gazetteer = gazetteer.get()
        elif gazetteer is None:
            from mapper.gazetteer import Gazetteer

            gazetteer = Gazetteer.default()
        from mapper.geo import haversine_km

        for i in named:
            name = str(place.iloc[i]).strip()
            m = gazetteer.resolve(name, country=home)
            if not m.resolved or m.match_type == "fuzzy" or m.ambiguous:
                continue
            km = float(haversine_km(la[i], lo[i], m.latitude, m.longitude))
            if km > 25:
                out.iloc[i] = (
                    f"{lies(i)}, {km:,.0f} km from {m.matched_name} ({m.country}), where its "
                    f"place name {name!r} puts it"
                )
    return pd.DataFrame({"problem": out, "country": out.where(out == "", home)})
