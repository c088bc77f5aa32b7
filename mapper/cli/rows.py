"""What every command that reads data shares: its reading options and the account of every row.

Each such command lists rejected rows on stderr, ends with
``N rows: P placed, U kept but unplaced, R rejected``, writes the row-by-row
account with ``--report FILE``, and exits 1 when any row was rejected (its output,
if any, is still written: nothing usable is thrown away).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from mapper.errors import UsageError

if TYPE_CHECKING:
    import pandas as pd

# Control characters from a data file must not reach the terminal as escapes.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

#: Rows listed one per line before the rest are only counted (--report lists every row).
LIST_LIMIT = 20


def safe(text: object) -> str:
    """Return ``text`` with control characters masked, fit for a terminal."""
    return _CONTROL.sub("\N{REPLACEMENT CHARACTER}", str(text))


def add_reading_options(p: argparse.ArgumentParser, *, gazetteer: bool = True) -> None:
    """Add ``--gazetteer FILE``, ``--boundaries FILE`` (both repeatable) and ``--report FILE``."""
    if gazetteer:
        p.add_argument(
            "--gazetteer",
            action="append",
            default=[],
            metavar="FILE",
            help="extra place names (CSV or GeoNames dump) searched before the default; repeatable",
        )
        add_boundary_options(p)
    p.add_argument(
        "--report",
        metavar="FILE",
        help="write the row-by-row account (placed/unplaced/rejected, with reasons) as CSV",
    )


def add_boundary_options(p: argparse.ArgumentParser) -> None:
    """Add ``--boundaries FILE`` (repeatable) and the options that say how to read it."""
    g = p.add_argument_group(
        "boundaries",
        "areas of your own (GeoPackage, GeoJSON or Shapefile), used with the bundled ones "
        "(Pakistan's districts and provinces, the world's countries): province and district "
        "hints and names are read against them, points checked against the district or "
        "province a row names, and empty ones filled",
    )
    g.add_argument(
        "--boundaries",
        action="append",
        default=[],
        metavar="FILE",
        help="a boundaries file; repeatable (each read with the options below)",
    )
    g.add_argument(
        "--boundary-name-column",
        metavar="COL",
        help="the column holding each area's name (required with --boundaries)",
    )
    g.add_argument(
        "--boundary-parent-column",
        metavar="COL",
        help="the column naming the area each one lies in (a district's province)",
    )
    g.add_argument(
        "--boundary-level",
        choices=("district", "province", "country"),
        default="district",
        help="the level of the file's areas (default: district)",
    )
    g.add_argument(
        "--boundary-country",
        metavar="CODE",
        help="the country of every area (default: where each lies among the bundled countries)",
    )


def areas_from(args: argparse.Namespace) -> Any:
    """Return the areas ``--boundaries`` asks for, or None for the readers' default.

    Notes about repairs or reprojection are printed to stderr.
    """
    paths = getattr(args, "boundaries", None)
    if not paths:
        for option in ("boundary_name_column", "boundary_parent_column", "boundary_country"):
            if getattr(args, option, None):
                flag = "--" + option.replace("_", "-")
                raise UsageError(f"{flag} needs --boundaries FILE")
        return None
    if not args.boundary_name_column:
        raise UsageError("--boundaries needs --boundary-name-column COL: the column of names")
    from mapper.areas import Areas

    areas = Areas.bundled().with_files(
        *paths,
        name_column=args.boundary_name_column,
        parent_column=args.boundary_parent_column,
        level=args.boundary_level,
        country=args.boundary_country,
    )
    for note in areas.notes:
        print(safe(f"note: {note}"), file=sys.stderr)
    return areas


def gazetteer_from(args: argparse.Namespace) -> Any:
    """Return the gazetteer ``--gazetteer`` asks for, or None for the reader's default."""
    if not getattr(args, "gazetteer", None):
        return None  # the reader loads the default only if some row needs it
    from mapper.gazetteer import Gazetteer

    return Gazetteer.default().with_files(*args.gazetteer)


def count_line(report: pd.DataFrame) -> str:
    """Return ``"N rows: P placed, U kept but unplaced, R rejected"`` for a report."""
    from mapper.schema import row_counts

    n = row_counts(report)
    return (
        f"{len(report)} rows: {n['placed']} placed, {n['unplaced']} kept but unplaced, "
        f"{n['rejected']} rejected"
    )


def list_rows(report: pd.DataFrame, *, limit: int = LIST_LIMIT) -> None:
    """Print the rejected rows of ``report`` to stderr, one line each, at most ``limit``."""
    rejected = report[report["status"] == "rejected"]
    for row in rejected.head(limit).itertuples(index=False):
        print(safe(f"rejected: {row.file}:{row.line}: {row.reason}"), file=sys.stderr)
    if len(rejected) > limit:
        print(
            f"... and {len(rejected) - limit} more rejected rows (--report FILE lists every row)",
            file=sys.stderr,
        )


def nothing_kept(report: pd.DataFrame, what: str, inputs: Sequence[str]) -> str | None:
    """Return why there is nothing to ``what`` (no incident row kept), or None."""
    incidents = report[report["table"] == "incidents"]
    if (incidents["status"] != "rejected").any():
        return None
    files = ", ".join(dict.fromkeys(incidents["file"])) if len(incidents) else ""
    files = files or ", ".join(inputs) or "the bundled dataset"
    if len(incidents) == 0:
        return f"nothing to {what}: no incident rows in {files}"
    return f"nothing to {what}: every incident row of {files} was rejected"


def finish(args: argparse.Namespace, report: pd.DataFrame) -> int:
    """Write ``--report``, print the count line; return 1 if any row was rejected, else 0."""
    if getattr(args, "report", None):
        from mapper.files import atomic_write
        from mapper.schema import REPORT_COLUMNS

        with atomic_write(args.report, newline="") as fh:
            report[list(REPORT_COLUMNS)].to_csv(fh, index=False, lineterminator="\n")
    print(count_line(report), file=sys.stderr)
    return int((report["status"] == "rejected").any())
