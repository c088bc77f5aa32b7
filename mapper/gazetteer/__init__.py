"""The gazetteer: place names to coordinates, from an index over the sources it reads.

The flow inside the package: :mod:`~mapper.gazetteer.names` turns a name into
its lookup key; :mod:`~mapper.gazetteer.places` holds one source's places and
the index of their keys; :mod:`~mapper.gazetteer.settle` chooses among the
places of one name; :mod:`~mapper.gazetteer.lookup` is the :class:`Gazetteer`
that searches a stack of tables. The tables come from
:mod:`~mapper.gazetteer.sources` (the curated overlay, GeoNames, user files,
learned tables); :mod:`~mapper.gazetteer.write` writes places back as a CSV.
:mod:`~mapper.gazetteer.countries` and :mod:`~mapper.gazetteer.extents` know
countries, their divisions and their extents.

The names below load their module on first use, so importing the package (or
``mapper``) does not import numpy.
"""

from __future__ import annotations

import importlib

# public name -> module that defines it
_LAZY = {
    "FUZZY_THRESHOLD": "mapper.gazetteer.lookup",
    "LARGE_TABLE_THRESHOLD": "mapper.gazetteer.lookup",
    "PlaceRow": "mapper.gazetteer.places",
    "PlaceTable": "mapper.gazetteer.places",
    "ParsedPlace": "mapper.gazetteer.names",
    "normalize_name": "mapper.gazetteer.names",
    "parse_place": "mapper.gazetteer.names",
    "RESULT_COLUMNS": "mapper.gazetteer.lookup",
    "Gazetteer": "mapper.gazetteer.lookup",
    "Match": "mapper.gazetteer.lookup",
    "match_fields": "mapper.gazetteer.lookup",
    "GAZETTEER_COLUMNS": "mapper.gazetteer.write",
    "LEARNED_COLUMNS": "mapper.gazetteer.write",
    "write_gazetteer_csv": "mapper.gazetteer.write",
    "curated_table": "mapper.gazetteer.sources.curated",
    "read_gazetteer_csv": "mapper.gazetteer.sources.user",
    "read_gazetteer_file": "mapper.gazetteer.sources.user",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'mapper.gazetteer' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
