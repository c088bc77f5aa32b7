"""``mapper gazetteer``: build gazetteer CSVs that ``--gazetteer`` accepts everywhere.

``learn`` builds one from geocoded event tables (ACLED, UCDP GED, GTD or any table
with a place name and coordinates); ``import-geonames`` from a GeoNames dump.
"""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Register the ``gazetteer`` command group and its subcommands."""
    from mapper.cli import gazetteer_geonames, gazetteer_learn

    p = sub.add_parser(
        "gazetteer",
        help="build gazetteer CSVs from geocoded tables or GeoNames dumps",
        description=(
            "Build a gazetteer CSV that --gazetteer accepts everywhere: learn place names and "
            "coordinates from geocoded event tables, or import a GeoNames dump."
        ),
    )
    gsub = p.add_subparsers(dest="gazetteer_command", metavar="SUBCOMMAND", parser_class=type(p))
    gsub.required = True
    gazetteer_learn.register(gsub)
    gazetteer_geonames.register(gsub)
