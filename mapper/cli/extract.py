"""Command ``mapper extract``: news reports in, a draft dataset (and a review page) out."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    """Register ``mapper extract``."""
    p = sub.add_parser(
        "extract",
        help="draft incidents, claims and operations from news reports (text or HTML)",
        description=(
            "Read news reports and write a draft dataset: every place, date and party's figure "
            "found, each row citing the sentence it came from and marked 'draft' for a person "
            "to check. Unknown places stay unplaced; nothing is invented."
        ),
    )
    p.add_argument("inputs", nargs="+", metavar="FILE_OR_DIR", help="article files or folders")
    p.add_argument(
        "-o", "--output", required=True, metavar="DRAFT_DIR", help="draft dataset directory"
    )
    p.add_argument("--published", metavar="DATE", help="publication date (YYYY-MM-DD)")
    p.add_argument("--source", metavar="TEXT", help="how the rows cite the article(s)")
    p.add_argument(
        "--gazetteer",
        action="append",
        default=[],
        metavar="FILE",
        help="extra gazetteer (repeatable)",
    )
    p.add_argument("--review", metavar="REVIEW.html", help="also write the review page")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``mapper extract``; return the exit status."""
    from mapper.extraction import NotEnglishError, extract, read_articles, write_draft
    from mapper.extraction.review import write_review
    from mapper.gazetteer import Gazetteer

    status = 0
    try:
        articles, notes = read_articles(args.inputs, published=args.published, source=args.source)
    except NotEnglishError as err:
        print(f"mapper: {err}", file=sys.stderr)
        return err.exit_code
    for note in notes:
        print(f"mapper: note: {note}", file=sys.stderr)
    gaz = Gazetteer.from_files(args.gazetteer) if args.gazetteer else Gazetteer.default()
    dataset, spans = extract(articles, gazetteer=gaz)
    write_draft(dataset, args.output)
    n_inc, n_cl = len(dataset.incidents), len(dataset.claims)
    if n_inc == 0 and n_cl == 0:
        print(
            f"mapper: note: no place or figure found in {len(articles)} article(s); "
            f"wrote an empty draft to {args.output}",
            file=sys.stderr,
        )
    else:
        placed = int((dataset.incidents["placement"] == "placed").sum()) if n_inc else 0
        print(
            f"wrote {args.output}: {n_inc} draft incidents ({placed} placed, "
            f"{n_inc - placed} unplaced), {n_cl} claims, {len(dataset.operations)} operations "
            f"from {len(articles)} article(s)"
        )
    if args.review:
        write_review(args.review, articles, dataset, spans)
        print(f"wrote {args.review}")
    return status
