"""Commands ``mapper import table`` and ``mapper import gtd``: any table, by its column names."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

from mapper.cli.rows import add_reading_options

if TYPE_CHECKING:
    from mapper.importers.common import ImportResult


def _column_pair(text: str) -> tuple[str, str]:
    field, sep, header = text.partition("=")
    if not sep or not field.strip() or not header.strip():
        raise argparse.ArgumentTypeError(f"expected FIELD=HEADER, got {text!r}")
    return field.strip(), header.strip()


def register_imports(kinds: argparse._SubParsersAction) -> None:
    """Register ``import table`` and ``import gtd`` under ``mapper import``."""
    from mapper.cli.data import run_import

    k = kinds.add_parser(
        "table",
        help="import any table whose columns are recognised (CSV, XLSX, GeoJSON, GPKG, Parquet)",
        description="Detect which column gives the date, place, coordinates, figures and "
        "sources from their headers; print the mapping and record it in dataset.json. "
        "Columns no field takes are kept.",
    )
    k.add_argument("file", metavar="FILE")
    k.add_argument("-o", "--output", required=True, metavar="DIR")
    k.add_argument(
        "--column",
        action="append",
        type=_column_pair,
        default=[],
        metavar="FIELD=HEADER",
        help="read FIELD from the column headed HEADER (repeatable), e.g. place=Town",
    )
    k.add_argument("--date-format", metavar="FMT", help="strptime format, e.g. %%d/%%m/%%Y")
    k.add_argument("--claimant", metavar="NAME", help="whose figures these are (default: file)")
    k.add_argument("--claimant-side", metavar="SIDE", help="state, armed group, independent, ...")
    k.add_argument("--sheet", metavar="NAME", help="the workbook's sheet (default: the first)")
    k.add_argument(
        "--event-type", metavar="TYPE", help="ACLED event or sub-event type for every row"
    )
    add_reading_options(k, gazetteer=False)
    k.set_defaults(run=run_import)

    k = kinds.add_parser(
        "gtd",
        help="import a Global Terrorism Database extract (CSV, XLSX or GeoJSON)",
        description="Read your own copy of a GTD extract; the project ships no GTD data.",
    )
    k.add_argument("file", metavar="FILE")
    k.add_argument("-o", "--output", required=True, metavar="DIR")
    k.add_argument("--sheet", metavar="NAME", help="the workbook's sheet (default: the first)")
    add_reading_options(k, gazetteer=False)
    k.set_defaults(run=run_import)


def importer_for(args: argparse.Namespace) -> Callable[[str], ImportResult]:
    """Return the import ``args`` asks for, with its options bound."""
    from mapper.errors import UsageError

    if args.source == "gtd":
        from mapper.importers.gtd import import_gtd

        return lambda path: import_gtd(path, sheet=args.sheet)
    from mapper.importers.table import import_table

    columns: dict[str, str] = {}
    for field, header in args.column:
        if field in columns:
            raise UsageError(f"--column {field}= given twice ({columns[field]!r} and {header!r})")
        columns[field] = header
    return lambda path: import_table(
        path,
        columns=columns,
        date_format=args.date_format,
        claimant=args.claimant,
        claimant_side=args.claimant_side,
        sheet=args.sheet,
        event_type=args.event_type,
    )
