"""Command ``mapper map``: draw datasets as one self-contained, offline HTML map."""

from __future__ import annotations

import argparse
import sys

from mapper.cli.rows import (
    add_reading_options,
    areas_from,
    finish,
    gazetteer_from,
    list_rows,
    nothing_kept,
    safe,
)
from mapper.cli.tables import add_table_options, as_datasets

#: Where ``mapper map`` writes when not given ``-o`` (relative to the working directory).
DEFAULT_OUTPUT = "build/map.html"


def register(sub: argparse._SubParsersAction) -> None:
    """Register ``mapper map``."""
    p = sub.add_parser(
        "map",
        help="draw incidents as a layered, time-filtered HTML map that works offline",
        description=(
            "Draw one or more datasets (default: the bundled one) as one self-contained HTML "
            "file: layers per event type, operations and context, a time window, contested "
            "figures side by side. Open the file in any browser; it needs no network "
            "(except for background tiles, which --tiles none turns off)."
        ),
    )
    p.add_argument(
        "datasets",
        nargs="*",
        metavar="DATASET",
        help="dataset directory, incidents CSV, or any table 'mapper import' reads "
        "(default: the bundled dataset)",
    )
    p.add_argument(
        "-o",
        "--output",
        default=DEFAULT_OUTPUT,
        metavar="OUT.html",
        help=f"where to write the map (default: {DEFAULT_OUTPUT})",
    )
    p.add_argument("--since", metavar="DATE", help="keep incidents on or after DATE (YYYY-MM-DD)")
    p.add_argument("--until", metavar="DATE", help="keep incidents on or before DATE (YYYY-MM-DD)")
    p.add_argument("--title", metavar="TEXT", help="title shown on the map (default: dataset name)")
    p.add_argument(
        "--tiles",
        default="OpenStreetMap",
        metavar="NAME|none",
        help="background tile provider, e.g. 'CartoDB Positron'; 'none' for a plain "
        "background and no network use (default: OpenStreetMap)",
    )
    add_reading_options(p)
    add_table_options(p, claims=False)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Read the datasets, build the map, write it; return the exit status."""
    # Heavy imports here, so that `mapper --help` and other commands stay fast.
    import gc
    import importlib
    from concurrent.futures import ThreadPoolExecutor

    # No collection while the heavy modules import and the tables are read (their
    # objects all live on), then set them aside so that later full passes do not
    # re-scan them.
    gc.disable()
    import pandas as pd

    from mapper.cli.jinja_cache import templates_compiled_once
    from mapper.dataset import read_datasets
    from mapper.resources import cache_dir

    try:
        with (
            as_datasets(list(args.datasets) or [None], args) as (paths, imported),
            templates_compiled_once(cache_dir()),
            ThreadPoolExecutor(max_workers=1) as pool,
        ):
            # folium imports in a second thread while the tables are read: Arrow's
            # parser and numpy's scans release the GIL, so the two overlap.
            rendering = pool.submit(importlib.import_module, "mapper.render")
            for report in imported:
                list_rows(report)
            areas = areas_from(args)
            # No shapely points: the map needs only the coordinates.
            dataset = read_datasets(
                paths, gazetteer=gazetteer_from(args), areas=areas, geometry=False
            )
            render = rendering.result()
    finally:
        gc.freeze()
        gc.enable()
    list_rows(dataset.report)
    for note in dataset.notes:
        print(safe(f"note: {note}"), file=sys.stderr)
    # Rows an import refused count as the dataset's own rejected rows do.
    report = pd.concat([*imported, dataset.report], ignore_index=True)
    empty = nothing_kept(dataset.report, "map", args.datasets)
    if empty is not None:  # an existing map stays as it was
        finish(args, report)
        print(f"mapper: error: {safe(empty)}", file=sys.stderr)
        return 1
    m = render.build_map(
        dataset,
        since=args.since,
        until=args.until,
        title=args.title,
        tiles=args.tiles,
        areas=areas,
    )
    payload = m.mapper_payload
    path = render.save_map(m, args.output)

    drawn = payload["incidents"]
    n = len(drawn["id"])
    placed = sum(drawn["placed"])
    kept = len(dataset.incidents)
    window = ""
    if n != kept:
        window = f" ({kept - n} outside --since/--until left out)"
    print(
        f"Map written to {path}: {n} incidents ({placed} placed, {n - placed} listed as "
        f"unplaced){window}, {len(payload['claims']['id'])} claims, "
        f"{len(payload['operations']['key'])} operations, {len(payload['sites']['name'])} sites."
    )
    return finish(args, report)
