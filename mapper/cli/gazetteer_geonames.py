"""``mapper gazetteer import-geonames``: a GeoNames dump to a gazetteer CSV.

Exit status: 0 imported; 1 imported, but some lines were malformed and left out
(listed on stderr and in ``--report``); 2 the file is not a dump, cannot be
read, or nothing was kept.
"""

from __future__ import annotations

import argparse
import sys

from mapper.errors import UsageError

_DESCRIPTION = """\
Import a GeoNames dump (PK.txt, allCountries.txt, or their .zip) into a gazetteer CSV that
--gazetteer accepts everywhere (mapper resolve, map, validate).

Kept: feature classes P (cities, villages) and A (countries, provinces, districts), and
these codes of other classes: mines MN MNAU MNC MNCR MNCU MNFE MNN MNQ MNQR MNA; ports PRT
HBR; airports AIRP AIRF AIRB AIRH; dams DAM; military sites INSM MILB FT; border posts
PSTB PSTC CSTM; police posts PP; oil and gas fields OILF GASF; camps CMP CMPRF CMPMN
CMPLA; railway stations RSTN RSTP; passes PASS; valleys VAL. Everything else is skipped and
counted by feature class.

Alternate names become aliases, minus URLs, numbers, codes (UET, OPQT, postcodes) and,
unless --all-scripts, names in scripts other than Latin. Admin codes become province and
district names: mapper's own province names, then --admin1-codes/--admin2-codes, then the
dump's own ADM1/ADM2 records.

A malformed line is rejected (listed on stderr and in --report) and the import goes on;
the exit status is then 1. Data: GeoNames (geonames.org), CC BY 4.0: credit it when you
share what you build from it."""


def register(gsub: argparse._SubParsersAction) -> None:
    """Register the ``import-geonames`` subcommand."""
    p = gsub.add_parser(
        "import-geonames",
        help="import a GeoNames dump (PK.txt, allCountries.txt, .zip) as a gazetteer CSV",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("file", metavar="FILE", help="a GeoNames dump or a zip holding one")
    p.add_argument("--output", "-o", metavar="OUT.csv", required=True, help="the gazetteer CSV")
    p.add_argument(
        "--country",
        action="append",
        default=[],
        metavar="CC",
        help="keep only places in this country (ISO code or English name); repeatable",
    )
    p.add_argument(
        "--admin1-codes", metavar="FILE", help="GeoNames admin1CodesASCII.txt (province names)"
    )
    p.add_argument(
        "--admin2-codes", metavar="FILE", help="GeoNames admin2Codes.txt (district names)"
    )
    p.add_argument(
        "--all-scripts",
        action="store_true",
        help="keep alternate names in every script (default: Latin script only)",
    )
    p.add_argument(
        "--report", metavar="FILE", help="write the rejected lines (file, line, reason) as CSV"
    )
    progress = p.add_mutually_exclusive_group()
    progress.add_argument(
        "--progress",
        dest="progress",
        action="store_const",
        const=True,
        default=None,
        help="always show a progress bar (default: for inputs above 64 MB on a terminal)",
    )
    progress.add_argument(
        "--no-progress", dest="progress", action="store_const", const=False, help="never show one"
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Import the dump; return 0, or 1 if some lines were rejected."""
    from mapper.cli.rows import list_rows, safe
    from mapper.files import atomic_write
    from mapper.gazetteer.countries import country_code
    from mapper.gazetteer.sources.geonames import GEONAMES_CREDIT
    from mapper.gazetteer.sources.geonames_dump import import_geonames
    from mapper.schema import REPORT_COLUMNS

    countries = []
    for value in args.country:
        code = country_code(value)
        if code is None:
            raise UsageError(
                f"--country: expected an ISO 3166 alpha-2 code or an English country name "
                f"(e.g. PK or Pakistan), got {value!r}"
            )
        countries.append(code)
    account = import_geonames(
        args.file,
        args.output,
        countries=countries or None,
        admin1_codes=args.admin1_codes,
        admin2_codes=args.admin2_codes,
        all_scripts=args.all_scripts,
        progress=args.progress,
    )
    report = account.report()
    if args.report:
        with atomic_write(args.report, newline="") as fh:
            report[list(REPORT_COLUMNS)].to_csv(fh, index=False, lineterminator="\n")
    list_rows(report)
    print(safe(f"{account.dump}: {account.summary()}"), file=sys.stderr)
    print(f"wrote {args.output}. {GEONAMES_CREDIT}", file=sys.stderr)
    return 1 if account.rejected else 0
