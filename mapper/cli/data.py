"""Commands that check, summarise, import and export data.

``mapper validate``, ``mapper claims``, ``mapper import acled|ucdp`` and
``mapper export``. Every command that reads data ends with one line on stderr:
``N rows: P placed, U kept but unplaced, R rejected``; ``--report FILE`` writes
the row-by-row account as CSV.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mapper.cli.rows import (
    add_reading_options,
    areas_from,
    finish,
    gazetteer_from,
    list_rows,
    nothing_kept,
    safe,
)
from mapper.cli.tables import add_table_options, run_import

if TYPE_CHECKING:
    import pandas as pd


def register(sub: argparse._SubParsersAction) -> None:
    """Register ``validate``, ``claims``, ``import`` and ``export``."""
    p = sub.add_parser(
        "validate",
        help="check datasets or incident files and list every mistake",
        description="Check datasets (directories) or single incident CSVs. Exit status: 0 valid, "
        "1 problems found (listed one per line), 2 a file cannot be read.",
    )
    p.add_argument(
        "paths",
        nargs="*",
        metavar="DATASET_OR_FILE",
        help="dataset directory, incidents CSV, or any table 'mapper import' reads "
        "(default: the bundled dataset)",
    )
    add_reading_options(p)
    add_table_options(p, claims=False)
    p.set_defaults(run=run_validate)

    p = sub.add_parser(
        "claims",
        help="every party's figures side by side, with ranges and sources",
        description="For each incident or operation and each subject/outcome: every claim, the "
        "range across claimants, the spread (highest over lowest) and the conservative figure.",
    )
    p.add_argument("path", nargs="?", metavar="DATASET", help="default: the bundled dataset")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    add_reading_options(p)
    p.set_defaults(run=run_claims)

    p = sub.add_parser(
        "import",
        help="turn an ACLED or UCDP GED file into a dataset directory",
        description="Write a dataset directory (incidents.csv, claims.csv, dataset.json).",
    )
    kinds = p.add_subparsers(dest="source", metavar="SOURCE", parser_class=type(p))
    kinds.required = True
    for name, label in (
        ("acled", "an ACLED export (CSV)"),
        ("ucdp", "a UCDP GED file (CSV, HXL or not)"),
    ):
        k = kinds.add_parser(name, help=f"import {label}")
        k.add_argument("file", metavar="FILE")
        k.add_argument(
            "-o", "--output", required=True, metavar="DIR", help="dataset directory to write"
        )
        add_reading_options(k, gazetteer=False)
        k.set_defaults(run=run_import)
    from mapper.cli.tables import register_imports

    register_imports(kinds)

    p = sub.add_parser(
        "export",
        help="write the resolved incidents as GeoJSON, GeoPackage, Parquet or CSV",
        description="The format follows the suffix of OUT: .geojson, .gpkg, .parquet or .csv.",
    )
    p.add_argument("paths", nargs="*", metavar="DATASET", help="default: the bundled dataset")
    p.add_argument("-o", "--output", required=True, metavar="OUT")
    add_reading_options(p)
    p.set_defaults(run=run_export)


# --- validate ---------------------------------------------------------------------


def run_validate(args: argparse.Namespace) -> int:
    """List every problem in each dataset; exit 0 valid, 1 problems, 2 unreadable."""
    import pandas as pd

    from mapper.cli.tables import as_datasets

    gazetteer = gazetteer_from(args)
    areas = areas_from(args)
    reports = []
    status = 0
    args.failed = False
    with as_datasets(args.paths or [None], args, keep_going=True) as (paths, imported):
        for report in imported:  # rows an import refused, by their line in the source
            for row in report.itertuples(index=False):
                print(safe(f"{row.file}:{row.line}: {row.reason}"))
            status = max(status, int(len(report) > 0))
            reports.append(report)
        status = max(status, 2 if args.failed else 0)
        for path in paths:
            shown = _given(path, args.paths)
            status = max(status, _validate_one(path, shown, gazetteer, areas, reports))
    if reports:
        status = max(status, finish(args, pd.concat(reports, ignore_index=True)))
    if status == 0:
        print("valid", file=sys.stderr)
    return status


def _given(path: str | None, given: list[str]) -> str | None:
    """Return the path the user gave for ``path`` (an imported table's temporary dataset)."""
    if path is None or path in given:
        return path
    return given[int(Path(path).name)]


def _validate_one(
    path: str | None, shown: str | None, gazetteer: Any, areas: Any, reports: list
) -> int:
    """Check one dataset; print its problems; return 0 valid, 1 problems, 2 unreadable."""
    from mapper.dataset import check_dataset
    from mapper.errors import InputError, Problem

    def show(text: object) -> str:
        # An imported table is checked in a temporary directory: name the user's file.
        out = safe(text)
        return out.replace(str(path), f"{shown} (as imported)") if shown != path else out

    try:
        dataset, problems = check_dataset(path, gazetteer=gazetteer, areas=areas, geometry=False)
    except InputError as err:
        if err.line == 1 and err.reason.startswith("missing required column"):
            problem = Problem(err.path or str(path), 1, None, None, err.reason)
            print(show(problem))
            return 1
        print(f"mapper: error: {show(err)}", file=sys.stderr)
        return 2
    for problem in problems:
        print(show(problem))
    for note in dataset.notes:
        print(show(f"note: {note}"), file=sys.stderr)
    unplaced = dataset.report[dataset.report["status"] == "unplaced"]
    for row in unplaced.itertuples(index=False):
        if row.table == "incidents":
            print(show(f"note: {row.file}:{row.line}: unplaced: {row.reason}"), file=sys.stderr)
    reports.append(dataset.report)
    return int(bool(problems))


# --- claims -----------------------------------------------------------------------


def _figure(low: Any, high: Any) -> str:
    import pandas as pd

    if pd.isna(high):
        return f"{low}+"  # "at least" / "over": no upper figure was claimed
    return f"{low}" if low == high else f"{low}-{high}"


def format_claims_table(ranges: pd.DataFrame) -> str:
    """Render :func:`mapper.claims.claim_ranges` output as grouped plain text."""
    import pandas as pd

    lines: list[str] = []
    keys = ["target", "target_id", "subject", "outcome"]
    for (target, target_id, subject, outcome), part in ranges.groupby(keys, sort=False):
        first = part.iloc[0]
        spread = "" if pd.isna(first["spread"]) else f" · spread {first['spread']:g}×"
        head = (
            f"{target} {target_id} · {subject} {outcome} · "
            f"{first['claimants']} claimant{'s' if first['claimants'] != 1 else ''} · "
            f"range {first['range_low']}-{first['range_high']}{spread} · "
            f"conservative {first['conservative']} ({first['conservative_claimants']})"
        )
        lines.append(safe(head))
        width = max(len(_figure(r.low, r.high)) for r in part.itertuples())
        for r in part.itertuples():
            side = "" if pd.isna(r.claimant_side) else f" ({r.claimant_side})"
            on = "" if pd.isna(r.claimed_on) else f", {r.claimed_on}"
            on += "" if pd.isna(r.part_of) else f", part of {r.part_of} (never added to it)"
            lines.append(
                safe(
                    f"  {_figure(r.low, r.high):>{width}}  {r.claimant}{side}{on}  "
                    f"[{r.claim_id}]  source: {r.source}"
                )
            )
        lines.append("")
    return "\n".join(lines).rstrip("\n") + ("\n" if lines else "")


def run_claims(args: argparse.Namespace) -> int:
    """Print every party's figures side by side."""
    import json

    from mapper.claims import claim_groups, claim_ranges
    from mapper.dataset import read_dataset

    dataset = read_dataset(
        args.path, gazetteer=gazetteer_from(args), areas=areas_from(args), geometry=False
    )
    ranges = claim_ranges(dataset.claims)
    if args.format == "csv":
        ranges.to_csv(sys.stdout, index=False, lineterminator="\n")
    elif args.format == "json":
        json.dump(claim_groups(ranges), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_claims_table(ranges) or "no claims\n")
    list_rows(dataset.report)
    return finish(args, dataset.report)


# --- import -----------------------------------------------------------------------


# --- export -----------------------------------------------------------------------


def run_export(args: argparse.Namespace) -> int:
    """Export the resolved incidents; the suffix of ``-o`` picks the format."""
    from mapper.dataset import read_datasets
    from mapper.errors import UsageError
    from mapper.export import EXPORT_FORMATS, export_incidents

    suffix = Path(args.output).suffix.lower()
    if suffix not in EXPORT_FORMATS:  # before reading anything
        raise UsageError(
            f"cannot export to {args.output!r}: expected a file ending in "
            f"{', '.join(EXPORT_FORMATS)}"
        )
    dataset = read_datasets(
        args.paths or [None], gazetteer=gazetteer_from(args), areas=areas_from(args), geometry=False
    )
    empty = nothing_kept(dataset.report, "export", args.paths)
    if empty is not None:  # an existing export stays as it was
        list_rows(dataset.report)
        finish(args, dataset.report)
        print(f"mapper: error: {safe(empty)}", file=sys.stderr)
        return 1
    out = export_incidents(dataset, args.output)
    list_rows(dataset.report)
    print(
        f"wrote {out} ({len(dataset.incidents)} incidents, {EXPORT_FORMATS[suffix]})",
        file=sys.stderr,
    )
    return finish(args, dataset.report)
