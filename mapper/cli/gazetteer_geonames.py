"""``mapper gazetteer geonames``: being written this session (placeholder so the group parses)."""

from __future__ import annotations

import argparse

from mapper.errors import UsageError


def register(gsub: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    p = gsub.add_parser("import-geonames", help="(not ready yet)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Refuse: not written yet."""
    raise UsageError("not available yet")
