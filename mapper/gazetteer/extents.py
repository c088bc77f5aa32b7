"""Country extents, to tell whether a point lies in the country its row names.

A latitude and longitude written the wrong way round still look like valid
degrees (Dalbandin at 64.4 N, 28.9 E is in Russia), so every reader that is
told a row's country checks the point against that country's extent. The
extents (``data/gazetteer/country_extents.csv``) are the bounding boxes of the
GeoNames populated places of each country (cities500, CC BY 4.0), widened by
:data:`MARGIN_DEG`; regenerate them with ``python -m mapper.gazetteer.sources.geonames``.

The test is deliberately coarse, so that it flags mistakes, not remote places:
countries whose places straddle the antimeridian (Russia, Fiji, New Zealand...)
span every longitude, and countries with fewer than :data:`MIN_PLACES` places
are not checked.
"""

from __future__ import annotations

import csv
import functools
import math
from typing import TYPE_CHECKING

from mapper.gazetteer.countries import country_code
from mapper.resources import data_path

if TYPE_CHECKING:
    import pandas as pd


__all__ = ["MARGIN_DEG", "country_extent", "country_extents", "outside_country"]

#: Degrees added on every side of the box of a country's places (borders lie beyond the towns).
MARGIN_DEG = 1.5
#: Fewer places than this make too small a box to judge by.
MIN_PLACES = 5
EXTENTS_FILE = ("gazetteer", "country_extents.csv")
EXTENT_COLUMNS = ("country", "south", "west", "north", "east", "places")


@functools.lru_cache(maxsize=1)
def country_extents() -> dict[str, tuple[float, float, float, float]]:
    """Return ``{ISO alpha-2 code: (south, west, north, east)}``, margins included."""
    path = data_path(*EXTENTS_FILE)
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out: dict[str, tuple[float, float, float, float]] = {}
    for r in rows:
        s, w, n, e = (float(r[k]) for k in ("south", "west", "north", "east"))
        out[r["country"]] = (
            max(-90.0, s - MARGIN_DEG),
            max(-180.0, w - MARGIN_DEG),
            min(90.0, n + MARGIN_DEG),
            min(180.0, e + MARGIN_DEG),
        )
    return out


def country_extent(country: object) -> tuple[float, float, float, float] | None:
    """Return the extent of a country given as an ISO code or English name, or None if unknown."""
    if not isinstance(country, str) or not country.strip():
        return None

    code = country_code(country)
    return None if code is None else country_extents().get(code)


def _inside(lat: float, lon: float, box: tuple[float, float, float, float]) -> bool:
    s, w, n, e = box
    return s <= lat <= n and w <= lon <= e


def outside_country(
    lat: float, lon: float, country: object, *, only_swapped: bool = False
) -> str | None:
    """Say why a point does not lie in ``country``, or return None when it may.

    Parameters
    ----------
    lat, lon : float
        The point in decimal degrees.
    country : str
        An ISO alpha-2 code or an English country name; an unknown or empty
        country is never judged.
    only_swapped : bool
        Judge only points that lie in the country once latitude and longitude
        are exchanged (for files with remote outliers, such as GeoNames dumps).

    Returns
    -------
    str or None
        A message naming the country and its extent, saying when latitude and
        longitude look swapped.

    Examples
    --------
    >>> outside_country(28.88846, 64.40616, "PK") is None
    True
    >>> outside_country(64.40616, 28.88846, "Pakistan")  # doctest: +ELLIPSIS
    'point (64.4062, 28.8885) lies outside PK ...; latitude and longitude look swapped'
    """
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    box = country_extent(country)
    if box is None or _inside(lat, lon, box):
        return None

    s, w, n, e = box
    text = (
        f"point ({lat:g}, {lon:g}) lies outside {country_code(str(country))} "
        f"(latitude {s:.1f}..{n:.1f}, longitude {w:.1f}..{e:.1f})"
    )
    if abs(lon) <= 90 and _inside(lon, lat, box):
        return text + "; latitude and longitude look swapped"
    if only_swapped:
        return None
    return text + "; expected a point in the country named"


def outside_countries(lat: pd.Series, lon: pd.Series, country: pd.Series) -> pd.Series:
    """Judge many points like :func:`outside_country`; return the messages ('' where fine).

    Vectorised: each distinct country is looked up once, so a million rows take
    a fraction of a second.
    """
    import numpy as np
    import pandas as pd

    out = pd.Series("", index=lat.index, dtype=str)
    la = pd.to_numeric(lat, errors="coerce").to_numpy(dtype=float)
    lo = pd.to_numeric(lon, errors="coerce").to_numpy(dtype=float)
    names = country.fillna("").astype(str).to_numpy(dtype=object)
    codes, distinct = pd.factorize(names)
    nan_box = (np.nan, np.nan, np.nan, np.nan)
    table = np.array([country_extent(c) or nan_box for c in distinct], dtype=float)
    s, w, n, e = table.reshape(len(distinct), 4)[codes].T
    with np.errstate(invalid="ignore"):
        inside = (la >= s) & (la <= n) & (lo >= w) & (lo <= e)
    judged = np.isfinite(la) & np.isfinite(lo) & np.isfinite(s)
    for pos in np.flatnonzero(judged & ~inside):
        out.iat[pos] = outside_country(float(la[pos]), float(lo[pos]), names[pos]) or ""
    return out
