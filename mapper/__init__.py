"""mapper: resolve place names, hold contested claims side by side, draw offline incident maps.

The public API, re-exported here by name. Heavy modules (numpy, geopandas,
folium) load on first use, so ``import mapper`` and the command line start fast.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

from mapper.errors import InputError, MapperError, Problem, UsageError, ValidationError
from mapper.schema import Dataset

# public name -> module that defines it
_LAZY = {
    "Areas": "mapper.areas",
    "Gazetteer": "mapper.gazetteer.lookup",
    "Match": "mapper.gazetteer.lookup",
    "write_gazetteer_csv": "mapper.gazetteer.write",
    "learn_gazetteer": "mapper.gazetteer.sources.learned",
    "import_geonames": "mapper.gazetteer.sources.geonames_dump",
    "read_dataset": "mapper.dataset",
    "read_datasets": "mapper.dataset",
    "validate_dataset": "mapper.dataset",
    "claim_ranges": "mapper.claims",
    "import_acled": "mapper.importers",
    "import_ucdp": "mapper.importers",
    "write_dataset": "mapper.importers",
    "export_incidents": "mapper.export",
    "build_map": "mapper.render",
    "save_map": "mapper.render",
}

__all__ = [
    "Dataset",
    "InputError",
    "MapperError",
    "Problem",
    "UsageError",
    "ValidationError",
    "__version__",
    *sorted(_LAZY),
]


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'mapper' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
