"""``mapper resolve``: place names to coordinates, one by one or a whole CSV column.

Heavy libraries (pandas, rapidfuzz) load only when a command needs them, so
``mapper resolve Quetta`` answers in a fraction of a second.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mapper.cli.rows import add_boundary_options, areas_from
from mapper.errors import InputError, UsageError

FORMATS = ("csv", "json", "table")
# Columns of the table printed for names given on the command line.
_TABLE_COLUMNS = (
    ("query", "query"),
    ("matched_name", "match"),
    ("latitude", "lat"),
    ("longitude", "lon"),
    ("precision", "precision"),
    ("kind", "kind"),
    ("match_type", "type"),
    ("score", "score"),
    ("district", "district"),
    ("country", "cc"),
    ("note", "note"),
)


def register(sub: argparse._SubParsersAction) -> None:
    """Register the ``resolve`` command."""
    p = sub.add_parser(
        "resolve",
        help="resolve place names to coordinates",
        description=(
            "Resolve place names as reporters spell them to coordinates with a precision. "
            "Give names, or --input FILE.csv --column COL to resolve a whole column."
        ),
    )
    p.add_argument("names", nargs="*", metavar="NAME", help="place names to resolve")
    p.add_argument("--input", "-i", metavar="FILE.csv", help="a CSV file with a column of names")
    p.add_argument("--column", "-c", metavar="COL", help="the column of --input holding the names")
    p.add_argument("--country", metavar="CODE", help="country hint: ISO code or English name")
    p.add_argument("--province", metavar="NAME", help="province hint for every name")
    p.add_argument("--district", metavar="NAME", help="district hint for every name")
    p.add_argument("--province-column", metavar="COL", help="column of --input with province hints")
    p.add_argument("--district-column", metavar="COL", help="column of --input with district hints")
    p.add_argument(
        "--gazetteer",
        "-g",
        metavar="FILE",
        action="append",
        default=[],
        help="a user gazetteer (CSV or GeoNames dump) that takes precedence; repeatable",
    )
    add_boundary_options(p)
    p.add_argument("--output", "-o", metavar="OUT", help="write the result here instead of stdout")
    p.add_argument(
        "--format",
        "-f",
        choices=FORMATS,
        help="output format (default: table for names, csv for --input, or from OUT's suffix)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``mapper resolve``; return the exit status."""
    from mapper.gazetteer import Gazetteer

    if args.input and args.names:
        raise UsageError("give place names or --input FILE, not both")
    if not args.input and not args.names:
        raise UsageError("expected place names or --input FILE.csv --column COL, got neither")
    if not args.input:
        for option in ("column", "province_column", "district_column"):
            if getattr(args, option):
                flag = "--" + option.replace("_", "-")
                raise UsageError(f"{flag} needs --input FILE.csv")
    fmt = args.format or _format_from_output(args.output, default="table" if args.names else "csv")
    gazetteer = Gazetteer.default()
    if args.gazetteer:
        gazetteer = gazetteer.with_files(*args.gazetteer)
    hints = {"country": args.country, "province": args.province, "district": args.district}
    areas = areas_from(args)
    if areas is not None:
        gazetteer = gazetteer.with_areas(areas)
    if args.names:
        matches, region = gazetteer.resolve_batch(args.names, **hints)
        rows = _with_admin([m.as_dict() for m in matches], areas)
        columns = list(rows[0])
        text = _render(rows, columns, fmt)
        counts = _count(m.match_type for m in matches)
        notes = [f"warning: {w}" for w in dict.fromkeys(w for m in matches for w in m.warnings)]
        if region:
            notes.append(region)
    else:
        text, counts, notes = _resolve_file(args, gazetteer, hints, fmt, areas)
    _emit(text, args.output)
    for note in notes:
        print(f"mapper: {note}", file=sys.stderr)
    _summary(counts, gazetteer, fmt, args.output)
    return 0


def _format_from_output(output: str | None, *, default: str) -> str:
    if output:
        suffix = Path(output).suffix.lower()
        if suffix == ".json":
            return "json"
        if suffix in (".txt", ".table"):
            return "table"
        return "csv"
    return default


def _blank(value: Any) -> bool:
    """Say whether a result cell is empty: None, NaN, pandas' NA or blank text."""
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    return value is None or type(value).__name__ == "NAType"


def _needs_areas(lat: Any, lon: Any, country: Any, province: Any, district: Any) -> bool:
    """Say whether the bundled areas could fill an empty admin field of one result."""
    if _blank(lat) or _blank(lon):
        return False
    if _blank(country):
        return True
    if not _blank(province) and not _blank(district):
        return False
    from mapper.areas import bundled_admin_extent

    west, south, east, north = bundled_admin_extent()
    return west <= float(lon) <= east and south <= float(lat) <= north


def _with_admin(rows: list[dict[str, Any]], areas: Any) -> list[dict[str, Any]]:
    """Fill the results' empty district, province and country from their points.

    The areas load only when some result could gain a field from them (most
    answers from the curated overlay already carry all three).
    """
    fields = ("latitude", "longitude", "country", "province", "district")
    if areas is None and not any(_needs_areas(*(r.get(f) for f in fields)) for r in rows):
        return rows
    import pandas as pd

    from mapper.areas import Areas

    frame = pd.DataFrame(
        [{f: r.get(f) for f in (*fields, "precision")} for r in rows], dtype=object
    )
    filled, _ = (areas or Areas.bundled()).fill_admin(frame, precision="precision")
    out = []
    for r, new in zip(rows, filled.to_dict("records"), strict=True):
        r = dict(r)
        for f in ("country", "province", "district"):
            value = new[f]
            r[f] = (
                None if value is None or (isinstance(value, float) and math.isnan(value)) else value
            )
        out.append(r)
    return out


def _resolve_file(
    args: argparse.Namespace, gazetteer: Any, hints: dict[str, Any], fmt: str, areas: Any
) -> tuple[str, dict[str, int], list[str]]:
    import pandas as pd

    from mapper.files import read_text
    from mapper.gazetteer import RESULT_COLUMNS

    if not args.column:
        raise UsageError("--input needs --column COL: the column holding the place names")
    text = read_text(args.input)
    try:
        # Every cell as text: "NA" is Namibia and "0012" an identifier, not numbers.
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError as err:
        raise InputError(
            "expected a CSV with a header line, got an empty file", path=args.input
        ) from err
    except pd.errors.ParserError as err:
        raise InputError(f"cannot parse as CSV: {err}", path=args.input) from err
    for option, column in (
        ("--column", args.column),
        ("--province-column", args.province_column),
        ("--district-column", args.district_column),
    ):
        if column is not None and column not in table.columns:
            raise InputError(
                f"{option}: expected a column named {column!r}, found: {', '.join(table.columns)}",
                path=args.input,
                line=1,
            )
    blank_to_na = {"": None}
    names = table[args.column].replace(blank_to_na)
    if args.province_column:
        hints["province"] = table[args.province_column].replace(blank_to_na)
    if args.district_column:
        hints["district"] = table[args.district_column].replace(blank_to_na)
    result = gazetteer.resolve_many(names, **hints)
    notes = [f"warning: {w}" for w in result.attrs.get("warnings", [])]
    if result.attrs.get("region"):
        notes.append(result.attrs["region"])
    admin = ["latitude", "longitude", "country", "province", "district"]
    if areas is not None or any(
        _needs_areas(*row) for row in result[admin].drop_duplicates().itertuples(index=False)
    ):
        from mapper.areas import Areas

        result, _ = (areas or Areas.bundled()).fill_admin(result, precision="precision")
    # Keep every input column; an input column that clashes with a result column
    # keeps its values under "<name>_input".
    clashes = {c: f"{c}_input" for c in table.columns if c in RESULT_COLUMNS}
    out = pd.concat([table.rename(columns=clashes), result], axis=1)
    counts = _count(result["match_type"].fillna("unresolved").tolist())
    if fmt == "table":
        rows = out.astype(object).where(out.notna(), None).to_dict("records")
        lead = [c for c in out.columns if c not in RESULT_COLUMNS]
        return _table(rows, list(out.columns), lead=lead), counts, notes
    if fmt == "json":
        return out.to_json(orient="records", force_ascii=False, indent=1) + "\n", counts, notes
    buffer = io.StringIO()
    out.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue(), counts, notes


def _count(types: Any) -> dict[str, int]:
    counts = {"exact": 0, "alias": 0, "fuzzy": 0, "unresolved": 0}
    for t in types:
        counts[t if t in counts else "unresolved"] += 1
    return counts


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, tuple):
        return " | ".join(value)
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float):
        return f"{value:.5f}".rstrip("0").rstrip(".")
    return str(value)


def _render(rows: list[dict[str, Any]], columns: list[str], fmt: str) -> str:
    if fmt == "json":
        plain = [{c: _json_value(r.get(c)) for c in columns} for r in rows]
        return json.dumps(plain, ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow([_cell(r.get(c)) if c != "ambiguous" else r.get(c) for c in columns])
        return buffer.getvalue()
    return _table(rows, columns)


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, tuple):
        return list(value)
    return value


def _table(rows: list[dict[str, Any]], columns: list[str], *, lead: Sequence[str] = ()) -> str:
    """Format rows as an aligned text table: ``lead`` columns, then the main result columns."""
    shown = [(c, c) for c in lead] + list(_TABLE_COLUMNS)
    cells = []
    for r in rows:
        line = []
        for key, _ in shown:
            if key == "note":
                note = ""
                if r.get("ambiguous"):
                    note = "ambiguous; also: " + _cell(r.get("suggestions"))
                elif not r.get("matched_name"):
                    # Why it stays unplaced matters as much as what to try instead.
                    reason = _cell(r.get("reason"))
                    note = f"unresolved: {reason}" if reason else "unresolved"
                    if r.get("suggestions"):
                        note += "; did you mean: " + _cell(r.get("suggestions"))
                line.append(note)
            else:
                line.append(_cell(r.get(key)))
        cells.append(line)
    heads = [h for _, h in shown]
    widths = [max([len(h)] + [len(row[i]) for row in cells]) for i, h in enumerate(heads)]
    out = ["  ".join(h.ljust(w) for h, w in zip(heads, widths, strict=True)).rstrip()]
    for row in cells:
        out.append("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(out) + "\n"


def _emit(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from mapper.files import atomic_write

    try:
        with atomic_write(output, "w", newline="") as fh:
            fh.write(text)
    except OSError as err:
        raise InputError(f"cannot write: {err.strerror or err}", path=output) from err


def _summary(counts: dict[str, int], gazetteer: Any, fmt: str, output: str | None) -> None:
    total = sum(counts.values())
    print(
        f"mapper: {total} name{'s' if total != 1 else ''}: {counts['exact']} exact, "
        f"{counts['alias']} by alias, {counts['fuzzy']} by fuzzy match, "
        f"{counts['unresolved']} unresolved",
        file=sys.stderr,
    )
    if output is not None:
        print(f"mapper: wrote {output}", file=sys.stderr)
    for line in gazetteer.attribution:
        print(f"mapper: {line}", file=sys.stderr)
