"""``mapper import table``, ``mapper import gtd``, and any table given to ``map`` or ``validate``.

A file that is not one of our own tables is imported first (by
:func:`mapper.importers.detect.recognise`), into a temporary dataset that the
command then reads as usual; what was detected is printed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mapper.cli.rows import LIST_LIMIT, add_reading_options, finish, list_rows, safe

if TYPE_CHECKING:
    import pandas as pd

    from mapper.importers.common import ImportResult


def _column_pair(text: str) -> tuple[str, str]:
    field, sep, header = text.partition("=")
    if not sep or not field.strip() or not header.strip():
        raise argparse.ArgumentTypeError(f"expected FIELD=HEADER, got {text!r}")
    return field.strip(), header.strip()


def add_table_options(p: argparse.ArgumentParser, *, claims: bool = True) -> None:
    """Add the options that tell how to read a table: columns, dates, sheet, types."""
    p.add_argument(
        "--column",
        action="append",
        type=_column_pair,
        default=[],
        metavar="FIELD=HEADER",
        help="read FIELD from the column headed HEADER (repeatable), e.g. place=Town",
    )
    p.add_argument(
        "--date-format",
        metavar="FMT",
        help="strptime format of the date column, e.g. %%d/%%m/%%Y",
    )
    p.add_argument("--sheet", metavar="NAME", help="the workbook's sheet (default: the first)")
    p.add_argument(
        "--event-type",
        metavar="TYPE",
        help="ACLED event or sub-event type for every row of a table without a type column",
    )
    if claims:
        p.add_argument("--claimant", metavar="NAME", help="whose figures these are")
        p.add_argument(
            "--claimant-side",
            metavar="SIDE",
            help="state, armed group, independent, media or dataset (default)",
        )


def table_options(args: argparse.Namespace) -> dict[str, Any]:
    """Return the keyword arguments of :func:`mapper.importers.table.import_table` from ``args``."""
    from mapper.errors import UsageError

    columns: dict[str, str] = {}
    for field, header in getattr(args, "column", None) or []:
        if field in columns:
            raise UsageError(f"--column {field}= given twice ({columns[field]!r} and {header!r})")
        columns[field] = header
    return {
        "columns": columns,
        "date_format": getattr(args, "date_format", None),
        "claimant": getattr(args, "claimant", None),
        "claimant_side": getattr(args, "claimant_side", None),
        "sheet": getattr(args, "sheet", None),
        "event_type": getattr(args, "event_type", None),
    }


def register_imports(kinds: argparse._SubParsersAction) -> None:
    """Register ``import table`` and ``import gtd`` under ``mapper import``."""
    k = kinds.add_parser(
        "table",
        help="import any table whose columns are recognised (CSV, XLSX, GeoJSON, GPKG, Parquet)",
        description="Detect which column gives the date, place, coordinates, figures and "
        "sources from their headers; print the mapping and record it in dataset.json. "
        "Columns no field takes are kept.",
    )
    k.add_argument("file", metavar="FILE")
    k.add_argument("-o", "--output", required=True, metavar="DIR")
    add_table_options(k)
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
    from mapper.importers.detect import import_any

    options = table_options(args)
    return lambda path: import_any(path, args.source, **options)


@contextmanager
def as_datasets(
    paths: Sequence[str | None], args: argparse.Namespace, *, keep_going: bool = False
) -> Iterator[tuple[list[str | None], list[pd.DataFrame]]]:
    """Import every path that is not one of our tables into a temporary dataset.

    Yields the paths to read (imported ones replaced by their temporary
    dataset) and the import reports (their rejected rows, by source line).
    With ``keep_going``, a file that cannot be imported is reported on stderr
    and left out (``args.failed`` is set) instead of stopping the command.
    """
    from mapper.errors import MapperError
    from mapper.importers.common import write_dataset
    from mapper.importers.detect import import_any, recognise

    options = table_options(args)
    with tempfile.TemporaryDirectory(prefix="mapper-import-") as tmp:
        out: list[str | None] = []
        reports = []
        for i, path in enumerate(paths):
            layout = recognise(path)
            if layout is None:
                out.append(path)
                continue
            try:
                result = import_any(str(path), layout, **options)
            except MapperError as err:
                if not keep_going:
                    raise
                print(safe(f"mapper: error: {err}"), file=sys.stderr)
                args.failed = True
                continue
            print(safe(f"note: {path}: read as {result.detected}"), file=sys.stderr)
            for field, header in result.columns.items():
                print(safe(f"  {field} <- {header!r}"), file=sys.stderr)
            out.append(str(write_dataset(result, Path(tmp) / str(i))))
            rejected = result.report[result.report["status"] == "rejected"]
            reports.append(rejected)
        yield out, reports


def run_import(args: argparse.Namespace) -> int:
    """Import a file (ACLED, UCDP, GTD or any detected table) and write a dataset directory."""
    from mapper.importers.common import UNUSABLE, write_dataset

    if args.source == "acled":
        from mapper.importers.acled import import_acled as importer
    elif args.source == "ucdp":
        from mapper.importers.ucdp import import_ucdp as importer
    else:
        from mapper.cli.tables import importer_for

        importer = importer_for(args)
    result = importer(args.file)
    if result.detected:
        print(safe(f"read {args.file} as {result.detected}"), file=sys.stderr)
    for field, header in result.columns.items():
        print(safe(f"  {field} <- {header!r}"), file=sys.stderr)
    out = write_dataset(result, args.output)
    list_rows(result.report)
    rep = result.report
    # Points set aside: unusable, or contradicting the row's areas, the table or its name.
    moved = rep[
        ((rep["status"] == "unplaced") & rep["reason"].str.startswith(UNUSABLE))
        | rep["reason"].str.contains("source_latitude", regex=False)
    ]
    for row in moved.head(LIST_LIMIT).itertuples(index=False):
        print(safe(f"note: {row.file}:{row.line}: {row.reason}"), file=sys.stderr)
    print(
        f"wrote {out} ({len(result.incidents)} incidents, {len(result.claims)} claims)",
        file=sys.stderr,
    )
    inc = result.incidents
    by_name = int(((inc["latitude"].fillna("") == "") & (inc["place"].fillna("") != "")).sum())
    if by_name:
        # "kept but unplaced" here means "not placed yet": say where they get placed.
        some = f"{by_name:,} incidents name a place" if by_name != 1 else "1 incident names a place"
        print(
            safe(
                f"{some} without coordinates: the gazetteer places "
                f"{'them' if by_name != 1 else 'it'} when the dataset is read "
                f"(`mapper validate {out}` lists what it cannot place)"
            ),
            file=sys.stderr,
        )
    return finish(args, result.report)
