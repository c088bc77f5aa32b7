"""``mapper gazetteer learn``: a gazetteer CSV learned from geocoded event tables.

Reads ACLED, UCDP GED or GTD exports (recognised by their columns) or any
table whose columns are named with the ``--*-column`` options, and writes the
places learned (see :mod:`mapper.gazetteer.sources.learned`) as a CSV that ``--gazetteer``
accepts. Like the other commands that read rows, it lists rejected rows on
stderr, writes the row-by-row account with ``--report FILE``, ends with one
count line, and exits 1 when rows were rejected (the output is still written).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from mapper.errors import UsageError

if TYPE_CHECKING:
    import pandas as pd


def register(gsub: argparse._SubParsersAction) -> None:
    """Register ``mapper gazetteer learn``."""
    p = gsub.add_parser(
        "learn",
        help="learn place names and coordinates from geocoded tables (ACLED, UCDP GED, GTD...)",
        description=(
            "Learn a gazetteer from geocoded event tables: one robust point per place name "
            "(outlying rows set aside), two places when one name's rows form far-apart "
            "clusters, district- and province-level rows learned as districts and provinces. "
            "ACLED, UCDP GED and GTD exports are recognised by their columns; name the "
            "columns of any other table with the --*-column options."
        ),
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="geocoded tables (CSV)")
    p.add_argument("-o", "--output", required=True, metavar="OUT.csv", help="the gazetteer CSV")
    for role, what in (
        ("name", "the place name"),
        ("lat", "the latitude"),
        ("lon", "the longitude"),
        ("precision", "the location precision (the layout's codes or exact/near/district...)"),
        ("district", "the district"),
        ("province", "the province"),
    ):
        p.add_argument(f"--{role}-column", metavar="COL", help=f"column holding {what}")
    p.add_argument(
        "--source-column",
        metavar="COL",
        help="column naming each row's source (default: each file is one source)",
    )
    p.add_argument(
        "--report",
        metavar="FILE",
        help="write the row-by-row account (learned/set aside/rejected, with reasons) as CSV",
    )
    p.add_argument("--progress", action="store_true", help="show progress bars for large tables")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Learn, write the gazetteer (and report), print the account; 1 if rows were rejected."""
    from mapper.cli.rows import LIST_LIMIT, safe
    from mapper.gazetteer import write_gazetteer_csv
    from mapper.gazetteer.sources.learned import learn_gazetteer

    result = learn_gazetteer(
        args.files,
        name_column=args.name_column,
        lat_column=args.lat_column,
        lon_column=args.lon_column,
        precision_column=args.precision_column,
        district_column=args.district_column,
        province_column=args.province_column,
        source_column=args.source_column,
        progress=args.progress or sys.stderr.isatty(),
    )
    report = result.report
    rejected = report[report["status"] == "rejected"]
    for row in rejected.head(LIST_LIMIT).itertuples(index=False):
        print(safe(f"rejected: {row.file}:{row.line}: {row.reason}"), file=sys.stderr)
    if len(rejected) > LIST_LIMIT:
        print(
            f"... and {len(rejected) - LIST_LIMIT} more rejected rows "
            "(--report FILE lists every row)",
            file=sys.stderr,
        )
    if not result.rows:
        if args.report:
            _write_report(report, args.report)
        print(result.count_line(), file=sys.stderr)
        raise UsageError(
            f"nothing learned: no usable row in {', '.join(args.files)}; nothing written to "
            f"{args.output}"
        )
    write_gazetteer_csv(result.rows, args.output)
    if args.report:
        _write_report(report, args.report)
    layouts = ", ".join(f"{f} ({layout})" for f, layout in result.layouts.items())
    print(safe(f"read {layouts}"), file=sys.stderr)
    print(result.count_line() + f" -> {args.output}", file=sys.stderr)
    return int(len(rejected) > 0)


def _write_report(report: pd.DataFrame, path: str) -> None:
    from mapper.files import atomic_write
    from mapper.gazetteer.sources.learned import LEARN_REPORT_COLUMNS

    with atomic_write(path, newline="") as fh:
        report[list(LEARN_REPORT_COLUMNS)].to_csv(fh, index=False, lineterminator="\n")
