"""Importers: the tables analysts already hold, turned into our schema.

:func:`import_acled` reads an ACLED export, :func:`import_ucdp` a UCDP GED file
(with or without its row of HXL tags), :func:`import_gtd` a Global Terrorism
Database extract and :func:`import_table` any other table whose columns it can
recognise (CSV, spreadsheet, GeoJSON, GeoPackage, Shapefile, Parquet). Each
returns an :class:`ImportResult` whose report accounts for every input row;
:func:`write_dataset` writes it as a dataset directory that
:func:`mapper.read_dataset` reads back.

This module only re-exports; the importers import their shared helpers from
:mod:`mapper.importers.common`, never from here.
"""

from __future__ import annotations

import importlib

from mapper.importers.common import UNUSABLE, ImportResult, write_dataset

__all__ = [
    "UNUSABLE",
    "ImportResult",
    "import_acled",
    "import_gtd",
    "import_table",
    "import_ucdp",
    "write_dataset",
]

# The importers load pandas and friends: import each on first use.
_LAZY = {
    "import_acled": "mapper.importers.acled",
    "import_ucdp": "mapper.importers.ucdp",
    "import_gtd": "mapper.importers.gtd",
    "import_table": "mapper.importers.table",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'mapper.importers' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
